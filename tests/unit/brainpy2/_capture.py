"""What a BrainPy program shows its user, recorded instead of drawn.

Shared by the tests (with ``brainx.compat.brainpy``) and by ``measure_brainpy.py`` (with
BrainPy itself), so both sides compute the same numbers from the same plotting calls:

- ``raster_plot(ts, spikes)``: the firing rate in Hz, total spikes / (neurons x duration);
- ``line_plot(ts, values)``: the mean and the standard deviation of the values;
- ``animate_1D`` / ``animate_2D``: the last frame's maximum and its index, and the mean
  over all frames, per animated variable.

Only NumPy is used here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def install(visualize: Any, setattr_: Callable[[Any, str, Any], None]) -> dict[str, list]:
    """Replace the plotting functions of ``visualize`` (``bp.visualize``) by recorders."""
    records: dict[str, list] = {"raster": [], "line": [], "animation": []}

    def raster(ts: Any, spikes: Any, *args: Any, **kwargs: Any) -> None:
        records["raster"].append((np.asarray(ts), np.asarray(spikes)))

    def line(ts: Any, values: Any, *args: Any, **kwargs: Any) -> None:
        records["line"].append(np.asarray(values, dtype=float))

    def animate_1d(dynamical_vars: Any = None, *args: Any, **kwargs: Any) -> None:
        items = dynamical_vars if isinstance(dynamical_vars, (list, tuple)) else [dynamical_vars]
        for item in items:
            item = item if isinstance(item, dict) else {"ys": item}
            records["animation"].append((item.get("legend"), np.asarray(item["ys"])))

    def animate_2d(values: Any = None, *args: Any, **kwargs: Any) -> None:
        records["animation"].append((None, np.asarray(values)))

    setattr_(visualize, "raster_plot", raster)
    setattr_(visualize, "line_plot", line)
    setattr_(visualize, "animate_1D", animate_1d)
    setattr_(visualize, "animate_2D", animate_2d)
    return records


def metrics(records: dict[str, list]) -> dict[str, list]:
    """The numbers of the recorded plots (see the module docstring)."""
    rates = []
    for ts, spikes in records["raster"]:
        duration = len(ts) * float(ts[1] - ts[0]) / 1000.0
        rates.append(float(spikes.sum()) / spikes.shape[-1] / duration)
    lines = [[float(v.mean()), float(v.std())] for v in records["line"]]
    animations = [[legend, float(frames[-1].max()), int(frames[-1].argmax()), float(frames.mean())]
                  for legend, frames in records["animation"]]
    return {"rates": rates, "lines": lines, "animations": animations}
