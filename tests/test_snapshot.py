"""The analysis snapshot of an embedded build answers exactly as the graph does (#8).

Gaps and targets on a persistent store read the build's snapshot (firm columns, relation edges,
the packed tie graph) instead of querying Oxigraph for every firm.  These tests pin that both
routes give identical results — on the bundled graph and on a synthetic province with hub
firms and a candidate pool — that ranking only the top rows gives the rows (and ranks) of the
full ranking, and that the snapshot is written once per build and follows the data.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from chaingraph.analysis import snapshot
from chaingraph.analysis.context import build_context
from chaingraph.analysis.source import FirmSource
from chaingraph.analysis.snapshot import SnapshotFirmSource
from chaingraph.analysis.gaps import find_gaps
from chaingraph.analysis.targets import rank_targets, target_facts
from chaingraph.store import GraphSource, bundled_files, load_files, open_graph

ROOT = Path(__file__).resolve().parents[1]
CHAIN_ED = "https://w3id.org/chaingraph/id/chain/electronic-devices"


def _synthetic_dir(root: Path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    d = root / "synth"
    d.mkdir()
    synth.write_province(d / "province.ttl", 400, seed=3)
    synth.write_pool(d / "pool.ttl", 300, seed=5)
    return d


@pytest.fixture(scope="module")
def routes(tmp_path_factory):
    """(park, {"store": graph on a disk build with snapshot, "memory": the same files parsed})."""
    home = tmp_path_factory.mktemp("snaphome")
    data = _synthetic_dir(tmp_path_factory.mktemp("snapdata"))
    mp = pytest.MonkeyPatch()
    mp.setenv("CHAINGRAPH_HOME", str(home))
    try:
        out = {}
        for name, dirs, park in (("bundled", (), "永州经开区"), ("synthetic", (data,), "合成园区0")):
            source = GraphSource(data_dirs=dirs, include_user=False)  # the shipped pool included
            store = open_graph(source)
            memory = load_files(source.files())
            out[name] = (park, store, memory)
        yield out
    finally:
        mp.undo()


@pytest.fixture(scope="module", params=["bundled", "synthetic"])
def case(request, routes):
    return routes[request.param]


def test_contexts_use_the_routes_expected(case):
    park, store, memory = case
    assert isinstance(build_context(store, park=park).source, SnapshotFirmSource)
    assert type(build_context(memory, park=park).source) is FirmSource


@pytest.mark.parametrize("scope", ["park", "city"])
def test_context_and_gaps_equal(case, scope):
    park, store, memory = case
    a, b = build_context(store, park=park, scope=scope), build_context(memory, park=park, scope=scope)
    assert a.local_firms == b.local_firms and a.leaders == b.leaders
    for name in ("park", "parks", "focus_chains", "chains", "reported_counts", "reported_shares", "planning",
                 "statements", "leader_info", "park_info", "city"):
        assert getattr(a, name) == getattr(b, name), name
    assert a.segment_firms() == b.segment_firms()
    assert find_gaps(a) == find_gaps(b)


def _dag_data(dag):
    return list(dag.nodes(data=True)), list(dag.edges(data=True)), dag.graph


def test_context_dag_is_the_projected_dag(case):
    """The context rebuilds the chain DAG from the build's stored context facts: node and edge
    order and attributes as project.chain_dag gives them, whole and per chain."""
    from chaingraph import project

    park, store, memory = case
    for graph in (store, memory):
        assert _dag_data(build_context(graph, park=park).dag) == _dag_data(project.chain_dag(graph))
        for chain, info in project.chains(memory).items():
            ctx = build_context(graph, park=park, chain=info["label"])
            assert ctx.chain == chain and ctx.focus_chains == (chain,)
            assert _dag_data(ctx.dag) == _dag_data(project.chain_dag(graph, chain))
    assert snapshot.context_facts(memory) is None
    ctx = build_context(store, park=park)  # a context owns its data: changing it changes no other
    for p in ctx.planning:
        p["segments"].clear()
    ctx.park_info.clear()
    next(iter(ctx.dag.nodes.values()))["product_terms"].append("x")
    again, other = build_context(store, park=park), build_context(memory, park=park)
    assert again.planning == other.planning and again.park_info == other.park_info
    assert _dag_data(again.dag) == _dag_data(project.chain_dag(store))


def test_context_chain_is_an_exact_name(case):
    """build_context(chain=…) takes the names resolve_chain takes (exact, either script), and
    never a near name."""
    from chaingraph.errors import NotFoundError

    park, store, _ = case
    assert build_context(store, park=park, chain="先進電子器件").chain == CHAIN_ED
    with pytest.raises(NotFoundError):
        build_context(store, park=park, chain="先进电子")


def test_targets_equal(case):
    park, store, memory = case
    a, b = build_context(store, park=park), build_context(memory, park=park)
    ra = rank_targets(a, top=0, facts=target_facts(store))
    rb = rank_targets(b, top=0, facts=target_facts(memory))
    assert ra["rows"] or ra["local_rows"], "the case must rank someone"
    assert ra == rb


def test_top_rows_are_the_full_rankings_head(case):
    """Ranking stops searching tie paths once no other firm can enter the top rows."""
    park, store, _ = case
    ctx = build_context(store, park=park)
    facts = target_facts(store)
    full = rank_targets(ctx, top=0, facts=facts)
    head = rank_targets(ctx, top=3, facts=facts)
    by_seg: dict[str, list] = {}
    for r in full["rows"]:
        by_seg.setdefault(r["segment"], []).append(r)
    assert head["rows"] == [r for rows in by_seg.values() for r in rows[:3]]
    assert head["segments"] == full["segments"]  # candidate counts are of every candidate


def test_busiest_segment_with_hub_ties(routes):
    """On the hub-heavy synthetic province, proximity saturates and introducer notes say so."""
    park, store, memory = routes["synthetic"]
    ctx = build_context(store, park=park)
    seg = max(ctx.dag.nodes, key=lambda s: len(ctx.outside_firms([s])[s]))
    ra = rank_targets(ctx, segment=seg, top=5, facts=target_facts(store, [seg]))
    rb = rank_targets(build_context(memory, park=park), segment=seg, top=5, facts=target_facts(memory, [seg]))
    assert ra == rb
    assert any(r["introducers"] for r in ra["rows"])
    for r in ra["rows"]:
        for intro in r["introducers"]:
            path = intro["path"]
            assert path[0]["from"] == intro["firm"] and path[-1]["to"] == r["firm"]
            assert len(path) == intro["distance"] and all(step["evidence"] for step in path)


def test_snapshot_written_once_per_build(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))
    g = open_graph(GraphSource(include_user=False))
    build = Path(snapshot.build_of(g))
    build_context(g)
    file = build / snapshot.FILE_NAME
    assert file.is_file()
    before = file.stat().st_mtime_ns
    snapshot.LOADED.clear()
    assert snapshot.ensure(g).firms  # read back, not recomputed
    assert file.stat().st_mtime_ns == before
    # a file of another format (or a broken one) is recomputed, not trusted
    file.write_bytes(b"not a snapshot")
    snapshot.LOADED.clear()
    assert snapshot.read(build) is None
    assert snapshot.ensure(g).firms and snapshot.read(build) is not None


def test_snapshot_follows_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))
    data = tmp_path / "mine"
    data.mkdir()
    (data / "a.ttl").write_text(
        "@prefix cg: <https://w3id.org/chaingraph/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/chaingraph/id/company/new-one> a cg:Company ; rdfs:label \"新来企业\"@zh ;\n"
        "  cg:park <https://w3id.org/chaingraph/id/park/yongzhou-etdz> .\n", encoding="utf-8")
    src = GraphSource(data_dirs=(data,), include_user=False)
    first = snapshot.build_of(open_graph(src))
    (data / "a.ttl").write_text((data / "a.ttl").read_text(encoding="utf-8").replace("新来企业", "改名企业"), encoding="utf-8")
    g = open_graph(src)
    assert snapshot.build_of(g) != first
    ctx = build_context(g)
    assert ctx.firm_label("https://w3id.org/chaingraph/id/company/new-one") == "改名企业"
    assert "https://w3id.org/chaingraph/id/company/new-one" in ctx.local_firms


def test_unwritable_build_keeps_snapshot_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))
    g = open_graph(GraphSource(include_user=False))

    def refuse(build, data, *name):
        raise PermissionError("read-only")

    monkeypatch.setattr(snapshot.files, "write", refuse)  # every stored file is written there
    snapshot.LOADED.pop(snapshot.build_of(g), None)
    snapshot.LOADED_FACTS.pop(snapshot.build_of(g), None)
    assert snapshot.ensure(g).firms
    assert target_facts(g)["links"]
    assert not (Path(snapshot.build_of(g)) / snapshot.FILE_NAME).exists()
    assert not (Path(snapshot.build_of(g)) / snapshot.FACTS_FILE).exists()


def test_target_facts_stored_per_build_equal_the_query(tmp_path, monkeypatch, run_cli):
    """Segment-link details come from the build's stored copy: the same as querying the store
    or the files parsed in memory, for every segment and for a few, with a candidate pool."""
    from chaingraph.analysis.source import query_target_facts
    from chaingraph.store import user_data_dir

    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))
    assert run_cli("pool", "build", str(ROOT / "tests" / "fixtures" / "chainkg")).code == 0
    src = GraphSource()
    g = open_graph(src)
    build = Path(snapshot.build_of(g))
    snapshot.LOADED_FACTS.pop(str(build), None)
    memory = load_files(src.files())
    whole = target_facts(g)
    assert (build / snapshot.FACTS_FILE).is_file()
    assert whole == query_target_facts(g) == target_facts(memory)
    assert list(whole["links"]) == list(target_facts(memory)["links"])  # same order too
    pool = (user_data_dir() / "pool" / "chainkg.ttl").read_text(encoding="utf-8")
    pool_segments = sorted({s for f, s in whole["links"] if f.rsplit("/", 1)[-1] in pool})
    assert pool_segments, "the pool must add segment links"
    some = pool_segments[:1] + ["https://w3id.org/chaingraph/id/segment/not-a-segment"]
    assert target_facts(g, some) == query_target_facts(g, some) == target_facts(memory, some)
    assert target_facts(g, some)["links"]
    # what a caller gets is its own: changing it does not change the next answer
    target_facts(g, some)["links"].clear()
    next(iter(target_facts(g)["places"].values()))["ancestors"].append("x")
    assert target_facts(g) == whole
    snapshot.LOADED_FACTS.pop(str(build))
    assert target_facts(g) == whole  # read back from the file


def test_build_command_indexes_the_store(run_cli):
    res = run_cli("--no-user-data", "build", "--format", "json")
    assert res.code == 0
    # made from the files parsed beside the bulk load (tests/test_snapshot_parsed.py), written
    # into the build before it goes live
    assert "indexed" in res.err and "from the files parsed beside the load" in res.err
    again = run_cli("--no-user-data", "gaps", "--format", "json")
    assert again.code == 0 and "indexing" not in again.err


def test_remote_and_memory_graphs_have_no_snapshot():
    g = load_files(bundled_files())
    assert snapshot.build_of(g) is None and snapshot.ensure(g) is None


def test_copied_build_dir_is_not_confused(tmp_path, monkeypatch):
    """A snapshot belongs to its build: another build (other data) computes its own."""
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))
    g1 = open_graph(GraphSource(include_user=False))
    build_context(g1)
    data = tmp_path / "extra"
    shutil.copytree(ROOT / "data", data)
    g2 = open_graph(GraphSource(data_dirs=(data,), include_user=False, include_bundled=False))
    assert snapshot.build_of(g2) != snapshot.build_of(g1)
    assert snapshot.ensure(g2) is not snapshot.ensure(g1)


def test_outside_counts_match_outside_firms(case):
    """Gaps count candidates (a COUNT on a server) instead of fetching them: same numbers."""
    park, store, memory = case
    for g in (store, memory):
        for what_if in (False, True):
            ctx = build_context(g, park=park)  # a fresh source: counted before anything is fetched
            if what_if:
                ctx = ctx.without(sorted(ctx.local_firms)[:3])
            segs = sorted(ctx.dag.nodes)
            counted = ctx.outside_counts(segs, listed=5)
            full = ctx.outside_firms(segs)
            assert counted == {s: (len(full[s]), full[s][:5]) for s in segs}


def test_ranking_on_the_store_gives_the_same_rows(case, monkeypatch):
    """Large segments on a SPARQL store are ranked there (bounds.py); forced here on every segment."""
    from chaingraph.analysis import targets

    park, store, memory = case
    exact = rank_targets(build_context(memory, park=park), top=5, facts=target_facts(memory))
    monkeypatch.setattr(targets, "SERVER_RANK_MIN", -1)
    ctx = build_context(memory, park=park)
    paged = rank_targets(ctx, top=5, facts=target_facts(memory))
    assert paged["rows"] == exact["rows"]
    assert [s["segment"] for s in paged["segments"]] == [s["segment"] for s in exact["segments"]]
    # small pages: the ranking stops paging once the top rows are settled, whatever the page size
    pages = []
    real = targets.bounds.select

    def counting(graph, query, **kw):
        rows = real(graph, query, **kw)
        if "ORDER BY DESC(?ub)" in query:
            pages.append(len(rows))
        return rows

    monkeypatch.setattr(targets.bounds, "PAGE", 3)
    monkeypatch.setattr(targets.bounds, "select", counting)
    assert rank_targets(build_context(memory, park=park), top=5, facts=target_facts(memory))["rows"] == exact["rows"]
    assert pages and max(pages) <= 3
    everything = rank_targets(build_context(memory, park=park), top=0, facts=target_facts(memory))
    monkeypatch.setattr(targets, "SERVER_RANK_MIN", 10**9)
    assert everything["rows"] == rank_targets(build_context(memory, park=park), top=0, facts=target_facts(memory))["rows"]
