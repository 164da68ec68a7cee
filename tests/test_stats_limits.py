"""Upper limits, intervals, nuisances, polynomial POI, FitError — against independent anchors."""

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import chi2, norm

from nuem.errors import NuemInputError
from nuem.stats import (
    Background,
    BinnedLikelihood,
    FitError,
    Model,
    Template,
    UnbinnedLikelihood,
    critical_value,
    fit,
    interval,
    upper_limit,
)

QC90 = 1.6423744151498165  # (Phi^-1(0.9))^2, CCGV arXiv:1007.1727 eq. 57 at alpha = 0.1


def counting(b, n, sigma=0.0):
    m = Model([(1, [1.0])], [Background("b", [b], sigma=sigma)])
    return BinnedLikelihood(m, [n])


def analytic_counting_limit(n, b, qc):
    """Closed form of q(s) for one Poisson bin, known b, n >= b: solve independently."""

    def q(s):
        return 2 * (s + b - n - n * np.log((s + b) / n)) - 2 * (0.0)  # s_hat = n - b

    s_hat = n - b
    return brentq(lambda s: q(s) - qc, s_hat, s_hat + 100 * np.sqrt(b) + 100)


def test_critical_values():
    assert critical_value(0.9) == pytest.approx(norm.ppf(0.9) ** 2, rel=1e-12)
    assert critical_value(0.9) == pytest.approx(1.6424, abs=1e-4)
    assert critical_value(0.9, "delta_chi2") == pytest.approx(2.7055, abs=1e-4)
    assert critical_value(0.95) == pytest.approx(1.64485**2, rel=1e-4)
    with pytest.raises(NuemInputError):
        critical_value(0.9, "cls")


@pytest.mark.parametrize("n,b", [(10, 10), (25, 10), (3, 3)])
def test_counting_limit_matches_closed_form(n, b):
    ul = upper_limit(counting(b, n))
    assert ul.value == pytest.approx(analytic_counting_limit(n, b, QC90), rel=1e-4)
    assert ul.test_statistic == "q_tilde"


def test_counting_limit_delta_chi2_convention():
    ul = upper_limit(counting(10, 10), convention="delta_chi2")
    assert ul.critical_value == pytest.approx(chi2.ppf(0.9, 1))
    assert ul.value == pytest.approx(analytic_counting_limit(10, 10, chi2.ppf(0.9, 1)), rel=1e-4)


def test_downward_fluctuation_uses_clipped_mu_hat():
    # n < b: q~ = -2 ln L(s)/L(0) (CCGV eq. 16), independent closed form
    n, b = 4, 10
    ul = upper_limit(counting(b, n))
    ref = brentq(lambda s: 2 * (s - n * np.log((s + b) / b)) - QC90, 1e-9, 100)
    assert ul.value == pytest.approx(ref, rel=1e-4)
    assert ul.x_hat == pytest.approx(0, abs=1e-3)


def test_large_background_gaussian_limit():
    # b >> 1, n = b: s_up -> Phi^-1(0.9) sqrt(b) = 1.2816 sqrt(b)
    b = 1e6
    ul = upper_limit(counting(b, b))
    assert ul.value / np.sqrt(b) == pytest.approx(1.28155, rel=2e-3)


def test_gaussian_limit_multibin_linear_signal():
    # Large counts: the binned Poisson limit equals the chi^2 analytic one,
    # s_up = s_hat + sqrt(qc) / sqrt(sum S^2/b)  (weighted least squares, n = b)
    S = np.array([1.0, 2.0, 3.0, 4.0, 5.0]) * 100
    B = np.array([5.0, 4.0, 3.0, 2.0, 1.0]) * 1e6
    lik = BinnedLikelihood(Model([(1, S)], [Background("b", B)]), B)
    sigma = 1 / np.sqrt(np.sum(S**2 / B))
    ul = upper_limit(lik)
    assert ul.value == pytest.approx(np.sqrt(QC90) * sigma, rel=2e-3)


def test_polynomial_poi_likelihood_is_direct_evaluation():
    rng = np.random.default_rng(1)
    S1 = rng.uniform(-1, 1, 8)
    S2 = rng.uniform(0.5, 2, 8)
    B = rng.uniform(5, 20, 8)
    n = rng.poisson(B).astype(float)
    m = Model([(1, S1), (2, S2)], [Background("b", B, sigma=0.1)], poi="theta", poi_lower=None)
    lik = BinnedLikelihood(m, n)
    for th in (-1.3, 0.0, 0.7, 2.1):
        for tb in (0.9, 1.0, 1.2):
            nu = th * S1 + th**2 * S2 + tb * B
            direct = (
                2 * np.sum(nu - n + np.where(n > 0, n * np.log(n / nu), 0)) + ((tb - 1) / 0.1) ** 2
            )
            assert lik.nll2(th, [tb]) == pytest.approx(direct, rel=1e-12)


def test_unbounded_poi_two_minima_finds_global():
    # S(theta) = theta S1 + theta^2 S2 with data at theta = -2 (interference sign matters)
    S1, S2 = np.array([2.0, 1.0]), np.array([1.0, 1.0])
    B = np.array([100.0, 100.0])
    m = Model([(1, S1), (2, S2)], [Background("b", B)], poi="theta", poi_lower=None)
    truth = -3.0
    n = truth * S1 + truth**2 * S2 + B
    best = fit(BinnedLikelihood(m, n))
    assert best.x == pytest.approx(truth, abs=1e-3)


def test_nan_template_rejected_and_bad_fit_raises():
    with pytest.raises(NuemInputError):
        Model([(1, [np.nan, 1.0])], [Background("b", [1.0, 1.0])])
    lik = BinnedLikelihood(
        Model([(1, [1.0, 2.0])], [Background("b", [5.0, 5.0], sigma=0.3)]), [9, 3]
    )
    with pytest.raises(FitError):
        fit(lik, ncall=1)


def test_nonfinite_likelihood_raises_fiterror():
    class Broken(BinnedLikelihood):
        def data_nll2(self, x, thetas=()):
            return np.nan

    lik = Broken(Model([(1, [1.0])], [Background("b", [5.0])]), [5])
    with pytest.raises(FitError):
        upper_limit(lik)


def test_nuisance_sigma_to_zero_and_weakening():
    fixed = upper_limit(counting(10, 10)).value
    tiny = upper_limit(counting(10, 10, sigma=1e-6)).value
    assert tiny == pytest.approx(fixed, rel=1e-4)
    # n < b: background constrained; a looser constraint lets theta_b drop and the limit weaken
    lims = [upper_limit(counting(10, 8, sigma=s)).value for s in (1e-6, 0.1, 0.3)]
    assert lims[0] < lims[1] < lims[2]


def test_nuisance_gaussian_limit_analytic():
    # large counts: Gaussian constraint adds in quadrature, sigma_s^2 = b + (sigma b)^2
    b, rel = 1e6, 0.001
    ul = upper_limit(counting(b, b, sigma=rel)).value
    assert ul == pytest.approx(np.sqrt(QC90 * (b + (rel * b) ** 2)), rel=3e-3)


def test_lognormal_constraint_small_sigma_matches_gaussian():
    g = upper_limit(
        BinnedLikelihood(Model([(1, [1.0])], [Background("b", [1e4], 0.005)]), [1e4])
    ).value
    ln = upper_limit(
        BinnedLikelihood(Model([(1, [1.0])], [Background("b", [1e4], 0.005, "lognormal")]), [1e4])
    ).value
    assert ln == pytest.approx(g, rel=5e-3)


def test_two_sided_interval_counting():
    # n = 30, b = 5: Delta(-2lnL) = 2.7055 both ends, solved independently
    n, b = 30, 5
    iv = interval(counting(b, n))

    def d(s):
        return 2 * (s + b - n - n * np.log((s + b) / n))

    qc = chi2.ppf(0.9, 1)
    assert iv.upper == pytest.approx(brentq(lambda s: d(s) - qc, n - b, 200), rel=1e-4)
    assert iv.lower == pytest.approx(brentq(lambda s: d(s) - qc, 0, n - b), rel=1e-4)
    assert not iv.lower_at_bound
    iv0 = interval(counting(5, 6))
    assert iv0.lower_at_bound and iv0.lower == 0.0


def test_unbinned_matches_fine_binned():
    # exponential background + gaussian signal on [0, 10]; 400 events; fine bins (2000)
    rng = np.random.default_rng(7)
    lo, hi, nb = 0.0, 10.0, 400.0
    tau = 3.0
    norm_b = 1 - np.exp(-(hi - lo) / tau)
    ev = rng.exponential(tau, 2000)
    ev = ev[ev < hi][: rng.poisson(nb)]

    def fb(x):
        return np.exp(-x / tau) / tau / norm_b

    def fs(x):
        return np.exp(-0.5 * ((x - 4) / 0.5) ** 2) / (0.5 * np.sqrt(2 * np.pi))

    mu = Model(
        [(1, Template(fs(ev), total=1.0))], [Background("b", Template(nb * fb(ev), nb), sigma=0.05)]
    )
    ul_u = upper_limit(UnbinnedLikelihood(mu)).value
    edges = np.linspace(lo, hi, 2001)
    c = 0.5 * (edges[1:] + edges[:-1])
    w = np.diff(edges)
    counts = np.histogram(ev, edges)[0]
    mb = Model([(1, fs(c) * w)], [Background("b", nb * fb(c) * w, sigma=0.05)])
    ul_b = upper_limit(BinnedLikelihood(mb, counts)).value
    assert ul_u == pytest.approx(ul_b, rel=0.01)


def test_unbinned_needs_totals():
    with pytest.raises(NuemInputError):
        UnbinnedLikelihood(Model([(1, [1.0, 2.0])], [Background("b", [1.0, 1.0])]))


def test_input_validation():
    with pytest.raises(NuemInputError):
        Model([(0, [1.0])])
    with pytest.raises(NuemInputError):
        Model([(1, [1.0, 2.0])], [Background("b", [1.0])])
    with pytest.raises(NuemInputError):
        BinnedLikelihood(Model([(1, [1.0])]), [-1])
    with pytest.raises(NuemInputError):
        Background("b", [1.0], sigma=-0.1)
