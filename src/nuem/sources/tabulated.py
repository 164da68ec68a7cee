"""A user-tabulated source: dPhi/dE per flavour state at the detector, plus optional lines.

``TabulatedSource(energies, fluxes, lines=(), interpolation="linear", timing=None, name=None)``:

- ``energies`` [energy]: strictly increasing, > 0, at least 2 nodes (None for a lines-only
  source with no columns);
- ``fluxes``: {state: dPhi/dE at the nodes [1/(area*time*energy)]} for any subset of
  :data:`nuem.sources.base.FLAVOUR_STATES` (non-negative; a column may not be all zero);
- ``lines``: monoenergetic parts, each ``(energy, flux, state)`` with flux [1/(area*time)];
  a line's state need not have a table column;
- ``interpolation``: 'linear' (default: dPhi/dE piecewise linear in E, the trapezoid integral is
  exact) or 'log-log' (piecewise power law between nodes, exact for a power-law table; a segment
  with a zero end is joined linearly instead). Either way the spectrum is exactly 0 below the
  first and above the last node, and integrals are exact (closed form per segment);
- ``timing``: optional arrival-time profile(s) (:mod:`nuem.sources.timing`): one for every
  component or {state: profile}; without it the source is steady.

Components: one per state present (table column or line), named by the state ("nu_e",
"nubar_mu", ...), in the order of ``FLAVOUR_STATES``; ``states`` are the same names, so each
component has content 1 in its own state. ``flux(state)`` = integral of its column + its lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice, increasing, non_negative, positive
from nuem.errors import NuemInputError
from nuem.sources.base import FLAVOUR_STATES, Line, Source, check_energy, timing_map
from nuem.sources.timing import TimeProfile

__all__ = ["TabulatedSource", "TABULATED_INTERPOLATIONS"]

#: Interpolation schemes of :class:`TabulatedSource`.
TABULATED_INTERPOLATIONS = ("linear", "log-log")


def _segment_integrals(e: np.ndarray, y: np.ndarray, loglog: bool) -> np.ndarray:
    """Exact integral of the interpolant over each segment [e_k, e_{k+1}]."""
    e0, e1, y0, y1 = e[:-1], e[1:], y[:-1], y[1:]
    lin = 0.5 * (y0 + y1) * (e1 - e0)
    if not loglog:
        return lin
    pw = (y0 > 0) & (y1 > 0)
    out = lin.copy()
    if pw.any():
        r = e1[pw] / e0[pw]
        k = np.log(y1[pw] / y0[pw]) / np.log(r)  # slope in log-log
        a = k + 1.0
        # y0 e0 (r^a - 1)/a, -> y0 e0 ln r as a -> 0 (expm1 keeps it accurate near a = 0)
        lnr = np.log(r)
        x = a * lnr
        small = np.abs(x) < 1e-12
        val = np.where(small, lnr, np.expm1(x) / np.where(small, 1.0, a))
        out[pw] = y0[pw] * e0[pw] * val
    return out


class TabulatedSource(Source):
    """A user's flux table per flavour state at the detector (see the module docstring)."""

    def __init__(
        self,
        energies: ArrayLike | None,
        fluxes: Mapping[str, ArrayLike] | None,
        lines: Iterable[tuple[float, float, str]] = (),
        interpolation: str = "linear",
        timing: TimeProfile | Mapping[str, TimeProfile] | None = None,
        name: str | None = None,
    ) -> None:
        self.interpolation = choice("interpolation", interpolation, TABULATED_INTERPOLATIONS)
        if fluxes is None:
            fluxes = {}
        if energies is None:  # a lines-only source
            if fluxes:
                raise NuemInputError("energies = None is only allowed without flux columns")
            energies = [1.0, 2.0]  # placeholder mesh, no column uses it
        e = increasing("energies", positive("energies", energies, "MeV"))
        if not isinstance(fluxes, Mapping):
            raise NuemInputError(
                f"fluxes = {fluxes!r} must be a mapping {{state: dPhi/dE at the energies}}"
            )
        table: dict[str, np.ndarray] = {}
        for key, col in fluxes.items():
            st = choice("fluxes state", key, FLAVOUR_STATES)
            if st in table:
                raise NuemInputError(f"fluxes gives state {st!r} twice")
            y = non_negative(f"fluxes[{key!r}]", col, "per area per time per energy")
            if y.shape != e.shape:
                raise NuemInputError(
                    f"fluxes[{key!r}] has shape {y.shape}; must match energies {e.shape}"
                )
            if not np.any(y > 0):
                raise NuemInputError(
                    f"fluxes[{key!r}] is zero everywhere; drop the column (a state with no flux)"
                )
            table[st] = y.copy()
        line_list: dict[str, list[tuple[float, float]]] = {}
        for i, ln in enumerate(lines):
            try:
                le, lf, ls = ln
            except (TypeError, ValueError) as exc:
                raise NuemInputError(f"lines[{i}] = {ln!r} must be (energy, flux, state)") from exc
            st = choice(f"lines[{i}] state", ls, FLAVOUR_STATES)
            le = float(positive(f"lines[{i}] energy", le, "MeV"))
            lf = float(positive(f"lines[{i}] flux", lf, "per area per time"))
            line_list.setdefault(st, []).append((le, lf))
        comps = tuple(s for s in FLAVOUR_STATES if s in table or s in line_list)
        if not comps:
            raise NuemInputError("fluxes and lines are both empty; a source needs some flux")
        self.energies = e.copy()
        self.table = table
        self.states = comps
        self._components = comps
        loglog = self.interpolation == "log-log"
        self._cont = {s: float(_segment_integrals(e, y, loglog).sum()) for s, y in table.items()}
        self._line_flux = {s: tuple(v) for s, v in line_list.items()}
        self._flux = {
            s: self._cont.get(s, 0.0) + sum(f for _, f in self._line_flux.get(s, ())) for s in comps
        }
        self._lines = {
            s: tuple(Line(le, lf / self._flux[s]) for le, lf in self._line_flux.get(s, ()))
            for s in comps
        }
        self._emax = {}
        for s in comps:
            top = 0.0
            if s in table:
                nz = np.flatnonzero(table[s] > 0)
                top = float(e[min(nz[-1] + 1, e.size - 1)])
            self._emax[s] = max([top] + [le for le, _ in self._line_flux.get(s, ())])
        self._timing = None if timing is None else timing_map(comps, timing, self.check_component)
        if name is None and not table:
            name = f"tabulated lines ({', '.join(comps)})"
        elif name is None:
            lo, hi = e[0] / u.MeV, e[-1] / u.MeV
            name = f"tabulated ({', '.join(comps)}; {lo:.4g}-{hi:.4g} MeV, {self.interpolation})"
        self.name = str(name)

    def __repr__(self) -> str:
        return f"<TabulatedSource {self.name!r}>"

    # ---- Source interface ----------------------------------------------------------------------
    @property
    def components(self) -> tuple[str, ...]:
        return self._components

    def differential(self, state: str, E: ArrayLike) -> np.ndarray:
        """The interpolated table dPhi/dE of ``state`` [1/(area*time*energy)] (0 outside)."""
        st = self.check_component(state)
        e = check_energy(E)
        if st not in self.table:
            return np.zeros_like(e)
        nodes, y = self.energies, self.table[st]
        j = np.clip(np.searchsorted(nodes, e, side="right") - 1, 0, nodes.size - 2)
        e0, e1, y0, y1 = nodes[j], nodes[j + 1], y[j], y[j + 1]
        t = (e - e0) / (e1 - e0)
        val = y0 + (y1 - y0) * t
        if self.interpolation == "log-log":
            pw = (y0 > 0) & (y1 > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                k = np.log(y1 / y0) / np.log(e1 / e0)  # nan/inf only where pw is False
                power = y0 * (np.clip(e, e0, e1) / e0) ** np.where(pw, k, 0.0)
            val = np.where(pw, power, val)
        outside = (e < nodes[0]) | (e > nodes[-1])
        return np.where(outside, 0.0, val)

    def flux(self, component: str) -> float:
        return self._flux[self.check_component(component)]

    def continuum_flux(self, component: str) -> float:
        """Integral of the table column of ``component`` [1/(area*time)] (0 without a column)."""
        return self._cont.get(self.check_component(component), 0.0)

    def spectrum(self, component: str, E: ArrayLike) -> np.ndarray:
        st = self.check_component(component)
        return self.differential(st, E) / self._flux[st]

    def lines(self, component: str) -> tuple[Line, ...]:
        return self._lines[self.check_component(component)]

    def e_max(self, component: str) -> float:
        return self._emax[self.check_component(component)]

    def content(self, component: str, E: ArrayLike) -> np.ndarray:
        st = self.check_component(component)
        e = check_energy(E)
        out = np.zeros(e.shape + (len(self.states),))
        out[..., self.states.index(st)] = 1.0
        return out

    # ---- timing --------------------------------------------------------------------------------
    @property
    def has_timing(self) -> bool:
        return self._timing is not None

    def _time_profile(self, component: str) -> TimeProfile:
        if self._timing is None:
            return super()._time_profile(component)
        return self._timing[component]
