"""Validation of dataset cards: JSON Schema errors in plain words, table reading, semantic checks.

Every message has the form ``<field>: <problem>``; :class:`~nuem.experiments.cards.Card` prefixes
the file name, so a user reads e.g. ``xenonnt_sr0.yaml: exposure: -1.0 must be > 0``.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import numpy as np
from jsonschema import Draft202012Validator

from nuem import units as u
from nuem.detectors.binning import parse_bins
from nuem.detectors.resolution import make_resolution
from nuem.detectors.targets import Target
from nuem.errors import NuemInputError
from nuem.experiments.records import COMPUTED_SAMPLES, SIGNAL_SAMPLE, SM_NU_SAMPLE
from nuem.sources.registry import SOURCE_BLOCK_SCHEMAS
from nuem.xsec import atomic as _atomic


class CardError(NuemInputError):
    """A dataset card is malformed; the message names the file and the field."""


def schema() -> dict:
    """The dataset-card JSON Schema shipped with the package."""
    text = resources.files("nuem.experiments").joinpath("schema.json").read_text("utf-8")
    return json.loads(text)


def _field(path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(card)"


def _describe(err: jsonschema.ValidationError) -> tuple[str, str]:
    """(field, message) for one schema error, in plain words."""
    if err.context:
        deepest = max(err.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(err.absolute_path):
            return _describe(deepest)
    v, val, inst = err.validator, err.validator_value, err.instance
    where = list(err.absolute_path)
    if v == "required":
        m = re.search(r"'([^']+)' is a required property", err.message)
        name = m.group(1) if m else "?"
        return _field([*where, name]), "missing required field"
    if v == "exclusiveMinimum":
        return _field(where), f"{inst!r} must be > {val}"
    if v == "minimum":
        return _field(where), f"{inst!r} must be >= {val}"
    if v == "maximum":
        return _field(where), f"{inst!r} must be <= {val}"
    if v == "exclusiveMaximum":
        return _field(where), f"{inst!r} must be < {val}"
    if v == "type":
        return _field(where), f"{inst!r} must be of type {val}"
    if v == "enum":
        return _field(where), f"{inst!r} is not one of {', '.join(map(repr, val))}"
    if v == "const":
        return _field(where), f"{inst!r} must be {val!r}"
    if v == "additionalProperties":
        extra = sorted(set(inst) - set(err.schema.get("properties", {})))
        return _field(where), f"unknown field(s): {', '.join(extra)}"
    if v in ("minItems", "maxItems"):
        return _field(where), f"has {len(inst)} entries; {v} is {val}"
    if v == "pattern":
        return _field(where), f"{inst!r} does not match the pattern {val}"
    if v == "oneOf":
        return _field(where), "must match exactly one of the allowed forms (" + err.message[
            :80
        ] + ")"
    return _field(where), " ".join(err.message.split())


def schema_errors(raw: dict) -> list[str]:
    """Schema violations of ``raw``, each as ``field: problem``, sorted by field."""
    validator = jsonschema.Draft202012Validator(schema())
    found = []
    for err in validator.iter_errors(raw):
        fld, msg = _describe(err)
        found.append((fld, msg))
    return [f"{f}: {m}" for f, m in sorted(set(found))]


class TableStore:
    """Reads the CSV tables next to a card, verifying sha256, header and numbers; caches them.

    ``tables[file] = (header, array, sha256)``. CSV format: ``#`` comment lines, one header line
    matching the card's ``columns``, then comma-separated numbers.
    """

    def __init__(self, card_path: Path):
        self.path = Path(card_path)
        self.file = self.path.name
        self.tables: dict[str, tuple[list[str], np.ndarray, str]] = {}

    def read(self, fld: str, spec: dict) -> np.ndarray:
        """Read and verify a CSV table (sha256, header, numbers); cached by file name."""
        fname = spec["file"]
        if fname in self.tables:
            return self.tables[fname][1]
        fpath = self.path.parent / fname
        if not fpath.is_file():
            raise CardError(f"{self.file}: {fld}.file: table {fname!r} not found next to the card")
        data = fpath.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != spec["sha256"]:
            raise CardError(
                f"{self.file}: {fld}.sha256: {fname} has sha256 {digest}, card records "
                f"{spec['sha256']} (table changed?)"
            )
        lines = [ln.strip() for ln in data.decode("utf-8").splitlines()]
        lines = [ln for ln in lines if ln and not ln.startswith("#")]
        header = [h.strip() for h in lines[0].split(",")] if lines else []
        if header != list(spec["columns"]):
            raise CardError(
                f"{self.file}: {fld}.columns: {spec['columns']} does not match the header "
                f"{header} of {fname}"
            )
        try:
            rows = [[float(x) for x in ln.split(",")] for ln in lines[1:]]
            arr = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(header))
        except ValueError as exc:
            raise CardError(f"{self.file}: {fld}.file: {fname} has a non-numeric row") from exc
        if arr.shape[0] == 0 or not np.all(np.isfinite(arr)):
            raise CardError(f"{self.file}: {fld}.file: {fname} is empty or has non-finite values")
        self.tables[fname] = (header, arr, digest)
        return arr


def semantic_errors(raw: dict, path: Path, tables: TableStore) -> list[str]:
    """Checks the schema cannot express; each message is ``field: problem``."""
    r, errs = raw, []
    if r["name"] != path.stem:
        errs.append(f"name: {r['name']!r} does not match the file name {path.stem!r}")
    lo, hi = r["window"]
    if not hi > lo:
        errs.append(f"window: [{lo}, {hi}] must have max > min")
    errs += _check_source(raw)
    errs += _check_target(raw)
    errs += _check_data(raw, tables, lo, hi)
    errs += _check_efficiency(raw, tables)
    errs += _check_resolution(raw, tables, lo, hi)
    errs += _check_response(raw, tables)
    errs += _check_backgrounds(raw, tables)
    errs += _check_systematics(raw, tables)
    errs += _check_results(raw, tables)
    errs += _check_recasts(raw)
    return errs


def _check_edges(fld: str, edges: list) -> list[str]:
    e = np.asarray(edges, dtype=np.float64)
    d = np.diff(e)
    if np.any(d <= 0):
        i = int(np.argmax(d <= 0)) + 1
        return [f"{fld}: bin edges must be strictly increasing (entry {i} = {e[i]!r} <= "
                f"entry {i - 1} = {e[i - 1]!r})"]  # fmt: skip
    return []


def _check_data(raw: dict, tables: TableStore, lo: float, hi: float) -> list[str]:
    d, errs = raw["data"], []
    if d["type"] == "events":
        ev = tables.read("data.events.table", d["events"]["table"])
        if ev.shape[1] != 1:
            errs.append("data.events.table: the events table must have one column")
        elif ev.shape[0] != d["events"]["n_events"]:
            errs.append(
                f"data.events.n_events: {d['events']['n_events']} but the table holds "
                f"{ev.shape[0]} events"
            )
        elif ev.min() < lo or ev.max() > hi:
            errs.append(f"data.events: energies outside the window [{lo}, {hi}]")
        try:
            e = parse_bins(d["default_binning"])
            if e[0] < lo * u.keV * (1 - 1e-12) or e[-1] > hi * u.keV * (1 + 1e-12):
                errs.append(f"data.default_binning: {d['default_binning']!r} leaves the window")
        except NuemInputError as exc:
            errs.append(f"data.default_binning: {exc}")
    else:
        b = d["bins"]
        edge_errs = _check_edges("data.bins.edges", b["edges"])
        errs += edge_errs
        n_t = _n_time(raw)
        projection = raw["provenance"]["kind"] == "projection"
        if "observed" not in b and not projection:
            errs.append("data.bins.observed: required (only a projection card has no data)")
        n_b = (len(b["edges"]) - 1) * n_t
        n_o = len(b["observed"]) if "observed" in b else n_b
        if n_o != n_b:
            errs.append(
                f"data.bins.observed: {n_o} counts for {n_b} bins "
                f"(edges has {len(b['edges'])} entries, {n_t} time bin(s))"
            )
        if b.get("integer_counts") and any(float(x) != int(x) for x in b.get("observed", [])):
            errs.append("data.bins.observed: integer_counts is true but a count is not whole")
        if not edge_errs:
            e = np.asarray(b["edges"], dtype=np.float64)
            if not (np.isclose(e, lo).any() and np.isclose(e, hi).any()):
                errs.append(f"window: [{lo}, {hi}] must fall on bin edges of data.bins.edges")
    return errs


def _check_efficiency(raw: dict, tables: TableStore) -> list[str]:
    eff = raw["efficiency"]
    if eff["applies_to"] == "quenched" and raw["target"]["recoil"] == "electron":
        return ["efficiency.applies_to: 'quenched' needs nuclear recoils (target.recoil)"]
    if "table" not in eff:
        return []
    t = tables.read("efficiency.table", eff["table"])
    if t.shape[1] != 2:
        return ["efficiency.table: needs two columns (energy, efficiency)"]
    E, v = t[:, 0], t[:, 1]
    if np.any(np.diff(E) <= 0) or E[0] < 0:
        return [f"efficiency.table: energies in {eff['table']['file']} must be >= 0 and "
                f"strictly increasing"]  # fmt: skip
    bad = (v < 0) | (v > 1)
    if bad.any():
        i = int(np.argmax(bad))
        bound = "<= 1" if v[i] > 1 else ">= 0"
        return [f"efficiency.table: {float(v[i])!r} at E = {E[i]:g} keV (row {i + 1} of "
                f"{eff['table']['file']}) must be {bound}"]  # fmt: skip
    return []


def _check_source(raw: dict) -> list[str]:
    """The source block against the schema of its kind (nuem.sources.registry)."""
    block = raw["source"]
    sch = SOURCE_BLOCK_SCHEMAS[block["kind"]]
    errs = []
    for err in sorted(Draft202012Validator(sch).iter_errors(block), key=lambda e: list(e.path)):
        where = ".".join(str(p) for p in ("source", *err.path))
        errs.append(f"{where}: {err.message}")
    return errs


def _check_target(raw: dict) -> list[str]:
    t = raw["target"]
    try:
        Target.from_formula(t["formula"])
    except NuemInputError as exc:
        return [f"target.formula: {exc}"]
    errs = []
    if t["recoil"] in ("electron", "both"):
        for sym in _symbols(t["formula"]):
            model = t.get("atomic", "stepping")
            known = _atomic.MODEL_ELEMENTS.get(model)
            if known is not None and sym not in known:
                what = "atomic shell table" if sym not in _atomic.SHELLS else "data"
                errs.append(
                    f"target.formula: element {sym} has no {what} for the {model} atomic model "
                    f"(known: {', '.join(sorted(known))}); use atomic: free"
                )
    q = raw.get("response", {}).get("quenching")
    if q is not None:
        applies = q.get("recoil", "electron" if q["model"] == "birks" else "nuclear")
        if (q["model"] == "birks") != (applies == "electron"):
            errs.append(f"response.quenching: model {q['model']!r} does not apply to {applies} "
                        "recoils (birks: electrons; lindhard, polynomial: nuclei)")  # fmt: skip
        elif t["recoil"] not in (applies, "both"):
            errs.append(f"response.quenching: applies to {applies} recoils, but target.recoil "
                        f"is {t['recoil']!r}")  # fmt: skip
    return errs


def _symbols(formula: str) -> list[str]:
    return [s for s, _ in Target.from_formula(formula).composition]


#: Smearing models whose reconstructed variable is a photoelectron count.
PE_SMEARINGS = ("photoelectrons", "gamma_photoelectrons")


def _check_response(raw: dict, tables: TableStore) -> list[str]:
    resp, errs = raw.get("response", {}), []
    model = resp.get("smearing", {}).get("model", "gaussian")
    if model == "gaussian" and "resolution" not in raw:
        errs.append("resolution: required for Gaussian smearing (response.smearing.model)")
    variable = resp.get("reconstructed", "energy")
    pe = variable == "photoelectrons"
    if pe and model == "photoelectrons" and raw["window"][0] < 2:
        eff = raw["efficiency"]
        if eff["applies_to"] != "reconstructed":
            low_ok = False
        elif "constant" in eff:
            low_ok = eff["constant"] == 0
        else:
            t = tables.read("efficiency.table", eff["table"])
            low = np.arange(np.floor(raw["window"][0]), 2.0)
            fill = eff.get("below", 0.0)
            left = t[0, 1] if fill == "edge" else fill
            low_ok = not np.any(np.interp(low, t[:, 0], t[:, 1], left=left) > 0)
        if not low_ok:
            errs.append(
                f"window: starts at {raw['window'][0]:g} PE; bins below 2 PE need a "
                "reconstructed-PE efficiency that vanishes there (their rate diverges as T -> 0)"
            )
    if (variable == "hits") != (model == "hits"):
        errs.append(
            "response.reconstructed: 'hits' goes with response.smearing.model 'hits' (and only "
            "with it)"
        )
    if pe != (model in PE_SMEARINGS):
        errs.append(
            "response.reconstructed: 'photoelectrons' goes with response.smearing.model "
            f"{' or '.join(repr(m) for m in PE_SMEARINGS)} (and only with them)"
        )
    if raw["data"]["type"] == "events" and model not in ("gaussian",):
        errs.append(f"response.smearing.model: {model!r} cannot give event densities; bin the data")
    if "pulse_shape" in resp:
        ps = resp["pulse_shape"]
        errs += _check_edges("response.pulse_shape.edges", ps["edges"])
        n_p = len(ps["edges"]) - 1
        kinds = ("electron", "nuclear") if raw["target"]["recoil"] == "both" else (
            raw["target"]["recoil"],
        )  # fmt: skip
        for k in kinds:
            f = ps["fractions"].get(k)
            if f is None:
                errs.append(f"response.pulse_shape.fractions: {k} recoils need their fractions")
                continue
            fld = f"response.pulse_shape.fractions.{k}"
            per_energy = bool(f) and isinstance(f[0], list)
            rows = f if per_energy else [f]
            n_e = len(raw["data"].get("bins", {}).get("edges", [0])) - 1
            if per_energy and len(rows) != n_e:
                errs.append(f"{fld}: {len(rows)} rows for {n_e} energy bins (data.bins.edges)")
            for r, row in enumerate(rows):
                at = f"{fld}[{r}]" if per_energy else fld
                if len(row) != n_p:
                    errs.append(f"{at}: {len(row)} values for {n_p} bins")
                elif sum(row) > 1 + 1e-9:
                    errs.append(f"{at}: fractions sum to {sum(row):g} > 1")
        if raw["data"]["type"] != "bins":
            errs.append("response.pulse_shape: pulse-shape data must be binned (data.type: bins)")
    errs += _check_on_off(raw)
    if "time" in resp:
        errs += _check_edges("response.time.edges_us", resp["time"]["edges_us"])
        if raw["data"]["type"] != "bins":
            errs.append("response.time: energy x time data must be binned (data.type: bins)")
        if raw["source"]["kind"] != "spallation":
            errs.append("response.time: only a spallation source has a timing profile")
        errs += _check_time_range(raw)
    errs += _check_pe_efficiency(raw, tables)
    return errs


def _check_time_range(raw: dict) -> list[str]:
    """Time bins inside the span of the source's timing model (``source.timing.valid_range_us``)."""
    rng = raw["source"].get("timing", {}).get("valid_range_us")
    edges = raw["response"]["time"]["edges_us"]
    if rng is None or len(rng) != 2:
        return []
    if min(edges) < rng[0] or max(edges) > rng[1]:
        return [
            f"response.time.edges_us: [{min(edges):g}, {max(edges):g}] us exceed the source's "
            f"timing model, valid on source.timing.valid_range_us = [{rng[0]:g}, {rng[1]:g}] us"
        ]
    return []


def _check_pe_efficiency(raw: dict, tables: TableStore) -> list[str]:
    """A tabulated efficiency on the reconstructed photoelectron count must cover the data bins
    (outside its nodes the efficiency would be an extrapolated fill, not the release's curve)."""
    resp, eff = raw.get("response", {}), raw["efficiency"]
    pe = resp.get("reconstructed", "energy") == "photoelectrons"
    if not pe or eff["applies_to"] != "reconstructed" or "table" not in eff:
        return []
    if raw["data"]["type"] != "bins" or "edges" not in raw["data"].get("bins", {}):
        return []
    try:
        t = tables.read("efficiency.table", eff["table"])
    except CardError:
        return []
    edges = raw["data"]["bins"]["edges"]
    lo, hi = raw["window"]
    used = [e for e in edges if lo <= e <= hi] or edges
    if min(used) < t[0, 0] or max(used) > t[-1, 0]:
        return [
            f"data.bins.edges: the photoelectron bins [{min(used):g}, {max(used):g}] PE are not "
            f"covered by efficiency.table ({eff['table']['file']}: {t[0, 0]:g} to {t[-1, 0]:g} PE)"
        ]
    return []


def _check_on_off(raw: dict) -> list[str]:
    """Reactor ON/OFF: exposure_off and data.bins.observed_off go together (binned data)."""
    off = raw.get("exposure_off")
    bins = raw["data"].get("bins", {})
    has_counts = "observed_off" in bins
    if off is None and not has_counts:
        return []
    if "observed" not in bins and not has_counts:  # a projection: no data, ON nor OFF
        ok = raw["source"]["kind"] == "reactor"
        return [] if ok else ["exposure_off: ON/OFF exposures need a reactor source"]
    if off is None or not has_counts:
        return ["exposure_off: goes with data.bins.observed_off (give both or neither)"]
    errs = []
    if raw["source"]["kind"] != "reactor":
        errs.append("exposure_off: ON/OFF data need a reactor source")
    if "observed" not in bins:
        errs.append("data.bins.observed_off: OFF counts without ON counts")
    elif len(bins["observed_off"]) != len(bins["observed"]):
        errs.append(
            f"data.bins.observed_off: {len(bins['observed_off'])} counts for "
            f"{len(bins['observed'])} bins"
        )
    return errs


def _check_resolution(raw: dict, tables: TableStore, lo: float, hi: float) -> list[str]:
    res = raw.get("resolution")
    if res is None:
        return []
    try:
        sig = make_resolution(res["model"], res["parameters"], u.keV)
        sig(np.linspace(lo, hi, 64) * u.keV)
    except NuemInputError as exc:
        return [f"resolution.parameters: {exc}"]
    return []


def _check_sm_groups(bg: dict) -> list[str]:
    """``backgrounds.sm_neutrino_groups``: only when nuem adds the SM neutrinos, unique names,
    every source component in at most one group (coverage is checked against the source when
    the templates are made, :func:`nuem.rates.experiment.sm_group_counts`)."""
    groups = bg.get("sm_neutrino_groups")
    if not groups:
        return []
    errs = []
    if bg["includes_sm_solar_nu"]:
        errs.append("backgrounds.sm_neutrino_groups: needs includes_sm_solar_nu: false (the card's "
                    "backgrounds would already hold the SM neutrinos)")  # fmt: skip
    if "sm_neutrino_uncertainty" in bg:
        errs.append("backgrounds.sm_neutrino_uncertainty: give each group's uncertainty in "
                    "sm_neutrino_groups instead (not both)")  # fmt: skip
    names = [g["name"] for g in groups]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        errs.append(f"backgrounds.sm_neutrino_groups: duplicate name(s) {', '.join(dup)}")
    comps = [c for g in groups for c in g["components"]]
    twice = sorted({c for c in comps if comps.count(c) > 1})
    if twice:
        errs.append(f"backgrounds.sm_neutrino_groups: component(s) {', '.join(twice)} in more "
                    "than one group")  # fmt: skip
    return errs


def _check_backgrounds(raw: dict, tables: TableStore) -> list[str]:
    bg, errs = raw["backgrounds"], []
    errs += _check_sm_groups(bg)
    comps = bg["components"]
    names = [c["name"] for c in comps]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        errs.append(f"backgrounds.components: duplicate name(s) {', '.join(dup)}")
    for i, c in enumerate(comps):
        fld = f"backgrounds.components[{i}]"
        if c.get("part_of") and c["part_of"] not in names:
            errs.append(f"{fld}.part_of: {c['part_of']!r} is not a component of this card")
        sh = c["shape"]
        if c["in_likelihood"] and sh["kind"] != "none":
            errs += _check_background_flags(fld, sh)
        n_t = _n_time(raw)
        if sh["kind"] == "binned":
            e_err = _check_edges(f"{fld}.shape.edges", sh["edges"])
            errs += e_err
            if len(sh["values"]) != (len(sh["edges"]) - 1) * n_t:
                errs.append(
                    f"{fld}.shape.values: {len(sh['values'])} values for "
                    f"{(len(sh['edges']) - 1) * n_t} bins"
                )
            if n_t > 1 and sh["edges"] != raw["data"]["bins"]["edges"]:
                errs.append(f"{fld}.shape.edges: energy x time shapes must use data.bins.edges")
        elif n_t > 1 and c["in_likelihood"] and sh["kind"] != "none":
            errs.append(f"{fld}.shape.kind: energy x time cards need 'binned' shapes")
        elif sh["kind"] in ("histogram", "curve"):
            t = tables.read(f"{fld}.shape.table", sh["table"])
            need = 3 if sh["kind"] == "histogram" else 2
            if t.shape[1] != need:
                errs.append(f"{fld}.shape.table: a {sh['kind']} table needs {need} columns")
            elif np.any(t[:, -1] < 0):
                errs.append(f"{fld}.shape.table: negative background density")
            elif sh["kind"] == "curve" and np.any(np.diff(t[:, 0]) <= 0):
                errs.append(f"{fld}.shape.table: energies must be strictly increasing")
            elif sh["kind"] == "histogram" and (
                np.any(t[:, 1] <= t[:, 0]) or not np.allclose(t[1:, 0], t[:-1, 1])
            ):
                errs.append(f"{fld}.shape.table: histogram bins must be contiguous and sorted")
    in_lh = [c for c in comps if c["in_likelihood"]]
    if not in_lh:
        errs.append("backgrounds.components: no component has in_likelihood: true")
    if bg["includes_sm_solar_nu"] != any(c.get("includes_sm_solar_nu") for c in in_lh):
        errs.append(
            "backgrounds.includes_sm_solar_nu: disagrees with the in-likelihood components' "
            "includes_sm_solar_nu flags"
        )
    return errs


def _check_background_flags(fld: str, sh: dict) -> list[str]:
    """A background in the likelihood must already be in the data's space (never ignored)."""
    errs = []
    if sh.get("space") != "reconstructed":
        errs.append(f"{fld}.shape.space: {sh.get('space')!r} is not supported for a background "
                    "in the likelihood; give it in reconstructed space")  # fmt: skip
    if sh.get("smeared") is False:
        errs.append(f"{fld}.shape.smeared: false is not supported (nuem does not smear "
                    "tabulated backgrounds); give the smeared spectrum")  # fmt: skip
    if sh.get("efficiency_applied") is False:
        errs.append(f"{fld}.shape.efficiency_applied: false is not supported; give the "
                    "spectrum with the efficiency applied")  # fmt: skip
    return errs


#: Grid columns of a variation table per background shape kind (then come up, down).
_GRID_COLUMNS = {"binned": 2, "histogram": 2, "curve": 1}


def _n_time(raw: dict) -> int:
    """Bins per energy bin after the energy axis: time bins x pulse-shape bins."""
    resp = raw.get("response", {})
    n_t = len(resp.get("time", {}).get("edges_us", [0, 1])) - 1
    n_p = len(resp.get("pulse_shape", {}).get("edges", [0, 1])) - 1
    return n_t * n_p


def variation_arrays(
    fld: str, raw: dict, index: int, effect: dict, tables: TableStore
) -> tuple[np.ndarray | None, np.ndarray | None, list[str]]:
    """(up, down, errors) of one background's shape variation, on the grid of its own shape.

    ``effect`` is ``{up, down}`` (inline, one entry per nominal value: the ``values`` of a
    binned shape, flat energy-major with ``response.time``; the density rows of a histogram or
    curve table) or ``{table}`` (the background's grid columns, then up and down: e_low, e_high
    for binned and histogram shapes, energy for a curve; energy-only shapes). ``index``: the
    background's position in ``backgrounds.components``. Values are in the quantity and units
    of the nominal shape.
    """
    comp = raw["backgrounds"]["components"][index]
    sh, kind, bname = comp["shape"], comp["shape"]["kind"], comp["name"]
    if kind not in _GRID_COLUMNS:
        return None, None, [f"{fld}: background {bname!r} has no spectral shape to vary"]
    if kind == "binned":
        e = np.asarray(sh["edges"], dtype=np.float64)
        grid = np.column_stack([e[:-1], e[1:]])
        n = len(sh["values"])
    else:
        t = tables.read(f"backgrounds.components[{index}].shape.table", sh["table"])
        if t.shape[1] != _GRID_COLUMNS[kind] + 1:
            return None, None, []  # reported by the background checks
        grid, n = t[:, :-1], t.shape[0]
    if "table" in effect:
        if kind == "binned" and _n_time(raw) > 1:
            return None, None, [f"{fld}.table: energy x time shapes take inline up/down values"]
        v = tables.read(f"{fld}.table", effect["table"])
        m = _GRID_COLUMNS[kind]
        if v.shape[1] != m + 2:
            cols = "e_low, e_high" if m == 2 else "energy"
            return None, None, [f"{fld}.table: needs {m + 2} columns ({cols}, up, down) for a "
                                f"{kind} background, has {v.shape[1]}"]  # fmt: skip
        if v.shape[0] != grid.shape[0] or not np.allclose(v[:, :m], grid, rtol=1e-9, atol=0.0):
            fname = effect["table"]["file"]
            return None, None, [f"{fld}.table: the grid columns of {fname} must be the grid "
                                f"of background {bname!r} ({grid.shape[0]} rows)"]  # fmt: skip
        up, dn = v[:, m], v[:, m + 1]
        if np.any(up < 0) or np.any(dn < 0):
            return None, None, [f"{fld}.table: negative up/down values"]
        return up, dn, []
    errs = []
    up = np.asarray(effect["up"], dtype=np.float64)
    dn = np.asarray(effect["down"], dtype=np.float64)
    where = "values" if kind == "binned" else f"rows of {sh['table']['file']}"
    for lab, a in (("up", up), ("down", dn)):
        if a.size != n:
            errs.append(f"{fld}.{lab}: {a.size} values; background {bname!r} has {n} "
                        f"({where})")  # fmt: skip
    return (None, None, errs) if errs else (up, dn, [])


def _check_systematics(raw: dict, tables: TableStore) -> list[str]:
    """The ``systematics:`` list: names, samples (and which exist), kind-specific fields."""
    systs = raw.get("systematics") or []
    if not systs:
        return []
    bg, errs = raw["backgrounds"], []
    comps = {c["name"]: c for c in bg["components"]}
    index = {c["name"]: k for k, c in enumerate(bg["components"])}
    in_lh = [n for n, c in comps.items() if c["in_likelihood"]]
    has_sm = not bg["includes_sm_solar_nu"]
    groups = [f"{SM_NU_SAMPLE}_{g['name']}" for g in bg.get("sm_neutrino_groups") or []]
    allowed = [SIGNAL_SAMPLE, *([SM_NU_SAMPLE] if has_sm and not groups else []), *groups, *in_lh]
    for reserved in COMPUTED_SAMPLES:
        if reserved in comps:
            errs.append(
                f"backgrounds.components: a component named {reserved!r} is ambiguous with the "
                f"sample {reserved!r} of systematics; rename it"
            )
    seen: set[str] = set()
    for i, s in enumerate(systs):
        fld, name = f"systematics[{i}]", s["name"]
        if name in seen:
            errs.append(f"{fld}.name: duplicate systematic name {name!r}")
        seen.add(name)
        if name in comps:
            errs.append(f"{fld}.name: {name!r} is also the name of a background component (its "
                        "own normalisation parameter); choose another name")  # fmt: skip
        elif name in COMPUTED_SAMPLES:
            errs.append(f"{fld}.name: {name!r} is a sample name; choose another name")
        for j, smp in enumerate(s["samples"]):
            f2 = f"{fld}.samples[{j}]"
            if smp == SM_NU_SAMPLE and groups:
                errs.append(f"{f2}: the SM neutrinos of this card are split into "
                            f"sm_neutrino_groups; name them ({', '.join(groups)})")  # fmt: skip
            elif smp == SM_NU_SAMPLE and not has_sm:
                errs.append(
                    f"{f2}: 'sm_nu' (nuem's SM neutrino component) is not in this card's "
                    "likelihood: backgrounds.includes_sm_solar_nu is true, so the card's own "
                    "background already holds the SM neutrinos; name that component instead"
                )
            elif smp in comps and smp not in in_lh:
                errs.append(f"{f2}: background {smp!r} is not in the likelihood "
                            "(in_likelihood: false)")  # fmt: skip
            elif smp not in allowed and smp not in comps:
                errs.append(f"{f2}: unknown sample {smp!r}; allowed: {', '.join(allowed)}")
        if s["kind"] != "energy_scale":
            for key in ("step_rel", "free"):
                if key in s:
                    errs.append(f"{fld}.{key}: only for kind 'energy_scale'")
        if s["kind"] == "normalisation":
            for key in ("interpolation", "effects"):
                if key in s:
                    errs.append(f"{fld}.{key}: only for kind 'shape'")
            continue
        if s["kind"] == "energy_scale":
            errs += _check_energy_scale(raw, s, fld)
            continue
        for key in ("sigma_rel", "constraint"):
            if key in s:
                errs.append(f"{fld}.{key}: only for kind 'normalisation'")
        effects = s.get("effects", {})
        varied = "response_up" in s or "response_down" in s
        if varied and not ("response_up" in s and "response_down" in s):
            errs.append(f"{fld}.response_up: goes with response_down (give both)")
        if varied and raw["data"]["type"] != "bins":
            errs.append(f"{fld}.response_up: response variations need binned data")
        computed = (*COMPUTED_SAMPLES, *groups)  # templates nuem computes (signal, SM nu)
        for j, smp in enumerate(s["samples"]):
            if smp in computed and not varied:
                errs.append(
                    f"{fld}.samples[{j}]: a shape systematic on {smp!r} (a template nuem "
                    "computes) needs response_up/response_down: the response blocks at +-1 "
                    "sigma from which nuem recomputes it"
                )
            elif smp not in computed and varied:
                errs.append(
                    f"{fld}.samples[{j}]: response variations act on 'signal' and the SM "
                    f"neutrinos ({', '.join(computed[1:])}); "
                    f"give card background {smp!r} its own up/down shapes in another systematic"
                )
            elif smp not in effects and smp in in_lh:
                errs.append(f"{fld}.effects: no up/down shapes for sample {smp!r}")
        for smp, eff in effects.items():
            f2 = f"{fld}.effects.{smp}"
            if smp not in s["samples"]:
                errs.append(f"{f2}: {smp!r} is not in samples")
            elif smp in in_lh:
                errs += variation_arrays(f2, raw, index[smp], eff, tables)[2]
    return errs


def _check_energy_scale(raw: dict, s: dict, fld: str) -> list[str]:
    """An ``energy_scale`` systematic: binned data, sigma_rel xor free, no shape-only keys."""
    errs = []
    if raw["data"]["type"] != "bins":
        errs.append(f"{fld}.kind: an energy_scale rescales binned templates; needs binned data")
    for key in ("effects", "response_up", "response_down", "constraint"):
        if key in s:
            errs.append(f"{fld}.{key}: not for kind 'energy_scale'")
    free = bool(s.get("free", False))
    if free == ("sigma_rel" in s):
        errs.append(f"{fld}: give either sigma_rel (a constrained scale) or free: true")
    return errs


def _check_results(raw: dict, tables: TableStore) -> list[str]:
    errs = []
    for i, r in enumerate(raw["published_results"]):
        fld = f"published_results[{i}]"
        if (r["kind"] == "absent") != (r["status"] == "absent"):
            errs.append(f"{fld}.status: kind 'absent' and status 'absent' go together")
        if r["kind"] == "interval" and not r["lower"] < r["upper"]:
            errs.append(f"{fld}: lower {r['lower']!r} must be < upper {r['upper']!r}")
        if r["kind"] == "upper_limit" and r["status"] in ("verified", "compiled"):
            if r.get("value") is None:
                errs.append(f"{fld}.value: a {r['status']} upper limit needs a value")
        if r["kind"] == "upper_limit" and r["status"] == "not_found" and r.get("value"):
            errs.append(f"{fld}.value: status not_found but a value is given")
    return errs


def _check_recasts(raw: dict) -> list[str]:
    """A read recast carries its number(s), an unread one none; interval ends in order."""
    errs = []
    for i, r in enumerate(raw.get("recasts", [])):
        fld = f"recasts[{i}]"
        keys = ("value",) if r["kind"] == "upper_limit" else ("lower", "upper")
        given = [k for k in ("value", "lower", "upper") if r.get(k) is not None]
        if r["status"] == "verified" and any(r.get(k) is None for k in keys):
            errs.append(f"{fld}: a verified {r['kind']} needs {' and '.join(keys)}")
        if r["status"] == "not_found" and given:
            errs.append(f"{fld}.{given[0]}: status not_found but a number is given")
        if set(given) - set(keys):
            errs.append(f"{fld}: {sorted(set(given) - set(keys))} do not belong to a {r['kind']}")
        if r["kind"] == "interval" and not set(keys) - set(given) and not r["lower"] < r["upper"]:
            errs.append(f"{fld}: lower {r['lower']!r} must be < upper {r['upper']!r}")
    return errs
