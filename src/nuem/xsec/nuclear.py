"""Neutrino-nucleus cross sections dsigma/dT per nucleus of a natural element.

Every function returns the abundance-weighted average over the element's isotopes
(:mod:`nuem.xsec.nuclei`), each isotope with its own nuclear mass m_A, kinematics and form factor
(argument q = sqrt(2 m_A T)). Results are areas per recoil energy in the hepunits system (read
them with ``/(cm2/keV)``); E (neutrino energy), T (nuclear recoil kinetic energy) and M (mass of
the heavy neutral lepton) broadcast. Points outside the kinematic range
(:func:`nuem.xsec.kinematics.is_allowed` with the isotope's mass; T = 0 included) are exactly 0.
The nucleus is treated as a coherent spin-0 target (vector current Z F(q) or Q_W F(q)); the
same form factor is used for the weak and the electromagnetic charge distribution.

Formulas (natural units, per isotope):

- CEvNS (Freedman, PRD 9 (1974) 1389; COHERENT, Science 357 (2017) 1123):
  dsigma/dT = (G_F^2 m_A / 4 pi) Q_W^2 (1 - m_A T/(2 E^2) - T/E) F^2(q),
  Q_W = N - (1 - 4 s_W^2) Z. This is the exact tree-level result for a spin-0 nucleus. Papers
  writing (G_F^2 m_A/pi)(Q_W/2)^2 use the same normalisation; spin-1/2 formulas add T^2/(2E^2).
- Magnetic moment (transition or diagonal; helicity flip, adds incoherently), per (mu/mu_B)^2:
  dsigma/dT = (pi alpha^2/m_e^2) Z^2 F^2(q) (1/T - 1/E + T/(4 E^2)).
  The term T/(4E^2) is the exact spin-0 result (the M -> 0 limit of :func:`dipole`); the usual
  formula (PHYSICS.md §3; Giunti & Studenikin, RMP 87 (2015) 531) drops it. It is
  of relative size (T/2E)^2 <= (E/m_A)^2 (< 1e-7 for 30 MeV neutrinos on Xe).
- Dipole upscattering nu A -> N A via L ⊃ ½ mu nu_bar_L sigma^{rho sigma} N_R F_{rho sigma} + h.c.
  (derived here; docs/xsec_nuclear.md), per (mu/mu_B)^2:
  dsigma/dT = (pi alpha^2/m_e^2) Z^2 F^2(q)
              [2 m T (2E - T)^2 - M^2 T (4E + 2m - T) - M^4] / (8 m E^2 T^2),
  with m = m_A; it tends to the magnetic formula above as M -> 0.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import non_negative
from nuem.errors import NuemInputError
from nuem.xsec import form_factors as ff
from nuem.xsec.hypothesis import COUPLING_UNITS, EMHypothesis
from nuem.xsec.kinematics import is_allowed
from nuem.xsec.nuclei import Element, element

__all__ = [
    "weak_charge",
    "cevns",
    "magnetic",
    "dipole",
    "nuclear_terms",
    "nuclear_total",
]


def _sin2w(sin2w: float | None) -> float:
    return c.sin2_theta_w(sin2w)


def weak_charge(Z: ArrayLike, N: ArrayLike, sin2w: float | None = None) -> np.ndarray:
    """Tree-level weak charge Q_W = N - (1 - 4 sin^2 theta_W) Z (PHYSICS.md §3)."""
    s2 = _sin2w(sin2w)
    return np.asarray(N, dtype=float) - (1.0 - 4.0 * s2) * np.asarray(Z, dtype=float)


def _inputs(E: ArrayLike, T: ArrayLike, target, form_factor: str):
    E = non_negative("E", E, "MeV")
    T = non_negative("T", T, "MeV")
    return E, T, element(target), ff.get(form_factor)


def _per_isotope(el: Element, E, T, M, fform, kernel) -> np.ndarray:
    """Sum over isotopes of abundance * kernel(...) * F^2, zero outside the allowed region."""
    shape = np.broadcast_shapes(E.shape, T.shape, np.shape(M))
    total = np.zeros(shape)
    for iso in el.isotopes:
        m = iso.mass
        ok = is_allowed(E, T, m, M)
        if not ok.any():
            continue
        Es = np.where(ok, E, 1.0)
        Ts = np.where(ok, T, 1.0)
        F = fform(np.sqrt(2.0 * m * Ts), iso.A)
        val = kernel(iso, m, Es, Ts) * F * F
        total += iso.abundance * np.where(ok, np.maximum(val, 0.0), 0.0)
    return total


def cevns(
    E: ArrayLike,
    T: ArrayLike,
    target: str | Element,
    form_factor: str = "helm",
    sin2w: float | None = None,
) -> np.ndarray:
    """CEvNS dsigma/dT per nucleus [area/energy] (module docstring; Freedman 1974).

    E: neutrino energy, T: nuclear recoil [MeV]; target: element symbol; form_factor: "helm",
    "klein_nystrand" or "none"; sin2w: sin^2 theta_W (default :func:`nuem.constants.sin2_theta_w`).
    """
    E, T, el, fform = _inputs(E, T, target, form_factor)
    s2 = _sin2w(sin2w)
    gf2 = c.G_F.value**2

    def kernel(iso, m, Es, Ts):
        qw = iso.N - (1.0 - 4.0 * s2) * iso.Z
        return gf2 * m / (4.0 * math.pi) * qw * qw * (1.0 - m * Ts / (2.0 * Es * Es) - Ts / Es)

    return _per_isotope(el, E, T, 0.0, fform, kernel) * u.natural_to_area


def _em_prefactor() -> float:
    # (pi alpha^2 / m_e^2) = alpha * mu_B^2 in natural units [MeV^-2]
    return math.pi * c.alpha.value**2 / c.m_e.value**2


def magnetic(
    E: ArrayLike, T: ArrayLike, target: str | Element, form_factor: str = "helm"
) -> np.ndarray:
    """Magnetic-moment dsigma/dT per nucleus per (mu/mu_B)^2 [area/energy], exact for spin 0.

    (pi alpha^2/m_e^2) Z^2 F^2 (1/T - 1/E + T/(4 E^2)); see the module docstring.
    """
    E, T, el, fform = _inputs(E, T, target, form_factor)
    pre = _em_prefactor()

    def kernel(iso, m, Es, Ts):
        return pre * iso.Z**2 * (1.0 / Ts - 1.0 / Es + Ts / (4.0 * Es * Es))

    return _per_isotope(el, E, T, 0.0, fform, kernel) * u.natural_to_area


def dipole(
    E: ArrayLike,
    T: ArrayLike,
    M: ArrayLike,
    target: str | Element,
    form_factor: str = "helm",
) -> np.ndarray:
    """Coherent dipole upscattering nu A -> N A, dsigma/dT per (mu/mu_B)^2 [area/energy].

    Exact in M for a spin-0 nucleus of charge Z F(q) (derivation in docs/xsec_nuclear.md):
    (pi alpha^2/m_e^2) Z^2 F^2 [2 m T (2E-T)^2 - M^2 T (4E + 2m - T) - M^4] / (8 m E^2 T^2).
    M [MeV] is the mass of N; M = 0 gives :func:`magnetic`.
    """
    E, T, el, fform = _inputs(E, T, target, form_factor)
    M = non_negative("M", M, "MeV")
    pre = _em_prefactor()
    M2 = M * M

    def kernel(iso, m, Es, Ts):
        # numerator / T, so that T^2 never underflows; M^4/T is bounded since T >= T_min
        num_t = 2.0 * m * (2.0 * Es - Ts) ** 2 - M2 * (4.0 * Es + 2.0 * m - Ts) - M2 * M2 / Ts
        return pre * iso.Z**2 * num_t / (8.0 * m * Es * Es * Ts)

    return _per_isotope(el, E, T, M, fform, kernel) * u.natural_to_area


def nuclear_terms(
    E: ArrayLike,
    T: ArrayLike,
    target: str | Element,
    hypothesis: EMHypothesis,
    form_factor: str = "helm",
    sin2w: float | None = None,
) -> dict[str, np.ndarray]:
    """The cross-section terms on nuclei at the couplings of ``hypothesis`` [area/energy].

    Keys: ``"weak"`` (CEvNS) and ``"magnetic"`` (if hypothesis.M == 0) or ``"dipole"`` (M > 0),
    the latter already multiplied by (mu/mu_B)^2. The terms add incoherently (helicity flip).
    A millicharge or charge radius is not implemented for nuclei and raises NuemInputError.
    """
    if not isinstance(hypothesis, EMHypothesis):
        raise NuemInputError(f"hypothesis = {hypothesis!r} is not an EMHypothesis")
    if hypothesis.q != 0.0 or hypothesis.r2 != 0.0:
        raise NuemInputError(
            f"hypothesis has q = {hypothesis.q!r}, r2 = {hypothesis.r2!r}; millicharge and charge "
            "radius are not implemented for nuclear targets (allowed: q = 0, r2 = 0)"
        )
    out = {"weak": cevns(E, T, target, form_factor=form_factor, sin2w=sin2w)}
    mu2 = (hypothesis.mu / COUPLING_UNITS["mu"]) ** 2
    if hypothesis.M == 0.0:
        out["magnetic"] = mu2 * magnetic(E, T, target, form_factor=form_factor)
    else:
        out["dipole"] = mu2 * dipole(E, T, hypothesis.M, target, form_factor=form_factor)
    return out


def nuclear_total(
    E: ArrayLike,
    T: ArrayLike,
    target: str | Element,
    hypothesis: EMHypothesis,
    form_factor: str = "helm",
    sin2w: float | None = None,
) -> np.ndarray:
    """Sum of :func:`nuclear_terms` [area/energy]."""
    terms = nuclear_terms(E, T, target, hypothesis, form_factor=form_factor, sin2w=sin2w)
    return sum(terms.values())
