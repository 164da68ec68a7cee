"""Flavour millicharges q_e, q_mu, q_tau (nuem.limits.quantities): one flavour's millicharge, the
others zero, on that flavour's neutrinos and antineutrinos alone.

Independent references: the structure of the sources (a reactor sends only ν̄_e, so q_e there
is the flavour-blind q_eff and q_mu, q_tau add nothing; a π-DAR source sends no ν_τ), the
per-flavour evaluation of ``Templates.signal(Hypothesis(q={...}))`` (a second construction of the
same polynomial), and, for the Sun, the flavour-blind photon exchange (in
tests/test_hypothesis_weights.py: each flavour's share of the q² term is its vacuum-averaged
P_e→α, written there from the PMNS matrix).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nuem import units as u
from nuem.experiments import load_card
from nuem.limits.derive import derive_limit, published_entry, run_limits
from nuem.limits.quantities import QUANTITIES, quantity
from nuem.rates import experiment_templates
from nuem.theory.hypothesis import Hypothesis

REACTOR = Path(__file__).resolve().parents[1] / "examples" / "cards" / "toy_reactor_ge_er.yaml"
FLAVOURS = ("e", "mu", "tau")


def _templates(name):
    card = load_card(name)
    return experiment_templates(card, card.bin_edges())


@pytest.fixture(scope="module")
def reactor():
    return _templates(REACTOR)


@pytest.fixture(scope="module")
def csi():
    return _templates("coherent_csi_2021")


def _poly(name, t, x):
    """The signal of quantity ``name`` at POI x: sum of x^power S."""
    return sum(x**p * S for p, S in quantity(name).signal(t))


def test_flavour_millicharges_are_registered_like_q_eff():
    ref = quantity("q_eff")
    for f in FLAVOURS:
        q = quantity(f"q_{f}")
        assert f"q_{f}" in QUANTITIES and q.poi == q.name == f"q_{f}"
        assert (q.unit, q.signed, q.sources) == (ref.unit, ref.signed, ref.sources)
        assert q.published_key is None  # cards publish the flavour-blind millicharge only
        assert [p for p, _ in q.signal(_FakeTemplates())] == [1, 2]
    # GEMMA's |q| < 2.7e-12 e (nubar_e) is shown beside q_eff only, never beside q_mu / q_tau
    gemma = load_card("gemma_2012_er")
    assert published_entry(gemma, ref)["value"] == 2.7e-12
    assert all(published_entry(gemma, quantity(f"q_{f}")) is None for f in FLAVOURS)


class _FakeTemplates:
    """The one field the flavour millicharges read."""

    millicharge_flavour = {f: np.ones((2, 3)) for f in FLAVOURS}


@pytest.mark.parametrize("which", ["reactor", "csi"])
def test_flavour_blind_q_is_the_sum_of_the_flavour_millicharges(which, request):
    """q_eff = q gives Σ_α signal(q_α = q), term by term (no flavour cross term: one incoming
    flavour per event), and each q_α polynomial is Templates.signal of Hypothesis(q={α: q})."""
    t = request.getfixturevalue(which)
    (_, s1), (_, s2) = quantity("q_eff").signal(t)
    per = [dict(quantity(f"q_{f}").signal(t)) for f in FLAVOURS]
    np.testing.assert_allclose(sum(p[1] for p in per), s1, rtol=1e-12, atol=0)
    np.testing.assert_allclose(sum(p[2] for p in per), s2, rtol=1e-12, atol=0)
    x = 3e-8
    for f in FLAVOURS:
        want = t.signal(Hypothesis(q={f: x * u.eplus}))
        np.testing.assert_allclose(_poly(f"q_{f}", t, x), want, rtol=1e-12, atol=0)


def test_reactor_q_e_is_q_eff_and_q_mu_q_tau_see_nothing(reactor):
    """Reactor ν̄_e only: q_e's templates are q_eff's, q_mu and q_tau are exactly zero (no
    sensitivity rows, atomic model recorded like any row)."""
    for (pa, a), (pb, b) in zip(
        quantity("q_e").signal(reactor), quantity("q_eff").signal(reactor), strict=True
    ):
        assert pa == pb and np.array_equal(a, b)
    for f in ("mu", "tau"):
        assert not any(np.any(S) for _, S in quantity(f"q_{f}").signal(reactor))
    rows = run_limits([str(REACTOR)], ["q_mu", "q_tau"], atomic="photoabsorption")
    for r in rows:
        assert r.status == "no sensitivity" and r.limit is None and r.error is None
        assert r.atomic == "photoabsorption" == r.to_json()["atomic_model"]


def test_reactor_q_e_limit_records_its_atomic_model(reactor):
    """A q_e limit (the same templates as q_eff above, so the same likelihood) carries the
    card's atomic model into its result and its HEPData qualifier, as q_eff does."""
    card = load_card(REACTOR)
    a = derive_limit(card, "q_e", expected=False)
    assert a.quantity == "q_e" and a.unit == "e" and a.allowed is not None
    assert 1e-13 < a.value < 1e-10
    assert a.atomic_model == card.atomic_model
    assert f"value: {card.atomic_model}" in a.to_hepdata_yaml()


def test_pidar_has_no_nu_tau_and_both_other_flavours(csi):
    """COHERENT CsI (π-DAR: prompt ν_μ, delayed ν_e and ν̄_μ): q_tau adds exactly nothing (the
    "no sensitivity" of nuem limits: every signal template is 0), q_e and q_mu add a q² term
    in every PE x time bin that has SM CEvNS of their neutrinos."""
    assert not any(np.any(S) for _, S in quantity("q_tau").signal(csi))
    for f in ("e", "mu"):
        s2 = dict(quantity(f"q_{f}").signal(csi))[2]
        assert np.all(s2 >= 0) and s2.sum() > 0
    # the prompt window (first time bins) is nu_mu-dominated: q_mu's q^2 share is 0.97 in the
    # first 0.125 us and falls to 0.58 (nubar_mu against nu_e) after the pion decays
    s2e, s2m = (dict(quantity(f"q_{f}").signal(csi))[2] for f in ("e", "mu"))
    n_t = len(csi.metadata["time_edges_us"]) - 1
    share = s2m.reshape(-1, n_t).sum(0) / (s2e + s2m).reshape(-1, n_t).sum(0)
    assert share[0] > 0.9 and share[-1] < 0.6
