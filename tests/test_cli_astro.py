"""``nuem astro``."""

from __future__ import annotations

import json

import pytest


def test_astro_json_rows(nuem_cli):
    code, out, err = nuem_cli(
        "astro", "--bound", "red-giant", "--mass", "10keV", "--mass", "30keV", "--json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 1
    r = rows[0]
    assert r["bound"] == "red-giant" and r["cl"] == 0.95
    assert r["mass_MeV"] == pytest.approx([0.01, 0.03])
    assert r["excluded_from_muB"][0] == pytest.approx(1.72e-12, rel=0.02)
    assert r["excluded_from_muB"][1] is None  # above the plasmon mass
    assert r["excluded_to_muB"] == [None, None]


def test_astro_default_table_and_medium_mass(nuem_cli):
    code, out, _ = nuem_cli("astro", "--bound", "red-giant", "--bound", "neff")
    assert code == 0
    assert "red-giant" in out and "neff" in out and "1.5e-12" in out
    code, out, _ = nuem_cli(
        "astro", "--bound", "red-giant", "--mass", "50keV", "--medium-mass", "0keV", "--json"
    )
    assert json.loads(out)[0]["excluded_from_muB"][0] == pytest.approx(1.5e-12)


def test_astro_bad_input(nuem_cli):
    code, _, err = nuem_cli("astro", "--mass", "-1keV", "--bound", "red-giant")
    assert code != 0 and "M" in err
    code, _, err = nuem_cli("astro", "--bound", "white-dwarf")
    assert code != 0
    code, _, err = nuem_cli("astro", "--bound", "bbn", "--flavour", "x")
    assert code != 0 and "flavour" in err


def test_astro_sn_core_options(nuem_cli):
    code, out, err = nuem_cli("astro", "--bound", "sn1987a", "--mass", "1MeV", "--json")
    assert code == 0, err
    base = json.loads(out)[0]
    code, out, err = nuem_cli(
        "astro", "--bound", "sn1987a", "--mass", "1MeV", "--sn-temperature", "40MeV",
        "--sn-mu-nu", "60MeV", "--sn-r-far", "50km", "--json",
    )  # fmt: skip
    hot = json.loads(out)[0]
    assert hot["excluded_from_muB"][0] < base["excluded_from_muB"][0]  # hotter core: stronger
    a = hot["assumptions"]
    assert a["core_T_MeV"] == 40.0 and a["mu_nu_max_MeV"] == pytest.approx(60.0)
    assert a["outer_radius_km"] == pytest.approx(50.0)
    assert base["cl"] is None and base["excluded_to_muB"][0] > base["excluded_from_muB"][0]
    code, _, err = nuem_cli("astro", "--bound", "sn1987a", "--sn-density", "-1")
    assert code != 0 and "density" in err


def test_astro_neff_cmb_band(nuem_cli):
    code, out, err = nuem_cli("astro", "--bound", "neff-cmb", "--mass", "10MeV", "--json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["bound"] == "neff-cmb" and row["cl"] == 0.95
    assert row["excluded_from_muB"] == [0.0]  # open downwards: long-lived relics excluded
    assert 1e-13 < row["excluded_to_muB"][0] < 1e-10
    assert row["assumptions"]["delta_neff_range"] == pytest.approx([-0.384, 0.286])
    code, _, err = nuem_cli("astro", "--bound", "neff-cmb", "--mass", "10MeV", "--t-reheat",
                            "1MeV")
    assert code != 0 and "t_reheat" in err
