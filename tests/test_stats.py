"""`stats` counts a build once and reads the counts back after (#17)."""

from __future__ import annotations

from pathlib import Path

from chaingraph.stats import STATS_FILE, graph_stats
from chaingraph.store import GraphSource, build_of, load_files, open_graph


def test_build_counts_are_stored_and_equal_the_graphs(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))
    src = GraphSource(include_user=False)
    g = open_graph(src)
    first = graph_stats(g)
    stored = Path(build_of(g)) / STATS_FILE
    assert stored.is_file()
    memory = graph_stats(load_files(src.files()))
    assert first == memory  # same counts, labels and total as counting the parsed files
    assert {r["class"]: r["count"] for r in first}["Company"] > 10
    assert graph_stats(g) == first  # read back
    stored.write_text("{not json", encoding="utf-8")
    assert graph_stats(g) == first and stored.read_text(encoding="utf-8").startswith("{\"counted\"")


def test_counts_of_another_build_are_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))
    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "a.ttl").write_text(
        "@prefix cg: <https://w3id.org/chaingraph/ns#> .\n"
        "<https://w3id.org/chaingraph/id/company/stats-new> a cg:Company .\n", encoding="utf-8")
    before = {r["class"]: r["count"] for r in graph_stats(open_graph(GraphSource(include_user=False)))}
    after = {r["class"]: r["count"] for r in graph_stats(open_graph(GraphSource(data_dirs=(extra,), include_user=False)))}
    assert after["Company"] == before["Company"] + 1 and after["triples"] == before["triples"] + 1
