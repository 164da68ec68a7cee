"""BBN and the dipole portal: thermal N from the moment, its late decays, N in equilibrium at BBN.

Treatment (docs/cosmo.md; a transparent model, not a BBN network):

1. Abundance. Gamma/H grows like T (:mod:`nuem.cosmo.flip`), so for any mu an N with
   M < T_dec was in equilibrium and froze out relativistic at T_dec (Gamma(T_dec) = H(T_dec)),
   with yield Y_N = n_N/s = (135 zeta(3)/(8 pi^4)) g_N/g_s(T_dec), g_N = 2 (two helicity states;
   Dirac: N_R and its antiparticle, Majorana: two helicities). A finite reheating temperature
   T_RH < T_dec scales Y_N by Gamma/H(T_RH) (freeze-in).
2. Late decays (lower part of the excluded region). N decays with lifetime tau_N
   (:func:`nuem.astro.hnl.lifetime`, Dirac or Majorana). Excluded if it decays after
   t_min (default 1 s: n/p freeze-out) *and* its energy density at decay,
   rho_N/rho_rad = (4/3) M Y_N g_s/(g_rho T), exceeds xi_max (default 1 %: the percent-level
   precision of Y_p and D/H; a user parameter, not derived). This gives tau_N > t_crit(M):
   the band mu < mu_late(M).
3. Equilibrium at BBN (upper part, light N). If N is kept in contact at T_BBN (default 1 MeV) by
   scattering (the flip rate) or inverse decays (Gamma_N min(1, M/3T)), it adds
   Delta N_eff = rho_N(M, T_BBN)/rho_nu(T_BBN) (one flavour of nu + nubar equivalents); excluded
   when that exceeds ``delta_neff_bbn`` (default 0.5): the band mu > mu_eq(M).
Photodisintegration thresholds, hadronic channels and the CMB are not modelled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import non_negative, positive
from nuem.astro import hnl
from nuem.cosmo.flip import flip_rate
from nuem.cosmo.neff import decoupling_temperature
from nuem.cosmo.thermo import g_rho, g_s, hubble, time_at

_ZETA3 = 1.2020569031595942
G_N = 2.0
_X = np.linspace(0.0, 60.0, 1201)


def yield_thermal(t_dec: float) -> float:
    """n_N/s of a relativistic freeze-out at T_dec [MeV] (dimensionless)."""
    return 135.0 * _ZETA3 / (8.0 * math.pi**4) * G_N / float(g_s(t_dec))


def _rho_fd(m_over_t: float) -> float:
    """∫ x^2 sqrt(x^2 + a^2)/(e^sqrt(x^2+a^2) + 1) dx (per state, units of T^4 / (2 pi^2))."""
    e = np.sqrt(_X**2 + m_over_t**2)
    return float(np.trapezoid(_X**2 * e / (np.exp(np.minimum(e, 700.0)) + 1.0), _X))


def equilibrium_delta_neff(M: float, T: float) -> float:
    """Delta N_eff of an equilibrium N (g_N = 2) of mass M [MeV] at T [MeV]."""
    return G_N / 2.0 * _rho_fd(M / T) / _rho_fd(0.0)


@dataclass(frozen=True)
class BBNBands:
    """Excluded moments [mu_B] per mass [MeV]: mu < late_upper (late decays; NaN: none) and
    mu > equilibrium_lower (N in equilibrium at BBN; NaN: none)."""

    mass_MeV: np.ndarray
    late_upper_muB: np.ndarray
    equilibrium_lower_muB: np.ndarray


def _late_decay_edge(M: float, majorana: bool, xi_max: float, t_min: float,
                     t_reheat: float) -> float:
    """mu_late [mu_B]: below it the relic N decays after t_crit(M); NaN if nothing excluded."""
    if M <= 0:
        return math.nan
    mu = 1e-12 * u.mu_B
    for _ in range(4):  # Y_N depends weakly on mu through T_dec
        t_dec = min(decoupling_temperature(mu), 1e8)
        if t_dec < M:
            return math.nan  # N non-relativistic at freeze-out: Boltzmann-suppressed relic
        y = yield_thermal(min(t_dec, t_reheat))
        if t_reheat < t_dec:
            y *= min(float(flip_rate(t_reheat, mu) / hubble(t_reheat)), 1.0)
        # rho_N/rho_rad = (4/3) (M/T) y g_s/g_rho = xi_max  ->  T_crit (late-time g ratio)
        ratio = float(g_s(1e-3) / g_rho(1e-3))
        t_crit_temp = 4.0 / 3.0 * M * y * ratio / xi_max
        t_crit = max(float(time_at(t_crit_temp)), t_min)
        width_unit = float(hnl.decay_width(M, u.mu_B, majorana))
        mu = u.mu_B * math.sqrt(u.hbar_Planck / (t_crit * width_unit))
    return mu / u.mu_B


def _equilibrium_edge(M: float, majorana: bool, t_bbn: float, delta_neff_bbn: float) -> float:
    """mu_eq [mu_B] above which N is in equilibrium at T_BBN and too abundant; NaN if never."""
    if equilibrium_delta_neff(M, t_bbn) <= delta_neff_bbn:
        return math.nan
    per_mu2 = float(flip_rate(t_bbn, u.mu_B))
    if M > 0:
        per_mu2 += float(hnl.decay_width(M, u.mu_B, majorana)) * min(1.0, M / (3.0 * t_bbn))
    return math.sqrt(float(hubble(t_bbn)) / per_mu2)


def bbn_bands(
    M: ArrayLike,
    majorana: bool = False,
    xi_max: float = 0.01,
    t_min: float = 1.0 * u.s,
    t_bbn: float = 1.0 * u.MeV,
    delta_neff_bbn: float = 0.5,
    t_reheat: float = math.inf,
) -> BBNBands:
    """The BBN-excluded moments of the dipole portal vs N mass ``M`` [MeV] (see module doc).

    xi_max: allowed rho_N/rho_rad at decay; t_min [time]; t_bbn [MeV]; t_reheat [MeV]."""
    M = np.atleast_1d(non_negative("M", M, "MeV"))
    xi_max = float(positive("xi_max", xi_max))
    t_min = float(positive("t_min", t_min, "(time)"))
    t_bbn = float(positive("t_bbn", t_bbn, "MeV"))
    delta_neff_bbn = float(positive("delta_neff_bbn", delta_neff_bbn))
    t_rh = float(positive("t_reheat", t_reheat, "MeV")) if math.isfinite(t_reheat) else math.inf
    late = np.array([_late_decay_edge(float(m), majorana, xi_max, t_min, t_rh) for m in M])
    eq = np.array([_equilibrium_edge(float(m), majorana, t_bbn, delta_neff_bbn) for m in M])
    return BBNBands(M, late, eq)
