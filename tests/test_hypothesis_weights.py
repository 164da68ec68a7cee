"""One hypothesis type and the state weights of a hypothesis for any source.

Independent references: the beam and solar effective moments of ``nuem.theory.effective``
(written from the mass-basis formulas, not from the flavour-basis norms used by
``moment_state_weights``), explicit per-state sums of the templates, and the single-card limit
of ``nuem limits`` for a flavour texture on a reactor card.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import units as u
from nuem.errors import NuemInputError, NuemUnitWarning
from nuem.mixing import pmns_matrix
from nuem.theory import effective as eff
from nuem.theory.hypothesis import (
    ALL_STATES,
    Hypothesis,
    moment_state_weights,
    portal_state_weights,
)
from nuem.theory.moments import MomentMatrix
from nuem.xsec.hypothesis import EMHypothesis

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cards"
U = pmns_matrix("normal")


def _hermitian(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    return a + a.conj().T


def test_emhypothesis_is_the_one_type():
    assert EMHypothesis is Hypothesis
    h = EMHypothesis(mu=1e-11 * u.mu_B, q={"e": 1e-13}, r2=1e-32 * u.cm2)
    assert h.q_of("e") == 1e-13 and h.q_of("mu") == 0.0 and h.r2_of("tau") == 1e-32 * u.cm2
    with pytest.raises(NuemInputError, match="differs between flavours"):
        h.uniform("q")
    with pytest.raises(NuemInputError, match="flavour 'x'"):
        Hypothesis(r2={"x": 1.0})
    with pytest.raises(NuemInputError, match="mu = -1"):
        Hypothesis(mu=-1.0)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["e", "mu", "tau"]))
def test_neutrino_weights_equal_the_beam_moment_of_theory(seed, fl):
    d = _hermitian(seed)
    w = moment_state_weights(d, "mass", "dirac", [f"nu_{fl}", "nu_1", "nu_2", "nu_3"], U)
    beam = float(eff.flavour_effective_moment(MomentMatrix(d), U, fl)) ** 2
    assert w[0] == pytest.approx(beam, rel=1e-12)
    np.testing.assert_allclose(w[1:], np.sum(np.abs(d) ** 2, axis=0), rtol=1e-12)
    # basis independence: the same matrix given in the flavour basis
    dF = MomentMatrix(d).to_flavour(U).d
    np.testing.assert_allclose(
        moment_state_weights(dF, "flavour", "dirac", ALL_STATES, U),
        moment_state_weights(d, "mass", "dirac", ALL_STATES, U),
        rtol=1e-10,
    )


@pytest.mark.parametrize("nature", ["dirac", "majorana"])
def test_antineutrino_weights_equal_the_neutrino_weights(nature):
    """The right-handed nubar_a flips through d^dagger: its weight is the column norm of d^F,
    the nu_a weight, also for a non-Hermitian d = mu - i eps (eps != 0) and delta_CP != 0.
    Independent reference: the v-spinor vertex sum_b |sum_a U_alpha a (mu + i eps)_ab|^2."""
    rng = np.random.default_rng(5)
    if nature == "dirac":
        mu, eps = _hermitian(11), _hermitian(12)
    else:  # Hermitian and antisymmetric: imaginary antisymmetric
        a, b = rng.normal(size=(2, 3, 3))
        mu, eps = 1j * (a - a.T), 1j * (b - b.T)
    mm = MomentMatrix(mu, eps, nature=nature)
    labels = ["nu_e", "nubar_e", "nu_mu", "nubar_mu", "nu_tau", "nubar_tau"]
    w = moment_state_weights(mm.d, "mass", nature, labels, U)
    np.testing.assert_allclose(w[0::2], w[1::2], rtol=1e-12)
    for a_idx, fl in enumerate(("e", "mu", "tau")):
        vertex = np.sum(np.abs(np.einsum("a,ab->b", U[a_idx], mu + 1j * eps)) ** 2)
        assert w[2 * a_idx + 1] == pytest.approx(vertex, rel=1e-12)
        beam = float(eff.flavour_effective_moment(mm, U, fl, antineutrino=True)) ** 2
        assert beam == pytest.approx(vertex, rel=1e-12)


def test_flavour_moment_and_portal_weights():
    h = Hypothesis.flavour_moment("e", 2.0 * u.mu_B)
    w = h.magnetic_weights(ALL_STATES, U)
    np.testing.assert_allclose(w[:3], 4.0 * np.abs(U[0]) ** 2, rtol=1e-12)  # 4 |U_ek|^2
    np.testing.assert_allclose(w[3:], [4.0, 0, 0, 4.0, 0, 0], atol=1e-12)
    pw = portal_state_weights([2.0, 0, 0], ALL_STATES, U)
    np.testing.assert_allclose(pw, w, atol=1e-12)  # one flavour: the same weights
    with pytest.warns(NuemUnitWarning):  # 2 mu_B: round numbers, implausible on purpose
        hp = Hypothesis(M=0.1 * u.MeV, portal=[2.0 * u.mu_B, 0, 0])
    np.testing.assert_allclose(hp.dipole_weights(ALL_STATES, U), w, atol=1e-12)


def test_template_signal_of_a_moment_matrix_is_the_state_sum():
    from nuem.rates import experiment_templates

    tpl = experiment_templates("xenonnt-sr0")
    d = _hermitian(7) * 1e-11
    h = Hypothesis(moments=MomentMatrix(d))
    ref = np.tensordot(np.sum(np.abs(d) ** 2, axis=0) * 1e22, tpl.magnetic_state, 1) * 1e-22
    np.testing.assert_allclose(tpl.signal(h), ref, rtol=1e-12)
    # uniform moment: mu^2 x the summed template, as the keyword form
    a = tpl.signal(Hypothesis(mu=1e-11 * u.mu_B))
    np.testing.assert_allclose(a, tpl.signal(mu=1e-11 * u.mu_B), rtol=0)
    np.testing.assert_allclose(a, 1e-22 * tpl.magnetic_eff, rtol=1e-12)
    # per-flavour millicharge: the flavour pieces add up to the uniform template
    q = 1e-13
    per = tpl.signal(Hypothesis(q={"e": q, "mu": q, "tau": q}))
    np.testing.assert_allclose(per, tpl.signal(q=q), rtol=1e-10)
    # q_e, q_mu, q_tau: photon exchange is flavour-blind, so each flavour's share of the q^2
    # term is its share of the solar neutrinos at the detector; against the vacuum-averaged
    # low-energy P_e->a = sum_k |U_ek|^2 |U_ak|^2 (pp-dominated rate; measured 0.543 / 0.181 /
    # 0.275 against 0.550 / 0.176 / 0.274: MSW lowers P_ee ~1% at pp, ~4% at 7Be energies)
    from nuem.limits.quantities import quantity

    s2 = {f: dict(quantity(f"q_{f}").signal(tpl))[2].sum() for f in ("e", "mu", "tau")}
    w = np.abs(tpl.pmns) ** 2
    for i, f in enumerate(("e", "mu", "tau")):
        vac = float(np.sum(w[0] * w[i]))
        assert s2[f] / sum(s2.values()) == pytest.approx(vac, rel=0.02 if f == "e" else 0.05)


def test_global_fit_of_a_reactor_card_equals_its_limit():
    """A flavour texture on a reactor card (coherent nubar_e weight) reproduces nuem limits."""
    from nuem.experiments import load_card
    from nuem.limits.derive import derive_limit
    from nuem.limits.global_fit import fit_texture

    card = load_card(EXAMPLES / "toy_reactor_ge_er.yaml")
    single = derive_limit(card, "mu_e", expected=False).value
    fitres = fit_texture("flavour", cards=[card, "xenonnt-sr0"], per_experiment=True)
    got = [
        lim.result.value
        for lim in fitres.limits
        if lim.coupling == "mu_e" and lim.experiment == card.name and lim.result is not None
    ]
    assert got and got[0] == pytest.approx(single, rel=2e-3)
    dead = [lim for lim in fitres.limits if lim.experiment == card.name and lim.result is None]
    assert {lim.coupling for lim in dead} == {"mu_mu", "mu_tau"}
    assert all(lim.status == "no sensitivity" and lim.error is None for lim in dead)
