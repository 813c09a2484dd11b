"""Counts of what the graph holds (``chaingraph stats`` and ``build``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import rdflib

from chaingraph.project import label_of, labels
from chaingraph.store import build_of, select

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
    build = build_of(graph)
    if build is not None:  # a build never changes: its counts are made once (3 s at 100k firms)
        stored = _read(Path(build))
        if stored is not None:
            return stored
    rows = _count(graph)
    if build is not None:
        _write(Path(build), rows)
    return rows


STATS_FILE = "stats.json"


def _read(build: Path) -> list[dict] | None:
    try:
        data = json.loads((build / STATS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("counted") != list(COUNTED) or not isinstance(data.get("rows"), list):
        return None
    return data["rows"]


def write_counts(build: Path, rows: list[dict]) -> None:
    """Keep ``rows`` (:func:`graph_stats`' answer for ``build``) beside ``build``: computed
    elsewhere, e.g. from the files parsed beside the build's load."""
    _write(Path(build), rows)


def _write(build: Path, rows: list[dict]) -> None:
    tmp = build / f".{STATS_FILE}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps({"counted": list(COUNTED), "rows": rows}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, build / STATS_FILE)
    except OSError:  # a read-only home: counted again next time
        tmp.unlink(missing_ok=True)


def _count(graph: rdflib.Graph) -> list[dict]:
    counts = {
        r["c"]: int(r["n"])
        for r in select(graph, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    }
    cg = "https://w3id.org/chaingraph/ns#"
    lab = labels(graph, [cg + name for name in COUNTED])  # not every label in the graph
    rows = [
        {"class": name, "label": label_of(lab.get(cg + name), cg + name), "count": counts.get(cg + name, 0)}
        for name in COUNTED
    ]
    total = select(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    rows.append({"class": "triples", "label": "三元组", "count": int(total)})
    return rows
