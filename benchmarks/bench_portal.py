"""Wall time of the full dipole-portal scan: every card with the dipole channel, four flavours
(e, mu, tau, eff), 200 masses from 1 keV to each card's reach, observed limits, on 2 worker
processes; cold (fresh process, empty scan cache) and warm (fresh process, cache filled).
Target (issue 14): <= 30 s cold, <= 2 s warm on 2 cores.  python benchmarks/bench_portal.py

Also printed: the CPU seconds of the run (scanning process + workers) and the 1-minute load
average before it: on a machine shared with other jobs the wall time is longer than on two free
cores (about CPU / 2 plus the workers' start and the longest last chunk)."""

import os
import subprocess
import sys
import tempfile
import time

SCAN = """
import resource, sys
from concurrent.futures import ProcessPoolExecutor
from nuem.scan import scan
with ProcessPoolExecutor(2) as ex:
    curves = scan(n_masses=200, executor=ex, cache=sys.argv[1])
cpu = sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF,
          resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))  # fmt: skip
print(len(curves), sum(len(c.masses_MeV) for c in curves), cpu)
"""


def run(cache: str) -> tuple[float, str, float, float]:
    env = {k: v for k, v in os.environ.items() if k != "NUEM_CACHE_DIR"}
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", SCAN, cache], check=True, env=env,
                         capture_output=True, text=True).stdout  # fmt: skip
    n_curves, n_points, cpu = out.split()
    return time.perf_counter() - t0, f"{n_curves} curves, {n_points} points", float(cpu), load


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        cold, what, cold_cpu, cold_load = run(d)
        warm, _, warm_cpu, warm_load = run(d)
    print(
        f"portal scan ({what}, 2 processes): cold {cold:6.1f} s ({cold_cpu:.1f} CPU s, load "
        f"{cold_load:.1f}), warm {warm:5.2f} s ({warm_cpu:.2f} CPU s, load {warm_load:.1f})"
    )


if __name__ == "__main__":
    main()
