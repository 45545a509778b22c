"""``bp.measure``: analyses of recorded activity (NumPy on the runner's monitors).

Examples
--------
>>> import numpy as np
>>> import brainx.compat.brainpy as bp
>>> spikes = np.zeros((100, 10), dtype=bool)
>>> spikes[::10, :] = True                    # every neuron every 1 ms at dt = 0.1
>>> round(float(bp.measure.firing_rate(spikes, width=5.0, dt=0.1)[50]), 1)
1000.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brainx import environ

__all__ = ["firing_rate"]


def firing_rate(spikes: Any, width: float, dt: float | None = None, numpy: bool = True) -> Any:
    """The population rate in Hz of ``spikes`` ``(time, neurons)``, averaged over a
    window of ``width`` ms centred on each step (BrainPy's ``measure.firing_rate``)."""
    dt = environ.dt_value() if dt is None else float(dt)
    if not width > 0:
        raise ValueError(f"width must be positive (ms), got {width!r}")
    counts = np.asarray(spikes, dtype=float)
    if counts.ndim != 2:
        raise ValueError(f"spikes must be (time, neurons), got shape {counts.shape}")
    steps = int(width / 2 / dt) * 2 + 1  # BrainPy's window: an odd number of steps,
    window = np.ones(steps) * 1000.0 / width  # normalised by the width asked for
    return np.convolve(counts.mean(axis=1), window, mode="same")
