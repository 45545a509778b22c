"""Input sources."""

from __future__ import annotations

from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx.modes import Mode
from brainx.nn._module import Dynamics

__all__ = ["PoissonSpike"]


class PoissonSpike(Dynamics):
    """Independent Poisson spike trains at ``freqs`` Hz, one per neuron.

    Each step a neuron spikes with probability ``freqs * dt / 1000`` (``dt`` in ms),
    drawn from the source's own ``brainx.random.RandomState``, so the trains are
    identical on every backend.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     source = brainx.nn.PoissonSpike(1000, freqs=100.0, seed=0)
    ...     spikes = [source().mean() for _ in range(100)]
    >>> bool(abs(sum(spikes) / 100 - 0.01) < 0.002)      # 100 Hz x 0.1 ms
    True
    """

    def __init__(self, size: Any, freqs: Any, seed: int | None = None, name: str | None = None,
                 mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        self.freqs = freqs
        self.rng = brainx.random.RandomState(seed)
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.spike = brainx.ShortTermState(bm.zeros(self.state_shape(batch_size), dtype=bool),
                                           name="spike")

    def update(self) -> Any:
        p = bm.clip(bm.asarray(self.freqs, dtype=environ.dftype()) * (environ.get_dt() / 1000.0),
                    0.0, 1.0)
        self.spike.value = self.rng.random(self.spike.value.shape) < p
        return self.spike.value
