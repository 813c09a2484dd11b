"""Rank a large candidate pool where it is stored: score bounds computed by the SPARQL store.

A national pool puts tens of thousands of firms in one segment.  Transferring every one to score
it in Python takes seconds on a server, so for segments with more than
:data:`chaingraph.analysis.targets.SERVER_RANK_MIN` candidates the store computes, for each
candidate, an **upper bound** of its score from what it holds about the firm, and returns the
candidates best bound first, a page at a time.  :func:`chaingraph.analysis.targets.rank_targets`
scores each returned firm exactly (in Python, the one place the rules live) and stops paging as
soon as no firm left can enter the top rows — so the rows and ranks are those of the full
ranking.

The bound (see the score rules in :mod:`chaingraph.analysis.targets`): the score is a weighted
mean over every component, an unknown one counted at its prior, so each component is counted at
the largest value Python may still give it, and the mean is built by the score's own
:func:`~chaingraph.analysis.targets.scoring.weighted_mean` from the same weights and priors
(:data:`~chaingraph.analysis.targets.scoring.PRIORS`), adding the same terms in the same order:

* ``gap_priority`` — the segment's value (known);
* ``product_fit`` — 1.0 when the firm makes any product (term matching happens in Python), else
  its prior; firms with a segment link to the segment (the links ranking was given) are scored
  exactly beforehand, like the firms with ties;
* ``strategic_fit`` — 1.0 for a 湘商 firm or a city whose grade may exceed the "other place"
  grade (the place list is computed in Python from the place hierarchy and the region tables),
  that grade for another city, 1.0 when only a full name is known (its region is read in
  Python), else the prior;
* ``tier`` — the best tier score (a chain of ``IF``s: a ``VALUES`` table joined per firm is
  slow on Virtuoso), else the prior;
* ``proximity`` and ``contacted`` — their priors: firms with ties or visits are few (the
  province's, the park's) and are scored exactly beforehand, not through this query.

``?cov`` (coverage, the tie-breaker) counts at full weight every component that may be known
(the same :func:`~chaingraph.analysis.targets.scoring.weighted_mean` over 1 for known, 0 for unknown).

Rounded to 4 decimals like the score; ties are ordered by label (Chinese label, else English,
else the IRI) and IRI, as Python orders rows.  Standard SPARQL 1.1 only; the store reads one row
per fact (a ``UNION`` of plain patterns), never a chain of OPTIONAL patterns over the candidates,
which Debian's Virtuoso 7.2 answers incompletely once it hash-joins them (thousands of firms).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from chaingraph.analysis.targets.scoring import GRADE_OTHER, PRIORS, TIER_SCORE, Arithmetic, weighted_mean
from chaingraph.project import SEGMENT_MEMBERS, label_key_sparql
from chaingraph.store import iri_term as _iri
from chaingraph.store import select

PAGE = 200


def _num(x: float) -> str:
    """``x`` as an xsd:double literal: Virtuoso fails on decimals here ("Numeric value out of
    range" aggregating them), and doubles are what Python scores with."""
    return f"{float(x):.17e}"


def _term(x) -> str:
    """A SPARQL expression (kept) or a number (as a double literal)."""
    return x if isinstance(x, str) else _num(x)


def _add(a, b):
    if not isinstance(a, str) and not isinstance(b, str):
        return a + b  # constants are added in Python, as the score adds them
    if not isinstance(a, str) and a == 0:
        return b  # the sum starts from 0
    return f"({_term(a)} + {_term(b)})"


def _mul(a, b):
    if not isinstance(a, str) and not isinstance(b, str):
        return a * b
    return f"{_term(a)} * {_term(b)}"


#: :func:`~chaingraph.analysis.targets.scoring.weighted_mean` writing SPARQL: a term known in
#: Python stays a number (folded like Python folds it), a term read from the store becomes an
#: expression; the order of the additions is the score's.
SPARQL = Arithmetic(add=_add, mul=_mul, div=lambda a, b: f"({_term(a)} / {_term(b)})")


def _tier_expression() -> str:
    """The best tier score of ``?tr`` (a chain of ``IF``s: a ``VALUES`` table joined per firm is
    slow on Virtuoso); unbound ``?tr``: the comparison is an error, so the result stays unbound."""
    tier = "?undef"
    for t, v in sorted(TIER_SCORE.items(), key=lambda x: x[0], reverse=True):
        tier = f"IF(?tr = {_iri(t)}, {_num(v)}, {tier})"
    return tier


def bound_query(closure: Iterable[str], *, gap_priority: float, weights: dict[str, float],
                good_places: Iterable[str], offset: int, limit: int) -> str:
    """The SELECT returning ``?f ?ub ?cov ?label`` for the members of ``closure``, best bound first.

    ``?ub`` and ``?cov`` are in ten-thousandths, rounded before sorting (Virtuoso sorts that 4x
    faster than rounding in ``ORDER BY``)."""
    values = "VALUES ?s { " + " ".join(_iri(s) for s in sorted(set(closure))) + " }"
    members = SEGMENT_MEMBERS.replace("#VALUES", values)
    good = ", ".join(_iri(p) for p in sorted(set(good_places))) or "<urn:chaingraph:none>"
    # each component at the largest value Python may give it, or its prior (proximity and
    # contacted: the firms with ties or visits are scored in Python beforehand)
    upper = {"gap_priority": gap_priority, "product_fit": f"IF(?pf > {_num(0)}, {_num(1)}, {_num(PRIORS['product_fit'])})",
             "proximity": PRIORS["proximity"], "strategic_fit": f"COALESCE(?sv, {_num(PRIORS['strategic_fit'])})",
             "tier": f"COALESCE(?ts, {_num(PRIORS['tier'])})", "contacted": PRIORS["contacted"]}
    known = {"gap_priority": 1.0, "product_fit": "?pf", "proximity": 0.0,
             "strategic_fit": f"IF(BOUND(?sv), {_num(1)}, {_num(0)})", "tier": f"IF(BOUND(?ts), {_num(1)}, {_num(0)})",
             "contacted": 0.0}
    # One row per fact (a UNION of plain patterns), features aggregated per firm, the bound once
    # per firm from those columns.  Not OPTIONALs: Debian's Virtuoso 7.2 drops OPTIONAL matches
    # when it hash-joins several of them over tens of thousands of firms (3 of 4,908 tiers
    # returned); and it substitutes a BIND variable by its expression wherever it is used, so a
    # bound over per-row BINDs evaluated the tier chain and the place list four times per row.
    # Each aggregate reads a COALESCE (an unbound value makes MAX an error on Oxigraph); -1 is
    # "none".  The label key is a rank digit + the label (chaingraph.project.labels.label_key_sparql:
    # the label Python shows is the smallest key) or "9" (no Chinese or English label: the IRI).
    one, zero, none, scale = _num(1), _num(0), _num(-1), _num(10000)
    return f"""SELECT ?f ?ub ?cov ?label WHERE {{
    {{ SELECT ?f (MAX(COALESCE(?pf0, {zero})) AS ?pf) (MAX(COALESCE(?ts0, {none})) AS ?ts1)
             (MAX(COALESCE(?xs0, {zero})) AS ?xs) (MAX(COALESCE(?good0, {none})) AS ?good)
             (MAX(COALESCE(?fn0, {zero})) AS ?fn) (MIN(COALESCE(?key0, "9")) AS ?key) WHERE {{
        {members}
        {{ ?f cg:makes ?mk BIND({one} AS ?pf0) }}
        UNION {{ ?f cg:tier ?tr BIND({_tier_expression()} AS ?ts0) }}
        UNION {{ ?f cg:city ?c BIND(IF(?c IN ({good}), {one}, {_num(GRADE_OTHER)}) AS ?good0) }}
        UNION {{ ?f cg:fullName ?n BIND({one} AS ?fn0) }}
        UNION {{ ?f cg:xiangshang ?x FILTER(STR(?x) IN ("true", "1")) BIND({one} AS ?xs0) }}
        UNION {{ ?f rdfs:label ?l BIND({label_key_sparql("?l")} AS ?key0) }}
        UNION {{ BIND({zero} AS ?pf0) }}
      }} GROUP BY ?f }}
    BIND(IF(?ts1 >= {zero}, ?ts1, ?undef) AS ?ts)
    BIND(IF(?xs > {zero}, {one}, IF(?good >= {zero}, ?good, IF(?fn > {zero}, {one}, ?undef))) AS ?sv)
    BIND(IF(STRSTARTS(?key, "9"), STR(?f), SUBSTR(?key, 2)) AS ?label)
    BIND(ROUND({scale} * {_term(weighted_mean([upper[k] for k in weights], list(weights.values()), SPARQL))}) AS ?ub)
    BIND(ROUND({scale} * {_term(weighted_mean([known[k] for k in weights], list(weights.values()), SPARQL))}) AS ?cov)
    }}
    ORDER BY DESC(?ub) DESC(?cov) ?label STR(?f)
    OFFSET {int(offset)} LIMIT {int(limit)}"""


def _round(x) -> float:
    """Ten-thousandths (rounded by SPARQL's ROUND, halves up: never below Python's ``round``) as a value."""
    return int(float(x)) / 10000


def ranked_members(graph, closure: Iterable[str], *, page: int | None = None, executor=None,
                   **params) -> Iterator[list[dict]]:
    """Pages (of :data:`PAGE` rows) of the members of ``closure`` as ``{f, ub, cov, label}``
    (bounds rounded to 4 decimals), best first, fetched while the caller keeps asking.

    With an ``executor`` (a :class:`concurrent.futures.Executor`) the first page is asked for at
    once, in the background, so the store ranks while the caller prepares the rest."""
    page = page or PAGE
    closure = sorted(set(closure))

    def fetch(offset: int) -> list[dict]:
        rows = select(graph, bound_query(closure, offset=offset, limit=page, **params))
        return [{"f": r["f"], "ub": _round(r["ub"]), "cov": _round(r["cov"]), "label": r["label"]} for r in rows]

    first = executor.submit(fetch, 0) if executor is not None else None
    return _pages(fetch, page, first)


def _pages(fetch, page: int, first) -> Iterator[list[dict]]:
    offset = 0
    while True:
        rows = first.result() if first is not None and offset == 0 else fetch(offset)
        if rows:
            yield rows
        if len(rows) < page:
            return
        offset += page
