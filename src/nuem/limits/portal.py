"""The dipole portal as a `nuem limits` quantity: μ of ν_α → N at one N mass (DESIGN §2).

A flavour ``α`` ∈ {e, mu, tau} is the portal coupling d = μ ê_α of
:class:`nuem.theory.Hypothesis` (``portal=``), whose weight on each incoming state comes from
:func:`nuem.theory.hypothesis.portal_state_weights`: |U_αk|² on the Sun's mass state ν_k,
1 on ν_α / ν̄_α of a flavour-state source. ``eff`` is the same transition moment for every
state (``Hypothesis(mu=μ, M=M)``, "all flavours incoherently"). The POI is x = (μ/μ_B)² ≥ 0,
the signal x Σ_s w_s D_s(M) with D_s the engine's upscattering template of state s
(:meth:`nuem.rates.Templates.dipole`), so at M = 0 a flavour portal is exactly the flavour moment
``mu_<α>`` (Σ_j |μ_jk|² = |U_αk|² μ_α²) and ``eff`` the uniform moment.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nuem import units as u
from nuem._validate import choice, non_negative
from nuem.errors import NuemInputError
from nuem.experiments import Card
from nuem.limits.quantities import Quantity
from nuem.mixing import FLAVOURS, pmns_from_angles
from nuem.rates.channels import CHANNELS
from nuem.rates.experiment import card_source, resolve_card
from nuem.rates.templates import Templates
from nuem.theory.hypothesis import Hypothesis

__all__ = ["PORTAL_FLAVOURS", "has_dipole_channel", "portal_hypothesis", "portal_quantity"]

#: Active flavours of the portal plane; ``eff``: the same moment for every state.
PORTAL_FLAVOURS = (*FLAVOURS, "eff")


def portal_hypothesis(flavour: str, M: float, mu: float = u.mu_B) -> Hypothesis:
    """The :class:`Hypothesis` of a transition moment ``mu`` [hepunits] of flavour ``flavour``
    (or ``eff``) to an N of mass ``M`` [energy, > 0 for ``eff``]."""
    flavour = choice("flavour", flavour, PORTAL_FLAVOURS)
    if flavour == "eff":
        return Hypothesis(mu=mu, M=M)
    d = np.zeros(3)
    d[FLAVOURS.index(flavour)] = mu
    return Hypothesis(portal=d, M=M)


def portal_weights(t: Templates, flavour: str, params=None) -> np.ndarray:
    """Weight (per (μ/μ_B)²) of each of the templates' states for the portal of ``flavour``,
    with the source's PMNS (``params``: its oscillation parameters, else the templates')."""
    labels = tuple(t.state_labels)
    if params is not None:  # by content: a scan asks at every mass
        angles = (params.theta12, params.theta13, params.theta23, params.delta_cp)
        return _state_weights(flavour, labels, tuple(map(float, angles)), None).copy()
    U = None if t.pmns is None else np.asarray(t.pmns, dtype=complex).tobytes()
    return _state_weights(flavour, labels, None, U).copy()


@lru_cache(maxsize=64)
def _state_weights(
    flavour: str, labels: tuple[str, ...], angles: tuple | None, U_bytes: bytes | None
) -> np.ndarray:
    """:func:`portal_weights` for states ``labels`` and the PMNS matrix of ``angles``
    (θ12, θ13, θ23, δ_CP), or given by its bytes (complex128, 3 × 3), or neither (the default)."""
    if angles is not None:
        U = pmns_from_angles(*angles)
    else:
        U = None if U_bytes is None else np.frombuffer(U_bytes, dtype=complex).reshape(3, 3)
    # any M > 0 gives the same weights; 1 keV stands for "massive" in the uniform case; the weights
    # scale as mu^2, so a plausible reference moment (1e-10 mu_B) is used and divided out
    ref = 1e-10
    h = portal_hypothesis(flavour, 1.0 * u.keV, mu=ref * u.mu_B)
    return h.dipole_weights(labels, U) / ref**2


def portal_template(t: Templates, flavour: str, M: float, params=None) -> np.ndarray:
    """Template per (μ/μ_B)² of the portal of ``flavour`` at N mass ``M`` [energy]."""
    w = portal_weights(t, flavour, params)
    if np.all(w == w[0]):
        return w[0] * t.dipole(M)[0]
    return np.tensordot(w, t.dipole(M, per_state=True)[0], axes=(0, 0))


def portal_quantity(flavour: str, M: float) -> Quantity:
    """The :class:`~nuem.limits.quantities.Quantity` "portal_<flavour>" at N mass ``M``
    [energy]: POI (μ/μ_B)², unit μ_B, any source."""
    flavour = choice("flavour", flavour, PORTAL_FLAVOURS)
    M = float(non_negative("M", M, "MeV"))

    def sig(t: Templates, params) -> list[tuple[int, np.ndarray]]:
        return [(1, portal_template(t, flavour, M, params))]

    return Quantity(
        f"portal_{flavour}",
        "mu_B",
        f"transition moment nu_{flavour} -> N, M_N = {M / u.MeV:g} MeV",
        False,
        f"portal_{flavour}",
        None,
        sig,
    )


def has_dipole_channel(card: str | Card) -> bool:
    """True when the engine registers the dipole channel for every recoil kind of ``card``
    (and the card has a source): the cards the portal scan runs on."""
    card = resolve_card(card)
    coeffs = CHANNELS["dipole"].coefficients
    try:
        card_source(card)
    except NuemInputError:
        return False
    return all(r in coeffs for r in card.recoils)
