"""The numba backend: eager NumPy plus loop-based Numba kernels on the CPU.

Importing this package does not import numba; creating the backend does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from brainx.backend import Backend

__all__ = ["NumbaBackend"]


class NumbaBackend(Backend):
    """brainx on NumPy and Numba (``pip install 'brainx[numba]'``).

    Examples
    --------
    >>> import brainx
    >>> backend = brainx.get_backend('numba')
    >>> backend.traces, 'eager' in backend.capabilities
    (False, True)
    """

    name = "numba"
    extra = "numba"
    requires = ("numba",)
    capabilities = frozenset({"float64", "eager", "host_callback", "strict_numerics"})
    traces = False

    def __init__(self) -> None:
        import numba

        from brainx_numba import _control, _numpy, _random, _startup

        _startup.import_arraymath()

        self._numba = numba
        self._numpy = _numpy
        self._kernel_table: dict[str, Callable[..., Any]] | None = None  # set while recording
        self._control = _control
        self._random = _random

    @property
    def version(self) -> str:
        return self._numba.__version__

    @property
    def numpy(self) -> ModuleType:
        return self._numpy

    def asarray(self, x: Any, dtype: Any = None) -> Any:
        return self._numpy.asarray(x, dtype=dtype)

    def constant(self, x: Any) -> Any:
        from brainx_numba._compiler._trace import recording

        with recording(None):  # a plain array, safe to cache, even while compiling
            return self._numpy.asarray(x)

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def is_native(self, x: Any) -> bool:
        from brainx_numba._compiler._trace import Traced

        return isinstance(x, (np.ndarray, np.generic, Traced))

    # the precision policy reads brainx.environ's precision of the calling thread

    @property
    def compiles(self) -> bool:
        from brainx import environ
        from brainx_numba._compiler._trace import active_tape

        return active_tape() is None and bool(environ.get("jit"))

    def stage(self, fn: Callable[..., Any], args: Any, strict_numerics: bool = False
              ) -> tuple[Callable[[Any, Sequence[Any]], Any], Any, bool]:
        from brainx_numba._compiler._stage import stage

        return stage(self, fn, args, strict_numerics)

    def translate_steps(self, methods: Sequence[Callable[..., Any]], inputs: Sequence[tuple],
                        monitors: Sequence[Any], dt: float
                        ) -> Callable[[Any, int], list[Any]] | None:
        from brainx.backend._protocol import StagingFailed
        from brainx_numba._compiler._pyloops import translate_steps
        from brainx_numba._compiler._trace import Untraceable

        try:
            return translate_steps(methods, inputs, monitors, dt)
        except Untraceable as err:
            raise StagingFailed(err.construct, err.where) from None

    def host_callback(self, fn: Callable, *args: Any) -> None:
        from brainx_numba._compiler._trace import Untraceable, active_tape, contains_traced

        if active_tape() is not None and contains_traced(args):
            raise Untraceable("a host callback (a progress bar or a print) inside compiled "
                              "code")
        fn(*args)

    def is_tracer(self, x: Any) -> bool:
        from brainx_numba._compiler._trace import is_traced

        return is_traced(x)

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

    def threefry2x32(self, key0: Any, key1: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
        if self._kernel_table is not None:  # recording for the compiled path
            from brainx_numba._compiler import _kernels

            return _kernels.threefry2x32(key0, key1, x0, x1)
        return self._random.threefry2x32(key0, key1, x0, x1)

    def kernels(self) -> dict[str, Callable[..., Any]]:
        if self._kernel_table is not None:
            return self._kernel_table
        from brainx_numba.kernels import KERNELS

        return KERNELS
