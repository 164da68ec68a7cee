"""The allowed region of two couplings from the global fit (``nuem.limits.global_fit.region_2d``).

``plot_region(region, ax=None)`` draws the filled area Δ(−2 ln L) ≤ χ²₂⁻¹(cl), its contour and the
best fit, couplings in units of 10⁻¹¹ μ_B. Bare :class:`matplotlib.figure.Figure`; returns
``(fig, ax)``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_region"]

SCALE = 1e-11


def plot_region(region, ax=None):
    """(fig, ax) with the allowed region of ``region`` (a :class:`Region2D`)."""
    if ax is None:
        fig = Figure(figsize=(5.5, 4.5))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    x, y = region.x / SCALE, region.y / SCALE
    d = np.asarray(region.delta_nll2)
    ax.contourf(x, y, d, levels=[-np.inf, region.level], colors=["#9ecae1"], alpha=0.8)
    ax.contour(x, y, d, levels=[region.level], colors=["#08519c"], linewidths=1.5)
    bx, by = region.best_fit
    ax.plot([bx / SCALE], [by / SCALE], "k+", ms=10, label="best fit")
    ax.set_xlabel(f"{region.couplings[0]} [1e-11 μ_B]")
    ax.set_ylabel(f"{region.couplings[1]} [1e-11 μ_B]")
    ax.set_title(f"{100 * region.cl:g}% CL allowed region ({' + '.join(region.experiments)})",
                 fontsize=8)  # fmt: skip
    ax.legend(loc="upper right", fontsize=8)
    return fig, ax
