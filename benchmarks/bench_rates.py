"""Benchmark of the rates engine (run: python benchmarks/bench_rates.py).

Times, best of several repeats (time.perf_counter):
- cold: a fresh engine for XENONnT SR0 (flux moments, fingerprint, kernel) + one dipole template;
- one XENONnT dipole template (29 bins) for one N mass, kernels cached;
- dipole templates for a grid of 200 N masses (one vectorised call), kernels cached;
- the full M = 0 template set (SM, magnetic per state/flavour, millicharge, charge radius).
Targets (issue): <= 5 ms for one mass, <= 1 s for 200 masses.
"""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.rates import Detector, ElectronRecoils, cache, resolve_card
from nuem.sources import SolarSource


def best(f, repeat=7, number=1):
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            f()
        out.append((time.perf_counter() - t) / number)
    return min(out)


def main() -> None:
    card = resolve_card("xenonnt-sr0")
    edges = card.bin_edges()
    src = SolarSource()

    def cold():  # a new source object: MSW tables, fingerprint, moments, kernel, template
        cache.clear()
        eng = ElectronRecoils(SolarSource(), Detector.from_card(card))
        eng.templates(edges).dipole(0.1 * u.MeV)
        return eng

    def warm_source():  # source known (moments cached), new detector response and kernel
        eng = ElectronRecoils(src, Detector.from_card(card))
        eng.templates(edges).dipole(0.1 * u.MeV)
        return eng

    t_cold = best(cold, repeat=3)
    warm_source()
    t_warm = best(warm_source, repeat=5)
    eng = warm_source()
    tpl = eng.templates(edges)
    one = best(lambda: tpl.dipole(0.1 * u.MeV), number=20)
    masses = np.geomspace(1e-3, 10.0, 200) * u.MeV
    grid = best(lambda: tpl.dipole(masses), repeat=5)
    loop = best(lambda: [tpl.dipole(m) for m in masses], repeat=3)
    full = best(lambda: eng._assemble(eng.response(edges=edges), "counts"), repeat=5)
    print(f"true-recoil nodes: {tpl.metadata['n_true_nodes']}, bins: {tpl.n}")
    print(f"cold: new source + engine + first dipole template:  {t_cold * 1e3:8.1f} ms")
    print(f"new detector kernel + first dipole template:        {t_warm * 1e3:8.1f} ms")
    print(f"one dipole template, one N mass (cached kernels):  {one * 1e3:8.3f} ms  (target 5 ms)")
    print(
        f"200 N masses, one vectorised call:                 {grid * 1e3:8.1f} ms  (target 1000 ms)"
    )
    print(f"200 N masses, python loop over masses:             {loop * 1e3:8.1f} ms")
    print(f"all M = 0 templates (19 rows) from cached kernels: {full * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
