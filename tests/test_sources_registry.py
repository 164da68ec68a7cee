"""Sources from card ``source:`` blocks: every kind, card units, the JSON-schema fragments, and
errors that name the field."""

from __future__ import annotations

import copy
import math
import pickle

import jsonschema
import numpy as np
import pytest

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.sources import (
    SOURCE_BLOCK_SCHEMAS,
    SOURCE_KINDS,
    ReactorSource,
    SolarSource,
    SpallationSource,
    TabulatedSource,
    source_from_block,
)
from nuem.sources.registry import source_block_schema
from nuem.sources.timing import GaussianPulse, TabulatedPulse

PER_CM2_S = 1.0 / (u.cm2 * u.s)
SHA = "0" * 64
TABLES = {
    "flux.csv": np.array([[1.0, 10.0, 0.0], [2.0, 20.0, 5.0], [4.0, 0.0, 5.0]]),
    "pulse.csv": np.array([[0.0, 0.0], [200.0, 1.0], [600.0, 0.0]]),
    "pulse_hist.csv": np.array([[0.0, 100.0, 1.0], [100.0, 300.0, 3.0]]),
}
CALLS: list[str] = []


def read_table(field, spec):
    CALLS.append(field)
    return TABLES[spec["file"]]


def table(file, *columns):
    return {"file": file, "sha256": SHA, "columns": list(columns)}


BLOCKS = {
    "radioactive": {
        "kind": "radioactive",
        "activity_Bq": 1.11e17,
        "half_life_days": 27.7,
        "live_time_days": 55,
        "lines": [{"energy_MeV": 0.747, "branching": 0.8163, "state": "nu_e"}],
        "geometry": {"kind": "sphere_centre", "radius_m": 10},
    },
    "solar": {"kind": "solar", "model": "b16-agss09met", "ordering": "inverted"},
    "reactor": {
        "kind": "reactor",
        "thermal_power_GW": 2.9,
        "distance_m": 28,
        "fission_fractions": {"U235": 0.6, "Pu239": 0.3, "U238": 0.07, "Pu241": 0.03},
    },
    "reactor_flux": {"kind": "reactor", "flux_cm2_s": 1.0e13, "spectrum_model": "huber-mueller"},
    "spallation": {
        "kind": "spallation",
        "distance_m": 19.3,
        "nu_per_proton": 0.0848,
        "beam_power_MW": 1.4,
        "proton_energy_GeV": 1.0,
        "timing": {"pulse": "gaussian", "sigma_ns": 100, "t0_ns": 250},
    },
    "spallation_pot": {
        "kind": "spallation",
        "distance_m": 19.3,
        "nu_per_proton": {"nu_mu": 0.09, "nu_e": 0.085, "nubar_mu": 0.085},
        "protons_on_target": 3.2e23,
        "live_time_days": 300,
        "timing": {"pulse": "table", "table": table("pulse.csv", "time_ns", "weight")},
    },
    "tabulated": {
        "kind": "tabulated",
        "table": table("flux.csv", "energy_MeV", "nu_e_per_cm2_s_MeV", "nubar_mu_per_cm2_s_MeV"),
        "lines": [{"energy_MeV": 0.862, "flux_cm2_s": 1.0e3, "state": "nu_e"}],
        "interpolation": "linear",
        "timing": {
            "pulse": "table",
            "table": table("pulse_hist.csv", "t_lo_ns", "t_hi_ns", "weight"),
        },
    },
}


def test_schemas_are_valid_and_documented():
    assert (
        set(SOURCE_KINDS)
        == set(SOURCE_BLOCK_SCHEMAS)
        == {
            "solar",
            "reactor",
            "spallation",
            "tabulated",
            "radioactive",
        }
    )

    def walk(s, where):
        if isinstance(s, dict):
            if s.get("type") == "object" and "properties" in s:
                assert s.get("additionalProperties") is False, where
                for k, v in s["properties"].items():
                    assert "description" in v, f"{where}.{k} has no description"
            for k, v in s.items():
                walk(v, f"{where}.{k}")
        elif isinstance(s, list):
            for i, v in enumerate(s):
                walk(v, f"{where}[{i}]")

    for kind, schema in SOURCE_BLOCK_SCHEMAS.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        walk(schema, kind)
    jsonschema.Draft202012Validator.check_schema(source_block_schema())


@pytest.mark.parametrize("name", BLOCKS)
def test_example_blocks_validate_and_build(name):
    block = BLOCKS[name]
    jsonschema.validate(block, SOURCE_BLOCK_SCHEMAS[block["kind"]])
    jsonschema.validate(block, source_block_schema())
    src = source_from_block(copy.deepcopy(block), read_table)
    assert isinstance(src, SOURCE_KINDS[block["kind"]].cls)
    assert src.total_flux() > 0
    src2 = pickle.loads(pickle.dumps(src))
    assert src2.name == src.name and src2.total_flux() == src.total_flux()


def test_solar_and_reactor_blocks():
    s = source_from_block(BLOCKS["solar"])
    assert isinstance(s, SolarSource) and s.model == "b16-agss09met" and s.ordering == "inverted"
    d = source_from_block({"kind": "solar"})
    assert d.model == "b16-gs98" and d.ordering == "normal"
    r = source_from_block(BLOCKS["reactor"])
    ref = ReactorSource(
        2.9e9 * u.watt, 28 * u.m, {"U235": 0.6, "Pu239": 0.3, "U238": 0.07, "Pu241": 0.03}
    )
    assert r.total_flux() == pytest.approx(ref.total_flux(), rel=1e-14)
    rf = source_from_block(BLOCKS["reactor_flux"])
    assert rf.total_flux() == pytest.approx(1e13 * PER_CM2_S, rel=1e-12)
    assert rf.spectrum_model == "huber-mueller" and rf.spectrum("U235", 1.5 * u.MeV) == 0.0
    # flux normalisation with a distance: the same shape as the power-normalised core
    ff = BLOCKS["reactor"]["fission_fractions"]
    phi = ref.total_flux() / PER_CM2_S
    rd = source_from_block(
        {"kind": "reactor", "flux_cm2_s": phi, "distance_m": 28, "fission_fractions": ff}
    )
    assert rd.thermal_power == pytest.approx(2.9e9 * u.watt, rel=1e-12)
    for iso in rd.components:
        assert rd.flux(iso) == pytest.approx(ref.flux(iso), rel=1e-12)
    osc = source_from_block({"kind": "reactor", "thermal_power_GW": 3, "distance_m": 1000,
                             "oscillations": True})  # fmt: skip
    assert osc.content("U235", 3.0 * u.MeV)[0] < 1.0


def test_spallation_blocks_and_rate_options():
    s = source_from_block(BLOCKS["spallation"])
    assert isinstance(s, SpallationSource)
    assert s.proton_rate * u.s == pytest.approx(1.4e6 / (1e9 * 1.602176634e-19), rel=1e-9)
    assert s.pulse == GaussianPulse(100 * u.ns, 250 * u.ns)
    phi = 0.0848 * s.proton_rate / (4 * math.pi * (19.3 * u.m) ** 2)
    assert s.flux("delayed_nue") == pytest.approx(phi, rel=1e-14)
    pps = source_from_block({"kind": "spallation", "distance_m": 19.3, "nu_per_proton": 0.0848,
                             "protons_per_second": s.proton_rate * u.s})  # fmt: skip
    assert pps.total_flux() == pytest.approx(s.total_flux(), rel=1e-14)
    assert pps.pulse == GaussianPulse()  # default: a delta at t = 0
    CALLS.clear()
    p = source_from_block(BLOCKS["spallation_pot"], read_table)
    assert CALLS == ["source.timing.table"]
    assert p.proton_rate == pytest.approx(3.2e23 / (300 * u.day))
    assert p.flux("prompt_numu") / p.flux("delayed_nue") == pytest.approx(0.09 / 0.085)
    assert isinstance(p.pulse, TabulatedPulse) and not p.pulse.histogram
    assert p.time_fractions("prompt_numu", [-np.inf, 200.0, np.inf]).sum() == pytest.approx(1.0)


def test_tabulated_block_units():
    CALLS.clear()
    t = source_from_block(BLOCKS["tabulated"], read_table)
    assert CALLS == ["source.table", "source.timing.table"]
    assert isinstance(t, TabulatedSource) and t.components == ("nu_e", "nubar_mu")
    # linear: trapezoid of the columns (cm^-2 s^-1 MeV^-1 x MeV) plus the line
    assert t.flux("nu_e") / PER_CM2_S == pytest.approx(0.5 * 30 + 0.5 * 2 * 20 + 1e3)
    assert t.flux("nubar_mu") / PER_CM2_S == pytest.approx(2.5 + 10.0)
    assert t.differential("nu_e", 1.5 * u.MeV) == pytest.approx(15.0 * PER_CM2_S / u.MeV)
    (line,) = t.lines("nu_e")
    assert line.energy == pytest.approx(0.862 * u.MeV)
    assert t.has_timing and t.time_profile("nu_e").histogram  # the profile is the pulse itself
    assert t.timing_cdf("nu_e", 100.0) == pytest.approx(0.25)


def _with(kind, **changes):
    b = copy.deepcopy(BLOCKS[kind])
    for k, v in changes.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


BAD = [
    ({"kind": "windmill"}, "source.kind = 'windmill' is not known; allowed: solar, reactor"),
    ({"model": "b16-gs98"}, "source.kind is missing"),
    ("solar", "source = 'solar' must be a mapping"),
    (_with("solar", model="ssm"), "source.model = 'ssm' is not known"),
    (_with("solar", distance_m=1), "source.distance_m is not a field of a solar source"),
    (
        _with("reactor", thermal_power_GW=-1),
        r"source.thermal_power_GW = -1 is not allowed; must be > 0",
    ),
    (_with("reactor", thermal_power_GW="3GW"), "source.thermal_power_GW = '3GW' is not a number"),
    (_with("reactor", distance_m=None), "source.distance_m is missing"),
    (_with("reactor", thermal_power_GW=None), "source.thermal_power_GW is missing"),
    (_with("reactor", flux_cm2_s=1e13), "thermal_power_GW and source.flux_cm2_s exclude"),
    (_with("reactor", fission_fractions={"U233": 1.0}), "source.fission_fractions key = 'U233'"),
    (_with("reactor", fission_fractions={"U235": -0.1}), r"fission_fractions.U235 = -0.1"),
    (_with("reactor", spectrum_model="ILL"), "source.spectrum_model = 'ILL'"),
    (_with("reactor", oscillations="yes"), "source.oscillations = 'yes' must be true or false"),
    (
        _with("reactor_flux", oscillations=True),
        "source.distance_m is missing \\(needed with source.oscillations\\)",
    ),
    (_with("spallation", distance_m=0), "source.distance_m = 0 is not allowed; must be > 0"),
    (_with("spallation", nu_per_proton=None), "source.nu_per_proton is missing"),
    (_with("spallation", nu_per_proton="5e15"), "write 5.0e\\+15"),
    (_with("spallation", nu_per_proton={"nu_mu": 0.1}), "source.nu_per_proton.nu_e is missing"),
    (
        _with("spallation", nu_per_proton={"nu_mu": 0.1, "nu_e": 0.1, "nubar_mu": 0.1, "nu_x": 1}),
        "source.nu_per_proton.nu_x is not a flavour",
    ),
    (_with("spallation", proton_energy_GeV=None), "source.proton_energy_GeV is missing"),
    (
        _with("spallation", protons_per_second=1e15),
        "source.protons_per_second and source.beam_power_MW and source.proton_energy_GeV",
    ),
    (
        _with("spallation", beam_power_MW=None, proton_energy_GeV=None),
        "source.protons_per_second is missing",
    ),
    (_with("spallation", timing={"pulse": "gaussian"}), "source.timing.sigma_ns is missing"),
    (
        _with("spallation", timing={"pulse": "gaussian", "sigma_ns": -5}),
        "source.timing.sigma_ns = -5 is not allowed; must be >= 0",
    ),
    (_with("spallation", timing={"pulse": "square"}), "source.timing.pulse = 'square'"),
    (
        _with("spallation", timing={"pulse": "table", "table": table("pulse.csv", "t", "w")}),
        "source.timing.table.columns",
    ),
    (
        _with("spallation", timing={"pulse": "table", "sigma_ns": 3, "table": {}}),
        "source.timing.sigma_ns is not allowed",
    ),
    (_with("tabulated", table=None, lines=None), "source.table is missing"),
    (
        _with("tabulated", table=table("flux.csv", "energy_MeV", "nu_x_per_cm2_s_MeV")),
        "source.table.columns: 'nu_x_per_cm2_s_MeV' is not known",
    ),
    (
        _with("tabulated", lines=[{"energy_MeV": 1.0, "flux_cm2_s": 1.0, "state": "nu_q"}]),
        r"source.lines\[0\].state = 'nu_q'",
    ),
    (
        _with("tabulated", lines=[{"energy_MeV": -1.0, "flux_cm2_s": 1.0, "state": "nu_e"}]),
        r"source.lines\[0\].energy_MeV = -1",
    ),
    (_with("tabulated", interpolation="cubic"), "source.interpolation = 'cubic'"),
]


@pytest.mark.parametrize(("block", "match"), BAD)
def test_errors_name_the_field(block, match):
    with pytest.raises(NuemInputError, match=match):
        source_from_block(block, read_table)
    if isinstance(block, dict) and "kind" in block and block["kind"] in SOURCE_BLOCK_SCHEMAS:
        schema = SOURCE_BLOCK_SCHEMAS[block["kind"]]  # the schema rejects it too
        assert not jsonschema.Draft202012Validator(schema).is_valid(block), match


def test_table_data_errors_name_the_table():
    bad = {"flux.csv": np.array([[2.0, 1.0], [1.0, 1.0]])}
    block = {"kind": "tabulated", "table": table("flux.csv", "energy_MeV", "nu_e_per_cm2_s_MeV")}
    with pytest.raises(NuemInputError, match=r"source.table \(flux.csv\): energies must be"):
        source_from_block(block, lambda f, s: bad[s["file"]])
    with pytest.raises(NuemInputError, match="needs read_table"):
        source_from_block(block)
    hist = {"h.csv": np.array([[0.0, 100.0, 1.0], [150.0, 300.0, 3.0]])}
    spec = table("h.csv", "t_lo_ns", "t_hi_ns", "weight")
    sp = _with("spallation", timing={"pulse": "table", "table": spec})
    with pytest.raises(NuemInputError, match="source.timing.table \\(h.csv\\): histogram bins"):
        source_from_block(sp, lambda f, s: hist[s["file"]])
