"""``bp.visualize``: brainx.visualize's plots and BrainPy's ``get_figure``."""

from __future__ import annotations

from brainx.visualize import get_figure, line_plot, raster_plot

__all__ = ["raster_plot", "line_plot", "get_figure"]
