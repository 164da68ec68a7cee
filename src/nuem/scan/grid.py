"""N-mass grids and the kinematic reach of a card for ν X → N X upscattering.

A card is *sensitive* at mass M when some true recoil T whose detected energy lies inside the
card's window without smearing (:meth:`nuem.rates.Detector.true_range` with 0 σ) can be made by
the source's most energetic neutrino: E_min(T, m, M) ≤ E_top for a scatterer of mass m
(:func:`nuem.xsec.kinematics.e_min`, exact two-body kinematics). Elsewhere the signal lies only
in resolution tails or below threshold, and the scan reports "no sensitivity" rather than a
number. The *reach* is the largest such M (bisection in ln M; E_min grows with M at fixed T).
"""

from __future__ import annotations

import re

import numpy as np

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.experiments import Card
from nuem.rates.experiment import card_detectors, card_source, resolve_card
from nuem.rates.response import GridSpec
from nuem.xsec.kinematics import e_min

__all__ = ["card_reach", "log_grid", "parse_masses", "sensitive_masses", "source_endpoint"]

_UNITS = {"eV": u.eV, "keV": u.keV, "MeV": u.MeV, "GeV": u.GeV}
#: Lowest mass of the default grids (the issue's 1 keV).
M_LOW = 1.0 * u.keV


def _mass(text: str) -> float:
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*(eV|keV|MeV|GeV)\s*", text)
    if m is None:
        raise NuemInputError(f"mass {text!r} is not a number with a unit (eV, keV, MeV, GeV)")
    try:
        return float(m.group(1)) * _UNITS[m.group(2)]
    except ValueError:
        raise NuemInputError(f"mass {text!r} is not a number with a unit") from None


def log_grid(lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` log-spaced masses from ``lo`` to ``hi`` [energy] inclusive (n ≥ 1, 0 < lo ≤ hi)."""
    if int(n) != n or n < 1:
        raise NuemInputError(f"n = {n!r} masses is not allowed; give an integer >= 1")
    if not (0 < lo <= hi and np.isfinite(hi)):
        raise NuemInputError(f"mass range ({lo!r}, {hi!r}) MeV must satisfy 0 < lo <= hi")
    return np.geomspace(lo, hi, int(n)) if n > 1 else np.array([float(lo)])


def parse_masses(text: str) -> np.ndarray:
    """A log grid from ``"LO:HI:N"`` (e.g. ``"1keV:10MeV:60"``) [hepunits energy]."""
    parts = str(text).split(":")
    if len(parts) != 3:
        raise NuemInputError(f"masses = {text!r}: expected LO:HI:N such as 1keV:10MeV:60")
    try:
        n = int(parts[2])
    except ValueError:
        raise NuemInputError(f"masses = {text!r}: N = {parts[2]!r} is not an integer") from None
    return log_grid(_mass(parts[0]), _mass(parts[1]), n)


def source_endpoint(card: str | Card) -> float:
    """Largest neutrino energy of the card's source [energy]: continua and lines."""
    src = card_source(resolve_card(card))
    tops = []
    for c in src.components:
        tops.append(src.e_max(c))
        tops.extend(ln.energy for ln in src.lines(c))
    return float(max(tops))


def _core_ranges(card: Card) -> list[tuple[np.ndarray, np.ndarray]]:
    """(T nodes in the unsmeared window, scatterer masses) per recoil kind."""
    lo, hi = (float(x) for x in card.window)
    out = []
    for det in card_detectors(card):
        t_lo, t_hi = det.true_range(lo, hi, 0.0, det.recoil_floor(GridSpec()))
        if not t_hi > t_lo:
            continue
        T = np.geomspace(t_lo, t_hi, 257)
        out.append((T, np.array([sc.mass for sc in det.scatterers])))
    return out


def _sensitive(ranges, e_top: float, M: np.ndarray) -> np.ndarray:
    ok = np.zeros(M.shape, dtype=bool)
    for T, m in ranges:
        emin = e_min(T[None, None, :], m[None, :, None], M[:, None, None])  # (nM, sc, nT)
        ok |= np.any(emin <= e_top, axis=(1, 2))
    return ok


def sensitive_masses(card: str | Card, masses) -> np.ndarray:
    """Boolean per mass [energy]: can the source make a recoil inside the unsmeared window?"""
    card = resolve_card(card)
    M = np.atleast_1d(np.asarray(masses, dtype=np.float64))
    return _sensitive(_core_ranges(card), source_endpoint(card), M)


def card_reach(card: str | Card) -> float:
    """Largest N mass [energy] the card is sensitive to (module doc); 0 if none."""
    card = resolve_card(card)
    ranges, e_top = _core_ranges(card), source_endpoint(card)
    hi = e_top
    if not _sensitive(ranges, e_top, np.array([M_LOW]))[0]:
        return 0.0
    lo = M_LOW
    for _ in range(60):  # bisection in ln M to 1e-6 relative
        mid = np.sqrt(lo * hi)
        if _sensitive(ranges, e_top, np.array([mid]))[0]:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1 + 1e-6:
            break
    return float(lo)
