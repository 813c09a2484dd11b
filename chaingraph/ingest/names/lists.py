"""Firm names in enumerations: A、B、C等企业, 引进A、B、C项目, 还有A、B、C等, firm + person
items of a guest list, A、B等地 with a legal form among them, and the siblings of a firm
already found in a 、-enumeration.
"""

from __future__ import annotations

import re

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.names.edge import trim_left
from chaingraph.ingest.names.parts import (
    CJK, NAME_CHARS, ORG_FORM_RE, REGION_AT, REGION_WORDS, NameMention, name_ok, parse_name,
)


_COUNT = r"(?:\d+|[一二两三四五六七八九十几数多]{1,3})(?:多|余)?(?:家|个|批)|一大批|一批"
_LIST_RE = re.compile(
    r"((?:[^，。；：、“”（）\n等]{1,20}、)*[^，。；：、“”（）\n等]{1,20})等"
    rf"(?:{_COUNT})?([\u4e00-\u9fff\d]{{0,10}}?)(?:企业|公司|项目|车企|厂商|厂家|品牌|主机厂|单位)(?!家)((?:{_COUNT})?)"
)
_BAD_FILLER = re.compile("环节|领域|方面|产品|部门|单位|机构|院校|高校|相关|类|型|平台|基地|园区|工程|行业(?!龙头|领军|头部|巨头)")
#: list items that end in one of these are activities, products or places, not firm names
#: (辅材制造、制鞋研发等项目; 园中园、智慧园区等平台)
_ACTIVITY_END = re.compile(
    "(?:制造|研发|设计|开发|加工|生产|建设|建筑|总部|配套|基地|中心|园区|园|产业|集群|平台|创汇|零部件|配件|"
    "终端|外壳|家电|仪器|材料|服务|工程|改造|升级|项目|之乡|之城|之都)$"
)
_GENERIC_FILLER = ("产业", "企业", "工业", "配套", "制造", "发展", "创新", "科技", "国际", "中国")
#: verbs that open an enumeration of firms without 等 (引进A、B、C项目; 走访了A、B和C)
_LIST_VERB = re.compile(r"(?:先后|相继|陆续|成功)?(?:引进了?|引入了?|走访了?|参观了?|聚集了?|集聚了?|聚集着|汇聚了?|"
                        r"促成了?|考察了?|拜访了?|对接了?|走进了?|来到了?|包括|拥有|培育了?)")
_HAS_LIST = re.compile(r"(?:还有|包括|诸如|例如)((?:[\u4e00-\u9fffA-Za-z]{2,6}、){2,}[\u4e00-\u9fffA-Za-z]{2,6})等(?=[。；！]|$)")
_PLACES_LIST = re.compile(r"((?:[^，。；：、“”（）\n等]{2,24}、)+[^，。；：、“”（）\n等]{2,24})等地")
_ENUM_RUN = re.compile(r"[\u4e00-\u9fff]{4,16}(?:、[\u4e00-\u9fff]{4,16})+")
_LIST_NOUN = re.compile(r"(?:企业|项目|公司|主机厂|车企|厂商)$")
_LIST_COUNT = re.compile(rf"(?:{_COUNT}|[一二两三四五六七八九十几数多]{{1,3}}大)")


def list_items(text: str) -> list[NameMention]:
    """Firm names in the enumerations of ``text``, one finder per kind of list, in this order."""
    return (_etc_lists(text) + _closing_lists(text) + _place_lists(text) + _guest_lists(text)
            + _verb_lists(text))


def _etc_lists(text: str) -> list[NameMention]:
    """A、B、C等(12家)企业/公司/项目: a list of firms unless the items or the filler are
    categories (电子、机械等行业企业)."""
    out = []
    for m in _LIST_RE.finditer(text):
        pos = m.start(1)
        items = m.group(1).split("、")
        if len(items) >= 1 and re.search(r"[^和及与]{2,}(?:和|及|以及|与)[^和及与]{2,}$", items[-1]):
            # "甲星车业和乙千模具等公司": the last item holds two names
            head, sep, tail_ = re.split(r"(和|及|以及|与)", items[-1], maxsplit=1)
            if name_ok(tail_, need_form=False, bare=True):
                last_start = m.end(1) - len(items[-1])
                items = items[:-1] + [head]
                out += _items([tail_], last_start + len(head) + len(sep), False, cut_first=False)
        filler = m.group(2) or ""
        counted = bool(re.search(_COUNT, m.group(0)[len(m.group(1)):]))
        n_industry = sum(parse_name(it[-6:]).trade in lx.INDUSTRY_WORDS for it in items)
        category_list = (
            n_industry * 2 >= len(items) or (n_industry and not counted)
            or (not counted and _BAD_FILLER.search(filler) is not None)
            or (not counted and any(w in filler for w in lx.INDUSTRY_WORDS if w not in _GENERIC_FILLER))
        )
        out += _items(items, pos, category_list, strict=not m.group(0).endswith(("企业", "公司")))
    return out


def _closing_lists(text: str) -> list[NameMention]:
    """还有A、B、C、D等。: a bare enumeration closing a sentence, after 还有/包括."""
    out = []
    for m in _HAS_LIST.finditer(text):
        items = m.group(1).split("、")
        if len(items) >= 3:
            out += _items(items, m.start(1), False, cut_first=False, strict=True)
    return out


def _place_lists(text: str) -> list[NameMention]:
    """A、B、C等地: places visited; items shaped like firm names are firms when one of them
    carries a legal form (甲铭电子、…、江苏乙力特、丙亚照明股份有限公司等地)."""
    out = []
    for m in _PLACES_LIST.finditer(text):
        items = m.group(1).split("、")
        if not any(ORG_FORM_RE.search(it) and name_ok(it[-24:], need_form=True) for it in items):
            continue
        pos = m.start(1)
        for it in items:
            start, pos = pos, pos + len(it) + 1
            s0 = trim_left(it, need_form=False, bare=True)
            if s0 is None:
                continue
            name = it[s0:]
            p = parse_name(name)
            if name and (p.form or p.industry or (p.region and len(p.trade) >= 2)) and \
                    name_ok(name, need_form=False, bare=True) and "企业" not in name:
                out.append(NameMention(name, start + s0, start + len(it), "list", 0.7))
    return out


def _guest_lists(text: str) -> list[NameMention]:
    """甲奥木工机械张某、乙欣机械李某…等应邀同行: firm + person items (two or more)."""
    out = []
    for run in _ENUM_RUN.finditer(text):
        pos, hits = run.start(), []
        for it in run.group().split("、"):
            start, pos = pos, pos + len(it) + 1
            it = re.split(r"等|一行|分别|先后|应邀", it)[0]
            for k in (2, 3):
                name, person = it[:-k], it[-k:]
                if len(it) > k + 3 and person[0] in lx.SURNAMES and len(name) >= 4 and parse_name(name).industry \
                        and not parse_name(name).form:
                    s0 = trim_left(name, need_form=False)
                    if s0 is not None:
                        hits.append(NameMention(name[s0:], start + s0, start + len(name), "list", 0.65))
                    break
        if len(hits) >= 2:
            out += hits
    return out


def _verb_lists(text: str) -> list[NameMention]:
    """引进了A、B、C项目: after a verb, A、B、C followed by a counted or product noun phrase
    ending in 企业/项目 (no 等)."""
    out = []
    for m in _LIST_VERB.finditer(text):
        seg = re.match(r"[^，。；：“”（）\n等]{2,200}", text[m.end():])
        if not seg or "、" not in seg.group():
            continue
        items = seg.group().split("、")
        last = items[-1]
        others = items[:-1]
        if not all(NAME_CHARS.match(c) for it in others for c in it):
            continue
        if not _LIST_NOUN.search(last):
            continue
        head = last
        cnt = _LIST_COUNT.search(head)
        if cnt:  # 某工集团三大主机厂
            head = head[: cnt.start()]
        else:
            head = _LIST_NOUN.sub("", head)
        widths = sorted(len(it) for it in others)
        w = widths[len(widths) // 2]
        if len(head) > w + 1:  # 五羊电动车整车项目: the name is as long as its siblings
            head = head[:w] if name_ok(head[:w], need_form=False, bare=True) else head
        items = others + [head]
        out += _items(items, m.end(), False, cut_first=False, strict=True)
    return out


def _items(items: list[str], pos: int, category_list: bool, cut_first: bool = True,
           strict: bool = False) -> list[NameMention]:
    """Firm names among enumeration ``items`` (``strict``: the list is not headed by 企业/公司,
    so every item without a legal form must look like a name, not an activity or product)."""
    if strict and category_list:
        return []
    if strict and sum(1 for it in items if _ACTIVITY_END.search(it) and not ORG_FORM_RE.search(it)) * 2 >= len(items):
        return []
    out = []
    for k, item in enumerate(items):
        start = pos
        pos += len(item) + 1
        if k == 0 and cut_first:
            s = trim_left(item, need_form=False, bare=True)
            if s is None:
                continue
            item, start = item[s:], start + s
        item = re.sub(r"（\d{6}）$", "", item)  # a stock code after the name
        if not item or not all(NAME_CHARS.match(c) for c in item):
            continue
        if REGION_AT.fullmatch(item) or item in REGION_WORDS or item in lx.MACRO_REGIONS:
            continue  # 广州、深圳、东莞等地多家企业: places
        if not name_ok(item, need_form=False, bare=True):
            continue
        p = parse_name(item)
        bare = not p.industry and not p.form
        if category_list and not p.form or "企业" in item or (strict and _ACTIVITY_END.search(item) and not p.form):
            continue
        out.append(NameMention(item, start, start + len(item), "list", 0.65 if bare else 0.8))
    return out


_ENUM_ITEM = rf"[{CJK}A-Za-z&·]{{2,24}}"
_ENUM_RE = re.compile(rf"{_ENUM_ITEM}(?:、{_ENUM_ITEM})+")
_ENUM_TAIL = re.compile(
    r"(?:等|相继|先后|陆续|已|均|都|也|纷纷|入驻|落户|签约|投产|开工|企业|公司|两家|三家|四家|五家|"
    r"一批|多家|\d|来|到|在|的|为|和|与|及)"
)


def enumeration_items(text: str, found: list[NameMention]) -> list[NameMention]:
    """Other items of a 、-enumeration in which some item is already a firm mention.

    ``吸引了配套企业恒昌五金、宏宇模具、立达包装入驻``: once 立达包装 is a firm (by its right
    context), its siblings of the same shape are firms too.  Items must still parse as firm
    names; bare trade names are accepted only next to other short names.
    """
    by_span = {(m.start, m.end): m for m in found}
    starts = {m.start: m for m in found}
    ends = {m.end: m for m in found}
    out = []
    for run in _ENUM_RE.finditer(text):
        items, pos = [], run.start()
        for it in run.group().split("、"):
            items.append((pos, pos + len(it)))
            pos += len(it) + 1
        spans = []
        for k, (a, b) in enumerate(items):
            last = k == len(items) - 1
            if k > 0 and a in starts and starts[a].end < b:
                b, last = starts[a].end, True
            elif k > 0:
                mt = _ENUM_TAIL.search(text, a + 2, b)
                if mt:  # an item followed by other words ends the enumeration
                    b, last = mt.start(), True
            if k == 0:  # first item: cut its left context
                if b in ends:
                    a = ends[b].start
                else:
                    s = trim_left(text[a:b], need_form=False, bare=True)
                    if s is None:
                        spans.append(None)
                        continue
                    a += s
            spans.append((a, b))
            if last:
                break
        hits = [sp for sp in spans if sp and sp in by_span]
        if not hits:
            continue
        shorts = any(by_span[sp].kind in ("short", "list", "alias", "known") for sp in hits)
        for sp in spans:
            if sp is None or sp in by_span:
                continue
            a, b = sp
            item = text[a:b]
            if a > 0 and text[a - 1].isdigit() or "企业" in item or _ACTIVITY_END.search(item):
                continue
            if not 2 <= len(item) <= 24 or not name_ok(item, need_form=False, bare=True):
                continue
            p = parse_name(item)
            bare = not p.industry and not p.form
            if bare and not shorts:
                continue
            out.append(NameMention(item, a, b, "list", 0.65 if bare else 0.75))
    return out
