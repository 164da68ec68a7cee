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

Timing (pulsed sources): ``has_timing`` is False for steady sources (Sun, reactor). A pulsed source
(spallation; a tabulated source given a time profile; any source via :meth:`Source.with_timing`)
gives per component an exact arrival-time distribution (:mod:`nuem.sources.timing`):
``time_profile(c)``, ``timing_pdf(c, t)`` [1/time], ``timing_cdf(c, t)`` and
``time_fractions(c, t_edges)`` (fraction of the component's neutrinos arriving in each bin
[t_i, t_{i+1}), CDF differences, not sampled). On a steady source these raise NuemInputError.
``timing_groups()`` groups the components that share one time profile (e.g. pi-DAR prompt and
delayed), and ``subset(components)`` is a view restricted to some components, so that an engine
can build templates per timing group. Every source, view and profile pickles.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import choice, non_negative
from nuem.errors import NuemInputError
from nuem.mixing import FLAVOUR_STATES, MASS_STATES  # noqa: F401  (state labels, re-exported)
from nuem.sources.timing import TimeProfile


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

    # ---- timing -------------------------------------------------------------------------------
    @property
    def has_timing(self) -> bool:
        """True when the components have arrival-time profiles (pulsed source); False: steady."""
        return False

    def _time_profile(self, component: str) -> TimeProfile:
        """Hook for timed sources: the profile of a (validated) component. A steady source
        has none."""
        raise NuemInputError(f"source {self.name!r} is steady: {component!r} has no timing")

    def time_profile(self, component: str) -> TimeProfile:
        """Arrival-time distribution of ``component``; NuemInputError for a steady source."""
        comp = self.check_component(component)
        if not self.has_timing:
            raise NuemInputError(
                f"source {self.name!r} is steady (has_timing is False): it has no arrival-time "
                "profile; timing needs a pulsed source (spallation, a tabulated source with "
                "timing, or source.with_timing(...))"
            )
        return self._time_profile(comp)

    def timing_pdf(self, component: str, t: ArrayLike) -> np.ndarray:
        """Arrival-time pdf [1/time] of ``component`` at times ``t`` (hepunits, ns = 1)."""
        return self.time_profile(component).pdf(t)

    def timing_cdf(self, component: str, t: ArrayLike) -> np.ndarray:
        """Fraction of ``component``'s neutrinos arriving before ``t``."""
        return self.time_profile(component).cdf(t)

    def time_fractions(self, component: str, t_edges: ArrayLike) -> np.ndarray:
        """Fraction of ``component``'s neutrinos arriving in each bin [t_edges[i], t_edges[i+1]).

        Exact (differences of the CDF); shape ``(len(t_edges) - 1,)``; edges strictly
        increasing, +-inf allowed. NuemInputError for a steady source.
        """
        return self.time_profile(component).fractions(t_edges)

    def timing_groups(self) -> dict[str, tuple[str, ...]]:
        """Components sharing one arrival-time profile, {group name: components}.

        Steady source: ``{"steady": components}``. Otherwise components whose profiles compare
        equal are grouped, each group named after its first component.
        """
        if not self.has_timing:
            return {"steady": tuple(self.components)}
        groups: list[tuple[TimeProfile, list[str]]] = []
        for comp in self.components:
            prof = self._time_profile(comp)
            for p, members in groups:
                if p is prof or p == prof:
                    members.append(comp)
                    break
            else:
                groups.append((prof, [comp]))
        return {members[0]: tuple(members) for _, members in groups}

    # ---- views ----------------------------------------------------------------------------------
    def subset(self, components: str | Iterable[str]) -> Source:
        """A view of this source restricted to ``components`` (a name or several).

        Same states, and the same flux, spectrum, lines, e_max, content and timing per component;
        ``name`` gains the subset, e.g. ``"pi+ DAR at 19.3 m [prompt_numu]"``. Picklable.
        """
        return SourceView(self, components=components)

    def with_timing(self, profiles: TimeProfile | Mapping[str, TimeProfile]) -> Source:
        """A view of this source with arrival-time profiles: one for every component or a mapping
        {component: profile} covering every component (:mod:`nuem.sources.timing`)."""
        return SourceView(self, timing=profiles)

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


def _check_profile(name: str, prof: object) -> TimeProfile:
    if not isinstance(prof, TimeProfile):
        raise NuemInputError(
            f"{name} = {prof!r} is not a TimeProfile (see nuem.sources.timing: GaussianPulse, "
            "TabulatedPulse, DecayConvolved)"
        )
    return prof


def timing_map(
    components: tuple[str, ...],
    profiles: TimeProfile | Mapping[str, TimeProfile],
    check: Callable[[str], str],
    name: str = "timing",
) -> dict[str, TimeProfile]:
    """{component: profile} from one profile (all components) or a mapping covering all.

    ``check(component)`` canonicalises a component name (raising for unknown ones).
    """
    if isinstance(profiles, Mapping):
        out: dict[str, TimeProfile] = {}
        for k, v in profiles.items():
            out[check(k)] = _check_profile(f"{name}[{k!r}]", v)
        missing = [c for c in components if c not in out]
        if missing:
            raise NuemInputError(f"{name} has no profile for component(s) {', '.join(missing)}")
        return out
    prof = _check_profile(name, profiles)
    return dict.fromkeys(components, prof)


class SourceView(Source):
    """A view of ``parent``: a subset of its components and/or other arrival-time profiles.

    Built by :meth:`Source.subset` and :meth:`Source.with_timing`; a view of a view refers to the
    original source. Everything else is delegated to the parent.
    """

    def __init__(
        self,
        parent: Source,
        components: str | Iterable[str] | None = None,
        timing: TimeProfile | Mapping[str, TimeProfile] | None = None,
    ) -> None:
        if not isinstance(parent, Source):
            raise NuemInputError(f"parent = {parent!r} is not a Source")
        base_timing: dict[str, TimeProfile] | None = None
        label = ""
        if isinstance(parent, SourceView):
            base_timing, label = parent._timing, parent._timing_label
            parent = parent.parent
        self.parent = parent
        self.states = tuple(parent.states)
        if components is None:
            comps = tuple(parent.components)
        else:
            names = [components] if isinstance(components, str) else list(components)
            if not names:
                raise NuemInputError("components is empty; name at least one component")
            comps_set = {parent.check_component(c) for c in names}
            comps = tuple(c for c in parent.components if c in comps_set)
        self._components = comps
        if timing is not None:
            base_timing = timing_map(comps, timing, self.check_component)
            label = " (timed)"
        self._timing = None if base_timing is None else {c: base_timing[c] for c in comps}
        self._timing_label = label
        sub = "" if comps == tuple(parent.components) else f" [{', '.join(comps)}]"
        self.name = f"{parent.name}{sub}{label}"

    def __repr__(self) -> str:
        return f"<SourceView {self.name!r}>"

    def __getattr__(self, name: str):
        """Optional parent attributes a view keeps: the oscillation ``params`` and the
        ``flavour_fractions(component, E)`` of a mass-state source (the Sun)."""
        if name.startswith("__") or name not in ("params", "flavour_fractions"):
            raise AttributeError(name)
        parent = self.__dict__.get("parent")
        value = getattr(parent, name)  # AttributeError if the parent has none
        if name == "flavour_fractions":
            return lambda component, E: value(self.check_component(component), E)
        return value

    @property
    def components(self) -> tuple[str, ...]:
        return self._components

    def flux(self, component: str) -> float:
        return self.parent.flux(self.check_component(component))

    def spectrum(self, component: str, E: ArrayLike) -> np.ndarray:
        return self.parent.spectrum(self.check_component(component), E)

    def lines(self, component: str) -> tuple[Line, ...]:
        return self.parent.lines(self.check_component(component))

    def e_max(self, component: str) -> float:
        return self.parent.e_max(self.check_component(component))

    def content(self, component: str, E: ArrayLike) -> np.ndarray:
        return self.parent.content(self.check_component(component), E)

    @property
    def has_timing(self) -> bool:
        return self._timing is not None or self.parent.has_timing

    def _time_profile(self, component: str) -> TimeProfile:
        if self._timing is not None:
            return self._timing[component]
        return self.parent._time_profile(component)

    def timing_groups(self) -> dict[str, tuple[str, ...]]:
        if self._timing is None and self.parent.has_timing:  # keep the parent's group names
            out = {}
            for g, members in self.parent.timing_groups().items():
                kept = tuple(c for c in members if c in self._components)
                if kept:
                    out[g] = kept
            return out
        return super().timing_groups()
