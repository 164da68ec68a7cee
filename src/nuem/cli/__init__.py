"""The ``nuem`` command-line interface (layer 6). Each subcommand lives in its own module.

Subcommands are registered once in :data:`nuem.cli.main.COMMANDS` (name -> module) and imported
only when used, so ``nuem --version`` or ``nuem xsec`` do not load the rates and stats layers.
"""

from nuem.cli.main import cli, main

__all__ = ["cli", "main"]
