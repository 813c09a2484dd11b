"""The bookkeeping of the persistent store's builds: what is live, whether it is fresh, who holds it.

:mod:`chaingraph.store.disk` loads Turtle into Oxigraph and opens a build; this module keeps the
folder ``$CHAINGRAPH_HOME/store/`` in order around it (layout in :mod:`chaingraph.store.disk`):
the content hash and the stat cache that decide freshness, ``CURRENT`` and the manifest, the
builders' exclusive lock and the readers' shared ``inuse`` locks, damage marks, the sweep of old
builds, and the conflicts computed once per build.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from chaingraph.errors import ChaingraphError
from chaingraph.store.conflicts import Conflict, conflicts_in
from chaingraph.store.files import home_dir, unreadable

try:  # POSIX; on other systems builds are not locked against each other
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LAYOUT_VERSION = 1

OPEN_READERS: dict[str, int] = {}
"""Build directories this process holds open -> fd holding the shared ``inuse`` lock."""


class StoreBusy(ChaingraphError):
    """Another process is building the store right now."""


DAMAGED_MARK = "damaged"
"""A file in a build directory saying a reader found it damaged: the next command rebuilds."""

_WRITE_ERRNOS = {"EROFS", "ENOSPC", "EDQUOT", "EACCES", "EPERM"}


def store_root() -> Path:
    """``$CHAINGRAPH_HOME/store``."""
    return home_dir() / "store"


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
    for b in list(builds if builds is not None else OPEN_READERS):
        try:
            (Path(b) / DAMAGED_MARK).touch()
            marked.append(b)
        except OSError:
            pass
    return marked


@dataclass(frozen=True)
class BuildInfo:
    """What :func:`chaingraph.store.disk.ensure_store` found or did."""

    path: Path
    hash: str
    triples: int
    rebuilt: bool
    seconds: float
    files: int


# ----------------------------------------------------------------------------- hashing


def oxigraph_version() -> str:
    return getattr(ox, "__version__", "?")

def content_hash(files: Iterable[Path]) -> str:
    """sha256 over the sorted absolute paths and bytes of ``files`` (and the store layout).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); f = d / "a.ttl"; _ = f.write_text("# a")
    >>> h1 = content_hash([f]); _ = f.write_text("# b")
    >>> h1 != content_hash([f])
    True
    """
    h = hashlib.sha256(f"chaingraph-store {LAYOUT_VERSION} oxigraph {oxigraph_version()}\n".encode())
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


def stat_signature(files: Iterable[Path]) -> list[list]:
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


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fsync_dir(path: Path) -> None:
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


def fresh_build(root: Path, files: list[Path]) -> tuple[Path | None, str | None]:
    """(live build, content hash) — the build is None when stale; the hash None when unneeded."""
    build = current_build(root)
    if build is None:
        return None, None
    manifest = read_json(build / "manifest.json") or {}
    sig = stat_signature(files)
    cache = read_json(root / "stat-cache.json") or {}
    if cache.get("build") == build.name and cache.get("signature") == sig:
        return build, manifest.get("hash")
    digest = content_hash(files)
    if manifest.get("hash") != digest:
        return None, digest
    try:  # same content (a touch, a checkout): remember the new stats
        write_atomic(root / "stat-cache.json", json.dumps({"build": build.name, "signature": sig}))
    except OSError:
        pass
    return build, digest


# ----------------------------------------------------------------------------- locking


class WriteLock:
    """Exclusive, non-blocking flock on ``root/lock``; raises :class:`StoreBusy`."""

    def __init__(self, root: Path):
        self.path = root / "lock"
        self.fd: int | None = None

    def __enter__(self) -> "WriteLock":
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


def write_lock(root: Path | None = None) -> WriteLock:
    """The builders' lock (a context manager); exposed for tests and tools."""
    return WriteLock(Path(root) if root else store_root())


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


def hold_shared(build: Path) -> bool:
    """Take (once per process) a shared lock on ``build/inuse``; False if it is being deleted."""
    key = str(build)
    if key in OPEN_READERS:
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
    OPEN_READERS[key] = fd
    return True


def sweep(root: Path) -> None:
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
            if str(entry) in OPEN_READERS:
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



def commit_build(root: Path, tmp: Path, digest: str, triples: int, sig: list[list], files: list[Path],
                 conflicts: list | None = None) -> Path:
    """Finish the build loaded into ``tmp`` (its manifest, conflicts — ``conflicts`` when already
    found, see :func:`write_conflicts` — and ``inuse``), rename it to ``b-…`` and point
    ``CURRENT`` at it (call with the write lock).  Returns the build."""
    manifest = {
        "layout": LAYOUT_VERSION,
        "oxigraph": oxigraph_version(),
        "hash": digest,
        "triples": triples,
        "files": [p for p, _, _ in sig],
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    write_atomic(tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    write_conflicts(tmp, files, conflicts)
    (tmp / "inuse").touch()
    final = root / f"b-{digest[:16]}-{time.time_ns()}"
    os.rename(tmp, final)
    return final


def make_current(root: Path, build: Path, sig: list[list]) -> None:
    """Point ``CURRENT`` at ``build`` and remember the files' stats for it."""
    write_atomic(root / "CURRENT", build.name + "\n")
    fsync_dir(root)
    try:
        write_atomic(root / "stat-cache.json", json.dumps({"build": build.name, "signature": sig}))
    except OSError:  # pragma: no cover
        pass


# ----------------------------------------------------------------------------- conflicts

CONFLICTS = "conflicts.json"
"""Beside each build: user data contradicting bundled data (:mod:`chaingraph.store.conflicts`)."""


def write_conflicts(build: Path, files: list[Path], found: list | None = None) -> list:
    """Compute the build's contradictions once (unless ``found`` already, by the pass over the
    files beside the bulk load) and keep them in ``build/conflicts.json``."""
    if found is None:
        found = conflicts_in(files)
    try:
        write_atomic(build / CONFLICTS, json.dumps([c.to_dict() for c in found], ensure_ascii=False))
    except OSError:  # a read-only old build: computed again next time
        pass
    return found


def build_conflicts(build: Path, files: list[Path]) -> list:
    """The contradictions of user data with bundled data in ``build`` (read from its small JSON
    file; computed there first for a build made before it existed)."""
    saved = read_json(Path(build) / CONFLICTS)
    if isinstance(saved, list):
        try:
            return [Conflict.from_dict(d) for d in saved]
        except TypeError:
            pass
    return write_conflicts(Path(build), files)
