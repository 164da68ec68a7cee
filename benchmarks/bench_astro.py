"""Timings of the stellar and cosmological bounds (nuem.astro, nuem.cosmo).

Run: python benchmarks/bench_astro.py   (prints best-of-3 wall times)
"""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.astro import red_giant as rg
from nuem.astro import supernova as sn
from nuem.astro.plasma import Plasma
from nuem.cosmo import cmb, dipole, neff


def best(f, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    core = rg.core_plasma()
    rows = [
        (
            "Plasma.from_conditions (RG core)",
            lambda: Plasma.from_conditions(core.density, core.temperature),
        ),
        (
            "red_giant_bound, 50 masses",
            lambda: rg.red_giant_bound(np.linspace(0, 0.02, 50), plasma=core),
        ),
        (
            "sn1987a_wedge, 10 masses (one zone + envelope)",
            lambda: sn.sn1987a_wedge(np.geomspace(0.01, 300, 10)),
        ),
        ("neff_bound (Dirac, 3 nu_R)", lambda: neff.neff_bound()),
        ("bbn_bands, 20 masses", lambda: dipole.bbn_bands(np.geomspace(0.01, 300, 20))),
        ("cmb_band (Delta N_eff at recombination), 20 masses",
         lambda: cmb.cmb_band(np.geomspace(0.01, 300, 20))),
        ("delta_neff_cmb, one (M, mu)", lambda: cmb.delta_neff_cmb(1.0, 1e-11 * u.mu_B)),
    ]
    for name, f in rows:
        print(f"{name:52s} {best(f) * 1e3:9.1f} ms")


if __name__ == "__main__":
    main()
