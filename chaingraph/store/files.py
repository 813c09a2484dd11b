"""Where the graph's files are, and reading them: paths, Turtle parsing with error lines.

The bundled ontology, chain templates and Yongzhou data ship with the package; users add their
own Turtle folders (``$CHAINGRAPH_HOME/data`` and ``--data DIR``).  :class:`GraphSource` names
what one run loads; :func:`chaingraph.store.open_graph` decides where it is loaded into.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import rdflib

from chaingraph.errors import ChaingraphError
from chaingraph.namespaces import bind_prefixes

_PKG = Path(__file__).resolve().parent.parent  # the chaingraph package


def bundled_root() -> Path:
    """Folder holding ``ontology/`` and ``data/``: inside the wheel, or the source checkout."""
    packaged = _PKG / "bundled"
    if (packaged / "ontology").is_dir():
        return packaged
    return _PKG.parent


def ontology_dir() -> Path:
    """The bundled ``ontology/`` folder (TBox, shapes, checks, chain templates)."""
    return bundled_root() / "ontology"


def data_dir() -> Path:
    """The bundled ``data/`` folder (the Yongzhou graph)."""
    return bundled_root() / "data"


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
    """Every ``*.ttl`` below ``folder`` (recursively), sorted; ``tools/`` folders and hidden files
    or folders (names starting with ``.``: editors' and chaingraph's temporary files) are skipped."""
    folder = Path(folder)
    if not folder.exists():
        raise ChaingraphError(f"data folder not found: {folder}")
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*.ttl")
                  if not any(part == "tools" or part.startswith(".") for part in p.relative_to(folder).parts))


def bundled_files() -> list[Path]:
    """Ontology, chain templates and bundled data files."""
    return ontology_files() + turtle_files(data_dir())


def bundled_pool_files() -> list[Path]:
    """The candidate pool shipped with the package (``pool/chainkg.ttl``, see
    :mod:`chaingraph.pool.chainkg`), unless ``CHAINGRAPH_BUNDLED_POOL=0``."""
    if (os.environ.get("CHAINGRAPH_BUNDLED_POOL") or "1").strip() == "0":
        return []
    path = bundled_root() / "pool" / "chainkg.ttl"
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
        raise unreadable(path, exc) from None
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many parser exception types
        line = parse_error_line(exc)
        where = f"{path}:{line}" if line else str(path)
        first = _parser_reason(exc)
        raise ChaingraphError(f"{where}: malformed Turtle: {first}") from None


def syntax_error(path: Path, exc: BaseException) -> ChaingraphError:
    """The one-line error for a Turtle file Oxigraph could not parse: ``file:line: malformed Turtle: …``."""
    line = getattr(exc, "lineno", None)
    msg = getattr(exc, "msg", None) or str(exc)
    where = f"{path}:{line}" if line else str(path)
    return ChaingraphError(f"{where}: malformed Turtle: {msg}")


def unreadable(path: Path, exc: OSError) -> ChaingraphError:
    """The one-line error for a file that cannot be read."""
    return ChaingraphError(f"cannot read {path}: {exc.strerror or exc}")


BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte order mark Windows editors write at the start of a file."""


@contextmanager
def turtle_input(path: Path) -> Iterator[dict]:
    """Where Oxigraph's parsers read ``path`` from: ``{"path": …}``, or — when the file starts
    with a UTF-8 byte order mark (Windows editors write one), which Oxigraph rejects and rdflib
    skips — ``{"input": the file opened after the mark}``."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise unreadable(path, exc) from None
    with fh:
        if fh.read(len(BOM)) == BOM:
            yield {"input": fh}
            return
    yield {"path": str(path)}



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
    # start-up time: `validate` and `ingest` only read paths here and never load Oxigraph
    from chaingraph.store.embedded import EmbeddedStore

    g = rdflib.Graph(store=EmbeddedStore())
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
