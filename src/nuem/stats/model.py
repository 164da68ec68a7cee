"""Signal-polynomial + background model (DESIGN §2) with systematics on any sample.

The expected counts (binned) or the expected density at each event (unbinned) are

    ν(x, θ) = Σ_b θ_b B_b + Σ_p x^p S_p,

with x the single parameter of interest (POI) and θ_b background normalisations (nominal 1).
Systematics generalise this to ν = Σ_b F_b B_b(α) + F_s Σ_p x^p S_p(α): normalisation
nuisances on the signal (``signal_sigma``) or on several samples at once
(:class:`NormSystematic`), and HistFactory-style shape nuisances α ~ N(0, 1) interpolating
between ±1σ templates (:class:`ShapeSystematic`; K. Cranmer et al., CERN-OPEN-2012-016; pyhf
documentation, "interpolation codes").
Templates are plain numpy arrays: ``nuem.stats`` never imports the rates engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import choice, finite, non_negative
from nuem.errors import NuemInputError

CONSTRAINTS = ("gaussian", "lognormal")
INTERPOLATIONS = ("code0", "code4p")
NUISANCE_KINDS = ("local", "norm", "shape")
#: the name of the signal sample in systematics (and of its own normalisation nuisance)
SIGNAL = "signal"


@dataclass(frozen=True)
class Template:
    """Template values plus, for unbinned use, the integrated expected count ``total``.

    ``values`` are counts per bin (binned) or the density dN/dE at each event (unbinned, per the
    energy unit the user chose). ``total`` defaults to ``values.sum()``, right only for counts.
    """

    values: np.ndarray
    total: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", finite("template values", self.values).ravel())
        if self.total is not None:
            object.__setattr__(self, "total", float(finite("template total", self.total)))

    @property
    def explicit_total(self) -> bool:
        return self.total is not None

    @property
    def integral(self) -> float:
        return float(self.values.sum()) if self.total is None else float(self.total)


def _as_template(name: str, t: Template | ArrayLike) -> Template:
    if isinstance(t, Template):
        return t
    try:
        return Template(np.asarray(t, dtype=np.float64))
    except NuemInputError as exc:
        raise NuemInputError(f"{name}: {exc}") from exc


@dataclass(frozen=True)
class Nuisance:
    """A normalisation parameter θ with a constraint centred on ``center`` (nominal 1).

    ``sigma``: None = free (unconstrained, θ ≥ ``lower``); 0 = fixed at ``center``; > 0 =
    constrained. ``lower``: bound of θ (default 0; None = unbounded, for a signed coupling that
    is profiled like a nuisance).
    Gaussian: −2 ln C = ((θ − c)/σ)². Log-normal: −2 ln C = (ln(θ/c)/ln(1 + σ))², i.e. θ = c(1+σ)^α
    with α ~ N(0, 1) (the HistFactory-style log-normal; relative width σ for small σ).
    ``kind``: ``"local"`` (a sample's own normalisation, or any other per-experiment parameter:
    renamed ``"<label>.<name>"`` in a combination unless listed in ``shared``), ``"norm"`` (a
    :class:`NormSystematic`) or ``"shape"`` (a :class:`ShapeSystematic`: α with centre 0,
    σ = 1, unbounded); systematics are shared by name in combinations. ``kink``: −2 ln L has a
    kink at α = 0 (piecewise-linear "code0" shape interpolation): where a fit ends next to it,
    the fitter also minimises on each side of α = 0 (:mod:`nuem.stats.fit`).
    """

    name: str
    sigma: float | None = 0.0
    constraint: str = "gaussian"
    center: float = 1.0
    lower: float | None = 0.0
    kind: str = "local"
    kink: bool = False

    @property
    def correlated(self) -> bool:
        """True for a named systematic (shared by name across combined likelihoods)."""
        return self.kind != "local"

    @property
    def floating(self) -> bool:
        return self.sigma is None or self.sigma > 0

    def penalty(self, theta: float) -> float:
        """−2 ln of the constraint term (0 for a free parameter)."""
        if self.sigma is None or self.sigma == 0:
            return 0.0
        if self.constraint == "gaussian":
            return ((theta - self.center) / self.sigma) ** 2
        if theta <= 0:
            return np.inf
        return (np.log(theta / self.center) / np.log1p(self.sigma)) ** 2


@dataclass(frozen=True)
class Background:
    """Background component: template ``B_b`` scaled by θ_b (nominal 1).

    ``sigma`` is the relative uncertainty on the normalisation (from the card): None = free,
    0 = fixed (default), > 0 = constrained by ``constraint`` ("gaussian" or "lognormal").
    """

    name: str
    template: Template | ArrayLike
    sigma: float | None = 0.0
    constraint: str = "gaussian"

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "template", _as_template(f"background {self.name!r}", self.template)
        )
        if self.sigma is not None:
            object.__setattr__(
                self, "sigma", float(non_negative(f"sigma of {self.name}", self.sigma))
            )
        object.__setattr__(self, "constraint", choice("constraint", self.constraint, CONSTRAINTS))


@dataclass(frozen=True)
class NormSystematic:
    """One named normalisation parameter θ (nominal 1) scaling every sample in ``samples``.

    ``samples``: sample names, a background's ``name`` or ``"signal"`` (the whole signal
    polynomial, every power); a single string is one sample. θ multiplies each of them (the
    product with the samples' own normalisations): one parameter, hence fully correlated
    effects, e.g. a neutrino-flux uncertainty acting on the signal and on the Standard-Model
    neutrino background computed from the same flux. ``sigma``: relative width (> 0
    constrained, 0 fixed at 1, None free θ ≥ 0), ``constraint`` as for :class:`Background`.
    In a :class:`nuem.stats.CombinedLikelihood` systematics with the same ``name`` are one
    parameter.
    """

    name: str
    samples: Sequence[str] | str
    sigma: float | None
    constraint: str = "gaussian"

    def __post_init__(self) -> None:
        _check_name("NormSystematic name", self.name)
        s = (self.samples,) if isinstance(self.samples, str) else tuple(self.samples)
        if not s:
            raise NuemInputError(f"NormSystematic {self.name!r}: samples = () names no sample")
        for k in s:
            if not isinstance(k, str):
                raise NuemInputError(
                    f"NormSystematic {self.name!r}: samples entry {k!r} must be a sample name"
                )
        if len(set(s)) != len(s):
            raise NuemInputError(f"NormSystematic {self.name!r}: samples {s} repeat a name")
        object.__setattr__(self, "samples", s)
        if self.sigma is not None:
            object.__setattr__(
                self, "sigma", float(non_negative(f"sigma of {self.name}", self.sigma))
            )
        object.__setattr__(self, "constraint", choice("constraint", self.constraint, CONSTRAINTS))


@dataclass(frozen=True)
class ShapeSystematic:
    """A named shape parameter α ~ N(0, 1) (HistFactory ``histosys``, Cranmer et al.,
    CERN-OPEN-2012-016) moving samples between their nominal and ±1σ templates.

    ``effects``: ``{sample name: (up, down)}`` with ``up``/``down`` the sample's templates at
    α = +1 / −1 (arrays or :class:`Template`; for an unbinned model, Templates carrying their
    own ``total``). For ``"signal"`` the effect is given per power term of Σ_p x^p S_p: a
    sequence aligned with the model's signal powers, one ``(up_p, down_p)`` (or None: no
    effect) per power, or a mapping ``{power: (up_p, down_p)}``.
    The template of an affected sample is T(α) = T₀ + Δ(α), Δ from ``interpolation``:

    * ``"code0"`` (default): piecewise linear, Δ = α(T₊ − T₀) for α ≥ 0, α(T₀ − T₋) for α < 0;
    * ``"code4p"``: the same for |α| > 1, and inside the 6th-order polynomial
      Δ = α S + α²(15 − 10α² + 3α⁴) A, S = (δ₊ + δ₋)/2, A = (δ₊ − δ₋)/16, smooth (C¹) at
      α = 0 and ±1 (pyhf's ``code4p``).

    Totals are interpolated the same way (Δ is linear in the templates at fixed α). Shape
    effects add; normalisation factors multiply the interpolated template. In a
    :class:`nuem.stats.CombinedLikelihood` systematics with the same ``name`` are one
    parameter.

    ``sigma``: width of the constraint on α (default 1: the templates are the ±1σ ones);
    None = α free (unconstrained; the templates then only set the step of the morphing, e.g. an
    energy scale the data fit, as a light yield left free in a spectral fit).
    """

    name: str
    effects: Mapping[str, object]
    interpolation: str = "code0"
    sigma: float | None = 1.0

    def __post_init__(self) -> None:
        _check_name("ShapeSystematic name", self.name)
        if not isinstance(self.effects, Mapping) or not self.effects:
            raise NuemInputError(
                f"ShapeSystematic {self.name!r}: effects = {self.effects!r} must be a non-empty "
                "mapping {sample name: (up, down)}"
            )
        for k in self.effects:
            if not isinstance(k, str):
                raise NuemInputError(
                    f"ShapeSystematic {self.name!r}: effects key {k!r} must be a sample name"
                )
        object.__setattr__(self, "effects", dict(self.effects))
        object.__setattr__(
            self, "interpolation", choice("interpolation", self.interpolation, INTERPOLATIONS)
        )
        if self.sigma is not None:
            sg = float(finite(f"ShapeSystematic {self.name!r} sigma", self.sigma))
            if not sg > 0:
                raise NuemInputError(
                    f"ShapeSystematic {self.name!r}: sigma = {self.sigma!r} must be > 0 or None "
                    "(free)"
                )
            object.__setattr__(self, "sigma", sg)


def _check_name(what: str, name: object) -> None:
    if not isinstance(name, str) or not name.strip():
        raise NuemInputError(f"{what} = {name!r} must be a non-empty string")


def _pair(what: str, v: object, n: int) -> tuple[Template, Template]:
    try:
        up, dn = v  # type: ignore[misc]
    except (TypeError, ValueError) as exc:
        raise NuemInputError(f"{what} = {v!r} must be an (up, down) pair of templates") from exc
    out = (_as_template(f"{what} up", up), _as_template(f"{what} down", dn))
    for lab, t in zip(("up", "down"), out, strict=True):
        if t.values.size != n:
            raise NuemInputError(
                f"{what} {lab} has {t.values.size} entries; the model's templates have {n}"
            )
    return out


class Penalty:
    """Σ of the constraint terms −2 ln C(θ) of ``nuisances``, vectorised (free and fixed terms
    contribute 0; a log-normal θ ≤ 0 gives inf)."""

    def __init__(self, nuisances: Sequence[Nuisance]) -> None:
        self.n = len(nuisances)
        sig = np.array([0.0 if n.sigma is None else n.sigma for n in nuisances])
        c = np.array([n.center for n in nuisances], dtype=np.float64)
        logn = np.array([n.constraint == "lognormal" for n in nuisances], dtype=bool)
        on = sig > 0
        self._g = np.flatnonzero(on & ~logn)
        self._l = np.flatnonzero(on & logn)
        self._gc, self._gs = c[self._g], sig[self._g]
        self._lc, self._lb = c[self._l], np.log1p(sig[self._l])
        # scalar form of the same terms (a handful of nuisances: cheaper than numpy calls)
        g, l_ = (self._g, self._gc, self._gs), (self._l, self._lc, self._lb)
        self._gterms = tuple(zip(*(a.tolist() for a in g), strict=True))
        self._lterms = tuple(zip(*(a.tolist() for a in l_), strict=True))

    def __call__(self, thetas: ArrayLike) -> float:
        th = thetas
        if not (type(th) is np.ndarray and th.ndim == 1 and th.dtype == np.float64):
            th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))  # (MIGRAD's is already)
        if th.size != self.n:
            raise NuemInputError(f"thetas has {th.size} entries; there are {self.n} nuisances")
        t = th.tolist()
        out = 0.0
        for i, c, s in self._gterms:
            out += ((t[i] - c) / s) ** 2
        for i, c, b in self._lterms:
            if t[i] <= 0:
                return np.inf
            out += (math.log(t[i] / c) / b) ** 2
        return out


def _interpolation_scalar(a: float, code4p: bool) -> tuple[float, float]:
    """:func:`interpolation_coefficients` for one α (plain floats: no array overhead)."""
    if code4p and abs(a) <= 1.0:
        a2 = a * a
        p = a2 * (15.0 + a2 * (3.0 * a2 - 10.0)) / 16.0
        return 0.5 * a + p, 0.5 * a - p
    return max(a, 0.0), min(a, 0.0)


def _interpolation_slope(a: float, code4p: bool) -> tuple[float, float]:
    """d(c₊, c₋)/dα of :func:`_interpolation_scalar`; at α = 0 of "code0" the α ≥ 0 side."""
    if code4p and abs(a) <= 1.0:
        a2 = a * a
        dp = a * (30.0 + a2 * (18.0 * a2 - 40.0)) / 16.0
        return 0.5 + dp, 0.5 - dp
    return (1.0, 0.0) if a >= 0 else (0.0, 1.0)


def interpolation_coefficients(alpha: np.ndarray, code4p: np.ndarray) -> tuple[np.ndarray, ...]:
    """(c₊, c₋) with Δ(α) = c₊ δ₊ + c₋ δ₋, δ₊ = T₊ − T₀, δ₋ = T₀ − T₋ (code 0, or code 4p where
    ``code4p``): the interpolation is linear in the templates at fixed α."""
    cu = np.maximum(alpha, 0.0)
    cd = np.minimum(alpha, 0.0)
    inside = code4p & (np.abs(alpha) <= 1.0)
    if inside.any():  # whole-array arithmetic: cheaper than boolean indexing for a few rows
        a2 = alpha * alpha
        p = a2 * (15.0 + a2 * (3.0 * a2 - 10.0)) / 16.0
        h = 0.5 * alpha
        cu = np.where(inside, h + p, cu)
        cd = np.where(inside, h - p, cd)
    return cu, cd


@dataclass(frozen=True)
class Model:
    """ν(x, θ) = Σ_b F_b(θ) B_b(α) + F_s(θ) Σ_p x^p S_p(α).

    Parameters
    ----------
    signal : sequence of (power, template) pairs; power an integer ≥ 1. Examples: x = μ² with
        ``[(1, S)]``; x = θ with ``[(1, S1), (2, S2)]`` (interference).
    backgrounds : sequence of :class:`Background`.
    poi : name of the parameter of interest (e.g. ``"mu2"``).
    poi_lower : lower bound of x (default 0: a physical signal strength); None = unbounded.
    signal_sigma : relative uncertainty of the whole signal's normalisation (e.g. a neutrino
        flux): None or 0 = none (default), > 0 = a nuisance θ named ``"signal"`` multiplying
        every power term, constrained by ``signal_constraint`` ("gaussian" or "lognormal").
    systematics : :class:`NormSystematic` and :class:`ShapeSystematic` entries; samples are named
        by the backgrounds' names and ``"signal"``.

    Notes
    -----
    F is the product of the normalisations acting on a sample (its own θ_b or the signal's θ,
    and every :class:`NormSystematic` naming it); B(α), S_p(α) are the templates moved by the
    shape systematics. Nuisance parameters, in order: the floating backgrounds' own
    normalisations (as without systematics), the signal's, then ``systematics`` in the given
    order (fixed ones, σ = 0, skipped); see :attr:`nuisances`.
    """

    signal: Sequence[tuple[int, Template | ArrayLike]]
    backgrounds: Sequence[Background] = ()
    poi: str = "x"
    poi_lower: float | None = 0.0
    signal_sigma: float | None = None
    signal_constraint: str = "gaussian"
    systematics: Sequence[NormSystematic | ShapeSystematic] = ()
    _S: np.ndarray = field(init=False, repr=False)
    _powers: np.ndarray = field(init=False, repr=False)
    _linear: bool = field(init=False, repr=False)
    _B: np.ndarray = field(init=False, repr=False)
    _floating: np.ndarray = field(init=False, repr=False)
    _nuis: tuple[Nuisance, ...] = field(init=False, repr=False)
    _simple: bool = field(init=False, repr=False)
    _sys: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.signal) == 0:
            raise NuemInputError("signal = [] is not allowed; give at least one (power, template)")
        sig = []
        for k, pair in enumerate(self.signal):
            try:
                p, t = pair
            except (TypeError, ValueError) as exc:
                raise NuemInputError(f"signal[{k}] = {pair!r} must be a (power, template)") from exc
            if int(p) != p or p < 1:
                raise NuemInputError(f"signal[{k}] power = {p!r} must be an integer >= 1")
            sig.append((int(p), _as_template(f"signal[{k}]", t)))
        bkg = tuple(self.backgrounds)
        for b in bkg:
            if not isinstance(b, Background):
                raise NuemInputError(f"backgrounds entry {b!r} must be a Background")
        names = [b.name for b in bkg]
        if len(set(names)) != len(names):
            raise NuemInputError(f"background names {names} must be unique")
        n = {t.values.size for _, t in sig} | {b.template.values.size for b in bkg}
        if len(n) != 1:
            raise NuemInputError(f"template lengths {sorted(n)} differ; all must be equal")
        if self.poi_lower is not None:
            object.__setattr__(self, "poi_lower", float(finite("poi_lower", self.poi_lower)))
        object.__setattr__(self, "signal", tuple(sig))
        object.__setattr__(self, "backgrounds", bkg)
        object.__setattr__(self, "_S", np.array([t.values for _, t in sig]))
        object.__setattr__(self, "_powers", np.array([p for p, _ in sig], dtype=np.float64))
        object.__setattr__(self, "_linear", self._powers.tolist() == [1.0])
        nb = len(bkg)
        B = np.array([b.template.values for b in bkg]) if nb else np.zeros((0, n.pop()))
        object.__setattr__(self, "_B", B)
        fl = np.array([i for i, b in enumerate(bkg) if b.sigma is None or b.sigma > 0], dtype=int)
        object.__setattr__(self, "_floating", fl)
        self._build_systematics()

    # --- systematics bookkeeping ---------------------------------------------------------
    def _build_systematics(self) -> None:
        bkg, sig = self.backgrounds, self.signal
        nb, npow, n = len(bkg), len(sig), self._S.shape[1]
        ss = self.signal_sigma
        if ss is not None:
            ss = float(non_negative("signal_sigma", ss))
            object.__setattr__(self, "signal_sigma", ss)
        object.__setattr__(
            self,
            "signal_constraint",
            choice("signal_constraint", self.signal_constraint, CONSTRAINTS),
        )
        systs = tuple(self.systematics)
        object.__setattr__(self, "systematics", systs)
        nuis = [
            Nuisance(bkg[i].name, bkg[i].sigma, bkg[i].constraint, 1.0, 0.0) for i in self._floating
        ]
        ncomp = nb + npow
        # normalisation parameters: (parameter index, mask over components)
        norm_par = list(range(len(nuis)))
        norm_mask = []
        for i in self._floating:
            m = np.zeros(ncomp, dtype=bool)
            m[i] = True
            norm_mask.append(m)
        sigmask = np.zeros(ncomp, dtype=bool)
        sigmask[nb:] = True
        if ss is not None and ss > 0:
            norm_par.append(len(nuis))
            norm_mask.append(sigmask.copy())
            nuis.append(Nuisance(SIGNAL, ss, self.signal_constraint, 1.0, 0.0))
        samples = {b.name: i for i, b in enumerate(bkg)}
        refers_signal = False
        rows_par, rows_comp, rows_4p, dup, ddn, tup, tdn = [], [], [], [], [], [], []
        explicit = True
        for k, s in enumerate(systs):
            what = f"systematics[{k}] ({type(s).__name__} {getattr(s, 'name', '?')!r})"
            if isinstance(s, NormSystematic):
                m = np.zeros(ncomp, dtype=bool)
                for name in s.samples:
                    if name == SIGNAL:
                        m |= sigmask
                        refers_signal = True
                    elif name in samples:
                        m[samples[name]] = True
                    else:
                        raise NuemInputError(
                            f"{what}: sample {name!r} unknown; allowed: "
                            f"{', '.join([SIGNAL, *samples])}"
                        )
                if s.sigma == 0:
                    continue
                if s.sigma is None and not m[:nb].any():
                    raise NuemInputError(
                        f"{what}: a free normalisation of the signal alone is degenerate with the "
                        f"POI {self.poi!r}; give sigma > 0 or include a background"
                    )
                norm_par.append(len(nuis))
                norm_mask.append(m)
                nuis.append(Nuisance(s.name, s.sigma, s.constraint, 1.0, 0.0, kind="norm"))
            elif isinstance(s, ShapeSystematic):
                j = len(nuis)
                nuis.append(
                    Nuisance(
                        s.name, s.sigma, "gaussian", 0.0, None, "shape", s.interpolation == "code0"
                    )
                )
                for name, eff in s.effects.items():
                    if name == SIGNAL:
                        refers_signal = True
                        pairs = self._signal_effects(f"{what} effects['signal']", eff, n)
                        comps = [(nb + q, pr) for q, pr in enumerate(pairs) if pr is not None]
                        nom = [t for _, t in sig]
                    elif name in samples:
                        pr = _pair(f"{what} effects[{name!r}]", eff, n)
                        comps = [(samples[name], pr)]
                    else:
                        raise NuemInputError(
                            f"{what}: effects sample {name!r} unknown; allowed: "
                            f"{', '.join([SIGNAL, *samples])}"
                        )
                    for c, (up, dn) in comps:
                        t0 = bkg[c].template if c < nb else nom[c - nb]
                        rows_par.append(j)
                        rows_comp.append(c)
                        rows_4p.append(s.interpolation == "code4p")
                        dup.append(up.values - t0.values)
                        ddn.append(t0.values - dn.values)
                        tup.append(up.integral - t0.integral)
                        tdn.append(t0.integral - dn.integral)
                        explicit = explicit and up.explicit_total and dn.explicit_total
            else:
                raise NuemInputError(
                    f"systematics[{k}] = {s!r} must be a NormSystematic or ShapeSystematic"
                )
        if refers_signal and SIGNAL in samples:
            raise NuemInputError(
                f"background name {SIGNAL!r} is ambiguous: systematics use it for the signal"
            )
        pnames = [v.name for v in nuis]
        dup_names = sorted({v for v in pnames if pnames.count(v) > 1})
        if dup_names:
            raise NuemInputError(
                f"nuisance names {dup_names} repeat; floating backgrounds, the signal "
                "normalisation ('signal') and systematics must have distinct names"
            )
        object.__setattr__(self, "_nuis", tuple(nuis))
        simple = len(nuis) == len(self._floating)
        object.__setattr__(self, "_simple", simple)
        T0 = np.array([b.template.integral for b in bkg] + [t.integral for _, t in sig])
        G = np.array(norm_mask, dtype=bool).reshape(len(norm_mask), ncomp)
        dup_a, ddn_a = np.array(dup).reshape(len(dup), n), np.array(ddn).reshape(len(ddn), n)
        tup_a, tdn_a = np.array(tup, dtype=np.float64), np.array(tdn, dtype=np.float64)
        C0 = np.concatenate([self._B, self._S])
        object.__setattr__(
            self,
            "_sys",
            {
                "C0": C0,
                "T0": T0,
                # the scalar weight path of _weights: ν = w @ K, ν_tot = w @ KT with
                # w = [F·x^p per component, c₊ and c₋ weights per shape row]
                "K": np.concatenate([C0, dup_a, ddn_a]),
                "KT": np.concatenate([T0, tup_a, tdn_a]),
                "norm_groups": tuple(
                    (int(par), tuple(int(c) for c in np.flatnonzero(mask)))
                    for par, mask in zip(norm_par, G, strict=True)
                ),
                "rows": tuple(
                    (int(a), int(c), bool(b))
                    for a, c, b in zip(rows_par, rows_comp, rows_4p, strict=True)
                ),
                "norm_par": np.array(norm_par, dtype=int),
                "G": G,
                "rows_par": np.array(rows_par, dtype=int),
                "rows_comp": np.array(rows_comp, dtype=int),
                "rows_4p": np.array(rows_4p, dtype=bool),
                "dup": dup_a,
                "ddn": ddn_a,
                "tup": tup_a,
                "tdn": tdn_a,
                "explicit": explicit,
                "sigmask": sigmask,
            },
        )

    def _signal_effects(self, what: str, eff: object, n: int) -> list:
        powers = [p for p, _ in self.signal]
        if isinstance(eff, Mapping):
            out: list = [None] * len(powers)
            for p, pr in eff.items():
                if p not in powers:
                    raise NuemInputError(
                        f"{what}: power {p!r} is not a signal power; allowed: {powers}"
                    )
                out[powers.index(p)] = _pair(f"{what}[{p}]", pr, n)
            return out
        if isinstance(eff, str | np.ndarray | Template) or not isinstance(eff, Sequence):
            raise NuemInputError(
                f"{what} must be one (up_p, down_p) per signal power {powers} (a sequence) or a "
                "mapping {power: (up_p, down_p)}"
            )
        if len(eff) != len(powers):
            raise NuemInputError(
                f"{what} has {len(eff)} entries; the signal has {len(powers)} power terms "
                f"{powers}: give one (up_p, down_p) (or None) per power"
            )
        return [
            None if pr is None else _pair(f"{what}[{q}] (power {powers[q]})", pr, n)
            for q, pr in enumerate(eff)
        ]

    # --- sizes and parameter bookkeeping -------------------------------------------------
    @property
    def size(self) -> int:
        """Number of bins (binned) or events (unbinned)."""
        return self._S.shape[1]

    @property
    def floating(self) -> np.ndarray:
        """Indices of the backgrounds whose own normalisation floats."""
        return self._floating.copy()

    @property
    def nuisances(self) -> tuple[Nuisance, ...]:
        """Every nuisance parameter, constraint centres nominal (1 for a normalisation, 0 for a
        shape α): floating backgrounds, the signal's (``"signal"``), then the systematics."""
        return self._nuis

    @property
    def n_nuisances(self) -> int:
        return len(self._nuis)

    @property
    def nominal(self) -> np.ndarray:
        """Nominal values of the nuisance parameters (1 per normalisation, 0 per shape)."""
        return np.array([v.center for v in self._nuis], dtype=np.float64)

    @property
    def has_signal_shape(self) -> bool:
        """True if a shape systematic moves a signal power term."""
        return bool(np.any(self._sys["rows_comp"] >= len(self.backgrounds)))

    def full_theta(self, thetas: ArrayLike) -> np.ndarray:
        """The backgrounds' own normalisations (fixed ones at 1) from the nuisance vector
        ``thetas`` (its first ``len(floating)`` entries)."""
        t = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        nb = len(self.backgrounds)
        if self._simple and t.size == self._floating.size == nb:  # all float: the vector itself
            return t.copy()
        th = np.ones(nb)
        th[self._floating] = t[: self._floating.size] if not self._simple else t
        return th

    def _check_thetas(self, thetas: ArrayLike) -> np.ndarray:
        th = np.atleast_1d(np.asarray(thetas, dtype=np.float64))
        if th.size != len(self._nuis):
            raise NuemInputError(
                f"thetas has {th.size} entries; the model has {len(self._nuis)} nuisances "
                f"({', '.join(v.name for v in self._nuis) or 'none'})"
            )
        return th

    def _factors(self, th: np.ndarray) -> np.ndarray:
        """Product of the normalisations acting on each component (backgrounds, then powers)."""
        s = self._sys
        if not s["G"].shape[0]:
            return np.ones(s["G"].shape[1])
        return np.prod(np.where(s["G"], th[s["norm_par"]][:, None], 1.0), axis=0)

    def signal_factor(self, thetas: ArrayLike) -> float:
        """Product of the normalisation nuisances acting on the signal (1 if none)."""
        if self._simple:
            return 1.0
        th = self._check_thetas(thetas)
        return float(self._factors(th)[len(self.backgrounds)])

    # --- expectations --------------------------------------------------------------------
    def signal_values(self, x: float, thetas: ArrayLike | None = None) -> np.ndarray:
        """Σ_p x^p S_p (counts per bin or density at each event); with ``thetas``, the signal
        with its normalisation and shape nuisances applied."""
        if thetas is None or self._simple:
            if self._linear and isinstance(x, float):  # one term x S_1: the same single product
                return x * self._S[0]
            return (x**self._powers) @ self._S
        th = self._check_thetas(thetas)
        return self._weights(x, th, signal_only=True) @ self._sys["K"]

    def _weights(self, x: float, th: np.ndarray, signal_only: bool = False) -> np.ndarray:
        """The weight vector w of ν(x, θ) = w @ K: per component F(θ) (times x^p for the
        signal powers; backgrounds 0 with ``signal_only``), then c₊ and c₋ (the interpolation
        coefficients of :func:`interpolation_coefficients`) times the component's weight for
        each shape row. Scalar arithmetic: the few components and rows make it several times
        cheaper than whole-array numpy calls (the likelihood's hot path)."""
        s = self._sys
        t = th.tolist()
        nb = len(self.backgrounds)
        f = [1.0] * (nb + self._powers.size)
        for par, comps in s["norm_groups"]:
            v = t[par]
            for c in comps:
                f[c] *= v
        for q, xp in enumerate((x**self._powers).tolist()):
            f[nb + q] *= xp
        if signal_only:
            f[:nb] = [0.0] * nb
        wu, wd = [], []
        for par, c, code4p in s["rows"]:
            cu, cd = _interpolation_scalar(t[par], code4p)  # (a NaN α propagates, as in numpy)
            wu.append(f[c] * cu)
            wd.append(f[c] * cd)
        return np.array(f + wu + wd)

    @property
    def weight_basis(self) -> tuple[np.ndarray, np.ndarray]:
        """(K, K_T) of a model with systematics or a signal normalisation: ν(x, θ) = w @ K and
        ν_tot(x, θ) = w @ K_T, w the weights of :meth:`weight_jacobian`."""
        if self._simple:
            raise NuemInputError("a model without systematics has no weight basis")
        return self._sys["K"], self._sys["KT"]

    def weight_jacobian(
        self, x: float, thetas: ArrayLike, hx: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(w, D): the weights w(x, θ) of ν = w @ K (:attr:`weight_basis`) and D = ∂w/∂θ, one row
        per nuisance, after a row ∂w/∂x when ``hx`` is not None (any value: the derivative is
        analytic, p x^(p−1) for the signal power p).

        Analytic: a component's factor is a product of normalisations (∂/∂θ_k: the product of
        the others); a shape row's weight is that factor times c₊(α) or c₋(α), whose slopes are
        (1, 0) for α ≥ 0 and (0, 1) below for "code0" (the side of the sign: the unit step of
        the per-nuisance path) and the polynomial's for "code4p" (|α| ≤ 1). ∂ν/∂θ = D @ K, so
        a gradient Σ_i r_i ∂ν_i/∂θ is D @ (K @ r): one pass over the bins."""
        s = self._sys
        th = self._check_thetas(thetas)
        t = th.tolist()
        nb, npw = len(self.backgrounds), self._powers.size
        ncomp, npar = nb + npw, len(t)
        pars: list[list[int]] = [[] for _ in range(ncomp)]
        for par, comps in s["norm_groups"]:
            for c in comps:
                pars[c].append(par)
        xs = [1.0] * nb + [x**p for p in self._powers.tolist()]
        dxs = [0.0] * nb + [p * x ** (p - 1) if p else 0.0 for p in self._powers.tolist()]
        f = [1.0] * ncomp
        Dc = np.zeros((npar + 1, ncomp))  # row 0: ∂/∂x, then one row per nuisance
        for c, ps in enumerate(pars):
            prod = 1.0
            for q in ps:
                prod *= t[q]
            f[c] = prod * xs[c]
            Dc[0, c] = prod * dxs[c]
            for k, q in enumerate(ps):
                others = 1.0
                for k2, q2 in enumerate(ps):
                    if k2 != k:
                        others *= t[q2]
                Dc[1 + q, c] += others * xs[c]
        rows = s["rows"]
        cu, cd, gu, gd = (np.empty(len(rows)) for _ in range(4))
        for r, (par, _, code4p) in enumerate(rows):
            a = t[par]
            cu[r], cd[r] = _interpolation_scalar(a, code4p)
            gu[r], gd[r] = _interpolation_slope(a, code4p)
        rc, rp = s["rows_comp"], s["rows_par"]
        fa = np.array(f)
        up, dn = Dc[:, rc] * cu, Dc[:, rc] * cd
        col = np.arange(len(rows))
        up[1 + rp, col] += fa[rc] * gu
        dn[1 + rp, col] += fa[rc] * gd
        w = np.concatenate([fa, fa[rc] * cu, fa[rc] * cd])
        D = np.concatenate([Dc, up, dn], axis=1)
        return w, (D if hx is not None else D[1:])

    def expected(self, x: float, thetas: ArrayLike = ()) -> np.ndarray:
        """ν(x, θ): counts per bin (binned) or total density at each event (unbinned)."""
        if self._simple:
            return self.signal_values(x) + self.full_theta(thetas) @ self._B
        th = self._check_thetas(thetas)
        return self._weights(x, th) @ self._sys["K"]

    def background_values(self, x: float, thetas: ArrayLike = ()) -> np.ndarray:
        """(n_backgrounds, size) array: each background's expected counts (or density) at
        (x, θ), its normalisations and shape nuisances applied; the rows sum with
        :meth:`signal_values` to :meth:`expected`."""
        nb = len(self.backgrounds)
        if self._simple:
            return self.full_theta(thetas)[:, None] * self._B
        th = self._check_thetas(thetas)
        s = self._sys
        w = self._weights(x, th)
        ncomp, nrow = s["G"].shape[1], len(s["rows"])
        out = w[:nb, None] * self._B
        comp = np.array([c for _, c, _ in s["rows"]], dtype=int)
        keep = np.flatnonzero(comp < nb)
        if keep.size:
            wu, wd = w[ncomp : ncomp + nrow], w[ncomp + nrow :]
            delta = wu[keep, None] * s["dup"][keep] + wd[keep, None] * s["ddn"][keep]
            np.add.at(out, comp[keep], delta)
        return out

    def expected_total(self, x: float, thetas: ArrayLike = ()) -> float:
        """Integrated expected count ν_tot(x, θ) (uses the templates' ``total``)."""
        if self._simple:
            s = np.array([t.integral for _, t in self.signal])
            b = np.array([bk.template.integral for bk in self.backgrounds])
            return float((x**self._powers) @ s + self.full_theta(thetas) @ b)
        th = self._check_thetas(thetas)
        return float(self._weights(x, th) @ self._sys["KT"])

    @property
    def has_explicit_totals(self) -> bool:
        return (
            all(t.explicit_total for _, t in self.signal)
            and all(b.template.explicit_total for b in self.backgrounds)
            and self._sys["explicit"]
        )

    def poi_scale(self) -> float:
        """Natural size of x: where the signal total reaches ~ sqrt(background total) + 1.

        Used only to rescale the POI inside the minimiser (numbers like μ² ~ 1e-22 are fine).
        """
        btot = sum(abs(b.template.integral) for b in self.backgrounds)
        target = np.sqrt(btot) + 1.0
        scales = [
            (target / abs(t.integral)) ** (1.0 / p) for p, t in self.signal if t.integral != 0
        ]
        if not scales:
            raise NuemInputError("all signal templates integrate to 0; the POI is not constrained")
        return float(min(scales))
