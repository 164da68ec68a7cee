"""The (M_N, μ) plane of the dipole portal for one flavour: the summary figure.

``plot_portal(flavour, curves, ...)`` draws

- nuem's computed limits (:class:`nuem.scan.LimitCurve`, solid lines), and the XENON1T-excess
  region where nuem's XENON1T curve is a two-sided interval (the data prefer a signal);
- the catalogue's digitised laboratory curves (:mod:`nuem.catalog`, thin dashed, labelled
  "digitised");
- the astrophysical and cosmological regions (``astro=``): by default those COMPUTED by
  nuem.astro / nuem.cosmo (:func:`nuem.plot.bands.computed_regions`: red giants, SN1987A,
  BBN late decays and equilibrium, ΔN_eff at recombination, filled, labelled "computed" with
  CL or "criterion" and their main assumption; ΔN_eff, quoted at M_N → 0, as a marker on the
  left edge), which replace the digitised region of the same key; ``astro="both"`` draws the
  digitised ones (hatched, labelled "digitised") beside them, ``"digitised"`` only those;
- ``regions``: further PortalBands (they replace the digitised region of their ``key``);
- ``projections``: projected sensitivities (LimitCurves of projection cards: their expected
  median; or PortalBands), dotted, labelled "projected".

The CL is in every legend entry; when the plotted items mix CLs the legend title says so (no
curve is rescaled), and says that a "criterion" is a bound without a CL. The figure comes from
:func:`nuem.plot.style.new_figure` (registered with pyplot when pyplot is in use); returns
``(fig, ax)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nuem.catalog import CatalogEntry, portal_curves
from nuem.plot.bands import PortalBand, computed_regions
from nuem.plot.style import new_figure

__all__ = ["ASTRO_MODES", "PortalBand", "plot_portal"]

#: ``astro=`` of :func:`plot_portal`: which stellar/cosmological regions are drawn.
ASTRO_MODES = ("computed", "both", "digitised", "none")
_FLAVOUR = {"e": "e", "mu": "μ", "tau": "τ", "eff": "α (all flavours)"}
_NUEM_COLOURS = ["#08306b", "#cb181d", "#ec7014", "#6a51a3", "#000000", "#0868ac", "#ae017e",
                 "#8c510a", "#35978f", "#737373"]
_PROJ_COLOURS = ["#1b7837", "#762a83", "#b35806", "#2166ac", "#c51b7d", "#01665e", "#8073ac"]
_REGION_COLOURS = {"astrophysics": "#fdd49e", "cosmology": "#c7e9c0"}
_DIGITISED_COLOURS = ["#737373", "#8c6d31", "#7b4173", "#3182bd", "#637939", "#843c39", "#5254a3",
                      "#bd9e39", "#d6616b", "#17becf", "#e7969c"]
_EDGE = {"astrophysics": "#d94801", "cosmology": "#41ab5d"}
#: computed bound -> (fill, edge)
_BOUND_COLOURS = {
    "red-giant": ("#fd8d3c", "#d94801"),
    "sn1987a": ("#fa9fb5", "#c51b8a"),
    "bbn": ("#c7e9c0", "#41ab5d"),
    "bbn-equilibrium": ("#a1d99b", "#006d2c"),
    "neff": ("#006d2c", "#006d2c"),
    "neff-cmb": ("#9ecae1", "#2171b5"),
}
_FLOOR = 1e-30  # a lower edge of 0 on the log axis


def _cl(cl) -> str:
    return "" if cl is None else f", {100 * cl:g}% CL"


def _catalogue_key(e: CatalogEntry) -> str:
    return e.id.split("_", 2)[-1]


def _draw_region_entry(ax, e: CatalogEntry, colour: str, edge: str) -> None:
    """A digitised region: hatched outline over a light fill (computed regions are filled)."""
    m, v = np.asarray(e.masses_MeV), np.asarray(e.limit_muB)
    if e.top_masses_MeV:  # a wedge: lower edge, then the upper edge back
        mt, vt = np.asarray(e.top_masses_MeV), np.asarray(e.top_limit_muB)
        order_b, order_t = np.argsort(m), np.argsort(mt)[::-1]
        xs = np.concatenate([m[order_b], mt[order_t]])
        ys = np.concatenate([v[order_b], vt[order_t]])
        ax.fill(xs, ys, fc=colour, alpha=0.35, lw=0.9, ec=edge, hatch="///", zorder=1.1,
                label=e.label)  # fmt: skip
        return
    # a digitised closed contour (BBN) closed through vertices off the plot (mu = 1e-18,
    # M = 1e-4 MeV): drawn as its boundary only, without them, since the digitisation does not
    # say which side is excluded (NaN breaks the line where they were)
    keep = (v > 1e-16) & (m > 1.5e-4)
    ax.plot(m, np.where(keep, v, np.nan), "--", lw=1.4, color=edge, zorder=1.2,
            label=f"{e.label} boundary")  # fmt: skip


def _band_label(b: PortalBand) -> str:
    if b.computed and b.cl is None and b.kind != "projection":
        lab = f"{b.label}, criterion (no CL)"
    else:
        lab = f"{b.label}{'' if b.computed else ' (digitised)'}{_cl(b.cl)}"
    return f"{lab}\n    {b.note}" if b.note else lab


def _draw_band(ax, b: PortalBand, colour: str, xlim) -> None:
    m = np.asarray(b.masses_MeV, dtype=float)
    lo = np.asarray(b.lower, dtype=float)
    lab = _band_label(b)
    fill, edge = _BOUND_COLOURS.get(b.bound, (colour, _EDGE.get(b.category, "0.3")))
    if b.kind == "projection":
        ax.plot(m, lo, ls=":", lw=2.2, color=colour, label=lab, zorder=3)
        return
    if b.kind == "point":  # quoted at M_N -> 0: a marker on the left edge
        ax.plot([xlim[0], xlim[0] * 2.5], [lo[0], lo[0]], "-", lw=2.5, color=edge, marker="<",
                ms=7, clip_on=False, zorder=4, label=lab)  # fmt: skip
        return
    on = np.isfinite(lo)
    hi = np.ones_like(lo) if b.upper is None else np.asarray(b.upper, dtype=float)
    hi = np.where(np.isfinite(hi), hi, 1.0)
    lo = np.where(on, np.maximum(lo, _FLOOR), _FLOOR)
    alpha, z = (0.3, 1.0) if b.category == "cosmology" else (0.4, 1.05)
    ax.fill_between(m, lo, hi, where=on, color=fill, alpha=alpha, lw=0, zorder=z, label=lab)
    # the excluded edges as lines (an edge at the floor or the open top is not drawn)
    ax.plot(m, np.where(on & (lo > _FLOOR), lo, np.nan), "-", lw=1.2, color=edge, zorder=1.5)
    if b.upper is not None:
        ax.plot(m, np.where(on & (hi < 1.0), hi, np.nan), "-", lw=1.2, color=edge, zorder=1.5)


def _legend_rank(label: str) -> int:
    for rank, key in enumerate(("(nuem)", "excess", "projected", "(computed)", "(digitised)")):
        if key in label:
            return rank
    return 3


def _values(xs) -> np.ndarray:
    return np.array([np.nan if x is None else x for x in xs], dtype=float)


def _projection_values(p) -> tuple[np.ndarray, str]:
    """A projected LimitCurve's line: its expected median (a projection card has no observed
    limit), else its observed limit."""
    if p.expected is not None and all(v is None for v in p.observed):
        return _values(p.expected["median"]), "projected, median"
    return _values(p.observed), "projected"


def plot_portal(
    flavour: str,
    curves: Sequence = (),
    *,
    catalogue: bool = True,
    astro: str = "computed",
    regions: Sequence[PortalBand] = (),
    projections: Sequence = (),
    expected: bool = False,
    xlim: tuple[float, float] = (1e-3, 1e3),
    ylim: tuple[float, float] = (1e-13, 1e-5),
    ax=None,
):
    """(fig, ax) of the portal plane of ``flavour`` (e, mu, tau, eff); see the module doc.

    ``curves``: nuem LimitCurves of this flavour; ``expected``: also draw each curve's expected
    median (thin); ``catalogue``: add the digitised laboratory curves of :mod:`nuem.catalog`;
    ``astro``: the stellar and cosmological regions, "computed" (by nuem.astro / nuem.cosmo,
    :func:`nuem.plot.bands.computed_regions`; they replace the digitised region of the same
    key), "both" (computed, and the digitised ones hatched beside them), "digitised" (the
    catalogue's only; for ``eff`` those of ``e``, which HNLimits lists identically for every
    flavour) or "none"; ``regions``: further PortalBands (replacing the digitised region of
    their key); ``projections``: LimitCurves (their expected median when they have no observed
    limit: projection cards) or PortalBands, dotted and labelled "projected".
    """
    from nuem._validate import choice

    astro = choice("astro", astro, ASTRO_MODES)
    if astro in ("computed", "both"):
        regions = [*computed_regions(flavour, xlim), *regions]
    if ax is None:
        fig = new_figure(figsize=(13.0, 6.8))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    cls: set[float] = set()
    criteria = False
    replaced = {b.key for b in regions if b.key} if astro != "both" else set()
    n_lab = 0
    for e in portal_curves("e" if flavour == "eff" else flavour):
        is_region = e.category != "laboratory" or e.shape == "region"
        if e.category == "laboratory":
            if not catalogue or (flavour == "eff" and not is_region):
                continue
        elif astro == "none" or _catalogue_key(e) in replaced:
            continue
        if is_region:
            _draw_region_entry(ax, e, _REGION_COLOURS.get(e.category, "#d9d9d9"),
                               _EDGE.get(e.category, "0.3"))  # fmt: skip
        else:
            colour = _DIGITISED_COLOURS[n_lab % len(_DIGITISED_COLOURS)]
            n_lab += 1
            ax.plot(e.masses_MeV, e.limit_muB, ls="--", lw=1.1, color=colour, label=e.label,
                    zorder=2)  # fmt: skip
        if e.cl is not None:
            cls.add(e.cl)
    for b in regions:
        _draw_band(ax, b, _REGION_COLOURS.get(b.category, "#d9d9d9"), xlim)
        if b.cl is not None:
            cls.add(b.cl)
        criteria |= b.cl is None
    drawn = [c for c in curves if c.flavour == flavour and any(v is not None for v in c.observed)]
    names = _distinct_names(drawn)
    for i, cv in enumerate(drawn):  # a curve without any number (no sensitivity) is left out
        colour = _NUEM_COLOURS[i % len(_NUEM_COLOURS)]
        m = np.array(cv.masses_MeV)
        ax.plot(m, _values(cv.observed), "-", lw=2.2, color=colour, zorder=3,
                label=f"{names[i]} (nuem){_cl(cv.cl)}")  # fmt: skip
        cls.add(cv.cl)
        if expected and cv.expected is not None:
            ax.plot(m, _values(cv.expected["median"]), "-.", lw=1.0, color=colour, alpha=0.8,
                    zorder=3, label=f"{names[i]} (nuem) expected median")  # fmt: skip
        region = cv.excess_region()
        if region:
            mm, lo, hi = (np.array(x) for x in zip(*region, strict=True))
            lab = f"{cv.display_name} excess (nuem interval){_cl(cv.cl)}"
            ax.fill_between(mm, lo, hi, facecolor="#ffd92f", edgecolor="#b8860b", hatch="///",
                            alpha=0.8, lw=0.8, label=lab, zorder=2.5)  # fmt: skip
    for i, p in enumerate(p for p in projections if getattr(p, "flavour", flavour) == flavour):
        colour = _PROJ_COLOURS[i % len(_PROJ_COLOURS)]
        if isinstance(p, PortalBand):
            _draw_band(ax, p, colour, xlim)
        else:
            v, what = _projection_values(p)
            ax.plot(p.masses_MeV, v, ":", lw=2.2, color=colour, zorder=3,
                    label=f"{p.display_name} ({what}){_cl(p.cl)}")  # fmt: skip
        if p.cl is not None:
            cls.add(p.cl)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(r"$M_N$ [MeV]")
    ax.set_ylabel(r"transition moment $\mu$ [$\mu_B$]")
    ax.set_title(f"Dipole portal ν_{_FLAVOUR[flavour]} → N", fontsize=11)
    ax.grid(True, which="major", alpha=0.25)
    title = None
    if len(cls) > 1:
        title = "mixed CLs: " + ", ".join(f"{100 * c:g}%" for c in sorted(cls)) + " (not rescaled)"
    if criteria:
        title = (title + "\n" if title else "") + "criterion: a bound without a CL"
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda k: _legend_rank(labels[k]))
    ax.legend(
        [handles[k] for k in order],
        [labels[k] for k in order],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title=title,
        title_fontsize=8,
        frameon=False,
        labelspacing=0.4,
        ncols=1 if len(labels) <= 30 else 2,
        alignment="left",
    )
    return fig, ax


def _distinct_names(curves) -> list[str]:
    """Legend names of ``curves``: the experiment, with the target added where two curves of the
    plot share it (COHERENT CsI and COHERENT Ar), and the card name where that is not enough."""
    from collections import Counter

    from nuem.experiments import load_card
    from nuem.experiments.validation import CardError

    count = Counter(cv.display_name for cv in curves)
    out = []
    for cv in curves:
        name = cv.display_name
        if count[name] > 1:
            try:
                name = f"{name} {load_card(cv.experiment).raw['target']['formula']}"
            except CardError:
                name = f"{name} ({cv.experiment})"
        out.append(name)
    if len(set(out)) < len(out):  # same experiment and target: the card names tell them apart
        out = [
            f"{n} ({cv.experiment})" if out.count(n) > 1 else n
            for n, cv in zip(out, curves, strict=True)
        ]
    return out

