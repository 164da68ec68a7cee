"""Detection efficiency curves eps(E), validated 0 <= eps <= 1.

An efficiency is a callable ``eps(E)`` taking energies in hepunits (``E = 5*keV``) and returning a
dimensionless float64 array of the same shape. Tables are interpolated linearly in E (the
published curves are smooth on the scale of their tabulation); outside the table the value is
``below`` / ``above``: a number, or ``"edge"`` for the first / last tabulated value.

Whether a curve applies to the true or the reconstructed energy is a property of the dataset (the
card says which); the response matrix in :mod:`nuem.detectors.resolution` accepts both.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import as_array, in_range
from nuem.errors import NuemInputError


def _fill(name: str, value: float | str, table_value: float) -> float:
    if isinstance(value, str):
        if value != "edge":
            raise NuemInputError(f"{name} = {value!r} is not known; allowed: a number or 'edge'")
        return float(table_value)
    return float(in_range(name, value, 0.0, 1.0))


@dataclass(frozen=True)
class TabulatedEfficiency:
    """Efficiency from a table of (E, eps); linear interpolation, validated on construction.

    Parameters: ``energies`` strictly increasing, >= 0 (in hepunits, i.e. already multiplied by
    ``keV``); ``values`` in [0, 1]; ``below``/``above`` the fill outside the table (number in
    [0, 1] or ``"edge"``); ``source`` a free-text citation.
    """

    energies: np.ndarray
    values: np.ndarray
    below: float | str = 0.0
    above: float | str = "edge"
    source: str = ""
    _fill_lo: float = field(init=False, repr=False)
    _fill_hi: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        E = as_array("efficiency energies", self.energies).astype(np.float64)
        eps = as_array("efficiency values", self.values).astype(np.float64)
        if E.ndim != 1 or eps.ndim != 1 or E.size != eps.size or E.size < 2:
            raise NuemInputError(
                f"efficiency table needs two 1-D columns of equal length >= 2; "
                f"got {E.size} energies and {eps.size} values"
            )
        if np.any(~np.isfinite(E)) or E[0] < 0 or np.any(np.diff(E) <= 0):
            raise NuemInputError("efficiency energies must be finite, >= 0 and strictly increasing")
        bad = (eps < 0) | (eps > 1) | ~np.isfinite(eps)
        if bad.any():
            i = int(np.argmax(bad))
            raise NuemInputError(
                f"efficiency value {eps[i]!r} at E = {E[i] / u.keV:g} keV is outside [0, 1]"
            )
        object.__setattr__(self, "energies", E)
        object.__setattr__(self, "values", eps)
        object.__setattr__(self, "_fill_lo", _fill("efficiency below", self.below, eps[0]))
        object.__setattr__(self, "_fill_hi", _fill("efficiency above", self.above, eps[-1]))

    def __call__(self, E: ArrayLike) -> np.ndarray:
        """eps(E), dimensionless, same shape as ``E`` (hepunits energy)."""
        E = as_array("E", E)
        return np.interp(E, self.energies, self.values, left=self._fill_lo, right=self._fill_hi)

    def threshold(self, level: float = 0.5) -> float:
        """Lowest tabulated-interpolated energy where eps first reaches ``level`` (hepunits)."""
        level = float(in_range("level", level, 0.0, 1.0))
        above = np.nonzero(self.values >= level)[0]
        if above.size == 0:
            raise NuemInputError(f"efficiency never reaches level {level}")
        i = int(above[0])
        if i == 0:
            return float(self.energies[0])
        E0, E1 = self.energies[i - 1], self.energies[i]
        e0, e1 = self.values[i - 1], self.values[i]
        return float(E0 + (level - e0) * (E1 - E0) / (e1 - e0))


@dataclass(frozen=True)
class ConstantEfficiency:
    """A flat efficiency ``value`` in [0, 1] at all energies."""

    value: float = 1.0
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", float(in_range("efficiency", self.value, 0.0, 1.0)))

    def __call__(self, E: ArrayLike) -> np.ndarray:
        """eps(E) = value, same shape as ``E``."""
        return np.full_like(as_array("E", E), self.value, dtype=np.float64)


@functools.cache
def _gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (computed once per n: ~5 ms each)."""
    return np.polynomial.legendre.leggauss(n)


@dataclass(frozen=True)
class TimeEfficiency:
    """Efficiency in the arrival time t after the pulse: 1 for t < ``flat_until``, then
    exp(-``decay_rate`` (t - flat_until)) (COHERENT CsI[Na] 2021 release, arXiv:2110.07730:
    520 ns and 0.0494 / us). Times hepunits (ns = 1); ``decay_rate`` per time, >= 0.

    ``bin_weights(profile, edges)`` = int_bin pdf(t) eps(t) dt for an arrival-time profile with
    a ``cdf`` (:mod:`nuem.sources.timing`): exact on the flat part (CDF differences), by
    Gauss-Legendre quadrature (64 nodes per bin piece) on the decaying part.
    """

    flat_until: float
    decay_rate: float

    def __post_init__(self) -> None:
        from nuem._validate import finite, non_negative

        object.__setattr__(self, "flat_until", float(finite("flat_until", self.flat_until)))
        object.__setattr__(self, "decay_rate", float(non_negative("decay_rate", self.decay_rate)))

    def __call__(self, t: ArrayLike) -> np.ndarray:
        """eps(t), dimensionless."""
        t = as_array("t", t)
        return np.exp(-self.decay_rate * np.maximum(t - self.flat_until, 0.0))

    def bin_weights(self, profile, edges: ArrayLike) -> np.ndarray:
        """int over each bin [edges[i], edges[i+1]) of pdf(t) eps(t) dt (dimensionless)."""
        e = as_array("edges", edges)
        a = np.minimum(e[:-1], self.flat_until)
        b = np.minimum(e[1:], self.flat_until)
        out = np.clip(np.asarray(profile.cdf(b)) - np.asarray(profile.cdf(a)), 0.0, None)
        lo = np.maximum(e[:-1], self.flat_until)
        hi = np.maximum(e[1:], self.flat_until)
        x, w = _gauss_legendre(64)
        t = 0.5 * (lo + hi)[:, None] + 0.5 * (hi - lo)[:, None] * x[None, :]
        tail = np.sum(0.5 * (hi - lo)[:, None] * w * profile.pdf(t) * self(t), axis=1)
        return out + tail
