"""Zee model: the charged-scalar transition moment, the Zee mass, and the spin-symmetry estimate.

Fields (Zee, PLB 93 (1980) 389; the form used by Babu, Jana & Lindner, arXiv:2007.04291, sect. on
the Zee model): lepton doublets L_a, a charged singlet eta+, two Higgs doublets in the Higgs basis
(H1 with the vev, H2 = (H+, ...) without):

    L > f_ab L_a^T C i tau2 L_b eta+  +  Y_ab L_a-bar H2 l_Rb  +  mu_3 H1^T i tau2 H2 eta-  + h.c.,

f antisymmetric (so the nu_a l_bL eta+ coupling is 2 f_ab), Y general (nu_a-bar l_Rb H+). The
trilinear mixes eta+ and H+ into h1, h2 (masses m_h1 < m_h2, angle phi). With the charged lepton
l_b in the loop (mass insertion m_b) this is the loop of ``nuem.theory.scalar_pair`` with
F = l_b, N_c = 1, |Q_F| = 1 and coupling products Y^(b)_ac = 2 f_ab Y_cb, summed over b:

    mu_ac = e sin(2 phi)/(32 pi^2) sum_b m_b (Y^(b)_ac - Y^(b)_ca) [G(m_h1) - G(m_h2)],
    G(m) = g_S(m_b^2/m^2)/m^2,
    dm_ac = sin(2 phi)/(32 pi^2) sum_b m_b (Y^(b)_ac + Y^(b)_ca) [L_b(m_h1) - L_b(m_h2)]
          -> (sin(2 phi)/(16 pi^2)) ln(m_h1^2/m_h2^2) (f M_l Y^T + Y M_l f^T)_ac   (m_b << m_h),

the familiar Zee mass matrix. With Y proportional to the charged-lepton masses (the original Zee
model) dm_ac is proportional to f_ac (m_c^2 - m_a^2): zero diagonal (Wolfenstein, NPB 175 (1980)
93), tested. The SU(2)_H formula of ``nuem.theory.models`` is the special case with the tau in
the loop and f_mu_tau Y_e_tau = -f_e_tau Y_mu_tau (tested): there both orderings add and the
mass from this loop vanishes.

Spin-symmetry estimate (Barr, Freire & Zee, PRL 65 (1990) 2626; applied to XENON1T by Babu, Jana
& Lindner, whose abstract states that the induced mu is not large enough for the XENON1T range
(1.65-3.42) x 1e-11 mu_B). Without a symmetry the same loop gives m_nu ~ M^2 mu/(2 m_e mu_B)
(``nuem.theory.predictions.mass_from_moment``, M the scalar mass). A symmetry that removes the
M^2-enhanced part of the mass but not of the moment leaves a mass set by the internal fermion
mass that breaks it: m_nu ~ m_f^2 mu/(2 m_e mu_B), m_f = m_tau by default
(:func:`spin_symmetry_mass`, :func:`spin_symmetry_max_moment`). This scaling is derived here from
the symmetry argument, an order-of-magnitude estimate; the papers' own expressions were not read
(docs/theory.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem._validate import finite, in_range, positive
from nuem.errors import NuemInputError
from nuem.theory.predictions import mass_from_moment, moment_from_mass
from nuem.theory.scalar_pair import pair_majorana_mass, pair_transition_moments


def lepton_masses() -> tuple[float, float, float]:
    """(m_e, m_mu, m_tau) [hepunits energy], read from nuem.constants on first use (PDG via
    ``particle``, which nuem.constants imports lazily)."""
    return (c.m_e.value, c.m_mu.value, c.m_tau.value)


def _matrix(name: str, x: ArrayLike) -> np.ndarray:
    a = finite(name, x)
    if a.shape[-2:] != (3, 3):
        raise NuemInputError(f"{name} has shape {a.shape}; allowed: (..., 3, 3) over (e, mu, tau)")
    return a


def zee_f_matrix(f_e_mu: ArrayLike, f_e_tau: ArrayLike, f_mu_tau: ArrayLike) -> np.ndarray:
    """The antisymmetric f_ab (..., 3, 3) from its three entries (dimensionless)."""
    a, b, d = np.broadcast_arrays(
        *(
            finite(n, v)
            for n, v in (("f_e_mu", f_e_mu), ("f_e_tau", f_e_tau), ("f_mu_tau", f_mu_tau))
        )
    )
    f = np.zeros(a.shape + (3, 3))
    f[..., 0, 1], f[..., 0, 2], f[..., 1, 2] = a, b, d
    return f - np.swapaxes(f, -1, -2)


def check_couplings(f: ArrayLike, Y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The Zee Yukawa matrices f (antisymmetric, eta+ couplings) and Y (H+ / neutral-scalar
    couplings), each (..., 3, 3) over (e, mu, tau), validated; raises NuemInputError."""
    fm = _matrix("f", f)
    Ym = _matrix("Y", Y)
    scale = max(float(np.max(np.abs(fm), initial=0.0)), 1e-300)
    if np.max(np.abs(fm + np.swapaxes(fm, -1, -2)), initial=0.0) > 1e-12 * scale:
        raise NuemInputError("f must be antisymmetric (f_ab = -f_ba); use zee_f_matrix")
    return fm, Ym


def check_scalars(m_h1: ArrayLike, m_h2: ArrayLike, sin_2phi: ArrayLike) -> tuple:
    """(m_h1, m_h2 [hepunits energy], sin 2phi) validated: masses > 0, |sin 2phi| <= 1."""
    return (
        positive("m_h1", m_h1, "(hepunits energy)"),
        positive("m_h2", m_h2, "(hepunits energy)"),
        in_range("sin_2phi", sin_2phi, -1.0, 1.0),
    )


def _per_lepton(fm: np.ndarray, Ym: np.ndarray, b: int) -> np.ndarray:
    """Y^(b)_ac = 2 f_ab Y_cb: (coupling of nu_a via eta+) x (coupling of nu_c via H+)."""
    return 2.0 * fm[..., :, b, None] * Ym[..., None, :, b]


def zee_transition_moments(
    f: ArrayLike, Y: ArrayLike, m_h1: ArrayLike, m_h2: ArrayLike, sin_2phi: ArrayLike
) -> np.ndarray:
    """Zee-model Majorana transition moments mu_ac [hepunits], (..., 3, 3), antisymmetric.

    ``f``: antisymmetric (..., 3, 3) (:func:`zee_f_matrix`); ``Y``: (..., 3, 3) Yukawas of H2
    (row: doublet flavour, column: l_R flavour); ``m_h1``, ``m_h2`` the charged-scalar masses
    [energy]; ``sin_2phi`` the eta+ - H+ mixing. Formula in the module doc; divide by
    ``nuem.units.mu_B`` for Bohr magnetons.
    """
    fm, Ym = check_couplings(f, Y)
    m_h1, m_h2, sin_2phi = check_scalars(m_h1, m_h2, sin_2phi)
    return sum(
        pair_transition_moments(_per_lepton(fm, Ym, b), m_b, m_h1, m_h2, sin_2phi)
        for b, m_b in enumerate(lepton_masses())
    )


def zee_majorana_mass(
    f: ArrayLike, Y: ArrayLike, m_h1: ArrayLike, m_h2: ArrayLike, sin_2phi: ArrayLike
) -> np.ndarray:
    """Zee-model one-loop Majorana mass matrix dm_ac [hepunits energy], (..., 3, 3), symmetric."""
    fm, Ym = check_couplings(f, Y)
    m_h1, m_h2, sin_2phi = check_scalars(m_h1, m_h2, sin_2phi)
    return sum(
        pair_majorana_mass(_per_lepton(fm, Ym, b), m_b, m_h1, m_h2, sin_2phi)
        for b, m_b in enumerate(lepton_masses())
    )


def _fermion_mass(m_f: ArrayLike | None) -> np.ndarray:
    return np.asarray(c.m_tau.value) if m_f is None else positive("m_f", m_f, "(energy)")


def spin_symmetry_mass(mu: ArrayLike, m_f: ArrayLike | None = None) -> np.ndarray:
    """m_nu ~ m_f^2 |mu|/(2 m_e mu_B) [hepunits energy]: the spin-symmetry estimate (module doc).

    ``mu`` [hepunits moment]; ``m_f`` the internal fermion mass [energy], default m_tau.
    """
    return mass_from_moment(np.abs(finite("mu", mu)), _fermion_mass(m_f))


def spin_symmetry_max_moment(m_nu: ArrayLike, m_f: ArrayLike | None = None) -> np.ndarray:
    """Largest |mu| [hepunits] with the spin-symmetry mass below ``m_nu`` [energy] (module doc)."""
    return moment_from_mass(positive("m_nu", m_nu, "(energy)"), _fermion_mass(m_f))


@dataclass(frozen=True)
class ZeePrediction:
    """mu_nu (..., 3, 3) [hepunits] and dm_nu (..., 3, 3) [energy] of one Zee-model point."""

    mu_nu: np.ndarray
    delta_m_nu: np.ndarray


def zee_predictions(
    f: ArrayLike, Y: ArrayLike, m_h1: ArrayLike, m_h2: ArrayLike, sin_2phi: ArrayLike
) -> ZeePrediction:
    """Transition moments and the Zee mass from the same loop (hepunits)."""
    return ZeePrediction(
        zee_transition_moments(f, Y, m_h1, m_h2, sin_2phi),
        zee_majorana_mass(f, Y, m_h1, m_h2, sin_2phi),
    )
