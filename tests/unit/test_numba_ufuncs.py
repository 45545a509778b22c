"""brainx.math's transcendental functions on numba run Numba kernels that compiled code
calls too: compiled (``@numba.njit``) code gets the eager path's bits, with NumPy's
dtypes, special values and floating-point warnings, and accuracy against NumPy in wider
precision (float64 for float32, the x87 long double for float64).
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

import brainx
import brainx.math as bm
from brainx.math._names import ALL_NAMES, ARRAY_API

pytestmark = pytest.mark.skipif("numba" not in brainx.available_backends(),
                                reason="needs the numba backend")
numba = pytest.importorskip("numba")

import array_api_compat.numpy as array_api_numpy  # noqa: E402
from brainx_numba import _numpy as numba_numpy  # noqa: E402
from brainx_numba._ufunc_kernels import KERNELS  # noqa: E402
from brainx_numba._ufuncs import ALIASES, SCALARS, UFUNCS, plan  # noqa: E402

TRANSCENDENTAL = set(
    "exp exp2 expm1 log log2 log10 log1p sin cos tan arcsin arccos arctan arctan2 sinh cosh "
    "tanh arcsinh arccosh arctanh power pow float_power cbrt hypot logaddexp logaddexp2 sinc "
    "acos asin atan atan2 acosh asinh atanh".split())
UNARY = [n for n, entry in KERNELS.items() if entry[2] == 1]
BINARY = [n for n, entry in KERNELS.items() if entry[2] == 2]
SPECIAL = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, 89.0, 710.0, -750.0, 1e-40,
           1e-310, 1e30, -1e30, 1e300, np.inf, -np.inf, np.nan]
# the C library's (and NumPy's) bound where it is above 2 ULP
ULP_BOUND = {("cbrt", np.float64): 4, ("tanh", np.float32): 3, ("tanh", np.float64): 3}


@pytest.fixture
def numba_at():
    """Select the numba backend; the test calls the returned function with a precision."""
    with brainx.use_backend("numba"):
        yield lambda precision: brainx.environ.set(precision=precision)


def _ordered(a: np.ndarray) -> np.ndarray:
    """Floats as integers in the floats' order (adjacent floats differ by 1)."""
    bits = {4: np.int32, 8: np.int64}[a.dtype.itemsize]
    i = a.view(bits).astype(np.int64)
    return np.where(i < 0, -(i & np.int64(np.iinfo(bits).max)), i)


def _ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(_ordered(np.asarray(a)) - _ordered(np.asarray(b)))


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _mixed_inputs(dtype: type, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.uniform(-5, 5, 2000), rng.uniform(0.9, 1.1, 500),
                             np.exp(rng.uniform(-60, 60, 500)), SPECIAL])
    with np.errstate(all="ignore"):
        return values.astype(dtype)


# ---- coverage --------------------------------------------------------------------------
def test_every_transcendental_function_of_brainx_math_has_a_kernel():
    assert set(UFUNCS) == TRANSCENDENTAL
    assert TRANSCENDENTAL <= set(ALL_NAMES)
    for alias, name in ALIASES.items():
        assert UFUNCS[alias] is UFUNCS[name] and SCALARS[alias] is SCALARS[name]


@pytest.mark.parametrize("module", ["_ufuncs", "_fenv"])
def test_docstring_examples(module):
    import doctest
    import importlib

    found = importlib.import_module(f"brainx_numba.{module}")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    assert doctest.testmod(found, optionflags=flags).failed == 0


def test_unknown_names_are_refused_with_the_names_known():
    with pytest.raises(KeyError, match=r"name must be one of \[.*'exp'.*\], got 'sqrt'"):
        UFUNCS["sqrt"]
    with pytest.raises(KeyError, match=r"name must be one of .*, got 'erf'"):
        plan("erf", np.dtype(np.float32))


# ---- compiled code gets the eager bits -------------------------------------------------
def _compiled_functions() -> dict[str, object]:
    """Source emitted as a compiler would: every ufunc in one njit function per arity, and
    every scalar kernel in one explicit loop."""
    namespace = {"np": np, **{f"u_{n}": UFUNCS[n] for n in KERNELS},
                 **{f"s_{n}": SCALARS[n] for n in KERNELS}}
    source = [
        "def unary(x):", "    return (" + ", ".join(f"u_{n}(x)" for n in UNARY) + ",)",
        "def binary(x, y):", "    return (" + ", ".join(f"u_{n}(x, y)" for n in BINARY) + ",)",
        "def unary_loop(x):", f"    out = np.empty(({len(UNARY)}, x.size), x.dtype)",
        "    for i in range(x.size):",
        *[f"        out[{k}, i] = s_{n}(x[i])" for k, n in enumerate(UNARY)],
        "    return out",
        "def binary_loop(x, y):", f"    out = np.empty(({len(BINARY)}, x.size), x.dtype)",
        "    for i in range(x.size):",
        *[f"        out[{k}, i] = s_{n}(x[i], y[i])" for k, n in enumerate(BINARY)],
        "    return out"]
    exec("\n".join(source), namespace)  # noqa: S102
    return {name: numba.njit(namespace[name])
            for name in ("unary", "binary", "unary_loop", "binary_loop")}


@pytest.fixture(scope="module")
def compiled():
    return _compiled_functions()


@pytest.mark.parametrize("precision,dtype", [(32, np.float32), (64, np.float32),
                                             (64, np.float64)])
def test_compiled_code_gets_the_eager_bits(numba_at, compiled, precision, dtype):
    numba_at(precision)
    x = _mixed_inputs(dtype, 0)
    y = np.random.default_rng(1).permutation(x)
    with np.errstate(all="ignore"):
        eager_unary = [getattr(bm, n)(x) for n in UNARY]
        eager_binary = [getattr(bm, n)(x, y) for n in BINARY]
        results = (compiled["unary"](x), compiled["unary_loop"](x))
        binary_results = (compiled["binary"](x, y), compiled["binary_loop"](x, y))
    for got in results:
        for name, eager, row in zip(UNARY, eager_unary, got, strict=True):
            assert _same_bits(eager, row), (name, dtype)
    for got in binary_results:
        for name, eager, row in zip(BINARY, eager_binary, got, strict=True):
            assert _same_bits(eager, row), (name, dtype)


@pytest.mark.parametrize("precision", [32, 64])
def test_compiled_float_power_and_aliases_follow_the_plan(numba_at, compiled, precision):
    numba_at(precision)
    x32 = np.abs(_mixed_inputs(np.float32, 2))
    y32 = np.random.default_rng(3).permutation(x32)
    found = plan("float_power", x32, y32)
    assert found.compute == np.float64 and found.result == np.float64
    with np.errstate(all="ignore"):
        eager = bm.float_power(x32, y32)
        power_at = BINARY.index("power")
        compiled_row = compiled["binary"](x32.astype(found.compute), y32.astype(found.compute))
        for alias, name in ALIASES.items():
            if alias == "float_power":
                continue
            args = (x32, y32) if name in BINARY else (x32,)
            assert _same_bits(getattr(bm, alias)(*args), getattr(bm, name)(*args)), alias
        assert eager.dtype == (np.float64 if precision == 64 else np.float32)
        assert _same_bits(eager, compiled_row[power_at].astype(eager.dtype))


def test_constant_operands_compile_to_the_same_bits(numba_at):
    """LLVM folds calls on constants and rewrites pow(x, 2), pow(x, 0.5), pow(x, -1) and
    pow(2, x); the kernels hide their operands from it, so literal operands in compiled
    code still give the C library's bits."""
    numba_at(64)
    power, exp, sin = UFUNCS["power"], UFUNCS["exp"], UFUNCS["sin"]
    def compile_with(two, half, minus_one, ten, c1, c2):
        @numba.njit
        def constants(x):
            return (power(x, two), power(x, half), power(x, minus_one), power(two, x),
                    power(ten, x), exp(x * 0 + c1), sin(x * 0 + c2))
        return constants

    for dtype in (np.float32, np.float64):
        two, half, minus_one, ten, c1, c2 = (dtype(v) for v in (2, 0.5, -1, 10, 0.1234567, 30))
        constants = compile_with(two, half, minus_one, ten, c1, c2)
        x = np.random.default_rng(4).uniform(0, 10, 20000).astype(dtype)
        eager = (bm.power(x, two), bm.power(x, half), bm.power(x, minus_one), bm.power(two, x),
                 bm.power(ten, x), bm.exp(x * 0 + c1), bm.sin(x * 0 + c2))
        for k, (got, want) in enumerate(zip(constants(x), eager, strict=True)):
            assert _same_bits(got, want), (dtype, k)


# ---- accuracy --------------------------------------------------------------------------
def _domain(name: str, dtype: type, n: int, rng: np.random.Generator) -> list[np.ndarray]:
    f32 = dtype == np.float32

    def logu(lo: float, hi: float) -> np.ndarray:
        return np.exp(rng.uniform(np.log(lo), np.log(hi), n))

    def sym(lo: float, hi: float) -> np.ndarray:
        return logu(lo, hi) * rng.choice([-1.0, 1.0], n)

    def trig() -> np.ndarray:
        return np.concatenate([rng.uniform(-10, 10, n // 2), rng.uniform(-1e4, 1e4, n - n // 2)])

    positive = logu(1e-37, 1e38) if f32 else logu(1e-300, 1e300)
    domains = {
        "exp": [rng.uniform(-87, 88, n) if f32 else rng.uniform(-700, 700, n)],
        "exp2": [rng.uniform(-125, 127, n) if f32 else rng.uniform(-1000, 1000, n)],
        "expm1": [np.concatenate([sym(1e-10, 1)[: n // 2],
                                  rng.uniform(-20, 88 if f32 else 700, n - n // 2)])],
        "log": [positive], "log2": [positive], "log10": [positive],
        "log1p": [np.concatenate([rng.uniform(-0.999, 10, n // 2), logu(1e-10, 1e30)[n // 2:]])],
        "sin": [trig()], "cos": [trig()], "tan": [trig()],
        "arcsin": [rng.uniform(-1, 1, n)], "arccos": [rng.uniform(-1, 1, n)],
        "arctan": [sym(1e-10, 1e10)], "arctan2": [sym(1e-10, 1e10), sym(1e-10, 1e10)],
        "sinh": [rng.uniform(-88, 88, n) if f32 else rng.uniform(-700, 700, n)],
        "cosh": [rng.uniform(-88, 88, n) if f32 else rng.uniform(-700, 700, n)],
        "tanh": [rng.uniform(-20, 20, n)],
        "arcsinh": [sym(1e-10, 1e30)], "arccosh": [1 + logu(1e-7, 1e30)],
        "arctanh": [rng.uniform(-0.9999, 0.9999, n)],
        "power": [logu(1e-3, 1e3), rng.uniform(-12, 12, n)],
        "cbrt": [sym(1e-30, 1e30)], "hypot": [sym(1e-15, 1e15), sym(1e-15, 1e15)],
        "logaddexp": [rng.uniform(-100, 100, n), rng.uniform(-100, 100, n)],
        "logaddexp2": [rng.uniform(-100, 100, n), rng.uniform(-100, 100, n)],
        "sinc": [rng.uniform(-100, 100, n)],
    }
    return [a.astype(dtype) for a in domains[name]]


def _wider_reference(name: str, args: list[np.ndarray], dtype: type) -> np.ndarray:
    wide = np.longdouble if dtype == np.float64 else np.float64
    if name == "sinc":  # numpy.sinc's formula: sin(y) / y with y = pi * x in x's type
        y = (dtype(np.pi) * args[0]).astype(wide)
        return (np.sin(y) / y).astype(dtype)
    return getattr(np, name)(*(a.astype(wide) for a in args)).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_accuracy_against_numpy_in_wider_precision(numba_at, name, dtype):
    if dtype == np.float64 and np.finfo(np.longdouble).nmant < 63:
        pytest.skip("needs an 80-bit long double for a float64 reference")
    numba_at(64)
    args = _domain(name, dtype, 20000, np.random.default_rng(5))
    got = getattr(bm, name)(*args)
    want = _wider_reference(name, args, dtype)
    assert got.dtype == dtype
    finite = np.isfinite(want)
    assert finite.mean() > 0.99 and np.array_equal(np.isfinite(got), finite), name
    if name.startswith("logaddexp"):  # cancellation: NumPy's formula is exact to the operands
        scale = np.maximum(np.abs(args[0]), np.abs(args[1]))[finite]
        assert np.all(np.abs(got[finite] - want[finite]) <= 2 * np.spacing(scale)), name
    else:
        assert _ulps(got[finite], want[finite]).max() <= ULP_BOUND.get((name, dtype), 2), name


# ---- special values and domain errors --------------------------------------------------
@pytest.mark.parametrize("precision,dtype", [(32, np.float32), (32, np.float64),
                                             (64, np.float32), (64, np.float64)])
@pytest.mark.parametrize("name", sorted(KERNELS) + ["float_power"])
def test_special_values_and_domain_errors_follow_numpy(numba_at, name, precision, dtype):
    numba_at(precision)
    with np.errstate(all="ignore"):
        values = np.array(SPECIAL, dtype)
        args = ([values] if name in UNARY else
                [m.ravel() for m in np.meshgrid(values, values)])
        got = getattr(bm, name)(*args)
        numpy_args = args if precision == 64 else [a.astype(np.float32) for a in args]
        want = getattr(np, name)(*numpy_args)
        if precision == 32:
            want = want.astype(np.float32)
    assert got.dtype == want.dtype
    assert np.array_equal(np.isnan(got), np.isnan(want)), name
    special = ~np.isfinite(want) | (want == 0)
    assert np.array_equal(got[special & ~np.isnan(want)], want[special & ~np.isnan(want)])
    assert np.array_equal(np.signbit(got[special]) | np.isnan(got[special]),
                          np.signbit(want[special]) | np.isnan(want[special])), name
    regular = ~special
    bound = ULP_BOUND.get((name, want.dtype.type), 2) + 2  # NumPy's SIMD adds up to 2
    assert _ulps(got[regular], want[regular]).max(initial=0) <= bound, name


# ---- NumPy's dtypes, results and fallbacks ---------------------------------------------
def _operands() -> list[tuple]:
    cases: list[tuple] = [(np.array([1, 2], d),) for d in (
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.float16, np.float32,
        np.float64, np.complex64, np.complex128)]
    cases += [(1.5,), (2,), (True,), ([1.0, 2.0],), ((1, 2),), (np.float32(1.5),),
              (np.array(1.5),), (np.ones((2, 3), np.float32).T,),
              (np.ones((2, 4))[:, ::2],)]
    try:
        import ml_dtypes

        cases.append((np.array([1, 2], ml_dtypes.bfloat16),))
    except ImportError:
        pass
    return cases


def _binary_operands() -> list[tuple]:
    f32, f64 = np.array([1.5, 2.0], np.float32), np.array([1.5, 2.0])
    return [(f32, 2.5), (2.5, f32), (f32, 3), (f32, f64), (np.arange(1, 3), 2.5),
            (np.arange(1, 3, dtype=np.int32), f32), (np.array([1.5, 2.0], np.float16), 2),
            (np.array([1.5, 2], np.float16), np.array([2, 3], np.int8)),
            (np.arange(1, 3), np.arange(2)), (np.ones((3, 1)), np.ones(4)), (2.0, 3.0),
            (np.float32(2), np.float32(3)), (f64, np.array(2.0)), (True, f32),
            (np.array([1 + 1j]), f32), (np.ones((2, 3)).T, 2.0)]


def _assert_like_numpy(got: object, want: object, name: str) -> None:
    assert type(got) is type(want), (name, type(got), type(want))
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (name, got.dtype, want.dtype)
    if want.dtype.kind in "iub":
        np.testing.assert_array_equal(got, want, err_msg=name)
    else:
        wide = np.complex128 if want.dtype.kind == "c" else np.float64
        tiny = 2.0 ** -7 if want.dtype.itemsize == 2 else 1e-5  # float16, bfloat16: 1 ULP
        np.testing.assert_allclose(got.astype(wide), want.astype(wide), rtol=tiny, atol=0,
                                   equal_nan=True, err_msg=name)


@pytest.mark.parametrize("precision", [32, 64])
@pytest.mark.parametrize("name", sorted(TRANSCENDENTAL))
def test_results_have_the_dtypes_brainx_math_gave_with_numpy(numba_at, name, precision):
    """The reference is brainx.math's numba function as it was: NumPy's, under the
    precision policy."""
    numba_at(precision)
    before = numba_numpy._wrap(getattr(array_api_numpy if name in ARRAY_API else np, name), name)
    cases = _binary_operands() if ALIASES.get(name, name) in BINARY else _operands()
    for args in cases:
        label = f"{name}{tuple(getattr(a, 'dtype', type(a).__name__) for a in args)}"
        with np.errstate(all="ignore"):
            try:
                want = before(*args)
            except TypeError as numpy_refused:
                with pytest.raises(type(numpy_refused)):
                    getattr(bm, name)(*args)
                continue
            got = getattr(bm, name)(*args)
        _assert_like_numpy(got, want, label)


def test_keyword_arguments_and_other_array_types_reach_numpy(numba_at):
    numba_at(64)
    out = np.zeros(3)
    assert bm.exp(np.zeros(3), out=out) is out and np.all(out == 1.0)

    class Recorder:
        seen: list = []

        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            Recorder.seen.append(ufunc)
            return "recorded"

    assert bm.exp(Recorder()) == "recorded" and bm.power(Recorder(), 2.0) == "recorded"
    assert bm.arctan2(np.ones(2), Recorder()) == "recorded"
    assert Recorder.seen == [np.exp, np.power, np.arctan2]
    assert isinstance(bm.log(np.ma.masked_array([1.0, 2.0], [0, 1])), np.ma.MaskedArray)


# ---- floating-point errors, as NumPy reports them --------------------------------------
ERROR_CASES = [("log", (0.0,)), ("log", (-1.0,)), ("exp", (1000.0,)), ("arcsin", (2.0,)),
               ("arctanh", (1.0,)), ("power", (0.0, -1.0)), ("power", (-2.0, 0.5)),
               ("cosh", (1000.0,)), ("log1p", (-1.0,)), ("arccosh", (0.5,))]


def _run(fn, args, dtype):
    return fn(*(np.array([a, 1.0], dtype) for a in args))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,args", ERROR_CASES)
def test_floating_point_errors_are_reported_as_numpy_reports_them(numba_at, name, args,
                                                                   dtype):
    numba_at(64)

    def warned(fn):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _run(fn, args, dtype)
        return [(str(w.message), w.filename) for w in caught]

    numpy_messages = [m for m, _ in warned(getattr(np, name))]
    assert numpy_messages and warned(getattr(bm, name)) == [(m, __file__)
                                                          for m in numpy_messages]
    with np.errstate(all="raise"):
        with pytest.raises(FloatingPointError) as numpy_error:
            _run(getattr(np, name), args, dtype)
        with pytest.raises(FloatingPointError, match=f"^{numpy_error.value}$"):
            _run(getattr(bm, name), args, dtype)
    calls: list = []
    with np.errstate(all="call", call=lambda *a: calls.append(a)):
        _run(getattr(np, name), args, dtype)
        _run(getattr(bm, name), args, dtype)
    assert len(calls) == 2 and calls[0] == calls[1]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        _run(getattr(bm, name), args, dtype)


# ---- first use -------------------------------------------------------------------------
def test_a_new_process_loads_the_loops_from_numbas_cache(numba_at):
    numba_at(64)
    bm.exp(np.ones(3))  # compiles (or loads) the float64 loop, filling the cache
    probe = ("import numpy as np, brainx, brainx.math as bm\n"
             "brainx.set_backend('numba'); brainx.environ.set(precision=64)\n"
             "bm.exp(np.ones(3))\n"
             "from brainx_numba._ufunc_kernels import loop\n"
             "stats = loop('exp').stats\n"
             "print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    hits, misses = map(int, done.stdout.split())
    assert (hits, misses) == (1, 0)
