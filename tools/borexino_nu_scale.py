"""How well nuem's solar-neutrino templates sit on the energy scale of Borexino's own fit.

The Borexino card takes its backgrounds from Borexino's fitted curves (arXiv:1707.09279 Fig. 6a),
i.e. on the energy scale of the collaboration's fit, while nuem computes the solar neutrinos
with its own N_h response (tools/calibrate_borexino_response.py, calibrated on Borexino's MC
shapes, not on data). The same figure draws Borexino's fitted solar-neutrino sum ("solar"
column of shared/data/borexino_phase2_spectrum/phase2_fig6a_components.csv). This script fits
that curve with nuem's five SM groups (free non-negative normalisations) whose N_h axis is
multiplied by 1 + delta (nuem.detectors.energy_scale.rescale_binned), with the statistical
errors of the data (sqrt of the observed counts per bin), and prints delta-hat and its 1 sigma
(Delta chi^2 = 1) half-width: the relative-scale uncertainty of nuem's neutrino templates with
respect to the collaboration's fit, which the card uses as the prior of its ``nu_response_scale``
systematic. No magnetic-moment term and no limit enters.

Run: python tools/borexino_nu_scale.py [/work/shared/data]  (a few seconds).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

from nuem.detectors.energy_scale import rescale_binned
from nuem.experiments import load_card
from nuem.rates.experiment import sm_group_counts

EXPOSURE_DAY_100T = 582.326


def chi2_curve(shared: Path, deltas: np.ndarray) -> np.ndarray:
    """chi^2 of the best non-negative combination of nuem's SM groups, axis scaled by
    1 + delta, against Borexino's fitted solar curve (errors: sqrt(data counts))."""
    card = load_card("borexino_phase2_2017")
    edges = card.bin_edges()
    groups = np.array(list(sm_group_counts(card, edges).values()))
    rows = [
        r for r in (shared / "borexino_phase2_spectrum/phase2_fig6a_components.csv")
        .read_text().splitlines() if r and not r.startswith("#")
    ]  # fmt: skip
    hdr = rows[0].split(",")
    tab = np.array([[float(x) for x in r.split(",")] for r in rows[1:]])
    col = {h: tab[:, k] for k, h in enumerate(hdr)}
    sel = (col["N_h"] >= edges[0]) & (col["N_h"] < edges[-1])
    solar = col["solar"][sel] * EXPOSURE_DAY_100T
    w = 1.0 / np.sqrt(np.maximum(col["data"][sel] * EXPOSURE_DAY_100T, 1.0))
    out = []
    for d in deltas:
        g = rescale_binned(groups, edges, 1.0 + d)
        out.append(nnls((g * w).T, solar * w)[1] ** 2)
    return np.array(out)


def main(shared: Path) -> None:
    deltas = np.linspace(-0.01, 0.01, 201)
    chi2 = chi2_curve(shared, deltas)
    k = int(np.argmin(chi2))
    inside = deltas[chi2 <= chi2[k] + 1.0]
    print(f"delta-hat = {deltas[k]:+.4f} (chi2 {chi2[k]:.2f}; scan of {len(chi2)} scales)")
    print(f"1 sigma: [{inside.min():+.4f}, {inside.max():+.4f}], half-width "
          f"{0.5 * (inside.max() - inside.min()):.4f}")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data"))
