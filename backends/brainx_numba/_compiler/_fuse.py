"""Fusing element-wise lines into one loop over the elements.

Numba compiles each array expression statement on its own, allocating a temporary
array per line. A run of element-wise lines on 1-d arrays of one length becomes a
single loop computing scalars instead; only the values used after the run are
stored into arrays. Every scalar is cast to the dtype NumPy gave the array (Numba
widens integer scalars), so the loop computes what the array lines compute.

A line that is not element-wise (a kernel call, a slice, a scalar) does not end the
run when it is independent of it: it moves above the run, which goes on collecting
the element-wise lines after it. Lines are independent when the variables they
mention, widened to every array that may share memory with them (a slice, a row or a
reshape of another), are disjoint; any name a line mentions counts as written, since
a kernel writes into its output argument.

A count of values the run computes (``np.sum`` of a bool or integer array, a spike
count, or ``np.count_nonzero``) joins the loop as an accumulator, so the array need not
be stored and read again; lines that use the count start a new run. Integer addition
is exact in any order, wrapping included, so the count is NumPy's.

With several threads, a loop over at least ``_threads.MIN_PARALLEL`` elements is a
``prange``: its iterations only read and write element ``i``, so sharing them among
threads changes nothing in what each element computes; each thread counts its own
elements and Numba adds the threads' counts.
"""

from __future__ import annotations

import re
from typing import Any

from brainx_numba import _threads
from brainx_numba._compiler._trace import Assign, Loop, Statement

_NAME = re.compile(r"\b[vaclkwj]\d+\b")  # the names the tape gives values and loop indices
_INDEX = re.compile(r"[kwj]\d+")
_COUNT = re.compile(r"np\.(sum|count_nonzero)\((v\d+)\)")


class Fused:
    """A loop replacing a run of element-wise :class:`Assign` lines."""

    __slots__ = ("lines", "where")

    def __init__(self, lines: list[str], where: str):
        self.lines, self.where = lines, where


def _length(item: Any) -> int | None:
    """The common length if ``item`` is an element-wise line on 1-d arrays, else None."""
    if type(item) is not Assign or item.op is None or len(item.targets) != 1:
        return None
    target = item.targets[0]
    if target.ndim != 1:
        return None
    n = target.shape[0]
    for _, is_array, shape in item.operands:
        if is_array and shape != (n,):
            return None
    return n


def _count_of(item: Any, run: list[Assign]) -> str | None:
    """The array of ``run`` that ``item`` counts exactly (``np.sum`` of a bool or integer
    array, ``np.count_nonzero`` of a real one), else None."""
    if type(item) is not Assign or item.op is not None or len(item.targets) != 1:
        return None
    target, match = item.targets[0], _COUNT.fullmatch(item.expr)
    if match is None or target.ndim != 0 or target.dtype.kind not in "iu":
        return None
    for produced in run:
        if produced.op is not None and produced.targets[0].name == match.group(2):
            kinds = "biuf" if match.group(1) == "count_nonzero" else "biu"
            return match.group(2) if produced.targets[0].dtype.kind in kinds else None
    return None


def _counts(run: list[Assign]) -> set[str]:
    """The counts in ``run``: known only after its loop."""
    return {item.targets[0].name for item in run if item.op is None}


def _scalar(item: Assign, names: set[str], index: str) -> str:
    values = []
    for text, is_array, _ in item.operands:
        if text in names:
            values.append(f"s_{text}")
        elif is_array:
            values.append(f"{text}[{index}]")
        else:
            values.append(text)
    kind, _, detail = item.op.partition(":")
    if kind == "binary":
        expr = f"({values[0]} {detail} {values[1]})"
    elif kind == "ufunc":
        expr = f"{detail}({values[0]})"
    elif kind == "where":
        expr = f"({values[1]} if {values[0]} else {values[2]})"
    elif kind == "kernel":  # a scalar kernel shared with the eager path
        function, _, compute = detail.partition(":")
        expr = f"{function}({', '.join(f'np.{compute}({v})' for v in values)})"
    else:  # cast
        expr = f"{detail}({values[0]})"
    dtype = item.targets[0].dtype
    return expr if dtype.kind == "b" else f"np.{dtype.name}({expr})"


def _render(run: list[Assign], used_after: set[str], counter: list[int],
            parallel: bool) -> Fused:
    counter[0] += 1
    index = f"i_{counter[0]}"
    n = run[0].targets[0].shape[0]
    names: set[str] = set()
    lines, after = [], []
    for item in run:
        target = item.targets[0]
        if item.op is None:
            lines.append(f"r_{target.name} = np.{target.dtype.name}(0)")
            after.append(f"{target.name} = r_{target.name}")
        elif target.name in used_after:
            lines.append(f"{target.name} = np.empty({n}, np.{target.dtype.name})")
    loop = "prange" if parallel and _threads.MIN_PARALLEL <= n else "range"
    lines.append(f"for {index} in {loop}({n}):")
    for item in run:
        name = item.targets[0].name
        if item.op is None:
            function, counted = _COUNT.fullmatch(item.expr).groups()
            each = f"s_{counted} != 0" if function == "count_nonzero" else f"s_{counted}"
            lines.append(f"    r_{name} += np.{item.targets[0].dtype.name}({each})")
            continue
        lines.append(f"    s_{name} = {_scalar(item, names, index)}")
        names.add(name)
        if name in used_after:
            lines.append(f"    {name}[{index}] = s_{name}")
    lines.extend(after)
    return Fused(lines, run[0].where)


def _count(text: str, name: str) -> int:
    return len(re.findall(rf"\b{re.escape(name)}\b", text))


def _mentions(item: Any) -> set[str]:
    if type(item) is Assign:
        return {t.name for t in item.targets} | set(_NAME.findall(item.expr))
    if type(item) is Statement:
        return set(_NAME.findall(item.text))
    if type(item) is Fused:
        return set(_NAME.findall("\n".join(item.lines)))
    found: set[str] = set()  # a Loop
    for inner in (*item.before, *item.body):
        found |= _mentions(inner)
    return found


class Aliases:
    """Groups of variables that may share memory, over a whole program."""

    def __init__(self, block: list) -> None:
        self._parent: dict[str, str] = {}
        self._scalars: set[str] = set()
        self._visit(block)

    def _find(self, name: str) -> str:
        parent = self._parent.setdefault(name, name)
        if parent != name:
            parent = self._parent[name] = self._find(parent)
        return parent

    def _union(self, names: set[str]) -> None:
        arrays = [n for n in names if n not in self._scalars and not _INDEX.fullmatch(n)]
        for other in arrays[1:]:
            self._parent[self._find(other)] = self._find(arrays[0])

    def _visit(self, block: list) -> None:
        for item in block:
            if type(item) is Assign:
                self._scalars.update(t.name for t in item.targets if t.ndim == 0)
                if item.op is None:  # element-wise lines make new arrays
                    self._union(_mentions(item))
            elif type(item) is Loop:  # its carries are Assigns: ``l3 = v9``
                self._visit(item.before)
                self._visit(item.body)

    def closure(self, names: set[str]) -> set[str]:
        """Roots of the alias groups of ``names`` (two sets may share memory iff they meet)."""
        return {self._find(n) for n in names if not _INDEX.fullmatch(n)}


def _movable(item: Any) -> bool:
    """Whether ``item`` may move above an element-wise run it is independent of."""
    if type(item) is Assign:
        return True
    if type(item) is Statement:  # not a line of a multi-line construct
        return not item.text.startswith((" ", "for ", "while ", "if ", "else"))
    return False


def fuse(block: list, full_text: str, counter: list[int] | None = None,
         aliases: Aliases | None = None, parallel: bool = False) -> list:
    """``block`` with runs of element-wise lines replaced by :class:`Fused` loops; a
    value is stored only if ``full_text`` (the unfused source) uses it outside the run;
    ``parallel``: long loops are ``prange`` loops."""
    counter = counter if counter is not None else [0]
    aliases = aliases if aliases is not None else Aliases(block)
    out: list[Any] = []
    run: list[Assign] = []
    touched: set[str] = set()  # alias roots of the run's variables

    def flush() -> None:
        if len(run) < 2 and not any(item.op.startswith("kernel") for item in run):
            out.extend(run)
        else:
            inside = "\n".join(item.expr for item in run)
            used_after = {item.targets[0].name for item in run
                          if _count(full_text, item.targets[0].name)
                          > _count(inside, item.targets[0].name) + 1}
            out.append(_render(run, used_after, counter, parallel))
        run.clear()
        touched.clear()

    for item in block:
        if run and _count_of(item, run):
            run.append(item)
            touched.update(aliases.closure(_mentions(item)))
            continue
        n = _length(item)
        if n is not None and (not run or run[0].targets[0].shape[0] == n) \
                and not _mentions(item) & _counts(run):
            run.append(item)
            touched.update(aliases.closure(_mentions(item)))
            continue
        if run and n is None and _movable(item) \
                and not aliases.closure(_mentions(item)) & touched:
            out.append(item)
            continue
        flush()
        if n is not None:
            run.append(item)
            touched.update(aliases.closure(_mentions(item)))
            continue
        if type(item) is Loop:
            copy = Loop(item.index, item.header)
            copy.before = fuse(item.before, full_text, counter, aliases, parallel)
            copy.body = fuse(item.body, full_text, counter, aliases, parallel)
            item = copy
        out.append(item)
    flush()
    return out
