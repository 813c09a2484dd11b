"""Which label is shown does not depend on the store or on the order it returns rows in.

A user's file may give a bundled firm, segment, chain or park a second label of the same
language (the store then holds both; ``chaingraph.store.conflicts`` warns).  The display label
is chosen by one rule (:func:`chaingraph.project.labels.best_labels`): ``zh`` before
``zh-Hans``/``zh-CN`` before other ``zh-*`` before an untagged literal, then the first in
code-point order.  These tests load the bundled graph plus such a file into the embedded
on-disk store, an rdflib in-memory graph, and an rdflib graph fed the triples in reverse order,
and ask every projection that names things.
"""

from __future__ import annotations

import pytest
import rdflib

from chaingraph import project
from chaingraph.analysis.context import build_context
from chaingraph.analysis.gaps import gap_report
from chaingraph.analysis.source import query_target_facts
from chaingraph.analysis.targets import bounds
from chaingraph.company import company_card, company_names
from chaingraph.project.labels import best_labels, label_rank
from chaingraph.store import GraphSource, bundled_files, open_graph, select

CG = "https://w3id.org/chaingraph/"
JUNJIE = CG + "id/company/junjie-zhineng"
PLATING = CG + "id/segment/ed-plating"
CHAIN = CG + "id/chain/electronic-devices"
PARK = CG + "id/park/yongzhou-etdz"
STAMPING = CG + "id/segment/eq-stamping"

#: A user file naming bundled subjects again.  The winners by the rule: 骏捷 ("骏捷"@zh is the
#: first @zh label in code-point order; the zh-Hans and untagged ones rank below @zh), 电镀 for
#: the segment (its "电镀"@zh sorts before the bundled "电镀及表面处理"@zh), the bundled chain and
#: park labels (the others are zh-Hant / untagged).
EXTRA = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix company: <https://w3id.org/chaingraph/id/company/> .
@prefix seg: <https://w3id.org/chaingraph/id/segment/> .
@prefix chain: <https://w3id.org/chaingraph/id/chain/> .
@prefix park: <https://w3id.org/chaingraph/id/park/> .
@prefix cg: <https://w3id.org/chaingraph/ns#> .
company:junjie-zhineng rdfs:label "骏捷智能科技"@zh , "骏捷"@zh , "一骏捷"@zh-Hans , "一号骏捷" ,
    "Junjie B"@en , "Junjie A"@en-GB .
seg:ed-plating rdfs:label "电镀"@zh , "Plating"@en-US .
chain:electronic-devices rdfs:label "先進電子器件"@zh-Hant .
park:yongzhou-etdz rdfs:label "一经开区" .
company:junjie-zhineng cg:fullName "东莞骏捷智能科技有限公司"@zh .
<https://w3id.org/chaingraph/id/fact/project-junjie-zhineng-industrial-park> rdfs:label "一号产业园"@zh-Hant .
"""

EXPECTED = {"firm": "骏捷", "segment": "电镀", "segment_en": "Electroplating and surface finishing",
            "chain": "先进电子器件", "park": "永州经开区"}


def answers(graph) -> dict:
    """What every label-picking projection shows for the subjects :data:`EXTRA` relabels."""
    dag = project.chain_dag(graph)
    firms = project.firms(graph)
    ctx = build_context(graph)
    seg_of_junjie = firms[JUNJIE]["segments"][0]
    members = project.segment_members(graph, [seg_of_junjie])
    ranked = [r for page in bounds.ranked_members(graph, [seg_of_junjie], gap_priority=0.5,
                                                  weights={"gap_priority": 1.0, "product_fit": 1.0},
                                                  good_places=[]) for r in page]
    rep = gap_report(ctx)
    card = company_card(graph, JUNJIE)
    return {
        "labels": project.labels(graph, [JUNJIE, PLATING, CHAIN, PARK]),
        "firm": firms[JUNJIE]["label"],
        "firm_names": project.firm_names(graph, [JUNJIE])[JUNJIE]["label"],
        "member": members[JUNJIE]["label"],
        "bound": next(r["label"] for r in ranked if r["f"] == JUNJIE),
        "company_first": company_names(graph, [JUNJIE])[JUNJIE][0],
        "card": card["name"],
        "card_full_name": card["full_name"],
        "full_name": firms[JUNJIE]["full_name"],
        "card_projects": card["projects"],
        "context_firm": ctx.firm_label(JUNJIE),
        "segment": dag.nodes[PLATING]["label"],
        "segment_en": dag.nodes[PLATING]["label_en"],
        "chain": project.chains(graph)[CHAIN]["label"],
        "dag_chain": dag.nodes[PLATING]["chain_label"],
        "park": project.parks(graph)[PARK]["label"],
        "context_park": ctx.park_label,
        "gap_rows": [(r["segment"], r["label"], r["status"]) for r in rep["rows"] + rep["unrecorded"]],
    }


@pytest.fixture(scope="module")
def extra_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("relabel")
    (d / "relabel.ttl").write_text(EXTRA, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def three_graphs(extra_dir, tmp_path_factory):
    """The same triples in the embedded on-disk store, an rdflib graph, and an rdflib graph
    fed in reverse order."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CHAINGRAPH_HOME", str(tmp_path_factory.mktemp("labels-home")))
    try:
        embedded = open_graph(GraphSource(data_dirs=(extra_dir,), include_user=False, include_pool=False))
        files = [*bundled_files(), extra_dir / "relabel.ttl"]
        plain = rdflib.Graph()
        for f in files:
            plain.parse(f, format="turtle")
        triples = list(plain)
        backwards = rdflib.Graph()
        for t in reversed(triples):
            backwards.add(t)
        forwards = rdflib.Graph()
        for t in triples:
            forwards.add(t)
        yield {"embedded": embedded, "rdflib": forwards, "reversed": backwards}
    finally:
        mp.undo()


def test_rows_really_come_in_another_order(three_graphs):
    """The reversed graph returns the firm's labels in another order: the test below compares
    answers that a row-order rule would give differently."""
    q = f"SELECT ?l WHERE {{ <{JUNJIE}> rdfs:label ?l }}"
    fwd = [r["l"] for r in select(three_graphs["rdflib"], q)]
    bwd = [r["l"] for r in select(three_graphs["reversed"], q)]
    assert sorted(fwd) == sorted(bwd) and len(fwd) == 7
    assert fwd != bwd


def test_same_labels_from_every_store_and_order(three_graphs):
    got = {name: answers(g) for name, g in three_graphs.items()}
    assert got["embedded"] == got["rdflib"] == got["reversed"]
    a = got["embedded"]
    for key in ("firm", "firm_names", "member", "bound", "company_first", "card", "context_firm"):
        assert a[key] == EXPECTED["firm"], key
    assert a["segment"] == EXPECTED["segment"] and a["segment_en"] == EXPECTED["segment_en"]
    assert a["chain"] == a["dag_chain"] == EXPECTED["chain"]
    assert a["park"] == a["context_park"] == EXPECTED["park"]
    assert a["labels"][JUNJIE] == {"zh": "骏捷", "en": "Junjie B"}
    assert a["labels"][PLATING]["en"] == EXPECTED["segment_en"]  # en before en-US
    # a second full name (one-valued: the smallest, as project.firms) and a project's second label
    assert a["card_full_name"] == a["full_name"] == "东莞骏捷智能科技有限公司"
    assert [p["project"] for p in a["card_projects"]] == ["湖南骏捷智能制造产业园"]


def _links_with(tmp_path, extra: str | None):
    g = rdflib.Graph()
    for f in bundled_files():
        g.parse(f, format="turtle")
    if extra:
        ttl = tmp_path / "p.ttl"
        ttl.write_text("@prefix product: <https://w3id.org/chaingraph/id/product/> .\n"
                       f"product:smart-sight <http://www.w3.org/2000/01/rdf-schema#label> {extra} .\n", encoding="utf-8")
        g.parse(ttl, format="turtle")
    return query_target_facts(g)["links"]


def test_product_label_gives_one_link_per_product(tmp_path):
    """A product with two Chinese labels is one product of the firm's segment link, named by the
    rule, not one link per label (the candidate scoring reads every link)."""
    plain = _links_with(tmp_path, None)
    sight = [k for k, v in plain.items() if any(x["product"] == "智能瞄准器" for x in v)]
    assert len(sight) == 2  # 骏捷智能's two links (光电, 军用光学) through product:smart-sight
    # "甲终端" sorts after the bundled "智能瞄准器" (U+7532 > U+667A): nothing changes
    assert _links_with(tmp_path, '"甲终端"@zh') == plain
    # "一号瞄准器" sorts first (一 is U+4E00): the product is renamed, still one link per product
    renamed = _links_with(tmp_path, '"一号瞄准器"@zh')
    assert renamed.keys() == plain.keys()
    for k in sight:
        assert len(renamed[k]) == len(plain[k])
        assert [x["product"] for x in renamed[k]] == ["一号瞄准器" if x["product"] == "智能瞄准器" else x["product"]
                                                      for x in plain[k]]
    # an untagged label ranks below @zh whatever its text
    assert _links_with(tmp_path, '"一号瞄准器"') == plain


def test_rule_in_words():
    assert [label_rank(t) for t in ("zh", "zh-CN", "zh-TW", None, "en", "en-US")] == [
        ("zh", 0), ("zh", 1), ("zh", 2), ("zh", 3), ("en", 0), ("en", 1)]
    pairs = [("乙", "zh"), ("甲", "zh"), ("丙", "zh-Hans"), ("B", "en"), ("A", "en-GB")]
    assert best_labels(pairs) == best_labels(list(reversed(pairs))) == {"en": "B", "zh": "乙" if "乙" < "甲" else "甲"}
