"""Build nuem's dipole-portal catalogue tables from the digitised HNLimits curves (run once).

Reads ../shared/data/dipole_portal_limits/ (limits_index.csv and the .dat files; see its
PROVENANCE.md: HNLimits, commit 8bcc0419) and writes src/nuem/catalog/data/portal.yaml (one
entry per flavour and curve) and src/nuem/catalog/data/portal/<curve>.csv with the mass in MeV and
the transition moment in mu_B next to the native columns. Conversion (HNLimits'
Tensor/tensor_tools.py, PROVENANCE.md): d [GeV^-1] = mu[mu_B] * mu_B[GeV^-1] / 2 with
mu_B = sqrt(4 pi alpha)/(2 m_e) = 296.30 GeV^-1 (nuem.constants alpha, m_e), i.e. nuem's mu with
L = (mu/2) nubar sigma N F (PHYSICS.md section 1) is 2 d / mu_B. The native CL is kept (no
95 -> 90% rescaling).
Usage: python tools/make_portal_catalog.py /work/shared/data/dipole_portal_limits
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from nuem import constants as c  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "nuem" / "catalog" / "data"
MU_B_INV_GEV = math.sqrt(4 * math.pi * c.alpha.value) / (2 * c.m_e.value / 1e3)  # GeV^-1

REFS = {
    "Brdar:2020quo": "arXiv:2007.15563",
    "Plestid:2020vqf": "arXiv:2010.04193",
    "Magill:2018jla": "arXiv:1803.03262",
    "Coloma:2017ppo": "arXiv:1707.08573",
    "Gninenko:1998nn": "hep-ph/9808370",
    "Gustafson:2022rsz": "arXiv:2205.02234",
    "Kamp:2022bpt": "arXiv:2206.07100",
    "DONUT:2001zvi": "hep-ex/0102026",
}
CATEGORY = {"bbn": "cosmology", "sn": "astrophysics"}
EXPERIMENT = {
    "bbn": "BBN", "borexino": "Borexino", "borexino_sk": "Borexino + Super-K",
    "lep": "LEP", "lsnd": "LSND", "sn": "SN1987A", "xenon": "XENON1T (nuclear recoils)",
    "sk_atm": "Super-K atmospheric", "lhc": "LHC", "charmii": "CHARM-II",
    "miniboone": "MiniBooNE", "nomad": "NOMAD", "minerva": "MINERvA", "donut": "DONUT",
}  # fmt: skip
NOTES = {
    "bbn": "closed region; the .dat header says 'Borexino data' but the curve is the BBN "
    "polygon of arXiv:2007.15563 (PHYSICS.md section 7)",
    "xenon": "nuclear-recoil analysis (HNLimits label 'Xenon1T (nuclear recoil)'); the curve "
    "reaches 11 MeV, beyond the kinematic reach of 30-keV electron recoils",
    "sn": "wedge between the lower (free streaming) and upper (trapping) edges",
}


SKIPPED: dict[str, int] = {}


def read_dat(path: Path) -> list[tuple[float, float]]:
    """(mass, coupling) rows; rows that are not two numbers (DONUT_dtau_90.dat ends with
    '148.15...*""' placeholders, i.e. mu = 1 mu_B) are skipped and counted."""
    rows = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        a, b = line.split()[:2]
        try:
            rows.append((float(a), float(b)))
        except ValueError:
            SKIPPED[path.name] = SKIPPED.get(path.name, 0) + 1
    return rows


def convert(rows, mass_units: str, dipole_units: str):
    fm = {"MeV": 1.0, "GeV": 1e3}[mass_units]
    if dipole_units == "muB":
        return [(m * fm, d, m, d) for m, d in rows]
    if dipole_units != "invGeV":
        raise ValueError(dipole_units)
    return [(m * fm, 2.0 * d / MU_B_INV_GEV, m, d) for m, d in rows]


def write_csv(name: str, rows, src: str, mass_units: str, dipole_units: str) -> str:
    out = OUT / "portal" / f"{name}.csv"
    with out.open("w", newline="") as f:
        f.write(f"# digitised curve from HNLimits (commit 8bcc0419) file {src}\n")
        if SKIPPED.get(Path(src).name):
            f.write(f"# {SKIPPED[Path(src).name]} malformed rows of the source skipped\n")
        f.write(
            f"# converted by tools/make_portal_catalog.py: mu = 2 d / mu_B, mu_B = "
            f"{MU_B_INV_GEV:.5f} GeV^-1\n"
        )
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["mass_MeV", "mu_muB", f"native_mass_{mass_units}", f"native_coupling_{dipole_units}"]
        )
        for r in rows:
            w.writerow([f"{v:.8g}" for v in r])
    return f"portal/{out.name}"


def main(src_dir: str) -> None:
    src = Path(src_dir)
    entries = []
    written: dict[str, str] = {}
    with (src / "limits_index.csv").open() as f:
        for row in csv.DictReader(f):
            files = {}
            for edge in ("bottom", "top"):
                fn = row[f"file_{edge}"].strip()
                if not fn:
                    continue
                stem = fn.replace("/", "_").removesuffix(".dat")
                if stem not in written:
                    data = convert(read_dat(src / fn), row["mass_units"], row["dipole_units"])
                    written[stem] = write_csv(
                        stem, data, fn, row["mass_units"], row["dipole_units"]
                    )
                files[edge] = written[stem]
            cid = row["id"]
            entries.append({
                "id": f"portal_{row['flavor']}_{cid}",
                "quantity": "portal",
                "flavour": row["flavor"],
                "experiment": EXPERIMENT.get(cid, cid),
                "category": CATEGORY.get(cid, "laboratory"),
                "shape": "region" if cid == "bbn" or "top" in files else "limit",
                "cl": float(row["CL"]) / 100.0,
                "year": int(float(row["year"])),
                "reference": REFS.get(row["reference"], row["reference"]),
                "inspire": row["reference"],
                "description": row["description"] or None,
                "native": {"mass_units": row["mass_units"],
                           "coupling_units": row["dipole_units"],
                           "convention": "d: L = d N sigma nu F (mu = 2 d)"
                           if row["dipole_units"] == "invGeV" else "mu in mu_B"},
                "files": files,
                "digitised": True,
                "source": "HNLimits (mhostert/Heavy-Neutrino-Limits) commit "
                          "8bcc041948b1e459af4bab9264f2ca1f710bb3fb",
                "note": NOTES.get(cid),
                "since": 1,
                "superseded_by": None,
            })  # fmt: skip
    doc = {"catalog_version": 1, "mu_B_invGeV": round(MU_B_INV_GEV, 6), "entries": entries}
    (OUT / "portal.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, width=100))
    print(f"{len(entries)} entries, {len(written)} curves -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/dipole_portal_limits")
