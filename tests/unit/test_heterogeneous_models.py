"""Per-neuron (array) parameters in every neuron, synapse and output model.

The reference for a population whose parameters are arrays is one population of size 1
per neuron, built with that neuron's numbers: both run side by side in one model, so one
run gives both trajectories. On numba they agree bit for bit; XLA compiles an operation
on an array of 3 and on an array of 1 differently (vectorised, fused), which moves the
float64 results by an ulp or so, so on jax they agree to rounding.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import brainx
from brainx import nn

N, STEPS = 3, 20


def _currents(*values):
    return np.tile(np.array(values, dtype=np.float64), (STEPS, 1))


def _spikes(*steps_per_neuron):
    spikes = np.zeros((STEPS, N), dtype=np.float64)
    for k, steps in enumerate(steps_per_neuron):
        spikes[list(steps), k] = 1.0
    return spikes


# (model, its per-neuron parameters, other arguments, the input of each step)
CASES = {
    "ExpIF": (nn.ExpIF, dict(V_T=[-59.9, -58.0, -61.0], delta_T=[3.48, 2.0, 5.0],
                             tau=[10.0, 5.0, 20.0], V_th=[-30.0, -40.0, -35.0],
                             V_initializer=[-50.0, -45.0, -60.0]), {}, _currents(20.0, 5.0, 40.0)),
    "QuaIF": (nn.QuaIF, dict(V_c=[-50.0, -52.0, -48.0], c=[0.07, 0.1, 0.05],
                             V_reset=[-68.0, -60.0, -70.0], V_initializer=[-45.0, -40.0, -65.0]),
              {}, _currents(10.0, 20.0, 5.0)),
    "AdExIF": (nn.AdExIF, dict(a=[1.0, 0.5, 2.0], b=[1.0, 2.0, 0.5], tau_w=[30.0, 10.0, 50.0],
                               V_T=[-59.9, -55.0, -58.0], R=[1.0, 2.0, 0.5],
                               V_initializer=[-45.0, -50.0, -40.0]), {},
               _currents(30.0, 10.0, 60.0)),
    "Izhikevich": (nn.Izhikevich, dict(a=[0.02, 0.1, 0.02], b=[0.2, 0.2, 0.25],
                                       c=[-65.0, -55.0, -50.0], d=[8.0, 2.0, 2.0],
                                       V_th=[30.0, 25.0, 30.0],
                                       V_initializer=[-65.0, 20.0, 28.0]), {},
                   _currents(10.0, 5.0, 15.0)),
    "HH": (nn.HH, dict(ENa=[50.0, 55.0, 45.0], gNa=[120.0, 100.0, 140.0], EK=[-77.0, -80.0, -75.0],
                       gK=[36.0, 30.0, 40.0], EL=[-54.387, -60.0, -50.0], gL=[0.03, 0.1, 0.3],
                       C=[1.0, 0.8, 1.2], V_th=[20.0, -10.0, 10.0],
                       V_initializer=[-57.0, -50.0, -60.0]), {}, _currents(40.0, 60.0, 30.0)),
    "ALIF": (nn.ALIF, dict(tau=[5.0, 10.0, 3.0], tau_a=[100.0, 50.0, 200.0], R=[1.0, 2.0, 0.5],
                           beta=[0.1, 0.5, 1.0], V_th=[1.0, 0.5, 2.0], V_reset=[0.0, -0.5, 0.5],
                           V_rest=[0.0, 0.1, -0.1], V_initializer=[0.9, 0.0, 1.9]), {},
             _currents(5.0, 2.0, 8.0)),
    "DualExpon": (nn.DualExpon, dict(tau_decay=[10.0, 5.0, 20.0], tau_rise=[1.0, 2.0, 0.5]), {},
                  _spikes((0, 7), (3,), (0, 1, 2))),
    "DualExpon-A": (nn.DualExpon, dict(tau_decay=[10.0, 5.0, 20.0], A=[1.0, 2.0, 0.5]), {},
                    _spikes((0, 7), (3,), (0, 1, 2))),
    "Alpha": (nn.Alpha, dict(tau=[8.0, 2.0, 5.0]), {}, _spikes((0, 7), (3,), (0, 1, 2))),
    "AMPA": (nn.AMPA, dict(alpha=[0.98, 0.5, 2.0], beta=[0.18, 0.5, 0.1], T=[0.5, 1.0, 0.2],
                           T_dur=[0.5, 1.0, 0.25]), {}, _spikes((0, 12), (3,), (0, 1, 2))),
    "GABAa": (nn.GABAa, dict(alpha=[0.53, 1.0, 0.3], T_dur=[1.0, 0.3, 0.5]), {},
              _spikes((0, 12), (3,), (0, 1, 2))),
    "NMDA": (nn.NMDA, dict(a=[0.5, 1.0, 0.2], tau_decay=[100.0, 50.0, 10.0],
                           tau_rise=[2.0, 1.0, 5.0]), {}, _spikes((0, 12), (3,), (0, 1, 2))),
    "STP": (nn.STP, dict(U=[0.15, 0.5, 1.0], tau_f=[1500.0, 1.0, 200.0],
                         tau_d=[200.0, 1.0, 800.0]), {}, _spikes((0, 5, 6, 15), (3, 4), (0, 19))),
    "STD": (nn.STD, dict(U=[0.07, 0.5, 1.0], tau=[200.0, 1.0, 20.0]), {},
            _spikes((0, 5, 6, 15), (3, 4), (0, 19))),
}


class SideBySide(nn.DynamicsGroup):
    """For each case, a population with array parameters beside one population of size 1
    per neuron; the input of step k is ``x[k]``, the cases' inputs side by side."""

    def __init__(self, cases):
        super().__init__()
        self.cases = list(cases)
        for c, case in enumerate(self.cases):
            model, arrays, others, _ = CASES[case]
            setattr(self, f"mixed{c}", model(N, **{k: np.asarray(v) for k, v in arrays.items()},
                                             **others))
            for k in range(N):
                setattr(self, f"one{c}_{k}", model(1, **{p: float(v[k]) for p, v in
                                                         arrays.items()}, **others))

    def update(self, x):
        for c in range(len(self.cases)):
            inputs = x[c * N:(c + 1) * N]
            getattr(self, f"mixed{c}")(inputs)
            for k in range(N):
                getattr(self, f"one{c}_{k}")(inputs[k:k + 1])

    def monitors(self):
        """Every State of every population, as ``{'population.state': State}``."""
        return {f"{population}.{key}": state
                for population in vars(self) if population.startswith(("mixed", "one"))
                for key, state in vars(getattr(self, population)).items()
                if isinstance(state, brainx.State)}


def _run_side_by_side(cases):
    """Run the cases side by side; check each neuron of each population with array
    parameters against its population of one."""
    exact = brainx.get_backend().name != "jax"
    with brainx.environ.context(precision=64):
        net = SideBySide(cases)
        monitors = net.monitors()
        inputs = np.concatenate([CASES[case][3] for case in net.cases], axis=1)
        out = brainx.Runner(net, monitors=monitors, inputs=inputs,
                            strict_numerics=True).run(STEPS * 0.1)  # quicker to compile
    for c, case in enumerate(net.cases):
        states = sorted(key.split(".", 1)[1] for key in monitors
                        if key.startswith(f"mixed{c}."))
        assert states, f"{case}: no States recorded"
        for state in states:
            mixed = np.asarray(out[f"mixed{c}.{state}"])
            assert mixed.shape == (STEPS, N), (case, state, mixed.shape)
            for k in range(N):
                alone = np.asarray(out[f"one{c}_{k}.{state}"])[:, 0]
                where = f"{case}: {state} of neuron {k}"
                if exact or mixed.dtype == bool:
                    np.testing.assert_array_equal(mixed[:, k], alone, err_msg=where)
                else:
                    np.testing.assert_allclose(mixed[:, k], alone, rtol=1e-9, atol=1e-9,
                                               err_msg=where)
        if "spike" in states:
            assert out[f"mixed{c}.spike"].any(), f"{case}: no spike, so no reset was tested"


@pytest.mark.parametrize("case", sorted(CASES))
def test_array_parameters_step_each_neuron_as_a_population_of_one(backend, case):
    _run_side_by_side([case])


@pytest.mark.parametrize("case", ["QuaIF", "AMPA"])  # cheap to compile
def test_array_parameters_compiled_on_numba_match_one_population_per_neuron(case):
    if "numba" not in brainx.available_backends():
        pytest.skip("needs the numba backend")
    with brainx.use_backend("numba"), brainx.environ.context(jit=True):
        _run_side_by_side([case])


@pytest.mark.parametrize("output, arrays", [
    (nn.CUBA, dict(scale=[2.0, 3.0, 0.5])),
    (nn.COBA, dict(E=[0.0, -80.0, -10.0])),
    (nn.MgBlock, dict(E=[0.0, -10.0, 5.0], cc_Mg=[1.2, 2.0, 0.0], alpha=[0.062, 0.1, 0.02],
                      beta=[3.57, 1.0, 5.0], V_offset=[0.0, -10.0, 5.0])),
])
def test_outputs_with_array_parameters_equal_one_output_per_neuron(backend, output, arrays):
    rng = np.random.default_rng(0)
    with brainx.environ.context(precision=64):
        mixed = output(**{k: np.asarray(v) for k, v in arrays.items()})
        singles = [output(**{k: float(v[k_]) for k, v in arrays.items()}) for k_ in range(N)]
        for _ in range(3):
            g = brainx.math.asarray(rng.uniform(0.0, 2.0, N))
            V = brainx.math.asarray(rng.uniform(-80.0, 0.0, N))
            got = np.asarray(mixed(g, V))
            for k, one in enumerate(singles):
                np.testing.assert_array_equal(got[k], np.asarray(one(g[k:k + 1], V[k:k + 1]))[0])


def test_a_coba_output_with_one_reversal_potential_per_neuron_in_a_projection(backend):
    """An array E in an align-post projection: each neuron gets its own driving force."""
    E = np.array([0.0, -80.0, -20.0])
    with brainx.environ.context(precision=64):
        post = nn.LIF(N, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0)
        proj = nn.AlignPostProj(comm=brainx.event.Linear(2, N, 0.5), syn=nn.Expon(N, tau=5.0),
                                out=nn.COBA(E=E), post=post)
        proj(np.array([True, True]))
        post(0.0)
        g = np.asarray(proj.syn.g.value)
        currents = np.asarray(post.sum_current_inputs(0.0, brainx.math.asarray(np.full(N, -60.0))))
    np.testing.assert_allclose(currents, g * (E + 60.0), rtol=1e-12)


# ---- error paths ------------------------------------------------------------------------

#: every array parameter of every model (outputs apart)
ARRAY_PARAMETERS = [(case, name) for case, (_, arrays, _, _) in sorted(CASES.items())
                    for name in arrays if name != "V_initializer"]

#: one parameter per model that must be positive, and the models' own checks
POSITIVE = [("ExpIF", "delta_T"), ("QuaIF", "tau"), ("AdExIF", "tau_w"), ("HH", "C"),
            ("ALIF", "tau_a"), ("DualExpon", "tau_rise"), ("Alpha", "tau"), ("AMPA", "T_dur"),
            ("GABAa", "alpha"), ("NMDA", "a"), ("STP", "tau_f"), ("STD", "tau")]


@pytest.mark.parametrize("case, name", ARRAY_PARAMETERS)
def test_an_array_of_the_wrong_shape_is_refused_by_name(case, name):
    model, arrays, others, _ = CASES[case]
    kwargs = {k: np.asarray(v) for k, v in arrays.items()} | others
    kwargs[name] = np.concatenate([kwargs[name], kwargs[name][:1]])
    message = (f"{model.__name__}: {name} has shape (4,), which does not broadcast to the "
               f"population's shape (3,)")
    with brainx.use_backend("numba"), pytest.raises(ValueError, match=re.escape(message)):
        model(N, **kwargs)


@pytest.mark.parametrize("case, name", POSITIVE)
def test_a_non_positive_element_is_refused_by_name(case, name):
    model, arrays, others, _ = CASES[case]
    kwargs = {k: np.asarray(v) for k, v in arrays.items()} | others
    value = np.asarray(arrays.get(name, np.full(N, 5.0)), dtype=np.float64).copy()
    value[1] = -1.0
    kwargs[name] = value
    message = f"{name} must be a positive number or an array of them, got -1.0 at index (1,)"
    with brainx.use_backend("numba"), pytest.raises(ValueError, match=re.escape(message)):
        model(N, **kwargs)


@pytest.mark.parametrize("make, message", [
    (lambda: nn.STP(N, U=[0.5, 1.5, 0.2]), "U must be a number in (0, 1] or an array of them, "
                                           "got 1.5 at index (1,)"),
    (lambda: nn.STD(N, U=[0.5, 0.0, 0.2]), "U must be a number in (0, 1] or an array of them, "
                                           "got 0.0 at index (1,)"),
    (lambda: nn.DualExpon(N, tau_decay=[10.0, 1.0, 10.0], tau_rise=[1.0, 2.0, 1.0]),
     "must be larger than tau_rise"),
    (lambda: nn.ALIF(N, V_th=[1.0, 0.0, 1.0], V_reset=0.0), "must be above V_reset"),
    (lambda: nn.MgBlock(beta=[3.57, -1.0]), "beta must be a positive number or an array of "
                                            "them, got -1.0 at index (1,)"),
])
def test_the_models_own_checks_apply_to_each_element(make, message):
    with brainx.use_backend("numba"), pytest.raises(ValueError, match=re.escape(message)):
        make()


@pytest.mark.parametrize("output, name", [(nn.CUBA, "scale"), (nn.COBA, "E"),
                                          (nn.MgBlock, "cc_Mg"), (nn.MgBlock, "V_offset")])
def test_an_output_refuses_an_array_of_the_wrong_shape_when_called(output, name):
    out = output(**{name: np.ones(4)})
    message = (f"{output.__name__}: {name} has shape (4,), which does not broadcast to the "
               f"population's shape (3,)")
    with brainx.use_backend("numba"):
        with pytest.raises(ValueError, match=re.escape(message)):
            out(np.ones(N), np.zeros(N))
        out.bind_cond(np.ones(N))
        with pytest.raises(ValueError, match=re.escape(message)):
            out(np.zeros(N))
