"""Nuclear form factors F(q), normalised to F(0) = 1.

``q`` is the magnitude of the momentum transfer in the hepunits system (an energy, MeV = 1:
q = sqrt(2 m_A T) for a nuclear recoil T); it is turned into an inverse length with hbar c.
``A`` is the mass number. Both broadcast.

- :func:`helm`: Helm form factor F = 3 j1(q R1)/(q R1) exp(-q^2 s^2/2) with the parameters of
  Lewin & Smith, Astropart. Phys. 6 (1996) 87, sec. 4.3: s = 0.9 fm, a = 0.52 fm,
  c = 1.23 A^(1/3) - 0.60 fm, R1 = sqrt(c^2 + (7/3) pi^2 a^2 - 5 s^2). Its mean-square radius is
  <r^2> = (3/5) R1^2 + 3 s^2, so F = 1 - q^2 <r^2>/6 + O(q^4).
- :func:`klein_nystrand`: hard sphere folded with a Yukawa, Klein & Nystrand, PRC 60 (1999)
  014903: F = 3 j1(q R_A)/(q R_A) / (1 + a_k^2 q^2), R_A = 1.2 A^(1/3) fm, a_k = 0.7 fm.
- :func:`unity`: F = 1 (point nucleus), for tests and limits.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice, non_negative, positive

#: Lewin & Smith (1996) Helm parameters.
HELM_S = 0.9 * u.fermi
HELM_A = 0.52 * u.fermi
HELM_C1 = 1.23 * u.fermi
HELM_C0 = -0.60 * u.fermi
#: Klein & Nystrand (1999) parameters.
KN_R0 = 1.2 * u.fermi
KN_AK = 0.7 * u.fermi


def _three_j1_over_x(x: np.ndarray) -> np.ndarray:
    """3 j1(x)/x = 3 (sin x - x cos x)/x^3, with its Taylor series for small x (no cancellation)."""
    small = np.abs(x) < 0.05
    xs = np.where(small, 1.0, x)
    full = 3.0 * (np.sin(xs) - xs * np.cos(xs)) / (xs * xs * xs)
    x2 = x * x
    series = 1.0 + x2 * (-1.0 / 10.0 + x2 * (1.0 / 280.0 - x2 / 15120.0))
    return np.where(small, series, full)


def helm_radius(A: ArrayLike) -> np.ndarray:
    """Helm diffraction radius R1 (hepunits length) for mass number A (Lewin & Smith 1996)."""
    A = positive("A", A)
    cc = HELM_C1 * np.cbrt(A) + HELM_C0
    return np.sqrt(cc**2 + (7.0 / 3.0) * math.pi**2 * HELM_A**2 - 5.0 * HELM_S**2)


def helm(q: ArrayLike, A: ArrayLike) -> np.ndarray:
    """Helm form factor (Lewin & Smith 1996 parameters); q [MeV], A mass number."""
    q = non_negative("q", q, "MeV")
    r1 = helm_radius(A)
    x = q * r1 / u.hbarc
    qs = q * HELM_S / u.hbarc
    return _three_j1_over_x(x) * np.exp(-0.5 * qs * qs)


def klein_nystrand(q: ArrayLike, A: ArrayLike) -> np.ndarray:
    """Klein–Nystrand form factor (PRC 60 (1999) 014903); q [MeV], A mass number."""
    q = non_negative("q", q, "MeV")
    A = positive("A", A)
    x = q * KN_R0 * np.cbrt(A) / u.hbarc
    y = q * KN_AK / u.hbarc
    return _three_j1_over_x(x) / (1.0 + y * y)


def unity(q: ArrayLike, A: ArrayLike) -> np.ndarray:
    """F = 1 (point-like nucleus)."""
    q = non_negative("q", q, "MeV")
    A = positive("A", A)
    return np.ones(np.broadcast_shapes(q.shape, A.shape))


#: Form factors by name, as accepted by the ``form_factor`` argument of the nuclear cross sections.
FORM_FACTORS: dict[str, Callable[[ArrayLike, ArrayLike], np.ndarray]] = {
    "helm": helm,
    "klein_nystrand": klein_nystrand,
    "none": unity,
}


def canonical(name: str) -> str:
    """``name`` as a key of :data:`FORM_FACTORS`: case, hyphens and spaces do not matter
    (``"Klein-Nystrand"`` → ``"klein_nystrand"``); raises NuemInputError for an unknown name."""
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    return choice("form_factor", key, FORM_FACTORS)


def get(name: str) -> Callable[[ArrayLike, ArrayLike], np.ndarray]:
    """The form factor called ``name`` (a key of :data:`FORM_FACTORS`, spelled with ``-`` or ``_``,
    any case); raises NuemInputError."""
    return FORM_FACTORS[canonical(name)]
