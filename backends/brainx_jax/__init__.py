"""The jax backend: XLA-compiled, differentiable, on CPU, GPU or TPU.

Importing this package does not import jax; creating the backend does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from brainx.backend import Backend

__all__ = ["JaxBackend"]


def _register_pytrees(jax: ModuleType) -> None:
    """brainx's dicts of States and gradients (keyed by path), state trees (TreefyState) and
    graph structures cross jax transforms as pytrees (NodeDef and NodeRef as static data)."""
    from brainx import _tree
    from brainx.graph import FlattedDict, NestedDict, NodeDef, NodeRef, TreefyState
    from brainx.util import DictManager, DotDict

    tu = jax.tree_util

    def register(cls: type, *args: Any, **kwargs: Any) -> None:
        try:
            tu.register_pytree_with_keys(cls, *args, **kwargs)
        except ValueError:  # registered already (a second backend instance)
            pass

    def dict_with_keys(d: dict) -> tuple:
        keys = _tree._dict_keys(d)
        return tuple((tu.DictKey(k), d[k]) for k in keys), keys

    for cls in (FlattedDict, NestedDict, DotDict, DictManager):
        register(cls, dict_with_keys,
                 lambda keys, values, cls=cls: cls(zip(keys, values, strict=True)),
                 lambda d: (tuple(d[k] for k in _tree._dict_keys(d)), _tree._dict_keys(d)))

    flatten_ref, unflatten_ref = _tree._NODES[TreefyState]
    register(TreefyState, lambda r: (((tu.GetAttrKey("value"), r.value),), r._aux()),
             unflatten_ref, flatten_ref)
    for cls in (NodeDef, NodeRef):
        try:
            tu.register_static(cls)
        except ValueError:
            pass


def _hoist_constants() -> None:
    """Have jax pass the arrays compiled code closes over (connectivity, weights held
    outside States) to the executable as arguments instead of writing them into the
    program as literals, so that compile time and memory do not grow with the number of
    synapses. jax reads the option when it is imported: it is set only if jax is not
    imported yet, and a choice made in the environment is kept."""
    if "jax" not in sys.modules:
        os.environ.setdefault("JAX_USE_SIMPLIFIED_JAXPR_CONSTANTS", "1")


class JaxBackend(Backend):
    """brainx on jax (``pip install 'brainx[jax]'``).

    Examples
    --------
    >>> import brainx
    >>> backend = brainx.get_backend('jax')
    >>> backend.traces, 'grad' in backend.capabilities
    (True, True)
    """

    name = "jax"
    extra = "jax"
    requires = ("jax", "jaxlib")
    capabilities = frozenset({"jit", "grad", "vmap", "gpu", "tpu", "float64", "host_callback",
                              "strict_numerics", "jaxpr"})
    traces = True

    def __init__(self) -> None:
        _hoist_constants()
        import jax

        from brainx_jax import _control, _numpy, _random

        self._jax = jax
        _register_pytrees(jax)
        self._numpy = _numpy
        self._control = _control
        self._random = _random

    @property
    def version(self) -> str:
        return self._jax.__version__

    def devices(self) -> list[str]:
        return [f"{d.platform}:{d.id}" for d in self._jax.devices()]

    @property
    def numpy(self) -> ModuleType:
        return self._numpy

    def asarray(self, x: Any, dtype: Any = None) -> Any:
        return self._jax.numpy.asarray(x, dtype=dtype)

    def constant(self, x: Any) -> Any:
        jax = self._jax
        with jax.ensure_compile_time_eval():
            if isinstance(x, np.ndarray) and not x.flags.writeable:
                # read-only host data: a CPU device uses it in place when it is aligned
                array = jax.device_put(x, may_alias=True)
            else:
                array = jax.numpy.asarray(x)
            # copied now, not in the background while XLA compiles the program using it
            return array.block_until_ready()

    def shares_memory(self, x: Any, host: np.ndarray) -> bool:
        if x is host:
            return True
        if not isinstance(x, self._jax.Array) or len(x.devices()) != 1:
            return False  # an array spread over several devices has no single address
        return x.unsafe_buffer_pointer() == host.ctypes.data

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def is_native(self, x: Any) -> bool:
        return isinstance(x, self._jax.Array)

    def is_tracer(self, x: Any) -> bool:
        return isinstance(x, self._jax.core.Tracer)

    def set_precision(self, bits: int) -> None:
        self._jax.config.update("jax_enable_x64", bits == 64)

    def precision_scope(self, bits: int) -> Any:
        return self._jax.enable_x64(bits == 64)  # jax's thread-local override of x64

    def set_platform(self, platform: str) -> None:
        try:
            device = self._jax.devices(platform)[0]
        except RuntimeError as err:
            raise RuntimeError(f"platform {platform!r} has no device for jax "
                               f"(available: {', '.join(self.devices())}): {err}") from None
        self._jax.config.update("jax_default_device", device)

    def jit(self, fn: Callable, static_argnums: Sequence[int] = (),
            static_argnames: Sequence[str] = (), strict_numerics: bool = False) -> Callable:
        return self._control.jit(fn, static_argnums, static_argnames, strict_numerics)

    def scan(self, body: Callable, carry: Any, xs: Sequence[Any], length: int,
             reverse: bool = False, unroll: int = 1) -> tuple[Any, Any]:
        return self._control.scan(body, carry, xs, length, reverse, unroll)

    def while_loop(self, cond: Callable, body: Callable, init: Any) -> Any:
        return self._control.while_loop(cond, body, init)

    def cond(self, pred: Any, true_fn: Callable, false_fn: Callable, operands: tuple) -> Any:
        return self._control.cond(pred, true_fn, false_fn, operands)

    def switch(self, index: Any, branches: Sequence[Callable], operands: tuple) -> Any:
        return self._control.switch(index, branches, operands)

    def stage(self, fn: Callable[..., Any], args: Any, strict_numerics: bool = False
              ) -> tuple[Callable[[Any, Sequence[Any]], Any], Any, bool] | None:
        return self._control.stage(fn, args, strict_numerics)

    def eval_shape(self, fn: Callable, *args: Any) -> Any:
        return self._control.eval_shape(fn, *args)

    def host_callback(self, fn: Callable, *args: Any) -> None:
        self._control.host_callback(fn, *args)

    def autodiff(self) -> Any:
        return self._jax

    def vmap(self, fn: Callable, in_axes: Any, out_axes: Any,
             axis_size: int | None = None) -> Callable:
        return self._jax.vmap(fn, in_axes=in_axes, out_axes=out_axes, axis_size=axis_size)

    def custom_derivative(self, forward: Callable[[Any], Any],
                          derivative: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return self._control.custom_derivative(forward, derivative)

    def stop_gradient(self, x: Any) -> Any:
        return self._jax.lax.stop_gradient(x)

    def materialize(self, x: Any) -> Any:
        jnp = self._jax.numpy
        x = jnp.asarray(x)
        if not jnp.issubdtype(x.dtype, jnp.inexact):
            return x
        # XLA fuses a*b+c into an FMA even across optimization_barrier; a select on
        # x == x (false only for NaN, which it keeps) is opaque to that rewrite.
        return jnp.where(x == x, x, jnp.nan)

    def threefry2x32(self, key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
        return self._random.threefry2x32(key0, key1, x0, x1)

    def kernels(self) -> dict[str, Callable[..., Any]]:
        from brainx_jax.kernels import KERNELS

        return KERNELS
