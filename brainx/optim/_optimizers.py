"""brainstate's optimisers (SGD, Momentum, Adam, ...), each an optax transformation.

The learning rate is a schedule (:mod:`brainx.optim._lr_scheduler`) read at every
update and stepped after it. ``weight_decay`` follows brainstate: for the
optimisers where it is optional (``None`` by default) it is decoupled and not
scaled by the learning rate, ``w <- (1 - weight_decay) * w - update``; AdamW's is
scaled by the learning rate, Adan's is proximal (or AdamW-like with ``no_prox``),
and LARS adds ``weight_decay * w`` to the gradient (an L2 penalty).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from brainx.optim._base import Optimizer, _optax
from brainx.optim._lr_scheduler import LearningRateScheduler, make_schedule
from brainx.state import State

__all__ = [
    "SGDOptimizer",
    "SGD",
    "Momentum",
    "MomentumNesterov",
    "Adagrad",
    "Adadelta",
    "RMSProp",
    "Adam",
    "LARS",
    "Adan",
    "AdamW",
    "LBFGS",
]

LR = float | State | LearningRateScheduler


def _real(name: str, value: Any, low: float, high: float, high_open: bool = False) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    ok = ok and low <= value and (value < high if high_open else value <= high)
    if not ok:
        if high == float("inf"):
            what = f"a number >= {low}"
        else:
            what = f"a number in [{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return float(value)


def _beta(name: str, value: Any) -> float:
    return _real(name, value, 0.0, 1.0, high_open=True)


def _nonnegative(name: str, value: Any) -> float:
    return _real(name, value, 0.0, float("inf"))


class SGDOptimizer(Optimizer):
    """Base class of the optimisers driven by a learning rate.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate; a number or a State becomes a :class:`ConstantLR`.
    """

    def __init__(self, lr: LR):
        super().__init__()
        self.lr = make_schedule(lr)


class _WeightDecayOptimizer(SGDOptimizer):
    def __init__(self, lr: LR, weight_decay: float | None = None):
        super().__init__(lr)
        self.weight_decay = (None if weight_decay is None
                             else _real("weight_decay", weight_decay, 0.0, 1.0))

    def _decayed(self, tx: Any) -> Any:
        """``tx`` followed by brainstate's decay ``w <- (1 - weight_decay) * w - update``."""
        if not self.weight_decay:
            return tx
        optax = _optax()
        return optax.chain(tx, optax.add_decayed_weights(-self.weight_decay))


class SGD(_WeightDecayOptimizer):
    r"""Stochastic gradient descent, :math:`\theta \leftarrow \theta - \eta g`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    weight_decay : float, optional
        Decoupled decay in [0, 1]: :math:`\theta \leftarrow (1 - \lambda)\theta - \eta g`.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('jax'):
    ...     w = brainx.ParamState(np.array([1., 2.], np.float32))
    ...     opt = brainx.optim.SGD(0.1, weight_decay=0.5)
    ...     opt = opt.register_trainable_weights({'w': w})
    ...     opt.update({'w': np.array([1., 1.], np.float32)})
    ...     print(np.round(np.asarray(w.value), 4))
    [0.4 0.9]
    """

    def __init__(self, lr: LR, weight_decay: float | None = None):
        super().__init__(lr, weight_decay)
        self._tx = self._decayed(_optax().sgd(self._current_lr))


class Momentum(_WeightDecayOptimizer):
    r"""Gradient descent with momentum: :math:`v \leftarrow \mu v + g`,
    :math:`\theta \leftarrow \theta - \eta v`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    momentum : float
        The momentum :math:`\mu`, in [0, 1).
    weight_decay : float, optional
        Decoupled decay in [0, 1].
    """

    def __init__(self, lr: LR, momentum: float = 0.9, weight_decay: float | None = None):
        super().__init__(lr, weight_decay)
        self.momentum = _beta("momentum", momentum)
        self._tx = self._decayed(_optax().sgd(self._current_lr, momentum=self.momentum))


class MomentumNesterov(_WeightDecayOptimizer):
    r"""Nesterov's accelerated gradient: :math:`v \leftarrow \mu v + g`,
    :math:`\theta \leftarrow \theta - \eta (g + \mu v)`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    weight_decay : float, optional
        Decoupled decay in [0, 1].
    momentum : float
        The momentum :math:`\mu`, in [0, 1).
    """

    def __init__(self, lr: LR, weight_decay: float | None = None, momentum: float = 0.9):
        super().__init__(lr, weight_decay)
        self.momentum = _beta("momentum", momentum)
        self._tx = self._decayed(_optax().sgd(self._current_lr, momentum=self.momentum,
                                              nesterov=True))


class Adagrad(_WeightDecayOptimizer):
    r"""Adagrad: :math:`G \leftarrow G + g^2`,
    :math:`\theta \leftarrow \theta - \eta g / \sqrt{G + \epsilon}`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    weight_decay : float, optional
        Decoupled decay in [0, 1].
    epsilon : float
        Added to the accumulated squares under the square root.
    """

    def __init__(self, lr: LR, weight_decay: float | None = None, epsilon: float = 1e-6):
        super().__init__(lr, weight_decay)
        self.epsilon = _nonnegative("epsilon", epsilon)
        self._tx = self._decayed(_optax().adagrad(self._current_lr, initial_accumulator_value=0.,
                                                  eps=self.epsilon))


class Adadelta(_WeightDecayOptimizer):
    r"""Adadelta: a step size from running averages of squared gradients and updates.

    :math:`s \leftarrow \rho s + (1-\rho) g^2`,
    :math:`u = g \sqrt{\Delta + \epsilon} / \sqrt{s + \epsilon}`,
    :math:`\Delta \leftarrow \rho \Delta + (1-\rho) u^2`,
    :math:`\theta \leftarrow \theta - \eta u`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate (1.0 is Zeiler's original method).
    weight_decay : float, optional
        Decoupled decay in [0, 1].
    epsilon : float
        Added under both square roots.
    rho : float
        The averaging factor, in [0, 1].
    """

    def __init__(self, lr: LR = 1.0, weight_decay: float | None = None, epsilon: float = 1e-6,
                 rho: float = 0.95):
        super().__init__(lr, weight_decay)
        self.epsilon = _nonnegative("epsilon", epsilon)
        self.rho = _real("rho", rho, 0.0, 1.0)
        self._tx = self._decayed(_optax().adadelta(self._current_lr, rho=self.rho,
                                                   eps=self.epsilon))


class RMSProp(_WeightDecayOptimizer):
    r"""RMSProp: :math:`c \leftarrow \rho c + (1-\rho) g^2`,
    :math:`\theta \leftarrow \theta - \eta g / \sqrt{c + \epsilon}`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    weight_decay : float, optional
        Decoupled decay in [0, 1].
    epsilon : float
        Added to the average under the square root.
    rho : float
        The averaging factor, in [0, 1].
    """

    def __init__(self, lr: LR, weight_decay: float | None = None, epsilon: float = 1e-6,
                 rho: float = 0.9):
        super().__init__(lr, weight_decay)
        self.epsilon = _nonnegative("epsilon", epsilon)
        self.rho = _real("rho", rho, 0.0, 1.0)
        self._tx = self._decayed(_optax().rmsprop(self._current_lr, decay=self.rho,
                                                  eps=self.epsilon, eps_in_sqrt=True))


class Adam(_WeightDecayOptimizer):
    r"""Adam (Kingma & Ba): bias-corrected first and second moments of the gradient.

    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
    :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
    :math:`\theta \leftarrow \theta - \eta \hat m / (\sqrt{\hat v} + \epsilon)` with
    :math:`\hat m = m / (1 - \beta_1^t)`, :math:`\hat v = v / (1 - \beta_2^t)`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    beta1, beta2 : float
        The decay rates of the moments, in [0, 1).
    eps : float
        Added to the denominator.
    weight_decay : float, optional
        Decoupled decay in [0, 1], not scaled by ``lr`` (use :class:`AdamW` for
        decay scaled by the learning rate).

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('jax'):
    ...     w = brainx.ParamState(np.array([1., 1.], np.float32))
    ...     opt = brainx.optim.Adam(lr=0.1).register_trainable_weights({'w': w})
    ...     for _ in range(3):
    ...         opt.update({'w': np.array([4., -0.5], np.float32)})
    ...     print(np.round(np.asarray(w.value), 4))
    [0.7 1.3]
    """

    def __init__(self, lr: LR, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float | None = None):
        super().__init__(lr, weight_decay)
        self.beta1 = _beta("beta1", beta1)
        self.beta2 = _beta("beta2", beta2)
        self.eps = _nonnegative("eps", eps)
        self._tx = self._decayed(_optax().adam(self._current_lr, b1=self.beta1, b2=self.beta2,
                                               eps=self.eps))


class LARS(SGDOptimizer):
    r"""Layer-wise adaptive rate scaling (You et al.): each array's step is scaled by
    a trust ratio :math:`tc \cdot \lVert \theta \rVert / \lVert g + \lambda \theta \rVert`,
    then accumulated with momentum.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    momentum : float
        The momentum, in [0, 1).
    weight_decay : float
        The L2 penalty :math:`\lambda` added to the gradient.
    tc : float
        The trust coefficient.
    eps : float
        Added to the trust ratio's denominator.
    """

    def __init__(self, lr: LR, momentum: float = 0.9, weight_decay: float = 1e-4,
                 tc: float = 1e-3, eps: float = 1e-5):
        super().__init__(lr)
        self.momentum = _beta("momentum", momentum)
        self.weight_decay = _nonnegative("weight_decay", weight_decay)
        self.tc = _nonnegative("tc", tc)
        self.eps = _nonnegative("eps", eps)
        self._tx = _optax().lars(self._current_lr, weight_decay=self.weight_decay,
                                 trust_coefficient=self.tc, eps=self.eps,
                                 momentum=self.momentum)


class Adan(SGDOptimizer):
    r"""Adan (Xie et al.): adaptive Nesterov momentum.

    ``betas`` are brainstate's (and the paper's) coefficients of the *new* term of
    each running average (optax's ``b1, b2, b3`` are one minus them).

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    betas : (float, float, float)
        The coefficients of the gradient, gradient-difference and squared-term
        averages, each in [0, 1).
    eps : float
        Added to the denominator.
    weight_decay : float
        Decoupled decay :math:`\lambda`.
    no_prox : bool
        ``False``: the proximal update
        :math:`\theta \leftarrow (\theta - \eta u) / (1 + \lambda \eta)`;
        ``True``: :math:`\theta \leftarrow (1 - \lambda \eta)\theta - \eta u`.
    """

    def __init__(self, lr: LR = 1e-3, betas: Sequence[float] = (0.02, 0.08, 0.01),
                 eps: float = 1e-8, weight_decay: float = 0.02, no_prox: bool = False):
        super().__init__(lr)
        if not isinstance(betas, Sequence) or len(betas) != 3:
            raise ValueError(f"betas must be a sequence of three numbers in [0, 1), "
                             f"got {betas!r}")
        self.betas = tuple(_beta(f"betas[{i}]", b) for i, b in enumerate(betas))
        self.eps = _nonnegative("eps", eps)
        self.weight_decay = _nonnegative("weight_decay", weight_decay)
        self.no_prox = bool(no_prox)
        optax = _optax()
        b1, b2, b3 = (1.0 - b for b in self.betas)
        direction = optax.scale_by_adan(b1=b1, b2=b2, b3=b3, eps=self.eps, eps_root=0.0)
        if self.no_prox:
            self._tx = optax.chain(direction, optax.add_decayed_weights(self.weight_decay),
                                   optax.scale_by_learning_rate(self._current_lr))
        else:
            self._tx = optax.chain(direction, optax.scale_by_learning_rate(self._current_lr),
                                   self._proximal_decay())

    def _proximal_decay(self) -> Any:
        """Turn an update ``u`` into ``(theta + u) / (1 + weight_decay * lr) - theta``."""
        import jax

        optax = _optax()

        def init(params: Any) -> Any:
            return optax.EmptyState()

        def update(updates: Any, state: Any, params: Any = None) -> tuple[Any, Any]:
            shrink = 1.0 / (1.0 + self.weight_decay * self._current_lr())
            new = jax.tree_util.tree_map(lambda u, p: (p + u) * shrink - p, updates, params)
            return new, state

        return optax.GradientTransformation(init, update)


class AdamW(SGDOptimizer):
    r"""Adam with decoupled weight decay scaled by the learning rate (Loshchilov & Hutter):
    :math:`\theta \leftarrow \theta - \eta (\hat m / (\sqrt{\hat v} + \epsilon) + \lambda\theta)`.

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The learning rate.
    beta1, beta2 : float
        The decay rates of the moments, in [0, 1).
    eps : float
        Added to the denominator.
    weight_decay : float
        The decay :math:`\lambda`.
    amsgrad : bool
        Use the running maximum of the second moment (AMSGrad).
    """

    def __init__(self, lr: LR, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False):
        super().__init__(lr)
        self.beta1 = _beta("beta1", beta1)
        self.beta2 = _beta("beta2", beta2)
        self.eps = _nonnegative("eps", eps)
        self.weight_decay = _nonnegative("weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)
        optax = _optax()
        if self.amsgrad:
            self._tx = optax.chain(
                optax.scale_by_amsgrad(b1=self.beta1, b2=self.beta2, eps=self.eps),
                optax.add_decayed_weights(self.weight_decay),
                optax.scale_by_learning_rate(self._current_lr))
        else:
            self._tx = optax.adamw(self._current_lr, b1=self.beta1, b2=self.beta2, eps=self.eps,
                                   weight_decay=self.weight_decay)


class LBFGS(SGDOptimizer):
    """Limited-memory BFGS with a fixed step (optax's ``lbfgs`` without line search).

    Parameters
    ----------
    lr : float, State or LearningRateScheduler
        The step size.
    memory_size : int
        The number of past updates kept to approximate the inverse Hessian.
    scale_init_precond : bool
        Scale the initial inverse-Hessian approximation.
    """

    def __init__(self, lr: LR, memory_size: int = 10, scale_init_precond: bool = True):
        super().__init__(lr)
        if (not isinstance(memory_size, numbers.Integral) or isinstance(memory_size, bool)
                or memory_size < 1):
            raise ValueError(f"memory_size must be a positive integer, got {memory_size!r}")
        self.memory_size = int(memory_size)
        self.scale_init_precond = bool(scale_init_precond)
        self._tx = _optax().lbfgs(self._current_lr, memory_size=self.memory_size,
                                  scale_init_precond=self.scale_init_precond, linesearch=None)
