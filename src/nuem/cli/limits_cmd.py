"""``nuem limits``: the main job. 90% CL limits from every shipped dataset card.

For each card (or their combination with ``--combine``) and each quantity (mu_eff, mu_e, mu_mu,
mu_tau in μ_B; q_eff and the flavour millicharges q_e, q_mu, q_tau in e; r2_e, r2_mu, r2_tau and
the transition radii r2_emu, r2_etau, r2_mutau in cm²) it prints nuem's observed and expected
limits beside the published value and their ratio. ``--json``: a list of objects with keys
``experiment``, ``quantity``, ``unit``, ``limit``, ``cl``, ``expected``, ``published``, ``ratio``
(+ ``interval`` where the data prefer a signal, ``allowed`` for signed couplings, the full
``result`` with provenance, and ``error`` when a fit failed). ``atomic_model`` (also a table
column and ``result.atomic_model``) names the atomic model of the electron recoils each row used:
the card's ``target.atomic`` unless ``--atomic`` overrides it (``photoabsorption`` changes only
the millicharge q^2 term; docs/atomic.md).
"""

from __future__ import annotations

import json
import sys

import click

from nuem.cli.options import (
    cl_option,
    experiments_option,
    method_option,
    progress_option,
    toys_option,
)
from nuem.cli.table import format_table
from nuem.limits.derive import LimitRow, run_limits
from nuem.limits.quantities import QUANTITIES
from nuem.xsec.atomic import MODELS


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3g}"


def _published(p: dict | None) -> str:
    if p is None:
        return "-"
    if p.get("kind") == "interval":
        return f"[{p['lower']:.2g}, {p['upper']:.2g}]"
    if p.get("value") is None:
        return "not found"
    return f"< {p['value']:.2g}"


def _observed(r: LimitRow) -> str:
    res = r.result
    if r.status is not None:
        return r.status
    if res is None:
        return "FAILED"
    if res.allowed is not None:
        text = " U ".join(f"[{a:.2g}, {b:.2g}]" for a, b in res.allowed)
        if not any(a <= 0.0 <= b for a, b in res.allowed):  # the data prefer x != 0: an interval
            return f"{text} (0 excluded)"
        return f"|x| < {res.value:.3g}  {text}"
    if res.sided == "two-sided":
        return f"[{res.interval[0]:.3g}, {res.interval[1]:.3g}]"
    return f"< {res.value:.3g}"


def _expected(r: LimitRow) -> str:
    """Median and the ±1σ band: "6.9e-12 [6e-12, 9.6e-12]" (median only for signed couplings)."""
    res = r.result
    if res is None or not res.expected:
        return "-"
    e = res.expected
    if "minus1" not in e:
        return _num(e["median"])
    return f"{e['median']:.2g} [{e['minus1']:.2g}, {e['plus1']:.2g}]"


def _ratio(r: LimitRow) -> str:
    if r.ratio is not None:
        return f"{r.ratio:.2f}"
    if r.result is not None and r.published is not None and not r.cl_matches:
        return f"CL {100 * r.published['cl']:g}%"  # a ratio across CLs would mislead
    return "-"


def table(rows: list[LimitRow]) -> str:
    """The human-readable table of ``rows``; ``!`` marks an observed limit below the expected
    −1σ edge."""
    headers = [
        "experiment", "quantity", "unit", "atomic", "published", "nuem observed",
        "expected [-1s, +1s]", "ratio",
    ]  # fmt: skip
    cells = [
        [
            r.experiment,
            r.quantity,
            r.unit,
            r.atomic or "-",
            _published(r.published),
            _observed(r) + (" !" if r.below_expected else ""),
            _expected(r),
            _ratio(r),
        ]
        for r in rows
    ]
    return format_table(headers, cells)


def footnotes(rows: list[LimitRow], cl: float, method: str) -> str:
    """The lines under the table: conventions, flags and notes."""
    lines = [
        f"{100 * cl:g}% CL, method {method}. ratio = nuem / published (shown only at the same "
        "CL). Units: mu in mu_B, q in e, r2 in cm^2. Cards: nuem experiments."
    ]
    if any(r.below_expected for r in rows):
        lines.append(
            "! observed limit below the expected -1 sigma edge: the data fluctuate low "
            "(--method power-constrained would hold it at -1 sigma)."
        )
    for r in rows:
        note = r.note or (r.result.note if r.result is not None else None)
        if note:
            lines.append(f"{r.experiment} {r.quantity}: {note}")
    return "\n".join(lines)


@click.command("limits")
@experiments_option
@click.option(
    "--quantity",
    "quantities",
    multiple=True,
    type=click.Choice(list(QUANTITIES)),
    help="Quantity to constrain; repeatable. Default: all.",
)
@click.option("--combine", is_flag=True, help="One combined likelihood of the selected cards.")
@click.option(
    "--atomic",
    type=click.Choice(list(MODELS)),
    default=None,
    help="Atomic model of electron recoils, overriding each card's target.atomic "
    "(photoabsorption: distant collisions for the millicharge; docs/atomic.md).",
)
@cl_option
@method_option
@toys_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@progress_option
def command(
    experiments, quantities, combine, atomic, cl, method, toys, as_json, progress
) -> None:
    """90% CL limits on neutrino EM properties from the dataset cards (the main job).

    Magnetic moments: one-sided q-tilde limits (two-sided intervals when the data prefer a
    signal). Millicharge and charge radii: allowed regions (Delta chi2 <= 2.71), limit = max |x|;
    a region that excludes 0 is reported as that interval, like a moment's.
    Expected limits: Asimov median and +-1 sigma band of the background-only hypothesis;
    --method and --toys choose the convention (docs/stats.md).
    """
    rows = run_limits(
        experiments or None,
        quantities or None,
        combine=combine,
        cl=cl,
        progress=progress and sys.stderr.isatty(),
        atomic=atomic,
        method=method,
        toys=toys,
    )
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], indent=2))
    else:
        click.echo(table(rows))
        click.echo("\n" + footnotes(rows, cl, method + (f", {toys} toys" if toys else "")))
    failed = [r for r in rows if r.error]
    for r in failed:
        click.echo(f"nuem: {r.experiment} {r.quantity}: {r.error}", err=True)
    if failed:
        sys.exit(1)
