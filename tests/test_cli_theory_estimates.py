"""`nuem theory`: naturalness, spin-flavour precession and the mass scale, against hand numbers."""

import json

import pytest

from cli_runner import run_nuem


def _json(*args):
    r = run_nuem("theory", *args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_dirac_naturalness_is_bell_et_al():
    """3e-15 mu_B (m/eV)(Lambda/TeV)^-2 (PRL 95 (2005) 151802): m = 0.1 eV, Lambda = 2 TeV."""
    out = _json("naturalness", "--m-nu", "0.1eV", "--scale", "2TeV")
    assert out["bound_muB"] == pytest.approx(3e-15 * 0.1 / 4.0, rel=1e-12)


def test_majorana_naturalness_e_tau():
    """4e-9 mu_B (M/eV) |m_tau^2/(m_e^2 - m_tau^2)| ~ 4e-9 x 0.1 x 1 (PLB 642 (2006) 377)."""
    out = _json("naturalness", "--m-nu", "0.1eV", "--majorana", "--flavours", "e,tau")
    assert out["bound_muB"] == pytest.approx(4e-10, rel=1e-6)


def test_precession_bound_inverts_akhmedov_pulido():
    """P = 1.8e-10 sin^2 2theta12 (mu/1e-12 mu_B x B/10 kG)^2 = 7.2e-5 (Borexino 2021)."""
    out = _json("precession", "--B", "100kG", "--mu", "1e-11")
    s2 = out["probability"] / (1.8e-10 * (10 * 10) ** 2)  # sin^2 2theta12 used by nuem
    assert 0.8 < s2 < 0.9  # NuFIT 6.0: sin^2 theta12 = 0.307 -> 0.851
    bound = (7.2e-5 / (1.8e-10 * s2)) ** 0.5 * 1e-12 * 10  # mu_B kG
    assert out["bound_mu_B_muB_kG"] == pytest.approx(bound, rel=1e-9)
    assert out["bound_mu_muB"] == pytest.approx(bound / 100, rel=1e-9)


def test_mass_scale_is_the_naive_loop_estimate():
    """m = M^2 mu/(2 m_e mu_B): 1e-11 mu_B at 1 TeV gives 1e12 x 1e-11 / 1.022 MeV = 9.8 MeV."""
    out = _json("mass-scale", "--mu", "1e-11", "--M", "1TeV")
    assert out["m_nu_eV"] == pytest.approx(1e12 * 1e-11 / (2 * 0.51099895) * 1e6, rel=1e-6)


def test_bad_input_is_one_line():
    r = run_nuem("theory", "precession", "--mu", "1e-11")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--B" in r.stderr
    r = run_nuem("theory", "naturalness", "--m-nu", "-1eV")
    assert r.returncode == 2 and "m_nu" in r.stderr
