"""``nuem experiments``: list the shipped dataset cards, or show / validate one card."""

from __future__ import annotations

import json

import click

from nuem import units as u
from nuem.cli.table import format_table
from nuem.experiments import list_cards, list_projections, load_card


def _table(rows: list[dict]) -> str:
    cols = [
        ("name", "name"),
        ("title", "title"),
        ("exposure [t yr]", "exposure_tonne_year"),
        ("data", "data"),
        ("provenance", "provenance"),
        ("published mu (mu_eff or mu_e)", "published_mu"),
    ]
    cells = [[f"{r[k]:g}" if isinstance(r[k], float) else str(r[k]) for _, k in cols] for r in rows]
    return format_table([h for h, _ in cols], cells)


_EFFICIENCY_SPACE = {
    "true": "the true recoil energy",
    "quenched": "the detected (electron-equivalent) energy",
    "reconstructed": "the reconstructed energy",
}


def _quenching(card) -> str | None:
    q = card.quenching
    if q is None:
        return None
    if getattr(q, "recoil", "nuclear") == "electron":
        return f"birks (electrons), kB = {q.kB_cm_per_MeV:g} cm/MeV in {q.medium}"
    if hasattr(q, "coefficients"):
        cs = ", ".join(f"{x:g}" for x in q.coefficients)
        return f"polynomial, E_ee/keV = sum c_k (E_nr/keV)^k, c = [{cs}]"
    return f"lindhard, Z = {q.Z:g}, k = {q.k:.4g}"


def _smearing(card) -> str:
    block = card.response_block.get("smearing", {})
    model = block.get("model", "gaussian")
    res = card.raw.get("resolution")
    if model == "photoelectrons":
        return f"photoelectrons (Poisson), {block['light_yield_pe_per_keV']:g} PE/keVee"
    if model == "hits":
        return (f"hits estimator, {block['light_yield_hits_per_keV']:g} hits/keV, saturation "
                f"{block['saturation_hits']:g}")  # fmt: skip
    if model == "gaussian" and res:
        return f"gaussian, resolution {card.resolution_model} {res['parameters']}"
    return model


def _details(card) -> str:
    pe = card.reconstructed_variable == "photoelectrons"
    names = {"photoelectrons": "PE", "hits": "hits"}
    unit, uname = card.variable_unit, names.get(card.reconstructed_variable, "keV")
    lo, hi = card.window / unit
    edges = card.bin_edges() / unit
    timing = "" if card.time_edges is None else f" x {card.n_time_bins} time bins"
    eff = _EFFICIENCY_SPACE[card.efficiency_on]
    if pe and card.efficiency_on == "reconstructed":
        eff = "the reconstructed photoelectron count"
    sm_name = "SM solar nu" if card.source_kind == "solar" else "SM nu of the source"
    sm_note = "" if card.background_includes_sm_solar_nu else " (nuem adds its own)"
    out = [
        f"{card.name}: {card.title}",
        f"  file            {card.path}",
        f"  content hash    {card.content_hash}",
        f"  provenance      {card.provenance_kind}, arXiv:{card.provenance.get('arxiv', '-')}",
        f"  exposure        {card.exposure_tonne_year:g} tonne*year",
        f"  source          {card.source_kind}: {card.source_block}",
        f"  target          {card.raw['target']['formula']} ({' and '.join(card.recoils)} recoils"
        + (f"; atomic model {card.atomic_model})" if "electron" in card.recoils else ")"),
        f"  window          [{lo:g}, {hi:g}] {uname}; default bins {edges.size - 1} from "
        f"{edges[0]:g} to {edges[-1]:g} {uname}{timing}",
    ]
    if card.time_edges is not None:
        t = card.time_edges / u.microsecond
        out.append(f"  time bins       {', '.join(f'{x:g}' for x in t)} us")
    seen = f", observed {card.observed().sum():g} in window" if card.has_data else ""
    out += [
        f"  data            {card.summary()['data']}{seen}",
        f"  efficiency      on {eff}",
    ]
    q = _quenching(card)
    if q:
        out.append(f"  quenching       {q}")
    out += [
        f"  smearing        {_smearing(card)}",
        f"  backgrounds     {sm_name} included: {card.background_includes_sm_solar_nu}{sm_note}",
    ]
    for c in card.backgrounds:
        what = "likelihood" if c.in_likelihood else f"info, part of {c.part_of or '-'}"
        unc = c.uncertainty["type"]
        out.append(f"    - {c.name} [{c.shape_kind}; {what}; uncertainty {unc}]")
    for r in card.published_results:
        tol = f", tolerance {r.tolerance:g}" if r.tolerance else ""
        out.append(f"  result          {r.quantity}: {r.text()} [{r.status}{tol}]")
    for r in card.recasts:
        got = "read" if r.has_value else "number not read"
        data = "this card's data" if r.same_data else "a combination"
        arxiv = next((w.strip(",()") for w in r.reference.split() if w.startswith("arXiv:")), "")
        out.append(
            f"  recast          {r.quantity}: {arxiv} ({data}, {r.cl:.0%} CL) {got}, "
            f"tolerance {r.tolerance:g}"
        )
    if card.provenance_kind == "projection":
        out += [f"  assumption      {a}" for a in card.provenance["assumptions"]]
        out += [f"  reference       {r}" for r in card.provenance["references"]]
    return "\n".join(out)


@click.command("experiments")
@click.argument("card", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(card: str | None, as_json: bool) -> None:
    """List the dataset cards, or show (and validate) CARD: a card name, alias or YAML path."""
    if card:
        c = load_card(card)  # names, unique-prefix aliases and YAML paths
        if as_json:
            click.echo(json.dumps(c.summary(), indent=2))
        else:
            click.echo(_details(c))
        return
    rows = [load_card(n).summary() for n in list_cards()]
    projections = [load_card(n).summary() for n in list_projections()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(_table(rows))
        click.echo("\nProjections (no data; expected limits with nuem sensitivity):")
        click.echo(_table(projections))
