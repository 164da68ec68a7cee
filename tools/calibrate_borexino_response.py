"""Calibrate the Borexino N_h response of the card against Borexino's Monte Carlo spectra.

nuem's own SM nu-e recoil spectra of pp, 7Be, pep and CNO (B16-GS98, MSW, free electrons of
C9H12) go through Birks quenching (kB fixed, nuem.detectors.birks) and the hit estimator
(nuem.detectors.smearing.HitsSmearing: light yield, saturation, variance terms, fitted); the
result is compared, in SHAPE only (each species normalised separately), with Borexino's detector
Monte Carlo spectra of the same species (shared/data/borexino_mc_pdfs_phase3, arXiv:2005.12829
open data) placed on the N_h axis: MC energy -> data energy with Newtrinos' Phase-II scale
(E = 3.14391 keV + 0.998148 E_mc, shared/data/borexino_phase2_spectrum/phase2_calibration.txt),
then energy -> N_h by inverting the quadratic that the Nature 2018 Fig. 2a file uses for its
N_h -> keV column (fitted here to its 859 rows; residual < 0.006 keV).
Only the MC shapes enter: no Borexino data counts and no fitted rates.

Run: python tools/calibrate_borexino_response.py [/work/shared/data]  (about 30 s); it prints the
four response parameters that tools/build_borexino_phase2_card.py writes into the card.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from nuem import units as u
from nuem.detectors.birks import BirksElectron
from nuem.detectors.smearing import HitsSmearing
from nuem.detectors.targets import tonne
from nuem.rates.electron_recoils import RecoilEngine
from nuem.rates.response import Detector
from nuem.sources.solar import SolarSource

KB_CM_PER_MEV = 0.0109
MC_SCALE, MC_OFFSET_KEV = 0.998148, 3.14391
SPECIES = {
    "pp": (("pp",), "pp_pdfkeV__16.txt"),
    "7Be": (("7Be",), "Be7_pdfkeV__2.txt"),
    "pep": (("pep",), "pep_pdfkeV__15.txt"),
    "CNO": (("13N", "15O", "17F"), "CNO_pdfkeV__7.txt"),
}
NH_RANGE = (100.0, 900.0)


def _mc(path: Path) -> np.ndarray:
    t = np.loadtxt(path, delimiter=",")
    t[:, 2] = np.where(t[:, 2] < 1e-100, 0.0, t[:, 2])  # denormal residue = 0
    return t


def main(shared: Path) -> None:
    nat = np.loadtxt(shared / "borexino_phase2_spectrum/nature2018_fig2a_spectrum.txt")
    a, b, c0 = np.polyfit(nat[:, 1], nat[:, 2], 2)

    def nh_of_e(E):
        return (-b + np.sqrt(b * b - 4 * a * (c0 - E))) / (2 * a)

    src = SolarSource("b16-gs98", "normal")
    subs = {k: src.subset(v[0]) for k, v in SPECIES.items()}
    mcs = {k: _mc(shared / "borexino_mc_pdfs_phase3" / v[1]) for k, v in SPECIES.items()}
    birks = BirksElectron(KB_CM_PER_MEV)
    edges = np.arange(60.0, 1000.0)

    def resid(p):
        sm = HitsSmearing(p[0] / u.keV, p[1], p[2], p[3])
        det = Detector(100 * tonne * u.day, "C9H12", "free", smearing=sm, quenching=birks)
        out = []
        for k, t in mcs.items():
            pred = RecoilEngine(subs[k], det).sm_counts(edges)
            nh = nh_of_e(MC_OFFSET_KEV + MC_SCALE * np.append(t[:, 0], t[-1, 1]))
            cum = np.interp(nh, edges - 0.5, np.concatenate([[0.0], np.cumsum(pred)]))
            pm, mm = np.diff(cum), t[:, 2] * (t[:, 1] - t[:, 0])
            sel = (nh[:-1] > NH_RANGE[0]) & (nh[1:] < NH_RANGE[1])
            pm, mm = pm[sel], mm[sel]
            err = np.sqrt(mm / 582.3 + (0.003 * mm.max()) ** 2)
            out.append((pm * mm.sum() / pm.sum() - mm) / err)
        return np.concatenate(out)

    r = least_squares(resid, [0.45, 2800.0, 1.0, 5e-4], x_scale=[0.01, 100.0, 0.1, 1e-4],
                      bounds=([0.3, 500.0, 0.1, 0.0], [0.7, 2e4, 5.0, 0.01]))  # fmt: skip
    names = ("light_yield_hits_per_keV", "saturation_hits", "variance_linear",
             "variance_quadratic")  # fmt: skip
    for n, v in zip(names, r.x, strict=True):
        print(f"{n}: {v:.5g}")
    print(f"shape chi2 {np.sum(r.fun**2):.1f} for {r.fun.size} MC bins")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data"))
