"""``bp.check``: BrainPy's argument checks.

Examples
--------
>>> import brainx.compat.brainpy as bp
>>> import brainx.compat.brainpy.math as bm
>>> bp.check.is_subclass(bm.NonBatchingMode(), bm.NonBatchingMode)
>>> bp.check.is_subclass(bm.TrainingMode(), bm.NonBatchingMode)
Traceback (most recent call last):
...
NotImplementedError: mode must be one of NonBatching, got Training(batch_size=1)
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_subclass"]


def is_subclass(instance: Any, supported_types: type | tuple[type, ...],
                name: str = "mode") -> None:
    """Raise unless ``instance`` is an instance (or subclass) of ``supported_types``."""
    types = supported_types if isinstance(supported_types, tuple) else (supported_types,)
    ok = issubclass(instance, types) if isinstance(instance, type) else isinstance(instance, types)
    if not ok:
        raise NotImplementedError(f"{name} must be one of "
                                  f"{', '.join(t.__name__ for t in types)}, got {instance!r}")
