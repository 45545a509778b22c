"""``bp.dyn``: BrainPy 2's neurons, synapses, outputs and projections on ``brainx.nn``.

Each class takes BrainPy 2's arguments and is the ``brainx.nn`` model underneath:
``Lif``/``LifLTC`` are ``brainx.nn.LIF``, ``LifRef``/``LifRefLTC`` ``brainx.nn.LIFRef``,
``Expon`` ``brainx.nn.Expon``, the ``ProjAlignPost*`` projections
``brainx.nn.AlignPostProj`` and the ``ProjAlignPre*`` ones ``brainx.nn.AlignPreProj``.
Their States are ``bm.Variable`` s, so ``neurons.V[:] = ...`` works as in BrainPy.

Differences (docs/coming_from_brainpy.md): in ``TrainingMode`` the spike is
``spk_fun(V - V_th)`` and ``V`` is reset where it crossed the threshold.

Examples
--------
>>> import brainx
>>> import brainx.compat.brainpy as bp
>>> with brainx.use_backend('numba'):
...     neurons = bp.dyn.LifRef(2, V_rest=0.0, V_th=1.0, tau=10.0, tau_ref=2.0)
...     neurons.V[:] = 0.99
...     bp.share.save(t=0.0)
...     neurons(20.0).tolist()       # 0.99 + (1 - e^-0.01) (20 - 0.99) > 1
[True, True]
"""

from __future__ import annotations

from typing import Any

import brainx
import brainx.math as bm
import brainx.nn as _nn
from brainx import environ
from brainx.compat.brainpy._dynsys import BrainPyCalls, Dynamic, Projection, refuse_sharding
from brainx.compat.brainpy.math import Variable
from brainx.init import ZeroInit
from brainx.mixin import ParamDescriber
from brainx.modes import Batching, Training
from brainx.nn import COBA, CUBA, MgBlock
from brainx.state import State

__all__ = ["NeuDyn", "NeuGroup", "Dynamic", "DynView", "VarDelay", "Lif", "LifLTC", "LifRef",
           "LifRefLTC", "Expon", "DualExpon", "Alpha", "NMDA", "COBA", "CUBA", "MgBlock",
           "HalfProjAlignPostMg", "FullProjAlignPostMg", "HalfProjAlignPost",
           "FullProjAlignPost", "FullProjAlignPreSDMg", "FullProjAlignPreDSMg",
           "FullProjAlignPreSD", "FullProjAlignPreDS", "ProjAlignPostMg1", "ProjAlignPostMg2",
           "ProjAlignPost1", "ProjAlignPost2", "ProjAlignPreMg1", "ProjAlignPreMg2",
           "ProjAlignPre1", "ProjAlignPre2", "ProjAlignPre", "ProjAlignPost", "VanillaProj",
           "HalfProjDelta", "FullProjDelta", "PoissonGroup", "SpikeTimeGroup"]

NeuDyn = NeuGroup = Dynamic


_PLAIN_STATES = (State, brainx.ShortTermState, brainx.HiddenState)


class _Variables:
    """The module's States become ``bm.Variable`` s (in-place writes, as in BrainPy);
    ``group[start:stop]`` is a :class:`DynView` of part of the population."""

    def init_state(self, batch_size: int | None = None, **kwargs: Any) -> None:
        mode = getattr(self, "mode", None)
        if batch_size is None and isinstance(mode, Batching):  # BrainPy: the mode's batch
            batch_size = mode.batch_size
        earlier = {k: v for k, v in vars(self).items() if isinstance(v, Variable)}
        super().init_state(batch_size, **kwargs)
        axis = None if batch_size is None else 0
        for key, value in list(vars(self).items()):
            if type(value) not in _PLAIN_STATES:  # RandomStates; Variables already
                continue
            if key in earlier:  # a reset: the same Variable, so references to it stay valid
                earlier[key].assign_unchecked(value.value)
                earlier[key].batch_axis = axis
                setattr(self, key, earlier[key])
            else:
                setattr(self, key, Variable(value.value, name=value.name, batch_axis=axis))

    def __getitem__(self, index: Any) -> DynView:
        return DynView(self, index)


class _SlicedValue:
    """``state.value[index]``, read when asked (a slice of a population's Variable)."""

    def __init__(self, state: State, index: slice):
        self.state, self.index = state, index

    @property
    def value(self) -> Any:
        return self.state.value[..., self.index]


class DynView:
    """A slice of a 1-D population (BrainPy's ``DynView``): ``group[:3200]`` reads the
    first 3200 neurons' Variables, e.g. as the presynaptic side of a projection.

    Examples
    --------
    >>> import brainx
    >>> import brainx.compat.brainpy as bp
    >>> with brainx.use_backend('numba'):
    ...     group = bp.dyn.Lif(5)
    ...     group.spike[:] = brainx.math.asarray([True, False, True, True, False])
    ...     view = group[2:4]
    ...     view.num, view.spike.value.tolist()
    (2, [True, True])
    """

    def __init__(self, target: Any, index: Any):
        if not isinstance(index, slice) or len(target.varshape) != 1:
            raise NotImplementedError(f"a view of a population takes a slice of a 1-D "
                                      f"population, got {index!r} of size {target.varshape}")
        self.target, self.index = target, index
        self.num = len(range(*index.indices(target.varshape[0])))
        if self.num == 0:
            raise ValueError(f"the slice {index!r} of a population of {target.varshape[0]} "
                             f"selects no neuron")
        self.varshape = self.size = (self.num,)

    def __getattr__(self, name: str) -> Any:
        if name in ("target", "index"):
            raise AttributeError(name)
        value = getattr(self.target, name)
        return _SlicedValue(value, self.index) if isinstance(value, State) else value


def _no(feature: str, value: Any, instead: str) -> None:
    if value is not None and value is not False:
        raise NotImplementedError(f"{feature} is not supported by brainx.compat.brainpy; "
                                  f"{instead}")


# ---- neurons ----------------------------------------------------------------------------

class Lif(_Variables, BrainPyCalls, _nn.LIF):
    """BrainPy 2's ``Lif`` (``brainx.nn.LIF``): ``tau dV/dt = -(V - V_rest) + R I``."""

    def __init__(self, size: Any, sharding: Any = None, keep_size: bool = False,
                 mode: Any = None, spk_fun: Any = None, spk_dtype: Any = None,
                 detach_spk: bool = False, spk_reset: str = "soft", method: str = "exp_auto",
                 name: str | None = None, init_var: bool = True, scaling: Any = None,
                 V_rest: Any = 0.0, V_reset: Any = -5.0, V_th: Any = 20.0, R: Any = 1.0,
                 tau: Any = 10.0, V_initializer: Any = None, noise: Any = None,
                 **refractory: Any):
        refuse_sharding(sharding)
        _no("scaling", scaling, "give the parameters in the units you simulate in")
        _no("noise", noise, "add the noise to the input (brainx.random), or use "
                             "brainx.integrators.sdeint")
        if spk_reset not in ("soft", "hard"):
            raise ValueError(f"spk_reset must be 'soft' or 'hard', got {spk_reset!r}")
        mode = environ.get_mode() if mode is None else mode
        if isinstance(mode, Training):
            spk_fun = brainx.surrogate.InvSquareGrad() if spk_fun is None else spk_fun
        else:
            spk_fun = None  # BrainPy's spikes are booleans outside training
        super().__init__(size, tau=tau, V_rest=V_rest, V_reset=V_reset, V_th=V_th, R=R,
                         V_initializer=ZeroInit() if V_initializer is None else V_initializer,
                         spk_fun=spk_fun, method=method, name=name, mode=mode,
                         detach_spk=detach_spk, **refractory)
        self.keep_size, self.spk_reset_brainpy = keep_size, spk_reset

    def sum_current_inputs(self, *args: Any, init: Any = None, label: str | None = None) -> Any:
        """BrainPy's ``sum_current_inputs(V, init=0.)`` as well as brainx's ``(x, V)``."""
        if init is not None or len(args) == 1:
            return super().sum_current_inputs(0.0 if init is None else init, *args, label=label)
        return super().sum_current_inputs(*args, label=label)


class LifRef(Lif, _nn.LIFRef):
    """BrainPy 2's ``LifRef`` (``brainx.nn.LIFRef``): a LIF held for ``tau_ref`` ms after
    each spike (``t - t_last_spike <= tau_ref``)."""

    def __init__(self, size: Any, *args: Any, tau_ref: Any = 0.0, ref_var: bool = False,
                 **kwargs: Any):
        _no("ref_var", ref_var, "read t_last_spike: a neuron is refractory while "
                                "t - t_last_spike <= tau_ref")
        super().__init__(size, *args, tau_ref=tau_ref, **kwargs)


class _ConductancesInTheRate:
    """BrainPy's ``...LTC`` neurons: the exponential step's rate includes the
    conductances, ``dV/dt = a V + b`` with ``a = -(1 + R sum(g)) / tau`` (exact for COBA
    inputs), instead of holding the synaptic current fixed over the step."""

    def _fused(self) -> bool:
        return False

    def _integrate(self, V: Any, t: Any, I: Any) -> Any:  # noqa: E741, N803
        pairs = self.conductance_inputs()
        if not pairs:
            return super()._integrate(V, t, I)
        rate = -(1.0 + self.R * sum(g for g, _ in pairs)) / self.tau
        factor = bm.expm1(rate * environ.dt_value()) / rate
        return V + factor.astype(V.dtype) * self.derivative(V, t, I)


class LifLTC(_ConductancesInTheRate, Lif):
    """BrainPy 2's ``LifLTC``: :class:`Lif` whose step includes the conductances in its
    exponential rate."""


class LifRefLTC(_ConductancesInTheRate, LifRef):
    """BrainPy 2's ``LifRefLTC``: :class:`LifRef` whose step includes the conductances in
    its exponential rate."""


# ---- synapses -----------------------------------------------------------------------

def _synapse(base: type, doc: str) -> type:
    def __init__(self: Any, size: Any, keep_size: bool = False, sharding: Any = None,  # noqa: N807
                 method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 **params: Any) -> None:
        refuse_sharding(sharding)
        base.__init__(self, size, method=method, name=name, mode=mode, **params)

    return type(base.__name__, (_Variables, BrainPyCalls, base),
                {"__init__": __init__, "__doc__": doc, "__module__": __name__})


Expon = _synapse(_nn.Expon, "BrainPy 2's ``Expon(size, tau=8.0)`` (``brainx.nn.Expon``).")
DualExpon = _synapse(_nn.DualExpon, "BrainPy 2's ``DualExpon(size, tau_decay=10.0, "
                                    "tau_rise=1.0, A=None)`` (``brainx.nn.DualExpon``).")


class Alpha(_Variables, BrainPyCalls, _nn.Alpha):
    """BrainPy 2's ``Alpha(size, tau_decay=10.0)`` (``brainx.nn.Alpha`` with that ``tau``)."""

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 tau_decay: float = 10.0):
        refuse_sharding(sharding)
        super().__init__(size, tau=tau_decay, name=name, mode=mode)


class NMDA(_Variables, BrainPyCalls, _nn.NMDA):
    """BrainPy 2's ``NMDA(size, a=0.5, tau_decay=100.0, tau_rise=2.0)``."""

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 a: float = 0.5, tau_decay: float = 100.0, tau_rise: float = 2.0):
        refuse_sharding(sharding)
        super().__init__(size, a=a, tau_decay=tau_decay, tau_rise=tau_rise, name=name,
                         mode=mode)


class PoissonGroup(_Variables, BrainPyCalls, _nn.PoissonSpike):
    """BrainPy 2's ``PoissonGroup(size, freqs)`` (``brainx.nn.PoissonSpike``); ``freqs``
    may be a Variable that the program changes while it runs."""

    def __init__(self, size: Any, freqs: Any, keep_size: bool = False, sharding: Any = None,
                 spk_type: Any = None, name: str | None = None, mode: Any = None,
                 seed: int | None = None):
        refuse_sharding(sharding)
        seed = int(brainx.random.randint(0, 2**31 - 1)) if seed is None else seed
        super().__init__(size, freqs=freqs, seed=seed, name=name, mode=mode)


class VarDelay(BrainPyCalls, _nn.Delay):
    """BrainPy 2's ``VarDelay(variable, entries={name: time})``: a ``brainx.nn.Delay`` of a
    Variable; ``delay()`` pushes its value (or ``delay(x)`` pushes ``x``), ``delay.at(name)``
    reads the value of ``time`` ms ago (``None``: the last value pushed)."""

    def __init__(self, target: Any, time: Any = None, init: Any = None,
                 entries: dict | None = None, method: str = "rotation",
                 interp_method: str = "linear_interp", name: str | None = None,
                 mode: Any = None):
        if not isinstance(target, State):
            raise TypeError(f"VarDelay delays a Variable, got {type(target).__name__}")
        self.target = target
        super().__init__(target.value, time, init=init,
                         entries={k: (0.0 if v is None else v) for k, v in (entries or {}).items()},
                         delay_method=method, interp_method=interp_method, name=name, mode=mode)

    def update(self, latest_value: Any = None) -> Any:
        return super().update(self.target.value if latest_value is None else latest_value)


class SpikeTimeGroup(_Variables, BrainPyCalls, _nn.SpikeTimeGroup):
    """BrainPy 2's ``SpikeTimeGroup(size, indices, times)``: neuron ``indices[k]`` spikes at
    ``times[k]`` ms (``brainx.nn.SpikeTimeGroup``)."""

    def __init__(self, size: Any, indices: Any, times: Any, name: str | None = None,
                 sharding: Any = None, keep_size: bool = False, mode: Any = None,
                 need_sort: bool = True):
        refuse_sharding(sharding)
        super().__init__(size, indices=indices, times=times, name=name, mode=mode)


# ---- projections --------------------------------------------------------------------

def _built(module: Any) -> Any:
    return module() if isinstance(module, ParamDescriber) else module


def _output_of(pre: Any) -> Any:
    """What a population sends: its spikes (BrainPy's ``return_info``)."""
    spike = getattr(pre, "spike", None)
    if spike is None:
        raise TypeError(f"pre must be a population with a spike Variable, got "
                        f"{type(pre).__name__}")
    return spike.value


def arrival_lag(steps: int, synapse_first: bool = True) -> int:
    """The ``brainx.nn.Delay`` steps that give BrainPy 2.8's arrival of a delayed spike.

    The projection reads a population's spikes one step after they are made. In
    BrainPy 2.8.2 (measured: a spike at step 10 through each projection type), a delay of
    ``steps >= 2`` steps reaches the synapse ``steps - 1`` steps after the spike, and a
    delay of up to 2 steps one step after it; the delay-then-synapse projection
    (``FullProjAlignPreDSMg``) adds one step, reaching it ``max(2, steps)`` steps after.
    """
    if not steps:
        return 0
    return max(0, steps - 2) if synapse_first else max(1, steps - 1)


def spike_delay(pre: Any, steps: int, synapse_first: bool = True) -> Any:
    """A ``brainx.nn.Delay`` of ``pre``'s spikes with BrainPy's arrival (see
    :func:`arrival_lag`), or None when the spikes of the last step arrive as they are."""
    lag = arrival_lag(steps, synapse_first)
    return _nn.Delay(pre.varshape, lag * environ.dt_value()) if lag else None


def _steps(delay: Any) -> int:
    return int(round(float(delay) / environ.dt_value())) if delay else 0


def _delay(pre: Any, delay: Any, synapse_first: bool = True) -> Any:
    return spike_delay(pre, _steps(delay), synapse_first)


class HalfProjAlignPostMg(Projection):
    """comm -> syn (shared, on ``post``) -> out -> post; ``update(spikes)``
    (``brainx.nn.AlignPostProj`` with descriptors). Also ``ProjAlignPostMg1``."""

    def __init__(self, comm: Any, syn: Any, out: Any, post: Any, out_label: str | None = None,
                 name: str | None = None, mode: Any = None):
        super().__init__(name=name, mode=mode)
        self.proj = _nn.AlignPostProj(comm=comm, syn=syn, out=out, post=post, label=out_label)
        self.comm, self.syn, self.out, self.post = comm, self.proj.syn, self.proj.out, post

    def update(self, x: Any) -> Any:
        return self._deliver(x)

    def _deliver(self, x: Any) -> Any:
        if not (self.proj.merging and isinstance(self.syn, _nn.Expon)):
            return self.proj(x)
        # BrainPy adds the input to the shared synapse's g before the synapse decays it in
        # the postsynaptic update: g <- (g + x) exp(-dt / tau), where brainx steps
        # g <- g exp(-dt / tau) + x. The input is given already decayed, for BrainPy's values.
        delivered = self.comm(x)
        self.syn.add_delta_input(self.proj._key, delivered * self.syn.decay(delivered.dtype))
        return delivered


class FullProjAlignPostMg(HalfProjAlignPostMg):
    """pre -> delay -> comm -> syn (shared) -> out -> post; ``update()`` reads ``pre``'s
    spikes. Also ``ProjAlignPostMg2``."""

    def __init__(self, pre: Any, delay: Any, comm: Any, syn: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: Any = None):
        super().__init__(comm, syn, out, post, out_label=out_label, name=name, mode=mode)
        self.pre, self.delay = pre, _delay(pre, delay)

    def update(self) -> Any:
        spikes = _output_of(self.pre)
        return self._deliver(spikes if self.delay is None else self.delay(spikes))


class HalfProjAlignPost(HalfProjAlignPostMg):
    """comm -> syn -> out -> post with its own synapse and output instances. Also
    ``ProjAlignPost1``."""

    def __init__(self, comm: Any, syn: Any, out: Any, post: Any, out_label: str | None = None,
                 name: str | None = None, mode: Any = None):
        super().__init__(comm, _built(syn), _built(out), post, out_label=out_label, name=name,
                         mode=mode)


class FullProjAlignPost(FullProjAlignPostMg):
    """pre -> delay -> comm -> syn -> out -> post with its own synapse and output.
    Also ``ProjAlignPost2``."""

    def __init__(self, pre: Any, delay: Any, comm: Any, syn: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: Any = None):
        super().__init__(pre, delay, comm, _built(syn), _built(out), post,
                         out_label=out_label, name=name, mode=mode)


class FullProjAlignPreSDMg(Projection):
    """pre -> syn (on the presynaptic side) -> delay -> comm -> out -> post
    (``brainx.nn.AlignPreProj``). Also ``ProjAlignPreMg2``. The synaptic state depends on
    the presynaptic spikes only, so one synapse per projection gives BrainPy's merged
    values."""

    def __init__(self, pre: Any, syn: Any, delay: Any, comm: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: Any = None):
        super().__init__(name=name, mode=mode)
        _no("out_label", out_label, "brainx.nn.AlignPostProj takes label=")
        self.pre = pre
        lag = arrival_lag(_steps(delay))  # BrainPy's arrival of the delayed conductance
        self.proj = _nn.AlignPreProj(syn=_built(syn), comm=comm, out=_built(out), post=post,
                                     delay=lag * environ.dt_value() if lag else None)
        self.syn, self.comm, self.out, self.post = self.proj.syn, comm, self.proj.out, post

    def update(self) -> Any:
        return self.proj(_output_of(self.pre))


class FullProjAlignPreDSMg(FullProjAlignPreSDMg):
    """pre -> delay -> syn (on the presynaptic side) -> comm -> out -> post. Also
    ``ProjAlignPreMg1``."""

    def __init__(self, pre: Any, delay: Any, syn: Any, comm: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: Any = None):
        super().__init__(pre, syn, None, comm, out, post, out_label=out_label, name=name,
                         mode=mode)
        self.delay = _delay(pre, delay, synapse_first=False)

    def update(self) -> Any:
        spikes = _output_of(self.pre)
        return self.proj(spikes if self.delay is None else self.delay(spikes))


FullProjAlignPreSD, FullProjAlignPreDS = FullProjAlignPreSDMg, FullProjAlignPreDSMg
ProjAlignPostMg1, ProjAlignPostMg2 = HalfProjAlignPostMg, FullProjAlignPostMg
ProjAlignPost1, ProjAlignPost2 = HalfProjAlignPost, FullProjAlignPost
ProjAlignPreMg1, ProjAlignPreMg2 = FullProjAlignPreDSMg, FullProjAlignPreSDMg
ProjAlignPre1, ProjAlignPre2 = FullProjAlignPreSD, FullProjAlignPreDS
# BrainPy 2.4's names (removed in 2.8): pre -> syn -> delay, and pre -> delay -> comm -> syn
ProjAlignPre, ProjAlignPost = FullProjAlignPreSD, FullProjAlignPost


class VanillaProj(Projection):
    """comm -> out -> post: ``update(x)`` gives ``comm(x)`` to ``out`` as its conductance."""

    def __init__(self, comm: Any, out: Any, post: Any, name: str | None = None,
                 mode: Any = None):
        super().__init__(name=name, mode=mode)
        self.comm, self.out, self.post = comm, _built(out), post
        post.add_current_input(f"VanillaProj{id(self)}", self.out)

    def update(self, x: Any) -> Any:
        g = self.comm(x)
        self.out.bind_cond(g)
        return g


class HalfProjDelta(Projection):
    """comm -> post: ``update(x)`` adds ``comm(x)`` to ``post``'s ``V`` (a delta synapse,
    ``brainx.nn.DeltaProj``)."""

    def __init__(self, comm: Any, post: Any, name: str | None = None, mode: Any = None):
        super().__init__(name=name, mode=mode)
        self.proj = _nn.DeltaProj(comm=comm, post=post)
        self.comm, self.post = comm, post

    def update(self, x: Any) -> Any:
        return self.proj(x)


class FullProjDelta(HalfProjDelta):
    """pre -> delay -> comm -> post (a delta synapse reading ``pre``'s spikes)."""

    def __init__(self, pre: Any, delay: Any, comm: Any, post: Any, name: str | None = None,
                 mode: Any = None):
        super().__init__(comm, post, name=name, mode=mode)
        self.pre, self.delay = pre, _delay(pre, delay)

    def update(self) -> Any:
        spikes = _output_of(self.pre)
        return self.proj(spikes if self.delay is None else self.delay(spikes))
