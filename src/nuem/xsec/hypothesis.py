"""The electromagnetic hypothesis seen by the cross sections: :class:`nuem.theory.Hypothesis`.

There is one hypothesis type (:mod:`nuem.theory.hypothesis`); ``EMHypothesis`` is its name in
the cross-section layer. A cross section is evaluated for one scattering flavour, so it reads
``mu`` and ``M`` (the moment of the scattering state and the N mass), ``q_of(flavour)`` and
``r2_of(flavour)``; nuclear channels, which do not know the flavour, need ``uniform("q")``.

Templates (DESIGN §2) are coefficients of the *reference-unit* couplings listed in
:data:`COUPLING_UNITS`: per (mu/mu_B)^2, per (q/e) and (q/e)^2, per (r2/cm^2) and (r2/cm^2)^2.
"""

from nuem.theory.hypothesis import COUPLING_UNITS, Hypothesis

#: The hypothesis type under its cross-section-layer name.
EMHypothesis = Hypothesis

__all__ = ["COUPLING_UNITS", "EMHypothesis", "Hypothesis"]
