"""Detector response (layer 2): targets, efficiency, resolution, quenching, binning.

Modules:

- ``targets``: electrons and nuclei per tonne of a target from its composition
  (isotopes from :mod:`nuem.xsec.nuclei`); defines ``tonne``.
- ``efficiency``: tabulated efficiency curves, validated 0 <= eps <= 1, interpolated.
- ``resolution``: Gaussian sigma(E) parametrisations and the bin-integrated response matrix
  (true energy -> reconstructed bins, via erf).
- ``quenching``: Lindhard quenching Q(E_nr), its derivative and inverse (keVnr <-> keVee), and a
  card's own polynomial fit E_ee(E_nr) (``PolynomialQuenching``).
- ``smearing``: detected energy -> reconstructed variable: Gaussian, Poisson photoelectrons,
  tabulated response matrix, none (``SMEARINGS``).
- ``binning``: bin edges, the ``"1:30:1"`` parser, centres and widths.

All energies are hepunits floats (MeV = 1): write ``10*keV``, read ``E/keV``.
"""

from nuem.detectors.binning import bin_centres, bin_widths, check_edges, parse_bins
from nuem.detectors.efficiency import ConstantEfficiency, TabulatedEfficiency
from nuem.detectors.quenching import Lindhard, PolynomialQuenching, lindhard_k
from nuem.detectors.resolution import (
    ConstantSigma,
    PolynomialSigma,
    QuadratureSigma,
    SqrtLinearSigma,
    make_resolution,
    response_density,
    response_matrix,
)
from nuem.detectors.smearing import (
    SMEARINGS,
    GammaPhotoelectronSmearing,
    GaussianSmearing,
    MatrixSmearing,
    NoSmearing,
    PhotoelectronSmearing,
)
from nuem.detectors.targets import Target, electrons_per_tonne, nuclei_per_tonne, target, tonne

__all__ = [
    "SMEARINGS",
    "ConstantEfficiency",
    "ConstantSigma",
    "GaussianSmearing",
    "Lindhard",
    "MatrixSmearing",
    "NoSmearing",
    "GammaPhotoelectronSmearing",
    "PhotoelectronSmearing",
    "PolynomialQuenching",
    "PolynomialSigma",
    "QuadratureSigma",
    "SqrtLinearSigma",
    "TabulatedEfficiency",
    "Target",
    "bin_centres",
    "bin_widths",
    "check_edges",
    "electrons_per_tonne",
    "lindhard_k",
    "make_resolution",
    "nuclei_per_tonne",
    "parse_bins",
    "response_density",
    "response_matrix",
    "target",
    "tonne",
]
