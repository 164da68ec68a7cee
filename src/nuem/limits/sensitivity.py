"""Projected sensitivity: the Asimov expected limits of any card (`nuem sensitivity`).

The numbers are exactly the ``expected`` column of `nuem limits` (one function,
:func:`nuem.limits.derive.expected_limits`, on the same binned likelihood
:func:`nuem.limits.build.card_likelihood` with ``binned=True``): the background-only Asimov
median and ±1σ/±2σ band of the q̃ upper limit for magnetic moments, the median of the allowed
region's largest |x| for signed couplings. Overrides are card transformations
(:meth:`~nuem.experiments.cards.Card.with_threshold`, ``with_background_scale``,
``with_exposure``), each of which turns the card into a projection whose provenance lists the
change among its assumptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nuem import units as u
from nuem.detectors.targets import tonne
from nuem.experiments import Card
from nuem.limits.build import card_likelihood
from nuem.limits.derive import expected_limits, sensitive
from nuem.limits.quantities import QUANTITIES, check_quantity_for, quantity
from nuem.rates.experiment import resolve_card
from nuem.stats import FitError

__all__ = ["Sensitivity", "project", "sensitivity", "run_sensitivity"]

#: JSON band keys ("-2" ... "+2") -> keys of the expected-limit dict.
BAND = {"-2": "minus2", "-1": "minus1", "+1": "plus1", "+2": "plus2"}


@dataclass
class Sensitivity:
    """One line of `nuem sensitivity`: the expected limit of one card on one quantity.

    ``expected``: the median (in ``unit``); ``band``: {"-2", "-1", "+1", "+2"} edges (magnetic
    moments; None for signed couplings); ``exposure_tonne_year``; ``threshold_keV``: the window's
    lower end (None for photoelectron bins); ``assumptions``/``references``: the card's
    (projection) provenance; ``status``: set instead of numbers when the quantity adds no signal.
    """

    experiment: str
    quantity: str
    unit: str
    cl: float
    expected: float | None
    band: dict[str, float] | None
    exposure_tonne_year: float
    threshold_keV: float | None
    assumptions: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    card_hash: str = ""
    status: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The `nuem sensitivity --json` object of this row."""
        out = {
            "experiment": self.experiment,
            "quantity": self.quantity,
            "unit": self.unit,
            "cl": self.cl,
            "expected": self.expected,
            "band": self.band,
            "exposure": {"value": self.exposure_tonne_year, "unit": "tonne*year"},
            "threshold_keV": self.threshold_keV,
            "assumptions": self.assumptions,
            "references": self.references,
            "card_hash": self.card_hash,
        }
        if self.status is not None:
            out["status"] = self.status
        if self.error is not None:
            out["error"] = self.error
        return out


def project(
    card: str | Card,
    exposure: float | None = None,
    background_scale: float | None = None,
    threshold: float | None = None,
) -> Card:
    """``card`` with the given overrides applied (threshold, then background scale, then
    exposure; hepunits energy and mass*time); unchanged when none is given."""
    card = resolve_card(card)
    if threshold is not None:
        card = card.with_threshold(threshold)
    if background_scale is not None:
        card = card.with_background_scale(background_scale)
    if exposure is not None:
        card = card.with_exposure(exposure)
    return card


def _assumptions(card: Card) -> tuple[list[str], list[str]]:
    prov = card.provenance
    if card.provenance_kind == "projection":
        return list(prov["assumptions"]), list(prov["references"])
    ref = f"dataset card {card.name}" + (f" (arXiv:{prov['arxiv']})" if prov.get("arxiv") else "")
    return [f"detector, response and background model of {ref}; its data are not used"], [ref]


def sensitivity(card: str | Card, name: str, cl: float = 0.90) -> Sensitivity:
    """Expected limit (Asimov median and band) of ``card`` on quantity ``name`` at ``cl``."""
    card = resolve_card(card)
    q = check_quantity_for(name, [card.source_kind], [card.name])
    lo = card.window[0] / u.keV if card.reconstructed_variable == "energy" else None
    assumptions, references = _assumptions(card)
    common = dict(
        experiment=card.name,
        quantity=q.name,
        unit=q.unit,
        cl=float(cl),
        exposure_tonne_year=card.exposure / (tonne * u.year),
        threshold_keV=None if lo is None else float(lo),
        assumptions=assumptions,
        references=references,
        card_hash=card.content_hash,
    )
    if not sensitive([card], q.name):
        return Sensitivity(expected=None, band=None, status="no sensitivity", **common)
    twin = card_likelihood(card, q.name, binned=True)
    try:
        exp = expected_limits(twin, signed=q.signed, cl=cl, transform=q.to_quantity)
    except FitError as exc:
        return Sensitivity(expected=None, band=None, error=f"fit failed: {exc}", **common)
    band = None if q.signed else {k: exp[v] for k, v in BAND.items()}
    return Sensitivity(expected=exp["median"], band=band, **common)


def run_sensitivity(
    cards: Iterable[str | Card],
    quantities: Iterable[str] | None = None,
    exposure: float | None = None,
    background_scale: float | None = None,
    threshold: float | None = None,
    cl: float = 0.90,
) -> list[Sensitivity]:
    """Every (card, quantity) expected limit, overrides applied to each card (:func:`project`).

    Default quantities: each card's measurable ones (as `nuem limits`).
    """
    rows = []
    for c in cards:
        card = project(c, exposure, background_scale, threshold)
        if quantities is None:
            names = [n for n in QUANTITIES if quantity(n).available_for(card.source_kind)]
        else:
            names = list(quantities)
        rows.extend(sensitivity(card, n, cl) for n in names)
    return rows
