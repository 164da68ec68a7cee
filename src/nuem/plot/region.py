"""Allowed regions of two couplings from the global fit (``nuem.limits.global_fit.region_2d``).

``plot_region(regions, ax=None, labels=None, limits=None)`` draws, for one region or several
overlaid (the combination and each experiment, say), the area Δ(−2 ln L) ≤ χ²₂⁻¹(cl) (filled for
the first, contours for every one), the best fit of the first, and optional one-dimensional
limits as lines. Couplings are shown in units of 10⁻¹¹ μ_B with mathtext names (μ_e, Λ₁, …).
Returns ``(fig, ax)``; the figure is registered with pyplot when pyplot is in use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from nuem.plot.style import new_figure, styled

__all__ = ["coupling_tex", "experiment_label", "plot_region"]

SCALE = 1e-11
_COLOURS = ("#08519c", "#d94801", "#238b45", "#6a51a3", "#a50f15", "#525252")
_GREEK = {"mu": r"\mu", "Lambda": r"\Lambda", "lambda": r"\lambda", "tau": r"\tau", "d": "d"}


def coupling_tex(name: str) -> str:
    """Mathtext of a coupling name: ``mu_e`` → ``$\\mu_e$``, ``Lambda_1`` → ``$\\Lambda_1$``,
    ``mu_e_mu`` → ``$\\mu_{e\\mu}$``; anything else verbatim."""
    head, _, tail = name.partition("_")
    if head not in _GREEK:
        return name
    sub = "".join(_GREEK.get(p, p) for p in tail.split("_")) if tail else ""
    sub = re.sub(r"\\mu(?=[a-zA-Z])", r"\\mu ", sub)
    return f"${_GREEK[head]}" + (f"_{{{sub}}}$" if sub else "$")


def plot_region(
    regions,
    ax=None,
    labels: Sequence[str] | None = None,
    limits: Mapping[str, float] | None = None,
    title: str | None = None,
):
    """(fig, ax) with the allowed region(s).

    Parameters
    ----------
    regions : Region2D or sequence of Region2D
        The first is filled and carries the best-fit marker; all share the two couplings.
    labels : sequence of str, optional
        Legend names (default: "combined (N experiments)" or the experiment).
    limits : mapping, optional
        One-dimensional limits ``{coupling: value in mu_B}`` drawn as dashed lines.
    title : str, optional
        Default: "<CL>% CL allowed region" (the experiments are in the legend).
    """
    regs = [regions] if hasattr(regions, "delta_nll2") else list(regions)
    if not regs:
        raise ValueError("plot_region needs at least one region")
    pair = regs[0].couplings
    with styled():
        if ax is None:
            fig = new_figure(figsize=(6.4, 5.2))
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        handles = []
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        for k, reg in enumerate(regs):
            x, y = reg.x / SCALE, reg.y / SCALE
            d = np.asarray(reg.delta_nll2)
            colour = _COLOURS[k % len(_COLOURS)]
            name = labels[k] if labels is not None else _default_label(reg)
            if k == 0:
                ax.contourf(x, y, d, levels=[-np.inf, reg.level], colors=["#9ecae1"], alpha=0.6)
                handles.append(Patch(facecolor="#9ecae1", edgecolor=colour, label=name))
            else:
                handles.append(Line2D([], [], color=colour, label=name))
            ax.contour(x, y, d, levels=[reg.level], colors=[colour], linewidths=1.6)
        _frame(ax, regs)
        bx, by = regs[0].best_fit
        ax.plot([bx / SCALE], [by / SCALE], "k+", ms=11, mew=1.6)
        handles.append(Line2D([], [], color="k", marker="+", ls="", ms=10, label="best fit"))
        for cpl, value in (limits or {}).items():
            if cpl == pair[0]:
                ax.axvline(value / SCALE, color="0.35", ls="--", lw=1.2)
            elif cpl == pair[1]:
                ax.axhline(value / SCALE, color="0.35", ls="--", lw=1.2)
        if limits:
            one_d = "1-D limits (others profiled)"
            handles.append(Line2D([], [], color="0.35", ls="--", label=one_d))
        ax.set_xlabel(rf"{coupling_tex(pair[0])} [$10^{{-11}}\,\mu_B$]")
        ax.set_ylabel(rf"{coupling_tex(pair[1])} [$10^{{-11}}\,\mu_B$]")
        ax.set_title(title or f"{100 * regs[0].cl:g}% CL allowed region, others profiled")
        ax.legend(handles=handles, loc="best", frameon=False)
    return fig, ax


def _frame(ax, regs) -> None:
    """Axis ranges: every allowed region with a 30% margin (room for the legend above)."""
    xs, ys = [], []
    for reg in regs:
        inside = np.asarray(reg.delta_nll2) <= reg.level
        if inside.any():
            yy, xx = np.nonzero(inside)
            xs += [reg.x[xx].min(), reg.x[xx].max()]
            ys += [reg.y[yy].min(), reg.y[yy].max()]
    if not xs:
        return
    for setter, lo, hi in ((ax.set_xlim, min(xs), max(xs)), (ax.set_ylim, min(ys), max(ys))):
        pad = 0.15 * (hi - lo)
        setter((lo - pad if lo < 0 else 0.0) / SCALE, (hi + 2 * pad) / SCALE)


def experiment_label(name: str) -> str:
    """Short human name of a card: its title up to the first comma (the card name if unknown)."""
    from nuem.experiments import load_card
    from nuem.experiments.validation import CardError

    try:
        return str(load_card(name).raw.get("title", name)).split(",")[0]
    except CardError:
        return name


def _default_label(reg) -> str:
    exps = list(reg.experiments)
    if len(exps) == 1:
        return experiment_label(exps[0])
    return f"combined ({len(exps)} experiments)"
