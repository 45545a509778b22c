"""brainx.integrators: convergence orders measured against exact solutions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import both_backends

import brainx
import brainx.math as bm
from brainx.integrators import ODE_METHODS, odeint, sdeint

RK_METHODS = {m: o for m, o in ODE_METHODS.items() if not m.startswith("exp")}


def _observed_order(errors: list[float]) -> float:
    """Slope of log(error) against log(dt) for dt halving each time."""
    return float(np.mean(np.log2(np.array(errors[:-1]) / np.array(errors[1:]))))


def _integrate(integral, x0, steps, total, *params):
    dt = total / steps
    x = x0
    for i in range(steps):
        x = integral(x, i * dt, *params, dt=dt)
    return x


@pytest.mark.parametrize("method,order", sorted(RK_METHODS.items()))
def test_runge_kutta_orders_on_a_linear_ode(backend, method, order):
    lam = -0.7
    integral = odeint(lambda x, t: lam * x, method=method)
    with brainx.environ.context(precision=64):
        x0 = bm.asarray([1.0, -2.0])
        errors = [float(np.max(np.abs(np.asarray(_integrate(integral, x0, n, 2.0))
                                      - np.array([1.0, -2.0]) * math.exp(lam * 2.0))))
                  for n in (20, 40, 80)]
    assert abs(_observed_order(errors) - order) < 0.2, errors


@pytest.mark.parametrize("method", ["exp_euler", "exp_auto"])
def test_exponential_euler_is_exact_for_linear_equations(backend, method):
    tau, current = 10.0, 3.0
    integral = odeint(lambda V, t, I: (-V + I) / tau, method=method)
    with brainx.environ.context(precision=64):
        v0 = bm.asarray([-5.0, 0.0, 7.0])
        for dt in (0.1, 1.0, 25.0):
            got = np.asarray(integral(v0, 0.0, current, dt=dt))
            exact = current + (np.asarray(v0) - current) * math.exp(-dt / tau)
            np.testing.assert_allclose(got, exact, rtol=1e-12, atol=1e-12)


def test_exponential_euler_orders(backend):
    """Exponential Rosenbrock-Euler: second order on autonomous equations (the Jacobian
    is linearised), first order when the equation depends on time."""
    autonomous = odeint(lambda x, t: -x * x, method="exp_auto")
    driven = odeint(lambda x, t: -x + bm.sin(t), method="exp_auto")
    with brainx.environ.context(precision=64):
        errors = [abs(float(_integrate(autonomous, bm.asarray(1.0), n, 2.0)) - 1.0 / 3.0)
                  for n in (20, 40, 80)]
        assert abs(_observed_order(errors) - 2.0) < 0.2, errors
        exact = 1.5 * math.exp(-2.0) + (math.sin(2.0) - math.cos(2.0)) / 2
        errors = [abs(float(_integrate(driven, bm.asarray(1.0), n, 2.0)) - exact)
                  for n in (20, 40, 80)]
        assert abs(_observed_order(errors) - 1.0) < 0.2, errors


def test_systems_of_equations_and_keyword_calls(backend):
    @odeint(method="rk4")
    def oscillator(x, v, t, omega):
        return v, -omega * omega * x

    with brainx.environ.context(precision=64):
        errors = []
        for n in (25, 50, 100):
            x, v, dt = bm.asarray(1.0), bm.asarray(0.0), 2.0 / n
            for i in range(n):
                x, v = oscillator(x, v, i * dt, 1.5, dt=dt)
            errors.append(abs(float(x) - math.cos(3.0)))
        assert abs(_observed_order(errors) - 4.0) < 0.3, errors
        x1, v1 = oscillator(x=bm.asarray(1.0), v=bm.asarray(0.0), t=0.0, omega=1.5, dt=0.1)
        x2, v2 = oscillator(bm.asarray(1.0), bm.asarray(0.0), 0.0, 1.5, dt=0.1)
        assert float(x1) == float(x2) and float(v1) == float(v2)
    assert oscillator.variables == ("x", "v") and oscillator.parameters == ("omega",)


def test_default_step_comes_from_the_environment(backend):
    integral = odeint(lambda x, t: 1.0 + 0.0 * x, method="euler")
    with brainx.environ.context(dt=0.25):
        assert float(integral(bm.asarray(0.0), 0.0)) == 0.25
    fixed = odeint(lambda x, t: 1.0 + 0.0 * x, method="euler", dt=0.5)
    assert float(fixed(bm.asarray(0.0), 0.0)) == 0.5


def test_integrators_in_compiled_loops_agree_across_backends():
    trajectories = {}
    for name in both_backends():
        with brainx.use_backend(name), brainx.environ.context(precision=64):
            v = brainx.State(bm.full(4, -65.0))
            integral = odeint(lambda V, t, I: (-(V + 65.0) + I) / 20.0, method="exp_auto")

            def step(i, v=v, integral=integral):
                v.value = integral(v.value, i * 0.1, bm.asarray([0.0, 5.0, 10.0, 20.0]))
                return v.value

            trajectories[name] = np.asarray(brainx.compile.for_loop(step, bm.arange(500)))
    first, second = trajectories.values()
    exact = -65.0 + np.array([0.0, 5.0, 10.0, 20.0]) * (1 - np.exp(-50.0 / 20.0))
    np.testing.assert_allclose(first[-1], exact, rtol=1e-10)
    np.testing.assert_allclose(first, second, rtol=1e-13)  # ULP lane: XLA fuses, NumPy does not


# ---- SDEs -------------------------------------------------------------------

def _gbm_strong_errors(method: str) -> list[float]:
    """Strong errors of geometric Brownian motion against its exact solution, on shared
    Brownian paths (the increments of a fine grid summed onto each coarse grid)."""
    mu, sigma, x0, total, paths = 0.5, 0.8, 1.0, 1.0, 4000
    fine = 256
    increments = np.random.default_rng(0).normal(0.0, math.sqrt(total / fine), (fine, paths))
    exact = x0 * np.exp((mu - 0.5 * sigma ** 2) * total + sigma * increments.sum(axis=0))
    integral = sdeint(lambda x, t: mu * x, lambda x, t: sigma * x, method=method)
    errors = []
    for n in (16, 32, 64, 128):
        dW = increments.reshape(n, fine // n, paths).sum(axis=1)
        x, dt = bm.full(paths, x0), total / n
        for i in range(n):
            x = integral(x, i * dt, dt=dt, dW=dW[i])
        errors.append(float(np.mean(np.abs(np.asarray(x) - exact))))
    return errors


@pytest.mark.parametrize("method,order", [("euler", 0.5), ("milstein", 1.0)])
def test_sde_strong_orders(backend, method, order):
    with brainx.environ.context(precision=64):
        errors = _gbm_strong_errors(method)
    assert abs(_observed_order(errors) - order) < 0.15, errors


def test_sde_noise_gives_the_ornstein_uhlenbeck_variance(backend):
    theta, sigma = 1.0, 0.5
    integral = sdeint(lambda x, t: -theta * x, lambda x, t: sigma,
                      rng=brainx.random.RandomState(1))
    with brainx.environ.context(precision=64):
        x = bm.zeros(20000)
        for i in range(400):
            x = integral(x, i * 0.01, dt=0.01)
        stationary = sigma ** 2 / (2 * theta) * (1 - math.exp(-2 * theta * 4.0))
        assert abs(float(np.var(np.asarray(x))) - stationary) < 0.05 * stationary
        assert abs(float(np.mean(np.asarray(x)))) < 4 * math.sqrt(stationary / 20000)


# ---- errors -----------------------------------------------------------------

@pytest.mark.parametrize("make,error,message", [
    (lambda: odeint(lambda x, t: -x, method="rk45"), ValueError, "unknown integration method"),
    (lambda: odeint(lambda x: -x), ValueError, "argument named 't'"),
    (lambda: odeint(lambda t, x: -x), ValueError, "at least one variable before 't'"),
    (lambda: odeint(3), TypeError, "must be a function"),
    (lambda: odeint(lambda x, t: -x)(1.0, 0.0, dt=-0.1), ValueError, "dt must be a positive"),
    (lambda: odeint(lambda x, t, I: -x)(1.0, 0.0), TypeError, "takes 3 arguments"),
    (lambda: odeint(lambda x, y, t: -x)(1.0, 1.0, 0.0), ValueError, "must return 2 values"),
    (lambda: sdeint(lambda x, t: -x, lambda x, t, s: s), ValueError, "same arguments"),
    (lambda: sdeint(lambda x, t: -x, lambda x, t: 1.0, method="heun"), ValueError,
     "unknown SDE method"),
])
def test_bad_integrators_are_refused(backend, make, error, message):
    with pytest.raises(error, match=message):
        make()
