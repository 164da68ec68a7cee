"""Dataset cards: loading, validation and the :class:`Card` object.

A card is a YAML file (``cards/<name>.yaml`` in this package, or any path) validated by the JSON
Schema shipped as ``schema.json`` and then by semantic checks (sorted edges, matching lengths,
table hashes, 0 <= efficiency <= 1 in tables, ...). Large tables live in sibling CSV files whose
sha256 the card records; the loader verifies them. Every problem is reported as
``<file>: <field>: <what is wrong>`` in a :class:`CardError` (a ``NuemInputError``/``ValueError``).

The :class:`Card` gives the rates engine typed, unit-carrying accessors: energies in hepunits
(``card.bin_edges()/keV``), ``card.exposure`` as mass*time (``/ (tonne*year)``), efficiency and
resolution callables, observed counts and background expectations per bin.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import positive
from nuem.detectors.binning import check_edges, parse_bins
from nuem.detectors.birks import BirksElectron
from nuem.detectors.efficiency import ConstantEfficiency, TabulatedEfficiency, TimeEfficiency
from nuem.detectors.quenching import Lindhard, PolynomialQuenching
from nuem.detectors.resolution import make_resolution, response_matrix
from nuem.detectors.smearing import (
    GammaPhotoelectronSmearing,
    GaussianSmearing,
    HitsSmearing,
    MatrixSmearing,
    NoSmearing,
    PhotoelectronSmearing,
)
from nuem.detectors.targets import Target, tonne
from nuem.errors import NuemInputError
from nuem.experiments.records import (
    BackgroundComponent,
    CardSystematic,
    PublishedResult,
    RecastResult,
    piecewise_constant_cdf,
    piecewise_constant_density,
    piecewise_linear_cdf,
    piecewise_linear_density,
)
from nuem.experiments.validation import (
    CardError,
    TableStore,
    schema,
    schema_errors,
    semantic_errors,
    variation_arrays,
)
from nuem.sources.registry import source_from_block
from nuem.xsec import nuclei

__all__ = [
    "BackgroundComponent",
    "Card",
    "CardError",
    "CardSystematic",
    "PublishedResult",
    "RecastResult",
    "cards_directory",
    "list_cards",
    "list_projections",
    "load_card",
    "projections_directory",
    "schema",
]

#: Units of polynomial-quenching coefficients (``response.quenching.coefficients_unit``).
QUENCHING_UNITS = {"keV": u.keV, "MeV": u.MeV}

#: Exposure units a card may use, in hepunits (mass*time).
EXPOSURE_UNITS = {"tonne*year": tonne * u.year, "kg*day": u.kg * u.day}


# --------------------------------------------------------------------------------------------
# locating and reading


def cards_directory() -> Path:
    """Folder holding the cards shipped with nuem."""
    return Path(str(resources.files("nuem.experiments").joinpath("cards")))


def list_cards() -> list[str]:
    """Names of the shipped cards, sorted."""
    return sorted(p.stem for p in cards_directory().glob("*.yaml"))


def projections_directory() -> Path:
    """Folder holding the projection cards shipped with nuem (future detectors, no data)."""
    return Path(str(resources.files("nuem.experiments").joinpath("projections")))


def list_projections() -> list[str]:
    """Names of the shipped projection cards, sorted (not among :func:`list_cards`: they hold
    no data and give expected limits only, `nuem sensitivity`)."""
    return sorted(p.stem for p in projections_directory().glob("*.yaml"))


def shipped_path(alias: str) -> Path:
    """The shipped card (data cards first, then projections) an alias names: the full name, or a
    unique prefix with ``-`` read as ``_`` and any case (``xenonnt-sr0``, ``lz``, ``XENON1T``,
    ``darwin``); a prefix that ends where a name's ``_`` part ends wins over longer matches; a
    data card's alias never changes when projections are added (``pandax`` is PandaX-4T).
    Raises CardError when none or several match."""
    key = str(alias).strip().lower().replace("-", "_")
    groups = ((cards_directory(), list_cards()), (projections_directory(), list_projections()))
    for folder, names in groups:
        if key in names:
            return folder / f"{key}.yaml"
    for folder, names in groups:
        hits = [n for n in names if n.startswith(key)]
        whole = [n for n in hits if n.startswith(key + "_")]
        hits = whole or hits
        if len(hits) == 1:
            return folder / f"{hits[0]}.yaml"
        if hits:
            raise CardError(f"card {str(alias)!r} is ambiguous: {', '.join(hits)}")
    raise CardError(
        f"unknown card {str(alias)!r}; shipped cards: {', '.join(list_cards())}; "
        f"projections: {', '.join(list_projections())}"
    )


def shipped_name(alias: str) -> str:
    """The name of the shipped card (or projection) ``alias`` names (:func:`shipped_path`)."""
    return shipped_path(alias).stem


def _resolve(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        if not p.is_file():
            raise CardError(f"{p}: card file not found")
        return p
    return shipped_path(str(name_or_path))


#: libyaml's safe loader when PyYAML was built with it (4x faster on the 851-bin Borexino card).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Shipped cards already parsed and validated in this process:
#: (path, text) -> (raw fields, verified tables {file: (header, array, sha256)}).
_SHIPPED_VALID: dict[tuple[str, str], tuple[dict, dict]] = {}


def _is_shipped(path: Path) -> bool:
    folder = path.resolve().parent
    return folder in (cards_directory().resolve(), projections_directory().resolve())


def load_card(name_or_path: str | Path) -> Card:
    """Load and validate a card by shipped name (``"xenonnt_sr0_er_2022"``), alias
    (``"xenonnt-sr0"``, :func:`shipped_name`) or file path.

    A shipped card (and its tables) is validated once per process: loading the same text
    again returns a new :class:`Card` on a copy of the fields validated the first time.
    """
    path = _resolve(name_or_path)
    text = path.read_text("utf-8")
    key = (str(path.resolve()), text)
    if key in _SHIPPED_VALID:
        return Card._validated(*copy.deepcopy(_SHIPPED_VALID[key]), path)
    try:
        raw = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        msg = " ".join(str(exc).split())
        raise CardError(f"{path.name}: not valid YAML: {msg}") from exc
    if not isinstance(raw, dict):
        raise CardError(f"{path.name}: the card must be a mapping of fields")
    card = Card(raw, path)
    if _is_shipped(path):
        _SHIPPED_VALID[key] = copy.deepcopy((card.raw, card._store.tables))
    return card


# --------------------------------------------------------------------------------------------
# the card


class Card:
    """A validated dataset card. Build with :func:`load_card`.

    Energies returned in hepunits; ``card.raw`` is the parsed YAML (numbers as written, keV).
    """

    def __init__(self, raw: dict, path: Path):
        self.raw = raw
        self.path = Path(path)
        self.file = self.path.name
        errors = schema_errors(raw)
        if errors:
            raise CardError(self._join(errors))
        self._store = TableStore(self.path)
        errors = semantic_errors(raw, self.path, self._store)
        if errors:
            raise CardError(self._join(errors))

    @classmethod
    def _validated(cls, raw: dict, tables: dict, path: Path) -> Card:
        """A card on fields (and verified tables) that already passed both validations for
        this ``path``."""
        card = cls.__new__(cls)
        card.raw = raw
        card.path = Path(path)
        card.file = card.path.name
        card._store = TableStore(card.path)
        card._store.tables = tables
        return card

    def _join(self, errors: list[str]) -> str:
        head = f"{self.file}: {errors[0]}"
        if len(errors) > 1:
            rest = "; ".join(errors[1:6])
            more = f" (+{len(errors) - 6} more)" if len(errors) > 6 else ""
            return f"{head}; also: {rest}{more}"
        return head

    # ---- table files -----------------------------------------------------------------------

    # ---- identity / provenance ---------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.raw["name"]

    @property
    def title(self) -> str:
        return self.raw["title"]

    @property
    def experiment(self) -> str:
        return self.raw["experiment"]

    @property
    def provenance(self) -> dict:
        """The provenance block (arXiv, DOI, kind, figures, shared_data, upstream, version)."""
        return dict(self.raw["provenance"])

    @property
    def provenance_kind(self) -> str:
        """``"official"``, ``"digitised"`` or ``"transcribed"``."""
        return self.raw["provenance"]["kind"]

    @cached_property
    def content_hash(self) -> str:
        """sha256 over the canonical card (sorted-key JSON) and its verified table hashes."""
        h = hashlib.sha256()
        h.update(json.dumps(self.raw, sort_keys=True, separators=(",", ":")).encode("utf-8"))
        for fname in sorted(self._store.tables):
            h.update(f"\n{fname}:{self._store.tables[fname][2]}".encode())
        return h.hexdigest()

    # ---- exposure and target -------------------------------------------------------------------

    @property
    def exposure(self) -> float:
        """Exposure in hepunits mass*time (``card.exposure / (tonne*year)``)."""
        return float(self.raw["exposure"]) * EXPOSURE_UNITS[self.raw["exposure_unit"]]

    @property
    def exposure_off(self) -> float | None:
        """Reactor-OFF exposure (hepunits mass*time), or None for a card without OFF data."""
        off = self.raw.get("exposure_off")
        return None if off is None else float(off) * EXPOSURE_UNITS[self.raw["exposure_unit"]]

    def observed_off(self, bin_edges: ArrayLike | None = None) -> np.ndarray:
        """Reactor-OFF counts on the card's bins (merged like :meth:`observed`)."""
        self._require_data()
        if self.exposure_off is None:
            raise NuemInputError(f"card {self.name!r} has no reactor-OFF data")
        return self._merge(self.raw["data"]["bins"]["observed_off"], bin_edges)

    @property
    def exposure_tonne_year(self) -> float:
        """Exposure in tonne*year (a plain number)."""
        return self.exposure / (tonne * u.year)

    @cached_property
    def target(self) -> Target:
        """The target material (natural isotopes), for electrons/nuclei per tonne."""
        return Target.from_formula(self.raw["target"]["formula"])

    @property
    def recoil(self) -> str:
        """``"electron"``, ``"nuclear"`` or ``"both"``."""
        return self.raw["target"]["recoil"]

    @property
    def recoils(self) -> tuple[str, ...]:
        """The recoil kinds the card registers: ("electron",), ("nuclear",) or both."""
        return ("electron", "nuclear") if self.recoil == "both" else (self.recoil,)

    @property
    def atomic_model(self) -> str:
        """Atomic model of the electron targets (``target.atomic``, default "stepping")."""
        return self.raw["target"].get("atomic", "stepping")

    @property
    def form_factor(self) -> str:
        """Nuclear form factor name (``target.form_factor``, default "helm")."""
        return self.raw["target"].get("form_factor", "helm")

    # ---- source --------------------------------------------------------------------------------

    @property
    def source_block(self) -> dict:
        """The card's ``source:`` mapping (kind and its fields, card units)."""
        return dict(self.raw["source"])

    @property
    def source_kind(self) -> str:
        return self.raw["source"]["kind"]

    @cached_property
    def source(self):
        """The :class:`nuem.sources.base.Source` the card declares (built once per card)."""
        return source_from_block(self.source_block, self._read_source_table)

    def _read_source_table(self, fld: str, spec: dict) -> np.ndarray:
        return self._store.read(fld, spec)

    # ---- response ------------------------------------------------------------------------------

    @property
    def response_block(self) -> dict:
        return dict(self.raw.get("response", {}))

    @property
    def reconstructed_variable(self) -> str:
        """``"energy"`` (bins in energy_unit), ``"photoelectrons"`` or ``"hits"`` (counts)."""
        return self.response_block.get("reconstructed", "energy")

    @property
    def variable_unit(self) -> float:
        """hepunits value of one unit of the reconstructed variable (keV, or 1 for PE)."""
        return u.keV if self.reconstructed_variable == "energy" else 1.0

    @cached_property
    def quenching(self):
        """Quenching model (:mod:`nuem.detectors.quenching` for nuclear recoils,
        :class:`~nuem.detectors.birks.BirksElectron` for electrons; its ``recoil`` says which),
        or None."""
        q = self.response_block.get("quenching")
        if q is None:
            return None
        if q["model"] == "birks":
            return BirksElectron(
                q["kB_cm_per_MeV"],
                q.get("medium", self.raw["target"]["formula"]),
                q["density_g_cm3"],
                q.get("mean_excitation_eV"),
            )
        if q["model"] == "polynomial":
            unit = QUENCHING_UNITS[q.get("coefficients_unit", "keV")]
            return PolynomialQuenching(tuple(q["coefficients"]), unit)
        sym = q.get("element") or max(
            (el for el, _ in self.target.composition), key=lambda el: nuclei.element(el).Z
        )
        el = nuclei.element(sym)
        if "k" in q:
            return Lindhard(el.Z, q["k"])
        return Lindhard.for_element(el.Z, el.mean_atomic_mass_u)

    @cached_property
    def smearing(self):
        """The smearing model (:mod:`nuem.detectors.smearing`) from ``response.smearing``;
        Gaussian with the card's resolution by default."""
        sm = self.response_block.get("smearing", {"model": "gaussian"})
        model = sm["model"]
        if model == "gaussian":
            return GaussianSmearing(self.resolution)
        if model == "photoelectrons":
            return PhotoelectronSmearing(sm["light_yield_pe_per_keV"] / u.keV)
        if model == "hits":
            return HitsSmearing(
                sm["light_yield_hits_per_keV"] / u.keV,
                sm["saturation_hits"],
                sm["variance_linear"],
                sm.get("variance_quadratic", 0.0),
            )
        if model == "gamma_photoelectrons":
            return GammaPhotoelectronSmearing(
                sm["light_yield_pe_per_keV"] / u.keV, sm["shape_slope_per_keV"] / u.keV
            )
        if model == "matrix":
            t = self._store.read("response.smearing.table", sm["table"])
            return MatrixSmearing(t[:, 0] * u.keV, self.bin_edges(), t[:, 1:].T)
        return NoSmearing()

    @property
    def time_edges(self) -> np.ndarray | None:
        """Time-bin edges (hepunits) of the data, or None for a steady analysis."""
        t = self.response_block.get("time")
        return None if t is None else np.asarray(t["edges_us"], dtype=np.float64) * u.microsecond

    @cached_property
    def time_efficiency(self) -> TimeEfficiency | None:
        """The efficiency in the time after the pulse (``response.time.efficiency``), or None."""
        t = self.response_block.get("time", {}).get("efficiency")
        if t is None:
            return None
        return TimeEfficiency(t["flat_until_us"] * u.microsecond, t["decay_per_us"] / u.microsecond)

    @property
    def n_time_bins(self) -> int:
        t = self.time_edges
        return 1 if t is None else t.size - 1

    def pulse_shape_fractions(self, recoil: str) -> np.ndarray | None:
        """Fraction of ``recoil`` events in each pulse-shape bin (``response.pulse_shape``): shape
        (n_pulse_shape,), or (n_energy, n_pulse_shape) for energy-dependent fractions (the
        energy bins inside the window); None when the card bins no second variable."""
        ps = self.response_block.get("pulse_shape")
        if ps is None:
            return None
        f = np.asarray(ps["fractions"][recoil], dtype=np.float64)
        if f.ndim == 2:  # one row per data energy bin: keep the rows inside the window
            e = self.data_edges()
            lo, hi = self.window
            f = f[(e[:-1] >= lo * (1 - 1e-12)) & (e[1:] <= hi * (1 + 1e-12))]
        return f

    @property
    def n_pulse_shape_bins(self) -> int:
        ps = self.response_block.get("pulse_shape")
        return 1 if ps is None else len(ps["edges"]) - 1

    @property
    def n_extra_bins(self) -> int:
        """Bins per energy bin: time bins x pulse-shape bins (1 for an energy-only card)."""
        return self.n_time_bins * self.n_pulse_shape_bins

    @property
    def has_extra_axes(self) -> bool:
        return self.n_extra_bins > 1 or self.time_edges is not None

    # ---- data ----------------------------------------------------------------------------------

    @property
    def data_type(self) -> str:
        """``"events"`` (unbinned) or ``"bins"``."""
        return self.raw["data"]["type"]

    @property
    def window(self) -> np.ndarray:
        """Analysis window [lo, hi] of the reconstructed variable (hepunits energy, or PE)."""
        return np.asarray(self.raw["window"], dtype=np.float64) * self.variable_unit

    def events(self) -> np.ndarray:
        """Reconstructed energies of the events (hepunits); only for ``data_type == "events"``."""
        if self.data_type != "events":
            raise NuemInputError(f"card {self.name!r} holds binned data, not events")
        spec = self.raw["data"]["events"]["table"]
        return self._store.read("data.events.table", spec)[:, 0] * u.keV

    def data_edges(self) -> np.ndarray:
        """Edges of the published bins (hepunits); only for ``data_type == "bins"``."""
        if self.data_type != "bins":
            raise NuemInputError(f"card {self.name!r} holds events; use bin_edges() or events()")
        return np.asarray(self.raw["data"]["bins"]["edges"], dtype=np.float64) * self.variable_unit

    @property
    def has_data(self) -> bool:
        """False for a projection card without data (``data.bins`` has no ``observed``)."""
        return self.data_type == "events" or "observed" in self.raw["data"]["bins"]

    def _require_data(self) -> None:
        if not self.has_data:
            raise NuemInputError(
                f"card {self.name!r} is a projection without data; it gives expected limits "
                "only (nuem sensitivity)"
            )

    def bin_edges(self) -> np.ndarray:
        """Default analysis binning (hepunits): the card's default for events, else the data
        bins inside the window."""
        if self.data_type == "events":
            return parse_bins(self.raw["data"]["default_binning"])
        e = self.data_edges()
        lo, hi = self.window
        keep = (e >= lo * (1 - 1e-12)) & (e <= hi * (1 + 1e-12))
        return e[keep]

    def observed(self, bin_edges: ArrayLike | None = None) -> np.ndarray:
        """Observed counts per bin: a histogram of the events, or the (re-)binned data.

        Binned data can only be merged, so every requested edge must be a data edge. Edges
        outside the released data range raise an error.
        """
        self._require_data()
        if self.has_extra_axes:
            return self._observed_energy_time(bin_edges)
        edges = self.bin_edges() if bin_edges is None else check_edges("bin_edges", bin_edges)
        if self.data_type == "events":
            lo, hi = self.window
            if edges[0] < lo * (1 - 1e-12) or edges[-1] > hi * (1 + 1e-12):
                raise NuemInputError(
                    f"bin_edges [{edges[0] / u.keV:g}, {edges[-1] / u.keV:g}] keV leave the data "
                    f"window [{lo / u.keV:g}, {hi / u.keV:g}] keV of card {self.name!r}"
                )
            return np.histogram(self.events(), bins=edges)[0].astype(np.float64)
        return self._merge(self.raw["data"]["bins"]["observed"], edges)

    def _merge(self, counts, bin_edges) -> np.ndarray:
        """Binned ``counts`` on the data edges merged into ``bin_edges`` (a subset of them)."""
        edges = self.bin_edges() if bin_edges is None else check_edges("bin_edges", bin_edges)
        de = self.data_edges()
        idx = np.searchsorted(de, edges)
        idx = np.clip(idx, 0, de.size - 1)
        near = np.isclose(de[idx], edges, rtol=1e-9, atol=0.0)
        alt = np.clip(idx - 1, 0, de.size - 1)
        near_alt = np.isclose(de[alt], edges, rtol=1e-9, atol=0.0)
        idx = np.where(near, idx, alt)
        if not np.all(near | near_alt):
            raise NuemInputError(
                f"bin_edges must be a subset of the data edges of card {self.name!r} "
                f"(binned data can only be merged)"
            )
        cum = np.concatenate([[0.0], np.cumsum(counts)])
        return np.diff(cum[idx]).astype(np.float64)

    def _observed_energy_time(self, bin_edges) -> np.ndarray:
        """Energy x time counts, flattened energy-major, inside the window (no re-binning)."""
        if bin_edges is not None and not np.array_equal(
            np.asarray(bin_edges, dtype=np.float64), self.bin_edges()
        ):
            raise NuemInputError(
                f"card {self.name!r} has energy x time data: only its own binning can be used"
            )
        return self._in_window(np.asarray(self.raw["data"]["bins"]["observed"], np.float64))

    def _in_window(self, flat: np.ndarray) -> np.ndarray:
        """Rows of the energy bins inside the window, from a flat energy-major array."""
        e = self.data_edges()
        lo, hi = self.window
        keep = (e[:-1] >= lo * (1 - 1e-12)) & (e[1:] <= hi * (1 + 1e-12))
        return flat.reshape(e.size - 1, self.n_extra_bins)[keep].ravel()

    # ---- detector response -----------------------------------------------------------------------

    @cached_property
    def efficiency_curve(self) -> TabulatedEfficiency | ConstantEfficiency:
        """The efficiency as a callable object (hepunits energies in, eps out)."""
        eff = self.raw["efficiency"]
        if "constant" in eff:
            return ConstantEfficiency(eff["constant"], source=eff["source"])
        t = self._store.read("efficiency.table", eff["table"])
        unit = self.variable_unit if eff["applies_to"] == "reconstructed" else u.keV
        return TabulatedEfficiency(
            t[:, 0] * unit,
            t[:, 1],
            below=eff.get("below", 0.0),
            above=eff.get("above", "edge"),
            source=eff["source"],
        )

    @property
    def efficiency_on(self) -> str:
        """``"true"`` or ``"reconstructed"``: the energy the efficiency is a function of."""
        return self.raw["efficiency"]["applies_to"]

    def efficiency(self, E: ArrayLike) -> np.ndarray:
        """eps(E), dimensionless (E in hepunits)."""
        return self.efficiency_curve(E)

    @cached_property
    def resolution(self) -> Callable[[np.ndarray], np.ndarray] | None:
        """sigma(E) as a callable (hepunits in and out), or None if the card has none."""
        res = self.raw.get("resolution")
        if res is None:
            return None
        return make_resolution(res["model"], res["parameters"], u.keV)

    @property
    def resolution_model(self) -> str | None:
        res = self.raw.get("resolution")
        return None if res is None else res["model"]

    def resolution_sigma(self, E: ArrayLike) -> np.ndarray:
        """Gaussian sigma at true energy E (hepunits)."""
        return self.resolution(E)

    def response_matrix(
        self, T: ArrayLike, bin_edges: ArrayLike | None = None, n_sub: int = 16
    ) -> np.ndarray:
        """Response R[i, j] of this detector (resolution x efficiency) from true T[j] to bin i.

        Expected counts per bin from a rate density dR/dT per unit exposure:
        ``card.exposure * R @ (w * dRdT)`` with quadrature weights ``w`` on ``T``.
        """
        edges = self.bin_edges() if bin_edges is None else bin_edges
        return response_matrix(
            T, edges, self.resolution, self.efficiency_curve, self.efficiency_on, n_sub
        )

    # ---- backgrounds -----------------------------------------------------------------------------

    @property
    def background_includes_sm_solar_nu(self) -> bool:
        """True when the in-likelihood background already contains the SM solar-nu ER signal."""
        return bool(self.raw["backgrounds"]["includes_sm_solar_nu"])

    @property
    def sm_neutrino_groups(self) -> tuple[dict, ...]:
        """``backgrounds.sm_neutrino_groups``: nuem's SM neutrinos split by source component,
        each ``{"name", "components", "uncertainty"}`` (empty: one ``sm_nu`` component)."""
        return tuple(dict(g) for g in self.raw["backgrounds"].get("sm_neutrino_groups") or ())

    @cached_property
    def backgrounds(self) -> tuple[BackgroundComponent, ...]:
        """All background components (in-likelihood and informational)."""
        return tuple(
            self._component(i, c) for i, c in enumerate(self.raw["backgrounds"]["components"])
        )

    def _component(
        self, i: int, c: dict, values: np.ndarray | None = None, variant: str = ""
    ) -> BackgroundComponent:
        """Component ``i``; with ``values``, its shape with those values (a binned shape's
        ``values``, a table's density column) instead of the nominal ones (a ±1σ variation,
        named ``variant``)."""
        sh = c["shape"]
        cdf = dens = None
        kind = sh["kind"]
        scale = self.exposure / (tonne * u.year) if sh.get("quantity") == "rate_density" else 1.0
        outside = sh.get("outside", "zero")
        grid = None
        mult = float(c.get("scale", 1.0))  # a projection's background assumption
        if kind == "binned":
            vals = mult * np.asarray(sh["values"] if values is None else values, np.float64)
        elif kind in ("histogram", "curve"):
            t = self._store.read(f"backgrounds.components[{i}].shape.table", sh["table"])
            col = t[:, -1] if values is None else np.asarray(values, np.float64)
            rho = mult * col * scale / u.keV
        if kind == "binned" and self.has_extra_axes:
            grid = self._in_window(vals * scale)
        elif kind == "binned":
            e = np.asarray(sh["edges"], dtype=np.float64) * self.variable_unit
            unit = self.variable_unit
            dens = vals / np.diff(e) if sh["quantity"] == "counts" else vals * scale / unit
            cdf = piecewise_constant_cdf(e, dens, outside)
            dens = piecewise_constant_density(e, dens, outside)
        elif kind == "histogram":
            e = np.append(t[:, 0], t[-1, 1]) * u.keV
            cdf = piecewise_constant_cdf(e, rho, outside)
            dens = piecewise_constant_density(e, rho, outside)
        elif kind == "curve":
            cdf = piecewise_linear_cdf(t[:, 0] * u.keV, rho, outside)
            dens = piecewise_linear_density(t[:, 0] * u.keV, rho, outside)
        exp = c.get("expected")
        return BackgroundComponent(
            name=c["name"] + variant,
            in_likelihood=c["in_likelihood"],
            shape_kind=kind,
            uncertainty=dict(c["uncertainty"]),
            description=c.get("description", ""),
            part_of=c.get("part_of"),
            includes_sm_solar_nu=bool(c.get("includes_sm_solar_nu", False)),
            quantity=sh.get("quantity"),
            space=sh.get("space"),
            smeared=sh.get("smeared"),
            efficiency_applied=sh.get("efficiency_applied"),
            expected_counts=None if exp is None else float(exp["counts"]),
            expected_window=None if exp is None else np.asarray(exp["window"]) * u.keV,
            status=c.get("status", ""),
            _cumulative=cdf,
            _density=dens,
            _grid_edges=None if grid is None else self.bin_edges(),
            _grid_counts=grid,
        )

    def with_response(self, override: dict) -> Card:
        """The same card with ``override`` merged into its ``response:`` block (an
        ``efficiency`` entry replaces the top-level efficiency) and no systematics: a ±1σ
        variation of the detector response, validated like any card. Built once per card and
        override (the likelihood asks for it at every mass of a scan)."""
        key = json.dumps(override, sort_keys=True, default=str)
        if key not in self._response_variants:
            self._response_variants[key] = self._build_with_response(override)
        return self._response_variants[key]

    @cached_property
    def _response_variants(self) -> dict[str, Card]:
        return {}

    def _build_with_response(self, override: dict) -> Card:
        raw = copy.deepcopy(self.raw)
        override = copy.deepcopy(override)
        if "efficiency" in override:
            raw["efficiency"] = override.pop("efficiency")
        raw["response"] = {**raw.get("response", {}), **override}
        raw.pop("systematics", None)
        return Card(raw, self.path)

    # ---- projections: general transformations of a card -------------------------------------

    def as_projection(self, assumption: str) -> Card:
        """This card as a projection: no data (an event list becomes its default binning, ON/OFF
        counts are dropped), provenance kind ``projection`` with ``assumption`` appended to its
        assumptions (a data card's release becomes its reference); validated like any card.
        Its likelihood then carries the background-only Asimov data set (expected limits)."""
        raw = copy.deepcopy(self.raw)
        d = raw["data"]
        if d["type"] == "events":
            edges = parse_bins(d["default_binning"]) / u.keV
            raw["data"] = {
                "type": "bins",
                "energy_scale": d["energy_scale"],
                "bins": {"edges": [float(e) for e in edges]},
            }
        else:
            raw["data"]["bins"] = {"edges": list(d["bins"]["edges"])}
        prov = raw["provenance"]
        if prov["kind"] != "projection":
            ref = f"dataset card {self.name}" + (
                f" (arXiv:{prov['arxiv']})" if prov.get("arxiv") else ""
            )
            prov["assumptions"] = [
                f"detector, response and background model of {ref}; its data are not used"
            ]
            prov["references"] = [ref]
            prov["kind"] = "projection"
        prov["assumptions"] = [*prov["assumptions"], assumption]
        return Card(raw, self.path)

    def with_exposure(self, exposure: float) -> Card:
        """The card as a projection with exposure ``exposure`` (hepunits mass*time, > 0).

        Backgrounds given as rates (``rate_density``) follow the exposure by construction; those
        given as counts are scaled by the exposure ratio (component ``scale``); a reactor-OFF
        exposure keeps its ratio to the ON exposure."""
        exposure = float(positive("exposure", exposure))
        r = exposure / self.exposure
        unit = self.raw["exposure_unit"]
        card = self.as_projection(
            f"exposure {exposure / (tonne * u.year):g} t yr (card: {self.exposure_tonne_year:g})"
        )
        raw = card.raw
        raw["exposure"] = exposure / EXPOSURE_UNITS[unit]
        if raw.get("exposure_off") is not None:
            raw["exposure_off"] = raw["exposure_off"] * r
        for c in raw["backgrounds"]["components"]:
            if c["shape"].get("quantity", "rate_density") != "rate_density":
                c["scale"] = c.get("scale", 1.0) * r
        return Card(raw, self.path)

    def with_background_scale(self, factor: float) -> Card:
        """The card as a projection with every background component of the card multiplied by
        ``factor`` (> 0, dimensionless). nuem's own SM-neutrino component (``sm_nu``) is physics
        and is not scaled; a card background that contains the SM neutrinos
        (``includes_sm_solar_nu: true``) is scaled whole, neutrinos included."""
        factor = float(positive("background_scale", factor))
        note = f"every card background x {factor:g}"
        if self.background_includes_sm_solar_nu:
            note += " (the card's background contains the SM solar neutrinos: scaled with it)"
        raw = self.as_projection(note).raw
        for c in raw["backgrounds"]["components"]:
            c["scale"] = c.get("scale", 1.0) * factor
        return Card(raw, self.path)

    def with_threshold(self, threshold: float) -> Card:
        """The card as a projection whose analysis window starts at ``threshold`` (hepunits
        energy, between the card's first bin edge and the window's upper end: below its bins a
        card does not describe its detector). A threshold between two bin edges becomes a new
        edge (not for energy x time / pulse-shape cards, whose bins are fixed)."""
        threshold = float(positive("threshold", threshold))
        if self.reconstructed_variable != "energy":
            raise NuemInputError(
                f"card {self.name!r} bins photoelectrons: a threshold in energy does not apply"
            )
        lo = threshold / u.keV
        raw = self.as_projection(f"threshold {lo:g} keV (card: {self.raw['window'][0]:g})").raw
        hi = raw["window"][1]
        if not lo < hi:
            raise NuemInputError(
                f"threshold = {lo:g} keV must lie below the window's upper end {hi:g} keV"
            )
        edges = raw["data"]["bins"]["edges"]
        if lo < edges[0] * (1 - 1e-12):
            raise NuemInputError(
                f"threshold = {lo:g} keV lies below the first bin edge {edges[0]:g} keV of card "
                f"{self.name!r}: its response and backgrounds are not described there"
            )
        raw["window"] = [lo, hi]
        if not np.isclose(edges, lo, rtol=1e-9, atol=0.0).any():
            if self.has_extra_axes:
                raise NuemInputError(
                    f"threshold = {lo:g} keV is not a bin edge of card {self.name!r} "
                    "(energy x time / pulse-shape bins are fixed); edges: "
                    + ", ".join(f"{e:g}" for e in edges)
                )
            raw["data"]["bins"]["edges"] = sorted([*edges, lo])
        return Card(raw, self.path)

    def with_atomic(self, model: str) -> Card:
        """The same card with ``target.atomic = model`` (validated like any card; a new content
        hash): how ``nuem limits --atomic`` overrides a card's atomic model. A card without
        electron recoils is returned unchanged."""
        if "electron" not in self.recoils or model == self.atomic_model:
            return self
        raw = copy.deepcopy(self.raw)
        raw["target"]["atomic"] = model
        return Card(raw, self.path)

    @cached_property
    def systematics(self) -> tuple[CardSystematic, ...]:
        """The card's named nuisances (``systematics:``; empty if none), shape variations built
        as background components on the nominal's grid (see docs/experiments.md)."""
        comps = self.raw["backgrounds"]["components"]
        index = {c["name"]: k for k, c in enumerate(comps)}
        out = []
        for i, s in enumerate(self.raw.get("systematics") or []):
            variations = {}
            for smp, eff in s.get("effects", {}).items():
                k = index[smp]
                fld = f"systematics[{i}].effects.{smp}"
                up, dn, _ = variation_arrays(fld, self.raw, k, eff, self._store)
                variations[smp] = (
                    self._component(k, comps[k], up, f"[{s['name']} up]"),
                    self._component(k, comps[k], dn, f"[{s['name']} down]"),
                )
            scale = s["kind"] == "energy_scale"
            out.append(
                CardSystematic(
                    name=s["name"],
                    kind=s["kind"],
                    samples=tuple(s["samples"]),
                    source=s["source"],
                    sigma_rel=float(s["sigma_rel"]) if "sigma_rel" in s else None,
                    constraint=s.get("constraint", "gaussian"),
                    interpolation=s.get("interpolation", "code4p" if scale else "code0"),
                    variations=variations,
                    notes=s.get("notes", ""),
                    response_up=s.get("response_up"),
                    response_down=s.get("response_down"),
                    step_rel=float(s["step_rel"]) if scale else None,
                )
            )
        return tuple(out)

    def background(self, name: str) -> BackgroundComponent:
        """The component called ``name``."""
        for c in self.backgrounds:
            if c.name == name:
                return c
        known = ", ".join(c.name for c in self.backgrounds)
        raise NuemInputError(f"card {self.name!r} has no background {name!r}; known: {known}")

    @property
    def solar_nu_component(self) -> BackgroundComponent | None:
        """The SM solar-neutrino component (name containing 'solar'), if the card lists one."""
        for c in self.backgrounds:
            if "solar" in c.name.lower():
                return c
        return None

    def background_expectation(
        self, bin_edges: ArrayLike | None = None, in_likelihood_only: bool = True
    ) -> dict[str, np.ndarray]:
        """Expected background counts per bin for every component with a spectral shape.

        ``{name: counts}``; tabulated shapes are integrated exactly over each bin (histograms as
        piecewise constant, curves as piecewise linear densities) and rate densities are
        multiplied by the exposure.
        """
        edges = self.bin_edges() if bin_edges is None else bin_edges
        return {
            c.name: c.expectation(edges)
            for c in self.backgrounds
            if c.has_shape and (c.in_likelihood or not in_likelihood_only)
        }

    # ---- published results --------------------------------------------------------------------

    @property
    def reference_counts(self) -> dict[str, dict]:
        """The collaboration's SM prediction and fitted count of nuem's SM neutrino component
        (``reference_counts``: {"sm_prediction", "fitted"} -> {value, uncertainty, reference,
        status}); empty when the card has none."""
        return {k: dict(v) for k, v in self.raw.get("reference_counts", {}).items()}

    @cached_property
    def published_results(self) -> tuple[PublishedResult, ...]:
        keys = PublishedResult.__dataclass_fields__
        return tuple(
            PublishedResult(**{k: v for k, v in r.items() if k in keys})
            for r in self.raw["published_results"]
        )

    @cached_property
    def recasts(self) -> tuple[RecastResult, ...]:
        """Published recasts of this card's data by others (``recasts:``; empty if none)."""
        return tuple(RecastResult(**r) for r in self.raw.get("recasts", []))

    def published_result(self, quantity: str = "mu_eff") -> PublishedResult | None:
        """The published result for ``quantity`` (mu_eff, mu_e/mu_mu/mu_tau, millicharge or
        charge_radius)."""
        for r in self.published_results:
            if r.quantity == quantity:
                return r
        return None

    # ---- summary -------------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """One-line description used by ``nuem experiments``."""
        if self.data_type == "events":
            data = f"events ({self.raw['data']['events']['n_events']})"
        elif self.has_data:
            data = f"bins ({len(self.raw['data']['bins']['observed'])})"
        else:
            data = f"none ({len(self.raw['data']['bins']['edges']) - 1} bins)"
        mu = self.published_result("mu_eff") or self.published_result("mu_e")
        mu_text = "absent" if mu is None else mu.text()
        if mu is not None and mu.quantity != "mu_eff" and mu.kind != "absent":
            mu_text = f"{mu.quantity} {mu_text}"
        return {
            "name": self.name,
            "title": self.title,
            "exposure_tonne_year": self.exposure_tonne_year,
            "data": data,
            "provenance": self.provenance_kind,
            "published_mu": mu_text,
            "content_hash": self.content_hash,
        }

    def __repr__(self) -> str:
        return f"Card({self.name!r}, {self.provenance_kind}, {self.exposure_tonne_year:g} t yr)"
