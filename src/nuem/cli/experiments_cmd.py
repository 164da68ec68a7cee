"""``nuem experiments``: list the shipped dataset cards, or show / validate one card."""

from __future__ import annotations

import json

import click

from nuem.cli.table import format_table
from nuem.experiments import list_cards, load_card


def _table(rows: list[dict]) -> str:
    cols = [
        ("name", "name"),
        ("title", "title"),
        ("exposure [t yr]", "exposure_tonne_year"),
        ("data", "data"),
        ("provenance", "provenance"),
        ("published mu_eff", "published_mu"),
    ]
    cells = [[f"{r[k]:g}" if isinstance(r[k], float) else str(r[k]) for _, k in cols] for r in rows]
    return format_table([h for h, _ in cols], cells)


def _details(card) -> str:
    unit, uname = card.variable_unit, ("keV" if card.reconstructed_variable == "energy" else "PE")
    lo, hi = card.window / unit
    edges = card.bin_edges() / unit
    res = card.raw.get("resolution")
    smear = card.response_block.get("smearing", {}).get("model", "gaussian")
    timing = "" if card.time_edges is None else f" x {card.n_time_bins} time bins"
    out = [
        f"{card.name}: {card.title}",
        f"  file            {card.path}",
        f"  content hash    {card.content_hash}",
        f"  provenance      {card.provenance_kind}, arXiv:{card.provenance.get('arxiv', '-')}",
        f"  exposure        {card.exposure_tonne_year:g} tonne*year",
        f"  source          {card.source_kind}: {card.source_block}",
        f"  target          {card.raw['target']['formula']} ({card.recoil} recoils)",
        f"  window          [{lo:g}, {hi:g}] {uname}; default bins {edges.size - 1} from "
        f"{edges[0]:g} to {edges[-1]:g} {uname}{timing}",
        f"  data            {card.summary()['data']}, observed {card.observed().sum():g} in window",
        f"  efficiency      on {card.efficiency_on} energy",
        f"  smearing        {smear}"
        + (f", resolution {card.resolution_model} {res['parameters']}" if res else ""),
        f"  backgrounds     SM solar nu included: {card.background_includes_sm_solar_nu}",
    ]
    for c in card.backgrounds:
        what = "likelihood" if c.in_likelihood else f"info, part of {c.part_of or '-'}"
        unc = c.uncertainty["type"]
        out.append(f"    - {c.name} [{c.shape_kind}; {what}; uncertainty {unc}]")
    for r in card.published_results:
        tol = f", tolerance {r.tolerance:g}" if r.tolerance else ""
        out.append(f"  result          {r.quantity}: {r.text()} [{r.status}{tol}]")
    return "\n".join(out)


@click.command("experiments")
@click.argument("card", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(card: str | None, as_json: bool) -> None:
    """List the dataset cards, or show (and validate) CARD, a card name or a YAML path."""
    if card:
        c = load_card(card)
        if as_json:
            click.echo(json.dumps(c.summary(), indent=2))
        else:
            click.echo(_details(c))
        return
    rows = [load_card(n).summary() for n in list_cards()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(_table(rows))
