"""Ingest articles against the current graph: what ``chaingraph ingest`` and ``merge`` call.

The graph supplies what extraction links to: known firms (so an alias of a known firm gains
the alias instead of minting a duplicate), the chain templates' product words (products →
segments), place names (origins → place IRIs) and the park to attribute firms to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import rdflib

from chaingraph.errors import ChaingraphError
from chaingraph.ingest import ingest_file, known_firms, merge_staging, to_report
from chaingraph.lookup import park_names, resolve
from chaingraph.namespaces import bind_prefixes
from chaingraph.project import label_of, labels, parks, place_names
from chaingraph.store import parse_error_line, select


@dataclass
class IngestResult:
    """Per-article reports and the joined staging graph."""

    reports: list[dict] = field(default_factory=list)
    staging: rdflib.Graph = field(default_factory=rdflib.Graph)


def product_terms(graph: rdflib.Graph) -> dict[str, list[str]]:
    """``{product word: [segment IRIs]}`` from the chain templates in ``graph``."""
    out: dict[str, list[str]] = {}
    for r in select(graph, "SELECT ?s ?t WHERE { ?s a cg:Segment ; cg:productTerm ?t }"):
        out.setdefault(r["t"], []).append(r["s"])
    return {t: sorted(v) for t, v in sorted(out.items())}


def source_checksums(graph: rdflib.Graph) -> dict[str, str]:
    """``{sha256: source IRI}`` of the sources in ``graph`` that record their file's checksum
    (the first IRI in sorted order when two do)."""
    out: dict[str, str] = {}
    for r in select(graph, "SELECT ?s ?h WHERE { ?s a cg:Source ; cg:sha256 ?h } ORDER BY ?s"):
        out.setdefault(str(r["h"]), r["s"])
    return out


def ingest_files(
    graph: rdflib.Graph,
    paths: Sequence[Path],
    *,
    park: str | None = None,
    title: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> IngestResult:
    """Extract every article in ``paths`` against ``graph``.

    ``park`` (any name of a park in the graph) attributes in-park firms to it; without it the
    extractor uses the park an article names most, if any.  An article whose SHA-256 is that of
    a source in the graph cites that source (its title is known); ``title`` names a new one
    (one article only).  Unreadable, binary or undecodable files raise
    :class:`ChaingraphError` naming the file, before anything is returned.
    """
    if title is not None and len(paths) != 1:
        raise ChaingraphError(f"--title names one article; {len(paths)} files given")
    park_iri = resolve(park, park_names(parks(graph)), "park") if park else None
    known = known_firms(graph)
    terms = product_terms(graph)
    places = place_names(graph)
    sources = source_checksums(graph)
    seg_labels = labels(graph, {i for iris in terms.values() for i in iris})
    result = IngestResult()
    bind_prefixes(result.staging)
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise ChaingraphError(f"{path}: no such file")
        if progress:
            progress(path)
        ex, staged = ingest_file(path, park=park, park_iri=park_iri, known=known, product_terms=terms, places=places,
                                 sources=sources, title=title)
        report = to_report(ex)
        for firm in report["firms"]:  # segment IRIs → Chinese labels for people and scripts alike
            firm["segments"] = sorted({label_of(seg_labels.get(i), i) for i in firm.get("segments", [])})
        result.reports.append(report)
        for t in staged:
            result.staging.add(t)
    return result


def merge_file(graph: rdflib.Graph, staging_path: Path, target_dir: Path) -> dict:
    """Merge a reviewed staging Turtle file into ``target_dir/ingested.ttl`` (atomic).

    Firms already in ``graph`` are linked, not duplicated; merging twice adds nothing.
    """
    staging = rdflib.Graph()
    try:
        staging.parse(Path(staging_path), format="turtle")
    except FileNotFoundError:
        raise ChaingraphError(f"{staging_path}: no such file") from None
    except Exception as exc:
        line = parse_error_line(exc)
        raise ChaingraphError(f"{staging_path}{':' + str(line) if line else ''}: malformed Turtle") from None
    return merge_staging(Path(target_dir), staging, known=graph)
