"""Dataset cards (layer 2): data, exposure, target, efficiency, resolution, backgrounds,
published results and provenance of one experiment release each.

``load_card(name_or_path)`` returns a validated :class:`~nuem.experiments.cards.Card`;
``list_cards()`` names the cards shipped in ``nuem/experiments/cards/``. The JSON Schema is
``nuem/experiments/schema.json``; see docs/experiments.md.
"""

from nuem.experiments.cards import (
    BackgroundComponent,
    Card,
    CardError,
    PublishedResult,
    cards_directory,
    list_cards,
    load_card,
    schema,
)

__all__ = [
    "BackgroundComponent",
    "Card",
    "CardError",
    "PublishedResult",
    "cards_directory",
    "list_cards",
    "load_card",
    "schema",
]
