"""``nuem experiments`` and ``nuem spectrum`` on cards of every source and recoil kind.

The example cards (pi-DAR argon nuclear recoils in energy x time, reactor germanium electron
recoils) and a photoelectron-readout CsI card written here: the CLI uses each card's own source,
projects energy x time onto energy (summing the time bins, which ``--json`` also keeps), puts
PE on the axis of a photoelectron card, and its numbers equal the Python API's.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nuem import units as u
from nuem.experiments import load_card
from nuem.rates import experiment_templates
from nuem.rates.experiment import sm_component_name
from nuem.xsec.hypothesis import EMHypothesis

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cards"
ARGON = str(EXAMPLES / "toy_argon_pidar_nr.yaml")
GERMANIUM = str(EXAMPLES / "toy_reactor_ge_er.yaml")

PE_CARD = """\
schema_version: 2
name: toy_csi_pe
title: Toy CsI detector read out in photoelectrons at a stopped-pion source (test)
experiment: toy
card_version: "1.0.0"
description: CEvNS on CsI, Poisson photoelectron counts, polynomial quenching (illustrative).
energy_unit: keV
exposure: 3000
exposure_unit: kg*day
source:
  kind: spallation
  distance_m: 19.3
  nu_per_proton: 0.0848
  beam_power_MW: 1.4
  proton_energy_GeV: 1.0
target: {formula: CsI, isotopes: natural, recoil: nuclear, form_factor: helm}
window: [5, 60]
response:
  reconstructed: photoelectrons
  quenching:
    model: polynomial
    coefficients: [0.0554628, 4.30681e-3, -1.11707e-4, 8.40384e-7]
    source: illustrative CsI-like polynomial
  smearing: {model: photoelectrons, light_yield_pe_per_keV: 13.35, source: illustrative}
data:
  type: bins
  energy_scale: reconstructed
  bins:
    edges: [5, 10, 15, 20, 30, 45, 60]
    observed: [30, 25, 20, 15, 6, 1]
    integer_counts: true
efficiency: {applies_to: reconstructed, constant: 0.8, source: illustrative}
backgrounds:
  includes_sm_solar_nu: false
  components:
    - name: steady_state
      in_likelihood: true
      shape:
        kind: binned
        edges: [5, 10, 15, 20, 30, 45, 60]
        values: [2, 2, 2, 4, 6, 6]
        quantity: counts
        space: reconstructed
        smeared: true
        efficiency_applied: true
      uncertainty: {type: gaussian, sigma_rel: 0.05, source: illustrative}
published_results: []
provenance: {kind: example, notes: test card (photoelectron readout)}
"""


def ok(nuem_cli, *args) -> str:
    code, out, err = nuem_cli(*args)
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def pe_card(tmp_path_factory):
    path = tmp_path_factory.mktemp("cards") / "toy_csi_pe.yaml"
    path.write_text(PE_CARD)
    return str(path)


# ---- nuem experiments ---------------------------------------------------------------------------
def test_experiments_shows_the_argon_nuclear_recoil_card(nuem_cli):
    text = ok(nuem_cli, "experiments", ARGON)
    assert "toy_argon_pidar_nr" in text and "Ar (nuclear recoils)" in text
    assert "x 4 time bins" in text and "0, 1, 2, 4, 8 us" in text
    assert "quenching       lindhard, Z = 18" in text
    assert "SM nu of the source included: False" in text
    summary = json.loads(ok(nuem_cli, "experiments", ARGON, "--json"))
    assert summary["name"] == "toy_argon_pidar_nr" and summary["data"] == "bins (20)"


def test_experiments_photoelectron_card_and_aliases(nuem_cli, pe_card):
    text = ok(nuem_cli, "experiments", pe_card)
    assert "[5, 60] PE; default bins 6 from 5 to 60 PE" in text
    assert "photoelectrons (Poisson), 13.35 PE/keVee" in text
    assert "on the reconstructed photoelectron count" in text
    assert "quenching       polynomial" in text
    assert "xenonnt_sr0_er_2022" in ok(nuem_cli, "experiments", "xenonnt-sr0")


# ---- nuem spectrum: the card's own source --------------------------------------------------------
def test_reactor_card_spectrum_uses_the_reactor(nuem_cli):
    out = json.loads(ok(nuem_cli, "spectrum", GERMANIUM, "--mu", "1e-10", "--json"))
    keys = {"experiment", "atomic_model", "bin_edges_keV", "observed", "expected", "signal"}
    assert set(out) == keys
    assert out["bin_edges_keV"] == pytest.approx([2.5, 5.0, 10.0, 20.0, 50.0])
    assert list(out["expected"]) == ["flat", "sm_nu"]  # nuem's SM nu: not "solar" for a reactor
    tpl = experiment_templates(GERMANIUM)
    assert tpl.metadata["source"].lower().startswith("reactor")
    np.testing.assert_allclose(out["expected"]["sm_nu"], tpl.sm, rtol=1e-12)
    np.testing.assert_allclose(out["signal"], 1e-20 * tpl.magnetic_eff, rtol=1e-12)


def test_solar_options_are_refused_for_other_sources(nuem_cli):
    code, _, err = nuem_cli("spectrum", GERMANIUM, "--solar-model", "b16-agss09met")
    assert code == 2 and err.count("\n") == 1
    assert "solar-source cards only" in err and "reactor" in err


# ---- energy x time ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def argon_payload():
    from nuem.plot.spectrum import spectrum_payload

    return spectrum_payload(ARGON, EMHypothesis(mu=1e-10 * u.mu_B))


def test_argon_spectrum_is_projected_onto_energy(nuem_cli, argon_payload):
    out = json.loads(ok(nuem_cli, "spectrum", ARGON, "--mu", "1e-10", "--json"))
    assert out == json.loads(json.dumps(argon_payload))
    n_t = 4
    assert out["time_edges_us"] == [0.0, 1.0, 2.0, 4.0, 8.0]
    assert len(out["bin_edges_keV"]) == 6 and len(out["signal"]) == 5
    tpl = experiment_templates(ARGON)
    sm = tpl.sm.reshape(5, n_t)
    np.testing.assert_allclose(out["expected"]["cevns_sm"], sm.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(out["energy_time"]["expected"]["cevns_sm"], sm, rtol=1e-12)
    np.testing.assert_allclose(out["time_projection"]["expected"]["cevns_sm"], sm.sum(axis=0),
                               rtol=1e-12)  # fmt: skip
    sig = 1e-20 * tpl.magnetic_eff.reshape(5, n_t)
    np.testing.assert_allclose(out["signal"], sig.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(out["energy_time"]["signal"], sig, rtol=1e-12)
    steady = np.asarray(out["energy_time"]["expected"]["steady_state"])
    assert steady.shape == (5, n_t) and steady.sum() == pytest.approx(56.0)
    assert len(out["energy_time"]["observed"]) == 5


def test_argon_table_and_figure(nuem_cli, tmp_path):
    png = tmp_path / "argon.png"
    text = ok(nuem_cli, "spectrum", ARGON, "--mu", "1e-10", "--out", str(png))
    assert "bin [keV]" in text and "cevns_sm" in text and "summed over 4 time bins" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_of_energy_x_time_card(argon_payload):
    from nuem.plot.spectrum import plot_spectrum
    from nuem.rates import resolve_card

    hyp = EMHypothesis(mu=1e-10 * u.mu_B)
    fig, ax = plot_spectrum(ARGON, hyp, residuals=None)
    assert ax.get_xlabel() == "reconstructed energy [keVee]"
    assert "summed over 4 time bins" in ax.get_title()
    assert ax.get_xlim() == pytest.approx((5.0, 40.0))
    # a raw spectrum_data dict (flat energy x time) is projected the same way
    from nuem.rates import spectrum_data

    raw = spectrum_data(resolve_card(ARGON), hyp)
    _, ax2 = plot_spectrum(raw, hyp, residuals=None)
    tops = [p.get_data()[0] for p in ax.patches]
    tops2 = [p.get_data()[0] for p in ax2.patches]
    for a, b in zip(tops, tops2, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # the first step patch is the expected background: the sum of the stacked components
    np.testing.assert_allclose(tops[0], np.add(*argon_payload["expected"].values()), rtol=1e-12)


# ---- photoelectrons ------------------------------------------------------------------------------
def test_photoelectron_card_spectrum_has_pe_bins(nuem_cli, pe_card, tmp_path):
    out = json.loads(ok(nuem_cli, "spectrum", pe_card, "--mu", "1e-9", "--json"))
    assert "bin_edges_keV" not in out
    assert out["bin_edges_PE"] == [5, 10, 15, 20, 30, 45, 60]
    tpl = experiment_templates(pe_card)
    np.testing.assert_allclose(out["expected"]["cevns_sm"], tpl.sm, rtol=1e-12)
    assert tpl.metadata["recoil"] == "nuclear"
    merged = json.loads(ok(nuem_cli, "spectrum", pe_card, "--bins", "5,15,30,60", "--json"))
    assert merged["bin_edges_PE"] == [5, 15, 30, 60]
    assert merged["observed"] == [55.0, 35.0, 7.0]
    png = tmp_path / "pe.png"
    text = ok(nuem_cli, "spectrum", pe_card, "--mu", "1e-9", "--out", str(png))
    assert "bin [PE]" in text and "5-10" in text


def test_plot_of_photoelectron_card_has_pe_axis(pe_card):
    from nuem.plot.spectrum import plot_spectrum

    fig, ax = plot_spectrum(pe_card, EMHypothesis(mu=1e-9 * u.mu_B), residuals=None)
    assert ax.get_xlabel() == "reconstructed photoelectrons [PE]"
    assert ax.get_xlim() == pytest.approx((5.0, 60.0))
    assert ax.get_ylabel() == "counts per bin"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_card_has_a_spectrum(nuem_cli, path):
    """Per energy bin, whatever the card's axes: the projection keeps every count."""
    out = json.loads(ok(nuem_cli, "spectrum", str(path), "--mu", "1e-10", "--json"))
    edges = out.get("bin_edges_keV", out.get("bin_edges_PE"))
    n = len(edges) - 1
    assert len(out["observed"]) == n and len(out["signal"]) == n
    sm_key = sm_component_name(load_card(path))
    tpl = experiment_templates(str(path))
    assert sum(out["expected"][sm_key]) == pytest.approx(tpl.sm.sum(), rel=1e-12)
    assert sum(out["signal"]) == pytest.approx(1e-20 * tpl.magnetic_eff.sum(), rel=1e-12)
    if "energy_time" in out:
        assert np.sum(out["energy_time"]["signal"]) == pytest.approx(sum(out["signal"]), rel=1e-12)
