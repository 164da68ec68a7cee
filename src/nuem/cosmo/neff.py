"""Delta N_eff from right-handed neutrinos made through a Dirac magnetic moment.

Treatment (docs/cosmo.md): Gamma_flip/H grows like T (:mod:`nuem.cosmo.flip`), so nu_R are in
equilibrium at high T and decouple at T_dec, Gamma_flip(T_dec) = H(T_dec). Instantaneous
decoupling and entropy conservation give (PHYSICS.md §7; Kolb & Turner 1990 §3.4)

    Delta N_eff = N_R (g_s(T_nu,dec)/g_s(T_dec))^(4/3),   g_s(T_nu,dec) = 10.75,

for N_R flavours with the moment. If the universe reheated only to T_RH < T_dec the nu_R never
equilibrate: UV-dominated freeze-in gives a fraction Gamma/H(T_RH) of an equilibrium population,
Delta N_eff = N_R (Gamma/H)(T_RH) (10.75/g_s(T_RH))^(4/3) (an amplitude-scaled spectrum), capped at
the thermal value. The bound is the mu where Delta N_eff reaches ``delta_neff_max``: default 0.286,
Planck 2018 TT,TE,EE+lowE+lensing+BAO, N_eff = 2.99 +0.34/-0.33 (95 %, arXiv:1807.06209 eq. 66)
above N_eff^SM = 3.044.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import in_range, non_negative, positive
from nuem.cosmo.flip import flip_rate
from nuem.cosmo.thermo import g_s, hubble

#: SM N_eff (Bennett et al. 2021, arXiv:2012.02726)
NEFF_SM = 3.044
#: Planck 2018 TT,TE,EE+lowE+lensing+BAO, N_eff = 2.99 +0.34/-0.33 at 95 % (arXiv:1807.06209
#: eq. 66), as Delta N_eff = N_eff - NEFF_SM: the allowed range (lower, upper)
PLANCK_RANGE = (2.99 - 0.33 - NEFF_SM, 2.99 + 0.34 - NEFF_SM)
#: the upper end of :data:`PLANCK_RANGE`, 0.286: the default bound on extra radiation
DELTA_NEFF_PLANCK = PLANCK_RANGE[1]
G_S_NU_DEC = 10.75
_T_GRID = np.logspace(0.0, 8.0, 321)  # 1 MeV .. 1e8 MeV


def decoupling_temperature(mu: float) -> float:
    """T_dec [MeV] where Gamma_flip = H; +inf if above 1e8 MeV, 1 MeV (the grid start) if below."""
    mu = float(non_negative("mu", mu))
    if mu == 0:
        return math.inf
    ratio = flip_rate(_T_GRID, mu) / hubble(_T_GRID)
    above = ratio >= 1.0
    if not above.any():
        return math.inf
    i = int(np.argmax(above))
    if i == 0:
        return float(_T_GRID[0])
    lr = np.log(ratio[i - 1 : i + 1])
    lt = np.log(_T_GRID[i - 1 : i + 1])
    return float(np.exp(lt[0] - lr[0] * (lt[1] - lt[0]) / (lr[1] - lr[0])))


def delta_neff(mu: ArrayLike, n_flavours: int = 3, t_reheat: float = math.inf) -> np.ndarray:
    """Delta N_eff (dimensionless) vs the Dirac moment mu [hepunits] of ``n_flavours`` flavours;
    ``t_reheat`` [MeV] the reheating temperature (default: no limit)."""
    mu = np.atleast_1d(non_negative("mu", mu))
    n = float(in_range("n_flavours", n_flavours, 0, 3))
    t_rh = float(positive("t_reheat", t_reheat, "MeV")) if math.isfinite(t_reheat) else math.inf
    out = np.zeros(mu.shape)
    for i, m in enumerate(mu.flat):
        t_dec = decoupling_temperature(float(m))
        if t_dec <= t_rh:
            # decoupled (above the grid: at the grid top, g_s no longer changes there)
            t_dec = min(t_dec, float(_T_GRID[-1]))
            out.flat[i] = n * (G_S_NU_DEC / float(g_s(t_dec))) ** (4 / 3)
        else:
            frac = min(float(flip_rate(t_rh, m) / hubble(t_rh)), 1.0)
            out.flat[i] = n * frac * (G_S_NU_DEC / float(g_s(t_rh))) ** (4 / 3)
    return out.reshape(np.shape(mu))


def neff_bound(
    delta_neff_max: float = DELTA_NEFF_PLANCK, n_flavours: int = 3, t_reheat: float = math.inf
) -> float:
    """Largest Dirac moment [hepunits] with Delta N_eff <= ``delta_neff_max``; inf if none."""
    dmax = float(positive("delta_neff_max", delta_neff_max))
    lo, hi = math.log(1e-16), math.log(1e-6)

    def excess(lmu):
        return float(delta_neff(math.exp(lmu) * u.mu_B, n_flavours, t_reheat)[0]) - dmax

    if excess(hi) <= 0:
        return math.inf
    if excess(lo) > 0:
        return 0.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if excess(mid) > 0:
            hi = mid
        else:
            lo = mid
    return math.exp(0.5 * (lo + hi)) * u.mu_B
