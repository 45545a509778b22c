"""Loading a user's model factory from ``path/to/file.py:function`` (for the command line)."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["load_factory", "load_function", "build", "spike_states"]


def load_factory(spec: str) -> Callable[..., Any]:
    """The function ``name`` defined in the Python file of ``"path/to/file.py:name"``."""
    path_text, sep, name = spec.rpartition(":")
    if not sep or not path_text.endswith(".py") or not name.isidentifier():
        raise ValueError(f"a model must be given as path/to/file.py:factory_function, got "
                         f"{spec!r}")
    path = Path(path_text)
    if not path.is_file():
        raise ValueError(f"model file {str(path)!r} does not exist")
    module_name = f"brainx_user_model_{abs(hash(str(path.resolve())))}"
    loader_spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(loader_spec)
    sys.modules[module_name] = module
    sys.path.insert(0, str(path.resolve().parent))
    try:
        loader_spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.resolve().parent))
    factory = getattr(module, name, None)
    if not callable(factory):
        defined = sorted(k for k, v in vars(module).items()
                         if callable(v) and getattr(v, "__module__", None) == module_name)
        raise ValueError(f"{str(path)!r} defines no function {name!r}; it defines: "
                         f"{', '.join(defined) or 'nothing callable'}")
    return factory


def load_function(spec: str, name: str) -> Callable[..., Any]:
    """The function ``name`` from the file of ``spec`` (``path/to/file.py:anything``)."""
    path_text = spec.rpartition(":")[0]
    return load_factory(f"{path_text}:{name}")


def build(factory: Callable[..., Any], size: int | None = None) -> Any:
    """Call ``factory`` (with ``size=`` when it takes one and a size is given)."""
    takes_size = "size" in inspect.signature(factory).parameters
    model = factory(size=size) if takes_size and size is not None else factory()
    if not hasattr(model, "update"):
        raise ValueError(f"the factory must return a model with an update() method, got "
                         f"{type(model).__name__}")
    return model


def spike_states(model: Any) -> dict[str, Any]:
    """Every State of ``model`` named ``spike``, keyed by its dotted path."""
    from brainx.graph import states

    return {".".join(map(str, path)): state for path, state in states(model).items()
            if path and path[-1] == "spike"}
