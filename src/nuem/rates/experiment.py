"""Rates for a dataset card: cached engine and templates, and the data-vs-expectation spectrum.

- :func:`resolve_card` accepts a card name, a short alias (``"xenonnt-sr0"`` -> the unique card
  whose name starts with ``xenonnt_sr0``) or a YAML path.
- :func:`experiment_templates` builds (and caches by content hash: card hash, source fingerprint,
  atomic model, grid, binning) the templates of a card with the default solar source
  (B16-GS98, NuFIT 6.0 normal ordering, adiabatic MSW) and the stepping atomic model.
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

from nuem import units as u
from nuem.detectors.binning import parse_bins
from nuem.errors import NuemInputError
from nuem.experiments import Card, list_cards, load_card
from nuem.rates import cache
from nuem.rates.electron_recoils import ElectronRecoils, _fingerprint
from nuem.rates.response import Detector, GridSpec
from nuem.rates.templates import Templates
from nuem.sources.base import Source
from nuem.sources.solar import SolarSource
from nuem.xsec.hypothesis import EMHypothesis

__all__ = [
    "resolve_card",
    "solar_source",
    "experiment_engine",
    "experiment_templates",
    "experiment_event_templates",
    "spectrum_data",
    "SOLAR_KEY",
]

#: Name of nuem's SM solar-nu component in :func:`spectrum_data`.
SOLAR_KEY = "solar_nu_sm"


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


def experiment_engine(
    card: str | Card,
    source: Source | None = None,
    atomic: str | object = "stepping",
    grid: GridSpec | None = None,
) -> ElectronRecoils:
    """The (cached) :class:`ElectronRecoils` engine of a card."""
    card = resolve_card(card)
    if card.recoil != "electron":
        raise NuemInputError(f"card {card.name!r} holds {card.recoil} recoils; only electron "
                             "recoils have templates in this version")  # fmt: skip
    src = source if source is not None else solar_source()
    grid = grid or GridSpec()
    key = cache.content_key(
        "engine", card.content_hash, _fingerprint(src), repr(atomic), grid.key()
    )
    return cache.MEMORY.get(
        key, lambda: ElectronRecoils(src, Detector.from_card(card, atomic), grid)
    )


def _edges(card: Card, bins: str | ArrayLike | None) -> np.ndarray:
    if bins is None:
        return card.bin_edges()
    if isinstance(bins, str):
        return parse_bins(bins)
    return np.asarray(bins, dtype=np.float64)


def experiment_templates(
    card: str | Card,
    bins: str | ArrayLike | None = None,
    source: Source | None = None,
    atomic: str | object = "stepping",
    grid: GridSpec | None = None,
) -> Templates:
    """Templates of a card per reconstructed-energy bin.

    ``bins``: hepunits edges, a string such as ``"1:30:1"`` (keV), or None for the card's
    default binning.
    """
    card = resolve_card(card)
    eng = experiment_engine(card, source, atomic, grid)
    return eng.templates(_edges(card, bins))


def experiment_event_templates(
    card: str | Card,
    source: Source | None = None,
    atomic: str | object = "stepping",
    grid: GridSpec | None = None,
) -> tuple[Templates, Templates]:
    """For unbinned cards: (densities [1/energy] at each event, totals in the card's window).

    An extended unbinned likelihood needs both: sum_k ln(B(E_k) + S(E_k)) - (B_tot + S_tot).
    """
    card = resolve_card(card)
    eng = experiment_engine(card, source, atomic, grid)
    return eng.event_templates(card.events()), eng.templates(card.window)


def spectrum_data(
    card: str | Card,
    hypothesis: EMHypothesis | None = None,
    bins: str | ArrayLike | None = None,
    source: Source | None = None,
    atomic: str | object = "stepping",
) -> dict:
    """Counts per reconstructed-energy bin: the ``nuem spectrum --json`` contract.

    ``{"experiment", "bin_edges_keV", "observed", "expected": {component: counts}, "signal"}``;
    ``expected`` has every in-likelihood background component of the card and ``solar_nu_sm``
    (nuem's SM solar-nu ER counts); see the module docstring for double counting.
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
    expected[SOLAR_KEY] = solar.tolist()
    hyp = hypothesis if hypothesis is not None else EMHypothesis()
    signal = tpl.signal(hyp)
    return {
        "experiment": card.name,
        "bin_edges_keV": (edges / u.keV).tolist(),
        "observed": observed.tolist(),
        "expected": expected,
        "signal": signal.tolist(),
    }
