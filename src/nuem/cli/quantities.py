"""Parse command-line quantities such as ``1MeV``, ``5 keV``, ``0.5e-3GeV`` into hepunits floats."""

from __future__ import annotations

import math
import re

import click

from nuem import units as u
from nuem.errors import NuemInputError

ENERGY_UNITS = u.UNITS_OF["energy"]
LENGTH_UNITS = u.UNITS_OF["length"]
POWER_UNITS = u.UNITS_OF["power"]
AREA_UNITS = u.UNITS_OF["area"]


def parse_quantity(
    text: str, units: dict[str, float], what: str, default_unit: str | None
) -> float:
    """``text`` -> float in hepunits (:func:`nuem.units.parse_with`); ``default_unit`` applies
    when no unit is written; a malformed text raises click.BadParameter."""
    try:
        return u.parse_with(text, units, what, default_unit, name=what)
    except NuemInputError as exc:
        raise click.BadParameter(str(exc)) from exc


class Quantity(click.ParamType):
    """A click parameter type for a number with a unit from ``units``."""

    def __init__(self, units: dict[str, float], what: str, default_unit: str | None = None):
        self.units, self.what, self.default_unit = units, what, default_unit
        self.name = what

    def convert(self, value, param, ctx):  # noqa: D401 - click API
        if isinstance(value, float):
            return value
        try:
            return parse_quantity(value, self.units, self.what, self.default_unit)
        except click.BadParameter as exc:
            self.fail(exc.message, param, ctx)


#: Exposure units (mass*time) of ``--exposure``: "200t*yr", "40 tonne*year", "1000kg*day".
EXPOSURE_UNITS = {
    "t*yr": 1000 * u.kg * u.year,
    "tonne*year": 1000 * u.kg * u.year,
    "kt*yr": 1e6 * u.kg * u.year,
    "kg*yr": u.kg * u.year,
    "kg*day": u.kg * u.day,
    "t*day": 1000 * u.kg * u.day,
}
_EXPOSURE = re.compile(rf"^\s*({u.NUMBER_PATTERN})\s*([A-Za-z]+)\s*[*.\s]\s*([A-Za-z]+)\s*$")


class Exposure(click.ParamType):
    """``--exposure``: a mass*time such as ``200t*yr`` -> hepunits mass*time."""

    name = "exposure"

    def convert(self, value, param, ctx):  # noqa: D401 - click API
        if isinstance(value, float):
            return value
        m = _EXPOSURE.match(str(value))
        unit = None if m is None else f"{m.group(2)}*{m.group(3)}"
        if unit not in EXPOSURE_UNITS:
            self.fail(
                f"{value!r} is not an exposure such as '200t*yr'; units: "
                + ", ".join(EXPOSURE_UNITS),
                param,
                ctx,
            )
        x = float(m.group(1))
        if not (math.isfinite(x) and x > 0):
            self.fail(f"{value!r}: the exposure must be finite and > 0", param, ctx)
        return x * EXPOSURE_UNITS[unit]


EXPOSURE = Exposure()
ENERGY = Quantity(ENERGY_UNITS, "energy")
LENGTH = Quantity(LENGTH_UNITS, "length")
AREA = Quantity(AREA_UNITS, "area", default_unit="cm2")
POWER = Quantity(POWER_UNITS, "power")
