"""Progress bars for loops, on every backend (a host callback on compiling ones)."""

from __future__ import annotations

from typing import Any

__all__ = ["ProgressBar", "advance"]


class ProgressBar:
    """A tqdm progress bar for :func:`brainx.compile.for_loop` and ``scan``.

    Parameters
    ----------
    freq : int, optional
        Update the bar every ``freq`` steps (default: about 100 updates per loop).
    desc : str, optional
        Text shown before the bar.
    count : int, optional
        Update the bar ``count`` times in all (instead of ``freq``).
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

    def __init__(self, freq: int | None = None, desc: str | None = None,
                 count: int | None = None, **kwargs: Any):
        for name, value in (("freq", freq), ("count", count)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if freq is not None and count is not None:
            raise ValueError(f"give freq or count, not both (got freq={freq}, count={count})")
        self.freq = freq
        self.count = count
        self.desc = desc
        self.kwargs = kwargs
        self._bar: Any = None
        self._done = 0
        self._total = 0

    def prepare(self, total: int) -> int:
        """Plan a loop of ``total`` steps without opening the bar (a compiled loop opens it
        at its first update, on the host, each time it runs); return the update period."""
        if self.count is not None and self.count > total:
            raise ValueError(f"ProgressBar(count={self.count}) needs at least {self.count} "
                             f"steps; the loop has {total}")
        self._total = total
        if self.count is not None:
            return total // self.count
        return self.freq or max(1, total // 100)

    def start(self, total: int) -> int:
        """Open the bar for ``total`` steps; return the update period in steps."""
        period = self.prepare(total)
        self._open()
        return period

    def _open(self) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(total=self._total, desc=self.desc, **self.kwargs)
        self._done = 0

    def update(self, step: Any) -> None:
        """Move the bar to ``step + 1`` completed steps (called from the host), opening it
        at a run's first update and closing it at its last step."""
        done = int(step) + 1
        if self._bar is None:
            self._open()
        if done > self._done:
            advance(self._bar, done - self._done)
            self._done = done
        if done >= self._total:
            self.close()

    def close(self) -> None:
        """Fill the bar to its total and close it (drawing the finished bar once)."""
        if self._bar is not None:
            if self._done < self._bar.total:
                advance(self._bar, self._bar.total - self._done)
            self._bar.close()
            self._bar = None


def advance(bar: Any, steps: int) -> None:
    """Add ``steps`` to the tqdm ``bar``; the step that completes it is not drawn, since
    ``bar.close()`` draws the finished bar (``bar.update`` would draw it a second time).

    Examples
    --------
    >>> import io
    >>> from tqdm import tqdm
    >>> out = io.StringIO()
    >>> bar = tqdm(total=4, file=out, mininterval=0)
    >>> advance(bar, 2); advance(bar, 2); bar.close()
    >>> out.getvalue().count('4/4')
    1
    """
    if bar.total is None or bar.n + steps < bar.total:
        bar.update(steps)
    else:
        bar.n += steps  # drawn by close()


def as_progress_bar(progress_bar: bool | ProgressBar | None,
                    pbar: ProgressBar | int | None = None) -> ProgressBar | None:
    """The bar asked for by ``progress_bar=`` (brainx) or ``pbar=`` (brainstate)."""
    if pbar is not None:
        if progress_bar not in (None, False):
            raise TypeError("give pbar= or progress_bar=, not both")
        if isinstance(pbar, bool) or not isinstance(pbar, (int, ProgressBar)):
            raise TypeError(f"pbar must be a brainx.compile.ProgressBar or an int (update "
                            f"every that many steps), got {pbar!r}")
        return pbar if isinstance(pbar, ProgressBar) else ProgressBar(freq=pbar)
    if progress_bar is None or progress_bar is False:
        return None
    if progress_bar is True:
        return ProgressBar()
    if isinstance(progress_bar, ProgressBar):
        return progress_bar
    raise TypeError(f"progress_bar must be a bool or a brainx.compile.ProgressBar, "
                    f"got {progress_bar!r}")
