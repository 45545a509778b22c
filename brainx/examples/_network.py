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

    def summary(self) -> str:
        return (f"{self.model} backend={self.backend} neurons={self.size} "
                f"duration={self.duration_ms:g} ms rate E={self.rate_exc_hz:.2f} Hz "
                f"I={self.rate_inh_hz:.2f} Hz first_call={self.first_call_s:.3f} s "
                f"run={self.run_s:.3f} s")


def simulate_network(model: str, build: Callable[[int, int], Any], size: int, duration: float,
                     seed: int, backend: str | None, progress_bar: bool) -> NetworkResult:
    """Build the network twice: one run to compile and warm up, one timed run recorded."""
    if not duration > 0:
        raise ValueError(f"duration must be positive (ms), got {duration!r}")
    with brainx.use_backend(backend or brainx.get_backend()) as active:
        start = time.perf_counter()
        warm = build(size, seed)
        brainx.Runner(warm, monitors={"spike": warm.N.spike}).run(duration)
        first_call = time.perf_counter() - start
        net = build(size, seed)
        runner = brainx.Runner(net, monitors={"spike": net.N.spike}, progress_bar=progress_bar)
        start = time.perf_counter()
        spikes = runner.run(duration)["spike"]
        run_time = time.perf_counter() - start
    seconds = duration / 1000.0
    n_exc = net.num_exc
    return NetworkResult(model, active.name, size, duration, spikes,
                         float(spikes[:, :n_exc].sum()) / n_exc / seconds,
                         float(spikes[:, n_exc:].sum()) / (size - n_exc) / seconds,
                         first_call, run_time)
