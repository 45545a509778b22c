"""Event operators and layers against a dense NumPy reference, across backends."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse
from conftest import BACKENDS, both_backends

import brainx
import brainx.math as bm
from brainx.backend._kernels import references


def _dense(pre_ids, post_ids, weights, shape):
    """The dense matrix of a synapse list (repeated synapses add up)."""
    w = np.zeros(shape)
    np.add.at(w, (pre_ids, post_ids), weights)
    return w


def _events(rng, kind, n, batch):
    shape = (batch, n) if batch else (n,)
    if kind == "empty":
        return np.zeros(shape, dtype=bool)
    if kind == "all":
        return np.ones(shape, dtype=bool)
    if kind == "sparse":
        return rng.random(shape) < 0.1
    values = rng.normal(size=shape)  # float events, with exact zeros mixed in
    values[rng.random(shape) < 0.5] = 0.0
    return values


def _layers(rng, n_pre, n_post, homogeneous):
    """(layer, dense weight matrix) for each layer kind; the dense matrix is built
    independently from the layer's synapse lists."""
    w_fixed = 0.7 if homogeneous else (lambda shape: rng.normal(size=shape))
    fixed = brainx.event.FixedProb(n_pre, n_post, 0.3, w_fixed, allow_multi_conn=True, seed=4)
    mat = rng.random((n_pre, n_post)) < 0.2
    mat[1] = False  # an empty row
    sparse = scipy.sparse.csr_matrix(mat)
    w_csr = 0.7 if homogeneous else rng.normal(size=sparse.nnz)
    csr = brainx.event.CSRLinear(n_pre, n_post, sparse.indptr, sparse.indices, w_csr)
    w_dense = 0.7 if homogeneous else rng.normal(size=(n_pre, n_post))
    linear = brainx.event.Linear(n_pre, n_post, w_dense)
    out = []
    for layer in (fixed, csr):
        weights = np.broadcast_to(np.asarray(layer.weight.value, np.float64).reshape(-1),
                                  (layer.num_synapses,))
        out.append((layer, _dense(layer._pre_ids, layer._post_ids, weights, (n_pre, n_post))))
    out.append((linear, np.broadcast_to(np.asarray(linear.weight.value, np.float64),
                                        (n_pre, n_post))))
    return out


@pytest.mark.parametrize("precision", [32, 64])
@pytest.mark.parametrize("homogeneous", [True, False])
@pytest.mark.parametrize("shape", [(40, 25), (25, 40), (30, 30)])
def test_layers_match_the_dense_product(backend, precision, shape, homogeneous):
    """Empty, full, sparse and float events; 1-D and batched; forward and transposed."""
    rng = np.random.default_rng(hash((shape, homogeneous, precision)) % 2**32)
    n_pre, n_post = shape
    tol = 1e-12 if precision == 64 else 2e-5
    with brainx.environ.context(precision=precision):
        for layer, dense in _layers(rng, n_pre, n_post, homogeneous):
            for kind, batch, transpose in itertools.product(
                    ["empty", "all", "sparse", "float"], [0, 3], [False, True]):
                events = _events(rng, kind, n_post if transpose else n_pre, batch)
                got = np.asarray(layer(events, transpose=transpose))
                expected = events.astype(np.float64) @ (dense.T if transpose else dense)
                assert got.dtype == brainx.environ.dftype()
                np.testing.assert_allclose(got, expected, rtol=tol, atol=tol * 10,
                                           err_msg=f"{type(layer).__name__} {kind} "
                                                   f"batch={batch} transpose={transpose}")


@pytest.mark.parametrize("name", sorted(n for n in references() if n.startswith("event_")))
def test_every_registered_kernel_matches_its_reference(name):
    rng = np.random.default_rng(1)
    n_pre, n_post = 30, 20
    mat = rng.random((n_pre, n_post)) < 0.3
    sparse = scipy.sparse.csr_matrix(mat)
    pre_ids = np.repeat(np.arange(n_pre, dtype=np.int32), np.diff(sparse.indptr))
    checked = 0
    for backend_name in BACKENDS:
        backend = brainx.get_backend(backend_name)
        kernel = backend.kernels().get(name)
        if kernel is None:
            continue
        with brainx.use_backend(backend), brainx.environ.context(precision=64):
            for events, transpose, weight in itertools.product(
                    [rng.random(n_pre) < 0.2, rng.normal(size=(2, n_pre))], [False, True],
                    ["scalar", "array"]):
                if transpose:
                    events = events[..., :n_post]
                if name == "event_sparse_matvec":
                    w = 0.5 if weight == "scalar" else rng.normal(size=sparse.nnz)
                    args = (events, sparse.indptr, pre_ids, sparse.indices.astype(np.int32), w,
                            (n_pre, n_post), transpose)
                else:
                    w = 0.5 if weight == "scalar" else rng.normal(size=(n_pre, n_post))
                    args = (events, w, (n_pre, n_post), transpose)
                args = tuple(backend.asarray(a) if isinstance(a, np.ndarray) else a
                             for a in args)
                got = np.asarray(kernel(backend, *args))
                want = np.asarray(references()[name](backend, *args))
                np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13,
                                           err_msg=f"{backend_name} {name}")
                checked += 1
    if not checked:
        pytest.skip(f"no backend registers a kernel for {name}")


@pytest.mark.parametrize("homogeneous", [True, False])
def test_float64_results_are_identical_across_backends(homogeneous):
    names = both_backends()
    results = {}
    for name in names:
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            w = 0.37 if homogeneous else (lambda shape: np.random.default_rng(3).normal(
                size=shape))
            fixed = brainx.event.FixedProb(500, 300, 0.05, w, seed=2)
            spikes = np.random.default_rng(5).random((4, 500)) < 0.1
            floats = np.where(spikes, np.random.default_rng(6).normal(size=(4, 500)), 0.0)
            results[name] = [np.asarray(fixed(spikes)), np.asarray(fixed(floats)),
                             np.asarray(fixed(np.random.default_rng(7).random(300) < 0.5,
                                              transpose=True))]
    for a, b in zip(results[names[0]], results[names[1]], strict=True):
        np.testing.assert_array_equal(a, b)


def test_layers_run_inside_compiled_loops(backend):
    layer = brainx.event.FixedProb(200, 50, 0.1, 0.25, seed=1)
    g = brainx.State(bm.zeros(50))
    spikes = np.random.default_rng(0).random((20, 200)) < 0.05

    @brainx.compile.jit
    def run(all_spikes):
        def step(s):
            g.value = g.value * 0.9 + layer(s)
            return g.value
        return brainx.compile.for_loop(step, all_spikes)

    out = np.asarray(run(spikes))
    dense = _dense(layer._pre_ids, layer._post_ids, np.full(layer.num_synapses, 0.25),
                   (200, 50))
    expected, state = [], np.zeros(50)
    for s in spikes:
        state = state * 0.9 + s @ dense
        expected.append(state)
    np.testing.assert_allclose(out, np.array(expected), rtol=1e-5, atol=1e-6)


# ---- gradients (jax) --------------------------------------------------------

def _jax():
    if "jax" not in BACKENDS:
        pytest.skip("jax missing")
    import jax

    return jax


@pytest.mark.parametrize("grad_mode", ["vjp", "jvp"])
@pytest.mark.parametrize("kind", ["fixed", "csr", "linear"])
def test_jax_gradients_match_dense_and_finite_differences(grad_mode, kind):
    jax = _jax()
    import jax.numpy as jnp

    rng = np.random.default_rng(0)
    with brainx.use_backend("jax"), brainx.environ.context(precision=64):
        if kind == "fixed":
            layer = brainx.event.FixedProb(12, 8, 0.4, lambda s: rng.normal(size=s), seed=3,
                                           grad_mode=grad_mode)
        elif kind == "csr":
            m = scipy.sparse.random(12, 8, density=0.4, random_state=1, format="csr")
            layer = brainx.event.CSRLinear(12, 8, m.indptr, m.indices, m.data,
                                           grad_mode=grad_mode)
        else:
            layer = brainx.event.Linear(12, 8, rng.normal(size=(12, 8)), grad_mode=grad_mode)
        w0 = jnp.asarray(layer.weight.value)
        events = jnp.asarray(rng.normal(size=12))
        target = jnp.asarray(rng.normal(size=8))

        def loss(w, e):
            layer.weight.value = w
            return jnp.sum((layer(e) - target) ** 2)

        gw, ge = jax.grad(loss, argnums=(0, 1))(w0, events)
        layer.weight.value = w0
        if kind == "linear":
            dense_w = w0
        else:
            flat = np.asarray(w0).reshape(-1)
            dense_w = jnp.asarray(_dense(layer._pre_ids, layer._post_ids, flat, (12, 8)))

        def dense_loss(w, e):
            return jnp.sum((e @ w - target) ** 2)

        dw, de = jax.grad(dense_loss, argnums=(0, 1))(dense_w, events)
        np.testing.assert_allclose(ge, de, rtol=1e-10)
        if kind == "linear":
            np.testing.assert_allclose(gw, dw, rtol=1e-10)
        else:
            np.testing.assert_allclose(np.asarray(gw).reshape(-1),
                                       np.asarray(dw)[layer._pre_ids, layer._post_ids],
                                       rtol=1e-10, atol=1e-12)
        # central finite differences along a random direction
        direction = jnp.asarray(rng.normal(size=w0.shape))
        h = 1e-6
        numeric = (loss(w0 + h * direction, events) - loss(w0 - h * direction, events)) / (2 * h)
        layer.weight.value = w0
        np.testing.assert_allclose(float(jnp.vdot(gw, direction)), float(numeric), rtol=1e-6)


def test_jax_gradient_of_a_homogeneous_weight():
    jax = _jax()
    import jax.numpy as jnp

    with brainx.use_backend("jax"), brainx.environ.context(precision=64):
        layer = brainx.event.FixedProb(30, 10, 0.3, 0.5, seed=0)
        spikes = jnp.asarray(np.random.default_rng(1).random(30) < 0.3)

        def loss(w):
            layer.weight.value = w
            return jnp.sum(layer(spikes) ** 2)

        grad = jax.grad(loss)(jnp.asarray(0.5))
        counts = np.zeros(10)
        np.add.at(counts, layer._post_ids[np.asarray(spikes)[layer._pre_ids]], 1.0)
        assert np.isclose(float(grad), 2 * 0.5 * np.sum(counts ** 2))  # d/dw sum((w c)^2)


def test_jax_vmap_over_events():
    jax = _jax()
    import jax.numpy as jnp

    with brainx.use_backend("jax"):
        layer = brainx.event.FixedProb(40, 20, 0.2, 1.0, seed=0)
        batch = jnp.asarray(np.random.default_rng(0).random((5, 40)) < 0.3)
        mapped = jax.vmap(layer)(batch)
        np.testing.assert_allclose(np.asarray(mapped), np.asarray(layer(batch)))


# ---- synapse reductions -------------------------------------------------------

def test_syn2post_family_matches_numpy(backend):
    rng = np.random.default_rng(3)
    values = rng.normal(size=50).astype(np.float32)
    post_ids = rng.integers(0, 8, size=50)
    post_ids[post_ids == 5] = 4  # neuron 5 gets nothing
    sums = np.zeros(8, np.float32)
    np.add.at(sums, post_ids, values)
    counts = np.bincount(post_ids, minlength=8)
    np.testing.assert_allclose(np.asarray(bm.syn2post_sum(values, post_ids, 8)), sums,
                               rtol=1e-6)
    np.testing.assert_allclose(np.asarray(bm.segment_sum(values, post_ids, 8)), sums, rtol=1e-6)
    mean = np.divide(sums, counts, out=np.zeros(8, np.float32), where=counts > 0)
    np.testing.assert_allclose(np.asarray(bm.syn2post_mean(values, post_ids, 8)), mean,
                               rtol=1e-6)
    maxima = np.asarray(bm.syn2post_max(values, post_ids, 8))
    minima = np.asarray(bm.syn2post_min(values, post_ids, 8))
    for j in range(8):
        chosen = values[post_ids == j]
        assert maxima[j] == (chosen.max() if chosen.size else -np.inf)
        assert minima[j] == (chosen.min() if chosen.size else np.inf)
    pre_values = rng.normal(size=6).astype(np.float32)
    pre_ids = rng.integers(0, 6, size=10)
    np.testing.assert_array_equal(np.asarray(bm.pre2syn(pre_values, pre_ids)),
                                  pre_values[pre_ids])


def test_functional_forms_match_the_layers(backend):
    rng = np.random.default_rng(2)
    m = scipy.sparse.random(20, 15, density=0.3, random_state=2, format="csr")
    spikes = rng.random(20) < 0.3
    layer = brainx.event.CSRLinear(20, 15, m.indptr, m.indices, m.data.astype(np.float32))
    np.testing.assert_allclose(
        np.asarray(bm.event_csr_matvec(spikes, m.indptr, m.indices, m.data.astype(np.float32),
                                       (20, 15))),
        np.asarray(layer(spikes)), rtol=1e-6)
    idx = rng.integers(0, 15, size=(20, 3))
    dense = _dense(np.repeat(np.arange(20), 3), idx.reshape(-1), np.ones(60), (20, 15))
    np.testing.assert_allclose(np.asarray(bm.event_fixed_matvec(spikes, idx, 1.0, 15)),
                               spikes @ dense)
    w = rng.normal(size=(20, 15)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(bm.event_dense_matvec(spikes, w)), spikes @ w,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(bm.event_dense_matvec(spikes, 2.0, shape=(20, 15))),
                               np.full(15, 2.0 * spikes.sum()))


# ---- errors -----------------------------------------------------------------

@pytest.mark.parametrize("make,error,message", [
    (lambda: brainx.event.FixedProb(10, 5, 1.2, 1.0), ValueError, r"prob must be a number in"),
    (lambda: brainx.event.FixedProb(-10, 5, 0.2, 1.0), ValueError, "n_pre must be a positive"),
    (lambda: brainx.event.FixedProb(10, 5, 0.2, np.ones((10, 3))), ValueError,
     r"weight must be a scalar or have shape \(10, 1\)"),
    (lambda: brainx.event.FixedProb(10, 5, 0.2, 1.0, grad_mode="fd"), ValueError,
     "grad_mode must be 'vjp' or 'jvp'"),
    (lambda: brainx.event.Linear(3, 2, np.ones((2, 3))), ValueError, r"shape \(3, 2\)"),
    (lambda: brainx.event.CSRLinear(3, 2, [0, 2, 1, 2], [0, 1], 1.0), ValueError,
     "must not decrease"),
    (lambda: brainx.event.CSRLinear(2, 2, [0, 1, 2], [0, 5], 1.0), ValueError,
     r"indices must lie in \[0, n_post"),
    (lambda: brainx.event.CSRLinear(2, 2, [0, 1, 2], [0, 1], np.ones(3)), ValueError,
     r"shape \(2,\)"),
])
def test_invalid_layers_are_refused(backend, make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_invalid_events_are_refused(backend):
    layer = brainx.event.FixedProb(10, 5, 0.2, 1.0, seed=0)
    with pytest.raises(ValueError, match=r"events must have shape \(10,\) or \(batch, 10\)"):
        layer(np.zeros(9, dtype=bool))
    with pytest.raises(ValueError, match="boolean spikes or float events"):
        layer(np.zeros(10, dtype=np.int32))
    with pytest.raises(ValueError, match=r"shape \(5,\) or \(batch, 5\)"):
        layer(np.zeros(10, dtype=bool), transpose=True)
    with pytest.raises(ValueError, match="a scalar weight needs shape"):
        bm.event_dense_matvec(np.zeros(3, dtype=bool), 1.0)
    with pytest.raises(ValueError, match="the number of segments must be"):
        bm.syn2post_sum(np.ones(3), np.zeros(3, dtype=int), -1)


def test_jax_xla_path_matches_the_cpu_kernels(monkeypatch):
    """The XLA programs (GPU, TPU, or no numba) give what the CPU loop kernels give."""
    _jax()
    from brainx_jax.kernels import cpu_ffi, event

    rng = np.random.default_rng(4)
    m = scipy.sparse.random(60, 40, density=0.2, random_state=4, format="csr")
    spikes = rng.random((2, 60)) < 0.2
    values = rng.normal(size=(2, 40))
    dense_w = rng.normal(size=(60, 40))
    with brainx.use_backend("jax"), brainx.environ.context(precision=64):
        def run():
            csr = brainx.event.CSRLinear(60, 40, m.indptr, m.indices, m.data)
            fixed = brainx.event.FixedProb(60, 40, 0.1, 0.5, seed=1)
            linear = brainx.event.Linear(60, 40, dense_w)
            return [np.asarray(layer(x, transpose=t)) for layer in (csr, fixed, linear)
                    for x, t in ((spikes, False), (values, True))]

        with_kernels = run()
        monkeypatch.setattr(cpu_ffi, "usable", lambda: False)
        event._sparse_op.cache_clear()
        event._dense_op.cache_clear()
        try:
            xla_only = run()
        finally:
            event._sparse_op.cache_clear()
            event._dense_op.cache_clear()
    for a, b in zip(with_kernels, xla_only, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("transpose", [False, True])
def test_duplicate_connections_add_up(backend, transpose):
    """A pair listed twice carries both synapses, in both directions."""
    indptr, indices = np.array([0, 3, 3, 5]), np.array([1, 1, 2, 0, 0])
    weights = np.array([1.0, 2.0, 4.0, 8.0, 16.0], dtype=np.float32)
    layer = brainx.event.CSRLinear(3, 3, indptr, indices, weights)
    dense = _dense(np.array([0, 0, 0, 2, 2]), indices, weights, (3, 3))
    assert dense[0, 1] == 3.0 and dense[2, 0] == 24.0
    events = np.array([True, True, True])
    np.testing.assert_array_equal(np.asarray(layer(events, transpose=transpose)),
                                  events @ (dense.T if transpose else dense))
    fixed = brainx.event.FixedProb(50, 4, 1.0, 1.0, allow_multi_conn=True, seed=0)
    assert any(len(set(row)) < len(row) for row in fixed.indices.tolist())
    counts = np.bincount(fixed._post_ids, minlength=4).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(fixed(np.ones(50, dtype=bool))), counts)
