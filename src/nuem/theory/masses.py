"""Neutrino mass spectra from the lightest mass and the NuFIT splittings (layer 1).

Normal ordering: m1 = m_lightest, m2 = sqrt(m1^2 + dm2_21), m3 = sqrt(m1^2 + dm2_31).
Inverted ordering: m3 = m_lightest, m2 = sqrt(m3^2 - dm2_32) (dm2_32 < 0),
m1 = sqrt(m2^2 - dm2_21). Splittings from :func:`nuem.nufit.parameters` (NuFIT 6.0).
Masses are in hepunits (eV = 1e-6); read them as ``m / u.eV``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nuem import nufit
from nuem._validate import non_negative


def mass_spectrum(
    m_lightest: ArrayLike, ordering: str = "normal", with_sk_atm: bool = False
) -> np.ndarray:
    """(m1, m2, m3) in hepunits for lightest mass ``m_lightest`` (hepunits energy, >= 0).

    Broadcasts: the result has shape ``np.shape(m_lightest) + (3,)``.
    """
    m0 = non_negative("m_lightest", m_lightest, "(hepunits energy)")
    p = nufit.parameters(ordering, with_sk_atm=with_sk_atm)
    m0sq = m0 * m0
    if p.ordering == "normal":
        m1sq = m0sq
        m2sq = m0sq + p.dm2_21
        m3sq = m0sq + p.dm2_31
    else:
        m3sq = m0sq
        m2sq = m0sq - p.dm2_32
        m1sq = m2sq - p.dm2_21
    return np.sqrt(np.stack([m1sq, m2sq, m3sq], axis=-1))


def sum_of_masses(
    m_lightest: ArrayLike, ordering: str = "normal", with_sk_atm: bool = False
) -> np.ndarray:
    """Sum m1 + m2 + m3 [hepunits] for the given lightest mass."""
    return mass_spectrum(m_lightest, ordering, with_sk_atm).sum(axis=-1)
