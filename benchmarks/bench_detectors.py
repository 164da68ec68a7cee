"""Timings of the detector-response layer and the dataset-card loader.

Run: python benchmarks/bench_detectors.py   (prints best-of-5 wall times)
"""

from __future__ import annotations

import time

import numpy as np

from nuem import units as u
from nuem.detectors import Lindhard, SqrtLinearSigma, TabulatedEfficiency, response_matrix
from nuem.experiments import load_card


def best(f, repeat=5, number=1):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            f()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def main() -> None:
    sigma = SqrtLinearSigma(0.310, 0.0037)
    edges = np.arange(1.0, 31.0) * u.keV
    T = np.geomspace(0.1, 60, 2000) * u.keV
    eff = TabulatedEfficiency(np.linspace(0, 40, 161) * u.keV, np.tanh(np.linspace(0, 40, 161) / 3))
    rows = [
        ("response_matrix 2000 T x 29 bins", lambda: response_matrix(T, edges, sigma)),
        (
            "  + efficiency on true energy",
            lambda: response_matrix(T, edges, sigma, eff, "true"),
        ),
        (
            "  + efficiency on reco energy (16 sub-bins)",
            lambda: response_matrix(T, edges, sigma, eff, "reconstructed", 16),
        ),
    ]
    lind = Lindhard.for_element(54, 131.293)
    E = np.geomspace(0.1, 100, 100_000) * u.keV
    rows += [
        ("Lindhard ee_from_nr, 1e5 points", lambda: lind.ee_from_nr(E)),
        ("Lindhard nr_from_ee (Newton), 1e5 points", lambda: lind.nr_from_ee(E)),
    ]
    rows.append(
        (
            "load_card xenonnt_sr0_er_2022 (validate + hash)",
            lambda: load_card("xenonnt_sr0_er_2022"),
        )
    )
    card = load_card("xenonnt_sr0_er_2022")
    card.background_expectation()
    rows += [
        ("card.background_expectation (B0, 29 bins)", lambda: card.background_expectation()),
        ("card.observed (433 events, 29 bins)", lambda: card.observed()),
        ("card.response_matrix 2000 T (reco eff)", lambda: card.response_matrix(T)),
    ]
    for label, f in rows:
        t = best(f)
        print(f"{label:<52s} {t * 1e3:9.3f} ms")


if __name__ == "__main__":
    main()
