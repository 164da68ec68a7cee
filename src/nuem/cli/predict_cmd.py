"""``nuem predict``: Standard-Model moment matrix and the effective moments each source sees."""

from __future__ import annotations

import json
import math

import click
import numpy as np

from nuem import nufit
from nuem import units as u
from nuem._validate import choice
from nuem.cli.quantities import ENERGY
from nuem.errors import NuemInputError
from nuem.sources.solar import SolarSource
from nuem.theory import effective as eff
from nuem.theory.masses import mass_spectrum
from nuem.theory.pmns import FLAVOURS, pmns_matrix
from nuem.theory.predictions import sm_charge_radius, sm_dirac_moments, sm_majorana_moments


def _finite(name: str, x: float) -> float:
    if not math.isfinite(x):
        raise NuemInputError(f"{name} = {x!r} is not allowed; it must be finite")
    return x


def _abs_rows(m: np.ndarray) -> list[list[float]]:
    return [[float(v) for v in row] for row in np.abs(m)]


#: Energies at which the solar effective moments are quoted, per component.
SOLAR_REFERENCE_ENERGIES = {"pp": 0.3 * u.MeV, "8B": 10.0 * u.MeV}


def predict(
    nature: str,
    m_lightest: float,
    ordering: str = "normal",
    alpha21: float = 0.0,
    alpha31: float = 0.0,
    with_sk_atm: bool = False,
) -> dict:
    """JSON-ready SM prediction (moments in mu_B); the logic behind ``nuem predict``."""
    ordering = choice("--ordering", ordering, nufit.ORDERINGS)
    masses = mass_spectrum(m_lightest, ordering, with_sk_atm)
    U = pmns_matrix(ordering, alpha21=alpha21, alpha31=alpha31, with_sk_atm=with_sk_atm)
    mm = sm_dirac_moments(masses, U) if nature == "dirac" else sm_majorana_moments(masses, U)
    flav = mm.to_flavour(U)
    solar = {}
    sun = SolarSource(ordering=ordering)
    for comp, energy in SOLAR_REFERENCE_ENERGIES.items():
        p = sun.mass_fractions(comp, energy, method="direct")
        src = (
            f"nuem.sources.SolarSource(B16-GS98, {ordering}).mass_fractions({comp!r}, "
            f"E={energy / u.MeV:g} MeV): adiabatic MSW averaged over the production region"
        )
        solar[comp] = {
            "mu_eff_muB": float(eff.solar_effective_moment(mm, p)),
            "mass_fractions": [float(x) for x in p],
            "mass_fractions_source": src,
        }
    return {
        "nature": nature,
        "ordering": ordering,
        "m_lightest_eV": float(m_lightest / u.eV),
        "masses_eV": [float(x) for x in masses / u.eV],
        "majorana_phases_rad": [alpha21, alpha31] if nature == "majorana" else None,
        "mu_mass_basis_muB": _abs_rows(mm.mu),
        "eps_mass_basis_muB": _abs_rows(mm.eps),
        "d_mass_basis_muB": _abs_rows(mm.d),
        "d_flavour_basis_muB": _abs_rows(flav.d),
        "mu_flavour_muB": {f: float(eff.flavour_effective_moment(mm, U, f)) for f in FLAVOURS},
        "mu_effective_muB": {
            "reactor_nuebar_e": float(eff.reactor_effective_moment(mm, U)),
            "accelerator_nu_mu": float(eff.accelerator_effective_moment(mm, U, "mu")),
            "solar_pp": solar["pp"]["mu_eff_muB"],
            "solar_8B": solar["8B"]["mu_eff_muB"],
        },
        "solar": solar,
        "charge_radius_cm2": {f: sm_charge_radius(f) / u.cm2 for f in FLAVOURS},
        "conventions": (
            "d = mu - i eps in mu_B; entry [j,k]: incoming mass state k -> j; "
            "mu_flavour_muB[a] = sqrt(sum_j |sum_k U*_ak d_jk|^2) (nu_a beam); reactor uses U_ek "
            "(nubar_e); PMNS: PDG with diag(1, e^{i a21/2}, e^{i a31/2})"
        ),
        "oscillation_parameters": nufit.parameters(ordering, with_sk_atm).source,
    }


@click.command("predict")
@click.option(
    "--dirac/--majorana",
    "dirac",
    default=True,
    show_default=True,
    help="Dirac or Majorana neutrinos.",
)
@click.option(
    "--m-lightest",
    "m_lightest",
    type=ENERGY,
    required=True,
    help="Lightest neutrino mass, e.g. 0.01eV.",
)
@click.option("--ordering", default="normal", show_default=True, help="normal or inverted.")
@click.option(
    "--alpha21", type=float, default=0.0, show_default=True, help="Majorana phase alpha21 [deg]."
)
@click.option(
    "--alpha31", type=float, default=0.0, show_default=True, help="Majorana phase alpha31 [deg]."
)
@click.option("--with-sk-atm", is_flag=True, help="NuFIT 6.0 fit including SK atmospheric data.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(dirac, m_lightest, ordering, alpha21, alpha31, with_sk_atm, as_json) -> None:
    """Print the SM moment matrix (mass basis) and the effective moments of each source."""
    if not (math.isfinite(m_lightest) and m_lightest >= 0):
        raise NuemInputError(
            f"--m-lightest = {m_lightest / u.eV!r} eV is not allowed; it must be finite and >= 0"
        )
    a21 = math.radians(_finite("--alpha21", alpha21))
    a31 = math.radians(_finite("--alpha31", alpha31))
    res = predict("dirac" if dirac else "majorana", m_lightest, ordering, a21, a31, with_sk_atm)
    if as_json:
        click.echo(json.dumps(res))
        return
    out = [
        f"SM {res['nature']} neutrinos, {res['ordering']} ordering "
        f"({res['oscillation_parameters']})",
        "masses [eV]: " + "  ".join(f"{m:.4g}" for m in res["masses_eV"]),
        "|d_jk| = |mu - i eps| in the mass basis [mu_B] (row j out, column k in):",
    ]
    out += ["  " + "  ".join(f"{v:10.3e}" for v in row) for row in res["d_mass_basis_muB"]]
    out.append(
        "flavour moments of nu_alpha beams [mu_B]: "
        + "  ".join(f"{f}: {v:.3e}" for f, v in res["mu_flavour_muB"].items())
    )
    out.append("effective moments [mu_B]:")
    out += [f"  {k:18s} {v:.3e}" for k, v in res["mu_effective_muB"].items()]
    out.append(f"  (solar mass fractions: {res['solar']['8B']['mass_fractions_source']})")
    out.append(
        "charge radii [cm^2]: "
        + "  ".join(f"{f}: {v:.3e}" for f, v in res["charge_radius_cm2"].items())
    )
    click.echo("\n".join(out))
