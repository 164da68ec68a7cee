"""An artificial radioactive neutrino source (e.g. ⁵¹Cr, ³⁷Ar): monochromatic lines seen by a
detector volume over a run.

The flux a card needs is the one averaged over the run and over the fiducial volume:

    Φ̄_line = b_line · Ā · ⟨1/(4π r²)⟩_V,

with the branching ratio b_line, the mean activity over a run of live time T starting at
activity A₀ (half-life t½, τ = t½/ln 2)

    Ā = A₀ τ (1 − e^{−T/τ}) / T                                   (exponential decay)

and the mean inverse square distance over a uniform fiducial volume V:

- a point detector at distance d: ⟨1/r²⟩ = 1/d²;
- the source at the centre of a sphere of radius R: ⟨1/r²⟩ = (1/V) ∫ 4π r² dr / r² = 3/R²;
- the source at distance d > R from the centre of a sphere of radius R:
  ⟨1/r²⟩ = 3/(2R³d) · [R d − (d² − R²)/2 · ln((d + R)/(d − R))]
  (the angular integral ∫ dμ/(r² + d² − 2 r d μ) = ln((d + r)/(d − r))/(r d), then
  ∫₀^R r ln((d + r)/(d − r)) dr in closed form); → 1/d² for d ≫ R.

Such a source is built as a lines-only :class:`~nuem.sources.tabulated.TabulatedSource` (one
place for monochromatic lines); the card kind ``radioactive`` is registered in
:mod:`nuem.sources.registry`.
"""

from __future__ import annotations

import math

import numpy as np

from nuem._validate import positive
from nuem.errors import NuemInputError

__all__ = ["GEOMETRIES", "mean_activity", "mean_inverse_square_distance"]

#: Source/detector geometries of :func:`mean_inverse_square_distance`.
GEOMETRIES = ("point", "sphere_centre", "sphere_outside")


def mean_activity(activity: float, half_life: float, live_time: float) -> float:
    """Mean activity over a run, Ā = A₀ τ (1 − e^{−T/τ}) / T (module doc).

    Parameters
    ----------
    activity : float
        Activity A₀ at the start of the run [1/time, hepunits].
    half_life : float
        Half-life t½ [time].
    live_time : float
        Run length T [time] (the source decays during it).

    Returns
    -------
    float
        Ā [1/time]; → A₀ as T/τ → 0.
    """
    a0 = float(positive("activity", activity))
    tau = float(positive("half_life", half_life)) / math.log(2.0)
    x = float(positive("live_time", live_time)) / tau
    return a0 * (-math.expm1(-x)) / x


def mean_inverse_square_distance(
    geometry: str, distance: float | None = None, radius: float | None = None
) -> float:
    """⟨1/r²⟩ over a uniform fiducial volume (module doc) [1/length², hepunits].

    Parameters
    ----------
    geometry : str
        ``point`` (needs ``distance``), ``sphere_centre`` (needs ``radius``) or
        ``sphere_outside`` (needs ``radius`` and ``distance`` > ``radius``, the distance from the
        source to the sphere's centre).
    distance, radius : float, optional
        [length].
    """
    if geometry not in GEOMETRIES:
        raise NuemInputError(f"geometry = {geometry!r} is not known; allowed: {GEOMETRIES}")
    if geometry == "point":
        return 1.0 / float(positive("distance", _need("distance", distance, geometry))) ** 2
    R = float(positive("radius", _need("radius", radius, geometry)))
    if geometry == "sphere_centre":
        return 3.0 / R**2
    d = float(positive("distance", _need("distance", distance, geometry)))
    if not d > R:
        raise NuemInputError(
            f"distance = {d!r} must exceed radius = {R!r} for geometry 'sphere_outside'"
        )
    log = np.log((d + R) / (d - R))
    return 3.0 / (2.0 * R**3 * d) * (R * d - 0.5 * (d * d - R * R) * log)


def _need(name: str, value, geometry: str):
    if value is None:
        raise NuemInputError(f"geometry {geometry!r} needs {name}")
    return value
