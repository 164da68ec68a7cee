"""The recoil rates engine: source x cross section x detector -> templates, any recoil kind.

Counts in reconstructed bin i (DESIGN §4), summed over the detector's scatterers (atomic
electrons, or every isotope of every nucleus):

    N_i = sum_sc int dT K_i(T) n_sc(T) sum_j a_j(T, M; sc) C_j(E_min(T, M, m_sc)),
    K_i(T) = exposure x P(bin i | detected(T)) x efficiency,

with n_sc(T) the scatterers per unit mass (electrons: the atomic model), the channel
coefficients a_j of :mod:`nuem.rates.channels` (every channel is a quadratic polynomial in 1/E
at fixed T, on electrons and on nuclei), the cumulative flux moments C_j of
:mod:`nuem.rates.moments` (E integrated from the analytic E_min, lines as exact steps) and the
T quadrature / kernels of :mod:`nuem.rates.response`. A line contributes only between its recoil
limits T_min(E_l, M) and T_max(E_l, M); those steps are integrated exactly on the shared nodes
by :meth:`Quadrature.coverage_weights`, so one kernel serves every N mass: a dipole template for
a new mass is one moment interpolation and one matrix product.

Atomic models with distant collisions (``"photoabsorption"``) add, to the pure photon-exchange
power of a channel (``ChannelSpec.photon_power``: the millicharge q^2 term), the distant term
n_dist(T) (1 - T/E + T^2/(2E^2)) integrated over E >= T (:meth:`RecoilEngine.distant_density`).

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
from nuem.mixing import pmns_from_angles
from nuem.rates import cache
from nuem.rates import coefficients as ecoef
from nuem.rates.channels import CHANNELS
from nuem.rates.moments import flux_moments, source_fingerprint, state_content
from nuem.rates.response import Detector, GridSpec, Quadrature, check_bin_edges, check_events
from nuem.rates.templates import FLAVOUR_KEYS, DipoleEvaluator, Templates
from nuem.sources.base import Source
from nuem.xsec.kinematics import e_min, recoil_range

__all__ = ["RecoilEngine", "ElectronRecoils", "parse_state", "source_key"]

_FINGERPRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def source_key(source: Source) -> str:
    """The (per-object memoised) content fingerprint of ``source``."""
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
        self._memo: dict = {}

    def memo(self, key, build):
        """Per-response memo of M-independent pieces (targets per node, line coverage)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]


class RecoilEngine:
    """Templates of nu scattering for one source and one detector (one recoil kind).

    ``source``: a :class:`nuem.sources.base.Source` (solar, reactor, spallation, tabulated);
    ``detector``: a :class:`~nuem.rates.response.Detector` (electrons or nuclei); ``grid``:
    :class:`~nuem.rates.response.GridSpec`; ``sin2w``: override of s_W^2 (None: the value in
    force when templates are made, which enters their cache key and metadata).
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
        self.sin2w = None if sin2w is None else c.sin2_theta_w(sin2w)
        self.source_fingerprint = source_key(source)
        fp, mg = self.source_fingerprint, self.grid.moments
        self.mom_f = flux_moments(source, "flavour", mg, fp)
        self.mom_s = flux_moments(source, "states", mg, fp)
        self.mom_t = self.mom_s.summed()
        self.flavours = [parse_state(lab) for lab in self.mom_f.labels]
        self._responses: dict[str, _Response] = {}

    @property
    def pmns(self) -> np.ndarray | None:
        """PMNS matrix of the source's oscillation parameters (solar), else None (default)."""
        p = getattr(self.source, "params", None)
        if p is None:
            return None
        return pmns_from_angles(p.theta12, p.theta13, p.theta23, p.delta_cp)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_responses"} | {"_responses": {}}

    @property
    def sin2w_in_force(self) -> float:
        """The s_W^2 the templates are made with (override, else the global value now)."""
        return self.sin2w if self.sin2w is not None else c.sin2_theta_w()

    # ---- metadata and responses ------------------------------------------------------------
    def metadata(self, resp: _Response) -> dict:
        g = self.grid
        return {
            "detector": self.detector.name,
            "card_hash": self.detector.tag,
            "detector_fingerprint": self.detector.fingerprint,
            "recoil": self.detector.recoil,
            "source": self.source.name,
            "source_fingerprint": self.source_fingerprint,
            "atomic_model": self.detector.atomic_name,
            "sin2w": self.sin2w_in_force,
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
            "recoil", self.detector.fingerprint, self.source_fingerprint, self.grid.key(),
            self.sin2w_in_force, *parts,
        )  # fmt: skip

    def response(self, edges: ArrayLike | None = None, events: ArrayLike | None = None):
        """The (cached) quadrature + kernel for bin ``edges`` or event energies ``events``."""
        if (edges is None) == (events is None):
            raise NuemInputError("give exactly one of bin edges or event energies")
        if edges is not None:
            e = check_bin_edges(edges)
            key = self._key("bins", e)
            lo, hi, brk = e[0], e[-1], self.detector.edge_breaks(e)
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

    # ---- the fold over scatterers ---------------------------------------------------------------
    def _coefficients(self, name: str, T, sc, labels_fl, M) -> np.ndarray:
        """(S, P, 3, n) coefficients of channel ``name`` for each state."""
        spec = CHANNELS[name]
        fn = spec.coefficients[sc.kind]
        ffn = self.detector.form_factor
        sw = self.sin2w_in_force
        if not spec.state_dependent:
            return fn(T, sc, "e", False, M, sw, ffn)[None]
        return np.stack([fn(T, sc, f, a, M, sw, ffn) for f, a in labels_fl])

    def _fold(self, resp: _Response, name: str, mom, M: float = 0.0) -> np.ndarray:
        """Counts (S, P, rows) of channel ``name`` folded with moments ``mom`` (one per state)."""
        quad = resp.quad
        T = quad.T
        L = mom.line_E.size
        out = 0.0
        for sc in self.detector.scatterers:
            A = self._coefficients(name, T, sc, self.flavours, M)
            if A.shape[0] != mom.n_states:
                A = np.broadcast_to(A, (mom.n_states,) + A.shape[1:])
            wn = resp.memo(("wn", sc.label), lambda sc=sc: quad.w * self._targets(sc, T))
            C = resp.memo(
                ("C", id(mom), sc.label, M), lambda sc=sc: mom.continuum(e_min(T, sc.mass, M))
            )
            dens = np.einsum("spjn,sjn->spn", A, C) * wn
            if L:
                W = resp.memo(
                    ("W", id(mom), sc.label, M), lambda sc=sc: self._coverage(quad, sc, mom, M, T)
                )
                dens = dens + np.einsum("spjn,sjl,ln->spn", A, mom.line_W, W)
            out = out + dens
        spec = CHANNELS[name]
        if spec.photon_power is not None and self.detector.has_distant_collisions:
            p = spec.powers.index(spec.photon_power)
            d = resp.memo(("distant", id(mom)), lambda: self.distant_density(quad, mom))
            out = np.array(np.broadcast_to(out, (mom.n_states, len(spec.powers), T.size)))
            out[:, p, :] += d
        return out @ resp.K.T

    def distant_density(self, quad: Quadrature, mom) -> np.ndarray:
        """Distant collisions per q^2 at the nodes, (S, n): w x n_dist(T) x sum_j b_j C_j(T).

        n_dist: the detector's :meth:`~nuem.rates.response.Detector.distant_per_mass`; b: the
        spin-1/2 factor 1 - T/E + T^2/(2E^2) (:func:`nuem.rates.coefficients.photon_splitting`);
        the E integral runs from E = T (a nearly real photon of energy T), a line E_l feeding
        T <= E_l (exact coverage weights).
        """
        T = quad.T
        dpm = self.detector.distant_per_mass(T)
        b = ecoef.photon_splitting(T)  # (3, n)
        dens = np.einsum("jn,sjn->sn", b, mom.continuum(T)) * (quad.w * dpm)
        if mom.line_E.size:
            W = quad.coverage_weights(np.zeros_like(mom.line_E), mom.line_E) * dpm  # (L, n)
            dens = dens + np.einsum("jn,sjl,ln->sn", b, mom.line_W, W)
        return dens

    def _targets(self, sc, T: np.ndarray) -> np.ndarray:
        return self.detector.counts_per_mass(sc, T)

    def _coverage(self, quad, sc, mom, M, T) -> np.ndarray:
        tmin, tmax = recoil_range(mom.line_E, sc.mass, M)
        return quad.coverage_weights(tmin, tmax) * self._targets(sc, T)  # (L, n)

    def _assemble(self, resp: _Response, kind: str) -> Templates:
        sm = self._fold(resp, "sm", self.mom_f)[:, 0].sum(axis=0)
        mag_s = self._fold(resp, "magnetic", self.mom_s)[:, 0]
        mag_f = self._fold(resp, "magnetic", self.mom_f)[:, 0]
        mq_all = self._fold(resp, "millicharge", self.mom_f)
        mq = mq_all.sum(axis=0)
        cr_all = self._fold(resp, "charge_radius", self.mom_f)
        cross_all = self._fold(resp, "cross", self.mom_f)[:, 0]
        fl_of = np.array([f for f, _ in self.flavours])
        zero = np.zeros_like(sm)
        cr, cross, mqf = {}, {}, {}
        for key in FLAVOUR_KEYS:
            sel = fl_of == key
            cr[key] = cr_all[sel].sum(axis=0) if sel.any() else np.zeros((2,) + sm.shape)
            mqf[key] = mq_all[sel].sum(axis=0) if sel.any() else np.zeros((2,) + sm.shape)
            cross[key] = cross_all[sel].sum(axis=0) if sel.any() else zero
        return Templates(
            kind=kind,
            edges=resp.edges,
            events=resp.events,
            sm=sm,
            magnetic_state=mag_s,
            state_labels=self.mom_s.labels,
            magnetic_flavour=mag_f,
            flavour_labels=self.mom_f.labels,
            magnetic_eff=mag_s.sum(axis=0),
            millicharge=mq,
            charge_radius=cr,
            charge_radius_millicharge=cross,
            metadata=self.metadata(resp),
            _dipole=DipoleEvaluator(self, resp.edges, resp.events, resp),
            pmns=self.pmns,
            millicharge_flavour=mqf,
        )

    def templates(self, edges: ArrayLike) -> Templates:
        """Counts per reconstructed bin (``edges`` in the reconstructed variable) of every
        coupling power."""
        resp = self.response(edges=edges)
        return cache.MEMORY.get(
            self._key("templates", resp.edges), lambda: self._assemble(resp, "counts")
        )

    def sm_counts(self, edges: ArrayLike) -> np.ndarray:
        """SM counts per reconstructed bin only (= ``templates(edges).sm``, without the other
        channels): the per-group SM backgrounds of a card."""
        resp = self.response(edges=edges)
        return cache.MEMORY.get(
            self._key("sm", resp.edges),
            lambda: self._fold(resp, "sm", self.mom_f)[:, 0].sum(axis=0),
        )

    def event_templates(self, events: ArrayLike) -> Templates:
        """Expected density [events/energy] at each event energy, for unbinned likelihoods."""
        resp = self.response(events=events)
        return cache.MEMORY.get(
            self._key("events", resp.events), lambda: self._assemble(resp, "density")
        )

    # ---- dipole upscattering --------------------------------------------------------------------
    def dipole_for(self, M: ArrayLike, edges=None, events=None, per_state: bool = False):
        """nu X -> N X per (mu/mu_B)^2 for every mass in ``M`` on a binning or event list."""
        return self.dipole(M, self.response(edges=edges, events=events), per_state)

    def dipole(self, M: ArrayLike, resp: _Response, per_state: bool = False) -> np.ndarray:
        """nu X -> N X per (mu/mu_B)^2 for every mass in ``M``: (nM, rows) or (nM, S, rows)."""
        M = non_negative("M", M, "MeV").ravel()
        mom = self.mom_s if per_state else self.mom_t
        quad = resp.quad
        T = quad.T
        fn = CHANNELS["dipole"].coefficients[self.detector.recoil]
        out = 0.0
        for sc in self.detector.scatterers:
            # the kernel with this scatterer's targets per node folded in, once per response
            Kn = resp.memo(("Kn", sc.label), lambda sc=sc: resp.K * self._targets(sc, T)[None, :])
            x = e_min(T[None, :], sc.mass, M[:, None])  # (nM, n)
            a = fn(T[None, :], sc, "e", False, M[:, None], None, self.detector.form_factor)[0]
            d = np.einsum("jmn,sjmn->msn", a, mom.continuum(x))
            d *= quad.w
            if mom.line_E.size:
                tmin, tmax = recoil_range(mom.line_E[None, :], sc.mass, M[:, None])  # (nM, L)
                W = quad.coverage_weights(tmin, tmax)  # (nM, L, n)
                d += np.einsum("jmn,sjl,mln->msn", a, mom.line_W, W, optimize=True)
            out = out + d @ Kn.T  # (nM, S, rows)
        return out if per_state else out[:, 0, :]

    # ---- direct reference path ------------------------------------------------------------------
    def _single_mass(self) -> float:
        scs = self.detector.scatterers
        if len(scs) != 1:
            raise NuemInputError("the direct reference path supports one scatterer (electrons)")
        return scs[0].mass

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
        m = self._single_mass()
        labels, wfun = state_content(self.source, choice("kind", kind, ("flavour", "states")))
        src = self.source
        comps = [cc for cc in src.components if src.continuous_fraction(cc) > 0]
        S, n = len(labels), T.size
        out = np.zeros((S, n))
        if comps:
            e_top = max(src.e_max(cc) for cc in comps)
            lo = np.minimum(e_min(T, m, M), e_top)
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
        m = self._single_mass()
        line_E = self.mom_f.line_E
        tmin, tmax = recoil_range(line_E, m, float(M))
        brk = np.concatenate([self.detector.edge_breaks(e), tmin, tmax])
        quad = Quadrature(self.detector, e[0], e[-1], self.grid, brk)
        K = self.detector.bin_kernel(quad.T, e)
        nsc = self.detector.counts_per_mass(self.detector.scatterers[0], quad.T)
        dens = self.direct_density(quad.T, float(M), xsec, kind)
        return (dens * quad.w * nsc) @ K.T


#: The engine under its first name (electron recoils were its only kind until schema 2).
ElectronRecoils = RecoilEngine
