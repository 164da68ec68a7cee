"""``nuem spectrum``: JSON contract, consistency with the Python API, figure, one-line errors."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from cli_runner import run_nuem
from nuem import units as u
from nuem.cli.main import cli
from nuem.rates import experiment_templates, resolve_card


def _run(*args):
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def payload():
    return json.loads(_run("spectrum", "xenonnt-sr0", "--mu", "1e-11", "--json"))


def test_json_contract(payload):
    assert set(payload) == {
        "experiment",
        "atomic_model",
        "bin_edges_keV",
        "observed",
        "expected",
        "signal",
    }
    assert payload["atomic_model"] == "stepping"
    assert payload["experiment"] == "xenonnt_sr0_er_2022"
    edges = payload["bin_edges_keV"]
    assert edges == pytest.approx(list(np.arange(1.0, 31.0)))
    n = len(edges) - 1
    assert len(payload["observed"]) == n and len(payload["signal"]) == n
    assert sum(payload["observed"]) == 433  # the card's event count
    solar = [k for k in payload["expected"] if "solar" in k]
    assert solar == ["solar_nu_sm"]
    assert all(len(v) == n for v in payload["expected"].values())


def test_json_values_match_api(payload):
    card = resolve_card("xenonnt-sr0")
    tpl = experiment_templates(card)
    # signal: mu^2 x magnetic_eff; B0 = (B0 - solar) + solar
    np.testing.assert_allclose(payload["signal"], 1e-22 * tpl.magnetic_eff, rtol=1e-12)
    exp = payload["expected"]
    b0 = card.background_expectation()["B0"]
    np.testing.assert_allclose(np.add(exp["B0_minus_sm_nu"], exp["solar_nu_sm"]), b0, rtol=1e-12)
    np.testing.assert_allclose(exp["solar_nu_sm"], tpl.sm, rtol=1e-12)


def test_dipole_bins_and_other_couplings():
    out = json.loads(
        _run(
            "spectrum",
            "xenonnt-sr0",
            "--mu",
            "1e-11",
            "--M",
            "0.1MeV",
            "--bins",
            "1:10:1",
            "--json",
        )  # fmt: skip
    )
    tpl = experiment_templates("xenonnt-sr0", "1:10:1")
    assert len(out["signal"]) == 9
    np.testing.assert_allclose(out["signal"], 1e-22 * tpl.dipole(0.1 * u.MeV)[0], rtol=1e-12)
    out = json.loads(_run("spectrum", "lz", "--q", "1e-13", "--r2", "2e-31", "--json"))
    assert out["experiment"] == "lz_ws2022_er"
    tpl = experiment_templates("lz")
    np.testing.assert_allclose(out["signal"], tpl.signal(q=1e-13, r2=2e-31 * u.cm2), rtol=1e-12)


def test_table_and_figure(tmp_path):
    png = tmp_path / "spectrum.png"
    text = _run("spectrum", "xenonnt-sr0", "--mu", "1e-11", "--out", str(png))
    assert "solar_nu_sm" in text and "B0_minus_sm_nu" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_api_returns_fig_ax():
    import matplotlib

    matplotlib.use("Agg")
    from nuem.plot.spectrum import plot_spectrum
    from nuem.xsec.hypothesis import EMHypothesis

    fig, ax = plot_spectrum("xenonnt-sr0", EMHypothesis(mu=1e-11 * u.mu_B))
    assert ax.figure is fig
    assert fig.axes[1].get_xlabel().startswith("reconstructed energy")  # under the ratio panel
    # B0 - SM nu, SM solar nu, expected background, background + signal, signal, data
    assert len(ax.get_legend().get_texts()) == 6


@pytest.mark.parametrize(
    "args, needle",
    [
        (["spectrum", "nope", "--mu", "1e-11"], "unknown card"),
        (["spectrum", "xenonnt-sr0", "--mu", "-1"], "--mu"),
        (["spectrum", "lz", "--bins", "1:20:0.5"], "subset of the data edges"),
        (["spectrum", "xenonnt-sr0", "--M", "1GeVx"], "--M"),
        (["spectrum", "xenonnt-sr0", "--M", "0.1MeV"], "--mu > 0"),
    ],
)
def test_errors_are_one_line(args, needle):
    r = run_nuem(*args)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert needle in r.stderr


def test_experiments_lists_cards():
    out = _run("experiments")
    assert "xenonnt_sr0_er_2022" in out and "lz_ws2022_er" in out
