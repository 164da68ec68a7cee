"""Dataset cards (layer 2): data, exposure, target, efficiency, resolution, backgrounds,
published results and provenance of one experiment release each.

``load_card(name_or_path)`` returns a validated :class:`~nuem.experiments.cards.Card`;
``list_cards()`` names the cards shipped in ``nuem/experiments/cards/``,
``list_projections()`` the projection cards (future detectors, no data) in
``nuem/experiments/projections/``. The JSON Schema is ``nuem/experiments/schema.json``; see
docs/experiments.md and docs/projections.md.
"""

from nuem.experiments.cards import (
    BackgroundComponent,
    Card,
    CardError,
    PublishedResult,
    cards_directory,
    list_cards,
    list_projections,
    load_card,
    projections_directory,
    schema,
)

__all__ = [
    "BackgroundComponent",
    "Card",
    "CardError",
    "PublishedResult",
    "cards_directory",
    "list_cards",
    "list_projections",
    "load_card",
    "projections_directory",
    "schema",
]
