"""The analysis snapshot reads each firm property once (#17): same snapshot, fewer reads.

``chaingraph build`` computes the snapshot from :func:`chaingraph.project.firm_reads` shared by
``firms``, ``firm_segments`` and ``firm_parks`` (the last two used to query the store again), and
names' comparison keys take a fast path for plain names.  These tests pin that the shared reads
give exactly what each projection's own queries give — on the bundled graph with the shipped
pool, on a 1k-firm synthetic province and on a file of awkward cases — and that the whole
snapshot is field by field the one the separate queries made.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from chaingraph import project
from chaingraph.analysis import snapshot
from chaingraph.lookup import name_key
from chaingraph.normalize import normalize
from chaingraph.store import GraphSource, load_files, open_graph

ROOT = Path(__file__).resolve().parents[1]

EDGE_CASES = """\
@prefix cg: <https://w3id.org/chaingraph/ns#> .
@prefix co: <https://w3id.org/chaingraph/id/company/> .
@prefix seg: <https://w3id.org/chaingraph/id/segment/> .
@prefix park: <https://w3id.org/chaingraph/id/park/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

# several labels and languages, two parks, two full names, aliases
co:edge-multi a cg:Company ; rdfs:label "多名企業"@zh-Hant, "Multi Name Co"@en, "多名企业"@zh ;
    cg:fullName "乙多名有限公司", "甲多名有限公司" ; cg:shortName "多名", "ＭＮ 科技" ;
    cg:park park:yongzhou-etdz, park:edge-second-park ; cg:inSegment seg:edge-own .
# nothing but its type
co:edge-bare a cg:Company .
# segments only through a product it makes (an IRI and a blank node product)
co:edge-maker a cg:Company ; rdfs:label "Maker (永州)"@en ;
    cg:makes <https://w3id.org/chaingraph/id/product/edge-widget>, [ cg:inSegment seg:edge-bnode ] .
<https://w3id.org/chaingraph/id/product/edge-widget> cg:inSegment seg:edge-via-product, seg:edge-own .
# a literal product whose text is a product IRI: no segment through it
co:edge-literal a cg:Company ; cg:makes "https://w3id.org/chaingraph/id/product/edge-widget" .
# not a company: its segments and park are nobody's
co:edge-not-a-firm cg:inSegment seg:edge-own ; cg:park park:edge-second-park ; rdfs:label "不是企业" .
# a blank-node company
[] a cg:Company ; rdfs:label "匿名企业" ; cg:inSegment seg:edge-own ; cg:park park:yongzhou-etdz .

# segment links: two firms x two segments, products labelled in two languages, unlabelled
# (blank node), literal; two shares, blank-node evidence with two confidences
<https://w3id.org/chaingraph/id/link/edge-1> a cg:SegmentLink ;
    cg:firm co:edge-multi, co:edge-maker ; cg:segment seg:edge-own, seg:edge-via-product ;
    cg:basis "revenue", "main business" ;
    cg:product <https://w3id.org/chaingraph/id/product/edge-widget>, [ cg:inSegment seg:edge-own ], "字面产品" ;
    cg:revenueShare 0.4, "0.5"^^<http://www.w3.org/2001/XMLSchema#decimal> ;
    cg:evidence [ cg:confidence 0.7 ], [ cg:confidence 0.9 ] ; cg:sameRevenueLineAs "某收入行" .
<https://w3id.org/chaingraph/id/product/edge-widget> rdfs:label "小部件"@zh, "Widget"@en .
# not typed as a link: left out; typed but without a segment: left out
<https://w3id.org/chaingraph/id/link/edge-untyped> cg:firm co:edge-bare ; cg:segment seg:edge-own ; cg:basis "untyped" .
<https://w3id.org/chaingraph/id/link/edge-no-segment> a cg:SegmentLink ; cg:firm co:edge-bare ; cg:basis "no segment" .
# a blank-node link with only a confidence
[] a cg:SegmentLink ; cg:firm co:edge-bare ; cg:segment seg:edge-own ;
    cg:evidence [ cg:confidence "0.3"^^<http://www.w3.org/2001/XMLSchema#double> ] .
"""


def _synthetic(root: Path, n: int) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    d = root / f"synth-{n}"
    d.mkdir()
    synth.write_province(d / "province.ttl", n, seed=11)
    return d


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    """{name: graph}: on-disk builds (bundled + shipped pool + awkward cases; bundled + 1k
    synthetic firms) and the awkward cases parsed in memory."""
    edge = tmp_path_factory.mktemp("edge")
    (edge / "edge.ttl").write_text(EDGE_CASES, encoding="utf-8")
    synthetic = _synthetic(tmp_path_factory.mktemp("synth"), 1000)
    mp = pytest.MonkeyPatch()
    mp.setenv("CHAINGRAPH_HOME", str(tmp_path_factory.mktemp("readshome")))
    mp.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    try:
        pooled = GraphSource(data_dirs=(edge,), include_user=False)
        assert any(f.name == "chainkg.ttl" for f in pooled.files())
        yield {
            "pool+edge store": open_graph(pooled),
            "synthetic 1k store": open_graph(GraphSource(data_dirs=(synthetic,), include_user=False)),
            "edge in memory": load_files([edge / "edge.ttl"]),
        }
    finally:
        mp.undo()


@pytest.fixture(scope="module", params=["pool+edge store", "synthetic 1k store", "edge in memory"])
def graph(request, graphs):
    return graphs[request.param]


@pytest.mark.slow
def test_shared_reads_equal_each_projections_own_queries(graph):
    reads = project.firm_reads(graph)
    for shared, own in ((project.firms(graph, reads=reads), project.firms(graph)),
                        (project.firm_segments(graph, reads=reads), project.firm_segments(graph)),
                        (project.firm_parks(graph, reads=reads), project.firm_parks(graph))):
        assert shared == own
        assert list(shared) == list(own)  # same order
        assert [list(v) if isinstance(v, dict) else v for v in shared.values()] == \
            [list(v) if isinstance(v, dict) else v for v in own.values()]


@pytest.mark.slow
def test_edge_cases_are_in_the_data(graphs):
    """The awkward cases really are there, answered as the queries answer them."""
    g = graphs["pool+edge store"]
    co = "https://w3id.org/chaingraph/id/company/"
    seg = "https://w3id.org/chaingraph/id/segment/"
    reads = project.firm_reads(g)
    segments = project.firm_segments(g, reads=reads)
    assert segments[co + "edge-maker"] == [seg + "edge-bnode", seg + "edge-own", seg + "edge-via-product"]
    assert co + "edge-literal" not in segments and co + "edge-bare" not in segments
    assert co + "edge-not-a-firm" not in segments
    assert [s for f, s in segments.items() if not f.startswith("http")] == [[seg + "edge-own"]]  # the blank node
    parks = project.firm_parks(g, reads=reads)
    assert parks[co + "edge-multi"] == ["https://w3id.org/chaingraph/id/park/edge-second-park",
                                        "https://w3id.org/chaingraph/id/park/yongzhou-etdz"]
    firm = project.firms(g, reads=reads)[co + "edge-multi"]
    assert firm["full_name"] == "乙多名有限公司" and firm["aliases"] == ["多名", "ＭＮ 科技"]
    assert project.firms(g, reads=reads)[co + "edge-bare"]["label"] == "edge-bare"


@pytest.mark.slow
def test_snapshot_equals_the_one_from_separate_queries(graphs, monkeypatch):
    """The whole analysis snapshot, field by field, as computed before the reads were shared."""
    for name in ("pool+edge store", "synthetic 1k store"):
        g = graphs[name]
        shared = snapshot.compute(g)
        with monkeypatch.context() as m:
            for fn in ("firms", "firm_segments", "firm_parks"):
                original = getattr(project, fn)
                m.setattr(project, fn, lambda graph, reads=None, _f=original: _f(graph))
            separate = snapshot.compute(g)
        assert shared.keys() == separate.keys()
        for key in shared:
            assert shared[key] == separate[key], (name, key)
        assert shared["columns"].keys() == separate["columns"].keys()


def _slow_key(name: str) -> str:
    return normalize(name).text.replace(" ", "").lower()


@pytest.mark.slow
def test_name_key_fast_path_equals_normalize(graphs):
    """Every name of every firm (bundled, shipped pool, synthetic, awkward cases) and every label
    in the graphs, plus random strings of awkward characters, get the key normalize gives."""
    names: set[str] = set()
    for g in graphs.values():
        for f in project.firms(g).values():
            names.update(project.names_of(f))
        for by_lang in project.labels(g).values():
            names.update(by_lang.values())
    assert len(names) > 5000
    tricky = "骏駿業业发發AaZz09 ０ＡＢ（）()「」,;:!?.．％\n\t\u3000·—﨑㐀ü-_/&"
    rng = random.Random(17)
    names.update("".join(rng.choice(tricky) for _ in range(rng.randint(0, 12))) for _ in range(20000))
    names.update(["", "ABC科技", "業(yè)务", "ＡＢＣ", "a\nb", "a\u2028b", "湖南骏捷智能科技有限公司"])
    name_key.cache_clear()
    wrong = [n for n in names if name_key(n) != _slow_key(n)]
    assert wrong == []


@pytest.mark.slow
def test_every_link_joined_here_equals_the_union_query(graph):
    """Segment-link details of the whole graph (each pattern read once, joined in Python) are
    those of the per-segment ``UNION`` query, which joins every branch with the link in SPARQL."""
    from chaingraph.analysis.source import query_target_facts
    from chaingraph.store import select

    whole = query_target_facts(graph)
    segments = sorted({r["s"] for r in select(graph, "SELECT DISTINCT ?s WHERE { ?l cg:segment ?s FILTER(isIRI(?s)) }")})
    joined = query_target_facts(graph, segments)
    assert whole == joined
    assert list(whole["links"]) == list(joined["links"])
    co = "https://w3id.org/chaingraph/id/company/"
    seg = "https://w3id.org/chaingraph/id/segment/"
    if (co + "edge-bare", seg + "edge-own") in whole["links"]:  # the awkward cases are in this graph
        bare = whole["links"][(co + "edge-bare", seg + "edge-own")]
        assert bare == [{"product": None, "share": None, "basis": None, "confidence": 0.3, "same_line": []}]
        multi = whole["links"][(co + "edge-multi", seg + "edge-via-product")]
        assert multi == whole["links"][(co + "edge-maker", seg + "edge-own")]
        # bases x (one labelled product, named by its Chinese label, and two unlabelled) x shares;
        # the product's English label is the same product, not another (chaingraph.project.labels)
        assert len(multi) == 2 * 3 * 2
        assert {d["product"] for d in multi} == {"小部件", None}
        assert {d["confidence"] for d in multi} == {0.7} and {d["share"] for d in multi} == {0.4, 0.5}
        assert all(f != co + "edge-bare" or s == seg + "edge-own" for f, s in whole["links"])  # untyped link left out
