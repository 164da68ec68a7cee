"""``nuem fit``: global fit of the neutrino moment matrix to every dataset card.

``--texture`` takes a texture YAML file (format: :mod:`nuem.limits.texture`) or a built-in name;
without it the three built-ins run: ``dirac-mass`` (limits on each mass-state column norm
√Σ_j|μ_jk|², hence on each |μ_jk|), ``majorana`` (Λ₁, Λ₂, Λ₃ of Cañas et al.) and ``flavour``
(μ_e, μ_μ, μ_τ, others profiled).
"""

from __future__ import annotations

import json
import sys

import click

from nuem.cli.options import (
    cl_option,
    experiments_option,
    method_option,
    progress_option,
    toys_option,
)
from nuem.cli.table import format_table
from nuem.errors import NuemInputError
from nuem.limits.global_fit import TextureFit, fit_texture, region_2d
from nuem.limits.texture import resolve_texture


def _cell(lim, expected: bool = False) -> str:
    r = lim.result
    if lim.status is not None:
        return lim.status
    if r is None:
        return "FAILED"
    if r.allowed is not None:
        text = f"|x| < {r.value:.3g}"
    elif r.sided == "two-sided":
        text = f"[{r.interval[0]:.3g}, {r.interval[1]:.3g}]"
    else:
        text = f"< {r.value:.3g}"
    if expected:
        exp = r.expected_median
        text += " (exp -)" if exp is None else f" (exp {exp:.3g})"
    return text


def table(res: TextureFit, expected: bool = False) -> str:
    """Rows: couplings; columns: each experiment and the combination (with ``expected``, each
    cell also shows the Asimov median expected limit)."""
    exps = list(dict.fromkeys(lim.experiment for lim in res.limits))
    names = [c.name for c in res.texture.couplings]
    cell = {(lim.coupling, lim.experiment): _cell(lim, expected) for lim in res.limits}
    rows = [[n] + [cell.get((n, e), "-") for e in exps] for n in names]
    t = res.texture
    head = (
        f"texture {t.name} ({t.nature}, {t.basis} basis, {t.ordering} ordering; {t.origin}); "
        f"{100 * res.limits[0].result.cl if res.limits and res.limits[0].result else 90:g}% CL, "
        "mu_B, other couplings profiled" + ("; (exp X): Asimov median expected" if expected else "")
    )
    best = ""
    if res.best_fit is not None:
        best = "\nbest fit (combined): " + ", ".join(
            f"{k} = {v:.3g}" for k, v in res.best_fit.items()
        )
    return head + "\n" + format_table(["coupling"] + exps, rows) + best


@click.command("fit")
@click.option(
    "--texture",
    "textures",
    multiple=True,
    metavar="FILE|NAME",
    help="Texture YAML file or built-in (dirac-mass, majorana, flavour); repeatable. "
    "Default: the three built-ins.",
)
@experiments_option
@click.option("--combined-only", is_flag=True, help="Skip the per-experiment fits.")
@click.option("--expected", is_flag=True, help="Also compute Asimov expected limits.")
@cl_option
@click.option(
    "--region",
    type=click.IntRange(5, 201),
    default=None,
    metavar="N",
    help="Also scan the 2-D allowed region of the first two couplings (N x N grid, combination).",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Save the 2-D region as a figure (needs --region; one texture).",
)
@click.option(
    "--region-each",
    is_flag=True,
    help="With --plot: also scan and draw each experiment's own region (one scan per card).",
)
@method_option
@toys_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (one object per texture).")
@progress_option
def command(
    textures, experiments, combined_only, expected, cl, region, plot_path, region_each, method,
    toys, as_json, progress,
) -> None:
    """Global fit of the moment matrix: limits on each coupling of a texture, the others
    profiled, per experiment and combined."""
    specs = textures or ("dirac-mass", "majorana", "flavour")
    if plot_path and (region is None or len(specs) != 1):
        raise NuemInputError("--plot needs --region and exactly one --texture")
    if region is not None or plot_path:
        single = [s for s in specs if len(resolve_texture(s).couplings) < 2]
        if plot_path and single:
            raise NuemInputError(
                f"--plot: texture {single[0]!r} has a single coupling; no 2-D region to draw"
            )
    fits = [
        fit_texture(
            s,
            experiments or None,
            cl=cl,
            per_experiment=not combined_only,
            expected=expected,
            progress=progress and sys.stderr.isatty(),
            method=method,
            toys=toys,
        )
        for s in specs
    ]
    regions = {}
    if region is not None:
        for f in fits:
            if len(f.texture.couplings) >= 2:
                regions[f.texture.name] = region_2d(
                    f.texture, None, experiments or None, n=region, cl=cl,
                    progress=progress and sys.stderr.isatty(),
                )  # fmt: skip
    if as_json:
        out = [f.to_json() for f in fits]
        for o in out:
            if o["texture"]["name"] in regions:
                o["region"] = regions[o["texture"]["name"]].to_json()
        click.echo(json.dumps(out, indent=2))
    else:
        click.echo("\n\n".join(table(f, expected) for f in fits))
        for name, reg in regions.items():
            inside = reg.allowed()
            click.echo(
                f"\n{name}: {100 * cl:g}% CL region of ({reg.couplings[0]}, {reg.couplings[1]}) "
                f"on a {reg.x.size}x{reg.y.size} grid, {int(inside.sum())} points inside "
                f"(Delta chi2 <= {reg.level:.3f}); use --json for the grid"
            )
    if plot_path:
        from nuem.experiments import list_cards
        from nuem.plot.region import plot_region

        name, combined = next(iter(regions.items()))
        fit = next(f for f in fits if f.texture.name == name)
        overlay = [combined]
        if region_each:
            overlay += [
                region_2d(fit.texture, combined.couplings, [card], n=region, cl=cl)
                for card in (experiments or list_cards())
            ]
        label = "combined" if len(combined.experiments) > 1 else combined.experiments[0]
        lines = {
            lim.coupling: lim.limit
            for lim in fit.limits
            if lim.experiment == label and lim.limit is not None and lim.result.allowed is None
        }
        fig, _ = plot_region(
            overlay, limits=lines, title=f"{fit.texture.name} texture: {100 * cl:g}% CL region"
        )
        fig.savefig(plot_path, dpi=150, bbox_inches="tight")
        click.echo(f"nuem: wrote {plot_path}", err=True)
    failed = [(f, lim) for f in fits for lim in f.limits if lim.error]
    for f, lim in failed:
        click.echo(f"nuem: {f.texture.name} {lim.coupling} {lim.experiment}: {lim.error}", err=True)
    if failed:
        sys.exit(1)
