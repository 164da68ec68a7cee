"""Build the nuem card of COHERENT CENNS-10 LAr 2020, Analysis A (arXiv:2003.10630).

Reads the official release (Zenodo 3903810; copy in ``/work/shared/data/coherent_lar_2020`` or
the folder given as the first argument) and writes ``coherent_lar_2020.yaml`` and its efficiency
table into ``src/nuem/experiments/cards`` from the template ``coherent_lar_2020.yaml.in``:

- the 3-D release arrays (energy 12 x F90 8 x time 10, columns keVee, F90, t [us], value) are
  reordered to the card's flat order: energy, then time, then pulse shape (F90);
- data: ``datanobkgsub.txt`` (no background subtraction);
- backgrounds: ``bkgpdf.txt`` (steady state), ``brnpdf.txt`` (prompt BRN), ``delbrnpdf.txt``
  (delayed BRN), normalised to the release's predictions; their +-1 sigma shapes from
  ``brnpdf+-1sigEnergy``, ``brnpdf+-1sigBRNTimingMean`` and the one-sided
  ``brnpdfBRNTimingWidthSyst`` (down = the nominal mirrored, 2 nominal - up, floored at 0);
- nuclear-recoil F90 fractions per energy bin: the release CEvNS PDF summed over time, each
  energy row normalised to 1 (the F90 window acceptance is in the release efficiency); rows
  where the CEvNS PDF is empty (>= 60 keVee) take the highest non-empty row; +-1 sigma from
  ``cevnspdf+-1sigF90``;
- efficiency: ``CENNS10AnlAEfficiency.txt`` columns keVee, efficiency.

Run: ``python tools/build_coherent_lar_2020.py [release folder]``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

REL = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/coherent_lar_2020")
OUT = Path(__file__).resolve().parents[1] / "src/nuem/experiments/cards"


def cube(name: str) -> np.ndarray:
    """A release file as an (energy, time, F90) array."""
    a = np.loadtxt(REL / name)
    axes = [np.unique(a[:, k]) for k in range(3)]
    out = np.zeros(tuple(x.size for x in axes))
    idx = tuple(np.searchsorted(axes[k], a[:, k]) for k in range(3))
    out[idx] = a[:, 3]
    return out.transpose(0, 2, 1)


def numbers(v, per: int = 8) -> str:
    v = [float(x) for x in np.ravel(v)]
    rows = [v[i : i + per] for i in range(0, len(v), per)]
    body = ",\n".join(
        "          " + ", ".join(np.format_float_positional(x, precision=6, trim="-") for x in r)
        for r in rows
    )
    return "[\n" + body + "]"


def f90_fractions(c: np.ndarray) -> np.ndarray:
    per_e = c.sum(axis=1)  # (energy, F90)
    tot = per_e.sum(axis=1)
    last = int(np.flatnonzero(tot > 0)[-1])
    out = np.zeros_like(per_e)
    for i in range(per_e.shape[0]):
        j = i if tot[i] > 0 else last
        r = np.round(per_e[j] / per_e[j].sum(), 6)
        r[np.argmax(r)] -= max(r.sum() - 1.0, 0.0)  # rounded rows must not sum above 1
        out[i] = r
    return out


def rows(f: np.ndarray) -> str:
    return "\n" + "\n".join(
        "          - [" + ", ".join(np.format_float_positional(x, precision=6, trim="-")
                                     for x in r) + "]"
        for r in f
    )  # fmt: skip


def main() -> None:
    data = cube("datanobkgsub.txt")
    ss, brn, dbrn = cube("bkgpdf.txt"), cube("brnpdf.txt"), cube("delbrnpdf.txt")
    up_e, dn_e = cube("brnpdf+1sigEnergy.txt"), cube("brnpdf-1sigEnergy.txt")
    up_t, dn_t = cube("brnpdf+1sigBRNTimingMean.txt"), cube("brnpdf-1sigBRNTimingMean.txt")
    up_w = cube("brnpdfBRNTimingWidthSyst.txt")
    dn_w = np.maximum(2 * brn - up_w, 0.0)
    c0 = cube("cevnspdf.txt")
    eff = np.loadtxt(REL / "CENNS10AnlAEfficiency.txt")
    body = "# COHERENT CENNS-10 Analysis A release, CENNS10AnlAEfficiency.txt (keVee, efficiency)\n"
    body += "energy_keV,efficiency\n" + "".join(f"{e:g},{v:g}\n" for e, v in eff[:, [0, 2]])
    (OUT / "coherent_lar_2020_efficiency.csv").write_text(body)
    tpl = (Path(__file__).parent / "coherent_lar_2020.yaml.in").read_text()
    card = tpl.format(
        observed=numbers(data),
        steady_state=numbers(ss),
        brn_prompt=numbers(brn),
        brn_delayed=numbers(dbrn),
        brn_energy_up=numbers(up_e),
        brn_energy_down=numbers(dn_e),
        brn_tmean_up=numbers(up_t),
        brn_tmean_down=numbers(dn_t),
        brn_twidth_up=numbers(up_w),
        brn_twidth_down=numbers(dn_w),
        f90=rows(f90_fractions(c0)),
        f90_up=rows(f90_fractions(cube("cevnspdf+1sigF90.txt"))),
        f90_down=rows(f90_fractions(cube("cevnspdf-1sigF90.txt"))),
        sha_eff=hashlib.sha256(body.encode()).hexdigest(),
    )
    (OUT / "coherent_lar_2020.yaml").write_text(card)
    sums = {"observed": data.sum(), "steady_state": ss.sum(), "brn": brn.sum(),
            "delayed_brn": dbrn.sum(), "cevns_release": c0.sum()}  # fmt: skip
    print(json.dumps({k: float(v) for k, v in sums.items()}))


if __name__ == "__main__":
    main()
