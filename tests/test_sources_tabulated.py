"""TabulatedSource: exact integrals (analytic power law, scipy quad of the interpolant), support,
lines, components and contents, validation; subset views and pickling of every source kind.

Analytic check: a table of y = A E^-k on any mesh is reproduced exactly by log-log interpolation,
so its flux is A (E1^(1-k) - E0^(1-k)) / (1-k); linear interpolation integrates to the
trapezoid sum of the nodes.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from scipy.integrate import quad

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.sources import (
    GaussianPulse,
    ReactorSource,
    SolarSource,
    SpallationSource,
    TabulatedPulse,
    TabulatedSource,
)

PHI = 1.0 / (u.cm2 * u.s * u.MeV)
PER_CM2_S = 1.0 / (u.cm2 * u.s)
E = np.geomspace(0.5, 50.0, 9) * u.MeV


def power_law_source(interpolation="log-log", **kw):
    return TabulatedSource(
        E,
        {
            "nu_e": 2e6 * (E / u.MeV) ** -2.5 * PHI,
            "nubar_mu": np.r_[0, 1, 3, 2, 2, 1, 0.5, 0, 0] * PHI,
        },
        lines=[(5.0 * u.MeV, 1e4 * PER_CM2_S, "nu_tau"), (1.0 * u.MeV, 50 * PER_CM2_S, "nu_e")],
        interpolation=interpolation,
        **kw,
    )


def test_power_law_flux_is_analytic():
    src = power_law_source()
    lo, hi = E[0] / u.MeV, E[-1] / u.MeV
    exact = 2e6 * (hi**-1.5 - lo**-1.5) / -1.5 / (u.cm2 * u.s)
    assert src.continuum_flux("nu_e") == pytest.approx(exact, rel=1e-13)
    assert src.flux("nu_e") == pytest.approx(exact + 50 / (u.cm2 * u.s), rel=1e-13)
    # the interpolant is the power law between the nodes
    e = np.array([0.7, 3.3, 17.0, 49.9]) * u.MeV
    assert src.differential("nu_e", e) == pytest.approx(2e6 * (e / u.MeV) ** -2.5 * PHI, rel=1e-12)


@pytest.mark.parametrize("interpolation", ["linear", "log-log"])
def test_spectrum_integrates_to_continuous_fraction(interpolation):
    src = power_law_source(interpolation)
    for st in src.components:
        f = quad(lambda x, st=st: float(src.spectrum(st, x)), 0.1, 60.0, points=E, limit=200)[0]
        assert f == pytest.approx(src.continuous_fraction(st), abs=1e-9)
    if interpolation == "linear":
        trap = np.trapezoid(src.table["nubar_mu"], E)
        assert src.flux("nubar_mu") == pytest.approx(trap, rel=1e-13)


def test_support_lines_and_content():
    src = power_law_source()
    assert src.components == src.states == ("nu_e", "nu_tau", "nubar_mu")
    assert np.all(src.spectrum("nu_e", [0.0, 0.49, 50.01, 1e3]) == 0.0)
    assert src.e_max("nubar_mu") == pytest.approx(E[7])  # last non-zero node is E[6]
    assert src.e_max("nu_tau") == 5.0 * u.MeV and src.continuous_fraction("nu_tau") == 0.0
    (line,) = src.lines("nu_tau")
    assert line.fraction == 1.0
    (lf,) = src.line_fluxes("nu_e")
    assert lf.flux == pytest.approx(50 / (u.cm2 * u.s))
    for i, st in enumerate(src.states):
        c = src.content(st, [1.0, 2.0])
        assert c.shape == (2, 3) and np.all(c[:, i] == 1.0) and np.all(c.sum(axis=-1) == 1.0)
    # the Source convenience: dPhi/dE per state
    d = src.differential_flux(np.array([2.0]) * u.MeV)
    assert d[0, 0] == pytest.approx(float(src.differential("nu_e", 2.0 * u.MeV)))
    assert not src.has_timing


def test_lines_only_source():
    src = TabulatedSource(None, {}, lines=[(0.75 * u.MeV, 1e5 / (u.cm2 * u.s), "nu_e")])
    assert src.components == ("nu_e",) and src.total_flux() == pytest.approx(1e5 / (u.cm2 * u.s))
    assert src.continuous_fraction("nu_e") == 0.0 and src.spectrum("nu_e", 0.75) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"energies": [1.0, 0.5], "fluxes": {"nu_e": [1, 1]}}, "energies must be strictly"),
        ({"energies": [-1.0, 1.0], "fluxes": {"nu_e": [1, 1]}}, "energies = -1"),
        ({"energies": [1.0, 2.0], "fluxes": {"nu_e": [1, -1]}}, r"fluxes\['nu_e'\] = -1"),
        ({"energies": [1.0, 2.0], "fluxes": {"nu_x": [1, 1]}}, "fluxes state = 'nu_x'"),
        ({"energies": [1.0, 2.0], "fluxes": {"nu_e": [1, 1, 1]}}, "must match energies"),
        ({"energies": [1.0, 2.0], "fluxes": {"nu_e": [0, 0]}}, "zero everywhere"),
        ({"energies": [1.0, 2.0], "fluxes": {}}, "both empty"),
        (
            {"energies": [1.0, 2.0], "fluxes": {"nu_e": [1, 1]}, "lines": [(1.0, 1.0, "x")]},
            r"lines\[0\] state",
        ),
        (
            {"energies": [1.0, 2.0], "fluxes": {"nu_e": [1, 1]}, "lines": [(-1.0, 1.0, "nu_e")]},
            r"lines\[0\] energy",
        ),
        (
            {"energies": [1.0, 2.0], "fluxes": {"nu_e": [1, 1]}, "interpolation": "spline"},
            "interpolation = 'spline'",
        ),
    ],
)
def test_validation_names_the_argument(kwargs, match):
    with pytest.raises(NuemInputError, match=match):
        TabulatedSource(**kwargs)


def test_tabulated_with_timing():
    src = power_law_source(
        timing={
            "nu_e": GaussianPulse(10.0, 0.0),
            "nu_tau": GaussianPulse(5.0),
            "nubar_mu": GaussianPulse(5.0),
        }
    )
    assert src.has_timing
    assert src.time_fractions("nu_e", [-np.inf, 0.0, np.inf]) == pytest.approx([0.5, 0.5])
    assert src.timing_groups() == {"nu_e": ("nu_e",), "nu_tau": ("nu_tau", "nubar_mu")}
    with pytest.raises(NuemInputError, match="no profile"):
        power_law_source(timing={"nu_e": GaussianPulse(1.0)})


# ---- subsets -----------------------------------------------------------------------------------
REACTOR = ReactorSource(3e9 * u.watt, 25 * u.m)
SOURCES = {
    "solar": SolarSource(),
    "reactor": REACTOR,
    "reactor_flux": ReactorSource(total_flux=1e13 / (u.cm2 * u.s), spectrum_model="huber-mueller"),
    "spallation": SpallationSource(0.08, 5e15 / u.s, 20 * u.m, GaussianPulse(100.0, 50.0)),
    "spallation_table": SpallationSource(
        {"nu_mu": 0.09, "nu_e": 0.08, "nubar_mu": 0.08},
        5e15 / u.s,
        20 * u.m,
        TabulatedPulse([0.0, 200.0, 400.0, 900.0], [1.0, 3.0, 1.0]),
    ),
    "tabulated": power_law_source(),
}


@pytest.mark.parametrize("name", SOURCES)
def test_subset_fluxes_sum_to_the_whole(name):
    src = SOURCES[name]
    comps = src.components
    a, b = src.subset(comps[:1]), src.subset(comps[1:])
    assert a.total_flux() + b.total_flux() == pytest.approx(src.total_flux(), rel=1e-14)
    assert a.states == src.states and a.components == comps[:1]
    assert comps[0] in a.name and a.name.startswith(src.name)
    e = np.array([0.2, 1.0, 8.0, 30.0]) * u.MeV
    if name != "solar":  # (the solar MSW tables take ~0.1 s per component to build)
        np.testing.assert_allclose(
            a.differential_flux(e) + b.differential_flux(e), src.differential_flux(e), rtol=1e-14
        )
    assert len(a.line_fluxes()) + len(b.line_fluxes()) == len(src.line_fluxes())
    c = comps[-1]
    np.testing.assert_array_equal(b.content(c, e), src.content(c, e))
    assert b.e_max(c) == src.e_max(c) and b.lines(c) == src.lines(c)
    with pytest.raises(NuemInputError, match="component"):
        a.flux(comps[-1])
    assert b.has_timing == src.has_timing
    if src.has_timing:
        edges = [-np.inf, 0.0, 100.0, 1e3, np.inf]
        np.testing.assert_array_equal(b.time_fractions(c, edges), src.time_fractions(c, edges))
    # a subset of a subset refers to the source
    assert b.subset([c]).parent is src


def test_subset_errors():
    with pytest.raises(NuemInputError, match="component = 'Be7'"):
        SOURCES["solar"].subset(["pp", "Be7"])
    with pytest.raises(NuemInputError, match="components is empty"):
        SOURCES["solar"].subset([])


@pytest.mark.parametrize("name", SOURCES)
def test_every_source_pickles(name):
    src = SOURCES[name]
    views = [src, src.subset(src.components[1:]), src.with_timing(GaussianPulse(3.0))]
    for s in views:
        s2 = pickle.loads(pickle.dumps(s))
        assert type(s2) is type(s) and s2.name == s.name and s2.components == s.components
        assert s2.total_flux() == s.total_flux()
        c = s.components[-1]
        e = np.array([0.3, 5.0]) * u.MeV
        np.testing.assert_array_equal(s2.content(c, e), s.content(c, e))
        np.testing.assert_array_equal(s2.spectrum(c, e), s.spectrum(c, e))
        if s.has_timing:
            t = np.array([-50.0, 100.0, 3000.0])
            np.testing.assert_array_equal(s2.timing_pdf(c, t), s.timing_pdf(c, t))
