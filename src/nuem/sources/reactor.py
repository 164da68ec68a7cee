"""Reactor electron antineutrinos: per-isotope spectra per fission and the flux from a core.

Spectrum model per isotope i (U235, U238, Pu239, Pu241), in antineutrinos per fission per energy:

- E >= 2 MeV: Huber-Mueller (U235, Pu239, Pu241: Huber, PRC 84 (2011) 024617, arXiv:1106.0687;
  U238: Mueller et al., PRC 83 (2011) 054615, arXiv:1101.2663), as tabulated on a 50 keV mesh
  from 1.75 to 13 MeV in the Daya Bay full data release; interpolated exponentially (linear in
  ln S) between mesh points, as the table was built; zero above 13 MeV.
- E < 2 MeV: the SM-2018 summation spectra (Estienne et al., PRL 123 (2019) 022502; 450-day
  irradiation), 100 keV bin averages placed at the bin centres, linearly interpolated, with
  S(0) = 0; scaled by one constant per isotope so that it equals Huber-Mueller at the 2 MeV
  junction (continuous spectrum; the scale factors are 1.054, 0.963, 0.985, 0.949 for U235,
  U238, Pu239, Pu241, i.e. the two independent models agree at the junction to <= 5.5%).

Not included: antineutrinos from neutron capture on 238U (239U, 239Np beta decays; E < 1.3 MeV),
from spent fuel, and the non-equilibrium corrections. Reactor magnetic-moment analyses that need
those should add them explicitly.

Core flux at distance L from a core of thermal power P with fission fractions f_i:
fission rate R = P / sum_i f_i E_i (E_i: energy per fission, Ma et al., PRC 88 (2013) 014605),
dPhi/dE = R sum_i f_i S_i(E) / (4 pi L^2).

Flavour: nubar_e. At the short baselines of reactor magnetic-moment experiments (10-100 m) no
oscillation is applied by default; ``oscillations=True`` applies vacuum three-flavour
oscillations over L (NuFIT 6.0) for longer baselines.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem._validate import choice, non_negative, positive
from nuem.errors import NuemInputError
from nuem.nufit import OscillationParameters, parameters
from nuem.sources import _data, msw
from nuem.sources.base import Source, check_energy

REACTOR_ISOTOPES = ("U235", "U238", "Pu239", "Pu241")
_HM = "reactor_huber_mueller.csv"
_SM = "reactor_sm2018_low_energy.csv"


def _card() -> dict:
    return _data.yaml_card("reactor_parameters.yaml")


#: Energy where the low-energy model hands over to Huber-Mueller.
JUNCTION = 2.0 * u.MeV


def energy_per_fission(isotope: str) -> float:
    """Mean energy released per fission of ``isotope`` [energy] (Ma et al., PRC 88 014605)."""
    iso = choice("isotope", isotope, REACTOR_ISOTOPES)
    return float(_card()["energy_per_fission_MeV"][iso][0]) * u.MeV


def default_fission_fractions() -> dict[str, float]:
    """Daya Bay mean fission fractions (typical PWR), summing to 1."""
    return {k: float(v) for k, v in _card()["default_fission_fractions"].items()}


def huber_mueller_spectrum(isotope: str, E: ArrayLike) -> np.ndarray:
    """Huber-Mueller S_i(E) [antineutrinos/(fission*energy)]; 0 outside the table's 1.75-13 MeV."""
    iso = choice("isotope", isotope, REACTOR_ISOTOPES)
    e = check_energy(E)
    t = _data.table(_HM)
    nodes = t["E_MeV"] * u.MeV
    lnv = np.log(t[iso] / u.MeV)
    inside = (e >= nodes[0]) & (e <= nodes[-1])
    return np.where(inside, np.exp(np.interp(e, nodes, lnv)), 0.0)


def sm2018_spectrum(isotope: str, E: ArrayLike) -> np.ndarray:
    """SM-2018 summation spectrum [antineutrinos/(fission*energy)], bin centres linearly joined.

    Unscaled (as published); defined for 0 <= E <= 2.95 MeV (0 above); S(0) = 0.
    """
    iso = choice("isotope", isotope, REACTOR_ISOTOPES)
    e = check_energy(E)
    t = _data.table(_SM)
    nodes = np.r_[0.0, t["E_centre_MeV"]] * u.MeV
    vals = np.r_[0.0, t[iso]] / u.MeV
    return np.interp(e, nodes, vals, right=0.0)


@cache
def junction_scale(isotope: str) -> float:
    """Scale applied to SM-2018 below the junction so the spectrum is continuous at 2 MeV."""
    return float(huber_mueller_spectrum(isotope, JUNCTION) / sm2018_spectrum(isotope, JUNCTION))


def isotope_spectrum(isotope: str, E: ArrayLike) -> np.ndarray:
    """Antineutrinos per fission per energy of ``isotope`` (SM-2018 below 2 MeV, HM above)."""
    iso = choice("isotope", isotope, REACTOR_ISOTOPES)
    e = check_energy(E)
    low = junction_scale(iso) * sm2018_spectrum(iso, np.minimum(e, JUNCTION))
    return np.where(e < JUNCTION, low, huber_mueller_spectrum(iso, e))


def _grid(e_lo: float, e_hi: float) -> np.ndarray:
    """Integration nodes: 0.5 keV spacing plus every table node and the junction."""
    hm = _data.table(_HM)["E_MeV"] * u.MeV
    sm = np.r_[0.0, _data.table(_SM)["E_centre_MeV"]] * u.MeV
    n = int(np.ceil((e_hi - e_lo) / (0.5 * u.keV))) + 1
    g = np.concatenate([np.linspace(e_lo, e_hi, n), hm, sm, [JUNCTION, JUNCTION * (1 - 1e-12)]])
    return np.unique(g[(g >= e_lo) & (g <= e_hi)])


def antineutrinos_per_fission(
    isotope: str, e_min: float = 0.0, e_max: float = 13.0 * u.MeV, model: str = "combined"
) -> float:
    """Integral of the spectrum of ``isotope`` over e_min ≤ E ≤ e_max (antineutrinos per fission).

    ``model``: 'combined' (default, :func:`isotope_spectrum`) or 'huber-mueller' (table only).
    """
    model = choice("model", model, ("combined", "huber-mueller"))
    lo = float(non_negative("e_min", e_min, "MeV"))
    hi = float(non_negative("e_max", e_max, "MeV"))
    if hi <= lo:
        return 0.0
    g = _grid(lo, hi)
    f = isotope_spectrum if model == "combined" else huber_mueller_spectrum
    return float(np.trapezoid(f(isotope, g), g))


#: Spectrum models of :class:`ReactorSource`: SM-2018 below 2 MeV + Huber-Mueller above
#: ('combined'), or the Huber-Mueller table alone (1.75-13 MeV, zero below).
REACTOR_SPECTRUM_MODELS = ("combined", "huber-mueller")


class ReactorSource(Source):
    """nubar_e from a reactor core of ``thermal_power`` at ``distance``.

    ``fission_fractions``: {isotope: fraction} (missing isotopes = 0; renormalised to sum to 1);
    default: Daya Bay mean fractions. Components are the four isotopes; ``flux(iso)`` is the
    antineutrino flux from fissions of that isotope. ``oscillations=True`` applies vacuum
    three-flavour oscillations over ``distance`` (``ordering`` or ``params``, NuFIT 6.0).

    ``total_flux`` [1/(area*time)] instead of ``thermal_power``: the core is normalised so that
    the nubar_e flux at the detector, summed over isotopes and the whole spectrum, equals it
    (``distance`` then only matters for the oscillations; it may be omitted without them).
    ``spectrum_model``: 'combined' (default: SM-2018 below 2 MeV joined to Huber-Mueller) or
    'huber-mueller' (the table alone, zero below 1.75 MeV).
    """

    states = ("nubar_e", "nubar_mu", "nubar_tau")

    def __init__(
        self,
        thermal_power: float | None = None,
        distance: float | None = None,
        fission_fractions: dict[str, float] | None = None,
        oscillations: bool = False,
        ordering: str = "normal",
        params: OscillationParameters | None = None,
        total_flux: float | None = None,
        spectrum_model: str = "combined",
    ) -> None:
        if (thermal_power is None) == (total_flux is None):
            raise NuemInputError(
                "give exactly one of thermal_power and total_flux "
                f"(got thermal_power = {thermal_power!r}, total_flux = {total_flux!r})"
            )
        self.spectrum_model = choice("spectrum_model", spectrum_model, REACTOR_SPECTRUM_MODELS)
        self.oscillations = bool(oscillations)
        if distance is None and (total_flux is None or self.oscillations):
            why = "oscillations" if total_flux is not None else "a thermal_power"
            raise NuemInputError(f"distance = None is not allowed with {why}; give a distance")
        self.distance = None if distance is None else float(positive("distance", distance, "mm"))
        ff = default_fission_fractions() if fission_fractions is None else dict(fission_fractions)
        fr = {}
        for k, v in ff.items():
            fr[choice("isotope", k, REACTOR_ISOTOPES)] = float(
                non_negative(f"fission fraction {k}", v)
            )
        total = sum(fr.values())
        if not total > 0:
            raise NuemInputError(f"fission_fractions = {ff!r} must have a positive sum")
        self.fission_fractions = {iso: fr.get(iso, 0.0) / total for iso in REACTOR_ISOTOPES}
        self.params = params if params is not None else parameters(ordering)
        self._n_per_fission = {
            iso: antineutrinos_per_fission(iso, model=self.spectrum_model)
            for iso in REACTOR_ISOTOPES
        }
        mean_e = sum(f * energy_per_fission(i) for i, f in self.fission_fractions.items())
        if total_flux is None:
            self.thermal_power = float(positive("thermal_power", thermal_power, "MeV/ns"))
            self._fission_flux = self.thermal_power / mean_e / (4.0 * np.pi * self.distance**2)
        else:
            phi = float(positive("total_flux", total_flux, "per mm2 per ns"))
            nbar = sum(f * self._n_per_fission[i] for i, f in self.fission_fractions.items())
            self._fission_flux = phi / nbar
            self.thermal_power = (
                None
                if self.distance is None
                else self._fission_flux * 4.0 * np.pi * self.distance**2 * mean_e
            )
        tag = "" if self.spectrum_model == "combined" else f", {self.spectrum_model}"
        if total_flux is not None:
            where = "" if self.distance is None else f" at {self.distance / u.m:.4g} m"
            self.name = f"reactor nubar_e {total_flux * u.cm2 * u.s:.4g} /cm2/s{where}{tag}"
        else:
            gw = self.thermal_power / (1e9 * u.watt)
            self.name = f"reactor {gw:.3g} GW_th at {self.distance / u.m:.4g} m{tag}"

    @property
    def components(self) -> tuple[str, ...]:
        return REACTOR_ISOTOPES

    @property
    def mean_energy_per_fission(self) -> float:
        """sum_i f_i E_i [energy]."""
        return sum(f * energy_per_fission(i) for i, f in self.fission_fractions.items())

    @property
    def fission_rate(self) -> float:
        """Fissions per unit time, P_th / sum_i f_i E_i [1/time] (needs a distance when the
        source was normalised by its total flux)."""
        if self.thermal_power is None:
            raise NuemInputError(
                "fission_rate is not known: the source was given a total_flux and no distance"
            )
        return self.thermal_power / self.mean_energy_per_fission

    @property
    def fissions_per_area_time(self) -> float:
        """Fission rate over 4 pi L^2 [1/(area*time)]: the flux of fissions at the detector."""
        return self._fission_flux

    def flux(self, component: str) -> float:
        iso = self.check_component(component)
        return self._fission_flux * self.fission_fractions[iso] * self._n_per_fission[iso]

    def _isotope_spectrum(self, iso: str, E: ArrayLike) -> np.ndarray:
        if self.spectrum_model == "huber-mueller":
            return huber_mueller_spectrum(iso, E)
        return isotope_spectrum(iso, E)

    def spectrum(self, component: str, E: ArrayLike) -> np.ndarray:
        iso = self.check_component(component)
        return self._isotope_spectrum(iso, E) / self._n_per_fission[iso]

    def e_max(self, component: str) -> float:
        self.check_component(component)
        return float(_data.table(_HM)["E_MeV"][-1]) * u.MeV

    def content(self, component: str, E: ArrayLike) -> np.ndarray:
        self.check_component(component)
        e = check_energy(E)
        if self.oscillations:
            return msw.vacuum_probabilities(e, self.distance, self.params, antineutrino=True)
        out = np.zeros(e.shape + (3,))
        out[..., 0] = 1.0
        return out

    def antineutrino_spectrum(self, E: ArrayLike) -> np.ndarray:
        """Total emitted dN/dE per unit time [1/(energy*time)] (before the 1/(4 pi L^2))."""
        e = check_energy(E)
        out = np.zeros_like(e)
        for iso, f in self.fission_fractions.items():
            if f > 0:
                out += f * self._isotope_spectrum(iso, e)
        return self.fission_rate * out
