"""`nuem fit` option handling: built-in names listed, --plot refused early, --expected shown."""

from types import SimpleNamespace

from nuem.cli import fit_cmd


def test_unknown_texture_lists_the_builtins(nuem_cli):
    code, _, err = nuem_cli("fit", "--texture", "dirac")
    assert code == 2
    assert "dirac-mass, majorana, flavour" in err and err.count("\n") == 1


def test_plot_of_a_one_coupling_texture_fails_before_any_fit(nuem_cli, tmp_path, monkeypatch):
    tex = tmp_path / "one.yaml"
    tex.write_text(
        "name: one\nnature: dirac\nbasis: flavour\nmatrix: [[mu_e, 0, 0], [0, 0, 0], [0, 0, 0]]\n"
    )

    def no_fit(*args, **kwargs):
        raise AssertionError("the fit ran before the --plot check")

    monkeypatch.setattr(fit_cmd, "fit_texture", no_fit)
    code, _, err = nuem_cli(
        "fit", "--texture", str(tex), "--region", "9", "--plot", str(tmp_path / "r.png")
    )
    assert code == 2 and "single coupling" in err


def _fake_fit(expected_median):
    result = SimpleNamespace(
        allowed=None, sided="one-sided", value=7.9e-12, interval=None, cl=0.9,
        expected_median=expected_median,
    )  # fmt: skip
    lim = SimpleNamespace(coupling="mu_e", experiment="xenonnt", result=result, status=None)
    texture = SimpleNamespace(
        name="flavour", nature="dirac", basis="flavour", ordering="normal", origin="built-in",
        couplings=[SimpleNamespace(name="mu_e")],
    )  # fmt: skip
    return SimpleNamespace(texture=texture, limits=[lim], best_fit=None)


def test_expected_limits_appear_in_the_table():
    text = fit_cmd.table(_fake_fit(1.19e-11), expected=True)
    assert "< 7.9e-12 (exp 1.19e-11)" in text and "Asimov median expected" in text
    assert "(exp" not in fit_cmd.table(_fake_fit(1.19e-11), expected=False)
