"""nu e -> N e on the (degenerate, relativistic) electrons of a hot plasma, by Monte Carlo.

Emission rate per volume of N energy, for one flavour (nu and nubar, Fermi-Dirac at T_nu with
chemical potential +-mu_nu) on electrons (Fermi-Dirac at T with chemical potential mu_e):

    Q = ∫ dn_nu ∫ dn_e (1 - beta_e cos theta) ∫ dt dsigma/dt (q^2/(q^2 + k_s^2))^2
        (1 - f_e(E_e')) E_N,

with the Lorentz-invariant dsigma/dt of :func:`nuem.xsec.electron.dipole` (exact in M; evaluated
at E = (s - m^2)/(2m), T = -t/(2m)), q^2 = -t, Pauli blocking of the final electron, the CM
scattering angle from t, a uniform azimuth and a boost back to the plasma frame. Sampling:
E_nu uniform on [0, E_max], E_e uniform on [m_e, mu_e + 25 T], cos theta uniform, ln T_rest
uniform on its kinematic range; a fixed seed makes the estimate deterministic.
"""

from __future__ import annotations

import math

import numpy as np

from nuem import constants as c
from nuem import units as u
from nuem.xsec import electron
from nuem.xsec.kinematics import recoil_range

M_E = c.m_e.value


def _fd(x):
    return 0.5 * (1.0 - np.tanh(0.5 * x))


def _boost(p4: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Lorentz boost of 4-vectors p4 (..., 4) by velocity beta (..., 3): frame moving with -beta
    sees p4; i.e. returns the vector in the frame where the original frame moves with +beta."""
    b2 = np.sum(beta * beta, axis=-1, keepdims=True)
    gamma = 1.0 / np.sqrt(np.maximum(1.0 - b2, 1e-300))
    bp = np.sum(beta * p4[..., 1:], axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        coef = np.where(b2 > 0, (gamma - 1.0) * bp / np.where(b2 > 0, b2, 1.0), 0.0)
    e = gamma * (p4[..., :1] + bp)
    vec = p4[..., 1:] + coef * beta + gamma * p4[..., :1] * beta
    return np.concatenate([e, vec], axis=-1)


def emission_samples(
    M: float,
    T_nu: float,
    mu_nu: float,
    T_e: float,
    mu_e: float,
    k_s2: float,
    n_samples: int = 200_000,
    seed: int = 15,
    split: bool = False,
) -> tuple[np.ndarray, ...]:
    """(power weights per sample [hepunits energy/volume/time per mu_B^2], lab E_N [MeV]).

    Sum the weights for Q; weight them with an escape probability of E_N for the escaping
    luminosity. Energies in MeV; k_s2 [MeV^2] the screening wave number squared.
    ``split=True`` returns (weights from nu -> N, weights from nubar -> Nbar, E_N)."""
    rng = np.random.default_rng(seed)
    n = int(n_samples)
    e_max = 25.0 * T_nu + abs(mu_nu) + 3.0 * M
    E = rng.uniform(0.0, e_max, n) + 1e-9
    e_lo, e_hi = M_E, max(mu_e, M_E) + 25.0 * T_e
    Ee = rng.uniform(e_lo, e_hi, n)
    pe = np.sqrt(np.maximum(Ee * Ee - M_E * M_E, 0.0))
    cth = rng.uniform(-1.0, 1.0, n)
    # densities per unit energy (natural units, MeV^2): nu + nubar of one flavour, e- with 2 spins
    occ_nu, occ_bar = _fd((E - mu_nu) / T_nu), _fd((E + mu_nu) / T_nu)
    dn_nu = E * E / (2 * math.pi**2)
    dn_e = 2.0 * pe * Ee / (2 * math.pi**2) * _fd((Ee - mu_e) / T_e)
    v_moller = 1.0 - pe / Ee * cth
    s = M_E * M_E + 2.0 * E * (Ee - pe * cth)
    E_rest = (s - M_E * M_E) / (2.0 * M_E)
    t_lo, t_hi = recoil_range(E_rest, M_E, M)
    ok = t_hi > 0
    t_lo = np.where(ok, np.maximum(t_lo, 1e-10 * t_hi), 1.0)
    t_hi = np.where(ok, t_hi, 2.0)
    ln_range = np.log(t_hi / t_lo)
    Tr = t_lo * np.exp(rng.uniform(0.0, 1.0, n) * ln_range)
    Tr = np.clip(Tr, t_lo * (1 + 1e-9), t_hi * (1 - 1e-9))
    dsig = electron.dipole(np.where(ok, E_rest, 1.0), np.where(ok, Tr, 0.5), M) / u.natural_to_area
    q2 = 2.0 * M_E * Tr
    dsig = dsig * (q2 / (q2 + k_s2)) ** 2 * Tr * ln_range  # per unit (ln T) sample
    # kinematics: nu along z, electron in the x-z plane
    k4 = np.stack([E, np.zeros(n), np.zeros(n), E], axis=-1)
    p4 = np.stack([Ee, pe * np.sqrt(1 - cth * cth), np.zeros(n), pe * cth], axis=-1)
    P = k4 + p4
    beta = P[:, 1:] / P[:, :1]
    k_cm = _boost(k4, -beta)
    rs = np.sqrt(s)
    e_n = (s + M * M - M_E * M_E) / (2 * rs)
    lam = np.maximum((s - (M + M_E) ** 2) * (s - (M - M_E) ** 2), 0.0)
    p_n = np.sqrt(lam) / (2 * rs)
    p_k = k_cm[:, 0]
    t = -2.0 * M_E * Tr
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_star = np.clip((2 * p_k * e_n - M * M + t) / (2 * p_k * p_n), -1.0, 1.0)
    sin_star = np.sqrt(1 - cos_star**2)
    phi = rng.uniform(0.0, 2 * math.pi, n)
    z = k_cm[:, 1:] / np.linalg.norm(k_cm[:, 1:], axis=-1, keepdims=True)
    helper = np.where(np.abs(z[:, :1]) < 0.9, np.array([[1.0, 0, 0]]), np.array([[0, 1.0, 0]]))
    x = np.cross(z, helper)
    x /= np.linalg.norm(x, axis=-1, keepdims=True)
    y = np.cross(z, x)
    dirn = (cos_star[:, None] * z + sin_star[:, None] * (np.cos(phi)[:, None] * x
                                                          + np.sin(phi)[:, None] * y))
    n_cm = np.concatenate([e_n[:, None], p_n[:, None] * dirn], axis=-1)
    n_lab = _boost(n_cm, beta)
    E_N = n_lab[:, 0]
    E_e_out = E + Ee - E_N
    pauli = 1.0 - _fd((E_e_out - mu_e) / T_e)
    volume = e_max * (e_hi - e_lo) * 2.0 / n  # uniform sampling: dE dE_e dcos / n
    w = dn_nu * dn_e * 0.5 * v_moller * dsig * pauli * E_N * volume
    w = np.where(ok, w, 0.0) / (u.hbarc**3 * u.hbar_Planck)  # natural MeV^5 -> hepunits
    e_out = np.where(ok, E_N, M)
    if split:
        return w * occ_nu, w * occ_bar, e_out
    return w * (occ_nu + occ_bar), e_out
