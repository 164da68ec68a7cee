"""Expected (projected) portal curves: `nuem sensitivity CARD --portal`.

:func:`projected_curves` applies the `nuem sensitivity` overrides (:func:`nuem.limits.
sensitivity.project`: threshold, background scale, exposure) to each card and runs
:func:`nuem.scan.scan` with ``expected=True`` on the result: one code path, so the curve of an
unmodified card is the ``expected`` band of `nuem portal --expected` (and shares its cache
entries), and a projection card (no data) gives the Asimov median and ±1σ/±2σ band only.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor
from pathlib import Path

from nuem.experiments import Card
from nuem.limits.portal import PORTAL_FLAVOURS
from nuem.limits.sensitivity import project
from nuem.scan.curve import LimitCurve
from nuem.scan.portal import scan

__all__ = ["projected_curves"]


def projected_curves(
    cards: Iterable[str | Card],
    flavours: Iterable[str] = PORTAL_FLAVOURS,
    masses=None,
    n_masses: int = 60,
    exposure: float | None = None,
    background_scale: float | None = None,
    threshold: float | None = None,
    cl: float = 0.90,
    executor: Executor | None = None,
    cache: bool | str | Path = True,
    progress: bool = False,
) -> list[LimitCurve]:
    """Expected portal LimitCurves (median, ±1σ, ±2σ in μ_B vs M_N [MeV]) of ``cards``.

    ``exposure`` [mass*time], ``background_scale`` (factor), ``threshold`` [energy]: the
    overrides of `nuem sensitivity`; ``masses`` [energy] or None (``n_masses`` to each card's
    reach); the rest as :func:`nuem.scan.scan`.
    """
    projected = [project(c, exposure, background_scale, threshold) for c in cards]
    return scan(
        projected, flavours, masses=masses, n_masses=n_masses, expected=True, cl=cl,
        executor=executor, cache=cache, progress=progress,
    )  # fmt: skip
