"""Projections: presynaptic spikes -> communication -> synapse -> output -> postsynaptic input."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import brainx
import brainx.math as bm
from brainx import environ
from brainx.backend import get_backend
from brainx.backend._kernels import lookup
from brainx.event._functional import check_events, native
from brainx.event._modules import _SparseLayer
from brainx.nn._delay import Delay
from brainx.nn._module import Dynamics, Module
from brainx.nn._synapses import COBA, Expon

__all__ = ["AlignPostProj", "AlignPreProj", "DeltaProj", "DynamicsGroup", "Sequential"]

_keys = itertools.count()


def _synaptic_value(syn: Any) -> Any:
    g = syn.g
    return g.value if hasattr(g, "value") else g


class _OutputCurrent:
    """The current a projection gives its postsynaptic population: ``out(g, V)``."""

    def __init__(self, projection: Any, conductance: Callable[[], Any]):
        self.projection = projection
        self.read = conductance

    def __call__(self, V: Any) -> Any:  # noqa: N803
        return self.projection.out(self.read(), V)

    def conductance(self) -> tuple[Any, float] | None:
        """``(g, E)`` when the output is exactly ``COBA``, else None."""
        out = self.projection.out
        return (self.read(), out.E) if type(out) is COBA else None


def _check_ends(comm: Any, post: Any) -> None:
    if not callable(comm):
        raise TypeError(f"comm must be callable (a brainx.event layer or a function), "
                        f"got {comm!r}")
    if not isinstance(post, Dynamics):
        raise TypeError(f"post must be a brainx.nn.Dynamics, got {type(post).__name__}")


class AlignPostProj(Module):
    """A projection whose synaptic state lives on the postsynaptic side ("align post").

    Each step, ``update(spikes)`` sends presynaptic spikes through ``comm`` (any
    ``brainx.event`` layer or a callable) into the synapse ``syn`` (sized like ``post``);
    ``out`` turns the synaptic conductance into a current, which ``post`` adds to its
    input at its own update. ``delay`` (ms) delays the presynaptic spikes first
    (pre -> delay -> comm -> syn -> out -> post). Because synaptic dynamics are
    linear, the state per postsynaptic neuron is enough: synapses of one type onto
    one population merge.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     post = brainx.nn.LIF(4, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0)
    ...     proj = brainx.nn.AlignPostProj(
    ...         comm=brainx.event.FixedProb(10, 4, 0.5, 0.6, seed=0),
    ...         syn=brainx.nn.Expon(4, tau=5.0), out=brainx.nn.COBA(E=0.0), post=post)
    ...     _ = proj(np.ones(10, dtype=bool))
    ...     round(float(proj.syn.g.value.sum()), 4)    # 10 spikes x 2 targets x 0.6
    12.0
    """

    def __init__(self, comm: Callable[[Any], Any], syn: Dynamics, out: Module, post: Dynamics,
                 delay: float | None = None, name: str | None = None):
        super().__init__(name=name)
        _check_ends(comm, post)
        if not isinstance(syn, Dynamics) or syn.size != post.size:
            raise ValueError(f"syn must be a Dynamics of the postsynaptic size {post.size}, "
                             f"got {getattr(syn, 'size', syn)!r}")
        self.comm, self.syn, self.out, self.post = comm, syn, out, post
        n_pre = getattr(comm, "n_pre", None)
        self.delay = None
        if delay:
            if n_pre is None:
                raise ValueError("a delay needs a comm with n_pre (a brainx.event layer)")
            self.delay = Delay(n_pre, delay)
        post.add_current_input(f"{type(self).__name__}{next(_keys)}",
                               _OutputCurrent(self, lambda: _synaptic_value(self.syn)))
        # an exponential synapse fed by a sparse event layer runs as one operator
        self._fused = (type(syn) is Expon and syn.method.startswith("exp")
                       and isinstance(comm, _SparseLayer))

    def update(self, spikes: Any) -> Any:
        if self.delay is not None:
            spikes = self.delay(spikes)
        if self._fused and getattr(spikes, "ndim", 0) == 1:
            return self._fused_update(spikes)
        return self.syn(self.comm(spikes))

    def _fused_update(self, spikes: Any) -> Any:
        b = get_backend()
        check_events(spikes, self.comm.n_pre)
        g = self.syn.g.value
        self.syn.g.value = lookup("nn.expon_sparse_step", b)(
            b, g, self.syn.decay(g.dtype), native(b, spikes), *self.comm.operands(b),
            (self.comm.n_pre, self.comm.n_post))
        return self.syn.g.value


class AlignPreProj(Module):
    """A projection whose synaptic state lives on the presynaptic side ("align pre").

    Each step, ``update(spikes)`` advances the synapse ``syn`` (sized like the
    presynaptic population) with the presynaptic spikes, optionally delays its
    conductances by ``delay`` ms, and sends them through ``comm`` as float events:
    each postsynaptic neuron receives the weighted sum of its presynaptic
    conductances (pre -> syn -> delay -> comm -> out -> post). This is the layout
    for synapses that are not linear in their state (:class:`AMPA`, :class:`GABAa`,
    :class:`NMDA`), which cannot be merged per postsynaptic neuron.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     post = brainx.nn.LIF(4, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0)
    ...     proj = brainx.nn.AlignPreProj(
    ...         syn=brainx.nn.AMPA(10), comm=brainx.event.FixedProb(10, 4, 0.5, 0.6, seed=0),
    ...         out=brainx.nn.COBA(E=0.0), post=post)
    ...     with brainx.environ.context(t=0.0):
    ...         g = proj(np.ones(10, dtype=bool))
    >>> g.shape
    (4,)
    """

    def __init__(self, syn: Dynamics, comm: Callable[[Any], Any], out: Module, post: Dynamics,
                 delay: float | None = None, name: str | None = None):
        super().__init__(name=name)
        _check_ends(comm, post)
        if not isinstance(syn, Dynamics):
            raise TypeError(f"syn must be a brainx.nn.Dynamics, got {type(syn).__name__}")
        n_pre = getattr(comm, "n_pre", syn.num)
        if n_pre != syn.num:
            raise ValueError(f"syn has {syn.num} neurons but comm expects {n_pre} presynaptic "
                             f"neurons")
        self.syn, self.comm, self.out, self.post = syn, comm, out, post
        self.delay = Delay(syn.size, delay, dtype=float) if delay else None
        self.g = brainx.ShortTermState(bm.zeros(post.size, dtype=environ.dftype()), name="g")
        post.add_current_input(f"{type(self).__name__}{next(_keys)}",
                               _OutputCurrent(self, lambda: self.g.value))

    def update(self, spikes: Any) -> Any:
        self.syn(spikes)
        g_pre = _synaptic_value(self.syn)
        if self.delay is not None:
            g_pre = self.delay(g_pre)
        self.g.value = bm.asarray(self.comm(g_pre)).astype(self.g.value.dtype)
        return self.g.value


class DeltaProj(Module):
    """Spikes through ``comm`` jump the postsynaptic membrane potential (no synapse).

    The jump is added to ``post``'s ``V`` after its integration step; call the
    projection before updating ``post`` in each step.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     post = brainx.nn.LIF(2, V_rest=0.0, V_th=100.0)
    ...     proj = brainx.nn.DeltaProj(brainx.event.Linear(3, 2, 1.5), post)
    ...     _ = proj(np.ones(3, dtype=bool))
    ...     post(0.0).tolist(), post.V.value.tolist()
    ([False, False], [4.5, 4.5])
    """

    def __init__(self, comm: Callable[[Any], Any], post: Dynamics, name: str | None = None):
        super().__init__(name=name)
        if not isinstance(post, Dynamics):
            raise TypeError(f"post must be a brainx.nn.Dynamics, got {type(post).__name__}")
        self.comm, self.post = comm, post
        self.pending = brainx.ShortTermState(bm.zeros(post.size, dtype=environ.dftype()),
                                             name="pending")
        post.add_delta_input(f"{type(self).__name__}{next(_keys)}", self._deliver)

    def _deliver(self) -> Any:
        jump = self.pending.value
        self.pending.value = bm.zeros_like(jump)
        return jump

    def update(self, spikes: Any) -> Any:
        self.pending.value = (self.pending.value + self.comm(spikes)).astype(
            self.pending.value.dtype)
        return self.pending.value


class DynamicsGroup(Dynamics):
    """A container of dynamical systems; subclasses write ``update`` to step them in order.

    Examples
    --------
    >>> import brainx
    >>> class Net(brainx.nn.DynamicsGroup):
    ...     def __init__(self):
    ...         super().__init__(1)
    ...         self.neurons = brainx.nn.LIF(3)
    ...     def update(self, x):
    ...         return self.neurons(x)
    >>> with brainx.use_backend('numba'):
    ...     Net()(10.0).shape
    (3,)
    """


class Sequential(Module):
    """Modules called in order, each on the previous one's output.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     chain = brainx.nn.Sequential(brainx.event.Linear(3, 2, 1.0), brainx.nn.Expon(2))
    ...     chain(np.ones(3, dtype=bool)).tolist()
    [3.0, 3.0]
    """

    def __init__(self, *modules: Any, name: str | None = None):
        super().__init__(name=name)
        if not modules or not all(callable(m) for m in modules):
            raise TypeError(f"Sequential needs one or more callable modules, got {modules!r}")
        self.layers = list(modules)

    def __getitem__(self, index: int) -> Any:
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    @property
    def n_pre(self) -> int | None:
        """The first layer's input size (``n_pre`` or ``num``), so a projection can delay it."""
        first = self.layers[0]
        return getattr(first, "n_pre", getattr(first, "num", None))

    def update(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x
