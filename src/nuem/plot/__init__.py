"""Figures (layer 6). Every function returns ``(fig, ax)`` and never calls ``pyplot.show``."""

from nuem.plot.spectrum import plot_spectrum

__all__ = ["plot_spectrum"]
