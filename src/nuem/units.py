"""The nuem unit system: hepunits (MeV = mm = ns = eplus = 1) plus what it lacks.

Use plain floats: write ``E = 10*keV`` and read ``T/keV``; a cross section ``s`` in cm^2 is
``s/cm2``. Magnetic moments are in the same system: ``mu = 1e-11*mu_B``; millicharges in units of
the positron charge ``eplus`` (= 1); charge radii as areas, ``r2 = 1e-32*cm2``.

Added here (values from CODATA 2022 via :mod:`nuem.constants` where physical):

- ``mu_B``: Bohr magneton e*hbar/(2 m_e), in hepunits (= 5.788e-8, i.e. 5.788e-5 eV/T).
- ``parsec``, ``kpc``, ``Mpc``, ``AU``, ``R_sun``, ``M_sun``, ``L_sun``.
- ``inv_GeV``: 1/GeV as a length (hbar c / GeV), for moments quoted in GeV^-1 with e absorbed.
- ``natural_to_area``: multiply a natural-units cross section [MeV^-2] by this to get an area.
"""

from hepunits import *  # noqa: F403  (re-export the whole unit system on purpose)
from hepunits import (
    GeV,
    MeV,
    c_light,
    eplus,
    hbar_Planck,
    hbarc,
    kg,
    m,
    s,
    watt,
)

from nuem.constants import ELECTRON_MASS_MEV

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
