"""`nuem limits` on cards of every source: measurable quantities, no-sensitivity rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nuem.limits.derive import run_limits

REACTOR = str(Path(__file__).resolve().parents[1] / "examples" / "cards" / "toy_reactor_ge_er.yaml")


def test_reactor_card_rows():
    rows = {r.quantity: r for r in run_limits([REACTOR], ["mu_e", "mu_mu", "r2_e", "r2_tau"])}
    assert rows["mu_e"].limit is not None and rows["mu_e"].limit > 0
    assert rows["mu_mu"].no_sensitivity and rows["mu_mu"].limit is None
    assert rows["r2_tau"].no_sensitivity and rows["r2_tau"].error is None
    default = {r.quantity for r in run_limits([REACTOR])}
    assert "mu_eff" not in default  # solar only


def test_cli_no_sensitivity_is_not_a_failure():
    r = subprocess.run(
        [sys.executable, "-m", "nuem", "limits", "--experiment", REACTOR, "--quantity", "mu_tau",
         "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert row["status"] == "no sensitivity" and row["limit"] is None
    bad = subprocess.run(
        [sys.executable, "-m", "nuem", "limits", "--experiment", REACTOR, "--quantity", "mu_eff"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode != 0 and "solar" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
