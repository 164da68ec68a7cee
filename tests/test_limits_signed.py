"""Allowed regions of signed couplings (millicharge, charge radius): two-island regions checked
against the closed-form one-bin solution."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from nuem.errors import NuemInputError
from nuem.stats import Background, BinnedLikelihood, FitError, Model
from nuem.stats.scan import allowed_region

B, S1, S2 = 100.0, -40.0, 10.0  # signal x S1 + x^2 S2 vanishes at x = 0 and x_m = 4


def _lik():
    m = Model(
        signal=[(1, [S1]), (2, [S2])],
        backgrounds=[Background("b", [B], 0.0)],
        poi="x",
        poi_lower=None,
    )
    return BinnedLikelihood(m, [B])


def _closed_form(qc=2.705543454095404):
    """Asimov n = B: Δχ² = 2[ν − B − B ln(ν/B)] = qc gives ν± ; then x from B + xS1 + x²S2 = ν."""

    def f(nu):
        return 2 * (nu - B - B * np.log(nu / B)) - qc

    nus = [brentq(f, 1e-9, B), brentq(f, B, 10 * B)]
    xs = []
    for nu in nus:
        xs.extend(np.roots([S2, S1, B - nu]).real.tolist())
    return sorted(xs), nus


def test_two_islands_match_closed_form():
    reg = allowed_region(_lik(), np.linspace(-4, 8, 61))
    xs, nus = _closed_form()
    # ν_minus = B - δ: x² S2 + x S1 = -δ has two roots inside (0, 4): they split the region
    assert len(reg.intervals) == 2
    edges = [e for iv in reg.intervals for e in iv]
    np.testing.assert_allclose(edges, xs, rtol=1e-5, atol=1e-6)
    assert reg.abs_bound == pytest.approx(max(abs(xs[0]), abs(xs[-1])), rel=1e-6)
    assert not reg.excludes_zero


def test_region_reaching_scan_end_is_a_failure():
    with pytest.raises(FitError):
        allowed_region(_lik(), np.linspace(-0.1, 0.1, 11))


def test_grid_validation():
    with pytest.raises(NuemInputError):
        allowed_region(_lik(), [0.0, 1.0])
