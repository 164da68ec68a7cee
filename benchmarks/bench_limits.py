"""Wall time of the main job, `nuem limits` (all cards, all quantities), of the global fit
`nuem fit` and of `nuem sensitivity` on projection cards, each as a fresh process with the disk
cache off (target for `nuem limits`: < 60 s on 2 cores): python benchmarks/bench_limits.py"""

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
    runs = (
        ["limits"],
        ["limits", "--combine"],
        ["limits", "--quantity", "mu_eff"],
        ["fit"],
        ["fit", "--texture", "flavour", "--combined-only"],
        ["sensitivity", "darwin", "jinping-solar", "jinping-cr51", "--quantity", "mu_e"],
        ["sensitivity", "xenonnt-sr0", "--quantity", "mu_eff", "--exposure", "40t*yr"],
    )
    for args in runs:
        t = min(run(args) for _ in range(2))
        print(f"nuem {' '.join(args):<44s} {t:6.2f} s (best of 2, fresh process)")


if __name__ == "__main__":
    main()
