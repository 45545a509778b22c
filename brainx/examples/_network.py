"""Running an E/I network example and reporting its rates and timings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import brainx

__all__ = ["NetworkResult", "simulate_network", "check_size"]


def check_size(size: object) -> int:
    """The network size, refused unless it is an int of at least 100 neurons."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 100:
        raise ValueError(f"size must be an int >= 100, got {size!r}")
    return size


@dataclass
class NetworkResult:
    """Rates and timings of an E/I network run."""

    model: str
    backend: str
    size: int
    duration_ms: float
    spikes: np.ndarray
    rate_exc_hz: float
    rate_inh_hz: float
    first_call_s: float
    run_s: float
    interrupted_of_ms: float | None = None  # Ctrl-C stopped the run: the duration asked for
    num_exc: int | None = None  # neurons 0 .. num_exc - 1 are excitatory

    @property
    def groups(self) -> dict[str, slice]:
        """The populations of the raster's columns, for ``visualize.network_raster``."""
        if self.num_exc is None:
            return {"neurons": slice(None)}
        return {"E": slice(0, self.num_exc), "I": slice(self.num_exc, None)}

    def summary(self) -> str:
        stopped = (f" (interrupted: the rates are of the first {self.duration_ms:g} of "
                   f"{self.interrupted_of_ms:g} ms)" if self.interrupted_of_ms else "")
        return (f"{self.model} backend={self.backend} neurons={self.size} "
                f"duration={self.duration_ms:g} ms rate E={self.rate_exc_hz:.2f} Hz "
                f"I={self.rate_inh_hz:.2f} Hz first_call={self.first_call_s:.3f} s "
                f"run={self.run_s:.3f} s{stopped}")


def simulate_network(model: str, build: Callable[[int, int], Any], size: int, duration: float,
                     seed: int, backend: str | None, progress_bar: bool) -> NetworkResult:
    """Build the network twice: one run of a chunk of steps to compile and warm up, then the
    timed run recorded. Ctrl-C stops either run with the rates of the part that ran."""
    if not duration > 0:
        raise ValueError(f"duration must be positive (ms), got {duration!r}")
    with brainx.use_backend(backend or brainx.get_backend()) as active:
        start = time.perf_counter()
        warm = build(size, seed)
        warm_up = brainx.Runner(warm, monitors={"spike": warm.N.spike})
        chunk = warm_up.chunk_steps * brainx.environ.dt_value()
        try:
            warm_up.run(min(duration, chunk))
        except brainx.RunInterrupted as stop:
            return _result(model, active.name, warm, stop.results, duration,
                           time.perf_counter() - start, 0.0)
        first_call = time.perf_counter() - start
        net = build(size, seed)
        runner = brainx.Runner(net, monitors={"spike": net.N.spike}, progress_bar=progress_bar)
        start = time.perf_counter()
        try:
            recorded = runner.run(duration)
        except brainx.RunInterrupted as stop:
            recorded = stop.results
    return _result(model, active.name, net, recorded, duration, first_call,
                   time.perf_counter() - start)


def _result(model: str, backend: str, net: Any, recorded: dict, duration: float,
            first_call: float, run_time: float) -> NetworkResult:
    n_exc, size = net.num_exc, net.N.num
    spikes = recorded["spike"] if recorded["spike"].ndim == 2 else np.zeros((0, size), bool)
    ran = len(recorded["ts"]) * brainx.environ.dt_value()
    seconds = max(ran, 1e-300) / 1000.0
    return NetworkResult(model, backend, size, ran, spikes,
                         float(spikes[:, :n_exc].sum()) / n_exc / seconds,
                         float(spikes[:, n_exc:].sum()) / (size - n_exc) / seconds,
                         first_call, run_time,
                         None if np.isclose(ran, duration) else duration, n_exc)
