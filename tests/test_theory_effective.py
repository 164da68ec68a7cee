"""Effective moments: closed forms from the literature and analytic limits."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem.errors import NuemInputError
from nuem.theory import (
    MomentMatrix,
    accelerator_effective_moment,
    flavour_basis_approximation,
    pmns_from_angles,
    pmns_matrix,
    reactor_effective_moment,
    solar_effective_moment,
    vacuum_mass_fractions,
)

phase = st.floats(-math.pi, math.pi)


def test_reactor_diagonal_dirac_closed_form():
    # mu = diag(mu_k): mu_nubar_e^2 = sum_k |U_ek|^2 mu_k^2 (Beacom & Vogel 1999)
    U = pmns_matrix("normal", alpha21=0.4, alpha31=1.3)
    mk = np.array([1.0, 2.0, 3.0]) * 1e-11
    m = MomentMatrix(np.diag(mk))
    expect = math.sqrt(np.sum(np.abs(U[0]) ** 2 * mk**2))
    assert reactor_effective_moment(m, U) == pytest.approx(expect, rel=1e-12)
    # for a diagonal matrix the nu_e and nubar_e moments coincide
    assert accelerator_effective_moment(m, U, "e") == pytest.approx(expect, rel=1e-12)


def test_nubar_beam_from_the_vertex_with_cp_phase():
    # Dirac, Hermitian mu and eps (Giunti-Studenikin), delta_CP = 270 deg: the right-handed
    # nubar_e (sum_a U_ea |nubar_a>) flips with the v-spinor vertex (mu + i eps)_ab; the sum
    # sum_b |sum_a U_ea (mu + i eps)_ab|^2 is evaluated here directly and equals the nu_e moment
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 3, 3)) + 1j * rng.normal(size=(2, 3, 3))
    mu, eps = a + a.conj().T, b + b.conj().T
    U = pmns_matrix("normal", delta_cp=1.5 * math.pi)
    assert abs(np.imag(U[0, 2])) > 0.1  # a CP phase is present
    m = MomentMatrix(mu, eps)
    vertex = math.sqrt(np.sum(np.abs(U[0] @ (mu + 1j * eps)) ** 2))
    assert reactor_effective_moment(m, U) == pytest.approx(vertex, rel=1e-12)
    assert accelerator_effective_moment(m, U, "e") == pytest.approx(vertex, rel=1e-12)
    # the earlier form sum_j |sum_k U_ek d_jk|^2 differs at delta_CP != 0 (it was wrong)
    old = math.sqrt(np.sum(np.abs(m.d @ U[0]) ** 2))
    assert abs(old / vertex - 1) > 1e-3


def test_flavour_diagonal_gives_flavour_moment():
    # a flavour-diagonal Dirac matrix: a nu_mu beam sees exactly mu_mumu
    U = pmns_matrix("normal")
    mF = MomentMatrix(np.diag([1e-11, 4e-11, 7e-11]), basis="flavour")
    assert accelerator_effective_moment(mF, U) == pytest.approx(4e-11, rel=1e-12)


def test_solar_canas_closed_form():
    # Cañas et al., PLB 753 (2016) 191, arXiv:1510.01684: with P_e1 = c13^2 P1, P_e2 = c13^2 (1-P1),
    # P_e3 = s13^2: mu_eff^2 = |L|^2 - c13^2 |L2|^2 + (c13^2 - 1)|L3|^2 + c13^2 P1 (|L2|^2 - |L1|^2)
    lam = np.array([1.0 + 0.5j, -2.0, 0.7j]) * 1e-11
    c13sq, P1 = 1 - 0.02195, 0.55
    P = np.array([c13sq * P1, c13sq * (1 - P1), 1 - c13sq])
    a = np.abs(lam) ** 2
    expect = a.sum() - c13sq * a[1] + (c13sq - 1) * a[2] + c13sq * P1 * (a[1] - a[0])
    m = MomentMatrix.majorana_from_lambda(lam)
    assert solar_effective_moment(m, P) ** 2 == pytest.approx(expect, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(phase, phase)
def test_solar_independent_of_majorana_phases(a21, a31):
    # Cañas et al.: the solar moment depends only on |Lambda_i| -- a fixed flavour-basis Majorana
    # matrix gives the same solar moment for any Majorana phases, while the reactor moment changes.
    lamF = np.array([[0, 1.0, 2.0j], [-1.0, 0, 0.5 - 0.5j], [-2.0j, -0.5 + 0.5j, 0]]) * 1e-11
    mF = MomentMatrix(lamF, nature="majorana", basis="flavour")
    U0 = pmns_matrix("normal")
    U = pmns_matrix("normal", alpha21=a21, alpha31=a31)
    P = vacuum_mass_fractions(U)
    s0 = solar_effective_moment(mF, P, U0)
    assert solar_effective_moment(mF, P, U) == pytest.approx(s0, rel=1e-10)


def test_reactor_depends_on_majorana_phases():
    # the contrast case: with the mass-basis matrix fixed, mu_nubar_e changes with alpha21
    m = MomentMatrix.majorana_from_lambda(np.array([1.0, 1.0, 1.0]) * 1e-11)
    r0 = reactor_effective_moment(m, pmns_matrix("normal"))
    r1 = reactor_effective_moment(m, pmns_matrix("normal", alpha21=math.pi))
    assert abs(r1 - r0) > 1e-3 * r0
    P = vacuum_mass_fractions(pmns_matrix("normal"))
    assert solar_effective_moment(m, P) == pytest.approx(
        solar_effective_moment(m, vacuum_mass_fractions(pmns_matrix("normal", alpha21=math.pi)))
    )


def test_flavour_approximation_exact_for_theta13_zero():
    # analytic limit: theta13 = 0, vacuum-averaged fractions, flavour-diagonal moments: the
    # approximation P_ee mu_e^2 + (1-P_ee)(c23^2 mu_mu^2 + s23^2 mu_tau^2) becomes exact.
    t12, t23 = 0.59, 0.83
    U = pmns_from_angles(t12, 0.0, t23, 0.0)
    mus = np.array([1.0, 3.0, 5.0]) * 1e-11
    mF = MomentMatrix(np.diag(mus), basis="flavour")
    P = vacuum_mass_fractions(U)
    pee = np.sum(P**2)
    approx = flavour_basis_approximation(*mus, pee, np.sin(t23) ** 2)
    assert solar_effective_moment(mF, P, U) == pytest.approx(approx, rel=1e-12)


def test_solar_pure_mass_state_and_broadcast():
    rng = np.random.default_rng(0)
    d = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    P = np.eye(3)  # three energies, each a pure mass state
    out = solar_effective_moment(d, P)
    np.testing.assert_allclose(out**2, np.sum(np.abs(d) ** 2, axis=0), rtol=1e-12)


def test_bad_inputs():
    m = MomentMatrix(np.eye(3))
    with pytest.raises(NuemInputError, match="mass_fractions"):
        solar_effective_moment(m, [0.5, 0.5])
    with pytest.raises(NuemInputError, match="mass_fractions"):
        solar_effective_moment(m, [0.8, 0.8, 0.0])
    with pytest.raises(NuemInputError, match="flavour"):
        accelerator_effective_moment(m, pmns_matrix(), "sterile")
    with pytest.raises(NuemInputError, match="P_ee"):
        flavour_basis_approximation(1, 1, 1, 1.5)
    with pytest.raises(NuemInputError, match="needs U"):
        solar_effective_moment(MomentMatrix(np.eye(3), basis="flavour"), [1, 0, 0])
