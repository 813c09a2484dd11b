"""Find parks, chains, segments and firms by any of their names: exact (after normalisation),
then fuzzy.  The one name resolver: every command that takes a name comes through :func:`resolve`,
with the names of each kind listed by :func:`park_names`, :func:`chain_names`,
:func:`segment_names` (from the projections in :mod:`chaingraph.project`) or
:func:`chaingraph.company.company_names`.

Names are compared after :func:`name_key`: simplified script, no spaces, unified
brackets, lower-case Latin letters.  An exact hit on one entity wins; a name shared by several
entities, or no exact hit, raises :class:`~chaingraph.errors.NotFoundError` listing the closest
names (fuzzy, rapidfuzz), except that a single fuzzy match that is clearly better than the rest
is accepted.

Examples
--------
>>> names = {"a": ["湖南骏捷智能科技有限公司", "骏捷智能", "骏捷"], "b": ["中钽电子"]}
>>> resolve("駿捷", names, "company")
'a'
>>> resolve("中钽", names, "company")
'b'
"""

from __future__ import annotations

import re
from functools import lru_cache

from chaingraph.errors import NotFoundError
from chaingraph.normalize import normalize, to_simplified

#: Names made only of ASCII letters and digits and CJK ideographs: :func:`normalize` changes
#: nothing in them but the script (no spaces, brackets, punctuation, full-width forms, pinyin).
_PLAIN_NAME = re.compile("[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]*")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Comparison key of a name: normalised, spaces removed, lower-case."""
    if _PLAIN_NAME.fullmatch(name):  # most firm names: the same key without the offset map (5x faster)
        simple = to_simplified(name)
        if len(simple) == len(name) and _PLAIN_NAME.fullmatch(simple):
            return simple.lower()
    return normalize(name).text.replace(" ", "").lower()


def index(names: dict[str, list[str]]) -> dict[str, set[str]]:
    """``{name_key: {iri, …}}`` for every name of every entity."""
    out: dict[str, set[str]] = {}
    for iri, ns in names.items():
        for n in ns:
            if n:
                out.setdefault(name_key(n), set()).add(iri)
    return out


def closest(query: str, names: dict[str, list[str]], limit: int = 5) -> list[tuple[str, str, float]]:
    """Best fuzzy matches as ``(iri, name, score)``, one per entity, best first."""
    from rapidfuzz import fuzz, process  # start-up: only a name without an exact match needs it

    key = name_key(query)
    choices = {(iri, n): name_key(n) for iri, ns in names.items() for n in ns if n}
    best: dict[str, tuple[str, float]] = {}
    for (choice_key, score, (iri, n)) in process.extract(
        key, choices, scorer=fuzz.WRatio, limit=limit * 6
    ):
        if score > best.get(iri, ("", -1))[1]:
            best[iri] = (n, score)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][1], kv[1][0]))
    return [(iri, n, round(s, 1)) for iri, (n, s) in ranked[:limit]]


def resolve(query: str, names: dict[str, list[str]], kind: str, *, min_score: float = 85.0,
            exact: bool = False) -> str:
    """The one entity ``query`` names (or is: an IRI among ``names``); NotFoundError (with
    suggestions) otherwise.

    With ``exact`` only a name equal to the query after :func:`name_key` (either script, any
    width or case) is taken: a near name is never silently replaced by another entity (chain
    新能源汽车 is not 新能源); the error lists the closest names instead.

    >>> resolve("新能源汽车", {"x": ["新能源"]}, "chain", exact=True)
    Traceback (most recent call last):
    ...
    chaingraph.errors.NotFoundError: unknown chain: '新能源汽车'
    closest matches: 新能源
    """
    if not query or not query.strip():
        raise NotFoundError(kind, query or "", [])
    if query in names:
        return query
    key = name_key(query)
    hits = index(names).get(key, set())
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        sugg = sorted(f"{names[i][0]} <{i}>" for i in hits)
        raise NotFoundError(kind, query, sugg, ambiguous=True)
    if exact:
        near = sorted(i for i, ns in names.items() if key and any(key in name_key(n) or name_key(n) in key for n in ns))
        suggestions = [names[i][0] for i in near] + [n for _, n, _ in closest(query, names)]
        raise NotFoundError(kind, query, list(dict.fromkeys(suggestions))[:5])
    # unique containment: the query is part of exactly one entity's name (or vice versa)
    contains = {iri for iri, ns in names.items() for n in ns if n and len(key) >= 2 and key in name_key(n)}
    if len(contains) == 1:
        return next(iter(contains))
    near = closest(query, names)
    if near and near[0][2] >= min_score and (len(near) == 1 or near[0][2] - near[1][2] >= 5) and not contains:
        return near[0][0]
    if len(contains) > 1:
        sugg = sorted(names[i][0] for i in contains)[:8]
        raise NotFoundError(kind, query, sugg, ambiguous=True)
    raise NotFoundError(kind, query, [n for _, n, _ in near])


def local_name(iri: str) -> str:
    """Last path or fragment segment of an IRI (a slug users may type)."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _names(iri: str, *names: str | None) -> list[str]:
    return list(dict.fromkeys(n for n in (*names, local_name(iri)) if n))


def park_names(parks: dict[str, dict]) -> dict[str, list[str]]:
    """``{park: [label, full name, English label, aliases…, slug]}`` from
    :func:`chaingraph.project.parks`."""
    return {iri: _names(iri, p.get("label"), p.get("full_name"), p.get("label_en"), *p.get("aliases", ()))
            for iri, p in parks.items()}


def chain_names(chains: dict[str, dict]) -> dict[str, list[str]]:
    """``{chain: [Chinese label, English label, slug]}`` from :func:`chaingraph.project.chains`
    (or an analysis context's ``chains``)."""
    return {iri: _names(iri, c.get("label"), c.get("label_en")) for iri, c in chains.items()}


def segment_names(segments: dict[str, dict], *, chain: str | None = None) -> dict[str, list[str]]:
    """``{segment: [label, English label, slug]}`` from the nodes of
    :func:`chaingraph.project.chain_dag` (``dict(dag.nodes(data=True))``), only ``chain``'s when given.

    >>> segs = {"https://example.org/seg/ed-pcb": {"label": "印制电路板", "label_en": "PCB", "chain": "x"}}
    >>> resolve("PCB", segment_names(segs), "segment")
    'https://example.org/seg/ed-pcb'
    """
    return {iri: _names(iri, d.get("label"), d.get("label_en")) for iri, d in segments.items()
            if chain is None or d.get("chain") == chain}
