"""Adiabatic three-flavour MSW conversion in the Sun: mass-state fractions P_{e->k}.

A nu_e produced at electron density n_e is, in the adiabatic regime, a fixed incoherent mixture of
vacuum mass states when it leaves the Sun: P_{e->k} = |U^m_{ek}(n_e, E)|^2, the nu_e content of
the k-th matter eigenstate at the production point. The solar LMA transitions are adiabatic
(level-crossing probability P_c ~ 0 for Delta m^2_21 ~ 7.5e-5 eV^2), and the oscillation phases
average out over the production region and the Sun-Earth distance, so the arriving neutrinos are
an incoherent mixture of nu_1, nu_2, nu_3 (e.g. Maltoni & Smirnov, EPJA 52 (2016) 87,
arXiv:1507.05287, sect. 5; Giunti & Kim, "Fundamentals of Neutrino Physics", ch. 9).

Matter eigenstates are computed in the standard hierarchical approximation (Delta m^2_21 <<
|Delta m^2_31|):

- 1-3 sector: cos 2theta13_m = (cos 2theta13 - b13) / sqrt((cos 2theta13 - b13)^2 + sin^2 2theta13),
  b13 = 2 E V / Delta m^2_31 (signed: negative for inverted ordering);
- 1-2 sector with the c13^2-reduced potential: b12 = 2 E V c13^2 / Delta m^2_21, same formula;
- P_{e1} = c13m^2 cos^2 theta12_m, P_{e2} = c13m^2 sin^2 theta12_m, P_{e3} = s13m^2,

with V = sqrt(2) G_F n_e. They sum to 1 identically. ``theta13_matter=False`` keeps theta13 at its
vacuum value (P_{e3} = sin^2 theta13), the form used in most solar analyses,
P_ee = c13^4 P_ee^(2nu)(c13^2 V) + s13^4. :func:`matter_mass_fractions_exact` diagonalises the full
3x3 Hamiltonian numerically instead; the tests check the two agree.

P_{e->k} does not depend on theta23 or delta_CP (the nu_e row of the matter eigenvectors is
invariant under the 2-3 rotation and the CP phase, since the potential acts on nu_e only).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import non_negative
from nuem.mixing import pmns_from_angles
from nuem.nufit import OscillationParameters

#: sqrt(2) G_F in MeV^-2 (natural units); multiply by n_e * hbarc^3 [MeV^3] for V [MeV].
_SQRT2_GF = np.sqrt(2.0) * c.G_F.value


def matter_potential(n_e: ArrayLike) -> np.ndarray:
    """Charged-current potential V = sqrt(2) G_F n_e [hepunits energy] for electron density n_e.

    ``n_e`` is a number density in hepunits (1/volume), e.g. ``100 * u.Avogadro / u.cm3``.
    """
    n = non_negative("n_e", n_e, "per volume")
    return _SQRT2_GF * n * u.hbarc**3


def pmns_matrix(params: OscillationParameters) -> np.ndarray:
    """PMNS matrix U (3x3 complex, PDG parametrisation, no Majorana phases) for ``params``."""
    return pmns_from_angles(params.theta12, params.theta13, params.theta23, params.delta_cp)


def vacuum_mass_fractions(params: OscillationParameters) -> np.ndarray:
    """|U_ek|^2, k = 1, 2, 3: the nu_e content of each mass state (shape (3,))."""
    s12, s13 = params.sin2_theta12, params.sin2_theta13
    return np.array([(1 - s13) * (1 - s12), (1 - s13) * s12, s13])


def _cos2_matter(cos2: float, sin2: float, b: np.ndarray) -> np.ndarray:
    """cos 2theta_m of a two-level system, vacuum (cos 2theta, sin 2theta), b = 2EV/dm2."""
    x = cos2 - b
    return x / np.sqrt(x * x + sin2 * sin2)  # x * x overflows only for |x| > 1e154; 3x hypot speed


def mass_fractions_from_potential(
    a: ArrayLike, params: OscillationParameters, theta13_matter: bool = True
) -> np.ndarray:
    """P_{e->k} (shape a.shape + (3,)) for a = 2 E V [hepunits energy^2] (hierarchical approx.)."""
    a = np.asarray(a, dtype=np.float64)
    s13sq = params.sin2_theta13
    if theta13_matter:
        b13 = a / params.dm2_31
        c2m13 = _cos2_matter(1.0 - 2.0 * s13sq, 2.0 * np.sqrt(s13sq * (1.0 - s13sq)), b13)
        s13m_sq = 0.5 * (1.0 - c2m13)
    else:
        s13m_sq = np.full_like(a, s13sq)
    c13m_sq = 1.0 - s13m_sq
    s12sq = params.sin2_theta12
    b12 = a * (1.0 - s13sq) / params.dm2_21
    c2m12 = _cos2_matter(1.0 - 2.0 * s12sq, 2.0 * np.sqrt(s12sq * (1.0 - s12sq)), b12)
    out = np.empty(a.shape + (3,))
    out[..., 0] = c13m_sq * 0.5 * (1.0 + c2m12)
    out[..., 1] = c13m_sq * 0.5 * (1.0 - c2m12)
    out[..., 2] = s13m_sq
    return out


def matter_mass_fractions(
    E: ArrayLike, n_e: ArrayLike, params: OscillationParameters, theta13_matter: bool = True
) -> np.ndarray:
    """Adiabatic P_{e->k}(E, n_e) for a nu_e produced at electron density ``n_e``.

    ``E`` [energy] and ``n_e`` [1/volume] broadcast against each other; the result has shape
    ``broadcast(E, n_e).shape + (3,)`` and sums to 1 along the last axis.
    """
    e = non_negative("E", E, "MeV")
    a = 2.0 * e * matter_potential(n_e)
    return mass_fractions_from_potential(a, params, theta13_matter)


def matter_mass_fractions_exact(
    E: ArrayLike, n_e: ArrayLike, params: OscillationParameters
) -> np.ndarray:
    """Same as :func:`matter_mass_fractions` by numerical diagonalisation of the 3x3 Hamiltonian.

    2E H = U diag(0, dm2_21, dm2_31) U^dagger + diag(2EV, 0, 0); the eigenvalues (sorted) connect
    adiabatically to the vacuum masses sorted the same way (no level crossing for non-zero
    mixing), i.e. to (1, 2, 3) for normal and (3, 1, 2) for inverted ordering.
    """
    e = non_negative("E", E, "MeV")
    a = np.asarray(2.0 * e * matter_potential(n_e), dtype=np.float64)
    U = pmns_matrix(params)
    m2 = np.diag([0.0, params.dm2_21, params.dm2_31]).astype(complex)
    M = U @ m2 @ U.conj().T
    H = np.broadcast_to(M, a.shape + (3, 3)).copy()
    H[..., 0, 0] += a
    _, vecs = np.linalg.eigh(H)
    pe = np.abs(vecs[..., 0, :]) ** 2  # nu_e content of each matter eigenstate, ascending
    order = np.argsort([0.0, params.dm2_21, params.dm2_31])  # vacuum masses ascending
    out = np.empty_like(pe)
    out[..., order] = pe
    return out


def survival_from_mass_fractions(p_mass: ArrayLike, params: OscillationParameters) -> np.ndarray:
    """P_ee = sum_k |U_ek|^2 P_{e->k} (incoherent sum; shape p_mass.shape[:-1])."""
    return np.asarray(p_mass) @ vacuum_mass_fractions(params)


def flavour_from_mass_fractions(p_mass: ArrayLike, params: OscillationParameters) -> np.ndarray:
    """P_{e->alpha} = sum_k |U_alpha k|^2 P_{e->k} for alpha = e, mu, tau (last axis)."""
    w = np.abs(pmns_matrix(params)) ** 2  # (alpha, k)
    return np.asarray(p_mass) @ w.T


def vacuum_probabilities(
    E: ArrayLike, L: float, params: OscillationParameters, antineutrino: bool = False
) -> np.ndarray:
    """Vacuum P(nu_e -> nu_alpha), alpha = e, mu, tau, at baseline ``L`` (shape E.shape + (3,)).

    Standard three-flavour formula, amplitude sum_k U*_ek U_alpha k exp(-i m_k^2 L / 2E)
    (U -> U* for antineutrinos). E = 0 is returned as the fully averaged limit.
    """
    e = non_negative("E", E, "MeV")
    U = pmns_matrix(params)
    if antineutrino:
        U = U.conj()
    m2 = np.array([0.0, params.dm2_21, params.dm2_31])
    pos = e > 0
    safe = np.where(pos, e, 1.0)[..., None]
    phase = m2 * L / (2.0 * safe * u.hbarc)
    amp = np.einsum("k,ak,...k->...a", U[0].conj(), U, np.exp(-1j * phase))
    p = np.abs(amp) ** 2
    avg = (np.abs(U[0]) ** 2) @ (np.abs(U) ** 2).T
    return np.where((e > 0)[..., None], p, avg)
