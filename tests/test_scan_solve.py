"""The warm-started scan statistics (nuem.scan.solve) against the per-mass `nuem limits` path,
and the analytic gradients and warm starts of nuem.stats it uses."""

from __future__ import annotations

import numpy as np
import pytest

from nuem import units as u
from nuem.limits.build import card_likelihood
from nuem.limits.derive import limit_from_likelihood
from nuem.limits.portal import portal_quantity
from nuem.rates.experiment import experiment_templates
from nuem.scan import portal_cards, scan
from nuem.scan.portal import _DipoleMemo, compute_chunk
from nuem.stats import (
    Background,
    BinnedLikelihood,
    FitResult,
    Model,
    NormSystematic,
    ShapeSystematic,
    Template,
    UnbinnedLikelihood,
    fit,
    profile,
)

#: the tolerance the scan promises against the per-mass path (observed, interval, band)
TOL = 1e-3


def _reference(card, flavour, M, expected):
    q = portal_quantity(flavour, M * u.MeV)
    twin = card_likelihood(card, q, binned=True) if expected else None
    return limit_from_likelihood(
        card_likelihood(card, q), twin, quantity_name=q.name, unit=q.unit, signed=False,
        cl=0.9, transform=q.to_quantity,
    )  # fmt: skip


# xenon1t: an excess (two-sided intervals at light N); lz, pandax: binned xenon; xenonnt: an
# event list (unbinned); conus: reactor ON/OFF bins with a log-normal flux systematic
@pytest.mark.parametrize(
    "name, flavours, expected",
    [
        ("xenon1t_sr1_er_2020", ["e", "tau"], True),
        ("lz_ws2022_er", ["mu"], True),
        ("xenonnt_sr0_er_2022", ["eff"], True),
        ("conus_2022_er", ["e"], True),
        ("pandax4t_run1_er_2024", ["e"], False),
    ],
)
def test_walk_equals_the_per_mass_limits(name, flavours, expected):
    card = portal_cards([name])[0]
    masses = [0.003, 0.1, 0.104, 1.2]
    got = compute_chunk(card, flavours, masses, expected, 0.9)
    n = 0
    for fl in flavours:
        for M, p in zip(masses, got[fl], strict=True):
            if p["status"] != "ok":
                continue
            n += 1
            r = _reference(card, fl, M, expected)
            assert p["observed"] == pytest.approx(r.headline, rel=TOL)
            assert (p["lower"] is not None) == (r.sided == "two-sided")
            if p["lower"] is not None:
                assert p["lower"] == pytest.approx(r.interval[0], rel=TOL)
            if expected:
                for k, v in r.expected.items():
                    assert p["expected"][k] == pytest.approx(v, rel=TOL, abs=1e-30)
    assert n >= 3 * len(flavours)


def test_borexino_walk_equals_the_per_mass_limit():
    card = portal_cards(["borexino_phase2_2017"])[0]
    got = compute_chunk(card, ["e", "eff"], [0.5, 0.52], False, 0.9)
    for fl in ("e", "eff"):
        assert got[fl][1]["observed"] == pytest.approx(
            _reference(card, fl, 0.52, False).headline, rel=TOL
        )


def test_the_excess_gives_two_sided_intervals_like_nuem_limits():
    card = portal_cards(["xenon1t_sr1_er_2020"])[0]
    p = compute_chunk(card, ["e"], [0.001], False, 0.9)["e"][0]
    r = _reference(card, "e", 0.001, False)
    assert r.sided == "two-sided" and p["test_statistic"] == "delta_chi2"
    assert p["lower"] == pytest.approx(r.interval[0], rel=TOL)


def test_chunking_changes_results_only_within_the_tolerance():
    masses = np.geomspace(0.01, 2.0, 6) * u.MeV
    one = scan(["lz"], flavours=["e"], masses=masses, cache=False, chunk=1)[0]
    all6 = scan(["lz"], flavours=["e"], masses=masses, cache=False, chunk=6)[0]
    assert all6.settings["chunk"] == 6
    for a, b in zip(one.observed, all6.observed, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert a == pytest.approx(b, rel=1e-4)


def test_memoised_dipole_templates_equal_the_engine_s():
    card = portal_cards(["lz"])[0]
    t = experiment_templates(card, card.bin_edges())
    M = np.geomspace(0.001, 2.0, 4) * u.MeV
    memo_t = _DipoleMemo(t, M, {})
    for m in M:
        np.testing.assert_allclose(memo_t.dipole(m, per_state=True), t.dipole(m, True), rtol=1e-12)
        np.testing.assert_allclose(memo_t.dipole(m), t.dipole(m), rtol=1e-12)  # sum over states


# ---- gradients and warm starts of nuem.stats ---------------------------------------------------

_N = 8
_B1 = np.linspace(10.0, 3.0, _N)
_B2 = np.full(_N, 4.0)
_S = np.exp(-np.arange(_N) / 3.0)


def _models():
    up, dn = _B1 * (1 + 0.1 * np.arange(_N) / _N), _B1 * (1 - 0.08 * np.arange(_N) / _N)
    bk = [
        Background("a", _B1, 0.1),
        Background("b", _B2, None),
        Background("c", _B2, 0.2, "lognormal"),
    ]
    yield Model([(1, _S)], bk[:2])
    yield Model([(1, _S), (2, 0.3 * _S)], bk, signal_sigma=0.05, poi_lower=None)
    yield Model(
        [(1, _S)], bk, systematics=[NormSystematic("flux", ["signal", "a"], 0.07, "lognormal")]
    )
    for interp in ("code0", "code4p"):
        yield Model([(1, _S)], bk, systematics=[ShapeSystematic("res", {"a": (up, dn)}, interp)])


def _numeric(f, p, h=1e-6):
    return np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(p.size)])


@pytest.mark.parametrize("model", list(_models()))
def test_binned_gradient_equals_finite_differences(model):
    counts = np.round(model.expected(0.5, model.nominal)) + 1.0
    lik = BinnedLikelihood(model, counts)
    th = model.nominal + 0.13
    x = 0.7
    g = lik.grad_nll2(x, th)
    np.testing.assert_allclose(g, _numeric(lambda t: lik.nll2(x, t), th), rtol=1e-5, atol=1e-6)
    p = np.concatenate([[x], th])
    gp = lik.grad_nll2(x, th, poi=True)
    np.testing.assert_allclose(
        gp, _numeric(lambda q: lik.nll2(q[0], q[1:]), p), rtol=1e-5, atol=1e-6
    )


def test_unbinned_gradient_equals_finite_differences():
    bk = [Background("a", Template(_B1, 40.0), 0.1), Background("b", Template(_B2, 30.0), None)]
    lik = UnbinnedLikelihood(Model([(1, Template(_S, 2.0))], bk))
    th = np.array([1.1, 0.9])
    g = lik.grad_nll2(0.4, th, poi=True)
    num = _numeric(lambda q: lik.nll2(q[0], q[1:]), np.array([0.4, *th]))
    np.testing.assert_allclose(g, num, rtol=1e-5)


def _stacked_systematics(unbinned: bool):
    """Two normalisations on one sample (∂ of a product), a code-0 shape on a background and a
    code-4p shape on the signal (power 1 and 2): the analytic weight Jacobian's cases."""

    def tpl(v):
        return Template(v, float(v.sum())) if unbinned else v

    up, dn = _B1 * (1 + 0.1 * np.arange(_N) / _N), _B1 * (1 - 0.08 * np.arange(_N) / _N)
    bk = [Background("a", tpl(_B1), 0.1), Background("c", tpl(_B2), 0.2, "lognormal")]
    syst = [
        NormSystematic("flux", ["signal", "a"], 0.07, "lognormal"),
        NormSystematic("eff", ["signal", "a", "c"], 0.05),
        ShapeSystematic("res", {"a": (tpl(up), tpl(dn))}, "code0"),
        ShapeSystematic("sig", {"signal": [(tpl(1.2 * _S), tpl(0.9 * _S)), None]}, "code4p"),
    ]
    return Model([(1, tpl(_S)), (2, tpl(0.3 * _S))], bk, systematics=syst, poi_lower=None)


@pytest.mark.parametrize("unbinned", [False, True])
@pytest.mark.parametrize("alpha", [-0.4, 0.3, 1.6])
def test_weight_jacobian_gradient_equals_finite_differences(unbinned, alpha):
    """Model.weight_jacobian (∂ν/∂θ = D @ K) against central differences of −2 ln L, on both
    sides of the code-0 kink and inside/outside |α| ≤ 1 of the code-4p polynomial."""
    model = _stacked_systematics(unbinned)
    th = np.array([1.1, 0.9, 1.05, 0.97, alpha, -0.7 * alpha])
    if unbinned:
        lik = UnbinnedLikelihood(model)
    else:
        lik = BinnedLikelihood(model, np.round(model.expected(0.5, model.nominal)) + 1.0)
    p = np.concatenate([[0.6], th])
    g = lik.grad_nll2(0.6, th, poi=True)
    num = _numeric(lambda q: lik.nll2(q[0], q[1:]), p)
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-6)


def test_gradient_and_warm_start_leave_fits_unchanged():
    model = next(iter(_models()))
    lik = BinnedLikelihood(model, np.round(model.expected(2.0, model.nominal)) + 2.0)
    ref = fit(lik)
    warm = fit(lik, start=(1.5 * ref.x, ref.thetas * 1.1), grad=True)
    assert warm.x == pytest.approx(ref.x, rel=1e-3)
    assert warm.nll2 == pytest.approx(ref.nll2, abs=1e-4)
    p0, p1 = profile(lik, 3.0), profile(lik, 3.0, start=ref.thetas, grad=True)
    assert p1.nll2 == pytest.approx(p0.nll2, abs=1e-4)
    np.testing.assert_allclose(p1.thetas, p0.thetas, rtol=1e-2)


def test_a_warm_start_at_a_bound_does_not_stick():
    """A neighbouring mass whose fit ended with a bounded rate at its bound (0) must not pin
    the next profile there: MIGRAD's bounded coordinate has no slope at the bound, so a start
    1e-6 above it ended 'valid' with −2 ln L far above the minimum (Borexino's Kr-85)."""
    from nuem.scan.solve import _Profiles

    bk = [Background("a", 20.0 * _B1, 0.5), Background("b", 5.0 * _B2, 0.1)]
    model = Model([(1, _S)], bk)
    lik = BinnedLikelihood(model, np.round(model.expected(0.0, [0.3, 1.0])))
    cold = profile(lik, 0.5)
    assert cold.thetas[0] > 0.1  # the minimum is well inside the bound
    prof = _Profiles(lik, hints=[FitResult(0.5, np.array([0.0, 1.0]), 0.0, 0)])
    assert prof.at(0.5).nll2 == pytest.approx(cold.nll2, abs=1e-3)
