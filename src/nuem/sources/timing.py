"""Arrival-time profiles of pulsed sources: pulse shapes, decay-chain convolutions, exact CDFs.

A :class:`TimeProfile` is a normalised arrival-time distribution with an exact ``pdf(t)`` and
``cdf(t)`` (no sampling); ``fractions(edges)`` are CDF differences, so they sum to the CDF over
the covered range exactly (to 1 for edges spanning the whole profile).

Pulse shapes (the time of the proton hitting the target):

- :class:`GaussianPulse` ``(sigma, t0)``: a Gaussian of width ``sigma`` centred at ``t0``;
  ``sigma = 0`` is a delta pulse at ``t0``.
- :class:`TabulatedPulse` ``(times, weights)``: a user pulse, e.g. the proton-on-target trace of
  a data release. ``len(weights) == len(times)``: density values at the nodes, joined linearly
  (zero outside [times[0], times[-1]]); ``len(weights) == len(times) - 1``: a histogram, ``times``
  are bin edges and ``weights[i]`` the content of bin i (piecewise constant). Renormalised to a
  unit integral either way; the weights need not be normalised.

:class:`DecayConvolved` ``(pulse, lifetimes)`` is the pulse followed by a chain of exponential
decays with distinct mean lives (pi+ -> mu+ for the prompt nu_mu: ``(tau_pi,)``; pi+ -> mu+ -> e+
for the delayed nu_e, nubar_mu: ``(tau_pi, tau_mu)``). The sum of exponentials with distinct tau_i
has the hypoexponential pdf sum_i c_i exp(-s/tau_i)/tau_i with
c_i = prod_{j != i} tau_i/(tau_i - tau_j), so pdf = sum_i c_i h_i and cdf = sum_i c_i F_i
with, for one exponential,

    h_tau(t) = int p(a) exp(-(t - a)/tau)/tau da  (a < t),     F_tau(t) = P(t) - tau h_tau(t),

(P: pulse CDF), both in closed form for either pulse (exponentially modified Gaussian; piecewise
exponential integrals of the linear / constant segments).

Times are hepunits (ns = 1); profiles are plain picklable objects (floats and arrays only).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import as_array, finite, increasing, non_negative, positive
from nuem.errors import NuemInputError

__all__ = [
    "TimeProfile",
    "Pulse",
    "GaussianPulse",
    "TabulatedPulse",
    "DecayConvolved",
    "check_time_edges",
]


def check_time_edges(t_edges: ArrayLike, name: str = "t_edges") -> np.ndarray:
    """Time-bin edges: 1-D, at least two, strictly increasing, no NaN (+-inf allowed)."""
    return increasing(name, as_array(name, t_edges), "edges")


def _emg(t: np.ndarray, tau: float, sigma: float) -> np.ndarray:
    """pdf of (Gaussian of width sigma centred at 0) + (exponential of mean tau), stable form."""
    from scipy.special import erfc, erfcx  # lazy: scipy.special costs ~0.2 s to import

    if sigma == 0.0:
        return np.where(t >= 0, np.exp(-np.maximum(t, 0.0) / tau) / tau, 0.0)
    z = (sigma / tau - t / sigma) / np.sqrt(2.0)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        neg = np.exp(sigma**2 / (2 * tau**2) - t / tau) * erfc(np.minimum(z, 0.0))
        pos = np.exp(-(t**2) / (2 * sigma**2)) * erfcx(np.maximum(z, 0.0))
    return np.where(z < 0, neg, pos) / (2.0 * tau)


class TimeProfile(ABC):
    """A normalised arrival-time distribution with exact pdf [1/time] and CDF (hepunits times)."""

    @abstractmethod
    def _pdf(self, t: np.ndarray) -> np.ndarray:
        """pdf at finite times ``t``."""

    @abstractmethod
    def _cdf(self, t: np.ndarray) -> np.ndarray:
        """CDF at finite times ``t``."""

    def pdf(self, t: ArrayLike) -> np.ndarray:
        """Probability density [1/time] at ``t`` (0 at +-inf)."""
        tt = as_array("t", t)
        fin = np.isfinite(tt)
        out = np.zeros_like(tt)
        if fin.any():
            out[fin] = self._pdf(tt[fin])
        return out

    def cdf(self, t: ArrayLike) -> np.ndarray:
        """Probability of arriving before ``t``, P(T < t) (0 at -inf, 1 at +inf), in [0, 1]."""
        tt = as_array("t", t)
        fin = np.isfinite(tt)
        out = np.where(tt > 0, 1.0, 0.0)
        if fin.any():
            out[fin] = self._cdf(tt[fin])
        return np.clip(out, 0.0, 1.0)

    def fractions(self, t_edges: ArrayLike) -> np.ndarray:
        """Fraction arriving in each bin [t_edges[i], t_edges[i+1]) (CDF differences)."""
        return np.diff(self.cdf(check_time_edges(t_edges)))

    def support(self) -> tuple[float, float]:
        """(lo, hi) outside which the pdf is 0 (or negligible, < 1e-300 beyond 40 widths)."""
        return -np.inf, np.inf

    @abstractmethod
    def mean(self) -> float:
        """Mean arrival time [time]."""


class Pulse(TimeProfile):
    """A proton-pulse shape; also gives its convolution with one exponential decay."""

    @abstractmethod
    def exp_convolved_pdf(self, t: np.ndarray, tau: float) -> np.ndarray:
        """h_tau(t) = int p(a) exp(-(t - a)/tau)/tau da over a < t, at finite ``t``."""

    def exp_convolved_cdf(self, t: np.ndarray, tau: float) -> np.ndarray:
        """CDF of pulse + exponential(tau): P(t) - tau h_tau(t)."""
        return self._cdf(t) - tau * self.exp_convolved_pdf(t, tau)


class GaussianPulse(Pulse):
    """Gaussian proton pulse of width ``sigma`` [time] centred at ``t0``; ``sigma = 0``: a delta."""

    def __init__(self, sigma: float = 0.0, t0: float = 0.0) -> None:
        self.sigma = float(non_negative("sigma", sigma, "ns"))
        self.t0 = float(finite("t0", t0))

    def __repr__(self) -> str:
        return f"GaussianPulse(sigma={self.sigma!r}, t0={self.t0!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GaussianPulse) and (self.sigma, self.t0) == (other.sigma, other.t0)

    def __hash__(self) -> int:
        return hash(("GaussianPulse", self.sigma, self.t0))

    def _pdf(self, t):
        x = t - self.t0
        if self.sigma == 0.0:  # a delta has no density: pdf 0 (the CDF steps at t0)
            return np.zeros_like(x)
        return np.exp(-0.5 * (x / self.sigma) ** 2) / (self.sigma * np.sqrt(2.0 * np.pi))

    def _cdf(self, t):
        x = t - self.t0
        if self.sigma == 0.0:  # P(T < t): the delta counts in the bin [t0, ...)
            return np.where(x > 0, 1.0, 0.0)
        from scipy.special import ndtr

        return ndtr(x / self.sigma)

    def exp_convolved_pdf(self, t, tau):
        return _emg(t - self.t0, tau, self.sigma)

    def exp_convolved_cdf(self, t, tau):
        if self.sigma == 0.0:  # 1 - exp(-x/tau) for x >= 0, accurate at small x
            x = t - self.t0
            return np.where(x >= 0, -np.expm1(-np.maximum(x, 0.0) / tau), 0.0)
        return super().exp_convolved_cdf(t, tau)

    def support(self):
        if self.sigma == 0.0:
            return self.t0, self.t0
        return self.t0 - 40 * self.sigma, self.t0 + 40 * self.sigma

    def mean(self) -> float:
        return self.t0


class TabulatedPulse(Pulse):
    """A user pulse: density at nodes (linear) or a histogram (bin edges + contents).

    ``times`` [time]: strictly increasing. ``weights``: non-negative, not all zero; either one per
    time (density at the node, joined linearly, zero outside the table) or one per bin
    (``len(times) - 1``: piecewise-constant histogram). Normalised to unit area.
    """

    def __init__(self, times: ArrayLike, weights: ArrayLike) -> None:
        a = finite("times", times)
        w = non_negative("weights", weights)
        if a.ndim != 1 or a.size < 2:
            raise NuemInputError(f"times must be 1-D with at least 2 values; got shape {a.shape}")
        if np.any(np.diff(a) <= 0):
            i = int(np.argmax(np.diff(a) <= 0))
            raise NuemInputError(
                f"times must be strictly increasing; times[{i + 1}] = {a[i + 1]!r} <= "
                f"times[{i}] = {a[i]!r}"
            )
        if w.ndim != 1 or w.size not in (a.size, a.size - 1):
            raise NuemInputError(
                f"weights has {w.size} values; must be len(times) = {a.size} (density at the "
                f"nodes) or len(times) - 1 = {a.size - 1} (histogram contents)"
            )
        width = np.diff(a)
        self.histogram = w.size == a.size - 1
        if self.histogram:
            v0 = v1 = w / width
        else:
            v0, v1 = w[:-1], w[1:]
        area = float(np.sum(0.5 * (v0 + v1) * width))
        if not area > 0:
            raise NuemInputError("weights are all zero; a pulse needs a positive total weight")
        self.times = a
        self.weights = w
        self._v0, self._v1 = v0 / area, v1 / area
        self._width = width
        # cumulative pulse CDF at each node
        self._P = np.concatenate([[0.0], np.cumsum(0.5 * (self._v0 + self._v1) * width)])
        self._P /= self._P[-1]
        self._h: dict[float, np.ndarray] = {}

    def __repr__(self) -> str:
        kind = "histogram" if self.histogram else "nodes"
        return f"TabulatedPulse({self.times.size} {kind}, {self.times[0]!r}..{self.times[-1]!r})"

    def __getstate__(self):
        d = dict(self.__dict__)
        d["_h"] = {}
        return d

    def _segment(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        j = np.clip(np.searchsorted(self.times, t, side="right") - 1, 0, self._width.size - 1)
        return j, t - self.times[j]

    def _pdf(self, t):
        j, x = self._segment(t)
        slope = (self._v1 - self._v0)[j] / self._width[j]
        val = self._v0[j] + slope * x
        return np.where((t < self.times[0]) | (t > self.times[-1]), 0.0, val)

    def _cdf(self, t):
        j, x = self._segment(t)
        x = np.clip(x, 0.0, self._width[j])
        slope = (self._v1 - self._v0)[j] / self._width[j]
        val = self._P[j] + self._v0[j] * x + 0.5 * slope * x**2
        return np.where(t < self.times[0], 0.0, np.where(t >= self.times[-1], 1.0, val))

    def _partial(self, j: np.ndarray, x: np.ndarray, tau: float) -> np.ndarray:
        """int_0^x p(a_j + y) exp((y - x)/tau)/tau dy on segment j, 0 <= x <= width_j."""
        slope = (self._v1 - self._v0)[j] / self._width[j]
        one_minus = -np.expm1(-x / tau)
        return self._v0[j] * one_minus + slope * (x - tau * one_minus)

    def _node_h(self, tau: float) -> np.ndarray:
        """h_tau at every node (recursion over segments), cached per tau."""
        if tau not in self._h:
            n = self._width.size
            J = self._partial(np.arange(n), self._width, tau)
            decay = np.exp(-self._width / tau)
            G = np.zeros(n + 1)
            for k in range(n):
                G[k + 1] = G[k] * decay[k] + J[k]
            self._h[tau] = G
        return self._h[tau]

    def exp_convolved_pdf(self, t, tau):
        G = self._node_h(tau)
        j, x = self._segment(t)
        x = np.clip(x, 0.0, self._width[j])
        inside = G[j] * np.exp(-x / tau) + self._partial(j, x, tau)
        after = G[-1] * np.exp(-np.maximum(t - self.times[-1], 0.0) / tau)
        return np.where(t < self.times[0], 0.0, np.where(t > self.times[-1], after, inside))

    def support(self):
        return float(self.times[0]), float(self.times[-1])

    def mean(self) -> float:
        a0, w = self.times[:-1], self._width
        v0, v1 = self._v0, self._v1
        # int (v0 + s x)(a0 + x) dx over [0, w], s = (v1 - v0)/w
        s = (v1 - v0) / w
        m = v0 * (a0 * w + w**2 / 2) + s * (a0 * w**2 / 2 + w**3 / 3)
        return float(np.sum(m))


class DecayConvolved(TimeProfile):
    """``pulse`` followed by exponential decays of the given distinct mean lives [time]."""

    def __init__(self, pulse: Pulse, lifetimes: tuple[float, ...]) -> None:
        if not isinstance(pulse, Pulse):
            raise NuemInputError(
                f"pulse = {pulse!r} is not a Pulse (GaussianPulse or TabulatedPulse)"
            )
        taus = tuple(float(x) for x in positive("lifetimes", lifetimes, "ns").ravel())
        if not taus or len(set(taus)) != len(taus):
            raise NuemInputError(f"lifetimes = {taus!r} must be non-empty and distinct")
        self.pulse = pulse
        self.lifetimes = taus
        self._coef = tuple(
            float(np.prod([ti / (ti - tj) for tj in taus if tj != ti])) for ti in taus
        )

    def __repr__(self) -> str:
        return f"DecayConvolved({self.pulse!r}, lifetimes={self.lifetimes!r})"

    def _terms(self):
        return zip(self._coef, self.lifetimes, strict=True)

    def _pdf(self, t):
        return sum(c * self.pulse.exp_convolved_pdf(t, tau) for c, tau in self._terms())

    def _cdf(self, t):
        return sum(c * self.pulse.exp_convolved_cdf(t, tau) for c, tau in self._terms())

    def support(self):
        lo, _ = self.pulse.support()
        return lo, np.inf

    def mean(self) -> float:
        return self.pulse.mean() + sum(self.lifetimes)
