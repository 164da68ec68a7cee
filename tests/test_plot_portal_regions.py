"""The portal figure draws the regions computed by nuem.astro / nuem.cosmo, and projections."""

from __future__ import annotations

import numpy as np
import pytest

from nuem import units as u
from nuem.cosmo import neff
from nuem.cosmo.bands import excluded_band
from nuem.errors import NuemInputError
from nuem.plot import plot_portal
from nuem.plot.bands import computed_regions, from_excluded_band
from nuem.scan import LimitCurve


def _labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _curve(flavour="e"):
    return LimitCurve("xenon1t_sr1_er_2020", flavour, [0.001, 0.01, 0.1], [3e-11, 3.1e-11, 5e-11],
                      ["ok"] * 3, 0.9, label="XENON1T")  # fmt: skip


def test_computed_regions_replace_the_digitised_ones_and_say_computed_cl_and_assumption():
    fig, ax = plot_portal("e", [_curve()])
    labels = _labels(ax)
    rg = next(lab for lab in labels if lab.startswith("Red giants (computed)"))
    assert "95% CL" in rg and "Capozzi & Raffelt 2020" in rg  # CL and the published input
    sn = next(lab for lab in labels if lab.startswith("SN1987A (computed)"))
    assert "criterion (no CL)" in sn and "10¹⁹ erg" in sn and "T = 30 MeV" in sn
    assert any(lab.startswith("BBN: late N decays (computed)") for lab in labels)
    assert any(lab.startswith("BBN: N in equilibrium (computed)") for lab in labels)
    assert any(lab.startswith("ΔN_eff (Dirac ν_R, M_N → 0) (computed), 95% CL") for lab in labels)
    # the digitised SN1987A wedge and BBN contour are replaced; laboratory curves stay, labelled
    assert not any(lab.startswith(("SN1987A (digitised)", "BBN (digitised)")) for lab in labels)
    assert "LEP (digitised), 95% CL" in labels
    title = ax.get_legend().get_title().get_text()
    assert "mixed CLs: 90%, 95%" in title and "criterion" in title
    # legend order: nuem, projected, computed, digitised
    first_computed = next(i for i, lab in enumerate(labels) if "(computed)" in lab)
    first_digitised = next(i for i, lab in enumerate(labels) if "(digitised)" in lab)
    assert labels[0].startswith("XENON1T (nuem)") and first_computed < first_digitised


def test_both_draws_computed_beside_digitised_and_digitised_keeps_the_old_figure():
    _, ax = plot_portal("e", astro="both")
    labels = _labels(ax)
    assert any(lab.startswith("SN1987A (computed)") for lab in labels)
    assert any(lab.startswith("SN1987A (digitised)") for lab in labels)
    _, ax = plot_portal("e", astro="digitised")
    assert not any("(computed)" in lab for lab in _labels(ax))
    with pytest.raises(NuemInputError, match="astro"):
        plot_portal("e", astro="painted")


def test_the_drawn_regions_are_nuem_astro_and_cosmo_numbers():
    regions = {b.bound: b for b in computed_regions("e")}
    assert set(regions) == {"red-giant", "sn1987a", "bbn", "bbn-equilibrium", "neff", "neff-cmb"}
    sn = regions["sn1987a"]
    m = np.asarray(sn.masses_MeV)
    pick = m[[0, 5, 12]]
    ref = excluded_band("sn1987a", pick, "e")
    for k, mk in enumerate(pick):
        i = int(np.flatnonzero(m == mk)[0])
        assert sn.lower[i] == pytest.approx(ref.excluded_from_muB[k], rel=1e-9)
        assert sn.upper[i] == pytest.approx(ref.excluded_to_muB[k], rel=1e-9)
    # the wedge closes on the plot: refined masses between the last open and first closed one
    open_ = np.isfinite(np.asarray(sn.lower))
    last = int(np.flatnonzero(open_)[-1])
    assert m[last + 1] / m[last] < (1e3 / 1e-3) ** (1 / 24)
    # the red giant bound at light N is the published 1.5e-12 (Capozzi & Raffelt 2020, 95% CL)
    assert regions["red-giant"].lower[0] == pytest.approx(1.5e-12, rel=0.02)
    assert regions["red-giant"].cl == 0.95
    # N_eff: one nu_R per flavour, three for eff
    assert regions["neff"].lower[0] == pytest.approx(neff.neff_bound(n_flavours=1) / u.mu_B)
    eff = computed_regions("eff", bounds=["neff"])[0]
    assert eff.lower[0] == pytest.approx(neff.neff_bound(n_flavours=3) / u.mu_B)
    assert eff.lower[0] < regions["neff"].lower[0]  # more nu_R: more Delta N_eff, tighter


def test_options_reach_the_bound_and_bad_input_is_refused():
    viaux = computed_regions("mu", bounds=["red-giant"],
                             options={"red-giant": {"published": "viaux-2013"}})[0]  # fmt: skip
    assert viaux.lower[0] == pytest.approx(4.5e-12, rel=0.02)
    assert "Viaux et al. 2013" in viaux.note
    with pytest.raises(NuemInputError, match="bound"):
        computed_regions("e", bounds=["white-dwarf"])
    with pytest.raises(NuemInputError, match="flavour"):
        computed_regions("x")


def test_from_excluded_band_keeps_open_and_closed_edges():
    b = from_excluded_band(excluded_band("bbn-equilibrium", [0.1, 10.0]))
    assert b.upper is None and b.cl is None and b.key == "bbn"  # open upwards, a criterion
    w = from_excluded_band(excluded_band("bbn", [10.0]))
    assert w.upper is not None and w.lower[0] == 0.0


def test_projection_curves_are_dotted_medians_and_empty_curves_are_left_out():
    proj = LimitCurve("darwin_xlzd_er", "e", [0.001, 1.0], [None, None], ["ok", "ok"], 0.9,
                      expected={k: [2e-12, 1e-9] for k in ("median", "minus1", "plus1", "minus2",
                                                           "plus2")},
                      label="DARWIN/XLZD")  # fmt: skip
    empty = LimitCurve("texono_2007_er", "e", [0.001], [None], ["no sensitivity"], 0.9,
                       label="TEXONO")  # fmt: skip
    _, ax = plot_portal("e", [_curve(), empty], projections=[proj], astro="none")
    line = next(ln for ln in ax.get_lines() if ln.get_label().startswith("DARWIN/XLZD"))
    assert line.get_label() == "DARWIN/XLZD (projected, median), 90% CL"
    assert line.get_linestyle() == ":"
    assert list(line.get_ydata()) == [2e-12, 1e-9]
    assert not any(lab.startswith("TEXONO") for lab in _labels(ax))
    _, ax = plot_portal("mu", projections=[proj], astro="none", catalogue=False)
    assert ax.get_legend() is None or _labels(ax) == []  # another flavour's projection: skipped
