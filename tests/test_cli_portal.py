"""`nuem portal` and `nuem catalog` on the command line."""

from __future__ import annotations

import json

from nuem.limits.derive import derive_limit


def test_portal_json_rows(nuem_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("NUEM_CACHE_DIR", str(tmp_path))
    code, out, _ = nuem_cli("portal", "--flavour", "tau", "--experiment", "lz",
                            "--masses", "1keV:10MeV:3", "--json")  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    assert [r["status"] for r in rows] == ["ok", "ok", "no sensitivity"]
    for r in rows:
        assert {"experiment", "flavour", "mass_MeV", "limit_muB", "expected_muB", "cl"} <= set(r)
    ref = derive_limit("lz", "mu_tau", expected=False).headline
    assert abs(rows[0]["limit_muB"] / ref - 1) < 0.01
    assert list((tmp_path / "scan").glob("*.json"))  # cached


def test_portal_writes_the_figure_and_hepdata(nuem_cli, tmp_path, monkeypatch):
    # a cache of this test's own: the second command reads the scan the first one computed
    monkeypatch.setenv("NUEM_CACHE_DIR", str(tmp_path / "cache"))
    fig = tmp_path / "portal.png"
    # the computed stellar/cosmological regions are drawn and checked in test_plot_portal_regions
    code, _, err = nuem_cli("portal", "--flavour", "e", "--experiment", "lz", "--masses",
                            "1keV:1MeV:2", "--astro", "digitised", "--out", str(fig))  # fmt: skip
    assert code == 0 and fig.stat().st_size > 10_000, err
    hep = str(tmp_path / "c.yaml")
    code, _, _ = nuem_cli("portal", "--flavour", "e", "--experiment", "lz", "--masses",
                          "1keV:1MeV:2", "--out", hep)  # fmt: skip
    assert code == 0 and (tmp_path / "c_lz_ws2022_er.yaml").is_file()


def test_portal_user_errors_are_one_line(nuem_cli):
    code, _, err = nuem_cli("portal", "--flavour", "e", "--masses", "1keV:10MeV")
    assert code == 2 and err.startswith("nuem: error:") and err.count("\n") == 1
    code, _, err = nuem_cli("portal", "--flavour", "e", "--executor", "threads", "--masses",
                            "1keV:1MeV:1", "--experiment", "lz", "--no-cache")  # fmt: skip
    assert code == 2 and "executor" in err


def test_catalog_json_and_superseded(nuem_cli):
    code, out, _ = nuem_cli("catalog", "--quantity", "mu", "--json")
    assert code == 0
    rows = json.loads(out)
    ids = {r["id"] for r in rows}
    assert "mu_gemma_2012" in ids and "mu_gemma_2007" not in ids  # superseded, hidden
    code, out, _ = nuem_cli("catalog", "--quantity", "mu", "--all", "--json")
    old = next(r for r in json.loads(out) if r["id"] == "mu_gemma_2007")
    assert old["superseded_by"] == "mu_gemma_2010"
    code, out, _ = nuem_cli("catalog", "--quantity", "portal", "--flavour", "mu")
    assert code == 0 and "CHARM-II" in out and "digitised" in out
