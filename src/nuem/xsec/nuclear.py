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
- Charge radius <r^2> and millicharge q of the scattering neutrino nu_l (interfere with CEvNS;
  derived in docs/xsec_nuclear.md, same photon-exchange convention as :mod:`nuem.xsec.electron`):
  CEvNS with Q_W -> Q = Q_W + dQ_r + dQ_q,
      dQ_r = +2 Z sqrt2 pi alpha <r^2> / (3 G_F),
      dQ_q = -2 sqrt2 pi alpha Z q / (G_F m_A T)      (photon propagator 1/q^2, q^2 = -2 m_A T),
  i.e. the proton coupling g_V^p = 1/2 - 2 s_W^2 -> g_V^p - sqrt2 pi alpha <r^2>/(3 G_F)
  + sqrt2 pi alpha q/(G_F m_A T) (Cadeddu et al., arXiv:1810.05606 and 2005.01645; Giunti &
  Studenikin, RMP 87 (2015) 531), with Q_W = -2 (Z g_V^p + N g_V^n). The g_V^p shift is minus
  the electron-target g_V shift of :mod:`nuem.xsec.electron` (proton +e, electron -e;
  m_e -> m_A), so dQ = +2Z x (electron shift) [x m_e/m_A for q]. Sign convention:
  Q_W = N - (1 - 4 s_W^2) Z > 0 and F_Q(q^2) = q + q^2 <r^2>/6 (Minkowski q^2), so a positive
  <r^2> or a negative q *increases* |Q|; the SM radii (<r^2> < 0) lower CEvNS. Spin-0 vector
  target: the result is the same for nubar_l with the same (q, <r^2>) of the nu_l field (the
  antineutrino's own charge and radius are -q and -<r^2>), as in :mod:`nuem.xsec.electron`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import choice, finite, non_negative, positive
from nuem.errors import NuemInputError
from nuem.xsec import form_factors as ff
from nuem.xsec.hypothesis import COUPLING_UNITS, EMHypothesis
from nuem.xsec.kinematics import is_allowed
from nuem.xsec.nuclei import Element, element

__all__ = [
    "weak_charge",
    "weak_charge_shift_charge_radius",
    "weak_charge_shift_millicharge",
    "weak_charge_polynomial",
    "cevns",
    "cevns_em",
    "charge_radius",
    "millicharge",
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


def _per_isotope(
    el: Element, E, T, M, fform, kernel, clip: bool = True, extra_shape=()
) -> np.ndarray:
    """Sum over isotopes of abundance * kernel(...) * F^2, zero outside the allowed region.

    ``clip``: clip each isotope's value at 0 (for physical cross sections, which are >= 0; an
    interference difference term is not clipped). ``extra_shape``: shape of further broadcast
    arguments the kernel uses (couplings).
    """
    shape = np.broadcast_shapes(E.shape, T.shape, np.shape(M), extra_shape)
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
        if clip:
            val = np.maximum(val, 0.0)
        total += iso.abundance * np.where(ok, val, 0.0)
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


# ------------------------------------------------------ charge radius and millicharge

#: dQ_W/(Z <r^2>) = 2 sqrt2 pi alpha/(3 G_F) [MeV^2], <r^2> in natural units (MeV^-2).
_K_R2 = 2.0 * math.sqrt(2.0) * math.pi * c.alpha.value / (3.0 * c.G_F.value)
#: -dQ_W m_A T/(Z q) = 2 sqrt2 pi alpha/G_F [MeV^2], q in units of e.
_K_Q = 2.0 * math.sqrt(2.0) * math.pi * c.alpha.value / c.G_F.value

_KINDS = {
    "charge_radius": "charge_radius",
    "r2": "charge_radius",
    "millicharge": "millicharge",
    "q": "millicharge",
}


def weak_charge_shift_charge_radius(r2: ArrayLike, Z: ArrayLike) -> np.ndarray:
    """Shift of the weak charge by a neutrino charge radius: Q_W -> Q_W + dQ (dimensionless).

    dQ = 2 Z sqrt2 pi alpha <r^2> / (3 G_F)  (natural units; ``r2`` is an area, any sign, e.g.
    ``-8e-33*u.cm2``; ``Z`` the proton number, arrays broadcast).

    Photon exchange with the neutrino charge form factor F_Q(q^2) = q^2 <r^2>/6 (Minkowski q^2)
    on the nuclear charge Z e F(q): the 1/q^2 of the propagator cancels, leaving a contact term
    that adds to the Z-exchange amplitude (G_F/sqrt2) Q_W F (nubar gamma P_L nu)(P + P')
    (derivation: docs/xsec_nuclear.md). Equivalently the proton coupling
    g_V^p = 1/2 - 2 s_W^2 -> g_V^p - sqrt2 pi alpha <r^2>/(3 G_F) with Q_W = -2(Z g_V^p + N g_V^n)
    (Cadeddu et al., arXiv:1810.05606, Q~_ll = sqrt2 pi alpha <r^2_ll>/(3 G_F); Giunti &
    Studenikin, RMP 87 (2015) 531, whose (2/3) m_W^2 s_W^2 <r^2> is the same at tree level).
    The g_V^p shift is minus the electron-target one (proton +e, electron -e), so
    dQ = +2Z x :func:`nuem.xsec.electron.delta_gv_charge_radius` (r2).
    Sign: Q_W = N - (1 - 4 s_W^2) Z > 0, so <r^2> > 0 raises |Q| and the SM radii (< 0) lower it.
    """
    r2 = finite("r2", r2)
    Z = non_negative("Z", Z)
    return _K_R2 * Z * (r2 / u.natural_to_area)


def weak_charge_shift_millicharge(
    q: ArrayLike, Z: ArrayLike, T: ArrayLike, m_A: ArrayLike
) -> np.ndarray:
    """Shift of the weak charge by a neutrino millicharge: Q_W -> Q_W + dQ (dimensionless).

    dQ = -2 sqrt2 pi alpha Z q / (G_F m_A T)  (natural units; ``q`` in units of e, i.e. of
    ``u.eplus`` = 1, any sign; ``T`` > 0 the recoil kinetic energy and ``m_A`` the nuclear mass,
    both in MeV; arrays broadcast; T = 0, where the shift diverges, raises NuemInputError).

    Photon exchange e q (nubar gamma nu) x e Z F (P + P') / q^2 with q^2 = t = -2 m_A T, added to
    the Z-exchange amplitude (G_F/sqrt2) Q_W F (nubar gamma P_L nu)(P + P'); equivalently
    g_V^p -> g_V^p + sqrt2 pi alpha q/(G_F m_A T) (Giunti & Studenikin, RMP 87 (2015) 531, for the
    electron; Cadeddu et al., arXiv:2005.01645, for nuclei). The g_V^p shift is minus the
    electron-target one with m_e -> m_A, so
    dQ = +2Z (m_e/m_A) x :func:`nuem.xsec.electron.delta_gv_millicharge` (q, T).
    Sign: with Q_W > 0, q < 0 raises |Q|; q > 0 lowers it and Q crosses 0 at
    T = 2 sqrt2 pi alpha Z q/(G_F m_A Q_W).
    """
    q = finite("q", q) / COUPLING_UNITS["q"]
    Z = non_negative("Z", Z)
    T = positive("T", T, "MeV")
    m_A = positive("m_A", m_A, "MeV")
    return -_K_Q * Z * q / (m_A * T)


def weak_charge_polynomial(
    iso_Z: ArrayLike,
    iso_N: ArrayLike,
    T: ArrayLike,
    m_A: ArrayLike,
    kind: str,
    sin2w: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(Q_W, dQ) of one isotope: the charge is Q = Q_W + dQ x, x the coupling in reference units.

    ``kind``: ``"charge_radius"`` (alias ``"r2"``; x = <r^2>/cm^2, dQ independent of T and m_A)
    or ``"millicharge"`` (alias ``"q"``; x = q/e, dQ prop. to 1/(m_A T), T > 0 required).
    Q_W = N - (1 - 4 s_W^2) Z (:func:`weak_charge`), dQ from :func:`weak_charge_shift_charge_radius`
    / :func:`weak_charge_shift_millicharge` at unit coupling; arrays broadcast (e.g. the isotope
    columns of ``nuclei.element(sym)`` against a T grid).

    Templates for a rates engine, per isotope at fixed (E, T), in natural units (x natural_to_area):

        dsigma/dT = K (Q_W + dQ x)^2 = S0 + S1 x + S2 x^2,
        K  = G_F^2 m_A/(4 pi) F^2(sqrt(2 m_A T)) (a0 + a1/E + a2/E^2),
             a0 = 1, a1 = -T, a2 = -m_A T/2,
        S0 = K Q_W^2,  S1 = K 2 Q_W dQ,  S2 = K dQ^2,

    then weighted by abundance and set to 0 where (E, T) is forbidden for the isotope. With both
    couplings, Q = Q_W + dQ_r x_r + dQ_q x_q and the cross term is K 2 dQ_r dQ_q x_r x_q.
    :func:`charge_radius` and :func:`millicharge` return the element's (S1, S2) directly.
    """
    kind = _KINDS[choice("kind", kind, _KINDS)]
    Z = non_negative("iso_Z", iso_Z)
    N = non_negative("iso_N", iso_N)
    qw = weak_charge(Z, N, sin2w)
    if kind == "charge_radius":
        Tv = non_negative("T", T, "MeV")
        mv = positive("m_A", m_A, "MeV")
        dq = weak_charge_shift_charge_radius(COUPLING_UNITS["r2"], Z)
    else:
        Tv = positive("T", T, "MeV")
        mv = positive("m_A", m_A, "MeV")
        dq = weak_charge_shift_millicharge(COUPLING_UNITS["q"], Z, Tv, mv)
    shape = np.broadcast_shapes(Z.shape, N.shape, Tv.shape, mv.shape)
    return np.broadcast_to(qw, shape).copy(), np.broadcast_to(dq, shape).copy()


def _bracket(m, Es, Ts):
    return 1.0 - m * Ts / (2.0 * Es * Es) - Ts / Es


def cevns_em(
    E: ArrayLike,
    T: ArrayLike,
    target: str | Element,
    r2: ArrayLike = 0.0,
    q: ArrayLike = 0.0,
    form_factor: str = "helm",
    sin2w: float | None = None,
) -> np.ndarray:
    """CEvNS dsigma/dT per nucleus [area/energy] with a neutrino charge radius and millicharge.

    (G_F^2 m_A/4pi)(Q_W + dQ_r + dQ_q)^2 (1 - m_A T/(2E^2) - T/E) F^2(q), per isotope and
    abundance-weighted, with dQ_r = :func:`weak_charge_shift_charge_radius` (``r2``: an area,
    e.g. ``-8e-33*u.cm2``, any sign) and dQ_q = :func:`weak_charge_shift_millicharge` (``q``:
    units of e, any sign). Weak and photon exchange interfere; r2 = q = 0 is :func:`cevns`
    exactly. Always >= 0 (Q may pass through 0); exactly 0 outside the kinematic range, T = 0
    included. ``r2`` and ``q`` broadcast with E and T. Valid for nu_l and nubar_l alike, with
    (q, r2) those of the nu_l field (module docstring).
    """
    E, T, el, fform = _inputs(E, T, target, form_factor)
    r2 = finite("r2", r2)
    q = finite("q", q)
    s2 = _sin2w(sin2w)
    gf2 = c.G_F.value**2
    r2n = r2 / u.natural_to_area
    qe = q / COUPLING_UNITS["q"]

    def kernel(iso, m, Es, Ts):
        qw = iso.N - (1.0 - 4.0 * s2) * iso.Z
        Q = qw + _K_R2 * iso.Z * r2n - _K_Q * iso.Z * qe / (m * Ts)
        return gf2 * m / (4.0 * math.pi) * Q * Q * (1.0 - m * Ts / (2.0 * Es * Es) - Ts / Es)

    extra = np.broadcast_shapes(r2.shape, q.shape)
    return _per_isotope(el, E, T, 0.0, fform, kernel, extra_shape=extra) * u.natural_to_area


def _templates(E, T, target, form_factor, sin2w, kind):
    E, T, el, fform = _inputs(E, T, target, form_factor)
    s2 = _sin2w(sin2w)
    gf2 = c.G_F.value**2

    def dq(iso, m, Ts):
        # dQ per reference unit of the coupling (COUPLING_UNITS: r2 per cm^2, q per e = 1)
        if kind == "charge_radius":
            return _K_R2 * iso.Z * (COUPLING_UNITS["r2"] / u.natural_to_area)
        return -_K_Q * iso.Z / (m * Ts)

    def k1(iso, m, Es, Ts):
        qw = iso.N - (1.0 - 4.0 * s2) * iso.Z
        return gf2 * m / (4.0 * math.pi) * 2.0 * qw * dq(iso, m, Ts) * _bracket(m, Es, Ts)

    def k2(iso, m, Es, Ts):
        d = dq(iso, m, Ts)
        return gf2 * m / (4.0 * math.pi) * d * d * _bracket(m, Es, Ts)

    s1 = _per_isotope(el, E, T, 0.0, fform, k1, clip=False)
    s2_ = _per_isotope(el, E, T, 0.0, fform, k2)
    return s1 * u.natural_to_area, s2_ * u.natural_to_area


def charge_radius(
    E: ArrayLike,
    T: ArrayLike,
    target: str | Element,
    form_factor: str = "helm",
    sin2w: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(S1, S2) [area/energy]: cevns_em(r2) = cevns + S1 (r2/cm^2) + S2 (r2/cm^2)^2.

    S1 = K 2 Q_W dQ_r (interference, sign of Q_W dQ_r > 0 per positive r2), S2 = K dQ_r^2 >= 0,
    abundance-weighted; see :func:`weak_charge_polynomial`. Mirrors
    :func:`nuem.xsec.electron.charge_radius`.
    """
    return _templates(E, T, target, form_factor, sin2w, "charge_radius")


def millicharge(
    E: ArrayLike,
    T: ArrayLike,
    target: str | Element,
    form_factor: str = "helm",
    sin2w: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(S1, S2) [area/energy]: cevns_em(q) = cevns + S1 (q/e) + S2 (q/e)^2.

    S1 = K 2 Q_W dQ_q (< 0 for Q_W > 0: a positive q lowers |Q|), S2 = K dQ_q^2
    = (2 pi alpha^2 Z^2/(m_A T^2))(1 - T/E - m_A T/(2E^2)) F^2 (pure photon exchange, the spin-0
    Rutherford term), abundance-weighted; see :func:`weak_charge_polynomial`. Mirrors
    :func:`nuem.xsec.electron.millicharge`.
    """
    return _templates(E, T, target, form_factor, sin2w, "millicharge")


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

    Keys (same meaning as :func:`nuem.xsec.electron.terms`):

    - ``"weak"``: pure SM CEvNS (:func:`cevns`), whatever the hypothesis;
    - ``"magnetic"`` (hypothesis.M == 0) or ``"dipole"`` (M > 0), already multiplied by
      (mu/mu_B)^2; adds incoherently (helicity flip);
    - only if hypothesis.r2 != 0: ``"charge_radius"`` = K[(Q_W + dQ_r)^2 - Q_W^2]
      = K dQ_r (2 Q_W + dQ_r), interference plus pure term, of either sign;
    - only if hypothesis.q != 0: ``"millicharge"`` = K dQ_q (2 Q_W + dQ_q), of either sign;
    - only if both: ``"charge_radius_millicharge_cross"`` = K 2 dQ_r dQ_q.

    K and dQ as in :func:`weak_charge_polynomial`; r2 and q are those of the scattering
    flavour. weak + charge_radius + millicharge + cross = :func:`cevns_em` (up to rounding), so the
    sum over keys is the full cross section; :func:`nuclear_total` evaluates it directly (>= 0).
    """
    if not isinstance(hypothesis, EMHypothesis):
        raise NuemInputError(f"hypothesis = {hypothesis!r} is not an EMHypothesis")
    if hypothesis.moments is not None or hypothesis.portal is not None:
        raise NuemInputError(
            "nuclear_terms evaluates one flavour-blind state: give the uniform moment mu; a "
            "moment matrix or portal couplings enter through the rates engine's state weights"
        )
    out = {"weak": cevns(E, T, target, form_factor=form_factor, sin2w=sin2w)}
    mu2 = (hypothesis.mu / COUPLING_UNITS["mu"]) ** 2
    if hypothesis.M == 0.0:
        out["magnetic"] = mu2 * magnetic(E, T, target, form_factor=form_factor)
    else:
        out["dipole"] = mu2 * dipole(E, T, hypothesis.M, target, form_factor=form_factor)
    r2, q = hypothesis.uniform("r2"), hypothesis.uniform("q")
    if r2 == 0.0 and q == 0.0:
        return out
    Ev, Tv, el, fform = _inputs(E, T, target, form_factor)
    s2 = _sin2w(sin2w)
    gf2 = c.G_F.value**2
    r2n = r2 / u.natural_to_area
    qe = q / COUPLING_UNITS["q"]

    def term(which):
        def kernel(iso, m, Es, Ts):
            qw = iso.N - (1.0 - 4.0 * s2) * iso.Z
            dr = _K_R2 * iso.Z * r2n
            dq = -_K_Q * iso.Z * qe / (m * Ts)
            if which == "charge_radius":
                x = dr * (2.0 * qw + dr)
            elif which == "millicharge":
                x = dq * (2.0 * qw + dq)
            else:
                x = 2.0 * dr * dq
            return gf2 * m / (4.0 * math.pi) * x * _bracket(m, Es, Ts)

        return _per_isotope(el, Ev, Tv, 0.0, fform, kernel, clip=False) * u.natural_to_area

    if r2 != 0.0:
        out["charge_radius"] = term("charge_radius")
    if q != 0.0:
        out["millicharge"] = term("millicharge")
    if r2 != 0.0 and q != 0.0:
        out["charge_radius_millicharge_cross"] = term("cross")
    return out


def nuclear_total(
    E: ArrayLike,
    T: ArrayLike,
    target: str | Element,
    hypothesis: EMHypothesis,
    form_factor: str = "helm",
    sin2w: float | None = None,
) -> np.ndarray:
    """Full dsigma/dT [area/energy]: :func:`cevns_em` at (r2, q) plus the moment term.

    Equal to the sum of :func:`nuclear_terms` up to rounding, but evaluated as a square, so it
    stays >= 0 when the interference drives Q to 0.
    """
    if not isinstance(hypothesis, EMHypothesis):
        raise NuemInputError(f"hypothesis = {hypothesis!r} is not an EMHypothesis")
    tot = cevns_em(
        E,
        T,
        target,
        r2=hypothesis.uniform("r2"),
        q=hypothesis.uniform("q"),
        form_factor=form_factor,
        sin2w=sin2w,
    )
    mu2 = (hypothesis.mu / COUPLING_UNITS["mu"]) ** 2
    if mu2 > 0.0:
        if hypothesis.M == 0.0:
            tot = tot + mu2 * magnetic(E, T, target, form_factor=form_factor)
        else:
            tot = tot + mu2 * dipole(E, T, hypothesis.M, target, form_factor=form_factor)
    return tot
