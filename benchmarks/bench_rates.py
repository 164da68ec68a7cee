"""Benchmark of the rates engine (run: python benchmarks/bench_rates.py).

Times, best of several repeats (time.perf_counter):
- cold: a fresh engine for XENONnT SR0 (flux moments, fingerprint, kernel) + one dipole template;
- one XENONnT dipole template (29 bins) for one N mass, kernels cached;
- dipole templates for a grid of 200 N masses (one vectorised call), kernels cached;
- the full M = 0 template set (SM, magnetic per state/flavour, millicharge, charge radius).
Nuclear recoils, the argon example card (pi-DAR, Ar nuclear recoils, Lindhard quenching, 5 energy
x 4 time bins, two timing groups):
- cold: a freshly loaded card, empty caches (source, moments per timing group, kernels, templates);
- warm: ``experiment_templates`` again (every cache hit);
- one dipole template and 200 N masses (one vectorised call) from the energy x time templates.
Targets (issue): <= 5 ms for one mass, <= 1 s for 200 masses.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from nuem import units as u
from nuem.experiments import load_card
from nuem.rates import Detector, ElectronRecoils, cache, experiment_templates, resolve_card
from nuem.sources import SolarSource

ARGON = Path(__file__).resolve().parents[1] / "examples" / "cards" / "toy_argon_pidar_nr.yaml"


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
    nuclear()


def nuclear() -> None:
    """The argon pi-DAR nuclear-recoil card (energy x time)."""

    def cold():
        cache.clear()
        return experiment_templates(load_card(ARGON))

    t_cold = best(cold, repeat=3)
    card = load_card(ARGON)
    tpl = experiment_templates(card)
    warm = best(lambda: experiment_templates(card), repeat=5)
    one = best(lambda: tpl.dipole(5.0 * u.MeV), number=20)
    masses = np.geomspace(0.1, 40.0, 200) * u.MeV
    grid = best(lambda: tpl.dipole(masses), repeat=5)
    nodes = [p["n_true_nodes"] for p in tpl.metadata["parts"]]
    print(f"argon NR card: {tpl.n} energy x time bins, true-recoil nodes per group {nodes}")
    print(f"cold: new card + source + engines + templates:      {t_cold * 1e3:8.1f} ms")
    print(f"experiment_templates again (cached):               {warm * 1e3:8.2f} ms")
    print(f"one dipole template, one N mass (cached kernels):  {one * 1e3:8.3f} ms  (target 5 ms)")
    print(
        f"200 N masses, one vectorised call:                 {grid * 1e3:8.1f} ms  (target 1000 ms)"
    )


if __name__ == "__main__":
    main()
