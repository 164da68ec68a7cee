"""COHERENT cards against published recasts of the same data (the cards' ``recasts:`` block;
nuem.limits.recast): conventions taken into nuem's, the comparison metric, the card rules, and
nuem's limits against every recast number that was read, within the card's tolerance."""

from __future__ import annotations

import copy
import re

import pytest

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.experiments import Card, CardError, load_card
from nuem.experiments.records import RecastResult
from nuem.limits.derive import derive_limit
from nuem.limits.recast import comparable, compare
from nuem.limits.result import LimitResult

CARDS = ("coherent_csi_2021", "coherent_lar_2020")
#: What the issue asks to compare: flavour moments, diagonal and transition radii, millicharges.
CSI_QUANTITIES = {"mu_e", "mu_mu", "r2_e", "r2_mu", "r2_emu", "r2_etau", "r2_mutau", "q_e", "q_mu"}


def _recast(**kw) -> RecastResult:
    base = dict(
        quantity="r2_e", kind="interval", unit="cm2", cl=0.9, reference="arXiv:0000.00000",
        data="CsI 2021", fit="one_at_a_time", convention="test", status="verified",
        status_note="test", tolerance=0.12, tolerance_reason="test", same_data=True,
    )  # fmt: skip
    base.update(kw)
    return RecastResult(**base)


def _limit(quantity, value=None, interval=None, cl=0.9) -> LimitResult:
    return LimitResult(
        quantity=quantity, unit="cm2", cl=cl, sided="two-sided", test_statistic="delta_chi2",
        critical_value=2.706, method="asymptotic", value=value, interval=interval,
    )  # fmt: skip


def test_recast_conventions_are_taken_into_nuems():
    """Scale and sign: [-1, 5] x 1e-32 cm^2 in the opposite <r^2> sign convention is
    [-5, 1] x 1e-32 cm^2 in nuem's; an upper limit keeps its size under a sign flip."""
    r = _recast(lower=-1.0, upper=5.0, scale=1e-32, to_nuem=-1.0)
    lo, hi = r.bounds()
    assert lo == pytest.approx(-5e-32 * u.cm2) and hi == pytest.approx(1e-32 * u.cm2)
    mu = _recast(quantity="mu_mu", kind="upper_limit", unit="mu_B", value=2.4, scale=1e-10)
    assert mu.bounds() == (0.0, pytest.approx(2.4e-10 * u.mu_B))
    with pytest.raises(NuemInputError, match="no number"):
        _recast(status="not_found").bounds()


def test_comparison_metric_relative_for_limits_width_for_intervals():
    """Upper limit: |nuem/pub - 1|; interval: largest end shift over the published width."""
    ul = compare(
        _limit("mu_e", value=3.3e-9 * u.mu_B),
        _recast(quantity="mu_e", kind="upper_limit", unit="mu_B", value=3.0e-9),
    )
    assert ul.deviation == pytest.approx(0.1) and ul.within and ul.required
    iv = compare(
        _limit("r2_e", interval=(-6.0e-31 * u.cm2, 1.5e-31 * u.cm2)),
        _recast(lower=-6.5, upper=1.0, scale=1e-31),
    )
    assert iv.deviation == pytest.approx(0.5 / 7.5) and iv.within
    assert not compare(
        _limit("r2_e", interval=(-6.0e-31 * u.cm2, 2.0e-31 * u.cm2)),
        _recast(lower=-6.5, upper=1.0, scale=1e-31),
    ).within
    with pytest.raises(NuemInputError, match="CL"):
        compare(_limit("r2_e", interval=(-1.0, 1.0), cl=0.95), _recast(lower=-1.0, upper=1.0))
    # not required: a combination, a marginalised fit, a quantity nuem does not have
    assert not comparable(_recast(same_data=False))
    assert not comparable(_recast(fit="marginalised"))
    assert not comparable(_recast(quantity="q_emu"))
    # the flavour millicharges are nuem quantities: a same-data one-at-a-time q_e is required
    assert comparable(_recast(quantity="q_e", unit="e")) and comparable(_recast(quantity="q_mu"))


@pytest.mark.parametrize("name", CARDS)
def test_recast_entries_say_what_was_read_and_where(name):
    """Every entry names its paper by arXiv id and says where its number was (or was not)
    read; a CsI card covers every quantity the issue asks for; tolerances carry a reason."""
    card = load_card(name)
    assert card.recasts
    for r in card.recasts:
        assert re.search(r"arXiv:\d{4}\.\d{4,5}", r.reference), r.reference
        assert len(r.status_note) > 40 and len(r.tolerance_reason) > 40
        assert r.has_value == (r.status == "verified")
    if name == "coherent_csi_2021":
        assert {r.quantity for r in card.recasts} >= CSI_QUANTITIES


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda r: r.update(status="verified"), "recasts[0]: a verified interval needs lower"),
        (lambda r: r.update(lower=-1.0), "recasts[0].lower: status not_found but a number"),
        (lambda r: r.update(status="verified", lower=2.0, upper=1.0), "recasts[0]: lower 2.0"),
    ],
)
def test_recast_card_rules_name_the_field(edit, field):
    card = load_card("coherent_csi_2021")
    raw = copy.deepcopy(card.raw)
    i = next(k for k, r in enumerate(raw["recasts"]) if r["kind"] == "interval")
    raw["recasts"] = [raw["recasts"][i]]
    edit(raw["recasts"][0])
    with pytest.raises(CardError, match=re.escape(field)):
        Card(raw, card.path)


@pytest.mark.parametrize("name", CARDS)
def test_nuem_limits_agree_with_every_recast_number_read(name):
    """nuem's 90% CL limits against each recast number read (same data alone, one quantity at
    a time), within the card's tolerance. None was read yet (status_note of each entry: the
    stored pages of the candidate papers hold their abstracts only, without the numbers)."""
    card = load_card(name)
    todo = [r for r in card.recasts if r.has_value and comparable(r)]
    if not todo:
        pytest.skip(f"{name}: no recast number read yet ({len(card.recasts)} entries not_found)")
    for r in todo:
        c = compare(derive_limit(card, r.quantity, cl=r.cl, expected=False), r)
        assert c.within, (r.quantity, r.reference, c.nuem, c.published, c.deviation)


def test_experiments_cli_lists_the_recasts(nuem_cli):
    code, out, err = nuem_cli("experiments", "coherent-csi-2021")
    assert code == 0, err
    lines = [ln for ln in out.splitlines() if ln.strip().startswith("recast")]
    assert len(lines) == len(load_card("coherent_csi_2021").recasts)
    assert "r2_emu: arXiv:2205.09484 (a combination, 90% CL) number not read" in out
