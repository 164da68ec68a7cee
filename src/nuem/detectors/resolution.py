"""Gaussian energy resolution sigma(E) and the bin-integrated detector response.

One unit rule for every parametrisation: its coefficients are plain numbers for energies measured
in ``unit`` (a keyword, default keV), and ``E`` and the returned sigma are hepunits energies.
``ConstantSigma(0.5)`` is 0.5 keV, ``SqrtLinearSigma(0.310, 0.0037)`` is XENON1T's; a coefficient
that makes sigma/E absurd at 10 keV (> 10 or < 1e-4) warns with :class:`NuemUnitWarning`
(typically a coefficient already multiplied by a hepunits energy, a factor 1e-3 too small):

- :class:`SqrtLinearSigma`  sigma = a sqrt(E) + b E          (sigma/E = a/sqrt(E) + b, linear sum;
  XENON1T, arXiv:2006.09721 Eq. 1: a = 0.310 sqrt(keV), b = 0.0037);
- :class:`QuadratureSigma`  sigma = sqrt(a^2 E + b^2 E^2)    (sigma/E = a/sqrt(E) (+) b);
- :class:`PolynomialSigma`  sigma = sum_k c_k E^k            (e.g. PandaX-4T, arXiv:2206.02339);
- :class:`ConstantSigma`    sigma = sigma (the same at every energy).

The response of a detector with Gaussian smearing, to a true (deposited) energy T, in the
reconstructed-energy bin [e_i, e_(i+1)) is

    R_i(T) = Phi((e_(i+1) - T)/sigma(T)) - Phi((e_i - T)/sigma(T)),  Phi(x) = (1 + erf(x/sqrt 2))/2,

so the expected counts in bin i are N_i = int dT R_i(T) eps(T) dN/dT (efficiency on the true
energy) or, for an efficiency defined on the reconstructed energy E,
R_i(T) = int_{e_i}^{e_(i+1)} dE eps(E) N(E; T, sigma(T)), evaluated exactly per sub-bin with
eps at sub-bin midpoints. sigma = 0 gives the sharp (indicator) response. Probability that falls
outside all bins is lost, as in the detector.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import as_array, choice, non_negative
from nuem.detectors.binning import check_edges
from nuem.errors import NuemInputError, NuemUnitWarning

SigmaFunction = Callable[[np.ndarray], np.ndarray]


def _energy(E: ArrayLike) -> np.ndarray:
    return non_negative("E", E, "MeV")


def _check_sigma(s: np.ndarray) -> np.ndarray:
    if np.any(s < 0) or np.any(~np.isfinite(s)):
        bad = s[(s < 0) | ~np.isfinite(s)].flat[0]
        raise NuemInputError(f"resolution sigma = {bad!r} is negative or not finite")
    return s


#: sigma/E is checked for plausibility at this energy.
_PLAUSIBILITY_ENERGY = 10.0 * u.keV


def _warn_if_implausible(model) -> None:
    """Warn when sigma/E at 10 keV is outside (1e-4, 10): a likely unit mistake."""
    rel = float(model(_PLAUSIBILITY_ENERGY)) / _PLAUSIBILITY_ENERGY
    if rel > 0 and not (1e-4 < rel < 10.0):
        warnings.warn(
            f"{model!r}: sigma/E = {rel:.3g} at 10 keV; resolution coefficients "
            "are plain numbers for energies in `unit` (default keV), not hepunits quantities",
            NuemUnitWarning,
            stacklevel=3,
        )


@dataclass(frozen=True)
class SqrtLinearSigma:
    """sigma(E) = a sqrt(E) + b E, with E in ``unit`` (a in sqrt(unit), b dimensionless)."""

    a: float
    b: float = 0.0
    unit: float = u.keV

    def __post_init__(self) -> None:
        _warn_if_implausible(self)

    def __call__(self, E: ArrayLike) -> np.ndarray:
        x = _energy(E) / self.unit
        return _check_sigma(self.unit * (self.a * np.sqrt(x) + self.b * x))


@dataclass(frozen=True)
class QuadratureSigma:
    """sigma(E) = sqrt(a^2 E + b^2 E^2), i.e. sigma/E = a/sqrt(E) (+) b in quadrature."""

    a: float
    b: float = 0.0
    unit: float = u.keV

    def __post_init__(self) -> None:
        _warn_if_implausible(self)

    def __call__(self, E: ArrayLike) -> np.ndarray:
        x = _energy(E) / self.unit
        return self.unit * np.sqrt(self.a**2 * x + self.b**2 * x**2)


@dataclass(frozen=True)
class PolynomialSigma:
    """sigma(E)/unit = sum_k coefficients[k] (E/unit)^k. Raises if sigma < 0 is reached."""

    coefficients: tuple[float, ...]
    unit: float = u.keV

    def __call__(self, E: ArrayLike) -> np.ndarray:
        x = _energy(E) / self.unit
        return _check_sigma(self.unit * np.polynomial.polynomial.polyval(x, self.coefficients))


@dataclass(frozen=True)
class ConstantSigma:
    """sigma(E) = ``sigma`` (a number in ``unit``, default keV) at all energies."""

    sigma: float
    unit: float = u.keV

    def __post_init__(self) -> None:
        non_negative("sigma", self.sigma)
        _warn_if_implausible(self)

    def __call__(self, E: ArrayLike) -> np.ndarray:
        return np.full_like(_energy(E), float(self.sigma) * self.unit)


RESOLUTION_MODELS = ("sqrt_linear", "quadrature", "polynomial", "constant")


def make_resolution(model: str, parameters: dict, unit: float = u.keV) -> SigmaFunction:
    """Build a sigma(E) from a card-style description.

    ``model`` is one of :data:`RESOLUTION_MODELS`; ``parameters`` holds ``a``, ``b``
    (sqrt_linear, quadrature), ``coefficients`` (polynomial) or ``sigma`` (constant), all numbers
    for energies in ``unit``.
    """
    model = choice("resolution model", model, RESOLUTION_MODELS)
    try:
        if model == "sqrt_linear":
            return SqrtLinearSigma(float(parameters["a"]), float(parameters.get("b", 0.0)), unit)
        if model == "quadrature":
            return QuadratureSigma(float(parameters["a"]), float(parameters.get("b", 0.0)), unit)
        if model == "polynomial":
            return PolynomialSigma(tuple(float(c) for c in parameters["coefficients"]), unit)
        return ConstantSigma(float(parameters["sigma"]), unit)
    except KeyError as exc:
        raise NuemInputError(f"resolution model {model!r} needs parameter {exc.args[0]!r}") from exc


def _sigma_values(sigma: SigmaFunction | ArrayLike, T: np.ndarray) -> np.ndarray:
    s = sigma(T) if callable(sigma) else as_array("sigma", sigma)
    s = np.broadcast_to(np.asarray(s, dtype=np.float64), T.shape)
    return _check_sigma(s)


def _cdf(x_edges: np.ndarray, T: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Gaussian CDF Phi((x - T)/s) on a grid (len(x), len(T)); s = 0 -> step function."""
    from scipy.special import ndtr  # lazy: scipy.special costs ~0.2 s to import

    diff = x_edges[:, None] - T[None, :]
    sharp = s == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / np.where(sharp, 1.0, s)[None, :]
    out = ndtr(z)
    if sharp.any():
        out[:, sharp] = (diff[:, sharp] > 0).astype(np.float64)  # bins are [lo, hi)
    return out


def response_matrix(
    T: ArrayLike,
    edges: ArrayLike,
    sigma: SigmaFunction | ArrayLike,
    efficiency: Callable[[np.ndarray], np.ndarray] | None = None,
    efficiency_on: str = "true",
    n_sub: int = 16,
) -> np.ndarray:
    """Response matrix R[i, j]: probability (x efficiency) that true energy T[j] lands in bin i.

    ``T`` true energies (hepunits, any 1-D array, e.g. quadrature nodes); ``edges`` reconstructed
    bin edges; ``sigma`` a callable sigma(T) or an array of sigma at ``T``. ``efficiency``
    (callable) multiplies by eps(T[j]) when ``efficiency_on="true"``, or is integrated over the
    reconstructed energy inside each bin (``n_sub`` sub-bins, eps at their midpoints, Gaussian
    mass per sub-bin exact) when ``efficiency_on="reconstructed"``.

    Expected counts per bin: ``R @ (w * dN_dT)`` with quadrature weights ``w`` on ``T``.
    """
    T = non_negative("T", T, "MeV")
    if T.ndim != 1:
        raise NuemInputError(f"T must be 1-D, got shape {T.shape}")
    e = check_edges("edges", edges)
    where = choice("efficiency_on", efficiency_on, ("true", "reconstructed"))
    s = _sigma_values(sigma, T)
    if efficiency is None or where == "true":
        R = np.diff(_cdf(e, T, s), axis=0)
        if efficiency is not None:
            R *= np.asarray(efficiency(T), dtype=np.float64)[None, :]
        return R
    if int(n_sub) < 1:
        raise NuemInputError(f"n_sub = {n_sub!r} must be >= 1")
    n_sub = int(n_sub)
    frac = np.linspace(0.0, 1.0, n_sub + 1)[:-1]
    fine = (e[:-1, None] + np.diff(e)[:, None] * frac[None, :]).ravel()
    fine = np.append(fine, e[-1])
    mid = 0.5 * (fine[1:] + fine[:-1])
    P = np.diff(_cdf(fine, T, s), axis=0) * np.asarray(efficiency(mid), dtype=np.float64)[:, None]
    return P.reshape(e.size - 1, n_sub, T.size).sum(axis=1)


def response_density(
    E_reco: ArrayLike,
    T: ArrayLike,
    sigma: SigmaFunction | ArrayLike,
    efficiency: Callable[[np.ndarray], np.ndarray] | None = None,
    efficiency_on: str = "true",
) -> np.ndarray:
    """Density D[k, j] = N(E_reco[k]; T[j], sigma(T[j])) [1/energy] (x efficiency).

    For unbinned likelihoods: the reconstructed-energy density of a spectrum is
    ``D @ (w * dN_dT)``. sigma = 0 is not allowed here (a delta has no density).
    """
    E = as_array("E_reco", E_reco)
    T = non_negative("T", T, "MeV")
    where = choice("efficiency_on", efficiency_on, ("true", "reconstructed"))
    s = _sigma_values(sigma, T)
    if np.any(s == 0):
        raise NuemInputError("response_density needs sigma > 0 at every true energy")
    z = (E[:, None] - T[None, :]) / s[None, :]
    D = np.exp(-0.5 * z**2) / (np.sqrt(2.0 * np.pi) * s[None, :])
    if efficiency is not None:
        if where == "true":
            D *= np.asarray(efficiency(T), dtype=np.float64)[None, :]
        else:
            D *= np.asarray(efficiency(E), dtype=np.float64)[:, None]
    return D
