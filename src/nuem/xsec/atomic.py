"""Atomic binding models for neutrino scattering on the electrons of an atom.

A model gives the effective number of electrons per atom that can take a recoil T; the
cross section per atom is ``model.electrons(T) * (free-electron dsigma/dT)``.

- :class:`FreeElectrons`: all Z electrons scatter as if free.
- :class:`Stepping`: the stepping approximation, Z_eff(T) = sum_i n_i theta(T - B_i) over atomic
  sub-shells with binding energy B_i and occupancy n_i (e.g. Chen et al., PLB 774 (2017) 656,
  arXiv:1610.04177; PHYSICS.md §2). It tracks ab-initio (RRPA) results above ~1 keV in Xe.
- :class:`Corrected`: any model times an energy-dependent factor f(T) (e.g. an RRPA/stepping
  ratio), a hook for refined atomic calculations.
- :class:`Photoabsorption`: stepping for close collisions (and every contact-like term: weak,
  magnetic, charge radius), plus distant collisions from the photoabsorption cross section for
  the pure photon-exchange (millicharge q^2) term (:mod:`nuem.xsec.photoabsorption`; PAI model of
  Allison & Cobb 1980). A :class:`PhotonAbsorber` is any model with ``distant(T)``.
- ``"rrpa"`` (Xe): stepping times the ab-initio RRPA/stepping ratio of the SM pp rate
  (:func:`rrpa_xenon_ratio`, Chen et al. 2017), an optional correction meant for the weak and
  magnetic terms (it scales every close-collision term; no distant collisions).

Shell tables (binding energies relative to the vacuum level for the gases, the Fermi level for the
solid; eV values as published, stored in hepunits):

- Xe, Ar: X-ray Data Booklet (A. Thompson et al., LBNL, 3rd ed. 2009), Table 1-1 (G.P. Williams),
  whose Xe values are those of PHYSICS.md §2 (quoted there after Chen et al.).
- Ge: K..M5 from the same Table 1-1; the valence 4s and 4p (not in that table) from the free-atom
  values of T.A. Carlson, *Photoelectron and Auger Spectroscopy* (Plenum, 1975).
- Si: K, L1..L3 from the same Table 1-1; the valence 3p at the first ionisation energy (8.15 eV,
  NIST ASD) and 3s at 14.9 eV (a recalled free-atom value, unverified; it matters only for
  recoils below ~15 eV).
- :data:`XE_SHELLS_CHEN2017`: the alternative Xe table of SNuDD (``binding_xenon.csv``, taken
  from the RRPA paper of Chen et al.; shared/data/xenon_atomic), theory values that differ from
  the measured ones by < 1% for K and L and up to ~20% for the 4p sub-shells.

The claimed large "atomic enhancement" of magnetic-moment signals (GEMMA 2010, Wong et al.) was
refuted (PHYSICS.md §2) and is deliberately not offered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice, non_negative, positive
from nuem.errors import NuemInputError
from nuem.xsec import photoabsorption as _pa


@dataclass(frozen=True)
class Shell:
    """An atomic sub-shell: label, binding energy (hepunits energy) and number of electrons."""

    name: str
    binding: float
    occupancy: int


def _shells(rows: Sequence[tuple[str, float, int]]) -> tuple[Shell, ...]:
    return tuple(Shell(n, b * u.eV, k) for n, b, k in rows)


#: Xe sub-shells: X-ray Data Booklet Table 1-1 (eV).
XE_SHELLS = _shells([
    ("1s", 34561.0, 2), ("2s", 5453.0, 2), ("2p1/2", 5107.0, 2), ("2p3/2", 4786.0, 4),
    ("3s", 1148.7, 2), ("3p1/2", 1002.1, 2), ("3p3/2", 940.6, 4), ("3d3/2", 689.0, 4),
    ("3d5/2", 676.4, 6), ("4s", 213.2, 2), ("4p1/2", 146.7, 2), ("4p3/2", 145.5, 4),
    ("4d3/2", 69.5, 4), ("4d5/2", 67.5, 6), ("5s", 23.3, 2), ("5p1/2", 13.4, 2),
    ("5p3/2", 12.1, 4),
])  # fmt: skip

#: Ar sub-shells: X-ray Data Booklet Table 1-1 (eV).
AR_SHELLS = _shells([
    ("1s", 3205.9, 2), ("2s", 326.3, 2), ("2p1/2", 250.6, 2), ("2p3/2", 248.4, 4),
    ("3s", 29.3, 2), ("3p1/2", 15.9, 2), ("3p3/2", 15.7, 4),
])  # fmt: skip

#: Ge sub-shells: X-ray Data Booklet Table 1-1 (K..M5) and Carlson 1975 (4s, 4p), in eV.
GE_SHELLS = _shells([
    ("1s", 11103.1, 2), ("2s", 1414.6, 2), ("2p1/2", 1248.1, 2), ("2p3/2", 1217.0, 4),
    ("3s", 180.1, 2), ("3p1/2", 124.9, 2), ("3p3/2", 120.8, 4), ("3d3/2", 29.8, 4),
    ("3d5/2", 29.2, 6), ("4s", 14.3, 2), ("4p", 7.9, 2),
])  # fmt: skip

#: Si sub-shells: X-ray Data Booklet Table 1-1 (K, L1-L3; solid, Fermi level) and the free atom's
#: 3s / 3p valence (3p: the first ionisation energy 8.15 eV, NIST ASD; 3s: 14.9 eV, recalled
#: Lotz / Carlson free-atom value, unverified), in eV.
SI_SHELLS = _shells([
    ("1s", 1839.0, 2), ("2s", 149.7, 2), ("2p1/2", 99.8, 2), ("2p3/2", 99.2, 4),
    ("3s", 14.9, 2), ("3p", 8.15, 2),
])  # fmt: skip

#: Alternative Xe table (theory values) used by SNuDD after Chen et al. (arXiv:1610.04177), eV.
XE_SHELLS_CHEN2017 = _shells([
    ("1s", 34759.0, 2), ("2s", 5509.8, 2), ("2p1/2", 5161.5, 2), ("2p3/2", 4835.6, 4),
    ("3s", 1170.5, 2), ("3p1/2", 1024.8, 2), ("3p3/2", 961.2, 4), ("3d3/2", 708.1, 4),
    ("3d5/2", 649.9, 6), ("4s", 229.4, 2), ("4p1/2", 175.6, 2), ("4p3/2", 162.8, 4),
    ("4d3/2", 73.8, 4), ("4d5/2", 71.7, 6), ("5s", 27.5, 2), ("5p1/2", 13.4, 2),
    ("5p3/2", 12.0, 4),
])  # fmt: skip

#: Default shell tables by element symbol.
SHELLS: dict[str, tuple[Shell, ...]] = {
    "Xe": XE_SHELLS,
    "Ar": AR_SHELLS,
    "Ge": GE_SHELLS,
    "Si": SI_SHELLS,
}
#: Atomic numbers of the elements with shell tables.
ATOMIC_NUMBER: dict[str, int] = {"Xe": 54, "Ar": 18, "Ge": 32, "Si": 14}


@runtime_checkable
class AtomicModel(Protocol):
    """What the rates engine needs: ``Z`` and ``electrons(T)``."""

    Z: int

    def electrons(self, T: ArrayLike) -> np.ndarray: ...


class FreeElectrons:
    """All Z electrons scatter as free electrons: electrons(T) = Z."""

    def __init__(self, Z: int) -> None:
        if isinstance(Z, bool) or not isinstance(Z, (int, np.integer)) or Z < 1:
            raise NuemInputError(f"Z = {Z!r} is not allowed; it must be an integer >= 1")
        self.Z = int(Z)

    def electrons(self, T: ArrayLike) -> np.ndarray:
        """Effective number of electrons at recoil T [energy]: Z everywhere."""
        T = non_negative("T", T, "MeV")
        return np.full(T.shape, float(self.Z))

    def __repr__(self) -> str:
        return f"FreeElectrons(Z={self.Z})"


class Stepping:
    """Stepping approximation: electrons(T) = sum of occupancies of sub-shells with B_i < T.

    ``element``: symbol with a table in :data:`SHELLS` ("Xe", "Ar", "Ge"); ``shells`` overrides
    the table (a sequence of :class:`Shell`, e.g. :data:`XE_SHELLS_CHEN2017`); its occupancies
    must add up to Z.
    """

    def __init__(self, element: str, shells: Sequence[Shell] | None = None) -> None:
        self.element = choice("element", element, SHELLS)
        self.Z = ATOMIC_NUMBER[self.element]
        table = tuple(SHELLS[self.element] if shells is None else shells)
        if not table or not all(isinstance(s, Shell) for s in table):
            raise NuemInputError("shells must be a non-empty sequence of atomic.Shell")
        total = sum(s.occupancy for s in table)
        if total != self.Z:
            raise NuemInputError(
                f"shell occupancies add up to {total}; allowed: Z = {self.Z} for {self.element}"
            )
        if any(not (s.binding > 0 and np.isfinite(s.binding)) for s in table):
            raise NuemInputError("shell binding energies must be finite and > 0")
        self.shells = table
        order = np.argsort([s.binding for s in table], kind="stable")
        self._edges = np.array([table[i].binding for i in order])
        self._cum = np.concatenate([[0.0], np.cumsum([table[i].occupancy for i in order])])

    def electrons(self, T: ArrayLike) -> np.ndarray:
        """Number of electrons with binding energy below T (T in hepunits energy)."""
        T = non_negative("T", T, "MeV")
        return self._cum[np.searchsorted(self._edges, T, side="left")]

    def __repr__(self) -> str:
        return f"Stepping({self.element!r})"


class Corrected:
    """``base`` model times an energy-dependent factor: electrons(T) = base.electrons(T) * f(T).

    ``factor`` is a callable of T (hepunits energy, array) returning finite, non-negative numbers
    broadcastable to T (e.g. an interpolated RRPA/stepping ratio). Checked at every call.
    """

    def __init__(self, base: AtomicModel, factor: Callable[[np.ndarray], ArrayLike]) -> None:
        if not isinstance(base, AtomicModel):
            raise NuemInputError(f"base = {base!r} is not an atomic model (needs Z, electrons)")
        if not callable(factor):
            raise NuemInputError(f"factor = {factor!r} is not callable")
        self.base = base
        self.factor = factor
        self.Z = base.Z

    def electrons(self, T: ArrayLike) -> np.ndarray:
        """base.electrons(T) * factor(T)."""
        T = non_negative("T", T, "MeV")
        try:
            f = np.asarray(self.factor(T), dtype=float)
        except (TypeError, ValueError) as exc:
            raise NuemInputError(f"correction factor did not return numbers: {exc}") from exc
        if not np.all(np.isfinite(f)) or np.any(f < 0):
            raise NuemInputError("correction factor returned values that are not finite and >= 0")
        try:
            return self.base.electrons(T) * np.broadcast_to(f, T.shape)
        except ValueError as exc:
            raise NuemInputError(
                f"correction factor shape {f.shape} does not match T shape {T.shape}"
            ) from exc

    def __repr__(self) -> str:
        return f"Corrected({self.base!r}, {self.factor!r})"


@runtime_checkable
class PhotonAbsorber(Protocol):
    """An atomic model that also gives distant collisions: ``distant(T)`` [area/energy per atom
    and per q^2, beta = 1], to be multiplied by the spin-1/2 splitting factor
    1 - T/E + T^2/(2E^2) and integrated over E >= T (the atom absorbs a nearly real photon)."""

    Z: int

    def electrons(self, T: ArrayLike) -> np.ndarray: ...

    def distant(self, T: ArrayLike) -> np.ndarray: ...

    def absorption_edges(self) -> np.ndarray: ...


class Photoabsorption:
    """Photoabsorption-ionisation model: close collisions from the stepping approximation
    (``electrons(T)``, used by every channel) plus distant collisions (``distant(T)``, used by
    the pure photon-exchange term only; :func:`nuem.xsec.photoabsorption.distant_collisions`).

    ``element``: "Xe", "Ge" or "Ar"; ``density``: mass density of the medium (None: the default
    of :data:`nuem.xsec.photoabsorption.MEDIA`); ``shells``: stepping table override.
    """

    def __init__(
        self, element: str, density: float | None = None, shells: Sequence[Shell] | None = None
    ) -> None:
        self.close = Stepping(element, shells)
        self.element = self.close.element
        choice("element", self.element, _pa.TABLE_ELEMENTS)
        self.Z = self.close.Z
        self.shells = self.close.shells
        self.density = density
        self.table = _pa.photoabsorption_table(self.element)

    def electrons(self, T: ArrayLike) -> np.ndarray:
        """Close collisions: the stepping count at T (hepunits energy)."""
        return self.close.electrons(T)

    def distant(self, T: ArrayLike) -> np.ndarray:
        """Distant collisions per atom and per q^2 [area/energy] at energy transfer T."""
        return _pa.distant_collisions(T, self.element, self.density)

    def absorption_edges(self) -> np.ndarray:
        """Energies of the steep rises of the photoabsorption table (quadrature breaks)."""
        return self.table.edges()

    def millicharge_distant(self, E: ArrayLike, T: ArrayLike, q: float) -> np.ndarray:
        """Distant-collision dsigma/dT per atom [area/energy] of a neutrino of energy E and
        millicharge ``q`` (units of e) at energy transfer T: q^2 distant(T) (1 - T/E +
        T^2/(2E^2)) for E >= T, else 0."""
        E = positive("E", E, "MeV")
        T = non_negative("T", T, "MeV")
        E, T = np.broadcast_arrays(E, T)
        x = np.where(E >= T, T / E, 0.0)
        split = np.where(E >= T, 1.0 - x + 0.5 * x * x, 0.0)
        return float(q) ** 2 * self.distant(T) * split

    def __repr__(self) -> str:
        d = "" if self.density is None else f", density={self.density!r}"
        return f"Photoabsorption({self.element!r}{d})"


@cache
def _rrpa_table() -> tuple[np.ndarray, np.ndarray]:
    text = (files("nuem") / "data" / "atomic" / "rrpa_xe_pp_ratio.csv").read_text(encoding="utf-8")
    rows = [ln.split(",") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    data = np.array(rows[1:], dtype=np.float64)
    return data[:, 0] * u.keV, data[:, 1]


#: Energy range [hepunits] over which the RRPA ratio is tabulated (the end values outside).
RRPA_XE_RANGE = (0.26 * u.keV, 29.5 * u.keV)


def rrpa_xenon_ratio(T: ArrayLike) -> np.ndarray:
    """RRPA / stepping ratio of the SM pp-neutrino rate in xenon at recoil T [energy].

    Chen et al., PLB 774 (2017) 656, arXiv:1610.04177 (ab-initio relativistic random-phase
    approximation), from the curves digitised by SNuDD (an unverified digitisation;
    ``tools/make_rrpa_table.py``): 0.81-0.89 from 0.26 to 5 keV, falling to 0.69 at 29.5 keV.
    Tabulated from 0.26 to 29.5 keV (linear in ln T); outside, the nearest end value.
    """
    T = non_negative("T", T, "MeV")
    e, r = _rrpa_table()
    return np.interp(np.log(np.clip(T, e[0], e[-1])), np.log(e), r)


def _free(element: str) -> FreeElectrons:
    from nuem.xsec import nuclei

    return FreeElectrons(nuclei.element(choice("element", element, nuclei.ELEMENTS)).Z)


@dataclass(frozen=True)
class ModelSpec:
    """A registered atomic model: its factory ``build(element)`` and the elements it has data
    for (None: any element of :mod:`nuem.xsec.nuclei`)."""

    build: Callable[[str], AtomicModel]
    elements: tuple[str, ...] | None
    summary: str


#: Every atomic model by name, registered once (card ``target.atomic``, ``--atomic``).
REGISTRY: dict[str, ModelSpec] = {
    "free": ModelSpec(_free, None, "all Z electrons free"),
    "stepping": ModelSpec(Stepping, tuple(SHELLS), "electrons with B_i < T"),
    "photoabsorption": ModelSpec(
        Photoabsorption,
        tuple(e for e in SHELLS if e in _pa.TABLE_ELEMENTS),
        "stepping + distant collisions for the photon-exchange (millicharge q^2) term",
    ),
    "rrpa": ModelSpec(
        lambda el: Corrected(Stepping(el), rrpa_xenon_ratio),
        ("Xe",),
        "stepping x the RRPA/stepping ratio of Chen et al. 2017 (weak, magnetic)",
    ),
}
#: Names accepted by :func:`atomic_model`.
MODELS = tuple(REGISTRY)
#: Elements each tabulated model supports (models absent here: any element).
MODEL_ELEMENTS: dict[str, tuple[str, ...]] = {
    k: v.elements for k, v in REGISTRY.items() if v.elements is not None
}


def atomic_model(name: str, element: str) -> AtomicModel:
    """The registered model ``name`` (:data:`REGISTRY`) for ``element``: ``"free"`` (any element
    of :mod:`nuem.xsec.nuclei`), ``"stepping"`` (Xe/Ar/Ge/Si), ``"photoabsorption"`` (Xe/Ar/Ge:
    stepping + distant collisions for the photon-exchange term) or ``"rrpa"`` (Xe: stepping x
    :func:`rrpa_xenon_ratio`, for the weak and magnetic terms)."""
    spec = REGISTRY[choice("atomic model", name, MODELS)]
    if spec.elements is not None:
        element = choice(f"element of the {name} model", element, spec.elements)
    return spec.build(element)
