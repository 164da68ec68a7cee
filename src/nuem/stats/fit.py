"""Minimisation and profiling of −2 ln L with iminuit (MIGRAD, errordef = 1).

The POI is rescaled internally by the likelihood's ``poi_scale`` so that couplings like
μ² ~ 1e-22 μ_B² are handled at order-one numbers. A fit that MIGRAD does not declare valid raises
:class:`FitError`; no number is ever returned from a failed fit.

Piecewise-linear ("code0") shape nuisances make −2 ln L kinked at α = 0, where MIGRAD's
numerical derivatives can stall (the central difference averages the two slopes). When a fit
ends with such an α within :data:`KINK_TOL` of 0, it is repeated with α restricted to α ≥ 0 and
to α ≤ 0 (smooth in α on each side), and the lowest valid minimum is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from iminuit import Minuit

#: MIGRAD tolerance: EDM goal 0.002 × tol = 2e-5 (errordef 1), limits precise to ~1e-4 in q;
#: ``fit``/``profile`` take ``tol=`` for tighter fits
TOL = 0.01

#: |α| below which a code-0 shape nuisance is taken to sit on its kink after MIGRAD
KINK_TOL = 1e-2


class FitError(RuntimeError):
    """A minimisation did not converge (MIGRAD's ``fmin.is_valid`` is False, or −2 ln L not
    finite)."""


class RegionOpenError(FitError):
    """An allowed region reaches an end of the scanned grid: widen the grid and scan again."""


@dataclass(frozen=True)
class FitResult:
    """Fit result: POI ``x`` (the fixed value for a profile), nuisances ``thetas``, ``nll2``."""

    x: float
    thetas: np.ndarray
    nll2: float
    nfcn: int


def _theta_limits(lik) -> list[tuple[float, float | None]]:
    lims = []
    for n in lik.nuisances:
        lims.append((1e-12 if n.constraint == "lognormal" else n.lower, None))
    return lims


def _theta_start(lik) -> np.ndarray:
    return np.array(
        [max(n.center, 1e-3) if n.lower is not None else n.center for n in lik.nuisances],
        dtype=np.float64,
    )


def _migrad(
    fcn, start, limits, names, ncall, what, tol=None, grad=None, strategy: int = 1
) -> Minuit:
    from iminuit import Minuit  # lazy: import nuem need not load iminuit

    m = Minuit(fcn, start, grad=grad, name=names)
    m.errordef = Minuit.LEAST_SQUARES
    m.strategy = strategy
    m.print_level = 0
    if grad is not None:  # an analytic gradient: strategy 0 (no Hessian at the end), and one
        # cycle of the numerical second derivatives of MIGRAD's starting metric (not 2): ≈ 30 %
        # fewer calls of fcn for the same iterations and minimum (tests/test_scan_solve.py)
        m.strategy = 0
        m.strategy.gradient_ncycles = 1
    m.tol = TOL if tol is None else float(tol)
    for k, lim in enumerate(limits):
        m.limits[k] = (
            lim[0] if lim[0] is not None else -np.inf,
            lim[1] if lim[1] is not None else np.inf,
        )
    n = ncall if ncall is not None else 100_000
    try:
        m.migrad(ncall=n)
        first = float(m.fval)
        if not m.fmin.is_valid:  # one retry: SIMPLEX from where MIGRAD stopped, then MIGRAD
            m.simplex(ncall=n).migrad(ncall=n)
    except (RuntimeError, ValueError) as exc:
        raise FitError(f"{what}: MIGRAD failed: {exc}") from exc
    if not m.fmin.is_valid and _on_wall(fcn, m, first):
        return m
    if not m.fmin.is_valid or not np.isfinite(m.fval):
        raise FitError(
            f"{what}: MIGRAD did not converge (fmin valid = {m.fmin.is_valid}, "
            f"-2lnL = {m.fval}, edm = {m.fmin.edm:.3g}, nfcn = {m.nfcn})"
        )
    return m


#: -2 ln L at or above which a point lies on the wall of negative expectations
#: (:data:`nuem.stats.likelihood.WALL` = 1e12)
WALL_LEVEL = 1e11


def _on_wall(fcn, m: Minuit, first: float) -> bool:
    """True when an invalid minimum is a constrained one on the wall nu >= 0 (expected counts
    reaching 0 in a bin): MIGRAD and SIMPLEX + MIGRAD agree on -2 ln L (to 1e-3), which is
    finite and below the wall, and a small step (1e-3 of the parameter's scale) of some parameter
    hits the wall. Such a minimum is genuine (the likelihood is defined only for nu >= 0)."""
    v = float(m.fval)
    if not (np.isfinite(v) and v < WALL_LEVEL and abs(v - first) < 1e-3 * max(1.0, abs(v))):
        return False
    x = np.array(m.values)
    for k in range(x.size):
        for d in (-1.0, 1.0):
            y = x.copy()
            y[k] += d * 1e-3 * max(1.0, abs(x[k]))
            lo, hi = m.limits[k]
            if lo <= y[k] <= hi and fcn(y) >= WALL_LEVEL:
                return True
    return False


def _minimise(
    fcn, start, limits, names, ncall, what, kinks, tol=None, grad=None
) -> tuple[np.ndarray, float, int]:
    """MIGRAD, then both sides of every kinked parameter (indices ``kinks``) that ends near 0.

    ``grad``: gradient of ``fcn`` (None: MIGRAD's numerical one). Returns (values, fval, nfcn
    summed over the runs)."""
    m = _migrad(fcn, start, limits, names, ncall, what, tol, grad)
    vals, fval, nfcn = np.array(m.values), float(m.fval), int(m.nfcn)
    for k in kinks:
        if abs(vals[k]) > KINK_TOL:
            continue
        for side in (1.0, -1.0):
            lims = list(limits)
            lims[k] = (0.0, None) if side > 0 else (None, 0.0)
            st = vals.copy()
            st[k] = side * KINK_TOL
            try:
                m2 = _migrad(
                    fcn, st, lims, names, ncall, f"{what} ({names[k]} side {side:+g})", tol, grad
                )
            except FitError:
                continue
            nfcn += int(m2.nfcn)
            if m2.fval < fval:
                vals, fval = np.array(m2.values), float(m2.fval)
    return vals, fval, nfcn


def _kinks(lik, offset: int) -> list[int]:
    return [offset + k for k, n in enumerate(lik.nuisances) if getattr(n, "kink", False)]


def fit(
    lik,
    ncall: int | None = None,
    tol: float | None = None,
    start: tuple[float, np.ndarray] | None = None,
    grad: bool = False,
) -> FitResult:
    """Global fit: minimise −2 ln L over (x, θ). Raises :class:`FitError` on failure.

    The start value of x comes from a coarse grid (nuisances nominal) so that polynomial
    likelihoods with more than one local minimum start near the global one. ``tol``: MIGRAD
    tolerance (default :data:`TOL`). ``start``: (x, θ) to start from instead (no grid; a warm
    start from a neighbouring fit, e.g. the previous mass of a scan), x inside the POI bound;
    ``grad``: as in :func:`profile` (``lik.grad_nll2(x, θ, poi=True)``).
    """
    s = lik.poi_scale
    lo = lik.poi_lower
    th0 = _theta_start(lik)
    ulo = None if lo is None else lo / s
    if start is not None:
        return _fit_from(lik, start, ulo, ncall, tol, grad)
    grid = np.linspace(0.0 if ulo is None else ulo, (0.0 if ulo is None else ulo) + 6.0, 25)
    if ulo is None:
        grid = np.concatenate([-grid[:0:-1], grid])
    vals = [lik.nll2(u * s, th0) for u in grid]
    if not np.all(np.isfinite(vals)):
        raise FitError("global fit: -2lnL is not finite on the starting grid")
    return _fit_from(lik, (float(grid[int(np.argmin(vals))]) * s, th0), ulo, ncall, tol, grad)


def _fit_from(lik, start, ulo, ncall, tol, grad=False) -> FitResult:
    """MIGRAD over (x, θ) from ``start`` = (x, θ); x at or below the bound starts just above."""
    s = lik.poi_scale
    u0 = float(start[0]) / s
    if ulo is not None and u0 <= ulo:
        u0 = ulo + 0.05
    th = np.asarray(start[1], dtype=np.float64)

    def fcn(p):
        return lik.nll2(p[0] * s, p[1:])

    g = getattr(lik, "grad_nll2", None) if grad else None
    chain = np.concatenate([[s], np.ones(th.size)])  # d/du = s d/dx

    def gfcn(p):
        return g(p[0] * s, p[1:], poi=True) * chain

    v, fval, nfcn = _minimise(
        fcn,
        np.concatenate([[u0], th]),
        [(ulo, None)] + _theta_limits(lik),
        [lik.poi] + [n.name for n in lik.nuisances],
        ncall,
        "global fit",
        _kinks(lik, 1),
        tol,
        None if g is None else gfcn,
    )
    return FitResult(float(v[0] * s), v[1:], fval, nfcn)


def profile(
    lik,
    x: float,
    ncall: int | None = None,
    start: np.ndarray | None = None,
    tol: float | None = None,
    grad: bool = False,
) -> FitResult:
    """Conditional fit at fixed x: minimise −2 ln L over θ (θ̂̂(x)). Raises FitError.

    ``start``: starting nuisances (default: the constraint centres); ``tol``: as in :func:`fit`;
    ``grad``: give MIGRAD the likelihood's analytic gradient ``lik.grad_nll2(x, θ)`` when it
    has one (binned and unbinned likelihoods; MIGRAD then runs at strategy 0, without the
    numerical second derivatives of its starting point), else its numerical one.
    """
    nuis = lik.nuisances
    if not nuis:
        v = lik.nll2(x, ())
        if not np.isfinite(v):
            raise FitError(f"profile at x = {x!r}: -2lnL is not finite")
        return FitResult(float(x), np.zeros(0), float(v), 1)
    th0 = _theta_start(lik) if start is None else np.asarray(start, dtype=np.float64)

    def fcn(th):
        return lik.nll2(x, th)

    g = getattr(lik, "grad_nll2", None) if grad else None
    v, fval, nfcn = _minimise(
        fcn,
        th0,
        _theta_limits(lik),
        [n.name for n in nuis],
        ncall,
        f"profile at {lik.poi} = {x!r}",
        _kinks(lik, 0),
        tol,
        None if g is None else (lambda th: g(x, th)),
    )
    return FitResult(float(x), v, fval, nfcn)
