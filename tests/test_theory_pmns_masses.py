"""PMNS matrix and mass spectra, checked against parametrisation identities and NuFIT 6.0."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import nufit
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.theory import mass_spectrum, pmns_from_angles, pmns_matrix, sum_of_masses
from nuem.theory.pmns import is_unitary

angle = st.floats(0.0, math.pi / 2)
phase = st.floats(-2 * math.pi, 2 * math.pi)


@settings(max_examples=60, deadline=None)
@given(angle, angle, angle, phase, phase, phase)
def test_unitary_for_any_angles_and_phases(t12, t13, t23, d, a21, a31):
    U = pmns_from_angles(t12, t13, t23, d, a21, a31)
    assert is_unitary(U, atol=1e-13)


@pytest.mark.parametrize("ordering", ["normal", "inverted"])
def test_moduli_match_nufit_angles(ordering):
    # PDG parametrisation identities: |U_e3|^2 = s13^2, |U_e2|^2/|U_e1|^2 = tan^2 theta12,
    # |U_mu3|^2 = s23^2 c13^2 (NuFIT 6.0 numbers typed from arXiv:2410.05380 table).
    ref = {"normal": (0.307, 0.02195, 0.561), "inverted": (0.308, 0.02224, 0.562)}[ordering]
    s12, s13, s23 = ref
    U = pmns_matrix(ordering)
    assert abs(U[0, 2]) ** 2 == pytest.approx(s13, rel=1e-12)
    assert abs(U[0, 1]) ** 2 / abs(U[0, 0]) ** 2 == pytest.approx(s12 / (1 - s12), rel=1e-12)
    assert abs(U[1, 2]) ** 2 == pytest.approx(s23 * (1 - s13), rel=1e-12)


def test_jarlskog_invariant():
    # PDG review: J = Im[U_mu3 U*_e3 U_e2 U*_mu2]
    #              = (1/8) sin2t12 sin2t23 sin2t13 cos t13 sin(delta)
    t12, t13, t23, d = 0.58, 0.15, 0.8, 1.1
    U = pmns_from_angles(t12, t13, t23, d, 0.7, -0.4)  # Majorana phases must not matter
    J = np.imag(U[1, 2] * np.conj(U[0, 2]) * U[0, 1] * np.conj(U[1, 1]))
    expect = np.sin(2 * t12) * np.sin(2 * t23) * np.sin(2 * t13) * np.cos(t13) * np.sin(d) / 8
    assert J == pytest.approx(expect, rel=1e-12)


def test_majorana_phases_multiply_columns():
    U0 = pmns_matrix("normal")
    U = pmns_matrix("normal", alpha21=1.0, alpha31=2.0)
    np.testing.assert_allclose(U[:, 0], U0[:, 0], atol=1e-15)
    np.testing.assert_allclose(U[:, 1], U0[:, 1] * np.exp(0.5j), atol=1e-15)
    np.testing.assert_allclose(U[:, 2], U0[:, 2] * np.exp(1.0j), atol=1e-15)


def test_pmns_broadcasts_over_phases():
    U = pmns_matrix("normal", alpha21=np.linspace(0, 1, 4))
    assert U.shape == (4, 3, 3)


def test_masses_normal_ordering_from_splittings():
    # NuFIT 6.0 NO: dm2_21 = 7.49e-5 eV^2, dm2_31 = 2.534e-3 eV^2
    m = mass_spectrum(0.0, "normal") / u.eV
    assert m[0] == 0.0
    assert m[1] == pytest.approx(math.sqrt(7.49e-5), rel=1e-12)
    assert m[2] == pytest.approx(math.sqrt(2.534e-3), rel=1e-12)
    # well-known minimal sum for NO is ~0.059 eV
    assert sum_of_masses(0.0, "normal") / u.eV == pytest.approx(0.0590, abs=5e-4)


def test_masses_inverted_ordering_from_splittings():
    # NuFIT 6.0 IO: dm2_32 = -2.510e-3 eV^2; m3 is the lightest; minimal sum ~0.10 eV
    m0 = 0.02
    m = mass_spectrum(m0 * u.eV, "inverted") / u.eV
    assert m[2] == pytest.approx(m0)
    assert m[1] ** 2 - m[2] ** 2 == pytest.approx(2.510e-3, rel=1e-10)
    assert m[1] ** 2 - m[0] ** 2 == pytest.approx(7.49e-5, rel=1e-9)
    assert sum_of_masses(0.0, "inverted") / u.eV == pytest.approx(0.0995, abs=1e-3)


def test_masses_vectorised_and_degenerate_limit():
    m0 = np.array([0.0, 0.1, 1.0]) * u.eV
    m = mass_spectrum(m0, "normal")
    assert m.shape == (3, 3)
    # quasi-degenerate: splittings negligible at 1 eV
    np.testing.assert_allclose(m[2] / u.eV, 1.0, rtol=2e-3)


def test_bad_inputs():
    with pytest.raises(NuemInputError, match="m_lightest"):
        mass_spectrum(-0.01 * u.eV)
    with pytest.raises(NuemInputError, match="ordering"):
        mass_spectrum(0.01 * u.eV, "weird")
    with pytest.raises(NuemInputError, match="theta12"):
        pmns_from_angles(2.0, 0.1, 0.1)
    with pytest.raises(NuemInputError):
        pmns_matrix("normal", alpha21=float("nan"))


def test_default_delta_is_nufit():
    p = nufit.parameters("normal")
    U = pmns_matrix("normal")
    assert np.angle(np.conj(U[0, 2])) == pytest.approx(
        p.delta_cp - 2 * math.pi * (p.delta_cp > math.pi)
    )
