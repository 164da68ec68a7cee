"""Unit mistakes are loud: quantities as text, warnings for implausible moments and resolutions."""

import numpy as np
import pytest

from nuem import units as u
from nuem.detectors.resolution import ConstantSigma, QuadratureSigma, SqrtLinearSigma
from nuem.errors import NuemInputError, NuemUnitWarning
from nuem.theory.hypothesis import Hypothesis


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("1e-11 muB", "moment", 1e-11 * u.mu_B),
        ("1e-11*mu_B", "moment", 1e-11 * u.mu_B),
        ("0.5MeV", "energy", 0.5 * u.MeV),
        ("100 keV", "energy", 100 * u.keV),
        ("-1e-32 cm2", "area", -1e-32 * u.cm2),
        ("1e-13 e", "charge", 1e-13 * u.eplus),
        ("3 m", "length", 3 * u.m),
    ],
)
def test_parse_reads_number_and_unit(text, kind, expected):
    assert u.parse(text, kind) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("1e-11", "moment", "needs a unit"),
        ("1e-11 keV", "moment", "not a moment unit"),
        ("lots", "energy", "not a energy"),
        ("1 keV", "mass", "kind"),
    ],
)
def test_parse_refuses_what_it_cannot_read(text, kind, fragment):
    with pytest.raises(NuemInputError, match=fragment):
        u.parse(text, kind)


def test_hypothesis_takes_text_with_units():
    h = Hypothesis(mu="2e-11 muB", M="100 keV", q={"mu": "1e-13 e"}, r2="-1e-32 cm2")
    assert h.mu / u.mu_B == pytest.approx(2e-11)
    assert h.M / u.keV == pytest.approx(100.0)
    assert h.q_of("mu") == pytest.approx(1e-13) and h.q_of("e") == 0.0
    assert h.r2 / u.cm2 == pytest.approx(-1e-32)
    p = Hypothesis(M="1 MeV", portal=["1e-9 muB", "0 muB", "0 muB"]).portal
    assert np.allclose(p / u.mu_B, [1e-9, 0, 0])


def test_moment_without_mu_B_warns():
    # 1e-11 in hepunits is 1e-11 / 5.788e-8 = 1.7e-4 mu_B: certainly a forgotten *mu_B.
    with pytest.warns(NuemUnitWarning, match="0.000173 mu_B"):
        Hypothesis(mu=1e-11)
    with pytest.warns(NuemUnitWarning, match="portal"):
        Hypothesis(M=1.0, portal=[1e-9, 0, 0])


def test_plausible_moment_is_silent(recwarn):
    Hypothesis(mu=1e-10 * u.mu_B)
    assert not [w for w in recwarn if issubclass(w.category, NuemUnitWarning)]


def test_resolution_classes_share_one_unit_rule():
    """Every class takes numbers for energies in `unit` (keV); sigma comes back in hepunits."""
    E = 4.0 * u.keV
    assert ConstantSigma(0.5)(E) / u.keV == pytest.approx(0.5)
    assert ConstantSigma(500.0, unit=u.eV)(E) / u.keV == pytest.approx(0.5)
    assert SqrtLinearSigma(0.5)(E) / u.keV == pytest.approx(1.0)
    assert QuadratureSigma(0.5)(E) / u.keV == pytest.approx(1.0)


def test_resolution_coefficient_in_hepunits_warns():
    with pytest.warns(NuemUnitWarning, match="sigma/E"):
        ConstantSigma(0.5 * u.keV)  # 5e-4 keV: hepunits energy passed where keV numbers go
