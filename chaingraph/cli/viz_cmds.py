"""Map and report commands: viz (the interactive chain map) and report (the main job)."""

from __future__ import annotations

from pathlib import Path

import click

from chaingraph.cli.common import echo_rows, format_option, info, pass_app
from chaingraph.defaults import DEFAULT_PARK
from chaingraph.render import to_json


@click.command()
@click.option("--chain", "chains", multiple=True, metavar="NAME",
              help="Chain to draw (repeatable; 'all' for every chain). Default: the park's leading chains.")
@click.option("--scope", type=click.Choice(["park", "city"]), default="park", show_default=True,
              help="Local firms: those in the park, or anywhere in its city.")
@click.option("--park", default=DEFAULT_PARK, show_default=True, help="The park whose map this is.")
@click.option("--targets", "top", type=click.IntRange(0, 50), default=3, show_default=True,
              help="Candidate targets shown for each gap.")
@click.option("--threshold", type=click.IntRange(0), default=300, show_default=True,
              help="Above this many firms the page starts at segment level (expand on demand).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@pass_app
def viz(app, chains, scope, park, top, threshold, output):
    """Write the interactive chain map (全景图谱) as one offline HTML file.

    Segments run upstream → downstream, coloured by status (缺失/薄弱/具备/强); local firms sit
    under their segments; the top candidates of each gap are purple diamonds. The page needs no
    network: open it from disk in any browser.

    \b
    Example:
      chaingraph viz -o map.html
      chaingraph viz --chain 先进电子器件 --scope city --targets 5 -o ed.html
    """
    from chaingraph.viz import build_view, write_page

    view = build_view(app.analysis_graph(), chain=list(chains) or None, scope=scope, park=park, targets=top, threshold=threshold)
    path = write_page(view, output)
    m = view["meta"]
    info(f"map: {path} ({path.stat().st_size / 1e6:.1f} MB; {m['total_nodes']} nodes, {m['total_edges']} edges"
         f"{'; starts at segment level' if m['collapsed'] else ''})")


GAP_COLUMNS = [("rank", "#"), ("label", "缺口环节"), ("status", "状态"), ("kind", "类型"), ("priority", "优先级"), ("status_brief", "依据（原文）"),
               ("targets", "候选目标（得分｜引荐路径）")]


@click.command()
@click.option("-o", "--output", "out_dir", default="chaingraph-report", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the map and the Excel list.")
@click.option("--park", default=DEFAULT_PARK, show_default=True, help="The park to report on.")
@click.option("--scope", type=click.Choice(["park", "city"]), default="park", show_default=True,
              help="Local firms: those in the park, or anywhere in its city.")
@click.option("--chain", "chains", multiple=True, metavar="NAME", help="Chain (repeatable). Default: the park's leading chains.")
@click.option("--gaps", "n_gaps", type=click.IntRange(1, 100), default=5, show_default=True, help="Gaps listed per chain.")
@click.option("--targets", "top", type=click.IntRange(0, 50), default=3, show_default=True, help="Targets per gap.")
@format_option()
@pass_app
def report(app, out_dir, park, scope, chains, n_gaps, top, fmt):
    """The main job: panorama, most urgent gaps and top targets for each leading chain.

    Prints a summary per chain (local supporting rate, status counts), the most urgent gaps
    with their top candidate targets and introducers, and writes the interactive map
    (chain-map.html) and the Excel list of targets (targets.xlsx) into the folder.

    \b
    Example:
      chaingraph report
      chaingraph report -o out/ --targets 5
    """
    from chaingraph.viz.report import make_report

    result = make_report(app.analysis_graph(), out_dir, park=park, scope=scope, chains=list(chains) or None,
                         gaps_per_chain=n_gaps, targets=top)
    out = app.format(fmt)
    if out == "json":
        click.echo(to_json(result), nl=False)
    else:
        for ch in result["chains"]:
            rate = ch["supporting_rate"]
            counts = "、".join(f"{k}{v}" for k, v in (ch["summary"] or {}).items() if isinstance(v, (int, float)))
            cov = (ch.get("coverage") or {}).get("text") or ""
            title = (f"{result['park']} · {ch['label']}  {ch.get('rate_name') or '配套环节覆盖率'} {'—' if rate is None else f'{rate:.0%}'}"
                     f"  具名本地企业 {ch['local_firms'] if ch['local_firms'] is not None else '—'}  环节 {counts}"
                     + (f"  数据覆盖：{cov.split('：', 1)[-1]}" if cov else "")
                     + (f"  未见记录/在建{ch['unrecorded']}个另列（不是缺失）" if ch.get("unrecorded") else ""))
            rows = []
            for i, g in enumerate(ch["gaps"], 1):
                t = "；".join(
                    f"{x['rank']}. {x['name']}（{x['score']:.2f}｜{'；'.join(x['introducers']) or '无引荐人'}）"
                    if isinstance(x.get("score"), (int, float)) else str(x["name"])
                    for x in g["targets"]
                ) or "（暂无候选，需扩充候选池）"
                if g["targets"] and all(x.get("weak") for x in g["targets"]):  # #15: say plainly the pool has no maker
                    t = "（候选库中无此主业企业，以下仅弱证据，须核实；可 chaingraph import 企业名单）" + t
                rows.append({**g, "rank": i, "targets": t})
            echo_rows(app, out, rows, GAP_COLUMNS, title=title)
        for note in result.get("notes", []):
            info(note)
    info(f"map:     {result['files']['map']}  (open it in a browser; works offline)")
    info(f"targets: {result['files']['xlsx']}")


COMMANDS = [viz, report]
