"""Saving a model's States to a file and loading them back, on any backend.

A checkpoint is a NumPy ``.npz`` archive: one array per State (per leaf of a State
holding a pytree), named by the State's path in the model (``'E.syn.g'``), and a JSON
record of what was saved (brainx's version, each array's dtype and shape, and any
``extra`` values such as a Runner's time). It holds no pickled objects, so it loads
on any machine and either backend: save on jax, load on numba.

Examples
--------
>>> import os, tempfile
>>> import brainx
>>> with brainx.use_backend('numba'):
...     neurons = brainx.nn.LIF(3)
...     _ = brainx.Runner(neurons).run(1.0, 30.0)
...     path = os.path.join(tempfile.mkdtemp(), 'lif.npz')
...     brainx.checkpoint.save(path, neurons)
...     fresh = brainx.nn.LIF(3)
...     _ = brainx.checkpoint.load(path, fresh)
...     bool((fresh.V.value == neurons.V.value).all())
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from brainx import _tree
from brainx._units import is_quantity
from brainx.backend import get_backend
from brainx.state import State

__all__ = ["save", "load", "read", "CheckpointError"]

_FORMAT = "brainx-checkpoint-1"
_META = "__brainx__"


class CheckpointError(ValueError):
    """A checkpoint does not fit the model it is loaded into, or is not a checkpoint."""


CheckpointError.__module__ = "brainx.checkpoint"


def _found(model: Any, filters: tuple) -> dict[str, State]:
    """The model's States by dotted path (those matching the first filter, if given)."""
    from brainx.graph import states

    if isinstance(model, Mapping):  # already {name: State}
        found = {str(k): v for k, v in model.items()}
        bad = [k for k, v in found.items() if not isinstance(v, State)]
        if bad:
            raise TypeError(f"model must be a brainx Module/Node or a dict of States; "
                            f"{bad[0]!r} is a {type(found[bad[0]]).__name__}")
        return found
    try:
        groups = states(model, *filters) if filters else states(model)
    except (TypeError, ValueError) as err:
        raise TypeError(f"model must be a brainx Module/Node (whose States brainx.graph "
                        f"finds) or a dict of States, got {type(model).__name__}: {err}") from None
    chosen = groups[0] if len(filters) > 1 else groups
    return {".".join(str(p) for p in path): state for path, state in chosen.items()}


def _leaves(name: str, state: State) -> list[tuple[str, np.ndarray]]:
    leaves, definition = _tree.flatten(state.value)
    out = []
    for position, leaf in enumerate(leaves):
        if is_quantity(leaf):
            raise TypeError(f"checkpoint: State {name!r} holds a brainunit Quantity; save its "
                            f"mantissa in the model's unit system instead (brainx's models "
                            f"keep plain numbers in mV, ms, ...)")
        backend = get_backend()
        array = np.asarray(backend.to_numpy(leaf) if backend.is_native(leaf) else leaf)
        if array.dtype == object:
            raise TypeError(f"checkpoint: State {name!r} holds a {type(leaf).__name__}, not an "
                            f"array or a number")
        out.append((name if definition.num_leaves == 1 else f"{name}#{position}", array))
    return out


def _npz(path: str | os.PathLike) -> str:
    """The file NumPy writes for ``path``: ``.npz`` added when missing."""
    path = os.fspath(path)
    return path if path.endswith(".npz") else path + ".npz"


def save(path: str | os.PathLike, model: Any, *filters: Any,
         extra: Mapping[str, Any] | None = None) -> None:
    """Write the States of ``model`` to ``path`` (an ``.npz`` file).

    Parameters
    ----------
    path : str or path
        The file to write (``.npz`` is added when missing); it is replaced whole, so a
        crash while writing leaves the previous checkpoint.
    model : Module, Node or dict of States
        Whose States to save; each is named by its path in the model.
    *filters : type or callable
        Save only the States matching the first filter (``brainx.ParamState``, a
        predicate ``(path, state) -> bool``); see :func:`brainx.graph.states`.
    extra : dict, optional
        JSON-serialisable values stored beside the States (a Runner stores its time
        and step), returned by :func:`load` and :func:`read`.

    Examples
    --------
    >>> import os, tempfile
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     neurons = brainx.nn.LIF(2)
    ...     path = os.path.join(tempfile.mkdtemp(), 'params.npz')
    ...     brainx.checkpoint.save(path, neurons, extra={'note': 'initial'})
    ...     sorted(brainx.checkpoint.read(path)[0])
    ['V', 'spike']
    """
    found = _found(model, filters)
    arrays: dict[str, np.ndarray] = {}
    described = {}
    for name, state in found.items():
        for key, array in _leaves(name, state):
            arrays[key] = array
            described[key] = {"dtype": array.dtype.str, "shape": list(array.shape),
                              "type": type(state).__name__}
    from brainx import __version__

    meta = {"format": _FORMAT, "brainx": __version__, "states": described,
            "extra": dict(extra or {})}
    try:
        text = json.dumps(meta)
    except TypeError as err:
        raise TypeError(f"extra must hold JSON values (numbers, strings, lists, dicts): {err}"
                        ) from None
    arrays[_META] = np.array(text)
    path = _npz(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"checkpoint.save: the folder {folder!r} does not exist")
    partial = f"{path}.{os.getpid()}.tmp.npz"  # a crash while writing leaves the old file
    np.savez(partial, **arrays)
    os.replace(partial, path)


def read(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """``({name: array}, extra)``: a checkpoint's arrays as NumPy arrays, and its extras.

    Examples
    --------
    >>> import os, tempfile
    >>> import brainx
    >>> path = os.path.join(tempfile.mkdtemp(), 'w.npz')
    >>> brainx.checkpoint.save(path, {'w': brainx.ParamState(np.ones(2))}, extra={'t': 5.0})
    >>> arrays, extra = brainx.checkpoint.read(path)
    >>> arrays['w'].tolist(), extra
    ([1.0, 1.0], {'t': 5.0})
    """
    path = _npz(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise CheckpointError(f"{os.fspath(path)!r} is not a brainx checkpoint (.npz): "
                              f"{err}") from None
    with archive:
        if _META not in archive.files:
            raise CheckpointError(f"{os.fspath(path)!r} is an .npz file but not a brainx "
                                  f"checkpoint (it has no {_META!r} record)")
        meta = json.loads(str(archive[_META]))
        if meta.get("format") != _FORMAT:
            raise CheckpointError(f"{os.fspath(path)!r} has checkpoint format "
                                  f"{meta.get('format')!r}; this brainx reads {_FORMAT!r}")
        arrays = {k: archive[k] for k in archive.files if k != _META}
    return arrays, meta["extra"]


def load(path: str | os.PathLike, model: Any, *filters: Any,
         strict: bool = True) -> dict[str, Any]:
    """Assign the States of ``model`` the values saved in ``path``; returns the extras.

    Every State of ``model`` (matching the first filter, if given) must be in the file
    with the same shape and dtype, and, with ``strict``, every array of the file must
    belong to one of them. A State holding an array of the active backend gets one of
    that backend; one holding a NumPy array (or another backend's, such as a model
    built under jax and loaded under numba) gets a NumPy array.

    Examples
    --------
    >>> import os, tempfile
    >>> import brainx
    >>> path = os.path.join(tempfile.mkdtemp(), 'w.npz')
    >>> brainx.checkpoint.save(path, {'w': brainx.ParamState(np.full(2, 3.0))})
    >>> w = brainx.ParamState(np.zeros(2))
    >>> brainx.checkpoint.load(path, {'w': w})
    {}
    >>> w.value.tolist()
    [3.0, 3.0]
    """
    arrays, extra = read(path)
    found = _found(model, filters)
    used: set[str] = set()
    updates = []
    backend = get_backend()
    for name, state in found.items():
        leaves, definition = _tree.flatten(state.value)
        new_leaves = []
        for leaf, (key, current) in zip(leaves, _leaves(name, state), strict=True):
            if key not in arrays:
                raise CheckpointError(f"checkpoint {os.fspath(path)!r} has no State {key!r} "
                                      f"(it has {sorted(arrays)[:8]})")
            saved = arrays[key]
            if saved.shape != current.shape or saved.dtype != current.dtype:
                raise CheckpointError(
                    f"State {key!r}: the checkpoint holds {saved.dtype}{list(saved.shape)}, "
                    f"the model {current.dtype}{list(current.shape)}")
            used.add(key)
            if getattr(leaf, "shape", None) is None:  # a Python number stays a number
                new_leaves.append(saved.item())
            elif backend.is_native(leaf) and not backend.is_tracer(leaf):
                new_leaves.append(backend.asarray(saved, dtype=saved.dtype))
            else:  # a NumPy array (what numba computes with) stays one
                new_leaves.append(saved)
        updates.append((state, definition, new_leaves))
    unused = sorted(set(arrays) - used)
    if strict and unused:
        raise CheckpointError(f"checkpoint {os.fspath(path)!r} holds States the model does "
                              f"not have: {unused[:8]} (load with strict=False to ignore them)")
    for state, definition, new_leaves in updates:
        state.value = _tree.unflatten(definition, new_leaves)
    return extra
