"""Regressions of P9's audit: subnormal floats, which XLA on the CPU flushes to zero while
NumPy keeps them. The difference is documented (docs/verification.md) and the
conformance reports count such values as equal and say so."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
import brainx.math as bm
from brainx.testing import compare_lockstep

_SMALLEST = {32: np.float32(1e-45), 64: 5e-324}


def _syn2post_max(backend_name, bits):
    with brainx.use_backend(backend_name), brainx.environ.context(precision=bits):
        value = bm.asarray(np.array([_SMALLEST[bits]]))
        return np.asarray(brainx.math.syn2post_max(value, bm.asarray(np.array([0])), 1))


@pytest.mark.parametrize("bits", [32, 64])
def test_subnormal_results_are_kept_on_numba_and_flushed_on_jax_as_documented(bits):
    assert _syn2post_max("numba", bits)[0] == _SMALLEST[bits]  # NumPy keeps it
    assert _syn2post_max("jax", bits)[0] == 0.0  # XLA:CPU flushes it to zero


class Halving(brainx.nn.Module):
    """x halves every step: from the smallest normal float32 it becomes subnormal."""

    def __init__(self):
        super().__init__()
        self.x = brainx.State(bm.asarray(np.full(2, np.finfo(np.float32).tiny, np.float32)))

    def update(self):
        self.x.value = self.x.value * np.float32(0.5)


def test_conformance_counts_flushed_subnormals_as_equal_and_says_so():
    report = compare_lockstep(Halving, steps=5, precision=32, ulps=0,
                              backends=("numba", "jax"))
    assert report.agree
    (state,) = report.states
    assert state.subnormal_flushes == 10  # two values in each of the 5 steps
    assert "differed only by a subnormal float that one backend flushed to zero" in \
        report.table()
    assert report.to_dict()["states"][0]["subnormal_flushes"] == 10


def test_a_normal_difference_next_to_a_flushed_subnormal_still_fails():
    from brainx.testing._report import StateDifference

    difference = StateDifference("x", "float32", (2,))
    difference.update(0, np.array([1e-45, 1.0], np.float32), np.array([0.0, 1.5], np.float32),
                      ulps=0, atol=0.0)
    assert difference.subnormal_flushes == 1 and difference.exceeded
    assert difference.first_index == (1,)
