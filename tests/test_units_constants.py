"""Units and constants against independent published values."""

import math

import pytest

from nuem import constants as c
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.xsec import conventions


def test_bohr_magneton_matches_codata():
    # CODATA 2022: mu_B = 5.7883817982(18)e-5 eV/T (5.7883818060(17)e-5 was CODATA 2018, and
    # the two differ by 1.3e-9: the tolerance is the 2022 uncertainty, 3e-10)
    assert u.mu_B / (u.eV / u.tesla) == pytest.approx(5.7883817982e-5, rel=3.1e-10)


def test_mu_B_in_inverse_GeV_matches_design_value():
    # DESIGN §3 quotes mu_B = 296.3 GeV^-1
    assert conventions.MU_B_INV_GEV == pytest.approx(296.3, abs=0.05)


def test_astronomical_units():
    assert u.parsec / u.m == pytest.approx(3.0856775814913673e16, rel=1e-12)  # IAU 2015
    assert u.M_sun / u.kg == pytest.approx(1.98841e30, rel=1e-4)  # IAU 2015 / CODATA 2022


def test_fermi_constant_and_alpha():
    assert c.G_F.value * u.GeV**2 == pytest.approx(1.1663787e-5)
    assert 1 / c.alpha.value == pytest.approx(137.035999177)
    # G_F relation check: G_F/sqrt2 = g^2/(8 m_W^2), g = e/s_W on-shell, to 2% (radiative corr.)
    sw2_os = 1 - (c.m_W.value / c.m_Z.value) ** 2
    gf_tree = math.pi * c.alpha.value / (math.sqrt(2) * c.m_W.value**2 * sw2_os)
    assert gf_tree == pytest.approx(c.G_F.value, rel=0.05)


def test_natural_to_area():
    # 1 GeV^-2 = 0.3894 mb
    assert u.natural_to_area / u.GeV**2 / u.millibarn == pytest.approx(0.389379, rel=1e-5)


def test_sin2w_override_and_validation():
    assert c.sin2_theta_w() == pytest.approx(0.23868)
    c.set_sin2_theta_w(0.2312)
    try:
        assert c.sin2_theta_w() == 0.2312
        assert c.provenance()["sin2_theta_W"]["source"] == "user override"
    finally:
        c.set_sin2_theta_w(None)
    assert c.sin2_theta_w() == pytest.approx(0.23868)
    with pytest.raises(NuemInputError, match="sin2_theta_w"):
        c.set_sin2_theta_w(1.5)


def test_moment_conventions():
    assert conventions.mu_from_d(1e-9) == pytest.approx(2e-9)
    assert conventions.mu_B_from_inv_GeV(296.3) == pytest.approx(1.0, rel=2e-4)
    with pytest.raises(NuemInputError, match="d = -1"):
        conventions.mu_from_d(-1.0)
