"""Rank one segment's candidates: score rows, search ties only while they matter, explain the top.

Proximity is the one costly component (a tie search per firm).  Each firm is first scored with
proximity unknown and given the best rank key it could reach (proximity unknown, or 1.0); firms
are taken in that order and searched only while one can still enter the top rows, so the rows
kept, and their ranks, are those of the full ranking.  On a SPARQL store a crowded segment's
firms come from the store's score bounds (:mod:`.bounds`), merged into the same stream.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field
from typing import Iterable, Iterator, NamedTuple

from chaingraph.analysis.targets.candidates import Candidates, Partner, warm_leads
from chaingraph.analysis.targets.explain import (GROUP_LOCAL, GROUP_RECRUIT, component_notes, empty_message, local_why,
                                                 partner_why, weak_only_message, why)
from chaingraph.analysis.targets.introducers import tie_paths
from chaingraph.analysis.targets.regions import place_text, strategic_fit
from chaingraph.analysis.targets.scoring import (COMPONENT_LABELS, PRIORS, TIER_SCORE, Strength, match_strength,
                                                 product_fit, score)
from chaingraph.analysis.ties import TieGraph
from chaingraph.pool.matching import TermMatcher


def gap_value(gap: dict | None) -> float:
    """The gap-priority component: the segment's own priority, in [0, 1] (one score definition
    everywhere); 0 when the segment is not a gap."""
    return min(1.0, max(0.0, float(gap.get("priority") or 0.0))) if gap else 0.0


def rank_key(r: dict) -> tuple:
    """Rows sort by this: best score, then coverage, then name and IRI."""
    return (-r["score"], -r["coverage"], r["name"], r["firm"])


@dataclass
class Segment:
    """One segment being ranked: its template node, term matcher and gap row."""

    iri: str
    node: dict
    matcher: TermMatcher
    gap: dict | None
    strengths: dict = field(default_factory=dict)

    def strength(self, product: str | None) -> Strength:
        """:func:`~.scoring.match_strength` of ``product`` for this segment, worked out once per name
        (a firm's products are matched when it is bounded and again for its row)."""
        found = self.strengths.get(product)
        if found is None:
            found = self.strengths[product] = match_strength(product, self.matcher, self.iri)
        return found

    @classmethod
    def of(cls, ctx, s: str, gap: dict | None) -> "Segment":
        node = ctx.dag.nodes[s]
        matcher = TermMatcher([{"iri": s, "terms": node.get("product_terms", []),
                                "process_terms": node.get("process_terms", []),
                                "exclude_terms": node.get("exclude_terms", [])}])
        return cls(s, node, matcher, gap)


class FirmParts(NamedTuple):
    """The components of a firm that do not depend on the segment."""

    strategic: float | None
    why_region: list[str]
    tier: float | None


class Bounded(NamedTuple):
    """A firm in the ranking stream: the best rank key it could reach, and its row so far."""

    key: tuple
    firm: str
    row: dict | None  # None: made when the firm is taken (row() with proximity unknown)


@dataclass
class SegmentResult:
    """What ranking one segment adds to the result."""

    rows: list[dict]
    local_rows: list[dict]
    summary: dict
    empty: dict | None
    weak_only: dict | None


class Ranker:
    """Ranks segment after segment for one call of :func:`~chaingraph.analysis.targets.rank_targets`,
    sharing what does not depend on the segment (firm components, proximity, tie searches).

    ``members``: the candidates of each segment ranked here; ``counts``: the store's candidate
    counts; ``store_pages``: the store's ranking of each crowded segment (:mod:`.bounds`).
    """

    def __init__(self, ctx, *, facts: dict, weights: dict[str, float], candidates: Candidates, ties: TieGraph,
                 members: dict[str, list[str]], admitted: set[str], counts: dict, store_pages: dict,
                 plan_partners: dict[str, Partner], top: int):
        self.ctx, self.places, self.w = ctx, facts.get("places", {}), weights
        self.links = facts.get("links", {})
        self.candidates, self.tg, self.top = candidates, ties, top
        self.members, self.admitted, self.counts, self.store_pages = members, admitted, counts, store_pages
        self.partners_for = plan_partners
        self.focal = set(ctx.parks)
        sources = set(ctx.local_firms) | self.focal
        visited = ctx.source.visited_by(self.focal)
        self.warm = warm = warm_leads(ctx)  # stated visits, 考察 and 签约 of the focal parks
        self.visited = visited | set(warm)
        self.flags = ties.mark(sources)
        ctx.source.prefetch_labels(self.focal)
        self.park_search = {p: ties.search(p) for p in sorted(self.focal)}  # park ties: one search per focal park
        self.firm_parts: dict[str, FirmParts] = {}
        self.proximity: dict[str, float | None] = {}

    # ------------------------------------------------------------ rows

    def _parts(self, f: str, d: dict) -> FirmParts:
        """The firm's segment-independent components, worked out once (from its first attributes)."""
        strat, why_region = strategic_fit(d, self.places)
        tiers = [TIER_SCORE[t] for t in d.get("tier_iris", []) if t in TIER_SCORE]
        parts = self.firm_parts[f] = FirmParts(strat, why_region, max(tiers) if tiers else None)
        return parts

    def row(self, seg: Segment, f: str, prox: float | None, d: dict | None = None) -> dict:
        """The scored row of firm ``f`` for ``seg`` (``d``: its attributes; default its summary)."""
        d = d or self.candidates.info[f]
        g, s = seg.gap, seg.iri
        parts = self.firm_parts.get(f) or self._parts(f, d)
        fit, prods = product_fit(d, self.links.get((f, s), []), seg.matcher, s, strength_of=seg.strength)
        visited = f in self.visited
        warm = self.warm.get(f, ["园区已拜访"]) if visited else None
        notes = component_notes(g, prods, (parts.strategic, parts.why_region), d.get("tiers", []), warm)
        values = {"gap_priority": gap_value(g), "product_fit": fit, "proximity": prox, "strategic_fit": parts.strategic,
                  "tier": parts.tier, "contacted": 1.0 if visited else None}
        components = {
            k: {"value": round(v, 4) if v is not None else None, "known": v is not None or k == "gap_priority",
                "weight": self.w[k], "note": notes[k], "label": COMPONENT_LABELS[k], "prior": PRIORS[k]}
            for k, v in values.items()
        }
        sc, coverage = score(components)
        node = seg.node
        return {
            "segment": s, "segment_label": node["label"], "chain": node["chain"],
            "chain_label": node.get("chain_label"), "gap_kind": g["kind"] if g else None,
            "gap_status": g.get("status") if g else None,
            "gap_explanation": g.get("status_explanation") if g else None,
            "gap_recruit": g.get("recruit") if g else None,
            "firm": f, "name": d["label"], "full_name": d.get("full_name"), "stock_code": d.get("stock_code"),
            "city": d.get("city_label") or place_text(d), "tiers": d.get("tiers", []), "products": prods,
            "weak_evidence": not prods or all(p["weak"] for p in prods),
            "score": sc, "coverage": coverage, "components": components,
            "introducers": None, "park_ties": None, "why": None,  # filled for the rows shown
        }

    def _proximity(self, f: str) -> float | None:
        if f not in self.proximity:
            self.proximity[f] = self.tg.proximity(f, self.flags)
        return self.proximity[f]

    # ------------------------------------------------------------ ranking

    def _bounded(self, seg: Segment, f: str) -> Bounded:
        """Firm ``f`` keyed by the best rank it could reach: scored with proximity unknown and with
        proximity 1.0 (unknown only, when the firm has no tie to search).  Only the numbers: its row is made if the firm is taken from the stream
        (most firms of a crowded segment never are)."""
        d = self.candidates.info[f]
        parts = self.firm_parts.get(f) or self._parts(f, d)
        fit, _ = product_fit(d, self.links.get((f, seg.iri), []), seg.matcher, seg.iri, detail=False,
                             strength_of=seg.strength)
        values = {"gap_priority": gap_value(seg.gap), "product_fit": fit, "proximity": None,
                  "strategic_fit": parts.strategic, "tier": parts.tier, "contacted": 1.0 if f in self.visited else None}
        unknown = {k: {"value": round(v, 4) if v is not None else None, "known": v is not None or k == "gap_priority",
                       "weight": self.w[k], "prior": PRIORS[k]} for k, v in values.items()}  # as row() scores them
        scores = [score(unknown)]
        if f in self.tg.ids:  # a firm with no tie at all keeps proximity unknown: its key is exact
            scores.append(score(dict(unknown, proximity=dict(unknown["proximity"], value=1.0, known=True))))
        return Bounded(min((-sc, -cov, d["label"], f) for sc, cov in scores), f, None)

    def _from_store(self, seg: Segment, special: set[str]) -> Iterator[Bounded]:
        """The store's ranking of ``seg`` (best bound first), the firms scored here left out."""
        for page in self.store_pages[seg.iri]:
            admitted = set(self.candidates.admit(r["f"] for r in page if r["f"] not in special))
            for r in page:
                if r["f"] in admitted:
                    yield Bounded((-r["ub"], -r["cov"], r["label"], r["f"]), r["f"], self.row(seg, r["f"], None))

    def ranked(self, seg: Segment, firms: list[str], special: set[str] | None = None) -> list[dict]:
        """Rows of ``firms`` (and of the store's ranking when ``special`` is given: the firms
        scored here), ranked, as far as the top rows reach."""
        top = self.top
        stream: Iterable[Bounded] = sorted((self._bounded(seg, f) for f in firms), key=lambda b: b.key)
        if special is not None:
            stream = heapq.merge(stream, self._from_store(seg, special), key=lambda b: b.key)
        seg_rows, keys = [], []
        for b in stream:
            if top and len(keys) >= top and b.key > keys[top - 1]:
                break
            prox = self._proximity(b.firm)
            r = (b.row or self.row(seg, b.firm, None)) if prox is None else self.row(seg, b.firm, prox)
            k = rank_key(r)
            at = bisect.bisect(keys, k)
            keys.insert(at, k)
            seg_rows.insert(at, r)
        for i, r in enumerate(seg_rows, start=1):
            r["rank"] = i
        return seg_rows

    def shown(self, seg: Segment, kept: list[dict]) -> list[dict]:
        """The rows shown, in full: every attribute, introducers, park ties, paths with evidence, 推荐理由."""
        ctx = self.ctx
        full = ctx.firm_info(r["firm"] for r in kept)
        kept = [dict(self.row(seg, r["firm"], self.proximity[r["firm"]], full[r["firm"]]), rank=r["rank"]) for r in kept]
        paths = tie_paths(ctx, self.tg, [r["firm"] for r in kept], self.park_search)
        for r in kept:
            found, note = paths[r["firm"]]
            if note:
                r["components"]["proximity"]["note"] = note
            introducers = [p for p in found if p["firm"] in ctx.local_firms]
            r["introducers"] = introducers
            r["park_ties"] = [p for p in found if p["firm"] in self.focal]
            r["why"] = why(r, introducers)
        return kept

    # ------------------------------------------------------------ one segment

    def _in_segment(self, seg: Segment) -> tuple[list[str], set[str] | None, int]:
        """(firms scored here, the same as a set when the store ranks the rest, candidate count)."""
        s = seg.iri
        if s not in self.store_pages:
            in_seg = [f for f in self.members.get(s, []) if f in self.admitted]
            return in_seg, None, len(in_seg)
        # firms with ties, visits or links are scored here; the store bounds the rest
        ctx = self.ctx
        closure = ctx.segment_closure([s])[s]
        linked = {f for f, s_ in self.links if s_ == s}
        own = ctx.source.segments(set(self.tg.nodes) | self.visited | linked)  # the few with ties, visits, links
        special = set(self.candidates.admit(f for f, ss in own.items() if closure.intersection(ss)))
        n_candidates, _ = self.counts[s]
        return sorted(special), special, n_candidates

    def _recruits(self, seg: Segment, kept: list[dict]) -> list[dict]:
        partner = self.partners_for.get(seg.iri)
        for r in kept:
            r["group"] = GROUP_RECRUIT
            if partner:
                leader_label = self.ctx.dag.nodes[partner.leader_segment]["label"]
                r["strengthens"] = {"segment": partner.leader_segment, "label": leader_label,
                                    "role": partner.role, "leaders": partner.leaders}
                r["why"] = partner_why(leader_label, partner.role, [self.ctx.firm_label(f) for f in partner.leaders]) + r["why"]
        return kept

    def _home_rows(self, seg: Segment, home_label: str | None) -> tuple[list[dict], int]:
        """(rows shown, count) of the segment's firms already in the home area: scored alike."""
        members = self.members.get(seg.iri, []) if seg.iri not in self.store_pages else ()
        home_rows = [self.row(seg, f, self._proximity(f)) for f in sorted(f for f in members if f in self.candidates.in_home)]
        home_rows.sort(key=rank_key)
        for i, r in enumerate(home_rows, start=1):
            r["rank"] = i
        shown = self.shown(seg, home_rows if not self.top else home_rows[:self.top])
        for r in shown:
            r["group"] = GROUP_LOCAL
            r["why"] = local_why(home_label) + r["why"]
        return shown, len(home_rows)

    def segment(self, s: str, gap: dict | None, home_label: str | None) -> SegmentResult:
        """Rank one segment: its new recruits, its firms in the home area, its summary and messages."""
        seg = Segment.of(self.ctx, s, gap)
        in_seg, special, n_candidates = self._in_segment(seg)
        seg_rows = self.ranked(seg, in_seg, special)
        kept = self._recruits(seg, self.shown(seg, seg_rows if not self.top else seg_rows[:self.top]))
        local_rows, n_local = self._home_rows(seg, home_label)
        node, g = seg.node, gap
        where = {"segment": s, "label": node["label"], "chain": node["chain"], "chain_label": node.get("chain_label")}
        summary = {**where, "priority": g.get("priority") if g else None,
                   "kind": g["kind"] if g else None, "candidates": n_candidates,
                   "local_candidates": n_local,
                   "only_weak": bool(kept) and all(r["weak_evidence"] for r in kept)}
        empty = weak = None
        if not n_candidates:
            empty = {**where, "message": empty_message(node["label"])}
        elif summary["only_weak"]:
            weak = {**where, "message": weak_only_message(node["label"], len(kept))}
        return SegmentResult(kept, local_rows, summary, empty, weak)
