"""Thermal history: g_rho(T), g_s(T), the Hubble rate and the time-temperature relation.

g(T) for 1 MeV <= T <= 282 GeV: Borsanyi et al., Nature 539 (2016) 69, arXiv:1606.07494, Table S2
(package data ``nuem/data/cosmo/gstar_borsanyi2016.csv``), linear in log10 T between the nodes.
Above 282 GeV the last node is kept. Below 1 MeV (e+- annihilation), nuem interpolates linearly
in log10 T to the post-annihilation values g_rho = 3.36, g_s = 3.91 reached at T = 30 keV
(instantaneous neutrino decoupling; an approximation, not from the table).

H(T) = sqrt(8 pi^3 g_rho/90) T^2/M_Pl (radiation domination), M_Pl = G_N^-1/2 = 1.2209e19 GeV
(CODATA 2022 G_N); t(T) = 1/(2 H) for constant g.
"""

from __future__ import annotations

import math
from importlib.resources import files

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import positive

_TABLE = np.loadtxt(
    files("nuem") / "data" / "cosmo" / "gstar_borsanyi2016.csv", delimiter=",", comments="#",
    skiprows=6,
)
_LOGT = _TABLE[:, 0]
_G_RHO = _TABLE[:, 1]
_G_S = _TABLE[:, 1] / _TABLE[:, 2]
#: after e+- annihilation (photons + 3 decoupled nu at T_nu = (4/11)^(1/3) T)
G_RHO_LATE, G_S_LATE, _LOGT_LATE = 3.36, 3.91, math.log10(0.03)
SOURCE = "Borsanyi et al., Nature 539 (2016) 69, arXiv:1606.07494, Table S2"

def _m_planck_mev() -> float:
    # hbar c / G in hepunits -> mass^2; E_Pl = sqrt(hbar c^5 / G)
    G = c.G_newton.value * u.m**3 / (u.kg * u.s**2)
    return math.sqrt(u.hbar_Planck * u.c_light**5 / G)


#: Planck mass G_N^-1/2 [MeV], sqrt(hbar c^5/G) with CODATA 2022 G.
M_PL = _m_planck_mev()


def _g(T: ArrayLike, table: np.ndarray, late: float) -> np.ndarray:
    T = positive("T", T, "MeV")
    lt = np.log10(T / u.MeV)
    x = np.concatenate([[_LOGT_LATE], _LOGT])
    y = np.concatenate([[late], table])
    return np.interp(lt, x, y)


def g_rho(T: ArrayLike) -> np.ndarray:
    """Energy-density degrees of freedom g_rho(T) (dimensionless); T [MeV]."""
    return _g(T, _G_RHO, G_RHO_LATE)


def g_s(T: ArrayLike) -> np.ndarray:
    """Entropy degrees of freedom g_s(T) (dimensionless); T [MeV]."""
    return _g(T, _G_S, G_S_LATE)


def hubble(T: ArrayLike) -> np.ndarray:
    """H(T) [MeV, natural units] = sqrt(8 pi^3 g_rho/90) T^2/M_Pl."""
    T = positive("T", T, "MeV")
    return np.sqrt(8.0 * math.pi**3 * g_rho(T) / 90.0) * T * T / M_PL


def time_at(T: ArrayLike) -> np.ndarray:
    """Cosmic time [hepunits time] at temperature T [MeV]: t = 1/(2H) (radiation domination)."""
    return u.hbar_Planck / (2.0 * hubble(T))


def temperature_at(t: ArrayLike) -> np.ndarray:
    """Temperature [MeV] at cosmic time t [hepunits time] (inverse of :func:`time_at`); outside
    1 keV - 10 TeV, T ∝ t^(-1/2) from the nearest end (constant g, radiation domination)."""
    t = positive("t", t, "(time)")
    grid = np.logspace(-3, 7, 2001)
    lt = np.log(time_at(grid))[::-1]
    lg = np.log(grid)[::-1]
    x = np.log(t)
    inside = np.interp(x, lt, lg)
    return np.exp(np.where(x > lt[-1], lg[-1] - 0.5 * (x - lt[-1]),
                           np.where(x < lt[0], lg[0] - 0.5 * (x - lt[0]), inside)))
