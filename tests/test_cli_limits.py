"""`nuem limits` command: JSON contract, table, selection, failures reported as failures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nuem.cli import cli
from nuem.limits import derive
from nuem.stats import FitError

KEYS = {"experiment", "quantity", "limit", "cl", "expected", "published"}


def _run(*args):
    return CliRunner().invoke(cli, ["limits", *args])


def test_json_contract_single_card():
    r = _run("--experiment", "xenonnt-sr0", "--quantity", "mu_eff", "--quantity", "q_eff", "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [d["quantity"] for d in rows] == ["mu_eff", "q_eff"]
    for d in rows:
        assert KEYS <= set(d)
        assert d["experiment"] == "xenonnt_sr0_er_2022" and d["cl"] == 0.9
        assert d["limit"] > 0 and d["expected"] > 0
        prov = d["result"]
        assert prov["nuem_version"] and len(prov["card_hashes"][0]) == 64
    mu, q = rows
    assert mu["published"]["value"] == 6.4e-12 and mu["unit"] == "mu_B"
    assert q["unit"] == "e" and q["allowed"][0][0] < 0 < q["allowed"][-1][1]


def test_interval_key_when_data_prefer_signal():
    r = _run("--experiment", "xenon1t", "--quantity", "mu_eff", "--json")
    (d,) = json.loads(r.output)
    lo, hi = d["interval"]
    assert 0 < lo < hi == d["limit"]


def test_table_and_combine():
    r = _run("--experiment", "xenonnt-sr0", "--experiment", "lz", "--quantity", "mu_eff",
             "--combine")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "xenonnt_sr0_er_2022+lz_ws2022_er" in r.output and "mu_eff" in r.output


def test_unknown_quantity_is_a_user_error():
    r = _run("--quantity", "mu_x")
    assert r.exit_code == 2


def test_failed_fit_is_reported_not_a_number(monkeypatch):
    def boom(*a, **k):
        raise FitError("MIGRAD did not converge (test)")

    monkeypatch.setattr(derive, "interval", boom)
    r = CliRunner().invoke(cli, ["limits", "--experiment", "lz", "--quantity", "mu_eff", "--json"])
    assert r.exit_code == 1
    (d,) = json.loads(r.stdout)
    assert d["limit"] is None and "did not converge" in d["error"]


@pytest.mark.parametrize("bad", ["0.3", "1.5"])
def test_cl_range(bad):
    assert _run("--cl", bad).exit_code == 2
