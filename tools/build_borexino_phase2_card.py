"""Write src/nuem/experiments/cards/borexino_phase2_2017.yaml from the shared Borexino data.

Inputs (read-only, see their PROVENANCE.md):
- shared/data/borexino_phase2_spectrum/nature2018_fig2a_spectrum.txt: Nature 2018 Fig. 2a open
  data, rate per N_h bin in counts / (day x 100 t); counts = rate x 582.326 (integers).
- shared/data/borexino_phase2_spectrum/phase2_fig6a_components.csv: Borexino's fitted background
  components of the same spectrum (arXiv:1707.09279 Fig. 6a, extracted from the vector graphics by
  Newtrinos.jl), same units.

The response parameters (Birks kB, hits light yield, saturation, variance) are written from
RESPONSE below; tools/calibrate_borexino_response.py derives them (see docs/borexino.md).
Run: python tools/build_borexino_phase2_card.py /work/shared/data
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

EXPOSURE_DAY_100T = 582.326
NH_LO, NH_HI = 100, 950
#: tools/calibrate_borexino_response.py output (hits per keV of visible energy, n_sat, variances)
RESPONSE = {
    "light_yield_hits_per_keV": 0.49707,
    "saturation_hits": 1881.3,
    "variance_linear": 1.3310,
    "variance_quadratic": 5.366e-05,
}
KB_CM_PER_MEV = 0.0109


def _fmt(a, nd=6) -> str:
    return "[" + ", ".join(f"{x:.{nd}g}" for x in a) + "]"


def main(shared: Path, out: Path) -> None:
    nat = np.loadtxt(shared / "borexino_phase2_spectrum/nature2018_fig2a_spectrum.txt")
    nh, rate = nat[:, 1].astype(int), nat[:, 4]
    sel = (nh >= NH_LO) & (nh <= NH_HI)
    counts = np.rint(rate[sel] * EXPOSURE_DAY_100T).astype(int)
    assert np.all(np.abs(rate[sel] * EXPOSURE_DAY_100T - counts) < 0.05)
    lines = (shared / "borexino_phase2_spectrum/phase2_fig6a_components.csv").read_text()
    rows = [ln for ln in lines.splitlines() if ln and not ln.startswith("#")]
    header = rows[0].split(",")
    table = np.array([[float(x) for x in r.split(",")] for r in rows[1:]])
    comp = {h: table[:, k] for k, h in enumerate(header)}
    cs = (comp["N_h"] >= NH_LO) & (comp["N_h"] <= NH_HI)
    assert np.array_equal(comp["N_h"][cs].astype(int), nh[sel])
    names = ["C14", "pileup", "Po210", "Kr85", "Bi210", "C11", "ext"]
    vals = {n: np.array(comp[n][cs], dtype=float) for n in names}
    # the drawn Po210 curve is smooth; the discrete N_h structure under the peak is in the total:
    # give Po210 the remainder (total - sum of all drawn curves) where Po210 dominates
    total = np.array(comp["total"][cs], dtype=float)
    rest = total - sum(vals.values()) - np.array(comp["solar"][cs], dtype=float)
    dom = vals["Po210"] > 0.5 * total
    vals["Po210"] = np.where(dom, np.maximum(vals["Po210"] + rest, 0.0), vals["Po210"])
    edges = list(range(NH_LO, NH_HI + 2))
    text = Path(__file__).with_name("borexino_phase2_2017.template.yaml").read_text()
    repl = {
        "@EDGES@": _fmt(edges),
        "@OBSERVED@": _fmt(counts),
        "@N_EVENTS@": str(int(counts.sum())),
        "@KB@": f"{KB_CM_PER_MEV:g}",
        **{f"@{k.upper()}@": f"{v:g}" for k, v in RESPONSE.items()},
    }
    for n in names:
        repl[f"@{n.upper()}@"] = _fmt(vals[n] * EXPOSURE_DAY_100T, 6)
    for k, v in repl.items():
        assert k in text, k
        text = text.replace(k, v)
    out.write_text(text)
    print(f"wrote {out}: {counts.size} bins, {counts.sum()} events")


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data"),
         root / "src/nuem/experiments/cards/borexino_phase2_2017.yaml")  # fmt: skip
