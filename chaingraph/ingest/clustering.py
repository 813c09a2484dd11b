"""Which mentions name the same firm: group an article's name mentions into firms.

A firm's key is its canonical identity: the normalised trade name, made distinct where the
article names two firms with one trade name (a group and its subsidiary with other industry
words, the same trade name in two places).  Short forms, bare names, contractions and names
declared in brackets (``（以下简称“Y”）``) are keyed to the full name they stand for.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.model import Firm, Mention, Span
from chaingraph.ingest.names import NameMention, NameParts, alias_forms, is_subsequence, parse_name, valid_trade

#: "X有限公司（以下简称“Y”）", "（下称Y）": Y is declared a name of X
_DECLARED = re.compile(r"^（(?:以下|下文)?(?:简称|称)[：:]?[“\"]?([^”\"（）]{2,10})[”\"]?(?:，[^（）]{0,20})?）")


def declared_aliases(text: str, mentions: list[NameMention]) -> tuple[list[NameMention], dict[str, str]]:
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


def cluster(mentions: list[NameMention], by_name: Mapping[str, str], by_trade: Mapping[str, str],
            declared: Mapping[str, str] | None = None) -> list[Firm]:
    """Group mentions into firms (in order of first mention), each with its display name, full
    name, aliases and, where a name or trade name matches ``by_name``/``by_trade`` (known
    firms: normalised name or trade name → IRI), its ``known_iri``."""
    keys = _Keys(mentions, declared or {})
    firms: dict[str, Firm] = {}
    for m in mentions:
        k = keys.key_for(m)
        f = firms.get(k)
        if f is None:
            f = firms[k] = Firm(key=k, name="", full_name=None, aliases=[], mentions=[])
        if m.kind == "full" and parse_name(m.text).form not in ("公司",) and f.full_name is None:
            f.full_name = m.text
        elif m.text not in f.aliases:
            f.aliases.append(m.text)
        f.mentions.append(Mention(m.text, m.kind, Span(0, 0, ""), m.confidence, m.start, m.end))
    for f in firms.values():
        _settle_names(f)
        _link_known(f, by_name, by_trade)
    return list(firms.values())


# ---------------------------------------------------------------- keys

def _stripped(name: str) -> str:
    """``name`` without a final 公司/集团 (not 有限公司): 星河公司 → 星河."""
    for f in ("公司", "集团"):
        if name.endswith(f) and len(name) > len(f) + 1 and not name.endswith("有限公司"):
            return name[: -len(f)]
    return name


def _region_key(region: str) -> str:
    """The last place of a region prefix without its level word (广东省东莞市 → 东莞)."""
    parts = re.findall(r"[\u4e00-\u9fff]+?(?:省|市|自治区|县|区)|[\u4e00-\u9fff]+$", region)
    last = parts[-1] if parts else region
    return re.sub(r"(?:省|市|自治区|县|区)$", "", last) or last


@dataclass
class _FullNames:
    """The full names of the article, the firm key of each, and the short forms they own."""

    parts: dict[str, NameParts]  # full name → its parts
    key: dict[str, str]  # full name → firm key
    forms_of: dict[str, str]  # short form → the full name it is a form of


def _full_names(mentions: list[NameMention]) -> _FullNames:
    full_parts = {}
    for m in mentions:
        p = parse_name(m.text)
        if m.kind == "full" and p.form and p.form not in ("公司",):
            full_parts[m.text] = p

    # full names sharing a trade name but not their industry words are distinct firms
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
    return _FullNames(full_parts, fkey, forms_of)


class _Keys:
    """The firm key of each mention: the rules of :meth:`key_for`, tried in order."""

    def __init__(self, mentions: list[NameMention], declared: Mapping[str, str]):
        self.full = _full_names(mentions)
        self.bare_texts = sorted({m.text for m in mentions if m.kind != "full" and not parse_name(m.text).form}, key=len)
        self.declared = declared
        self.by_text = {m.text: m for m in mentions}

    def key_for(self, m: NameMention) -> str:
        declared = self.declared
        if m.text in declared and declared[m.text] in self.by_text and declared[m.text] != m.text:
            return self.key_for(self.by_text[declared[m.text]])  # （以下简称“Y”）
        p = parse_name(m.text)
        for rule in (self._form_of_full_name, self._end_of_longer_bare_name, self._of_full_name,
                     self._contraction, self._another_firm):
            k = rule(m, p)
            if k is not None:
                return k
        return p.trade if valid_trade(p.trade) else _stripped(m.text)

    def _form_of_full_name(self, m: NameMention, p: NameParts) -> str | None:
        """A short form of a full name met in the text (甲乙科技某市分公司)."""
        if m.text in self.full.forms_of:
            fp = self.full.parts[self.full.forms_of[m.text]]
            if valid_trade(fp.trade):
                return self.full.key[self.full.forms_of[m.text]]
        return None

    def _end_of_longer_bare_name(self, m: NameMention, p: NameParts) -> str | None:
        """A bare name that ends a longer bare name of the text (某钢 … 华某某钢, 丙丁彩印 …
        某信丙丁彩印)."""
        if m.kind != "full" and not p.form:
            longer = [b for b in self.bare_texts if len(b) > len(m.text) and b.endswith(m.text)
                      and (not p.industry or len(m.text) >= 4)]
            if longer and len(m.text) >= 2:
                lp = parse_name(longer[-1])
                return lp.trade if valid_trade(lp.trade) else _stripped(longer[-1])
        return None

    def _of_full_name(self, m: NameMention, p: NameParts) -> str | None:
        """The full name itself, or the full name whose trade name it shares or whose trade +
        industry words contain it (大亚包装), unless their places or industries differ."""
        base = _stripped(m.text)
        full_parts, fkey = self.full.parts, self.full.key
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
        return None

    def _contraction(self, m: NameMention, p: NameParts) -> str | None:
        """A contraction of a full name (中车株机), met alone or in an argument position."""
        if m.kind == "alias" or (m.kind == "short" and not p.form and not p.industry):
            for fname, fp in self.full.parts.items():
                body = fname[len(fp.region):]
                if len(m.text) >= 3 and body.startswith(m.text[:2]) and is_subsequence(m.text, body):
                    return self.full.key[fname] if valid_trade(fp.trade) else fname
        return None

    def _another_firm(self, m: NameMention, p: NameParts) -> str | None:
        """A firm of its own beside a full name with its trade name: in another place (河南X
        beside 杭州X), or with other industry words (X能源 beside X（木垒）风电有限公司)."""
        full_parts, fkey = self.full.parts, self.full.key
        if p.region and valid_trade(p.trade) and any(
                fp.trade == p.trade and fp.region and _region_key(fp.region) != _region_key(p.region)
                for fp in full_parts.values()):
            return _region_key(p.region) + p.trade
        if valid_trade(p.trade) and p.industry and p.trade in fkey.values() and not any(
                fkey[f] == p.trade and (fp.industry in p.industry or p.industry in fp.industry)
                for f, fp in full_parts.items()):
            return p.trade + p.industry  # X能源 beside X（木垒）风电有限公司: another firm
        return None


# ---------------------------------------------------------------- names of a firm

def _settle_names(f: Firm) -> None:
    """Choose the firm's display name (its most used short form), its full name (the most
    complete form the article uses) and its aliases (every other form, longest first)."""
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


def _link_known(f: Firm, by_name: Mapping[str, str], by_trade: Mapping[str, str]) -> None:
    """Link the firm to a known firm by one of its names, else by its key (trade name)."""
    for n in f.names:
        if n in by_name:
            f.known_iri = by_name[n]
            break
    if f.known_iri is None and f.key in by_trade:
        f.known_iri = by_trade[f.key]
