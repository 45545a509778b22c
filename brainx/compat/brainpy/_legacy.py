"""BrainPy 1.x's dynamical systems: ``NeuGroup``, ``TwoEndConn``, ``Network`` and ``run``.

A 1.x model defines ``update(self, _t, _dt)`` and keeps its state in
``bm.Variable``; ``monitors=['spike', 'V']`` names the Variables to record, and
``run(duration, inputs=..., report=...)`` steps it. ``run`` is ``brainx.Runner``: each
step applies the inputs, calls every node's ``update(t, dt)`` in the order the nodes
were given, then records the monitors into ``node.mon.<name>`` (``node.mon.ts`` holds
the times).
"""

from __future__ import annotations

import ast
import inspect
import math
import operator
import textwrap
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

import brainx
import brainx.math as bm
from brainx import environ
from brainx.backend._protocol import StagingFailed
from brainx.compat.brainpy._dynsys import BrainPyCalls, ResetsChildren, refuse_sharding
from brainx.nn import Dynamics, DynamicsGroup, Module
from brainx.nn._module import as_size
from brainx.state import State

__all__ = ["DynamicalSystem", "NeuGroup", "TwoEndConn", "Network", "Monitor"]

_OPERATIONS = {"+": operator.add, "-": operator.sub, "*": operator.mul,
               "/": operator.truediv, "=": lambda old, new: new}


class Monitor:
    """What ``run`` recorded: ``mon.ts`` and one ``(steps, ...)`` array per monitor."""

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.ts = np.zeros(0)
        for name in self.names:
            setattr(self, name, np.zeros(0))

    def __getitem__(self, name: str) -> np.ndarray:
        return getattr(self, name)

    def __repr__(self) -> str:
        return f"Monitor({', '.join(self.names)})"


class DynamicalSystem(ResetsChildren, BrainPyCalls, Dynamics):
    """A dynamical system of BrainPy 1.x or 2.x.

    1.x: ``update(self, _t, _dt)`` advances it by one step and :meth:`run` steps it.
    2.x: ``update(self, *inputs)`` reads the time with ``bp.share.load('t')``; the model
    is called (``model(x)``) by ``bp.DSRunner``, ``bm.for_loop`` or its parent.

    Examples
    --------
    >>> import brainx
    >>> import brainx.compat.brainpy as bp
    >>> import brainx.compat.brainpy.math as bm
    >>> class Counter(bp.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__(monitors=['n'])
    ...         self.n = bm.Variable(bm.zeros(1))
    ...     def update(self, _t, _dt):
    ...         self.n[0] += _dt
    >>> with brainx.use_backend('numba'), brainx.environ.context(dt=0.5):
    ...     c = Counter()
    ...     _ = c.run(2.0)
    >>> c.mon.ts.tolist(), c.mon.n[:, 0].tolist()
    ([0.0, 0.5, 1.0, 1.5], [0.5, 1.0, 1.5, 2.0])
    """

    def __init__(self, monitors: Sequence[str] | None = None, name: str | None = None,
                 mode: Any = None, **kwargs: Any):
        if kwargs:
            raise TypeError(f"{type(self).__name__}() got unexpected arguments "
                            f"{sorted(kwargs)}")
        # a Dynamics, so projections can target it; its size is set by subclasses
        Dynamics.__init__(self, size=1, name=name, mode=mode)
        self.size = self.varshape = self.in_size = self.out_size = self.num = None
        if isinstance(monitors, str):
            monitors = [monitors]
        self.monitors = list(monitors or [])
        self.mon = Monitor(self.monitors)
        self._t, self._i = 0.0, 0

    def update(self, _t: Any, _dt: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not define update(self, _t, _dt)")

    def nodes_in_order(self) -> list[DynamicalSystem]:
        """The systems stepped by :meth:`run`: this one (a Network: its members)."""
        return [self]

    def run(self, duration: float, inputs: Any = (), report: float | bool = 0.0) -> float:
        """Run ``duration`` ms from where the last run stopped; returns the seconds taken.

        ``inputs``: ``(target, value[, 'fix' | 'iter'[, operation]])`` or a list of them;
        ``target`` names a Variable (``'input'``, or ``'E.input'`` in a Network),
        ``'fix'`` gives the same value at every step and ``'iter'`` one element per step,
        and ``operation`` (``'+'``, default, ``'-'``, ``'*'``, ``'/'``, ``'='``) combines
        it with the Variable's value before the updates. ``report``: print the progress
        every such fraction of the run (``True``: at the end only), as BrainPy 1.x did.
        """
        parsed = _parse_inputs(self, inputs)
        nodes = self.nodes_in_order()
        keys = [(index, name) for index, node in enumerate(nodes) for name in node.monitors]
        states = [_monitored(nodes[index], name) for index, name in keys]
        dt = environ.dt_value()
        total = int(round(duration / dt))
        fraction = 1.0 if report is True else float(report or 0.0)
        parts = max(1, min(total, int(round(1.0 / fraction)))) if fraction > 0 else 1
        start = time.perf_counter()
        chunk = self._native_steps(nodes, parsed, states, dt)
        if chunk is None:
            chunk = self._runner_steps(nodes, parsed, states, dt)
        if report:
            print(f"Compilation used {time.perf_counter() - start:.4f} s.")
            print("Start running ...")
        start = time.perf_counter()
        recorded: list[tuple[np.ndarray, list[np.ndarray]]] = []
        done = 0
        for part in range(parts):
            steps = (total * (part + 1)) // parts - done
            if steps:
                ts = (self._i + np.arange(steps)) * dt  # from the step, as the Runner does
                recorded.append((ts, chunk(ts, self._i)))
                self._i += steps
                self._t = self._i * dt
                done += steps
            if report:
                print(f"Run {100.0 * done / total:.1f}% used {time.perf_counter() - start:.3f} s.")
        elapsed = time.perf_counter() - start
        if report:
            print(f"Simulation is done in {elapsed:.3f} s.")
        ts = np.concatenate([r[0] for r in recorded]) if recorded else np.zeros(0)
        for node in nodes:
            node.mon.ts = ts
        for m, (index, name) in enumerate(keys):
            nodes[index].mon.__dict__[name] = np.concatenate([r[1][m] for r in recorded]) \
                if recorded else np.zeros(0)
        return elapsed

    def _native_steps(self, nodes: list, inputs: list, states: list, dt: float) -> Any:
        """The backend's native loop over the nodes' updates, or None (then: a Runner)."""
        backend = brainx.get_backend()
        if not backend.compiles:  # brainx's debugging switch (jit=False) wins over bm.jit
            return None
        try:
            return backend.translate_steps([node.update for node in nodes], inputs, states, dt)
        except StagingFailed as failed:
            warnings.warn(f"{type(self).__name__}.run steps its updates in Python: "
                          f"{failed.construct} (at {failed.where})",
                          brainx.compile.EagerFallbackWarning, stacklevel=4)
            return None

    def _runner_steps(self, nodes: list, inputs: list, states: list, dt: float) -> Any:
        stepper = _Stepper(nodes, inputs)
        monitors = {str(m): state for m, state in enumerate(states)}
        # element-wise Python loops and branches cannot be traced: step them eagerly
        runner = brainx.Runner(stepper, monitors=monitors,
                               jit=False if any(_loop_style(n.update) for n in nodes) else None)

        def chunk(ts: np.ndarray, i0: int) -> list[np.ndarray]:
            runner.t, runner.i = float(ts[0]), i0
            out = runner.run(len(ts) * dt)
            return [out[str(m)] for m in range(len(states))]

        return chunk


def _loop_style(method: Any) -> bool:
    """Whether ``method``'s source has a Python ``for``, ``while`` or ``if`` statement."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError):
        return True
    return any(isinstance(node, (ast.For, ast.While, ast.If)) for node in ast.walk(tree))

def _monitored(node: DynamicalSystem, name: str) -> State:
    value = getattr(node, name, None)
    if not isinstance(value, State):
        raise ValueError(f"monitors of {type(node).__name__} must name its Variables; "
                         f"{name!r} is {type(value).__name__}")
    return value


def _parse_inputs(system: DynamicalSystem, inputs: Any) -> list[tuple]:
    if not inputs:
        return []
    if isinstance(inputs, tuple) and inputs and isinstance(inputs[0], str):
        inputs = [inputs]
    parsed = []
    for item in inputs:
        if not isinstance(item, tuple) or not 2 <= len(item) <= 4:
            raise ValueError(f"inputs must be (target, value[, 'fix'|'iter'[, operation]]) "
                             f"or a list of them, got {item!r}")
        target, value = item[0], item[1]
        kind = item[2] if len(item) > 2 else "fix"
        op = item[3] if len(item) > 3 else "+"
        if kind not in ("fix", "iter"):
            raise ValueError(f"the input type of {target!r} must be 'fix' or 'iter', got "
                             f"{kind!r}")
        if op not in _OPERATIONS:
            raise ValueError(f"the input operation of {target!r} must be one of "
                             f"{sorted(_OPERATIONS)}, got {op!r}")
        variable = _resolve(system, target)
        parsed.append((variable, value, kind, op))
    return parsed


def _resolve(system: DynamicalSystem, target: str) -> State:
    node: Any = system
    for part in target.split("."):
        if isinstance(node, Network) and part.isdigit():
            node = node.nodes_in_order()[int(part)]
            continue
        if not hasattr(node, part):
            raise ValueError(f"input target {target!r}: {type(node).__name__} has no "
                             f"attribute {part!r}")
        node = getattr(node, part)
    if not isinstance(node, State):
        raise ValueError(f"input target {target!r} must be a Variable, got "
                         f"{type(node).__name__}")
    return node


class _Stepper(Module):
    """One step of a 1.x run: the inputs, then every node's ``update(t, dt)``."""

    def __init__(self, nodes: list[DynamicalSystem], inputs: list[tuple]):
        super().__init__()
        self.nodes = nodes
        self.inputs = inputs

    def update(self) -> None:
        t, dt = environ.get("t"), environ.dt_value()
        i = environ.get("i")
        for variable, value, kind, op in self.inputs:
            given = value[i] if kind == "iter" else value
            old = variable.value
            new = bm.asarray(_OPERATIONS[op](old, given), dtype=old.dtype)
            variable.value = new if new.shape == old.shape else bm.array(
                bm.broadcast_to(new, old.shape))  # a copy: Variables are written in place
        for node in self.nodes:
            node.update(t, dt)


class NeuGroup(DynamicalSystem):
    """A population of ``size`` neurons (``self.size``, ``self.num``).

    Examples
    --------
    >>> import brainx.compat.brainpy as bp
    >>> group = bp.NeuGroup(size=(4, 5))
    >>> group.size, group.num
    ((4, 5), 20)
    """

    def __init__(self, size: int | Sequence[int], monitors: Sequence[str] | None = None,
                 name: str | None = None, keep_size: bool = False, sharding: Any = None,
                 **kwargs: Any):
        refuse_sharding(sharding)
        shape = as_size(size)
        size = shape[0] if isinstance(size, (int, np.integer)) else shape
        num = math.prod(shape)
        super().__init__(monitors=monitors, name=name, **kwargs)
        self.size, self.num = size, num
        self.varshape = (size,) if isinstance(size, int) else size


class TwoEndConn(DynamicalSystem):
    """A connection from ``pre`` to ``post`` (``conn``, if given, is sized to both).

    Examples
    --------
    >>> import brainx.compat.brainpy as bp
    >>> a, b = bp.NeuGroup(4), bp.NeuGroup(3)
    >>> link = bp.TwoEndConn(a, b, conn=bp.connect.All2All())
    >>> link.conn.require('pre_ids').tolist()[:4]
    [0, 0, 0, 1]
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any = None,
                 monitors: Sequence[str] | None = None, name: str | None = None,
                 **kwargs: Any):
        for role, group in (("pre", pre), ("post", post)):
            if not isinstance(group, DynamicalSystem):
                raise TypeError(f"{role} must be a NeuGroup, got {type(group).__name__}")
        super().__init__(monitors=monitors, name=name, **kwargs)
        self.pre, self.post = pre, post
        if conn is not None:
            self.conn = conn(pre.size, post.size)


class Network(DynamicalSystem, DynamicsGroup):
    """Groups and connections stepped together.

    BrainPy 1.x: ``run`` steps the members in the order given. BrainPy 2.x: members
    are given positionally, by name or as attributes set later, and ``update()`` steps
    the projections, then the populations, then the rest.

    Examples
    --------
    >>> import brainx.compat.brainpy as bp
    >>> a, b = bp.NeuGroup(3), bp.NeuGroup(2)
    >>> net = bp.Network(a, b)
    >>> [n.num for n in net.nodes_in_order()]
    [3, 2]
    """

    def __init__(self, *nodes: Module, name: str | None = None,
                 monitors: Sequence[str] | None = None, mode: Any = None, **named: Module):
        DynamicalSystem.__init__(self, monitors=monitors, name=name, mode=mode)
        self.layers_tuple, self.layers_dict = (), {}
        members = list(nodes) + list(named.values())
        for member in members:
            if not isinstance(member, Module):
                raise TypeError(f"Network members must be dynamical systems, got "
                                f"{type(member).__name__}")
        self.members = members
        for key, member in named.items():
            setattr(self, key, member)

    def nodes_in_order(self) -> list[DynamicalSystem]:
        out: list[DynamicalSystem] = []
        for member in self.members:
            out.extend(member.nodes_in_order() if isinstance(member, DynamicalSystem)
                       else [member])
        return out

    def update(self, *args: Any) -> None:
        if len(args) == 2 and all(isinstance(m, DynamicalSystem) and _is_legacy(m)
                                  for m in self.members):
            for member in self.members:  # BrainPy 1.x: update(_t, _dt) in the order given
                member.update(*args)
            return
        DynamicsGroup.update(self)


def _is_legacy(node: DynamicalSystem) -> bool:
    """Whether ``node``'s update is BrainPy 1.x's ``update(self, _t, _dt)``."""
    try:
        return list(inspect.signature(node.update).parameters)[:2] == ["_t", "_dt"]
    except (TypeError, ValueError):
        return False
