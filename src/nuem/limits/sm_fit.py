"""The Standard-Model fit of a card: background-only (no EM signal) fit of the observed spectrum.

For a card whose SM neutrinos are split into ``backgrounds.sm_neutrino_groups`` (Borexino:
pp, 7Be, pep, CNO, 8B), the fitted normalisation theta_g of each group times nuem's SM interaction
rate of that group (:func:`nuem.rates.experiment.interaction_rates`: all recoils, no threshold, per
day and 100 t) is the measured interaction rate in cpd/100t, the number solar-neutrino
spectroscopy quotes. ``release`` frees the named groups' constraints (e.g. the pp constraint of a
magnetic-moment analysis, free in the SM spectroscopy of arXiv:1707.09279).

Goodness of fit: the Poisson deviance D = 2 sum_i [nu_i - n_i + n_i ln(n_i / nu_i)] at the best
fit (Baker & Cousins, NIM 221 (1984) 437), asymptotically chi^2 with n_bins - n_free degrees of
freedom.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from nuem.errors import NuemInputError
from nuem.experiments import Card
from nuem.limits.build import SM_NU, binned_likelihood
from nuem.rates.experiment import interaction_rates, resolve_card
from nuem.stats import profile

__all__ = ["SMFit", "sm_fit", "poisson_deviance"]


def poisson_deviance(observed: np.ndarray, expected: np.ndarray) -> float:
    """Baker-Cousins Poisson deviance 2 sum [nu - n + n ln(n/nu)] (dimensionless)."""
    n = np.asarray(observed, dtype=np.float64)
    nu = np.asarray(expected, dtype=np.float64)
    if np.any(nu <= 0):
        raise NuemInputError("expected counts must be > 0 in every bin for the deviance")
    return float(2.0 * np.sum(nu - n + xlogy(n, n) - xlogy(n, nu)))


@dataclass(frozen=True)
class SMFit:
    """Result of :func:`sm_fit`: normalisations ``thetas`` {parameter: value}, group rates
    ``rates_cpd_100t`` {group: fitted rate}, nuem's nominal ``nominal_cpd_100t``, the deviance
    ``chi2``, ``ndf``, the fitted ``expected`` counts per bin, each background's fitted counts
    ``components`` {name: counts} and the bin ``edges`` (the card's reconstructed variable)."""

    thetas: dict
    rates_cpd_100t: dict
    nominal_cpd_100t: dict
    chi2: float
    ndf: int
    expected: np.ndarray
    observed: np.ndarray
    components: dict
    edges: np.ndarray


def _released(card: Card, release) -> Card:
    raw = copy.deepcopy(card.raw)
    names = [g["name"] for g in raw["backgrounds"].get("sm_neutrino_groups") or []]
    for r in release:
        if r not in names:
            raise NuemInputError(f"release: {r!r} is not an SM group of {card.name!r} ({names})")
    for g in raw["backgrounds"]["sm_neutrino_groups"]:
        if g["name"] in release:
            g["uncertainty"] = {"type": "free", "source": "released by sm_fit"}
    return Card(raw, card.path)


def sm_fit(card: str | Card, release: tuple[str, ...] = ()) -> SMFit:
    """Background-only fit of ``card`` (module docstring); ``release``: SM groups made free."""
    card = resolve_card(card)
    if not card.sm_neutrino_groups:
        raise NuemInputError(f"card {card.name!r} has no backgrounds.sm_neutrino_groups")
    if release:
        card = _released(card, tuple(release))
    lik = binned_likelihood(card, "mu_eff")
    res = profile(lik, 0.0)
    names = [n.name for n in lik.nuisances]
    thetas = dict(zip(names, (float(t) for t in res.thetas), strict=True))
    nominal = interaction_rates(card)
    rates = {g: nominal[g] * thetas.get(f"{SM_NU}_{g}", 1.0) for g in nominal}
    nu = np.asarray(lik.model.expected(0.0, res.thetas), dtype=np.float64)
    n_free = sum(1 for n in lik.nuisances if n.sigma is None or n.sigma > 0)
    n_obs = np.asarray(lik.counts)
    chi2 = poisson_deviance(n_obs, nu)
    per = lik.model.background_values(0.0, res.thetas)  # normalisations and shapes applied
    comps = {b.name: per[i] for i, b in enumerate(lik.model.backgrounds)}
    edges = card.bin_edges() / card.variable_unit
    return SMFit(thetas, rates, nominal, chi2, int(n_obs.size - n_free), nu, n_obs, comps, edges)
