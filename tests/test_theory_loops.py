"""One-loop dipole functions: closed forms against quadrature, published closed forms and limits."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.theory.loops import (
    dorsner_f_f,
    dorsner_f_s,
    dorsner_g_f,
    dorsner_g_s,
    feynman_integrals,
    lepton_g2_scalar_loop,
    neutral_dipole,
)


def _quad(f, sing):
    return quad(f, 0.0, 1.0, epsabs=0.0, epsrel=1e-12, points=[sing], limit=200)[0]


@settings(max_examples=40, deadline=None)
@given(st.floats(-5.0, 3.0))
def test_closed_forms_equal_the_feynman_parameter_integrals(log10_t):
    # independent evaluation: adaptive quadrature of the Leveille integrals
    t = 10.0**log10_t
    i1, i2, j1, j2 = feynman_integrals(t)
    assert i1 == pytest.approx(
        _quad(lambda x: x * x * (1 - x) / (1 - x + t * x), 1.0), rel=1e-9, abs=0
    )
    assert i2 == pytest.approx(_quad(lambda x: x * x / (1 - x + t * x), 1.0), rel=1e-9, abs=0)
    assert j1 == pytest.approx(
        _quad(lambda x: x * x * (1 - x) / (x + t * (1 - x)), 0.0), rel=1e-9, abs=0
    )
    assert j2 == pytest.approx(
        _quad(lambda x: x * (1 - x) / (x + t * (1 - x)), 0.0), rel=1e-9, abs=0
    )


@pytest.mark.parametrize("x", [1e-6, 0.03, 0.3, 0.95, 1.0, 1.04, 2.5, 40.0])
def test_dorsner_closed_forms(x):
    # Dorsner et al., Phys. Rept. 641 (2016) 1, arXiv:1603.04993: f_S, f_F, g_S, g_F typed in
    if x == 1.0:  # their x -> 1 limits: 1/12, 1/24, 1/2, 1/3 (from the series)
        ref = (1 / 12, 1 / 24, 1 / 2, 1 / 3)
    else:
        lx = math.log(x)
        ref = (
            (x + 1) / (4 * (1 - x) ** 2) + x * lx / (2 * (1 - x) ** 3),
            (x * x - 5 * x - 2) / (12 * (x - 1) ** 3) + x * lx / (2 * (x - 1) ** 4),
            1 / (x - 1) - lx / (x - 1) ** 2,
            (x - 3) / (2 * (x - 1) ** 2) + lx / (x - 1) ** 3,
        )
    got = (dorsner_f_s(x), dorsner_f_f(x), dorsner_g_s(x), dorsner_g_f(x))
    tol = 1e-6 if abs(x - 1) < 0.1 else 1e-10  # the typed-in forms cancel near x = 1
    for g, r in zip(got, ref, strict=True):
        assert g == pytest.approx(r, rel=tol, abs=0)


def test_series_and_closed_form_join_smoothly():
    t = np.array([0.9 - 1e-9, 0.9 + 1e-9, 1.1 - 1e-9, 1.1 + 1e-9])
    for f in feynman_integrals(t):
        assert abs(f[1] / f[0] - 1) < 1e-8 and abs(f[3] / f[2] - 1) < 1e-8


def test_higgs_like_limit():
    # a neutral scalar coupled to the muon itself (F = mu, Q_F = -1, c_L = c_R = y):
    # Delta a = (y^2/8pi^2) int x^2 (2 - x)/(x^2 + (1-x) M^2/m^2) (Jegerlehner & Nyffeler,
    # Phys. Rept. 477 (2009) 1); heavy scalar -> (y^2 m^2/(8 pi^2 M^2)) (ln(M^2/m^2) - 7/6)
    m, M, y = 105.66, 1e6, 0.1
    non, flip = lepton_g2_scalar_loop(m, m, M, y, y, -1.0)
    ref = y**2 * m**2 / (8 * math.pi**2 * M**2) * (math.log(M**2 / m**2) - 7 / 6)
    assert non + flip == pytest.approx(ref, rel=1e-6, abs=0)


def test_charged_scalar_with_massless_fermion():
    # charged scalar, neutral massless fermion (Q_F = 0): Delta a = -|c|^2 m^2/(96 pi^2 M^2)
    # for one chirality (Leveille 1978; the 2HDM charged-Higgs integral -x(1-x) -> -1/6)
    non, flip = lepton_g2_scalar_loop(105.66, 1e-3, 5e5, 1.0, 0.0, 0.0)
    assert flip == 0.0
    assert non == pytest.approx(-(105.66**2) / (96 * math.pi**2 * 5e5**2), rel=1e-6, abs=0)


def test_neutral_dipole_leading_log():
    # g_S(t) -> ln(1/t) - 1: mu = e N_c m_F c (-Q_F)(ln(M^2/m_F^2) - 1)/(16 pi^2 M^2)
    mf, M = 1776.86, 1e6
    mu = neutral_dipole(mf, M, 1.0, -1.0) / u.mu_B
    expect = 2 * 0.51099895 * mf * (math.log(M**2 / mf**2) - 1) / (16 * math.pi**2 * M**2)
    assert mu == pytest.approx(expect, rel=1e-5, abs=0)
    assert neutral_dipole(0.0, M, 1.0, -1.0) == 0.0


def test_bad_inputs():
    with pytest.raises(NuemInputError, match="t ="):
        feynman_integrals(-1.0)
    with pytest.raises(NuemInputError, match="m_S"):
        lepton_g2_scalar_loop(105.0, 1.0, 0.0, 1.0, 1.0, -1.0)
    with pytest.raises(NuemInputError, match="Q_F"):
        neutral_dipole(1.0, 1.0, 1.0, 5.0)
