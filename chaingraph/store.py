"""Open "the graph": the one place that knows where triples live.

By default the bundled ontology, chain templates and Yongzhou data are loaded into an
embedded rdflib graph backed by Oxigraph (oxrdflib).  Users add their own Turtle folders
with ``data_dirs``.  Everything else in chaingraph receives an ``rdflib.Graph`` and queries
it with SPARQL, so it does not care which backend is behind it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from chaingraph.errors import ChaingraphError
from chaingraph.namespaces import bind_prefixes

_PKG = Path(__file__).resolve().parent


def _bundled_root() -> Path:
    """Folder holding ``ontology/`` and ``data/``: inside the wheel, or the source checkout."""
    packaged = _PKG / "bundled"
    if (packaged / "ontology").is_dir():
        return packaged
    return _PKG.parent


def ontology_dir() -> Path:
    """The bundled ``ontology/`` folder (TBox, shapes, checks, chain templates)."""
    return _bundled_root() / "ontology"


def data_dir() -> Path:
    """The bundled ``data/`` folder (the Yongzhou graph)."""
    return _bundled_root() / "data"


def home_dir() -> Path:
    """The user's chaingraph folder: ``$CHAINGRAPH_HOME``, else ``~/.chaingraph``."""
    return Path(os.environ.get("CHAINGRAPH_HOME") or Path.home() / ".chaingraph")


def user_data_dir() -> Path:
    """Where ``import``, ``merge`` and ``pool build`` write; loaded beside the bundled data."""
    return home_dir() / "data"


def ontology_files() -> list[Path]:
    """TBox and chain templates, in a stable order (shapes are not data)."""
    onto = ontology_dir()
    return [onto / "chaingraph.ttl", *sorted((onto / "chains").glob("*.ttl"))]


def turtle_files(folder: Path) -> list[Path]:
    """Every ``*.ttl`` below ``folder`` (recursively), sorted; ``tools/`` folders are skipped."""
    folder = Path(folder)
    if not folder.exists():
        raise ChaingraphError(f"data folder not found: {folder}")
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*.ttl") if "tools" not in p.relative_to(folder).parts)


def bundled_files() -> list[Path]:
    """Ontology, chain templates and bundled data files."""
    return ontology_files() + turtle_files(data_dir())


def bundled_pool_files() -> list[Path]:
    """The candidate pool shipped with the package (``pool/chainkg.ttl``, see
    :mod:`chaingraph.pool.chainkg`), unless ``CHAINGRAPH_BUNDLED_POOL=0``."""
    if (os.environ.get("CHAINGRAPH_BUNDLED_POOL") or "1").strip() == "0":
        return []
    path = _bundled_root() / "pool" / "chainkg.ttl"
    return [path] if path.is_file() else []


_LINE_RE = re.compile(r"(?:at line|line)\D{0,3}(\d+)", re.I)


def parse_error_line(exc: Exception) -> int | None:
    """Best-effort line number from an rdflib/oxigraph parser exception."""
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):
        return lines + 1
    lineno = getattr(exc, "lineno", None)  # pyoxigraph raises SyntaxError
    if isinstance(lineno, int) and isinstance(exc, SyntaxError):
        return lineno
    m = _LINE_RE.search(str(exc))
    return int(m.group(1)) if m else None


def _parser_reason(exc: Exception) -> str:
    """The informative part of a parser message (rdflib puts it on a later line)."""
    text = str(exc).strip()
    for line in text.splitlines():
        if "Bad syntax" in line:
            return line.split(" at ^")[0].strip()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("at line")]
    return lines[0].strip() if lines else type(exc).__name__


def parse_file(graph: rdflib.Graph, path: Path) -> None:
    """Parse one Turtle file into ``graph``; raise ChaingraphError naming file and line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ChaingraphError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many parser exception types
        line = parse_error_line(exc)
        where = f"{path}:{line}" if line else str(path)
        first = _parser_reason(exc)
        raise ChaingraphError(f"{where}: malformed Turtle: {first}") from None


@dataclass(frozen=True)
class GraphSource:
    """Where the graph comes from: bundled files, user folders, or a SPARQL endpoint."""

    data_dirs: tuple[Path, ...] = ()
    include_bundled: bool = True
    include_user: bool = True
    endpoint: str | None = None
    update_endpoint: str | None = None
    extra: tuple[Path, ...] = field(default=())
    include_pool: bool = True

    def files(self) -> list[Path]:
        """Turtle files this source loads, bundled first."""
        files = bundled_files() if self.include_bundled else ontology_files()
        user = user_data_dir()
        # the shipped pool, unless the user built their own with `chaingraph pool build`
        if self.include_bundled and self.include_pool and not (self.include_user and (user / "pool" / "chainkg.ttl").is_file()):
            files += bundled_pool_files()
        if self.include_user and user.is_dir():
            files += turtle_files(user)
        for d in self.data_dirs:
            files += turtle_files(Path(d))
        return files + list(self.extra)


def new_graph() -> rdflib.Graph:
    """An empty embedded graph on the default backend (Oxigraph in memory)."""
    g = rdflib.Graph(store="Oxigraph")
    bind_prefixes(g)
    return g


def load_files(files: list[Path], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Parse ``files`` into a (new) embedded graph."""
    g = graph if graph is not None else new_graph()
    for f in files:
        parse_file(g, f)
    return g


def store_mode() -> str:
    """``disk`` (default: the persistent store under ``$CHAINGRAPH_HOME/store``) or ``memory``.

    Set ``CHAINGRAPH_STORE=memory`` to parse the Turtle files into memory on every start.
    """
    mode = (os.environ.get("CHAINGRAPH_STORE") or "disk").strip().lower()
    if mode not in ("disk", "memory"):
        raise ChaingraphError(f"CHAINGRAPH_STORE must be 'disk' or 'memory', not {mode!r}")
    return mode


def open_graph(source: GraphSource | None = None, *, progress=None) -> rdflib.Graph:
    """Open the graph described by ``source`` (default: bundled ontology + data).

    With an endpoint: a graph backed by that SPARQL 1.1 server (:mod:`chaingraph.remote`).
    Otherwise the persistent embedded store (:mod:`chaingraph.diskstore`), built on first use
    and rebuilt when the files change, opened read-only; if ``$CHAINGRAPH_HOME`` cannot be
    written, or ``CHAINGRAPH_STORE=memory``, the files are parsed into memory instead.
    ``progress`` (a callable taking a message) hears that the store is being (re)built.
    """
    source = source or GraphSource()
    if source.endpoint:
        from chaingraph.remote import open_remote

        return open_remote(source.endpoint, source.update_endpoint)
    files = source.files()
    if store_mode() == "disk":
        from chaingraph import diskstore

        try:
            return diskstore.open_store(files, progress=progress)
        except PermissionError:
            pass  # read-only home: fall back to memory
    return load_files(files)


def build_store(source: GraphSource | None = None, *, force: bool = False, progress=None,
                announce_after: float = 1.0):
    """Build (or confirm fresh) the persistent store for ``source``; a :class:`diskstore.BuildInfo`.

    Raises ``ChaingraphError("store busy…")`` when another process is building it.
    """
    from chaingraph import diskstore

    source = source or GraphSource()
    return diskstore.build_store(source.files(), force=force, progress=progress, announce_after=announce_after)


# ----------------------------------------------------------------------------- fast SELECT

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                            "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                            "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def plain_value(value: str, datatype: str | None):
    """A literal's lexical form and datatype IRI as the plain value ``chaingraph.project.select``
    returns: numbers and booleans converted, anything else (or ill-typed) the lexical form."""
    try:
        if datatype in _INTS:
            return int(value)
        if datatype in _FLOATS:
            return float(value)
        if datatype == _XSD + "boolean":
            if value in ("true", "1"):
                return True
            if value in ("false", "0"):
                return False
    except ValueError:
        pass
    return value


def _ox_plain(term):
    """A pyoxigraph term as the plain value ``chaingraph.project.select`` returns."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is None:  # NamedNode, BlankNode
        return term.value
    return plain_value(term.value, datatype.value)


def fast_select(graph: rdflib.Graph, query: str) -> tuple[list[str], list[tuple]] | None:
    """Run a SELECT straight on an Oxigraph-backed graph: ``(variables, rows of plain values)``.

    Skips building rdflib terms (the costly part of large answers).  A SPARQL endpoint's JSON
    answer is read the same way.  None when ``graph`` is a plain rdflib graph: the caller then
    uses ``graph.query``.
    """
    store = graph.store
    select_plain = getattr(store, "select_plain", None)
    if select_plain is not None:  # a remote endpoint (chaingraph.remote.EndpointStore)
        return select_plain(query, graph.identifier)
    inner = getattr(store, "_inner", None) if type(store).__name__ == "OxigraphStore" else None
    if inner is None:
        return None
    import pyoxigraph as ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    ident = graph.identifier
    kwargs: dict = {}
    if isinstance(graph, rdflib.ConjunctiveGraph) or getattr(graph, "default_union", False):
        kwargs["use_default_graph_as_union"] = True
    elif ident == DATASET_DEFAULT_GRAPH_ID:
        kwargs["default_graph"] = ox.DefaultGraph()
    elif isinstance(ident, rdflib.BNode):
        kwargs["default_graph"] = ox.BlankNode(str(ident))
    else:
        kwargs["default_graph"] = ox.NamedNode(str(ident))
    result = inner.query(query, **kwargs)
    if not isinstance(result, ox.QuerySolutions):
        return None
    names = [v.value for v in result.variables]
    plain = _ox_plain
    rows = [tuple(plain(t) for t in solution) for solution in result]
    return names, rows
