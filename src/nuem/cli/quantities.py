"""Parse command-line quantities such as ``1MeV``, ``5 keV``, ``0.5e-3GeV`` into hepunits floats."""

from __future__ import annotations

import math
import re

import click

from nuem import units as u

ENERGY_UNITS = {
    "meV": 1e-3 * u.eV,
    "eV": u.eV,
    "keV": u.keV,
    "MeV": u.MeV,
    "GeV": u.GeV,
    "TeV": u.TeV,
}
LENGTH_UNITS = {
    "fm": u.fm,
    "nm": u.nanometer,
    "um": u.micrometer,
    "mm": u.mm,
    "cm": u.cm,
    "m": u.m,
    "km": u.km,
}
POWER_UNITS = {"W": u.watt, "kW": u.kilowatt, "MW": u.megawatt, "GW": u.gigawatt}
AREA_UNITS = {"cm2": u.cm2, "fm2": u.fm2, "m2": u.m2, "mm2": u.mm2, "b": u.barn}

_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_PATTERN = re.compile(rf"^\s*({_NUMBER})\s*([A-Za-z0-9]*)\s*$")


def parse_quantity(
    text: str, units: dict[str, float], what: str, default_unit: str | None
) -> float:
    """``text`` -> float in hepunits; ``default_unit`` applies when no unit is written."""
    m = _PATTERN.match(str(text))
    if not m:
        raise click.BadParameter(f"{text!r} is not a {what} such as '1{next(iter(units))}'")
    value, unit = float(m.group(1)), m.group(2)
    if not math.isfinite(value):
        raise click.BadParameter(f"{text!r} is not finite")
    if not unit:
        if default_unit is None:
            raise click.BadParameter(f"{text!r} needs a unit; allowed: {', '.join(units)}")
        unit = default_unit
    if unit not in units:
        raise click.BadParameter(
            f"unit {unit!r} in {text!r} is not a {what} unit; allowed: {', '.join(units)}"
        )
    return value * units[unit]


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
_EXPOSURE = re.compile(rf"^\s*({_NUMBER})\s*([A-Za-z]+)\s*[*.\s]\s*([A-Za-z]+)\s*$")


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
