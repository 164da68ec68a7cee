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

import hashlib
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
from nuem.limits.derive import expected_limits, has_signal
from nuem.limits.portal import (
    PORTAL_FLAVOURS,
    has_dipole_channel,
    portal_quantity,
    portal_template,
)
from nuem.limits.quantities import Quantity
from nuem.limits.result import BAND_KEYS
from nuem.rates.experiment import card_source, experiment_templates, resolve_card
from nuem.rates.response import GridSpec
from nuem.scan.cache import ScanCache, scan_key
from nuem.scan.curve import NO_SENSITIVITY, OK, LimitCurve
from nuem.scan.grid import M_LOW, card_reach, log_grid, sensitive_masses
from nuem.scan.solve import MassWalk
from nuem.stats import FitError, Interval

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


class _DipoleMemo:
    """Templates whose ``dipole`` is evaluated once for every mass of a chunk (and every
    flavour), the rest passed through: :func:`nuem.limits.portal.portal_template` and
    :func:`card_likelihood` run unchanged on it. Templates are recognised by content (their
    binning or events and their SM and magnetic templates, which the same engine, response and
    source give), since a card may rebuild equal Templates objects for every likelihood. The
    total (``per_state=False``) is the sum over the source's states (the engine's total flux
    moments are the states' summed; tested against ``Templates.dipole`` to 1e-12)."""

    def __init__(self, templates, masses: np.ndarray, memo: dict) -> None:
        self._t, self._masses, self._memo = templates, masses, memo

    def __getattr__(self, name: str):
        return getattr(self._t, name)

    def _key(self) -> str:
        t = self._t
        h = hashlib.sha1(t.kind.encode())
        for a in (t.edges, t.events, t.time_edges, t.sm, t.magnetic_state, t.magnetic_eff):
            if a is not None:
                h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
        return h.hexdigest()

    def dipole(self, M, per_state: bool = False) -> np.ndarray:
        m = np.atleast_1d(np.asarray(M, dtype=np.float64))
        hit = np.flatnonzero(self._masses == m[0]) if m.size == 1 else ()
        if len(hit) != 1:
            return self._t.dipole(M, per_state)
        key = self._key()
        if key not in self._memo:
            self._memo[key] = self._t.dipole(self._masses, per_state=True)
        d = self._memo[key][hit]
        return d if per_state else d.sum(axis=1)


def _chunk_quantity(flavour: str, M: float, masses: np.ndarray, memo: dict) -> Quantity:
    """:func:`portal_quantity` with the chunk's dipole templates memoised (:class:`_DipoleMemo`)."""
    q = portal_quantity(flavour, M)

    def signal(t, params):
        return q.signal(_DipoleMemo(t, masses, memo), params)

    return Quantity(q.name, q.unit, q.description, q.signed, q.published_key, q.sources, signal)


def is_projection(card: Card) -> bool:
    """True for a card without data (kind ``projection``): it has expected limits only."""
    return card.provenance_kind == "projection"


def _expected_point(card: Card, q, cl: float) -> dict[str, Any]:
    """A projection's mass point: the Asimov band only (the `nuem limits` / `nuem sensitivity`
    function :func:`nuem.limits.derive.expected_limits` on the same binned likelihood)."""
    twin = card_likelihood(card, q, binned=True)
    if not has_signal(twin):
        return {"status": NO_SENSITIVITY}
    try:
        exp = expected_limits(twin, signed=False, cl=cl, transform=q.to_quantity)
    except FitError as exc:
        return {"status": f"fit failed: {exc}"}
    return {"status": OK, "observed": None, "lower": None, "expected": exp,
            "test_statistic": "q_tilde"}  # fmt: skip


def _point(card: Card, q: Quantity, expected: bool, walk: MassWalk) -> dict[str, Any]:
    if is_projection(card):
        return _expected_point(card, q, walk.cl)
    lik = card_likelihood(card, q)
    if not has_signal(lik):
        return {"status": NO_SENSITIVITY}
    try:
        r = walk.observed(lik)
        twin = card_likelihood(card, q, binned=True) if expected else None
        band = None if twin is None else walk.expected(twin, q.to_quantity)
    except FitError as exc:
        return {"status": f"fit failed: {exc}"}
    f = q.to_quantity  # as LimitResult.from_stats: the upper limit, or the interval's ends
    two = isinstance(r, Interval)
    return {
        "status": OK,
        "observed": f(r.upper if two else r.value),
        "lower": f(r.lower) if two else None,
        "expected": band,
        "test_statistic": "delta_chi2" if two else r.test_statistic,
    }


def compute_chunk(
    card: str | Card,
    flavours: Sequence[str],
    masses_MeV: Sequence[float],
    expected: bool,
    cl: float,
) -> dict[str, list[dict[str, Any]]]:
    """Limits at ``masses_MeV`` for ``card`` (a Card, which pickles, or a name / YAML path) and
    each of ``flavours``: ``{flavour: one dict per mass}`` (status, observed, lower, expected
    band). Per flavour the masses are solved in turn, each warm-started from the previous one
    (:class:`nuem.scan.solve.MassWalk`; the background-only fits shared by all); the dipole
    templates are computed once for all masses and flavours. Top-level, so any executor can
    pickle it."""
    c = resolve_card(card)
    M = np.asarray(masses_MeV, dtype=np.float64) * u.MeV
    ok = sensitive_masses(c, M)
    shared: dict[str, Any] = {}
    walks = {fl: MassWalk(cl=cl, shared=shared) for fl in flavours}
    memo: dict = {}
    out: dict[str, list[dict[str, Any]]] = {fl: [] for fl in flavours}
    free = _signal_free(c, flavours, M, memo)
    for i, (m, s) in enumerate(zip(M, ok, strict=True)):
        for fl in flavours:
            if not s or free[fl][i]:
                out[fl].append({"status": NO_SENSITIVITY})
                continue
            q = _chunk_quantity(fl, float(m), M, memo)
            out[fl].append(_point(c, q, expected, walks[fl]))
    return out


def _signal_free(card: Card, flavours: Sequence[str], M: np.ndarray, memo: dict) -> dict:
    """{flavour: bool per mass}: True where the card's binned portal signal is 0 (e.g. ν_μ at a
    reactor), so the likelihood has no signal ("no sensitivity") and need not be built. Event
    lists are always built (their likelihood holds event densities)."""
    if card.data_type == "events":
        return {fl: np.zeros(M.size, dtype=bool) for fl in flavours}
    t = _DipoleMemo(experiment_templates(card, card.bin_edges()), M, memo)
    params = getattr(card_source(card), "params", None)
    return {
        fl: np.array([not np.any(portal_template(t, fl, float(m), params)) for m in M])
        for fl in flavours
    }


def _settings(expected: bool, cl: float, chunk: int) -> dict[str, Any]:
    # chunk: the masses solved in one warm-started run (results agree to RTOL across chunkings)
    return {
        "cl": float(cl),
        "expected": bool(expected),
        "grid": list(GridSpec().key()),
        "chunk": int(chunk),
    }


def _curve(card: Card, flavour: str, grid: list[float], points, settings) -> LimitCurve:
    expected, cl = settings["expected"], settings["cl"]
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
        settings=settings,
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
    plan = []  # (card, flavour, grid, curve key, settings)
    for card in portal_cards(cards):
        settings = _settings(expected or is_projection(card), cl, chunk)
        grid = _card_grid(card, masses, n_masses)
        for fl in flavours:
            plan.append((card, fl, grid, scan_key(card.content_hash, fl, grid, settings), settings))
    done: dict[str, list] = {}
    todo: dict[tuple, dict[str, str]] = {}  # (card, masses) -> {flavour: chunk key} to compute
    cards: dict[str, Card] = {}
    curves: dict[str, LimitCurve] = {}
    chunks: dict[str, list[tuple[str, list[float]]]] = {}  # curve key -> [(chunk key, masses)]
    for card, fl, grid, key, settings in plan:
        hit = None if store is None else store.get(key)
        if hit is not None:  # a stored curve: nothing else is read or computed for it
            curves[key] = LimitCurve.from_dict(hit)
            continue
        pieces = [grid[i : i + chunk] for i in range(0, len(grid), chunk)]
        chunks[key] = [(scan_key(card.content_hash, fl, p, settings), p) for p in pieces]
        for ck, ms in chunks[key]:
            got = None if store is None or ck in done else store.get(ck)
            if got is not None:
                done[ck] = got
            elif ck not in done:
                cards[card.content_hash] = card
                todo.setdefault((card.content_hash, tuple(ms)), {})[fl] = ck
    tasks = [(cards[h], ms, fls) for (h, ms), fls in todo.items()]
    if tasks:  # (a fully cached scan imports no progress bar and submits nothing)
        _run(tasks, done, store, executor, progress, expected, cl)
    out = []
    for card, fl, grid, key, settings in plan:
        if key not in curves:
            points = [p for ck, _ in chunks[key] for p in done[ck]]
            curves[key] = _curve(card, fl, grid, points, settings)
            if store is not None:
                store.put(key, curves[key].to_dict())
        out.append(curves[key])
    return out


def _run(tasks, done, store, executor, progress, expected, cl) -> None:
    """Compute ``tasks`` [(card, masses, {flavour: chunk key})], storing each chunk as it ends;
    the costliest cards (most bins or events) are submitted first."""
    from tqdm.auto import tqdm

    tasks = sorted(tasks, key=lambda t: -_cost(t[0]))
    bar = tqdm(total=len(tasks), desc="nuem portal", unit="chunk", disable=not progress)

    def finish(keys, points):
        for fl, ck in keys.items():
            done[ck] = points[fl]
            if store is not None:
                store.put(ck, points[fl])
        bar.update()

    try:
        if executor is None:
            for card, ms, keys in tasks:
                finish(keys, compute_chunk(card, list(keys), list(ms), expected, cl))
            return
        futures = {
            executor.submit(compute_chunk, card, list(keys), list(ms), expected, cl): keys
            for card, ms, keys in tasks
        }
        for f in as_completed(futures):
            finish(futures[f], f.result())
    finally:
        bar.close()


def _cost(card: Card) -> int:
    """A rough relative cost of a card's chunk: its bins, or events."""
    if card.data_type == "events":
        return len(card.events())
    return int(card.bin_edges().size)
