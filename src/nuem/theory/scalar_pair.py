"""One fermion F and two mixed scalars: the neutrino transition moment and Majorana mass.

The one-loop structure shared by the S1 + R2~ leptoquarks (F = b), the Zee model (F = a charged
lepton, the singlet eta+ mixed with the doublet H+) and R-parity-violating SUSY (F = a lepton or
quark, the two sfermions mixed by L-R mixing). Neutrinos nu_i couple to F through one scalar
component with chirality L (``nu_i F_L``-type vertex) and nu_j to F through the other with
chirality R; the two components mix into mass eigenstates (m1, m2) with angle theta, so each
eigenstate carries the coupling product with weight -+ sin(2 theta)/2. With the mass insertion
on F (m_F) the loop has both neutrinos left-handed: a Majorana transition moment and a Majorana
mass. ``Y[..., i, j]`` is the product (coupling of nu_i) x (coupling of nu_j) for this F.

    mu_ij = e N_c |Q_F| m_F sin(2 theta)/(32 pi^2) (Y_ij - Y_ji) [g_S(t1)/m1^2 - g_S(t2)/m2^2],
    dm_ij = N_c m_F sin(2 theta)/(32 pi^2) (Y_ij + Y_ji) [L(m1) - L(m2)],

t_a = m_F^2/m_a^2, g_S of Dorsner et al. (``nuem.theory.loops``; the neutral-fermion loop
``neutral_dipole`` with Q_S = -Q_F), L(m) = m^2 ln(m^2/m_F^2)/(m^2 - m_F^2) the finite part of
B0(0; m_F, m) (-> ln(m1^2/m2^2) for m_F -> 0). Derived in this package (docs/theory.md, checks:
the B0 Feynman integral by quadrature, the leading-log limit of the moment); the moment is
antisymmetric and the mass symmetric in Y -- the Voloshin-like structure.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import finite, in_range, positive
from nuem.errors import NuemInputError
from nuem.theory.loops import dorsner_g_s


def coupling_products(Y: ArrayLike) -> np.ndarray:
    """``Y`` checked to have shape (..., 3, 3) (flavours e, mu, tau); real."""
    a = finite("Y", Y)
    if a.shape[-2:] != (3, 3):
        raise NuemInputError(f"Y has shape {a.shape}; allowed: (..., 3, 3) over (e, mu, tau)")
    return a


def _pair(Y: np.ndarray, sign: float) -> np.ndarray:
    """Y_ij + sign Y_ji."""
    return Y + sign * np.swapaxes(Y, -1, -2)


def _check(m_F: ArrayLike, m1: ArrayLike, m2: ArrayLike, sin_2theta: ArrayLike) -> tuple:
    mf = positive("m_F", m_F, "(hepunits energy)")
    ma = positive("m1", m1, "(hepunits energy)")
    mb = positive("m2", m2, "(hepunits energy)")
    s2 = in_range("sin_2theta", sin_2theta, -1.0, 1.0)
    return mf, ma, mb, s2


def pair_transition_moments(
    Y: ArrayLike,
    m_F: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike,
    n_colour: int = 1,
    abs_Q_F: float = 1.0,
) -> np.ndarray:
    """Majorana transition moments mu_ij [hepunits], (..., 3, 3), antisymmetric (module doc).

    ``Y``: coupling products (..., 3, 3); ``m_F``, ``m1``, ``m2`` [hepunits energy];
    ``sin_2theta`` the scalar mixing; ``n_colour`` N_c; ``abs_Q_F`` |Q_F| of F in units of e.
    Divide by ``nuem.units.mu_B`` for Bohr magnetons.
    """
    Yc = coupling_products(Y)
    mf, ma, mb, s2 = _check(m_F, m1, m2, sin_2theta)
    loop = dorsner_g_s(mf**2 / ma**2) / ma**2 - dorsner_g_s(mf**2 / mb**2) / mb**2
    over_e = n_colour * abs_Q_F * mf * s2 * loop / (32.0 * math.pi**2)
    mu = np.asarray(over_e)[..., None, None] * _pair(Yc, -1.0)
    return 2.0 * c.m_e.value * mu * u.mu_B  # e x F -> moment: mu/mu_B = 2 m_e F


def self_energy_log(m: ArrayLike, m_F: ArrayLike) -> np.ndarray:
    """L(m) = m^2 ln(m^2/m_F^2)/(m^2 - m_F^2) (dimensionless; the B0 difference, module doc)."""
    m = np.asarray(m, dtype=float)
    return m**2 * np.log(m**2 / m_F**2) / (m**2 - m_F**2)


def pair_majorana_mass(
    Y: ArrayLike,
    m_F: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike,
    n_colour: int = 1,
) -> np.ndarray:
    """One-loop Majorana mass matrix dm_ij [hepunits energy], (..., 3, 3), symmetric.

    dm = N_c m_F sin(2 theta)/(32 pi^2) (Y_ij + Y_ji) [L(m1) - L(m2)] (module doc); zero for
    m1 = m2, for no mixing and for antisymmetric Y. Needs m1, m2 > m_F.
    """
    Yc = coupling_products(Y)
    mf, ma, mb, s2 = _check(m_F, m1, m2, sin_2theta)
    if np.any(ma <= mf) or np.any(mb <= mf):
        raise NuemInputError("m1 and m2 must exceed m_F (heavy scalars)")
    diff = self_energy_log(ma, mf) - self_energy_log(mb, mf)
    pref = n_colour * mf * s2 * diff / (32.0 * math.pi**2)
    return np.asarray(pref)[..., None, None] * _pair(Yc, +1.0)
