"""Background tables of the Jinping projection cards (src/nuem/experiments/projections/).

Run: ``PYTHONPATH=src python examples/projections/make_jinping_tables.py`` (rewrites the CSVs
and prints their sha256 for the cards). Every number is stated in the cards' assumptions.

- 14C (allowed beta, Q = 156.476 keV, t1/2 = 5700 yr) and 85Kr (unique first-forbidden beta,
  shape factor p^2 + q^2, Q = 687.0 keV) in the Jinping LAB scintillator: dN/dT proportional to
  F(Z, E) p E (Q - T)^2 S(T), with the non-relativistic Fermi function
  F = 2 pi eta / (1 - exp(-2 pi eta)), eta = alpha Z E / p (daughter Z: 7 for 14N, 37 for 85Rb);
  normalised to the activity (14C/12C = 2.7e-18, 85Kr 6.8 decays/(day 100 t), both Borexino's
  measured levels), smeared with the cards' resolution sigma = 1.581 sqrt(E/keV) keV
  (5%/sqrt(E/MeV)) and tabulated per t yr keV of reconstructed energy;
- the SM solar-neutrino electron recoils for the 51Cr card (whose source is the 51Cr line
  source), computed by nuem from the jinping_solar_er card (B16-GS98, MSW, free electrons),
  smeared the same way.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np

from nuem import units as u
from nuem.constants import alpha
from nuem.detectors.resolution import make_resolution, response_matrix
from nuem.detectors.targets import Target, tonne
from nuem.experiments import load_card
from nuem.rates.experiment import experiment_templates

OUT = Path(__file__).resolve().parents[2] / "src/nuem/experiments/projections"
ME = 510.99895  # keV, CODATA 2018
YEAR_S = 365.25 * 86400.0
SIGMA = make_resolution("sqrt_linear", {"a": 1.581, "b": 0.0})
EDGES = np.arange(100.0, 1205.0, 5.0)  # reconstructed keV, the tables' grid
T = np.linspace(0.05, 1300.0, 26000)  # true keV
W = np.gradient(T)


def beta_shape(Q: float, Z: int, unique_first_forbidden: bool = False) -> np.ndarray:
    """dN/dT on T (unnormalised) for a beta- decay of endpoint Q [keV] to a daughter of charge Z."""
    t = np.clip(T, 0.0, Q)
    E = t + ME
    p = np.sqrt(E * E - ME * ME)
    eta = alpha.value * Z * E / np.maximum(p, 1e-12)
    fermi = 2 * math.pi * eta / (-np.expm1(-2 * math.pi * eta))
    q = Q - t
    s = p * p + q * q if unique_first_forbidden else 1.0
    return np.where(T < Q, fermi * p * E * q * q * s, 0.0)


def smeared_density(rate_per_tyr: float, shape: np.ndarray) -> np.ndarray:
    """Counts per t yr keV in the reconstructed bins EDGES, total ``rate_per_tyr`` before
    smearing (the part below EDGES[0] is what the table leaves out)."""
    dn = shape / np.sum(shape * W) * rate_per_tyr
    R = response_matrix(T * u.keV, EDGES * u.keV, SIGMA)
    return (R @ (W * dn)) / np.diff(EDGES)


def write(name: str, density: np.ndarray) -> None:
    rows = ["e_low,e_high,density"]
    rows += [f"{a:g},{b:g},{d:.6e}" for a, b, d in zip(EDGES[:-1], EDGES[1:], density, strict=True)]
    path = OUT / name
    path.write_text("\n".join(rows) + "\n")
    print(name, hashlib.sha256(path.read_bytes()).hexdigest())


def main() -> None:
    lab = Target.from_formula("C18H30")
    carbon_per_tonne = 18 * lab.formula_units_per_tonne
    c14_rate = 2.7e-18 * carbon_per_tonne * math.log(2) / 5700.0  # decays per t yr
    kr85_rate = 6.8 / 100.0 * 365.25  # decays per t yr
    print(f"14C {c14_rate:.4g} /(t yr), 85Kr {kr85_rate:.4g} /(t yr)")
    write("jinping_c14.csv", smeared_density(c14_rate, beta_shape(156.476, 7)))
    write("jinping_kr85.csv", smeared_density(kr85_rate, beta_shape(687.0, 37, True)))
    solar = load_card("jinping_solar_er")
    sm = experiment_templates(solar, EDGES * u.keV).sm
    write("jinping_solar_nu.csv", sm / (solar.exposure / (tonne * u.year)) / np.diff(EDGES))


if __name__ == "__main__":
    main()
