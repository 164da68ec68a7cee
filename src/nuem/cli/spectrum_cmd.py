"""``nuem spectrum``: data, background and signal per bin of one experiment (table, JSON, figure).

EXPERIMENT is a card name, a unique prefix alias with ``-`` for ``_`` (``xenonnt-sr0``), or a YAML
path. The hypothesis: ``--mu`` (moment in mu_B, the effective moment of every state), ``--M``
(N mass: upscattering nu X -> N X), ``--q`` (millicharge in e), ``--r2`` (charge radius, the same
for every flavour, cm^2 unless a unit is given). ``signal`` is what the hypothesis adds to the SM.

The card's own source is used (``--solar-model``/``--ordering`` override a solar card's and are
refused for any other source), with its atomic model unless ``--atomic``. Counts are per bin of
the reconstructed variable (keV, or PE for photoelectron cards); energy x time cards are summed
over their time bins (``--json`` also gives each time bin). See
:func:`nuem.plot.spectrum.spectrum_payload`.
"""

from __future__ import annotations

import json

import click

from nuem.cli.quantities import AREA, ENERGY
from nuem.sources.solar import SOLAR_MODELS
from nuem.xsec.atomic import MODELS
from nuem.xsec.hypothesis import EMHypothesis


def _table(data: dict) -> str:
    from nuem.plot.spectrum import edge_key, summed_note

    names = list(data["expected"])
    key = edge_key(data)
    unit = key.removeprefix("bin_edges_")
    head = [f"bin [{unit}]", "observed", *names, "signal"]
    rows = []
    e = data[key]
    for i in range(len(e) - 1):
        row = [f"{e[i]:g}-{e[i + 1]:g}", f"{data['observed'][i]:g}"]
        row += [f"{data['expected'][n][i]:.4g}" for n in names]
        row.append(f"{data['signal'][i]:.4g}")
        rows.append(row)
    tot = ["total", f"{sum(data['observed']):g}"]
    tot += [f"{sum(data['expected'][n]):.4g}" for n in names] + [f"{sum(data['signal']):.4g}"]
    cells = [head, *rows, tot]
    w = [max(len(r[k]) for r in cells) for k in range(len(head))]
    lines = ["  ".join(c.rjust(x) for c, x in zip(r, w, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * x for x in w))
    lines.insert(len(lines) - 1, "  ".join("-" * x for x in w))
    note = summed_note(data)
    if note:
        lines.append(f"({note}; --json gives energy x time)".replace("μs", "us").replace("–", "-"))
    return f"{data['experiment']}\n" + "\n".join(lines)


@click.command("spectrum")
@click.argument("experiment")
@click.option("--mu", type=float, default=0.0, show_default=True, help="Moment in mu_B.")
@click.option("--M", "M", type=ENERGY, default=None, help="N mass, e.g. 0.1MeV (upscattering).")
@click.option("--q", type=float, default=0.0, show_default=True, help="Millicharge in e.")
@click.option("--r2", type=AREA, default=0.0, help="Charge radius <r^2>, e.g. 1e-32 (cm2).")
@click.option(
    "--bins",
    default=None,
    help="Bins 'start:stop:width' in keV (PE for photoelectron cards), e.g. 1:30:1.",
)
@click.option(
    "--atomic",
    type=click.Choice(list(MODELS)),
    default=None,
    help="Atomic binding model of electron recoils [default: the card's]; photoabsorption adds "
    "distant collisions to the millicharge term.",
)
@click.option(
    "--solar-model",
    type=click.Choice(SOLAR_MODELS),
    default=None,
    help="Solar model, solar-source cards only [default: the card's].",
)
@click.option("--ordering", type=click.Choice(["normal", "inverted"]), default=None,
              help="Mass ordering, solar-source cards only [default: the card's].")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Save the figure.")
@click.option("--projection", type=click.Choice(["energy", "time"]), default="energy",
              show_default=True, help="Figure axis (--out): energy or time.")  # fmt: skip
@click.option("--log", "log_y", is_flag=True, help="Logarithmic counts axis (--out).")
@click.option("--residuals", type=click.Choice(["ratio", "pull", "none"]), default="ratio",
              show_default=True, help="Lower panel of the figure (--out).")  # fmt: skip
@click.option("--dpi", type=click.IntRange(50, 1200), default=200, show_default=True,
              help="Resolution of a raster figure (--out).")  # fmt: skip
@click.option("--size", type=(float, float), default=(7.5, 6.0), show_default=True,
              metavar="W H", help="Figure size in inches (--out).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(experiment, mu, M, q, r2, bins, atomic, solar_model, ordering, out, projection,
            log_y, residuals, dpi, size, as_json):  # fmt: skip
    """Observed counts, backgrounds, SM neutrinos and the signal of a hypothesis, per bin."""
    from nuem import units as u
    from nuem.plot.spectrum import plot_spectrum, spectrum_payload
    from nuem.rates import resolve_card, solar_source

    if not mu >= 0:
        raise click.BadParameter(
            f"{mu!r} is not allowed; the moment must be >= 0", param_hint="--mu"
        )
    hyp = EMHypothesis(mu=mu * u.mu_B, M=M or 0.0, q=q, r2=r2)
    if hyp.M > 0 and hyp.mu == 0:
        raise click.BadParameter("--M needs a transition moment --mu > 0", param_hint="--M")
    card = resolve_card(experiment)
    src = None
    if card.source_kind == "solar":
        block = card.source_block
        src = solar_source(
            solar_model or block.get("model", "b16-gs98"),
            ordering or block.get("ordering", "normal"),
        )
    elif solar_model is not None or ordering is not None:
        raise click.BadParameter(
            f"applies to solar-source cards only; {card.name} has a {card.source_kind} source",
            param_hint="--solar-model/--ordering",
        )
    data = spectrum_payload(card, hyp, bins, source=src, atomic=atomic)
    if out:
        fig, _ = plot_spectrum(
            data, hyp, card=card, projection=projection, log=log_y,
            residuals=None if residuals == "none" else residuals, figsize=tuple(size),
        )  # fmt: skip
        try:
            fig.savefig(out, dpi=dpi, bbox_inches="tight")
        except (OSError, ValueError) as exc:
            raise click.ClickException(f"cannot write {out}: {exc}") from exc
        click.echo(f"nuem: wrote {out}", err=True)
    click.echo(json.dumps(data) if as_json else _table(data))
