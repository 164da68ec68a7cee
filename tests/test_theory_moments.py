"""Moment matrix: basis changes are unitary, Majorana stays antisymmetric, conventions follow from
the Lagrangian (checked by evaluating the bilinear forms directly)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.theory import MomentMatrix, flavour_effective_moment, pmns_from_angles

angle = st.floats(0.0, math.pi / 2)
phase = st.floats(-math.pi, math.pi)
seed = st.integers(0, 2**32 - 1)


def random_complex(rng, scale=1e-11):
    return scale * (rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3)))


def random_antisymmetric(rng, scale=1e-11):
    a = random_complex(rng, scale)
    return a - a.T


@settings(max_examples=50, deadline=None)
@given(angle, angle, angle, phase, phase, phase, seed)
def test_dirac_basis_change_preserves_norm_and_round_trips(t12, t13, t23, d, a21, a31, s):
    rng = np.random.default_rng(s)
    U = pmns_from_angles(t12, t13, t23, d, a21, a31)
    m = MomentMatrix(random_complex(rng), random_complex(rng), "dirac")
    f = m.to_flavour(U)
    assert f.basis == "flavour"
    assert np.sum(np.abs(f.mu) ** 2) == pytest.approx(np.sum(np.abs(m.mu) ** 2), rel=1e-12)
    assert f.norm2() == pytest.approx(m.norm2(), rel=1e-12)
    back = f.to_mass(U)
    np.testing.assert_allclose(back.mu, m.mu, atol=1e-24)
    np.testing.assert_allclose(back.eps, m.eps, atol=1e-24)


@settings(max_examples=50, deadline=None)
@given(angle, angle, angle, phase, phase, phase, seed)
def test_majorana_stays_antisymmetric_and_norm_invariant(t12, t13, t23, d, a21, a31, s):
    rng = np.random.default_rng(s)
    U = pmns_from_angles(t12, t13, t23, d, a21, a31)
    m = MomentMatrix(random_antisymmetric(rng), random_antisymmetric(rng), "majorana")
    f = m.to_flavour(U)  # the constructor re-checks antisymmetry
    np.testing.assert_allclose(f.mu, -f.mu.T, atol=1e-25)
    np.testing.assert_allclose(np.diag(f.mu), 0.0, atol=1e-25)
    assert f.norm2() == pytest.approx(m.norm2(), rel=1e-12)
    np.testing.assert_allclose(f.to_mass(U).mu, m.mu, atol=1e-24)


def test_dirac_convention_from_lagrangian_bilinear():
    # L ~ nubar_j mu_jk nu_k with nu_alpha = U_alpha,k nu_k: the bilinear conj(y)^T mu^F y' for
    # flavour amplitudes y = U x must equal conj(x)^T mu^M x' (the term is the same operator).
    rng = np.random.default_rng(1)
    U = pmns_from_angles(0.6, 0.15, 0.8, 1.2, 0.5, 2.0)
    mM = random_complex(rng)
    mF = MomentMatrix(mM, nature="dirac").to_flavour(U).mu
    x, xp = (
        rng.normal(size=3) + 1j * rng.normal(size=3),
        rng.normal(size=3) + 1j * rng.normal(size=3),
    )
    y, yp = U @ x, U @ xp
    assert np.conj(y) @ mF @ yp == pytest.approx(np.conj(x) @ mM @ xp, rel=1e-12)


def test_majorana_convention_from_lagrangian_bilinear():
    # L ~ nu_j^T mu_jk nu_k (both fields left-handed, no bar): y^T mu^F y' = x^T mu^M x'.
    rng = np.random.default_rng(2)
    U = pmns_from_angles(0.6, 0.15, 0.8, 1.2, 0.5, 2.0)
    mM = random_antisymmetric(rng)
    mF = MomentMatrix(mM, nature="majorana").to_flavour(U).mu
    x, xp = (
        rng.normal(size=3) + 1j * rng.normal(size=3),
        rng.normal(size=3) + 1j * rng.normal(size=3),
    )
    assert (U @ x) @ mF @ (U @ xp) == pytest.approx(x @ mM @ xp, rel=1e-12)


@pytest.mark.parametrize("nature", ["dirac", "majorana"])
def test_nu_beam_moment_is_flavour_column_norm(nature):
    # second derivation: sum_j |sum_k U*_ak d_jk|^2 == sum_b |d^F_ba|^2
    rng = np.random.default_rng(3)
    U = pmns_from_angles(0.58, 0.15, 0.84, 3.1, 1.0, 0.3)
    mu = random_antisymmetric(rng) if nature == "majorana" else random_complex(rng)
    m = MomentMatrix(mu, nature=nature)
    dF = m.to_flavour(U).d
    for a, f in enumerate(("e", "mu", "tau")):
        col = np.sqrt(np.sum(np.abs(dF[:, a]) ** 2))
        assert flavour_effective_moment(m, U, f) == pytest.approx(col, rel=1e-12)


def test_dirac_hermitian_stays_hermitian():
    rng = np.random.default_rng(4)
    a = random_complex(rng)
    h = a + a.conj().T
    U = pmns_from_angles(0.5, 0.1, 0.7, 0.3)
    f = MomentMatrix(h).to_flavour(U).mu
    np.testing.assert_allclose(f, f.conj().T, atol=1e-25)


def test_lambda_parametrisation():
    lam = np.array([1.0, 2.0 + 1.0j, -0.5j]) * 1e-11
    m = MomentMatrix.majorana_from_lambda(lam)
    # sum_j |mu_kj|^2 = |Lambda|^2 - |Lambda_k|^2 (Cañas et al. arXiv:1510.01684)
    rows = np.sum(np.abs(m.mu) ** 2, axis=1)
    np.testing.assert_allclose(rows, np.sum(np.abs(lam) ** 2) - np.abs(lam) ** 2, rtol=1e-12)
    assert m.mu[0, 1] == lam[2] and m.mu[1, 2] == lam[0] and m.mu[2, 0] == lam[1]


def test_units_and_d():
    m = MomentMatrix(np.eye(3) * 1e-11, np.eye(3) * 2e-11)
    np.testing.assert_allclose(m.d, np.eye(3) * (1e-11 - 2e-11j))
    assert m.mu_hep[0, 0] / u.mu_B == pytest.approx(1e-11)
    assert m.eps_hep[1, 1] == pytest.approx(2e-11 * u.mu_B)
    with pytest.raises(ValueError):
        m.mu[0, 0] = 1.0  # read-only


def test_stack_of_matrices():
    rng = np.random.default_rng(5)
    stack = np.stack([random_complex(rng) for _ in range(4)])
    U = pmns_from_angles(0.5, 0.1, 0.7, 0.3)
    m = MomentMatrix(stack)
    assert m.shape == (4,)
    np.testing.assert_allclose(m.to_flavour(U).norm2(), m.norm2(), rtol=1e-12)


def test_bad_inputs():
    with pytest.raises(NuemInputError, match="antisymmetric"):
        MomentMatrix(np.eye(3), nature="majorana")
    with pytest.raises(NuemInputError, match="shape"):
        MomentMatrix(np.ones((2, 2)))
    with pytest.raises(NuemInputError, match="nature"):
        MomentMatrix(np.zeros((3, 3)), nature="weyl")
    with pytest.raises(NuemInputError):
        MomentMatrix(np.full((3, 3), np.nan))
    with pytest.raises(NuemInputError, match="unitary"):
        MomentMatrix(np.eye(3)).to_flavour(2 * np.eye(3))
