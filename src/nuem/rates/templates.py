"""Signal templates: the coefficient of each coupling power, per bin or per event (DESIGN §2).

Expected counts for a hypothesis are polynomials in its couplings, so a :class:`Templates`
object holds, for one (experiment, source, atomic model, binning), one array per coupling power:

- ``sm``: Standard-Model nu-e scattering (flavour content at the detector);
- ``magnetic_state`` (S, n): per (mu_k/mu_B)^2 for each source state k (``magnetic_mass`` for the
  Sun's mass states nu_1..3: use sum_j |mu_kj|^2 as the coupling of state k);
- ``magnetic_flavour`` (3, n): per (mu_alpha/mu_B)^2 with the flavour fractions at the detector
  (flavour-basis approximation; PHYSICS.md §4);
- ``magnetic_eff`` (n,): per (mu_eff/mu_B)^2, the same moment for every state;
- ``dipole(M)`` (nM, n): nu e -> N e upscattering per (mu/mu_B)^2, same mu for every state;
- ``millicharge`` (2, n): (S1, S2) per q/e and (q/e)^2, the same q for every flavour;
  ``millicharge_flavour[flavour]`` (2, n): the same for one flavour's millicharge;
- ``charge_radius[flavour]`` (2, n): (S1, S2) per r2/cm^2 and (r2/cm^2)^2 of that flavour;
- ``charge_radius_millicharge[flavour]`` (n,): the cross term per (q/e)(r2/cm^2).

``kind`` is "counts" (per reconstructed-energy bin, ``edges``) or "density" (events/energy at
each event energy, ``events``; for unbinned likelihoods).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nuem import units as u
from nuem.errors import NuemInputError
from nuem.mixing import FLAVOURS, MASS_STATES
from nuem.theory.hypothesis import Hypothesis

__all__ = ["DipoleEvaluator", "TimeCombinedDipole", "Templates", "combine_in_time"]

FLAVOUR_KEYS = FLAVOURS


class DipoleEvaluator:
    """Picklable dipole evaluator of a :class:`Templates`: the engine and the binning/events."""

    def __init__(self, engine, edges, events, response=None) -> None:
        self.engine, self.edges, self.events = engine, edges, events
        self._response = response  # not pickled: rebuilt (and cached) on first use

    def __getstate__(self) -> dict:
        return {"engine": self.engine, "edges": self.edges, "events": self.events}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _response=None)

    def __call__(self, M: ArrayLike, per_state: bool = False) -> np.ndarray:
        if self._response is None:
            self._response = self.engine.response(edges=self.edges, events=self.events)
        return self.engine.dipole(M, self._response, per_state)


class TimeCombinedDipole:
    """Dipole templates of energy x time bins: sum over timing groups of energy x fractions."""

    def __init__(self, parts: list[tuple[Any, np.ndarray]]) -> None:
        self.parts = parts

    def __call__(self, M: ArrayLike, per_state: bool = False) -> np.ndarray:
        return sum(_outer(ev(M, per_state), frac) for ev, frac in self.parts)


def _outer(a: np.ndarray, frac: np.ndarray) -> np.ndarray:
    """Energy rows ``a`` (..., n_energy) times the fractions per energy bin of the later axes:
    ``frac`` (n_extra,) for every energy bin alike, or (n_energy, n_extra) energy by energy;
    result (..., n_energy * n_extra), energy-major."""
    if frac.ndim == 2:
        return (a[..., :, None] * frac).reshape(a.shape[:-1] + (-1,))
    return np.multiply.outer(a, frac).reshape(a.shape[:-1] + (-1,))


def combine_in_time(
    parts: list[tuple[Templates, np.ndarray]], time_edges: np.ndarray | None = None
) -> Templates:
    """Energy x time templates from per-timing-group energy templates and time fractions.

    ``parts``: (templates of the components of one timing group, fraction of that group's
    neutrinos in each time bin: (n_time,), or (n_energy, n_time) when the later axes depend on
    energy). Every row becomes (..., n_energy * n_time), energy-major:
    counts[i, t] = sum_g counts_g[i] f_g[(i,) t]. Groups must share binning and states.
    """
    if not parts:
        raise NuemInputError("combine_in_time needs at least one timing group")
    first = parts[0][0]

    def tot(get):
        return sum(_outer(get(t), np.asarray(f, dtype=np.float64)) for t, f in parts)

    crs = {k: tot(lambda t, k=k: t.charge_radius[k]) for k in first.charge_radius}
    mqf = {k: tot(lambda t, k=k: t.millicharge_flavour[k]) for k in first.millicharge_flavour}
    cross = {k: tot(lambda t, k=k: t.charge_radius_millicharge[k]) for k in first.charge_radius}
    meta = dict(first.metadata)
    meta["parts"] = [t.metadata for t, _ in parts]
    meta["recoil"] = "+".join(dict.fromkeys(t.metadata.get("recoil", "?") for t, _ in parts))
    meta["source"] = " + ".join(dict.fromkeys(t.metadata.get("source", "?") for t, _ in parts))
    if time_edges is not None:
        meta["time_edges_us"] = (np.asarray(time_edges) / u.microsecond).tolist()
    return Templates(
        kind=first.kind,
        edges=first.edges,
        events=None,
        sm=tot(lambda t: t.sm),
        magnetic_state=tot(lambda t: t.magnetic_state),
        state_labels=first.state_labels,
        magnetic_flavour=tot(lambda t: t.magnetic_flavour),
        flavour_labels=first.flavour_labels,
        magnetic_eff=tot(lambda t: t.magnetic_eff),
        millicharge=tot(lambda t: t.millicharge),
        charge_radius=crs,
        charge_radius_millicharge=cross,
        metadata=meta,
        _dipole=TimeCombinedDipole([(t._dipole, np.asarray(f)) for t, f in parts]),
        time_edges=None if time_edges is None else np.asarray(time_edges, dtype=np.float64),
        pmns=first.pmns,
        millicharge_flavour=mqf,
    )


@dataclass(frozen=True, eq=False)
class Templates:
    """Per-bin (or per-event) coefficients of each coupling power; see the module docstring."""

    kind: str
    edges: np.ndarray | None
    events: np.ndarray | None
    sm: np.ndarray
    magnetic_state: np.ndarray
    state_labels: tuple[str, ...]
    magnetic_flavour: np.ndarray
    flavour_labels: tuple[str, ...]
    magnetic_eff: np.ndarray
    millicharge: np.ndarray
    charge_radius: dict[str, np.ndarray]
    charge_radius_millicharge: dict[str, np.ndarray]
    metadata: dict[str, Any] = field(default_factory=dict)
    _dipole: Any = field(default=None, repr=False)
    time_edges: np.ndarray | None = None
    pmns: np.ndarray | None = None
    millicharge_flavour: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def magnetic_mass(self) -> np.ndarray | None:
        """(3, n) per (mu_k/mu_B)^2 for incoming mass state k (solar sources), else None."""
        return self.magnetic_state if self.state_labels == MASS_STATES else None

    @property
    def n(self) -> int:
        return int(self.sm.shape[-1])

    def dipole(self, M: ArrayLike, per_state: bool = False) -> np.ndarray:
        """Upscattering template(s) per (mu/mu_B)^2 for N masses ``M`` [energy].

        Shape (nM, n) (``M`` 1-D or scalar -> (1, n)); ``per_state``: (nM, S, n), one row per
        source state. M = 0 equals the magnetic template.
        """
        if self._dipole is None:
            raise NuemInputError("these templates were built without a dipole evaluator")
        return self._dipole(M, per_state)

    # ---- evaluation ----------------------------------------------------------------------------
    def signal(
        self,
        hypothesis: Hypothesis | None = None,
        *,
        mu: float = 0.0,
        M: float = 0.0,
        q: float | Mapping[str, float] = 0.0,
        r2: float | Mapping[str, float] = 0.0,
    ) -> np.ndarray:
        """Counts (or density) added to the SM by the couplings alone.

        ``hypothesis`` (:class:`nuem.theory.Hypothesis`, alias ``EMHypothesis``: uniform
        moment, moment matrix in any basis, portal couplings per flavour, per-flavour q and r2)
        or the keywords of the uniform case, in hepunits: ``mu`` (e.g. ``1e-11*mu_B``, the same
        moment for every state), ``M`` (N mass; > 0 gives upscattering), ``q`` (units of e),
        ``r2`` (an area; one value or ``{"e": ..., ...}``). Exact: the state weights of the
        hypothesis (:meth:`Hypothesis.magnetic_weights`, ``dipole_weights``, with this source's
        PMNS) times the per-state templates, q S1 + q^2 S2, r2 S1 + r2^2 S2 and the q r2 term.
        """
        if hypothesis is None:
            hypothesis = Hypothesis(mu=mu, M=M, q=q, r2=r2)
        elif not isinstance(hypothesis, Hypothesis):
            raise NuemInputError(f"hypothesis = {hypothesis!r} must be a nuem Hypothesis")
        h = hypothesis
        out = np.zeros_like(self.sm)
        w = h.magnetic_weights(self.state_labels, self.pmns)
        out = out + self._weighted(w, self.magnetic_state, self.magnetic_eff)
        if h.has_dipole:
            wd = h.dipole_weights(self.state_labels, self.pmns)
            if np.all(wd == wd[0]):
                out = out + wd[0] * self.dipole(h.M)[0]
            else:
                out = out + np.tensordot(wd, self.dipole(h.M, per_state=True)[0], axes=(0, 0))
        for fl in FLAVOUR_KEYS:
            if fl not in self.charge_radius:
                raise NuemInputError(f"templates lack the charge radius of flavour {fl!r}")
        if isinstance(h.q, Mapping):
            for fl in FLAVOUR_KEYS:
                qe = h.q_of(fl) / u.eplus
                if qe != 0.0:
                    S = self.millicharge_flavour[fl]
                    out = out + qe * S[0] + qe * qe * S[1]
        else:
            qe = h.q / u.eplus
            if qe != 0.0:
                out = out + qe * self.millicharge[0] + qe * qe * self.millicharge[1]
        for fl in FLAVOUR_KEYS:
            x = h.r2_of(fl) / u.cm2
            if x != 0.0:
                S = self.charge_radius[fl]
                qe = h.q_of(fl) / u.eplus
                out = out + x * S[0] + x * x * S[1] + qe * x * self.charge_radius_millicharge[fl]
        return out

    @staticmethod
    def _weighted(w: np.ndarray, per_state: np.ndarray, total: np.ndarray) -> np.ndarray:
        """sum_s w_s T_s, using the summed template when every weight is the same."""
        if not np.any(w):
            return 0.0
        if np.all(w == w[0]):
            return w[0] * total
        return np.tensordot(w, per_state, axes=(0, 0))

    def magnetic_template(self, weights: ArrayLike) -> np.ndarray:
        """sum_s weights_s x magnetic_state[s]: the magnetic signal per unit of the weights
        (weights in mu_B^2, from :meth:`Hypothesis.magnetic_weights` or a texture)."""
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (len(self.state_labels),):
            raise NuemInputError(
                f"weights has shape {w.shape}; these templates have states {self.state_labels}"
            )
        return np.tensordot(w, self.magnetic_state, axes=(0, 0))

    def expected(self, hypothesis: Hypothesis | None = None, **couplings) -> np.ndarray:
        """SM + :meth:`signal`: the total neutrino-electron counts (or density)."""
        return self.sm + self.signal(hypothesis, **couplings)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of the arrays (lists) and metadata, for JSON output."""
        out: dict[str, Any] = {"kind": self.kind, "metadata": self.metadata}
        if self.edges is not None:
            out["bin_edges_keV"] = (self.edges / u.keV).tolist()
        for name in ("sm", "magnetic_state", "magnetic_flavour", "magnetic_eff", "millicharge"):
            out[name] = np.asarray(getattr(self, name)).tolist()
        out["charge_radius"] = {k: v.tolist() for k, v in self.charge_radius.items()}
        return out
