"""The channels of the rates engine, registered once for every recoil kind (DESIGN §1b, §2).

A channel is one coupling structure of the cross section. At fixed recoil T (and N mass M) each
is a quadratic polynomial in 1/E on every scatterer, so its coefficient stack a[p, j] (coupling
power p, inverse energy power j = 0, 1, 2) is all the engine needs:

================  =========================================  =========  ======================
channel           coupling (template unit)                   powers     depends on the state
================  =========================================  =========  ======================
``sm``            none (Standard Model)                      (0,)       flavour, nu / nubar
``magnetic``      (mu/mu_B)^2, M = 0                         (1,)       no
``dipole``        (mu/mu_B)^2, nu X -> N X, any M            (1,)       no
``millicharge``   q/e and (q/e)^2                            (1, 2)     flavour, nu / nubar
``charge_radius`` r2/cm^2 and (r2/cm^2)^2, per flavour       (1, 2)     flavour, nu / nubar
``cross``         (q/e)(r2/cm^2), per flavour                (1,)       flavour
================  =========================================  =========  ======================

Electrons (:mod:`nuem.rates.coefficients`): Vogel & Engel weak, g_V shifts for charge radius and
millicharge (Giunti & Studenikin, arXiv:1403.6344), nuem's exact dipole bracket.
Nuclei (spin 0, coherent, F = F(sqrt(2 m_A T)) for weak and EM charge; docs/xsec_nuclear.md):
the bracket (1 - T/E - m_A T/(2 E^2)) times G_F^2 m_A/(4 pi) Q^2 F^2 with
Q = Q_W + dQ_r r2 + dQ_q q, where dQ_r = 2 Z dV_r (dV_r the g_V shift per r2 of the electron
channel) and dQ_q = -2 sqrt2 pi alpha Z/(G_F m_A T): the proton's charge is opposite to the
electron's, so its vector coupling moves by minus the electron shift with m_e -> m_A, and
Q_W = -2(Z g_V^p + N g_V^n). The EM channels are Z^2 F^2 (pi alpha^2/m_e^2) times the exact
spin-0 dipole bracket [1/T - (1 + M^2/(2 m_A T))/E + (2 m_A T^3 - 2 m_A M^2 T + M^2 T^2 - M^4)
/(8 m_A T^2)/E^2] (M = 0: 1/T - 1/E + T/(4E^2)).

Every coefficient function has the signature ``f(T, scatterer, flavour, anti, M, sin2w)`` and
returns shape (P, 3) + T.shape; a new channel or recoil kind is one entry in :data:`CHANNELS`.

``photon_power`` names the coupling power whose term is pure photon exchange (1/Q^4: the
millicharge q^2 term). On electrons of an atomic model with distant collisions
(:class:`nuem.xsec.atomic.PhotonAbsorber`, e.g. ``"photoabsorption"``) the engine adds the
distant-collision term to that power (:meth:`nuem.rates.RecoilEngine.distant_density`); every
other term (weak, magnetic, charge radius, interference) keeps the close-collision count.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nuem import constants as c
from nuem import units as u
from nuem.rates import coefficients as ecoef
from nuem.xsec import form_factors as ff
from nuem.xsec import nuclear

__all__ = ["CHANNELS", "ChannelSpec", "channel"]

_NAT = u.natural_to_area


@dataclass(frozen=True)
class ChannelSpec:
    """A registered channel: name, coupling powers, whether it depends on the incoming state,
    whether its templates are kept per flavour, and its coefficients per recoil kind."""

    name: str
    powers: tuple[int, ...]
    state_dependent: bool
    per_flavour: bool
    coefficients: dict[str, Callable]
    photon_power: int | None = None


# ---- nuclei -------------------------------------------------------------------------------------
def _form2(sc, T: np.ndarray, form_factor: str) -> np.ndarray:
    iso = sc.isotope
    F = ff.get(form_factor)(np.sqrt(2.0 * sc.mass * T), iso.A)
    return F * F


def _nuclear_bracket(T: np.ndarray, m: float) -> np.ndarray:
    """(1, -T, -m T/2): 1 - T/E - m T/(2E^2) as coefficients of E^0, E^-1, E^-2."""
    return np.stack([np.ones_like(T), -T, -0.5 * m * T])


def _qw(sc, sin2w) -> float:
    """Tree-level weak charge of the isotope (:func:`nuem.xsec.nuclear.weak_charge`)."""
    return float(nuclear.weak_charge(sc.isotope.Z, sc.isotope.N, sin2w))


def _dq_r(sc) -> float:
    """Shift of Q_W per r2/cm^2 (:func:`nuem.xsec.nuclear.weak_charge_shift_charge_radius`)."""
    return float(nuclear.weak_charge_shift_charge_radius(u.cm2, sc.isotope.Z))


def _dq_q(sc, T: np.ndarray) -> np.ndarray:
    """Shift of Q_W per q/e (:func:`nuem.xsec.nuclear.weak_charge_shift_millicharge`)."""
    return nuclear.weak_charge_shift_millicharge(1.0, sc.isotope.Z, T, sc.mass)


def _nuclear_weak_pref(sc, T, ffn) -> np.ndarray:
    return c.G_F.value**2 * sc.mass / (4.0 * math.pi) * _NAT * _form2(sc, T, ffn)


def nuclear_sm(T, sc, fl, anti, M, sin2w, ffn="helm"):
    q = _qw(sc, sin2w)
    return (_nuclear_weak_pref(sc, T, ffn) * q * q * _nuclear_bracket(T, sc.mass))[None]


def nuclear_dipole(T, sc, fl, anti, M, sin2w, ffn="helm"):
    T, M = np.broadcast_arrays(np.asarray(T, np.float64), np.asarray(M, np.float64))
    m = sc.mass
    M2 = M * M
    a0 = 1.0 / T
    a1 = -1.0 - M2 / (2.0 * m * T)
    a2 = (2.0 * m * T**3 - 2.0 * m * M2 * T + M2 * T * T - M2 * M2) / (8.0 * m * T * T)
    pref = ecoef.ALPHA_MUB2 * sc.isotope.Z**2 * _form2(sc, T, ffn)
    return (pref * np.stack([a0, a1, a2]))[None]


def nuclear_millicharge(T, sc, fl, anti, M, sin2w, ffn="helm"):
    K = _nuclear_weak_pref(sc, T, ffn) * _nuclear_bracket(T, sc.mass)
    d = _dq_q(sc, T)
    return np.stack([2.0 * _qw(sc, sin2w) * d * K, d * d * K])


def nuclear_charge_radius(T, sc, fl, anti, M, sin2w, ffn="helm"):
    K = _nuclear_weak_pref(sc, T, ffn) * _nuclear_bracket(T, sc.mass)
    d = _dq_r(sc)
    return np.stack([2.0 * _qw(sc, sin2w) * d * K, d * d * K])


def nuclear_cross(T, sc, fl, anti, M, sin2w, ffn="helm"):
    K = _nuclear_weak_pref(sc, T, ffn) * _nuclear_bracket(T, sc.mass)
    return (2.0 * _dq_r(sc) * _dq_q(sc, T) * K)[None]


# ---- electrons ----------------------------------------------------------------------------------
def electron_sm(T, sc, fl, anti, M, sin2w, ffn=None):
    return ecoef.weak(T, fl, anti, sin2w)[None]


def electron_dipole(T, sc, fl, anti, M, sin2w, ffn=None):
    return ecoef.dipole(T, M)[None]


def electron_millicharge(T, sc, fl, anti, M, sin2w, ffn=None):
    return np.stack(ecoef.millicharge(T, fl, anti, sin2w))


def electron_charge_radius(T, sc, fl, anti, M, sin2w, ffn=None):
    return np.stack(ecoef.charge_radius(T, fl, anti, sin2w))


def electron_cross(T, sc, fl, anti, M, sin2w, ffn=None):
    return ecoef.cross_term(T)[None]


#: Every channel of the engine, per recoil kind.
CHANNELS: dict[str, ChannelSpec] = {
    "sm": ChannelSpec("sm", (0,), True, False, {"electron": electron_sm, "nuclear": nuclear_sm}),
    "magnetic": ChannelSpec(
        "magnetic", (1,), False, False, {"electron": electron_dipole, "nuclear": nuclear_dipole}
    ),
    "dipole": ChannelSpec(
        "dipole", (1,), False, False, {"electron": electron_dipole, "nuclear": nuclear_dipole}
    ),
    "millicharge": ChannelSpec(
        "millicharge",
        (1, 2),
        True,
        False,
        {"electron": electron_millicharge, "nuclear": nuclear_millicharge},
        photon_power=2,
    ),
    "charge_radius": ChannelSpec(
        "charge_radius",
        (1, 2),
        True,
        True,
        {"electron": electron_charge_radius, "nuclear": nuclear_charge_radius},
    ),
    "cross": ChannelSpec(
        "cross", (1,), True, True, {"electron": electron_cross, "nuclear": nuclear_cross}
    ),
}


def channel(name: str) -> ChannelSpec:
    """The registered channel ``name``."""
    return CHANNELS[name]
