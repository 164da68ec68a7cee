"""The summary figure of the dipole portal for one flavour (docs/figures/portal_<flavour>.png).

Every shipped card with the dipole channel (observed limits, solid), the projection cards'
expected medians (dotted), the regions computed by nuem.astro / nuem.cosmo and the catalogue's
digitised laboratory curves::

    python examples/portal/make_portal_figure.py e docs/figures/portal_e.png

The scans are cached ($NUEM_CACHE_DIR/scan); cold, the e flavour takes about a minute.
"""

from __future__ import annotations

import sys

from nuem.plot import plot_portal
from nuem.scan import scan
from nuem.scan.projected import projected_curves

PROJECTIONS = ("darwin", "jinping-solar")


def main(flavour: str, out: str, n_masses: int = 30) -> None:
    curves = scan(flavours=[flavour], n_masses=n_masses)
    projected = projected_curves(PROJECTIONS, [flavour], n_masses=20)
    fig, _ = plot_portal(flavour, curves, projections=projected)
    fig.savefig(out, bbox_inches="tight", dpi=150)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "e",
         sys.argv[2] if len(sys.argv) > 2 else "portal.png")  # fmt: skip
