"""Moment normalisations (DESIGN §3).

nuem's moment mu is defined by L ⊃ ½ mu  nu_bar_L sigma^{rho sigma} N_R F_{rho sigma} + h.c. and is
quoted in Bohr magnetons mu_B = e/(2 m_e). Papers writing L ⊃ d nu_bar sigma N F have mu = 2 d.
Dipole-portal compilations often quote d in GeV^-1 (natural units, e absorbed):
mu_B = e/(2 m_e) = sqrt(4 pi alpha)/(2 m_e) = 296.3 GeV^-1 with CODATA 2022 inputs.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import non_negative

#: mu_B in natural units [GeV^-1]: e/(2 m_e) with e = sqrt(4 pi alpha).
MU_B_INV_GEV = math.sqrt(4.0 * math.pi * c.alpha.value) / (2.0 * c.m_e.value / u.GeV)


def mu_natural(mu: ArrayLike) -> np.ndarray:
    """Moment ``mu`` (hepunits, e.g. ``1e-11*mu_B``) in natural units [MeV^-1]."""
    x = np.asarray(mu, dtype=float) / u.mu_B
    return x * math.sqrt(4.0 * math.pi * c.alpha.value) / (2.0 * c.m_e.value)


def mu_from_d(d: ArrayLike) -> np.ndarray:
    """nuem's mu from a paper's d with L ⊃ d nu_bar sigma N F (same unit in and out): mu = 2 d."""
    return 2.0 * non_negative("d", d)


def d_from_mu(mu: ArrayLike) -> np.ndarray:
    """The d of L ⊃ d nu_bar sigma N F for nuem's mu: d = mu/2."""
    return 0.5 * non_negative("mu", mu)


def mu_B_from_inv_GeV(x: ArrayLike) -> np.ndarray:
    """A moment quoted in GeV^-1 (natural units) as a number of Bohr magnetons."""
    return non_negative("moment [GeV^-1]", x) / MU_B_INV_GEV


def inv_GeV_from_mu_B(x: ArrayLike) -> np.ndarray:
    """A moment in Bohr magnetons expressed in GeV^-1 (natural units)."""
    return non_negative("moment [mu_B]", x) * MU_B_INV_GEV
