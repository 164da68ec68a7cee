"""Figure helpers: Garwood Poisson intervals, labels, titles."""

import numpy as np
import pytest

from nuem import units as u
from nuem.plot.style import component_label, hypothesis_label, poisson_interval, sci
from nuem.theory import Hypothesis


def test_garwood_intervals_match_the_published_table():
    """68.27% central intervals (e.g. PDG Table 40.3 / Gehrels 1986): n=0: [0, 1.84];
    n=1: [0.173, 3.30]; n=2: [0.708, 4.64]; n=5: [2.84, 8.38]."""
    lo, hi = poisson_interval([0, 1, 2, 5])
    np.testing.assert_allclose(lo, [0.0, 0.173, 0.708, 2.840], atol=2e-3)
    np.testing.assert_allclose(hi, [1.841, 3.300, 4.638, 8.382], atol=2e-3)


def test_garwood_tends_to_sqrt_n_at_large_counts():
    lo, hi = poisson_interval(1e6)
    assert (hi - lo) / 2 == pytest.approx(1e3, rel=1e-3)


def test_labels_are_human():
    assert component_label("solar_nu_sm") == r"SM solar $\nu$ (nuem)"
    assert component_label("B0_minus_sm_nu") == r"B0 $-$ SM $\nu$"
    assert component_label("steady_state") == "Steady state"
    assert sci(5.8e-12) == r"5.8\times10^{-12}"
    h = Hypothesis(mu=5.8e-12 * u.mu_B, M=100 * u.keV)
    text = hypothesis_label(h)
    assert r"\mu_{\nu N} = 5.8\times10^{-12}\,\mu_B" in text and "M_N = 100" in text
