"""LimitResult: JSON round trip, HEPData YAML structure, provenance."""

import json

import numpy as np
import pytest
import yaml

import nuem
from nuem.errors import NuemInputError
from nuem.limits import LimitResult
from nuem.stats import Background, BinnedLikelihood, Model, expected_band, interval, upper_limit


def _result():
    lik = BinnedLikelihood(Model([(1, [1.0, 2.0])], [Background("b", [5.0, 3.0], 0.1)]), [6, 2])
    return LimitResult.from_stats(
        "mu_nue_bar",
        "mu_B",
        upper=upper_limit(lik),
        expected=expected_band(lik),
        transform=lambda v: 1e-11 * np.sqrt(v),
        experiments=["TEXONO"],
        card_hashes=["abc123"],
        published={"value": 7.4e-11, "cl": 0.9, "reference": "arXiv:hep-ex/0605006"},
    )


def test_json_round_trip_and_fields():
    r = _result()
    d = json.loads(r.to_json())
    assert LimitResult.from_json(r.to_json()) == r
    assert d["cl"] == 0.9 and d["sided"] == "one-sided" and d["method"] == "asymptotic"
    assert d["test_statistic"] == "q_tilde"
    assert d["critical_value"] == pytest.approx(1.6424, abs=1e-4)
    assert d["nuem_version"] == nuem.__version__
    assert "G_F" in d["constants"] and "source" in d["constants"]["G_F"]
    e = d["expected"]
    assert e["minus2"] < e["minus1"] < e["median"] < e["plus1"] < e["plus2"]


def test_hepdata_yaml_valid_with_required_keys():
    r = _result()
    t = yaml.safe_load(r.to_hepdata_yaml())
    assert set(t) == {"independent_variables", "dependent_variables"}
    assert t["independent_variables"][0]["values"][0]["value"] == "TEXONO"
    names = [d["header"]["name"] for d in t["dependent_variables"]]
    assert "mu_nue_bar observed upper limit" in names
    for d in t["dependent_variables"]:
        q = {x["name"]: x["value"] for x in d["qualifiers"]}
        assert q["CL"] == "90%" and d["header"]["units"] == "mu_B"
        if "published" in d["header"]["name"]:  # the publication's qualifiers, not nuem's
            assert q["source"] == "published" and "method" not in q and "nuem version" not in q
        else:
            assert q["method"] == "q-tilde (asymptotic)" and "nuem version" in q
    exp = next(d for d in t["dependent_variables"] if "expected" in d["header"]["name"])
    errs = exp["values"][0]["errors"]
    assert {e["label"] for e in errs} == {"1 sigma", "2 sigma"}
    assert all(e["asymerror"]["plus"] > 0 > e["asymerror"]["minus"] for e in errs)


def test_two_sided_result_and_validation():
    lik = BinnedLikelihood(Model([(1, [1.0])], [Background("b", [5.0])]), [30])
    r = LimitResult.from_stats("x", "events", interval=interval(lik))
    assert r.sided == "two-sided" and r.value is None
    assert r.critical_value == pytest.approx(2.7055, abs=1e-4)
    assert LimitResult.from_dict(r.to_dict()) == r
    assert "interval lower" in r.to_hepdata_yaml()
    with pytest.raises(NuemInputError):
        LimitResult("x", "u", 0.9, "one-sided", "q_tilde", 1.64, "asymptotic")
    with pytest.raises(NuemInputError):
        LimitResult("x", "u", 0.9, "both", "q_tilde", 1.64, "asymptotic", value=1.0)


def test_published_columns_carry_the_publication_qualifiers_only():
    """A 95% published value keeps its own CL; nuem's statistic and version stay on nuem's."""
    r = _result()
    r.published = {"kind": "interval", "lower": 1.4e-11, "upper": 2.9e-11, "cl": 0.95,
                   "reference": "arXiv:2006.09721", "status": "verified"}  # fmt: skip
    t = yaml.safe_load(r.to_hepdata_yaml())
    pub = [d for d in t["dependent_variables"] if "published" in d["header"]["name"]]
    assert [d["header"]["name"] for d in pub] == [
        "mu_nue_bar published interval lower",
        "mu_nue_bar published interval upper",
    ]
    for d in pub:
        q = {x["name"]: x["value"] for x in d["qualifiers"]}
        assert q == {"source": "published", "CL": "95%", "reference": "arXiv:2006.09721",
                     "status": "verified"}  # fmt: skip
