"""Cosmology of neutrino electromagnetic moments (layer 4): g*(T), the helicity-flip rate,
Delta N_eff from right-handed neutrinos (Dirac moment), and BBN and Delta N_eff at recombination
for the dipole portal.

Uses :mod:`nuem.astro.hnl` for the N lifetime (the one same-layer import, docs/layers.md).
"""
