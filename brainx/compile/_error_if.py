"""Raising an error from inside compiled code when a condition holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from brainx import environ
from brainx._errors import mark_step
from brainx.backend import get_backend

__all__ = ["jit_error_if"]


def _message(error: str, args: tuple, kwargs: dict) -> str:
    msg = error
    if args:
        try:
            msg = msg % args
        except TypeError:
            msg = msg.format(*args)
    if kwargs:
        msg = msg.format(**kwargs)
    return msg


def _raiser(error: str | Callable[..., Any]) -> Callable[..., None]:
    def fire(args: tuple, kwargs: dict, step: Any) -> None:
        try:
            if callable(error):
                error(*args, **kwargs)
                raise ValueError(f"jit_error_if: the condition holds (and {error!r} did not "
                                 f"raise)")
            raise ValueError(_message(error, args, kwargs))
        except Exception as err:
            mark_step(err, step)
            raise

    return fire


def jit_error_if(pred: Any, error: str | Callable[..., Any], *err_args: Any,
                 **err_kwargs: Any) -> None:
    """Raise an error when ``pred`` (a boolean, or an array: any element) is true.

    ``error`` is a message (formatted with ``err_args`` by ``%`` and with ``err_kwargs``
    by ``str.format``, so ``"got {x}"`` with ``x=...``) raised as a ``ValueError``, or a
    function called with the arguments that raises its own error. Eagerly (numba, or
    concrete values on jax) it raises at once. Inside compiled code the check runs on
    the host when the program reaches it (a host callback, taken only when ``pred``
    holds), and the call of the compiled function raises the error itself. Inside a
    :class:`~brainx.Runner` the error remembers its step, so the Runner keeps every
    step before it.

    Examples
    --------
    >>> import brainx
    >>> import numpy as np
    >>> with brainx.use_backend('numba'):
    ...     brainx.compile.jit_error_if(np.array([1.0, -1.0]) < -2, "never")
    ...     try:
    ...         brainx.compile.jit_error_if(np.array([1.0, -1.0]) < 0, "negative: {x}", x=-1.0)
    ...     except ValueError as err:
    ...         print(err)
    negative: -1.0
    """
    if not (isinstance(error, str) or callable(error)):
        raise TypeError(f"error must be a message string or a function that raises, got "
                        f"{error!r}")
    backend = get_backend()
    fire = _raiser(error)
    step = environ.get("i", None)  # the step of a Runner's loop, if in one
    if not backend.is_tracer(pred):
        if bool(np.any(backend.to_numpy(backend.asarray(pred)))):
            fire(tuple(backend.to_numpy(a) if backend.is_native(a) else a for a in err_args),
                 {k: backend.to_numpy(v) if backend.is_native(v) else v
                  for k, v in err_kwargs.items()},
                 None if backend.is_tracer(step) else step)
        return
    backend.require("host_callback")
    bnp = backend.numpy
    holds = bnp.any(pred)

    def check(p: Any, args: tuple, kwargs: dict, at: Any) -> None:
        # checked again on the host: under vmap both branches of the cond may run
        if bool(np.any(np.asarray(p))):
            fire(args, kwargs, None if at is None else int(np.asarray(at)))

    backend.cond(holds, lambda ops: backend.host_callback(check, *ops), lambda ops: None,
                 ((pred, err_args, err_kwargs, step),))
