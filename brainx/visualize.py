"""Raster and line plots and animations of recorded activity (matplotlib, imported when
first used)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["raster_plot", "line_plot", "get_figure", "animate_1D", "animate_2D"]


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


def _animation_frames(count: int, frame_step: int) -> range:
    if isinstance(frame_step, bool) or not isinstance(frame_step, int) or frame_step < 1:
        raise ValueError(f"frame_step must be a positive int, got {frame_step!r}")
    return range(0, count, frame_step)


def _play(fig: Any, draw: Any, frames: range, frame_delay: float, save_path: str | None,
          show: bool, gif_dpi: int | None, video_fps: int | None) -> Any:
    from matplotlib import animation

    anim = animation.FuncAnimation(fig, draw, frames=frames, interval=frame_delay,
                                   blit=False, repeat=False)
    if save_path:
        fps = video_fps or max(1, int(round(1000.0 / frame_delay)))
        if str(save_path).endswith(".gif"):
            anim.save(save_path, writer=animation.PillowWriter(fps=fps), dpi=gif_dpi)
        else:
            anim.save(save_path, fps=fps, dpi=gif_dpi)
    if show:  # pragma: no cover - needs a display
        import matplotlib.pyplot as plt

        plt.show()
    return anim


def animate_1D(dynamical_vars: Any, static_vars: Any = (), dt: float | None = None,  # noqa: N802
               xlim: Any = None, ylim: Any = None, xlabel: str | None = None,
               ylabel: str | None = None, frame_delay: float = 50.0, frame_step: int = 1,
               title_size: int = 10, figsize: Any = None, gif_dpi: int | None = None,
               video_fps: int | None = None, save_path: str | None = None,
               show: bool = True) -> Any:
    """Animate 1-D profiles over time (BrainPy's ``animate_1D``).

    ``dynamical_vars`` is an array ``(time, n)`` or a list of them, or of dicts
    ``{'ys': (time, n), 'xs': (n,), 'legend': str}``; ``static_vars`` are curves drawn
    in every frame. Frame ``k`` shows time step ``k * frame_step`` (titled with its time
    ``t = k * frame_step * dt`` ms). ``save_path`` ending in ``.gif`` is written with
    Pillow, other suffixes with matplotlib's default movie writer. Returns the
    ``matplotlib.animation.FuncAnimation``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> ys = np.sin(np.linspace(0, 3, 20))[None, :] * np.arange(5)[:, None]
    >>> anim = brainx.visualize.animate_1D(ys, frame_step=2, show=False)  # steps 0, 2, 4
    >>> type(anim).__name__
    'FuncAnimation'
    """
    from brainx import environ

    dt = environ.dt_value() if dt is None else float(dt)
    curves = dynamical_vars if isinstance(dynamical_vars, (list, tuple)) else [dynamical_vars]
    lines_data = []
    for k, item in enumerate(curves):
        item = item if isinstance(item, dict) else {"ys": item}
        ys = np.asarray(item["ys"])
        if ys.ndim != 2:
            raise ValueError(f"dynamical_vars[{k}]['ys'] must be (time, n), got shape {ys.shape}")
        xs = np.arange(ys.shape[1]) if item.get("xs") is None else np.asarray(item["xs"])
        lines_data.append((xs, ys, item.get("legend")))
    steps = {ys.shape[0] for _, ys, _ in lines_data}
    if len(steps) != 1:
        raise ValueError(f"dynamical_vars must have one number of time steps, got {sorted(steps)}")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    for item in static_vars:
        item = item if isinstance(item, dict) else {"ys": item}
        ys = np.asarray(item["ys"])
        xs = np.arange(len(ys)) if item.get("xs") is None else np.asarray(item["xs"])
        ax.plot(xs, ys, label=item.get("legend"))
    lines = [ax.plot(xs, ys[0], label=legend)[0] for xs, ys, legend in lines_data]
    every = np.concatenate([ys.ravel() for _, ys, _ in lines_data])
    ax.set_xlim(xlim if xlim is not None else (min(x.min() for x, _, _ in lines_data),
                                               max(x.max() for x, _, _ in lines_data)))
    ax.set_ylim(ylim if ylim is not None else (float(every.min()), float(every.max()) + 1e-12))
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if any(legend for _, _, legend in lines_data):
        ax.legend()

    def draw(step: int) -> list:
        for line, (_, ys, _) in zip(lines, lines_data, strict=True):
            line.set_ydata(ys[step])
        ax.set_title(f"t = {step * dt:.2f} ms", fontsize=title_size)
        return lines

    frames = _animation_frames(steps.pop(), frame_step)
    return _play(fig, draw, frames, frame_delay, save_path, show, gif_dpi, video_fps)


def animate_2D(values: Any, net_size: tuple[int, int], dt: float | None = None,  # noqa: N802
               val_min: float | None = None, val_max: float | None = None,
               cmap: str | None = None, frame_delay: float = 10.0, frame_step: int = 1,
               title_size: int = 10, figsize: Any = None, gif_dpi: int | None = None,
               video_fps: int | None = None, save_path: str | None = None,
               show: bool = True) -> Any:
    """Animate a 2-D population over time (BrainPy's ``animate_2D``): ``values`` is
    ``(time, height * width)``, shown as ``net_size = (height, width)`` images.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> anim = brainx.visualize.animate_2D(np.random.rand(4, 6), net_size=(2, 3), show=False)
    >>> type(anim).__name__
    'FuncAnimation'
    """
    from brainx import environ

    dt = environ.dt_value() if dt is None else float(dt)
    values = np.asarray(values)
    height, width = (int(s) for s in net_size)
    if values.ndim != 2 or values.shape[1] != height * width:
        raise ValueError(f"values must be (time, {height} x {width}), got shape {values.shape}")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    image = ax.imshow(values[0].reshape(height, width), cmap=cmap,
                      vmin=values.min() if val_min is None else val_min,
                      vmax=values.max() if val_max is None else val_max)
    fig.colorbar(image, ax=ax)

    def draw(step: int) -> list:
        image.set_data(values[step].reshape(height, width))
        ax.set_title(f"t = {step * dt:.2f} ms", fontsize=title_size)
        return [image]

    frames = _animation_frames(len(values), frame_step)
    return _play(fig, draw, frames, frame_delay, save_path, show, gif_dpi, video_fps)
