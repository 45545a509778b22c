"""Floating-point exception flags for compiled loops, reported as NumPy reports them.

NumPy clears the C floating-point exception flags before a ufunc's loop and, after it,
warns (or raises, calls, logs) for each flag ``numpy.errstate`` does not ignore:
``RuntimeWarning: divide by zero encountered in log``. The eager loops of
``brainx_numba._ufunc_kernels`` do the same with :data:`feclearexcept` and
:data:`fetestexcept` (the C library's, callable from Numba code) and :func:`report`.
"""

from __future__ import annotations

import ctypes
import platform
import sys
import warnings

import llvmlite.binding
import numpy as np
from numba import types

__all__ = ["BITS", "MASK", "feclearexcept", "fetestexcept", "report"]

# NumPy's names, messages and status codes, in the order NumPy reports them
_NUMPY_ERRORS = (("divide", "divide by zero", 1), ("over", "overflow", 2),
                 ("under", "underflow", 4), ("invalid", "invalid value", 8))


def _bits() -> tuple[int, int, int, int]:
    """``<fenv.h>``'s FE_DIVBYZERO, FE_OVERFLOW, FE_UNDERFLOW, FE_INVALID on this machine
    (zeros where unknown: no flag is then reported)."""
    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64", "i386", "i686", "x86"):
        return (0x08, 0x04, 0x02, 0x10) if sys.platform == "win32" else (0x04, 0x08, 0x10, 0x01)
    if machine in ("arm64", "aarch64"):
        return (0x02, 0x04, 0x08, 0x01)
    return (0, 0, 0, 0)


def _c_library() -> ctypes.CDLL | None:
    """The C library holding ``<fenv.h>``'s functions (the process's own on POSIX)."""
    for name in (("ucrtbase",) if sys.platform == "win32" else (None, "libm.so.6")):
        try:
            lib = ctypes.CDLL(name)
            lib.fetestexcept, lib.feclearexcept, lib.log, lib.exp  # noqa: B018
            return lib
        except (OSError, AttributeError):
            continue
    return None


def _verified(lib: ctypes.CDLL, bits: tuple[int, ...]) -> bool:
    """True when the C library raises the flags ``bits`` names (log(0) divides by zero,
    exp(1000) overflows, exp(-1000) underflows, log(-1) is invalid)."""
    if not all(bits):
        return False
    log, exp = lib.log, lib.exp
    log.restype = exp.restype = ctypes.c_double
    log.argtypes = exp.argtypes = [ctypes.c_double]
    mask = sum(bits)
    for bit, (function, value) in zip(bits, ((log, 0.0), (exp, 1000.0), (exp, -1000.0),
                                             (log, -1.0)), strict=True):
        lib.feclearexcept(mask)
        function(value)
        if not lib.fetestexcept(mask) & bit:
            return False
    lib.feclearexcept(mask)
    return True


_LIB = _c_library()
BITS = _bits() if _LIB is not None and _verified(_LIB, _bits()) else (0, 0, 0, 0)
if _LIB is not None:
    _ADDRESSES = {n: ctypes.cast(getattr(_LIB, n), ctypes.c_void_p).value
                  for n in ("feclearexcept", "fetestexcept")}
else:  # compiled loops still link; these report no flag
    _NO_FLAGS = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)(lambda mask: 0)
    _ADDRESSES = dict.fromkeys(("feclearexcept", "fetestexcept"),
                               ctypes.cast(_NO_FLAGS, ctypes.c_void_p).value)
for _name, _address in _ADDRESSES.items():
    llvmlite.binding.add_symbol(_name, _address)
#: The four flags' mask, 0 where they cannot be read here.
MASK = sum(BITS)

feclearexcept = types.ExternalFunction("feclearexcept", types.intc(types.intc))
fetestexcept = types.ExternalFunction("fetestexcept", types.intc(types.intc))


def report(raised: int, name: str, stacklevel: int = 2) -> None:
    """Warn, raise, print, call or log as ``numpy.errstate`` says, with NumPy's messages,
    for the flags in ``raised`` (a value of :data:`fetestexcept`) set by ``name``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     report(BITS[0], "log")
    >>> [str(w.message) for w in caught] if MASK else ['divide by zero encountered in log']
    ['divide by zero encountered in log']
    """
    modes = np.geterr()
    status = sum(code for (_, _, code), bit in zip(_NUMPY_ERRORS, BITS, strict=True)
                 if raised & bit)
    first = True
    for (kind, text, _), bit in zip(_NUMPY_ERRORS, BITS, strict=True):
        mode = modes[kind]
        if not (bit and raised & bit) or mode == "ignore":
            continue
        message = f"{text} encountered in {name}"
        if mode == "warn":
            warnings.warn(message, RuntimeWarning, stacklevel=stacklevel + 1)
        elif mode == "raise":
            raise FloatingPointError(message)
        elif mode == "print":
            print(f"Warning: {message}", file=sys.stderr)
        elif first:  # "call" and "log" handle the first error only, as in NumPy
            first = False
            handler = np.geterrcall()
            if mode == "call":
                handler(text, status)
            else:
                handler.write(f"Warning: {message}\n")
