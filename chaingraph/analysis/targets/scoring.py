"""The score of a (firm, segment): weights, priors, the product-fit component and the formula.

The rules are documented in :mod:`chaingraph.analysis.targets`.  :func:`weighted_mean` is the
one definition of the formula ``Σ w·v / Σ w``: :func:`score` applies it to Python values and
:mod:`.bounds` to SPARQL expressions, so the store's score bounds add the same terms in the
same order as Python does.
"""

from __future__ import annotations

from typing import Callable, Mapping, NamedTuple, Sequence

from chaingraph.analysis.weights import merge_weights, read_weights
from chaingraph.namespaces import CG
from chaingraph.pool.matching import PROCESS_FACTOR

#: Default weight of each score component (see :mod:`chaingraph.analysis.targets`).
DEFAULT_WEIGHTS: dict[str, float] = {
    "gap_priority": 0.25,
    "product_fit": 0.30,
    "proximity": 0.20,
    "strategic_fit": 0.10,
    "tier": 0.10,
    "contacted": 0.05,
}

COMPONENT_LABELS = {
    "gap_priority": "缺口优先级", "product_fit": "产品匹配", "proximity": "关系邻近",
    "strategic_fit": "战略区域", "tier": "企业层级", "contacted": "已接触",
}

BASIS_FACTOR = {str(CG.StatedProduct): 1.0, str(CG.StatedSegment): 0.8, str(CG.StatedForGroup): 0.7,
                str(CG.IndustryCode): 0.6, str(CG.BusinessScope): 0.4, str(CG.InferredFromName): 0.4,
                str(CG.EquipmentForSegment): 0.3}
"""Basis factor of a segment link by its ``cg:basis``; ``cg:EquipmentForSegment`` (an equipment
maker's line named after the activity it equips, :mod:`chaingraph.pool.chainkg`) is the weakest:
the firm supplies the segment, it is not a firm of the segment."""
BASIS_UNKNOWN = 0.5
"""Basis factor of a segment link whose basis is not one of :data:`BASIS_FACTOR`."""
#: Neutral prior of each component: the value it takes while unknown.
PRIORS: dict[str, float] = {
    "gap_priority": 0.0, "product_fit": 0.2, "proximity": 0.25, "strategic_fit": 0.4, "tier": 0.3, "contacted": 0.0,
}
#: Region grades of strategic fit (:func:`chaingraph.analysis.targets.regions.region_grade`).
GRADE_TARGET, GRADE_HUNAN, GRADE_NEIGHBOUR, GRADE_GUANGDONG, GRADE_OTHER = 1.0, 0.9, 0.8, 0.6, 0.2
SHARE_UNSTATED = 0.6
STRENGTH_UNNAMED = 0.7
WEAK_FIT = 0.3
"""A product fit below this rests on weak evidence (a business-scope line, a placeholder share,
a passing mention or a tiny share): shown as such."""
TIER_SCORE = {str(CG.Fortune500): 1.0, str(CG.China500): 0.9, str(CG.ChainLeader): 0.9, str(CG.LittleGiant): 0.8,
              str(CG.Listed): 0.7, str(CG.SpecializedSME): 0.6, str(CG.HighTech): 0.5, str(CG.AboveScale): 0.3}
SHARE_FULL = 0.5


def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Default weights updated with ``weights``; unknown keys or negative values raise.

    Examples
    --------
    >>> resolve_weights({"tier": 0})["tier"]
    0.0
    """
    return merge_weights(DEFAULT_WEIGHTS, weights)


def load_weights(path) -> dict[str, float]:
    """Read weights from a JSON object or a TOML table (``key = number`` lines), checked
    (:func:`~chaingraph.analysis.weights.read_weights`)."""
    return resolve_weights(read_weights(path))


# ---------------------------------------------------------------- the formula


class Arithmetic(NamedTuple):
    """How :func:`weighted_mean` adds, multiplies and divides: on floats, or building SPARQL."""

    add: Callable
    mul: Callable
    div: Callable


FLOATS = Arithmetic(add=lambda a, b: a + b, mul=lambda a, b: a * b, div=lambda a, b: a / b)


def weighted_mean(values: Sequence, weights: Sequence[float], arithmetic: Arithmetic = FLOATS):
    """``Σ_c w_c·v_c / Σ_c w_c``, summed from 0 in the order given: the one definition of the
    score (``values``: each component's value, or its prior when unknown) and of its coverage
    (``values``: 1 for a known component, else 0).

    Examples
    --------
    >>> weighted_mean([1.0, 0.0], [3.0, 1.0])
    0.75
    """
    total = sum(weights)
    if arithmetic is FLOATS:  # the same sum without a call per step: ranking scores every candidate twice
        return sum(w * v for w, v in zip(weights, values)) / total
    acc = 0
    for w, v in zip(weights, values):
        acc = arithmetic.add(acc, arithmetic.mul(w, v))
    return arithmetic.div(acc, total)


def score(components: dict[str, dict]) -> tuple[float, float]:
    """(score, coverage) of components ``{name: {value, known, weight, prior}}`` (4 decimals):
    unknown components count at their prior (:data:`PRIORS`)."""
    cs = components.values()
    weights = [c["weight"] for c in cs]
    if sum(weights) <= 0:
        return 0.0, 0.0
    values = [c["value"] if c["known"] else c.get("prior", 0.0) for c in cs]
    known = [1.0 if c["known"] else 0.0 for c in cs]
    return round(weighted_mean(values, weights), 4), round(weighted_mean(known, weights), 4)


# ---------------------------------------------------------------- product fit


class Strength(NamedTuple):
    """How well a product name matches a segment (:func:`match_strength`)."""

    value: float | None  # match strength; None: not named, or no term of the segment in it
    form: bool  # matched through a process/form word only
    excluded: bool  # an exclude term of the segment in the name: a look-alike


_UNMATCHED, _LOOKALIKE = Strength(None, False, False), Strength(None, False, True)


def match_strength(product: str | None, matcher, segment: str | None) -> Strength:
    """The match strength of one product name for ``segment`` (see the score rules)."""
    if not product or matcher is None:
        return _UNMATCHED
    if segment is not None and segment in matcher.excluded(product):
        return _LOOKALIKE
    m = matcher.match(product)
    if not m:
        return _UNMATCHED
    form = bool(m["process"])
    return Strength(m["strength"] * (PROCESS_FACTOR if form else 1.0), form, False)


def _shown(product, share, strength: Strength, fit: float, scope_line: bool, stale: bool,
           same_line: list[str] | None = None, equipment: bool = False) -> dict:
    """One product as a row shows it (``same_line``: other names of the same revenue line;
    ``equipment``: equipment for the segment's activity, always weak)."""
    return {"product": product, "share": share, "specificity": strength.value, "strength": strength.value,
            "form": strength.form, "business_scope": scope_line, "equipment_for": equipment,
            "weak": scope_line or equipment or fit < WEAK_FIT,
            "stale_suspect": stale, "same_line": list(same_line or []), "fit": round(fit, 4)}


def product_fit(firm: dict, links: list[dict], matcher, segment: str | None = None, *, detail: bool = True,
                strength_of: Callable[[str | None], Strength] | None = None) -> tuple[float | None, list[dict]]:
    """Best product fit of one (firm, segment) and the products behind it (see the score rules).

    Each product shown carries ``share``, ``strength`` (match strength, ``None`` when the
    product is not named or its name has no term of the segment), ``form`` (matched through a
    process/form word only), ``equipment_for`` (basis ``cg:EquipmentForSegment``: equipment for
    the segment's activity), ``weak`` (business-scope line, placeholder share, equipment for the
    activity or fit below :data:`WEAK_FIT`) and ``fit``.  Look-alikes (an exclude term of the segment in the name)
    are dropped.  Without a segment link, the firm's product names are matched.  ``detail=False``
    returns the fit alone (``(fit, [])``: the ranking's first pass over every candidate);
    ``strength_of`` is :func:`match_strength` with ``matcher`` and ``segment`` bound (the ranking
    passes one that remembers each product name's strength).
    """
    if strength_of is None:
        def strength_of(product):
            return match_strength(product, matcher, segment)
    best, shown = None, []
    for ln in links:
        strength = strength_of(ln.get("product"))
        if strength.excluded:
            continue
        share = ln.get("share")
        conf = ln.get("confidence") if ln.get("confidence") is not None else 1.0
        same_line = ln.get("same_line") or []
        share_term = min(1.0, max(0.0, share) / SHARE_FULL) ** 0.5 if share is not None else SHARE_UNSTATED
        if same_line:  # the share is that of one line reported under another name too: not this
            share_term = min(share_term, SHARE_UNSTATED)  # product's alone, so no more than unknown
        v = (BASIS_FACTOR.get(ln.get("basis"), BASIS_UNKNOWN) * conf * share_term
             * (strength.value if strength.value is not None else STRENGTH_UNNAMED))
        if detail:
            shown.append(_shown(ln.get("product"), share, strength, v, ln.get("basis") == str(CG.BusinessScope),
                                conf < 0.5, same_line, ln.get("basis") == str(CG.EquipmentForSegment)))
        best = v if best is None else max(best, v)
    if best is None and matcher is not None:
        for p in firm.get("products", []):
            strength = strength_of(p)
            if strength.value is None:
                continue
            v = BASIS_FACTOR[str(CG.StatedProduct)] * SHARE_UNSTATED * strength.value
            if detail:
                shown.append(_shown(p, None, strength, v, False, False))
            best = v if best is None else max(best, v)
    shown.sort(key=lambda x: (-x["fit"], x["product"] or ""))
    return best, shown
