"""Gaussian resolution and the bin-integrated response (nuem.detectors.resolution).

Anchors: scipy.stats.norm (Gaussian probability mass), numerical quadrature (scipy.integrate),
the flat-spectrum invariance of a convolution, and the published XENON1T sigma(E) (arXiv:2006.09721
Eq. 1).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from nuem import units as u
from nuem.detectors.efficiency import ConstantEfficiency, TabulatedEfficiency
from nuem.detectors.resolution import (
    ConstantSigma,
    PolynomialSigma,
    QuadratureSigma,
    SqrtLinearSigma,
    make_resolution,
    response_density,
    response_matrix,
)
from nuem.errors import NuemInputError

# Property tests draw arbitrary coefficients, most of them implausible on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::nuem.errors.NuemUnitWarning")
KEV = u.keV
XENON1T = SqrtLinearSigma(0.310, 0.0037)  # arXiv:2006.09721 Eq. (1)


def test_xenon1t_sigma_matches_published_form():
    # sigma/E = 0.310/sqrt(E/keV) + 0.0037: 10.17% at 10 keV, 31.37% at 1 keV (hand-evaluated).
    assert XENON1T(10 * KEV) / (10 * KEV) == pytest.approx(0.310 / np.sqrt(10) + 0.0037, rel=1e-12)
    assert XENON1T(1 * KEV) / KEV == pytest.approx(0.3137, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 0.5), st.floats(0.0, 0.05), st.floats(0.01, 200.0))
def test_quadrature_never_exceeds_linear_sum(a, b, E):
    # sqrt(x^2 + y^2) <= x + y for x, y >= 0, equality when b = 0.
    q, s = QuadratureSigma(a, b)(E * KEV), SqrtLinearSigma(a, b)(E * KEV)
    assert q <= s * (1 + 1e-12)
    # (abs: for a denormal a below ~1e-154, a^2 underflows to 0 in the quadrature sum)
    lin = SqrtLinearSigma(a, 0.0)(E * KEV)
    assert QuadratureSigma(a, 0.0)(E * KEV) == pytest.approx(lin, rel=1e-6, abs=1e-150)


def test_make_resolution_and_polynomial():
    p = make_resolution("polynomial", {"coefficients": [0.073, 0.173, -0.0065, 0.00011]})
    assert p(10 * KEV) / KEV == pytest.approx(0.073 + 1.73 - 0.65 + 0.11, rel=1e-12)
    assert make_resolution("constant", {"sigma": 0.5})(3 * KEV) == pytest.approx(0.5 * KEV)
    with pytest.raises(NuemInputError, match="needs parameter"):
        make_resolution("sqrt_linear", {"b": 0.1})
    with pytest.raises(NuemInputError):
        make_resolution("lorentzian", {})
    with pytest.raises(NuemInputError, match="negative"):
        PolynomialSigma((-1.0,))(1 * KEV)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 40.0), min_size=1, max_size=8),
    st.floats(0.05, 3.0),
)
def test_matrix_entries_are_gaussian_mass_in_each_bin(T_keV, sigma_keV):
    edges = np.array([0.5, 1.0, 2.5, 4.0, 10.0, 17.0, 30.0]) * KEV
    T = np.array(T_keV) * KEV
    R = response_matrix(T, edges, ConstantSigma(sigma_keV))
    cdf = stats.norm.cdf(edges[:, None] / KEV, loc=np.array(T_keV)[None, :], scale=sigma_keV)
    np.testing.assert_allclose(R, np.diff(cdf, axis=0), rtol=1e-10, atol=1e-14)
    # columns: total mass inside [e_0, e_N]
    np.testing.assert_allclose(R.sum(axis=0), cdf[-1] - cdf[0], rtol=1e-10, atol=1e-14)


def test_energy_dependent_sigma_uses_sigma_at_true_energy():
    edges = np.linspace(1, 30, 30) * KEV
    T = np.array([2.0, 7.5, 20.0]) * KEV
    R = response_matrix(T, edges, XENON1T)
    s = XENON1T(T) / KEV
    cdf = stats.norm.cdf(edges[:, None] / KEV, loc=T[None, :] / KEV, scale=s[None, :])
    np.testing.assert_allclose(R, np.diff(cdf, axis=0), rtol=1e-10, atol=1e-14)


def test_flat_spectrum_stays_flat_away_from_edges():
    # A flat true spectrum convolved with any Gaussian (constant sigma) is flat far from its ends.
    T = np.linspace(0.0, 60.0, 12001) * KEV
    w = np.full(T.size, T[1] - T[0])
    w[[0, -1]] *= 0.5  # trapezoid
    density = 3.0 / KEV  # counts per keV
    edges = np.arange(10.0, 31.0, 1.0) * KEV
    counts = response_matrix(T, edges, ConstantSigma(1.2)) @ (w * density)
    np.testing.assert_allclose(counts, 3.0, rtol=1e-6)
    # with sigma growing like sqrt(E) flatness holds to O(sigma'^2) ~ 1e-3
    counts = response_matrix(T, edges, XENON1T) @ (w * density)
    np.testing.assert_allclose(counts, 3.0, rtol=3e-3)


def test_sigma_zero_is_the_indicator():
    edges = np.array([1.0, 2.0, 3.0]) * KEV
    T = np.array([0.5, 1.0, 1.5, 2.5, 3.5]) * KEV
    R = response_matrix(T, edges, ConstantSigma(0.0))
    expected = np.array([[0, 1, 1, 0, 0], [0, 0, 0, 1, 0]], float)
    np.testing.assert_array_equal(R, expected)


def test_true_efficiency_multiplies_columns():
    edges = np.linspace(1, 10, 10) * KEV
    T = np.linspace(0.5, 12, 7) * KEV
    eff = TabulatedEfficiency(np.array([0.0, 5.0, 20.0]) * KEV, [0.0, 0.8, 0.9])
    R0 = response_matrix(T, edges, XENON1T)
    R1 = response_matrix(T, edges, XENON1T, eff, "true")
    np.testing.assert_allclose(R1, R0 * eff(T)[None, :], rtol=1e-14)


def test_reconstructed_efficiency_constant_equals_scaling():
    edges = np.linspace(1, 10, 10) * KEV
    T = np.linspace(0.5, 12, 7) * KEV
    R0 = response_matrix(T, edges, XENON1T)
    R1 = response_matrix(T, edges, XENON1T, ConstantEfficiency(0.7), "reconstructed")
    np.testing.assert_allclose(R1, 0.7 * R0, rtol=1e-12, atol=1e-15)


def test_reconstructed_step_efficiency_against_scipy():
    # eps = 0 below E0 = 3.25 keV, 1 above (E0 on a sub-bin edge: 1-keV bins, 16 sub-bins).
    E0 = 3.25
    eff = TabulatedEfficiency(np.array([E0 - 1e-9, E0]) * KEV, [0.0, 1.0])
    edges = np.array([1.0, 2.0, 3.0, 4.0, 5.0]) * KEV
    T = np.array([2.8, 3.3, 4.1]) * KEV
    sig = 0.4
    R = response_matrix(T, edges, ConstantSigma(sig), eff, "reconstructed", n_sub=16)
    n = stats.norm(loc=T[None, :] / KEV, scale=sig)
    lo = np.maximum(edges[:-1, None] / KEV, E0)
    hi = edges[1:, None] / KEV
    expected = np.where(hi > lo, n.cdf(hi) - n.cdf(lo), 0.0)
    np.testing.assert_allclose(R, expected, rtol=1e-7, atol=1e-12)


def test_reconstructed_smooth_efficiency_against_quadrature():
    eff = TabulatedEfficiency(np.linspace(0, 30, 61) * KEV, np.tanh(np.linspace(0, 30, 61) / 3))
    edges = np.array([1.0, 2.0, 4.0]) * KEV
    T0, sig = 2.2, 0.5
    R = response_matrix([T0 * KEV], edges, ConstantSigma(sig), eff, "reconstructed", 32)
    for i in range(2):
        ref = integrate.quad(
            lambda E: eff(E * KEV) * stats.norm.pdf(E, T0, sig), edges[i] / KEV, edges[i + 1] / KEV
        )[0]
        assert R[i, 0] == pytest.approx(ref, rel=2e-4)


def test_response_density_is_normalised_with_right_moments():
    T0 = 5.0
    D = lambda E: response_density(np.atleast_1d(E) * KEV, [T0 * KEV], XENON1T)[0, 0] * KEV  # noqa: E731
    s = XENON1T(T0 * KEV) / KEV
    norm = integrate.quad(D, T0 - 12 * s, T0 + 12 * s)[0]
    mean = integrate.quad(lambda E: E * D(E), T0 - 12 * s, T0 + 12 * s)[0]
    var = integrate.quad(lambda E: (E - T0) ** 2 * D(E), T0 - 12 * s, T0 + 12 * s)[0]
    assert norm == pytest.approx(1.0, rel=1e-9)
    assert mean == pytest.approx(T0, rel=1e-9)
    assert var == pytest.approx(s**2, rel=1e-8)


def test_response_density_efficiency_and_errors():
    E = np.array([2.0, 3.0]) * KEV
    eff = ConstantEfficiency(0.5)
    D0 = response_density(E, [2.5 * KEV], XENON1T)
    np.testing.assert_allclose(
        response_density(E, [2.5 * KEV], XENON1T, eff, "reconstructed"), 0.5 * D0
    )
    with pytest.raises(NuemInputError):
        response_density(E, [2.5 * KEV], ConstantSigma(0.0))


def test_invalid_inputs_raise():
    with pytest.raises(NuemInputError):
        response_matrix([-1.0 * KEV], [1 * KEV, 2 * KEV], XENON1T)
    with pytest.raises(NuemInputError):
        response_matrix([1.0 * KEV], [2 * KEV, 1 * KEV], XENON1T)
    with pytest.raises(NuemInputError):
        response_matrix([1.0 * KEV], [1 * KEV, 2 * KEV], XENON1T, efficiency_on="both")
    with pytest.raises(NuemInputError):
        XENON1T(-1 * KEV)
