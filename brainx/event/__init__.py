"""Event-driven layers: work in proportion to the spikes, not to the synapses.

``FixedProb``, ``Linear`` and ``CSRLinear`` are called like functions on boolean
spikes or float events (1-D, or 2-D with a batch axis) and return the summed
postsynaptic input. The functional forms are in :mod:`brainx.math`
(``event_csr_matvec``, ``event_fixed_matvec``, ``event_dense_matvec``).

Examples
--------
>>> import numpy as np
>>> import brainx
>>> with brainx.use_backend('numba'):
...     layer = brainx.event.FixedProb(1000, 100, 0.05, 1.0, seed=0)
...     spikes = np.zeros(1000, dtype=bool)
...     spikes[:3] = True
...     float(layer(spikes).sum())
15.0
"""

from brainx.event._modules import CSRLinear, FixedProb, Linear

__all__ = ["FixedProb", "Linear", "CSRLinear"]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
