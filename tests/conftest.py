"""Shared test helpers."""

from __future__ import annotations

import os

# pytest-xdist runs one worker per core (-n auto): a multi-threaded BLAS in every worker only
# oversubscribes the cores (OpenBLAS threads spin on the skinny matmuls of the rates engine and
# cost several times the CPU of one thread). Set before numpy is first imported, inherited by
# the workers; an explicit setting in the environment wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402

# pytest.approx(x, rel=r) still accepts anything within 1e-12 in absolute terms. In the hepunits
# system a moment of 1e-11 mu_B, a cross section or a Delta a_mu is far below that, so such a
# comparison passes whatever the value. The suite runs without that default: a comparison with
# zero states its abs=. The class is reached through the public pytest.approx, not a private path.
type(pytest.approx(1.0)).DEFAULT_ABSOLUTE_TOLERANCE = 0.0


@pytest.fixture
def nuem_cli(capsys):
    """Run ``nuem ARGS`` in this process: returns (exit status, stdout, stderr)."""
    from nuem.cli.main import main

    def run(*args):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
