"""Profile-likelihood scans and allowed regions for an unbounded (signed) POI.

A coupling that interferes with the Standard Model (millicharge, charge radius) enters the rate as
x S₁ + x² S₂, so −2 ln L(x) can have two minima and the 90% CL allowed set
{x : Δ(−2 ln L) ≤ χ²₁⁻¹(cl)} can be two disjoint intervals. :func:`allowed_region` scans the
profile on a grid over a span, then refines every crossing with brentq; it never assumes a single
interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import finite, in_range
from nuem.errors import NuemInputError
from nuem.stats.fit import FitError, FitResult, RegionOpenError, fit, profile
from nuem.stats.limits import critical_value


@dataclass(frozen=True)
class AllowedRegion:
    """Union of intervals where Δ(−2 ln L) ≤ ``critical_value`` (POI units)."""

    intervals: tuple[tuple[float, float], ...]
    x_hat: float
    nll2_min: float
    cl: float
    critical_value: float
    q_at_zero: float

    @property
    def lower(self) -> float:
        return self.intervals[0][0]

    @property
    def upper(self) -> float:
        return self.intervals[-1][1]

    @property
    def abs_bound(self) -> float:
        """Largest |x| in the region: the limit on |x| at this CL."""
        return max(abs(self.lower), abs(self.upper))

    @property
    def excludes_zero(self) -> bool:
        """True if x = 0 lies outside the region (the data prefer a non-zero x)."""
        return not any(lo <= 0.0 <= hi for lo, hi in self.intervals)


def profile_scan(lik, xs: np.ndarray, best: FitResult | None = None) -> np.ndarray:
    """Δ(−2 ln L) profiled over the nuisances at each x in ``xs`` (relative to the global fit)."""
    best = fit(lik) if best is None else best
    xs = np.asarray(xs, dtype=np.float64)
    out = np.empty(xs.size)
    # walk outwards from the best fit, each conditional fit starting from its neighbour's
    # nuisances (a continuous path: no jump across the walls of negative expectations)
    k0 = int(np.argmin(np.abs(xs - best.x)))
    for order in (range(k0, xs.size), range(k0 - 1, -1, -1)):
        start = best.thetas
        for k in order:
            r = _profile_from(lik, float(xs[k]), start)
            out[k], start = r.nll2 - best.nll2, r.thetas
    return out


def _profile_from(lik, x: float, start: np.ndarray) -> FitResult:
    """profile(lik, x) from ``start``; if that fails, from the constraint centres."""
    try:
        return profile(lik, x, start=start if len(start) else None)
    except FitError:
        return profile(lik, x)


def allowed_region(
    lik,
    grid: ArrayLike,
    cl: float = 0.90,
    critical: float | None = None,
    best: FitResult | None = None,
) -> AllowedRegion:
    """Allowed region of a signed POI at ``cl``, scanned on the points ``grid`` (POI units).

    Δ(−2 ln L) is evaluated on ``grid`` (plus the best fit and 0 when inside it) and each
    crossing of the critical value (χ²₁⁻¹(cl) = 2.7055 at 90% unless ``critical`` is given) is
    refined with brentq. The grid must be fine enough to see every island of the region.
    ``best``: the global fit of ``lik`` if already done (else it is done here).
    Raises :class:`RegionOpenError` (a :class:`FitError`) if the region reaches an end of the
    grid (widen it), :class:`FitError` if a fit fails.
    """
    cl = float(in_range("cl", cl, 1e-6, 1 - 1e-12))
    xs = np.unique(finite("grid", grid).ravel())
    if xs.size < 5:
        raise NuemInputError(f"grid has {xs.size} distinct points; give at least 5")
    lo, hi = float(xs[0]), float(xs[-1])
    qc = critical_value(cl, "delta_chi2") if critical is None else float(critical)
    best = fit(lik) if best is None else best
    xs = np.unique(np.concatenate([xs, [v for v in (best.x, 0.0) if lo < v < hi]]))
    g = profile_scan(lik, xs, best) - qc
    inside = g <= 0
    if inside[0] or inside[-1]:
        raise RegionOpenError(
            f"allowed region reaches the scan end (span [{lo:.4g}, {hi:.4g}]); widen the span"
        )
    if not inside.any():
        # the grid missed a narrow region around the best fit: it is allowed by construction
        k = int(np.searchsorted(xs, best.x))
        xs = np.insert(xs, k, best.x)
        g = np.insert(g, k, -qc)
        inside = g <= 0

    def gfun(x: float) -> float:
        return profile(lik, x).nll2 - best.nll2 - qc

    from scipy.optimize import brentq  # lazy: import nuem need not load scipy.optimize

    step = np.diff(xs).max()
    edges = []
    for k in np.flatnonzero(np.diff(inside.astype(int)) != 0):
        edges.append(brentq(gfun, xs[k], xs[k + 1], xtol=1e-7 * step, rtol=1e-10))
    intervals = tuple((float(a), float(b)) for a, b in zip(edges[::2], edges[1::2], strict=True))
    q0 = float(profile(lik, 0.0).nll2 - best.nll2)
    return AllowedRegion(intervals, best.x, best.nll2, cl, qc, max(q0, 0.0))
