"""Typed records of a dataset card: published results, background components, systematics.

Background shapes are integrated exactly over any bins through their cumulative integral:
a histogram (piecewise-constant density) has a piecewise-linear cumulative, a curve
(linearly interpolated density) a piecewise-quadratic one. Outside a table the density is zero
(``outside: zero``) or the end value (``outside: edge``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem.detectors.binning import check_edges
from nuem.errors import NuemInputError

#: Units of published results, in hepunits.
RESULT_UNITS = {"mu_B": u.mu_B, "e": u.eplus, "cm2": u.cm2}

#: Sample names a card's ``systematics`` may use besides its in-likelihood background components:
#: the BSM signal (every power term of the signal polynomial) and nuem's SM neutrino component
#: (present only when ``backgrounds.includes_sm_solar_nu`` is false).
SIGNAL_SAMPLE = "signal"
SM_NU_SAMPLE = "sm_nu"
#: Samples whose templates nuem computes: a shape variation needs the rates engine (not yet).
COMPUTED_SAMPLES = (SIGNAL_SAMPLE, SM_NU_SAMPLE)


@dataclass(frozen=True)
class PublishedResult:
    """A published result the card must reproduce (value in hepunits via ``unit``)."""

    quantity: str
    kind: str
    unit: str
    cl: float | None
    reference: str
    status: str
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    method: str = ""
    tolerance: float | None = None
    tolerance_reason: str = ""
    status_note: str = ""

    @property
    def unit_value(self) -> float:
        """The unit in hepunits (e.g. ``mu_B``), so ``value * unit_value`` is in hepunits."""
        return RESULT_UNITS[self.unit]

    def text(self) -> str:
        """Short human-readable form, e.g. ``'< 6.4e-12 mu_B (90% CL)'``."""
        cl = f" ({self.cl * 100:.0f}% CL)" if self.cl else ""
        if self.kind == "absent":
            return "absent"
        if self.kind == "interval":
            return f"[{self.lower:.2g}, {self.upper:.2g}] {self.unit}{cl}"
        if self.value is None:
            return f"not found{cl}"
        return f"< {self.value:.2g} {self.unit}{cl}"


@dataclass(frozen=True)
class RecastResult:
    """A published recast of a card's data by others (card block ``recasts:``), in the paper's
    own convention; :meth:`bounds` gives it in nuem's convention and hepunits."""

    quantity: str
    kind: str
    unit: str
    cl: float
    reference: str
    data: str
    fit: str
    convention: str
    status: str
    status_note: str
    tolerance: float
    tolerance_reason: str
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    scale: float = 1.0
    to_nuem: float = 1.0
    same_data: bool = False

    @property
    def has_value(self) -> bool:
        """True when the paper's number was read (status ``verified``)."""
        return self.status == "verified"

    def bounds(self) -> tuple[float, float]:
        """(lower, upper) in nuem's convention, hepunits: (0, limit) for an upper limit; an
        interval times ``to_nuem`` (ends swapped when it is negative). Raises NuemInputError
        when the number was not read."""
        if not self.has_value:
            raise NuemInputError(
                f"recast of {self.quantity} ({self.reference}): status {self.status!r}, no number"
            )
        f = self.scale * RESULT_UNITS[self.unit]
        if self.kind == "upper_limit":
            return 0.0, abs(self.to_nuem) * self.value * f
        lo, hi = self.to_nuem * self.lower * f, self.to_nuem * self.upper * f
        return min(lo, hi), max(lo, hi)


@dataclass(frozen=True)
class BackgroundComponent:
    """One background component. ``expectation(edges)`` gives counts per bin (exposure included).

    Components with ``shape_kind == "none"`` carry only their published expected counts
    (``expected_counts`` in ``expected_window``) and have no spectrum.
    """

    name: str
    in_likelihood: bool
    shape_kind: str
    uncertainty: dict
    description: str = ""
    part_of: str | None = None
    includes_sm_solar_nu: bool = False
    quantity: str | None = None
    space: str | None = None
    smeared: bool | None = None
    efficiency_applied: bool | None = None
    expected_counts: float | None = None
    expected_window: np.ndarray | None = None
    status: str = ""
    _cumulative: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)
    _density: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)
    _grid_edges: np.ndarray | None = field(default=None, repr=False)
    _grid_counts: np.ndarray | None = field(default=None, repr=False)

    @property
    def has_shape(self) -> bool:
        return self._cumulative is not None or self._grid_counts is not None

    def expectation(self, edges: ArrayLike) -> np.ndarray:
        """Expected counts in each reconstructed-energy bin (``edges`` in hepunits); for an
        energy x time component, only on the card's own energy bins (flat, energy-major)."""
        e = check_edges("edges", edges)
        if self._grid_counts is not None:
            if e.shape != self._grid_edges.shape or not np.allclose(e, self._grid_edges):
                raise NuemInputError(
                    f"background {self.name!r} is tabulated in energy x time on the card's own "
                    "bins only"
                )
            return self._grid_counts.copy()
        if self._cumulative is None:
            raise NuemInputError(f"background component {self.name!r} has no spectral shape")
        return np.diff(self._cumulative(e))

    def density(self, E: ArrayLike) -> np.ndarray:
        """Expected counts per unit reconstructed energy at ``E`` (hepunits; 1/energy), the
        exposure included: the derivative of the cumulative used by :meth:`expectation`."""
        if self._density is None:
            raise NuemInputError(f"background component {self.name!r} has no spectral shape")
        return self._density(np.asarray(E, dtype=np.float64))


def piecewise_constant_cdf(edges: np.ndarray, density: np.ndarray, outside: str):
    """Cumulative integral of a histogram density (exact: it is piecewise linear)."""
    F = np.concatenate([[0.0], np.cumsum(density * np.diff(edges))])
    lo, hi = edges[0], edges[-1]

    def cdf(x: np.ndarray) -> np.ndarray:
        out = np.interp(x, edges, F)
        if outside == "edge":
            out = (
                out + density[0] * (np.minimum(x, lo) - lo) + density[-1] * (np.maximum(x, hi) - hi)
            )
        return out

    return cdf


def piecewise_constant_density(edges: np.ndarray, density: np.ndarray, outside: str):
    """The histogram density itself (right-continuous at the edges; zero or end value outside)."""
    lo, hi = edges[0], edges[-1]

    def dens(x: np.ndarray) -> np.ndarray:
        k = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, density.size - 1)
        out = density[k]
        if outside != "edge":
            out = np.where((x < lo) | (x > hi), 0.0, out)
        return out

    return dens


def piecewise_linear_density(x_nodes: np.ndarray, rho: np.ndarray, outside: str):
    """The linearly interpolated density (zero or end value outside the nodes)."""

    def dens(x: np.ndarray) -> np.ndarray:
        if outside == "edge":
            return np.interp(x, x_nodes, rho)
        return np.interp(x, x_nodes, rho, left=0.0, right=0.0)

    return dens


def piecewise_linear_cdf(x_nodes: np.ndarray, rho: np.ndarray, outside: str):
    """Cumulative integral of a linearly interpolated density (exact quadratic per segment)."""
    h = np.diff(x_nodes)
    F = np.concatenate([[0.0], np.cumsum(0.5 * (rho[1:] + rho[:-1]) * h)])
    slope = np.diff(rho) / h
    lo, hi = x_nodes[0], x_nodes[-1]

    def cdf(x: np.ndarray) -> np.ndarray:
        xc = np.clip(x, lo, hi)
        k = np.clip(np.searchsorted(x_nodes, xc, side="right") - 1, 0, x_nodes.size - 2)
        d = xc - x_nodes[k]
        out = F[k] + rho[k] * d + 0.5 * slope[k] * d**2
        if outside == "edge":
            out = out + rho[0] * (np.minimum(x, lo) - lo) + rho[-1] * (np.maximum(x, hi) - hi)
        return out

    return cdf


@dataclass(frozen=True)
class CardSystematic:
    """One entry of a card's ``systematics:`` list (a named nuisance of the likelihood).

    ``kind == "normalisation"``: one parameter θ (nominal 1, relative width ``sigma_rel``,
    ``constraint`` gaussian or lognormal) multiplying every sample in ``samples`` at once
    (fully correlated). ``kind == "shape"``: one parameter α ~ N(0, 1) moving each background in
    ``samples`` between its nominal shape and ``variations[name] = (up, down)``, the ±1σ shapes
    as :class:`BackgroundComponent` objects (same grid and quantity as the nominal; integrated
    over any bins through their own cumulative), interpolated with ``interpolation``. A shape
    on the computed samples ``signal`` / ``sm_nu`` carries ``response_up`` / ``response_down``:
    the response blocks at ±1σ from which the rates engine recomputes those templates.
    ``kind == "energy_scale"``: the reconstructed axis of every sample in ``samples`` multiplied
    by 1 + δ, δ = α ``step_rel`` (templates at 1 ± ``step_rel``,
    :func:`nuem.detectors.energy_scale.rescale_binned`), α constrained by
    ``sigma_rel / step_rel`` or free (``sigma_rel`` None).
    """

    name: str
    kind: str
    samples: tuple[str, ...]
    source: str
    sigma_rel: float | None = None
    constraint: str = "gaussian"
    interpolation: str = "code0"
    variations: dict[str, tuple[BackgroundComponent, BackgroundComponent]] = field(
        default_factory=dict, repr=False
    )
    notes: str = ""
    response_up: dict | None = None
    response_down: dict | None = None
    step_rel: float | None = None
