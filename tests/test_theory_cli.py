"""``nuem predict``: JSON content against independent numbers, one-line errors."""

import json
import math
import subprocess
import sys

import pytest


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "nuem", "predict", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def dirac():
    r = run("--dirac", "--m-lightest", "0.01eV", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_dirac_json(dirac):
    m = dirac["masses_eV"]
    # NuFIT 6.0 NO splittings, typed in: 7.49e-5 and 2.534e-3 eV^2
    assert m == pytest.approx([0.01, math.sqrt(1e-4 + 7.49e-5), math.sqrt(1e-4 + 2.534e-3)])
    mu = dirac["mu_mass_basis_muB"]
    assert len(mu) == 3 and all(len(r) == 3 for r in mu)
    for k in range(3):  # Fujikawa-Shrock 3.20e-19 mu_B per eV on the diagonal
        assert mu[k][k] == pytest.approx(3.2026e-19 * m[k], rel=1e-3)
    assert set(dirac["mu_flavour_muB"]) == {"e", "mu", "tau"}
    eff = dirac["mu_effective_muB"]
    assert {"reactor_nuebar_e", "accelerator_nu_mu", "solar_pp", "solar_8B"} <= set(eff)
    # every effective moment is a weighted rms of the diagonal moments: between min and max
    for v in list(eff.values()) + list(dirac["mu_flavour_muB"].values()):
        assert 0.99 * mu[0][0] < v < 1.01 * mu[2][2]
    assert dirac["charge_radius_cm2"]["mu"] == pytest.approx(-4.8e-33, rel=0.01)


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
