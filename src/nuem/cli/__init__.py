"""The ``nuem`` command-line interface (layer 6). Each subcommand lives in its own module."""

from nuem.cli.main import cli, main

# Each subcommand module defines a click command named ``command``; register it here.
from nuem.cli import decay_cmd, experiments_cmd, flux_cmd, predict_cmd, xsec_cmd  # noqa: E402  isort: skip

for _module in (xsec_cmd, decay_cmd, flux_cmd, predict_cmd, experiments_cmd):
    cli.add_command(_module.command)

__all__ = ["cli", "main"]
