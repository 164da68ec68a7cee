"""Published limits as versioned package data (layer 5): μ, ⟨r²⟩, q and dipole-portal curves.

See :mod:`nuem.catalog.entries` and docs/catalog.md.
"""

from nuem.catalog.entries import (
    QUANTITIES,
    CatalogEntry,
    entries,
    entry,
    interpolate,
    portal_curves,
)

__all__ = ["QUANTITIES", "CatalogEntry", "entries", "entry", "interpolate", "portal_curves"]
