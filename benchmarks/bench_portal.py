"""Wall time of the full dipole-portal scan: every card with the dipole channel, four flavours
(e, mu, tau, eff), 200 masses from 1 keV to each card's reach, observed limits, on 2 worker
processes; cold (fresh process, empty scan cache) and warm (fresh process, cache filled).
Target (issue 14): <= 30 s cold, <= 2 s warm on 2 cores.  python benchmarks/bench_portal.py"""

import os
import subprocess
import sys
import tempfile
import time

SCAN = """
import sys
from concurrent.futures import ProcessPoolExecutor
from nuem.scan import scan
with ProcessPoolExecutor(2) as ex:
    curves = scan(n_masses=200, executor=ex, cache=sys.argv[1])
print(len(curves), sum(len(c.masses_MeV) for c in curves))
"""


def run(cache: str) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if k != "NUEM_CACHE_DIR"}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", SCAN, cache], check=True, env=env,
                         capture_output=True, text=True).stdout  # fmt: skip
    return time.perf_counter() - t0, out.strip()


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        cold, what = run(d)
        warm, _ = run(d)
    print(f"portal scan ({what.replace(' ', ' curves, ')} points): cold {cold:6.1f} s, "
          f"warm {warm:5.2f} s (2 processes)")  # fmt: skip


if __name__ == "__main__":
    main()
