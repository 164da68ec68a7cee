"""Data, background and signal per reconstructed bin of one experiment.

``plot_spectrum(card_or_data, hypothesis=None, bins=None, ax=None)`` draws the observed counts
(points with sqrt(N) error bars), the stacked expected components (backgrounds and nuem's SM
neutrino prediction), and background + signal for the hypothesis. Accepts a card name / alias /
path / Card, or a dict from :func:`spectrum_payload` (or from :func:`nuem.rates.spectrum_data`).
Uses a bare :class:`matplotlib.figure.Figure` (no pyplot state, works with any backend); returns
``(fig, ax)``.

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
    **spectrum_kwargs: Any,
):
    """Draw data, expected components and background + signal; returns ``(fig, ax)``.

    ``card_or_data``: card name/alias/path/Card (then ``hypothesis``, ``bins`` and
    ``spectrum_kwargs`` go to :func:`nuem.rates.spectrum_data`), or a :func:`spectrum_payload` /
    ``spectrum_data`` dict (energy x time arrays are summed over time; ``card``, if given, names
    the axis: keVee for quenched nuclear recoils). Energy x time cards are drawn projected onto
    energy (summed over the time bins), or with ``projection="time"`` onto time (summed over
    energy); photoelectron cards have PE on the x axis.
    """
    from matplotlib.figure import Figure

    if isinstance(card_or_data, dict):
        data = card_or_data
    else:
        from nuem.rates import resolve_card

        card = resolve_card(card_or_data)
        data = spectrum_payload(card, hypothesis, bins, **spectrum_kwargs)
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
    if ax is None:
        fig = Figure(figsize=(7.0, 4.5))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    total = np.zeros_like(centres)
    for name, counts in data["expected"].items():
        lower = total.copy()
        total = total + flat(counts)
        ax.stairs(total, edges, baseline=lower, fill=True, alpha=0.35, label=name)
    ax.stairs(total, edges, baseline=None, color="k", lw=1.2, label="expected background")
    sig = flat(data["signal"])
    if np.any(sig != 0):
        ax.stairs(total + sig, edges, baseline=None, color="C3", lw=1.5, ls="--",
                  label=_label(hypothesis))  # fmt: skip
    ax.errorbar(centres, obs, yerr=np.sqrt(np.maximum(obs, 0.0)), fmt="o", ms=3, color="k",
                label="data")  # fmt: skip
    ax.set_xlabel("time after the pulse [μs]" if projection == "time" else _axis_label(data, card))
    ax.set_ylabel("counts per bin")
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(bottom=0)
    title = data.get("experiment", "")
    note = summed_note(data) or (
        f"summed over {n_extra} bins per energy bin" if n_extra > 1 else ""
    )
    if projection == "time":
        note = "summed over energy"
    ax.set_title(f"{title} ({note})" if note else title, fontsize="medium")
    ax.legend(fontsize="small", frameon=False)
    return fig, ax
