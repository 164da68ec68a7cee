"""Detector side of the rates engine: targets, true-recoil quadrature and response kernels.

A :class:`Detector` holds what turns a rate density dR/dT per target electron into counts:
exposure, electrons per unit mass at recoil T (atoms per mass x atomic-model electrons(T)),
efficiency (on the true or the reconstructed energy) and Gaussian resolution sigma(T).

True-recoil quadrature (:class:`Quadrature`): for reconstructed energies in [E_lo, E_hi] the true
recoil T runs from T_lo, the lowest T whose Gaussian can reach E_lo within ``n_sigma`` standard
deviations (T_lo + n sigma(T_lo) = E_lo, floored at ``t_floor``), to T_hi with
T_hi - n sigma(T_hi) = E_hi (if sigma grows so fast that no such T_hi < 4 E_hi exists,
T_hi = E_hi + n sigma(E_hi)). Without resolution T_lo, T_hi = E_lo, E_hi. The range is cut at the
atomic shell edges (the stepping function is discontinuous there), at the efficiency table nodes
when the efficiency is on the true energy (kinks), and at the bin edges; every piece is then
subdivided to a width <= ``sigma_step`` sigma(T) and <= ``log_step`` T, and carries ``n_gl``
Gauss-Legendre nodes.

Kernels: ``K[i, n]`` = exposure x electrons(T_n) x P(reconstructed in bin i | T_n) x efficiency,
bin-integrated: Phi((hi - T)/sigma) - Phi((lo - T)/sigma) for an efficiency on the true energy;
for an efficiency on the reconstructed energy the integral int_bin eps(E) N(E; T, sigma) dE is
done *exactly* for a piecewise-linear eps (tabulated curves), piece by piece between the bin
edges and the table nodes. For unbinned data the density kernel uses the Gaussian pdf at each
event energy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import as_array, choice, positive
from nuem.detectors.binning import check_edges
from nuem.detectors.smearing import (
    GaussianSmearing,
    NoSmearing,
    PhotoelectronSmearing,
)
from nuem.detectors.targets import Target, target
from nuem.errors import NuemInputError
from nuem.rates import cache
from nuem.rates.moments import MomentGrid
from nuem.xsec import atomic as _atomic

__all__ = ["GridSpec", "Detector", "Quadrature", "Scatterer", "RECOILS"]



@dataclass(frozen=True)
class GridSpec:
    """Integration settings of the rates engine (defaults converge to < 1e-5; see docs/rates.md).

    ``n_gl`` Gauss-Legendre nodes per true-recoil piece; ``sigma_step`` / ``log_step``: largest
    piece width in units of sigma(T) / of T; ``n_sigma``: how far (in sigma) below and above the
    reconstructed window true recoils are followed; ``t_floor``: lowest true recoil considered;
    ``moments``: the neutrino-energy grid of the flux moments; ``direct_panels``: log-E panels of
    the direct reference path.
    """

    n_gl: int = 8
    sigma_step: float = 1.0
    log_step: float = 0.25
    n_sigma: float = 7.0
    t_floor: float = 0.01 * u.keV
    moments: MomentGrid = field(default_factory=MomentGrid)
    direct_panels: int = 200

    def refined(self, factor: int = 2) -> GridSpec:
        """Every grid ``factor`` times finer (the convergence test compares with this)."""
        return GridSpec(
            self.n_gl,
            self.sigma_step / factor,
            self.log_step / factor,
            self.n_sigma,
            self.t_floor,
            self.moments.refined(factor),
            self.direct_panels * factor,
        )

    def key(self) -> tuple:
        m = self.moments
        return (self.n_gl, self.sigma_step, self.log_step, self.n_sigma, self.t_floor,
                m.e_lo, m.du, m.n_gl, self.direct_panels)  # fmt: skip


def _sample_callable(f: Callable | None, pts: np.ndarray) -> np.ndarray | None:
    return None if f is None else np.asarray(f(pts), dtype=np.float64)


#: Recoil kinds a detector can register (one :class:`Detector` per kind).
RECOILS = ("electron", "nuclear")
#: Spaces an efficiency can be a function of.
EFFICIENCY_SPACES = ("true", "quenched", "reconstructed")


@dataclass(frozen=True)
class Scatterer:
    """One kind of target particle: ``mass`` [energy], number per unit mass ``per_mass``;
    nuclei carry their isotope (Z, N, A) for couplings and form factors."""

    kind: str
    label: str
    mass: float
    per_mass: float
    isotope: object | None = None


class Detector:
    """Exposure, targets of one recoil kind, quenching, efficiency and smearing.

    Parameters
    ----------
    exposure : mass*time (e.g. ``1.16*tonne*year``).
    target_spec : formula ("Xe", "CsI", "C9H12") or a :class:`~nuem.detectors.targets.Target`.
    atomic : electrons: "stepping", "free", "photoabsorption" (stepping + distant collisions for
        the photon-exchange term, Xe/Ge/Ar) or an atomic-model object (one-element target).
    efficiency : callable eps(x) or None (= 1), in the space ``efficiency_on``: "true" (recoil
        energy), "quenched" (detected, electron-equivalent energy) or "reconstructed".
    sigma : callable sigma(E) of the detected energy (Gaussian smearing) or None; ignored when
        ``smearing`` (a :mod:`nuem.detectors.smearing` model) is given.
    recoil : "electron" or "nuclear".
    quenching : an object with ``ee_from_nr``, ``nr_from_ee``, ``jacobian`` and ``recoil`` (the
        recoil kind it applies to: Lindhard / polynomial for nuclei,
        :class:`~nuem.detectors.birks.BirksElectron` for electrons), or None (detected = recoil
        energy).
    form_factor : nuclear form factor name (:mod:`nuem.xsec.form_factors`).
    name, tag : enter cache keys (tag: e.g. a card content hash).
    """

    def __init__(
        self,
        exposure: float,
        target_spec: str | Target = "Xe",
        atomic: str | object = "stepping",
        efficiency: Callable[[np.ndarray], np.ndarray] | None = None,
        efficiency_on: str = "true",
        sigma: Callable[[np.ndarray], np.ndarray] | None = None,
        name: str = "detector",
        tag: str = "",
        *,
        recoil: str = "electron",
        quenching: object | None = None,
        smearing: object | None = None,
        form_factor: str = "helm",
    ) -> None:
        self.exposure = float(positive("exposure", exposure, "mass*time"))
        self.target = target(target_spec)
        self.recoil = choice("recoil", recoil, RECOILS)
        self.efficiency = efficiency
        self.efficiency_on = choice("efficiency_on", efficiency_on, EFFICIENCY_SPACES)
        if smearing is None:
            smearing = NoSmearing() if sigma is None else GaussianSmearing(sigma)
        self.smearing = smearing
        self.sigma = getattr(smearing, "sigma", None)
        q_recoil = getattr(quenching, "recoil", "nuclear")
        if quenching is not None and q_recoil != self.recoil:
            raise NuemInputError(
                f"quenching model {type(quenching).__name__} applies to {q_recoil} recoils, "
                f"not {self.recoil} recoils"
            )
        self.quenching = quenching
        self.form_factor = form_factor
        self.name = str(name)
        self.tag = str(tag)
        per_mass = {s: n / (1000.0 * u.kg) for s, n in self.target.nuclei_per_tonne().items()}
        self._atoms_per_mass = per_mass
        self.atomic_models: dict = {}
        self.atomic_name = "none"
        if self.recoil == "electron":
            self._set_atomic(atomic, per_mass)

    def _set_atomic(self, atomic, per_mass) -> None:
        if isinstance(atomic, str):
            self.atomic_name = choice("atomic model", atomic, _atomic.MODELS)
            models = {s: _atomic.atomic_model(self.atomic_name, s) for s in per_mass}
        else:
            if not isinstance(atomic, _atomic.AtomicModel) or len(per_mass) != 1:
                raise NuemInputError(
                    f"atomic must be one of {', '.join(_atomic.MODELS)} or an atomic model object "
                    "(with Z and electrons(T)) for a one-element target"
                )
            self.atomic_name = repr(atomic)
            models = {next(iter(per_mass)): atomic}
        self.atomic_models = models

    @classmethod
    def from_card(cls, card, atomic: str | object = "stepping") -> Detector:
        """The detector of a single-recoil dataset card (target, quenching, efficiency, smearing);
        :func:`nuem.rates.experiment.card_detectors` gives one per recoil kind of any card."""
        from nuem.rates.experiment import card_detectors

        dets = card_detectors(card, atomic)
        if len(dets) != 1:
            raise NuemInputError(
                f"card {card.name!r} registers {len(dets)} recoil kinds; use card_detectors"
            )
        return dets[0]

    # ---- targets ----------------------------------------------------------------------------
    def electrons(self, T: ArrayLike) -> np.ndarray:
        """Target electrons per unit mass able to take recoil T (atomic model included)."""
        T = np.asarray(T, dtype=np.float64)
        out = np.zeros(T.shape)
        for sym, n in self._atoms_per_mass.items():
            out = out + n * self.atomic_models[sym].electrons(T)
        return out

    def _absorbers(self) -> dict:
        """{symbol: model with distant collisions}; a :class:`~nuem.xsec.atomic.Corrected`
        model contributes its base's distant term (its factor corrects close collisions only)."""
        out = {}
        for sym, m in self.atomic_models.items():
            base = m.base if isinstance(m, _atomic.Corrected) else m
            if isinstance(base, _atomic.PhotonAbsorber):
                out[sym] = base
        return out

    @property
    def has_distant_collisions(self) -> bool:
        """True when an atomic model adds distant collisions (:class:`~nuem.xsec.atomic.
        PhotonAbsorber`) to the photon-exchange term."""
        return bool(self._absorbers())

    def distant_per_mass(self, T: ArrayLike) -> np.ndarray:
        """Distant-collision cross section per unit target mass and per q^2 [area/energy/mass]
        at energy transfer T: sum over elements of atoms per mass x ``model.distant(T)``."""
        T = np.asarray(T, dtype=np.float64)
        out = np.zeros(T.shape)
        for sym, m in self._absorbers().items():
            out = out + self._atoms_per_mass[sym] * m.distant(T)
        return out

    @cached_property
    def scatterers(self) -> tuple[Scatterer, ...]:
        """The target particles of this recoil kind (electrons: one entry; nuclei: isotopes)."""
        if self.recoil == "electron":
            return (Scatterer("electron", "e", float(c.m_e.value), 1.0),)
        return tuple(
            Scatterer("nuclear", f"{sym}{iso.A}", float(iso.mass), n / (1000.0 * u.kg), iso)
            for sym, iso, n in self.target.isotopes_per_tonne()
        )

    def counts_per_mass(self, sc: Scatterer, T: np.ndarray) -> np.ndarray:
        """Scatterers ``sc`` per unit mass able to take recoil T (electrons: atomic model)."""
        if sc.kind == "electron":
            return self.electrons(T)
        return np.full(np.shape(T), sc.per_mass)

    def shell_edges(self) -> np.ndarray:
        """Binding energies where electrons(T) jumps (stepping shells) and, for a photoabsorption
        model, the absorption edges of its table, sorted."""
        e = []
        for m in self.atomic_models.values():
            base = getattr(m, "base", m)
            e.extend(s.binding for s in getattr(base, "shells", ()))
            if isinstance(base, _atomic.PhotonAbsorber):  # where sigma_gamma rises steeply
                e.extend(np.asarray(base.absorption_edges(), dtype=np.float64).tolist())
        return np.unique(np.asarray(e, dtype=np.float64))

    def efficiency_nodes(self) -> np.ndarray:
        """Nodes of a tabulated efficiency (kinks), or an empty array."""
        nodes = getattr(self.efficiency, "energies", None)
        return np.empty(0) if nodes is None else np.asarray(nodes, dtype=np.float64)

    # ---- quenching ------------------------------------------------------------------------------
    def detected(self, T: ArrayLike) -> np.ndarray:
        """Detected (electron-equivalent) energy of a recoil T."""
        T = np.asarray(T, dtype=np.float64)
        return T if self.quenching is None else np.asarray(self.quenching.ee_from_nr(T))

    def recoil_of(self, E: ArrayLike) -> np.ndarray:
        """Recoil energy T whose detected energy is E (inverse quenching)."""
        E = np.asarray(E, dtype=np.float64)
        return E if self.quenching is None else np.asarray(self.quenching.nr_from_ee(E))

    def _slope(self, T: float) -> float:
        return 1.0 if self.quenching is None else float(self.quenching.jacobian(max(T, 1e-30)))

    @cached_property
    def fingerprint(self) -> str:
        """Content hash of everything the response depends on (recoils from 1 meV to 1 GeV)."""
        pts = np.geomspace(1e-6 * u.keV, 1.0 * u.GeV, 2401)
        return cache.content_key(
            "detector",
            self.name,
            self.tag,
            self.exposure,
            self.recoil,
            self.target.composition,
            self.atomic_name,
            self.electrons(pts) if self.recoil == "electron" else None,
            self.distant_per_mass(pts) if self.has_distant_collisions else None,
            self.shell_edges(),
            self.efficiency_on,
            _sample_callable(self.efficiency, pts),
            self.efficiency_nodes(),
            self.smearing.key(),
            _sample_callable(getattr(self.smearing, "width", None), pts),
            None if self.quenching is None else (repr(self.quenching), self.detected(pts)),
            self.form_factor,
        )

    # ---- resolution helpers ---------------------------------------------------------------------
    def sigma_at(self, T: ArrayLike) -> np.ndarray:
        """Smearing width at recoil T, expressed in recoil energy (0 without smearing)."""
        T = np.asarray(T, dtype=np.float64)
        w = np.asarray(self.smearing.width(self.detected(T)), dtype=np.float64) * np.ones(T.shape)
        if self.quenching is None:
            return w
        return w / np.asarray(self.quenching.jacobian(np.maximum(T, 1e-30)))

    @property
    def smeared(self) -> bool:
        return not isinstance(self.smearing, NoSmearing)

    def recoil_floor(self, grid: GridSpec) -> float:
        """Lowest true recoil followed: ``grid.t_floor`` for electrons, 100 times lower for
        nuclei (a 1/T^2 millicharge rate keeps feeding the lowest photoelectron bins from
        recoils far below a keV; 0.65% of a 2-4 PE bin lay below 0.01 keV)."""
        return grid.t_floor if self.recoil == "electron" else 1e-2 * grid.t_floor

    def true_range(self, e_lo: float, e_hi: float, n_sigma: float, t_floor: float):
        """(T_lo, T_hi) of true recoils that can be reconstructed inside [e_lo, e_hi]."""
        floor = float(self.detected(t_floor))
        d_lo, d_hi = self.smearing.reach(e_lo, e_hi, n_sigma, floor)
        t_lo, t_hi = float(self.recoil_of(d_lo)), float(self.recoil_of(d_hi))
        return max(t_lo, t_floor), t_hi

    def edge_breaks(self, edges: np.ndarray) -> np.ndarray:
        """Recoil energies of reconstructed bin edges (energy-valued reconstructions only)."""
        if getattr(self.smearing, "counts", False):  # PE (Poisson or Gamma), hits: no energy
            return np.empty(0)
        return np.asarray(self.recoil_of(edges), dtype=np.float64)

    def breaks(self) -> list[np.ndarray]:
        """Recoil energies where the integrand has kinks or jumps (shells, efficiency nodes)."""
        out = [self.shell_edges()]
        nodes = getattr(self.smearing, "nodes", None)  # a tabulated response: kinks at its nodes
        if nodes is not None:
            out.append(np.asarray(self.recoil_of(nodes), dtype=np.float64))
        if self.efficiency is not None and self.efficiency_on == "true":
            out.append(self.efficiency_nodes())
        elif self.efficiency is not None and self.efficiency_on == "quenched":
            out.append(self.recoil_of(self.efficiency_nodes()))
        return out

    # ---- kernels ------------------------------------------------------------------------------
    def _eps_true(self, T: np.ndarray) -> np.ndarray:
        if self.efficiency is None or self.efficiency_on == "reconstructed":
            return np.ones(np.shape(T))
        x = T if self.efficiency_on == "true" else self.detected(T)
        return np.asarray(self.efficiency(x), dtype=np.float64)

    def _eps_reco(self):
        return self.efficiency if self.efficiency_on == "reconstructed" else None

    def bin_kernel(self, T: np.ndarray, edges: np.ndarray) -> np.ndarray:
        """K[i, n] = exposure x P(bin i | T_n) x efficiency (targets per mass not included)."""
        T = np.asarray(T, dtype=np.float64)
        if isinstance(self.smearing, PhotoelectronSmearing):
            self.smearing.check_lowest_bins(edges, self._eps_reco())
        P = self.smearing.bin_probability(self.detected(T), edges, self._eps_reco())
        return P * (self.exposure * self._eps_true(T))[None, :]

    def density_kernel(self, T: np.ndarray, E: np.ndarray) -> np.ndarray:
        """D[k, n] = exposure x pdf(E_k | T_n) x efficiency [1/energy] (targets not included)."""
        T = np.asarray(T, dtype=np.float64)
        D = self.smearing.density(self.detected(T), E, self._eps_reco())
        return D * (self.exposure * self._eps_true(T))[None, :]


class Quadrature:
    """Gauss-Legendre quadrature in the true recoil T for one detector and reconstructed range.

    ``partition`` (K+1,) piece boundaries; ``T``, ``w`` (K*g,) nodes and weights. Line steps at
    M-dependent recoil limits are integrated with :meth:`coverage_weights` (exact integrals of
    the Lagrange basis over part of a piece), so every mass shares the same nodes and kernel.
    """

    def __init__(self, detector: Detector, e_lo: float, e_hi: float, grid: GridSpec,
                 extra_breaks: ArrayLike = ()):  # fmt: skip
        self.grid = grid
        t_lo, t_hi = detector.true_range(e_lo, e_hi, grid.n_sigma, detector.recoil_floor(grid))
        brk = [*detector.breaks(), np.asarray(extra_breaks, dtype=np.float64).ravel()]
        b = np.concatenate([[t_lo, t_hi], *brk])
        b = np.unique(b[(b >= t_lo) & (b <= t_hi)])
        pts = [b[0]]
        for a, b_next in zip(b[:-1], b[1:], strict=True):
            t = a
            while True:
                step = grid.log_step * t
                if detector.smeared:
                    step = min(step, grid.sigma_step * float(detector.sigma_at(t)))
                if t + step >= b_next * (1 - 1e-12):
                    break
                t += step
                pts.append(t)
            pts.append(b_next)
        self.partition = np.asarray(pts)
        g = grid.n_gl
        x, wx = np.polynomial.legendre.leggauss(g)
        self._x, self._wx = x, wx
        h = np.diff(self.partition)
        self.T = (self.partition[:-1, None] + 0.5 * h[:, None] * (x[None, :] + 1.0)).ravel()
        self.w = (0.5 * h[:, None] * wx[None, :]).ravel()
        # Lagrange basis l_n(x) = sum_q c[n, q] P_q(x) (exact by GL orthogonality)
        q = np.arange(g)
        Pn = np.polynomial.legendre.legvander(x, g - 1)  # (g, g): P_q(x_n)
        self._c = wx[:, None] * Pn * (2 * q + 1)[None, :] / 2.0

    @property
    def range(self) -> tuple[float, float]:
        return float(self.partition[0]), float(self.partition[-1])

    def coverage_weights(self, t_lo: ArrayLike, t_hi: ArrayLike) -> np.ndarray:
        """Weights W[..., n] with sum_n W f(T_n) = int_{[t_lo, t_hi] cap range} f dT.

        Exact for f polynomial of degree < n_gl on each piece; equals ``w`` inside the interval
        and 0 outside. ``t_lo``, ``t_hi`` broadcast; output shape broadcast + (K*g,).
        """
        t_lo, t_hi = np.broadcast_arrays(np.asarray(t_lo, np.float64), np.asarray(t_hi, np.float64))
        p = self.partition
        a = np.clip(t_lo[..., None], p[:-1], p[1:])
        b = np.clip(t_hi[..., None], p[:-1], p[1:])
        b = np.maximum(a, b)
        h = np.diff(p)
        g = self.grid.n_gl
        full = (a <= p[:-1]) & (b >= p[1:])  # the whole piece: its GL weights exactly
        part = (b > a) & ~full  # at most two pieces per interval need the Legendre integrals
        W = full[..., None] * self.w.reshape(h.size, g)
        idx = np.nonzero(part)
        if idx[0].size:
            k = idx[-1]
            ta = 2.0 * (a[idx] - p[:-1][k]) / h[k] - 1.0
            tb = 2.0 * (b[idx] - p[:-1][k]) / h[k] - 1.0
            # Q_q(t) = int_{-1}^t P_q: Q_0 = t + 1, Q_q = (P_{q+1} - P_{q-1})/(2q+1)
            dV = np.polynomial.legendre.legvander(tb, g) - np.polynomial.legendre.legvander(ta, g)
            Q = np.empty((k.size, g))
            Q[:, 0] = tb - ta
            qq = np.arange(1, g)
            Q[:, 1:] = (dV[:, 2:] - dV[:, :-2]) / (2 * qq + 1)
            W[idx] = 0.5 * h[k][:, None] * (Q @ self._c.T)
        return W.reshape(W.shape[:-2] + (-1,))


def check_events(E: ArrayLike) -> np.ndarray:
    """Event energies as a 1-D float64 array (finite, >= 0)."""
    e = as_array("event energies", E).ravel()
    if e.size == 0 or np.any(~np.isfinite(e)) or np.any(e < 0):
        raise NuemInputError("event energies must be a non-empty array of finite energies >= 0")
    return e


def check_bin_edges(edges: ArrayLike) -> np.ndarray:
    return check_edges("bin_edges", edges)
