"""nuem.cosmo.cmb: Delta N_eff at recombination from the dipole-portal N (docs/cosmo.md).

Every expectation is an analytic limit or a second, independent integration (scipy, in time,
energy form) of the same physics; none is read off nuem's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nuem import units as u
from nuem.astro import hnl
from nuem.cosmo import cmb, dipole, thermo
from nuem.errors import NuemInputError

#: after e+- annihilation, instantaneous nu decoupling: g_rho = 2 + (21/4)(4/11)^(4/3),
#: g_s = 2 + (21/4)(4/11); rho_nu1/rho_gamma = (7/8)(4/11)^(4/3) per species
G_RHO_AFTER = 2 + 21 / 4 * (4 / 11) ** (4 / 3)
G_S_AFTER = 2 + 21 / 4 * (4 / 11)
NU1_OVER_GAMMA = 7 / 8 * (4 / 11) ** (4 / 3)


def _temperature_at_seconds(t_s: float) -> float:
    """T [MeV] at t [s] after annihilation: t = 2.42 g^-1/2 (MeV/T)^2 s (Kolb & Turner 3.29)."""
    return math.sqrt(2.42 / math.sqrt(G_RHO_AFTER) / t_s)


@pytest.mark.parametrize("t_f", [3.0, 1e5])
def test_stable_massless_relic_is_the_decoupled_species_formula(t_f):
    # g = 2 relic that froze out at T_f: Delta N_eff = (g_s(T_nu,dec)/g_s(T_f))^(4/3),
    # g_s(T_nu,dec) = 10.75 (the table's 10.72 at 2 MeV: 0.4 % in Delta N_eff)
    r = cmb.relic_delta_neff_cmb(0.0, math.inf, dipole.yield_thermal(t_f), t_f)
    expect = (10.75 / float(thermo.g_s(t_f))) ** (4 / 3)
    assert float(r.delta_neff) == pytest.approx(expect, rel=0.01)
    assert float(r.surviving) == pytest.approx(1.0)
    # no N: exactly the SM
    assert float(cmb.relic_delta_neff_cmb(1.0, 1 * u.s, 0.0, 3.0).delta_neff) == pytest.approx(
        0.0, abs=1e-9)


@pytest.mark.parametrize("photon_fraction", [0.0, 1.0])
def test_small_late_decay_into_photons_or_neutrinos(photon_fraction):
    # a non-relativistic N (1 MeV, tau = 1e7 s, well after e+- annihilation) with a small yield:
    # in radiation domination (a ∝ t^1/2) the energy injected per comoving volume, times a, is
    # Gamma(3/2) (rho_N a^4 at t = tau, undecayed): a fraction f = Gamma(3/2) rho_N/rho_X(tau)
    # of the receiving component X. Photons: N_eff = 3.044/(1 + f); neutrinos: +f per species.
    M, tau_s, y = 1.0, 1e7, 1e-6
    T = _temperature_at_seconds(tau_s)
    rho_n = y * 2 * math.pi**2 / 45 * G_S_AFTER * T**3 * M
    rho_g = math.pi**2 / 15 * T**4
    r = cmb.relic_delta_neff_cmb(M, tau_s * u.s, y, 1e5, photon_fraction=photon_fraction)
    if photon_fraction == 1.0:
        f = math.gamma(1.5) * rho_n / rho_g
        expect = 3.044 / (1 + f) - 3.044
    else:
        expect = math.gamma(1.5) * rho_n / (NU1_OVER_GAMMA * rho_g)
    assert abs(expect) == pytest.approx(0.03, rel=0.5)  # a perturbative injection
    assert float(r.delta_neff) == pytest.approx(expect, rel=0.03)
    assert float(r.surviving) < 1e-100


def test_relativistic_decay_conserves_radiation():
    # an ultra-relativistic N (1 meV) decaying after annihilation but long before recombination
    # (tau = 0.3 s in its rest frame, time-dilated to ~1e6 s): into neutrinos only, radiation is
    # conserved (Delta N_eff = the stable value R); into nu gamma, R/2 goes to the neutrinos and
    # R/2 species-equivalents heat the photons: N_eff = (3.044 + R/2)/(1 + (R/2) rho_nu1/rho_g)
    M, t_f = 1e-9, 3.0
    y = dipole.yield_thermal(t_f)
    R = float(cmb.relic_delta_neff_cmb(M, math.inf, y, t_f).delta_neff)
    nu = cmb.relic_delta_neff_cmb(M, 0.3 * u.s, y, t_f, photon_fraction=0.0)
    assert float(nu.surviving) < 1e-6
    assert float(nu.delta_neff) == pytest.approx(R, rel=0.01)
    both = cmb.relic_delta_neff_cmb(M, 0.3 * u.s, y, t_f, photon_fraction=0.5)
    expect = (3.044 + R / 2) / (1 + R / 2 * NU1_OVER_GAMMA) - 3.044
    assert float(both.delta_neff) == pytest.approx(expect, rel=0.02)


def test_decay_while_neutrinos_are_coupled_leaves_neff():
    # 100 MeV, tau = 1 ms: gone by T ~ 10 MeV, the energy shared by the whole bath
    r = cmb.relic_delta_neff_cmb(100.0, 1e-3 * u.s, dipole.yield_thermal(1e5), 1e5)
    assert abs(float(r.delta_neff)) < 1e-3


def test_dominant_relic_gives_equal_nu_and_photon_energy():
    # an N that dominates the universe and decays after annihilation into nu gamma leaves equal
    # energy in neutrinos and photons: N_eff -> (8/7)(11/4)^(4/3) = 4.40
    r = cmb.relic_delta_neff_cmb(100.0, 1e9 * u.s, dipole.yield_thermal(1e5), 1e5)
    assert float(r.delta_neff) + 3.044 == pytest.approx(8 / 7 * (11 / 4) ** (4 / 3), rel=0.01)


def test_strong_photon_injection_against_an_independent_time_integration():
    # an N that comes to dominate (rho_N = 0.05 rho_gamma at 1 keV, tau = 1e10 s) and decays into
    # photons: the same physics integrated in t with scipy (energy form: rho_N' = -3H rho_N -
    # rho_N/tau, rho_g' = -4H rho_g + rho_N/tau, passive neutrinos and c+b matter)
    from scipy.integrate import solve_ivp

    M, tau_s, t1 = 10.0, 1e10, 1e-3
    y = 0.05 * (math.pi**2 / 15 * t1**4) / (2 * math.pi**2 / 45 * G_S_AFTER * t1**3 * M)
    r = cmb.relic_delta_neff_cmb(M, tau_s * u.s, y, 1e5, photon_fraction=1.0)
    tau = tau_s * u.s / u.hbar_Planck  # MeV^-1
    rg1 = math.pi**2 / 15 * t1**4
    rm1 = cmb.OMEGA_M_H2 * cmb._RHO_CRIT_H2 * (t1 / cmb.T_CMB_0) ** 3  # c+b per photon entropy
    c = math.sqrt(8 * math.pi / 3) / thermo.M_PL

    def rhs(t, z):  # z = (ln a, rho_N a^3, rho_g a^4), a = 1 at T = 1 keV
        a = math.exp(z[0])
        rho = z[1] / a**3 + (z[2] + 3 * NU1_OVER_GAMMA * rg1) / a**4 + rm1 / a**3
        return [c * math.sqrt(rho), -z[1] / tau, z[1] * a / tau]

    t0 = float(thermo.time_at(t1)) / u.hbar_Planck
    z0 = [0.0, 0.05 * rg1 * math.exp(-t0 / tau), rg1]
    sol = solve_ivp(rhs, (t0, 60 * tau), z0, rtol=1e-8, atol=[1e-12, 0.0, 0.0], method="LSODA")
    heating = sol.y[2, -1] / rg1
    expect = 3.044 / heating - 3.044
    assert heating > 2.0  # a strong injection: the photons more than doubled
    assert float(r.delta_neff) == pytest.approx(expect, rel=0.02)


def test_dipole_portal_uses_the_bbn_relic_and_the_hnl_lifetime():
    M, mu = 10.0, 1e-12 * u.mu_B
    y, t_f = dipole.relic_population(M, mu)
    direct = cmb.relic_delta_neff_cmb(M, hnl.lifetime(M, mu), y, max(float(t_f), 2.0))
    assert float(cmb.delta_neff_cmb(M, mu).delta_neff) == pytest.approx(
        float(direct.delta_neff), rel=1e-9)
    assert float(cmb.delta_neff_cmb(M, 0.0).delta_neff) == pytest.approx(0.0, abs=1e-12)  # no N


def test_band_edge_is_where_delta_neff_crosses_the_planck_limit():
    b = cmb.cmb_band([0.1, 1.0, 30.0])
    assert np.all(b.lower_muB == 0.0)  # open downwards: long-lived relics are excluded
    # at 1 MeV Delta N_eff falls below the limit and rises again where the relic froze out below
    # the QCD transition (a larger yield): a second excluded range, kept apart from the band
    assert b.further[0] == () and b.further[2] == ()
    ((lo2, hi2),) = b.further[1]
    edge = b.upper_muB
    assert edge[1] < lo2 < hi2
    M = np.array([0.1, 30.0, 0.1, 30.0, 1.0, 1.0])
    mu = np.array([0.8 * edge[0], 0.8 * edge[2], 1.25 * edge[0], 1.25 * edge[2],
                   math.sqrt(edge[1] * lo2), math.sqrt(lo2 * hi2)])
    r = cmb.delta_neff_cmb(M, mu * u.mu_B)
    limit = cmb.PLANCK_RANGE[1]
    assert np.all((r.delta_neff[:2] > limit) | (r.matter_over_cdm[:2] > 1))  # just below: out
    assert np.all(r.delta_neff[2:4] < limit)  # just above: allowed
    assert r.delta_neff[4] < limit < r.delta_neff[5]  # the gap and the island
    # the Planck 95 % range about N_eff^SM = 3.044
    assert cmb.PLANCK_RANGE == pytest.approx((-0.384, 0.286))


def test_bad_input():
    with pytest.raises(NuemInputError, match="t_freeze"):
        cmb.relic_delta_neff_cmb(1.0, 1 * u.s, 1e-3, 1.0)
    with pytest.raises(NuemInputError, match="photon_fraction"):
        cmb.relic_delta_neff_cmb(1.0, 1 * u.s, 1e-3, 10.0, photon_fraction=1.5)
    with pytest.raises(NuemInputError, match="tau"):
        cmb.relic_delta_neff_cmb(1.0, 0.0, 1e-3, 10.0)
    with pytest.raises(NuemInputError, match="M"):
        cmb.delta_neff_cmb(-1.0, 1e-12 * u.mu_B)
    with pytest.raises(NuemInputError, match="neff_range"):
        cmb.cmb_band(1.0, neff_range=(0.1, 0.3))


def test_massless_limit_is_the_dirac_nu_r_of_nuem_cosmo_neff():
    # M_N -> 0: the N is a stable nu_R that decoupled at Gamma_flip = H, which nuem.cosmo.neff
    # prices by the closed formula (10.75/g_s(T_dec))^(4/3) per flavour
    from nuem.cosmo import neff

    mu = np.array([1e-13, 1e-11, 3e-11, 1e-10, 1e-9]) * u.mu_B
    got = cmb.delta_neff_cmb(0.0, mu).delta_neff
    assert got == pytest.approx(neff.delta_neff(mu, n_flavours=1), rel=0.01)
    b = cmb.cmb_band(0.0)
    assert np.isnan(b.upper_muB[0])  # open upwards: a full extra species
    assert b.lower_muB[0] == pytest.approx(neff.neff_bound(n_flavours=1) / u.mu_B, rel=0.1)
