"""Combination of several experiments sharing the POI (and optionally named nuisances).

−2 ln L_comb(x, θ) = Σ_k −2 ln L_k^data(x, θ_k) + Σ_j constraint_j(θ_j): the data terms add; each
distinct nuisance is constrained once. A nuisance named in ``shared`` is one parameter across every
experiment that has it; its constraint (σ, shape, centre) is taken from the first experiment that
lists it. All other nuisances are renamed ``"<label>.<name>"`` and stay independent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem.errors import NuemInputError
from nuem.stats.model import Nuisance


@dataclass(frozen=True)
class CombinedLikelihood:
    """Sum of the likelihoods ``parts`` (binned, unbinned or combined) with one shared POI."""

    parts: Sequence
    labels: Sequence[str] | None = None
    shared: Sequence[str] = ()
    _nuis: tuple[Nuisance, ...] = field(init=False, repr=False)
    _maps: tuple[np.ndarray, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        parts = tuple(self.parts)
        if not parts:
            raise NuemInputError("parts = [] is not allowed; give at least one likelihood")
        labels = (
            tuple(self.labels)
            if self.labels is not None
            else tuple(f"exp{k}" for k in range(len(parts)))
        )
        if len(labels) != len(parts) or len(set(labels)) != len(labels):
            raise NuemInputError(f"labels = {labels!r} must be unique, one per part")
        pois = {(p.poi, p.poi_lower) for p in parts}
        if len(pois) != 1:
            raise NuemInputError(f"parts disagree on the POI (name, lower bound): {sorted(pois)}")
        shared = set(self.shared)
        names: list[str] = []
        nuis: list[Nuisance] = []
        maps = []
        for lab, p in zip(labels, parts, strict=True):
            idx = []
            for n in p.nuisances:
                gname = n.name if n.name in shared else f"{lab}.{n.name}"
                if gname not in names:
                    names.append(gname)
                    nuis.append(Nuisance(gname, n.sigma, n.constraint, n.center, n.lower))
                idx.append(names.index(gname))
            maps.append(np.array(idx, dtype=int))
        missing = shared - {n.name for p in parts for n in p.nuisances}
        if missing:
            raise NuemInputError(f"shared nuisances {sorted(missing)} are in no part")
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "_nuis", tuple(nuis))
        object.__setattr__(self, "_maps", tuple(maps))

    @property
    def poi(self) -> str:
        return self.parts[0].poi

    @property
    def poi_lower(self) -> float | None:
        return self.parts[0].poi_lower

    @property
    def poi_scale(self) -> float:
        return min(p.poi_scale for p in self.parts)

    @property
    def nuisances(self) -> tuple[Nuisance, ...]:
        return self._nuis

    def data_nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        return float(
            sum(p.data_nll2(x, th[m]) for p, m in zip(self.parts, self._maps, strict=True))
        )

    def penalty(self, thetas: ArrayLike) -> float:
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        return float(sum(n.penalty(t) for n, t in zip(self._nuis, th, strict=True)))

    def nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        return self.data_nll2(x, thetas) + self.penalty(thetas)

    def asimov(self, x: float = 0.0) -> CombinedLikelihood:
        """Combination of the parts' Asimov data sets (nuisances nominal)."""
        return CombinedLikelihood([p.asimov(x) for p in self.parts], self.labels, self.shared)

    def sample(self, rng: np.random.Generator, x: float, thetas: ArrayLike) -> CombinedLikelihood:
        """A toy of every part; a shared nuisance's centre is drawn by its first part."""
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        return CombinedLikelihood(
            [p.sample(rng, x, th[m]) for p, m in zip(self.parts, self._maps, strict=True)],
            self.labels,
            self.shared,
        )
