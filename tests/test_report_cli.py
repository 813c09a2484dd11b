"""`chaingraph report` and `chaingraph viz` on the bundled graph."""

from __future__ import annotations

import json
import re


def _embedded(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, re.S).group(1))


def test_report_writes_map_and_excel(run_cli, tmp_path):
    out = tmp_path / "rep"
    r = run_cli("--no-user-data", "report", "-o", str(out))
    assert r.code == 0, r.err
    assert "先进电子器件" in r.out and "先进装备制造" in r.out and "配套环节覆盖率" in r.out
    assert "缺口环节" in r.out
    # the header counts the firms the graph names, not the park's firms (79 reported in electronics)
    assert "具名本地企业 8" in r.out and "报道79家" in r.out
    assert (out / "chain-map.html").stat().st_size > 100_000
    assert (out / "targets.xlsx").stat().st_size > 0
    assert str(out / "chain-map.html") in r.err and str(out / "targets.xlsx") in r.err
    view = _embedded((out / "chain-map.html").read_text(encoding="utf-8"))
    assert {c["label"] for c in view["meta"]["chains"]} == {"先进电子器件", "先进装备制造"}
    # without the shipped pool no A-share firm is listed: no note about its data
    assert view["meta"]["candidate_note"] is None and "ChainKnowledgeGraph" not in r.err


def test_report_json(run_cli, tmp_path):
    r = run_cli("--no-user-data", "report", "-o", str(tmp_path), "--format", "json", "--gaps", "2")
    assert r.code == 0, r.err
    data = r.json()
    assert [len(c["gaps"]) for c in data["chains"]] == [2, 2]
    assert all(0 <= c["supporting_rate"] <= 1 for c in data["chains"])
    # the real workbook: the staff's target list (the layout of `targets --format xlsx`), one sheet per
    # chain and 评分说明, holding every target the report names (partner rows are renamed 〔…配套〕)
    from openpyxl import load_workbook

    from chaingraph.target_list import TARGET_COLUMNS

    assert data["files"]["xlsx"] == str(tmp_path / "targets.xlsx")
    wb = load_workbook(tmp_path / "targets.xlsx")
    assert set(wb.sheetnames) == {c["label"] for c in data["chains"]} | {"评分说明"}
    # the score sheet explains in words staff read: no code names in its explanations
    import re as _re
    notes = [row[1] for row in wb["评分说明"].iter_rows(min_row=2, values_only=True)]
    assert notes and not [n for n in notes if _re.search(r"[a-z]+_[a-z]+", n or "")]
    for c in data["chains"]:
        ws = wb[c["label"]]
        header = [x.value for x in ws[1]]
        assert header == [h for _, h in TARGET_COLUMNS]
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        # the most urgent gap has its rows (its candidates, or the line saying the pool has none)
        assert c["gaps"][0]["label"] in {r[header.index("环节")] for r in rows}
        names = {r[header.index("企业")] for r in rows}
        assert {t["name"] for g in c["gaps"] for t in g["targets"] if "〔" not in t["name"]} <= names
        # headers staff read: Chinese words, no issue numbers; every row of an evidenced gap
        # quotes the source its status (or, for 强链 of a present segment, the plan) rests on
        assert not [h for h in header if "#" in h]
        basis, status = header.index("状态依据（原文）"), header.index("环节状态")
        for r in rows:
            if r[status] and r[status] != "未见记录":
                assert "“" in r[basis], r


def test_viz_writes_one_chain(run_cli, tmp_path):
    out = tmp_path / "ed.html"
    r = run_cli("--no-user-data", "viz", "--chain", "先进电子器件", "--targets", "2", "-o", str(out))
    assert r.code == 0, r.err
    assert str(out) in r.err
    view = _embedded(out.read_text(encoding="utf-8"))
    assert [c["label"] for c in view["meta"]["chains"]] == ["先进电子器件"] and view["meta"]["targets"] == 2


def test_viz_unknown_chain_is_one_line(run_cli, tmp_path):
    r = run_cli("--no-user-data", "viz", "--chain", "不存在的链xyz", "-o", str(tmp_path / "x.html"))
    assert r.code == 1 and r.err.startswith("error:") and "Traceback" not in r.err


def test_viz_needs_output(run_cli):
    r = run_cli("viz")
    assert r.code == 2


def test_help_has_examples(run_cli):
    for cmd in ("viz", "report"):
        r = run_cli(cmd, "--help")
        assert r.code == 0 and "Example" in r.out
