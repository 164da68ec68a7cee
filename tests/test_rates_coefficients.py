"""The 1/E-polynomial coefficients of every electron channel against nuem.xsec.electron."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import units as u
from nuem.rates import coefficients as coef
from nuem.xsec import electron
from nuem.xsec.kinematics import e_min

ME = 0.51099895 * u.MeV


def _poly(a, E):
    return a[0] + a[1] / E + a[2] / E**2


points = st.tuples(
    st.floats(0.05, 300.0),  # T [keV]
    st.floats(1.01, 50.0),  # E / E_min
    st.floats(0.0, 3.0),  # M [MeV]
    st.sampled_from(["e", "mu", "tau"]),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(points)
def test_coefficients_reproduce_cross_sections(p):
    T_keV, ratio, M, fl, anti = p
    T = T_keV * u.keV
    E = float(e_min(T, ME, M)) * ratio
    E0 = float(e_min(T, ME, 0.0)) * ratio
    # weak, charge radius and millicharge at M = 0 kinematics
    np.testing.assert_allclose(
        _poly(coef.weak(T, fl, anti), E0), electron.weak(E0, T, fl, anti), rtol=1e-10
    )
    for ours, ref in (
        (coef.charge_radius(T, fl, anti), electron.charge_radius(E0, T, fl, anti)),
        (coef.millicharge(T, fl, anti), electron.millicharge(E0, T, fl, anti)),
    ):
        for k in range(2):
            a = ours[k]
            size = abs(a[0]) + abs(a[1] / E0) + abs(a[2] / E0**2)
            assert abs(_poly(a, E0) - ref[k]) <= 1e-11 * size
    # dipole / magnetic: exact in M; compare where the bracket is not a deep cancellation
    ours = _poly(coef.dipole(T, M), E)
    ref = float(electron.dipole(E, T, M))
    terms = coef.dipole(T, M)
    size = abs(terms[0]) + abs(terms[1] / E) + abs(terms[2] / E**2)
    assert abs(ours - ref) <= 1e-11 * size
    np.testing.assert_allclose(_poly(coef.dipole(T, 0.0), E0), electron.magnetic(E0, T), rtol=1e-12)


def test_cross_term_matches_total():
    """The q x r2 cross term: total(q, r2) - total(q) - total(r2) + weak = q r2 x cross."""
    from nuem.xsec.hypothesis import EMHypothesis

    T, E = 3 * u.keV, 0.4 * u.MeV
    q, r2 = 2e-14, 3e-31 * u.cm2
    tot = lambda h: float(electron.total(E, T, "e", h))  # noqa: E731
    diff = (
        tot(EMHypothesis(q=q, r2=r2))
        - tot(EMHypothesis(q=q))
        - tot(EMHypothesis(r2=r2))
        + float(electron.weak(E, T, "e"))
    )
    ours = (q / u.eplus) * (r2 / u.cm2) * _poly(coef.cross_term(T), E)
    assert ours == pytest.approx(diff, rel=1e-6)
