"""Benchmark: the photoabsorption atomic model (10^6 points) and its templates in the engine.

Run: PYTHONPATH=src python benchmarks/bench_atomic.py. Prints the best of a few repeats.
"""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.rates.electron_recoils import RecoilEngine
from nuem.rates.experiment import solar_source
from nuem.rates.response import Detector
from nuem.xsec import atomic
from nuem.xsec import photoabsorption as pa

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
    T = rng.uniform(0.2, 40.0, N) * u.keV
    model = atomic.Photoabsorption("Xe")
    src = solar_source()
    edges = np.arange(1.0, 31.0) * u.keV

    def templates(name: str):
        def run():  # a fresh detector tag each time: no template cache hit
            det = Detector(1.0 * u.kg * u.year, "Xe", name, tag=str(time.perf_counter()),
                           sigma=lambda E: 0.3 * np.sqrt(E / u.keV) * u.keV)  # fmt: skip
            return RecoilEngine(src, det).templates(edges)

        return run

    cases = {
        "distant_collisions(T, 'Xe') 1e6": lambda: pa.distant_collisions(T, "Xe"),
        "Photoabsorption('Xe').electrons 1e6": lambda: model.electrons(T),
        "templates 1-30 keV, stepping": templates("stepping"),
        "templates 1-30 keV, photoabsorption": templates("photoabsorption"),
    }
    print(f"best of {REPEATS}")
    for name, fn in cases.items():
        print(f"{name:40s} {best(fn):9.1f} ms")


if __name__ == "__main__":
    main()
