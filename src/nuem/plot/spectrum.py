"""Data, background and signal per reconstructed-energy bin of one experiment.

``plot_spectrum(card_or_data, hypothesis=None, bins=None, ax=None)`` draws the observed counts
(points with sqrt(N) error bars), the stacked expected components (backgrounds and nuem's SM
solar nu), and background + signal for the hypothesis. Accepts a card name / alias / Card, or a
dict from :func:`nuem.rates.spectrum_data`. Uses a bare :class:`matplotlib.figure.Figure` (no
pyplot state, works with any backend); returns ``(fig, ax)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from nuem.xsec.hypothesis import EMHypothesis

__all__ = ["plot_spectrum"]


def _label(h: EMHypothesis | None) -> str:
    if h is None:
        return "background + signal"
    parts = []
    if h.mu:
        parts.append(f"μ = {h.mu_in_mu_B:.2g} μ_B")
    if h.M:
        parts.append(f"M = {h.M * 1e3:.3g} keV" if h.M < 1.0 else f"M = {h.M:.3g} MeV")
    if h.q:
        parts.append(f"q = {h.q_in_e:.2g} e")
    if h.r2:
        parts.append(f"⟨r²⟩ = {h.r2_in_cm2:.2g} cm²")
    return "background + signal (" + ", ".join(parts) + ")" if parts else "background + signal"


def plot_spectrum(
    card_or_data: Any,
    hypothesis: EMHypothesis | None = None,
    bins: Any = None,
    ax: Any = None,
    **spectrum_kwargs: Any,
):
    """Draw data, expected components and background + signal; returns ``(fig, ax)``.

    ``card_or_data``: card name/alias/Card (then ``hypothesis``, ``bins`` and
    ``spectrum_kwargs`` go to :func:`nuem.rates.spectrum_data`) or that function's dict.
    """
    if isinstance(card_or_data, dict):
        data = card_or_data
    else:
        from nuem.rates import spectrum_data

        data = spectrum_data(card_or_data, hypothesis, bins, **spectrum_kwargs)
    edges = np.asarray(data["bin_edges_keV"], dtype=float)
    centres = 0.5 * (edges[1:] + edges[:-1])
    obs = np.asarray(data["observed"], dtype=float)
    if ax is None:
        fig = Figure(figsize=(7.0, 4.5))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    total = np.zeros_like(centres)
    for name, counts in data["expected"].items():
        lower = total.copy()
        total = total + np.asarray(counts, dtype=float)
        ax.stairs(total, edges, baseline=lower, fill=True, alpha=0.35, label=name)
    ax.stairs(total, edges, color="k", lw=1.2, label="expected background")
    sig = np.asarray(data["signal"], dtype=float)
    if np.any(sig != 0):
        ax.stairs(total + sig, edges, color="C3", lw=1.5, ls="--", label=_label(hypothesis))
    ax.errorbar(centres, obs, yerr=np.sqrt(np.maximum(obs, 0.0)), fmt="o", ms=3, color="k",
                label="data")  # fmt: skip
    ax.set_xlabel("reconstructed energy [keV]")
    ax.set_ylabel("counts per bin")
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(bottom=0)
    ax.set_title(data.get("experiment", ""))
    ax.legend(fontsize="small", frameon=False)
    return fig, ax
