"""``bp.visualize``: brainx.visualize's plots and BrainPy's ``get_figure``."""

from __future__ import annotations

from brainx.visualize import animate_1D, animate_2D, get_figure, line_plot, raster_plot

__all__ = ["raster_plot", "line_plot", "get_figure", "animate_1D", "animate_2D"]
