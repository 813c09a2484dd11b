"""Loading the ontology and data into a SPARQL 1.1 server (``chaingraph build --update-endpoint``
or ``--graph-store``): the files parsed here, sent in batches as N-Triples, the graph marked
completed last (:func:`chaingraph.store.remote.check_loaded` refuses a graph without the mark).
Querying the server is :mod:`chaingraph.store.remote`.
"""

from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from chaingraph.errors import ChaingraphError
from chaingraph.store.files import syntax_error, turtle_input, unreadable
from chaingraph.store.remote import (
    BATCH_TRIPLES, GSP_BATCH_TRIPLES, check_endpoint, graph_iri, http_request, load_mark, public_url, status_graph,
)


@dataclass(frozen=True)
class LoadReport:
    """What :func:`load_remote` sent."""

    endpoint: str
    graph: str | None
    files: int
    triples: int
    requests: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0


def update(update_endpoint: str, text: str) -> None:
    """Send one SPARQL 1.1 Update (form POST ``update=…``)."""
    body = urllib.parse.urlencode({"update": text}).encode("utf-8")
    http_request(update_endpoint, body, "application/x-www-form-urlencoded", "*/*")


def _file_triples(path: Path) -> Iterator[tuple[str, str, str, bool, bool]]:
    """(s, p, o, s_is_bnode, o_is_bnode) in N-Triples syntax, parsed natively."""
    try:
        with turtle_input(path) as source:
            for q in ox.parse(**source, format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri()):
                s, o = q.subject, q.object
                yield str(s), str(q.predicate), str(o), isinstance(s, ox.BlankNode), isinstance(o, ox.BlankNode)
    except SyntaxError as exc:
        raise syntax_error(Path(path), exc) from None
    except OSError as exc:
        raise unreadable(Path(path), exc) from None


def _batches(files: Iterable[Path], size: int, bnode_size: int) -> Iterator[tuple[list[str], bool]]:
    """``(N-Triples lines, has_blank_nodes)`` batches of about ``size`` / ``bnode_size`` triples.

    Triples sharing a blank node always travel in the same batch (a blank node label only
    means one node within one request).  Per file: triples without blank nodes stream; those
    with blank nodes are grouped by connected blank-node component into their own batches.
    """
    plain: list[str] = []
    blank: list[str] = []
    for path in files:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        held: list[tuple[str, str]] = []  # (a blank node of the triple, line)
        for s, p, o, sb, ob in _file_triples(path):
            line = f"{s} {p} {o} ."
            if not sb and not ob:
                plain.append(line)
                if len(plain) >= size:
                    yield plain, False
                    plain = []
                continue
            if sb and ob:
                ra, rb = find(s), find(o)
                if ra != rb:
                    parent[ra] = rb
            held.append((s if sb else o, line))
        groups: dict[str, list[str]] = {}
        for node, line in held:
            groups.setdefault(find(node), []).append(line)
        for lines in groups.values():
            blank.extend(lines)
            if len(blank) >= bnode_size:
                yield blank, True
                blank = []
    if plain:
        yield plain, False
    if blank:
        yield blank, True


def _graph_store_url(graph_store: str, name: str | None) -> str:
    sep = "&" if urllib.parse.urlsplit(graph_store).query else "?"
    return graph_store + sep + (urllib.parse.urlencode({"graph": name}) if name else "default")


def load_remote(
    files: Iterable[Path],
    update_endpoint: str | None = None,
    *,
    graph_store: str | None = None,
    replace: bool = True,
    batch_triples: int | None = None,
) -> LoadReport:
    """Load Turtle ``files`` into the server's chaingraph graph (:func:`graph_iri`).

    Two standard transports:

    * ``graph_store`` (SPARQL 1.1 Graph Store HTTP Protocol, e.g. Virtuoso's
      ``/sparql-graph-crud``, Fuseki's ``/ds/data``): ``DELETE`` the graph, then ``POST``
      N-Triples in chunks of ``batch_triples`` (default 50,000).  Much faster.
    * otherwise ``update_endpoint`` (SPARQL 1.1 Update): ``DROP SILENT GRAPH`` (``CLEAR
      SILENT DEFAULT`` for the default graph), then ``INSERT DATA`` requests of
      ``batch_triples`` (default 200) triples, or ``INSERT {…} WHERE {}`` when a batch has
      blank nodes (same meaning; Virtuoso refuses blank nodes in INSERT DATA).

    Files are parsed locally (Oxigraph), so base IRIs resolve as in the embedded store.  Triples
    sharing a blank node always go in the same request.  The completed-load mark
    (:func:`status_graph`) is removed first and written last, so a load cut short leaves a
    graph that :func:`open_remote` refuses.  ``replace=False`` adds to the graph.
    """
    if not graph_store and not update_endpoint:
        raise ChaingraphError("give an update endpoint or a graph store endpoint to load into")
    files = [Path(f) for f in files]
    name = graph_iri()
    t0 = time.perf_counter()
    if graph_store:
        target = public_url(check_endpoint(graph_store))
        triples, requests = _load_graph_store(graph_store, name, files, replace, batch_triples or GSP_BATCH_TRIPLES)
    else:
        target = public_url(check_endpoint(update_endpoint))
        triples, requests = _load_update(update_endpoint, name, files, replace, batch_triples or BATCH_TRIPLES)
    return LoadReport(target, name, len(files), triples, requests, time.perf_counter() - t0)


def _load_graph_store(graph_store: str, name: str | None, files: list[Path], replace: bool, size: int) -> tuple[int, int]:
    """Load through the Graph Store protocol: (triples, requests)."""
    url = _graph_store_url(graph_store, name)
    status_url = _graph_store_url(graph_store, status_graph(name))
    requests = triples = 0
    http_request(status_url, None, "", "*/*", method="DELETE", ok_missing=True)  # incomplete until the end
    requests += 1
    if replace:
        http_request(url, None, "", "*/*", method="DELETE", ok_missing=True)
        requests += 1
    for batch, _ in _batches(files, size, size):
        http_request(url, ("\n".join(batch) + "\n").encode("utf-8"), "application/n-triples", "*/*")
        requests += 1
        triples += len(batch)
    http_request(status_url, (load_mark(name) + "\n").encode("utf-8"), "application/n-triples", "*/*")
    return triples, requests + 1


def _load_update(update_endpoint: str, name: str | None, files: list[Path], replace: bool, size: int) -> tuple[int, int]:
    """Load through SPARQL 1.1 Update: (triples, requests)."""
    requests = triples = 0
    update(update_endpoint, f"DROP SILENT GRAPH <{status_graph(name)}>")  # incomplete until the end
    requests += 1
    if replace:
        update(update_endpoint, f"DROP SILENT GRAPH <{name}>" if name else "CLEAR SILENT DEFAULT")
        requests += 1
    for batch, has_blank in _batches(files, size, size):
        data = "\n".join(batch)
        body = f"GRAPH <{name}> {{\n{data}\n}}" if name else data
        text = f"INSERT {{ {body} }} WHERE {{}}" if has_blank else f"INSERT DATA {{ {body} }}"
        update(update_endpoint, text)
        requests += 1
        triples += len(batch)
    update(update_endpoint, f"INSERT DATA {{ GRAPH <{status_graph(name)}> {{ {load_mark(name)} }} }}")
    return triples, requests + 1
