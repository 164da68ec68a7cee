"""Parse command-line quantities such as ``1MeV``, ``5 keV``, ``0.5e-3GeV`` into hepunits floats."""

from __future__ import annotations

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


ENERGY = Quantity(ENERGY_UNITS, "energy")
LENGTH = Quantity(LENGTH_UNITS, "length")
AREA = Quantity(AREA_UNITS, "area", default_unit="cm2")
POWER = Quantity(POWER_UNITS, "power")
