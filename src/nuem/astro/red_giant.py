"""The red-giant bound on a neutrino magnetic moment as a function of the N mass.

The published bound mu_0 holds for massless final states (M -> 0). With a massive N the plasmon
decay gamma* -> nu N is cut by the phase space S(M^2/K^2) (:mod:`nuem.astro.plasmon`); the extra
energy loss at fixed mu scales by r(M) = Q_mu(M)/Q_mu(0) at the core conditions, so the bound on
mu scales as mu(M) = mu_0/sqrt(r(M)) (Brdar, Greljo, Kopp & Opferkuch, arXiv:2007.15563 §3.1;
PHYSICS.md §7). Above the largest plasmon mass, sqrt(K^2) <= omega_inf ~ omega_P, nothing is
excluded. Only plasmon decay is included (not gamma e -> nu N e).

Core conditions just before the helium flash (Raffelt 1996 §2.2; PHYSICS.md §7): rho = 1e6 g/cm^3,
T = 1e8 K, helium (Y_e = 0.5): omega_P = 18.0 keV.

Density-dependent N mass ("neutrino trapping mechanism", Jana; Brdar et al.'s chameleon remark):
give ``medium_mass``, the N mass inside the core, and the phase space uses it instead of M.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice, non_negative
from nuem.astro.plasma import Plasma
from nuem.astro.plasmon import energy_loss_moment


@dataclass(frozen=True)
class PublishedBound:
    """A published M -> 0 red-giant bound: mu_0 [mu_B], CL and source."""

    mu_muB: float
    cl: float
    source: str


PUBLISHED: dict[str, PublishedBound] = {
    "capozzi-raffelt-2020": PublishedBound(
        1.5e-12, 0.95, "Capozzi & Raffelt, PRD 102 (2020) 083007, arXiv:2007.03694 (NGC 4258)"
    ),
    "capozzi-raffelt-2020-omega-cen": PublishedBound(
        1.2e-12, 0.95, "Capozzi & Raffelt, arXiv:2007.03694 (omega Centauri)"
    ),
    "viaux-2013": PublishedBound(
        4.5e-12, 0.95, "Viaux et al., A&A 558 (2013) A12, arXiv:1308.4627 (M5)"
    ),
}

CORE_DENSITY = 1e6 * u.g / u.cm3
CORE_TEMPERATURE = 1e8 * u.kelvin * u.k_Boltzmann
CORE_COMPOSITION = "He"


def core_plasma(
    density: float = CORE_DENSITY,
    temperature: float = CORE_TEMPERATURE,
    composition: str | Mapping[str, float] | float = CORE_COMPOSITION,
) -> Plasma:
    """The red-giant core plasma (defaults: 1e6 g/cm^3, 1e8 K, helium)."""
    return Plasma.from_conditions(density, temperature, composition)


def energy_loss_ratio(
    M: ArrayLike, plasma: Plasma | None = None, medium_mass: ArrayLike | None = None
) -> np.ndarray:
    """r(M) = Q_mu(M)/Q_mu(0) (dimensionless) at the core conditions; M [MeV] broadcasts.

    ``medium_mass`` [MeV]: the N mass inside the star (replaces M in the phase space)."""
    M = non_negative("M", M, "MeV")
    m_in = M if medium_mass is None else np.broadcast_to(
        non_negative("medium_mass", medium_mass, "MeV"), M.shape
    )
    plasma = plasma or core_plasma()
    ref = energy_loss_moment(plasma, u.mu_B, 0.0)
    return energy_loss_moment(plasma, u.mu_B, m_in) / ref


def red_giant_bound(
    M: ArrayLike,
    published: str = "capozzi-raffelt-2020",
    plasma: Plasma | None = None,
    medium_mass: ArrayLike | None = None,
) -> np.ndarray:
    """Upper bound on mu [hepunits] vs N mass M [MeV]; +inf where nothing is excluded.

    mu(M) = mu_0/sqrt(r(M)) with mu_0 from :data:`PUBLISHED` (key ``published``) and r from
    :func:`energy_loss_ratio`. The CL is that of the published bound."""
    ref = PUBLISHED[choice("published", published, PUBLISHED)]
    r = energy_loss_ratio(M, plasma, medium_mass)
    with np.errstate(divide="ignore"):
        return np.where(r > 0, ref.mu_muB * u.mu_B / np.sqrt(np.where(r > 0, r, 1.0)), np.inf)
