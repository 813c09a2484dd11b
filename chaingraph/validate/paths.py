"""Validate Turtle files: each parsed on its own (a syntax error names its file and line), then
all of them together with the bundled TBox and chain templates, problems located in the files.

:func:`validate_paths` runs these steps: gather the files, plan what a record of the last clean
validation lets us skip, read the files, validate the merged graph, then name the conflicts with
bundled data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import rdflib
from rdflib import URIRef

from chaingraph.namespaces import bind_prefixes
from chaingraph.progress import announced
from chaingraph.store import bundled_files, parse_error_line
from chaingraph.store.conflicts import find_conflicts, split_files
from chaingraph.validate.graph import all_problems, has_tbox
from chaingraph.validate.locate import Locator, short_iri
from chaingraph.validate.problems import Problem, Report, make_report
from chaingraph.validate.record import digest, read_record, referenced, write_record
from chaingraph.validate.rules import bundled_paths, tbox_graph

#: an unchanged file at least this big is not re-read in full (see :func:`validate_paths`)
BIG_FILE = 1_000_000


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
    files = _gather(paths, with_bundled)
    plan = _plan(files, record, with_bundled)
    if record is not None and plan.unchanged and len(plan.unchanged) == len(files):
        return Report(conforms=True, files=[str(p) for p in files], unchanged=[str(p) for p in files])
    reading = _read_files(files, plan, progress)
    problems = reading.problems
    if not problems:
        problems = _graph_problems(reading, plan.skipped, shacl=shacl, checks=checks, cycles=cycles, progress=progress)
    if with_bundled and not any(p.kind == "syntax" for p in problems):
        problems = _with_conflicts(files, problems)
    report = make_report(problems, [str(p) for p in files])
    report.unchanged = [str(p) for p in plan.skipped]
    if record is not None and report.conforms:
        write_record(record, plan.digests)
    return report


def _gather(paths: list[Path], with_bundled: bool) -> list[Path]:
    """The bundled files (unless not wanted), then the given ones, folders searched for ``*.ttl``;
    each file once."""
    user: list[Path] = []
    for p in map(Path, paths):
        user += sorted(q for q in p.rglob("*.ttl") if q.is_file()) if p.is_dir() else [p]
    files: list[Path] = []
    seen: set[Path] = set()
    for p in (bundled_paths() if with_bundled else []) + user:
        key = p.resolve() if p.exists() else p.absolute()
        if key not in seen:
            seen.add(key)
            files.append(p)
    return files


@dataclass
class _Plan:
    """What the record of the last clean validation saves."""

    digests: dict[str, str | None]                   # resolved path -> content hash now
    unchanged: set[Path]                             # files whose hash is the recorded one
    bundled: set[Path] = field(default_factory=set)  # TBox and chain templates: always read
    skipped: list[Path] = field(default_factory=list)  # big unchanged files: read in part only


def _plan(files: list[Path], record: Path | None, with_bundled: bool) -> _Plan:
    digests = {str(p.resolve()): digest(p) for p in files}
    known = read_record(record).get("files", {})
    unchanged = {p for p in files if digests[str(p.resolve())] and known.get(str(p.resolve())) == digests[str(p.resolve())]}
    bundled = set(bundled_paths()) if with_bundled else set()
    skipped = [p for p in files if p in unchanged and p not in bundled and p.stat().st_size >= BIG_FILE]
    return _Plan(digests, unchanged, bundled, skipped)


@dataclass
class _Reading:
    """The files read: all statements, those of the bundled files, where each node is stated,
    and the files that could not be read or parsed."""

    merged: rdflib.Graph
    bundled_graph: rdflib.Graph
    locator: Locator
    problems: list[Problem]


def _read_files(files: list[Path], plan: _Plan, progress) -> _Reading:
    """Parse every file but the skipped ones, each on its own; a file that cannot be read or
    parsed is a ``syntax`` problem naming it (and the parser's line)."""
    reading = _Reading(rdflib.Graph(), rdflib.Graph(), Locator(), [])
    bind_prefixes(reading.merged)
    bind_prefixes(reading.bundled_graph)
    for path in files:
        if path in plan.skipped:
            continue
        text = _read_text(path, reading.problems)
        if text is None:
            continue
        g = rdflib.Graph()
        try:
            with announced(progress, f"reading {path.name} ({path.stat().st_size / 1e6:.1f} MB)…"):
                g.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises many parser exception types
            reading.problems.append(_syntax_problem(path, exc))
            continue
        reading.locator.add(str(path), g, text)
        reading.merged += g
        if path in plan.bundled:
            reading.bundled_graph += g
    return reading


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text (UTF-8), or ``None`` with an ``io`` problem added."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        problems.append(Problem(kind="syntax", file=str(path), message="file not found / 文件不存在", rule="io"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        problems.append(
            Problem(kind="syntax", file=str(path), message=f"cannot read file: {reason} / 无法读取文件", rule="io")
        )
    return None


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


def _graph_problems(reading: _Reading, skipped: list[Path], *, shacl: bool, checks: bool, cycles: bool,
                    progress) -> list[Problem]:
    """SHACL, checks and cycles on everything read plus what the files refer to in the skipped
    ones; problems that the skipped files' unread rest would have settled are dropped."""
    merged = reading.merged
    pulled = rdflib.Graph()
    for path in skipped:
        wanted = {str(o) for o in merged.objects() if isinstance(o, URIRef)}
        with announced(progress, f"{path.name} unchanged since its last clean validation: "
                                 "reading only what the other files refer to…"):
            pulled += referenced(path, wanted)
    if shacl and not has_tbox(merged):
        merged += tbox_graph()
    with announced(progress, f"validating {len(merged) + len(pulled):,} statements (SHACL, SPARQL checks, cycles)…"):
        merged += pulled
        problems = all_problems(merged, reading.locator, shacl=shacl, checks=checks, cycles=cycles)
        if len(pulled) and problems:
            # what the unread rest of a skipped file would have settled: the same problems
            # show up when the part read from it is validated alone with the bundled files
            alone = rdflib.Graph()
            bind_prefixes(alone)
            alone += pulled
            alone += reading.bundled_graph
            if shacl and not has_tbox(alone):
                alone += tbox_graph()
            context = {p.same_finding() for p in all_problems(alone, None, shacl=shacl, checks=checks, cycles=cycles)}
            problems = [p for p in problems if p.same_finding() not in context]
    return problems


def _with_conflicts(files: list[Path], problems: list[Problem]) -> list[Problem]:
    """``problems`` plus one ``conflict`` per value a user file gives a bundled subject for a
    single-valued property; a SHACL problem about the same subject and property (``sh:maxCount``)
    is located in the user file too, not in the bundled file that first states the subject."""
    _, user = split_files(files)
    if not user:
        return problems
    where = {}
    out = []
    for c in find_conflicts(bundled_files(), user):
        focus, path = short_iri(c.subject), short_iri(c.property)
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
