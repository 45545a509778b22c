"""Monitors for :class:`brainx.Runner` beyond a State's value: population rates.

Examples
--------
>>> import brainx
>>> with brainx.use_backend('numba'):
...     neurons = brainx.nn.LIF(100)
...     runner = brainx.Runner(neurons, monitors={
...         'rate': brainx.monitors.population_rate(neurons.spike)})
...     out = runner.run(50.0, 30.0)
>>> out['rate'].shape, bool(out['rate'].max() > 0)
((500,), True)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import brainx.math as bm
from brainx import environ
from brainx.state import State

__all__ = ["population_rate"]


def population_rate(spikes: State | Callable[[], Any]) -> Callable[[], Any]:
    """A monitor of a population's instantaneous rate in Hz, as Brian2's
    ``PopulationRateMonitor``: the fraction of neurons spiking in the step divided by
    ``dt``.

    Parameters
    ----------
    spikes : State or callable
        The population's spike State (``neurons.spike``), or a function returning its
        spikes (booleans, or 0/1 values).

    Returns
    -------
    callable
        A function of no arguments giving the rate, for ``Runner(monitors={...})``.
        It counts the spikes (an integer sum, which compiles on every backend) and
        scales the count by ``1000 / (dt * n)``.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> spikes = brainx.State(np.array([True, False, False, True]))
    >>> rate = population_rate(spikes)
    >>> float(rate())   # 2 of 4 neurons in one step of 0.1 ms: 0.5 / 0.1 ms
    5000.0
    """
    if isinstance(spikes, State):
        state = spikes

        def read() -> Any:
            return state.value
    elif callable(spikes):
        read = spikes
    else:
        raise TypeError(f"spikes must be a spike State or a function returning spikes, got "
                        f"{type(spikes).__name__}")

    def rate() -> Any:
        value = read()
        count = bm.sum(value != 0)
        n = math.prod(getattr(value, "shape", ())) or 1
        return (count * (1000.0 / (environ.dt_value() * n))).astype(environ.dftype())

    rate.__name__ = "population_rate"
    return rate
