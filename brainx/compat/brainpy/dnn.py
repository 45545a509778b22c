"""``bp.dnn``: BrainPy 2's connection layers on ``brainx.event`` and ``brainx.nn``.

- ``CSRLinear(conn, weight)`` and ``EventCSRLinear(conn, weight)``: the connector's
  synapses as a ``brainx.event.CSRLinear`` (spikes or values in, sums out);
- ``JitFPHomoLinear(num_in, num_out, prob, weight, seed)`` and its ``Event...`` twin:
  ``brainx.event.FixedProb``, each presynaptic neuron projecting to
  ``round(prob * num_out)`` random targets (BrainPy draws each pair with probability
  ``prob``: the same mean, a narrower spread);
- ``Dense``/``Linear``: ``brainx.nn.Linear``; ``AllToAll``, ``OneToOne``: ``brainx.nn``'s.

Examples
--------
>>> import numpy as np
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     conn = bp.conn.FixedProb(0.5, pre=4, post=3, seed=0)
...     layer = bp.dnn.EventCSRLinear(conn, 0.6)
...     dense = np.zeros((4, 3))
...     for i, j in zip(*conn.require('pre_ids', 'post_ids')):
...         dense[i, j] += 0.6
...     spikes = np.array([True, False, True, True])
...     bool(np.allclose(layer(spikes), spikes @ dense))
True
"""

from __future__ import annotations

from typing import Any

import brainx
import brainx.nn as _nn
from brainx import event as _event
from brainx.compat.brainpy._dynsys import BrainPyCalls, refuse_sharding
from brainx.init import XavierNormal, ZeroInit

__all__ = ["CSRLinear", "EventCSRLinear", "JitFPHomoLinear", "EventJitFPHomoLinear",
           "Dense", "Linear", "AllToAll", "OneToOne"]


class CSRLinear(_event.CSRLinear):
    """The synapses of a sized connector (``bp.conn.FixedProb(p, pre=..., post=...)``)."""

    def __init__(self, conn: Any, weight: Any, sharding: Any = None, mode: Any = None,
                 name: str | None = None, method: Any = None, transpose: bool = True):
        refuse_sharding(sharding)
        if not transpose:
            raise NotImplementedError("transpose=False is not supported: the layer maps "
                                      "presynaptic to postsynaptic values")
        n_pre, n_post = getattr(conn, "pre_num", None), getattr(conn, "post_num", None)
        if not n_pre or not n_post:
            raise ValueError(f"conn must know its sizes: give them as "
                             f"bp.conn.FixedProb(prob, pre=..., post=...), got {conn!r}")
        indices, indptr = conn.require("csr")
        super().__init__(n_pre, n_post, indptr, indices, weight, name=name)
        self.conn = conn


class EventCSRLinear(CSRLinear):
    """:class:`CSRLinear` driven by spikes (the same brainx layer: it is event-driven)."""

    def __init__(self, conn: Any, weight: Any, sharding: Any = None, mode: Any = None,
                 name: str | None = None, transpose: bool = True):
        super().__init__(conn, weight, sharding=sharding, mode=mode, name=name,
                         transpose=transpose)


class JitFPHomoLinear(_event.FixedProb):
    """Random connectivity of probability ``prob`` and one weight (``brainx.event.FixedProb``)."""

    def __init__(self, num_in: int, num_out: int, prob: float, weight: Any,
                 seed: int | None = None, sharding: Any = None, mode: Any = None,
                 name: str | None = None, transpose: bool = False, atomic: bool = False):
        refuse_sharding(sharding)
        seed = int(brainx.random.randint(0, 2**31 - 1)) if seed is None else seed
        super().__init__(num_in, num_out, prob, weight, seed=seed, name=name)


EventJitFPHomoLinear = JitFPHomoLinear


class Dense(BrainPyCalls, _nn.Linear):
    """BrainPy's ``Dense(num_in, num_out, W_initializer, b_initializer)``: ``brainx.nn.Linear``
    (``W`` and ``b`` are its weight and bias)."""

    def __init__(self, num_in: int, num_out: int, W_initializer: Any = None,
                 b_initializer: Any = None, mode: Any = None, name: str | None = None):
        super().__init__(num_in, num_out,
                         w_init=XavierNormal() if W_initializer is None else W_initializer,
                         b_init=ZeroInit() if b_initializer is None else b_initializer,
                         name=name)

    @property
    def W(self) -> Any:  # noqa: N802 - BrainPy's name
        return self.weight.value["weight"]

    @property
    def b(self) -> Any:
        return self.weight.value.get("bias")


Linear = Dense


class AllToAll(BrainPyCalls, _nn.AllToAll):
    """BrainPy's ``AllToAll(num_pre, num_post, weight, include_self=True)``."""

    def __init__(self, num_pre: int, num_post: int, weight: Any, sharding: Any = None,
                 include_self: bool = True, mode: Any = None, name: str | None = None):
        refuse_sharding(sharding)
        super().__init__(num_pre, num_post, w_init=weight, include_self=include_self, name=name)


class OneToOne(BrainPyCalls, _nn.OneToOne):
    """BrainPy's ``OneToOne(num, weight)``: each neuron to its counterpart."""

    def __init__(self, num: int, weight: Any, sharding: Any = None, mode: Any = None,
                 name: str | None = None):
        refuse_sharding(sharding)
        super().__init__(num, w_init=weight, name=name)
