"""Tabulated efficiency curves (nuem.detectors.efficiency)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import units as u
from nuem.detectors.efficiency import ConstantEfficiency, TabulatedEfficiency
from nuem.errors import NuemInputError

KEV = u.keV


def linear_table():
    E = np.linspace(0.0, 40.0, 9) * KEV
    return TabulatedEfficiency(E, 0.02 * E / KEV, below=0.0, above="edge")


def test_linear_table_reproduces_the_line_between_nodes():
    # eps = 0.02 E/keV tabulated at 5-keV steps; linear interpolation is exact for a line.
    eff = linear_table()
    E = np.array([0.0, 1.3, 13.3, 27.77, 40.0]) * KEV
    np.testing.assert_allclose(eff(E), 0.02 * E / KEV, rtol=1e-13, atol=1e-15)
    assert eff.threshold(0.5) == pytest.approx(25.0 * KEV, rel=1e-12)


def test_fill_values_outside_table():
    eff = TabulatedEfficiency(np.array([1.0, 2.0]) * KEV, [0.2, 0.8], below=0.0, above="edge")
    assert eff(0.5 * KEV) == 0.0
    assert eff(100 * KEV) == pytest.approx(0.8)
    eff2 = TabulatedEfficiency(np.array([1.0, 2.0]) * KEV, [0.2, 0.8], below="edge", above=0.1)
    assert eff2(0.5 * KEV) == pytest.approx(0.2)
    assert eff2(3 * KEV) == pytest.approx(0.1)


@pytest.mark.parametrize(
    "E, eps, msg",
    [
        ([1, 2, 3], [0.1, 1.2, 0.5], "outside"),
        ([1, 2, 3], [0.1, -0.1, 0.5], "outside"),
        ([1, 3, 2], [0.1, 0.2, 0.5], "increasing"),
        ([1, 2], [0.1], "equal length"),
        ([-1, 2], [0.1, 0.2], ">= 0"),
    ],
)
def test_invalid_tables_raise(E, eps, msg):
    with pytest.raises(NuemInputError, match=msg):
        TabulatedEfficiency(np.array(E, float) * KEV, np.array(eps, float))


def test_bad_fill_and_constant():
    with pytest.raises(NuemInputError):
        TabulatedEfficiency(np.array([1.0, 2.0]) * KEV, [0.2, 0.8], above=1.5)
    with pytest.raises(NuemInputError):
        TabulatedEfficiency(np.array([1.0, 2.0]) * KEV, [0.2, 0.8], above="flat")
    with pytest.raises(NuemInputError):
        ConstantEfficiency(1.01)
    assert np.all(ConstantEfficiency(0.9)(np.ones(4)) == 0.9)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=2, max_size=30),
    st.lists(st.floats(-10.0, 200.0), min_size=1, max_size=20),
)
def test_interpolated_values_stay_in_unit_interval(values, probe):
    E = np.arange(len(values), dtype=float) * KEV
    eff = TabulatedEfficiency(E, np.array(values))
    out = eff(np.array(probe) * KEV)
    assert np.all((out >= 0) & (out <= 1))
