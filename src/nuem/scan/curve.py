"""`LimitCurve`: a limit on the transition moment μ versus the N mass, with its provenance.

One curve per (card or combination, flavour): the mass grid [MeV], the observed limit per mass
(the one-sided upper limit, or the upper end of the two-sided interval where the data prefer a
signal, ``lower`` then holds its lower end), the expected band (median, ±1σ, ±2σ; Asimov,
CCGV arXiv:1007.1727) and a status per mass ("ok", "no sensitivity", "fit failed: ..."). Limits
are in μ_B: μ is the transition moment of the hypothesis, |d_α| of ν_α → N for a flavour, the
common moment for ``eff`` (nuem.limits.portal). Writes JSON, CSV and a HEPData table
(https://hepdata.net submission format: ``independent_variables`` / ``dependent_variables``
with ``header``, ``qualifiers``, ``values``; the same layout as
:meth:`nuem.limits.result.LimitResult.to_hepdata_yaml`, one row per mass).
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

import nuem
from nuem.constants import provenance
from nuem.errors import NuemInputError
from nuem.limits.result import BAND_KEYS

__all__ = ["CONVENTION", "LimitCurve", "OK", "NO_SENSITIVITY"]

OK = "ok"
NO_SENSITIVITY = "no sensitivity"
#: The coupling convention of every nuem curve (the catalogue keeps each paper's own).
CONVENTION = (
    "transition moment mu in mu_B: L = (mu/2) nubar_L sigma^{rho sigma} N_R F_{rho sigma} + h.c. "
    "(PHYSICS.md section 1; M_N -> 0 gives the magnetic-moment cross section); the d-convention "
    "L = d N sigma nu F of arXiv:1803.03262 has d = mu/2; eff = the same mu for every state"
)


def _num(v) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


@dataclass
class LimitCurve:
    """Limit on μ [μ_B] versus M_N [MeV] for one flavour (module doc)."""

    experiment: str
    flavour: str
    masses_MeV: list[float]
    observed: list[float | None]
    status: list[str]
    cl: float
    lower: list[float | None] = field(default_factory=list)
    expected: dict[str, list[float | None]] | None = None
    method: str = "asymptotic"
    test_statistic: str = "q_tilde"
    unit: str = "mu_B"
    convention: str = CONVENTION
    experiments: list[str] = field(default_factory=list)
    card_hashes: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    nuem_version: str = nuem.__version__
    constants: dict[str, Any] = field(default_factory=provenance)
    label: str = ""  # short name for legends (the card's experiment), else ``experiment``

    def __post_init__(self) -> None:
        n = len(self.masses_MeV)
        self.masses_MeV = [float(m) for m in self.masses_MeV]
        self.observed = [_num(v) for v in self.observed]
        self.lower = [_num(v) for v in self.lower] if self.lower else [None] * n
        if any(m2 <= m1 for m1, m2 in zip(self.masses_MeV, self.masses_MeV[1:], strict=False)):
            raise NuemInputError("LimitCurve masses must increase strictly")
        if not 0 < self.cl < 1:
            raise NuemInputError(f"cl = {self.cl!r} must lie in (0, 1)")
        lens = {len(self.observed), len(self.status), len(self.lower)}
        if self.expected is not None:
            if set(self.expected) != set(BAND_KEYS):
                raise NuemInputError(f"expected band needs the keys {BAND_KEYS}")
            self.expected = {k: [_num(v) for v in self.expected[k]] for k in BAND_KEYS}
            lens |= {len(v) for v in self.expected.values()}
        if lens != {n}:
            raise NuemInputError(f"LimitCurve arrays differ in length from the {n} masses")

    # ---- views ---------------------------------------------------------------------------
    @property
    def display_name(self) -> str:
        return self.label or self.experiment

    @property
    def sensitive(self) -> list[bool]:
        """True where a number was computed (status "ok")."""
        return [s == OK for s in self.status]

    def excess_region(self) -> list[tuple[float, float, float]]:
        """(M [MeV], lower, upper) where the data prefer a signal: a two-sided interval."""
        return [
            (m, lo, hi)
            for m, lo, hi in zip(self.masses_MeV, self.lower, self.observed, strict=True)
            if lo is not None and hi is not None
        ]

    def rows(self) -> list[dict[str, Any]]:
        """One object per mass: the ``nuem portal --json`` rows."""
        out = []
        for i, m in enumerate(self.masses_MeV):
            row = {
                "experiment": self.experiment,
                "flavour": self.flavour,
                "mass_MeV": m,
                "limit_muB": self.observed[i],
                "expected_muB": None if self.expected is None else self.expected["median"][i],
                "cl": self.cl,
                "status": self.status[i],
            }
            if self.lower[i] is not None:
                row["interval_muB"] = [self.lower[i], self.observed[i]]
            if self.expected is not None:
                row["expected_band_muB"] = {k: self.expected[k][i] for k in BAND_KEYS}
            out.append(row)
        return out

    # ---- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LimitCurve:
        return cls(**d)

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, text: str) -> LimitCurve:
        return cls.from_dict(json.loads(text))

    def to_csv(self) -> str:
        """CSV: mass_MeV, limit_muB, lower_muB, expected band columns, status; the CL, flavour
        and experiment in ``#`` comment lines at the top."""
        buf = io.StringIO()
        buf.write(f"# experiment: {self.experiment}\n# flavour: {self.flavour}\n")
        buf.write(f"# CL: {self.cl:g}\n# unit: {self.unit} ({self.convention})\n")
        w = csv.writer(buf, lineterminator="\n")
        band = [f"expected_{k}_muB" for k in BAND_KEYS] if self.expected is not None else []
        w.writerow(["mass_MeV", "limit_muB", "lower_muB", *band, "status"])
        for i, r in enumerate(self.rows()):
            ex = [self.expected[k][i] for k in BAND_KEYS] if self.expected is not None else []
            vals = [r["mass_MeV"], self.observed[i], self.lower[i], *ex]
            w.writerow(["" if v is None else repr(v) for v in vals] + [self.status[i]])
        return buf.getvalue()

    def to_hepdata_yaml(self) -> str:
        """One HEPData table: M_N as independent variable, observed limit and expected median
        (±1σ/±2σ asymmetric errors) as dependent variables; masses without a number are "-"."""
        quals = [
            {"name": "CL", "value": f"{100 * self.cl:g}%"},
            {"name": "flavour", "value": self.flavour},
            {"name": "experiment", "value": self.experiment},
            {"name": "test statistic", "value": self.test_statistic},
            {"name": "method", "value": self.method},
            {"name": "convention", "value": self.convention},
            {"name": "nuem version", "value": self.nuem_version},
        ]

        def vals(xs):
            return [{"value": "-" if v is None else v} for v in xs]

        deps = [
            {
                "header": {"name": f"mu_{self.flavour} observed upper limit", "units": "MU_B"},
                "qualifiers": [dict(q) for q in quals],
                "values": vals(self.observed),
            }
        ]
        if any(v is not None for v in self.lower):
            deps.append(
                {
                    "header": {"name": f"mu_{self.flavour} interval lower end", "units": "MU_B"},
                    "qualifiers": [dict(q) for q in quals],
                    "values": vals(self.lower),
                }
            )
        if self.expected is not None:
            e = self.expected
            rows = []
            for i, med in enumerate(e["median"]):
                if med is None:
                    rows.append({"value": "-"})
                    continue
                errs = [
                    {
                        "label": f"{n} sigma",
                        "asymerror": {
                            "plus": e[f"plus{n}"][i] - med,
                            "minus": e[f"minus{n}"][i] - med,
                        },
                    }
                    for n in (1, 2)
                ]
                rows.append({"value": med, "errors": errs})
            deps.append(
                {
                    "header": {"name": f"mu_{self.flavour} expected upper limit", "units": "MU_B"},
                    "qualifiers": [dict(q) for q in quals],
                    "values": rows,
                }
            )
        table = {
            "independent_variables": [
                {"header": {"name": "M_N", "units": "MEV"}, "values": vals(self.masses_MeV)}
            ],
            "dependent_variables": deps,
        }
        return yaml.safe_dump(table, sort_keys=False)

    def write(self, path: str | Path) -> Path:
        """Write JSON (``.json``), CSV (``.csv``) or HEPData YAML (``.yaml``/``.yml``)."""
        p = Path(path)
        text = {".json": self.to_json, ".csv": self.to_csv, ".yaml": self.to_hepdata_yaml}.get(
            ".yaml" if p.suffix == ".yml" else p.suffix
        )
        if text is None:
            raise NuemInputError(f"path {str(p)!r}: allowed suffixes .json, .csv, .yaml, .yml")
        p.write_text(text(), encoding="utf-8")
        return p
