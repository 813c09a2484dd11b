"""Query-layer shortcuts give the answers of the long way round (#17)."""

from __future__ import annotations

from chaingraph import project
from chaingraph.analysis.statements import leader_evidence
from chaingraph.store import GraphSource, load_files, open_graph, select


def test_evidence_of_some_subjects_of_a_class(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path))
    g = open_graph(GraphSource(include_user=False))
    every = project.evidence_by_subject(g, ("Referral", "Supply"))
    facts = sorted(every)
    assert len(facts) > 4
    some = facts[::2] + ["https://w3id.org/chaingraph/id/fact/not-there"]
    firm = next(iter(r["f"] for r in select(g, "SELECT ?f WHERE { ?f a cg:Company ; cg:evidence ?e } LIMIT 1")))
    got = project.evidence_by_subject(g, ("Referral", "Supply"), subjects=some + [firm])
    assert got == {f: every[f] for f in facts[::2]}  # the firm is not of those classes: left out
    assert project.evidence_by_subject(g, subjects=[firm])[firm]


def test_leader_evidence_same_on_store_and_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path))
    src = GraphSource(include_user=False)
    assert leader_evidence(open_graph(src)) == leader_evidence(load_files(src.files()))
