"""Python step methods that loop over array elements, translated into Numba functions.

BrainPy 1.x models update their state element by element::

    def update(self, _t, _dt):
        for i in range(self.num):
            if (_t - self.t_last_spike[i]) > ref_time:
                V = self.integral(self.V[i], _t, self.input[i])
                ...

Recording cannot follow a Python ``if`` on a value, so such a method is translated from
its source instead, as BrainPy 1.x did: every attribute chain on ``self`` becomes an
argument of a generated ``@numba.njit`` function, bound to what it names when the run
starts:

- a State (a ``Variable``): its NumPy array, changed in place (``self.V[i] = v``,
  ``self.g[:] += x``, ``self.post.input += x``);
- an array or a number: passed as it is;
- a ``brainx.conn.Ragged`` (``pre2post``, ``pre2syn``, ...): its flat ``indices`` and
  ``indptr``, with ``ragged[i]`` rewritten as the slice of row ``i``;
- a ``brainx.integrators`` ODE integrator (``bp.odeint``): a generated step function of
  its Runge-Kutta method, with the same operations in the same order as the eager one,
  calling the derivative translated the same way (its attributes of ``self`` must be
  numbers).

Module-level numbers the method reads become constants of the generated module, and a
module name bound to NumPy or brainx's array namespaces becomes ``np``. All the methods
of one run, the inputs applied before them and the monitors recorded after them form one
native loop over the steps, cached on disk as the recorder's programs are. Anything else
raises :class:`Untraceable` naming the construct and its source line.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import inspect
import textwrap
import types
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from brainx_numba._compiler._emit import _load, _write_once, cache_dir
from brainx_numba._compiler._trace import Untraceable

_BUILTINS = frozenset({"range", "enumerate", "len", "abs", "min", "max", "int", "float",
                       "bool", "zip", "round", "True", "False", "None"})
_JIT = "@_njit(nogil=True)"  # brainx_numba._caching.njit: cached when Numba can
_OPERATORS = frozenset("+-*/")
#: BrainPy's synaptic operators, as loops summing in the order the eager ones do
_HELPERS = {
    "_bounds": "def _bounds(lo, hi, n):  # Python's slice bounds, step 1\n"
               "    lo = 0 if lo is None else (lo + n if lo < 0 else lo)\n"
               "    hi = n if hi is None else (hi + n if hi < 0 else hi)\n"
               "    lo = min(max(lo, 0), n)\n"
               "    return lo, max(min(max(hi, 0), n), lo)",
    "_len": "def _len(x):\n    return x.shape[0]",
    "pre2syn": "def pre2syn(pre_values, pre_ids):\n    return pre_values[pre_ids]",
    "syn2post": "def syn2post(syn_values, post_ids, post_num):\n"
                "    out = np.zeros(post_num, syn_values.dtype)\n"
                "    for k in range(post_ids.shape[0]):\n"
                "        out[post_ids[k]] += syn_values[k]\n"
                "    return out",
}


def _is_array_namespace(value: Any) -> bool:
    return isinstance(value, types.ModuleType) and (
        value is np or value.__name__ in ("brainx.math", "brainx.compat.brainpy.math"))


def _chain(node: ast.AST, root: str) -> list[str] | None:
    """``['a', 'b']`` for the expression ``root.a.b``, else None."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id == root and names:
        return names[::-1]
    return None


def _source(function: Callable) -> tuple[ast.FunctionDef, str, int]:
    """The parsed definition of ``function``, its file and first line."""
    code = function.__code__
    try:
        text = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        raise Untraceable(f"{function.__qualname__}: its source is not available",
                          f"{code.co_filename}:{code.co_firstlineno}") from None
    if function.__name__ == "<lambda>":
        return _lambda_source(function, text), code.co_filename, code.co_firstlineno
    tree = ast.parse(text)
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef):
        raise Untraceable(f"{function.__qualname__} is not a plain function",
                          f"{code.co_filename}:{code.co_firstlineno}")
    definition.decorator_list = []
    return definition, code.co_filename, code.co_firstlineno


def _lambda_source(function: Callable, text: str) -> ast.FunctionDef:
    """A lambda as ``def <lambda>(...): return ...``, found among the lambdas of its line
    by its argument names."""
    code = function.__code__
    names = list(code.co_varnames[:code.co_argcount])
    where = f"{code.co_filename}:{code.co_firstlineno}"
    try:
        tree = ast.parse(text.strip().rstrip(",").removesuffix("\\"))
    except SyntaxError:
        try:
            tree = ast.parse(f"({text.strip()})")
        except SyntaxError:
            raise Untraceable("a lambda whose source line cannot be parsed", where) from None
    found = [node for node in ast.walk(tree) if isinstance(node, ast.Lambda)
             and [a.arg for a in node.args.args] == names]
    if len(found) != 1:
        raise Untraceable("a lambda that cannot be told apart from the others on its line",
                          where)
    return ast.FunctionDef(name="_lambda", args=found[0].args,
                           body=[ast.Return(value=found[0].body)], decorator_list=[],
                           returns=None, type_params=[])


class _Module:
    """The generated module: constants, functions, and the program's arguments."""

    def __init__(self) -> None:
        self.constants: dict[str, Any] = {}
        self.functions: list[str] = []
        self._steppers: dict[int, str] = {}
        self._by_text: dict[tuple[str, str, str], str] = {}

    def add(self, kind: str, params: Sequence[str], body: list[str]) -> str:
        """The name of a function ``kind<n>(params)`` with ``body``; the same text once."""
        key = (kind, ", ".join(params), "\n".join(body))
        name = self._by_text.get(key)
        if name is None:
            name = self._by_text[key] = f"{kind}{len(self._by_text)}"
            self.functions.append("\n".join([_JIT, f"def {name}({key[1]}):"] + body))
        return name

    def constant(self, name: str, value: Any, where: str) -> None:
        if name in self.constants and self.constants[name] != value:
            raise Untraceable(f"the global {name!r} has different values in two methods", where)
        self.constants[name] = value

    def stepper(self, integrator: Any, where: str) -> str:
        """The name of the generated step function of ``integrator``."""
        from brainx.integrators._ode import _TABLEAUS

        key = id(integrator)
        if key in self._steppers:
            return self._steppers[key]
        tableau = _TABLEAUS.get(integrator.method)
        if tableau is None:
            raise Untraceable(f"an integrator of method {integrator.method!r} in a loop-style "
                              f"update (translated methods support "
                              f"{', '.join(sorted(_TABLEAUS))})", where)
        derivative = self._derivative(integrator.f, where)
        xs, params = list(integrator.variables), list(integrator.parameters)
        lines: list[str] = []
        stages: list[list[str]] = []
        for s, (a_row, c) in enumerate(zip(tableau.a, tableau.c, strict=True)):
            terms = [(a, k) for a, k in zip(a_row, stages, strict=False) if a != 0.0]
            args = []
            for j, x in enumerate(xs):
                if terms:
                    total = "0" + "".join(f" + {a!r} * {k[j]}" for a, k in terms)
                    args.append(f"{x} + dt * ({total})")
                else:
                    args.append(x)
            ks = [f"k{s}_{j}" for j in range(len(xs))]
            lines.append(f"    {', '.join(ks)} = {derivative}("
                         f"{', '.join(args + [f't + {c!r} * dt'] + params)})")
            stages.append(ks)
        outs = []
        for j, x in enumerate(xs):
            total = "0" + "".join(f" + {b!r} * {k[j]}" for b, k in zip(tableau.b, stages,
                                                                       strict=True) if b != 0)
            outs.append(f"{x} + dt * ({total})")
        lines.append(f"    return {outs[0] if len(outs) == 1 else '(' + ', '.join(outs) + ')'}")
        name = self._steppers[key] = self.add("step", xs + ["t"] + params + ["dt"], lines)
        return name

    def _derivative(self, f: Callable, where: str) -> str:
        owner = getattr(f, "__self__", None)
        function = getattr(f, "__func__", f)
        if not isinstance(function, types.FunctionType):
            raise Untraceable(f"the derivative {f!r} is not a Python function", where)
        definition, filename, first = _source(function)
        params = [a.arg for a in definition.args.args]
        if owner is not None:
            params = params[1:]
        body = _Translator(self, function, owner, definition, filename, first,
                           numbers_only=True).body()
        return self.add("derivative", params, body)


class _Translator(ast.NodeTransformer):
    """Rewrites one method's body; ``arguments`` maps each new parameter to its value."""

    def __init__(self, module: _Module, function: types.FunctionType, owner: Any,
                 definition: ast.FunctionDef, filename: str, first: int,
                 numbers_only: bool = False):
        self.module, self.function, self.owner = module, function, owner
        self.definition, self.filename, self.first = definition, filename, first
        self.numbers_only = numbers_only
        self.self_name = definition.args.args[0].arg if owner is not None else None
        self.arguments: dict[str, Any] = {}
        self.counter = 0
        self.locals = {a.arg for a in definition.args.args}
        for node in ast.walk(definition):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.locals.add(node.id)

    def where(self, node: ast.AST) -> str:
        return f"{self.filename}:{self.first + getattr(node, 'lineno', 1) - 1}"

    def block(self, statements: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for statement in statements:
            new = self.visit(statement)
            out.extend(new if isinstance(new, list) else [new])
        return out

    def body(self) -> list[str]:
        statements = self.block(self.definition.body)
        module = ast.Module(body=statements, type_ignores=[])
        ast.fix_missing_locations(module)
        return ["    " + line for line in ast.unparse(module).splitlines()]

    # ---- attributes of self --------------------------------------------------
    def _value(self, chain: list[str], node: ast.AST) -> Any:
        value = self.owner
        for attr in chain:
            if not hasattr(value, attr):
                raise Untraceable(f"self.{'.'.join(chain)}: no attribute {attr!r}",
                                  self.where(node))
            value = getattr(value, attr)
        return value

    def _bind(self, chain: list[str], node: ast.AST) -> tuple[str, Any]:
        from brainx.conn import Ragged
        from brainx.state import State

        if chain[-1] == "value" and len(chain) > 1 and isinstance(
                self._value(chain[:-1], node), State):
            chain = chain[:-1]
        value = self._value(chain, node)
        name = "self__" + "__".join(chain)
        if isinstance(value, State):
            value = value.value
            if not isinstance(value, np.ndarray):
                raise Untraceable(f"self.{'.'.join(chain)}: a Variable whose value is "
                                  f"{type(value).__name__}, not a NumPy array", self.where(node))
        if isinstance(value, (bool, int, float, np.number, np.bool_)):
            if self.numbers_only:
                return repr(value.item() if isinstance(value, np.generic) else value), None
            self.arguments[name] = value
            return name, value
        if self.numbers_only:
            raise Untraceable(f"self.{'.'.join(chain)} ({type(value).__name__}) in a derivative "
                              f"function: only numbers can be read from self there",
                              self.where(node))
        if isinstance(value, np.ndarray):
            self.arguments[name] = value
            return name, value
        if isinstance(value, Ragged):
            self.arguments[name + "__indices"] = np.ascontiguousarray(value.indices)
            self.arguments[name + "__indptr"] = np.ascontiguousarray(value.indptr)
            return name, value
        return name, value

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        chain = _chain(node, self.self_name) if self.self_name else None
        if chain is None:
            base = node.value
            if isinstance(base, ast.Name) and base.id not in self.locals and _is_array_namespace(
                    self.function.__globals__.get(base.id)) and not hasattr(np, node.attr):
                if node.attr in _HELPERS:
                    return ast.Name(id=node.attr, ctx=ast.Load())
                raise Untraceable(f"{base.id}.{node.attr} in a loop-style update (NumPy has "
                                  f"no {node.attr!r})", self.where(node))
            return self.generic_visit(node)
        if isinstance(node.ctx, ast.Store):
            raise Untraceable(f"assigning self.{'.'.join(chain)} in a loop-style update (change "
                              f"a Variable in place instead: self.{chain[0]}[...] = ...)",
                              self.where(node))
        name, value = self._bind(chain, node)
        from brainx.conn import Ragged

        if isinstance(value, Ragged):
            raise Untraceable(f"self.{'.'.join(chain)} (a per-neuron list) used other than "
                              f"indexed by one neuron", self.where(node))
        if name not in self.arguments and value is None:  # a literal number
            return ast.parse(name, mode="eval").body
        if name not in self.arguments:
            raise Untraceable(f"self.{'.'.join(chain)} of type {type(value).__name__} in a "
                              f"loop-style update", self.where(node))
        return ast.Name(id=name, ctx=ast.Load())

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        from brainx.conn import Ragged

        chain = _chain(node.value, self.self_name) if self.self_name else None
        if chain is not None:
            name, value = self._bind(chain, node)
            if isinstance(value, Ragged):
                index = self.visit(node.slice)
                row = ast.parse(f"{name}__indices[{name}__indptr[_i]:{name}__indptr[_i + 1]]",
                                mode="eval").body
                return _Replace("_i", index).visit(row)
        return self.generic_visit(node)

    # ---- whole-array statements as loops over the elements -------------------------
    def _target_array(self, target: ast.AST) -> tuple[ast.AST, np.ndarray] | None:
        """``(chain, array)`` for ``self.x[:]`` or ``self.x`` naming a 1-d array."""
        if isinstance(target, ast.Subscript):
            s = target.slice
            if not (isinstance(s, ast.Slice) and s.lower is None and s.upper is None
                    and s.step is None):
                return None
            target = target.value
        chain = _chain(target, self.self_name) if self.self_name else None
        if chain is None:
            return None
        value = self._array_of(chain)
        return (target, value) if value is not None and value.ndim == 1 else None

    def _array_of(self, chain: list[str]) -> np.ndarray | None:
        from brainx.state import State

        value: Any = self.owner
        for attr in chain:
            value = getattr(value, attr, None)
        if isinstance(value, State):
            value = value.value
        return value if isinstance(value, np.ndarray) else None

    def _indexed(self, expr: ast.AST, n: int, j: str) -> ast.AST | None:
        """``expr`` at element ``j`` when it is element-wise over arrays of length ``n``."""
        from brainx.integrators import ODEIntegrator

        if isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)):
            return expr
        if isinstance(expr, ast.Name):
            value = self.function.__globals__.get(expr.id)
            if expr.id not in self.locals and isinstance(value, (bool, int, float)):
                return expr
            return None
        if isinstance(expr, ast.Attribute):
            chain = _chain(expr, self.self_name) if self.self_name else None
            if chain is None:
                return None
            value = self._value(chain, expr)
            array = self._array_of(chain)
            if array is not None:
                if array.shape != (n,):
                    return None
                return ast.Subscript(value=expr, slice=ast.Name(id=j, ctx=ast.Load()),
                                     ctx=ast.Load())
            return expr if isinstance(value, (bool, int, float, np.number)) else None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Sub, ast.Mult,
                                                                ast.Div)):
            left, right = self._indexed(expr.left, n, j), self._indexed(expr.right, n, j)
            return None if left is None or right is None else ast.BinOp(left, expr.op, right)
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
            operand = self._indexed(expr.operand, n, j)
            return None if operand is None else ast.UnaryOp(expr.op, operand)
        if isinstance(expr, ast.Call) and not expr.keywords:
            chain = _chain(expr.func, self.self_name) if self.self_name else None
            if chain is None:
                return None
            integrator = self._value(chain, expr)
            if not isinstance(integrator, ODEIntegrator) or len(integrator.variables) != 1 \
                    or not _elementwise_function(integrator.f):
                return None
            args = [self._indexed(a, n, j) for a in expr.args]
            return None if any(a is None for a in args) else ast.Call(expr.func, args, [])
        return None

    def _as_loop(self, target: ast.AST, value: ast.AST, op: ast.operator | None
                 ) -> ast.For | None:
        found = self._target_array(target)
        if found is None:
            return None
        chain_node, array = found
        self.counter += 1
        j = f"_j{self.counter}"
        self.locals.add(j)
        element = self._indexed(value, array.shape[0], j)
        if element is None:
            return None
        slot = ast.Subscript(value=chain_node, slice=ast.Name(id=j, ctx=ast.Load()),
                             ctx=ast.Store())
        statement = (ast.AugAssign(target=slot, op=op, value=element) if op is not None
                     else ast.Assign(targets=[slot], value=element))
        loop = ast.For(target=ast.Name(id=j, ctx=ast.Store()),
                       iter=ast.Call(func=ast.Name(id="range", ctx=ast.Load()),
                                     args=[ast.Call(func=ast.Name(id="_len", ctx=ast.Load()),
                                                    args=[chain_node], keywords=[])],
                                     keywords=[]),
                       body=[statement], orelse=[])
        return self.visit(loop)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        loop = self._as_loop(node.target, node.value, node.op)
        if loop is not None:
            return loop
        if isinstance(node.target, ast.Attribute):  # self.post.input += x: in place
            chain = _chain(node.target, self.self_name) if self.self_name else None
            if chain is not None:
                name, value = self._bind(chain, node)
                if isinstance(value, np.ndarray):
                    target = ast.Subscript(value=ast.Name(id=name, ctx=ast.Load()),
                                           slice=ast.Slice(), ctx=ast.Store())
                    return ast.AugAssign(target=target, op=node.op, value=self.visit(node.value))
        return self.generic_visit(node)

    def visit_For(self, node: ast.For) -> ast.AST:
        """``for v in a[lo:hi]`` becomes a loop over the indices: Numba makes a view per
        iteration of the slice otherwise (a ragged row, ``post_ids[start:end]``)."""
        node.iter = self.visit(node.iter)
        node.target = self.visit(node.target)
        node.body = self.block(node.body)
        node.orelse = self.block(node.orelse)
        it = node.iter
        if isinstance(it, ast.Subscript) and isinstance(it.slice, ast.Slice) \
                and it.slice.step is None and isinstance(node.target, ast.Name):
            self.counter += 1
            index = f"_k{self.counter}"
            self.locals.add(index)
            lo = it.slice.lower or ast.Constant(None)
            hi = it.slice.upper or ast.Constant(None)
            bounds = ast.Call(func=ast.Name(id="_bounds", ctx=ast.Load()),
                              args=[lo, hi, ast.parse(f"_len({ast.unparse(it.value)})",
                                                      mode="eval").body], keywords=[])
            loop = ast.For(target=ast.Name(id=index, ctx=ast.Store()),
                           iter=ast.Call(func=ast.Name(id="range", ctx=ast.Load()),
                                         args=[ast.Starred(value=bounds, ctx=ast.Load())],
                                         keywords=[]),
                           body=[ast.Assign(targets=[node.target], value=ast.Subscript(
                               value=it.value, slice=ast.Name(id=index, ctx=ast.Load()),
                               ctx=ast.Load()))] + node.body,
                           orelse=node.orelse)
            return loop
        return node

    def visit_If(self, node: ast.If) -> ast.AST:
        node.test = self.visit(node.test)
        node.body, node.orelse = self.block(node.body), self.block(node.orelse)
        return node

    def visit_While(self, node: ast.While) -> ast.AST:
        node.test = self.visit(node.test)
        node.body, node.orelse = self.block(node.body), self.block(node.orelse)
        return node

    def visit_Assign(self, node: ast.Assign) -> Any:
        """``a, b = x[i]`` of a 2-d array becomes ``a = x[i, 0]; b = x[i, 1]``; a
        whole-array statement (``self.g[:] = self.integral(self.g, _t)``) a loop."""
        if len(node.targets) == 1:
            loop = self._as_loop(node.targets[0], node.value, None)
            if loop is not None:
                return loop
        node = self.generic_visit(node)
        target, value = node.targets[0], node.value
        if len(node.targets) == 1 and isinstance(target, ast.Tuple) and isinstance(
                value, ast.Subscript) and not isinstance(value.slice, (ast.Slice, ast.Tuple)) \
                and isinstance(value.value, ast.Name) and value.value.id in self.arguments:
            array = self.arguments[value.value.id]
            if isinstance(array, np.ndarray) and array.ndim == 2 \
                    and array.shape[1] == len(target.elts):
                self.counter += 1
                row = f"_row{self.counter}"
                self.locals.add(row)
                out: list[ast.stmt] = [ast.Assign(targets=[ast.Name(id=row, ctx=ast.Store())],
                                                  value=value.slice)]
                for j, element in enumerate(target.elts):
                    out.append(ast.Assign(targets=[element], value=ast.Subscript(
                        value=value.value, slice=ast.Tuple(
                            elts=[ast.Name(id=row, ctx=ast.Load()), ast.Constant(j)],
                            ctx=ast.Load()), ctx=ast.Load())))
                return out
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        from brainx.integrators import ODEIntegrator

        chain = _chain(node.func, self.self_name) if self.self_name else None
        if chain is not None:
            value = self._value(chain, node)
            if isinstance(value, ODEIntegrator):
                if node.keywords:
                    raise Untraceable("keyword arguments of an integrator in a loop-style "
                                      "update", self.where(node))
                stepper = self.module.stepper(value, self.where(node))
                args = [self.visit(a) for a in node.args]
                if value.dt is not None:  # the integrator's own step
                    args.append(ast.Constant(value.dt))
                else:  # the run's step, passed in as the argument __dt
                    args.append(ast.Name(id="__dt", ctx=ast.Load()))
                    self.arguments.setdefault("__dt", None)
                return ast.Call(func=ast.Name(id=stepper, ctx=ast.Load()), args=args,
                                keywords=[])
            raise Untraceable(f"calling self.{'.'.join(chain)} ({type(value).__name__}) in a "
                              f"loop-style update", self.where(node))
        return self.generic_visit(node)

    # ---- globals -------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> ast.AST:
        if isinstance(node.ctx, ast.Load) and node.id not in self.locals \
                and node.id not in _HELPERS:
            if node.id in self.function.__globals__:
                value = self.function.__globals__[node.id]
                if _is_array_namespace(value):
                    return ast.Name(id="np", ctx=ast.Load())
                if isinstance(value, (bool, int, float)):
                    self.module.constant(node.id, value, self.where(node))
                    return node
                raise Untraceable(f"the global {node.id!r} ({type(value).__name__}) in a "
                                  f"loop-style update: only numbers and the array namespace "
                                  f"can be read there", self.where(node))
            if node.id not in _BUILTINS or not hasattr(builtins, node.id):
                raise Untraceable(f"the name {node.id!r} in a loop-style update",
                                  self.where(node))
        return node


def _elementwise_function(f: Callable) -> bool:
    """Whether ``f``'s body is arithmetic on its arguments, numbers and numbers of self."""
    function = getattr(f, "__func__", f)
    owner = getattr(f, "__self__", None)
    if not isinstance(function, types.FunctionType):
        return False
    try:
        definition, _, _ = _source(function)
    except Untraceable:
        return False
    params = [a.arg for a in definition.args.args]
    self_name = params[0] if owner is not None else None
    local = set(params)
    for statement in definition.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name):
            expr = statement.value
        elif isinstance(statement, ast.Return) and statement.value is not None:
            expr = statement.value
        else:
            return False
        if not _arithmetic(expr, local, self_name, owner, function.__globals__):
            return False
        if isinstance(statement, ast.Assign):
            local.add(statement.targets[0].id)
    return True


def _arithmetic(expr: ast.AST, local: set, self_name: str | None, owner: Any,
                globals_: dict) -> bool:
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, (int, float))
    if isinstance(expr, ast.Name):
        return expr.id in local or isinstance(globals_.get(expr.id), (bool, int, float))
    if isinstance(expr, ast.Attribute):
        chain = _chain(expr, self_name) if self_name else None
        value = owner
        for attr in chain or ():
            value = getattr(value, attr, None)
        return chain is not None and isinstance(value, (bool, int, float))
    if isinstance(expr, ast.BinOp):
        return isinstance(expr.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)) and \
            _arithmetic(expr.left, local, self_name, owner, globals_) and \
            _arithmetic(expr.right, local, self_name, owner, globals_)
    if isinstance(expr, ast.UnaryOp):
        return isinstance(expr.op, (ast.USub, ast.UAdd)) and \
            _arithmetic(expr.operand, local, self_name, owner, globals_)
    return False


class _Replace(ast.NodeTransformer):
    def __init__(self, name: str, replacement: ast.AST):
        self.name, self.replacement = name, replacement

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return self.replacement if node.id == self.name else node


def translate_steps(methods: Sequence[Callable], inputs: Sequence[tuple], monitors: Sequence[Any],
                    dt: float) -> Callable[[np.ndarray, int], list[np.ndarray]]:
    """One native loop over steps: ``inputs``, then ``methods(t, dt)``, then ``monitors``.

    ``methods`` are bound methods ``update(self, _t, _dt)``; ``inputs`` are
    ``(State, value, kind, operation)`` with ``kind`` ``'fix'`` or ``'iter'`` and
    ``operation`` one of ``+ - * / =``; ``monitors`` are States. Returns
    ``run(ts, i0)``, which runs ``len(ts)`` steps at times ``ts`` (the first with step
    index ``i0``) and returns one ``(steps, ...)`` array per monitor.
    """
    from brainx.state import State

    module = _Module()
    arrays: dict[int, str] = {}
    program_args: list[str] = []
    program_values: list[Any] = []

    def argument(value: Any) -> str:
        if isinstance(value, np.ndarray):
            key = id(value)
            if key not in arrays:
                arrays[key] = f"x{len(program_args)}"
                program_args.append(arrays[key])
                program_values.append(value)
            return arrays[key]
        name = f"x{len(program_args)}"
        program_args.append(name)
        program_values.append(value)
        return name

    calls = []
    for method in methods:
        owner, function = method.__self__, method.__func__
        definition, filename, first = _source(function)
        params = [a.arg for a in definition.args.args]
        if len(params) != 3:
            raise Untraceable(f"{function.__qualname__}: a loop-style update takes "
                              f"(self, _t, _dt), got ({', '.join(params)})",
                              f"{filename}:{first}")
        translator = _Translator(module, function, owner, definition, filename, first)
        body = translator.body()
        names = list(translator.arguments)
        update = module.add("update", params[1:] + names, body + ["    return"])
        passed = ["dt" if n == "__dt" else argument(translator.arguments[n]) for n in names]
        calls.append(f"        {update}(t, dt{''.join(', ' + p for p in passed)})")

    before = []
    for variable, value, kind, op in inputs:
        if not isinstance(variable, State) or not isinstance(variable.value, np.ndarray):
            raise Untraceable("an input to a Variable whose value is not a NumPy array", "")
        target = argument(variable.value)
        given = argument(np.asarray(value))
        operand = f"{given}[i0 + k]" if kind == "iter" else given
        if op == "=":
            before.append(f"        {target}[...] = {operand}")
        elif op not in _OPERATORS:
            raise Untraceable(f"an input operation {op!r} (one of + - * / =)", "")
        else:
            before.append(f"        {target}[...] = {target} {op} {operand}")
    after = []
    buffers = []
    for m, state in enumerate(monitors):
        if not isinstance(state.value, np.ndarray):
            raise Untraceable("a monitor of a Variable whose value is not a NumPy array", "")
        buffers.append(state.value)
        after.append(f"        m{m}[k] = {argument(state.value)}")
    monitor_names = [f"m{m}" for m in range(len(monitors))]
    signature = ", ".join(["ts", "dt", "i0"] + program_args + monitor_names)
    program = [_JIT, f"def program({signature}):",
               "    for k in range(ts.shape[0]):", "        t = ts[k]"] + before + calls + after
    header = ["import numba", "import numpy as np",
              "from brainx_numba._caching import njit as _njit", ""]
    helpers = [f"{_JIT}\n{text}" for text in _HELPERS.values()]
    header += [f"{name} = {value!r}" for name, value in sorted(module.constants.items())]
    text = "\n".join(header) + "\n\n\n" + "\n\n\n".join(
        helpers + module.functions + ["\n".join(program)]) + "\n"
    digest = hashlib.sha1(text.encode()).hexdigest()[:20]
    path = cache_dir() / f"l{digest}.py"
    _write_once(path, text)
    compiled = _load(path)
    shapes = [(b.shape, b.dtype) for b in buffers]
    step = float(dt)
    _compile_now(compiled, step, program_values, shapes, methods, path)

    def run(ts: np.ndarray, i0: int) -> list[np.ndarray]:
        outs = [np.empty((len(ts),) + shape, dtype) for shape, dtype in shapes]
        compiled(np.asarray(ts, np.float64), step, int(i0), *program_values, *outs)
        return outs

    return run


def _compile_now(compiled: Any, dt: float, values: list, shapes: list, methods: Sequence[Any],
                 path: Any) -> None:
    """Compile the program for these arguments (a run of no steps), or raise Untraceable."""
    empty = [np.empty((0,) + shape, dtype) for shape, dtype in shapes]
    try:
        compiled(np.zeros(0), dt, 0, *values, *empty)
    except Exception as err:  # a typing error, or a NumPy function Numba lacks
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        names = ", ".join(type(m.__self__).__name__ + ".update" for m in methods)
        raise Untraceable(f"Numba cannot compile the translated {names} ({first}; the "
                          f"generated source is {path})",
                          f"{inspect.getsourcefile(methods[0].__func__)}:"
                          f"{methods[0].__func__.__code__.co_firstlineno}") from None
