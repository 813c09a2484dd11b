"""The main job: panorama, urgent gaps and top targets per leading chain, plus the files.

:func:`make_report` returns plain data (what the CLI prints) and writes the HTML map and the
Excel list of targets into a folder.  It never prints.
"""

from __future__ import annotations

from pathlib import Path

from chaingraph.viz.view import _analysis, _plain, build_view, normalize_candidate

MAP_NAME = "chain-map.html"
XLSX_NAME = "targets.xlsx"


def _write_xlsx(result: dict, path: Path, writer=None) -> str:
    """Write the ranked targets with the given writer (the ``targets`` command's), else a plain
    sheet; both go through :func:`chaingraph.excel.write_workbook` (names stay text)."""
    if writer is not None:
        writer(result, path)
        return getattr(writer, "__module__", "") + "." + getattr(writer, "__name__", "writer")
    from chaingraph.excel import Sheet, write_workbook

    cols = [("chain_label", "产业链"), ("segment_label", "缺口环节"), ("gap_status", "状态"), ("rank", "排名"),
            ("name", "候选企业"), ("city", "所在地"), ("score", "得分"), ("introducers", "引荐路径"), ("why", "理由")]
    rows = []
    for r in result.get("rows", []):
        intro = "；".join(normalize_candidate(r, {})["introducers"])
        rows.append([intro if k == "introducers" else (r.get(k) if not isinstance(r.get(k), (list, dict)) else str(r.get(k)))
                     for k, _ in cols])
    write_workbook([Sheet("招商目标", [h for _, h in cols], rows)], path)
    return "chaingraph.excel.write_workbook"


def make_report(graph, out_dir, *, park: str = "永州经开区", scope: str = "park", chains=None,
                gaps_per_chain: int = 5, targets: int = 3, xlsx_writer=None) -> dict:
    """Summaries for each leading chain; writes ``chain-map.html`` and ``targets.xlsx`` to ``out_dir``.

    Returns ``{"park", "chains": [{chain, label, summary, supporting_rate, local_firms, gaps:
    [{segment, label, status, kind, priority, explanation, targets: [{rank, name, city, score,
    introducers}]}]}], "files": {"map", "xlsx"}, "view": meta}``.
    """
    from chaingraph.errors import ChaingraphError

    ana = _analysis()
    if not {"context", "gaps", "targets"} <= set(ana):
        raise ChaingraphError("chain analysis is not installed (chaingraph.analysis.context/gaps/targets)")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ChaingraphError(f"cannot write the report into {out_dir}: it is a file; give a folder with -o")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from chaingraph.fileio import output_error

        raise output_error(out_dir, exc) from None
    ctx = ana["context"].build_context(graph, park=park, scope=scope)
    if chains:
        chain_iris = [ana["context"].resolve_chain(ctx, c) for c in chains]
    else:
        chain_iris = sorted(ctx.focus_chains) or sorted(ctx.chains)
    facts = ana["targets"].target_facts(graph) if hasattr(ana["targets"], "target_facts") else None
    out_chains, all_rows, all_gaps, cand_by_seg, merged = [], [], [], {}, {}
    for c in chain_iris:
        gap_rows = [dict(_plain(r)) for r in ana["gaps"].find_gaps(ctx, chain=c)]
        ranked = _plain(ana["targets"].rank_targets(ctx, chain=c, top=targets, gaps=gap_rows, facts=facts))
        all_rows += ranked.get("rows", [])
        for k in ("segments", "empty", "excluded_local", "local_rows", "weak_only", "partners_instead"):  # lists of #15 too
            merged.setdefault(k, []).extend(ranked.get(k, []) or [])
        for k in ("weights", "rules", "params"):
            merged.setdefault(k, ranked.get(k) or {})
        all_gaps += gap_rows
        by_seg: dict[str, list[dict]] = {}
        for r in ranked.get("rows", []):
            by_seg.setdefault(r["segment"], []).append(r)
        cand_by_seg.update(by_seg)
        pan = _plain(ana["panorama"].panorama(ctx, c)) if "panorama" in ana else {}
        rate = (pan.get("supporting_rate") or {}).get("rate") if isinstance(pan.get("supporting_rate"), dict) else None
        urgent = []
        partners: dict[str, list[dict]] = {}  # #15: a leading segment's 强链 recruits its up/downstream partners
        for r in ranked.get("rows", []):
            if r.get("strengthens"):
                partners.setdefault(r["strengthens"]["segment"], []).append(r)
        for seg, rs in partners.items():
            best = sorted(rs, key=lambda r: (-(r.get("score") or 0), r.get("name") or ""))[:targets]
            by_seg.setdefault(seg, [{**r, "rank": i, "name": f"{r.get('name')}〔{r.get('segment_label')}配套〕"}
                                    for i, r in enumerate(best, start=1)])
        for g in gap_rows[:gaps_per_chain]:
            urgent.append({
                "segment": g["segment"], "label": g.get("label"), "status": g.get("status"), "kind": g.get("kind"),
                "priority": g.get("priority"), "explanation": g.get("explanation"),
                "status_explanation": g.get("status_explanation"), "status_brief": g.get("status_brief"),
                "missing_data": g.get("missing_data"), "recruit": g.get("recruit"),
                "targets": [{"rank": r.get("rank"), "name": r.get("name"), "city": r.get("city"), "score": r.get("score"),
                             "introducers": normalize_candidate(r, {})["introducers"], "weak": bool(r.get("weak_evidence"))}
                            for r in by_seg.get(g["segment"], [])],
            })
        out_chains.append({
            "chain": c, "label": ctx.chains.get(c, {}).get("label", c) if isinstance(ctx.chains.get(c), dict) else c,
            "summary": pan.get("summary", {}), "supporting_rate": rate,
            "local_firms": pan.get("local_firm_count"), "gaps": urgent,
            # how far to trust the figures, and what is not a gap (#14)
            "coverage": pan.get("coverage"), "rate_name": (pan.get("supporting_rate") or {}).get("name"),
            "unrecorded": sum(1 for r in pan.get("rows", []) if r.get("status") in ("未见记录", "在建/签约")),
        })
    view = build_view(ctx, chain=chain_iris, targets=targets, gaps=all_gaps, candidates=cand_by_seg,
                      rates=[{"chain": c["chain"], "rate": c["supporting_rate"],  # coverage beside the figure (#14)
                              "label": c["label"] + (f"（具名{c['coverage']['named']}家" + (f"／报道{c['coverage']['reported']}家）" if c["coverage"].get("reported") else "，总数未报道）") if c.get("coverage") else "")}
                             for c in out_chains],
                      evidence_graph=graph)
    from chaingraph.viz.page import write_page

    map_path = write_page(view, out_dir / MAP_NAME)
    xlsx_path = out_dir / XLSX_NAME
    result = {"segments": [], "empty": [], "excluded_local": [], "weights": {}, "rules": {}, "params": {},
              **merged, "rows": all_rows}
    writer = _write_xlsx(result, xlsx_path, xlsx_writer)
    return {
        "park": ctx.park_label, "scope": scope, "chains": out_chains,
        "files": {"map": str(map_path), "xlsx": str(xlsx_path)}, "xlsx_writer": writer,
        "view": {k: view["meta"][k] for k in ("counts", "status_counts", "total_nodes", "total_edges", "collapsed")},
    }
