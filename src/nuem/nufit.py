"""Three-flavour oscillation parameters from the NuFIT global fit (layer 0 data).

Source: NuFIT 6.0 (2024), I. Esteban et al., JHEP 12 (2024) 216, arXiv:2410.05380, www.nu-fit.org,
best-fit points of the parameter-ranges table, each ordering relative to its own local minimum.
``with_sk_atm=False`` is the upper section of that table (without the tabulated Super-Kamiokande
atmospheric chi^2), ``True`` the lower section. Delta m^2_3l is Delta m^2_31 > 0 for normal
ordering and Delta m^2_32 < 0 for inverted ordering.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nuem import units as u
from nuem._validate import choice

VERSION = "NuFIT 6.0 (2024), arXiv:2410.05380"
ORDERINGS = ("normal", "inverted")


@dataclass(frozen=True)
class OscillationParameters:
    """Mixing angles (as sin^2), Dirac CP phase [rad] and mass splittings [hepunits energy^2]."""

    ordering: str
    sin2_theta12: float
    sin2_theta13: float
    sin2_theta23: float
    delta_cp: float
    dm2_21: float
    dm2_3l: float
    source: str

    @property
    def theta12(self) -> float:
        return math.asin(math.sqrt(self.sin2_theta12))

    @property
    def theta13(self) -> float:
        return math.asin(math.sqrt(self.sin2_theta13))

    @property
    def theta23(self) -> float:
        return math.asin(math.sqrt(self.sin2_theta23))

    @property
    def dm2_31(self) -> float:
        """Delta m^2_31 (negative for inverted ordering)."""
        return self.dm2_3l if self.ordering == "normal" else self.dm2_3l + self.dm2_21

    @property
    def dm2_32(self) -> float:
        """Delta m^2_32."""
        return self.dm2_3l - self.dm2_21 if self.ordering == "normal" else self.dm2_3l


_EV2 = u.eV**2
_DEG = math.pi / 180.0
# (sin2_12, sin2_13, sin2_23, delta_cp [deg], dm2_21 [eV^2], dm2_3l [eV^2])
_TABLE = {
    ("normal", False): (0.307, 0.02195, 0.561, 177.0, 7.49e-5, 2.534e-3),
    ("inverted", False): (0.308, 0.02224, 0.562, 285.0, 7.49e-5, -2.510e-3),
    ("normal", True): (0.307, 0.02215, 0.470, 212.0, 7.49e-5, 2.513e-3),
    ("inverted", True): (0.308, 0.02231, 0.550, 274.0, 7.49e-5, -2.484e-3),
}


def parameters(ordering: str = "normal", with_sk_atm: bool = False) -> OscillationParameters:
    """NuFIT 6.0 best-fit parameters for ``ordering`` ('normal' or 'inverted')."""
    ordering = choice("ordering", ordering, ORDERINGS)
    s12, s13, s23, dcp, d21, d3l = _TABLE[(ordering, bool(with_sk_atm))]
    section = "with SK-atm" if with_sk_atm else "without SK-atm"
    return OscillationParameters(
        ordering=ordering,
        sin2_theta12=s12,
        sin2_theta13=s13,
        sin2_theta23=s23,
        delta_cp=dcp * _DEG,
        dm2_21=d21 * _EV2,
        dm2_3l=d3l * _EV2,
        source=f"{VERSION}, {ordering} ordering, {section}",
    )
