"""The reference pages name every option users can give: P10 found ``synapses.md``
without ``Runner``'s ``inputs=`` and ``strict_numerics=``, and ``api.md``'s command table
without ``verify`` and ``cobahh``."""

from __future__ import annotations

import argparse
import inspect
from pathlib import Path

import pytest

import brainx
from brainx.cli import _parser
from brainx.examples import EXAMPLES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("method", ["__init__", "run"])
def test_synapses_page_names_every_parameter_of_the_runner(method):
    page = (DOCS / "synapses.md").read_text()
    names = [n for n in inspect.signature(getattr(brainx.Runner, method)).parameters
             if n not in ("self", "args")]
    assert [n for n in names if f"{n}" not in page] == []


def test_api_page_lists_every_command_model_and_option():
    page = (DOCS / "api.md").read_text()
    table = page[page.index("## The `brainx` command"):]
    for name, parser in _subcommands().items():
        assert f"`brainx {name}" in table, name
        options = [o for a in parser._actions for o in a.option_strings
                   if o.startswith("--") and o != "--help"]
        assert [o for o in options if o not in table] == [], name
    for model in EXAMPLES:
        assert f"{model}\\|" in table or f"|{model}" in table, model
