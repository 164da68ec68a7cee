"""Background tables of the Jinping projection cards (src/nuem/experiments/projections/).

Run: ``PYTHONPATH=src python examples/projections/make_jinping_tables.py`` (rewrites the CSVs
and prints their sha256 for the cards). Every number is stated in the cards' assumptions.

The background model is the Jinping letter of intent's (arXiv:1602.01733) as implemented in the
Jinping collaboration's public solar-neutrino code, github.com/thuxwr/SolarNu (W. Xu, 2018;
``Experiment/Jinping/Simulation/MonteCarlo.C``: "Do Monte-Carlo simulation for 2kt fiducial
mass", rates per day per 100 t; ``Experiment/Jinping/Sensitivity/Flux/FitFlux.C``: "The same as
in LOI"; decay data ``Background/Beta/data/beta/*.txt``; light yield ``Detector/FastSim.C``):

- 14C: 3.46e6 decays/(day 100 t) (= 40 Bq/100 t); allowed, Q = 156.475 keV, daughter Z = 7;
- 85Kr: 1 decay/(day 100 t); 99.566% unique first forbidden (shape factor p^2 + q^2) with
  Q = 687.401 keV, 0.434% allowed with Q = 173.401 keV followed by a 514.007 keV gamma (taken as
  fully absorbed in the same event), daughter Z = 37;
- 210Bi: 25 decays/(day 100 t); Q = 1161.501 keV, first forbidden non-unique, given the allowed
  shape as that code does (no shape correction for a non-unique first-forbidden decay), daughter
  Z = 84;
- resolution 500 photoelectrons/MeV: sigma = sqrt(E / 500 MeV^-1), i.e. sigma = 1.4142
  sqrt(E/keV) keV (FastSim mode 2, the mode MonteCarlo.C uses).

The other components of that model (11C 0.15, 10C 0.0031, 208Tl 0.084, 11Be 0.00016 per day
per 100 t, external 208Tl) lie above the cards' windows (positron annihilation, MeV gammas) or
are below 1e-5 of the total in it, and are left out. Beta spectra: dN/dT proportional to
F(Z, E) p E (Q - T)^2 S(T), with the non-relativistic Fermi function
F = 2 pi eta / (1 - exp(-2 pi eta)), eta = alpha Z E / p; tabulated per t yr keV of
reconstructed energy after smearing. The SM solar-neutrino electron recoils for the 51Cr card
(whose source is the 51Cr line source) are nuem's, from the jinping_solar_er card (B16-GS98,
MSW, free electrons), smeared the same way.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np

from nuem import units as u
from nuem.constants import alpha
from nuem.detectors.resolution import make_resolution, response_matrix
from nuem.detectors.targets import tonne
from nuem.experiments import load_card
from nuem.rates.experiment import experiment_templates

OUT = Path(__file__).resolve().parents[2] / "src/nuem/experiments/projections"
ME = 510.99895  # keV, CODATA 2018
PER_DAY_100T = 365.25 / 100.0  # decays/(day 100 t) -> decays/(t yr)
SIGMA = make_resolution("sqrt_linear", {"a": math.sqrt(2.0), "b": 0.0})  # 500 p.e./MeV
EDGES = np.arange(100.0, 1205.0, 5.0)  # reconstructed keV, the tables' grid
T = np.linspace(0.05, 1300.0, 26000)  # true keV
W = np.gradient(T)


def beta_shape(Q: float, Z: int, unique_first_forbidden: bool = False) -> np.ndarray:
    """dN/dT on T, normalised to 1, for a beta- decay of endpoint Q [keV] to a daughter of
    charge Z."""
    t = np.clip(T, 0.0, Q)
    E = t + ME
    p = np.sqrt(E * E - ME * ME)
    eta = alpha.value * Z * E / np.maximum(p, 1e-12)
    fermi = 2 * math.pi * eta / (-np.expm1(-2 * math.pi * eta))
    q = Q - t
    s = p * p + q * q if unique_first_forbidden else 1.0
    dn = np.where(T < Q, fermi * p * E * q * q * s, 0.0)
    return dn / np.sum(dn * W)


def shifted(shape: np.ndarray, by: float) -> np.ndarray:
    """A spectrum on T moved up by ``by`` keV (a gamma absorbed with the beta)."""
    return np.interp(T - by, T, shape, left=0.0, right=0.0)


def smeared_density(rate_per_tyr: float, shape: np.ndarray) -> np.ndarray:
    """Counts per t yr keV in the reconstructed bins EDGES of ``rate_per_tyr`` decays of the
    normalised true spectrum ``shape`` (the part below EDGES[0] is what the table leaves out)."""
    R = response_matrix(T * u.keV, EDGES * u.keV, SIGMA)
    return (R @ (W * shape * rate_per_tyr)) / np.diff(EDGES)


def write(name: str, density: np.ndarray) -> None:
    rows = ["e_low,e_high,density"]
    rows += [f"{a:g},{b:g},{d:.6e}" for a, b, d in zip(EDGES[:-1], EDGES[1:], density, strict=True)]
    path = OUT / name
    path.write_text("\n".join(rows) + "\n")
    print(name, hashlib.sha256(path.read_bytes()).hexdigest())


def main() -> None:
    c14 = 3.46e6 * PER_DAY_100T
    kr85 = 1.0 * PER_DAY_100T
    bi210 = 25.0 * PER_DAY_100T
    print(f"14C {c14:.4g}, 85Kr {kr85:.4g}, 210Bi {bi210:.4g} decays/(t yr)")
    write("jinping_c14.csv", smeared_density(c14, beta_shape(156.475, 7)))
    kr_shape = 0.99566 * beta_shape(687.401, 37, True)
    kr_shape += 0.00434 * shifted(beta_shape(173.401, 37), 514.007)
    write("jinping_kr85.csv", smeared_density(kr85, kr_shape))
    write("jinping_bi210.csv", smeared_density(bi210, beta_shape(1161.501, 84)))
    solar = load_card("jinping_solar_er")
    sm = experiment_templates(solar, EDGES * u.keV).sm
    write("jinping_solar_nu.csv", sm / (solar.exposure / (tonne * u.year)) / np.diff(EDGES))


if __name__ == "__main__":
    main()
