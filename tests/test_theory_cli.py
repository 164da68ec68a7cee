"""``nuem predict``: JSON content against independent numbers, one-line errors."""

import json
import math

import pytest

from cli_runner import run_nuem


def run(*args):
    return run_nuem("predict", *args)


@pytest.fixture(scope="module")
def dirac():
    r = run("--dirac", "--m-lightest", "0.01eV", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_dirac_json(dirac):
    m = dirac["masses_eV"]
    # NuFIT 6.0 NO splittings, typed in: 7.49e-5 and 2.534e-3 eV^2
    assert m == pytest.approx(
        [0.01, math.sqrt(1e-4 + 7.49e-5), math.sqrt(1e-4 + 2.534e-3)], rel=1e-6, abs=0
    )
    mu = dirac["mu_mass_basis_muB"]
    assert len(mu) == 3 and all(len(r) == 3 for r in mu)
    for k in range(3):  # Fujikawa-Shrock 3.20e-19 mu_B per eV on the diagonal
        assert mu[k][k] == pytest.approx(3.2026e-19 * m[k], rel=1e-3, abs=0)
    assert set(dirac["mu_flavour_muB"]) == {"e", "mu", "tau"}
    eff = dirac["mu_effective_muB"]
    assert {"reactor_nuebar_e", "accelerator_nu_mu", "solar_pp", "solar_8B"} <= set(eff)
    # every effective moment is a weighted rms of the diagonal moments: between min and max
    for v in list(eff.values()) + list(dirac["mu_flavour_muB"].values()):
        assert 0.99 * mu[0][0] < v < 1.01 * mu[2][2]
    assert dirac["charge_radius_cm2"]["mu"] == pytest.approx(-4.8e-33, rel=0.01, abs=0)


def test_majorana_inverted_json():
    r = run("--majorana", "--m-lightest", "0eV", "--ordering", "inverted", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["masses_eV"][2] == 0.0
    mu = d["mu_mass_basis_muB"]
    assert all(mu[k][k] == 0.0 for k in range(3))
    assert all(mu[j][k] == mu[k][j] for j in range(3) for k in range(3))  # |antisymmetric|


def test_text_output():
    r = run("--m-lightest", "0.05eV")
    assert r.returncode == 0
    assert "effective moments" in r.stdout and "reactor_nuebar_e" in r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--m-lightest", "-0.01eV"),
        ("--m-lightest", "0.01eV", "--ordering", "sideways"),
        ("--m-lightest", "abc"),
        ("--m-lightest", "0.01eV", "--alpha21", "nan"),
    ],
)
def test_bad_input_one_line_exit_2(args):
    r = run(*args)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("nuem: error:")


def _model(nuem_cli, *args):
    code, out, err = nuem_cli("predict", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_predict_leptoquark_says_which_g2_reference(nuem_cli):
    d = _model(nuem_cli, "--model", "leptoquark")
    assert d["g2_reference"]["key"] == "2025"
    assert d["g2_reference"]["delta_a_mu_1e-11"] == pytest.approx(38.0, rel=1e-6, abs=0)
    # defaults: lam_L_e = y~_mu = 1, m = 1, 1.5 TeV: the seed's 1e-11 mu_B order
    assert d["mu_nu_muB"]["pair"] == "emu"
    assert 1e-11 < d["mu_nu_muB"]["value"] < 1e-10
    d21 = _model(
        nuem_cli, "--model", "leptoquark", "--param", "lam_L_mu=0.5", "--g2-reference", "2021"
    )
    assert d21["g2_reference"]["key"] == "2021"
    y = d21["y_R_mu_for_reference"]
    # the y_R found puts Delta a_mu on 251e-11 when fed back in
    back = _model(
        nuem_cli,
        "--model",
        "leptoquark",
        "--param",
        "lam_L_mu=0.5",
        "--param",
        f"y_R_mu={y!r}",
        "--g2-reference",
        "2021",
    )
    assert back["delta_a_mu"]["total"] == pytest.approx(251e-11, rel=1e-6, abs=0)
    assert abs(back["g2_pull_sigma"]) < 1e-5
    code, out, _ = nuem_cli("predict", "--model", "leptoquark")
    assert code == 0 and "(g-2)_mu reference 2025" in out


@pytest.mark.parametrize("model", ["su2h", "zee", "left-right", "rpv"])
def test_predict_other_models(nuem_cli, model):
    d = _model(nuem_cli, "--model", model)
    assert d["model"] == model and d["mu_nu_muB"]["value"] > 0
    assert d["formula"].startswith("nuem.theory.")


def test_predict_zee_is_its_own_model(nuem_cli):
    from nuem import units as u
    from nuem.theory.zee import spin_symmetry_max_moment, zee_f_matrix, zee_transition_moments

    d = _model(nuem_cli, "--model", "zee", "--param", "f_mu_tau=0.02", "--param", "m_h1=300GeV")
    Y = [[0, 0, 0], [0, 0, 1e-2], [0, 0, 0]]
    ref = zee_transition_moments(zee_f_matrix(0, 1e-2, 0.02), Y, 300 * u.GeV, 1 * u.TeV, 0.5)
    assert d["mu_nu_muB"]["pair"] == "emu"
    assert d["mu_nu_muB"]["value"] == pytest.approx(abs(ref[0, 1]) / u.mu_B, rel=1e-12, abs=0)
    s = d["spin_symmetry"]
    assert s["max_moment_muB"] == pytest.approx(
        spin_symmetry_max_moment(0.05 * u.eV) / u.mu_B, rel=1e-6, abs=0
    )
    assert s["max_moment_muB"] < 1.65e-11  # below the XENON1T range of Babu-Jana-Lindner
    # the Zee mass of the same loop: keV scale for these couplings (no symmetry)
    assert abs(d["delta_m_nu_eV"][0][1]) > 1.0
    # Delta a_mu from the neutral members of the same doublet; the reference is named
    from nuem.theory.zee_g2 import zee_delta_a_mu

    g = _model(nuem_cli, "--model", "zee", "--param", "Y_tau_mu=0.01", "--g2-reference", "2021")
    Y[2][1] = 0.01
    da = zee_delta_a_mu(
        zee_f_matrix(0, 1e-2, 0), Y, 200 * u.GeV, 1 * u.TeV, 0.5, 150 * u.GeV, 400 * u.GeV
    )
    assert g["delta_a_mu"]["total"] == pytest.approx(float(da["total"]), rel=1e-12, abs=0)
    assert g["g2_reference"]["key"] == "2021" and g["delta_a_mu"]["total"] > 0


def test_predict_model_params_agree_with_the_library(nuem_cli):
    from nuem import units as u
    from nuem.theory import su2h_transition_moment

    d = _model(nuem_cli, "--model", "su2h", "--param", "m_h=150GeV", "--param", "f_fprime=2e-3")
    ref = su2h_transition_moment(2e-3, 1.0, 150 * u.GeV, 1 * u.TeV) / u.mu_B
    assert d["mu_nu_muB"]["value"] == pytest.approx(abs(ref), rel=1e-12, abs=0)
    assert d["parameters"]["m_h_GeV"] == pytest.approx(150.0, rel=1e-6, abs=0)


@pytest.mark.parametrize(
    "args",
    [
        ("--model", "lq"),
        ("--model", "rpv", "--param", "foo=1"),
        ("--model", "leptoquark", "--param", "m1=abc"),
        ("--model", "leptoquark", "--param", "m1"),
        ("--model", "leptoquark", "--g2-reference", "1999"),
        ("--model", "su2h", "--param", "sin_2alpha=3"),
        ("--param", "x=1", "--m-lightest", "0.1eV"),
        (),
    ],
)
def test_predict_model_bad_input(nuem_cli, args):
    code, _, err = nuem_cli("predict", *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("nuem: error:")
