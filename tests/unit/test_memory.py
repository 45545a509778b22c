"""Memory of large connectivity: builds keep their temporaries small, layers hold their
arrays once (a CPU device uses the host's in place), and the bytes per synapse are the
ones derived by hand."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import brainx
from brainx.conn._arrays import ALIGNMENT, aligned_empty
from brainx.conn._base import _rows_sorted


def _naive_rows_sorted(indptr, indices):
    return all(np.all(np.diff(indices[indptr[i]:indptr[i + 1]]) >= 0)
               for i in range(len(indptr) - 1))


@pytest.mark.parametrize("block", [1, 2, 3, 7, 1 << 20])
def test_rows_sorted_agrees_with_a_row_by_row_check_whatever_the_block(block):
    rng = np.random.default_rng(0)
    for trial in range(60):
        counts = rng.integers(0, 5, rng.integers(1, 12))
        indptr = np.concatenate([[0], np.cumsum(counts)])
        rows = [rng.integers(0, 9, c) for c in counts]
        if trial % 2:
            rows = [np.sort(r) for r in rows]
        indices = np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, np.int32)
        assert _rows_sorted(indptr, indices, block) == _naive_rows_sorted(indptr, indices)


def test_a_descent_inside_a_row_is_found_after_empty_rows():
    indptr = np.array([0, 2, 2, 2, 5])
    assert _rows_sorted(indptr, np.array([3, 4, 0, 1, 2]), block=2)  # row 3 starts at 2
    assert not _rows_sorted(indptr, np.array([3, 4, 0, 2, 1]), block=2)


def test_building_connectivity_keeps_its_temporaries_small():
    # 6.4 x 10^6 synapses: the int32 indices are 25.6 MB; NumPy's temporaries (drawn
    # words, 64-bit products, a sorted copy, a concatenation) used to be several times that
    brainx.conn.FixedProb(0.1, seed=0)(10, 10).require("csr")  # loads what draws the bits
    tracemalloc.start()
    try:
        conn = brainx.conn.FixedProb(80 / 100_000, allow_multi_conn=True, seed=3)(80_000,
                                                                                100_000)
        indices, indptr = conn.require("csr")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    held = indices.nbytes + indptr.nbytes  # and its int64 row pointers before they shrink
    assert len(indices) == 6_400_000 and indices.dtype == np.int32
    assert peak < held + 8e6, (peak, held)


def test_drawn_synapses_are_aligned_and_a_layers_arrays_are_read_only():
    layer = brainx.event.FixedProb(50, 40, 0.1, 1.0, seed=0)
    assert layer.indices.ctypes.data % ALIGNMENT == 0
    with pytest.raises(ValueError, match="read-only"):
        layer.indices[0, 0] = 1


def test_a_csr_layer_copies_the_users_arrays_and_leaves_them_writeable():
    indptr, indices = np.array([0, 1, 2]), np.array([1, 0], dtype=np.int32)
    layer = brainx.event.CSRLinear(2, 2, indptr, indices, 1.0)
    indices[0] = 0  # the user's array: the layer does not see the change
    assert indices.flags.writeable
    with brainx.use_backend("numba"):
        np.testing.assert_array_equal(layer(np.array([True, False])), [0.0, 1.0])


def test_aligned_empty_starts_on_the_boundary():
    for dtype in (np.int8, np.int32, np.float64):
        for n in (1, 5, 1000):
            array = aligned_empty(n, dtype)
            assert array.shape == (n,) and array.dtype == dtype
            assert array.ctypes.data % ALIGNMENT == 0


def test_a_jax_layer_on_the_cpu_holds_at_most_8_or_12_bytes_per_synapse():
    pytest.importorskip("jax")
    # by hand: 4 (postsynaptic index, which the CPU device uses in place) + 4 (float32
    # weight) + 8 x 1001 / 80000 (int64 row pointers on the host) + 4 x 1001 / 80000
    # (jax's int32 row pointers); no presynaptic index: the CPU kernel walks the rows
    spikes = np.ones(1000, dtype=bool)
    with brainx.use_backend("jax"), brainx.environ.context(precision=32):
        homogeneous = brainx.event.FixedProb(1000, 1000, 0.08, 0.5, seed=0)
        weighted = brainx.event.FixedProb(1000, 1000, 0.08, np.ones((1000, 80), np.float32),
                                          seed=0)
        outputs = [np.asarray(layer(spikes)) for layer in (homogeneous, weighted)]
    np.testing.assert_allclose(outputs[0], 0.5 * outputs[1])  # both ran on jax
    row_pointers = 12 * 1001 / 80000
    assert homogeneous.nbytes / 80000 == pytest.approx(4 + row_pointers + 4 / 80000)
    assert weighted.nbytes / 80000 == pytest.approx(8 + row_pointers)
    assert homogeneous.nbytes / 80000 <= 8 and weighted.nbytes / 80000 <= 12
