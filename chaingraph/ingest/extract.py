"""Extract firms, their aliases, products, tiers and relations from one article.

Everything runs on the normalised text (:func:`chaingraph.normalize.normalize`); every span
is mapped back to ORIGINAL offsets so evidence can be checked against the source file.
The result is plain data (dataclasses of ``str``/``int``/``float``), with no rdflib terms:
:mod:`chaingraph.ingest.staging` turns it into RDF, :mod:`chaingraph.ingest.report` into a
dict.

Examples
--------
>>> ex = extract("通过星河电子带动，成功引进了蓝鲸、白鹭等企业落户园区。")
>>> sorted(f.name for f in ex.firms)
['星河电子', '白鹭', '蓝鲸']
>>> [(r.type, r.source, r.target) for r in ex.relations if r.type == "referral"]
[('referral', '星河', '蓝鲸'), ('referral', '星河', '白鹭')]
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Mapping, Sequence

from chaingraph.ingest.clustering import cluster, declared_aliases
from chaingraph.ingest.model import (
    Extraction, FigureFact, Firm, Mention, ProductFact, Relation, Resolved, Span, Tier, evidence_span,
)
from chaingraph.ingest.names import NameMention, find_firm_mentions, parse_name, valid_trade
from chaingraph.ingest.relations import find_facts
from chaingraph.ingest.taggers import tagger_mentions
from chaingraph.normalize import Normalized, normalize

#: the result types live in :mod:`chaingraph.ingest.model`; re-exported for callers of ``extract``
__all__ = ["Extraction", "FigureFact", "Firm", "Mention", "ProductFact", "Relation", "Span", "Tier", "extract"]


# ---------------------------------------------------------------- helpers

_ANAPHOR = re.compile(r"该公司|该企业|这家公司|这家企业|该集团|(?<=[，。；“\n])(?:企业|我们|他们)(?=原本|原来|原先|原|从|是从|于\d|已|就|当年|凭|的产品)|(?<![\u4e00-\u9fff])公司(?=主要|计划|拟|将|已|是|在|目前|正|还|的)|(?<=[，。；])公司(?=主要|计划|拟|将|已|是|在|目前|正|还)")
_PARK_RE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:经济技术开发区|高新技术产业开发区|经开区|高新区|开发区|工业园区|工业园|产业园)")


#: advertisement lines pasted with a page (【广告】…, ▲▲【推广】…▲▲): up to the line end or the closing ▲▲
_AD = re.compile(r"(?:▲▲)?[【\[](?:广告|推广|赞助)[】\]][^\n]*?(?:▲▲|(?=\n)|$)", re.M)


def _mask_ads(norm: Normalized) -> Normalized:
    """The normalised text with advertisement stretches (found on the ORIGINAL lines) blanked by
    line breaks (same length, so the offset map stays valid): nothing is read from an advert."""
    spans = [m.span() for m in _AD.finditer(norm.original)]
    if not spans:
        return norm
    chars = list(norm.text)
    for i, o in enumerate(norm.origin):
        if any(a <= o < b for a, b in spans):
            chars[i] = "\n"
    return Normalized(norm.original, "".join(chars), norm.origin)


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _detect_park(text: str) -> str | None:
    """The park the text names most, if it names it 3+ times and twice as often as any other."""
    c = Counter(m.group() for m in _PARK_RE.finditer(text))
    if not c:
        return None
    ranked = c.most_common(2) + [(None, 0)]
    (top, n), (_, second) = ranked[0], ranked[1]
    # the article is about a park only if one park dominates the text
    return top if n >= 3 and n >= 2 * second else None


def _known_index(known_firms: Sequence[tuple[str, Sequence[str]]]):
    # normalising some thousand names costs ~0.6 s: done once per list of firms, not per article
    key = tuple((iri, tuple(names)) for iri, names in known_firms)
    return _known_index_cached(key)


@functools.lru_cache(maxsize=4)
def _known_index_cached(known_firms: tuple[tuple[str, tuple[str, ...]], ...]):
    by_name: dict[str, str] = {}
    by_trade: dict[str, str] = {}
    for iri, names in known_firms:
        for n in names:
            nn = normalize(n).text
            by_name.setdefault(nn, iri)
            t = parse_name(nn).trade
            if valid_trade(t):
                by_trade.setdefault(t, iri)
    return by_name, by_trade


# ---------------------------------------------------------------- main

def extract(
    text: str,
    *,
    source: str = "",
    park: str | None = None,
    known_firms: Sequence[tuple[str, Sequence[str]]] = (),
    product_terms: Mapping[str, str | Sequence[str]] | None = None,
    tagger: str | None = None,
) -> Extraction:
    """Extract firms and relations from one article.

    Parameters
    ----------
    text : str
        The ORIGINAL decoded article text (offsets in the result point into it).
    source : str
        A name for the article (file name), copied into the result.
    park : str, optional
        The park the article is about; default: the park named most often in the text.
    known_firms : sequence of (iri, names)
        Firms already in the graph; a firm whose name or trade name matches is linked to the
        IRI, and occurrences of these names count as mentions.
    product_terms : mapping of str to str or sequence of str, optional
        Product term → segment IRI(s), from the chain templates' ``cg:productTerm``.
    tagger : str, optional
        Also take firm mentions from a statistical tagger (``"jieba-nt"``, see
        :mod:`chaingraph.ingest.taggers`), where the rules found none; default: rules only.

    Returns
    -------
    Extraction
    """
    norm = _mask_ads(normalize(text))
    t = norm.text
    park = park or _detect_park(t)
    by_name, by_trade = _known_index(known_firms)
    mentions = _name_mentions(t, sorted(by_name, key=len, reverse=True), tagger)
    mentions, declared = declared_aliases(t, mentions)
    firms = cluster(mentions, by_name, by_trade, declared)
    for f in firms:
        for m in f.mentions:
            m.span = evidence_span(norm, m.nstart, m.nend)
    resolved = sorted((Resolved(m.nstart, m.nend, f.key, m) for f in firms for m in f.mentions), key=lambda r: r.start)
    _resolve_anaphora(norm, firms, resolved)
    relations = find_facts(norm, resolved, firms, park=park, product_terms=product_terms or {})
    for f in firms:
        f.mentions.sort(key=lambda m: m.nstart)
    firms.sort(key=lambda f: (min(m.nstart for m in f.mentions), f.key))
    return Extraction(source=source, park=park, firms=firms, relations=relations, text=norm)


def _name_mentions(t: str, known_names: list[str], tagger: str | None) -> list[NameMention]:
    """The rules' firm mentions in normalised ``t``, plus a tagger's where the rules found none."""
    mentions = find_firm_mentions(t, known_names=known_names)
    if tagger:
        taken = [(m.start, m.end) for m in mentions]
        mentions = sorted(mentions + [m for m in tagger_mentions(t, tagger)
                                      if not any(m.start < e and s < m.end for s, e in taken)],
                          key=lambda m: m.start)
    return mentions


def _resolve_anaphora(norm: Normalized, firms: list[Firm], resolved: list[Resolved]) -> None:
    """Resolve 该公司-style references (:data:`_ANAPHOR`) to a firm, in place.

    The firm is the last one named earlier in the same paragraph (else within 200 characters
    before); a quote's 我们/他们 is the firm the article has talked about most so far.  Each
    reference becomes an ``anaphor`` mention of that firm and joins ``resolved`` (kept in text
    order), so the relation rules read it as a mention of the firm.
    """
    t = norm.text
    for a in _ANAPHOR.finditer(t):
        if any(r.start <= a.start() < r.end for r in resolved):
            continue
        para = _paragraph_start(t, a.start())
        # the referrer of "B由A引荐" is not what 该公司 refers to
        prev = [r for r in resolved if para <= r.start < a.start() and r.mention.kind != "anaphor"
                and t[r.start - 1:r.start] not in ("由", "经")]
        if not prev:
            prev = [r for r in resolved
                    if r.start < a.start() and a.start() - r.end < 200 and r.mention.kind != "anaphor"]
        if a.group() in ("我们", "他们"):
            # a quote's "we": the firm the article has talked about most so far
            earlier = Counter(r.key for r in resolved if r.start < a.start() and r.mention.kind != "anaphor")
            if earlier:
                last_pos = {r.key: r.start for r in resolved if r.start < a.start()}
                prev = [Resolved(0, 0, max(earlier, key=lambda k: (earlier[k], last_pos[k])), None)]
        if not prev:
            continue
        key = prev[-1].key
        f = next(x for x in firms if x.key == key)
        m = Mention(a.group(), "anaphor", evidence_span(norm, a.start(), a.end()), 0.6, a.start(), a.end())
        f.mentions.append(m)
        resolved.append(Resolved(a.start(), a.end(), key, m))
        resolved.sort(key=lambda r: r.start)
