"""Input sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import environ
from brainx.backend import get_backend
from brainx.modes import Mode
from brainx.nn._module import Dynamics

__all__ = ["PoissonSpike", "SpikeTimeGroup", "SpikeTime", "section_input", "constant_input",
           "ramp_input"]


def _check_rates(freqs: Any) -> None:
    """Rates must be finite, non-negative and give at most one spike per step."""
    if hasattr(freqs, "shape") and get_backend().is_tracer(freqs):
        return
    rates = np.asarray(freqs, dtype=float)
    dt = environ.dt_value()
    if not np.all(np.isfinite(rates)) or np.any(rates < 0):
        raise ValueError(f"freqs must be finite, non-negative rates (Hz), got "
                         f"{rates.min() if rates.size else rates}")
    if rates.size and rates.max() * dt / 1000.0 > 1.0:
        raise ValueError(f"freqs must be at most 1000 / dt = {1000.0 / dt:g} Hz (one spike per "
                         f"step of {dt} ms), got {rates.max():g}")


class PoissonSpike(Dynamics):
    """Independent Poisson spike trains at ``freqs`` Hz, one per neuron.

    Each step a neuron spikes with probability ``freqs * dt / 1000`` (``dt`` in ms;
    ``freqs`` may be a State, read every step, for rates that change), drawn from the
    source's own ``brainx.random.RandomState``, so the trains are
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
        if not isinstance(freqs, brainx.State):
            _check_rates(freqs)
        self.freqs = freqs
        self.rng = brainx.random.RandomState(seed)
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.spike = brainx.ShortTermState(bm.zeros(self.state_shape(batch_size), dtype=bool),
                                           name="spike")

    def update(self) -> Any:
        freqs = self.freqs.value if isinstance(self.freqs, brainx.State) else self.freqs
        p = bm.clip(bm.asarray(freqs, dtype=environ.dftype()) * (environ.dt_value() / 1000.0),
                    0.0, 1.0)
        self.spike.value = self.rng.random(self.spike.value.shape) < p
        return self.spike.value


def _steps(duration: float, dt: float | None) -> tuple[int, float]:
    dt = environ.dt_value() if dt is None else dt
    if not dt > 0:
        raise ValueError(f"dt must be positive (ms), got {dt!r}")
    if not duration >= 0:
        raise ValueError(f"durations must be non-negative (ms), got {duration!r}")
    return int(round(duration / dt)), dt


def section_input(values: Sequence[Any], durations: Sequence[float],
                  dt: float | None = None) -> np.ndarray:
    """A current made of sections: ``values[k]`` for ``durations[k]`` ms each.

    Returns a host NumPy array with one row per time step (feed it to a loop or a
    Runner step by step). The sections are broadcast to one shape, so a number next
    to an array fills the array's shape.

    Examples
    --------
    >>> import brainx
    >>> brainx.nn.section_input([0.0, 1.0], [0.2, 0.3]).tolist()
    [0.0, 0.0, 1.0, 1.0, 1.0]
    """
    if len(values) != len(durations):
        raise ValueError(f"values and durations must have the same length, got "
                         f"{len(values)} and {len(durations)}")
    arrays = [np.asarray(value, dtype=environ.dftype()) for value in values]
    shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
    parts = []
    for value, duration in zip(arrays, durations, strict=True):
        n, _ = _steps(duration, dt)
        parts.append(np.broadcast_to(value, (n,) + shape))  # a scalar section fills the shape
    return np.concatenate(parts) if parts else np.zeros(0, dtype=environ.dftype())


def constant_input(value: Any, duration: float, dt: float | None = None) -> np.ndarray:
    """``value`` for ``duration`` ms, one row per step.

    Examples
    --------
    >>> import brainx
    >>> brainx.nn.constant_input(2.0, 0.3).tolist()
    [2.0, 2.0, 2.0]
    """
    return section_input([value], [duration], dt)


def ramp_input(c_start: float, c_end: float, duration: float, t_start: float = 0.0,
               t_end: float | None = None, dt: float | None = None) -> np.ndarray:
    """A current rising linearly from ``c_start`` at ``t_start`` to ``c_end`` at ``t_end``.

    Zero before ``t_start`` and after ``t_end`` (default: the end).

    Examples
    --------
    >>> import brainx
    >>> [round(v, 2) for v in brainx.nn.ramp_input(0.0, 1.0, 0.5, dt=0.1).tolist()]
    [0.0, 0.2, 0.4, 0.6, 0.8]
    """
    n, dt_ = _steps(duration, dt)
    t_end = duration if t_end is None else t_end
    if not 0 <= t_start <= t_end <= duration:
        raise ValueError(f"need 0 <= t_start <= t_end <= duration, got t_start={t_start}, "
                         f"t_end={t_end}, duration={duration}")
    t = np.arange(n) * dt_
    ramp = c_start + (c_end - c_start) * (t - t_start) / max(t_end - t_start, dt_)
    return np.where((t >= t_start) & (t < t_end), ramp, 0.0).astype(environ.dftype())


class SpikeTimeGroup(Dynamics):
    """Neurons that spike exactly when told: neuron ``indices[k]`` at ``times[k]`` ms.

    A spike at time ``T`` is emitted at the step whose time ``t`` satisfies
    ``T - dt/2 < t <= T + dt/2``. Needs the time ``brainx.environ.get('t')`` (set by
    ``brainx.Runner``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     group = brainx.nn.SpikeTimeGroup(3, indices=[0, 2], times=[0.2, 0.2])
    ...     with brainx.environ.context(t=0.2):
    ...         group().tolist()
    [True, False, True]
    """

    def __init__(self, size: Any, indices: Sequence[int], times: Sequence[float],
                 name: str | None = None, mode: Mode | None = None):
        super().__init__(size, name=name, mode=mode)
        idx = np.asarray(indices, dtype=np.int64)
        t = np.asarray(times, dtype=np.float64)
        if idx.shape != t.shape or idx.ndim != 1:
            raise ValueError(f"indices and times must be 1-D and of the same length, got "
                             f"shapes {idx.shape} and {t.shape}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.num):
            raise ValueError(f"indices must lie in [0, {self.num}), got {idx.min()}..{idx.max()}")
        self.indices, self.times = idx, t
        self.init_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.spike = brainx.ShortTermState(bm.zeros(self.state_shape(batch_size), dtype=bool),
                                           name="spike")

    def update(self) -> Any:
        t = environ.get("t", default=None)
        if t is None:
            raise RuntimeError("SpikeTimeGroup needs the current time: run it with "
                               "brainx.Runner, or set it with brainx.environ.context(t=...)")
        half = 0.5 * environ.dt_value()
        now = (self.times > t - half) & (self.times <= t + half)
        fired = bm.index_max(bm.zeros(self.num, dtype=bool), self.indices, now)
        self.spike.value = fired.reshape(self.size)
        return self.spike.value


class SpikeTime(Dynamics):
    """brainstate's ``SpikeTime``: neuron ``indices[k]`` spikes at the first step with
    ``t >= times[k]``.

    Each listed spike is emitted once, in the first step whose time
    ``brainx.environ.get('t')`` has reached it (so a spike between two steps comes at
    the later one). The listed times are sorted first unless ``need_sort=False``
    (then they must be given in increasing order). (brainstate 0.1 starts its counter
    at -1, so that it emits nothing before the last listed time; brainx emits each
    spike at its time.) For spikes centred on the step nearest to each time, see
    :class:`SpikeTimeGroup`.

    Parameters
    ----------
    in_size : int or tuple of int
        The population's shape; ``indices`` index its flattened neurons.
    indices, times : sequences of the same length
        Who spikes, and when (ms).
    spk_type : dtype
        The dtype of the spikes (bool by default).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=1.0):
    ...     source = brainx.nn.SpikeTime(3, indices=[0, 2, 1], times=[1.0, 1.5, 1.0])
    ...     out = []
    ...     for k in range(4):
    ...         with brainx.environ.context(t=float(k)):
    ...             out.append(source().tolist())
    >>> out
    [[False, False, False], [True, True, False], [False, False, True], [False, False, False]]
    """

    def __init__(self, in_size: Any, indices: Sequence[int], times: Sequence[float],
                 spk_type: Any = bool, name: str | None = None, need_sort: bool = True,
                 mode: Mode | None = None):
        super().__init__(in_size, name=name, mode=mode)
        idx = np.asarray(indices, dtype=np.int64)
        t = np.asarray(times, dtype=np.float64)
        if idx.shape != t.shape or idx.ndim != 1:
            raise ValueError(f"indices and times must be 1-D and of the same length, got "
                             f"{len(indices)} indices and {len(times)} times")
        if idx.size and (idx.min() < 0 or idx.max() >= self.num):
            raise ValueError(f"indices must lie in [0, {self.num}), got {idx.min()}..{idx.max()}")
        if need_sort:
            order = np.argsort(t, kind="stable")
            idx, t = idx[order], t[order]
        elif np.any(np.diff(t) < 0):
            raise ValueError("times must be increasing when need_sort=False")
        self.indices, self.times, self.num_times = idx, t, int(t.size)
        self.spk_type = spk_type
        self.init_state()

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        self.i = brainx.ShortTermState(bm.zeros((), dtype=environ.ditype()), name="i")

    def reset_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        self.i.value = bm.zeros((), dtype=environ.ditype())

    def update(self) -> Any:
        t = environ.get("t", default=None)
        if t is None:
            raise RuntimeError("SpikeTime needs the current time: set it with "
                               "brainx.environ.context(t=...)")
        reached = bm.sum(bm.asarray(self.times) <= t).astype(self.i.value.dtype)
        k = bm.arange(self.num_times)
        now = (k >= self.i.value) & (k < reached)
        fired = bm.index_max(bm.zeros(self.num, dtype=bool), self.indices, now)
        self.i.value = bm.maximum(self.i.value, reached).astype(self.i.value.dtype)
        return bm.asarray(fired.reshape(self.size), dtype=self.spk_type)
