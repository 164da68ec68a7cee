"""Signal-polynomial + background model (DESIGN §2).

The expected counts (binned) or the expected density at each event (unbinned) are

    ν(x, θ) = Σ_b θ_b B_b + Σ_p x^p S_p,

with x the single parameter of interest (POI) and θ_b background normalisations (nominal 1).
Templates are plain numpy arrays: ``nuem.stats`` never imports the rates engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem._validate import choice, finite, non_negative
from nuem.errors import NuemInputError

CONSTRAINTS = ("gaussian", "lognormal")


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
    """

    name: str
    sigma: float | None = 0.0
    constraint: str = "gaussian"
    center: float = 1.0
    lower: float | None = 0.0

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
class Model:
    """ν(x, θ) = Σ_b θ_b B_b + Σ_p x^p S_p.

    Parameters
    ----------
    signal : sequence of (power, template) pairs; power an integer ≥ 1. Examples: x = μ² with
        ``[(1, S)]``; x = θ with ``[(1, S1), (2, S2)]`` (interference).
    backgrounds : sequence of :class:`Background`.
    poi : name of the parameter of interest (e.g. ``"mu2"``).
    poi_lower : lower bound of x (default 0: a physical signal strength); None = unbounded.
    """

    signal: Sequence[tuple[int, Template | ArrayLike]]
    backgrounds: Sequence[Background] = ()
    poi: str = "x"
    poi_lower: float | None = 0.0
    _S: np.ndarray = field(init=False, repr=False)
    _powers: np.ndarray = field(init=False, repr=False)
    _B: np.ndarray = field(init=False, repr=False)

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
        nb = len(bkg)
        B = np.array([b.template.values for b in bkg]) if nb else np.zeros((0, n.pop()))
        object.__setattr__(self, "_B", B)

    # --- sizes and parameter bookkeeping -------------------------------------------------
    @property
    def size(self) -> int:
        """Number of bins (binned) or events (unbinned)."""
        return self._S.shape[1]

    @property
    def floating(self) -> np.ndarray:
        """Indices of the backgrounds whose normalisation floats."""
        return np.array(
            [i for i, b in enumerate(self.backgrounds) if b.sigma is None or b.sigma > 0], dtype=int
        )

    def full_theta(self, thetas: ArrayLike) -> np.ndarray:
        """All background normalisations (fixed ones at 1) from the floating ``thetas``."""
        th = np.ones(len(self.backgrounds))
        th[self.floating] = thetas
        return th

    # --- expectations --------------------------------------------------------------------
    def signal_values(self, x: float) -> np.ndarray:
        """Σ_p x^p S_p (counts per bin or density at each event)."""
        return (x**self._powers) @ self._S

    def expected(self, x: float, thetas: ArrayLike = ()) -> np.ndarray:
        """ν(x, θ): counts per bin (binned) or total density at each event (unbinned)."""
        return self.signal_values(x) + self.full_theta(thetas) @ self._B

    def expected_total(self, x: float, thetas: ArrayLike = ()) -> float:
        """Integrated expected count ν_tot(x, θ) (uses the templates' ``total``)."""
        s = np.array([t.integral for _, t in self.signal])
        b = np.array([bk.template.integral for bk in self.backgrounds])
        return float((x**self._powers) @ s + self.full_theta(thetas) @ b)

    @property
    def has_explicit_totals(self) -> bool:
        return all(t.explicit_total for _, t in self.signal) and all(
            b.template.explicit_total for b in self.backgrounds
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
