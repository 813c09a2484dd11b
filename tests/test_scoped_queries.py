"""The scoped queries (VALUES-bound, per segment, per firm) give the rows of the full projections.

The analyses fetch only what a question needs (#8); these tests pin that each narrow query
equals the corresponding slice of the old whole-graph projection, on the bundled graph and on a
small synthetic province with a candidate pool.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

from chaingraph import project
from chaingraph.analysis.context import build_context
from chaingraph.analysis.targets import TIE_KINDS, tie_graph
from chaingraph.company import company_card, company_names, exact_matches, find_company
from chaingraph.lookup import park_names, resolve
from chaingraph.store import bundled_files, load_files, turtle_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundled():
    return load_files(bundled_files()), "永州经开区"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    d = tmp_path_factory.mktemp("synth")
    synth.write_province(d / "province.ttl", 300, seed=3)
    synth.write_pool(d / "pool.ttl", 200, seed=5)
    return load_files(bundled_files() + turtle_files(d)), "合成园区0"


@pytest.fixture(scope="module", params=["bundled", "synthetic"])
def case(request):
    return request.getfixturevalue(request.param)


def _sample(items, n=40):
    items = sorted(items)
    step = max(1, len(items) // n)
    return items[::step]


def test_firm_queries_equal_full_projection(case):
    g, _ = case
    full = project.firms(g)
    some = _sample(full) + ["https://w3id.org/chaingraph/id/company/not-there"]
    assert project.firms(g, some) == {f: full[f] for f in some if f in full}
    segs = project.firm_segments(g)
    assert project.firm_segments(g, some) == {f: segs[f] for f in some if f in segs}
    names = company_names(g)
    assert company_names(g, some) == {f: names[f] for f in some if f in names}
    lab = project.labels(g)
    assert project.labels(g, some) == {f: lab[f] for f in some if f in lab}
    short = {f: v for f, v in project.firm_names(g, some).items() if f in full}
    assert short == {f: {k: full[f][k] for k in ("label", "full_name", "aliases")} for f in some if f in full}


def test_firms_in_segments_and_parks(case):
    g, park = case
    segs = project.firm_segments(g)
    wanted = sorted({s for v in segs.values() for s in v})[:30]
    by_firm = project.firms_in_segments(g, wanted)
    expect = {f: [s for s in v if s in wanted] for f, v in segs.items()}
    assert by_firm == {f: v for f, v in expect.items() if v}
    full = project.firms(g)
    summary = project.segment_members(g, wanted)  # what ranking scores a pool's candidates with
    assert summary == {f: {"segments": v, **{k: full[f][k] for k in project.SUMMARY_KEYS}} for f, v in by_firm.items()}
    p = resolve(park, park_names(project.parks(g)), "park")
    assert project.firms_in_parks(g, [p]) == {f: d["park"] for f, d in full.items() if d["park"] == p}


@pytest.mark.parametrize("scope", ["park", "city"])
def test_context_matches_full_projection(case, scope):
    g, park = case
    ctx = build_context(g, park=park, scope=scope)
    fg = project.firm_graph(g)
    firms = {n: d for n, d in fg.nodes(data=True) if d.get("kind") == "company"}
    # local firms as the old whole-graph context defined them
    local = {f for f, d in firms.items() if d.get("park") in ctx.parks}
    city = ctx.park_info[ctx.park]["city"]
    if scope == "city" and city:
        local |= {f for f, d in firms.items() if not d.get("park") and d.get("city") == city}
    assert ctx.local_firms == frozenset(local)
    # candidates per segment, as the old code found them by scanning every outside firm
    outside = [f for f in sorted(firms) if f not in local and firms[f].get("park") not in ctx.parks]
    cand: dict[str, list[str]] = {}
    for f in outside:
        for s in ctx.covered_segments(f):
            cand.setdefault(s, []).append(f)
    segs = sorted(ctx.dag.nodes)
    got = ctx.outside_firms(segs)
    assert got == {s: cand.get(s, []) for s in segs}
    # labels fetched one by one equal the full projection's
    for f in _sample(firms, 20):
        assert ctx.firm_label(f) == firms[f]["label"]


def test_tie_graph_matches_firm_graph(case):
    """The tie graph built from relation facts alone has the old graph's edges, in the same order."""
    g, park = case
    ctx = build_context(g, park=park)
    fg = ctx.firm_graph  # the full projection, as the old code used it
    old = nx.MultiGraph()
    origins = set()
    for a, b, k, d in fg.edges(keys=True, data=True):
        if d.get("kind") not in TIE_KINDS:
            continue
        old.add_edge(a, b, key=k, kind=d["kind"], fact=d["fact"])
        if d["kind"] == "relocation":
            origins.add(b)
    for f, d in ctx.firms.items():
        if d.get("city") in origins and f not in ctx.local_firms:
            old.add_edge(f, d["city"], key="city:" + f, kind="city", fact=None)
    new = tie_graph(ctx)
    assert list(new.nodes) == list(old.nodes)

    def key(a, b, d):
        return (min(a, b), max(a, b), d["fact"] or "city:" + (a if d["kind"] == "city" else b))

    assert sorted(key(a, b, d) for a, b, d in new.edges()) == sorted(key(a, b, {**d, "kind": d["kind"]}) for a, b, d in old.edges(data=True))
    for n in new.nodes:  # neighbours in the same order: searches take the same routes
        assert [new.nodes[i] for i in new.adj[new.ids[n]]] == list(old.adj[n])


def test_exact_company_lookup_agrees_with_full_resolve(case):
    g, _ = case
    names = company_names(g)
    for f in _sample(names, 30):
        for n in names[f]:
            try:
                expected = resolve(n, names, "company")
            except Exception:
                continue  # ambiguous names: the exact query may pick, the full resolve refuses
            assert find_company(g, n) == expected
    assert exact_matches(g, "没有这家企业") == []


def test_company_card_labels_on_demand(bundled):
    g, _ = bundled
    iri = find_company(g, "骏捷智能")
    card = company_card(g, iri)
    assert card["name"] == "骏捷智能" and card["park"]
