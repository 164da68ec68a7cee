"""Helicity-flip (nu_L -> nu_R) and N-production rate through a magnetic moment, early universe.

Leading-logarithm model (derived here; docs/cosmo.md): a nu_L scatters on every charged species f
of the bath by photon exchange, nu_L f -> nu_R f (or N f), with the Lorentz-invariant
cross section alpha mu^2 Q_f^2 ∫ dt/|t| cut by the Debye mass at small |t| and by s at large |t|:

    Gamma(T) = alpha mu^2 L(T) sum_f Q_f^2 n_f(T),   L = ln(s_bar/m_D^2), s_bar = 18 T^2,
    m_D^2 = e^2 sum_f Q_f^2 g_f/(2 pi^2 T) ∫ dp p^2 f (1 -+ f)        (e^2 T^2/3 for e+-),

with n_f the equilibrium number density (g_f internal states, mass m_f, Fermi or Bose). The
magnetic cross section at fixed target is alpha mu^2 [ln(T_max/T_min) - 1]
(:func:`nuem.xsec.electron.magnetic`); the log is what this keeps. Species: e, mu, tau; above
T_QCD = 150 MeV the quarks u, d, s, c, b, t (3 colours, PDG masses) and W+-; below it pi+-.
Plasmon decay (suppressed by the extra m_D^2 ~ alpha T^2) is not included.
The same rate is the per-particle rate that keeps an N of mass M in contact with the bath
(N f -> nu f is exothermic: no Boltzmann factor); its production from nu is suppressed by
n_N,eq/n_nu,eq instead.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem._validate import non_negative, positive
from nuem.xsec.conventions import mu_natural

ALPHA = c.alpha.value
T_QCD = 150.0  # MeV

#: (name, charge, internal states, mass [MeV], fermion?, phase) ; phase: "all", "quarks", "hadrons"
SPECIES = (
    ("e", 1.0, 4, c.m_e.value, True, "all"),
    ("mu", 1.0, 4, c.m_mu.value, True, "all"),
    ("tau", 1.0, 4, c.m_tau.value, True, "all"),
    ("u", 2 / 3, 12, 2.16, True, "quarks"),
    ("d", 1 / 3, 12, 4.70, True, "quarks"),
    ("s", 1 / 3, 12, 93.5, True, "quarks"),
    ("c", 2 / 3, 12, 1273.0, True, "quarks"),
    ("b", 1 / 3, 12, 4183.0, True, "quarks"),
    ("t", 2 / 3, 12, 172570.0, True, "quarks"),
    ("W", 1.0, 6, c.m_W.value, False, "all"),
    ("pi", 1.0, 2, c.m_pi_plus.value, False, "hadrons"),
)

_X = np.linspace(0.0, 40.0, 801)  # p/T grid


def _moments(T: float, m: float, fermion: bool) -> tuple[float, float]:
    """(n/g [MeV^3], (1/T) ∫ p^2 f(1-+f) dp/(2 pi^2) per state [MeV^2]) at temperature T."""
    p = _X * T + 1e-12
    E = np.sqrt(p * p + m * m)
    x = E / T
    sign = 1.0 if fermion else -1.0
    with np.errstate(over="ignore"):
        f = 1.0 / (np.exp(np.minimum(x, 700.0)) + sign)
    n = np.trapezoid(p * p * f, p) / (2 * math.pi**2)
    d = np.trapezoid(p * p * f * (1 - sign * f), p) / (2 * math.pi**2 * T)
    return float(n), float(d)


def _active(phase: str, T: float) -> bool:
    return phase == "all" or (phase == "quarks") == (T > T_QCD)


def charged_density_and_debye(T: float) -> tuple[float, float]:
    """(sum_f Q_f^2 n_f [MeV^3], m_D^2 [MeV^2]) of the charged bath at T [MeV]."""
    nq2, md2 = 0.0, 0.0
    for _, Q, g, m, fermion, phase in SPECIES:
        if not _active(phase, T):
            continue
        n, d = _moments(T, m, fermion)
        nq2 += Q * Q * g * n
        md2 += 4 * math.pi * ALPHA * Q * Q * g * d
    return nq2, md2


def _coefficient_exact(t: float) -> float:
    nq2, md2 = charged_density_and_debye(t)
    return ALPHA * max(math.log(18.0 * t * t / md2), 1.0) * nq2 / t**3


_LOG_T_NODES = np.linspace(-3.0, 9.0, 481)  # log10(T/MeV)


@functools.cache
def _coefficient_table() -> np.ndarray:
    return np.array([_coefficient_exact(10.0**x) for x in _LOG_T_NODES])


def flip_coefficient(T: ArrayLike) -> np.ndarray:
    """C(T) = Gamma/(mu^2 T^3) (dimensionless, mu in natural units), tabulated once on a log grid
    (1 keV .. 1e9 MeV) and interpolated; T [MeV]."""
    T = positive("T", T, "MeV")
    return np.interp(np.log10(T), _LOG_T_NODES, _coefficient_table())


def flip_rate(T: ArrayLike, mu: ArrayLike) -> np.ndarray:
    """Gamma(nu_L -> nu_R) [MeV, natural units] at temperature T [MeV] for moment mu [hepunits]."""
    T = positive("T", T, "MeV")
    g2 = mu_natural(non_negative("mu", mu)) ** 2
    return flip_coefficient(T) * T**3 * g2
