"""Rank a large candidate pool where it is stored: score bounds computed by the SPARQL store.

A national pool puts tens of thousands of firms in one segment.  Transferring every one to score
it in Python takes seconds on a server, so for segments with more than
:data:`chaingraph.analysis.targets.SERVER_RANK_MIN` candidates the store computes, for each
candidate, an **upper bound** of its score from what it holds about the firm, and returns the
candidates best bound first, a page at a time.  :func:`chaingraph.analysis.targets.rank_targets`
scores each returned firm exactly (in Python, the one place the rules live) and stops paging as
soon as no firm left can enter the top rows — so the rows and ranks are those of the full
ranking.

The bound (see the score rules in :mod:`chaingraph.analysis.targets`): a weighted mean of values
in [0, 1] never decreases when a component it leaves out is added at 1.0, so every component
that Python may still find known is counted at 1.0:

* ``gap_priority`` — the segment's value (known);
* ``product_fit`` — 1.0 when the firm makes any product (term matching happens in Python), else
  unknown; firms with a segment link to the segment (the links ranking was given) are scored
  exactly beforehand, like the firms with ties;
* ``strategic_fit`` — 1.0 for a 湘商 firm or a city in a target region (the place list is
  computed in Python from the place hierarchy and the region tables), 0.0 for another city, 1.0
  when only a full name is known (its region is read in Python), else unknown;
* ``tier`` — the best tier score (a chain of ``IF``s: a ``VALUES`` table inside ``OPTIONAL`` is
  slow on Virtuoso), else unknown;
* ``proximity`` and ``contacted`` — unknown: firms with ties or visits are few (the province's,
  the park's) and are scored exactly beforehand, not through this query.

Rounded to 4 decimals like the score; ties are ordered by label (Chinese label, else English,
else the IRI) and IRI, as Python orders rows.  Standard SPARQL 1.1 only.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from chaingraph.project import SEGMENT_MEMBERS, select
from chaingraph.project import _iri_term as _iri

PAGE = 200


def _num(x: float) -> str:
    return repr(float(x))


def bound_query(closure: Iterable[str], *, gap_priority: float, weights: dict[str, float],
                tier_scores: dict[str, float], good_places: Iterable[str], offset: int, limit: int) -> str:
    """The SELECT returning ``?f ?ub ?cov ?label`` for the members of ``closure``, best bound first.

    ``?ub`` and ``?cov`` are in ten-thousandths (rounded in the aggregate: Virtuoso sorts that
    4x faster than rounding in ``ORDER BY``)."""
    w = weights
    total = sum(w.values())
    values = "VALUES ?s { " + " ".join(_iri(s) for s in sorted(set(closure))) + " }"
    members = SEGMENT_MEMBERS.replace("#VALUES", values)
    tier = "?undef"
    for t, v in sorted(tier_scores.items(), key=lambda x: x[0], reverse=True):
        tier = f"IF(?tr = {_iri(t)}, {_num(v)}, {tier})"
    good = ", ".join(_iri(p) for p in sorted(set(good_places))) or "<urn:chaingraph:none>"
    # a zero term is left out: Virtuoso plans "0.0 + …" in the sort key ~3x slower
    gap = f"{_num(w['gap_priority'] * gap_priority)} + " if w["gap_priority"] * gap_priority else ""
    return f"""SELECT ?f ?ub ?cov ?label WHERE {{ {{
    SELECT ?f (MAX(ROUND(?ub0 * 10000)) AS ?ub) (MAX(ROUND(?cov0 * 10000)) AS ?cov)
           (COALESCE(MIN(?lz), MIN(?le), STR(?f)) AS ?label) WHERE {{
      {members}
      OPTIONAL {{ ?f cg:makes ?mk }}
      OPTIONAL {{ ?f cg:city ?c }}
      OPTIONAL {{ ?f cg:fullName ?fn }}
      OPTIONAL {{ ?f cg:xiangshang ?xs }}
      OPTIONAL {{ ?f cg:tier ?tr }}
      OPTIONAL {{ ?f rdfs:label ?l }}
      BIND(IF(BOUND(?tr), {tier}, ?undef) AS ?ts)
      BIND(IF(BOUND(?mk), 1.0, 0.0) AS ?pf)
      BIND(IF(BOUND(?xs) && STR(?xs) IN ("true", "1"), 1.0,
              IF(BOUND(?c), IF(?c IN ({good}), 1.0, 0.0), IF(BOUND(?fn), 1.0, ?undef))) AS ?sv)
      BIND({_num(w["gap_priority"])} + {_num(w["product_fit"])} * ?pf
           + IF(BOUND(?sv), {_num(w["strategic_fit"])}, 0.0) + IF(BOUND(?ts), {_num(w["tier"])}, 0.0) AS ?kw)
      BIND(IF(?kw > 0, ({gap}{_num(w["product_fit"])} * ?pf
           + COALESCE({_num(w["strategic_fit"])} * ?sv, 0.0) + COALESCE({_num(w["tier"])} * ?ts, 0.0)) / ?kw, 0.0)
           AS ?ub0)
      BIND(?kw / {_num(total)} AS ?cov0)
      BIND(IF(BOUND(?l) && (LANG(?l) = "" || LANGMATCHES(LANG(?l), "zh")), STR(?l), ?undef) AS ?lz)
      BIND(IF(BOUND(?l) && LANGMATCHES(LANG(?l), "en"), STR(?l), ?undef) AS ?le)
    }} GROUP BY ?f }} }}
    ORDER BY DESC(?ub) DESC(?cov) ?label STR(?f)
    OFFSET {int(offset)} LIMIT {int(limit)}"""


def _round(x) -> float:
    """Ten-thousandths (rounded by SPARQL's ROUND, halves up: never below Python's ``round``) as a value."""
    return int(float(x)) / 10000


def ranked_members(graph, closure: Iterable[str], *, page: int | None = None,
                   **params) -> Iterator[list[dict]]:
    """Pages (of :data:`PAGE` rows) of the members of ``closure`` as ``{f, ub, cov, label}``
    (bounds rounded to 4 decimals), best first, fetched while the caller keeps asking."""
    page = page or PAGE
    closure = sorted(set(closure))
    offset = 0
    while True:
        rows = select(graph, bound_query(closure, offset=offset, limit=page, **params))
        if rows:
            yield [{"f": r["f"], "ub": _round(r["ub"]), "cov": _round(r["cov"]), "label": r["label"]} for r in rows]
        if len(rows) < page:
            return
        offset += page
