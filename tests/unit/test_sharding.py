"""jax across devices: a network sharded over 4 CPU devices fires as on one device."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

import brainx

pytest.importorskip("jax")

_SCRIPT = textwrap.dedent("""
    import json
    import numpy as np
    import brainx
    from brainx.examples.coba import COBANetwork

    brainx.set_backend('jax')
    brainx.environ.set(precision=64)
    runs = {}
    for devices in (None, 4):
        brainx.environ.set(devices=devices)
        net = COBANetwork(400, seed=0)
        runner = brainx.Runner(net, monitors={'spike': net.N.spike, 'V': net.N.V})
        runs[devices] = runner.run(40.0)
        placed = len(net.N.V.value.sharding.device_set)
    # a layer built while devices are set is split among them at once
    from brainx_jax.kernels import sharded
    before = len(sharded._CACHE)
    brainx.event.FixedProb(400, 400, 0.1, 0.5, seed=7)
    prepared = len(sharded._CACHE) - before
    # layers with one weight and with a weight per synapse, single and batched events,
    # built on one device: split at their first call on four
    brainx.environ.set(devices=None)
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 12, 300)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    sorted_rows = np.concatenate([np.sort(rng.integers(0, 200, c)) for c in counts])
    layers = [brainx.event.CSRLinear(300, 200, indptr, sorted_rows, 0.7),
              brainx.event.CSRLinear(300, 200, indptr, sorted_rows,
                                     rng.normal(size=len(sorted_rows)))]
    spikes = (rng.random(300) < 0.3, rng.random((3, 300)) < 0.3)
    products, held = {}, {}
    for devices in (None, 4):
        brainx.environ.set(devices=devices)
        step = brainx.compile.jit(lambda e: [layer(e) for layer in layers])
        products[devices] = [np.asarray(x) for events in spikes for x in step(events)]
        held[devices] = [layer.nbytes for layer in layers]
    # gradients of the split product: its derivative rules use the layer's own arrays
    values, target = rng.random(300), rng.normal(size=200)
    weights = np.asarray(layers[1].weight.value)
    grads = {}
    for devices in (None, 4):
        brainx.environ.set(devices=devices)
        grads[devices] = []
        for mode in ('vjp', 'jvp'):
            layer = brainx.event.CSRLinear(300, 200, indptr, sorted_rows, weights,
                                           grad_mode=mode)
            loss = lambda x: brainx.math.sum((layer(x) - target) ** 2)
            by_weight = brainx.augment.grad(loss, layer.weight)(values)
            by_events = brainx.augment.grad(loss, argnums=0)(values)
            grads[devices] += [np.asarray(by_weight), np.asarray(by_events)]
    dense = np.zeros((300, 200))
    rows = np.repeat(np.arange(300), counts)
    np.add.at(dense, (rows, sorted_rows), np.asarray(layers[1].weight.value))
    error_vs_dense = float(np.abs(products[4][1] - spikes[0] @ dense).max())
    split_layers = len(sharded._CACHE)
    try:
        brainx.environ.set(devices=8)
        brainx.Runner(COBANetwork(400, seed=0)).run(1.0)
        error = ''
    except (ValueError, brainx.RunError) as err:
        error = str(err)
    print(json.dumps({
        'spikes': int(runs[None]['spike'].sum()),
        'same_raster': bool(np.array_equal(runs[None]['spike'], runs[4]['spike'])),
        'same_V': bool(np.array_equal(runs[None]['V'], runs[4]['V'])),
        'devices_holding_V': placed, 'error': error, 'split_layers': split_layers,
        'error_vs_dense': error_vs_dense, 'held': [held[None], held[4]],
        'synapses': int(len(sorted_rows)), 'prepared': prepared,
        'same_grads': all(np.allclose(a, b, rtol=1e-12, atol=1e-12)
                          for a, b in zip(grads[None], grads[4])),
        'grad_error_vs_dense': float(np.abs(grads[4][3] - dense @ (2 * (
            values @ dense - target))).max()),
        'same_products': all(a.tobytes() == b.tobytes()
                             for a, b in zip(products[None], products[4]))}))
""")


def test_coba_sharded_over_four_cpu_devices_gives_the_raster_of_one():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4")
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["spikes"] > 50
    assert result["devices_holding_V"] == 4
    assert result["same_raster"] and result["same_V"]
    assert result["same_products"] and result["split_layers"] >= 2  # each device its part
    assert result["prepared"] == 1
    assert result["error_vs_dense"] < 1e-12
    assert result["same_grads"] and result["grad_error_vs_dense"] < 1e-10
    # nbytes counts the split: per local slot a postsynaptic index (4 bytes) and, with a
    # weight per synapse, the synapse's index (4 more); slots are padded to the longest
    # device's count (at most twice the mean here) and to a multiple of 16, plus 4 row
    # pointers per device and row
    one, four = result["held"]
    n = result["synapses"]
    for extra, per_slot in zip([b - a for a, b in zip(one, four, strict=True)], (4, 8),
                               strict=True):
        assert per_slot * n <= extra <= 2 * per_slot * n + 4 * 4 * 301 + 4 * 15 * per_slot
    assert "devices=8" in result["error"] and "xla_force_host_platform_device_count" \
        in result["error"]


@pytest.mark.parametrize("value", [0, -1, True, "some", []])
def test_bad_device_choices_are_refused(value):
    with pytest.raises(ValueError, match="devices must be"):
        brainx.environ.set(devices=value)


def test_one_device_means_no_sharding():
    assert brainx.environ._check_devices(1) is None
    assert brainx.environ._check_devices("4") == 4
    assert brainx.environ._check_devices("all") == "all"


_HOST = textwrap.dedent("""
    import json, os, sys
    process, port = int(sys.argv[1]), sys.argv[2]
    import brainx
    brainx.set_backend('jax')  # before jax starts: brainx's options for it
    import jax
    if process >= 0:  # one of two processes ("hosts") with two CPU devices each
        jax.config.update('jax_cpu_collectives_implementation', 'gloo')
        jax.distributed.initialize(coordinator_address='127.0.0.1:' + port,
                                   num_processes=2, process_id=process)
    import numpy as np
    from jax.experimental import multihost_utils
    from brainx.examples.coba import COBANetwork
    brainx.environ.set(precision=64, devices='all' if process >= 0 else None)
    net = COBANetwork(400, seed=0)
    brainx.Runner(net).run(20.0)
    V = multihost_utils.process_allgather(net.N.V.value, tiled=True)
    print(json.dumps({'devices': len(jax.devices()), 'V': np.asarray(V).tolist()}))
""")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_processes_with_two_devices_each_compute_what_one_device_does():
    port = str(_free_port())
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2")
    hosts = [subprocess.Popen([sys.executable, "-c", _HOST, str(k), port], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in (0, 1)]
    single = subprocess.run([sys.executable, "-c", _HOST, "-1", port], capture_output=True,
                            text=True, env=dict(os.environ), timeout=300)
    outputs = [host.communicate(timeout=300) for host in hosts]
    assert single.returncode == 0, single.stderr[-2000:]
    for host, (_, err) in zip(hosts, outputs, strict=True):
        assert host.returncode == 0, err[-2000:]
    one = json.loads(single.stdout.strip().splitlines()[-1])
    for out, _ in outputs:
        got = json.loads(out.strip().splitlines()[-1])
        assert got["devices"] == 4 and one["devices"] == 1
        assert got["V"] == one["V"]  # float64, bit for bit
