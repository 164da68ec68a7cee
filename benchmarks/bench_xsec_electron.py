"""Timing of the free-electron cross sections: 10^6 (E, T) points per call.

Run: python benchmarks/bench_xsec_electron.py
Prints the best of a few repeats, in ms per 10^6 evaluations, for each channel.
"""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.xsec import electron as el
from nuem.xsec.hypothesis import EMHypothesis

N = 1_000_000
REPEATS = 5


def best_ms(fn) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def main() -> None:
    rng = np.random.default_rng(0)
    E = 10 ** rng.uniform(-2, 2, N) * u.MeV  # 10 keV .. 100 MeV
    T = E * rng.uniform(0.0, 1.0, N)  # includes forbidden points (exact zeros)
    hyp = EMHypothesis(mu=1e-11 * u.mu_B, M=0.0, q=1e-12, r2=1e-32 * u.cm2)
    cases = {
        "weak (nu_e)": lambda: el.weak(E, T, "e"),
        "weak (nubar_mu)": lambda: el.weak(E, T, "mu", anti=True),
        "magnetic": lambda: el.magnetic(E, T),
        "dipole (M = 0.5 MeV)": lambda: el.dipole(E, T, 0.5 * u.MeV),
        "charge_radius (S1, S2)": lambda: el.charge_radius(E, T, "mu"),
        "millicharge (S1, S2)": lambda: el.millicharge(E, T, "e"),
        "total (mu, q, r2)": lambda: el.total(E, T, "e", hyp),
        "terms (mu, q, r2)": lambda: el.terms(E, T, "e", hyp),
    }
    print(f"nuem.xsec.electron: {N:.0e} points per call, best of {REPEATS}")
    for name, fn in cases.items():
        print(f"  {name:26s} {best_ms(fn):8.1f} ms per 1e6")


if __name__ == "__main__":
    main()
