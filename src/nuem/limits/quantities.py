"""The quantities `nuem limits` constrains, and their signal polynomials (DESIGN §2).

Each quantity maps the per-coupling templates of :class:`nuem.rates.Templates` to the
``(power, template)`` pairs of a :class:`nuem.stats.Model` in its parameter of interest (POI):

- magnetic moments (``mu_eff``, ``mu_e``, ``mu_mu``, ``mu_tau``; unit μ_B): POI x = (μ/μ_B)²,
  linear signal, bounded below by 0; the reported limit is √x.
  ``mu_eff`` is the same moment for every incoming state. A flavour moment μ_α is the moment
  matrix with only μ^F_αα ≠ 0 (Dirac, flavour basis); its weight on each incoming state comes
  from :mod:`nuem.theory.hypothesis` (the one place for state weights): for the Sun's mass
  states Σ_j |μ_jk|² = |U_αk|² μ_α² (rate μ_α² Σ_k P_{e→k} |U_αk|² S_k; Cañas et al.,
  arXiv:1510.01684), for a flavour-state source (reactor ν̄_e, π-DAR) 1 on ν_α / ν̄_α.
- ``q_eff`` (unit e): the same millicharge for every flavour; POI q/e, signal q S₁ + q² S₂
  (interference with the weak amplitude), unbounded.
- ``q_e``, ``q_mu``, ``q_tau`` (unit e): the millicharge of one flavour, the others zero; POI
  q_α/e, signal q S₁ + q² S₂ of that flavour's neutrinos and antineutrinos alone (each with its
  own weak interference: the ν_e–e charged current, the ν̄ sign), unbounded. The flavour
  content is the one the charge radii use: the source's flavour states (reactor ν̄_e, π-DAR
  ν_μ, ν_e, ν̄_μ) or, for the Sun, the flavour fractions at the detector P_e→α (incoherent,
  ``Templates.millicharge_flavour``), not the mass-state weights of the flavour moments.
  There is no cross term between flavours (one incoming flavour per event), so
  q_eff = q gives exactly Σ_α of the q_α = q signals. No card publishes a flavour millicharge
  (``published_key`` None): a card's ``millicharge`` result stays with ``q_eff`` (at a reactor
  the same number as q_e, ν̄_e being its only flavour).
- ``r2_e``, ``r2_mu``, ``r2_tau`` (unit cm²): the charge radius of one flavour, the others zero;
  POI ⟨r²⟩/cm², signal r S₁ + r² S₂, unbounded.
- ``r2_emu``, ``r2_etau``, ``r2_mutau`` (unit cm²): a transition charge radius, the others zero;
  no interference with the SM (the final neutrino differs), so POI x = ⟨r²_αβ⟩² ≥ 0 with the
  linear signal S₂_α + S₂_β (the quadratic charge-radius templates of both flavours); the
  reported limit is √x, like a magnetic moment.

Signed quantities get an allowed region; the limit is the largest |x| in it.

Quantities know their source (DESIGN §1b): ``mu_eff`` is the oscillation-averaged moment of
*solar* neutrinos and exists only for cards with a solar source (:func:`check_quantity_for`);
flavour moments, millicharge and charge radii are Lagrangian parameters and work for any
source. Combining cards is allowed for a quantity every card measures; different observables
are combined only through the moment matrix (the global fit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.mixing import FLAVOURS, pmns_from_angles
from nuem.nufit import OscillationParameters
from nuem.rates.templates import Templates
from nuem.theory.hypothesis import Hypothesis


@dataclass(frozen=True)
class Quantity:
    """A constrained quantity: name, unit, POI and signal polynomial; ``published_key``: the
    ``published_results`` quantity of a card it is shown beside (None: none)."""

    name: str
    unit: str
    description: str
    signed: bool
    published_key: str | None
    sources: tuple[str, ...] | None
    _signal: Callable[[Templates, OscillationParameters | None], list[tuple[int, np.ndarray]]]

    @property
    def poi(self) -> str:
        return f"{self.name}^2" if not self.signed else self.name

    def signal(
        self, templates: Templates, params: OscillationParameters | None = None
    ) -> list[tuple[int, np.ndarray]]:
        """``(power, template)`` pairs in the POI (counts or density, like ``templates``)."""
        return self._signal(templates, params)

    def available_for(self, source_kind: str) -> bool:
        """True when a card with a source of ``source_kind`` measures this quantity."""
        return self.sources is None or source_kind in self.sources

    def to_quantity(self, x: float) -> float:
        """POI value -> quantity value (√x for magnetic moments)."""
        return float(np.sqrt(max(x, 0.0))) if not self.signed else float(x)


def _mu_eff(t: Templates, _p) -> list[tuple[int, np.ndarray]]:
    return [(1, t.magnetic_eff)]


def flavour_moment_template(
    t: Templates, flavour: str, params: OscillationParameters | None = None
) -> np.ndarray:
    """Template per (μ_α/μ_B)² for a flavour moment: the state weights of the flavour-diagonal
    Dirac matrix (:meth:`nuem.theory.Hypothesis.flavour_moment`) on the templates' states, with
    the source's PMNS (``params`` overrides it)."""
    U = t.pmns
    if params is not None:
        U = pmns_from_angles(params.theta12, params.theta13, params.theta23, params.delta_cp)
    w = Hypothesis.flavour_moment(flavour, u.mu_B).magnetic_weights(t.state_labels, U)
    return t.magnetic_template(w)


def _mu_flavour(flavour: str):
    def sig(t: Templates, p) -> list[tuple[int, np.ndarray]]:
        return [(1, flavour_moment_template(t, flavour, p))]

    return sig


def _q(t: Templates, _p) -> list[tuple[int, np.ndarray]]:
    return [(1, t.millicharge[0]), (2, t.millicharge[1])]


def _q_flavour(flavour: str):
    def sig(t: Templates, _p) -> list[tuple[int, np.ndarray]]:
        S = t.millicharge_flavour.get(flavour)
        if S is None:
            raise NuemInputError(f"templates lack the millicharge of flavour {flavour!r}")
        return [(1, S[0]), (2, S[1])]

    return sig


def _r2(flavour: str):
    def sig(t: Templates, _p) -> list[tuple[int, np.ndarray]]:
        S = t.charge_radius[flavour]
        return [(1, S[0]), (2, S[1])]

    return sig


def _r2_transition(a: str, b: str):
    """Transition charge radius <r^2_ab> (a != b): nu_a A -> nu_b A (and nu_b -> nu_a) through
    photon exchange does not interfere with the SM final state nu_a, so it adds
    Z^2 F^2 (Delta Q per unit r^2)^2 x^2, the quadratic term of the diagonal radius of each
    flavour: S = S2_a + S2_b per x^2 (Cadeddu et al., arXiv:1810.05606, Eq. 2)."""

    def sig(t: Templates, _p) -> list[tuple[int, np.ndarray]]:
        return [(1, t.charge_radius[a][1] + t.charge_radius[b][1])]

    return sig


TRANSITION_PAIRS = (("e", "mu"), ("e", "tau"), ("mu", "tau"))

QUANTITIES: dict[str, Quantity] = {
    "mu_eff": Quantity(
        "mu_eff", "mu_B", "solar effective magnetic moment", False, "mu_eff", ("solar",), _mu_eff
    ),
    **{
        f"mu_{f}": Quantity(
            f"mu_{f}",
            "mu_B",
            f"flavour magnetic moment mu_{f}",
            False,
            f"mu_{f}",
            None,
            _mu_flavour(f),
        )
        for f in FLAVOURS
    },
    "q_eff": Quantity("q_eff", "e", "millicharge (all flavours)", True, "millicharge", None, _q),
    **{
        f"q_{f}": Quantity(
            f"q_{f}", "e", f"millicharge q of nu_{f}", True, None, None, _q_flavour(f)
        )
        for f in FLAVOURS
    },
    **{
        f"r2_{f}": Quantity(
            f"r2_{f}", "cm2", f"charge radius <r^2> of nu_{f}", True, "charge_radius", None, _r2(f)
        )
        for f in FLAVOURS
    },
    **{
        f"r2_{a}{b}": Quantity(
            f"r2_{a}{b}",
            "cm2",
            f"transition charge radius |<r^2_{a}{b}>| (nu_{a} <-> nu_{b})",
            False,
            f"charge_radius_{a}{b}",
            None,
            _r2_transition(a, b),
        )
        for a, b in TRANSITION_PAIRS
    },
}


def quantity(name: str) -> Quantity:
    """The :class:`Quantity` called ``name`` (one of :data:`QUANTITIES`)."""
    try:
        return QUANTITIES[name]
    except KeyError:
        raise NuemInputError(
            f"quantity = {name!r} is not known; allowed: {', '.join(QUANTITIES)}"
        ) from None


def check_quantity_for(name: str, source_kinds: list[str], cards: list[str]) -> Quantity:
    """The quantity ``name`` if every card's source measures it, else a clear error."""
    q = quantity(name)
    bad = [c for c, k in zip(cards, source_kinds, strict=True) if not q.available_for(k)]
    if bad:
        raise NuemInputError(
            f"quantity {name!r} ({q.description}) is measured only by cards with a "
            f"{'/'.join(q.sources)} source; {', '.join(bad)} have another source. Combine "
            "different observables through the moment matrix (nuem fit)"
        )
    return q
