"""`nuem limits` on cards of every source: measurable quantities, no-sensitivity rows."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_nuem
from nuem.limits.derive import run_limits

REACTOR = str(Path(__file__).resolve().parents[1] / "examples" / "cards" / "toy_reactor_ge_er.yaml")


def test_reactor_card_rows():
    rows = {r.quantity: r for r in run_limits([REACTOR], ["mu_e", "mu_mu", "r2_e", "r2_tau"])}
    assert rows["mu_e"].limit is not None and rows["mu_e"].limit > 0
    assert rows["mu_mu"].no_sensitivity and rows["mu_mu"].limit is None
    assert rows["r2_tau"].no_sensitivity and rows["r2_tau"].error is None
    default = {r.quantity for r in run_limits([REACTOR])}
    assert "mu_eff" not in default  # solar only
    assert {"q_eff", "q_e", "q_mu", "q_tau"} <= default  # flavour millicharges, like r2_alpha


def test_cli_no_sensitivity_is_not_a_failure():
    r = run_nuem("limits", "--experiment", REACTOR, "--quantity", "mu_tau", "--json")
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert row["status"] == "no sensitivity" and row["limit"] is None
    alone = run_limits([REACTOR], ["mu_eff"])[0]
    assert alone.status == "not measured by a reactor source" and alone.limit is None
    bad = run_nuem(
        "limits",
        "--experiment",
        REACTOR,
        "--experiment",
        "xenonnt-sr0",
        "--combine",
        "--quantity",
        "mu_eff",
    )
    assert bad.returncode != 0 and "solar" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_reactor_on_off_is_one_likelihood_with_shared_backgrounds(tmp_path):
    """OFF bins carry the backgrounds scaled by exposure_off/exposure and no reactor neutrinos;
    OFF data that pin a free background make the expected limit stronger."""
    import numpy as np
    import yaml

    from nuem.experiments import load_card
    from nuem.limits.build import SM_NU, card_likelihood
    from nuem.limits.derive import derive_limit

    card = load_card(REACTOR)
    lik = card_likelihood(card, "mu_e")
    n = card.bin_edges().size - 1
    assert lik.model.size == 2 * n
    names = [b.name for b in lik.model.backgrounds]
    B = {nm: b.template.values for nm, b in zip(names, lik.model.backgrounds, strict=True)}
    r = card.exposure_off / card.exposure
    np.testing.assert_allclose(B["flat"][n:], r * B["flat"][:n], rtol=1e-14)
    assert np.all(B[SM_NU][n:] == 0) and np.all(lik.model.signal[0][1].values[n:] == 0)

    raw = yaml.safe_load(Path(REACTOR).read_text())
    raw["backgrounds"]["components"][0]["shape"]["values"] = [2.0e6]  # per (keV t yr): ~260 ON
    bare = dict(raw)
    bare.pop("exposure_off")
    bare["data"] = {**raw["data"], "bins": {k: v for k, v in raw["data"]["bins"].items()
                                              if k != "observed_off"}}  # fmt: skip
    raw["exposure_off"] = 20.0
    limits = {}
    for label, r_ in (("off", raw), ("bare", bare)):
        f = tmp_path / label / "toy_reactor_ge_er.yaml"
        f.parent.mkdir()
        f.write_text(yaml.safe_dump(r_))
        limits[label] = derive_limit(load_card(f), "mu_e").expected_median
    assert limits["off"] < 0.9 * limits["bare"]  # measured 0.83


def test_spectrum_data_names_edges_and_sm_component_by_card(tmp_path):
    import numpy as np
    import yaml

    from nuem.experiments import load_card
    from nuem.rates import spectrum_data

    d = spectrum_data(REACTOR)
    assert "sm_nu" in d["expected"] and "solar_nu_sm" not in d["expected"]
    assert d["bin_edges_keV"] == [2.5, 5.0, 10.0, 20.0, 50.0]
    argon = Path(REACTOR).with_name("toy_argon_pidar_nr.yaml")
    raw = yaml.safe_load(argon.read_text())
    raw.pop("systematics")
    raw["response"]["smearing"] = {"model": "photoelectrons", "light_yield_pe_per_keV": 13.0,
                                   "source": "test"}  # fmt: skip
    raw["response"]["reconstructed"] = "photoelectrons"
    raw["window"] = [2, 42]
    edges = [2, 12, 22, 32, 42]
    raw["data"]["bins"] = {"edges": edges, "observed": [0] * 16}
    raw["backgrounds"]["components"][0]["shape"].update(edges=edges, values=[1.0] * 16)
    f = tmp_path / "toy_argon_pidar_nr.yaml"
    f.write_text(yaml.safe_dump(raw))
    pe = spectrum_data(load_card(f))
    assert pe["bin_edges_PE"] == edges and "bin_edges_keV" not in pe
    assert np.all(np.asarray(pe["expected"]["cevns_sm"]) > 0) and len(pe["observed"]) == 16
