"""Global fit of the moment matrix (issue 6): textures, state weights, and agreement with
`nuem limits` when every other moment is zero."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem.cli import cli
from nuem.errors import NuemInputError
from nuem.limits.derive import derive_limit
from nuem.limits.global_fit import fit_texture
from nuem.limits.texture import builtin_texture, texture_from_dict
from nuem.mixing import pmns_matrix
from nuem.theory.moments import MomentMatrix

MU_EFF = {"nature": "dirac", "basis": "mass", "matrix": [["mu", 0, 0], [0, "mu", 0], [0, 0, "mu"]]}
MU_E = {"nature": "dirac", "basis": "flavour", "matrix": [["mu_e", 0, 0], [0, 0, 0], [0, 0, 0]]}


@pytest.mark.parametrize(
    ("texture", "quantity", "card"),
    [
        (MU_EFF, "mu_eff", "xenonnt-sr0"),
        (MU_EFF, "mu_eff", "lz"),
        (MU_E, "mu_e", "xenonnt-sr0"),
        (MU_E, "mu_e", "pandax"),
    ],
)
def test_single_coupling_fit_matches_nuem_limits(texture, quantity, card):
    """With one coupling and every other moment zero, the fit of one card is `nuem limits`
    (POI mu instead of mu^2: the profile-likelihood ratio is invariant, so the limits agree to
    the root finder's precision)."""
    res = fit_texture(texture_from_dict(texture, "test"), [card], per_experiment=True)
    (lim,) = res.limits
    ref = derive_limit(card, quantity, expected=False)
    assert lim.result.value == pytest.approx(ref.value, rel=2e-4)


def test_signal_preferred_interval_also_matches():
    """XENON1T prefers a signal: the one-coupling fit returns the same two-sided interval."""
    res = fit_texture(texture_from_dict(MU_EFF, "test"), ["xenon1t"])
    ref = derive_limit("xenon1t", "mu_eff", expected=False)
    np.testing.assert_allclose(res.limits[0].result.interval, ref.interval, rtol=2e-4)


def test_profiling_other_couplings_only_weakens():
    one = fit_texture(texture_from_dict(MU_E, "test"), ["xenonnt-sr0"]).limits[0].limit
    three = fit_texture("flavour", ["xenonnt-sr0"])
    mu_e = next(x for x in three.limits if x.coupling == "mu_e").limit
    assert mu_e >= one * (1 - 1e-4)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_flavour_weights_equal_explicit_basis_change(p):
    """a_k = Σ_j |(U† μ^F U)_jk|² from MomentMatrix equals Σ_α |U_αk|² μ_α² (unitarity)."""
    U = pmns_matrix("normal")
    a = builtin_texture("flavour").state_weights(U)(np.array(p))
    mm = MomentMatrix(np.diag(p).astype(complex), nature="dirac", basis="flavour").to_mass(U)
    np.testing.assert_allclose(a, np.sum(np.abs(mm.mu) ** 2, axis=0), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a, (np.abs(U) ** 2).T @ np.square(p), rtol=1e-10, atol=1e-12)


def test_majorana_weights_are_lambda_sums():
    """Cañas et al.: |μ_jk| = |ε_ijk Λ_i| so a_1 = Λ2² + Λ3², a_2 = Λ1² + Λ3², a_3 = Λ1² + Λ2²."""
    lam = np.array([1.0, 2.0, 3.0])
    a = builtin_texture("majorana").state_weights()(lam)
    np.testing.assert_allclose(a, [13.0, 10.0, 5.0])


def test_flavour_basis_majorana_texture_must_be_antisymmetric():
    bad = {"nature": "majorana", "matrix": [["x", 0, 0], [0, 0, 0], [0, 0, 0]]}
    with pytest.raises(NuemInputError, match="antisymmetric"):
        texture_from_dict(bad, "bad.yaml")
    ok = {"nature": "majorana", "matrix": [[0, "x", 0], ["-x", 0, 0], [0, 0, 0]]}
    U = pmns_matrix("normal", alpha21=0.7, alpha31=-1.1)
    t = texture_from_dict(ok, "ok.yaml")
    A, _ = t.mass_basis(U)
    np.testing.assert_allclose(A[0], -A[0].T, atol=1e-14)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ({"matrix": [[1, 2], [3, 4]]}, "3x3"),
        ({"matrix": [["2*", 0, 0], [0, 0, 0], [0, 0, 0]]}, r"matrix\[0\]\[0\]"),
        ({"matrix": [[0, 0, 0], [0, 0, 0], [0, 0, 0]]}, "no coupling"),
        ({"matrix": [["x", 0, 0], [0, 0, 0], [0, 0, 0]], "colour": 1}, "unknown"),
        ({"matrix": [["x", 0, 0], [0, 0, 0], [0, 0, 0]], "basis": "spin"}, "basis"),
    ],
)
def test_texture_errors_name_the_field(bad, match):
    with pytest.raises(NuemInputError, match=match):
        texture_from_dict(bad, "t.yaml")


def test_entry_expressions():
    t = texture_from_dict(
        {"matrix": [["-2.5*x", "i*y", 0.5], [0, 0, 0], [0, 0, 0]], "couplings": {"y": {}}}, "t"
    )
    assert [c.name for c in t.couplings] == ["y", "x"]
    np.testing.assert_allclose(t.matrix(np.array([1.0, 2.0]))[0], [-5.0, 1j, 0.5])


def test_cli_fit_texture_file(tmp_path):
    f = tmp_path / "tex.yaml"
    f.write_text(
        "nature: dirac\nbasis: flavour\nmatrix:\n  - [mu_e, 0, 0]\n  - [0, 0, 0]\n  - [0, 0, 0]\n"
    )
    r = CliRunner().invoke(cli, ["fit", "--texture", str(f), "--experiment", "xenonnt-sr0",
                                 "--json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    (out,) = json.loads(r.stdout)
    assert out["texture"]["couplings"] == [{"name": "mu_e", "signed": False}]
    (lim,) = out["limits"]
    ref = derive_limit("xenonnt-sr0", "mu_e", expected=False).value
    assert (
        lim["limit"] == pytest.approx(ref, rel=2e-4) and lim["experiment"] == "xenonnt_sr0_er_2022"
    )


def test_cli_fit_missing_texture_is_user_error():
    from nuem.cli.main import main

    with pytest.raises(SystemExit) as e:
        main(["fit", "--texture", "/nonexistent/texture.yaml"])
    assert e.value.code == 2


def test_signed_coupling_gives_symmetric_allowed_region():
    """A signed μ_e enters only as μ_e²: the allowed region is [−L, L] with L² the upper end of
    the two-sided Δχ² interval on x = μ_e² from `nuem limits`' likelihood."""
    from nuem.limits.build import card_likelihood
    from nuem.stats import interval

    tex = dict(MU_E, couplings={"mu_e": {"lower": None}})
    (lim,) = fit_texture(texture_from_dict(tex, "t"), ["lz"]).limits
    (lo, hi), *_ = lim.result.allowed
    L = np.sqrt(interval(card_likelihood("lz", "mu_e")).upper)
    assert hi == pytest.approx(L, rel=1e-3) and lo == pytest.approx(-L, rel=1e-3)


def test_region_row_at_zero_is_single_coupling_profile():
    """Second construction: on the row mu_mu = 0 the 2-D grid equals the profile of the
    one-coupling (mu_e only) texture, relative to the same minimum."""
    from nuem.limits.global_fit import region_2d, texture_likelihood
    from nuem.stats import fit, profile

    two = {"nature": "dirac", "basis": "flavour",
           "matrix": [["mu_e", 0, 0], [0, "mu_mu", 0], [0, 0, 0]]}  # fmt: skip
    reg = region_2d(texture_from_dict(two, "t"), cards=["xenonnt-sr0"], n=7)
    assert reg.y[0] == 0.0 and reg.level == pytest.approx(4.60517, rel=1e-5)
    view = texture_likelihood(texture_from_dict(MU_E, "t"), ["xenonnt-sr0"]).for_poi("mu_e")
    nll_min = fit(view).nll2
    ref = np.array([profile(view, float(x)).nll2 - nll_min for x in reg.x])
    np.testing.assert_allclose(reg.delta_nll2[0], ref, atol=2e-3)
    inside = reg.allowed()
    assert inside[0, 0] and not inside[-1, -1]


def test_region_plot_returns_fig_ax():
    from nuem.limits.global_fit import Region2D
    from nuem.plot import plot_region

    x = y = np.linspace(0, 2e-11, 6)
    d = (x[None, :] ** 2 + y[:, None] ** 2) / 1e-22
    reg = Region2D(("a", "b"), x, y, d, 0.9, 4.6, (0.0, 0.0), ["card"])
    fig, ax = plot_region(reg)
    assert ax.get_xlabel().startswith("a") and fig is ax.figure


def test_region_plot_overlays_regions_and_limit_lines():
    from nuem.limits.global_fit import Region2D
    from nuem.plot import plot_region
    from nuem.plot.region import coupling_tex

    x = y = np.linspace(0, 2e-11, 6)
    d = (x[None, :] ** 2 + y[:, None] ** 2) / 1e-22
    comb = Region2D(("mu_e", "mu_mu"), x, y, d, 0.9, 4.6, (0.0, 0.0), ["a_card", "b_card"])
    one = Region2D(("mu_e", "mu_mu"), x, y, 0.5 * d, 0.9, 4.6, (0.0, 0.0), ["a_card"])
    fig, ax = plot_region([comb, one], limits={"mu_e": 1e-11, "mu_mu": 1.5e-11})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "combined (2 experiments)" and labels[1] == "a_card"
    assert "1-D limits (others profiled)" in labels
    assert ax.get_xlabel().startswith(r"$\mu_{e}$")
    assert len(ax.lines) >= 3  # best fit + two limit lines
    assert coupling_tex("Lambda_1") == r"$\Lambda_{1}$" and coupling_tex("x1") == "x1"
    assert coupling_tex("mu_e_mu") == r"$\mu_{e\mu}$"
