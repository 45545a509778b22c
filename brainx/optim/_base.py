"""The optimiser base: trainable States, gradient matching, optax state kept in States.

An optimiser holds the States it trains (``param_states``), an optax gradient
transformation and that transformation's state. The optax state is a pytree of
NamedTuples, which brainx States do not hold: it is flattened with
``jax.tree_util`` into a list of arrays kept in an :class:`OptimState`, its
structure kept as a Python attribute. Every value that changes in ``update``
lives in a State, so ``update`` runs inside ``brainx.compile.jit`` and loops,
and the moments and step counts advance across calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import brainx.math as bm
from brainx import _tree
from brainx._errors import BackendCapabilityError
from brainx.backend import get_backend
from brainx.graph import FlattedDict, Node
from brainx.optim._lr_scheduler import LearningRateScheduler, make_schedule
from brainx.state import LongTermState, State

__all__ = ["Optimizer", "OptimState", "OptaxOptimizer"]


class OptimState(LongTermState):
    """A State of an optimiser: moments, accumulators, step counts."""

    __slots__ = ()


def _optax() -> Any:
    import optax

    return optax


def _require_grad(who: str) -> None:
    try:
        get_backend().require("grad")
    except BackendCapabilityError as err:
        raise BackendCapabilityError(f"{who} (brainx.optim, built on optax) needs gradients: "
                                     f"{err}") from None


def _show(path: tuple) -> str:
    return "the root" if not path else "".join(f"[{k!r}]" for k in path)


def _key(path: tuple) -> tuple:
    """The ``param_states`` key of a registration path (tuple dict keys are spliced in)."""
    key: tuple = ()
    for part in path:
        key += part if isinstance(part, tuple) else (part,)
    return key


def _normalise(tree: Any, path: tuple = ()) -> Any:
    """A copy of a registration tree with plain dicts and lists; leaves must be States."""
    if isinstance(tree, State):
        return tree
    if isinstance(tree, Mapping):
        return {k: _normalise(v, path + (k,)) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_normalise(v, path + (i,)) for i, v in enumerate(tree))
    raise TypeError(f"register_trainable_weights takes a State, or a dict, list or tuple of "
                    f"States (such as model.states(brainx.ParamState)); at {_show(path)} it "
                    f"got {type(tree).__name__} {tree!r}")


def _merge(old: Any, new: Any, path: tuple = ()) -> Any:
    if old is new:
        return old
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for k, v in new.items():
            merged[k] = _merge(old[k], v, path + (k,)) if k in old else v
        return merged
    if isinstance(old, State) and isinstance(new, State):
        raise ValueError(f"another State is already registered at {_show(path)}; each key "
                         f"names one trainable State")
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)) and len(old) == len(new):
        merged = [_merge(a, b, path + (i,)) for i, (a, b) in enumerate(zip(old, new, strict=True))]
        return type(old)(merged)
    raise ValueError(f"cannot add the States at {_show(path)} to those already registered "
                     f"there (a {type(old).__name__}); register more States as new keys of "
                     f"a dict, or register them all in one call")


def _walk(tree: Any, path: tuple = ()) -> list[tuple[tuple, State]]:
    if isinstance(tree, State):
        return [(path, tree)]
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    out: list[tuple[tuple, State]] = []
    for k, v in items:
        out += _walk(v, path + (k,))
    return out


def _match(template: Any, grads: Any, path: tuple, out: list) -> None:
    """Append the gradient of each registered State, in registration order."""
    if isinstance(template, State):
        out.append((path, grads))
        return
    if isinstance(template, dict):
        if not isinstance(grads, Mapping):
            raise TypeError(f"grads at {_show(path)} must be a dict with the keys "
                            f"{list(template)} of the registered States, got "
                            f"{type(grads).__name__}")
        unknown = [k for k in grads if k not in template]
        if unknown:
            raise ValueError(f"grads has key(s) {unknown} at {_show(path)} that match no "
                             f"registered State; the registered keys there are "
                             f"{list(template)} (register the State with "
                             f"register_trainable_weights first)")
        missing = [k for k in template if k not in grads]
        if missing:
            raise ValueError(f"grads has no gradient for the registered State(s) {missing} at "
                             f"{_show(path)}; pass the gradients of every registered State")
        for k, sub in template.items():
            _match(sub, grads[k], path + (k,), out)
        return
    if not isinstance(grads, (list, tuple)) or len(grads) != len(template):
        raise TypeError(f"grads at {_show(path)} must be a {type(template).__name__} of "
                        f"{len(template)} gradients like the registered States, got "
                        f"{type(grads).__name__} {_describe(grads)}")
    for i, (sub, g) in enumerate(zip(template, grads, strict=True)):
        _match(sub, g, path + (i,), out)


def _describe(x: Any) -> str:
    return f"of length {len(x)}" if isinstance(x, (list, tuple)) else ""


def _check_gradient(path: tuple, state: State, grad: Any) -> None:
    value_leaves, value_def = _tree.flatten(state.value)
    grad_leaves, grad_def = _tree.flatten(grad)
    if any(isinstance(g, State) for g in grad_leaves):
        raise TypeError(f"grads at {_show(path)} holds a State; pass gradient arrays (for "
                        f"example from brainx.augment.grad), not States")
    if value_def != grad_def:
        raise ValueError(f"the gradient at {_show(path)} has structure {grad_def}, but the "
                         f"State's value has structure {value_def}")
    for i, (v, g) in enumerate(zip(value_leaves, grad_leaves, strict=True)):
        if np.shape(v) != np.shape(g):
            where = f" (leaf {i} of {value_def})" if value_def.num_leaves > 1 else ""
            raise ValueError(f"the gradient at {_show(path)}{where} has shape {np.shape(g)}, "
                             f"but the State holds shape {np.shape(v)}")


def _cast_like(new: Any, old: Any) -> Any:
    dtype = getattr(old, "dtype", None)
    if dtype is None or getattr(new, "dtype", dtype) == dtype:
        return new
    return new.astype(dtype)


class Optimizer(Node):
    """Base class of optimisers: trains registered States with an optax transformation.

    Subclasses provide the transformation (``self._tx``); the base registers the
    States, matches gradients to them, applies the transformation and keeps its
    state in an :class:`OptimState`. Creating or using an optimiser needs a
    backend with the ``grad`` capability (jax).

    Attributes
    ----------
    param_states : FlattedDict
        The registered States, keyed by path tuples.
    opt_state : OptimState or None
        The leaves of the optax state (``None`` until States are registered).
    step_count : OptimState
        The number of updates made.

    Examples
    --------
    >>> import numpy as np
    >>> import brainx
    >>> with brainx.use_backend('jax'):
    ...     w = brainx.ParamState(np.ones(2, np.float32))
    ...     opt = brainx.optim.SGD(lr=0.5).register_trainable_weights({'w': w})
    ...     opt.update({'w': np.array([1., -2.], np.float32)})
    ...     print(np.asarray(w.value), int(opt.step_count.value))
    [0.5 2. ] 1
    """

    _tx: Any = None
    lr: LearningRateScheduler | None = None

    def __init__(self) -> None:
        _require_grad(type(self).__name__)
        self.param_states = FlattedDict()
        self.opt_state: OptimState | None = None
        self.step_count = OptimState(bm.asarray(0, dtype=bm.int32), name="step_count")
        self._template: Any = None
        self._opt_treedef: Any = None

    @property
    def tx(self) -> Any:
        """The optax gradient transformation that computes the updates."""
        return self._tx

    def _current_lr(self, count: Any = None) -> Any:
        """The learning rate of the coming update (an optax schedule; ``count`` unused)."""
        return self.lr()

    def register_trainable_weights(self, param_states: Any) -> Optimizer:
        """Register the States to train and (re)initialise the optimiser's state.

        Parameters
        ----------
        param_states : State, or dict / list / tuple of States
            Usually ``model.states(brainx.ParamState)``. Nested dicts are accepted;
            the gradients given to :meth:`update` must have the same structure.
            Calling again with a dict adds its States; the optimiser's moments
            restart from zero (register everything before training, and before
            compiling a training step).

        Returns
        -------
        Optimizer
            ``self``, so that creation and registration can be chained.
        """
        _require_grad(type(self).__name__)
        new = _normalise(param_states)
        template = new if self._template is None else _merge(self._template, new)
        registered = FlattedDict()
        seen: dict[int, tuple] = {}
        for path, state in _walk(template):
            if id(state) in seen:
                raise ValueError(f"the same State is registered at {_show(seen[id(state)])} "
                                 f"and at {_show(path)}; register each State once")
            seen[id(state)] = path
            key = _key(path)
            if key in registered:
                raise ValueError(f"two registered States share the key {key}; use distinct "
                                 f"keys")
            registered[key] = state
        import jax

        opt_state = self._tx.init([s.value for s in registered.values()])
        leaves, self._opt_treedef = jax.tree_util.tree_flatten(opt_state)
        self._template, self.param_states = template, registered
        self.opt_state = OptimState(leaves, name="opt_state")
        return self

    def _gradients(self, grads: Any) -> list[Any]:
        matched: list[tuple[tuple, Any]] = []
        _match(self._template, grads, (), matched)
        states = list(self.param_states.values())
        for (path, grad), state in zip(matched, states, strict=True):
            _check_gradient(path, state, grad)
        return [g for _, g in matched]

    def update(self, grads: Any) -> None:
        """Apply one update from the gradients of the registered States.

        Parameters
        ----------
        grads : pytree
            The gradients, with the structure of the registered States (as
            returned by ``brainx.augment.grad(loss, states)``): each registered
            State's gradient is shaped like its value.
        """
        _require_grad(type(self).__name__)
        if self.opt_state is None:
            raise ValueError(f"{type(self).__name__}.register_trainable_weights must be called "
                             f"before update")
        import jax

        optax = _optax()
        grad_list = self._gradients(grads)
        states = list(self.param_states.values())
        params = [s.value for s in states]
        old_leaves = self.opt_state.value
        opt_state = jax.tree_util.tree_unflatten(self._opt_treedef, old_leaves)
        updates, new_opt_state = self._tx.update(grad_list, opt_state, params)
        new_params = optax.apply_updates(params, updates)
        for state, old, new in zip(states, params, new_params, strict=True):
            state.value = jax.tree_util.tree_map(_cast_like, new, old)
        new_leaves = jax.tree_util.tree_leaves(new_opt_state)
        self.opt_state.value = [_cast_like(n, o) for n, o in zip(new_leaves, old_leaves,
                                                                  strict=True)]
        self.step_count.value = self.step_count.value + 1
        if self.lr is not None:
            self.lr.step_call()


class OptaxOptimizer(Optimizer):
    """Any optax gradient transformation as a brainx optimiser.

    Parameters
    ----------
    tx : optax.GradientTransformation
        The transformation. With ``lr=None`` its updates are applied as they are
        (``optax.adam(1e-3)``, say); with ``lr`` they are multiplied by ``-lr``,
        so ``tx`` gives a descent direction (``optax.scale_by_adam()``, say).
    lr : float, State or LearningRateScheduler, optional
        The learning rate; a schedule's call counter advances once per update.

    Examples
    --------
    >>> import numpy as np
    >>> import optax
    >>> import brainx
    >>> with brainx.use_backend('jax'):
    ...     w = brainx.ParamState(np.zeros(2, np.float32))
    ...     opt = brainx.optim.OptaxOptimizer(optax.sgd(0.1))
    ...     opt = opt.register_trainable_weights({'w': w})
    ...     opt.update({'w': np.array([1., 2.], np.float32)})
    ...     print(np.asarray(w.value))
    [-0.1 -0.2]
    """

    def __init__(self, tx: Any, lr: float | State | LearningRateScheduler | None = None):
        super().__init__()
        optax = _optax()
        if not isinstance(tx, optax.GradientTransformation):
            raise TypeError(f"tx must be an optax.GradientTransformation (such as "
                            f"optax.adam(1e-3)), got {type(tx).__name__} {tx!r}")
        if lr is None:
            self._tx = tx
        else:
            self.lr = make_schedule(lr)
            self._tx = optax.chain(tx, optax.scale_by_learning_rate(self._current_lr))
