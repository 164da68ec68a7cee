"""The ``nuem`` command-line interface (layer 6). Each subcommand lives in its own module."""

from nuem.cli.main import cli, main

__all__ = ["cli", "main"]
