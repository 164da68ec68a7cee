"""Reactor source: per-isotope yields, junction continuity, core flux, oscillation option.

Published numbers used:
- Daya Bay full data release (dayabay-data-official 1.0.1, Zenodo 10.5281/zenodo.17587229),
  parameter ``antineutrinos_per_fission`` for the Huber-Mueller spectra: U235 1.959115,
  U238 2.571160, Pu239 1.491277, Pu241 1.880797 nubar per fission. These equal the integrals of
  the HM spectra above the inverse-beta-decay threshold E_thr = ((m_n + m_e)^2 - m_p^2)/(2 m_p)
  = 1.806 MeV (so this is the "yield above 1.8 MeV" of the issue).
- Energies per fission: Ma et al., PRC 88 (2013) 014605 (202.36, 205.99, 211.12, 214.26 MeV).
- About six beta decays (hence ~6 nubar) per fission: Hayes & Vogel, Ann. Rev. Nucl. Part. Sci.
  66 (2016) 219.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import constants as c
from nuem import nufit
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.sources import reactor as R
from nuem.sources.reactor import REACTOR_ISOTOPES, ReactorSource

DAYA_BAY_YIELD = {"U235": 1.959115, "U238": 2.571160, "Pu239": 1.491277, "Pu241": 1.880797}
MA_2013 = {"U235": 202.36, "U238": 205.99, "Pu239": 211.12, "Pu241": 214.26}


def ibd_threshold() -> float:
    m_n, m_p, m_e = c.m_n.value, c.m_p.value, c.m_e.value
    return ((m_n + m_e) ** 2 - m_p**2) / (2 * m_p)


def test_ibd_threshold_is_1p806_mev():
    assert ibd_threshold() == pytest.approx(1.806 * u.MeV, abs=1e-3)


@pytest.mark.parametrize("iso", REACTOR_ISOTOPES)
def test_yield_above_threshold_matches_published(iso):
    """HM table alone within 0.05%; the full model (SM-2018 scaled below 2 MeV) within 0.5%."""
    hm = R.antineutrinos_per_fission(iso, ibd_threshold(), model="huber-mueller")
    assert hm == pytest.approx(DAYA_BAY_YIELD[iso], rel=5e-4)
    full = R.antineutrinos_per_fission(iso, ibd_threshold())
    assert full == pytest.approx(DAYA_BAY_YIELD[iso], rel=5e-3)


@pytest.mark.parametrize("iso", REACTOR_ISOTOPES)
def test_continuous_at_2mev_junction(iso):
    j = R.JUNCTION
    below, at, above = R.isotope_spectrum(iso, [j * (1 - 1e-12), j, j * (1 + 1e-12)])
    assert below == pytest.approx(at, rel=1e-9)
    assert above == pytest.approx(at, rel=1e-9)
    # the two independent models (summation SM-2018, conversion HM) agree at 2 MeV within 6%
    assert abs(R.junction_scale(iso) - 1.0) < 0.06
    # above the junction the spectrum is exactly Huber-Mueller
    e = np.linspace(2.0, 12.0, 50) * u.MeV
    assert np.allclose(R.isotope_spectrum(iso, e), R.huber_mueller_spectrum(iso, e), rtol=1e-14)


@pytest.mark.parametrize("iso", REACTOR_ISOTOPES)
def test_about_six_antineutrinos_per_fission(iso):
    total = R.antineutrinos_per_fission(iso)
    assert 4.5 < total < 7.5
    # most of them (magnetic-moment searches!) lie below 2 MeV
    assert R.antineutrinos_per_fission(iso, 0.0, R.JUNCTION) > 0.6 * total


def test_spectrum_vanishes_at_zero_and_above_13mev():
    for iso in REACTOR_ISOTOPES:
        assert R.isotope_spectrum(iso, 0.0) == 0.0
        assert np.all(R.isotope_spectrum(iso, [13.01, 20.0]) == 0.0)


def test_core_flux_by_hand():
    """3 GW_th, 20 m, Daya Bay fractions: R_f = P / sum f_i E_i; Phi = R_f sum f_i N_i / 4piL^2."""
    src = ReactorSource(3.0e9 * u.watt, 20.0 * u.m)
    f = src.fission_fractions
    e_mean_j = sum(f[i] * MA_2013[i] for i in REACTOR_ISOTOPES) * 1.602176634e-13  # J
    rate = 3.0e9 / e_mean_j  # fissions per second
    assert src.fission_rate * u.s == pytest.approx(rate, rel=1e-9)
    n_nu = sum(f[i] * R.antineutrinos_per_fission(i) for i in REACTOR_ISOTOPES)
    phi = rate * n_nu / (4 * math.pi * 2000.0**2)  # cm^-2 s^-1
    assert src.total_flux() * u.cm2 * u.s == pytest.approx(phi, rel=1e-9)
    assert 0.9e13 < phi < 1.2e13  # ~1e13 cm^-2 s^-1 at 20 m from 3 GW_th


def test_normalised_spectra_and_differential_flux():
    src = ReactorSource(1e9 * u.watt, 10 * u.m, fission_fractions={"U235": 1.0})
    e = np.linspace(0.0, 13.5, 270_001) * u.MeV
    for iso in REACTOR_ISOTOPES:
        assert np.trapezoid(src.spectrum(iso, e), e) == pytest.approx(1.0, abs=1e-5)
    assert src.flux("U238") == 0.0
    dphi = src.differential_flux(e)
    assert dphi.shape == e.shape + (3,)
    assert np.trapezoid(dphi[:, 0], e) == pytest.approx(src.total_flux(), rel=1e-5)
    assert np.all(dphi[:, 1:] == 0.0)  # no oscillation by default: pure nubar_e


def test_fission_fractions_are_renormalised():
    src = ReactorSource(1e9 * u.watt, 10 * u.m, fission_fractions={"U235": 2.0, "Pu239": 2.0})
    assert src.fission_fractions == pytest.approx(
        {"U235": 0.5, "U238": 0.0, "Pu239": 0.5, "Pu241": 0.0}
    )


@settings(max_examples=30, deadline=None)
@given(e=st.floats(0.5, 12.0), L=st.floats(1.0, 2e5))
def test_oscillation_option_matches_analytic_pee(e, L):
    """Vacuum 3-flavour nubar_e survival, analytic form: P_ee = 1 - c13^4 sin^2 2th12 sin^2 D21
    - sin^2 2th13 (c12^2 sin^2 D31 + s12^2 sin^2 D32), D_ij = dm2_ij L / 4E."""
    p = nufit.parameters()
    src = ReactorSource(1e9 * u.watt, L * u.m, oscillations=True)
    prob = src.content("U235", e * u.MeV)
    assert prob.sum() == pytest.approx(1.0, abs=1e-12)
    s12, s13 = p.sin2_theta12, p.sin2_theta13
    k = L * u.m / (4 * e * u.MeV * u.hbarc)
    d21, d31, d32 = p.dm2_21 * k, p.dm2_31 * k, p.dm2_32 * k
    pee = (
        1
        - (1 - s13) ** 2 * 4 * s12 * (1 - s12) * math.sin(d21) ** 2
        - 4 * s13 * (1 - s13) * ((1 - s12) * math.sin(d31) ** 2 + s12 * math.sin(d32) ** 2)
    )
    assert prob[0] == pytest.approx(pee, abs=1e-9)


def test_bad_input_raises():
    with pytest.raises(NuemInputError, match="thermal_power"):
        ReactorSource(-1.0, 10 * u.m)
    with pytest.raises(NuemInputError, match="distance"):
        ReactorSource(1e9 * u.watt, 0.0)
    with pytest.raises(NuemInputError, match="isotope = 'U233' is not known"):
        ReactorSource(1e9 * u.watt, 10 * u.m, fission_fractions={"U233": 1.0})
    with pytest.raises(NuemInputError, match="E = -2"):
        R.isotope_spectrum("U235", [1.0, -2.0])
    with pytest.raises(NuemInputError, match="component"):
        ReactorSource(1e9 * u.watt, 10 * u.m).flux("Th232")
