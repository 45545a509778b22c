"""``bp.share``: BrainPy 2's shared arguments (``t``, ``i``, ``dt``, ...) on ``brainx.environ``.

``bp.share.save(t=..., i=...)`` writes into the innermost per-step frame of
``brainx.environ`` (the one ``brainx.Runner``, ``bp.DSRunner`` and ``bm.for_loop`` enter
for each step), or globally when no step is running; ``bp.share.load('t')`` reads
``brainx.environ.get('t')``, so brainx's own models (``LIFRef`` reads ``t``) see the
same values.

Examples
--------
>>> import brainx.compat.brainpy as bp
>>> bp.share.save(t=1.5, i=15)
>>> bp.share.load('t'), bp.share['i']
(1.5, 15)
>>> bp.share.clear_shargs('t', 'i')
>>> bp.share.load('t', 0.0)
0.0
"""

from __future__ import annotations

from typing import Any

from brainx import environ
from brainx.util import DotDict

__all__ = ["share"]

_MISSING = object()
_SHARED = ("t", "i", "dt", "fit")


class _Share:
    """The shared-argument store (``bp.share``)."""

    def save(self, *pairs: Any, **values: Any) -> None:
        """``save('t', 1.0, 'dt', 0.1)`` or ``save(t=1.0, dt=0.1)``."""
        if len(pairs) % 2:
            raise ValueError(f"share.save takes (key, value) pairs, got an odd number of "
                             f"positional arguments: {pairs!r}")
        for key, value in zip(pairs[::2], pairs[1::2], strict=True):
            if not isinstance(key, str):
                raise TypeError(f"share.save keys must be strings, got {key!r}")
            values[key] = value
        frames = environ._stack()
        if frames:
            frames[-1].update(values)
        elif values:
            environ.set(**values)

    def load(self, key: str, default: Any = _MISSING) -> Any:
        """The value saved under ``key`` (``'dt'``: the integration step in ms)."""
        if key == "dt":
            return environ.dt_value()
        if default is _MISSING:
            return environ.get(key, desc="a shared argument: bp.share.save(...) it first")
        return environ.get(key, default=default)

    def __getitem__(self, key: str) -> Any:
        return self.load(key)

    def get_shargs(self) -> DotDict:
        """The shared arguments that are set, as a dict with attribute access (``tdi``)."""
        found = {key: self.load(key, None) for key in _SHARED}
        return DotDict({k: v for k, v in found.items() if v is not None})

    def clear_shargs(self, *keys: str) -> None:
        """Forget ``keys`` (all shared arguments but ``dt`` when none are given)."""
        keys = keys or tuple(k for k in _SHARED if k != "dt")
        for frame in environ._stack():
            for key in keys:
                frame.pop(key, None)
        for key in keys:
            if key != "dt":
                environ._globals.pop(key, None)

    def clear(self) -> None:
        """Forget every shared argument but ``dt``."""
        self.clear_shargs()

    def __repr__(self) -> str:
        return f"share({dict(self.get_shargs())})"


share = _Share()
