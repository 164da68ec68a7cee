"""Figures (layer 6). Every function returns ``(fig, ax)``, never calls ``pyplot.show``, and
draws its figure through :func:`nuem.plot.style.new_figure`: registered with pyplot when pyplot
is in use (so ``plt.show()`` shows it), a bare Figure otherwise."""

from nuem.plot.leptoquark import plot_leptoquark_scan
from nuem.plot.portal import PortalBand, plot_portal
from nuem.plot.region import plot_region
from nuem.plot.spectrum import plot_spectrum

__all__ = ["PortalBand", "plot_leptoquark_scan", "plot_portal", "plot_region", "plot_spectrum"]
