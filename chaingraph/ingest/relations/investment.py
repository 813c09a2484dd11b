"""Investments and projects: firm A set up or invested in firm B (``investment``), and a
firm's own project in the park (``project``: signed, landed, with its amount and year).
"""

from __future__ import annotations

import re

from chaingraph.ingest.model import Relation, Resolved
from chaingraph.ingest.relations.context import REFERRAL_VERB, SIGNED, YEAR, Article, Sentence, within
from chaingraph.ingest.relations.placement import put_in_park

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
#: a project's verbs: the firm before it lands in, or signs with, the park
_PROJECT = re.compile(r"签约|落户|总投资|投资(?:约|近|超|逾)?\d|开工|投产|竣工|入驻|设立|新建|扩建")
_AMOUNT = re.compile(r"(?:总投资|计划投资|拟投资|投资|投入)(?:额)?(?:约|近|超|逾|达|超过)?(\d+(?:\.\d+)?)\s*(亿元|万元|亿美元|亿|万)")


def _joined_before(t: str, ms: list[Resolved], pos: int, max_gap: int = 10) -> list[Resolved]:
    """Mentions ending just before ``pos`` (a gap of at most ``max_gap`` characters without
    punctuation), extended leftwards over 与/和/、/及 (an enumeration of investors)."""
    prior = [r for r in ms if r.end <= pos]
    if not prior:
        return []
    last = prior[-1]
    gap = t[last.end:pos]
    partner = re.fullmatch(r"[”）]*(?:与|和|同)[^，。；]{2,60}?", gap)  # A与(a fund not named as a firm)共同出资
    if not partner and (len(gap) > max_gap or re.search(r"[，。；：]", gap) and not re.fullmatch(
            rf"[^，。；]*{_AMOUNT_RE}[^，。；]*，", gap)):
        return []
    if partner:  # the investor is the firm the alias in brackets names (X（下称“Y”）与…)
        named = [r for r in prior if r.key == last.key]
        return [named[0]]
    out = [last]
    k = len(prior) - 2
    while k >= 0:
        sep = t[prior[k].end:out[0].start]
        if re.fullmatch(r"(?:（[^）]*）)*(?:、|与|和|及|以及|同)", sep):
            out.insert(0, prior[k])
            k -= 1
        else:
            break
    return out


def investment_phrases(doc: Article, s: Sentence) -> None:
    """A(与B)(共同)出资设立Y; 由A和B共同创办的Y; 三方将再合资组建Y; Y是A在…投资的项目."""
    t, ss, sent, ms = doc.text, s.start, s.text, s.mentions
    for m in _SET_UP.finditer(sent):
        if not _MONEY_VERB.search(m.group()):
            continue  # a bare 建设/成立 is no investment (建设X项目, 成立于)
        a, b = ss + m.start(), ss + m.end()
        targets = [r for r in ms if b <= r.start <= b + 1]
        if not targets:
            continue
        tgt = targets[0]
        if re.match(r"项目|基地|工厂|生产线|园区|产业园", t[tgt.end:tgt.end + 3]):
            continue  # X投资建设Y项目: a project of the firm, not a firm set up
        head = t[ss:a]
        investors = [r for r in _joined_before(t, ms, a) if r.key != tgt.key]
        if not investors and _PARTIES.search(head) and doc.last_investors:
            investors = [r for r in doc.last_investors if r.key != tgt.key]
        if not investors:
            # "由A和B共同创办的Y": the agents follow 由 earlier in the clause
            by = re.search(r"由([^，。；]{2,60})$", head)
            if by:
                investors = [r for r in ms if ss + by.start(1) <= r.start and r.end <= a and r.key != tgt.key]
        if not investors:
            continue
        doc.last_investors[:] = investors
        for inv in investors:
            doc.add(Relation("investment", inv.key, tgt.key, doc.evidence(min(inv.start, a), tgt.end), 0.65,
                             collective=len(investors) > 1))
    for m in _IS_PROJECT_OF.finditer(sent):
        a = ss + m.start()
        subj = [r for r in ms if r.end <= a and re.fullmatch(r"[^，。；]{0,2}", t[r.end:a])]
        inv = within(ms, ss + m.start(1), ss + m.end(1))
        if subj and inv and subj[-1].key != inv[0].key:
            doc.add(Relation("investment", inv[0].key, subj[-1].key, doc.evidence(subj[-1].start, ss + m.end()), 0.6))


def projects(doc: Article, s: Sentence) -> None:
    """A签约/落户/总投资…: A's project in the park (and A is in the park); a list subject
    (甲、乙等一批企业实现当月签约) gives each firm its project."""
    t, ss, se, sent, ms = doc.text, s.start, s.end, s.text, s.mentions
    for m in _PROJECT.finditer(sent):
        tp = ss + m.start()
        prior = [r for r in ms if r.end <= tp]
        if not prior:
            continue
        gap = t[prior[-1].end:tp]
        if re.search(r"[，。；]", gap):
            continue
        subj = [prior[-1]]
        agent_start = -1  # where the referrer of "B由A引荐落户" starts, if any
        if t[prior[-1].start - 1:prior[-1].start] in ("由", "经") and REFERRAL_VERB.search(gap):
            # "B由A引荐落户": B, not the referrer A, is the one that lands
            if len(prior) < 2 or re.search(r"[。；]", t[prior[-2].end:prior[-1].start]):
                continue
            agent_start = prior[-1].start
            prior = prior[:-1]
            subj = [prior[-1]]
            gap = t[prior[-1].end:agent_start]
        # list subject: "甲、乙等一批企业实现当月签约"
        k = len(prior) - 2
        while k >= 0 and t[prior[k].end:prior[k + 1].start] == "、":
            subj.insert(0, prior[k])
            k -= 1
        if len(gap) > 30 or any(r.start > prior[-1].end and r.start < tp and r.start != agent_start for r in ms):
            continue
        amount = _AMOUNT.search(t[subj[0].start:se])
        yr = YEAR.search(t[max(ss, subj[0].start - 12):tp + 20])
        stage = "Signed" if SIGNED.search(m.group()) else "Landed"
        for r in subj:
            if not put_in_park(doc, s, r):
                continue  # a project in another park, or one the article does not place in this park
            end = max(tp + len(m.group()), amount.end() + subj[0].start if amount else 0)
            doc.add(Relation("project", r.key, doc.park or "park", doc.span(r.start, end), 0.65,
                             stage=stage, year=int(yr.group(1)) if yr else None,
                             amount=float(amount.group(1)) if amount else None,
                             unit=amount.group(2) if amount else None))
