"""Figure of a Standard-Model fit (:func:`nuem.limits.sm_fit.sm_fit`): data, the fitted
components and the total on a log scale, with the residuals (n - nu)/sqrt(nu) below."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Line colours of the SM neutrino groups (solid, thick) and of the backgrounds (thin, dashed).
_SM_COLOURS = {"sm_nu_pp": "tab:red", "sm_nu_7Be": "tab:orange", "sm_nu_pep": "tab:green",
               "sm_nu_cno": "tab:purple", "sm_nu_b8": "tab:brown"}  # fmt: skip
_BKG_COLOURS = ("tab:blue", "tab:cyan", "tab:gray", "tab:olive", "tab:pink", "navy", "goldenrod",
                "teal")  # fmt: skip


def _label(name: str) -> str:
    return name.replace("sm_nu_", "ν ").replace("b8", "⁸B").replace("cno", "CNO")


def plot_sm_fit(result: Any, title: str = "", xlabel: str = "N_h (hits)"):
    """``(fig, (ax, ax_res))``: stacked-free component curves, total and data per bin."""
    from nuem.plot.style import new_figure

    edges = np.asarray(result.edges, dtype=float)
    x = 0.5 * (edges[1:] + edges[:-1]) - 0.5  # integer hit counts for [a, b) bins of width 1
    n, nu = np.asarray(result.observed), np.asarray(result.expected)
    fig = new_figure(figsize=(8.0, 6.0))
    ax, axr = fig.subplots(2, 1, sharex=True, height_ratios=(3.2, 1.0))
    ax.errorbar(x, n, yerr=np.sqrt(np.maximum(n, 1.0)), fmt=".", ms=2, color="0.3", lw=0.5,
                label="data", zorder=1)  # fmt: skip
    k = 0
    for name, counts in result.components.items():
        if name in _SM_COLOURS:
            kw = {"color": _SM_COLOURS[name], "lw": 1.8}
        else:
            kw = {"color": _BKG_COLOURS[k % len(_BKG_COLOURS)], "lw": 0.9, "ls": "--"}
            k += 1
        ax.plot(x, counts, label=_label(name), **kw)
    ax.plot(x, nu, color="k", lw=1.2, label="total fit")
    ax.set_yscale("log")
    ax.set_ylim(0.5, 3 * max(n.max(), nu.max()))
    ax.set_ylabel("events per N_h bin")
    ax.legend(fontsize="x-small", ncol=4, frameon=False, loc="upper right")
    ax.set_title(title or f"SM fit: χ²/ndf = {result.chi2:.0f}/{result.ndf}", fontsize="medium")
    axr.axhline(0, color="k", lw=0.8)
    axr.plot(x, (n - nu) / np.sqrt(nu), ".", ms=2, color="0.3")
    axr.set_ylim(-5, 5)
    axr.set_ylabel("(n − ν)/√ν")
    axr.set_xlabel(xlabel)
    axr.set_xlim(edges[0], edges[-1])
    fig.tight_layout()
    return fig, (ax, axr)
