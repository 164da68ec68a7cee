"""``nuem flux``: neutrino fluxes of the built-in sources (solar, reactor, spallation).

Examples::

    nuem flux solar                       # table: component, flux [cm^-2 s^-1], <P_ee>
    nuem flux solar --model b16-agss09met --ordering inverted --json
    nuem flux solar --E 0.3MeV --json     # {"Pee": ..., "P_mass": [P1, P2, P3], ...} (pp region)
    nuem flux solar --E 10MeV --component 8B --json
    nuem flux reactor --power 3GW --distance 20m --json
    nuem flux spallation --nu-per-proton 0.08 --proton-rate 5e15 --distance 20m
"""

from __future__ import annotations

import json

import click

from nuem import units as u
from nuem.cli.quantities import ENERGY, LENGTH, POWER

PER_CM2_S = 1.0 / (u.cm2 * u.s)


def _echo(data: dict, as_json: bool, table: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo("\n".join(table))


@click.group(name="flux")
def command() -> None:
    """Neutrino fluxes at the detector: solar (B16 + MSW), reactor, spallation (pi-DAR)."""


@command.command("solar")
@click.option("--model", default="b16-gs98", show_default=True, help="b16-gs98 | b16-agss09met")
@click.option("--ordering", default="normal", show_default=True, help="normal | inverted")
@click.option(
    "--E", "energy", type=ENERGY, default=None, help="Energy (e.g. 0.3MeV): print P_ee, P_mass."
)
@click.option(
    "--component",
    default="pp",
    show_default=True,
    help="Production region used with --E (pp, pep, hep, 7Be, 8B, 13N, 15O, 17F).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def solar(model: str, ordering: str, energy: float | None, component: str, as_json: bool) -> None:
    """Solar fluxes (B16 SSM) and day-time adiabatic-MSW survival probabilities (NuFIT 6.0)."""
    from nuem.sources.solar import SolarSource

    src = SolarSource(model=model, ordering=ordering)
    meta = {
        "model": src.model,
        "ordering": src.ordering,
        "oscillation_parameters": src.params.source,
    }
    if energy is not None:
        comp = src.check_component(component)
        pm = src.mass_fractions(comp, energy)
        pee = float(src.survival_probability(comp, energy))
        data = {
            "Pee": pee,
            "P_mass": [float(x) for x in pm],
            "E_MeV": energy / u.MeV,
            "component": comp,
            **meta,
        }
        table = [
            f"E = {energy / u.MeV:g} MeV, production region of {comp}"
            f" ({src.model}, {src.ordering})",
            f"P_ee = {pee:.5f}",
            "P_e1, P_e2, P_e3 = " + ", ".join(f"{x:.5f}" for x in pm),
        ]
        _echo(data, as_json, table)
        return
    comps = {}
    table = [f"{'component':10s} {'flux [cm^-2 s^-1]':>18s} {'<P_ee>':>8s}"]
    for comp in src.components:
        phi = src.flux(comp) / PER_CM2_S
        pee = src.mean_survival_probability(comp)
        comps[comp] = {"flux_cm2_s": phi, "Pee": pee}
        table.append(f"{comp:10s} {phi:18.4g} {pee:8.4f}")
    table.append(f"({src.model}, {src.params.source}; day-time, adiabatic MSW)")
    _echo({**meta, "components": comps}, as_json, table)


@command.command("reactor")
@click.option("--power", type=POWER, required=True, help="Thermal power, e.g. 3GW.")
@click.option("--distance", type=LENGTH, required=True, help="Core-detector distance, e.g. 20m.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def reactor(power: float, distance: float, as_json: bool) -> None:
    """nubar_e flux from a reactor core (Huber-Mueller above 2 MeV, SM-2018 below)."""
    from nuem.sources.reactor import ReactorSource

    src = ReactorSource(power, distance)
    comps = {
        iso: {
            "fission_fraction": src.fission_fractions[iso],
            "flux_cm2_s": src.flux(iso) / PER_CM2_S,
        }
        for iso in src.components
    }
    data = {
        "power_W": power / u.watt,
        "distance_m": distance / u.m,
        "fission_rate_per_s": src.fission_rate * u.s,
        "flux_cm2_s": src.total_flux() / PER_CM2_S,
        "isotopes": comps,
    }
    table = [
        f"{src.name}: fission rate {data['fission_rate_per_s']:.4g} /s",
        f"total nubar_e flux {data['flux_cm2_s']:.4g} cm^-2 s^-1",
    ] + [
        f"  {iso:6s} f = {v['fission_fraction']:.4f}  flux {v['flux_cm2_s']:.4g}"
        for iso, v in comps.items()
    ]
    _echo(data, as_json, table)


@command.command("spallation")
@click.option(
    "--nu-per-proton", type=float, required=True, help="Neutrinos per flavour per proton."
)
@click.option("--proton-rate", type=float, required=True, help="Protons on target per second.")
@click.option("--distance", type=LENGTH, required=True, help="Source-detector distance, e.g. 20m.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def spallation(nu_per_proton: float, proton_rate: float, distance: float, as_json: bool) -> None:
    """pi+ decay-at-rest fluxes: prompt nu_mu line, delayed nu_e and nubar_mu (Michel)."""
    from nuem.sources.spallation import SpallationSource

    src = SpallationSource(nu_per_proton, proton_rate / u.s, distance)
    comps = {
        c: {"flux_cm2_s": src.flux(c) / PER_CM2_S, "E_max_MeV": src.e_max(c) / u.MeV}
        for c in src.components
    }
    table = [f"{src.name}"] + [
        f"  {c:16s} flux {v['flux_cm2_s']:.4g} cm^-2 s^-1, E_max {v['E_max_MeV']:.3f} MeV"
        for c, v in comps.items()
    ]
    _echo({"distance_m": distance / u.m, "components": comps}, as_json, table)
