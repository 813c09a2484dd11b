"""What a validation finds: :class:`Problem` (one finding, located) and :class:`Report` (all of them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

KINDS = ("syntax", "conflict", "shacl", "check", "cycle")
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


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

    def same_finding(self) -> tuple:
        """What the problem says, wherever it is located (``kind, focus, path, rule, message``)."""
        return (self.kind, self.focus, self.path, self.rule, self.message)

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


def make_report(problems: list[Problem], files: list[str]) -> Report:
    """The report of ``problems`` (duplicates dropped, in :meth:`Problem.sort_key` order)."""
    problems = sorted(set(problems), key=Problem.sort_key)
    return Report(conforms=not problems, problems=problems, files=files)
