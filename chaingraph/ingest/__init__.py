"""Article extraction → staging Turtle (pure functions; no CLI, no printing).

Pipeline: :func:`read_source` (bytes → text) → :func:`extract` (text → firms, relations) →
:func:`to_staging` (→ rdflib graph) → :func:`merge_staging` (→ user data folder);
:func:`to_report` gives a plain dict for display.  :func:`ingest_file` runs the first three.

Inside :func:`extract`, lowest first: :mod:`.model` (result types, offsets), :mod:`.names`
(firm names, by stage), :mod:`.clustering` (mentions → firms), :mod:`.relations` (one
module per kind of fact); :mod:`.pipeline` runs it all against the current graph.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from chaingraph.ingest.extract import Extraction, extract
from chaingraph.ingest.reading import SourceText, decode_bytes, read_source, read_text
from chaingraph.ingest.report import to_report
from chaingraph.ingest.merging import known_firms, merge_staging
from chaingraph.ingest.staging import to_staging

__all__ = [
    "Extraction", "SourceText", "decode_bytes", "extract", "ingest_file", "known_firms",
    "merge_staging", "read_source", "read_text", "to_report", "to_staging",
]


def ingest_file(
    path,
    *,
    park: str | None = None,
    park_iri: str | None = None,
    known: Sequence[tuple[str, Sequence[str]]] = (),
    product_terms: Mapping[str, str | Sequence[str]] | None = None,
    places: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    title: str | None = None,
):
    """Read, extract and stage one article (``sources``: SHA-256 → IRI of sources already in
    the graph, cited instead of a new source; ``title``: the title of a new source).

    Returns
    -------
    tuple of (Extraction, rdflib.Graph)
    """
    src = read_source(path)
    ex = extract(src.text, source=src.name, park=park, known_firms=known, product_terms=product_terms)
    return ex, to_staging(ex, file_name=src.name, sha256=src.sha256, park_iri=park_iri, places=places,
                          source=(sources or {}).get(src.sha256), title=title)
