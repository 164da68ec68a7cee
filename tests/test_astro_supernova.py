"""SN1987A wedge of the dipole portal (nuem.astro.supernova) against scaling laws and the digitised
Magill et al. (arXiv:1803.03262) curves in shared/data/dipole_portal_limits/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nuem import units as u
from nuem.astro import supernova as sn
from nuem.errors import NuemInputError

DATA = Path("/work/shared/data/dipole_portal_limits")
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared digitised curves not present")


def _digitised(name: str, M: np.ndarray) -> np.ndarray:
    d = np.loadtxt(DATA / name)
    d = d[np.argsort(d[:, 0])]
    d = d[d[:, 0] < 310.0]  # drop the closing vertical segment at 310 MeV
    return np.exp(np.interp(np.log(M), np.log(d[:, 0]), np.log(d[:, 1])))


@pytest.fixture(scope="module")
def wedge():
    return sn.sn1987a_wedge(np.array([0.01, 1.0, 10.0, 100.0, 300.0]))


def test_luminosity_scales_as_mu_squared_when_free_streaming():
    L = sn.escaping_luminosity(np.array([1e-14, 2e-14]) * u.mu_B, 1.0)
    assert L[1] / L[0] == pytest.approx(4.0, rel=1e-6)
    # trapping: at a large moment the escaping luminosity is exponentially suppressed
    big = sn.escaping_luminosity(np.array([1e-8]) * u.mu_B, 1.0)
    assert big[0] < 1e-3 * L[0] * (1e-8 / 1e-14) ** 2


def test_lower_edge_scales_with_criterion():
    a = sn.sn1987a_wedge(1.0)
    b = sn.sn1987a_wedge(1.0, eps_crit=4 * sn.EPS_CRIT)
    assert b.lower_muB[0] / a.lower_muB[0] == pytest.approx(2.0, rel=0.01)
    assert b.upper_muB[0] < a.upper_muB[0]


def test_identical_shells_equal_one_zone_emission():
    one = sn.CoreProfile.one_zone()
    two = sn.CoreProfile(
        np.array([5.0, 10.0]) * u.km,
        np.array([30.0, 30.0]),
        np.array([3e14, 3e14]) * u.g / u.cm3,
        np.array([0.3, 0.3]),
    )
    mu = np.array([1e-13]) * u.mu_B
    assert sn.escaping_luminosity(mu, 1.0, two) == pytest.approx(
        sn.escaping_luminosity(mu, 1.0, one), rel=1e-5
    )


@needs_data
def test_wedge_against_magill_digitised(wedge):
    # Stated agreement (docs/astro.md): nuem's one-zone lower edge is ~11x above Magill et al.'s
    # (5.4e-13 mu_B), its trapping edge ~9x above (4.2e-10 mu_B); the screened propagator and
    # proton-only production make nuem weaker. The wedge closes near 170-200 MeV in nuem.
    M = wedge.mass_MeV
    low = wedge.lower_muB / _digitised("SN1987A_muB_bottom.dat", M)
    high = wedge.upper_muB / _digitised("SN1987A_muB_top.dat", M)
    assert np.all((low[:3] > 5) & (low[:3] < 20)), low
    assert np.all((high[:2] > 4) & (high[:2] < 15)), high
    assert 5 < low[3] < 40  # 100 MeV
    assert np.isnan(wedge.lower_muB[4])  # closed at 300 MeV
    assert np.all(wedge.upper_muB[:4] > wedge.lower_muB[:4])


def test_bad_core_inputs():
    with pytest.raises(NuemInputError, match="temperature"):
        sn.CoreProfile.one_zone(temperature=-1.0)
    with pytest.raises(NuemInputError, match="density"):
        sn.CoreProfile.one_zone(density=-1.0)
    with pytest.raises(NuemInputError, match="M"):
        sn.sn1987a_wedge(-1.0)
    with pytest.raises(NuemInputError, match="channel"):
        sn.sn1987a_wedge(1.0, channels=("bremsstrahlung",))
    with pytest.raises(NuemInputError, match="nuclei"):
        sn.CoreProfile.one_zone(nuclei={"Zz": 0.1})


def _powers(t, a):
    """I_n = ∫_0^t T^n/(T + a)^2 dT for n = 1..4, closed forms in x = T + a."""
    x = t + a
    lg = np.log(x / a)
    i1 = lg + a / x - 1.0
    i2 = t - 2 * a * lg - a * a / x + a
    i3 = (x**2 - a**2) / 2 - 3 * a * t + 3 * a**2 * lg + a**3 / x - a**2
    i4 = (x**3 - a**3) / 3 - 2 * a * (x**2 - a**2) + 6 * a**2 * t - 4 * a**3 * lg - a**4 / x + a**3
    return i1, i2, i3, i4


def test_free_streaming_luminosity_against_closed_form_cross_section():
    # Independent evaluation for M -> 0: the screened spin-0 magnetic cross section on protons
    # at rest, dsigma/dT = (pi alpha^2/m_e^2)(T/(T+a))^2 (1/T - 1/E + T/(4E^2)), a = k_s^2/(2 m_p),
    # integrated in closed form; N carries E - T; Fermi-Dirac nu + nubar at T = 30 MeV.
    import math

    from nuem.astro.plasma import electron_chemical_potential, electron_density
    from nuem.xsec.nuclei import element

    core = sn.CoreProfile.one_zone()
    temp, rho = 30.0, float(core.density[0])
    el = element("H")
    n_p = 0.3 * rho / (931.49410372 * u.MeV / u.c_light**2) * el.isotopes[0].abundance
    mu_e = electron_chemical_potential(electron_density(rho, 0.3), temp)
    a = sn._screening_k2(sn._shell_dict(core, 0), mu_e) / (2 * el.isotopes[0].mass)
    m = el.isotopes[0].mass
    E = np.linspace(0.01, 25 * temp, 6000)
    tmax = 2 * E**2 / (m + 2 * E)
    i1, i2, i3, i4 = _powers(tmax, a)
    pre = math.pi / 137.035999177**2 / 0.51099895069**2 * u.hbarc**2  # area per mu_B^2
    sigma = pre * (i1 - i2 / E + i3 / (4 * E * E))
    t_sigma = pre * (i2 - i3 / E + i4 / (4 * E * E))
    dn = E**2 / (2 * math.pi**2) * 2.0 / (np.exp(E / temp) + 1.0) / u.hbarc**3
    q = n_p * u.c_light * np.trapezoid(dn * (E * sigma - t_sigma), E)
    expect = q * float(core.shell_volume[0]) * 1e-28  # mu = 1e-14 mu_B
    got = sn.escaping_luminosity(np.array([1e-14]) * u.mu_B, 1e-4, channels=("upscattering",))
    assert got[0] == pytest.approx(expect, rel=0.005)


def test_garching_profile_reader_and_luminosity_criterion(tmp_path):
    # a synthetic file in the documented Garching layout (PROVENANCE.md): 5 header lines, 25
    # columns; uniform shells out to 10 km, one shell beyond r_max that must be dropped
    rows = []
    for r_cm in (3e5, 6e5, 1e6, 3e6):
        row = np.zeros(25)
        row[0], row[2], row[4], row[15], row[19] = r_cm, 3e14, 30.0, 0.3, 0.3
        rows.append(row)
    path = tmp_path / "hydro-test.txt"
    header = "model t=1.0\nshock gain\n# cols=25\n# names\n# units\n"
    path.write_text(header + "\n".join(" ".join(f"{x:.6e}" for x in r) for r in rows) + "\n")
    core = sn.CoreProfile.from_garching(path, r_max=15 * u.km)
    assert core.radius.size == 3
    mu = np.array([1e-14]) * u.mu_B
    one = sn.escaping_luminosity(mu, 1.0)
    assert sn.escaping_luminosity(mu, 1.0, core) == pytest.approx(one, rel=1e-5)
    # a luminosity bound instead of eps_crit x M_core: the lower edge moves as sqrt(L)
    base = sn.sn1987a_wedge(1.0)
    l_crit = 4 * sn.EPS_CRIT * sn.CoreProfile.one_zone().mass
    moved = sn.sn1987a_wedge(1.0, luminosity_crit=l_crit)
    assert moved.lower_muB[0] / base.lower_muB[0] == pytest.approx(2.0, rel=0.01)
    with pytest.raises(NuemInputError, match="columns"):
        bad = tmp_path / "bad.txt"
        bad.write_text(header + "1 2 3\n4 5 6\n")
        sn.CoreProfile.from_garching(bad)


def test_electron_monte_carlo_reduces_to_electrons_at_rest():
    # cold, non-degenerate electrons (T_e = 0.1 keV): the boosted Monte Carlo with Moller flux,
    # CM kinematics and Pauli factor must reproduce n_e ∫ dn_nu ∫ dT dsigma/dT (E - T) with the
    # electron at rest (nuem.xsec.electron.dipole), screening included
    import math

    from nuem.astro import electron_upscattering as eu
    from nuem.xsec import electron
    from nuem.xsec.kinematics import recoil_range

    m, te, tnu, M, ks2 = 0.51099895069, 1e-4, 5.0, 0.5, 0.3
    mue = m - 10 * te
    w, e_n = eu.emission_samples(M, tnu, 0.0, te, mue, ks2, n_samples=400_000)
    assert np.all(e_n[w > 0] >= M)
    pe = np.linspace(0, 0.2, 20001)
    ee = np.sqrt(pe**2 + m * m)
    n_e = np.trapezoid(pe**2 / math.pi**2 * 0.5 * (1 - np.tanh(0.5 * (ee - mue) / te)), pe)
    E = np.linspace(1e-3, 25 * tnu, 3000)
    dn = E * E / math.pi**2 * 0.5 * (1 - np.tanh(0.5 * E / tnu))
    lo, hi = recoil_range(E, m, M)
    ok = hi > 0
    lo, hi = np.where(ok, np.maximum(lo, 1e-10 * hi), 1.0), np.where(ok, hi, 2.0)
    T = lo[:, None] * (hi[:, None] / lo[:, None]) ** np.linspace(0, 1, 400)
    screen = (2 * m * T / (2 * m * T + ks2)) ** 2
    ds = electron.dipole(E[:, None], T, M) / u.natural_to_area * screen
    inner = np.where(ok, np.trapezoid(ds * (E[:, None] - T) * T, np.log(T), axis=1), 0.0)
    expect = n_e * np.trapezoid(dn * inner, E) / (u.hbarc**3 * u.hbar_Planck)
    assert w.sum() == pytest.approx(expect, rel=0.05)  # MC statistical error 1.5 %


def test_electrons_subdominant_at_low_mass():
    # arXiv:2402.01624: proton upscattering dominates at low M
    mu = np.array([1e-13]) * u.mu_B
    p = sn.escaping_luminosity(mu, 1.0, channels=("upscattering",))
    e = sn.escaping_luminosity(mu, 1.0, channels=("electrons",))
    assert 0.1 < e[0] / p[0] < 0.6
