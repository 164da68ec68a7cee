"""Neutrino sources (layer 1): solar (B16 SSM + adiabatic MSW), reactor, spallation (pi-DAR).

Every source implements :class:`nuem.sources.base.Source`: components with a total flux at the
detector, a normalised continuous spectrum, exact monoenergetic lines, and the state content
(mass states for the Sun, flavours otherwise). See ``docs/sources.md``.
"""

from nuem.sources.base import FLAVOUR_STATES, MASS_STATES, Line, LineFlux, Source
from nuem.sources.reactor import REACTOR_ISOTOPES, ReactorSource
from nuem.sources.solar import SOLAR_COMPONENTS, SOLAR_MODELS, SolarSource, b16_fluxes
from nuem.sources.spallation import SpallationSource

__all__ = [
    "FLAVOUR_STATES",
    "MASS_STATES",
    "REACTOR_ISOTOPES",
    "SOLAR_COMPONENTS",
    "SOLAR_MODELS",
    "Line",
    "LineFlux",
    "ReactorSource",
    "SolarSource",
    "Source",
    "SpallationSource",
    "b16_fluxes",
]
