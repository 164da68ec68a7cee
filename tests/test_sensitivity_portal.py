"""`nuem sensitivity CARD --portal`: the expected dipole-portal curve, through `nuem.scan`."""

from __future__ import annotations

import json

import pytest

from nuem import units as u
from nuem.detectors.targets import tonne
from nuem.limits.result import BAND_KEYS
from nuem.limits.sensitivity import project, sensitivity
from nuem.scan import scan
from nuem.scan.projected import projected_curves

TY = tonne * u.year


def test_portal_expected_curve_of_a_data_card_is_the_scans_expected_curve(nuem_cli):
    """One code path: the CLI's band equals nuem.scan.scan(..., expected=True) (both computed
    afresh, no cache), and nuem portal --expected gives the same rows."""
    code, out, err = nuem_cli("sensitivity", "xenon1t", "--portal", "--flavour", "e",
                              "--masses", "1keV:1MeV:2", "--no-cache", "--json")  # fmt: skip
    assert code == 0, err
    rows = json.loads(out)
    ref = scan(["xenon1t"], flavours=["e"], masses=[1 * u.keV, 1 * u.MeV], expected=True,
               cache=False)[0]  # fmt: skip
    assert [r["mass_MeV"] for r in rows] == pytest.approx(ref.masses_MeV)
    for i, r in enumerate(rows):
        assert {"experiment", "flavour", "mass_MeV", "limit_muB", "expected_muB", "cl"} <= set(r)
        assert r["expected_band_muB"] == {k: ref.expected[k][i] for k in BAND_KEYS}
        assert r["limit_muB"] == ref.observed[i]  # a data card keeps its observed limit
    code, out, _ = nuem_cli("portal", "--flavour", "e", "--experiment", "xenon1t", "--masses",
                            "1keV:1MeV:2", "--expected", "--no-cache", "--json")  # fmt: skip
    assert code == 0 and json.loads(out) == rows


def test_projection_card_curve_meets_nuem_sensitivity_at_light_n():
    """At M_N = 1 keV the portal signal is the flavour moment's (docs/portal.md): the expected
    curve of DARWIN/XLZD meets `nuem sensitivity darwin --quantity mu_e` to 1%, with and
    without an exposure override; a projection has no observed limit."""
    masses = [1 * u.keV]
    for exposure in (None, 40 * TY):
        cv = projected_curves(["darwin"], ["e"], masses=masses, exposure=exposure, cache=False)[0]
        s = sensitivity(project("darwin", exposure=exposure), "mu_e")
        assert cv.observed == [None] and cv.status == ["ok"]
        assert cv.expected["median"][0] == pytest.approx(s.expected, rel=0.01)
        for key, band in (("minus1", "-1"), ("plus2", "+2")):
            assert cv.expected[key][0] == pytest.approx(s.band[band], rel=0.01)
    # 7.5x less exposure (300 -> 40 t yr): the limit on mu weakens by 7.5^(1/4) = 1.65 when
    # background-dominated, sqrt(7.5) without background, less when systematics-limited
    full = projected_curves(["darwin"], ["e"], masses=masses, cache=False)[0]
    ratio = cv.expected["median"][0] / full.expected["median"][0]
    assert 1.3 < ratio < 7.5**0.5


def test_portal_with_projection_rows_and_figure(nuem_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("NUEM_CACHE_DIR", str(tmp_path))
    code, out, err = nuem_cli("portal", "--flavour", "e", "--experiment", "lz", "--projection",
                              "darwin", "--masses", "1keV:1MeV:2", "--json")  # fmt: skip
    assert code == 0, err
    rows = json.loads(out)
    proj = [r for r in rows if r["experiment"] == "darwin_xlzd_er"]
    assert len(proj) == 2 and all(r["limit_muB"] is None for r in proj)
    assert proj[0]["expected_muB"] < next(r["limit_muB"] for r in rows
                                          if r["experiment"] == "lz_ws2022_er")  # fmt: skip
    fig = tmp_path / "p.png"
    code, _, err = nuem_cli("portal", "--flavour", "e", "--experiment", "lz", "--projection",
                            "darwin", "--masses", "1keV:1MeV:2", "--out", str(fig),
                            "--astro", "digitised")  # fmt: skip
    assert code == 0 and fig.stat().st_size > 10_000, err


def test_portal_option_errors_are_one_line(nuem_cli):
    code, _, err = nuem_cli("sensitivity", "darwin", "--portal", "--quantity", "mu_e")
    assert code == 2 and "--portal" in err and err.count("\n") == 1
    code, _, err = nuem_cli("sensitivity", "darwin", "--masses", "1keV:1MeV:2")
    assert code == 2 and "--portal" in err
    code, _, err = nuem_cli("sensitivity", "darwin", "--portal", "--flavour", "x")
    assert code == 2 and err.startswith("nuem: error:")


def test_scan_gives_a_projection_card_its_expected_band_only(tmp_path):
    """A card without data has no observed limit: scan() adds the band even without
    expected=True, and a warm cache returns the same curve."""
    cold = scan(["darwin"], flavours=["mu"], masses=[1 * u.keV], cache=tmp_path)[0]
    assert cold.observed == [None] and cold.lower == [None] and cold.expected is not None
    assert cold.settings["expected"] is True
    s = sensitivity("darwin", "mu_mu")
    assert cold.expected["median"][0] == pytest.approx(s.expected, rel=0.01)
    warm = scan(["darwin"], flavours=["mu"], masses=[1 * u.keV], cache=tmp_path)[0]
    assert warm.to_dict() == cold.to_dict()
