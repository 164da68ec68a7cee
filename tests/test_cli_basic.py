"""The nuem command: version and one-line errors."""

import subprocess
import sys

from nuem import __version__


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "nuem", *args], capture_output=True, text=True, check=False
    )


def test_version():
    r = run("--version")
    assert r.returncode == 0
    assert __version__ in r.stdout


def test_unknown_command_is_one_line_error():
    r = run("no-such-command")
    assert r.returncode != 0
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("nuem: error:")
