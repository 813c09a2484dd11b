"""What a firm's name looks like: its parts, the tests a candidate passes, its short forms.

A Chinese company name has the shape ``[region][trade name][industry words][（region）][legal
form]``, e.g. 湖南 + 骏捷 + 智能科技 + 有限公司 (:func:`parse_name`).  :func:`valid_trade` and
:func:`name_ok` decide whether a candidate has that shape; :func:`alias_forms` lists the
short forms text may use for a full name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chaingraph.ingest import lexicon as lx

CJK = "\u4e00-\u9fff"  # for character classes: [{CJK}]
#: characters a name may hold
NAME_CHARS = re.compile(rf"[{CJK}A-Za-z&·-]")
#: provinces and cities of the lexicon, longest first
REGION_WORDS = tuple(sorted(set(lx.PROVINCES + lx.CITIES), key=len, reverse=True))
_NOT_REGION = "市省县区的了和与及在是把被将等这那该其全我本各持进动"
#: a region word at a position: a province or city of the lexicon (with 省/市/自治区), or two
#: characters + 市/县 (湖南省, 永州市, 祁阳县)
REGION_AT = re.compile(
    "(?:" + "|".join(REGION_WORDS) + ")(?:省|市|自治区)?|" + rf"(?:(?![{_NOT_REGION}])[{CJK}]){{2}}(?:市|县)"
)
#: a legal form (有限公司, 集团, 厂 …): the right edge of a full name
ORG_FORM_RE = re.compile("|".join(lx.ORG_FORMS))
#: words that open a noun phrase, never a trade name (该, 一批, 今年 …)
GENERIC_PREFIX = ("该", "这", "那", "本", "各", "每", "其", "某", "全", "我", "你", "他", "她", "它", "咱",
                  "今年", "去年", "明年", "当年", "一家", "多家", "数家", "两家", "一批", "若干", "国有",
                  "市", "省", "县", "区", "原", "现", "新建", "该")
#: boundary words of two characters or more: a trade name holding one is cut wrong
MULTI_BOUNDARIES = tuple(w for w in lx.LEFT_BOUNDARIES if len(w) >= 2)
#: words that are no trade name of a short or bare name (消费, 工业, 智能, 企业 …)
SHORT_GENERIC = lx.GENERIC_TRADES | set(
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


_BRANCH_OF = re.compile(rf"(.+?(?:有限公司|股份公司|集团))([{CJK}]{{2,4}}?(?:分公司|子公司|分厂))$")


def width(trade: str) -> int:
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
    if trade in lx.GENERIC_TRADES or (bare and trade in SHORT_GENERIC):
        return False
    if any(c.isdigit() for c in trade):
        return False
    # 和/与/及 occur inside trade names (天和, 同和); accepted when a region and a legal form
    # anchor both ends of the name
    if any(c in lx.FUNCTION_CHARS and not (anchored and c in "和与及") for c in trade):
        return False
    if trade.startswith(GENERIC_PREFIX) or trade in lx.INDUSTRY_WORDS:
        return False
    if trade in REGION_WORDS:  # 中国航空工业供销上海有限公司 cut to 上海有限公司: a place, no trade name
        return False
    inner = trade
    if anchored:
        for w in lx.SOFT_BOUNDARIES:
            inner = inner.replace(w, "|")
    if any(w in inner for w in MULTI_BOUNDARIES):
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
            p.trade in SHORT_GENERIC or p.trade.startswith(GENERIC_PREFIX)
            or any(c in lx.FUNCTION_CHARS for c in p.trade)):
        # region + product + 厂 (怀化卷烟厂, 永州电厂): a plant named after its product
        return True
    if p.form == "厂" and not p.industry:
        return False
    if p.form in ("公司", "集团", "厂") and p.region == "" and p.industry == "" and len(p.trade) > 4:
        return False
    if p.region and p.region in REGION_WORDS and p.trade in lx.INDUSTRY_WORDS and p.form in (
            "集团", "集团有限公司", "股份有限公司", "集团股份有限公司", "有限公司", "有限责任公司"):
        return True  # 某省汽车集团: a province's or city's group named by its industry
    anchored = bool((p.region or p.paren) and p.form and p.form not in ("公司", "集团", "厂"))
    return valid_trade(p.trade, bare=bare and not p.industry and not p.form, anchored=anchored)


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


def is_subsequence(short: str, long: str) -> bool:
    """True if the characters of ``short`` occur in ``long`` in order (a contraction: 中车株机)."""
    it = iter(long)
    return all(c in it for c in short)
