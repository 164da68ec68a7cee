"""Regions of the portal plot: :class:`PortalBand` and the computed stellar/cosmological ones.

:func:`computed_regions` turns the bands of :func:`nuem.cosmo.bands.excluded_band` (the one
entry for red giants, SN1987A, BBN and N_eff; docs/astro.md, docs/cosmo.md) into PortalBands
labelled "computed" with their CL (or "criterion" where the bound is an energy-loss or
abundance criterion without a CL) and their main assumption. Which bounds apply per flavour:

- red giants (plasmon decay γ* → ν N, flavour-blind), SN1987A (one flavour's thermal ν
  upscattering; ``eff``: computed as for one flavour, see docs/portal.md), BBN late decays and
  BBN equilibrium and ΔN_eff at recombination (the N abundance and lifetime): every flavour;
- ΔN_eff (Dirac moment, light ν_R, valid for M_N ≤ 1 eV only): a marker at the plot's left
  edge, n_flavours = 1 for e, mu, tau (one ν_R from ν_α) and 3 for ``eff``.

Masses: a log grid over the plot's range, refined where a band starts or stops (so a wedge
closes and the red-giant edge falls off on the plot, not between two grid points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["COMPUTED_BOUNDS", "PortalBand", "computed_regions", "from_excluded_band"]

#: bound of :func:`nuem.cosmo.bands.excluded_band` -> (catalogue key it replaces, category)
COMPUTED_BOUNDS = {
    "red-giant": ("red_giant", "astrophysics"),
    "sn1987a": ("sn", "astrophysics"),
    "bbn": ("bbn", "cosmology"),
    "bbn-equilibrium": ("bbn", "cosmology"),
    "neff": ("neff", "cosmology"),
    "neff-cmb": ("neff_cmb", "cosmology"),
}
_TITLES = {
    "red-giant": "Red giants",
    "sn1987a": "SN1987A",
    "bbn": "BBN: late N decays",
    "bbn-equilibrium": "BBN: N in equilibrium",
    "neff": "ΔN_eff (Dirac ν_R, M_N → 0)",
    "neff-cmb": "ΔN_eff at recombination: N → νγ",
}


@dataclass(frozen=True)
class PortalBand:
    """A region (``lower``..``upper`` per mass [μ_B vs MeV]; ``upper`` None: everything above
    ``lower`` is excluded; NaN: nothing excluded at that mass), a projected limit (``upper``
    None, ``kind="projection"``) or a bound quoted at M_N → 0 only (``kind="point"``: drawn at
    the plot's left edge). ``key`` ("sn", "bbn", ...) lets a computed region replace the
    digitised one; ``note``: the main assumption (second legend line); ``cl`` None with
    ``computed``: a criterion, not a CL."""

    label: str
    masses_MeV: Sequence[float]
    lower: Sequence[float]
    upper: Sequence[float] | None = None
    cl: float | None = None
    kind: str = "region"
    category: str = "astrophysics"
    computed: bool = True
    key: str | None = None
    note: str = ""
    bound: str | None = None


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sci(x: float) -> str:
    """1e+19 -> "10¹⁹", 2.5e-12 -> "2.5×10⁻¹²"."""
    mant, exp = f"{x:.2g}".split("e") if "e" in f"{x:.2g}" else (f"{x:.2g}", "0")
    if exp == "0":
        return mant
    power = "10" + str(int(exp)).translate(_SUPERSCRIPT)
    return power if mant == "1" else f"{mant}×{power}"


def _note(band) -> str:
    a = band.assumptions
    if band.bound == "red-giant":
        src = a["source"]
        who = src.split(",")[0] + (" 2020" if "2020" in src else " 2013" if "2013" in src else "")
        where = src[src.rfind("(") + 1 : -1] if src.endswith(")") else ""
        return (f"{who} ({where}) μ₀ = {_sci(a['published_bound_muB'])} μ_B, "
                "× plasmon-decay rate ratio")  # fmt: skip
    if band.bound == "sn1987a":
        if a.get("luminosity_crit_erg_s") is not None:
            crit = f"L_N < {_sci(a['luminosity_crit_erg_s'])} erg/s"
        else:
            crit = f"L_N < {_sci(a['eps_crit_erg_g_s'])} erg g⁻¹ s⁻¹ × M_core"
        core = (f"core T = {a['core_T_MeV']:g} MeV, R = {a['core_radius_km']:g} km"
                f" + envelope to {a['outer_radius_km']:g} km")
        return f"{crit}; {core}"
    if band.bound == "bbn":
        return (f"ρ_N < {a['delta_neff_bbn']:g} ρ_ν during BBN; "
                f"Δη/η < {a['eps_eta']:g} after D formation")
    if band.bound == "bbn-equilibrium":
        return f"ΔN_eff(T = {a['t_bbn_MeV']:g} MeV) < {a['delta_neff_bbn']:g}"
    if band.bound == "neff-cmb":
        lo, hi = a["delta_neff_range"]
        return f"{lo:+.2f} < ΔN_eff(CMB) < {hi:+.2f} (Planck 2018); ρ_N,matter < ρ_c+b"
    return f"ΔN_eff < {a['delta_neff_max']:g}, {a['n_flavours']} ν_R"


def from_excluded_band(band) -> PortalBand:
    """The :class:`PortalBand` of a :class:`nuem.astro.bands.ExcludedBand` (μ_B vs MeV)."""
    key, category = COMPUTED_BOUNDS[band.bound]
    lower = np.asarray(band.excluded_from_muB, dtype=float)
    upper = np.asarray(band.excluded_to_muB, dtype=float)
    closed = bool(np.isfinite(upper).any())
    return PortalBand(
        label=f"{_TITLES[band.bound]} (computed)",
        masses_MeV=[float(m) for m in band.mass_MeV],
        lower=lower.tolist(),
        upper=upper.tolist() if closed else None,
        cl=band.cl,
        kind="point" if band.bound == "neff" else "region",
        category=category,
        computed=True,
        key=key,
        note=_note(band),
        bound=band.bound,
    )


def _refined(bound: str, masses: np.ndarray, flavour: str, options: dict):
    """The band on ``masses`` [MeV] plus 6 masses inside each interval where it starts/stops."""
    from nuem.cosmo.bands import excluded_band

    b = excluded_band(bound, masses, flavour, **options)
    on = np.isfinite(b.excluded_from_muB)
    edges = np.flatnonzero(on[1:] != on[:-1])
    if edges.size == 0:
        return b
    extra = np.concatenate(
        [np.geomspace(masses[i], masses[i + 1], 8)[1:-1] for i in edges]
    )
    e = excluded_band(bound, extra, flavour, **options)
    order = np.argsort(np.concatenate([b.mass_MeV, e.mass_MeV]))

    def merged(x, y):
        return np.concatenate([x, y])[order]

    return type(b)(
        b.bound, b.flavour, merged(b.mass_MeV, e.mass_MeV),
        merged(b.excluded_from_muB, e.excluded_from_muB),
        merged(b.excluded_to_muB, e.excluded_to_muB), b.cl, b.assumptions,
    )  # fmt: skip


@lru_cache(maxsize=16)
def _default_regions(flavour: str, lo: float, hi: float, n: int) -> tuple[PortalBand, ...]:
    return tuple(_compute(flavour, lo, hi, n, tuple(COMPUTED_BOUNDS), {}))


def _compute(flavour, lo, hi, n, bounds, options) -> list[PortalBand]:
    from nuem.cosmo.bands import excluded_band

    masses = np.geomspace(lo, hi, n)
    label_flavour = "any" if flavour == "eff" else flavour
    out = []
    for bound in bounds:
        opts = dict(options.get(bound, {}))
        if bound == "neff":
            opts.setdefault("n_flavours", 3 if flavour == "eff" else 1)
            out.append(from_excluded_band(excluded_band("neff", [0.0], label_flavour, **opts)))
            continue
        out.append(from_excluded_band(_refined(bound, masses, label_flavour, opts)))
    return out


def computed_regions(
    flavour: str,
    xlim: tuple[float, float] = (1e-3, 1e3),
    n_masses: int = 25,
    bounds: Sequence[str] | None = None,
    options: dict[str, dict] | None = None,
) -> list[PortalBand]:
    """The computed stellar and cosmological regions of ``flavour`` (e, mu, tau, eff) on
    ``n_masses`` log-spaced N masses over ``xlim`` [MeV] (refined at the bands' ends).

    ``bounds``: a subset of :data:`COMPUTED_BOUNDS` (default all); ``options``: per bound, the
    keyword arguments of :func:`nuem.cosmo.bands.excluded_band` (e.g. ``{"bbn": {"majorana":
    True}, "red-giant": {"published": "viaux-2013"}}``). Default settings are cached.
    """
    from nuem._validate import choice
    from nuem.limits.portal import PORTAL_FLAVOURS

    flavour = choice("flavour", flavour, PORTAL_FLAVOURS)
    for b in bounds or ():
        choice("bound", b, tuple(COMPUTED_BOUNDS))
    lo, hi = float(xlim[0]), float(xlim[1])
    if bounds is None and not options:
        return list(_default_regions(flavour, lo, hi, int(n_masses)))
    return _compute(flavour, lo, hi, int(n_masses), tuple(bounds or COMPUTED_BOUNDS), options or {})
