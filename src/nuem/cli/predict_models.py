"""``nuem predict --model``: the BSM model formulas of ``nuem.theory`` behind one command.

Each model lists its parameters (name, kind, default, meaning); ``--param name=value`` overrides
one (energies with a unit, e.g. ``m1=1.5TeV``). :func:`predict_model` returns the JSON-ready
result: moments in mu_B, masses in eV, Delta a_mu dimensionless, the formula's source and the
check recorded in docs/theory.md, and for the leptoquark the (g-2)_mu reference used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import click
import numpy as np

from nuem import constants as c
from nuem import units as u
from nuem._validate import choice
from nuem.cli.quantities import ENERGY_UNITS, parse_quantity
from nuem.errors import NuemInputError
from nuem.theory.leptoquark import leptoquark_predictions, voloshin_suppression, y_R_for_delta_a_mu
from nuem.theory.models import left_right_moment, rpv_susy_moment, su2h_transition_moment
from nuem.theory.muon_g2 import DEFAULT_MUON_G2, muon_g2_reference
from nuem.theory.predictions import mass_from_moment
from nuem.theory.zee import (
    spin_symmetry_mass,
    spin_symmetry_max_moment,
    zee_f_matrix,
    zee_predictions,
)
from nuem.theory.zee_g2 import zee_delta_a_mu


@dataclass(frozen=True)
class Param:
    """A model parameter: ``kind`` is 'energy' (hepunits), 'number' or 'lepton'."""

    kind: str
    default: object
    help: str
    unit: str = "GeV"  # how an energy is recorded in the output


_LEPTONS = ("e", "mu", "tau")

MODELS: dict[str, dict[str, Param]] = {
    "leptoquark": {
        "lam_L_e": Param("number", 1.0, "S1 coupling to b nu_e and t e_L"),
        "lam_L_mu": Param("number", 0.0, "S1 coupling to b nu_mu and t mu_L"),
        "lam_L_tau": Param("number", 0.0, "S1 coupling to b nu_tau and t tau_L"),
        "y_R_mu": Param("number", 0.0, "S1 coupling t_R mu_R (chirally enhanced g-2)"),
        "y_tilde_e": Param("number", 0.0, "R2~ coupling b_R nu_e (and b_R e_L)"),
        "y_tilde_mu": Param("number", 1.0, "R2~ coupling b_R nu_mu (and b_R mu_L)"),
        "y_tilde_tau": Param("number", 0.0, "R2~ coupling b_R nu_tau"),
        "m1": Param("energy", 1.0 * u.TeV, "lighter charge-1/3 leptoquark mass"),
        "m2": Param("energy", 1.5 * u.TeV, "heavier charge-1/3 leptoquark mass"),
        "sin_2theta": Param("number", 0.5, "S1 - R2~ mixing"),
        "m_R23": Param("energy", None, "R2~^{2/3} mass (default m2)"),
    },
    "su2h": {
        "f_fprime": Param("number", 1e-3, "product of the charged-scalar Yukawas f f'"),
        "sin_2alpha": Param("number", 1.0, "charged-scalar mixing"),
        "m_h": Param("energy", 100.0 * u.GeV, "lighter charged scalar"),
        "m_H": Param("energy", 1.0 * u.TeV, "heavier charged scalar"),
    },
    "zee": {
        "f_e_mu": Param("number", 0.0, "eta+ coupling f_e_mu (antisymmetric f)"),
        "f_e_tau": Param("number", 1e-2, "eta+ coupling f_e_tau"),
        "f_mu_tau": Param("number", 0.0, "eta+ coupling f_mu_tau"),
        "Y_e_tau": Param("number", 0.0, "H2 Yukawa L_e-bar H2 tau_R"),
        "Y_mu_tau": Param("number", 1e-2, "H2 Yukawa L_mu-bar H2 tau_R"),
        "Y_tau_tau": Param("number", 0.0, "H2 Yukawa L_tau-bar H2 tau_R"),
        "Y_tau_mu": Param("number", 0.0, "H2 Yukawa L_tau-bar H2 mu_R (with Y_mu_tau: g-2)"),
        "sin_2phi": Param("number", 0.5, "eta+ - H+ mixing"),
        "m_h1": Param("energy", 200.0 * u.GeV, "lighter charged scalar"),
        "m_h2": Param("energy", 1.0 * u.TeV, "heavier charged scalar"),
        "m_H0": Param("energy", 150.0 * u.GeV, "CP-even neutral scalar of H2"),
        "m_A0": Param("energy", 400.0 * u.GeV, "CP-odd neutral scalar of H2"),
        "m_nu_max": Param("energy", 0.05 * u.eV, "mass for the spin-symmetry moment bound", "eV"),
    },
    "left-right": {
        "lepton": Param("lepton", "tau", "charged lepton in the loop (e, mu, tau)"),
        "sin_2xi": Param("number", 1e-3, "W_L - W_R mixing"),
        "m_W2": Param("energy", math.inf, "heavy W mass (inf: decoupled)"),
        "m_nu": Param("energy", 0.0, "neutrino mass"),
    },
    "rpv": {
        "m_sfermion": Param("energy", 1.0 * u.TeV, "sfermion mass"),
        "lambda2": Param("number", 1e-2, "product of the R-parity-violating couplings"),
        "fermion": Param("lepton", "tau", "internal fermion (e, mu, tau) or use m_f"),
        "m_f": Param("energy", None, "internal fermion mass (overrides fermion)"),
        "n_colour": Param("number", 1, "colour factor (3 for lambda' with quarks)"),
    },
}


def _parse(model: str, name: str, text: str) -> object:
    spec = MODELS[model].get(name)
    if spec is None:
        raise NuemInputError(
            f"--param {name!r} is not a {model} parameter; allowed: {', '.join(MODELS[model])}"
        )
    if spec.kind == "energy":
        if text.strip().lower() == "inf":
            return math.inf
        try:
            return parse_quantity(text, ENERGY_UNITS, "energy", None)
        except click.BadParameter as exc:
            raise NuemInputError(f"--param {name}: {exc.message}") from exc
    if spec.kind == "lepton":
        return choice(f"--param {name}", text, _LEPTONS)
    try:
        v = float(text)
    except ValueError as exc:
        raise NuemInputError(f"--param {name}={text!r} is not a number") from exc
    if not math.isfinite(v):
        raise NuemInputError(f"--param {name}={text!r} is not allowed; it must be finite")
    return v


def model_parameters(model: str, overrides: Mapping[str, str]) -> dict[str, object]:
    """Defaults of ``model`` with ``overrides`` {name: text} parsed in."""
    model = choice("--model", model, MODELS)
    params = {k: p.default for k, p in MODELS[model].items()}
    for k, text in overrides.items():
        params[k] = _parse(model, k, text)
    return params


def _energy_record(params: Mapping[str, object], model: str) -> dict[str, object]:
    out = {}
    for k, v in params.items():
        spec = MODELS[model][k]
        if spec.kind == "energy" and isinstance(v, float) and math.isfinite(v):
            out[f"{k}_{spec.unit}"] = v / getattr(u, spec.unit)
        else:
            out[k] = v if not (isinstance(v, float) and math.isinf(v)) else "inf"
    return out


def _leptoquark(p: Mapping[str, object], g2_key: str) -> dict:
    lam = [p["lam_L_e"], p["lam_L_mu"], p["lam_L_tau"]]
    yt = [p["y_tilde_e"], p["y_tilde_mu"], p["y_tilde_tau"]]
    yr = [0.0, p["y_R_mu"], 0.0]
    m1, m2, s2 = p["m1"], p["m2"], p["sin_2theta"]
    pred = leptoquark_predictions(lam, yr, yt, m1, m2, s2, p["m_R23"])
    ref = muon_g2_reference(g2_key)
    i, j = np.unravel_index(np.argmax(np.abs(pred.mu_nu)), (3, 3))
    mu_ij, dm_ij = pred.mu_nu[i, j], pred.delta_m_nu[i, j]
    da = {k: float(v) for k, v in pred.delta_a_mu.items()}
    y_needed = y_R_for_delta_a_mu(ref.delta_a_mu, lam[1], yt[1], m1, m2, s2, p["m_R23"])
    pair = f"{_LEPTONS[min(i, j)]}{_LEPTONS[max(i, j)]}"
    return {
        "mu_nu_muB": {"pair": pair, "value": float(abs(mu_ij) / u.mu_B)},
        "mu_nu_matrix_muB": (pred.mu_nu / u.mu_B).tolist(),
        "delta_m_nu_eV": (pred.delta_m_nu / u.eV).tolist(),
        "naive_mass_eV": float(mass_from_moment(abs(mu_ij), m1) / u.eV),
        "voloshin_suppression": float(voloshin_suppression(mu_ij, dm_ij, m1)),
        "delta_a_mu": da,
        "g2_reference": ref.as_dict(),
        "g2_pull_sigma": float(ref.pull(da["total"])),
        "y_R_mu_for_reference": None if not np.isfinite(y_needed) else float(y_needed),
        "formula": "nuem.theory.leptoquark (S1 + R2~, b-quark flip; S1 top and R2~ bottom g-2)",
        "checked": "docs/theory.md: loops vs quadrature and Dorsner et al. closed forms; "
        "Bauer-Neubert heavy limit; seed estimate; log mass formula",
    }


def _charged_scalar(p: Mapping[str, object]) -> dict:
    mu = float(su2h_transition_moment(p["f_fprime"], p["sin_2alpha"], p["m_h"], p["m_H"]))
    note = (
        "Babu, Jana & Lindner arXiv:2007.04291 SU(2)_H formula (PHYSICS §8); loop function and "
        "the f f'/(8 pi^2) coefficient re-derived as the Zee-type loop with both orderings"
    )
    return {
        "mu_nu_muB": {"pair": "emu", "value": abs(mu) / u.mu_B},
        "naive_mass_eV": float(mass_from_moment(abs(mu), p["m_H"]) / u.eV),
        "formula": "nuem.theory.models.su2h_transition_moment",
        "checked": note,
    }


def _zee(p: Mapping[str, object], g2_key: str) -> dict:
    f = zee_f_matrix(p["f_e_mu"], p["f_e_tau"], p["f_mu_tau"])
    Y = np.zeros((3, 3))
    Y[:, 2] = [p["Y_e_tau"], p["Y_mu_tau"], p["Y_tau_tau"]]
    Y[2, 1] = p["Y_tau_mu"]
    scalars = (p["m_h1"], p["m_h2"], p["sin_2phi"])
    pred = zee_predictions(f, Y, *scalars)
    da = {k: float(v) for k, v in zee_delta_a_mu(f, Y, *scalars, p["m_H0"], p["m_A0"]).items()}
    ref = muon_g2_reference(g2_key)
    i, j = np.unravel_index(np.argmax(np.abs(pred.mu_nu)), (3, 3))
    mu_ij, dm_ij = pred.mu_nu[i, j], pred.delta_m_nu[i, j]
    return {
        "mu_nu_muB": {
            "pair": f"{_LEPTONS[min(i, j)]}{_LEPTONS[max(i, j)]}",
            "value": float(abs(mu_ij) / u.mu_B),
        },
        "mu_nu_matrix_muB": (pred.mu_nu / u.mu_B).tolist(),
        "delta_m_nu_eV": (pred.delta_m_nu / u.eV).tolist(),
        "naive_mass_eV": float(mass_from_moment(abs(mu_ij), p["m_h1"]) / u.eV),
        "voloshin_suppression": float(voloshin_suppression(mu_ij, dm_ij, p["m_h1"])),
        "spin_symmetry": {
            "mass_eV": float(spin_symmetry_mass(mu_ij) / u.eV),
            "m_nu_max_eV": p["m_nu_max"] / u.eV,
            "max_moment_muB": float(spin_symmetry_max_moment(p["m_nu_max"]) / u.mu_B),
        },
        "delta_a_mu": da,
        "g2_reference": ref.as_dict(),
        "g2_pull_sigma": float(ref.pull(da["total"])),
        "formula": "nuem.theory.zee (eta+ - H+ loop with the charged leptons; the Zee mass; "
        "spin-symmetry estimate m_nu ~ m_tau^2 mu/(2 m_e mu_B)); nuem.theory.zee_g2 (H0, A0, "
        "h1, h2 loops)",
        "checked": "docs/theory.md: SU(2)_H formula as a special case; Zee-Wolfenstein zero "
        "diagonal; B0 quadrature; g-2 vs exact integrals and the two-doublet limit; "
        "spin-symmetry estimate derived here, below the XENON1T range as Babu-Jana-Lindner's "
        "abstract states",
    }


def predict_model(
    model: str, overrides: Mapping[str, str] | None = None, g2_reference: str = DEFAULT_MUON_G2
) -> dict:
    """JSON-ready prediction of ``model`` with ``overrides`` {name: text}; see the module doc."""
    params = model_parameters(model, overrides or {})
    model = choice("--model", model, MODELS)
    if model == "leptoquark":
        body = _leptoquark(params, g2_reference)
    elif model == "su2h":
        body = _charged_scalar(params)
    elif model == "zee":
        body = _zee(params, g2_reference)
    elif model == "left-right":
        ml = c.LEPTON_MASS[params["lepton"]]
        mu = float(left_right_moment(ml, params["sin_2xi"], params["m_W2"], params["m_nu"]))
        body = {
            "mu_nu_muB": {"pair": "diagonal", "value": mu / u.mu_B},
            "formula": "nuem.theory.models.left_right_moment",
            "checked": "both terms re-derived from Leveille's vector-loop integrals; "
            "Fujikawa-Shrock for xi = 0, m_W2 -> inf (tests)",
        }
    else:
        mf = params["m_f"] if params["m_f"] is not None else c.LEPTON_MASS[params["fermion"]]
        n_c = int(params["n_colour"])
        mu = float(rpv_susy_moment(params["m_sfermion"], params["lambda2"], mf, n_c))
        body = {
            "mu_nu_muB": {"pair": "transition", "value": mu / u.mu_B},
            "naive_mass_eV": float(mass_from_moment(mu, params["m_sfermion"]) / u.eV),
            "formula": "nuem.theory.models.rpv_susy_moment",
            "checked": "order-of-magnitude relation: the one-loop result with the log replaced "
            "by 4 (docs/theory.md)",
        }
    return {"model": model, "parameters": _energy_record(params, model), **body}
