"""Reactor millicharge limits with the photoabsorption Ge response (docs/reactor.md).

Published references: GEMMA |q| < 2.7e-12 e (arXiv:1411.2279, free electrons, keV data), CONUS
2022 |q| < 3.3e-12 e (recalled, code R), Chen et al. |q| < 1.0e-12 e (arXiv:1405.7168, TEXONO
sub-keV point-contact data with the ab-initio MCRRPA response). Independent of nuem's limit
machinery: a Gaussian ON/OFF chi-square written here (own background profiling, own root
finding) on the same templates. The photoabsorption templates themselves are checked against an
independent quadrature in tests/test_photoabsorption.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

from nuem.experiments import load_card
from nuem.limits.derive import derive_limit
from nuem.limits.quantities import quantity
from nuem.rates import experiment_templates

PA = "photoabsorption"


def _q(name, atomic):
    return derive_limit(load_card(name).with_atomic(atomic), "q_eff", expected=False)


@pytest.fixture(scope="module")
def q_pa():
    return {n: _q(n, PA) for n in ("gemma_2012_er", "conus_2022_er", "conus_plus_2025")}


def test_gemma_and_conus_q_with_photoabsorption_against_published(q_pa):
    """Tolerance 50% (the cards' tolerance, docs/reactor.md). nuem 1.97e-12 (GEMMA, 0.73 of
    2.7e-12) and 2.61e-12 (CONUS 2022, 0.79 of 3.3e-12). The published analyses used free
    electrons; the distant collisions make nuem's limit stronger than stepping's 3.28e-12 and
    4.71e-12, i.e. the published values lie between nuem's two atomic models."""
    for name, pub in (("gemma_2012_er", 2.7e-12), ("conus_2022_er", 3.3e-12)):
        r = q_pa[name]
        assert r.atomic_model == PA
        assert abs(r.value / pub - 1) < 0.5
        step = _q(name, "stepping").value
        assert r.value < pub < step
        assert 1.4 < step / r.value < 2.2  # the q^2 rate is enhanced at the lowest bins


def test_sub_kev_q_with_photoabsorption_against_chen(q_pa):
    """Chen et al.'s 1.0e-12 e came from sub-keV Ge data (300 eV threshold) with MCRRPA. The
    nearest nuem card is CONUS+ (Ge, 0.17 keVee, another data set): with photoabsorption it
    gives 8.0e-13 (0.80 of Chen; stepping 1.72e-12). Tolerance a factor 2: a different
    experiment, and PAI vs MCRRPA for the atomic response. The 12-60 keV TEXONO card cannot
    reach that region with either model (1.2e-11 with photoabsorption)."""
    r = q_pa["conus_plus_2025"]
    assert 0.5 < r.value / 1.0e-12 < 2.0
    assert r.value < 0.6 * _q("conus_plus_2025", "stepping").value
    assert _q("texono_2007_er", PA).value > 5e-12


def _independent_q_limit(name, atomic):
    """|q| bound from a Gaussian ON/OFF chi2: ON bins = background B x flat shape + nuem's SM
    + q S1 + q^2 S2, OFF bins = r B x shape; B profiled analytically; Delta chi2 = 2.706."""
    c = load_card(name).with_atomic(atomic)
    edges = c.bin_edges()
    t = experiment_templates(c, edges)
    (_, s1), (_, s2) = quantity("q_eff").signal(t)
    on = np.asarray(c.raw["data"]["bins"]["observed"], float)
    off = np.asarray(c.raw["data"]["bins"]["observed_off"], float)
    r = c.exposure_off / c.exposure
    shape = np.diff(edges) / np.ptp(edges)

    def chi2(q):
        mu = t.sm + q * s1 + q * q * s2
        a = np.sum(shape**2 / on) + np.sum((r * shape) ** 2 / off)
        big_b = (np.sum(shape * (on - mu) / on) + np.sum(r * shape)) / a
        return np.sum((on - big_b * shape - mu) ** 2 / on) + np.sum(
            (off - r * big_b * shape) ** 2 / off
        )

    m = minimize_scalar(lambda x: chi2(x * 1e-12), bounds=(-5, 5), method="bounded")
    qm, c0 = m.x * 1e-12, m.fun
    f = lambda q: chi2(q) - c0 - 2.706  # noqa: E731
    return max(brentq(f, qm, 1e-10, xtol=1e-18), -brentq(f, -1e-10, qm, xtol=1e-18))


@pytest.mark.parametrize("name", ["gemma_2012_er", "conus_2022_er"])
def test_photoabsorption_q_limit_matches_an_independent_chi2(name, q_pa):
    """nuem's profile-likelihood limit (Poisson, 5% flux nuisance) vs the Gaussian chi2 above:
    5% (measured: 0.3% GEMMA, 0.6% CONUS)."""
    assert q_pa[name].value == pytest.approx(_independent_q_limit(name, PA), rel=0.05)
