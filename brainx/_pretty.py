"""Readable, indented reprs for States, Nodes and the pytrees inside them."""

from __future__ import annotations

from typing import Any

__all__ = ["pretty", "shaped_repr"]

_INDENT = "  "


def shaped_repr(x: Any) -> str | None:
    """``ShapedArray(float32[2,5])`` for array-like leaves, ``None`` for other objects."""
    shape = getattr(x, "shape", None)
    dtype = getattr(x, "dtype", None)
    if shape is None or dtype is None or isinstance(x, type):
        return None
    dims = ",".join(str(d) for d in shape)
    weak = getattr(getattr(x, "aval", x), "weak_type", False)
    suffix = ", weak_type=True" if weak else ""
    return f"ShapedArray({getattr(dtype, 'name', dtype)}[{dims}]{suffix})"


def _is_simple(x: Any) -> bool:
    if isinstance(x, (list, tuple)):
        return all(_is_simple(c) for c in x)
    return not isinstance(x, dict) and shaped_repr(x) is None and not hasattr(x, "__pretty__")


def pretty(obj: Any, level: int = 0, seen: frozenset[int] = frozenset()) -> str:
    """Render ``obj``; objects defining ``__pretty__(level, seen)`` render themselves."""
    if hasattr(obj, "__pretty__") and not isinstance(obj, type):
        return obj.__pretty__(level, seen)
    shaped = shaped_repr(obj)
    if shaped is not None:
        return shaped
    pad, inner = _INDENT * level, _INDENT * (level + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{k!r}: {pretty(v, level + 1, seen)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(obj, (list, tuple)) and not _is_simple(obj):
        opening, closing = ("[", "]") if isinstance(obj, list) else ("(", ")")
        items = [f"{inner}{pretty(v, level + 1, seen)}" for v in obj]
        return opening + "\n" + ",\n".join(items) + f"\n{pad}{closing}"
    return repr(obj)


def pretty_fields(type_name: str, fields: list[tuple[str, Any]], level: int,
                  seen: frozenset[int]) -> str:
    """``Name(\\n  a=...,\\n  b=...\\n)`` with each field rendered by :func:`pretty`."""
    if not fields:
        return f"{type_name}()"
    pad, inner = _INDENT * level, _INDENT * (level + 1)
    body = ",\n".join(f"{inner}{k}={pretty(v, level + 1, seen)}" for k, v in fields)
    return f"{type_name}(\n{body}\n{pad})"
