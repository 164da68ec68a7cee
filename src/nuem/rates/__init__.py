"""The rates engine (layer 3): source x cross section x detector -> expected counts as templates.

Expected counts per reconstructed-energy bin (or densities at event energies) are
exposure x targets x int dT_true int dE flux x dsigma/dT x efficiency x resolution, returned as
:class:`Templates` (the coefficient of each coupling power, DESIGN §2). Quick start::

    from nuem import units as u
    from nuem.rates import experiment_templates
    tpl = experiment_templates("xenonnt-sr0")        # B16-GS98, MSW, stepping, card response
    counts = tpl.expected(mu=1e-11 * u.mu_B)         # SM + magnetic moment, per bin
    dip = tpl.dipole([0.01, 0.1, 1.0])               # per (mu/mu_B)^2 for three N masses [MeV]

Modules: ``coefficients`` (channels as polynomials in 1/E), ``moments`` (cumulative flux
moments), ``response`` (detector, T quadrature, kernels), ``electron_recoils`` (the engine and the
direct reference path), ``templates``, ``experiment`` (cards, spectrum data), ``cache``.
See docs/rates.md.
"""

from nuem.rates.electron_recoils import ElectronRecoils, RecoilEngine
from nuem.rates.experiment import (
    SOLAR_KEY,
    experiment_engine,
    experiment_event_templates,
    experiment_templates,
    resolve_card,
    solar_source,
    spectrum_data,
)
from nuem.rates.moments import FluxMoments, MomentGrid, flux_moments, source_fingerprint
from nuem.rates.response import Detector, GridSpec, Quadrature
from nuem.rates.templates import Templates

__all__ = [
    "SOLAR_KEY",
    "Detector",
    "ElectronRecoils",
    "FluxMoments",
    "GridSpec",
    "MomentGrid",
    "Quadrature",
    "RecoilEngine",
    "Templates",
    "experiment_engine",
    "experiment_event_templates",
    "experiment_templates",
    "flux_moments",
    "resolve_card",
    "solar_source",
    "source_fingerprint",
    "spectrum_data",
]
