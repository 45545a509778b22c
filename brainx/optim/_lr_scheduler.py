"""Learning-rate schedules whose step counters live in States.

A schedule is called with no argument to give the learning rate for its own
counter, or with a step ``i`` to give the rate at that step. Epoch-based
schedules count :meth:`~LearningRateScheduler.step_epoch` calls (``last_epoch``);
call-based ones also count :meth:`~LearningRateScheduler.step_call` calls
(``last_call``), which an optimiser makes once per update. The counters are
``LongTermState``s, so a schedule advances correctly inside ``brainx.compile``
transforms. Schedules are written with ``brainx.math`` and run on every backend.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import brainx.math as bm
from brainx import environ
from brainx.graph import Node
from brainx.state import LongTermState, State

__all__ = [
    "LearningRateScheduler",
    "CallBasedLRScheduler",
    "make_schedule",
    "ConstantLR",
    "StepLR",
    "MultiStepLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "ExponentialLR",
    "ExponentialDecayLR",
    "InverseTimeDecayLR",
    "PolynomialDecayLR",
    "PiecewiseConstantLR",
    "LinearLR",
    "CyclicLR",
    "OneCycleLR",
]


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _nonnegative(name: str, value: Any) -> float:
    if not _is_real(value) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def _positive(name: str, value: Any) -> float:
    if not _is_real(value) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _positive_int(name: str, value: Any) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _unit(name: str, value: Any) -> float:
    if not _is_real(value) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)


def _counter(name: str, value: Any) -> LongTermState:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < -1:
        raise ValueError(f"{name} must be an integer >= -1, got {value!r}")
    return LongTermState(bm.asarray(int(value), dtype=environ.ditype()), name=name)


def _check_lr(lr: Any, name: str = "lr") -> float | State:
    if isinstance(lr, State):
        value = lr.value
        if getattr(value, "ndim", 0) != 0:
            raise ValueError(f"{name} must be a scalar; the State holds shape "
                             f"{getattr(value, 'shape', None)}")
        return lr
    return _nonnegative(name, lr)


def _float(x: Any) -> Any:
    return bm.asarray(x, dtype=environ.dftype())


class LearningRateScheduler(Node):
    """Base class of learning-rate schedules.

    Parameters
    ----------
    lr : float or State
        The base learning rate (a State holding a scalar is read at every call,
        so assigning it changes the rate).
    last_epoch : int
        The index of the last epoch; ``-1`` (the default) starts at epoch 0.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.StepLR(0.1, step_size=2, gamma=0.5)
    ...     rates = []
    ...     for epoch in range(5):
    ...         rates.append(round(float(sched()), 4))
    ...         sched.step_epoch()
    >>> rates
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    def __init__(self, lr: float | State, last_epoch: int = -1):
        self._lr = _check_lr(lr)
        self.last_epoch = _counter("last_epoch", last_epoch)

    def _graph_fields(self) -> list[tuple[str, Any]]:
        return [("lr", self._lr)] + super()._graph_fields()

    @property
    def lr(self) -> Any:
        """The base learning rate."""
        return self._lr.value if isinstance(self._lr, State) else self._lr

    @lr.setter
    def lr(self, value: Any) -> None:
        if isinstance(value, State):
            value = value.value
        if getattr(value, "ndim", 0) != 0:
            raise ValueError(f"lr must be a scalar, got shape {getattr(value, 'shape', None)}")
        if isinstance(self._lr, State):
            self._lr.value = value
        else:
            self._lr = _nonnegative("lr", value)

    def step_epoch(self) -> None:
        """Advance the epoch counter by one."""
        self.last_epoch.value = self.last_epoch.value + 1

    def step_call(self) -> None:
        """Advance the call counter (a no-op for epoch-based schedules)."""

    def _step(self, i: Any) -> Any:
        return _float(self.last_epoch.value + 1 if i is None else i)

    def __call__(self, i: Any = None) -> Any:
        """The learning rate at step ``i`` (by default, the schedule's next step)."""
        raise NotImplementedError(f"{type(self).__name__} must define __call__")


class CallBasedLRScheduler(LearningRateScheduler):
    """Base class of schedules that follow the number of optimiser updates.

    Parameters
    ----------
    lr : float or State
        The base learning rate.
    last_epoch, last_call : int
        The indices of the last epoch and of the last call; ``-1`` starts at 0.
    """

    def __init__(self, lr: float | State, last_epoch: int = -1, last_call: int = -1):
        super().__init__(lr, last_epoch=last_epoch)
        self.last_call = _counter("last_call", last_call)

    def step_call(self) -> None:
        """Advance the call counter by one (optimisers call this after each update)."""
        self.last_call.value = self.last_call.value + 1

    def _step(self, i: Any) -> Any:
        return _float(self.last_call.value + 1 if i is None else i)


def make_schedule(lr: Any) -> LearningRateScheduler:
    """A schedule from a number, a State holding a scalar, or a schedule (returned as is).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(round(float(brainx.optim.make_schedule(0.01)()), 6))
    0.01
    """
    if isinstance(lr, LearningRateScheduler):
        return lr
    if isinstance(lr, State) or _is_real(lr):
        return ConstantLR(lr)
    raise TypeError(f"lr must be a number, a State holding a scalar or a "
                    f"LearningRateScheduler, got {type(lr).__name__} {lr!r}")


class ConstantLR(LearningRateScheduler):
    """The same learning rate at every step.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print(float(brainx.optim.ConstantLR(0.5)(100)))
    0.5
    """

    def __call__(self, i: Any = None) -> Any:
        return _float(self.lr)


class StepLR(LearningRateScheduler):
    """``lr * gamma ** (epoch // step_size)``.

    Parameters
    ----------
    lr : float or State
        The initial learning rate.
    step_size : int
        The number of epochs between decays.
    gamma : float
        The factor of each decay, in [0, 1].
    last_epoch : int
        The index of the last epoch.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print([round(float(brainx.optim.StepLR(1.0, 3, 0.1)(i)), 4) for i in (0, 2, 3, 6)])
    [1.0, 1.0, 0.1, 0.01]
    """

    def __init__(self, lr: float | State, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1):
        super().__init__(lr, last_epoch)
        self.step_size = _positive_int("step_size", step_size)
        self.gamma = _unit("gamma", gamma)

    def __call__(self, i: Any = None) -> Any:
        i = self._step(i)
        return _float(self.lr * self.gamma ** bm.floor(i / self.step_size))


class MultiStepLR(LearningRateScheduler):
    """``lr * gamma ** (number of milestones <= epoch)``.

    Parameters
    ----------
    lr : float or State
        The initial learning rate.
    milestones : sequence of int
        Strictly increasing epoch indices at which the rate decays.
    gamma : float
        The factor of each decay, in [0, 1].
    last_epoch : int
        The index of the last epoch.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.MultiStepLR(1.0, [2, 5], gamma=0.5)
    ...     print([float(sched(i)) for i in (0, 1, 2, 4, 5, 9)])
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(self, lr: float | State, milestones: Sequence[int], gamma: float = 0.1,
                 last_epoch: int = -1):
        super().__init__(lr, last_epoch)
        try:
            milestones = list(milestones)
        except TypeError:
            pass
        if (not isinstance(milestones, list) or not milestones
                or not all(isinstance(m, numbers.Integral) for m in milestones)
                or any(a >= b for a, b in zip(milestones, milestones[1:], strict=False))):
            raise ValueError(f"milestones must be a non-empty, strictly increasing sequence of "
                             f"integers, got {milestones!r}")
        self.milestones = tuple(int(m) for m in milestones)
        self.gamma = _unit("gamma", gamma)

    def __call__(self, i: Any = None) -> Any:
        i = self._step(i)
        passed = bm.sum(bm.asarray(self.milestones, dtype=environ.dftype()) <= i)
        return _float(self.lr * self.gamma ** passed)


class CosineAnnealingLR(LearningRateScheduler):
    r"""Cosine annealing from ``lr`` to ``eta_min`` over ``T_max`` epochs.

    :math:`\eta_t = \eta_{min} + (\eta_{max} - \eta_{min}) (1 + \cos(\pi t / T_{max})) / 2`
    (the closed form; past ``T_max`` the cosine rises again, as in PyTorch).

    Parameters
    ----------
    lr : float or State
        The initial (largest) learning rate.
    T_max : int
        The number of epochs of a half period.
    eta_min : float
        The smallest learning rate.
    last_epoch : int
        The index of the last epoch.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.CosineAnnealingLR(1.0, T_max=4)
    ...     print([round(float(sched(i)), 4) for i in range(5)])
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, lr: float | State, T_max: int, eta_min: float = 0.,  # noqa: N803
                 last_epoch: int = -1):
        super().__init__(lr, last_epoch)
        self.T_max = _positive_int("T_max", T_max)
        self.eta_min = _nonnegative("eta_min", eta_min)

    def __call__(self, i: Any = None) -> Any:
        i = self._step(i)
        cos = (1 + bm.cos(math.pi * i / self.T_max)) / 2
        return _float(self.eta_min + (self.lr - self.eta_min) * cos)


class CosineAnnealingWarmRestarts(CallBasedLRScheduler):
    r"""Cosine annealing restarted every ``T_0 * T_mult ** k`` epochs (SGDR).

    The epoch is ``floor(call / num_call_per_epoch)``; within the current period
    of length :math:`T_i` the rate is
    :math:`\eta_{min} + (\eta_{max} - \eta_{min})(1 + \cos(\pi T_{cur} / T_i)) / 2`.

    Parameters
    ----------
    lr : float or State
        The largest learning rate.
    num_call_per_epoch : int
        The number of updates (calls) per epoch, usually the number of batches.
    T_0 : int
        The number of epochs before the first restart.
    T_mult : int
        The factor by which each period is longer than the one before.
    eta_min : float
        The smallest learning rate.
    last_epoch, last_call : int
        The indices of the last epoch and call.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.CosineAnnealingWarmRestarts(1.0, 1, T_0=2, T_mult=2)
    ...     print([round(float(sched(i)), 4) for i in range(7)])
    [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 1.0]
    """

    def __init__(self, lr: float | State, num_call_per_epoch: int, T_0: int,  # noqa: N803
                 T_mult: int = 1, eta_min: float = 0., last_epoch: int = -1,  # noqa: N803
                 last_call: int = -1):
        super().__init__(lr, last_epoch=last_epoch, last_call=last_call)
        self.num_call_per_epoch = _positive_int("num_call_per_epoch", num_call_per_epoch)
        self.T_0 = _positive_int("T_0", T_0)
        self.T_mult = _positive_int("T_mult", T_mult)
        self.eta_min = _nonnegative("eta_min", eta_min)

    def current_epoch(self, i: Any = None) -> Any:
        """The epoch of call ``i`` (by default, of the next call)."""
        return bm.floor(self._step(i) / self.num_call_per_epoch)

    def __call__(self, i: Any = None) -> Any:
        epoch = self.current_epoch(i)
        if self.T_mult == 1:
            t_cur, t_i = epoch % self.T_0, _float(self.T_0)
        else:
            m = self.T_mult
            n = bm.floor(bm.log(epoch / self.T_0 * (m - 1) + 1) / math.log(m))
            # the logarithm may land just below an integer at a restart: correct n by one
            n = bm.where(epoch >= self.T_0 * (m ** (n + 1) - 1) / (m - 1), n + 1, n)
            n = bm.where(epoch < self.T_0 * (m ** n - 1) / (m - 1), n - 1, n)
            t_cur = epoch - self.T_0 * (m ** n - 1) / (m - 1)
            t_i = self.T_0 * m ** n
        cos = (1 + bm.cos(math.pi * t_cur / t_i)) / 2
        return _float(self.eta_min + (self.lr - self.eta_min) * cos)


class ExponentialLR(LearningRateScheduler):
    """``lr * gamma ** epoch``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     print([float(brainx.optim.ExponentialLR(1.0, 0.5)(i)) for i in range(4)])
    [1.0, 0.5, 0.25, 0.125]
    """

    def __init__(self, lr: float | State, gamma: float, last_epoch: int = -1):
        super().__init__(lr, last_epoch)
        self.gamma = _unit("gamma", gamma)

    def __call__(self, i: Any = None) -> Any:
        return _float(self.lr * self.gamma ** self._step(i))


class ExponentialDecayLR(CallBasedLRScheduler):
    """``lr * decay_rate ** (call / decay_steps)``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.ExponentialDecayLR(1.0, decay_steps=2, decay_rate=0.25)
    ...     print([float(sched(i)) for i in range(4)])
    [1.0, 0.5, 0.25, 0.125]
    """

    def __init__(self, lr: float | State, decay_steps: int, decay_rate: float,
                 last_epoch: int = -1, last_call: int = -1):
        super().__init__(lr, last_epoch=last_epoch, last_call=last_call)
        self.decay_steps = _positive("decay_steps", decay_steps)
        self.decay_rate = _nonnegative("decay_rate", decay_rate)

    def __call__(self, i: Any = None) -> Any:
        return _float(self.lr * self.decay_rate ** (self._step(i) / self.decay_steps))


class InverseTimeDecayLR(ExponentialDecayLR):
    """``lr / (1 + decay_rate * call / decay_steps)`` (the ratio floored if ``staircase``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.InverseTimeDecayLR(1.0, 2, 1.0, staircase=True)
    ...     print([round(float(sched(i)), 4) for i in range(5)])
    [1.0, 1.0, 0.5, 0.5, 0.3333]
    """

    def __init__(self, lr: float | State, decay_steps: int, decay_rate: float,
                 staircase: bool = False, last_epoch: int = -1, last_call: int = -1):
        super().__init__(lr, decay_steps, decay_rate, last_epoch=last_epoch,
                         last_call=last_call)
        self.staircase = bool(staircase)

    def __call__(self, i: Any = None) -> Any:
        ratio = self._step(i) / self.decay_steps
        if self.staircase:
            ratio = bm.floor(ratio)
        return _float(self.lr / (1 + self.decay_rate * ratio))


class PolynomialDecayLR(CallBasedLRScheduler):
    """``(lr - final_lr) * (1 - min(call, decay_steps) / decay_steps) ** power + final_lr``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.PolynomialDecayLR(1.0, decay_steps=4, final_lr=0.2, power=2.0)
    ...     print([round(float(sched(i)), 4) for i in (0, 2, 4, 10)])
    [1.0, 0.4, 0.2, 0.2]
    """

    def __init__(self, lr: float | State, decay_steps: int, final_lr: float,
                 power: float = 1.0, last_epoch: int = -1, last_call: int = -1):
        super().__init__(lr, last_epoch=last_epoch, last_call=last_call)
        self.decay_steps = _positive_int("decay_steps", decay_steps)
        self.final_lr = _nonnegative("final_lr", final_lr)
        self.power = _positive("power", power)

    def __call__(self, i: Any = None) -> Any:
        i = bm.minimum(self._step(i), self.decay_steps)
        mult = (1 - i / self.decay_steps) ** self.power
        return _float(mult * (self.lr - self.final_lr) + self.final_lr)


class PiecewiseConstantLR(CallBasedLRScheduler):
    """``values[k]`` where ``k`` is the number of ``boundaries`` below the call index.

    Parameters
    ----------
    boundaries : sequence of int
        Increasing call indices; the rate changes just after each one.
    values : sequence of float
        One more rate than there are boundaries.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.PiecewiseConstantLR([2, 4], [1.0, 0.5, 0.1])
    ...     print([round(float(sched(i)), 4) for i in range(6)])
    [1.0, 1.0, 1.0, 0.5, 0.5, 0.1]
    """

    def __init__(self, boundaries: Sequence[int], values: Sequence[float],
                 last_epoch: int = -1, last_call: int = -1):
        if not isinstance(boundaries, (list, tuple)) or not isinstance(values, (list, tuple)):
            raise ValueError(f"boundaries and values must be sequences, got {boundaries!r} and "
                             f"{values!r}")
        if len(values) != len(boundaries) + 1:
            raise ValueError(f"values must have one more entry than boundaries, got "
                             f"{len(boundaries)} boundaries and {len(values)} values")
        if any(a > b for a, b in zip(boundaries, boundaries[1:], strict=False)):
            raise ValueError(f"boundaries must be increasing, got {boundaries!r}")
        values = [_nonnegative("values", v) for v in values]
        super().__init__(values[0], last_epoch=last_epoch, last_call=last_call)
        self.boundaries = tuple(boundaries)
        self.values = tuple(values)

    def __call__(self, i: Any = None) -> Any:
        i = self._step(i)
        k = bm.sum(bm.asarray(self.boundaries, dtype=environ.dftype()) < i)
        return bm.take(bm.asarray(self.values, dtype=environ.dftype()), k)


class LinearLR(LearningRateScheduler):
    """``lr`` times a factor going linearly from ``start_factor`` to ``end_factor``.

    The factor reaches ``end_factor`` after ``total_iters`` epochs and stays there
    (PyTorch's ``LinearLR``).

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.LinearLR(1.0, start_factor=0.5, total_iters=2)
    ...     print([float(sched(i)) for i in range(4)])
    [0.5, 0.75, 1.0, 1.0]
    """

    def __init__(self, lr: float | State, start_factor: float = 1. / 3, end_factor: float = 1.,
                 total_iters: int = 5, last_epoch: int = -1):
        super().__init__(lr, last_epoch)
        if not _is_real(start_factor) or not 0 < start_factor <= 1:
            raise ValueError(f"start_factor must be a number in (0, 1], got {start_factor!r}")
        self.start_factor = float(start_factor)
        self.end_factor = _unit("end_factor", end_factor)
        self.total_iters = _positive_int("total_iters", total_iters)

    def __call__(self, i: Any = None) -> Any:
        frac = bm.minimum(self._step(i), self.total_iters) / self.total_iters
        return _float(self.lr * (self.start_factor + (self.end_factor - self.start_factor)
                                 * frac))


_CYCLIC_MODES = {
    "triangular": (lambda x: 1.0, "cycle"),
    "triangular2": (lambda x: 1 / 2.0 ** (x - 1), "cycle"),
}


class CyclicLR(CallBasedLRScheduler):
    """A rate cycling between ``base_lr`` and ``max_lr`` (PyTorch's ``CyclicLR``).

    Parameters
    ----------
    base_lr : float
        The lower end of the cycle (the rate at call 0).
    max_lr : float
        The upper end of the cycle.
    step_size_up : int
        The number of calls rising from ``base_lr`` to ``max_lr``.
    step_size_down : int, optional
        The number of calls falling back (``step_size_up`` if not given).
    mode : {'triangular', 'triangular2', 'exp_range'}
        The amplitude: constant, halved every cycle, or scaled by
        ``gamma ** call``. Ignored when ``scale_fn`` is given.
    gamma : float
        The factor of ``'exp_range'``.
    scale_fn : callable, optional
        A custom amplitude ``scale_fn(x)``, with ``x`` the cycle (``scale_mode='cycle'``)
        or the call index (``scale_mode='iterations'``).
    scale_mode : {'cycle', 'iterations'}
        The argument of ``scale_fn``.
    last_epoch, last_call : int
        The indices of the last epoch and call.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.CyclicLR(0.1, 1.0, step_size_up=2, mode='triangular2')
    ...     print([round(float(sched(i)), 4) for i in range(7)])
    [0.1, 0.55, 1.0, 0.55, 0.1, 0.325, 0.55]
    """

    def __init__(self, base_lr: float, max_lr: float, step_size_up: int = 2000,
                 step_size_down: int | None = None, mode: str = "triangular",
                 gamma: float = 1.0, scale_fn: Callable[[Any], Any] | None = None,
                 scale_mode: str = "cycle", last_epoch: int = -1, last_call: int = -1):
        super().__init__(_check_lr(base_lr, "base_lr"), last_epoch=last_epoch,
                         last_call=last_call)
        self.max_lr = _nonnegative("max_lr", max_lr)
        up = _positive_int("step_size_up", step_size_up)
        down = up if step_size_down is None else _positive_int("step_size_down", step_size_down)
        self.total_size = float(up + down)
        self.step_ratio = up / self.total_size
        self.gamma = _positive("gamma", gamma)
        if scale_fn is None:
            if mode == "exp_range":
                self._scale_fn, self.scale_mode = (lambda x: self.gamma ** x), "iterations"
            elif mode in _CYCLIC_MODES:
                self._scale_fn, self.scale_mode = _CYCLIC_MODES[mode]
            else:
                raise ValueError(f"mode must be 'triangular', 'triangular2' or 'exp_range', "
                                 f"got {mode!r}")
        else:
            if not callable(scale_fn):
                raise TypeError(f"scale_fn must be callable, got {scale_fn!r}")
            if scale_mode not in ("cycle", "iterations"):
                raise ValueError(f"scale_mode must be 'cycle' or 'iterations', got "
                                 f"{scale_mode!r}")
            self._scale_fn, self.scale_mode = scale_fn, scale_mode
        self.mode = mode

    def __call__(self, i: Any = None) -> Any:
        i = self._step(i)
        cycle = bm.floor(1 + i / self.total_size)
        x = 1.0 + i / self.total_size - cycle
        factor = bm.where(x <= self.step_ratio, x / self.step_ratio,
                          (x - 1) / (self.step_ratio - 1))
        height = (self.max_lr - self.lr) * factor
        scale = self._scale_fn(cycle if self.scale_mode == "cycle" else i)
        return _float(self.lr + height * scale)


class OneCycleLR(CallBasedLRScheduler):
    """The 1cycle policy: warm up to ``max_lr``, then anneal far below the start.

    Starts at ``max_lr / div_factor``, reaches ``max_lr`` after ``pct_start *
    total_steps`` calls and ends at ``max_lr / (div_factor * final_div_factor)``
    at call ``total_steps - 1`` (PyTorch's ``OneCycleLR``, without momentum
    cycling); later calls keep the final rate. ``three_phase`` first anneals back
    to the starting rate, then down to the final one.

    Parameters
    ----------
    max_lr : float
        The peak learning rate.
    total_steps : int
        The length of the cycle, in calls.
    pct_start : float
        The fraction of the cycle spent rising.
    anneal_strategy : {'cos', 'linear'}
        The shape of each phase.
    div_factor, final_div_factor : float
        The starting rate is ``max_lr / div_factor``; the final one is that divided
        by ``final_div_factor``.
    three_phase : bool
        Use three phases instead of two.
    last_epoch, last_call : int
        The indices of the last epoch and call.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     sched = brainx.optim.OneCycleLR(1.0, total_steps=5, pct_start=0.4,
    ...                                    anneal_strategy='linear', final_div_factor=10.)
    ...     print([round(float(sched(i)), 4) for i in range(5)])
    [0.04, 1.0, 0.668, 0.336, 0.004]
    """

    def __init__(self, max_lr: float, total_steps: int, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", div_factor: float = 25.,
                 final_div_factor: float = 1e4, three_phase: bool = False,
                 last_epoch: int = -1, last_call: int = -1):
        super().__init__(_check_lr(max_lr, "max_lr"), last_epoch=last_epoch,
                         last_call=last_call)
        self.total_steps = _positive_int("total_steps", total_steps)
        if not _is_real(pct_start) or not 0 < pct_start < 1:
            raise ValueError(f"pct_start must be a number in (0, 1), got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be 'cos' or 'linear', got "
                             f"{anneal_strategy!r}")
        self.pct_start = float(pct_start)
        self.anneal_strategy = anneal_strategy
        self.div_factor = _positive("div_factor", div_factor)
        self.final_div_factor = _positive("final_div_factor", final_div_factor)
        self.three_phase = bool(three_phase)
        ends = [0.0] + [end for end, _, _ in self._phases()]
        if any(b <= a for a, b in zip(ends, ends[1:], strict=False)):
            raise ValueError(f"pct_start * total_steps = {self.pct_start * self.total_steps} "
                             f"leaves a phase without steps; use more total_steps or another "
                             f"pct_start")

    def _phases(self) -> list[tuple[float, str, str]]:
        n = self.total_steps
        if self.three_phase:
            return [(self.pct_start * n - 1, "initial", "max"),
                    (2 * self.pct_start * n - 2, "max", "initial"),
                    (n - 1, "initial", "min")]
        return [(self.pct_start * n - 1, "initial", "max"), (n - 1, "max", "min")]

    def _anneal(self, start: Any, end: Any, pct: Any) -> Any:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2 * (bm.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def __call__(self, i: Any = None) -> Any:
        i = bm.minimum(self._step(i), self.total_steps - 1)
        initial = self.lr / self.div_factor
        rates = {"initial": initial, "max": self.lr, "min": initial / self.final_div_factor}
        result, start_step = None, 0.0
        for end_step, start, end in self._phases():
            pct = (i - start_step) / (end_step - start_step)
            value = self._anneal(rates[start], rates[end], pct)
            # a step past the previous phase's end belongs to this phase
            result = value if result is None else bm.where(i <= start_step, result, value)
            start_step = end_step
        return _float(result)
