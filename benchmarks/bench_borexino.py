"""Wall and CPU time of the Borexino Phase-II card (851 N_h bins), cold, each step in a fresh
process with the disk cache off (target: templates + limit < 5 s on 2 cores; on a loaded machine
the CPU time is the robust number), and the warm cost of one energy-scale rescaling of the
card's templates: python benchmarks/bench_borexino.py"""

import os
import resource
import subprocess
import sys
import time

STEPS = {
    "import + card": "from nuem.experiments import load_card; load_card('borexino_phase2_2017')",
    "templates (signal + 5 SM groups)": (
        "from nuem.rates.experiment import experiment_templates, sm_group_counts\n"
        "t = experiment_templates('borexino-phase2'); sm_group_counts('borexino-phase2')"
    ),
    "templates + mu_eff limit (observed)": (
        "from nuem.limits.derive import derive_limit\n"
        "derive_limit('borexino-phase2', 'mu_eff', expected=False)"
    ),
    "templates + SM fit": (
        "from nuem.limits.sm_fit import sm_fit; sm_fit('borexino-phase2', release=('pp',))"
    ),
}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(code: str) -> tuple[float, float]:
    """(wall, CPU) seconds of ``code`` in a fresh process (CPU: robust on a loaded machine)."""
    env = {k: v for k, v in os.environ.items() if k != "NUEM_CACHE_DIR"}
    t0, c0 = time.perf_counter(), _cpu()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - t0, _cpu() - c0


def energy_scale_step() -> float:
    """Seconds per rescaling of 13 templates x 851 bins (nuem.detectors.energy_scale, warm)."""
    import numpy as np

    from nuem.detectors.energy_scale import rescale_binned

    edges = np.arange(100.0, 952.0)
    rows = np.random.default_rng(1).random((13, 851))
    t0 = time.perf_counter()
    for k in range(200):
        rescale_binned(rows, edges, 1.0 + 1e-4 * (k + 1))
    return (time.perf_counter() - t0) / 200


def main() -> None:
    print(f"{'energy-scale rescale (13 x 851, warm)':<40s} {1e3 * energy_scale_step():6.3f} ms")
    for name, code in STEPS.items():
        wall, cpu = min(run(code) for _ in range(2))
        print(f"{name:<40s} wall {wall:6.2f} s  cpu {cpu:6.2f} s (best of 2, fresh process)")
    env = {k: v for k, v in os.environ.items() if k != "NUEM_CACHE_DIR"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nuem", "limits", "--experiment", "borexino-phase2",
                    "--quantity", "mu_eff"], check=True, env=env,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    print(f"{'nuem limits ... --quantity mu_eff':<40s} {time.perf_counter() - t0:6.2f} s "
          "(observed + expected band)")  # fmt: skip


if __name__ == "__main__":
    main()
