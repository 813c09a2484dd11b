"""The remote backend: the graph behind any SPARQL 1.1 server.

``--endpoint URL`` makes every command query that server instead of the embedded store; the
analysis code is unchanged because it only sends SPARQL SELECTs through ``graph.query``.
``build --update-endpoint URL`` loads the ontology and data into the server.

Only the standard protocols are used: SPARQL 1.1 Query (HTML form POST, JSON results),
SPARQL 1.1 Update (``DROP SILENT GRAPH``, ``INSERT DATA``) and, when given, the SPARQL 1.1
Graph Store HTTP Protocol for fast loading — so Virtuoso, Apache Jena Fuseki, GraphDB,
Stardog, Amazon Neptune or Oxigraph server all work the same way.

Where the data lives on the server: the named graph ``CHAINGRAPH_GRAPH`` (default
``https://w3id.org/chaingraph/graph``).  Queries name it with the protocol's
``default-graph-uri`` parameter, loads write into it with ``INSERT DATA { GRAPH <g> {…} }``
after ``DROP SILENT GRAPH <g>``.  ``CHAINGRAPH_GRAPH=default`` uses the server's default
graph instead (queries send no graph parameter; loads ``CLEAR SILENT DEFAULT`` first).

Loading a server is :mod:`chaingraph.store.remote_load`.

Bindings: ``initBindings`` are written into the query as a ``VALUES`` block at the start of
the outermost group pattern, each term serialised by :func:`sparql_term` (IRIs validated,
literals escaped) — untrusted text is bound as a term, never spliced in as SPARQL.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Mapping

import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from chaingraph.errors import ChaingraphError
from chaingraph.namespaces import bind_prefixes
from chaingraph.store.query import Backend, plain_value, where_start

DEFAULT_GRAPH_IRI = "https://w3id.org/chaingraph/graph"
GRAPH_ENV = "CHAINGRAPH_GRAPH"
TIMEOUT_ENV = "CHAINGRAPH_ENDPOINT_TIMEOUT"
BATCH_TRIPLES = 200  # per SPARQL Update request (Virtuoso's compiler is superlinear and caps near 1,000)
GSP_BATCH_TRIPLES = 50000  # per Graph Store POST

_JSON = "application/sparql-results+json"
_RDF_ACCEPT = "application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_RDF_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def graph_iri() -> str | None:
    """The named graph chaingraph uses on a server (None: the server's default graph)."""
    value = (os.environ.get(GRAPH_ENV) or DEFAULT_GRAPH_IRI).strip()
    if value.lower() == "default":
        return None
    _check_iri(value)
    return value


def _timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV) or 300)
    except ValueError:
        raise ChaingraphError(f"{TIMEOUT_ENV} must be a number of seconds") from None


# ----------------------------------------------------------------------------- terms

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _check_iri(value: str) -> str:
    if not value or _IRI_BAD.search(value) or ":" not in value:
        raise ChaingraphError(f"not a valid IRI: {value!r}")
    return value


def _escape_string(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def sparql_term(term) -> str:
    """A term as SPARQL/N-Triples syntax, safe to place in a query.

    IRIs with characters IRIs may not contain are refused; literals are escaped; blank nodes
    cannot be bound (they would denote a fresh node).

    >>> sparql_term(rdflib.URIRef("https://w3id.org/chaingraph/id/company/a"))
    '<https://w3id.org/chaingraph/id/company/a>'
    >>> print(sparql_term(rdflib.Literal('骏捷" } ; DROP ALL ; #', lang="zh")))
    "骏捷\\" } ; DROP ALL ; #"@zh
    >>> sparql_term(rdflib.URIRef("http://x> } DROP ALL {"))
    Traceback (most recent call last):
    ...
    chaingraph.errors.ChaingraphError: not a valid IRI: 'http://x> } DROP ALL {'
    """
    if isinstance(term, rdflib.Literal):
        body = _escape_string(str(term))
        if term.language:
            if not _LANG.match(term.language):
                raise ChaingraphError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{body}^^<{_check_iri(str(term.datatype))}>"
        return body
    if isinstance(term, rdflib.BNode):
        raise ChaingraphError("blank nodes cannot be bound in a query to a SPARQL endpoint")
    return f"<{_check_iri(str(term))}>"


# ----------------------------------------------------------------------------- query text


def bind_values(query: str, bindings: Mapping[str, object]) -> str:
    """``query`` with ``bindings`` as a VALUES block opening its WHERE group.

    >>> print(bind_values("SELECT ?n WHERE { ?f <http://x/name> ?n }", {"f": rdflib.URIRef("http://x/a")}))
    SELECT ?n WHERE { VALUES (?f) { (<http://x/a>) } ?f <http://x/name> ?n }
    """
    if not bindings:
        return query
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
            raise ChaingraphError(f"not a valid variable name: {name!r}")
    block = "VALUES ({}) {{ ({}) }}".format(
        " ".join(f"?{k}" for k in bindings), " ".join(sparql_term(v) for v in bindings.values())
    )
    at = where_start(query)
    if at is None:  # fall back to a trailing VALUES (joins before projection)
        return f"{query}\n{block}"
    return f"{query[:at]} {block}{query[at:]}"


# ----------------------------------------------------------------------------- HTTP


def http_request(url: str, data: bytes | None, content_type: str, accept: str, *, method: str = "POST",
          ok_missing: bool = False) -> tuple[bytes, str]:
    """Send one HTTP request to a SPARQL service: ``(body, content type)`` of the answer; one
    clear error naming the service (never its credentials) when it fails.  ``ok_missing``: a 404
    answers ``(b"", "")``."""
    headers = {"Accept": accept, "User-Agent": "chaingraph"}
    if data is not None:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=_timeout()) as res:
            return res.read(), (res.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    except urllib.error.HTTPError as exc:
        if ok_missing and exc.code == 404:
            return b"", ""
        body = exc.read().decode("utf-8", "replace").strip()
        body = " ".join(body.split())[:400]
        raise ChaingraphError(f"SPARQL endpoint {public_url(url)} answered {exc.code} {exc.reason}: {body}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChaingraphError(f"cannot reach SPARQL endpoint {public_url(url)}: {reason}") from None


def public_url(url: str) -> str:
    """The URL without credentials or query string, for messages."""
    p = urllib.parse.urlsplit(url)
    host = p.hostname or ""
    if p.port:
        host += f":{p.port}"
    return urllib.parse.urlunsplit((p.scheme, host, p.path, "", ""))


class EndpointStore(SPARQLStore, Backend):
    """rdflib's read-only SPARQL store, talking SPARQL 1.1 protocol with form POSTs and JSON.

    Differences from :class:`rdflib.plugins.stores.sparqlstore.SPARQLStore`: ``initBindings``
    open the WHERE group as ``VALUES`` (so FILTERs see them), only the prefixes a query uses
    are added, queries are POSTed (no URL length limit) and errors become one clear
    :class:`~chaingraph.errors.ChaingraphError`.
    """

    def __init__(self, query_endpoint: str):
        super().__init__(query_endpoint=query_endpoint, returnFormat="json", method="POST_FORM")
        self.requests = 0
        self.seconds = 0.0

    def query(self, query, initNs=None, initBindings=None, queryGraph=None, DEBUG=False):  # noqa: N803
        if not isinstance(query, str):
            raise ChaingraphError("only query strings can be sent to a SPARQL endpoint")
        if initNs:
            declared = set(re.findall(r"PREFIX\s+([A-Za-z][\w.-]*|):", query, re.I))
            used = {p for p in initNs if p not in declared and re.search(rf"(?<![\w<]){re.escape(p)}:", query)}
            if used:
                query = "".join(f"PREFIX {p}: <{initNs[p]}>\n" for p in sorted(used)) + query
        if initBindings:
            query = bind_values(query, initBindings)
        return self._query(query, default_graph=queryGraph if self._is_contextual(queryGraph) else None)

    def select_plain(self, query: str, graph: rdflib.Graph) -> tuple[list[str], list[tuple]] | None:
        """A SELECT's ``(variables, rows of plain values)`` read straight from the JSON answer (no
        rdflib terms: see :func:`chaingraph.store.fast_select`); None for another kind of answer."""
        graph_id = graph.identifier
        t0 = time.perf_counter()
        body, ctype = self._send(query, graph_id if self._is_contextual(graph_id) else None, _JSON)
        try:
            data = json.loads(body.decode("utf-8"))
            if "results" not in data:  # not a SELECT answer
                return None
            names = data.get("head", {}).get("vars", [])

            def plain(b: dict | None):
                if b is None:
                    return None
                if b["type"] in ("uri", "bnode") or "xml:lang" in b:
                    return b["value"]
                return plain_value(b["value"], b.get("datatype"))

            rows = [tuple(plain(b.get(n)) for n in names) for b in data.get("results", {}).get("bindings", [])]
            return names, rows
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ChaingraphError(f"SPARQL endpoint {public_url(self.query_endpoint)} sent an unreadable "
                                  f"answer ({ctype or 'no content type'}): {exc}") from None
        finally:
            self.seconds += time.perf_counter() - t0

    def background_executor(self):
        """One worker thread: the server ranks while the caller prepares the rest."""
        return ThreadPoolExecutor(1)

    def _send(self, query: str, default_graph, accept: str) -> tuple[bytes, str]:
        params = {"query": query}
        if default_graph is not None and not isinstance(default_graph, rdflib.BNode):
            params["default-graph-uri"] = str(default_graph)
        self.requests += 1
        return http_request(self.query_endpoint, urllib.parse.urlencode(params).encode("utf-8"),
                     "application/x-www-form-urlencoded", accept)

    def _query(self, query, default_graph=None, named_graph=None):  # noqa: ARG002
        t0 = time.perf_counter()
        body, ctype = self._send(query, default_graph, f"{_JSON}, {_RDF_ACCEPT}")
        try:
            if ctype in _RDF_FORMATS:
                out = Result("CONSTRUCT")
                out.graph = rdflib.Graph()
                out.graph.parse(data=body, format=_RDF_FORMATS[ctype])
                return out
            return _parse_json_result(body)
        except ChaingraphError:
            raise
        except Exception as exc:
            raise ChaingraphError(f"SPARQL endpoint {public_url(self.query_endpoint)} sent an unreadable "
                                  f"answer ({ctype or 'no content type'}): {exc}") from None
        finally:
            self.seconds += time.perf_counter() - t0


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _term(b: dict):
    t = b["type"]
    if t == "uri":
        return rdflib.URIRef(b["value"])
    if t == "bnode":
        return rdflib.BNode(b["value"])
    lang = b.get("xml:lang")
    if lang:
        return rdflib.Literal(b["value"], lang=lang)
    dt = b.get("datatype")
    if dt and dt != _XSD + "string":
        return rdflib.Literal(b["value"], datatype=rdflib.URIRef(dt))
    return rdflib.Literal(b["value"])


def _parse_json_result(body: bytes):
    data = json.loads(body.decode("utf-8"))
    if "boolean" in data:
        out = Result("ASK")
        out.askAnswer = bool(data["boolean"])
        return out
    out = Result("SELECT")
    names = data.get("head", {}).get("vars", [])
    out.vars = [rdflib.Variable(v) for v in names]
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append({rdflib.Variable(k): _term(v) for k, v in binding.items()})
    out.bindings = rows
    return out


STATUS_SUFFIX = "/load-status"
TRUST_ENV = "CHAINGRAPH_TRUST_SERVER"
_CG = "https://w3id.org/chaingraph/ns#"


def status_graph(name: str | None) -> str:
    """The named graph holding the completed-load mark of ``name`` (kept apart from the data, so
    counts and queries never see it)."""
    return (name or DEFAULT_GRAPH_IRI + "/default") + STATUS_SUFFIX


def load_mark(name: str | None) -> str:
    """The N-Triples line marking the load of graph ``name`` completed (now)."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return (f"<{name or DEFAULT_GRAPH_IRI + '/default'}> <{_CG}loadCompleted> "
            f'"{stamp}"^^<http://www.w3.org/2001/XMLSchema#dateTime> .')


def check_loaded(store: "EndpointStore", name: str | None) -> None:
    """Refuse a server graph without a completed-load mark: a load into it was interrupted (or
    it was not loaded by ``chaingraph build``), and answers from half a graph look whole.
    ``$CHAINGRAPH_TRUST_SERVER=1`` uses such a graph anyway."""
    if (os.environ.get(TRUST_ENV) or "").strip() in ("1", "yes", "true"):
        return
    subject = name or DEFAULT_GRAPH_IRI + "/default"
    body, _ = store._send(f"ASK {{ GRAPH <{status_graph(name)}> {{ <{subject}> <{_CG}loadCompleted> ?t }} }}", None, _JSON)
    try:
        done = bool(json.loads(body.decode("utf-8")).get("boolean"))
    except (ValueError, AttributeError):
        done = False
    if not done:
        raise ChaingraphError(
            f"the chaingraph graph {name or '(default graph)'} at {public_url(store.query_endpoint)} has no completed-load "
            f"mark: a load was interrupted, or it was not loaded by `chaingraph build`; load it again "
            f"(chaingraph build --update-endpoint URL), or set {TRUST_ENV}=1 to use it as it is")


def open_remote(endpoint: str, update_endpoint: str | None = None) -> rdflib.Graph:
    """An ``rdflib.Graph`` whose queries go to the SPARQL 1.1 ``endpoint``.

    ``update_endpoint`` is accepted for symmetry; the graph itself is read-only (loading goes
    through :func:`chaingraph.store.remote_load.load_remote`).  The graph is the named graph :func:`graph_iri`.
    """
    check_endpoint(endpoint)
    name = graph_iri()
    store = EndpointStore(endpoint)
    check_loaded(store, name)
    g = rdflib.Graph(store=store, identifier=rdflib.URIRef(name) if name else DATASET_DEFAULT_GRAPH_ID)
    bind_prefixes(g)
    return g


def check_endpoint(url: str) -> str:
    """``url`` if it is an http(s) URL, else one clear error."""
    p = urllib.parse.urlsplit(url or "")
    if p.scheme not in ("http", "https") or not p.netloc:
        raise ChaingraphError(f"not an http(s) SPARQL endpoint URL: {url!r}")
    return url
