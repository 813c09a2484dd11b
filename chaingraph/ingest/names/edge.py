"""The left edge of a name in unsegmented text.

A name's right edge is found by its legal form or its right context; its left edge is found
from region words (a strong anchor) or else after the right-most boundary word (a verb, a
preposition or a noun such as 企业) that leaves a valid trade name (:func:`trim_left`).
"""

from __future__ import annotations

import re

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.names.parts import (
    CJK, GENERIC_PREFIX, MULTI_BOUNDARIES, NAME_CHARS, REGION_AT, REGION_WORDS, SHORT_GENERIC, name_ok, parse_name,
)


def left_run(text: str, end: int, limit: int = 30) -> int:
    """Start of the run of name characters (and one region parenthesis) ending at ``end``."""
    i = end
    while i > 0 and end - i < limit:
        c = text[i - 1]
        if c == "）":
            j = text.rfind("（", max(0, i - 10), i - 1)
            if j < 0:
                break
            i = j
            continue
        if not NAME_CHARS.match(c):
            break
        i -= 1
    return i


_GROUP_PREFIX = re.compile("(" + "|".join(w for w in MULTI_BOUNDARIES if w not in ("企业", "公司")) + rf")([{CJK}]{{2}})$")


def _group_prefix_ok(pre: str) -> bool:
    return not (
        pre in lx.LEFT_BOUNDARIES or pre in lx.GENERIC_TRADES or pre in SHORT_GENERIC
        or pre.startswith(GENERIC_PREFIX) or any(c in lx.FUNCTION_CHARS for c in pre)
        or REGION_AT.match(pre) or pre in lx.INDUSTRY_WORDS
        or any(w in pre for w in lx.LEFT_BOUNDARIES if len(w) == 1)
    )


def trim_left(cand: str, *, need_form: bool, bare: bool = False) -> int | None:
    """Offset in ``cand`` where the firm name starts, or ``None`` if no valid name ends it.

    Region words are tried first (right-most that leaves a valid name, then extended left over
    chained regions such as 湖南省永州市); otherwise the right-most boundary word that leaves
    a valid name; otherwise the whole candidate.
    """
    region_starts = [m.start() for m in REGION_AT.finditer(cand)]
    for s in sorted(set(region_starts), reverse=True):
        if name_ok(cand[s:], need_form=need_form, bare=bare):
            while True:
                m = re.search("(?:" + "|".join(REGION_WORDS) + ")(?:省|市)?$", cand[:s])
                if not m:
                    break
                s = m.start()
            # a group prefix before the region (中车株洲…, 国网湖南…) right after a verb
            m = _GROUP_PREFIX.search(cand[:s])
            if m and _group_prefix_ok(m.group(2)):
                s = m.start(2)
            return s
    starts = {0}
    for w in lx.LEFT_BOUNDARIES:
        i = cand.find(w)
        while i >= 0:
            # one character then a preposition-like character is a word (华为, 同和), not a cut
            if not (len(w) == 1 and i == 1) or cand[0] in "他她它我你咱其":  # 他的X: a cut
                starts.add(i + len(w))
            i = cand.find(w, i + 1)
    for s in sorted(starts, reverse=True):
        if s < len(cand) and name_ok(cand[s:], need_form=need_form, bare=bare):
            for w in lx.SOFT_BOUNDARIES:  # 了某利华（某省）有限公司: a soft word opens the name
                if cand[:s].endswith(w) and (s - len(w)) in starts and parse_name(cand[s - len(w):]).form \
                        and name_ok(cand[s - len(w):], need_form=need_form, bare=bare):
                    return s - len(w)
            if s == 1 and cand[0] in _WEAK_BOUNDARIES and parse_name(cand).form \
                    and name_ok(cand, need_form=need_form, bare=bare):
                return 0  # 、新时达机器人公司: 新 opens the name
            if s >= 2 and cand[s - 1] in _WEAK_BOUNDARIES and (s - 1) in starts \
                    and name_ok(cand[s - 1:], need_form=need_form, bare=bare):
                return s - 1
            return s
    return None


#: one-character adjectives that end a left context (新落户的X) but may also start a trade
#: name when they follow another boundary (旗下的新宏源…)
_WEAK_BOUNDARIES = "新老"
