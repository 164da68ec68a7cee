"""Global fit of the moment matrix to every dataset card at once (issue: theory, global fit).

Each card is a :class:`nuem.stats.parametric.Channel`: its background model and data (the same
likelihood as `nuem limits`: unbinned for event lists, binned otherwise) and one signal template
per incoming state s of its source, S_s per (μ_s/μ_B)² (:attr:`nuem.rates.Templates.magnetic_state`;
mass states for the Sun, flavour states for reactors and π-DAR). A texture gives the state
weights a_s(p) (:func:`nuem.theory.hypothesis.moment_state_weights`: Σ_j |μ^M_jk|² for mass
states, the flavour-basis column norm for ν_α and for ν̄_α), so the expected signal of
every card is Σ_s a_s(p) S_s with the couplings p shared. For each coupling the others are
profiled and the
statistics are those of `nuem limits` (:func:`nuem.limits.derive.limit_from_likelihood`): a
one-sided q̃ limit for a magnitude (lower bound 0; an interval if the data prefer a signal), the
Δχ² allowed region for a signed coupling. With one coupling and the others zero, a card's fit
therefore reproduces its `nuem limits` value (tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nuem.errors import NuemInputError
from nuem.experiments import Card, list_cards
from nuem.limits.build import card_likelihood, likelihood_bins
from nuem.limits.derive import limit_from_likelihood
from nuem.limits.result import LimitResult
from nuem.limits.texture import Texture, resolve_texture
from nuem.rates.experiment import (
    experiment_event_templates,
    experiment_templates,
    resolve_card,
    solar_source,
)
from nuem.stats import FitError, fit
from nuem.stats.parametric import Channel, ParametricLikelihood
from nuem.theory.hypothesis import ALL_STATES

__all__ = [
    "CouplingLimit",
    "Region2D",
    "TextureFit",
    "card_channel",
    "fit_texture",
    "region_2d",
    "texture_likelihood",
]


def _on_all_states(tpl, per_state: np.ndarray) -> np.ndarray:
    """Per-state rows placed on :data:`ALL_STATES` (zeros for states the source lacks)."""
    out = np.zeros((len(ALL_STATES),) + per_state.shape[1:])
    for k, lab in enumerate(tpl.state_labels):
        out[ALL_STATES.index(lab)] = per_state[k]
    return out


def card_channel(card: str | Card, ordering: str = "normal", binned: bool | None = None) -> Channel:
    """The card as a channel with one signal component per incoming state of its source.

    Components are laid on :data:`nuem.theory.hypothesis.ALL_STATES` (mass states of the Sun,
    flavour states of reactors and π-DAR), so that cards of every source share one weight
    function: the texture's state weights (incoherent over the Sun's mass states, coherent for a
    flavour beam). A solar card uses the B16-GS98 Sun with this ``ordering``.
    """
    card = resolve_card(card)
    src = solar_source("b16-gs98", ordering) if card.source_kind == "solar" else None
    if binned is None:
        binned = card.data_type != "events"
    base = card_likelihood(card, "mu_e", binned=binned)
    if binned:
        tpl = experiment_templates(card, card.bin_edges(), source=src)
        comps, totals = likelihood_bins(card, _on_all_states(tpl, tpl.magnetic_state)), None
    else:
        dens, tot = experiment_event_templates(card, source=src)
        comps = _on_all_states(dens, dens.magnetic_state)
        totals = _on_all_states(tot, tot.magnetic_state).sum(axis=1)
    return Channel(base, comps, totals)


def texture_likelihood(
    texture: Texture, cards: Sequence[str | Card], binned: bool | None = None
) -> ParametricLikelihood:
    """The joint likelihood of ``cards`` for the couplings of ``texture``."""
    cards = [resolve_card(c) for c in cards]
    if not cards:
        raise NuemInputError("cards = [] is not allowed; give at least one card")
    return ParametricLikelihood(
        [card_channel(c, texture.ordering, binned) for c in cards],
        texture.couplings,
        texture.state_weights(states=ALL_STATES),
        [c.name for c in cards],
    )


def sensitive_likelihood(
    texture: Texture, cards: Sequence[Card], binned: bool | None = None
) -> tuple[ParametricLikelihood, list[str]]:
    """The joint likelihood of ``cards`` for the couplings of ``texture`` that give them a signal,
    and the names of those that give none (e.g. μ_μ on a reactor ν̄_e card). The dropped
    couplings are held at 0: a coupling whose weight vanishes on every state of these cards has
    vanishing matrix entries in those columns, so it has no interference either."""
    channels = [card_channel(c, texture.ordering, binned) for c in cards]
    weights = texture.state_weights(states=ALL_STATES)
    n = len(texture.couplings)
    active, dead = [], []
    for i in range(len(texture.couplings)):
        a = np.asarray(weights(np.eye(n)[i]), dtype=np.float64)
        (active if sum(ch.signal_total(a) for ch in channels) > 0 else dead).append(i)
    if not active:
        raise NuemInputError(f"no coupling of texture {texture.name!r} gives these cards a signal")

    def w(p):
        full = np.zeros(n)
        full[active] = p
        return weights(full)

    lik = ParametricLikelihood(
        channels, [texture.couplings[i] for i in active], w, [c.name for c in cards]
    )
    return lik, [texture.couplings[i].name for i in dead]


@dataclass
class CouplingLimit:
    """The limit on one coupling from one card or the combination (others profiled)."""

    coupling: str
    experiment: str
    result: LimitResult | None
    error: str | None = None
    #: "no sensitivity" when the coupling gives no signal in the cards (e.g. mu_mu at a
    #: reactor): neither a number nor a failure (as in `nuem limits`)
    status: str | None = None

    @property
    def limit(self) -> float | None:
        return None if self.result is None else self.result.headline

    def to_json(self) -> dict[str, Any]:
        r = self.result
        out: dict[str, Any] = {
            "coupling": self.coupling,
            "experiment": self.experiment,
            "limit": self.limit,
            "unit": "mu_B",
            "cl": None if r is None else r.cl,
            "expected": None if r is None else r.expected_median,
        }
        if r is not None:
            out.update(r.row_fields())
        if self.error:
            out["error"] = self.error
        if self.status:
            out["status"] = self.status
        return out


@dataclass
class TextureFit:
    """Global-fit output: best fit of the combination and per-coupling limits."""

    texture: Texture
    experiments: list[str]
    best_fit: dict[str, float] | None
    limits: list[CouplingLimit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        t = self.texture
        return {
            "texture": {
                "name": t.name,
                "nature": t.nature,
                "basis": t.basis,
                "ordering": t.ordering,
                "majorana_phases": list(t.majorana_phases),
                "couplings": [{"name": c.name, "signed": c.lower is None} for c in t.couplings],
                "origin": t.origin,
            },
            "experiments": self.experiments,
            "best_fit_muB": self.best_fit,
            "limits": [lim.to_json() for lim in self.limits],
        }


def _best_fit(lik: ParametricLikelihood) -> dict[str, float]:
    view = lik.for_poi(lik.couplings[0].name)
    b = fit(view)
    p, _ = view._split(b.x, b.thetas)
    return {c.name: float(v) for c, v in zip(lik.couplings, p, strict=True)}


def fit_texture(
    texture: str | Texture,
    cards: Iterable[str | Card] | None = None,
    cl: float = 0.90,
    per_experiment: bool = True,
    expected: bool = False,
    progress: bool = False,
    method: str = "q-tilde",
    toys: int = 0,
) -> TextureFit:
    """Global fit of ``texture`` (built-in name, YAML path or :class:`Texture`) to ``cards``
    (default: every shipped card): limits on each coupling, the others profiled, for the
    combination and (``per_experiment``) for each card alone. A failed fit gives an entry with
    ``error`` and no number; a coupling without any signal in the group one with ``status``
    "no sensitivity". ``method``, ``toys``: the limit convention of
    :func:`nuem.limits.derive.limit_from_likelihood` (cls and power-constrained compute the
    binned twin, as ``expected`` does)."""
    from tqdm.auto import tqdm

    tex = resolve_texture(texture)
    cards = [resolve_card(c) for c in (cards if cards is not None else list_cards())]
    groups: list[list[Card]] = [[c] for c in cards] if per_experiment else []
    if len(cards) > 1 or not groups:
        groups.append(cards)
    jobs = [(g, c.name) for g in groups for c in tex.couplings]
    signed = {c.name: c.lower is None for c in tex.couplings}
    out = TextureFit(tex, [c.name for c in cards], None)
    liks: dict[int, tuple[ParametricLikelihood, ParametricLikelihood | None, list[str]]] = {}
    for g, name in tqdm(jobs, desc="nuem fit", unit="limit", disable=not progress, leave=False):
        label = "combined" if len(g) > 1 else g[0].name
        key = id(g)
        if key not in liks:
            need_twin = expected or method in ("cls", "power-constrained") or toys > 0
            twin = sensitive_likelihood(tex, g, binned=True)[0] if need_twin else None
            lik, dead = sensitive_likelihood(tex, g)
            liks[key] = (lik, twin, dead)
        lik, twin, dead = liks[key]
        if name in dead:  # the coupling gives no signal in these cards
            out.limits.append(CouplingLimit(name, label, None, status="no sensitivity"))
            continue
        try:
            res = limit_from_likelihood(
                lik.for_poi(name),
                None if twin is None else twin.for_poi(name),
                quantity_name=name,
                unit="mu_B",
                signed=signed[name],
                cl=cl,
                experiments=[c.name for c in g],
                card_hashes=[c.content_hash for c in g],
                method=method,
                toys=toys,
            )
            out.limits.append(CouplingLimit(name, label, res))
        except FitError as exc:
            out.limits.append(CouplingLimit(name, label, None, f"fit failed: {exc}"))
    try:
        out.best_fit = _best_fit(liks[id(groups[-1])][0])
    except FitError:
        out.best_fit = None
    return out


def state_weights_at(texture: Texture, p: Sequence[float]) -> np.ndarray:
    """a_k = Σ_j |μ^M_jk|² (μ_B²) of ``texture`` at couplings ``p``: the effective solar moment
    squared of each incoming mass state."""
    return texture.state_weights()(np.asarray(p, dtype=np.float64))


@dataclass
class Region2D:
    """Δ(−2 ln L) on a grid of two couplings (others and backgrounds profiled), μ_B."""

    couplings: tuple[str, str]
    x: np.ndarray
    y: np.ndarray
    delta_nll2: np.ndarray  # shape (len(y), len(x))
    cl: float
    level: float  # χ²₂⁻¹(cl): 4.605 at 90% CL
    best_fit: tuple[float, float]
    experiments: list[str]

    def allowed(self) -> np.ndarray:
        """Boolean mask of the grid points inside the region."""
        return self.delta_nll2 <= self.level

    def to_json(self) -> dict[str, Any]:
        return {
            "couplings": list(self.couplings),
            "x_muB": self.x.tolist(),
            "y_muB": self.y.tolist(),
            "delta_chi2": self.delta_nll2.tolist(),
            "cl": self.cl,
            "level": self.level,
            "best_fit_muB": list(self.best_fit),
            "experiments": self.experiments,
        }


def region_2d(
    texture: str | Texture,
    couplings: tuple[str, str] | None = None,
    cards: Iterable[str | Card] | None = None,
    ranges: tuple[tuple[float, float], tuple[float, float]] | None = None,
    n: int = 31,
    cl: float = 0.90,
    progress: bool = False,
) -> Region2D:
    """The allowed region of two couplings of ``texture`` (default: its first two) from the
    combination of ``cards``: Δ(−2 ln L) profiled over everything else on an n × n grid; the
    region is Δ ≤ χ²₂⁻¹(cl) (Wilks, two parameters). ``ranges`` in μ_B default to
    [lower or −2 L, 2 L] with L each coupling's one-dimensional limit."""
    from scipy.stats import chi2
    from tqdm.auto import tqdm

    from nuem.stats import profile

    tex = resolve_texture(texture)
    if len(tex.couplings) < 2:
        raise NuemInputError(f"texture {tex.name!r} has one coupling; a 2-D region needs two")
    names = [c.name for c in tex.couplings]
    pair = tuple(couplings) if couplings is not None else (names[0], names[1])
    for nm in pair:
        if nm not in names:
            raise NuemInputError(f"coupling {nm!r} is not in texture {tex.name!r}: {names}")
    if pair[0] == pair[1] or int(n) < 5:
        raise NuemInputError(f"couplings = {pair!r}, n = {n!r}: need two different, n >= 5")
    cards = [resolve_card(c) for c in (cards if cards is not None else list_cards())]
    lik = texture_likelihood(tex, cards)
    i0, i1 = names.index(pair[0]), names.index(pair[1])
    if ranges is None:
        ranges = []
        for i in (i0, i1):
            res = limit_from_likelihood(
                lik.for_poi(names[i]),
                None,
                quantity_name=names[i],
                unit="mu_B",
                signed=tex.couplings[i].lower is None,
                cl=cl,
            )
            L = 2.0 * (res.value if res.value is not None else res.interval[1])
            ranges.append((0.0 if tex.couplings[i].lower is not None else -L, L))
    xs = np.linspace(*ranges[0], int(n))
    ys = np.linspace(*ranges[1], int(n))
    best = fit(lik.for_poi(pair[0]))
    p_best, _ = lik.for_poi(pair[0])._split(best.x, best.thetas)
    rest = [c for k, c in enumerate(tex.couplings) if k != i1]
    full_weights = lik.weights
    grid = np.empty((ys.size, xs.size))
    for r, yv in enumerate(tqdm(ys, desc="nuem fit region", disable=not progress, leave=False)):

        def w(p, yv=yv):
            q = np.insert(np.asarray(p, dtype=np.float64), i1, yv)
            return full_weights(q)

        sub = ParametricLikelihood(lik.channels, rest, w, lik.labels).for_poi(pair[0])
        for c, xv in enumerate(xs):
            grid[r, c] = profile(sub, float(xv)).nll2
    return Region2D(
        couplings=pair,
        x=xs,
        y=ys,
        delta_nll2=grid - min(best.nll2, grid.min()),
        cl=float(cl),
        level=float(chi2.ppf(cl, 2)),
        best_fit=(float(p_best[i0]), float(p_best[i1])),
        experiments=[c.name for c in cards],
    )
