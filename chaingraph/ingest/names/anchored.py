"""Names anchored on their right: by a legal form (full names: X有限公司, X厂, and a branch
X有限公司Y分公司) or by a right context (short names: X智能 before 落户, 董事长, 引荐 …).
"""

from __future__ import annotations

import re

from chaingraph.ingest.names.edge import left_run, trim_left
from chaingraph.ingest.names.parts import CJK, ORG_FORM_RE, SHORT_GENERIC, NameMention, parse_name, width


_STRONG_SHORT = (
    "智能科技", "电子科技", "科技", "电子", "智能", "精密压铸", "精密", "压铸", "机电", "电机", "光电",
    "新材料", "包装", "纺织", "鞋业", "数码", "医药", "药业", "生物", "化工", "机械", "电器",
    "电气", "实业", "五金", "模具", "塑胶", "光学", "通信", "通讯", "半导体", "微电子", "航空",
    "智造", "茶油", "纸业", "矿业", "建材", "电池", "锂业", "锂电", "磁业", "仪器", "精工", "重工",
    "服饰", "皮具", "箱包", "家居", "陶瓷", "食品", "集团", "股份", "新能源", "汽配", "电缆",
    "线缆", "环保", "物流", "汽车", "部件", "零部件",
)

_BRANCH = re.compile(rf"[{CJK}]{{2,4}}?(?:分公司|子公司|分厂)")


def full_names(text: str) -> list[NameMention]:
    """Names ending in a legal form (kind ``full``; ``short`` for a bare X公司), a branch
    name joined to its parent's (X有限公司 + 宜宾分公司)."""
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
    for m in ORG_FORM_RE.finditer(text):
        end = m.end()
        if m.group() == "厂" and re.match(r"\d|房|区|长", text[end:end + 1]):
            continue
        if m.group() == "厂" and text[m.start() - 1:m.start()] in ("设", "建", "办", "进", "出"):
            continue  # 投资设厂, 建厂, 进厂: verbs, not plant names
        if re.match(r"\d+(?:家|户|个)", text[end:]):
            continue
        start = left_run(text, m.start())
        cand = text[start:end]
        s = trim_left(cand, need_form=True)
        if s is None:
            br = re.search(rf"(?:有限公司|股份公司|集团)([{CJK}]{{2,4}}?分公司)$", text[max(0, m.start() - 12):end])
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


def short_names(text: str) -> list[NameMention]:
    """Trade name + a strong industry word before a right context (:data:`_CONTEXT`: 落户,
    董事长, 引荐 …), kind ``short``."""
    out = []
    for m in _CONTEXT.finditer(text):
        end = m.start()
        start = left_run(text, end, limit=16)
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
        if not p.region and (width(p.trade) > 4 or p.trade in SHORT_GENERIC):
            continue
        out.append(NameMention(name, start + s, end, "short", 0.75 if p.region else 0.7))
    return out
