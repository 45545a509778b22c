"""pytest integration: run a test once per installed brainx backend.

Enable it in your ``conftest.py``::

    pytest_plugins = ["brainx.testing.pytest_plugin"]

Then either ask for the ``brainx_backend`` fixture (the test runs once per
installed backend, with that backend active, and receives it), or mark a test
``@pytest.mark.every_backend`` (the same, without the argument). Restrict the
backends with ``@pytest.mark.every_backend("numba")``.

Examples
--------
A test file using it::

    import brainx

    def test_lif_fires(brainx_backend):
        neuron = brainx.nn.LIF(1)
        assert any(bool(neuron(30.0)[0]) for _ in range(300))
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from brainx.backend import available_backends, use_backend

MARKER = "every_backend"


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(*names): run the test once per installed brainx backend "
                   "(only those named, if any), with that backend active")


def pytest_generate_tests(metafunc: Any) -> None:
    marker = metafunc.definition.get_closest_marker(MARKER)
    if marker is None and "brainx_backend" not in metafunc.fixturenames:
        return
    names = available_backends()
    if marker is not None and marker.args:
        names = [n for n in names if n in marker.args]
    if "brainx_backend" not in metafunc.fixturenames:
        metafunc.fixturenames.append("brainx_backend")
    params = names or [pytest.param(None, marks=pytest.mark.skip(
        reason="none of the requested brainx backends is installed"))]
    metafunc.parametrize("brainx_backend", params, indirect=True)


@pytest.fixture
def brainx_backend(request: Any) -> Iterator[Any]:
    """The backend this run of the test uses (active for the test's duration)."""
    with use_backend(request.param) as backend:
        yield backend


@pytest.fixture(autouse=True)
def _brainx_every_backend(request: Any) -> Iterator[None]:
    """Activate the parametrised backend for marked tests that do not ask for it."""
    callspec = getattr(request.node, "callspec", None)
    name = callspec.params.get("brainx_backend") if callspec is not None else None
    if name is None or request.node.get_closest_marker(MARKER) is None:
        yield
        return
    with use_backend(name):
        yield
