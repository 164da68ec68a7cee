"""The (M_N, μ) plane of the dipole portal (layer 5): limit curves per card and flavour.

``scan()`` (:mod:`nuem.scan.portal`) runs the `nuem limits` statistics at every mass of a log
grid on any executor, with an atomic on-disk cache; :class:`LimitCurve` holds one curve and
writes JSON, CSV and HEPData; :mod:`nuem.scan.grid` gives mass grids and each card's kinematic
reach. See docs/portal.md.
"""

from nuem.scan.curve import LimitCurve
from nuem.scan.grid import card_reach, log_grid, parse_masses, sensitive_masses
from nuem.scan.portal import portal_cards, scan

__all__ = [
    "LimitCurve",
    "card_reach",
    "log_grid",
    "parse_masses",
    "portal_cards",
    "scan",
    "sensitive_masses",
]
