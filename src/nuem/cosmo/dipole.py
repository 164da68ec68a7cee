"""BBN and the dipole portal: thermal N from the moment, its late decays, N in equilibrium at BBN.

Treatment (docs/cosmo.md; a transparent model, not a BBN network):

1. Abundance. Gamma/H grows like T (:mod:`nuem.cosmo.flip`), so for any mu an N with
   M < T_dec was in equilibrium and froze out relativistic at T_dec (Gamma(T_dec) = H(T_dec)),
   with yield Y_N = n_N/s = (135 zeta(3)/(8 pi^4)) g_N/g_s(T_dec), g_N = 2 (two helicity states;
   Dirac: N_R and its antiparticle, Majorana: two helicities). A finite reheating temperature
   T_RH < T_dec scales Y_N by Gamma/H(T_RH) (freeze-in).
2. Late decays (lower part of the excluded region). N decays with lifetime tau_N
   (:func:`nuem.astro.hnl.lifetime`, Dirac or Majorana). A moment is excluded if either
   A. (expansion rate during BBN) at some T between T_BBN = 1 MeV and T_D = 0.07 MeV the
      surviving N, rho_N e^(-t/tau_N) with rho_N = n_N sqrt(M^2 + (3.15 T_N)^2), exceed
      ``delta_neff_bbn`` (0.5) neutrino species, rho_nu1 = (7/8)(pi^2/15) T_nu^4 with
      T_nu^3 = T^3 g_s(T)/10.75 (e+- entropy into photons); or
   C. (entropy injection after D formation) the photons of N -> nu gamma (half the energy)
      dilute the baryon-to-photon ratio between BBN and the CMB by more than ``eps_eta`` (5 %):
      Delta eta/eta = (3/4)(1/2) int_{t_D}^{t_rec} (rho_N/rho_gamma)(t) e^(-t/tau_N) dt/tau_N
      (the photons carry half of each decay's energy; rho_N/rho_gamma grows as M/T), up to
      recombination (t_rec, :data:`nuem.constants.t_recombination`): photons injected after
      last scattering do not change the eta that the CMB measures. (An N living past
      recombination is constrained by other physics: its relic density, CMB anisotropies,
      X-ray lines; none of those is modelled here.)
   Both are energy arguments: no photodisintegration. For M/2 < 2.22 MeV (the deuteron binding
   energy), i.e. M < 4.45 MeV, the photons cannot destroy D at all, and A/C are the physics; for
   heavier N criterion A already excludes tau_N >~ 1 s for the thermal relic, so the stronger
   photodisintegration bound (which needs tau_N >~ 1e4 s, once the cascade cut-off
   m_e^2/(22 T) exceeds 2.22 MeV) changes nothing unless the relic is diluted (low T_RH).
   The band is a range of moments: with T_RH = inf it is open downwards (every small moment is
   excluded); with a low T_RH the freeze-in yield ∝ mu^2 closes it from below.
3. Equilibrium at BBN (upper part, light N). If N is kept in contact at T_BBN (default 1 MeV) by
   scattering (the flip rate) or inverse decays (Gamma_N min(1, M/3T)), it adds
   Delta N_eff = rho_N(M, T_BBN)/rho_nu(T_BBN) (one flavour of nu + nubar equivalents); excluded
   when that exceeds ``delta_neff_bbn`` (default 0.5): the band mu > mu_eq(M).
Photodisintegration thresholds and hadronic channels are not modelled; Delta N_eff at
recombination from the same relic and lifetime is :mod:`nuem.cosmo.cmb`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import non_negative, positive
from nuem.astro import hnl
from nuem.cosmo.flip import flip_rate
from nuem.cosmo.neff import decoupling_temperature
from nuem.cosmo.thermo import g_s, hubble, temperature_at, time_at
from nuem.errors import NuemInputError

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
    """Excluded moments [mu_B] per mass [MeV]: late_lower <= mu <= late_upper (late decays; NaN:
    none; late_lower = 0 when open downwards) and mu > equilibrium_lower (N in equilibrium at
    BBN; NaN: none)."""

    mass_MeV: np.ndarray
    late_upper_muB: np.ndarray
    equilibrium_lower_muB: np.ndarray
    late_lower_muB: np.ndarray


#: moments scanned for the late-decay band [mu_B] (0.02 dex = 4.7 % steps)
_MU_SCAN = np.logspace(-17.0, -3.0, 701)


@functools.lru_cache(maxsize=16)
def _relic_yields(t_reheat: float) -> tuple[np.ndarray, np.ndarray]:
    """(n_N/s, freeze-out T [MeV]) of the thermal relic at each moment of :data:`_MU_SCAN`."""
    y, t_f = np.zeros(_MU_SCAN.shape), np.zeros(_MU_SCAN.shape)
    for i, x in enumerate(_MU_SCAN):
        t_dec = min(decoupling_temperature(x * u.mu_B), 1e8)
        t_f[i] = min(t_dec, t_reheat)
        y[i] = yield_thermal(t_f[i])
        if t_reheat < t_dec:
            y[i] *= min(float(flip_rate(t_reheat, x * u.mu_B) / hubble(t_reheat)), 1.0)
    return y, t_f


def relic_population(M: float, mu: ArrayLike, t_reheat: float = math.inf
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(n_N/s, freeze-out temperature T_f [MeV]) of the relic N of mass ``M`` [MeV] at moments
    ``mu`` [hepunits], interpolated in log mu on :data:`_MU_SCAN` (module doc, item 1).

    The one source of the relic for the BBN criteria and :mod:`nuem.cosmo.cmb`. An N that is
    non-relativistic at freeze-out (T_f < M) is counted as Boltzmann-suppressed: n_N/s = 0, and
    so is mu = 0 (no production). ``t_reheat`` [MeV] (inf: no limit)."""
    mu = np.asarray(non_negative("mu", mu), dtype=float)
    x = np.log(np.clip(mu / u.mu_B, _MU_SCAN[0], _MU_SCAN[-1]))
    y, t_f = _relic_yields(float(t_reheat))
    lmu = np.log(_MU_SCAN)
    y_i = np.exp(np.interp(x, lmu, np.log(y)))
    t_i = np.exp(np.interp(x, lmu, np.log(t_f)))
    return np.where((t_i < M) | (mu == 0), 0.0, y_i), t_i


def _late_margins(M: float, majorana: bool, t_bbn: float, t_d: float, delta_neff_bbn: float,
                  eps_eta: float, t_reheat: float) -> np.ndarray:
    """max(R_A, R_C) on :data:`_MU_SCAN`: excluded where > 1 (criteria A and C, module doc)."""
    y, t_f = relic_population(M, _MU_SCAN * u.mu_B, t_reheat)
    tau = hnl.lifetime(M, _MU_SCAN * u.mu_B, majorana)[:, None]
    T = np.geomspace(t_bbn, t_d, 48)[None, :]  # during BBN, MeV
    g_T = g_s(T)
    t_nu = T * np.minimum(g_T / 10.75, 1.0) ** (1.0 / 3.0)  # e+- entropy went into photons
    rho_nu1 = 7.0 / 8.0 * math.pi**2 / 15.0 * t_nu**4
    t_n = T * (g_T / g_s(t_f)[:, None]) ** (1.0 / 3.0)  # N momenta redshift freely
    rho_n = y[:, None] * 2.0 * math.pi**2 / 45.0 * g_T * T**3 * np.sqrt(M * M + (3.15 * t_n) ** 2)
    r_a = np.max(rho_n * np.exp(-time_at(T) / tau) / rho_nu1, axis=1) / delta_neff_bbn
    # C: photons of decays between D formation and recombination dilute eta:
    # d ln eta = -(3/4) (1/2) (rho_N/rho_gamma)(t) e^(-t/tau) dt/tau, integrated over the window
    t = np.geomspace(float(time_at(t_d)), c.t_recombination.value, 240)
    T_t = temperature_at(t)
    per_yield = 2.0 * math.pi**2 / 45.0 * g_s(T_t) * T_t**3 * M / (math.pi**2 / 15.0 * T_t**4)
    decay = np.exp(-t[None, :] / tau) / tau  # tau: (n_mu, 1)
    r_g = y * np.trapezoid(per_yield[None, :] * decay, t, axis=1)
    return np.maximum(r_a, 0.375 * r_g / eps_eta)


def _late_decay_edges(M: float, majorana: bool, t_bbn: float, t_d: float, delta_neff_bbn: float,
                      eps_eta: float, t_reheat: float) -> tuple[float, float]:
    """(lowest, highest) excluded moment [mu_B] of the late-decay band; NaN if none; the lowest
    is 0 when the scan's smallest moment is excluded (open downwards), the highest NaN when its
    largest is (open upwards)."""
    if M <= 0:
        return math.nan, math.nan
    bad = _late_margins(M, majorana, t_bbn, t_d, delta_neff_bbn, eps_eta, t_reheat) > 1.0
    if not bad.any():
        return math.nan, math.nan
    lo, hi = int(np.argmax(bad)), int(bad.size - 1 - np.argmax(bad[::-1]))
    lower = 0.0 if lo == 0 else math.sqrt(_MU_SCAN[lo - 1] * _MU_SCAN[lo])
    upper = math.nan if hi == bad.size - 1 else math.sqrt(_MU_SCAN[hi] * _MU_SCAN[hi + 1])
    return lower, upper


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
    t_bbn: float = 1.0 * u.MeV,
    t_deuterium: float = 0.07 * u.MeV,
    delta_neff_bbn: float = 0.5,
    eps_eta: float = 0.05,
    t_reheat: float = math.inf,
) -> BBNBands:
    """The BBN-excluded moments of the dipole portal vs N mass ``M`` [MeV] (see module doc).

    t_bbn, t_deuterium [MeV]: start of BBN (n/p freeze-out) and D formation; delta_neff_bbn:
    allowed extra energy density during BBN in units of one neutrino species; eps_eta: allowed
    dilution of eta after D formation; t_reheat [MeV]."""
    M = np.atleast_1d(non_negative("M", M, "MeV"))
    t_bbn = float(positive("t_bbn", t_bbn, "MeV"))
    t_d = float(positive("t_deuterium", t_deuterium, "MeV"))
    if t_d >= t_bbn:
        raise NuemInputError(f"t_deuterium = {t_d} MeV must be below t_bbn = {t_bbn} MeV")
    delta_neff_bbn = float(positive("delta_neff_bbn", delta_neff_bbn))
    eps_eta = float(positive("eps_eta", eps_eta))
    t_rh = float(positive("t_reheat", t_reheat, "MeV")) if math.isfinite(t_reheat) else math.inf
    late = np.array([_late_decay_edges(float(m), majorana, t_bbn, t_d, delta_neff_bbn, eps_eta,
                                       t_rh) for m in M]).reshape(-1, 2)
    eq = np.array([_equilibrium_edge(float(m), majorana, t_bbn, delta_neff_bbn) for m in M])
    return BBNBands(M, late[:, 1], eq, late[:, 0])
