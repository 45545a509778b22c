"""brainx.random's distributions beyond the core ones, and brainstate 0.1's key API.

Each distribution is checked against scipy.stats (Kolmogorov-Smirnov for continuous,
chi-square for discrete, 20000 draws, fixed keys), for shapes, dtypes and refused
parameters, and across backends: bit for bit where the algorithm uses only exact
operations, else within an ULP bound.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import both_backends
from scipy import stats

import brainx
from brainx.random import _threefry

N = 20000
P_MIN = 1e-3  # smallest p-value accepted (the keys are fixed, so this is deterministic)
R = brainx.random


def _numba_or_default():
    return "numba" if "numba" in brainx.available_backends() else brainx.available_backends()[0]


def _draw(fn, *args, **kwargs):
    with brainx.use_backend(_numba_or_default()):
        return np.asarray(fn(*args, **kwargs), dtype=np.float64)


def _chi2_pvalue(samples: np.ndarray, pmf, lo: int = 0) -> float:
    """Chi-square goodness of fit over the support from ``lo``, cells merged until each
    expects at least 20 draws; the upper tail is one cell."""
    samples = np.asarray(samples).astype(np.int64)
    n = samples.size
    top = int(samples.max())
    ks = np.arange(lo, top + 1)
    expected = n * pmf(ks)
    observed = np.bincount(samples - lo, minlength=top - lo + 1)[: top - lo + 1].astype(float)
    cells_e, cells_o, acc_e, acc_o = [], [], 0.0, 0.0
    for e, o in zip(expected, observed, strict=True):
        acc_e += e
        acc_o += o
        if acc_e >= 20:
            cells_e.append(acc_e)
            cells_o.append(acc_o)
            acc_e = acc_o = 0.0
    tail = n - sum(cells_e)  # everything the cells above did not expect
    cells_e[-1] += tail + 0.0
    cells_o[-1] += acc_o
    cells_e, cells_o = np.array(cells_e), np.array(cells_o)
    chi = np.sum((cells_o - cells_e) ** 2 / cells_e)
    return float(stats.chi2.sf(chi, len(cells_e) - 1))


# ---- continuous: Kolmogorov-Smirnov against scipy.stats ----------------------

CONTINUOUS = [
    ("gamma", lambda k: R.gamma(2.5, 1.5, N, key=k), stats.gamma(2.5, scale=1.5).cdf),
    ("gamma_small", lambda k: R.gamma(0.3, 2.0, N, key=k), stats.gamma(0.3, scale=2.0).cdf),
    ("standard_gamma", lambda k: R.standard_gamma(1.0, N, key=k), stats.gamma(1.0).cdf),
    ("loggamma", lambda k: R.loggamma(0.05, N, key=k), stats.loggamma(0.05).cdf),
    ("beta", lambda k: R.beta(2.0, 5.0, N, key=k), stats.beta(2.0, 5.0).cdf),
    ("beta_small", lambda k: R.beta(0.2, 0.7, N, key=k), stats.beta(0.2, 0.7).cdf),
    ("chisquare", lambda k: R.chisquare(3.5, N, key=k), stats.chi2(3.5).cdf),
    ("noncentral_chisquare", lambda k: R.noncentral_chisquare(4.0, 2.5, N, key=k),
     stats.ncx2(4.0, 2.5).cdf),
    ("noncentral_chisquare_df_below_1", lambda k: R.noncentral_chisquare(0.6, 1.5, N, key=k),
     stats.ncx2(0.6, 1.5).cdf),
    ("standard_t", lambda k: R.standard_t(3.0, N, key=k), stats.t(3.0).cdf),
    ("t", lambda k: R.t(0.8, N, key=k), stats.t(0.8).cdf),
    ("f", lambda k: R.f(4.0, 9.0, N, key=k), stats.f(4.0, 9.0).cdf),
    ("noncentral_f", lambda k: R.noncentral_f(3.0, 8.0, 2.0, N, key=k),
     stats.ncf(3.0, 8.0, 2.0).cdf),
    ("laplace", lambda k: R.laplace(1.0, 2.0, N, key=k), stats.laplace(1.0, 2.0).cdf),
    ("logistic", lambda k: R.logistic(-1.0, 0.5, N, key=k), stats.logistic(-1.0, 0.5).cdf),
    ("gumbel", lambda k: R.gumbel(0.5, 2.0, N, key=k), stats.gumbel_r(0.5, 2.0).cdf),
    ("lognormal", lambda k: R.lognormal(0.3, 0.8, N, key=k),
     stats.lognorm(0.8, scale=np.exp(0.3)).cdf),
    ("standard_cauchy", lambda k: R.standard_cauchy(N, key=k), stats.cauchy().cdf),
    ("rayleigh", lambda k: R.rayleigh(2.0, N, key=k), stats.rayleigh(scale=2.0).cdf),
    ("maxwell", lambda k: R.maxwell(N, key=k), stats.maxwell().cdf),
    ("weibull", lambda k: R.weibull(1.7, N, key=k), stats.weibull_min(1.7).cdf),
    ("weibull_min", lambda k: R.weibull_min(0.8, 3.0, N, key=k),
     stats.weibull_min(0.8, scale=3.0).cdf),
    ("pareto", lambda k: R.pareto(2.5, N, key=k), stats.lomax(2.5).cdf),
    ("power", lambda k: R.power(0.6, N, key=k), stats.powerlaw(0.6).cdf),
    ("triangular", lambda k: R.triangular(-1.0, 0.5, 3.0, N, key=k),
     stats.triang(0.375, loc=-1.0, scale=4.0).cdf),
    ("wald", lambda k: R.wald(1.5, 0.7, N, key=k), stats.invgauss(1.5 / 0.7, scale=0.7).cdf),
    ("vonmises", lambda k: R.vonmises(0.0, 2.0, N, key=k), stats.vonmises(2.0).cdf),
    ("vonmises_concentrated", lambda k: R.vonmises(0.0, 400.0, N, key=k),
     stats.vonmises(400.0).cdf),
    ("vonmises_flat", lambda k: R.vonmises(0.0, 1e-3, N, key=k), stats.vonmises(1e-3).cdf),
    ("vonmises_very_concentrated", lambda k: R.vonmises(0.0, 1e5, N, key=k),
     stats.vonmises(1e5).cdf),
    ("truncated_normal", lambda k: R.truncated_normal(-1.0, 2.0, N, key=k),
     stats.truncnorm(-1.0, 2.0).cdf),
    ("truncated_normal_wide", lambda k: R.truncated_normal(-0.3, np.inf, N, 1.0, 2.0, key=k),
     stats.truncnorm((-0.3 - 1.0) / 2.0, np.inf, 1.0, 2.0).cdf),
    ("truncated_normal_narrow", lambda k: R.truncated_normal(-0.2, 0.4, N, key=k),
     stats.truncnorm(-0.2, 0.4).cdf),
    ("truncated_normal_tail", lambda k: R.truncated_normal(4.0, np.inf, N, key=k),
     stats.truncnorm(4.0, np.inf).cdf),
    ("truncated_normal_far_window", lambda k: R.truncated_normal(-9.0, -8.5, N, key=k),
     stats.truncnorm(-9.0, -8.5).cdf),
    ("truncated_normal_tail_window", lambda k: R.truncated_normal(2.0, 4.0, N, key=k),
     stats.truncnorm(2.0, 4.0).cdf),
]


@pytest.mark.parametrize("name,draw,cdf", CONTINUOUS, ids=[c[0] for c in CONTINUOUS])
def test_continuous_distribution_matches_scipy(name, draw, cdf):
    with brainx.environ.context(precision=64):
        samples = _draw(draw, 11)
    assert samples.shape == (N,) and np.all(np.isfinite(samples))
    assert stats.kstest(samples, cdf).pvalue > P_MIN


def test_precision_32_draws_match_scipy_too():
    for name, draw, cdf in CONTINUOUS:
        samples = _draw(draw, 12)
        assert np.all(np.isfinite(samples)), name
        assert stats.kstest(samples, cdf).pvalue > P_MIN, name


def test_vonmises_wraps_to_minus_pi_pi_around_mu():
    x = _draw(R.vonmises, 3.0, 5.0, N, key=4)
    assert x.min() >= -np.pi and x.max() < np.pi
    centred = np.mod(x - 3.0 + np.pi, 2 * np.pi) - np.pi
    assert stats.kstest(centred, stats.vonmises(5.0).cdf).pvalue > P_MIN


def test_truncated_normal_stays_in_its_bounds():
    x = _draw(R.truncated_normal, np.array([0.0, 5.0, -3.0]), np.array([0.1, 5.001, np.inf]),
              (4000, 3), key=5)
    assert (x[:, 0] >= 0).all() and (x[:, 0] <= 0.1).all()
    assert (x[:, 1] >= 5).all() and (x[:, 1] <= 5.001).all()
    assert (x[:, 2] >= -3).all()


# ---- discrete: chi-square against scipy.stats --------------------------------

DISCRETE = [
    ("binomial_inversion", lambda k: R.binomial(40, 0.2, N, key=k), stats.binom(40, 0.2).pmf, 0),
    ("binomial_btrs", lambda k: R.binomial(1000, 0.3, N, key=k), stats.binom(1000, 0.3).pmf, 0),
    ("binomial_flipped", lambda k: R.binomial(60, 0.93, N, key=k), stats.binom(60, 0.93).pmf,
     0),
    ("binomial_large_n", lambda k: R.binomial(200000, 0.6, N, key=k),
     stats.binom(200000, 0.6).pmf, 0),
    ("binomial_huge_n", lambda k: R.binomial(4 * 10**6, 0.25, N, key=k),
     stats.binom(4 * 10**6, 0.25).pmf, 0),
    ("poisson_large_mean", lambda k: R.poisson(1e6, N, key=k), stats.poisson(1e6).pmf, 0),
    ("geometric", lambda k: R.geometric(0.3, N, key=k), stats.geom(0.3).pmf, 1),
    ("negative_binomial", lambda k: R.negative_binomial(3.5, 0.4, N, key=k),
     stats.nbinom(3.5, 0.4).pmf, 0),
    ("hypergeometric", lambda k: R.hypergeometric(30, 70, 12, N, key=k),
     stats.hypergeom(100, 30, 12).pmf, 0),
    ("hypergeometric_complement", lambda k: R.hypergeometric(8, 12, 15, N, key=k),
     stats.hypergeom(20, 8, 15).pmf, 0),
    ("hypergeometric_hrua", lambda k: R.hypergeometric(600, 900, 400, N, key=k),
     stats.hypergeom(1500, 600, 400).pmf, 0),
    ("hypergeometric_hrua_huge", lambda k: R.hypergeometric(10**6, 3 * 10**6, 2 * 10**6 + 5, N,
                                                            key=k),
     stats.hypergeom(4 * 10**6, 10**6, 2 * 10**6 + 5).pmf, 0),
    ("zipf", lambda k: R.zipf(2.2, N, key=k), stats.zipf(2.2).pmf, 1),
    ("logseries", lambda k: R.logseries(0.8, N, key=k), stats.logser(0.8).pmf, 1),
    ("random_integers", lambda k: R.random_integers(2, 7, N, key=k), lambda x: np.full(
        x.shape, 1 / 6.0) * ((x >= 2) & (x <= 7)), 2),
]


@pytest.mark.parametrize("name,draw,pmf,lo", DISCRETE, ids=[d[0] for d in DISCRETE])
def test_discrete_distribution_matches_scipy(name, draw, pmf, lo):
    with brainx.environ.context(precision=64):
        samples = _draw(draw, 21)
    assert samples.min() >= lo
    assert _chi2_pvalue(samples, pmf, lo) > P_MIN


def test_precision_32_counts_match_scipy_too():
    for name, draw, pmf, lo in DISCRETE:
        assert _chi2_pvalue(_draw(draw, 22), pmf, lo) > P_MIN, name


@pytest.mark.parametrize("precision", [32, 64])
def test_large_counts_have_the_right_mean_and_variance(precision):
    """Log-densities of large counts must not lose their accuracy to cancellation in
    float32 (a 3% excess of variance is invisible to chi-square at these sizes)."""
    n = 100000
    cases = [(lambda: R.poisson(1e6, n, key=31), 1e6, 1e6),
             (lambda: R.binomial(4 * 10**6, 0.25, n, key=32), 1e6, 7.5e5),
             (lambda: R.hypergeometric(10**6, 3 * 10**6, 2 * 10**6, n, key=33), 5e5,
              stats.hypergeom(4 * 10**6, 10**6, 2 * 10**6).var())]
    with brainx.environ.context(precision=precision):
        for draw, mean, var in cases:
            x = _draw(draw)
            assert abs(x.mean() - mean) < 4 * np.sqrt(var / n), (mean, x.mean())
            assert abs(x.var() / var - 1) < 4 * np.sqrt(2 / n), (var, x.var())


def test_multinomial_marginals_and_totals():
    p = np.array([0.1, 0.25, 0.4, 0.25])
    x = _draw(R.multinomial, 20, p, N, key=6)
    assert x.shape == (N, 4) and (x.sum(axis=1) == 20).all()
    for j in range(4):
        assert _chi2_pvalue(x[:, j], stats.binom(20, p[j]).pmf) > P_MIN, j
    batched = _draw(R.multinomial, np.array([5, 50]), np.array([[0.5, 0.5], [0.9, 0.1]]),
                    key=7)
    assert batched.shape == (2, 2) and batched.sum(axis=1).tolist() == [5, 50]


def test_categorical_frequencies_follow_softmax():
    logits = np.array([[0.0, 1.0, 2.0], [3.0, 0.0, -1.0]])
    x = _draw(R.categorical, logits, size=(N, 2), key=8).astype(int)
    for row in range(2):
        p = np.exp(logits[row]) / np.exp(logits[row]).sum()
        counts = np.bincount(x[:, row], minlength=3)
        assert stats.chisquare(counts, N * p).pvalue > P_MIN
    along_0 = _draw(R.categorical, logits.T, axis=0, key=8)
    assert along_0.shape == (2,)


def test_dirichlet_marginals_are_beta():
    alpha = np.array([0.3, 1.0, 2.5])
    x = _draw(R.dirichlet, alpha, N, key=9)
    assert x.shape == (N, 3) and np.allclose(x.sum(axis=1), 1.0)
    for j in range(3):
        beta = stats.beta(alpha[j], alpha.sum() - alpha[j])
        assert stats.kstest(x[:, j], beta.cdf).pvalue > P_MIN, j
    tiny = _draw(R.dirichlet, [0.01, 0.01], 200, key=10)  # gammas underflow: log space
    assert np.all(np.isfinite(tiny)) and np.allclose(tiny.sum(axis=1), 1.0)


@pytest.mark.parametrize("method", ["cholesky", "svd", "eigh"])
def test_multivariate_normal_projections_are_normal(method):
    mean = np.array([1.0, -2.0, 0.5])
    a = np.array([[2.0, 0.0, 0.0], [0.6, 1.0, 0.0], [-0.4, 0.3, 0.5]])
    cov = a @ a.T
    x = _draw(R.multivariate_normal, mean, cov, N, method=method, key=11)
    assert x.shape == (N, 3)
    for w in (np.array([1.0, 0.0, 0.0]), np.array([0.3, -0.5, 0.8])):
        z = x @ w
        sd = np.sqrt(w @ cov @ w)
        assert stats.kstest(z, stats.norm(w @ mean, sd).cdf).pvalue > P_MIN
    assert np.allclose(np.cov(x.T), cov, atol=0.2)  # 5 standard errors of the variance 4


def test_orthogonal_matrices_are_haar():
    q = _draw(R.orthogonal, 3, N, key=12)
    assert q.shape == (N, 3, 3)
    assert np.allclose(q @ np.swapaxes(q, -1, -2), np.eye(3), atol=1e-5)
    # for Haar-distributed O(3) every entry is uniform on [-1, 1]
    assert stats.kstest(q[:, 0, 0], stats.uniform(-1, 2).cdf).pvalue > P_MIN
    assert stats.kstest(q[:, 2, 1], stats.uniform(-1, 2).cdf).pvalue > P_MIN


# ---- shapes, dtypes, broadcasting ---------------------------------------------

SHAPED = [  # (name, scalar params, array params broadcasting to (3,))
    ("gamma", (2.0, 1.0), (np.array([1.0, 2.0, 3.0]), 2.0)),
    ("beta", (2.0, 3.0), (np.array([1.0, 2.0, 3.0]), 2.0)),
    ("chisquare", (2.0,), (np.array([1.0, 2.0, 3.0]),)),
    ("standard_t", (2.0,), (np.array([1.0, 2.0, 3.0]),)),
    ("f", (2.0, 3.0), (np.array([1.0, 2.0, 3.0]), 5.0)),
    ("laplace", (0.0, 1.0), (np.array([0.0, 1.0, 2.0]), 1.0)),
    ("lognormal", (0.0, 1.0), (0.0, np.array([0.5, 1.0, 2.0]))),
    ("weibull", (1.5,), (np.array([0.5, 1.0, 2.0]),)),
    ("pareto", (1.5,), (np.array([0.5, 1.0, 2.0]),)),
    ("triangular", (0.0, 0.5, 1.0), (0.0, np.array([0.1, 0.5, 0.9]), 1.0)),
    ("wald", (1.0, 1.0), (np.array([0.5, 1.0, 2.0]), 1.0)),
    ("vonmises", (0.0, 1.0), (np.array([0.0, 1.0, 2.0]), 1.0)),
    ("truncated_normal", (-1.0, 1.0), (np.array([-1.0, 0.0, 1.0]), 2.0)),
    ("binomial", (10, 0.5), (np.array([5, 10, 20]), 0.5)),
    ("geometric", (0.5,), (np.array([0.1, 0.5, 0.9]),)),
    ("negative_binomial", (2.0, 0.5), (np.array([1.0, 2.0, 3.0]), 0.5)),
    ("hypergeometric", (5, 5, 3), (np.array([2, 5, 9]), 5, 3)),
    ("zipf", (2.0,), (np.array([1.5, 2.0, 3.0]),)),
    ("logseries", (0.5,), (np.array([0.1, 0.5, 0.9]),)),
]


@pytest.mark.parametrize("name,scalars,arrays", SHAPED, ids=[s[0] for s in SHAPED])
def test_shapes_broadcast_like_numpy(name, scalars, arrays):
    fn = getattr(R, name)
    with brainx.use_backend(_numba_or_default()):
        assert fn(*scalars, key=0).shape == ()
        assert fn(*scalars, size=5, key=0).shape == (5,)
        assert fn(*arrays, key=0).shape == (3,)
        assert fn(*arrays, size=(4, 3), key=0).shape == (4, 3)
        with pytest.raises(ValueError, match="do not broadcast to size"):
            fn(*arrays, size=(4,), key=0)
        integer = name in {"binomial", "geometric", "negative_binomial", "hypergeometric",
                           "zipf", "logseries"}
        assert fn(*scalars, size=2, key=0).dtype == (np.int32 if integer else np.float32)
        with brainx.environ.context(precision=64):
            assert fn(*scalars, size=2, key=0).dtype == (np.int64 if integer else np.float64)
            if not integer:
                assert fn(*scalars, size=2, key=0, dtype=np.float32).dtype == np.float32


def test_vector_draws_have_the_event_axis_last():
    brainx.set_backend(_numba_or_default())
    assert R.dirichlet([1.0, 2.0], (4, 5), key=0).shape == (4, 5, 2)
    assert R.multinomial(3, [0.5, 0.5], 4, key=0).shape == (4, 2)
    assert R.multivariate_normal(np.zeros(2), np.eye(2), (3, 4), key=0).shape == (3, 4, 2)
    assert R.orthogonal(2, (5,), key=0).shape == (5, 2, 2)
    assert R.categorical(np.zeros((2, 3)), key=0).shape == (2,)
    assert R.maxwell((2, 3), key=0).shape == (2, 3)


def test_aliases_and_like_functions():
    brainx.set_backend(_numba_or_default())
    a = np.asarray(R.random_sample(4, key=3))
    for alias in (R.ranf, R.sample, R.random):
        assert np.array_equal(np.asarray(alias(4, key=3)), a)
    np.testing.assert_array_equal(np.asarray(R.standard_normal(4, key=3)),
                                  np.asarray(R.normal(0.0, 1.0, 4, key=3)))
    np.testing.assert_array_equal(np.asarray(R.standard_exponential(4, key=3)),
                                  np.asarray(R.exponential(1.0, 4, key=3)))
    np.testing.assert_array_equal(np.asarray(R.t(3.0, 4, key=3)),
                                  np.asarray(R.standard_t(3.0, 4, key=3)))
    template = np.zeros((2, 3), np.float32)
    assert R.rand_like(template, key=1).shape == (2, 3)
    assert R.randn_like(template, key=1).dtype == np.float32
    ints = R.randint_like(np.array([[1, 4], [7, 2]], np.int32), key=1)
    assert ints.shape == (2, 2) and ints.dtype == np.int32 and int(ints.max()) < 7
    assert R.rand(2, dtype=np.float32, key=1).dtype == np.float32


def test_permutation_along_an_axis_and_independently(backend):
    x = np.arange(12).reshape(3, 4)
    cols = np.asarray(R.permutation(x, axis=1, key=4))
    assert sorted(cols[0].tolist()) == [0, 1, 2, 3]
    np.testing.assert_array_equal(cols, x[:, cols[0]])  # one column order for every row
    ind = np.asarray(R.permutation(x, axis=1, independent=True, key=4))
    assert (np.sort(ind, axis=1) == x).all()
    shuffled = np.asarray(R.shuffle(x, key=5))
    assert sorted(shuffled[:, 0].tolist()) == [0, 4, 8] and (np.sort(shuffled, 0) == x).all()
    with pytest.raises(ValueError, match="axis must be an int"):
        R.permutation(x, axis=2)


# ---- bad parameters -------------------------------------------------------------

BAD = [
    (lambda: R.gamma(-1.0), r"gamma: shape must be >= 0.0, got -1.0"),
    (lambda: R.gamma(1.0, -2.0), "gamma: scale must be >= 0.0"),
    (lambda: R.beta(0.0, 1.0), r"beta: a must be > 0.0, got 0.0"),
    (lambda: R.beta(1.0, [1.0, -1.0]), r"beta: b must be > 0.0, got \[-1.\]"),
    (lambda: R.chisquare(0.0), "chisquare: df must be > 0.0"),
    (lambda: R.standard_t(np.nan), "standard_t: df must be > 0.0, got nan"),
    (lambda: R.f(1.0, -1.0), "f: dfden must be > 0.0"),
    (lambda: R.noncentral_chisquare(2.0, -1.0), "noncentral_chisquare: nonc must be >= 0.0"),
    (lambda: R.laplace(0.0, -1.0), "laplace: scale must be >= 0.0"),
    (lambda: R.lognormal(0.0, -0.5), "lognormal: sigma must be >= 0.0"),
    (lambda: R.rayleigh(-1.0), "rayleigh: scale must be >= 0.0"),
    (lambda: R.weibull(-1.0), "weibull: a must be >= 0.0"),
    (lambda: R.weibull_min(1.0, 0.0), "weibull_min: scale must be > 0.0"),
    (lambda: R.pareto(0.0), "pareto: a must be > 0.0"),
    (lambda: R.power(-2.0), "power: a must be > 0.0"),
    (lambda: R.triangular(0.0, 2.0, 1.0), "left <= mode <= right"),
    (lambda: R.wald(1.0, 0.0), "wald: scale must be > 0.0"),
    (lambda: R.vonmises(0.0, -1.0), "vonmises: kappa must be >= 0.0"),
    (lambda: R.truncated_normal(1.0, 0.0), "needs lower < upper"),
    (lambda: R.truncated_normal(0.0, 1.0, scale=0.0), "truncated_normal: scale must be > 0.0"),
    (lambda: R.binomial(10, 1.5), r"binomial: p must be >= 0.0 and <= 1.0, got 1.5"),
    (lambda: R.binomial(-3, 0.5), "binomial: n must be >= 0.0 and integer-valued"),
    (lambda: R.binomial(2.5, 0.5), "integer-valued, got 2.5"),
    (lambda: R.geometric(0.0), "geometric: p must be > 0.0 and <= 1.0"),
    (lambda: R.negative_binomial(0.0, 0.5), "negative_binomial: n must be > 0.0"),
    (lambda: R.negative_binomial(1.0, 1.2), "negative_binomial: p must be > 0.0 and <= 1.0"),
    (lambda: R.hypergeometric(2, 3, 6), "nsample must be <= ngood \\+ nbad"),
    (lambda: R.hypergeometric(-1, 3, 1), "hypergeometric: ngood must be >= 0.0"),
    (lambda: R.multinomial(5, [0.7, 0.6, 0.1]), r"sum\(pvals\[..., :-1\]\) must be <= 1"),
    (lambda: R.multinomial(5, [-0.1, 1.1]), "multinomial: pvals must be >= 0.0"),
    (lambda: R.zipf(1.0), "zipf: a must be > 1.0"),
    (lambda: R.logseries(1.0), "logseries: p must be >= 0.0 and < 1.0"),
    (lambda: R.dirichlet([1.0, 0.0]), "dirichlet: alpha must be > 0.0"),
    (lambda: R.dirichlet(1.0), "alpha must have at least one axis"),
    (lambda: R.multivariate_normal([0.0, 0.0], np.eye(3)), r"cov must have shape \(..., 2, 2\)"),
    (lambda: R.multivariate_normal([0.0, 0.0], [[1.0, 2.0], [0.0, 1.0]]), "must be symmetric"),
    (lambda: R.multivariate_normal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]]),
     "positive semi-definite"),
    (lambda: R.multivariate_normal([0.0, 0.0], [[1.0, 1.0], [1.0, 1.0]]),
     "needs a positive definite cov"),
    (lambda: R.multivariate_normal([0.0], [[1.0]], method="qr"), "method must be one of"),
    (lambda: R.orthogonal(0), "orthogonal: n must be a positive int"),
    (lambda: R.categorical(np.zeros(3), axis=1), "categorical: axis must be an int"),
    (lambda: R.gamma(1.0, dtype=np.int32), "dtype must be float32 or float64"),
    (lambda: R.binomial(3, 0.5, dtype=np.float32), "dtype must be an integer dtype"),
    (lambda: R.randint_like(np.zeros((0,), np.int32)), "give high="),
]


@pytest.mark.parametrize("call,message", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_parameters_are_refused_before_the_key_advances(call, message):
    with brainx.use_backend(_numba_or_default()):
        R.seed(0)
        before = np.asarray(R.get_key()).tolist()
        with pytest.raises(ValueError, match=message):
            call()
        assert np.asarray(R.get_key()).tolist() == before


def test_valid_edge_parameters():
    with brainx.use_backend(_numba_or_default()):
        assert (np.asarray(R.gamma(0.0, size=4, key=1)) == 0).all()
        assert (np.asarray(R.weibull(0.0, size=4, key=1)) == 0).all()
        assert (np.asarray(R.binomial(0, 0.5, 4, key=1)) == 0).all()
        assert (np.asarray(R.binomial(7, 1.0, 4, key=1)) == 7).all()
        assert (np.asarray(R.binomial(7, 0.0, 4, key=1)) == 0).all()
        assert (np.asarray(R.geometric(1.0, 4, key=1)) == 1).all()
        assert (np.asarray(R.hypergeometric(5, 0, 3, 4, key=1)) == 3).all()
        assert (np.asarray(R.hypergeometric(5, 5, 0, 4, key=1)) == 0).all()
        assert (np.asarray(R.hypergeometric(0, 500, 300, 4, key=1)) == 0).all()  # HRUA lanes
        assert (np.asarray(R.hypergeometric(500, 0, 300, 4, key=1)) == 300).all()
        assert (np.asarray(R.negative_binomial(3, 1.0, 4, key=1)) == 0).all()
        assert (np.asarray(R.logseries(0.0, 4, key=1)) == 1).all()
        assert (np.asarray(R.noncentral_chisquare(2.0, 0.0, 4, key=1)) >= 0).all()


# ---- across backends ----------------------------------------------------------------

def _cross_draws() -> dict:
    """Every distribution once; the exact ones are computed from + - * /, comparisons,
    sqrt and integer arithmetic."""
    return {
        "standard_cauchy": lambda: R.standard_cauchy(2000, key=1),
        "triangular": lambda: R.triangular(-1.0, 0.2, 2.0, 2000, key=1),
        "hypergeometric": lambda: R.hypergeometric(40, 25, 30, 2000, key=1),
        "binomial_inversion": lambda: R.binomial(np.array([3, 30, 200]), np.array(
            [0.5, 0.2, 0.01]), (700, 3), key=1),
        "multinomial": lambda: R.multinomial(12, [0.2, 0.3, 0.5], 700, key=1),
        "random_integers": lambda: R.random_integers(-3, 3, 2000, key=1),
        "permutation_independent": lambda: R.permutation(np.arange(40).reshape(4, 10), 1, True,
                                                         key=1),
        # below: log, exp, cos, acos, pow or LAPACK inside
        "gamma": lambda: R.gamma(np.array([0.4, 1.0, 7.0]), 2.0, (700, 3), key=2),
        "beta": lambda: R.beta(0.5, 3.0, 2000, key=2),
        "noncentral_chisquare": lambda: R.noncentral_chisquare(np.array([0.5, 3.0]), 1.0,
                                                               (1000, 2), key=2),
        "standard_t": lambda: R.standard_t(4.0, 2000, key=2),
        "noncentral_f": lambda: R.noncentral_f(3.0, 8.0, 1.0, 2000, key=2),
        "laplace": lambda: R.laplace(0.0, 1.0, 2000, key=2),
        "logistic": lambda: R.logistic(0.0, 1.0, 2000, key=2),
        "gumbel": lambda: R.gumbel(0.0, 1.0, 2000, key=2),
        "lognormal": lambda: R.lognormal(0.0, 1.0, 2000, key=2),
        "rayleigh": lambda: R.rayleigh(1.0, 2000, key=2),
        "maxwell": lambda: R.maxwell(2000, key=2),
        "weibull_min": lambda: R.weibull_min(1.5, 2.0, 2000, key=2),
        "pareto": lambda: R.pareto(2.0, 2000, key=2),
        "power": lambda: R.power(2.0, 2000, key=2),
        "wald": lambda: R.wald(1.0, 2.0, 2000, key=2),
        "vonmises": lambda: R.vonmises(np.array([0.0, 3.0]), np.array([0.5, 30.0]), (1000, 2),
                                       key=2),
        "truncated_normal": lambda: R.truncated_normal(np.array([-1.0, 3.0, -0.2]), np.array(
            [2.0, np.inf, 0.2]), (700, 3), key=2),
        "binomial_btrs": lambda: R.binomial(500, 0.4, 2000, key=2),
        "hypergeometric_hrua": lambda: R.hypergeometric(np.array([300, 5000]), np.array(
            [500, 200]), np.array([250, 4000]), (1000, 2), key=2),
        "geometric": lambda: R.geometric(0.2, 2000, key=2),
        "negative_binomial": lambda: R.negative_binomial(2.0, 0.3, 2000, key=2),
        "zipf": lambda: R.zipf(2.0, 2000, key=2),
        "logseries": lambda: R.logseries(0.7, 2000, key=2),
        "categorical": lambda: R.categorical(np.array([0.0, 1.0, 2.0]), size=2000, key=2),
        "dirichlet": lambda: R.dirichlet([0.5, 1.0, 2.0], 700, key=2),
        "multivariate_normal": lambda: R.multivariate_normal([0.0, 1.0], [[1.0, 0.3], [0.3, 2.0]],
                                                             1000, key=2),
        "orthogonal": lambda: R.orthogonal(3, 50, key=2),
    }


#: Bit-identical by construction (see docs/random.md).
EXACT = {"standard_cauchy", "triangular", "hypergeometric", "binomial_inversion", "multinomial",
         "random_integers", "permutation_independent"}
#: Compared in the default run (compiling every draw for jax takes a while); all of them are
#: compared in the slow run.
QUICK = {32: EXACT | {"gamma", "truncated_normal", "binomial_btrs"},
         64: {"hypergeometric", "binomial_inversion", "gamma"}}
ULPS = 32  # of max(|x|, 1): a few ULP per transcendental function, amplified by a few steps
FLIPS = 2e-3  # share of elements allowed to take another branch of a rejection test


def _compare_across_backends(names: set, precision: int) -> None:
    backends = both_backends()
    results = {}
    for backend in backends:
        with brainx.use_backend(backend), brainx.environ.context(precision=precision):
            draws = _cross_draws()
            results[backend] = {name: np.asarray(draws[name]()) for name in sorted(names)}
    first, second = (results[b] for b in backends[:2])
    for name in sorted(names):
        a, b = first[name], second[name]
        assert a.dtype == b.dtype and a.shape == b.shape, name
        if name in EXACT:
            np.testing.assert_array_equal(a, b, err_msg=name)
        elif a.dtype.kind == "f":
            ulps = np.abs(a.astype(np.float64) - b) / np.spacing(
                np.maximum(np.abs(a), 1).astype(a.dtype))
            assert np.mean(ulps > ULPS) <= FLIPS, (name, float(np.max(ulps)))
        else:
            assert np.mean(a != b) <= FLIPS, (name, float(np.mean(a != b)))


@pytest.mark.parametrize("precision", [pytest.param(32, marks=pytest.mark.slow), 64])
def test_draws_agree_across_backends(precision):
    _compare_across_backends(QUICK[precision], precision)


@pytest.mark.slow
@pytest.mark.parametrize("precision", [32, 64])
def test_every_distribution_agrees_across_backends(precision):
    _compare_across_backends(set(_cross_draws()), precision)


def test_a_rejection_sampler_compiles_once_per_signature():
    jax = pytest.importorskip("jax")
    if "jax" not in brainx.available_backends():
        pytest.skip("needs the jax backend")
    import time

    with brainx.use_backend("jax"):
        start = time.perf_counter()
        np.asarray(R.gamma(2.0, 1.0, 97, key=0))  # compiles (a second or so)
        first = time.perf_counter() - start
        start = time.perf_counter()
        for seed in range(1, 6):
            np.asarray(R.gamma(2.0 + seed, 1.0, 97, key=seed))
        assert time.perf_counter() - start < first  # no new compilation: a few ms each
        traced = jax.jit(lambda a, k: R.gamma(a, 1.0, 97, key=k))(3.0, 3)
        np.testing.assert_allclose(np.asarray(traced), np.asarray(R.gamma(3.0, 1.0, 97, key=3)),
                                   rtol=1e-6)


# ---- the key API ---------------------------------------------------------------

def test_an_int_key_is_that_seed(backend):
    R.seed(0)
    before = np.asarray(R.get_key()).tolist()
    by_int = np.asarray(R.normal(size=5, key=7))
    by_key = np.asarray(R.normal(size=5, key=_threefry.seed_key(7)))
    by_array = np.asarray(R.normal(size=5, key=np.int64(7)))
    np.testing.assert_array_equal(by_int, by_key)
    np.testing.assert_array_equal(by_int, by_array)
    assert np.asarray(R.get_key()).tolist() == before  # an explicit key leaves DEFAULT alone
    rng = R.RandomState(123)
    np.testing.assert_array_equal(np.asarray(rng.gamma(2.0, size=3, key=7)),
                                  np.asarray(R.gamma(2.0, size=3, key=7)))
    with pytest.raises(TypeError, match="an int seed or a uint32 array"):
        R.rand(3, key=1.5)
    with pytest.raises(ValueError, match=r"uint32 array of shape \(2,\)"):
        R.rand(3, key=np.zeros(3, np.uint32))


def test_a_traced_int_key_is_that_seed():
    jax = pytest.importorskip("jax")
    if "jax" not in brainx.available_backends():
        pytest.skip("needs the jax backend")
    with brainx.use_backend("jax"):
        fn = jax.jit(lambda s: R.randint(0, 2**30, 4, key=s))
        for seed in (5, -5, 2**31 - 1):
            np.testing.assert_array_equal(np.asarray(fn(np.int32(seed))),
                                          np.asarray(R.randint(0, 2**30, 4, key=seed)))
        with pytest.raises(ValueError, match="jax.random.key_data"):
            R.rand(2, key=jax.random.key(0))  # a typed key: its data is the key
        np.testing.assert_array_equal(np.asarray(R.rand(2, key=jax.random.PRNGKey(4))),
                                      np.asarray(R.rand(2, key=4)))
        with brainx.environ.context(precision=64):
            big = 2**40 + 3
            traced = jax.jit(lambda s: R.bits(3, key=s))(np.int64(big))
            np.testing.assert_array_equal(np.asarray(traced),
                                          _threefry.bits32(_threefry.seed_key(big), (3,)))


def test_set_key_get_key_and_seed(backend):
    R.set_key(9)
    assert np.asarray(R.get_key()).tolist() == _threefry.seed_key(9).tolist()
    key = R.RandomState(4).split_key()
    R.set_key(key)
    assert np.asarray(R.get_key()).tolist() == np.asarray(key).tolist()
    R.seed(11)
    a = float(np.random.rand())
    np.random.seed(11)
    assert a == float(np.random.rand())  # seed() seeds NumPy's global generator too
    with pytest.raises(ValueError, match=r"uint32 array of shape \(2,\)"):
        R.set_key(np.zeros(4, np.uint32))


def test_split_key_backup_and_restore(backend):
    R.seed(0)
    keys = R.split_keys(3)
    assert keys.shape == (3, 2)
    saved = np.asarray(R.split_key(backup=True)).tolist()
    after = np.asarray(R.get_key()).tolist()
    R.rand(4)
    with pytest.raises(ValueError, match="already backed up"):
        R.split_key(backup=True)
    R.restore_key()
    assert np.asarray(R.get_key()).tolist() == after and saved != after
    with pytest.raises(ValueError, match="was not backed up"):
        R.restore_key()


def test_seed_context_restores_both_generators(backend):
    R.seed(1)
    np.random.seed(2)
    key = np.asarray(R.get_key()).tolist()
    numpy_next = np.random.RandomState(2).rand()
    with R.seed_context(42):
        inside = np.asarray(R.rand(3))
        np.random.rand(5)
    R.seed(42)
    np.testing.assert_array_equal(inside, np.asarray(R.rand(3)))
    R.set_key(np.asarray(key, np.uint32))
    with R.seed_context(42):
        pass
    assert np.asarray(R.get_key()).tolist() == key
    np.random.seed(2)
    with R.seed_context(7):
        np.random.rand(3)
    assert np.random.rand() == numpy_next


def test_default_rng_and_clone_rng(backend):
    assert R.default_rng() is R.DEFAULT
    own = R.default_rng(5)
    assert isinstance(own, R.RandomState) and own is not R.DEFAULT
    assert np.asarray(own.value).tolist() == _threefry.seed_key(5).tolist()
    clone = R.clone_rng()
    assert clone is not R.DEFAULT and np.asarray(clone.value).tolist() != np.asarray(
        R.DEFAULT.value).tolist()
    assert R.clone_rng(clone=False) is R.DEFAULT
    assert np.asarray(R.clone_rng(3).value).tolist() == _threefry.seed_key(3).tolist()


def test_set_key_inside_vmap_gives_each_element_its_generator(backend):
    """brainstate's scan-over-layers example: restore_rngs(vmap(f))(split_key(n)) with
    f calling set_key(key) and then drawing."""
    R.seed(3)

    @brainx.augment.restore_rngs
    @brainx.augment.vmap
    def draw(key):
        R.set_key(key)
        return R.normal(size=4), R.rand(2)

    keys = R.split_key(5)
    before = np.asarray(R.get_key()).tolist()
    normals, uniforms = (np.asarray(x) for x in draw(keys))
    assert normals.shape == (5, 4) and uniforms.shape == (5, 2)
    assert np.asarray(R.get_key()).tolist() == before
    for i in range(5):
        rng = R.RandomState(np.asarray(keys)[i])
        np.testing.assert_allclose(normals[i], np.asarray(rng.normal(size=4)), rtol=1e-6,
                                   atol=1e-6)
        np.testing.assert_array_equal(uniforms[i], np.asarray(rng.rand(2)))
    assert len({tuple(row) for row in uniforms.tolist()}) == 5
