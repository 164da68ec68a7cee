"""Physical constants with provenance (CODATA 2022, PDG via the ``particle`` package).

Every constant is a :class:`Constant` holding its value in the hepunits system, its natural-units
number where useful, and the source it comes from. :func:`provenance` returns a JSON-ready record
that results carry, so a limit states which constants made it.

The weak mixing angle used for neutrino-electron and neutrino-nucleus scattering is the low-energy
(Thomson limit, Q^2 -> 0) MS-bar value sin^2 theta_W(0) = 0.23868(5)(2) of Erler & Ferro-Hernandez,
JHEP 03 (2018) 196, arXiv:1712.09146 -- *not* the on-shell value 1 - m_W^2/m_Z^2. Override it with
:func:`set_sin2_theta_w` or the ``sin2w`` argument of the cross-section functions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import hepunits as _u
from particle import Particle
from particle import __version__ as _particle_version


@dataclass(frozen=True)
class Constant:
    """A constant: value in the hepunits system, a unit label, and its source."""

    name: str
    value: float
    unit: str
    source: str


# --- CODATA 2022 (Tiesinga et al., https://physics.nist.gov/cuu/Constants) -------------------
ELECTRON_MASS_MEV = 0.51099895069  # m_e c^2 / MeV, CODATA 2022
_ALPHA = 1.0 / 137.035999177  # CODATA 2022
_GF_GEV = 1.1663787e-5  # G_F/(hbar c)^3 in GeV^-2, CODATA 2022
_G_NEWTON = 6.67430e-11  # m^3 kg^-1 s^-2, CODATA 2022

_PDG = f"PDG via particle {_particle_version}"


def _pdg_mass(pdgid: int) -> float:
    return float(Particle.from_pdgid(pdgid).mass) * _u.MeV


alpha = Constant("alpha", _ALPHA, "1", "CODATA 2022")
G_F = Constant("G_F", _GF_GEV / (_u.GeV**2), "MeV^-2 (natural units)", "CODATA 2022")
m_e = Constant("m_e", ELECTRON_MASS_MEV * _u.MeV, "MeV", "CODATA 2022")
m_mu = Constant("m_mu", _pdg_mass(13), "MeV", _PDG)
m_tau = Constant("m_tau", _pdg_mass(15), "MeV", _PDG)
m_W = Constant("m_W", _pdg_mass(24), "MeV", _PDG)
m_Z = Constant("m_Z", _pdg_mass(23), "MeV", _PDG)
m_p = Constant("m_p", _pdg_mass(2212), "MeV", _PDG)
m_n = Constant("m_n", _pdg_mass(2112), "MeV", _PDG)
m_pi_plus = Constant("m_pi_plus", _pdg_mass(211), "MeV", _PDG)
#: top-quark mass (PDG direct-measurement average) and the MS-bar b mass m_b(m_b), PDG values.
m_top = Constant("m_top", _pdg_mass(6), "MeV", _PDG)
m_b = Constant("m_b", _pdg_mass(5), "MeV", _PDG + " (MS-bar m_b(m_b))")
atomic_mass_unit = Constant("u", 931.49410372 * _u.MeV, "MeV", "CODATA 2022")
G_newton = Constant("G_newton", _G_NEWTON, "m^3 kg^-1 s^-2 (SI)", "CODATA 2022")
hbarc = Constant("hbarc", _u.hbarc, "MeV mm", "hepunits (exact SI 2019)")
SIN2_THETA_W_LOW_ENERGY = 0.23868
_sin2w_default = Constant(
    "sin2_theta_W",
    SIN2_THETA_W_LOW_ENERGY,
    "1",
    "MS-bar, Q^2->0: Erler & Ferro-Hernandez, JHEP 03 (2018) 196, arXiv:1712.09146",
)
_sin2w = _sin2w_default

#: Lepton masses by flavour name, in MeV.
LEPTON_MASS = {"e": m_e.value, "mu": m_mu.value, "tau": m_tau.value}


def sin2_theta_w(override: float | None = None) -> float:
    """sin^2 theta_W: ``override`` if given (validated to lie in (0, 1)), else the value in use.

    The value in use defaults to the low-energy MS-bar value (see module doc).
    """
    if override is None:
        return _sin2w.value
    return _check_sin2w("sin2w", override)


def _check_sin2w(name: str, value: float) -> float:
    from nuem.errors import NuemInputError

    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise NuemInputError(f"{name} = {value!r} is not a number") from exc
    if not (0.0 < v < 1.0):
        raise NuemInputError(f"{name} = {value!r} is not allowed; it must lie in (0, 1)")
    return v


def set_sin2_theta_w(value: float | None, source: str = "user override") -> None:
    """Override sin^2 theta_W globally; ``None`` restores the default. Must lie in (0, 1)."""
    global _sin2w
    if value is None:
        _sin2w = _sin2w_default
        return
    v = _check_sin2w("sin2_theta_w", value)
    _sin2w = Constant("sin2_theta_W", v, "1", source)


def all_constants() -> list[Constant]:
    """Every constant defined here, including the sin^2 theta_W currently in use."""
    return [
        alpha,
        G_F,
        m_e,
        m_mu,
        m_tau,
        m_W,
        m_Z,
        m_p,
        m_n,
        m_pi_plus,
        m_top,
        m_b,
        atomic_mass_unit,
        G_newton,
        hbarc,
        _sin2w,
    ]


def provenance() -> dict[str, dict]:
    """JSON-ready record {name: {value, unit, source}} of the constants in use."""
    return {c.name: {k: v for k, v in asdict(c).items() if k != "name"} for c in all_constants()}
