"""Ctrl-C during a run: stop at the next point where the run is consistent."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any


class DeferredInterrupt:
    """Within the block the first Ctrl-C (SIGINT) only sets :attr:`requested`; a second
    raises ``KeyboardInterrupt`` at once.

    The handler is installed only in the main thread and only when SIGINT has Python's
    default handler (so a handler the program installed itself is left alone).

    Examples
    --------
    >>> with DeferredInterrupt("stopping after this step") as interrupt:
    ...     interrupt.requested
    False
    """

    def __init__(self, notice: str):
        self.notice = notice
        self.requested = False
        self._previous: Any = None

    def __enter__(self) -> DeferredInterrupt:
        self.requested = False
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print(f"\nbrainx: interrupted; {self.notice} (press Ctrl-C again to stop at once)",
              file=sys.stderr, flush=True)

    def __exit__(self, *exc: Any) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
