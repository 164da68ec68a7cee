"""Physical constants with provenance (CODATA 2022, PDG via the ``particle`` package).

Every constant is a :class:`Constant` holding its value in the hepunits system, its natural-units
number where useful, and the source it comes from. The PDG values (the masses ``m_mu`` ...
``m_b``, ``LEPTON_MASS`` and the lifetimes ``tau_pi_plus``, ``tau_mu``) are read from
``particle``'s table on first use (loading it takes ~0.2 s, which ``import nuem`` need not pay);
they are then ordinary module attributes. :func:`provenance` returns a JSON-ready record
that results carry, so a limit states which constants made it.

The weak mixing angle used for neutrino-electron and neutrino-nucleus scattering is the low-energy
(Thomson limit, Q^2 -> 0) MS-bar value sin^2 theta_W(0) = 0.23868(5)(2) of Erler & Ferro-Hernandez,
JHEP 03 (2018) 196, arXiv:1712.09146 -- *not* the on-shell value 1 - m_W^2/m_Z^2. Override it with
:func:`set_sin2_theta_w` or the ``sin2w`` argument of the cross-section functions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import hepunits as _u


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

#: The PDG values: attribute -> (PDG id, property, note on the source); masses in MeV and
#: lifetimes in ns (``particle``'s units). Read by :func:`_load_pdg`.
_PDG = {
    "m_mu": (13, "mass", ""),
    "m_tau": (15, "mass", ""),
    "m_W": (24, "mass", ""),
    "m_Z": (23, "mass", ""),
    "m_p": (2212, "mass", ""),
    "m_n": (2112, "mass", ""),
    "m_pi_plus": (211, "mass", ""),
    # top-quark mass (PDG direct-measurement average) and the MS-bar b mass m_b(m_b)
    "m_top": (6, "mass", ""),
    "m_b": (5, "mass", " (MS-bar m_b(m_b))"),
    "tau_pi_plus": (211, "lifetime", ""),
    "tau_mu": (13, "lifetime", ""),
}
_PDG_UNITS = {"mass": (_u.MeV, "MeV"), "lifetime": (_u.ns, "ns")}


def _load_pdg() -> None:
    """Set the PDG constants and ``LEPTON_MASS`` [MeV] as module attributes."""
    from particle import Particle
    from particle import __version__ as particle_version

    g = globals()
    for name, (pdgid, prop, note) in _PDG.items():
        unit, label = _PDG_UNITS[prop]
        value = float(getattr(Particle.from_pdgid(pdgid), prop)) * unit
        g[name] = Constant(name, value, label, f"PDG via particle {particle_version}{note}")
    # lepton masses by flavour name [MeV]
    g["LEPTON_MASS"] = {"e": m_e.value, "mu": g["m_mu"].value, "tau": g["m_tau"].value}


def _pdg(name: str) -> Any:
    """A PDG constant (or ``LEPTON_MASS``), loading them all the first time."""
    if name not in globals():
        _load_pdg()
    return globals()[name]


def __getattr__(name: str) -> Any:
    """The PDG constants, loaded on first access (module doc)."""
    if name in _PDG or name == "LEPTON_MASS":
        return _pdg(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


alpha = Constant("alpha", _ALPHA, "1", "CODATA 2022")
G_F = Constant("G_F", _GF_GEV / (_u.GeV**2), "MeV^-2 (natural units)", "CODATA 2022")
m_e = Constant("m_e", ELECTRON_MASS_MEV * _u.MeV, "MeV", "CODATA 2022")
atomic_mass_unit = Constant("u", 931.49410372 * _u.MeV, "MeV", "CODATA 2022")
#: Molar mass constant M_u (CODATA 2022: 1.000 000 001 05(31) x 10^-3 kg/mol, as scipy.constants
#: 1.17 gives it) and the Avogadro constant (exact, SI 2019; hepunits' value).
molar_mass_constant = Constant("M_u", 1.00000000105e-3, "kg/mol", "CODATA 2022")
avogadro = Constant("N_A", _u.Avogadro, "1/mol", "hepunits (exact SI 2019)")
G_newton = Constant("G_newton", _G_NEWTON, "m^3 kg^-1 s^-2 (SI)", "CODATA 2022")
hbarc = Constant("hbarc", _u.hbarc, "MeV mm", "hepunits (exact SI 2019)")
#: Recombination (last scattering): redshift z* = 1089.9 (Planck 2018 VI, arXiv:1807.06209
#: Table 2, TT,TE,EE+lowE+lensing+BAO), the CMB temperature today T_0 = 2.7255 K (Fixsen 2009,
#: ApJ 707, 916), and the cosmic time at z*, about 3.8e5 yr (the age at z* is 3.7-3.8e5 yr).
z_recombination = Constant("z_recombination", 1089.9, "1", "Planck 2018 VI Table 2")
T_cmb_today = Constant(
    "T_cmb_today", 2.7255 * _u.kelvin * _u.k_Boltzmann, "MeV", "Fixsen 2009 (2.7255 K)"
)
t_recombination = Constant(
    "t_recombination", 3.8e5 * 365.25 * 86400.0 * _u.s, "s", "Planck 2018 (z* = 1090)"
)
SIN2_THETA_W_LOW_ENERGY = 0.23868
_sin2w_default = Constant(
    "sin2_theta_W",
    SIN2_THETA_W_LOW_ENERGY,
    "1",
    "MS-bar, Q^2->0: Erler & Ferro-Hernandez, JHEP 03 (2018) 196, arXiv:1712.09146",
)
_sin2w = _sin2w_default


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
    pdg = [_pdg(name) for name in _PDG]
    return [
        alpha, G_F, m_e, *pdg, atomic_mass_unit, molar_mass_constant, avogadro, G_newton, hbarc,
        _sin2w,
    ]  # fmt: skip


def provenance() -> dict[str, dict]:
    """JSON-ready record {name: {value, unit, source}} of the constants in use."""
    return {c.name: {k: v for k, v in asdict(c).items() if k != "name"} for c in all_constants()}
