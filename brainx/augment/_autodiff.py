"""State-aware automatic differentiation: grad, vector_grad, jacobians, hessian, vjp, jvp.

Each transform differentiates a stateful function with respect to States
(``grad_states``), to positional arguments (``argnums``), or both. States the
function writes (a neuron's membrane potential, a random key) are updated as
if the function had run once, with concrete values; the gradients are
returned, never left inside the model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from brainx import _tree
from brainx.augment._stateful import StatefulCall, flatten_states, rebuild
from brainx.backend import get_backend
from brainx.state import State

__all__ = ["grad", "vector_grad", "jacobian", "jacrev", "jacfwd", "hessian", "vjp", "jvp",
           "GradientTransform"]

_MODES = ("grad", "vector_grad", "jacrev", "jacfwd", "hessian")


def _argnums(argnums: int | Sequence[int] | None, default: int | None) -> tuple[tuple[int, ...],
                                                                               bool]:
    """``(argnums as a tuple, whether a single int was given)``."""
    if argnums is None:
        return ((default,), True) if default is not None else ((), False)
    if isinstance(argnums, bool):
        raise TypeError(f"argnums must be an int or a sequence of ints, got {argnums!r}")
    if isinstance(argnums, int):
        return (argnums,), True
    try:
        nums = tuple(argnums)
    except TypeError:
        raise TypeError(f"argnums must be an int or a sequence of ints, got {argnums!r}") \
            from None
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in nums):
        raise TypeError(f"argnums must be an int or a sequence of ints, got {argnums!r}")
    return nums, False


def _check_argnums(argnums: tuple[int, ...], args: tuple, name: str) -> tuple[int, ...]:
    n = len(args)
    for i in argnums:
        if not -n <= i < n:
            raise ValueError(f"{name}: argnums={i} is out of range for a call with {n} "
                             f"positional argument(s)")
    return tuple(i % n for i in argnums)


def _split_aux(out: Any, has_aux: bool, name: str) -> tuple[Any, Any]:
    if not has_aux:
        return out, None
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"{name}(has_aux=True) needs the function to return a pair "
                        f"(value, aux), got {type(out).__name__}")
    return out[0], out[1]


class GradientTransform:
    """A stateful function's derivative; created by :func:`grad` and its relatives.

    Calling it runs the function once (its State updates take effect) and returns
    the derivatives, then the value and the auxiliary data when asked for.
    """

    def __init__(self, fun: Callable[..., Any], mode: str, grad_states: Any = None,
                 argnums: int | Sequence[int] | None = None, has_aux: bool | None = None,
                 return_value: bool = False, holomorphic: bool = False,
                 allow_int: bool = False):
        if not callable(fun):
            raise TypeError(f"{mode} needs a callable to differentiate, got {fun!r}")
        if mode not in _MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.fun, self.mode = fun, mode
        self.grad_states = grad_states
        if grad_states is not None:
            flatten_states(grad_states)  # refuse a wrong container at once
        self._argnums, self._single = _argnums(argnums, 0 if grad_states is None else None)
        self._explicit_argnums = argnums is not None
        self.has_aux, self.return_value = bool(has_aux), bool(return_value)
        self.holomorphic, self.allow_int = bool(holomorphic), bool(allow_int)
        functools.update_wrapper(self, fun)

    def __repr__(self) -> str:
        return f"GradientTransform({self.mode}, {getattr(self.fun, '__name__', self.fun)!r})"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        ad = get_backend().autodiff()
        argnums = _check_argnums(self._argnums, args, self.mode)
        states, structure = ([], None) if self.grad_states is None else \
            flatten_states(self.grad_states)
        call = StatefulCall(self.fun, states)

        def pure(state_values: list, diff_args: list) -> tuple[Any, tuple]:
            full = list(args)
            for i, value in zip(argnums, diff_args, strict=True):
                full[i] = value
            out, written, created = call(state_values, tuple(full), kwargs)
            value, aux = _split_aux(out, self.has_aux, self.mode)
            return value, (value, aux, written, created)

        primals = (call.originals, [args[i] for i in argnums])
        try:
            derivative, (value, aux, written, created) = self._differentiate(ad, pure, primals)
        finally:
            call.reset()
        call.finish(written, created)
        return self._result(derivative, structure, value, aux)

    def _differentiate(self, ad: Any, pure: Callable, primals: tuple) -> tuple[Any, tuple]:
        options = {"argnums": (0, 1), "has_aux": True, "holomorphic": self.holomorphic}
        if self.mode == "grad":
            return ad.grad(pure, allow_int=self.allow_int, **options)(*primals)
        if self.mode == "vector_grad":
            def ones(x: Any) -> Any:
                return ad.numpy.ones_like(x)
            value, pullback, side = ad.vjp(pure, *primals, has_aux=True)
            return pullback(_tree.tree_map(ones, value)), side
        if self.mode == "jacrev":
            return ad.jacrev(pure, allow_int=self.allow_int, **options)(*primals)
        if self.mode == "jacfwd":
            return ad.jacfwd(pure, **options)(*primals)
        return ad.hessian(pure, **options)(*primals)

    def _result(self, derivative: Any, structure: Any, value: Any, aux: Any) -> Any:
        state_part, arg_part = derivative
        if self.mode == "hessian":
            # blocks d2/(dstates dstates) and d2/(dargs dargs); the mixed ones are dropped
            # (jax nests the outer derivative's structure around the inner one's)
            state_part = [rebuild(structure, row[0]) for row in state_part] \
                if structure is not None else None
            arg_part = [row[1][0] if self._single else tuple(row[1]) for row in arg_part]
        args_out = arg_part[0] if self._single else tuple(arg_part)
        if structure is None:
            grads = args_out
        else:
            states_out = rebuild(structure, state_part)
            grads = (states_out, args_out) if self._explicit_argnums else states_out
        extra = (value,) if self.return_value else ()
        extra += (aux,) if self.has_aux else ()
        return (grads, *extra) if extra else grads


def _transform(mode: str, doc_example: str = "") -> Callable[..., Any]:
    def transform(fun: Callable[..., Any] | None = None, grad_states: Any = None,
                  argnums: int | Sequence[int] | None = None, has_aux: bool | None = None,
                  return_value: bool = False, holomorphic: bool = False,
                  allow_int: bool = False) -> Any:
        def make(f: Callable[..., Any]) -> GradientTransform:
            return GradientTransform(f, mode, grad_states, argnums, has_aux, return_value,
                                     holomorphic, allow_int)
        return make if fun is None else make(fun)

    transform.__name__ = transform.__qualname__ = mode
    return transform


grad = _transform("grad")
grad.__doc__ = """The gradient of a scalar-valued stateful function.

Parameters
----------
fun : callable
    The function; it may read and write States. Usable as a decorator
    ``@grad(grad_states=...)``.
grad_states : State, or a list, tuple or dict of States, optional
    Differentiate with respect to these States' values; the gradients come back
    in the same structure (a dict keyed like ``model.states()``).
argnums : int or sequence of int, optional
    Differentiate with respect to these positional arguments (default ``0`` when
    ``grad_states`` is not given).
has_aux : bool
    ``fun`` returns ``(value, aux)``; ``aux`` is returned too.
return_value : bool
    Return the function's value as well.

Returns
-------
callable
    Calling it returns ``grads``, then ``value`` (if ``return_value``), then ``aux``
    (if ``has_aux``). With both ``grad_states`` and ``argnums``, ``grads`` is
    ``(state_grads, arg_grads)``.

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('jax'):
...     w = brainx.ParamState(bm.asarray([1., 2.]))
...     calls = brainx.State(0)
...     def loss(x):
...         calls.value += 1
...         return bm.sum(w.value ** 2 * x)
...     g, value = brainx.augment.grad(loss, w, return_value=True)(3.)
>>> g.tolist(), float(value), int(calls.value)
([6.0, 12.0], 15.0, 1)
"""

vector_grad = _transform("vector_grad")
vector_grad.__doc__ = """The gradient of the sum of a (vector-valued) function's outputs.

Takes the arguments of :func:`grad`; the output may have any shape (it is
pulled back with a cotangent of ones, so an element-wise function gets its
element-wise derivative).

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('jax'):
...     d = brainx.augment.vector_grad(lambda x: x ** 3)(bm.asarray([1., 2.]))
>>> d.tolist()
[3.0, 12.0]
"""

jacrev = _transform("jacrev")
jacrev.__doc__ = """The Jacobian by reverse-mode differentiation (arguments as :func:`grad`).

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('jax'):
...     J = brainx.augment.jacrev(lambda x: x[::-1] * 2.)(bm.asarray([1., 2.]))
>>> J.tolist()
[[0.0, 2.0], [2.0, 0.0]]
"""

jacfwd = _transform("jacfwd")
jacfwd.__doc__ = """The Jacobian by forward-mode differentiation (arguments as :func:`grad`).

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('jax'):
...     J = brainx.augment.jacfwd(lambda x: x * x)(bm.asarray([1., 3.]))
>>> J.tolist()
[[2.0, 0.0], [0.0, 6.0]]
"""

jacobian = _transform("jacrev")
jacobian.__name__ = jacobian.__qualname__ = "jacobian"
jacobian.__doc__ = """The Jacobian (reverse mode, as :func:`jacrev`).

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('jax'):
...     J = brainx.augment.jacobian(lambda x: bm.sum(x) * x)(bm.asarray([1., 2.]))
>>> J.tolist()
[[4.0, 1.0], [2.0, 5.0]]
"""

hessian = _transform("hessian")
hessian.__doc__ = """The Hessian of a scalar-valued function (forward over reverse).

Takes the arguments of :func:`grad`; with ``grad_states`` the Hessian is taken
with respect to the States' values.

Examples
--------
>>> import brainx
>>> import brainx.math as bm
>>> with brainx.use_backend('jax'):
...     H = brainx.augment.hessian(lambda x: x[0] ** 2 * x[1])(bm.asarray([1., 3.]))
>>> H.tolist()
[[6.0, 2.0], [2.0, 0.0]]
"""


def vjp(fun: Callable[..., Any], *primals: Any, grad_states: Any = None,
        has_aux: bool = False) -> tuple:
    """The value of ``fun(*primals)`` and its vector-Jacobian product function.

    Returns ``(out, vjp_fn)`` (and ``aux`` with ``has_aux``). ``vjp_fn(cotangent)``
    returns the cotangents of the primals, a tuple, preceded by those of the
    ``grad_states`` (in their structure) when given. States ``fun`` writes are
    updated as by one call.

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> with brainx.use_backend('jax'):
    ...     out, pullback = brainx.augment.vjp(lambda x: x * 3., bm.asarray([1., 2.]))
    ...     (ct,) = pullback(bm.asarray([1., 10.]))
    >>> out.tolist(), ct.tolist()
    ([3.0, 6.0], [3.0, 30.0])
    """
    ad = get_backend().autodiff()
    states, structure = ([], None) if grad_states is None else flatten_states(grad_states)
    call = StatefulCall(fun, states)

    def pure(state_values: list, *args: Any) -> tuple[Any, tuple]:
        out, written, created = call(state_values, args, {})
        value, aux = _split_aux(out, has_aux, "vjp")
        return value, (aux, written, created)

    try:
        out, pullback, (aux, written, created) = ad.vjp(pure, call.originals, *primals,
                                                         has_aux=True)
    finally:
        call.reset()
    call.finish(written, created)

    def vjp_fn(cotangent: Any) -> tuple:
        state_ct, *arg_ct = pullback(cotangent)
        if structure is None:
            return tuple(arg_ct)
        return (rebuild(structure, state_ct), *arg_ct)

    return (out, vjp_fn, aux) if has_aux else (out, vjp_fn)


def jvp(fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any],
        grad_states: Any = None, state_tangents: Any = None, has_aux: bool = False) -> tuple:
    """The value of ``fun(*primals)`` and its Jacobian-vector product with ``tangents``.

    ``state_tangents`` (in the structure of ``grad_states``) are the tangents of
    the States' values; zeros when omitted. Returns ``(out, out_tangent)`` (and
    ``aux`` with ``has_aux``).

    Examples
    --------
    >>> import brainx
    >>> import brainx.math as bm
    >>> with brainx.use_backend('jax'):
    ...     y, dy = brainx.augment.jvp(lambda x: x ** 2, (bm.asarray(3.),), (bm.asarray(1.),))
    >>> float(y), float(dy)
    (9.0, 6.0)
    """
    ad = get_backend().autodiff()
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp needs one tangent per primal: got {len(primals)} primals and "
                         f"{len(tangents)} tangents")
    states, _ = ([], None) if grad_states is None else flatten_states(grad_states)
    call = StatefulCall(fun, states)
    if state_tangents is None:
        s_tangents = [_tree.tree_map(ad.numpy.zeros_like, v) for v in call.originals]
    else:
        s_tangents = _leaves_like(grad_states, state_tangents)

    def pure(state_values: list, *args: Any) -> tuple[Any, tuple]:
        out, written, created = call(state_values, args, {})
        value, aux = _split_aux(out, has_aux, "jvp")
        return value, (aux, written, created)

    try:
        out, out_tangent, (aux, written, created) = ad.jvp(
            pure, (call.originals, *primals), (s_tangents, *tangents), has_aux=True)
    finally:
        call.reset()
    call.finish(written, created)
    return (out, out_tangent, aux) if has_aux else (out, out_tangent)


def _leaves_like(states: Any, tangents: Any) -> list[Any]:
    """The values in ``tangents`` at the places of the States in ``states`` (same order as
    :func:`flatten_states`)."""
    if isinstance(states, State):
        return [tangents]
    if isinstance(states, dict):
        if not isinstance(tangents, dict) or set(tangents) != set(states):
            raise ValueError(f"state_tangents must have the keys of grad_states "
                             f"{sorted(map(str, states))}, got {tangents!r:.200}")
        return [x for k in _tree._dict_keys(states) for x in _leaves_like(states[k], tangents[k])]
    if isinstance(states, (list, tuple)):
        if not isinstance(tangents, (list, tuple)) or len(tangents) != len(states):
            raise ValueError(f"state_tangents must be a sequence of {len(states)} tangents "
                             f"like grad_states, got {tangents!r:.200}")
        return [x for s, t in zip(states, tangents, strict=True) for x in _leaves_like(s, t)]
    raise TypeError(f"grad_states holds {states!r}, which is not a State")
