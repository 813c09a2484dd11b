"""Company-name patterns: find firm mentions in normalised Chinese text.

A Chinese company name has the shape ``[region][trade name][industry words][（region）][legal
form]``, e.g. 湖南 + 骏捷 + 智能科技 + 有限公司.  News text also uses short names (trade +
industry word: 骏捷智能), bare trade names in enumerations (引进了巨鸿、米小乐等企业) and
``X公司``.  The left edge of a name is the hard part in unsegmented text; it is found from
region words (a strong anchor) or else after the right-most boundary word (a verb, a
preposition or a noun such as 企业) that leaves a valid trade name.

All offsets here are into the NORMALISED text; :mod:`chaingraph.ingest.extract` maps them
back to the original.  The stages, lowest first: :mod:`.parts` (what a name looks like),
:mod:`.edge` (its left edge), the finders :mod:`.anchored` (legal form or right context),
:mod:`.lists` (enumerations) and :mod:`.arguments` (argument positions of relation
phrasing), and :mod:`.mentions` (all of them, plus the forms of names met elsewhere, one
mention per stretch of text).

Examples
--------
>>> parse_name("湖南骏捷智能科技有限公司").trade
'骏捷'
>>> [m.text for m in find_firm_mentions("此行考察了深圳市华德共创科技有限公司。")]
['深圳市华德共创科技有限公司']
"""

from __future__ import annotations

from chaingraph.ingest.names.edge import trim_left
from chaingraph.ingest.names.mentions import find_firm_mentions
from chaingraph.ingest.names.parts import (
    REGION_AT, NameMention, NameParts, alias_forms, is_non_firm, is_subsequence, name_ok, parse_name, valid_trade,
)

__all__ = [
    "REGION_AT", "NameMention", "NameParts", "alias_forms", "find_firm_mentions", "is_non_firm", "is_subsequence",
    "name_ok", "parse_name", "trim_left", "valid_trade",
]
