"""Every example in docs/ and README.md runs, and prints what the page says it prints.

A page is a sequence of fenced ```python blocks executed in one namespace; a
```text block right after a python block holds that block's expected output
("..." stands for any text, as in doctests: timings, for example).
Module and function docstring examples run as doctests.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import io
import pkgutil
import re
from pathlib import Path

import pytest

import brainx

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
_CHECKER = doctest.OutputChecker()  # "..." in an expected output matches anything


def _blocks(text: str) -> list[tuple[str, str | None]]:
    """Python blocks with their expected output; a block that starts indented continues
    the previous one (a class explained in parts)."""
    fences = [(m.group(1), m.group(2)) for m in FENCE.finditer(text)]
    blocks: list[tuple[str, str | None]] = []
    for i, (lang, body) in enumerate(fences):
        if lang == "python":
            following = fences[i + 1] if i + 1 < len(fences) else None
            expected = following[1] if following and following[0] == "text" else None
            if blocks and body[:1] in (" ", "\t") and blocks[-1][1] is None:
                blocks[-1] = (blocks[-1][0] + body, expected)
            else:
                blocks.append((body, expected))
    return blocks


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run_and_print_what_they_say(page):
    blocks = _blocks(page.read_text())
    if not blocks:
        assert page.name == "index.md", f"{page.name} has no python example"
        return
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    try:
        for number, (code, expected) in enumerate(blocks, start=1):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"{page.name}[block {number}]", "exec"), namespace)
            if expected is not None:
                got, want = out.getvalue().strip() + "\n", expected.strip() + "\n"
                assert _CHECKER.check_output(want, got, doctest.ELLIPSIS), (
                    f"{page.name} block {number}: expected\n{want}got\n{got}")
    finally:
        brainx.set_backend(None)


def _modules():
    names = ["brainx"]
    for info in pkgutil.walk_packages(brainx.__path__, "brainx."):
        names.append(info.name)
    return [n for n in names if not n.endswith("__main__")]


@pytest.mark.parametrize("module_name", _modules())
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, module_name, globs=dict(vars(module))):
        runner.run(test)
    brainx.set_backend(None)
    assert runner.failures == 0, f"{runner.failures} failing docstring example(s) in {module_name}"
