"""What the two imports of a user's firm list share (:mod:`~chaingraph.pool.csv_import`, the
English-column CSV, and :mod:`~chaingraph.pool.enterprise`, the enterprise-information export).

Both read a file row by row, check each row (a bad row is reported by its number, with the
reason and the row's text), find the firms the graph already has by any of their names, and
write one Turtle file per imported path: a ``cg:Source`` for the file, per good row one named
evidence node quoting the row, the firm, its segment links and the products met.  The steps
they share are here; what each file format means is in its own module.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from chaingraph.lookup import name_key
from chaingraph.pool.turtle import Link, PREFIXES, links_turtle, lit, products_turtle, statement, write_atomic

#: tier words a list may use -> local name of the cg tier
TIERS = {
    "链主": "ChainLeader", "链主企业": "ChainLeader", "上市": "Listed", "上市企业": "Listed", "上市公司": "Listed",
    "500强": "Fortune500", "世界500强": "Fortune500", "中国500强": "China500", "民营500强": "China500",
    "专精特新": "SpecializedSME", "专精特新企业": "SpecializedSME", "小巨人": "LittleGiant",
    "专精特新小巨人": "LittleGiant", "高新技术企业": "HighTech", "高新": "HighTech", "高企": "HighTech",
    "规上": "AboveScale", "规模以上企业": "AboveScale", "规模以上": "AboveScale",
}
_SPLIT = re.compile(r"[；;、]")
_NAME_BAD = re.compile(r"[^\w\u3400-\u9fff.()（）-]+")


def split(value: str | None) -> list[str]:
    """Split a multi-value cell on ；/;/、 (blanks dropped)."""
    return [v.strip() for v in _SPLIT.split(value or "") if v.strip()]


def display_name(path: Path) -> str:
    """The file name as safe one-line text: undecodable bytes replaced, control characters
    (newlines included) shown as ``?``.

    >>> display_name(Path("a\\nb.csv"))
    'a?b.csv'
    """
    name = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", "?", name)


def file_key(path: Path) -> str:
    """``<stem>-<hash of the absolute path>``: the name of this file's import, so two lists with
    the same name in different folders never replace each other, and re-importing a file
    replaces its own earlier import.

    >>> file_key(Path("/a/名单.csv")) != file_key(Path("/b/名单.csv"))
    True
    """
    stem = _NAME_BAD.sub("_", display_name(path).rsplit(".", 1)[0]).strip("._") or "import"
    where = str(path.resolve()).encode("utf-8", "surrogateescape")
    return f"{stem[:60]}-{hashlib.sha1(where).hexdigest()[:8]}"


def import_target(path: Path, out_dir) -> Path:
    """The Turtle file an import of ``path`` writes (in ``out_dir``, see :func:`file_key`)."""
    return Path(out_dir) / f"{file_key(path)}.ttl"


class NameIndex:
    """Firms already in the graph by the keys of their names (:func:`~chaingraph.lookup.name_key`,
    so across scripts), for entity resolution.

    >>> ix = NameIndex({"company:a": ["顺络电子"], "company:b": ["順絡電子", "乙"], "company:c": ["丙"]})
    >>> sorted(ix.matches(["顺络电子"])), ix.resolve(["丙", None]), ix.resolve(["顺络电子"])
    (['company:a', 'company:b'], 'company:c', None)
    """

    def __init__(self, known: dict[str, list[str]] | None):
        self._firms: dict[str, set[str]] = {}
        for firm, names in (known or {}).items():
            for n in names:
                if n:
                    self._firms.setdefault(name_key(n), set()).add(firm)

    def matches(self, names) -> set[str]:
        """Every firm bearing one of ``names`` (blank names ignored)."""
        found: set[str] = set()
        for n in names:
            if n:
                found |= self._firms.get(name_key(n), set())
        return found

    def resolve(self, names) -> str | None:
        """The one firm bearing one of ``names``; None when none does, or several do."""
        found = self.matches(names)
        return sorted(found)[0] if len(found) == 1 else None


def segments_by_code(segments: list[dict]) -> dict[str, list[str]]:
    """``{industry code: [segment IRI…]}`` from the segments' ``codes``."""
    by_code: dict[str, list[str]] = {}
    for s in segments:
        for c in s.get("codes", []):
            by_code.setdefault(str(c), []).append(s["iri"])
    return by_code


@dataclass
class CheckedRow:
    """A good row of a list: where it stands in the file, its cells by field, what it links to."""

    row: int  # as the file shows it (the header is row 1)
    start: int  # character offsets of the row in the decoded file
    end: int
    text: str  # the row as written: the evidence quote
    rec: dict[str, str]  # field -> stripped cell
    links: list[Link]  # sorted
    tiers: list[str]  # sorted local names of cg tiers


def bad_row(row: int, reason: str, text: str) -> dict:
    """A bad row as the import reports it."""
    return {"row": row, "reason": reason, "text": text}


def new_report(path: Path, encoding: str, good: list, bad: list[dict], **extra) -> dict:
    """The import's report before anything is written (``written`` None, no firms)."""
    return {"file": str(path), "encoding": encoding, "rows": len(good) + len(bad), "imported": 0,
            "bad": bad, "written": None, "firms": [], **extra}


def source_turtle(slug: str, shown: str, data: bytes) -> str:
    """The ``cg:Source`` of an imported file: its name and the SHA-256 of its bytes."""
    return statement([
        f"src:{slug} a cg:Source", f"rdfs:label {lit(shown)}", f"dcterms:title {lit(shown)}",
        f"cg:fileName {lit(shown, None)}", f'cg:sha256 "{hashlib.sha256(data).hexdigest()}"',
    ]) + "\n"


def evidence_turtle(ev: str, source: str, row: CheckedRow) -> str:
    """The named evidence node quoting ``row``.  The row is quoted once and every fact from it
    points here (a blank node per fact repeated the whole row, e.g. a long 经营范围, for each
    segment link: output grew as row length x links)."""
    return (f"{ev} a cg:Evidence ; cg:source src:{source} ; cg:quote {lit(row.text)} ;"
            f" cg:start {row.start} ; cg:end {row.end} .\n")


def firm_turtle(row: CheckedRow, firm: str, parts: list[str], slug: str, ev: str, products: dict) -> tuple[str, list[str]]:
    """The firm's statement (``parts`` plus its links and evidence) and its segment links, after
    a ``# row N`` comment; and the firm's segments.  Products met go into ``products``."""
    link_parts, segs, link_blocks = links_turtle(firm, slug, row.links, ev, products)
    text = f"# row {row.row}\n" + statement(parts + link_parts + [f"cg:evidence {ev}"]) + "".join(link_blocks) + "\n"
    return text, segs


def write_import(report: dict, target: Path, head: list[str], good: list[CheckedRow],
                 firm_turtle: Callable[[CheckedRow, dict], tuple[list[str], dict]]) -> dict:
    """Write an import's Turtle atomically: ``head`` (comment, prefixes, source), then per good
    row what ``firm_turtle(row, products)`` gives (Turtle blocks, the row's entry in the
    report), then the products gathered.  Returns ``report`` completed (written, imported, firms)."""
    products: dict[str, dict] = {}
    blocks: list[str] = []
    for g in good:
        firm_blocks, firm = firm_turtle(g, products)
        blocks += firm_blocks
        report["firms"].append(firm)
    write_atomic(target, "".join([*head, *blocks, *products_turtle(products)]))
    report["written"] = str(target)
    report["imported"] = len(good)
    return report


def head_turtle(comment: str, source: str, extra_prefixes: str = "\n") -> list[str]:
    """The top of an import's file: a comment line, the prefixes, the file's source."""
    return [comment, PREFIXES, extra_prefixes, source]
