"""brainx.conn: every connector and structure against dense NumPy / scipy references."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from scipy import stats

import brainx
from brainx.conn import _sampling


def _dense_counts(conn) -> np.ndarray:
    """Synapse counts per (pre, post) pair, rebuilt from the COO structure."""
    pre_ids, post_ids = conn.require("coo")
    counts = np.zeros((conn.pre_num, conn.post_num), dtype=np.int64)
    np.add.at(counts, (pre_ids, post_ids), 1)
    return counts


def _check_structures(conn) -> None:
    """Every structure agrees with the dense reference built from the COO pairs."""
    counts = _dense_counts(conn)
    mat = counts > 0
    np.testing.assert_array_equal(conn.require("conn_mat"), mat)
    pre_ids, post_ids = conn.require("pre_ids", "post_ids")
    assert np.all(np.diff(pre_ids) >= 0)  # ordered by presynaptic neuron
    pre2post, post2pre = conn.require("pre2post", "post2pre")
    pre2syn, post2syn = conn.require("pre2syn", "post2syn")
    for i in range(conn.pre_num):
        expected = np.repeat(np.arange(conn.post_num), counts[i])
        np.testing.assert_array_equal(pre2post[i], expected)
        np.testing.assert_array_equal(pre_ids[pre2syn[i]], i)
    for j in range(conn.post_num):
        np.testing.assert_array_equal(post2pre[j], np.repeat(np.arange(conn.pre_num),
                                                             counts[:, j]))
        np.testing.assert_array_equal(post_ids[post2syn[j]], j)
    pre_slice = conn.require("pre_slice")
    for i, (start, end) in enumerate(pre_slice):
        assert np.all(pre_ids[start:end] == i) and end - start == counts[i].sum()
    pre_by_post, post_by_post, post_slice = conn.require("pre_ids", "post_ids", "post_slice")
    for j, (start, end) in enumerate(post_slice):
        assert np.all(post_by_post[start:end] == j)
        np.testing.assert_array_equal(np.sort(pre_by_post[start:end]), post2pre[j])
    reference = scipy.sparse.coo_matrix(
        (np.ones(len(pre_ids)), (pre_ids, post_ids)), shape=mat.shape).tocsr()
    reference.sum_duplicates()
    indices, indptr = conn.require("csr")
    np.testing.assert_array_equal(np.diff(indptr), counts.sum(axis=1))
    np.testing.assert_array_equal(np.unique(indices[indptr[0]:indptr[1]]),
                                  reference.indices[reference.indptr[0]:reference.indptr[1]])
    csc_indices, csc_indptr = conn.require("csc")
    np.testing.assert_array_equal(np.diff(csc_indptr), counts.sum(axis=0))


def test_one2one_is_the_identity():
    conn = brainx.conn.One2One()(5, 5)
    np.testing.assert_array_equal(_dense_counts(conn), np.eye(5))
    _check_structures(conn)


@pytest.mark.parametrize("include_self", [True, False])
def test_all2all(include_self):
    conn = brainx.conn.All2All(include_self=include_self)(4, 4)
    np.testing.assert_array_equal(_dense_counts(conn), np.ones((4, 4)) - (not include_self) *
                                  np.eye(4))
    _check_structures(conn)
    rect = brainx.conn.All2All(include_self=False)(2, 3)  # different populations: all pairs
    assert rect.num_synapses == 6


@pytest.mark.parametrize("periodic", [False, True])
def test_grid_four_matches_a_hand_built_grid(periodic):
    rows, cols = 3, 4
    expected = np.zeros((rows * cols, rows * cols), dtype=int)
    for r in range(rows):
        for c in range(cols):
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                rr, cc = r + dr, c + dc
                if periodic:
                    rr, cc = rr % rows, cc % cols
                elif not (0 <= rr < rows and 0 <= cc < cols):
                    continue
                expected[r * cols + c, rr * cols + cc] = 1
    conn = brainx.conn.GridFour(periodic_boundary=periodic)((rows, cols))
    np.testing.assert_array_equal(_dense_counts(conn), expected)
    _check_structures(conn)


def test_mat_ij_and_csr_connectors_round_trip():
    rng = np.random.default_rng(0)
    mat = rng.random((7, 5)) < 0.3
    mat[3] = False  # an empty row
    np.testing.assert_array_equal(brainx.conn.MatConn(mat).require("conn_mat"), mat)
    i, j = np.nonzero(mat)
    shuffle = rng.permutation(len(i))
    ij = brainx.conn.IJConn(i[shuffle], j[shuffle], pre=7, post=5)
    np.testing.assert_array_equal(ij.require("conn_mat"), mat)
    sparse = scipy.sparse.csr_matrix(mat.astype(float))
    for conn in (brainx.conn.CSRConn(sparse.indptr, sparse.indices, post=5),
                 brainx.conn.CSRConn(matrix=sparse)):
        np.testing.assert_array_equal(conn.require("conn_mat"), mat)
        _check_structures(conn)


def test_duplicates_are_kept():
    conn = brainx.conn.IJConn([0, 0, 1], [2, 2, 0])
    assert conn.num_synapses == 3
    assert conn.require("pre2post")[0].tolist() == [2, 2]
    _check_structures(conn)


@pytest.mark.parametrize("n_pre,n_post,prob", [(30, 20, 0.25), (20, 30, 0.9), (25, 25, 0.0),
                                               (25, 25, 1.0)])
def test_fixed_prob_gives_the_fixed_fan_out(n_pre, n_post, prob):
    conn = brainx.conn.FixedProb(prob, seed=3)(n_pre, n_post)
    counts = _dense_counts(conn)
    assert np.all(counts.sum(axis=1) == round(prob * n_post))
    assert counts.max(initial=0) <= 1  # distinct targets
    _check_structures(conn)


def test_fixed_prob_without_self_connections():
    conn = brainx.conn.FixedProb(0.5, include_self=False, seed=1)(40, 40)
    counts = _dense_counts(conn)
    assert not np.any(np.diag(counts)) and np.all(counts.sum(axis=1) == 20)
    full = brainx.conn.FixedProb(1.0, include_self=False, seed=1)
    with pytest.raises(ValueError, match="cannot draw 10 distinct postsynaptic targets out of 9"):
        full(10, 10).require("csr")


def test_multi_connections_when_allowed():
    conn = brainx.conn.FixedPostNum(30, allow_multi_conn=True, seed=2)(10, 10)
    counts = _dense_counts(conn)
    assert np.all(counts.sum(axis=1) == 30) and counts.max() > 1
    _check_structures(conn)


def test_fixed_pre_num_gives_the_fixed_fan_in():
    conn = brainx.conn.FixedPreNum(4, seed=5)(12, 9)
    counts = _dense_counts(conn)
    assert np.all(counts.sum(axis=0) == 4) and counts.max() <= 1
    _check_structures(conn)
    ratio = brainx.conn.FixedPreNum(0.5, seed=5)(12, 9)
    assert np.all(_dense_counts(ratio).sum(axis=0) == 6)


def test_fixed_total_num():
    conn = brainx.conn.FixedTotalNum(40, seed=7)(8, 6)
    counts = _dense_counts(conn)
    assert counts.sum() == 40 and counts.max() == 1
    _check_structures(conn)
    no_self = brainx.conn.FixedTotalNum(20, include_self=False, seed=7)(5, 5)
    assert not np.any(np.diag(_dense_counts(no_self))) and no_self.num_synapses == 20


def test_random_targets_are_uniform():
    conn = brainx.conn.FixedProb(0.1, seed=11)(4000, 200)
    hits = np.bincount(conn.require("post_ids"), minlength=200)
    assert stats.chisquare(hits).pvalue > 1e-3
    sizes = np.bincount(conn.require("pre_ids"), minlength=4000)
    assert np.all(sizes == 20)


def test_same_seed_same_synapses_whatever_computes_the_bits(monkeypatch):
    first = brainx.conn.FixedProb(0.3, seed=42)(50, 60).require("csr")
    again = brainx.conn.FixedProb(0.3, seed=42)(50, 60).require("csr")
    from brainx.random import _threefry

    monkeypatch.setattr(_sampling, "_host_threefry", lambda: _threefry.threefry2x32)
    spec = brainx.conn.FixedProb(0.3, seed=42)(50, 60).require("csr")
    other_seed = brainx.conn.FixedProb(0.3, seed=43)(50, 60).require("csr")
    for a, b, c in zip(first, again, spec, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    assert not np.array_equal(first[0], other_seed[0])


def test_synapses_do_not_depend_on_the_active_backend():
    built = []
    for name in brainx.available_backends():
        with brainx.use_backend(name):
            built.append(brainx.conn.FixedPreNum(7, seed=9)(100, 80).require("coo"))
    for other in built[1:]:
        np.testing.assert_array_equal(built[0][0], other[0])
        np.testing.assert_array_equal(built[0][1], other[1])


# ---- errors ---------------------------------------------------------------

@pytest.mark.parametrize("make,message", [
    (lambda: brainx.conn.FixedProb(1.5), r"prob must be a number in \[0, 1\]"),
    (lambda: brainx.conn.FixedProb(-0.1), r"prob must be a number in \[0, 1\]"),
    (lambda: brainx.conn.FixedPostNum(-3), "num must be >= 0"),
    (lambda: brainx.conn.FixedPreNum(1.5), r"fraction must be in \[0, 1\]"),
    (lambda: brainx.conn.FixedTotalNum(-1), "non-negative int"),
    (lambda: brainx.conn.One2One()(3, 4), "equal size"),
    (lambda: brainx.conn.All2All()(-2, 3), "pre_size must be non-negative"),
    (lambda: brainx.conn.GridFour()(5), "2-D grid"),
    (lambda: brainx.conn.MatConn(np.ones(3)), "2-D matrix"),
    (lambda: brainx.conn.IJConn([0, 1], [0]), "same length"),
    (lambda: brainx.conn.IJConn([0, -1], [0, 0]), "negative"),
    (lambda: brainx.conn.IJConn([0, 5], [0, 0], pre=3), "out of range"),
    (lambda: brainx.conn.CSRConn([0, 2, 1, 2], [0, 1], post=3), "must not decrease"),
    (lambda: brainx.conn.CSRConn([0, 1, 2], [0, 7], post=3), r"indices must lie in \[0, n_post"),
    (lambda: brainx.conn.CSRConn([1, 1, 2], [0, 1], post=3), "must start at 0"),
    (lambda: brainx.conn.FixedTotalNum(10, seed=0)(3, 3).num_synapses, "9 pairs"),
    (lambda: brainx.conn.FixedProb(0.1).require("csr"), "no population sizes yet"),
    (lambda: brainx.conn.One2One()(2, 2).require("nonsense"), "unknown connectivity structure"),
])
def test_invalid_connectivity_is_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_types_are_refused():
    with pytest.raises(TypeError, match="seed must be an int"):
        brainx.conn.FixedProb(0.1, seed=1.5)
    with pytest.raises(TypeError, match="pre_size must be an int or a tuple"):
        brainx.conn.One2One()("ten", 10)


@pytest.mark.slow
def test_hundred_million_synapses_without_a_dense_matrix():
    """10^5 x 10^5 at p = 0.01: 10^8 synapses built in well under the 24 GiB machine."""
    import resource

    conn = brainx.conn.FixedProb(0.01, seed=0)(100_000, 100_000)
    indices, indptr = conn.require("csr")
    assert len(indices) == 10**8 and indices.dtype == np.int32
    assert np.all(np.diff(indptr) == 1000)
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    assert peak_gib < 8, f"peak memory {peak_gib:.1f} GiB"
