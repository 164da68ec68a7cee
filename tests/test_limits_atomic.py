"""`--atomic` on `nuem limits` / `nuem spectrum`, `target.atomic` in cards, and the xenon
millicharge limits with the photoabsorption model (docs/atomic.md)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from nuem.cli import cli
from nuem.errors import NuemInputError
from nuem.experiments.cards import Card
from nuem.experiments.validation import schema_errors
from nuem.limits.build import card_likelihood
from nuem.limits.derive import derive_limit, limit_from_likelihood
from nuem.limits.quantities import Quantity
from nuem.rates.experiment import experiment_templates, resolve_card
from nuem.xsec import atomic


def _run(*args):
    return CliRunner().invoke(cli, list(args))


def test_schema_enum_is_the_registered_models():
    card = resolve_card("lz")
    for model in atomic.MODELS:
        raw = json.loads(json.dumps(card.raw))
        raw["target"]["atomic"] = model
        assert schema_errors(raw) == []
    raw["target"]["atomic"] = "rrpa-guess"
    assert schema_errors(raw)


def test_with_atomic_changes_model_and_hash_only():
    card = resolve_card("lz")
    pa = card.with_atomic("photoabsorption")
    assert pa.atomic_model == "photoabsorption" and card.atomic_model == "stepping"
    assert pa.content_hash != card.content_hash and pa.name == card.name
    assert card.with_atomic("stepping") is card


def test_photoabsorption_needs_a_tabulated_element():
    card = resolve_card("lz")
    raw = json.loads(json.dumps(card.raw))
    raw["target"]["formula"] = "NaI"
    raw["target"]["atomic"] = "photoabsorption"
    with pytest.raises(NuemInputError, match="no atomic shell table for the photoabsorption"):
        Card(raw, card.path)
    raw["target"]["atomic"] = "free"
    assert Card(raw, card.path).atomic_model == "free"
    raw["target"]["formula"] = "Ge"
    raw["target"]["atomic"] = "rrpa"  # the RRPA ratio is for xenon only
    with pytest.raises(NuemInputError, match="no data for the rrpa atomic model"):
        Card(raw, card.path)
    raw["target"]["atomic"] = "photoabsorption"
    assert Card(raw, card.path).atomic_model == "photoabsorption"


def test_limits_report_the_atomic_model_per_row():
    r = _run("limits", "--experiment", "lz", "--quantity", "q_eff", "--quantity", "mu_eff",
             "--atomic", "photoabsorption", "--json")  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    for d in rows:
        assert d["atomic_model"] == "photoabsorption"
        assert d["result"]["atomic_model"] == "photoabsorption"
    table = _run("limits", "--experiment", "lz", "--quantity", "q_eff", "--no-progress")
    assert table.exit_code == 0, table.output
    header, _, row = table.output.splitlines()[:3]
    assert "atomic" in header and "stepping" in row
    bad = _run("limits", "--experiment", "lz", "--atomic", "rrpa-guess")
    assert bad.exit_code == 2


def test_spectrum_atomic_override_changes_only_the_millicharge_signal():
    base = ["spectrum", "lz", "--bins", "1:10:1", "--json"]
    a = json.loads(_run(*base, "--q", "3e-13").output)
    b = json.loads(_run(*base, "--q", "3e-13", "--atomic", "photoabsorption").output)
    assert a["atomic_model"] == "stepping" and b["atomic_model"] == "photoabsorption"
    assert np.all(np.array(b["signal"]) > np.array(a["signal"]))
    m = json.loads(_run(*base, "--mu", "1e-11", "--atomic", "photoabsorption").output)
    m0 = json.loads(_run(*base, "--mu", "1e-11").output)
    assert np.allclose(m["signal"], m0["signal"], rtol=1e-6)


@pytest.mark.parametrize(
    "card, lo, hi",
    [
        # nuem with the photoabsorption model (docs/atomic.md: 3.6e-13 and 1.6e-13), checked to
        # sit between Atzori Corona et al.'s EPA value for LZ (1.5e-13, arXiv:2207.05036) and
        # nuem's stepping limit (8.1e-13 and 4.3e-13): the distant collisions the EPA keeps, with
        # a medium-screened log that is ~2x smaller than an EPA log cut off by the neutrino mass
        ("lz", 1.5e-13, 8.1e-13),
        ("xenonnt-sr0", 1.0e-13, 4.3e-13),
    ],
)
def test_xenon_millicharge_limits_with_photoabsorption(card, lo, hi):
    st = derive_limit(card, "q_eff", expected=False)
    ph = derive_limit(card, "q_eff", expected=False, atomic="photoabsorption")
    assert st.atomic_model == "stepping" and ph.atomic_model == "photoabsorption"
    assert lo < ph.value < hi
    assert ph.value < 0.6 * st.value
    if card == "lz":
        _check_lz_gap(ph)


def _q_region(card, s1, s2):
    """|q| bound and interval of nuem's Delta-chi2 region for the signal q s1 + q^2 s2."""
    terms = ([(1, s1)] if s1 is not None else []) + [(2, s2)]
    q = Quantity("q_eff", "e", "test", True, "millicharge", None, lambda _t, _p: terms)
    r = limit_from_likelihood(card_likelihood(card, q), None, quantity_name="q_eff", unit="e",
                              signed=True)  # fmt: skip
    return r.value, r.interval


def _check_lz_gap(ph):
    """The LZ gap to Atzori Corona et al. (docs/atomic.md, tools/lz_millicharge_budget.py): the
    q x weak interference only shifts the region (the pure-q^2 bound lies between its ends),
    scaling the distant term by k moves the pure-q^2 bound as the Gaussian expectation
    (S2 ratio)^(-1/2) within 5%, and even k = 2.5 without interference leaves nuem's LZ card
    above 1.3 x 1.5e-13 (the rest of the gap is in the threshold bins, see the docs)."""
    card = resolve_card("lz").with_atomic("photoabsorption")
    step = experiment_templates(resolve_card("lz")).millicharge[1]
    t = experiment_templates(card)
    s1, p2 = t.millicharge
    lo, hi = ph.interval
    b1, iv = _q_region(card, None, p2)
    assert iv[0] == pytest.approx(-iv[1], rel=1e-3)
    assert abs(lo) < b1 < hi
    b2, _ = _q_region(card, None, step + 2.0 * (p2 - step))
    s2_ratio = (step + 2.0 * (p2 - step)).sum() / p2.sum()
    assert b2 / b1 == pytest.approx(s2_ratio**-0.5, rel=0.05)
    b25, _ = _q_region(card, None, step + 2.5 * (p2 - step))
    assert b25 > 1.3 * 1.5e-13
