"""Which segments are ranked, and which firms are candidates for them.

Segments: the gaps (or the one segment asked for); a segment a leading local firm holds
(find_gaps' ``recruit`` mode ``partners``, 强链) is replaced by its upstream and downstream
segments, to recruit the leader's suppliers and customers rather than its competitors.

Candidates: firms outside the focal park(s), not a local firm under another name (any name of
the two equal after :func:`chaingraph.lookup.name_key`), in the regions asked for; those
already in the park's home area (:func:`~.regions.home_area`) are set apart as local firms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from chaingraph.analysis.targets.regions import firm_regions, matches_region
from chaingraph.errors import ChaingraphError
from chaingraph.store import select_in


@dataclass(frozen=True)
class Partner:
    """A segment ranked for a leading local firm's segment (强链): its suppliers or customers."""

    leader_segment: str  # the segment the local leaders hold
    role: str  # 上游配套 / 下游客户
    leaders: list[str]  # local firms holding it, chain leaders first


@dataclass
class Plan:
    """The segments to rank, in order, with their gap rows and the partner segments among them."""

    segments: list[str]
    gap_by_seg: dict[str, dict]
    partners_for: dict[str, Partner] = field(default_factory=dict)


def plan_segments(ctx, gaps: list[dict], *, chain: str | None = None, segment: str | None = None) -> Plan:
    """The segments to rank: ``segment``, else every gap in the chain templates (of ``chain``),
    with a leading local firm's segment replaced by its partner segments (see the module docstring)."""
    gap_by_seg = {g["segment"]: g for g in gaps}
    if segment is not None:
        if segment not in ctx.dag:
            raise ChaingraphError(f"segment not in the chain templates: {segment}")
        segs = [segment]
    else:
        segs = [g["segment"] for g in gaps if g["segment"] in ctx.dag]
    if chain is not None:
        segs = [s for s in segs if ctx.dag.nodes[s]["chain"] == chain]
    plan = Plan(segs, gap_by_seg)
    if segment is None:  # only when no segment was asked for
        _partner_segments(ctx, plan, chain)
    return plan


def _partner_segments(ctx, plan: Plan, chain: str | None) -> None:
    """Replace each segment in ``partners`` recruit mode by its upstream and downstream segments."""
    segs, gap_by_seg = plan.segments, plan.gap_by_seg
    local_by_seg = ctx.segment_firms()
    for s in list(segs):
        g = gap_by_seg.get(s)
        recruit = (g or {}).get("recruit") or {}
        if recruit.get("mode") != "partners":
            continue
        segs.remove(s)
        held = sorted(local_by_seg.get(s, []), key=lambda f: (f not in ctx.leaders, f))
        up = set(ctx.dag.predecessors(s))
        for n in recruit.get("segments", []):
            if n not in ctx.dag:
                continue
            plan.partners_for.setdefault(n, Partner(s, "上游配套" if n in up else "下游客户", held))
            if n not in segs and (chain is None or ctx.dag.nodes[n]["chain"] == chain):
                segs.append(n)
                gap_by_seg.setdefault(n, {**g, "segment": n, "partner_of": s})


def warm_leads(ctx) -> dict[str, list[str]]:
    """``{firm: [reasons]}``: firms a focal park has a recruitment lead or project with at stage
    已考察 (``cg:Visited``) or 已签约 (``cg:Signed``) — warm leads, like the park's visits."""
    rows = select_in(ctx.source.graph, """SELECT ?f ?st WHERE { #VALUES
        ?x cg:firm ?f ; cg:park ?p ; cg:leadStage ?st FILTER(?st IN (cg:Visited, cg:Signed)) }""", "p", sorted(ctx.parks))
    out: dict[str, list[str]] = {}
    for r in rows:
        why = "园区已签约" if r["st"].endswith("Signed") else "园区已考察"
        if why not in out.setdefault(r["f"], []):
            out[r["f"]].append(why)
    return {f: sorted(v) for f, v in out.items()}


def local_name_index(ctx) -> dict[str, str]:
    """``{name_key: local_firm}`` for every name of every local firm."""
    out: dict[str, str] = {}
    keys = ctx.source.name_keys(ctx.local_firms)
    for f in sorted(ctx.local_firms):
        for k in keys.get(f, []):
            out.setdefault(k, f)
    return out


class Candidates:
    """Admits firms as candidates, once each, remembering why the others were left out.

    ``info``: the summaries scoring reads (the rows shown get every attribute later);
    ``excluded_local``: firms that are a local firm under another name; ``in_home``: firms
    already in the home area (本地企业增资扩产 / 市内协作).
    """

    def __init__(self, ctx, places: dict, wanted: set[str], home: str | None):
        self.ctx, self.places, self.wanted, self.home = ctx, places, wanted, home
        self.local_keys = local_name_index(ctx)
        self.info: dict[str, dict] = {}
        self.excluded_local: list[dict] = []
        self.in_home: set[str] = set()
        self._verdict: dict[str, bool] = {}

    def admit(self, firms: Iterable[str]) -> list[str]:
        """The candidates among ``firms`` (sorted): a firm, not local, not a local firm under
        another name, in the regions asked for and not in the home area."""
        firms = set(firms) - self.ctx.local_firms
        todo = sorted(f for f in firms if f not in self._verdict)
        if todo:
            self._judge(todo)
        return [f for f in sorted(firms) if self._verdict.get(f)]

    def _judge(self, todo: list[str]) -> None:
        ctx = self.ctx
        self.info.update(ctx.source.summaries(todo))
        keys = ctx.source.name_keys(todo)
        for f in todo:
            d = self.info.get(f)
            hit = d is not None and next((self.local_keys[k] for k in keys.get(f, []) if k in self.local_keys), None)
            if hit:
                self.excluded_local.append({"firm": f, "name": d.get("label"), "local_firm": hit, "local_name": ctx.firm_label(hit)})
            ok = d is not None and not hit and (not self.wanted or matches_region(d, self.wanted, self.places))
            if ok and self.home and self.home in firm_regions(d, self.places).regions:
                ok = False
                self.in_home.add(f)
            self._verdict[f] = ok
