"""Validate chaingraph Turtle: syntax, SHACL shapes, SPARQL checks and acyclic chains.

Four kinds of problem are reported, in this order:

``syntax``
    a file that cannot be read or parsed (with the parser's line number);
``shacl``
    a result of ``ontology/shapes.ttl`` (pyshacl);
``check``
    a row of an ``ontology/checks/*-violation.rq`` query (rules SHACL cannot express well);
``cycle``
    a cycle of ``cg:feeds`` inside one chain template (networkx).

SHACL runs without inference: the TBox (``ontology/chaingraph.ttl``) is merged into the data
graph, which is enough for subclass-aware ``sh:class``/``sh:targetClass`` (SHACL follows
``rdfs:subClassOf`` triples in the data graph) and keeps validation fast.

Library code: nothing here prints.  ``Report.to_text()`` and ``Report.to_dict()`` render.

Examples
--------
>>> import rdflib
>>> g = rdflib.Graph().parse(data='''
... @prefix cg: <https://w3id.org/chaingraph/ns#> .
... @prefix seg: <https://w3id.org/chaingraph/id/segment/> .
... seg:a cg:feeds seg:a .
... ''', format="turtle")
>>> [p.kind for p in validate_graph(g, shacl=False).problems]
['check']
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import networkx as nx
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH, XSD

from chaingraph.namespaces import CG, bind_prefixes
from chaingraph.store import ontology_dir, ontology_files, parse_error_line

__all__ = [
    "Problem",
    "Report",
    "bundled_paths",
    "check_queries",
    "feeds_cycles",
    "run_checks",
    "validate_graph",
    "validate_paths",
]

KINDS = ("syntax", "conflict", "shacl", "check", "cycle")
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}
_CGSH = "https://w3id.org/chaingraph/shapes#"
_MAX_CYCLES_PER_CHAIN = 20


# ----------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Problem:
    """One validation problem.

    ``kind`` is ``'syntax'``, ``'conflict'`` (user data contradicting bundled data, located in
    the user file: :mod:`chaingraph.store.conflicts`), ``'shacl'``, ``'check'`` or ``'cycle'``.  ``file``/``line`` locate
    it (for SHACL and check results: the first statement about the focus node, best effort);
    ``focus`` is the offending node (``company:x`` style, ``_:b0`` for blank nodes), ``path``
    the SHACL result path, ``message`` the English text followed by the Chinese one.
    ``rule`` names what fired: a shape (``cgsh:Company-label``), a check file stem, ``cg:feeds``.
    """

    kind: str
    file: str | None = None
    line: int | None = None
    focus: str | None = None
    path: str | None = None
    message: str = ""
    rule: str | None = None

    def sort_key(self) -> tuple:
        return (
            _KIND_ORDER.get(self.kind, 99),
            self.file or "",
            self.line if self.line is not None else 0,
            self.focus or "",
            self.path or "",
            self.rule or "",
            self.message,
        )

    def to_text(self) -> str:
        where = self.file or "<graph>"
        if self.line is not None:
            where += f":{self.line}"
        head = f"{where}: [{self.kind}] {self.message}"
        details = []
        if self.focus:
            details.append(f"focus: {self.focus}")
        if self.path:
            details.append(f"path: {self.path}")
        if self.rule:
            details.append(f"rule: {self.rule}")
        return head + ("\n    " + "  ".join(details) if details else "")


@dataclass
class Report:
    """Outcome of a validation: ``conforms`` is true iff there are no problems."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: files not re-read in full: unchanged since a clean validation (see :func:`validate_paths`)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of problems per kind (every kind present, in report order)."""
        out = {k: 0 for k in KINDS}
        for p in self.problems:
            out[p.kind] = out.get(p.kind, 0) + 1
        return out

    def to_text(self) -> str:
        """A readable multi-line report: ``file:line: [kind] message`` then the focus node."""
        note = (f" ({len(self.unchanged)} unchanged since their last clean validation, not re-read in full:"
                f" {', '.join(Path(f).name for f in self.unchanged)}; --all re-reads them)") if self.unchanged else ""
        if self.conforms:
            return f"OK: {len(self.files)} file(s) conform / 校验通过{note}"
        counts = ", ".join(f"{n} {k}" for k, n in self.counts().items() if n)
        lines = [p.to_text() for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s): {counts} / 共 {len(self.problems)} 个问题")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Plain data (JSON-ready)."""
        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "files": list(self.files),
            "unchanged": list(self.unchanged),
            "problems": [asdict(p) for p in self.problems],
        }


def _report(problems: list[Problem], files: list[str]) -> Report:
    problems = sorted(set(problems), key=Problem.sort_key)
    return Report(conforms=not problems, problems=problems, files=files)


# ----------------------------------------------------------------------------- bundled files


def bundled_paths() -> list[Path]:
    """TBox and chain templates that user data is validated together with."""
    return ontology_files()


def _tbox_path() -> Path:
    return ontology_dir() / "chaingraph.ttl"


def _shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"


def _checks_dir() -> Path:
    return ontology_dir() / "checks"


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    return g


def _load(path: Path) -> rdflib.Graph:
    return _load_cached(str(path), path.stat().st_mtime)


def tbox_graph() -> rdflib.Graph:
    """The ontology TBox (cached; do not modify)."""
    return _load(_tbox_path())


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes (cached; do not modify)."""
    return _load(_shapes_path())


def check_queries() -> dict[str, str]:
    """``{name: SPARQL}`` for every ``ontology/checks/*-violation.rq``, sorted by name."""
    return {
        p.name.removesuffix(".rq"): p.read_text(encoding="utf-8")
        for p in sorted(_checks_dir().glob("*-violation.rq"))
    }


# ----------------------------------------------------------------------------- locating nodes


class _Locator:
    """Maps nodes to the file and line that first state them (best effort)."""

    def __init__(self) -> None:
        self._files: list[tuple[str, rdflib.Graph, list[str]]] = []
        self._line_cache: dict[tuple[str, rdflib.term.Node], int | None] = {}

    def add(self, name: str, graph: rdflib.Graph, text: str) -> None:
        self._files.append((name, graph, text.splitlines()))

    def locate(self, node, merged: rdflib.Graph) -> tuple[str | None, int | None]:
        anchor = _named_anchor(node, merged)
        for name, g, lines in self._files:
            if (node, None, None) in g:
                return name, self._line(name, g, lines, anchor if anchor is not None else node)
        for name, g, lines in self._files:  # mentioned only as an object
            if anchor is not None and (anchor, None, None) in g:
                return name, self._line(name, g, lines, anchor)
        return None, None

    def _line(self, name, g, lines, node) -> int | None:
        key = (name, node)
        if key not in self._line_cache:
            self._line_cache[key] = _find_line(node, g, lines)
        return self._line_cache[key]


def _named_anchor(node, graph: rdflib.Graph, depth: int = 4):
    """The node itself if it is an IRI, else the nearest IRI that points to the blank node."""
    seen = set()
    while isinstance(node, BNode) and depth > 0 and node not in seen:
        seen.add(node)
        parent = next(iter(graph.subjects(None, node)), None)
        if parent is None:
            return None
        node, depth = parent, depth - 1
    return node if isinstance(node, URIRef) else None


def _find_line(node, g: rdflib.Graph, lines: list[str]) -> int | None:
    if not isinstance(node, URIRef):
        return None
    tokens = [f"<{node}>"]
    for prefix, ns in g.namespaces():
        ns = str(ns)
        if str(node).startswith(ns) and len(str(node)) > len(ns):
            tokens.append(f"{prefix}:{str(node)[len(ns):]}")
    pattern = re.compile(
        "(?:" + "|".join(re.escape(t) for t in tokens) + r")(?=[\s;,.\]\)]|$)"
    )
    first_any = None
    for i, text in enumerate(lines, start=1):
        m = pattern.search(text)
        if not m:
            continue
        if not text[: m.start()].strip():  # the subject of a statement
            return i
        if first_any is None:
            first_any = i
    return first_any


# ----------------------------------------------------------------------------- parts


def _focus_text(node, data: rdflib.Graph, ns_graph: rdflib.Graph) -> str | None:
    """IRIs as ``company:x``; a blank node as ``company:x cg:evidence []`` (its owner)."""
    if isinstance(node, BNode):
        owner = next(iter(data.subject_predicates(node)), None)
        if owner is not None and isinstance(owner[0], URIRef):
            return f"{_short(owner[0], ns_graph)} {_short(owner[1], ns_graph)} []"
    return _short(node, ns_graph)


def _short(node, graph: rdflib.Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # pragma: no cover - defensive: odd IRIs
            return str(node)
    return str(node)


def _path_text(path, results: rdflib.Graph, ns_graph: rdflib.Graph) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _short(path, ns_graph)
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (_path_text(inverse, results, ns_graph) or "?")
    alternative = results.value(path, SH.alternativePath)
    if alternative is not None:
        items = rdflib.collection.Collection(results, alternative)
        return "|".join(_path_text(i, results, ns_graph) or "?" for i in items)
    if (path, RDF.first, None) in results:
        items = rdflib.collection.Collection(results, path)
        return "/".join(_path_text(i, results, ns_graph) or "?" for i in items)
    return "<complex path>"


def _bilingual(messages: list[Literal]) -> str:
    en = sorted(str(m) for m in messages if isinstance(m, Literal) and m.language == "en")
    zh = sorted(str(m) for m in messages if isinstance(m, Literal) and (m.language or "").startswith("zh"))
    rest = sorted(str(m) for m in messages if isinstance(m, Literal) and m.language not in ("en",)
                  and not (m.language or "").startswith("zh"))
    parts = (en[:1] or rest[:1]) + zh[:1]
    return " / ".join(parts) if parts else ""


def _shacl_problems(data: rdflib.Graph, locator: _Locator | None) -> list[Problem]:
    """Run the shapes on ``data`` (a private in-memory graph that already holds the TBox).

    pyshacl's own ``ont_graph`` mixing copies only class/property axioms, not vocabulary
    individuals such as ``cg:HighTech a cg:Tier``, so the caller merges the whole TBox and
    validation runs in place (no clone) without inference.
    """
    import pyshacl  # slow import: only when SHACL actually runs

    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=_load(_shapes_path()),
        inference="none",
        advanced=True,
        inplace=True,
        allow_warnings=False,
        abort_on_first=False,
    )
    if conforms:
        return []
    ns_graph = rdflib.Graph()
    bind_prefixes(ns_graph)
    ns_graph.bind("cgsh", _CGSH)
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        component = results.value(result, SH.sourceConstraintComponent)
        messages = list(results.objects(result, SH.resultMessage))
        message = _bilingual(messages) or f"{_short(component, ns_graph)} violated"
        value = results.value(result, SH.value)
        if value is not None and not isinstance(value, BNode):
            shown = _short(value, ns_graph) if isinstance(value, URIRef) else value.n3(ns_graph.namespace_manager)
            message += f" (value: {shown})"
        file, line = locator.locate(focus, data) if locator else (None, None)
        problems.append(
            Problem(
                kind="shacl",
                file=file,
                line=line,
                focus=_focus_text(focus, data, ns_graph),
                path=_path_text(results.value(result, SH.resultPath), results, ns_graph),
                message=message,
                rule=_short(shape, ns_graph) if isinstance(shape, URIRef) else _short(component, ns_graph),
            )
        )
    return problems


def run_checks(graph: rdflib.Graph) -> list[Problem]:
    """Run every ``ontology/checks/*-violation.rq`` on ``graph``; each row is a problem.

    Works on any rdflib graph (in memory, Oxigraph or a SPARQL endpoint store).
    """
    return _check_problems(graph, None, graph)


def _check_problems(graph: rdflib.Graph, locator: _Locator | None, merged: rdflib.Graph) -> list[Problem]:
    ns_graph = rdflib.Graph()
    bind_prefixes(ns_graph)
    problems = []
    for name, query in check_queries().items():
        fallback = _query_title(query) or name
        for row in graph.query(query):
            focus = row.get("focus") if hasattr(row, "get") else row[0]
            message = row.get("message") if hasattr(row, "get") else row[1]
            file, line = locator.locate(focus, merged) if (locator and focus is not None) else (None, None)
            problems.append(
                Problem(
                    kind="check",
                    file=file,
                    line=line,
                    focus=_focus_text(focus, merged, ns_graph),
                    message=str(message) if message is not None else fallback,
                    rule=name,
                )
            )
    return problems


def _query_title(query: str) -> str | None:
    for ln in query.splitlines():
        if ln.startswith("#") and ln.strip("# ").strip():
            return ln.strip("# ").strip()
    return None


def feeds_cycles(graph: rdflib.Graph, *, max_per_chain: int = _MAX_CYCLES_PER_CHAIN) -> dict[str, list[list[str]]]:
    """Cycles of ``cg:feeds`` inside each chain, as ``{chain IRI: [[segment IRI, ...], ...]}``.

    Self-loops are left to the ``feeds-self-loop`` check and edges between chains to
    ``feeds-cross-chain``.  Each reported cycle has one of its edges removed before searching
    again, so every cycle structure is reported (at most ``max_per_chain`` per chain).
    """
    chain_of: dict[str, str] = {}
    for seg, chain in graph.subject_objects(CG.chain):
        chain_of.setdefault(str(seg), str(chain))
    per_chain: dict[str, nx.DiGraph] = {}
    for a, b in graph.subject_objects(CG.feeds):
        a, b = str(a), str(b)
        ca = chain_of.get(a)
        if a == b or ca is None or chain_of.get(b) != ca:
            continue
        per_chain.setdefault(ca, nx.DiGraph()).add_edge(a, b)
    out: dict[str, list[list[str]]] = {}
    for chain in sorted(per_chain):
        g = per_chain[chain]
        found = []
        while len(found) < max_per_chain:
            try:
                edges = nx.find_cycle(g)
            except nx.NetworkXNoCycle:
                break
            cycle = [u for u, _v in edges]
            k = cycle.index(min(cycle))  # rotate to a canonical start
            found.append(cycle[k:] + cycle[:k])
            g.remove_edge(*edges[-1][:2])
        if found:
            out[chain] = sorted(found)
    return out


def _cycle_problems(graph: rdflib.Graph, locator: _Locator | None) -> list[Problem]:
    ns_graph = rdflib.Graph()
    bind_prefixes(ns_graph)
    problems = []
    for chain, cycles in feeds_cycles(graph).items():
        for cycle in cycles:
            names = [_short(URIRef(s), ns_graph) for s in cycle]
            loop = " -> ".join(names + names[:1])
            file, line = locator.locate(URIRef(cycle[0]), graph) if locator else (None, None)
            problems.append(
                Problem(
                    kind="cycle",
                    file=file,
                    line=line,
                    focus=names[0],
                    path="cg:feeds",
                    message=(
                        f"cg:feeds cycle in chain {_short(URIRef(chain), ns_graph)}: {loop}"
                        f" / 产业链环节供给关系成环：{loop}"
                    ),
                    rule="cg:feeds",
                )
            )
    return problems


def _plain(o):
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (Oxigraph returns the explicit form,
    which rdflib does not equate with the plain one, so ``sh:in ( "coarse" )`` would fail)."""
    if isinstance(o, Literal) and o.datatype == XSD.string:
        return Literal(str(o))
    return o


def _validate(graph, locator, *, shacl: bool, checks: bool, cycles: bool) -> list[Problem]:
    problems: list[Problem] = []
    if shacl:
        problems += _shacl_problems(graph, locator)
    if checks:
        problems += _check_problems(graph, locator, graph)
    if cycles:
        problems += _cycle_problems(graph, locator)
    return problems


# ----------------------------------------------------------------------------- entry points


def validate_graph(
    graph: rdflib.Graph, *, shacl: bool = True, checks: bool = True, cycles: bool = True
) -> Report:
    """Validate an already loaded graph (SHACL, SPARQL checks, feeds cycles).

    SHACL runs on an in-memory copy with the TBox added when the graph lacks it (so any
    store works, and ``graph`` is never modified); checks and cycles run on ``graph`` itself.
    Problems carry no file or line.
    """
    problems: list[Problem] = []
    if shacl:
        data = rdflib.Graph()
        for s, p, o in graph:
            data.add((s, p, _plain(o)))
        if (CG.Company, RDF.type, OWL.Class) not in data:
            data += _load(_tbox_path())
        problems += _shacl_problems(data, None)
    if checks:
        problems += _check_problems(graph, None, graph)
    if cycles:
        problems += _cycle_problems(graph, None)
    return _report(problems, [])


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*.ttl") if q.is_file())
        else:
            out.append(p)
    return out


def _syntax_problem(path: Path, exc: Exception) -> Problem:

    reason = getattr(exc, "_why", None)
    if not reason:
        text = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
        bad = [ln for ln in text if ln.startswith("Bad syntax")]
        reason = (bad or text or [type(exc).__name__])[0]
    return Problem(
        kind="syntax",
        file=str(path),
        line=parse_error_line(exc),
        message=f"malformed Turtle: {reason} / Turtle 语法错误",
        rule="turtle",
    )


#: an unchanged file at least this big is not re-read in full (see :func:`validate_paths`)
BIG_FILE = 1_000_000


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def rules_digest() -> str:
    """Hash of what decides a verdict: TBox, chain templates, shapes, SPARQL checks, this module."""
    h = hashlib.sha256()
    for p in [*bundled_paths(), _shapes_path(), *sorted(_checks_dir().glob("*.rq")), Path(__file__)]:
        h.update(p.read_bytes())
    return h.hexdigest()


def _read_record(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return rec if isinstance(rec, dict) and rec.get("rules") == rules_digest() else {}


def _write_record(path: Path, digests: dict[str, str | None]) -> None:
    """Record the files of a clean validation (atomically; a failure to write only costs time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"rules": rules_digest(), "files": digests}, ensure_ascii=False, indent=0),
                       encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def _key(p: Problem) -> tuple:
    return (p.kind, p.focus, p.path, p.rule, p.message)


def _referenced(path: Path, wanted: set[str]) -> rdflib.Graph:
    """The statements of ``path`` about the IRIs in ``wanted`` and about every node of the file they
    lead to (blank nodes, sources, products…), read with pyoxigraph: the part of an unchanged
    big file that the re-read files refer to."""
    import pyoxigraph

    by_subject: dict = {}
    with path.open("rb") as f:
        for t in pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            by_subject.setdefault(t.subject, []).append(t)

    def term(x):
        if isinstance(x, pyoxigraph.NamedNode):
            return URIRef(x.value)
        if isinstance(x, pyoxigraph.BlankNode):
            return BNode(f"v{x.value}")
        dt = URIRef(x.datatype.value) if x.datatype and not x.language else None
        return Literal(x.value, lang=x.language, datatype=None if x.language or dt == XSD.string else dt)

    out = rdflib.Graph()
    todo = [s for s in by_subject if isinstance(s, pyoxigraph.NamedNode) and s.value in wanted]
    seen = set()
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for t in by_subject.get(s, []):
            out.add((term(t.subject), term(t.predicate), term(t.object)))
            if t.object in by_subject:
                todo.append(t.object)
    return out


def _conflict_problems(files: list[Path], problems: list[Problem]) -> list[Problem]:
    """``problems`` plus one ``conflict`` per value a user file gives a bundled subject for a
    single-valued property; a SHACL problem about the same subject and property (``sh:maxCount``)
    is located in the user file too, not in the bundled file that first states the subject."""
    from chaingraph.store.conflicts import find_conflicts, split_files
    from chaingraph.store import bundled_files

    _, user = split_files(files)
    if not user:
        return problems
    found = find_conflicts(bundled_files(), user)
    where = {}
    out = []
    for c in found:
        focus, path = _short_iri(c.subject), _short_iri(c.property)
        where.setdefault((focus, path), (c.user_file, c.user_line))
        bline = f"{c.bundled_file}:{c.bundled_line}" if c.bundled_line else c.bundled_file
        out.append(Problem(kind="conflict", file=c.user_file, line=c.user_line, focus=focus, path=path,
                           message=f"user data gives {c.user_value} where the bundled data says "
                                   f"{', '.join(c.bundled_values)} ({bline}) / 用户数据与内置数据矛盾",
                           rule="bundled-data"))
    for p in problems:
        if p.kind == "shacl" and (p.focus, p.path) in where:
            file, line = where[(p.focus, p.path)]
            p = replace(p, file=file, line=line)
        out.append(p)
    return out


def _short_iri(iri: str) -> str:
    g = rdflib.Graph()
    bind_prefixes(g)
    try:
        return g.namespace_manager.normalizeUri(URIRef(iri))
    except Exception:  # pragma: no cover
        return f"<{iri}>"


def validate_paths(
    paths: list[Path],
    *,
    with_bundled: bool = True,
    shacl: bool = True,
    checks: bool = True,
    cycles: bool = True,
    record: Path | None = None,
    progress=None,
) -> Report:
    """Validate Turtle files (directories are searched for ``*.ttl``).

    Each file is parsed on its own, so a syntax error names its file and line; unreadable or
    missing files are problems, not exceptions.  The files are then validated together with
    the bundled TBox and chain templates (``bundled_paths()``, unless ``with_bundled=False``)
    so classes and segments resolve.  Graph-level validation is skipped when a file fails to
    parse (its triples would be missing and give misleading results).

    With ``record`` (a JSON file), a clean validation records each file's content hash (and
    the rules' hash).  Next time, when nothing changed the report says so at once; otherwise a
    big file (``BIG_FILE`` bytes or more, such as a candidate pool) that is unchanged since a
    clean validation is not parsed and validated again: only its statements about what the
    re-read files refer to are loaded, so references resolve.  Report.unchanged lists them.
    ``progress`` (a callable taking a message) hears about each step that takes over a second.
    """
    from chaingraph.progress import announced

    user = _expand(list(paths))
    files: list[Path] = []
    seen: set[Path] = set()
    for p in (bundled_paths() if with_bundled else []) + user:
        key = p.resolve() if p.exists() else p.absolute()
        if key not in seen:
            seen.add(key)
            files.append(p)

    digests = {str(p.resolve()): _digest(p) for p in files}
    known = _read_record(record).get("files", {})
    same = {p for p in files if digests[str(p.resolve())] and known.get(str(p.resolve())) == digests[str(p.resolve())]}
    if record is not None and same and len(same) == len(files):
        return Report(conforms=True, files=[str(p) for p in files], unchanged=[str(p) for p in files])
    bundled = set(bundled_paths()) if with_bundled else set()  # the TBox and chain templates: always read
    skipped = [p for p in files if p in same and p not in bundled and p.stat().st_size >= BIG_FILE]

    merged = rdflib.Graph()
    bind_prefixes(merged)
    bundled_graph = rdflib.Graph()
    bind_prefixes(bundled_graph)
    locator = _Locator()
    problems: list[Problem] = []
    for path in files:
        if path in skipped:
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            problems.append(Problem(kind="syntax", file=str(path), message="file not found / 文件不存在", rule="io"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            problems.append(
                Problem(kind="syntax", file=str(path), message=f"cannot read file: {reason} / 无法读取文件", rule="io")
            )
            continue
        g = rdflib.Graph()
        try:
            with announced(progress, f"reading {path.name} ({path.stat().st_size / 1e6:.1f} MB)…"):
                g.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises many parser exception types
            problems.append(_syntax_problem(path, exc))
            continue
        locator.add(str(path), g, text)
        merged += g
        if path in bundled:
            bundled_graph += g

    if not problems:
        pulled = rdflib.Graph()
        for path in skipped:
            wanted = {str(o) for o in merged.objects() if isinstance(o, URIRef)}
            with announced(progress, f"{path.name} unchanged since its last clean validation: "
                                     "reading only what the other files refer to…"):
                pulled += _referenced(path, wanted)
        if shacl and (CG.Company, RDF.type, OWL.Class) not in merged:
            merged += _load(_tbox_path())
        with announced(progress, f"validating {len(merged) + len(pulled):,} statements (SHACL, SPARQL checks, cycles)…"):
            merged += pulled
            problems = _validate(merged, locator, shacl=shacl, checks=checks, cycles=cycles)
            if len(pulled) and problems:
                # what the unread rest of a skipped file would have settled: the same problems
                # show up when the part read from it is validated alone with the bundled files
                alone = rdflib.Graph()
                bind_prefixes(alone)
                alone += pulled
                alone += bundled_graph
                if shacl and (CG.Company, RDF.type, OWL.Class) not in alone:
                    alone += _load(_tbox_path())
                context = {_key(p) for p in _validate(alone, None, shacl=shacl, checks=checks, cycles=cycles)}
                problems = [p for p in problems if _key(p) not in context]
    if with_bundled and not any(p.kind == "syntax" for p in problems):
        problems = _conflict_problems(files, problems)
    report = _report(problems, [str(p) for p in files])
    report.unchanged = [str(p) for p in skipped]
    if record is not None and report.conforms:
        _write_record(record, digests)
    return report
