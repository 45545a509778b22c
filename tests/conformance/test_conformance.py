"""Every built-in model and operator gives the same States on every pair of backends.

Each case is compared in lockstep (both backends step from identical States,
re-synchronised after every step) in float32 and float64, with the default
compilation and with strict numerics, against the tolerance written next to the
case in ``cases.py`` with its reason.
"""

from __future__ import annotations

import contextlib
import itertools
import warnings

import pytest
from cases import Case, all_cases

import brainx
from brainx.testing import assert_backends_agree, fake_random

BACKENDS = brainx.available_backends()
PAIRS = list(itertools.combinations(BACKENDS, 2))
CASES = all_cases()


def check(case: Case, pair: tuple[str, str], precision: int, strict: bool) -> None:
    ulps, atol = case.tolerance(precision, strict)
    reason = case.strict_reason if strict else case.reason
    randomness = fake_random() if case.fake_random else contextlib.nullcontext()
    try:
        with randomness, brainx.environ.context(dt=case.dt):
            assert_backends_agree(case.factory, steps=case.steps, inputs=case.inputs,
                                  precision=precision, ulps=ulps, atol=atol, backends=pair,
                                  strict_numerics=strict)
    except AssertionError as err:
        raise AssertionError(f"conformance case {case.name!r} ({case.covers}), float{precision}"
                             f"{', strict numerics' if strict else ''}: expected within {ulps} "
                             f"ULP or {atol:.3g} ({reason})\n{err}") from None


@pytest.mark.skipif(not PAIRS, reason="needs two installed backends")
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("precision", [32, 64])
@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_backends_agree(case, pair, precision, strict):
    check(case, pair, precision, strict)


def _compiled_lane_cases() -> list:
    """Every case; the random draws and the SDE integrators, whose programs take longest
    to compile (10-25 s each with a cold cache), run with -m slow."""
    heavy = ("random.", "sdeint")
    return [pytest.param(c, marks=pytest.mark.slow) if c.name.startswith(heavy) else c
            for c in CASES]


@pytest.mark.skipif("numba" not in BACKENDS, reason="needs the numba backend")
@pytest.mark.parametrize("precision", [32, pytest.param(64, marks=pytest.mark.slow)])
@pytest.mark.parametrize("case", _compiled_lane_cases(), ids=lambda c: c.name)
def test_numba_compiled_equals_numba_eager(case, precision):
    """The compiled lane of numba gives the eager lane's States bit for bit, and compiles
    every case (a fallback to eager would compare eager with itself)."""
    randomness = fake_random() if case.fake_random else contextlib.nullcontext()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", brainx.compile.EagerFallbackWarning)
        with randomness, brainx.environ.context(dt=case.dt):
            try:
                assert_backends_agree(case.factory, steps=case.steps, inputs=case.inputs,
                                      precision=precision, ulps=0, atol=0.0,
                                      backends=("numba:eager", "numba:compiled"))
            except AssertionError as err:
                raise AssertionError(f"conformance case {case.name!r} ({case.covers}), "
                                     f"float{precision}: numba compiled differs from numba "
                                     f"eager\n{err}") from None
    fallbacks = [str(w.message) for w in caught
                 if issubclass(w.category, brainx.compile.EagerFallbackWarning)]
    assert not fallbacks, f"case {case.name!r} was not compiled: {fallbacks[0]}"
