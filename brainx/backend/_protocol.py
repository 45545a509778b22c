"""The Backend protocol: what an engine must provide to run brainx models.

A backend is a small class. The essentials (array namespace, conversion,
control-flow primitives over pure functions, random bits) are abstract; the
extras (autodiff, mapping, host callbacks) are advertised in
``capabilities`` and requested through :meth:`Backend.require`.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from brainx._errors import BackendCapabilityError

__all__ = ["Backend", "KNOWN_CAPABILITIES", "PLATFORM_CAPABILITIES", "StagedInputsChanged",
           "StagingFailed"]

#: Capabilities a backend may advertise, with what each one promises.
KNOWN_CAPABILITIES: dict[str, str] = {
    "jit": "functions are compiled to native code (compile.jit has an effect)",
    "grad": "automatic differentiation (augment.grad, vjp, jvp)",
    "vmap": "automatic vectorisation (augment.vmap)",
    "gpu": "can run on a GPU",
    "tpu": "can run on a TPU",
    "float64": "computes in float64 when precision=64",
    "host_callback": "can call back into Python from compiled code (progress bars, printing)",
    "strict_numerics": "can compile without fused multiply-add contraction or division rewrites",
    "eager": "runs every operation eagerly on real arrays (debugger friendly)",
    "jaxpr": "functions can be traced to a jax jaxpr (compile.make_jaxpr)",
}

#: Capabilities that name a device platform: usable only where the backend has such a device.
PLATFORM_CAPABILITIES: frozenset[str] = frozenset({"gpu", "tpu"})


class StagedInputsChanged(Exception):
    """Raised by the ``run`` of :meth:`Backend.stage` when its inputs no longer have the
    structure, shapes or dtypes the program was traced with (the caller traces again)."""


class StagingFailed(Exception):
    """Raised by :meth:`Backend.stage` when the function uses a construct the backend
    cannot compile; ``construct`` names it and ``where`` is the user's source line. The
    caller runs the function eagerly instead, with a warning."""

    def __init__(self, construct: str, where: str):
        self.construct, self.where = construct, where
        super().__init__(f"{construct} at {where}")


class Backend(abc.ABC):
    """Base class of every brainx backend.

    Subclasses are registered as entry points of the group ``brainx.backends``
    and are instantiated once, on first use.

    Attributes
    ----------
    name : str
        The name used by :func:`brainx.set_backend`.
    extra : str
        The pip extra that installs the backend's dependencies.
    requires : tuple of str
        Importable module names the backend needs.
    capabilities : frozenset of str
        Optional features the backend supports (see ``KNOWN_CAPABILITIES``).
    traces : bool
        ``True`` when control-flow primitives trace their function once and
        compile it (States must then be threaded as carries); ``False`` when
        they call it eagerly, so State mutations happen in place.

    Examples
    --------
    >>> import brainx
    >>> backend = brainx.get_backend('numba')
    >>> backend.name, 'eager' in backend.capabilities
    ('numba', True)
    """

    name: str = ""
    extra: str = ""
    requires: tuple[str, ...] = ()
    capabilities: frozenset[str] = frozenset()
    traces: bool = False

    @property
    def compiles(self) -> bool:
        """Whether ``compile.jit`` and the Runner compile functions through :meth:`stage`
        now: tracing backends always do; an eager backend may compile too (numba, unless
        its eager debugging mode is chosen)."""
        return self.traces

    # ---- identity -------------------------------------------------------
    @property
    @abc.abstractmethod
    def version(self) -> str:
        """Version string of the engine behind the backend."""

    def require(self, capability: str) -> None:
        """Raise :class:`BackendCapabilityError` unless ``capability`` is supported."""
        if capability in self.capabilities:
            return
        from brainx.backend._registry import backends_with_capability

        others = [n for n in backends_with_capability(capability) if n != self.name]
        hint = (f" Backends that have it: {', '.join(others)}; select one with "
                f"brainx.set_backend({others[0]!r}).") if others else \
            " No installed backend has it."
        what = KNOWN_CAPABILITIES.get(capability, "")
        raise BackendCapabilityError(
            f"backend {self.name!r} lacks capability {capability!r}"
            f"{' (' + what + ')' if what else ''}.{hint}")

    def devices(self) -> list[str]:
        """Names of the devices this backend can compute on (``platform`` or
        ``platform:id``, e.g. ``'cpu'``, ``'gpu:0'``)."""
        return ["cpu"]

    def usable_capabilities(self) -> frozenset[str]:
        """The capabilities usable here: ``capabilities`` less each device platform
        (``'gpu'``, ``'tpu'``) of which :meth:`devices` lists no device.

        ``capabilities`` says what the backend supports anywhere (jax supports GPUs, so
        ``require('gpu')`` does not point elsewhere); this says what works on this machine
        (``brainx info`` prints it).

        Examples
        --------
        >>> import brainx
        >>> backend = brainx.get_backend('numba')
        >>> sorted(backend.usable_capabilities()) == sorted(backend.capabilities)
        True
        """
        platforms = {device.split(":")[0] for device in self.devices()}
        return frozenset(c for c in self.capabilities
                         if c not in PLATFORM_CAPABILITIES or c in platforms)

    # ---- arrays ---------------------------------------------------------
    @property
    @abc.abstractmethod
    def numpy(self) -> ModuleType:
        """The NumPy-compatible namespace providing every name of ``brainx.math``."""

    @abc.abstractmethod
    def asarray(self, x: Any, dtype: Any = None) -> Any:
        """Convert ``x`` into an array of this backend."""

    def constant(self, x: Any) -> Any:
        """Host data as a backend array made outside any trace (safe to cache and reuse)."""
        return self.asarray(x)

    def shares_memory(self, x: Any, host: np.ndarray) -> bool:
        """Whether this backend's array ``x`` is the host array ``host`` or uses its memory
        in place (then it costs no bytes of its own)."""
        return x is host

    @abc.abstractmethod
    def to_numpy(self, x: Any) -> np.ndarray:
        """Copy an array of this backend into a NumPy array on the host."""

    @abc.abstractmethod
    def is_native(self, x: Any) -> bool:
        """Whether ``x`` is an array (or tracer) that belongs to this backend."""

    def set_precision(self, bits: int) -> None:  # noqa: B027 - optional hook
        """Make 32- or 64-bit floats and integers the process-wide default (called by
        ``environ.set``)."""

    def precision_scope(self, bits: int) -> contextlib.AbstractContextManager:
        """A context in which the calling thread alone computes at ``bits`` (entered by
        ``environ.context(precision=...)``); the default does nothing, for backends that
        read ``brainx.environ.get_precision()`` whenever they need it."""
        return contextlib.nullcontext()

    def set_platform(self, platform: str) -> None:
        """Select the device platform ('cpu', 'gpu', 'tpu')."""
        if platform != "cpu":
            self.require(platform)

    # ---- control flow over pure functions ------------------------------
    @abc.abstractmethod
    def jit(self, fn: Callable, static_argnums: Sequence[int] = (),
            static_argnames: Sequence[str] = (), strict_numerics: bool = False) -> Callable:
        """Compile a pure function (may be the identity for eager backends).

        ``strict_numerics`` asks for IEEE operations exactly as written: no fused
        multiply-add contraction or other value-changing optimisation (backends
        that advertise the ``strict_numerics`` capability honour it).
        """

    @abc.abstractmethod
    def scan(self, body: Callable, carry: Any, xs: Sequence[Any], length: int,
             reverse: bool = False, unroll: int = 1) -> tuple[Any, Any]:
        """``carry, ys = scan(body, carry, xs, length)`` with ``body(carry, x) -> (carry, y)``.

        ``xs`` is a flat list of arrays sliced along their first axis; ``y`` is a
        flat list of arrays stacked along a new first axis.
        """

    @abc.abstractmethod
    def while_loop(self, cond: Callable, body: Callable, init: Any) -> Any:
        """Repeat ``val = body(val)`` while ``cond(val)``; return the final value."""

    @abc.abstractmethod
    def cond(self, pred: Any, true_fn: Callable, false_fn: Callable, operands: tuple) -> Any:
        """Call ``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)``."""

    @abc.abstractmethod
    def switch(self, index: Any, branches: Sequence[Callable], operands: tuple) -> Any:
        """Call ``branches[clip(index, 0, len(branches) - 1)](*operands)``."""

    def translate_steps(self, methods: Sequence[Callable[..., Any]], inputs: Sequence[tuple],
                        monitors: Sequence[Any], dt: float
                        ) -> Callable[[Any, int], list[Any]] | None:
        """Compile Python step methods written element by element (BrainPy 1.x's
        ``update(self, _t, _dt)`` with loops over neurons) into one native loop.

        ``inputs`` are ``(State, value, 'fix' | 'iter', operation)`` applied before the
        methods, ``monitors`` States recorded after them. Returns ``run(ts, i0)``, which
        runs one step per time in ``ts`` and returns one ``(steps, ...)`` array per
        monitor; None where the backend does not translate Python (the caller steps the
        methods itself). Raises :class:`StagingFailed` naming a construct it cannot
        translate.
        """
        return None

    def stage(self, fn: Callable[..., Any], args: Any, strict_numerics: bool = False
              ) -> tuple[Callable[[Any, Sequence[Any]], Any], Any, bool] | None:
        """Trace ``fn(lift, args)`` once and compile that trace (tracing backends).

        ``args`` is a pytree of arrays; ``fn`` receives abstract stand-ins for it.
        ``lift(value)`` makes ``value`` (a pytree of arrays, e.g. a State's value first read
        inside ``fn``) an extra input of the program and returns its stand-in. The result
        is ``(run, program, reusable)``: ``run(args, lifted)`` executes the compiled
        program on ``args`` of the traced structure and shapes and on the current values
        of the lifted inputs (in the order they were lifted), returning ``fn``'s output,
        and raises :class:`StagedInputsChanged` when their shapes or dtypes changed;
        ``program`` is the backend's record of the trace; ``reusable`` is False when the
        program captured values of an enclosing trace (use it for this call only).
        ``fn`` runs exactly once.
        Backends that cannot add inputs during a trace return ``None``; brainx then finds
        the States in a first, abstract run and compiles in a second.
        """
        return None

    def eval_shape(self, fn: Callable, *args: Any) -> Any:
        """Run ``fn`` abstractly (tracing backends only), returning output shapes."""
        raise NotImplementedError(f"backend {self.name!r} does not trace functions")

    def host_callback(self, fn: Callable, *args: Any) -> None:
        """Call ``fn(*args)`` on the host with concrete values, in program order."""
        fn(*args)

    def is_tracer(self, x: Any) -> bool:
        """Whether ``x`` is an abstract value inside a trace (not a concrete array)."""
        return False

    # ---- autodiff and mapping (capabilities "grad" and "vmap") ----------
    def autodiff(self) -> Any:
        """jax-style transforms over pure functions (capability ``grad``).

        The returned namespace has ``grad``, ``value_and_grad``, ``vjp``, ``jvp``,
        ``jacrev``, ``jacfwd``, ``hessian`` and ``checkpoint`` with jax's signatures.
        Backends without the capability raise :class:`BackendCapabilityError`.
        """
        self.require("grad")

    def vmap(self, fn: Callable, in_axes: Any, out_axes: Any,
             axis_size: int | None = None) -> Callable:
        """Map the pure ``fn`` over an axis of its arguments (jax's ``vmap`` semantics).

        Backends without the ``vmap`` capability return ``None``; brainx then runs
        the function once per element of the mapped axis and stacks the results.
        """
        return None

    def custom_derivative(self, forward: Callable[[Any], Any],
                          derivative: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """An element-wise function computing ``forward(x)`` whose derivative is ``derivative(x)``.

        Used by surrogate spike functions (Heaviside forward, smooth gradient).
        Backends that do not differentiate return ``forward`` itself.
        """
        return forward

    def stop_gradient(self, x: Any) -> Any:
        """``x``, treated as a constant by differentiation."""
        return x

    # ---- numerics -------------------------------------------------------
    def materialize(self, x: Any) -> Any:
        """Force ``x`` to be rounded to its dtype here.

        Compilers may fuse ``a * b + c`` into one fused multiply-add, which
        rounds once instead of twice; a value passed through ``materialize``
        is never fused with what follows. Eager backends return ``x``.
        """
        return x

    # ---- kernels ----------------------------------------------------------
    def kernels(self) -> dict[str, Callable[..., Any]]:
        """Faster implementations of declared operators (see ``brainx.backend._kernels``)."""
        return {}

    # ---- random bits ----------------------------------------------------
    @abc.abstractmethod
    def threefry2x32(self, key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
        """Threefry-2x32 with 20 rounds on uint32 arrays (Random123's ``threefry2x32``)."""

    def __repr__(self) -> str:
        caps = ", ".join(sorted(self.capabilities))
        return f"<brainx backend {self.name!r} version={self.version!r} capabilities=[{caps}]>"
