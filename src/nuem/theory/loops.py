"""One-loop dipole functions of a fermion F and a scalar S (charged-lepton g-2, neutrino moments).

For an external fermion f (mass m, charge Q_f = Q_F + Q_S in units of e) coupled as
L = f-bar (c_L P_L + c_R P_R) F S* + h.c., with t = m_F^2/m_S^2 and m^2 << m_F^2, m_S^2:

    Delta a_f = N_c m^2/(8 pi^2 m_S^2) { (|c_L|^2 + |c_R|^2)/2 [ -Q_F I1(t) + Q_S J1(t) ]
                                        + (m_F/m) Re(c_L c_R*) [ -Q_F I2(t) + Q_S J2(t) ] },

    I1 = int_0^1 x^2 (1-x)/(1-x+t x) dx,   I2 = int_0^1 x^2/(1-x+t x) dx       (photon on F),
    J1 = int_0^1 x^2 (1-x)/(x+t(1-x)) dx,  J2 = int_0^1 x(1-x)/(x+t(1-x)) dx   (photon on S),

the Feynman-parameter integrals of Leveille, NPB 137 (1978) 63, in the form of Queiroz & Shepherd,
arXiv:1403.2309 (neutral-scalar and charged-scalar diagrams; the sign is that of the Higgs: a
neutral scalar coupled to the muon itself, Q_F = -1, gives Delta a > 0). Q_f = -1 for a charged
lepton; the charge of F and S is the one flowing along the external fermion line (for
mu^- -> tbar S1*: Q_F = -2/3, Q_S = -1/3).

Closed forms: Dorsner, Fajfer, Greljo, Kamenik & Kosnik, Phys. Rept. 641 (2016) 1,
arXiv:1603.04993, sect. 5 (f_S, f_F, g_S, g_F); the correspondence is I1 = 2 f_F,
J1 = 2 (f_S - f_F), I2 = g_F, J2 = g_S - g_F (checked numerically in tests/test_theory_loops.py
against adaptive quadrature of the integrals above). Near t = 1 the closed forms cancel; there
the series int_0^1 x^n/(1 - a x) dx = sum_m a^m/(n + m + 1), a = 1 - t, is used.

A neutral external fermion (a neutrino, Q_F = -Q_S) has only the chirality-flip term; its moment
is mu = e N_c m_F Re(c_L c_R*) (-Q_F) g_S(t)/(16 pi^2 m_S^2) (``neutral_dipole``), with
g_S(t) -> ln(1/t) - 1 for t -> 0 (the (ln(m_S^2/m_F^2) - 1)/m_S^2 of Babu, Jana & Lindner,
arXiv:2007.04291).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import finite, in_range, non_negative, positive

_SERIES_BELOW = 0.1  # |1 - t| below which the power series replaces the closed forms
_SERIES_TERMS = 18  # 0.1^18: far below double precision


def _moments(t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """K_n = int_0^1 x^n/(1 - a x) dx for n = 1, 2, 3 with a = 1 - t (t > 0)."""
    a = 1.0 - t
    near = np.abs(a) < _SERIES_BELOW
    a_far = np.where(near, 0.5, a)
    t_far = np.where(near, 0.5, t)  # not 1 - a: that rounds to 0 for t < 1e-16
    k0 = -np.log(t_far) / a_far
    # x^n/(1-ax) = (1/(1-ax) - polynomial)/a^n, integrated term by term
    k1 = (k0 - 1.0) / a_far
    k2 = (k0 - 1.0 - a_far / 2.0) / a_far**2
    k3 = (k0 - 1.0 - a_far / 2.0 - a_far**2 / 3.0) / a_far**3
    m = np.arange(_SERIES_TERMS)
    an = np.where(near, a, 0.0)[..., None] ** m
    s1, s2, s3 = (np.sum(an / (m + n + 1.0), axis=-1) for n in (1, 2, 3))
    return np.where(near, s1, k1), np.where(near, s2, k2), np.where(near, s3, k3)


def _check_t(t: ArrayLike) -> np.ndarray:
    return positive("t", t, "(mass ratio m_F^2/m_S^2)")


def feynman_integrals(t: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(I1, I2, J1, J2)(t) of the module doc (dimensionless; t = m_F^2/m_S^2 > 0)."""
    k1, k2, k3 = _moments(_check_t(t))
    i2 = k2
    i1 = k2 - k3
    j2 = k1 - k2  # x -> 1 - x turns x + t(1 - x) into 1 - a x
    j1 = k1 - 2.0 * k2 + k3
    return i1, i2, j1, j2


def dorsner_f_s(t: ArrayLike) -> np.ndarray:
    """f_S(x) = (x+1)/(4(1-x)^2) + x ln x/(2(1-x)^3) (arXiv:1603.04993), = (I1 + J1)/2."""
    i1, _, j1, _ = feynman_integrals(t)
    return 0.5 * (i1 + j1)


def dorsner_f_f(t: ArrayLike) -> np.ndarray:
    """f_F(x) = (x^2-5x-2)/(12(x-1)^3) + x ln x/(2(x-1)^4) (arXiv:1603.04993), = I1/2."""
    return 0.5 * feynman_integrals(t)[0]


def dorsner_g_s(t: ArrayLike) -> np.ndarray:
    """g_S(x) = 1/(x-1) - ln x/(x-1)^2 (arXiv:1603.04993), = I2 + J2; -> ln(1/x) - 1 at x->0."""
    _, i2, _, j2 = feynman_integrals(t)
    return i2 + j2


def dorsner_g_f(t: ArrayLike) -> np.ndarray:
    """g_F(x) = (x-3)/(2(x-1)^2) + ln x/(x-1)^3 (arXiv:1603.04993), = I2; -> ln(1/x) - 3/2."""
    return feynman_integrals(t)[1]


def lepton_g2_scalar_loop(
    m_lepton: ArrayLike,
    m_F: ArrayLike,
    m_S: ArrayLike,
    c_L: ArrayLike,
    c_R: ArrayLike,
    Q_F: float,
    n_colour: int = 1,
    Q_lepton: float = -1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """(non-flip, chirality-flip) parts of Delta a_l from one F-S loop (dimensionless).

    Module-doc formula; masses in hepunits energy, couplings dimensionless (real or complex),
    Q_F the charge of F along the lepton line (Q_S = Q_lepton - Q_F). The flip part is the one
    enhanced by m_F/m_l (e.g. m_t/m_mu for the S1 leptoquark).
    """
    ml = positive("m_lepton", m_lepton, "(hepunits energy)")
    mf = positive("m_F", m_F, "(hepunits energy)")
    ms = positive("m_S", m_S, "(hepunits energy)")
    cl = np.asarray(c_L, dtype=complex)
    cr = np.asarray(c_R, dtype=complex)
    finite("c_L", np.abs(cl))
    finite("c_R", np.abs(cr))
    qf = float(in_range("Q_F", Q_F, -2.0, 2.0))
    qs = float(Q_lepton) - qf
    i1, i2, j1, j2 = feynman_integrals(mf**2 / ms**2)
    pref = n_colour * ml**2 / (8.0 * math.pi**2 * ms**2)
    nonflip = pref * 0.5 * (np.abs(cl) ** 2 + np.abs(cr) ** 2) * (-qf * i1 + qs * j1)
    flip = pref * (mf / ml) * np.real(cl * np.conj(cr)) * (-qf * i2 + qs * j2)
    return nonflip, flip


def neutral_dipole(
    m_F: ArrayLike, m_S: ArrayLike, coupling: ArrayLike, Q_F: float, n_colour: int = 1
) -> np.ndarray:
    """Dipole moment [hepunits] of a neutral fermion from one F-S loop with the flip on F.

    mu = e N_c m_F Re(c_L c_R*) (-Q_F) g_S(m_F^2/m_S^2) / (16 pi^2 m_S^2), ``coupling`` =
    c_L c_R* (real part used), masses in hepunits energy. The same loop as the flip term of
    :func:`lepton_g2_scalar_loop` with Q_F + Q_S = 0, divided by 2m/e.
    """
    mf = non_negative("m_F", m_F, "(hepunits energy)")
    ms = positive("m_S", m_S, "(hepunits energy)")
    cc = np.real(np.asarray(coupling, dtype=complex))
    finite("coupling", cc)
    qf = float(in_range("Q_F", Q_F, -2.0, 2.0))
    t = np.maximum(mf**2 / ms**2, 1e-300)
    over_e = n_colour * mf * cc * (-qf) * dorsner_g_s(t) / (16.0 * math.pi**2 * ms**2)
    return 2.0 * c.m_e.value * over_e * u.mu_B  # e x F -> moment: mu/mu_B = 2 m_e F
