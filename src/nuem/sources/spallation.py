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

Timing (optional): for a Gaussian proton pulse of width sigma centred at t0, the prompt nu_mu
follow the pi+ decay time (tau_pi = 26.03 ns) and the delayed nu_e, nubar_mu the pi+ and then the
mu+ decay (tau_mu = 2.197 us); lifetimes from the ``particle`` package (PDG). The profiles are the
exponential(s) convolved with the Gaussian (exponentially modified Gaussians).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from particle import Particle
from scipy.special import erfc, erfcx

from nuem import constants as c
from nuem import units as u
from nuem._validate import finite, non_negative, positive
from nuem.sources.base import Line, Source, check_energy

PROMPT, DELAYED_NUE, DELAYED_NUMUBAR = "prompt_numu", "delayed_nue", "delayed_numubar"
SPALLATION_COMPONENTS = (PROMPT, DELAYED_NUE, DELAYED_NUMUBAR)

#: pi+ and mu lifetimes [time] (PDG, via ``particle``).
TAU_PI = float(Particle.from_pdgid(211).lifetime) * u.ns
TAU_MU = float(Particle.from_pdgid(13).lifetime) * u.ns


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


def _exp_gauss(t: np.ndarray, tau: float, sigma: float) -> np.ndarray:
    """Normalised pdf of (exponential of mean tau) + (Gaussian of width sigma), stable form."""
    if sigma == 0.0:
        return np.where(t >= 0, np.exp(-np.maximum(t, 0.0) / tau) / tau, 0.0)
    z = (sigma / tau - t / sigma) / np.sqrt(2.0)
    with np.errstate(over="ignore", under="ignore"):
        neg = np.exp(sigma**2 / (2 * tau**2) - t / tau) * erfc(np.minimum(z, 0.0))
        pos = np.exp(-(t**2) / (2 * sigma**2)) * erfcx(np.maximum(z, 0.0))
    return np.where(z < 0, neg, pos) / (2.0 * tau)


def timing_profile(component: str, t: ArrayLike, sigma: float = 0.0, t0: float = 0.0) -> np.ndarray:
    """Arrival-time pdf [1/time] of ``component``, Gaussian proton pulse (width sigma, centre t0).

    prompt: exponential(tau_pi) (x) Gaussian; delayed: the pi then mu decay chain,
    [tau_mu EMG(tau_mu) - tau_pi EMG(tau_pi)] / (tau_mu - tau_pi). sigma = 0: no smearing.
    """
    if component not in SPALLATION_COMPONENTS:
        from nuem._validate import choice

        component = choice("component", component, SPALLATION_COMPONENTS)
    tt = finite("t", t) - float(finite("t0", t0))
    s = float(non_negative("sigma", sigma, "ns"))
    if component == PROMPT:
        return _exp_gauss(tt, TAU_PI, s)
    return (TAU_MU * _exp_gauss(tt, TAU_MU, s) - TAU_PI * _exp_gauss(tt, TAU_PI, s)) / (
        TAU_MU - TAU_PI
    )


class SpallationSource(Source):
    """Stopped-pion (pi+ DAR) source: prompt nu_mu line and delayed nu_e, nubar_mu Michel spectra.

    ``nu_per_proton``: neutrinos of each flavour per proton on target (e.g. 0.08 for the SNS at
    1 GeV; from the experiment card); ``proton_rate``: protons on target per unit time
    [1/time] (a card's POT divided by its live time); ``distance``: source-detector distance.
    """

    states = ("nu_e", "nu_mu", "nubar_mu")
    _STATE = {PROMPT: 1, DELAYED_NUE: 0, DELAYED_NUMUBAR: 2}

    def __init__(self, nu_per_proton: float, proton_rate: float, distance: float) -> None:
        self.nu_per_proton = float(positive("nu_per_proton", nu_per_proton))
        self.proton_rate = float(positive("proton_rate", proton_rate, "per ns"))
        self.distance = float(positive("distance", distance, "mm"))
        self.name = f"pi+ DAR at {self.distance / u.m:.4g} m"

    @property
    def components(self) -> tuple[str, ...]:
        return SPALLATION_COMPONENTS

    def flux(self, component: str) -> float:
        self.check_component(component)
        return self.nu_per_proton * self.proton_rate / (4.0 * np.pi * self.distance**2)

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

    def timing(self, component: str, t: ArrayLike, sigma: float = 0.0, t0: float = 0.0):
        """Arrival-time pdf of ``component``; see :func:`timing_profile`."""
        return timing_profile(self.check_component(component), t, sigma, t0)
