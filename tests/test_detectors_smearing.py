"""Smearing models and the polynomial quenching (nuem.detectors.smearing, .quenching).

Anchors: scipy.stats.norm / scipy.stats.poisson (probability mass per bin, summed directly),
scipy.integrate.quad (an efficiency on the reconstructed energy), linear interpolation by hand
(tabulated response), exact polynomial algebra (quenching inverse), and, at the engine level, a
direct scipy.integrate evaluation of the CEvNS counts of a CsI-like detector read out in
photoelectrons (nuem.xsec.nuclear.cevns, a path the engine does not use).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy.stats import norm, poisson

from nuem import units as u
from nuem.detectors.efficiency import TabulatedEfficiency
from nuem.detectors.quenching import Lindhard, PolynomialQuenching
from nuem.detectors.resolution import SqrtLinearSigma
from nuem.detectors.smearing import (
    SMEARINGS,
    GammaPhotoelectronSmearing,
    GaussianSmearing,
    HitsSmearing,
    MatrixSmearing,
    NoSmearing,
    PhotoelectronSmearing,
)
from nuem.detectors.targets import Target
from nuem.errors import NuemInputError
from nuem.rates import GridSpec

KEV = u.keV
LY = 13.35 / KEV  # PE per keVee, CsI-like light yield (COHERENT CsI order of magnitude)


def test_registry_names_every_model():
    assert SMEARINGS == {
        "none": NoSmearing,
        "gaussian": GaussianSmearing,
        "photoelectrons": PhotoelectronSmearing,
        "gamma_photoelectrons": GammaPhotoelectronSmearing,
        "matrix": MatrixSmearing,
        "hits": HitsSmearing,
    }


# ---- Gaussian ------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.floats(0.5, 200.0), st.floats(0.05, 2.0))
def test_gaussian_probabilities_sum_to_one_over_wide_bins(E_keV, a):
    sm = GaussianSmearing(SqrtLinearSigma(a, 0.01))
    E = np.array([E_keV * KEV])
    s = float(sm.width(E)[0])
    edges = E[0] + np.linspace(-12.0, 12.0, 9) * s
    P = sm.bin_probability(E, edges)
    assert P.shape == (8, 1)
    assert P.sum() == pytest.approx(1.0, abs=1e-12)
    z = (edges - E[0]) / s
    np.testing.assert_allclose(P[:, 0], np.diff(norm.cdf(z)), rtol=1e-9, atol=1e-15)


def test_gaussian_reconstructed_efficiency_is_exact_for_a_table():
    sm = GaussianSmearing(SqrtLinearSigma(0.4, 0.0))
    eff = TabulatedEfficiency(np.array([1.0, 3.0, 6.0, 20.0]) * KEV, [0.0, 0.5, 0.9, 1.0])
    edges = np.array([1.0, 2.5, 4.0, 7.0, 12.0]) * KEV
    E = np.array([1.5, 3.2, 8.0]) * KEV
    got = sm.bin_probability(E, edges, eff)
    for n, e in enumerate(E):
        s = float(sm.width(e))
        for i in range(edges.size - 1):
            ref = integrate.quad(
                lambda x, e=e, s=s: float(eff(x)) * norm.pdf(x, e, s),
                edges[i],
                edges[i + 1],
                points=list(eff.energies),
                epsabs=0.0,
                epsrel=1e-11,
                limit=200,
            )[0]
            assert got[i, n] == pytest.approx(ref, rel=1e-8, abs=1e-14)


def test_gaussian_reach_density_and_errors():
    sm = GaussianSmearing(SqrtLinearSigma(0.5, 0.0))
    lo, hi = sm.reach(2.0 * KEV, 30.0 * KEV, 7.0, 0.01 * KEV)
    assert lo + 7.0 * float(sm.width(lo)) == pytest.approx(2.0 * KEV, rel=1e-9)
    assert hi - 7.0 * float(sm.width(hi)) == pytest.approx(30.0 * KEV, rel=1e-9)
    x = np.array([4.0, 5.0]) * KEV
    D = sm.density(np.array([5.0 * KEV]), x)
    np.testing.assert_allclose(D[:, 0], norm.pdf(x, 5.0 * KEV, float(sm.width(5.0 * KEV))))
    with pytest.raises(NuemInputError, match="sigma"):
        GaussianSmearing(lambda E: 0.0 * E).bin_probability(np.array([1.0 * KEV]), x)


# ---- photoelectrons ------------------------------------------------------------------------------
def _poisson_bins(lam, edges, eff=None):
    """P(a <= n < b | lam) summed term by term with scipy.stats.poisson (x eps(n))."""
    out = np.zeros((len(edges) - 1, lam.size))
    for i, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        for n in range(int(a), int(b)):
            w = 1.0 if eff is None else float(eff(float(n)))
            out[i] += w * poisson.pmf(n, lam)
    return out


PE_EDGES = np.array([0, 1, 2, 5, 9, 16, 30, 60])
PE_EFF = TabulatedEfficiency(np.array([0.0, 4.0, 10.0, 25.0, 80.0]), [0.0, 0.35, 0.8, 0.95, 1.0])


@pytest.mark.parametrize("eff", [None, PE_EFF], ids=["no-efficiency", "pe-efficiency"])
def test_photoelectron_bins_equal_a_direct_poisson_sum(eff):
    sm = PhotoelectronSmearing(LY)
    E = np.array([0.0, 0.01, 0.07, 0.3, 0.9, 1.7, 3.1]) * KEV
    lam = LY * E
    got = sm.bin_probability(E, PE_EDGES.astype(float), eff)
    np.testing.assert_allclose(got, _poisson_bins(lam, PE_EDGES, eff), rtol=1e-10, atol=1e-15)


def test_photoelectron_lambda_zero_puts_everything_in_the_zero_bin():
    sm = PhotoelectronSmearing(LY)
    P = sm.bin_probability(np.array([0.0]), PE_EDGES.astype(float))
    assert P[0, 0] == 1.0 and np.all(P[1:, 0] == 0.0)
    P = sm.bin_probability(np.array([0.0]), np.array([2.0, 5.0, 9.0]))
    assert np.all(P == 0.0)
    Pe = sm.bin_probability(np.array([0.0]), np.array([0.0, 3.0]), lambda n: 0.25 + 0 * n)
    assert Pe[0, 0] == pytest.approx(0.25)


@settings(max_examples=30, deadline=None)
@given(st.floats(1e-6, 80.0))
def test_photoelectron_probabilities_are_continuous_in_lambda(lam):
    # dP/dlam = pmf(a-1) - pmf(b-1) is bounded by 1: a relative step 1e-9 moves P by < 2e-9 lam
    sm = PhotoelectronSmearing(LY)
    E = np.array([lam, lam * (1 + 1e-9)]) / LY
    for eff in (None, PE_EFF):
        P = sm.bin_probability(E, PE_EDGES.astype(float), eff)
        assert np.all(np.abs(P[:, 1] - P[:, 0]) <= 2e-9 * lam + 1e-15)
    # and across lam -> 0 (the zero-bin probability e^-lam -> 1)
    P0 = sm.bin_probability(np.array([0.0, 1e-12 / LY]), PE_EDGES.astype(float))
    np.testing.assert_allclose(P0[:, 0], P0[:, 1], atol=1e-11)


def test_photoelectron_width_reach_and_errors():
    sm = PhotoelectronSmearing(LY)
    np.testing.assert_allclose(sm.width(np.array([10.0 * KEV])), np.sqrt(133.5) / LY)
    assert float(sm.width(0.0)) == pytest.approx(1.0 / LY)  # floored at one photoelectron
    lo, hi = sm.reach(10.0, 60.0, 7.0, 0.0)
    assert lo == 0.0  # 10 - 7 sqrt(10) < 0
    assert hi == pytest.approx((60.0 + 7.0 * np.sqrt(60.0) + 49.0) / LY)
    # the far tail beyond the reach is negligible
    P = sm.bin_probability(np.array([hi]), np.array([0.0, 61.0]))
    assert P[0, 0] < 1e-10
    with pytest.raises(NuemInputError, match="non-negative integers"):
        sm.bin_probability(np.array([1.0 * KEV]), np.array([0.0, 2.5, 5.0]))
    with pytest.raises(NuemInputError, match="non-negative integers"):
        sm.bin_probability(np.array([1.0 * KEV]), np.array([-1.0, 5.0]))
    with pytest.raises(NuemInputError, match="binned"):
        sm.density(np.array([1.0 * KEV]), np.array([3.0]))
    with pytest.raises(NuemInputError, match="light_yield"):
        PhotoelectronSmearing(0.0)
    assert sm.key() == ("photoelectrons", LY)


# ---- tabulated response matrix -------------------------------------------------------------------
NODES = np.array([1.0, 2.0, 4.0, 8.0]) * KEV
M_EDGES = np.array([0.0, 3.0, 6.0, 10.0]) * KEV
MATRIX = np.array(
    [
        [0.8, 0.5, 0.1, 0.0],
        [0.1, 0.4, 0.7, 0.2],
        [0.0, 0.05, 0.15, 0.7],
    ]
)


def test_matrix_interpolates_linearly_between_nodes_and_is_zero_outside():
    sm = MatrixSmearing(NODES, M_EDGES, MATRIX)
    E = np.array([0.5, 1.0, 1.5, 3.0, 4.0, 6.0, 8.0, 9.0]) * KEV
    P = sm.bin_probability(E, M_EDGES)
    by_hand = np.stack(
        [
            np.zeros(3),
            MATRIX[:, 0],
            0.5 * (MATRIX[:, 0] + MATRIX[:, 1]),
            0.5 * (MATRIX[:, 1] + MATRIX[:, 2]),
            MATRIX[:, 2],
            0.5 * (MATRIX[:, 2] + MATRIX[:, 3]),
            MATRIX[:, 3],
            np.zeros(3),
        ],
        axis=1,
    )
    np.testing.assert_allclose(P, by_hand, rtol=1e-14, atol=1e-15)
    assert sm.reach(0.0, 10.0 * KEV, 7.0, 0.01 * KEV) == (NODES[0], NODES[-1])
    assert float(sm.width(3.0 * KEV)) == pytest.approx(1.0 * KEV)


@pytest.mark.parametrize(
    ("nodes", "matrix", "message"),
    [
        (np.array([1.0, 1.0, 4.0, 8.0]) * KEV, MATRIX, "strictly increasing"),
        (np.array([-1.0, 2.0, 4.0, 8.0]) * KEV, MATRIX, ">= 0"),
        (np.array([1.0]) * KEV, MATRIX[:, :1], "strictly increasing"),
        (NODES, MATRIX[:, :3], "shape"),
        (NODES, MATRIX[:2], "shape"),
        (NODES, MATRIX * np.array([1, 1, -1, 1]), "entries must be >= 0"),
        (NODES, MATRIX * 1.5, "columns summing <= 1"),
    ],
)
def test_matrix_validation_errors(nodes, matrix, message):
    with pytest.raises(NuemInputError, match=message):
        MatrixSmearing(nodes, M_EDGES, matrix)


def test_matrix_applies_to_its_own_binning_only():
    sm = MatrixSmearing(NODES, M_EDGES, MATRIX)
    E = np.array([2.0 * KEV])
    with pytest.raises(NuemInputError, match="binning it was made for"):
        sm.bin_probability(E, np.array([0.0, 3.0, 6.0, 11.0]) * KEV)
    with pytest.raises(NuemInputError, match="binning it was made for"):
        sm.bin_probability(E, M_EDGES[:-1])
    with pytest.raises(NuemInputError, match="already contains the efficiency"):
        sm.bin_probability(E, M_EDGES, lambda x: 0.5 + 0 * x)
    with pytest.raises(NuemInputError, match="binned"):
        sm.density(E, np.array([2.0 * KEV]))


# ---- no smearing ---------------------------------------------------------------------------------
def test_no_smearing_is_the_indicator_times_efficiency():
    sm = NoSmearing()
    edges = np.array([1.0, 2.0, 5.0]) * KEV
    E = np.array([0.5, 1.0, 1.99, 2.0, 4.9, 5.0]) * KEV
    P = sm.bin_probability(E, edges)
    np.testing.assert_array_equal(P, [[0, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 0]])
    Pe = sm.bin_probability(E, edges, lambda x: np.full(np.shape(x), 0.5))
    np.testing.assert_array_equal(Pe, 0.5 * P)
    assert np.all(sm.width(E) == 0.0)
    assert sm.reach(1.0 * KEV, 5.0 * KEV, 7.0, 0.01 * KEV) == (1.0 * KEV, 5.0 * KEV)
    assert sm.reach(0.0, 5.0 * KEV, 7.0, 0.01 * KEV) == (0.01 * KEV, 5.0 * KEV)
    with pytest.raises(NuemInputError, match="sigma"):
        sm.density(E, E)


# ---- polynomial quenching ------------------------------------------------------------------------
# an illustrative CsI-like fit, E_ee/keV = sum c_k (E_nr/keV)^k, increasing up to > 100 keVnr
CSI_POLY = PolynomialQuenching((0.0554628, 4.30681e-3, -1.11707e-4, 8.40384e-7))


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0.01, 1.0),
    st.floats(0.0, 0.01),
    st.floats(0.0, 1e-4),
    st.lists(st.floats(1e-4, 300.0), min_size=1, max_size=6),
)
def test_polynomial_inverse_round_trip(c1, c2, c3, E_keV):
    q = PolynomialQuenching((c1, c2, c3))  # c_k >= 0: increasing everywhere
    E_nr = np.asarray(E_keV) * KEV
    E_ee = q.ee_from_nr(E_nr)
    np.testing.assert_allclose(q.nr_from_ee(E_ee), E_nr, rtol=1e-11)
    np.testing.assert_allclose(q.ee_from_nr(q.nr_from_ee(E_ee)), E_ee, rtol=1e-11)


def test_polynomial_values_jacobian_and_zero():
    q = CSI_POLY
    x = np.array([1.0, 10.0, 40.0])
    c = q.coefficients
    by_hand = c[0] * x + c[1] * x**2 + c[2] * x**3 + c[3] * x**4
    np.testing.assert_allclose(q.ee_from_nr(x * KEV) / KEV, by_hand, rtol=1e-13)
    np.testing.assert_allclose(q.quenching(x * KEV), by_hand / x, rtol=1e-13)
    h = 1e-6 * KEV
    fd = (q.ee_from_nr(x * KEV + h) - q.ee_from_nr(x * KEV - h)) / (2 * h)
    np.testing.assert_allclose(q.jacobian(x * KEV), fd, rtol=1e-7)
    assert float(q.quenching(0.0)) == c[0]
    assert float(q.nr_from_ee(0.0)) == 0.0
    np.testing.assert_allclose(q.nr_from_ee(q.ee_from_nr(x * KEV)), x * KEV, rtol=1e-12)


@pytest.mark.parametrize(
    ("coefficients", "message"),
    [((), "c_1 > 0"), ((0.0, 0.1), "c_1 > 0"), ((-0.1,), "c_1 > 0"), ((0.1, np.nan), "finite")],
)
def test_polynomial_validation(coefficients, message):
    with pytest.raises(NuemInputError, match=message):
        PolynomialQuenching(coefficients)


def test_polynomial_inverse_refuses_a_falling_range_and_negative_energies():
    q = PolynomialQuenching((0.1, -0.01))  # E_ee rises to a maximum at 5 keVnr (0.25 keVee)
    assert float(q.nr_from_ee(0.16 * KEV)) == pytest.approx(2.0 * KEV, rel=1e-10)
    with pytest.raises(NuemInputError, match="not increasing"):
        q.nr_from_ee(0.3 * KEV)
    with pytest.raises(NuemInputError):
        CSI_POLY.ee_from_nr(-1.0 * KEV)
    with pytest.raises(NuemInputError):
        CSI_POLY.nr_from_ee(-1.0 * KEV)


# ---- engine level: CsI-like nuclear recoils read out in photoelectrons ---------------------------
ENGINE_EDGES = np.array([2, 4, 7, 10, 15, 20, 30, 45, 70])
M_DIPOLE = 5.0 * u.MeV


@pytest.fixture(scope="module")
def spallation():
    from nuem.sources import SpallationSource

    return SpallationSource(0.0848, 5e14 / u.s, 19.3 * u.m)


def _channels(full: bool):
    """(name, N mass, dsigma/dT(E, T, element) -> (rows, E.size)) from nuem.xsec.nuclear."""
    from nuem.xsec import nuclear

    out = [("sm", 0.0, lambda E, T, s: nuclear.cevns(E, T, s)[None])]
    if full:
        out += [
            ("millicharge", 0.0, lambda E, T, s: np.stack(nuclear.millicharge(E, T, s))),
            ("charge_radius", 0.0, lambda E, T, s: np.stack(nuclear.charge_radius(E, T, s))),
            ("dipole", M_DIPOLE, lambda E, T, s: nuclear.dipole(E, T, M_DIPOLE, s)[None]),
        ]
    return out


def _direct_pe_counts(src, det, edges, eff, channels):
    """exposure sum_el n_el int dT P_i(LY E_ee(T)) int dE phi(E) dsigma/dT for every channel
    (rows stacked), with fixed Gauss-Legendre rules vectorised over T and E.

    T: 8-node panels, 4 per decade in ln T from 1e-6 keV to 1 keV, then <= 0.5 keV wide, split
    at every isotope's recoil limits of the prompt line and of the Michel end point for each N
    mass. E: 3 panels of 16 nodes from E_min(T, M) to the end point (lines exactly). The
    Poisson probabilities from scipy.stats. Checked offline (far below the 1e-4 of the tests):
    an adaptive scipy.integrate.quad_vec over T (epsrel 1e-8, same E rule) agrees to 1e-7 (the
    dipole row; 1e-10 or better for the others), a rule with twice the nodes to 1e-13.
    """
    from nuem.xsec import nuclear
    from nuem.xsec.kinematics import e_min, recoil_range

    per_mass = {
        s: n / (1000 * u.kg) for s, n in Target.from_formula("CsI").nuclei_per_tonne().items()
    }
    assert all(len(nuclear.element(s).isotopes) == 1 for s in per_mass)  # Cs, I: one isotope
    mass = {s: nuclear.element(s).isotopes[0].mass for s in per_mass}
    n_pe = np.arange(edges[0], edges[-1])
    eps_n = np.ones(n_pe.size) if eff is None else np.asarray(eff(n_pe.astype(float)))
    starts = edges[:-1] - edges[0]

    ends = []
    for _, M, _ in channels:
        for m in mass.values():
            for E in (29.792 * u.MeV, 52.83 * u.MeV):
                ends += [float(v) for v in recoil_range(E, m, M)]
    ends = sorted(v for v in set(ends) if v > 0)
    knots = [np.geomspace(1e-6 * KEV, KEV, 25), *ends]
    knots += [
        np.linspace(a, b, int(np.ceil((b - a) / (0.5 * KEV))) + 1)
        for a, b in zip([KEV, *ends[:-1]], ends, strict=True)
        if b > a
    ]
    pts = np.unique(np.concatenate([np.atleast_1d(k) for k in knots]))
    x, w = np.polynomial.legendre.leggauss(8)
    T = (0.5 * np.diff(pts)[:, None] * (x + 1) + pts[:-1, None]).ravel()
    WT = (0.5 * np.diff(pts)[:, None] * w).ravel()

    pmf = poisson.pmf(n_pe, LY * np.asarray(det.quenching.ee_from_nr(T))[:, None]) * eps_n
    p_bins = np.add.reduceat(pmf, starts, axis=1)  # (T, bins)

    xe, we = np.polynomial.legendre.leggauss(16)
    rows = []
    for _, M, xs in channels:
        tot = 0.0
        for sym, n in per_mass.items():
            lo = e_min(T, mass[sym], M)
            for comp in src.components:
                phi = src.flux(comp)
                for ln in src.lines(comp):
                    tot = tot + n * phi * ln.fraction * xs(np.array([ln.energy]), T, sym)
                top = src.e_max(comp)
                if src.continuous_fraction(comp) > 0:
                    pe = np.linspace(np.minimum(lo, top), top, 4, axis=1)  # (T, 4)
                    a, b = pe[:, :-1, None], pe[:, 1:, None]
                    E = (0.5 * (b - a) * (xe + 1) + a).reshape(T.size, -1)
                    W = (0.5 * (b - a) * we).reshape(T.size, -1) * src.spectrum(comp, E)
                    xsE = xs(E, T[:, None], sym)  # (rows, T, E)
                    tot = tot + n * phi * src.continuous_fraction(comp) * np.sum(xsE * W, axis=-1)
        rows.append(np.atleast_2d(tot))
    rate = np.concatenate(rows)  # (rows, T)
    return (rate * WT) @ p_bins * det.exposure


def _csi_detector(quenching, eff):
    from nuem.rates import Detector

    return Detector(
        1.0 * u.kg * u.year,
        "CsI",
        efficiency=eff,
        efficiency_on="reconstructed",
        recoil="nuclear",
        quenching=quenching,
        smearing=PhotoelectronSmearing(LY),
    )


def _engine_rows(tpl, full: bool) -> np.ndarray:
    rows = [tpl.sm[None]]
    if full:
        # CEvNS is flavour blind: each flavour's charge-radius template is the same coupling on
        # that flavour's flux, so their sum is the template of one r2 for every flavour
        cr = sum(tpl.charge_radius[f] for f in ("e", "mu", "tau"))
        rows += [tpl.millicharge, cr, tpl.dipole(M_DIPOLE)]
    return np.concatenate(rows)


CASES = {
    "polynomial-all-channels": (CSI_POLY, None, True),
    "lindhard-pe-efficiency": (Lindhard.for_element(55, 132.905), PE_EFF, False),
}


@pytest.fixture(scope="module")
def csi_reference(spallation):
    """Direct counts per case, computed once: {case: (detector, rows x bins)}."""
    out = {}
    for case, (quenching, eff, full) in CASES.items():
        det = _csi_detector(quenching, eff)
        out[case] = det, _direct_pe_counts(spallation, det, ENGINE_EDGES, eff, _channels(full))
    return out


# The q^2 (Rutherford) term grows as 1/T^2 while P(n >= 2 PE) ~ lambda^2 ~ T^2: recoils far
# below a keV still feed the lowest PE bin at a constant rate per unit T. The engine starts the
# true-recoil range at GridSpec.t_floor (0.01 keV by default), which drops 0.65% of that bin;
# nuclear recoils are therefore followed down to t_floor / 100 (Detector.recoil_floor); the
# test below checks the default grid, the parametrised one an even lower floor.
LOW_FLOOR = GridSpec(t_floor=1e-4 * KEV)


@pytest.mark.parametrize("case", list(CASES))
def test_engine_photoelectron_templates_equal_direct_integration(spallation, csi_reference, case):
    """RecoilEngine templates of a nuclear-recoil detector read out in Poisson photoelectrons
    equal the direct evaluation with nuem.xsec.nuclear (not the channel registry) to 1e-4."""
    from nuem.rates.electron_recoils import RecoilEngine

    det, ref = csi_reference[case]
    full = CASES[case][2]
    tpl = RecoilEngine(spallation, det, LOW_FLOOR if full else None).templates(ENGINE_EDGES)
    assert tpl.metadata["recoil"] == "nuclear"
    got = _engine_rows(tpl, full)
    assert got.shape == ref.shape and np.all(ref[0] > 0)
    np.testing.assert_allclose(got, ref, rtol=1e-4)


def test_default_grid_keeps_the_low_recoils_of_the_millicharge_template(spallation, csi_reference):
    from nuem.rates.electron_recoils import RecoilEngine

    det, ref = csi_reference["polynomial-all-channels"]
    tpl = RecoilEngine(spallation, det).templates(ENGINE_EDGES)
    np.testing.assert_allclose(tpl.millicharge, ref[1:3], rtol=1e-4)
