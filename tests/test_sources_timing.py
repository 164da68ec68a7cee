"""Timing on the Source interface: exact time fractions against quad of the pdf, analytic
delta-pulse fractions, pulse models, POT bookkeeping, and steady sources.

Delta pulse at t0 (x = t - t0 >= 0), by hand from the decay laws:
  prompt (pi+ decay, tau_pi):          F(x) = 1 - exp(-x/tau_pi);
  delayed (pi+ then mu+, tau_pi, tau_mu): F(x) = 1 - [tau_mu exp(-x/tau_mu) - tau_pi exp(-x/tau_pi)]
                                                / (tau_mu - tau_pi)
(the convolution of the two exponential pdfs); a window [a, b] holds F(b) - F(a).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nuem import constants as c
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.sources import ReactorSource, SolarSource, SpallationSource
from nuem.sources import spallation as sp
from nuem.sources.timing import DecayConvolved, GaussianPulse, TabulatedPulse

TAU_PI, TAU_MU = c.tau_pi_plus.value, c.tau_mu.value
PULSES = {
    "delta": GaussianPulse(0.0, 0.0),
    "gauss": GaussianPulse(120.0 * u.ns, 350.0 * u.ns),
    "nodes": TabulatedPulse([0.0, 150.0, 300.0, 500.0, 900.0], [0.0, 2.0, 3.0, 1.0, 0.0]),
    "hist": TabulatedPulse([-100.0, 100.0, 250.0, 600.0], [1.0, 4.0, 2.0]),
}
EDGES = np.array([-np.inf, -300.0, 0.0, 80.0, 250.0, 500.0, 1e3, 2e3, 6e3, 2e4, 1e5, np.inf])


def _src(pulse):
    return SpallationSource(0.0848, 5e15 / u.s, 19.3 * u.m, pulse)


@pytest.mark.parametrize("pulse", PULSES)
@pytest.mark.parametrize("comp", sp.SPALLATION_COMPONENTS)
def test_fractions_match_quad_of_pdf(pulse, comp):
    src = _src(PULSES[pulse])
    fr = src.time_fractions(comp, EDGES)
    assert fr.shape == (EDGES.size - 1,) and np.all(fr >= 0)
    assert fr.sum() == pytest.approx(1.0, abs=1e-12)
    lo, hi = PULSES[pulse].support()
    kinks = (0.0, 150.0, 300.0, 500.0, 900.0, -100.0, 100.0, 250.0, 600.0)
    for a, b, f in zip(EDGES[:-1], EDGES[1:], fr, strict=True):
        a, b = max(a, -2000.0), min(b, 1e6)  # the pdf vanishes outside (< 1e-30)
        if b <= a:
            continue
        pts = [k for k in kinks if a < k < b] or None
        q = quad(lambda t: float(src.timing_pdf(comp, t)), a, b, points=pts, limit=200)[0]
        assert f == pytest.approx(q, abs=1e-6)
    # a wide finite range holds everything
    wide = src.time_fractions(comp, [lo - 1e3 if np.isfinite(lo) else -1e4, 60 * TAU_MU])
    assert wide.sum() == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(("a", "b"), [(0.0, 100.0), (200.0, 1000.0), (1000.0, 6000.0)])
def test_delta_pulse_fractions_are_analytic(a, b):
    t0 = 40.0 * u.ns
    src = _src(GaussianPulse(0.0, t0))

    def prompt(x):
        return 1.0 - math.exp(-x / TAU_PI)

    def delayed(x):
        return 1.0 - (TAU_MU * math.exp(-x / TAU_MU) - TAU_PI * math.exp(-x / TAU_PI)) / (
            TAU_MU - TAU_PI
        )

    edges = [t0 + a, t0 + b]
    assert src.time_fractions("prompt_numu", edges)[0] == pytest.approx(
        prompt(b) - prompt(a), rel=1e-12, abs=1e-15
    )
    for comp in ("delayed_nue", "delayed_numubar"):
        assert src.time_fractions(comp, edges)[0] == pytest.approx(
            delayed(b) - delayed(a), rel=1e-12
        )
    # late windows: the pure muon exponential, up to the factor tau_mu/(tau_mu - tau_pi)
    if a >= 1000.0:
        mu = (math.exp(-a / TAU_MU) - math.exp(-b / TAU_MU)) * TAU_MU / (TAU_MU - TAU_PI)
        assert src.time_fractions("delayed_nue", edges)[0] == pytest.approx(mu, rel=1e-9)
    # nothing before the pulse
    assert src.time_fractions("delayed_nue", [-np.inf, t0])[0] == 0.0


def test_means_and_legacy_profile():
    for pulse in PULSES.values():
        src = _src(pulse)
        for comp, taus in (("prompt_numu", TAU_PI), ("delayed_nue", TAU_PI + TAU_MU)):
            prof = src.time_profile(comp)
            assert prof.mean() == pytest.approx(pulse.mean() + taus, rel=1e-12)
    # the tabulated pulse mean against quad
    p = PULSES["nodes"]
    assert p.mean() == pytest.approx(quad(lambda t: t * float(p.pdf(t)), 0, 900, limit=100)[0])
    g = GaussianPulse(80.0, 30.0)
    t = np.linspace(-500.0, 8000.0, 41)
    src = _src(g)
    for comp in sp.SPALLATION_COMPONENTS:
        np.testing.assert_allclose(
            src.timing_pdf(comp, t), sp.timing_profile(comp, t, 80.0, 30.0), rtol=1e-13, atol=0
        )
        np.testing.assert_array_equal(src.timing(comp, t), src.timing_pdf(comp, t))
        np.testing.assert_array_equal(
            _src(None).timing(comp, t, sigma=80.0, t0=30.0), src.timing_pdf(comp, t)
        )


def test_pulse_shapes():
    h = PULSES["hist"]  # histogram: the CDF at the edges is the cumulative content
    np.testing.assert_allclose(h.cdf([-100.0, 100.0, 250.0, 600.0]), [0, 1 / 7, 5 / 7, 1])
    assert h.pdf(50.0) == pytest.approx(1 / 7 / 200.0)
    n = PULSES["nodes"]
    assert n.pdf([-1.0, 901.0]).tolist() == [0.0, 0.0]
    assert quad(lambda t: float(n.pdf(t)), 0, 900, points=[150, 300, 500])[0] == pytest.approx(1)
    # a delta pulse counts in the bin that starts at t0: bins are [t_i, t_i+1)
    assert GaussianPulse(0.0, 5.0).fractions([0.0, 5.0, 10.0]).tolist() == [0.0, 1.0]
    # a narrow tabulated pulse approaches the delta pulse
    narrow = DecayConvolved(TabulatedPulse([-0.01, 0.01], [1.0, 1.0]), (TAU_PI, TAU_MU))
    delta = DecayConvolved(GaussianPulse(), (TAU_PI, TAU_MU))
    t = np.array([10.0, 100.0, 3000.0])
    np.testing.assert_allclose(narrow.cdf(t), delta.cdf(t), rtol=1e-5)
    np.testing.assert_allclose(narrow.pdf(t), delta.pdf(t), rtol=1e-5)


def test_timing_groups_and_subsets():
    src = _src(PULSES["gauss"])
    assert src.timing_groups() == {
        "prompt": ("prompt_numu",),
        "delayed": ("delayed_nue", "delayed_numubar"),
    }
    for group, comps in src.timing_groups().items():
        sub = src.subset(comps)
        assert sub.timing_groups() == {group: comps}
        assert sub.has_timing
        assert sub.total_flux() == pytest.approx(len(comps) * src.flux(comps[0]))


def test_steady_sources_have_no_timing():
    reactor = ReactorSource(3e9 * u.watt, 25 * u.m)
    for src in (reactor, SolarSource(), reactor.subset("U235")):
        assert not src.has_timing
        assert src.timing_groups() == {"steady": src.components}
        with pytest.raises(NuemInputError, match="steady"):
            src.time_fractions(src.components[0], [0.0, 1.0])
        with pytest.raises(NuemInputError, match="steady"):
            src.timing_pdf(src.components[0], 0.0)
    # any source can be given a profile
    timed = reactor.with_timing(GaussianPulse(10.0))
    assert timed.has_timing and "(timed)" in timed.name
    assert timed.time_fractions("U238", [-np.inf, 0.0, np.inf]) == pytest.approx([0.5, 0.5])
    assert timed.subset(["U235"]).has_timing


@pytest.mark.parametrize(
    ("edges", "match"),
    [([0.0], "at least 2"), ([0.0, 1.0, 1.0], "strictly increasing"), ([0.0, np.nan], "NaN")],
)
def test_bad_edges(edges, match):
    with pytest.raises(NuemInputError, match=match):
        _src(None).time_fractions("prompt_numu", edges)


def test_bad_pulses():
    with pytest.raises(NuemInputError, match="sigma = -1"):
        GaussianPulse(-1.0)
    with pytest.raises(NuemInputError, match="times must be strictly"):
        TabulatedPulse([0.0, 0.0, 1.0], [1, 1, 1])
    with pytest.raises(NuemInputError, match="weights has 2 values"):
        TabulatedPulse([0.0, 1.0, 2.0, 3.0], [1, 1])
    with pytest.raises(NuemInputError, match="weights = -1"):
        TabulatedPulse([0.0, 1.0], [1, -1])
    with pytest.raises(NuemInputError, match="all zero"):
        TabulatedPulse([0.0, 1.0], [0, 0])
    with pytest.raises(NuemInputError, match="pulse = 3"):
        SpallationSource(0.08, 1e15 / u.s, 20 * u.m, pulse=3)


def test_pot_bookkeeping_and_yields():
    pot, live = 3.2e23, 300.0 * u.day
    src = SpallationSource.from_pot(0.0848, pot, live, 19.3 * u.m)
    assert src.proton_rate == pytest.approx(pot / live)
    for comp in src.components:  # flux x live time = POT x fluence per POT
        assert src.flux(comp) * live == pytest.approx(pot * src.flux_per_pot(comp), rel=1e-14)
        assert src.flux_per_pot(comp) * u.cm2 == pytest.approx(0.0848 / (4 * math.pi * 1930.0**2))
    rate = sp.proton_rate_from_beam(1.4 * u.MW, 1.0 * u.GeV)
    assert rate * u.s == pytest.approx(1.4e6 / (1e9 * 1.602176634e-19), rel=1e-9)
    per = SpallationSource({"nu_mu": 0.09, "nu_e": 0.08, "nubar_mu": 0.07}, 1e15 / u.s, 20 * u.m)
    assert per.flux("prompt_numu") / per.flux("delayed_numubar") == pytest.approx(9 / 7)
    assert per.nu_per_proton == {"nu_mu": 0.09, "nu_e": 0.08, "nubar_mu": 0.07}
    with pytest.raises(NuemInputError, match="missing nubar_mu"):
        SpallationSource({"nu_mu": 0.09, "nu_e": 0.08}, 1e15 / u.s, 20 * u.m)
    with pytest.raises(NuemInputError, match="nu_per_proton key = 'nu_tau'"):
        SpallationSource({"nu_tau": 0.09}, 1e15 / u.s, 20 * u.m)
