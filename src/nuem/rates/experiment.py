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

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem.detectors.binning import parse_bins
from nuem.errors import NuemInputError
from nuem.experiments import Card, load_card
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
    "sm_group_counts",
    "interaction_rates",
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
    """A :class:`Card` from a card object, or a name, alias or path (:func:`load_card`)."""
    return name if isinstance(name, Card) else load_card(name)


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
    """One :class:`Detector` per recoil kind the card registers (target, quenching, response).

    Built once per card content and atomic-model name (a likelihood asks at every mass of a
    scan, and each new Detector would re-hash its response ``fingerprint``, ≈ 1 ms)."""
    card = resolve_card(card)
    atomic = card.atomic_model if atomic is None else atomic
    if not isinstance(atomic, str):  # an atomic-model object: no content key, built each time
        return _card_detectors(card, atomic)
    key = cache.content_key("card-detectors", card.content_hash, atomic)
    return list(cache.MEMORY.get(key, lambda: tuple(_card_detectors(card, atomic))))


def _card_detectors(card: Card, atomic: str | object) -> list[Detector]:
    """:func:`card_detectors` on a resolved card and atomic model (uncached)."""
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
            quenching=card.quenching if _quenching_recoil(card) == recoil else None,
            smearing=card.smearing,
            form_factor=card.form_factor,
        )
        for recoil in card.recoils
    ]


def _quenching_recoil(card: Card) -> str | None:
    """The recoil kind the card's quenching model applies to (None without one)."""
    q = card.quenching
    return None if q is None else getattr(q, "recoil", "nuclear")


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
    # the combination over recoil kinds and timing groups is cached too (a scan asks at every mass)
    key = cache.content_key(
        "experiment-templates", card.content_hash, [d.fingerprint for d in dets],
        source_key(src), edges, (grid or GridSpec()).key(), c.sin2_theta_w(sin2w),
    )  # fmt: skip
    return cache.MEMORY.get(key, lambda: _combined_templates(card, edges, src, dets, grid, sin2w))


def _combined_templates(card, edges, src, dets, grid, sin2w) -> Templates:
    """:func:`experiment_templates` on resolved inputs (uncached combination)."""
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


def sm_group_counts(
    card: str | Card, bins: str | ArrayLike | None = None, atomic: str | object | None = None
) -> dict[str, np.ndarray]:
    """nuem's SM neutrino counts per reconstructed bin for each of the card's
    ``backgrounds.sm_neutrino_groups``, keyed ``sm_nu_<name>`` (the likelihood's names).

    Each group is the card's source restricted to the group's components (the same detector,
    MSW and cross sections as the full templates); the groups must cover every component of
    the source exactly once, so their sum is ``Templates.sm``.
    """
    card = resolve_card(card)
    src = card_source(card)
    groups = card.sm_neutrino_groups
    listed = [cc for g in groups for cc in g["components"]]
    unknown = sorted(set(listed) - set(src.components))
    missing = [cc for cc in src.components if cc not in listed]
    if unknown or missing:
        raise NuemInputError(
            f"card {card.name!r}: backgrounds.sm_neutrino_groups must cover the source's "
            f"components {', '.join(src.components)} once each"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else "")
        )
    edges = _edges(card, bins)
    dets = card_detectors(card, atomic)
    # cached like experiment_templates (a scan asks at every mass)
    key = cache.content_key(
        "sm-group-counts", card.content_hash, [d.fingerprint for d in dets], source_key(src),
        edges, c.sin2_theta_w(),
    )  # fmt: skip
    return dict(cache.MEMORY.get(key, lambda: _sm_group_counts(card, edges, src, dets, atomic)))


def _sm_group_counts(card: Card, edges, src: Source, dets, atomic) -> dict[str, np.ndarray]:
    """:func:`sm_group_counts` on resolved inputs (uncached)."""
    groups = card.sm_neutrino_groups
    if card.time_edges is not None or card.has_extra_axes:
        return {
            f"{SM_KEY}_{g['name']}": experiment_templates(
                card, edges, _subset(src, tuple(g["components"])), atomic
            ).sm
            for g in groups
        }
    return {
        f"{SM_KEY}_{g['name']}": sum(
            _engine(_subset(src, tuple(g["components"])), det, None, None).sm_counts(edges)
            for det in dets
        )
        for g in groups
    }


#: Exposure of an interaction rate: one day of 100 t (cpd/100t, solar-neutrino spectroscopy).
RATE_EXPOSURE = 100.0 * 1000.0 * u.kg * u.day


def interaction_rates(card: str | Card, t_max: float = 20.0 * u.MeV) -> dict[str, float]:
    """nuem's SM nu-e interaction rate of each ``sm_neutrino_groups`` entry [events per day per
    100 t]: every recoil from the engine's floor to ``t_max``, no detector response (the rates
    solar spectroscopy quotes, e.g. Borexino's 134 cpd/100t of pp)."""
    card = resolve_card(card)
    src = card_source(card)
    det = Detector(RATE_EXPOSURE, card.target, card.atomic_model, name=f"{card.name}:rates",
                   tag=card.content_hash)  # fmt: skip
    grid = GridSpec()
    edges = np.array([grid.t_floor, t_max])
    return {
        g["name"]: float(
            _engine(_subset(src, tuple(g["components"])), det, grid, None).sm_counts(edges)[0]
        )
        for g in card.sm_neutrino_groups
    }


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

    ``{"experiment", "atomic_model" (of the electron recoils; None without them), "bin_edges_keV"
    (``"bin_edges_PE"`` for photoelectron cards), "observed", "expected": {component: counts},
    "signal"}``; ``expected`` has every in-likelihood background component of the card and nuem's
    SM neutrino counts (:func:`sm_component_name`: ``solar_nu_sm`` for a solar card,
    ``cevns_sm`` for a nuclear-recoil card, ``sm_nu`` otherwise; see the module docstring for
    double counting). Energy x time cards give
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
    elif card.reconstructed_variable == "hits":
        edge_field = {"bin_edges_hits": [int(x) for x in np.round(edges)]}
    else:
        edge_field = {"bin_edges_keV": (edges / u.keV).tolist()}
    model = None
    if "electron" in card.recoils:
        model = atomic if isinstance(atomic, str) else card.atomic_model
        model = model if atomic is None or isinstance(atomic, str) else repr(atomic)
    return {
        "experiment": card.name,
        "atomic_model": model,
        **edge_field,
        "observed": observed.tolist(),
        "expected": expected,
        "signal": signal.tolist(),
    }
