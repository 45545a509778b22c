"""The documentation site builds with no warnings (``mkdocs build --strict``), lists every
page of docs/ in its navigation, and its API reference is generated from the docstrings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_site_builds_strictly_with_every_page_and_the_api_reference(tmp_path):
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr[-4000:]}"
    assert "WARNING" not in done.stderr, done.stderr[-4000:]
    for page in sorted((ROOT / "docs").glob("*.md")):
        built = site / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")
        assert built.is_file(), f"{page.name} was not built"
    reference = (site / "reference" / "nn" / "index.html").read_text()
    assert 'id="brainx.nn.LIF"' in reference  # a class documented from its docstring
    assert "membrane time constant" in reference.lower()
    runner = (site / "reference" / "runner" / "index.html").read_text()
    assert 'id="brainx.runner.Runner.run"' in runner
    for page in (site / "reference").glob("*/index.html"):  # Sphinx roles became code
        text = page.read_text()
        for role in (":func:", ":class:", ":meth:", ":math:", ":mod:"):
            assert role not in text, f"{role} left in {page.parent.name}"
