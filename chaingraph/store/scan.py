"""One pass over the parsed quads of the store's files, beside the bulk load (#17).

What a build computes from its data besides the store itself — the contradictions of bundled
data by user data (:mod:`chaingraph.store.conflicts`), the analysis snapshot
(:mod:`chaingraph.analysis.snapshot.parsed`) — needs only a few properties.  Reading them back
out of the on-disk store costs about 2-10 µs per value; parsing the files again in Python costs
about 2 µs per triple and runs in a thread while Oxigraph's bulk loader (which releases the GIL)
writes the store: the two overlap on a machine with two cores.

:func:`scan` parses each file once with the settings of the loader (byte order mark skipped, the
file's URI as base IRI, blank nodes renamed per file: a label means one node within one
document only, as in the store) and hands each quad to the handler registered for its
predicate by every reader (:class:`Reader`) that wants that file.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from chaingraph.store.files import turtle_input


class Reader:
    """What a :func:`scan` feeds: ``handlers(path)`` gives ``{predicate IRI: callable(quad)}``
    for one file (empty: the file is not wanted), ``finish()`` runs after the last file; a build
    calls ``loaded(build_dir, triples)`` when its store is loaded and ``keep(build_dir)`` when the pass is
    over, to write what the reader computed beside the store."""

    def handlers(self, path: Path) -> dict[str, Callable]:  # pragma: no cover - interface
        raise NotImplementedError

    def finish(self) -> None:
        pass

    def loaded(self, build: Path, triples: int) -> None:
        """The store is loaded into ``build`` (not live yet, closed) with ``triples`` triples; the
        pass may still run."""

    def keep(self, build: Path) -> None:
        pass


class Stopped(Exception):
    """The scan was told to stop (the load beside it failed)."""


def _merge(tables: list[dict[str, Callable]]) -> dict[str, Callable]:
    out: dict[str, Callable] = {}
    for table in tables:
        for pred, fn in table.items():
            if pred in out:
                first = out[pred]

                def both(q, _a=first, _b=fn):
                    _a(q)
                    _b(q)

                out[pred] = both
            else:
                out[pred] = fn
    return out


def scan(files: Iterable[Path], readers: list[Reader], stop: threading.Event | None = None) -> None:
    """Parse each of ``files`` once and feed every quad to the ``readers`` that want it.

    Raises what the parser raises (``SyntaxError``, ``OSError``): the loader reports those with
    the file and line; :class:`Stopped` when ``stop`` is set.
    """
    for path in files:
        path = Path(path)
        table = _merge([r.handlers(path) for r in readers])
        if not table:
            continue
        get = table.get
        with turtle_input(path) as source:
            n = 0
            for q in ox.parse(**source, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                              rename_blank_nodes=True):
                fn = get(q.predicate.value)
                if fn is not None:
                    fn(q)
                n += 1
                if not n & 0xFFFF and stop is not None and stop.is_set():
                    raise Stopped
    for r in readers:
        r.finish()


class Beside:
    """:func:`scan` in a thread, started now; :meth:`result` joins it: True when every reader
    finished, False when the scan failed (the caller then computes what the readers would have
    another way).  :meth:`cancel` asks it to stop early."""

    def __init__(self, files: list[Path], readers: list[Reader]):
        self._stop = threading.Event()
        self._ok = False
        self.error: BaseException | None = None

        def run():
            try:
                scan(files, readers, self._stop)
                self._ok = True
            except BaseException as exc:  # noqa: BLE001 - reported by result()
                self.error = exc

        self._thread = threading.Thread(target=run, name="chaingraph-scan", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._stop.set()
        self._thread.join()

    def result(self) -> bool:
        """True when the scan completed; False when it failed (a syntax or read error, which the
        loader reports with the file and line, or anything else, kept in :attr:`error`: the
        caller then computes the readers' answers the old way, so a reader's failure never
        fails a build)."""
        self._thread.join()
        return self._ok
