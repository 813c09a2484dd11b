"""Score weights: defaults overridden by the user, validated in one place."""

from __future__ import annotations

import math
from typing import Mapping

from chaingraph.errors import ChaingraphError


def merge_weights(defaults: Mapping[str, float], overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """``defaults`` updated with ``overrides``; unknown names, non-numbers and negatives raise.

    Examples
    --------
    >>> merge_weights({"a": 1.0, "b": 2.0}, {"b": "0.5"})
    {'a': 1.0, 'b': 0.5}
    >>> merge_weights({"a": 1.0}, {"a": "inf"})
    Traceback (most recent call last):
    ...
    chaingraph.errors.ChaingraphError: weight 'a' must be a finite number ≥ 0, got inf
    """
    out = dict(defaults)
    for k, v in (overrides or {}).items():
        if k not in defaults:
            raise ChaingraphError(f"unknown weight {k!r}; known: {', '.join(defaults)}")
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise ChaingraphError(f"weight {k!r} must be a number, got {v!r}") from None
        if v < 0 or not math.isfinite(v):
            raise ChaingraphError(f"weight {k!r} must be a finite number ≥ 0, got {v}")
        out[k] = v
    if overrides and not any(out.values()):
        raise ChaingraphError("the weights cannot all be 0 (the score divides by their sum)")
    return out
