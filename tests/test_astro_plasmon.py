"""Plasma, plasmon decay and the red-giant bound (nuem.astro.plasma, .plasmon, .red_giant)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dirac_amplitudes import METRIC, PR, SIGMA, bar, u_spinors, v_spinors
from nuem import units as u
from nuem.astro import plasmon as pm
from nuem.astro import red_giant as rg
from nuem.astro.plasma import Plasma, electron_fraction, g_longitudinal, g_transverse
from nuem.errors import NuemInputError

GCC = u.g / u.cm3


@pytest.fixture(scope="module")
def rg_core():
    return rg.core_plasma()


# --- plasma -----------------------------------------------------------------------------------


def test_nonrelativistic_plasma_frequency():
    # omega_P^2 = 4 pi alpha n_e/m_e for a cold dilute plasma (textbook), hydrogen at 1 g/cm^3
    pl = Plasma.from_conditions(1.0 * GCC, 1e-4, "H")
    n_e = pl.n_e
    expect = math.sqrt(4 * math.pi / 137.035999177 * n_e / 0.51099895069)
    assert pl.omega_p == pytest.approx(expect, rel=2e-3)
    assert pl.v_star < 0.05


def test_degenerate_relativistic_plasma_frequency(rg_core):
    # degenerate limit: omega_P^2 = 4 pi alpha n_e/E_F (Raffelt 1996 eq. 6.42), E_F from p_F
    p_f = (3 * math.pi**2 * rg_core.n_e) ** (1 / 3)
    e_f = math.hypot(p_f, 0.51099895069)
    expect = math.sqrt(4 * math.pi / 137.035999177 * rg_core.n_e / e_f)
    assert rg_core.omega_p == pytest.approx(expect, rel=0.01)
    assert rg_core.omega_p / u.keV == pytest.approx(18.0, abs=0.3)  # PHYSICS.md §7


def test_ultrarelativistic_limits():
    # v_* -> 1: omega_inf^2 = 3/2 omega_P^2 (Braaten & Segel 1993)
    pl = Plasma.from_conditions(3e14 * GCC, 30.0, 0.3)
    assert pl.v_star > 0.999
    assert pl.omega_inf**2 / pl.omega_p**2 == pytest.approx(1.5, rel=2e-3)
    # degenerate ultrarelativistic: omega_P^2 = (4 alpha/3 pi) mu_e^2 (1 + pi^2 T^2/mu^2 ...)
    approx = 4 / (3 * math.pi * 137.036) * (pl.mu_e**2 + math.pi**2 * 30.0**2 / 3)
    assert pl.omega_p**2 == pytest.approx(approx, rel=0.01)


def test_dispersion_series_and_branch_end(rg_core):
    x = np.array([1e-3, 5e-3, 2e-2])
    assert g_transverse(x) == pytest.approx(1 + x**2 / 5, rel=1e-6)
    assert g_longitudinal(x) == pytest.approx(1 + 3 * x**2 / 5, rel=1e-6)
    k = np.array([0.0, 0.3, 1.0]) * rg_core.omega_p
    w_t = rg_core.omega_transverse(k)
    x_t = rg_core.v_star * k / w_t
    assert w_t**2 == pytest.approx(k**2 + rg_core.omega_p**2 * g_transverse(x_t), rel=1e-10)
    assert rg_core.omega_transverse(0.0) == pytest.approx(rg_core.omega_p, rel=1e-9)
    assert rg_core.omega_longitudinal(0.0) == pytest.approx(rg_core.omega_p, rel=1e-9)
    kmax = rg_core.k_max_longitudinal
    assert rg_core.omega_longitudinal(0.999 * kmax) == pytest.approx(0.999 * kmax, rel=2e-3)


def test_residues_match_braaten_segel_closed_forms(rg_core):
    wp, v = rg_core.omega_p, rg_core.v_star
    k = np.linspace(0.05, 3.0, 7) * wp
    w = rg_core.omega_transverse(k)
    a = w**2 - v**2 * k**2
    z_t = 2 * w**2 * a / (3 * wp**2 * w**2 + (w**2 + k**2) * a - 2 * w**2 * (w**2 - k**2))
    assert rg_core.residue_transverse(k) == pytest.approx(z_t, rel=1e-6)
    kl = np.linspace(0.05, 0.9, 5) * rg_core.k_max_longitudinal
    w = rg_core.omega_longitudinal(kl)
    a = w**2 - v**2 * kl**2
    z_l = 2 * a / (3 * wp**2 - a) * w**2 / (w**2 - kl**2)
    assert rg_core.residue_longitudinal(kl) == pytest.approx(z_l, rel=1e-5)


def test_composition():
    assert electron_fraction("He") == pytest.approx(0.5, abs=1e-3)
    mix = 0.5 * (1 / 1.008 + 0.4997)
    assert electron_fraction({"H": 1, "He": 1}) == pytest.approx(mix, rel=1e-3)
    assert electron_fraction(0.3) == 0.3
    with pytest.raises(NuemInputError, match="composition"):
        Plasma.from_conditions(1e6 * GCC, 1e-2, "unobtainium")
    with pytest.raises(NuemInputError, match="density"):
        Plasma.from_conditions(-1.0, 1e-2)
    with pytest.raises(NuemInputError, match="temperature"):
        Plasma.from_conditions(1e6 * GCC, -1.0)


# --- the massive-N decay width -----------------------------------------------------------------


def _lower(p):
    return METRIC @ p


def _spin_sum(p1, p2, M, K, eps):
    """sum over spins |ubar(p1) sigma^{rs} K_r eps_s P_R v(p2)|^2 with explicit Dirac matrices."""
    Kl, el = _lower(K), _lower(eps)
    vertex = sum(SIGMA[r][s] * Kl[r] * el[s] for r in range(4) for s in range(4)) @ PR
    total = 0.0
    for uu in u_spinors(p1, 0.0):
        for vv in v_spinors(p2, M):
            total += abs(bar(uu) @ vertex @ vv) ** 2
    return total


def _numerical_width_rest(sqrt_s, M, eps3, n_cos=10, n_phi=7):
    """Gamma_rest per mu^2 of gamma* -> nu Nbar (one channel): the spin sum integrated over the
    decay solid angle by Gauss-Legendre (cos theta) x uniform (phi) quadrature."""
    s = sqrt_s**2
    e1 = (s - M * M) / (2 * sqrt_s)
    K = np.array([sqrt_s, 0, 0, 0.0])
    eps = np.array([0.0, *eps3])
    cz, wz = np.polynomial.legendre.leggauss(n_cos)
    total = 0.0
    for c, w in zip(cz, wz, strict=True):
        for ph in np.linspace(0, 2 * np.pi, n_phi, endpoint=False) + 0.3:
            sz = math.sqrt(1 - c * c)
            p1 = np.array([e1, e1 * sz * math.cos(ph), e1 * sz * math.sin(ph), e1 * c])
            total += w / n_phi * _spin_sum(p1, K - p1, M, K, eps) / 2.0  # <.> over 4 pi
    # Gamma = p*/(8 pi s) <|A|^2>_angles with p* = e1
    return e1 / (8 * math.pi * s) * total


@pytest.mark.parametrize("x", [0.0, 0.2, 0.5, 0.8])
def test_massive_width_against_dirac_matrix_phase_space(x):
    sqrt_s = 1.0
    M = math.sqrt(x) * sqrt_s
    for eps3 in ([1.0, 0, 0], [0, 0, 1.0], [0.6, 0, 0.8]):
        got = _numerical_width_rest(sqrt_s, M, eps3)
        # both channels (nu Nbar + N nubar): 2 x one channel; analytic rest-frame width per mu^2
        analytic = sqrt_s**3 * float(pm.phase_space_factor(M, sqrt_s**2)) / (24 * math.pi)
        assert 2 * got == pytest.approx(analytic, rel=1e-9)


def test_width_medium_frame_massless_limit():
    # Gamma_mu = Z mu^2 K^4/(24 pi omega) (Haft, Raffelt & Weiss 1994) at M = 0
    mu = 1e-11 * u.mu_B
    w, k, Z = 0.03, 0.02, 0.9
    g = mu / u.mu_B * math.sqrt(4 * math.pi / 137.035999177) / (2 * 0.51099895069)
    expect = Z * g**2 * (w * w - k * k) ** 2 / (24 * math.pi * w)
    assert pm.width_moment(w, k, Z, mu) == pytest.approx(expect, rel=1e-6)
    assert pm.width_moment(w, k, Z, mu, M=0.05) == 0.0  # M above the plasmon mass: closed


def test_phase_space_factor_edges():
    assert pm.phase_space_factor(0.0, 1.0) == 1.0
    assert pm.phase_space_factor(1.0, 1.0) == 0.0
    assert pm.phase_space_factor(2.0, 1.0) == 0.0
    with pytest.raises(NuemInputError, match="M"):
        pm.phase_space_factor(-1.0, 1.0)


# --- energy loss ------------------------------------------------------------------------------


def test_classic_ratio_0318():
    # Raffelt 1996: Q_mu/Q_SM = 0.318 mu_12^2 (10 keV/omega_P)^2 where all plasmons have
    # K^2 = omega_P^2: a non-relativistic plasma with T >> omega_P (transverse dominate).
    # sin^2 theta_W = 0.2315 as in the classic sum C_V^2 = 0.93.
    pl = Plasma.from_conditions(10.0 * GCC, 1e-3, "He")
    mu = 1e-12 * u.mu_B
    ratio = pm.energy_loss_moment(pl, mu) / pm.energy_loss_sm(pl, sin2w=0.2315)
    assert float(ratio) == pytest.approx(pm.classic_ratio(mu, pl.omega_p), rel=0.01)
    assert pm.sm_cv2_sum(0.2315) == pytest.approx(0.93, abs=0.005)


def test_energy_loss_scales_with_mu_squared(rg_core):
    q1 = pm.energy_loss_moment(rg_core, 1e-12 * u.mu_B)
    q2 = pm.energy_loss_moment(rg_core, 3e-12 * u.mu_B)
    assert q2 / q1 == pytest.approx(9.0, rel=1e-12)
    # SM plasma neutrino loss at the RG core is tens of erg/g/s (Haft et al. 1994 Fig. 4)
    eps_sm = pm.energy_loss_sm(rg_core) / rg_core.density / (u.erg / u.g / u.s)
    assert 10 < eps_sm < 100


def test_effective_moment_dirac_and_majorana(rg_core):
    from nuem.theory import MomentMatrix, pmns_matrix

    m = np.array([[0, 1, 0], [-1, 0, 2], [0, -2, 0]]) * 1e-12
    assert pm.effective_moment(m) == pytest.approx(math.sqrt(10) * 1e-12)
    maj = MomentMatrix(m, nature="majorana")
    assert pm.effective_moment(maj) == pytest.approx(math.sqrt(10) * 1e-12)
    # basis-invariant: the flavour-basis matrix gives the same rate
    U = pmns_matrix()
    flav = MomentMatrix(np.diag([1.0, 2.0, 3.0]) * 1e-12).to_flavour(U)
    assert pm.effective_moment(flav) == pytest.approx(math.sqrt(14) * 1e-12, rel=1e-10)
    # a single Dirac diagonal moment mu reproduces energy_loss_moment(mu)
    one = MomentMatrix(np.diag([1.5e-12, 0, 0]))
    assert pm.energy_loss_matrix(rg_core, one) == pytest.approx(
        float(pm.energy_loss_moment(rg_core, 1.5e-12 * u.mu_B)), rel=1e-12
    )


# --- red-giant bound --------------------------------------------------------------------------


def test_red_giant_bound_flat_then_falls(rg_core):
    M = np.array([0.0, 1e-3, 3e-3, 10e-3, 16e-3, 18.5e-3, 25e-3])
    b = rg.red_giant_bound(M, plasma=rg_core) / u.mu_B
    assert b[0] == pytest.approx(1.5e-12)
    assert b[1] == pytest.approx(1.5e-12, rel=1e-3)  # flat at low mass
    assert b[2] == pytest.approx(1.5e-12, rel=0.02)
    assert 1.5e-12 < b[3] < 2.0e-12  # starts to weaken near 10 keV
    assert b[4] > 3e-12  # falls off approaching the plasmon mass ~ 18-19 keV
    assert b[5] > 30 * 1.5e-12 or np.isinf(b[5])
    assert np.isinf(b[6])  # above omega_inf nothing is excluded
    assert np.all(np.diff(b) >= 0)


def test_red_giant_medium_mass_escape(rg_core):
    # an N that is light inside the star but heavy outside is bounded as a massless one
    b = rg.red_giant_bound(0.05, plasma=rg_core, medium_mass=0.0) / u.mu_B
    assert b == pytest.approx(1.5e-12)
    heavy_inside = rg.red_giant_bound(0.0, plasma=rg_core, medium_mass=0.05)
    assert np.isinf(heavy_inside)
    assert rg.red_giant_bound(0.0, "viaux-2013", plasma=rg_core) / u.mu_B == pytest.approx(4.5e-12)
    with pytest.raises(NuemInputError, match="M"):
        rg.red_giant_bound(-1.0)
