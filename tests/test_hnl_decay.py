"""N -> nu gamma width against an independent formula and hand-checked numbers."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_runner import run_nuem
from nuem import units as u
from nuem.astro import hnl
from nuem.errors import NuemInputError

ALPHA = 1 / 137.035999177  # CODATA 2022, written out: independent of nuem.constants
ME = 0.51099895069  # MeV


def giunti_studenikin_width(M, mu_V, eps):
    """Gamma = (|mu_V|^2 + |eps|^2) M^3/(8 pi) for m_final = 0; moments in MeV^-1.

    Giunti & Studenikin RMP 87 (2015) 531, radiative decay nu_i -> nu_f gamma.
    """
    return (mu_V**2 + eps**2) * M**3 / (8 * math.pi)


@settings(max_examples=50, deadline=None)
@given(M=st.floats(1e-3, 1e3), x=st.floats(1e-14, 1e-5))
def test_chiral_width_is_vector_plus_electric_half_moments(M, x):
    mu_nat = x * math.sqrt(4 * math.pi * ALPHA) / (2 * ME)  # x mu_B in MeV^-1
    expected = giunti_studenikin_width(M, mu_nat / 2, mu_nat / 2)
    assert hnl.decay_width(M * u.MeV, x * u.mu_B) == pytest.approx(expected, rel=1e-9)
    assert hnl.decay_width(M, x * u.mu_B, majorana=True) == pytest.approx(2 * expected, rel=1e-9)


def test_hand_number():
    # mu = 1e-9 mu_B = 1e-9 * 296.27 GeV^-1; M = 1 MeV: Gamma = mu^2 M^3/(16 pi) = 1.7466e-21 MeV
    assert hnl.decay_width(1.0, 1e-9 * u.mu_B) / u.MeV == pytest.approx(1.7466e-21, rel=1e-3)
    # tau = hbar/Gamma = 6.582e-22 MeV s / 1.7466e-21 MeV = 0.3768 s
    assert hnl.lifetime(1.0, 1e-9 * u.mu_B) / u.s == pytest.approx(0.3768, rel=1e-3)


def test_decay_length_boost():
    M, E, mu = 2.0, 20.0, 1e-8 * u.mu_B
    tau = hnl.lifetime(M, mu)
    expected = math.sqrt(E**2 - M**2) / M * u.c_light * tau
    assert hnl.decay_length(E, M, mu) == pytest.approx(expected, rel=1e-12)
    assert hnl.decay_length(M, M, mu) == 0.0  # at rest


def test_vectorised_and_zero_coupling():
    M = np.array([0.1, 1.0, 10.0])
    w = hnl.decay_width(M, 1e-9 * u.mu_B)
    assert w.shape == (3,)
    np.testing.assert_allclose(w[1:] / w[:-1], 1000.0, rtol=1e-12)  # M^3 scaling
    assert np.isinf(hnl.lifetime(1.0, 0.0))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: hnl.decay_width(-1.0, 1e-20), "M"),
        (lambda: hnl.decay_width(1.0, float("nan")), "mu"),
        (lambda: hnl.decay_length(0.5, 1.0, 1e-20), "E"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(NuemInputError, match=rf"^{name}\b"):
        call()


def test_cli_decay_json_and_error():
    r = run_nuem("decay", "--M", "1MeV", "--mu", "1e-9", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["width_MeV"] == pytest.approx(1.7466e-21, rel=1e-3)
    assert out["lifetime_s"] == pytest.approx(0.3768, rel=1e-3)
    r = run_nuem("decay", "--M", "-1MeV", "--mu", "1e-9")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "M = -1.0" in r.stderr
