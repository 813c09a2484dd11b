"""Core commands: build, validate, stats, company, query."""

from __future__ import annotations

from pathlib import Path

import click

from chaingraph.cli.common import echo_rows, format_option, info, pass_app
from chaingraph.errors import ChaingraphError
from chaingraph.render import to_json

STATS_COLUMNS = [("label", "类别"), ("class", "Class"), ("count", "数量")]


@click.command()
@click.option("--update-endpoint", "update_endpoint", metavar="URL",
              help="Load into this SPARQL 1.1 Update endpoint (named graph $CHAINGRAPH_GRAPH) instead.")
@click.option("--graph-store", "graph_store", metavar="URL",
              help="Load through this SPARQL 1.1 Graph Store endpoint (faster), e.g. Virtuoso's /sparql-graph-crud.")
@click.option("--rebuild", is_flag=True, help="Rebuild the embedded store even if no file changed.")
@format_option()
@pass_app
def build(app, update_endpoint, graph_store, rebuild, fmt):
    """Build the embedded store (or load a SPARQL server) and report what was loaded.

    The store lives in $CHAINGRAPH_HOME/store and is rebuilt by any command when the
    ontology or data files change; build does it now.  With --update-endpoint the files are
    loaded into that server with SPARQL 1.1 Update (replacing the chaingraph graph there).

    \b
    Example:
      chaingraph build
      chaingraph --data my_data/ build --format json
      chaingraph build --update-endpoint http://127.0.0.1:8890/sparql
      chaingraph --endpoint http://127.0.0.1:8890/sparql build --graph-store http://127.0.0.1:8890/sparql-graph-crud
    """
    from chaingraph.stats import graph_stats

    target = update_endpoint or app.update_endpoint
    if target or graph_store:
        from chaingraph.store.remote_load import load_remote

        rep = load_remote(app.source().files(), target, graph_store=graph_store)
        info(f"loaded {rep.triples:,} triples from {rep.files} files into {rep.graph or 'the default graph'} "
             f"at {rep.endpoint} in {rep.seconds:.1f} s ({rep.triples_per_second:,.0f} triples/s)")
        app.endpoint = app.endpoint or target
        if not app.endpoint:  # loaded through the graph store only: nothing to query
            rows = [{"label": "三元组 (triples)", "class": "rdf:Statement", "count": rep.triples}]
            echo_rows(app, fmt, rows, STATS_COLUMNS, title="已加载 (loaded)")
            return
    elif not app.endpoint:
        from chaingraph.store import build_store, store_mode

        if store_mode() == "disk":
            from chaingraph.analysis.snapshot import parsed

            readers: list = []  # the snapshot, made from the files parsed beside the bulk load
            res = build_store(app.source(), force=rebuild, progress=info, announce_after=0,
                              alongside=lambda files: readers.append(parsed.Reads(files)) or readers[-1])
            what = "built" if res.rebuilt else "up to date"
            info(f"store {what}: {res.triples:,} triples from {res.files} files in {res.seconds:.2f} s ({res.path})")
            if readers and readers[-1].made:
                info(readers[-1].made)
            graph = app.analysis_graph(announce_after=0)  # and the analysis snapshot beside it
            from chaingraph.analysis.snapshot import context_facts

            context_facts(graph)  # computed once per build (the snapshot made above leaves it out)
    graph = app.graph()
    echo_rows(app, fmt, graph_stats(graph), STATS_COLUMNS, title="已加载 (loaded)")


@click.command()
@format_option()
@pass_app
def stats(app, fmt):
    """Count firms, parks, chains, relations and evidence in the graph.

    \b
    Example:
      chaingraph stats --format json
    """
    from chaingraph.stats import graph_stats

    echo_rows(app, fmt, graph_stats(app.graph()), STATS_COLUMNS, title="图谱统计 (graph statistics)")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--all", "everything", is_flag=True,
              help="Re-read every file, also big ones unchanged since their last clean validation.")
@format_option()
@pass_app
def validate(app, paths, everything, fmt):
    """Check Turtle syntax, SHACL shapes, SPARQL checks and acyclic chains.

    With no PATHS, validates the bundled ontology and data (plus --data folders and your
    user data folder). Exits 0 when clean and 1 with a report (file, line, focus node,
    message) when not. What changed is validated: a big file (a candidate pool) unchanged
    since a clean validation is not re-read in full (--all re-reads it).

    \b
    Example:
      chaingraph validate
      chaingraph validate my_data/firms.ttl
    """
    from chaingraph.store import turtle_files
    from chaingraph.validate import validate_paths

    files: list[Path] = []
    if paths:
        for p in paths:
            files += turtle_files(p) if p.is_dir() else [p]
    else:
        files = app.source().files()
    from chaingraph.store import home_dir

    record = None if everything else home_dir() / "validated.json"
    report = validate_paths(files, record=record, progress=info)
    out = app.format(fmt)
    if out == "json":
        click.echo(to_json(report.to_dict()), nl=False)
    elif out == "csv":
        rows = [p.__dict__ for p in report.problems]
        echo_rows(app, "csv", rows, [("kind", ""), ("file", ""), ("line", ""), ("focus", ""), ("path", ""), ("message", "")])
    else:
        click.echo(report.to_text())
    if not report.conforms:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("name")
@format_option()
@pass_app
def company(app, name, fmt):
    """Show one firm by full name, short name or alias (fuzzy, any script).

    An unknown or ambiguous NAME lists the closest matches and exits 1.

    \b
    Example:
      chaingraph company 骏捷
      chaingraph company 信徵科技 --format json
    """
    from chaingraph.company import company_card, find_company

    if not name.strip():
        raise click.BadParameter("give a firm's full name, short name or alias", param_hint="NAME")
    graph = app.graph()
    card = company_card(graph, find_company(graph, name))
    out = app.format(fmt)
    if out == "json":
        click.echo(to_json(card), nl=False)
        return
    fields = [
        ("name", "企业"), ("full_name", "全称"), ("aliases", "简称/别名"), ("park", "所在园区"),
        ("city", "所在城市"), ("origin", "来源地"), ("tiers", "层级"), ("stock_code", "股票代码"),
        ("products", "产品"), ("segments", "所属环节"), ("referred", "引荐了"), ("referred_by", "被谁引荐"),
        ("supplies", "供应给"), ("supplied_by", "供应商"),
    ]
    rows = [{"field": label, "value": card[key]} for key, label in fields if card[key]]
    rows += [{"field": "考察", "value": f"{v['visitor']} {v['note'] or ''} {v['date'] or ''}".strip()} for v in card["visits"]]
    rows += [{"field": "迁移", "value": f"{r['from']} → {r['to'] or ''} {r['year'] or ''}".strip()} for r in card["relocations"]]
    rows += [{"field": "项目", "value": f"{p['project'] or ''} {p['stage'] or ''} {p['year'] or ''}".strip()} for p in card["projects"]]
    rows += [
        {"field": "数据", "value": f"{f['metric']} {f['value']:g}{f['unit'] or ''} ({f['year'] or '—'})"}
        for f in card["figures"]
    ]
    rows += [{"field": "来源", "value": f"《{s['title']}》“{s['quote']}”"} for s in card["sources"]]
    echo_rows(app, out, rows, [("field", "项目"), ("value", "内容")], title=f"{card['name']} <{card['iri']}>")


@click.command()
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Read the query from a file.")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses call other SPARQL endpoints (refused by default).")
@format_option()
@pass_app
def query(app, sparql, query_file, allow_service, fmt):
    """Run a read-only SPARQL query; the project's prefixes (cg:, company:, seg:, …) are predeclared.

    SELECT, ASK, CONSTRUCT and DESCRIBE only, on every backend (embedded store or --endpoint):
    updates (INSERT, DELETE, CLEAR, DROP, LOAD …) are refused before anything is sent, and so
    is SERVICE unless --allow-service.

    \b
    Example:
      chaingraph query "SELECT ?f ?n WHERE { ?f a cg:Company ; rdfs:label ?n } LIMIT 5"
      chaingraph query --file q.rq --format csv
    """
    from chaingraph.store.sparql import run_query

    if bool(sparql) == bool(query_file):
        raise click.UsageError("give the query either as an argument or with --file, not both")
    try:
        text = sparql if sparql else query_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ChaingraphError(f"{query_file}: not a UTF-8 text file (expected a SPARQL query)") from None
    except OSError as exc:
        raise ChaingraphError(f"cannot read {query_file}: {exc.strerror or exc}") from None
    result = run_query(app.graph(), text, allow_service=allow_service)
    out = app.format(fmt)
    if result.kind == "ask":
        click.echo(to_json({"boolean": result.boolean}) if out == "json" else str(result.boolean).lower())
    elif result.kind == "graph":
        click.echo(result.turtle, nl=False)
    else:
        cols = [(v, v) for v in result.vars]
        echo_rows(app, out, result.rows, cols)


COMMANDS = [build, validate, stats, company, query]
