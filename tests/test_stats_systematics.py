"""Systematics on any sample (signal included): normalisation and shape nuisances in nuem.stats,
cross-checked against pyhf (an independent HistFactory implementation), closed forms and direct
evaluations."""

import numpy as np
import pytest
from scipy.optimize import brentq, minimize
from scipy.special import lambertw

from nuem.errors import NuemInputError
from nuem.stats import (
    Background,
    BinnedLikelihood,
    CombinedLikelihood,
    Model,
    NormSystematic,
    ShapeSystematic,
    Template,
    UnbinnedLikelihood,
    expected_band,
    fit,
    profile,
    toy_q_values,
    upper_limit,
)
from nuem.stats.model import interpolation_coefficients
from nuem.stats.parametric import Channel, Coupling, ParametricLikelihood

QC90 = 1.6423744151498165

NB = 6
S = np.linspace(20.0, 5.0, NB)
S_UP = S * np.linspace(1.10, 0.95, NB)
S_DN = S * np.linspace(0.92, 1.04, NB)
B1 = np.full(NB, 50.0)
B1_UP = B1 * np.linspace(0.90, 1.15, NB)
B1_DN = B1 * np.linspace(1.08, 0.93, NB)
B2 = np.linspace(30.0, 60.0, NB)  # e.g. the SM neutrino background, same flux as the signal
N_OBS = np.array([89.0, 110.0, 106.0, 96.0, 103.0, 116.0])  # stalls code-0 MIGRAD on the kink


def bc(n, nu):
    """Baker-Cousins binned Poisson -2 ln L, written out independently."""
    return 2 * np.sum(nu - n + np.where(n > 0, n * np.log(np.where(n > 0, n, 1) / nu), 0.0))


def lin(alpha, up, nom, dn):
    """HistFactory code 0 for one template (CERN-OPEN-2012-016 eq. 6 / pyhf code0)."""
    return nom + (alpha * (up - nom) if alpha >= 0 else alpha * (nom - dn))


def poly4p(alpha, up, nom, dn):
    """pyhf code4p written out: 6th-order polynomial inside |alpha| <= 1, linear outside."""
    du, dd = up - nom, nom - dn
    if abs(alpha) > 1:
        return lin(alpha, up, nom, dn)
    a2 = alpha * alpha
    return nom + alpha * 0.5 * (du + dd) + a2 * (15 + a2 * (3 * a2 - 10)) * (du - dd) / 16


def model_lognormal():
    return Model(
        [(1, S)],
        [Background("b1", B1, 0.05, "lognormal"), Background("smnu", B2)],
        poi="mu",
        systematics=[
            NormSystematic("flux", ("signal", "smnu"), 0.10, "lognormal"),
            ShapeSystematic("escale", {"signal": [(S_UP, S_DN)], "b1": (B1_UP, B1_DN)}),
        ],
    )


def model_gaussian():
    return Model(
        [(1, S)],
        [Background("b1", B1), Background("smnu", B2)],
        poi="mu",
        signal_sigma=0.15,
        signal_constraint="lognormal",
        systematics=[
            NormSystematic("lumi", ("signal", "b1", "smnu"), 0.04),  # exposure, Gaussian
            ShapeSystematic(
                "escale", {"signal": {1: (S_UP, S_DN)}, "b1": (B1_UP, B1_DN)}, "code4p"
            ),
        ],
    )


# --- pyhf cross-check ------------------------------------------------------------------------


def _pyhf_spec(gaussian: bool):
    """pyhf spec of model_lognormal or model_gaussian: log-normal θ = normsys code1
    (θ = (1+σ)^α); Gaussian θ ~ N(1, σ) = pyhf's ``lumi`` (a multiplicative parameter with a
    Gaussian constraint, one per pyhf model)."""

    def ns(name, s):
        return {"name": name, "type": "normsys", "data": {"hi": 1 + s, "lo": 1 / (1 + s)}}

    def hs(name, up, dn):
        return {
            "name": name,
            "type": "histosys",
            "data": {"hi_data": list(up), "lo_data": list(dn)},
        }

    mu = {"name": "mu", "type": "normfactor", "data": None}
    lumi = {"name": "lumi", "type": "lumi", "data": None}
    params = [{"name": "mu", "bounds": [[0.0, 50.0]]}]
    if gaussian:
        samples = [
            {"name": "signal", "data": list(S), "modifiers": [mu, ns("signal", 0.15), lumi,
                                                               hs("escale", S_UP, S_DN)]},
            {"name": "b1", "data": list(B1), "modifiers": [lumi, hs("escale", B1_UP, B1_DN)]},
            {"name": "smnu", "data": list(B2), "modifiers": [lumi]},
        ]  # fmt: skip
        params.append(
            {"name": "lumi", "auxdata": [1.0], "sigmas": [0.04], "inits": [1.0],
             "bounds": [[0.5, 1.5]]}
        )  # fmt: skip
        codes = {"histosys": {"interpcode": "code4p"}}
    else:
        samples = [
            {"name": "signal", "data": list(S), "modifiers": [mu, ns("flux", 0.10),
                                                               hs("escale", S_UP, S_DN)]},
            {"name": "b1", "data": list(B1), "modifiers": [ns("b1", 0.05),
                                                            hs("escale", B1_UP, B1_DN)]},
            {"name": "smnu", "data": list(B2), "modifiers": [ns("flux", 0.10)]},
        ]  # fmt: skip
        codes = {"normsys": {"interpcode": "code1"}, "histosys": {"interpcode": "code0"}}
    spec = {"channels": [{"name": "ch", "samples": samples}], "parameters": params}
    return spec, codes


@pytest.mark.filterwarnings("ignore:jsonschema.RefResolver is deprecated:DeprecationWarning")
@pytest.mark.parametrize("gaussian", [False, True], ids=["lognormal-code0", "gaussian-code4p"])
def test_pyhf_crosscheck(gaussian):
    """Same model in pyhf: normfactor POI on a linear signal; log-normal θ = normsys code1
    (θ = (1+σ)^α) or Gaussian θ = pyhf's ``lumi``; histosys code0 / code4p on the signal and a
    background; one normalisation shared by several samples (flux: signal + SM-ν background;
    lumi: every sample). pyhf uses the full Poisson and normalised Gaussians, nuem
    the saturated form: differences of −2 ln L agree."""
    pyhf = pytest.importorskip("pyhf")
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
    spec, codes = _pyhf_spec(gaussian)
    pm = pyhf.Model(spec, poi_name="mu", modifier_settings=codes)
    data = list(N_OBS) + pm.config.auxdata
    m = model_gaussian() if gaussian else model_lognormal()
    lik = BinnedLikelihood(m, N_OBS)
    names = [n.name for n in lik.nuisances]
    assert names == (["signal", "lumi", "escale"] if gaussian else ["b1", "flux", "escale"])
    sig = {n.name: n.sigma for n in lik.nuisances}

    def to_alpha(name, t):  # nuem parameter -> pyhf parameter
        return t if name in ("escale", "lumi") else np.log(t) / np.log1p(sig[name])

    def to_theta(name, a):
        return a if name in ("escale", "lumi") else (1 + sig[name]) ** a

    def pyhf_pars(x, th):
        p = np.array(pm.config.suggested_init(), dtype=float)
        p[pm.config.par_slice("mu")] = x
        for name, t in zip(names, th, strict=True):
            p[pm.config.par_slice(name)] = to_alpha(name, t)
        return p

    def nll2_pyhf(x, th):
        return float(-2 * pm.logpdf(pyhf_pars(x, th), data)[0])

    pts = [
        (0.0, m.nominal),
        (1.0, [1.03, 0.95, 0.5]),
        (2.5, [0.97, 1.1, -1.3]),
        (0.4, [1.1, 0.9, 2.2]),
        (1.7, [0.9, 1.02, -0.4]),
    ]
    ref_n, ref_p = lik.nll2(*pts[0]), nll2_pyhf(*pts[0])
    for x, th in pts[1:]:
        assert lik.nll2(x, th) - ref_n == pytest.approx(nll2_pyhf(x, th) - ref_p, rel=1e-10)
    # profiled fits, both minimisers run tight
    best = fit(lik, tol=1e-6)
    pp, tw = pyhf.infer.mle.fit(data, pm, return_fitted_val=True)
    assert best.x == pytest.approx(pp[pm.config.poi_index], rel=1e-4)
    for k, name in enumerate(names):
        assert best.thetas[k] == pytest.approx(to_theta(name, pp[pm.config.par_slice(name)][0]),
                                               abs=1e-4)  # fmt: skip
    for mu in (1.5, 3.0):
        q_nuem = profile(lik, mu, tol=1e-6).nll2 - best.nll2
        _, tw_mu = pyhf.infer.mle.fixed_poi_fit(mu, data, pm, return_fitted_val=True)
        assert q_nuem == pytest.approx(tw_mu - tw, rel=1e-6)
        # default tolerance (what upper_limit uses): q to ~1e-4 (DESIGN of nuem.stats.fit)
        assert profile(lik, mu).nll2 - fit(lik).nll2 == pytest.approx(tw_mu - tw, abs=2e-4)


# --- direct evaluations ----------------------------------------------------------------------


def test_binned_nll2_is_direct_evaluation_with_correlated_flux():
    m = model_lognormal()
    lik = BinnedLikelihood(m, N_OBS)
    for x, (tb, tf, a) in [(0.7, (1.02, 0.93, 0.4)), (2.0, (0.95, 1.1, -0.7)), (0.0, (1, 1, 0))]:
        nu = tf * x * lin(a, S_UP, S, S_DN) + tb * lin(a, B1_UP, B1, B1_DN) + tf * B2
        pen = (np.log(tb) / np.log(1.05)) ** 2 + (np.log(tf) / np.log(1.1)) ** 2 + a * a
        assert lik.nll2(x, [tb, tf, a]) == pytest.approx(bc(N_OBS, nu) + pen, rel=1e-12)
        assert m.signal_factor([tb, tf, a]) == tf
        np.testing.assert_allclose(m.signal_values(x, [tb, tf, a]), tf * x * lin(a, S_UP, S, S_DN))


def test_interpolation_codes():
    up, nom, dn = 1.3, 1.0, 0.8
    a = np.array([-2.0, -1.0, -0.3, 0.0, 0.5, 1.0, 1.7])
    for code4p, ref in ((False, lin), (True, poly4p)):
        cu, cd = interpolation_coefficients(a, np.full(a.size, code4p))
        got = nom + cu * (up - nom) + cd * (nom - dn)
        np.testing.assert_allclose(got, [ref(v, up, nom, dn) for v in a], rtol=1e-14)
    # code4p: C1 at +-1 and slope (d+ + d-)/2 at 0
    h = 1e-6
    for a0 in (-1.0, 1.0):
        cu, cd = interpolation_coefficients(np.array([a0 - h, a0, a0 + h]), np.ones(3, bool))
        f = nom + cu * (up - nom) + cd * (nom - dn)
        assert (f[1] - f[0]) / h == pytest.approx((f[2] - f[1]) / h, rel=1e-4)
    cu, cd = interpolation_coefficients(np.array([-h, h]), np.ones(2, bool))
    f = nom + cu * (up - nom) + cd * (nom - dn)
    assert (f[1] - f[0]) / (2 * h) == pytest.approx(0.5 * (up - dn), rel=1e-6)


def test_unbinned_shape_and_norm_is_direct_evaluation():
    rng = np.random.default_rng(4)
    ev = rng.uniform(0, 10, 60)
    s1, s2, b = np.exp(-0.5 * (ev - 4) ** 2), 0.3 + 0 * ev, 8 * np.exp(-ev / 4) / 4
    tot = {"s1": 2.5, "s2": 3.0, "b": 7.3}
    s2_up, s2_dn = Template(s2 * (1 + 0.05 * ev), 3.6), Template(s2 * (1 - 0.03 * ev), 2.4)
    b_up, b_dn = Template(1.1 * b, 8.0), Template(0.85 * b, 6.2)
    m = Model(
        [(1, Template(s1, tot["s1"])), (2, Template(s2, tot["s2"]))],
        [Background("b", Template(b, tot["b"]), sigma=0.1)],
        poi="g",
        poi_lower=None,
        signal_sigma=0.2,
        signal_constraint="lognormal",
        systematics=[
            ShapeSystematic("res", {"signal": {2: (s2_up, s2_dn)}}, "code4p"),
            NormSystematic("flux", ["signal", "b"], 0.05),
            ShapeSystematic("bshape", {"b": (b_up, b_dn)}),
        ],
    )
    lik = UnbinnedLikelihood(m)
    assert [n.name for n in lik.nuisances] == ["b", "signal", "res", "flux", "bshape"]
    for g, th in [(0.8, [1.05, 0.9, 0.4, 1.02, -0.6]), (-0.3, [0.95, 1.2, -1.5, 0.97, 1.3])]:
        tb, ts, ar, tf, ab = th
        s2a = poly4p(ar, s2_up.values, s2, s2_dn.values)
        s2t = poly4p(ar, 3.6, 3.0, 2.4)
        lam = ts * tf * (g * s1 + g * g * s2a) + tb * tf * lin(ab, b_up.values, b, b_dn.values)
        total = ts * tf * (g * 2.5 + g * g * s2t) + tb * tf * lin(ab, 8.0, 7.3, 6.2)
        pen = ((tb - 1) / 0.1) ** 2 + (np.log(ts) / np.log(1.2)) ** 2 + ar**2
        pen += ((tf - 1) / 0.05) ** 2 + ab**2
        direct = 2 * (total - np.sum(np.log(lam))) + pen
        assert lik.nll2(g, th) == pytest.approx(direct, rel=1e-12)
        assert m.expected_total(g, th) == pytest.approx(total, rel=1e-13)
    assert np.isfinite(fit(lik).nll2)
    # up/down templates of an unbinned model need their own totals
    with pytest.raises(NuemInputError, match="total"):
        UnbinnedLikelihood(
            Model(
                [(1, Template(s1, 2.5))],
                [Background("b", Template(b, 7.3))],
                systematics=[ShapeSystematic("bs", {"b": (1.1 * b, 0.9 * b)})],
            )
        )


def test_code0_kink_profile_is_the_minimum():
    """Independent minimiser (scipy L-BFGS-B on each side of the code-0 kink alpha = 0)."""
    lik = BinnedLikelihood(model_lognormal(), N_OBS)
    for mu in (1.5, 1.7, 3.9):  # plain MIGRAD stalls at alpha = 0, 0.008-0.015 too high
        ours = profile(lik, mu).nll2
        best = np.inf
        for lo, hi in ((0.0, 5.0), (-5.0, 0.0)):
            r = minimize(
                lambda t, mu=mu: lik.nll2(mu, t),
                [1.0, 1.0, 0.5 * (lo + hi) / 5],
                method="L-BFGS-B",
                bounds=[(0.5, 1.5), (0.5, 1.5), (lo, hi)],
                options={"ftol": 1e-14, "gtol": 1e-10},
            )
            best = min(best, r.fun)
        assert ours == pytest.approx(best, abs=2e-5)


# --- signal normalisation: closed forms ------------------------------------------------------


def test_signal_norm_background_free_closed_form():
    """n = 0, no background, ν = θ x, θ ~ N(1, σ): profiling θ gives q(x) = 2x − x²σ², hence
    x_up = (1 − √(1 − q_c σ²))/σ²; log-normal θ = e^{βα}: q = (2u + u²)/β², u = W(xβ²)."""
    lim0 = upper_limit(BinnedLikelihood(Model([(1, [1.0])]), [0])).value
    assert lim0 == pytest.approx(QC90 / 2, rel=1e-4)
    prev = lim0
    for sigma in (0.1, 0.3, 0.6):
        g = upper_limit(BinnedLikelihood(Model([(1, [1.0])], signal_sigma=sigma), [0])).value
        assert g == pytest.approx((1 - np.sqrt(1 - QC90 * sigma**2)) / sigma**2, rel=1e-4)
        ln = upper_limit(
            BinnedLikelihood(
                Model([(1, [1.0])], signal_sigma=sigma, signal_constraint="lognormal"), [0]
            )
        ).value
        beta = np.log1p(sigma)

        def q_ln(x, beta=beta):
            u = lambertw(x * beta * beta).real
            return (2 * u + u * u) / beta**2

        assert ln == pytest.approx(brentq(lambda x: q_ln(x) - QC90, 1e-6, 50), rel=1e-4)
        assert prev < g  # widening, monotone in sigma
        prev = g


def test_signal_norm_asimov_closed_form():
    """Large counts: q_A(x) = a/(1 + aσ²), a = (xs)²/b, so the median limit is
    √(q_c b / (1 − q_c σ²)) / s (and the observed limit on Asimov data equals it)."""
    b, sigma = 1e6, 0.3
    lik = BinnedLikelihood(Model([(1, [1.0])], [Background("b", [b])], signal_sigma=sigma), [b])
    band = expected_band(lik)
    ref = np.sqrt(QC90 * b / (1 - QC90 * sigma**2))
    assert band.median == pytest.approx(ref, rel=3e-3)
    assert upper_limit(lik.asimov(0.0)).value == pytest.approx(band.median, rel=1e-4)
    nominal = expected_band(BinnedLikelihood(Model([(1, [1.0])], [Background("b", [b])]), [b]))
    assert band.median / nominal.median == pytest.approx(1 / np.sqrt(1 - QC90 * sigma**2), 3e-3)


# --- toys, Asimov, combinations, parametric --------------------------------------------------


def test_asimov_and_toy_aux():
    lik = BinnedLikelihood(model_gaussian(), N_OBS)
    a = lik.asimov(1.0)
    np.testing.assert_array_equal(a.aux, [1.0, 1.0, 0.0])
    np.testing.assert_allclose(a.counts, lik.model.expected(1.0, [1.0, 1.0, 0.0]))
    th = np.array([1.1, 0.98, 0.7])
    a2 = lik.asimov(2.0, th)
    np.testing.assert_array_equal(a2.aux, th)  # shape aux at the given (fitted) alpha
    assert fit(a2).x == pytest.approx(2.0, rel=1e-3)
    # toy global observables: log-normal signal norm th*exp(N(0, ln 1.15)), Gaussian lumi
    # N(th, 0.04), shape alpha N(alpha, 1)
    rng = np.random.default_rng(9)
    aux = np.array([lik.sample(rng, 1.0, th).aux for _ in range(3000)])
    z = np.column_stack([np.log(aux[:, 0] / th[0]), aux[:, 1] - th[1], aux[:, 2] - th[2]])
    width = np.array([np.log(1.15), 0.04, 1.0])
    assert np.all(np.abs(z.mean(axis=0)) < 4 * width / np.sqrt(3000))
    np.testing.assert_allclose(z.std(axis=0), width, rtol=0.05)
    q = toy_q_values(lik, 2.0, n_toys=16, seed=3, n_tasks=2)
    assert q.size == 16 and np.all(np.isfinite(q)) and np.all(q >= 0)
    np.testing.assert_array_equal(q, toy_q_values(lik, 2.0, n_toys=16, seed=3, n_tasks=2))


def _exp(k, with_flux=True, sigma=0.1):
    sc = 1.0 + 0.5 * k
    systs = [ShapeSystematic("escale", {"signal": [(sc * S_UP, sc * S_DN)], "b": (B1_UP, B1_DN)})]
    if with_flux:
        systs.append(NormSystematic("flux", "signal", sigma))
    m = Model([(1, sc * S)], [Background("b", B1, sigma=0.05)], poi="mu", systematics=systs)
    return BinnedLikelihood(m, N_OBS - 20 * k)


def test_combination_shares_named_systematics():
    A, B = _exp(0), _exp(1)
    comb = CombinedLikelihood([A, B], labels=["A", "B"])
    assert [n.name for n in comb.nuisances] == ["A.b", "escale", "flux", "B.b"]
    x, th = 1.3, np.array([1.02, 0.4, 0.95, 0.97])
    direct = A.data_nll2(x, th[[0, 1, 2]]) + B.data_nll2(x, th[[3, 1, 2]])
    direct += ((1.02 - 1) / 0.05) ** 2 + ((0.97 - 1) / 0.05) ** 2 + 0.4**2 + ((0.95 - 1) / 0.1) ** 2
    assert comb.nll2(x, th) == pytest.approx(direct, rel=1e-12)
    # = one model holding both data sets with one flux and one escale parameter
    z = 0 * B1
    one = Model(
        [(1, np.concatenate([S, 1.5 * S]))],
        [
            Background("bA", np.concatenate([B1, z]), sigma=0.05),
            Background("bB", np.concatenate([z, B1]), sigma=0.05),
        ],
        poi="mu",
        systematics=[
            ShapeSystematic(
                "escale",
                {
                    "signal": [(np.concatenate([S_UP, 1.5 * S_UP]),
                                np.concatenate([S_DN, 1.5 * S_DN]))],
                    "bA": (np.concatenate([B1_UP, z]), np.concatenate([B1_DN, z])),
                    "bB": (np.concatenate([z, B1_UP]), np.concatenate([z, B1_DN])),
                },
            ),
            NormSystematic("flux", "signal", 0.1),
        ],
    )  # fmt: skip
    one_lik = BinnedLikelihood(one, np.concatenate([N_OBS, N_OBS - 20]))
    assert upper_limit(comb).value == pytest.approx(upper_limit(one_lik).value, rel=1e-4)
    # Asimov / toys of the combination keep one parameter per name
    assert [n.name for n in comb.asimov(0.0).nuisances] == [n.name for n in comb.nuisances]
    toy = comb.sample(np.random.default_rng(1), 1.0, np.array([1.0, 0.0, 1.0, 1.0]))
    assert len(toy.nuisances) == 4
    # a systematic defined differently in two parts is an error; rename it to decorrelate
    with pytest.raises(NuemInputError, match="flux"):
        CombinedLikelihood([A, _exp(1, sigma=0.2)])
    assert len(CombinedLikelihood([A, _exp(1, with_flux=False)]).nuisances) == 4


def test_parametric_channel_uses_signal_norm_and_background_shape():
    m = Model(
        [(1, S)],
        [Background("b1", B1), Background("smnu", B2)],
        poi="mu",
        signal_sigma=0.15,
        systematics=[
            NormSystematic("det", ("b1", "smnu"), 0.04),
            ShapeSystematic("escale", {"b1": (B1_UP, B1_DN)}, "code4p"),
        ],
    )
    base = BinnedLikelihood(m, N_OBS)
    ch = Channel(base, S[None, :])
    th = np.array([1.1, 0.97, -0.6])
    for x in (0.0, 0.8, 2.1):
        assert ch.nll2(np.array([x]), th) == pytest.approx(base.nll2(x, th), rel=1e-12)
    pl = ParametricLikelihood([ch], [Coupling("mu")], lambda p: np.array([p[0]]))
    assert upper_limit(pl.for_poi("mu")).value == pytest.approx(upper_limit(base).value, rel=2e-4)
    # two channels: "det"/"escale" systematics shared by name, the signal norms per channel
    pl2 = ParametricLikelihood([ch, ch], [Coupling("mu")], lambda p: np.array([p[0]]), ["A", "B"])
    assert [n.name for n in pl2.background_nuisances] == ["A.signal", "det", "escale", "B.signal"]
    # the base signal's shape effect cannot be carried over to the channel's components
    with pytest.raises(NuemInputError, match="shape"):
        Channel(BinnedLikelihood(model_lognormal(), N_OBS), S[None, :])


# --- validation and backward compatibility ---------------------------------------------------


def test_validation():
    bk = [Background("b1", B1), Background("smnu", B2)]
    bad = [
        (dict(systematics=[NormSystematic("f", ("signal", "nope"), 0.1)]), "nope"),
        (dict(systematics=[ShapeSystematic("e", {"nope": (B1, B1)})]), "nope"),
        (dict(systematics=[ShapeSystematic("e", {"signal": [(S, S), (S, S)]})]), "2 entries"),
        (dict(systematics=[ShapeSystematic("e", {"signal": {2: (S, S)}})]), "power 2"),
        (dict(systematics=[ShapeSystematic("e", {"b1": (B1[:3], B1)})]), "3 entries"),
        (dict(systematics=[ShapeSystematic("e", {"b1": B1})]), "pair"),
        (dict(systematics=[NormSystematic("f", "signal", None)]), "degenerate"),
        (dict(systematics=[NormSystematic("b1", "smnu", 0.1)], backgrounds=[
            Background("b1", B1, 0.1), Background("smnu", B2)]), "repeat"),
        (dict(signal_sigma=-0.1), "signal_sigma"),
        (dict(signal_constraint="flat"), "signal_constraint"),
        (dict(systematics=["flux"]), "NormSystematic or ShapeSystematic"),
        (dict(systematics=[NormSystematic("f", "signal", 0.1)],
              backgrounds=[Background("signal", B1)]), "ambiguous"),
    ]  # fmt: skip
    for kw, msg in bad:
        kw = {"backgrounds": bk, **kw}
        with pytest.raises(NuemInputError, match=msg):
            Model([(1, S)], **kw)
    with pytest.raises(NuemInputError, match="sigma"):
        NormSystematic("f", "signal", -0.1)
    with pytest.raises(NuemInputError, match="interpolation"):
        ShapeSystematic("e", {"b1": (B1, B1)}, "code2")
    with pytest.raises(NuemInputError, match="effects"):
        ShapeSystematic("e", {})
    with pytest.raises(NuemInputError, match="thetas"):
        model_gaussian().expected(1.0, [1.0, 1.0])
    with pytest.raises(NuemInputError, match="aux"):
        BinnedLikelihood(model_gaussian(), N_OBS, aux=[1.0, 1.0])


def test_models_without_systematics_unchanged():
    m = Model([(1, S)], [Background("b1", B1, 0.1), Background("smnu", B2)])
    assert [n.name for n in m.nuisances] == ["b1"] and m.n_nuisances == 1
    lik = BinnedLikelihood(m, N_OBS)
    np.testing.assert_array_equal(lik.aux, [1.0])
    assert lik.nuisances[0].kind == "local" and not lik.nuisances[0].correlated
    np.testing.assert_allclose(m.expected(2.0, [1.1]), 2.0 * S + 1.1 * B1 + B2, rtol=1e-15)
    # signal_sigma = 0 and fixed (sigma = 0) systematics add no parameter
    m0 = Model(
        [(1, S)],
        [Background("b1", B1, 0.1)],
        signal_sigma=0.0,
        systematics=[NormSystematic("f", "signal", 0.0)],
    )
    assert m0.n_nuisances == 1
    np.testing.assert_allclose(m0.expected(2.0, [1.1]), 2.0 * S + 1.1 * B1, rtol=1e-15)


def test_scalar_weight_path_is_direct_evaluation_code4p_overlapping_norms():
    """The model's scalar weight path (per-component products of overlapping normalisations,
    code4p inside and outside |α| ≤ 1, two signal powers) against the formula written out."""
    m = Model(
        [(1, S), (2, 0.5 * S)],
        [Background("b1", B1, sigma=0.1), Background("b2", B2, sigma=0.2)],
        poi="g",
        poi_lower=None,
        signal_sigma=0.1,
        systematics=(
            NormSystematic("flux", ("signal", "b2"), 0.1),
            ShapeSystematic(
                "resp",
                {"signal": [(S_UP, S_DN), (0.5 * S_UP, 0.5 * S_DN)], "b1": (B1_UP, B1_DN)},
                "code4p",
            ),
        ),
    )
    for x, (t1, t2, ts, tf, a) in [
        (0.7, (1.02, 0.93, 1.05, 0.97, 0.4)),
        (-1.3, (0.9, 1.1, 0.95, 1.08, -1.6)),
        (2.0, (1.0, 1.0, 1.0, 1.0, 1.0)),
    ]:
        s1, s2 = poly4p(a, S_UP, S, S_DN), poly4p(a, 0.5 * S_UP, 0.5 * S, 0.5 * S_DN)
        sig = ts * tf * (x * s1 + x * x * s2)
        nu = sig + t1 * poly4p(a, B1_UP, B1, B1_DN) + t2 * tf * B2
        th = [t1, t2, ts, tf, a]
        np.testing.assert_allclose(m.expected(x, th), nu, rtol=1e-13)
        np.testing.assert_allclose(m.signal_values(x, th), sig, rtol=1e-13)
        assert m.expected_total(x, th) == pytest.approx(nu.sum(), rel=1e-13)
