"""Company-name patterns: find firm mentions in normalised Chinese text.

A Chinese company name has the shape ``[region][trade name][industry words][（region）][legal
form]``, e.g. 湖南 + 骏捷 + 智能科技 + 有限公司.  News text also uses short names (trade +
industry word: 骏捷智能), bare trade names in enumerations (引进了巨鸿、米小乐等企业) and
``X公司``.  The left edge of a name is the hard part in unsegmented text; it is found from
region words (a strong anchor) or else after the right-most boundary word (a verb, a
preposition or a noun such as 企业) that leaves a valid trade name.

All offsets here are into the NORMALISED text; :mod:`chaingraph.ingest.extract` maps them
back to the original.

Examples
--------
>>> parse_name("湖南骏捷智能科技有限公司").trade
'骏捷'
>>> [m.text for m in find_firm_mentions("此行考察了深圳市华德共创科技有限公司。")]
['深圳市华德共创科技有限公司']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from chaingraph.ingest import lexicon as lx

_CJK = "\u4e00-\u9fff"
NAME_CHARS = re.compile(rf"[{_CJK}A-Za-z&·-]")
_REGION_WORDS = tuple(sorted(set(lx.PROVINCES + lx.CITIES), key=len, reverse=True))
_NOT_REGION = "市省县区的了和与及在是把被将等这那该其全我本各持进动"
#: a region word at a position: a province or city of the lexicon (with 省/市/自治区), or two
#: characters + 市/县 (湖南省, 永州市, 祁阳县)
REGION_AT = re.compile(
    "(?:" + "|".join(_REGION_WORDS) + ")(?:省|市|自治区)?|" + rf"(?:(?![{_NOT_REGION}])[{_CJK}]){{2}}(?:市|县)"
)
_ORG_FORM_RE = re.compile("|".join(lx.ORG_FORMS))
_GENERIC_PREFIX = ("该", "这", "那", "本", "各", "每", "其", "某", "全", "我", "你", "他", "她", "它", "咱",
                   "今年", "去年", "明年", "当年", "一家", "多家", "数家", "两家", "一批", "若干", "国有",
                   "市", "省", "县", "区", "原", "现", "新建", "该")
_MULTI_BOUNDARIES = tuple(w for w in lx.LEFT_BOUNDARIES if len(w) >= 2)
_STRONG_SHORT = (
    "智能科技", "电子科技", "科技", "电子", "智能", "精密压铸", "精密", "压铸", "机电", "电机", "光电",
    "新材料", "包装", "纺织", "鞋业", "数码", "医药", "药业", "生物", "化工", "机械", "电器",
    "电气", "实业", "五金", "模具", "塑胶", "光学", "通信", "通讯", "半导体", "微电子", "航空",
    "智造", "茶油", "纸业", "矿业", "建材", "电池", "锂业", "锂电", "磁业", "仪器", "精工", "重工",
    "服饰", "皮具", "箱包", "家居", "陶瓷", "食品", "集团", "股份", "新能源", "汽配", "电缆",
    "线缆", "环保", "物流", "汽车", "部件", "零部件",
)
_SHORT_GENERIC = lx.GENERIC_TRADES | set(
    "消费 人工 工业 汽车 军用 民用 医用 家用 光伏 信息 电子 核心 关键 基础 配套 整机 终端 智能 "
    "高新 高科 科技 生物 新 老 大 小 中 特色 优势 主导 新兴 未来 战略 数字 网络 园区 产业 行业 "
    "领域 环节 集群 链 企业 公司 冲压 抛光 电镀 焊接 注塑 组装".split()
)


@dataclass(frozen=True)
class NameParts:
    """A company name split into its parts (all normalised text)."""

    name: str
    region: str
    trade: str
    industry: str
    paren: str
    form: str

    @property
    def core(self) -> str:
        """Trade name plus industry words: the usual short form (骏捷智能科技)."""
        return self.trade + self.industry


@dataclass(frozen=True)
class NameMention:
    """A firm mention in normalised text.

    ``kind`` is ``full`` (legal name), ``short`` (trade + industry word or ``X公司``),
    ``list`` (item of an enumeration of firms), ``alias`` (a form of a full name met
    elsewhere in the text) or ``known`` (a name of a firm already in the graph).
    """

    text: str
    start: int
    end: int
    kind: str
    confidence: float


def parse_name(name: str) -> NameParts:
    """Split a firm name into region, trade name, industry words, parenthesis and legal form.

    Examples
    --------
    >>> p = parse_name("信征科技（永州）有限公司")
    >>> (p.trade, p.industry, p.paren, p.form)
    ('信征', '科技', '（永州）', '有限公司')
    """
    br = _BRANCH_OF.match(name)
    if br:  # 深圳市X精密模组有限公司宜宾分公司: the parent's parts, the branch in the form
        head = parse_name(br.group(1))
        return NameParts(name, head.region, head.trade, head.industry, head.paren, head.form + br.group(2))
    rest = name
    form = ""
    for f in lx.ORG_FORMS:
        if rest.endswith(f) and len(rest) > len(f):
            form, rest = f, rest[: -len(f)]
            break
    paren = ""
    m = re.search(r"（[^（）]{1,8}）$", rest) or re.search(r"(?<=[\u4e00-\u9fff]{2})（[^（）]{1,8}）(?=[\u4e00-\u9fff]{2})", rest)
    if m:  # 信征科技（永州）有限公司, 某闽（某县）风电有限公司: a place in brackets
        paren, rest = m.group(), rest[: m.start()] + rest[m.end():]
    region = ""
    while True:
        m = REGION_AT.match(rest)
        if not m or len(rest) - m.end() < 1:
            break
        region += m.group()
        rest = rest[m.end():]
    industry = ""
    changed = True
    while changed and rest:
        changed = False
        for w in lx.INDUSTRY_WORDS:
            if rest.endswith(w) and len(rest) > len(w) - (0 if industry else 0):
                if len(rest) == len(w) and not industry:
                    # the whole remainder is an industry word: keep it as the trade
                    break
                industry = w + industry
                rest = rest[: -len(w)]
                changed = True
                break
    return NameParts(name, region, rest, industry, paren, form)


_BRANCH_OF = re.compile(rf"(.+?(?:有限公司|股份公司|集团))([{_CJK}]{{2,4}}?(?:分公司|子公司|分厂))$")


def _width(trade: str) -> int:
    """Length of a trade name counting a run of Latin letters as one character (TCL华星 → 3)."""
    return len(re.sub(r"[A-Za-z]+", "A", trade))


def valid_trade(trade: str, *, bare: bool = False, anchored: bool = False) -> bool:
    """True if ``trade`` looks like a trade name (not a generic or function word).

    ``bare`` is for names with neither industry word nor legal form (list items), which
    must be 2–4 characters.  ``anchored`` is for names with a region word and a legal form,
    where words such as 联合 or 合作 may be part of the trade name (汇川联合).
    """
    if not 2 <= len(trade) <= (4 if bare else 8):
        return False
    if trade in lx.GENERIC_TRADES or (bare and trade in _SHORT_GENERIC):
        return False
    if any(c.isdigit() for c in trade):
        return False
    # 和/与/及 occur inside trade names (天和, 同和); accepted when a region and a legal form
    # anchor both ends of the name
    if any(c in lx.FUNCTION_CHARS and not (anchored and c in "和与及") for c in trade):
        return False
    if trade.startswith(_GENERIC_PREFIX) or trade in lx.INDUSTRY_WORDS:
        return False
    if trade in _REGION_WORDS:  # 中国航空工业供销上海有限公司 cut to 上海有限公司: a place, no trade name
        return False
    inner = trade
    if anchored:
        for w in lx.SOFT_BOUNDARIES:
            inner = inner.replace(w, "|")
    if any(w in inner for w in _MULTI_BOUNDARIES):
        return False
    if trade.endswith(lx.NON_FIRM_SUFFIXES):
        return False
    if _TIME_WORD.search(trade):
        return False
    return True


#: time phrases (近两年, 今年以来) that may stand before 公司 but are no trade names
_TIME_WORD = re.compile("[近今去明前后当同][一二两三四五六七八九十几多]?年|[一二两三四五六七八九十几多]年")


def is_non_firm(name: str) -> bool:
    """True for names of bodies that are not firms (government, park, university, bank …)."""
    if name.endswith(lx.NON_FIRM_SUFFIXES):
        return True
    if name.endswith(lx.MEDIA_SUFFIXES) or (name.endswith("网") and len(name) <= 3):
        return True  # 新华网, 人民网, 某某日报: the outlet of a byline or dateline
    return any(w in name for w in lx.FINANCIAL_WORDS)


def name_ok(name: str, *, need_form: bool, bare: bool = False) -> bool:
    """True if ``name`` as a whole has the shape of a firm's name (the test every candidate passes).

    ``need_form``: a legal form is required (full names); ``bare``: a name with neither industry
    word nor legal form may pass (items of enumerations, argument positions).
    """
    if is_non_firm(name):
        return False
    p = parse_name(name)
    if need_form and not p.form:
        return False
    if not p.form and not p.industry and not bare:
        return False
    if p.form in ("分公司", "子公司") and not p.industry and REGION_AT.fullmatch(p.trade):
        return False  # 衡阳分公司 alone: a branch is named with its parent's trade name
    if p.form == "厂" and p.trade.endswith("工") and not p.industry:  # 绿色工厂, 智能工厂: generic
        return False
    if p.form == "厂" and p.trade[:1] in "开办建设在有":
        return False  # 在雄安开鞋厂: a verb, not a plant's name
    if p.form == "厂" and p.region and not p.industry and 2 <= len(p.trade) <= 4 and not (
            p.trade in _SHORT_GENERIC or p.trade.startswith(_GENERIC_PREFIX)
            or any(c in lx.FUNCTION_CHARS for c in p.trade)):
        # region + product + 厂 (怀化卷烟厂, 永州电厂): a plant named after its product
        return True
    if p.form == "厂" and not p.industry:
        return False
    if p.form in ("公司", "集团", "厂") and p.region == "" and p.industry == "" and len(p.trade) > 4:
        return False
    if p.region and p.region in _REGION_WORDS and p.trade in lx.INDUSTRY_WORDS and p.form in (
            "集团", "集团有限公司", "股份有限公司", "集团股份有限公司", "有限公司", "有限责任公司"):
        return True  # 某省汽车集团: a province's or city's group named by its industry
    anchored = bool((p.region or p.paren) and p.form and p.form not in ("公司", "集团", "厂"))
    return valid_trade(p.trade, bare=bare and not p.industry and not p.form, anchored=anchored)


def _left_run(text: str, end: int, limit: int = 30) -> int:
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


_GROUP_PREFIX = re.compile("(" + "|".join(w for w in _MULTI_BOUNDARIES if w not in ("企业", "公司")) + rf")([{_CJK}]{{2}})$")


def _group_prefix_ok(pre: str) -> bool:
    return not (
        pre in lx.LEFT_BOUNDARIES or pre in lx.GENERIC_TRADES or pre in _SHORT_GENERIC
        or pre.startswith(_GENERIC_PREFIX) or any(c in lx.FUNCTION_CHARS for c in pre)
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
                m = re.search("(?:" + "|".join(_REGION_WORDS) + ")(?:省|市)?$", cand[:s])
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


_BRANCH = re.compile(rf"[{_CJK}]{{2,4}}?(?:分公司|子公司|分厂)")


def _full_names(text: str) -> list[NameMention]:
    out = _full_names_raw(text)
    merged: list[NameMention] = []
    for m in out:  # "X有限公司" + "宜宾分公司" → one branch name
        if merged and merged[-1].end == m.start and _BRANCH.fullmatch(m.text) and \
                merged[-1].text.endswith(("有限公司", "股份公司", "集团")):
            a = merged.pop()
            m = NameMention(a.text + m.text, a.start, m.end, "full", a.confidence)
        merged.append(m)
    return merged


def _full_names_raw(text: str) -> list[NameMention]:
    out = []
    for m in _ORG_FORM_RE.finditer(text):
        end = m.end()
        if m.group() == "厂" and re.match(r"\d|房|区|长", text[end:end + 1]):
            continue
        if m.group() == "厂" and text[m.start() - 1:m.start()] in ("设", "建", "办", "进", "出"):
            continue  # 投资设厂, 建厂, 进厂: verbs, not plant names
        if re.match(r"\d+(?:家|户|个)", text[end:]):
            continue
        start = _left_run(text, m.start())
        cand = text[start:end]
        s = trim_left(cand, need_form=True)
        if s is None:
            br = re.search(rf"(?:有限公司|股份公司|集团)([{_CJK}]{{2,4}}?分公司)$", text[max(0, m.start() - 12):end])
            if br and m.group() == "分公司":
                out.append(NameMention(br.group(1), end - len(br.group(1)), end, "full", 0.8))
            continue
        name = cand[s:]
        p = parse_name(name)
        conf = 0.95 if p.form not in ("公司", "集团", "厂") else 0.8
        if not p.region and not p.industry:
            conf -= 0.1
        kind = "full" if p.form not in ("公司",) else "short"
        out.append(NameMention(name, start + s, end, kind, conf))
    return out


_CONTEXT = re.compile(
    "(?=(?:相关负责人|负责人|董事长|总经理|副总经理|常务副总|副总|总裁|创始人|厂长|生产车间|"
    "与(?:园区|我区|该区|[一-鿿]{0,4}(?:经开区|高新区|开发区))|"
    "落户|入驻|投产|签约|紧锣密鼓|紧赶|紧急|整体回迁|成功引荐|引荐|带动|牵线|介绍|提供配套|先后为|的[一-鿿]{0,4}(?:车间|厂区|生产线|厂房)|从[\u4e00-\u9fff]{2,4}(?:整体)?回迁|是一家|主要生产|主要经营))"
)


def _short_names(text: str) -> list[NameMention]:
    out = []
    for m in _CONTEXT.finditer(text):
        end = m.start()
        start = _left_run(text, end, limit=16)
        cand = text[start:end]
        if not cand:
            continue
        s = trim_left(cand, need_form=False)
        if s is None:
            continue
        name = cand[s:]
        p = parse_name(name)
        if not p.industry or not any(p.industry.endswith(w) for w in _STRONG_SHORT):
            continue
        if not p.region and (_width(p.trade) > 4 or p.trade in _SHORT_GENERIC):
            continue
        out.append(NameMention(name, start + s, end, "short", 0.75 if p.region else 0.7))
    return out


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


def _list_items(text: str) -> list[NameMention]:
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
    for m in _HAS_LIST.finditer(text):
        # "还有A、B、C、D等。": a bare enumeration closing a sentence, after 还有/包括
        items = m.group(1).split("、")
        if len(items) >= 3:
            out += _items(items, m.start(1), False, cut_first=False, strict=True)
    for m in _PLACES_LIST.finditer(text):
        # "A、B、C等地": places visited; items shaped like firm names are firms when one of
        # them carries a legal form (甲铭电子、…、江苏乙力特、丙亚照明股份有限公司等地)
        items = m.group(1).split("、")
        if not any(_ORG_FORM_RE.search(it) and name_ok(it[-24:], need_form=True) for it in items):
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
    for run in _ENUM_RUN.finditer(text):
        # "甲奥木工机械张某、乙欣机械李某…等应邀同行": firm + person items
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
    for m in _LIST_VERB.finditer(text):
        # A、B、C followed by a counted or product noun phrase ending in 企业/项目 (no 等)
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
    if strict and sum(1 for it in items if _ACTIVITY_END.search(it) and not _ORG_FORM_RE.search(it)) * 2 >= len(items):
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
        if REGION_AT.fullmatch(item) or item in _REGION_WORDS or item in lx.MACRO_REGIONS:
            continue  # 广州、深圳、东莞等地多家企业: places
        if not name_ok(item, need_form=False, bare=True):
            continue
        p = parse_name(item)
        bare = not p.industry and not p.form
        if category_list and not p.form or "企业" in item or (strict and _ACTIVITY_END.search(item) and not p.form):
            continue
        out.append(NameMention(item, start, start + len(item), "list", 0.65 if bare else 0.8))
    return out


_ARG_CHARS = r"[^，。；：、“”（）《》\n\s\d]"
#: Argument positions of relation phrasing in which a bare name (no industry word, no legal
#: form) is a firm: 在X的带动下, 由X引荐, 经X推荐, X是…的链主企业/供应商, X的全资子公司, X旗下.
_ARG_POSITIONS = (
    re.compile(rf"在({_ARG_CHARS}{{2,14}}?)的(?:大力)?(?:带动|牵线|推荐|引荐|介绍|帮助|撮合|示范带动)下"),
    re.compile(rf"(?:由(?!于|此)|(?<![总已曾途神财行])经(?!理|过|济|营|销|历|验|常|开|费|贸)|通过)({_ARG_CHARS}{{2,14}}?)(?:的)?(?:引荐|推荐|介绍|牵线|搭桥)"),
    re.compile(rf"(?:^|(?<=[。；！？\n，]))({_ARG_CHARS}{{2,8}}?)(?=是[^，。；]{{0,18}}?的(?:上游|核心|主要|重要|长期|原料|链主|龙头)*(?:企业|供应商|供货商|配套商|客户|合作伙伴))"),
    re.compile(rf"({_ARG_CHARS}{{2,14}}?)(?=的(?:全资|控股)?子公司|旗下)"),
    # customers of "是X的(一级)供应商" and firms pulled in by "带动了C、D落户"
    re.compile(rf"(?<=是)({_ARG_CHARS}{{2,8}}?)(?=的[^，。；的]{{0,8}}?(?:供应商|供货商|配套商|配套企业))"),
    re.compile(rf"(?<=带动了|带动下)({_ARG_CHARS}{{2,8}}?)(?=、|落户|入驻|相继|先后)"),
    re.compile(rf"(?<=、)({_ARG_CHARS}{{2,8}}?)(?=带动了?)"),
    # investors joined before 共同/合资 (由A与B、C三方合资组建…): the first of them
    re.compile(rf"(?:由|^|(?<=[，。；]))({_ARG_CHARS}{{2,10}}?)(?=(?:与|和|同)[^，。；]{{2,40}}?(?:共同|合资|联合)(?:出资|投资|组建|设立|成立|创办))"),
    re.compile(rf"(?<=[、与和])({_ARG_CHARS}{{2,10}}?)(?=(?:、[^，。；]{{2,12}})*(?:三方|双方|各方)?(?:共同|合资|联合)(?:出资|投资|组建|设立|成立|创办))"),
)
#: names followed by a six-digit stock code (甲畅科技（000001）, 乙创电子（000002）)
_STOCK_CODE = re.compile(rf"((?:{_ARG_CHARS}){{2,10}}?)(?=（(?:[A-Z]{{0,2}}\d{{6}}|[^（）]{{0,6}}[，、：]\s?\d{{6}}|股票代码[：:]?\d{{6}})）)")
#: "…的X和…的Y两家企业": names before a count of firms (industry word or legal form needed)
_COUNTED_PAIR = re.compile(rf"的({_ARG_CHARS}{{2,8}}?)(?=(?:和|、|及)[^，。；]{{0,16}}?(?:两|三|四|五|几)家|(?:两|三|四|五|几)家[^，。；]{{0,8}}?企业)")
#: "总投资3.5亿元的丙源包装项目", "签约X汽车部件整体搬迁项目": the firm a project is named after
#: (a trade name and an industry word, nothing more)
_PROJECT_OF = re.compile(rf"(?:的|签约|引进|推动|开工|投产)({_ARG_CHARS}{{4,12}}?)(?:整体搬迁|扩建|新建|技改|一期|二期|三期)?项目")
#: "拟与X化工携手", "与X电子签约": the partner named by a trade name and an industry word
_PARTNER = re.compile(rf"(?<=与)({_ARG_CHARS}{{2,8}}?)(?=携手|签约|签订|合资|共建|联手)")
#: the firm an investment sets up (投资20亿元建设X电子): needs an industry word or a legal form
_SET_UP_OBJECT = re.compile(rf"(?:投资|出资|合资)[^，。；]{{0,12}}?(?:设立|组建|成立|创办|兴建|建设)了?({_ARG_CHARS}{{2,10}}?)(?=[，。；]|$)")
#: "为A、B提供/供应/配套": the customers of a supply statement.
_FOR_CUSTOMERS = re.compile(rf"为((?:{_ARG_CHARS}{{2,8}}、)*{_ARG_CHARS}{{2,8}}?)(?:[一两三四五六七八九十几多]+(?:个|款|种|条)(?:车型|产品|品牌|生产线|项目)?)?(?:提供|供应|供货|配套)")
#: "以A、B为龙头，C、D为配套": both groups are firms
_LEAD_GROUP = re.compile(rf"以((?:{_ARG_CHARS}{{2,8}}、)*{_ARG_CHARS}{{2,8}}?)为(?:龙头|链主)[，、]?(?={_ARG_CHARS}{{2,8}}(?:、{_ARG_CHARS}{{2,8}})*为配套)")
_SUPPORT_GROUP = re.compile(rf"为(?:龙头|链主)[，、]?((?:{_ARG_CHARS}{{2,8}}、)*{_ARG_CHARS}{{2,8}}?)为配套")
_NOT_ARG = re.compile(
    "书记|市长|区长|县长|省长|主任|局长|领导|部门|干部|政府|党委|朋友|老乡|乡贤|企业家|客商|大家|群众|客户|"
    "老板|同志|企业|公司|园区|项目|厂商|用户|市场|行业|产业|基地|全球|全国|国内|海外|双方|我们|他们|自己|人才|市民|社会"
)


def _arg_ok(name: str) -> bool:
    if not 2 <= _width(name) <= 6 or _NOT_ARG.search(name) or is_non_firm(name):
        return False
    if not all(NAME_CHARS.match(c) for c in name) or REGION_AT.fullmatch(name) or name in lx.MACRO_REGIONS:
        return False
    return name_ok(name, need_form=False, bare=True)


def _argument_names(text: str) -> list[NameMention]:
    """Bare names in an argument position of a relation phrase (在甲钢的带动下, 乙河电子是…的供应商)."""
    out = []
    for pat in _ARG_POSITIONS:
        for m in pat.finditer(text):
            a, b = m.span(1)
            s = trim_left(text[a:b], need_form=False, bare=True)
            if s is None:
                continue
            name = text[a + s:b]
            if _arg_ok(name):
                out.append(NameMention(name, a + s, b, "short", 0.6))
    for pat in (_STOCK_CODE, _SET_UP_OBJECT, _COUNTED_PAIR, _PROJECT_OF, _PARTNER):
        for m in pat.finditer(text):
            a, b = m.span(1)
            s0 = trim_left(text[a:b], need_form=False, bare=True)
            if s0 is None:
                continue
            name = text[a + s0:b]
            p = parse_name(name)
            if pat is _PROJECT_OF and (not p.industry or p.form or not valid_trade(p.trade, bare=True)
                                       or any(w in name for w in ("产业", "项目", "园"))):
                continue
            if (p.industry or p.form or pat is _STOCK_CODE) and _arg_ok(name):
                out.append(NameMention(name, a + s0, b, "short", 0.7))
    for pat in (_FOR_CUSTOMERS, _LEAD_GROUP, _SUPPORT_GROUP):
        for m in pat.finditer(text):
            pos = m.start(1)
            items = m.group(1).split("、")
            if all(_arg_ok(it) for it in items):
                for it in items:
                    out.append(NameMention(it, pos, pos + len(it), "short", 0.6))
                    pos += len(it) + 1
    return out


def alias_forms(name: str) -> list[str]:
    """Short forms of a full name that text may use for the same firm, longest first.

    Examples
    --------
    >>> alias_forms("湖南骏捷智能科技有限公司")
    ['骏捷智能科技', '湖南骏捷', '骏捷智能']
    """
    p = parse_name(name)
    if not valid_trade(p.trade, anchored=bool((p.region or p.paren) and p.form)):
        return []
    forms = []
    for j in range(2, len(p.industry) + 1):
        cand = p.trade + p.industry[:j]
        if parse_name(cand).trade == p.trade:
            forms.append(cand)
    # trade name + its last industry word (稀金新材料研究院 → 稀金研究院), + 集团 for groups
    words = _industry_words(p.industry) if p.industry else []
    if len(words) >= 2 and len(words[-1]) >= 2:
        forms.append(p.trade + words[-1])
    if "集团" in p.form and len(p.trade) >= 2:
        forms.append(p.trade + "集团")
    if words and len(words[0]) >= 3:  # 新材料 → 新材: 岳化新材
        forms.append(p.trade + words[0][:2])
    if p.form == "厂":  # 湖南中烟常德卷烟厂 → 常德卷烟厂: the plant named from its own city on
        for m in REGION_AT.finditer(p.trade):
            if m.start() > 0 and name_ok(p.trade[m.start():] + p.industry + "厂", need_form=True):
                forms.append(p.trade[m.start():] + p.industry + "厂")
                break
    br = _BRANCH_OF.match(name)
    if br and len(p.trade) >= 2:  # 甲乙科技某市分公司
        forms.append(p.trade + br.group(2))
    if p.region and p.region[-1] not in "省市县区" and len(p.trade) >= 2 and len(p.region) >= 2:
        forms.append(p.region + p.trade)  # 四川时代新能源科技有限公司 → 四川时代
    if len(p.trade) >= 3:
        forms.append(p.trade)
    return sorted(set(forms) - {name}, key=lambda f: (-len(f), f))


def _industry_words(industry: str) -> list[str]:
    """Split concatenated industry words (新材料研究院 → [新材料, 研究院])."""
    out = []
    rest = industry
    while rest:
        w = next((w for w in lx.INDUSTRY_WORDS if rest.endswith(w)), None)
        if w is None:
            return [industry]
        out.insert(0, w)
        rest = rest[: -len(w)]
    return out


_ENUM_ITEM = rf"[{_CJK}A-Za-z&·]{{2,24}}"
_ENUM_RE = re.compile(rf"{_ENUM_ITEM}(?:、{_ENUM_ITEM})+")
_ENUM_TAIL = re.compile(
    r"(?:等|相继|先后|陆续|已|均|都|也|纷纷|入驻|落户|签约|投产|开工|企业|公司|两家|三家|四家|五家|"
    r"一批|多家|\d|来|到|在|的|为|和|与|及)"
)


def _enumeration_items(text: str, found: list[NameMention]) -> list[NameMention]:
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


_ABBR_BEFORE = "在由经与和为、，。；：“”（\n"
_ABBR_AFTER = re.compile(r"的|引荐|介绍|推荐|提供|为|是|、|，|。|与|和|等|将|已|牵线|带动|主要|也|还|作为|负责人|董事长|总经理|先后|在|就|产值|营收|今年|去年")


def is_subsequence(short: str, long: str) -> bool:
    """True if the characters of ``short`` occur in ``long`` in order (a contraction: 中车株机)."""
    it = iter(long)
    return all(c in it for c in short)


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
_RUNS_ON = re.compile(rf"[{_CJK}A-Za-z]{{1,3}}(?:等|、)|手机|汽车(?!公司|集团)|牌|品牌|门店|专卖|之家")


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
    found = _full_names(text) + _short_names(text) + _list_items(text)
    covered = [(m.start, m.end) for m in found]
    found += [m for m in _argument_names(text) if not any(m.start < e and s < m.end for s, e in covered)]
    found = _prefer_common_suffix(found)
    found += _enumeration_items(text, found)
    abbrs = _abbreviations(text, found)
    # aliases of full names met in this text, and known names
    extra = []
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
    # a known firm's name counts in the text only when it has the shape of a name: not a
    # generic word a listed firm happens to use as its short name (机器人), not an outlet (新华网)
    known_set = _known_forms(tuple(known_names))
    forms.update(known_set)
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
    rank = {"full": 0, "short": 1, "list": 2, "known": 3, "alias": 4}
    chosen: list[NameMention] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(found + extra + abbrs, key=lambda m: (rank[m.kind], -(m.end - m.start), m.start)):
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
    return trade not in lx.INDUSTRY_WORDS and trade not in _SHORT_GENERIC and not REGION_AT.fullmatch(trade)


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
