"""The Source interface that the rates engine consumes (layer 1).

A source is a set of named *components* (solar pp, 8B, ...; reactor isotopes; pi-DAR prompt and
delayed neutrinos). For each component it gives

- ``flux(component)``: the total flux at the detector [hepunits 1/(area*time)], e.g.
  ``src.flux("pp") / (1 / (u.cm2 * u.s))`` is in cm^-2 s^-1;
- ``spectrum(component, E)``: the normalised continuous spectrum dN/dE [1/energy], zero outside
  its support. It integrates to the component's continuous fraction (1 for a continuous
  component, 0 for a pure line);
- ``lines(component)``: the monoenergetic part as exact lines, a tuple of
  :class:`Line` (energy, fraction of the component's flux). Continuous and line fractions add up
  to 1;
- ``e_max(component)``: the largest energy with non-zero flux;
- ``content(component, E)``: the state content at the detector, shape ``E.shape + (len(states),)``,
  probabilities over ``source.states`` (mass states ``nu_1..nu_3`` for the Sun; flavour states
  for reactors and pi-DAR). Each row sums to 1.

Convenience methods built on these: ``differential_flux(E)`` (dPhi/dE per state, continuous part
only) and ``line_fluxes()`` (each line with its flux and state content), ``total_flux()``.
Energies are hepunits (MeV = 1); every method validates its inputs (negative energy or unknown
component -> :class:`nuem.errors.NuemInputError`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import choice, non_negative

#: Flavour-state names used in ``Source.states``.
FLAVOUR_STATES = ("nu_e", "nu_mu", "nu_tau", "nubar_e", "nubar_mu", "nubar_tau")
#: Mass-state names used in ``Source.states`` (neutrinos arriving from the Sun).
MASS_STATES = ("nu_1", "nu_2", "nu_3")


@dataclass(frozen=True)
class Line:
    """A monoenergetic part of a component: ``energy`` carrying ``fraction`` of its flux."""

    energy: float
    fraction: float


@dataclass(frozen=True)
class LineFlux:
    """A line at the detector: ``flux`` [1/(area*time)] at ``energy``, states by ``content``."""

    component: str
    energy: float
    flux: float
    content: np.ndarray

    def state_flux(self) -> np.ndarray:
        """Flux per state (shape (n_states,)) = flux * content."""
        return self.flux * self.content


def check_energy(E: ArrayLike) -> np.ndarray:
    """Validate a neutrino energy (array): finite and >= 0, as float64."""
    return non_negative("E", E, "MeV")


class Source(ABC):
    """A neutrino source: components with flux, normalised spectra, lines and state content."""

    #: Human-readable name.
    name: str = "source"
    #: State names indexing the last axis of :meth:`content` and :meth:`differential_flux`.
    states: tuple[str, ...] = ()

    @property
    @abstractmethod
    def components(self) -> tuple[str, ...]:
        """Component names."""

    @abstractmethod
    def flux(self, component: str) -> float:
        """Total flux of ``component`` at the detector [1/(area*time)]."""

    @abstractmethod
    def spectrum(self, component: str, E: ArrayLike) -> np.ndarray:
        """Normalised continuous spectrum dN/dE [1/energy] of ``component`` (0 outside support)."""

    def lines(self, component: str) -> tuple[Line, ...]:
        """Monoenergetic lines of ``component`` (energy, fraction of its flux); none by default."""
        self.check_component(component)
        return ()

    @abstractmethod
    def e_max(self, component: str) -> float:
        """Largest neutrino energy of ``component`` [energy]."""

    @abstractmethod
    def content(self, component: str, E: ArrayLike) -> np.ndarray:
        """State content at the detector, shape E.shape + (len(states),), rows summing to 1."""

    # ---- helpers -----------------------------------------------------------------------------
    def check_component(self, component: str) -> str:
        """``component`` if known (case-insensitive), else NuemInputError listing the allowed."""
        return choice("component", component, self.components)

    def continuous_fraction(self, component: str) -> float:
        """Fraction of the flux in the continuous spectrum (1 - sum of line fractions)."""
        return 1.0 - sum(ln.fraction for ln in self.lines(component))

    def total_flux(self) -> float:
        """Sum of all component fluxes [1/(area*time)]."""
        return float(sum(self.flux(c) for c in self.components))

    def differential_flux(self, E: ArrayLike, component: str | None = None) -> np.ndarray:
        """dPhi/dE per state for the continuous part [1/(area*time*energy)].

        Shape ``E.shape + (len(states),)``; summed over all components unless ``component`` is
        given. Lines are not included: use :meth:`line_fluxes`.
        """
        e = check_energy(E)
        comps = self.components if component is None else (self.check_component(component),)
        out = np.zeros(e.shape + (len(self.states),))
        for comp in comps:
            phi = self.flux(comp)
            if phi == 0.0 or self.continuous_fraction(comp) == 0.0:
                continue
            out += phi * self.spectrum(comp, e)[..., None] * self.content(comp, e)
        return out

    def line_fluxes(self, component: str | None = None) -> list[LineFlux]:
        """Every line (of ``component`` or of all components) with its flux and state content."""
        comps = self.components if component is None else (self.check_component(component),)
        out = []
        for comp in comps:
            phi = self.flux(comp)
            for ln in self.lines(comp):
                cont = np.asarray(self.content(comp, ln.energy), dtype=np.float64)
                out.append(LineFlux(comp, ln.energy, phi * ln.fraction, cont))
        return out
