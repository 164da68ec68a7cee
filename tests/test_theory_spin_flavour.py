"""Solar spin-flavour precession (Akhmedov & Pulido) and mu*B bounds from nubar_e flux limits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.theory import (
    SOLAR_ANTINEUTRINO_LIMITS,
    mu_B_bound,
    mu_B_bound_from,
    mu_bound,
    sfp_probability,
)

MU_B_KG = u.mu_B * u.kilogauss


def test_akhmedov_pulido_reference_point():
    # hep-ph/0209192: P = 1.8e-10 sin^2 2theta12 at mu = 1e-12 mu_B, B_perp(0.05 R_sun) = 10 kG
    for s in (0.5, 0.85, 1.0):
        p = sfp_probability(1e-12 * u.mu_B, 10 * u.kilogauss, s)
        assert p == pytest.approx(1.8e-10 * s, rel=1e-12)
    # B in tesla: 1 T = 10 kG
    assert sfp_probability(1e-12 * u.mu_B, 1 * u.tesla, 1.0) == pytest.approx(1.8e-10)


@settings(max_examples=50, deadline=None)
@given(st.floats(1e-8, 0.1), st.floats(1.0, 1e5), st.floats(0.1, 1.0))
def test_inversion_round_trip(p, B_kG, s):
    B = B_kG * u.kilogauss
    mu = mu_bound(p, B, s)
    assert sfp_probability(mu, B, s) == pytest.approx(p, rel=1e-10)


def test_borexino_2021_bound():
    # Borexino, arXiv:1909.02422 (abstract): P(nu_e -> nubar_e) < 7.2e-5 (90% CL, E > 1.8 MeV).
    # Through this formula with sin^2 2theta12 ~ 0.85 that is mu B_perp(0.05 R_sun) < ~6.9e-9
    # mu_B kG (hand evaluation: sqrt(7.2e-5/(1.8e-10 * 0.85)) * 1e-12 * 10 = 6.86e-9).
    x, lim = mu_B_bound_from("Borexino2021", 0.85)
    assert lim.probability == 7.2e-5 and lim.cl == 0.90
    assert x / MU_B_KG == pytest.approx(6.86e-9, rel=3e-3)
    # for a 1 MG core field this is mu < ~7e-12 mu_B
    assert mu_bound(7.2e-5, 1000 * u.kilogauss, 0.85) / u.mu_B == pytest.approx(6.86e-12, rel=3e-3)


def test_stronger_limit_gives_stronger_bound():
    # KamLAND 2012 (5.3e-5, arXiv:1105.3516 abstract) is stronger than Borexino 2021 (7.2e-5)
    kl, _ = mu_B_bound_from("KamLAND2012")
    bx, _ = mu_B_bound_from("Borexino2021")
    assert kl < bx
    assert kl / bx == pytest.approx(np.sqrt(5.3e-5 / 7.2e-5))
    assert set(SOLAR_ANTINEUTRINO_LIMITS) >= {"Borexino2021", "KamLAND2012", "KamLAND2004"}


def test_bad_inputs():
    with pytest.raises(NuemInputError, match="probability"):
        mu_B_bound(1.5)
    with pytest.raises(NuemInputError, match="B_perp"):
        sfp_probability(1e-12 * u.mu_B, -1.0)
    with pytest.raises(NuemInputError, match="experiment"):
        mu_B_bound_from("SNO")
    with pytest.raises(NuemInputError, match="sin2_2theta12"):
        mu_B_bound(1e-4, 0.0)
