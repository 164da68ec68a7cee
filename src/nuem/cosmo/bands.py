"""Every bound of the portal plot as an :class:`nuem.astro.bands.ExcludedBand` vs N mass.

:func:`excluded_band` is the single entry: "red-giant", "sn1987a" (from :mod:`nuem.astro.bands`),
"bbn" (late N decays, excluded below the edge), "bbn-equilibrium" (N in equilibrium at BBN,
excluded above the edge), "neff" (Delta N_eff from nu_R of a Dirac moment; M_N -> 0 only) and
"neff-cmb" (Delta N_eff at recombination from the dipole-portal N and its decays, any M_N).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice, non_negative
from nuem.astro.bands import ASTRO_BOUNDS, ExcludedBand, astro_band, check_flavour
from nuem.cosmo import cmb, dipole, neff
from nuem.cosmo.thermo import SOURCE as GSTAR_SOURCE

COSMO_BOUNDS = ("bbn", "bbn-equilibrium", "neff", "neff-cmb")
BOUNDS = (*ASTRO_BOUNDS, *COSMO_BOUNDS)
#: masses below which the Dirac nu_R bound is quoted [MeV]
NEFF_MAX_MASS = 1e-6


def _bbn_assumptions(options: dict) -> dict:
    return {
        "model": "thermal relic from the moment (Gamma/H ~ T), docs/cosmo.md",
        "late_decay_criteria": "A: surviving rho_N < delta_neff_bbn x rho_nu1 between t_bbn "
        "and t_deuterium; C: eta dilution by the decay photons after D formation < eps_eta",
        "t_bbn_MeV": options.get("t_bbn", 1.0 * u.MeV),
        "t_deuterium_MeV": options.get("t_deuterium", 0.07 * u.MeV),
        "delta_neff_bbn": options.get("delta_neff_bbn", 0.5),
        "eps_eta": options.get("eps_eta", 0.05),
        "not_included": "photodisintegration (irrelevant for M < 4.45 MeV; for heavier N the "
        "thermal relic is already excluded by A), hadronic decays, CMB spectral distortions",
        "t_reheat_MeV": options.get("t_reheat", math.inf),
        "majorana": options.get("majorana", False),
        "g_star": GSTAR_SOURCE,
    }


def _cmb_assumptions(options: dict) -> dict:
    lo, hi = options.get("neff_range", cmb.PLANCK_RANGE)
    return {
        "model": "thermal relic from the moment (as for bbn), decaying N -> nu gamma (half the "
        "energy each), integrated in ln a with per-momentum time dilation; docs/cosmo.md",
        "criterion": "Delta N_eff at recombination outside the allowed range, or surviving N "
        "matter above matter_max x the measured c+b density",
        "delta_neff_range": [round(float(lo), 6), round(float(hi), 6)],
        "neff_measurement": "Planck 2018 TT,TE,EE+lowE+lensing+BAO, N_eff = 2.99 +0.34/-0.33 "
        "(95 %, arXiv:1807.06209 eq. 66), N_eff^SM = 3.044",
        "matter_max": options.get("matter_max", 1.0),
        "t_nu_dec_MeV": cmb.T_NU_DEC,
        "t_rec_MeV": cmb.T_REC,
        "not_included": "partial nu decoupling (sharp at t_nu_dec), CMB spectral distortions, "
        "inverse decays after nu decoupling (valid below the bbn-equilibrium edge)",
        "t_reheat_MeV": options.get("t_reheat", math.inf),
        "majorana": options.get("majorana", False),
        "g_star": GSTAR_SOURCE,
    }


def excluded_band(bound: str, M: ArrayLike, flavour: str = "e", **options) -> ExcludedBand:
    """Band of ``bound`` (one of :data:`BOUNDS`) at masses ``M`` [MeV]; ``options`` go to the
    bound's function (:func:`nuem.astro.bands.astro_band`, :func:`nuem.cosmo.dipole.bbn_bands`,
    :func:`nuem.cosmo.neff.neff_bound`, :func:`nuem.cosmo.cmb.cmb_band`)."""
    bound = choice("bound", bound, BOUNDS)
    if bound in ASTRO_BOUNDS:
        return astro_band(bound, M, flavour, **options)
    flavour = check_flavour(flavour)
    M = np.atleast_1d(non_negative("M", M, "MeV"))
    nan = np.full(M.shape, np.nan)
    if bound == "neff":
        mu = neff.neff_bound(**options) / u.mu_B
        lower = np.where(M <= NEFF_MAX_MASS, mu if math.isfinite(mu) else np.nan, np.nan)
        return ExcludedBand(
            "neff", "any", M, lower, nan, 0.95,
            {
                "moment": "Dirac, flavour-universal diagonal (n_flavours nu_R)",
                "delta_neff_max": options.get("delta_neff_max", neff.DELTA_NEFF_PLANCK),
                "n_flavours": options.get("n_flavours", 3),
                "t_reheat_MeV": options.get("t_reheat", math.inf),
                "decoupling": "instantaneous at Gamma_flip = H (leading-log flip rate)",
                "g_star": GSTAR_SOURCE,
                "valid_for": f"M_N <= {NEFF_MAX_MASS} MeV (massless nu_R)",
            },
        )
    if bound == "neff-cmb":
        b = cmb.cmb_band(M, **options)
        further = [{"mass_MeV": float(m), "ranges_muB": [list(r) for r in rr]}
                   for m, rr in zip(M, b.further, strict=True) if rr]
        return ExcludedBand("neff-cmb", flavour, M, b.lower_muB, b.upper_muB, 0.95,
                            {**_cmb_assumptions(options), "further_excluded": further})
    b = dipole.bbn_bands(M, **options)
    if bound == "bbn":
        return ExcludedBand("bbn", flavour, M, b.late_lower_muB, b.late_upper_muB, None,
                            _bbn_assumptions(options))
    return ExcludedBand("bbn-equilibrium", flavour, M, b.equilibrium_lower_muB, nan, None,
                        _bbn_assumptions(options))
