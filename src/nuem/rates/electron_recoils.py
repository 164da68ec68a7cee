"""The electron-recoil rates engine: source x cross section x detector -> templates.

Counts in reconstructed bin i (DESIGN §4):

    N_i = int dT K_i(T) sum_j a_j(T, M) C_j(E_min(T, M)),
    K_i(T) = exposure x electrons per mass(T) x P(bin i | T) x efficiency,

with the channel coefficients a_j of :mod:`nuem.rates.coefficients` (every electron channel is a
quadratic polynomial in 1/E at fixed T), the cumulative flux moments C_j of
:mod:`nuem.rates.moments` (E integrated from the analytic E_min, lines as exact steps) and the
T quadrature / kernels of :mod:`nuem.rates.response`. A line contributes only between its recoil
limits T_min(E_l, M) and T_max(E_l, M); those steps are integrated exactly on the shared nodes
by :meth:`Quadrature.coverage_weights`, so one kernel serves every N mass: a dipole template for
a new mass is one moment interpolation and one matrix product.

A second, independent path (:meth:`ElectronRecoils.direct_counts`) integrates any cross-section
callable (e.g. :func:`nuem.xsec.electron.total`) over log-spaced Gauss-Legendre panels in E from
E_min, with its own T partition that includes the line edges: the tests check the fast path
against it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

import nuem
from nuem import constants as c
from nuem._validate import choice, non_negative
from nuem.errors import NuemInputError
from nuem.rates import cache
from nuem.rates import coefficients as coef
from nuem.rates.moments import flux_moments, source_fingerprint, state_weights
from nuem.rates.response import Detector, GridSpec, Quadrature, check_bin_edges, check_events
from nuem.rates.templates import FLAVOUR_KEYS, Templates
from nuem.sources.base import Source
from nuem.xsec.kinematics import e_min, recoil_range

__all__ = ["ElectronRecoils", "parse_state"]

_ME = c.m_e.value
_FINGERPRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _fingerprint(source: Source) -> str:
    try:
        fp = _FINGERPRINTS.get(source)
    except TypeError:  # not weak-referenceable
        return source_fingerprint(source)
    if fp is None:
        fp = source_fingerprint(source)
        _FINGERPRINTS[source] = fp
    return fp


def parse_state(label: str) -> tuple[str, bool]:
    """('e'|'mu'|'tau', anti) of a flavour-state label such as 'nu_e' or 'nubar_mu'."""
    head, _, fl = label.partition("_")
    if head not in ("nu", "nubar") or fl not in FLAVOUR_KEYS:
        raise NuemInputError(f"state {label!r} is not a flavour state like 'nu_e' or 'nubar_mu'")
    return fl, head == "nubar"


class _Response:
    """A quadrature with its kernel K (rows x nodes) for one binning or one set of events."""

    def __init__(self, quad: Quadrature, K: np.ndarray, edges, events):
        self.quad, self.K, self.edges, self.events = quad, K, edges, events


class ElectronRecoils:
    """Templates of nu-e scattering for one source and one detector.

    ``source``: a :class:`nuem.sources.base.Source` (solar, reactor, spallation); ``detector``:
    a :class:`~nuem.rates.response.Detector` (``Detector.from_card(card)``); ``grid``:
    :class:`~nuem.rates.response.GridSpec`; ``sin2w``: override of s_W^2.
    """

    def __init__(
        self,
        source: Source,
        detector: Detector,
        grid: GridSpec | None = None,
        sin2w: float | None = None,
    ) -> None:
        if not isinstance(source, Source):
            raise NuemInputError(f"source = {source!r} is not a nuem Source")
        if not isinstance(detector, Detector):
            raise NuemInputError(f"detector = {detector!r} is not a rates.Detector")
        self.source, self.detector = source, detector
        self.grid = grid or GridSpec()
        self.sin2w = sin2w
        self.source_fingerprint = _fingerprint(source)
        fp, mg = self.source_fingerprint, self.grid.moments
        self.mom_f = flux_moments(source, "flavour", mg, fp)
        self.mom_s = flux_moments(source, "states", mg, fp)
        self.mom_t = self.mom_s.summed()
        self.flavours = [parse_state(lab) for lab in self.mom_f.labels]
        self._responses: dict[str, _Response] = {}

    # ---- metadata and responses ------------------------------------------------------------
    def metadata(self, resp: _Response) -> dict:
        g = self.grid
        return {
            "detector": self.detector.name,
            "card_hash": self.detector.tag,
            "detector_fingerprint": self.detector.fingerprint,
            "source": self.source.name,
            "source_fingerprint": self.source_fingerprint,
            "atomic_model": self.detector.atomic_name,
            "sin2w": self.sin2w if self.sin2w is not None else c.sin2_theta_w(),
            "true_recoil_range_keV": [x / 1e-3 for x in resp.quad.range],
            "n_true_nodes": int(resp.quad.T.size),
            "grid": {
                "n_gl": g.n_gl,
                "sigma_step": g.sigma_step,
                "log_step": g.log_step,
                "n_sigma": g.n_sigma,
                "moment_du": g.moments.du,
            },
            "nuem_version": nuem.__version__,
        }

    def _key(self, *parts) -> str:
        return cache.content_key(
            "er", self.detector.fingerprint, self.source_fingerprint, self.grid.key(),
            self.sin2w, *parts,
        )  # fmt: skip

    def response(self, edges: ArrayLike | None = None, events: ArrayLike | None = None):
        """The (cached) quadrature + kernel for bin ``edges`` or event energies ``events``."""
        if (edges is None) == (events is None):
            raise NuemInputError("give exactly one of bin edges or event energies")
        if edges is not None:
            e = check_bin_edges(edges)
            key = self._key("bins", e)
            lo, hi, brk = e[0], e[-1], e
        else:
            e = check_events(events)
            key = self._key("events", e)
            lo, hi, brk = float(e.min()), float(e.max()), ()
        if key not in self._responses:
            quad = Quadrature(self.detector, lo, hi, self.grid, brk)
            if edges is not None:
                K = self.detector.bin_kernel(quad.T, e)
                self._responses[key] = _Response(quad, K, e, None)
            else:
                K = self.detector.density_kernel(quad.T, e)
                self._responses[key] = _Response(quad, K, None, e)
        return self._responses[key]

    # ---- the M = 0 family ------------------------------------------------------------------------
    def _row_coefficients(self, T: np.ndarray):
        """Coefficient arrays A_f (R, Sf, 3, n), A_s (R, Ss, 3, n) and row names."""
        n = T.size
        Sf, Ss = self.mom_f.n_states, self.mom_s.n_states
        fl = self.flavours
        sw = self.sin2w
        weak = np.stack([coef.weak(T, f, a, sw) for f, a in fl])
        mq = [coef.millicharge(T, f, a, sw) for f, a in fl]
        cr = [coef.charge_radius(T, f, a, sw) for f, a in fl]
        mag = coef.dipole(T, 0.0)
        cross = coef.cross_term(T)
        rows: list[str] = []
        Af_list, As_list = [], []

        def add(name, af=None, as_=None):
            rows.append(name)
            Af_list.append(np.zeros((Sf, 3, n)) if af is None else af)
            As_list.append(np.zeros((Ss, 3, n)) if as_ is None else as_)

        add("sm", af=weak)
        for k in range(Ss):
            a = np.zeros((Ss, 3, n))
            a[k] = mag
            add(f"magnetic_state:{k}", as_=a)
        for k in range(Sf):
            a = np.zeros((Sf, 3, n))
            a[k] = mag
            add(f"magnetic_flavour:{k}", af=a)
        add("magnetic_eff", as_=np.broadcast_to(mag, (Ss, 3, n)).copy())
        add("millicharge:1", af=np.stack([m[0] for m in mq]))
        add("millicharge:2", af=np.stack([m[1] for m in mq]))
        for key in FLAVOUR_KEYS:
            sel = np.array([f == key for f, _ in fl], dtype=float)[:, None, None]
            add(f"cr:{key}:1", af=sel * np.stack([x[0] for x in cr]))
            add(f"cr:{key}:2", af=sel * np.stack([x[1] for x in cr]))
            add(f"cross:{key}", af=sel * cross[None])
        return rows, np.stack(Af_list), np.stack(As_list)

    def _fold_m0(self, resp: _Response) -> dict[str, np.ndarray]:
        quad = resp.quad
        T = quad.T
        x0 = e_min(T, _ME, 0.0)
        rows, Af, As = self._row_coefficients(T)
        dens = np.einsum("rsjn,sjn->rn", Af, self.mom_f.continuum(x0))
        dens += np.einsum("rsjn,sjn->rn", As, self.mom_s.continuum(x0))
        integrand = dens * quad.w
        L = self.mom_f.line_E.size
        if L:
            lf = np.einsum("rsjn,sjl->rln", Af, self.mom_f.line_W)
            lf += np.einsum("rsjn,sjl->rln", As, self.mom_s.line_W)
            tmin, tmax = recoil_range(self.mom_f.line_E, _ME, 0.0)
            W = quad.coverage_weights(tmin, tmax)  # (L, n)
            integrand = integrand + np.einsum("rln,ln->rn", lf, W)
        counts = integrand @ resp.K.T
        return dict(zip(rows, counts, strict=True))

    def _assemble(self, resp: _Response, kind: str) -> Templates:
        r = self._fold_m0(resp)
        Ss, Sf = self.mom_s.n_states, self.mom_f.n_states
        return Templates(
            kind=kind,
            edges=resp.edges,
            events=resp.events,
            sm=r["sm"],
            magnetic_state=np.stack([r[f"magnetic_state:{k}"] for k in range(Ss)]),
            state_labels=self.mom_s.labels,
            magnetic_flavour=np.stack([r[f"magnetic_flavour:{k}"] for k in range(Sf)]),
            flavour_labels=self.mom_f.labels,
            magnetic_eff=r["magnetic_eff"],
            millicharge=np.stack([r["millicharge:1"], r["millicharge:2"]]),
            charge_radius={k: np.stack([r[f"cr:{k}:1"], r[f"cr:{k}:2"]]) for k in FLAVOUR_KEYS},
            charge_radius_millicharge={k: r[f"cross:{k}"] for k in FLAVOUR_KEYS},
            metadata=self.metadata(resp),
            _dipole=lambda M, per_state=False: self.dipole(M, resp, per_state),
        )

    def templates(self, edges: ArrayLike) -> Templates:
        """Counts per reconstructed-energy bin (``edges`` in hepunits) of every coupling power."""
        resp = self.response(edges=edges)
        return cache.MEMORY.get(
            self._key("templates", resp.edges), lambda: self._assemble(resp, "counts")
        )

    def event_templates(self, events: ArrayLike) -> Templates:
        """Expected density [events/energy] at each event energy, for unbinned likelihoods."""
        resp = self.response(events=events)
        return cache.MEMORY.get(
            self._key("events", resp.events), lambda: self._assemble(resp, "density")
        )

    # ---- dipole upscattering --------------------------------------------------------------------
    def dipole(self, M: ArrayLike, resp: _Response, per_state: bool = False) -> np.ndarray:
        """nu e -> N e per (mu/mu_B)^2 for every mass in ``M``: (nM, rows) or (nM, S, rows)."""
        M = non_negative("M", M, "MeV").ravel()
        mom = self.mom_s if per_state else self.mom_t
        quad = resp.quad
        T = quad.T
        x = e_min(T[None, :], _ME, M[:, None])  # (nM, n)
        a = coef.dipole(T[None, :], M[:, None])  # (3, nM, n)
        dens = np.einsum("jmn,sjmn->msn", a, mom.continuum(x)) * quad.w
        if mom.line_E.size:
            tmin, tmax = recoil_range(mom.line_E[None, :], _ME, M[:, None])  # (nM, L)
            W = quad.coverage_weights(tmin, tmax)  # (nM, L, n)
            dens += np.einsum("jmn,sjl,mln->msn", a, mom.line_W, W, optimize=True)
        out = dens @ resp.K.T  # (nM, S, rows)
        return out if per_state else out[:, 0, :]

    # ---- direct reference path ------------------------------------------------------------------
    def direct_density(
        self,
        T: np.ndarray,
        M: float,
        xsec: Callable[[np.ndarray, np.ndarray, str], np.ndarray],
        kind: str = "flavour",
    ) -> np.ndarray:
        """Rate density per target electron per state, (S, n): int dE dPhi_s/dE xsec + lines.

        ``xsec(E, T, label)`` is dsigma/dT [area/energy] for state ``label`` (broadcasting E, T;
        0 where forbidden). E from E_min(T, M) to the last endpoint on ``grid.direct_panels``
        log panels of 8 Gauss-Legendre nodes; lines added exactly.
        """
        labels, wfun = state_weights(self.source, choice("kind", kind, ("flavour", "states")))
        src = self.source
        comps = [cc for cc in src.components if src.continuous_fraction(cc) > 0]
        S, n = len(labels), T.size
        out = np.zeros((S, n))
        if comps:
            e_top = max(src.e_max(cc) for cc in comps)
            lo = np.minimum(e_min(T, _ME, M), e_top)
            P = self.grid.direct_panels
            t, w = np.polynomial.legendre.leggauss(8)
            edges = np.linspace(0.0, 1.0, P + 1)
            frac = (edges[:-1, None] + np.diff(edges)[:, None] * (t[None, :] + 1) / 2).ravel()
            wf = (np.diff(edges)[:, None] * w[None, :] / 2).ravel()
            span = np.log(e_top) - np.log(lo)
            E = np.exp(np.log(lo)[:, None] + span[:, None] * frac[None, :])  # (n, P*8)
            jac = E * span[:, None] * wf[None, :]
            flat = E.ravel()
            dens = np.zeros((flat.size, S))
            for cc in comps:
                f = src.flux(cc) * np.asarray(src.spectrum(cc, flat))
                dens += f[:, None] * np.asarray(wfun(cc, flat)).reshape(flat.size, S)
            dens = dens.reshape(n, -1, S)
            for s, lab in enumerate(labels):
                xs = np.asarray(xsec(E, T[:, None], lab), dtype=np.float64)
                out[s] = np.sum(dens[:, :, s] * xs * jac, axis=1)
        for cc in src.components:
            for ln in src.lines(cc):
                wl = np.asarray(wfun(cc, ln.energy), dtype=np.float64).reshape(S)
                phi = src.flux(cc) * ln.fraction
                for s, lab in enumerate(labels):
                    out[s] += phi * wl[s] * np.asarray(xsec(np.full(n, ln.energy), T, lab))
        return out

    def direct_counts(
        self,
        edges: ArrayLike,
        xsec: Callable[[np.ndarray, np.ndarray, str], np.ndarray],
        kind: str = "flavour",
        M: float = 0.0,
    ) -> np.ndarray:
        """Counts per bin and state (S, nbins) by the direct path (reference for the tests).

        Its own T partition includes the recoil limits of every line for this M.
        """
        e = check_bin_edges(edges)
        line_E = self.mom_f.line_E
        tmin, tmax = recoil_range(line_E, _ME, float(M))
        quad = Quadrature(self.detector, e[0], e[-1], self.grid, np.concatenate([e, tmin, tmax]))
        K = self.detector.bin_kernel(quad.T, e)
        dens = self.direct_density(quad.T, float(M), xsec, kind)
        return (dens * quad.w) @ K.T
