"""nuem's limits against published recasts of a card's data (the card's ``recasts:`` block).

A recast is someone else's fit of the same release (e.g. the Cadeddu / Atzori Corona / Giunti
line of work on COHERENT). Its number is taken into nuem's convention by
:meth:`nuem.experiments.records.RecastResult.bounds` (``scale``, ``to_nuem``: sign of ⟨r²⟩),
then compared with nuem's limit at the recast's CL:

- upper limit (a moment, a transition radius): deviation = |nuem / published − 1|;
- interval (the allowed range of a signed quantity, extreme ends when it has two islands):
  deviation = max(|Δ lower|, |Δ upper|) / (published upper − published lower), since an end
  near zero makes a relative difference meaningless.

The comparison is required (``required``) only when the recast fitted this card's data alone
(``same_data``), one quantity at a time like ``nuem limits``, and its quantity is one nuem has.
"""

from __future__ import annotations

from dataclasses import dataclass

from nuem.errors import NuemInputError
from nuem.experiments.records import RecastResult
from nuem.limits.quantities import QUANTITIES
from nuem.limits.result import LimitResult


def limit_bounds(res: LimitResult) -> tuple[float, float]:
    """(lower, upper) of a nuem limit in hepunits: (0, limit) for a one-sided limit or an |x|
    bound, the extreme ends of the allowed region (or interval) otherwise."""
    if res.interval is not None:
        return float(res.interval[0]), float(res.interval[1])
    return 0.0, float(res.value)


def comparable(recast: RecastResult) -> bool:
    """True when nuem's ``nuem limits`` number is the recast's quantity: same data alone, one
    quantity at a time, a quantity nuem has."""
    return recast.same_data and recast.fit == "one_at_a_time" and recast.quantity in QUANTITIES


@dataclass(frozen=True)
class RecastComparison:
    """nuem's bounds against a recast's (both in nuem's convention, hepunits)."""

    recast: RecastResult
    nuem: tuple[float, float]
    published: tuple[float, float]
    deviation: float

    @property
    def within(self) -> bool:
        """True when the deviation is inside the recast entry's tolerance."""
        return self.deviation <= self.recast.tolerance

    @property
    def required(self) -> bool:
        """True when the card must meet the tolerance (:func:`comparable`)."""
        return comparable(self.recast)


def compare(res: LimitResult, recast: RecastResult) -> RecastComparison:
    """Compare nuem's limit ``res`` (same quantity, at the recast's CL) with ``recast``."""
    if res.quantity != recast.quantity:
        raise NuemInputError(
            f"limit of {res.quantity!r} compared with a recast of {recast.quantity!r}"
        )
    if abs(res.cl - recast.cl) > 1e-9:
        raise NuemInputError(f"limit at CL {res.cl} compared with a recast at CL {recast.cl}")
    lo, hi = limit_bounds(res)
    plo, phi = recast.bounds()
    if recast.kind == "upper_limit":
        dev = abs(hi / phi - 1.0)
    else:
        dev = max(abs(lo - plo), abs(hi - phi)) / (phi - plo)
    return RecastComparison(recast, (lo, hi), (plo, phi), float(dev))
