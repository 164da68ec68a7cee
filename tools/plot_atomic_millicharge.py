"""Draw docs/figures/atomic_millicharge_xe.png: the Xe millicharge (q^2) rate per keV from solar
neutrinos with the free, stepping and photoabsorption atomic models, and their ratio.

    PYTHONPATH=src python tools/plot_atomic_millicharge.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nuem import units as u  # noqa: E402
from nuem.rates.electron_recoils import RecoilEngine  # noqa: E402
from nuem.rates.experiment import solar_source  # noqa: E402
from nuem.rates.response import Detector  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs/figures/atomic_millicharge_xe.png"
Q = 1e-13


def per_kev(model: str, edges: np.ndarray) -> np.ndarray:
    det = Detector(1000.0 * u.kg * u.year, "Xe", model)
    tpl = RecoilEngine(solar_source(), det).templates(edges)
    return Q * Q * tpl.millicharge[1] / (np.diff(edges) / u.keV)


def main() -> None:
    edges = np.geomspace(0.2, 40.0, 301) * u.keV
    mid = np.sqrt(edges[1:] * edges[:-1]) / u.keV
    rates = {m: per_kev(m, edges) for m in ("free", "stepping", "photoabsorption")}
    fig, (ax, axr) = plt.subplots(2, 1, figsize=(6.4, 6.0), sharex=True,
                                  gridspec_kw={"height_ratios": [2.2, 1]})  # fmt: skip
    style = {"free": ("0.5", "--"), "stepping": ("C0", "-"), "photoabsorption": ("C3", "-")}
    for m, r in rates.items():
        ax.step(mid, r, where="mid", color=style[m][0], ls=style[m][1], label=m)
    ax.set_yscale("log")
    ax.set_xscale("log")
    ax.set_ylabel(r"events / (keV tonne yr), $q_\nu = 10^{-13}\,e$")
    ax.set_title(r"Xe, solar $\nu$: millicharge $q^2$ term (no detector response)")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3, which="both")
    axr.step(mid, rates["photoabsorption"] / rates["stepping"], where="mid", color="C3")
    axr.axhline(1.0, color="C0", lw=0.8)
    axr.set_ylabel("photoabs. / stepping")
    axr.set_xlabel("energy transfer T [keV]")
    axr.grid(alpha=0.3, which="both")
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=120)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
