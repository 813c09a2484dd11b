"""Referrals: firm A brought, introduced or pulled firm B to the park (``referral``).

Read from a referral verb between the firms (A带动了B, A、B带动了C、D), a passive agent
(B由A引荐落户), an introduction right after the referrer (A引进B), "把B推介到…" and
"X先后为永福引进了…的A和…的B".
"""

from __future__ import annotations

import re

from chaingraph.ingest.model import Relation
from chaingraph.ingest.relations.context import (
    REFERRAL_VERB, VISIT_VERB, Article, Sentence, between, stage_after, subject, within,
)

INTRO_VERB = re.compile(r"引进|引入|吸引")
#: passive referral: "B由A引荐落户", "B经A推荐…" (the agent A in group 1)
_PASSIVE_REF = re.compile(r"(?:由|经)([^，。；]{2,24}?)(?:的)?(?:引荐|推荐|介绍|牵线)(?=落户|入驻|来到|来|到|进驻|签约|投资|落地|而来|过来|，)")
#: "把A、B推介到永佳落户": the speaker's firm brought A and B
_BRING = re.compile(r"把([^，。；]{2,60}?)(?:推介|推荐|引荐|介绍|带|引|拉)(?:到|来|至|进|给)")
#: "X先后为永福引进了…的A和…的B", "…，引入A等企业": the firm that brought them in
_BROUGHT_IN = re.compile(r"(?:引进|引入|招引|引来|带来)了?")
_NOT_FIRM_SUBJECT = re.compile(r"园区|开发区|经开区|高新区|产业园|政府|管委会|党委|[县市区镇]委|招商局|我们|他们|[^\w]?[县市区镇](?:里|上)")


def referral_verbs(doc: Article, s: Sentence) -> None:
    """A带动/引荐/介绍…B, with every referrer of an enumeration (A、B带动了C、D: collective)."""
    t, ss, se, sent, ms = doc.text, s.start, s.end, s.text, s.mentions
    for trig in REFERRAL_VERB.finditer(sent):
        tp = ss + trig.start()
        before = [r for r in ms if r.end <= tp and not re.search(r"[。；]", t[r.end:tp])]
        after = [r for r in ms if r.start >= ss + trig.end()]
        if not before or not after:
            continue
        refs = [before[-1]]  # "A、B带动了C、D": every referrer of the enumeration
        k = len(before) - 2
        while k >= 0 and re.fullmatch(r"、|和|与|及|以及", t[before[k].end:refs[0].start]):
            refs.insert(0, before[k])
            k -= 1
        kind = "LeaderPull" if re.search(r"带动|链主", sent) else "PeerReferral"
        stage = stage_after(t[tp:se])
        pairs = []
        for r in after:
            if t[r.end:r.end + 2] == "旗下" or re.match(r"的(?:全资|控股)?子公司", t[r.end:r.end + 6]):
                continue  # "X集团旗下的Y": X is the parent, Y the firm brought in
            if VISIT_VERB.search(between(t, tp, r.start)) and not INTRO_VERB.search(between(t, tp, r.start)):
                continue
            pairs += [(ref, r) for ref in refs if ref.key != r.key]
        for ref, r in pairs:
            doc.add(Relation("referral", ref.key, r.key, doc.span(ref.start, r.end), 0.75,
                             kind=kind, stage=stage, collective=len(pairs) > 1))


def passive_referrals(doc: Article, s: Sentence) -> None:
    """B由A引荐落户, B经A推荐…: A referred B (the last firm of B's clause)."""
    t, ss, se, sent, ms = doc.text, s.start, s.end, s.text, s.mentions
    for trig in _PASSIVE_REF.finditer(sent):
        a0, a1 = ss + trig.start(1), ss + trig.end(1)
        agent = [r for r in ms if r.start >= a0 and r.end <= a1]
        if not agent:
            continue
        ref = agent[-1]
        before = [r for r in ms if r.end <= ss + trig.start() and r.key != ref.key]
        if not before:
            continue
        clause = [r for r in before if not re.search(r"[，。；]", t[r.end:ss + trig.start()])]
        tgt = clause[-1] if clause else before[0]
        if t[tgt.end:tgt.end + 2] == "旗下":
            continue
        stage = stage_after(t[ss + trig.end():se])
        doc.add(Relation("referral", ref.key, tgt.key, doc.span(tgt.start, ss + trig.end()), 0.7,
                         kind="PeerReferral", stage=stage))


def introductions(doc: Article, s: Sentence) -> None:
    """A引进/引入/吸引B, the referrer right before the verb (at most 4 characters)."""
    ss, sent, ms = s.start, s.text, s.mentions
    for trig in INTRO_VERB.finditer(sent):
        tp = ss + trig.start()
        before = [r for r in ms if r.end <= tp and tp - r.end <= 4]
        after = [r for r in ms if r.start >= ss + trig.end()]
        if before and after:
            ref = before[-1]
            for r in after:
                if r.key != ref.key:
                    doc.add(Relation("referral", ref.key, r.key, doc.span(ref.start, r.end), 0.6,
                                     kind="PeerReferral", stage="Landed"))


def referral_phrases(doc: Article, s: Sentence) -> None:
    """把A、B推介到…落户 (the subject firm brought A and B); X引进了…的A和…的B."""
    t, ss, sent, ms = doc.text, s.start, s.text, s.mentions
    for m in _BRING.finditer(sent):
        refs = within(ms, ss + m.start(1), ss + m.end(1))
        if not refs:
            continue
        who = subject(doc, s, ss + m.start(), exclude={r.key for r in refs})
        if who is None:
            continue
        for r in refs:
            doc.add(Relation("referral", who.key, r.key, doc.evidence(ss + m.start(), ss + m.end()), 0.6,
                             kind="PeerReferral", stage="Landed", collective=len(refs) > 1))
    for m in _BROUGHT_IN.finditer(sent):
        a, b = ss + m.start(), ss + m.end()
        # the firms brought in: an enumeration right after the verb (投资2亿元的A和…的B)
        after = [r for r in ms if b <= r.start and not re.search(r"[，。；]", t[b:r.start])]
        if not after or after[0].start - b > 14:
            continue
        before = [r for r in ms if r.end <= a]
        if not before:
            continue
        near = [r for r in before if not re.search(r"[，。；：]", t[r.end:a]) and a - r.end <= 12]
        if near:
            who = near[-1]
        else:  # the sentence's subject firm, with no park or office as the subject in between
            who = before[0]
            if len({r.key for r in before}) > 1 or _NOT_FIRM_SUBJECT.search(t[who.end:a]):
                continue
        if _NOT_FIRM_SUBJECT.search(t[who.end:a]) and not near:
            continue
        targets = [r for r in after if r.key != who.key]
        for r in targets:
            doc.add(Relation("referral", who.key, r.key, doc.evidence(who.start, r.end), 0.55,
                             kind="PeerReferral", stage="Landed", collective=len(targets) > 1))
