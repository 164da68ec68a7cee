"""The (M_N, μ) plane of the dipole portal for one flavour: the summary figure.

``plot_portal(flavour, curves, ...)`` draws

- nuem's computed limits (:class:`nuem.scan.LimitCurve`, solid lines), and the XENON1T-excess
  region where nuem's XENON1T curve is a two-sided interval (the data prefer a signal);
- the catalogue's digitised laboratory curves (:mod:`nuem.catalog`, thin dashed, labelled
  "digitised") and its astrophysical / cosmological regions (filled, labelled "digitised");
- ``regions``: computed astrophysical/cosmological regions (:class:`PortalBand`; the hook for
  nuem.astro / nuem.cosmo). Given, they replace the digitised region of the same ``key``;
- ``projections``: projected sensitivities (LimitCurves or PortalBands, dotted; the hook for
  the projections issue).

The CL is in every legend entry; when the plotted items mix CLs the legend title says so (no
curve is rescaled). Bare :class:`matplotlib.figure.Figure`; returns ``(fig, ax)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from nuem.catalog import CatalogEntry, portal_curves

__all__ = ["PortalBand", "plot_portal"]

_FLAVOUR = {"e": "e", "mu": "μ", "tau": "τ", "eff": "α (all flavours)"}
_NUEM_COLOURS = ["#08306b", "#cb181d", "#ec7014", "#6a51a3", "#000000", "#0868ac", "#ae017e"]
_REGION_COLOURS = {"astrophysics": "#fdd49e", "cosmology": "#c7e9c0"}
_DIGITISED_COLOURS = ["#737373", "#8c6d31", "#7b4173", "#3182bd", "#637939", "#843c39", "#5254a3"]
_EDGE = {"astrophysics": "#d94801", "cosmology": "#41ab5d"}


@dataclass(frozen=True)
class PortalBand:
    """A region (``lower``..``upper`` per mass; ``upper`` None: everything above ``lower`` is
    excluded) or a projected limit (``upper`` None, ``kind="projection"``), in μ_B vs MeV.
    ``key`` ("sn", "bbn", ...) lets a computed region replace the digitised one."""

    label: str
    masses_MeV: Sequence[float]
    lower: Sequence[float]
    upper: Sequence[float] | None = None
    cl: float | None = None
    kind: str = "region"
    category: str = "astrophysics"
    computed: bool = True
    key: str | None = None


def _cl(cl) -> str:
    return "" if cl is None else f", {100 * cl:g}% CL"


def _catalogue_key(e: CatalogEntry) -> str:
    return e.id.split("_", 2)[-1]


def _draw_region_entry(ax, e: CatalogEntry, colour: str) -> None:
    m, v = np.asarray(e.masses_MeV), np.asarray(e.limit_muB)
    if e.top_masses_MeV:  # a wedge: lower edge, then the upper edge back
        mt, vt = np.asarray(e.top_masses_MeV), np.asarray(e.top_limit_muB)
        order_b, order_t = np.argsort(m), np.argsort(mt)[::-1]
        xs = np.concatenate([m[order_b], mt[order_t]])
        ys = np.concatenate([v[order_b], vt[order_t]])
        ax.fill(xs, ys, color=colour, alpha=0.55, lw=0.8, ec="0.4", label=e.label)
        return
    # a digitised closed contour (BBN) closed through vertices off the plot (mu = 1e-18,
    # M = 1e-4 MeV): drawn as its boundary only, without them, since the digitisation does not
    # say which side is excluded (NaN breaks the line where they were)
    keep = (v > 1e-16) & (m > 1.5e-4)
    ax.plot(m, np.where(keep, v, np.nan), "-", lw=1.6, color=_EDGE.get(e.category, "0.3"),
            label=f"{e.label} boundary")  # fmt: skip


def _draw_band(ax, b: PortalBand, colour: str) -> None:
    m = np.asarray(b.masses_MeV)
    lo = np.asarray(b.lower, dtype=float)
    lab = f"{b.label}{'' if b.computed else ' (digitised)'}{_cl(b.cl)}"
    if b.kind == "projection":
        ax.plot(m, lo, ls=":", lw=2.0, color=colour, label=lab)
        return
    hi = np.full_like(lo, 1.0) if b.upper is None else np.asarray(b.upper, dtype=float)
    ax.fill_between(m, lo, hi, color=colour, alpha=0.5, lw=0.8, ec="0.3", label=lab)


def _legend_rank(label: str) -> int:
    for rank, key in enumerate(("(nuem)", "excess", "projected", "(digitised)")):
        if key in label:
            return rank
    return 2


def plot_portal(
    flavour: str,
    curves: Sequence = (),
    *,
    catalogue: bool = True,
    regions: Sequence[PortalBand] = (),
    projections: Sequence = (),
    expected: bool = False,
    xlim: tuple[float, float] = (1e-3, 1e3),
    ylim: tuple[float, float] = (1e-13, 1e-5),
    ax=None,
):
    """(fig, ax) of the portal plane of ``flavour`` (e, mu, tau, eff); see the module doc.

    ``curves``: nuem LimitCurves of this flavour; ``expected``: also draw each curve's expected
    median (thin); ``catalogue``: add the digitised curves of :mod:`nuem.catalog` (for ``eff``
    only the astrophysical/cosmological regions, which HNLimits lists identically for every
    flavour: those of ``e`` are drawn).
    """
    if ax is None:
        fig = Figure(figsize=(10.5, 5.6))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    cls: set[float] = set()
    computed_keys = {b.key for b in regions if b.key}
    n_lab = 0
    if catalogue:
        entries = portal_curves("e" if flavour == "eff" else flavour)
        for e in entries:
            if _catalogue_key(e) in computed_keys:
                continue
            if e.category != "laboratory" or e.shape == "region":
                _draw_region_entry(ax, e, _REGION_COLOURS.get(e.category, "#d9d9d9"))
            elif flavour != "eff":
                colour = _DIGITISED_COLOURS[n_lab % len(_DIGITISED_COLOURS)]
                n_lab += 1
                ax.plot(e.masses_MeV, e.limit_muB, ls="--", lw=1.1, color=colour, label=e.label)
            else:
                continue
            if e.cl is not None:
                cls.add(e.cl)
    for b in regions:
        _draw_band(ax, b, _REGION_COLOURS.get(b.category, "#d9d9d9"))
        if b.cl is not None:
            cls.add(b.cl)
    for i, cv in enumerate(c for c in curves if c.flavour == flavour):
        colour = _NUEM_COLOURS[i % len(_NUEM_COLOURS)]
        m = np.array(cv.masses_MeV)
        v = np.array([np.nan if x is None else x for x in cv.observed], dtype=float)
        ax.plot(m, v, "-", lw=2.2, color=colour, label=f"{cv.display_name} (nuem){_cl(cv.cl)}")
        cls.add(cv.cl)
        if expected and cv.expected is not None:
            med = np.array([np.nan if x is None else x for x in cv.expected["median"]])
            ax.plot(m, med, "-.", lw=1.0, color=colour, alpha=0.7,
                    label=f"{cv.display_name} (nuem) expected median")  # fmt: skip
        region = cv.excess_region()
        if region:
            mm, lo, hi = (np.array(x) for x in zip(*region, strict=True))
            lab = f"{cv.display_name} excess (nuem interval){_cl(cv.cl)}"
            ax.fill_between(mm, lo, hi, color="#fb6a4a", alpha=0.45, lw=0, label=lab)
    for i, p in enumerate(projections):
        colour = _NUEM_COLOURS[(i + 3) % len(_NUEM_COLOURS)]
        if isinstance(p, PortalBand):
            _draw_band(ax, p, colour)
            cl = p.cl
        else:
            v = [np.nan if x is None else x for x in p.observed]
            ax.plot(p.masses_MeV, v, ":", lw=2.0, color=colour,
                    label=f"{p.display_name} (projected){_cl(p.cl)}")  # fmt: skip
            cl = p.cl
        if cl is not None:
            cls.add(cl)
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
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda k: _legend_rank(labels[k]))
    ax.legend(
        [handles[k] for k in order],
        [labels[k] for k in order],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7.5,
        title=title,
        title_fontsize=7.5,
        frameon=False,
    )
    return fig, ax
