"""``nuem theory``: the theory estimates that are not a fit — naturalness bounds on a moment,
spin-flavour precession of solar neutrinos, and the mass a moment induces at a new-physics scale.

Every number is from :mod:`nuem.theory.predictions` or :mod:`nuem.theory.spin_flavour`, whose
docstrings give the formula and its source (docs/theory.md).
"""

from __future__ import annotations

import json

import click

from nuem import units as u
from nuem.cli.quantities import ENERGY, Quantity
from nuem.theory import predictions as pred
from nuem.theory import spin_flavour as sfp

FIELD = Quantity(u.UNITS_OF["field"], "field")
MOMENT = Quantity(u.UNITS_OF["moment"], "moment", default_unit="muB")


def _emit(out: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(out))
        return
    for key, value in out.items():
        text = f"{value:.4g}" if isinstance(value, float) else str(value)
        click.echo(f"{key:>22s}  {text}")


@click.group("theory")
def command() -> None:
    """Theory estimates: naturalness, spin-flavour precession, the mass from a moment."""


@command.command("naturalness")
@click.option("--m-nu", "m_nu", type=ENERGY, required=True,
              help="Neutrino mass (Dirac) or |M_ll'| (Majorana), e.g. 0.1eV.")  # fmt: skip
@click.option("--scale", type=ENERGY, default="1TeV", show_default=True,
              help="New-physics scale Lambda.")  # fmt: skip
@click.option("--majorana", is_flag=True, help="Majorana transition moment mu_ll'.")
@click.option("--flavours", default="e,tau", show_default=True,
              help="The two flavours l,l' of a Majorana moment.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def naturalness(m_nu, scale, majorana, flavours, as_json) -> None:
    """Largest moment without fine-tuning the neutrino mass (Bell et al. 2005, 2006)."""
    if majorana:
        pair = tuple(x.strip() for x in flavours.split(","))
        if len(pair) != 2:
            raise click.BadParameter(f"{flavours!r}: give two flavours, e.g. e,tau",
                                     param_hint="--flavours")  # fmt: skip
        bound = float(pred.naturalness_majorana_bound(m_nu, pair, scale))
        source = "Bell, Gorchtein, Ramsey-Musolf, Vogel & Wang, PLB 642 (2006) 377"
    else:
        bound = float(pred.naturalness_dirac_bound(m_nu, scale))
        source = "Bell, Cirigliano, Ramsey-Musolf, Vogel & Wise, PRL 95 (2005) 151802"
    _emit({
        "nature": "majorana" if majorana else "dirac",
        "m_nu_eV": m_nu / u.eV,
        "scale_TeV": scale / u.TeV,
        "bound_muB": bound / u.mu_B,
        "source": source,
    }, as_json)  # fmt: skip


@command.command("precession")
@click.option("--mu", type=MOMENT, default=None, help="Transition moment mu_12, e.g. 1e-11 (mu_B).")
@click.option("--B", "B", type=FIELD, default=None,
              help="Field B_perp at 0.05 R_sun, e.g. 100kG (units G, kG, MG, T).")  # fmt: skip
@click.option("--experiment", type=click.Choice(list(sfp.SOLAR_ANTINEUTRINO_LIMITS)),
              default="Borexino2021", show_default=True,
              help="Solar nubar_e flux limit giving the bound on mu B.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def precession(mu, B, experiment, as_json) -> None:
    """Solar nu_e -> nubar_e by spin-flavour precession (Akhmedov & Pulido 2003): the
    probability for --mu and --B, and the bound on mu B (and on mu at --B) from a flux limit."""
    bound, lim = sfp.mu_B_bound_from(experiment)
    out = {
        "experiment": lim.name,
        "probability_limit": lim.probability,
        "cl": lim.cl,
        "bound_mu_B_muB_kG": float(bound) / (u.mu_B * u.kilogauss),
        "reference": lim.reference,
    }
    if B is not None:
        out["B_perp_kG"] = B / u.kilogauss
        out["bound_mu_muB"] = float(sfp.mu_bound(lim.probability, B)) / u.mu_B
    if mu is not None and B is not None:
        out["mu_muB"] = mu / u.mu_B
        out["probability"] = float(sfp.sfp_probability(mu, B))
    elif mu is not None:
        raise click.BadParameter("the probability needs the field too", param_hint="--B")
    _emit(out, as_json)


@command.command("mass-scale")
@click.option("--mu", type=MOMENT, required=True, help="Moment, e.g. 1e-11 (mu_B).")
@click.option("--M", "M", type=ENERGY, required=True, help="Scale of the new physics, e.g. 1TeV.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def mass_scale(mu, M, as_json) -> None:
    """The neutrino mass a moment made at scale M induces, m ~ M^2 mu/(2 m_e mu_B) (naive: the
    photon removed from the loop; Babu, Jana & Lindner 2020)."""
    m = float(pred.mass_from_moment(mu, M))
    _emit({"mu_muB": mu / u.mu_B, "M_TeV": M / u.TeV, "m_nu_eV": m / u.eV,
           "source": "Babu, Jana & Lindner, arXiv:2007.04291"}, as_json)  # fmt: skip
