"""Shared fixtures: run a test on every installed backend, restore the environment."""

from __future__ import annotations

import os

# brainx's jax backend sets this before it imports jax (closed-over arrays become arguments
# of compiled programs, tests/unit/test_jax_constants.py); a test module that imports jax
# while pytest collects would import it first, so the suite sets it as the backend would
os.environ.setdefault("JAX_USE_SIMPLIFIED_JAXPR_CONSTANTS", "1")
# one numba thread (parallel programs take longer to compile); tests/unit/test_threads.py
# runs the kernels and compiled networks on several threads against one
os.environ.setdefault("BRAINX_THREADS", "1")

import pytest  # noqa: E402

import brainx

BACKENDS = brainx.available_backends()
# numba's compiled path compiles every model a test builds (a second or more each). The
# default run exercises the other tests eagerly; the compiled path is covered by the
# conformance suite's numba:compiled lane (every case, bit for bit against eager),
# tests/unit/test_numba_compile.py and the page on compilation. BRAINX_TEST_JIT=1 runs
# every test compiled.
_ALL_COMPILED = os.environ.get("BRAINX_TEST_JIT", "0") == "1"
_COMPILED = ("test_numba_compile.py", "numba_compilation.md")


@pytest.fixture(params=BACKENDS)
def backend(request):
    """The test body runs once per installed backend, with that backend active."""
    with brainx.use_backend(request.param) as active:
        yield active


@pytest.fixture(autouse=True)
def _clean_environment(request):
    """Each test starts and ends at precision 32, dt 0.1, the default backend, and with
    no other environment value (such as a time ``t``) left behind by another test."""
    from brainx import environ

    defaults = dict(environ._globals)
    compiled = _ALL_COMPILED or any(name in request.node.nodeid for name in _COMPILED)
    brainx.environ.set(precision=32, dt=0.1, mode=brainx.modes.NonBatching(), jit=compiled)
    yield
    brainx.environ.set(precision=32, dt=0.1, mode=brainx.modes.NonBatching(),
                       jit=defaults.get("jit", True))
    for key in set(environ._globals) - set(defaults) - {"precision", "dt", "mode", "platform"}:
        del environ._globals[key]
    brainx.set_backend(None)


def skip_without(backend, capability: str) -> None:
    """Skip the current test when ``backend`` lacks ``capability``."""
    if capability not in backend.capabilities:
        pytest.skip(f"backend {backend.name!r} lacks capability {capability!r}")


def both_backends() -> list[str]:
    """The installed backends, skipping the test unless at least two are installed."""
    if len(BACKENDS) < 2:
        pytest.skip("needs two installed backends to compare")
    return BACKENDS
