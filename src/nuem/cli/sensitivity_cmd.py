"""``nuem sensitivity``: projected (Asimov expected) limits of any card, with overrides.

For each card and quantity: the background-only Asimov median expected limit with its ±1σ/±2σ
band (magnetic moments; the median for signed couplings), exactly the ``expected`` column of
``nuem limits`` on an unmodified card. ``--exposure``, ``--background-scale`` and
``--threshold`` turn the card into a projection (``Card.with_exposure`` etc.) whose
assumptions list the change. ``--json``: a list of objects with keys ``experiment``,
``quantity``, ``unit``, ``cl``, ``expected`` (median), ``band`` ({"-2", "-1", "+1", "+2"}),
``exposure`` ({value, unit: tonne*year}), ``threshold_keV``, ``assumptions``, ``references``,
``card_hash`` (+ ``status`` when the quantity adds no signal). The expected limit curve of the
dipole portal (``--portal``) is not here yet: it needs ``nuem.scan`` (a follow-up).
"""

from __future__ import annotations

import json
import sys

import click

from nuem.cli.options import cl_option
from nuem.cli.quantities import ENERGY, EXPOSURE
from nuem.cli.table import format_table
from nuem.limits.quantities import QUANTITIES
from nuem.limits.sensitivity import Sensitivity, run_sensitivity


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3g}"


def table(rows: list[Sensitivity]) -> str:
    """The human-readable table of ``rows``."""
    headers = ["experiment", "quantity", "unit", "exposure [t yr]", "threshold [keV]"]
    headers += ["-2 sigma", "-1 sigma", "median", "+1 sigma", "+2 sigma"]
    cells = []
    for r in rows:
        b = r.band or {}
        med = r.status or ("FAILED" if r.error else _num(r.expected))
        cells.append(
            [r.experiment, r.quantity, r.unit, f"{r.exposure_tonne_year:g}", _num(r.threshold_keV)]
            + [_num(b.get("-2")), _num(b.get("-1")), med, _num(b.get("+1")), _num(b.get("+2"))]
        )
    return format_table(headers, cells)


@click.command("sensitivity")
@click.argument("cards", nargs=-1, required=True, metavar="CARD...")
@click.option("--exposure", type=EXPOSURE, help="Exposure override, e.g. 200t*yr, 1000kg*day.")
@click.option(
    "--background-scale",
    type=click.FloatRange(0.0, min_open=True),
    help="Multiply every card background by this factor (nuem's SM neutrinos are not scaled).",
)
@click.option("--threshold", type=ENERGY, help="Analysis threshold override, e.g. 1keV.")
@click.option(
    "--quantity",
    "quantities",
    multiple=True,
    type=click.Choice(list(QUANTITIES)),
    help="Quantity; repeatable. Default: the card's measurable quantities.",
)
@cl_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def command(cards, exposure, background_scale, threshold, quantities, cl, as_json) -> None:
    """Projected sensitivity (Asimov median expected limit and bands) of CARD...

    CARD: a projection (darwin, pandax-xt, jinping-solar, ...; see docs/projections.md), any
    shipped dataset card or alias, or a YAML path.
    """
    rows = run_sensitivity(
        cards, quantities or None, exposure, background_scale, threshold, cl=cl
    )
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], indent=2))
    else:
        click.echo(table(rows))
        click.echo(
            f"\n{100 * cl:g}% CL expected limits, background-only Asimov data. Units: mu in "
            "mu_B, q in e, r2 in cm^2. Assumptions: --json, or nuem experiments CARD."
        )
    failed = [r for r in rows if r.error]
    for r in failed:
        click.echo(f"nuem: {r.experiment} {r.quantity}: {r.error}", err=True)
    if failed:
        sys.exit(1)
