"""S1 + R2~ leptoquark model: limits, second derivations and the published statements."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from loop_integrals import exact_lepton_g2_loop
from nuem import constants as c
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.theory import leptoquark_moment, su2h_transition_moment
from nuem.theory.leptoquark import (
    coupling_matrix,
    leptoquark_delta_a_mu,
    leptoquark_g2_scan,
    leptoquark_majorana_mass,
    leptoquark_predictions,
    leptoquark_transition_moments,
    voloshin_suppression,
    y_R_for_delta_a_mu,
)
from nuem.theory.loops import neutral_dipole
from nuem.theory.muon_g2 import MUON_G2_REFERENCES, muon_g2_reference

TeV = u.TeV
E_MU = ([1.0, 0, 0], [0, 1.0, 0])  # lam_L on e, y_tilde on mu
Y_EMU = coupling_matrix(*E_MU)


def test_moment_is_1e11_at_1TeV_with_order_one_couplings():
    # seed estimate mu ~ e m_b/(16 pi^2 m_LQ^2) = 2.7e-11 mu_B at 1 TeV (PHYSICS §8)
    seed = leptoquark_moment(1 * TeV) / u.mu_B
    assert seed == pytest.approx(2.7e-11, rel=0.01, abs=0)
    # full loop, maximal mixing, the second state decoupled: the seed times
    # (1/2)(ln(m^2/m_b^2) - 1) (N_c |Q_b| = 1) -- a second evaluation of the same loop
    mu = leptoquark_transition_moments(Y_EMU, 1 * TeV, 1e4 * TeV, 1.0)[0, 1] / u.mu_B
    mb = c.m_b.value
    lead = seed * 0.5 * (math.log((1e6 / mb) ** 2) - 1.0)
    assert abs(mu) == pytest.approx(lead, rel=2e-4, abs=0)
    # with m2 = 1.5 TeV the GIM-like difference brings it to a few 1e-11: the seed's order
    mu2 = abs(leptoquark_transition_moments(Y_EMU, 1 * TeV, 1.5 * TeV, 1.0)[0, 1]) / u.mu_B
    assert 1e-11 < mu2 < 1e-10


def test_moment_antisymmetric_mass_symmetric_and_degenerate_limit():
    rng = np.random.default_rng(1)
    Y = coupling_matrix(*rng.normal(size=(2, 4, 3)))
    mu = leptoquark_transition_moments(Y, 1 * TeV, 2 * TeV, 0.3)
    dm = leptoquark_majorana_mass(Y, 1 * TeV, 2 * TeV, 0.3)
    np.testing.assert_allclose(mu, -np.swapaxes(mu, -1, -2), atol=0)
    np.testing.assert_allclose(dm, np.swapaxes(dm, -1, -2), atol=0)
    # degenerate leptoquarks (or no mixing): the two eigenstates cancel (GIM-like)
    assert np.all(leptoquark_transition_moments(Y, 1 * TeV, 1 * TeV, 0.9) == 0)
    assert np.all(leptoquark_majorana_mass(Y, 1 * TeV, 2 * TeV, 0.0) == 0)


def test_mass_reduces_to_the_log_formula_and_equals_the_self_energy_integral():
    # Dorsner et al. (arXiv:1603.04993) / Päs-Schumacher (arXiv:1510.08757) for m_b << m:
    # dm = 3 sin2theta m_b/(32 pi^2) (lam y + y lam) ln(m1^2/m2^2)
    m1, m2, mb, s2 = 1e6, 3e6, 4186.0, 0.2
    dm = leptoquark_majorana_mass(Y_EMU, m1, m2, s2)[0, 1]
    assert dm == pytest.approx(
        3 * s2 * mb / (32 * math.pi**2) * math.log(m1**2 / m2**2), rel=2e-4, abs=0
    )

    # second derivation: the finite difference of B0(0; m_b, m) from its Feynman integral
    def b0_minus(m):  # -int_0^1 ln(x m_b^2 + (1-x) m^2) dx
        return -quad(lambda x: math.log(x * mb**2 + (1 - x) * m**2), 0, 1, epsrel=1e-13)[0]

    exact = 3 * s2 * mb / (32 * math.pi**2) * (b0_minus(m2) - b0_minus(m1))
    assert dm == pytest.approx(exact, rel=1e-8, abs=0)


def test_voloshin_like_cancellation():
    # an SU(2)_H-like antisymmetric coupling matrix (two leptoquark copies, Y = k eps on (e, mu))
    # keeps the transition moment and removes the whole Majorana mass
    Y = 0.6 * (coupling_matrix([1, 0, 0], [0, 1, 0]) - coupling_matrix([0, 1, 0], [1, 0, 0]))
    mu = leptoquark_transition_moments(Y, 1 * TeV, 1.5 * TeV, 0.5)
    dm = leptoquark_majorana_mass(Y, 1 * TeV, 1.5 * TeV, 0.5)
    assert abs(mu[0, 1]) / u.mu_B > 1e-11
    assert np.all(dm == 0.0)
    assert voloshin_suppression(mu[0, 1], dm[0, 1], 1 * TeV) == 0.0
    # one pair with lam_e y_mu = -lam_mu y_e cancels dm_{e mu} but keeps the diagonal masses
    one = coupling_matrix([0.7, 0.4, 0], [0.7, -0.4, 0])
    dm1 = leptoquark_majorana_mass(one, 1 * TeV, 1.5 * TeV, 0.5)
    assert dm1[0, 1] == 0.0 and abs(dm1[0, 0]) > 0
    # a generic pair: the mass is the naive m^2 mu/(2 m_e mu_B) up to logs (no suppression)
    p = leptoquark_predictions([1, 0, 0], [0, 0, 0], [0, 1, 0], 1 * TeV, 1.5 * TeV, 0.5)
    s = voloshin_suppression(p.mu_nu[0, 1], p.delta_m_nu[0, 1], 1 * TeV)
    assert 0.1 < s < 10


def test_top_loop_reproduces_the_heavy_leptoquark_formula():
    # Bauer & Neubert, PRL 116 (2016) 141802, m >> m_t:
    # Delta a_mu = (m_mu m_t/(4 pi^2 m^2)) (ln(m^2/m_t^2) - 7/4) Re(lam_L y_R*)
    mmu, mt = c.m_mu.value, c.m_top.value
    for M in (20 * TeV, 200 * TeV):
        d = leptoquark_delta_a_mu(0.3, 0.2, 0.0, M, M)
        ref = mmu * mt / (4 * math.pi**2 * M**2) * (math.log(M**2 / mt**2) - 1.75) * 0.06
        assert d["top_flip"] == pytest.approx(ref, rel=3 * mt**2 / M**2 * math.log(M / mt), abs=0)
    # non-flip part for m >> m_t: N_c m_mu^2 (|l|^2+|r|^2)/(8 pi^2 m^2) x [(2/3)/3 - (1/3)/6]/2
    d = leptoquark_delta_a_mu(0.3, 0.2, 0.0, 200 * TeV, 200 * TeV)
    ref = mmu**2 * 0.13 / (32 * math.pi**2 * (200 * TeV) ** 2)
    assert d["top_nonflip"] == pytest.approx(ref, rel=1e-3, abs=0)


def test_delta_a_mu_equals_the_exact_feynman_integrals_at_finite_mass():
    # an evaluation independent of the closed forms and of the m_mu << m expansion: S1 top loop
    # (mu- -> tbar S1*, Q_F = -2/3) on both mass eigenstates with weights cos^2, sin^2, and the
    # R2~^{2/3} bottom loop (Q_F = -1/3, one chirality), at masses near m_t where no heavy-mass
    # limit holds
    mmu, mt, mb = c.m_mu.value, c.m_top.value, c.m_b.value
    lam, yr, yt, m1, m2, s2, mr = 0.3, -0.2, 0.5, 400 * u.GeV, 1.2 * TeV, 0.6, 900 * u.GeV
    th = 0.5 * math.asin(s2)
    w1, w2 = math.cos(th) ** 2, math.sin(th) ** 2
    top = w1 * exact_lepton_g2_loop(mmu, mt, m1, lam, yr, -2 / 3)
    top += w2 * exact_lepton_g2_loop(mmu, mt, m2, lam, yr, -2 / 3)
    bottom = exact_lepton_g2_loop(mmu, mb, mr, yt, 0.0, -1 / 3)
    d = leptoquark_delta_a_mu(lam, yr, yt, m1, m2, s2, mr)
    assert d["top_flip"] + d["top_nonflip"] == pytest.approx(top, rel=1e-6, abs=0)
    assert d["bottom"] == pytest.approx(bottom, rel=1e-5, abs=0)
    assert d["total"] < 0  # Re(lam y_R*) < 0: the chirally enhanced term sets the sign


def test_bottom_loop_and_chiral_enhancement():
    # R2~^{2/3} with b (Q_F = -1/3) and one chirality: no m_b/m_mu term, magnitude ~ m_mu^2/m^2
    d = leptoquark_delta_a_mu(0.0, 0.0, 1.0, 1 * TeV, 1 * TeV)
    assert d["top_flip"] == 0 and d["top_nonflip"] == 0
    assert 0 < abs(d["bottom"]) < 1e-10
    # the top flip term is ~ m_t/m_mu larger than the non-flip one for equal couplings
    e = leptoquark_delta_a_mu(1.0, 1.0, 0.0, 1.5 * TeV, 1.5 * TeV)
    assert e["top_flip"] / e["top_nonflip"] > 1e3


def test_y_R_solves_the_g2_target_and_scan_masks():
    ref = muon_g2_reference("2021")
    lam = np.array([0.1, 0.5, 1.0])
    yr = y_R_for_delta_a_mu(ref.delta_a_mu, lam, 0.0, 1.5 * TeV, 2 * TeV, 0.3)
    da = leptoquark_delta_a_mu(lam, yr, 0.0, 1.5 * TeV, 2 * TeV, 0.3)["total"]
    np.testing.assert_allclose(da, 251e-11, rtol=1e-9)
    # flip dominance: y_R ~ target / (flip coefficient lam) -> y_R lam roughly constant
    assert np.ptp(yr * lam) / np.mean(yr * lam) < 0.05
    s = leptoquark_g2_scan(
        lam[:, None], np.array([1e-3, 1.0]), 1.5 * TeV, 2 * TeV, 0.3, 3e-12 * u.mu_B, "2021"
    )
    assert s["allowed"].shape == (3, 2)
    np.testing.assert_allclose(s["delta_a_mu"], 251e-11, rtol=1e-9)
    assert np.all(s["explains"])
    np.testing.assert_array_equal(s["below_limit"], s["mu_e_mu"] < 3e-12 * u.mu_B)
    assert s["g2_reference"]["key"] == "2021"


def test_g2_references_quoted_numbers():
    r21, r25 = MUON_G2_REFERENCES["2021"], MUON_G2_REFERENCES["2025"]
    # 2021: 116 592 061(41) - 116 591 810(43) = 251(59) x 1e-11 (arXiv:2104.03281)
    assert r21.delta_a_mu == pytest.approx((116592061 - 116591810) * 1e-11, rel=1e-6, abs=0)
    assert r21.sigma == pytest.approx(math.hypot(41, 43) * 1e-11, rel=0.01, abs=0)
    # 2025: 38(63) x 1e-11 (arXiv:2505.21476, journal version): compatible with zero
    assert r25.delta_a_mu == pytest.approx(38e-11, rel=1e-6, abs=0) and r25.sigma == pytest.approx(
        63e-11, rel=1e-6, abs=0
    )
    assert abs(r25.pull(0.0)) < 1 < abs(r21.pull(0.0))
    # Babu, Jana, Lindner & Vishnu P.K., arXiv:2104.03291 (introduction, read on ar5iv): the
    # same SM a_mu(theory) = 116 591 810(43)e-11 and BNL alone 116 592 089(63)e-11 -- "a 3.7
    # sigma discrepancy"; with FNAL "4.2 sigma" (our 2021 reference: 251/59 = 4.25)
    assert r21.a_mu_sm.startswith("116 591 810(43)")
    bnl = (116592089 - 116591810) / math.hypot(63, 43)
    assert round(bnl, 1) == 3.7 and 4.2 < r21.delta_a_mu / r21.sigma < 4.3
    with pytest.raises(NuemInputError, match="g2_reference"):
        muon_g2_reference("2019")


def test_same_loop_as_the_su2h_formula():
    # Babu-Jana-Lindner SU(2)_H: (ln(m_h^2/m_tau^2) - 1)/m_h^2 is the leading-log g_S/m^2 of the
    # generic neutral-fermion loop (F = tau, Q_F = -1); the coefficient e f f'/(8 pi^2) is 4x the
    # per-vertex one, e/(32 pi^2) sin 2alpha (two antisymmetric Zee-type couplings, see docs)
    mh, mH = 200 * u.GeV, 800 * u.GeV
    su2h = su2h_transition_moment(1.0, 1.0, mh, mH)
    mtau = c.m_tau.value
    generic = 0.5 * (neutral_dipole(mtau, mh, 1.0, -1.0) - neutral_dipole(mtau, mH, 1.0, -1.0))
    assert su2h / generic == pytest.approx(4.0, rel=1e-3, abs=0)


def test_bad_inputs():
    with pytest.raises(NuemInputError, match="lam_L"):
        coupling_matrix([1, 0], [0, 1, 0])
    with pytest.raises(NuemInputError, match="Y has shape"):
        leptoquark_transition_moments(np.eye(2), 1 * TeV, 2 * TeV, 0.1)
    with pytest.raises(NuemInputError, match="sin_2theta"):
        leptoquark_majorana_mass(Y_EMU, 1 * TeV, 2 * TeV, 1.5)
    with pytest.raises(NuemInputError, match="m1"):
        leptoquark_delta_a_mu(1, 1, 0, -1 * TeV, 2 * TeV)
    with pytest.raises(NuemInputError, match="mu_limit"):
        leptoquark_g2_scan(1.0, 1.0, 1 * TeV, 2 * TeV, 0.1, 0.0)


def test_scan_figure(tmp_path):
    from matplotlib.figure import Figure

    from nuem.plot import plot_leptoquark_scan

    lam, yte = np.meshgrid(np.linspace(0.02, 1.5, 30), np.logspace(-3, 0, 30), indexing="ij")
    s = leptoquark_g2_scan(lam, yte, 1.5 * TeV, 2 * TeV, 0.3, 3e-12 * u.mu_B, "2021")
    fig, ax = plot_leptoquark_scan(lam, yte, s, 3e-12 * u.mu_B)
    assert isinstance(fig, Figure) and "2021" in ax.get_title()
    assert ax.get_yscale() == "log"
    fig.savefig(tmp_path / "scan.png")
    assert (tmp_path / "scan.png").stat().st_size > 10_000
