"""Likelihoods whose signal is a function of several couplings (global fits).

Each experiment (a :class:`Channel`) contributes Σ_k a_k(p) S_k: fixed component templates S_k
(e.g. one per incoming neutrino mass state) weighted by a_k(p), a function of the coupling vector
p shared by all channels. Backgrounds, their constraints and systematics come from the channel's
base likelihood (binned or unbinned), whose own signal templates are not used; the normalisation
nuisances acting on its signal (``signal_sigma``, a :class:`nuem.stats.NormSystematic` naming
``"signal"``) scale Σ_k a_k(p) S_k. Named systematics with the same name in several channels are
one parameter (as in :class:`nuem.stats.CombinedLikelihood`); other nuisances are per channel,
``"<label>.<name>"``.

:meth:`ParametricLikelihood.for_poi` turns one coupling into the POI of a single-POI view (the
other couplings become free nuisance parameters, profiled), so :func:`nuem.stats.fit`,
:func:`nuem.stats.upper_limit`, :func:`nuem.stats.interval` and
:func:`nuem.stats.scan.allowed_region` work unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import finite
from nuem.errors import NuemInputError
from nuem.stats.combine import merge_nuisances
from nuem.stats.model import Nuisance, Penalty


@dataclass(frozen=True)
class Channel:
    """One experiment: base likelihood ``lik`` (backgrounds, data) and signal ``components``
    (K, n) per unit weight; ``totals`` (K,) are their integrals (required when ``lik`` is
    unbinned).

    The signal Σ_k a_k S_k is multiplied by the base model's signal normalisation
    (:meth:`nuem.stats.Model.signal_factor`); shape systematics of the base model may act on its
    backgrounds only (its signal templates, hence their shape effects, are not used: a base model
    with a shape systematic on ``"signal"`` is rejected).
    """

    lik: object
    components: np.ndarray
    totals: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.lik.model.has_signal_shape:
            raise NuemInputError(
                "Channel: the base likelihood has a shape systematic on 'signal'; its signal "
                "templates are replaced by the components, so the effect cannot be carried over "
                "(give the shape systematic on the backgrounds only)"
            )
        c = np.atleast_2d(finite("components", self.components))
        if c.shape[1] != self.lik.model.size:
            raise NuemInputError(
                f"components have {c.shape[1]} entries; the likelihood has {self.lik.model.size}"
            )
        object.__setattr__(self, "components", c)
        unbinned = hasattr(self.lik, "n_events")
        if unbinned and self.totals is None:
            raise NuemInputError("an unbinned channel needs the components' totals")
        if self.totals is not None:
            t = np.atleast_1d(finite("totals", self.totals))
            if t.shape != (c.shape[0],):
                raise NuemInputError(f"totals has shape {t.shape}; expected ({c.shape[0]},)")
            object.__setattr__(self, "totals", t)

    @property
    def n_components(self) -> int:
        return self.components.shape[0]

    @property
    def nuisances(self) -> tuple[Nuisance, ...]:
        return self.lik.nuisances

    def signal_total(self, a: np.ndarray) -> float:
        tot = self.totals if self.totals is not None else self.components.sum(axis=1)
        return float(a @ tot)

    def data_nll2(self, a: np.ndarray, thetas: np.ndarray) -> float:
        """The data term of −2 ln L for component weights ``a`` and the base nuisances."""
        m = self.lik.model
        f = m.signal_factor(thetas)
        nu = m.expected(0.0, thetas) + f * (a @ self.components)
        total = None
        if self.totals is not None:
            total = m.expected_total(0.0, thetas) + f * float(a @ self.totals)
        return self.lik.nll2_of_expected(nu, total)

    def nll2(self, a: np.ndarray, thetas: np.ndarray) -> float:
        """−2 ln L of the channel for component weights ``a`` and its nuisances (the base
        likelihood's: backgrounds, signal normalisation, systematics)."""
        return self.data_nll2(a, thetas) + self.lik.penalty(thetas)

    def asimov(self) -> Channel:
        """Background-only Asimov version (binned base likelihoods only)."""
        if not hasattr(self.lik, "asimov"):
            raise NuemInputError("an unbinned channel has no Asimov data set; use a binned one")
        return Channel(self.lik.asimov(0.0), self.components, self.totals)


@dataclass(frozen=True)
class Coupling:
    """A coupling of the fit: ``name``, lower bound (0, or None for a signed coupling)."""

    name: str
    lower: float | None = 0.0


@dataclass(frozen=True)
class ParametricLikelihood:
    """−2 ln L(p, θ) = Σ_c −2 ln L_c(a(p), θ_c) with ``weights(p) -> a`` (K,) shared by all
    channels; ``couplings`` name the entries of p."""

    channels: Sequence[Channel]
    couplings: Sequence[Coupling]
    weights: Callable[[np.ndarray], np.ndarray]
    labels: Sequence[str] | None = None
    _maps: tuple[np.ndarray, ...] = field(init=False, repr=False)
    _nuis: tuple[Nuisance, ...] = field(init=False, repr=False)
    _penalty: Penalty = field(init=False, repr=False)
    _scales: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        ch = tuple(self.channels)
        if not ch:
            raise NuemInputError("channels = [] is not allowed; give at least one")
        if not self.couplings:
            raise NuemInputError("couplings = [] is not allowed; give at least one")
        k = {c.n_components for c in ch}
        if len(k) != 1:
            raise NuemInputError(f"channels disagree on the number of components: {sorted(k)}")
        labels = tuple(self.labels) if self.labels is not None else tuple(
            f"exp{i}" for i in range(len(ch))
        )  # fmt: skip
        if len(labels) != len(ch):
            raise NuemInputError("labels must give one label per channel")
        nuis, maps = merge_nuisances(labels, [c.nuisances for c in ch])
        object.__setattr__(self, "channels", ch)
        object.__setattr__(self, "couplings", tuple(self.couplings))
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "_maps", maps)
        object.__setattr__(self, "_nuis", nuis)
        object.__setattr__(self, "_penalty", Penalty(nuis))
        scales = np.array([self._natural_scale(i) for i in range(len(self.couplings))])
        object.__setattr__(self, "_scales", scales)

    @property
    def background_nuisances(self) -> tuple[Nuisance, ...]:
        """Every channel's nuisances: ``"<label>.<name>"``, except named systematics, which
        keep their name and are one parameter across the channels that have them."""
        return self._nuis

    def nll2(self, p: ArrayLike, thetas: ArrayLike = ()) -> float:
        """−2 ln L at couplings ``p`` and nuisances ``thetas`` (all channels; each distinct
        nuisance constrained once)."""
        a = np.asarray(self.weights(np.asarray(p, dtype=np.float64)), dtype=np.float64)
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        data = sum(c.data_nll2(a, th[m]) for c, m in zip(self.channels, self._maps, strict=True))
        return float(data + self._penalty(th))

    def coupling_scale(self, i: int) -> float:
        """Natural size of coupling i alone: signal total ≈ √(background) + 1 (a(p) is taken
        to grow as p²). Used only to rescale the minimiser's variables."""
        return float(self._scales[i])

    def _natural_scale(self, i: int) -> float:
        p = np.zeros(len(self.couplings))
        p[i] = 1.0
        a = np.asarray(self.weights(p), dtype=np.float64)
        s1 = sum(c.signal_total(a) for c in self.channels)
        btot = sum(abs(b.template.integral) for c in self.channels for b in c.lik.model.backgrounds)
        if not s1 > 0:
            raise NuemInputError(f"coupling {self.couplings[i].name!r} gives no signal")
        return float(np.sqrt((np.sqrt(btot) + 1.0) / s1))

    def for_poi(self, name: str) -> CouplingView:
        """Single-POI view with coupling ``name`` as POI and the others profiled."""
        names = [c.name for c in self.couplings]
        if name not in names:
            raise NuemInputError(f"coupling {name!r} unknown; allowed: {', '.join(names)}")
        return CouplingView(self, names.index(name))

    def asimov(self) -> ParametricLikelihood:
        """Background-only Asimov data for every channel (binned channels only)."""
        return ParametricLikelihood(
            [c.asimov() for c in self.channels], self.couplings, self.weights, self.labels
        )


@dataclass(frozen=True)
class CouplingView:
    """The single-POI interface of :mod:`nuem.stats.fit` on a :class:`ParametricLikelihood`.

    The nuisances are the other couplings (free, in units of their natural scale, bounded like
    the coupling) followed by every channel's background normalisations.
    """

    parent: ParametricLikelihood
    index: int

    @property
    def poi(self) -> str:
        return self.parent.couplings[self.index].name

    @property
    def poi_lower(self) -> float | None:
        return self.parent.couplings[self.index].lower

    @property
    def poi_scale(self) -> float:
        return self.parent.coupling_scale(self.index)

    @property
    def _others(self) -> list[int]:
        return [i for i in range(len(self.parent.couplings)) if i != self.index]

    @property
    def nuisances(self) -> tuple[Nuisance, ...]:
        cs = self.parent.couplings
        free = tuple(Nuisance(cs[i].name, None, "gaussian", 0.0, cs[i].lower) for i in self._others)
        return free + self.parent.background_nuisances

    def _split(self, x: float, thetas: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        others = self._others
        p = np.zeros(len(self.parent.couplings))
        p[self.index] = x
        for k, i in enumerate(others):
            p[i] = th[k] * self.parent.coupling_scale(i)
        return p, th[len(others) :]

    def nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        p, th = self._split(x, thetas)
        return self.parent.nll2(p, th)

    def data_nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        return self.nll2(x, thetas)

    def asimov(self, x: float = 0.0) -> CouplingView:
        if x != 0.0:
            raise NuemInputError("only the background-only Asimov set (x = 0) is available")
        return CouplingView(self.parent.asimov(), self.index)
