"""Delta N_eff at recombination from the dipole-portal N and its decays N -> nu gamma.

Model (docs/cosmo.md, "ΔN_eff at recombination"): the relic of :func:`nuem.cosmo.dipole.
relic_population` (n_N/s, frozen-out Fermi-Dirac spectrum at T_f, T_N = T (g_s(T)/g_s(T_f))^(1/3)
while the bath conserves entropy) decays with the rest-frame lifetime of :mod:`nuem.astro.hnl`,
each comoving momentum p with its own time dilation (rate M/(E tau)); a fraction ``photon_fraction``
of the decay energy goes into photons (1/2 for N -> nu gamma: the two massless daughters share
E_N equally on average), the rest into neutrinos. The energy equations are integrated in ln a
with H = sqrt(8 pi rho_tot/3)/M_Pl (N, bath, neutrinos and, after nu decoupling, c+b matter):

- T > T_nu,dec (default 2 MeV, instantaneous decoupling): the neutrinos are coupled; the whole
  decay energy becomes entropy of the SM bath (g_s, g_rho of :mod:`nuem.cosmo.thermo`):
  dS = dQ/T. No N_eff change, only dilution.
- T < T_nu,dec: photons + e+- (m_e kept, their own thermodynamics) gain entropy
  dS = f_gamma dQ/T (before and during e+- annihilation that entropy ends up in the photons);
  the neutrinos gain (1 - f_gamma) dQ as free-streaming radiation (rho a^4 constant afterwards).
- At recombination (T_rec = T_0 (1 + z_*)): the surviving N count as radiation through their
  pressure, 3 p_N (relativistic: all of rho_N; non-relativistic: nothing); the rest of rho_N is
  matter (reported as ``matter_over_cdm``, not part of N_eff).

N_eff = (r / r_ref) [3.044 + 3 (rho_nu,inj + 3 p_N)/rho_nu,SM], r = rho_nu,SM/rho_gamma at
recombination, r_ref its value without N (the standard (7/8)(4/11)^(4/3) per species for
instantaneous decoupling): the SM neutrinos keep their non-instantaneous-decoupling excess
(3.044 - 3, Bennett et al., arXiv:2012.02726), the injected radiation is counted in units of one
instantaneously decoupled species. Equivalently, at the same scale factor a,
N_eff ∝ rho_nu (s_gamma,SM/s_gamma)^(4/3).

Not modelled: spectral distortions (photons injected after z ~ 2e6 are counted as heat, not as
a mu/y distortion), partial neutrino decoupling (a sharp T_nu,dec), inverse decays nu gamma -> N
after T_nu,dec (an N kept in equilibrium there is the ``bbn-equilibrium`` band instead).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import in_range, non_negative, positive
from nuem.astro import hnl
from nuem.constants import ELECTRON_MASS_MEV
from nuem.cosmo import dipole, thermo
from nuem.cosmo.neff import NEFF_SM, PLANCK_RANGE
from nuem.errors import NuemInputError

#: CMB temperature today [MeV] (:data:`nuem.constants.T_cmb_today`)
T_CMB_0 = c.T_cmb_today.value / u.MeV
#: recombination (last scattering) temperature [MeV], T_0 (1 + z*)
T_REC = T_CMB_0 * (1.0 + c.z_recombination.value)
#: Omega_c h^2 + Omega_b h^2 = 0.11933 + 0.02242 (same Planck column)
OMEGA_M_H2 = 0.14175
_H100 = u.hbar_Planck * 100.0 * u.km / u.s / (1e6 * u.parsec)  # 100 km/s/Mpc [MeV]
#: critical density / h^2 = 3 H_100^2 M_Pl^2/(8 pi) [MeV^4] (1.0537e-5 GeV cm^-3)
_RHO_CRIT_H2 = 3.0 * _H100**2 * thermo.M_PL**2 / (8.0 * math.pi)
T_NU_DEC = 2.0 * u.MeV
_T_START = 20.0 * u.MeV  # decays before this are thermalised (entropy only, and negligible)
_DU = 0.05  # ln a step (Delta N_eff converged to ~1e-3 against 0.01)
_HBAR = u.hbar_Planck  # MeV ns: hepunits time -> MeV^-1 is t/hbar

# comoving momenta x = p/T_N: Gauss-Laguerre nodes, weights for x^2/(e^x + 1)
_GL_X, _GL_W = np.polynomial.laguerre.laggauss(12)
_W = _GL_W * _GL_X**2 * np.exp(_GL_X) / (np.exp(_GL_X) + 1.0)
_W = _W / _W.sum()


@functools.cache
def _ee_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ln T, rho, s) of photons + e+- (m_e, zero chemical potential) on a log T grid [MeV]."""
    t = np.geomspace(1e-8, 1e3, 1101)
    x = np.linspace(1e-6, 60.0, 2401)[None, :]
    y = ELECTRON_MASS_MEV / t[:, None]
    e = np.sqrt(x * x + y * y)
    f = 1.0 / (np.exp(np.minimum(e, 700.0)) + 1.0)
    rho_e = 4.0 / (2 * math.pi**2) * np.trapezoid(x * x * e * f, x, axis=1)
    p_e = 4.0 / (6 * math.pi**2) * np.trapezoid(x**4 / e * f, x, axis=1)
    rho = (math.pi**2 / 15.0 + rho_e) * t**4
    s = (4 * math.pi**2 / 45.0 + (rho_e + p_e)) * t**3
    return np.log(t), rho, s


def _bath(S_over_a3: np.ndarray, coupled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T [MeV], rho [MeV^4]) of the bath with entropy density S/a^3: the whole SM (where
    ``coupled``: neutrinos in it, thermo.g_s/g_rho) or photons + e+- alone."""
    ls = np.log(S_over_a3)
    lt_c, ls_c = _sm_table()
    T_c = np.exp(np.interp(ls, ls_c, lt_c))
    lt, rho, s = _ee_table()
    ln_T = np.interp(ls, np.log(s), lt)
    T_e = np.exp(ln_T)
    rho_e = np.exp(np.interp(ln_T, lt, np.log(rho)))
    return (
        np.where(coupled, T_c, T_e),
        np.where(coupled, math.pi**2 / 30.0 * thermo.g_rho(T_c) * T_c**4, rho_e),
    )


@functools.cache
def _sm_table() -> tuple[np.ndarray, np.ndarray]:
    """(ln T, ln s) of the whole SM bath (thermo.g_s) from 0.1 MeV to 10 GeV."""
    tt = np.geomspace(0.1, 1e4, 600)
    return np.log(tt), np.log(2 * math.pi**2 / 45.0 * thermo.g_s(tt) * tt**3)


def _s_ee(T: np.ndarray) -> np.ndarray:
    """Entropy density [MeV^3] of photons + e+- at T [MeV]."""
    lt, _, s = _ee_table()
    return np.exp(np.interp(np.log(T), lt, np.log(s)))


@dataclass(frozen=True)
class CMBRadiation:
    """Delta N_eff at recombination (dimensionless) and its ingredients, per population."""

    delta_neff: np.ndarray
    #: fraction of the N surviving at recombination
    surviving: np.ndarray
    #: (rho_N - 3 p_N)/rho_(c+b) of the surviving N at recombination (matter, not in N_eff)
    matter_over_cdm: np.ndarray


def _proper_time_before(t_start: float, p: np.ndarray, M: np.ndarray) -> np.ndarray:
    """∫_0^t_start M/E dt [MeV^-1] for momentum p [MeV] at t_start, p ∝ t^(-1/2) (radiation)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        k = np.where(M > 0, t_start * (p / np.maximum(M, 1e-300)) ** 2, np.inf)
        val = np.sqrt(t_start * (t_start + k)) - k * np.arcsinh(np.sqrt(t_start / k))
        # k >> t_start (ultra-relativistic): (2/3) t^(3/2)/sqrt(k) avoids the cancellation
        small = 2.0 / 3.0 * t_start**1.5 / np.sqrt(k)
        return np.where(k > 1e4 * t_start, small, val)


def relic_delta_neff_cmb(
    M: ArrayLike,
    tau: ArrayLike,
    yield_n: ArrayLike,
    t_freeze: ArrayLike,
    photon_fraction: float = 0.5,
    t_nu_dec: float = T_NU_DEC,
    t_rec: float = T_REC,
) -> CMBRadiation:
    """Delta N_eff at recombination of relic populations (module doc), broadcast together.

    Parameters
    ----------
    M : N mass [MeV] (>= 0).
    tau : rest-frame lifetime [hepunits time, ns] (> 0; inf: stable).
    yield_n : n_N/s (>= 0), frozen out relativistically at ``t_freeze`` [MeV] (>= t_nu_dec).
    photon_fraction : share of the decay energy into photons (0..1; N -> nu gamma: 1/2).
    t_nu_dec, t_rec : neutrino decoupling and recombination temperatures [MeV].

    Returns
    -------
    CMBRadiation with arrays of the broadcast shape.
    """
    M = non_negative("M", M, "MeV")
    tau = non_negative("tau", tau, "ns", allow_inf=True)
    if np.any(tau == 0):
        raise NuemInputError("tau = 0 ns: the lifetime must be > 0 (inf: stable)")
    y = non_negative("yield_n", yield_n)
    t_nu = float(positive("t_nu_dec", t_nu_dec, "MeV"))
    t_end = float(positive("t_rec", t_rec, "MeV"))
    if not t_end < 1e-3 * t_nu:
        raise NuemInputError(f"t_rec = {t_end} MeV must be far below t_nu_dec = {t_nu} MeV")
    t_f = positive("t_freeze", t_freeze, "MeV")
    if np.any(t_f < t_nu):
        raise NuemInputError(
            f"t_freeze = {np.min(t_f)} MeV is below t_nu_dec = {t_nu} MeV "
            "(reheating after neutrino decoupling is outside this model)"
        )
    f_g = float(in_range("photon_fraction", photon_fraction, 0.0, 1.0))
    M, tau, y, t_f = np.broadcast_arrays(M, tau, y, t_f)
    shape = M.shape
    M, tau, y, t_f = (a.reshape(-1, 1).astype(float) for a in (M, tau, y, t_f))
    tau = tau / _HBAR  # MeV^-1
    out = _integrate(M, tau, y, t_f, f_g, t_nu, t_end)
    return CMBRadiation(*(a.reshape(shape) for a in out))


def _integrate(M, tau, y, t_f, f_g, t_nu, t_end):
    """The ln a integration of the module doc; arrays of shape (n, 1), momenta on axis 1.

    Each population switches from the coupled bath to photons + e+- (and free neutrinos) when
    its own T falls below ``t_nu`` and is read off when it falls below ``t_end``."""
    n = M.shape[0]
    t0 = np.minimum(t_f, _T_START)
    s0 = 2 * math.pi**2 / 45.0 * thermo.g_s(t0) * t0**3  # a = 1 at T = t0
    S = s0[:, 0].copy()  # comoving bath entropy (whole SM while coupled)
    q = _GL_X[None, :] * t0 * (thermo.g_s(t0) / thermo.g_s(t_f)) ** (1.0 / 3.0)  # p at a = 1
    time = thermo.time_at(t0) / _HBAR  # MeV^-1, standard history before t0
    N = y * s0 * _W[None, :] * np.exp(-_proper_time_before(time, q, M) / tau)
    kappa = OMEGA_M_H2 * _RHO_CRIT_H2 / (4 * math.pi**2 / 45.0 * T_CMB_0**3)  # rho_m per s_gamma
    a = 1.0
    coupled = np.ones(n, bool)
    done = np.zeros(n, bool)
    nu_sm, nu_inj, r_ref = np.zeros(n), np.zeros(n), np.ones(n)  # rho_nu a^4
    out = np.zeros((3, n))
    prev = None

    def rho_total(a, S, N):
        T, rho_b = _bath(S / a**3, coupled)
        E = np.sqrt((q / a) ** 2 + M * M)
        rho = rho_b + (N * E).sum(axis=1) / a**3 + (nu_sm + nu_inj) / a**4
        return T, E, rho + np.where(coupled, 0.0, kappa * S / a**3)

    T, E, rho = rho_total(a, S, N)
    for _ in range(4000):
        a_new = a * math.exp(_DU)
        T_p, E_p, rho_p = rho_total(a_new, S, N)  # predictor: redshift without injection
        dt = (
            0.5
            * _DU
            * (1.0 / np.sqrt(rho) + 1.0 / np.sqrt(rho_p))
            * thermo.M_PL
            / math.sqrt(8 * math.pi / 3.0)
        )
        E_mid = 0.5 * (E + E_p)
        dN = N * -np.expm1(-dt[:, None] * M / (E_mid * tau))
        N = N - dN
        dQ = (dN * E_mid).sum(axis=1)  # comoving energy released (a^3 rho)
        dq_bath = np.where(coupled, 1.0, f_g) * dQ
        S_1 = S + dq_bath / (0.5 * (T + T_p))
        # corrector: the heated bath's end temperature (dS = dQ/T at the step's mean T)
        S = S + dq_bath / (0.5 * (T + _bath(S_1 / a_new**3, coupled)[0]))
        nu_inj = nu_inj + np.where(coupled, 0.0, (1.0 - f_g) * dQ * a * math.exp(0.5 * _DU))
        a = a_new
        T, E, rho = rho_total(a, S, N)
        switch = coupled & (T <= t_nu)
        if switch.any():  # neutrinos decouple: the bath splits at T into nu and photons + e+-
            nu_sm = np.where(switch, 3 * 7.0 / 8.0 * math.pi**2 / 15.0 * T**4 * a**4, nu_sm)
            S = np.where(switch, _s_ee(T) * a**3, S)
            r_ref = np.where(
                switch,
                nu_sm / (math.pi**2 / 15.0 * (S / (4 * math.pi**2 / 45.0)) ** (4.0 / 3.0)),
                r_ref,
            )
            coupled = coupled & ~switch
            T, E, rho = rho_total(a, S, N)
        near = ~coupled & ~done & (T <= t_end * math.exp(2.0 * _DU))
        if not near.any():
            continue
        res = np.array(_read_off(a, T, N, q, E, M, nu_sm, nu_inj, r_ref, S, y, s0, kappa))
        lnT = np.log(T)
        end = near & (T <= t_end)
        if prev is not None:  # linear in ln T between the last two steps
            step = np.where(lnT < prev[1], lnT - prev[1], -1.0)
            f = np.clip((math.log(t_end) - prev[1]) / step, 0.0, 1.0)
            res_end = prev[0] + (res - prev[0]) * f
        else:
            res_end = res
        out = np.where(end[None, :], res_end, out)
        done = done | end
        if done.all():
            return out
        prev = (res, lnT)
    raise RuntimeError("recombination not reached")  # pragma: no cover


def _read_off(a, T, N, q, E, M, nu_sm, nu_inj, r_ref, S, y, s0, kappa):
    """(Delta N_eff, surviving fraction, matter/(c+b)) of each population at scale factor a."""
    p = q / a
    three_p = (N * p * p / E).sum(axis=1) / a**3
    rho_n = (N * E).sum(axis=1) / a**3
    r = (nu_sm / a**4) / (math.pi**2 / 15.0 * T**4)
    neff = r / r_ref * (NEFF_SM + 3.0 * (nu_inj / a**4 + three_p) / (nu_sm / a**4))
    with np.errstate(invalid="ignore", divide="ignore"):
        surv = np.where(y[:, 0] > 0, N.sum(axis=1) / (y[:, 0] * s0[:, 0]), 0.0)
    return neff - NEFF_SM, surv, (rho_n - three_p) / (kappa * S / a**3)


def delta_neff_cmb(
    M: ArrayLike,
    mu: ArrayLike,
    majorana: bool = False,
    t_reheat: float = math.inf,
    t_nu_dec: float = T_NU_DEC,
    t_rec: float = T_REC,
) -> CMBRadiation:
    """Delta N_eff at recombination of the dipole-portal N of mass ``M`` [MeV] and transition
    moment ``mu`` [hepunits], broadcast together: the relic of
    :func:`nuem.cosmo.dipole.relic_population` (``t_reheat`` [MeV]) with the lifetime of
    :func:`nuem.astro.hnl.lifetime`, decaying N -> nu gamma (module doc). A freeze-out below
    ``t_nu_dec`` [MeV] (the 1 MeV floor of the decoupling temperature, large moments) is raised
    to ``t_nu_dec``; ``t_reheat`` below it is refused. ``t_rec`` [MeV]."""
    M = non_negative("M", M, "MeV")
    mu = non_negative("mu", mu)
    t_rh = float(positive("t_reheat", t_reheat, "MeV")) if math.isfinite(t_reheat) else math.inf
    if t_rh < t_nu_dec:
        raise NuemInputError(
            f"t_reheat = {t_rh} MeV is below t_nu_dec = {t_nu_dec} MeV "
            "(reheating after neutrino decoupling is outside this model)"
        )
    M, mu = np.broadcast_arrays(M, mu)
    y, t_f = np.zeros(M.shape), np.ones(M.shape)
    for m in np.unique(M):  # the relic rule depends on M only through T_f < M
        sel = M == m
        y[sel], t_f[sel] = dipole.relic_population(float(m), mu[sel], t_rh)
    tau = hnl.lifetime(M, mu, majorana)
    return relic_delta_neff_cmb(M, tau, y, np.maximum(t_f, t_nu_dec), 0.5, t_nu_dec, t_rec)


#: moments scanned per mass [mu_B]: from 1e-17 up to where tau_N = 1 ms (the N gone long before
#: T_nu,dec; at most 1e-2), 91 log steps (<= 0.17 dex; the edges move < 2 % against 0.05 dex)
_MU_MIN, _MU_MAX, _N_MU, _TAU_MIN_S = 1e-17, 1e-2, 91, 1e-3


@dataclass(frozen=True)
class CMBBand:
    """Excluded moments [mu_B] per mass [MeV]: lower <= mu <= upper is the lowest excluded range
    (NaN: none; lower = 0 when open downwards, upper NaN when open upwards); ``further`` holds,
    per mass, the excluded ranges above it (a Delta N_eff that falls below the limit and rises
    again as the relic yield grows across the QCD transition), as (lower, upper) pairs."""

    mass_MeV: np.ndarray
    lower_muB: np.ndarray
    upper_muB: np.ndarray
    further: tuple[tuple[tuple[float, float], ...], ...]


def cmb_band(
    M: ArrayLike,
    majorana: bool = False,
    t_reheat: float = math.inf,
    neff_range: tuple[float, float] = PLANCK_RANGE,
    matter_max: float = 1.0,
) -> CMBBand:
    """Excluded moments vs N mass ``M`` [MeV]: Delta N_eff at recombination outside
    ``neff_range`` (default Planck 2018 95 %, :data:`PLANCK_RANGE`) or surviving N matter above
    ``matter_max`` times the measured c+b density (see :class:`CMBBand`). The scan's ends:
    :data:`_MU_MIN`, and :data:`_MU_MAX` or tau_N = 1 ms; edges interpolated in log mu."""
    M = np.atleast_1d(non_negative("M", M, "MeV"))
    lo, hi = (float(x) for x in neff_range)
    if not lo < 0.0 < hi:
        raise NuemInputError(f"neff_range = {neff_range}: need lower < 0 < upper")
    matter_max = float(positive("matter_max", matter_max))
    with np.errstate(divide="ignore"):  # tau ∝ mu^-2; M = 0: stable, up to the grid end
        mu_top = np.sqrt(hnl.lifetime(M, u.mu_B, majorana) / (_TAU_MIN_S * u.s)) / u.mu_B
    mu_top = np.clip(mu_top, 1e3 * _MU_MIN, _MU_MAX)
    mu = (
        np.exp(np.linspace(0.0, 1.0, _N_MU)[None, :] * np.log(mu_top / _MU_MIN)[:, None]) * _MU_MIN
    )  # [mu_B], increasing, one row per mass
    r = delta_neff_cmb(M[:, None], mu * u.mu_B, majorana, t_reheat)
    margin = np.maximum(
        np.maximum(r.delta_neff / hi, r.delta_neff / lo), r.matter_over_cdm / matter_max
    )
    runs = [_runs(mu[i], margin[i]) for i in range(M.size)]
    first = np.array([rr[0] if rr else (math.nan, math.nan) for rr in runs]).reshape(-1, 2)
    return CMBBand(M, first[:, 0], first[:, 1], tuple(tuple(rr[1:]) for rr in runs))


def _runs(mu: np.ndarray, margin: np.ndarray) -> list[tuple[float, float]]:
    """The (lower, upper) mu of each run with margin > 1, interpolated in log mu; lower 0 /
    upper NaN where the run reaches the scan's first / last point."""
    bad = margin > 1.0

    def cross(k: int) -> float:  # margin crosses 1 between k and k + 1
        lm = np.log(np.maximum(margin[k : k + 2], 1e-300))
        f = -lm[0] / (lm[1] - lm[0])
        return float(np.exp(np.log(mu[k]) + f * (np.log(mu[k + 1]) - np.log(mu[k]))))

    change = np.flatnonzero(bad[1:] != bad[:-1])
    starts = ([0] if bad[0] else []) + [int(k) + 1 for k in change if not bad[k]]
    ends = [int(k) for k in change if bad[k]] + ([bad.size - 1] if bad[-1] else [])
    return [
        (0.0 if a == 0 else cross(a - 1), math.nan if b == bad.size - 1 else cross(b))
        for a, b in zip(starts, ends, strict=True)
    ]
