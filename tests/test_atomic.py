"""Validation of nuem.xsec.atomic (binding models for electron targets)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.xsec import atomic

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "xenon_atomic"

# Z from the periodic table, typed here independently of the module
Z = {"Xe": 54, "Ar": 18, "Ge": 32, "Si": 14}


@pytest.mark.parametrize("sym", ["Xe", "Ar", "Ge", "Si"])
def test_occupancies_sum_to_z_and_shell_capacities(sym):
    shells = atomic.SHELLS[sym]
    assert sum(s.occupancy for s in shells) == Z[sym]
    # a j-subshell holds at most 2j + 1 electrons: s1/2 -> 2, p1/2 -> 2, p3/2 -> 4, d3/2 -> 4,
    # d5/2 -> 6 (Ge "4p" is the unresolved 4p shell, capacity 6)
    cap = {"s": 2, "p1/2": 2, "p3/2": 4, "d3/2": 4, "d5/2": 6, "p": 6}
    for s in shells:
        key = s.name[1:] if s.name[1:] in cap else s.name[1]
        assert s.occupancy <= cap[key]
    model = atomic.Stepping(sym)
    assert model.Z == Z[sym]
    # far above the K edge every electron counts; at T = 0 none
    assert model.electrons(1 * u.MeV) == Z[sym]
    assert model.electrons(0.0) == 0


def test_xenon_table_matches_physics_sheet():
    # PHYSICS.md §2 (keV, rounded to 2-4 digits), in the order K, L, M, N, O as listed there
    sheet = [34.56, 5.45, 5.11, 4.79, 1.15, 1.00, 0.94, 0.69, 0.68, 0.21, 0.15, 0.15, 0.07, 0.07,
             0.023, 0.013, 0.012]  # fmt: skip
    occ = [2, 2, 2, 4, 2, 2, 4, 4, 6, 2, 2, 4, 4, 6, 2, 2, 4]
    got = [s.binding / u.keV for s in atomic.XE_SHELLS]
    assert [s.occupancy for s in atomic.XE_SHELLS] == occ
    for g, ref in zip(got, sheet, strict=True):
        # the sheet rounds to its last digit
        digits = len(f"{ref}".split(".")[1])
        assert abs(g - ref) <= 0.5 * 10**-digits + 1e-12


def test_stepping_counts_between_edges_xenon():
    xe = atomic.Stepping("Xe")
    T = np.array([0.005, 0.0125, 0.014, 0.03, 0.1, 0.2, 0.3, 0.8, 2.0, 5.0, 10.0, 40.0]) * u.keV
    # counts from the shell list by hand: below 12.1 eV none; 5p3/2 (4); + 5p1/2 (2); + 5s (2);
    # + 4d (10); + 4p (6); + 4s (2) = 26; + 3d (10) = 36 at 0.8 keV; + 3p (6) + 3s (2) = 44 at
    # 2 keV; + 2p3/2 (4) = 48 at 5 keV; all L: 52 = Z - 2 at 10 keV; 54 above the K edge
    expected = [0, 4, 6, 8, 18, 24, 26, 36, 44, 48, 52, 54]
    assert xe.electrons(T).tolist() == expected


def test_stepping_edges_are_strict():
    ar = atomic.Stepping("Ar")
    b = atomic.AR_SHELLS[0].binding  # K edge 3205.9 eV
    assert ar.electrons(b) == 16
    assert ar.electrons(b * (1 + 1e-12)) == 18


@settings(max_examples=50, deadline=None)
@given(
    sym=st.sampled_from(["Xe", "Ar", "Ge", "Si"]),
    t=st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=2, max_size=30),
)
def test_stepping_monotone_and_bounded(sym, t):
    T = np.sort(np.array(t)) * u.keV
    n = atomic.Stepping(sym).electrons(T)
    assert np.all(np.diff(n) >= 0)
    assert np.all((n >= 0) & (n <= Z[sym]))
    assert n.dtype == np.float64


def test_free_and_factory():
    free = atomic.atomic_model("free", "Xe")
    assert isinstance(free, atomic.FreeElectrons) and free.Z == 54
    assert free.electrons(np.array([0.0, 1.0, 1e3]) * u.keV).tolist() == [54.0] * 3
    assert atomic.atomic_model("free", "Na").Z == 11
    st_ = atomic.atomic_model("Stepping", "ge")
    assert isinstance(st_, atomic.Stepping) and st_.Z == 32
    assert isinstance(st_, atomic.AtomicModel)
    with pytest.raises(NuemInputError, match="free, stepping"):
        atomic.atomic_model("mcrrpa", "Xe")
    with pytest.raises(NuemInputError, match="element"):
        atomic.atomic_model("stepping", "Na")  # no shell table
    with pytest.raises(NuemInputError, match="element"):
        atomic.atomic_model("free", "Kr")
    with pytest.raises(NuemInputError):
        atomic.FreeElectrons(0)
    with pytest.raises(NuemInputError, match="T"):
        atomic.Stepping("Xe").electrons(-1.0)
    with pytest.raises(NuemInputError, match="T"):
        free.electrons(float("nan"))


def test_corrected_multiplies_and_validates():
    base = atomic.Stepping("Xe")
    T = np.linspace(0.1, 30, 50) * u.keV

    def ratio(t):  # an RRPA-like smooth suppression, 0.8 .. 0.9
        return 0.8 + 0.1 * np.exp(-t / (10 * u.keV))

    corr = atomic.Corrected(base, ratio)
    assert corr.Z == 54
    np.testing.assert_allclose(corr.electrons(T), base.electrons(T) * ratio(T), rtol=0, atol=0)
    # a constant factor broadcasts
    half = atomic.Corrected(atomic.FreeElectrons(18), lambda t: 0.5)
    assert half.electrons(np.ones(3)).tolist() == [9.0, 9.0, 9.0]
    bads = (
        lambda t: -np.ones_like(t),
        lambda t: np.full_like(t, np.nan),
        lambda t: np.full_like(t, np.inf),
        lambda t: "x",
        lambda t: np.ones(7),
    )
    for bad in bads:
        with pytest.raises(NuemInputError):
            atomic.Corrected(base, bad).electrons(T)
    with pytest.raises(NuemInputError):
        atomic.Corrected(base, 3.0)
    with pytest.raises(NuemInputError):
        atomic.Corrected("stepping", ratio)


def test_custom_shell_table_validated():
    with pytest.raises(NuemInputError, match="54"):
        atomic.Stepping("Xe", shells=atomic.AR_SHELLS)
    alt = atomic.Stepping("Xe", shells=atomic.XE_SHELLS_CHEN2017)
    assert alt.Z == 54


def test_xenon_tables_cross_check_with_shared_data():
    # shared/data/xenon_atomic/binding_xenon.csv (SNuDD, after Chen et al. arXiv:1610.04177)
    path = SHARED / "binding_xenon.csv"
    if not path.exists():
        pytest.skip("shared data not present")
    with path.open() as fh:
        rows = {r["Orbital"]: (float(r["Binding Energy (eV)"]), int(r["Electrons in Orbital"]))
                for r in csv.DictReader(fh)}  # fmt: skip
    alt = {s.name: s for s in atomic.XE_SHELLS_CHEN2017}
    exp = {s.name: s for s in atomic.XE_SHELLS}
    assert set(rows) == set(alt) == set(exp)
    for name, (b, n) in rows.items():
        assert alt[name].binding / u.eV == pytest.approx(b, abs=1e-9)
        assert alt[name].occupancy == n == exp[name].occupancy
    # measured vs theory binding: within 1.5% for K and L, 4.5% for M, 25% for N and O (4p, 5s)
    for name, (b, _) in rows.items():
        tol = {"1": 0.015, "2": 0.015, "3": 0.045}.get(name[0], 0.25)
        assert exp[name].binding / u.eV == pytest.approx(b, rel=tol)
    # the stepping counts agree away from the edges
    T = np.array([0.05, 0.3, 2.0, 10.0, 40.0]) * u.keV
    np.testing.assert_array_equal(
        atomic.Stepping("Xe").electrons(T), atomic.Stepping("Xe", alt.values()).electrons(T)
    )


def test_argon_table_cross_check_with_shared_data():
    path = SHARED / "binding_argon.csv"
    if not path.exists():
        pytest.skip("shared data not present")
    with path.open() as fh:
        rows = [(r["Orbital"], float(r["Binding Energy (eV)"]), int(r["Electrons in Orbital"]))
                for r in csv.DictReader(fh)]  # fmt: skip
    assert sum(n for _, _, n in rows) == 18
    ours = atomic.AR_SHELLS
    # the shared table merges the p sub-shells; compare shell by shell (n, l)
    for orb, b, n in rows:
        mine = [s for s in ours if s.name.startswith(orb)]
        assert sum(s.occupancy for s in mine) == n
        assert min(s.binding for s in mine) / u.eV == pytest.approx(b, rel=0.02)


def test_silicon_counts_by_hand():
    """Si: 2 (3p) above 8.15 eV, 4 above 14.9 eV, 8 above the L3 edge 99.2 eV, 10 above L2
    99.8, 12 above L1 149.7, 14 above K 1839 eV (X-ray Data Booklet Table 1-1)."""
    m = atomic.Stepping("Si")
    T = np.array([5, 10, 50, 99.5, 120, 1000, 2000]) * u.eV
    np.testing.assert_array_equal(m.electrons(T), [0, 2, 4, 8, 10, 12, 14])
