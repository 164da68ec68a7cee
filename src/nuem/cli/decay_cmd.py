"""``nuem decay``: width, lifetime and decay length of N -> nu gamma through the dipole portal."""

from __future__ import annotations

import json
import math

import click

from nuem import units as u
from nuem.astro import hnl
from nuem.cli.quantities import ENERGY


@click.command("decay")
@click.option("--M", "M", type=ENERGY, required=True, help="N mass, e.g. 1MeV.")
@click.option("--mu", type=float, required=True, help="Transition moment in Bohr magnetons.")
@click.option("--majorana", is_flag=True, help="Majorana N (decays to nu and nubar: width x2).")
@click.option("--E", "E", type=ENERGY, default=None, help="N energy for the lab decay length.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(M: float, mu: float, majorana: bool, E: float | None, as_json: bool) -> None:
    """Gamma(N -> nu gamma) = mu^2 M^3/(16 pi) (x2 Majorana); lifetime; decay length at --E."""
    if not (mu >= 0 and math.isfinite(mu)):
        raise click.BadParameter(f"--mu = {mu!r} mu_B is not allowed; it must be finite and >= 0")
    moment = mu * u.mu_B
    width = float(hnl.decay_width(M, moment, majorana))
    tau = float(hnl.lifetime(M, moment, majorana))
    out = {
        "M_MeV": M / u.MeV,
        "mu_muB": mu,
        "majorana": majorana,
        "width_MeV": width / u.MeV,
        "lifetime_s": tau / u.s,
    }
    if E is not None:
        out["E_MeV"] = E / u.MeV
        out["decay_length_m"] = float(hnl.decay_length(E, M, moment, majorana)) / u.m
    if as_json:
        click.echo(json.dumps(out))
        return
    for key, value in out.items():
        click.echo(f"{key:>16s}  {value}")
