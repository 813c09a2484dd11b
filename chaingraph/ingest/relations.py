"""Relation phrasing: referrals, supply ties, relocations, visits, projects, and the
per-firm facts stated in the same sentences (products, tiers, figures, park membership).

Rules work sentence by sentence over the resolved firm mentions of
:func:`chaingraph.ingest.extract.extract`; the evidence of a fact is the shortest stretch
of the sentence that holds its trigger word and the firms it joins.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.model import (
    FigureFact, Firm, ProductFact, Relation, Span, Tier, evidence_span, sentences,
)
from chaingraph.ingest.names import REGION_AT
from chaingraph.normalize import Normalized

_REFERRAL = re.compile(r"以商引商|链主带动|引荐|介绍|牵线搭桥|牵线|搭桥|推荐|带动|带来|引来")
_INTRO_VERB = re.compile(r"引进|引入|吸引")
#: passive referral: "B由A引荐落户", "B经A推荐…" (the agent A in group 1)
_PASSIVE_REF = re.compile(r"(?:由|经)([^，。；]{2,24}?)(?:的)?(?:引荐|推荐|介绍|牵线)(?=落户|入驻|来到|来|到|进驻|签约|投资|落地|而来|过来|，)")
_LANDED = re.compile(r"落户|入驻|投产|落地|引进|引入|建成|开工")
_SIGNED = re.compile(r"签约|签订|签署")
_VISIT = re.compile(r"考察|走访|拜访|调研|登门|上门|会见|拜会|洽谈|对接|参观|来到|走进|到访|深入|(?<=先后|一行|分别)(?:到|赴)")
_OFFICIAL = re.compile(r"书记|市长|区长|县长|镇长|乡长|省长|主任|局长|常委|领导|党工委|管委会|招商|考察组|考察团|"
                       r"代表团|小分队|工作组|一行")
#: "与X进行对接洽谈", "就…项目与X洽谈": the firm met comes before the verb
_MEET_WITH = re.compile(r"与([^，。；与]{2,30}?)(?:进行了?|开展了?)?(?:深入)?(?:对接|洽谈|会谈|座谈|面谈|交流)")
_RELOC = re.compile(
    r"(?:从|由|自)([\u4e00-\u9fff]{2,8}?)(?:整体|全面|陆续|成功)?(?:回迁|迁回|转移|搬迁|迁入|迁至|迁到|迁来|回归|返乡|回流|迁移)"
)
_PROJECT = re.compile(r"签约|落户|总投资|投资(?:约|近|超|逾)?\d|开工|投产|竣工|入驻|设立|新建|扩建")
_AMOUNT = re.compile(r"(?:总投资|计划投资|拟投资|投资|投入)(?:额)?(?:约|近|超|逾|达|超过)?(\d+(?:\.\d+)?)\s*(亿元|万元|亿美元|亿|万)")
_YEAR = re.compile(r"(20\d\d|19\d\d)年")
_SUPPLY_FOR = re.compile(r"为(?!其)([^，。；]{0,30}?)(?:提供)?配套")
_FOR_CUST = re.compile(r"为(?!其|了|企业|园区|客户|项目)")
_SUPPLY_VERB = re.compile(r"供应(?!商|链)|供货(?!商)|提供")
_UPSTREAM = re.compile(r"(?:其)?(?:上游|核心|主要|重要|一级)*(?:供应商|供货商|配套商)|上游(?:企业|配套企业|厂商)?")
#: "B是A的核心供应商": the supplier is the subject, the customer follows 是.
_IS_SUPPLIER = re.compile(r"(?:是|为|成为)(?=[^，。；]{2,30}?的[^，。；的]{0,8}?(?:供应商|供货商|配套商))")
#: "为其提供电池结构件配套的B、提供电解液的C": suppliers follow, the customer is 其.
_FOR_IT = re.compile(r"为其(?:提供|供应)[^，。；]{0,20}?的")
_DOWNSTREAM = re.compile(r"下游(?:客户|企业|厂商)?|客户")
_PRODUCT_VERB = re.compile(
    r"(?:主要生产|主要经营|主营|主要从事|主要产品(?:为|有|包括|是)?|专业生产|专业从事|研发出了?|"
    r"产品(?:为|有|包括|涵盖))"
)
_FIGURES = (
    (re.compile(r"(?:总投资|计划投资|拟投资|投资|投入)(?:额)?(?:约|近|超|逾|达|超过)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "InvestmentAmount"),
    (re.compile(r"(?:年产值|总产值|产值)(?:预计)?(?:将)?(?:突破|达到|达|约|超|超过|近)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "OutputValue"),
    (re.compile(r"(?:营业收入|营收|销售收入|销售额)(?:约|达|超|超过|突破)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "Revenue"),
    (re.compile(r"(?:税收|纳税)(?:约|达|超|超过|突破)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "TaxPaid"),
    (re.compile(r"(?:员工|职工|用工)(?:约|达|超|近)?(\d+)\s*(人|名)"), "Employees"),
)


def _between(t: str, a: int, b: int) -> str:
    return t[min(a, b):max(a, b)]


def _rel_span(norm: Normalized, *points: int) -> Span:
    return evidence_span(norm, min(points), max(points))


def find_facts(
    norm: Normalized,
    resolved: list,
    firms: list[Firm],
    *,
    park: str | None,
    product_terms: Mapping[str, str | Sequence[str]],
) -> list[Relation]:
    """Find relations and per-firm facts; fills ``in_park``, ``origin``, ``products``,
    ``tiers`` and ``figures`` of ``firms`` in place and returns the relations."""
    t = norm.text
    by_key = {f.key: f for f in firms}
    rels: list[Relation] = []
    seen: set = set()
    visit_only: dict[str, bool] = {}
    terms = sorted(product_terms, key=len, reverse=True)

    def add(r: Relation) -> None:
        k = (r.type, r.source, r.target)
        if k in seen:
            if r.collective:  # the same pair also read from a collective statement
                for x in rels:
                    if (x.type, x.source, x.target) == k:
                        x.collective = True
            return
        seen.add(k)
        rels.append(r)

    sents = sentences(t)
    last_investors: list = []  # for "三方将再合资组建…"
    for si, (ss, se) in enumerate(sents):
        ms = [r for r in resolved if ss <= r[0] < se]
        if not ms:  # a sentence that names no firm may still move one (他将工厂从X迁到了Y)
            _relocation_phrases(norm, sents, si, ms, resolved, add, by_key)
            _founded_elsewhere(norm, sents, si, ms, resolved, add, by_key)
            continue
        sent = t[ss:se]
        keys_in = {r[2] for r in ms}

        # ---- referral
        for trig in _REFERRAL.finditer(sent):
            tp = ss + trig.start()
            before = [r for r in ms if r[1] <= tp and not re.search(r"[。；]", t[r[1]:tp])]
            after = [r for r in ms if r[0] >= ss + trig.end()]
            if not before or not after:
                continue
            refs = [before[-1]]  # "A、B带动了C、D": every referrer of the enumeration
            k = len(before) - 2
            while k >= 0 and re.fullmatch(r"、|和|与|及|以及", t[before[k][1]:refs[0][0]]):
                refs.insert(0, before[k])
                k -= 1
            sentence_tail = t[tp:se]
            kind = "LeaderPull" if re.search(r"带动|链主", sent) else "PeerReferral"
            stage = "Signed" if _SIGNED.search(sentence_tail) else "Landed" if _LANDED.search(sentence_tail) else "Introduced"
            pairs = []
            for r in after:
                if t[r[1]:r[1] + 2] == "旗下" or re.match(r"的(?:全资|控股)?子公司", t[r[1]:r[1] + 6]):
                    continue  # "X集团旗下的Y": X is the parent, Y the firm brought in
                if _VISIT.search(_between(t, tp, r[0])) and not _INTRO_VERB.search(_between(t, tp, r[0])):
                    continue
                pairs += [(ref, r) for ref in refs if ref[2] != r[2]]
            for ref, r in pairs:
                add(Relation("referral", ref[2], r[2], _rel_span(norm, ref[0], r[1]), 0.75,
                             kind=kind, stage=stage, collective=len(pairs) > 1))
        for trig in _PASSIVE_REF.finditer(sent):
            a0, a1 = ss + trig.start(1), ss + trig.end(1)
            agent = [r for r in ms if r[0] >= a0 and r[1] <= a1]
            if not agent:
                continue
            ref = agent[-1]
            before = [r for r in ms if r[1] <= ss + trig.start() and r[2] != ref[2]]
            if not before:
                continue
            clause = [r for r in before if not re.search(r"[，。；]", t[r[1]:ss + trig.start()])]
            tgt = clause[-1] if clause else before[0]
            if t[tgt[1]:tgt[1] + 2] == "旗下":
                continue
            tail = t[ss + trig.end():se]
            stage = "Signed" if _SIGNED.search(tail) else "Landed" if _LANDED.search(tail) else "Introduced"
            add(Relation("referral", ref[2], tgt[2], _rel_span(norm, tgt[0], ss + trig.end()), 0.7,
                         kind="PeerReferral", stage=stage))
        for trig in _INTRO_VERB.finditer(sent):
            tp = ss + trig.start()
            before = [r for r in ms if r[1] <= tp and tp - r[1] <= 4]
            after = [r for r in ms if r[0] >= ss + trig.end()]
            if before and after:
                ref = before[-1]
                for r in after:
                    if r[2] != ref[2]:
                        add(Relation("referral", ref[2], r[2], _rel_span(norm, ref[0], r[1]), 0.6,
                                     kind="PeerReferral", stage="Landed"))

        # ---- supply
        def _run_after(pos: int, slack: int) -> list:
            """Mentions from ``pos`` on joined by 、/和/及 (an enumeration)."""
            out = [r for r in ms if pos <= r[0] <= pos + slack][:1]
            while out:
                nxt = [r for r in ms if r[0] > out[-1][1] and re.fullmatch(r"、|和|及|以及|与", t[out[-1][1]:r[0]])]
                if not nxt:
                    break
                out.append(nxt[0])
            return out

        for m in _IS_SUPPLIER.finditer(sent):
            tp = ss + m.start()
            subj = [r for r in ms if r[1] <= tp and not re.search(r"[，。；]", t[r[1]:tp])]
            obj = [r for r in ms if ss + m.end() <= r[0] <= ss + m.end() + 1]
            if subj and obj and subj[-1][2] != obj[0][2]:
                add(Relation("supply", subj[-1][2], obj[0][2], _rel_span(norm, subj[-1][0], obj[0][1] + 5), 0.75))
        for m in _FOR_IT.finditer(sent):
            tp = ss + m.start()
            cust = [r for r in ms if r[1] <= tp]
            sup = _run_after(ss + m.end(), 0)
            if sup:  # "、提供电解液的C" continues the list of suppliers
                for m2 in re.finditer(r"、(?:提供|供应)[^，。；、]{0,20}?的", t[sup[-1][1]:se]):
                    if m2.start() != 0:
                        break
                    more = [r for r in ms if r[0] == sup[-1][1] + m2.end()]
                    if not more:
                        break
                    sup.append(more[0])
            for r in sup:
                if cust and cust[-1][2] != r[2]:
                    add(Relation("supply", r[2], cust[-1][2], _rel_span(norm, cust[-1][0], r[1]), 0.65))
        for m in _FOR_CUST.finditer(sent):
            tp = ss + m.start()
            subj = [r for r in ms if r[1] <= tp and not re.search(r"[。；]", t[r[1]:tp])]
            custs = _run_after(tp + 1, 0)
            if not subj or not custs:
                continue
            end = custs[-1][1]
            if not re.match(r"(?:提供|供应|供货|配套|生产)", t[end:end + 2]):
                continue
            sup = subj[-1]
            if re.search(r"[，]", t[sup[1]:tp]):  # the subject is the head of the sentence
                sup = subj[0] if not re.search(r"[，]", t[ss:subj[0][0]]) else subj[-1]
            for c in custs:
                if c[2] != sup[2]:
                    add(Relation("supply", sup[2], c[2], _rel_span(norm, sup[0], end + 2), 0.7))
        for m in _SUPPLY_FOR.finditer(sent):
            tp = ss + m.start()
            subj = [r for r in ms if r[1] <= tp]
            obj = [r for r in ms if tp < r[0] < ss + m.end()]
            if obj and obj[0][0] > tp + 1:
                obj = []
            if subj and obj and subj[-1][2] != obj[0][2]:
                add(Relation("supply", subj[-1][2], obj[0][2], _rel_span(norm, subj[-1][0], ss + m.end()), 0.7))
        for m in _SUPPLY_VERB.finditer(sent):
            tp = ss + m.start()
            subj = [r for r in ms if r[1] <= tp]
            obj = [r for r in ms if ss + m.end() <= r[0] <= ss + m.end() + 6]
            if obj and "的" in t[ss + m.end():obj[0][0]]:  # "提供电解液的C": C is the supplier
                obj = []
            if subj and obj and subj[-1][2] != obj[0][2]:
                add(Relation("supply", subj[-1][2], obj[0][2], _rel_span(norm, subj[-1][0], obj[0][1]), 0.65))
        for m in _UPSTREAM.finditer(sent):
            tp = ss + m.start()
            subj = [r for r in ms if r[1] <= tp]
            for o in _run_after(ss + m.end(), 2):
                if subj and subj[-1][2] != o[2]:
                    add(Relation("supply", o[2], subj[-1][2], _rel_span(norm, subj[-1][0], o[1]), 0.65))
        for m in _DOWNSTREAM.finditer(sent):
            tp = ss + m.start()
            subj = [r for r in ms if r[1] <= tp and not re.search(r"[，。；]", t[r[1]:tp])]
            obj = [r for r in ms if ss + m.end() <= r[0] <= ss + m.end() + 2]
            if subj and obj and subj[-1][2] != obj[0][2]:
                add(Relation("supply", subj[-1][2], obj[0][2], _rel_span(norm, subj[-1][0], obj[0][1]), 0.6))

        _supply_phrases(norm, sents, si, ms, resolved, add)
        _referral_phrases(norm, sents, si, ms, resolved, add)
        _investment_phrases(norm, sents, si, ms, resolved, add, last_investors)

        # ---- relocation
        _relocation_phrases(norm, sents, si, ms, resolved, add, by_key)
        _founded_elsewhere(norm, sents, si, ms, resolved, add, by_key)

        # ---- visits
        for m in _VISIT.finditer(sent):
            tp = ss + m.start()
            targets = [r for r in ms if r[0] >= ss + m.end()]
            if not targets:
                continue
            head = sent[: m.start()]
            prev = t[sents[si - 1][0]:sents[si - 1][1]] if si > 0 else ""
            if m.group() in ("对接", "洽谈") and not _OFFICIAL.search(head):
                continue
            # the visitor must not be a firm of this sentence (a firm visiting the park)
            if any(r[1] <= tp for r in ms) and not _OFFICIAL.search(head):
                continue
            note = None
            for clause in re.split(r"[，。；]", head) + re.split(r"[，。；]", prev):
                if _OFFICIAL.search(clause) and len(clause) <= 60:
                    note = clause.strip()
                    break
            if note is None and not re.search(r"此行|先后|赴|前往|率队|带队|园区|经开区|开发区|高新区|一行|考察团|考察组|招商团", head + prev):
                continue
            for r in targets:
                if re.search(r"[。；]", t[tp:r[0]]):
                    continue
                if m.group() in ("来到", "走进", "参观", "到", "赴", "深入") and "，" in t[tp:r[0]] \
                        and not re.match(r"以及|及|还有|又|并", t[tp:r[0]].rsplit("，", 1)[1]):
                    continue  # 走进X园区，Y公司的车间里: only the direct object is visited
                # "考察了A的合作伙伴B": A only qualifies the target
                if re.match(r"的[^，。；、]{0,8}(?:——|-|：)?$", t[r[1]:min((x[0] for x in targets if x[0] > r[0]), default=r[1])]) \
                        and any(x[0] > r[0] for x in targets):
                    continue
                visit_only.setdefault(r[2], True)
                add(Relation("visit", park or "park", r[2], _rel_span(norm, tp, r[1]), 0.7,
                             note=note, stage="Visited"))

        for m in _MEET_WITH.finditer(sent):
            a0, a1 = ss + m.start(1), ss + m.end(1)
            head = sent[: m.start()]
            prev = t[sents[si - 1][0]:sents[si - 1][1]] if si > 0 else ""
            firms_met = [r for r in ms if a0 <= r[0] and r[1] <= a1]
            if not firms_met or not _OFFICIAL.search(head + prev):
                continue
            if any(r[1] <= a0 and not re.search(r"项目", t[r[1]:a0]) for r in ms if r not in firms_met):
                continue  # a firm is the subject: firms meeting each other
            for r in firms_met:
                visit_only.setdefault(r[2], True)
                add(Relation("visit", park or "park", r[2], _rel_span(norm, r[0], ss + m.end()), 0.65,
                             note=None, stage="Visited"))

        # ---- projects / investments
        for m in _PROJECT.finditer(sent):
            tp = ss + m.start()
            prior = [r for r in ms if r[1] <= tp]
            if not prior:
                continue
            gap = t[prior[-1][1]:tp]
            if re.search(r"[，。；]", gap):
                continue
            subj = [prior[-1]]
            agent = (-1, -1, None, None)
            if t[prior[-1][0] - 1:prior[-1][0]] in ("由", "经") and _REFERRAL.search(gap):
                # "B由A引荐落户": B, not the referrer A, is the one that lands
                if len(prior) < 2 or re.search(r"[。；]", t[prior[-2][1]:prior[-1][0]]):
                    continue
                agent = prior[-1]
                prior = prior[:-1]
                subj = [prior[-1]]
                gap = t[prior[-1][1]:agent[0]]
            # list subject: "甲、乙等一批企业实现当月签约"
            k = len(prior) - 2
            while k >= 0 and t[prior[k][1]:prior[k + 1][0]] == "、":
                subj.insert(0, prior[k])
                k -= 1
            if len(gap) > 30 or any(r[0] > prior[-1][1] and r[0] < tp and r[0] != agent[0] for r in ms):
                continue
            amount = _AMOUNT.search(t[subj[0][0]:se])
            yr = _YEAR.search(t[max(ss, subj[0][0] - 12):tp + 20])
            stage = "Signed" if _SIGNED.search(m.group()) else "Landed"
            for r in subj:
                by_key[r[2]].in_park = True
                end = max(tp + len(m.group()), amount.end() + subj[0][0] if amount else 0)
                add(Relation("project", r[2], park or "park", _rel_span(norm, r[0], end), 0.65,
                             stage=stage, year=int(yr.group(1)) if yr else None,
                             amount=float(amount.group(1)) if amount else None,
                             unit=amount.group(2) if amount else None))

        # ---- per-firm facts: subject = first mention of the sentence (or of its clause)
        subject = ms[0]
        f = by_key[subject[2]]
        if re.search(r"园区|经开区|开发区|高新区|产业园|落户|入驻", sent) and not re.search(r"考察|走访|拜访", sent):
            for k in keys_in:
                if not visit_only.get(k):
                    by_key[k].in_park = True
        for pat, tier in lx.TIER_PATTERNS:
            for m in pat.finditer(sent):
                tp = ss + m.start()
                prior = [r for r in ms if r[1] <= tp and not re.search(r"[。；]", t[r[1]:tp])]
                if not prior:
                    continue
                gap = t[prior[-1][1]:tp]
                if len(gap) > 30 or not (re.search(r"是|为|成为|获评|认定|入选|属于|成功", gap) or tier == "Listed" and "上市" in m.group() and len(gap) < 12):
                    continue
                if re.search(r"\d+家", sent[m.start():m.start() + 12]):
                    continue
                tf = by_key[prior[-1][2]]
                if all(x.tier != tier for x in tf.tiers):
                    tf.tiers.append(Tier(tier, _rel_span(norm, prior[-1][0], tp + len(m.group())), 0.7))
        for pat, metric in _FIGURES:
            for m in pat.finditer(sent):
                tp = ss + m.start()
                prior = [r for r in ms if r[1] <= tp]
                if not prior or tp - prior[-1][1] > 40 or re.search(r"园区|产业园", t[prior[-1][1]:tp]):
                    continue
                tf = by_key[prior[-1][2]]
                if any(x.metric == metric and x.value == float(m.group(1)) for x in tf.figures):
                    continue
                yr = _YEAR.search(sent)
                tf.figures.append(FigureFact(metric, float(m.group(1)), m.group(2),
                                             _rel_span(norm, prior[-1][0], ss + m.end()), 0.6,
                                             year=int(yr.group(1)) if yr else None))
        for m in _PRODUCT_VERB.finditer(sent):
            tp = ss + m.start()
            prior = [r for r in ms if r[1] <= tp]
            if not prior:
                continue
            tail = re.split(r"[，。；！？]", sent[m.end():])[0][:60]
            tf = by_key[prior[-1][2]]
            for item in re.split(r"[、，]|以及|和|及", tail):
                item = re.sub(r"^(?:了|出|的|高端|各类|各种|系列)|(?:等.*|产品$|的.*)$", "", item).strip("“”「」 ")
                if not 2 <= len(item) <= 16 or re.search(r"车间|生产线|效率|活力|经营|发展|模式|线|\d", item):
                    continue
                segs, hit = [], None
                for term in terms:
                    if term in item:
                        v = product_terms[term]
                        segs = [v] if isinstance(v, str) else list(v)
                        hit = term
                        break
                if any(p.name == item for p in tf.products):
                    continue
                s0 = tp + len(m.group()) + sent[m.end():].find(item) if item in sent[m.end():] else tp
                tf.products.append(ProductFact(item, sorted(segs), _rel_span(norm, prior[-1][0], s0 + len(item)),
                                               0.7 if segs else 0.5, term=hit))
        if terms and re.search(r"生产|经营|主营|产品|研发|制造|供应", sent):
            for term in terms:
                i = sent.find(term)
                if i < 0:
                    continue
                prior = [r for r in ms if r[1] <= ss + i]
                if not prior:
                    continue
                tf = by_key[prior[-1][2]]
                if any(p.term == term or term in p.name for p in tf.products):
                    continue
                v = product_terms[term]
                tf.products.append(ProductFact(term, sorted([v] if isinstance(v, str) else v),
                                               _rel_span(norm, prior[-1][0], ss + i + len(term)), 0.6, term=term))
    if park:
        for f in firms:
            if not visit_only.get(f.key):
                f.in_park = True
    return rels


# ---------------------------------------------------------------- supply phrasing

_LISTSEP = r"(?:、|和|及|以及|与)"
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


def _within(ms, a: int, b: int) -> list:
    return [r for r in ms if a <= r[0] and r[1] <= b]


def _subject(t: str, sents, si: int, ms, pos: int, resolved, exclude=()):
    """The firm a supply phrase at ``pos`` is about: the nearest firm before it in its clause,
    else the first firm of the sentence, else the first firm of one of the two sentences
    before (a quote or a sentence that goes on about the firm last named)."""
    ss = sents[si][0]
    before = [r for r in ms if r[1] <= pos and r[2] not in exclude]
    clause = [r for r in before if not re.search(r"[，：]", t[r[1]:pos])]
    if clause:
        return clause[-1]
    if before:
        return before[0]
    for k in (si - 1, si - 2):
        if k < 0:
            break
        a, b = sents[k]
        prev = [r for r in resolved if a <= r[0] < b and r[2] not in exclude]
        if prev:
            return prev[0]
        if k == si - 1 and not re.match(r"[“”\s]*$", t[a:b]) and k != si - 1:
            break
    return None


def _supply_phrases(norm: Normalized, sents, si: int, ms, resolved, add) -> None:
    t = norm.text
    ss, se = sents[si]
    sent = t[ss:se]

    def rel(sup, cus, a, b, conf, collective=False):
        if sup[2] != cus[2]:
            add(Relation("supply", sup[2], cus[2], evidence_span(norm, a, b), conf, collective=collective))

    for pat in (_GIVE, _SUPPLIER_OF, _ORDER_FROM):
        for m in pat.finditer(sent):
            a, b = ss + m.start(1), ss + m.end(1)
            if pat is _GIVE:  # 为比亚迪两个车型供应: the customer may run into the filler
                b = ss + m.end() - 2
            custs = _within(ms, a, b)
            if not custs:
                continue
            if pat is _SUPPLIER_OF and re.search(r"的", t[custs[-1][1]:b]) and \
                    not re.match(r"等", t[custs[-1][1]:b]):
                # "是A的子公司B的供应商" or "是A旗下…的": only names right before 的/等 count
                if not re.fullmatch(r"(?:等[^，。；]{0,12})?", t[custs[-1][1]:b]):
                    continue
            sup = _subject(t, sents, si, ms, ss + m.start(), resolved, exclude={c[2] for c in custs})
            if sup is None:
                continue
            for c in custs:
                rel(sup, c, min(sup[0], ss + m.start()) if sup[0] >= ss else ss + m.start(), ss + m.end(), 0.65,
                    collective=len(custs) > 1)
    for m in _LEAD_AND_SUPPORT.finditer(sent):
        leads = _within(ms, ss + m.start(1), ss + m.end(1))
        sups = _within(ms, ss + m.start(2), ss + m.end(2))
        for s_ in sups:
            for c in leads:
                rel(s_, c, ss + m.start(), ss + m.end(), 0.65, collective=len(sups) * len(leads) > 1)
    for m in _UP_DOWN.finditer(sent):
        others = _within(ms, ss + m.start(2), ss + m.end(2))
        if not others:
            continue
        subj = _subject(t, sents, si, ms, ss + m.start(), resolved, exclude={o[2] for o in others})
        if subj is None:
            continue
        for o in others:
            if m.group(1) == "上游":
                rel(o, subj, ss + m.start(), o[1], 0.6, collective=len(others) > 1)
            else:
                rel(subj, o, ss + m.start(), o[1], 0.6, collective=len(others) > 1)
    for m in _ITS_SUPPLIER.finditer(sent):
        after = [r for r in ms if ss + m.end() <= r[0] <= ss + m.end() + 1]
        before = [r for r in ms if r[1] <= ss + m.start()]
        if after and before:
            rel(after[0], before[-1], before[-1][0], after[0][1], 0.65)


# ---------------------------------------------------------------- investment phrasing

_AMOUNT_RE = r"(?:(?:约|近|超|逾)?\d+(?:\.\d+)?(?:多|余)?(?:亿|万)?(?:元|美元|港元)?)"
#: "(共同)(出资|投资|合资)…(设立|组建|成立|创办|兴建|建设)(了)(的)Y": the firm set up comes next
_SET_UP = re.compile(
    rf"(?:共同|联合|合作)?(?:出资|投资|合资|注资)?{_AMOUNT_RE}?(?:[，]?)(?:在[^，。；]{{2,14}}?)?(?:投资)?"
    r"(?:设立|组建|成立|创办|兴建|建设|开办|创建|新设|注册)了?(?:的)?"
)
_MONEY_VERB = re.compile(r"出资|投资|合资|注资|共同|创办|开办|组建|设立")
#: "Y是X在…投资的(重点)项目": X set up Y
_IS_PROJECT_OF = re.compile(r"是([^，。；]{2,30}?)在[^，。；]{1,14}?投资(?:建设|兴建)?的")
_PARTIES = re.compile(r"(?:三方|双方|各方|两家|三家)(?:将|又|再|还|共同)*$")


def _joined_before(t: str, ms, pos: int, max_gap: int = 10) -> list:
    """Mentions ending just before ``pos`` (a gap of at most ``max_gap`` characters without
    punctuation), extended leftwards over 与/和/、/及 (an enumeration of investors)."""
    prior = [r for r in ms if r[1] <= pos]
    if not prior:
        return []
    last = prior[-1]
    gap = t[last[1]:pos]
    partner = re.fullmatch(r"[”）]*(?:与|和|同)[^，。；]{2,60}?", gap)  # A与(a fund not named as a firm)共同出资
    if not partner and (len(gap) > max_gap or re.search(r"[，。；：]", gap) and not re.fullmatch(
            rf"[^，。；]*{_AMOUNT_RE}[^，。；]*，", gap)):
        return []
    if partner:  # the investor is the firm the alias in brackets names (X（下称“Y”）与…)
        named = [r for r in prior if r[2] == last[2]]
        return [named[0]]
    out = [last]
    k = len(prior) - 2
    while k >= 0:
        sep = t[prior[k][1]:out[0][0]]
        if re.fullmatch(r"(?:（[^）]*）)*(?:、|与|和|及|以及|同)", sep):
            out.insert(0, prior[k])
            k -= 1
        else:
            break
    return out


def _investment_phrases(norm: Normalized, sents, si: int, ms, resolved, add, last_investors: list) -> None:
    t = norm.text
    ss, se = sents[si]
    sent = t[ss:se]
    for m in _SET_UP.finditer(sent):
        if not _MONEY_VERB.search(m.group()):
            continue  # a bare 建设/成立 is no investment (建设X项目, 成立于)
        a, b = ss + m.start(), ss + m.end()
        targets = [r for r in ms if b <= r[0] <= b + 1]
        if not targets:
            continue
        tgt = targets[0]
        if re.match(r"项目|基地|工厂|生产线|园区|产业园", t[tgt[1]:tgt[1] + 3]):
            continue  # X投资建设Y项目: a project of the firm, not a firm set up
        head = t[ss:a]
        investors = [r for r in _joined_before(t, ms, a) if r[2] != tgt[2]]
        if not investors and _PARTIES.search(head) and last_investors:
            investors = [r for r in last_investors if r[2] != tgt[2]]
        if not investors:
            # "由A和B共同创办的Y": the agents follow 由 earlier in the clause
            by = re.search(r"由([^，。；]{2,60})$", head)
            if by:
                investors = [r for r in ms if ss + by.start(1) <= r[0] and r[1] <= a and r[2] != tgt[2]]
        if not investors:
            continue
        last_investors[:] = investors
        for inv in investors:
            add(Relation("investment", inv[2], tgt[2], evidence_span(norm, min(inv[0], a), tgt[1]), 0.65,
                         collective=len(investors) > 1))
    for m in _IS_PROJECT_OF.finditer(sent):
        a = ss + m.start()
        subj = [r for r in ms if r[1] <= a and re.fullmatch(r"[^，。；]{0,2}", t[r[1]:a])]
        inv = _within_span(ms, ss + m.start(1), ss + m.end(1))
        if subj and inv and subj[-1][2] != inv[0][2]:
            add(Relation("investment", inv[0][2], subj[-1][2], evidence_span(norm, subj[-1][0], ss + m.end()), 0.6))


def _within_span(ms, a: int, b: int) -> list:
    return [r for r in ms if a <= r[0] and r[1] <= b]


# ---------------------------------------------------------------- relocation phrasing

_MOVE = r"(?:整体|全面|陆续|成功|全部|逐步)?(?:回迁|迁回|转移|搬迁|迁入|迁至|迁到|迁来|迁往|回归|返乡|回流|迁移|搬到|搬来|搬至|搬过来|来到|转战|转移到)"
_RELOC_PATTERNS = (
    # 从深圳整体搬迁至…, 由东莞回迁, 企业从深圳来到江门, 将自家工厂从雄安迁到了上蔡
    (re.compile(rf"(?:从|由|自(?!家|己|身|主|然|动|治|行))([\u4e00-\u9fff]{{2,8}}?)(?:[\u4e00-\u9fff]{{0,4}}(?:总部|工厂|厂区|生产线))?{_MOVE}"), "subject"),
    # 从深圳引进的X: X came from 深圳
    (re.compile(r"从([\u4e00-\u9fff]{2,8}?)引进(?:了|的)?"), "after"),
    # 企业原本在浙江温州, 原在广州的总部迁至…
    (re.compile(r"(?:原本|原来|原先|此前|之前|原)(?:就)?(?:在|位于|扎根)([\u4e00-\u9fff]{2,8}?)(?=的总部|的工厂|，|,|。|发展|经营|办厂|生产|$)"), "subject"),
)


#: "(曾)在浙江德清创办了…" in a story of a return home (返乡): where the firm started
_FOUNDED_AT = re.compile(r"(?:成立于|创办于|起家于|发家于|(?:曾|最早|最初|最终|先|早年)(?:经)?在)([\u4e00-\u9fff]{2,8}?)(?:创办|创立|成立|开办|办厂|创业|办起)")
_HOMECOMING = re.compile(r"返乡|回乡|回归|回迁|回到家乡|回老家|归乡")


def _is_place(x: str) -> bool:
    """True for a place name: region words (浙江温州, 成都市新津), an X市/县/区, or a macro region."""
    if x in lx.MACRO_REGIONS:
        return True
    rest, n = x, 0
    while rest:
        m = REGION_AT.match(rest)
        if not m:
            break
        rest, n = rest[m.end():], n + 1
    if n and (not rest or (len(rest) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]{1,2}(?:区|县|镇)?", rest))):
        return True
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{1,4}(?:市|县|区|省)", x))


def _clean_place(place: str) -> str:
    place = re.sub(r"^(?:广东省?|湖南省?|江苏省?|浙江省?)(?=[\u4e00-\u9fff]{2})", "", place) or place
    return re.sub(r"(?<=[\u4e00-\u9fff]{2})市[\u4e00-\u9fff]{1,4}区$|(?<=[\u4e00-\u9fff]{2})市$", "", place) or place


def _relocation_phrases(norm: Normalized, sents, si: int, ms, resolved, add, by_key) -> None:
    t = norm.text
    ss, se = sents[si]
    sent = t[ss:se]
    for pat, role in _RELOC_PATTERNS:
        for m in pat.finditer(sent):
            place = m.group(1)
            while place and not _is_place(place) and len(place) > 2:
                place = place[:-1]  # 雄安迁 → 雄安 when the lazy match ran on
            if not _is_place(place):
                continue
            tp = ss + m.start()
            if role == "after":
                post = [r for r in ms if ss + m.end() <= r[0] <= ss + m.end() + 1]
                if not post:
                    continue
                subj = post[0]
            else:
                subj = None
                inside = [r for r in ms if ss + m.start(1) <= r[0] < ss + m.end(1)]
                if inside:
                    continue  # the "place" is a firm's name
                before = [r for r in ms if r[1] <= tp and not re.search(r"[。；]", t[r[1]:tp])]
                if before:
                    subj = before[-1]
                else:
                    # "从深圳整体搬迁至郴州高新区的X": the firm follows, after 的
                    post = [r for r in ms if ss + m.end() <= r[0]
                            and re.fullmatch(r"[^，。；]{0,14}的", t[ss + m.end():r[0]])]
                    subj = post[0] if post else _prev_subject(t, sents, si, resolved)
                if subj is None and si + 1 < len(sents):
                    # "他将工厂从雄安迁到了上蔡。如今，他的X公司…": the owner's firm comes next
                    a, b = sents[si + 1]
                    own = re.match(r"[^，。；]{0,4}，?(?:他的|他们的|她的|其)", t[a:b])
                    nxt = [r for r in resolved if own and a + own.end() <= r[0] <= a + own.end() + 1]
                    subj = nxt[0] if nxt else None
                if subj is None:
                    continue
            place = _clean_place(place)
            key = subj[2]
            f = by_key[key]
            if f.origin is None:
                f.origin = place
            f.in_park = True
            a = min(tp, subj[0]) if subj[0] >= ss else tp
            b = max(ss + m.end(), subj[1]) if subj[0] >= ss else ss + m.end()
            yr = _YEAR.search(t[max(ss, a - 12):b])
            add(Relation("relocation", key, place, _rel_span(norm, a, b), 0.7 if subj[0] >= ss else 0.6,
                         place=place, year=int(yr.group(1)) if yr else None, stage="Landed"))


def _founded_elsewhere(norm: Normalized, sents, si: int, ms, resolved, add, by_key) -> None:
    t = norm.text
    ss, se = sents[si]
    near = t[sents[max(0, si - 2)][0]:sents[min(len(sents) - 1, si + 2)][1]]
    if not _HOMECOMING.search(near):
        return
    for m in _FOUNDED_AT.finditer(t[ss:se]):
        place = m.group(1)
        if not _is_place(place):
            continue
        before = [r for r in ms if r[1] <= ss + m.start()]
        subj = before[-1] if before else None
        for k in (si + 1, si + 2):  # the returnee's firm is named next
            if subj is None and k < len(sents):
                nxt = [r for r in resolved if sents[k][0] <= r[0] < sents[k][1]]
                subj = nxt[0] if nxt else None
        if subj is None:
            continue
        f = by_key[subj[2]]
        if f.origin is None:
            f.origin = place
        add(Relation("relocation", subj[2], place, evidence_span(norm, ss + m.start(), ss + m.end()), 0.5,
                     place=place, stage="Landed"))


def _prev_subject(t: str, sents, si: int, resolved):
    """The first firm of the nearest of the two sentences before (the firm a sentence without
    its own subject goes on about)."""
    for k in (si - 1, si - 2):
        if k < 0:
            return None
        a, b = sents[k]
        prev = [r for r in resolved if a <= r[0] < b]
        if prev:
            return prev[0]
    return None


# ---------------------------------------------------------------- referral phrasing

#: "把A、B推介到永佳落户": the speaker's firm brought A and B
_BRING = re.compile(r"把([^，。；]{2,60}?)(?:推介|推荐|引荐|介绍|带|引|拉)(?:到|来|至|进|给)")
#: "X先后为永福引进了…的A和…的B", "…，引入A等企业": the firm that brought them in
_BROUGHT_IN = re.compile(r"(?:引进|引入|招引|引来|带来)了?")
_NOT_FIRM_SUBJECT = re.compile(r"园区|开发区|经开区|高新区|产业园|政府|管委会|党委|[县市区镇]委|招商局|我们|他们|[^\w]?[县市区镇](?:里|上)")


def _referral_phrases(norm: Normalized, sents, si: int, ms, resolved, add) -> None:
    t = norm.text
    ss, se = sents[si]
    sent = t[ss:se]
    for m in _BRING.finditer(sent):
        refs = _within(ms, ss + m.start(1), ss + m.end(1))
        if not refs:
            continue
        who = _subject(t, sents, si, ms, ss + m.start(), resolved, exclude={r[2] for r in refs})
        if who is None:
            continue
        for r in refs:
            add(Relation("referral", who[2], r[2], evidence_span(norm, ss + m.start(), ss + m.end()), 0.6,
                         kind="PeerReferral", stage="Landed", collective=len(refs) > 1))
    for m in _BROUGHT_IN.finditer(sent):
        a, b = ss + m.start(), ss + m.end()
        # the firms brought in: an enumeration right after the verb (投资2亿元的A和…的B)
        after = [r for r in ms if b <= r[0] and not re.search(r"[，。；]", t[b:r[0]])]
        if not after or after[0][0] - b > 14:
            continue
        before = [r for r in ms if r[1] <= a]
        if not before:
            continue
        near = [r for r in before if not re.search(r"[，。；：]", t[r[1]:a]) and a - r[1] <= 12]
        if near:
            who = near[-1]
        else:  # the sentence's subject firm, with no park or office as the subject in between
            who = before[0]
            if len({r[2] for r in before}) > 1 or _NOT_FIRM_SUBJECT.search(t[who[1]:a]):
                continue
        if _NOT_FIRM_SUBJECT.search(t[who[1]:a]) and not near:
            continue
        targets = [r for r in after if r[2] != who[2]]
        for r in targets:
            add(Relation("referral", who[2], r[2], evidence_span(norm, who[0], r[1]), 0.55,
                         kind="PeerReferral", stage="Landed", collective=len(targets) > 1))
