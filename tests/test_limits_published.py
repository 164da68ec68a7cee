"""`nuem limits` physics: reproductions of published limits, stated in each card with its
tolerance and reason (issue 5), plus independent cross-checks of the limit pipeline."""

from __future__ import annotations

import numpy as np
import pytest

from nuem.experiments import load_card
from nuem.limits.build import card_likelihood
from nuem.limits.derive import derive_limit
from nuem.limits.quantities import flavour_moment_template
from nuem.rates.experiment import experiment_templates, solar_source
from nuem.stats import upper_limit


def test_xenonnt_sr0_mu_eff_reproduces_published():
    """XENONnT SR0: 6.4e-12 mu_B at 90% CL (arXiv:2207.11330 as compiled by Kopp, Opferkuch &
    Wang, arXiv:2212.11287); tolerance and its reason are in the card (15%)."""
    card = load_card("xenonnt_sr0_er_2022")
    pub = card.published_result("mu_eff")
    res = derive_limit(card, "mu_eff", expected=False)
    assert res.sided == "one-sided" and res.test_statistic == "q_tilde"
    assert res.value == pytest.approx(pub.value, rel=pub.tolerance)


def test_xenon1t_returns_signal_preferred_interval():
    """XENON1T SR1: the data prefer a signal; the paper reports mu in (1.4, 2.9) x 1e-11 mu_B at
    90% CL (arXiv:2006.09721 abstract). Each end within the card's tolerance (25%)."""
    card = load_card("xenon1t_sr1_er_2020")
    pub = card.published_result("mu_eff")
    res = derive_limit(card, "mu_eff", expected=False)
    assert res.sided == "two-sided" and res.value is None
    lo, hi = res.interval
    assert lo == pytest.approx(pub.lower, rel=pub.tolerance)
    assert hi == pytest.approx(pub.upper, rel=pub.tolerance)


def test_unbinned_and_binned_xenonnt_agree():
    """Second derivation: the 29-bin Poisson likelihood of the same events gives the same limit
    within 10% (binning loses little for a smooth 1/T signal)."""
    x_un = upper_limit(card_likelihood("xenonnt-sr0", "mu_eff")).value
    x_bin = upper_limit(card_likelihood("xenonnt-sr0", "mu_eff", binned=True)).value
    assert np.sqrt(x_un) == pytest.approx(np.sqrt(x_bin), rel=0.10)


def test_limit_is_where_profile_crosses_critical_value():
    """Direct evaluation: at the reported limit the profile-likelihood ratio equals 1.6424."""
    from nuem.stats import fit, profile

    lik = card_likelihood("lz", "mu_eff")
    ul = upper_limit(lik)
    q = profile(lik, ul.value).nll2 - fit(lik).nll2
    assert q == pytest.approx(1.6424, abs=2e-3)


def test_flavour_templates_from_mass_states_match_flavour_content():
    """Two constructions of the mu_alpha template: |U_alpha k|^2-weighted mass-state templates
    (Canas et al.) vs the flavour-content templates of the rates engine; and unitarity:
    sum over alpha gives the mu_eff template."""
    tpl = experiment_templates("xenonnt_sr0_er_2022")
    p = solar_source().params
    per = np.array([flavour_moment_template(tpl, f, p) for f in ("e", "mu", "tau")])
    np.testing.assert_allclose(per.sum(axis=0), tpl.magnetic_eff, rtol=1e-10)
    np.testing.assert_allclose(per, tpl.magnetic_flavour, rtol=1e-6)


def test_flavour_limits_scale_with_weights():
    """A single linear template: mu_alpha limit = mu_eff limit / sqrt(w_alpha) when the signal
    shapes agree; the weights w_e ~ P_ee-like and w_mu + w_tau ~ 1 - w_e bracket the limits."""
    eff = derive_limit("xenonnt-sr0", "mu_eff", expected=False).value
    mue = derive_limit("xenonnt-sr0", "mu_e", expected=False).value
    tpl = experiment_templates("xenonnt_sr0_er_2022")
    w = flavour_moment_template(tpl, "e", solar_source().params).sum() / tpl.magnetic_eff.sum()
    assert 0.4 < w < 0.7  # pp/7Be P_ee ~ 0.55 (Borexino)
    assert mue == pytest.approx(eff / np.sqrt(w), rel=0.02)


@pytest.mark.parametrize("name", ["lz_ws2022_er", "pandax4t_run1_er_2024"])
def test_transcribed_cards_reproduce_published_when_known(name):
    """LZ and PandaX-4T: once a card carries its published mu_eff value, nuem's limit must lie
    within the card's tolerance (25%). The values could not be retrieved yet (cards say why)."""
    card = load_card(name)
    pub = card.published_result("mu_eff")
    if pub.value is None:
        pytest.skip(f"{name}: published mu_eff not retrieved ({pub.status})")
    res = derive_limit(card, "mu_eff", expected=False)
    assert res.value == pytest.approx(pub.value, rel=pub.tolerance)
