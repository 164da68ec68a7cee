"""Sources from a dataset card's ``source:`` block: the kinds, their JSON schemas and a factory.

``source_from_block(block, read_table=None)`` builds a :class:`~nuem.sources.base.Source` from
the card's ``source:`` mapping, whose numbers are in the card units named by the field (``_GW``,
``_m``, ``_MeV``, ``_cm2_s``, ``_ns``, ...). Tables (``{file, sha256, columns}``) are read by the
card layer: ``read_table(field, spec)`` returns the table as a float array with the spec's
columns in order (``field`` is the block path, e.g. ``"source.table"``, for error messages).

Kinds (:data:`SOURCE_KINDS`, registered once here; schemas in :data:`SOURCE_BLOCK_SCHEMAS`,
JSON-schema draft 2020-12 fragments with ``additionalProperties: false``):

- ``solar``: ``model`` (b16-gs98 | b16-agss09met), ``ordering`` (normal | inverted);
- ``reactor``: ``thermal_power_GW`` + ``distance_m``, or ``flux_cm2_s`` (total nubar_e flux at
  the detector; ``distance_m`` optional, needed for ``oscillations``); ``fission_fractions``
  {U235, U238, Pu239, Pu241}; ``spectrum_model`` (combined | huber-mueller); ``oscillations``,
  ``ordering``;
- ``spallation``: ``distance_m``; ``nu_per_proton`` (a number per flavour or {nu_mu, nu_e,
  nubar_mu}); one proton-rate option: ``protons_per_second``, or ``beam_power_MW`` +
  ``proton_energy_GeV`` (rate = power / kinetic energy per proton), or ``protons_on_target`` +
  ``live_time_days`` (rate = POT / live time; use the live time of the card's exposure, so that
  flux x live time is the POT's fluence); ``timing`` (pulse block, below);
- ``tabulated``: ``table`` {file, sha256, columns: [energy_MeV, <state>_per_cm2_s_MeV, ...]},
  ``interpolation`` (linear | log-log), ``lines`` [{energy_MeV, flux_cm2_s, state}], ``timing``
  (pulse block: the arrival-time profile of every component), ``name``;
- ``radioactive``: ``activity_Bq`` (at the start), ``half_life_days``, ``live_time_days``,
  ``lines`` [{energy_MeV, branching, state}], ``geometry`` {kind: point | sphere_centre |
  sphere_outside, distance_m, radius_m}: lines whose flux is averaged over the run and the
  fiducial volume (:mod:`nuem.sources.radioactive`), built as a lines-only tabulated source.

Pulse block: ``{pulse: gaussian, sigma_ns, t0_ns}`` (sigma_ns = 0: a delta) or
``{pulse: table, table: {file, sha256, columns: [time_ns, weight]}}`` (density at the nodes,
joined linearly) / ``columns: [t_lo_ns, t_hi_ns, weight]`` (histogram of contiguous bins).

Every problem raises :class:`~nuem.errors.NuemInputError` naming the field, e.g.
``source.thermal_power_GW = -1 is not allowed; must be > 0``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.sources.base import FLAVOUR_STATES, Source
from nuem.sources.radioactive import GEOMETRIES, mean_activity, mean_inverse_square_distance
from nuem.sources.reactor import REACTOR_ISOTOPES, REACTOR_SPECTRUM_MODELS, ReactorSource
from nuem.sources.solar import SOLAR_MODELS, SolarSource
from nuem.sources.spallation import SpallationSource, proton_rate_from_beam
from nuem.sources.tabulated import TABULATED_INTERPOLATIONS, TabulatedSource
from nuem.sources.timing import GaussianPulse, Pulse, TabulatedPulse

__all__ = [
    "SOURCE_KINDS",
    "SOURCE_BLOCK_SCHEMAS",
    "SourceKind",
    "source_from_block",
    "source_block_schema",
    "tabulated_column",
]

ReadTable = Callable[[str, Mapping[str, Any]], np.ndarray]
ORDERINGS = ("normal", "inverted")
PER_CM2_S = 1.0 / (u.cm2 * u.s)


def tabulated_column(state: str) -> str:
    """The card column name of a flavour state in a tabulated source: ``<state>_per_cm2_s_MeV``."""
    return f"{state}_per_cm2_s_MeV"


# ---- JSON-schema fragments ---------------------------------------------------------------------
def _num(desc: str, minimum: float | None = 0, exclusive: bool = True) -> dict:
    s: dict[str, Any] = {"type": "number", "description": desc}
    if minimum is not None:
        s["exclusiveMinimum" if exclusive else "minimum"] = minimum
    return s


def _table_schema(desc: str, columns: dict) -> dict:
    return {
        "type": "object",
        "description": desc,
        "required": ["file", "sha256", "columns"],
        "additionalProperties": False,
        "properties": {
            "file": {
                "type": "string",
                "pattern": "^[A-Za-z0-9_.-]+\\.csv$",
                "description": "CSV file next to the card ('#' comments, one header line).",
            },
            "sha256": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "sha256 of the file, verified when the card is loaded.",
            },
            "columns": columns,
        },
    }


_KIND = {"description": "Source kind."}
_REFERENCE = {"type": "string", "description": "Where the numbers of this block come from."}
_ORDERING = {
    "enum": list(ORDERINGS),
    "default": "normal",
    "description": "Neutrino mass ordering of the NuFIT 6.0 best fit used for oscillations.",
}

_PULSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Proton-pulse (or arrival-time) shape: a Gaussian, or a tabulated pulse.",
    "required": ["pulse"],
    "oneOf": [
        {
            "properties": {"pulse": {"const": "gaussian"}},
            "required": ["sigma_ns"],
            "not": {"required": ["table"]},
        },
        {
            "properties": {"pulse": {"const": "table"}},
            "required": ["table"],
            "not": {"anyOf": [{"required": ["sigma_ns"]}, {"required": ["t0_ns"]}]},
        },
    ],
    "additionalProperties": False,
    "properties": {
        "pulse": {
            "enum": ["gaussian", "table"],
            "description": "gaussian: width sigma_ns centred at t0_ns; table: a tabulated pulse.",
        },
        "sigma_ns": _num("Gaussian width [ns]; 0 is a delta pulse.", 0, exclusive=False),
        "t0_ns": {"type": "number", "default": 0, "description": "Pulse centre [ns]."},
        "valid_range_us": {
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "items": {"type": "number"},
            "description": (
                "[lo, hi] arrival times [us] over which the timing model is valid (e.g. the span "
                "of the release's timing model); a card's time bins outside it are refused."
            ),
        },
        "table": _table_schema(
            "Tabulated pulse: [time_ns, weight] (density at the nodes, joined linearly) or "
            "[t_lo_ns, t_hi_ns, weight] (histogram of contiguous bins). Weights are "
            "renormalised.",
            {
                "description": "Column names (the CSV header).",
                "oneOf": [
                    {"const": ["time_ns", "weight"]},
                    {"const": ["t_lo_ns", "t_hi_ns", "weight"]},
                ],
            },
        ),
    },
}

_SOLAR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Solar neutrinos: B16 standard solar model with adiabatic MSW, at 1 AU.",
    "required": ["kind"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "solar", **_KIND},
        "model": {
            "enum": list(SOLAR_MODELS),
            "default": "b16-gs98",
            "description": "Standard solar model (Vinyoles et al. 2017).",
        },
        "ordering": _ORDERING,
        "reference": _REFERENCE,
    },
}

_REACTOR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Reactor nubar_e: a core of thermal power at a distance, or a given total flux at the "
        "detector."
    ),
    "required": ["kind"],
    "oneOf": [
        {"required": ["thermal_power_GW", "distance_m"]},
        {"required": ["flux_cm2_s"]},
    ],
    "not": {"required": ["thermal_power_GW", "flux_cm2_s"]},
    "if": {"required": ["oscillations"], "properties": {"oscillations": {"const": True}}},
    "then": {"required": ["distance_m"]},
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "reactor", **_KIND},
        "thermal_power_GW": _num("Thermal power of the core [GW_th]."),
        "distance_m": _num("Core-detector distance [m]."),
        "flux_cm2_s": _num(
            "Total nubar_e flux at the detector [cm^-2 s^-1] (all isotopes, whole spectrum); "
            "replaces thermal_power_GW (distance_m then only for oscillations)."
        ),
        "fission_fractions": {
            "type": "object",
            "description": (
                "Fission fractions (renormalised to sum 1; missing isotopes 0). Default: the "
                "Daya Bay mean fractions."
            ),
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                iso: _num(f"Fraction of fissions from {iso}.", 0, exclusive=False)
                for iso in REACTOR_ISOTOPES
            },
        },
        "spectrum_model": {
            "enum": list(REACTOR_SPECTRUM_MODELS),
            "default": "combined",
            "description": (
                "combined: SM-2018 below 2 MeV joined to Huber-Mueller; huber-mueller: the "
                "1.75-13 MeV table alone."
            ),
        },
        "oscillations": {
            "type": "boolean",
            "default": False,
            "description": "Apply vacuum three-flavour oscillations over distance_m.",
        },
        "ordering": _ORDERING,
        "reference": _REFERENCE,
    },
}

_SPALLATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Stopped-pion (pi+ DAR) source: prompt nu_mu line, delayed nu_e and nubar_mu Michel "
        "spectra, with the proton-pulse timing."
    ),
    "required": ["kind", "distance_m", "nu_per_proton"],
    "oneOf": [
        {"required": ["protons_per_second"]},
        {"required": ["beam_power_MW", "proton_energy_GeV"]},
        {"required": ["protons_on_target", "live_time_days"]},
    ],
    "dependentRequired": {
        "beam_power_MW": ["proton_energy_GeV"],
        "proton_energy_GeV": ["beam_power_MW"],
        "protons_on_target": ["live_time_days"],
        "live_time_days": ["protons_on_target"],
    },
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "spallation", **_KIND},
        "distance_m": _num("Target-detector distance [m]."),
        "nu_per_proton": {
            "description": (
                "Neutrinos per proton on target: one number for each flavour (COHERENT: 0.0848 "
                "at the SNS), or one per flavour."
            ),
            "oneOf": [
                _num("Neutrinos of each flavour per proton."),
                {
                    "type": "object",
                    "description": "Per flavour: nu_mu (prompt), nu_e and nubar_mu (delayed).",
                    "required": ["nu_mu", "nu_e", "nubar_mu"],
                    "additionalProperties": False,
                    "properties": {
                        f: _num(f"{f} per proton on target.") for f in ("nu_mu", "nu_e", "nubar_mu")
                    },
                },
            ],
        },
        "protons_per_second": _num("Protons on target per second [1/s]."),
        "beam_power_MW": _num("Proton beam power on target [MW]."),
        "proton_energy_GeV": _num("Proton kinetic energy [GeV]."),
        "protons_on_target": _num(
            "Total protons on target of the run; with live_time_days gives the proton rate."
        ),
        "live_time_days": _num(
            "Live time over which protons_on_target were delivered [days]; must be the live time "
            "of the card's exposure."
        ),
        "timing": _PULSE_SCHEMA,
        "reference": _REFERENCE,
    },
}

_STATE_COLUMNS = [tabulated_column(s) for s in FLAVOUR_STATES]
_TABULATED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "A user flux table at the detector per flavour state (and/or lines); one component per "
        "state."
    ),
    "required": ["kind"],
    "anyOf": [{"required": ["table"]}, {"required": ["lines"]}],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "tabulated", **_KIND},
        "table": _table_schema(
            "dPhi/dE per state at the detector: energy_MeV, then one column per state in "
            "cm^-2 s^-1 MeV^-1.",
            {
                "type": "array",
                "description": "energy_MeV first, then <state>_per_cm2_s_MeV columns.",
                "minItems": 2,
                "uniqueItems": True,
                "prefixItems": [{"const": "energy_MeV"}],
                "items": {"enum": _STATE_COLUMNS},
            },
        ),
        "interpolation": {
            "enum": list(TABULATED_INTERPOLATIONS),
            "default": "linear",
            "description": (
                "linear: dPhi/dE piecewise linear in E; log-log: piecewise power law (linear "
                "on segments with a zero end). Zero outside the table either way."
            ),
        },
        "lines": {
            "type": "array",
            "description": "Monoenergetic lines.",
            "items": {
                "type": "object",
                "description": "One line.",
                "required": ["energy_MeV", "flux_cm2_s", "state"],
                "additionalProperties": False,
                "properties": {
                    "energy_MeV": _num("Line energy [MeV]."),
                    "flux_cm2_s": _num("Line flux at the detector [cm^-2 s^-1]."),
                    "state": {"enum": list(FLAVOUR_STATES), "description": "Flavour state."},
                },
            },
        },
        "timing": _PULSE_SCHEMA,
        "name": {"type": "string", "description": "Name of the source (default: generated)."},
        "reference": _REFERENCE,
    },
}


_RADIOACTIVE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "An artificial radioactive source (51Cr, 37Ar, ...): monochromatic lines, their flux "
        "averaged over the run (exponential decay) and over the fiducial volume "
        "(nuem.sources.radioactive)."
    ),
    "required": ["kind", "activity_Bq", "half_life_days", "live_time_days", "lines", "geometry"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "radioactive", **_KIND},
        "activity_Bq": _num("Activity at the start of the run [Bq] (1 MCi = 3.7e16 Bq)."),
        "half_life_days": _num("Half-life of the source [days]."),
        "live_time_days": _num("Length of the run [days]; the source decays during it."),
        "lines": {
            "type": "array",
            "minItems": 1,
            "description": "Neutrino lines per decay.",
            "items": {
                "type": "object",
                "description": "One line.",
                "required": ["energy_MeV", "branching", "state"],
                "additionalProperties": False,
                "properties": {
                    "energy_MeV": _num("Line energy [MeV]."),
                    "branching": _num("Neutrinos of this line per decay."),
                    "state": {"enum": list(FLAVOUR_STATES), "description": "Flavour state."},
                },
            },
        },
        "geometry": {
            "type": "object",
            "description": "Source and fiducial volume: <1/r^2> over the volume.",
            "required": ["kind"],
            "additionalProperties": False,
            "properties": {
                "kind": {
                    "enum": list(GEOMETRIES),
                    "description": (
                        "point: detector at distance_m; sphere_centre: source at the centre of "
                        "a sphere of radius_m; sphere_outside: source at distance_m from the "
                        "centre of a sphere of radius_m."
                    ),
                },
                "distance_m": _num("Source distance [m] (to the sphere's centre)."),
                "radius_m": _num("Radius of the spherical fiducial volume [m]."),
            },
        },
        "name": {"type": "string", "description": "Name of the source (default: generated)."},
        "reference": _REFERENCE,
    },
}


# ---- field helpers ---------------------------------------------------------------------------
def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return repr(v) if isinstance(v, str) else str(v)


def _number(path: str, v: Any, minimum: float | None = 0.0, exclusive: bool = True) -> float:
    """A card number, checked; NuemInputError naming ``path``."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        hint = ""
        if isinstance(v, str):
            try:
                float(v)
                hint = " (YAML reads 5e15 as a string: write 5.0e+15)"
            except ValueError:
                pass
        raise NuemInputError(f"{path} = {v!r} is not a number{hint}")
    x = float(v)
    if not math.isfinite(x):
        raise NuemInputError(f"{path} = {_fmt(v)} is not allowed; must be finite")
    if minimum is not None:
        if exclusive and not x > minimum:
            raise NuemInputError(f"{path} = {_fmt(v)} is not allowed; must be > {_fmt(minimum)}")
        if not exclusive and not x >= minimum:
            raise NuemInputError(f"{path} = {_fmt(v)} is not allowed; must be >= {_fmt(minimum)}")
    return x


def _choice(path: str, v: Any, allowed: tuple[str, ...]) -> str:
    if isinstance(v, str):
        for a in allowed:
            if v.strip().lower() == a.lower():
                return a
    raise NuemInputError(f"{path} = {v!r} is not known; allowed: {', '.join(allowed)}")


def _mapping(path: str, v: Any) -> Mapping[str, Any]:
    if not isinstance(v, Mapping):
        raise NuemInputError(f"{path} = {v!r} must be a mapping")
    return v


def _check_fields(path: str, block: Mapping[str, Any], schema: dict, what: str) -> None:
    allowed = list(schema["properties"])
    for key in block:
        if key not in allowed:
            raise NuemInputError(
                f"{path}.{key} is not a field of {what}; allowed: {', '.join(allowed)}"
            )


def _exclusive(path: str, block: Mapping[str, Any], options: list[tuple[str, ...]]) -> int:
    """Index of the one option whose fields are all present; errors name what is wrong."""
    present = [i for i, opt in enumerate(options) if any(k in block for k in opt)]
    desc = " or ".join("+".join(f"{path}.{k}" for k in opt) for opt in options)
    if not present:
        raise NuemInputError(f"{path}.{options[0][0]} is missing; give {desc}")
    if len(present) > 1:
        given = " and ".join(f"{path}.{k}" for i in present for k in options[i] if k in block)
        raise NuemInputError(f"{given} exclude each other; give one of {desc}")
    opt = options[present[0]]
    for k in opt:
        if k not in block:
            raise NuemInputError(f"{path}.{k} is missing (needed with {path}.{opt[0]})")
    return present[0]


def _require(path: str, block: Mapping[str, Any], key: str) -> Any:
    if key not in block:
        raise NuemInputError(f"{path}.{key} is missing")
    return block[key]


def _read(path: str, spec: Any, read_table: ReadTable | None, columns: list[str]) -> np.ndarray:
    """A table through the card layer's reader, checked to be 2-D with the named columns."""
    spec = _mapping(path, spec)
    for key in ("file", "sha256", "columns"):
        _require(path, spec, key)
    extra = [k for k in spec if k not in ("file", "sha256", "columns")]
    if extra:
        raise NuemInputError(
            f"{path}.{extra[0]} is not a field of a table; allowed: file, sha256, columns"
        )
    if list(spec["columns"]) != columns:
        raise NuemInputError(
            f"{path}.columns = {list(spec['columns'])!r} is not allowed; expected {columns!r}"
        )
    if read_table is None:
        raise NuemInputError(
            f"{path}: a table needs read_table (the card layer's table reader); none was given"
        )
    arr = np.asarray(read_table(path, spec), dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != len(columns) or arr.shape[0] < 1:
        raise NuemInputError(
            f"{path} ({spec['file']}): read_table returned shape {arr.shape}; expected "
            f"(rows, {len(columns)})"
        )
    if not np.all(np.isfinite(arr)):
        raise NuemInputError(f"{path} ({spec['file']}): the table has non-finite values")
    return arr


def _wrap(path: str, fn: Callable[[], Any]) -> Any:
    """Run a constructor, prefixing its NuemInputError with the block path."""
    try:
        return fn()
    except NuemInputError as exc:
        raise NuemInputError(f"{path}: {exc}") from exc


def _pulse(path: str, block: Any, read_table: ReadTable | None) -> Pulse:
    block = _mapping(path, block)
    _check_fields(path, block, _PULSE_SCHEMA, "a pulse block")
    kind = _choice(f"{path}.pulse", _require(path, block, "pulse"), ("gaussian", "table"))
    if "valid_range_us" in block:
        rng = block["valid_range_us"]
        if not isinstance(rng, list | tuple) or len(rng) != 2 or not rng[0] < rng[1]:
            raise NuemInputError(f"{path}.valid_range_us = {rng!r} must be [lo, hi] with lo < hi")
    if kind == "gaussian":
        if "table" in block:
            raise NuemInputError(f"{path}.table is not allowed with {path}.pulse = 'gaussian'")
        sigma = _number(f"{path}.sigma_ns", _require(path, block, "sigma_ns"), 0.0, False)
        t0 = _number(f"{path}.t0_ns", block.get("t0_ns", 0.0), None)
        return GaussianPulse(sigma * u.ns, t0 * u.ns)
    for k in ("sigma_ns", "t0_ns"):
        if k in block:
            raise NuemInputError(f"{path}.{k} is not allowed with {path}.pulse = 'table'")
    spec = _mapping(f"{path}.table", _require(path, block, "table"))
    cols = list(spec.get("columns", []))
    hist = cols == ["t_lo_ns", "t_hi_ns", "weight"]
    want = cols if hist else ["time_ns", "weight"]
    arr = _read(f"{path}.table", spec, read_table, want)
    if hist:
        lo, hi, w = arr[:, 0], arr[:, 1], arr[:, 2]
        if np.any(lo[1:] != hi[:-1]):
            i = int(np.argmax(lo[1:] != hi[:-1]))
            raise NuemInputError(
                f"{path}.table ({spec['file']}): histogram bins must be contiguous; row {i + 1} "
                f"starts at {lo[i + 1]!r} ns, row {i} ends at {hi[i]!r} ns"
            )
        times = np.r_[lo, hi[-1]] * u.ns
    else:
        times, w = arr[:, 0] * u.ns, arr[:, 1]
    return _wrap(f"{path}.table ({spec['file']})", lambda: TabulatedPulse(times, w))


# ---- builders --------------------------------------------------------------------------------
def _solar(block: Mapping[str, Any], read_table: ReadTable | None, path: str) -> Source:
    model = _choice(f"{path}.model", block.get("model", "b16-gs98"), SOLAR_MODELS)
    ordering = _choice(f"{path}.ordering", block.get("ordering", "normal"), ORDERINGS)
    return SolarSource(model, ordering)


def _reactor(block: Mapping[str, Any], read_table: ReadTable | None, path: str) -> Source:
    which = _exclusive(path, block, [("thermal_power_GW",), ("flux_cm2_s",)])
    if which == 0 and "distance_m" not in block:
        raise NuemInputError(f"{path}.distance_m is missing (needed with {path}.thermal_power_GW)")
    distance = None
    if "distance_m" in block:
        distance = _number(f"{path}.distance_m", block["distance_m"]) * u.m
    fr = None
    if "fission_fractions" in block:
        ff = _mapping(f"{path}.fission_fractions", block["fission_fractions"])
        if not ff:
            raise NuemInputError(f"{path}.fission_fractions is empty; give at least one isotope")
        fr = {}
        for k, v in ff.items():
            iso = _choice(f"{path}.fission_fractions key", k, REACTOR_ISOTOPES)
            fr[iso] = _number(f"{path}.fission_fractions.{k}", v, 0.0, False)
        if not sum(fr.values()) > 0:
            raise NuemInputError(f"{path}.fission_fractions must have a positive sum")
    model = _choice(
        f"{path}.spectrum_model", block.get("spectrum_model", "combined"), REACTOR_SPECTRUM_MODELS
    )
    osc = block.get("oscillations", False)
    if not isinstance(osc, bool):
        raise NuemInputError(f"{path}.oscillations = {osc!r} must be true or false")
    ordering = _choice(f"{path}.ordering", block.get("ordering", "normal"), ORDERINGS)
    kw = dict(
        distance=distance,
        fission_fractions=fr,
        oscillations=osc,
        ordering=ordering,
        spectrum_model=model,
    )
    if which == 0:
        power = _number(f"{path}.thermal_power_GW", block["thermal_power_GW"]) * u.GW
        return _wrap(path, lambda: ReactorSource(power, **kw))
    if osc and distance is None:
        raise NuemInputError(f"{path}.distance_m is missing (needed with {path}.oscillations)")
    phi = _number(f"{path}.flux_cm2_s", block["flux_cm2_s"]) * PER_CM2_S
    return _wrap(path, lambda: ReactorSource(total_flux=phi, **kw))


def _spallation(block: Mapping[str, Any], read_table: ReadTable | None, path: str) -> Source:
    distance = _number(f"{path}.distance_m", _require(path, block, "distance_m")) * u.m
    r = _require(path, block, "nu_per_proton")
    if isinstance(r, Mapping):
        keys = ("nu_mu", "nu_e", "nubar_mu")
        for k in r:
            if k not in keys:
                raise NuemInputError(
                    f"{path}.nu_per_proton.{k} is not a flavour of a pi+ DAR source; allowed: "
                    f"{', '.join(keys)}"
                )
        yields: float | dict[str, float] = {
            k: _number(f"{path}.nu_per_proton.{k}", _require(f"{path}.nu_per_proton", r, k))
            for k in keys
        }
    else:
        yields = _number(f"{path}.nu_per_proton", r)
    which = _exclusive(
        path,
        block,
        [
            ("protons_per_second",),
            ("beam_power_MW", "proton_energy_GeV"),
            ("protons_on_target", "live_time_days"),
        ],
    )
    if which == 0:
        rate = _number(f"{path}.protons_per_second", block["protons_per_second"]) / u.s
    elif which == 1:
        power = _number(f"{path}.beam_power_MW", block["beam_power_MW"]) * u.MW
        energy = _number(f"{path}.proton_energy_GeV", block["proton_energy_GeV"]) * u.GeV
        rate = proton_rate_from_beam(power, energy)
    else:
        pot = _number(f"{path}.protons_on_target", block["protons_on_target"])
        rate = pot / (_number(f"{path}.live_time_days", block["live_time_days"]) * u.day)
    pulse = None
    if "timing" in block:
        pulse = _pulse(f"{path}.timing", block["timing"], read_table)
    return _wrap(path, lambda: SpallationSource(yields, rate, distance, pulse))


def _tabulated(block: Mapping[str, Any], read_table: ReadTable | None, path: str) -> Source:
    if "table" not in block and "lines" not in block:
        raise NuemInputError(f"{path}.table is missing (give a table and/or lines)")
    energies, fluxes = None, {}
    if "table" in block:
        spec = _mapping(f"{path}.table", block["table"])
        cols = list(_require(f"{path}.table", spec, "columns"))
        if len(cols) < 2 or cols[0] != "energy_MeV":
            raise NuemInputError(
                f"{path}.table.columns = {cols!r} is not allowed; expected energy_MeV first, then "
                "<state>_per_cm2_s_MeV columns"
            )
        states = []
        for col in cols[1:]:
            if col not in _STATE_COLUMNS:
                raise NuemInputError(
                    f"{path}.table.columns: {col!r} is not known; allowed: "
                    f"{', '.join(_STATE_COLUMNS)}"
                )
            states.append(col.removesuffix("_per_cm2_s_MeV"))
        if len(set(states)) != len(states):
            raise NuemInputError(f"{path}.table.columns = {cols!r} repeats a state")
        arr = _read(f"{path}.table", spec, read_table, cols)
        energies = arr[:, 0] * u.MeV
        fluxes = {s: arr[:, i + 1] * (PER_CM2_S / u.MeV) for i, s in enumerate(states)}
    lines = []
    raw_lines = block.get("lines", [])
    if not isinstance(raw_lines, list):
        raise NuemInputError(f"{path}.lines = {raw_lines!r} must be a list")
    for i, ln in enumerate(raw_lines):
        lp = f"{path}.lines[{i}]"
        ln = _mapping(lp, ln)
        for k in ln:
            if k not in ("energy_MeV", "flux_cm2_s", "state"):
                raise NuemInputError(
                    f"{lp}.{k} is not a field of a line; allowed: energy_MeV, flux_cm2_s, state"
                )
        e = _number(f"{lp}.energy_MeV", _require(lp, ln, "energy_MeV")) * u.MeV
        f = _number(f"{lp}.flux_cm2_s", _require(lp, ln, "flux_cm2_s")) * PER_CM2_S
        s = _choice(f"{lp}.state", _require(lp, ln, "state"), FLAVOUR_STATES)
        lines.append((e, f, s))
    interp = _choice(
        f"{path}.interpolation", block.get("interpolation", "linear"), TABULATED_INTERPOLATIONS
    )
    timing = None
    if "timing" in block:
        timing = _pulse(f"{path}.timing", block["timing"], read_table)
    name = block.get("name")
    if name is not None and not isinstance(name, str):
        raise NuemInputError(f"{path}.name = {name!r} must be a string")
    where = f"{path}.table ({block['table']['file']})" if "table" in block else path
    return _wrap(
        where, lambda: TabulatedSource(energies, fluxes, lines, interp, timing=timing, name=name)
    )


def _radioactive(block: Mapping[str, Any], read_table: ReadTable | None, path: str) -> Source:
    def need(key: str) -> float:
        return _number(f"{path}.{key}", _require(path, block, key))

    activity = mean_activity(
        need("activity_Bq") / u.s, need("half_life_days") * u.day, need("live_time_days") * u.day
    )
    g = _mapping(f"{path}.geometry", _require(path, block, "geometry"))
    _check_fields(f"{path}.geometry", g, _RADIOACTIVE_SCHEMA["properties"]["geometry"], "geometry")
    kind = _choice(f"{path}.geometry.kind", _require(f"{path}.geometry", g, "kind"), GEOMETRIES)
    lengths = {
        k: _number(f"{path}.geometry.{k}_m", g[f"{k}_m"]) * u.m
        for k in ("distance", "radius")
        if f"{k}_m" in g
    }
    inv_r2 = _wrap(f"{path}.geometry", lambda: mean_inverse_square_distance(kind, **lengths))
    lines = []
    raw_lines = _require(path, block, "lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise NuemInputError(f"{path}.lines = {raw_lines!r} must be a non-empty list")
    for i, ln in enumerate(raw_lines):
        lp = f"{path}.lines[{i}]"
        ln = _mapping(lp, ln)
        _check_fields(lp, ln, _RADIOACTIVE_SCHEMA["properties"]["lines"]["items"], "a line")
        e = _number(f"{lp}.energy_MeV", _require(lp, ln, "energy_MeV")) * u.MeV
        b = _number(f"{lp}.branching", _require(lp, ln, "branching"))
        s = _choice(f"{lp}.state", _require(lp, ln, "state"), FLAVOUR_STATES)
        lines.append((e, b * activity * inv_r2 / (4.0 * math.pi), s))
    name = block.get("name")
    if name is not None and not isinstance(name, str):
        raise NuemInputError(f"{path}.name = {name!r} must be a string")
    return _wrap(path, lambda: TabulatedSource(None, None, lines, name=name))


# ---- registry --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceKind:
    """A source kind of the card: its class, its block schema and its builder."""

    kind: str
    cls: type[Source]
    schema: Mapping[str, Any]
    build: Callable[[Mapping[str, Any], ReadTable | None, str], Source]


#: kind -> :class:`SourceKind` (read-only; the five kinds are registered here once).
SOURCE_KINDS: Mapping[str, SourceKind] = MappingProxyType(
    {
        "solar": SourceKind("solar", SolarSource, _SOLAR_SCHEMA, _solar),
        "reactor": SourceKind("reactor", ReactorSource, _REACTOR_SCHEMA, _reactor),
        "spallation": SourceKind("spallation", SpallationSource, _SPALLATION_SCHEMA, _spallation),
        "tabulated": SourceKind("tabulated", TabulatedSource, _TABULATED_SCHEMA, _tabulated),
        "radioactive": SourceKind(
            "radioactive", TabulatedSource, _RADIOACTIVE_SCHEMA, _radioactive
        ),
    }
)

#: kind -> JSON-schema (draft 2020-12) fragment of its ``source:`` block.
SOURCE_BLOCK_SCHEMAS: Mapping[str, dict[str, Any]] = MappingProxyType(
    {k: v.schema for k, v in SOURCE_KINDS.items()}
)


def source_block_schema() -> dict[str, Any]:
    """One schema for any ``source:`` block: ``kind`` selects the fragment (if/then)."""
    kinds = list(SOURCE_KINDS)
    return {
        "type": "object",
        "description": f"The neutrino source: kind {', '.join(kinds)}.",
        "required": ["kind"],
        "properties": {"kind": {"enum": kinds, "description": "Source kind."}},
        "allOf": [
            {"if": {"properties": {"kind": {"const": k}}}, "then": SOURCE_BLOCK_SCHEMAS[k]}
            for k in kinds
        ],
    }


def source_from_block(
    block: Mapping[str, Any], read_table: ReadTable | None = None, path: str = "source"
) -> Source:
    """The :class:`Source` of a card's ``source:`` block (card units; see the module docstring).

    ``read_table(field, spec) -> ndarray`` reads a ``{file, sha256, columns}`` table (columns in
    the spec's order, floats); needed only by blocks with tables. ``path`` prefixes the field
    names in error messages. Unknown kind or field, missing field or bad value:
    :class:`NuemInputError` naming the field.
    """
    block = _mapping(path, block)
    if "kind" not in block:
        raise NuemInputError(f"{path}.kind is missing; allowed: {', '.join(SOURCE_KINDS)}")
    kind = block["kind"]
    if not isinstance(kind, str) or kind.strip().lower() not in SOURCE_KINDS:
        raise NuemInputError(
            f"{path}.kind = {kind!r} is not known; allowed: {', '.join(SOURCE_KINDS)}"
        )
    entry = SOURCE_KINDS[kind.strip().lower()]
    _check_fields(path, block, entry.schema, f"a {entry.kind} source")
    return entry.build(block, read_table, path)
