"""``nuem sensitivity``: projected (Asimov expected) limits of any card, with overrides.

For each card and quantity: the background-only Asimov median expected limit with its ±1σ/±2σ
band (magnetic moments; the median for signed couplings), exactly the ``expected`` column of
``nuem limits`` on an unmodified card. ``--exposure``, ``--background-scale`` and
``--threshold`` turn the card into a projection (``Card.with_exposure`` etc.) whose
assumptions list the change. ``--json``: a list of objects with keys ``experiment``,
``quantity``, ``unit``, ``cl``, ``expected`` (median), ``band`` ({"-2", "-1", "+1", "+2"}),
``exposure`` ({value, unit: tonne*year}), ``threshold_keV``, ``assumptions``, ``references``,
``card_hash`` (+ ``status`` when the quantity adds no signal).

``--portal [--flavour e|mu|tau|eff] [--masses LO:HI:N]``: the expected LimitCurve of the dipole
portal instead, :func:`nuem.scan.projected.projected_curves` (``nuem.scan.scan(...,
expected=True)`` on the card with the overrides applied); ``--json`` prints the rows of `nuem
portal --json` (``experiment``, ``flavour``, ``mass_MeV``, ``limit_muB`` (null for a projection
card), ``expected_muB``, ``expected_band_muB``, ``cl``, ``status``).
"""

from __future__ import annotations

import json
import sys

import click

from nuem.cli.options import cl_option, progress_option
from nuem.cli.quantities import ENERGY, EXPOSURE
from nuem.cli.table import format_table
from nuem.errors import NuemInputError
from nuem.limits.portal import PORTAL_FLAVOURS
from nuem.limits.quantities import QUANTITIES
from nuem.limits.result import BAND_KEYS
from nuem.limits.sensitivity import Sensitivity, run_sensitivity
from nuem.scan.curve import OK
from nuem.scan.grid import parse_masses


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


def portal_table(curves) -> str:
    """One row per (card, mass) of the expected portal curves."""
    cells = []
    for cv in curves:
        for r in cv.rows():
            band = r.get("expected_band_muB") or {}
            nums = [_num(band.get(k)) if r["status"] == OK else r["status"] for k in BAND_KEYS]
            cells.append([r["experiment"], f"{r['mass_MeV']:.4g}", *nums])
    headers = ["experiment", "M_N [MeV]", "median", "-1 sigma", "+1 sigma", "-2 sigma", "+2 sigma"]
    return format_table(headers, cells)


def _portal(cards, flavour, masses, exposure, background_scale, threshold, cl, as_json,
            executor, cache, progress) -> None:  # fmt: skip
    from nuem.scan.executors import named_executor
    from nuem.scan.projected import projected_curves

    grid = None if masses is None else parse_masses(masses)
    with named_executor(executor) as ex:
        curves = projected_curves(
            cards, [flavour], masses=grid, exposure=exposure, background_scale=background_scale,
            threshold=threshold, cl=cl, executor=ex, cache=cache,
            progress=progress and sys.stderr.isatty(),
        )  # fmt: skip
    if as_json:
        click.echo(json.dumps([r for cv in curves for r in cv.rows()], indent=2))
    else:
        click.echo(portal_table(curves))
        click.echo(f"\n{100 * cl:g}% CL expected limits on the transition moment mu [mu_B] of "
                   f"nu_{flavour} -> N, background-only Asimov data.")  # fmt: skip
    failed = [(cv.experiment, s) for cv in curves for s in cv.status if s.startswith("fit failed")]
    for name, s in failed:
        click.echo(f"nuem: {name}: {s}", err=True)
    if failed:
        sys.exit(1)


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
@click.option("--portal", is_flag=True,
              help="The expected dipole-portal curve (mu vs M_N) instead of the quantities.")
@click.option("--flavour", type=click.Choice(list(PORTAL_FLAVOURS)), default="e",
              show_default=True, help="With --portal: flavour of nu_alpha -> N.")
@click.option("--masses", default=None, metavar="LO:HI:N",
              help="With --portal: log grid of N masses, e.g. 1keV:10MeV:20. Default: 60 "
              "masses from 1 keV to each card's kinematic reach.")  # fmt: skip
@click.option("--executor", default=None, metavar="processes[:N]|dask[:ADDRESS]",
              help="With --portal: where the scan runs. Default: this process.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="With --portal: use the on-disk scan cache ($NUEM_CACHE_DIR/scan).")
@progress_option
@cl_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def command(cards, exposure, background_scale, threshold, quantities, portal, flavour, masses,
            executor, cache, progress, cl, as_json) -> None:  # fmt: skip
    """Projected sensitivity (Asimov median expected limit and bands) of CARD...

    CARD: a projection (darwin, pandax-xt, jinping-solar, ...; see docs/projections.md), any
    shipped dataset card or alias, or a YAML path. --portal: the expected curve in (M_N, mu).
    """
    if portal:
        if quantities:
            raise NuemInputError("--quantity and --portal exclude each other (--portal scans mu)")
        _portal(cards, flavour, masses, exposure, background_scale, threshold, cl, as_json,
                executor, cache, progress)  # fmt: skip
        return
    if masses is not None or executor is not None:
        raise NuemInputError("--masses and --executor need --portal")
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
