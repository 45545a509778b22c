"""Computing modes: how a model is run (single trial, batched, trained).

Examples
--------
>>> import brainx
>>> brainx.modes.Batching(batch_size=8)
Batching(batch_size=8)
>>> brainx.modes.Training().is_a(brainx.modes.Batching)
True
"""

from __future__ import annotations

__all__ = ["Mode", "NonBatching", "Batching", "Training"]


class Mode:
    """Base class of computing modes."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(vars(self).items()))))

    def is_a(self, mode: type[Mode]) -> bool:
        """Whether this mode is (a subclass of) ``mode``."""
        return isinstance(self, mode)

    def has(self, mode: type[Mode]) -> bool:
        """Whether this mode includes ``mode`` (brainstate's name for :meth:`is_a`)."""
        return isinstance(self, mode)


class NonBatching(Mode):
    """One trial at a time: States have no batch axis (the default)."""


class Batching(Mode):
    """Several trials at once: States get a leading batch axis of ``batch_size``."""

    def __init__(self, batch_size: int = 1):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        self.batch_size = batch_size

    def __repr__(self) -> str:
        return f"{type(self).__name__}(batch_size={self.batch_size})"


class Training(Batching):
    """Batched and differentiated: models keep what gradients need."""
