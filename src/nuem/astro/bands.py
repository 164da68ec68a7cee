"""Excluded bands in (M_N, mu) for the portal plot: one :class:`ExcludedBand` per bound.

:func:`astro_band` computes the stellar ones ("red-giant", "sn1987a"); the cosmological ones
live in :mod:`nuem.cosmo.bands`, whose :func:`nuem.cosmo.bands.excluded_band` is the single entry
for every bound (cosmo may import astro, not the reverse).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice, non_negative
from nuem.astro import red_giant as rg
from nuem.astro import supernova as sn
from nuem.mixing import FLAVOURS

ASTRO_BOUNDS = ("red-giant", "sn1987a")
_M_SUN = 1.98841e33 * u.g  # IAU 2015 nominal solar mass (GM_sun / G)


@dataclass(frozen=True)
class ExcludedBand:
    """Excluded moments at each mass: excluded_from_muB <= mu <= excluded_to_muB [mu_B].

    NaN in ``excluded_from_muB``: nothing excluded at that mass; NaN in ``excluded_to_muB``: the
    band is open upwards. ``cl``: confidence level of the published input, None for a criterion.
    """

    bound: str
    flavour: str
    mass_MeV: np.ndarray
    excluded_from_muB: np.ndarray
    excluded_to_muB: np.ndarray
    cl: float | None
    assumptions: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """JSON-ready dict (NaN -> None)."""

        def clean(a):
            return [None if not math.isfinite(x) else float(x) for x in np.asarray(a, float)]

        return {
            "bound": self.bound,
            "flavour": self.flavour,
            "mass_MeV": [float(m) for m in self.mass_MeV],
            "excluded_from_muB": clean(self.excluded_from_muB),
            "excluded_to_muB": clean(self.excluded_to_muB),
            "cl": self.cl,
            "assumptions": _finite_or_none(self.assumptions),
        }


def _finite_or_none(x):
    """Replace non-finite floats (inf, NaN) by None, recursively, so that JSON stays valid."""
    if isinstance(x, dict):
        return {k: _finite_or_none(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite_or_none(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def check_flavour(flavour: str) -> str:
    """A flavour label (e, mu, tau) or "any"."""
    return choice("flavour", flavour, (*FLAVOURS, "any"))


def red_giant_band(
    M: ArrayLike, published: str = "capozzi-raffelt-2020", medium_mass: ArrayLike | None = None,
    plasma=None,
) -> ExcludedBand:
    """Red-giant band vs M [MeV] (flavour-blind plasmon decay; see :mod:`nuem.astro.red_giant`)."""
    M = np.atleast_1d(non_negative("M", M, "MeV"))
    plasma = plasma or rg.core_plasma()
    b = rg.red_giant_bound(M, published, plasma, medium_mass) / u.mu_B
    ref = rg.PUBLISHED[published]
    return ExcludedBand(
        "red-giant", "any", M, np.where(np.isfinite(b), b, np.nan), np.full(M.shape, np.nan),
        ref.cl,
        {
            "published_bound_muB": ref.mu_muB, "source": ref.source,
            "scaling": "mu_0/sqrt(Q_mu(M)/Q_mu(0)), plasmon decay gamma* -> nu N only",
            "core": {"density_g_cm3": plasma.density / (u.g / u.cm3),
                     "temperature_keV": plasma.temperature / u.keV, "Y_e": plasma.y_e,
                     "omega_P_keV": plasma.omega_p / u.keV},
            "medium_mass_MeV": None if medium_mass is None else np.atleast_1d(
                np.asarray(medium_mass, float)).tolist(),
        },
    )


def sn1987a_band(
    M: ArrayLike, flavour: str = "e", core: sn.CoreProfile | None = None, **options
) -> ExcludedBand:
    """SN1987A wedge vs M [MeV]; ``options`` go to :func:`nuem.astro.supernova.sn1987a_wedge`."""
    flavour = check_flavour(flavour)
    core = (core or sn.CoreProfile.one_zone()).with_mu_nu(options.pop("mu_nu", None))
    w = sn.sn1987a_wedge(M, core, **options)
    core_shells = core.radius <= core.core_radius * (1 + 1e-9)
    return ExcludedBand(
        "sn1987a", flavour, w.mass_MeV, w.lower_muB, w.upper_muB, None,
        {
            "criterion": "escaping N luminosity < eps_crit x core mass (Raffelt), eps_crit = "
            f"{options.get('eps_crit', sn.EPS_CRIT) / (u.erg / u.g / u.s):.3g} erg/g/s"
            if options.get("luminosity_crit") is None else
            f"escaping N luminosity < {options['luminosity_crit'] / (u.erg / u.s):.3g} erg/s",
            "eps_crit_erg_g_s": None if options.get("luminosity_crit") is not None
            else options.get("eps_crit", sn.EPS_CRIT) / (u.erg / u.g / u.s),
            "luminosity_crit_erg_s": None if options.get("luminosity_crit") is None
            else options["luminosity_crit"] / (u.erg / u.s),
            "escape": "transfer integral: emission x <exp(-tau)> over directions to the outer "
            "radius, absorption from detailed balance (N-sphere black body when trapped), "
            "decays inside count as deposited",
            "core_shells": int(core_shells.sum()),
            "shells": int(core.radius.size),
            "core_T_MeV": float(core.temperature[core_shells].max()),
            "core_density_g_cm3": float(core.density[core_shells].max() / (u.g / u.cm3)),
            "core_radius_km": core.core_radius / u.km,
            "core_mass_Msun": core.mass / _M_SUN,
            "outer_radius_km": float(core.radius[-1] / u.km),
            "mu_nu_max_MeV": float(np.abs(core.mu_nu).max()),
            "channels": list(options.get("channels", sn.CHANNELS)),
            "screening": bool(options.get("screening", True)),
            "not_included": "nucleon magnetic moments (neutrons) and degeneracy, "
            "gravitational trapping and redshift",
        },
    )


def astro_band(bound: str, M: ArrayLike, flavour: str = "e", **options) -> ExcludedBand:
    """The band of a stellar bound ("red-giant" or "sn1987a") vs M [MeV]."""
    bound = choice("bound", bound, ASTRO_BOUNDS)
    if bound == "red-giant":
        return red_giant_band(M, **options)
    return sn1987a_band(M, flavour, **options)
