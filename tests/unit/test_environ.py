"""brainx.environ: values, contexts, validation, and precision on every backend."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import brainx
import brainx.math as bm
from brainx import environ


def test_defaults():
    assert environ.get_dt() == 0.1
    assert environ.get_precision() == 32
    assert environ.get_platform() == "cpu"
    assert isinstance(environ.get_mode(), brainx.modes.NonBatching)
    assert environ.dftype() == np.float32 and environ.ditype() == np.int32


def test_set_get_and_arbitrary_keys():
    environ.set(dt=0.05, t=3.0)
    assert environ.get_dt() == 0.05 and environ.get("t") == 3.0
    assert environ.all()["t"] == 3.0
    with pytest.raises(KeyError, match="'nothing' is not set"):
        environ.get("nothing")
    assert environ.get("nothing", default=1) == 1


def test_context_nests_and_restores():
    with environ.context(dt=0.01) as values:
        assert values["dt"] == 0.01
        with environ.context(dt=0.02, precision=64):
            assert environ.get_dt() == 0.02 and environ.dftype() == np.float64
        assert environ.get_dt() == 0.01 and environ.get_precision() == 32
    assert environ.get_dt() == 0.1


def test_context_restores_after_an_exception():
    with pytest.raises(RuntimeError):
        with environ.context(precision=64):
            raise RuntimeError("boom")
    assert environ.get_precision() == 32


@pytest.mark.parametrize("kwargs,message", [
    ({"dt": -0.1}, "dt must be a positive finite number.*-0.1"),
    ({"dt": "0.1"}, "dt must be a positive"),
    ({"precision": 8}, "precision must be 16 .*, 32 or 64.*8"),
    ({"precision": True}, "precision must be 16"),
])
def test_bad_values_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        environ.set(**kwargs)
    with pytest.raises(ValueError, match=message):
        with environ.context(**kwargs):
            pass


def test_platform_is_global_only():
    with pytest.raises(ValueError, match="platform must be one of.*'fpga'"):
        environ.set(platform="fpga")
    for platform in ("cpu", "gpu", "fpga"):  # brainstate refuses any platform in a context
        with pytest.raises(ValueError, match=r"cannot set platform in environ.context\(\)"):
            with environ.context(platform=platform):
                pass
    assert environ.get_platform() == "cpu"


def test_bad_mode_is_refused():
    with pytest.raises(TypeError, match="mode must be a brainx.modes.Mode"):
        environ.set(mode="batching")
    environ.set(mode=brainx.modes.Batching)
    assert environ.get_mode() == brainx.modes.Batching(1)


def test_precision_sets_the_default_dtype_on_the_backend(backend):
    assert bm.ones(2).dtype == np.float32
    environ.set(precision=64)
    assert bm.ones(2).dtype == np.float64
    assert (bm.ones(2) / 3).dtype == np.float64
    environ.set(precision=32)
    assert bm.ones(2).dtype == np.float32


def test_precision_64_keeps_float64_input(backend):
    x = np.arange(3, dtype=np.float64) / 3
    with environ.context(precision=64):
        out = bm.asarray(x)
        assert out.dtype == np.float64
        np.testing.assert_array_equal(np.asarray(out), x)
    out = bm.asarray(x)
    assert out.dtype == np.float32  # narrowed, as jax does without x64


def test_environment_variables_are_read_at_import():
    env = dict(os.environ, BRAINX_PRECISION="64", BRAINX_DT="0.025")
    code = "import brainx; print(brainx.environ.get_precision(), brainx.environ.get_dt())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.stdout.split() == ["64", "0.025"], out.stderr
    env["BRAINX_PRECISION"] = "8"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode != 0 and "BRAINX_PRECISION='8'" in out.stderr


def test_modes():
    assert brainx.modes.Training().is_a(brainx.modes.Batching)
    assert not brainx.modes.NonBatching().is_a(brainx.modes.Batching)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        brainx.modes.Batching(0)
