"""The ``nuem`` command-line interface (layer 6). Each subcommand lives in its own module."""

from nuem.cli.main import cli, main

# Each subcommand module defines a click command named ``command``; register it here.
from nuem.cli import (  # noqa: E402  isort: skip
    decay_cmd,
    experiments_cmd,
    fit_cmd,
    flux_cmd,
    limits_cmd,
    predict_cmd,
    spectrum_cmd,
    xsec_cmd,
)

_COMMANDS = (
    limits_cmd,
    fit_cmd,
    xsec_cmd,
    decay_cmd,
    flux_cmd,
    spectrum_cmd,
    experiments_cmd,
    predict_cmd,
)
for _module in _COMMANDS:
    cli.add_command(_module.command)

__all__ = ["cli", "main"]
