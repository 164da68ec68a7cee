"""Which ingredient drives the Jinping 10-yr solar projection (docs/projections.md table).

Run: ``PYTHONPATH=src python examples/projections/jinping_ablation.py`` (about 1 min). Each line
changes one ingredient of the shipped ``jinping_solar_er`` card (or a stated pair) and prints
nuem's Asimov median 90% CL expected limit on mu_eff and its ratio to the paper's 1.2e-11
(Yue, Liao, Ling, arXiv:2102.12259 abstract). Nothing here is fitted to the paper's number.
"""

from __future__ import annotations

import copy

from nuem.experiments import Card, load_card
from nuem.limits.sensitivity import sensitivity

FREE = {"type": "free", "source": "ablation"}
PUBLISHED = 1.2e-11


def variant(base: Card, **change) -> Card:
    raw = copy.deepcopy(base.raw)
    bk = raw["backgrounds"]
    groups = {g["name"]: g for g in bk["sm_neutrino_groups"]}
    comps = {c["name"]: c for c in bk["components"]}
    for name in change.get("free_groups", ()):
        groups[name]["uncertainty"] = FREE
    for name, sig in change.get("group_sigma", {}).items():
        groups[name]["uncertainty"] = {"type": "gaussian", "sigma_rel": sig, "source": "ablation"}
    for name in change.get("free_components", ()):
        comps[name]["uncertainty"] = FREE
    for name, sig in change.get("component_sigma", {}).items():
        comps[name]["uncertainty"] = {"type": "gaussian", "sigma_rel": sig, "source": "ablation"}
    for name, scale in change.get("component_scale", {}).items():
        comps[name]["scale"] = scale
    bk["components"] = [c for c in bk["components"] if c["name"] not in change.get("drop", ())]
    if "window" in change:
        raw["window"] = list(change["window"])
    if "exposure" in change:
        raw["exposure"] = change["exposure"]
    return Card(raw, base.path)


RUNS = {
    "shipped card (LOI model, B16 flux priors, 85Kr/210Bi free)": {},
    "pp flux prior 0.6% -> 1%": {"group_sigma": {"pp": 0.01}},
    "pp flux free": {"free_groups": ["pp"]},
    "all solar fluxes free (the LOI fit's convention)": {
        "free_groups": ["pp", "pep", "7Be", "8B", "hep", "13N", "15O", "17F"]
    },
    "85Kr 1 -> 6.8 per day per 100 t (Borexino Phase II)": {"component_scale": {"Kr85": 6.8}},
    "85Kr constrained to 25%": {"component_sigma": {"Kr85": 0.25}},
    "14C free (the LOI fit's convention)": {"free_components": ["C14"]},
    "no 210Bi": {"drop": ["Bi210"]},
    "threshold 200 -> 250 keV": {"window": (250.0, 800.0)},
    "threshold 200 -> 300 keV": {"window": (300.0, 800.0)},
    "window up to 1200 keV": {"window": (200.0, 1200.0)},
    "2 kt fiducial (the LOI's), 20 kt yr": {"exposure": 20000.0},
    "2 kt and pp flux free": {"exposure": 20000.0, "free_groups": ["pp"]},
}


def main() -> None:
    base = load_card("jinping_solar_er")
    for label, change in RUNS.items():
        s = sensitivity(variant(base, **change), "mu_eff")
        if s.expected is None:
            print(f"{label:60s} no limit: {s.error}")
            continue
        print(f"{label:60s} {s.expected:.3e}  {s.expected / PUBLISHED:.2f}", flush=True)


if __name__ == "__main__":
    main()
