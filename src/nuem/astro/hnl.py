"""Radiative decay of a heavy neutral lepton through the dipole portal, N -> nu gamma.

Convention (DESIGN §3): L ⊃ ½ mu nu̅_L σ^{ρσ} N_R F_{ρσ} + h.c. For a Dirac N

    Gamma(N -> nu gamma) = mu^2 M^3 / (16 pi)            (PHYSICS.md §6)

with mu in natural units (``conventions.mu_natural``). Cross-check: the chiral operator equals a
vector-like transition moment mu/2 plus an electric moment mu/2, and the general radiative-decay
width Gamma = (|mu_V|^2 + |eps|^2) (M^2 - m^2)^3 / (8 pi M^3) (Giunti & Studenikin, RMP 87 (2015)
531, arXiv:1403.6344, Sec. VI) with m -> 0 gives the same result. A Majorana N decays to both nu
and nu̅: width x 2. (DarkNews' decay lengths use Gamma = mu^2 M^3/(32 pi): half of this.)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import non_negative
from nuem.errors import NuemInputError
from nuem.xsec.conventions import mu_natural


def decay_width(M: ArrayLike, mu: ArrayLike, majorana: bool = False) -> np.ndarray:
    """Total width Gamma(N -> nu gamma) [MeV] for N mass ``M`` [MeV] and moment ``mu``.

    ``mu`` is in the nuem unit system (e.g. ``1e-9*mu_B``). Majorana N: twice the Dirac width.
    """
    M = non_negative("M", M, "MeV")
    mu = non_negative("mu", mu)
    g = mu_natural(mu)
    width = g**2 * M**3 / (16.0 * np.pi)
    return 2.0 * width if majorana else width


def lifetime(M: ArrayLike, mu: ArrayLike, majorana: bool = False) -> np.ndarray:
    """Rest-frame lifetime [ns, hepunits time] = hbar / Gamma; +inf where Gamma = 0."""
    width = decay_width(M, mu, majorana)
    with np.errstate(divide="ignore"):
        return np.where(width > 0, u.hbar_Planck / np.where(width > 0, width, 1.0), np.inf)


def decay_length(E: ArrayLike, M: ArrayLike, mu: ArrayLike, majorana: bool = False) -> np.ndarray:
    """Mean lab-frame decay length [mm] of N with total energy E [MeV]: (p/M) c tau.

    Raises if E < M (an N with energy below its mass does not exist).
    """
    E = non_negative("E", E, "MeV")
    M = non_negative("M", M, "MeV")
    E, M = np.broadcast_arrays(E, M)
    if np.any(E < M):
        bad = float(E[E < M].flat[0])
        raise NuemInputError(f"E = {bad!r} MeV is not allowed; the N energy must be >= its mass M")
    p = np.sqrt(E**2 - M**2)
    tau = lifetime(M, mu, majorana)
    with np.errstate(divide="ignore", invalid="ignore"):
        bg = np.where(M > 0, p / np.where(M > 0, M, 1.0), np.inf)
    return bg * u.c_light * tau
