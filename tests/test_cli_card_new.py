"""`nuem card new` writes a valid, commented card of each kind, which the engine can run."""

import pytest

from nuem.cli.card_cmd import SCAFFOLDS
from nuem.experiments import load_card
from nuem.rates import experiment_templates


@pytest.mark.parametrize("kind", list(SCAFFOLDS))
def test_scaffold_is_a_valid_card_that_runs(kind, tmp_path, nuem_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "my_" + kind.replace("-", "_")
    code, out, err = nuem_cli("card", "new", "--kind", kind, name)
    assert code == 0, err
    path = tmp_path / f"{name}.yaml"
    assert f"wrote {name}.yaml" in out
    text = path.read_text()
    assert "CHANGE" in text and text.lstrip().startswith("#")  # commented, values to replace
    card = load_card(path)
    assert card.name == name
    expected_kind = "projection" if kind == "projection" else "user"
    assert card.raw["provenance"]["kind"] == expected_kind
    assert "arxiv" not in card.raw["provenance"]  # no fake arXiv id needed
    tpl = experiment_templates(card)
    assert tpl.sm.sum() > 0  # the SM expectation of the scaffold is computed


def test_refuses_to_overwrite_and_bad_names(tmp_path, nuem_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert nuem_cli("card", "new", "--kind", "reactor", "r1")[0] == 0
    code, _, err = nuem_cli("card", "new", "--kind", "reactor", "r1")
    assert code != 0 and "exists" in err and "--force" in err
    assert nuem_cli("card", "new", "--kind", "reactor", "--force", "r1")[0] == 0
    code, _, err = nuem_cli("card", "new", "--kind", "reactor", "Bad-Name")
    assert code != 0 and "lower-case" in err
    code, _, err = nuem_cli("card", "new", "--kind", "nonsense", "x")
    assert code != 0 and "--kind" in err
