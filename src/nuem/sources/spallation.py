"""Spallation (stopped-pion) neutrino source: pi+ decay at rest and mu+ decay at rest.

pi+ -> mu+ nu_mu (two-body, at rest): a prompt nu_mu line at
E = (m_pi^2 - m_mu^2) / (2 m_pi) = 29.79 MeV (masses from :mod:`nuem.constants`, PDG).

mu+ -> e+ nu_e nubar_mu at rest: the V-A (Michel) neutrino spectra, m_e and radiative corrections
neglected, unpolarised muon (L. Michel, Proc. Phys. Soc. A 63 (1950) 514; the forms used for
stopped-pion sources by LSND and COHERENT), with x = E / m_mu in [0, 1/2]:

- nubar_mu: dN/dE = (64 / m_mu) x^2 (3/4 - x)     (mean 7/20 m_mu),
- nu_e:     dN/dE = (192 / m_mu) x^2 (1/2 - x)     (mean 3/10 m_mu).

The yield r (neutrinos of each flavour per proton on target: nu_mu, nu_e and nubar_mu each come
once per stopped pi+) and the distance come from the experiment card; the flux of each component
is r * (protons per unit time) / (4 pi L^2). No oscillation at these baselines (~20 m).

Yields: ``nu_per_proton`` is either one number r (each flavour: nu_mu, nu_e and nubar_mu come once
per stopped pi+; COHERENT quotes r = 0.0848 per flavour at 1 GeV) or a mapping
{nu_mu, nu_e, nubar_mu} of yields per proton (component names are accepted too).

Exposure: the source gives fluxes per unit time at the proton rate R (protons on target per unit
time), so that flux x live time is the fluence. A card quoting the total POT of a run over live
time T uses R = POT / T (:meth:`SpallationSource.from_pot`); ``flux_per_pot(c)`` = r/(4 pi L^2)
is the fluence per proton on target. From the beam: R = P_beam / E_kin,proton
(:func:`proton_rate_from_beam`).

Timing (:mod:`nuem.sources.timing`): the protons arrive with a pulse shape (default: a delta at
t = 0; a Gaussian of width sigma at t0; or a tabulated pulse, e.g. a data release's POT trace).
The prompt nu_mu follow the pi+ decay time (tau_pi = 26.03 ns): pulse (x) exponential(tau_pi);
the delayed nu_e, nubar_mu the pi+ and then the mu+ decay (tau_mu = 2.197 us): pulse (x)
exponential(tau_pi) (x) exponential(tau_mu); lifetimes from :mod:`nuem.constants` (PDG). pdf,
CDF and bin fractions are exact (closed forms; for a Gaussian pulse exponentially modified
Gaussians).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import choice, finite, non_negative, positive
from nuem.errors import NuemInputError
from nuem.sources.base import Line, Source, check_energy
from nuem.sources.timing import DecayConvolved, GaussianPulse, Pulse, TimeProfile

PROMPT, DELAYED_NUE, DELAYED_NUMUBAR = "prompt_numu", "delayed_nue", "delayed_numubar"
SPALLATION_COMPONENTS = (PROMPT, DELAYED_NUE, DELAYED_NUMUBAR)
#: Flavour of each component (the keys of a ``nu_per_proton`` mapping).
SPALLATION_FLAVOURS = {PROMPT: "nu_mu", DELAYED_NUE: "nu_e", DELAYED_NUMUBAR: "nubar_mu"}



def pion_decay_line_energy() -> float:
    """nu_mu energy from pi+ -> mu+ nu_mu at rest, (m_pi^2 - m_mu^2)/(2 m_pi) [energy]."""
    m_pi, m_mu = c.m_pi_plus.value, c.m_mu.value
    return (m_pi**2 - m_mu**2) / (2.0 * m_pi)


def michel_endpoint() -> float:
    """Endpoint m_mu/2 of the Michel neutrino spectra (m_e neglected) [energy]."""
    return 0.5 * c.m_mu.value


def michel_numubar(E: ArrayLike) -> np.ndarray:
    """nubar_mu spectrum from mu+ decay at rest, (64/m_mu) x^2 (3/4 - x), x = E/m_mu <= 1/2."""
    e = check_energy(E)
    m = c.m_mu.value
    x = e / m
    return np.where(x <= 0.5, 64.0 / m * x**2 * (0.75 - x), 0.0)


def michel_nue(E: ArrayLike) -> np.ndarray:
    """nu_e spectrum from mu+ decay at rest, (192/m_mu) x^2 (1/2 - x), x = E/m_mu <= 1/2."""
    e = check_energy(E)
    m = c.m_mu.value
    x = e / m
    return np.where(x <= 0.5, 192.0 / m * x**2 * (0.5 - x), 0.0)


def proton_rate_from_beam(beam_power: float, proton_energy: float) -> float:
    """Protons on target per unit time [1/time] = beam power / kinetic energy per proton."""
    p = float(positive("beam_power", beam_power, "MeV/ns"))
    e = float(positive("proton_energy", proton_energy, "MeV"))
    return p / e


def _profiles(pulse: Pulse) -> dict[str, TimeProfile]:
    tau_pi, tau_mu = c.tau_pi_plus.value, c.tau_mu.value  # PDG lifetimes [time]
    prompt = DecayConvolved(pulse, (tau_pi,))
    delayed = DecayConvolved(pulse, (tau_pi, tau_mu))  # one object: nu_e and nubar_mu share it
    return {PROMPT: prompt, DELAYED_NUE: delayed, DELAYED_NUMUBAR: delayed}


def timing_profile(component: str, t: ArrayLike, sigma: float = 0.0, t0: float = 0.0) -> np.ndarray:
    """Arrival-time pdf [1/time] of ``component``, Gaussian proton pulse (width sigma, centre t0).

    prompt: exponential(tau_pi) (x) Gaussian; delayed: the pi then mu decay chain,
    [tau_mu EMG(tau_mu) - tau_pi EMG(tau_pi)] / (tau_mu - tau_pi). sigma = 0: no smearing.
    Same as ``SpallationSource(..., pulse=GaussianPulse(sigma, t0)).timing_pdf(component, t)``.
    """
    component = choice("component", component, SPALLATION_COMPONENTS)
    tt = finite("t", t)
    pulse = GaussianPulse(float(non_negative("sigma", sigma, "ns")), float(finite("t0", t0)))
    return _profiles(pulse)[component].pdf(tt)


class SpallationSource(Source):
    """Stopped-pion (pi+ DAR) source: prompt nu_mu line and delayed nu_e, nubar_mu Michel spectra.

    ``nu_per_proton``: neutrinos of each flavour per proton on target (e.g. 0.08 for the SNS at
    1 GeV), or a mapping {nu_mu, nu_e, nubar_mu} (or component names) of yields per flavour;
    ``proton_rate``: protons on target per unit time [1/time] (a card's POT divided by its live
    time: :meth:`from_pot`); ``distance``: source-detector distance; ``pulse``: the proton-pulse
    shape (:class:`~nuem.sources.timing.GaussianPulse` or
    :class:`~nuem.sources.timing.TabulatedPulse`; default a delta at t = 0).
    """

    states = ("nu_e", "nu_mu", "nubar_mu")
    _STATE = {PROMPT: 1, DELAYED_NUE: 0, DELAYED_NUMUBAR: 2}

    def __init__(
        self,
        nu_per_proton: float | Mapping[str, float],
        proton_rate: float,
        distance: float,
        pulse: Pulse | None = None,
    ) -> None:
        self.yields = _yields(nu_per_proton)
        vals = set(self.yields.values())
        #: the yield as given: one number, or {flavour: yield} when they differ
        self.nu_per_proton = (
            vals.pop()
            if len(vals) == 1
            else {SPALLATION_FLAVOURS[k]: v for k, v in self.yields.items()}
        )
        self.proton_rate = float(positive("proton_rate", proton_rate, "per ns"))
        self.distance = float(positive("distance", distance, "mm"))
        if pulse is None:
            pulse = GaussianPulse()
        if not isinstance(pulse, Pulse):
            raise NuemInputError(
                f"pulse = {pulse!r} is not a Pulse (nuem.sources.timing.GaussianPulse or "
                "TabulatedPulse)"
            )
        self.pulse = pulse
        self._profiles = _profiles(pulse)
        self.name = f"pi+ DAR at {self.distance / u.m:.4g} m"

    @classmethod
    def from_pot(
        cls,
        nu_per_proton: float | Mapping[str, float],
        protons_on_target: float,
        live_time: float,
        distance: float,
        pulse: Pulse | None = None,
    ) -> SpallationSource:
        """Source whose flux x ``live_time`` is the fluence of ``protons_on_target``.

        proton_rate = POT / live_time: use the same live time as the exposure of the rates.
        """
        pot = float(positive("protons_on_target", protons_on_target))
        t = float(positive("live_time", live_time, "ns"))
        return cls(nu_per_proton, pot / t, distance, pulse)

    @property
    def components(self) -> tuple[str, ...]:
        return SPALLATION_COMPONENTS

    def flux_per_pot(self, component: str) -> float:
        """Fluence per proton on target of ``component``, r/(4 pi L^2) [1/area]."""
        comp = self.check_component(component)
        return self.yields[comp] / (4.0 * np.pi * self.distance**2)

    def flux(self, component: str) -> float:
        return self.flux_per_pot(component) * self.proton_rate

    def spectrum(self, component: str, E: ArrayLike) -> np.ndarray:
        comp = self.check_component(component)
        if comp == PROMPT:
            return np.zeros_like(check_energy(E))
        return michel_nue(E) if comp == DELAYED_NUE else michel_numubar(E)

    def lines(self, component: str) -> tuple[Line, ...]:
        comp = self.check_component(component)
        return (Line(pion_decay_line_energy(), 1.0),) if comp == PROMPT else ()

    def e_max(self, component: str) -> float:
        comp = self.check_component(component)
        return pion_decay_line_energy() if comp == PROMPT else michel_endpoint()

    def content(self, component: str, E: ArrayLike) -> np.ndarray:
        comp = self.check_component(component)
        e = check_energy(E)
        out = np.zeros(e.shape + (3,))
        out[..., self._STATE[comp]] = 1.0
        return out

    # ---- timing ----------------------------------------------------------------------------------
    @property
    def has_timing(self) -> bool:
        return True

    def _time_profile(self, component: str) -> TimeProfile:
        return self._profiles[component]

    def timing_groups(self) -> dict[str, tuple[str, ...]]:
        """{"prompt": (prompt_numu,), "delayed": (delayed_nue, delayed_numubar)}."""
        return {"prompt": (PROMPT,), "delayed": (DELAYED_NUE, DELAYED_NUMUBAR)}

    def timing(
        self, component: str, t: ArrayLike, sigma: float | None = None, t0: float | None = None
    ) -> np.ndarray:
        """Arrival-time pdf of ``component``: the source's pulse (sigma, t0 None), or a Gaussian
        pulse of width ``sigma`` at ``t0`` given here (see :func:`timing_profile`)."""
        comp = self.check_component(component)
        if sigma is None and t0 is None:
            return self.timing_pdf(comp, t)
        return timing_profile(comp, t, 0.0 if sigma is None else sigma, 0.0 if t0 is None else t0)


def _yields(nu_per_proton: float | Mapping[str, float]) -> dict[str, float]:
    """{component: neutrinos per proton on target} from one number or a per-flavour mapping."""
    if not isinstance(nu_per_proton, Mapping):
        r = float(positive("nu_per_proton", nu_per_proton))
        return dict.fromkeys(SPALLATION_COMPONENTS, r)
    keys = {f: comp for comp, f in SPALLATION_FLAVOURS.items()} | {
        comp: comp for comp in SPALLATION_COMPONENTS
    }
    out: dict[str, float] = {}
    for k, v in nu_per_proton.items():
        key = choice("nu_per_proton key", k, keys)
        comp = keys[key]
        if comp in out:
            raise NuemInputError(f"nu_per_proton gives {comp} twice ({k!r})")
        out[comp] = float(positive(f"nu_per_proton[{k!r}]", v))
    missing = [SPALLATION_FLAVOURS[c] for c in SPALLATION_COMPONENTS if c not in out]
    if missing:
        raise NuemInputError(
            f"nu_per_proton is missing {', '.join(missing)}; give all of nu_mu, nu_e, nubar_mu "
            "(or one number for every flavour)"
        )
    return {comp: out[comp] for comp in SPALLATION_COMPONENTS}
