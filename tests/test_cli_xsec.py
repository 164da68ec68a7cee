"""``nuem xsec``: JSON contract, per-atom scaling, nuclear targets and one-line errors."""

import json

import pytest

from cli_runner import run_nuem
from nuem import units as u
from nuem.xsec import electron

PI_ALPHA2_OVER_ME2_CM2 = 2.4946e-25  # pi alpha^2/m_e^2 in cm^2 (CODATA 2022 r_e^2 pi/... )


def nuem(*args):
    return run_nuem(*args)


def test_electron_json_contract_and_magnetic_value():
    r = nuem(
        "xsec",
        "--target",
        "electron",
        "--flavour",
        "mu",
        "--E",
        "1MeV",
        "--T",
        "5keV",
        "--mu",
        "1e-11",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out["terms"]) >= {"weak", "magnetic", "charge_radius", "millicharge"}
    # magnetic term by hand: (pi alpha^2/m_e^2)(1/T - 1/E) mu^2, T = 5e-3 MeV, E = 1 MeV
    hand = PI_ALPHA2_OVER_ME2_CM2 * (1 / 5e-3 - 1 / 1.0) * 1e-22 / 1e3  # per keV
    assert out["terms"]["magnetic"] == pytest.approx(hand, rel=1e-3)
    assert out["dsigma_dT_cm2_per_keV"] == pytest.approx(sum(out["terms"].values()), rel=1e-12)


def test_atomic_stepping_scales_by_electron_count():
    base = ["xsec", "--target", "electron", "--E", "2MeV", "--T", "10keV", "--json"]
    free = json.loads(nuem(*base).stdout)["dsigma_dT_cm2_per_keV"]
    step = json.loads(nuem(*base, "--atomic", "stepping", "--element", "Xe").stdout)
    # Xe at 10 keV: all but the two K electrons (K edge 34.56 keV) scatter
    assert step["dsigma_dT_cm2_per_keV"] == pytest.approx(52 * free, rel=1e-12)


def test_nuclear_target_and_dipole_key():
    r = nuem(
        "xsec",
        "--target",
        "Xe",
        "--E",
        "30MeV",
        "--T",
        "10keV",
        "--mu",
        "1e-10",
        "--M",
        "5MeV",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out["terms"]) == {"weak", "dipole"}
    assert out["terms"]["weak"] > 0 and out["terms"]["dipole"] > 0


def test_forbidden_point_is_zero_not_error():
    r = nuem("xsec", "--target", "electron", "--E", "0.1MeV", "--T", "1MeV", "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["dsigma_dT_cm2_per_keV"] == 0.0


@pytest.mark.parametrize(
    "args, word",
    [
        (["--target", "Zz", "--E", "1MeV", "--T", "1keV"], "target"),
        (["--target", "electron", "--flavour", "q", "--E", "1MeV", "--T", "1keV"], "flavour"),
        (["--target", "electron", "--E", "-1MeV", "--T", "1keV"], "E = -1.0"),
        (["--target", "electron", "--E", "1MeV", "--T", "1keV", "--mu", "-1"], "--mu"),
        (["--target", "electron", "--E", "1MeV", "--T", "1parsec"], "unit"),
        (
            ["--target", "electron", "--E", "1MeV", "--T", "1keV", "--atomic", "stepping"],
            "--element",
        ),
    ],
)
def test_user_errors_are_one_line(args, word):
    r = nuem("xsec", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nuem: error:") and word in lines[0]


def test_cli_matches_library():
    r = nuem(
        "xsec",
        "--target",
        "electron",
        "--flavour",
        "e",
        "--anti",
        "--E",
        "3MeV",
        "--T",
        "0.2MeV",
        "--json",
    )
    lib = electron.weak(3.0, 0.2, "e", anti=True) / (u.cm2 / u.keV)
    assert json.loads(r.stdout)["terms"]["weak"] == pytest.approx(float(lib), rel=1e-12)


@pytest.mark.parametrize(
    ("q", "r2", "keys"),
    [
        ("1e-10", "0", {"weak", "magnetic", "millicharge"}),
        ("0", "-3e-31", {"weak", "magnetic", "charge_radius"}),
        ("2e-10", "1e-31", {"weak", "magnetic", "charge_radius", "millicharge",
                            "charge_radius_millicharge_cross"}),
    ],
)  # fmt: skip
def test_nuclear_target_takes_millicharge_and_charge_radius(nuem_cli, q, r2, keys):
    from nuem.xsec import nuclear

    args = ["--target", "Ar", "--E", "30MeV", "--T", "10keV", "--mu", "1e-9"]
    code, stdout, stderr = nuem_cli("xsec", *args, "--q", q, "--r2", r2, "--json")
    assert code == 0, stderr
    out = json.loads(stdout)
    assert set(out["terms"]) == keys and out["per"].startswith("Ar nucleus")
    E, T = 30 * u.MeV, 10 * u.keV
    em = nuclear.cevns_em(E, T, "Ar", r2=float(r2) * u.cm2, q=float(q))
    full = em + 1e-18 * nuclear.magnetic(E, T, "Ar")
    assert out["dsigma_dT_cm2_per_keV"] == pytest.approx(float(full) / (u.cm2 / u.keV), rel=1e-9)
    weak = float(nuclear.cevns(E, T, "Ar")) / (u.cm2 / u.keV)
    assert out["terms"]["weak"] == pytest.approx(weak, rel=1e-12)
    # Q_W > 0: a negative <r^2> (or a positive q) lowers |Q| and the CEvNS rate
    if float(r2) < 0:
        assert out["terms"]["charge_radius"] < 0


@pytest.mark.parametrize(
    ("extra", "word"),
    [
        (["--atomic", "stepping"], "--target electron"),
        (["--element", "Xe"], "--target electron"),
        (["--flavour", "x"], "--flavour"),
        (["--q", "nan"], "--q"),
    ],
)
def test_nuclear_target_errors_are_one_line(nuem_cli, extra, word):
    args = ["xsec", "--target", "Xe", "--E", "30MeV", "--T", "10keV", *extra]
    code, _, stderr = nuem_cli(*args)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nuem: error:") and word in lines[0]


def test_compound_target_is_the_sum_over_its_nuclei(nuem_cli):
    """CsI per formula unit = Cs nucleus + I nucleus (each from its own run)."""

    def total(*args):
        code, out, err = nuem_cli("xsec", *args, "--E", "30MeV", "--T", "5keV", "--json")
        assert code == 0, err
        return json.loads(out)

    cs, i, csi = (total("--target", t) for t in ("Cs", "I", "CsI"))
    assert csi["dsigma_dT_cm2_per_keV"] == pytest.approx(
        cs["dsigma_dT_cm2_per_keV"] + i["dsigma_dT_cm2_per_keV"], rel=1e-12
    )
    assert "formula unit" in csi["per"]


def test_compound_electrons_count_every_atom(nuem_cli):
    """Free electrons of C9H12: 9*6 + 12*1 = 66 per molecule."""

    base = ("xsec", "--target", "electron", "--E", "1MeV", "--T", "5keV", "--json")
    one = json.loads(nuem_cli(*base)[1])["dsigma_dT_cm2_per_keV"]
    mol = json.loads(nuem_cli(*base, "--atomic", "free", "--element", "C9H12")[1])
    assert mol["dsigma_dT_cm2_per_keV"] == pytest.approx(66 * one, rel=1e-12)


def test_hyphenated_form_factor_name_is_accepted(nuem_cli):
    args = ("xsec", "--target", "Xe", "--E", "30MeV", "--T", "10keV", "--form-factor")
    a, b = nuem_cli(*args, "klein-nystrand"), nuem_cli(*args, "Klein_Nystrand")
    assert a[0] == b[0] == 0 and a[1] == b[1]
    assert nuem_cli(*args, "helm")[1] != a[1]
