"""The Source interface contract, checked on every built-in source.

Conservation checks: the differential flux integrates (with the lines) to the total flux; state
contents are probabilities; spectra vanish above e_max; invalid energies raise.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.sources import ReactorSource, SolarSource, Source, SpallationSource, TabulatedSource

_E = np.geomspace(0.1, 50.0, 30) * u.MeV
SOURCES = {
    "solar": SolarSource(),
    "reactor": ReactorSource(3e9 * u.watt, 25 * u.m),
    "spallation": SpallationSource(0.08, 5e15 / u.s, 20 * u.m),
    "tabulated": TabulatedSource(
        _E,
        {"nu_e": 1e8 * (_E / u.MeV) ** -2 / (u.cm2 * u.s * u.MeV), "nubar_e": 1e6 * _E / _E[-1]},
        lines=[(0.862 * u.MeV, 1e7 / (u.cm2 * u.s), "nu_e")],
        interpolation="log-log",
    ),
}


@pytest.mark.parametrize("name", SOURCES)
def test_flux_is_conserved(name):
    """int dPhi/dE dE (summed over states) + sum of line fluxes = total flux."""
    src: Source = SOURCES[name]
    assert isinstance(src, Source)
    e_top = max(src.e_max(c) for c in src.components)
    e = np.concatenate([np.linspace(0.0, 2.0, 400_001), np.linspace(2.0, 1.01 * e_top, 400_001)])
    e = np.unique(e)
    cont = np.trapezoid(src.differential_flux(e).sum(axis=-1), e)
    lines = sum(lf.flux for lf in src.line_fluxes())
    assert cont + lines == pytest.approx(src.total_flux(), rel=2e-4)


@pytest.mark.parametrize("name", SOURCES)
@settings(max_examples=15, deadline=None)
@given(e=st.lists(st.floats(0.0, 60.0), min_size=1, max_size=10))
def test_content_rows_are_probabilities(name, e):
    src = SOURCES[name]
    e = np.array(e) * u.MeV
    for comp in src.components:
        p = src.content(comp, e)
        assert p.shape == e.shape + (len(src.states),)
        assert np.all(p >= -1e-15) and np.allclose(p.sum(axis=-1), 1.0, atol=1e-12)
        s = src.spectrum(comp, e)
        assert s.shape == e.shape and np.all(s >= 0)
        assert np.all(s[e > src.e_max(comp)] == 0.0)


def test_vectorised_shapes():
    src = SOURCES["solar"]
    e = np.linspace(0.1, 10, 12).reshape(3, 4) * u.MeV
    assert src.spectrum("8B", e).shape == (3, 4)
    assert src.mass_fractions("8B", e).shape == (3, 4, 3)
    assert src.survival_probability("8B", e).shape == (3, 4)
    assert src.differential_flux(e).shape == (3, 4, 3)
    assert np.ndim(src.survival_probability("pp", 0.3 * u.MeV)) == 0


@pytest.mark.parametrize("name", SOURCES)
def test_negative_energy_and_unknown_component_raise(name):
    src = SOURCES[name]
    comp = src.components[0]
    with pytest.raises(NuemInputError, match="E = -1"):
        src.spectrum(comp, -1.0)
    with pytest.raises(NuemInputError, match="E = -1"):
        src.differential_flux([0.5, -1.0])
    with pytest.raises(NuemInputError, match="is not known"):
        src.lines("no-such-component")
