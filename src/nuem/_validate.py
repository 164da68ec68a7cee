"""Input validation shared by every physics function.

DESIGN §3: errors name the argument, its value and the allowed range.

These helpers turn scalars and arrays into float64 numpy arrays and raise
:class:`nuem.errors.NuemInputError` naming the argument, the first offending value and the allowed
range. A kinematically forbidden point is *not* invalid; only unphysical inputs are.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from nuem.errors import NuemInputError


def _first_bad(a: np.ndarray, bad: np.ndarray) -> float:
    return float(a[bad].flat[0])


def as_array(name: str, x: ArrayLike) -> np.ndarray:
    """``x`` as a float64 array; raises if it is not numeric or holds NaN."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise NuemInputError(f"{name} = {x!r} is not a number or array of numbers") from exc
    nan = np.isnan(a)
    if nan.any():
        raise NuemInputError(f"{name} contains NaN; allowed: finite numbers")
    return a


def non_negative(name: str, x: ArrayLike, unit: str = "", allow_inf: bool = False) -> np.ndarray:
    """``x`` as a float64 array, checked to be >= 0 (and finite unless ``allow_inf``)."""
    a = as_array(name, x)
    bad = a < 0
    if not allow_inf:
        bad |= ~np.isfinite(a)
    if bad.any():
        v = _first_bad(a, bad)
        u = f" {unit}" if unit else ""
        raise NuemInputError(f"{name} = {v!r}{u} is not allowed; it must be finite and >= 0")
    return a


def positive(name: str, x: ArrayLike, unit: str = "") -> np.ndarray:
    """``x`` as a float64 array, checked to be finite and > 0."""
    a = as_array(name, x)
    bad = ~(a > 0) | ~np.isfinite(a)
    if bad.any():
        v = _first_bad(a, bad)
        u = f" {unit}" if unit else ""
        raise NuemInputError(f"{name} = {v!r}{u} is not allowed; it must be finite and > 0")
    return a


def finite(name: str, x: ArrayLike) -> np.ndarray:
    """``x`` as a float64 array, checked to be finite (any sign)."""
    a = as_array(name, x)
    if (~np.isfinite(a)).any():
        raise NuemInputError(f"{name} = {_first_bad(a, ~np.isfinite(a))!r} must be finite")
    return a


def in_range(name: str, x: ArrayLike, lo: float, hi: float) -> np.ndarray:
    """``x`` as a float64 array, checked to lie in the closed interval [lo, hi]."""
    a = as_array(name, x)
    bad = (a < lo) | (a > hi)
    if bad.any():
        raise NuemInputError(
            f"{name} = {_first_bad(a, bad)!r} is not allowed; it must lie in [{lo}, {hi}]"
        )
    return a


def choice(name: str, value: str, allowed: Iterable[str]) -> str:
    """``value`` (case-insensitive) if it is one of ``allowed``; raises otherwise."""
    allowed = list(allowed)
    key = str(value).strip()
    for a in allowed:
        if key.lower() == a.lower():
            return a
    raise NuemInputError(f"{name} = {value!r} is not known; allowed: {', '.join(allowed)}")


def increasing(name: str, x: np.ndarray, what: str = "values") -> np.ndarray:
    """``x`` if it is 1-D, has at least two entries and strictly increases, else an error
    naming the first offending pair."""
    if x.ndim != 1 or x.size < 2:
        raise NuemInputError(
            f"{name} must be a 1-D array of at least 2 {what}; got shape {x.shape}"
        )
    bad = np.diff(x) <= 0
    if bad.any():
        i = int(np.argmax(bad))
        raise NuemInputError(
            f"{name} must be strictly increasing; {name}[{i + 1}] = {x[i + 1]!r} <= "
            f"{name}[{i}] = {x[i]!r}"
        )
    return x
