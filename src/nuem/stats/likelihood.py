"""Binned Poisson and extended unbinned likelihoods, as −2 ln L.

Binned (saturated-model form, Baker & Cousins, NIM 221 (1984) 437):
    −2 ln L = 2 Σ_i [ν_i − n_i + n_i ln(n_i/ν_i)]  + Σ_b constraint terms,
so that at the best fit it behaves like a goodness-of-fit χ².
Extended unbinned (Barlow, NIM A297 (1990) 496):
    −2 ln L = 2 [ν_tot − Σ_i ln λ(E_i)]  + Σ_b constraint terms,
with λ the total expected density at each event and ν_tot its integral.

Every likelihood exposes the same small interface used by :mod:`nuem.stats.fit`:
``poi``, ``poi_lower``, ``poi_scale``, ``nuisances`` (floating ones), ``data_nll2(x, thetas)``,
``nll2(x, thetas)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import finite, non_negative
from nuem.errors import NuemInputError
from nuem.stats.model import Model, Nuisance, Penalty

#: −2 ln L returned where the model predicts ν ≤ 0 with data present (a wall for the minimiser).
WALL = 1e12


class _Base:
    model: Model
    aux: np.ndarray
    _nuis: tuple[Nuisance, ...]
    _penalty: Penalty

    @property
    def poi(self) -> str:
        return self.model.poi

    @property
    def poi_lower(self) -> float | None:
        return self.model.poi_lower

    @property
    def poi_scale(self) -> float:
        return self.model.poi_scale()

    @property
    def nuisances(self) -> tuple[Nuisance, ...]:
        """The nuisance parameters (:attr:`Model.nuisances`), constraint centres from ``aux``:
        floating background normalisations, the signal's, then the model's systematics."""
        return self._nuis

    def penalty(self, thetas: ArrayLike) -> float:
        return self._penalty(thetas)

    def nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        """−2 ln L(x, θ) including the constraint terms."""
        return self.data_nll2(x, thetas) + self.penalty(thetas)

    def penalty_grad(self, thetas: ArrayLike) -> np.ndarray:
        """∂/∂θ of the constraint terms: 2(θ − c)/σ² (Gaussian), 2 ln(θ/c)/(θ ln²(1 + σ))
        (log-normal), 0 for a free parameter."""
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        g = np.zeros(th.size)
        for k, n in enumerate(self._nuis):
            if n.sigma is None or n.sigma == 0:
                continue
            if n.constraint == "gaussian":
                g[k] = 2.0 * (th[k] - n.center) / n.sigma**2
            elif th[k] > 0:
                g[k] = 2.0 * np.log(th[k] / n.center) / (th[k] * np.log1p(n.sigma) ** 2)
        return g

    def grad_nll2(self, x: float, thetas: ArrayLike, poi: bool = False) -> np.ndarray:
        """∂(−2 ln L)/∂θ at (x, θ), with ∂/∂x first when ``poi``: the data term's gradient from
        ∂ν/∂(x, θ) (:meth:`_jacobian`) plus the constraints' (:meth:`penalty_grad`); for the
        minimiser (:func:`nuem.stats.profile`, :func:`nuem.stats.fit` with ``grad=True``)."""
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        pen = self.penalty_grad(th)
        return self._data_grad(x, th, poi) + (np.concatenate([[0.0], pen]) if poi else pen)

    @property
    def _weighted(self) -> bool:
        """True when the model has systematics or a signal normalisation: ν = w(x, θ) @ K
        (:meth:`Model.weight_jacobian`), else ν = Σ θ_b B_b + signal."""
        return self.model.n_nuisances != self.model.floating.size

    def _jacobian(
        self, fn, x: float, th: np.ndarray, poi: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """(f, ∂f/∂θ) of ``fn(x, θ)`` (the expectation or total of a model without systematics
        or signal normalisation: ν = Σ θ_b B_b + signal, so ∂ν/∂θ_b = B_b), one row per floating
        background, after a row ∂f/∂x when ``poi`` (central differences, h = 1e-3 of the POI
        scale: exact for the powers 1 and 2 of the signal). Models with systematics use
        :meth:`Model.weight_jacobian`."""
        f0 = np.asarray(fn(x, th), dtype=np.float64)
        m = self.model
        tpl = [m.backgrounds[i].template for i in m.floating]
        J = [t.values if f0.size == t.values.size else [t.integral] for t in tpl]
        J = np.array(J, dtype=np.float64).reshape(len(tpl), f0.size)
        if not poi:
            return f0, J
        h = 1e-3 * self.poi_scale
        dx = (np.asarray(fn(x + h, th), dtype=np.float64) - fn(x - h, th)) / (2.0 * h)
        return f0, np.vstack([dx.reshape(1, f0.size), J])

    def _check_aux(self, aux: ArrayLike | None) -> np.ndarray:
        n = self.model.n_nuisances
        a = self.model.nominal if aux is None else np.atleast_1d(finite("aux", aux))
        if a.shape != (n,):
            raise NuemInputError(f"aux has {a.size} entries; the model has {n} floating nuisances")
        return a

    def _set_aux(self, aux: ArrayLike | None) -> None:
        a = self._check_aux(aux)
        nuis = tuple(
            replace(v, center=float(c)) for v, c in zip(self.model.nuisances, a, strict=True)
        )
        object.__setattr__(self, "aux", a)
        object.__setattr__(self, "_nuis", nuis)
        object.__setattr__(self, "_penalty", Penalty(nuis))


@dataclass(frozen=True)
class BinnedLikelihood(_Base):
    """Poisson likelihood of observed ``counts`` per bin given a binned :class:`Model`.

    ``aux``: centres of the nuisance constraints (global observables), one per
    :attr:`Model.nuisances` entry; default nominal (1 per normalisation, 0 per shape α).
    """

    model: Model
    counts: ArrayLike
    aux: ArrayLike | None = None
    _log_term: np.ndarray = field(init=False, repr=False)
    _pos: np.ndarray | None = field(init=False, repr=False)
    _n_pos: np.ndarray = field(init=False, repr=False)
    _const: float = field(init=False, repr=False)
    _nuis: tuple = field(init=False, repr=False)
    _penalty: Penalty = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = non_negative("counts", self.counts).ravel()
        if n.size != self.model.size:
            raise NuemInputError(f"counts has {n.size} bins; the model has {self.model.size}")
        object.__setattr__(self, "counts", n)
        self._set_aux(self.aux)
        pos = n > 0
        lt = np.zeros_like(n)
        lt[pos] = n[pos] * np.log(n[pos])
        object.__setattr__(self, "_log_term", lt)
        # per-call constants of nll2_of_expected: bins with data, and −Σn + Σ n ln n
        object.__setattr__(self, "_pos", None if pos.all() else np.flatnonzero(pos))
        object.__setattr__(self, "_n_pos", n if pos.all() else n[pos])
        object.__setattr__(self, "_const", float(lt.sum() - n.sum()))

    def data_nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        """2 Σ [ν − n + n ln(n/ν)] (bins with n = 0 contribute 2ν)."""
        return self.nll2_of_expected(self.model.expected(x, thetas))

    def nll2_of_expected(self, nu: np.ndarray, total: float | None = None) -> float:
        """The data term for expected counts ``nu`` per bin (``total`` unused: Σν)."""
        nu_pos = nu if self._pos is None else nu[self._pos]
        if nu.min() <= 0 and ((nu_pos.size and nu_pos.min() <= 0) or nu.min() < 0):
            neg = np.clip(-nu, 0, None).sum()
            return WALL * (1.0 + neg)
        return float(2.0 * (nu.sum() + self._const - np.dot(self._n_pos, np.log(nu_pos))))

    def _data_grad(self, x: float, th: np.ndarray, poi: bool) -> np.ndarray:
        """2 Σ_i (1 − n_i/ν_i) ∂ν_i/∂(x, θ)."""
        if self._weighted:  # ν = w @ K: the gradient is D @ (K @ r), one pass over the bins
            w, D = self.model.weight_jacobian(x, th, 1e-3 * self.poi_scale if poi else None)
            K, _ = self.model.weight_basis
            nu = w @ K
            ratio = np.divide(self.counts, nu, out=np.zeros_like(nu), where=nu > 0)
            return 2.0 * (D @ (K @ (1.0 - ratio)))
        nu, J = self._jacobian(self.model.expected, x, th, poi)
        ratio = np.divide(self.counts, nu, out=np.zeros_like(nu), where=nu > 0)
        return 2.0 * (J @ (1.0 - ratio))

    # --- pseudo-data ---------------------------------------------------------------------
    def asimov(self, x: float = 0.0, thetas: ArrayLike | None = None) -> BinnedLikelihood:
        """Asimov data set (Cowan et al., arXiv:1007.1727, §3.2): counts = ν(x, θ), aux = θ for
        every nuisance (normalisations and shape α); θ nominal by default (1, and α = 0)."""
        th = (
            self.model.nominal
            if thetas is None
            else np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        )
        return replace(self, counts=self.model.expected(x, th), aux=th.copy())

    def sample(self, rng: np.random.Generator, x: float, thetas: ArrayLike) -> BinnedLikelihood:
        """A toy: Poisson counts from ν(x, θ) and constraint centres fluctuated around θ
        (Gaussian: N(θ, σ); log-normal: θ·exp(N(0, ln(1+σ))); shape α: N(α, 1); free: kept)."""
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        nu = np.clip(self.model.expected(x, th), 0, None)
        counts = rng.poisson(nu).astype(np.float64)
        return replace(self, counts=counts, aux=_sample_aux(rng, self.nuisances, th))


def _sample_aux(rng: np.random.Generator, nuis: tuple[Nuisance, ...], th: np.ndarray) -> np.ndarray:
    aux = np.ones(len(nuis))
    for k, (nu, t) in enumerate(zip(nuis, th, strict=True)):
        if nu.sigma is None:
            aux[k] = nu.center
        elif nu.constraint == "gaussian":
            aux[k] = rng.normal(t, nu.sigma)
        else:
            aux[k] = t * np.exp(rng.normal(0.0, np.log1p(nu.sigma)))
    return aux


@dataclass(frozen=True)
class UnbinnedLikelihood(_Base):
    """Extended unbinned likelihood for an event list.

    The model's templates hold the expected density at each observed event (one entry per event,
    any consistent energy unit) and every template must carry an explicit ``total`` (the
    integrated expected count over the analysis window): see :class:`nuem.stats.model.Template`.
    The up/down templates of a :class:`nuem.stats.model.ShapeSystematic` likewise hold densities
    at the events and their own totals.
    """

    model: Model
    aux: ArrayLike | None = None
    _nuis: tuple = field(init=False, repr=False)
    _penalty: Penalty = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.model.has_explicit_totals:
            raise NuemInputError(
                "unbinned model: every template needs an explicit total (Template(values, total)),"
                " the shape systematics' up/down templates included"
            )
        self._set_aux(self.aux)

    @property
    def n_events(self) -> int:
        return self.model.size

    def data_nll2(self, x: float, thetas: ArrayLike = ()) -> float:
        """2 [ν_tot − Σ_i ln λ(E_i)]."""
        lam = self.model.expected(x, thetas)
        return self.nll2_of_expected(lam, self.model.expected_total(x, thetas))

    def _data_grad(self, x: float, th: np.ndarray, poi: bool) -> np.ndarray:
        """2 [∂ν_tot/∂(x, θ) − Σ_i ∂λ_i/∂(x, θ) / λ_i]."""
        if self._weighted:  # λ = w @ K, ν_tot = w @ K_T (as the binned likelihood)
            w, D = self.model.weight_jacobian(x, th, 1e-3 * self.poi_scale if poi else None)
            K, KT = self.model.weight_basis
            lam = w @ K
            inv = np.divide(1.0, lam, out=np.zeros_like(lam), where=lam > 0)
            return 2.0 * (D @ (KT - K @ inv))
        lam, J = self._jacobian(self.model.expected, x, th, poi)
        _, Jt = self._jacobian(self.model.expected_total, x, th, poi)
        inv = np.divide(1.0, lam, out=np.zeros_like(lam), where=lam > 0)
        return 2.0 * (Jt[:, 0] - J @ inv)

    def nll2_of_expected(self, lam: np.ndarray, total: float | None = None) -> float:
        """The data term for densities ``lam`` at the events and integrated count ``total``."""
        if total is None:
            raise NuemInputError("an unbinned likelihood needs the integrated expected count")
        if np.any(lam <= 0):
            return WALL * (1.0 + np.clip(-lam, 0, None).sum())
        return float(2.0 * (total - np.log(lam).sum()))
