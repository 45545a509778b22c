"""Projections: presynaptic spikes -> communication -> synapse -> output -> postsynaptic input.

brainstate's projections: :class:`AlignPostProj` (synapse on the postsynaptic side,
shared by projections with the same synapse and output descriptors),
:class:`AlignPreProj`, :class:`DeltaProj` (spikes jump the membrane potential),
:class:`CurrentProj` (a prefetched value through ``comm`` into an output), and the
containers :class:`DynamicsGroup` and :class:`Sequential`.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import environ
from brainx._units import to_canonical
from brainx.backend import get_backend
from brainx.backend._kernels import lookup
from brainx.event._functional import check_events, native
from brainx.event._modules import _SparseLayer
from brainx.mixin import AlignPost, ParamDescriber
from brainx.nn._delay import Delay, Prefetch, PrefetchDelayAt
from brainx.nn._module import Dynamics, Module, as_size
from brainx.nn._neurons import is_array_parameter
from brainx.nn._synapses import COBA, Expon, SynOut

__all__ = ["Projection", "AlignPostProj", "AlignPreProj", "DeltaProj", "CurrentProj",
           "DynamicsGroup", "Sequential"]

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
        """``(g, E)`` when the output is exactly ``COBA`` with one reversal potential."""
        out = self.projection.out
        return (self.read(), out.E) if type(out) is COBA and isinstance(out.E, float) else None


def _check_ends(comm: Any, post: Any) -> None:
    if not callable(comm):
        raise TypeError(f"comm must be callable (a brainx.event layer or a function), "
                        f"got {comm!r}")
    if not isinstance(post, Dynamics):
        raise TypeError(f"post must be a brainx.nn.Dynamics, got {type(post).__name__}")
    if post.size is None:
        raise ValueError(f"post must be a population with a size, got {type(post).__name__} "
                         f"without one (a DynamicsGroup: give the population inside it, or "
                         f"{type(post).__name__}(size, ...))")
    n_post = getattr(comm, "n_post", None)
    if isinstance(n_post, int) and not isinstance(n_post, bool):
        num = math.prod(as_size(post.size))
        if n_post != num:
            raise ValueError(f"comm delivers to n_post = {n_post} neurons, but post "
                             f"({type(post).__name__}) has {num} (size {post.size!r})")


def _same_size(syn: Dynamics, post: Dynamics) -> bool:
    """Whether ``syn`` has ``post``'s size (an int and its 1-tuple are one size)."""
    try:
        return as_size(syn.size) == as_size(post.size)
    except TypeError:
        return False


def _per_synapse_delays(comm: Any, delay: Any) -> tuple[Delay, Any]:
    """A history of presynaptic spikes as long as the longest delay (row ``d``: the spikes
    of ``d`` steps ago) and one event layer over that history read as a vector: synapse
    ``k`` of neuron ``i`` with a delay of ``d`` steps starts from its entry ``d * n_pre +
    i``. One event product then delivers every delay, in ascending delay and presynaptic
    order, scanning the history once instead of one product per delay."""
    from brainx.event import CSRLinear
    from brainx.nn._delay import delay_steps

    if not isinstance(comm, _SparseLayer):
        raise TypeError(f"per-synapse delays need a sparse brainx.event layer as comm "
                        f"(FixedProb, CSRLinear), got {type(comm).__name__}")
    n = comm.num_synapses
    values = delay((n,)) if callable(delay) else delay
    values = np.asarray(to_canonical(values, "time", "delay"), dtype=np.float64)
    if values.shape != (n,):
        raise ValueError(f"delay must have one value per synapse of comm ({n}), got shape "
                         f"{values.shape}")
    steps = np.array([delay_steps(float(v), "delay") for v in values.tolist()], dtype=np.int64)
    longest = int(steps.max(initial=0))
    history_rows = comm.n_pre * (longest + 1)
    pre_ids = np.repeat(np.arange(comm.n_pre), np.diff(comm._indptr))
    entry = steps * comm.n_pre + pre_ids
    order = np.argsort(entry, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(entry, minlength=history_rows))])
    weight = np.asarray(comm.weight.value)
    w = weight.reshape(-1)[order] if weight.ndim else weight
    layer = CSRLinear(history_rows, comm.n_post, indptr, comm._post_ids[order], w)
    history = Delay(comm.n_pre, longest * environ.dt_value(), delay_method="concat")
    return history, layer


def _tell_weight_units(comm: Any, out: Any) -> None:
    """Let the output know the unit of ``comm``'s weights (CUBA's default scale follows it)."""
    if isinstance(out, SynOut):
        out.weights_given_in(getattr(comm, "weight_dimension", None))


def _call_module(module: Any, *args: Any) -> Any:
    return module.value if isinstance(module, brainx.State) else module(*args)


def _check_modules(modules: tuple) -> tuple:
    for module in modules:
        if not callable(module) and not isinstance(module, brainx.State):
            raise TypeError(f"the modules before comm must be callables or States, got "
                            f"{module!r}")
    return modules


def _positional(modules: tuple, given: dict[str, Any]) -> tuple[tuple, dict[str, Any]]:
    """brainx's earlier signatures took ``comm, syn, out, post`` positionally: the last
    positional arguments fill the names not given by keyword, in order."""
    missing = [k for k, v in given.items() if v is None]
    if missing and len(modules) >= len(missing):
        tail = modules[len(modules) - len(missing):]
        if isinstance(tail[-1], Dynamics) or "post" not in missing:
            given = {**given, **dict(zip(missing, tail, strict=True))}
            modules = modules[:len(modules) - len(missing)]
    missing = [k for k, v in given.items() if v is None]
    if missing:
        raise TypeError(f"missing argument(s): {', '.join(missing)}")
    return modules, given


def _value_key(value: Any) -> Any:
    """A hashable key equal for equal parameter values (arrays and Quantities by content)."""
    try:
        hash(value)
        return value
    except TypeError:
        pass
    if isinstance(value, (list, tuple)):
        return tuple(_value_key(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted(((k, _value_key(v)) for k, v in value.items()), key=repr))
    try:
        array = np.asarray(getattr(value, "mantissa", value))
    except Exception:  # noqa: BLE001 - anything else is compared by identity
        return ("id", id(value))
    return (type(value).__name__, str(getattr(value, "unit", "")), array.dtype.str,
            array.shape, array.tobytes())


def describer_key(describer: ParamDescriber) -> tuple:
    """What makes two descriptors the same: the class and the bound argument values."""
    return (describer.cls, tuple(_value_key(a) for a in describer.args),
            tuple(sorted((k, _value_key(v)) for k, v in describer.kwargs.items())))


class Projection(Module):
    """Base class of projections (brainstate's ``Projection``): modules that move
    activity between populations. ``DynamicsGroup`` updates them before the
    populations."""


class _AlignPost(Module):
    """A shared align-post synapse and its output: a before-update of the postsynaptic
    population that steps the synapse and binds its conductance to the output."""

    def __init__(self, syn: Dynamics, out: SynOut):
        super().__init__()
        self.syn, self.out = syn, out

    def update(self) -> None:
        self.out.bind_cond(self.syn())


class AlignPostProj(Projection):
    """A projection whose synaptic state lives on the postsynaptic side ("align post").

    pre -> (delay) -> comm -> syn -> out -> post. Two ways to give the synapse and
    the output:

    - instances (``syn=Expon(n, tau=5.0), out=COBA(E=0.0)``): the projection owns
      them; ``update(spikes)`` sends the spikes through ``comm`` (any
      ``brainx.event`` layer or a callable) into ``syn`` (sized like ``post``), and
      ``out`` turns the conductance into a current that ``post`` adds to its input
      at its own update;
    - descriptors (``syn=Expon.desc(n, tau=5.0), out=COBA.desc(E=0.0)``, brainstate's
      way): the synapse and output are built once per postsynaptic population and
      descriptor pair and *shared* by every projection with equal descriptors (the
      same class and argument values) and ``label``; ``update(spikes)`` adds
      ``comm(spikes)`` to the shared synapse's delta inputs (and returns it), and
      ``post(...)`` steps the synapse (a before-update) and binds its conductance to
      the output. Because
      synaptic dynamics are linear, merging gives the same currents with one
      synapse instead of many.

    Parameters
    ----------
    *modules
        Callables (or States, read) applied in order to the input before ``comm``.
        (brainx's earlier positional form ``AlignPostProj(comm, syn, out, post)`` is
        accepted too.)
    comm : callable
        The connection: presynaptic spikes -> postsynaptic input.
    syn : Dynamics or ParamDescriber
        The synapse (``AlignPost`` synapses such as ``Expon`` when a descriptor).
    out : SynOut or ParamDescriber
        The output (``CUBA``, ``COBA``, ``MgBlock``).
    post : Dynamics
        The postsynaptic population.
    label : str, optional
        Groups the current for ``post.sum_current_inputs(..., label=...)``.
    delay : float, array or callable, optional
        Delays the presynaptic spikes by this many ms first. An array with one value per
        synapse of ``comm`` (a sparse ``brainx.event`` layer, in its synapse order), or a
        function of that shape (``brainx.init`` initialisers, ``lambda shape: ...``),
        gives every synapse its own delay: the spikes go through a ring buffer as long as
        the longest delay, and ``comm`` is split into one layer per delay (in steps),
        whose weights are copies of ``comm``'s.

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

    With descriptors, two projections share one synapse:

    >>> with brainx.use_backend('numba'):
    ...     post = brainx.nn.LIF(4, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0)
    ...     a, b = [brainx.nn.AlignPostProj(
    ...         comm=brainx.event.FixedProb(10, 4, 0.5, 0.6, seed=s),
    ...         syn=brainx.nn.Expon.desc(4, tau=5.0), out=brainx.nn.CUBA.desc(), post=post)
    ...         for s in (0, 1)]
    ...     _ = a(np.ones(10, dtype=bool)), b(np.zeros(10, dtype=bool))
    ...     _ = post(0.0)                # steps the shared synapse first
    >>> a.syn is b.syn, round(float(a.syn.g.value.sum()), 4)
    (True, 12.0)
    """

    def __init__(self, *modules: Any, comm: Callable[[Any], Any] | None = None,
                 syn: Any = None, out: Any = None, post: Dynamics | None = None,
                 label: str | None = None, delay: float | None = None,
                 name: str | None = None):
        super().__init__(name=name)
        modules, given = _positional(modules, {"comm": comm, "syn": syn, "out": out,
                                               "post": post})
        comm, syn, out, post = given["comm"], given["syn"], given["out"], given["post"]
        self.modules = _check_modules(modules)
        _check_ends(comm, post)
        self._key = f"{type(self).__name__}{next(_keys)}"
        self.merging = isinstance(syn, ParamDescriber)
        if self.merging:
            syn, out = self._shared(syn, out, post, label)
        else:
            if isinstance(out, ParamDescriber):
                raise TypeError("out is a descriptor but syn is not: give both as descriptors "
                                "(Expon.desc(...), COBA.desc(...)) or both as instances")
            if not isinstance(syn, Dynamics) or not _same_size(syn, post):
                raise ValueError(f"syn must be a Dynamics of the postsynaptic size {post.size}, "
                                 f"got {getattr(syn, 'size', syn)!r}")
            if not callable(out):
                raise TypeError(f"out must be a synaptic output (CUBA, COBA, MgBlock), "
                                f"got {out!r}")
            post.add_current_input(self._key, _OutputCurrent(
                self, lambda: _synaptic_value(self.syn)), label=label)
        self.comm, self.syn, self.out, self.post = comm, syn, out, post
        _tell_weight_units(comm, out)
        n_pre = getattr(comm, "n_pre", None)
        self.delay = None
        self._by_delay = None  # per-synapse delays: the event layer over the spike history
        if callable(delay) or is_array_parameter(delay):
            self.delay, self._by_delay = _per_synapse_delays(comm, delay)
        elif delay:
            if n_pre is None:
                raise ValueError("a delay needs a comm with n_pre (a brainx.event layer)")
            self.delay = Delay(n_pre, delay)
        # an exponential synapse fed by a sparse event layer runs as one operator
        self._fused = (not self.merging and type(syn) is Expon and self._by_delay is None
                       and syn.method.startswith("exp") and isinstance(comm, _SparseLayer)
                       and not isinstance(syn.tau, np.ndarray))  # the operator takes one tau

    def _shared(self, syn: ParamDescriber, out: Any, post: Dynamics,
                label: str | None) -> tuple[Dynamics, SynOut]:
        if not isinstance(out, ParamDescriber):
            raise TypeError(f"syn is a descriptor, so out must be one too (e.g. "
                            f"brainx.nn.COBA.desc(E=0.0)), got {out!r}")
        if not (isinstance(syn.cls, type) and issubclass(syn.cls, Dynamics)
                and issubclass(syn.cls, AlignPost)):
            raise TypeError(f"a shared synapse must describe an align-post synapse "
                            f"(brainx.nn.Expon, DualExpon), got a descriptor of "
                            f"{getattr(syn.cls, '__name__', syn.cls)}")
        if not (isinstance(out.cls, type) and issubclass(out.cls, SynOut)):
            raise TypeError(f"out must describe a synaptic output (CUBA, COBA, MgBlock), got "
                            f"a descriptor of {getattr(out.cls, '__name__', out.cls)}")
        key = ("AlignPost", label, describer_key(syn), describer_key(out))
        if not post._has_before_update(key):
            shared_syn, shared_out = syn(), out()
            if not isinstance(shared_syn, Dynamics) or not _same_size(shared_syn, post):
                raise ValueError(f"the synapse must have the postsynaptic size {post.size}, "
                                 f"got {getattr(shared_syn, 'size', shared_syn)!r}")
            post.add_current_input(self._key, shared_out, label=label)
            post._add_before_update(key, _AlignPost(shared_syn, shared_out))
        entry = post._get_before_update(key)
        return entry.syn, entry.out

    def update(self, *args: Any) -> Any:
        for module in self.modules:
            args = (_call_module(module, *args),)
        if len(args) != 1:
            raise TypeError(f"{type(self).__name__} takes one input (the presynaptic spikes), "
                            f"got {len(args)}")
        spikes = args[0]
        if self._by_delay is not None:
            delivered = self._delivered_with_delays(spikes)
            if self.merging:
                self.syn.add_delta_input(self._key, delivered)
                return delivered
            return self.syn(delivered)
        if self.delay is not None:
            spikes = self.delay(spikes)
        if self.merging:
            delivered = self.comm(spikes)
            self.syn.add_delta_input(self._key, delivered)
            return delivered
        if self._fused and getattr(spikes, "ndim", 0) == 1:
            return self._fused_update(spikes)
        return self.syn(self.comm(spikes))

    def _delivered_with_delays(self, spikes: Any) -> Any:
        """The input of this step when each synapse has its own delay: the spike history
        (``d`` steps ago in row ``d``) through the layer that reads each synapse's row."""
        self.delay.update(spikes)
        history = self.delay.history.value
        if history.ndim == 3:  # (rows, batch, n_pre) -> (batch, rows * n_pre)
            return self._by_delay(bm.moveaxis(history, 1, 0).reshape(history.shape[1], -1))
        return self._by_delay(history.reshape(-1))

    def _fused_update(self, spikes: Any) -> Any:
        b = get_backend()
        check_events(spikes, self.comm.n_pre)
        g = self.syn.g.value
        self.syn.g.value = lookup("nn.expon_sparse_step", b)(
            b, g, self.syn.decay(g.dtype), native(b, spikes), *self.comm.operands(b),
            (self.comm.n_pre, self.comm.n_post))
        return self.syn.g.value


class AlignPreProj(Projection):
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
        _tell_weight_units(comm, out)
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


class DeltaProj(Projection):
    """Spikes through ``comm`` jump the postsynaptic membrane potential (no synapse).

    The jump is added to ``post``'s ``V`` after its integration step (its delta input,
    read by ``sum_delta_inputs``); call the projection before updating ``post`` in each
    step. ``*modules`` are applied to the input before ``comm`` (brainstate's form,
    ``DeltaProj(comm=..., post=...)``; brainx's ``DeltaProj(comm, post)`` works too).

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

    def __init__(self, *modules: Any, comm: Callable[[Any], Any] | None = None,
                 post: Dynamics | None = None, label: str | None = None,
                 name: str | None = None):
        super().__init__(name=name)
        modules, given = _positional(modules, {"comm": comm, "post": post})
        comm, post = given["comm"], given["post"]
        self.modules = _check_modules(modules)
        _check_ends(comm, post)
        self.comm, self.post, self.label = comm, post, label
        self.pending = brainx.ShortTermState(bm.zeros(post.size, dtype=environ.dftype()),
                                             name="pending")
        post.add_delta_input(f"{type(self).__name__}{next(_keys)}", self._deliver, label=label)

    def _deliver(self) -> Any:
        jump = self.pending.value
        self.pending.value = bm.zeros_like(jump)
        return jump

    def update(self, *args: Any) -> Any:
        for module in self.modules:
            args = (_call_module(module, *args),)
        if len(args) != 1:
            raise TypeError(f"{type(self).__name__} takes one input (the presynaptic spikes), "
                            f"got {len(args)}")
        self.pending.value = (self.pending.value + self.comm(args[0])).astype(
            self.pending.value.dtype)
        return self.pending.value


class CurrentProj(Projection):
    """A prefetched value through ``comm`` into a synaptic output of ``post``.

    Each step, ``update()`` reads ``prefetch`` (``neuron.prefetch('V')`` or
    ``neuron.prefetch('V').delay.at(time)``), sends it through ``comm`` and binds the
    result to ``out`` as its conductance; ``post`` adds ``out``'s current at its update
    (pre -> delay -> comm -> out -> post, brainstate's ``CurrentProj``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     pre = brainx.nn.LIF(3, V_rest=-60.0)
    ...     post = brainx.nn.LIF(2, V_rest=0.0, V_th=100.0, tau=1e9)
    ...     gap = brainx.nn.CurrentProj(pre.prefetch('V'), comm=brainx.nn.AllToAll(3, 2, 0.01),
    ...                                 out=brainx.nn.CUBA(), post=post)
    ...     gap()
    ...     _ = post(0.0)
    >>> round(float(post.V.value[0]), 4)      # R I dt / tau with I = 3 x 0.01 x -60 -> ~0
    -0.0
    """

    def __init__(self, prefetch: Any, comm: Callable[[Any], Any], out: SynOut,
                 post: Dynamics, name: str | None = None):
        super().__init__(name=name)
        if not isinstance(prefetch, (Prefetch, PrefetchDelayAt)):
            raise TypeError(f"prefetch must be module.prefetch(item) or "
                            f"module.prefetch(item).delay.at(time), got {prefetch!r}")
        if not isinstance(out, SynOut):
            raise TypeError(f"out must be a synaptic output (CUBA, COBA, MgBlock), got {out!r}")
        _check_ends(comm, post)
        self.prefetch, self.comm, self.out, self.post = prefetch, comm, out, post
        post.add_current_input(f"{type(self).__name__}{next(_keys)}", out)

    def update(self, *args: Any) -> None:
        self.out.bind_cond(self.comm(self.prefetch(*args)))


def _is_size(x: Any) -> bool:
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return True
    return isinstance(x, tuple) and len(x) > 0 and all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in x)


class DynamicsGroup(Dynamics):
    """A container of dynamical systems; subclasses usually write ``update`` themselves.

    ``DynamicsGroup(*children, **named_children)`` needs no size (brainx's earlier
    ``DynamicsGroup(size)`` still works): without one, ``size`` and ``num`` are None, and
    what needs a size (``state_shape``, being a projection's ``post``) says that the group
    has none. The default ``update()`` calls the direct
    children without arguments: projections first, then populations, then the rest
    (brainstate's order).

    Examples
    --------
    >>> import brainx
    >>> class Net(brainx.nn.DynamicsGroup):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.neurons = brainx.nn.LIF(3)
    ...     def update(self, x):
    ...         return self.neurons(x)
    >>> with brainx.use_backend('numba'):
    ...     Net()(10.0).shape
    (3,)
    """

    _init_call = "super().__init__()"

    def __init__(self, *children: Any, name: str | None = None, mode: Any = None,
                 **named_children: Any):
        size = None
        if children and _is_size(children[0]):
            size, children = children[0], children[1:]
        super().__init__(1 if size is None else size, name=name, mode=mode)
        if size is None:
            self.size = self.varshape = self.in_size = self.out_size = None
            self.num = None
        self.layers_tuple = tuple(children)
        self.layers_dict = dict(named_children)

    def _children(self) -> list[Any]:
        found: list[Any] = []
        for _, value in self._graph_fields():
            items = value.values() if isinstance(value, dict) else value \
                if isinstance(value, (list, tuple)) else (value,)
            found.extend(v for v in items if isinstance(v, Module) and v not in found)
        return found

    def update(self, *args: Any, **kwargs: Any) -> None:
        children = self._children()
        projections = [c for c in children if isinstance(c, Projection)]
        dynamics = [c for c in children if isinstance(c, Dynamics) and c not in projections]
        others = [c for c in children if c not in projections and c not in dynamics]
        for child in projections + dynamics + others:
            child()


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
