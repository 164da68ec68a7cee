"""Timings of nuem.stats limits: python benchmarks/bench_stats.py"""

import time

import numpy as np

from nuem.stats import (
    Background,
    BinnedLikelihood,
    Model,
    Template,
    UnbinnedLikelihood,
    expected_band,
    upper_limit,
)


def best_of(f, repeat=5):
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return min(t) * 1e3


def main() -> None:
    rng = np.random.default_rng(0)
    e = np.linspace(1, 30, 30)
    S = 50 / e
    B = 20 + 0 * e
    binned = BinnedLikelihood(Model([(1, S)], [Background("b", B, sigma=0.1)]), rng.poisson(B))
    print(
        f"binned 30 bins, 1 nuisance, upper limit : {best_of(lambda: upper_limit(binned)):8.2f} ms"
    )
    print(
        f"binned 30 bins, 1 nuisance, Asimov band: {best_of(lambda: expected_band(binned)):8.2f} ms"
    )

    ev = rng.uniform(1, 30, 433)
    dens_s = (50 / ev) / np.log(30.0)
    unb = UnbinnedLikelihood(
        Model(
            [(1, Template(dens_s, total=50.0))],
            [Background("b", Template(np.full(433, 433 / 29), 433.0), sigma=0.1)],
        )
    )
    print(f"unbinned 433 events, 1 nuisance, limit  : {best_of(lambda: upper_limit(unb)):8.2f} ms")


if __name__ == "__main__":
    main()
