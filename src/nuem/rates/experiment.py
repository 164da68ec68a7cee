"""Rates for a dataset card: cached engine and templates, and the data-vs-expectation spectrum.

- :func:`resolve_card` accepts a card name, a short alias (``"xenonnt-sr0"`` -> the unique card
  whose name starts with ``xenonnt_sr0``) or a YAML path.
- :func:`card_source` and :func:`card_detectors` turn the card's ``source:``, ``target:`` and
  ``response:`` blocks into a :class:`~nuem.sources.base.Source` and one
  :class:`~nuem.rates.response.Detector` per recoil kind; nothing here knows an experiment.
- :func:`experiment_templates` builds (and caches by content hash: detector fingerprint with the
  card hash, source fingerprint, grid, s_W^2 in force, binning) the templates of a card, summed
  over its recoil kinds and, for a timed source, combined over timing groups in energy x time.
- :func:`spectrum_data` gives observed counts, each background component, the SM solar-nu counts
  computed by nuem and the counts added by a hypothesis, per reconstructed-energy bin.

Double counting: when the card says its background already contains the SM solar-nu ER component
(XENONnT's B0, LZ's best fit), that component is reported as ``<name>_minus_sm_nu`` = published
background - nuem's SM solar nu, next to ``solar_nu_sm``; their sum is the published background.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem.detectors.binning import parse_bins
from nuem.errors import NuemInputError
from nuem.experiments import Card, list_cards, load_card
from nuem.rates import cache
from nuem.rates.electron_recoils import ElectronRecoils, source_key
from nuem.rates.response import Detector, GridSpec
from nuem.rates.templates import Templates, combine_in_time
from nuem.sources.base import Source
from nuem.sources.solar import SolarSource
from nuem.theory.hypothesis import Hypothesis

__all__ = [
    "resolve_card",
    "solar_source",
    "card_source",
    "card_detectors",
    "experiment_engine",
    "experiment_templates",
    "experiment_event_templates",
    "spectrum_data",
    "SOLAR_KEY",
    "SM_KEY",
    "CEVNS_KEY",
    "sm_component_name",
]

#: Name of nuem's SM solar-nu component in :func:`spectrum_data`.
SOLAR_KEY = "solar_nu_sm"
#: Name of nuem's SM neutrino component of a non-solar card (= the likelihood's ``sm_nu``).
SM_KEY = "sm_nu"
#: Name of nuem's SM neutrino component of a nuclear-recoil card: its SM CEvNS prediction.
CEVNS_KEY = "cevns_sm"


def sm_component_name(card: Card) -> str:
    """The ``spectrum_data`` name of nuem's SM neutrino counts of ``card``: ``solar_nu_sm``
    (solar source), ``cevns_sm`` (nuclear recoils only: coherent elastic scattering) or
    ``sm_nu`` (the likelihood's name, any other card)."""
    if card.source_kind == "solar":
        return SOLAR_KEY
    return CEVNS_KEY if card.recoils == ("nuclear",) else SM_KEY


def resolve_card(name: str | Card) -> Card:
    """A :class:`Card` from a card object, name, unique-prefix alias (``-`` = ``_``) or path."""
    if isinstance(name, Card):
        return name
    text = str(name).strip()
    names = list_cards()
    if text in names or text.endswith((".yaml", ".yml")) or Path(text).is_file():
        return load_card(text)
    key = text.lower().replace("-", "_")
    hits = [n for n in names if n == key or n.startswith(key + "_") or n.startswith(key)]
    exact = [n for n in hits if n == key or n.startswith(key + "_")]
    hits = exact or hits
    if len(hits) == 1:
        return load_card(hits[0])
    if not hits:
        raise NuemInputError(f"unknown experiment {text!r}; known cards: {', '.join(names)}")
    raise NuemInputError(f"experiment {text!r} is ambiguous: {', '.join(hits)}")


@lru_cache(maxsize=8)
def solar_source(model: str = "b16-gs98", ordering: str = "normal") -> SolarSource:
    """The (process-cached) solar source: B16 model, NuFIT 6.0 ordering, adiabatic MSW."""
    return SolarSource(model, ordering)


def card_source(card: str | Card) -> Source:
    """The source a card declares (its ``source:`` block), built once per card content.

    Solar blocks share the process-wide :func:`solar_source` objects (MSW tables are costly).
    """
    card = resolve_card(card)
    block = card.source_block
    if block["kind"] == "solar":
        return solar_source(block.get("model", "b16-gs98"), block.get("ordering", "normal"))
    return cache.MEMORY.get(cache.content_key("source", card.content_hash), lambda: card.source)


def card_detectors(card: str | Card, atomic: str | object | None = None) -> list[Detector]:
    """One :class:`Detector` per recoil kind the card registers (target, quenching, response)."""
    card = resolve_card(card)
    atomic = card.atomic_model if atomic is None else atomic
    return [
        Detector(
            card.exposure,
            card.target,
            atomic,
            card.efficiency_curve,
            card.efficiency_on,
            name=card.name,
            tag=card.content_hash,
            recoil=recoil,
            quenching=card.quenching if recoil == "nuclear" else None,
            smearing=card.smearing,
            form_factor=card.form_factor,
        )
        for recoil in card.recoils
    ]


def _engine(src: Source, det: Detector, grid: GridSpec | None, sin2w: float | None):
    grid = grid or GridSpec()
    sw = c.sin2_theta_w(sin2w)
    key = cache.content_key("engine", det.fingerprint, source_key(src), grid.key(), sw)
    return cache.MEMORY.get(key, lambda: ElectronRecoils(src, det, grid, sin2w))


def experiment_engine(
    card: str | Card,
    source: Source | None = None,
    atomic: str | object | None = None,
    grid: GridSpec | None = None,
    sin2w: float | None = None,
) -> ElectronRecoils:
    """The (cached) engine of a single-recoil card (its declared source unless ``source``)."""
    card = resolve_card(card)
    dets = card_detectors(card, atomic)
    if len(dets) != 1:
        raise NuemInputError(
            f"card {card.name!r} registers {len(dets)} recoil kinds; use experiment_templates"
        )
    src = source if source is not None else card_source(card)
    return _engine(src, dets[0], grid, sin2w)


def _edges(card: Card, bins: str | ArrayLike | None) -> np.ndarray:
    if bins is None:
        return card.bin_edges()
    if isinstance(bins, str):
        return parse_bins(bins, card.variable_unit)
    return np.asarray(bins, dtype=np.float64)


def _subset(src: Source, comps: tuple[str, ...]) -> Source:
    """The (cached, so fingerprinted once) view of ``src`` on ``comps``."""
    if len(comps) == len(src.components):
        return src
    return cache.MEMORY.get(
        cache.content_key("subset", source_key(src), comps), lambda: src.subset(comps)
    )


def _timing_groups(
    src: Source, t_edges: np.ndarray, time_efficiency=None
) -> list[tuple[tuple[str, ...], np.ndarray]]:
    """The source's timing groups and the fraction of each group's neutrinos per time bin
    (times the card's time efficiency, integrated over each group's arrival-time pdf)."""
    if not src.has_timing:
        raise NuemInputError(f"source {src.name!r} is steady; energy x time templates need timing")
    out = []
    for comps in src.timing_groups().values():
        if time_efficiency is None:
            f = np.asarray(src.time_fractions(comps[0], t_edges), dtype=np.float64)
        else:
            f = time_efficiency.bin_weights(src.time_profile(comps[0]), t_edges)
        out.append((tuple(comps), f))
    return out


def _time_times_pulse_shape(frac: np.ndarray, psd: np.ndarray) -> np.ndarray:
    """Fractions over (time, pulse shape) flattened time-major: (n_t * n_p,), or
    (n_energy, n_t * n_p) for energy-dependent pulse-shape fractions (n_energy, n_p)."""
    if psd.ndim == 2:
        return (frac[None, :, None] * psd[:, None, :]).reshape(psd.shape[0], -1)
    return np.outer(frac, psd).ravel()


def experiment_templates(
    card: str | Card,
    bins: str | ArrayLike | None = None,
    source: Source | None = None,
    atomic: str | object | None = None,
    grid: GridSpec | None = None,
    sin2w: float | None = None,
) -> Templates:
    """Templates of a card per reconstructed bin, summed over its recoil kinds.

    ``bins``: hepunits edges, a string such as ``"1:30:1"`` (keV, or PE for photoelectron
    cards), or None for the card's default binning. A card with ``response.time`` gives
    energy x time templates (flattened energy-major), from one set of templates per timing group
    of its source; ``response.pulse_shape`` adds a last axis, each recoil kind's templates times
    its fraction in every pulse-shape bin. ``source`` replaces the card's declared source;
    ``sin2w`` overrides s_W^2.
    """
    card = resolve_card(card)
    edges = _edges(card, bins)
    src = source if source is not None else card_source(card)
    dets = card_detectors(card, atomic)
    t_edges = card.time_edges
    parts: list[tuple[Templates, np.ndarray]] = []
    for det in dets:
        psd = card.pulse_shape_fractions(det.recoil)
        psd = np.ones(1) if psd is None else psd
        if t_edges is None:
            parts.append((_engine(src, det, grid, sin2w).templates(edges), psd))
            continue
        for comps, frac in _timing_groups(src, t_edges, card.time_efficiency):
            tpl = _engine(_subset(src, comps), det, grid, sin2w).templates(edges)
            parts.append((tpl, _time_times_pulse_shape(frac, psd)))
    if len(parts) == 1 and not card.has_extra_axes:
        return parts[0][0]
    return combine_in_time(parts, t_edges)


def experiment_event_templates(
    card: str | Card,
    source: Source | None = None,
    atomic: str | object | None = None,
    grid: GridSpec | None = None,
    sin2w: float | None = None,
) -> tuple[Templates, Templates]:
    """For unbinned cards: (densities [1/energy] at each event, totals in the card's window).

    An extended unbinned likelihood needs both: sum_k ln(B(E_k) + S(E_k)) - (B_tot + S_tot).
    """
    card = resolve_card(card)
    eng = experiment_engine(card, source, atomic, grid, sin2w)
    return eng.event_templates(card.events()), eng.templates(card.window)


def spectrum_data(
    card: str | Card,
    hypothesis: Hypothesis | None = None,
    bins: str | ArrayLike | None = None,
    source: Source | None = None,
    atomic: str | object | None = None,
) -> dict:
    """Counts per reconstructed-energy bin: the ``nuem spectrum --json`` contract.

    ``{"experiment", "bin_edges_keV" (``"bin_edges_PE"`` for photoelectron cards), "observed",
    "expected": {component: counts}, "signal"}``; ``expected`` has every in-likelihood background
    component of the card and nuem's SM neutrino counts (:func:`sm_component_name`:
    ``solar_nu_sm`` for a solar card, ``cevns_sm`` for a nuclear-recoil card, ``sm_nu``
    otherwise; see the module docstring for double counting). Energy x time cards give
    flat energy-major arrays.
    """
    card = resolve_card(card)
    edges = _edges(card, bins)
    observed = card.observed(edges)
    tpl = experiment_templates(card, edges, source, atomic)
    bkg = card.background_expectation(edges)
    solar = tpl.sm
    expected: dict[str, list[float]] = {}
    if card.background_includes_sm_solar_nu and bkg:
        flagged = [c.name for c in card.backgrounds if c.in_likelihood and c.includes_sm_solar_nu]
        target = next((n for n in flagged if n in bkg), next(iter(bkg)))
    else:
        target = None
    for name, counts in bkg.items():
        if name == target:
            expected[f"{name}_minus_sm_nu"] = (counts - solar).tolist()
        else:
            expected[name] = np.asarray(counts).tolist()
    expected[sm_component_name(card)] = solar.tolist()
    hyp = hypothesis if hypothesis is not None else Hypothesis()
    signal = tpl.signal(hyp)
    if card.reconstructed_variable == "photoelectrons":
        edge_field = {"bin_edges_PE": [int(x) for x in np.round(edges)]}
    else:
        edge_field = {"bin_edges_keV": (edges / u.keV).tolist()}
    return {
        "experiment": card.name,
        **edge_field,
        "observed": observed.tolist(),
        "expected": expected,
        "signal": signal.tolist(),
    }
