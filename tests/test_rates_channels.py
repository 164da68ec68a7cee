"""The channel registry (nuem.rates.channels) against the cross sections of nuem.xsec.

At fixed T each channel is a0 + a1/E + a2/E^2; evaluated at random (E, T) it must equal the
cross-section functions, which are written independently (full formulas, isotope averages).
"""

from __future__ import annotations

import numpy as np
import pytest

from nuem import units as u
from nuem.rates.channels import CHANNELS
from nuem.rates.response import Detector
from nuem.xsec import electron, nuclear
from nuem.xsec.kinematics import is_allowed

RNG = np.random.default_rng(11)


def _poly(a, E):
    return a[0] + a[1] / E + a[2] / E**2


@pytest.mark.parametrize("element", ["Ar", "Xe", "Ge", "Cs"])
@pytest.mark.parametrize("M", [0.0, 5.0 * u.MeV])
def test_nuclear_channels_equal_xsec_nuclear(element, M):
    det = Detector(1 * u.kg * u.year, element, recoil="nuclear")
    E = RNG.uniform(20, 50, 40) * u.MeV
    T = RNG.uniform(0.5, 30, 40) * u.keV
    ab = sum(sc.isotope.abundance for sc in det.scatterers)
    tot = {k: np.zeros(E.size) for k in ("sm", "dip", "cr", "mq")}
    for sc in det.scatterers:
        w0 = sc.isotope.abundance / ab * is_allowed(E, T, sc.mass, 0.0)  # SM, q, r2: M = 0
        w = sc.isotope.abundance / ab * is_allowed(E, T, sc.mass, M)

        def coef(name, sc=sc):
            return CHANNELS[name].coefficients["nuclear"](T, sc, "e", False, M, None)

        tot["sm"] += w0 * _poly(coef("sm")[0], E)
        tot["dip"] += w * _poly(coef("dipole")[0], E)
        cr, mq = coef("charge_radius"), coef("millicharge")
        r2, q = 1e-31, 1e-10
        tot["cr"] += w0 * (r2 * _poly(cr[0], E) + r2**2 * _poly(cr[1], E))
        tot["mq"] += w0 * (q * _poly(mq[0], E) + q**2 * _poly(mq[1], E))
    ref_sm = nuclear.cevns(E, T, element)
    np.testing.assert_allclose(tot["sm"], ref_sm, rtol=1e-10)
    ref_dip = nuclear.magnetic(E, T, element) if M == 0 else nuclear.dipole(E, T, M, element)
    np.testing.assert_allclose(tot["dip"], ref_dip, rtol=1e-9)
    cr_ref = nuclear.cevns_em(E, T, element, r2=1e-31 * u.cm2) - ref_sm
    mq_ref = nuclear.cevns_em(E, T, element, q=1e-10) - ref_sm
    np.testing.assert_allclose(tot["cr"], cr_ref, rtol=1e-7, atol=1e-12 * np.abs(ref_sm).max())
    np.testing.assert_allclose(tot["mq"], mq_ref, rtol=1e-7, atol=1e-12 * np.abs(ref_sm).max())


@pytest.mark.parametrize(("flavour", "anti"), [("e", False), ("mu", True), ("tau", False)])
def test_electron_channels_equal_xsec_electron(flavour, anti):
    det = Detector(1 * u.kg * u.year, "Xe", "free")
    (sc,) = det.scatterers
    E = RNG.uniform(0.3, 10, 40) * u.MeV
    T = RNG.uniform(1, 200, 40) * u.keV
    ok = is_allowed(E, T, sc.mass, 0.0)
    sm = _poly(CHANNELS["sm"].coefficients["electron"](T, sc, flavour, anti, 0.0, None)[0], E)
    np.testing.assert_allclose(sm * ok, electron.weak(E, T, flavour, anti=anti), rtol=1e-10)


def test_detector_fingerprint_covers_every_energy():
    """Two detectors that differ only at MeV energies (an efficiency step at 5 MeV) differ."""
    from nuem.detectors.efficiency import TabulatedEfficiency

    nodes = np.array([0.0, 5.0, 5.001, 1000.0]) * u.MeV
    e1 = TabulatedEfficiency(nodes, np.array([1, 1, 1, 1.0]))
    e2 = TabulatedEfficiency(nodes, np.array([1, 1, 0.5, 0.5]))
    a = Detector(1 * u.kg * u.year, "Xe", efficiency=e1)
    b = Detector(1 * u.kg * u.year, "Xe", efficiency=e2)
    assert a.fingerprint != b.fingerprint
