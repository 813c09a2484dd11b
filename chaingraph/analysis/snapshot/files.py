"""The files a snapshot keeps beside a build: how they are written, checked, read back and kept.

Every stored file (the analysis index, the target facts, the context facts) is one marshal
payload behind a magic line and the payload's SHA-256, written atomically (temp file + rename:
a reader never sees half a file).  :func:`read` returns None for anything it cannot trust
(absent, cut short, edited, another format, missing parts) so the caller computes it again;
:func:`kept` is that read-or-compute-and-write, once per build per process.  What goes in a file
is decided by the module that owns it (:mod:`~chaingraph.analysis.snapshot.index`,
:mod:`~chaingraph.analysis.snapshot.targets`, :mod:`~chaingraph.analysis.snapshot.context`).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Callable, Iterable

MAGIC = b"cgsnap1\n"  # then the SHA-256 of the payload, then the payload (marshal)


def path_of(build: Path, name: str) -> Path:
    """Where the stored file ``name`` of ``build`` lives."""
    return Path(build) / name


def write(build: Path, data: dict, name: str, pack: Callable[[dict], dict] | None = None) -> None:
    """Write ``data`` (``pack(data)`` when given) into ``build`` as ``name`` atomically (a reader
    never sees half a file), with a checksum."""
    path = path_of(build, name)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # pack(data) is passed to marshal unnamed: marshal marks objects referenced more than once,
    # so naming it would change the stored bytes (not their meaning) from earlier versions
    payload = marshal.dumps(pack(data) if pack else data)
    try:
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def read(build: Path, name: str, version: int, required: Iterable[str] = ()) -> dict | None:
    """The data stored in ``build`` as ``name``; None when absent, damaged (checksum), unreadable,
    of another format or without one of the ``required`` keys — the caller then computes it again."""
    try:
        with open(path_of(build, name), "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    head = len(MAGIC) + 32
    payload = memoryview(raw)[head:]
    if raw[: len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != raw[len(MAGIC):head]:
        return None  # cut short, zeroed, edited or of an older layout
    try:
        data = marshal.loads(payload)  # 6x faster than marshal.load(fh), which reads per object
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != version:
        return None
    if any(k not in data for k in required):
        return None
    return data


def kept(cache: dict, build: str, name: str, version: int, required: Iterable[str],
         compute: Callable[[], dict]) -> dict:
    """The data of ``build``'s stored file ``name``: from ``cache`` (once per process), else read
    back, else ``compute()``-d and written (kept in memory only when the build folder cannot be
    written)."""
    data = cache.get(build)
    if data is None:
        data = read(Path(build), name, version, required)
        if data is None:
            data = compute()
            try:
                write(Path(build), data, name)
            except OSError:
                pass
        data = cache[build] = data
    return data


def fresh(value):
    """A copy of nested dicts, lists, tuples and sets (callers may change what they get; the
    stored copy stays)."""
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh(v) for v in value]
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    if isinstance(value, set):
        return set(value)
    return value
