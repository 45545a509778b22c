"""Raster and line plots of recorded activity (matplotlib, imported when first used)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["raster_plot", "line_plot", "get_figure"]


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plotting needs matplotlib: pip install 'brainx[plot]'") from None
    return plt.figure(figsize=(8, 4)).gca()


def _finish(ax: Any, xlim: Any, ylabel: str | None, xlabel: str | None, title: str | None,
            save: str | None, show: bool) -> Any:
    if xlim is not None:
        ax.set_xlim(*xlim)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if save:
        ax.figure.savefig(save, dpi=120, bbox_inches="tight")
    if show:  # pragma: no cover - needs a display
        import matplotlib.pyplot as plt

        plt.show()
    return ax


def raster_plot(ts: Any, spikes: Any, ax: Any = None, markersize: float = 1.0,
                color: str = "k", xlim: Sequence[float] | None = None,
                ylabel: str | None = "neuron index", xlabel: str | None = "time (ms)",
                title: str | None = None, save: str | None = None, show: bool = False) -> Any:
    """Dots at (time, neuron) for every spike of a ``(time, neuron)`` raster.

    Returns the matplotlib Axes.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> spikes = np.zeros((100, 5), dtype=bool)
    >>> spikes[::10, 2] = True
    >>> ax = brainx.visualize.raster_plot(np.arange(100) * 0.1, spikes)
    >>> len(ax.lines[0].get_xdata())
    10
    """
    ts, spikes = np.asarray(ts), np.asarray(spikes)
    if spikes.ndim != 2 or spikes.shape[0] != ts.shape[0]:
        raise ValueError(f"spikes must be (time, neuron) with {ts.shape[0]} time steps, got "
                         f"shape {spikes.shape}")
    steps, neurons = np.nonzero(spikes)
    ax = _axes(ax)
    ax.plot(ts[steps], neurons, ".", markersize=markersize, color=color)
    return _finish(ax, xlim, ylabel, xlabel, title, save, show)


def line_plot(ts: Any, values: Any, plot_ids: Sequence[int] | None = None, ax: Any = None,
              xlim: Sequence[float] | None = None, ylabel: str | None = None,
              xlabel: str | None = "time (ms)", title: str | None = None,
              legend: str | None = None, save: str | None = None, show: bool = False) -> Any:
    """Lines of ``values`` (time, neuron) against ``ts`` for the neurons ``plot_ids``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> ax = brainx.visualize.line_plot(np.arange(10.0), np.ones((10, 3)), plot_ids=[0, 2])
    >>> len(ax.lines)
    2
    """
    ts, values = np.asarray(ts), np.asarray(values)
    values = values.reshape(values.shape[0], -1)
    if values.shape[0] != ts.shape[0]:
        raise ValueError(f"values must have {ts.shape[0]} time steps, got {values.shape[0]}")
    ids = list(plot_ids) if plot_ids is not None else [0]
    ax = _axes(ax)
    for i in ids:
        ax.plot(ts, values[:, i], label=f"{legend}-{i}" if legend else None)
    if legend:
        ax.legend()
    return _finish(ax, xlim, ylabel, xlabel, title, save, show)


def get_figure(row_num: int, col_num: int, row_len: float = 3.0, col_len: float = 6.0) -> Any:
    """A figure of ``row_num`` x ``col_num`` panels, each ``col_len`` wide and ``row_len``
    high (inches), and its ``GridSpec``: ``fig.add_subplot(gs[i, j])`` makes a panel.

    Examples
    --------
    >>> import brainx
    >>> fig, gs = brainx.visualize.get_figure(2, 1, row_len=1, col_len=4)
    >>> ax = fig.add_subplot(gs[1, 0])
    >>> [float(x) for x in fig.get_size_inches()]
    [4.0, 2.0]
    """
    for name, value in (("row_num", row_num), ("col_num", col_num)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    try:
        import matplotlib.pyplot as plt
        from matplotlib.gridspec import GridSpec
    except ImportError:
        raise ImportError("plotting needs matplotlib: pip install 'brainx[plot]'") from None
    fig = plt.figure(figsize=(col_num * col_len, row_num * row_len))
    return fig, GridSpec(row_num, col_num, figure=fig)
