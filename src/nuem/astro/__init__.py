"""Astrophysics of neutrino electromagnetic properties (layer 4): HNL decays, stellar cooling."""
