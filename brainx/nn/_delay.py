"""Transmission delays as ring buffers of time steps."""

from __future__ import annotations

import numbers
from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx.modes import Mode
from brainx.nn._module import Dynamics

__all__ = ["Delay"]


class Delay(Dynamics):
    """Hands back what it was given ``delay`` ms ago: a ring buffer of ``delay / dt`` steps.

    ``update(x)`` stores ``x`` and returns the value stored ``round(delay / dt)`` steps
    earlier (zeros at the start). A delay of 0 returns ``x`` itself.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=1.0):
    ...     delay = brainx.nn.Delay(2, delay=2.0, dtype=float)
    ...     [delay(brainx.math.full(2, float(k))).tolist() for k in range(4)]
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]
    """

    def __init__(self, size: Any, delay: float, dtype: Any = bool, name: str | None = None,
                 mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        if isinstance(delay, bool) or not isinstance(delay, numbers.Real) or delay < 0:
            raise ValueError(f"delay must be a non-negative number (ms), got {delay!r}")
        self.delay = float(delay)
        self.steps = int(round(self.delay / environ.dt_value()))
        self.dtype = dtype
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        shape = (self.steps + 1,) + self.state_shape(batch_size)
        dtype = self.dtype if self.dtype is bool else environ.dftype()
        self.buffer = brainx.ShortTermState(bm.zeros(shape, dtype=dtype), name="buffer")
        self.index = brainx.ShortTermState(bm.zeros((), dtype=environ.ditype()), name="index")

    def update(self, x: Any) -> Any:
        if self.steps == 0:
            return x
        i = self.index.value
        buffer = bm.index_update(self.buffer.value, i, bm.asarray(x, dtype=self.buffer.value.dtype))
        self.buffer.value = buffer
        self.index.value = ((i + 1) % (self.steps + 1)).astype(self.index.value.dtype)
        return buffer[(i + 1) % (self.steps + 1)]
