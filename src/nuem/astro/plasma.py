"""An electron-positron plasma: composition, Fermi-Dirac moments, plasmon dispersion and residues.

Formulas (natural units, hbar = c = k_B = 1; Braaten & Segel, PRD 48 (1993) 1478,
arXiv:hep-ph/9302213; Raffelt, "Stars as Laboratories for Fundamental Physics" (1996) §6.3):

- plasma frequency and the "typical velocity" v_* = omega_1/omega_P from the e+- distributions
  f = f_-(E) + f_+(E) (Fermi-Dirac with chemical potentials +-mu_e):

      omega_P^2 = (4 alpha/pi) ∫ dp p^2/E (1 - v^2/3) f,
      omega_1^2 = (4 alpha/pi) ∫ dp p^2/E (5 v^2/3 - v^4) f;

- dispersion relations, with x = v_* k/omega and A(x) = artanh(x)/x:

      transverse:    omega^2 = k^2 + omega_P^2 G_T(x),  G_T = (3/(2x^2)) [1 - (1 - x^2) A(x)],
      longitudinal:  omega^2 = omega_P^2 G_L(x),        G_L = (3/x^2) [A(x) - 1].

  (The longitudinal relation is Braaten-Segel's k^2 = (3 omega_P^2/v_*^2)[A - 1] divided by
  x^2/v_*^2 = k^2/omega^2.) G_T, G_L -> 1 for x -> 0: omega_T^2 = k^2 + omega_P^2 (1 + x^2/5),
  omega_L^2 = omega_P^2 (1 + 3 x^2/5). The longitudinal branch ends at the light cone,
  k_max = omega_P sqrt(G_L(v_*)).
- residues, derived here from the covariant self-energies pi_T = omega_P^2 G_T and
  pi_L = K^2 omega_P^2 G_L/omega^2 (K^2 = omega^2 - k^2; pole at K^2 = pi),
  Z = (1 - d pi/d omega^2)^-1:

      Z_T = [1 + omega_P^2 x G_T'(x)/(2 omega^2)]^-1,
      Z_L = (omega^2/K^2) [1 + x G_L'(x)/(2 G_L(x))]^-1.

  They equal Braaten-Segel's closed forms
  Z_T = 2 w^2 (w^2 - v^2 k^2)/[3 w_P^2 w^2 + (w^2 + k^2)(w^2 - v^2 k^2) - 2 w^2 (w^2 - k^2)] and
  Z_L = [2 (w^2 - v^2 k^2)/(3 w_P^2 - (w^2 - v^2 k^2))] w^2/(w^2 - k^2) (checked in the tests);
  with this normalisation both modes decay with the vacuum formulas times Z (Haft, Raffelt &
  Weiss, ApJ 425 (1994) 222).

Ions are static on these time scales (their plasma frequency is smaller by sqrt(m_e/m_ion)) and
only fix the electron density through Y_e. Plasma quantities are scalars (one condition per
:class:`Plasma`); the dispersion functions broadcast over k.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import choice, in_range, non_negative, positive
from nuem.errors import NuemInputError

ALPHA = c.alpha.value
M_E = c.m_e.value
#: mass of the atomic mass unit in hepunits (931.494 MeV / c^2)
_AMU_MASS = c.atomic_mass_unit.value / u.c_light**2

#: (Z, A) of the elements a composition may name (A: standard atomic weight, IUPAC 2021).
ELEMENT_ZA: dict[str, tuple[int, float]] = {
    "H": (1, 1.008),
    "He": (2, 4.0026),
    "C": (6, 12.011),
    "N": (7, 14.007),
    "O": (8, 15.999),
    "Ne": (10, 20.180),
    "Mg": (12, 24.305),
    "Si": (14, 28.085),
    "Fe": (26, 55.845),
}
#: Named compositions as element mass fractions. "solar": Asplund et al. (2009) X, Y, Z with the
#: metals counted as oxygen (Y_e changes by < 1e-3).
COMPOSITIONS: dict[str, dict[str, float]] = {
    "H": {"H": 1.0},
    "He": {"He": 1.0},
    "C": {"C": 1.0},
    "O": {"O": 1.0},
    "CO": {"C": 0.5, "O": 0.5},
    "solar": {"H": 0.7381, "He": 0.2485, "O": 0.0134},
}


def electron_fraction(composition: str | Mapping[str, float] | float) -> float:
    """Electrons per baryon Y_e = sum_i X_i Z_i/A_i of a composition.

    ``composition``: a name in :data:`COMPOSITIONS`, a mapping element -> mass fraction (the
    fractions are normalised; elements from :data:`ELEMENT_ZA`), or Y_e itself as a number in
    (0, 1].
    """
    if isinstance(composition, (int, float, np.floating)) and not isinstance(composition, bool):
        return float(in_range("Y_e", composition, 1e-6, 1.0))
    if isinstance(composition, str):
        fractions = COMPOSITIONS[choice("composition", composition, COMPOSITIONS)]
    elif isinstance(composition, Mapping):
        fractions = dict(composition)
    else:
        raise NuemInputError(
            f"composition = {composition!r} is not known; allowed: a name "
            f"({', '.join(COMPOSITIONS)}), a mapping element -> mass fraction, or Y_e"
        )
    if not fractions:
        raise NuemInputError("composition is empty; give at least one element")
    total = 0.0
    ye = 0.0
    for name, x in fractions.items():
        el = choice("composition element", name, ELEMENT_ZA)
        xf = float(non_negative(f"mass fraction of {el}", x))
        Z, A = ELEMENT_ZA[el]
        ye += xf * Z / A
        total += xf
    if total <= 0:
        raise NuemInputError("composition: the mass fractions sum to 0; they must be > 0")
    return ye / total


def electron_density(density: float, y_e: float) -> float:
    """Net electron number density n_e = Y_e rho/m_u in natural units [MeV^3].

    ``density`` is a mass density in hepunits (e.g. ``1e6*u.g/u.cm3``).
    """
    n_per_volume = y_e * density / _AMU_MASS  # mm^-3
    return n_per_volume * u.hbarc**3


# --- Fermi-Dirac moments --------------------------------------------------------------------


def _fermi(x: np.ndarray) -> np.ndarray:
    """1/(e^x + 1) without overflow."""
    return 0.5 * (1.0 - np.tanh(0.5 * x))


def _momentum_grid(temperature: float, mu: float, n: int = 6001) -> np.ndarray:
    p_f = math.sqrt(max(mu * mu - M_E * M_E, 0.0))
    p_hi = p_f + 60.0 * temperature + 60.0 * temperature**2 / (p_f + temperature)
    return np.linspace(0.0, p_hi, n)


def _occupation(temperature: float, mu: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p grid [MeV], E(p) and (f_- , f_+) summed and differenced on it."""
    p = _momentum_grid(temperature, mu)
    E = np.sqrt(p * p + M_E * M_E)
    f_minus = _fermi((E - mu) / temperature)
    f_plus = _fermi((E + mu) / temperature)
    return p, E, np.stack([f_minus + f_plus, f_minus - f_plus])


def net_electron_density(temperature: float, mu: float) -> float:
    """n_- - n_+ = (1/pi^2) ∫ dp p^2 (f_- - f_+) [MeV^3] at temperature T, chemical potential mu."""
    p, _, f = _occupation(temperature, mu)
    return float(np.trapezoid(p * p * f[1], p) / math.pi**2)


def electron_chemical_potential(n_e: float, temperature: float) -> float:
    """mu_e [MeV] (rest mass included) with net electron density ``n_e`` [MeV^3] at T [MeV]."""
    lo, hi = 0.0, M_E + 50.0 * temperature + (3.0 * math.pi**2 * n_e) ** (1.0 / 3.0)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if net_electron_density(temperature, mid) < n_e:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def plasma_moments(temperature: float, mu: float) -> tuple[float, float]:
    """(omega_P^2, omega_1^2) [MeV^2] of the e+- plasma (Braaten & Segel 1993)."""
    p, E, f = _occupation(temperature, mu)
    v2 = (p / E) ** 2
    pre = 4.0 * ALPHA / math.pi
    w_p2 = pre * np.trapezoid(p * p / E * (1.0 - v2 / 3.0) * f[0], p)
    w_12 = pre * np.trapezoid(p * p / E * (5.0 * v2 / 3.0 - v2 * v2) * f[0], p)
    return float(w_p2), float(w_12)


def electron_screening_k2(temperature: float, mu: float) -> float:
    """Debye/Thomas-Fermi screening wave number^2 of the electrons, 4 pi alpha dn/dmu [MeV^2]."""
    h = 1e-4 * max(temperature, 1e-3 * mu)
    dn = (net_electron_density(temperature, mu + h) - net_electron_density(temperature, mu - h))
    return 4.0 * math.pi * ALPHA * dn / (2.0 * h)


# --- dispersion functions -------------------------------------------------------------------


def _a(x: np.ndarray) -> np.ndarray:
    return np.arctanh(x) / x


def g_transverse(x: ArrayLike) -> np.ndarray:
    """G_T(x) = (3/(2x^2)) [1 - (1 - x^2) artanh(x)/x], 0 <= x < 1 (series below 1e-2)."""
    x = np.asarray(x, dtype=float)
    xs = np.where(x < 1e-2, 0.5, x)
    exact = 1.5 / xs**2 * (1.0 - (1.0 - xs**2) * _a(xs))
    x2 = x * x
    series = 1.0 + x2 / 5.0 + 3.0 * x2 * x2 / 35.0 + x2**3 / 21.0
    return np.where(x < 1e-2, series, exact)


def g_longitudinal(x: ArrayLike) -> np.ndarray:
    """G_L(x) = (3/x^2) [artanh(x)/x - 1], 0 <= x < 1 (series below 1e-2)."""
    x = np.asarray(x, dtype=float)
    xs = np.where(x < 1e-2, 0.5, x)
    exact = 3.0 / xs**2 * (_a(xs) - 1.0)
    x2 = x * x
    series = 1.0 + 3.0 * x2 / 5.0 + 3.0 * x2 * x2 / 7.0 + x2**3 / 3.0
    return np.where(x < 1e-2, series, exact)


def x_dg_transverse(x: ArrayLike) -> np.ndarray:
    """x G_T'(x) = -2 G_T + (3/(2x^2)) [(1 + x^2) A(x) - 1] (series below 1e-2)."""
    x = np.asarray(x, dtype=float)
    xs = np.where(x < 1e-2, 0.5, x)
    exact = -2.0 * g_transverse(xs) + 1.5 / xs**2 * ((1.0 + xs**2) * _a(xs) - 1.0)
    x2 = x * x
    return np.where(x < 1e-2, 2.0 * x2 / 5.0 + 12.0 * x2 * x2 / 35.0, exact)


def x_dg_longitudinal(x: ArrayLike) -> np.ndarray:
    """x G_L'(x) = 3 (1/(1 - x^2) - A(x))/x^2 - 2 G_L (series below 1e-2)."""
    x = np.asarray(x, dtype=float)
    xs = np.where(x < 1e-2, 0.5, x)
    exact = 3.0 * (1.0 / (1.0 - xs**2) - _a(xs)) / xs**2 - 2.0 * g_longitudinal(xs)
    x2 = x * x
    return np.where(x < 1e-2, 6.0 * x2 / 5.0 + 12.0 * x2 * x2 / 7.0, exact)


# --- the plasma -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plasma:
    """An e+- plasma at temperature ``temperature`` [MeV] and mass density ``density``
    [hepunits], with ``y_e`` electrons per baryon. Derived: mu_e, omega_P, v_*."""

    density: float
    temperature: float
    y_e: float
    mu_e: float
    omega_p: float
    v_star: float

    @classmethod
    def from_conditions(
        cls,
        density: float,
        temperature: float,
        composition: str | Mapping[str, float] | float = "He",
    ) -> Plasma:
        """Plasma of density [hepunits, e.g. ``1e6*u.g/u.cm3``], temperature [energy] and
        composition (see :func:`electron_fraction`)."""
        density = float(positive("density", density, "(hepunits mass/volume)"))
        temperature = float(positive("temperature", temperature, "MeV"))
        y_e = electron_fraction(composition)
        n_e = electron_density(density, y_e)
        mu = electron_chemical_potential(n_e, temperature)
        w_p2, w_12 = plasma_moments(temperature, mu)
        v = min(math.sqrt(w_12 / w_p2), 1.0 - 1e-9)
        return cls(density, temperature, y_e, mu, math.sqrt(w_p2), v)

    @property
    def n_e(self) -> float:
        """Net electron density [MeV^3]."""
        return electron_density(self.density, self.y_e)

    @property
    def omega_inf(self) -> float:
        """Asymptotic transverse mass sqrt(K^2) at k -> inf [MeV]: omega_P sqrt(G_T(v_*))."""
        return self.omega_p * math.sqrt(float(g_transverse(self.v_star)))

    @property
    def k_max_longitudinal(self) -> float:
        """End of the longitudinal branch (omega_L = k) [MeV]: omega_P sqrt(G_L(v_*))."""
        return self.omega_p * math.sqrt(float(g_longitudinal(self.v_star)))

    # dispersion: omega(k) by bisection, vectorised over k
    def omega_transverse(self, k: ArrayLike) -> np.ndarray:
        """omega_T(k) [MeV] for k [MeV] >= 0."""
        k = non_negative("k", k, "MeV")
        wp, v = self.omega_p, self.v_star
        lo = np.sqrt(k * k + wp * wp) * (1 - 1e-12)
        hi = np.sqrt(k * k + self.omega_inf**2) * (1 + 1e-9)

        def f(w):
            return w * w - k * k - wp * wp * g_transverse(v * k / w)

        return _bisect(f, lo, hi)

    def omega_longitudinal(self, k: ArrayLike) -> np.ndarray:
        """omega_L(k) [MeV] for 0 <= k < k_max; NaN-free: k >= k_max gives omega = k."""
        k = non_negative("k", k, "MeV")
        wp, v = self.omega_p, self.v_star
        kmax = self.k_max_longitudinal
        kk = np.minimum(k, kmax * (1 - 1e-12))
        lo = np.maximum(kk, wp) * (1 - 1e-12)
        lo = np.maximum(lo, v * kk * (1 + 1e-12))
        hi = np.maximum(kmax, wp) * (1 + 1e-9) + 0 * kk

        def f(w):
            return w * w - wp * wp * g_longitudinal(np.minimum(v * kk / w, 1 - 1e-15))

        w = _bisect(f, lo, hi)
        return np.where(k < kmax, w, k)

    def residue_transverse(self, k: ArrayLike) -> np.ndarray:
        """Z_T(k) (dimensionless) on the transverse branch."""
        w = self.omega_transverse(k)
        x = self.v_star * np.asarray(k, dtype=float) / w
        return 1.0 / (1.0 + self.omega_p**2 * x_dg_transverse(x) / (2.0 * w * w))

    def residue_longitudinal(self, k: ArrayLike) -> np.ndarray:
        """Z_L(k) (dimensionless, covariant normalisation) for k < k_max; 0 beyond."""
        k = np.asarray(k, dtype=float)
        w = self.omega_longitudinal(k)
        x = np.minimum(self.v_star * k / w, 1 - 1e-12)
        K2 = np.maximum(w * w - k * k, 0.0)
        gl = g_longitudinal(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = w * w / K2 / (1.0 + x_dg_longitudinal(x) / (2.0 * gl))
        return np.where((k < self.k_max_longitudinal) & (K2 > 0), z, 0.0)


def _bisect(f, lo: np.ndarray, hi: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Vectorised bisection for f(lo) <= 0 <= f(hi)."""
    lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
    lo, hi = lo.copy(), hi.copy()
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        neg = f(mid) < 0
        lo = np.where(neg, mid, lo)
        hi = np.where(neg, hi, mid)
    return 0.5 * (lo + hi)

