"""Data, background and signal per reconstructed bin of one experiment.

``plot_spectrum(card_or_data, hypothesis=None, bins=None, ax=None)`` draws the observed counts
(points with sqrt(N) error bars), the stacked expected components (backgrounds and nuem's SM
neutrino prediction), and background + signal for the hypothesis. Accepts a card name / alias /
path / Card, or a dict from :func:`spectrum_payload` (or from :func:`nuem.rates.spectrum_data`).
The figure comes from :func:`nuem.plot.style.new_figure`: registered with pyplot when pyplot is
in use (``plt.show()`` works), a bare Figure otherwise (any backend); returns ``(fig, ax)``.

:func:`spectrum_payload` is the ``nuem spectrum`` view of :func:`nuem.rates.spectrum_data`: per bin
of the reconstructed variable, whatever the card.

- Energy x time cards (``response.time``, and cards with a pulse-shape axis): ``observed``,
  ``expected`` and ``signal`` are summed over every axis after energy (a projection onto
  energy), ``summed_over`` names those axes (``"time"``, ``"pulse_shape"``); the energy x time
  arrays are kept under ``energy_time`` (each a list of n_energy rows of n_time counts, summed
  over a pulse-shape axis) with ``time_edges_us``.
- Photoelectron cards (``response.reconstructed: photoelectrons``): the bin edges are counts of
  photoelectrons, ``bin_edges_PE`` (instead of ``bin_edges_keV``); ``bin_edges_hits`` for a hit
  estimator (Borexino's N_h).
  ``time_projection`` holds the same counts summed over energy (and pulse shape): one value per
  time bin, for the time panel (``plot_spectrum(..., projection="time")``).
- nuem's SM neutrino component is ``solar_nu_sm`` for a solar source, ``cevns_sm`` for a
  nuclear-recoil card and ``sm_nu`` (the name the likelihood gives it) for any other source.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.xsec.hypothesis import EMHypothesis

__all__ = ["plot_spectrum", "shape_spectrum", "spectrum_payload", "summed_note"]

#: nuem's SM neutrino component of a card whose source is not the Sun.


def _label(h: EMHypothesis | None) -> str:
    if h is None:
        return "background + signal"
    parts = []
    if h.mu:
        parts.append(f"μ = {h.mu / u.mu_B:.2g} μ_B")
    if h.M:
        parts.append(f"M = {h.M / u.keV:.3g} keV" if h.M < u.MeV else f"M = {h.M / u.MeV:.3g} MeV")
    if h.q:
        parts.append(f"q = {h.q_in_e:.2g} e")
    if h.r2:
        parts.append(f"⟨r²⟩ = {h.r2_in_cm2:.2g} cm²")
    return "background + signal (" + ", ".join(parts) + ")" if parts else "background + signal"


def _project(values: Any, n_energy: int) -> np.ndarray:
    """Sum over every axis after energy of a flat energy-major list: shape (n_energy,)."""
    return np.asarray(values, dtype=np.float64).reshape(n_energy, -1).sum(axis=1)


def _time_projection(values: Any, n_energy: int, n_time: int) -> list:
    """Sum over energy (and any axis after time) of a flat energy-major array: (n_time,)."""
    a = np.asarray(values, dtype=np.float64).reshape(n_energy, n_time, -1)
    return a.sum(axis=(0, 2)).tolist()


def _energy_time(values: Any, n_energy: int, n_time: int) -> list:
    """(n_energy, n_time) nested list of a flat energy-major (energy, time, ...) array, summed
    over any axis after time (a pulse-shape variable)."""
    a = np.asarray(values, dtype=np.float64).reshape(n_energy, n_time, -1)
    return a.sum(axis=2).tolist()


#: Edge keys of :func:`nuem.rates.spectrum_data` by reconstructed variable, with the axis label.
EDGE_KEYS = {
    "bin_edges_PE": "reconstructed photoelectrons [PE]",
    "bin_edges_hits": "hits N_h (energy estimator)",
    "bin_edges_keV": "reconstructed energy [keV]",
}


def edge_key(data: dict) -> str:
    """The bin-edge key present in a spectrum dict (PE, hits or keV)."""
    return next(k for k in EDGE_KEYS if k in data)


def shape_spectrum(data: dict, card: Any) -> dict:
    """The :func:`spectrum_payload` form of a :func:`nuem.rates.spectrum_data` dict for ``card``.

    Projects energy x time (x pulse shape) onto energy (sum over every axis after energy, the
    energy x time arrays kept under ``energy_time``, the summed axes named in ``summed_over``).
    Edge and component names are those of ``spectrum_data`` (``bin_edges_PE`` for photoelectron
    cards, ``sm_nu`` for nuem's SM neutrinos of a non-solar source).
    """
    key = edge_key(data)
    n_e = len(data[key]) - 1
    n_extra = len(data["observed"]) // n_e
    out: dict[str, Any] = {
        "experiment": data["experiment"],
        "atomic_model": data.get("atomic_model"),
        key: list(data[key]),
    }
    expected = dict(data["expected"])
    if n_extra == 1:
        out.update(observed=list(data["observed"]), expected=expected, signal=list(data["signal"]))
        return out
    out.update(
        observed=_project(data["observed"], n_e).tolist(),
        expected={k: _project(v, n_e).tolist() for k, v in expected.items()},
        signal=_project(data["signal"], n_e).tolist(),
    )
    summed = []
    if card.time_edges is not None:
        n_t = card.n_time_bins
        summed.append("time")
        out["time_edges_us"] = (np.asarray(card.time_edges) / u.microsecond).tolist()
        out["energy_time"] = {
            "observed": _energy_time(data["observed"], n_e, n_t),
            "expected": {k: _energy_time(v, n_e, n_t) for k, v in expected.items()},
            "signal": _energy_time(data["signal"], n_e, n_t),
        }
        out["time_projection"] = {
            "observed": _time_projection(data["observed"], n_e, n_t),
            "expected": {k: _time_projection(v, n_e, n_t) for k, v in expected.items()},
            "signal": _time_projection(data["signal"], n_e, n_t),
        }
    if n_extra > card.n_time_bins:
        summed.append("pulse_shape")
    out["summed_over"] = summed
    return out


def summed_note(data: dict) -> str:
    """'summed over ...' for a projected payload (empty when nothing was summed)."""
    summed = data.get("summed_over")
    if not summed:
        return ""
    parts = []
    t = data.get("time_edges_us")
    if "time" in summed and t is not None:
        parts.append(f"{len(t) - 1} time bins, {t[0]:g}–{t[-1]:g} μs")
    if "pulse_shape" in summed:
        parts.append("pulse-shape bins")
    return "summed over " + " and ".join(parts)


def spectrum_payload(card: Any, hypothesis: EMHypothesis | None = None, bins: Any = None,
                     **spectrum_kwargs: Any) -> dict:  # fmt: skip
    """``nuem spectrum --json``: :func:`nuem.rates.spectrum_data` of ``card`` (name, alias, path
    or Card) per bin of the reconstructed variable (:func:`shape_spectrum`)."""
    from nuem.rates import resolve_card, spectrum_data

    card = resolve_card(card)
    return shape_spectrum(spectrum_data(card, hypothesis, bins, **spectrum_kwargs), card)


def _axis_label(data: dict, card: Any) -> str:
    key = edge_key(data)
    if key != "bin_edges_keV":
        return EDGE_KEYS[key]
    if card is not None and "nuclear" in card.recoils and card.quenching is not None:
        unit = "keVee" if card.recoils == ("nuclear",) else "keV (keVee for nuclear recoils)"
        return f"reconstructed energy [{unit}]"
    return "reconstructed energy [keV]"


def plot_spectrum(
    card_or_data: Any,
    hypothesis: EMHypothesis | None = None,
    bins: Any = None,
    ax: Any = None,
    *,
    card: Any = None,
    projection: str = "energy",
    log: bool = False,
    residuals: str | None = "ratio",
    figsize: tuple[float, float] = (7.5, 6.0),
    style: str = "nuem",
    **spectrum_kwargs: Any,
):
    """Draw data, expected components, the signal alone and background + signal.

    Parameters
    ----------
    card_or_data : str, Card or dict
        A card name/alias/path/Card (then ``hypothesis``, ``bins`` and ``spectrum_kwargs`` go to
        :func:`nuem.rates.spectrum_data`), or a :func:`spectrum_payload` / ``spectrum_data`` dict
        (``card``, if given, names the axis — keVee for quenched nuclear recoils — and the title).
    hypothesis : Hypothesis, optional
        Its couplings label the signal curves (mathtext).
    ax : matplotlib Axes, optional
        Draw there (no residual panel); default a new figure.
    projection : {"energy", "time"}
        Energy x time cards are drawn projected onto energy (summed over the time bins) or onto
        the time after the pulse (summed over energy).
    log : bool
        Logarithmic counts axis (the bottom set from the smallest positive content).
    residuals : {"ratio", "pull", None}
        A lower panel: data / expected background with Garwood intervals, or (data − expected)/√
        expected; None for none.
    figsize, style
        Figure size [inch] and style (:func:`nuem.plot.style.styled`: "nuem" or "hep").

    Returns
    -------
    (fig, ax)
        The main axes; with a residual panel it is ``fig.axes[0]`` and the panel ``fig.axes[1]``.
        Error bars are 68.27% Garwood (Poisson) intervals, exact at low counts.
    """
    from nuem.plot.style import (
        component_label,
        experiment_title,
        hypothesis_label,
        new_figure,
        poisson_interval,
        styled,
    )

    if isinstance(card_or_data, dict):
        data = card_or_data
    else:
        from nuem.rates import resolve_card

        card = resolve_card(card_or_data)
        data = spectrum_payload(card, hypothesis, bins, **spectrum_kwargs)
    if residuals not in ("ratio", "pull", None):
        raise NuemInputError(f"residuals = {residuals!r} is not known; allowed: ratio, pull, None")
    edges = np.asarray(data[edge_key(data)], dtype=float)
    n_e = edges.size - 1
    n_extra = len(data["observed"]) // n_e  # > 1: a raw spectrum_data dict with time bins
    if projection not in ("energy", "time"):
        raise NuemInputError(f"projection = {projection!r} is not known; allowed: energy, time")
    if projection == "time":
        if "time_projection" not in data:
            raise NuemInputError(
                f"{data.get('experiment', 'this card')} has no time bins: no time projection"
            )
        edges = np.asarray(data["time_edges_us"], dtype=float)
        data = {**data, **data["time_projection"]}
        n_e = edges.size - 1

    def flat(v):
        return _project(v, n_e)

    centres = 0.5 * (edges[1:] + edges[:-1])
    obs = flat(data["observed"])
    sig = flat(data["signal"])
    with styled(style):
        if ax is None:
            fig = new_figure(figsize=figsize)
            if residuals:
                grid = fig.add_gridspec(2, 1, height_ratios=(3.2, 1.0), hspace=0.05)
                ax = fig.add_subplot(grid[0])
                rax = fig.add_subplot(grid[1], sharex=ax)
            else:
                ax, rax = fig.add_subplot(), None
        else:
            fig, rax = ax.figure, None
        total = np.zeros_like(centres)
        colours = ["#9ecae1", "#fdd0a2", "#c7e9c0", "#dadaeb", "#fcbba1", "#d9d9d9", "#bcbddc"]
        for k, (name, counts) in enumerate(data["expected"].items()):
            lower = total.copy()
            total = total + flat(counts)
            ax.fill_between(edges, np.append(lower, lower[-1]), np.append(total, total[-1]),
                            step="post", color=colours[k % len(colours)], lw=0,
                            label=component_label(name, card))  # fmt: skip
        ax.stairs(total, edges, baseline=None, color="k", lw=1.3, label="expected background")
        hl = hypothesis_label(hypothesis)
        if np.any(sig != 0):
            ax.stairs(total + sig, edges, baseline=None, color="#cb181d", lw=1.8, ls="--",
                      label="background + signal")  # fmt: skip
            ax.stairs(sig, edges, baseline=None, color="#cb181d", lw=1.6,
                      label=f"signal: {hl}" if hl else "signal")  # fmt: skip
        lo, hi = poisson_interval(obs)
        ax.errorbar(centres, obs, yerr=[obs - lo, hi - obs], fmt="o", ms=3.5, color="k",
                    elinewidth=1.0, capsize=0, label="data", zorder=5)  # fmt: skip
        xlabel = (
            r"time after the pulse [$\mu$s]" if projection == "time" else _axis_label(data, card)
        )
        ax.set_ylabel("counts per bin")
        ax.set_xlim(edges[0], edges[-1])
        top = max(float(np.max(hi)), float(np.max(total + sig)))
        if log:
            pos = np.concatenate([total[total > 0], obs[obs > 0], sig[sig > 0]])
            bottom = 0.3 * float(pos.min()) if pos.size else 0.1
            ax.set_yscale("log")
            ax.set_ylim(bottom, top * 8.0)  # room for the legend above the data
        else:
            ax.set_ylim(0.0, top * 1.45)
        note = summed_note(data) or (
            f"summed over {n_extra} bins per energy bin" if n_extra > 1 else ""
        )
        if projection == "time":
            note = "summed over energy"
        title = experiment_title(card) or data.get("experiment", "")
        ax.set_title(title + (f"\n({note})" if note else ""), fontsize="medium")
        ax.legend(loc="upper right", ncol=2, frameon=False, fontsize="small")
        if rax is None:
            ax.set_xlabel(xlabel)
            return fig, ax
        ax.tick_params(labelbottom=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            if residuals == "ratio":
                r = np.where(total > 0, obs / total, np.nan)
                rlo = np.where(total > 0, (obs - lo) / total, np.nan)
                rhi = np.where(total > 0, (hi - obs) / total, np.nan)
                rax.axhline(1.0, color="k", lw=1.0)
                if np.any(sig != 0):
                    rax.stairs(np.where(total > 0, (total + sig) / total, np.nan), edges,
                               baseline=None, color="#cb181d", lw=1.6, ls="--")  # fmt: skip
                rax.errorbar(centres, r, yerr=[rlo, rhi], fmt="o", ms=3, color="k",
                             elinewidth=1.0)  # fmt: skip
                rax.set_ylabel("data / bkg")
                finite = np.isfinite(r)
                span = max(0.3, float(np.nanmax(np.abs(r[finite] - 1) + rhi[finite])) * 1.1)
                rax.set_ylim(max(0.0, 1 - span), 1 + span)
            else:
                pull = np.where(total > 0, (obs - total) / np.sqrt(total), np.nan)
                rax.axhline(0.0, color="k", lw=1.0)
                rax.plot(centres, pull, "o", ms=3, color="k")
                rax.set_ylabel(r"(n $-$ $\nu$)/$\sqrt{\nu}$")
        rax.set_xlabel(xlabel)
    return fig, ax
