"""Limits from dataset cards: the engine behind `nuem limits` (DESIGN layers 4-5).

For a magnetic moment (POI x = (μ/μ_B)² ≥ 0) the result is the one-sided q̃ upper limit
(critical value [Φ⁻¹(cl)]², 1.6424 at 90% CL); when the data prefer a signal — x = 0 lies
outside the two-sided Δ(−2 ln L) ≤ χ²₁⁻¹(cl) interval — the two-sided interval is reported
instead (as XENON1T did). For a signed coupling (millicharge, charge radius) the result is the
allowed region {x : Δ(−2 ln L) ≤ χ²₁⁻¹(cl)}, possibly two islands, and the limit is its largest
|x|. Expected limits come from the background-only Asimov data set of the binned likelihood
(event lists use their card's default binning for this): the median and ±1σ/±2σ band for
magnetic moments (CCGV, arXiv:1007.1727), the median for signed couplings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from nuem._validate import choice
from nuem.errors import NuemInputError
from nuem.experiments import Card, list_cards
from nuem.limits.build import card_likelihood
from nuem.limits.quantities import QUANTITIES, Quantity, check_quantity_for, quantity
from nuem.limits.result import LimitResult
from nuem.rates.experiment import resolve_card
from nuem.stats import (
    CombinedLikelihood,
    FitError,
    RegionOpenError,
    expected_band,
    interval,
    upper_limit,
)
from nuem.stats.fit import fit
from nuem.stats.limits import critical_value
from nuem.stats.methods import check_method, limit_by_method
from nuem.stats.scan import allowed_region, profile_scan
from nuem.stats.toys import toy_upper_limit
from nuem.xsec import atomic as _atomic

__all__ = [
    "LimitRow",
    "atomic_label",
    "derive_limit",
    "expected_limits",
    "limit_from_likelihood",
    "published_entry",
    "run_limits",
    "with_atomic",
]


@dataclass
class LimitRow:
    """One line of `nuem limits`: a result, or the error that stopped it."""

    experiment: str
    quantity: str
    unit: str
    result: LimitResult | None
    published: dict[str, Any] | None
    error: str | None = None
    status: str | None = None  # "no sensitivity" or "not measured by a <kind> source"
    atomic: str | None = None  # atomic model of the electron recoils (see atomic_label)
    note: str | None = None  # e.g. why a combination is weaker than its best input

    @property
    def no_sensitivity(self) -> bool:
        return self.status is not None

    @property
    def limit(self) -> float | None:
        """The observed limit: upper limit, interval upper end, or |x| bound (signed)."""
        return None if self.result is None else self.result.headline

    @property
    def expected(self) -> float | None:
        return None if self.result is None else self.result.expected_median

    @property
    def cl_matches(self) -> bool:
        """True when the published value was given at the CL of nuem's result (or states none)."""
        p, r = self.published, self.result
        if p is None or r is None or p.get("cl") is None:
            return True
        return abs(float(p["cl"]) - r.cl) < 1e-9

    @property
    def below_expected(self) -> bool:
        """True when a one-sided observed limit lies below the expected -1 sigma edge (the data
        fluctuate low; the power-constrained method would raise it there)."""
        r = self.result
        if r is None or r.sided != "one-sided" or not r.expected or "minus1" not in r.expected:
            return False
        return r.value < r.expected["minus1"]

    @property
    def ratio(self) -> float | None:
        """nuem / published: limits, or upper ends when the paper gives an interval; None when
        the CLs differ (the ratio would compare different things)."""
        p = self.published
        if self.result is None or p is None or not self.cl_matches:
            return None
        if p.get("value") is not None and self.limit is not None:
            return self.limit / p["value"]
        if p.get("upper") is not None and self.result.interval is not None:
            return self.result.interval[1] / p["upper"]
        return None

    def to_json(self) -> dict[str, Any]:
        """The `nuem limits --json` object of this row."""
        r = self.result
        out: dict[str, Any] = {
            "experiment": self.experiment,
            "quantity": self.quantity,
            "unit": self.unit,
            "limit": self.limit,
            "cl": None if r is None else r.cl,
            "expected": self.expected,
            "published": self.published,
            "ratio": self.ratio,
            "atomic_model": self.atomic,
            "below_expected_minus1": self.below_expected,
        }
        if r is not None:
            out.update(r.row_fields())
            out["method"] = r.limit_method
        if self.note is not None or (r is not None and r.note):
            out["note"] = self.note or r.note
        if self.error is not None:
            out["error"] = self.error
        if self.status is not None:
            out["status"] = self.status
        return out


def atomic_label(cards: Sequence[Card]) -> str | None:
    """The atomic model of the electron recoils of ``cards``: one name when they agree,
    ``"card: model, ..."`` when they differ, None when no card has electron recoils."""
    models = {c.name: c.atomic_model for c in cards if "electron" in c.recoils}
    if not models:
        return None
    if len(set(models.values())) == 1:
        return next(iter(models.values()))
    return ", ".join(f"{k}: {v}" for k, v in models.items())


def sensitive(cards: Sequence[Card], name: str) -> bool:
    """False when quantity ``name`` adds no signal at all to ``cards`` (e.g. mu_mu at a reactor:
    no nu_mu arrive), which is reported as "no sensitivity", never as a number."""
    return any(has_signal(card_likelihood(c, name, binned=True)) for c in cards)


def has_signal(lik) -> bool:
    """True when some signal template of the (single-card) likelihood ``lik`` is not all 0."""
    return any(np.any(np.asarray(getattr(t, "values", t)) != 0) for _, t in lik.model.signal)


def published_entry(card: Card, q: Quantity) -> dict[str, Any] | None:
    """The card's published result for quantity ``q`` as a plain dict (None if absent)."""
    pr = None if q.published_key is None else card.published_result(q.published_key)
    if pr is None or pr.kind == "absent":
        return None
    return {
        "kind": pr.kind,
        "value": pr.value,
        "lower": pr.lower,
        "upper": pr.upper,
        "unit": pr.unit,
        "cl": pr.cl,
        "reference": pr.reference,
        "status": pr.status,
        "tolerance": pr.tolerance,
    }


def _signal_totals(lik) -> dict[int, float]:
    if not isinstance(lik, CombinedLikelihood) and not hasattr(lik, "model"):
        return {}
    parts = lik.parts if isinstance(lik, CombinedLikelihood) else [lik]
    tot: dict[int, float] = {}
    for p in parts:
        if isinstance(p, CombinedLikelihood):
            for k, v in _signal_totals(p).items():
                tot[k] = tot.get(k, 0.0) + v
            continue
        for power, t in p.model.signal:
            tot[power] = tot.get(power, 0.0) + t.integral
    return tot


#: Coarse look at the second island: points over ±width scales around x_m, and the margin
#: above the critical value beyond which no island is looked for there.
SECOND_ISLAND_POINTS = 5
SECOND_ISLAND_MARGIN = 16.0


def scan_grid(lik, width: float = 8.0, n: int = 25, best=None, critical: float | None = None):
    """Scan points for a signed POI: around 0 and around the second zero x_m = −S₁/S₂ of the
    total signal x S₁ + x² S₂ (where a second allowed island can sit), ±``width`` × the POI
    scale, ``n`` points each (step 0.67 scale; brentq refines every crossing; an allowed island
    is ~2-3 scales wide, the scale being where the signal reaches ~sqrt(B)).

    With ``best`` (the global fit) and ``critical``, the neighbourhood of x_m is first profiled
    on :data:`SECOND_ISLAND_POINTS` coarse points (step 4 scales); when every one of them lies
    more than :data:`SECOND_ISLAND_MARGIN` above the critical value the fine grid there is
    skipped: an island (Δχ² ≤ critical, ~2-3 scales wide) lies within 2 scales of a coarse
    point, where Δχ² ≲ (2 + 1.64)² ≈ 13 above its minimum, below the margin. This avoids
    hundreds of conditional fits in strongly excluded regions
    (e.g. the COHERENT CsI millicharge, Δχ² ≈ 40 at x_m).
    """
    s = lik.poi_scale
    tot = _signal_totals(lik)
    centres = [0.0]
    if tot.get(2, 0.0) != 0.0 and tot.get(1, 0.0) != 0.0:
        xm = -tot[1] / tot[2]
        if best is None or critical is None or _island_possible(lik, xm, width * s, best, critical):
            centres.append(xm)
    pts = [np.linspace(c - width * s, c + width * s, n) for c in centres]
    return np.unique(np.concatenate(pts))


def _island_possible(lik, xm: float, half: float, best, critical: float) -> bool:
    xs = np.linspace(xm - half, xm + half, SECOND_ISLAND_POINTS)
    try:
        g = profile_scan(lik, xs, best)
    except FitError:
        return True
    return bool(np.min(g) <= critical + SECOND_ISLAND_MARGIN)


def _region(lik, cl: float):
    width = 8.0
    best = fit(lik)
    qc = critical_value(cl, "delta_chi2")
    for _ in range(5):
        try:
            grid = scan_grid(lik, width, best=best, critical=qc)
            return allowed_region(lik, grid, cl, best=best)
        except RegionOpenError:
            width *= 3.0
    raise FitError("allowed region: still open after widening the scan 5 times")


def _binned_twin(cards: Sequence[Card], name: str):
    parts = [card_likelihood(c, name, binned=True) for c in cards]
    if len(parts) == 1:
        return parts[0]
    return CombinedLikelihood(parts, [c.name for c in cards])


def _likelihood(cards: Sequence[Card], name: str):
    parts = [card_likelihood(c, name) for c in cards]
    if len(parts) == 1:
        return parts[0]
    return CombinedLikelihood(parts, [c.name for c in cards])


def limit_from_likelihood(
    lik,
    twin,
    *,
    quantity_name: str,
    unit: str,
    signed: bool,
    cl: float = 0.90,
    transform=None,
    experiments: Sequence[str] = (),
    card_hashes: Sequence[str] = (),
    published: dict[str, Any] | None = None,
    atomic_model: str | None = None,
    method: str = "q-tilde",
    toys: int = 0,
    seed: int = 0,
) -> LimitResult:
    """The `nuem limits` statistics (module doc) on any single-POI likelihood ``lik``.

    ``twin``: a binned likelihood with an Asimov data set for the expected limit (None: none);
    ``transform``: POI -> quantity (e.g. √ for x = μ²), monotonic increasing. ``method``: the
    convention of a one-sided limit (:data:`nuem.stats.methods.METHODS`; signed couplings always
    get their Δχ² allowed region); ``toys`` > 0: the q̃ critical value from that many toys at the
    limit (q-tilde only; binned likelihoods).
    """
    method = check_method(method)
    if signed or method == "q-tilde":
        exp = None
        if twin is not None:
            exp = expected_limits(twin, signed=signed, cl=cl, transform=transform)
    if signed:
        reg = _region(lik, cl)
        return LimitResult(
            quantity=quantity_name,
            unit=unit,
            cl=float(cl),
            sided="two-sided",
            test_statistic="delta_chi2",
            critical_value=reg.critical_value,
            method="asymptotic",
            value=reg.abs_bound,
            interval=(reg.lower, reg.upper),
            allowed=list(reg.intervals),
            expected=exp,
            experiments=list(experiments),
            card_hashes=list(card_hashes),
            published=published,
            atomic_model=atomic_model,
        )
    kw = dict(
        transform=transform,
        experiments=experiments,
        card_hashes=card_hashes,
        published=published,
        atomic_model=atomic_model,
    )
    if method != "q-tilde":
        if toys:
            raise NuemInputError(f"toys = {toys!r}: toy critical values are for --method q-tilde")
        ml = limit_by_method(lik, method, cl, twin)
        res = LimitResult.from_stats(quantity_name, unit, upper=ml.limit, expected=ml.band, **kw)
        return replace(res, limit_method=method, note=ml.note or None)
    iv = interval(lik, cl)
    if iv.lower_at_bound:
        if toys:
            gen = lik if hasattr(lik, "asimov") else twin  # unbinned: toys of its binned twin
            if gen is None:
                raise NuemInputError("toys need a binned likelihood (expected=True gives one)")
            up = toy_upper_limit(lik, cl, n_toys=int(toys), seed=int(seed), toy_model=gen)
        else:
            up = upper_limit(lik, cl)
        res = LimitResult.from_stats(quantity_name, unit, upper=up, **kw)
    else:
        res = LimitResult.from_stats(quantity_name, unit, interval=iv, **kw)
    return replace(res, expected=exp)


def expected_limits(twin, *, signed: bool, cl: float = 0.90, transform=None) -> dict[str, float]:
    """The expected limits of `nuem limits` and `nuem sensitivity` (one place): from the
    background-only Asimov data set of the binned likelihood ``twin``.

    Magnetic moments: the q̃ median and ±1σ/±2σ band (keys median, minus1, plus1, minus2,
    plus2; CCGV arXiv:1007.1727), mapped by ``transform`` (POI -> quantity, e.g. √ for x = μ²);
    signed couplings: the median only, the largest |x| of the Asimov allowed region.
    """
    if signed:
        return {"median": _region(twin.asimov(0.0), cl).abs_bound}
    f = transform or (lambda v: v)
    return {k: float(f(v)) for k, v in expected_band(twin, cl).as_dict().items()}


def derive_limit(
    cards: str | Card | Sequence[str | Card],
    name: str,
    cl: float = 0.90,
    expected: bool = True,
    atomic: str | None = None,
    method: str = "q-tilde",
    toys: int = 0,
) -> LimitResult:
    """Limit on quantity ``name`` from one card or the combination of several (module doc).

    ``method``, ``toys``: the limit convention and toy critical values
    (:func:`limit_from_likelihood`).

    ``atomic``: atomic model of the electron recoils, overriding each card's ``target.atomic``
    (:data:`nuem.xsec.atomic.MODELS`; None: the cards'). Raises :class:`nuem.stats.FitError`
    when a fit does not converge.
    """
    if isinstance(cards, (str, Card)):
        cards = [cards]
    cards = with_atomic([resolve_card(c) for c in cards], atomic)
    if not cards:
        raise NuemInputError("cards = [] is not allowed; give at least one card")
    for c in cards:
        if not c.has_data:
            raise NuemInputError(
                f"card {c.name!r} is a projection without data: no observed limit; "
                "use nuem sensitivity for its expected limits"
            )
    q = check_quantity_for(name, [c.source_kind for c in cards], [c.name for c in cards])
    return limit_from_likelihood(
        _likelihood(cards, name),
        _binned_twin(cards, name) if expected else None,
        quantity_name=q.name,
        unit=q.unit,
        signed=q.signed,
        cl=cl,
        transform=q.to_quantity,
        experiments=[c.name for c in cards],
        card_hashes=[c.content_hash for c in cards],
        published=published_entry(cards[0], q) if len(cards) == 1 else None,
        atomic_model=atomic_label(cards),
        method=method,
        toys=toys,
    )


def with_atomic(cards: Sequence[Card], atomic: str | None) -> list[Card]:
    """``cards`` with their atomic model replaced by ``atomic`` (None: unchanged)."""
    if atomic is None:
        return list(cards)
    choice("atomic model", atomic, _atomic.MODELS)
    return [c.with_atomic(atomic) for c in cards]


def run_limits(
    experiments: Iterable[str | Card] | None = None,
    quantities: Iterable[str] | None = None,
    combine: bool = False,
    cl: float = 0.90,
    progress: bool = False,
    atomic: str | None = None,
    method: str = "q-tilde",
    toys: int = 0,
) -> list[LimitRow]:
    """Every (experiment, quantity) limit; with ``combine`` one combined row per quantity.

    ``atomic`` overrides the cards' atomic model (see :func:`derive_limit`); every row records
    the model it used (``LimitRow.atomic``). A fit that fails gives a row with ``error`` set
    and no number.
    """
    from tqdm.auto import tqdm

    cards = [resolve_card(c) for c in (experiments if experiments is not None else list_cards())]
    cards = with_atomic(cards, atomic)
    explicit = quantities is not None
    names = list(quantities) if explicit else list(QUANTITIES)
    for n in names:
        quantity(n)
    groups = [cards] if combine else [[c] for c in cards]
    jobs = [(g, n) for g in groups for n in names]
    if explicit and combine:  # combining different observables is an error (use nuem fit)
        for g, n in jobs:
            check_quantity_for(n, [c.source_kind for c in g], [c.name for c in g])
    elif not explicit:  # the default list: each card's measurable quantities
        jobs = [(g, n) for g, n in jobs if all(quantity(n).available_for(c.source_kind) for c in g)]
    rows = []
    for g, n in tqdm(jobs, desc="nuem limits", unit="limit", disable=not progress, leave=False):
        label = "+".join(c.name for c in g) if combine else g[0].name
        q = quantity(n)
        pub = published_entry(g[0], q) if len(g) == 1 else None
        am = atomic_label(g)
        if not all(q.available_for(c.source_kind) for c in g):  # asked for, one card alone
            why = f"not measured by a {g[0].source_kind} source"
            rows.append(LimitRow(label, n, q.unit, None, pub, status=why, atomic=am))
            continue
        if not sensitive(g, n):
            rows.append(LimitRow(label, n, q.unit, None, pub, status="no sensitivity", atomic=am))
            continue
        try:
            res = derive_limit(g, n, cl, method=method, toys=toys)
            note = _weaker_than_inputs(g, n, res, cl, method) if len(g) > 1 else None
            rows.append(LimitRow(label, n, q.unit, res, pub, atomic=am, note=note))
        except FitError as exc:
            err = f"fit failed: {exc}"
            rows.append(LimitRow(label, n, q.unit, None, pub, error=err, atomic=am))
    return rows


def _weaker_than_inputs(cards: Sequence[Card], name: str, res: LimitResult, cl, method):
    """Why a combined limit is weaker than its best input (None when it is not): the inputs
    disagree, so the combination's best fit moves to where the strongest card alone already
    disfavours, and the likelihood ratio to that best fit is smaller."""
    best = None
    for c in cards:
        if not sensitive([c], name):
            continue
        try:
            alone = derive_limit([c], name, cl, expected=False, method=method)
        except FitError:
            continue
        if best is None or alone.headline < best[1]:
            best = (c.name, alone.headline, alone)
    if best is None or res.headline <= best[1]:
        return None
    rest = [c.name for c in cards if c.name != best[0]]
    verb = "pulls" if len(rest) == 1 else "pull"
    return (
        f"weaker than {best[0]} alone ({best[1]:.3g}): the inputs disagree; "
        f"{', '.join(rest)} {verb} the combination's best fit to where {best[0]} alone is "
        "already disfavoured, and a limit is a likelihood ratio to the best fit, not a sum of "
        "exclusions"
    )
