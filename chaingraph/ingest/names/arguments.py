"""Bare names in argument positions of relation phrasing (在甲钢的带动下, 由X引荐,
乙河电子是…的供应商, 为A、B提供…), where a name without industry word or legal form is a firm.
"""

from __future__ import annotations

import re

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.names.edge import trim_left
from chaingraph.ingest.names.parts import (
    NAME_CHARS, REGION_AT, NameMention, is_non_firm, name_ok, parse_name, valid_trade, width,
)


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
    if not 2 <= width(name) <= 6 or _NOT_ARG.search(name) or is_non_firm(name):
        return False
    if not all(NAME_CHARS.match(c) for c in name) or REGION_AT.fullmatch(name) or name in lx.MACRO_REGIONS:
        return False
    return name_ok(name, need_form=False, bare=True)


def argument_names(text: str) -> list[NameMention]:
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
