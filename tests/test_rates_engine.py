"""The rates engine: fast path vs direct reference path, convergence, exact templates, lines.

Independent references: the direct path integrates nuem.xsec.electron (weak, magnetic, dipole,
total) over E with its own quadrature and its own T partition (line edges as breakpoints);
Gauss-Legendre (checked against scipy quad) for the flux moments; closed-form integrals for a
line-only source.
"""

import math

import numpy as np
import pytest
from scipy import constants as sc

from nuem import units as u
from nuem.rates import (
    Detector,
    ElectronRecoils,
    GridSpec,
    experiment_engine,
    experiment_templates,
    resolve_card,
)
from nuem.rates.electron_recoils import parse_state
from nuem.sources.base import Line, Source
from nuem.xsec import electron
from nuem.xsec.hypothesis import EMHypothesis
from nuem.xsec.kinematics import recoil_range

ME = 0.51099895000 * u.MeV
ALPHA = 1 / 137.035999177
NAT = (sc.hbar * sc.c / sc.e * 1e-6 * u.MeV * u.m) ** 2  # (hbar c)^2 in MeV^2 mm^2


@pytest.fixture(scope="module")
def xe():
    card = resolve_card("xenonnt-sr0")
    eng = experiment_engine(card)
    return card, eng, eng.templates(card.bin_edges())


def _flav(fn):
    return lambda E, T, lab: fn(E, T, parse_state(lab)[0])


def test_fast_path_matches_direct_path(xe):
    card, eng, tpl = xe
    edges = card.bin_edges()
    d = eng.direct_counts(edges, _flav(electron.weak))
    np.testing.assert_allclose(tpl.sm, d.sum(0), rtol=1e-4)
    d = eng.direct_counts(edges, lambda E, T, lab: electron.magnetic(E, T), kind="states")
    np.testing.assert_allclose(tpl.magnetic_mass, d, rtol=1e-4)
    np.testing.assert_allclose(tpl.magnetic_eff, d.sum(0), rtol=1e-4)
    # M = 0.3 MeV puts the 7Be-line recoil edge T_min inside the window: tests the exact steps
    for M in (0.3 * u.MeV, 1.0 * u.MeV):
        assert 1 * u.keV < recoil_range(0.8618 * u.MeV, ME, 0.3 * u.MeV)[0] < 30 * u.keV
        d = eng.direct_counts(edges, lambda E, T, lab, M=M: electron.dipole(E, T, M), "states", M)
        np.testing.assert_allclose(tpl.dipole(M)[0], d.sum(0), rtol=1e-4)


def test_dipole_at_zero_mass_is_magnetic(xe):
    _, _, tpl = xe
    np.testing.assert_allclose(tpl.dipole(0.0)[0], tpl.magnetic_eff, rtol=1e-12)
    per = tpl.dipole([0.0, 0.2], per_state=True)
    np.testing.assert_allclose(per[0], tpl.magnetic_mass, rtol=1e-12)
    np.testing.assert_allclose(per.sum(axis=1), tpl.dipole([0.0, 0.2]), rtol=1e-12)


def test_moments_against_quad(xe):
    """Flux moments int_x^Emax phi(E) P(E) E^-j dE, j = 0, 1, 2, against Gauss-Legendre.

    The reference is a 48-node Gauss-Legendre rule on each of 59 equal sub-intervals, a
    quadrature independent of the engine's grid (its sums agree with scipy quad at epsrel 1e-10
    to 2e-7).
    """
    _, eng, _ = xe
    src = eng.source
    nodes, weights = np.polynomial.legendre.leggauss(48)
    for x in (0.02, 0.3, 2.0):
        ref = np.zeros(3)
        for c in src.components:
            if src.continuous_fraction(c) == 0 or src.e_max(c) <= x:
                continue
            pts = np.linspace(x, src.e_max(c), 60)
            mid, half = 0.5 * (pts[1:] + pts[:-1]), 0.5 * np.diff(pts)
            E = (mid[:, None] + half[:, None] * nodes).ravel()
            w = (half[:, None] * weights).ravel()
            f = src.flux(c) * src.spectrum(c, E) * src.mass_fractions(c, E)[..., 1]
            ref += [np.sum(w * f * E**-j) for j in range(3)]
        got = eng.mom_s.continuum(x)[1, :3]
        np.testing.assert_allclose(got, ref, rtol=2e-6)


def test_grid_doubling_converges(xe):
    card, eng, tpl = xe
    fine = ElectronRecoils(eng.source, eng.detector, GridSpec().refined(2))
    t2 = fine.templates(card.bin_edges())
    for name in ("sm", "magnetic_eff", "millicharge"):
        np.testing.assert_allclose(getattr(t2, name), getattr(tpl, name), rtol=1e-3)
    for k in ("e", "mu"):
        np.testing.assert_allclose(t2.charge_radius[k], tpl.charge_radius[k], rtol=1e-3)
    M = np.array([0.01, 0.3, 2.0])
    d1, d2 = tpl.dipole(M), t2.dipole(M)
    for a, b in zip(
        d1, d2, strict=True
    ):  # bins below 1e-6 of the largest (M = 2 MeV, < 20 keV) are empty
        np.testing.assert_allclose(b, a, rtol=1e-3, atol=1e-6 * a.max())
    ev = card.events()[:50]
    np.testing.assert_allclose(fine.event_templates(ev).sm, eng.event_templates(ev).sm, rtol=1e-3)


def _direct_signal(eng, edges, hyp_for_flavour):
    """Direct path: sum_alpha P_alpha (total(hyp_alpha) - weak) integrated like the data."""

    def xs(E, T, lab):
        fl = parse_state(lab)[0]
        return electron.total(E, T, fl, hyp_for_flavour(fl)) - electron.weak(E, T, fl)

    return eng.direct_counts(edges, xs).sum(0)


def test_magnetic_template_is_exactly_quadratic(xe):
    card, eng, tpl = xe
    edges = card.bin_edges()[:6]
    mu0 = 7e-12 * u.mu_B
    s1 = _direct_signal(eng, edges, lambda fl: EMHypothesis(mu=mu0))
    s2 = _direct_signal(eng, edges, lambda fl: EMHypothesis(mu=2 * mu0))
    np.testing.assert_allclose(s2, 4.0 * s1, rtol=1e-9)
    t = eng.templates(edges)
    np.testing.assert_allclose(t.signal(mu=mu0), s1, rtol=1e-4)
    np.testing.assert_allclose(t.signal(mu=2 * mu0), s2, rtol=1e-4)


def test_charge_radius_and_millicharge_templates(xe):
    card, eng, _ = xe
    edges = card.bin_edges()[:8]
    t = eng.templates(edges)
    rng = np.random.default_rng(7)
    for theta in rng.uniform(-1e-30, 1e-30, 2):
        r2 = theta * u.cm2
        direct = _direct_signal(
            eng, edges, lambda fl, r2=r2: EMHypothesis(r2=r2) if fl == "e" else EMHypothesis()
        )
        S = t.charge_radius["e"]
        ours = theta * S[0] + theta**2 * S[1]
        np.testing.assert_allclose(
            ours, direct, rtol=1e-4, atol=1e-6 * np.abs(S[1]).max() * theta**2
        )
    # millicharge and charge radius together (same for every flavour): cross term included
    q, r2 = 3e-14, -4e-31 * u.cm2
    direct = _direct_signal(eng, edges, lambda fl: EMHypothesis(q=q, r2=r2))
    np.testing.assert_allclose(t.signal(q=q, r2=r2), direct, rtol=1e-4)


# ---------------------------------------------------------------------------------- toy line source


class _LineSource(Source):
    name = "toy line"
    states = ("nu_e", "nu_mu", "nu_tau")

    def __init__(self, energy, flux):
        self.E0, self.F = energy, flux

    @property
    def components(self):
        return ("line",)

    def flux(self, component):
        self.check_component(component)
        return self.F

    def spectrum(self, component, E):
        return np.zeros_like(np.asarray(E, dtype=float))

    def lines(self, component):
        return (Line(self.E0, 1.0),)

    def e_max(self, component):
        return self.E0

    def content(self, component, E):
        return np.broadcast_to([0.5, 0.3, 0.2], np.shape(E) + (3,)).copy()


def test_line_source_against_closed_form():
    E0, F = 0.05 * u.MeV, 1e6 / (u.cm2 * u.s)
    det = Detector(1000 * u.kg * u.year, "Xe", "free")  # no efficiency, perfect resolution
    eng = ElectronRecoils(_LineSource(E0, F), det)
    edges = np.array([1.0, 2.0, 5.0, 20.0, 100.0]) * u.keV
    tpl = eng.templates(edges)
    ne = float(det.electrons(1 * u.keV))  # electrons per mass; checked separately below
    pref = det.exposure * ne * F
    tmax = 2 * E0**2 / (2 * E0 + ME)  # Compton edge, 8.2 keV: inside the second bin
    lo, hi = edges[:-1], np.minimum(edges[1:], tmax)
    hi = np.maximum(hi, lo)
    kmag = math.pi * ALPHA**2 / ME**2 * NAT
    mag = pref * kmag * (np.log(hi / lo) - (hi - lo) / E0)
    np.testing.assert_allclose(tpl.magnetic_eff, mag, rtol=2e-7)
    np.testing.assert_allclose(tpl.magnetic_flavour, np.outer([0.5, 0.3, 0.2], mag), rtol=2e-7)
    # weak: closed-form T integral of Vogel-Engel, per flavour
    s2w = 0.23868
    GF = 1.1663788e-11 / u.MeV**2
    sm = 0.0
    for fl, frac in zip(("e", "mu", "tau"), (0.5, 0.3, 0.2), strict=True):
        gv, ga = -0.5 + 2 * s2w + (fl == "e"), -0.5 + (fl == "e")
        a, b = gv + ga, gv - ga
        integral = (
            a * a * (hi - lo)
            + b * b * E0 / 3 * ((1 - lo / E0) ** 3 - (1 - hi / E0) ** 3)
            - a * b * ME * (hi**2 - lo**2) / (2 * E0**2)
        )
        sm = sm + frac * GF**2 * ME / (2 * math.pi) * NAT * integral
    np.testing.assert_allclose(tpl.sm, pref * sm, rtol=1e-4)  # constants to ~1e-5
    # dipole with M = 46.5 keV: the line's recoil window [1.21, 3.08] keV cuts two bins
    M = 0.0465 * u.MeV
    tmin, tmx = recoil_range(E0, ME, M)
    assert edges[0] < tmin < edges[1] < tmx < edges[2]
    a_, b_ = np.clip(tmin, edges[:-1], edges[1:]), np.clip(tmx, edges[:-1], edges[1:])

    def prim(T):
        c_ln = 1 - M**2 / (2 * E0 * ME) - M**2 / (4 * E0**2) + M**4 / (8 * E0**2 * ME**2)
        c_t = -1 / E0 + M**2 / (4 * E0**2 * ME)
        return c_ln * np.log(T) + c_t * T + M**4 / (8 * E0**2 * ME * T)

    dip = pref * kmag * (prim(b_) - prim(a_))
    np.testing.assert_allclose(tpl.dipole(M)[0], dip, rtol=1e-7, atol=1e-12 * dip.max())


def test_electrons_per_tonne_of_xenon():
    """Free electrons: Z N_A / <A> with the standard atomic weight of Xe, 131.293(6)."""
    det = Detector(1 * u.kg * u.year, "Xe", "free")
    ne_per_tonne = float(det.electrons(1 * u.keV)) * 1000 * u.kg
    assert ne_per_tonne == pytest.approx(54 * sc.Avogadro * 1e6 / 131.293, rel=1e-4)
    step = Detector(1 * u.kg * u.year, "Xe", "stepping")
    assert float(step.electrons(40 * u.keV)) == pytest.approx(float(det.electrons(40 * u.keV)))
    assert float(step.electrons(20 * u.keV)) == pytest.approx(52 / 54 * float(det.electrons(1)))


def test_binned_and_unbinned_agree(xe):
    """The density at event energies integrates to the bin counts (reco-energy efficiency)."""
    card, eng, _ = xe
    E = np.linspace(1.0, 30.0, 2901) * u.keV
    dens = eng.event_templates(E)
    tot = eng.templates(np.array([1.0, 30.0]) * u.keV)
    for name in ("sm", "magnetic_eff"):
        np.testing.assert_allclose(
            np.trapezoid(getattr(dens, name), E), getattr(tot, name)[0], rtol=2e-5
        )


def test_event_templates_for_a_card():
    from nuem.rates import experiment_event_templates

    card = resolve_card("xenonnt-sr0")
    dens, tot = experiment_event_templates(card)
    assert dens.kind == "density" and dens.n == 433 and tot.n == 1
    assert np.all(dens.sm > 0) and np.all(dens.magnetic_eff > 0)
    # the magnetic density falls with energy (1/T) while SM is flat: ratio decreasing
    order = np.argsort(dens.events)
    ratio = dens.magnetic_eff[order] / dens.sm[order]
    assert ratio[0] > 3 * ratio[-1]
    assert tot.sm[0] == pytest.approx(experiment_templates(card).sm.sum(), rel=1e-6)


def test_bin_kernel_matches_detectors_response_matrix(xe):
    """Exact piecewise-linear efficiency integral vs nuem.detectors' sub-bin midpoint rule."""
    card, eng, _ = xe
    T = np.array([0.8, 1.5, 4.0, 12.0, 29.5]) * u.keV
    edges = card.bin_edges()
    ours = eng.detector.bin_kernel(T, edges) / eng.detector.exposure  # targets not in K
    ref = card.response_matrix(T, edges, n_sub=256)
    np.testing.assert_allclose(ours, ref, rtol=1e-3, atol=1e-6)
