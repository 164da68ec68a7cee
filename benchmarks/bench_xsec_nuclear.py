"""Benchmark: 10^6 (E, T) evaluations of the nuclear cross sections and the stepping model.

Run: python benchmarks/bench_xsec_nuclear.py. Prints the best of a few repeats, in ms per 10^6.
"""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.xsec import atomic, nuclear

N = 1_000_000
REPEATS = 3


def best(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def main() -> None:
    rng = np.random.default_rng(0)
    E = rng.uniform(5.0, 55.0, N) * u.MeV
    T = rng.uniform(0.0, 40.0, N) * u.keV
    stepping = atomic.Stepping("Xe")
    cases = {
        "cevns(Xe, helm)": lambda: nuclear.cevns(E, T, "Xe"),
        "magnetic(Xe, helm)": lambda: nuclear.magnetic(E, T, "Xe"),
        "dipole(Xe, helm, M=10 MeV)": lambda: nuclear.dipole(E, T, 10.0 * u.MeV, "Xe"),
        "Stepping('Xe').electrons(T)": lambda: stepping.electrons(T),
    }
    print(f"{N:.0e} points, best of {REPEATS}")
    for name, fn in cases.items():
        print(f"{name:32s} {best(fn):9.1f} ms per 1e6")


if __name__ == "__main__":
    main()
