"""Spin-flavour precession of solar neutrinos and bounds on mu*B from the solar nubar_e flux.

With LMA oscillations, nu_eL -> nubar_eR conversion by a transition moment mu_12 in the solar
core field is (Akhmedov & Pulido, PLB 553 (2003) 7, hep-ph/0209192)

    P(nu_eL -> nubar_eR) ~ 1.8e-10 sin^2 2theta12 [(mu_12/1e-12 mu_B) (B_perp(0.05 R_sun)/10 kG)]^2,

energy independent in the LMA region. A published upper limit on the solar nubar_e flux,
expressed as a fraction of the 8B nu_e flux (= this probability), therefore bounds mu_12 B_perp.
Limits catalogued in :data:`SOLAR_ANTINEUTRINO_LIMITS` (all 90% CL, undistorted 8B shape).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import nufit
from nuem import units as u
from nuem._validate import choice, in_range, non_negative, positive

#: Akhmedov-Pulido coefficient and reference values.
SFP_COEFFICIENT = 1.8e-10
SFP_MU_REF = 1e-12 * u.mu_B
SFP_B_REF = 10.0 * u.kilogauss
SFP_RADIUS = 0.05  # in units of R_sun: where B_perp is evaluated


@dataclass(frozen=True)
class AntineutrinoFluxLimit:
    """Upper limit on the solar nu_e -> nubar_e conversion probability (fraction of 8B flux)."""

    name: str
    probability: float
    cl: float
    energy_range: str
    reference: str


SOLAR_ANTINEUTRINO_LIMITS = {
    "Borexino2021": AntineutrinoFluxLimit(
        "Borexino 2021",
        7.2e-5,
        0.90,
        "E > 1.8 MeV",
        "Borexino, Astropart. Phys. 125 (2021) 102509, arXiv:1909.02422 (abstract)",
    ),
    "KamLAND2012": AntineutrinoFluxLimit(
        "KamLAND 2012",
        5.3e-5,
        0.90,
        "8.3 < E < 31.8 MeV",
        "KamLAND, ApJ 745 (2012) 193, arXiv:1105.3516 (abstract)",
    ),
    "KamLAND2004": AntineutrinoFluxLimit(
        "KamLAND 2004",
        2.8e-4,
        0.90,
        "8.3 < E < 14.8 MeV",
        "KamLAND, PRL 92 (2004) 071301, hep-ex/0310047",
    ),
}


def _sin2_2theta12(sin2_2theta12: ArrayLike | None) -> np.ndarray:
    if sin2_2theta12 is None:
        s = nufit.parameters("normal").sin2_theta12
        return np.asarray(4.0 * s * (1.0 - s))
    return in_range("sin2_2theta12", sin2_2theta12, 0.0, 1.0)


def sfp_probability(
    mu12: ArrayLike, B_perp: ArrayLike, sin2_2theta12: ArrayLike | None = None
) -> np.ndarray:
    """P(nu_eL -> nubar_eR) for transition moment ``mu12`` and field ``B_perp`` at 0.05 R_sun.

    ``mu12`` in hepunits (``1e-12*u.mu_B``), ``B_perp`` in hepunits (``1e4*u.kilogauss``);
    ``sin2_2theta12`` defaults to NuFIT 6.0. Valid while P << 1 (perturbative).
    """
    mu = non_negative("mu12", mu12, "(hepunits)")
    B = non_negative("B_perp", B_perp, "(hepunits)")
    s = _sin2_2theta12(sin2_2theta12)
    return SFP_COEFFICIENT * s * ((mu / SFP_MU_REF) * (B / SFP_B_REF)) ** 2


def mu_B_bound(probability_limit: ArrayLike, sin2_2theta12: ArrayLike | None = None) -> np.ndarray:
    """Upper bound on mu12 * B_perp(0.05 R_sun) [hepunits energy] from P(nu_e -> nubar_e) < limit.

    Inverse of :func:`sfp_probability`; read ``x / (u.mu_B * u.kilogauss)`` for mu_B kG.
    """
    p = in_range("probability_limit", probability_limit, 0.0, 1.0)
    s = _sin2_2theta12(sin2_2theta12)
    s = positive("sin2_2theta12", s)
    return np.sqrt(p / (SFP_COEFFICIENT * s)) * SFP_MU_REF * SFP_B_REF


def mu_bound(
    probability_limit: ArrayLike, B_perp: ArrayLike, sin2_2theta12: ArrayLike | None = None
) -> np.ndarray:
    """Upper bound on mu12 [hepunits] for an assumed field ``B_perp`` at 0.05 R_sun."""
    B = positive("B_perp", B_perp, "(hepunits)")
    return mu_B_bound(probability_limit, sin2_2theta12) / B


def mu_B_bound_from(experiment: str = "Borexino2021", sin2_2theta12: ArrayLike | None = None):
    """(bound on mu12 * B_perp [hepunits energy], the limit used) for a catalogued experiment."""
    key = choice("experiment", experiment, SOLAR_ANTINEUTRINO_LIMITS)
    lim = SOLAR_ANTINEUTRINO_LIMITS[key]
    return mu_B_bound(lim.probability, sin2_2theta12), lim
