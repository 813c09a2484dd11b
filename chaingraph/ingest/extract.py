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

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.model import (
    Extraction, FigureFact, Firm, Mention, ProductFact, Relation, Resolved, Span, Tier, evidence_span,
)
from chaingraph.ingest.names import (
    NameMention, is_subsequence, alias_forms, find_firm_mentions, parse_name, valid_trade,
)
from chaingraph.ingest.relations import find_facts
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
    c = Counter(m.group() for m in _PARK_RE.finditer(text))
    if not c:
        return None
    (top, n), *rest = c.most_common(2) + [(None, 0)]
    # the article is about a park only if one park dominates the text
    return top if n >= 3 and n >= 2 * rest[0][1] else None


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


def _stripped(name: str) -> str:
    for f in ("公司", "集团"):
        if name.endswith(f) and len(name) > len(f) + 1 and not name.endswith("有限公司"):
            return name[: -len(f)]
    return name


# ---------------------------------------------------------------- firms

def _region_key(region: str) -> str:
    """The last place of a region prefix without its level word (广东省东莞市 → 东莞)."""
    parts = re.findall(r"[\u4e00-\u9fff]+?(?:省|市|自治区|县|区)|[\u4e00-\u9fff]+$", region)
    last = parts[-1] if parts else region
    return re.sub(r"(?:省|市|自治区|县|区)$", "", last) or last


#: "X有限公司（以下简称“Y”）", "（下称Y）": Y is declared a name of X
_DECLARED = re.compile(r"^（(?:以下|下文)?(?:简称|称)[：:]?[“\"]?([^”\"（）]{2,10})[”\"]?(?:，[^（）]{0,20})?）")


def _declared_aliases(text: str, mentions: list[NameMention]) -> tuple[list[NameMention], dict[str, str]]:
    """Add every occurrence of a short name declared in brackets after a firm's name (kind
    ``alias``); returns the mentions and ``{short name: the name it was declared for}``."""
    taken = [(m.start, m.end) for m in mentions]
    out = list(mentions)
    declared: dict[str, str] = {}
    for m in mentions:
        d = _DECLARED.match(text[m.end:m.end + 40])
        if not d:
            continue
        short = d.group(1)
        if short == m.text:
            continue
        declared.setdefault(short, m.text)
        i = text.find(short)
        while i >= 0:
            if not any(s < i + len(short) and i < e for s, e in taken):
                out.append(NameMention(short, i, i + len(short), "alias", 0.8))
                taken.append((i, i + len(short)))
            i = text.find(short, i + 1)
    return sorted(out, key=lambda x: x.start), declared


def _cluster(mentions: list[NameMention], by_name, by_trade,
             declared: Mapping[str, str] | None = None) -> tuple[list[Firm], dict[int, str]]:
    """Group mentions into firms; return firms and mention-start → firm key."""
    firms: dict[str, Firm] = {}
    full_parts = {}
    for m in mentions:
        p = parse_name(m.text)
        if m.kind == "full" and p.form and p.form not in ("公司",):
            full_parts[m.text] = p

    # full names sharing a trade name but not their industry words are distinct firms
    # (江苏大亚科技集团 and its subsidiary 大亚包装材料有限公司): key them by trade + industry
    # (江苏大亚科技集团 and its subsidiary 大亚包装材料有限公司): key them by trade + industry;
    # so are names with the same trade name in two different places (常州X光电, 滁州X光电)
    by_trade_full: dict[str, set] = {}
    regions_of: dict[str, set] = {}
    for fname, fp in full_parts.items():
        by_trade_full.setdefault(fp.trade, set()).add(fp.industry)
        if fp.region:
            regions_of.setdefault(fp.trade, set()).add(_region_key(fp.region))
    for fname, fp in full_parts.items():
        # a listed X股份有限公司 and its subsidiary 常州X有限公司: a name without a region and
        # with another legal form than the regional ones is a firm of its own
        if not fp.region and fp.trade in regions_of and all(
                op.form != fp.form for op in full_parts.values() if op.trade == fp.trade and op.region):
            regions_of[fp.trade].add("")

    def _fkey(fp) -> str:
        k = fp.trade + fp.industry if len(by_trade_full[fp.trade]) > 1 else fp.trade
        return (_region_key(fp.region) + k) if len(regions_of.get(fp.trade, ())) > 1 and fp.region else k

    fkey = {fname: _fkey(fp) for fname, fp in full_parts.items()}
    forms_of: dict[str, str] = {}
    for fname in full_parts:
        for f in alias_forms(fname):
            if len(by_trade_full[full_parts[fname].trade]) == 1 or f != full_parts[fname].trade:
                forms_of.setdefault(f, fname)
    bare_texts = sorted({m.text for m in mentions if m.kind != "full" and not parse_name(m.text).form}, key=len)

    declared = declared or {}
    by_text = {m.text: m for m in mentions}

    def key_for(m: NameMention) -> str:
        if m.text in declared and declared[m.text] in by_text and declared[m.text] != m.text:
            return key_for(by_text[declared[m.text]])  # （以下简称“Y”）
        p = parse_name(m.text)
        base = _stripped(m.text)
        if m.text in forms_of:  # a short form of a full name met in the text (甲乙科技某市分公司)
            fp = full_parts[forms_of[m.text]]
            if valid_trade(fp.trade):
                return fkey[forms_of[m.text]]
        if m.kind != "full" and not p.form:
            # a bare name that ends a longer bare name of the text (某钢 … 华某某钢, 丙丁彩印 …
            # 某信丙丁彩印)
            longer = [b for b in bare_texts if len(b) > len(m.text) and b.endswith(m.text)
                      and (not p.industry or len(m.text) >= 4)]
            if longer and len(m.text) >= 2:
                lp = parse_name(longer[-1])
                return lp.trade if valid_trade(lp.trade) else _stripped(longer[-1])
        # alias of a full name: same trade, or substring of the full name's core
        for fname, fp in full_parts.items():
            if m.text == fname:
                return fkey[fname] if valid_trade(fp.trade) else fname
        # the full name whose trade + industry words contain the mention first (大亚包装)
        ordered = sorted(full_parts.items(), key=lambda kv: base not in kv[1].trade + kv[1].industry)
        for fname, fp in ordered:
            core = fp.trade + fp.industry
            if p.region and fp.region and _region_key(p.region) != _region_key(fp.region):
                continue  # 河南X鞋业公司 is not 杭州X鞋业进出口有限公司
            if fp.paren and p.industry and fp.industry and p.industry not in fp.industry \
                    and fp.industry not in p.industry:
                continue  # X能源 is not its subsidiary X（木垒）风电有限公司
            if valid_trade(fp.trade) and (
                (valid_trade(p.trade) and p.trade == fp.trade)
                or (len(base) >= 2 and base in core and base not in lx.INDUSTRY_WORDS)
                or (len(p.trade) >= 2 and p.trade in fp.trade)
            ):
                return fkey[fname]
        if m.kind == "alias" or (m.kind == "short" and not p.form and not p.industry):
            # a contraction of a full name (中车株机), met alone or in an argument position
            for fname, fp in full_parts.items():
                body = fname[len(fp.region):]
                if len(m.text) >= 3 and body.startswith(m.text[:2]) and is_subsequence(m.text, body):
                    return fkey[fname] if valid_trade(fp.trade) else fname
        if p.region and valid_trade(p.trade) and any(
                fp.trade == p.trade and fp.region and _region_key(fp.region) != _region_key(p.region)
                for fp in full_parts.values()):
            return _region_key(p.region) + p.trade
        if valid_trade(p.trade) and p.industry and p.trade in fkey.values() and not any(
                fkey[f] == p.trade and (fp.industry in p.industry or p.industry in fp.industry)
                for f, fp in full_parts.items()):
            return p.trade + p.industry  # X能源 beside X（木垒）风电有限公司: another firm
        return p.trade if valid_trade(p.trade) else base

    index: dict[int, str] = {}
    for m in mentions:
        k = key_for(m)
        index[m.start] = k
        f = firms.get(k)
        if f is None:
            f = firms[k] = Firm(key=k, name="", full_name=None, aliases=[], mentions=[])
        if m.kind == "full" and parse_name(m.text).form not in ("公司",) and f.full_name is None:
            f.full_name = m.text
        elif m.text not in f.aliases:
            f.aliases.append(m.text)
        f.mentions.append(Mention(m.text, m.kind, Span(0, 0, ""), m.confidence, m.start, m.end))
    for f in firms.values():
        if f.full_name in f.aliases:
            f.aliases.remove(f.full_name)
        shorts = [a for a in f.aliases if a != f.full_name]
        if shorts:
            counts = Counter(_stripped(m.text) for m in f.mentions if m.text in shorts)
            f.name = max(counts, key=lambda a: (counts[a], parse_name(a).industry != "", -len(a), a))
            pn = parse_name(f.name)
            if pn.region and valid_trade(pn.trade) and pn.industry:
                f.name = pn.core
        else:
            p = parse_name(f.full_name or f.key)
            f.name = p.core if valid_trade(p.trade) and p.industry else (f.full_name or f.key)
        if f.full_name is None:  # the most complete form the article uses (佛山市X科技公司)
            formed = [a for a in f.aliases if parse_name(a).form or parse_name(a).region]
            if formed:
                f.full_name = max(formed, key=lambda a: (bool(parse_name(a).form), len(a), a))
        f.aliases = sorted({a for a in f.aliases + [f.name] if a != f.full_name}, key=lambda a: (-len(a), a))
        for n in f.names:
            if n in by_name:
                f.known_iri = by_name[n]
                break
        if f.known_iri is None and f.key in by_trade:
            f.known_iri = by_trade[f.key]
    return list(firms.values()), index


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
    mentions, declared = _declared_aliases(t, mentions)
    firms, _ = _cluster(mentions, by_name, by_trade, declared)
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
        from chaingraph.ingest.taggers import tagger_mentions  # start-up: loads jieba, off by default

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
