"""The spectrum figure: human legend, mathtext signal label, Garwood error bars, a log axis that
shows the data, a residual panel, and pyplot registration."""

import sys

import numpy as np
import pytest

from nuem import units as u
from nuem.plot.spectrum import plot_spectrum
from nuem.theory import Hypothesis


def _payload(observed):
    return {
        "experiment": "toy",
        "bin_edges_keV": [1.0, 2.0, 3.0, 4.0],
        "observed": observed,
        "expected": {"solar_nu_sm": [1.0, 1.0, 1.0], "flat_bkg": [2.0, 2.0, 2.0]},
        "signal": [0.5, 0.2, 0.1],
    }


def test_legend_is_human_and_signal_is_its_own_curve():
    h = Hypothesis(mu=1e-11 * u.mu_B)
    fig, ax = plot_spectrum(_payload([3, 0, 4]), h)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert r"SM solar $\nu$ (nuem)" in labels and "Flat bkg" in labels
    assert any(lab.startswith("signal: $\\mu_\\nu = 1.0\\times10^{-11}") for lab in labels)
    assert "background + signal" in labels and len(fig.axes) == 2  # residual panel


def test_error_bars_are_garwood_intervals():
    fig, ax = plot_spectrum(_payload([3, 0, 4]), residuals=None)
    bars = [c for c in ax.containers if hasattr(c, "lines") and c.lines[2]]
    seg = bars[0].lines[2][0].get_segments()
    low = [s[0][1] for s in seg]
    high = [s[1][1] for s in seg]
    assert low[1] == pytest.approx(0.0) and high[1] == pytest.approx(1.841, abs=2e-3)  # n = 0
    assert high[0] == pytest.approx(5.918, abs=2e-3) and low[0] == pytest.approx(1.367, abs=2e-3)


def test_log_axis_shows_the_data():
    fig, ax = plot_spectrum(_payload([3, 1, 4]), log=True)
    lo, hi = ax.get_ylim()
    assert ax.get_yscale() == "log" and 0 < lo < 0.1 and hi > 4  # signal 0.1 and data inside


def test_residual_choices_and_bad_input():
    fig, _ = plot_spectrum(_payload([3, 1, 4]), residuals="pull")
    assert "sqrt" in fig.axes[1].get_ylabel()
    with pytest.raises(Exception, match="residuals"):
        plot_spectrum(_payload([3, 1, 4]), residuals="chi")


def test_figure_is_registered_with_pyplot_when_pyplot_is_used():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert "matplotlib.pyplot" in sys.modules
    fig, _ = plot_spectrum(_payload([3, 1, 4]))
    assert fig.number in plt.get_fignums()
    plt.close(fig)
    assert np.isfinite(fig.get_size_inches()).all()


def test_every_figure_function_goes_through_new_figure():
    """One place makes figures (nuem.plot.style.new_figure): no plot module builds its own."""
    from pathlib import Path

    import nuem.plot

    folder = Path(nuem.plot.__file__).parent
    for f in folder.glob("*.py"):
        if f.name == "style.py":
            continue
        text = f.read_text()
        assert "Figure(" not in text and "plt.figure(" not in text, f.name
