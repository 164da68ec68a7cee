"""Lepton mixing: the PMNS matrix with Dirac and Majorana phases (layer 0).

Shared by ``nuem.sources`` (MSW) and ``nuem.theory`` (moment matrices), hence below both.

Convention (PDG, "Neutrino mixing" review): the left-handed flavour fields are
nu_alpha = sum_k U_alpha,k nu_k, and

    U = R23 . U13(delta) . R12 . diag(1, exp(i alpha21/2), exp(i alpha31/2)),

with R_ij real rotations by theta_ij, U13(delta) carrying s13 exp(-i delta) in its (1,3) entry,
and the Majorana phases alpha21, alpha31 in the right-most diagonal factor (they are unphysical for
Dirac neutrinos and drop out of every Dirac observable). A flavour *state* is
|nu_alpha> = sum_k U*_alpha,k |nu_k> and |nubar_alpha> = sum_k U_alpha,k |nubar_k>.

Default angles and delta_CP come from :func:`nuem.nufit.parameters` (NuFIT 6.0).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nuem import nufit
from nuem._validate import finite, in_range

#: The lepton flavours, in PMNS row order (the one list every layer uses).
FLAVOURS = ("e", "mu", "tau")
#: Flavour-state labels of neutrinos and antineutrinos (``Source.states`` of flavour sources).
FLAVOUR_STATES = ("nu_e", "nu_mu", "nu_tau", "nubar_e", "nubar_mu", "nubar_tau")
#: Mass-state labels (``Source.states`` of the Sun).
MASS_STATES = ("nu_1", "nu_2", "nu_3")
_FLAVOUR_INDEX = {"e": 0, "mu": 1, "tau": 2}


def flavour_index(flavour: str) -> int:
    """Row index 0, 1, 2 of flavour 'e', 'mu' or 'tau' in U."""
    from nuem._validate import choice

    return _FLAVOUR_INDEX[choice("flavour", flavour, FLAVOURS)]


def majorana_phase_matrix(alpha21: ArrayLike = 0.0, alpha31: ArrayLike = 0.0) -> np.ndarray:
    """diag(1, e^{i alpha21/2}, e^{i alpha31/2}) with shape (..., 3, 3); phases in radians."""
    a21 = finite("alpha21", alpha21)
    a31 = finite("alpha31", alpha31)
    a21, a31 = np.broadcast_arrays(a21, a31)
    diag = np.stack([np.ones_like(a21), np.exp(0.5j * a21), np.exp(0.5j * a31)], axis=-1)
    out = np.zeros(diag.shape + (3,), dtype=complex)
    idx = np.arange(3)
    out[..., idx, idx] = diag
    return out


def pmns_from_angles(
    theta12: ArrayLike,
    theta13: ArrayLike,
    theta23: ArrayLike,
    delta_cp: ArrayLike = 0.0,
    alpha21: ArrayLike = 0.0,
    alpha31: ArrayLike = 0.0,
) -> np.ndarray:
    """PMNS matrix (PDG parametrisation, see module doc) for angles and phases in radians.

    All arguments broadcast; the result has shape ``broadcast_shape + (3, 3)`` (complex).
    Angles must lie in [0, pi/2].
    """
    t12 = in_range("theta12", theta12, 0.0, np.pi / 2)
    t13 = in_range("theta13", theta13, 0.0, np.pi / 2)
    t23 = in_range("theta23", theta23, 0.0, np.pi / 2)
    d = finite("delta_cp", delta_cp)
    t12, t13, t23, d = np.broadcast_arrays(t12, t13, t23, d)
    s12, c12 = np.sin(t12), np.cos(t12)
    s13, c13 = np.sin(t13), np.cos(t13)
    s23, c23 = np.sin(t23), np.cos(t23)
    ed = np.exp(1j * d)
    u = np.empty(t12.shape + (3, 3), dtype=complex)
    u[..., 0, 0] = c12 * c13
    u[..., 0, 1] = s12 * c13
    u[..., 0, 2] = s13 / ed
    u[..., 1, 0] = -s12 * c23 - c12 * s23 * s13 * ed
    u[..., 1, 1] = c12 * c23 - s12 * s23 * s13 * ed
    u[..., 1, 2] = s23 * c13
    u[..., 2, 0] = s12 * s23 - c12 * c23 * s13 * ed
    u[..., 2, 1] = -c12 * s23 - s12 * c23 * s13 * ed
    u[..., 2, 2] = c23 * c13
    p = majorana_phase_matrix(alpha21, alpha31)
    return u @ p


def pmns_matrix(
    ordering: str = "normal",
    *,
    alpha21: ArrayLike = 0.0,
    alpha31: ArrayLike = 0.0,
    delta_cp: ArrayLike | None = None,
    with_sk_atm: bool = False,
) -> np.ndarray:
    """PMNS matrix from the NuFIT 6.0 best fit for ``ordering`` ('normal' or 'inverted').

    ``delta_cp`` [rad] overrides the NuFIT Dirac phase; ``alpha21``, ``alpha31`` [rad] are the
    Majorana phases (default 0). Returns a complex (..., 3, 3) array (broadcast over the phases).
    """
    p = nufit.parameters(ordering, with_sk_atm=with_sk_atm)
    d = p.delta_cp if delta_cp is None else delta_cp
    return pmns_from_angles(p.theta12, p.theta13, p.theta23, d, alpha21, alpha31)


def is_unitary(u: ArrayLike, atol: float = 1e-12) -> bool:
    """True if U U^dagger = 1 within ``atol`` for every matrix in the (..., 3, 3) stack."""
    m = np.asarray(u, dtype=complex)
    eye = np.eye(m.shape[-1])
    return bool(np.all(np.abs(m @ np.conj(np.swapaxes(m, -1, -2)) - eye) <= atol))
