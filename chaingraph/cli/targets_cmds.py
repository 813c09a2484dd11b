"""Recruitment targets and candidate pools: ``targets``, ``import``, ``pool build``."""

from __future__ import annotations

from pathlib import Path

import click

from chaingraph.cli.common import echo_rows, format_option, info, pass_app
from chaingraph.defaults import DEFAULT_PARK
from chaingraph.errors import ChaingraphError
from chaingraph.render import to_json
from chaingraph.target_list import TARGET_COLUMNS, flat_row, write_target_list

TABLE_COLUMNS = [(key, header) for key, header in TARGET_COLUMNS
                 if key not in ("full_name", "why", "coverage", "gap_kind", "group", "gap_status", "gap_explanation")]
TABLE_TOP = 3
"""Candidates per gap a table lists when ``--top`` is not given (JSON/CSV/xlsx keep the --top default)."""


@click.command()
@click.option("--chain", help="Chain name or IRI (default: every chain with gaps).")
@click.option("--segment", help="Segment name or IRI: rank candidates for this segment only.")
@click.option("--top", type=int, default=10, show_default=True,
              help=f"Candidates per segment (0 = all). A table lists the first {TABLE_TOP} unless --top is given.")
@click.option("--region", "regions", multiple=True, help="Only candidates in this region/province/city (repeatable), e.g. 粤港澳大湾区.")
@click.option("--park", default=DEFAULT_PARK, show_default=True, help="Focal park.")
@click.option("--scope", type=click.Choice(["park", "city"]), default="park", show_default=True, help="Local firms: the park's, or the whole city's.")
@click.option("--weights", "weights_file", type=click.Path(path_type=Path, dir_okay=False), help="JSON or TOML file of component weights.")
@format_option("xlsx")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file (required for xlsx).")
@pass_app
def targets(app, chain, segment, top, regions, park, scope, weights_file, fmt, output):
    """Rank real firms to recruit into each gap, with the reasons and who can introduce them.

    Score components (each shown; an unknown one counts at its documented neutral prior):
    gap priority, product fit, relationship proximity, strategic region, tier, already
    contacted. Firms already in the city are listed apart (本地企业增资扩产 / 市内协作).
    Candidates come from the graph, the bundled A-share pool (data of 2021-10), `pool
    build` and `import`.

    \b
    Example:
      chaingraph targets --segment 玻璃基板
      chaingraph targets --chain 先进电子器件 --region 粤港澳大湾区 --top 5
      chaingraph targets --format xlsx -o 招商清单.xlsx
    """
    from chaingraph.analysis.context import build_context, resolve_chain
    from chaingraph.analysis.targets import load_weights, notices, rank_targets, target_facts
    from chaingraph.lookup import resolve, segment_names

    out_fmt = app.format(fmt)
    if out_fmt == "xlsx" and output is None:
        raise ChaingraphError("--format xlsx needs -o FILE.xlsx")
    graph = app.analysis_graph()
    ctx = build_context(graph, park=park, scope=scope)
    chain_iri = resolve_chain(ctx, chain) if chain else None
    seg_iri = None
    if segment:
        seg_iri = resolve(segment, segment_names(dict(ctx.dag.nodes(data=True)), chain=chain_iri), "segment")
    weights = load_weights(weights_file) if weights_file else None
    top_given = click.get_current_context().get_parameter_source("top") != click.core.ParameterSource.DEFAULT
    if out_fmt == "table" and not top_given:
        top = TABLE_TOP  # ranked only as far as shown: tie paths are searched for these rows only
    result = rank_targets(ctx, chain=chain_iri, segment=seg_iri, top=top, regions=regions, weights=weights,
                          facts=target_facts(graph, [seg_iri] if seg_iri else None))
    for line in notices(result):
        info(line)
    if out_fmt == "xlsx":
        write_target_list(result, output)
        info(f"wrote {output} ({len(result['rows'])} rows)")
        return
    rows = [flat_row(r) for r in result["rows"] + result.get("local_rows", [])]
    if out_fmt == "json":
        text = to_json(result)
    else:
        from chaingraph.render import render

        cols = TARGET_COLUMNS if out_fmt == "csv" else TABLE_COLUMNS + ([("group", "分组")] if result.get("local_rows") else [])
        text = render(rows, cols, out_fmt, title="招商目标 (recruitment targets)",
                      caption=_left_out(result, top, top_given) if out_fmt == "table" else None,
                      no_wrap=("rank", "name", "stock_code", "score", "gap_priority", "product_fit", "proximity",
                               "strategic_fit", "tier", "contacted"))
    if output:
        from chaingraph.fileio import write_text_atomically

        write_text_atomically(output, text)
        info(f"wrote {output}")
    else:
        click.echo(text, nl=False)


def _left_out(result: dict, top: int, top_given: bool) -> str | None:
    """The table's note on the candidates it does not list, and how to see them (None: all listed)."""
    shown = len(result["rows"]) + len(result.get("local_rows", []))
    total = sum((s.get("candidates") or 0) + (s.get("local_candidates") or 0) for s in result["segments"])
    if total <= shown:
        return None
    how = "--top N" if top_given else "--top 10"
    return (f"每个缺口列出前 {top} 名：另有 {total - shown} 条候选未列出（共 {total} 条）。"
            f"查看更多：{how}（--top 0 为全部），或 --format csv / json / xlsx -o 文件\n"
            f"(first {top} per gap; {total - shown} of {total} candidate rows not listed: {how}, --top 0 for all, "
            f"or --format csv/json/xlsx)")


def _progress(label: str):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    console = Console(stderr=True)
    # a bar only on a terminal: on a pipe or log rich ends a stopped bar with a newline, and the
    # error or summary after it began with a blank line
    return Progress(TextColumn(label), BarColumn(), TaskProgressColumn(), console=console, transient=True,
                    disable=not console.is_terminal)


def _segments(graph):
    from chaingraph.pool.chainkg import segments_from_graph

    return segments_from_graph(graph)


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--skip-bad", is_flag=True, help="Import the good rows even when some rows are bad.")
@format_option()
@pass_app
def import_cmd(app, file, skip_bad, fmt):
    """Import your own candidate list (CSV, or an enterprise-information export) into the user data folder.

    An export from an enterprise-information service (Excel .xlsx or CSV with Chinese
    headers 企业名称, 统一社会信用代码, 注册地址, 经营范围, 所属行业, 成立日期, 注册资本, 企业类型)
    is read by header name: the place from 注册地址 (cnloc, offline), segments from 经营范围
    and 所属行业 with the chain templates' vocabulary (business scope is weak evidence).
    Example file: docs/examples/企业名单示例.xlsx. Otherwise the English columns: name (required), full_name, aliases, province, city, products, segments,
    tiers, stock_code, industry_code, note (multi-values separated by ；/;/、). UTF-8 or
    GB18030. Bad rows are reported by row number; nothing is imported unless all rows
    are good (or --skip-bad). Writes $CHAINGRAPH_HOME/data/imports/<stem>-<hash>.ttl
    (one file per imported path: re-importing a file replaces its earlier import).

    \b
    Example:
      chaingraph import 深圳电子企业.csv
      chaingraph import 企查查导出.xlsx --skip-bad
    """
    from chaingraph.pool.csv_import import import_csv
    from chaingraph.pool.enterprise import import_export, is_enterprise_export
    from chaingraph.project import firms, names_of, place_iris

    graph = app.graph()
    known = {f: names_of(d) for f, d in firms(graph).items()}
    places = place_iris(graph)
    export = is_enterprise_export(file)  # Chinese headers (企业名称 …) or a workbook
    with _progress("import") as prog:
        task = prog.add_task("import", total=None)
        rep = (import_export if export else import_csv)(
            file, _segments(graph), skip_bad=skip_bad, known=known, known_places=places,
            progress=lambda done, total: prog.update(task, completed=done, total=total))
    for b in rep["bad"]:
        info(f"row {b['row']}: {b['reason']}")
    if rep["bad"] and not skip_bad:
        raise ChaingraphError(f"{len(rep['bad'])} bad row(s) in {file}; nothing imported (fix them or use --skip-bad)")
    if rep["written"] is None:
        raise ChaingraphError(f"every row of {file} is bad ({len(rep['bad'])}); nothing imported")
    if rep["bad"]:
        info(f"skipped {len(rep['bad'])} bad row(s) (--skip-bad)")
    info(f"imported {rep['imported']} firm(s) into {rep['written']}")
    cols = [("row", "行"), ("name", "企业"), ("iri", "IRI"), ("segments", "环节"), ("existing", "已有企业")]
    shown = rep["firms"]
    if export:
        cols[3:3] = [("place", "所在地"), ("place_from", "地点来源")]
        label = {s["iri"]: s["label"] for s in _segments(graph)}
        shown = [{**f, "segments": [label.get(s, s) for s in f["segments"]]} for f in shown]
    echo_rows(app, fmt, shown, cols, payload=rep)


@click.group()
def pool():
    """Candidate pools for `targets`.

    \b
    Example:
      chaingraph pool build
    """


@pool.command(name="build")
@click.argument("src", required=False, type=click.Path(path_type=Path, file_okay=False))
@format_option()
@pass_app
def pool_build(app, src, fmt):
    """Build the A-share candidate pool from a local ChainKnowledgeGraph copy.

    SRC defaults to ../shared/refdata/ChainKnowledgeGraph next to the repository. The
    result is written to $CHAINGRAPH_HOME/data/pool/chainkg.ttl and replaces the pool
    shipped with the package (the same table of facts, compiled from 刘焕勇's
    ChainKnowledgeGraph, data of 2021-10); treat firms as leads to verify.

    \b
    Example:
      chaingraph pool build
      chaingraph pool build /data/ChainKnowledgeGraph
    """
    from chaingraph.pool.chainkg import build_pool, segment_rows
    from chaingraph.store import bundled_pool_files, load_files, user_data_dir

    target = user_data_dir() / "pool" / "chainkg.ttl"
    if src is None:
        src = Path(__file__).resolve().parents[2].parent / "shared" / "refdata" / "ChainKnowledgeGraph"
    skip = {target.resolve(), *(p.resolve() for p in bundled_pool_files())}
    files = [f for f in app.source().files() if Path(f).resolve() not in skip]
    graph = load_files(files)
    with _progress("pool build") as prog:
        task = prog.add_task("pool", total=None)
        summary = build_pool(graph, src, target, progress=lambda done, total: prog.update(task, completed=done, total=total))
    info(f"wrote {summary['path']}: {summary['firms']} firms, {summary['products']} product lines "
         f"({summary['placeholder_shares']} with unknown share, {summary['stale_suspect']} suspected stale); "
         f"data of {summary['date']}: check that a firm still makes the product")
    rows = segment_rows(graph, summary)
    echo_rows(app, fmt, rows, [("chain", "产业链"), ("stage", "阶段"), ("segment", "环节"), ("firms", "候选企业数")],
              payload=summary)


COMMANDS = [targets, import_cmd, pool]
