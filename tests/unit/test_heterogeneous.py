"""Per-neuron parameters and per-synapse delays, on both backends."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import brainx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from heterogeneous import HeterogeneousCOBA  # noqa: E402  (the network benchmarks time)

TAUS = np.array([5.0, 10.0, 20.0, 40.0])
THRESHOLDS = np.array([10.0, 12.0, 14.0, 16.0])


def test_lif_with_per_neuron_parameters_equals_one_lif_per_neuron(backend):
    with brainx.environ.context(precision=64):
        mixed = brainx.nn.LIFRef(4, tau=TAUS, V_th=THRESHOLDS, tau_ref=[0.0, 1.0, 2.0, 0.5])
        out = brainx.Runner(mixed, monitors={"V": mixed.V, "spike": mixed.spike}).run(60.0, 30.0)
        for k in range(4):
            one = brainx.nn.LIFRef(1, tau=float(TAUS[k]), V_th=float(THRESHOLDS[k]),
                                   tau_ref=[0.0, 1.0, 2.0, 0.5][k])
            alone = brainx.Runner(one, monitors={"V": one.V}).run(60.0, 30.0)
            np.testing.assert_array_equal(out["V"][:, k], alone["V"][:, 0])
    assert len(set(out["spike"].sum(axis=0).tolist())) == 4  # four different rates


def test_expon_with_per_neuron_time_constants_decays_each_at_its_own_rate(backend):
    with brainx.environ.context(precision=64):
        syn = brainx.nn.Expon(3, tau=[1.0, 2.0, 4.0])
        syn(np.ones(3))
        for _ in range(10):  # 1 ms
            syn()
    np.testing.assert_allclose(np.asarray(syn.g.value), np.exp(-1.0 / np.array([1, 2, 4.0])),
                               rtol=1e-12)


def test_per_neuron_parameters_are_checked(backend):
    with pytest.raises(ValueError, match=r"tau must be a positive number or an array of them, "
                                         r"got -1.0 at index \(2,\)"):
        brainx.nn.LIF(4, tau=[5.0, 5.0, -1.0, 5.0])
    with pytest.raises(ValueError, match=r"LIF: tau has shape \(3,\), which does not broadcast "
                                         r"to the population's shape \(4,\)"):
        brainx.nn.LIF(4, tau=[5.0, 6.0, 7.0])
    with pytest.raises(ValueError, match="V_th .* must be above V_reset"):
        brainx.nn.LIF(2, V_th=[10.0, -10.0], V_reset=0.0)


class _Probe(brainx.nn.DynamicsGroup):
    """Three presynaptic neurons spike at step 0 into two postsynaptic synapses."""

    def __init__(self, delays):
        super().__init__()
        comm = brainx.event.CSRLinear(3, 2, np.array([0, 2, 3, 4]), np.array([0, 1, 1, 0]),
                                      np.array([1.0, 10.0, 100.0, 1000.0]))
        self.post = brainx.nn.LIF(2)
        self.syn = brainx.nn.Expon(2, tau=1e12)  # no decay to speak of
        self.proj = brainx.nn.AlignPostProj(comm=comm, syn=self.syn, out=brainx.nn.CUBA(),
                                            post=self.post, delay=delays)

    def update(self):
        first = brainx.environ.get("i") == 0
        self.proj(brainx.math.logical_and(first, brainx.math.ones(3, dtype=bool)))


def test_each_synapse_delivers_after_its_own_delay(backend):
    with brainx.environ.context(precision=64):
        probe = _Probe(np.array([0.0, 0.2, 0.5, 0.1]))  # 0, 2, 5 and 1 steps
        g = brainx.Runner(probe, monitors={"g": probe.syn.g}).run(0.7)["g"]
    # by hand: post 0 gets 1 at step 0 and 1000 at step 1; post 1 gets 10 at 2, 100 at 5
    expected = np.array([[1, 0], [1001, 0], [1001, 10], [1001, 10], [1001, 10], [1001, 110],
                         [1001, 110]], dtype=np.float64)
    np.testing.assert_allclose(g, expected, rtol=1e-9)


def test_per_synapse_delays_are_checked():
    with pytest.raises(ValueError, match=r"delay must have one value per synapse of comm \(4\), "
                                         r"got shape \(3,\)"):
        _Probe(np.array([0.0, 0.1, 0.2]))
    with pytest.raises(ValueError, match="delay must be a non-negative number"):
        _Probe(np.array([0.0, -0.1, 0.2, 0.0]))
    with pytest.raises(TypeError, match="per-synapse delays need a sparse brainx.event layer"):
        brainx.nn.AlignPostProj(comm=lambda x: x, syn=brainx.nn.Expon(2), out=brainx.nn.CUBA(),
                                post=brainx.nn.LIF(2), delay=[0.1, 0.2])


def test_heterogeneous_coba_gives_identical_float64_rasters_on_both_backends():
    rasters = []
    with brainx.environ.context(precision=64):
        for name in ("jax", "numba"):
            with brainx.use_backend(name):
                net = HeterogeneousCOBA(400, seed=3)
                out = brainx.Runner(net, monitors={"spike": net.N.spike}).run(200.0)
                rasters.append(out["spike"])
    np.testing.assert_array_equal(rasters[0], rasters[1])
    rate = rasters[0].mean() / 0.1 * 1000.0
    assert 5.0 < rate < 60.0, rate  # an active, asynchronous network

