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
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from chaingraph.errors import ChaingraphError
from chaingraph.namespaces import bind_prefixes
from chaingraph.progress import announced
from chaingraph.store import splitload
from chaingraph.store.embedded import EmbeddedStore
from chaingraph.store.files import BOM, home_dir, syntax_error, turtle_input, unreadable

try:  # POSIX; on other systems builds are not locked against each other
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LAYOUT_VERSION = 1
BULK_FILE_BYTES = 1024 * 1024
"""Files at least this big are bulk-loaded on their own; smaller ones stream through one load."""
SPLIT_MAX_BYTES = 128 * 1024 * 1024
"""Bulk-loaded files up to this size are cut into two pieces per core (:mod:`chaingraph.store.splitload`);
bigger ones hold over a million triples, which Oxigraph's loader already spreads over threads."""

_OPEN_READERS: dict[str, int] = {}  # build dir -> fd holding the shared "inuse" lock


class StoreBusy(ChaingraphError):
    """Another process is building the store right now."""


class StoreDamaged(ChaingraphError):
    """The live build cannot be read (RocksDB files cut, zeroed or missing)."""

    def __init__(self, build: Path, reason: str):
        first = " ".join(str(reason).split())[:300]
        super().__init__(f"the store in {build} is damaged ({first})")
        self.build = Path(build)


DAMAGED_MARK = "damaged"
"""A file in a build directory saying a reader found it damaged: the next command rebuilds."""

_WRITE_ERRNOS = {"EROFS", "ENOSPC", "EDQUOT", "EACCES", "EPERM"}


def cannot_write(exc: BaseException) -> bool:
    """True for the errors that mean the store folder cannot be written (read-only file system,
    full disk, quota, permission): the caller falls back to reading the files into memory."""
    return isinstance(exc, OSError) and any(getattr(errno, n, None) == exc.errno for n in _WRITE_ERRNOS)


def is_corruption(exc: BaseException) -> bool:
    """True for RocksDB's corruption errors (Oxigraph raises them as RuntimeError/OSError)."""
    text = str(exc)
    return isinstance(exc, (RuntimeError, OSError)) and ("Corruption" in text or "IO error" in text)


def mark_damaged(builds: Iterable[str] | None = None) -> list[str]:
    """Mark the builds this process has open (or ``builds``) damaged so the next command
    rebuilds; returns those marked (a read-only folder cannot be marked)."""
    marked = []
    for b in list(builds if builds is not None else _OPEN_READERS):
        try:
            (Path(b) / DAMAGED_MARK).touch()
            marked.append(b)
        except OSError:
            pass
    return marked


@dataclass(frozen=True)
class BuildInfo:
    """What :func:`ensure_store` found or did."""

    path: Path
    hash: str
    triples: int
    rebuilt: bool
    seconds: float
    files: int


# ----------------------------------------------------------------------------- hashing


def _oxigraph_version() -> str:
    return getattr(ox, "__version__", "?")


def content_hash(files: Iterable[Path]) -> str:
    """sha256 over the sorted absolute paths and bytes of ``files`` (and the store layout).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); f = d / "a.ttl"; _ = f.write_text("# a")
    >>> h1 = content_hash([f]); _ = f.write_text("# b")
    >>> h1 != content_hash([f])
    True
    """
    h = hashlib.sha256(f"chaingraph-store {LAYOUT_VERSION} oxigraph {_oxigraph_version()}\n".encode())
    for path in sorted({str(Path(p).resolve()) for p in files}):
        data_hash = hashlib.sha256()
        try:
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    data_hash.update(chunk)
        except OSError as exc:
            raise unreadable(Path(path), exc) from None
        h.update(path.encode("utf-8", "surrogateescape") + b"\0" + data_hash.digest())
    return h.hexdigest()


def _stat_signature(files: Iterable[Path]) -> list[list]:
    sig = []
    for path in sorted({str(Path(p).resolve()) for p in files}):
        try:
            st = os.stat(path)
        except OSError:
            sig.append([path, -1, -1])
            continue
        sig.append([path, st.st_size, st.st_mtime_ns])
    return sig


# ----------------------------------------------------------------------------- layout


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - not supported (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def current_build(root: Path) -> Path | None:
    """The live build directory named by ``root/CURRENT`` (None if there is none)."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    path = root / name
    return path if (path / "manifest.json").is_file() and not (path / DAMAGED_MARK).exists() else None


def _fresh_build(root: Path, files: list[Path]) -> tuple[Path | None, str | None]:
    """(live build, content hash) — the build is None when stale; the hash None when unneeded."""
    build = current_build(root)
    if build is None:
        return None, None
    manifest = _read_json(build / "manifest.json") or {}
    sig = _stat_signature(files)
    cache = _read_json(root / "stat-cache.json") or {}
    if cache.get("build") == build.name and cache.get("signature") == sig:
        return build, manifest.get("hash")
    digest = content_hash(files)
    if manifest.get("hash") != digest:
        return None, digest
    try:  # same content (a touch, a checkout): remember the new stats
        _write_atomic(root / "stat-cache.json", json.dumps({"build": build.name, "signature": sig}))
    except OSError:
        pass
    return build, digest


# ----------------------------------------------------------------------------- locking


class _WriteLock:
    """Exclusive, non-blocking flock on ``root/lock``; raises :class:`StoreBusy`."""

    def __init__(self, root: Path):
        self.path = root / "lock"
        self.fd: int | None = None

    def __enter__(self) -> "_WriteLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = ""
                try:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                except OSError:  # pragma: no cover
                    pass
                os.close(fd)
                who = f" (pid {holder})" if holder.isdigit() else ""
                raise StoreBusy(
                    f"store busy: another chaingraph process{who} is building {self.path.parent}; "
                    "try again when it has finished"
                ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:  # pragma: no cover
                pass
            if fcntl is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def write_lock(root: Path | None = None) -> _WriteLock:
    """The builders' lock (a context manager); exposed for tests and tools."""
    return _WriteLock(Path(root) if root else store_root())


def _try_exclusive(path: Path) -> int | None:
    """fd with an exclusive lock on ``path`` if nobody holds it, else None."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    if fcntl is None:  # pragma: no cover
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _hold_shared(build: Path) -> bool:
    """Take (once per process) a shared lock on ``build/inuse``; False if it is being deleted."""
    key = str(build)
    if key in _OPEN_READERS:
        return True
    try:
        fd = os.open(build / "inuse", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        try:  # a store we may read but not write (read-only folder or file system)
            fd = os.open(build / "inuse", os.O_RDONLY)
        except OSError:
            if (build / "manifest.json").is_file() and not os.access(build, os.W_OK):
                return True  # nobody who cannot write here can delete it either
            return False
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
    if not (build / "manifest.json").is_file():  # swept between CURRENT and the lock
        os.close(fd)
        return False
    _OPEN_READERS[key] = fd
    return True


def _sweep(root: Path) -> None:
    """Remove abandoned tmp builds and old builds nobody has open (call with the write lock).

    The live build (named by CURRENT) is always kept.
    """
    live = current_build(root)
    keep = live.name if live else None
    for entry in root.iterdir() if root.is_dir() else ():
        name = entry.name
        if not entry.is_dir() or name == keep:
            continue
        if name.startswith(("tmp-", "trash-")):
            shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith("b-"):
            if str(entry) in _OPEN_READERS:
                continue
            fd = _try_exclusive(entry / "inuse")
            if fd is None:
                continue
            try:
                trash = root / f"trash-{name}"
                os.rename(entry, trash)
            except OSError:
                os.close(fd)
                continue
            os.close(fd)
            shutil.rmtree(trash, ignore_errors=True)


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


def store_root() -> Path:
    """``$CHAINGRAPH_HOME/store``."""
    return home_dir() / "store"


def build_store(files: list[Path], *, root: Path | None = None, force: bool = False,
                progress: Callable[[str], None] | None = None, announce_after: float = 1.0) -> BuildInfo:
    """Build the store for ``files`` unless it is fresh (``force`` rebuilds anyway).

    ``progress`` (a callable taking a message) hears about a build still running after
    ``announce_after`` seconds (0: every build).  Raises :class:`StoreBusy` when another
    process holds the build lock.
    """
    root = Path(root) if root else store_root()
    files = [Path(f) for f in files]
    t0 = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    with _WriteLock(root):
        build, digest = _fresh_build(root, files)
        if build is not None and not force:
            manifest = _read_json(build / "manifest.json") or {}
            return BuildInfo(build, manifest.get("hash", ""), manifest.get("triples", 0), False,
                             time.perf_counter() - t0, len(files))
        digest = digest or content_hash(files)
        size = sum(p.stat().st_size for p in files if p.is_file())
        with announced(progress, f"building the store from {len(files)} files ({size / 1e6:,.1f} MB)…",
                       after=announce_after):
            final, triples = _build(root, files, digest)
    return BuildInfo(final, digest, triples, True, time.perf_counter() - t0, len(files))


def _build(root: Path, files: list[Path], digest: str) -> tuple[Path, int]:
    """Build into a temp directory and swap it in (call with the write lock): (build, triples)."""
    _sweep(root)
    tmp = root / f"tmp-{digest[:16]}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        sig = _stat_signature(files)
        triples = _load_store(tmp / "oxigraph", files)
        manifest = {
            "layout": LAYOUT_VERSION,
            "oxigraph": _oxigraph_version(),
            "hash": digest,
            "triples": triples,
            "files": [p for p, _, _ in sig],
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        _write_atomic(tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        _write_conflicts(tmp, files)
        (tmp / "inuse").touch()
        final = root / f"b-{digest[:16]}-{time.time_ns()}"
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _write_atomic(root / "CURRENT", final.name + "\n")
    _fsync_dir(root)
    try:
        _write_atomic(root / "stat-cache.json", json.dumps({"build": final.name, "signature": sig}))
    except OSError:  # pragma: no cover
        pass
    _sweep(root)
    return final, triples


CONFLICTS = "conflicts.json"
"""Beside each build: user data contradicting bundled data (:mod:`chaingraph.store.conflicts`)."""


def _write_conflicts(build: Path, files: list[Path]) -> list:
    """Compute the build's contradictions once and keep them in ``build/conflicts.json``."""
    from chaingraph.store.conflicts import conflicts_in

    found = conflicts_in(files)
    try:
        _write_atomic(build / CONFLICTS, json.dumps([c.to_dict() for c in found], ensure_ascii=False))
    except OSError:  # a read-only old build: computed again next time
        pass
    return found


def build_conflicts(build: Path, files: list[Path]) -> list:
    """The contradictions of user data with bundled data in ``build`` (read from its small JSON
    file; computed there first for a build made before it existed)."""
    from chaingraph.store.conflicts import Conflict

    saved = _read_json(Path(build) / CONFLICTS)
    if isinstance(saved, list):
        try:
            return [Conflict.from_dict(d) for d in saved]
        except TypeError:
            pass
    return _write_conflicts(Path(build), files)


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
        build, _ = _fresh_build(root, files)
        if build is not None and _hold_shared(build):
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
        _OPEN_READERS.pop(str(build), None)
        if progress:
            progress(f"{exc}; rebuilding it from the Turtle files…")
        if not mark_damaged([str(build)]):
            raise
        build_store(files, root=root, force=True, progress=progress, announce_after=0)
        return open_build(ensure_store(files, root=root, progress=progress))
