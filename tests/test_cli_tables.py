"""Tables list the top candidates per gap and say what they leave out; other formats keep all (#17)."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

from chaingraph.cli.targets_cmds import TABLE_TOP
from chaingraph.render import to_table

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A data folder with 300 synthetic candidates beside the bundled graph: gaps with many candidates."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    d = tmp_path_factory.mktemp("crowded")
    synth.write_pool(d / "pool.ttl", 300, seed=5)
    return d


def _per_gap(rows):
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["segment"], []).append(r)
    return out


def test_table_lists_top_per_gap_and_counts_the_rest(crowded, run_cli):
    base = ("--no-user-data", "--data", str(crowded), "targets")
    full = run_cli(*base, "--format", "json")
    assert full.code == 0, full.err
    data = full.json()
    by_gap = _per_gap(data["rows"])
    assert max(len(v) for v in by_gap.values()) == 10  # JSON keeps the --top default
    table = run_cli(*base)
    assert table.code == 0, table.err
    counts = [(s["candidates"], s.get("local_candidates", 0)) for s in data["segments"]]
    total = sum(a + b for a, b in counts)
    shown = sum(min(TABLE_TOP, a) + min(TABLE_TOP, b) for a, b in counts)  # recruits and firms already local
    assert total > shown
    assert f"另有 {total - shown} 条候选未列出（共 {total} 条）" in table.out
    assert "--top 10" in table.out and "--format csv / json / xlsx" in table.out
    # the rows listed are the first TABLE_TOP of each gap's full ranking, nothing past them
    listed = [rows[:TABLE_TOP] for rows in by_gap.values()] + [rows[:TABLE_TOP] for rows in _per_gap(data["local_rows"]).values()]
    top_names = {r["name"] for rows in listed for r in rows}
    later = {r["name"] for rows in by_gap.values() for r in rows[TABLE_TOP:]} - top_names
    synthetic = re.compile(r"候选企业\d+")
    assert {n for n in later if synthetic.fullmatch(n)}, "the case must have candidates past the table's rows"
    for name in top_names:
        assert name in table.out
    assert set(synthetic.findall(table.out)) == {n for n in top_names if synthetic.fullmatch(n)}
    # CSV keeps every row the default --top asks for, in the JSON's order
    listed = run_cli(*base, "--format", "csv")
    assert [r["name"] for r in csv.DictReader(io.StringIO(listed.out))] == [r["name"] for r in data["rows"] + data["local_rows"]]


def test_table_with_top_given_lists_that_many(crowded, run_cli):
    base = ("--no-user-data", "--data", str(crowded), "targets")
    data = run_cli(*base, "--format", "json", "--top", "5").json()
    table = run_cli(*base, "--top", "5")
    assert table.code == 0, table.err
    names = {r["name"] for r in data["rows"]}
    assert names and set(re.findall(r"候选企业\d+", table.out)) == {n for n in names if n.startswith("候选企业")}
    assert all(n in table.out for n in names)
    assert "每个缺口列出前 5 名" in table.out and "--top N" in table.out
    every = run_cli(*base, "--top", "0")
    assert "未列出" not in every.out  # everything listed: no note


def test_stock_codes_are_not_split(run_cli):
    res = run_cli("pool", "build", str(ROOT / "tests" / "fixtures" / "chainkg"))
    assert res.code == 0, res.err
    data = run_cli("targets", "--format", "json", "--top", "0").json()
    codes = {r["stock_code"] for r in data["rows"] if r.get("stock_code")}
    assert codes, "the fixture pool must rank listed firms"
    table = run_cli("targets", "--top", "0")
    for code in codes:
        assert code in table.out  # on one line, whole


def test_no_wrap_column_keeps_its_values_whole():
    rows = [{"code": "002579.SZ", "text": "刚性电路板、双面板、含HDI板、多层板" * 4}, {"code": "600707.SH", "text": "玻璃基板"}]
    out = to_table(rows, [("code", "代码"), ("text", "产品")], width=40, no_wrap=["code"],
                   caption="每个缺口列出前 3 名")
    assert "002579.SZ" in out and "600707.SH" in out
    assert "每个缺口列出前 3 名" in out
    cols = [("code", "代码"), ("text", "产品"), ("more", "说明")]
    rows = [{**r, "more": "很长的说明文字" * 6} for r in rows]
    assert "002579.SZ" in to_table(rows, cols, width=30, no_wrap=["code"])
    assert "002579.SZ" not in to_table(rows, cols, width=30)  # as before: folded over two lines


def test_cells_are_not_console_markup():
    """An introducer path's edge kinds ("乙[supply]") and article text are printed as written."""
    out = to_table([{"p": "甲 → 乙[supply] → 丙[referral]", "n": "[bold]某公司"}], [("p", "路径"), ("n", "企业")])
    assert "乙[supply] → 丙[referral]" in out and "[bold]某公司" in out


def test_introducer_paths_read_in_chinese(monkeypatch, run_cli):
    """The targets list names each tie of an introducer path in Chinese, never the kind's code."""
    import csv
    import io

    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("--format", "csv", "targets", "--top", "0")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    paths = [x["introducer_text"] for x in rows if x.get("introducer_text")]
    assert paths, "the bundled graph and pool give at least one introducer path"
    assert all("[" not in p and "（" in p for p in paths)
    assert any("（迁出地）" in p or "（供应）" in p or "（引荐）" in p for p in paths)
