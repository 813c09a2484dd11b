"""Chain-analysis commands: chain (panorama), gaps, risk, match, referrals."""

from __future__ import annotations

from pathlib import Path

import click

from chaingraph.cli.common import echo_rows, format_option, pass_app
from chaingraph.defaults import DEFAULT_PARK
from chaingraph.errors import ChaingraphError
from chaingraph.render import to_json


def park_options(func):
    """``--park NAME`` and ``--scope park|city``, written once."""
    func = click.option(
        "--scope", type=click.Choice(["park", "city"]), default="park", show_default=True,
        help="park: the park's own firms; city: firms of every park in its city.",
    )(func)
    func = click.option(
        "--park", default=DEFAULT_PARK, show_default=True, metavar="NAME",
        help="Focal park (name, alias or slug; fuzzy).",
    )(func)
    return func


def _context(app, park, scope, chain=None):
    from chaingraph.analysis.context import build_context

    return build_context(app.analysis_graph(), park=park, scope=scope, chain=chain)


def _pct(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _rate_text(sr: dict) -> str:
    from chaingraph.analysis.status import rate_text

    return rate_text(sr)


def _echo_json(obj) -> None:
    click.echo(to_json(obj), nl=False)


# ---------------------------------------------------------------- chain

PANORAMA_COLUMNS = [
    ("stage", "阶段"), ("label", "环节"), ("status", "状态"), ("local_firms", "本地企业"),
    ("reported_count", "报道数量"), ("status_brief", "状态依据（原文）"), ("feeds", "供给下游"),
]


@click.command("chain")
@click.argument("name")
@park_options
@format_option()
@pass_app
def chain_cmd(app, name, park, scope, fmt):
    """Panorama map (全景图谱) of chain NAME: segments upstream → downstream with local firms.

    Each segment shows its stage, status (强/具备/薄弱/在建/签约/缺失/未见记录) with the evidence it
    rests on, named local firms and the count the sources report; the title gives the
    配套环节覆盖率 (share of template inputs present locally) and the data coverage.

    \b
    Example:
      chaingraph chain 先进电子器件
      chaingraph chain equipment --scope city --format json
    """
    from chaingraph.analysis.panorama import panorama

    pano = panorama(_context(app, park, scope), name)
    out = app.format(fmt)
    if out == "json":
        _echo_json(pano)
        return
    title = f"{pano['chain_label']} 全景图谱 — {pano['park_label']}（{scope}）；{_rate_text(pano['supporting_rate'])}"
    echo_rows(app, out, pano["rows"], PANORAMA_COLUMNS, title=title)


# ---------------------------------------------------------------- gaps

GAP_COLUMNS = [
    ("rank", "序"), ("priority", "优先级"), ("label", "环节"), ("chain_label", "产业链"), ("stage", "阶段"),
    ("status", "状态"), ("kind", "类型"), ("demand_firms", "下游本地企业（推断需求）"), ("candidates_available", "园区外候选"),
    ("status_brief", "状态依据（原文）"), ("recruit_text", "招引方向"),
]
GAP_CSV_COLUMNS = [
    ("rank", ""), ("segment", ""), ("label", ""), ("chain", ""), ("chain_label", ""), ("stage", ""),
    ("status", ""), ("kind", ""), ("priority", ""), ("demand_firms", ""), ("candidates_available", ""),
    ("local_firms", ""), ("reported_count", ""), ("planning_text", ""), ("new", ""), ("baseline_status", ""),
    ("status_explanation", ""), ("missing_data", ""), ("recruit_text", ""), ("explanation", ""),
]
UNRECORDED_COLUMNS = [("chain_label", "产业链"), ("stage", "阶段"), ("status", "状态"), ("labels", "环节")]


def _grouped(unrecorded: list[dict]) -> list[dict]:
    """No-record segments as one table row per chain, stage and status (labels joined)."""
    groups: dict[tuple, dict] = {}
    for u in unrecorded:
        g = groups.setdefault((u["chain_label"], u["stage"], u["status"]),
                              {"chain_label": u["chain_label"], "stage": u["stage"], "status": u["status"], "labels": []})
        notes = list(dict.fromkeys(p["scope_note"] for p in u["planning"] if p.get("weight", 1.0) < 1.0))
        note = "；".join(notes) if notes else ("有规划表述，未表述缺乏" if u["planning"] else "")
        g["labels"].append(u["label"] + (f"（{note}）" if note else ""))
    return [dict(g, labels="、".join(g["labels"])) for g in groups.values()]


def _parse_weights(weights_file: Path | None, weight_items: tuple[str, ...]) -> dict:
    from chaingraph.analysis.weights import read_weights

    weights = read_weights(weights_file) if weights_file is not None else {}
    for item in weight_items:
        name, sep, value = item.partition("=")
        if not sep:
            raise ChaingraphError(f"--weight expects name=value, got {item!r}")
        weights[name.strip()] = value.strip()
    return weights


@click.command()
@click.option("--chain", "chain_name", metavar="NAME", help="Only this chain (default: the park's assigned chains).")
@click.option("--without", "without", multiple=True, metavar="FIRM", help="What if this local firm left? (repeatable)")
@click.option("--weights", "weights_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON file of score weights, e.g. {\"local_demand\": 4, \"planning\": 0}.")
@click.option("--weight", "weight_items", multiple=True, metavar="NAME=VALUE", help="Override one score weight (repeatable).")
@click.option("--depth", "depth", type=click.IntRange(min=1), default=2, show_default=True,
              help="Feeds steps that count as local demand.")
@click.option("--top", type=click.IntRange(min=0), default=0, help="Show only the first N rows (0: all).")
@click.option("--unrecorded", "show_unrecorded", is_flag=True,
              help="CSV/TSV: append the 未见记录 and 在建/签约 segments after the ranked rows (tables always list them apart).")
@park_options
@format_option()
@pass_app
def gaps(app, chain_name, without, weights_file, weight_items, depth, top, show_unrecorded, park, scope, fmt):
    """Segments that need action (补链/断链/延链/强链), most urgent first.

    Only segments a source shows lacking or weak (or planned to strengthen) are ranked; segments
    with no record (未见记录) or a project under way (在建/签约) are listed apart: no record is not
    a lack.  The header gives the data coverage (named firms vs reported counts).
    Each row gives the status with its evidence (quote), the gap kind, the local firms that need the segment (demand),
    the candidates the graph knows outside the park, planning statements that name it, and a
    priority score; JSON carries every score component and the weights used.  --without
    answers "what if these firms left": rows that open only then are marked 新.

    \b
    Example:
      chaingraph gaps --chain 先进装备制造
      chaingraph gaps --without 巨鸿 --without 米小乐 --without 沛沛 --without 鑫辉
      chaingraph gaps --weight planning=0 --weights my_weights.json --format json
    """
    from chaingraph.analysis.gaps import gap_report
    from chaingraph.company import find_company

    weights = _parse_weights(weights_file, weight_items)
    graph = app.analysis_graph()
    ctx = _context(app, park, scope)
    gone = [find_company(graph, w) for w in without]
    report = gap_report(ctx, chain=chain_name, without=gone, weights=weights, demand_depth=depth)
    rows = report["rows"][:top] if top else report["rows"]
    for i, r in enumerate(rows, 1):
        r["rank"] = i
        r["planning_text"] = "；".join(
            f"《{p['source_title']}》“{p['quote']}”" + (f"（{p['scope_note']}）" if p.get("scope_note") else "")
            for p in r["planning"]
        )
        r["recruit_text"] = (r.get("recruit") or {}).get("text", "")
    report["rows"] = rows
    out = app.format(fmt)
    if out == "json":
        _echo_json(report)
        return
    columns = list(GAP_COLUMNS if out == "table" else GAP_CSV_COLUMNS)
    if gone and out == "table":
        columns.insert(7, ("new", "新缺口"))
        for r in rows:
            r["new"] = "新" if r["new"] else ""
    title = f"{report['park_label']} 缺链短链弱链（{scope}）：只列有来源依据的缺失/薄弱/强链环节"
    if gone:
        title += "；假设迁出：" + "、".join(w["label"] for w in report["without"])
    if out != "table":  # one table; with --unrecorded the no-record segments follow, marked by status
        extra = [dict(u, rank="", kind=u["status"], priority="") for u in report["unrecorded"]] if show_unrecorded else []
        echo_rows(app, out, rows + extra, columns, title=title)
        return
    click.echo("数据覆盖：" + report["park_coverage"]["text"])
    for c in report["coverage"]:
        click.echo("　" + c["text"])
    for sr in report["supporting_rate"]:
        click.echo("　" + _rate_text(sr) + "（" + sr["definition"] + "）")
    echo_rows(app, out, rows, columns, title=title)
    if report["unrecorded"]:
        click.echo("")
        echo_rows(app, out, _grouped(report["unrecorded"]), UNRECORDED_COLUMNS,
                  title=f"另列：未见记录 / 在建签约环节 {len(report['unrecorded'])}个（不是缺失，不参与排序；"
                        "图谱未记录该环节的本地企业或缺乏表述，招商前先核实）")


# ---------------------------------------------------------------- risk

SINGLE_COLUMNS = [("chain_label", "产业链"), ("stage", "阶段"), ("label", "环节"), ("firm_label", "唯一已知本地企业"), ("reported_count", "报道数量")]
RISK_COLUMNS = [
    ("label", "企业"), ("segments", "所在环节"), ("sole_segments", "独家环节"), ("would_go_missing", "迁出后无已知企业"),
    ("dependent_count", "受影响企业数"), ("dependents_text", "失去本地配套的下游企业"),
    ("referees_text", "其引荐落户的企业"), ("would_go_missing_with_referees", "连同被引荐企业迁出后无已知企业"),
]


@click.command()
@click.option("--chain", "chain_name", metavar="NAME", help="Only this chain (default: the park's assigned chains).")
@park_options
@format_option()
@pass_app
def risk(app, chain_name, park, scope, fmt):
    """Chain-break risk (掉链风险): segments held by a single local firm, and per firm
    the segments and downstream firms that would lose their local supply if it left.

    \b
    Example:
      chaingraph risk
      chaingraph risk --chain 先进电子器件 --format csv
    """
    from chaingraph.analysis.risk import break_risk

    res = break_risk(_context(app, park, scope), chain_name)
    out = app.format(fmt)
    if out == "json":
        _echo_json(res)
        return
    for f in res["firms"]:
        f["dependents_text"] = "、".join(f"{d['label']}（{d['reason']}）" for d in f["dependents"])
        f["referees_text"] = "、".join(r["label"] for r in f["referees"])
    if out == "csv":
        echo_rows(app, out, res["firms"], [("firm", ""), *RISK_COLUMNS])
        return
    echo_rows(app, out, res["single_firm_segments"], SINGLE_COLUMNS, title=f"{res['park_label']} 单一企业环节（{scope}）")
    echo_rows(app, out, res["firms"], RISK_COLUMNS, title="企业迁出影响（掉链风险）")


# ---------------------------------------------------------------- match

PAIR_COLUMNS = [("supplier_label", "供方"), ("customer_label", "需方"), ("tie", "已有关系"), ("reason", "依据")]
PREDICTED_COLUMNS = [("firm_a_label", "企业甲"), ("firm_b_label", "企业乙"), ("supplier_label", "可能供方"), ("score", "得分"), ("reason", "依据")]
STATED_TIE_COLUMNS = [("firm_a_label", "企业甲"), ("firm_b_label", "企业乙"), ("kind_label", "关系"), ("reason", "来源原文")]
MATCH_CSV_COLUMNS = [("type", ""), ("supplier", ""), ("supplier_label", ""), ("customer", ""), ("customer_label", ""),
                     ("firm_a_label", ""), ("firm_b_label", ""), ("score", ""), ("reason", "")]


@click.command()
@click.option("--chain", "chain_name", metavar="NAME", help="Only this chain (default: the park's assigned chains).")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, help="Predicted links to keep (0: all).")
@click.option("--method", type=click.Choice(["resource_allocation", "adamic_adar", "jaccard"]), default="resource_allocation",
              show_default=True, help="NetworkX link-prediction index.")
@park_options
@format_option()
@pass_app
def match(app, chain_name, top, method, park, scope, fmt):
    """Local supply–demand matchmaking (供需对接): firm pairs where one's segment feeds the
    other's and no supply tie is recorded, plus links predicted from the graph's structure.

    \b
    Example:
      chaingraph match
      chaingraph match --method adamic_adar --top 5 --format json
    """
    from chaingraph.analysis.match import matchmaking

    res = matchmaking(_context(app, park, scope), chain_name, top=top, method=method)
    out = app.format(fmt)
    if out == "json":
        _echo_json(res)
        return
    if out == "csv":
        rows = ([{"type": "stated", "supplier_label": t["firm_a_label"], "customer_label": t["firm_b_label"], **t} for t in res["stated"]]
                + [{"type": "template", **p} for p in res["pairs"]] + [{"type": "predicted", **p} for p in res["predicted"]])
        echo_rows(app, out, rows, MATCH_CSV_COLUMNS)
        return
    if res["stated"]:
        echo_rows(app, out, res["stated"], STATED_TIE_COLUMNS, title=f"{res['park_label']} 来源已记录的企业关系（优先对接）")
    echo_rows(app, out, res["pairs"], PAIR_COLUMNS,
              title=f"{res['park_label']} 供需对接：环节上下游相接、尚无供应记录（仅用来源明确的产品/环节，名称推断不计）")
    echo_rows(app, out, res["predicted"], PREDICTED_COLUMNS, title=f"结构预测的供应关系（{method}）")


# ---------------------------------------------------------------- referrals

REFERRAL_COLUMNS = [("referrer_label", "引荐方"), ("referee_label", "被引荐方"), ("kind", "方式"), ("stage", "进展"), ("evidence_text", "来源")]
CASCADE_COLUMNS = [("root_label", "源头"), ("path_labels", "最长引荐链"), ("length", "链长"), ("reach", "带来企业数")]
INTRODUCER_COLUMNS = [("label", "引荐企业"), ("out_degree", "直接引荐"), ("reach", "间接覆盖"), ("kinds", "方式")]


@click.command()
@park_options
@format_option()
@pass_app
def referrals(app, park, scope, fmt):
    """The 以商引商 network: who introduced whom (with sources), cascades, top introducers, and
    the share of park firms that arrived through a referral or a chain leader beside the
    share the sources state.

    \b
    Example:
      chaingraph referrals
      chaingraph referrals --format json
    """
    from chaingraph.analysis.referrals import referral_network

    net = referral_network(_context(app, park, scope))
    out = app.format(fmt)
    if out == "json":
        _echo_json(net)
        return
    for r in net["referrals"]:
        r["evidence_text"] = "；".join(f"《{e['title']}》“{e['quote']}”" for e in r["evidence"])
    if out == "csv":
        echo_rows(app, out, net["referrals"], [("referrer", ""), ("referee", ""), *REFERRAL_COLUMNS])
        return
    sh = net["share"]
    echo_rows(app, out, net["referrals"], REFERRAL_COLUMNS, title=f"{net['park_label']} 以商引商网络（{scope}）")
    echo_rows(app, out, net["cascades"], CASCADE_COLUMNS, title="引荐链")
    echo_rows(app, out, net["introducers"], INTRODUCER_COLUMNS, title="主要引荐企业")
    # two figures with different denominators: printed apart, each with its 口径, never as columns of one table
    click.echo(f"图谱计算的引荐落户占比：{_pct(sh['computed'])}（{sh['via_referral']}/{sh['local_firms']}家，其中链主带动{sh['via_leader']}家）")
    click.echo(f"　口径：{sh['definition']}；分母是图谱具名的本地企业，不是全部落户项目")
    for r in sh["reported"]:
        quote = (r["evidence"] or [{}])[0].get("quote")
        click.echo(f"来源表述的比例：{_pct(r['share'])}" + (f"（原文“{quote}”）" if quote else ""))
        click.echo(f"　口径：{r['population']}")
    if sh["reported"]:
        click.echo("　注：两者分母不同（具名企业 vs 来源统计的落户项目），不能直接比较。")


COMMANDS = [chain_cmd, gaps, risk, match, referrals]
