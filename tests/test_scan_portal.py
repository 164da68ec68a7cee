"""The dipole-portal scan: M_N -> 0 limit, kinematic reach, executors, cache and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import yaml

from nuem import units as u
from nuem.catalog import entry, interpolate
from nuem.errors import NuemInputError
from nuem.limits.derive import derive_limit, sensitive
from nuem.limits.portal import portal_hypothesis
from nuem.rates.experiment import resolve_card
from nuem.scan import LimitCurve, card_reach, parse_masses, portal_cards, scan, sensitive_masses
from nuem.scan.cache import ScanCache
from nuem.xsec.kinematics import e_min

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _cards():
    return [c.name for c in portal_cards()]


# ---- M_N -> 0: the `nuem limits` flavour limits ---------------------------------------------


@pytest.mark.parametrize("card", _cards())
def test_light_n_meets_the_flavour_moment_limit(card, tmp_path):
    """At M_N = 1 keV every curve equals `nuem limits` mu_<flavour> (mu_eff for eff) to 1%:
    portal weights |U_ak|^2 = flavour-moment weights, and 1 keV upscattering = M = 0."""
    c = resolve_card(card)
    curves = scan([c], masses=[1.0 * u.keV], cache=False)
    assert [cv.flavour for cv in curves] == ["e", "mu", "tau", "eff"]
    for cv in curves:
        name = "mu_eff" if cv.flavour == "eff" else f"mu_{cv.flavour}"
        if name == "mu_eff" and c.source_kind != "solar":
            continue  # mu_eff is solar; elsewhere the uniform moment has no nuem-limits row
        if not sensitive([c], name):
            assert cv.status == ["no sensitivity"], (card, name)  # e.g. mu_mu at a reactor
            continue
        ref = derive_limit(c, name, expected=False)
        assert cv.status == ["ok"]
        assert cv.observed[0] == pytest.approx(ref.headline, rel=0.01), (card, name)
        if ref.interval is not None:  # XENON1T: the data prefer a signal, an interval
            assert cv.lower[0] == pytest.approx(ref.interval[0], rel=0.01)


def test_expected_band_at_light_n_meets_nuem_limits():
    c = resolve_card("lz")
    cv = scan([c], flavours=["e"], masses=[1.0 * u.keV], expected=True, cache=False)[0]
    ref = derive_limit(c, "mu_e")
    for k, v in ref.expected.items():
        assert cv.expected[k][0] == pytest.approx(v, rel=0.01), k


# ---- kinematics: reach and "no sensitivity" ------------------------------------------------


def test_reach_is_the_analytic_threshold_of_the_window_top():
    """For a 1-30 keV electron-recoil window and the hep endpoint (18.784 MeV), the largest M
    solves E_min(T, m_e, M) = E_hep; E_min(T) falls with T here, so T = 30 keV (window top)."""
    c = resolve_card("xenonnt-sr0")
    T, m, E = 30.0 * u.keV, 0.51099895069 * u.MeV, 18.784 * u.MeV
    # E_min = (2 m T + M^2)(p + T)/(4 m T)  ->  M^2 = 4 m T E/(p + T) - 2 m T
    p = np.sqrt(T * T + 2 * m * T)
    M_exact = np.sqrt(4 * m * T * E / (p + T) - 2 * m * T)
    assert card_reach(c) == pytest.approx(M_exact, rel=2e-3)
    assert e_min(T, m, M_exact) == pytest.approx(E, rel=1e-9)
    ok = sensitive_masses(c, [0.5 * M_exact, 0.99 * M_exact, 1.01 * M_exact])
    assert ok.tolist() == [True, True, False]


def test_beyond_reach_is_no_sensitivity_not_a_number():
    c = resolve_card("lz")
    M = card_reach(c)
    cv = scan([c], flavours=["e"], masses=[0.5 * M, 2.0 * M], cache=False)[0]
    assert cv.status == ["ok", "no sensitivity"]
    assert cv.observed[1] is None and cv.observed[0] > 0


def test_limits_weaken_with_mass():
    c = resolve_card("pandax")
    cv = scan([c], flavours=["eff"], masses=np.geomspace(0.01, 2.0, 5) * u.MeV, cache=False)[0]
    v = np.array(cv.observed)
    assert np.all(np.diff(v) > 0)


@pytest.mark.filterwarnings("ignore::nuem.errors.NuemUnitWarning")  # 1 mu_B: unit weights
def test_portal_hypothesis_weights_are_the_flavour_moment_weights():
    from nuem.theory.hypothesis import Hypothesis

    states = ("nu_1", "nu_2", "nu_3", "nu_e", "nubar_mu")
    for fl in ("e", "mu", "tau"):
        w_portal = portal_hypothesis(fl, 1.0 * u.MeV).dipole_weights(states)
        w_moment = Hypothesis.flavour_moment(fl, u.mu_B).magnetic_weights(states)
        np.testing.assert_allclose(w_portal, w_moment, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(portal_hypothesis("eff", 1.0).dipole_weights(states), 1.0)


# ---- comparison with the digitised Brdar et al. curve ------------------------------------


def test_xenon1t_compared_with_the_digitised_brdar_curve():
    """nuem's XENON1T curve (electron recoils, 1-30 keV) against Xenon1T_d.dat of Brdar et al.
    (arXiv:2007.15563, digitised by HNLimits, M_N >= 1 MeV only). That curve is their
    *nuclear-recoil* analysis: it runs flat to 11 MeV, beyond the reach of any 30-keV
    electron-recoil window (2.35 MeV with hep neutrinos, test above), so the two are different
    observables and can only agree in size where both are flat. Stated tolerance: from 1.0 to
    1.5 MeV nuem's limit (flavour e) lies within a factor 3 of the digitised curve (measured
    0.44 at 1.0 MeV, 0.97 at 1.46 MeV); towards its reach it must weaken far below the flat NR
    curve (measured x 140 at 2.1 MeV). nuem's curve also lies above (weaker than) their Borexino
    curve at 1 MeV (measured x 3.0), the ordering of their figure."""
    brdar = entry("portal_e_xenon")
    c = resolve_card("xenon1t")
    masses = np.array([1.01, 1.2, 1.46, 2.1]) * u.MeV
    cv = scan([c], flavours=["e"], masses=masses, cache=False)[0]
    ratio = np.array(cv.observed) / interpolate(brdar, masses / u.MeV)
    assert np.all((ratio[:3] > 1 / 3) & (ratio[:3] < 3)), ratio
    assert ratio[3] > 30, ratio
    assert cv.observed[0] > interpolate(entry("portal_e_borexino"), [1.01])[0]


def test_borexino_compared_with_the_digitised_brdar_curve():
    """Runs once a Borexino card is merged: nuem's Borexino curve against Borexino_d.dat of
    Brdar et al. (same data, electron recoils) over the common range, within a factor 2."""
    names = [n for n in _cards() if n.startswith("borexino")]
    if not names:
        pytest.skip("no Borexino card in this tree yet")
    brdar = entry("portal_e_borexino")
    lo, hi = min(brdar.masses_MeV), min(max(brdar.masses_MeV), card_reach(names[0]) / u.MeV)
    masses = np.geomspace(lo, 0.9 * hi, 5) * u.MeV
    cv = scan([names[0]], flavours=["e"], masses=masses, cache=False)[0]
    ratio = np.array(cv.observed, dtype=float) / interpolate(brdar, masses / u.MeV)
    assert np.all((ratio > 0.5) & (ratio < 2.0)), ratio


# ---- results: LimitCurve formats -----------------------------------------------------------


def _small_curve():
    return LimitCurve(
        experiment="x",
        flavour="e",
        masses_MeV=[0.001, 0.01, 1.0],
        observed=[1e-11, 2e-11, None],
        lower=[5e-12, None, None],
        status=["ok", "ok", "no sensitivity"],
        cl=0.9,
        expected={
            k: [f * 1e-11, f * 1.5e-11, None]
            for k, f in zip(
                ("median", "minus1", "plus1", "minus2", "plus2"),
                (1, 0.7, 1.4, 0.5, 1.9),
                strict=True,
            )
        },
    )


def test_limit_curve_round_trips_and_writes_every_format(tmp_path):
    cv = _small_curve()
    assert LimitCurve.from_json(cv.to_json()) == cv
    rows = cv.rows()
    assert rows[0]["interval_muB"] == [5e-12, 1e-11]
    assert {"experiment", "flavour", "mass_MeV", "limit_muB", "expected_muB", "cl"} <= set(rows[0])
    assert cv.excess_region() == [(0.001, 5e-12, 1e-11)]
    csv_lines = [ln for ln in cv.write(tmp_path / "c.csv").read_text().splitlines() if ln[0] != "#"]
    assert csv_lines[0].startswith("mass_MeV,limit_muB,lower_muB,expected_median_muB")
    assert csv_lines[3].endswith(",no sensitivity")
    hep = yaml.safe_load(cv.write(tmp_path / "c.yaml").read_text())
    assert [v["value"] for v in hep["independent_variables"][0]["values"]] == [0.001, 0.01, 1.0]
    obs = hep["dependent_variables"][0]
    assert obs["values"][2] == {"value": "-"}
    assert {"name": "CL", "value": "90%"} in obs["qualifiers"]
    json.loads((cv.write(tmp_path / "c.json")).read_text())
    with pytest.raises(NuemInputError):
        cv.write(tmp_path / "c.txt")


def test_limit_curve_rejects_ragged_arrays():
    with pytest.raises(NuemInputError):
        LimitCurve("x", "e", [1.0, 2.0], [1e-11], ["ok", "ok"], 0.9)


def test_parse_masses():
    m = parse_masses("1keV:10MeV:5")
    np.testing.assert_allclose(m / u.MeV, [1e-3, 1e-2, 1e-1, 1.0, 10.0])
    for bad in ("1keV:10MeV", "1:10MeV:5", "1keV:10MeV:x", "10MeV:1keV:3"):
        with pytest.raises(NuemInputError):
            parse_masses(bad)


# ---- executors and cache ---------------------------------------------------------------


MASSES = np.array([0.003, 0.3, 1.5]) * u.MeV


def test_any_executor_gives_the_serial_result(tmp_path):
    serial = scan(["lz"], flavours=["mu"], masses=MASSES, cache=False, chunk=1)
    with ThreadPoolExecutor(2) as ex:
        threaded = scan(["lz"], flavours=["mu"], masses=MASSES, cache=False, executor=ex, chunk=1)
    assert threaded[0].observed == serial[0].observed


def test_dask_scan_equals_serial_scan():
    distributed = pytest.importorskip("dask.distributed")
    serial = scan(["lz"], flavours=["e", "tau"], masses=MASSES, cache=False, chunk=1)
    # a real scheduler on TCP loopback (not the in-process transport), one in-process worker
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None,
        protocol="tcp", host="127.0.0.1", scheduler_port=0,
    ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        got = scan(
            ["lz"], flavours=["e", "tau"], masses=MASSES, cache=False,
            executor=client.get_executor(), chunk=1,
        )  # fmt: skip
    for a, b in zip(got, serial, strict=True):
        assert a.to_dict() | {"constants": None} == b.to_dict() | {"constants": None}


def test_warm_cache_returns_the_same_curves_without_computing(tmp_path, monkeypatch):
    cold = scan(["lz"], flavours=["e"], masses=MASSES, cache=tmp_path)
    import nuem.scan.portal as sp

    def boom(*a, **k):
        raise AssertionError("computed although cached")

    monkeypatch.setattr(sp, "compute_chunk", boom)
    warm = scan(["lz"], flavours=["e"], masses=MASSES, cache=tmp_path)
    assert warm[0] == cold[0]


def test_cache_ignores_truncated_and_foreign_files(tmp_path):
    store = ScanCache(tmp_path)
    store.put("k1", {"a": 1})
    assert store.get("k1") == {"a": 1}
    store.path("k2").write_text('{"key": "k2", "value": {"a"')  # a half-written file
    assert store.get("k2") is None
    store.path("k3").write_text(json.dumps({"key": "other", "value": 1}))
    assert store.get("k3") is None
    assert not list(tmp_path.glob("*.tmp"))


_KILLED = """
import sys, numpy as np
from nuem import units as u
from nuem.scan import scan
scan(["lz"], flavours=["e"], masses=np.geomspace(0.001, 2.0, 12) * u.MeV, cache=sys.argv[1],
     chunk=1)
"""


def test_killed_scan_resumes_and_never_returns_half_a_result(tmp_path, monkeypatch):
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.Popen([sys.executable, "-c", _KILLED, str(tmp_path)], env=env)
    try:
        deadline = time.time() + 120
        while len(list(tmp_path.glob("*.json"))) < 3 and time.time() < deadline:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    done_before = len(list(tmp_path.glob("*.json")))
    assert 3 <= done_before < 13  # some chunks, and no assembled curve (12 chunks + 1 curve)
    import nuem.scan.portal as sp

    calls = []
    real = sp.compute_chunk

    def counting(*args):
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(sp, "compute_chunk", counting)
    masses = np.geomspace(0.001, 2.0, 12) * u.MeV
    resumed = scan(["lz"], flavours=["e"], masses=masses, cache=tmp_path, chunk=1)[0]
    assert len(calls) == 12 - done_before  # only the missing chunks
    fresh = scan(["lz"], flavours=["e"], masses=masses, cache=False, chunk=1)[0]
    assert resumed.observed == fresh.observed and resumed.status == fresh.status


def test_any_card_kind_joins_the_scan():
    """A reactor card (flavour states, nubar_e only): flavour e meets `nuem limits` mu_e at
    M_N -> 0, mu and tau have no signal at all ("no sensitivity", not a number)."""
    path = Path(__file__).resolve().parents[1] / "examples" / "cards" / "toy_reactor_ge_er.yaml"
    c = resolve_card(str(path))
    e, mu, tau = scan([c], flavours=["e", "mu", "tau"], masses=[1.0 * u.keV], cache=False)
    assert e.observed[0] == pytest.approx(derive_limit(c, "mu_e", expected=False).headline, 0.01)
    assert mu.status == tau.status == ["no sensitivity"]


def test_hepdata_tables_pass_the_hepdata_validator(tmp_path):
    """The official schema (hepdata-validator) accepts the curve's table and, with it, the single
    LimitResult table of nuem limits (same layout; ``asymerror`` for the bands)."""
    validator = pytest.importorskip("hepdata_validator.data_file_validator")
    from nuem.limits.result import LimitResult

    res = LimitResult(
        quantity="mu_eff", unit="mu_B", cl=0.9, sided="one-sided", test_statistic="q_tilde",
        critical_value=1.64, method="asymptotic", value=6e-12,
        expected={"median": 8e-12, "minus1": 6e-12, "plus1": 1.1e-11, "minus2": 5e-12,
                  "plus2": 1.4e-11},
    )  # fmt: skip
    for name, text in (("curve", _small_curve().to_hepdata_yaml()), ("one", res.to_hepdata_yaml())):
        f = tmp_path / f"{name}.yaml"
        f.write_text(text)
        v = validator.DataFileValidator()
        assert v.validate(file_path=str(f)), v.get_messages()
