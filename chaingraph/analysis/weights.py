"""Score weights: defaults overridden by the user, validated in one place."""

from __future__ import annotations

import json
import math
from pathlib import Path
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


def read_weights(path) -> dict:
    """The weights in a file, unchecked: a JSON object or a TOML table (``name = number`` lines);
    ``{"weights": {…}}`` (the JSON output of ``gaps`` or ``targets``) is read as its ``weights``.

    Any problem is one :class:`ChaingraphError` naming the file.  Check the names and values
    with :func:`merge_weights`.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChaingraphError(f"cannot read weights file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ChaingraphError(f"{path}: not a UTF-8 text file (expected JSON or TOML weights)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        import tomllib  # Python 3.11+; JSON weights files need no TOML reader

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ChaingraphError(f"{path}: neither JSON nor TOML: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("weights"), dict):
        data = data["weights"]
    if not isinstance(data, dict):
        raise ChaingraphError(f"{path}: expected an object of weight names to numbers")
    return data

