"""State-aware just-in-time compilation."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from brainx import _tree
from brainx.backend import get_backend
from brainx.backend._protocol import StagedInputsChanged, StagingFailed
from brainx.compile._staging import Staged, stage_stateful
from brainx.compile._threading import StateCarry, discover
from brainx.state import State, StateTrace, _leaf_signature

__all__ = ["jit", "JittedFunction", "EagerFallbackWarning"]

_PYTHON_NUMBERS = (bool, int, float, complex)


class JittedFunction:
    """A function compiled by :func:`jit`; calling it runs the compiled code.

    The function is traced once per new argument signature: that one trace finds
    the States it reads and writes (each State read becomes an input of the compiled
    program, each State written an output) and is the program that is compiled.
    """

    def __init__(self, fn: Callable[..., Any], static_argnums: Sequence[int] = (),
                 static_argnames: Sequence[str] = (), strict_numerics: bool = False):
        if not callable(fn):
            raise TypeError(f"jit needs a callable, got {fn!r}")
        self.fn = fn
        self.static_argnums = tuple(sorted(int(i) for i in static_argnums))
        self.static_argnames = tuple(static_argnames)
        self.strict_numerics = bool(strict_numerics)
        self._has_static = bool(self.static_argnums or self.static_argnames)
        self._cache: dict[Any, Staged] = {}
        self._warned = False
        functools.update_wrapper(self, fn)

    @staticmethod
    def _array_key(backend: Any, args: tuple) -> tuple | None:
        """A cheap cache key when every argument is an array (the common call), else None."""
        signature = []
        for a in args:
            shape, dtype = getattr(a, "shape", None), getattr(a, "dtype", None)
            if shape is None or dtype is None or type(a) in _PYTHON_NUMBERS:
                return None
            signature.append((shape, dtype, getattr(a, "weak_type", False)))
        return (backend.name, "arrays", tuple(signature))

    def _split(self, args: tuple, kwargs: dict) -> tuple[tuple, dict, tuple, dict]:
        static_args = tuple((i, args[i]) for i in self.static_argnums if i < len(args))
        dyn_args = tuple(a for i, a in enumerate(args) if i not in self.static_argnums)
        static_kwargs = {k: v for k, v in kwargs.items() if k in self.static_argnames}
        dyn_kwargs = {k: v for k, v in kwargs.items() if k not in self.static_argnames}
        return static_args, static_kwargs, dyn_args, dyn_kwargs

    def _rebuild(self, static_args: tuple, static_kwargs: dict, dyn_args: tuple,
                 dyn_kwargs: dict) -> tuple[list, dict]:
        args = list(dyn_args)
        for i, value in static_args:
            args.insert(i, value)
        return args, {**dyn_kwargs, **static_kwargs}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        backend = get_backend()
        if not backend.compiles:
            return self.fn(*args, **kwargs)
        key = self._array_key(backend, args) if not kwargs and not self._has_static else None
        if key is not None:
            static_args, static_kwargs, dyn_args, dyn_kwargs = (), {}, args, {}
        else:
            static_args, static_kwargs, dyn_args, dyn_kwargs = self._split(args, kwargs)
            leaves, treedef = _tree.flatten((dyn_args, dyn_kwargs))
            key = (backend.name, treedef, tuple(_signature(x) for x in leaves), static_args,
                   tuple(sorted(static_kwargs.items())))
        dyn = (dyn_args, dyn_kwargs)
        entry = self._cache.get(key)
        if entry is _EAGER:
            return self.fn(*args, **kwargs)
        if entry is None:
            try:
                entry = self._compile(backend, static_args, static_kwargs, dyn)
            except StagingFailed as failed:
                if not self._warned:  # one warning per function, not per signature
                    self._warned = True
                    _warn_eager(self.fn, failed)
                self._cache[key] = _EAGER
                return self.fn(*args, **kwargs)
        try:
            out, new_values, created_values = entry.run(dyn, [s.value for s in entry.inputs])
        except StagedInputsChanged:  # a State the program reads changed shape or dtype
            entry = self._compile(backend, static_args, static_kwargs, dyn)
            out, new_values, created_values = entry.run(dyn, [s.value for s in entry.inputs])
        if entry.reusable:
            self._cache[key] = entry
        else:
            self._cache.pop(key, None)
        # the values were checked when the function assigned them (a vmap inside may have
        # added a batch axis on purpose)
        for state, value in zip(entry.written, new_values, strict=True):
            state.assign_unchecked(value)
        # States created inside (a model built or re-initialised by the function) take the
        # compiled outputs, so none of them keeps a value of the trace
        for state, value in zip(entry.created, created_values, strict=True):
            state.restore_value(value)
        return out

    def _compile(self, backend: Any, static_args: tuple, static_kwargs: dict,
                 dyn: tuple) -> Staged:
        if self.strict_numerics:
            backend.require("strict_numerics")

        def call(d_args: tuple, d_kwargs: dict) -> Any:
            a, k = self._rebuild(static_args, static_kwargs, d_args, d_kwargs)
            return self.fn(*a, **k)

        staged = stage_stateful(backend, call, dyn, self.strict_numerics)
        if staged is None:
            staged = _compile_twice(backend, call, dyn, self.strict_numerics)
        return staged

    def clear_cache(self) -> None:
        """Forget compiled versions (call after changing which States the function uses)."""
        self._cache.clear()


_EAGER = object()  # cache entry: this signature runs eagerly (it could not be compiled)


class EagerFallbackWarning(UserWarning):
    """A function runs eagerly because a construct in it cannot be compiled."""


EagerFallbackWarning.__module__ = "brainx.compile"


def _warn_eager(fn: Callable[..., Any], failed: StagingFailed) -> None:
    import warnings

    name = getattr(fn, "__qualname__", None) or repr(fn)
    warnings.warn(f"{name} runs eagerly: it uses {failed.construct}, which the "
                  f"{get_backend().name} backend cannot compile (at {failed.where})",
                  EagerFallbackWarning, stacklevel=3)


def _compile_twice(backend: Any, call: Callable[..., Any], dyn: tuple,
                   strict_numerics: bool) -> Staged:
    """For tracing backends without :meth:`~brainx.backend.Backend.stage`: find the States
    in an abstract run, then compile a pure function of their values."""
    trace, _ = discover(backend, call, *dyn)
    states, written = list(trace.states), trace.written_states
    carried = StateCarry(states)
    created: list[State] = []

    def pure(state_values: list, d_args: tuple, d_kwargs: dict) -> tuple[Any, list, list]:
        carried.load(state_values)
        with StateTrace() as inner:
            out = call(d_args, d_kwargs)
        created[:] = inner.created_states
        return out, [s._value for s in written], [s._value for s in created]

    compiled = backend.jit(pure, strict_numerics=strict_numerics)

    def run(dyn_: tuple, values: list) -> tuple:
        try:
            return compiled(values, *dyn_)
        finally:
            carried.load(values)

    return Staged(run, states, written, created, None, True)


def _signature(x: Any) -> Any:
    sig = _leaf_signature(x)
    if sig is None:
        return ("object", type(x), x if _hashable(x) else id(x))
    return sig


def _hashable(x: Any) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


def jit(fn: Callable[..., Any] | None = None, *, static_argnums: int | Sequence[int] = (),
        static_argnames: str | Sequence[str] = (), strict_numerics: bool = False) -> Any:
    """Compile ``fn`` on compiling backends; States it uses are passed in and out.

    On eager backends (numba) the function runs as written. On compiling backends
    it is traced once per new argument signature (shapes, dtypes, static values):
    that trace turns every State it reads into an input of the compiled program and
    every State it writes into an output, and is the program compiled. Usable as
    ``@jit`` or ``@jit(static_argnums=...)``. ``strict_numerics=True`` compiles
    every floating-point operation exactly as written (no fused multiply-add
    contraction; slower), which makes arithmetic-only models bit-identical
    across backends.

    Examples
    --------
    >>> import brainx
    >>> counter = brainx.State(0)
    >>> @brainx.compile.jit
    ... def tick(n):
    ...     counter.value = counter.value + n
    ...     return counter.value * 2
    >>> with brainx.use_backend('jax'):
    ...     int(tick(3)), int(tick(4))
    (6, 14)
    >>> int(counter.value)
    7
    """
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    if fn is None:
        return lambda f: JittedFunction(f, nums, names, strict_numerics)
    return JittedFunction(fn, nums, names, strict_numerics)
