"""Limit-setting methods beyond the plain q̃ limit: asymptotic CLs and the power-constrained limit.

The method a user chooses (``nuem limits --method``) names one of :data:`METHODS`:

* ``q-tilde`` — the one-sided profile-likelihood limit q̃(x) = q_c = [Φ⁻¹(cl)]²
  (:func:`nuem.stats.upper_limit`, Cowan, Cranmer, Gross & Vitells, EPJC 71 (2011) 1554,
  arXiv:1007.1727 = CCGV); the default.
* ``delta-chi2`` — the same statistic with the two-sided critical value χ²₁⁻¹(cl) (2.71 at 90%).
* ``cls`` — the modified frequentist CLs = p_{s+b} / (1 − p_b) = cl' (Read, J. Phys. G 28 (2002)
  2693) with the asymptotic distributions of q̃ (CCGV eqs. 65–66): with q̃ the observed statistic
  at x and q_A the Asimov (background-only) one,

      q̃ ≤ q_A:  p_{s+b} = 1 − Φ(√q̃),                 1 − p_b = Φ(√q_A − √q̃),
      q̃ > q_A:  p_{s+b} = 1 − Φ((q̃ + q_A)/(2√q_A)),   1 − p_b = 1 − Φ((q̃ − q_A)/(2√q_A)).

  The limit is the x where CLs(x) = 1 − cl; its expected band (CCGV eq. 89 generalised to CLs)
  solves q_A(x) = t_N² with t_N = Φ⁻¹(1 − (1 − cl) Φ(N)) + N. This is pyhf's ``calctype =
  "asymptotics"`` with ``test_stat = "qtilde"`` (checked in tests/test_stats_methods.py).
* ``power-constrained`` — PCL (Cowan, Cranmer, Gross & Vitells, arXiv:1105.3166): the q̃ limit,
  but never below the expected −1σ edge (power threshold M_min = Φ(−1) = 0.16): a downward
  fluctuation cannot exclude what the experiment has no power to see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nuem._validate import choice, in_range
from nuem.errors import NuemInputError
from nuem.stats.fit import fit
from nuem.stats.limits import (
    ExpectedBand,
    UpperLimit,
    _solve_up,
    expected_band,
    q_profile,
    upper_limit,
)

#: Limit-setting methods, as the CLI spells them.
METHODS = ("q-tilde", "delta-chi2", "cls", "power-constrained")
#: The `nuem.stats.limits` convention used by each method's test statistic.
CONVENTION_OF = {
    "q-tilde": "q_tilde",
    "delta-chi2": "delta_chi2",
    "cls": "q_tilde",
    "power-constrained": "q_tilde",
}


def check_method(method: str) -> str:
    """``method`` as one of :data:`METHODS` (``_`` read as ``-``); raises NuemInputError."""
    return choice("method", str(method).strip().lower().replace("_", "-"), METHODS)


def cls_value(q_obs: float, q_asimov: float) -> float:
    """Asymptotic CLs from the observed and Asimov q̃ at one x (module docstring, CCGV 65–66).

    Parameters
    ----------
    q_obs : float
        Observed q̃(x) ≥ 0.
    q_asimov : float
        q̃(x) on the background-only Asimov data, q_A = x²/σ² ≥ 0.

    Returns
    -------
    float
        CLs in [0, 1]; 1 where q_A = 0 (no sensitivity).
    """
    from scipy.special import ndtr  # Φ (lazy: scipy.special costs ~0.2 s to import)

    q, qa = max(float(q_obs), 0.0), max(float(q_asimov), 0.0)
    if qa <= 0.0:
        return 1.0
    if q <= qa:
        p_sb = ndtr(-np.sqrt(q))
        one_minus_pb = ndtr(np.sqrt(qa) - np.sqrt(q))
    else:
        p_sb = ndtr(-(q + qa) / (2.0 * np.sqrt(qa)))
        one_minus_pb = ndtr(-(q - qa) / (2.0 * np.sqrt(qa)))
    return float(min(p_sb / one_minus_pb, 1.0)) if one_minus_pb > 0 else 1.0


def _asimov(lik, twin):
    base = lik if twin is None else twin
    if not hasattr(base, "asimov"):
        raise NuemInputError(
            f"CLs needs the background-only Asimov data set; {type(base).__name__} has none "
            "(use a binned likelihood)"
        )
    return base.asimov(0.0)


def cls_upper_limit(lik, cl: float = 0.90, twin=None) -> UpperLimit:
    """Asymptotic CLs upper limit: the x where CLs(x) = 1 − ``cl`` (module docstring).

    Parameters
    ----------
    lik : likelihood
        The observed likelihood (single POI x ≥ 0).
    cl : float
        Confidence level in (0.5, 1).
    twin : likelihood, optional
        A binned likelihood of the same model for the Asimov data (default: ``lik`` itself).

    Returns
    -------
    UpperLimit
        ``convention = "cls"``, ``test_statistic = "q_tilde"``, ``critical_value`` the observed
        q̃ at the limit (CLs has no fixed critical value).
    """
    cl = float(in_range("cl", cl, 0.5, 1 - 1e-9))
    if lik.poi_lower is None:
        raise NuemInputError("CLs needs a bounded parameter of interest (x >= 0)")
    alpha = 1.0 - cl
    best = fit(lik)
    asimov = _asimov(lik, twin)
    best_a = fit(asimov)

    def g(x):
        q = q_profile(lik, x, best)
        qa = q_profile(asimov, x, best_a)
        return alpha - cls_value(q, qa)  # increasing in x: CLs falls as x grows

    value = _solve_up(g, max(best.x, 0.0), 0.5 * lik.poi_scale, "CLs upper limit")
    q_at = q_profile(lik, value, best)
    return UpperLimit(value, best.x, best.nll2, cl, "cls", "q_tilde", float(q_at), "asymptotic")


def cls_band_targets(cl: float) -> dict[str, float]:
    """√q_A targets of the expected CLs band: t_N = Φ⁻¹(1 − (1 − cl) Φ(N)) + N (CCGV eq. 89)."""
    from scipy.special import ndtr, ndtri  # Φ and Φ⁻¹

    alpha = 1.0 - float(cl)
    out = {}
    for key, n in (("minus2", -2), ("minus1", -1), ("median", 0), ("plus1", 1), ("plus2", 2)):
        out[key] = float(ndtri(1.0 - alpha * ndtr(n)) + n)
    return out


def cls_expected_band(lik, cl: float = 0.90) -> ExpectedBand:
    """Expected CLs limits (median, ±1σ, ±2σ) on the background-only Asimov data of ``lik``."""
    if not hasattr(lik, "asimov"):
        raise NuemInputError(f"{type(lik).__name__} has no Asimov data set; use a binned model")
    a = lik.asimov(0.0)
    best = fit(a)
    vals = {
        key: _solve_up(
            lambda x, t=t: q_profile(a, x, best) - t * t,
            best.x,
            0.5 * lik.poi_scale,
            f"expected CLs band {key}",
        )
        for key, t in cls_band_targets(cl).items()
    }
    return ExpectedBand(cl=float(cl), convention="cls", **vals)


@dataclass(frozen=True)
class MethodLimit:
    """An upper limit by a chosen method, with its expected band and what decided it."""

    limit: UpperLimit
    band: ExpectedBand | None
    method: str
    note: str = ""


def limit_by_method(lik, method: str, cl: float = 0.90, twin=None) -> MethodLimit:
    """Upper limit on the POI of ``lik`` by ``method`` (one of :data:`METHODS`).

    ``twin``: a binned likelihood for the Asimov data (expected band, CLs, PCL); without one the
    band is None, and CLs / PCL need ``lik`` itself to be binned.
    """
    method = check_method(method)
    conv = CONVENTION_OF[method]
    band_lik = twin if twin is not None else (lik if hasattr(lik, "asimov") else None)
    if method == "cls":
        band = None if band_lik is None else cls_expected_band(band_lik, cl)
        return MethodLimit(cls_upper_limit(lik, cl, twin), band, method)
    band = None if band_lik is None else expected_band(band_lik, cl, conv)
    up = upper_limit(lik, cl, conv)
    if method != "power-constrained":
        return MethodLimit(up, band, method)
    if band is None:
        raise NuemInputError("the power-constrained limit needs an expected band (binned data)")
    if up.value >= band.minus1:
        return MethodLimit(up, band, method, "observed above the -1 sigma expected: unchanged")
    pcl = UpperLimit(
        band.minus1, up.x_hat, up.nll2_min, up.cl, "power_constrained", up.test_statistic,
        up.critical_value, "asymptotic",
    )  # fmt: skip
    return MethodLimit(
        pcl, band, method, f"observed {up.value:.4g} below the -1 sigma expected: power-constrained"
    )
