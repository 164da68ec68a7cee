"""The `nuem limits` statistics along a run of neighbouring N masses, with fewer fits.

Same definitions as :func:`nuem.limits.derive.limit_from_likelihood` (one-sided q̃ upper limit
at [Φ⁻¹(cl)]²; the two-sided Δ(−2 ln L) ≤ χ²₁⁻¹(cl) interval when x = 0 lies outside it; Asimov
±1σ/±2σ band with the targets of :func:`nuem.stats.limits.band_targets`), found with the
minimiser of :mod:`nuem.stats.fit` but far fewer minimisations, using that the likelihoods of a
scan differ only in the signal template of the POI x (power 1):

* The background-only profile (x = 0) does not depend on the mass: one fit per run, shared.
* The best fit: by the envelope theorem d(−2 ln L_p)/dx at x = 0 is the partial derivative at
  θ̂(0); when it is ≥ 0 (and no point of a coarse x grid lies lower) x̂ = 0 and the best fit
  is the background-only fit. Otherwise MIGRAD starts from the previous mass's best fit,
  carried over in signal counts (x · Σ S).
* Crossings q(x) = t² are roots of √q(x) − t, nearly linear in x (q ≈ (x − x̂)²/σ², CCGV
  arXiv:1007.1727 eq. 31): a safeguarded secant (bisection whenever a step leaves the bracket)
  from the previous two masses' crossings extrapolated in signal counts, its first step with
  the previous mass's slope, each profile starting from the nuisances of the nearest profile
  already made (and MIGRAD given the analytic gradient); to :data:`RTOL` in x.

The tests compare every number with the per-mass path (`limit_from_likelihood`) to 1e-3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nuem.stats import FitError, FitResult, Interval, UpperLimit, critical_value, fit, profile
from nuem.stats.limits import band_targets, statistic_name

__all__ = ["RTOL", "MassWalk"]

#: Relative precision of every crossing in x (the per-mass path: brentq to 1e-7 of the POI scale;
#: both sit far below the minimiser noise, ~1e-5 in x)
RTOL = 1e-5
#: Secant steps before a crossing counts as not found
MAX_STEPS = 60


def _signal_total(lik) -> float:
    """Σ S of the power-1 signal (counts, or the integral of an event-list density)."""
    return float(sum(t.integral for p, t in lik.model.signal if p == 1))


#: Where a warm start puts a bounded nuisance that ended at (or within this of) its bound, above
#: the bound: MIGRAD's internal coordinate of a bounded parameter, u with θ = lo − 1 + √(u² + 1),
#: has dθ/du → 0 at the bound, so a start there (θ − lo = 1e-6: dθ/du ≈ 1.4e-3) leaves the
#: parameter stuck and MIGRAD declares a valid minimum too high (Borexino's Kr-85 rate at 0:
#: −2 ln L 0.4 above the minimum, limits off by up to 31 %); at 0.05, dθ/du ≈ 0.3
BOUND_MARGIN = 0.05


def _clip_start(lik, thetas: np.ndarray) -> np.ndarray:
    """Warm-start nuisances inside their bounds: a bounded θ that ended within
    :data:`BOUND_MARGIN` of its bound restarts there."""
    th = np.array(thetas, dtype=np.float64)
    for k, n in enumerate(lik.nuisances):
        lo = 1e-12 if n.constraint == "lognormal" else n.lower
        if lo is not None and th[k] < lo + BOUND_MARGIN:
            th[k] = lo + BOUND_MARGIN
    return th


@dataclass
class _Profiles:
    """Profiles of one likelihood at fixed x, each started from the nuisances of the nearest
    (in x) profile already made or ``hint`` (e.g. the previous mass's crossing)."""

    lik: Any
    done: list[FitResult] = field(default_factory=list)
    hints: list[FitResult] = field(default_factory=list)

    def at(self, x: float) -> FitResult:
        near = self.done + self.hints
        start = min(near, key=lambda r: abs(r.x - x)).thetas if near else None
        th0 = None if start is None else _clip_start(self.lik, start)
        r = profile(self.lik, float(x), start=th0, grad=True)
        self.done.append(r)
        return r


def _root(
    h, a: float, ha: float, b: float, x_cap: float, what: str, slope: float | None = None
) -> tuple[float, float | None]:
    """Root of h on the side of ``b`` from ``a`` (h(a) = ``ha`` < 0; b > a, or b < a to search
    downward), no farther than ``x_cap``: secant steps from (a, b), bisection whenever a step
    leaves a known bracket; before a sign change they go outward (at most ×4 the distance from
    a; ×1.5 when the secant points back). ``slope``: dh/dx expected near the root (e.g. from
    the previous mass), used for the first step from b instead of the secant through a.
    Converged when the secant step is below :data:`RTOL` of x (the secant converges
    superlinearly: the error is far smaller). Returns (root, dh/dx of the last secant)."""
    lo, hi = a, None  # h(lo) < 0 <= h(hi)
    p, hp, c = a, ha, b
    for k in range(MAX_STEPS):
        hc = h(c)
        if hc >= 0:
            hi = c
        else:
            lo = c
        sec = (hc - hp) / (c - p) if hc != hp else None
        if k == 0 and slope is not None and slope * (c - a) > 0:
            sec = slope
        raw = c - hc / sec if sec else None
        if raw is not None and abs(raw - c) <= RTOL * abs(c) and k > 0:
            return float(raw), sec
        if hi is None:
            d = abs(c - a)
            out = raw is not None and (raw - c) * (c - a) > 0  # the secant points outward
            far = abs(raw - a) if out else 1.5 * d
            nxt = a + np.sign(c - a) * min(far, 4.0 * d)
            if (nxt - x_cap) * (c - a) > 0:
                if c == x_cap:
                    raise FitError(f"{what}: no crossing found up to x = {x_cap!r}")
                nxt = x_cap
        elif raw is not None and min(lo, hi) < raw < max(lo, hi):
            nxt = raw
        else:
            nxt = 0.5 * (lo + hi)
        if hi is not None and abs(hi - lo) <= RTOL * max(abs(hi), abs(lo)):
            return float(0.5 * (lo + hi)), None
        p, hp, c = c, hc, float(nxt)
    raise FitError(f"{what}: the crossing did not converge in {MAX_STEPS} steps")


@dataclass
class MassWalk:
    """Limits of the likelihoods of successive masses (same card, flavour, CL), each warm-started
    from the previous mass (module doc). Call :meth:`observed` / :meth:`expected` mass by mass,
    in grid order."""

    cl: float = 0.90
    #: background-only fits ("bkg", "asimov_bkg"), the same for every mass and flavour of a card
    shared: dict[str, FitResult] = field(default_factory=dict)
    _prev: dict[str, float] = field(default_factory=dict)  # signal counts at the last crossings
    _prev2: dict[str, float] = field(default_factory=dict)  # ... and at the ones before
    _slope: dict[str, float | None] = field(default_factory=dict)  # d√q/d(signal counts) there
    _prev_theta: dict[str, np.ndarray] = field(default_factory=dict)

    # --- fits ----------------------------------------------------------------------------
    def _best(self, lik, bkg: FitResult, key: str) -> FitResult:
        """The global fit; x̂ = 0 from the slope at the background-only fit (module doc)."""
        s = lik.poi_scale
        h = 1e-4 * s
        slope = lik.nll2(h, bkg.thetas) - bkg.nll2
        grid = [lik.nll2(u * s, bkg.thetas) for u in (0.5, 1.0, 2.0, 4.0)]
        if slope >= 0 and min(grid) >= bkg.nll2:
            return FitResult(0.0, bkg.thetas, bkg.nll2, 0)
        stot = _signal_total(lik)
        n_hat = self._prev.get(key)
        if n_hat is not None and n_hat > 0 and stot > 0:
            th0 = _clip_start(lik, self._prev_theta[key])
            return fit(lik, start=(n_hat / stot, th0), grad=True)
        return fit(lik, grad=True)

    def _crossing(self, prof: _Profiles, best: FitResult, t2: float, key: str, down: bool = False):
        """x beyond x̂ (below it with ``down``) where −2 ln L_p(x) − −2 ln L(x̂) = ``t2``."""
        lik = prof.lik
        s, stot = lik.poi_scale, _signal_total(lik)
        t = float(np.sqrt(t2))

        def h(x):
            return float(np.sqrt(max(prof.at(x).nll2 - best.nll2, 0.0))) - t

        prev = self._guess(key)
        guess = prev / stot if prev is not None and stot > 0 else None
        prof.hints = [] if guess is None else [FitResult(guess, self._prev_theta[key], 0.0, 0)]
        slope = self._slope.get(key)
        slope = None if slope is None or guess is None else slope * stot
        if down:
            if guess is None or not 0 < guess < best.x:
                guess = 0.5 * best.x
            x, sl = _root(h, best.x, -t, guess, 0.0, key, slope)
        else:
            if guess is None or not guess > best.x:
                guess = best.x + t * s
            x, sl = _root(h, best.x, -t, guess, best.x + 2.0**60 * s, key, slope)
        self._slope[key] = None if sl is None or not stot > 0 else sl / stot  # dh/d(counts)
        return x

    def _guess(self, key: str) -> float | None:
        """Signal counts at this mass's crossing ``key``, extrapolated from the previous two
        masses (geometrically: a log grid), or the previous one's; None at the first mass."""
        n1, n2 = self._prev.get(key), self._prev2.get(key)
        if n1 is None or n2 is None or not (n1 > 0 and n2 > 0) or not 0.5 < n1 / n2 < 2.0:
            return n1
        return n1 * n1 / n2

    def _remember(self, key: str, x: float, lik, prof: _Profiles) -> None:
        if key in self._prev:
            self._prev2[key] = self._prev[key]
        self._prev[key] = x * _signal_total(lik)
        self._prev_theta[key] = min(prof.done, key=lambda r: abs(r.x - x)).thetas

    # --- the statistics ------------------------------------------------------------------
    def observed(self, lik) -> UpperLimit | Interval:
        """The statistics of `limit_from_likelihood(lik, None, signed=False, …)` (module doc):
        the q̃ :class:`UpperLimit`, or the two-sided :class:`Interval` when x = 0 lies outside
        it (in the POI x)."""
        if "bkg" not in self.shared:
            self.shared["bkg"] = profile(lik, 0.0, grad=True)
        bkg = self.shared["bkg"]
        best = self._best(lik, bkg, "best")
        self._prev["best"] = best.x * _signal_total(lik)
        self._prev_theta["best"] = best.thetas
        prof = _Profiles(lik)
        prof.done.append(FitResult(0.0, bkg.thetas, bkg.nll2, 0))
        if best.x > 0:
            prof.done.append(best)
        q2 = critical_value(self.cl, "delta_chi2")
        if bkg.nll2 - best.nll2 < q2:  # x = 0 inside the two-sided interval: q̃ limit
            qc = critical_value(self.cl, "q_tilde")
            up = self._crossing(prof, best, qc, "upper")
            self._remember("upper", up, lik, prof)
            return UpperLimit(up, best.x, best.nll2, float(self.cl), "q_tilde",
                              statistic_name(lik, "q_tilde"), qc)  # fmt: skip
        hi = self._crossing(prof, best, q2, "interval_upper")
        self._remember("interval_upper", hi, lik, prof)
        lo = self._crossing(prof, best, q2, "interval_lower", down=True)
        self._remember("interval_lower", lo, lik, prof)
        return Interval(lo, hi, best.x, float(self.cl), q2, False)

    def expected(self, twin, transform) -> dict[str, float]:
        """The band of `expected_limits(twin, signed=False, …)`: Asimov (x = 0) crossings."""
        a = twin.asimov(0.0)
        if "asimov_bkg" not in self.shared:
            self.shared["asimov_bkg"] = profile(a, 0.0, grad=True)
        bkg = self.shared["asimov_bkg"]
        best = self._best(a, bkg, "asimov_best")
        prof = _Profiles(a)
        prof.done.append(FitResult(0.0, bkg.thetas, bkg.nll2, 0))
        targets = band_targets(self.cl, "q_tilde", twin.poi_lower is not None)
        f = transform or (lambda v: v)
        out = {}
        for k in ("median", "minus1", "plus1", "minus2", "plus2"):
            t = targets[k]
            if t <= 0:
                out[k] = float(f(0.0))
                continue
            x = self._crossing(prof, best, t * t, f"band_{k}")
            self._remember(f"band_{k}", x, a, prof)
            out[k] = float(f(x))
        return out
