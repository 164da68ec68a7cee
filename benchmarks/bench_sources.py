"""Benchmark nuem.sources: spectra and MSW mass-state fractions on 10^6 energies.

Run: ``python benchmarks/bench_sources.py``. Prints the best of a few repeats (time.perf_counter).
"""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.sources import ReactorSource, SolarSource, SpallationSource


def best(f, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    n = 10**6
    rng = np.random.default_rng(1)
    e_solar = rng.uniform(0.0, 16.0, n) * u.MeV
    e_react = rng.uniform(0.0, 12.0, n) * u.MeV
    e_dar = rng.uniform(0.0, 53.0, n) * u.MeV

    t = time.perf_counter()
    sun = SolarSource()
    sun.mass_fractions("8B", 1.0)  # builds the 8B P_{e->k} table (3001 energies x 1000 zones)
    print(f"SolarSource() + first 8B P_e->k table build   {time.perf_counter() - t:8.3f} s")
    reactor = ReactorSource(3e9 * u.watt, 20 * u.m)
    dar = SpallationSource(0.08, 5e15 / u.s, 20 * u.m)

    rows = [
        ("solar spectrum('8B', E)", lambda: sun.spectrum("8B", e_solar)),
        ("solar spectrum('hep', E)", lambda: sun.spectrum("hep", e_solar)),
        ("solar mass_fractions('8B', E)  [table]", lambda: sun.mass_fractions("8B", e_solar)),
        ("solar survival_probability('8B', E)", lambda: sun.survival_probability("8B", e_solar)),
        ("solar differential_flux(E)  [8 comps x 3]", lambda: sun.differential_flux(e_solar)),
        ("reactor spectrum('U235', E)", lambda: reactor.spectrum("U235", e_react)),
        ("reactor differential_flux(E)", lambda: reactor.differential_flux(e_react)),
        ("pi-DAR spectrum('delayed_nue', E)", lambda: dar.spectrum("delayed_nue", e_dar)),
    ]
    print(f"{'operation on 1e6 energies':45s} {'best [s]':>9s}  {'ns/point':>9s}")
    for name, f in rows:
        dt = best(f)
        print(f"{name:45s} {dt:9.4f}  {dt / n * 1e9:9.1f}")
    m = 10**4
    e_small = e_solar[:m]
    dt = best(lambda: sun.mass_fractions("8B", e_small, method="direct"), repeat=3)
    print(f"{'solar mass_fractions [direct] (1e4 energies)':45s} {dt:9.4f}  {dt / m * 1e9:9.1f}")


if __name__ == "__main__":
    main()
