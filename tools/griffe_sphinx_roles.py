"""A griffe extension for the docs site: Sphinx roles in brainx's docstrings as code.

The docstrings use Sphinx's ``:func:`name```, ``:class:`~mod.Name``` and
``:math:`x``` roles, which Markdown would print verbatim; this turns each into inline
code (the name without Sphinx's ``~`` prefix; the math source as written).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|obj|exc|math):`~?([^`]+)`")


def without_roles(text: str) -> str:
    """``text`` with every Sphinx role written as inline code.

    Examples
    --------
    >>> without_roles("see :func:`brainx.functional.celu` and :class:`~brainx.nn.LIF`")
    'see `brainx.functional.celu` and `brainx.nn.LIF`'
    """
    return _ROLE.sub(lambda m: f"`{m.group(1)}`", text)


class SphinxRolesAsCode(griffe.Extension):
    """Rewrites the docstring of every object griffe loads."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = without_roles(obj.docstring.value)
