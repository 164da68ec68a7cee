"""Run ``nuem ARGS`` in this process (no interpreter start-up): a subprocess.run look-alike.

tests/test_cli_basic.py keeps real subprocess runs of ``python -m nuem`` for the entry point
itself; every other CLI test uses :func:`run_nuem`.
"""

from __future__ import annotations

import contextlib
import io
import subprocess


def run_nuem(*args: str) -> subprocess.CompletedProcess:
    """``nuem *args`` through :func:`nuem.cli.main.main`: returncode, stdout, stderr as text."""
    from nuem.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return subprocess.CompletedProcess(["nuem", *args], code, out.getvalue(), err.getvalue())
