"""Lindhard quenching of nuclear recoils: keVnr <-> keVee.

Lindhard, Nielsen, Scharff & Thomsen, Mat. Fys. Medd. Dan. Vid. Selsk. 33 (1963) no. 10; in the
parametrisation of Lewin & Smith, Astropart. Phys. 6 (1996) 87, and Sorensen & Dahl,
arXiv:1101.6080, Eqs. (3)-(4):

    eps   = 11.5 (E_nr / keV) Z^(-7/3)                 (reduced energy),
    g(eps) = 3 eps^0.15 + 0.7 eps^0.6 + eps,
    Q(E_nr) = k g / (1 + k g),     E_ee = Q(E_nr) E_nr,

with the Lindhard k = 0.133 Z^(2/3) A^(-1/2) (~0.166 for Xe) unless an experiment quotes its own
value. The coefficient 11.5 / keV is 0.8853 / (2 sqrt(2) alpha^2 m_e c^2) (Thomas-Fermi
screening length over Z1 Z2 e^2 for a recoil in its own medium), tested against CODATA.

A spectrum converts as dR/dE_ee = (dR/dE_nr) / (dE_ee/dE_nr), with
dE_ee/dE_nr = Q + E_nr dQ/dE_nr (:meth:`Lindhard.jacobian`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import non_negative, positive
from nuem.errors import NuemInputError

#: Reduced-energy coefficient of Lindhard theory [1/keV] (Lewin & Smith 1996).
EPSILON_COEFFICIENT_PER_KEV = 11.5


def lindhard_k(Z: float, A: float) -> float:
    """Lindhard's electronic-stopping constant k = 0.133 Z^(2/3) A^(-1/2) (dimensionless)."""
    Z = float(positive("Z", Z))
    A = float(positive("A", A))
    return 0.133 * Z ** (2.0 / 3.0) / np.sqrt(A)


@dataclass(frozen=True)
class Lindhard:
    """Lindhard quenching for a recoiling nucleus of charge ``Z`` in its own medium, constant ``k``.

    Energies are hepunits floats or arrays (``E_nr = 10*keV``).
    """

    Z: float
    k: float
    recoil = "nuclear"

    def __post_init__(self) -> None:
        object.__setattr__(self, "Z", float(positive("Z", self.Z)))
        object.__setattr__(self, "k", float(positive("k", self.k)))

    @classmethod
    def for_element(cls, Z: float, A: float) -> Lindhard:
        """Lindhard model with the default k = 0.133 Z^(2/3) A^(-1/2)."""
        return cls(Z, lindhard_k(Z, A))

    def _eps(self, E_nr: np.ndarray) -> np.ndarray:
        return EPSILON_COEFFICIENT_PER_KEV * (E_nr / u.keV) * self.Z ** (-7.0 / 3.0)

    def quenching(self, E_nr: ArrayLike) -> np.ndarray:
        """Q(E_nr) = E_ee/E_nr, dimensionless; Q(0) = 0."""
        E = non_negative("E_nr", E_nr, "MeV")
        eps = self._eps(E)
        kg = self.k * (3.0 * eps**0.15 + 0.7 * eps**0.6 + eps)
        return kg / (1.0 + kg)

    def dquenching(self, E_nr: ArrayLike) -> np.ndarray:
        """dQ/dE_nr [1/energy]; requires E_nr > 0 (it diverges like E^-0.85 at 0)."""
        E = positive("E_nr", E_nr, "MeV")
        eps = self._eps(E)
        g = 3.0 * eps**0.15 + 0.7 * eps**0.6 + eps
        dg = 0.45 * eps**-0.85 + 0.42 * eps**-0.4 + 1.0
        deps_dE = eps / E
        return self.k * dg * deps_dE / (1.0 + self.k * g) ** 2

    def ee_from_nr(self, E_nr: ArrayLike) -> np.ndarray:
        """Electron-equivalent energy E_ee = Q(E_nr) E_nr."""
        E = non_negative("E_nr", E_nr, "MeV")
        return self.quenching(E) * E

    def jacobian(self, E_nr: ArrayLike) -> np.ndarray:
        """dE_ee/dE_nr = Q + E_nr dQ/dE_nr (> 0: E_ee is monotonic in E_nr); needs E_nr > 0."""
        E = positive("E_nr", E_nr, "MeV")
        return self.quenching(E) + E * self.dquenching(E)

    def nr_from_ee(self, E_ee: ArrayLike, rtol: float = 1e-13) -> np.ndarray:
        """Inverse of :meth:`ee_from_nr`: the E_nr with Q(E_nr) E_nr = E_ee (vectorised Newton).

        Newton in log space, f(x) = ln(E_ee(e^x)) - ln(E_ee), converges in a few steps because
        d ln E_ee / d ln E_nr = 1 + E Q'/Q lies between 1 and ~1.2.
        """
        target = non_negative("E_ee", E_ee, "MeV")
        out = np.zeros_like(target)
        pos = target > 0
        if not pos.any():
            return out
        y = np.log(target[pos])
        x = y - np.log(self.quenching(target[pos] / 0.15))  # first guess E_nr ~ E_ee / Q
        for _ in range(60):
            E = np.exp(x)
            Q = self.quenching(E)
            f = np.log(Q * E) - y
            slope = 1.0 + E * self.dquenching(E) / Q
            step = f / slope
            x = x - step
            if np.all(np.abs(step) < rtol):
                break
        else:  # pragma: no cover - never reached for physical inputs
            raise NuemInputError("Lindhard inversion did not converge")
        out[pos] = np.exp(x)
        return out


@dataclass(frozen=True)
class PolynomialQuenching:
    """E_ee = sum_k c_k (E_nr/unit)^k x unit (k = 1..len(c)); a card's own quenching fit.

    ``coefficients`` (c_1, c_2, ...) for energies in ``unit`` (default keV); E_ee must rise with
    E_nr on the range used (checked by :meth:`nr_from_ee`). Example: COHERENT CsI, arXiv:2110.07730.
    """

    coefficients: tuple[float, ...]
    unit: float = u.keV
    recoil = "nuclear"

    def __post_init__(self) -> None:
        c = tuple(float(x) for x in self.coefficients)
        if not c or not np.all(np.isfinite(c)) or c[0] <= 0:
            raise NuemInputError(
                f"quenching coefficients = {self.coefficients!r}: need a finite list with c_1 > 0"
            )
        object.__setattr__(self, "coefficients", c)

    def ee_from_nr(self, E_nr: ArrayLike) -> np.ndarray:
        """E_ee(E_nr) [energy]."""
        x = non_negative("E_nr", E_nr, "MeV") / self.unit
        return np.polynomial.polynomial.polyval(x, (0.0, *self.coefficients)) * self.unit

    def quenching(self, E_nr: ArrayLike) -> np.ndarray:
        """Q = E_ee/E_nr (c_1 at E_nr = 0)."""
        x = non_negative("E_nr", E_nr, "MeV") / self.unit
        return np.polynomial.polynomial.polyval(x, self.coefficients)

    def jacobian(self, E_nr: ArrayLike) -> np.ndarray:
        """dE_ee/dE_nr (dimensionless)."""
        x = non_negative("E_nr", E_nr, "MeV") / self.unit
        d = [k * c for k, c in enumerate(self.coefficients, start=1)]
        return np.polynomial.polynomial.polyval(x, d)

    def nr_from_ee(self, E_ee: ArrayLike, rtol: float = 1e-13) -> np.ndarray:
        """Inverse of :meth:`ee_from_nr` by vectorised Newton (monotonic range required)."""
        y = non_negative("E_ee", E_ee, "MeV")
        x = y / self.coefficients[0]
        for _ in range(100):
            J = self.jacobian(x)
            if np.any(J <= 0):
                raise NuemInputError("polynomial quenching is not increasing on the range used")
            step = (self.ee_from_nr(x) - y) / J
            x = np.maximum(x - step, 0.0)
            if np.all(np.abs(step) <= rtol * np.maximum(x, 1e-300)):
                return x
        raise NuemInputError("polynomial quenching inversion did not converge")


#: Quenching models by card name (``response.quenching.model``).
QUENCHING_MODELS = ("lindhard", "polynomial", "birks")
