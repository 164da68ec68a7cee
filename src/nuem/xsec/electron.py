"""Free-electron cross sections dsigma/dT for nu(E) + e(at rest) -> nu/N + e(T).

Every function returns dsigma/dT *per free electron* as an area per recoil energy in the hepunits
system (natural-units formula x ``units.natural_to_area``); read it with ``/(cm2/keV)``. Inputs
broadcast over arrays (E, T, M in MeV = 1); a kinematically forbidden point
(``kinematics.is_allowed`` false: T = 0, T outside [T_min, T_max], E below the N threshold) gives
exactly 0; negative or NaN inputs and unknown flavours raise :class:`nuem.errors.NuemInputError`.

Channels (docs/xsec_electron.md has the derivations and conventions):

- ``weak``: SM nu_l e and nubar_l e, Vogel & Engel, PRD 39 (1989) 3378, eq. (A1)-type formula
  dsigma/dT = (G_F^2 m/2pi)[(gV+gA)^2 + (gV-gA)^2 (1-T/E)^2 - (gV^2-gA^2) m T/E^2],
  gV = -1/2 + 2 s_W^2, gA = -1/2 (+1 to both for nu_e from the CC diagram), gA -> -gA for nubar.
- ``magnetic``: coefficient of (mu/mu_B)^2, (pi alpha^2/m^2)(1/T - 1/E).
- ``dipole``: coefficient of (mu/mu_B)^2 for nu e -> N e, exact in M (nuem's L ⊃ ½ mu nu̅_L σ N_R F);
  verified against an explicit Dirac-matrix evaluation (tests/dirac_amplitudes.py).
- ``charge_radius`` and ``millicharge``: (S1, S2) templates, the coefficients of the coupling
  and its square, from the photon-exchange shift of g_V (Giunti & Studenikin, RMP 87 (2015) 531,
  arXiv:1403.6344): g_V -> g_V + dV with
  dV(r2) = sqrt2 pi alpha <r^2>/(3 G_F)  [= (2/3) m_W^2 s_W^2 <r^2> at tree level],
  dV(q)  = -sqrt2 pi alpha q/(G_F m T).
  ``r2`` and ``q`` are always those of the *neutrino* nu_l; for ``anti=True`` the same dV is added
  to g_V in the antineutrino formula (gV + dV, -gA), i.e. the antineutrino's own charge and radius
  are -q and -<r^2>.
- ``total`` / ``terms``: everything at the couplings of an :class:`EMHypothesis`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import choice, non_negative
from nuem.errors import NuemInputError
from nuem.mixing import FLAVOURS as _FLAVOURS
from nuem.xsec.hypothesis import COUPLING_UNITS, EMHypothesis
from nuem.xsec.kinematics import is_allowed

__all__ = [
    "FLAVOURS",
    "couplings",
    "delta_gv_charge_radius",
    "delta_gv_millicharge",
    "weak",
    "magnetic",
    "dipole",
    "charge_radius",
    "millicharge",
    "total",
    "terms",
]

#: Neutrino flavours accepted by the weak and interference channels (nuem.mixing.FLAVOURS).
FLAVOURS = _FLAVOURS

_ME = c.m_e.value
_NAT = u.natural_to_area


# ------------------------------------------------------------------------------------- inputs


def _flavour(flavour: str) -> str:
    return choice("flavour", flavour, FLAVOURS)


def _sin2w(sin2w: float | None) -> float:
    return c.sin2_theta_w(sin2w)


def _anti(anti: bool) -> bool:
    if not isinstance(anti, bool | np.bool_):
        raise NuemInputError(f"anti = {anti!r} is not allowed; it must be True or False")
    return bool(anti)


def _kin(E: ArrayLike, T: ArrayLike, M: ArrayLike = 0.0):
    """Validated, broadcast (E, T, M), the allowed mask, and safe copies (E, T) for the algebra."""
    E = non_negative("E", E, "MeV")
    T = non_negative("T", T, "MeV")
    M = non_negative("M", M, "MeV")
    E, T, M = np.broadcast_arrays(E, T, M)
    ok = is_allowed(E, T, _ME, M)
    # Safe placeholders at forbidden points so no division by zero happens; masked out later.
    Es = np.where(ok, E, 1.0)
    Ts = np.where(ok, T, 0.5)
    return ok, Es, Ts, M


# ------------------------------------------------------------------------------------ couplings


def couplings(flavour: str, anti: bool = False, sin2w: float | None = None) -> tuple[float, float]:
    """Effective (g_V, g_A) of nu_l e (anti: nubar_l e) scattering at tree level.

    g_V = -1/2 + 2 s_W^2, g_A = -1/2 for nu_mu, nu_tau; the W-exchange diagram of nu_e e adds +1
    to both (after a Fierz rearrangement); antineutrinos flip g_A -> -g_A (Vogel & Engel 1989).
    s_W^2 defaults to :func:`nuem.constants.sin2_theta_w` (low-energy MS-bar value).
    """
    fl = _flavour(flavour)
    s2 = _sin2w(sin2w)
    gv = -0.5 + 2.0 * s2
    ga = -0.5
    if fl == "e":
        gv += 1.0
        ga += 1.0
    if _anti(anti):
        ga = -ga
    return gv, ga


#: dV per unit r2/cm^2: sqrt2 pi alpha/(3 G_F) * <r^2> with <r^2> in natural units (MeV^-2).
_DV_R2_PER_CM2 = math.sqrt(2.0) * math.pi * c.alpha.value / (3.0 * c.G_F.value) * (u.cm2 / _NAT)


def delta_gv_charge_radius(r2: ArrayLike) -> np.ndarray:
    """g_V shift from a neutrino charge radius ``r2`` (area, any sign): sqrt2 pi alpha r2/(3 G_F).

    Equal to (2/3) m_W^2 s_W^2 <r^2> of Giunti & Studenikin (arXiv:1403.6344) with the tree-level
    relation m_W^2 s_W^2 = pi alpha/(sqrt2 G_F); nuem uses the alpha/G_F form, which is what the
    photon exchange with F(q^2) = q^2 <r^2>/6 gives exactly (no m_W, no scheme for s_W^2).
    """
    r2 = np.asarray(r2, dtype=float)
    return _DV_R2_PER_CM2 * (r2 / u.cm2)


def delta_gv_millicharge(q: ArrayLike, T: ArrayLike) -> np.ndarray:
    """Shift of g_V from a neutrino millicharge ``q`` (units of e) at recoil T [MeV].

    dV = -sqrt2 pi alpha q/(G_F m_e T) (photon exchange, q^2 = -2 m_e T; Giunti & Studenikin).
    """
    T = np.asarray(T, dtype=float)
    with np.errstate(divide="ignore"):
        return (
            -math.sqrt(2.0)
            * math.pi
            * c.alpha.value
            * np.asarray(q, float)
            / (c.G_F.value * _ME * T)
        )


# ---------------------------------------------------------------------------- Vogel-Engel core


def _ve_geometry(E: np.ndarray, T: np.ndarray):
    """Kinematic factors of the Vogel-Engel bracket at allowed (E, T).

    With y = 1 - T/E and r = m T/E^2 the bracket is, for a = gV + gA, b = gV - gA,
        B = a^2 + b^2 y^2 - a b r = (a - b r/2)^2 + b^2 h,   h = (y - r/2)(y + r/2) >= 0,
    manifestly non-negative: y - r/2 = (2E^2 - T(2E + m))/(2E^2) vanishes exactly at T_max.
    """
    y = 1.0 - T / E
    r = _ME * T / E**2
    ymh = np.maximum((2.0 * E**2 - T * (2.0 * E + _ME)) / (2.0 * E**2), 0.0)
    h = ymh * (y + 0.5 * r)
    return r, h


def _ve_poly(a: float, b: float, r: np.ndarray, h: np.ndarray):
    """(B0, B1, B2): the bracket at g_V -> g_V + d is B0 + d B1 + d^2 B2 (all exact)."""
    p = a - 0.5 * b * r
    one = 1.0 - 0.5 * r
    B0 = p**2 + b**2 * h
    B1 = 2.0 * (p * one + b * h)
    B2 = one**2 + h
    return B0, B1, B2


def _ab(flavour: str, anti: bool, sin2w: float | None) -> tuple[float, float]:
    gv, ga = couplings(flavour, anti, sin2w)
    return gv + ga, gv - ga


def _k_weak() -> float:
    """G_F^2 m_e/(2 pi) as an area per energy."""
    return c.G_F.value**2 * _ME / (2.0 * math.pi) * _NAT


# --------------------------------------------------------------------------------- channels


def weak(
    E: ArrayLike,
    T: ArrayLike,
    flavour: str,
    anti: bool = False,
    sin2w: float | None = None,
) -> np.ndarray:
    """SM dsigma/dT of nu_l e (``anti``: nubar_l e) per electron [area/energy].

    Vogel & Engel, PRD 39 (1989) 3378: (G_F^2 m_e/2pi)[(gV+gA)^2 + (gV-gA)^2(1-T/E)^2
    - (gV^2-gA^2) m_e T/E^2] with :func:`couplings`. Tree level (no radiative corrections).
    """
    a, b = _ab(flavour, anti, sin2w)
    ok, Es, Ts, _ = _kin(E, T)
    r, h = _ve_geometry(Es, Ts)
    B0 = (a - 0.5 * b * r) ** 2 + b**2 * h
    return np.where(ok, _k_weak() * B0, 0.0)


def _dipole_bracket(E: np.ndarray, T: np.ndarray, M: np.ndarray) -> np.ndarray:
    """1/T - 1/E - M^2/(2ETm)(1 - T/(2E) + m/(2E)) + M^4 (T - m)/(8 E^2 T^2 m^2)  [MeV^-1]."""
    m = _ME
    M2 = M * M
    return (
        (1.0 / T - 1.0 / E)
        - M2 / (2.0 * E * T * m) * (1.0 - T / (2.0 * E) + m / (2.0 * E))
        + M2 * M2 * (T - m) / (8.0 * E**2 * T**2 * m**2)
    )


#: alpha mu_B^2 in natural units: alpha (e/2m)^2 = pi alpha^2/m^2  [MeV^-2].
_ALPHA_MUB2 = math.pi * c.alpha.value**2 / _ME**2


def dipole(E: ArrayLike, T: ArrayLike, M: ArrayLike) -> np.ndarray:
    """dsigma/dT of nu e -> N e per (mu/mu_B)^2 [area/energy], exact in the N mass M.

    alpha mu^2 [1/T - 1/E - (M^2/(2 E T m))(1 - T/(2E) + m/(2E)) + M^4 (T - m)/(8 E^2 T^2 m^2)]
    for L ⊃ ½ mu nu̅_L σ^{ρσ} N_R F_{ρσ} + h.c. (mu = x e/(2 m), so alpha mu^2 = x^2 pi alpha^2/m^2).
    PHYSICS.md §1 (after Shoemaker, Tsai & Wyenberg arXiv:2007.05513; Brdar et al.
    arXiv:2007.15563), confirmed here by an analytic trace and a numerical Dirac-matrix
    evaluation. Identical for nubar -> Nbar. M = 0 gives :func:`magnetic`.
    """
    ok, Es, Ts, Mb = _kin(E, T, M)
    Ms = np.where(ok, Mb, 0.0)
    val = _ALPHA_MUB2 * _NAT * _dipole_bracket(Es, Ts, Ms)
    # Physically >= 0; near T_min at M << E the bracket is a cancellation of O(1/T) terms
    # (intrinsically ill-conditioned), so rounding may leave a -ulp residue: clip it.
    return np.where(ok, np.maximum(val, 0.0), 0.0)


def magnetic(E: ArrayLike, T: ArrayLike) -> np.ndarray:
    """dsigma/dT per (mu/mu_B)^2 [area/energy] of a neutrino magnetic moment (M = 0).

    (pi alpha^2/m_e^2)(1/T - 1/E) (Vogel & Engel 1989; Giunti & Studenikin RMP 2015); adds
    incoherently to the weak term (helicity flip). Same for nu and nubar.
    """
    return dipole(E, T, 0.0)


def charge_radius(
    E: ArrayLike,
    T: ArrayLike,
    flavour: str,
    anti: bool = False,
    sin2w: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(S1, S2) [area/energy]: dsigma/dT = weak + S1 (r2/cm^2) + S2 (r2/cm^2)^2.

    From the Vogel-Engel formula with g_V -> g_V + :func:`delta_gv_charge_radius` (r2 is the
    charge radius of the neutrino nu_l; for ``anti`` the same shift enters with g_A -> -g_A).
    S1 is the interference with the weak amplitude (any sign), S2 the pure photon term (>= 0).
    """
    a, b = _ab(flavour, anti, sin2w)
    ok, Es, Ts, _ = _kin(E, T)
    r, h = _ve_geometry(Es, Ts)
    _, B1, B2 = _ve_poly(a, b, r, h)
    k = _k_weak()
    d = _DV_R2_PER_CM2
    return np.where(ok, k * d * B1, 0.0), np.where(ok, k * d * d * B2, 0.0)


def millicharge(
    E: ArrayLike,
    T: ArrayLike,
    flavour: str,
    anti: bool = False,
    sin2w: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(S1, S2) [area/energy]: dsigma/dT = weak + S1 (q/e) + S2 (q/e)^2.

    S2 = (2 pi alpha^2/(m T^2))[1 - T/E + T^2/(2E^2) - m T/(2E^2)] (pure photon exchange; alpha
    squared), S1 = -(G_F alpha/(sqrt2 T)) x dB/dg_V, the interference from
    g_V -> g_V - sqrt2 pi alpha q/(G_F m T) (Giunti & Studenikin, arXiv:1403.6344). q is the
    charge of the neutrino nu_l; for ``anti`` the same shift enters with g_A -> -g_A.
    """
    a, b = _ab(flavour, anti, sin2w)
    ok, Es, Ts, _ = _kin(E, T)
    r, h = _ve_geometry(Es, Ts)
    _, B1, B2 = _ve_poly(a, b, r, h)
    alpha = c.alpha.value
    # K dV1 = G_F^2 m/(2pi) * (-sqrt2 pi alpha/(G_F m T)) = -G_F alpha/(sqrt2 T)
    s1 = -c.G_F.value * alpha / (math.sqrt(2.0) * Ts) * B1 * _NAT
    # K dV1^2 = pi alpha^2/(m T^2);  B2 = 2[1 - T/E + T^2/(2E^2) - m T/(2E^2)]
    s2 = math.pi * alpha**2 / (_ME * Ts**2) * B2 * _NAT
    return np.where(ok, s1, 0.0), np.where(ok, s2, 0.0)


# ------------------------------------------------------------------------------ hypothesis


def _check_hypothesis(hypothesis: EMHypothesis) -> EMHypothesis:
    if not isinstance(hypothesis, EMHypothesis):
        raise NuemInputError(
            f"hypothesis = {hypothesis!r} is not allowed; it must be an EMHypothesis"
        )
    return hypothesis


def terms(
    E: ArrayLike,
    T: ArrayLike,
    flavour: str,
    hypothesis: EMHypothesis,
    anti: bool = False,
    sin2w: float | None = None,
) -> dict[str, np.ndarray]:
    """Each contribution to dsigma/dT [area/energy] at the couplings of ``hypothesis``.

    Keys: ``"weak"`` (SM scattering of the incoming neutrino, M-independent); ``"magnetic"``
    (M == 0) or ``"dipole"`` (M > 0, the upscattering nu e -> N e); ``"charge_radius"`` and
    ``"millicharge"`` (interference + pure, each at its own coupling); and, when both q and r2
    are non-zero, ``"charge_radius_millicharge_cross"`` (2 dV_r dV_q of the squared g_V shift).
    Their sum equals :func:`total` up to float rounding.
    """
    hyp = _check_hypothesis(hypothesis)
    a, b = _ab(flavour, anti, sin2w)
    ok, Es, Ts, _ = _kin(E, T)
    r, h = _ve_geometry(Es, Ts)
    B0, B1, B2 = _ve_poly(a, b, r, h)
    k = _k_weak()
    r2, q = hyp.r2_of(_flavour(flavour)), hyp.q_of(_flavour(flavour))
    dr = float(delta_gv_charge_radius(r2))
    dq = delta_gv_millicharge(q / COUPLING_UNITS["q"], Ts)
    out = {"weak": np.where(ok, k * B0, 0.0)}
    out.update(_moment_terms(E, T, hyp, _state(flavour, anti)))
    out["charge_radius"] = np.where(ok, k * (dr * B1 + dr * dr * B2), 0.0)
    out["millicharge"] = np.where(ok, k * (dq * B1 + dq * dq * B2), 0.0)
    if q != 0.0 and r2 != 0.0:
        out["charge_radius_millicharge_cross"] = np.where(ok, k * 2.0 * dr * dq * B2, 0.0)
    return out


def total(
    E: ArrayLike,
    T: ArrayLike,
    flavour: str,
    hypothesis: EMHypothesis,
    anti: bool = False,
    sin2w: float | None = None,
) -> np.ndarray:
    """Full dsigma/dT [area/energy] of nu_l e (``anti``: nubar_l e) under ``hypothesis``.

    Weak amplitude with g_V -> g_V + dV_r + dV_q (charge radius and millicharge, including their
    cross term), evaluated in the manifestly non-negative form, plus the incoherent moment term
    (mu/mu_B)^2 x magnetic (M = 0) or dipole (M > 0).
    """
    hyp = _check_hypothesis(hypothesis)
    a, b = _ab(flavour, anti, sin2w)
    ok, Es, Ts, _ = _kin(E, T)
    r, h = _ve_geometry(Es, Ts)
    fl = _flavour(flavour)
    d = delta_gv_charge_radius(hyp.r2_of(fl)) + delta_gv_millicharge(
        hyp.q_of(fl) / COUPLING_UNITS["q"], Ts
    )
    ad, bd = a + d, b + d
    em = np.where(ok, _k_weak() * ((ad - 0.5 * bd * r) ** 2 + bd**2 * h), 0.0)
    for term in _moment_terms(E, T, hyp, _state(flavour, anti)).values():
        em = em + term
    return em


def _state(flavour: str, anti: bool) -> str:
    return f"{'nubar' if _anti(anti) else 'nu'}_{_flavour(flavour)}"


def _moment_terms(E, T, hyp: EMHypothesis, state: str) -> dict[str, np.ndarray]:
    """Helicity-flip terms for one incoming flavour state: the state's weight (mu_B^2, from
    :meth:`Hypothesis.magnetic_weights` / :meth:`dipole_weights`) times the cross section.
    Key "magnetic" (M = 0) or "dipole" (M > 0); both when a light-neutrino matrix and an N
    coupling are given together."""
    out = {}
    if hyp.M == 0.0:
        out["magnetic"] = float(hyp.magnetic_weights([state])[0]) * magnetic(E, T)
        return out
    if hyp.moments is not None:
        out["magnetic"] = float(hyp.magnetic_weights([state])[0]) * magnetic(E, T)
    out["dipole"] = float(hyp.dipole_weights([state])[0]) * dipole(E, T, hyp.M)
    return out
