"""Measure what BrainPy itself (or brainx) gives for a program of this folder.

Run it with BrainPy 2.8 installed in a separate environment (brainx is not needed)::

    python3.11 -m venv /tmp/bp28 && /tmp/bp28/bin/pip install brainpy matplotlib
    JAX_PLATFORMS=cpu /tmp/bp28/bin/python tests/unit/brainpy2/measure_brainpy.py \\
        examples/COBA.py run2 --seeds 5

The program is the original: its ``import brainx.compat.brainpy`` lines are turned back
into ``import brainpy`` in a temporary copy. For each seed ``k`` it calls
``bm.random.seed(k)`` and ``np.random.seed(k)``, runs the program (as ``__main__``, or
calls FUNCTION), and prints the numbers of ``_capture.metrics``; then their mean and
standard deviation over the seeds, as JSON.

``--brainx jax`` (or ``numba``) runs the program as it is here, on brainx (in brainx's
environment), seeding ``brainx.random`` instead: the same numbers from brainx.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def _original(path: Path) -> Path:
    text = path.read_text().replace("import brainx.compat.brainpy.math as bm",
                                    "import brainpy.math as bm")
    text = text.replace("import brainx.compat.brainpy as bp", "import brainpy as bp")
    copy = Path(tempfile.mkdtemp()) / path.name
    copy.write_text(text)
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", help="a path relative to this folder, e.g. examples/COBA.py")
    parser.add_argument("function", nargs="?", default=None)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--brainx", metavar="BACKEND", default=None,
                        help="run on brainx's BACKEND instead of BrainPy")
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if args.brainx:
        import brainx
        import brainx.compat.brainpy as bp

        brainx.set_backend(args.brainx)
        program, seed_all, version = HERE / args.program, brainx.random.seed, "brainx"
    else:
        import brainpy as bp
        import brainpy.math as bm

        program, seed_all, version = _original(HERE / args.program), bm.random.seed, None
    sys.path.insert(0, str(HERE))
    import _capture

    plt.show = lambda *a, **k: None
    runs = []
    for seed in range(args.seeds):
        seed_all(seed)
        np.random.seed(seed)
        records = _capture.install(bp.visualize, setattr)
        if args.function is None:
            runpy.run_path(str(program), run_name="__main__")
        else:
            runpy.run_path(str(program), run_name="brainpy_example")[args.function]()
        plt.close("all")
        runs.append(_capture.metrics(records))
        print(json.dumps({"seed": seed, **runs[-1]}), flush=True)
    summary = {}
    for key in ("rates", "lines"):
        values = np.array([run[key] for run in runs], dtype=float)
        if values.size:
            summary[key] = {"mean": values.mean(axis=0).round(4).tolist(),
                            "sd": values.std(axis=0, ddof=1).round(4).tolist()
                            if len(runs) > 1 else None}
    print(json.dumps({"program": args.program, "function": args.function,
                      "brainpy": version or bp.__version__, "backend": args.brainx,
                      "seeds": args.seeds, **summary}))


if __name__ == "__main__":
    main()
