"""Click options shared by the commands that run fits (`nuem limits`, `nuem fit`)."""

from __future__ import annotations

import click

from nuem.stats.methods import METHODS

experiments_option = click.option(
    "--experiment",
    "experiments",
    multiple=True,
    metavar="NAME",
    help="Card name or alias (xenonnt-sr0, lz, pandax, xenon1t, borexino-phase2, gemma, texono, "
    "conus-2022, conus-plus, dresden, coherent-csi-2021, coherent-lar-2020) or YAML path; "
    "repeatable. "
    "Default: every shipped card.",
)
cl_option = click.option(
    "--cl",
    type=click.FloatRange(0.5, 0.9999, min_open=True),
    default=0.90,
    show_default=True,
    help="Confidence level.",
)
progress_option = click.option(
    "--progress/--no-progress", default=True, help="Progress bar on stderr (TTY)."
)
method_option = click.option(
    "--method",
    type=click.Choice(list(METHODS)),
    default="q-tilde",
    show_default=True,
    help="Limit convention for moments: q-tilde (one-sided profile likelihood), delta-chi2 "
    "(2.71 at 90%), cls (asymptotic CLs), power-constrained (not below the -1 sigma expected).",
)
toys_option = click.option(
    "--toys",
    type=click.IntRange(0, 100000),
    default=0,
    show_default=True,
    help="With --method q-tilde: the critical value from N toys at the limit (0: asymptotic).",
)
