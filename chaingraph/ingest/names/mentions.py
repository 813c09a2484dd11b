"""All firm mentions of a text: the finders' candidates, the forms of names met elsewhere in
the text (alias forms, contractions, known firms), and one mention per stretch of text.
"""

from __future__ import annotations

import functools
import re

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.names.anchored import full_names, short_names
from chaingraph.ingest.names.arguments import argument_names
from chaingraph.ingest.names.lists import enumeration_items, list_items
from chaingraph.ingest.names.parts import (
    CJK, NAME_CHARS, REGION_AT, SHORT_GENERIC, NameMention, alias_forms, is_non_firm, is_subsequence, name_ok,
    parse_name, valid_trade,
)


_ABBR_BEFORE = "在由经与和为、，。；：“”（\n"
_ABBR_AFTER = re.compile(r"的|引荐|介绍|推荐|提供|为|是|、|，|。|与|和|等|将|已|牵线|带动|主要|也|还|作为|负责人|董事长|总经理|先后|在|就|产值|营收|今年|去年")


def _abbreviations(text: str, found: list[NameMention]) -> list[NameMention]:
    """Contractions of a full name met elsewhere (中车株洲电力机车有限公司 → 中车株机).

    A 3–4 character token that starts like the name (without region), keeps the name's
    characters in order but is not a substring of it, and stands between a preposition or
    punctuation and a function word or referral verb.
    """
    out = []
    for m in found:
        if m.kind != "full":
            continue
        p = parse_name(m.text)
        core = m.text[len(p.region):len(m.text) - len(p.form)] if p.form else m.text[len(p.region):]
        core = re.sub(r"（[^（）]*）", "", core)
        if len(core) < 5:
            continue
        i = text.find(core[:2])
        while i >= 0:
            for n in (4, 3):
                tok = text[i:i + n]
                if (len(tok) == n and tok not in core and is_subsequence(tok, core)
                        and all(NAME_CHARS.match(c) for c in tok)
                        and (i == 0 or text[i - 1] in _ABBR_BEFORE)
                        and _ABBR_AFTER.match(text, i + n)):
                    out.append(NameMention(tok, i, i + n, "alias", 0.6))
                    break
            i = text.find(core[:2], i + 1)
    return out


#: a bare trade name followed by one more word character and then a list/enumeration word is
#: a product or shop name (比亚迪汉等车型, 华为手机、小米之家等门店)
_RUNS_ON = re.compile(rf"[{CJK}A-Za-z]{{1,3}}(?:等|、)|手机|汽车(?!公司|集团)|牌|品牌|门店|专卖|之家")


def find_firm_mentions(text: str, known_names: list[str] | tuple[str, ...] = ()) -> list[NameMention]:
    """All firm mentions in normalised ``text``, non-overlapping, in text order.

    Parameters
    ----------
    text : str
        Normalised text.
    known_names : sequence of str
        Names of firms already known (from the graph); their occurrences count as mentions.

    Returns
    -------
    list of NameMention
    """
    found = _candidates(text)
    # a known firm's name counts in the text only when it has the shape of a name: not a
    # generic word a listed firm happens to use as its short name (机器人), not an outlet (新华网)
    known_set = _known_forms(tuple(known_names))
    extra = _occurrences(text, _text_forms(found) | known_set, known_set)
    return _one_per_stretch(found + extra + _abbreviations(text, found))


def _candidates(text: str) -> list[NameMention]:
    """What the finders find: full, short and list names, argument names where those found
    nothing, cut to a common suffix, then the siblings of enumerations."""
    found = full_names(text) + short_names(text) + list_items(text)
    covered = [(m.start, m.end) for m in found]
    found += [m for m in argument_names(text) if not any(m.start < e and s < m.end for s, e in covered)]
    found = _prefer_common_suffix(found)
    found += enumeration_items(text, found)
    return found


def _text_forms(found: list[NameMention]) -> set[str]:
    """Forms of the names found that may occur elsewhere in the text: the alias forms of full
    names, short and list names of 3+ characters, and such a name without a group prefix."""
    forms = set()
    for m in found:
        if m.kind == "full":
            forms.update(alias_forms(m.text))
        elif len(m.text) >= 3 and m.kind in ("short", "list"):
            forms.add(m.text)
            rest = m.text[2:]
            rp = parse_name(rest)
            if len(m.text) >= 6 and not parse_name(m.text).form and not REGION_AT.match(m.text) \
                    and rp.industry and valid_trade(rp.trade, bare=True):
                forms.add(rest)  # 某信丙丁彩印 → 丙丁彩印: a group's prefix dropped
    return forms


def _occurrences(text: str, forms: set[str], known_set: frozenset[str]) -> list[NameMention]:
    """Every occurrence of ``forms`` in ``text`` (kind ``known`` for a known firm's name, else
    ``alias``), except a bare name running on into a product or shop name."""
    extra = []
    for f in sorted(forms, key=len, reverse=True):
        i = text.find(f)
        if i < 0:
            continue
        bare = f not in known_set and not parse_name(f).industry and not parse_name(f).form
        while i >= 0:
            kind = "known" if f in known_set else "alias"
            if not (bare and _RUNS_ON.match(text, i + len(f))):
                extra.append(NameMention(f, i, i + len(f), kind, 0.8))
            i = text.find(f, i + 1)
    return extra


#: which mention wins a stretch of text: full names first, aliases last (then the longest)
_RANK = {"full": 0, "short": 1, "list": 2, "known": 3, "alias": 4}


def _one_per_stretch(mentions: list[NameMention]) -> list[NameMention]:
    """Non-overlapping mentions in text order, the best (:data:`_RANK`, longest, first) kept."""
    chosen: list[NameMention] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(mentions, key=lambda m: (_RANK[m.kind], -(m.end - m.start), m.start)):
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        chosen.append(m)
        taken.append((m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)


@functools.lru_cache(maxsize=4)
def _known_forms(known_names: tuple[str, ...]) -> frozenset[str]:
    """Known names that may count as mentions (once per list of names: parsing ~2,000 names
    per article cost 0.5 s)."""
    return frozenset(n for n in known_names if len(n) >= 2 and not is_non_firm(n) and _known_shape(n))


def _known_shape(name: str) -> bool:
    p = parse_name(name)
    trade = p.trade or name
    return trade not in lx.INDUSTRY_WORDS and trade not in SHORT_GENERIC and not REGION_AT.fullmatch(trade)


def _prefer_common_suffix(mentions: list[NameMention]) -> list[NameMention]:
    """Cut region-less names to a suffix that also occurs as a name on its own.

    ``盘活长丰集团`` becomes ``长丰集团`` when ``长丰集团`` is found elsewhere with another
    left context.
    """
    names = {m.text for m in mentions}
    out = []
    for m in mentions:
        best = m
        if not parse_name(m.text).region:
            for k in range(1, len(m.text) - 1):
                suf = m.text[k:]
                if suf in names and name_ok(suf, need_form=False, bare=m.kind == "list"):
                    best = NameMention(suf, m.start + k, m.end, m.kind, m.confidence)
                    break
        out.append(best)
    return out
