"""nuem: phenomenology of neutrino electromagnetic properties.

Layers (see docs/DESIGN.md): units/constants (0); theory, xsec, sources (1);
detectors, experiments (2); rates (3); stats, astro, cosmo (4); limits, scan (5); plot, cli (6).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
