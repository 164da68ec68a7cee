"""Profile-likelihood test statistics, one-sided upper limits, two-sided intervals and
Asimov expected bands.

References: G. Cowan, K. Cranmer, E. Gross, O. Vitells, "Asymptotic formulae for likelihood-based
tests of new physics", EPJC 71 (2011) 1554, arXiv:1007.1727 (CCGV below).

Conventions (``convention`` argument):

* ``"q_tilde"`` (default): q̃(x) = −2 ln[L(x, θ̂̂)/L(x̂, θ̂)] with x̂ clipped at the POI's lower
  bound (CCGV eq. 16: λ(x)/λ(0) if x̂ < 0), and q̃ = 0 for x̂ > x. Critical value for a one-sided
  limit at confidence ``cl``: q_c = [Φ⁻¹(cl)]² (1.6424 at 90% CL; CCGV eqs. 57, 66 — valid when
  q_c ≤ x²/σ², i.e. at every upper limit with x̂ ≥ 0). For an unbounded POI this is q_μ (eq. 14).
* ``"delta_chi2"``: the same profile ratio with the two-sided critical value
  Δχ² = χ²₁ quantile(cl) (2.7055 at 90% CL), the PDG "Δχ² = 2.71" convention.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nuem._validate import choice, in_range
from nuem.errors import NuemInputError
from nuem.stats.fit import FitError, FitResult, fit, profile

CONVENTIONS = ("q_tilde", "delta_chi2")


def critical_value(cl: float = 0.90, convention: str = "q_tilde") -> float:
    """Asymptotic critical value: [Φ⁻¹(cl)]² ("q_tilde", one-sided) or χ²₁⁻¹(cl) ("delta_chi2")."""
    from scipy.special import chdtri, ndtri  # lazy, as scipy.optimize below: import nuem stays fast

    cl = float(in_range("cl", cl, 1e-6, 1 - 1e-12))
    convention = choice("convention", convention, CONVENTIONS)
    if convention == "q_tilde":
        if cl <= 0.5:
            raise NuemInputError(f"cl = {cl!r} is not allowed for a one-sided limit; use cl > 0.5")
        return float(ndtri(cl) ** 2)
    return float(chdtri(1, 1.0 - cl))  # chi2_1 quantile: inverse survival function


def statistic_name(lik, convention: str) -> str:
    if convention == "delta_chi2":
        return "delta_chi2"
    return "q_tilde" if lik.poi_lower is not None else "q_mu"


@dataclass(frozen=True)
class UpperLimit:
    """One-sided upper limit on the POI x (in the POI's own units)."""

    value: float
    x_hat: float
    nll2_min: float
    cl: float
    convention: str
    test_statistic: str
    critical_value: float
    method: str = "asymptotic"


@dataclass(frozen=True)
class Interval:
    """Two-sided interval [lower, upper]; ``lower_at_bound`` if the POI bound is not excluded."""

    lower: float
    upper: float
    x_hat: float
    cl: float
    critical_value: float
    lower_at_bound: bool


@dataclass(frozen=True)
class ExpectedBand:
    """Expected upper limits under the Asimov hypothesis: median, ±1σ, ±2σ edges."""

    median: float
    minus1: float
    plus1: float
    minus2: float
    plus2: float
    cl: float
    convention: str

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("median", "minus1", "plus1", "minus2", "plus2")}


def q_profile(lik, x: float, best: FitResult | None = None, one_sided: bool = True) -> float:
    """Profile-likelihood ratio −2 ln λ(x) (x̂ honouring the POI bound, hence q̃).

    ``one_sided``: q = 0 for x̂ > x (upper-limit statistic). Raises FitError if a fit fails.
    """
    best = fit(lik) if best is None else best
    if one_sided and best.x > x:
        return 0.0
    return max(profile(lik, x).nll2 - best.nll2, 0.0)


def _solve_up(g, x0: float, step: float, what: str, max_doublings: int = 60) -> float:
    """Smallest x > x0 with g(x) = 0, given g(x0) < 0 and g increasing: bracket then brentq."""
    from scipy.optimize import brentq

    lo, d = x0, step
    for _ in range(max_doublings):
        hi = x0 + d
        if g(hi) >= 0:
            return float(brentq(g, lo, hi, xtol=1e-7 * step, rtol=1e-9))
        lo, d = hi, 2.0 * d
    raise FitError(f"{what}: no crossing found up to x = {x0 + d!r}")


def upper_limit(
    lik, cl: float = 0.90, convention: str = "q_tilde", critical: float | None = None
) -> UpperLimit:
    """One-sided upper limit: the x > x̂ where the test statistic reaches the critical value.

    ``critical`` overrides the asymptotic critical value (e.g. one from toys,
    :func:`nuem.stats.toys.toy_critical_value`). Found by brentq on q(x) − q_c after a doubling
    bracket search from x̂ in steps of the POI's natural scale.
    """
    convention = choice("convention", convention, CONVENTIONS)
    qc = critical_value(cl, convention) if critical is None else float(critical)
    if not qc > 0:
        raise NuemInputError(f"critical = {critical!r} must be > 0")
    best = fit(lik)
    x0 = best.x
    val = _solve_up(lambda x: q_profile(lik, x, best) - qc, x0, 0.5 * lik.poi_scale, "upper limit")
    return UpperLimit(
        val, best.x, best.nll2, float(cl), convention, statistic_name(lik, convention), qc
    )


def interval(lik, cl: float = 0.90, critical: float | None = None) -> Interval:
    """Two-sided interval {x : Δ(−2 ln L) ≤ χ²₁⁻¹(cl)} (2.71 at 90% CL).

    If Δ(−2 ln L) at the POI's lower bound is below the critical value the lower end is the bound
    and ``lower_at_bound`` is True (the data do not prefer a signal at this CL).
    """
    qc = critical_value(cl, "delta_chi2") if critical is None else float(critical)
    best = fit(lik)
    step = 0.5 * lik.poi_scale

    def g(x):
        return q_profile(lik, x, best, one_sided=False) - qc

    hi = _solve_up(g, best.x, step, "interval upper end")
    lo_b = lik.poi_lower
    if lo_b is not None and g(lo_b) < 0:
        return Interval(lo_b, hi, best.x, float(cl), qc, True)

    def gm(y):  # mirror: search downward
        return g(best.x - y)

    from scipy.optimize import brentq

    limit = np.inf if lo_b is None else best.x - lo_b
    d, ylo = step, 0.0
    for _ in range(60):
        yhi = min(d, limit)
        if gm(yhi) >= 0:
            lo = best.x - brentq(gm, ylo, yhi, xtol=1e-7 * step, rtol=1e-9)
            return Interval(float(lo), hi, best.x, float(cl), qc, False)
        ylo, d = yhi, 2 * d
    raise FitError("interval lower end: no crossing found")


def band_targets(cl: float, convention: str, bounded: bool) -> dict[str, float]:
    """√q_A targets of the band edges N = 0, ±1, ±2 (asymptotic, background-only truth).

    With x̂ ~ N(0, σ) and Z = √q_c: for x̂ = Nσ ≥ 0 the limit is x_up = σ(Z + N) (CCGV eq. 89);
    for q̃ and x̂ = Nσ < 0, q̃ = (x² − 2x x̂)/σ² (CCGV eq. 62 with λ(x)/λ(0)) gives
    x_up = σ(N + √(N² + Z²)). With σ = x/√q_A(x) (CCGV eq. 31) each edge solves q_A(x) = t².
    """
    z = np.sqrt(critical_value(cl, convention))
    out = {}
    for key, n in (("minus2", -2), ("minus1", -1), ("median", 0), ("plus1", 1), ("plus2", 2)):
        if n < 0 and bounded and convention == "q_tilde":
            out[key] = float(n + np.sqrt(n * n + z * z))
        else:
            out[key] = float(n + z)
    return out


def expected_band(
    lik, cl: float = 0.90, convention: str = "q_tilde", x_true: float = 0.0
) -> ExpectedBand:
    """Asimov expected upper-limit band (median, ±1σ, ±2σ) for true POI ``x_true`` (default
    background only), nuisances at nominal. Requires a likelihood with an ``asimov`` method
    (binned, or a combination of binned). Edges whose target is ≤ 0 are clipped to ``x_true``.
    """
    convention = choice("convention", convention, CONVENTIONS)
    if not hasattr(lik, "asimov"):
        raise NuemInputError(f"{type(lik).__name__} has no Asimov data set; use a binned model")
    a = lik.asimov(x_true)
    best = fit(a)
    targets = band_targets(cl, convention, lik.poi_lower is not None)
    vals = {}
    for key, t in targets.items():
        if t <= 0:
            vals[key] = float(x_true)
            continue
        vals[key] = _solve_up(
            lambda x, t=t: q_profile(a, x, best) - t * t,
            best.x,
            0.5 * lik.poi_scale,
            f"expected band {key}",
        )
    return ExpectedBand(cl=float(cl), convention=convention, **vals)
