"""What every relation rule reads and writes: the article, one sentence, and shared helpers.

A rule is a function ``rule(doc, s)`` over an :class:`Article` (text, resolved mentions,
firms, the relations found so far) and one :class:`Sentence` of it; it adds relations with
:meth:`Article.add` and may set per-firm facts on ``doc.firms``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from chaingraph.ingest.model import Firm, Relation, Resolved, Span, evidence_span, sentences
from chaingraph.ingest.relations.placement import about_focal_park
from chaingraph.normalize import Normalized

# ---------------------------------------------------------------- words several rules read

#: referral verbs (A引荐/带动/介绍B); also tell a project rule that "B由A引荐落户" lands B
REFERRAL_VERB = re.compile(r"以商引商|链主带动|引荐|介绍|牵线搭桥|牵线|搭桥|推荐|带动|带来|引来")
LANDED = re.compile(r"落户|入驻|投产|落地|引进|引入|建成|开工")
SIGNED = re.compile(r"签约|签订|签署")
VISIT_VERB = re.compile(r"考察|走访|拜访|调研|登门|上门|会见|拜会|洽谈|对接|参观|来到|走进|到访|深入|(?<=先后|一行|分别)(?:到|赴)")
YEAR = re.compile(r"(20\d\d|19\d\d)年")


def stage_after(tail: str) -> str:
    """The lead stage a referral's wording after its verb states (签约 → Signed, 落户 → Landed)."""
    return "Signed" if SIGNED.search(tail) else "Landed" if LANDED.search(tail) else "Introduced"


# ---------------------------------------------------------------- the article and its sentences

@dataclass(frozen=True)
class Sentence:
    """One sentence: its index, NORMALISED ``[start, end)``, its text and the mentions in it."""

    index: int
    start: int
    end: int
    text: str
    mentions: list[Resolved]


@dataclass
class Article:
    """One article as the rules see it, and the relations found in it so far."""

    norm: Normalized
    resolved: list[Resolved]  # every resolved mention, in text order
    firms: dict[str, Firm]  # by key; rules fill in_park, origin, products, tiers, figures
    park: str | None
    product_terms: Mapping[str, str | Sequence[str]]
    relations: list[Relation] = field(default_factory=list)
    #: firms only visited (so far): the park's officials went to them, they need not be in the park
    visit_only: dict[str, bool] = field(default_factory=dict)
    #: firms the article places in another park or county: never in the focal park
    elsewhere: set[str] = field(default_factory=set)
    #: the article is about the focal park (see :func:`.placement.about_focal_park`)
    about_park: bool = field(init=False)
    #: the investors last named, for "三方将再合资组建…"
    last_investors: list[Resolved] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(init=False)  # sentence spans
    terms: list[str] = field(init=False)  # product terms, longest first
    _seen: set[tuple[str, str, str]] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.spans = sentences(self.norm.text)
        self.terms = sorted(self.product_terms, key=len, reverse=True)
        self.about_park = bool(self.park) and about_focal_park(self.norm.text, self.park)

    @property
    def text(self) -> str:
        """The normalised text."""
        return self.norm.text

    def sentence(self, i: int) -> Sentence:
        a, b = self.spans[i]
        return Sentence(i, a, b, self.text[a:b], self.mentions_in(a, b))

    def sentence_text(self, i: int) -> str:
        """Text of sentence ``i``; empty for an index before the first."""
        if i < 0:
            return ""
        a, b = self.spans[i]
        return self.text[a:b]

    def mentions_in(self, a: int, b: int) -> list[Resolved]:
        """Resolved mentions that start in ``[a, b)``."""
        return [r for r in self.resolved if a <= r.start < b]

    def span(self, *points: int) -> Span:
        """Evidence from the first to the last of ``points`` (normalised offsets, any order)."""
        return evidence_span(self.norm, min(points), max(points))

    def evidence(self, a: int, b: int) -> Span:
        """Evidence for normalised ``[a, b)``."""
        return evidence_span(self.norm, a, b)

    def add(self, r: Relation) -> None:
        """Keep ``r`` unless the same (type, source, target) was found before; a repeat read
        from a collective statement marks the first as collective."""
        k = (r.type, r.source, r.target)
        if k in self._seen:
            if r.collective:  # the same pair also read from a collective statement
                for x in self.relations:
                    if (x.type, x.source, x.target) == k:
                        x.collective = True
            return
        self._seen.add(k)
        self.relations.append(r)


# ---------------------------------------------------------------- shared helpers

def between(t: str, a: int, b: int) -> str:
    """``t`` between two offsets in either order."""
    return t[min(a, b):max(a, b)]


def within(ms: list[Resolved], a: int, b: int) -> list[Resolved]:
    """Mentions lying wholly in ``[a, b)``."""
    return [r for r in ms if a <= r.start and r.end <= b]


def subject(doc: Article, s: Sentence, pos: int, exclude=()) -> Resolved | None:
    """The firm a phrase at ``pos`` is about: the nearest firm before it in its clause,
    else the first firm of the sentence, else the first firm of one of the two sentences
    before (a quote or a sentence that goes on about the firm last named)."""
    t, ms, si = doc.text, s.mentions, s.index
    before = [r for r in ms if r.end <= pos and r.key not in exclude]
    clause = [r for r in before if not re.search(r"[，：]", t[r.end:pos])]
    if clause:
        return clause[-1]
    if before:
        return before[0]
    for k in (si - 1, si - 2):
        if k < 0:
            break
        a, b = doc.spans[k]
        prev = [r for r in doc.resolved if a <= r.start < b and r.key not in exclude]
        if prev:
            return prev[0]
    return None


def prev_subject(doc: Article, si: int) -> Resolved | None:
    """The first firm of the nearest of the two sentences before sentence ``si`` (the firm a
    sentence without its own subject goes on about)."""
    for k in (si - 1, si - 2):
        if k < 0:
            return None
        prev = doc.mentions_in(*doc.spans[k])
        if prev:
            return prev[0]
    return None
