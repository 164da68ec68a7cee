"""The catalogue of published limits: package data, units, conversion, superseding."""

from __future__ import annotations

import math
import re
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


CHECKED = ("confirmed", "unconfirmed", "conflict", "not_checked")
# A confirmed number must say where it was read: its abstract, text, a table or a review/PDG.
SOURCE_WORDS = re.compile(r"\b(abstract|text|table|PDG|review)\b", re.IGNORECASE)


def _single_numbers():
    return [e for e in entries(include_superseded=True) if e.quantity != "portal"]


def test_every_single_number_entry_has_an_allowed_checked_verdict():
    got = _single_numbers()
    assert {e.quantity for e in got} == {"mu", "r2", "q"}
    for e in got:
        assert e.checked in CHECKED, (e.id, e.checked)


def test_confirmed_entries_name_where_the_number_was_read():
    for e in _single_numbers():
        if e.checked == "confirmed":
            assert e.note and SOURCE_WORDS.search(e.note), e.id
            assert "third-party summary" not in e.note, e.id  # a summary never confirms


def test_flagged_entries_say_why():
    """VERIFY entries that were searched carry a note with the outcome; a conflict keeps the
    seed number (never overwritten) and says what the source gives instead."""
    for e in _single_numbers():
        if e.checked in ("unconfirmed", "conflict"):
            assert e.note, e.id
    assert entry("mu_pandax2_2020").upper == 3.2e-11  # corrected from the seed's 4.9e-11
    wd = entry("mu_white_dwarfs_2014")
    assert wd.checked == "conflict" and wd.upper == 5.0e-12
    assert entry("mu_wd_pulsation_2014").reference == "arXiv:1406.6034"


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
    # PHYSICS.md: lower edge ~5e-13 at light N (the digitised edge dips to 2.2e-13 near 260 MeV)
    assert sn.limit_muB[0] == pytest.approx(5e-13, rel=0.3) and sn.masses_MeV[0] < 0.1
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


def test_texono_charge_radius_is_in_nuems_convention_twice_the_native_interval():
    """TEXONO (arXiv:0911.1597) quotes <r2> through s_W^2 -> s_W^2 + sqrt2 pi alpha <r2>/(3 G_F):
    its sigma(<r2>) = 1.646e-32 cm2 (proceedings: 1.30 stat, 1.01 sys) is sigma(s_W^2) = 0.0392
    (abstract: 0.031 stat, 0.024 sys) over that coefficient, to 0.2 %. nuem adds
    sqrt2 pi alpha <r2>/(3 G_F) to g_V = -1/2 + 2 s_W^2, half the shift per unit <r2>, so in
    nuem's convention the interval is twice TEXONO's native -2.1..3.3e-32 cm2."""
    from nuem import units as u
    from nuem.xsec.electron import delta_gv_charge_radius

    ds2_texono = float(delta_gv_charge_radius(1e-32 * u.cm2))  # per 1e-32 cm2, TEXONO's s_W^2
    assert math.hypot(0.031, 0.024) / ds2_texono == pytest.approx(math.hypot(1.30, 1.01), rel=2e-3)
    tex = entry("r2_texono_2010")
    assert tex.checked == "confirmed"
    assert (tex.native["lower"], tex.native["upper"]) == (-2.1e-32, 3.3e-32)
    assert (tex.lower, tex.upper) == (2 * tex.native["lower"], 2 * tex.native["upper"])
