"""The S1 + R2~ coupling plane: where Delta a_mu is explained and mu_nu stays below a limit.

``plot_leptoquark_scan(lam_L_mu, y_tilde_e, scan, ax=None)`` draws, on the grid given to
:func:`nuem.theory.leptoquark.leptoquark_g2_scan`, the transition moment |mu_{e mu}| (colour,
log10 mu_B), the contour mu = limit, and hatches the points where no real y_R[mu] explains the
chosen Delta a_mu. A figure from :func:`nuem.plot.style.new_figure`; returns ``(fig, ax)``.
"""

from __future__ import annotations

import numpy as np

from nuem import units as u
from nuem.plot.style import new_figure

__all__ = ["plot_leptoquark_scan"]


def plot_leptoquark_scan(lam_L_mu, y_tilde_e, scan, mu_limit, ax=None, title=None):
    """(fig, ax): log10 |mu_{e mu}|/mu_B over (lam_L_mu, y~_e) with the ``mu_limit`` contour."""
    if ax is None:
        fig = new_figure(figsize=(6.0, 4.6), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    x, y = np.broadcast_arrays(np.asarray(lam_L_mu, float), np.asarray(y_tilde_e, float))
    logmu = np.log10(np.maximum(scan["mu_e_mu"] / u.mu_B, 1e-300))
    cs = ax.contourf(x, y, logmu, levels=16, cmap="viridis")
    fig.colorbar(cs, ax=ax, label=r"$\log_{10}\,|\mu_{e\mu}|/\mu_B$")
    lim = np.log10(mu_limit / u.mu_B)
    line = ax.contour(x, y, logmu, levels=[lim], colors="white", linewidths=2.0, linestyles="solid")
    ax.clabel(line, fmt={lim: f"μ = {mu_limit / u.mu_B:.0e} μ_B"}, fontsize=8)
    no = ~np.asarray(scan["explains"], bool)
    if np.any(no):
        ax.contourf(x, y, no.astype(float), levels=[0.5, 1.5], colors="none", hatches=["//"])
    ax.set_yscale("log")
    ax.set_xlabel(r"$\lambda_L^{\mu}$ (S$_1$: $b\,\nu_\mu$, $t\,\mu_L$)")
    ax.set_ylabel(r"$\tilde y^{e}$ ($\tilde R_2$: $b\,\nu_e$)")
    ref = scan["g2_reference"]
    ax.set_title(
        title
        or rf"$y_R^\mu$ fixed by $\Delta a_\mu$ = {ref['delta_a_mu_1e-11']:.0f}"
        f"({ref['sigma_1e-11']:.0f})e-11 ({ref['key']}); allowed below the white line",
        fontsize=9,
    )
    return fig, ax
