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
    try:
        brainx.environ.set(devices=8)
        COBANetwork(400, seed=0)
        brainx.Runner(COBANetwork(400, seed=0)).run(1.0)
        error = ''
    except (ValueError, brainx.RunError) as err:
        error = str(err)
    print(json.dumps({
        'spikes': int(runs[None]['spike'].sum()),
        'same_raster': bool(np.array_equal(runs[None]['spike'], runs[4]['spike'])),
        'same_V': bool(np.array_equal(runs[None]['V'], runs[4]['V'])),
        'devices_holding_V': placed, 'error': error}))
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
