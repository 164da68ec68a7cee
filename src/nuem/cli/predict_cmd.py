"""``nuem predict``: the SM moment matrix and the effective moments each source sees, or, with
``--model``, a BSM model's moment (and for the leptoquark its mass and Delta a_mu)."""

from __future__ import annotations

import json
import math

import click
import numpy as np

from nuem import nufit
from nuem import units as u
from nuem._validate import choice
from nuem.cli.predict_models import MODELS, predict_model
from nuem.cli.quantities import ENERGY
from nuem.errors import NuemInputError
from nuem.sources.solar import SolarSource
from nuem.theory import effective as eff
from nuem.theory.masses import mass_spectrum
from nuem.theory.muon_g2 import DEFAULT_MUON_G2, MUON_G2_REFERENCES
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


def _overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for text in pairs:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise NuemInputError(f"--param {text!r} is not of the form name=value")
        out[name.strip()] = value.strip()
    return out


def _model_text(res: dict) -> str:
    mu = res["mu_nu_muB"]
    out = [f"model {res['model']}: " + ", ".join(f"{k}={v}" for k, v in res["parameters"].items())]
    out.append(f"mu_nu ({mu['pair']}) = {mu['value']:.3e} mu_B")
    if "delta_m_nu_eV" in res:
        dm = np.abs(np.array(res["delta_m_nu_eV"]))
        out.append(f"largest |dm_nu| = {dm.max():.3e} eV (naive {res['naive_mass_eV']:.3e} eV)")
    elif "naive_mass_eV" in res:
        out.append(f"naive mass m ~ M^2 mu/(2 m_e mu_B) = {res['naive_mass_eV']:.3e} eV")
    if "spin_symmetry" in res:
        s = res["spin_symmetry"]
        out.append(
            f"spin-symmetry estimate: m_nu ~ m_tau^2 mu/(2 m_e mu_B) = {s['mass_eV']:.3e} eV; "
            f"mu <= {s['max_moment_muB']:.3e} mu_B for m_nu <= {s['m_nu_max_eV']:.3g} eV"
        )
    if "delta_a_mu" in res:
        da, ref = res["delta_a_mu"], res["g2_reference"]
        parts = ", ".join(f"{k.replace('_', ' ')} {v:.3e}" for k, v in da.items() if k != "total")
        out.append(f"Delta a_mu = {da['total']:.3e} ({parts})")
        out.append(
            f"(g-2)_mu reference {ref['key']}: {ref['delta_a_mu_1e-11']:.0f}"
            f"({ref['sigma_1e-11']:.0f})e-11 -- {ref['source']}; pull {res['g2_pull_sigma']:+.2f}"
        )
        if "y_R_mu_for_reference" in res:
            y = res["y_R_mu_for_reference"]
            out.append(
                f"y_R_mu giving the reference's central value: {y if y is None else f'{y:.4g}'}"
            )
    out.append(f"formula: {res['formula']}; checked: {res['checked']}")
    return "\n".join(out)


@click.command("predict")
@click.option(
    "--model",
    default=None,
    help="BSM model: " + ", ".join(MODELS) + " (without it: the SM moment matrix).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Model parameter, repeatable (energies with a unit, e.g. m1=1.5TeV).",
)
@click.option(
    "--g2-reference",
    default=DEFAULT_MUON_G2,
    show_default=True,
    help="Delta a_mu reference: " + ", ".join(MUON_G2_REFERENCES) + ".",
)
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
    default=None,
    help="Lightest neutrino mass, e.g. 0.01eV (SM prediction; required without --model).",
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
def command(
    model, params, g2_reference, dirac, m_lightest, ordering, alpha21, alpha31, with_sk_atm, as_json
) -> None:
    """Print the SM moment matrix (mass basis) and the effective moments of each source, or
    (--model) a BSM model's neutrino moment, mass and Delta a_mu."""
    if model is not None:
        res = predict_model(model, _overrides(params), g2_reference)
        click.echo(json.dumps(res) if as_json else _model_text(res))
        return
    if params:
        raise NuemInputError("--param needs --model")
    if m_lightest is None:
        raise NuemInputError("--m-lightest is required without --model (e.g. 0.01eV)")
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
