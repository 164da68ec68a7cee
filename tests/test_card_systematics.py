"""Nuisances named in a dataset card (``systematics:``) on any sample, the signal included.

Checks: the card -> stats mapping (one correlated parameter scaling the signal and nuem's SM
neutrinos), weaker limits with a flux normalisation, the large-count Asimov median against the
closed form √(q_c b / (1 − q_c σ²)) of docs/stats.md and against an independent numeric profile
(log-normal), shape systematics on a background in the binned and the unbinned likelihood
(fitted α against scipy on the exact Poisson likelihood; up/down templates against a direct
construction), validation messages naming the field, and the global fit on a solar card.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy import optimize
from scipy.stats import norm

from nuem import units as u
from nuem.experiments import CardError, load_card
from nuem.limits.build import SM_NU, card_likelihood
from nuem.limits.derive import derive_limit
from nuem.stats import (
    Background,
    Model,
    NormSystematic,
    ShapeSystematic,
    Template,
    UnbinnedLikelihood,
    expected_band,
    fit,
    profile,
)
from nuem.stats.combine import CombinedLikelihood

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cards"
Q_C = norm.ppf(0.9) ** 2  # 1.6424: the 90% CL q̃ critical value

FLUX = {
    "name": "nu_flux",
    "kind": "normalisation",
    "samples": ["signal", "sm_nu"],
    "sigma_rel": 0.10,
    "source": "test: a 10% neutrino-flux normalisation",
}


def _raw(example: str) -> dict:
    return yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text())


def _write(tmp_path: Path, raw: dict, name: str) -> Path:
    raw = copy.deepcopy(raw)
    raw["name"] = name
    out = tmp_path / f"{name}.yaml"
    out.write_text(yaml.safe_dump(raw, sort_keys=False))
    return out


def _csv(tmp_path: Path, fname: str, columns: list[str], rows: np.ndarray) -> dict:
    text = ",".join(columns) + "\n" + "\n".join(",".join(repr(float(v)) for v in r) for r in rows)
    (tmp_path / fname).write_text(text + "\n")
    digest = hashlib.sha256((tmp_path / fname).read_bytes()).hexdigest()
    return {"file": fname, "sha256": digest, "columns": columns}


def _reactor(systematics=None, **bins) -> dict:
    """The toy reactor Ge card, optionally with other systematics and data bins."""
    raw = _raw("toy_reactor_ge_er")
    raw.pop("systematics", None)
    raw.pop("exposure_off", None)  # ON only: these tests are about the systematics
    raw["data"]["bins"].pop("observed_off", None)
    if systematics:
        raw["systematics"] = systematics
    if bins:
        raw["data"]["bins"] = {**raw["data"]["bins"], **bins}
    return raw


# ---- mapping and the key use case -----------------------------------------------------------
def test_flux_normalisation_is_one_parameter_on_signal_and_sm_nu(tmp_path):
    card = load_card(_write(tmp_path, _reactor([FLUX]), "flux_map"))
    lik = card_likelihood(card, "mu_e")
    m = lik.model
    assert [(n.name, n.kind) for n in m.nuisances] == [("flat", "local"), ("nu_flux", "norm")]
    assert m.nuisances[1].sigma == 0.10 and m.nuisances[1].constraint == "gaussian"
    (sys,) = m.systematics
    assert isinstance(sys, NormSystematic) and sys.samples == ("signal", SM_NU)
    # nu(x, theta_flat, theta_flux) = theta_flat B + theta_flux (sm + x S)
    names = [b.name for b in m.backgrounds]
    B, sm = (m.backgrounds[names.index(k)].template.values for k in ("flat", SM_NU))
    S = m.signal[0][1].values
    x = 3.0 / S.sum()
    np.testing.assert_allclose(m.expected(x, [1.3, 1.1]), 1.3 * B + 1.1 * (sm + x * S), rtol=1e-14)
    assert m.signal_factor([1.3, 1.1]) == pytest.approx(1.1)


def test_flux_normalisation_weakens_the_expected_limit(tmp_path):
    """10% Gaussian flux on [signal, sm_nu] of the argon pi-DAR toy (sm_nu ≈ 192 counts):
    the expected (and observed) nuem-limits result is weaker than without it."""
    raw = _raw("toy_argon_pidar_nr")
    raw.pop("systematics")
    base = derive_limit(load_card(_write(tmp_path, raw, "argon_nosys")), "mu_mu")
    raw["systematics"] = [dict(FLUX, constraint="lognormal")]
    flux = derive_limit(load_card(_write(tmp_path, raw, "argon_flux")), "mu_mu")
    # numbers at the time of writing: expected 1.29e-9 -> 1.57e-9 mu_B
    assert flux.expected["median"] > 1.15 * base.expected["median"]
    assert flux.value > base.value


def test_same_named_card_systematics_are_one_parameter_in_a_combination(tmp_path):
    raw = _reactor([FLUX])
    a = card_likelihood(load_card(_write(tmp_path, raw, "ge_a")), "mu_e")
    b = card_likelihood(load_card(_write(tmp_path, raw, "ge_b")), "mu_e")
    names = [n.name for n in CombinedLikelihood([a, b], ["ge_a", "ge_b"]).nuisances]
    assert names == ["ge_a.flat", "nu_flux", "ge_b.flat"]


# ---- closed forms ---------------------------------------------------------------------------
def _one_bin_card(tmp_path, name, b, signal_syst=None):
    """One bin 2.5-50 keV, a fixed known background of b counts (holding the SM neutrinos)."""
    raw = _reactor(edges=[2.5, 50.0], observed=[b])
    raw["data"]["bins"]["integer_counts"] = False
    raw["backgrounds"]["includes_sm_solar_nu"] = True
    comp = raw["backgrounds"]["components"][0]
    comp["includes_sm_solar_nu"] = True
    comp["shape"].update(values=[b], quantity="counts")
    comp["uncertainty"] = {"type": "fixed"}
    if signal_syst:
        raw["systematics"] = [
            {
                "name": "sig_norm",
                "kind": "normalisation",
                "samples": ["signal"],
                **signal_syst,
                "source": "test",
            }
        ]
    return card_likelihood(load_card(_write(tmp_path, raw, name)), "mu_e")


@pytest.mark.parametrize("sigma", [0.0, 0.3])
def test_asimov_median_matches_closed_form(tmp_path, sigma):
    """b = 1e8 known background, Gaussian signal normalisation σ: q_A(s) = s²/(b + σ²s²)
    (profiling θ), so the median limit is s = √(q_c b/(1 − q_c σ²)) signal counts (docs/stats.md;
    the Poisson corrections are O(s/b) ~ 1e-4). Agreement at writing: 8e-4 (σ = 0: the default
    MIGRAD tolerance leaves the Asimov global fit at ŝ ≈ 500 counts, −2 ln L 0.0025 above the
    minimum at s = 0) and 4e-5 (σ = 0.3)."""
    b = 1.0e8
    syst = {"sigma_rel": sigma} if sigma else None
    lik = _one_bin_card(tmp_path, f"one_bin_{int(sigma * 10)}", b, syst)
    S = lik.model.signal[0][1].integral
    s_med = expected_band(lik).median * S
    assert s_med == pytest.approx(np.sqrt(Q_C * b / (1 - Q_C * sigma**2)), rel=2e-3)
    if sigma:  # 8.3% weaker than sqrt(q_c b) at sigma = 0.3
        assert s_med / np.sqrt(Q_C * b) == pytest.approx(1.0833, rel=1e-3)


def test_asimov_median_lognormal_matches_numeric_profile(tmp_path):
    """Log-normal σ = 0.3 on the signal, b = 1e4: an independent profile with scipy of the
    exact Poisson Asimov −2 ln L, 2[sθ − b ln(1 + sθ/b)] + (ln θ / ln 1.3)²."""
    b, sigma = 1.0e4, 0.3
    lik = _one_bin_card(tmp_path, "one_bin_ln", b, {"sigma_rel": sigma, "constraint": "lognormal"})
    S = lik.model.signal[0][1].integral

    def q(s):
        def f(y):  # theta = exp(y)
            nu = b + s * np.exp(y)
            return 2 * (nu - b - b * np.log(nu / b)) + (y / np.log1p(sigma)) ** 2

        return optimize.minimize_scalar(
            f, bounds=(-3, 1), method="bounded", options={"xatol": 1e-12}
        ).fun

    s_ref = optimize.brentq(lambda s: q(s) - Q_C, 1.0, 100 * np.sqrt(b), xtol=1e-10)
    assert expected_band(lik).median * S == pytest.approx(s_ref, rel=1e-3)
    assert s_ref > 1.05 * np.sqrt(Q_C * b)  # the systematic matters


# ---- shapes ---------------------------------------------------------------------------------
TILT = {
    "name": "tilt",
    "kind": "shape",
    "samples": ["flat"],
    "effects": {"flat": {"up": [1100.0, 900.0], "down": [950.0, 1050.0]}},
    "source": "test: an energy tilt of the background",
}


def _two_bin(tmp_path, name, systematics, observed=(1060, 940)):
    raw = _reactor(systematics, edges=[2.5, 20.0, 50.0], observed=list(observed))
    comp = raw["backgrounds"]["components"][0]
    comp["shape"].update(edges=[2.5, 20.0, 50.0], values=[1000.0, 1000.0], quantity="counts")
    comp["uncertainty"] = {"type": "fixed"}
    return card_likelihood(load_card(_write(tmp_path, raw, name)), "mu_e")


@pytest.mark.parametrize("interp", ["code0", "code4p"])
def test_shape_systematic_on_a_background_moves_the_fit(tmp_path, interp):
    """Data tilted towards the +1σ shape: the profiled α at x = 0 equals a scipy fit of the exact
    Poisson likelihood (≈ 0.57 in the Gaussian approximation); the tilt absorbs part of the low-
    energy excess the signal would otherwise take."""
    n = np.array([1060.0, 940.0])
    lik = _two_bin(tmp_path, f"tilt_{interp}", [dict(TILT, interpolation=interp)])
    (sh,) = lik.model.systematics
    assert isinstance(sh, ShapeSystematic) and sh.interpolation == interp
    b0 = np.array([1000.0, 1000.0])
    sm = lik.model.backgrounds[1].template.values  # nuem's sm_nu (fixed)
    dp, dm = np.array([100.0, -100.0]), np.array([50.0, -50.0])

    def nll2(a):
        if interp == "code0":
            d = a * (dp if a >= 0 else dm)
        else:
            s_, a_ = (dp + dm) / 2, (dp - dm) / 16
            d = a * s_ + a**2 * (15 - 10 * a**2 + 3 * a**4) * a_ if abs(a) <= 1 else a * dp
        nu = b0 + d + sm
        return 2 * np.sum(nu - n + n * np.log(n / nu)) + a**2

    ref = optimize.minimize_scalar(nll2, bounds=(-3, 3), method="bounded", options={"xatol": 1e-10})
    prof = profile(lik, 0.0)
    assert prof.thetas[0] == pytest.approx(ref.x, abs=2e-3)
    assert prof.nll2 == pytest.approx(ref.fun, abs=1e-5)
    assert 0.4 < ref.x < 0.8
    no_shape = fit(_two_bin(tmp_path, f"notilt_{interp}", None))
    assert fit(lik).x < 0.8 * no_shape.x


def test_shape_systematic_unbinned_uses_the_backgrounds_own_cdf(tmp_path):
    """Event-list card, histogram background and its ±1σ shapes from a table: the unbinned
    model at α = ±1 is the model whose background is the up/down shape (densities at the events,
    integrals over the window), and the binned twin integrates the same shapes over its bins."""
    raw = _reactor(None)
    raw["exposure"] = 300.0
    rng = np.random.default_rng(1)
    ev = np.sort(rng.uniform(2.6, 49.9, 80))
    raw["data"] = {
        "type": "events",
        "energy_scale": "reconstructed",
        "events": {
            "table": _csv(tmp_path, "ev_events.csv", ["energy_keV"], ev[:, None]),
            "n_events": int(ev.size),
        },
        "default_binning": "2.5:50:9.5",
    }
    e = np.linspace(2.0, 52.0, 11)
    nom = np.full(10, 3.0e3)  # rate density per (t yr keV): ~0.1 count/keV at 300 kg day
    up, dn = nom * np.linspace(1.3, 0.7, 10), nom * np.linspace(0.8, 1.2, 10)
    comp = raw["backgrounds"]["components"][0]
    comp["shape"] = {
        "kind": "histogram",
        "table": _csv(
            tmp_path,
            "ev_b.csv",
            ["e_low", "e_high", "density"],
            np.column_stack([e[:-1], e[1:], nom]),
        ),
        "quantity": "rate_density",
        "space": "reconstructed",
        "smeared": True,
        "efficiency_applied": True,
    }
    comp["uncertainty"] = {"type": "gaussian", "sigma_rel": 0.2}
    cols = ["e_low", "e_high", "up", "down"]
    raw["systematics"] = [
        {
            "name": "bshape",
            "kind": "shape",
            "samples": ["flat"],
            "interpolation": "code4p",
            "effects": {
                "flat": {
                    "table": _csv(
                        tmp_path, "ev_b_var.csv", cols, np.column_stack([e[:-1], e[1:], up, dn])
                    )
                }
            },
            "source": "test",
        },
        dict(FLUX, sigma_rel=0.05),
    ]
    card = load_card(_write(tmp_path, raw, "ev_card"))
    lik = card_likelihood(card, "mu_e")
    assert isinstance(lik, UnbinnedLikelihood)
    m = lik.model
    assert [n.name for n in m.nuisances] == ["flat", "bshape", "nu_flux"]
    nominal = card.background("flat")
    pair = card.systematics[0].variations["flat"]
    for alpha, comp_v in ((1.0, pair[0]), (-1.0, pair[1])):
        varied = Template(comp_v.density(card.events()), comp_v.expectation(card.window)[0])
        direct = Model(
            signal=m.signal,
            backgrounds=[Background("flat", varied, 0.2), m.backgrounds[1]],
            poi=m.poi,
            systematics=[NormSystematic("nu_flux", ("signal", SM_NU), 0.05)],
        )
        x = 0.5 / m.signal[0][1].integral
        th = [1.1, alpha, 0.97]
        np.testing.assert_allclose(m.expected(x, th), direct.expected(x, [1.1, 0.97]), rtol=1e-12)
        assert m.expected_total(x, th) == pytest.approx(
            direct.expected_total(x, [1.1, 0.97]), rel=1e-12
        )
    assert m.backgrounds[0].template.integral == pytest.approx(
        float(nominal.expectation(card.window)[0]), rel=1e-12
    )
    # the shape moved: +1σ has 30% more density in the lowest table bin
    e3 = np.array([3.0]) * u.keV
    assert pair[0].density(e3)[0] == pytest.approx(1.3 * nominal.density(e3)[0], rel=1e-12)
    twin = card_likelihood(card, "mu_e", binned=True)
    edges = card.bin_edges()
    (ts,) = [s for s in twin.model.systematics if isinstance(s, ShapeSystematic)]
    np.testing.assert_allclose(ts.effects["flat"][0], pair[0].expectation(edges))
    np.testing.assert_allclose(ts.effects["flat"][1], pair[1].expectation(edges))
    lim = derive_limit(card, "mu_e")
    assert lim.value > 0 and lim.expected["median"] > 0


# ---- validation -------------------------------------------------------------------------------
def _norm(**kw):
    return {**FLUX, **kw}


@pytest.mark.parametrize(
    ("systematics", "message"),
    [
        (
            [_norm(samples=["signal", "bogus"])],
            "systematics[0].samples[1]: unknown sample 'bogus'; allowed: signal, sm_nu, flat",
        ),
        ([_norm(), _norm(samples=["flat"])], "systematics[1].name: duplicate systematic name"),
        ([_norm(name="flat")], "systematics[0].name: 'flat' is also the name of a background"),
        ([_norm(name="sm_nu")], "systematics[0].name: 'sm_nu' is a sample name"),
        (
            [dict(TILT, samples=["signal", "flat"])],
            "systematics[0].samples[0]: a shape systematic on 'signal' (a template nuem computes) "
            "needs response_up/response_down",
        ),
        (
            [dict(TILT, samples=["sm_nu"], effects={"sm_nu": {"up": [1], "down": [1]}})],
            "needs response_up/response_down: the response blocks at +-1 sigma",
        ),
        (
            [dict(TILT, effects={"flat": {"up": [1.0, 2.0, 3.0], "down": [1.0]}})],
            "systematics[0].effects.flat.up: 3 values; background 'flat' has 1 (values)",
        ),
        (
            [dict(TILT, effects={"other": {"up": [1.0], "down": [1.0]}})],
            "systematics[0].effects: no up/down shapes for sample 'flat'",
        ),
        ([dict(TILT, sigma_rel=0.1)], "systematics[0].sigma_rel: only for kind 'normalisation'"),
        ([_norm(interpolation="code0")], "systematics[0].interpolation: only for kind 'shape'"),
        (
            [{k: v for k, v in FLUX.items() if k != "sigma_rel"}],
            "systematics[0].sigma_rel: missing required field",
        ),
        (
            [{k: v for k, v in FLUX.items() if k != "source"}],
            "systematics[0].source: missing required field",
        ),
        ([_norm(sigma_rel=0.0)], "systematics[0].sigma_rel: 0.0 must be > 0"),
        ([_norm(name="bad name")], "systematics[0].name: 'bad name' does not match"),
        ([_norm(constraint="flat")], "systematics[0].constraint: 'flat' is not one of"),
        ([dict(TILT, effects={"flat": {"up": [1.0]}})], "systematics[0].effects.flat"),
    ],
)
def test_validation_names_the_field(tmp_path, systematics, message):
    with pytest.raises(CardError) as exc:
        load_card(_write(tmp_path, _reactor(systematics), "bad_syst"))
    assert message in str(exc.value)
    assert str(exc.value).startswith("bad_syst.yaml: ")


def test_sm_nu_needs_includes_sm_solar_nu_false_and_in_likelihood(tmp_path):
    raw = _reactor([_norm(samples=["signal", "sm_nu", "info"])])
    raw["backgrounds"]["includes_sm_solar_nu"] = True
    raw["backgrounds"]["components"][0]["includes_sm_solar_nu"] = True
    info = copy.deepcopy(raw["backgrounds"]["components"][0])
    info.update(name="info", in_likelihood=False, includes_sm_solar_nu=False)
    raw["backgrounds"]["components"].append(info)
    with pytest.raises(CardError) as exc:
        load_card(_write(tmp_path, raw, "no_sm_nu"))
    msg = str(exc.value)
    assert "systematics[0].samples[1]: 'sm_nu' (nuem's SM neutrino component) is not in" in msg
    assert "includes_sm_solar_nu is true" in msg
    assert "systematics[0].samples[2]: background 'info' is not in the likelihood" in msg


def test_cards_without_systematics_build_the_same_model(tmp_path):
    raw = _reactor(None)
    raw["backgrounds"]["sm_neutrino_uncertainty"] = {"type": "gaussian", "sigma_rel": 0.05}
    card = load_card(_write(tmp_path, raw, "plain"))
    assert card.systematics == ()
    m = card_likelihood(card, "mu_e").model
    assert m.systematics == () and [n.name for n in m.nuisances] == ["flat", "sm_nu"]
    assert [n.kind for n in m.nuisances] == ["local", "local"]


# ---- global fit -------------------------------------------------------------------------------
def test_global_fit_with_a_signal_flux_normalisation(tmp_path):
    """A solar card with a 10% flux normalisation on [signal, sm_nu]: the one-coupling texture
    fit (parametric.Channel scales Σ_k a_k S_k by the signal normalisation) reproduces
    `nuem limits`, and both are weaker than without the systematic."""
    from nuem.limits.global_fit import fit_texture
    from nuem.limits.texture import texture_from_dict

    mu = {"nature": "dirac", "basis": "mass", "matrix": [["mu", 0, 0], [0, "mu", 0], [0, 0, "mu"]]}
    raw = _raw("toy_solar_xenon_projection")
    raw["target"]["atomic"] = "free"  # fast templates; the statistics are what is tested
    raw["exposure"] = 1.0
    raw["data"]["bins"] = {
        "edges": [1, 5, 10, 30],
        "observed": [14, 17, 65],
        "integer_counts": True,
    }
    out = {}
    for label, systs in (("none", None), ("flux", [FLUX])):
        if systs:
            raw["systematics"] = systs
        card = load_card(_write(tmp_path, raw, f"solar_{label}"))
        res = fit_texture(texture_from_dict(mu, "test"), [card])
        (lim,) = res.limits
        ref = derive_limit(card, "mu_eff", expected=False)
        assert lim.result.value == pytest.approx(ref.value, rel=2e-4)
        out[label] = ref.value
    assert out["flux"] > 1.05 * out["none"]  # 4.94e-12 -> 5.37e-12 mu_B at writing


def test_response_variation_shape_on_signal_and_sm_nu(tmp_path):
    """A quenching +-1 sigma on the computed samples: at alpha = +1 the model is the card's
    backgrounds plus nuem's templates recomputed with the +1 sigma response."""
    from nuem.rates import experiment_templates

    raw = _raw("toy_argon_pidar_nr")
    up = {"quenching": {"model": "lindhard", "k": 0.17, "source": "test +1 sigma"}}
    dn = {"quenching": {"model": "lindhard", "k": 0.13, "source": "test -1 sigma"}}
    raw["systematics"] = [{
        "name": "quenching_k", "kind": "shape", "samples": ["signal", "sm_nu"],
        "response_up": up, "response_down": dn, "source": "test",
    }]  # fmt: skip
    card = load_card(_write(tmp_path, raw, "toy_argon_pidar_nr"))
    lik = card_likelihood(card, "mu_mu")
    m = lik.model
    assert [n.name for n in m.nuisances] == ["steady_state", "quenching_k"]
    from nuem.theory import Hypothesis

    t_up = experiment_templates(card.with_response(up))
    w = Hypothesis.flavour_moment("mu", u.mu_B).magnetic_weights(t_up.state_labels, t_up.pmns)
    S_up = t_up.magnetic_template(w)
    names = [b.name for b in m.backgrounds]
    B = m.backgrounds[names.index("steady_state")].template.values
    x = 1e-19
    got = m.expected(x, [1.0, 1.0])
    np.testing.assert_allclose(got, B + t_up.sm + x * S_up, rtol=1e-10)
    # alpha = 0 is the nominal card
    nominal = card_likelihood(load_card(EXAMPLES / "toy_argon_pidar_nr.yaml"), "mu_mu")
    assert np.all(np.isfinite(m.expected(x, [1.0, 0.0])))
    assert nominal.model.size == m.size


def test_response_variation_needs_both_blocks(tmp_path):
    raw = _raw("toy_argon_pidar_nr")
    raw["systematics"] = [{
        "name": "q", "kind": "shape", "samples": ["signal"], "source": "test",
        "response_up": {"quenching": {"model": "lindhard", "k": 0.17, "source": "x"}},
    }]  # fmt: skip
    with pytest.raises(CardError, match=r"systematics\[0\]"):
        load_card(_write(tmp_path, raw, "toy_argon_pidar_nr"))


def test_efficiency_variation_scales_the_computed_samples(tmp_path):
    """An efficiency 0.8 -> 0.88 / 0.72 (flat, on the reconstructed energy) moves signal and sm_nu
    by exactly +-10% at alpha = +-1."""
    raw = _raw("toy_argon_pidar_nr")
    raw["systematics"] = [{
        "name": "eff", "kind": "shape", "samples": ["signal", "sm_nu"], "source": "test",
        "response_up": {"efficiency": {"applies_to": "reconstructed", "constant": 0.88,
                                       "source": "x"}},
        "response_down": {"efficiency": {"applies_to": "reconstructed", "constant": 0.72,
                                         "source": "x"}},
    }]  # fmt: skip
    card = load_card(_write(tmp_path, raw, "toy_argon_pidar_nr"))
    m = card_likelihood(card, "mu_mu").model
    names = [b.name for b in m.backgrounds]
    B = m.backgrounds[names.index("steady_state")].template.values
    sm = m.backgrounds[names.index(SM_NU)].template.values
    S = m.signal[0][1].values
    x = 2e-19
    for alpha, f in ((1.0, 1.1), (-1.0, 0.9), (0.5, 1.05)):
        np.testing.assert_allclose(m.expected(x, [1.0, alpha]), B + f * (sm + x * S), rtol=1e-10)
