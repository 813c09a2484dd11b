"""The main job: panorama, urgent gaps and top targets per leading chain, plus the files.

:func:`make_report` returns plain data (what the CLI prints), writes the HTML map into a
folder and the ranked targets as the staff's target list (:func:`chaingraph.target_list.write_target_list`,
the layout of ``targets --format xlsx``, written through the one safe xlsx writer
:mod:`chaingraph.excel`).  It never prints.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from chaingraph.analysis.context import build_context
from chaingraph.analysis.gaps import find_gaps
from chaingraph.analysis.panorama import panorama
from chaingraph.analysis.status import BUILDING, NO_RECORD
from chaingraph.analysis.targets import rank_targets, target_facts
from chaingraph.analysis.targets.explain import pool_notice
from chaingraph.defaults import DEFAULT_PARK
from chaingraph.errors import ChaingraphError
from chaingraph.fileio import output_error
from chaingraph.target_list import write_target_list
from chaingraph.viz.page import write_page
from chaingraph.viz.cards import candidate_card
from chaingraph.viz.view import LISTED, build_view, view_chains

MAP_NAME = "chain-map.html"
XLSX_NAME = "targets.xlsx"


#: the lists of :func:`~chaingraph.analysis.targets.rank_targets` merged over the chains
_LISTS = ("segments", "empty", "excluded_local", "local_rows", "weak_only", "partners_instead")


def make_report(graph, out_dir, *, park: str = DEFAULT_PARK,
                scope: str = "park", chains=None, gaps_per_chain: int = 5, targets: int = 3) -> dict:
    """Summaries for each leading chain; writes ``chain-map.html`` and ``targets.xlsx`` into ``out_dir``.

    Returns ``{"park", "scope", "chains": [{chain, label, summary, supporting_rate,
    local_firms, gaps: [{segment, label, status, kind, priority, explanation, targets: [{rank,
    name, city, score, introducers}]}]}], "files": {"map", "xlsx"}, "notes": [lines the reader must
    know: where the A-share candidates' facts come from and how old they are], "xlsx_writer": the
    writer's name, "view": counts}``.
    """
    out_dir = _folder(out_dir)
    ctx = build_context(graph, park=park, scope=scope)
    chain_iris = view_chains(ctx, chains or None)
    facts = target_facts(graph)
    ranked_all = _Ranked()
    out_chains = []
    for c in chain_iris:
        gap_rows = find_gaps(ctx, chain=c)
        ranked = rank_targets(ctx, chain=c, top=max(targets, LISTED), gaps=gap_rows, facts=facts)
        shown = ranked_all.add(gap_rows, ranked, targets)
        out_chains.append(_chain_summary(c, panorama(ctx, c), _urgent_gaps(gap_rows, ranked, shown, gaps_per_chain, targets)))
    view = build_view(ctx, chain=chain_iris, targets=targets, gaps=ranked_all.gaps, candidates=ranked_all.candidates,
                      candidate_counts=ranked_all.counts)
    map_path = write_page(view, out_dir / MAP_NAME)
    xlsx_path = out_dir / XLSX_NAME
    write_target_list(ranked_all.merged, xlsx_path)
    return {
        "park": ctx.park_label, "scope": ctx.scope, "chains": out_chains,
        "files": {"map": str(map_path), "xlsx": str(xlsx_path)},
        "notes": [n for n in [pool_notice(r["firm"] for r in ranked_all.merged["rows"] + ranked_all.merged["local_rows"])] if n],
        "xlsx_writer": f"{write_target_list.__module__}.{write_target_list.__name__}",
        "view": {k: view["meta"][k] for k in ("counts", "status_counts", "total_nodes", "total_edges", "collapsed")},
    }


def _folder(out_dir) -> Path:
    """The report's folder, made if missing; a file in the way or a folder that cannot be made is one error."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ChaingraphError(f"cannot write the report into {out_dir}: it is a file; give a folder with -o")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(out_dir, exc) from None
    return out_dir


@dataclass
class _Ranked:
    """Every chain's gaps and ranked targets: ``merged`` is one ``rank_targets`` result of the rows
    shown (what ``targets.xlsx`` lists), ``candidates``/``counts`` what the map's gap cards list."""

    merged: dict = field(default_factory=lambda: {"rows": [], **{k: [] for k in _LISTS}})
    candidates: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=dict)
    gaps: list[dict] = field(default_factory=list)

    def add(self, gap_rows: list[dict], ranked: dict, targets: int) -> list[dict]:
        """Take one chain's gaps and ranking; returns its rows shown (rank ``<= targets``)."""
        for r in ranked["rows"]:
            self.candidates[r["segment"]].append(r)
        self.counts.update({s["segment"]: s["candidates"] for s in ranked["segments"]})
        shown = [r for r in ranked["rows"] if r["rank"] <= targets]
        self.merged["rows"] += shown
        for k in _LISTS:
            self.merged[k] += ranked.get(k, [])
        for k in ("weights", "rules", "params"):
            self.merged.setdefault(k, ranked[k])
        self.gaps += gap_rows
        return shown


def _urgent_gaps(gap_rows: list[dict], ranked: dict, shown: list[dict], gaps_per_chain: int, targets: int) -> list[dict]:
    """The chain's first ``gaps_per_chain`` gaps, each with its targets shown; a leading segment's
    强链 with no target of its own lists its best up/downstream partners instead (#15)."""
    listed = {g["segment"]: [r for r in shown if r["segment"] == g["segment"]] for g in gap_rows[:gaps_per_chain]}
    partners: dict[str, list[dict]] = defaultdict(list)
    for r in ranked["rows"]:
        if r.get("strengthens"):
            partners[r["strengthens"]["segment"]].append(r)
    for seg, rows in partners.items():
        if seg in listed and not listed[seg]:
            best = sorted(rows, key=lambda r: (-(r.get("score") or 0), r.get("name") or ""))[:targets]
            listed[seg] = [{**r, "rank": i, "name": f"{r['name']}〔{r['segment_label']}配套〕"} for i, r in enumerate(best, 1)]
    return [{
        "segment": g["segment"], "label": g["label"], "status": g["status"], "kind": g["kind"],
        "priority": g["priority"], "explanation": g["explanation"],
        "status_explanation": g.get("status_explanation"), "status_brief": g.get("status_brief"),
        "missing_data": g.get("missing_data"), "recruit": g.get("recruit"),
        "targets": [{"rank": r["rank"], "name": r["name"], "city": r.get("city"), "score": r["score"],
                     "introducers": [i["path"] for i in candidate_card(r)["introducers"]],
                     "weak": bool(r.get("weak_evidence"))}
                    for r in listed[g["segment"]]],
    } for g in gap_rows[:gaps_per_chain]]


def _chain_summary(chain: str, pan: dict, urgent: list[dict]) -> dict:
    """One chain as the report prints it: panorama counts, supporting rate, coverage, urgent gaps."""
    return {"chain": chain, "label": pan["chain_label"], "summary": pan["summary"],
            "supporting_rate": pan["supporting_rate"]["rate"], "rate_name": pan["supporting_rate"]["name"],
            "local_firms": pan["local_firm_count"], "coverage": pan.get("coverage"),
            "unrecorded": sum(1 for r in pan["rows"] if r["status"] in (NO_RECORD, BUILDING)),
            "gaps": urgent}
