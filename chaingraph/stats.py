"""Counts of what the graph holds (``chaingraph stats`` and ``build``)."""

from __future__ import annotations

import rdflib

from chaingraph.project import label_of, labels
from chaingraph.store import select

#: Classes reported by :func:`graph_stats`, in display order.
COUNTED = (
    "Company", "Park", "Place", "IndustryChain", "Segment", "Product", "Source", "Evidence",
    "Referral", "Supply", "Relocation", "Visit", "Project", "RecruitmentLead", "SegmentLink",
    "Figure", "ReportedCount", "ReportedShare", "PlanningStatement",
)


def graph_stats(graph: rdflib.Graph) -> list[dict]:
    """One row per counted class: ``{"class", "label", "count"}``, plus a total-triples row.

    Examples
    --------
    >>> from chaingraph.store import load_files, ontology_files
    >>> rows = graph_stats(load_files(ontology_files()))
    >>> [r["count"] for r in rows if r["class"] == "Company"]
    [0]
    """
    counts = {
        r["c"]: int(r["n"])
        for r in select(graph, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    }
    lab = labels(graph)
    cg = "https://w3id.org/chaingraph/ns#"
    rows = [
        {"class": name, "label": label_of(lab.get(cg + name), cg + name), "count": counts.get(cg + name, 0)}
        for name in COUNTED
    ]
    total = select(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    rows.append({"class": "triples", "label": "三元组", "count": int(total)})
    return rows
