"""Plasmon decay gamma* -> nu nubar (SM, magnetic moment) and gamma* -> nu N; the energy loss.

Widths in the medium frame for a plasmon (omega, k) of residue Z, K^2 = omega^2 - k^2
(natural units):

- magnetic moment, massless final states (Haft, Raffelt & Weiss, ApJ 425 (1994) 222; Raffelt,
  "Stars as Laboratories" (1996) eq. 6.101):  Gamma_mu = Z mu^2 K^4/(24 pi omega);
- with a final N of mass M (gamma* -> nu Nbar and N nubar through
  L ⊃ ½ mu nubar_L sigma N_R F + h.c.), derived here (docs/astro.md):
  Gamma = Gamma_mu(M=0) S(M^2/K^2),  S(x) = (1 - x)^2 (1 + 2x) for x < 1, else 0.
  The spin sum is mu^2 [(K^2 - M^2) M^2 + 4 K^2 (p_nu.eps)^2]; the angular average of
  (p_nu.eps)^2 in the plasmon rest frame is (K^2 - M^2)^2/(12 K^2), the two-body phase space
  (K^2 - M^2)/(8 pi K^2), and the time dilation sqrt(K^2)/omega. The tests check S against a
  Monte-Carlo phase-space integration of the spin sum.
- SM, vector coupling only, summed over flavours (Haft et al. 1994):
  Gamma_SM = Z (sum_f C_V,f^2) G_F^2 K^6/(48 pi^2 alpha omega),
  C_V = 1/2 + 2 s_W^2 (nu_e), -1/2 + 2 s_W^2 (nu_mu, nu_tau).

Energy-loss rate per volume, Q = sum_{T, L} g ∫ d^3k/(2pi)^3 omega Gamma f_B(omega) with g_T = 2,
g_L = 1 and the Braaten-Segel dispersion (:mod:`nuem.astro.plasma`).

Which moment enters: Gamma_mu holds for a Dirac diagonal moment mu, for nuem's chiral transition
moment to N (L ⊃ ½ mu nubar_L sigma N_R F + h.c.; the two channels nu Nbar + N nubar add up to
the same rate), and, for several final states, mu^2 -> mu_eff^2 = sum_{jk} (|mu_jk|^2 + |eps_jk|^2)
over all entries of the moment matrix, Dirac or Majorana (Raffelt 1996 §6.5.6):
:func:`effective_moment`, :func:`energy_loss_matrix`.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import choice, non_negative
from nuem.astro.plasma import Plasma
from nuem.theory.moments import MomentMatrix
from nuem.xsec.conventions import mu_natural

ALPHA = c.alpha.value
G_F = c.G_F.value  # MeV^-2


def phase_space_factor(M: ArrayLike, K2: ArrayLike) -> np.ndarray:
    """S = (1 - x)^2 (1 + 2x), x = M^2/K^2; 0 for M^2 >= K^2 (dimensionless).

    M [MeV], K2 = omega^2 - k^2 [MeV^2]."""
    M = non_negative("M", M, "MeV")
    K2 = np.asarray(K2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(K2 > 0, M * M / np.where(K2 > 0, K2, 1.0), np.inf)
    return np.where(x < 1.0, (1.0 - x) ** 2 * (1.0 + 2.0 * x), 0.0)


def width_moment(omega, k, Z, mu, M=0.0) -> np.ndarray:
    """Gamma(gamma* -> nu Nbar + N nubar) [MeV] = Z mu^2 K^4 S(M^2/K^2)/(24 pi omega).

    omega, k [MeV]; Z residue; mu in hepunits (e.g. ``1e-12*u.mu_B``); M [MeV] (0: nu nubar)."""
    omega, k, Z = (np.asarray(a, dtype=float) for a in (omega, k, Z))
    g = mu_natural(non_negative("mu", mu))
    K2 = np.maximum(omega * omega - k * k, 0.0)
    return Z * g * g * K2 * K2 * phase_space_factor(M, K2) / (24.0 * math.pi * omega)


def sm_cv2_sum(sin2w: float | None = None) -> float:
    """sum over nu_e, nu_mu, nu_tau of C_V^2 (dimensionless), C_V = +-1/2 + 2 s_W^2."""
    s2 = c.sin2_theta_w(sin2w)
    return (0.5 + 2 * s2) ** 2 + 2 * (-0.5 + 2 * s2) ** 2


def width_sm(omega, k, Z, sin2w: float | None = None) -> np.ndarray:
    """SM Gamma(gamma* -> nu nubar) [MeV], vector part, three flavours (Haft et al. 1994)."""
    omega, k, Z = (np.asarray(a, dtype=float) for a in (omega, k, Z))
    K2 = np.maximum(omega * omega - k * k, 0.0)
    pre = sm_cv2_sum(sin2w) * G_F**2 / (48.0 * math.pi**2 * ALPHA)
    return pre * Z * K2**3 / omega


def effective_moment(moments: MomentMatrix | ArrayLike, eps: ArrayLike | None = None) -> float:
    """Plasmon-decay moment mu_eff [mu_B] = sqrt(sum_jk |mu_jk|^2 + |eps_jk|^2) (Raffelt 1996
    §6.5.6), for a :class:`nuem.theory.MomentMatrix` (Dirac or Majorana, any basis: the sum is
    basis-invariant) or a plain 3x3 ``mu`` (and ``eps``) array in mu_B.

    Dirac: the final states nu_j nubar_k are all distinct. Majorana: the unordered pair {j, k}
    gets mu_jk and mu_kj = -mu_jk coherently with a 1/2 for identical-type fermions, which is again
    the sum over all ordered entries."""
    if isinstance(moments, MomentMatrix):
        total = np.sum(np.abs(moments.mu) ** 2 + np.abs(moments.eps) ** 2, axis=(-2, -1))
    else:
        m = np.asarray(moments, dtype=complex)
        total = np.sum(np.abs(m) ** 2)
        if eps is not None:
            total = total + np.sum(np.abs(np.asarray(eps, dtype=complex)) ** 2)
    return float(np.sqrt(total))


def energy_loss_matrix(plasma: Plasma, moments: MomentMatrix, modes: str = "TL") -> float:
    """Q [hepunits energy/volume/time] into light neutrinos for a moment matrix (M = 0):
    :func:`energy_loss_moment` at mu = mu_eff (:func:`effective_moment`)."""
    return float(energy_loss_moment(plasma, effective_moment(moments) * u.mu_B, 0.0, modes))


# --- energy loss ----------------------------------------------------------------------------

_N_K = 1500


@functools.lru_cache(maxsize=256)
def _branches(plasma: Plasma, modes: tuple[str, ...]):
    """(g, k, omega, Z) per mode on a k grid [MeV] (cached per plasma: the dispersion does not
    depend on the moment or the N mass)."""
    T = plasma.temperature
    out = []
    if "T" in modes:
        k_hi = 60.0 * T + 10 * plasma.omega_inf
        k = np.linspace(0.0, k_hi, _N_K)
        out.append((2.0, k, plasma.omega_transverse(k), plasma.residue_transverse(k)))
    if "L" in modes:
        k_hi = min(plasma.k_max_longitudinal, 60.0 * T + 10 * plasma.omega_p)
        k = np.linspace(0.0, k_hi, _N_K)[:-1]
        out.append((1.0, k, plasma.omega_longitudinal(k), plasma.residue_longitudinal(k)))
    return out


def _bose(omega: np.ndarray, T: float) -> np.ndarray:
    return 1.0 / np.expm1(omega / T)


def _natural_power_density_to_hep(q: np.ndarray) -> np.ndarray:
    """MeV^5 (energy per volume per time, natural units) -> hepunits (MeV/mm^3/ns)."""
    return q / (u.hbarc**3 * u.hbar_Planck)


def _modes(modes: str) -> tuple[str, ...]:
    return {"TL": ("T", "L"), "T": ("T",), "L": ("L",)}[choice("modes", modes, ("TL", "T", "L"))]


def energy_loss_moment(
    plasma: Plasma, mu: ArrayLike, M: ArrayLike = 0.0, modes: str = "TL"
) -> np.ndarray:
    """Q [hepunits energy/volume/time] of gamma* -> nu Nbar + N nubar for moment mu, N mass M.

    ``M`` [MeV] broadcasts (array of masses -> array of Q); ``mu`` in hepunits; ``modes`` "TL",
    "T" or "L". M = 0 is the Dirac nu nubar rate for a diagonal moment mu. Read erg/g/s with
    ``Q/plasma.density/(u.erg/u.g/u.s)``."""
    mu = non_negative("mu", mu)
    M = non_negative("M", M, "MeV")
    g2 = mu_natural(mu) ** 2
    shape = np.broadcast(M, mu).shape
    Mf = np.broadcast_to(M, shape).reshape(-1, 1)
    total = np.zeros(Mf.shape[0])
    for g, k, w, Z in _branches(plasma, _modes(modes)):
        K2 = np.maximum(w * w - k * k, 0.0)
        f_b = _bose(np.maximum(w, 1e-300), plasma.temperature)
        base = g * k * k * Z * K2 * K2 / (24.0 * math.pi) * f_b
        integrand = base * phase_space_factor(Mf, K2)
        total += np.trapezoid(integrand, k, axis=-1) / (2.0 * math.pi**2)
    q = np.broadcast_to(g2, shape).reshape(-1) * total
    return _natural_power_density_to_hep(q).reshape(shape)


def emission_terms(plasma: Plasma, M: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per plasmon mode, (Q per k-bin per mu_B^2 [hepunits energy/volume/time], mean N energy
    omega (K^2 + M^2)/(2 K^2) [MeV]) on the k grid: the terms of :func:`energy_loss_moment`
    at mu = 1 mu_B, for callers that weight them (escape probability)."""
    M = float(non_negative("M", M, "MeV"))
    g2 = float(mu_natural(u.mu_B)) ** 2
    out = []
    for g, k, w, Z in _branches(plasma, ("T", "L")):
        K2 = np.maximum(w * w - k * k, 0.0)
        f_b = _bose(np.maximum(w, 1e-300), plasma.temperature)
        dens = g * k * k * Z * K2 * K2 / (24.0 * math.pi) * f_b * phase_space_factor(M, K2)
        dk = np.diff(k)
        wts = np.zeros_like(k)
        wts[:-1] += 0.5 * dk
        wts[1:] += 0.5 * dk
        q = _natural_power_density_to_hep(g2 * dens * wts / (2.0 * math.pi**2))
        with np.errstate(divide="ignore", invalid="ignore"):
            e_n = np.where(K2 > 0, w * (K2 + M * M) / (2.0 * np.where(K2 > 0, K2, 1.0)), w)
        out.append((q, e_n))
    return out


def energy_loss_sm(plasma: Plasma, modes: str = "TL", sin2w: float | None = None) -> float:
    """SM plasmon-decay Q [hepunits energy/volume/time], vector part, three flavours."""
    pre = sm_cv2_sum(sin2w) * G_F**2 / (48.0 * math.pi**2 * ALPHA)
    total = 0.0
    for g, k, w, Z in _branches(plasma, _modes(modes)):
        K2 = np.maximum(w * w - k * k, 0.0)
        integrand = g * k * k * Z * K2**3 * pre * _bose(np.maximum(w, 1e-300), plasma.temperature)
        total += float(np.trapezoid(integrand, k)) / (2.0 * math.pi**2)
    return float(_natural_power_density_to_hep(np.asarray(total)))


def classic_ratio(mu: float, omega_p: float) -> float:
    """Raffelt's Q_mu/Q_SM = 0.318 (mu/1e-12 mu_B)^2 (10 keV/omega_P)^2 (a published number,
    "Stars as Laboratories" §6.5.6) for comparison; mu in hepunits, omega_P [MeV]."""
    return 0.318 * (mu / (1e-12 * u.mu_B)) ** 2 * (10.0 * u.keV / omega_p) ** 2
