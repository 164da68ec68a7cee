"""`nuem limits --method/--toys`, the expected band beside each limit, the -1 sigma flag, ratios
only at matching CLs, and a combination weaker than its best input explained."""

import json

import pytest

from cli_runner import run_nuem


def _rows(*args):
    r = run_nuem("limits", "--json", "--no-progress", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def xnt_methods():
    return {
        m: _rows("--experiment", "xenonnt-sr0", "--quantity", "mu_eff", "--method", m)[0]
        for m in ("q-tilde", "delta-chi2", "cls", "power-constrained")
    }


def test_methods_order_as_their_conventions_demand(xnt_methods):
    """q-tilde (1.64) < delta-chi2 (2.71); CLs protects against the low fluctuation; PCL holds the
    limit at the -1 sigma edge of the q-tilde band, where XENONnT's observed limit lies below."""
    q, d, c, p = (xnt_methods[m] for m in ("q-tilde", "delta-chi2", "cls", "power-constrained"))
    assert q["limit"] < d["limit"] and q["limit"] < c["limit"]
    assert q["below_expected_minus1"] is True  # 5.79e-12 < -1 sigma 6.0e-12
    assert p["limit"] == pytest.approx(q["expected_band"]["minus1"], rel=1e-6)
    assert "power-constrained" in p["note"]
    for m, row in xnt_methods.items():
        assert row["method"] == m and row["result"]["limit_method"] == m


def test_table_shows_band_and_flag():
    r = run_nuem("limits", "--experiment", "xenonnt-sr0", "--quantity", "mu_eff", "--no-progress")
    line = next(x for x in r.stdout.splitlines() if x.startswith("xenonnt"))
    assert "< 5.79e-12 !" in line and "[6e-12, 1.2e-11]" in line
    assert "below the expected -1 sigma" in r.stdout


def test_ratio_only_at_the_published_cl():
    row = _rows("--experiment", "xenonnt-sr0", "--quantity", "mu_eff", "--cl", "0.95")[0]
    assert row["published"]["cl"] == 0.9 and row["ratio"] is None
    table = run_nuem("limits", "--experiment", "xenonnt-sr0", "--quantity", "mu_eff", "--cl",
                     "0.95", "--no-progress").stdout  # fmt: skip
    assert "CL 90%" in table


def test_combination_weaker_than_its_best_input_says_why():
    row = _rows("--experiment", "xenonnt-sr0", "--experiment", "xenon1t", "--combine",
                "--quantity", "mu_eff")[0]  # fmt: skip
    assert "weaker than xenonnt_sr0_er_2022 alone" in row["note"]


def test_toys_need_q_tilde():
    r = run_nuem("limits", "--experiment", "xenonnt-sr0", "--quantity", "mu_eff", "--method",
                 "cls", "--toys", "10", "--no-progress")  # fmt: skip
    assert r.returncode != 0


def test_fit_takes_the_same_methods():
    """nuem fit --method: with the other couplings profiled, CLs is more conservative than
    q-tilde (the power-constrained path is the same limit_by_method, checked above)."""
    import json as _json

    out = {}
    for m in ("q-tilde", "cls"):
        r = run_nuem("fit", "--texture", "flavour", "--experiment", "xenonnt-sr0", "--method", m,
                     "--json", "--no-progress")  # fmt: skip
        assert r.returncode == 0, r.stderr
        lims = _json.loads(r.stdout)[0]["limits"]
        out[m] = next(x["limit"] for x in lims if x["coupling"] == "mu_e")
    assert out["q-tilde"] < out["cls"]


def test_signed_region_excluding_zero_is_shown_as_an_interval():
    r = run_nuem("limits", "--experiment", "xenon1t", "--quantity", "q_eff", "--no-progress")
    line = next(x for x in r.stdout.splitlines() if x.startswith("xenon1t"))
    assert "(0 excluded)" in line and "|x| <" not in line
