"""Smearing: from a detected (electron-equivalent) energy E to the reconstructed variable.

One interface, four models, registered in :data:`SMEARINGS`:

- :class:`GaussianSmearing` — reconstructed energy x ~ N(E, sigma(E)) for any sigma(E) of
  :mod:`nuem.detectors.resolution`; bin probabilities Phi((b - E)/sigma) - Phi((a - E)/sigma),
  with an efficiency on the reconstructed energy integrated *exactly* for a piecewise-linear
  eps(x) (int eps(x) N(x; E, sigma) dx in closed form between table nodes).
- :class:`PhotoelectronSmearing` — photoelectron counts n ~ Poisson(lambda), lambda =
  ``light_yield`` x E (PE per energy; COHERENT CsI: Akimov et al., arXiv:2110.07730). Bins are
  integer PE ranges [a, b) (n = a .. b-1); an efficiency eps(n) on the PE count is summed exactly.
- :class:`HitsSmearing` — a saturating hit-count estimator (Borexino's N_h): mean hits
  n_sat (1 - exp(-LY E / n_sat)), Gaussian spread; bins are integer hit ranges.
- :class:`GammaPhotoelectronSmearing` — a continuous reconstructed photoelectron count x with a
  Gamma distribution of mean ``light_yield`` x E and shape k = 1 + b E (COHERENT CsI[Na] 2021
  data release, arXiv:2110.07730: P(x) ~ x^b exp(-a (1 + b) x) with a = 1/(LY E), b = 9.56 E/keVee,
  LY = 1/0.0749 = 13.35 PE/keVee); bins are real PE ranges; an efficiency eps(x) on x is
  integrated exactly for a piecewise-linear eps (incomplete-gamma moments).
- :class:`MatrixSmearing` — a tabulated response P(bin i | E) on nodes E_k (e.g. a
  collaboration's response matrix), linearly interpolated in E, zero outside the nodes.

Every model gives ``bin_probability(E, edges, efficiency)`` (shape (nbins, nE)),
``density(E, x, efficiency)`` (per unit x, for unbinned data; Gaussian only), ``width(E)``
(its spread in E, used by the quadrature to size its pieces), ``reach(x_lo, x_hi, n_sigma)`` (the
detected energies that can land in [x_lo, x_hi]) and ``key()`` (what enters cache keys).
Energies are hepunits floats; the reconstructed variable is an energy (Gaussian) or a plain count
(photoelectrons).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import as_array, positive
from nuem.errors import NuemInputError

__all__ = [
    "SMEARINGS",
    "GammaPhotoelectronSmearing",
    "GaussianSmearing",
    "MatrixSmearing",
    "NoSmearing",
    "HitsSmearing",
    "PhotoelectronSmearing",
]

_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
#: Lowest photoelectron count a bin may start at with a non-zero efficiency.
MIN_PE = 2


def _nodes(f) -> np.ndarray:
    n = getattr(f, "energies", None)
    return np.empty(0) if n is None else np.asarray(n, dtype=np.float64)


def _eps(f, x: np.ndarray) -> np.ndarray:
    return np.ones(np.shape(x)) if f is None else np.asarray(f(x), dtype=np.float64)


def _poisson_pmf(n: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Poisson probability of n counts at mean lam (lam = 0 gives 1 at n = 0)."""
    from scipy.special import gammaln, xlogy  # lazy: scipy.special costs ~0.2 s to import

    return np.exp(xlogy(n, lam) - lam - gammaln(n + 1.0))


def _bisect(f, a: float, b: float) -> float:
    """Largest x in [a, b] with f(x) <= 0 (f(a) <= 0 < f(b)), by bisection in ln x."""
    for _ in range(100):
        m = np.sqrt(a * b)
        if f(m) <= 0.0:
            a = m
        else:
            b = m
    return a


@dataclass(frozen=True)
class NoSmearing:
    """A perfect detector: the reconstructed energy is the detected energy."""

    name = "none"

    def width(self, E: ArrayLike) -> np.ndarray:
        return np.zeros(np.shape(E))

    def reach(self, x_lo: float, x_hi: float, n_sigma: float, e_floor: float):
        return max(x_lo, e_floor), x_hi

    def bin_probability(self, E, edges, efficiency=None) -> np.ndarray:
        E = np.asarray(E, dtype=np.float64)
        inbin = (E[None, :] >= edges[:-1, None]) & (E[None, :] < edges[1:, None])
        return inbin * _eps(efficiency, E)[None, :]

    def density(self, E, x, efficiency=None) -> np.ndarray:
        raise NuemInputError("event densities need a resolution sigma(E) > 0 (smearing: none)")

    def key(self) -> tuple:
        return ("none",)


@dataclass(frozen=True)
class GaussianSmearing:
    """x ~ N(E, sigma(E)); ``sigma`` a callable of the detected energy (hepunits in and out)."""

    sigma: Callable[[np.ndarray], np.ndarray]
    name = "gaussian"

    def width(self, E: ArrayLike) -> np.ndarray:
        E = np.asarray(E, dtype=np.float64)
        return np.asarray(self.sigma(E), dtype=np.float64) * np.ones(E.shape)

    def reach(self, x_lo: float, x_hi: float, n_sigma: float, e_floor: float):
        """(E_lo, E_hi): E + n sigma(E) = x_lo and E - n sigma(E) = x_hi (floored at e_floor)."""

        def lo_f(t):
            return t + n_sigma * float(self.width(t)) - x_lo

        def hi_f(t):
            return t - n_sigma * float(self.width(t)) - x_hi

        e_lo = e_floor if lo_f(e_floor) > 0 else _bisect(lo_f, e_floor, x_lo)
        b = 2.0 * x_hi
        while hi_f(b) <= 0.0 and b < 1e6 * x_hi:  # grow the bracket geometrically
            b *= 2.0
        if hi_f(b) > 0.0:
            e_hi = _bisect(hi_f, x_hi, b)
        else:  # sigma grows faster than E (e.g. a cubic fit used out of range): one step
            e_hi = x_hi + n_sigma * float(self.width(x_hi))
        return max(e_lo, e_floor), e_hi

    def _s(self, E: np.ndarray) -> np.ndarray:
        s = self.width(E)
        if np.any(s <= 0):
            raise NuemInputError("resolution sigma(E) must be > 0 on the whole true-recoil range")
        return s

    def bin_probability(self, E, edges, efficiency=None) -> np.ndarray:
        """P(bin i | E) x eps (eps on the reconstructed energy, exact if piecewise linear)."""
        from scipy.special import ndtr

        E = np.asarray(E, dtype=np.float64)
        s = self._s(E)
        if efficiency is None:
            return np.diff(ndtr((edges[:, None] - E[None, :]) / s[None, :]), axis=0)
        nodes = _nodes(efficiency)
        if nodes.size:
            inner = nodes[(nodes > edges[0]) & (nodes < edges[-1])]
            x = np.union1d(edges, inner)
        else:  # generic callable: 64 linear pieces per bin
            f = np.linspace(0.0, 1.0, 65)[:-1]
            x = np.append((edges[:-1, None] + np.diff(edges)[:, None] * f).ravel(), edges[-1])
        x0, x1 = x[:-1], x[1:]
        d = 1e-9 * (x1 - x0)
        e0, e1 = _eps(efficiency, x0 + d), _eps(efficiency, x1 - d)
        slope = (e1 - e0) / (x1 - x0 - 2 * d)
        e0 = e0 - slope * d
        z = (x[:, None] - E[None, :]) / s[None, :]
        Phi = ndtr(z)
        phi = np.exp(-0.5 * z * z) * _INV_SQRT_2PI
        dPhi, dphi = np.diff(Phi, axis=0), np.diff(phi, axis=0)
        piece = (e0[:, None] + slope[:, None] * (E[None, :] - x0[:, None])) * dPhi
        piece -= slope[:, None] * s[None, :] * dphi
        starts = np.searchsorted(x, edges[:-1])
        return np.add.reduceat(piece, starts, axis=0)

    def density(self, E, x, efficiency=None) -> np.ndarray:
        """N(x_k; E_n, sigma(E_n)) x eps(x_k) [1/energy], shape (len(x), len(E))."""
        E = np.asarray(E, dtype=np.float64)
        s = self._s(E)
        z = (x[:, None] - E[None, :]) / s[None, :]
        D = np.exp(-0.5 * z * z) * (_INV_SQRT_2PI / s)[None, :]
        if efficiency is not None:
            D *= _eps(efficiency, x)[:, None]
        return D

    def key(self) -> tuple:
        return ("gaussian", repr(self.sigma))


@dataclass(frozen=True)
class PhotoelectronSmearing:
    """n ~ Poisson(light_yield x E); ``light_yield`` in PE per energy (e.g. ``13.35 / keV``)."""

    light_yield: float
    name = "photoelectrons"
    counts = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "light_yield", float(positive("light_yield", self.light_yield)))

    def width(self, E: ArrayLike) -> np.ndarray:
        """sqrt(lambda)/LY: the Poisson spread expressed as an energy (floored at 1/LY)."""
        lam = self.light_yield * np.asarray(E, dtype=np.float64)
        return np.sqrt(np.maximum(lam, 1.0)) / self.light_yield

    def reach(self, x_lo: float, x_hi: float, n_sigma: float, e_floor: float):
        """Detected energies whose Poisson mean lies within n sqrt(lambda) (+n^2) of the bins."""
        lo = max(x_lo - n_sigma * np.sqrt(max(x_lo, 1.0)), 0.0) / self.light_yield
        hi_pe = x_hi + n_sigma * np.sqrt(max(x_hi, 1.0)) + n_sigma**2
        return max(lo, e_floor), hi_pe / self.light_yield

    @staticmethod
    def _integer_edges(edges: np.ndarray) -> np.ndarray:
        e = np.asarray(edges, dtype=np.float64)
        if np.any(np.abs(e - np.round(e)) > 1e-9) or e[0] < 0:
            raise NuemInputError(
                f"photoelectron bin edges must be non-negative integers; got {e.tolist()}"
            )
        return np.round(e).astype(np.int64)

    def bin_probability(self, E, edges, efficiency=None) -> np.ndarray:
        """P(a <= n < b | lambda) (x eps(n) summed over the integers of each bin)."""
        from scipy.special import gammaincc

        lam = self.light_yield * np.asarray(E, dtype=np.float64)
        k = self._integer_edges(edges)
        if efficiency is None:  # P(n < b) = Q(b, lambda), the regularised upper gamma
            with np.errstate(invalid="ignore"):
                cdf = np.where(k[:, None] > 0, gammaincc(np.maximum(k, 1)[:, None], lam), 0.0)
            return np.diff(cdf, axis=0)
        n = np.arange(k[0], k[-1])
        pmf = _poisson_pmf(n[:, None], lam[None, :]) * _eps(efficiency, n.astype(float))[:, None]
        starts = k[:-1] - k[0]
        return np.add.reduceat(pmf, starts, axis=0)

    def density(self, E, x, efficiency=None) -> np.ndarray:
        raise NuemInputError("photoelectron smearing supports binned data only")

    def check_lowest_bins(self, edges, efficiency=None) -> None:
        """Refuse bins of 0 or 1 PE unless the efficiency vanishes there: with P(n) ~
        lambda^n/n!, the 1/T and 1/T^2 rates of magnetic moments and millicharges make them
        depend on the lowest recoil followed (and no detector triggers on them)."""
        k = self._integer_edges(edges)
        if k[0] >= MIN_PE:
            return
        low = np.arange(k[0], MIN_PE, dtype=float)
        if efficiency is None or np.any(_eps(efficiency, low) > 0):
            raise NuemInputError(
                f"photoelectron bins start at {int(k[0])} PE: bins below {MIN_PE} PE need an "
                "efficiency that vanishes there (their rate diverges as the recoil energy -> 0)"
            )

    def key(self) -> tuple:
        return ("photoelectrons", self.light_yield)


def _pieces(edges: np.ndarray, efficiency) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Breakpoints x of the reconstructed axis (bin edges + efficiency nodes, or 64 pieces per
    bin for a generic callable) and the linear pieces e0 + slope (x - x0) of eps on them."""
    nodes = _nodes(efficiency)
    if nodes.size:
        inner = nodes[(nodes > edges[0]) & (nodes < edges[-1])]
        x = np.union1d(edges, inner)
    else:
        f = np.linspace(0.0, 1.0, 65)[:-1]
        x = np.append((edges[:-1, None] + np.diff(edges)[:, None] * f).ravel(), edges[-1])
    x0, x1 = x[:-1], x[1:]
    d = 1e-9 * (x1 - x0)
    e0, e1 = _eps(efficiency, x0 + d), _eps(efficiency, x1 - d)
    slope = (e1 - e0) / (x1 - x0 - 2 * d)
    return x, e0 - slope * d, slope


@dataclass(frozen=True)
class GammaPhotoelectronSmearing:
    """x ~ Gamma(shape k = 1 + ``shape_slope`` E, mean ``light_yield`` E): a continuous PE count.

    ``light_yield`` in PE per energy (``13.35 / keV``), ``shape_slope`` b per energy
    (``9.56 / keV``); variance (LY E)^2 / k. COHERENT CsI[Na] release (arXiv:2110.07730).
    """

    light_yield: float
    shape_slope: float
    name = "gamma_photoelectrons"
    counts = True  # the reconstructed variable is a photoelectron count, not an energy

    def __post_init__(self) -> None:
        object.__setattr__(self, "light_yield", float(positive("light_yield", self.light_yield)))
        object.__setattr__(self, "shape_slope", float(positive("shape_slope", self.shape_slope)))

    def _k_theta(self, E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        E = np.maximum(np.asarray(E, dtype=np.float64), 1e-300)
        k = 1.0 + self.shape_slope * E
        return k, self.light_yield * E / k

    def width(self, E: ArrayLike) -> np.ndarray:
        """Standard deviation of x as an energy, E / sqrt(k) (floored at 1/LY)."""
        E = np.asarray(E, dtype=np.float64)
        k, _ = self._k_theta(E)
        return np.maximum(E / np.sqrt(k), 1.0 / self.light_yield)

    def _sd_pe(self, E: float) -> float:
        k, th = self._k_theta(np.asarray(E))
        return float(np.sqrt(k) * th)

    def reach(self, x_lo: float, x_hi: float, n_sigma: float, e_floor: float):
        """(E_lo, E_hi): LY E + n sd(E) = x_lo and LY E - n sd(E) = x_hi (floored at e_floor)."""
        ly = self.light_yield

        def lo_f(t):
            return ly * t + n_sigma * self._sd_pe(t) - x_lo

        def hi_f(t):
            return ly * t - n_sigma * self._sd_pe(t) - x_hi

        e_lo = e_floor if lo_f(e_floor) > 0 else _bisect(lo_f, e_floor, max(x_lo / ly, e_floor))
        b = 2.0 * max(x_hi, 1.0) / ly
        while hi_f(b) <= 0.0:
            b *= 2.0
        e_hi = _bisect(hi_f, max(x_hi, 1.0) / ly, b)
        return max(e_lo, e_floor), e_hi

    @staticmethod
    def _pe_edges(edges: np.ndarray) -> np.ndarray:
        e = np.asarray(edges, dtype=np.float64)
        if e[0] < 0:
            raise NuemInputError(f"photoelectron bin edges must be >= 0; got {e.tolist()}")
        return e

    def bin_probability(self, E, edges, efficiency=None) -> np.ndarray:
        """P(a <= x < b | E) (x eps(x), exact for piecewise-linear eps): with P(k, z) the
        regularised lower incomplete gamma, int_a^b (e0 + s (x - x0)) f dx =
        (e0 - s x0) [P(k, x/th)] + s k th [P(k + 1, x/th)]."""
        from scipy.special import gammainc

        k, th = self._k_theta(E)
        edges = self._pe_edges(edges)
        if efficiency is None:
            return np.diff(gammainc(k[None, :], edges[:, None] / th[None, :]), axis=0)
        x, e0, slope = _pieces(edges, efficiency)
        z = x[:, None] / th[None, :]
        P0 = np.diff(gammainc(k[None, :], z), axis=0)
        P1 = np.diff(gammainc(k[None, :] + 1.0, z), axis=0) * (k * th)[None, :]
        piece = (e0 - slope * x[:-1])[:, None] * P0 + slope[:, None] * P1
        starts = np.searchsorted(x, edges[:-1])
        return np.add.reduceat(piece, starts, axis=0)

    def density(self, E, x, efficiency=None) -> np.ndarray:
        raise NuemInputError("Gamma photoelectron smearing supports binned data only")

    def key(self) -> tuple:
        return ("gamma_photoelectrons", self.light_yield, self.shape_slope)


@dataclass(frozen=True, eq=False)
class MatrixSmearing:
    """Tabulated P(bin i | E) on detected-energy ``nodes`` (hepunits), for ``edges``.

    ``matrix`` has shape (nbins, len(nodes)); columns interpolated linearly in E, 0 outside.
    It applies only to the binning it was made for.
    """

    nodes: np.ndarray
    edges: np.ndarray
    matrix: np.ndarray
    name = "matrix"

    def __post_init__(self) -> None:
        nodes = as_array("response nodes", self.nodes).ravel()
        edges = as_array("response edges", self.edges).ravel()
        m = np.asarray(self.matrix, dtype=np.float64)
        if nodes.size < 2 or np.any(np.diff(nodes) <= 0) or nodes[0] < 0:
            raise NuemInputError("response matrix nodes must be >= 0 and strictly increasing")
        if m.shape != (edges.size - 1, nodes.size):
            raise NuemInputError(
                f"response matrix has shape {m.shape}; expected ({edges.size - 1}, {nodes.size})"
            )
        if np.any(m < 0) or np.any(m.sum(axis=0) > 1 + 1e-6):
            raise NuemInputError("response matrix entries must be >= 0 with columns summing <= 1")
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "matrix", m)

    def width(self, E: ArrayLike) -> np.ndarray:
        return np.full(np.shape(E), float(np.min(np.diff(self.nodes))))

    def reach(self, x_lo: float, x_hi: float, n_sigma: float, e_floor: float):
        return max(float(self.nodes[0]), e_floor), float(self.nodes[-1])

    def bin_probability(self, E, edges, efficiency=None) -> np.ndarray:
        if edges.shape != self.edges.shape or not np.allclose(edges, self.edges, rtol=1e-12):
            raise NuemInputError("a tabulated response applies only to the binning it was made for")
        if efficiency is not None:
            raise NuemInputError("a tabulated response already contains the efficiency")
        E = np.asarray(E, dtype=np.float64)
        return np.stack([np.interp(E, self.nodes, row, left=0.0, right=0.0) for row in self.matrix])

    def density(self, E, x, efficiency=None) -> np.ndarray:
        raise NuemInputError("a tabulated response supports binned data only")

    def key(self) -> tuple:
        return ("matrix", self.nodes, self.edges, self.matrix)



@dataclass(frozen=True)
class HitsSmearing:
    """A hit-count energy estimator (Borexino's N_h: PMTs hit, normalised to 2000 live PMTs).

    Mean number of hits of a detected (visible) energy E, with light yield ``light_yield`` (hits
    per energy at low energy, when each PMT sees at most one photoelectron) and the saturation
    ``n_sat`` (the effective number of PMTs: a PMT hit by several photoelectrons counts once;
    Poisson occupancy of n_sat equivalent channels):

        mu(E) = n_sat (1 - exp(-light_yield E / n_sat)),

    and a Gaussian spread of the hit count with variance sigma^2 = ``var_linear`` mu +
    ``var_quadratic`` mu^2 (photoelectron statistics, and a term for the spatial non-uniformity of
    the light collection). Bins are integer hit ranges [a, b) (hits a .. b-1), each hit count n
    taking the Gaussian's probability on [n - 1/2, n + 1/2) (continuity correction). Energies are
    hepunits; ``light_yield`` is per hepunits energy (``0.45 / keV``).
    """

    light_yield: float
    n_sat: float
    var_linear: float = 1.0
    var_quadratic: float = 0.0
    name = "hits"
    counts = True

    def __post_init__(self) -> None:
        for f in ("light_yield", "n_sat", "var_linear"):
            object.__setattr__(self, f, float(positive(f, getattr(self, f))))
        if not self.var_quadratic >= 0:
            raise NuemInputError(f"var_quadratic = {self.var_quadratic!r} must be >= 0")

    def mean(self, E: ArrayLike) -> np.ndarray:
        """mu(E): mean number of hits (dimensionless) of detected energy E."""
        E = np.asarray(E, dtype=np.float64)
        return self.n_sat * -np.expm1(-self.light_yield * E / self.n_sat)

    def energy_of(self, hits: ArrayLike) -> np.ndarray:
        """Inverse of :meth:`mean` (hits >= n_sat give +inf)."""
        h = np.asarray(hits, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = -self.n_sat / self.light_yield * np.log1p(-np.minimum(h, self.n_sat) / self.n_sat)
        return np.where(h < self.n_sat, np.maximum(x, 0.0), np.inf)

    def sigma_hits(self, mu: ArrayLike) -> np.ndarray:
        """Spread of the hit count at mean mu (floored at 0.5 hit)."""
        mu = np.asarray(mu, dtype=np.float64)
        return np.sqrt(np.maximum(self.var_linear * mu + self.var_quadratic * mu**2, 0.25))

    def width(self, E: ArrayLike) -> np.ndarray:
        """The spread expressed as a detected energy: sigma_hits / (d mu / dE)."""
        E = np.asarray(E, dtype=np.float64)
        slope = self.light_yield * np.exp(-self.light_yield * E / self.n_sat)
        return self.sigma_hits(self.mean(E)) / slope

    def reach(self, x_lo: float, x_hi: float, n_sigma: float, e_floor: float):
        """Detected energies whose mean hit count lies within n sigma of [x_lo, x_hi]."""
        lo = x_lo - 0.5 - n_sigma * float(self.sigma_hits(x_lo))
        hi = x_hi + n_sigma * float(self.sigma_hits(x_hi))
        e_lo = float(self.energy_of(max(lo, 0.0)))
        e_hi = float(self.energy_of(min(hi, 0.999 * self.n_sat)))
        return max(e_lo, e_floor), e_hi

    def bin_probability(self, E, edges, efficiency=None) -> np.ndarray:
        """P(a <= n < b | E) (x eps(n) summed over the hit counts of each bin)."""
        from scipy.special import ndtr

        mu = self.mean(E)
        s = self.sigma_hits(mu)
        k = PhotoelectronSmearing._integer_edges(edges)
        if efficiency is None:
            return np.diff(ndtr((k[:, None] - 0.5 - mu[None, :]) / s[None, :]), axis=0)
        n = np.arange(k[0], k[-1] + 1)
        cdf = ndtr((n[:, None] - 0.5 - mu[None, :]) / s[None, :])
        pmf = np.diff(cdf, axis=0) * _eps(efficiency, n[:-1].astype(float))[:, None]
        return np.add.reduceat(pmf, k[:-1] - k[0], axis=0)

    def density(self, E, x, efficiency=None) -> np.ndarray:
        raise NuemInputError("hit-count smearing supports binned data only")

    def key(self) -> tuple:
        return ("hits", self.light_yield, self.n_sat, self.var_linear, self.var_quadratic)


#: Smearing models by card name (``response.smearing.model``).
SMEARINGS = {
    "none": NoSmearing,
    "gaussian": GaussianSmearing,
    "photoelectrons": PhotoelectronSmearing,
    "gamma_photoelectrons": GammaPhotoelectronSmearing,
    "matrix": MatrixSmearing,
    "hits": HitsSmearing,
}
