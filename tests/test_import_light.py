"""`import nuem.scan` (the portal scan: what a cached scan and every scan worker process
import) stays light: no scipy, matplotlib, iminuit, particle, tqdm or dask. They are imported
where a path needs them (fits, CDFs, the PDG table, figures, progress bars), so a fully cached
scan and `nuem --help` do not pay for them (benchmarks/bench_portal.py, warm: <= 2 s).
Run in a fresh interpreter: this test process has imported them all already."""

import os
import subprocess
import sys
from pathlib import Path

import nuem

HEAVY = ("scipy", "matplotlib", "iminuit", "particle", "tqdm", "dask")


def test_import_scan_loads_no_heavy_package():
    code = (
        "import sys, nuem.scan, nuem.limits\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    src = str(Path(nuem.__file__).resolve().parents[1])  # the nuem this suite tests
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == []
