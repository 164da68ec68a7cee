"""Electron-scattering cross sections as polynomials in 1/E at fixed recoil T.

At fixed T (and N mass M) every channel of :mod:`nuem.xsec.electron` is exactly

    dsigma/dT (E, T) = a_0(T) + a_1(T) / E + a_2(T) / E^2      for E >= E_min(T, M),

so the neutrino-energy integral of any flux reduces to three cumulative flux moments
C_j(E_min) = int_{E_min} dE Phi(E) E^-j (:mod:`nuem.rates.moments`). The functions here return
the coefficient stack ``a[j]`` (shape ``(3,) + T.shape``), a_j in area/energy x energy^j, written
out from the formulas of :mod:`nuem.xsec.electron` (tests compare them with those functions at
random points):

- weak (Vogel & Engel 1989), with a = g_V + g_A, b = g_V - g_A:
  K [a^2 + b^2 (1 - T/E)^2 - a b m T/E^2] = K [(a^2 + b^2) - 2 b^2 T/E + (b^2 T^2 - a b m T)/E^2];
- g_V-shift brackets (charge radius, millicharge; Giunti & Studenikin arXiv:1403.6344):
  B(g_V + d) = B0 + d B1 + d^2 B2 with B1 = 2(a+b) - 4bT/E + (2bT^2 - (a+b) m T)/E^2,
  B2 = 2 - 2T/E + (T^2 - m T)/E^2;
- dipole per (mu/mu_B)^2 (nuem's bracket, PHYSICS.md §1): alpha mu_B^2 [1/T - (1 + M^2/(2Tm))/E
  + (M^2 (T - m)/(4 T m) + M^4 (T - m)/(8 T^2 m^2))/E^2]; M = 0 is the magnetic moment.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem.xsec import electron

__all__ = [
    "K_WEAK",
    "ALPHA_MUB2",
    "weak",
    "dipole",
    "vshift_brackets",
    "charge_radius",
    "millicharge",
    "cross_term",
    "photon_splitting",
]

_ME = c.m_e.value
_NAT = u.natural_to_area
#: G_F^2 m_e / (2 pi) as area/energy.
K_WEAK = c.G_F.value**2 * _ME / (2.0 * math.pi) * _NAT
#: alpha mu_B^2 = pi alpha^2 / m_e^2 as an area (the dipole prefactor per (mu/mu_B)^2).
ALPHA_MUB2 = math.pi * c.alpha.value**2 / _ME**2 * _NAT
#: g_V shift per r2/cm^2 (see :func:`nuem.xsec.electron.delta_gv_charge_radius`).
DV_R2 = float(electron.delta_gv_charge_radius(u.cm2))


def _ab(flavour: str, anti: bool, sin2w: float | None) -> tuple[float, float]:
    gv, ga = electron.couplings(flavour, anti, sin2w)
    return gv + ga, gv - ga


def weak(T: ArrayLike, flavour: str, anti: bool = False, sin2w: float | None = None) -> np.ndarray:
    """Coefficients (3,)+T.shape of the SM nu_l e (``anti``: nubar_l e) cross section."""
    T = np.asarray(T, dtype=np.float64)
    a, b = _ab(flavour, anti, sin2w)
    one = np.ones_like(T)
    return K_WEAK * np.stack(
        [(a * a + b * b) * one, -2.0 * b * b * T, b * b * T * T - a * b * _ME * T]
    )


def dipole(T: ArrayLike, M: ArrayLike = 0.0) -> np.ndarray:
    """Coefficients (3,)+shape of nu e -> N e per (mu/mu_B)^2; ``M = 0``: magnetic moment."""
    T, M = np.broadcast_arrays(np.asarray(T, np.float64), np.asarray(M, np.float64))
    m = _ME
    M2 = M * M
    a0 = 1.0 / T
    a1 = -1.0 - M2 / (2.0 * T * m)
    a2 = M2 * (T - m) / (4.0 * T * m) + M2 * M2 * (T - m) / (8.0 * T * T * m * m)
    return ALPHA_MUB2 * np.stack([a0, a1, a2])


def vshift_brackets(
    T: ArrayLike, flavour: str, anti: bool = False, sin2w: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(B1, B2) coefficient stacks (dimensionless x energy^j) of the g_V-shift expansion."""
    T = np.asarray(T, dtype=np.float64)
    a, b = _ab(flavour, anti, sin2w)
    one = np.ones_like(T)
    B1 = np.stack([2.0 * (a + b) * one, -4.0 * b * T, 2.0 * b * T * T - (a + b) * _ME * T])
    B2 = np.stack([2.0 * one, -2.0 * T, T * T - _ME * T])
    return B1, B2


def charge_radius(
    T: ArrayLike, flavour: str, anti: bool = False, sin2w: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(S1, S2) coefficient stacks per r2/cm^2 and (r2/cm^2)^2 of the charge-radius terms."""
    B1, B2 = vshift_brackets(T, flavour, anti, sin2w)
    return K_WEAK * DV_R2 * B1, K_WEAK * DV_R2 * DV_R2 * B2


def _dq(T: np.ndarray) -> np.ndarray:
    """g_V shift per unit millicharge, -sqrt2 pi alpha/(G_F m T)."""
    return -math.sqrt(2.0) * math.pi * c.alpha.value / (c.G_F.value * _ME * T)


def millicharge(
    T: ArrayLike, flavour: str, anti: bool = False, sin2w: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(S1, S2) coefficient stacks per q/e and (q/e)^2 of the millicharge terms."""
    T = np.asarray(T, dtype=np.float64)
    B1, B2 = vshift_brackets(T, flavour, anti, sin2w)
    dq = _dq(T)
    return K_WEAK * dq * B1, K_WEAK * dq * dq * B2


def cross_term(T: ArrayLike) -> np.ndarray:
    """Coefficients per (q/e)(r2/cm^2) of the charge-radius x millicharge cross term 2 dV_r dV_q B2.

    Flavour independent (B2 does not depend on the couplings).
    """
    T = np.asarray(T, dtype=np.float64)
    _, B2 = vshift_brackets(T, "mu")
    return K_WEAK * 2.0 * DV_R2 * _dq(T) * B2


def photon_splitting(T: ArrayLike) -> np.ndarray:
    """Coefficients (3,)+T.shape of the spin-1/2 photon-emission factor 1 - T/E + T^2/(2E^2).

    (1 + (1 - x)^2)/2 with x = T/E: the Weizsaecker-Williams photon spectrum of a massless
    fermion relative to its x -> 0 limit; multiplies the distant-collision term of
    :mod:`nuem.xsec.photoabsorption` (E >= T).
    """
    T = np.asarray(T, dtype=np.float64)
    return np.stack([np.ones_like(T), -T, 0.5 * T * T])
