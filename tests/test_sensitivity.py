"""`nuem sensitivity`: Asimov expected limits of any card, the card transformations behind its
overrides, and the projection cards (docs/projections.md)."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from nuem import units as u
from nuem.detectors.targets import tonne
from nuem.errors import NuemInputError
from nuem.experiments import Card, list_cards, list_projections, load_card
from nuem.limits.build import card_likelihood
from nuem.limits.derive import derive_limit
from nuem.limits.sensitivity import run_sensitivity, sensitivity
from nuem.rates.experiment import resolve_card

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cards"
TY = tonne * u.year


def _toy_raw() -> dict:
    raw = yaml.safe_load((EXAMPLES / "toy_solar_xenon_projection.yaml").read_text())
    raw["target"]["atomic"] = "free"  # fast templates; the statistics are what is tested
    return raw


def _card(raw: dict) -> Card:
    return Card(raw, EXAMPLES / "toy_solar_xenon_projection.yaml")


# ---- the expected band is `nuem limits`'s --------------------------------------------------------
def test_band_equals_limits_expected_column_event_list_card():
    """XENONnT SR0 (an event list: expected limits from its default binning)."""
    ref = derive_limit("xenonnt-sr0", "mu_eff").expected
    s = sensitivity("xenonnt-sr0", "mu_eff")
    assert s.expected == ref["median"]
    assert s.band == {
        "-2": ref["minus2"],
        "-1": ref["minus1"],
        "+1": ref["plus1"],
        "+2": ref["plus2"],
    }
    assert ref["minus2"] < ref["minus1"] < ref["median"] < ref["plus1"] < ref["plus2"]


def test_cli_band_equals_cli_limits_expected(nuem_cli):
    code, out, _ = nuem_cli("limits", "--experiment", "xenon1t", "--quantity", "mu_eff", "--json")
    assert code == 0
    (lim,) = json.loads(out)
    code, out, _ = nuem_cli("sensitivity", "xenon1t", "--quantity", "mu_eff", "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["expected"] == lim["expected"]
    eb = lim["expected_band"]
    assert row["band"] == {
        "-2": eb["minus2"],
        "-1": eb["minus1"],
        "+1": eb["plus1"],
        "+2": eb["plus2"],
    }
    for key in ("experiment", "quantity", "unit", "expected", "band", "exposure", "assumptions"):
        assert key in row
    assert row["exposure"] == {"value": pytest.approx(0.65), "unit": "tonne*year"}
    assert row["assumptions"] and "not used" in row["assumptions"][0]


def test_signed_quantity_median_equals_limits():
    """Signed couplings: the median only (the largest |q| of the Asimov allowed region)."""
    raw = _toy_raw()
    raw["exposure"] = 1.0
    card = _card(raw)
    s = sensitivity(card, "q_eff")
    assert s.band is None and s.unit == "e"
    assert s.expected == derive_limit(card, "q_eff").expected["median"]


# ---- card transformations --------------------------------------------------------------------
def test_as_projection_keeps_the_asimov_data_set():
    """An event-list card becomes its default bins; its likelihood is the Asimov set of the
    original's binned twin, so the expected limits are identical."""
    card = resolve_card("xenonnt-sr0")
    proj = card.as_projection("no change")
    assert proj.provenance_kind == "projection" and not proj.has_data
    assert "no change" in proj.provenance["assumptions"]
    twin = card_likelihood(card, "mu_eff", binned=True).asimov(0.0)
    np.testing.assert_array_equal(card_likelihood(proj, "mu_eff").counts, twin.counts)
    assert sensitivity(proj, "mu_eff").band == sensitivity(card, "mu_eff").band
    with pytest.raises(NuemInputError, match="projection without data"):
        derive_limit(proj, "mu_eff")
    with pytest.raises(NuemInputError, match="projection without data"):
        proj.observed()


def test_with_exposure_scales_every_count():
    """Rate backgrounds and nuem's SM neutrinos follow the exposure; a background given as
    counts is scaled by the exposure ratio (component ``scale``)."""
    raw = _toy_raw()
    raw["backgrounds"]["components"].append(
        {
            "name": "counted",
            "in_likelihood": True,
            "shape": {
                "kind": "binned",
                "edges": [1.0, 10.0, 30.0],
                "values": [3.0, 5.0],
                "quantity": "counts",
                "space": "reconstructed",
                "smeared": True,
                "efficiency_applied": True,
            },
            "uncertainty": {"type": "free"},
        }
    )
    card = _card(raw)
    big = card.with_exposure(3.0 * card.exposure)
    assert big.exposure == pytest.approx(3.0 * card.exposure)
    a = card_likelihood(card, "mu_eff", binned=True).model
    b = card_likelihood(big, "mu_eff", binned=True).model
    for ba, bb in zip(a.backgrounds, b.backgrounds, strict=True):
        np.testing.assert_allclose(bb.template.values, 3.0 * ba.template.values, rtol=1e-12)
    for (_, sa), (_, sb) in zip(a.signal, b.signal, strict=True):
        np.testing.assert_allclose(sb.values, 3.0 * sa.values, rtol=1e-12)


def test_expected_limit_scales_as_exposure_to_minus_one_quarter():
    """Background-dominated, no systematics: the Asimov limit on x = mu^2 goes as sqrt(B)/S, so
    mu scales as exposure^(-1/4) (independent of the code: a counting-statistics argument)."""
    raw = _toy_raw()
    raw["backgrounds"]["components"][0]["shape"]["values"] = [1.0e4]
    raw["backgrounds"]["components"][0]["uncertainty"] = {"type": "fixed"}
    raw["backgrounds"]["sm_neutrino_uncertainty"] = {"type": "fixed"}
    card = _card(raw)
    lo = sensitivity(card, "mu_eff").expected
    hi = sensitivity(card.with_exposure(16 * card.exposure), "mu_eff").expected
    assert hi / lo == pytest.approx(0.5, rel=2e-3)


def test_with_background_scale_leaves_nuems_sm_neutrinos():
    card = _card(_toy_raw())
    half = card.with_background_scale(0.5)
    a = {b.name: b.template.values for b in card_likelihood(card, "mu_eff").model.backgrounds}
    b = {b.name: b.template.values for b in card_likelihood(half, "mu_eff").model.backgrounds}
    np.testing.assert_allclose(b["flat"], 0.5 * a["flat"], rtol=1e-12)
    np.testing.assert_array_equal(b["sm_nu"], a["sm_nu"])
    assert sensitivity(half, "mu_eff").expected < sensitivity(card, "mu_eff").expected
    with pytest.raises(NuemInputError, match="background_scale"):
        card.with_background_scale(-1.0)


def test_with_threshold_moves_the_window_and_inserts_an_edge():
    card = _card(_toy_raw())
    t = card.with_threshold(2.5 * u.keV)
    assert t.window[0] == pytest.approx(2.5 * u.keV)
    assert t.bin_edges()[0] == pytest.approx(2.5 * u.keV)
    assert np.isclose(t.bin_edges() / u.keV, 3.0).any()
    # the 1/T magnetic signal loses its lowest bins: the limit weakens
    assert sensitivity(t, "mu_eff").expected > sensitivity(card, "mu_eff").expected
    with pytest.raises(NuemInputError, match="below the first bin edge"):
        card.with_threshold(0.5 * u.keV)
    with pytest.raises(NuemInputError, match="upper end"):
        card.with_threshold(40 * u.keV)


def test_projection_cards_need_no_data_but_data_cards_do():
    raw = _toy_raw()
    del raw["data"]["bins"]["observed"]
    assert not _card(raw).has_data  # a projection: fine
    raw["provenance"] = {"kind": "example"}
    with pytest.raises(NuemInputError, match="observed: required"):
        _card(raw)


# ---- the projection cards -----------------------------------------------------------------------
def test_projection_cards_are_projections_with_assumptions():
    names = list_projections()
    assert {
        "darwin_xlzd_er",
        "pandax_xt_er",
        "jinping_solar_er",
        "jinping_cr51_er",
        "supercdms_snolab_ge_er",
        "supercdms_snolab_si_er",
        "reactor_ge_cevns",
    } <= set(names)
    assert not set(names) & set(list_cards())  # `nuem limits` never runs them
    for n in names:
        c = load_card(n)
        assert c.provenance_kind == "projection" and not c.has_data
        assert c.provenance["assumptions"] and c.provenance["references"]


def test_aliases():
    assert resolve_card("darwin").name == "darwin_xlzd_er"
    assert resolve_card("jinping-cr51").name == "jinping_cr51_er"
    assert resolve_card("pandax").name == "pandax4t_run1_er_2024"  # data cards first
    assert resolve_card("pandax-xt").name == "pandax_xt_er"
    assert resolve_card("supercdms-snolab-si").name == "supercdms_snolab_si_er"


def test_jinping_cr51_reproduces_published():
    """Yue, Liao, Ling arXiv:2102.12259: mu_nu_e < 1.1e-11 mu_B (90% CL), 3 MCi 51Cr, 55 days."""
    card = load_card("jinping_cr51_er")
    pub = card.published_result("mu_e")
    s = sensitivity(card, "mu_e")
    assert s.expected / pub.value == pytest.approx(1.0, abs=pub.tolerance)


def test_jinping_solar_reproduces_published():
    """Yue, Liao, Ling arXiv:2102.12259: mu_eff < 1.2e-11 mu_B (90% CL), 4 kt, 10 yr. The card
    is the Jinping LOI background model and light yield (read in the collaboration's code) with
    B16-GS98 flux priors: nuem 6.7e-12, ratio 0.56. The unread flux priors move it from 0.56 to
    1.59 (examples/projections/jinping_ablation.py, docs/projections.md): the card's 50%."""
    card = load_card("jinping_solar_er")
    pub = card.published_result("mu_eff")
    s = sensitivity(card, "mu_eff")
    assert s.expected / pub.value == pytest.approx(1.0, abs=pub.tolerance)
    assert s.band["-1"] < s.expected < s.band["+1"]


@pytest.mark.parametrize("name", ["xenonnt-sr0", "xenon1t"])
def test_40_tonne_year_xenon_er(name):
    """Aristizabal Sierra et al. arXiv:2008.05080: a 40 t xenon detector, one year of electron
    recoils, reaches ~4.0e-12 mu_B (90% CL). Their background model was not retrieved; the
    measured response and background of today's xenon detectors scaled to 40 t yr bracket it
    (XENONnT SR0 3.7e-12, XENON1T 5.5e-12 at writing): within 40%, the spread of the current
    background models."""
    s = run_sensitivity([name], ["mu_eff"], exposure=40 * TY)[0]
    assert s.exposure_tonne_year == pytest.approx(40.0)
    assert s.expected / 4.0e-12 == pytest.approx(1.0, abs=0.4)


# ---- the radioactive line source -----------------------------------------------------------
def test_mean_activity_limits():
    from nuem.sources.radioactive import mean_activity

    a0, th = 1.0 / u.s, 27.7 * u.day
    assert mean_activity(a0, th, 1e-6 * u.day) * u.s == pytest.approx(1.0, rel=1e-7)
    # over one half-life: A0 tau (1 - 1/2) / t_half = A0 / (2 ln 2)
    assert mean_activity(a0, th, th) * u.s == pytest.approx(1 / (2 * math.log(2)), rel=1e-12)


def test_mean_inverse_square_distance_by_quadrature():
    from scipy.integrate import dblquad

    from nuem.sources.radioactive import mean_inverse_square_distance

    R, d = 1.0, 1.7
    # <1/r^2> over the ball: 2 pi int r^2 dr int dmu / (r^2 + d^2 - 2 r d mu) / (4/3 pi R^3)
    val, _ = dblquad(
        lambda mu, r: 2 * math.pi * r * r / (r * r + d * d - 2 * r * d * mu),
        0.0,
        R,
        -1.0,
        1.0,
    )
    ref = val / (4 / 3 * math.pi * R**3)
    got = mean_inverse_square_distance("sphere_outside", distance=d, radius=R)
    assert got == pytest.approx(ref, rel=1e-8)
    far = mean_inverse_square_distance("sphere_outside", distance=300.0, radius=R)
    assert far * 300.0**2 == pytest.approx(1.0, rel=1e-4)
    assert mean_inverse_square_distance("sphere_centre", radius=2.0) == pytest.approx(0.75)
    with pytest.raises(NuemInputError, match="must exceed"):
        mean_inverse_square_distance("sphere_outside", distance=0.5, radius=R)


def _beta_fraction_above(t0: float, Q: float, Z: int, unique: bool = False) -> float:
    """Fraction of a beta- spectrum (non-relativistic Fermi function, keV) above t0."""
    from scipy.integrate import quad

    me, a = 510.99895, 0.0072973525693

    def dn(t):
        e = t + me
        p = math.sqrt(e * e - me * me)
        x = 2 * math.pi * a * Z * e / p
        s = p * p + (Q - t) ** 2 if unique else 1.0
        return x / -math.expm1(-x) * p * e * (Q - t) ** 2 * s

    return quad(dn, t0, Q)[0] / quad(dn, 0.0, Q)[0]


def test_jinping_tables_hold_the_loi_rates():
    """The 210Bi and 85Kr tables of the Jinping cards hold the LOI model's 25 and 1 decays per
    day per 100 t (thuxwr/SolarNu MonteCarlo.C), checked against a quadrature of the beta
    spectra above the tables' first edge (100 keV; smearing moves < 1% across it)."""
    d = Path(load_card("jinping_solar_er").path).parent
    per_tyr = 365.25 / 100.0
    kr_frac = 0.99566 * _beta_fraction_above(100.0, 687.401, 37, True) + 0.00434
    for name, rate, frac in (
        ("jinping_bi210.csv", 25.0, _beta_fraction_above(100.0, 1161.501, 84)),
        ("jinping_kr85.csv", 1.0, kr_frac),
    ):
        t = np.loadtxt(d / name, delimiter=",", skiprows=1)
        total = float(np.sum(t[:, 2] * (t[:, 1] - t[:, 0])))
        assert total == pytest.approx(rate * per_tyr * frac, rel=0.01)


def test_cr51_card_flux_by_hand():
    """3 MCi, 55 d, t1/2 27.7025 d, source at the centre of a 10.36 m sphere."""
    src = load_card("jinping_cr51_er").source
    tau = 27.7025 / math.log(2)
    a = 1.11e17 * tau * (1 - math.exp(-55 / tau)) / 55
    phi = a * 3 / (4 * math.pi * 1036.0**2)  # per cm^2 s, all lines (branchings sum to 1)
    assert src.total_flux() * u.cm2 * u.s == pytest.approx(phi, rel=1e-9)


# ---- CLI ---------------------------------------------------------------------------------------
def test_cli_overrides_and_table(nuem_cli):
    code, out, _ = nuem_cli(
        "sensitivity", "darwin", "--quantity", "mu_eff", "--exposure", "40t*yr", "--json"
    )
    assert code == 0
    (row,) = json.loads(out)
    assert row["exposure"]["value"] == pytest.approx(40.0)
    assert any("exposure 40 t yr" in a for a in row["assumptions"])
    code, out, _ = nuem_cli(
        "sensitivity",
        "darwin",
        "--quantity",
        "mu_eff",
        "--background-scale",
        "0.5",
        "--threshold",
        "2keV",
    )
    assert code == 0 and "darwin_xlzd_er" in out and "+2 sigma" in out


@pytest.mark.parametrize("bad", ["200", "200t", "-5t*yr", "3 furlongs*yr"])
def test_cli_bad_exposure(nuem_cli, bad):
    code, _, err = nuem_cli("sensitivity", "darwin", "--exposure", bad)
    assert code == 2 and err.startswith("nuem: error:")


def test_registered():
    from nuem.cli.main import COMMANDS

    assert COMMANDS["sensitivity"] == "sensitivity_cmd"


def test_card_schema_lists_every_source_kind():
    from nuem.experiments import schema
    from nuem.sources.registry import SOURCE_KINDS

    assert set(schema()["properties"]["source"]["properties"]["kind"]["enum"]) == set(SOURCE_KINDS)


def test_unknown_projection_names_the_folders():
    with pytest.raises(NuemInputError, match="projections: "):
        resolve_card("no_such_detector")


def test_copy_of_raw_is_not_mutated():
    card = _card(_toy_raw())
    before = copy.deepcopy(card.raw)
    card.with_exposure(2 * card.exposure).with_threshold(3 * u.keV).with_background_scale(2.0)
    assert card.raw == before


def test_experiments_shows_projection_assumptions(nuem_cli):
    code, out, _ = nuem_cli("experiments", "darwin")
    assert code == 0 and "assumption" in out and "none (16 bins)" in out
    code, out, _ = nuem_cli("experiments")
    assert code == 0 and "Projections" in out and "jinping_solar_er" in out


def test_on_off_card_projection_keeps_both_halves():
    """A reactor ON/OFF card as a projection: no counts, the likelihood's Asimov data on the
    ON and OFF bins (OFF exposure keeping its ratio), the same expected band as the original."""
    card = load_card(EXAMPLES / "toy_reactor_ge_er.yaml")
    big = card.with_exposure(2 * card.exposure)
    assert not big.has_data and big.exposure_off == pytest.approx(2 * card.exposure_off)
    lik = card_likelihood(big, "mu_e")
    twin = card_likelihood(card, "mu_e", binned=True).asimov(0.0)
    np.testing.assert_allclose(lik.counts, 2 * twin.counts, rtol=1e-12)
    proj = card.as_projection("same")
    assert sensitivity(proj, "mu_e").band == sensitivity(card, "mu_e").band
