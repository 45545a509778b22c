"""Progress bars for loops, on every backend (a host callback on compiling ones)."""

from __future__ import annotations

from typing import Any

__all__ = ["ProgressBar"]


class ProgressBar:
    """A tqdm progress bar for :func:`brainx.compile.for_loop` and ``scan``.

    Parameters
    ----------
    freq : int, optional
        Update the bar every ``freq`` steps (default: about 100 updates per loop).
    desc : str, optional
        Text shown before the bar.
    **kwargs
        Passed to ``tqdm.tqdm``.

    Examples
    --------
    >>> import brainx
    >>> with brainx.use_backend('numba'):
    ...     out = brainx.compile.for_loop(lambda i: i * 2, brainx.math.arange(5),
    ...                                   progress_bar=brainx.compile.ProgressBar(disable=True))
    >>> out.tolist()
    [0, 2, 4, 6, 8]
    """

    def __init__(self, freq: int | None = None, desc: str | None = None, **kwargs: Any):
        if freq is not None and (not isinstance(freq, int) or freq < 1):
            raise ValueError(f"freq must be a positive int, got {freq!r}")
        self.freq = freq
        self.desc = desc
        self.kwargs = kwargs
        self._bar: Any = None
        self._done = 0

    def start(self, total: int) -> int:
        """Open the bar for ``total`` steps; return the update period in steps."""
        from tqdm.auto import tqdm

        self._bar = tqdm(total=total, desc=self.desc, **self.kwargs)
        self._done = 0
        return self.freq or max(1, total // 100)

    def update(self, step: Any) -> None:
        """Move the bar to ``step + 1`` completed steps (called from the host)."""
        done = int(step) + 1
        if self._bar is not None and done > self._done:
            self._bar.update(done - self._done)
            self._done = done

    def close(self) -> None:
        if self._bar is not None:
            if self._done < self._bar.total:
                self._bar.update(self._bar.total - self._done)
            self._bar.close()
            self._bar = None


def as_progress_bar(progress_bar: bool | ProgressBar | None) -> ProgressBar | None:
    if progress_bar is None or progress_bar is False:
        return None
    if progress_bar is True:
        return ProgressBar()
    if isinstance(progress_bar, ProgressBar):
        return progress_bar
    raise TypeError(f"progress_bar must be a bool or a brainx.compile.ProgressBar, "
                    f"got {progress_bar!r}")
