"""Timings of nuem.theory on stacks of moment matrices (python benchmarks/bench_theory.py)."""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.theory import (
    MomentMatrix,
    leptoquark_g2_scan,
    mass_spectrum,
    pmns_matrix,
    reactor_effective_moment,
    sm_majorana_moments,
    solar_effective_moment,
    zee_f_matrix,
    zee_predictions,
)


def best(f, repeat=5):
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return min(ts)


def main() -> None:
    rng = np.random.default_rng(0)
    n = 100_000
    a = rng.normal(size=(n, 3, 3)) + 1j * rng.normal(size=(n, 3, 3))
    stack = MomentMatrix((a - np.swapaxes(a, -1, -2)) * 1e-11, nature="majorana")
    U = pmns_matrix("normal")
    P = np.broadcast_to(np.abs(U[0]) ** 2, (n, 3))
    phases = rng.uniform(0, 2 * np.pi, size=10_000)
    Us = pmns_matrix("normal", alpha21=phases, alpha31=phases[::-1])
    masses = np.broadcast_to(mass_spectrum(0.01 * u.eV), (10_000, 3))
    lam, yte = np.meshgrid(np.linspace(0.01, 1, 300), np.logspace(-3, 0, 300), indexing="ij")
    lq_grid = (lam, yte, 1.5 * u.TeV, 2 * u.TeV, 0.3, 1e-11 * u.mu_B, "2021")
    zf = zee_f_matrix(*rng.normal(size=(3, 10_000)) * 1e-2)
    zy = rng.normal(size=(10_000, 3, 3)) * 1e-2

    rows = [
        ("MomentMatrix(1e5 Majorana, checked)", lambda: MomentMatrix(stack.mu, nature="majorana")),
        ("to_flavour, 1e5 matrices", lambda: stack.to_flavour(U)),
        ("reactor mu_eff, 1e5 matrices", lambda: reactor_effective_moment(stack, U)),
        ("solar mu_eff, 1e5 matrices", lambda: solar_effective_moment(stack, P)),
        ("pmns_matrix, 1e4 phase pairs", lambda: pmns_matrix("normal", alpha21=phases)),
        ("SM Majorana moments, 1e4 U", lambda: sm_majorana_moments(masses, Us)),
        ("leptoquark g-2 scan, 300x300", lambda: leptoquark_g2_scan(*lq_grid)),
        ("Zee moments + masses, 1e4 couplings", lambda: zee_predictions(zf, zy, 2e5, 1e6, 0.5)),
    ]
    for name, f in rows:
        t = best(f)
        print(f"{name:40s} {t * 1e3:9.2f} ms")


if __name__ == "__main__":
    main()
