"""The analysis commands on the bundled graph: every command and format, the done-when checks,
and unknown names."""

from __future__ import annotations

import csv
import io
import json

import pytest

SEG = "https://w3id.org/chaingraph/id/segment/"
COMMANDS = [["chain", "先进电子器件"], ["gaps"], ["risk"], ["match"], ["referrals"]]
LEADER_PULLED = ["巨鸿", "米小乐", "沛沛", "鑫辉"]  # brought in by 骏捷智能 (链主带动)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_every_command_and_format(run_cli, args, fmt):
    res = run_cli(*args, "--format", fmt)
    assert res.code == 0, res.err
    assert res.out.strip()
    if fmt == "json":
        json.loads(res.out)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(res.out)))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    else:
        assert "┃" in res.out  # a rich table with Chinese headers


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_help_has_example(run_cli, args):
    res = run_cli(args[0], "--help")
    assert res.code == 0 and "Example" in res.out and "--park" in res.out and "--scope" in res.out


def test_chain_panorama(run_cli):
    pano = run_cli("chain", "先进装备制造", "--format", "json").json()
    assert [s["stage"] for s in pano["stages"]] == ["上游", "中游", "下游"]
    stamping = next(r for r in pano["rows"] if r["segment"] == SEG + "eq-stamping")
    assert sorted(stamping["local_firms"]) == sorted(LEADER_PULLED) and stamping["status"] != "缺失"
    assert 0 <= pano["supporting_rate"]["rate"] <= 1
    table = run_cli("chain", "先进装备制造").out
    assert "配套环节覆盖率" in table and "环节" in table and "状态" in table


def test_plating_needs_action_with_component_makers(run_cli):
    rep = run_cli("gaps", "--format", "json").json()
    plating = next(r for r in rep["rows"] if r["segment"] == SEG + "ed-plating")
    assert plating["status"] in ("缺失", "薄弱")
    assert {"中钽电子", "正德电子"} <= set(plating["demand_firms"])
    assert plating["planning"] and plating["planning"][0]["source_title"]
    assert rep["weights"]["local_demand"] > 0
    assert {s["chain_label"] for s in rep["supporting_rate"]} == {"先进电子器件", "先进装备制造"}


def test_without_leader_pulled_firms_reopens_stamping_and_polishing(run_cli):
    base = {r["segment"] for r in run_cli("gaps", "--format", "json").json()["rows"]}
    assert SEG + "eq-stamping" not in base and SEG + "eq-polishing" not in base
    args = ["gaps", "--chain", "先进装备制造", "--format", "json"]
    for firm in LEADER_PULLED:
        args += ["--without", firm]
    rep = run_cli(*args).json()
    rows = {r["segment"]: r for r in rep["rows"]}
    for seg in ("eq-stamping", "eq-polishing"):
        row = rows[SEG + seg]
        assert row["status"] == "缺失" and row["new"] is True and row["baseline_status"] in ("具备", "强")
    assert sorted(w["label"] for w in rep["without"]) == sorted(LEADER_PULLED)
    table = run_cli(*[a for a in args if a not in ("--format", "json")]).out
    assert "新缺口" in table and "假设迁出" in table


def test_weights_from_file_and_option(run_cli, tmp_path):
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"planning": 0, "reach": 2}), encoding="utf-8")
    rep = run_cli("gaps", "--weights", str(f), "--weight", "reach=3", "--format", "json").json()
    assert rep["weights"]["planning"] == 0 and rep["weights"]["reach"] == 3
    assert all(r["components"]["planning"]["weight"] == 0 for r in rep["rows"])
    bad = run_cli("gaps", "--weight", "nonsense=1")
    assert bad.code == 1 and "unknown weight" in bad.err
    f.write_text("{not json", encoding="utf-8")
    assert run_cli("gaps", "--weights", str(f)).code == 1


def test_depth_top_and_csv_columns(run_cli):
    out = run_cli("gaps", "--depth", "1", "--top", "3", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 and {"segment", "kind", "priority", "demand_firms"} <= set(rows[0])


def test_city_scope(run_cli):
    park = run_cli("gaps", "--format", "json").json()
    city = run_cli("gaps", "--scope", "city", "--format", "json").json()
    assert city["scope"] == "city" and len(city["parks"]) > len(park["parks"])


def test_risk_match_referrals_content(run_cli):
    risk = run_cli("risk", "--format", "json").json()
    assert any(s["firm_label"] == "锦络电子" for s in risk["single_firm_segments"])
    match = run_cli("match", "--format", "json").json()
    assert match["pairs"] and all(p["reason"] for p in match["pairs"] + match["predicted"])
    net = run_cli("referrals", "--format", "json").json()
    assert net["introducers"][0]["label"] == "骏捷智能"
    assert net["share"]["reported"] and net["share"]["computed"] is not None


@pytest.mark.parametrize(
    "args, kind",
    [
        (["chain", "先进电子器建"], "chain"),
        (["chain", "量子计算"], "chain"),
        (["gaps", "--chain", "量子计算"], "chain"),
        (["gaps", "--without", "不存在的企业"], "company"),
        (["risk", "--park", "火星开发区"], "park"),
        (["referrals", "--park", "火星开发区"], "park"),
    ],
)
def test_unknown_names(run_cli, args, kind):
    res = run_cli(*args)
    if res.code == 0:  # a fuzzy hit that is clearly the one meant is accepted
        assert args[1] == "先进电子器建"
        return
    assert res.code == 1
    assert f"unknown {kind}" in res.err or f"ambiguous {kind}" in res.err
    assert "Traceback" not in res.err
    if kind != "company":
        assert "closest matches" in res.err
