"""Regressions of P9's audit: bad connectivity arrays and connector sizes.

Each test guards one case the audit found crashing (a segfault), writing outside an array,
wrapping silently or looping forever. They now raise a ValueError that names the argument,
what was expected and what was given.
"""

from __future__ import annotations

import numpy as np
import pytest

import brainx

SPIKES = np.array([True, True, False])
INDPTR = np.array([0, 2, 3, 4])


def _csr(indices, indptr=INDPTR, shape=(3, 2)):
    return brainx.math.event_csr_matvec(SPIKES, indptr, np.asarray(indices), 1.0, shape)


def test_csr_index_far_beyond_n_post_raises_instead_of_crashing(backend):
    with pytest.raises(ValueError, match=r"indices must lie in \[0, n_post = 2\), found 1000000"):
        _csr([0, 1, 10**6, 0])


def test_csr_indptr_ending_past_the_indices_raises(backend):
    with pytest.raises(ValueError, match=r"indptr must start at 0 and end at len\(indices\) = "
                                         r"4, got 0 and 9"):
        _csr([0, 1, 1, 0], indptr=np.array([0, 2, 3, 9]))


def test_csr_index_equal_to_n_post_raises_instead_of_writing_outside(backend):
    with pytest.raises(ValueError, match=r"indices must lie in \[0, n_post = 2\), found 2"):
        _csr([0, 2, 1, 0])


def test_csr_negative_index_raises_instead_of_wrapping(backend):
    with pytest.raises(ValueError, match=r"indices must lie in \[0, n_post = 2\), found -1"):
        _csr([0, -1, 1, 0])


def test_fixed_number_index_out_of_range_raises(backend):
    for bad in (3, -1):
        with pytest.raises(ValueError, match=rf"indices must lie in \[0, n_post = 3\), "
                                             rf"found {bad}"):
            brainx.math.event_fixed_matvec(np.array([True, True]),
                                           np.array([[0, bad], [2, 2]]), 1.0, 3)


def test_structure_is_validated_once_not_at_every_call(backend, monkeypatch):
    from brainx.event import _functional

    calls = []
    real = _functional.validate_csr
    monkeypatch.setattr(_functional, "validate_csr",
                        lambda *a: calls.append(1) or real(*a))
    indptr, indices = INDPTR.copy(), np.array([0, 1, 1, 0])
    first = brainx.math.event_csr_matvec(SPIKES, indptr, indices, 1.0, (3, 2))
    again = brainx.math.event_csr_matvec(SPIKES, indptr, indices, 1.0, (3, 2))
    assert len(calls) == 1 and np.array_equal(np.asarray(first), np.asarray(again))
    brainx.math.event_csr_matvec(SPIKES, indptr.copy(), indices, 1.0, (3, 2))
    assert len(calls) == 2  # another array: checked again


def test_fixed_total_num_without_an_admissible_pair_raises_instead_of_looping():
    conn = brainx.conn.FixedTotalNum(1, allow_multi_conn=True, include_self=False)(1, 1)
    with pytest.raises(ValueError, match=r"cannot place 1 synapses: a 1 x 1 connection without "
                                         r"self-connections has no pair"):
        conn.require("csr")


def test_fixed_total_num_from_an_empty_population_names_the_problem():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the divide-by-zero warning is gone too
        with pytest.raises(ValueError, match=r"cannot place 5 synapses: a 0 x 5 connection "
                                             r"has no pair"):
            brainx.conn.FixedTotalNum(5, allow_multi_conn=True)(0, 5).require("csr")


def test_periodic_grid_one_cell_wide_makes_no_self_connection():
    conn = brainx.conn.GridFour(include_self=False, periodic_boundary=True)((3, 1))
    mat = conn.require("conn_mat")
    assert not np.diagonal(mat).any()
    expected = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool)  # up and down only
    np.testing.assert_array_equal(mat.astype(bool), expected)
