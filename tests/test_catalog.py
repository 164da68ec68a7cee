"""The catalogue of published limits: package data, units, conversion, superseding."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nuem import constants as c
from nuem.catalog import entries, entry, interpolate, portal_curves
from nuem.errors import NuemInputError

SHARED = Path("/work/shared/data/dipole_portal_limits")


def test_every_entry_has_reference_cl_and_a_known_quantity():
    for e in entries(include_superseded=True):
        assert e.reference and e.year > 1980, e.id
        assert e.quantity in ("mu", "r2", "q", "portal")
        assert e.cl is None or e.cl in (0.90, 0.95)
    assert {e.quantity for e in entries()} == {"mu", "r2", "q", "portal"}


def test_verify_entries_say_what_was_checked():
    for e in entries("mu", include_superseded=True):
        assert e.checked in ("confirmed", "unconfirmed", "not_checked"), e.id
        if e.status and e.status.startswith("VERIFY"):
            assert e.checked != "confirmed", e.id


def test_portal_d_curves_are_converted_with_mu_b_in_inverse_gev():
    """mu = 2 d / mu_B, mu_B = e/(2 m_e) = sqrt(4 pi alpha)/(2 m_e) = 296.30 GeV^-1 (HNLimits)."""
    mu_b = math.sqrt(4 * math.pi * c.alpha.value) / (2 * c.m_e.value / 1e3)
    assert mu_b == pytest.approx(296.30, abs=0.01)
    x = entry("portal_e_xenon")
    assert x.native["coupling_units"] == "invGeV" and x.cl == 0.90
    # first row of Xenon1T_d.dat: 0.0010060194797967103 GeV, 1.6702215081006226e-6 GeV^-1
    assert x.masses_MeV[0] == pytest.approx(1.0060194797967103, rel=1e-7)
    assert x.limit_muB[0] == pytest.approx(2 * 1.6702215081006226e-6 / mu_b, rel=1e-6)
    if SHARED.is_dir():  # every converted point against the source file
        rows = np.loadtxt(SHARED / "Xenon1T_d.dat")
        np.testing.assert_allclose(x.masses_MeV, rows[:, 0] * 1e3, rtol=1e-7)
        np.testing.assert_allclose(x.limit_muB, 2 * rows[:, 1] / mu_b, rtol=1e-6)


def test_native_cl_is_kept_and_regions_have_both_edges():
    lep = entry("portal_e_lep")
    assert lep.cl == 0.95  # not rescaled to 90%
    sn = entry("portal_e_sn")
    assert sn.category == "astrophysics" and sn.top_masses_MeV and sn.shape == "region"
    assert min(sn.limit_muB) == pytest.approx(5e-13, rel=0.3)  # PHYSICS.md: lower edge ~5e-13
    assert {e.flavour for e in entries("portal")} == {"e", "mu", "tau"}
    assert all(e.digitised for e in portal_curves("tau"))


def test_superseded_entries_stay_and_are_hidden_by_default():
    assert "mu_gemma_2007" not in {e.id for e in entries("mu")}
    old = entry("mu_gemma_2007")
    assert old.superseded_by == "mu_gemma_2010" and old.upper == 5.8e-11


def test_interpolate_is_nan_outside_the_curve():
    x = entry("portal_e_xenon")
    v = interpolate(x, [0.5, x.masses_MeV[0], 100.0])
    assert np.isnan(v[0]) and np.isnan(v[2]) and v[1] == pytest.approx(x.limit_muB[0])


def test_bad_filters_are_user_errors():
    with pytest.raises(NuemInputError):
        entries("spin")
    with pytest.raises(NuemInputError):
        entry("nope")
