"""The snapshot made from the files parsed beside the bulk load equals the one SPARQL makes (#17).

``chaingraph build`` parses the files once more in a thread while Oxigraph bulk-loads them
(:mod:`chaingraph.store.scan`) and makes the analysis index and the target facts from those
quads (:mod:`chaingraph.analysis.snapshot.parsed`).  These tests build stores that way and
compare what was written, field by field and type by type, with what the SPARQL projections
compute from the same store: on the bundled graph, the bundled graph with the shipped pool, a
1k-firm synthetic province and literals the store rewrites; and check that every case whose
answer would depend on the store (blank nodes, several labels in one language, values that
compare or print alike, a fact of two classes) gives up, leaving the snapshot to SPARQL.
"""

from __future__ import annotations

import json
import marshal
import sys
from pathlib import Path

import pytest

from chaingraph.analysis import snapshot
from chaingraph.analysis.snapshot import files as snapfiles
from chaingraph.analysis.snapshot import index, parsed, targets
from chaingraph.store import GraphSource, build_of, build_store, open_graph
from chaingraph.store.builds import CONFLICTS
from chaingraph.store.conflicts import conflicts_in

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """\
@prefix cg: <https://w3id.org/chaingraph/ns#> .
@prefix co: <https://w3id.org/chaingraph/id/company/> .
@prefix seg: <https://w3id.org/chaingraph/id/segment/> .
@prefix park: <https://w3id.org/chaingraph/id/park/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# literals the store keeps in canonical form, a triple given twice, several labels in one
# language, a literal product spelled like a labelled product IRI, an evidence literal: all
# answered from the parsed files
REWRITTEN = PREFIXES + """\
co:pz-one a cg:Company ; rdfs:label "偏值一"@zh, "Odd One"@en ; cg:park park:yongzhou-etdz ;
    cg:xiangshang "1"^^xsd:boolean ; cg:stockCode "000123" ; cg:inSegment seg:pz-own ;
    cg:makes "https://w3id.org/chaingraph/id/product/pz-widget" .
co:pz-one cg:park park:yongzhou-etdz .
co:pz-two a cg:Company ; rdfs:label "偏值二", "偏值贰"@zh, "偏值两"@zh, "Odd Two"@en-GB, "Odd 2"@en ;
    cg:xiangshang false .
<https://w3id.org/chaingraph/id/product/pz-widget> rdfs:label "偏值部件"@zh, "偏值零件"@zh, "Widget"@en ;
    cg:inSegment seg:pz-own .
<https://w3id.org/chaingraph/id/link/pz-1> a cg:SegmentLink ; cg:firm co:pz-one ; cg:segment seg:pz-own ;
    cg:revenueShare "0.50"^^xsd:decimal, "0.25"^^xsd:double ; cg:basis "revenue" ;
    cg:product <https://w3id.org/chaingraph/id/product/pz-widget>, "https://w3id.org/chaingraph/id/product/pz-widget" ;
    cg:evidence [ cg:confidence "0.80"^^xsd:decimal ], "not a node" .
<https://w3id.org/chaingraph/id/supply/pz-s> a cg:Supply ; cg:supplier co:pz-one ; cg:customer co:pz-two ;
    cg:year "02021"^^xsd:integer .
<https://w3id.org/chaingraph/id/referral/pz-r> a cg:Referral ; cg:referrer co:pz-two ; cg:referee co:pz-one ;
    cg:referralKind cg:LeaderPull ; cg:year 2020 .
"""

# each makes the answer depend on the store (its blank node names or its order of rows)
GIVE_UP = {
    "blank company": "[] a cg:Company ; rdfs:label \"匿名\" .",
    "blank product": "co:gu a cg:Company ; cg:makes [ cg:inSegment seg:x ] .",
    "labels printing alike": "co:gu a cg:Company ; rdfs:label \"1\", 1 .",
    "equal values of two types": "co:gu a cg:Company ; cg:xiangshang true, 1 .",
    "values printing alike": "co:gu a cg:Company ; cg:stockCode \"1\", 1 .",
    "fact of two classes": "<https://w3id.org/chaingraph/id/r/gu> a cg:Referral, cg:Supply ; "
                           "cg:referrer co:a ; cg:referee co:b .",
    "literal leader pull": "<https://w3id.org/chaingraph/id/r/gu> a cg:Referral ; cg:referrer co:a ; "
                           "cg:referralKind \"https://w3id.org/chaingraph/ns#LeaderPull\" .",
    "blank link": "[] a cg:SegmentLink ; cg:firm co:a ; cg:segment seg:x .",
    "blank region": "<https://w3id.org/chaingraph/id/place/gu> a cg:Place ; cg:inRegion [] .",
}


def _build(home: Path, monkeypatch, data_dirs=(), *, pool: bool = False):
    """Build the store of ``data_dirs`` (no user data) the way ``chaingraph build`` does; returns
    (the graph, the reader that ran beside the load)."""
    monkeypatch.setenv("CHAINGRAPH_HOME", str(home))
    if pool:
        monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    else:
        monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "0")
    source = GraphSource(data_dirs=tuple(data_dirs), include_user=False)
    readers: list = []
    build_store(source, force=True, alongside=lambda fs: readers.append(parsed.Reads(fs)) or readers[-1])
    return open_graph(source), readers[0]


def _strict(value) -> bytes:
    """Bytes telling values and their types apart (marshal without shared references)."""
    return marshal.dumps(value, 2)


def _assert_as_sparql(graph) -> None:
    """The stored index and target facts equal, field by field, what SPARQL computes."""
    build = Path(build_of(graph))
    stored = index.read(build)
    assert stored is not None, "the build wrote no analysis index"
    fresh = index.compute(graph)
    assert stored.keys() - {"packed"} == fresh.keys() - set(index.PACKED) - {"columns"}
    for key in fresh:
        if key == "columns":
            assert {k[4:] for k in stored["packed"] if k.startswith("col:")} == set(fresh["columns"])
            for col, values in fresh["columns"].items():
                assert _strict(marshal.loads(stored["packed"]["col:" + col])) == _strict(values), col
        elif key in index.PACKED:
            assert _strict(marshal.loads(stored["packed"][key])) == _strict(fresh[key]), key
        else:
            assert _strict(stored[key]) == _strict(fresh[key]), key
    facts = snapfiles.read(build, targets.FACTS_FILE, targets.FACTS_FORMAT)
    assert facts is not None, "the build wrote no target facts"
    assert _strict(facts) == _strict(targets.compute_facts(graph))
    # the context facts and the counts, computed by a child process from the loaded store
    from chaingraph.analysis.snapshot.context import CONTEXT_FILE, CONTEXT_FORMAT, compute_context
    from chaingraph.stats import STATS_FILE, _count

    context = snapfiles.read(build, CONTEXT_FILE, CONTEXT_FORMAT)
    assert context is not None, "the build wrote no context facts"
    assert context == compute_context(graph)  # sets inside: their order differs between processes
    assert json.loads((build / STATS_FILE).read_text(encoding="utf-8"))["rows"] == _count(graph)


@pytest.fixture(autouse=True)
def _fresh_caches():
    for cache in (snapshot.LOADED, snapshot.LOADED_FACTS, snapshot.LOADED_CONTEXT):
        cache.clear()
    yield


@pytest.mark.slow
@pytest.mark.parametrize("pool", [False, True], ids=["bundled", "bundled+pool"])
def test_bundled_data_snapshot_equals_sparql(tmp_path, monkeypatch, pool):
    graph, reader = _build(tmp_path / "home", monkeypatch, pool=pool)
    assert reader.unsure is None
    _assert_as_sparql(graph)


@pytest.mark.slow
def test_synthetic_snapshot_equals_sparql(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    d = tmp_path / "synth"
    d.mkdir()
    synth.write_province(d / "province.ttl", 1000, seed=5)
    graph, reader = _build(tmp_path / "home", monkeypatch, [d])
    assert reader.unsure is None
    _assert_as_sparql(graph)
    # the contradictions found in the same pass are those found by parsing the files again
    build = Path(build_of(graph))
    found = json.loads((build / CONFLICTS).read_text(encoding="utf-8"))
    from chaingraph.store.files import bundled_files

    assert found == [c.to_dict() for c in conflicts_in([*bundled_files(), d / "province.ttl"])]


@pytest.mark.slow
def test_literals_the_store_rewrites_equal_sparql(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir()
    (d / "rewritten.ttl").write_text(REWRITTEN, encoding="utf-8")
    graph, reader = _build(tmp_path / "home", monkeypatch, [d])
    assert reader.unsure is None
    _assert_as_sparql(graph)
    co = "https://w3id.org/chaingraph/id/company/"
    link = snapshot.target_facts(graph, ["https://w3id.org/chaingraph/id/segment/pz-own"])["links"]
    shares = sorted({d["share"] for d in link[(co + "pz-one", "https://w3id.org/chaingraph/id/segment/pz-own")]})
    assert shares == [0.25, 0.5]  # "0.50"^^xsd:decimal read back as 0.5
    snap = snapshot.ensure(graph)
    assert snap.firm(co + "pz-one")["xiangshang"] is True
    years = {e["fact"].rsplit("/", 1)[1]: e["year"] for e in snap.edge_list()}
    assert years["pz-s"] == 2021 and years["pz-r"] == 2020


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(GIVE_UP))
def test_what_depends_on_the_store_is_left_to_sparql(tmp_path, monkeypatch, case):
    d = tmp_path / "data"
    d.mkdir()
    (d / "case.ttl").write_text(PREFIXES + GIVE_UP[case] + "\n", encoding="utf-8")
    graph, reader = _build(tmp_path / "home", monkeypatch, [d])
    assert reader.unsure is not None and reader.made is None
    build = Path(build_of(graph))
    assert not (build / index.FILE_NAME).exists() and not (build / targets.FACTS_FILE).exists()
    snap = snapshot.ensure(graph)  # computed from the store, as before
    assert snap is not None and index.read(build) is not None


@pytest.mark.slow
def test_bad_file_fails_the_build_and_keeps_the_store(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir()
    (d / "good.ttl").write_text(REWRITTEN, encoding="utf-8")
    graph, _ = _build(tmp_path / "home", monkeypatch, [d])
    before = build_of(graph)
    (d / "good.ttl").write_text(REWRITTEN + "\nco:broken cg:park .\n", encoding="utf-8")
    from chaingraph.errors import ChaingraphError

    with pytest.raises(ChaingraphError) as err:
        _build(tmp_path / "home", monkeypatch, [d])
    assert f"good.ttl:{REWRITTEN.count(chr(10)) + 2}: malformed Turtle" in str(err.value)
    assert (Path(before) / index.FILE_NAME).exists()
    assert (tmp_path / "home" / "store" / "CURRENT").read_text().strip() == Path(before).name


def test_the_forked_half_answers_or_is_computed_here():
    """The relation half computed by a fork: its answer comes back; what it raises as unsure is
    raised here; an answer that cannot be sent (or a child that dies) is computed here instead."""
    import os

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    assert parsed._Forked(os.getpid).result() != os.getpid()  # computed by the child

    def unsure():
        raise parsed.Unsure("depends on the order")

    with pytest.raises(parsed.Unsure, match="depends on the order"):
        parsed._Forked(unsure).result()
    here = object()  # marshal cannot send it: the child fails, the parent computes it
    assert parsed._Forked(lambda: here).result() is here
