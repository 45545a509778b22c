"""The explicit list of names in ``brainx.math``.

Every backend's ``numpy`` namespace must provide every name listed here
(checked when the backend is loaded, and by the tests); the semantics are
NumPy's.
"""

CREATION = (
    "array asarray zeros ones empty full zeros_like ones_like empty_like full_like eye "
    "identity arange linspace logspace geomspace meshgrid diag diagonal diagflat tri tril "
    "triu copy"
).split()

ELEMENTWISE = (
    "add subtract multiply divide true_divide floor_divide mod remainder fmod power "
    "float_power negative positive abs absolute sign reciprocal square sqrt cbrt exp exp2 "
    "expm1 log log2 log10 log1p logaddexp logaddexp2 sin cos tan arcsin arccos arctan arctan2 "
    "sinh cosh tanh arcsinh arccosh arctanh hypot deg2rad rad2deg degrees radians sinc floor "
    "ceil trunc rint round modf frexp ldexp copysign nextafter signbit spacing maximum minimum "
    "fmax fmin clip heaviside nan_to_num real imag conj conjugate angle"
).split()

LOGIC = (
    "where select isnan isinf isfinite isclose allclose array_equal equal not_equal less "
    "less_equal greater greater_equal logical_and logical_or logical_not logical_xor "
    "bitwise_and bitwise_or bitwise_xor bitwise_not invert left_shift right_shift"
).split()

REDUCTIONS = (
    "sum prod mean std var min max amin amax argmin argmax all any cumsum cumprod median "
    "percentile quantile average ptp count_nonzero nansum nanprod nanmean nanstd nanvar "
    "nanmin nanmax nanargmin nanargmax nancumsum nanmedian"
).split()

SHAPES = (
    "reshape ravel transpose swapaxes moveaxis expand_dims squeeze broadcast_to "
    "broadcast_arrays atleast_1d atleast_2d atleast_3d flip fliplr flipud roll rot90 tile "
    "repeat concatenate stack vstack hstack dstack column_stack split array_split hsplit "
    "vsplit dsplit astype shape ndim size"
).split()

INDEXING = (
    "take take_along_axis compress extract nonzero flatnonzero argwhere searchsorted "
    "digitize sort argsort lexsort unique partition argpartition isin intersect1d union1d "
    "setdiff1d"
).split()

LINEAR_ALGEBRA = (
    "dot vdot matmul inner outer tensordot einsum kron cross trace"
).split()

NUMERICAL = "diff ediff1d gradient convolve correlate interp histogram bincount".split()

DTYPE_FUNCTIONS = "result_type can_cast promote_types iinfo finfo".split()

#: Names of the Python array API standard that NumPy 1.x lacked (NumPy 2 and jax.numpy
#: have them; the numba backend takes them from array-api-compat's NumPy namespace).
ARRAY_API = (
    "concat permute_dims matrix_transpose vecdot unique_values unique_counts acos asin atan "
    "atan2 acosh asinh atanh pow bitwise_left_shift bitwise_right_shift bitwise_invert"
).split()

#: brainx additions that NumPy lacks but models written for every backend need.
EXTRAS = ("as_numpy", "index_update", "index_add", "index_max", "index_min")

ALL_NAMES = tuple(
    CREATION + ELEMENTWISE + LOGIC + REDUCTIONS + SHAPES + INDEXING + LINEAR_ALGEBRA
    + NUMERICAL + DTYPE_FUNCTIONS + ARRAY_API + list(EXTRAS)
)

LINALG_NAMES = (
    "norm inv det solve eigh eigvalsh svd qr cholesky matrix_rank pinv lstsq slogdet "
    "matrix_power"
).split()

DTYPES = (
    "bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 "
    "complex64 complex128"
).split()

assert len(set(ALL_NAMES)) == len(ALL_NAMES), "duplicate name in brainx.math"
