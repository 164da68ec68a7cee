"""``nuem astro``: stellar and cosmological bounds on a (transition) magnetic moment vs the N mass.

Examples::

    nuem astro                                   # every bound at M_N -> 0, a table
    nuem astro --bound red-giant --mass 10keV --mass 18keV --json
    nuem astro --bound sn1987a --mass 1MeV --mass 100MeV --flavour mu
    nuem astro --bound bbn --bound neff --json
    nuem astro --bound neff-cmb --mass 1MeV --mass 10MeV     # Delta N_eff at recombination
    nuem astro --bound red-giant --mass 50keV --medium-mass 0keV   # light N inside the star

JSON: a list of objects with ``bound``, ``flavour``, ``mass_MeV`` (list), ``excluded_from_muB``
and ``excluded_to_muB`` (lists, null where nothing is excluded / the band is open upwards),
``cl`` (null for a criterion rather than a published CL) and ``assumptions``.
"""

from __future__ import annotations

import json

import click

from nuem import units as u
from nuem.astro.supernova import CoreProfile
from nuem.cli.quantities import ENERGY, LENGTH
from nuem.cosmo.bands import BOUNDS, excluded_band


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3g}"


@click.command("astro")
@click.option(
    "--bound", "bounds", multiple=True, type=click.Choice(BOUNDS),
    help="Bound to compute (repeatable). Default: all.",
)
@click.option("--mass", "masses", multiple=True, type=ENERGY,
              help="N mass, e.g. 10keV (repeatable). Default: M_N -> 0.")
@click.option("--flavour", default="e", show_default=True, help="e | mu | tau (label).")
@click.option("--majorana", is_flag=True,
              help="Majorana N (decay width x2) for sn1987a, bbn, neff-cmb.")
@click.option("--published", default="capozzi-raffelt-2020", show_default=True,
              help="Red-giant input: capozzi-raffelt-2020 | capozzi-raffelt-2020-omega-cen | "
              "viaux-2013.")
@click.option("--medium-mass", type=ENERGY, default=None,
              help="Red giant: N mass inside the star (density-dependent-mass escape).")
@click.option("--t-reheat", type=ENERGY, default=None,
              help="Reheating temperature (bbn, neff, neff-cmb).")
@click.option("--sn-temperature", type=ENERGY, default=None, help="SN one-zone T (30MeV).")
@click.option("--sn-density", type=float, default=None, help="SN one-zone density [g/cm^3].")
@click.option("--sn-radius", type=LENGTH, default=None, help="SN one-zone radius (10km).")
@click.option("--sn-profile", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Garching 1D profile file (shared/data/supernova_profiles/PROVENANCE.md).")
@click.option("--sn-luminosity", type=float, default=None,
              help="SN criterion as a luminosity [erg/s] instead of 1e19 erg/g/s x core mass.")
@click.option("--no-screening", is_flag=True, help="SN: unscreened photon propagator.")
@click.option("--sn-r-far", type=LENGTH, default=None,
              help="SN: outer radius of the envelope (100km); decays inside it are deposited.")
@click.option("--sn-mu-nu", type=ENERGY, default=None,
              help="SN: chemical potential of the coupled neutrinos in the hottest shell (0), "
              "the other shells at the same mu/T.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def command(bounds, masses, flavour, majorana, published, medium_mass, t_reheat, sn_temperature,
            sn_density, sn_radius, sn_profile, sn_luminosity, no_screening, sn_r_far, sn_mu_nu,
            as_json):
    """Excluded bands in mu [mu_B] vs M_N: red-giant, sn1987a, bbn, bbn-equilibrium, neff,
    neff-cmb."""
    M = [m / u.MeV for m in masses] or [0.0]
    rows = []
    for bound in bounds or BOUNDS:
        opts: dict = {}
        if bound == "red-giant":
            opts["published"] = published
            if medium_mass is not None:
                opts["medium_mass"] = medium_mass / u.MeV
        if bound in ("bbn", "bbn-equilibrium", "neff-cmb"):
            opts["majorana"] = majorana
        if bound in ("bbn", "bbn-equilibrium", "neff", "neff-cmb") and t_reheat is not None:
            opts["t_reheat"] = t_reheat / u.MeV
        if bound == "sn1987a":
            opts.update(majorana=majorana, screening=not no_screening,
                        core=_sn_core(sn_temperature, sn_density, sn_radius, sn_profile, flavour,
                                      sn_r_far))
            if sn_mu_nu is not None:
                opts["mu_nu"] = sn_mu_nu / u.MeV
            if sn_luminosity is not None:
                opts["luminosity_crit"] = sn_luminosity * u.erg / u.s
        rows.append(excluded_band(bound, M, flavour, **opts).as_json())
    if as_json:
        click.echo(json.dumps(rows, indent=2, allow_nan=False))
        return
    click.echo(f"{'bound':>16s} {'flavour':>7s} {'M [MeV]':>10s} {'from [mu_B]':>12s} "
               f"{'to [mu_B]':>12s} {'CL':>5s}")
    for r in rows:
        for m, lo, hi in zip(r["mass_MeV"], r["excluded_from_muB"], r["excluded_to_muB"],
                             strict=True):
            cl = "-" if r["cl"] is None else f"{r['cl']:.2f}"
            click.echo(f"{r['bound']:>16s} {r['flavour']:>7s} {m:>10.4g} {_fmt(lo):>12s} "
                       f"{_fmt(hi):>12s} {cl:>5s}")



def _sn_core(temperature, density, radius, profile, flavour, r_far) -> CoreProfile:
    if profile is not None:  # the profile's nu_e or nu_mu chemical potential ("any": nu_e)
        kw = {} if r_far is None else {"r_max": r_far}
        return CoreProfile.from_garching(profile, flavour="e" if flavour == "any" else flavour,
                                         **kw)
    kw = {} if r_far is None else {"r_far": r_far}
    if temperature is not None:
        kw["temperature"] = temperature
    if density is not None:
        kw["density"] = density * u.g / u.cm3
    if radius is not None:
        kw["radius"] = radius
    return CoreProfile.one_zone(**kw)
