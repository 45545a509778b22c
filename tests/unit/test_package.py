"""The public surface stays honest: module paths, light imports, missing extras."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import pytest

import brainx
from brainx.math._names import DTYPES

PUBLIC_MODULES = [
    "brainx", "brainx.backend", "brainx.compile", "brainx.conn", "brainx.environ",
    "brainx.event", "brainx.graph", "brainx.init", "brainx.integrators", "brainx.math",
    "brainx.math.linalg", "brainx.modes", "brainx.nn", "brainx.optim", "brainx.random",
    "brainx.state", "brainx.surrogate", "brainx.functional", "brainx.augment",
    "brainx.mixin", "brainx.util", "brainx.util.filter", "brainx.typing",
]


#: NumPy's dtype objects, re-exported by brainx.math as NumPy users expect.
REEXPORTED = {("brainx.math", name) for name in DTYPES + ["dtype"]}
#: brainx.typing's aliases are typing constructs (Union[...], tuple[...]) and numpy's dtype.
REEXPORTED |= {("brainx.typing", name) for name in brainx.typing.__all__
               if getattr(getattr(brainx.typing, name), "__module__", "") in (
                   "typing", "numpy", "collections.abc", "builtins")}


def _public_objects():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if (isinstance(obj, type) or callable(obj)) and (module_name, name) not in REEXPORTED:
                yield module_name, name, obj


@pytest.mark.parametrize("module_name,name,obj", list(_public_objects()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_public_object_module_is_its_public_path(module_name, name, obj):
    owner = getattr(obj, "__module__", None) or ""
    assert owner.startswith("brainx"), (name, owner)
    assert "._" not in owner and not owner.startswith("brainx._"), (name, owner)
    assert getattr(importlib.import_module(owner), obj.__name__) is obj, (name, owner)


def _run(code: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = dict(os.environ)
    full_env.pop("BRAINX_BACKEND", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=full_env, timeout=120)


def test_import_imports_no_optional_dependency():
    result = _run("""
        import sys, brainx, brainx.math, brainx.random, brainx.compile, brainx.graph
        heavy = [m for m in ("jax", "jaxlib", "numba", "llvmlite", "matplotlib", "scipy", "tqdm")
                 if m in sys.modules]
        print(heavy)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


_HIDE = """
import sys, importlib.abc
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {hidden!r}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Hide())
import importlib.util
_find = importlib.util.find_spec
importlib.util.find_spec = lambda n, *a: None if n.split('.')[0] in {hidden!r} else _find(n, *a)
"""


@pytest.mark.parametrize("missing,extra", [("jax", "jax"), ("numba", "numba")])
def test_missing_backend_names_the_pip_extra(missing, extra):
    code = _HIDE.format(hidden={missing}) + f"""
import brainx
assert {missing!r} not in brainx.available_backends(), brainx.available_backends()
try:
    brainx.set_backend({missing!r})
except brainx.BackendNotInstalledError as err:
    print(err)
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert f"pip install 'brainx[{extra}]'" in result.stdout


def test_default_is_numba_without_jax():
    result = _run(_HIDE.format(hidden={"jax", "jaxlib"}) + """
import brainx
print(brainx.get_backend().name)
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "numba"


def test_version_is_exposed():
    assert isinstance(brainx.__version__, str) and brainx.__version__.count(".") == 2


def test_numba_compiles_a_network_without_jax(tmp_path):
    pytest.importorskip("numba")
    result = _run(_HIDE.format(hidden={"jax", "jaxlib"}) + f"""
import os, sys, warnings
os.environ["BRAINX_CACHE_DIR"] = {str(tmp_path)!r}
import numpy as np, brainx
warnings.simplefilter("error", brainx.compile.EagerFallbackWarning)
out = {{}}
for jit in (True, False):
    neurons = brainx.nn.LIF(50, V_rest=-65.0, V_th=-50.0, V_reset=-65.0, tau=10.0)
    brainx.nn.init_all_states(neurons)
    runner = brainx.Runner(neurons, monitors={{"spike": neurons.spike}}, jit=jit)
    out[jit] = runner.run(20.0, 20.0)["spike"]
print(brainx.get_backend().name, np.array_equal(out[True], out[False]), out[True].sum() > 0,
      any(m.split(".")[0] == "jax" for m in sys.modules))
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["numba", "True", "True", "False"]
    assert list(tmp_path.glob("p*_*.py")), "no program was compiled"
