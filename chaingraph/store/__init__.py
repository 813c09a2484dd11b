"""Where triples live and how queries run: the one package that knows the backend.

Everything else in chaingraph receives an ``rdflib.Graph`` from :func:`open_graph` and asks it
questions through :func:`select` / :func:`select_in` (standard SPARQL 1.1, values bound as
terms, rows of plain Python values), so it never needs to know which backend answers.

Modules, in the order they depend on each other (each imports only those above it):

* :mod:`~chaingraph.store.files` — where the bundled and user Turtle files are
  (``$CHAINGRAPH_HOME``), :class:`GraphSource`, Turtle reading with file:line errors and byte
  order marks, the in-memory graph.
* :mod:`~chaingraph.store.query` — :func:`select`, :func:`select_in`, ``VALUES`` binding, plain
  row values; the fast row path for Oxigraph and SPARQL endpoints.
* :mod:`~chaingraph.store.sparql` — a user's own query (``chaingraph query``).
* :mod:`~chaingraph.store.embedded` — Oxigraph in this process (in memory, or over a build).
* :mod:`~chaingraph.store.splitload` — cutting a big Turtle file for concurrent bulk loads.
* :mod:`~chaingraph.store.conflicts` — user data contradicting bundled data (file:line of both).
* :mod:`~chaingraph.store.builds` — bookkeeping of the persistent store's builds (content hash,
  stat cache, ``CURRENT``, locks, sweep, damage marks, conflicts per build).
* :mod:`~chaingraph.store.disk` — the persistent embedded Oxigraph store (load, build, open, repair).
* :mod:`~chaingraph.store.remote` — the graph behind a SPARQL 1.1 server.
* :mod:`~chaingraph.store.remote_load` — loading a SPARQL 1.1 server (Update or Graph Store).

A new backend goes here: a module with an rdflib store that is also a :class:`Backend` (its
fast row path and query plans), chosen in :func:`open_graph` and nowhere else.
"""

from __future__ import annotations

import rdflib

from chaingraph.store.files import (
    GraphSource,
    bundled_files,
    bundled_root,
    bundled_pool_files,
    data_dir,
    home_dir,
    load_files,
    new_graph,
    ontology_dir,
    ontology_files,
    parse_error_line,
    parse_file,
    store_mode,
    turtle_files,
    user_data_dir,
)
from chaingraph.store.query import (
    VALUES_CHUNK,
    VALUES_MARK,
    Backend,
    background_executor,
    build_of,
    derived,
    fast_select,
    iri_term,
    plain_term,
    plain_value,
    select,
    select_in,
    values_clause,
    where_start,
    with_values,
)

__all__ = [
    "GraphSource", "bundled_files", "bundled_root", "bundled_pool_files", "data_dir", "home_dir", "load_files", "new_graph", "ontology_dir",
    "ontology_files", "parse_error_line", "parse_file", "store_mode", "turtle_files", "user_data_dir",
    "VALUES_CHUNK", "VALUES_MARK", "Backend", "background_executor", "build_of", "derived", "fast_select", "iri_term", "plain_term", "plain_value", "select",
    "select_in", "values_clause", "where_start", "with_values", "open_graph", "build_store",
]


def open_graph(source: GraphSource | None = None, *, progress=None, warn=None) -> rdflib.Graph:
    """Open the graph described by ``source`` (default: bundled ontology + data).

    The only place a backend is chosen.  With an endpoint: a graph backed by that SPARQL 1.1
    server (:mod:`chaingraph.store.remote`).  Otherwise the persistent embedded store
    (:mod:`chaingraph.store.disk`), built on first use and rebuilt when the files change, opened
    read-only; if ``$CHAINGRAPH_HOME`` cannot be written, or ``CHAINGRAPH_STORE=memory``, the
    files are parsed into memory instead.  ``progress`` (a callable taking a message) hears that
    the store is being (re)built.  ``warn`` (a callable taking a list of
    :class:`chaingraph.store.conflicts.Conflict`) hears where user data contradicts bundled data —
    computed once per store build and kept beside it.
    """
    source = source or GraphSource()
    if source.endpoint:
        from chaingraph.store.remote import open_remote  # only a run with --endpoint pays for it

        return open_remote(source.endpoint, source.update_endpoint)
    files = source.files()
    if store_mode() == "disk":
        from chaingraph.store import disk  # start-up: `validate` and `ingest` read paths here, never a store

        try:
            return disk.open_store(files, progress=progress, warn=warn)
        except (disk.StoreDamaged, OSError) as exc:
            if not (isinstance(exc, disk.StoreDamaged) or disk.cannot_write(exc)):
                raise
            # a store that cannot be written here (read-only folder or file system, full disk)
            # or repaired: the same graph, parsed into memory (slower, nothing written)
            if progress:
                why = str(exc) if isinstance(exc, disk.StoreDamaged) else \
                    f"cannot write the store in {disk.store_root()} ({exc.strerror or exc})"
                progress(f"{why}; reading the files into memory instead (slower; nothing is written)")
    graph = load_files(files)
    if warn is not None:
        from chaingraph.store.conflicts import conflicts_in  # start-up: it loads pyoxigraph

        warn(conflicts_in(files))
    return graph


def build_store(source: GraphSource | None = None, *, force: bool = False, progress=None,
                announce_after: float = 1.0, alongside=None):
    """Build (or confirm fresh) the persistent store for ``source``; a :class:`disk.BuildInfo`
    (``alongside``: see :func:`chaingraph.store.disk.build_store`).

    Raises ``ChaingraphError("store busy…")`` when another process is building it.
    """
    from chaingraph.store import disk  # start-up: as in open_graph

    source = source or GraphSource()
    return disk.build_store(source.files(), force=force, progress=progress, announce_after=announce_after,
                            alongside=alongside)
