"""Parks and places."""

from __future__ import annotations

import rdflib

from chaingraph.project.labels import label_of, labels, values_by_subject
from chaingraph.store import select


def parks(graph: rdflib.Graph) -> dict[str, dict]:
    """Every cg:Park with plain attributes, keyed by IRI (sorted).

    Keys: ``label``, ``label_en``, ``full_name``, ``aliases`` (sorted), ``city``, ``city_label``,
    ``level`` (IRI), ``level_label``, ``leading_chains`` and ``characteristic_chains`` (sorted IRIs).
    """
    rows = select(
        graph,
        """SELECT ?p ?full ?city ?level WHERE { ?p a cg:Park .
             OPTIONAL { ?p cg:fullName ?full } OPTIONAL { ?p cg:city ?city }
             OPTIONAL { ?p cg:parkLevel ?level } }""",
    )
    aliases = values_by_subject(graph, "SELECT ?s ?v WHERE { ?s a cg:Park ; cg:shortName ?v }")
    leading = values_by_subject(graph, "SELECT ?s ?v WHERE { ?s a cg:Park ; cg:leadingChain ?v }")
    charact = values_by_subject(graph, "SELECT ?s ?v WHERE { ?s a cg:Park ; cg:characteristicChain ?v }")
    lab = labels(graph, {x for r in rows for x in (r["p"], r["city"], r["level"]) if x})
    out: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["p"], r["city"] or "", r["level"] or "")):
        p = r["p"]
        if p in out:
            continue
        out[p] = {
            "label": label_of(lab.get(p), p),
            "label_en": lab.get(p, {}).get("en"),
            "full_name": r["full"],
            "aliases": sorted(aliases.get(p, [])),
            "city": r["city"],
            "city_label": label_of(lab.get(r["city"]), r["city"]) if r["city"] else None,
            "level": r["level"],
            "level_label": label_of(lab.get(r["level"]), r["level"]) if r["level"] else None,
            "leading_chains": sorted(leading.get(p, [])),
            "characteristic_chains": sorted(charact.get(p, [])),
        }
    return out


def place_iris(graph: rdflib.Graph) -> set[str]:
    """Every cg:Place (cities, provinces, regions)."""
    return {r["p"] for r in select(graph, "SELECT DISTINCT ?p WHERE { ?p a cg:Place }")}


def place_names(graph: rdflib.Graph) -> dict[str, str]:
    """``{place name: place IRI}`` for every cg:Place label or short name."""
    rows = select(
        graph,
        "SELECT ?p ?n WHERE { ?p a cg:Place . { ?p rdfs:label ?n } UNION { ?p cg:shortName ?n } }",
    )
    return {r["n"]: r["p"] for r in sorted(rows, key=lambda r: (r["n"], r["p"]))}
