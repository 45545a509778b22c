"""A population of leaky integrate-and-fire neurons driven by Poisson input.

Written with nothing but States, ``brainx.math``, ``brainx.random`` and
``brainx.compile``, so it runs unchanged on every backend.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

import brainx
import brainx.math as bm

__all__ = ["LIFPopulation", "SimulationResult", "simulate"]


class LIFPopulation(brainx.graph.Node):
    """``size`` independent LIF neurons, each receiving Poisson input spikes.

    Parameters
    ----------
    size : int
        Number of neurons.
    tau : float
        Membrane time constant (ms).
    v_rest, v_threshold, v_reset : float
        Resting, threshold and reset potentials (mV).
    input_rate : float
        Total rate of Poisson input spikes to each neuron (Hz).
    input_weight : float
        Depolarisation caused by one input spike (mV).
    seed : int
        Seed of the population's own random generator.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     pop = LIFPopulation(size=10, seed=1)
    ...     pop.update()
    >>> pop.V.value.shape
    (10,)
    """

    def __init__(self, size: int = 4000, tau: float = 10.0, v_rest: float = -65.0,
                 v_threshold: float = -50.0, v_reset: float = -65.0,
                 input_rate: float = 2000.0, input_weight: float = 0.9, seed: int = 0):
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError(f"size must be a positive int, got {size!r}")
        if not tau > 0:
            raise ValueError(f"tau must be positive (ms), got {tau!r}")
        if not v_threshold > v_reset:
            raise ValueError(f"v_threshold ({v_threshold}) must be above v_reset ({v_reset})")
        if input_rate < 0:
            raise ValueError(f"input_rate must be >= 0 (Hz), got {input_rate!r}")
        self.size, self.tau = size, tau
        self.v_rest, self.v_threshold, self.v_reset = v_rest, v_threshold, v_reset
        self.input_rate, self.input_weight = input_rate, input_weight
        self.V = brainx.ShortTermState(bm.full(size, v_rest, dtype=brainx.environ.dftype()),
                                       name="V")
        self.spike = brainx.ShortTermState(bm.zeros(size, dtype=bool), name="spike")
        self.rng = brainx.random.RandomState(seed)

    def update(self) -> None:
        """Advance one time step of ``brainx.environ.dt_value()`` ms."""
        dt = brainx.environ.dt_value()
        decay = math.exp(-dt / self.tau)  # folded on the host: the same constant everywhere
        arrivals = self.rng.poisson(self.input_rate * dt * 1e-3, self.size)
        v = self.v_rest + (self.V.value - self.v_rest) * decay + self.input_weight * arrivals
        spike = v >= self.v_threshold
        self.V.value = bm.where(spike, self.v_reset, v).astype(self.V.value.dtype)
        self.spike.value = spike


@dataclass
class SimulationResult:
    """What :func:`simulate` measured: ``spike_counts`` (spikes per step) and ``spikes``, the
    raster (steps x neurons, bool; ``brainx run lif --plot`` draws it)."""

    backend: str
    size: int
    duration_ms: float
    spike_counts: np.ndarray
    mean_rate_hz: float
    first_call_s: float
    run_s: float
    spikes: np.ndarray | None = None

    def summary(self) -> str:
        return (f"backend={self.backend} neurons={self.size} duration={self.duration_ms:g} ms "
                f"spikes={int(self.spike_counts.sum())} rate={self.mean_rate_hz:.2f} Hz "
                f"first_call={self.first_call_s:.3f} s run={self.run_s:.3f} s")


def simulate(size: int = 4000, duration: float = 1000.0, seed: int = 0,
             backend: str | None = None, progress_bar: bool = False) -> SimulationResult:
    """Run :class:`LIFPopulation` for ``duration`` ms; time it twice (compile, then run);
    record the spike raster.

    Examples
    --------
    >>> result = simulate(size=50, duration=20.0, backend='numba')
    >>> result.spike_counts.shape, result.spikes.shape
    ((200,), (200, 50))
    """
    if not duration > 0:
        raise ValueError(f"duration must be positive (ms), got {duration!r}")
    with brainx.use_backend(backend or brainx.get_backend()) as active:
        steps = int(round(duration / brainx.environ.dt_value()))
        population = LIFPopulation(size, seed=seed)

        def run(indices):
            def step(i):
                population.update()
                return population.spike.value
            return brainx.compile.for_loop(step, indices, progress_bar=progress_bar)

        if not progress_bar:  # a loop outside jit still compiles, and can draw its bar
            run = brainx.compile.jit(run)

        indices = bm.arange(steps)
        start = time.perf_counter()
        np.asarray(run(indices))
        first_call = time.perf_counter() - start
        population.rng.seed(seed)
        population.V.value = bm.full(size, population.v_rest, dtype=population.V.value.dtype)
        start = time.perf_counter()
        spikes = np.asarray(run(indices))
        run_time = time.perf_counter() - start
    counts = spikes.sum(axis=1)
    rate = float(counts.sum()) / size / (duration * 1e-3)
    return SimulationResult(active.name, size, duration, counts, rate, first_call, run_time,
                            spikes)
