"""Generate ``src/nuem/data/atomic/rrpa_xe_pp_ratio.csv``: the RRPA/stepping ratio of the Xe rate.

Run from the repository (needs the steering inputs in ``../shared/data/xenon_atomic``)::

    python tools/make_rrpa_table.py

Input: the digitised pp-neutrino nu-e differential rates in xenon of J.-W. Chen et al.,
Phys. Lett. B 774 (2017) 656, arXiv:1610.04177 (ab-initio RRPA and the stepping approximation
with the paper's theory binding energies), as transcribed by SNuDD (``rrpa_rate.txt``,
``pp.txt``; shared/data/xenon_atomic/PROVENANCE.md, where they are marked unverified). Only their
ratio is meaningful (arbitrary normalisation). Written: the ratio of the two curves (each linear
in T between its digitised points) at 40 log-spaced energies from 0.26 to 29.5 keV, 3 decimals.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "xenon_atomic"
OUT = ROOT / "src/nuem/data/atomic/rrpa_xe_pp_ratio.csv"


def main() -> int:
    rrpa = np.loadtxt(SHARED / "rrpa_pp_rate_chen2017_digitized.txt")
    step = np.loadtxt(SHARED / "stepping_pp_rate_chen2017_digitized.txt")
    T = np.geomspace(0.26, 29.5, 40)
    ratio = np.interp(T, rrpa[:, 0], rrpa[:, 1]) / np.interp(T, step[:, 0], step[:, 1])
    lines = [
        "# RRPA / stepping ratio of the pp-neutrino nu-e differential rate in xenon (SM weak).",
        "# Chen et al., PLB 774 (2017) 656, arXiv:1610.04177, from the curves digitised by SNuDD",
        "# (shared/data/xenon_atomic, unverified digitisation). tools/make_rrpa_table.py.",
        "T_keV,ratio",
        *(f"{t:.4f},{r:.3f}" for t, r in zip(T, ratio, strict=True)),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({T.size} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
