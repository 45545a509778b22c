"""From a recorded :class:`~brainx_numba._compiler._trace.Tape` to a cached Numba function.

The tape's lines become the body of ``def program(inputs..., constants...)``, written
to a file named by the hash of its source in brainx's cache folder and compiled with
``numba.njit(cache=True)`` (in memory when Numba cannot cache, see
``brainx_numba._caching``): a new process that generates the same source loads the
machine code from Numba's cache instead of compiling it again.

Numba types a few expressions differently from NumPy (integer scalars widen to
int64, for instance). After the first compilation every variable's Numba type is
compared with the dtype NumPy computed for it; a variable that differs gets an
explicit cast, and the casts chosen are stored beside the source, so a warm process
does not need to compile twice.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from brainx_numba._compiler._fuse import Fused, fuse
from brainx_numba._compiler._trace import Assign, Loop, Statement, Tape, Traced, Untraceable

_INDENT = "    "


def cache_dir() -> Path:
    """Where generated programs live: ``$BRAINX_CACHE_DIR``, else the user's cache folder."""
    chosen = os.environ.get("BRAINX_CACHE_DIR")
    candidates = [Path(chosen)] if chosen else []
    candidates.append(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "brainx"
                      / "numba")
    user = os.getuid() if hasattr(os, "getuid") else "user"
    candidates.append(Path(tempfile.gettempdir()) / f"brainx-{user}" / "numba")
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".writable"
            probe.touch()
            return folder
        except OSError:
            continue
    raise OSError(f"no writable folder for brainx's compiled programs among "
                  f"{[str(c) for c in candidates]}; set BRAINX_CACHE_DIR")


def _lines(block: Sequence[Any], depth: int, casts: set[str], out: list[str],
           where: list[str]) -> None:
    pad = _INDENT * depth
    for item in block:
        if type(item) is Assign:
            names = ", ".join(t.name for t in item.targets)
            expr = item.expr
            if len(item.targets) == 1 and item.targets[0].name in casts:
                target = item.targets[0]
                dtype = f"np.{target.dtype.name}"
                expr = f"{dtype}({expr})" if target.ndim == 0 else f"({expr}).astype({dtype})"
            out.append(f"{pad}{names} = {expr}")
            where.append(item.where)
        elif type(item) is Statement:
            out.append(pad + item.text)
            where.append(item.where)
        elif type(item) is Fused:
            for text in item.lines:
                out.append(pad + text)
                where.append(item.where)
        elif type(item) is Loop:
            _lines(item.before, depth, casts, out, where)
            out.append(f"{pad}{item.header}")
            where.append("")
            if not item.body:
                out.append(f"{pad}{_INDENT}pass")
                where.append("")
            _lines(item.body, depth + 1, casts, out, where)
        else:  # pragma: no cover - the tape holds only the three kinds
            raise TypeError(f"unexpected item {item!r}")


def _typed(tape: Tape) -> dict[str, Traced]:
    found: dict[str, Traced] = {}

    def visit(block: Sequence[Any]) -> None:
        for item in block:
            if type(item) is Assign:
                for t in item.targets:
                    found[t.name] = t
            elif type(item) is Loop:
                visit(item.before)
                visit(item.body)

    visit(tape.blocks[0])
    return found


def source(tape: Tape, outputs: Sequence[Any], casts: set[str], fused: bool = True
           ) -> tuple[str, list[str]]:
    """The module source of ``program`` and, per line of its body, the user's source line."""
    params = [t.name for t in tape.inputs] + [f"c{i}" for i in range(len(tape.constants))]
    body: list[str] = []
    where: list[str] = []
    block = tape.blocks[0]
    if fused:
        block = fuse(block, source(tape, outputs, casts, fused=False)[0],
                     parallel=tape.threads > 1)
    _lines(block, 1, casts, body, where)
    returned = ", ".join(tape.expr(o) for o in outputs)
    body.append(f"{_INDENT}return ({returned}{',' if len(outputs) == 1 else ''})")
    header = ["import numpy as np", "from brainx_numba._caching import njit as _njit"]
    options = "nogil=True, error_model='numpy'"
    if any(" in prange(" in line for line in body):
        header += ["from numba import prange", "from brainx_numba._threads import PARALLEL"]
        options += ", parallel=PARALLEL"
    for alias, (module, attribute) in sorted(tape.globals.items()):
        header.append(f"from {module} import {attribute} as {alias}")
    text = "\n".join(header + ["", "", f"@_njit({options})",
                               f"def program({', '.join(params)}):"] + body) + "\n"
    return text, where


def _load(path: Path) -> Any:
    name = f"brainx_program_{path.stem}"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module.program


def _write_once(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text)
    os.replace(partial, path)


def _numba_dtype(numba_type: Any) -> np.dtype | None:
    import numba

    inner = getattr(numba_type, "dtype", numba_type)
    try:
        return np.dtype(numba.np.numpy_support.as_dtype(inner))
    except Exception:
        return None


def _mismatches(program: Any, variables: dict[str, Traced]) -> set[str]:
    """Variables whose Numba dtype differs from the dtype NumPy computed."""
    found: set[str] = set()
    for overload in program.overloads.values():
        annotation = getattr(overload, "type_annotation", None)
        typemap = getattr(annotation, "typemap", None) if annotation is not None else None
        if not typemap:
            continue
        for var, numba_type in typemap.items():
            base = var.split(".")[0].lstrip("$")
            traced = variables.get(base)
            if traced is None:
                continue
            dtype = _numba_dtype(numba_type)
            if dtype is not None and dtype != traced.dtype:
                found.add(base)
    return found


class Program:
    """The compiled function of a tape; ``program(*inputs, *constants)`` returns the outputs."""

    def __init__(self, tape: Tape, outputs: Sequence[Any], arguments: Sequence[Any]):
        self.tape = tape
        variables = _typed(tape)
        base, _ = source(tape, outputs, set())
        digest = hashlib.sha1(base.encode()).hexdigest()[:20]
        folder = cache_dir()
        sidecar = folder / f"p{digest}.json"
        casts: set[str] = set()
        if sidecar.exists():
            casts = set(json.loads(sidecar.read_text()))
        for _ in range(4):
            text, self.where = source(tape, outputs, casts)
            path = folder / f"p{digest}_{len(casts)}.py"
            _write_once(path, text)
            self.source, self.path = text, path
            self.function = _load(path)
            self._compile(arguments)
            extra = _mismatches(self.function, variables) - casts
            if not extra:
                break
            casts |= extra
            sys.modules.pop(f"brainx_program_{path.stem}", None)
        _write_once(sidecar, json.dumps(sorted(casts)))

    def _compile(self, arguments: Sequence[Any]) -> None:
        import numba

        try:
            self.function.compile(tuple(numba.typeof(a) for a in arguments))
        except numba.core.errors.TypingError as err:
            raise Untraceable(f"an operation Numba cannot compile: {_first_line(err)}",
                              self._where(err)) from None
        except numba.core.errors.NumbaError as err:
            raise Untraceable(f"code Numba cannot compile: {_first_line(err)}",
                              self._where(err)) from None

    def _where(self, err: Exception) -> str:
        match = re.search(rf"{re.escape(self.path.name)}\", line (\d+)", str(err))
        if match is None:
            return "<generated code>"
        body_line = int(match.group(1)) - self._body_start()
        if 0 <= body_line < len(self.where) and self.where[body_line]:
            return self.where[body_line]
        return "<generated code>"

    def _body_start(self) -> int:
        for number, text in enumerate(self.source.splitlines(), start=1):
            if text.startswith("def program("):
                return number + 1
        return 0

    def __call__(self, *arguments: Any) -> tuple:
        return self.function(*arguments)


def _first_line(err: Exception) -> str:
    for line in str(err).splitlines():
        line = line.strip()
        if line and not line.startswith(("During:", "File")):
            return line[:200]
    return type(err).__name__


def compile_tape(tape: Tape, outputs: Sequence[Any], arguments: Sequence[Any]) -> Program:
    return Program(tape, outputs, arguments)

