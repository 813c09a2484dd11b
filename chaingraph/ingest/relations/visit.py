"""Visits: the park's or locality's staff visited or met a firm (``visit``; source the park).

Read from a visit verb (考察, 走访, 拜访 …) whose visitors are officials, not a firm of the
sentence, and from "与X进行对接洽谈" said of officials.  The officials' wording is kept as
the visit's ``note``.
"""

from __future__ import annotations

import re

from chaingraph.ingest.model import Relation
from chaingraph.ingest.relations.context import VISIT_VERB, Article, Sentence

_OFFICIAL = re.compile(r"书记|市长|区长|县长|镇长|乡长|省长|主任|局长|常委|领导|党工委|管委会|招商|考察组|考察团|"
                       r"代表团|小分队|工作组|一行")
#: "与X进行对接洽谈", "就…项目与X洽谈": the firm met comes before the verb
_MEET_WITH = re.compile(r"与([^，。；与]{2,30}?)(?:进行了?|开展了?)?(?:深入)?(?:对接|洽谈|会谈|座谈|面谈|交流)")
#: words that show a visit is the park's (or locality's) even without an official's title
_VISIT_CONTEXT = re.compile(r"此行|先后|赴|前往|率队|带队|园区|经开区|开发区|高新区|一行|考察团|考察组|招商团")


def visits(doc: Article, s: Sentence) -> None:
    """Officials 考察/走访/拜访… the firms after the verb (the direct objects only)."""
    t, ss, sent, ms = doc.text, s.start, s.text, s.mentions
    for m in VISIT_VERB.finditer(sent):
        tp = ss + m.start()
        targets = [r for r in ms if r.start >= ss + m.end()]
        if not targets:
            continue
        head = sent[: m.start()]
        prev = doc.sentence_text(s.index - 1)
        if m.group() in ("对接", "洽谈") and not _OFFICIAL.search(head):
            continue
        # the visitor must not be a firm of this sentence (a firm visiting the park)
        if any(r.end <= tp for r in ms) and not _OFFICIAL.search(head):
            continue
        note = _officials(head, prev)
        if note is None and not _VISIT_CONTEXT.search(head + prev):
            continue
        for r in targets:
            if re.search(r"[。；]", t[tp:r.start]):
                continue
            if m.group() in ("来到", "走进", "参观", "到", "赴", "深入") and "，" in t[tp:r.start] \
                    and not re.match(r"以及|及|还有|又|并", t[tp:r.start].rsplit("，", 1)[1]):
                continue  # 走进X园区，Y公司的车间里: only the direct object is visited
            # "考察了A的合作伙伴B": A only qualifies the target
            if re.match(r"的[^，。；、]{0,8}(?:——|-|：)?$", t[r.end:min((x.start for x in targets if x.start > r.start), default=r.end)]) \
                    and any(x.start > r.start for x in targets):
                continue
            doc.visit_only.setdefault(r.key, True)
            doc.add(Relation("visit", doc.park or "park", r.key, doc.span(tp, r.end), 0.7,
                             note=note, stage="Visited"))


def _officials(head: str, prev: str) -> str | None:
    """The first clause of ``head`` (the sentence before the verb), else of the sentence
    before, that names officials (at most 60 characters), stripped."""
    for clause in re.split(r"[，。；]", head) + re.split(r"[，。；]", prev):
        if _OFFICIAL.search(clause) and len(clause) <= 60:
            return clause.strip()
    return None


def meetings(doc: Article, s: Sentence) -> None:
    """Officials 与X进行对接洽谈: they met X (not when a firm is the subject)."""
    t, ss, sent, ms = doc.text, s.start, s.text, s.mentions
    for m in _MEET_WITH.finditer(sent):
        a0, a1 = ss + m.start(1), ss + m.end(1)
        head = sent[: m.start()]
        prev = doc.sentence_text(s.index - 1)
        firms_met = [r for r in ms if a0 <= r.start and r.end <= a1]
        if not firms_met or not _OFFICIAL.search(head + prev):
            continue
        if any(r.end <= a0 and not re.search(r"项目", t[r.end:a0]) for r in ms if r not in firms_met):
            continue  # a firm is the subject: firms meeting each other
        for r in firms_met:
            doc.visit_only.setdefault(r.key, True)
            doc.add(Relation("visit", doc.park or "park", r.key, doc.span(r.start, ss + m.end()), 0.65,
                             note=None, stage="Visited"))
