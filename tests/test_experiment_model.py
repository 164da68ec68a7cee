"""The experiment model (source x target x response x time) against direct double integrals.

The two toy cards of ``examples/cards`` are evaluated twice: by the rates engine (flux moments,
channel registry, true-recoil quadrature, kernels) and here by direct Gauss-Legendre double
integrals over the recoil energy and the neutrino energy (checked against adaptive
``scipy.integrate.quad_vec``), with the cross sections of ``nuem.xsec`` (a code path the engine
does not use for nuclei) and the response written out with scipy.stats. They must agree to 1e-4.
"""

from __future__ import annotations

import pickle
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from scipy.special import roots_legendre
from scipy.stats import norm

from nuem import constants as c
from nuem import units as u
from nuem.detectors.targets import Target
from nuem.experiments import load_card
from nuem.limits.build import SM_NU, card_likelihood
from nuem.rates import experiment_templates
from nuem.xsec import atomic, electron, nuclear
from nuem.xsec.kinematics import e_min, t_max

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cards"


def _card(name):
    return load_card(EXAMPLES / f"{name}.yaml")


# ---- a direct double integral -------------------------------------------------------------------
def _t_integral(E, xs, weight, t_lo, t_hi, breaks, masses, n=48):
    """int dT weight(T) xs(E, T) over [t_lo, t_hi] in ln T for each E of the array ``E``, split
    at ``breaks`` and at the kinematic end T_max(E) of every target mass: the n-node
    Gauss-Legendre rule of scipy.integrate.fixed_quad per piece, vectorised over E and T.
    Returns (rows, E.size)."""
    E = np.atleast_1d(np.asarray(E, dtype=float))
    cols = [np.full(E.size, t_lo), *(np.full(E.size, b) for b in breaks)]
    cols += [t_max(E, m) for m in masses] + [np.full(E.size, t_hi)]
    y = np.log(np.sort(np.clip(np.column_stack(cols), t_lo, t_hi), axis=1))
    half = 0.5 * np.diff(y, axis=1)[..., None]  # empty pieces (b = a) get weight 0
    x, w = roots_legendre(n)
    T = np.exp(half * (x + 1) + y[:, :-1, None]).reshape(E.size, -1)
    WT = (half * w).reshape(E.size, -1) * T
    wt = weight(T.ravel()).reshape(-1, *T.shape)  # (rows, E, T)
    return np.sum(wt * xs(E[:, None], T) * WT, axis=-1)


def _direct_counts(src, comps, xs, weight, t_range, breaks, masses):
    """sum_comp Phi_comp [lines + int dE phi(E) int dT weight(T) xs(E, T)]; E by 8 panels of
    16 Gauss-Legendre nodes from 1 keV to the end point. Checked offline against the adaptive
    scipy.integrate.quad_vec over E (epsrel 1e-8) it replaced: they agree to 1e-14."""
    t_lo, t_hi = t_range
    xe, we = roots_legendre(16)
    out = 0.0
    for comp in comps:
        phi = src.flux(comp)
        for ln in src.lines(comp):
            dn = _t_integral(ln.energy, xs, weight, t_lo, t_hi, breaks, masses)[:, 0]
            out = out + phi * ln.fraction * dn
        if src.continuous_fraction(comp) == 0:
            continue
        pe = np.linspace(1e-3 * u.MeV, src.e_max(comp), 9)
        half = 0.5 * np.diff(pe)[:, None]
        E = (half * (xe + 1) + pe[:-1, None]).ravel()
        WE = (half * we).ravel() * src.spectrum(comp, E)
        out = out + phi * (_t_integral(E, xs, weight, t_lo, t_hi, breaks, masses) @ WE)
    return np.asarray(out)


def _p_bins(edges, mean, sigma):
    """P(reconstructed bin i | detected mean), Gaussian (scipy.stats)."""
    s = sigma(mean)
    return norm.cdf((edges[1:, None] - mean) / s) - norm.cdf((edges[:-1, None] - mean) / s)


# ---- toy argon CEvNS at a pi-DAR source ---------------------------------------------------------
@pytest.fixture(scope="module")
def argon():
    card = _card("toy_argon_pidar_nr")
    return card, experiment_templates(card)


def _argon_reference(card, kind: str) -> np.ndarray:
    """Counts per (energy, time) bin by direct integration, xsec from nuem.xsec.nuclear."""
    src, q, edges = card.source, card.quenching, card.bin_edges()
    n_ar = Target.from_formula("Ar").nuclei_per_tonne()["Ar"] / (1000 * u.kg)
    m_min = min(iso.mass for iso in nuclear.element("Ar").isotopes)

    def xs(E, T):
        f = nuclear.cevns if kind == "sm" else nuclear.magnetic
        return f(E, T, "Ar")

    def weight(T):
        return _p_bins(edges, q.ee_from_nr(T), card.resolution) * 0.8

    out = np.zeros((edges.size - 1, card.n_time_bins))
    t_hi = float(2 * 53.0**2 / m_min)  # T_max of the highest-energy neutrino
    for comps in src.timing_groups().values():
        frac = src.time_fractions(comps[0], card.time_edges)
        masses = [iso.mass for iso in nuclear.element("Ar").isotopes]
        val = _direct_counts(src, comps, xs, weight, (1e-3 * u.keV, t_hi), (), masses)
        out += np.outer(val, frac)
    return out * card.exposure * n_ar


@pytest.mark.parametrize("kind", ["sm", "magnetic"])
def test_argon_pidar_card_matches_direct_integration(argon, kind):
    card, tpl = argon
    got = (tpl.sm if kind == "sm" else tpl.magnetic_eff).reshape(-1, card.n_time_bins)
    np.testing.assert_allclose(got, _argon_reference(card, kind), rtol=1e-4)


def test_argon_card_has_prompt_and_delayed_structure(argon):
    card, tpl = argon
    sm = tpl.sm.reshape(-1, card.n_time_bins)
    assert tpl.sm.size == 5 * 4 and tpl.time_edges is not None
    # low recoils: the prompt 29.8 MeV line (first microsecond) dominates; the highest recoils
    # need the delayed Michel neutrinos above the line, which arrive later
    assert sm[0, 0] > 2 * sm[0, 1]
    assert sm[-1, 0] < sm[-1, 1]
    assert tpl.metadata["time_edges_us"] == [0.0, 1.0, 2.0, 4.0, 8.0]


# ---- toy reactor germanium, electron recoils ---------------------------------------------------
@pytest.fixture(scope="module")
def germanium():
    card = _card("toy_reactor_ge_er")
    return card, experiment_templates(card)


def _ge_reference(card) -> dict[str, np.ndarray]:
    """Counts per bin, {"sm", "magnetic"}, by a direct double integral, vectorised over T and E.

    T: Gauss-Legendre (8 nodes) on panels <= 0.25 keV, split at the Ge shells. E: 16-node panels
    in ln E, 24 from E_min(T) to the 2 MeV junction of the reactor spectrum and 24 above it.
    This rule agrees with an adaptive scipy quad_vec over T to 3e-8.
    """
    src, edges = card.source, card.bin_edges()
    step = atomic.Stepping("Ge")
    n_atoms = Target.from_formula("Ge").nuclei_per_tonne()["Ge"] / (1000 * u.kg)
    e_top, e_join = max(src.e_max(k) for k in src.components), 2.0 * u.MeV
    shells = [sh.binding for sh in step.shells if sh.binding > 0.05 * u.keV]
    cuts = np.unique([0.05 * u.keV, *shells, edges[-1] + 8 * u.keV])
    dt = 0.25 * u.keV
    pieces = [np.linspace(a, b, int(np.ceil((b - a) / dt)) + 1) for a, b in pairwise(cuts)]
    pts = np.unique(np.concatenate(pieces))
    x, w = roots_legendre(8)
    T = (0.5 * np.diff(pts)[:, None] * (x + 1) + pts[:-1, None]).ravel()
    W = (0.5 * np.diff(pts)[:, None] * w).ravel()
    lo = e_min(T, c.m_e.value, 0.0)
    assert np.all(lo < e_join)
    s = np.linspace(0.0, 1.0, 25)
    y = np.concatenate(
        [
            np.log(lo)[:, None] + s * np.log(e_join / lo)[:, None],
            np.broadcast_to(np.log(e_join) + s[1:] * np.log(e_top / e_join), (T.size, 24)),
        ],
        axis=1,
    )
    xe, we = roots_legendre(16)
    half = 0.5 * np.diff(y, axis=1)
    E = np.exp((half[..., None] * (xe + 1) + y[:, :-1, None]).reshape(T.size, -1))
    WE = (half[..., None] * we).reshape(T.size, -1)
    flux = sum(src.flux(k) * src.spectrum(k, E) for k in src.components)
    xs = {
        "sm": electron.weak(E, T[:, None], "e", anti=True),
        "magnetic": electron.magnetic(E, T[:, None]),
    }
    p_bins = _p_bins(edges, T, card.resolution) * card.exposure * 0.9 * n_atoms
    out = {}
    for kind, x in xs.items():
        rate = np.sum(WE * flux * x * E, axis=1)  # int dE dPhi/dE dsigma/dT, per electron
        out[kind] = p_bins @ (W * step.electrons(T) * rate)
    return out


@pytest.fixture(scope="module")
def ge_reference(germanium):
    return _ge_reference(germanium[0])


@pytest.mark.parametrize("kind", ["sm", "magnetic"])
def test_reactor_germanium_card_matches_direct_integration(germanium, ge_reference, kind):
    tpl = germanium[1]
    got = tpl.sm if kind == "sm" else tpl.magnetic_eff
    np.testing.assert_allclose(got, ge_reference[kind], rtol=1e-4)


# ---- the must-haves of the issue ----------------------------------------------------------------
def test_cards_without_sm_neutrinos_get_nuems_component():
    """includes_sm_solar_nu: false -> nuem's SM prediction is a background of the likelihood."""
    card = _card("toy_solar_xenon_projection")
    lik = card_likelihood(card, "mu_eff")
    names = [b.name for b in lik.model.backgrounds]
    assert SM_NU in names
    sm = lik.model.backgrounds[names.index(SM_NU)].template.values
    np.testing.assert_allclose(sm, experiment_templates(card).sm)
    assert np.all(lik.counts == 0)
    assert sm.sum() > 10  # a 200 t yr xenon detector sees hundreds of pp-neutrino recoils


def test_mu_eff_only_for_solar_cards():
    from nuem.errors import NuemInputError
    from nuem.limits.derive import derive_limit

    with pytest.raises(NuemInputError, match="solar"):
        derive_limit(_card("toy_reactor_ge_er"), "mu_eff")
    with pytest.raises(NuemInputError, match="solar"):
        derive_limit([_card("toy_reactor_ge_er"), "xenonnt-sr0"], "mu_eff")


def test_sin2w_changes_templates_limits_and_provenance():
    from nuem.limits.derive import derive_limit

    # XENONnT's B0 contains the SM nu, so its mu_eff limit does not depend on s_W^2 (the magnetic
    # signal does not); the charge radius interferes with the weak amplitude and moves.
    base = experiment_templates("xenonnt-sr0").sm.sum()
    lim0 = derive_limit("xenonnt-sr0", "r2_e", expected=False)
    try:
        c.set_sin2_theta_w(0.20)
        moved = experiment_templates("xenonnt-sr0")
        lim1 = derive_limit("xenonnt-sr0", "r2_e", expected=False)
        assert moved.sm.sum() == pytest.approx(73.58, rel=2e-4)
        assert moved.metadata["sin2w"] == 0.20
        assert lim1.constants["sin2_theta_W"]["value"] == 0.20
        assert lim1.value != lim0.value
    finally:
        c.set_sin2_theta_w(None)
    assert experiment_templates("xenonnt-sr0").sm.sum() == base
    assert derive_limit("xenonnt-sr0", "r2_e", expected=False).value == lim0.value


def test_templates_pickle_round_trip(argon):
    for tpl in (experiment_templates("xenonnt-sr0"), argon[1]):
        back = pickle.loads(pickle.dumps(tpl))
        for name in ("sm", "magnetic_eff", "magnetic_state", "millicharge"):
            np.testing.assert_array_equal(getattr(back, name), getattr(tpl, name))
        np.testing.assert_array_equal(back.dipole([0.01, 0.1]), tpl.dipole([0.01, 0.1]))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_card_runs(path):
    card = load_card(path)
    tpl = experiment_templates(card)
    assert tpl.n == card.observed().size and np.all(tpl.sm > 0)
    name = "mu_eff" if card.source_kind == "solar" else "mu_e"
    lik = card_likelihood(card, name)
    assert np.isfinite(lik.nll2(0.0, lik.model.nominal if hasattr(lik.model, "nominal") else ()))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("target", "recoil", "muonic"), "target.recoil"),
        (("target", "formula", "C3F8"), "no atomic shell table"),
        (("target", "formula", "C9H12"), "no atomic shell table"),  # scintillator: atomic free
        (("source", "kind", "beam"), "source.kind"),
        (("source", "distance_m", -1.0), "source"),
    ],
)
def test_cards_that_cannot_run_fail_validation(tmp_path, edit, message):
    import yaml

    from nuem.experiments import CardError

    raw = yaml.safe_load((EXAMPLES / "toy_reactor_ge_er.yaml").read_text())
    block, key, value = edit
    raw[block][key] = value
    f = tmp_path / "toy_reactor_ge_er.yaml"
    f.write_text(yaml.safe_dump(raw))
    with pytest.raises(CardError, match=message):
        load_card(f)


def test_both_recoils_and_pulse_shape_axis(tmp_path):
    """recoil: both + response.pulse_shape = each recoil kind's energy x time templates times its
    fraction in every F90 bin (cards rebuilt with one recoil kind and no F90 as reference)."""
    import yaml

    path = EXAMPLES / "toy_argon_pidar_f90.yaml"
    card = load_card(path)
    tpl = experiment_templates(card)
    raw = yaml.safe_load(path.read_text())
    frac = raw["response"].pop("pulse_shape")["fractions"]
    raw["backgrounds"]["components"][0]["shape"]["values"] = [1.0] * 4
    raw["data"]["bins"]["observed"] = [0] * 4
    ref = 0.0
    for recoil in ("electron", "nuclear"):
        raw["target"]["recoil"] = recoil
        if recoil == "electron":
            q = raw["response"].pop("quenching")
        else:
            raw["response"]["quenching"] = q
        f = tmp_path / recoil / "toy_argon_pidar_f90.yaml"
        f.parent.mkdir()
        f.write_text(yaml.safe_dump(raw))
        part = experiment_templates(load_card(f))
        ref = ref + np.multiply.outer(part.sm, frac[recoil]).ravel()
    np.testing.assert_allclose(tpl.sm, ref, rtol=1e-12)
    assert tpl.sm.size == card.observed().size == 2 * 2 * 2


def test_gaussian_reach_follows_n_sigma_when_sigma_grows_fast():
    """The true-energy range reaches n_sigma sigma above the window even when sigma(E) is
    large near threshold (review finding: a 4 x_hi bracket stopped at 3.3 sigma)."""
    from nuem.detectors.resolution import SqrtLinearSigma
    from nuem.detectors.smearing import GaussianSmearing

    g = GaussianSmearing(SqrtLinearSigma(0.5, 0.0))
    lo, hi = g.reach(0.5 * u.keV, 1.0 * u.keV, 7.0, 1e-6 * u.keV)
    assert (hi - 7.0 * float(g.width(hi))) == pytest.approx(1.0 * u.keV, rel=1e-9)
    assert lo < 0.5 * u.keV


def test_photoelectron_bins_below_two_pe_need_a_vanishing_efficiency():
    from nuem.detectors.efficiency import TabulatedEfficiency
    from nuem.detectors.quenching import PolynomialQuenching
    from nuem.detectors.smearing import PhotoelectronSmearing
    from nuem.errors import NuemInputError
    from nuem.rates import Detector

    pe = PhotoelectronSmearing(13.35 / u.keV)
    det = Detector(1 * u.kg * u.year, "CsI", recoil="nuclear", smearing=pe,
                   quenching=PolynomialQuenching((0.06,)))  # fmt: skip
    T = np.array([1.0, 5.0]) * u.keV
    with pytest.raises(NuemInputError, match="below 2 PE"):
        det.bin_kernel(T, np.array([0.0, 4.0, 8.0]))
    assert det.bin_kernel(T, np.array([2.0, 4.0, 8.0])).shape == (2, 2)
    eff = TabulatedEfficiency(np.array([0.0, 1.9, 2.0, 60.0]), np.array([0, 0, 0.5, 1.0]))
    q = PolynomialQuenching((0.06,))
    det2 = Detector(1 * u.kg * u.year, "CsI", efficiency=eff, efficiency_on="reconstructed",
                    recoil="nuclear", smearing=pe, quenching=q)  # fmt: skip
    assert np.all(det2.bin_kernel(T, np.array([0.0, 2.0, 8.0]))[0] == 0)


def test_tabulated_response_matrix_card_reproduces_its_gaussian(tmp_path):
    """A card whose response is a table of P(bin | E) sampled from its own Gaussian gives the
    Gaussian card's templates up to the linear interpolation between the table's nodes."""
    import hashlib

    import yaml

    from nuem.detectors.smearing import GaussianSmearing

    path = EXAMPLES / "toy_reactor_ge_er.yaml"
    card = load_card(path)
    edges = card.bin_edges()
    nodes = np.linspace(0.05, 70.0, 2800) * u.keV
    P = GaussianSmearing(card.resolution).bin_probability(nodes, edges)
    rows = np.column_stack([nodes / u.keV, P.T])
    cols = ["energy_keV"] + [f"bin{i}" for i in range(P.shape[0])]
    text = ",".join(cols) + "\n" + "\n".join(",".join(repr(float(v)) for v in r) for r in rows)
    (tmp_path / "resp.csv").write_text(text + "\n")
    digest = hashlib.sha256((tmp_path / "resp.csv").read_bytes()).hexdigest()
    raw = yaml.safe_load(path.read_text())
    raw["response"] = {"smearing": {"model": "matrix", "source": "test",
                                    "table": {"file": "resp.csv", "sha256": digest,
                                              "columns": cols}}}  # fmt: skip
    f = tmp_path / "toy_reactor_ge_er.yaml"
    f.write_text(yaml.safe_dump(raw))
    got = experiment_templates(load_card(f))
    ref = experiment_templates(card)
    np.testing.assert_allclose(got.sm, ref.sm, rtol=2e-4)
    np.testing.assert_allclose(got.magnetic_eff, ref.magnetic_eff, rtol=2e-4)
