"""Bin-edge parser and helpers (nuem.detectors.binning)."""

import numpy as np
import pytest

from nuem import units as u
from nuem.detectors.binning import bin_centres, bin_widths, check_edges, parse_bins
from nuem.errors import NuemInputError


def test_colon_width_form_gives_unit_bins_in_kev():
    e = parse_bins("1:30:1")
    assert e.size == 30
    np.testing.assert_allclose(e / u.keV, np.arange(1, 31), rtol=0, atol=1e-12)


def test_count_and_log_forms():
    np.testing.assert_allclose(parse_bins("1:30:n29") / u.keV, np.arange(1, 31), atol=1e-12)
    np.testing.assert_allclose(parse_bins("0.1:100:n3:log") / u.keV, [0.1, 1, 10, 100], rtol=1e-12)
    np.testing.assert_allclose(parse_bins("1,2,5,10") / u.keV, [1, 2, 5, 10])
    np.testing.assert_allclose(parse_bins("1:3:0.5", unit=u.MeV), [1, 1.5, 2, 2.5, 3])


def test_array_input_is_scaled_and_checked():
    np.testing.assert_allclose(parse_bins([0, 1, 3]) / u.keV, [0, 1, 3])
    with pytest.raises(NuemInputError):
        parse_bins([0, 3, 1])


@pytest.mark.parametrize(
    "spec", ["1:30:0.7", "30:1:1", "1:30:n0", "1:30:1:log", "abc", "5,3,9", "1:30:n2.5", "-1,2"]
)
def test_bad_specs_raise(spec):
    with pytest.raises(NuemInputError):
        parse_bins(spec)


def test_centres_and_widths():
    e = np.array([0.0, 1.0, 3.0, 7.0])
    np.testing.assert_allclose(bin_centres(e), [0.5, 2.0, 5.0])
    np.testing.assert_allclose(bin_widths(e), [1.0, 2.0, 4.0])


def test_check_edges_names_the_offending_entry():
    with pytest.raises(NuemInputError, match="edge 2"):
        check_edges("myedges", [1.0, 2.0, 2.0, 3.0])
    with pytest.raises(NuemInputError, match="at least 2"):
        check_edges("myedges", [1.0])
    with pytest.raises(NuemInputError, match="NaN"):
        check_edges("myedges", [1.0, np.nan])
