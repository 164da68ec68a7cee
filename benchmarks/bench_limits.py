"""Wall time of the main job, `nuem limits` (all cards, all quantities), as a fresh process with
the disk cache off: python benchmarks/bench_limits.py   (target: < 60 s on 2 cores)."""

import os
import subprocess
import sys
import time


def run(args: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "NUEM_CACHE_DIR"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nuem", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - t0


def main() -> None:
    for args in (["limits"], ["limits", "--combine"], ["limits", "--quantity", "mu_eff"]):
        t = min(run(args) for _ in range(2))
        print(f"nuem {' '.join(args):<32s} {t:6.2f} s (best of 2, fresh process)")


if __name__ == "__main__":
    main()
