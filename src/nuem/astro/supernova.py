"""SN1987A and the dipole portal: N emission from a proto-neutron-star core and the excluded wedge.

The core is a list of spherical shells (:class:`CoreProfile`); the default is one zone, T = 30 MeV,
rho = 3e14 g/cm^3, Y_p = Y_e = 0.3, R = 10 km (PHYSICS.md §7; Raffelt 1996 §13). A radial profile
(e.g. the Garching 1 s models listed in shared/data/supernova_profiles/PROVENANCE.md) can be given
instead as arrays of outer radius, T, rho, Y_p.

Production of N through nuem's chiral transition moment mu (L ⊃ ½ mu nubar_L sigma N_R F + h.c.)
of one flavour alpha (nu_alpha and nubar_alpha, thermal Fermi-Dirac with chemical potential
+-mu_nu):

- Primakoff-like upscattering nu p -> N p (and on nuclei A, if given), target at rest, spin-0
  point charge (:func:`nuem.xsec.nuclear.dipole`, exact in M), the photon propagator screened by
  the plasma, |1/q^2|^2 -> |1/(q^2 + k_s^2)|^2 with q^2 = 2 m T, k_s^2 = 4 pi alpha sum_i Z_i^2
  dn_i/dmu_i (electrons: degenerate Fermi-Dirac; protons and nuclei: classical, n Z^2/T).
  N carries E - T.
- plasmon decay gamma* -> nu N (:mod:`nuem.astro.plasmon`), N with its mean energy
  omega (K^2 + M^2)/(2 K^2).

- nu e -> N e on the degenerate relativistic electrons, with Pauli blocking and the same screening,
  by Monte Carlo (:mod:`nuem.astro.electron_upscattering`, 60 000 samples per shell and mass,
  statistical error ~4 % on that channel).

Not included: absorption of N on electrons (trapping uses protons and nuclei), nucleon spin and
magnetic moments, nucleon degeneracy, gravitational trapping.

Energy-loss criterion (Raffelt 1996 §13.8): the luminosity that escapes,
L_esc = sum_shells V_i ∫ dQ_i P_esc, must stay below eps_crit M_core with
eps_crit = 1e19 erg g^-1 s^-1. Escape: P_esc = exp(-tau), tau = sum over the shell and those
outside it of dr/lambda, 1/lambda = n_p sigma_abs(E_N) + 1/(gamma beta c tau_N): absorption
N p -> nu p from detailed balance, sigma_abs = (E_N^2/(2 p_N^2)) sigma_up(E_nu = E_N)
(one nu helicity, two N spin states), and decay N -> nu gamma (:mod:`nuem.astro.hnl`, Dirac).
Both are ∝ mu^2, so L_esc(mu) = mu^2 A exp(-mu^2 B): the lower edge of the excluded wedge is set
by emission, the upper one by trapping and decay (Magill et al., arXiv:1803.03262).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import as_array, choice, in_range, non_negative, positive
from nuem.astro import electron_upscattering, hnl
from nuem.astro.plasma import (
    Plasma,
    electron_chemical_potential,
    electron_density,
    electron_screening_k2,
)
from nuem.astro.plasmon import emission_terms
from nuem.errors import NuemInputError
from nuem.xsec import nuclear
from nuem.xsec.kinematics import recoil_range
from nuem.xsec.nuclei import ELEMENTS, element

ALPHA = c.alpha.value
_AMU_MASS = c.atomic_mass_unit.value / u.c_light**2
#: Raffelt's energy-loss criterion at ~1 s after bounce [hepunits energy/mass/time].
EPS_CRIT = 1e19 * u.erg / u.g / u.s

_N_E = 56
_N_T = 48
_N_ELECTRON_SAMPLES = 60_000
CHANNELS = ("upscattering", "electrons", "plasmon")
_MU_GRID_MUB = np.logspace(-15, -5, 401)


@dataclass(frozen=True)
class CoreProfile:
    """Shells of a proto-neutron star: outer radius [hepunits length], T [MeV], rho [hepunits],
    y_p (free protons per baryon), y_e (electrons per baryon; default y_p). ``nuclei``: element ->
    mass fraction of heavier targets (elements of :data:`nuem.xsec.nuclei.ELEMENTS`), the same in
    every shell."""

    radius: np.ndarray
    temperature: np.ndarray
    density: np.ndarray
    y_p: np.ndarray
    nuclei: Mapping[str, float] = field(default_factory=dict)
    y_e: np.ndarray | None = None

    def __post_init__(self):
        r = positive("radius", np.atleast_1d(self.radius), "(length)")
        arrays = {
            "temperature": positive("temperature", np.atleast_1d(self.temperature), "MeV"),
            "density": positive("density", np.atleast_1d(self.density), "(mass/volume)"),
            "y_p": in_range("y_p", np.atleast_1d(self.y_p), 0.0, 1.0),
            "y_e": in_range("y_e", np.atleast_1d(self.y_p if self.y_e is None else self.y_e),
                            1e-6, 1.0),
        }
        for name, a in arrays.items():
            if a.shape != r.shape:
                raise NuemInputError(f"{name} has shape {a.shape}; it must match radius {r.shape}")
        if r.size > 1 and np.any(np.diff(r) <= 0):
            raise NuemInputError("radius must be strictly increasing (outer shell radii)")
        nuclei = {choice("nuclei element", k, ELEMENTS): float(non_negative(k, v))
                  for k, v in dict(self.nuclei).items()}
        object.__setattr__(self, "radius", r)
        for name, a in arrays.items():
            object.__setattr__(self, name, a)
        object.__setattr__(self, "nuclei", nuclei)

    @classmethod
    def one_zone(
        cls,
        temperature: float = 30.0 * u.MeV,
        density: float = 3e14 * u.g / u.cm3,
        y_p: float = 0.3,
        radius: float = 10.0 * u.km,
        nuclei: Mapping[str, float] | None = None,
    ) -> CoreProfile:
        """The default one-zone core (T = 30 MeV, rho = 3e14 g/cm^3, Y_p = 0.3, R = 10 km)."""
        return cls(np.array([radius]), np.array([temperature]), np.array([density]),
                   np.array([y_p]), nuclei or {})

    @classmethod
    def from_garching(cls, path, r_max: float = 20.0 * u.km) -> CoreProfile:
        """Shells r <= ``r_max`` [length] of a Garching 1D profile as described in
        shared/data/supernova_profiles/PROVENANCE.md (5 header lines; columns 0 radius [cm],
        2 density [g/cm^3], 4 T [MeV], 15 X_p, 19 Y_e). The files are not shipped with nuem."""
        table = np.loadtxt(path, skiprows=5)
        if table.ndim != 2 or table.shape[1] < 20:
            raise NuemInputError(f"{path}: expected >= 20 columns of a Garching profile")
        r = table[:, 0] * u.cm
        keep = r <= float(positive("r_max", r_max, "(length)"))
        if keep.sum() < 1:
            raise NuemInputError(f"{path}: no shell inside r_max = {r_max / u.km} km")
        t = table[keep]
        return cls(t[:, 0] * u.cm, t[:, 4] * u.MeV, t[:, 2] * u.g / u.cm3, t[:, 15],
                   y_e=t[:, 19])

    @property
    def shell_volume(self) -> np.ndarray:
        """Volume of each shell [hepunits volume]."""
        inner = np.concatenate([[0.0], self.radius[:-1]])
        return 4.0 * math.pi / 3.0 * (self.radius**3 - inner**3)

    @property
    def thickness(self) -> np.ndarray:
        inner = np.concatenate([[0.0], self.radius[:-1]])
        return self.radius - inner

    @property
    def mass(self) -> float:
        """Core mass [hepunits mass]."""
        return float(np.sum(self.shell_volume * self.density))


def _fd(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 - np.tanh(0.5 * x))


def _targets(shell: dict) -> list[tuple[str, float, int]]:
    """(element name, number density [mm^-3], Z) of the upscattering targets of a shell."""
    rho = shell["density"]
    x_nuc = sum(shell["nuclei"].values())
    out = [("H", shell["y_p"] * rho * max(1.0 - x_nuc, 0.0) / _AMU_MASS, 1)]
    for name, x in shell["nuclei"].items():
        el = element(name)
        out.append((name, x * rho * u.c_light**2 / el.mean_nuclear_mass, el.Z))
    return out


def _screening_k2(shell: dict, plasma_mu_e: float) -> float:
    """k_s^2 [MeV^2]: electrons (Fermi-Dirac) + protons and nuclei (classical, Z^2 n/T)."""
    T = shell["temperature"]
    k2 = electron_screening_k2(T, plasma_mu_e)
    for _, n, Z in _targets(shell):
        k2 += 4.0 * math.pi * ALPHA * Z * Z * n * u.hbarc**3 / T
    return k2


@dataclass
class _Emission:
    """Per shell: weights w [energy/time per mu_B^2] and optical depth per mu_B^2, flattened."""

    weights: list[np.ndarray]
    depth_per_mu2: list[np.ndarray]


def _upscatter_grid(E_hi: float, M: float, el_name: str):
    """E [MeV] (n_E), T [MeV] (n_E, n_T) and trapezoid weights dE dT for nu A -> N A."""
    el = element(el_name)
    m = min(iso.mass for iso in el.isotopes)
    E_th = M + M * M / (2.0 * m)
    E = np.linspace(max(E_th, 1e-6) * (1 + 1e-6), max(E_hi, 2 * E_th + 1.0), _N_E)
    t_lo, t_hi = recoil_range(E, m, M)  # target at rest, massless nu in, mass M out
    t_lo = np.maximum(t_lo, 1e-10 * t_hi)
    frac = np.linspace(0.0, 1.0, _N_T)
    T = t_lo[:, None] * (t_hi[:, None] / t_lo[:, None]) ** frac[None, :]
    T = np.clip(T * (1 + 1e-9), t_lo[:, None] * (1 + 1e-9), t_hi[:, None] * (1 - 1e-9))
    return E, T


def _trap(x: np.ndarray) -> np.ndarray:
    """Trapezoid weights for the last axis of sample points x."""
    d = np.diff(x, axis=-1)
    w = np.zeros_like(x)
    w[..., :-1] += 0.5 * d
    w[..., 1:] += 0.5 * d
    return w


def _shell_dict(core: CoreProfile, i: int) -> dict:
    return {"temperature": float(core.temperature[i]), "density": float(core.density[i]),
            "y_p": float(core.y_p[i]), "y_e": float(core.y_e[i]), "nuclei": core.nuclei}


def _emission(core: CoreProfile, M: float, mu_nu: float, majorana: bool,
              channels: tuple[str, ...], screening: bool = True) -> _Emission:
    weights, depths = [], []
    per_volume_rate_to_power = u.c_light  # sigma*n*c -> rate
    n_sh = core.radius.size
    # absorption and decay per unit length per mu_B^2, for each shell, as a function of E_N
    absorb = []
    for i in range(n_sh):
        sh = _shell_dict(core, i)
        T = sh["temperature"]
        n_e = electron_density(sh["density"], sh["y_e"])
        mu_e = electron_chemical_potential(n_e, T)
        k_s2 = _screening_k2(sh, mu_e) if screening else 0.0
        E_hi = 25.0 * T + abs(mu_nu) + 2.0 * M
        w_sh, e_sh, ab_tables = [], [], []
        if "upscattering" in channels:
            for name, n_t, _Z in _targets(sh):
                if n_t <= 0:
                    continue
                E, Tr = _upscatter_grid(E_hi, M, name)
                m = min(iso.mass for iso in element(name).isotopes)
                q2 = 2.0 * m * Tr
                screen = (q2 / (q2 + k_s2)) ** 2
                dsig = nuclear.dipole(E[:, None], Tr, M, name, form_factor="none") * screen
                wT = Tr * _trap(np.log(Tr))  # trapezoid in ln T (log-spaced nodes)
                sigma_tot = np.sum(dsig * wT, axis=-1)  # area per mu_B^2, vs E
                ab_tables.append((E, n_t * sigma_tot))
                # neutrino number density per energy, nu and nubar of one flavour [mm^-3/MeV]
                occ = _fd((E - mu_nu) / T) + _fd((E + mu_nu) / T)
                dn = E * E / (2.0 * math.pi**2) * occ / u.hbarc**3
                wE = _trap(E)
                E_N = E[:, None] - Tr
                w = (n_t * per_volume_rate_to_power * dn[:, None] * wE[:, None] * dsig * wT
                     * E_N * core.shell_volume[i])
                w_sh.append(w.ravel())
                e_sh.append(E_N.ravel())
        if "electrons" in channels:
            w_e, e_e = electron_upscattering.emission_samples(
                M, T, mu_nu, T, mu_e, k_s2, n_samples=_N_ELECTRON_SAMPLES
            )
            w_sh.append(w_e * core.shell_volume[i])
            e_sh.append(e_e)
        if "plasmon" in channels:
            plasma = Plasma.from_conditions(sh["density"], T, sh["y_e"])
            for wk, E_N in emission_terms(plasma, M):
                w_sh.append(wk.ravel() * core.shell_volume[i])
                e_sh.append(E_N.ravel())
        weights.append(np.concatenate(w_sh) if w_sh else np.zeros(0))
        depths.append(np.concatenate(e_sh) if e_sh else np.zeros(0))
        absorb.append(ab_tables)
    # optical depth per mu_B^2 for an N of energy E_N produced in shell i: shells j >= i
    out_depth = []
    for i in range(n_sh):
        E_N = np.maximum(depths[i], M * (1 + 1e-9))
        p_N = np.sqrt(np.maximum(E_N * E_N - M * M, 1e-300))
        tau = np.zeros_like(E_N)
        for j in range(i, n_sh):
            inv_len = np.zeros_like(E_N)
            for E_tab, n_sigma in absorb[j]:
                e_eval = np.clip(E_N, E_tab[0], E_tab[-1])
                up = np.interp(e_eval, E_tab, n_sigma)
                inv_len += E_N * E_N / (2.0 * p_N * p_N) * up
            if M > 0:
                inv_len += 1.0 / hnl.decay_length(E_N, M, u.mu_B, majorana)
            tau += core.thickness[j] * inv_len
        out_depth.append(tau)
    return _Emission(weights, out_depth)


def escaping_luminosity(
    mu: ArrayLike,
    M: float,
    core: CoreProfile | None = None,
    mu_nu: float = 0.0,
    majorana: bool = False,
    channels: tuple[str, ...] = CHANNELS,
    screening: bool = True,
) -> np.ndarray:
    """L_esc [hepunits power] carried out of the core by N, vs moment mu [hepunits]."""
    core = core or CoreProfile.one_zone()
    mu = non_negative("mu", mu)
    x2 = (mu / u.mu_B) ** 2
    em = _emission(core, float(non_negative("M", M, "MeV")), mu_nu, majorana, channels, screening)
    w, tau = _compress(np.concatenate(em.weights), np.concatenate(em.depth_per_mu2))
    return x2 * np.sum(w * np.exp(-np.multiply.outer(x2, tau)), axis=-1)


def _compress(w: np.ndarray, tau: np.ndarray, n_bins: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Sum the weights in bins of log(tau), each bin at its weight-averaged tau: the sum
    sum_i w_i exp(-x tau_i) changes by O((bin width)^2)."""
    keep = w > 0
    w, tau = w[keep], tau[keep]
    if w.size <= n_bins:
        return w, tau
    lt = np.log(np.maximum(tau, 1e-300))
    edges = np.linspace(lt.min(), lt.max() + 1e-12, n_bins + 1)
    idx = np.clip(np.searchsorted(edges, lt, side="right") - 1, 0, n_bins - 1)
    wsum = np.bincount(idx, weights=w, minlength=n_bins)
    tsum = np.bincount(idx, weights=w * tau, minlength=n_bins)
    ok = wsum > 0
    return wsum[ok], tsum[ok] / wsum[ok]


@dataclass(frozen=True)
class Wedge:
    """Excluded band in mu [mu_B] per mass [MeV]: lower (emission) and upper (trapping) edges,
    NaN where nothing is excluded."""

    mass_MeV: np.ndarray
    lower_muB: np.ndarray
    upper_muB: np.ndarray


def sn1987a_wedge(
    M: ArrayLike,
    core: CoreProfile | None = None,
    eps_crit: float = EPS_CRIT,
    mu_nu: float = 0.0,
    majorana: bool = False,
    channels: tuple[str, ...] = CHANNELS,
    screening: bool = True,
    luminosity_crit: float | None = None,
) -> Wedge:
    """The SN1987A excluded wedge vs N mass ``M`` [MeV]: L_esc(mu) > eps_crit M_core.

    eps_crit [hepunits energy/mass/time], default Raffelt's 1e19 erg/g/s; ``mu_nu`` [MeV] the
    chemical potential of the coupled flavour; ``channels`` any of "upscattering" (protons and
    nuclei), "electrons", "plasmon";
    ``screening=False`` drops the plasma screening of the photon propagator (the t-channel
    log is then cut only by the kinematic q_min of the N mass). ``luminosity_crit`` [power]
    replaces eps_crit x M_core by a luminosity bound (e.g. 5.68e52 erg/s with a Garching profile,
    PROVENANCE.md).
    """
    M = np.atleast_1d(non_negative("M", M, "MeV"))
    core = core or CoreProfile.one_zone()
    eps_crit = float(positive("eps_crit", eps_crit, "(energy/mass/time)"))
    for ch in channels:
        choice("channel", ch, CHANNELS)
    as_array("mu_nu", mu_nu)
    limit = eps_crit * core.mass if luminosity_crit is None else float(
        positive("luminosity_crit", luminosity_crit, "(power)")
    )
    x = _MU_GRID_MUB
    lower = np.full(M.shape, np.nan)
    upper = np.full(M.shape, np.nan)
    for i, m in enumerate(M):
        L = escaping_luminosity(x * u.mu_B, float(m), core, mu_nu, majorana, channels, screening)
        above = L > limit
        if not above.any():
            continue
        lo, hi = int(np.argmax(above)), int(len(x) - 1 - np.argmax(above[::-1]))
        lower[i] = _crossing(x, L, limit, lo - 1, lo) if lo > 0 else x[0]
        upper[i] = _crossing(x, L, limit, hi, hi + 1) if hi < len(x) - 1 else np.nan
    return Wedge(M, lower, upper)


def _crossing(x, L, limit, i, j) -> float:
    """log-log interpolation of L(x) = limit between grid points i, j."""
    lx, ly = np.log(x[[i, j]]), np.log(np.maximum(L[[i, j]], 1e-300))
    t = (math.log(limit) - ly[0]) / (ly[1] - ly[0])
    return float(np.exp(lx[0] + t * (lx[1] - lx[0])))
