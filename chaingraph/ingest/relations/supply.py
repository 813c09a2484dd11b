"""Supply ties: firm A supplies firm B (``supply``, supplier → customer).

Read from "B是A的核心供应商", "为其提供…的B", "A为B提供/配套", "A供应B", "上游/下游",
"A给B、C供料", "是A、B等…的供应商", "以A、B为龙头，C、D为配套", "拿到了A的订单",
"上游有A，下游有B和C" and "其供应商——B".
"""

from __future__ import annotations

import re

from chaingraph.ingest.model import Relation, Resolved
from chaingraph.ingest.relations.context import Article, Sentence, subject, within

_SUPPLY_FOR = re.compile(r"为(?!其)([^，。；]{0,30}?)(?:提供)?配套")
_FOR_CUST = re.compile(r"为(?!其|了|企业|园区|客户|项目)")
_SUPPLY_VERB = re.compile(r"供应(?!商|链)|供货(?!商)|提供")
_UPSTREAM = re.compile(r"(?:其)?(?:上游|核心|主要|重要|一级)*(?:供应商|供货商|配套商)|上游(?:企业|配套企业|厂商)?")
#: "B是A的核心供应商": the supplier is the subject, the customer follows 是.
_IS_SUPPLIER = re.compile(r"(?:是|为|成为)(?=[^，。；]{2,30}?的[^，。；的]{0,8}?(?:供应商|供货商|配套商))")
#: "为其提供电池结构件配套的B、提供电解液的C": suppliers follow, the customer is 其.
_FOR_IT = re.compile(r"为其(?:提供|供应)[^，。；]{0,20}?的")
_DOWNSTREAM = re.compile(r"下游(?:客户|企业|厂商)?|客户")
#: "A给/为B、C供料": customers between the preposition and the supply verb
_GIVE = re.compile(r"(?:给|为|向)(?!其|了|企业|园区|客户|项目|当地|本地)([^，。；]{2,40}?)(?:[^，。；、]{0,10}?)(?:供料|供货|供应|提供|配套|供给|生产)")
#: "是A、B等…的(一、二级)供应商/上游": customers inside the 是…的 phrase
_SUPPLIER_OF = re.compile(r"(?:是|成为|为|作为)([^，。；]{2,40}?)的[^，。；的]{0,16}?(?:供应商|供货商|配套商|配套企业|配套厂|上游)")
#: "以A、B为龙头，C、D为配套": C, D supply A, B (collective)
_LEAD_AND_SUPPORT = re.compile(r"以([^，。；]{2,40}?)为(?:龙头|核心|主导|链主)[，、]?([^，。；]{2,40}?)为配套")
#: "拿到了A的订单": the subject supplies A
_ORDER_FROM = re.compile(r"(?:拿到|拿下|获得|接到|赢得|斩获)了?([^，。；]{2,20}?)的[^，。；的]{0,8}?订单")
#: "上游有A，下游有B和C": A supplies the subject; the subject supplies B, C
_UP_DOWN = re.compile(r"(上游|下游)(?:企业|客户|厂商)?(?:有|是|为|包括)([^，。；]{2,40})")
#: "其(主要)…供应商——B": B supplies the subject
_ITS_SUPPLIER = re.compile(r"(?:其|它的|他们的)[^，。；]{0,12}?(?:供应商|供货商|配套商)(?:——|—|-|：|为|是|，)")


def supply_triggers(doc: Article, s: Sentence) -> None:
    """The supply rules that read a trigger word between two firms, in this order."""
    for rule in (_is_supplier, _for_it, _for_customers, _supply_for, _supply_verb, _upstream, _downstream):
        rule(doc, s)


def _run_after(t: str, ms: list[Resolved], pos: int, slack: int) -> list[Resolved]:
    """Mentions from ``pos`` on joined by 、/和/及 (an enumeration)."""
    out = [r for r in ms if pos <= r.start <= pos + slack][:1]
    while out:
        nxt = [r for r in ms if r.start > out[-1].end and re.fullmatch(r"、|和|及|以及|与", t[out[-1].end:r.start])]
        if not nxt:
            break
        out.append(nxt[0])
    return out


def _is_supplier(doc: Article, s: Sentence) -> None:
    """B是A的核心供应商."""
    t, ss, ms = doc.text, s.start, s.mentions
    for m in _IS_SUPPLIER.finditer(s.text):
        tp = ss + m.start()
        subj = [r for r in ms if r.end <= tp and not re.search(r"[，。；]", t[r.end:tp])]
        obj = [r for r in ms if ss + m.end() <= r.start <= ss + m.end() + 1]
        if subj and obj and subj[-1].key != obj[0].key:
            doc.add(Relation("supply", subj[-1].key, obj[0].key, doc.span(subj[-1].start, obj[0].end + 5), 0.75))


def _for_it(doc: Article, s: Sentence) -> None:
    """A…，为其提供电池结构件配套的B、提供电解液的C: B and C supply A."""
    t, ss, se, ms = doc.text, s.start, s.end, s.mentions
    for m in _FOR_IT.finditer(s.text):
        tp = ss + m.start()
        cust = [r for r in ms if r.end <= tp]
        sup = _run_after(t, ms, ss + m.end(), 0)
        if sup:  # "、提供电解液的C" continues the list of suppliers
            for m2 in re.finditer(r"、(?:提供|供应)[^，。；、]{0,20}?的", t[sup[-1].end:se]):
                if m2.start() != 0:
                    break
                more = [r for r in ms if r.start == sup[-1].end + m2.end()]
                if not more:
                    break
                sup.append(more[0])
        for r in sup:
            if cust and cust[-1].key != r.key:
                doc.add(Relation("supply", r.key, cust[-1].key, doc.span(cust[-1].start, r.end), 0.65))


def _for_customers(doc: Article, s: Sentence) -> None:
    """A为B、C提供/供应/配套: A supplies B and C."""
    t, ss, ms = doc.text, s.start, s.mentions
    for m in _FOR_CUST.finditer(s.text):
        tp = ss + m.start()
        subj = [r for r in ms if r.end <= tp and not re.search(r"[。；]", t[r.end:tp])]
        custs = _run_after(t, ms, tp + 1, 0)
        if not subj or not custs:
            continue
        end = custs[-1].end
        if not re.match(r"(?:提供|供应|供货|配套|生产)", t[end:end + 2]):
            continue
        sup = subj[-1]
        if re.search(r"[，]", t[sup.end:tp]):  # the subject is the head of the sentence
            sup = subj[0] if not re.search(r"[，]", t[ss:subj[0].start]) else subj[-1]
        for c in custs:
            if c.key != sup.key:
                doc.add(Relation("supply", sup.key, c.key, doc.span(sup.start, end + 2), 0.7))


def _supply_for(doc: Article, s: Sentence) -> None:
    """A为B配套."""
    ss, ms = s.start, s.mentions
    for m in _SUPPLY_FOR.finditer(s.text):
        tp = ss + m.start()
        subj = [r for r in ms if r.end <= tp]
        obj = [r for r in ms if tp < r.start < ss + m.end()]
        if obj and obj[0].start > tp + 1:
            obj = []
        if subj and obj and subj[-1].key != obj[0].key:
            doc.add(Relation("supply", subj[-1].key, obj[0].key, doc.span(subj[-1].start, ss + m.end()), 0.7))


def _supply_verb(doc: Article, s: Sentence) -> None:
    """A供应/供货/提供B (B within 6 characters of the verb)."""
    t, ss, ms = doc.text, s.start, s.mentions
    for m in _SUPPLY_VERB.finditer(s.text):
        tp = ss + m.start()
        subj = [r for r in ms if r.end <= tp]
        obj = [r for r in ms if ss + m.end() <= r.start <= ss + m.end() + 6]
        if obj and "的" in t[ss + m.end():obj[0].start]:  # "提供电解液的C": C is the supplier
            obj = []
        if subj and obj and subj[-1].key != obj[0].key:
            doc.add(Relation("supply", subj[-1].key, obj[0].key, doc.span(subj[-1].start, obj[0].end), 0.65))


def _upstream(doc: Article, s: Sentence) -> None:
    """A的(核心)供应商B、C: B and C supply A."""
    t, ss, ms = doc.text, s.start, s.mentions
    for m in _UPSTREAM.finditer(s.text):
        tp = ss + m.start()
        subj = [r for r in ms if r.end <= tp]
        for o in _run_after(t, ms, ss + m.end(), 2):
            if subj and subj[-1].key != o.key:
                doc.add(Relation("supply", o.key, subj[-1].key, doc.span(subj[-1].start, o.end), 0.65))


def _downstream(doc: Article, s: Sentence) -> None:
    """A的下游客户B: A supplies B."""
    t, ss, ms = doc.text, s.start, s.mentions
    for m in _DOWNSTREAM.finditer(s.text):
        tp = ss + m.start()
        subj = [r for r in ms if r.end <= tp and not re.search(r"[，。；]", t[r.end:tp])]
        obj = [r for r in ms if ss + m.end() <= r.start <= ss + m.end() + 2]
        if subj and obj and subj[-1].key != obj[0].key:
            doc.add(Relation("supply", subj[-1].key, obj[0].key, doc.span(subj[-1].start, obj[0].end), 0.6))


def supply_phrases(doc: Article, s: Sentence) -> None:
    """Supply phrasing with the customers inside the phrase (给B供料, 是B的供应商, 以…为龙头…为配套,
    拿到了B的订单, 上游有…下游有…, 其供应商——B)."""
    _customers_in_phrase(doc, s)
    _lead_and_support(doc, s)
    _up_and_down(doc, s)
    _its_supplier(doc, s)


def _supply(doc: Article, sup: Resolved, cus: Resolved, a: int, b: int, conf: float, collective: bool = False) -> None:
    if sup.key != cus.key:
        doc.add(Relation("supply", sup.key, cus.key, doc.evidence(a, b), conf, collective=collective))


def _customers_in_phrase(doc: Article, s: Sentence) -> None:
    """A给/为B、C供料; A是B、C等的供应商; A拿到了B的订单: A supplies the firms in the phrase."""
    t, ss, ms = doc.text, s.start, s.mentions
    for pat in (_GIVE, _SUPPLIER_OF, _ORDER_FROM):
        for m in pat.finditer(s.text):
            a, b = ss + m.start(1), ss + m.end(1)
            if pat is _GIVE:  # 为比亚迪两个车型供应: the customer may run into the filler
                b = ss + m.end() - 2
            custs = within(ms, a, b)
            if not custs:
                continue
            if pat is _SUPPLIER_OF and re.search(r"的", t[custs[-1].end:b]) and \
                    not re.match(r"等", t[custs[-1].end:b]):
                # "是A的子公司B的供应商" or "是A旗下…的": only names right before 的/等 count
                if not re.fullmatch(r"(?:等[^，。；]{0,12})?", t[custs[-1].end:b]):
                    continue
            sup = subject(doc, s, ss + m.start(), exclude={c.key for c in custs})
            if sup is None:
                continue
            for c in custs:
                _supply(doc, sup, c, min(sup.start, ss + m.start()) if sup.start >= ss else ss + m.start(),
                        ss + m.end(), 0.65, collective=len(custs) > 1)


def _lead_and_support(doc: Article, s: Sentence) -> None:
    """以A、B为龙头，C、D为配套: C and D supply A and B."""
    ss, ms = s.start, s.mentions
    for m in _LEAD_AND_SUPPORT.finditer(s.text):
        leads = within(ms, ss + m.start(1), ss + m.end(1))
        sups = within(ms, ss + m.start(2), ss + m.end(2))
        for s_ in sups:
            for c in leads:
                _supply(doc, s_, c, ss + m.start(), ss + m.end(), 0.65, collective=len(sups) * len(leads) > 1)


def _up_and_down(doc: Article, s: Sentence) -> None:
    """上游有A，下游有B和C: A supplies the subject; the subject supplies B and C."""
    ss, ms = s.start, s.mentions
    for m in _UP_DOWN.finditer(s.text):
        others = within(ms, ss + m.start(2), ss + m.end(2))
        if not others:
            continue
        subj = subject(doc, s, ss + m.start(), exclude={o.key for o in others})
        if subj is None:
            continue
        for o in others:
            if m.group(1) == "上游":
                _supply(doc, o, subj, ss + m.start(), o.end, 0.6, collective=len(others) > 1)
            else:
                _supply(doc, subj, o, ss + m.start(), o.end, 0.6, collective=len(others) > 1)


def _its_supplier(doc: Article, s: Sentence) -> None:
    """A…其主要供应商——B: B supplies A."""
    ss, ms = s.start, s.mentions
    for m in _ITS_SUPPLIER.finditer(s.text):
        after = [r for r in ms if ss + m.end() <= r.start <= ss + m.end() + 1]
        before = [r for r in ms if r.end <= ss + m.start()]
        if after and before:
            _supply(doc, after[0], before[-1], before[-1].start, after[0].end, 0.65)
