"""SN1987A and the dipole portal: N emission from a proto-neutron star and the excluded wedge.

The star is a list of spherical shells (:class:`CoreProfile`). Default: a one-zone core,
T = 30 MeV, rho = 3e14 g/cm^3, Y_p = Y_e = 0.3, R = 10 km (PHYSICS.md §7; Raffelt 1996 §13), in
six equal-volume shells, plus an envelope rho ∝ r^-9, T ∝ rho^(1/3) out to 100 km (read off the
Garching SFHo-s18.80 1 s model, shared/data/supernova_profiles/PROVENANCE.md). A Garching profile
can be read instead (:meth:`CoreProfile.from_garching`), with the flavour's nu chemical potential.

Production through nuem's chiral transition moment mu (L ⊃ ½ mu nubar_L sigma N_R F + h.c.) of
one flavour, N from nu and Nbar from nubar (Fermi-Dirac, chemical potentials +-mu_nu per shell),
binned in N energy:

- nu p -> N p (and nu A -> N A): spin-0 point charge, target at rest, exact in M
  (:func:`nuem.xsec.nuclear.dipole`), the photon propagator screened,
  |1/q^2|^2 -> |1/(q^2 + k_s^2)|^2, k_s^2 = 4 pi alpha sum Z^2 dn/dmu (degenerate electrons,
  classical protons/nuclei); N carries E - T;
- nu e -> N e on the degenerate electrons, Pauli-blocked, same screening, Monte Carlo
  (:mod:`nuem.astro.electron_upscattering`);
- plasmon decay gamma* -> nu Nbar, N nubar (:mod:`nuem.astro.plasmon`).

Escape (docs/astro.md): the transfer integral L_esc = sum_shells V sum_E dQ(E) <exp(-tau)>,
averaged over 4 sub-points per shell and 8 directions, tau along the exact chords to the outer
radius, with the opacity of every channel from detailed balance (per N mode Gamma_abs =
exp((E - mu_N)/T) Gamma_prod, kappa = (Gamma_abs + Gamma_prod)/v) plus decay N -> nu gamma
(:mod:`nuem.astro.hnl`): a trapped N leaves as the black body of its N-sphere; decays inside the
outer radius count as deposited. Criterion (Raffelt 1996 §13.8): L_esc < eps_crit M_core,
eps_crit = 1e19 erg/g/s, or a luminosity. Everything is ∝ mu^2, L_esc = mu^2 sum w exp(-mu^2 tau):
the lower edge is emission, the upper one trapping and decay.

Not included: nucleon magnetic moments (neutron scattering: 1-2 % of the proton rate, docs),
nucleon degeneracy and thermal motion, gravitational redshift and trapping; g = 1 N helicity
per mode.
"""

from __future__ import annotations

import functools
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

_N_E = 160
_N_T = 48
_N_BINS = 48
_N_DIRS = 8
_N_SUB = 4
_NEGLIGIBLE = 1e-10
_N_ELECTRON_SAMPLES = 16_000
_N_ELECTRON_FEW = 1_000  # shells cooler than half the hottest: subdominant emission
#: Envelope of the default core, rho ∝ r^-ENVELOPE_INDEX and T ∝ rho^(1/3), out to R_FAR: read off
#: the Garching SFHo-s18.80 model at 1 s (PROVENANCE.md; not shipped): between 10 and 20 km rho
#: falls by 630 (index 9.3) and T by 8.1 (= rho^0.32).
ENVELOPE_INDEX = 9.0
#: Radius beyond which an N counts as lost [length]: decays and absorption inside it do not.
R_FAR = 100.0 * u.km
CHANNELS = ("upscattering", "electrons", "plasmon")
_MU_GRID_MUB = np.logspace(-15, -5, 401)


@dataclass(frozen=True)
class CoreProfile:
    """Shells of a proto-neutron star: outer radius [hepunits length], T [MeV], rho [hepunits],
    y_p (free protons per baryon), y_e (electrons per baryon; default y_p). ``nuclei``: element ->
    mass fraction of heavier targets (elements of :data:`nuem.xsec.nuclei.ELEMENTS`), the same in
    every shell. ``mu_nu`` [MeV]: chemical potential of the coupled flavour's neutrinos per shell
    (default 0; nubar has -mu_nu). ``core_radius`` [length]: the shells inside it make the mass of
    the energy-loss criterion (default: all shells)."""

    radius: np.ndarray
    temperature: np.ndarray
    density: np.ndarray
    y_p: np.ndarray
    nuclei: Mapping[str, float] = field(default_factory=dict)
    y_e: np.ndarray | None = None
    mu_nu: np.ndarray | None = None
    core_radius: float | None = None

    def __post_init__(self):
        r = positive("radius", np.atleast_1d(self.radius), "(length)")
        arrays = {
            "temperature": positive("temperature", np.atleast_1d(self.temperature), "MeV"),
            "density": positive("density", np.atleast_1d(self.density), "(mass/volume)"),
            "y_p": in_range("y_p", np.atleast_1d(self.y_p), 0.0, 1.0),
            "y_e": in_range("y_e", np.atleast_1d(self.y_p if self.y_e is None else self.y_e),
                            1e-6, 1.0),
            "mu_nu": as_array("mu_nu", np.zeros_like(r) if self.mu_nu is None
                              else np.atleast_1d(self.mu_nu)),
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
        core_r = float(r[-1] if self.core_radius is None
                       else positive("core_radius", self.core_radius, "(length)"))
        object.__setattr__(self, "core_radius", core_r)

    def with_mu_nu(self, mu_nu: ArrayLike | None) -> CoreProfile:
        """The same shells with the neutrino chemical potential ``mu_nu`` [MeV] (None: keep); a
        scalar is the value in the hottest shell, the others at the same degeneracy mu_nu/T."""
        if mu_nu is None:
            return self
        mu = as_array("mu_nu", mu_nu)
        if mu.ndim == 0:
            mu = float(mu) * self.temperature / float(self.temperature.max())
        if mu.shape not in ((), self.radius.shape):
            raise NuemInputError(f"mu_nu has shape {mu.shape}; it must be a scalar or match "
                                 f"the {self.radius.size} shells")
        mu = np.broadcast_to(mu, self.radius.shape).copy()
        return CoreProfile(self.radius, self.temperature, self.density, self.y_p, self.nuclei,
                           self.y_e, mu, self.core_radius)

    @classmethod
    def one_zone(
        cls,
        temperature: float = 30.0 * u.MeV,
        density: float = 3e14 * u.g / u.cm3,
        y_p: float = 0.3,
        radius: float = 10.0 * u.km,
        nuclei: Mapping[str, float] | None = None,
        mu_nu: float = 0.0,
        envelope: bool = True,
        r_far: float = R_FAR,
        n_core: int = 6,
        n_envelope: int = 16,
    ) -> CoreProfile:
        """The default core (T = 30 MeV, rho = 3e14 g/cm^3, Y_p = Y_e = 0.3, R = 10 km, split in
        ``n_core`` identical shells) and, if ``envelope``, an envelope out to ``r_far``:
        rho = rho_c (R/r)^ENVELOPE_INDEX, T = T_c (rho/rho_c)^(1/3), mu_nu ∝ T (log-spaced shells).
        The criterion mass is that of the core (0.63 M_sun by default). Without an envelope a
        trapped N radiates as a 30 MeV black body from 10 km (~1e55 erg/s): the band never
        closes, so the envelope is what makes the upper (trapping) edge."""
        R = float(positive("radius", radius, "(length)"))
        r = R * (np.arange(1, n_core + 1) / n_core) ** (1.0 / 3.0)  # equal-volume shells
        T = np.full(n_core, float(positive("temperature", temperature, "MeV")))
        rho = np.full(n_core, float(positive("density", density, "(mass/volume)")))
        if envelope:
            r_far = float(positive("r_far", r_far, "(length)"))
            if r_far <= R:
                raise NuemInputError(f"r_far = {r_far / u.km} km must exceed the core radius "
                                     f"{R / u.km} km")
            r_env = np.geomspace(R, r_far, n_envelope + 1)
            mid = np.sqrt(r_env[1:] * r_env[:-1])
            drop = (R / mid) ** ENVELOPE_INDEX
            r = np.concatenate([r, r_env[1:]])
            T = np.concatenate([T, T[0] * drop ** (1.0 / 3.0)])
            rho = np.concatenate([rho, rho[0] * drop])
        mu = float(as_array("mu_nu", mu_nu)) * T / T[0]
        return cls(r, T, rho, np.full(r.shape, y_p), nuclei or {}, mu_nu=mu, core_radius=R)

    @classmethod
    def from_garching(cls, path, r_max: float = R_FAR, flavour: str = "e",
                      core_radius: float = 20.0 * u.km, n_shells: int | None = 48) -> CoreProfile:
        """Shells r <= ``r_max`` [length] of a Garching 1D profile as described in
        shared/data/supernova_profiles/PROVENANCE.md (5 header lines; columns 0 radius [cm],
        2 density [g/cm^3], 4 T [MeV], 8 mu_nu_e, 13 mu_nu_mu [MeV], 15 X_p, 19 Y_e; tau: mu = 0).
        The criterion mass is that inside ``core_radius``; beyond it the file's mu_nu (an
        equilibrium value where the neutrinos already stream freely) is replaced by 0.
        ``n_shells``: resample onto that many shells (half linear in r inside ``core_radius``,
        half log-spaced beyond), each with the zone conditions at its volume median; None keeps
        every zone. The files are not shipped with nuem."""
        table = np.loadtxt(path, skiprows=5)
        if table.ndim != 2 or table.shape[1] < 20:
            raise NuemInputError(f"{path}: expected >= 20 columns of a Garching profile")
        col = {"e": 8, "mu": 13, "tau": None}[choice("flavour", flavour, ("e", "mu", "tau"))]
        r = table[:, 0] * u.cm
        keep = r <= float(positive("r_max", r_max, "(length)"))
        if keep.sum() < 1:
            raise NuemInputError(f"{path}: no shell inside r_max = {r_max / u.km} km")
        t = table[keep]
        core_r = min(float(core_radius), float(r[keep][-1]))
        if n_shells is not None and n_shells < t.shape[0]:
            half = max(int(n_shells) // 2, 1)
            r_out = float(r[keep][-1])
            edges = np.concatenate([np.linspace(0, core_r, half + 1)[1:],
                                    np.geomspace(core_r, r_out, n_shells - half + 1)[1:]])
            inner = np.concatenate([[0.0], edges[:-1]])
            median = ((inner**3 + edges**3) / 2.0) ** (1.0 / 3.0)
            r_zone = t[:, 0] * u.cm
            idx = np.clip(np.searchsorted(r_zone, median), 0, t.shape[0] - 1)
            t = t[idx].copy()
            t[:, 0] = edges / u.cm
        mu = np.zeros(t.shape[0]) if col is None else t[:, col]
        mu = np.where(t[:, 0] * u.cm <= core_r * (1 + 1e-9), mu, 0.0)
        return cls(t[:, 0] * u.cm, t[:, 4] * u.MeV, t[:, 2] * u.g / u.cm3, t[:, 15],
                   y_e=t[:, 19], mu_nu=mu, core_radius=core_r)

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
        """Mass inside ``core_radius`` [hepunits mass] (the criterion's core mass)."""
        inside = self.radius <= self.core_radius * (1 + 1e-9)
        return float(np.sum((self.shell_volume * self.density)[inside]))


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


def _upscatter_grid(E_hi: float, M: float, el_name: str, k_lo: float):
    """E [MeV] (n_E) and T [MeV] (n_E, n_T) nodes for nu A -> N A: E - E_threshold log-spaced
    from ``k_lo`` (several nodes per N-energy bin), ln T uniform on its kinematic range."""
    el = element(el_name)
    m = min(iso.mass for iso in el.isotopes)
    E_th = max(M + M * M / (2.0 * m), 1e-6)
    E = E_th * (1 + 1e-6) + np.geomspace(k_lo, max(E_hi - E_th, 10.0 * k_lo), _N_E)
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
            "y_p": float(core.y_p[i]), "y_e": float(core.y_e[i]), "nuclei": core.nuclei,
            "mu_nu": float(core.mu_nu[i])}


@functools.lru_cache(maxsize=256)
def _plasma(density: float, temperature: float, y_e: float) -> Plasma:
    """The e+- plasma of a shell (cached: independent of the N mass and the moment)."""
    return Plasma.from_conditions(density, temperature, y_e)


def _energy_edges(core: CoreProfile, M: float) -> np.ndarray:
    """Bin edges in N energy [MeV]: M + kinetic energies log-spaced up to 30 T_max + |mu_nu|."""
    k_hi = 30.0 * float(core.temperature.max()) + float(np.abs(core.mu_nu).max()) + 2.0 * M
    k_lo = 0.02 * float(core.temperature.min())
    return M + np.concatenate([[0.0], np.geomspace(k_lo, k_hi, _N_BINS)])


def _bin(edges: np.ndarray, e_n: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(power, number rate) per energy bin of samples with power weights w and energies e_n."""
    idx = np.clip(np.searchsorted(edges, e_n, side="right") - 1, 0, edges.size - 2)
    power = np.bincount(idx, weights=w, minlength=edges.size - 1)
    number = np.bincount(idx, weights=w / np.maximum(e_n, 1e-300), minlength=edges.size - 1)
    return power, number


def _shell_spectra(sh: dict, M: float, edges: np.ndarray, channels: tuple[str, ...],
                   screening: bool, n_electron: int) -> tuple[np.ndarray, np.ndarray]:
    """Power and number emission rates per volume and per mu_B^2 in each N-energy bin, shape
    (2, n_bins): row 0 N from nu, row 1 Nbar from nubar [hepunits energy (or 1)/volume/time]."""
    T, mu_nu = sh["temperature"], sh["mu_nu"]
    plasma = _plasma(sh["density"], T, sh["y_e"])
    mu_e = plasma.mu_e
    k_s2 = _screening_k2(sh, mu_e) if screening else 0.0
    e_hi = 25.0 * T + abs(mu_nu) + 2.0 * M
    power = np.zeros((2, edges.size - 1))
    number = np.zeros_like(power)

    def add(row, e_n, w):
        p, n = _bin(edges, e_n, w)
        power[row] += p
        number[row] += n

    if "upscattering" in channels:
        for name, n_t, _Z in _targets(sh):
            if n_t <= 0:
                continue
            E, Tr = _upscatter_grid(e_hi, M, name, 0.01 * T)
            m = min(iso.mass for iso in element(name).isotopes)
            q2 = 2.0 * m * Tr
            screen = (q2 / (q2 + k_s2)) ** 2
            dsig = nuclear.dipole(E[:, None], Tr, M, name, form_factor="none") * screen
            wT = Tr * _trap(np.log(Tr))  # trapezoid in ln T (log-spaced nodes)
            E_N = E[:, None] - Tr
            base = n_t * u.c_light * (E * E / (2.0 * math.pi**2) / u.hbarc**3 * _trap(E))[:, None]
            for row, sign in ((0, 1.0), (1, -1.0)):
                occ = _fd((E - sign * mu_nu) / T)[:, None]
                add(row, E_N.ravel(), (base * occ * dsig * wT * E_N).ravel())
    if "electrons" in channels:
        w_nu, w_bar, e_e = electron_upscattering.emission_samples(
            M, T, mu_nu, T, mu_e, k_s2, n_samples=n_electron, split=True
        )
        add(0, e_e, w_nu)
        add(1, e_e, w_bar)
    if "plasmon" in channels:
        for wk, E_N in emission_terms(plasma, M):  # gamma* -> nu Nbar and N nubar, equal widths
            add(0, E_N.ravel(), 0.5 * wk.ravel())
            add(1, E_N.ravel(), 0.5 * wk.ravel())
    return power, number


def _opacity(sh: dict, M: float, e_mean: np.ndarray, de: np.ndarray, number: np.ndarray,
             majorana: bool) -> np.ndarray:
    """Inverse mean free path per mu_B^2 [1/length], shape (2, n_bins), from detailed balance.

    Per mode of N (g = 1 helicity, the one the chiral operator makes for E >> M), the production
    rate is Gamma_p = (dn/dE)/(p E/(2 pi^2)); absorption Gamma_a = exp((E - mu_N)/T) Gamma_p with
    mu_N = +mu_nu (N) or -mu_nu (Nbar); a fermion's net removal rate is Gamma_a + Gamma_p (so that
    the trapped distribution is Fermi-Dirac); divided by the speed v = p/E. Decay N -> nu gamma
    adds 1/(gamma beta c tau)."""
    T = sh["temperature"]
    p = np.sqrt(np.maximum(e_mean * e_mean - M * M, 1e-300))
    modes = p * e_mean / (2.0 * math.pi**2) / u.hbarc**3  # states per volume per energy
    gamma_p = number / de / modes
    out = np.zeros_like(number)
    for row, mu_n in ((0, sh["mu_nu"]), (1, -sh["mu_nu"])):
        boltz = np.exp(np.minimum((e_mean[row] - mu_n) / T, 600.0))
        out[row] = gamma_p[row] * (1.0 + boltz) / (u.c_light * p[row] / e_mean[row])
    if M > 0:
        out += 1.0 / hnl.decay_length(np.maximum(e_mean, M * (1 + 1e-9)), M, u.mu_B, majorana)
    return out


def _path_lengths(core: CoreProfile) -> tuple[np.ndarray, np.ndarray]:
    """Chord lengths l[i, k, d, j] inside shell j along direction d from emission point k of
    shell i (``_N_SUB`` equal-volume sub-shells of shell i, each at its volume median), and the
    Gauss-Legendre weights of cos(theta) in [-1, 1], halved (they sum to 1)."""
    R = core.radius
    inner = np.concatenate([[0.0], R[:-1]])
    frac = (np.arange(_N_SUB) + 0.5) / _N_SUB
    r = (inner[:, None] ** 3 + (R**3 - inner**3)[:, None] * frac[None, :]) ** (1.0 / 3.0)
    c, g = np.polynomial.legendre.leggauss(_N_DIRS)
    rr, cc = r[:, :, None, None], c[None, None, :, None]
    b2 = rr * rr * (1.0 - cc * cc)

    def inside(Rb):  # length of the forward ray inside the ball of radius Rb
        Rb = Rb[None, None, None, :]
        root = np.sqrt(np.maximum(Rb * Rb - b2, 0.0))
        chord = np.where((cc < 0) & (b2 < Rb * Rb), 2.0 * root, 0.0)
        return np.where(Rb >= rr, -rr * cc + root, chord)

    return inside(R) - inside(inner), g / 2.0


@dataclass
class _Emission:
    """Flattened terms of L_esc(mu) = x^2 sum w exp(-x^2 tau), x = mu/mu_B."""

    weights: np.ndarray
    depth_per_mu2: np.ndarray


def _emission(core: CoreProfile, M: float, majorana: bool, channels: tuple[str, ...],
              screening: bool = True) -> _Emission:
    edges = _energy_edges(core, M)
    de = np.diff(edges)
    n_sh = core.radius.size
    t_hot = float(core.temperature.max())
    power = np.zeros((n_sh, 2, de.size))
    kappa = np.zeros_like(power)
    cache: dict = {}
    # a shell whose free-streaming emission is < _NEGLIGIBLE of the largest (proxy: V rho y_p
    # T^4 e^-(M - |mu|)/T) stays below 1e-3 of any criterion even when the star is opaque (at the
    # trapping edge the free-streaming luminosity is ~1e6 L_crit): only its decays are kept
    boltz = np.maximum(M - np.abs(core.mu_nu), 0.0) / core.temperature
    proxy = core.shell_volume * core.density * core.y_p * core.temperature**4 * np.exp(-boltz)
    live = proxy >= _NEGLIGIBLE * proxy.max()
    for i in range(n_sh):
        sh = _shell_dict(core, i)
        if not live[i]:
            if M > 0:
                kappa[i] = 1.0 / hnl.decay_length(
                    np.maximum(0.5 * (edges[1:] + edges[:-1]), M * (1 + 1e-9)), M, u.mu_B,
                    majorana)
            continue
        key = tuple(sh[k] for k in ("temperature", "density", "y_p", "y_e", "mu_nu"))
        if key not in cache:
            n_el = _N_ELECTRON_SAMPLES if sh["temperature"] >= 0.5 * t_hot else _N_ELECTRON_FEW
            p, n = _shell_spectra(sh, M, edges, channels, screening, n_el)
            with np.errstate(invalid="ignore", divide="ignore"):
                centre = 0.5 * (edges[1:] + edges[:-1])
                e_mean = np.where(n > 0, p / np.where(n > 0, n, 1.0), centre)
            e_mean = np.clip(e_mean, edges[:-1], edges[1:])
            cache[key] = (p, _opacity(sh, M, e_mean, de, n, majorana))
        power[i], kappa[i] = cache[key]
    ell, g = _path_lengths(core)  # (i, k, d, j)
    tau = np.einsum("jsb,ikdj->iksbd", kappa, ell)
    w = ((core.shell_volume / _N_SUB)[:, None, None, None, None] * power[:, None, :, :, None]
         * g[None, None, None, None, :])
    w, tau = np.broadcast_arrays(w, tau)
    return _Emission(w.ravel(), tau.ravel())


def escaping_luminosity(
    mu: ArrayLike,
    M: float,
    core: CoreProfile | None = None,
    mu_nu: float | None = None,
    majorana: bool = False,
    channels: tuple[str, ...] = CHANNELS,
    screening: bool = True,
) -> np.ndarray:
    """L_esc [hepunits power] carried beyond the outermost shell by N, vs moment mu [hepunits].

    L_esc = sum_shells V_i sum_E dQ_i(E) <exp(-tau_i(E, direction))>: the formal solution of the
    transfer equation for emission and absorption in local equilibrium, so that a trapped N
    leaves as the black body of its N-sphere (``mu_nu``: see :meth:`CoreProfile.with_mu_nu`)."""
    core = (core or CoreProfile.one_zone()).with_mu_nu(mu_nu)
    mu = non_negative("mu", mu)
    x2 = (mu / u.mu_B) ** 2
    em = _emission(core, float(non_negative("M", M, "MeV")), majorana, channels, screening)
    w, tau = _compress(em.weights, em.depth_per_mu2)
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
    mu_nu: float | None = None,
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
    core = core.with_mu_nu(mu_nu)
    limit = eps_crit * core.mass if luminosity_crit is None else float(
        positive("luminosity_crit", luminosity_crit, "(power)")
    )
    x = _MU_GRID_MUB
    lower = np.full(M.shape, np.nan)
    upper = np.full(M.shape, np.nan)
    for i, m in enumerate(M):
        L = escaping_luminosity(x * u.mu_B, float(m), core, None, majorana, channels, screening)
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
