"""Published limits as versioned package data (DESIGN §1: nuem.catalog, layer 5).

Two tables under ``nuem/catalog/data/``:

- ``limits.yaml``: single numbers on μ [μ_B], ⟨r²⟩ [cm²] and q [e] (value or interval, CL,
  flavour/channel, year, reference, the seed's ``status`` and what nuem's check found,
  ``checked``);
- ``portal.yaml`` + ``portal/*.csv``: digitised (M_N, μ) curves of the dipole portal, converted
  to μ in μ_B by ``tools/make_portal_catalog.py`` (μ = 2d/μ_B for curves given as d in GeV⁻¹);
  the native units, convention and CL are kept, never rescaled.

Entries are never deleted: a newer one names the older in ``supersedes`` (or the older names
``superseded_by``); :func:`entries` hides superseded ones unless ``include_superseded``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from nuem._validate import choice
from nuem.errors import NuemInputError

__all__ = ["QUANTITIES", "CatalogEntry", "entries", "entry", "interpolate", "portal_curves"]

#: Quantities in the catalogue and their units.
QUANTITIES = {"mu": "mu_B", "r2": "cm2", "q": "e", "portal": "mu_B"}


@dataclass(frozen=True)
class CatalogEntry:
    """One published limit (module doc). ``upper``/``lower`` in ``unit``; for ``portal``
    entries ``masses_MeV`` and ``limit_muB`` (and ``top_*`` for the upper edge of a region)."""

    id: str
    quantity: str
    experiment: str
    year: int
    reference: str
    cl: float | None
    unit: str
    flavour: str | None = None
    upper: float | None = None
    lower: float | None = None
    category: str = "laboratory"
    status: str | None = None
    checked: str | None = None
    note: str | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    digitised: bool = False
    shape: str = "limit"
    native: dict[str, Any] = field(default_factory=dict)
    masses_MeV: tuple[float, ...] = ()
    limit_muB: tuple[float, ...] = ()
    top_masses_MeV: tuple[float, ...] = ()
    top_limit_muB: tuple[float, ...] = ()
    channel: str | None = None
    since: int = 1
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def label(self) -> str:
        """Legend label: experiment, "digitised" for digitised curves, and the CL."""
        cl = "" if self.cl is None else f", {100 * self.cl:g}% CL"
        return f"{self.experiment}{' (digitised)' if self.digitised else ''}{cl}"

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON (curves as lists)."""
        out = {k: v for k, v in self.raw.items() if k not in ("files",)}
        out.update(id=self.id, quantity=self.quantity, unit=self.unit, cl=self.cl)
        out["superseded_by"] = self.superseded_by
        if self.quantity == "portal":
            out["masses_MeV"] = list(self.masses_MeV)
            out["limit_muB"] = list(self.limit_muB)
            if self.top_masses_MeV:
                out["top_masses_MeV"] = list(self.top_masses_MeV)
                out["top_limit_muB"] = list(self.top_limit_muB)
        return out


def _data():
    return resources.files("nuem.catalog") / "data"


def _curve(rel: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    text = (_data() / rel).read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return tuple(float(r["mass_MeV"]) for r in rows), tuple(float(r["mu_muB"]) for r in rows)


_FIELDS = set(CatalogEntry.__dataclass_fields__) - {"raw"}


def _entry(d: dict[str, Any]) -> CatalogEntry:
    kw = {k: v for k, v in d.items() if k in _FIELDS}
    kw.setdefault("unit", QUANTITIES[d["quantity"]])
    files = d.get("files") or {}
    if "bottom" in files:
        kw["masses_MeV"], kw["limit_muB"] = _curve(files["bottom"])
    if "top" in files:
        kw["top_masses_MeV"], kw["top_limit_muB"] = _curve(files["top"])
    return CatalogEntry(**kw, raw=dict(d))


@cache
def _all() -> tuple[CatalogEntry, ...]:
    out = []
    for name in ("limits.yaml", "portal.yaml"):
        doc = yaml.safe_load((_data() / name).read_text(encoding="utf-8"))
        out.extend(_entry(d) for d in doc["entries"])
    ids = [e.id for e in out]
    if len(set(ids)) != len(ids):
        raise NuemInputError("catalogue entries with the same id")
    by_id = {e.id: e for e in out}
    newer = {e.supersedes: e.id for e in out if e.supersedes}
    bad = [k for k in newer if k not in by_id]
    if bad:
        raise NuemInputError(f"catalogue: 'supersedes' names unknown entries {bad}")
    return tuple(
        e if e.id not in newer else _with(e, superseded_by=e.superseded_by or newer[e.id])
        for e in out
    )


def _with(e: CatalogEntry, **kw) -> CatalogEntry:
    from dataclasses import replace

    return replace(e, **kw)


def entries(
    quantity: str | None = None,
    flavour: str | None = None,
    include_superseded: bool = False,
    category: str | None = None,
) -> list[CatalogEntry]:
    """Catalogue entries, filtered by ``quantity`` (mu, r2, q, portal), ``flavour``
    (e, mu, tau, eff) and ``category`` (laboratory, astrophysics, cosmology, other)."""
    if quantity is not None:
        quantity = choice("quantity", quantity, tuple(QUANTITIES))
    if flavour is not None:
        flavour = choice("flavour", flavour, ("e", "mu", "tau", "eff"))
    return [
        e
        for e in _all()
        if (quantity is None or e.quantity == quantity)
        and (flavour is None or e.flavour == flavour)
        and (category is None or e.category == category)
        and (include_superseded or e.superseded_by is None)
    ]


def entry(id: str) -> CatalogEntry:
    """The entry called ``id`` (superseded ones included)."""
    for e in _all():
        if e.id == id:
            return e
    raise NuemInputError(f"catalogue entry {id!r} is not known")


def portal_curves(flavour: str, include_superseded: bool = False) -> list[CatalogEntry]:
    """The digitised dipole-portal curves of ``flavour`` (e, mu, tau)."""
    return entries("portal", flavour, include_superseded)


def interpolate(e: CatalogEntry, masses_MeV) -> np.ndarray:
    """The entry's (lower-edge) curve at ``masses_MeV``, log-log interpolated; NaN outside."""
    m = np.log(np.asarray(e.masses_MeV))
    v = np.log(np.asarray(e.limit_muB))
    order = np.argsort(m, kind="stable")
    x = np.log(np.asarray(masses_MeV, dtype=np.float64))
    out = np.exp(np.interp(x, m[order], v[order]))
    return np.where((x < m.min()) | (x > m.max()), np.nan, out)
