"""The fast table drawing (chaingraph.tabletext) prints exactly what rich's Table prints (#17).

Compared character for character with :func:`chaingraph.render.rich_table` (rich drawing the same
table) on every table the everyday commands print from the bundled graph with the shipped pool,
and on edge cases: CJK, long unbroken names, bracketed text, tabs, newlines, control characters,
wide emoji, narrow consoles that make rich shrink and fold columns."""

from __future__ import annotations

import random

import pytest

from chaingraph import tabletext
from chaingraph.render import rich_table, to_table


def _both(headers, texts, wide, width=160, title=None, caption=None):
    fast = tabletext.draw(headers, texts, width=width, no_wrap=[w is not None for w in wide], min_widths=wide,
                          title=title, caption=caption)
    return fast, rich_table(texts, headers, wide, title, width, caption)


@pytest.fixture
def drawn(monkeypatch):
    """Every table a command draws: (arguments, the fast drawing)."""
    calls = []
    real = tabletext.draw

    def spy(headers, rows, **kw):
        out = real(headers, rows, **kw)
        calls.append(((list(headers), [list(r) for r in rows], kw), out))
        return out

    monkeypatch.setattr(tabletext, "draw", spy)
    return calls


def _check(calls):
    compared = 0
    for (headers, rows, kw), fast in calls:
        slow = rich_table(rows, headers, kw["min_widths"], kw.get("title"), kw["width"], kw.get("caption"))
        if fast is not None:
            assert fast == slow, f"table {headers} drawn differently"
            compared += 1
    return compared


@pytest.mark.slow
def test_targets_table_with_the_shipped_pool_equals_rich(monkeypatch, run_cli, drawn):
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("targets")
    assert r.code == 0, r.err
    assert len(drawn) == 1 and len(drawn[0][0][1]) > 200  # the top 3 of every gap
    assert _check(drawn) == 1


def test_everyday_tables_equal_rich(run_cli, drawn, tmp_path):
    commands = [("targets", "--top", "0"), ("targets", "--segment", "玻璃基板"), ("gaps",), ("chain", "先进电子器件"),
                ("company", "锦络电子"), ("risk",), ("match",), ("referrals",), ("stats",),
                ("report", "-o", str(tmp_path / "rep"))]
    for args in commands:
        r = run_cli(*args)
        assert r.code == 0, (args, r.err)
    assert len(drawn) >= len(commands) - 2
    assert _check(drawn) == len(drawn)  # every one drawn fast, none left to rich


@pytest.mark.slow
def test_every_table_with_the_shipped_pool_equals_rich(monkeypatch, run_cli, drawn, tmp_path):
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    commands = [("targets", "--top", "0"), ("targets", "--segment", "玻璃基板", "--top", "10"),
                ("targets", "--region", "粤港澳大湾区"), ("gaps",), ("chain", "先进电子器件"), ("company", "锦络电子"),
                ("risk",), ("match",), ("referrals",), ("stats",), ("report", "-o", str(tmp_path / "rep"))]
    for args in commands:
        r = run_cli(*args)
        assert r.code == 0, (args, r.err)
    assert _check(drawn) == len(drawn)


def test_edge_cases_equal_rich():
    cases = [
        (["代码", "产品"], [["002579.SZ", "很长的产品名称" * 9]], [9, None], 40),
        (["代码", "产品"], [["002579.SZ", "很长的产品名称" * 9]], [9, None], 30),
        (["企业", "说明"], [["[bold]某公司", "甲 → 乙[supply] → 丙[referral]"], ["", ""]], [None, None], 160),
        (["[b]产品[/b]", "x"], [["tab\there", "new\nline"], ["ctrl\x07\rchars", "wide 😀 emoji 漢字"]], [None, None], 24),
        (["a", "b", "c"], [["word " * 30, "无空格的很长的企业全称" * 5, "x"]], [None, None, 1], 50),
        (["编号", "名称", "得分"], [["1", "ＡＢＣ全角字符，标点。" * 3, "0.5"], ["10", "e\u0301 combining", "1"]], [2, None, 3], 20),
        (["only"], [["short"]], [None], 160),
        (["a", "b"], [["  leading and trailing  ", "   "]], [None, None], 18),
    ]
    for headers, texts, wide, width in cases:
        fast, slow = _both(headers, texts, wide, width, title="招商目标 [test]", caption="说明：每个缺口列出前 3 名")
        assert fast is not None and fast == slow, (headers, width)
        fast, slow = _both(headers, texts, wide, width)
        assert fast == slow


def test_random_tables_equal_rich():
    rnd = random.Random(17)
    pieces = ["企业", "电子", "股份有限公司", "ABC", "word", " ", "  ", "、", "（", "）", "[x]", "[bold]", "\n", "\t",
              "😀", "0.705", "300293.SZ", "-", "—", "·", "e\u0301", "ｗｉｄｅ", "沈阳", "（同一收入行另名：工业清洗系统）"]
    fast_drawn = 0
    for _ in range(150):
        ncol = rnd.randint(1, 9)
        headers = ["".join(rnd.choice(["产业链", "环节", "企业", "名称", "得分", "ab"]) for _ in range(rnd.randint(1, 3)))
                   for _ in range(ncol)]
        wide_cols = {i for i in range(ncol) if rnd.random() < 0.3}
        texts = [["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(ncol)]
                 for _ in range(rnd.randint(1, 6))]
        wide = [max(len(t[i]) for t in texts) if i in wide_cols else None for i in range(ncol)]
        width = rnd.choice([20, 35, 60, 80, 120, 160])
        fast, slow = _both(headers, texts, wide, width, title=rnd.choice([None, "标题 title"]),
                           caption=rnd.choice([None, "说明"]))
        if fast is not None:
            assert fast == slow, (headers, texts, wide, width)
            fast_drawn += 1
    assert fast_drawn >= 60  # the others are cramped (a column with no room inside its padding): rich draws them


def test_to_table_falls_back_to_rich_where_not_reproduced():
    # a column with no room inside its padding, and an empty table: rich draws them
    narrow = to_table([{c: "长" * 20 for c in "abcdefghij"}], [(c, c) for c in "abcdefghij"], width=22)
    assert narrow == rich_table([["长" * 20] * 10], list("abcdefghij"), [None] * 10, None, 22, None)
    assert tabletext.draw(["a"], [], width=80, no_wrap=[False], min_widths=[None]) is None


def test_a_rich_without_the_private_helpers_draws_the_table_itself(monkeypatch):
    from rich.table import Table

    monkeypatch.delattr(Table, "_collapse_widths")  # a later rich may rename it
    assert tabletext.draw(["企业"], [["骏捷智能"]], width=80, no_wrap=[False], min_widths=[None]) is None
    assert to_table([{"n": "骏捷智能"}], [("n", "企业")]) == rich_table([["骏捷智能"]], ["企业"], [None], None, 160, None)
