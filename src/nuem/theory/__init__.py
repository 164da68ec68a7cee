"""nuem.theory (layer 1): mixing, masses, the moment matrix, effective moments and predictions.

- :mod:`~nuem.theory.pmns`: PMNS matrix from NuFIT with Dirac and Majorana phases.
- :mod:`~nuem.theory.masses`: mass spectra from the lightest mass.
- :mod:`~nuem.theory.moments`: :class:`MomentMatrix` (mu, eps in mu_B) and basis changes.
- :mod:`~nuem.theory.effective`: effective moments for reactor, solar and accelerator sources.
- :mod:`~nuem.theory.predictions`: SM moments and charge radii, naturalness, mass-moment relation.
- :mod:`~nuem.theory.models`: SU(2)_H, left-right, leptoquark and RPV-SUSY formulas.
- :mod:`~nuem.theory.loops`: one-loop scalar-fermion dipole functions (g-2, neutrino moments).
- :mod:`~nuem.theory.scalar_pair`: one fermion and two mixed scalars: transition moment and mass.
- :mod:`~nuem.theory.leptoquark`: S1 + R2~ leptoquarks: mu_nu, the Majorana mass, Delta a_mu.
- :mod:`~nuem.theory.zee`: Zee model: moment, Zee mass, the spin-symmetry estimate.
- :mod:`~nuem.theory.zee_g2`: Delta a_mu of the Zee model (the same Yukawas).
- :mod:`~nuem.theory.muon_g2`: dated Delta a_mu references (2021, 2025).
- :mod:`~nuem.theory.spin_flavour`: solar spin-flavour precession and mu*B bounds.
"""

from nuem.theory.effective import (
    accelerator_effective_moment,
    flavour_basis_approximation,
    flavour_effective_moment,
    reactor_effective_moment,
    solar_effective_moment,
    vacuum_mass_fractions,
)
from nuem.theory.hypothesis import Hypothesis, moment_state_weights, portal_state_weights
from nuem.theory.leptoquark import (
    LeptoquarkPrediction,
    coupling_matrix,
    leptoquark_delta_a_mu,
    leptoquark_g2_scan,
    leptoquark_majorana_mass,
    leptoquark_predictions,
    leptoquark_transition_moments,
    voloshin_suppression,
    y_R_for_delta_a_mu,
)
from nuem.theory.masses import mass_spectrum, sum_of_masses
from nuem.theory.models import (
    left_right_moment,
    leptoquark_moment,
    rpv_susy_moment,
    rpv_susy_scale,
    su2h_transition_moment,
)
from nuem.theory.moments import MomentMatrix, flavour_to_mass, mass_to_flavour
from nuem.theory.muon_g2 import (
    DEFAULT_MUON_G2,
    MUON_G2_REFERENCES,
    MuonG2Reference,
    muon_g2_reference,
)
from nuem.theory.pmns import FLAVOURS, majorana_phase_matrix, pmns_from_angles, pmns_matrix
from nuem.theory.predictions import (
    SM_DIRAC_MU_B_PER_EV,
    mass_from_moment,
    moment_from_mass,
    naturalness_dirac_bound,
    naturalness_majorana_bound,
    sm_charge_radius,
    sm_dirac_diagonal_moment,
    sm_dirac_moments,
    sm_majorana_moments,
)
from nuem.theory.spin_flavour import (
    SOLAR_ANTINEUTRINO_LIMITS,
    mu_B_bound,
    mu_B_bound_from,
    mu_bound,
    sfp_probability,
)
from nuem.theory.zee import (
    ZeePrediction,
    spin_symmetry_mass,
    spin_symmetry_max_moment,
    zee_f_matrix,
    zee_majorana_mass,
    zee_predictions,
    zee_transition_moments,
)
from nuem.theory.zee_g2 import zee_delta_a_mu

__all__ = [
    "DEFAULT_MUON_G2",
    "FLAVOURS",
    "MUON_G2_REFERENCES",
    "LeptoquarkPrediction",
    "MuonG2Reference",
    "coupling_matrix",
    "leptoquark_delta_a_mu",
    "leptoquark_g2_scan",
    "leptoquark_majorana_mass",
    "leptoquark_predictions",
    "leptoquark_transition_moments",
    "muon_g2_reference",
    "voloshin_suppression",
    "y_R_for_delta_a_mu",
    "ZeePrediction",
    "spin_symmetry_mass",
    "spin_symmetry_max_moment",
    "zee_f_matrix",
    "zee_majorana_mass",
    "zee_predictions",
    "zee_transition_moments",
    "zee_delta_a_mu",
    "SM_DIRAC_MU_B_PER_EV",
    "SOLAR_ANTINEUTRINO_LIMITS",
    "Hypothesis",
    "MomentMatrix",
    "moment_state_weights",
    "portal_state_weights",
    "accelerator_effective_moment",
    "flavour_basis_approximation",
    "flavour_effective_moment",
    "flavour_to_mass",
    "left_right_moment",
    "leptoquark_moment",
    "majorana_phase_matrix",
    "mass_from_moment",
    "mass_spectrum",
    "mass_to_flavour",
    "moment_from_mass",
    "mu_B_bound",
    "mu_B_bound_from",
    "mu_bound",
    "naturalness_dirac_bound",
    "naturalness_majorana_bound",
    "pmns_from_angles",
    "pmns_matrix",
    "reactor_effective_moment",
    "rpv_susy_moment",
    "rpv_susy_scale",
    "sfp_probability",
    "sm_charge_radius",
    "sm_dirac_diagonal_moment",
    "sm_dirac_moments",
    "sm_majorana_moments",
    "solar_effective_moment",
    "su2h_transition_moment",
    "sum_of_masses",
    "vacuum_mass_fractions",
]
