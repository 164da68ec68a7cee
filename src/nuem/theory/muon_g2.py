"""Dated references for the muon anomaly Delta a_mu = a_mu(exp) - a_mu(SM), with provenance.

The user chooses one; every result built on it names it (``nuem predict`` prints the key).

- ``"2021"``: a_mu(exp) = 116 592 061(41) x 1e-11 (BNL E821 + FNAL Run-1, Abi et al., PRL 126
  (2021) 141801, arXiv:2104.03281) against the 2020 white paper a_mu(SM) = 116 591 810(43) x 1e-11
  (Aoyama et al., Phys. Rept. 887 (2020) 1, arXiv:2006.04822): Delta a_mu = 251(59) x 1e-11,
  4.2 sigma (the seed's number).
- ``"2025"``: the 2025 theory-initiative SM a_mu(SM) = 116 592 033(62) x 1e-11 (lattice-QCD HVP;
  Aliberti et al., Phys. Rept. 1143 (2025) 1, arXiv:2505.21476) against the experimental average
  with FNAL's final Runs 1-6 (127 ppb; Muon g-2 collaboration, arXiv:2506.03069): Delta a_mu =
  38(63) x 1e-11 as quoted in the journal version of arXiv:2505.21476 -- no significant
  discrepancy. (The arXiv v1 abstract, with Runs 1-3 only, quotes 26(66) x 1e-11.)
"""

from __future__ import annotations

from dataclasses import dataclass

from nuem._validate import choice


@dataclass(frozen=True)
class MuonG2Reference:
    """Delta a_mu with its 1 sigma (dimensionless), the year, and where each number comes from."""

    key: str
    delta_a_mu: float
    sigma: float
    year: int
    a_mu_exp: str
    a_mu_sm: str
    source: str

    def pull(self, delta_a_mu: float) -> float:
        """(prediction - Delta a_mu)/sigma for a new-physics prediction ``delta_a_mu``."""
        return (delta_a_mu - self.delta_a_mu) / self.sigma

    def as_dict(self) -> dict:
        """JSON-ready record (values in units of 1e-11, as quoted)."""
        return {
            "key": self.key,
            "delta_a_mu_1e-11": self.delta_a_mu * 1e11,
            "sigma_1e-11": self.sigma * 1e11,
            "year": self.year,
            "a_mu_exp": self.a_mu_exp,
            "a_mu_SM": self.a_mu_sm,
            "source": self.source,
        }


MUON_G2_REFERENCES: dict[str, MuonG2Reference] = {
    "2021": MuonG2Reference(
        "2021",
        251e-11,
        59e-11,
        2021,
        "116 592 061(41)e-11, BNL E821 + FNAL Run-1 (arXiv:2104.03281)",
        "116 591 810(43)e-11, 2020 white paper (arXiv:2006.04822)",
        "Delta a_mu = 251(59)e-11 (PRL 126 (2021) 141801); the seed's value",
    ),
    "2025": MuonG2Reference(
        "2025",
        38e-11,
        63e-11,
        2025,
        "world average with FNAL Runs 1-6, 127 ppb (arXiv:2506.03069)",
        "116 592 033(62)e-11, 2025 white paper, lattice HVP (arXiv:2505.21476)",
        "Delta a_mu = 38(63)e-11 (Phys. Rept. 1143 (2025) 1, arXiv:2505.21476): no discrepancy",
    ),
}

#: The reference used when none is named: the latest one.
DEFAULT_MUON_G2 = "2025"


def muon_g2_reference(key: str = DEFAULT_MUON_G2) -> MuonG2Reference:
    """The dated Delta a_mu reference ``key`` ("2021" or "2025")."""
    return MUON_G2_REFERENCES[choice("g2_reference", str(key), MUON_G2_REFERENCES)]
