"""Zee model: second derivations, the Zee-Wolfenstein texture and the spin-symmetry estimate."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from loop_integrals import exact_lepton_g2_loop
from nuem import constants as c
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.theory import su2h_transition_moment
from nuem.theory.zee import (
    spin_symmetry_mass,
    spin_symmetry_max_moment,
    zee_f_matrix,
    zee_majorana_mass,
    zee_predictions,
    zee_transition_moments,
)
from nuem.theory.zee_g2 import zee_delta_a_mu

GeV, TeV = u.GeV, u.TeV
M_L = np.array([c.m_e.value, c.m_mu.value, c.m_tau.value])


def _tau_column(y_e, y_mu, y_tau=0.0):
    Y = np.zeros((3, 3))
    Y[:, 2] = [y_e, y_mu, y_tau]
    return Y


def test_su2h_formula_is_the_zee_loop_with_both_orderings():
    # tau in the loop, f_mu_tau Y_e_tau = -f_e_tau Y_mu_tau = -f f': the two orderings of the
    # antisymmetric moment add, 2 (from f_ab L_a L_b) x 2 (orderings) x 1/(32 pi^2) = 1/(8 pi^2),
    # the coefficient of the Babu-Jana-Lindner SU(2)_H formula; it uses the leading log
    # (ln(m^2/m_tau^2) - 1)/m^2, the loop the exact g_S(t): they differ by O(t ln t)
    a, b, m1, m2, s2 = 0.03, 0.02, 200 * GeV, 1 * TeV, 0.5
    mu = zee_transition_moments(zee_f_matrix(0, a, a), _tau_column(-b, b), m1, m2, s2)
    ref = su2h_transition_moment(a * b, s2, m1, m2)
    t = c.m_tau.value**2 / m1**2
    assert mu[0, 1] == pytest.approx(ref, rel=3 * t * math.log(1 / t), abs=0)
    np.testing.assert_allclose(mu, -mu.T, atol=0)
    # this coupling choice removes dm_{e mu} from the loop, not the diagonal entries
    dm = zee_majorana_mass(zee_f_matrix(0, a, a), _tau_column(-b, b), m1, m2, s2)
    assert dm[0, 1] == 0.0 and dm[0, 0] != 0.0
    np.testing.assert_allclose(dm, dm.T, atol=0)


def test_original_zee_model_has_the_wolfenstein_texture():
    # Y proportional to the charged-lepton masses (one doublet couples to leptons): the Zee mass
    # is f_ab (m_b^2 - m_a^2) x const with a zero diagonal (Wolfenstein, NPB 175 (1980) 93)
    f = zee_f_matrix(0.4, -0.7, 0.2)
    Y = 1e-2 * np.diag(M_L) / c.m_tau.value
    m1, m2, s2 = 2 * TeV, 5 * TeV, 0.3
    dm = zee_majorana_mass(f, Y, m1, m2, s2)
    assert np.all(np.diag(dm) == 0.0)
    texture = f * (M_L[None, :] ** 2 - M_L[:, None] ** 2)
    ratio = dm[np.triu_indices(3, 1)] / texture[np.triu_indices(3, 1)]
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-4)
    # m_b -> 0: the familiar Zee form (sin 2phi/16 pi^2) ln(m1^2/m2^2)(f M Y^T + Y M f^T)
    k = s2 / (16 * math.pi**2) * math.log(m1**2 / m2**2)
    zee_form = k * (f @ np.diag(M_L) @ Y.T + Y @ np.diag(M_L) @ f.T)
    np.testing.assert_allclose(dm, zee_form, rtol=1e-4, atol=1e-30)


def test_zee_mass_equals_the_self_energy_integral():
    # second derivation of one entry: the difference of B0(0; m_tau, m) from its Feynman integral
    mt, m1, m2, s2, a, b = c.m_tau.value, 300 * GeV, 700 * GeV, 0.8, 0.05, 0.03
    dm = zee_majorana_mass(zee_f_matrix(0, a, 0), _tau_column(0, b), m1, m2, s2)[0, 1]

    def b0_minus(m):  # -int_0^1 ln(x m_tau^2 + (1-x) m^2) dx
        return -quad(lambda x: math.log(x * mt**2 + (1 - x) * m**2), 0, 1, epsrel=1e-13)[0]

    exact = s2 * mt / (32 * math.pi**2) * 2 * a * b * (b0_minus(m2) - b0_minus(m1))
    assert dm == pytest.approx(exact, rel=1e-8, abs=0)


def test_spin_symmetry_estimate_is_below_the_xenon1t_range():
    # Babu, Jana & Lindner, arXiv:2007.04291 (abstract): XENON1T needs mu_{e mu} in
    # (1.65 - 3.42) x 1e-11 mu_B, and in the Zee model with the spin-symmetry mechanism "the
    # induced mu is not large enough". Estimate: m_nu ~ m_tau^2 mu/(2 m_e mu_B); by hand,
    # 2 x 0.511 MeV x 0.05 eV/(1776.9 MeV)^2 = 1.62e-14 mu_B, and 3.24e-13 mu_B for 1 eV
    mu_atm = spin_symmetry_max_moment(0.05 * u.eV) / u.mu_B
    assert mu_atm == pytest.approx(2 * 0.51099895 * 0.05e-6 / 1776.86**2, rel=1e-4, abs=0)
    assert mu_atm == pytest.approx(1.62e-14, rel=2e-3, abs=0)
    assert spin_symmetry_max_moment(1 * u.eV) / u.mu_B == pytest.approx(3.24e-13, rel=2e-3, abs=0)
    assert spin_symmetry_max_moment(1 * u.eV) / u.mu_B < 1.65e-11
    mu = 2e-11 * u.mu_B
    assert spin_symmetry_max_moment(spin_symmetry_mass(mu)) == pytest.approx(mu, rel=1e-12, abs=0)
    # without the symmetry the same loop makes a mass ~ m_h^2 mu/(2 m_e mu_B): a moment in the
    # XENON1T range gives a keV-MeV mass ("unacceptably large", the same abstract)
    p = zee_predictions(zee_f_matrix(0, 0.1, 0), _tau_column(0, 0.1), 200 * GeV, 1 * TeV, 0.5)
    assert abs(p.delta_m_nu[0, 1]) / u.eV > 1e3


def test_vectorised_and_bad_inputs():
    f = zee_f_matrix(np.zeros(4), np.linspace(0.01, 0.04, 4), 0.0)
    mu = zee_transition_moments(f, _tau_column(0, 0.02), 200 * GeV, 1 * TeV, 0.5)
    assert mu.shape == (4, 3, 3)
    np.testing.assert_allclose(mu[:, 0, 1] / mu[0, 0, 1], [1, 2, 3, 4], rtol=1e-12)
    with pytest.raises(NuemInputError, match="antisymmetric"):
        zee_transition_moments(np.eye(3), np.eye(3), 200 * GeV, 1 * TeV, 0.5)
    with pytest.raises(NuemInputError, match="Y has shape"):
        zee_majorana_mass(zee_f_matrix(0, 1, 0), np.eye(2), 200 * GeV, 1 * TeV, 0.5)
    with pytest.raises(NuemInputError, match="m_h1"):
        zee_predictions(zee_f_matrix(0, 1, 0), np.eye(3), 0.0, 1 * TeV, 0.5)
    with pytest.raises(NuemInputError, match="sin_2phi"):
        zee_transition_moments(zee_f_matrix(0, 1, 0), np.eye(3), 200 * GeV, 1 * TeV, 2.0)
    with pytest.raises(NuemInputError, match="m_nu"):
        spin_symmetry_max_moment(-1.0)


def _mu_tau_yukawas(y_mu_tau, y_tau_mu):
    Y = np.zeros((3, 3))
    Y[1, 2], Y[2, 1] = y_mu_tau, y_tau_mu
    return Y


def test_zee_g2_neutral_scalars_against_the_exact_integrals_and_the_heavy_limit():
    # H0 and A0 of the doublet, tau inside (Q_F = -1): A0 is H0 with c_L -> -c_L in the product
    mmu, mt = c.m_mu.value, c.m_tau.value
    ymt, ytm, mH, mA = 0.02, 0.015, 150 * GeV, 400 * GeV
    d = zee_delta_a_mu(np.zeros((3, 3)), _mu_tau_yukawas(ymt, ytm), 200 * GeV, TeV, 0.5, mH, mA)
    r2 = math.sqrt(2)
    exact = exact_lepton_g2_loop(mmu, mt, mH, ytm / r2, ymt / r2, -1.0, nc=1)
    exact += exact_lepton_g2_loop(mmu, mt, mA, -ytm / r2, ymt / r2, -1.0, nc=1)
    assert d["neutral_flip"] + d["neutral_nonflip"] == pytest.approx(exact, rel=1e-6, abs=0)
    # heavy scalars: m_mu m_tau Y Y'/(16 pi^2) [(ln(m_H^2/m_tau^2) - 3/2)/m_H^2 - (H -> A)],
    # the familiar flavour-violating two-doublet form (Omura, Senaha & Tobe 2015; recalled)
    mH, mA = 2 * TeV, 5 * TeV
    d = zee_delta_a_mu(np.zeros((3, 3)), _mu_tau_yukawas(ymt, ytm), 200 * GeV, TeV, 0.5, mH, mA)

    def lead(m):
        return (math.log(m**2 / mt**2) - 1.5) / m**2

    ref = mmu * mt * ymt * ytm / (16 * math.pi**2) * (lead(mH) - lead(mA))
    assert d["neutral_flip"] == pytest.approx(ref, rel=1e-4, abs=0)
    # degenerate H0, A0: the chirally enhanced parts cancel
    d = zee_delta_a_mu(np.zeros((3, 3)), _mu_tau_yukawas(ymt, ytm), 200 * GeV, TeV, 0.5, mH, mH)
    assert abs(d["neutral_flip"]) < 1e-12 * abs(ref)


def test_zee_g2_charged_scalars_and_the_triple():
    # h1, h2 with massless neutrinos: -m_mu^2 |2 f|^2 (cos^2/m1^2 + sin^2/m2^2)/(96 pi^2)
    mmu, m1, m2, s2, fem = c.m_mu.value, 200 * GeV, 1 * TeV, 0.6, 0.05
    f = zee_f_matrix(fem, 0, 0)
    d = zee_delta_a_mu(f, np.zeros((3, 3)), m1, m2, s2, 300 * GeV, 300 * GeV)
    phi = 0.5 * math.asin(s2)
    ref = -(mmu**2) * (2 * fem) ** 2 * (math.cos(phi) ** 2 / m1**2 + math.sin(phi) ** 2 / m2**2)
    assert d["charged"] == pytest.approx(ref / (96 * math.pi**2), rel=1e-9, abs=0)
    assert d["neutral_flip"] == 0 and d["total"] == d["charged"]
    # one Yukawa Y_mu_tau in both: mu_{e mu} (charged member) and Delta a_mu (neutral members).
    # BJLV (arXiv:2104.03291, abstract): a ~100 GeV neutral scalar gives a positive shift; here
    # positive for Y_mu_tau Y_tau_mu > 0 with H0 lighter than A0
    f, Y = zee_f_matrix(0, 0.01, 0), _mu_tau_yukawas(0.01, 0.01)
    p = zee_predictions(f, Y, 200 * GeV, 1 * TeV, 0.5)
    da = zee_delta_a_mu(f, Y, 200 * GeV, 1 * TeV, 0.5, 100 * GeV, 400 * GeV)
    assert abs(p.mu_nu[0, 1]) > 0 and da["total"] > 0
