"""``nuem xsec``: JSON contract, per-atom scaling, nuclear targets and one-line errors."""

import json
import subprocess
import sys

import pytest

from nuem import units as u
from nuem.xsec import electron

PI_ALPHA2_OVER_ME2_CM2 = 2.4946e-25  # pi alpha^2/m_e^2 in cm^2 (CODATA 2022 r_e^2 pi/... )


def nuem(*args):
    return subprocess.run(
        [sys.executable, "-m", "nuem", *args], capture_output=True, text=True, check=False
    )


def test_electron_json_contract_and_magnetic_value():
    r = nuem(
        "xsec",
        "--target",
        "electron",
        "--flavour",
        "mu",
        "--E",
        "1MeV",
        "--T",
        "5keV",
        "--mu",
        "1e-11",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out["terms"]) >= {"weak", "magnetic", "charge_radius", "millicharge"}
    # magnetic term by hand: (pi alpha^2/m_e^2)(1/T - 1/E) mu^2, T = 5e-3 MeV, E = 1 MeV
    hand = PI_ALPHA2_OVER_ME2_CM2 * (1 / 5e-3 - 1 / 1.0) * 1e-22 / 1e3  # per keV
    assert out["terms"]["magnetic"] == pytest.approx(hand, rel=1e-3)
    assert out["dsigma_dT_cm2_per_keV"] == pytest.approx(sum(out["terms"].values()), rel=1e-12)


def test_atomic_stepping_scales_by_electron_count():
    base = ["xsec", "--target", "electron", "--E", "2MeV", "--T", "10keV", "--json"]
    free = json.loads(nuem(*base).stdout)["dsigma_dT_cm2_per_keV"]
    step = json.loads(nuem(*base, "--atomic", "stepping", "--element", "Xe").stdout)
    # Xe at 10 keV: all but the two K electrons (K edge 34.56 keV) scatter
    assert step["dsigma_dT_cm2_per_keV"] == pytest.approx(52 * free, rel=1e-12)


def test_nuclear_target_and_dipole_key():
    r = nuem(
        "xsec",
        "--target",
        "Xe",
        "--E",
        "30MeV",
        "--T",
        "10keV",
        "--mu",
        "1e-10",
        "--M",
        "5MeV",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out["terms"]) == {"weak", "dipole"}
    assert out["terms"]["weak"] > 0 and out["terms"]["dipole"] > 0


def test_forbidden_point_is_zero_not_error():
    r = nuem("xsec", "--target", "electron", "--E", "0.1MeV", "--T", "1MeV", "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["dsigma_dT_cm2_per_keV"] == 0.0


@pytest.mark.parametrize(
    "args, word",
    [
        (["--target", "Zz", "--E", "1MeV", "--T", "1keV"], "target"),
        (["--target", "electron", "--flavour", "q", "--E", "1MeV", "--T", "1keV"], "flavour"),
        (["--target", "electron", "--E", "-1MeV", "--T", "1keV"], "E = -1.0"),
        (["--target", "electron", "--E", "1MeV", "--T", "1keV", "--mu", "-1"], "--mu"),
        (["--target", "electron", "--E", "1MeV", "--T", "1parsec"], "unit"),
        (
            ["--target", "electron", "--E", "1MeV", "--T", "1keV", "--atomic", "stepping"],
            "--element",
        ),
    ],
)
def test_user_errors_are_one_line(args, word):
    r = nuem("xsec", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nuem: error:") and word in lines[0]


def test_cli_matches_library():
    r = nuem(
        "xsec",
        "--target",
        "electron",
        "--flavour",
        "e",
        "--anti",
        "--E",
        "3MeV",
        "--T",
        "0.2MeV",
        "--json",
    )
    lib = electron.weak(3.0, 0.2, "e", anti=True) / (u.cm2 / u.keV)
    assert json.loads(r.stdout)["terms"]["weak"] == pytest.approx(float(lib), rel=1e-12)
