"""Toy Monte Carlo for critical values and limit distributions, through any Executor.

Toys follow the LHC convention (CCGV §2, ATLAS/CMS 2011 combination note): nuisances are set to
their conditional MLE θ̂̂(x) on the observed data; each toy draws Poisson counts from ν(x, θ̂̂) and
fluctuates the constraint centres (global observables) around θ̂̂.

Reproducibility: ``numpy.random.SeedSequence(seed).spawn(n_tasks)`` gives one child per task; a
task is a pure module-level function of (likelihood, x, nuisances, seed, n), so any
``concurrent.futures.Executor`` (process pool, dask's ``client.get_executor()``) returns the same
numbers as the default in-process run.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np

from nuem._validate import choice, in_range
from nuem.errors import NuemInputError
from nuem.stats.fit import FitError, fit, profile
from nuem.stats.limits import CONVENTIONS, UpperLimit, q_profile, statistic_name, upper_limit


def _q_task(lik, x: float, thetas: np.ndarray, seed: np.random.SeedSequence, n: int) -> np.ndarray:
    """n toy values of q̃(x) generated at (x, θ); failed toy fits give NaN."""
    rng = np.random.default_rng(seed)
    out = np.empty(n)
    for i in range(n):
        toy = lik.sample(rng, x, thetas)
        try:
            out[i] = q_profile(toy, x)
        except FitError:
            out[i] = np.nan
    return out


def _limit_task(
    lik,
    x: float,
    thetas: np.ndarray,
    seed: np.random.SeedSequence,
    n: int,
    cl: float,
    convention: str,
) -> np.ndarray:
    """n toy upper limits from toys generated at (x, θ); failed fits give NaN."""
    rng = np.random.default_rng(seed)
    out = np.empty(n)
    for i in range(n):
        toy = lik.sample(rng, x, thetas)
        try:
            out[i] = upper_limit(toy, cl, convention).value
        except FitError:
            out[i] = np.nan
    return out


def _run(task, lik, x, n_toys, seed, executor, n_tasks, *extra) -> np.ndarray:
    if n_toys < 1:
        raise NuemInputError(f"n_toys = {n_toys!r} must be >= 1")
    if not hasattr(lik, "sample"):
        raise NuemInputError(f"{type(lik).__name__} cannot generate toys; use a binned model")
    thetas = profile(lik, x).thetas
    n_tasks = max(1, min(int(n_tasks), n_toys))
    sizes = np.full(n_tasks, n_toys // n_tasks)
    sizes[: n_toys % n_tasks] += 1
    seeds = np.random.SeedSequence(seed).spawn(n_tasks)
    args = [(lik, x, thetas, s, int(k)) + extra for s, k in zip(seeds, sizes, strict=True)]
    if executor is None:
        parts = [task(*a) for a in args]
    else:
        futures = [executor.submit(task, *a) for a in args]
        parts = [f.result() for f in futures]
    out = np.concatenate(parts)
    bad = np.isnan(out).sum()
    if bad > 0.01 * n_toys:
        raise FitError(f"{bad} of {n_toys} toy fits failed")
    return out[~np.isnan(out)]


def toy_q_values(
    lik,
    x: float,
    n_toys: int = 1000,
    seed: int = 0,
    executor: Executor | None = None,
    n_tasks: int = 8,
) -> np.ndarray:
    """Toy distribution of q̃(x) under the hypothesis x (binned likelihoods)."""
    return _run(_q_task, lik, float(x), n_toys, seed, executor, n_tasks)


def quantile_interval(values: np.ndarray, p: float, z: float = 3.0) -> tuple[float, float]:
    """Distribution-free ±z σ confidence interval on the p-quantile from order statistics
    (binomial counting of values below the quantile)."""
    v = np.sort(values)
    n = v.size
    half = z * np.sqrt(n * p * (1 - p))
    lo = int(np.clip(np.floor(n * p - half), 0, n - 1))
    hi = int(np.clip(np.ceil(n * p + half), 0, n - 1))
    return float(v[lo]), float(v[hi])


def toy_critical_value(
    lik,
    x: float,
    cl: float = 0.90,
    n_toys: int = 1000,
    seed: int = 0,
    executor: Executor | None = None,
    n_tasks: int = 8,
) -> float:
    """The ``cl`` quantile of the toy q̃(x) distribution at hypothesis x."""
    cl = float(in_range("cl", cl, 0.0, 1.0))
    q = toy_q_values(lik, x, n_toys, seed, executor, n_tasks)
    return float(np.quantile(q, cl))


def toy_upper_limits(
    lik,
    x_true: float = 0.0,
    cl: float = 0.90,
    convention: str = "q_tilde",
    n_toys: int = 500,
    seed: int = 0,
    executor: Executor | None = None,
    n_tasks: int = 8,
) -> np.ndarray:
    """Upper limits (asymptotic critical value) on toys generated at ``x_true``: their
    percentiles 2.3/16/50/84/97.7 are the toy expected band."""
    convention = choice("convention", convention, CONVENTIONS)
    return _run(
        _limit_task, lik, float(x_true), n_toys, seed, executor, n_tasks, float(cl), convention
    )


def toy_upper_limit(
    lik,
    cl: float = 0.90,
    n_toys: int = 1000,
    seed: int = 0,
    executor: Executor | None = None,
    n_tasks: int = 8,
    iterations: int = 2,
    toy_model=None,
) -> UpperLimit:
    """Upper limit with a toy critical value: start from the asymptotic limit x₀, compute the
    toy critical value q_c(x_k) and re-solve q̃(x) = q_c(x_k); ``iterations`` fixed-point steps.

    ``toy_model``: a binned likelihood of the same model to draw the toys from when ``lik``
    cannot (an unbinned likelihood: its binned twin); default ``lik``.
    """
    gen = lik if toy_model is None else toy_model
    ul = upper_limit(lik, cl)
    for k in range(int(iterations)):
        qc = toy_critical_value(gen, ul.value, cl, n_toys, seed + k, executor, n_tasks)
        if qc <= 0:
            raise FitError(f"toy critical value {qc!r} <= 0 at x = {ul.value!r}")
        ul = upper_limit(lik, cl, critical=qc)
    best = fit(lik)
    return UpperLimit(
        ul.value,
        best.x,
        best.nll2,
        float(cl),
        "q_tilde",
        statistic_name(lik, "q_tilde"),
        ul.critical_value,
        method="toys",
    )
