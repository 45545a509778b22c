"""Sample arguments for every name of brainx.math, and how to compare the results."""

from __future__ import annotations

import numpy as np

rng = np.random.default_rng(20261122)
X = rng.uniform(0.1, 0.9, (3, 4)).astype(np.float32)
Y = rng.uniform(0.1, 0.9, (3, 4)).astype(np.float32)
V = rng.uniform(0.1, 0.9, 6).astype(np.float32)
S = np.sort(V)
I = rng.integers(1, 10, (3, 4)).astype(np.int32)
J = rng.integers(1, 5, (3, 4)).astype(np.int32)
B = X > 0.5
A = rng.uniform(-1, 1, (4, 4)).astype(np.float32)
M = (A @ A.T + 4 * np.eye(4)).astype(np.float32)  # symmetric positive definite
V4 = rng.uniform(0.1, 0.9, 4).astype(np.float32)
X3 = rng.uniform(0.1, 0.9, (2, 3, 4)).astype(np.float32)

UNARY = (
    "sqrt cbrt exp exp2 expm1 log log2 log10 log1p sin cos tan arcsin arccos arctan sinh cosh "
    "tanh arcsinh arctanh deg2rad rad2deg degrees radians sinc floor ceil trunc rint round "
    "negative positive abs absolute sign reciprocal square signbit spacing isnan isinf isfinite "
    "real imag conj conjugate angle nan_to_num modf frexp logical_not copy ravel transpose "
    "flip fliplr flipud rot90 atleast_1d atleast_2d atleast_3d sort argsort zeros_like "
    "ones_like sum prod mean std var min max amin amax argmin argmax all any cumsum cumprod "
    "median average ptp count_nonzero nansum nanprod nanmean nanstd nanvar nanmin nanmax "
    "nanargmin nanargmax nancumsum nanmedian shape ndim size as_numpy"
).split()

BINARY = (
    "add subtract multiply divide true_divide floor_divide mod remainder fmod power "
    "float_power arctan2 hypot maximum minimum fmax fmin copysign nextafter logaddexp "
    "logaddexp2 heaviside equal not_equal less less_equal greater greater_equal isclose "
    "allclose array_equal"
).split()

INTEGER_BINARY = "bitwise_and bitwise_or bitwise_xor left_shift right_shift".split()

CASES: dict[str, tuple[tuple, dict]] = {name: ((X,), {}) for name in UNARY}
CASES.update({name: ((X, Y), {}) for name in BINARY})
CASES.update({name: ((I, J), {}) for name in INTEGER_BINARY})
CASES.update({
    "arccosh": ((1.0 + X,), {}),
    "ldexp": ((X, J), {}),
    "bitwise_not": ((I,), {}),
    "invert": ((I,), {}),
    "logical_and": ((B, ~B), {}),
    "logical_or": ((B, ~B), {}),
    "logical_xor": ((B, B), {}),
    "clip": ((X, 0.3, 0.6), {}),
    "where": ((B, X, Y), {}),
    "select": (([B, ~B], [X, Y]), {}),
    "percentile": ((X, 30.0), {}),
    "quantile": ((X, 0.3), {}),
    "array": (([1.0, 2.5],), {}),
    "asarray": (([[1, 2], [3, 4]],), {}),
    "zeros": (((2, 3),), {}),
    "ones": ((3,), {}),
    "empty": (((2, 2),), {}),
    "full": (((2, 2), 1.5), {}),
    "empty_like": ((X,), {}),
    "full_like": ((X, 2.0), {}),
    "eye": ((3,), {}),
    "identity": ((3,), {}),
    "arange": ((5,), {}),
    "linspace": ((0.0, 1.0, 5), {}),
    "logspace": ((0.0, 2.0, 3), {}),
    "geomspace": ((1.0, 100.0, 3), {}),
    "meshgrid": ((V, V4), {}),
    "diag": ((V,), {}),
    "diagonal": ((M,), {}),
    "diagflat": ((V4,), {}),
    "tri": ((3,), {}),
    "tril": ((M,), {}),
    "triu": ((M,), {}),
    "reshape": ((X, (4, 3)), {}),
    "swapaxes": ((X, 0, 1), {}),
    "moveaxis": ((X3, 0, 2), {}),
    "expand_dims": ((X, 0), {}),
    "squeeze": ((X[None],), {}),
    "broadcast_to": ((V4, (2, 4)), {}),
    "broadcast_arrays": ((X, V4), {}),
    "roll": ((X, 1), {}),
    "tile": ((V4, 2), {}),
    "repeat": ((V4, 2), {}),
    "concatenate": (([X, Y],), {}),
    "stack": (([X, Y],), {}),
    "vstack": (([X, Y],), {}),
    "hstack": (([X, Y],), {}),
    "dstack": (([X, Y],), {}),
    "column_stack": (([V, V],), {}),
    "split": ((V, 3), {}),
    "array_split": ((V, 4), {}),
    "hsplit": ((X, 2), {}),
    "vsplit": ((X, 3), {}),
    "dsplit": ((X3, 2), {}),
    "astype": ((X, np.int32), {}),
    "take": ((V, np.array([0, 2, 5])), {}),
    "take_along_axis": ((X, np.argsort(X, axis=1)), {"axis": 1}),
    "compress": ((np.array([True, False, True]), V[:3]), {}),
    "extract": ((B, X), {}),
    "nonzero": ((B,), {}),
    "flatnonzero": ((B,), {}),
    "argwhere": ((B,), {}),
    "searchsorted": ((S, np.float32(0.5)), {}),
    "digitize": ((V, np.array([0.2, 0.5, 0.8], np.float32)), {}),
    "lexsort": (((V, V[::-1]),), {}),
    "unique": ((I,), {}),
    "partition": ((V, 2), {}),
    "argpartition": ((V, 2), {}),
    "isin": ((I, np.array([1, 2, 3], np.int32)), {}),
    "intersect1d": ((I, J), {}),
    "union1d": ((I, J), {}),
    "setdiff1d": ((I, J), {}),
    "dot": ((X, Y.T), {}),
    "vdot": ((V, V), {}),
    "matmul": ((X, Y.T), {}),
    "inner": ((V, V), {}),
    "outer": ((V, V4), {}),
    "tensordot": ((X, Y.T), {"axes": 1}),
    "einsum": (("ij,kj->ik", X, Y), {}),
    "kron": ((V4[:2], V4[:2]), {}),
    "cross": ((V[:3], V[3:]), {}),
    "trace": ((M,), {}),
    "diff": ((V,), {}),
    "ediff1d": ((V,), {}),
    "gradient": ((V,), {}),
    "convolve": ((V, V4[:2]), {}),
    "correlate": ((V, V4[:2]), {}),
    "interp": ((np.float32(0.5), S, V), {}),
    "histogram": ((V,), {"bins": 3}),
    "bincount": ((I.ravel(),), {}),
    "result_type": ((np.float32, np.int32), {}),
    "can_cast": ((np.float32, np.float64), {}),
    "promote_types": ((np.float32, np.int8), {}),
    "iinfo": ((np.int32,), {}),
    "finfo": ((np.float32,), {}),
    "index_update": ((X, (0, 1), 5.0), {}),
    "concat": (([X, Y],), {}),
    "permute_dims": ((X3, (2, 0, 1)), {}),
    "matrix_transpose": ((X3,), {}),
    "vecdot": ((X, Y), {}),
    "unique_values": ((I,), {}),
    "unique_counts": ((I,), {}),
    "acos": ((X,), {}),
    "asin": ((X,), {}),
    "atan": ((X,), {}),
    "atan2": ((X, Y), {}),
    "acosh": ((1.0 + X,), {}),
    "asinh": ((X,), {}),
    "atanh": ((X,), {}),
    "pow": ((X, Y), {}),
    "bitwise_left_shift": ((I, J), {}),
    "bitwise_right_shift": ((I, J), {}),
    "bitwise_invert": ((I,), {}),
    "index_add": ((V4, np.array([0, 0, 1]), 1.0), {}),
    "index_max": ((V4, np.array([0, 0, 1]), np.array([0.95, 0.05, 0.99], np.float32)), {}),
    "index_min": ((V4, np.array([0, 0, 1]), np.array([0.95, 0.05, 0.99], np.float32)), {}),
})

LINALG_CASES: dict[str, tuple[tuple, dict]] = {
    "norm": ((X,), {}),
    "inv": ((M,), {}),
    "det": ((M,), {}),
    "solve": ((M, V4), {}),
    "eigh": ((M,), {}),
    "eigvalsh": ((M,), {}),
    "svd": ((X,), {}),
    "qr": ((M,), {}),
    "cholesky": ((M,), {}),
    "matrix_rank": ((M,), {}),
    "pinv": ((X,), {}),
    "lstsq": ((M, V4), {}),
    "slogdet": ((M,), {}),
    "matrix_power": ((M, 3), {}),
}

#: Results whose values are not determined (only shape and dtype are compared).
UNSPECIFIED_VALUES = {"empty", "empty_like"}
#: Results determined only at the partition point.
PARTITIONS = {"partition": 2, "argpartition": 2}
