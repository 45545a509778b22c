"""``bp.synapses``: BrainPy 2.0-2.3's two-end synapses (``pre``, ``post``, ``conn``).

``Exponential(pre, post, conn, output=CUBA(), g_max=1.0, delay_step=None, tau=8.0)``
steps a ``bp.dyn.Expon`` synapse on the postsynaptic side with the presynaptic spikes
sent through the connector's synapses (``bp.dnn.EventCSRLinear``; ``bp.dnn.OneToOne``
and ``AllToAll`` for ``One2One`` and ``All2All``), and adds ``output``'s current to the
postsynaptic ``input`` Variable. ``delay_step`` delays the spikes by whole steps.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     pre, post = bp.neurons.LIF(3), bp.neurons.LIF(2, V_initializer=bp.init.OneInit(-60.0))
...     syn = bp.synapses.Exponential(pre, post, bp.conn.All2All(), g_max=0.5,
...                                   output=bp.synouts.COBA(E=0.0))
...     pre.spike.value = brainx.math.asarray([True, True, False])
...     _ = syn()
>>> syn.g.value.tolist(), post.input.value.tolist()     # 2 spikes x 0.5; g (0 - (-60))
([1.0, 1.0], [60.0, 60.0])
"""

from __future__ import annotations

from typing import Any

from brainx.compat.brainpy import dnn
from brainx.compat.brainpy._dynsys import Projection
from brainx.compat.brainpy.dyn import NMDA as _NMDASynapse
from brainx.compat.brainpy.dyn import Expon, spike_delay
from brainx.compat.brainpy.synouts import CUBA, MgBlock
from brainx.conn import All2All, One2One

__all__ = ["Exponential", "NMDA"]


def _comm(pre: Any, post: Any, conn: Any, g_max: Any, comp_method: str) -> Any:
    if isinstance(conn, One2One):
        if pre.num != post.num:
            raise ValueError(f"One2One needs groups of one size, got {pre.num} and {post.num}")
        return dnn.OneToOne(pre.num, g_max)
    if isinstance(conn, All2All):
        return dnn.AllToAll(pre.num, post.num, g_max)
    if comp_method not in ("sparse", "dense"):  # both give the same sums: brainx's sparse
        raise NotImplementedError(f"comp_method={comp_method!r} is not supported; use "
                                  f"'sparse' or 'dense'")
    return dnn.EventCSRLinear(conn(pre.varshape, post.varshape), g_max)


class _TwoEnd(Projection):
    """What BrainPy 2's old two-end synapses share: ``pre``, ``post``, the output added to
    ``post.input`` and the spikes delayed by ``delay_step`` steps."""

    def __init__(self, pre: Any, post: Any, output: Any, stp: Any, delay_step: Any,
                 name: str | None, mode: Any):
        super().__init__(name=name, mode=mode)
        if stp is not None:
            raise NotImplementedError("stp is not supported: use brainx.nn.STP / STD in a "
                                      "brainx.nn.AlignPreProj")
        self.pre, self.post = pre, post
        self.output = output
        self.output.register_master(post)
        self.delay = spike_delay(pre, int(delay_step)) if delay_step else None

    @property
    def g(self) -> Any:
        return self.syn.g

    def _spikes(self, pre_spike: Any) -> Any:
        spikes = self.pre.spike.value if pre_spike is None else pre_spike
        return spikes if self.delay is None else self.delay(spikes)


class Exponential(_TwoEnd):
    """An exponential synapse from ``pre`` to ``post`` (BrainPy 2's old ``Exponential``):
    the spikes go through the synapses into a ``bp.dyn.Expon`` on the postsynaptic side."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: Any = None, stp: Any = None,
                 comp_method: str = "sparse", g_max: Any = 1.0, delay_step: Any = None,
                 tau: float = 8.0, method: str = "exp_auto", name: str | None = None,
                 mode: Any = None, stop_spike_gradient: bool = False):
        super().__init__(pre, post, CUBA() if output is None else output, stp, delay_step,
                         name, mode)
        self.comm = _comm(pre, post, conn, g_max, comp_method)
        self.syn = Expon(post.varshape, tau=tau, method=method)

    def update(self, pre_spike: Any = None) -> Any:
        return self.output.filter(self.syn(self.comm(self._spikes(pre_spike))))


class NMDA(_TwoEnd):
    """BrainPy 2's old ``NMDA`` synapse: a ``bp.dyn.NMDA`` on the presynaptic side, its
    conductance sent through the synapses (dense by default, as in BrainPy) and blocked by
    magnesium (``output=bp.synouts.MgBlock(...)``)."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: Any = None, stp: Any = None,
                 comp_method: str = "dense", g_max: Any = 0.15, delay_step: Any = None,
                 tau_decay: float = 100.0, a: float = 0.5, tau_rise: float = 2.0,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 stop_spike_gradient: bool = False):
        super().__init__(pre, post, MgBlock(E=0.0) if output is None else output, stp,
                         delay_step, name, mode)
        self.comm = _comm(pre, post, conn, g_max, comp_method)
        self.syn = _NMDASynapse(pre.varshape, a=a, tau_decay=tau_decay, tau_rise=tau_rise,
                                method=method)

    def update(self, pre_spike: Any = None) -> Any:
        return self.output.filter(self.comm(self.syn(self._spikes(pre_spike))))
