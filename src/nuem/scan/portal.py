"""The dipole-portal scan: limits on μ versus M_N per flavour and card, on any executor.

For every card whose recoil kinds have the engine's dipole channel
(:func:`nuem.limits.portal.has_dipole_channel`) and every flavour (e, mu, tau, eff), each mass of
a log grid gets the `nuem limits` statistics (:func:`nuem.limits.derive.limit_from_likelihood`:
q̃ upper limit, the two-sided interval when the data prefer a signal, Asimov ±1σ/±2σ band) on
the card's likelihood with the portal signal of that mass (:func:`nuem.limits.portal.
portal_quantity`). Masses outside the card's kinematic reach (:mod:`nuem.scan.grid`), or where
the signal vanishes, are "no sensitivity".

Work is cut into chunks of masses per (card, flavour); chunks run on ``executor`` (any
:class:`concurrent.futures.Executor`; a ``dask.distributed`` client's ``get_executor()``; None:
in this process) and each finished chunk is stored in the on-disk cache (:mod:`nuem.scan.cache`)
at once, so a killed scan resumes with the chunks it lacks; the assembled curve is stored too, so
a repeated scan reads one file per (card, flavour).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, as_completed
from pathlib import Path
from typing import Any

import numpy as np

from nuem import units as u
from nuem._validate import choice
from nuem.errors import NuemInputError
from nuem.experiments import Card, list_cards
from nuem.limits.build import card_likelihood
from nuem.limits.derive import expected_limits, has_signal, limit_from_likelihood
from nuem.limits.portal import PORTAL_FLAVOURS, has_dipole_channel, portal_quantity
from nuem.limits.result import BAND_KEYS
from nuem.rates.experiment import resolve_card
from nuem.rates.response import GridSpec
from nuem.scan.cache import ScanCache, scan_key
from nuem.scan.curve import NO_SENSITIVITY, OK, LimitCurve
from nuem.scan.grid import M_LOW, card_reach, log_grid, sensitive_masses
from nuem.stats import FitError

__all__ = ["DEFAULT_CHUNK", "compute_chunk", "is_projection", "portal_cards", "scan"]

#: Masses per unit of work (and per cache file).
DEFAULT_CHUNK = 10


def portal_cards(names: Iterable[str | Card] | None = None) -> list[Card]:
    """The cards the scan runs on: ``names`` (each must have the dipole channel), or every
    shipped card that has it."""
    if names is None:
        return [c for c in map(resolve_card, list_cards()) if has_dipole_channel(c)]
    cards = [resolve_card(n) for n in names]
    bad = [c.name for c in cards if not has_dipole_channel(c)]
    if bad:
        raise NuemInputError(f"cards {', '.join(bad)} have no dipole channel for their recoils")
    return cards


def is_projection(card: Card) -> bool:
    """True for a card without data (kind ``projection``): it has expected limits only."""
    return card.provenance_kind == "projection"


def _expected_point(card: Card, q, cl: float) -> dict[str, Any]:
    """A projection's mass point: the Asimov band only (the `nuem limits` / `nuem sensitivity`
    function :func:`nuem.limits.derive.expected_limits` on the same binned likelihood)."""
    twin = card_likelihood(card, q, binned=True)
    try:
        exp = expected_limits(twin, signed=False, cl=cl, transform=q.to_quantity)
    except FitError as exc:
        return {"status": f"fit failed: {exc}"}
    return {"status": OK, "observed": None, "lower": None, "expected": exp,
            "test_statistic": "q_tilde"}  # fmt: skip


def _point(card: Card, flavour: str, M: float, expected: bool, cl: float) -> dict[str, Any]:
    q = portal_quantity(flavour, M)
    lik = card_likelihood(card, q)
    if not has_signal(lik):
        return {"status": NO_SENSITIVITY}
    if is_projection(card):
        return _expected_point(card, q, cl)
    twin = card_likelihood(card, q, binned=True) if expected else None
    try:
        r = limit_from_likelihood(
            lik, twin, quantity_name=q.name, unit=q.unit, signed=False, cl=cl,
            transform=q.to_quantity,
        )  # fmt: skip
    except FitError as exc:
        return {"status": f"fit failed: {exc}"}
    return {
        "status": OK,
        "observed": r.headline,
        "lower": r.interval[0] if r.sided == "two-sided" else None,
        "expected": r.expected,
        "test_statistic": r.test_statistic,
    }


def compute_chunk(
    card: str | Card, flavour: str, masses_MeV: Sequence[float], expected: bool, cl: float
) -> list[dict[str, Any]]:
    """Limits at ``masses_MeV`` for ``card`` (a Card, which pickles, or a name / YAML path) and
    ``flavour``: one dict per mass (status, observed, lower, expected band). Top-level, so any
    executor can pickle it."""
    c = resolve_card(card)
    M = np.asarray(masses_MeV, dtype=np.float64) * u.MeV
    ok = sensitive_masses(c, M)
    return [
        _point(c, flavour, float(m), expected, cl) if s else {"status": NO_SENSITIVITY}
        for m, s in zip(M, ok, strict=True)
    ]


def _settings(expected: bool, cl: float) -> dict[str, Any]:
    return {"cl": float(cl), "expected": bool(expected), "grid": list(GridSpec().key())}


def _curve(card: Card, flavour: str, grid: list[float], points, expected, cl) -> LimitCurve:
    ts = next((p["test_statistic"] for p in points if p["status"] == OK), "q_tilde")
    band = None
    if expected:
        band = {
            k: [(p.get("expected") or {}).get(k) if p["status"] == OK else None for p in points]
            for k in BAND_KEYS
        }
    return LimitCurve(
        experiment=card.name,
        flavour=flavour,
        masses_MeV=grid,
        observed=[p.get("observed") for p in points],
        lower=[p.get("lower") for p in points],
        status=[p["status"] for p in points],
        cl=cl,
        expected=band,
        test_statistic=ts,
        experiments=[card.name],
        card_hashes=[card.content_hash],
        settings=_settings(expected, cl),
        label=card.experiment,
    )


def _card_grid(card: Card, masses, n_masses: int) -> list[float]:
    if masses is not None:
        return [float(m) / u.MeV for m in np.atleast_1d(np.asarray(masses, dtype=np.float64))]
    reach = card_reach(card)
    if reach <= M_LOW:
        return [M_LOW / u.MeV]
    return (log_grid(M_LOW, reach, n_masses) / u.MeV).tolist()


def scan(
    cards: Iterable[str | Card] | None = None,
    flavours: Iterable[str] = PORTAL_FLAVOURS,
    masses=None,
    n_masses: int = 60,
    expected: bool = False,
    cl: float = 0.90,
    executor: Executor | None = None,
    cache: bool | str | Path = True,
    chunk: int = DEFAULT_CHUNK,
    progress: bool = False,
) -> list[LimitCurve]:
    """Portal limit curves, one per (card, flavour), in card then flavour order (module doc).

    ``masses``: N masses [hepunits energy] for every card, or None: ``n_masses`` log-spaced
    from 1 keV to each card's kinematic reach; ``expected``: add the Asimov band (always there,
    and the only number, for a projection card: its ``observed`` are None); ``executor``:
    any :class:`concurrent.futures.Executor` (None: serial, in this process); ``cache``: True
    (default folder), False (off) or a folder; ``chunk``: masses per unit of work.
    """
    flavours = [choice("flavour", f, PORTAL_FLAVOURS) for f in flavours]
    if int(chunk) != chunk or chunk < 1:
        raise NuemInputError(f"chunk = {chunk!r} must be an integer >= 1")
    store = None if cache is False else ScanCache(None if cache is True else cache)
    plan = []  # (card, flavour, grid, curve key, chunks: [(key, masses)])
    for card in portal_cards(cards):
        settings = _settings(expected or is_projection(card), cl)
        grid = _card_grid(card, masses, n_masses)
        for fl in flavours:
            key = scan_key(card.content_hash, fl, grid, settings)
            pieces = [grid[i : i + chunk] for i in range(0, len(grid), chunk)]
            chunks = [(scan_key(card.content_hash, fl, p, settings), p) for p in pieces]
            plan.append((card, fl, grid, key, chunks))
    done: dict[str, list] = {}
    todo: dict[str, tuple] = {}  # chunk key -> compute_chunk arguments (each chunk once)
    curves: dict[str, LimitCurve] = {}
    for card, fl, _grid, key, chunks in plan:
        hit = None if store is None else store.get(key)
        if hit is not None:
            curves[key] = LimitCurve.from_dict(hit)
            continue
        for ck, ms in chunks:
            got = None if store is None or ck in done else store.get(ck)
            if got is not None:
                done[ck] = got
            elif ck not in done:
                todo[ck] = (card, fl, ms, expected or is_projection(card), cl)
    _run(list(todo.items()), done, store, executor, progress)
    out = []
    for card, fl, grid, key, chunks in plan:
        if key not in curves:
            points = [p for ck, _ in chunks for p in done[ck]]
            curves[key] = _curve(card, fl, grid, points, expected or is_projection(card), cl)
            if store is not None:
                store.put(key, curves[key].to_dict())
        out.append(curves[key])
    return out


def _run(todo, done, store, executor, progress) -> None:
    from tqdm.auto import tqdm

    bar = tqdm(total=len(todo), desc="nuem portal", unit="chunk", disable=not progress)

    def finish(ck, points):
        done[ck] = points
        if store is not None:
            store.put(ck, points)
        bar.update()

    try:
        if executor is None:
            for ck, args in todo:
                finish(ck, compute_chunk(*args))
            return
        futures = {executor.submit(compute_chunk, *args): ck for ck, args in todo}
        for f in as_completed(futures):
            finish(futures[f], f.result())
    finally:
        bar.close()
