"""What a verdict is checked against: the TBox, chain templates, SHACL shapes and SPARQL checks
(``ontology/``), loaded once and cached; :func:`rules_digest` hashes them with this package's code."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import rdflib

from chaingraph.store import ontology_dir, ontology_files


def bundled_paths() -> list[Path]:
    """TBox and chain templates that user data is validated together with."""
    return ontology_files()


def tbox_path() -> Path:
    return ontology_dir() / "chaingraph.ttl"


def shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"


def checks_dir() -> Path:
    return ontology_dir() / "checks"


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    return g


def load(path: Path) -> rdflib.Graph:
    """``path`` parsed (cached while the file's modification time stays; do not modify)."""
    return _load_cached(str(path), path.stat().st_mtime)


def tbox_graph() -> rdflib.Graph:
    """The ontology TBox (cached; do not modify)."""
    return load(tbox_path())


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes (cached; do not modify)."""
    return load(shapes_path())


def check_queries() -> dict[str, str]:
    """``{name: SPARQL}`` for every ``ontology/checks/*-violation.rq``, sorted by name."""
    return {
        p.name.removesuffix(".rq"): p.read_text(encoding="utf-8")
        for p in sorted(checks_dir().glob("*-violation.rq"))
    }


def rules_digest() -> str:
    """Hash of what decides a verdict: TBox, chain templates, shapes, SPARQL checks, this package's code."""
    h = hashlib.sha256()
    code = sorted(Path(__file__).parent.glob("*.py"))
    for p in [*bundled_paths(), shapes_path(), *sorted(checks_dir().glob("*.rq")), *code]:
        h.update(p.read_bytes())
    return h.hexdigest()
