"""`LimitResult`: a limit with everything needed to interpret and reproduce it (DESIGN §3).

Serialises to JSON (:meth:`LimitResult.to_json`) and to a HEPData-style YAML table
(:meth:`LimitResult.to_hepdata_yaml`, format of https://hepdata.net submission tables:
``independent_variables`` / ``dependent_variables`` with ``header``, ``qualifiers``, ``values``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import yaml

import nuem
from nuem._validate import choice
from nuem.constants import provenance
from nuem.errors import NuemInputError

BAND_KEYS = ("median", "minus1", "plus1", "minus2", "plus2")


@dataclass
class LimitResult:
    """A published-style limit.

    ``value``: one-sided upper limit, or the bound on |x| of a signed quantity (or None);
    ``interval``: (lower, upper) for a two-sided result (or None); ``allowed``: the allowed
    region of a signed quantity as a list of (lower, upper) intervals (or None); ``expected``:
    dict with keys median, minus1, plus1, minus2, plus2, or only median (or None).
    Numbers are in ``unit`` (a string such as "mu_B", "e", "cm^2"). ``atomic_model``: the atomic
    model of the electron recoils ("stepping", "photoabsorption", ...; "card: model, ..." when a
    combination mixes them; None without electron recoils). ``limit_method``: the convention the
    user chose (:data:`nuem.stats.methods.METHODS`: q-tilde, delta-chi2, cls, power-constrained);
    ``method``: asymptotic or toys; ``note``: what decided the number when it is not the plain
    statistic (e.g. "power-constrained at the -1 sigma expected").
    """

    quantity: str
    unit: str
    cl: float
    sided: str
    test_statistic: str
    critical_value: float
    method: str
    value: float | None = None
    interval: tuple[float, float] | None = None
    expected: dict[str, float] | None = None
    experiments: list[str] = field(default_factory=list)
    card_hashes: list[str] = field(default_factory=list)
    published: dict[str, Any] | None = None
    allowed: list[tuple[float, float]] | None = None
    atomic_model: str | None = None
    limit_method: str = "q-tilde"
    note: str | None = None
    nuem_version: str = nuem.__version__
    constants: dict[str, Any] = field(default_factory=provenance)

    def __post_init__(self) -> None:
        self.sided = choice("sided", self.sided, ("one-sided", "two-sided"))
        self.method = choice("method", self.method, ("asymptotic", "toys"))
        self.limit_method = choice(
            "limit_method", self.limit_method, ("q-tilde", "delta-chi2", "cls", "power-constrained")
        )
        if not 0 < self.cl < 1:
            raise NuemInputError(f"cl = {self.cl!r} must lie in (0, 1)")
        if self.value is None and self.interval is None:
            raise NuemInputError("a LimitResult needs a value (upper limit) or an interval")
        if self.interval is not None:
            self.interval = (float(self.interval[0]), float(self.interval[1]))
        if self.expected is not None:
            keys = [k for k in BAND_KEYS if self.expected.get(k) is not None]
            if keys != ["median"] and keys != list(BAND_KEYS):
                missing = sorted(set(BAND_KEYS) - set(keys))
                raise NuemInputError(
                    f"expected band lacks keys {missing}; give all of {BAND_KEYS} or median only"
                )
            self.expected = {k: float(self.expected[k]) for k in keys}
        if self.allowed is not None:
            self.allowed = [(float(a), float(b)) for a, b in self.allowed]
        self.experiments = list(self.experiments)
        self.card_hashes = list(self.card_hashes)

    # --- construction from nuem.stats results -----------------------------------------
    @classmethod
    def from_stats(
        cls,
        quantity: str,
        unit: str,
        upper=None,
        interval=None,
        expected=None,
        transform: Callable[[float], float] | None = None,
        experiments: Sequence[str] = (),
        card_hashes: Sequence[str] = (),
        published: dict[str, Any] | None = None,
        atomic_model: str | None = None,
    ) -> LimitResult:
        """Build from :class:`nuem.stats.UpperLimit` / ``Interval`` / ``ExpectedBand``.

        ``transform`` maps the POI to the quantity (monotonic increasing), e.g.
        ``lambda mu2: mu2 ** 0.5`` when the POI is μ² and the quantity μ.
        """
        f = transform or (lambda v: v)
        src = upper if upper is not None else interval
        if src is None:
            raise NuemInputError("from_stats needs upper= or interval=")
        if upper is not None:
            kw = dict(
                sided="one-sided",
                test_statistic=upper.test_statistic,
                critical_value=upper.critical_value,
                method=upper.method,
                value=float(f(upper.value)),
            )
        else:
            kw = dict(
                sided="two-sided",
                test_statistic="delta_chi2",
                critical_value=interval.critical_value,
                method="asymptotic",
            )
        iv = None if interval is None else (float(f(interval.lower)), float(f(interval.upper)))
        exp = None if expected is None else {k: float(f(v)) for k, v in expected.as_dict().items()}
        return cls(
            quantity=quantity,
            unit=unit,
            cl=src.cl,
            interval=iv,
            expected=exp,
            experiments=list(experiments),
            card_hashes=list(card_hashes),
            published=published,
            atomic_model=atomic_model,
            **kw,
        )

    # --- summaries -----------------------------------------------------------------------
    @property
    def headline(self) -> float:
        """The number a table shows: the upper limit (|x| bound for a signed quantity), or the
        upper end of a two-sided interval."""
        return self.value if self.value is not None else self.interval[1]

    @property
    def expected_median(self) -> float | None:
        return None if self.expected is None else self.expected["median"]

    def row_fields(self) -> dict[str, Any]:
        """``interval`` (when the data prefer a signal), ``allowed`` (signed quantities),
        ``expected_band`` and the full ``result``: the shared part of the CLI JSON rows."""
        out: dict[str, Any] = {}
        if self.sided == "two-sided":
            excl0 = self.allowed is None or not any(lo <= 0.0 <= hi for lo, hi in self.allowed)
            if excl0:
                out["interval"] = list(self.interval)
        if self.allowed is not None:
            out["allowed"] = [list(iv) for iv in self.allowed]
        out["expected_band"] = self.expected
        out["result"] = self.to_dict()
        return out

    # --- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["interval"] is not None:
            d["interval"] = list(d["interval"])
        if d["allowed"] is not None:
            d["allowed"] = [list(iv) for iv in d["allowed"]]
        return d

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LimitResult:
        d = dict(d)
        if d.get("interval") is not None:
            d["interval"] = tuple(d["interval"])
        if d.get("allowed") is not None:
            d["allowed"] = [tuple(iv) for iv in d["allowed"]]
        return cls(**d)

    @classmethod
    def from_json(cls, text: str) -> LimitResult:
        return cls.from_dict(json.loads(text))

    def to_hepdata_yaml(self) -> str:
        """One HEPData table: independent variable = experiment(s); dependent variables =
        observed limit (or interval) and expected median with ±1σ/±2σ asymmetric errors
        (``asymerror``); qualifiers record CL, sidedness, test statistic, critical value and
        method."""
        quals = [
            {"name": "CL", "value": f"{100 * self.cl:g}%"},
            {"name": "sided", "value": self.sided},
            {"name": "test statistic", "value": self.test_statistic},
            {"name": "critical value", "value": self.critical_value},
            {"name": "method", "value": f"{self.limit_method} ({self.method})"},
            {"name": "nuem version", "value": self.nuem_version},
        ]
        if self.atomic_model is not None:
            quals.append({"name": "atomic model", "value": self.atomic_model})
        exp_name = " + ".join(self.experiments) if self.experiments else "combined"
        qname = f"|{self.quantity}|" if self.allowed is not None else self.quantity
        deps = []
        if self.value is not None:
            deps.append(
                {
                    "header": {"name": f"{qname} observed upper limit", "units": self.unit},
                    "qualifiers": [dict(q) for q in quals],
                    "values": [{"value": self.value}],
                }
            )
        if self.interval is not None:
            lo, hi = self.interval
            deps.append(
                {
                    "header": {"name": f"{self.quantity} interval lower", "units": self.unit},
                    "qualifiers": [dict(q) for q in quals],
                    "values": [{"value": lo}],
                }
            )
            deps.append(
                {
                    "header": {"name": f"{self.quantity} interval upper", "units": self.unit},
                    "qualifiers": [dict(q) for q in quals],
                    "values": [{"value": hi}],
                }
            )
        if self.expected is not None:
            e = self.expected
            errs = (
                []
                if len(e) == 1
                else [
                    {
                        "label": "1 sigma",
                        "asymerror": {
                            "plus": e["plus1"] - e["median"],
                            "minus": e["minus1"] - e["median"],
                        },
                    },
                    {
                        "label": "2 sigma",
                        "asymerror": {
                            "plus": e["plus2"] - e["median"],
                            "minus": e["minus2"] - e["median"],
                        },
                    },
                ]
            )
            deps.append(
                {
                    "header": {"name": f"{self.quantity} expected upper limit", "units": self.unit},
                    "qualifiers": [dict(q) for q in quals],
                    "values": [{"value": e["median"], **({"errors": errs} if errs else {})}],
                }
            )
        if self.published is not None:
            deps += _published_columns(self.quantity, self.unit, self.published)
        table = {
            "independent_variables": [
                {"header": {"name": "experiment"}, "values": [{"value": exp_name}]}
            ],
            "dependent_variables": deps,
        }
        return yaml.safe_dump(table, sort_keys=False)


def _published_columns(quantity: str, unit: str, pub: dict[str, Any]) -> list[dict[str, Any]]:
    """HEPData columns of a published result, with the publication's own qualifiers (its CL,
    reference and how nuem has it) — never nuem's test statistic, method or version."""
    quals = [{"name": "source", "value": "published"}]
    if pub.get("cl") is not None:
        quals.append({"name": "CL", "value": f"{100 * float(pub['cl']):g}%"})
    for key in ("reference", "status"):
        if pub.get(key):
            quals.append({"name": key, "value": str(pub[key])})
    cols = []
    parts = [("published upper limit", pub.get("value"))]
    if pub.get("kind") == "interval":
        parts = [("published interval lower", pub.get("lower")),
                 ("published interval upper", pub.get("upper"))]  # fmt: skip
    for label, value in parts:
        if value is not None:
            cols.append(
                {
                    "header": {"name": f"{quantity} {label}", "units": unit},
                    "qualifiers": [dict(q) for q in quals],
                    "values": [{"value": float(value)}],
                }
            )
    return cols
