"""User data that contradicts bundled data: a firm's park, full name, label… changed by a user file.

A user file (``$CHAINGRAPH_HOME/data``, ``--data DIR``, an imported CSV, a merged staging graph)
may say something new about a bundled firm; that is its purpose.  It may also give a bundled
subject another value for a property that holds *one* value — the graph then holds both, and the
analyses silently pick one.  :func:`find_conflicts` lists those, each with the user file and line
and the bundled file and line, so the CLI can warn and ``validate`` can blame the user file.

Single-valued properties come from the ontology and shapes: ``owl:FunctionalProperty`` and every
``sh:path`` with ``sh:maxCount 1``; ``rdfs:label`` counts as one value per language (the shapes'
``sh:uniqueLang``).  ``cg:park`` is compared too: the shapes allow a firm several parks (a group
with plants in two parks), but a user file giving a bundled firm a park the bundled data does not
is a move, not an addition, far more often — worth a warning, never an error elsewhere.

Plain data only: the library never prints.  Files are read with Oxigraph's parser (fast);
lines are located best effort (the subject's statement, then the property within it).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from chaingraph.store.files import bundled_files, bundled_pool_files, ontology_dir, turtle_input

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_OWL_FUNCTIONAL = "http://www.w3.org/2002/07/owl#FunctionalProperty"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SH = "http://www.w3.org/ns/shacl#"
_CG = "https://w3id.org/chaingraph/ns#"
ALSO_COMPARED = (_CG + "park",)
"""Compared although the shapes allow several values (see the module text)."""

MAX_WARNINGS = 10
"""Conflicts the CLI names one by one; the rest are counted."""


@dataclass(frozen=True)
class Conflict:
    """A bundled subject given another value for a single-valued property by a user file."""

    subject: str
    property: str
    user_value: str
    bundled_values: tuple[str, ...]
    user_file: str
    user_line: int | None
    bundled_file: str
    bundled_line: int | None

    def to_text(self) -> str:
        """One line: ``user:line: <s> <p> "new" contradicts bundled:line ("old")``."""
        def where(f, n):
            return f"{f}:{n}" if n else f
        old = ", ".join(self.bundled_values)
        return (f"{where(self.user_file, self.user_line)}: {_short(self.subject)} {_short(self.property)} "
                f"{self.user_value} contradicts the bundled {old} at {where(self.bundled_file, self.bundled_line)}"
                f" / 用户数据与内置数据矛盾")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["bundled_values"] = list(self.bundled_values)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Conflict":
        return cls(**{**d, "bundled_values": tuple(d.get("bundled_values") or ())})


_PREFIXES = {
    "https://w3id.org/chaingraph/ns#": "cg:",
    "https://w3id.org/chaingraph/id/": "",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
}


def _short(iri: str) -> str:
    for ns, p in _PREFIXES.items():
        if iri.startswith(ns):
            rest = iri[len(ns):]
            return p + rest.replace("/", ":", 1) if not p else p + rest
    return f"<{iri}>"


def _quads(path: Path):
    with turtle_input(path) as source:
        yield from ox.parse(**source, format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri())


def single_valued(tbox: Path, shapes: Path) -> set[str]:
    """IRIs of the properties that hold one value: functional in the TBox, ``sh:maxCount 1`` in
    the shapes, plus :data:`ALSO_COMPARED` (``rdfs:label`` is handled per language)."""
    out = set(ALSO_COMPARED)
    for q in _quads(tbox):
        if q.predicate.value == _RDF_TYPE and q.object.value == _OWL_FUNCTIONAL and isinstance(q.subject, ox.NamedNode):
            out.add(q.subject.value)
    paths: dict = {}
    one: set = set()
    for q in _quads(shapes):
        if q.predicate.value == _SH + "path" and isinstance(q.object, ox.NamedNode):
            paths[q.subject] = q.object.value
        elif q.predicate.value == _SH + "maxCount" and q.object.value == "1":
            one.add(q.subject)
    out.update(paths[s] for s in one if s in paths)
    out.add(RDFS_LABEL)
    return out


def _key_value(q) -> tuple[tuple[str, str], str] | None:
    """((subject, property[@lang]), value text) for an IRI subject; None otherwise."""
    if not isinstance(q.subject, ox.NamedNode):
        return None
    prop = q.predicate.value
    o = q.object
    if isinstance(o, ox.BlankNode):
        return None
    if isinstance(o, ox.Literal):
        if prop == RDFS_LABEL:
            prop = f"{prop}@{o.language or ''}"
        return (q.subject.value, prop), f'"{o.value}"'
    return (q.subject.value, prop), _short(o.value)


def find_conflicts(bundled: Iterable[Path], user: Iterable[Path], *, tbox: Path | None = None,
                   shapes: Path | None = None) -> list[Conflict]:
    """Every value a ``user`` file gives a subject of the ``bundled`` files for a single-valued
    property that differs from the bundled value(s); ordered by user file and line.

    Unreadable or malformed files are skipped here: loading and ``validate`` report them.
    """
    finder = ConflictFinder(bundled, user, tbox=tbox, shapes=shapes)
    for path in finder.bundled:
        for q in _safe_quads(path):
            finder.bundled_quad(q, path)
    for path in finder.user:
        for q in _safe_quads(path):
            finder.user_quad(q, path)
    return finder.conflicts()


class ConflictFinder:
    """:func:`find_conflicts` fed one quad at a time: every quad of the bundled files
    (:meth:`bundled_quad`), then of the user files (:meth:`user_quad`).  Also a
    :class:`chaingraph.store.scan.Reader`, so a build finds the contradictions in the pass over
    the files that runs beside its bulk load instead of parsing the files again."""

    def __init__(self, bundled: Iterable[Path], user: Iterable[Path], *, tbox: Path | None = None,
                 shapes: Path | None = None):
        onto = ontology_dir()
        self.props = single_valued(tbox or onto / "chaingraph.ttl", shapes or onto / "shapes.ttl")
        self.bundled = [Path(p) for p in bundled]
        self.user = [Path(p) for p in user]
        self.known: dict[tuple[str, str], tuple[set[str], Path]] = {}
        self.found: dict[tuple, tuple] = {}
        self.subjects: set[str] = set()  # the subjects of known
        self._role = {**{p: self.user_quad for p in self.user}, **{p: self.bundled_quad for p in self.bundled}}
        self._left = set(self.bundled)
        self._later: list | None = None  # user quads seen before the last bundled file

    def bundled_quad(self, q, path: Path) -> None:
        kv = _key_value(q)
        if kv is not None and kv[0][1].split("@")[0] in self.props:
            self.known.setdefault(kv[0], (set(), Path(path)))[0].add(kv[1])
            self.subjects.add(kv[0][0])

    def user_quad(self, q, path: Path) -> None:
        if q.subject.value not in self.subjects:  # most user subjects are not bundled ones
            return
        kv = _key_value(q)
        if kv is None or kv[0] not in self.known:
            return
        values, where = self.known[kv[0]]
        if kv[1] not in values:
            self.found.setdefault((kv[0], kv[1]), (Path(path), where, values))

    def conflicts(self) -> list[Conflict]:
        out = []
        lines = _LineFinder()
        for ((subject, prop), value), (upath, bpath, values) in self.found.items():
            bare = prop.split("@")[0]
            out.append(Conflict(subject, bare, value, tuple(sorted(values)), str(upath),
                                lines.find(upath, subject, bare), str(bpath), lines.find(bpath, subject, bare)))
        return sorted(out, key=lambda c: (c.user_file, c.user_line or 0, c.subject, c.property, c.user_value))

    # -- as a chaingraph.store.scan.Reader: the files in any order, each quad once

    def handlers(self, path: Path) -> dict:
        path = Path(path)
        role = self._role.get(path)
        if role is None:
            return {}
        if role == self.bundled_quad:
            self._left.discard(path)
            fn = lambda q: self.bundled_quad(q, path)  # noqa: E731
        elif self._left or self._later is not None:  # a bundled file still to come: match at the end
            if self._later is None:
                self._later = []
            keep = self._later.append
            fn = lambda q: keep((q, path))  # noqa: E731
        else:
            fn = lambda q: self.user_quad(q, path)  # noqa: E731
        return {p: fn for p in self.props}

    def finish(self) -> None:
        for q, path in self._later or ():
            self.user_quad(q, path)
        self._later = None


def _safe_quads(path):
    try:
        yield from _quads(Path(path))
    except (SyntaxError, OSError, Exception):  # reported by the loader / validate, not here
        return


class _LineFinder:
    """The line of ``property`` within the statement about ``subject`` (best effort).

    Each file is read once and its statement starts (a name at the start of a line) indexed, so
    a conflict costs the lines of its subject's statements, not a scan of the file."""

    _START = re.compile(r"(<[^<>\s]*>|[^\s<>\"'^;,()\[\]]+)(?=[\s;,.\]\)]|$)")

    def __init__(self):
        self._text: dict[Path, tuple[list[str], dict[str, str], dict[str, list[int]]]] = {}

    def _read(self, path: Path):
        if path not in self._text:
            try:
                lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
            except OSError:
                lines = []
            prefixes, starts = {}, {}
            for i, ln in enumerate(lines):
                m = re.match(r"\s*@?prefix\s+([\w-]*):\s*<([^>]*)>", ln, re.I)
                if m:
                    prefixes[m.group(2)] = m.group(1)
                m = self._START.match(ln.lstrip())
                if m:
                    starts.setdefault(m.group(1), []).append(i)
            self._text[path] = (lines, prefixes, starts)
        return self._text[path]

    def find(self, path: Path, subject: str, prop: str) -> int | None:
        lines, prefixes, starts = self._read(Path(path))

        def tokens(iri):
            out = [f"<{iri}>"]
            for ns, p in prefixes.items():
                if iri.startswith(ns) and len(iri) > len(ns):
                    out.append(f"{p}:{iri[len(ns):]}")
            if iri == RDFS_LABEL and not any(t.endswith(":label") for t in out):
                out.append("rdfs:label")
            return out

        subj_at = sorted({i for t in tokens(subject) for i in starts.get(t, ())})
        pred = re.compile("(?:" + "|".join(re.escape(t) for t in tokens(prop)) + r")(?=[\s;,.\]\)]|$)")
        for n, i in enumerate(subj_at):
            rest = lines[i].lstrip()
            if pred.search(rest[self._START.match(rest).end():]):
                return i + 1
            end = subj_at[n + 1] if n + 1 < len(subj_at) else len(lines)
            for j in range(i + 1, end):
                if pred.search(lines[j]):
                    return j + 1
        return subj_at[-1] + 1 if subj_at else None


def warning_lines(conflicts: list[Conflict], limit: int = MAX_WARNINGS) -> list[str]:
    """One ``warning:`` line per conflict, at most ``limit``, then a count of the rest."""
    out = [f"warning: {c.to_text()}" for c in conflicts[:limit]]
    if len(conflicts) > limit:
        out.append(f"warning: … and {len(conflicts) - limit} more contradiction(s) of bundled data by user data "
                   f"(`chaingraph validate` lists them all) / 另有 {len(conflicts) - limit} 处")
    return out


def split_files(files: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(bundled, user) among ``files``: bundled = the ontology, chain templates and bundled data;
    the shipped pool is neither (a user's own pool replaces it); everything else is user data."""
    base = {Path(p).resolve() for p in bundled_files()}
    pool = {Path(p).resolve() for p in bundled_pool_files()}
    bundled, user = [], []
    for f in files:
        r = Path(f).resolve()
        if r in base:
            bundled.append(Path(f))
        elif r not in pool:
            user.append(Path(f))
    return bundled, user


def conflicts_in(files: Iterable[Path]) -> list[Conflict]:
    """:func:`find_conflicts` between the bundled and the user files among ``files``."""
    bundled, user = split_files(files)
    if not user or not bundled:
        return []
    return find_conflicts(bundled, user)
