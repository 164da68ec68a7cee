"""The ``nuem`` command: a click group whose subcommands live one per module in ``nuem.cli``.

User errors (bad options, invalid physics input) print one line on stderr and exit with status 2;
they never show a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from nuem import __version__
from nuem.errors import NuemInputError

#: Every subcommand: name -> module of ``nuem.cli`` defining a click command ``command``.
COMMANDS = {
    "limits": "limits_cmd",
    "sensitivity": "sensitivity_cmd",
    "fit": "fit_cmd",
    "xsec": "xsec_cmd",
    "decay": "decay_cmd",
    "flux": "flux_cmd",
    "spectrum": "spectrum_cmd",
    "experiments": "experiments_cmd",
    "predict": "predict_cmd",
    "card": "card_cmd",
    "theory": "theory_cmd",
    "portal": "portal_cmd",
    "catalog": "catalog_cmd",
    "astro": "astro_cmd",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module when the subcommand is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"nuem.cli.{COMMANDS[name]}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nuem")
def cli() -> None:
    """nuem: neutrino electromagnetic properties, from hypothesis to limits."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run ``cli`` and turn user errors into one line on stderr."""
    try:
        cli.main(args=argv, prog_name="nuem", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("nuem: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        msg = " ".join(exc.format_message().split())
        click.echo(f"nuem: error: {msg}", err=True)
        sys.exit(2)
    except NuemInputError as exc:
        click.echo(f"nuem: error: {' '.join(str(exc).split())}", err=True)
        sys.exit(2)
