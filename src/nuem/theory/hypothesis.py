"""The one electromagnetic hypothesis type, and the state weights of a hypothesis for any source.

A :class:`Hypothesis` holds every coupling nuem knows (DESIGN §1b, §3); hepunits floats:

- ``mu``: the same |moment| for every incoming neutrino state (e.g. ``1e-11*mu_B``), added
  incoherently: the effective moment of a solar or any other detector; with ``M > 0`` it is the
  transition moment of every state to N (the dipole portal "for all flavours, incoherently");
- ``M``: mass of the heavy neutral lepton N [energy] for ``mu`` and ``portal``; 0 = magnetic;
- ``moments``: a light-neutrino :class:`~nuem.theory.moments.MomentMatrix` (mass or flavour
  basis, Dirac or Majorana, magnetic and electric parts; entries in mu_B);
- ``portal``: transition moments d_alpha of nu_alpha -> N (flavour basis, hepunits, shape (3,));
- ``q``: millicharge in units of e, one number or ``{"e": ..., "mu": ..., "tau": ...}``;
- ``r2``: charge radius <r^2> (area), one number or per flavour.

:func:`moment_state_weights` and :func:`portal_state_weights` are the single place where a
moment matrix or a portal coupling becomes the weight of each incoming state of a source, in
mu_B^2 (the template of state s is per (mu_s/mu_B)^2):

- mass state nu_k (the Sun): sum_j |d^M_jk|^2, the column norm of the mass-basis matrix
  (incoherent over mass states; Cañas et al., arXiv:1510.01684; Giunti & Studenikin,
  arXiv:1403.6344 §V);
- flavour state nu_alpha (pi-DAR nu_mu, nu_e; a beam): sum_beta |d^F_beta alpha|^2, the column
  norm of the flavour-basis matrix (coherent over mass states: the amplitude sums before squaring);
- antineutrino nubar_alpha (reactors, pi-DAR nubar_mu): the same column norm. The right-handed
  nubar_a flips to the left-handed nubar_b through the h.c. of the dipole term, amplitude
  (d^dagger)_ab, so sum_beta |(d^F dagger)_alpha beta|^2 = sum_beta |d^F_beta alpha|^2
  (:mod:`nuem.theory.effective`). The row norm used before is the amplitude of the other
  helicity (a left-handed nubar); it agreed only for Hermitian or antisymmetric d.
- portal: |sum_alpha d_alpha U_alpha k|^2 for nu_k, |d_alpha|^2 for nu_alpha and nubar_alpha.

``uniform`` moments (``mu``) give mu^2 to every state, which is the identity matrix in any basis.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice
from nuem.errors import NuemInputError, NuemUnitWarning
from nuem.mixing import FLAVOUR_STATES, FLAVOURS, MASS_STATES, pmns_matrix
from nuem.theory.moments import MomentMatrix, flavour_to_mass, mass_to_flavour

__all__ = [
    "ALL_STATES",
    "COUPLING_UNITS",
    "FLAVOUR_KEYS",
    "Hypothesis",
    "moment_state_weights",
    "portal_state_weights",
]

#: The unit in which each coupling's template coefficient is expressed.
COUPLING_UNITS = {"mu": u.mu_B, "q": u.eplus, "r2": u.cm2}
FLAVOUR_KEYS = FLAVOURS
_MASS = MASS_STATES
_FLAVOUR = FLAVOUR_STATES
#: Every incoming-state label a source can have (mass states, then flavour states).
ALL_STATES = _MASS + _FLAVOUR


def _state_index(label: str) -> tuple[str, int]:
    """('mass', k) / ('nu', alpha) / ('nubar', alpha) of a state label."""
    if label in _MASS:
        return "mass", _MASS.index(label)
    head, _, fl = label.partition("_")
    if head in ("nu", "nubar") and fl in FLAVOUR_KEYS:
        return head, FLAVOUR_KEYS.index(fl)
    raise NuemInputError(f"state {label!r} is not one of {', '.join(ALL_STATES)}")


@lru_cache(maxsize=64)
def _state_indices(states: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], bool, bool]:
    """(_state_index of each label, any mass state, any flavour state), once per label tuple."""
    idx = tuple(_state_index(s) for s in states)
    return idx, any(k == "mass" for k, _ in idx), any(k != "mass" for k, _ in idx)


def _default_U(U: ArrayLike | None) -> np.ndarray:
    return pmns_matrix("normal") if U is None else np.asarray(U, dtype=complex)


def moment_state_weights(
    d: ArrayLike, basis: str, nature: str, states: Sequence[str], U: ArrayLike | None = None
) -> np.ndarray:
    """Weight (mu_B^2) of each incoming state for the moment matrix ``d`` (..., 3, 3) in mu_B.

    ``basis``: 'mass' or 'flavour' of ``d``; ``nature``: 'dirac' or 'majorana' (basis change);
    ``states``: the source's state labels; ``U``: PMNS (default NuFIT 6.0 normal ordering).
    Returns shape (..., len(states)). See the module docstring for the formulas.
    """
    d = np.asarray(d, dtype=complex)
    basis = choice("basis", basis, ("mass", "flavour"))
    idx, need_mass, need_flav = _state_indices(tuple(states))
    convert = (need_mass and basis == "flavour") or (need_flav and basis == "mass")
    Um = _default_U(U) if convert else None
    dm = (d if basis == "mass" else flavour_to_mass(d, Um, nature)) if need_mass else None
    df = (d if basis == "flavour" else mass_to_flavour(d, Um, nature)) if need_flav else None
    # the column norms (mass states; nu_alpha and nubar_alpha alike, module doc) of each basis
    # needed, computed once, then picked per state
    blocks, start = [], {}
    for basis_name, m in (("mass", dm), ("flavour", df)):
        if m is not None:
            start[basis_name] = 3 * len(blocks)
            blocks.append(np.sum(m.real**2 + m.imag**2, axis=-2))
    cols = [start["mass" if kind == "mass" else "flavour"] + i for kind, i in idx]
    return np.concatenate(blocks, axis=-1)[..., cols]


def portal_state_weights(
    d: ArrayLike, states: Sequence[str], U: ArrayLike | None = None
) -> np.ndarray:
    """Weight (mu_B^2) of each incoming state for transition moments ``d`` (..., 3) of
    nu_alpha -> N in mu_B: |sum_alpha d_alpha U_alpha k|^2 (mass states), |d_alpha|^2 (flavour)."""
    d = np.asarray(d, dtype=complex)
    idx = [_state_index(s) for s in states]
    Um = _default_U(U) if any(k == "mass" for k, _ in idx) else None
    out = []
    for kind, i in idx:
        if kind == "mass":
            out.append(np.abs(np.tensordot(d, Um[:, i], axes=(-1, 0))) ** 2)
        else:
            out.append(np.abs(d[..., i]) ** 2)
    return np.stack(out, axis=-1)


def _per_flavour(name: str, value) -> float | Mapping[str, float]:
    if isinstance(value, Mapping):
        bad = [k for k in value if k not in FLAVOUR_KEYS]
        if bad:
            raise NuemInputError(
                f"{name} flavour {bad[0]!r} is not known; allowed: {', '.join(FLAVOUR_KEYS)}"
            )
        out = {k: _finite(f"{name}[{k!r}]", value.get(k, 0.0)) for k in FLAVOUR_KEYS}
        return MappingProxyType(out)
    return _finite(name, value)


#: The unit kind (:data:`nuem.units.UNITS_OF`) of each coupling written as text, and the unit a
#: bare number in text has (None: text must carry its unit).
_TEXT_KIND = {
    "mu": ("moment", None),
    "M": ("energy", None),
    "q": ("charge", "e"),
    "r2": ("area", None),
}
#: A moment above this (in mu_B) is taken for a unit mistake (1e-11 without *mu_B is 1.7e-4 mu_B).
IMPLAUSIBLE_MOMENT_MU_B = 1e-6


def _finite(name: str, v) -> float:
    if isinstance(v, str):
        kind, default = _TEXT_KIND[name.partition("[")[0]]
        return u.parse(v, kind, default, name=name)
    try:
        fv = float(v)
    except (TypeError, ValueError) as exc:
        raise NuemInputError(f"{name} = {v!r} is not a number") from exc
    if not math.isfinite(fv):
        raise NuemInputError(f"{name} = {v!r} is not allowed; it must be finite")
    return fv


def _warn_if_implausible_moment(name: str, value: float) -> None:
    """NuemUnitWarning when a moment (hepunits) exceeds IMPLAUSIBLE_MOMENT_MU_B mu_B."""
    if value / u.mu_B > IMPLAUSIBLE_MOMENT_MU_B:
        warnings.warn(
            f"{name} = {value!r} is {value / u.mu_B:.3g} mu_B, far above any allowed moment; "
            f"write {name}=1e-11*nuem.units.mu_B or {name}='1e-11 muB'",
            NuemUnitWarning,
            stacklevel=4,
        )


@dataclass(frozen=True)
class Hypothesis:
    """Electromagnetic couplings of the neutrino (module docstring; hepunits).

    Each coupling may also be written as text with its unit, parsed by :func:`nuem.units.parse`:
    ``Hypothesis(mu="1e-11 muB", M="100 keV", q="1e-13 e", r2="-1e-32 cm2")``, and
    ``portal=["1e-9 muB", "0 muB", "0 muB"]``. A moment above 1e-6 mu_B warns
    (:class:`nuem.errors.NuemUnitWarning`): ``mu=1e-11`` without ``*mu_B`` is 1.7e-4 mu_B.
    """

    mu: float = 0.0
    M: float = 0.0
    q: float | Mapping[str, float] = 0.0
    r2: float | Mapping[str, float] = 0.0
    moments: MomentMatrix | None = None
    portal: ArrayLike | None = None

    def __post_init__(self) -> None:
        for name in ("mu", "M"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))
        if self.mu < 0:
            raise NuemInputError(f"mu = {self.mu!r} is not allowed; it must be >= 0 (a |moment|)")
        _warn_if_implausible_moment("mu", self.mu)
        if self.M < 0:
            raise NuemInputError(f"M = {self.M!r} MeV is not allowed; it must be >= 0")
        object.__setattr__(self, "q", _per_flavour("q", self.q))
        object.__setattr__(self, "r2", _per_flavour("r2", self.r2))
        if self.moments is not None and not isinstance(self.moments, MomentMatrix):
            raise NuemInputError(f"moments = {self.moments!r} must be a MomentMatrix")
        if self.moments is not None and self.moments.shape != ():
            raise NuemInputError(f"moments is a stack {self.moments.shape}; allowed: one 3x3")
        if self.portal is not None:
            p = self.portal
            if not isinstance(p, str) and all(isinstance(x, str) for x in np.ravel(p)):
                p = [u.parse(x, "moment", name="portal") for x in np.ravel(p)]
            p = np.asarray(p, dtype=complex)
            if p.shape != (3,) or not np.all(np.isfinite(p)):
                raise NuemInputError(
                    f"portal = {self.portal!r}: need 3 finite moments (e, mu, tau)"
                )
            for d in np.abs(p):
                _warn_if_implausible_moment("portal", float(d))
            p.setflags(write=False)
            object.__setattr__(self, "portal", p)

    # ---- per-flavour couplings -------------------------------------------------------------
    def q_of(self, flavour: str) -> float:
        """Millicharge of flavour ``flavour`` (units of e)."""
        return self.q[flavour] if isinstance(self.q, Mapping) else self.q

    def r2_of(self, flavour: str) -> float:
        """Charge radius <r^2> of flavour ``flavour`` (area)."""
        return self.r2[flavour] if isinstance(self.r2, Mapping) else self.r2

    def uniform(self, name: str) -> float:
        """``q`` or ``r2`` when it is the same for every flavour, else a clear error."""
        v = getattr(self, name)
        if isinstance(v, Mapping):
            vals = set(v.values())
            if len(vals) != 1:
                raise NuemInputError(
                    f"{name} differs between flavours ({dict(v)}); this evaluation needs one value"
                )
            return vals.pop()
        return v

    @property
    def mu_in_mu_B(self) -> float:
        """The uniform moment ``mu`` in Bohr magnetons."""
        return self.mu / u.mu_B

    @property
    def q_in_e(self) -> float:
        return self.uniform("q") / u.eplus

    @property
    def r2_in_cm2(self) -> float:
        return self.uniform("r2") / u.cm2

    @property
    def has_dipole(self) -> bool:
        return (self.M > 0 and self.mu > 0) or self.portal is not None

    # ---- state weights (mu_B^2) -------------------------------------------------------------
    def magnetic_weights(self, states: Sequence[str], U: ArrayLike | None = None) -> np.ndarray:
        """Weight of each incoming state for the light-neutrino (M = 0) magnetic channel."""
        w = np.zeros(len(states))
        if self.mu > 0 and self.M == 0:
            w = w + (self.mu / u.mu_B) ** 2
        if self.moments is not None:
            m = self.moments
            w = w + moment_state_weights(m.d, m.basis, m.nature, states, U)
        return w

    def dipole_weights(self, states: Sequence[str], U: ArrayLike | None = None) -> np.ndarray:
        """Weight of each incoming state for upscattering to N of mass ``M`` (> 0)."""
        w = np.zeros(len(states))
        if self.mu > 0 and self.M > 0:
            w = w + (self.mu / u.mu_B) ** 2
        if self.portal is not None:
            w = w + portal_state_weights(self.portal / u.mu_B, states, U)
        return w

    # ---- constructors ------------------------------------------------------------------------
    @classmethod
    def flavour_moment(cls, flavour: str, mu: float) -> Hypothesis:
        """Only the flavour-diagonal Dirac moment mu_alpha alpha = ``mu`` (hepunits)."""
        a = FLAVOUR_KEYS.index(choice("flavour", flavour, FLAVOUR_KEYS))
        m = np.zeros((3, 3), dtype=complex)
        m[a, a] = mu / u.mu_B
        return cls(moments=MomentMatrix(m, nature="dirac", basis="flavour"))
