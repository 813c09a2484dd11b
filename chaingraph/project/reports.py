"""What sources report about parks: counts, shares and planning statements."""

from __future__ import annotations

import rdflib

from chaingraph.project.labels import evidence_by_subject, label_of, labels, evidence_brief
from chaingraph.store import select


def reported_counts(graph: rdflib.Graph) -> list[dict]:
    """Every cg:ReportedCount, sorted by park, chain, segment, fact.

    Keys: ``fact``, ``park``, ``segment`` (IRI or None), ``chain`` (the cg:aboutChain, or the
    segment's chain, or None), ``metric``, ``count`` (int), ``population``, ``year``,
    ``whole`` (``cg:wholePopulation``: the count covers every firm of the park in that chain or
    segment, not a subset such as returning firms), ``evidence`` (list of ``{source, title, quote}``).
    """
    rows = select(
        graph,
        """SELECT ?fact ?park ?seg ?about ?segchain ?metric ?count ?pop ?year ?whole WHERE {
             ?fact a cg:ReportedCount ; cg:count ?count . OPTIONAL { ?fact cg:wholePopulation ?whole }
             OPTIONAL { ?fact cg:park ?park } OPTIONAL { ?fact cg:metric ?metric }
             OPTIONAL { ?fact cg:segment ?seg OPTIONAL { ?seg cg:chain ?segchain } }
             OPTIONAL { ?fact cg:aboutChain ?about }
             OPTIONAL { ?fact cg:population ?pop } OPTIONAL { ?fact cg:year ?year } }""",
    )
    ev = evidence_by_subject(graph, ("ReportedCount",))
    out, seen = [], set()
    for r in rows:
        key = (r["fact"], r["seg"], r["about"])
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "fact": r["fact"],
                "park": r["park"],
                "segment": r["seg"],
                "chain": r["about"] or r["segchain"],
                "metric": r["metric"],
                "count": int(r["count"]),
                "population": r["pop"],
                "year": r["year"],
                "whole": r["whole"] in (True, "true", "1"),
                "evidence": evidence_brief(ev, r["fact"]),
            }
        )
    out.sort(key=lambda c: (c["park"] or "", c["chain"] or "", c["segment"] or "", c["fact"]))
    return out


def reported_shares(graph: rdflib.Graph) -> list[dict]:
    """Every cg:ReportedShare: ``fact``, ``park``, ``metric``, ``share`` (float), ``population``, ``evidence``."""
    rows = select(
        graph,
        """SELECT ?fact ?park ?metric ?share ?pop WHERE { ?fact a cg:ReportedShare ; cg:share ?share .
             OPTIONAL { ?fact cg:park ?park } OPTIONAL { ?fact cg:metric ?metric }
             OPTIONAL { ?fact cg:population ?pop } }""",
    )
    ev = evidence_by_subject(graph, ("ReportedShare",))
    out = {}
    for r in sorted(rows, key=lambda r: r["fact"]):
        out.setdefault(
            r["fact"],
            {
                "fact": r["fact"],
                "park": r["park"],
                "metric": r["metric"],
                "share": float(r["share"]),
                "population": r["pop"],
                "evidence": evidence_brief(ev, r["fact"]),
            },
        )
    return list(out.values())


def planning_statements(graph: rdflib.Graph) -> list[dict]:
    """Every cg:PlanningStatement, sorted by fact IRI.

    Keys: ``fact``, ``intent`` (IRI), ``intent_label`` (补链/延链/强链/缺乏), ``segments`` (sorted
    IRIs), ``chain``, ``park``, ``topic``, ``evidence`` (list of ``{source, title, quote}``),
    ``source_title`` and ``quote`` (of the first evidence, for display).
    """
    rows = select(
        graph,
        """SELECT ?fact ?intent ?seg ?chain ?park ?topic WHERE { ?fact a cg:PlanningStatement .
             OPTIONAL { ?fact cg:intent ?intent } OPTIONAL { ?fact cg:segment ?seg }
             OPTIONAL { ?fact cg:aboutChain ?chain } OPTIONAL { ?fact cg:park ?park }
             OPTIONAL { ?fact cg:topic ?topic } }""",
    )
    ev = evidence_by_subject(graph, ("PlanningStatement",))
    lab = labels(graph, {r["intent"] for r in rows if r["intent"]})
    out: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["fact"], r["intent"] or "", r["seg"] or "", r["topic"] or "")):
        st = out.get(r["fact"])
        if st is None:
            evidence = evidence_brief(ev, r["fact"])
            st = out[r["fact"]] = {
                "fact": r["fact"],
                "intent": r["intent"],
                "intent_label": label_of(lab.get(r["intent"]), r["intent"]) if r["intent"] else None,
                "segments": [],
                "chain": r["chain"],
                "park": r["park"],
                "topic": r["topic"],
                "evidence": evidence,
                "source_title": evidence[0]["title"] if evidence else None,
                "quote": evidence[0]["quote"] if evidence else None,
            }
        if r["seg"] and r["seg"] not in st["segments"]:
            st["segments"].append(r["seg"])
    for st in out.values():
        st["segments"].sort()
    return list(out.values())
