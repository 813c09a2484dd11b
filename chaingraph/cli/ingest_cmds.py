"""ingest and merge: new articles → reviewable staging Turtle → the user data folder."""

from __future__ import annotations

from pathlib import Path

import click

from chaingraph.cli.common import echo_rows, format_option, info, pass_app
from chaingraph.render import to_json


#: relation types as the table shows them (JSON keeps the English type names)
_REL_LABELS = {"referral": "引荐", "supply": "供应", "visit": "考察拜访", "relocation": "迁移", "investment": "投资设立"}
_STAGE_LABELS = {"Introduced": "已引荐", "Visited": "已考察", "Signed": "已签约", "Landed": "已落地"}  # cg:LeadStage labels


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the staging graph (Turtle) here.")
@click.option("--park", help="Park the articles are about (name or alias of a park in the graph).")
@click.option("--title", help="The article's title, for a new source (one file only; a file already in the graph keeps its title).")
@click.option("--report", "show_report", is_flag=True, help="Print the firms and relations found, per article.")
@format_option()
@pass_app
def ingest(app, files, output, park, title, show_report, fmt):
    """Extract firms, aliases, relations and products from plain-text articles.

    Reads UTF-8 or GB18030/GBK text, in simplified or traditional script. The result is a
    staging graph to review; `chaingraph merge STAGING` adds it to your data folder.
    With --format json prints one object per article:
    {source, firms: [...], relations: [{type, source, target, evidence}]}.

    \b
    Example:
      chaingraph ingest news/*.txt -o staging.ttl --report
      chaingraph ingest article.txt --format json
      chaingraph ingest article.txt --title "永州经开区…" -o staging.ttl
    """
    from chaingraph.ingest.pipeline import ingest_files

    result = ingest_files(app.graph(), files, park=park, title=title, progress=lambda p: info(f"reading {p}"))
    if output:
        from chaingraph.fileio import write_text_atomically

        write_text_atomically(output, result.staging.serialize(format="turtle"))
        info(f"staging graph: {output} ({len(result.staging)} triples); review it, then: chaingraph merge {output}")
    out = app.format(fmt)
    if out == "json":
        click.echo(to_json(result.reports), nl=False)
        return
    if show_report or not output:
        for rep in result.reports:
            firms = [
                {"name": f["name"], "full_name": f.get("full_name"), "aliases": f["aliases"], "in_park": f["in_park"],
                 "origin": f["origin"], "products": f["products"], "segments": f.get("segments", [])}
                for f in rep["firms"]
            ]
            echo_rows(app, out, firms, [("name", "企业"), ("full_name", "全称"), ("aliases", "别名"), ("in_park", "园区内"),
                                        ("origin", "来源地"), ("products", "产品"), ("segments", "环节")],
                      title=f"{rep['source']} — 企业 (firms)")
            rels = [{**r, "type": _REL_LABELS.get(r["type"], r["type"]) + ("（合称）" if r.get("collective") else ""),
                     "source": (rep.get("park") or "园区") if r["type"] == "visit" else r["source"],
                     "evidence": (r.get("evidence") or {}).get("quote") if isinstance(r.get("evidence"), dict) else r.get("evidence")}
                    for r in rep["relations"]]
            echo_rows(app, out, rels, [("type", "关系"), ("source", "主体"), ("target", "对象"), ("evidence", "原文")],
                      title=f"{rep['source']} — 关系 (relations)")
            if rep.get("projects"):
                projects = [{**p, "stage": _STAGE_LABELS.get(p.get("stage"), p.get("stage")),
                             "evidence": (p.get("evidence") or {}).get("quote")} for p in rep["projects"]]
                echo_rows(app, out, projects, [("firm", "企业"), ("stage", "进展"), ("amount", "金额"), ("unit", "单位"),
                                               ("evidence", "原文")],
                          title=f"{rep['source']} — 项目 (projects in the park)")


@click.command()
@click.argument("staging", type=click.Path(path_type=Path))
@format_option()
@pass_app
def merge(app, staging, fmt):
    """Add a reviewed staging graph to your data folder ($CHAINGRAPH_HOME/data/ingested.ttl).

    Firms already known gain new aliases instead of duplicates; merging twice adds nothing.

    \b
    Example:
      chaingraph merge staging.ttl
    """
    from chaingraph.ingest.pipeline import merge_file
    from chaingraph.store import user_data_dir

    summary = merge_file(app.graph(), staging, user_data_dir())
    summary = {k: (str(v) if isinstance(v, Path) else v) for k, v in summary.items()}
    for s in summary.get("skipped", []):
        info(f"not merged (breaks the shapes): {s['node']}: {s['message']}")
    for s in summary.get("problems_left", []):
        info(f"merged with a problem to fix: {s['node']}: {s['message']}")
    if summary.get("skipped") or summary.get("problems_left"):
        info(f"{len(summary.get('skipped', []))} statement group(s) left out, {len(summary.get('problems_left', []))} "
             f"problem(s) left; fix them in {staging} and merge again, or run `chaingraph validate`")
    rows = [{"key": k, "value": len(v) if isinstance(v, list) else v} for k, v in summary.items()]
    echo_rows(app, fmt, rows, [("key", "项目"), ("value", "结果")], payload=summary)


COMMANDS = [ingest, merge]
