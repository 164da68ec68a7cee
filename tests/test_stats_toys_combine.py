"""Asimov bands vs toys, asymptotic vs toy critical values, executors, combinations."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from nuem.stats import (
    Background,
    BinnedLikelihood,
    CombinedLikelihood,
    Model,
    expected_band,
    toy_q_values,
    toy_upper_limits,
    upper_limit,
)
from nuem.stats.toys import quantile_interval

QC90 = 1.6423744151498165

# low-count multi-bin model (total b = 12) with a signal shape varying over bins so that the toy
# statistic is quasi-continuous; no nuisance so the conditional profile is a direct evaluation
S = np.array([0.5, 1.0, 2.0, 3.0, 2.0, 1.0, 0.5])
B = np.array([3.0, 2.5, 2.0, 1.5, 1.2, 1.0, 0.8])
MODEL = Model([(1, S)], [Background("b", B)])


def test_asimov_band_analytic_gaussian_case():
    # large counts: sigma is constant, band = sigma (Z + N) for N >= 0 and sigma(N + sqrt(N^2+Z^2))
    # for N < 0 (q~ with mu_hat clipped; CCGV eqs. 62, 89). sigma from weighted least squares.
    Sg = S * 100
    Bg = B * 1e6
    lik = BinnedLikelihood(Model([(1, Sg)], [Background("b", Bg)]), Bg)
    sig = 1 / np.sqrt(np.sum(Sg**2 / Bg))
    z = np.sqrt(QC90)
    band = expected_band(lik)
    assert band.median == pytest.approx(z * sig, rel=2e-3)
    assert band.plus1 == pytest.approx((z + 1) * sig, rel=2e-3)
    assert band.plus2 == pytest.approx((z + 2) * sig, rel=2e-3)
    assert band.minus1 == pytest.approx((-1 + np.sqrt(1 + z * z)) * sig, rel=2e-3)
    assert band.minus2 == pytest.approx((-2 + np.sqrt(4 + z * z)) * sig, rel=2e-3)
    # and the observed limit on the Asimov data equals the median (definition)
    assert upper_limit(lik.asimov(0.0)).value == pytest.approx(band.median, rel=1e-4)


def test_asimov_median_matches_toy_median():
    lik = BinnedLikelihood(MODEL, B)
    band = expected_band(lik)
    lims = toy_upper_limits(lik, n_toys=400, seed=11)
    lo, hi = quantile_interval(lims, 0.5, z=3.0)
    assert lo <= band.median <= hi
    lo, hi = quantile_interval(lims, 0.84, z=3.0)
    assert lo <= band.plus1 <= hi * 1.05  # plus1 also within toy stat. error (5% discreteness)


def test_asymptotic_critical_value_matches_toys_low_count():
    # toys at the asymptotic 90% CL limit: the 90% quantile of q~ must be ~ (Phi^-1(0.9))^2
    rng = np.random.default_rng(3)
    n = rng.poisson(B)
    lik = BinnedLikelihood(MODEL, n)
    x_up = upper_limit(lik).value
    q = toy_q_values(lik, x_up, n_toys=500, seed=5)
    lo, hi = quantile_interval(q, 0.9, z=3.0)
    assert lo <= QC90 <= hi
    # the p-value of the observed q at the limit is 0.10 within 3 binomial sigma
    p = np.mean(q >= QC90)
    assert abs(p - 0.10) < 3 * np.sqrt(0.09 / q.size) + 0.01


def test_toys_reproducible_and_executor_independent():
    lik = BinnedLikelihood(Model([(1, S)], [Background("b", B, sigma=0.2)]), B)
    a = toy_q_values(lik, 2.0, n_toys=24, seed=42, n_tasks=4)
    b = toy_q_values(lik, 2.0, n_toys=24, seed=42, n_tasks=4)
    with ThreadPoolExecutor(2) as ex:
        c = toy_q_values(lik, 2.0, n_toys=24, seed=42, n_tasks=4, executor=ex)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert np.all(a >= 0)


def test_combination_equals_doubled_exposure():
    Sx = S * 3
    part = BinnedLikelihood(Model([(1, Sx)], [Background("b", B * 3, sigma=0.1)]), B * 3 + 1)
    comb = CombinedLikelihood([part, part], labels=["A", "B"])
    double = BinnedLikelihood(
        Model(
            [(1, np.concatenate([Sx, Sx]))],
            [
                Background("bA", np.concatenate([B * 3, 0 * B]), sigma=0.1),
                Background("bB", np.concatenate([0 * B, B * 3]), sigma=0.1),
            ],
        ),
        np.concatenate([B * 3 + 1, B * 3 + 1]),
    )
    assert upper_limit(comb).value == pytest.approx(upper_limit(double).value, rel=1e-4)
    # two identical experiments, fixed background = one with templates x 2 (Poisson additivity
    # holds only for summed counts with a shared background normalisation)
    p1 = BinnedLikelihood(Model([(1, Sx)], [Background("b", B * 3)]), B * 3)
    one2 = BinnedLikelihood(Model([(1, 2 * Sx)], [Background("b", 2 * B * 3)]), 2 * B * 3)
    assert upper_limit(CombinedLikelihood([p1, p1])).value == pytest.approx(
        upper_limit(one2).value, rel=1e-4
    )
    # shared nuisance: one parameter, one constraint
    shared = CombinedLikelihood([part, part], shared=["b"])
    assert [n.name for n in shared.nuisances] == ["b"]
    x, th = 0.7, [1.05]
    d_shared = shared.nll2(x, th) - shared.nll2(0.2, [0.97])
    n1 = B * 3 + 1
    nu1 = x * Sx + 1.05 * B * 3
    nu0 = 0.2 * Sx + 0.97 * B * 3
    direct = 2 * 2 * np.sum(nu1 - nu0 - n1 * np.log(nu1 / nu0)) + ((0.05**2 - 0.03**2) / 0.01)
    assert d_shared == pytest.approx(direct, rel=1e-10)
