"""Statistics layer (layer 4): likelihoods of signal-polynomial models, profiles, limits,
Asimov bands, toys and combinations. Consumes plain numpy templates (see docs/stats.md)."""

from nuem.stats.combine import CombinedLikelihood
from nuem.stats.fit import FitError, FitResult, RegionOpenError, fit, profile
from nuem.stats.likelihood import BinnedLikelihood, UnbinnedLikelihood
from nuem.stats.limits import (
    ExpectedBand,
    Interval,
    UpperLimit,
    critical_value,
    expected_band,
    interval,
    q_profile,
    upper_limit,
)
from nuem.stats.methods import METHODS, MethodLimit, cls_upper_limit, limit_by_method
from nuem.stats.model import (
    Background,
    Model,
    NormSystematic,
    Nuisance,
    ShapeSystematic,
    Template,
)
from nuem.stats.toys import toy_critical_value, toy_q_values, toy_upper_limit, toy_upper_limits

__all__ = [
    "METHODS",
    "MethodLimit",
    "cls_upper_limit",
    "limit_by_method",
    "Background",
    "BinnedLikelihood",
    "CombinedLikelihood",
    "ExpectedBand",
    "FitError",
    "RegionOpenError",
    "FitResult",
    "Interval",
    "Model",
    "NormSystematic",
    "Nuisance",
    "ShapeSystematic",
    "Template",
    "UnbinnedLikelihood",
    "UpperLimit",
    "critical_value",
    "expected_band",
    "fit",
    "interval",
    "profile",
    "q_profile",
    "toy_critical_value",
    "toy_q_values",
    "toy_upper_limit",
    "toy_upper_limits",
    "upper_limit",
]
