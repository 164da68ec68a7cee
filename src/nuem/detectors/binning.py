"""Bin edges for reconstructed-energy spectra.

Edges are float64 arrays in the hepunits system (``keV`` = 1e-3). The compact text form used by
dataset cards and the command line is parsed by :func:`parse_bins`:

- ``"1:30:1"``        start:stop:width, linear (edges 1, 2, ..., 30);
- ``"1:30:n29"``      start:stop:nBINS, linear with that many bins;
- ``"0.1:100:n30:log"`` log-spaced with that many bins;
- ``"1,2,5,10,30"``   explicit edges.

Numbers are in ``unit`` (default keV). A width that does not divide the range exactly is an
error (no silent partial last bin).
"""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import as_array
from nuem.errors import NuemInputError

_NUM = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUM})\s*:\s*({_NUM})\s*:\s*(n?)\s*({_NUM})\s*(?::\s*(lin|log))?\s*$")


def check_edges(name: str, edges: ArrayLike, allow_negative: bool = False) -> np.ndarray:
    """``edges`` as a float64 array, checked: 1-D, >= 2 entries, finite, strictly increasing.

    Raises :class:`~nuem.errors.NuemInputError` naming ``name`` and the first offending index.
    Negative edges are refused unless ``allow_negative`` (energies are >= 0).
    """
    e = as_array(name, edges)
    if e.ndim != 1 or e.size < 2:
        raise NuemInputError(f"{name} must be a 1-D array of at least 2 bin edges, got {e!r}")
    if not np.all(np.isfinite(e)):
        raise NuemInputError(f"{name} must be finite, got {e!r}")
    d = np.diff(e)
    if np.any(d <= 0):
        i = int(np.argmax(d <= 0))
        raise NuemInputError(
            f"{name} must be strictly increasing; "
            f"edge {i + 1} = {e[i + 1]!r} <= edge {i} = {e[i]!r}"
        )
    if not allow_negative and e[0] < 0:
        raise NuemInputError(f"{name}[0] = {e[0]!r} is negative; energies must be >= 0")
    return e


def linear_edges(start: float, stop: float, width: float) -> np.ndarray:
    """Edges start, start+width, ..., stop (all in hepunits). ``width`` must divide the range."""
    if not (width > 0 and stop > start):
        raise NuemInputError(
            f"bins need stop > start and width > 0; got start={start}, stop={stop}, width={width}"
        )
    n_float = (stop - start) / width
    n = int(round(n_float))
    if n < 1 or abs(n_float - n) > 1e-9 * max(1.0, n_float):
        raise NuemInputError(
            f"bin width {width} does not divide the range [{start}, {stop}] into whole bins"
        )
    return np.linspace(start, stop, n + 1)


def log_edges(start: float, stop: float, n: int) -> np.ndarray:
    """``n`` log-spaced bins from ``start`` > 0 to ``stop``."""
    if not (start > 0 and stop > start and n >= 1):
        raise NuemInputError(
            f"log bins need 0 < start < stop and n >= 1; got start={start}, stop={stop}, n={n}"
        )
    return np.geomspace(start, stop, int(n) + 1)


def parse_bins(spec: str | ArrayLike, unit: float = u.keV) -> np.ndarray:
    """Bin edges from ``"start:stop:width"``, ``"start:stop:nN[:log]"`` or ``"e0,e1,..."``.

    Numbers in the string are in ``unit`` (default ``keV``); the result is in hepunits. An array
    input is validated with :func:`check_edges` and multiplied by ``unit``.
    """
    if not isinstance(spec, str):
        return check_edges("bin edges", np.asarray(spec, dtype=np.float64) * unit)
    text = spec.strip()
    m = _RANGE.match(text)
    if m:
        start, stop = float(m.group(1)), float(m.group(2))
        is_count, third, scale = bool(m.group(3)), float(m.group(4)), m.group(5) or "lin"
        if scale == "log":
            if not is_count:
                raise NuemInputError(f"bins {spec!r}: log binning needs a bin count 'nN'")
            edges = log_edges(start, stop, _count(spec, third))
        elif is_count:
            edges = np.linspace(start, stop, _count(spec, third) + 1)
        else:
            edges = linear_edges(start, stop, third)
        return check_edges(f"bins {spec!r}", edges * unit)
    if "," in text:
        try:
            values = [float(x) for x in text.split(",") if x.strip()]
        except ValueError as exc:
            raise NuemInputError(f"bins {spec!r}: not a comma-separated list of numbers") from exc
        return check_edges(f"bins {spec!r}", np.asarray(values) * unit)
    raise NuemInputError(
        f"bins {spec!r} not understood; use 'start:stop:width', 'start:stop:nN[:log]' or 'e0,e1,..'"
    )


def _count(spec: str, x: float) -> int:
    n = int(round(x))
    if n < 1 or n != x:
        raise NuemInputError(f"bins {spec!r}: the bin count must be a positive integer, got {x}")
    return n


def bin_centres(edges: ArrayLike) -> np.ndarray:
    """Arithmetic bin centres (same units as ``edges``)."""
    e = check_edges("edges", edges, allow_negative=True)
    return 0.5 * (e[1:] + e[:-1])


def bin_widths(edges: ArrayLike) -> np.ndarray:
    """Bin widths (same units as ``edges``)."""
    return np.diff(check_edges("edges", edges, allow_negative=True))
