"""``nuem xsec``: differential cross section dsigma/dT at one (E, T) point, term by term.

Electron targets: :func:`nuem.xsec.electron.terms` (per free electron, or per atom with
``--atomic/--element``). Nuclear targets (an element symbol):
:func:`nuem.xsec.nuclear.nuclear_terms`, per nucleus of the natural isotopic mix; the charge
radius and millicharge shift the weak charge (``cevns_em``), so ``--q``/``--r2`` add the
``charge_radius``, ``millicharge`` and (both given) ``charge_radius_millicharge_cross`` terms,
of either sign. CEvNS is flavour blind at tree level:
``--flavour`` names whose (q, r2) they are, ``--anti`` changes nothing on a spin-0 nucleus.
"""

from __future__ import annotations

import json
import math

import click

from nuem import units as u
from nuem.cli.quantities import AREA, ENERGY
from nuem.detectors.targets import Target
from nuem.errors import NuemInputError
from nuem.xsec import electron, nuclear
from nuem.xsec.atomic import MODELS, PhotonAbsorber, atomic_model
from nuem.xsec.hypothesis import COUPLING_UNITS, EMHypothesis

PER_KEV = u.cm2 / u.keV


def _check_mu(mu: float) -> float:
    if not (math.isfinite(mu) and mu >= 0):
        raise NuemInputError(f"--mu = {mu!r} mu_B is not allowed; it must be finite and >= 0")
    return mu * u.mu_B


def _check_finite(name: str, x: float) -> float:
    if not math.isfinite(x):
        raise NuemInputError(f"{name} = {x!r} is not allowed; it must be finite")
    return x


@click.command("xsec")
@click.option(
    "--target",
    required=True,
    help="'electron', an element (Xe, Ar, Ge, ...) or a compound (CsI, NaI, C9H12): per nucleus "
    "or per formula unit.",
)
@click.option("--flavour", default="e", show_default=True, help="Neutrino flavour: e, mu, tau.")
@click.option("--anti", is_flag=True, help="Antineutrino.")
@click.option("--E", "E", type=ENERGY, required=True, help="Neutrino energy, e.g. 1MeV.")
@click.option("--T", "T", type=ENERGY, required=True, help="Recoil kinetic energy, e.g. 5keV.")
@click.option("--mu", type=float, default=0.0, help="Magnetic/transition moment [mu_B].")
@click.option("--M", "M", type=ENERGY, default=0.0, help="Mass of N for dipole upscattering.")
@click.option(
    "--q", type=float, default=0.0, help="Millicharge [e], any sign (electron or nuclear target)."
)
@click.option(
    "--r2", type=AREA, default=0.0, help="Charge radius <r^2>, any sign, e.g. 1e-32 [cm2]."
)
@click.option(
    "--atomic",
    type=click.Choice(list(MODELS)),
    default=None,
    help="Electron binding model; with --element the result is per atom (photoabsorption adds "
    "the millicharge's distant collisions as millicharge_distant).",
)
@click.option(
    "--element",
    default=None,
    help="Atom or compound for --atomic (Xe, Ar, Ge, CsI): per atom or formula unit.",
)
@click.option(
    "--form-factor",
    default="helm",
    show_default=True,
    help="Nuclear form factor: helm, klein-nystrand (or klein_nystrand) or none.",
)
@click.option("--sin2w", type=float, default=None, help="Override sin^2 theta_W.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(
    target, flavour, anti, E, T, mu, M, q, r2, atomic, element, form_factor, sin2w, as_json
) -> None:
    """dsigma/dT [cm^2/keV] for nu(E) + target -> nu/N + target(T), with each term shown."""
    hyp = EMHypothesis(
        mu=_check_mu(mu), M=M, q=_check_finite("--q", q), r2=_check_finite("--r2", r2)
    )
    if target.lower() == "electron":
        terms = electron.terms(E, T, flavour, hyp, anti=anti, sin2w=sin2w)
        per = "free electron"
        if atomic is not None or element is not None:
            if element is None:
                raise NuemInputError("--atomic needs --element (Xe, Ar, Ge, or a formula: CsI)")
            material = Target.from_formula(element)
            n_el = sum(
                n * float(atomic_model(atomic or "free", sym).electrons(T))
                for sym, n in material.composition
            )
            terms = {k: v * n_el for k, v in terms.items()}
            q = hyp.q_of(flavour) / COUPLING_UNITS["q"]
            models = [(n, atomic_model(atomic or "free", sym)) for sym, n in material.composition]
            if q != 0.0 and any(isinstance(m, PhotonAbsorber) for _, m in models):
                terms["millicharge_distant"] = sum(
                    n * m.millicharge_distant(E, T, q)
                    for n, m in models
                    if isinstance(m, PhotonAbsorber)
                )
            single = len(material.composition) == 1 and material.composition[0][1] == 1
            unit = "atom" if single else "formula unit"
            per = f"{element} {unit} ({atomic or 'free'} binding)"
    else:
        material = Target.from_formula(target)
        if atomic is not None or element is not None:
            raise NuemInputError("--atomic/--element apply to --target electron only")
        if flavour not in ("e", "mu", "tau"):
            raise NuemInputError(f"--flavour = {flavour!r}; allowed: e, mu, tau")
        terms = {}
        for sym, n in material.composition:  # a compound: the sum over its nuclei
            one = nuclear.nuclear_terms(E, T, sym, hyp, form_factor=form_factor, sin2w=sin2w)
            for k, v in one.items():
                terms[k] = terms.get(k, 0.0) + n * v
        if len(material.composition) == 1 and material.composition[0][1] == 1:
            per = f"{material.composition[0][0]} nucleus (natural abundance)"
        else:
            per = f"{target} formula unit (natural abundances: " + ", ".join(
                f"{n:g} {sym}" for sym, n in material.composition
            ) + ")"
    terms = {k: float(v) / PER_KEV for k, v in terms.items()}
    total = sum(terms.values())
    if as_json:
        click.echo(json.dumps({"dsigma_dT_cm2_per_keV": total, "terms": terms, "per": per}))
        return
    click.echo(f"dsigma/dT per {per} at E = {E / u.MeV:g} MeV, T = {T / u.keV:g} keV")
    for k, v in terms.items():
        click.echo(f"  {k:<32s} {v: .6e} cm^2/keV")
    click.echo(f"  {'total':<32s} {total: .6e} cm^2/keV")
