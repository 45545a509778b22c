"""Multi-threaded numba: each output is summed by one thread in the serial order, so
results on N threads are those of one thread, bit for bit (``environ.set(threads=N)``)."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
from brainx.event._partition import balanced_edges, even_edges, partition, rows_sorted

pytest.importorskip("numba")


@pytest.fixture(autouse=True)
def _threads_for_small_work(monkeypatch):
    """The sizes here are small: share even them among threads (brainx shares work from
    ``MIN_PARALLEL`` outputs up), so that the threaded kernels and loops run."""
    from brainx_numba import _threads

    monkeypatch.setattr(_threads, "MIN_PARALLEL", 1)


def _csr(rng, n_pre, n_post, sort_rows=True):
    counts = rng.integers(0, 12, n_pre)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    rows = [rng.integers(0, n_post, c) for c in counts]
    if sort_rows:
        rows = [np.sort(r) for r in rows]
    return indptr, np.concatenate(rows).astype(np.int32)


def _dense(indptr, indices, weights, n_pre, n_post):
    matrix = np.zeros((n_pre, n_post))
    for i in range(n_pre):
        for k in range(indptr[i], indptr[i + 1]):
            matrix[i, indices[k]] += weights if np.ndim(weights) == 0 else weights[k]
    return matrix


def test_balanced_edges_split_the_synapses_evenly():
    # posts 0..3 receive 3, 1, 1, 1 synapses: the first part stops after post 0 (3 of 6)
    assert balanced_edges(np.array([0, 0, 0, 1, 2, 3]), 4, 2).tolist() == [0, 1, 4]
    assert balanced_edges(np.array([], dtype=np.int32), 5, 3).tolist()[-1] == 5
    edges = balanced_edges(np.arange(100) % 10, 10, 3)
    assert edges[0] == 0 and edges[-1] == 10 and np.all(np.diff(edges) >= 0)


def test_even_edges_split_the_neurons_in_near_equal_ranges():
    assert even_edges(10, 3).tolist() == [0, 3, 6, 10]
    assert even_edges(2, 3).tolist() == [0, 0, 1, 2]  # more parts than neurons: empty ones


def test_row_bounds_select_each_parts_synapses():
    rng = np.random.default_rng(0)
    indptr, indices = _csr(rng, 40, 23)
    for parts in (1, 2, 3, 7):
        p = partition(indptr, indices, 23, parts)
        assert p.parts == parts and p.splits.shape == (parts - 1, 40)
        bounds = p.bounds(indptr)
        for i in range(40):
            assert bounds[i, 0] == indptr[i] and bounds[i, -1] == indptr[i + 1]
            for t in range(parts):
                seg = indices[bounds[i, t]:bounds[i, t + 1]]
                assert np.all((seg >= p.edges[t]) & (seg < p.edges[t + 1]))


def test_unsorted_rows_are_detected():
    indptr = np.array([0, 2, 4])
    assert rows_sorted(indptr, np.array([1, 3, 0, 2]))      # a fall at a row start
    assert not rows_sorted(indptr, np.array([3, 1, 0, 2]))  # a fall inside row 0
    assert partition(indptr, np.array([3, 1, 0, 2]), 4, 2).splits is None


@pytest.mark.parametrize("sort_rows", [True, False])
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("homogeneous", [False, True])
def test_sparse_products_on_threads_equal_one_thread(sort_rows, batched, homogeneous):
    rng = np.random.default_rng(1)
    n_pre, n_post = 300, 211
    indptr, indices = _csr(rng, n_pre, n_post, sort_rows)
    weight = 0.7 if homogeneous else rng.normal(size=len(indices))
    spikes = rng.random((3, n_pre) if batched else n_pre) < 0.3
    values = rng.normal(size=(3, n_post) if batched else n_post)
    matrix = _dense(indptr, indices, weight, n_pre, n_post)
    results = {}
    with brainx.use_backend("numba"):
        for threads in (1, 2, 3):
            with brainx.environ.context(threads=threads, precision=64):
                results[threads] = (
                    np.asarray(brainx.math.event_csr_matvec(spikes, indptr, indices, weight,
                                                            (n_pre, n_post))),
                    np.asarray(brainx.math.event_csr_matvec(values, indptr, indices, weight,
                                                            (n_pre, n_post), transpose=True)))
    np.testing.assert_allclose(results[1][0], spikes.astype(float) @ matrix, rtol=1e-12)
    np.testing.assert_allclose(results[1][1], values @ matrix.T, rtol=1e-12)
    for threads in (2, 3):
        for got, want in zip(results[threads], results[1], strict=True):
            assert got.tobytes() == want.tobytes()


def test_dense_products_on_threads_equal_one_thread():
    rng = np.random.default_rng(2)
    weights = rng.normal(size=(50, 37))
    spikes, values = rng.random(50) < 0.4, rng.normal(size=37)
    out = {}
    with brainx.use_backend("numba"):
        for threads in (1, 2):
            with brainx.environ.context(threads=threads, precision=64):
                out[threads] = (brainx.math.event_dense_matvec(spikes, weights),
                                brainx.math.event_dense_matvec(values, weights, transpose=True))
    np.testing.assert_allclose(out[1][0], spikes.astype(float) @ weights, rtol=1e-12)
    for got, want in zip(out[2], out[1], strict=True):
        assert got.tobytes() == want.tobytes()


def _coba_raster(threads: int) -> np.ndarray:
    from brainx.examples.coba import COBANetwork

    with brainx.use_backend("numba"), brainx.environ.context(threads=threads, precision=64,
                                                             jit=True):
        net = COBANetwork(4000, seed=3)
        runner = brainx.Runner(net, monitors={"spike": net.N.spike}, jit=True)
        return runner.run(30.0)["spike"]


def test_compiled_coba_on_two_threads_gives_the_raster_of_one():
    from brainx_numba.kernels import event

    one, two = _coba_raster(1), _coba_raster(2)
    assert one.sum() > 100  # the network fires
    assert np.array_equal(one, two)
    assert event._scatter_parts.signatures  # the threaded kernel ran


def test_a_layer_built_on_threads_is_split_among_them_at_once():
    from brainx.event import _partition

    def split_held(layer, threads):
        arrays = layer._cache.get("numba")  # what the layer gives the kernel, once made
        return arrays is not None and (id(arrays[0]), id(arrays[2]), 200, threads) \
            in _partition._CACHE

    with brainx.use_backend("numba"), brainx.environ.context(threads=2):
        two = brainx.event.FixedProb(300, 200, 0.1, 0.5, seed=2)
    with brainx.use_backend("numba"), brainx.environ.context(threads=1):
        one = brainx.event.FixedProb(300, 200, 0.1, 0.5, seed=3)
    assert split_held(two, 2) and not split_held(one, 2) and not split_held(one, 1)


def test_counts_in_a_threaded_loop_are_numpys(tmp_path, monkeypatch):
    """Each thread counts its own elements; the total is exact, as NumPy's."""
    monkeypatch.setenv("BRAINX_CACHE_DIR", str(tmp_path))
    x = np.random.default_rng(5).random(10001)

    @brainx.compile.jit
    def counts(values):
        above = values > 0.7
        return brainx.math.sum(above), brainx.math.sum((values * 100).astype(np.int32))

    with brainx.use_backend("numba"), brainx.environ.context(threads=2, precision=64,
                                                             jit=True):
        spikes, total = counts(x)
    assert int(spikes) == int(np.sum(x > 0.7)) and int(total) == int(np.sum(
        (x * 100).astype(np.int32)))
    (source,) = {path.read_text() for path in tmp_path.glob("p*_*.py")}
    assert "in prange(10001)" in source and source.count(" += ") == 2  # counted in it


@pytest.mark.parametrize("value", [0, -2, 1.5, True, "many"])
def test_bad_thread_counts_are_refused(value):
    with pytest.raises(ValueError, match="threads must be a positive int"):
        brainx.environ.set(threads=value)


def test_threads_default_to_every_core(monkeypatch):
    import os

    with brainx.environ.context(threads=None):
        expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else os.cpu_count()
        assert brainx.environ.get_threads() == expected
    assert brainx.environ._check_threads("all") is None
    assert brainx.environ._check_threads("3") == 3


@pytest.mark.parametrize("threads", [1, 2])
def test_a_numba_layer_holds_at_most_8_or_12_bytes_per_synapse(threads):
    # the bound of P11: 8 bytes with homogeneous weights, 12 with float32 weights; by hand:
    # 4 (postsynaptic index) + 4 (float32 weight) + 8 x 1001 / 80000 (int64 row pointers)
    # + 4 x 1001 / 80000 (numba's int32 row pointers) + the split: an int32 per row and inner
    # boundary, and the threads + 1 int64 edges
    spikes = np.ones(1000, dtype=bool)
    with brainx.use_backend("numba"), brainx.environ.context(threads=threads):
        homogeneous = brainx.event.FixedProb(1000, 1000, 0.08, 0.5, seed=0)
        weighted = brainx.event.FixedProb(1000, 1000, 0.08, np.ones((1000, 80), np.float32),
                                          seed=0)
        for layer in (homogeneous, weighted):
            layer(spikes)
    split = 0 if threads == 1 else (4 * 1000 * (threads - 1) + 8 * (threads + 1)) / 80000
    assert homogeneous.nbytes / 80000 == pytest.approx(4 + 12 * 1001 / 80000 + split, abs=1e-3)
    assert weighted.nbytes / 80000 == pytest.approx(8 + 12 * 1001 / 80000 + split, abs=1e-3)
    assert homogeneous.nbytes / 80000 <= 8 and weighted.nbytes / 80000 <= 12


def test_small_work_stays_on_one_thread(monkeypatch):
    from brainx_numba import _threads

    monkeypatch.setattr(_threads, "MIN_PARALLEL", 32768)
    assert not _threads.worth_threads(2, 16000) and not _threads.worth_threads(1, 10**6)
    assert _threads.worth_threads(2, 64000)
