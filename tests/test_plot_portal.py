"""The portal summary figure: what it draws and how it labels it."""

from __future__ import annotations

from nuem.plot import PortalBand, plot_portal
from nuem.scan import LimitCurve


def _curve(flavour="e", lower=None):
    return LimitCurve(
        experiment="xenon1t_sr1_er_2020",
        label="XENON1T",
        flavour=flavour,
        masses_MeV=[0.001, 0.01, 0.1],
        observed=[3e-11, 3.1e-11, 5e-11],
        lower=lower or [None, None, None],
        status=["ok"] * 3,
        cl=0.9,
    )


def _labels(ax):
    """The legend's entries, in legend order."""
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_nuem_curves_digitised_catalogue_and_mixed_cl_flag(tmp_path):
    fig, ax = plot_portal("e", [_curve(lower=[1.5e-11, 1.6e-11, None])], astro="digitised")
    labels = _labels(ax)
    assert labels[0] == "XENON1T (nuem), 90% CL"  # nuem first
    assert "XENON1T excess (nuem interval), 90% CL" in labels
    assert any("LEP (digitised), 95% CL" == lab for lab in labels)
    assert any(lab.startswith("SN1987A (digitised)") for lab in labels)
    assert "mixed CLs: 90%, 95%" in ax.get_legend().get_title().get_text()
    assert ax.get_xscale() == ax.get_yscale() == "log"
    fig.savefig(tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 10_000


def test_computed_region_replaces_the_digitised_one_and_projections_are_dotted():
    sn = PortalBand("SN1987A (nuem.astro)", [0.01, 100.0], [1e-12, 1e-12], [1e-10, 1e-10],
                    cl=0.9, key="sn")  # fmt: skip
    proj = LimitCurve("xlzd", "e", [0.001, 1.0], [1e-12, 1e-10], ["ok", "ok"], 0.9, label="XLZD")
    fig, ax = plot_portal("e", [_curve()], regions=[sn], projections=[proj], catalogue=True,
                          astro="digitised")  # fmt: skip
    labels = _labels(ax)
    assert "SN1987A (nuem.astro), 90% CL" in labels
    assert not any(lab.startswith("SN1987A (digitised)") for lab in labels)
    line = next(ln for ln in ax.get_lines() if ln.get_label().startswith("XLZD (projected)"))
    assert line.get_linestyle() == ":"


def test_single_cl_has_no_flag_and_other_flavours_are_skipped():
    fig, ax = plot_portal("mu", [_curve("e")], catalogue=False, astro="none")
    assert _labels(ax) == []
    fig, ax = plot_portal("eff", [_curve("eff")], catalogue=False, astro="none")
    assert ax.get_legend().get_title().get_text() == ""


def test_curves_of_one_experiment_are_told_apart_by_target():
    from types import SimpleNamespace

    from nuem.plot.portal import _distinct_names

    curves = [SimpleNamespace(display_name="COHERENT", experiment="coherent_csi_2021"),
              SimpleNamespace(display_name="COHERENT", experiment="coherent_lar_2020"),
              SimpleNamespace(display_name="LZ", experiment="lz_ws2022_er")]  # fmt: skip
    assert _distinct_names(curves) == ["COHERENT CsI", "COHERENT Ar", "LZ"]
