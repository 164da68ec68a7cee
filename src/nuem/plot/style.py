"""One style for every nuem figure: rc settings, human labels, Poisson error bars, titles.

- :data:`RC` and :func:`styled` — the rc settings every figure is drawn under (mplhep's CMS-like
  look if ``mplhep`` is installed and ``style="hep"`` is asked for; plain matplotlib otherwise);
- :func:`component_label` — a legend name for a spectrum component key (``solar_nu_sm`` →
  "SM solar ν (nuem)"), or the card's own label;
- :func:`hypothesis_label` — mathtext for a hypothesis (μ_ν = 5.8×10⁻¹² μ_B, M_N = 100 keV);
- :func:`sci` — a number as mathtext a×10ⁿ;
- :func:`poisson_interval` — Garwood central confidence intervals for counts (the error bars
  at low counts; √N is wrong there: n = 0 has an upper edge of 1.84, not 0);
- :func:`new_figure` — a figure registered with pyplot when pyplot is in use (``plt.show()``
  works), a bare Figure otherwise.
"""

from __future__ import annotations

import contextlib
import math
import sys
from typing import Any

import numpy as np
from scipy.stats import chi2

from nuem import units as u

#: rc settings of nuem figures (sizes for slides: readable at 1/2 of a 16:9 slide).
RC: dict[str, Any] = {
    "font.size": 12,
    "axes.labelsize": 13,
    "axes.titlesize": 13,
    "legend.fontsize": 10,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "xtick.minor.visible": True,
    "ytick.minor.visible": True,
    "axes.linewidth": 1.0,
    "lines.linewidth": 1.6,
    "savefig.dpi": 200,
    "mathtext.fontset": "dejavusans",
}

#: Legend names of the component keys nuem itself produces.
KNOWN_COMPONENTS = {
    "solar_nu_sm": r"SM solar $\nu$ (nuem)",
    "sm_nu": r"SM $\nu$ (nuem)",
    "cevns_sm": r"SM CEvNS (nuem)",
}


@contextlib.contextmanager
def styled(style: str = "nuem"):
    """Context in which a figure is drawn: ``"nuem"`` (:data:`RC`) or ``"hep"`` (mplhep's CMS
    style when installed, else :data:`RC`)."""
    import matplotlib as mpl

    rc = dict(RC)
    if style == "hep":
        try:
            import mplhep

            rc = {**mplhep.style.CMS, "mathtext.fontset": "dejavusans"}
        except ImportError:
            pass
    with mpl.rc_context(rc):
        yield


def new_figure(figsize=(7.5, 5.0), **kwargs):
    """A Figure: through pyplot (so ``plt.show()`` shows it) when pyplot is imported, else bare."""
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize, **kwargs)
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, **kwargs)


def sci(x: float, digits: int = 2) -> str:
    """``x`` as mathtext a×10ⁿ (``sci(5.8e-12)`` → ``5.8\\times10^{-12}``), no $ signs."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    e = math.floor(math.log10(abs(x)))
    m = x / 10**e
    if round(m, digits - 1) >= 10:
        m, e = m / 10, e + 1
    if -2 <= e <= 3:
        return f"{x:.{max(digits - 1 - e, 0)}f}" if e < digits else f"{x:.0f}"
    return rf"{m:.{digits - 1}f}\times10^{{{e}}}"


def _energy_text(E: float) -> str:
    if E >= u.MeV:
        return rf"{E / u.MeV:.3g}\,\mathrm{{MeV}}"
    return rf"{E / u.keV:.3g}\,\mathrm{{keV}}"


def hypothesis_label(h: Any) -> str:
    """Mathtext legend label of a Hypothesis' couplings (empty string when it has none)."""
    if h is None:
        return ""
    parts = []
    if getattr(h, "mu", 0):
        sym = r"\mu_{\nu N}" if h.M else r"\mu_\nu"
        parts.append(rf"${sym} = {sci(h.mu / u.mu_B)}\,\mu_B$")
    if getattr(h, "portal", None) is not None:
        for fl, d in zip(("e", r"\mu", r"\tau"), np.abs(h.portal), strict=True):
            if d:
                parts.append(rf"$d_{{{fl}}} = {sci(d / u.mu_B)}\,\mu_B$")
    if getattr(h, "M", 0):
        parts.append(rf"$M_N = {_energy_text(h.M)}$")
    if getattr(h, "moments", None) is not None:
        parts.append("moment matrix")
    for name, sym, unit in (("q", "q_\\nu", "e"), ("r2", r"\langle r^2\rangle", r"\mathrm{cm}^2")):
        v = getattr(h, name, 0)
        values = dict(v) if hasattr(v, "items") else {"": v}
        scale = 1.0 if name == "q" else u.cm2
        for fl, x in values.items():
            if x:
                sub = f"_{{{fl}}}" if fl else ""
                parts.append(rf"${sym}{sub} = {sci(x / scale)}\,{unit}$")
    return ", ".join(parts)


def component_label(key: str, card: Any = None) -> str:
    """Legend name of a spectrum component: nuem's own ones by name, a card background by its
    ``label`` (if the card gives one), ``X_minus_sm_nu`` as "X − SM ν", else the key in words."""
    if key in KNOWN_COMPONENTS:
        return KNOWN_COMPONENTS[key]
    if card is not None:
        for comp in card.raw.get("backgrounds", {}).get("components", []):
            if comp.get("name") == key and comp.get("label"):
                return str(comp["label"])
    if key.endswith("_minus_sm_nu"):
        base = key[: -len("_minus_sm_nu")]
        return rf"{component_label(base, card)} $-$ SM $\nu$"
    words = key.replace("_", " ")
    return words[:1].upper() + words[1:] if words[:1].islower() else words


def poisson_interval(n: Any, cl: float = 0.682689492137086) -> tuple[np.ndarray, np.ndarray]:
    """Garwood central interval [lo, hi] for observed counts ``n`` (F. Garwood, Biometrika 28
    (1936) 437): lo = χ²_{α/2}(2n)/2, hi = χ²_{1−α/2}(2n + 2)/2, α = 1 − cl; lo = 0 at n = 0.

    Parameters
    ----------
    n : array_like
        Observed counts ≥ 0 (non-integers are allowed: digitised data).
    cl : float
        Coverage (default 68.27%, "1σ").

    Returns
    -------
    (lo, hi) : arrays of the same shape as ``n`` (counts).
    """
    n = np.asarray(n, dtype=np.float64)
    a = 1.0 - cl
    with np.errstate(invalid="ignore"):
        lo = np.where(n > 0, chi2.ppf(a / 2, 2 * np.maximum(n, 1e-300)) / 2, 0.0)
    hi = chi2.ppf(1 - a / 2, 2 * (n + 1)) / 2
    return lo, hi


def experiment_title(card: Any) -> str:
    """"TITLE — exposure" for a card (its title, the exposure with its unit)."""
    if card is None:
        return ""
    exp = card.raw.get("exposure")
    unit = str(card.raw.get("exposure_unit", "")).replace("*", " ")
    title = card.raw.get("title", card.name)
    return f"{title}" + (f" — {exp:g} {unit}" if isinstance(exp, (int, float)) else "")
