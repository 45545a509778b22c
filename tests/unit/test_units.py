"""Physical units (brainunit Quantities) at brainx's boundaries, against hand conversions."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import brainx
import brainx.math as bm
from brainx._units import to_canonical

u = pytest.importorskip("brainunit")


@pytest.mark.parametrize("quantity,expected,dimension", [
    (20.0 * u.ms, 20.0, "time"), (0.02 * u.second, 20.0, "time"), (50.0 * u.us, 0.05, "time"),
    (-60.0 * u.mV, -60.0, "voltage"), (0.01 * u.volt, 10.0, "voltage"),
    (20.0 * u.mA, 20.0, "current"), (3.0 * u.uA, 0.003, "current"),
    (0.6 * u.mS, 0.0006, "conductance"), (2.0 * u.siemens, 2.0, "conductance"),
    (1.0 * u.ohm, 1.0, "resistance"), (1.0 * u.kohm, 1000.0, "resistance"),
    (200.0 * u.pF, 2e-7, "capacitance"),
])
def test_quantities_become_numbers_in_mv_ms_ma(quantity, expected, dimension):
    # by hand: siemens = mA/mV, ohm = mV/mA, millifarad = mA ms / mV
    assert to_canonical(quantity, dimension, "x") == pytest.approx(expected, rel=1e-12)


def test_units_that_are_already_brainx_units_convert_exactly():
    for q, value in [(20.0 * u.ms, 20.0), (-60.0 * u.mV, -60.0), (20.0 * u.mA, 20.0),
                     (0.6 * u.siemens, 0.6)]:
        assert to_canonical(q) == value  # bit for bit: a factor of exactly 1


def test_a_wrong_dimension_names_the_parameter_and_both_units():
    with pytest.raises(ValueError, match=r"tau must be a time in ms, got 2\. mV \(a voltage"):
        to_canonical(2.0 * u.mV, "time", "tau")
    with pytest.raises(ValueError, match="dt must be a time in ms"):
        brainx.environ.set(dt=0.1 * u.mV)
    with pytest.raises(ValueError, match="dt must be a positive"):
        brainx.environ.set(dt=-0.1 * u.ms)


def test_plain_numbers_pass_through():
    assert to_canonical(0.5, "time", "tau") == 0.5
    x = np.ones(3)
    assert to_canonical(x) is x


def test_dt_as_a_quantity():
    with brainx.environ.context(dt=0.05 * u.ms):
        assert brainx.environ.get_dt() == 0.05 * u.ms  # returned as set (brainstate)
        assert brainx.environ.dt_value() == 0.05
    assert brainx.environ.dt_value() == 0.1


def test_initialisers_with_a_unit_give_quantities_with_the_same_numbers(backend):
    plain = brainx.init.Normal(-55.0, 2.0, seed=3)((50,))
    with_unit = brainx.init.Normal(-55.0, 2.0, seed=3, unit=u.mV)((50,))
    assert u.get_unit(with_unit) == u.mV
    np.testing.assert_array_equal(np.asarray(with_unit.to_decimal(u.mV)), np.asarray(plain))
    constant = brainx.init.param(brainx.init.Constant(-60.0 * u.mV), (3,))
    np.testing.assert_array_equal(np.asarray(constant.to_decimal(u.mV)), [-60.0] * 3)


def test_event_weights_as_quantities(backend):
    layer = brainx.event.FixedProb(20, 10, 0.3, 0.6 * u.mS, seed=0)
    assert float(layer.weight.value) == np.float32(0.0006)  # precision 32
    plain = brainx.event.FixedProb(20, 10, 0.3, 0.0006, seed=0)
    spikes = bm.asarray(np.arange(20) % 3 == 0)
    np.testing.assert_array_equal(np.asarray(layer(spikes)), np.asarray(plain(spikes)))


def test_loops_over_quantities_and_states_holding_quantities(backend):
    v = brainx.State(bm.zeros(2) * u.mV)

    def step(t):
        v.value = v.value + 1.0 * u.mV
        return v.value, t * 2

    with brainx.environ.context(dt=0.1 * u.ms):
        times = u.math.arange(0.0 * u.ms, 1.0 * u.ms, brainx.environ.get_dt())
        vs, doubled = brainx.compile.for_loop(step, times)
    assert u.get_unit(vs) == u.mV and u.get_unit(doubled) == u.ms
    np.testing.assert_allclose(np.asarray(vs.to_decimal(u.mV))[:, 0], np.arange(1, 11))
    np.testing.assert_allclose(np.asarray(doubled.to_decimal(u.ms)), 0.2 * np.arange(10),
                               rtol=1e-6)
    np.testing.assert_allclose(np.asarray(v.value.to_decimal(u.mV)), [10.0, 10.0])


def test_import_brainx_does_not_import_brainunit():
    code = "import sys, brainx; print('brainunit' in sys.modules, 'jax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "False False", out.stderr


def test_unit_aware_coba_gives_the_unitless_raster(backend):
    from brainx.examples.coba import COBANetwork

    rasters = []
    for units in (False, True):
        net = COBANetwork(800, seed=0, units=units)
        runner = brainx.Runner(net, monitors={"spike": net.N.spike})
        rasters.append(np.asarray(runner.run(100.0)["spike"]))
    assert rasters[0].sum() > 100
    np.testing.assert_array_equal(rasters[0], rasters[1])


def test_model_parameters_take_quantities_and_refuse_wrong_units(backend):
    with_units = brainx.nn.LIF(3, tau=20.0 * u.ms, V_rest=-60.0 * u.mV, V_reset=-60.0 * u.mV,
                               V_th=-50.0 * u.mV, R=1.0 * u.ohm)
    plain = brainx.nn.LIF(3, tau=20.0, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, R=1.0)
    for _ in range(50):
        with_units(20.0 * u.mA)
        plain(20.0)
    np.testing.assert_array_equal(np.asarray(with_units.V.value), np.asarray(plain.V.value))
    with pytest.raises(ValueError, match=r"tau must be a time in ms, got 20\. mV"):
        brainx.nn.LIF(3, tau=20.0 * u.mV)
    with pytest.raises(ValueError, match="V_th must be a voltage in mV"):
        brainx.nn.LIF(3, V_th=1.0 * u.ms)
    with pytest.raises(ValueError, match="the input current must be a current in mA"):
        plain(1.0 * u.mV)
    with pytest.raises(ValueError, match="E must be a voltage in mV"):
        brainx.nn.COBA(E=0.0 * u.ms)
    assert brainx.nn.Expon(2, tau=0.005 * u.second).tau == 5.0
    assert brainx.nn.LIFRef(2, tau_ref=2.0 * u.ms).tau_ref == 2.0
    assert brainx.nn.CUBA(scale=u.volt).scale == 1000.0


def test_cuba_default_scale_follows_the_weights_units(backend):
    # brainstate: CUBA's default scale is 1 volt, so 0.1 mS of conductance gives 0.1 mA
    post = brainx.nn.LIF(3, V_rest=0.0, V_th=1e9, tau=1e9)
    ones = np.ones(4, dtype=bool)

    def current(weight, out):
        proj = brainx.nn.AlignPostProj(comm=brainx.event.Linear(4, 3, weight),
                                       syn=brainx.nn.Expon(3, tau=5.0), out=out, post=post)
        brainx.nn.init_all_states(proj)
        with brainx.environ.context(t=0.0):
            g = proj(ones)
        return np.asarray(proj.out(g, 0.0))

    # 4 spikes x 0.1 mS = 0.4 mS (0.0004 S) times 1 V (1000 mV) = 0.4 mA
    np.testing.assert_allclose(current(0.1 * u.mS, brainx.nn.CUBA()), np.full(3, 0.4), rtol=1e-6)
    np.testing.assert_allclose(current(0.1, brainx.nn.CUBA()), np.full(3, 0.4), rtol=1e-6)
    np.testing.assert_allclose(current(0.1 * u.mS, brainx.nn.CUBA(scale=1.0 * u.mV)),
                               np.full(3, 0.0004), rtol=1e-6)
    shared = brainx.nn.CUBA()
    current(0.1 * u.mS, shared)
    with pytest.raises(ValueError, match="weights have different units.*give scale="):
        current(0.1, shared)
