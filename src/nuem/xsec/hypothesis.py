"""The electromagnetic hypothesis: one set of couplings evaluated by the cross sections.

Couplings are plain floats in the nuem unit system (DESIGN §3):

- ``mu``: magnetic (or transition) moment, e.g. ``1e-11*mu_B``; with ``M > 0`` it is the
  transition moment of the dipole portal nu -> N;
- ``M``: mass of the heavy neutral lepton N [MeV]; 0 means the ordinary magnetic moment;
- ``q``: millicharge in units of the positron charge (``eplus`` = 1);
- ``r2``: charge radius <r^2> of the scattering flavour, an area (e.g. ``1e-32*cm2``); any sign.

Templates (DESIGN §2) are coefficients of the *reference-unit* couplings listed in
:data:`COUPLING_UNITS`: per (mu/mu_B)^2, per (q/e) and (q/e)^2, per (r2/cm^2) and (r2/cm^2)^2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nuem import units as u
from nuem.errors import NuemInputError

#: The unit in which each coupling's template coefficient is expressed.
COUPLING_UNITS = {"mu": u.mu_B, "q": u.eplus, "r2": u.cm2}


@dataclass(frozen=True)
class EMHypothesis:
    """Electromagnetic couplings of the neutrino (see module docstring for units)."""

    mu: float = 0.0
    M: float = 0.0
    q: float = 0.0
    r2: float = 0.0

    def __post_init__(self) -> None:
        for name in ("mu", "M", "q", "r2"):
            v = getattr(self, name)
            try:
                fv = float(v)
            except (TypeError, ValueError) as exc:
                raise NuemInputError(f"{name} = {v!r} is not a number") from exc
            if not math.isfinite(fv):
                raise NuemInputError(f"{name} = {v!r} is not allowed; it must be finite")
            object.__setattr__(self, name, fv)
        if self.mu < 0:
            raise NuemInputError(f"mu = {self.mu!r} is not allowed; it must be >= 0 (a |moment|)")
        if self.M < 0:
            raise NuemInputError(f"M = {self.M!r} MeV is not allowed; it must be >= 0")

    @property
    def mu_in_mu_B(self) -> float:
        """The moment in Bohr magnetons."""
        return self.mu / u.mu_B

    @property
    def q_in_e(self) -> float:
        return self.q / u.eplus

    @property
    def r2_in_cm2(self) -> float:
        return self.r2 / u.cm2
