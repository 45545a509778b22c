"""The suite catches a wrong kernel: perturb one operator of one backend and the cases
that exercise it fail, with a report naming the operator, the State, step and index."""

from __future__ import annotations

import numpy as np
import pytest
from test_conformance import CASES, check

import brainx

pytestmark = pytest.mark.skipif(
    not {"jax", "numba"} <= set(brainx.available_backends()), reason="needs jax and numba")


def _perturbed(kernel):
    def wrong(*args, **kwargs):
        out = kernel(*args, **kwargs)
        return np.asarray(out) * (1.0 + 1e-6)  # a few hundred ULP in float64
    return wrong


@pytest.mark.parametrize("operator, case_name", [
    ("event_sparse_matvec", "event_sparse_matvec[FixedProb,spikes]"),
    ("event_dense_matvec", "event_dense_matvec[Linear,floats]"),
])
def test_a_perturbed_kernel_fails_the_cases_that_use_it(operator, case_name, monkeypatch):
    from brainx_numba import kernels

    original = kernels.KERNELS[operator]
    monkeypatch.setitem(kernels.KERNELS, operator, _perturbed(original))
    case = next(c for c in CASES if c.name == case_name)
    with pytest.raises(AssertionError) as failure:
        check(case, ("jax", "numba"), 64, strict=True)
    message = str(failure.value)
    assert operator in message
    assert "EXCEEDS BOUND" in message and "DIVERGE: State" in message
    assert "first exceeds the bound at step 0" in message
    # the unperturbed kernel passes the same case
    monkeypatch.setitem(kernels.KERNELS, operator, original)
    check(case, ("jax", "numba"), 64, strict=True)


def test_a_perturbed_array_function_fails_the_cases_that_use_it(monkeypatch):
    """A wrong ``exp`` in the numba backend's namespace: the MgBlock case names it."""
    numba_backend = brainx.get_backend("numba")
    original = numba_backend.numpy.exp
    monkeypatch.setattr(numba_backend.numpy, "exp", lambda x: original(x) * (1.0 + 1e-9))
    case = next(c for c in CASES if c.name == "MgBlock")
    with pytest.raises(AssertionError, match=r"conformance case 'MgBlock' \(nn.MgBlock \(exp on "
                                             r"device\)\), float64"):
        check(case, ("jax", "numba"), 64, strict=False)
