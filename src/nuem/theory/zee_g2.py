"""Delta a_mu in the Zee model of ``nuem.theory.zee``: the same Yukawas give mu_nu and g-2.

The doublet H2 = (H+, (H0 + i A0)/sqrt2) that carries the Yukawas Y_ab L_a-bar H2 l_Rb feeds the
neutrino moment through its charged member (mixed with eta+) and the muon g-2 through its neutral
members -- the mechanism the abstract of Babu, Jana, Lindner & Vishnu P.K. (arXiv:2104.03291)
describes ("a relatively light neutral scalar from a Higgs doublet ... contributes to muon g-2,
while its charged partner induces the neutrino magnetic moment"); their SU(2)_H model and benchmark
were not readable, so this is the Zee-type Lagrangian of ``nuem.theory.zee``, not their model.

With ``nuem.theory.loops.lepton_g2_scalar_loop`` (Q_F = -1 for a charged lepton l_b inside):

- H0: mu-bar [(Y_mu_b/sqrt2) P_R + (Y_b_mu/sqrt2) P_L] l_b H0; A0: the same with i, -i, so the
  chirally enhanced (m_b/m_mu) parts of H0 and A0 have opposite signs and cancel for
  m_H0 = m_A0. For m >> m_tau the tau term is m_mu m_tau Y_mu_tau Y_tau_mu/(16 pi^2)
  [(ln(m_H0^2/m_tau^2) - 3/2)/m_H0^2 - (ln(m_A0^2/m_tau^2) - 3/2)/m_A0^2] (tested).
- h1, h2 (eta+ - H+ mixtures) with the massless neutrinos: mu_L couples through 2 f_a_mu, mu_R
  through Y_a_mu; no chirality flip, Delta a = -m_mu^2 sum |c|^2/(96 pi^2 m_h^2) < 0.

Couplings real (as in ``nuem.theory.zee``); all masses hepunits energies; Delta a dimensionless.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem._validate import positive
from nuem.theory.loops import lepton_g2_scalar_loop
from nuem.theory.zee import check_couplings, check_scalars, lepton_masses

_MU = 1  # flavour index of the muon
_MASSLESS_NU = 1e-12  # MeV: the neutrino in the charged loop (only the non-flip part survives)


def _neutral(Ym: np.ndarray, m_s: np.ndarray, parity: float) -> tuple[np.ndarray, np.ndarray]:
    """(non-flip, flip) of H0 (parity +1) or A0 (parity -1), summed over l_b = e, mu, tau."""
    mmu = c.m_mu.value
    non, flip = 0.0, 0.0
    for b, m_b in enumerate(lepton_masses()):
        c_r = Ym[..., _MU, b] / math.sqrt(2.0)
        c_l = Ym[..., b, _MU] / math.sqrt(2.0)
        c_r, c_l = (c_r, c_l) if parity > 0 else (1j * c_r, -1j * c_l)
        n, f = lepton_g2_scalar_loop(mmu, m_b, m_s, c_l, c_r, -1.0)
        non, flip = non + n, flip + f
    return non, flip


def zee_delta_a_mu(
    f: ArrayLike,
    Y: ArrayLike,
    m_h1: ArrayLike,
    m_h2: ArrayLike,
    sin_2phi: ArrayLike,
    m_H0: ArrayLike,
    m_A0: ArrayLike,
) -> dict[str, np.ndarray]:
    """Delta a_mu (dimensionless) of the Zee model: {"neutral_flip", "neutral_nonflip",
    "charged", "total"}.

    ``f``, ``Y``, ``m_h1``, ``m_h2``, ``sin_2phi`` as in :func:`nuem.theory.zee.
    zee_transition_moments`; ``m_H0``, ``m_A0`` the neutral scalar masses of H2 [energy]. Module
    doc for the couplings and the formula.
    """
    fm, Ym = check_couplings(f, Y)
    mh1, mh2, s2 = check_scalars(m_h1, m_h2, sin_2phi)
    mH = positive("m_H0", m_H0, "(hepunits energy)")
    mA = positive("m_A0", m_A0, "(hepunits energy)")
    nH, fH = _neutral(Ym, mH, +1.0)
    nA, fA = _neutral(Ym, mA, -1.0)
    phi = 0.5 * np.arcsin(s2)
    cos, sin = np.cos(phi), np.sin(phi)
    charged = 0.0
    for a in range(3):
        c_l, c_r = 2.0 * fm[..., a, _MU], Ym[..., a, _MU]
        for m_k, wl, wr in ((mh1, cos, sin), (mh2, -sin, cos)):
            n, _ = lepton_g2_scalar_loop(c.m_mu.value, _MASSLESS_NU, m_k, wl * c_l, wr * c_r, 0.0)
            charged = charged + n
    out = {"neutral_flip": fH + fA, "neutral_nonflip": nH + nA, "charged": charged}
    out["total"] = out["neutral_flip"] + out["neutral_nonflip"] + out["charged"]
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}
