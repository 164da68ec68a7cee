"""Moment-matrix textures for the global fit: μ = C + Σ_i p_i A_i with couplings p (in μ_B).

A texture fixes which entries of the moment matrix are free couplings, in the flavour or the mass
basis, Dirac or Majorana. For solar neutrinos (an incoherent mixture of mass states k) the rate
weight of state k is a_k(p) = Σ_j |μ^M_jk(p)|² (Cañas et al., arXiv:1510.01684), with μ^M the
mass-basis matrix (:func:`nuem.theory.moments.flavour_to_mass`: U† μ U for Dirac, Uᵀ μ U for
Majorana). Electric moments enter through d = μ − iε: write an imaginary coefficient (``i*eps``).

Built-in textures:

- ``dirac-mass``: diag(μ₁, μ₂, μ₃) in the mass basis, i.e. a_k = μ_k². Since only the column
  norm Σ_j |μ_jk|² reaches the solar rate, the limit on μ_k bounds every |μ_jk| of column k.
- ``majorana``: the antisymmetric mass-basis matrix μ_jk = ε_ijk Λ_i (Cañas et al.), so
  a_k = Σ_{i≠k} Λ_i².
- ``flavour``: diag(μ_e, μ_μ, μ_τ) in the flavour basis (Dirac): a_k = Σ_α |U_αk|² μ_α² exactly
  (the cross terms cancel by unitarity).

Texture file (YAML)::

    name: my-texture            # optional
    nature: dirac               # or majorana (every coefficient matrix must be antisymmetric)
    basis: flavour              # or mass
    ordering: normal            # NuFIT 6.0 ordering; optional majorana_phases: [a21, a31] (rad)
    matrix:                     # rows = outgoing, columns = incoming; entries: a number (mu_B),
      - [mu_ee, 0, 0]           # a coupling name, or "[-][coef*][i*]name" such as "-2*x", "i*eps"
      - [0, mu_mm, mu_mt]
      - [0, mu_mt, 0]
    couplings:                  # optional; every coupling defaults to lower: 0 (a magnitude);
      mu_mt: {lower: null}      # null = signed (allowed region instead of a one-sided limit).
                                # Couplings listed here come first in the output, in this order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from nuem._validate import choice
from nuem.errors import NuemInputError
from nuem.mixing import pmns_matrix
from nuem.sources.base import MASS_STATES
from nuem.stats.parametric import Coupling
from nuem.theory.hypothesis import moment_state_weights
from nuem.theory.moments import flavour_to_mass

__all__ = ["Texture", "BUILTIN_TEXTURES", "load_texture", "builtin_texture"]

_ENTRY = re.compile(
    r"^(?P<sign>[+-])?\s*(?:(?P<coef>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)\s*\*\s*)?"
    r"(?P<imag>i\s*\*\s*)?(?P<name>[A-Za-z_]\w*)$"
)


@dataclass(frozen=True)
class Texture:
    """μ = constant + Σ_i p_i coefficients[i] (3×3 complex, μ_B) in ``basis``."""

    name: str
    nature: str
    basis: str
    couplings: tuple[Coupling, ...]
    coefficients: np.ndarray
    constant: np.ndarray
    ordering: str = "normal"
    majorana_phases: tuple[float, float] = (0.0, 0.0)
    origin: str = "built-in"

    def pmns(self) -> np.ndarray:
        """The PMNS matrix (NuFIT 6.0, this ordering, these Majorana phases)."""
        a21, a31 = self.majorana_phases
        return pmns_matrix(self.ordering, alpha21=a21, alpha31=a31)

    def mass_basis(self, U: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(coefficients, constant) of the mass-basis matrix (the map is linear)."""
        if self.basis == "mass":
            return self.coefficients, self.constant
        U = self.pmns() if U is None else U
        coef = np.array([flavour_to_mass(a, U, self.nature) for a in self.coefficients])
        return coef, flavour_to_mass(self.constant, U, self.nature)

    def matrix(self, p: np.ndarray) -> np.ndarray:
        """The moment matrix in the texture's basis at couplings ``p`` (μ_B)."""
        p = np.asarray(p, dtype=float)
        flat = p @ self.coefficients.reshape(len(self.coefficients), 9)  # sum_i p_i coef_i
        return self.constant + flat.reshape(p.shape[:-1] + (3, 3))

    def state_weights(
        self, U: np.ndarray | None = None, states: Sequence[str] = MASS_STATES
    ) -> Callable[[np.ndarray], np.ndarray]:
        """p -> weight (μ_B²) of each incoming state in ``states`` (default the mass states:
        a_k = Σ_j |μ^M_jk(p)|²), from :func:`nuem.theory.hypothesis.moment_state_weights`, the
        one place where a moment matrix meets a source's states."""
        U = self.pmns() if U is None else U
        states = tuple(states)

        def weights(p: np.ndarray) -> np.ndarray:
            return moment_state_weights(self.matrix(p), self.basis, self.nature, states, U)

        return weights


def _parse_entry(v, where: str) -> tuple[complex, str | None]:
    if isinstance(v, bool):
        raise NuemInputError(f"{where} = {v!r} must be a number or a coupling expression")
    if isinstance(v, (int, float)):
        return complex(v), None
    text = str(v).strip()
    try:
        return complex(float(text)), None
    except ValueError:
        pass
    m = _ENTRY.match(text)
    if m is None:
        raise NuemInputError(
            f"{where} = {v!r} is not a number or '[-][coef*][i*]name' (e.g. 'mu_ee', '-2*x')"
        )
    c = float(m["coef"]) if m["coef"] else 1.0
    c = -c if m["sign"] == "-" else c
    return (1j * c if m["imag"] else complex(c)), m["name"]


def texture_from_dict(d: dict, origin: str = "dict") -> Texture:
    """A :class:`Texture` from the parsed YAML mapping (module docstring); errors name the field."""
    if not isinstance(d, dict):
        raise NuemInputError(f"{origin}: a texture must be a mapping with a 'matrix'")
    unknown = set(d) - {"name", "nature", "basis", "ordering", "majorana_phases", "matrix",
                        "couplings"}  # fmt: skip
    if unknown:
        raise NuemInputError(f"{origin}: unknown texture field(s) {sorted(unknown)}")
    nature = choice("nature", d.get("nature", "dirac"), ("dirac", "majorana"))
    basis = choice("basis", d.get("basis", "flavour"), ("flavour", "mass"))
    ordering = choice("ordering", d.get("ordering", "normal"), ("normal", "inverted"))
    phases = d.get("majorana_phases", [0.0, 0.0])
    if not (isinstance(phases, (list, tuple)) and len(phases) == 2):
        raise NuemInputError(f"{origin}: majorana_phases = {phases!r} must be [alpha21, alpha31]")
    rows = d.get("matrix")
    if not (isinstance(rows, list) and len(rows) == 3 and all(
        isinstance(r, list) and len(r) == 3 for r in rows
    )):  # fmt: skip
        raise NuemInputError(f"{origin}: matrix must be a 3x3 list of lists")
    names: list[str] = []
    terms = []
    const = np.zeros((3, 3), dtype=complex)
    for j in range(3):
        for k in range(3):
            c, name = _parse_entry(rows[j][k], f"{origin}: matrix[{j}][{k}]")
            if name is None:
                const[j, k] = c
            else:
                if name not in names:
                    names.append(name)
                terms.append((names.index(name), j, k, c))
    if not names:
        raise NuemInputError(f"{origin}: the matrix names no coupling to fit")
    spec = d.get("couplings") or {}
    if not isinstance(spec, dict) or set(spec) - set(names):
        extra = sorted(set(spec) - set(names)) if isinstance(spec, dict) else spec
        raise NuemInputError(f"{origin}: couplings lists {extra!r}, not in the matrix")
    order = [n for n in spec if n in names] + [n for n in names if n not in spec]
    coef = np.zeros((len(names), 3, 3), dtype=complex)
    for i, j, k, c in terms:
        coef[order.index(names[i]), j, k] += c
    names = order
    if nature == "majorana":
        for label, m in [("constant part", const)] + list(zip(names, coef, strict=True)):
            if np.max(np.abs(m + m.T)) > 1e-12 * max(np.max(np.abs(m)), 1e-300):
                raise NuemInputError(
                    f"{origin}: Majorana moments must be antisymmetric; {label!r} is not"
                )
    couplings = []
    for n in names:
        lower = (spec.get(n) or {}).get("lower", 0.0)
        if lower not in (0, 0.0, None):
            raise NuemInputError(f"{origin}: couplings.{n}.lower = {lower!r}; allowed: 0 or null")
        couplings.append(Coupling(n, None if lower is None else 0.0))
    return Texture(
        name=str(d.get("name", Path(origin).stem)),
        nature=nature,
        basis=basis,
        couplings=tuple(couplings),
        coefficients=coef,
        constant=const,
        ordering=ordering,
        majorana_phases=(float(phases[0]), float(phases[1])),
        origin=origin,
    )


def load_texture(path: str | Path) -> Texture:
    """Read a texture YAML file (format in the module docstring)."""
    p = Path(path)
    if not p.is_file():
        raise NuemInputError(
            f"texture {str(path)!r} is neither a file nor a built-in texture; built-ins: "
            + ", ".join(BUILTIN_TEXTURES)
        )
    try:
        d = yaml.safe_load(p.read_text())
    except yaml.YAMLError as exc:
        raise NuemInputError(f"texture file {str(path)!r} is not valid YAML: {exc}") from exc
    return texture_from_dict(d, str(p))


BUILTIN_TEXTURES: dict[str, dict] = {
    "dirac-mass": {
        "name": "dirac-mass",
        "nature": "dirac",
        "basis": "mass",
        "matrix": [["mu_1", 0, 0], [0, "mu_2", 0], [0, 0, "mu_3"]],
    },
    "majorana": {
        "name": "majorana",
        "nature": "majorana",
        "basis": "mass",
        "matrix": [
            [0, "Lambda_3", "-Lambda_2"],
            ["-Lambda_3", 0, "Lambda_1"],
            ["Lambda_2", "-Lambda_1", 0],
        ],  # fmt: skip
        "couplings": {"Lambda_1": {"lower": 0}, "Lambda_2": {"lower": 0}, "Lambda_3": {"lower": 0}},
    },
    "flavour": {
        "name": "flavour",
        "nature": "dirac",
        "basis": "flavour",
        "matrix": [["mu_e", 0, 0], [0, "mu_mu", 0], [0, 0, "mu_tau"]],
    },
}


def builtin_texture(name: str) -> Texture:
    """One of :data:`BUILTIN_TEXTURES` (``dirac-mass``, ``majorana``, ``flavour``)."""
    if name not in BUILTIN_TEXTURES:
        raise NuemInputError(
            f"texture {name!r} is not built in; allowed: {', '.join(BUILTIN_TEXTURES)} or a file"
        )
    return texture_from_dict(BUILTIN_TEXTURES[name], "built-in")


def resolve_texture(spec: str | Path | Texture) -> Texture:
    """A texture from a built-in name, a YAML path or a :class:`Texture`."""
    if isinstance(spec, Texture):
        return spec
    if str(spec) in BUILTIN_TEXTURES:
        return builtin_texture(str(spec))
    return load_texture(spec)
