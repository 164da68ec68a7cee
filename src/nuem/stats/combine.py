"""Combination of several experiments sharing the POI (and optionally named nuisances).

−2 ln L_comb(x, θ) = Σ_k −2 ln L_k^data(x, θ_k) + Σ_j constraint_j(θ_j): the data terms add; each
distinct nuisance is constrained once. Named systematics (:class:`nuem.stats.NormSystematic`,
:class:`nuem.stats.ShapeSystematic`; ``Nuisance.kind`` "norm"/"shape") with the same name are one
parameter across every experiment that has them (fully correlated); their definitions (kind,
σ, constraint) must agree. A sample's own normalisation (kind "local": a background's ``sigma``,
a model's ``signal_sigma``) is per experiment and renamed ``"<label>.<name>"``, unless it is named
in ``shared``: then it is one parameter across every experiment that has it, its constraint
(σ, shape, centre) taken from the first experiment that lists it. To decorrelate a systematic,
give it a different name in each experiment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike

from nuem.errors import NuemInputError
from nuem.stats.model import Nuisance, Penalty


@dataclass(frozen=True)
class CombinedLikelihood:
    """Sum of the likelihoods ``parts`` (binned, unbinned or combined) with one shared POI."""

    parts: Sequence
    labels: Sequence[str] | None = None
    shared: Sequence[str] = ()
    _nuis: tuple[Nuisance, ...] = field(init=False, repr=False)
    _maps: tuple[np.ndarray, ...] = field(init=False, repr=False)
    _penalty: Penalty = field(init=False, repr=False)

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
        nuis_t, maps = merge_nuisances(labels, [p.nuisances for p in parts], shared)
        missing = shared - {n.name for p in parts for n in p.nuisances}
        if missing:
            raise NuemInputError(f"shared nuisances {sorted(missing)} are in no part")
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "_nuis", nuis_t)
        object.__setattr__(self, "_maps", tuple(maps))
        object.__setattr__(self, "_penalty", Penalty(nuis_t))

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
        return self._penalty(thetas)

    def nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        return self.data_nll2(x, thetas) + self.penalty(thetas)

    def asimov(self, x: float = 0.0) -> CombinedLikelihood:
        """Combination of the parts' Asimov data sets (nuisances nominal)."""
        return CombinedLikelihood([p.asimov(x) for p in self.parts], self.labels, self.shared)

    def sample(self, rng: np.random.Generator, x: float, thetas: ArrayLike) -> CombinedLikelihood:
        """A toy of every part; a shared nuisance's centre (global observable) is the one drawn
        by its first part."""
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        return CombinedLikelihood(
            [p.sample(rng, x, th[m]) for p, m in zip(self.parts, self._maps, strict=True)],
            self.labels,
            self.shared,
        )


def merge_nuisances(
    labels: Sequence[str],
    nuisances: Sequence[Sequence[Nuisance]],
    shared: set[str] | frozenset = frozenset(),
) -> tuple[tuple[Nuisance, ...], tuple[np.ndarray, ...]]:
    """The combined nuisance list and, per part, the indices of its nuisances in it.

    Named systematics (``Nuisance.correlated``) and names in ``shared`` keep their name and are
    merged across parts (the first part's definition and centre); other nuisances become
    ``"<label>.<name>"``.
    """
    merged: dict[str, Nuisance] = {}
    owner: dict[str, str] = {}
    maps = []
    for lab, part in zip(labels, nuisances, strict=True):
        idx = []
        for n in part:
            gname = n.name if (n.correlated or n.name in shared) else f"{lab}.{n.name}"
            if gname not in merged:
                merged[gname] = replace(n, name=gname)
                owner[gname] = lab
            else:
                _check_compatible(merged[gname], n, owner[gname], lab)
                if n.kink and not merged[gname].kink:
                    merged[gname] = replace(merged[gname], kink=True)
            idx.append(list(merged).index(gname))
        if len(set(idx)) != len(idx):
            raise NuemInputError(f"part {lab!r}: two nuisances map to one combined name")
        maps.append(np.array(idx, dtype=int))
    return tuple(merged.values()), tuple(maps)


def _check_compatible(a: Nuisance, b: Nuisance, la: str, lb: str) -> None:
    """One parameter in two experiments: same kind; a systematic also the same constraint."""
    if a.kind != b.kind or (a.correlated and (a.sigma, a.constraint) != (b.sigma, b.constraint)):
        raise NuemInputError(
            f"nuisance {b.name!r} is defined differently in {la!r} (kind {a.kind}, sigma "
            f"{a.sigma}, {a.constraint}) and {lb!r} (kind {b.kind}, sigma {b.sigma}, "
            f"{b.constraint}); a shared nuisance needs one definition (rename one to decorrelate)"
        )
