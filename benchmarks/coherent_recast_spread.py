"""How far the COHERENT CsI 2021 limits move under the analysis choices in which published recasts
differ from the card (form factor, quenching central value, flux normalisation, systematics):
the measured basis of the tolerance the card states for its `recasts:` entries.

python benchmarks/coherent_recast_spread.py [--quick | --millicharge] [--lar]
(--quick: mu_e, q_eff, r2_e only; --millicharge: q_eff, q_e, q_mu only; --lar: the LAr 2020
card, whose quenching variant is skipped: its quenching nuisances are two coefficients, not
alternative models)

Each variant is the shipped card with one input changed (everything else, including the
card's nuisance parameters, as shipped); the limits are nuem's observed 90% CL ones (q-tilde for
the moments, Delta chi2 <= 2.71 regions for q and the radii). Printed: each variant's bound and
its change against the nominal one, in the metric of nuem.limits.recast.compare.
"""

from __future__ import annotations

import copy
import sys
import time

from nuem.experiments import Card
from nuem.limits.derive import derive_limit
from nuem.rates.experiment import resolve_card

QUANTITIES = ("mu_e", "mu_mu", "q_eff", "q_e", "q_mu", "r2_e", "r2_mu", "r2_emu")
QUICK = ("mu_e", "q_eff", "r2_e")
MILLICHARGE = ("q_eff", "q_e", "q_mu")


def variants(card: Card) -> dict[str, Card]:
    """The shipped card and one-input variants of it (name -> card)."""
    out = {"nominal": card}

    def variant(change) -> Card:
        raw = copy.deepcopy(card.raw)
        change(raw)
        return Card(raw, card.path)

    out["Klein-Nystrand form factor"] = variant(
        lambda r: r["target"].__setitem__("form_factor", "klein_nystrand")
    )
    syst = next((s for s in card.raw["systematics"] if s["name"] == "csi_quenching_0"), None)
    for sign in ("up", "down") if syst is not None else ():
        q = syst[f"response_{sign}"]["quenching"]
        out[f"quenching model 0 {'+' if sign == 'up' else '-'}1 sigma as central"] = variant(
            lambda r, q=q: r["response"].__setitem__("quenching", copy.deepcopy(q))
        )
    other = 0.0848 if card.raw["source"]["nu_per_proton"] == 0.09 else 0.09
    out[f"flux {other} nu/flavour/POT (the other card's)"] = variant(
        lambda r: r["source"].__setitem__("nu_per_proton", other)
    )
    out["no systematics (flux, quenching, efficiency)"] = variant(
        lambda r: r.__setitem__("systematics", [])
    )
    return out


def bounds(res) -> tuple[float, float]:
    """(lower, upper) end of the 90% CL result: (0, limit) for a moment, the extreme ends of
    the allowed region for a signed quantity."""
    if res.interval is None:
        return 0.0, res.value
    return float(res.interval[0]), float(res.interval[1])


def main() -> None:
    args = sys.argv[1:]
    names = QUICK if "--quick" in args else MILLICHARGE if "--millicharge" in args else QUANTITIES
    if "--lar" in sys.argv[1:]:
        names = tuple(n for n in names if n != "r2_emu")
    card = resolve_card("coherent-lar-2020" if "--lar" in sys.argv[1:] else "coherent-csi-2021")
    table: dict[str, dict[str, tuple[float, float]]] = {}
    t0 = time.process_time()
    for label, c in variants(card).items():
        table[label] = {n: bounds(derive_limit(c, n, expected=False)) for n in names}
    nominal = table["nominal"]
    print(f"{'variant':46s}" + "".join(f"{n:>30s}" for n in names))
    for label, row in table.items():
        cells = []
        for n in names:
            lo, hi = row[n]
            lo0, hi0 = nominal[n]
            if lo0 == 0.0:
                cells.append(f"{hi:10.3g} ({hi / hi0 - 1:+6.3f})")
            else:
                dev = max(abs(lo - lo0), abs(hi - hi0)) / (hi0 - lo0)
                cells.append(f"[{lo:.2g}, {hi:.2g}] ({dev:5.3f})")
        print(f"{label:46s}" + "".join(f"{c:>30s}" for c in cells))
    print(
        "(...): moments and |x| bounds: relative change of the limit; signed quantities: the"
        " largest shift of an end of the allowed region over its nominal width (the metric of"
        " nuem.limits.recast.compare)"
    )
    print(f"{time.process_time() - t0:.1f} s CPU")


if __name__ == "__main__":
    main()
