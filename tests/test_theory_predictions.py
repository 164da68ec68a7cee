"""SM moments and charge radii, naturalness bounds, mass-moment estimate: published numbers and
theorems (CP-parity selection rules), not the code's own output."""

import math

import numpy as np
import pytest

from nuem import constants as c
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.theory import (
    SM_DIRAC_MU_B_PER_EV,
    mass_from_moment,
    mass_spectrum,
    moment_from_mass,
    naturalness_dirac_bound,
    naturalness_majorana_bound,
    pmns_matrix,
    sm_charge_radius,
    sm_dirac_diagonal_moment,
    sm_dirac_moments,
    sm_majorana_moments,
)


def sig(x, n):
    return float(f"{x:.{n - 1}e}")


def test_fujikawa_shrock_coefficient_seed_digits():
    # seed / Fujikawa & Shrock PRL 45 (1980) 963: 3.2e-19 mu_B per eV (3.20 to three digits)
    assert sig(SM_DIRAC_MU_B_PER_EV, 2) == 3.2e-19
    assert sig(SM_DIRAC_MU_B_PER_EV, 3) == 3.20e-19
    assert sm_dirac_diagonal_moment(1 * u.eV) / u.mu_B == pytest.approx(SM_DIRAC_MU_B_PER_EV)
    # Bell et al. hep-ph/0606248 eq. (1) quote "3e-19 (m/1 eV) mu_B"
    assert sig(sm_dirac_diagonal_moment(1 * u.eV) / u.mu_B, 1) == 3e-19


def test_sm_charge_radii_seed_numbers():
    # seed / Giunti & Studenikin: -8.2, -4.8, -3.0 x 1e-33 cm^2 for e, mu, tau.
    r = {f: sm_charge_radius(f) / u.cm2 / 1e-33 for f in ("e", "mu", "tau")}
    assert round(r["mu"], 1) == -4.8
    assert round(r["tau"], 1) == -3.0
    # the formula gives -8.27 for nu_e (-8.3 to two digits); the quoted -8.2 is reproduced as
    # twice the two-digit values in the Bernabeu et al. normalisation (G_F/(4 sqrt2 pi^2)),
    # (4.1, 2.4, 1.5) x 1e-33 cm^2 -> (8.2, 4.8, 3.0): all three seed digits follow this way.
    for f, seed in (("e", -8.2), ("mu", -4.8), ("tau", -3.0)):
        assert 2 * round(r[f] / 2, 1) == pytest.approx(seed, abs=1e-12)
        assert r[f] == pytest.approx(seed, rel=0.015)


def test_sm_dirac_matrix_diagonal_and_hermiticity():
    m = mass_spectrum(0.01 * u.eV, "normal")
    U = pmns_matrix("normal")
    mm = sm_dirac_moments(m, U)
    # diagonal = Fujikawa-Shrock to O(m_tau^2/m_W^2 ~ 5e-4)
    np.testing.assert_allclose(np.diag(mm.mu).real, SM_DIRAC_MU_B_PER_EV * m / u.eV, rtol=1e-3)
    np.testing.assert_allclose(mm.mu, mm.mu.conj().T, atol=1e-40)  # Hermitian (GS vertex)
    np.testing.assert_allclose(mm.eps, mm.eps.conj().T, atol=1e-40)
    np.testing.assert_allclose(np.diag(mm.eps), 0.0, atol=1e-40)  # no diagonal EDM


def test_sm_dirac_transition_equals_gim_form():
    # Off the diagonal the (1 - b/2) loop function collapses by unitarity to the GIM-suppressed
    # Giunti-Studenikin form (3 e G_F/(32 sqrt2 pi^2)) (m_j + m_k) |sum_l U*_lj U_lk m_l^2/m_W^2|.
    m = mass_spectrum(0.02 * u.eV, "inverted")
    U = pmns_matrix("inverted")
    mm = sm_dirac_moments(m, U)
    b = np.array([c.LEPTON_MASS[f] ** 2 for f in ("e", "mu", "tau")]) / c.m_W.value**2
    coef = 3 * c.m_e.value * c.G_F.value / (16 * math.sqrt(2) * math.pi**2)  # mu_B per MeV
    for j, k in ((0, 1), (0, 2), (1, 2)):
        gim = coef * (m[j] + m[k]) * abs(np.sum(np.conj(U[:, j]) * U[:, k] * b))
        assert abs(mm.mu[j, k]) == pytest.approx(gim, rel=1e-9)
    # GIM suppression: transition / diagonal ~ b_tau / 4 scale
    assert abs(mm.mu[1, 2]) / abs(mm.mu[2, 2]) < c.m_tau.value**2 / c.m_W.value**2


def test_majorana_cp_parity_selection_rule():
    # Theorem (Schechter & Valle 1981; Kayser 1982; Giunti-Studenikin sect. V): with CP conserved,
    # Majorana states of equal CP parity have only electric transition moments, states of
    # opposite CP parity only magnetic ones. delta = 0; alpha21 = pi flips the CP parity of nu_2.
    m = mass_spectrum(0.01 * u.eV, "normal")
    same = sm_majorana_moments(m, pmns_matrix("normal", delta_cp=0.0))
    assert np.max(np.abs(same.mu)) < 1e-12 * np.max(np.abs(same.eps))
    flip = sm_majorana_moments(m, pmns_matrix("normal", delta_cp=0.0, alpha21=math.pi))
    assert abs(flip.eps[0, 1]) < 1e-12 * abs(flip.mu[0, 1])
    assert abs(flip.mu[0, 1]) > 0 and abs(same.eps[0, 1]) > 0
    assert abs(flip.mu[0, 2]) < 1e-12 * abs(flip.eps[0, 2])  # nu_1, nu_3 still equal parity


def test_majorana_is_twice_antisymmetrised_dirac():
    # Majorana moments = Dirac ones antisymmetrised (mu^M = mu^D - mu^D^T): factor 16 vs 32
    m = mass_spectrum(0.05 * u.eV, "normal")
    U = pmns_matrix("normal", alpha21=0.7, alpha31=-1.1)
    d, mj = sm_dirac_moments(m, U), sm_majorana_moments(m, U)
    np.testing.assert_allclose(mj.mu, d.mu - d.mu.T, atol=1e-40)
    np.testing.assert_allclose(mj.eps, d.eps - d.eps.T, atol=1e-40)
    np.testing.assert_allclose(np.diag(mj.mu), 0.0)


def test_naturalness_dirac_bell_et_al():
    # Bell et al. PRL 95 (2005) 151802 abstract: current mass information (m_nu <~ 1 eV) implies
    # |mu_nu| <~ 1e-14 mu_B for new physics at ~1 TeV
    b = naturalness_dirac_bound(1 * u.eV, 1 * u.TeV) / u.mu_B
    assert 1e-15 < b < 1e-14
    # scales as 1/Lambda^2
    assert naturalness_dirac_bound(1 * u.eV, 10 * u.TeV) == pytest.approx(b / 100 * u.mu_B)


def test_naturalness_majorana_bell_et_al():
    # hep-ph/0606248 abstract: Majorana bounds are weaker than present experimental limits
    # (GEMMA 2.9e-11 mu_B) for Lambda ~ 1 TeV and stronger only for Lambda > 10-100 TeV.
    gemma = 2.9e-11
    m_et = 0.05 * u.eV
    assert naturalness_majorana_bound(m_et, ("e", "tau"), 1 * u.TeV) / u.mu_B > gemma
    assert naturalness_majorana_bound(m_et, ("e", "tau"), 100 * u.TeV) / u.mu_B < gemma
    # flavour factor |m_tau^2/(m_e^2 - m_mu^2)| ~ 283 makes the e-mu bound weaker
    r = naturalness_majorana_bound(m_et, ("e", "mu")) / naturalness_majorana_bound(m_et)
    assert r == pytest.approx((1776.93 / 105.658) ** 2, rel=1e-3)


def test_mass_moment_estimate_babu_jana_lindner():
    # arXiv:2007.04291: mu_{nu_e nu_mu} in (1.65-3.42)e-11 mu_B "typically leads to unacceptably
    # large neutrino masses": at M ~ 100 GeV the naive estimate is ~0.1 MeV, >> 1 eV.
    for mu in (1.65e-11, 3.42e-11):
        m = mass_from_moment(mu * u.mu_B, 100 * u.GeV)
        assert 0.1 * u.MeV < m < 0.5 * u.MeV
    # hand evaluation: (1e5 MeV)^2 * 1e-11 / (2 * 0.511 MeV) = 0.0978 MeV
    assert mass_from_moment(1e-11 * u.mu_B, 100 * u.GeV) / u.MeV == pytest.approx(0.09785, 1e-3)
    mu = moment_from_mass(0.1 * u.eV, 1 * u.TeV)
    assert mass_from_moment(mu, 1 * u.TeV) == pytest.approx(0.1 * u.eV)


def test_bad_inputs():
    with pytest.raises(NuemInputError):
        sm_dirac_diagonal_moment(-1 * u.eV)
    with pytest.raises(NuemInputError, match="flavour"):
        sm_charge_radius("x")
    with pytest.raises(NuemInputError, match="different"):
        naturalness_majorana_bound(0.1 * u.eV, ("e", "e"))
    with pytest.raises(NuemInputError, match="scale"):
        naturalness_dirac_bound(0.1 * u.eV, 0.0)
    with pytest.raises(NuemInputError, match="masses"):
        sm_dirac_moments(np.array([1, 2]) * u.eV, pmns_matrix())
