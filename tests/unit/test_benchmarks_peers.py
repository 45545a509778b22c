"""The peer scripts of benchmarks/ do brainx's arithmetic at brainx's precision, and say so.

P10 found the Brian2 script integrating with ``exponential_euler`` (three ``exp()`` per
neuron and step that brainx's COBA does not compute) and the brainstate / BrainPy
scripts at float32 beside brainx's float64. Each peer script must say at its top how it
matches, take the ``--precision`` that ``benchmarks/coba.py`` runs brainx at, and be
given it. (The peers themselves are not installed in CI; their runs are in the
closing notes.)
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PEERS = Path(__file__).resolve().parents[2] / "benchmarks" / "peers"
sys.path.insert(0, str(PEERS.parent))
sys.path.insert(0, str(PEERS))
import coba  # noqa: E402
from _result import arguments  # noqa: E402

SCRIPTS = sorted(spec[0] for spec in coba.PEERS.values())


@pytest.mark.parametrize("script", sorted(set(SCRIPTS)))
def test_each_peer_script_says_how_it_matches_and_takes_the_precision(script):
    source = (PEERS / script).read_text()
    doc = ast.get_docstring(ast.parse(source))
    assert "--precision" in doc and "Precision" in doc, f"{script}: no precision stated"
    assert "euler" in doc.lower(), f"{script}: the integration method is not stated"
    assert "arguments(" in source, f"{script} does not read --precision"


def test_brian2_integrates_with_the_cost_of_brainx_step():
    tree = ast.parse((PEERS / "brian2_coba.py").read_text())
    methods = [kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
               for kw in node.keywords if kw.arg == "method"]
    assert methods == ["euler"]


def test_coba_passes_its_precision_to_every_peer(monkeypatch):
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, 0, stdout='{"per_sim_s": 1.0}\n', stderr="")

    monkeypatch.setattr(coba.subprocess, "run", fake_run)
    results = coba.run_peers(sys.executable, coba.PEERS, 400, 10.0, 32)
    assert set(results) == set(coba.PEERS)
    for command in commands:
        assert command[-2:] == ["--precision", "32"], command


def test_peer_arguments_parse_size_duration_target_and_precision(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["x", "4000", "200", "cpp_standalone", "--precision", "32"])
    assert arguments(target=True) == (4000, 200.0, 32, "cpp_standalone")
    monkeypatch.setattr(sys, "argv", ["x", "4000", "200"])
    assert arguments() == (4000, 200.0, 64)
    monkeypatch.setattr(sys, "argv", ["x", "4000", "200", "--precision", "16"])
    with pytest.raises(SystemExit):
        arguments()
