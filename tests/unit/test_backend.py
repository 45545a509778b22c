"""Backend discovery, selection precedence, capabilities and plugin validation."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import brainx
from brainx.backend import Backend, _registry


def test_available_backends_are_registered():
    assert set(brainx.available_backends()) <= set(brainx.backend.registered_backends())
    assert {"jax", "numba"} <= set(brainx.backend.registered_backends())


def test_default_prefers_jax():
    expected = "jax" if "jax" in brainx.available_backends() else "numba"
    if os.environ.get("BRAINX_BACKEND"):
        pytest.skip("BRAINX_BACKEND is set")
    assert brainx.get_backend().name == expected


def test_backend_object_describes_itself(backend):
    assert backend.name in brainx.available_backends()
    assert isinstance(backend.version, str) and backend.version
    assert isinstance(backend.capabilities, frozenset)
    assert set(backend.capabilities) <= set(brainx.backend.KNOWN_CAPABILITIES)
    assert backend.devices()
    assert backend.name in repr(backend)


def test_precedence_explicit_then_context_then_global():
    names = brainx.available_backends()
    if len(names) < 2:
        pytest.skip("needs two backends")
    first, second = names
    brainx.set_backend(first)
    assert brainx.get_backend().name == first
    with brainx.use_backend(second):
        assert brainx.get_backend().name == second
        assert brainx.get_backend(first).name == first
        with brainx.use_backend(first):
            assert brainx.get_backend().name == first
        assert brainx.get_backend().name == second
    assert brainx.get_backend().name == first


def test_environment_variable_selects_the_default():
    env = dict(os.environ, BRAINX_BACKEND="numba")
    out = subprocess.run([sys.executable, "-c", "import brainx; print(brainx.get_backend().name)"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.stdout.strip() == "numba", out.stderr
    env["BRAINX_BACKEND"] = "nope"
    out = subprocess.run([sys.executable, "-c", "import brainx; brainx.get_backend()"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode != 0 and "BRAINX_BACKEND='nope'" in out.stderr


def test_unknown_backend_lists_installed_ones():
    with pytest.raises(ValueError, match="unknown backend 'torch'.*installed backends: "):
        brainx.set_backend("torch")
    with pytest.raises(TypeError, match="backend name"):
        brainx.set_backend(3)


def test_missing_capability_names_a_backend_that_has_it():
    if not {"jax", "numba"} <= set(brainx.available_backends()):
        pytest.skip("needs both backends")
    with pytest.raises(brainx.BackendCapabilityError, match="'numba' lacks capability 'grad'.*jax"):
        brainx.get_backend("numba").require("grad")
    brainx.get_backend("jax").require("grad")
    with pytest.raises(brainx.BackendCapabilityError, match="No installed backend"):
        brainx.get_backend("numba").require("quantum")


def test_numba_refuses_gpu_platform():
    if "numba" not in brainx.available_backends():
        pytest.skip("numba missing")
    with pytest.raises(brainx.BackendCapabilityError, match="'gpu'"):
        brainx.get_backend("numba").set_platform("gpu")


class _Incomplete(Backend):
    name = "incomplete"
    version = "0"
    numpy = type("ns", (), {"linalg": object()})()
    asarray = to_numpy = is_native = jit = scan = while_loop = cond = switch = threefry2x32 = \
        staticmethod(lambda *a, **k: None)


def test_plugin_missing_math_names_is_rejected(monkeypatch):
    monkeypatch.setattr(_registry, "_classes", {"incomplete": _Incomplete})
    with pytest.raises(TypeError, match="does not provide these brainx.math names: array"):
        brainx.get_backend("incomplete")


def test_broken_plugin_is_warned_about_and_skipped(monkeypatch):
    class BrokenEntryPoint:
        name, value = "broken", "nowhere:Backend"

        def load(self):
            raise ImportError("no module named nowhere")

    class NotABackend:
        name, value = "odd", "builtins:int"

        def load(self):
            return int

    monkeypatch.setattr(_registry, "_classes", None)
    monkeypatch.setattr(_registry, "entry_points",
                        lambda group: [BrokenEntryPoint(), NotABackend()])
    with pytest.warns(RuntimeWarning) as record:
        assert _registry._discover() == {}
    messages = " ".join(str(w.message) for w in record)
    assert "'broken'" in messages and "'odd'" in messages
    monkeypatch.setattr(_registry, "_classes", None)
