"""Shared test helpers."""

from __future__ import annotations

import pytest


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
