"""The plain-data results of extraction, and the offset helpers every extraction step shares.

Extraction runs on the normalised text (:func:`chaingraph.normalize.normalize`); a
:class:`Span` carries ORIGINAL offsets so evidence can be checked against the source file.
Everything here is ``str``/``int``/``float`` data with no rdflib terms:
:mod:`chaingraph.ingest.staging` turns it into RDF, :mod:`chaingraph.ingest.report` into a dict.
This module sits below the extraction steps (:mod:`~chaingraph.ingest.names`,
:mod:`~chaingraph.ingest.relations`, :mod:`~chaingraph.ingest.extract`), which all import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from chaingraph.normalize import Normalized


@dataclass(frozen=True)
class Span:
    """Evidence span: ORIGINAL offsets ``[start, end)`` and the normalised quote."""

    start: int
    end: int
    quote: str


@dataclass
class Mention:
    """One occurrence of a firm (``kind`` as in :class:`~chaingraph.ingest.names.NameMention`,
    or ``anaphor`` for 该公司-style references)."""

    text: str
    kind: str
    span: Span
    confidence: float
    nstart: int = 0  # normalised offsets, for internal use
    nend: int = 0


@dataclass
class Tier:
    """A tier (cg local name, e.g. ``HighTech``) stated for a firm."""

    tier: str
    span: Span
    confidence: float


@dataclass
class FigureFact:
    """A stated figure about a firm (metric is a cg local name, e.g. ``InvestmentAmount``)."""

    metric: str
    value: float
    unit: str
    span: Span
    confidence: float
    year: int | None = None


@dataclass
class ProductFact:
    """A product the article says a firm makes, and the segments its words map to."""

    name: str
    segments: list[str]
    span: Span
    confidence: float
    term: str | None = None


@dataclass
class Firm:
    """A firm met in the article, with all names used for it.

    ``key`` is the canonical identity (normalised trade name, or the name itself when no
    trade name can be parsed); ``known_iri`` is set when the firm was linked to a firm
    already in the graph.
    """

    key: str
    name: str
    full_name: str | None
    aliases: list[str]
    mentions: list[Mention]
    known_iri: str | None = None
    in_park: bool = False
    origin: str | None = None
    products: list[ProductFact] = field(default_factory=list)
    tiers: list[Tier] = field(default_factory=list)
    figures: list[FigureFact] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Every name form: full name first, then aliases."""
        return ([self.full_name] if self.full_name else []) + [a for a in self.aliases if a != self.full_name]

    @property
    def segments(self) -> list[str]:
        """Segment IRIs from the firm's stated products, sorted."""
        return sorted({s for p in self.products for s in p.segments})

    @property
    def confidence(self) -> float:
        """Best mention confidence."""
        return max(m.confidence for m in self.mentions)


@dataclass
class Relation:
    """A relation between firms, or between the park and a firm.

    ``type`` is one of ``referral``, ``supply``, ``relocation``, ``visit``, ``investment``.
    ``source``/``target`` are firm keys, except: a visit's source is the park name (or
    ``"park"``) and ``note`` holds the officials' wording; a relocation's target is the
    place the firm came from (``place``); an investment's target is the park.
    """

    type: str
    source: str
    target: str
    evidence: Span
    confidence: float
    kind: str | None = None  # referral: PeerReferral / LeaderPull
    stage: str | None = None  # Introduced / Visited / Signed / Landed
    place: str | None = None
    note: str | None = None
    year: int | None = None
    amount: float | None = None
    unit: str | None = None
    collective: bool = False  # one of the pairs of a collective statement (A、B带动了C、D)


@dataclass
class Extraction:
    """Everything extracted from one article."""

    source: str
    park: str | None
    firms: list[Firm]
    relations: list[Relation]
    text: Normalized

    def firm(self, key: str) -> Firm:
        """The firm with this key."""
        for f in self.firms:
            if f.key == key:
                return f
        raise KeyError(key)


class Resolved(NamedTuple):
    """A firm mention resolved to its firm, in NORMALISED offsets ``[start, end)``.

    The relation rules read the article as the list of these, in text order.
    """

    start: int
    end: int
    key: str  # the firm's key (:attr:`Firm.key`)
    mention: Mention | None  # None only for a stand-in built by anaphora resolution


#: characters that end a sentence for the relation rules
SENTENCE_END = "。！？；!?;\n"


def sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every sentence of ``text`` (ends included; nothing left out).

    Examples
    --------
    >>> sentences("甲。乙；丙")
    [(0, 2), (2, 4), (4, 5)]
    """
    out, s = [], 0
    for i, c in enumerate(text):
        if c in SENTENCE_END:
            if i + 1 > s:
                out.append((s, i + 1))
            s = i + 1
    if s < len(text):
        out.append((s, len(text)))
    return out


def evidence_span(norm: Normalized, ns: int, ne: int) -> Span:
    """The :class:`Span` of normalised ``[ns, ne)``, trimmed of blanks, in ORIGINAL offsets."""
    while ns < ne and norm.text[ns] in " \n":
        ns += 1
    while ne > ns and norm.text[ne - 1] in " \n":
        ne -= 1
    s, e = norm.original_span(ns, ne)
    return Span(s, e, norm.text[ns:ne])
