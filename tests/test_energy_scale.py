"""Energy-scale (light-yield) rescaling of binned templates (nuem.detectors.energy_scale) and
free / widened shape nuisances in the stats model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from nuem.detectors.energy_scale import rescale_binned
from nuem.errors import NuemInputError
from nuem.stats import Background, Model, ShapeSystematic

EDGES = np.arange(100.0, 951.0)  # 1-hit bins, as the Borexino card


def _gauss_counts(mu, sigma, edges=EDGES, n=1.0e5):
    return n * np.diff(norm.cdf(edges, mu, sigma))


def test_unit_scale_is_identity_and_rows_are_independent():
    a = _gauss_counts(400.0, 20.0)
    b = _gauss_counts(600.0, 30.0)
    np.testing.assert_array_equal(rescale_binned(a, EDGES, 1.0), a)
    both = rescale_binned(np.array([a, b]), EDGES, 1.01)
    np.testing.assert_allclose(both[1], rescale_binned(b, EDGES, 1.01), rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(s=st.floats(0.97, 1.03))
def test_a_peak_moves_and_widens_with_the_scale(s):
    """x -> s x maps N(mu, sigma) onto N(s mu, s sigma): the rescaled histogram equals the
    analytic bin integrals of the scaled Gaussian (to the per-bin linear reading of C)."""
    got = rescale_binned(_gauss_counts(400.0, 20.0), EDGES, s)
    want = _gauss_counts(400.0 * s, 20.0 * s)
    assert np.abs(got - want).max() < 2e-3 * want.max()
    assert got.sum() == pytest.approx(1.0e5, rel=1e-9)  # nothing leaves the window


def test_uniform_density_per_bin_is_exact_and_the_edge_density_continues():
    """A template of uniform density per bin is remapped exactly; at the lower edge a scale > 1
    brings in (1 - 1/s) x edge of the first bin's density from below the window."""
    counts = np.zeros(EDGES.size - 1)
    counts[50:60] = 7.0
    counts[0] = 3.0
    s = 1.02
    got = rescale_binned(counts, EDGES, s)
    # direct: density 7 per hit on [150, 160) -> [153, 163.2) with density 7 / s
    lo, hi = EDGES[:-1], EDGES[1:]
    ov = np.clip(np.minimum(hi, 160 * s) - np.maximum(lo, 150 * s), 0, None)
    np.testing.assert_allclose(got[40:], (7.0 / s * ov)[40:], atol=1e-12)
    # first bin: [100/s, 101/s) of a density 3 continued below 100
    assert got[0] == pytest.approx(3.0 * (101 / s - 100 / s), rel=1e-12)


@pytest.mark.parametrize(
    "counts, edges, scale, match",
    [
        (np.ones(3), [0, 1, 2, 3], 0.0, "scale"),
        (np.ones(3), [0, 1, 2, 3], np.nan, "scale"),
        (np.ones(3), [0, 2, 1, 3], 1.01, "increasing"),
        (np.ones(4), [0, 1, 2, 3], 1.01, "shape"),
    ],
)
def test_bad_input_is_refused(counts, edges, scale, match):
    with pytest.raises(NuemInputError, match=match):
        rescale_binned(counts, edges, scale)


def test_shape_systematic_sigma_sets_or_frees_the_constraint():
    """sigma = 2: alpha = 1 costs (1/2)^2 in -2 ln L; sigma None: a free parameter (no
    penalty), the templates setting only the morphing step."""
    b = np.full(4, 100.0)
    up, dn = b * 1.1, b * 0.9

    def model(sigma):
        sy = ShapeSystematic("scale", {"bkg": (up, dn)}, "code4p", sigma)
        return Model(signal=[(1, np.ones(4))], backgrounds=[Background("bkg", b, 0.0)],
                     systematics=[sy])  # fmt: skip

    (n2,) = model(2.0).nuisances
    (nf,) = model(None).nuisances
    assert n2.penalty(1.0) == pytest.approx(0.25) and n2.floating
    assert nf.sigma is None and nf.penalty(3.0) == 0.0 and nf.floating
    with pytest.raises(NuemInputError, match="sigma"):
        ShapeSystematic("scale", {"bkg": (up, dn)}, "code4p", 0.0)


def test_background_values_carry_normalisations_and_shapes():
    """Per-background expectations at (x, theta), shapes morphed: they add up with the signal
    to the model's expectation (what the SM-fit figure draws per component)."""
    b1, b2 = np.array([50.0, 80.0, 20.0]), np.array([5.0, 10.0, 30.0])
    sy = ShapeSystematic("scale", {"b1": (b1 * [1.2, 1.0, 0.8], b1 * [0.8, 1.0, 1.2])}, "code4p",
                         None)  # fmt: skip
    m = Model(signal=[(1, np.array([1.0, 2.0, 3.0]))],
              backgrounds=[Background("b1", b1, None), Background("b2", b2, 0.1)],
              systematics=[sy])  # fmt: skip
    th = np.array([1.3, 0.9, 0.4])
    per = m.background_values(2.0, th)
    np.testing.assert_allclose(per.sum(0) + m.signal_values(2.0, th), m.expected(2.0, th))
    np.testing.assert_allclose(per[1], 0.9 * b2)


def test_a_free_scale_nuisance_recovers_an_injected_shift():
    """Asimov data of a peak + flat background with the axis scaled by 1.004; a free
    energy-scale nuisance (templates at 1 +- 0.005, code4p) fits delta = 0.004 to 2 %."""
    from nuem.stats import BinnedLikelihood, fit

    peak, flat = _gauss_counts(400.0, 25.0, n=2.0e5), np.full(EDGES.size - 1, 20.0)
    data = rescale_binned(peak, EDGES, 1.004) + flat
    steps = [rescale_binned(peak, EDGES, 1.0 + d) for d in (0.005, -0.005)]
    sy = ShapeSystematic("scale", {"peak": tuple(steps)}, "code4p", None)
    m = Model(signal=[(1, np.ones(EDGES.size - 1))],
              backgrounds=[Background("peak", peak, None), Background("flat", flat, None)],
              systematics=[sy])  # fmt: skip
    best = fit(BinnedLikelihood(m, data))
    alpha = best.thetas[[n.name for n in m.nuisances].index("scale")]
    assert 0.005 * alpha == pytest.approx(0.004, rel=0.02)
