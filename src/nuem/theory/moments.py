"""The neutrino electromagnetic moment matrix and its flavour <-> mass basis changes (layer 1).

Storage convention
------------------
:class:`MomentMatrix` holds the magnetic matrix ``mu`` and the electric matrix ``eps`` as complex
arrays of shape (..., 3, 3) whose entries are **numbers of Bohr magnetons** (mu_B = e/(2 m_e));
``mu_hep``/``eps_hep``/``d_hep`` give them in the hepunits system (``x * nuem.units.mu_B``).
Leading dimensions, if any, are a stack (a scan); every operation broadcasts over them.

Entry [j, k] is the amplitude coefficient for an incoming mass state k going to the helicity-
flipped state j (for a flavour-basis matrix: incoming flavour beta = column, outgoing alpha = row).
The combination that enters scattering of left-handed neutrinos is d = mu - i eps
(Giunti & Studenikin, RMP 87 (2015) 531, arXiv:1403.6344, sect. V; DESIGN §3).

- Dirac: mu and eps are general complex matrices (Hermitian in the Giunti-Studenikin vertex
  convention, which is not enforced: a general complex ``mu`` with ``eps = 0`` stands for d).
- Majorana: mu and eps must be antisymmetric (no diagonal moments); they are checked.

Basis changes (derived from the Lagrangian with nu_alpha = sum_k U_alpha,k nu_k)
---------------------------------------------------------------------------
- Dirac, L ~ nubar_j mu_jk sigma.F nu_k:  mu^F = U mu^M U^dagger,  mu^M = U^dagger mu^F U.
- Majorana, L ~ nu_j^T C^-1 sigma.F mu_jk nu_k (both fields left-handed, so both indices get the
  same matrix and antisymmetry is preserved): mu^F = U^* mu^M U^dagger, mu^M = U^T mu^F U.

In both cases the moment seen by a nu_alpha beam, sum_j |sum_k U*_alpha,k d_jk|^2, equals the
column norm sum_beta |d^F_beta,alpha|^2 of the flavour-basis matrix, and sum |mu|^2 is invariant.
eps transforms like mu. The electric part is kept separate so that both can be reported.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice
from nuem.errors import NuemInputError

NATURES = ("dirac", "majorana")
BASES = ("mass", "flavour")
_ANTISYM_RTOL = 1e-10


def _as_moment_array(name: str, x: ArrayLike) -> np.ndarray:
    try:
        a = np.array(x, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise NuemInputError(f"{name} = {x!r} is not a (complex) 3x3 matrix") from exc
    if a.ndim < 2 or a.shape[-2:] != (3, 3):
        raise NuemInputError(f"{name} has shape {a.shape}; allowed: (..., 3, 3)")
    if not np.all(np.isfinite(a)):
        raise NuemInputError(f"{name} contains NaN or inf; allowed: finite numbers")
    return a


def _dagger(m: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(m, -1, -2))


def _transpose(m: np.ndarray) -> np.ndarray:
    return np.swapaxes(m, -1, -2)


def antisymmetry_violation(m: ArrayLike) -> float:
    """max |m + m^T| relative to max |m| (0 for an exactly antisymmetric matrix)."""
    a = np.asarray(m, dtype=complex)
    scale = float(np.max(np.abs(a))) if a.size else 0.0
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(a + _transpose(a)))) / scale


#: contents (shape, bytes) of the matrices found unitary: a fit converts its moment matrix with
#: the same U at every likelihood call, and the check costs more than the basis change
_UNITARY_SEEN: set[tuple[tuple[int, ...], bytes]] = set()


def _check_unitary(U: np.ndarray) -> np.ndarray:
    U = np.asarray(U, dtype=complex)
    if U.shape[-2:] != (3, 3):
        raise NuemInputError(f"U has shape {U.shape}; allowed: (..., 3, 3)")
    key = (U.shape, U.tobytes())
    if key in _UNITARY_SEEN:
        return U
    if not np.all(np.abs(U @ _dagger(U) - np.eye(3)) < 1e-9):
        raise NuemInputError("U is not unitary (|U U^dagger - 1| > 1e-9)")
    if len(_UNITARY_SEEN) < 256:  # a handful of PMNS matrices in practice; bounded anyway
        _UNITARY_SEEN.add(key)
    return U


def mass_to_flavour(m: ArrayLike, U: ArrayLike, nature: str) -> np.ndarray:
    """Mass-basis matrix -> flavour basis: Dirac U m U^dagger, Majorana U^* m U^dagger."""
    nature = choice("nature", nature, NATURES)
    U = _check_unitary(U)
    m = _as_moment_array("moment matrix", m)
    left = U if nature == "dirac" else np.conj(U)
    return left @ m @ _dagger(U)


def flavour_to_mass(m: ArrayLike, U: ArrayLike, nature: str) -> np.ndarray:
    """Flavour-basis matrix -> mass basis: Dirac U^dagger m U, Majorana U^T m U."""
    nature = choice("nature", nature, NATURES)
    U = _check_unitary(U)
    m = _as_moment_array("moment matrix", m)
    left = _dagger(U) if nature == "dirac" else _transpose(U)
    return left @ m @ U


class MomentMatrix:
    """Magnetic (``mu``) and electric (``eps``) moment matrices in Bohr magnetons.

    Parameters
    ----------
    mu, eps : array_like, shape (..., 3, 3)
        Complex entries in units of mu_B; ``eps`` defaults to zero.
    nature : 'dirac' or 'majorana'
        Majorana matrices must be antisymmetric (relative tolerance 1e-10).
    basis : 'mass' (default) or 'flavour'
        Which basis the entries refer to; see the module doc for the convention.
    """

    __slots__ = ("_mu", "_eps", "nature", "basis")

    def __init__(
        self,
        mu: ArrayLike,
        eps: ArrayLike | None = None,
        nature: str = "dirac",
        basis: str = "mass",
    ) -> None:
        nature = choice("nature", nature, NATURES)
        basis = choice("basis", basis, BASES)
        mu_a = _as_moment_array("mu", mu)
        eps_a = np.zeros_like(mu_a) if eps is None else _as_moment_array("eps", eps)
        try:
            mu_a, eps_a = np.broadcast_arrays(mu_a, eps_a)
        except ValueError as exc:
            raise NuemInputError(
                f"mu {mu_a.shape} and eps {eps_a.shape} do not broadcast together"
            ) from exc
        mu_a, eps_a = mu_a.copy(), eps_a.copy()
        if nature == "majorana":
            for name, a in (("mu", mu_a), ("eps", eps_a)):
                v = antisymmetry_violation(a)
                if v > _ANTISYM_RTOL:
                    raise NuemInputError(
                        f"Majorana {name} is not antisymmetric (|m + m^T|/|m| = {v:.3g}); "
                        "allowed: m_jk = -m_kj, zero diagonal"
                    )
        mu_a.setflags(write=False)
        eps_a.setflags(write=False)
        self._mu, self._eps = mu_a, eps_a
        self.nature, self.basis = nature, basis

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def majorana_from_lambda(
        cls, Lambda: ArrayLike, Lambda_eps: ArrayLike | None = None
    ) -> MomentMatrix:
        """Majorana mass-basis matrix from the vector Lambda: mu_jk = epsilon_jkl Lambda_l [mu_B].

        This is the parametrisation of Cañas et al., PLB 753 (2016) 191, arXiv:1510.01684 (their
        Lambda_i = (mu - i eps)-vector); ``Lambda`` has shape (..., 3) and may be complex.
        """
        lam = np.asarray(Lambda, dtype=complex)
        if lam.shape[-1:] != (3,):
            raise NuemInputError(f"Lambda has shape {lam.shape}; allowed: (..., 3)")
        lev = np.zeros((3, 3, 3))
        lev[0, 1, 2] = lev[1, 2, 0] = lev[2, 0, 1] = 1.0
        lev[0, 2, 1] = lev[2, 1, 0] = lev[1, 0, 2] = -1.0
        mu = np.einsum("jkl,...l->...jk", lev, lam)
        eps = None
        if Lambda_eps is not None:
            eps = np.einsum("jkl,...l->...jk", lev, np.asarray(Lambda_eps, dtype=complex))
        return cls(mu, eps, nature="majorana", basis="mass")

    @classmethod
    def zeros(cls, nature: str = "dirac") -> MomentMatrix:
        """All moments zero."""
        return cls(np.zeros((3, 3)), nature=nature)

    # -- data ---------------------------------------------------------------------------------
    @property
    def mu(self) -> np.ndarray:
        """Magnetic moment matrix [mu_B], read-only."""
        return self._mu

    @property
    def eps(self) -> np.ndarray:
        """Electric moment matrix [mu_B], read-only."""
        return self._eps

    @property
    def d(self) -> np.ndarray:
        """d = mu - i eps [mu_B]: the combination that enters scattering rates."""
        return self._mu - 1j * self._eps

    @property
    def mu_hep(self) -> np.ndarray:
        """Magnetic moments in hepunits (``mu * nuem.units.mu_B``)."""
        return self._mu * u.mu_B

    @property
    def eps_hep(self) -> np.ndarray:
        """Electric moments in hepunits."""
        return self._eps * u.mu_B

    @property
    def d_hep(self) -> np.ndarray:
        """d = mu - i eps in hepunits."""
        return self.d * u.mu_B

    @property
    def shape(self) -> tuple[int, ...]:
        """Stack shape (without the trailing 3x3)."""
        return self._mu.shape[:-2]

    def norm2(self) -> np.ndarray:
        """sum_jk (|mu_jk|^2 + |eps_jk|^2) [mu_B^2]: basis independent."""
        return np.sum(np.abs(self._mu) ** 2 + np.abs(self._eps) ** 2, axis=(-2, -1))

    # -- basis changes ------------------------------------------------------------------------
    def to_flavour(self, U: ArrayLike) -> MomentMatrix:
        """The same moments in the flavour basis (module doc), for mixing matrix ``U``."""
        if self.basis == "flavour":
            return self
        mu = mass_to_flavour(self._mu, U, self.nature)
        eps = mass_to_flavour(self._eps, U, self.nature)
        return MomentMatrix(mu, eps, self.nature, basis="flavour")

    def to_mass(self, U: ArrayLike) -> MomentMatrix:
        """The same moments in the mass basis, for mixing matrix ``U``."""
        if self.basis == "mass":
            return self
        mu = flavour_to_mass(self._mu, U, self.nature)
        eps = flavour_to_mass(self._eps, U, self.nature)
        return MomentMatrix(mu, eps, self.nature, basis="mass")

    def __repr__(self) -> str:
        return (
            f"MomentMatrix(nature={self.nature!r}, basis={self.basis!r}, shape={self.shape}, "
            f"max|mu|={np.max(np.abs(self._mu)):.3g} mu_B, "
            f"max|eps|={np.max(np.abs(self._eps)):.3g} mu_B)"
        )
