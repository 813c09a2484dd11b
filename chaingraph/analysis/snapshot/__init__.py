"""The analysis snapshot: the firm projections every chain analysis reads, materialized per build.

``gaps`` and ``targets`` need every local firm's segments, the candidates of a segment with
their attributes, and every supply/referral/relocation/visit edge (for tie paths).  Reading
those back out of the on-disk Oxigraph store costs about 10 µs per value (each term is a
dictionary lookup in RocksDB): 100k firms and 220k relation facts take tens of seconds.  So
they are computed once per store build, with the same functions the analyses would otherwise
call (:func:`chaingraph.project.firms`, :func:`~chaingraph.project.firm_segments`,
:func:`~chaingraph.project.relation_edges`, :func:`~chaingraph.project.chain_leaders`,
:func:`~chaingraph.project.firm_parks`), and written beside the store as ``analysis.marshal``
(column lists, loaded in a fraction of a second).

A snapshot belongs to one build directory, whose name carries the content hash of the source
files, so it is never stale: a changed file means a new build and a new snapshot.  It is
written atomically (temp file + rename) by ``chaingraph build`` or by the first analysis after
a build; two processes writing it at once write the same bytes.  Graphs that are not an
embedded build (a SPARQL server, a graph parsed in memory) have no snapshot and are queried as
before.  The formats are private to this package and versioned.

One module per stored file, plus what they share:

* :mod:`~chaingraph.analysis.snapshot.index` — the analysis index (``analysis.marshal``: firm
  columns, segment/park indexes, relation edges, tie graph) and :func:`ensure`;
* :mod:`~chaingraph.analysis.snapshot.source` — :class:`SnapshotFirmSource`, the firm source
  answering from the index;
* :mod:`~chaingraph.analysis.snapshot.targets` — the stored target facts (``target-facts.marshal``);
* :mod:`~chaingraph.analysis.snapshot.context` — the stored context facts (``context.marshal``);
* :mod:`~chaingraph.analysis.snapshot.files` — writing, checking, reading and keeping any of them.
"""

from chaingraph.analysis.snapshot.context import CONTEXT_FILE, CONTEXT_FORMAT, LOADED_CONTEXT, compute_context, context_facts
from chaingraph.analysis.snapshot.files import fresh
from chaingraph.analysis.snapshot.index import (
    EDGE_KINDS, FILE_NAME, FIRM_KEYS, FORMAT, LOADED, Snapshot, compute, damaged, ensure, read, write)
from chaingraph.analysis.snapshot.source import SnapshotFirmSource
from chaingraph.analysis.snapshot.targets import FACTS_FILE, FACTS_FORMAT, LOADED_FACTS, compute_facts, target_facts
from chaingraph.store import build_of

__all__ = [
    "CONTEXT_FILE", "CONTEXT_FORMAT", "EDGE_KINDS", "FACTS_FILE", "FACTS_FORMAT", "FILE_NAME", "FIRM_KEYS", "FORMAT",
    "LOADED", "LOADED_CONTEXT", "LOADED_FACTS", "Snapshot", "SnapshotFirmSource", "build_of", "compute",
    "compute_context", "compute_facts", "context_facts", "damaged", "ensure", "fresh", "read", "target_facts", "write",
]
