"""Build the nuem card tables of COHERENT CsI[Na] 2021 (arXiv:2110.07730) from the data release.

Reads the release files in ``/work/shared/data/coherent_csi_2021`` (or the folder given as the
first argument) and prints the numbers the card ``coherent_csi_2021.yaml`` carries inline, and
writes its efficiency tables (CSV, PE vs efficiency) into ``src/nuem/experiments/cards``:

- observed counts: the coincidence (C) event list histogrammed on the paper's PE x time bins;
- steady state: the anti-coincidence (AC) event list on the same bins (same window length);
- BRN / NIN: the release's PE pdf (efficiency already in it), normalised over its whole range
  (0-250 PE), on the card's PE bins, times the release's time distribution (counts per 0.01 us,
  without the time efficiency: applied here, 1 below 0.52 us, exp(-0.0494/us (t - 0.52 us))
  after); this gives 18.3 BRN and 5.6 NIN events in the ROI, as the paper's 18.4 and 5.6;
- the card itself, from the template ``tools/coherent_csi_2021.yaml.in``;
- efficiency: eps(x) = a / (1 + exp(-b (x - c))) + d (release, nominal and +-1 sigma), clipped
  to [0, 1], tabulated every 0.25 PE from 0 to 100 PE.

Run: ``python tools/build_coherent_csi_2021.py [release folder]``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

REL = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/coherent_csi_2021")
OUT = Path(__file__).resolve().parents[1] / "src/nuem/experiments/cards"
PE_EDGES = [0, 8, 12, 16, 20, 24, 32, 40, 50, 60]
T_EDGES = [0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0, 2.0, 4.0, 6.0]
BRN_ROI, NIN_ROI = 18.4, 5.6  # expected counts in the ROI (PARAMETERS.md, V2)


def hist(events: np.ndarray) -> np.ndarray:
    h = np.histogram2d(events[:, 0], events[:, 1], [PE_EDGES, T_EDGES])[0]
    return h.astype(int)


def time_eff(t: np.ndarray) -> np.ndarray:
    return np.exp(-0.0494 * np.maximum(t - 0.52, 0.0))


def factorised(pe_file: str, t_file: str) -> np.ndarray:
    pe = np.loadtxt(REL / pe_file)  # 1-PE bins: centre, density
    tt = np.loadtxt(REL / t_file)  # 0.01-us bins: centre, density
    lo = pe[:, 0] - 0.5
    pairs = zip(PE_EDGES, PE_EDGES[1:], strict=False)
    pe_bins = np.array([pe[(lo >= a) & (lo < b), 1].sum() for a, b in pairs])
    t_lo = tt[:, 0] - 0.005
    w = tt[:, 1] * time_eff(tt[:, 0])
    t_bins = np.array([w[(t_lo >= a - 1e-9) & (t_lo < b - 1e-9)].sum() for a, b in
                       zip(T_EDGES, T_EDGES[1:], strict=False)])  # fmt: skip
    return np.outer(pe_bins / pe[:, 1].sum(), t_bins)


def eff_table(name: str, a: float, b: float, c: float, d: float) -> dict:
    x = np.arange(0.0, 100.0 + 1e-9, 0.25)
    e = np.clip(a / (1.0 + np.exp(-b * (x - c))) + d, 0.0, 1.0)
    body = "# COHERENT CsI[Na] 2021 release effCoefficients.txt, eps = a/(1+exp(-b(x-c)))+d\n"
    body += f"# a={a} b={b} c={c} d={d}; clipped to [0, 1]; x = reconstructed PE\n"
    body += "pe,efficiency\n" + "".join(f"{xi:g},{ei:.8f}\n" for xi, ei in zip(x, e, strict=False))
    f = OUT / f"coherent_csi_2021_{name}.csv"
    f.write_text(body)
    return {"file": f.name, "sha256": hashlib.sha256(body.encode()).hexdigest(),
            "columns": ["pe", "efficiency"]}  # fmt: skip


def numbers(v: list[float], per: int) -> str:
    """A YAML flow list, ``per`` numbers a line (plain decimals: YAML 1.1 reads 4e-06 as text)."""
    rows = [v[i : i + per] for i in range(0, len(v), per)]
    body = ",\n".join(
        "          " + ", ".join(np.format_float_positional(x, precision=6, trim="-") for x in r)
        for r in rows
    )
    return "[\n" + body + "]"


def main() -> None:
    c = np.loadtxt(REL / "dataBeamOnC.txt")
    ac = np.loadtxt(REL / "dataBeamOnAC.txt")
    obs, ss = hist(c), hist(ac)
    brn = factorised("brnPE.txt", "brnTrec.txt")
    nin = factorised("ninPE.txt", "ninTrec.txt")
    coef = [line.split() for line in (REL / "effCoefficients.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]  # fmt: skip
    names = ("efficiency", "efficiency_plus1sigma", "efficiency_minus1sigma")
    tabs = {n: eff_table(n, *map(float, row)) for n, row in zip(names, coef, strict=True)}
    out = {
        "observed": obs.ravel().tolist(),
        "observed_total": int(obs.sum()),
        "steady_state": ss.ravel().tolist(),
        "steady_state_total": int(ss.sum()),
        "brn": np.round(brn.ravel(), 6).tolist(),
        "brn_total": float(brn.sum()),
        "brn_paper": BRN_ROI,
        "nin": np.round(nin.ravel(), 6).tolist(),
        "nin_total": float(nin.sum()),
        "nin_paper": NIN_ROI,
        "tables": tabs,
    }
    tpl = (Path(__file__).parent / "coherent_csi_2021.yaml.in").read_text()
    card = tpl.format(
        observed=numbers(out["observed"], 11),
        steady_state=numbers(out["steady_state"], 11),
        brn=numbers(out["brn"], 6),
        nin=numbers(out["nin"], 6),
        observed_total=out["observed_total"],
        steady_state_total=out["steady_state_total"],
        **{f"sha_{k}": v["sha256"] for k, v in tabs.items()},
    )
    (OUT / "coherent_csi_2021.yaml").write_text(card)
    print(json.dumps({k: v for k, v in out.items() if not isinstance(v, list)}))


if __name__ == "__main__":
    main()
