"""``nuem flux``: JSON output, values against the B16 table, one-line errors."""

from __future__ import annotations

import json

import pytest

from cli_runner import run_nuem


def run(*args):
    return run_nuem("flux", *args)


def test_solar_json_table():
    r = run("solar", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    comps = data["components"]
    assert set(comps) == {"pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F"}
    assert comps["pp"]["flux_cm2_s"] == pytest.approx(5.98e10)  # Vinyoles et al. 2017
    assert comps["8B"]["flux_cm2_s"] == pytest.approx(5.46e6)
    assert abs(comps["pp"]["Pee"] - 0.57) < 0.09  # Borexino, Nature 562 (2018) 505
    assert data["model"] == "b16-gs98"


def test_solar_agss_inverted():
    data = json.loads(
        run("solar", "--model", "b16-agss09met", "--ordering", "inverted", "--json").stdout
    )
    assert data["components"]["8B"]["flux_cm2_s"] == pytest.approx(4.50e6)
    assert data["ordering"] == "inverted"


def test_solar_at_energy():
    r = run("solar", "--E", "0.3MeV", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["P_mass"]) == 3 and sum(data["P_mass"]) == pytest.approx(1.0, abs=1e-12)
    assert 0.5 < data["Pee"] < 0.6 and data["component"] == "pp"
    hi = json.loads(run("solar", "--E", "10MeV", "--component", "8B", "--json").stdout)
    assert abs(hi["Pee"] - 0.317) < 0.018  # SNO, PRC 88 (2013) 025501


def test_solar_plain_table():
    r = run("solar")
    assert r.returncode == 0 and "8B" in r.stdout and "<P_ee>" in r.stdout


def test_reactor_and_spallation():
    data = json.loads(run("reactor", "--power", "3GW", "--distance", "20m", "--json").stdout)
    assert 0.9e13 < data["flux_cm2_s"] < 1.2e13
    r = run(
        "spallation",
        "--nu-per-proton",
        "0.08",
        "--proton-rate",
        "5e15",
        "--distance",
        "20m",
        "--json",
    )
    data = json.loads(r.stdout)
    assert data["components"]["prompt_numu"]["E_max_MeV"] == pytest.approx(29.79, abs=0.01)


@pytest.mark.parametrize(
    "args",
    [
        ("solar", "--model", "b16-nope"),
        ("solar", "--E", "-1MeV"),
        ("solar", "--E", "1MeV", "--component", "8Li"),
        ("solar", "--ordering", "weird"),
        ("solar", "--E", "3furlongs"),
        ("reactor", "--power", "-3GW", "--distance", "20m"),
    ],
)
def test_errors_are_one_line(args):
    r = run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nuem: error:")
