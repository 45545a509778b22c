"""brainstate 0.1.0's functional-API examples (001, 002, 004, 007) run on brainx unchanged.

Each file is copied with only its line ``import brainstate as bst`` replaced by
``import brainx as bst`` and run as a script (``runpy.run_path(..., run_name='__main__')``,
``MPLBACKEND=Agg``). The quantities and tolerances are those of the examples' README
(``../shared/reference/brainstate-0.1.0/README.md``), measured under brainstate 0.1.0.
The scripts do not seed their random numbers; the test seeds NumPy and brainx.random
before running them, so a run is reproducible.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest

import brainx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT.parent / "shared" / "reference" / "brainstate-0.1.0" / "examples"
IMPORT_LINE = "import brainstate as bst"


@pytest.fixture
def run_example(tmp_path, monkeypatch):
    if not EXAMPLES.is_dir():
        pytest.skip(f"the brainstate 0.1.0 examples are not at {EXAMPLES} (expected "
                    f"../shared/reference/brainstate-0.1.0/examples from the project root)")
    pytest.importorskip("jax")
    monkeypatch.setenv("MPLBACKEND", "Agg")

    def run(name: str, seed: int = 0) -> dict:
        lines = (EXAMPLES / name).read_text().splitlines(keepends=True)
        hits = [i for i, line in enumerate(lines) if line.rstrip("\n") == IMPORT_LINE]
        assert len(hits) == 1, f"{name} should have one line {IMPORT_LINE!r}"
        lines[hits[0]] = "import brainx as bst\n"
        script = tmp_path / name
        script.write_text("".join(lines))
        try:
            import matplotlib

            matplotlib.use("Agg")
        except ImportError:
            pass
        np.random.seed(seed)
        brainx.random.seed(seed)
        with brainx.use_backend("jax"):
            result = runpy.run_path(str(script), run_name="__main__")
        if "matplotlib.pyplot" in __import__("sys").modules:
            __import__("matplotlib.pyplot").pyplot.close("all")
        return result

    return run


def _shapes(tree) -> list[tuple[int, ...]]:
    import jax

    return sorted(tuple(np.shape(x)) for x in jax.tree.leaves(tree))


def _regression_quality(g: dict) -> tuple[float, float]:
    X, Y = g["X"], g["Y"]
    mse = float(np.mean((np.asarray(g["y_pred"]) - Y) ** 2))
    lsq = float(np.mean((np.polyval(np.polyfit(X[:, 0], Y[:, 0], 2), X[:, 0]) - Y[:, 0]) ** 2))
    return mse, mse / lsq


def test_001_functional_api(run_example, capsys):
    pytest.importorskip("matplotlib")
    g = run_example("001_functional_api.py")
    mse, ratio = _regression_quality(g)
    assert 0.005 <= mse <= 0.02 and 0.8 <= ratio <= 1.2, (mse, ratio)
    assert int(g["model"].count.value) == 10001  # 10 000 steps + the final model(X)
    assert "times called: 10000" in capsys.readouterr().out


def test_002_lifted_transforms(run_example, capsys):
    pytest.importorskip("matplotlib")
    pytest.importorskip("optax")
    g = run_example("002_lifted_transforms.py")
    mse, ratio = _regression_quality(g)
    assert 0.005 <= mse <= 0.02 and 0.8 <= ratio <= 1.2, (mse, ratio)
    # compile.jit writes the Count State back: 10 000 steps + 10 tests + the final call
    assert int(g["model"].count.value) == 10011
    assert "times called: 10010" in capsys.readouterr().out


def test_004_scan_over_layers(run_example):
    g = run_example("004_scan_over_layers.py")
    y = np.asarray(g["y"])
    assert y.shape == (3, 10) and np.isfinite(y).all()
    assert _shapes(brainx.graph.treefy_states(g["model"])) == sorted([(5, 10)] * 5 +
                                                                     [(5, 10, 10)])


def test_007_parameter_surgery(run_example):
    g = run_example("007_parameter_surgery.py")
    assert _shapes(g["trainable_params"]) == [(10,), (128, 10)]
    assert _shapes(g["non_trainable"]) == [(128,), (784, 128)]
