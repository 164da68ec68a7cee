"""Likelihood of one dataset card for one quantity: card -> rates templates -> stats model.

- Event lists (XENONnT SR0) give an extended unbinned likelihood: densities of the signal and of
  each in-likelihood background at every event, and their integrals over the card's window.
- Binned data give a binned Poisson likelihood on the card's default bins (inside its window).
- A projection card (no data) gives the binned likelihood with the background-only Asimov data
  set (counts = expected background, constraint centres nominal): only its expected limits mean
  anything (`nuem sensitivity`); ``derive_limit`` refuses it.

Reactor ON/OFF cards (``exposure_off``, ``data.bins.observed_off``) give one binned likelihood
on the ON bins followed by the OFF bins (module function ``_with_off_bins``).

Backgrounds are the card's in-likelihood components with their normalisation constraint
(``uncertainty.type``: gaussian / lognormal with ``sigma_rel`` or an absolute ``sigma`` turned
relative by the component's counts in the window; free; fixed). The signal is always the BSM
part of the rate (the templates of :class:`nuem.rates.Templates` are exactly that). When the
card's background already contains the SM neutrino component of its source (every shipped xenon
card: ``includes_sm_solar_nu: true``) nothing more is added; otherwise nuem adds its own SM
prediction (``Templates.sm``) as the background ``sm_nu``, constrained by
``backgrounds.sm_neutrino_uncertainty`` (default: fixed), so the SM neutrinos are never left out.

The card's ``systematics:`` (named nuisances on any sample) become the stats model's
systematics, in card order, in both likelihoods: a ``normalisation`` is one
:class:`~nuem.stats.NormSystematic` (samples ``"signal"`` = every power term of the signal
polynomial, ``"sm_nu"``, background names; relative ``sigma_rel``, gaussian or lognormal), a
``shape`` one :class:`~nuem.stats.ShapeSystematic` whose ±1σ templates are the card's up/down
shapes of each background integrated over the likelihood's bins (binned) or, for event lists,
their densities at the events with their integrals over the window (the same cumulative as the
nominal shape), and an ``energy_scale`` one ShapeSystematic whose ±1σ templates are the named
samples with the reconstructed axis scaled by 1 ± ``step_rel``
(:func:`nuem.detectors.energy_scale.rescale_binned`; binned only), free or constrained by
``sigma_rel / step_rel``. A card without ``systematics`` gives exactly the model it gave before.
"""

from __future__ import annotations

import numpy as np

from nuem.detectors.energy_scale import rescale_binned
from nuem.errors import NuemInputError
from nuem.experiments import Card
from nuem.experiments.records import SM_NU_SAMPLE
from nuem.limits.quantities import Quantity, check_quantity_for
from nuem.rates import cache
from nuem.rates.experiment import (
    card_source,
    experiment_event_templates,
    experiment_templates,
    resolve_card,
    sm_group_counts,
)
from nuem.stats import (
    Background,
    BinnedLikelihood,
    Model,
    NormSystematic,
    ShapeSystematic,
    Template,
    UnbinnedLikelihood,
)


def background_sigma(card: Card, comp) -> tuple[float | None, str]:
    """(relative σ or None = free, constraint shape) of a component's normalisation."""
    unc = comp.uncertainty
    kind = unc["type"]
    if kind == "free":
        return None, "gaussian"
    if kind == "fixed":
        return 0.0, "gaussian"
    if "sigma_rel" in unc:
        return float(unc["sigma_rel"]), kind
    total = float(comp.expectation(card.window)[0])
    if not total > 0:
        raise NuemInputError(
            f"card {card.name!r}: background {comp.name!r} has an absolute sigma but no counts "
            "in the window to turn it into a relative one"
        )
    return float(unc["sigma"]) / total, kind


#: Name of the SM neutrino background nuem adds when the card's backgrounds lack it.
SM_NU = SM_NU_SAMPLE


def sm_neutrino_sigma(card: Card, unc: dict | None = None) -> tuple[float | None, str]:
    """(relative σ or None = free, constraint) of nuem's SM neutrino component of a card
    (``unc``: one group's ``uncertainty`` block instead of ``sm_neutrino_uncertainty``)."""
    if unc is None:
        unc = card.raw["backgrounds"].get("sm_neutrino_uncertainty", {"type": "fixed"})
    kind = unc["type"]
    if kind == "free":
        return None, "gaussian"
    if kind == "fixed":
        return 0.0, "gaussian"
    if "sigma_rel" not in unc:
        raise NuemInputError(
            f"card {card.name!r}: backgrounds.sm_neutrino_uncertainty needs sigma_rel"
        )
    return float(unc["sigma_rel"]), kind


def _oscillation_params(card: Card):
    return getattr(card_source(card), "params", None)


def _quantity(card: Card, name: str | Quantity) -> Quantity:
    """A registered quantity by name (checked against the card's source), or a
    :class:`Quantity` object as given (e.g. :func:`nuem.limits.portal.portal_quantity`)."""
    if isinstance(name, Quantity):
        return name
    return check_quantity_for(name, [card.source_kind], [card.name])


def _components(card: Card):
    comps = [c for c in card.backgrounds if c.in_likelihood]
    if not comps:
        raise NuemInputError(f"card {card.name!r} has no in-likelihood background component")
    return comps


def card_systematics(
    card: Card,
    edges: np.ndarray | None = None,
    events: np.ndarray | None = None,
    signal_of=None,
) -> list[NormSystematic | ShapeSystematic]:
    """The stats systematics of the card's ``systematics:`` list (module doc).

    Shape templates: counts in ``edges`` (binned likelihood), or, with ``events``, densities at
    the events with their totals over the card's window (unbinned likelihood). A shape on the
    computed samples (``signal``, ``sm_nu``) recomputes their templates with the card's response
    at ±1σ (``response_up``/``response_down``; binned only); ``signal_of(templates)`` gives the
    signal's (power, template) pairs of the quantity being fitted.
    """
    out: list[NormSystematic | ShapeSystematic] = []
    for s in card.systematics:
        if s.kind == "normalisation":
            out.append(NormSystematic(s.name, s.samples, s.sigma_rel, s.constraint))
            continue
        if s.kind == "energy_scale":
            out.append(_energy_scale(card, s, edges, signal_of))
            continue
        if s.response_up is not None:
            out.append(_response_shape(card, s, edges, signal_of))
            continue
        effects = {}
        for name, pair in s.variations.items():
            if events is None:
                effects[name] = tuple(c.expectation(edges) for c in pair)
            else:
                effects[name] = tuple(
                    Template(c.density(events), float(c.expectation(card.window)[0])) for c in pair
                )
        out.append(ShapeSystematic(s.name, effects, s.interpolation))
    return out


def _response_shape(card: Card, s, edges, signal_of) -> ShapeSystematic:
    """A shape systematic on signal / sm_nu (or the ``sm_nu_<group>`` backgrounds of a card
    with ``sm_neutrino_groups``) from the templates of the response at ±1σ."""
    up, down, g_up, g_down = response_templates(card, s, edges)
    effects: dict = {}
    if "signal" in s.samples:
        pairs = zip(signal_of(up), signal_of(down), strict=True)
        effects["signal"] = [(np.asarray(u_), np.asarray(d_)) for (_, u_), (_, d_) in pairs]
    if SM_NU in s.samples:
        effects[SM_NU] = (up.sm, down.sm)
    names = {f"{SM_NU}_{g['name']}" for g in card.sm_neutrino_groups}
    groups = [smp for smp in s.samples if smp in names]
    if groups:
        for smp in groups:
            effects[smp] = (g_up[smp], g_down[smp])
    return ShapeSystematic(s.name, effects, s.interpolation)


def response_templates(card: Card, s, edges):
    """(up, down Templates, up, down SM group counts or None) of the card's response at ±1σ
    of systematic ``s`` on ``edges``, built once per process for the card's content, the two
    response overrides and the bins (shared by every quantity of the card: the ±1σ cards are
    validated and their templates computed once, not once per quantity)."""
    key = cache.content_key(
        "response-templates", card.content_hash, s.response_up, s.response_down, edges
    )

    def build():
        card_up, card_down = card.with_response(s.response_up), card.with_response(s.response_down)
        up, down = experiment_templates(card_up, edges), experiment_templates(card_down, edges)
        if not card.sm_neutrino_groups:
            return up, down, None, None
        return up, down, sm_group_counts(card_up, edges), sm_group_counts(card_down, edges)

    return cache.MEMORY.get(key, build)


def _energy_scale(card: Card, s, edges, signal_of) -> ShapeSystematic:
    """The energy-scale nuisance of a card: each named sample's nominal counts on ``edges``
    with the reconstructed axis multiplied by 1 ± ``step_rel``
    (:func:`nuem.detectors.energy_scale.rescale_binned`); α = δ / step_rel constrained by
    ``sigma_rel / step_rel``, or free."""
    if edges is None:
        raise NuemInputError(
            f"card {card.name!r}: systematic {s.name!r} (energy_scale) needs binned data"
        )
    up, down = 1.0 + s.step_rel, 1.0 - s.step_rel
    # the samples other than the signal do not depend on the quantity: built once per process
    key = cache.content_key("energy-scale", card.content_hash, s.name, edges)
    effects: dict = dict(cache.MEMORY.get(key, lambda: _energy_scale_fixed(card, s, edges)))
    if "signal" in s.samples:
        rows = np.array([np.asarray(t) for _, t in signal_of(experiment_templates(card, edges))])
        effects["signal"] = list(
            zip(rescale_binned(rows, edges, up), rescale_binned(rows, edges, down), strict=True)
        )
    effects = {name: effects[name] for name in s.samples}  # the card's order
    sigma = None if s.sigma_rel is None else s.sigma_rel / s.step_rel
    return ShapeSystematic(s.name, effects, s.interpolation, sigma)


def _energy_scale_fixed(card: Card, s, edges) -> dict:
    """{sample: (up, down) counts} of :func:`_energy_scale` for every sample but the signal."""
    nominal: dict = {}
    if any(x == SM_NU or x.startswith(f"{SM_NU}_") for x in s.samples):
        nominal[SM_NU] = experiment_templates(card, edges).sm
        nominal.update(sm_group_counts(card, edges) if card.sm_neutrino_groups else {})
    for c in _components(card):
        if c.name in s.samples:
            nominal[c.name] = c.expectation(edges)
    up, down = 1.0 + s.step_rel, 1.0 - s.step_rel
    out = {}
    for name in s.samples:
        if name != "signal":
            v = np.asarray(nominal[name], dtype=np.float64)
            out[name] = (rescale_binned(v, edges, up), rescale_binned(v, edges, down))
    return out


def _model(q: Quantity, signal, backgrounds, systematics=()) -> Model:
    return Model(
        signal=signal,
        backgrounds=backgrounds,
        poi=q.poi,
        poi_lower=None if q.signed else 0.0,
        systematics=tuple(systematics),
    )


def _card_backgrounds(card: Card, edges: np.ndarray) -> list[Background]:
    out = []
    for c in _components(card):
        sigma, shape = background_sigma(card, c)
        out.append(Background(c.name, c.expectation(edges), sigma, shape))
    return out


def binned_likelihood(card: str | Card, name: str | Quantity) -> BinnedLikelihood:
    """Binned Poisson likelihood of ``card`` for quantity ``name`` (a name or a
    :class:`Quantity`) on the card's default bins."""
    card = resolve_card(card)
    q = _quantity(card, name)
    edges = card.bin_edges()
    tpl = experiment_templates(card, edges)
    params = _oscillation_params(card)
    bkgs, observed = _binned_fixed(card, edges, tpl)
    signal = q.signal(tpl, params)
    syst = card_systematics(card, edges, signal_of=lambda t: q.signal(t, params))
    if card.exposure_off is not None:
        signal, bkgs, syst, observed = _with_off_bins(card, edges, signal, bkgs, syst, observed)
    model = _model(q, signal, bkgs, syst)
    if observed is None:  # a projection: the background-only Asimov data set
        return BinnedLikelihood(model, np.zeros(model.size)).asimov(0.0)
    return BinnedLikelihood(model, observed)


def _binned_fixed(card: Card, edges: np.ndarray, tpl) -> tuple[list[Background], np.ndarray | None]:
    """(backgrounds, observed counts or None) of :func:`binned_likelihood`: the parts that do
    not depend on the quantity, built once per card content, bins and SM template (which
    carries the s_W² in force): a scan builds a likelihood at every mass."""
    key = cache.content_key("binned-fixed", card.content_hash, edges, tpl.sm)

    def build():
        bkgs = _card_backgrounds(card, edges) + sm_backgrounds(card, edges, tpl)
        return tuple(bkgs), (card.observed(edges) if card.has_data else None)

    bkgs, observed = cache.MEMORY.get(key, build)
    return list(bkgs), observed


def sm_backgrounds(card: Card, edges: np.ndarray, tpl) -> list[Background]:
    """nuem's SM neutrinos as likelihood backgrounds (none when the card's backgrounds hold
    them): one ``sm_nu``, or one ``sm_nu_<group>`` per ``backgrounds.sm_neutrino_groups``
    entry, each with its own normalisation constraint."""
    if card.background_includes_sm_solar_nu:
        return []
    if not card.sm_neutrino_groups:
        return [Background(SM_NU, tpl.sm, *sm_neutrino_sigma(card))]
    counts = sm_group_counts(card, edges)
    return [
        Background(f"{SM_NU}_{g['name']}", counts[f"{SM_NU}_{g['name']}"],
                   *sm_neutrino_sigma(card, g["uncertainty"]))  # fmt: skip
        for g in card.sm_neutrino_groups
    ]


def likelihood_bins(card: Card, per_bin: np.ndarray) -> np.ndarray:
    """Rows of reactor-neutrino templates (..., n_bins) laid on the likelihood's bins: the OFF
    bins of an ON/OFF card get zeros (no reactor neutrinos)."""
    per_bin = np.asarray(per_bin, dtype=np.float64)
    if card.exposure_off is None:
        return per_bin
    return np.concatenate([per_bin, np.zeros_like(per_bin)], axis=-1)


def _on_off(v, r: float) -> np.ndarray:
    a = np.asarray(getattr(v, "values", v), dtype=np.float64)
    return np.concatenate([a, r * a])


def _with_off_bins(card: Card, edges, signal, bkgs, syst, observed):
    """Reactor ON/OFF as one binned likelihood on [ON bins, OFF bins]: the card's backgrounds in
    both (OFF scaled by exposure_off/exposure, one normalisation each, so the OFF data constrain
    them), nuem's reactor neutrinos (signal, sm_nu) in the ON bins only."""
    r = card.exposure_off / card.exposure
    zero = np.zeros(edges.size - 1)
    reactor = {SM_NU}
    new_bkgs = [
        Background(
            b.name,
            np.concatenate(
                [b.template.values, zero if b.name in reactor else r * b.template.values]
            ),
            b.sigma,
            b.constraint,
        )
        for b in bkgs
    ]
    new_signal = [(p, np.concatenate([np.asarray(t), zero])) for p, t in signal]
    new_syst = []
    for s in syst:
        if isinstance(s, ShapeSystematic):
            eff = {}
            for k, pair in s.effects.items():
                if k == "signal":  # reactor neutrinos: nothing in the OFF bins
                    eff[k] = [tuple(_on_off(v, 0.0) for v in pp) for pp in pair]
                else:
                    eff[k] = tuple(_on_off(v, 0.0 if k == SM_NU else r) for v in pair)
            new_syst.append(ShapeSystematic(s.name, eff, s.interpolation, s.sigma))
        else:
            new_syst.append(s)
    if observed is None:  # a projection: no ON nor OFF counts
        return new_signal, new_bkgs, new_syst, None
    return new_signal, new_bkgs, new_syst, np.concatenate([observed, card.observed_off(edges)])


def unbinned_likelihood(card: str | Card, name: str | Quantity) -> UnbinnedLikelihood:
    """Extended unbinned likelihood of an event-list card for quantity ``name``."""
    card = resolve_card(card)
    if card.data_type != "events":
        raise NuemInputError(f"card {card.name!r} holds binned data; use binned_likelihood")
    q = _quantity(card, name)
    dens, tot = experiment_event_templates(card)
    params = _oscillation_params(card)
    sig_d = q.signal(dens, params)
    sig_t = q.signal(tot, params)
    signal = [
        (p, Template(d, float(np.sum(t)))) for (p, d), (_, t) in zip(sig_d, sig_t, strict=True)
    ]
    events = card.events()
    bkgs = []
    for c in _components(card):
        sigma, shape = background_sigma(card, c)
        total = float(c.expectation(card.window)[0])
        bkgs.append(Background(c.name, Template(c.density(events), total), sigma, shape))
    if card.sm_neutrino_groups:
        raise NuemInputError(f"card {card.name!r}: sm_neutrino_groups need binned data")
    if not card.background_includes_sm_solar_nu:
        sm = Template(dens.sm, float(np.sum(tot.sm)))
        bkgs.append(Background(SM_NU, sm, *sm_neutrino_sigma(card)))
    return UnbinnedLikelihood(_model(q, signal, bkgs, card_systematics(card, events=events)))


def card_likelihood(card: str | Card, name: str | Quantity, binned: bool | None = None):
    """The likelihood `nuem limits` uses: unbinned for event lists, else binned.

    ``binned=True`` forces the binned form (used for Asimov expected limits of event lists).
    """
    card = resolve_card(card)
    if binned is None:
        binned = card.data_type != "events"
    return binned_likelihood(card, name) if binned else unbinned_likelihood(card, name)


#: Parameter of interest of :func:`sm_strength_likelihood`: counts / nuem's SM prediction.
SM_STRENGTH = "sm_strength"


def sm_strength_likelihood(card: str | Card) -> BinnedLikelihood:
    """Binned likelihood whose POI is the strength of nuem's SM neutrino signal (x = 1: the SM).

    For a card whose backgrounds lack the SM neutrinos (``includes_sm_solar_nu: false``, e.g.
    CEvNS at a stopped-pion source): expected = x Templates.sm + the card's backgrounds, with
    the card's systematics: a normalisation acting on ``sm_nu`` is left out (the free strength
    absorbs it; it stays on the other samples it names), a detector-response shape on ``sm_nu``
    moves the SM template (samples ``signal``: nothing else to move here). The fitted x times
    ``Templates.sm.sum()`` is the fitted number of SM-like events (COHERENT: "fitted CEvNS
    counts").
    """
    card = resolve_card(card)
    if card.background_includes_sm_solar_nu:
        raise NuemInputError(
            f"card {card.name!r}: its backgrounds already contain the SM neutrinos; a free SM "
            "strength needs includes_sm_solar_nu: false"
        )
    if card.data_type != "bins" or card.exposure_off is not None:
        raise NuemInputError(f"card {card.name!r}: the SM strength fit needs binned ON data")
    edges = card.bin_edges()
    tpl = experiment_templates(card, edges)
    syst: list[NormSystematic | ShapeSystematic] = []
    for s in card_systematics(card, edges, signal_of=lambda t: [(1, t.sm)]):
        if isinstance(s, NormSystematic):
            rest = tuple(x for x in s.samples if x not in (SM_NU, "signal"))
            if rest:
                syst.append(NormSystematic(s.name, rest, s.sigma_rel, s.constraint))
            continue
        eff = dict(s.effects)
        if SM_NU in eff:
            eff["signal"] = [eff.pop(SM_NU)]
        else:
            eff.pop("signal", None)
        if eff:
            syst.append(ShapeSystematic(s.name, eff, s.interpolation, s.sigma))
    model = Model(
        signal=[(1, tpl.sm)],
        backgrounds=_card_backgrounds(card, edges),
        poi=SM_STRENGTH,
        poi_lower=0.0,
        systematics=tuple(syst),
    )
    return BinnedLikelihood(model, card.observed(edges))
