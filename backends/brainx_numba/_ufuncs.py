"""The transcendental functions of ``brainx.math`` on numba, computed by Numba-compiled code.

NumPy computes ``exp``, ``log``, ``sin``, ... with SIMD code of its own on some CPUs,
which can differ by an ULP from the C library that Numba-compiled code calls. So that
the eager path and compiled (``@njit``) code give the same bits, both run the scalar
kernels of ``brainx_numba._ufunc_kernels``:

- eagerly, :func:`dispatcher` runs a kernel's cached loop on NumPy arrays, with
  NumPy's dtypes, broadcasting, scalar results and floating-point warnings;
- compiled code calls :data:`UFUNCS` (``numba.vectorize`` ufuncs of the same kernels,
  which Numba fuses into array expressions) or :data:`SCALARS` (the kernels, for
  explicit loops), after casting operands as :func:`plan` says.

Each kernel's operands pass a barrier LLVM cannot see through, so neither the eager
loops nor compiled code fold a call on constants or rewrite ``pow(x, 2)`` as ``x*x``:
every element is the C library's result. Nor can LLVM vectorise a loop through the
barrier, so Intel's SVML (``numba.config.USING_SVML``) should not replace those calls
either (untested: SVML is not installed where this was written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from brainx_numba import _fenv as fenv
from brainx_numba._caching import vectorize
from brainx_numba._compiler._kernels import kernel_ufunc as record_kernel
from brainx_numba._compiler._trace import Traced
from brainx_numba._ufunc_kernels import KERNELS, loop

__all__ = ["ALIASES", "SCALARS", "UFUNCS", "Plan", "dispatcher", "plan"]

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)

#: brainx.math names computed by another name's kernel: the array API's spellings, and
#: ``float_power`` (``power`` at float64 or wider, which :func:`plan` says).
ALIASES = {"acos": "arccos", "asin": "arcsin", "atan": "arctan", "atan2": "arctan2",
           "acosh": "arccosh", "asinh": "arcsinh", "atanh": "arctanh", "pow": "power",
           "float_power": "power"}


def _kernel_name(name: str) -> str:
    kernel = ALIASES.get(name, name)
    if kernel not in KERNELS:
        raise KeyError(f"name must be one of {sorted([*KERNELS, *ALIASES])}, got {name!r}")
    return kernel


class _Ufuncs(Mapping[str, Any]):
    """Name -> ``numba.vectorize`` ufunc, made on first lookup. Each loop (float32,
    float64) compiles, or loads from Numba's cache, when code first calls it with
    operands of that dtype; a model loaded from Numba's cache compiles none."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        kernel = _kernel_name(name)
        ufunc = self._made.get(kernel)
        if ufunc is None:
            ufunc = vectorize(KERNELS[kernel][0], nopython=True)
            self._made[kernel] = ufunc
        return ufunc

    def __contains__(self, name: object) -> bool:  # without making the ufunc
        return name in KERNELS or name in ALIASES

    def __iter__(self) -> Iterator[str]:
        return iter([*KERNELS, *ALIASES])

    def __len__(self) -> int:
        return len(KERNELS) + len(ALIASES)


#: NumPy name -> Numba ufunc of its kernel, callable eagerly and from ``@numba.njit``
#: code. Give it float32 or float64 operands, cast as :func:`plan` says: other types
#: compile loops of their own, with Numba's typing rather than NumPy's.
UFUNCS: Mapping[str, Any] = _Ufuncs()

#: NumPy name -> the scalar kernel (``numba.extending.register_jitable``), for loops
#: written out in ``@numba.njit`` code.
SCALARS: dict[str, Callable[..., Any]] = {
    **{name: entry[0] for name, entry in KERNELS.items()},
    **{alias: KERNELS[name][0] for alias, name in ALIASES.items()}}


class Plan(NamedTuple):
    """How an operation runs on a kernel: operands are cast to ``compute`` (float32 or
    float64), the kernel runs, and the result is cast to ``result``, the dtype NumPy
    gives (float16 and bfloat16 results are computed in float32, as NumPy and ml_dtypes
    compute them)."""

    compute: np.dtype
    result: np.dtype


_PYTHON_SCALARS = {bool: True, int: 1, float: 1.0, complex: 1j}
_WEAK_SCALARS = int(np.__version__.split(".")[0]) >= 2  # NumPy 1 casts by value
_PLANS: dict[tuple, Plan | None] = {}


def _numpy_function(name: str) -> Callable[..., Any]:
    found = getattr(np, name, None)  # NumPy 1.x lacks the array API's spellings
    return found if found is not None else getattr(np, ALIASES[name])


def _operand_key(x: Any) -> Any:
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype
    if type(x) in _PYTHON_SCALARS:
        return type(x)
    if x in _PYTHON_SCALARS:
        return x
    return np.dtype(x)


def plan(name: str, *operands: Any) -> Plan | None:
    """The kernel loop that computes ``name`` on these operands, or None where NumPy's
    own function does (complex, integer ``power``, longdouble and object operands).

    Parameters
    ----------
    name : str
        A key of :data:`UFUNCS`.
    *operands
        Arrays, scalars, dtypes, or the Python types ``bool``, ``int``, ``float``,
        ``complex`` (for a Python scalar, which takes the other operands' type).

    Returns
    -------
    Plan or None
        The dtypes NumPy's type resolution gives for these operands.

    Examples
    --------
    >>> import numpy as np
    >>> plan('exp', np.dtype(np.int32))
    Plan(compute=dtype('float64'), result=dtype('float64'))
    >>> plan('power', np.dtype(np.float16), float)
    Plan(compute=dtype('float32'), result=dtype('float16'))
    >>> plan('float_power', np.dtype(np.float32), np.dtype(np.float32)).compute
    dtype('float64')
    >>> plan('exp', np.dtype(np.complex64)) is None
    True
    """
    key = (name, *map(_operand_key, operands))
    try:
        return _PLANS[key]
    except KeyError:
        pass
    _kernel_name(name)
    probes = [_PYTHON_SCALARS[k] if k in _PYTHON_SCALARS else np.empty(0, k) for k in key[1:]]
    try:
        with np.errstate(all="ignore"):
            result = np.asarray(_numpy_function(name)(*probes)).dtype
    except Exception:  # NumPy refuses these operands; it will say why when called
        result = None
    found = None
    if result is not None:
        if result in (_F32, _F64):
            found = Plan(_F32 if result == _F32 else _F64, result)
        elif (result.itemsize < 4 and (result == np.float16 or result.name == "bfloat16")
              and name != "sinc"):  # numpy.sinc computes a half float's sinc in half floats
            found = Plan(_F32, result)
    _PLANS[key] = found
    return found


# ---- the eager path --------------------------------------------------------------------
def _flat(a: np.ndarray, shape: tuple[int, ...], size: int) -> np.ndarray:
    """``a`` broadcast to ``shape``, as a 1-D array: a stride-0 view for one element."""
    if a.size == 1:
        return np.broadcast_to(a.reshape(1), (size,))
    if a.shape == shape:
        return np.ascontiguousarray(a).reshape(-1)
    return np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1)


def _unary(loop: Any, name: str, x: np.ndarray, dtype: np.dtype) -> Any:
    if x.flags.c_contiguous:
        out = np.empty(x.shape, dtype)
        raised = loop(x, out)
    elif x.flags.f_contiguous:  # NumPy keeps a Fortran-ordered operand's order
        out = np.empty(x.shape, dtype, order="F")
        raised = loop(x.T, out.T)
    else:
        out = np.empty(x.shape, dtype)
        raised = loop(np.ascontiguousarray(x), out)
    if raised:
        fenv.report(raised, name, stacklevel=5)
    return out if out.ndim else out[()]


def _binary(loop: Any, name: str, x: Any, y: Any, dtype: np.dtype) -> Any:
    """``x`` and ``y``: arrays of ``dtype``, or scalars of it (NumPy scalars, not 0-d)."""
    x_array, y_array = type(x) is np.ndarray, type(y) is np.ndarray
    if x_array and y_array and (x.shape != y.shape or not x.flags.c_contiguous
                                or not y.flags.c_contiguous):
        shape = np.broadcast_shapes(x.shape, y.shape)
        out = np.empty(shape, dtype)
        x, y = _flat(x, shape, out.size), _flat(y, shape, out.size)
    else:
        like = x if x_array else y if y_array else None
        out = np.empty(() if like is None else like.shape, dtype)
        if like is not None and not like.flags.c_contiguous:
            x, y = (np.ascontiguousarray(x) if x_array else x,
                    np.ascontiguousarray(y) if y_array else y)
    raised = loop(x, y, out)
    if raised:
        fenv.report(raised, name, stacklevel=5)
    return out if out.ndim else out[()]


def _as_compute(x: Any, dtype: np.dtype) -> Any:
    """``x`` as an array of ``dtype``, or a scalar of it for a scalar or 0-d ``x``."""
    if type(x) is np.ndarray:
        if x.ndim:
            return x if x.dtype == dtype else x.astype(dtype)
        x = x[()]
    return dtype.type(x)


def dispatcher(name: str, fallback: Callable[..., Any] | None = None) -> Callable[..., Any]:
    """brainx.math's ``name`` on numba: the kernel where :func:`plan` finds a loop,
    ``fallback`` (default NumPy's function) for everything else: complex and integer
    operands, keyword arguments (``out=``, ``where=``, ``dtype=``), and objects other
    than NumPy arrays and scalars, Python numbers and lists (so an object overriding
    ufuncs through ``__array_ufunc__`` sees NumPy's ufunc).

    Examples
    --------
    >>> import numpy as np
    >>> exp = dispatcher('exp')
    >>> exp(np.zeros(3, np.float32))
    array([1., 1., 1.], dtype=float32)
    >>> exp(np.arange(3, dtype=np.int8)).dtype   # NumPy's dtype
    dtype('float16')
    >>> exp(np.zeros(2, np.complex64))           # NumPy's exp
    array([1.+0.j, 1.+0.j], dtype=complex64)
    """
    kernel = _kernel_name(name)
    numpy_fn = fallback if fallback is not None else _numpy_function(name)
    nin = KERNELS[kernel][2]
    message_name = _numpy_function(name).__name__
    keeps_dtype = name != "float_power"  # float operands give their own dtype
    jitted = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal jitted
        if kwargs or len(args) != nin:
            return numpy_fn(*args, **kwargs)
        if any(type(a) is Traced for a in args):  # being compiled: the same kernel
            recorded = record_kernel(name, kernel, args, call)
            return recorded if recorded is not None else numpy_fn(*args)
        if jitted is None:
            jitted = loop(kernel)
        x = args[0]
        if nin == 1:
            if type(x) is np.ndarray and (x.dtype is _F64 or x.dtype is _F32):
                return _unary(jitted, message_name, x, x.dtype)
        elif keeps_dtype:  # the common cases, without a plan lookup
            y = args[1]
            tx, ty = type(x), type(y)
            if tx is np.ndarray and (x.dtype is _F64 or x.dtype is _F32):
                if ty is np.ndarray and y.dtype is x.dtype:
                    return _binary(jitted, message_name, x, y, x.dtype)
                if _WEAK_SCALARS and (ty is float or ty is int):
                    return _binary(jitted, message_name, x, x.dtype.type(y), x.dtype)
            elif (_WEAK_SCALARS and (tx is float or tx is int) and ty is np.ndarray
                  and (y.dtype is _F64 or y.dtype is _F32)):
                return _binary(jitted, message_name, y.dtype.type(x), y, y.dtype)
        operands = []
        for a in args:
            t = type(a)
            if t is list or t is tuple:
                a = np.asarray(a)
                if a.dtype.kind == "O":
                    return numpy_fn(*args)
            elif not (t is np.ndarray or t in _PYTHON_SCALARS or isinstance(a, np.generic)):
                return numpy_fn(*args)
            operands.append(a)
        found = plan(name, *operands)
        if found is None:
            return numpy_fn(*args)
        compute, result = found
        if nin == 1:
            x = operands[0]
            out = _unary(jitted, message_name, x if type(x) is np.ndarray and x.dtype == compute
                         else np.asarray(x, compute), compute)
        else:
            out = _binary(jitted, message_name, _as_compute(operands[0], compute),
                          _as_compute(operands[1], compute), compute)
        return out if result == compute else out.astype(result)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = getattr(numpy_fn, "__doc__", None)
    return call
