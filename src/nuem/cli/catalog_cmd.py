"""``nuem catalog``: the published limits nuem ships (μ, ⟨r²⟩, q, dipole-portal curves).

Table or ``--json`` (a list of entries: id, quantity, experiment, flavour, upper/lower, unit,
cl, year, reference, status, checked; portal curves with ``masses_MeV`` and ``limit_muB``).
Superseded entries are shown only with ``--all``.
"""

from __future__ import annotations

import json

import click

from nuem.catalog import QUANTITIES, entries
from nuem.cli.table import format_table


def _value(e) -> str:
    if e.quantity == "portal":
        lo, hi = min(e.masses_MeV), max(e.masses_MeV)
        return f"curve, {len(e.masses_MeV)} points, {lo:.3g}-{hi:.3g} MeV"
    if e.lower is not None and e.upper is not None:
        return f"[{e.lower:.2g}, {e.upper:.2g}]"
    return "not found" if e.upper is None else f"< {e.upper:.2g}"


@click.command("catalog")
@click.option("--quantity", type=click.Choice(list(QUANTITIES)), default=None,
              help="Only this quantity (default: all).")  # fmt: skip
@click.option("--flavour", type=click.Choice(["e", "mu", "tau", "eff"]), default=None)
@click.option("--all", "show_all", is_flag=True, help="Include superseded entries.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def command(quantity, flavour, show_all, as_json) -> None:
    """Published limits on neutrino EM properties (package data, versioned)."""
    rows = entries(quantity, flavour, include_superseded=show_all)
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in rows], indent=2))
        return
    cells = [
        [e.id, e.experiment, e.flavour or "-", _value(e), e.unit,
         "-" if e.cl is None else f"{100 * e.cl:g}%", str(e.year), e.reference,
         ("digitised" if e.digitised else (e.checked or "-"))
         + (f", superseded by {e.superseded_by}" if e.superseded_by else "")]
        for e in rows
    ]  # fmt: skip
    headers = ["id", "experiment", "flavour", "limit", "unit", "CL", "year", "reference", "check"]
    click.echo(format_table(headers, cells))
