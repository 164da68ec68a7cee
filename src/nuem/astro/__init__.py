"""Astrophysics of neutrino electromagnetic properties (layer 4).

HNL decays N -> nu gamma (:mod:`.hnl`); the e+- plasma and plasmon dispersion (:mod:`.plasma`);
plasmon decay and stellar energy loss (:mod:`.plasmon`); the red-giant bound vs M_N
(:mod:`.red_giant`); the SN1987A wedge (:mod:`.supernova`, :mod:`.electron_upscattering`);
excluded bands for the portal plot (:mod:`.bands`). See docs/astro.md.
"""
