"""``nuem portal``: the dipole-portal plane, μ versus M_N for one flavour, from every card.

Runs :func:`nuem.scan.scan` (cached on disk, any executor) and prints one line per card and
mass, or with ``--json`` a list of objects with ``experiment``, ``flavour``, ``mass_MeV``,
``limit_muB``, ``expected_muB``, ``cl``, ``status`` (+ ``interval_muB`` where the data prefer a
signal, ``expected_band_muB`` with ``--expected``). ``--out`` writes the summary figure (PDF,
PNG, ...), or the curves as ``.json``/``.csv``/``.yaml`` (HEPData) files, one per card.
``--projection NAME`` (repeatable) adds the expected curve of a projection card (or any card,
:func:`nuem.scan.projected.projected_curves`): rows with ``limit_muB`` null, dotted
"projected" lines in the figure. ``--astro computed|both|digitised|none`` picks the stellar and
cosmological regions of the figure (default: computed by nuem.astro / nuem.cosmo).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nuem.cli.options import cl_option, experiments_option, progress_option
from nuem.cli.table import format_table
from nuem.limits.portal import PORTAL_FLAVOURS
from nuem.scan.curve import OK
from nuem.scan.grid import parse_masses

_DATA_SUFFIXES = (".json", ".csv", ".yaml", ".yml")


def _num(x) -> str:
    return "-" if x is None else f"{x:.3g}"


def table(curves) -> str:
    """One row per (card, mass)."""
    cells = []
    for cv in curves:
        for r in cv.rows():
            obs = r["status"] if r["status"] != OK else _num(r["limit_muB"])
            if r.get("interval_muB"):
                obs = f"[{r['interval_muB'][0]:.3g}, {r['interval_muB'][1]:.3g}]"
            cells.append([r["experiment"], f"{r['mass_MeV']:.4g}", obs, _num(r["expected_muB"])])
    return format_table(["experiment", "M_N [MeV]", "mu limit [mu_B]", "expected"], cells)


def _write(curves, projected, flavour: str, out: Path, expected: bool, astro: str) -> list[Path]:
    if out.suffix in _DATA_SUFFIXES:
        return [
            cv.write(out.with_name(f"{out.stem}_{cv.experiment}{out.suffix}"))
            for cv in [*curves, *projected]
        ]
    from nuem.plot.portal import plot_portal

    fig, _ = plot_portal(flavour, curves, projections=projected, expected=expected, astro=astro)
    fig.savefig(out, bbox_inches="tight", dpi=150)
    return [out]


@click.command("portal")
@click.option("--flavour", type=click.Choice(list(PORTAL_FLAVOURS)), required=True,
              help="Flavour of nu_alpha -> N; eff: the same moment for every state.")  # fmt: skip
@experiments_option
@click.option("--masses", default=None, metavar="LO:HI:N",
              help="Log grid of N masses, e.g. 1keV:10MeV:60. Default: 60 masses from 1 keV "
              "to each card's kinematic reach.")  # fmt: skip
@click.option("--expected", is_flag=True, help="Also compute the Asimov expected band.")
@click.option("--projection", "projections", multiple=True, metavar="NAME",
              help="Projection card (darwin, pandax-xt, jinping-solar, ...; or any card) whose "
              "expected curve is added, dotted; repeatable.")  # fmt: skip
@click.option("--astro", type=click.Choice(["computed", "both", "digitised", "none"]),
              default="computed", show_default=True,
              help="Stellar/cosmological regions of the figure: computed by nuem.astro/cosmo, "
              "both (with the digitised ones), digitised, none.")  # fmt: skip
@cl_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the figure (.pdf, .png) or the curves (.json, .csv, .yaml).")  # fmt: skip
@click.option("--executor", default=None, metavar="processes[:N]|dask[:ADDRESS]",
              help="Where the work runs. Default: this process.")  # fmt: skip
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Read and write the on-disk scan cache ($NUEM_CACHE_DIR/scan).")  # fmt: skip
@progress_option
def command(flavour, experiments, masses, expected, projections, astro, cl, as_json, out, executor,
            cache, progress):  # fmt: skip
    """Limits on the transition moment mu of nu_alpha -> N versus the N mass M_N.

    Each mass gets the `nuem limits` statistics with the upscattering signal of that mass;
    masses whose recoils fall outside a card's window are "no sensitivity".
    """
    from nuem.scan import scan
    from nuem.scan.executors import named_executor
    from nuem.scan.projected import projected_curves

    grid = None if masses is None else parse_masses(masses)
    with named_executor(executor) as ex:
        curves = scan(
            experiments or None,
            flavours=[flavour],
            masses=grid,
            expected=expected,
            cl=cl,
            executor=ex,
            cache=cache,
            progress=progress and sys.stderr.isatty(),
        )
        projected = projected_curves(
            projections, [flavour], masses=grid, cl=cl, executor=ex, cache=cache,
            progress=progress and sys.stderr.isatty(),
        ) if projections else []  # fmt: skip
    if as_json:
        click.echo(json.dumps([r for cv in [*curves, *projected] for r in cv.rows()], indent=2))
    else:
        click.echo(table([*curves, *projected]))
        click.echo(f"\n{100 * cl:g}% CL, flavour {flavour}; mu in mu_B (transition moment).")
    if out is not None:
        for p in _write(curves, projected, flavour, out, expected, astro):
            click.echo(f"nuem: wrote {p}", err=True)
    failed = [
        (cv.experiment, s)
        for cv in [*curves, *projected]
        for s in cv.status
        if s.startswith("fit failed")
    ]
    for name, s in failed:
        click.echo(f"nuem: {name}: {s}", err=True)
    if failed:
        sys.exit(1)
