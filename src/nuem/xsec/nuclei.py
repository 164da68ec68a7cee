"""Natural-abundance isotope tables for the nuclear targets of neutrino detectors.

Each element lists its stable isotopes with (Z, N, A), the atomic mass and the natural abundance
(amount fraction). Sources:

- atomic masses: AME2020, W.J. Huang et al., Chinese Phys. C 45 (2021) 030002 and M. Wang et al.,
  Chinese Phys. C 45 (2021) 030003 (values in micro-u, rounded to the digits shown);
- isotopic abundances: IUPAC/CIAAW "Isotopic compositions of the elements" (J. Meija et al.,
  Pure Appl. Chem. 88 (2016) 293 and the CIAAW tables at ciaaw.org); for Xe the best measurement
  of Valkiers et al., Int. J. Mass Spectrom. 173 (1998) 55 that CIAAW adopts; argon is
  atmospheric argon;
- standard atomic weights for the consistency check: CIAAW 2021, T. Prohaska et al.,
  Pure Appl. Chem. 94 (2022) 573 (an interval [lo, hi]; a value +- uncertainty is stored as one).

The nuclear mass is m_A = M_atom - Z m_e. The total electronic binding energy (about 0.2 MeV for
Xe, i.e. 2e-6 of m_A; Lunney, Pearson & Thibault, RMP 75 (2003) 1021, eq. A4) is neglected.
Masses are in the hepunits system (MeV = 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from nuem import constants as c
from nuem._validate import choice


@dataclass(frozen=True)
class Isotope:
    """One isotope: charge Z, neutron number N, mass number A, atomic mass [u], abundance."""

    Z: int
    N: int
    A: int
    atomic_mass_u: float
    abundance: float

    @property
    def mass(self) -> float:
        """Nuclear mass [MeV] = atomic mass - Z m_e (electron binding neglected)."""
        return self.atomic_mass_u * c.atomic_mass_unit.value - self.Z * c.m_e.value


@dataclass(frozen=True)
class Element:
    """A natural element: its isotopes and the CIAAW 2021 standard atomic weight interval."""

    symbol: str
    name: str
    Z: int
    isotopes: tuple[Isotope, ...]
    atomic_weight_interval: tuple[float, float]

    @cached_property
    def abundances(self) -> np.ndarray:
        """Isotope abundances (amount fractions), in table order."""
        return np.array([i.abundance for i in self.isotopes])

    @cached_property
    def masses(self) -> np.ndarray:
        """Isotope nuclear masses [MeV]."""
        return np.array([i.mass for i in self.isotopes])

    @cached_property
    def mass_numbers(self) -> np.ndarray:
        return np.array([i.A for i in self.isotopes])

    @cached_property
    def neutron_numbers(self) -> np.ndarray:
        return np.array([i.N for i in self.isotopes])

    @property
    def mean_nuclear_mass(self) -> float:
        """Abundance-weighted mean nuclear mass [MeV]."""
        return float(np.sum(self.abundances * self.masses) / np.sum(self.abundances))

    @property
    def mean_atomic_mass_u(self) -> float:
        """Abundance-weighted mean atomic mass [u] (compare with the standard atomic weight)."""
        m = np.array([i.atomic_mass_u for i in self.isotopes])
        return float(np.sum(self.abundances * m) / np.sum(self.abundances))

    @property
    def mean_N(self) -> float:
        """Abundance-weighted mean neutron number."""
        return float(np.sum(self.abundances * self.neutron_numbers) / np.sum(self.abundances))


def _el(symbol, name, Z, weight, rows) -> Element:
    isos = tuple(Isotope(Z, A - Z, A, mu * 1e-6, ab) for A, mu, ab in rows)
    return Element(symbol, name, Z, isos, weight)


# (A, atomic mass [micro-u] from AME2020, abundance); weight interval from CIAAW 2021.
_TABLE: dict[str, Element] = {
    e.symbol: e
    for e in (
        _el("H", "hydrogen", 1, (1.00784, 1.00811), [
            (1, 1_007_825.031898, 0.999885),
            (2, 2_014_101.777844, 0.000115),
        ]),
        _el("C", "carbon", 6, (12.0096, 12.0116), [
            (12, 12_000_000.0, 0.9894),
            (13, 13_003_354.83534, 0.0106),
        ]),
        _el("O", "oxygen", 8, (15.99903, 15.99977), [
            (16, 15_994_914.6193, 0.99757),
            (17, 16_999_131.756, 0.00038),
            (18, 17_999_159.6121, 0.00205),
        ]),
        _el("F", "fluorine", 9, (18.998403157, 18.998403167), [
            (19, 18_998_403.1621, 1.0),
        ]),
        _el("Na", "sodium", 11, (22.98976926, 22.98976930), [
            (23, 22_989_769.282, 1.0),
        ]),
        _el("Si", "silicon", 14, (28.084, 28.086), [
            (28, 27_976_926.53442, 0.92223),
            (29, 28_976_494.6643, 0.04685),
            (30, 29_973_770.137, 0.03092),
        ]),
        _el("Ar", "argon", 18, (39.792, 39.963), [
            (36, 35_967_545.106, 0.003336),
            (38, 37_962_732.1, 0.000629),
            (40, 39_962_383.122, 0.996035),
        ]),
        _el("Ge", "germanium", 32, (72.622, 72.638), [
            (70, 69_924_248.5, 0.2052),
            (72, 71_922_075.82, 0.2745),
            (73, 72_923_458.95, 0.0776),
            (74, 73_921_177.761, 0.3652),
            (76, 75_921_402.725, 0.0775),
        ]),
        _el("I", "iodine", 53, (126.90444, 126.90450), [
            (127, 126_904_473.0, 1.0),
        ]),
        _el("Cs", "caesium", 55, (132.90545190, 132.90545202), [
            (133, 132_905_451.959, 1.0),
        ]),
        _el("Xe", "xenon", 54, (131.287, 131.299), [
            (124, 123_905_885.2, 0.000952),
            (126, 125_904_297.422, 0.000890),
            (128, 127_903_530.753, 0.019102),
            (129, 128_904_780.857, 0.264006),
            (130, 129_903_509.347, 0.040710),
            (131, 130_905_084.128, 0.212324),
            (132, 131_904_155.083, 0.269086),
            (134, 133_905_393.03, 0.104357),
            (136, 135_907_214.474, 0.088573),
        ]),
    )
}  # fmt: skip

#: Symbols of the elements with isotope tables.
ELEMENTS: tuple[str, ...] = ("Xe", "Ar", "Ge", "Si", "Cs", "I", "Na", "F", "C", "O", "H")


def element(symbol: str | Element) -> Element:
    """The :class:`Element` for ``symbol`` (case-insensitive, e.g. ``"Xe"``); an Element passes.

    Raises NuemInputError listing the known symbols for an unknown one.
    """
    if isinstance(symbol, Element):
        return symbol
    return _TABLE[choice("target", symbol, ELEMENTS)]
