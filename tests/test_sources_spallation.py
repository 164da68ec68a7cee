"""Spallation (pi+ DAR) source: prompt line, Michel spectra against analytic moments, timing.

Analytic moments (x = E/m_mu on [0, 1/2]), derived by hand:
  nubar_mu, f = 64 x^2 (3/4 - x):  int f = 64 (1/32 - 1/64) = 1;
      <x> = 64 (3/4 * 1/64 - 1/5 * 1/32) = 7/20;  <x^2> = 64 (3/4 * 1/160 - 1/6 * 1/64) = 2/15.
  nu_e,     f = 192 x^2 (1/2 - x): int f = 192 (1/48 - 1/64) = 1;
      <x> = 192 (1/2 * 1/64 - 1/5 * 1/32) = 3/10; <x^2> = 192 (1/2 * 1/160 - 1/6 * 1/64) = 1/10.
Prompt line: two-body decay at rest, E_nu = p_mu with E_mu + E_nu = m_pi, E_mu^2 = p^2 + m_mu^2;
PDG masses give 29.79 MeV. Timing: exponential-decay chain moments, <t> = t0 + tau_pi (prompt),
t0 + tau_pi + tau_mu (delayed), independent of the Gaussian width.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nuem import constants as c
from nuem import units as u
from nuem.errors import NuemInputError
from nuem.sources import spallation as sp
from nuem.sources.spallation import SpallationSource

M_MU = c.m_mu.value


def test_prompt_line_energy():
    e = sp.pion_decay_line_energy()
    assert e / u.MeV == pytest.approx(29.79, abs=0.005)
    e_mu = math.sqrt(e**2 + M_MU**2)  # muon recoils with p = E_nu
    assert e_mu + e == pytest.approx(c.m_pi_plus.value, rel=1e-12)


@pytest.mark.parametrize(
    ("f", "mean", "second"), [(sp.michel_numubar, 7 / 20, 2 / 15), (sp.michel_nue, 3 / 10, 1 / 10)]
)
def test_michel_spectra_moments(f, mean, second):
    end = M_MU / 2

    def g(x, n):
        return float(f(x)) * (x / M_MU) ** n

    assert quad(g, 0, end, args=(0,))[0] == pytest.approx(1.0, rel=1e-10)
    assert quad(g, 0, end, args=(1,))[0] == pytest.approx(mean, rel=1e-10)
    assert quad(g, 0, end, args=(2,))[0] == pytest.approx(second, rel=1e-10)
    assert np.all(f([end * 1.0001, 100.0]) == 0.0)


def test_source_components_and_flux():
    src = SpallationSource(0.08, 5e15 / u.s, 20.0 * u.m)
    phi = 0.08 * 5e15 / (4 * math.pi * 2000.0**2)  # cm^-2 s^-1
    for comp in src.components:
        assert src.flux(comp) * u.cm2 * u.s == pytest.approx(phi, rel=1e-12)
    (line,) = src.lines("prompt_numu")
    assert line.energy == pytest.approx(sp.pion_decay_line_energy()) and line.fraction == 1.0
    assert src.continuous_fraction("delayed_nue") == 1.0
    assert src.content("prompt_numu", 1.0) == pytest.approx([0, 1, 0])
    assert src.content("delayed_nue", 1.0) == pytest.approx([1, 0, 0])
    assert src.content("delayed_numubar", 1.0) == pytest.approx([0, 0, 1])
    assert src.e_max("delayed_nue") == pytest.approx(M_MU / 2)
    lf = src.line_fluxes()
    assert len(lf) == 1 and lf[0].state_flux() == pytest.approx([0, lf[0].flux, 0])


@pytest.mark.parametrize("sigma", [0.0, 50.0, 300.0])
@pytest.mark.parametrize(
    ("comp", "mean"),
    [("prompt_numu", c.tau_pi_plus.value), ("delayed_nue", c.tau_pi_plus.value + c.tau_mu.value)],
)
def test_timing_profiles_moments(comp, mean, sigma):
    t0 = 100.0 * u.ns
    # trapezoid grid: 0.005 ns steps over the first microsecond (the pion decay and the jump at
    # t0), 0.1 ns before it, 0.44 ns over the smooth muon-decay tail to 40 tau_mu; it is finer
    # where the integrands vary than the uniform 2e6-point grid (0.045 ns) it replaces
    t = np.concatenate(
        [
            np.linspace(-3000.0, 0.0, 30_001),
            np.linspace(0.0, 1000.0, 200_001)[1:],
            np.linspace(1000.0, 40 * c.tau_mu.value, 200_001)[1:],
        ]
    )
    pdf = sp.timing_profile(comp, t, sigma=sigma, t0=t0)
    assert np.all(np.isfinite(pdf)) and np.all(pdf >= 0)
    assert np.trapezoid(pdf, t) == pytest.approx(1.0, abs=1e-3)
    assert np.trapezoid(t * pdf, t) == pytest.approx(t0 + mean, rel=2e-3)


def test_lifetimes_are_pdg():
    assert c.tau_pi_plus.value / u.ns == pytest.approx(26.03, abs=0.01)
    assert c.tau_mu.value / u.microsecond == pytest.approx(2.197, abs=0.001)


def test_bad_input_raises():
    with pytest.raises(NuemInputError, match="nu_per_proton"):
        SpallationSource(-0.1, 1e15 / u.s, 20 * u.m)
    with pytest.raises(NuemInputError, match="distance"):
        SpallationSource(0.08, 1e15 / u.s, -1.0)
    src = SpallationSource(0.08, 1e15 / u.s, 20 * u.m)
    with pytest.raises(NuemInputError, match="component = 'pi0'"):
        src.flux("pi0")
    with pytest.raises(NuemInputError, match="E = -1"):
        src.spectrum("delayed_nue", -1.0)
    with pytest.raises(NuemInputError, match="sigma"):
        src.timing("prompt_numu", 0.0, sigma=-5.0)
