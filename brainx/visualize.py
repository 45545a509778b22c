"""Raster and line plots and animations of recorded activity (matplotlib, imported when
first used)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["raster_plot", "network_raster", "line_plot", "get_figure", "animate_1D",
           "animate_2D"]


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


def _group_indices(groups: Mapping[str, Any] | None, n: int) -> dict[str, np.ndarray]:
    if groups is None:
        return {"neurons": np.arange(n)}
    if not isinstance(groups, Mapping) or not groups:
        raise TypeError(f"groups must map names to neuron indices or slices, got {groups!r}")
    out = {}
    for name, where in groups.items():
        indices = np.arange(n)[where] if isinstance(where, slice) else np.asarray(where)
        if indices.dtype.kind not in "iu" or indices.ndim != 1:
            raise TypeError(f"groups[{name!r}] must be a slice or 1-D integer indices, got "
                            f"{where!r}")
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            raise ValueError(f"groups[{name!r}] has indices outside [0, {n})")
        out[str(name)] = indices
    return out


def _subset(indices: np.ndarray, count: int) -> np.ndarray:
    """``count`` of ``indices``, evenly spaced (all of them if there are fewer)."""
    if count >= indices.size:
        return indices
    return indices[np.linspace(0, indices.size - 1, count).round().astype(int)]


def network_raster(ts: Any, spikes: Any, groups: Mapping[str, Any] | None = None,
                   neurons: int | None = 500, window: Sequence[float] | None = None,
                   rate_bin: float = 1.0, title: str | None = None, save: str | None = None,
                   show: bool = False) -> Any:
    """A raster that stays readable for a large network, with a population-rate panel.

    Parameters
    ----------
    ts, spikes : array
        The times (ms) and the ``(time, neuron)`` spike raster, as a Runner records them.
    groups : dict, optional
        ``{'E': slice(0, 3200), 'I': slice(3200, 4000)}``: populations, each drawn in its
        own colour and with its own rate curve. Default: one group of every neuron.
    neurons : int or None
        At most this many neurons drawn, shared among the groups in proportion to their
        sizes and evenly spaced within each (None: all). The rates use every neuron.
    window : (start, stop), optional
        The time window shown, in ms. Default: the whole run.
    rate_bin : float
        Width in ms of the bins of the rate panel.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the time axis: the raster, and each group's rate in Hz.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> rng = np.random.default_rng(0)
    >>> spikes = rng.random((1000, 4000)) < 0.002          # 20 Hz at dt = 0.1 ms
    >>> fig = brainx.visualize.network_raster(
    ...     np.arange(1000) * 0.1, spikes, groups={'E': slice(0, 3200), 'I': slice(3200, None)},
    ...     neurons=400, window=(20.0, 80.0))
    >>> raster, rates = fig.axes
    >>> [line.get_label() for line in raster.lines], len(rates.lines)
    (['E', 'I'], 2)
    """
    ts, spikes = np.asarray(ts), np.asarray(spikes)
    if spikes.ndim != 2 or spikes.shape[0] != ts.shape[0]:
        raise ValueError(f"spikes must be (time, neuron) with {ts.shape[0]} time steps, got "
                         f"shape {spikes.shape}")
    if neurons is not None and (isinstance(neurons, bool) or not isinstance(neurons, int)
                                or neurons < 1):
        raise ValueError(f"neurons must be a positive int or None, got {neurons!r}")
    if not rate_bin > 0:
        raise ValueError(f"rate_bin must be a positive number of ms, got {rate_bin!r}")
    found = _group_indices(groups, spikes.shape[1])
    start, stop = (ts[0], ts[-1]) if window is None and ts.size else \
        (window if window is not None else (0.0, 1.0))
    if not start < stop and ts.size:
        raise ValueError(f"window must be (start, stop) with start < stop, got {window!r}")
    shown = (ts >= start) & (ts <= stop)
    total = sum(ix.size for ix in found.values()) or 1
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plotting needs matplotlib: pip install 'brainx[plot]'") from None
    fig, (raster, rates) = plt.subplots(2, 1, figsize=(9, 6), sharex=True,
                                        gridspec_kw={"height_ratios": [3, 1]})
    dt = float(ts[1] - ts[0]) if ts.size > 1 else 1.0
    edges = np.arange(start, stop + rate_bin, rate_bin)
    offset = 0
    drawn_spikes = sum(int(spikes[shown][:, ix].sum()) for ix in found.values())
    budget = neurons if neurons is not None else total
    markersize = float(np.clip(3000.0 / max(drawn_spikes * budget / total, 1.0) ** 0.5, 0.5, 3))
    for color, (name, indices) in zip(_COLORS * (len(found) // len(_COLORS) + 1),
                                      found.items(), strict=False):
        count = indices.size if neurons is None else max(1, round(neurons * indices.size / total))
        chosen = _subset(indices, count)
        steps, rows = np.nonzero(spikes[shown][:, chosen])
        raster.plot(ts[shown][steps], rows + offset, ".", markersize=markersize, color=color,
                    label=name, linestyle="none")
        offset += chosen.size
        counts, _ = np.histogram(ts[shown][np.nonzero(spikes[shown][:, indices])[0]], edges)
        per_bin = max(indices.size, 1) * rate_bin / dt
        rates.plot(edges[:-1] + rate_bin / 2, counts / per_bin * 1000.0 / dt, color=color,
                   label=name)
    raster.set_ylabel(f"neuron ({offset} of {total} shown)")
    raster.set_ylim(-0.5, max(offset, 1) - 0.5)
    if len(found) > 1:
        raster.legend(loc="upper right", markerscale=4, frameon=True)
    rates.set_ylabel("rate (Hz)")
    rates.set_xlabel("time (ms)")
    rates.set_xlim(start, stop)
    if title:
        raster.set_title(title)
    if save:
        fig.savefig(save, dpi=120, bbox_inches="tight")
    if show:  # pragma: no cover - needs a display
        plt.show()
    return fig


_COLORS = ["tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown"]


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
