"""The conformance cases: every built-in model and operator, with its tolerance and why.

A case builds a small model (anything with States and an ``update``) whose steps
exercise one built-in component, plus the inputs for each step. The tolerance is
in units in the last place (ULP) per step of a lockstep comparison, for the
default compilation (XLA may fuse ``a * b + c`` into one FMA) and for strict
numerics (no value-changing compilation), with the reason next to it. The lanes:

- ``EXACT``: only ``+ - * /``, comparisons and selects, with transcendental
  factors computed once on the host: bit-identical under strict numerics; at most
  1 ULP per step otherwise (XLA's FMA contraction rounds once where NumPy and
  Numba round twice).
- ``TRANSCENDENTAL``: ``exp``, ``expm1``, ``log``, ``cos``... on device: XLA's
  implementations and libm / NumPy's differ by an ULP or two, also under strict
  numerics; a step that chains several of them can move a result by a few ULP.
- ``NUMERICAL_LINEARISATION``: ``exp_auto`` on a non-linear equation takes a
  central difference ``(f(x + h) - f(x - h)) / 2h``; the cancellation amplifies
  the one-ULP differences of ``f`` (about ``|f| / (h |f'|)`` ULP).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import brainx
import brainx.math as bm

EXACT = "exact: + - * / and selects only, transcendental factors computed on the host"
FMA = ("<= 2 ULP: XLA fuses a * b + c into one FMA (one rounding instead of two) and "
       "divides by a scalar as a multiplication by its reciprocal")
TRANSCENDENTAL = "exp/expm1/log/cos on device: XLA and libm/NumPy differ by 1-2 ULP"
LINEARISATION = ("exp_auto's central difference divides a difference of nearly equal "
                 "values by 2h, amplifying 1-ULP differences of f")


@dataclass
class Case:
    """One conformance case: a model factory, per-step inputs and its tolerances."""

    name: str
    covers: str                      # the built-in operators / models exercised
    factory: Callable[[], Any]
    inputs: Callable[[float, int], Any] | tuple | None = None
    steps: int = 100
    ulps: float | dict = 2           # default compilation, lockstep, per step
    reason: str = FMA
    strict_ulps: float | dict = 0    # with strict numerics; a dict gives {precision: ulps}
    strict_reason: str = EXACT
    fake_random: bool = False
    scale: float = 1.0               # typical magnitude of the States (see ``tolerance``)
    dt: float = 0.1

    def tolerance(self, precision: int, strict: bool) -> tuple[float, float]:
        """(ulps, atol): a value agrees within ``ulps`` ULP of itself or of the case's
        scale; the second form covers results near zero, where a one-ULP difference of
        the operands (an FMA, a cancellation) is many ULP of the result."""
        ulps = self.strict_ulps if strict else self.ulps
        ulps = ulps[precision] if isinstance(ulps, dict) else ulps
        eps = float(np.finfo(np.float32 if precision == 32 else np.float64).eps)
        return ulps, ulps * eps * self.scale


class Probe(brainx.nn.Dynamics):
    """A model whose State ``out`` is ``fn(*inputs)`` after each step (for operators)."""

    def __init__(self, fn: Callable[..., Any], shape: tuple[int, ...], dtype: Any = None):
        super().__init__(1)
        self.fn = fn
        self.out = brainx.ShortTermState(bm.zeros(shape, dtype=dtype or brainx.environ.dftype()),
                                         name="out")

    def update(self, *args: Any) -> None:
        self.out.value = bm.asarray(self.fn(*args)).astype(self.out.value.dtype)


class Driven(brainx.nn.DynamicsGroup):
    """A component stepped with a current or spike input given each step."""

    def __init__(self, component: Any):
        super().__init__(1)
        self.component = component

    def update(self, *args: Any) -> None:
        self.component(*args)


def _csr(weights: np.ndarray) -> Any:
    import scipy.sparse

    m = scipy.sparse.csr_matrix(weights)
    return brainx.event.CSRLinear(weights.shape[0], weights.shape[1], m.indptr, m.indices,
                                  m.data)


def _conductance_and_voltage(n: int, seed: int):
    rng = np.random.default_rng(seed)
    g, V = rng.uniform(0.0, 3.0, (1000, n)), rng.uniform(-80.0, 20.0, (1000, n))  # noqa: N806
    return lambda t, i: (g[i], V[i])


def _spikes(n: int, p: float, seed: int) -> Callable[[float, int], np.ndarray]:
    """Input: a fixed random spike pattern, a fresh row each step."""
    rows = np.random.default_rng(seed).random((1000, n)) < p
    return lambda t, i: rows[i]


def _floats(n: int, seed: int, loc: float = 0.0, scale: float = 1.0):
    rows = np.random.default_rng(seed).normal(loc, scale, (1000, n))
    return lambda t, i: rows[i]


def _linearised(ulps32: float, ulps64: float) -> dict:
    """The tolerance of models stepped by exp_auto on a non-linear equation."""
    bound = {32: ulps32, 64: ulps64}
    return {"ulps": bound, "reason": LINEARISATION, "strict_ulps": bound,
            "strict_reason": LINEARISATION}


def _neuron_cases() -> list[Case]:
    kw = dict(V_rest=-60.0, V_th=-50.0, V_reset=-65.0, tau=10.0)
    v0 = {"V_initializer": lambda s: np.linspace(-65.0, -51.0, int(np.prod(s))).reshape(s)}
    current = _floats(20, 1, 15.0, 8.0)
    return [
        Case("IF", "nn.IF", lambda: Driven(brainx.nn.IF(20, tau=2.0, V_th=5.0)), current),
        Case("LIF", "nn.LIF (nn.lif_step)", lambda: Driven(brainx.nn.LIF(20, **kw, **v0)),
             current),
        Case("LIFRef", "nn.LIFRef (nn.lif_ref_step)",
             lambda: Driven(brainx.nn.LIFRef(20, tau_ref=2.0, **kw, **v0)), current),
        Case("LIF-rk4", "nn.LIF with odeint rk4",
             lambda: Driven(brainx.nn.LIF(20, method="rk4", **kw, **v0)), current),
        Case("ExpIF", "nn.ExpIF (exp_auto)", lambda: Driven(brainx.nn.ExpIF(20)),
             _floats(20, 2, 25.0, 5.0), **_linearised(64, 64)),
        Case("AdExIF", "nn.AdExIF (exp_auto)", lambda: Driven(brainx.nn.AdExIF(20)),
             _floats(20, 3, 25.0, 5.0), **_linearised(64, 64)),
        Case("QuaIF", "nn.QuaIF (exp_auto)", lambda: Driven(brainx.nn.QuaIF(20)),
             _floats(20, 4, 10.0, 5.0), **_linearised(64, 64)),
        Case("Izhikevich", "nn.Izhikevich (exp_auto)", lambda: Driven(brainx.nn.Izhikevich(20)),
             _floats(20, 5, 10.0, 3.0), **_linearised(256, 64)),
        Case("HH", "nn.HH (exp_auto)", lambda: Driven(brainx.nn.HH(20)),
             _floats(20, 6, 8.0, 4.0), **_linearised(2048, 4096)),
        Case("HH-rk4", "nn.HH with rk4", lambda: Driven(brainx.nn.HH(20, method="rk4")),
             _floats(20, 7, 8.0, 4.0), steps=300, dt=0.01, ulps=8, reason=TRANSCENDENTAL,
             strict_ulps=8, strict_reason=TRANSCENDENTAL),
    ]


def _synapse_cases() -> list[Case]:
    spikes = _spikes(20, 0.1, 11)
    return [
        Case("Expon", "nn.Expon (nn.decay_add)", lambda: Driven(brainx.nn.Expon(20, tau=5.0)),
             _floats(20, 12)),
        Case("DualExpon", "nn.DualExpon", lambda: Driven(brainx.nn.DualExpon(20)),
             _floats(20, 13), ulps=2, reason=TRANSCENDENTAL + " (exp_auto on linear equations)",
             strict_ulps=2, strict_reason=TRANSCENDENTAL),
        Case("Alpha", "nn.Alpha (rk4)", lambda: Driven(brainx.nn.Alpha(20)), _floats(20, 14)),
        Case("AMPA", "nn.AMPA", lambda: Driven(brainx.nn.AMPA(20)), spikes),
        Case("GABAa", "nn.GABAa", lambda: Driven(brainx.nn.GABAa(20)), spikes),
        Case("NMDA", "nn.NMDA (expm1 on device)", lambda: Driven(brainx.nn.NMDA(20)), spikes,
             ulps=2, reason=TRANSCENDENTAL, strict_ulps=2, strict_reason=TRANSCENDENTAL),
        Case("STP", "nn.STP", lambda: Driven(brainx.nn.STP(20)), spikes),
        Case("STD", "nn.STD", lambda: Driven(brainx.nn.STD(20)), spikes),
        Case("CUBA", "nn.CUBA", lambda: Probe(brainx.nn.CUBA(scale=1.7), (20,)),
             _conductance_and_voltage(20, 15)),
        Case("COBA", "nn.COBA", lambda: Probe(brainx.nn.COBA(E=-80.0), (20,)),
             _conductance_and_voltage(20, 16)),
        Case("MgBlock", "nn.MgBlock (exp on device)", lambda: Probe(brainx.nn.MgBlock(), (20,)),
             _conductance_and_voltage(20, 17), ulps=2, reason=TRANSCENDENTAL, strict_ulps=2,
             strict_reason=TRANSCENDENTAL),
    ]


class Network(brainx.nn.DynamicsGroup):
    """Neurons with a projection onto themselves, driven by Poisson input."""

    def __init__(self, projection: str, n: int = 60):
        super().__init__(1)
        self.inp = brainx.nn.PoissonSpike(n, 200.0, seed=3)
        self.N = brainx.nn.LIFRef(n, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0,
                                  tau_ref=2.0)
        self.drive = brainx.nn.AlignPostProj(brainx.event.FixedProb(n, n, 0.2, 1.5, seed=4),
                                             brainx.nn.Expon(n, tau=5.0),
                                             brainx.nn.COBA(E=0.0), self.N)
        weights = np.random.default_rng(5).uniform(0.0, 0.5, (n, n))
        if projection == "AlignPostProj":
            self.rec = brainx.nn.AlignPostProj(
                _csr(weights * (weights > 0.4)),
                brainx.nn.Expon(n, tau=10.0), brainx.nn.COBA(E=-80.0), self.N, delay=0.5)
        elif projection == "AlignPreProj":
            self.rec = brainx.nn.AlignPreProj(brainx.nn.AMPA(n), brainx.event.Linear(n, n, weights),
                                              brainx.nn.COBA(E=-80.0), self.N, delay=0.3)
        elif projection == "DeltaProj":
            self.rec = brainx.nn.DeltaProj(brainx.event.FixedProb(n, n, 0.1, -0.5, seed=6),
                                           self.N)
        elif projection == "STD":
            self.rec = brainx.nn.AlignPostProj(
                brainx.nn.Sequential(brainx.nn.STD(n, tau=50.0, U=0.4),
                                     brainx.event.FixedProb(n, n, 0.1, 2.0, seed=7)),
                brainx.nn.Expon(n, tau=5.0), brainx.nn.CUBA(), self.N)

    def update(self) -> None:
        self.drive(self.inp())
        self.rec(self.N.spike.value)
        self.N(0.0)


def _projection_cases() -> list[Case]:
    return [Case(f"{p}", f"nn.{p} with event operators and PoissonSpike",
                 (lambda p=p: Network(p)), None, steps=300)
            for p in ("AlignPostProj", "AlignPreProj", "DeltaProj", "STD")]


def _input_cases() -> list[Case]:
    return [
        Case("PoissonSpike", "nn.PoissonSpike (random.bernoulli)",
             lambda: Driven(brainx.nn.PoissonSpike(50, np.linspace(5.0, 500.0, 50), seed=1)),
             None),
        Case("SpikeTimeGroup", "nn.SpikeTimeGroup",
             lambda: Driven(brainx.nn.SpikeTimeGroup(5, [0, 2, 4, 1], [0.3, 1.1, 1.1, 5.0])),
             None),
        Case("section_input", "nn.section_input driving LIF",
             lambda: Driven(brainx.nn.LIF(5, V_th=10.0)),
             (lambda rows: (lambda t, i: rows[i]))(brainx.nn.section_input(
                 [0.0, 30.0, 5.0], [2.0, 5.0, 3.0], dt=0.1))),
    ]


class Integrated(brainx.nn.Dynamics):
    """A two-variable non-linear oscillator integrated by one method."""

    def __init__(self, method: str, stochastic: bool = False):
        super().__init__(8)
        self.x = brainx.ShortTermState(bm.linspace(-1.0, 1.0, 8, dtype=brainx.environ.dftype()))
        self.v = brainx.ShortTermState(bm.linspace(0.5, -0.5, 8, dtype=brainx.environ.dftype()))
        if stochastic:
            self.rng = brainx.random.RandomState(9)
            self.integral = brainx.integrators.sdeint(
                lambda x, v, t: (v, -x - 0.1 * v * (x * x - 1.0)),
                lambda x, v, t: (0.1 * x, 0.05), method=method)
        else:
            self.integral = brainx.integrators.odeint(
                lambda x, v, t: (v, -x - 0.1 * v * (x * x - 1.0)), method=method)
        self.stochastic = stochastic

    def update(self) -> None:
        t = brainx.environ.get("t")
        if self.stochastic:
            dW = self.rng.normal(0.0, np.sqrt(brainx.environ.get_dt()), (2, 8))  # noqa: N806
            x, v = self.integral(self.x.value, self.v.value, t, dW=(dW[0], dW[1]))
        else:
            x, v = self.integral(self.x.value, self.v.value, t)
        self.x.value, self.v.value = x.astype(self.x.value.dtype), v.astype(self.v.value.dtype)


def _integrator_cases() -> list[Case]:
    cases = [Case(f"odeint-{m}", f"integrators.odeint({m!r})", (lambda m=m: Integrated(m)))
             for m in ("euler", "midpoint", "heun2", "rk2", "rk3", "rk4")]
    cases += [Case(f"odeint-{m}", f"integrators.odeint({m!r})", (lambda m=m: Integrated(m)),
                   **_linearised(64, 64)) for m in ("exp_euler", "exp_auto")]
    cases += [Case(f"sdeint-{m}", f"integrators.sdeint({m!r}) with fake random normals",
                   (lambda m=m: Integrated(m, stochastic=True)), fake_random=True)
              for m in ("euler", "milstein")]
    return cases


def _transposed(layer: Any, n_post: int, n_pre: int) -> Probe:
    """A probe of ``layer(events, transpose=True)``, fed the first ``n_post`` inputs."""
    return Probe(lambda e: layer(e[:n_post], transpose=True), (n_pre,))


def _event_cases() -> list[Case]:
    n_pre, n_post = 80, 50
    dense = np.random.default_rng(21).uniform(-1, 1, (n_pre, n_post))
    sparse = dense * (np.random.default_rng(22).random((n_pre, n_post)) < 0.1)
    spikes = _spikes(n_pre, 0.1, 23)
    floats = (lambda rows: (lambda t, i: rows[i]))(
        np.where(np.random.default_rng(24).random((1000, n_pre)) < 0.2,
                 np.random.default_rng(25).normal(size=(1000, n_pre)), 0.0))
    layers = {
        "FixedProb": lambda: brainx.event.FixedProb(n_pre, n_post, 0.1, 0.7, seed=1),
        "FixedProb-hetero": lambda: brainx.event.FixedProb(
            n_pre, n_post, 0.1, lambda s: np.random.default_rng(2).normal(size=s), seed=1),
        "Linear": lambda: brainx.event.Linear(n_pre, n_post, dense),
        "CSRLinear": lambda: _csr(sparse),
    }
    operator = {"Linear": "event_dense_matvec"}
    cases = []
    for name, make in layers.items():
        op = operator.get(name, "event_sparse_matvec")
        for kind, inputs in (("spikes", spikes), ("floats", floats)):
            cases.append(Case(f"{op}[{name},{kind}]", f"event.{name} ({op})",
                              (lambda make=make: Probe(make(), (n_post,))), inputs))
            cases.append(Case(f"{op}[{name},{kind},transpose]", f"event.{name} ({op})",
                              (lambda make=make: _transposed(make(), n_post, n_pre)), inputs))
    return cases


def _random_cases() -> list[Case]:
    def draw(method: str, *args: Any, **kwargs: Any) -> Callable[[], Any]:
        def factory() -> Probe:
            rng = brainx.random.RandomState(5)
            probe = Probe(lambda: getattr(rng, method)(*args, size=(64,), **kwargs), (64,),
                          dtype=_random_dtype(method))
            probe.rng = rng
            return probe
        return factory

    exact = ["random", "uniform", "randint", "bernoulli", "choice", "poisson_small"]
    specs = {"random": (), "uniform": (-2.0, 3.0), "randint": (0, 100), "bernoulli": (0.3,),
             "choice": (10,), "poisson_small": (3.0,), "normal": (1.0, 2.0),
             "exponential": (2.0,), "poisson_large": (50.0,)}
    cases = []
    for key, args in specs.items():
        method = key.split("_")[0]
        if key in exact:
            cases.append(Case(f"random.{key}", f"random.RandomState.{method}",
                              draw(method, *args), None, steps=20))
        else:
            cases.append(Case(f"random.{key}", f"random.RandomState.{method}",
                              draw(method, *args), None, steps=20, ulps=4,
                              reason="log/cos/sqrt on device (Box-Muller, -log(1-u), PTRS): "
                                     "within 4 ULP of the scale; poisson counts may differ",
                              strict_ulps=4, strict_reason=TRANSCENDENTAL))
            cases.append(Case(f"random.{key}[fake]", f"random.RandomState.{method} under "
                              f"testing.fake_random", draw(method, *args), None, steps=20,
                              fake_random=True))
    return cases


class ScalarPromotion(brainx.nn.Dynamics):
    """A user's model combining its States with Python and NumPy scalars, as custom
    synapses do: ``g * np.exp(-dt / tau) + x`` multiplies by a float64 NumPy scalar."""

    def __init__(self, n: int):
        super().__init__(n)
        self.g = brainx.ShortTermState(bm.zeros(n, dtype=brainx.environ.dftype()), name="g")
        self.h = brainx.ShortTermState(bm.zeros(n, dtype=brainx.environ.dftype()), name="h")
        self.count = brainx.ShortTermState(bm.zeros(n, dtype=brainx.environ.ditype()),
                                           name="count")

    def update(self, x: Any) -> None:
        dt = brainx.environ.get_dt()
        self.g.value = self.g.value * np.exp(-dt / 5.0) + x
        self.h.value = 0.9 * self.h.value + np.float32(0.25) * x - 1
        self.count.value = self.count.value + np.int64(1) + (x > 0)


PROMOTION = ("<= 1 ULP per step at 32 bits: NumPy computes a float32 array times a float64 "
             "NumPy scalar in float64 and rounds once, when the State is written; jax "
             "narrows the scalar and rounds after each operation")


def _promotion_cases() -> list[Case]:
    return [Case("scalar-promotion", "Python and NumPy scalars combined with States",
                 lambda: ScalarPromotion(20), _floats(20, 18), ulps={32: 2, 64: 2},
                 reason=PROMOTION + "; XLA may also fuse a * b + c", strict_ulps={32: 1, 64: 0},
                 strict_reason=PROMOTION)]


def _random_dtype(method: str) -> Any:
    return brainx.environ.ditype() if method in ("randint", "choice", "poisson") else \
        (bool if method == "bernoulli" else None)


# typical magnitudes: membrane potentials in mV, conductances, currents, draws
_SCALES = {"neuron": 100.0, "synapse": 10.0, "output": 300.0, "projection": 100.0,
           "input": 100.0, "integrator": 1.0, "event": 10.0, "random": 10.0,
           "promotion": 10.0}


def all_cases() -> list[Case]:
    groups = {"neuron": _neuron_cases(), "synapse": _synapse_cases(),
              "projection": _projection_cases(), "input": _input_cases(),
              "integrator": _integrator_cases(), "event": _event_cases(),
              "random": _random_cases(), "promotion": _promotion_cases()}
    cases = []
    for group, members in groups.items():
        for case in members:
            if case.name in ("CUBA", "COBA", "MgBlock"):
                group = "output"
            case.scale = _SCALES[group]
            cases.append(case)
    return cases
