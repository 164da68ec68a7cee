"""``nuem card new``: write a valid, commented dataset card to start from."""

from __future__ import annotations

import re
import tempfile
from importlib import resources
from pathlib import Path

import click

from nuem.experiments import load_card

#: Scaffold kinds and the package-data file each is written from.
SCAFFOLDS = {
    "xenon-er": "xenon-er.yaml",
    "reactor": "reactor.yaml",
    "spallation": "spallation.yaml",
    "projection": "projection.yaml",
}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # the schema's card-name pattern


def scaffold_text(kind: str, name: str) -> str:
    """The commented card of ``kind`` (a key of :data:`SCAFFOLDS`) for an experiment ``name``."""
    files = resources.files("nuem.experiments") / "scaffolds"
    return (files / SCAFFOLDS[kind]).read_text(encoding="utf-8").replace("__NAME__", name)


@click.group("card")
def command() -> None:
    """Dataset-card tools: `nuem card new` writes a card to start from."""


@command.command("new")
@click.option(
    "--kind",
    type=click.Choice(list(SCAFFOLDS)),
    required=True,
    help="Kind of experiment the card describes.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default NAME.yaml in the current directory).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.argument("name")
def new(kind: str, out: Path | None, force: bool, name: str) -> None:
    """Write a valid, commented KIND card for experiment NAME (lower-case letters, digits, _)."""
    if not _NAME.match(name):
        raise click.BadParameter(
            f"{name!r}: use lower-case letters, digits and '_', starting with a letter",
            param_hint="NAME",
        )
    path = out if out is not None else Path(f"{name}.yaml")
    if path.stem != name:
        raise click.BadParameter(f"{path}: the file name must be {name}.yaml", param_hint="--out")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to overwrite it")
    with tempfile.TemporaryDirectory(dir=path.parent or None) as tmpdir:
        tmp = Path(tmpdir) / f"{name}.yaml"
        tmp.write_text(scaffold_text(kind, name), encoding="utf-8")
        card = load_card(tmp)  # the scaffold must validate before it replaces anything
        tmp.replace(path)
    click.echo(f"wrote {path} ({kind} card {card.name!r}); edit the values marked CHANGE, then")
    click.echo(f"  nuem experiments {path}      # validate and show it")
    click.echo(f"  nuem limits --experiment {path}")
