"""chaingraph.namespaces and ontology/chaingraph.ttl declare the same terms, each documented."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import RDFS, SKOS

from chaingraph.namespaces import CG, CG_TERMS, PREFIXES, bind_prefixes, sparql_prologue
from chaingraph.store import ontology_dir

NS = "https://w3id.org/chaingraph/ns#"


@pytest.fixture(scope="module")
def tbox() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "chaingraph.ttl", format="turtle")


def _declared(tbox) -> set[str]:
    return {str(s)[len(NS):] for s in tbox.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(NS)}


def test_cg_terms_equal_declared_terms(tbox):
    declared = _declared(tbox)
    assert declared, "no cg: subjects found"
    assert set(CG_TERMS) == declared, {
        "missing from the TBox": sorted(set(CG_TERMS) - declared),
        "missing from CG_TERMS": sorted(declared - set(CG_TERMS)),
    }


def test_cg_terms_have_no_duplicates():
    assert len(CG_TERMS) == len(set(CG_TERMS))


def test_every_term_has_one_label_per_language_and_a_definition(tbox):
    bad = {}
    for term in sorted(_declared(tbox)):
        iri = rdflib.URIRef(NS + term)
        labels = list(tbox.objects(iri, RDFS.label))
        zh = [lb for lb in labels if getattr(lb, "language", None) == "zh"]
        en = [lb for lb in labels if getattr(lb, "language", None) == "en"]
        definitions = [d for d in tbox.objects(iri, SKOS.definition) if str(d).strip()]
        if len(zh) != 1 or len(en) != 1 or not definitions:
            bad[term] = (len(zh), len(en), len(definitions))
    assert not bad, bad


def test_closed_namespace_rejects_typos():
    assert str(CG.Company) == NS + "Company"
    with pytest.raises(AttributeError):
        CG.Compnay  # noqa: B018


def test_prefixes_and_prologue():
    assert PREFIXES["cg"] == NS
    prologue = sparql_prologue()
    assert f"PREFIX cg: <{NS}>\n" in prologue
    g = rdflib.Graph()
    bind_prefixes(g)
    assert g.namespace_manager.normalizeUri(CG.Company) == "cg:Company"
