"""Effective magnetic moments seen by each kind of source (PHYSICS §4; DESIGN §3).

All functions take a :class:`~nuem.theory.moments.MomentMatrix` (a flavour-basis one is first
turned into the mass basis with the ``U`` given) or a plain (..., 3, 3) array, read as the
mass-basis d = mu - i eps in mu_B. They return the effective moment in **Bohr magnetons**
(a plain number or array; square it for the rate). With d_jk (k incoming, j outgoing):

- neutrino beam of flavour alpha (accelerator nu_mu: alpha = mu): mu^2 = sum_j |sum_k U*_alpha,k
  d_jk|^2, since |nu_alpha> = sum_k U*_alpha,k |nu_k> (short baseline, no oscillation phases);
- antineutrino beam of flavour alpha (reactor nubar_e: alpha = e): the **same** number. The
  dipole term is -(1/2) nubar_R sigma.F d nu_L + h.c.: a left-handed nu_a goes to nu_b with d_ba,
  and the right-handed nubar_a that a reactor makes (|nubar_alpha> = sum_a U_alpha,a |nubar_a>)
  goes to the left-handed nubar_b through the h.c. term, amplitude (d^dagger)_ab = conj(d_ba)
  (with Hermitian mu, eps: (mu + i eps)_ab, the v-spinor vertex). So mu^2 = sum_b |sum_a
  U_alpha,a conj(d_ba)|^2 = sum_b |sum_a U*_alpha,a d_ba|^2 = the nu_alpha moment, for Dirac and
  Majorana neutrinos and any delta_CP. (The form sum_j |sum_k U_alpha,k d_jk|^2 of Beacom & Vogel,
  PRL 83 (1999) 5222, used here before, agrees only for real U or real d: it differed by ~0.5% from
  the flavour-basis row norm at delta_CP != 0 for a complex test matrix, and both were wrong; see
  docs/theory.md.)
- solar neutrinos, an incoherent mixture of mass states with fractions P_{e->k}(E):
  mu^2 = sum_k P_{e->k} sum_j |d_jk|^2 (Cañas et al., PLB 753 (2016) 191, arXiv:1510.01684);
- the flavour-basis approximation
  mu^2 ~ P_ee mu_e^2 + (1 - P_ee)(c23^2 mu_mu^2 + s23^2 mu_tau^2) (Borexino, arXiv:1707.09355).

The PMNS matrix must carry the Majorana phases when the moments are Majorana: the reactor and
accelerator moments depend on them, the solar one does not (it only needs |d_jk|).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nuem import nufit
from nuem._validate import as_array, in_range
from nuem.errors import NuemInputError
from nuem.theory.moments import MomentMatrix, _as_moment_array
from nuem.theory.pmns import FLAVOURS, flavour_index


def _mass_basis_d(moments: MomentMatrix | ArrayLike, U: ArrayLike | None) -> np.ndarray:
    if isinstance(moments, MomentMatrix):
        if moments.basis == "flavour":
            if U is None:
                raise NuemInputError("a flavour-basis MomentMatrix needs U to be converted")
            moments = moments.to_mass(U)
        return moments.d
    return _as_moment_array("moments", moments)


def _beam_moment(d: np.ndarray, U: ArrayLike, alpha: int) -> np.ndarray:
    """sqrt(sum_j |sum_k U*_alpha,k d_jk|^2): a nu_alpha or nubar_alpha beam (module doc)."""
    U = np.asarray(U, dtype=complex)
    if U.shape[-2:] != (3, 3):
        raise NuemInputError(f"U has shape {U.shape}; allowed: (..., 3, 3)")
    amp = np.einsum("...jk,...k->...j", d, np.conj(U[..., alpha, :]))
    return np.sqrt(np.sum(np.abs(amp) ** 2, axis=-1))


def flavour_effective_moment(
    moments: MomentMatrix | ArrayLike,
    U: ArrayLike,
    flavour: str = "e",
    antineutrino: bool = False,
) -> np.ndarray:
    """Effective moment [mu_B] of a nu_alpha (or nubar_alpha) beam without oscillation phases.

    sqrt(sum_j |sum_k U*_alpha,k d_jk|^2) for both: the right-handed nubar_alpha flips through
    d^dagger, which gives the same sum (module doc). ``antineutrino`` is kept for clarity only.
    """
    d = _mass_basis_d(moments, U)
    del antineutrino  # the nubar beam has the same moment (module doc)
    return _beam_moment(d, U, flavour_index(flavour))


def reactor_effective_moment(moments: MomentMatrix | ArrayLike, U: ArrayLike) -> np.ndarray:
    """mu_nubar_e [mu_B] at short baseline: sqrt(sum_j |sum_k U*_ek d_jk|^2) (module doc)."""
    return flavour_effective_moment(moments, U, "e", antineutrino=True)


def accelerator_effective_moment(
    moments: MomentMatrix | ArrayLike,
    U: ArrayLike,
    flavour: str = "mu",
    antineutrino: bool = False,
) -> np.ndarray:
    """Moment of an accelerator beam of ``flavour`` [mu_B] (default nu_mu; no oscillation)."""
    return flavour_effective_moment(moments, U, flavour, antineutrino)


def solar_effective_moment(
    moments: MomentMatrix | ArrayLike,
    mass_fractions: ArrayLike,
    U: ArrayLike | None = None,
) -> np.ndarray:
    """Solar effective moment [mu_B]: sqrt(sum_k P_{e->k} sum_j |d_jk|^2).

    ``mass_fractions`` has shape (..., 3) (e.g. ``nuem.sources`` mass-state fractions at each
    energy) and broadcasts against the moment stack. ``U`` is needed only for a flavour-basis
    ``moments``. Independent of the Majorana phases.
    """
    d = _mass_basis_d(moments, U)
    p = in_range("mass_fractions", mass_fractions, 0.0, 1.0)
    if p.shape[-1:] != (3,):
        raise NuemInputError(f"mass_fractions has shape {p.shape}; allowed: (..., 3)")
    if np.any(p.sum(axis=-1) > 1.0 + 1e-6):
        raise NuemInputError("mass_fractions sum to more than 1; allowed: sum_k P_k <= 1")
    col2 = np.sum(np.abs(d) ** 2, axis=-2)  # sum_j |d_jk|^2 for each incoming k
    return np.sqrt(np.sum(p * col2, axis=-1))


def flavour_basis_approximation(
    mu_e: ArrayLike,
    mu_mu: ArrayLike,
    mu_tau: ArrayLike,
    P_ee: ArrayLike,
    sin2_theta23: ArrayLike | None = None,
) -> np.ndarray:
    """Flavour-basis approximation of the solar moment [same unit as the inputs].

    mu_eff ~ sqrt(P_ee mu_e^2 + (1 - P_ee)(c23^2 mu_mu^2 + s23^2 mu_tau^2)).

    PHYSICS §4 (the form used in the Borexino Phase-II analysis, arXiv:1707.09355).
    ``sin2_theta23`` defaults to NuFIT 6.0 normal ordering.
    """
    pee = in_range("P_ee", P_ee, 0.0, 1.0)
    s23 = nufit.parameters("normal").sin2_theta23 if sin2_theta23 is None else sin2_theta23
    s23 = in_range("sin2_theta23", s23, 0.0, 1.0)
    me, mm, mt = (as_array(n, x) for n, x in (("mu_e", mu_e), ("mu_mu", mu_mu), ("mu_tau", mu_tau)))
    mu2 = pee * me**2 + (1.0 - pee) * ((1.0 - s23) * mm**2 + s23 * mt**2)
    return np.sqrt(mu2)


def vacuum_mass_fractions(U: ArrayLike) -> np.ndarray:
    """|U_ek|^2 (shape (..., 3)): mass-state fractions of a nu_e in vacuum (averaged)."""
    U = np.asarray(U, dtype=complex)
    return np.abs(U[..., 0, :]) ** 2


__all__ = [
    "FLAVOURS",
    "accelerator_effective_moment",
    "flavour_basis_approximation",
    "flavour_effective_moment",
    "reactor_effective_moment",
    "solar_effective_moment",
    "vacuum_mass_fractions",
]
