"""The scalar kernels of brainx's transcendental functions on numba, and their loops.

Each kernel computes one element the way NumPy's C loop does, with ``math`` (the C
library, as Numba compiles it: no fastmath, no SIMD math library): ``logaddexp`` and
``logaddexp2`` as NumPy's npymath writes them, ``sinc`` as ``numpy.sinc`` does. The
kernels are ``register_jitable``: callable from any ``@numba.njit`` code, and the
source of both the eager loops below and the ufuncs of ``brainx_numba._ufuncs``, so
the eager and the compiled path run one implementation.

The loops take float32 or float64 operands (C-contiguous arrays; a binary function's
operand may also be a scalar or a 1-D stride-0 view) and write ``out``; each is cached on
disk and compiled for a type on its first use.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload, register_jitable

from brainx_numba import _fenv as fenv
from brainx_numba._caching import njit

_JIT = {"error_model": "numpy"}  # as Numba compiles ufuncs (cached when Numba can)


_feclearexcept, _fetestexcept = fenv.feclearexcept, fenv.fetestexcept
FE_MASK = fenv.MASK


def _flat(a: Any) -> Any:  # pragma: no cover - replaced inside loops
    return a


@overload(_flat, inline="always")
def _flat_overload(a):  # pragma: no cover
    if isinstance(a, types.Array) and a.ndim != 1:
        return lambda a: a.reshape(a.size)
    return lambda a: a


def _at(a: Any, i: int) -> Any:  # pragma: no cover - replaced inside loops
    return a


@overload(_at, inline="always")
def _at_overload(a, i):  # pragma: no cover
    if isinstance(a, types.Array):
        return lambda a, i: a[i]
    return lambda a, i: a


@intrinsic
def _at_run_time(typingctx, x):  # pragma: no cover
    """``x``, opaque to LLVM's optimizer (an empty inline asm): the C library computes a
    kernel at run time for constant operands too. Otherwise LLVM folds calls on constants
    (float32 ones in float64, then rounded) and rewrites pow(x, 2), pow(x, 0.5) and
    pow(2, x) as x*x, sqrt(x) and exp2(x), which do not always give the C library's bits."""
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        [value] = args
        bits = ir.IntType(32 if isinstance(value.type, ir.FloatType) else 64)
        hide = ir.InlineAsm(ir.FunctionType(bits, [bits]), "", "=r,0")
        return builder.bitcast(builder.call(hide, [builder.bitcast(value, bits)]), value.type)

    return x(x), codegen


def _constant(value: float) -> Callable[[Any], Any]:
    """``value`` in the float type of ``like``, inside a kernel: NumPy's float32 functions
    use float32 constants, where a Python float in Numba code is a float64."""
    def constant(like: Any) -> Any:  # pragma: no cover - replaced inside kernels
        return type(like)(value)

    @overload(constant, inline="always")
    def _constant_overload(like):  # pragma: no cover
        typed = like.cast_python_value(value)
        return lambda like: typed

    return constant


_ONE = _constant(1.0)
_LN2 = _constant(0.693147180559945309417232121458176568)    # NumPy's NPY_LOGE2
_LOG2E = _constant(1.442695040888963407359924681001892137)  # NumPy's NPY_LOG2E
_PI = _constant(math.pi)
_SINC_ZERO = _constant(1.0e-20)                              # numpy.sinc's stand-in for 0
_kernel = register_jitable(error_model="numpy")


def _libm_cbrt(x: Any) -> Any:  # pragma: no cover - replaced inside kernels
    return np.cbrt(x)


@overload(_libm_cbrt, inline="always")
def _libm_cbrt_overload(x):  # pragma: no cover
    # Numba's own np.cbrt is pow(x, 1/3) in float64: call the C library's, as NumPy does
    name = {types.float32: "cbrtf", types.float64: "cbrt"}.get(x)
    if name is not None:
        c_cbrt = types.ExternalFunction(name, x(x))
        return lambda x: c_cbrt(x)
    return None


# ---- kernels (named as NumPy names the function) ---------------------------------------
@_kernel
def exp(x):  # pragma: no cover - the kernels and loops run compiled
    return math.exp(_at_run_time(x))


@_kernel
def exp2(x):  # pragma: no cover
    return np.exp2(_at_run_time(x))  # Numba's scalar np.exp2 calls the C library's exp2


@_kernel
def expm1(x):  # pragma: no cover
    return math.expm1(_at_run_time(x))


@_kernel
def log(x):  # pragma: no cover
    return math.log(_at_run_time(x))


@_kernel
def log2(x):  # pragma: no cover
    return math.log2(_at_run_time(x))


@_kernel
def log10(x):  # pragma: no cover
    return math.log10(_at_run_time(x))


@_kernel
def log1p(x):  # pragma: no cover
    return math.log1p(_at_run_time(x))


@_kernel
def sin(x):  # pragma: no cover
    return math.sin(_at_run_time(x))


@_kernel
def cos(x):  # pragma: no cover
    return math.cos(_at_run_time(x))


@_kernel
def tan(x):  # pragma: no cover
    return math.tan(_at_run_time(x))


@_kernel
def arcsin(x):  # pragma: no cover
    return math.asin(_at_run_time(x))


@_kernel
def arccos(x):  # pragma: no cover
    return math.acos(_at_run_time(x))


@_kernel
def arctan(x):  # pragma: no cover
    return math.atan(_at_run_time(x))


@_kernel
def arctan2(y, x):  # pragma: no cover
    return math.atan2(_at_run_time(y), _at_run_time(x))


@_kernel
def sinh(x):  # pragma: no cover
    return math.sinh(_at_run_time(x))


@_kernel
def cosh(x):  # pragma: no cover
    return math.cosh(_at_run_time(x))


@_kernel
def tanh(x):  # pragma: no cover
    return math.tanh(_at_run_time(x))


@_kernel
def arcsinh(x):  # pragma: no cover
    return math.asinh(_at_run_time(x))


@_kernel
def arccosh(x):  # pragma: no cover
    return math.acosh(_at_run_time(x))


@_kernel
def arctanh(x):  # pragma: no cover
    return math.atanh(_at_run_time(x))


@_kernel
def power(x, y):  # pragma: no cover
    return _at_run_time(x) ** _at_run_time(y)  # the C library's pow / powf


@_kernel
def cbrt(x):  # pragma: no cover
    return _libm_cbrt(_at_run_time(x))


@_kernel
def hypot(x, y):  # pragma: no cover
    return math.hypot(_at_run_time(x), _at_run_time(y))


@_kernel
def logaddexp(x, y):  # pragma: no cover
    x, y = _at_run_time(x), _at_run_time(y)
    if x == y:  # infinities of one sign, without the nan of inf - inf
        return x + _LN2(x)
    d = x - y
    if d > 0:
        return x + math.log1p(math.exp(-d))
    if d <= 0:
        return y + math.log1p(math.exp(d))
    return d  # a nan


@_kernel
def logaddexp2(x, y):  # pragma: no cover
    x, y = _at_run_time(x), _at_run_time(y)
    if x == y:
        return x + _ONE(x)
    d = x - y
    if d > 0:
        return x + _LOG2E(x) * math.log1p(np.exp2(-d))
    if d <= 0:
        return y + _LOG2E(x) * math.log1p(np.exp2(d))
    return d


@_kernel
def sinc(x):  # pragma: no cover
    x = _at_run_time(x)
    y = _PI(x) * (_SINC_ZERO(x) if x == 0 else x)
    return math.sin(y) / y


# ---- eager loops: one per kernel, so that each is cached on disk under its own name (a
# module-level function; closures would not be found in the cache by a new process).
# Each clears the floating-point exception flags, fills ``out`` (C-contiguous) and returns
# the flags raised, which ``brainx_numba._ufuncs`` reports as NumPy does.

def _exp(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = exp(x[i])
    return _fetestexcept(FE_MASK)


def _exp2(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = exp2(x[i])
    return _fetestexcept(FE_MASK)


def _expm1(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = expm1(x[i])
    return _fetestexcept(FE_MASK)


def _log(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = log(x[i])
    return _fetestexcept(FE_MASK)


def _log2(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = log2(x[i])
    return _fetestexcept(FE_MASK)


def _log10(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = log10(x[i])
    return _fetestexcept(FE_MASK)


def _log1p(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = log1p(x[i])
    return _fetestexcept(FE_MASK)


def _sin(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = sin(x[i])
    return _fetestexcept(FE_MASK)


def _cos(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = cos(x[i])
    return _fetestexcept(FE_MASK)


def _tan(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = tan(x[i])
    return _fetestexcept(FE_MASK)


def _arcsin(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = arcsin(x[i])
    return _fetestexcept(FE_MASK)


def _arccos(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = arccos(x[i])
    return _fetestexcept(FE_MASK)


def _arctan(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = arctan(x[i])
    return _fetestexcept(FE_MASK)


def _arctan2(x, y, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, y, flat = _flat(x), _flat(y), _flat(out)
    for i in range(flat.size):
        flat[i] = arctan2(_at(x, i), _at(y, i))
    return _fetestexcept(FE_MASK)


def _sinh(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = sinh(x[i])
    return _fetestexcept(FE_MASK)


def _cosh(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = cosh(x[i])
    return _fetestexcept(FE_MASK)


def _tanh(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = tanh(x[i])
    return _fetestexcept(FE_MASK)


def _arcsinh(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = arcsinh(x[i])
    return _fetestexcept(FE_MASK)


def _arccosh(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = arccosh(x[i])
    return _fetestexcept(FE_MASK)


def _arctanh(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = arctanh(x[i])
    return _fetestexcept(FE_MASK)


def _power(x, y, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, y, flat = _flat(x), _flat(y), _flat(out)
    for i in range(flat.size):
        flat[i] = power(_at(x, i), _at(y, i))
    return _fetestexcept(FE_MASK)


def _cbrt(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = cbrt(x[i])
    return _fetestexcept(FE_MASK)


def _hypot(x, y, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, y, flat = _flat(x), _flat(y), _flat(out)
    for i in range(flat.size):
        flat[i] = hypot(_at(x, i), _at(y, i))
    return _fetestexcept(FE_MASK)


def _logaddexp(x, y, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, y, flat = _flat(x), _flat(y), _flat(out)
    for i in range(flat.size):
        flat[i] = logaddexp(_at(x, i), _at(y, i))
    return _fetestexcept(FE_MASK)


def _logaddexp2(x, y, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, y, flat = _flat(x), _flat(y), _flat(out)
    for i in range(flat.size):
        flat[i] = logaddexp2(_at(x, i), _at(y, i))
    return _fetestexcept(FE_MASK)


def _sinc(x, out):  # pragma: no cover
    _feclearexcept(FE_MASK)
    x, flat = _flat(x), _flat(out)
    for i in range(flat.size):
        flat[i] = sinc(x[i])
    return _fetestexcept(FE_MASK)


#: NumPy name -> (scalar kernel, eager loop as a Python function, number of inputs).
KERNELS: dict[str, tuple[Callable[..., Any], Callable[..., Any], int]] = {
    kernel.__name__: (kernel, loop, kernel.__code__.co_argcount) for kernel, loop in (
        (exp, _exp), (exp2, _exp2), (expm1, _expm1), (log, _log), (log2, _log2),
        (log10, _log10), (log1p, _log1p), (sin, _sin), (cos, _cos), (tan, _tan),
        (arcsin, _arcsin), (arccos, _arccos), (arctan, _arctan), (arctan2, _arctan2),
        (sinh, _sinh), (cosh, _cosh), (tanh, _tanh), (arcsinh, _arcsinh),
        (arccosh, _arccosh), (arctanh, _arctanh), (power, _power), (cbrt, _cbrt),
        (hypot, _hypot), (logaddexp, _logaddexp), (logaddexp2, _logaddexp2),
        (sinc, _sinc))}
_JITTED: dict[str, Any] = {}


def loop(name: str) -> Any:
    """The eager loop of kernel ``name``, jitted on first request (a Numba dispatcher made
    at import would cost every process its disk-cache set-up, used or not)."""
    jitted = _JITTED.get(name)
    if jitted is None:
        jitted = _JITTED[name] = njit(KERNELS[name][1], **_JIT)
    return jitted
