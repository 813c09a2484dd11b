"""The record of a clean validation (each file's content hash, and the rules' hash) and the
partial read of a big file unchanged since then (only what the re-read files refer to)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from chaingraph.validate.rules import rules_digest


def digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes (``None`` when it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def read_record(path: Path | None) -> dict:
    """The record at ``path`` if it was made under the current rules, else ``{}``."""
    if path is None:
        return {}
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return rec if isinstance(rec, dict) and rec.get("rules") == rules_digest() else {}


def write_record(path: Path, digests: dict[str, str | None]) -> None:
    """Record the files of a clean validation (atomically; a failure to write only costs time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"rules": rules_digest(), "files": digests}, ensure_ascii=False, indent=0),
                       encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def referenced(path: Path, wanted: set[str]) -> rdflib.Graph:
    """The statements of ``path`` about the IRIs in ``wanted`` and about every node of the file they
    lead to (blank nodes, sources, products…), read with pyoxigraph: the part of an unchanged
    big file that the re-read files refer to."""
    import pyoxigraph  # start-up: only when a big unchanged file is read in part

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
