"""Why the GEMMA and TEXONO cards keep a 50% tolerance on mu (docs/reactor.md, issue 12 item 4).

Independent reference: the background-dominated scaling of an ON/OFF counting limit,
mu_limit ~ X^(-1/4) at fixed background level (signal ~ mu^2 X, noise ~ sqrt(b X)), and the
published limits of each experiment's earlier and later data sets (abstracts, code V/V2).
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from nuem.experiments import cards_directory, load_card
from nuem.limits.derive import derive_limit

PER_KG_KEV_DAY = 1000 * 365.25


def _limit_with_exposure(tmp_path, name, x_on, x_off):
    raw = yaml.safe_load((cards_directory() / f"{name}.yaml").read_text())
    b = raw["backgrounds"]["components"][0]["shape"]["values"][0] / PER_KG_KEV_DAY
    dE = np.diff(raw["data"]["bins"]["edges"])
    raw.update(name=f"{name}_x", exposure=x_on, exposure_off=x_off)
    raw["data"]["bins"]["observed"] = [round(v) for v in b * dE * x_on]
    raw["data"]["bins"]["observed_off"] = [round(v) for v in b * dE * x_off]
    p = tmp_path / f"{name}_x.yaml"
    p.write_text(yaml.safe_dump(raw, sort_keys=False))
    return derive_limit(load_card(p), "mu_e", expected=False).value


@pytest.mark.parametrize(
    ("name", "early", "late", "published_early", "published_late"),
    [
        # GEMMA 2007 (0705.4576: 6200/2064 h x 1.5 kg, 5.8e-11) and 2010 (1005.2736: the card's
        # 5184+6798 / 1853+1021 h, 3.2e-11), both abstracts (V)
        ("gemma_2012_er", (387.5, 129.0), (748.875, 179.625), 5.8e-11, 3.2e-11),
        # TEXONO 2003 (hep-ex/0212003: 4712/1250 h x 1.06 kg, 1.3e-10, V) and 2007 (the card's
        # 570.7/127.8 kg d, R; 7.4e-11, V2)
        ("texono_2007_er", (208.1, 55.2), (570.7, 127.8), 1.3e-10, 7.4e-11),
    ],
)
def test_later_results_improved_faster_than_exposure(
    tmp_path, name, early, late, published_early, published_late
):
    """nuem's limit follows X^(-1/4) (3%); the published one improved much faster (0.55 and
    0.57 against nuem's 0.87 and 0.79), i.e. the later analyses had a lower background or
    threshold than the card's inputs. Those inputs are not in the abstracts reachable here, so
    the card keeps its early-data-set inputs and the 50% tolerance (nuem / published for the
    cards' own data sets: 1.34 and 1.34; against GEMMA 2012's 2.9e-11: 1.48)."""
    mu_early = _limit_with_exposure(tmp_path, name, *early)
    mu_late = _limit_with_exposure(tmp_path, name, *late)
    scaling = (late[0] / early[0]) ** -0.25
    assert mu_late / mu_early == pytest.approx(scaling, rel=0.03)
    assert published_late / published_early < 0.75 * mu_late / mu_early
    assert abs(mu_early / published_early - 1) < 0.30  # the early inputs reproduce
    assert 1.3 < mu_late / published_late < 1.5  # the late result sits below nuem's median
