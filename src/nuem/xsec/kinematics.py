"""Two-body kinematics of nu(E) + X(m, at rest) -> N(M) + X(T) for any target mass.

All energies and masses in the hepunits system (MeV = 1). Functions broadcast over their array
arguments. Derivation (PHYSICS.md §1): with s = m^2 + 2 m E, the centre-of-mass momenta
p = (s - m^2)/(2 sqrt s), p' = lambda^(1/2)(s, M^2, m^2)/(2 sqrt s) and
E*_N = (s + M^2 - m^2)/(2 sqrt s),
the invariant t = M^2 - 2 p (E*_N -+ p' cos) = -2 m T gives

    T_max = [2 p (E*_N + p') - M^2] / (2 m),   T_min * T_max = M^4 / (4 s),

the product form avoiding the cancellation in T_min. Inverting at forward recoil (lab frame, with
p_X = sqrt(T^2 + 2 m T)) gives the exact E_min(T) = (2 m T + M^2)(p_X + T) / (4 m T).
Below threshold E < M + M^2/(2m) no recoil is possible: T_min = T_max = 0 and the range is empty.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import non_negative, positive


def threshold_energy(M: ArrayLike, m: ArrayLike) -> np.ndarray:
    """Minimum neutrino energy [MeV] to produce N(M) on a target of mass m: M + M^2/(2m)."""
    M = non_negative("M", M, "MeV")
    m = positive("m", m, "MeV")
    return M + M**2 / (2.0 * m)


def _cm(E: np.ndarray, m: np.ndarray, M: np.ndarray):
    s = m**2 + 2.0 * m * E
    rs = np.sqrt(s)
    p = m * E / rs  # (s - m^2)/(2 sqrt s)
    lam = (s - (M + m) ** 2) * (s - (M - m) ** 2)
    allowed = lam > 0
    pp = np.sqrt(np.where(allowed, lam, 0.0)) / (2.0 * rs)
    EN = (s + M**2 - m**2) / (2.0 * rs)
    return s, p, pp, EN, allowed


def recoil_range(E: ArrayLike, m: ArrayLike, M: ArrayLike = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(T_min, T_max) [MeV] of the target recoil for neutrino energy E, target mass m, N mass M.

    Both are 0 where E is below threshold (the allowed range is then empty: test with
    :func:`is_allowed`).
    """
    E = non_negative("E", E, "MeV")
    m = positive("m", m, "MeV")
    M = non_negative("M", M, "MeV")
    E, m, M = np.broadcast_arrays(E, m, M)
    s, p, pp, EN, allowed = _cm(E, m, M)
    tmax = np.where(allowed, (2.0 * p * (EN + pp) - M**2) / (2.0 * m), 0.0)
    tmax = np.maximum(tmax, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        tmin = np.where(allowed & (tmax > 0), M**4 / (4.0 * s * tmax), 0.0)
    return tmin, tmax


def t_max(E: ArrayLike, m: ArrayLike, M: ArrayLike = 0.0) -> np.ndarray:
    """Maximum recoil kinetic energy [MeV]; 0 below threshold."""
    return recoil_range(E, m, M)[1]


def t_min(E: ArrayLike, m: ArrayLike, M: ArrayLike = 0.0) -> np.ndarray:
    """Minimum recoil kinetic energy [MeV] (M^4/(4 s T_max); 0 for M = 0 or below threshold)."""
    return recoil_range(E, m, M)[0]


def e_min(T: ArrayLike, m: ArrayLike, M: ArrayLike = 0.0) -> np.ndarray:
    """Minimum neutrino energy [MeV] that gives recoil T on target m while producing N(M).

    Exact: E_min = (2 m T + M^2)(sqrt(T^2 + 2 m T) + T) / (4 m T); +inf at T = 0 when M > 0,
    and 0 at T = 0 when M = 0.
    """
    T = non_negative("T", T, "MeV")
    m = positive("m", m, "MeV")
    M = non_negative("M", M, "MeV")
    T, m, M = np.broadcast_arrays(T, m, M)
    px = np.sqrt(T**2 + 2.0 * m * T)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = (2.0 * m * T + M**2) * (px + T) / (4.0 * m * T)
    zero_t = T == 0
    return np.where(zero_t, np.where(M > 0, np.inf, 0.0), e)


def is_allowed(E: ArrayLike, T: ArrayLike, m: ArrayLike, M: ArrayLike = 0.0) -> np.ndarray:
    """Boolean mask: is recoil T reachable from neutrino energy E (with N of mass M)?

    Uses E >= E_min(T), which is exact and free of the cancellation in T_min; T = 0 is excluded
    (a zero-recoil scattering has no observable effect and the 1/T terms diverge there).
    """
    E = non_negative("E", E, "MeV")
    T = non_negative("T", T, "MeV")
    emin = e_min(T, m, M)
    return (T > 0) & (E >= emin) & np.isfinite(emin)
