"""Every name of brainx.math on every installed backend, against NumPy and each other."""

from __future__ import annotations

import numpy as np
import pytest
from math_cases import (
    CASES,
    LINALG_CASES,
    PARTITIONS,
    UNSPECIFIED_VALUES,
    V,
    X,
)

import brainx
import brainx.math as bm
from brainx.math._names import ALL_NAMES, ARRAY_API, DTYPES, LINALG_NAMES

_NARROW = {np.dtype("float64"): np.float32, np.dtype("int64"): np.int32,
           np.dtype("uint64"): np.uint32, np.dtype("complex128"): np.complex64}


def test_every_name_has_a_case():
    assert set(CASES) == set(ALL_NAMES)
    assert set(LINALG_CASES) == set(LINALG_NAMES)


def test_namespace_lists_exactly_the_names():
    public = set(bm.__all__)
    assert set(ALL_NAMES) <= public
    assert set(DTYPES) <= public
    assert {"pi", "e", "inf", "nan", "newaxis", "linalg"} <= public
    for name in ALL_NAMES:
        assert callable(getattr(bm, name)), name


@pytest.mark.parametrize("name", sorted(brainx.available_backends()))
def test_backend_namespace_provides_every_name(name):
    namespace = brainx.get_backend(name).numpy
    assert [n for n in ALL_NAMES if not hasattr(namespace, n)] == []
    assert [n for n in LINALG_NAMES if not hasattr(namespace.linalg, n)] == []


def _numpy_reference(fn, args, kwargs):
    """NumPy's answer, narrowed to 32 bits as brainx does at precision 32."""
    out = fn(*args, **kwargs)
    return _narrow(out)


def _narrow(out):
    if isinstance(out, (tuple, list)):
        return type(out)(_narrow(o) for o in out) if not hasattr(out, "_fields") else \
            tuple(_narrow(o) for o in out)
    if isinstance(out, (np.ndarray, np.generic)) and out.dtype in _NARROW:
        return out.astype(_NARROW[out.dtype])
    return out


def _as_host(out):
    if isinstance(out, (tuple, list)):
        return [_as_host(o) for o in out]
    if hasattr(out, "shape") and hasattr(out, "dtype") and not isinstance(out, np.dtype):
        return np.asarray(out)
    return out


def _compare(name, got, expected):
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected), name
        for g, e in zip(got, expected, strict=True):
            _compare(name, g, e)
        return
    if isinstance(expected, (np.iinfo, np.finfo)):
        assert got.bits == expected.bits and float(got.max) == float(expected.max), name
        return
    if isinstance(expected, (np.dtype, type)):
        assert np.dtype(got) == np.dtype(expected) or name == "result_type", (name, got)
        return
    expected = np.asarray(expected)
    got = np.asarray(got)
    assert got.shape == expected.shape, (name, got.shape, expected.shape)
    if name in UNSPECIFIED_VALUES:
        return
    if name in PARTITIONS:
        k = PARTITIONS[name]
        values = V if name == "argpartition" else None
        g = values[got] if values is not None else got
        e = values[expected] if values is not None else expected
        assert g[k] == e[k] and np.all(g[:k] <= g[k]) and np.all(g[k + 1:] >= g[k]), name
        return
    if expected.dtype.kind in "fc":
        np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-6, err_msg=name)
    else:
        np.testing.assert_array_equal(got, expected, err_msg=name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_name_matches_numpy(backend, name):
    args, kwargs = CASES[name]
    got = _as_host(getattr(bm, name)(*args, **kwargs))
    reference = getattr(np, name) if hasattr(np, name) else None
    if name in ARRAY_API:
        import array_api_compat.numpy as reference_namespace

        reference = getattr(reference_namespace, name)
    if name == "as_numpy":
        reference = np.asarray
    elif name == "index_update":
        def reference(x, idx, v):
            y = x.copy()
            y[idx] = v
            return y
    elif name == "index_add":
        def reference(x, idx, v):
            y = x.copy()
            np.add.at(y, idx, v)
            return y
    elif name in ("index_max", "index_min"):
        ufunc = np.maximum if name == "index_max" else np.minimum

        def reference(x, idx, v):
            y = x.copy()
            ufunc.at(y, idx, v)
            return y
    elif name == "argsort":
        def reference(x):
            return np.argsort(x, kind="stable")
    _compare(name, got, _numpy_reference(reference, args, kwargs))


@pytest.mark.parametrize("name", sorted(LINALG_CASES))
def test_linalg_matches_numpy(backend, name):
    args, kwargs = LINALG_CASES[name]
    got = _as_host(getattr(bm.linalg, name)(*args, **kwargs))
    expected = _narrow(getattr(np.linalg, name)(*args, **kwargs))
    if name == "eigh":
        w, v = got
        np.testing.assert_allclose(w, expected[0], rtol=1e-4)
        np.testing.assert_allclose(v @ np.diag(w) @ v.T, args[0], rtol=1e-4, atol=1e-4)
    elif name == "svd":
        np.testing.assert_allclose(got[1], expected[1], rtol=1e-4)
    elif name == "qr":
        q, r = got
        np.testing.assert_allclose(q @ r, args[0], rtol=1e-4, atol=1e-4)
    elif name == "lstsq":
        np.testing.assert_allclose(got[0], expected[0], rtol=1e-3, atol=1e-4)
    else:
        _compare(name, got, expected)


def _result_dtypes(out):
    if isinstance(out, (tuple, list)):
        return [_result_dtypes(o) for o in out]
    return str(getattr(out, "dtype", type(out).__name__))


#: Names whose result dtype differs by design, with the reason (documented in docs/api.md).
DTYPE_DIFFERENCES = {
    # NumPy promotes float32 with int32 to float64, jax to float32; the same holds for
    # operators on arrays, so brainx documents it rather than hiding it in one function.
    "result_type",
}


@pytest.mark.parametrize("precision", [32, 64])
@pytest.mark.parametrize("name", sorted(n for n in CASES
                                        if n not in {"iinfo", "finfo"} | DTYPE_DIFFERENCES))
def test_backends_return_the_same_dtypes(name, precision):
    backends = brainx.available_backends()
    if len(backends) < 2:
        pytest.skip("needs two backends")
    args, kwargs = CASES[name]
    seen = {}
    with brainx.environ.context(precision=precision):
        for b in backends:
            with brainx.use_backend(b):
                seen[b] = _result_dtypes(getattr(bm, name)(*args, **kwargs))
    first = seen[backends[0]]
    assert all(v == first for v in seen.values()), seen


def test_default_dtypes_follow_precision(backend):
    assert bm.zeros(3).dtype == np.float32
    assert bm.arange(3).dtype == np.int32
    assert bm.asarray([1.0, 2.0]).dtype == np.float32
    with brainx.environ.context(precision=64):
        assert bm.zeros(3).dtype == np.float64
        assert bm.arange(3).dtype == np.int64
        assert bm.sum(bm.ones(3, dtype=bm.int32)).dtype == np.int64


def test_constants_and_dtypes():
    assert bm.pi == np.pi and bm.inf == np.inf and np.isnan(bm.nan)
    assert bm.float32 is np.float32 and bm.dtype("float32") == np.float32


def test_numba_reads_concrete_jax_arrays_and_refuses_tracers():
    if len(brainx.available_backends()) < 2:
        pytest.skip("needs two backends")
    import jax

    with brainx.use_backend("jax"):
        foreign = bm.ones(3)
    with brainx.use_backend("numba"):
        # a jax array a user made (jnp, brainunit's u.math) is read as a NumPy array
        out = bm.add(foreign, 1.0)
        assert type(out) is np.ndarray and out.tolist() == [2.0, 2.0, 2.0]
        assert bm.sum(foreign).item() == 3.0
        # a tracer has no values to read: the error names the backend and the transformation
        with pytest.raises(brainx.MixedBackendError, match="numba backend.*jax.jit"):
            jax.jit(lambda x: bm.add(x, 1.0))(foreign)


def test_functional_updates_leave_the_input_alone(backend):
    x = bm.zeros(4)
    y = bm.index_update(x, 1, 3.0)
    z = bm.index_add(x, np.array([2, 2]), 1.0)
    assert np.asarray(x).tolist() == [0, 0, 0, 0]
    assert np.asarray(y).tolist() == [0, 3, 0, 0]
    assert np.asarray(z).tolist() == [0, 0, 2, 0]


def test_forwarders_follow_the_active_backend():
    if len(brainx.available_backends()) < 2:
        pytest.skip("needs two backends")
    with brainx.use_backend("numba"):
        assert isinstance(bm.ones(2), np.ndarray)
    with brainx.use_backend("jax"):
        import jax

        assert isinstance(bm.ones(2), jax.Array)
    assert X.dtype == np.float32
