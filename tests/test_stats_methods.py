"""Limit-setting methods: asymptotic CLs (against closed forms and pyhf) and the power-constrained
limit."""

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import norm

from nuem.errors import NuemInputError
from nuem.stats import Background, BinnedLikelihood, Model, NormSystematic, upper_limit
from nuem.stats.methods import (
    check_method,
    cls_band_targets,
    cls_upper_limit,
    cls_value,
    limit_by_method,
)


def one_bin(b: float, n: float, s: float = 1.0) -> BinnedLikelihood:
    return BinnedLikelihood(Model([(1, np.array([s]))], [Background("b", np.array([b]))]), [n])


def test_cls_of_a_large_gaussian_bin_is_the_two_sided_quantile():
    """n = b, b → ∞: q̃ = q_A = x²/σ², CLs = 2(1 − Φ(x/σ)) = α ⇒ x_up = σ Φ⁻¹(1 − α/2)."""
    b = 1e6
    up = cls_upper_limit(one_bin(b, b), 0.90)
    assert up.value / np.sqrt(b) == pytest.approx(norm.ppf(0.95), rel=2e-3)
    assert up.convention == "cls" and up.test_statistic == "q_tilde"
    # the plain q-tilde limit is sigma * Phi^-1(0.9): CLs is more conservative
    assert upper_limit(one_bin(b, b), 0.90).value / np.sqrt(b) == pytest.approx(
        norm.ppf(0.90), rel=2e-3
    )


def test_cls_value_branches_join_continuously():
    qa = 4.0
    below, above = cls_value(qa * (1 - 1e-9), qa), cls_value(qa * (1 + 1e-9), qa)
    assert below == pytest.approx(above, rel=1e-6)
    assert cls_value(0.0, 0.0) == 1.0  # no sensitivity: nothing excluded


def test_cls_band_median_targets_match_ccgv():
    """CCGV eq. 89 for CLs: N = 0 gives Φ⁻¹(1 − α/2)."""
    t = cls_band_targets(0.90)
    assert t["median"] == pytest.approx(norm.ppf(0.95))
    assert t["minus2"] < t["minus1"] < t["median"] < t["plus1"] < t["plus2"]


@pytest.mark.filterwarnings("ignore:jsonschema.RefResolver is deprecated:DeprecationWarning")
def test_cls_limit_equals_pyhf_asymptotic_qtilde():
    """The same three-bin model with a constrained background normalisation in pyhf: CLs at
    fixed x from pyhf.infer.hypotest (qtilde, asymptotics) and the 90% CL limit agree."""
    pyhf = pytest.importorskip("pyhf")
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
    s, b, n = np.array([6.0, 4.0, 2.0]), np.array([10.0, 12.0, 15.0]), np.array([11.0, 10.0, 16.0])
    spec = {
        "channels": [{"name": "c", "samples": [
            {"name": "sig", "data": list(s),
             "modifiers": [{"name": "mu", "type": "normfactor", "data": None}]},
            {"name": "bkg", "data": list(b),
             "modifiers": [{"name": "bn", "type": "normsys", "data": {"hi": 1.1, "lo": 1 / 1.1}}]},
        ]}],
        "parameters": [{"name": "mu", "bounds": [[0.0, 20.0]]}],
    }  # fmt: skip
    pm = pyhf.Model(spec, poi_name="mu", modifier_settings={"normsys": {"interpcode": "code1"}})
    data = list(n) + pm.config.auxdata
    lik = BinnedLikelihood(
        Model([(1, s)], [Background("bkg", b)], poi="mu",
              systematics=[NormSystematic("bn", ("bkg",), 0.10, "lognormal")]),
        n,
    )  # fmt: skip

    def cls_pyhf(mu):
        return float(pyhf.infer.hypotest(mu, data, pm, test_stat="qtilde", calctype="asymptotics"))

    ours = cls_upper_limit(lik, 0.90).value
    theirs = brentq(lambda m: cls_pyhf(m) - 0.10, 0.05, 10.0, xtol=1e-8)
    assert ours == pytest.approx(theirs, rel=2e-3)


def test_power_constrained_limit_never_below_minus_one_sigma():
    b = 100.0
    low = limit_by_method(one_bin(b, 80.0), "power-constrained", 0.90)  # a 2 sigma deficit
    plain = upper_limit(one_bin(b, 80.0), 0.90).value
    assert plain < low.band.minus1
    assert low.limit.value == pytest.approx(low.band.minus1)
    assert "power-constrained" in low.note
    high = limit_by_method(one_bin(b, 110.0), "power-constrained", 0.90)
    assert high.limit.value == pytest.approx(upper_limit(one_bin(b, 110.0), 0.90).value)


def test_method_names_are_checked():
    assert check_method("Q_TILDE") == "q-tilde" and check_method("cls") == "cls"
    with pytest.raises(NuemInputError, match="method = 'bayes'"):
        check_method("bayes")
