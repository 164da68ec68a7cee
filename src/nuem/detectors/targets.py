"""Scattering centres per unit target mass: electrons and nuclei per tonne.

For a target of formula units with n_i atoms of element i (natural isotopic mix, isotope tables
from :mod:`nuem.xsec.nuclei`), the number of formula units per tonne is

    N_fu = N_A * 10^6 g / (M_u * sum_i n_i <A_i>),

with <A_i> the abundance-weighted mean atomic mass in u, M_u the molar mass constant
(CODATA 2022: 1.00000000105 g/mol) and N_A the Avogadro constant (exact). Electrons per tonne are
N_fu * sum_i n_i Z_i (all Z atomic electrons; binding is the business of the cross sections) and
nuclei of element i per tonne are N_fu * n_i, split over isotopes by abundance.

``tonne`` = 1000 kg in the hepunits system; per-mass densities (``electrons_per_mass``) are in
1/mass hepunits, so ``electrons_per_mass(t) * exposure`` with ``exposure`` in mass*time gives
electron*time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nuem import constants as c
from nuem import units as u
from nuem.errors import NuemInputError

#: One metric tonne in the hepunits system (1000 kg).
tonne = 1000.0 * u.kg
#: Avogadro constant [1/mol] (exact, SI 2019; ``nuem.constants.avogadro``).
N_A = c.avogadro.value
#: Molar mass constant M_u [g/mol] (CODATA 2022; ``nuem.constants.molar_mass_constant``).
M_U_G_PER_MOL = c.molar_mass_constant.value * 1e3

_TERM = re.compile(r"([A-Z][a-z]?)(\d*)")


def _element(symbol: str):
    from nuem.xsec import nuclei  # layer 1; imported lazily to keep this module light

    return nuclei.element(symbol)


@dataclass(frozen=True)
class Target:
    """A target material: ``composition`` = ((symbol, atoms per formula unit), ...)."""

    name: str
    composition: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        if not self.composition:
            raise NuemInputError(f"target {self.name!r} has an empty composition")
        for sym, n in self.composition:
            _element(sym)
            if not n > 0:
                raise NuemInputError(f"target {self.name!r}: {sym} count {n!r} must be > 0")

    @classmethod
    def from_formula(cls, formula: str) -> Target:
        """Target from a chemical formula such as ``"Xe"``, ``"CsI"``, ``"NaI"``, ``"C3F8"``."""
        text = str(formula).strip()
        terms = _TERM.findall(text)
        if not text or "".join(s + n for s, n in terms) != text:
            raise NuemInputError(
                f"target formula {formula!r} is not a formula like 'CsI' or 'C3F8'"
            )
        counts: dict[str, float] = {}
        for sym, n in terms:
            key = _element(sym).symbol
            counts[key] = counts.get(key, 0.0) + (float(n) if n else 1.0)
        return cls(text, tuple(counts.items()))

    @property
    def molar_mass_g_per_mol(self) -> float:
        """Mass of one mole of formula units [g/mol]."""
        return M_U_G_PER_MOL * sum(n * _element(s).mean_atomic_mass_u for s, n in self.composition)

    @property
    def formula_units_per_tonne(self) -> float:
        """Formula units (molecules, or atoms for an element) per tonne."""
        return N_A * 1e6 / self.molar_mass_g_per_mol

    @property
    def electrons_per_tonne(self) -> float:
        """Atomic electrons per tonne: N_fu * sum_i n_i Z_i."""
        z = sum(n * _element(s).Z for s, n in self.composition)
        return self.formula_units_per_tonne * z

    @property
    def electrons_per_mass(self) -> float:
        """Atomic electrons per unit mass [1/mass, hepunits]."""
        return self.electrons_per_tonne / tonne

    def nuclei_per_tonne(self) -> dict[str, float]:
        """Nuclei of each element per tonne, ``{symbol: count}``."""
        fu = self.formula_units_per_tonne
        return {s: fu * n for s, n in self.composition}

    def isotopes_per_tonne(self) -> list[tuple[str, object, float]]:
        """``[(symbol, nuclei.Isotope, nuclei per tonne), ...]`` split by natural abundance."""
        out = []
        for sym, count in self.nuclei_per_tonne().items():
            el = _element(sym)
            total = float(el.abundances.sum())
            out.extend((sym, iso, count * iso.abundance / total) for iso in el.isotopes)
        return out


def target(spec: str | Target) -> Target:
    """A :class:`Target` from a formula string (``"Xe"``, ``"CsI"``) or a Target (passed on)."""
    return spec if isinstance(spec, Target) else Target.from_formula(spec)


def electrons_per_tonne(spec: str | Target) -> float:
    """Atomic electrons per tonne of ``spec`` (formula or Target)."""
    return target(spec).electrons_per_tonne


def nuclei_per_tonne(spec: str | Target) -> dict[str, float]:
    """Nuclei per tonne of ``spec`` by element symbol."""
    return target(spec).nuclei_per_tonne()
