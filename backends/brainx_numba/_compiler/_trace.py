"""Recording one run of a function as the source of a Numba function.

A :class:`Traced` value stands for a variable of the function being generated and
carries an example value (a NumPy array or scalar computed eagerly alongside), from
which shapes and dtypes are known exactly. NumPy calls on Traced values arrive
through ``__array_ufunc__`` / ``__array_function__``; each one computes its example
and appends one line of source to the active :class:`Tape`. What a straight-line
program cannot express (a Python branch on an array value, ``float(x)``, handing
the array to code outside NumPy) raises :class:`Untraceable`, naming the construct
and the user's source line.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

_local = threading.local()
# the backend package (brainx_numba) and NumPy: frames there are not the user's
_LIBRARY_DIRS = (os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                 os.path.dirname(os.path.abspath(np.__file__)))


class Untraceable(Exception):
    """A construct the compiled path cannot express; ``where`` is the user's source line."""

    def __init__(self, construct: str, where: str | None = None):
        self.construct = construct
        self.where = where if where is not None else user_location()
        super().__init__(f"{construct} (at {self.where})")


class _MissingAttribute(Untraceable, AttributeError):
    """An attribute Traced values lack: ``hasattr`` says False, other uses fall back."""


@functools.cache
def _library_dirs() -> tuple[str, ...]:
    import array_api_compat

    import brainx

    return _LIBRARY_DIRS + tuple(os.path.dirname(os.path.abspath(m.__file__))
                                 for m in (brainx, array_api_compat))


def user_location() -> str:
    """``file:line`` of the innermost frame outside brainx, its backends and NumPy."""
    caller = frame = sys._getframe(1)
    while frame is not None:
        if not _is_library_file(frame.f_code.co_filename):
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back
    return f"{caller.f_code.co_filename}:{caller.f_lineno}"


@functools.cache
def _is_library_file(filename: str) -> bool:
    return os.path.abspath(filename).startswith(_library_dirs())


def active_tape() -> Tape | None:
    return getattr(_local, "tape", None)


@contextmanager
def recording(tape: Tape) -> Iterator[Tape]:
    previous = active_tape()
    _local.tape = tape
    try:
        yield tape
    finally:
        _local.tape = previous


def is_traced(x: Any) -> bool:
    return type(x) is Traced


def example(x: Any) -> Any:
    """``x`` with every Traced value replaced by its example (recursively in containers)."""
    t = type(x)
    if t is Traced:
        return x.example.item() if x.weak else x.example
    if t is tuple or t is list:
        return t(example(v) for v in x)
    if t is dict:
        return {k: example(v) for k, v in x.items()}
    return x


def contains_traced(x: Any) -> bool:
    t = type(x)
    if t is Traced:
        return True
    if t is tuple or t is list:
        return any(contains_traced(v) for v in x)
    if t is dict:
        return any(contains_traced(v) for v in x.values())
    return False


def _dtype_name(dtype: np.dtype) -> str:
    return f"np.{np.dtype(dtype).name}"


def _float_literal(value: float) -> str:
    if math.isnan(value):
        return "np.nan"
    if math.isinf(value):
        return "np.inf" if value > 0 else "-np.inf"
    return repr(float(value))


class Assign:
    """``targets = expr``: one line of the generated function.

    An element-wise line also keeps ``op`` (``"binary:+"``, ``"ufunc:np.exp"``,
    ``"where"``, ``"cast:np.float32"``) and its ``operands`` as ``[text, is_array]``, so
    consecutive element-wise lines can be fused into one loop."""

    __slots__ = ("targets", "expr", "where", "op", "operands")

    def __init__(self, targets: tuple[Traced, ...], expr: str, where: str,
                 op: str | None = None, operands: list | None = None):
        self.targets, self.expr, self.where = targets, expr, where
        self.op, self.operands = op, operands


class Statement:
    """A line with no result (an in-place assignment)."""

    __slots__ = ("text", "where")

    def __init__(self, text: str, where: str):
        self.text, self.where = text, where


class Loop:
    """``for index in range(...)``: ``before`` runs once, then ``body`` every step."""

    __slots__ = ("index", "header", "before", "body")

    def __init__(self, index: str, header: str):
        self.index, self.header = index, header
        self.before: list[Any] = []
        self.body: list[Any] = []


class Tape:
    """The source being generated: input and constant arguments and the lines of code."""

    def __init__(self) -> None:
        from brainx import environ

        self.threads = environ.get_threads()  # > 1: parallel loops and kernels
        self.inputs: list[Traced] = []
        self.constants: list[Any] = []
        self._constant_names: dict[int, str] = {}
        self.globals: dict[str, Any] = {}
        self.blocks: list[list[Any]] = [[]]
        self._names = itertools.count()

    # ---- names -------------------------------------------------------------
    def fresh(self, prefix: str = "v") -> str:
        return f"{prefix}{next(self._names)}"

    def new(self, value: Any, name: str | None = None, weak: bool = False) -> Traced:
        return Traced(self, name or self.fresh(), value, weak)

    def input(self, value: Any) -> Traced:
        """A new argument of the generated function, with ``value`` as its example; a
        Python number stays weakly typed (it adopts the dtype of the arrays it meets)."""
        weak = type(value) in (bool, int, float)
        if weak:
            value = np.asarray(value)[()]
        traced = self.new(value, self.fresh("a"), weak)
        self.inputs.append(traced)
        return traced

    def constant(self, array: np.ndarray) -> str:
        key = id(array)
        name = self._constant_names.get(key)
        if name is None:
            name = self._constant_names[key] = f"c{len(self.constants)}"
            self.constants.append(array)
        return name

    def use_global(self, name: str, value: Any) -> str:
        self.globals[name] = value
        return name

    # ---- lines -------------------------------------------------------------
    def line(self, text: str) -> None:
        self.blocks[-1].append(Statement(text, user_location()))

    def add(self, item: Any) -> None:
        self.blocks[-1].append(item)

    def push_block(self) -> None:
        self.blocks.append([])

    def pop_block(self) -> list[Any]:
        return self.blocks.pop()

    # ---- expressions ---------------------------------------------------------
    def expr(self, x: Any, like: list[np.dtype] | None = None) -> str:
        """Source for the value ``x``: a variable, a constant argument or a literal.

        A Python number takes the dtype NumPy's promotion would give it against the
        arrays ``like`` (a weak scalar), so Numba computes in the same dtype."""
        t = type(x)
        if t is Traced:
            if x.weak and like:
                dtype = np.result_type(*like, x.example.item())
                if dtype != x.dtype:
                    return f"{_dtype_name(dtype)}({x.name})"
            return x.name
        if t is np.ndarray:  # 0-d arrays are scalars in the generated code
            return self.expr(x[()], like) if x.ndim == 0 else self.constant(x)
        if t is bool or x is None or x is Ellipsis:
            return repr(x)
        if t is int and not like:
            return repr(x)
        if t is int or t is float:
            dtype = np.result_type(*like, x) if like else np.asarray(x).dtype
            if dtype.kind == "f":
                return f"{_dtype_name(dtype)}({_float_literal(float(x))})"
            if dtype.kind == "b":
                return repr(bool(x))
            return f"{_dtype_name(dtype)}({int(x)})"
        if isinstance(x, np.generic):
            if x.dtype.kind == "f":
                return f"{_dtype_name(x.dtype)}({_float_literal(float(x))})"
            if x.dtype.kind == "b":
                return repr(bool(x))
            if x.dtype.kind in "iu":
                return f"{_dtype_name(x.dtype)}({int(x)})"
            raise Untraceable(f"a NumPy scalar of dtype {x.dtype}")
        if t is slice:
            return (f"slice({self.expr(x.start)}, {self.expr(x.stop)}, "
                    f"{self.expr(x.step)})")
        if t is tuple:
            inner = ", ".join(self.expr(v, like) for v in x)
            return f"({inner},)" if len(x) == 1 else f"({inner})"
        if t is list:
            return "(" + "".join(self.expr(v, like) + ", " for v in x) + ")"
        if isinstance(x, np.dtype) or (isinstance(x, type) and issubclass(x, np.generic)):
            return _dtype_name(np.dtype(x))
        if t is str:
            return repr(x)
        from brainx_numba._numpy import _is_foreign, from_foreign

        if _is_foreign(x):  # a concrete jax array (a model built under jax): read as NumPy
            return self.expr(from_foreign(x), like)
        raise Untraceable(f"a value of type {t.__name__} in the compiled code")

    def record(self, call: str, value: Any, op: str | None = None,
               operands: list | None = None) -> Any:
        """Append ``name = call`` and return the Traced result(s) with example ``value``
        (``op`` and ``operands``: see :class:`Assign`)."""
        where = user_location()
        if isinstance(value, tuple):
            outs = tuple(self._result(v) for v in value)
            self.blocks[-1].append(Assign(outs, call, where))
            return outs
        out = self._result(value)
        self.blocks[-1].append(Assign((out,), call, where, op, operands))
        return out

    def operand(self, x: Any, like: list[np.dtype]) -> list:
        """``[source, is_array, shape]`` of an operand of an element-wise line."""
        shape = tuple(np.shape(x.example if type(x) is Traced else x)) \
            if type(x) in (Traced, np.ndarray) else ()
        return [self.expr(x, like), bool(shape), shape]

    def _result(self, value: Any) -> Traced:
        weak = type(value) in (bool, int, float)
        if weak or type(value) is complex:
            value = np.asarray(value)[()]
        if not isinstance(value, (np.ndarray, np.generic)):
            raise Untraceable(f"a NumPy call returning {type(value).__name__}")
        return self.new(value, weak=weak)

    def call(self, text: str, fn: Callable, args: tuple, kwargs: dict,
             typed_ints: bool = False) -> Any:
        """Record ``text(args, kwargs)`` whose example is ``fn`` on the examples.

        Python floats among the arguments take the dtype of the arrays (weak scalars);
        Python ints only with ``typed_ints`` (ufunc operands), since elsewhere they are
        axes, shapes and counts."""
        value = fn(*example(args), **example(kwargs))
        like = _array_dtypes(_leaves((args, kwargs)))

        def source(x: Any, positional: bool) -> str:
            if type(x) is int and not (typed_ints and positional):
                return repr(x)
            if type(x) in (tuple, list):  # shapes, axes, sequences of arrays
                return self.expr(x)
            return self.expr(x, like)

        parts = [source(a, True) for a in args]
        parts += [f"{k}={source(v, False)}" for k, v in kwargs.items()]
        return self.record(f"{text}({', '.join(parts)})", value)


def _leaves(x: Any) -> Iterator[Any]:
    t = type(x)
    if t is tuple or t is list:
        for v in x:
            yield from _leaves(v)
    elif t is dict:
        for v in x.values():
            yield from _leaves(v)
    else:
        yield x


def _array_dtypes(values: Any) -> list[np.dtype]:
    """The dtypes of the arrays (not Python numbers) among ``values``."""
    return [v.dtype for v in values
            if type(v) in (Traced, np.ndarray) or isinstance(v, np.generic)]


# reductions whose floating-point result depends on the order of the additions: NumPy
# sums pairwise, Numba in sequence, BLAS in blocks
_ORDER_DEPENDENT = frozenset({"sum", "mean", "prod", "nansum", "nanmean", "nanprod", "std",
                              "var", "nanstd", "nanvar", "average", "dot", "matmul", "vdot",
                              "inner", "outer", "tensordot", "einsum", "trace", "cumprod",
                              "linalg"})


def _check_order_independent(name: str, values: Any) -> None:
    if name in _ORDER_DEPENDENT and any(
            np.dtype(d).kind in "fc" for d in _array_dtypes(values)):
        raise Untraceable(f"np.{name} of floating-point arrays (NumPy and Numba add in "
                          f"different orders, so the compiled result would differ)")


def _ufunc_name(ufunc: np.ufunc) -> str:
    name = ufunc.__name__
    if getattr(np, name, None) is not ufunc:
        raise Untraceable(f"the ufunc {name!r}, which is not NumPy's")
    return f"np.{name}"


def _function_name(func: Callable) -> str:
    name = func.__name__
    module = getattr(func, "__module__", "") or ""
    if getattr(np, name, None) is func:
        return f"np.{name}"
    if module.startswith("numpy.linalg") and getattr(np.linalg, name, None) is func:
        return f"np.linalg.{name}"
    raise Untraceable(f"numpy function {module}.{name}")


_BINARY = {"add": "+", "subtract": "-", "multiply": "*", "true_divide": "/", "divide": "/",
           "floor_divide": "//", "remainder": "%", "power": "**", "less": "<",
           "less_equal": "<=", "greater": ">", "greater_equal": ">=", "equal": "==",
           "not_equal": "!=", "bitwise_and": "&", "bitwise_or": "|", "bitwise_xor": "^",
           "left_shift": "<<", "right_shift": ">>"}


_PYTHON_BINARY = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
    "!=": operator.ne, "&": operator.and_, "|": operator.or_, "^": operator.xor,
    "<<": operator.lshift, ">>": operator.rshift}


class Traced:
    """A variable of the function being generated, with an example value."""

    __slots__ = ("_tape", "name", "example", "weak")
    __array_priority__ = 1000

    def __init__(self, tape: Tape, name: str, value: Any, weak: bool = False):
        self._tape, self.name, self.example, self.weak = tape, name, value, weak

    @property
    def tape(self) -> Tape:
        """The tape being recorded (a loop's scratch tape while its body is explored)."""
        active = getattr(_local, "tape", None)
        return active if active is not None else self._tape

    # ---- static facts --------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(np.shape(self.example))

    @property
    def dtype(self) -> np.dtype:
        return np.asarray(self.example).dtype

    @property
    def weak_type(self) -> bool:
        """A Python number's stand-in: it adopts the dtype of the arrays it meets."""
        return self.weak

    @property
    def ndim(self) -> int:
        return np.ndim(self.example)

    @property
    def size(self) -> int:
        return int(np.size(self.example))

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    def __repr__(self) -> str:
        return f"Traced({self.name}, shape={self.shape}, dtype={self.dtype})"

    # ---- what a straight-line program cannot do ------------------------------
    def __bool__(self) -> bool:
        raise Untraceable("a Python `if`/`while`/`and`/`or` on an array value")

    def __float__(self) -> float:
        raise Untraceable("float() of an array value")

    def __int__(self) -> int:
        raise Untraceable("int() of an array value")

    def __index__(self) -> int:
        raise Untraceable("an array value used as a Python int")

    def __complex__(self) -> complex:
        raise Untraceable("complex() of an array value")

    def __iter__(self) -> Any:
        if self.ndim == 0 or self.shape[0] > 64:
            raise Untraceable("a Python loop over an array value")
        return iter([self[i] for i in range(self.shape[0])])  # unpacking a few rows

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise Untraceable("an array value converted with numpy.asarray or passed to code "
                          "outside NumPy")

    def item(self, *args: Any) -> Any:
        raise Untraceable(".item() of an array value")

    def tolist(self) -> Any:
        raise Untraceable(".tolist() of an array value")

    __hash__ = object.__hash__

    # ---- NumPy protocols -------------------------------------------------------
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if kwargs.get("out") is not None:
            raise Untraceable(f"np.{ufunc.__name__}(..., out=...)")
        kwargs.pop("out", None)
        if method == "__call__":
            op = _BINARY.get(ufunc.__name__)
            if op is not None and len(inputs) == 2 and not kwargs:
                return self._binary(ufunc, op, inputs)
            if len(inputs) == 1 and not kwargs and ufunc.nout == 1:
                name = _ufunc_name(ufunc)
                operands = [self.tape.operand(inputs[0], [])]
                return self.tape.record(f"{name}({operands[0][0]})", ufunc(example(inputs[0])),
                                        f"ufunc:{name}", operands)
            return self.tape.call(_ufunc_name(ufunc), ufunc, inputs, kwargs, typed_ints=True)
        if method in ("reduce", "accumulate"):
            if ufunc.__name__ in ("add", "multiply"):
                _check_order_independent("sum", inputs)
            return self.tape.call(f"{_ufunc_name(ufunc)}.{method}", getattr(ufunc, method),
                                  inputs, kwargs)
        if method == "at" and not kwargs:
            return self._at(ufunc, *inputs)
        raise Untraceable(f"np.{ufunc.__name__}.{method}")

    def _at(self, ufunc: np.ufunc, out: Any, index: Any, values: Any = None) -> None:
        """``ufunc.at(out, index, values)`` on a 1-d ``out``, as a loop in index order."""
        tape = self.tape
        if type(out) is not Traced or out.ndim != 1 or np.ndim(example(index)) != 1 or \
                ufunc.nin != 2 or values is None:
            raise Untraceable(f"np.{ufunc.__name__}.at beyond a 1-d array and 1-d indices")
        out.example = np.array(out.example, copy=True)  # not a State's own array
        ufunc.at(out.example, example(index), example(values))
        j = tape.fresh("j")
        idx = tape.expr(index)
        each = f"{tape.expr(values, [out.dtype])}[{j}]" if np.ndim(example(values)) else \
            tape.expr(values, [out.dtype])
        name = _ufunc_name(ufunc)
        tape.line(f"for {j} in range({idx}.shape[0]):")
        tape.line(f"    {out.name}[{idx}[{j}]] = {name}({out.name}[{idx}[{j}]], {each})")

    def _binary(self, ufunc: np.ufunc, op: str, inputs: tuple) -> Any:
        tape = self.tape
        values = example(inputs)
        if all(type(v) in (bool, int, float) for v in values):  # Python arithmetic: weak
            value = _PYTHON_BINARY[op](*values)
            a, b = (tape.expr(v) for v in inputs)
            return tape.record(f"({a} {op} {b})", value)
        value = ufunc(*values)
        like = _array_dtypes(inputs)
        operands = [tape.operand(v, like) for v in inputs]
        return tape.record(f"({operands[0][0]} {op} {operands[1][0]})", value,
                           f"binary:{op}", operands)

    def __array_function__(self, func: Callable, types: Any, args: tuple, kwargs: dict) -> Any:
        if func is np.shape:
            return self.shape
        if func is np.ndim:
            return self.ndim
        if func is np.size and len(args) == 1 and not kwargs:
            return self.size
        if func is np.result_type or func is np.can_cast:
            return func(*example(args), **example(kwargs))
        if func is np.where and len(args) == 3 and not kwargs:
            like = _array_dtypes(args[1:])
            operands = [self.tape.operand(a, like if i else []) for i, a in enumerate(args)]
            text = ", ".join(o[0] for o in operands)
            return self.tape.record(f"np.where({text})", np.where(*example(args)), "where",
                                    operands)
        name = _function_name(func)
        _check_order_independent(name.rsplit(".", 1)[-1] if "linalg" not in name else "linalg",
                                 list(_leaves((args, kwargs))))
        return self.tape.call(name, func, args, kwargs)

    # ---- operators ---------------------------------------------------------------
    def _op(self, ufunc: np.ufunc, *inputs: Any) -> Any:
        return self.__array_ufunc__(ufunc, "__call__", *inputs)

    def __add__(self, o: Any) -> Any: return self._op(np.add, self, o)  # noqa: E704
    def __radd__(self, o: Any) -> Any: return self._op(np.add, o, self)  # noqa: E704
    def __sub__(self, o: Any) -> Any: return self._op(np.subtract, self, o)  # noqa: E704
    def __rsub__(self, o: Any) -> Any: return self._op(np.subtract, o, self)  # noqa: E704
    def __mul__(self, o: Any) -> Any: return self._op(np.multiply, self, o)  # noqa: E704
    def __rmul__(self, o: Any) -> Any: return self._op(np.multiply, o, self)  # noqa: E704
    def __truediv__(self, o: Any) -> Any: return self._op(np.true_divide, self, o)  # noqa: E704
    def __rtruediv__(self, o: Any) -> Any: return self._op(np.true_divide, o, self)  # noqa: E704
    def __floordiv__(self, o: Any) -> Any: return self._op(np.floor_divide, self, o)  # noqa: E704
    def __rfloordiv__(self, o: Any) -> Any: return self._op(np.floor_divide, o, self)  # noqa: E704
    def __mod__(self, o: Any) -> Any: return self._op(np.remainder, self, o)  # noqa: E704
    def __rmod__(self, o: Any) -> Any: return self._op(np.remainder, o, self)  # noqa: E704
    def __pow__(self, o: Any) -> Any: return self._op(np.power, self, o)  # noqa: E704
    def __rpow__(self, o: Any) -> Any: return self._op(np.power, o, self)  # noqa: E704
    def __lt__(self, o: Any) -> Any: return self._op(np.less, self, o)  # noqa: E704
    def __le__(self, o: Any) -> Any: return self._op(np.less_equal, self, o)  # noqa: E704
    def __gt__(self, o: Any) -> Any: return self._op(np.greater, self, o)  # noqa: E704
    def __ge__(self, o: Any) -> Any: return self._op(np.greater_equal, self, o)  # noqa: E704
    def __eq__(self, o: Any) -> Any: return self._op(np.equal, self, o)  # noqa: E704
    def __ne__(self, o: Any) -> Any: return self._op(np.not_equal, self, o)  # noqa: E704
    def __and__(self, o: Any) -> Any: return self._op(np.bitwise_and, self, o)  # noqa: E704
    def __rand__(self, o: Any) -> Any: return self._op(np.bitwise_and, o, self)  # noqa: E704
    def __or__(self, o: Any) -> Any: return self._op(np.bitwise_or, self, o)  # noqa: E704
    def __ror__(self, o: Any) -> Any: return self._op(np.bitwise_or, o, self)  # noqa: E704
    def __xor__(self, o: Any) -> Any: return self._op(np.bitwise_xor, self, o)  # noqa: E704
    def __rxor__(self, o: Any) -> Any: return self._op(np.bitwise_xor, o, self)  # noqa: E704
    def __neg__(self) -> Any: return self._op(np.negative, self)  # noqa: E704
    def __pos__(self) -> Any: return self._op(np.positive, self)  # noqa: E704
    def __abs__(self) -> Any: return self._op(np.absolute, self)  # noqa: E704
    def __invert__(self) -> Any: return self._op(np.invert, self)  # noqa: E704

    def __matmul__(self, o: Any) -> Any:
        _check_order_independent("matmul", [self, o])
        return self.tape.call("np.dot", np.matmul, (self, o), {})

    def __rmatmul__(self, o: Any) -> Any:
        _check_order_independent("matmul", [o, self])
        return self.tape.call("np.dot", np.matmul, (o, self), {})

    # ---- indexing ------------------------------------------------------------------
    def __getitem__(self, index: Any) -> Any:
        value = self.example[example(index)]
        return self.tape.record(f"{self.name}[{self._index(index)}]", value)

    def __setitem__(self, index: Any, value: Any) -> None:
        # a copy: the example may be a State's own array, which recording must not change
        self.example = np.array(self.example, copy=True)
        self.example[example(index)] = example(value)
        self.tape.line(f"{self.name}[{self._index(index)}] = "
                       f"{self.tape.expr(value, [self.dtype])}")

    def _index(self, index: Any) -> str:
        parts = index if isinstance(index, tuple) else (index,)
        if parts and parts[0] is Ellipsis and len(parts) - 1 == self.ndim:
            parts = parts[1:]  # x[..., i] of a 1-d x is x[i] (Numba has no ellipsis there)
        text = ", ".join("np.newaxis" if p is None else self.tape.expr(p) for p in parts)
        return text or "()"

    # ---- methods ------------------------------------------------------------------------
    def astype(self, dtype: Any, copy: bool = True) -> Any:
        dtype = np.dtype(dtype)
        value = np.asarray(self.example).astype(dtype)
        if self.ndim == 0:
            value = value[()]
            return self.tape.record(f"{_dtype_name(dtype)}({self.name})", value)
        return self.tape.record(f"{self.name}.astype({_dtype_name(dtype)})", value,
                                f"cast:{_dtype_name(dtype)}", [[self.name, True, self.shape]])

    def _method(self, name: str, *args: Any, **kwargs: Any) -> Any:
        _check_order_independent(name, [self])
        return self.tape.call(f"np.{name}", getattr(np, name), (self, *args), kwargs)

    def reshape(self, *shape: Any) -> Any:
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        shape = tuple(int(s) for s in shape)
        value = np.reshape(self.example, shape)
        return self.tape.record(f"{self.name}.reshape({self.tape.expr(shape)})", value)

    def view(self, dtype: Any) -> Any:
        dtype = np.dtype(dtype)
        return self.tape.record(f"{self.name}.view({_dtype_name(dtype)})",
                                np.asarray(self.example).view(dtype))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise _MissingAttribute(f"the array attribute or method .{name}")

    def copy(self) -> Any:
        return self.tape.record(f"{self.name}.copy()", np.array(self.example, copy=True))

    def ravel(self) -> Any:
        return self.reshape(-1)

    flatten = ravel

    @property
    def T(self) -> Any:  # noqa: N802 - NumPy's name
        return self.tape.record(f"{self.name}.T", np.asarray(self.example).T)

    def sum(self, *a: Any, **k: Any) -> Any: return self._method("sum", *a, **k)  # noqa: E704
    def mean(self, *a: Any, **k: Any) -> Any: return self._method("mean", *a, **k)  # noqa: E704
    def max(self, *a: Any, **k: Any) -> Any: return self._method("max", *a, **k)  # noqa: E704
    def min(self, *a: Any, **k: Any) -> Any: return self._method("min", *a, **k)  # noqa: E704
    def any(self, *a: Any, **k: Any) -> Any: return self._method("any", *a, **k)  # noqa: E704
    def all(self, *a: Any, **k: Any) -> Any: return self._method("all", *a, **k)  # noqa: E704
    def prod(self, *a: Any, **k: Any) -> Any: return self._method("prod", *a, **k)  # noqa: E704
    def cumsum(self, *a: Any, **k: Any) -> Any: return self._method("cumsum", *a, **k)  # noqa: E704
    def argmax(self, *a: Any, **k: Any) -> Any: return self._method("argmax", *a, **k)  # noqa: E704
    def argmin(self, *a: Any, **k: Any) -> Any: return self._method("argmin", *a, **k)  # noqa: E704
    def clip(self, *a: Any, **k: Any) -> Any: return self._method("clip", *a, **k)  # noqa: E704
    def nonzero(self) -> Any: return self._method("nonzero")  # noqa: E704

