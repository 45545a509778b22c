"""Property-based checks (hypothesis) of brainx's event operators and connectors.

Each property compares brainx with an independent dense NumPy reference built in the test
from the same inputs, on every installed backend (the ``backend`` fixture):

1. ``event_csr_matvec``: boolean and float events (1-D and batched), a scalar or one weight
   per synapse, both directions, on random CSR structures (empty rows, repeated targets,
   unsorted rows, empty populations) equals ``events @ dense`` (``dense @ events`` with
   ``transpose=True``), ``dense[i, indices[k]] += w[k]`` for ``k`` in row ``i``;
2. ``event_fixed_matvec`` (an ``(n_pre, k)`` index matrix) and ``event_dense_matvec`` do too;
3. ``syn2post_sum/mean/max/min`` (and ``segment_sum``, ``pre2syn``) equal a loop in synapse
   order; as documented, an empty segment gives 0 (sum and mean), -inf (max) and +inf
   (min), or the integer minimum (max) and maximum (min) for integer values;
4. malformed structures (an index >= n_post, a negative index, float indices, an ``indptr``
   that does not start at 0, does not end at ``len(indices)``, decreases or has the wrong
   length, segment ids out of range) raise ValueError, never give a result;
5. connectors: every structure ``require`` returns describes the same synapses (the dense
   ``conn_mat`` equals the matrix rebuilt from the CSR arrays, from the COO pairs and from
   the CSC arrays); fixed fan-out and fan-in are exact; ``include_self=False`` leaves the
   diagonal empty; ``allow_multi_conn=False`` gives no repeated pair; an impossible request
   raises ValueError; the same seed gives the same synapses, whichever backend is active;
   the deterministic connectors equal hand-built matrices.

Values include subnormal floats. XLA:CPU (the jax backend) flushes subnormals to zero, in
inputs, intermediate results and outputs, which NumPy does not: a documented exception to
brainx's cross-backend identity. On jax the references are therefore built from flushed
inputs and compared after flushing. Float32 products are compared within a bound that
scales with the number of summed terms and their magnitudes (the kernels may accumulate in
float64 or in another order than the reference does); results that are exact whatever the
order (a scalar weight times a spike count, sums in the documented synapse order, max, min)
are compared bit for bit.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from conftest import both_backends
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import brainx
import brainx.math as bm

F32 = np.finfo(np.float32)
EPS = float(F32.eps)
TINY = float(F32.tiny)                    # the smallest normal float32
DENORM = float(F32.smallest_subnormal)    # the smallest subnormal float32
SUBNORMALS = [DENORM, -DENORM, 3 * DENORM, TINY / 2, -TINY / 4,
              float(np.nextafter(np.float32(TINY), np.float32(0)))]
INDEX_DTYPES = st.sampled_from([np.int32, np.int64])
MAX_N = 30          # population sizes up to 30 x 30
MAX_ROW = 6         # synapses per presynaptic neuron in random CSR structures
# more (or fewer) examples than the default run's: BRAINX_TEST_EXAMPLES=10 tries ten times more
SCALE = float(os.environ.get("BRAINX_TEST_EXAMPLES", "1"))


def _floats(bound: float) -> st.SearchStrategy[float]:
    """Finite float32 values in [-bound, bound], subnormals and zeros included."""
    return st.one_of(st.floats(-bound, bound, width=32, allow_subnormal=True),
                     st.sampled_from(SUBNORMALS), st.just(0.0))


WEIGHT_VALUES = _floats(100.0)
EVENT_VALUES = _floats(4.0)


def _flush(x):
    """``x`` with subnormal floats set to zero, as XLA:CPU computes (other dtypes unchanged)."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        return x
    return np.where(np.abs(x) < np.finfo(x.dtype).tiny, np.zeros_like(x), x)


def _on_jax(backend) -> bool:
    return backend.name == "jax"


def _settings(examples: int):
    """Hypothesis settings for ``examples`` examples (times BRAINX_TEST_EXAMPLES, default 1)."""
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _examples(backend, jax: int, numba: int):
    """Per backend: jax compiles every new shape (about 0.1 s each), numba does not."""
    return _settings(jax if _on_jax(backend) else numba)


# ---- strategies -------------------------------------------------------------------------

@st.composite
def csr_structures(draw, max_pre: int = MAX_N, max_post: int = MAX_N):
    """``(n_pre, n_post, indptr, indices)``: any valid CSR structure, rows unsorted."""
    n_pre = draw(st.integers(0, max_pre))
    n_post = draw(st.integers(0, max_post))
    counts = draw(st.lists(st.integers(0, MAX_ROW if n_post else 0), min_size=n_pre,
                           max_size=n_pre))
    indptr = np.zeros(n_pre + 1, dtype=draw(INDEX_DTYPES))
    indptr[1:] = np.cumsum(np.asarray(counts, dtype=np.int64))
    indices = draw(hnp.arrays(draw(INDEX_DTYPES), int(indptr[-1]),
                              elements=st.integers(0, max(n_post - 1, 0))))
    return n_pre, n_post, indptr, indices


@st.composite
def events(draw, n: int):
    """Boolean spikes or float events for ``n`` neurons, 1-D or with a batch axis."""
    kind = draw(st.sampled_from(["bool", "float"]))
    shape = draw(st.sampled_from([(n,), (2, n)]))
    if kind == "bool":
        return draw(hnp.arrays(np.bool_, shape))
    return draw(hnp.arrays(np.float32, shape, elements=EVENT_VALUES))


@st.composite
def weights(draw, shapes: list[tuple[int, ...]]):
    """A scalar (np.float32 or a Python float) or an array of one of ``shapes``."""
    kind = draw(st.sampled_from(["float32", "python"] + [f"array{i}" for i in range(len(shapes))]))
    if kind == "float32":
        return np.float32(draw(WEIGHT_VALUES))
    if kind == "python":
        return draw(WEIGHT_VALUES)
    return draw(hnp.arrays(np.float32, shapes[int(kind[5:])], elements=WEIGHT_VALUES))


# ---- references -------------------------------------------------------------------------

def _dense(shape: tuple[int, int], rows, cols, values) -> np.ndarray:
    """The float64 matrix of a synapse list: ``dense[rows[k], cols[k]] += values[k]``."""
    dense = np.zeros(shape)
    np.add.at(dense, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
              np.asarray(values, dtype=np.float64))
    return dense


def _assert_product(got, ev, shape, rows, cols, weight, transpose: bool, on_jax: bool):
    """``got`` is the event product of the synapses ``rows[k] -> cols[k]`` (weights ``weight``,
    a scalar or one per synapse) with ``ev``, within float32 rounding of the dense product."""
    got = np.asarray(got)
    weight = np.asarray(weight, dtype=np.float32)  # a Python float: a float32 value
    if on_jax:
        ev, weight = _flush(ev), _flush(weight)
    per_synapse = np.broadcast_to(np.asarray(weight, dtype=np.float64), (len(rows),))
    dense = _dense(shape, rows, cols, per_synapse)
    magnitude = _dense(shape, rows, cols, np.abs(per_synapse))  # no cancellation of repeats
    counts = _dense(shape, rows, cols, np.ones(len(rows)))
    if transpose:
        dense, magnitude, counts = dense.T, magnitude.T, counts.T
    e = ev.astype(np.float64)
    expected = e @ dense
    n_out = shape[0] if transpose else shape[1]
    assert got.shape == ev.shape[:-1] + (n_out,)
    assert got.dtype == np.float32
    if np.ndim(weight) == 0 and ev.dtype == np.bool_:
        # w * (spike count): one rounding, exact in any summation order
        exact = (e @ counts).astype(np.float32) * np.float32(weight)
        np.testing.assert_array_equal(_flush(got) if on_jax else got,
                                      _flush(exact) if on_jax else exact)
        return
    terms = counts.sum(axis=0) + 2      # per output: the sums' length, and two roundings
    floor = TINY if on_jax else DENORM  # underflow (or flush) error of one operation
    largest = 1.0 + float(np.max(np.abs(per_synapse), initial=0.0))
    bound = terms * (EPS * (np.abs(e) @ magnitude) + floor * largest)
    error = np.abs((_flush(got) if on_jax else got).astype(np.float64) - expected)
    worst = np.unravel_index(np.argmax(error - bound), error.shape) if error.size else None
    assert np.all(error <= bound), (f"at {worst}: got {got[worst]!r}, expected "
                                    f"{expected[worst]!r} within {bound[worst]!r}")


def _segments_reference(values, ids, num: int, on_jax: bool):
    """(sum, mean, max, min) per segment by a loop in synapse order, in the values' dtype;
    with ``on_jax`` every input and partial sum is flushed as XLA:CPU does."""
    values = _flush(values) if on_jax else np.asarray(values)
    dtype = values.dtype
    trailing = values.shape[1:]
    if dtype.kind == "f":
        low, high = -np.inf, np.inf
    else:
        low, high = np.iinfo(dtype).min, np.iinfo(dtype).max
    total = np.zeros((num,) + trailing, dtype)
    largest = np.full((num,) + trailing, low, dtype)
    smallest = np.full((num,) + trailing, high, dtype)
    count = np.zeros(num, dtype=np.int64)
    for k, j in enumerate(np.asarray(ids).tolist()):
        partial = total[j] + values[k]
        total[j] = _flush(partial) if on_jax else partial
        largest[j] = np.maximum(largest[j], values[k])
        smallest[j] = np.minimum(smallest[j], values[k])
        count[j] += 1
    mean = np.zeros_like(total)
    for j in range(num):
        if count[j]:
            mean[j] = total[j] / dtype.type(count[j]) if dtype.kind == "f" else 0
    return total, (_flush(mean) if on_jax else mean), largest, smallest


# ---- 1. and 2.: event products ----------------------------------------------------------

def test_event_csr_matvec_equals_the_dense_product(backend):
    on_jax = _on_jax(backend)

    @_examples(backend, jax=40, numba=150)
    @given(structure=csr_structures(), transpose=st.booleans(), data=st.data())
    def check(structure, transpose, data):
        n_pre, n_post, indptr, indices = structure
        ev = data.draw(events(n_post if transpose else n_pre), label="events")
        weight = data.draw(weights([(len(indices),)]), label="weight")
        got = bm.event_csr_matvec(ev, indptr, indices, weight, (n_pre, n_post), transpose)
        rows = np.repeat(np.arange(n_pre), np.diff(indptr))
        _assert_product(got, ev, (n_pre, n_post), rows, indices, weight, transpose, on_jax)

    check()


@st.composite
def fixed_structures(draw):
    """``(n_post, indices)``: ``indices[i]`` are the ``k`` targets of neuron ``i``."""
    n_pre = draw(st.integers(0, MAX_N))
    k = draw(st.integers(0, 5))
    n_post = draw(st.integers(1 if k else 0, MAX_N))
    indices = draw(hnp.arrays(draw(INDEX_DTYPES), (n_pre, k),
                              elements=st.integers(0, max(n_post - 1, 0))))
    return n_post, indices


def test_event_fixed_matvec_equals_the_dense_product(backend):
    on_jax = _on_jax(backend)

    @_examples(backend, jax=30, numba=120)
    @given(structure=fixed_structures(), transpose=st.booleans(), data=st.data())
    def check(structure, transpose, data):
        n_post, indices = structure
        n_pre, k = indices.shape
        ev = data.draw(events(n_post if transpose else n_pre), label="events")
        weight = data.draw(weights([(n_pre, k), (n_pre * k,)]), label="weight")
        got = bm.event_fixed_matvec(ev, indices, weight, n_post, transpose)
        rows = np.repeat(np.arange(n_pre), k)
        flat = weight if np.ndim(weight) == 0 else np.asarray(weight).reshape(-1)
        _assert_product(got, ev, (n_pre, n_post), rows, indices.reshape(-1), flat, transpose,
                        on_jax)

    check()


def test_event_dense_matvec_equals_the_dense_product(backend):
    on_jax = _on_jax(backend)

    @_examples(backend, jax=25, numba=100)
    @given(n_pre=st.integers(0, 20), n_post=st.integers(0, 20), transpose=st.booleans(),
           data=st.data())
    def check(n_pre, n_post, transpose, data):
        ev = data.draw(events(n_post if transpose else n_pre), label="events")
        weight = data.draw(weights([(n_pre, n_post)]), label="weight")
        got = bm.event_dense_matvec(ev, weight, transpose, shape=(n_pre, n_post))
        rows, cols = np.divmod(np.arange(n_pre * n_post), n_post) if n_post else ([], [])
        flat = weight if np.ndim(weight) == 0 else np.asarray(weight).reshape(-1)
        _assert_product(got, ev, (n_pre, n_post), rows, cols, flat, transpose, on_jax)

    check()


# ---- 3.: synapse-to-neuron reductions -----------------------------------------------------

@st.composite
def segment_cases(draw):
    """``(values, ids, num)``: float32 or int32 values, 1-D or (n, 2), with ids in [0, num)."""
    num = draw(st.integers(0, MAX_N))
    n = draw(st.integers(0, 40)) if num else 0
    dtype = draw(st.sampled_from([np.float32, np.int32]))
    elements = WEIGHT_VALUES if dtype == np.float32 else st.integers(-1000, 1000)
    shape = draw(st.sampled_from([(n,), (n, 2)]))
    values = draw(hnp.arrays(dtype, shape, elements=elements))
    ids = draw(hnp.arrays(draw(INDEX_DTYPES), n, elements=st.integers(0, max(num - 1, 0))))
    return values, ids, num


def test_syn2post_reductions_equal_a_loop_in_synapse_order(backend):
    on_jax = _on_jax(backend)

    @_examples(backend, jax=25, numba=150)
    @given(case=segment_cases())
    def check(case):
        values, ids, num = case
        total, mean, largest, smallest = _segments_reference(values, ids, num, on_jax)
        got_sum = np.asarray(bm.syn2post_sum(values, ids, num))
        got_max = np.asarray(bm.syn2post_max(values, ids, num))
        got_min = np.asarray(bm.syn2post_min(values, ids, num))
        for got, expected in ((got_sum, total), (got_max, largest), (got_min, smallest)):
            assert got.dtype == values.dtype and got.shape == expected.shape
            np.testing.assert_array_equal(_flush(got) if on_jax else got, expected)
        np.testing.assert_array_equal(np.asarray(bm.segment_sum(values, ids, num)), got_sum)
        if values.dtype.kind == "f":  # the mean of integers is not specified
            got_mean = np.asarray(bm.syn2post_mean(values, ids, num))
            assert got_mean.dtype == values.dtype
            np.testing.assert_array_equal(_flush(got_mean) if on_jax else got_mean, mean)

    check()


def test_syn2post_mean_with_a_trailing_axis_is_exact_on_jax():
    # XLA would divide by a broadcast count as a product with its reciprocal (3.0000002)
    if "jax" not in brainx.available_backends():
        pytest.skip("needs the jax backend")
    values = np.full((7, 2), 3.0, dtype=np.float32)
    with brainx.use_backend("jax"):
        got = np.asarray(bm.syn2post_mean(values, np.zeros(7, dtype=np.int32), 1))
    np.testing.assert_array_equal(got, np.full((1, 2), 3.0, dtype=np.float32))


def test_pre2syn_gathers_the_presynaptic_values(backend):
    on_jax = _on_jax(backend)

    @_examples(backend, jax=15, numba=60)
    @given(data=st.data(), n=st.integers(1, MAX_N))
    def check(data, n):
        pre_values = data.draw(hnp.arrays(np.float32, n, elements=WEIGHT_VALUES))
        pre_ids = data.draw(hnp.arrays(np.int32, st.integers(0, 40),
                                       elements=st.integers(0, n - 1)))
        got = np.asarray(bm.pre2syn(pre_values, pre_ids))
        expected = np.array([pre_values[i] for i in pre_ids.tolist()], dtype=np.float32)
        np.testing.assert_array_equal(_flush(got) if on_jax else got,
                                      _flush(expected) if on_jax else expected)

    check()


# ---- 4.: malformed structures ---------------------------------------------------------------

@st.composite
def broken_csr(draw):
    """``(n_pre, n_post, indptr, indices, what)``: a CSR structure with one defect."""
    n_pre, n_post, indptr, indices = draw(csr_structures())
    indptr, indices = indptr.copy(), indices.copy()
    defects = ["start", "end", "length"]
    if len(indices):
        defects += ["too_large", "negative", "float"]
    if n_pre >= 2:
        defects += ["decreasing"]
    what = draw(st.sampled_from(defects))
    if what in ("too_large", "negative"):
        k = draw(st.integers(0, len(indices) - 1))
        indices = indices.astype(np.int64)
        indices[k] = (n_post + draw(st.integers(0, 10**6)) if what == "too_large"
                      else -draw(st.integers(1, 10**6)))
    elif what == "float":
        indices = indices.astype(np.float32)
    elif what == "start":
        indptr[0] = draw(st.integers(1, 50))
    elif what == "end":
        indptr[-1] += draw(st.integers(-50, 50).filter(bool))
    elif what == "length":
        indptr = indptr[:-1] if draw(st.booleans()) else np.append(indptr, indptr[-1])
    else:  # decreasing between interior row starts, with the ends kept
        i = draw(st.integers(1, n_pre - 1))
        indptr[i] = indptr[i + 1] + draw(st.integers(1, 20))
    return n_pre, n_post, indptr, indices, what


def test_malformed_csr_structures_raise_value_error(backend):
    @_examples(backend, jax=40, numba=100)
    @given(case=broken_csr(), transpose=st.booleans(), per_synapse=st.booleans())
    def check(case, transpose, per_synapse):
        n_pre, n_post, indptr, indices, what = case
        ev = np.ones(n_post if transpose else n_pre, dtype=bool)
        weight = np.ones(len(indices), np.float32) if per_synapse else 1.0
        with pytest.raises(ValueError):
            bm.event_csr_matvec(ev, indptr, indices, weight, (n_pre, n_post), transpose)
        with pytest.raises(ValueError):
            brainx.conn.CSRConn(indptr, indices, pre=n_pre, post=n_post)
        if n_pre and n_post:
            with pytest.raises(ValueError):
                brainx.event.CSRLinear(n_pre, n_post, indptr, indices, 1.0)

    check()


@st.composite
def broken_targets(draw):
    """``(n_post, indices)`` of a fixed fan-out with one target out of range."""
    n_post, indices = draw(fixed_structures().filter(lambda s: s[1].size > 0))
    indices = indices.astype(np.int64)
    i = draw(st.integers(0, indices.shape[0] - 1))
    c = draw(st.integers(0, indices.shape[1] - 1))
    indices[i, c] = (n_post + draw(st.integers(0, 10**6)) if draw(st.booleans())
                     else -draw(st.integers(1, 10**6)))
    return n_post, indices


def test_out_of_range_fixed_targets_raise_value_error(backend):
    @_examples(backend, jax=20, numba=60)
    @given(case=broken_targets(), transpose=st.booleans())
    def check(case, transpose):
        n_post, indices = case
        ev = np.ones(n_post if transpose else indices.shape[0], dtype=bool)
        with pytest.raises(ValueError, match=r"indices must lie in \[0, n_post"):
            bm.event_fixed_matvec(ev, indices, 1.0, n_post, transpose)

    check()


@st.composite
def broken_segments(draw):
    """``(values, ids, num)`` with one segment id outside [0, num)."""
    values, ids, num = draw(segment_cases().filter(lambda c: len(c[1]) > 0))
    ids = ids.astype(np.int64)
    ids[draw(st.integers(0, len(ids) - 1))] = (num + draw(st.integers(0, 10**6))
                                               if draw(st.booleans())
                                               else -draw(st.integers(1, 10**6)))
    return values, ids, num


def test_out_of_range_segment_ids_raise_value_error(backend):
    @_examples(backend, jax=20, numba=60)
    @given(case=broken_segments())
    def check(case):
        values, ids, num = case
        for reduce in (bm.syn2post_sum, bm.syn2post_mean, bm.syn2post_max, bm.syn2post_min):
            with pytest.raises(ValueError, match="ids must lie in"):
                reduce(values, ids, num)

    check()


# ---- 5.: connectors ---------------------------------------------------------------------

def _count_matrix(n_pre: int, n_post: int, pre_ids, post_ids) -> np.ndarray:
    counts = np.zeros((n_pre, n_post), dtype=np.int64)
    np.add.at(counts, (np.asarray(pre_ids, np.int64), np.asarray(post_ids, np.int64)), 1)
    return counts


def _structures_agree(conn) -> np.ndarray:
    """Check that every structure describes the same synapses; return their count matrix."""
    n_pre, n_post = conn.pre_num, conn.post_num
    indices, indptr = conn.require("csr")
    assert indptr.shape == (n_pre + 1,) and indptr[0] == 0 and indptr[-1] == len(indices)
    assert np.all(np.diff(indptr) >= 0)
    assert np.all((indices >= 0) & (indices < n_post))
    rows = np.repeat(np.arange(n_pre), np.diff(indptr))
    for i in range(n_pre):  # rows sorted
        assert np.all(np.diff(indices[indptr[i]:indptr[i + 1]]) >= 0)
    counts = _count_matrix(n_pre, n_post, rows, indices)
    assert conn.num_synapses == len(indices)
    np.testing.assert_array_equal(conn.require("conn_mat"), counts > 0)
    pre_ids, post_ids = conn.require("coo")
    np.testing.assert_array_equal(pre_ids, rows)
    np.testing.assert_array_equal(post_ids, indices)
    np.testing.assert_array_equal(conn.require("pre_ids"), rows)
    np.testing.assert_array_equal(conn.require("post_ids"), indices)
    pre2post, pre2syn = conn.require("pre2post", "pre2syn")
    assert len(pre2post) == n_pre and len(pre2syn) == n_pre
    for i in range(n_pre):
        np.testing.assert_array_equal(pre2post[i], indices[indptr[i]:indptr[i + 1]])
        np.testing.assert_array_equal(pre2syn[i], np.arange(indptr[i], indptr[i + 1]))
    np.testing.assert_array_equal(conn.require("pre_slice"),
                                  np.stack([indptr[:-1], indptr[1:]], axis=1).reshape(n_pre, 2))
    # by postsynaptic neuron
    csc_pre, csc_indptr = conn.require("csc")
    column_counts = counts.sum(axis=0)
    np.testing.assert_array_equal(np.diff(csc_indptr), column_counts)
    csc_cols = np.repeat(np.arange(n_post), column_counts)
    np.testing.assert_array_equal(_count_matrix(n_pre, n_post, csc_pre, csc_cols), counts)
    post2pre, post2syn = conn.require("post2pre", "post2syn")
    assert len(post2pre) == n_post and len(post2syn) == n_post
    for j in range(n_post):
        np.testing.assert_array_equal(post2pre[j], csc_pre[csc_indptr[j]:csc_indptr[j + 1]])
        np.testing.assert_array_equal(post2syn[j], np.flatnonzero(indices == j))
    by_post_pre, by_post_post, post_slice = conn.require("pre_ids", "post_ids", "post_slice")
    np.testing.assert_array_equal(by_post_post, csc_cols)
    np.testing.assert_array_equal(by_post_pre, csc_pre)
    np.testing.assert_array_equal(post_slice, np.stack([csc_indptr[:-1], csc_indptr[1:]],
                                                       axis=1).reshape(n_post, 2))
    return counts


@st.composite
def random_connectors(draw):
    """``(make, description)``: a random connector (``make()`` builds a fresh one)."""
    kind = draw(st.sampled_from(["FixedProb", "FixedPostNum", "FixedPreNum", "FixedTotalNum"]))
    n_pre = draw(st.integers(0, MAX_N))
    n_post = n_pre if draw(st.booleans()) else draw(st.integers(0, MAX_N))
    multi, include_self = draw(st.booleans()), draw(st.booleans())
    seed = draw(st.integers(0, 2**64 - 1))
    if kind == "FixedProb":
        param = draw(st.floats(0.0, 1.0))
    elif kind == "FixedTotalNum":
        param = draw(st.integers(0, 2 * MAX_N))
    else:  # a count, or a fraction of the other population
        param = draw(st.one_of(st.integers(0, MAX_N), st.floats(0.0, 1.0)))
    cls = getattr(brainx.conn, kind)

    def make():
        return cls(param, allow_multi_conn=multi, include_self=include_self,
                   seed=seed)(n_pre, n_post)

    return make, dict(kind=kind, n_pre=n_pre, n_post=n_post, multi=multi,
                      include_self=include_self, param=param)


def _expected_counts(case: dict) -> tuple[str, int, int, bool]:
    """(what is fixed: 'total', 'fan_out' or 'fan_in'; its count; the number of neurons that
    draw it, 1 for 'total'; whether the request can be met)."""
    kind, n_pre, n_post, param = case["kind"], case["n_pre"], case["n_post"], case["param"]
    no_diagonal = not case["include_self"] and n_pre == n_post
    if kind == "FixedTotalNum":
        pairs = n_pre * n_post - (n_pre if no_diagonal else 0)
        possible = (param == 0 or pairs > 0) and (case["multi"] or param <= pairs)
        return "total", param, 1, possible
    fan_in = kind == "FixedPreNum"
    population, drawing = (n_pre, n_post) if fan_in else (n_post, n_pre)
    k = param if isinstance(param, int) else int(round(param * population))
    available = max(population - 1 if no_diagonal else population, 0)
    # an empty population draws nothing, so any request is met
    possible = drawing == 0 or ((case["multi"] or k <= available) and (available > 0 or k == 0))
    return ("fan_in" if fan_in else "fan_out"), k, drawing, possible


def test_random_connectors_are_consistent_and_as_requested():
    @_settings(150)
    @given(connector=random_connectors())
    def check(connector):
        make, case = connector
        what, k, drawing, possible = _expected_counts(case)
        conn = make()
        if not possible:
            with pytest.raises(ValueError):
                conn.require("csr")
            return
        counts = _structures_agree(conn)
        n_pre, n_post = case["n_pre"], case["n_post"]
        if what == "fan_out":
            np.testing.assert_array_equal(counts.sum(axis=1), np.full(n_pre, k))
        elif what == "fan_in":
            np.testing.assert_array_equal(counts.sum(axis=0), np.full(n_post, k))
        else:
            assert counts.sum() == k
        if case["kind"] == "FixedProb":
            # a fixed fan-out round(p * n_post) (see FixedProb's docstring), not independent
            # pairs: the total is within n_pre / 2 of p * n_pre * n_post, a far tighter bound
            # than a binomial one
            assert abs(counts.sum() - case["param"] * n_pre * n_post) <= n_pre / 2 + 1e-9
        if not case["include_self"] and n_pre == n_post:
            assert not np.any(np.diagonal(counts))
        if not case["multi"]:
            assert counts.max(initial=0) <= 1
        again = make().require("csr")
        for a, b in zip(conn.require("csr"), again, strict=True):
            np.testing.assert_array_equal(a, b)

    check()


@pytest.mark.parametrize("cls,num", [("FixedProb", 0.0), ("FixedPostNum", 0),
                                     ("FixedPreNum", 0)])
def test_no_synapses_requested_from_an_empty_population_gives_none(cls, num):
    conn = getattr(brainx.conn, cls)(num, include_self=False, seed=0)(0, 0)
    assert conn.num_synapses == 0


@pytest.mark.parametrize("cls", ["FixedPostNum", "FixedPreNum"])
def test_an_empty_population_is_treated_alike_with_or_without_self_connections(cls):
    outcomes = []
    for include_self in (True, False):
        conn = getattr(brainx.conn, cls)(1, allow_multi_conn=True, include_self=include_self,
                                         seed=0)(0, 0)
        try:
            outcomes.append(conn.num_synapses)
        except ValueError:
            outcomes.append("ValueError")
    assert outcomes[0] == outcomes[1], outcomes


def test_the_same_seed_gives_the_same_synapses_on_every_backend():
    names = both_backends()

    @_settings(40)
    @given(connector=random_connectors())
    def check(connector):
        make, case = connector
        if not _expected_counts(case)[3]:
            return
        built = []
        for name in names:
            with brainx.use_backend(name):
                built.append(make().require("csr"))
        for other in built[1:]:
            for a, b in zip(built[0], other, strict=True):
                assert a.dtype == b.dtype
                np.testing.assert_array_equal(a, b)

    check()


def _grid_reference(rows: int, cols: int, include_self: bool, periodic: bool) -> np.ndarray:
    n = rows * cols
    mat = np.zeros((n, n), dtype=np.int64)
    for r in range(rows):
        for c in range(cols):
            steps = [(-1, 0), (0, -1), (0, 1), (1, 0)] + ([(0, 0)] if include_self else [])
            for dr, dc in steps:
                rr, cc = r + dr, c + dc
                if periodic:
                    rr, cc = rr % rows, cc % cols
                elif not (0 <= rr < rows and 0 <= cc < cols):
                    continue
                if (rr, cc) == (r, c) and not include_self:
                    continue  # a wrap onto itself (a grid one cell wide)
                mat[r * cols + c, rr * cols + cc] = 1  # a neighbour reached twice: one synapse
    return mat


@st.composite
def regular_connectors(draw):
    """``(connector, expected count matrix)`` for the deterministic connectors."""
    kind = draw(st.sampled_from(["One2One", "All2All", "GridFour", "IJConn", "MatConn",
                                 "CSRConn"]))
    if kind == "One2One":
        n = draw(st.integers(0, MAX_N))
        return brainx.conn.One2One()(n, n), np.eye(n, dtype=np.int64)
    if kind == "All2All":
        n_pre = draw(st.integers(0, MAX_N))
        n_post = n_pre if draw(st.booleans()) else draw(st.integers(0, MAX_N))
        include_self = draw(st.booleans())
        expected = np.ones((n_pre, n_post), dtype=np.int64)
        if not include_self and n_pre == n_post:
            np.fill_diagonal(expected, 0)
        return brainx.conn.All2All(include_self=include_self)(n_pre, n_post), expected
    if kind == "GridFour":
        rows, cols = draw(st.integers(0, 6)), draw(st.integers(0, 6))
        include_self, periodic = draw(st.booleans()), draw(st.booleans())
        conn = brainx.conn.GridFour(include_self=include_self,
                                    periodic_boundary=periodic)((rows, cols))
        return conn, _grid_reference(rows, cols, include_self, periodic)
    if kind == "IJConn":
        n_pre, n_post = draw(st.integers(1, MAX_N)), draw(st.integers(1, MAX_N))
        n = draw(st.integers(0, 60))
        i = draw(hnp.arrays(np.int64, n, elements=st.integers(0, n_pre - 1)))
        j = draw(hnp.arrays(np.int32, n, elements=st.integers(0, n_post - 1)))
        conn = brainx.conn.IJConn(i, j, pre=n_pre, post=n_post)
        return conn, _count_matrix(n_pre, n_post, i, j)
    if kind == "MatConn":
        shape = (draw(st.integers(0, MAX_N)), draw(st.integers(0, MAX_N)))
        mat = draw(hnp.arrays(np.int8, shape, elements=st.integers(-2, 2)))
        return brainx.conn.MatConn(mat), (mat != 0).astype(np.int64)
    n_pre, n_post, indptr, indices = draw(csr_structures())
    rows = np.repeat(np.arange(n_pre), np.diff(indptr))
    conn = brainx.conn.CSRConn(indptr, indices, pre=n_pre, post=n_post)
    return conn, _count_matrix(n_pre, n_post, rows, indices)


def test_regular_connectors_equal_hand_built_matrices():
    @_settings(150)
    @given(connector=regular_connectors())
    def check(connector):
        conn, expected = connector
        np.testing.assert_array_equal(_structures_agree(conn), expected)

    check()
