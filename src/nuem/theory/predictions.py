"""Standard-Model predictions, naturalness bounds and the mass-moment estimate (PHYSICS §1, §8).

Moments returned by the scalar functions are in hepunits (divide by ``nuem.units.mu_B`` for
Bohr magnetons); the matrix functions return a :class:`MomentMatrix` in mu_B.

SM one-loop moments (minimally extended SM; Fujikawa & Shrock, PRL 45 (1980) 963; Pal &
Wolfenstein, PRD 25 (1982) 766; Shrock, NPB 206 (1982) 359; Giunti & Studenikin, RMP 87 (2015)
531, arXiv:1403.6344, sect. V.B). With b_l = m_l^2/m_W^2 and the loop function expanded to first
order in b_l, f(b) ~ 1 - b/2,

    X_jk = sum_l U*_lj U_lk (1 - b_l/2),       C = 3 e G_F / (16 sqrt2 pi^2),
    Dirac:    mu_jk = C (m_j + m_k) X_jk,       eps_jk = i C (m_j - m_k) X_jk,
    Majorana: mu_jk = 2i C (m_j + m_k) Im X_jk, eps_jk = 2i C (m_j - m_k) Re X_jk.

The diagonal Dirac entry is mu_kk = 3 e G_F m_k/(8 sqrt2 pi^2) (1 - sum_l |U_lk|^2 b_l/2)
(Fujikawa-Shrock; = 3.20e-19 mu_B m_k/eV); off the diagonal unitarity removes the "1" and leaves
the GIM-suppressed (3 e G_F/(32 sqrt2 pi^2)) (m_j + m_k) sum_l U*_lj U_lk b_l of Giunti &
Studenikin (sign relative to the diagonal fixed by the common loop function). The Majorana
matrices (antisymmetrised Dirac ones, x2) reproduce Giunti-Studenikin's
mu^M_jk = -i (3 e G_F/(16 sqrt2 pi^2)) (m_j + m_k) sum_l Im[U*_lj U_lk] b_l. The relative sign of
eps is fixed so that d = mu - i eps = 2 C m_j X_jk: a left-handed nu_k flips to nu_j with an
amplitude proportional to the mass of the outgoing state (chirality argument).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import choice, non_negative, positive
from nuem.theory.moments import MomentMatrix
from nuem.theory.pmns import FLAVOURS

_LEPTON_ORDER = ("e", "mu", "tau")


def _mu_B_per_natural_mass() -> float:
    """3 e G_F m /(8 sqrt2 pi^2) in mu_B per unit mass (MeV): 3 m_e G_F/(4 sqrt2 pi^2) [MeV^-1]."""
    return 3.0 * c.m_e.value * c.G_F.value / (4.0 * math.sqrt(2.0) * math.pi**2)


#: Fujikawa-Shrock coefficient: SM Dirac diagonal moment per eV of mass, in mu_B (~3.20e-19).
SM_DIRAC_MU_B_PER_EV = _mu_B_per_natural_mass() * u.eV


def sm_dirac_diagonal_moment(m_nu: ArrayLike) -> np.ndarray:
    """SM Dirac moment mu = 3 e G_F m_nu/(8 sqrt2 pi^2) [hepunits] (Fujikawa & Shrock 1980).

    ``m_nu`` in hepunits energy (e.g. ``0.05*u.eV``); ~3.2e-19 mu_B (m_nu/eV).
    """
    m = non_negative("m_nu", m_nu, "(hepunits energy)")
    return _mu_B_per_natural_mass() * m * u.mu_B


def _gim_matrix(U: np.ndarray) -> np.ndarray:
    """X_jk = sum_l U*_lj U_lk (1 - m_l^2/(2 m_W^2))."""
    mw2 = c.m_W.value**2
    g = np.array([1.0 - 0.5 * c.LEPTON_MASS[f] ** 2 / mw2 for f in _LEPTON_ORDER])
    return np.einsum("...lj,l,...lk->...jk", np.conj(U), g, U)


def _masses_and_U(masses: ArrayLike, U: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    m = non_negative("masses", masses, "(hepunits energy)")
    if m.shape[-1:] != (3,):
        from nuem.errors import NuemInputError

        raise NuemInputError(f"masses has shape {m.shape}; allowed: (..., 3)")
    U = np.asarray(U, dtype=complex)
    return m, U


def sm_dirac_moments(masses: ArrayLike, U: ArrayLike) -> MomentMatrix:
    """SM Dirac magnetic and electric moment matrices (mass basis, mu_B); see module doc.

    ``masses`` (..., 3) in hepunits energy, ``U`` (..., 3, 3) the PMNS matrix.
    """
    m, U = _masses_and_U(masses, U)
    cm = _mu_B_per_natural_mass() / 2.0  # C per unit mass, in mu_B: 3 m_e G_F/(8 sqrt2 pi^2)
    X = _gim_matrix(U)
    mj, mk = m[..., :, None], m[..., None, :]
    mu = cm * (mj + mk) * X
    eps = 1j * cm * (mj - mk) * X
    return MomentMatrix(mu, eps, nature="dirac")


def sm_majorana_moments(masses: ArrayLike, U: ArrayLike) -> MomentMatrix:
    """SM Majorana transition moments (mass basis, mu_B, antisymmetric); see module doc.

    ``U`` must include the Majorana phases (they change the result).
    """
    m, U = _masses_and_U(masses, U)
    cm = _mu_B_per_natural_mass() / 2.0
    X = _gim_matrix(U)
    mj, mk = m[..., :, None], m[..., None, :]
    mu = 2j * cm * (mj + mk) * X.imag
    eps = 2j * cm * (mj - mk) * X.real
    # exact antisymmetry (the einsum leaves rounding at the 1e-16 level)
    mu = 0.5 * (mu - np.swapaxes(mu, -1, -2))
    eps = 0.5 * (eps - np.swapaxes(eps, -1, -2))
    return MomentMatrix(mu, eps, nature="majorana")


def sm_charge_radius(flavour: str) -> float:
    """SM charge radius <r^2_nu_l> [hepunits area] = -(G_F/(2 sqrt2 pi^2)) [3 - 2 ln(m_l^2/m_W^2)].

    Bernabéu, Papavassiliou & Vidal, PRL 89 (2002) 101802 (their normalisation has 4 sqrt2; the
    convention here is Giunti & Studenikin, RMP 87 (2015) 531, sect. IV). With CODATA 2022 G_F and
    PDG m_W this gives -8.27, -4.81, -2.97 x 1e-33 cm^2 for e, mu, tau. Read ``r2 / u.cm2``.
    """
    f = choice("flavour", flavour, FLAVOURS)
    ml = c.LEPTON_MASS[f]
    natural = -(c.G_F.value / (2.0 * math.sqrt(2.0) * math.pi**2)) * (
        3.0 - 2.0 * math.log(ml**2 / c.m_W.value**2)
    )
    return natural * u.hbarc**2


def naturalness_dirac_bound(m_nu: ArrayLike, scale: ArrayLike = 1.0 * u.TeV) -> np.ndarray:
    """Naturalness bound on a Dirac moment [hepunits]: 3e-15 mu_B (m_nu/eV) (scale/TeV)^-2.

    Bell, Cirigliano, Ramsey-Musolf, Vogel & Wise, PRL 95 (2005) 151802, hep-ph/0504134: no
    fine-tuning of the operators above the electroweak scale ``scale`` (Lambda).
    """
    m = non_negative("m_nu", m_nu, "(hepunits energy)")
    lam = positive("scale", scale, "(hepunits energy)")
    return 3e-15 * (m / u.eV) * (lam / u.TeV) ** -2 * u.mu_B


def naturalness_majorana_bound(
    m_ab: ArrayLike, flavours: tuple[str, str] = ("e", "tau"), scale: ArrayLike = 1.0 * u.TeV
) -> np.ndarray:
    """Naturalness bound on a Majorana transition moment mu_{l l'} [hepunits].

    4e-9 mu_B (M_ll'/eV) (scale/TeV)^-2 |m_tau^2/(m_l^2 - m_l'^2)| (Bell, Gorchtein,
    Ramsey-Musolf, Vogel & Wang, PLB 642 (2006) 377, hep-ph/0606248); ``m_ab`` is the
    flavour-basis mass-matrix element |M_ll'| [hepunits energy]; ``flavours`` two different ones.
    """
    a = choice("flavours[0]", flavours[0], FLAVOURS)
    b = choice("flavours[1]", flavours[1], FLAVOURS)
    if a == b:
        from nuem.errors import NuemInputError

        raise NuemInputError(f"flavours = {flavours!r}: a Majorana moment needs two different ones")
    m = non_negative("m_ab", m_ab, "(hepunits energy)")
    lam = positive("scale", scale, "(hepunits energy)")
    ml = c.LEPTON_MASS
    ratio = abs(ml["tau"] ** 2 / (ml[a] ** 2 - ml[b] ** 2))
    return 4e-9 * (m / u.eV) * (lam / u.TeV) ** -2 * ratio * u.mu_B


def mass_from_moment(mu: ArrayLike, M: ArrayLike) -> np.ndarray:
    """Naive neutrino mass [hepunits] induced by a moment ``mu`` made at scale ``M``.

    m_nu ~ M^2 mu /(2 m_e mu_B) (Babu, Jana & Lindner, arXiv:2007.04291):
    remove the photon from the dipole loop. ``mu`` in hepunits (``1e-11*u.mu_B``), ``M`` energy.
    """
    x = non_negative("mu", mu, "(hepunits)") / u.mu_B
    m = non_negative("M", M, "(hepunits energy)")
    return m**2 * x / (2.0 * c.m_e.value)


def moment_from_mass(m_nu: ArrayLike, M: ArrayLike) -> np.ndarray:
    """Inverse of :func:`mass_from_moment`: mu [hepunits] ~ 2 m_e m_nu mu_B / M^2."""
    m = non_negative("m_nu", m_nu, "(hepunits energy)")
    big = positive("M", M, "(hepunits energy)")
    return 2.0 * c.m_e.value * m / big**2 * u.mu_B
