"""The nuem unit system: hepunits (MeV = mm = ns = eplus = 1) plus what it lacks.

Use plain floats: write ``E = 10*keV`` and read ``T/keV``; a cross section ``s`` in cm^2 is
``s/cm2``. Magnetic moments are in the same system: ``mu = 1e-11*mu_B``; millicharges in units of
the positron charge ``eplus`` (= 1); charge radii as areas, ``r2 = 1e-32*cm2``.

Added here (values from CODATA 2022 via :mod:`nuem.constants` where physical):

- ``mu_B``: Bohr magneton e*hbar/(2 m_e), in hepunits (= 5.788e-8, i.e. 5.788e-5 eV/T).
- ``parsec``, ``kpc``, ``Mpc``, ``AU``, ``R_sun``, ``M_sun``, ``L_sun``.
- ``inv_GeV``: 1/GeV as a length (hbar c / GeV), for moments quoted in GeV^-1 with e absorbed.
- ``natural_to_area``: multiply a natural-units cross section [MeV^-2] by this to get an area.

:func:`parse` reads a quantity written with its unit (``"1e-11 muB"``, ``"0.5MeV"``,
``"1e-32 cm2"``, ``"1e-13 e"``) into a hepunits float; :data:`UNITS_OF` lists the units of each
kind. The CLI and :class:`nuem.theory.Hypothesis` use it, so a number and its unit travel together.
"""

import math
import re

from hepunits import *  # noqa: F403  (re-export the whole unit system on purpose)
from hepunits import (
    GeV,
    MeV,
    TeV,
    barn,
    c_light,
    cm,
    cm2,
    eplus,
    eV,
    fm,
    fm2,
    gauss,
    gigawatt,
    hbar_Planck,
    hbarc,
    keV,
    kg,
    kilogauss,
    kilowatt,
    km,
    m,
    m2,
    megawatt,
    micrometer,
    mm,
    mm2,
    nanometer,
    s,
    tesla,
    watt,
)

from nuem.constants import ELECTRON_MASS_MEV
from nuem.errors import NuemInputError

#: Bohr magneton e*hbar/(2 m_e) in the hepunits system (CODATA 2022 m_e).
mu_B = eplus * hbar_Planck * c_light**2 / (2.0 * ELECTRON_MASS_MEV * MeV)

#: IAU 2012 Resolution B2: astronomical unit, exact.
AU = 149_597_870_700.0 * m
#: IAU 2015 Resolution B2: parsec = (648000/pi) au, exact.
parsec = 648_000.0 / 3.141592653589793 * AU
pc = parsec
kpc = 1e3 * parsec
Mpc = 1e6 * parsec
#: IAU 2015 Resolution B3 nominal solar radius.
R_sun = 6.957e8 * m
#: Solar mass from the IAU 2015 nominal G*M_sun = 1.3271244e20 m^3 s^-2 and CODATA 2022 G.
M_sun = 1.3271244e20 / 6.67430e-11 * kg
#: IAU 2015 Resolution B3 nominal solar luminosity.
L_sun = 3.828e26 * watt
#: Light year (Julian year of 365.25 d).
light_year = c_light * 365.25 * 86400.0 * s

#: 1/GeV expressed as a length: hbar*c/GeV.
inv_GeV = hbarc / GeV
#: Factor turning a natural-units cross section [MeV^-2] into an area: (hbar c)^2 / MeV^2.
natural_to_area = hbarc**2


#: Units by kind of quantity, for :func:`parse` (names as written after the number).
UNITS_OF: dict[str, dict[str, float]] = {
    "energy": {"meV": 1e-3 * eV, "eV": eV, "keV": keV, "MeV": MeV, "GeV": GeV, "TeV": TeV},
    "length": {
        "fm": fm,
        "nm": nanometer,
        "um": micrometer,
        "mm": mm,
        "cm": cm,
        "m": m,
        "km": km,
    },
    "area": {"cm2": cm2, "fm2": fm2, "m2": m2, "mm2": mm2, "b": barn},
    "power": {"W": watt, "kW": kilowatt, "MW": megawatt, "GW": gigawatt},
    "moment": {"muB": mu_B, "mu_B": mu_B},
    "field": {"G": gauss, "kG": kilogauss, "T": tesla, "MG": 1e3 * kilogauss},
    "charge": {"e": eplus},
}

#: Regular expression of a decimal number (sign, mantissa, exponent), for quantity parsers.
NUMBER_PATTERN = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_PATTERN = re.compile(rf"^\s*({NUMBER_PATTERN})\s*\*?\s*([A-Za-z_][A-Za-z0-9_]*)?\s*$")


def parse(text: str, kind: str, default_unit: str | None = None, name: str = "value") -> float:
    """The hepunits float of ``text``, a number with a unit of ``kind`` (a key of :data:`UNITS_OF`).

    Parameters
    ----------
    text : str
        e.g. ``"1e-11 muB"``, ``"5keV"``, ``"1e-32*cm2"``.
    kind : str
        ``energy``, ``length``, ``area``, ``power``, ``moment`` or ``charge``.
    default_unit : str, optional
        Unit assumed when ``text`` has none; without it a bare number is an error.
    name : str
        Argument name used in error messages.

    Returns
    -------
    float
        The value in hepunits (``parse("1e-11 muB", "moment") == 1e-11 * mu_B``).

    Raises
    ------
    NuemInputError
        Malformed text, a non-finite number, a missing or unknown unit.
    """
    if kind not in UNITS_OF:
        raise NuemInputError(f"kind = {kind!r} is not known; allowed: {', '.join(UNITS_OF)}")
    return parse_with(text, UNITS_OF[kind], kind, default_unit, name)


def parse_with(
    text: str,
    units: dict[str, float],
    kind: str,
    default_unit: str | None = None,
    name: str = "value",
) -> float:
    """:func:`parse` against the unit table ``units`` ({name: hepunits value}) of a ``kind``."""
    match = _PATTERN.match(str(text))
    if not match:
        raise NuemInputError(f"{name} = {text!r} is not a {kind} such as '1{next(iter(units))}'")
    value, unit = float(match.group(1)), match.group(2)
    if not math.isfinite(value):
        raise NuemInputError(f"{name} = {text!r} is not finite")
    if not unit:
        if default_unit is None:
            raise NuemInputError(f"{name} = {text!r} needs a unit; allowed: {', '.join(units)}")
        unit = default_unit
    if unit not in units:
        raise NuemInputError(
            f"unit {unit!r} in {name} = {text!r} is not a {kind} unit; allowed: {', '.join(units)}"
        )
    return value * units[unit]
