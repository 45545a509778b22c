"""brainx.random: the Threefry spec, each backend's bits, distributions and their errors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import both_backends
from scipy import stats

import brainx
from brainx.random import _threefry

# Random123's known-answer vectors for threefry2x32 with 20 rounds (kat_vectors in the
# Random123 distribution): (key, counter) -> output words.
RANDOM123_KAT = [
    ((0x00000000, 0x00000000), (0x00000000, 0x00000000), (0x6B200159, 0x99BA4EFE)),
    ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
    ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0)),
]


@pytest.mark.parametrize("key,counter,expected", RANDOM123_KAT)
def test_numpy_spec_matches_random123(key, counter, expected):
    y0, y1 = _threefry.threefry2x32(*key, *counter)
    assert (int(y0), int(y1)) == expected


@pytest.mark.parametrize("key,counter,expected", RANDOM123_KAT)
def test_backend_kernel_matches_random123(backend, key, counter, expected):
    y0, y1 = backend.threefry2x32(np.uint32(key[0]), np.uint32(key[1]),
                                  np.array([counter[0]], np.uint32),
                                  np.array([counter[1]], np.uint32))
    assert (int(np.asarray(y0)[0]), int(np.asarray(y1)[0])) == expected


def test_backend_kernel_matches_spec_on_random_words(backend):
    words = np.random.default_rng(7).integers(0, 2**32, size=(4, 5000), dtype=np.uint64)
    words = words.astype(np.uint32)
    got = backend.threefry2x32(*words)
    want = _threefry.threefry2x32(*words)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(np.asarray(g), w)


@pytest.mark.parametrize("seed,precision", [(0, 32), (42, 32), (2**40 + 5, 64)])
def test_spec_matches_jax_random_as_independent_reference(seed, precision):
    jax = pytest.importorskip("jax")
    # jax truncates seeds to 32 bits unless x64 is on, so large seeds need precision 64
    with brainx.use_backend("jax"), brainx.environ.context(precision=precision):
        key = jax.random.PRNGKey(seed)
        np.testing.assert_array_equal(_threefry.seed_key(seed), np.asarray(key))
        np.testing.assert_array_equal(_threefry.split(_threefry.seed_key(seed), 4),
                                      np.asarray(jax.random.split(key, 4)))
        np.testing.assert_array_equal(_threefry.bits32(_threefry.seed_key(seed), (3, 5)),
                                      np.asarray(jax.random.bits(key, (3, 5), dtype=np.uint32)))
        np.testing.assert_array_equal(_threefry.fold_in(_threefry.seed_key(seed), 9),
                                      np.asarray(jax.random.fold_in(key, 9)))


def test_rand_matches_jax_uniform_on_the_same_key():
    jax = pytest.importorskip("jax")
    with brainx.use_backend("numba" if "numba" in brainx.available_backends() else "jax"):
        rng = brainx.random.RandomState(11)
        key = rng.split_key()
        ours = np.asarray(rng.random((64,), key=key))
    np.testing.assert_array_equal(ours, np.asarray(jax.random.uniform(np.asarray(key), (64,))))


def _draw_all(seed: int, precision: int) -> dict:
    with brainx.environ.context(precision=precision):
        r = brainx.random.RandomState(seed)
        return {
            "bits": r.bits((50,)),
            "random": r.random((200,)),
            "uniform": r.uniform(-3.0, 7.0, (2000,)),
            "uniform_arrays": r.uniform(np.zeros(3), np.array([1.0, 2.0, 5.0]), (400, 3)),
            "randint": r.randint(-5, 1000, (2000,)),
            "bernoulli": r.bernoulli(0.3, (2000,)),
            "poisson_small": r.poisson(3.0, (2000,)),
            "poisson_large": r.poisson(60.0, (2000,)),
            "choice": r.choice(10, (50,)),
            "choice_p": r.choice(5, (50,), p=[0.1, 0.2, 0.3, 0.2, 0.2]),
            "choice_no_replace": r.choice(20, (10,), replace=False),
            "choice_p_no_replace": r.choice(6, (4,), replace=False,
                                            p=[0.1, 0.1, 0.2, 0.2, 0.2, 0.2]),
            "permutation": r.permutation(30),
            "normal": r.normal(1.0, 2.0, (2000,)),
            "exponential": r.exponential(2.0, (2000,)),
        }


# log, log1p, cos and sqrt differ between libm and XLA by an ULP or so of their own
# scale, so these are bounded in ULPs of max(|x|, scale), the distribution's scale.
ULP_BOUNDED = {"normal": (4, 2.0), "exponential": (4, 2.0)}


@pytest.mark.parametrize("precision", [32, pytest.param(64, marks=pytest.mark.slow)])
def test_draws_agree_across_backends(precision):
    names = both_backends()
    draws = {}
    for name in names:
        with brainx.use_backend(name):
            draws[name] = {k: np.asarray(v) for k, v in _draw_all(5, precision).items()}
    first, second = draws[names[0]], draws[names[1]]
    for key in first:
        assert first[key].dtype == second[key].dtype, key
        if key in ULP_BOUNDED:
            ulps, scale = ULP_BOUNDED[key]
            a, b = first[key], second[key]
            spacing = np.spacing(np.maximum(np.abs(a), scale).astype(a.dtype))
            assert np.max(np.abs(a - b) / spacing) <= ulps, key
        else:
            np.testing.assert_array_equal(first[key], second[key], err_msg=key)


def test_default_dtypes_follow_precision(backend):
    assert brainx.random.rand(3).dtype == np.float32
    assert brainx.random.randint(0, 5, 3).dtype == np.int32
    with brainx.environ.context(precision=64):
        assert brainx.random.rand(3).dtype == np.float64
        assert brainx.random.randint(0, 5, 3).dtype == np.int64


def test_precision_16_draws_are_float32_draws_rounded_to_bfloat16(backend):
    pytest.importorskip("ml_dtypes")
    import ml_dtypes

    reference = {
        "rand": np.asarray(brainx.random.rand(50, key=1)),
        "normal": np.asarray(brainx.random.normal(2.0, 3.0, (50,), key=2)),
        "gamma": np.asarray(brainx.random.gamma(2.0, size=(50,), key=3)),
        "init": np.asarray(brainx.init.Normal(0.0, 1.0, seed=4)((50,))),
    }
    with brainx.environ.context(precision=16):
        got = {
            "rand": brainx.random.rand(50, key=1),
            "normal": brainx.random.normal(2.0, 3.0, (50,), key=2),
            "gamma": brainx.random.gamma(2.0, size=(50,), key=3),
            "init": brainx.init.Normal(0.0, 1.0, seed=4)((50,)),
        }
        assert brainx.random.randint(0, 5, 3).dtype == np.int16
    for name, value in got.items():
        assert value.dtype == ml_dtypes.bfloat16, name
        # rounded once from the float32 draw (round to nearest even, as ml_dtypes casts)
        np.testing.assert_array_equal(np.asarray(value).astype(np.float32),
                                      reference[name].astype(ml_dtypes.bfloat16)
                                      .astype(np.float32), err_msg=name)


def test_same_seed_same_numbers_and_streams_advance(backend):
    brainx.random.seed(123)
    a = np.asarray(brainx.random.rand(5))
    b = np.asarray(brainx.random.rand(5))
    brainx.random.seed(123)
    np.testing.assert_array_equal(a, np.asarray(brainx.random.rand(5)))
    assert not np.array_equal(a, b)


def test_explicit_keys_do_not_advance_the_state(backend):
    rng = brainx.random.RandomState(0)
    before = np.asarray(rng.value).copy()
    key = brainx.random.RandomState(9).split_key()
    x = rng.normal(size=4, key=key)
    np.testing.assert_array_equal(np.asarray(rng.value), before)
    np.testing.assert_array_equal(np.asarray(x), np.asarray(rng.normal(size=4, key=key)))


def test_random_state_is_carried_through_compiled_loops():
    results = {}
    for name in both_backends():
        with brainx.use_backend(name):
            rng = brainx.random.RandomState(21)
            results[name] = np.asarray(
                brainx.compile.for_loop(lambda i, rng=rng: rng.randint(0, 100, 4),
                                        np.arange(20)))
    first, second = results.values()
    np.testing.assert_array_equal(first, second)
    assert len({tuple(row) for row in first}) == 20  # each step drew new numbers


N = 200_000


def test_distributions_have_the_right_statistics(backend):
    r = brainx.random.RandomState(2024)
    u = np.asarray(r.uniform(2.0, 5.0, N), dtype=np.float64)
    assert u.min() >= 2.0 and u.max() < 5.0
    assert stats.kstest(u, stats.uniform(2.0, 3.0).cdf).pvalue > 1e-3
    z = np.asarray(r.normal(1.0, 2.0, N), dtype=np.float64)
    assert stats.kstest(z, stats.norm(1.0, 2.0).cdf).pvalue > 1e-3
    e = np.asarray(r.exponential(2.0, N), dtype=np.float64)
    assert stats.kstest(e, stats.expon(scale=2.0).cdf).pvalue > 1e-3
    k = np.asarray(r.randint(0, 7, N))
    assert set(np.unique(k)) == set(range(7))
    assert stats.chisquare(np.bincount(k)).pvalue > 1e-3
    hits = np.asarray(r.bernoulli(0.3, N)).mean()
    assert abs(hits - 0.3) < 5 * np.sqrt(0.3 * 0.7 / N)


@pytest.mark.parametrize("lam", [0.0, 0.5, 4.0, 9.9, 10.0, 37.0, 800.0])
def test_poisson_mean_and_variance(backend, lam):
    x = np.asarray(brainx.random.RandomState(int(lam * 10)).poisson(lam, N), dtype=np.float64)
    if lam == 0:
        assert not x.any()
        return
    assert abs(x.mean() - lam) < 5 * np.sqrt(lam / N)
    assert abs(x.var() - lam) < 5 * lam * np.sqrt(2.0 / N) + 5 * np.sqrt(lam / N)
    if lam < 40:  # the whole distribution, not only two moments
        counts = np.bincount(x.astype(int))
        expected = stats.poisson(lam).pmf(np.arange(len(counts))) * N
        keep = expected > 20
        observed = counts[keep]
        assert stats.chisquare(observed, expected[keep] * observed.sum() / expected[keep].sum()
                               ).pvalue > 1e-4


def test_choice_and_permutation_are_what_they_say(backend):
    r = brainx.random.RandomState(4)
    perm = np.asarray(r.permutation(100))
    assert sorted(perm.tolist()) == list(range(100))
    rows = np.asarray(r.permutation(np.arange(12).reshape(6, 2)))
    assert sorted(rows[:, 0].tolist()) == list(range(0, 12, 2))
    assert np.all(rows[:, 1] == rows[:, 0] + 1)
    picks = np.asarray(r.choice(8, 8, replace=False))
    assert sorted(picks.tolist()) == list(range(8))
    weighted = np.asarray(r.choice(3, N, p=[0.2, 0.0, 0.8]))
    assert not np.any(weighted == 1)
    assert abs((weighted == 2).mean() - 0.8) < 0.01
    items = np.asarray(r.choice(np.array([10, 20, 30]), 5))
    assert set(items.tolist()) <= {10, 20, 30}


@pytest.mark.parametrize("call,message", [
    (lambda r: r.bernoulli(1.5), r"p must be in \[0.0, 1.0\]"),
    (lambda r: r.bernoulli(-0.1, 3), "p must be in"),
    (lambda r: r.poisson(-1.0), "lam must be in >= 0.0"),
    (lambda r: r.normal(0.0, -1.0), "scale must be in >= 0.0"),
    (lambda r: r.randint(5, 5), "low < high"),
    (lambda r: r.rand(-1), "negative dimensions"),
    (lambda r: r.uniform(dtype=np.int32), "dtype must be float32 or float64"),
    (lambda r: r.uniform(dtype=np.float64), "needs 64-bit precision"),
    (lambda r: r.choice(3, 5, replace=False), "without replacement"),
    (lambda r: r.choice(3, p=[0.5, 0.5]), r"p must have shape \(3,\)"),
    (lambda r: r.choice(0), "positive int or a non-empty array"),
    (lambda r: r.permutation(-2), "non-negative int"),
    (lambda r: r.split_key(0), "n must be a positive int"),
    (lambda r: r.rand(3, key=np.zeros(3, np.uint32)), r"uint32 array of shape \(2,\)"),
])
def test_bad_arguments_are_refused(backend, call, message):
    with pytest.raises(ValueError, match=message):
        call(brainx.random.RandomState(0))


def test_bad_seed_and_size_types_are_refused(backend):
    with pytest.raises(TypeError, match="seed must be an int"):
        brainx.random.seed(1.5)
    with pytest.raises(TypeError, match="size must be None, an int or a tuple"):
        brainx.random.random("big")
