"""The persistent embedded store: an on-disk Oxigraph (RocksDB) database, built once.

``chaingraph build`` (or the first command after the ontology or data files change) parses
the Turtle files with Oxigraph's native parser straight into a new on-disk store (a big file
is cut into pieces bulk-loaded concurrently, see :mod:`chaingraph.store.splitload`); later commands
open that store read-only in milliseconds.  Only :func:`chaingraph.store.open_graph` opens it
(and ``chaingraph build`` builds it); everything else receives an ``rdflib.Graph``.

Layout under ``$CHAINGRAPH_HOME/store/``::

    lock              exclusive flock held by the one process that is building
    CURRENT           name of the live build directory (replaced atomically with os.replace)
    stat-cache.json   file sizes/mtimes last seen for the live build (a fast-path, not truth)
    b-<hash>-<n>/     a complete build: oxigraph/ (RocksDB) + manifest.json + inuse
    tmp-<hash>-<pid>/ a build in progress (removed if it fails; swept by the next builder)

The store is *fresh* when the content hash of the source files — sha256 over the sorted file
paths and their bytes, plus the layout and Oxigraph versions — equals the one in the live
build's manifest.  File sizes and mtimes only decide whether the hash must be recomputed.

Builds are never visible half-written: they go to ``tmp-…``, are renamed to ``b-…`` when
complete, and only then does ``CURRENT`` point at them, so an interrupted build leaves the
previous store working.  A second writer gets :class:`StoreBusy` ("store busy").  Readers
hold a shared flock on ``b-…/inuse`` so a builder never deletes a store that is still open.

This module loads and opens builds; the bookkeeping around them (hash, stat cache, ``CURRENT``,
manifest, locks, sweep, damage marks, conflicts) is :mod:`chaingraph.store.builds`, whose public
names it passes on.
"""

from __future__ import annotations

import gc
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from chaingraph.errors import ChaingraphError
from chaingraph.namespaces import bind_prefixes
from chaingraph.progress import announced
from chaingraph.store import scan, splitload
from chaingraph.store.builds import (
    CONFLICTS, OPEN_READERS, BuildInfo, StoreBusy, WriteLock, build_conflicts, cannot_write, commit_build,
    content_hash, current_build, fresh_build, hold_shared, is_corruption, make_current, mark_damaged, read_json,
    stat_signature, store_root, sweep, write_lock,
)
from chaingraph.store.conflicts import ConflictFinder, split_files
from chaingraph.store.embedded import EmbeddedStore
from chaingraph.store.files import BOM, syntax_error, turtle_input, unreadable

__all__ = [
    "BULK_FILE_BYTES", "SPLIT_MAX_BYTES", "StoreDamaged", "load_into", "build_store", "open_build", "ensure_store",
    "open_store",
    # from chaingraph.store.builds
    "CONFLICTS", "BuildInfo", "StoreBusy", "build_conflicts", "cannot_write", "content_hash", "current_build",
    "is_corruption", "mark_damaged", "store_root", "write_lock",
]

BULK_FILE_BYTES = 1024 * 1024
"""Files at least this big are bulk-loaded on their own; smaller ones stream through one load."""
SPLIT_MAX_BYTES = 128 * 1024 * 1024
"""Bulk-loaded files up to this size are cut into two pieces per core (:mod:`chaingraph.store.splitload`);
bigger ones hold over a million triples, which Oxigraph's loader already spreads over threads."""


class StoreDamaged(ChaingraphError):
    """The live build cannot be read (RocksDB files cut, zeroed or missing)."""

    def __init__(self, build: Path, reason: str):
        first = " ".join(str(reason).split())[:300]
        super().__init__(f"the store in {build} is damaged ({first})")
        self.build = Path(build)


# ----------------------------------------------------------------------------- loading


def _quads(files: list[Path]) -> Iterator:
    for path in files:
        try:  # fresh blank node ids per file: a label means one node within one document only
            with turtle_input(path) as source:
                yield from ox.parse(**source, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                                    rename_blank_nodes=True)
        except SyntaxError as exc:
            raise syntax_error(path, exc) from None
        except OSError as exc:
            raise unreadable(path, exc) from None


def load_into(store, files: list[Path], *, split: bool = True) -> bool:
    """Parse ``files`` (Turtle) into the pyoxigraph ``store``'s default graph, in bulk.

    Small files stream through one bulk load; big ones are bulk-loaded on their own, cut into
    pieces loaded concurrently when ``split`` and the file allows it.  False when a piece of a
    cut file did not parse on its own: the store then holds part of the data and must be
    loaded again with ``split=False`` (which reports a real error with the file's line).
    """
    small, big = [], []
    for path in files:
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise unreadable(path, exc) from None
        (big if size >= BULK_FILE_BYTES else small).append((path, size))
    if small:
        store.bulk_extend(_quads([p for p, _ in small]))
    return all(_load_big(store, path, split=split and size <= SPLIT_MAX_BYTES) for path, size in big)


def _bulk_load(store, path: Path, source: dict) -> None:
    """``store.bulk_load`` of ``source`` (``path=`` or ``input=``), errors naming ``path``."""
    try:
        store.bulk_load(**source, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    except SyntaxError as exc:
        raise syntax_error(path, exc) from None
    except OSError as exc:
        raise unreadable(path, exc) from None


def _load_big(store, path: Path, *, split: bool) -> bool:
    if not split or splitload.cores() < 2:
        with turtle_input(path) as source:
            _bulk_load(store, path, source)
        return True
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None
    if data.startswith(BOM):
        data = data[len(BOM):]
    cut = splitload.pieces(data, min(16, 2 * splitload.cores()))
    if cut is None:
        _bulk_load(store, path, {"input": data})  # read once already
        return True
    base = path.resolve().as_uri()
    unparsed: list[bool] = []  # no exception objects: their frames would keep the store open
    failed: list[BaseException] = []

    def load(piece: bytes) -> None:
        try:
            store.bulk_load(input=piece, format=ox.RdfFormat.TURTLE, base_iri=base)
        except SyntaxError:
            unparsed.append(True)
        except BaseException as exc:  # re-raised in the calling thread
            failed.append(exc)

    threads = [threading.Thread(target=load, args=(piece,), name=f"bulk-load-{i}") for i, piece in enumerate(cut)]
    for t in threads:
        t.start()
    try:
        for t in threads:
            t.join()
    finally:  # an interrupt still waits: a bulk load cannot be stopped half-way
        for t in threads:
            t.join()
    if failed:
        raise failed[0]
    return not unparsed


def _load_store(directory: Path, files: list[Path]) -> int:
    """Create the Oxigraph store in ``directory``, load ``files``, close it; its triple count."""
    store = ox.Store(str(directory))
    if not load_into(store, files):  # a cut fell inside a statement: load again in one stream
        del store  # closes RocksDB
        shutil.rmtree(directory)
        store = ox.Store(str(directory))
        load_into(store, files, split=False)
    store.flush()
    triples = len(store)
    del store  # closes RocksDB
    return triples


# ----------------------------------------------------------------------------- API


def build_store(files: list[Path], *, root: Path | None = None, force: bool = False,
                progress: Callable[[str], None] | None = None, announce_after: float = 1.0,
                alongside: Callable[[list[Path]], "scan.Reader | None"] | None = None) -> BuildInfo:
    """Build the store for ``files`` unless it is fresh (``force`` rebuilds anyway).

    ``progress`` (a callable taking a message) hears about a build still running after
    ``announce_after`` seconds (0: every build).  ``alongside(files)`` may give a
    :class:`~chaingraph.store.scan.Reader` fed by the pass over the files that runs beside the
    bulk load; when that pass completes, its ``keep(build_dir)`` writes what it computed into
    the build before the build is made live.  Raises :class:`StoreBusy` when another
    process holds the build lock.
    """
    root = Path(root) if root else store_root()
    files = [Path(f) for f in files]
    t0 = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    with WriteLock(root):
        build, digest = fresh_build(root, files)
        if build is not None and not force:
            manifest = read_json(build / "manifest.json") or {}
            return BuildInfo(build, manifest.get("hash", ""), manifest.get("triples", 0), False,
                             time.perf_counter() - t0, len(files))
        digest = digest or content_hash(files)
        size = sum(p.stat().st_size for p in files if p.is_file())
        with announced(progress, f"building the store from {len(files)} files ({size / 1e6:,.1f} MB)…",
                       after=announce_after):
            final, triples = _build(root, files, digest, alongside)
    return BuildInfo(final, digest, triples, True, time.perf_counter() - t0, len(files))


def _build(root: Path, files: list[Path], digest: str, alongside=None) -> tuple[Path, int]:
    """Build into a temp directory and swap it in (call with the write lock): (build, triples).

    One pass over the parsed files runs in a thread beside the bulk load
    (:mod:`chaingraph.store.scan`): it finds the contradictions of bundled data by user data and
    feeds the ``alongside`` reader (told when the store is loaded, then asked to keep what it
    made).  If that pass fails, the contradictions are found the old way and the reader writes
    nothing from it (what needs its files computes them later)."""
    sweep(root)
    tmp = root / f"tmp-{digest[:16]}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        sig = stat_signature(files)
        bundled, user = split_files(files)
        finder = ConflictFinder(bundled, user) if bundled and user else None
        extra = alongside(files) if alongside is not None else None
        readers = [r for r in (finder, extra) if r is not None]
        collecting = gc.isenabled()
        gc.disable()  # the pass builds millions of rows without cycles: no use looking for them
        try:
            beside = scan.Beside(files, readers) if readers else None
            try:
                triples = _load_store(tmp / "oxigraph", files)
                if extra is not None:
                    extra.loaded(tmp, triples)
            except BaseException:
                if beside is not None:
                    beside.cancel()
                raise
            scanned = beside.result() if beside is not None else True
        finally:
            if collecting:
                gc.enable()
        conflicts = [] if finder is None else finder.conflicts() if scanned else None
        if extra is not None:  # also when the pass failed: the reader may have more to finish
            try:
                extra.keep(tmp)
            except OSError:
                pass
        final = commit_build(root, tmp, digest, triples, sig, files, conflicts)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    make_current(root, final, sig)
    sweep(root)
    return final, triples


def open_build(build: Path):
    """An ``rdflib.Graph`` over a complete build, opened read-only (several readers may share it)."""
    try:
        oxigraph = ox.Store.read_only(str(Path(build) / "oxigraph"))  # cut or missing files fail here
    except (OSError, RuntimeError) as exc:
        raise StoreDamaged(Path(build), str(exc)) from None
    g = rdflib.Graph(store=EmbeddedStore(oxigraph, build=str(build)), identifier=DATASET_DEFAULT_GRAPH_ID)
    bind_prefixes(g)
    return g


def ensure_store(files: list[Path], *, root: Path | None = None, wait: float = 60.0,
                 progress: Callable[[str], None] | None = None) -> Path:
    """The fresh live build for ``files``, building it first if needed (``progress`` hears
    about it, see :func:`build_store`); held open (shared).

    If another process is building, waits up to ``wait`` seconds for it, then raises
    :class:`StoreBusy`.
    """
    root = Path(root) if root else store_root()
    files = [Path(f) for f in files]
    deadline = time.monotonic() + wait
    while True:
        build, _ = fresh_build(root, files)
        if build is not None and hold_shared(build):
            return build
        if build is None:
            try:
                build_store(files, root=root, progress=progress)
                continue
            except StoreBusy:
                if time.monotonic() >= deadline:
                    raise
        elif time.monotonic() >= deadline:
            raise StoreBusy(f"store busy: cannot open the store in {build}")
        time.sleep(0.05)


def open_store(files: list[Path], *, root: Path | None = None, progress: Callable[[str], None] | None = None,
               warn: Callable[[list], None] | None = None):
    """Open the persistent store for ``files`` (built or rebuilt first when stale).

    A damaged build (RocksDB files cut, zeroed or missing; or marked by a reader that hit a
    corrupt block) is rebuilt from the Turtle files — the store holds nothing else, so that is
    always safe — with a note to ``progress``.  If it cannot be rebuilt here (read-only folder,
    full disk) :class:`StoreDamaged` or the ``OSError`` is raised for the caller to fall back.
    """
    build = ensure_store(files, root=root, progress=progress)
    if warn is not None:
        warn(build_conflicts(build, files))
    try:
        return open_build(build)
    except StoreDamaged as exc:
        OPEN_READERS.pop(str(build), None)
        if progress:
            progress(f"{exc}; rebuilding it from the Turtle files…")
        if not mark_damaged([str(build)]):
            raise
        build_store(files, root=root, force=True, progress=progress, announce_after=0)
        return open_build(ensure_store(files, root=root, progress=progress))
