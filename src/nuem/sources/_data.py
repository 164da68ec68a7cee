"""Loaders for the package's own source tables in ``nuem/data/sources`` (cached, read-only)."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

import numpy as np
import yaml

_DIR = files("nuem") / "data" / "sources"


def _rows(name: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a package CSV (lines starting with '#' are comments)."""
    text = (_DIR / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = list(csv.reader(lines))
    return reader[0], reader[1:]


@cache
def yaml_card(name: str) -> dict:
    """A package YAML card as a dict."""
    return yaml.safe_load((_DIR / name).read_text(encoding="utf-8"))


@cache
def table(name: str) -> dict[str, np.ndarray]:
    """A numeric package CSV as {column: float64 array}."""
    header, rows = _rows(name)
    data = np.array(rows, dtype=np.float64)
    return {h: data[:, i].copy() for i, h in enumerate(header)}


@cache
def solar_spectra() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{component: (E_MeV nodes, dN/dE per MeV)} from ``solar_spectra.csv``."""
    _, rows = _rows("solar_spectra.csv")
    out: dict[str, list] = {}
    for comp, e, v in rows:
        out.setdefault(comp, []).append((float(e), float(v)))
    return {k: (np.array([p[0] for p in v]), np.array([p[1] for p in v])) for k, v in out.items()}
