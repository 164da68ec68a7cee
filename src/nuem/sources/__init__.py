"""Neutrino sources (layer 1): solar (B16 SSM + adiabatic MSW), reactor, spallation (pi-DAR),
user tables.

Every source implements :class:`nuem.sources.base.Source`: components with a total flux at the
detector, a normalised continuous spectrum, exact monoenergetic lines, the state content
(mass states for the Sun, flavours otherwise), and for pulsed sources exact arrival-time
profiles (:mod:`nuem.sources.timing`). ``source_from_block`` builds one from a dataset card's
``source:`` block (:mod:`nuem.sources.registry`). See ``docs/sources.md``.
"""

from nuem.sources.base import FLAVOUR_STATES, MASS_STATES, Line, LineFlux, Source, SourceView
from nuem.sources.reactor import REACTOR_ISOTOPES, ReactorSource
from nuem.sources.registry import SOURCE_BLOCK_SCHEMAS, SOURCE_KINDS, source_from_block
from nuem.sources.solar import SOLAR_COMPONENTS, SOLAR_MODELS, SolarSource, b16_fluxes
from nuem.sources.spallation import SpallationSource
from nuem.sources.tabulated import TabulatedSource
from nuem.sources.timing import DecayConvolved, GaussianPulse, TabulatedPulse, TimeProfile

__all__ = [
    "FLAVOUR_STATES",
    "MASS_STATES",
    "REACTOR_ISOTOPES",
    "SOLAR_COMPONENTS",
    "SOLAR_MODELS",
    "SOURCE_BLOCK_SCHEMAS",
    "SOURCE_KINDS",
    "DecayConvolved",
    "GaussianPulse",
    "Line",
    "LineFlux",
    "ReactorSource",
    "SolarSource",
    "Source",
    "SourceView",
    "SpallationSource",
    "TabulatedPulse",
    "TabulatedSource",
    "TimeProfile",
    "b16_fluxes",
    "source_from_block",
]
