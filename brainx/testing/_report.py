"""What a cross-backend comparison found, State by State."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from brainx.testing._ulp import ulp_distance

__all__ = ["StateDifference", "Report", "flush_subnormals"]


@dataclass
class StateDifference:
    """How one State (or one leaf of a State's value) differed between two backends.

    ``max_ulp``, ``max_abs`` and ``max_rel`` are maxima over the compared steps;
    ``worst_step`` / ``worst_index`` say where the largest ULP distance was, with
    the two values there. ``first_step`` / ``first_index`` are where the values
    first differed at all (None if they never did); for a spike State that is
    the first differing spike. ``steps_differing`` counts steps with any
    difference.
    """

    name: str
    dtype: str
    shape: tuple[int, ...]
    max_ulp: float = 0.0
    max_abs: float = 0.0
    max_rel: float = 0.0
    worst_step: int | None = None
    worst_index: tuple[int, ...] | None = None
    worst_values: tuple[Any, Any] | None = None
    first_step: int | None = None
    first_index: tuple[int, ...] | None = None
    first_values: tuple[Any, Any] | None = None
    steps_differing: int = 0
    subnormal_flushes: int = 0
    exceeded: bool = False
    exceeded_step: int | None = None
    exceeded_index: tuple[int, ...] | None = None

    @property
    def is_spike(self) -> bool:
        return self.dtype == "bool"

    @property
    def identical(self) -> bool:
        return self.first_step is None

    def update(self, step: int, ref: np.ndarray, other: np.ndarray, ulps: float,
               atol: float, rtol: float = 0.0) -> None:
        """Fold in one step's pair of values, or a block of steps: ``step`` then is a 1-D
        array of step numbers and the values have a matching leading axis."""
        differ = ref != other
        if ref.dtype.kind == "f":
            differ &= ~(np.isnan(ref) & np.isnan(other))
            if differ.any():
                flushed = differ & (flush_subnormals(ref) == flush_subnormals(other))
                self.subnormal_flushes += int(flushed.sum())
                differ &= ~flushed
        if not differ.any():
            return
        ulp = ulp_distance(ref, other)
        diff = np.abs(ref.astype(np.float64) - other.astype(np.float64)) \
            if ref.dtype.kind != "b" else differ.astype(np.float64)
        scale = np.maximum(np.abs(ref.astype(np.float64)), np.abs(other.astype(np.float64)))
        rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
        steps = np.atleast_1d(step)
        blocked = np.ndim(step) == 1
        per_step = differ.reshape(len(steps), -1).any(axis=1) if blocked else np.array([True])
        self.steps_differing += int(per_step.sum())
        if self.first_step is None:
            flat = int(np.flatnonzero(differ.reshape(-1))[0])
            index = np.unravel_index(flat, differ.shape)
            self.first_step = int(steps[index[0]]) if blocked else int(steps[0])
            self.first_index = tuple(int(i) for i in (index[1:] if blocked else index))
            self.first_values = (ref[index].item(), other[index].item())
        worst = int(np.argmax(ulp.reshape(-1)))
        if ulp.reshape(-1)[worst] > self.max_ulp:
            index = np.unravel_index(worst, ulp.shape)
            self.max_ulp = float(ulp[index])
            self.worst_step = int(steps[index[0]]) if blocked else int(steps[0])
            self.worst_index = tuple(int(i) for i in (index[1:] if blocked else index))
            self.worst_values = (ref[index].item(), other[index].item())
        self.max_abs = max(self.max_abs, float(diff.max()))
        self.max_rel = max(self.max_rel, float(rel.max()))
        bad = ulp > (0.0 if ref.dtype.kind in "biu" else ulps)
        if ref.dtype.kind == "f":
            bad &= diff > atol + rtol * np.abs(ref.astype(np.float64))
        if bad.any() and not self.exceeded:
            flat = int(np.flatnonzero(bad.reshape(-1))[0])
            index = np.unravel_index(flat, bad.shape)
            self.exceeded = True
            self.exceeded_step = int(steps[index[0]]) if blocked else int(steps[0])
            self.exceeded_index = tuple(int(i) for i in (index[1:] if blocked else index))


def flush_subnormals(x: np.ndarray) -> np.ndarray:
    """``x`` with its subnormal floats replaced by zeros of the same sign, as XLA:CPU
    computes them.

    Examples
    --------
    >>> import numpy as np
    >>> flush_subnormals(np.array([5e-324, -1e-310, 1e-300])).tolist()
    [0.0, -0.0, 1e-300]
    """
    tiny = np.finfo(x.dtype).tiny
    return np.where(np.abs(x) < tiny, np.copysign(np.zeros_like(x), x), x)


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    if x == float("inf"):
        return "inf"
    return f"{x:.3g}"


@dataclass
class Report:
    """The result of comparing one model on two backends.

    ``agree`` is True when every State stayed within the bound: float States
    within ``ulps`` units in the last place (or ``atol + rtol * |value|``), spike,
    integer and boolean States identical.
    """

    mode: str
    backends: tuple[str, str]
    precision: int
    steps: int
    ulps: float
    atol: float
    strict_numerics: bool
    states: list[StateDifference]
    rtol: float = 0.0
    #: lockstep with ``keep_divergent_step``: the States just before the first step that
    #: exceeded the bound, with its step, time and inputs (for :func:`debug_step`)
    divergent_step: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def agree(self) -> bool:
        return not any(s.exceeded for s in self.states)

    @property
    def failures(self) -> list[StateDifference]:
        return [s for s in self.states if s.exceeded]

    @property
    def first_divergence(self) -> StateDifference | None:
        """The State whose bound was exceeded first (earliest step), or None."""
        failing = self.failures
        return min(failing, key=lambda s: (s.exceeded_step, s.name)) if failing else None

    def table(self) -> str:
        """The report as text: one row per State, then a verdict."""
        ref, other = self.backends
        lines = [
            f"{self.mode} comparison of {ref} and {other}, {self.steps} steps, "
            f"float{self.precision}" + (", strict numerics" if self.strict_numerics else ""),
            f"bound: float States within {_fmt(self.ulps)} ULP"
            + (f" or {_fmt(self.atol)} absolute" if self.atol else "")
            + (f" or {_fmt(self.rtol)} relative" if self.rtol else "")
            + "; spike, integer and boolean States identical",
            "",
            f"{'State':28s} {'dtype':8s} {'max ULP':>9s} {'max |diff|':>10s} "
            f"{'max rel':>9s} {'first differs':>22s}  verdict",
        ]
        for s in self.states:
            first = "never" if s.first_step is None else \
                f"step {s.first_step} at {list(s.first_index)}"
            if s.is_spike:
                verdict = "identical raster" if s.identical else "rasters differ"
            else:
                verdict = "ok" if not s.exceeded else "EXCEEDS BOUND"
            if s.exceeded and s.is_spike:
                verdict = "RASTERS DIFFER"
            lines.append(f"{s.name[:28]:28s} {s.dtype:8s} {_fmt(s.max_ulp):>9s} "
                         f"{_fmt(s.max_abs):>10s} {_fmt(s.max_rel):>9s} {first:>22s}  {verdict}")
        flushes = sum(st.subnormal_flushes for st in self.states)
        if flushes:
            lines.append("")
            lines.append(f"{flushes} values differed only by a subnormal float that one backend "
                         f"flushed to zero (XLA:CPU does, NumPy does not); they count as equal")
        lines.append("")
        lines.append(self.verdict())
        return "\n".join(lines)

    def verdict(self) -> str:
        """One sentence: agreement, or the first divergence with its State, step and index."""
        ref, other = self.backends
        first = self.first_divergence
        if first is None:
            return (f"AGREE: all {len(self.states)} States of {ref} and {other} stay within "
                    f"the bound for {self.steps} steps.")
        index = list(first.exceeded_index or ())
        values = ""
        if first.first_step == first.exceeded_step and first.first_values is not None:
            values = f" ({ref}: {first.first_values[0]!r}, {other}: {first.first_values[1]!r})"
        elif first.worst_values is not None:
            values = (f" (largest difference at step {first.worst_step}: {ref} "
                      f"{first.worst_values[0]!r}, {other} {first.worst_values[1]!r})")
        return (f"DIVERGE: State {first.name!r} first exceeds the bound at step "
                f"{first.exceeded_step}, index {index}{values}.")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("divergent_step")  # arrays of every State: for debugging, not for the report
        out["agree"] = self.agree
        out["verdict"] = self.verdict()
        return out

    def to_json(self, path: str | None = None) -> str:
        """The report as JSON (written to ``path`` when given)."""
        text = json.dumps(self.to_dict(), indent=2, default=_json_default)
        if path is not None:
            with open(path, "w") as f:
                f.write(text)
        return text

    def __str__(self) -> str:
        return self.table()


def _json_default(x: Any) -> Any:
    if isinstance(x, (np.generic,)):
        return x.item()
    if isinstance(x, float) and x == float("inf"):
        return "inf"
    return str(x)
