"""Differential cross sections dsigma/dT on electrons and nuclei (layer 1).

Modules: ``kinematics`` (recoil ranges for any target and N mass), ``electron`` (free-electron
channels), ``atomic`` (binding models for electron targets), ``nuclear`` and ``form_factors``
(CEvNS, magnetic and dipole on nuclei), ``hypothesis`` (the EM hypothesis and totals),
``conventions`` (moment normalisations).

Cross sections are returned as area per recoil energy in the hepunits system; divide by
``cm2/keV`` to read cm^2/keV.
"""
