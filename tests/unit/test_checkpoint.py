"""brainx.checkpoint and Runner checkpoints: saving States, loading them on any backend, and
resuming a run exactly where it stopped."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
import brainx.math as bm
from brainx.examples.coba import COBANetwork


def _lif_with_synapse():
    neurons = brainx.nn.LIF(6)
    neurons.syn = brainx.nn.Expon(6)
    return neurons


def test_save_and_load_give_back_every_state(backend, tmp_path):
    model = _lif_with_synapse()
    brainx.Runner(model).run(3.0, 30.0)
    model.syn.g.value = bm.arange(6, dtype=model.syn.g.value.dtype) * 0.5
    brainx.checkpoint.save(tmp_path / "m.npz", model)
    fresh = _lif_with_synapse()
    brainx.checkpoint.load(tmp_path / "m.npz", fresh)
    for name in ("V", "spike"):
        got, want = getattr(fresh, name).value, getattr(model, name).value
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    np.testing.assert_array_equal(np.asarray(fresh.syn.g.value), np.arange(6) * 0.5)
    assert backend.is_native(fresh.V.value)


def test_the_file_is_plain_numpy_named_by_path(tmp_path):
    with brainx.use_backend("numba"):
        model = _lif_with_synapse()
        brainx.checkpoint.save(tmp_path / "m", model, extra={"note": "x"})  # .npz added
    with np.load(tmp_path / "m.npz", allow_pickle=False) as archive:
        assert sorted(k for k in archive.files if k != "__brainx__") == ["V", "spike", "syn.g"]
        np.testing.assert_array_equal(archive["V"], model.V.value)
    assert brainx.checkpoint.read(tmp_path / "m")[1] == {"note": "x"}


def test_saved_on_jax_loads_on_numba(tmp_path):
    with brainx.use_backend("jax"):
        on_jax = _lif_with_synapse()
        brainx.Runner(on_jax).run(2.0, 40.0)
        brainx.checkpoint.save(tmp_path / "j.npz", on_jax)
    with brainx.use_backend("numba"):
        on_numba = _lif_with_synapse()
        brainx.checkpoint.load(tmp_path / "j.npz", on_numba)
        assert type(on_numba.V.value) is np.ndarray
    np.testing.assert_array_equal(on_numba.V.value, np.asarray(on_jax.V.value))


def test_filters_save_and_load_only_states_of_a_type(backend, tmp_path):
    net = COBANetwork(200, seed=1)
    brainx.checkpoint.save(tmp_path / "w.npz", net, brainx.ParamState)
    arrays, _ = brainx.checkpoint.read(tmp_path / "w.npz")
    assert sorted(arrays) == ["E.comm.weight", "I.comm.weight"]
    other = COBANetwork(200, seed=1)
    other.E.comm.weight.value = other.E.comm.weight.value * 0
    brainx.checkpoint.load(tmp_path / "w.npz", other, brainx.ParamState)
    np.testing.assert_array_equal(np.asarray(other.E.comm.weight.value),
                                  np.asarray(net.E.comm.weight.value))


def test_a_checkpoint_that_does_not_fit_is_refused(backend, tmp_path):
    brainx.checkpoint.save(tmp_path / "five.npz", brainx.nn.LIF(5))
    with pytest.raises(brainx.checkpoint.CheckpointError,
                       match=r"State 'V': the checkpoint holds float32\[5\], the model "
                             r"float32\[3\]"):
        brainx.checkpoint.load(tmp_path / "five.npz", brainx.nn.LIF(3))
    brainx.checkpoint.save(tmp_path / "lif6.npz", brainx.nn.LIF(6))
    with pytest.raises(brainx.checkpoint.CheckpointError, match=r"has no State 'syn.g'"):
        brainx.checkpoint.load(tmp_path / "lif6.npz", _lif_with_synapse())
    brainx.checkpoint.save(tmp_path / "six.npz", _lif_with_synapse())
    with pytest.raises(brainx.checkpoint.CheckpointError, match=r"holds States the model does "
                                                               r"not have: \['syn.g'\]"):
        brainx.checkpoint.load(tmp_path / "six.npz", brainx.nn.LIF(6))
    brainx.checkpoint.load(tmp_path / "six.npz", brainx.nn.LIF(6), strict=False)
    np.savez(tmp_path / "plain.npz", V=np.zeros(3))
    with pytest.raises(brainx.checkpoint.CheckpointError, match="not a brainx checkpoint"):
        brainx.checkpoint.load(tmp_path / "plain.npz", brainx.nn.LIF(3))
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(brainx.checkpoint.CheckpointError, match="is not a brainx checkpoint"):
        brainx.checkpoint.read(tmp_path / "text.npz")


def test_runner_checkpoint_needs_a_path_and_the_same_dt(backend, tmp_path):
    neurons = brainx.nn.LIF(3)
    with pytest.raises(ValueError, match="checkpoint_every .ms. and checkpoint_path go together"):
        brainx.Runner(neurons, checkpoint_every=5.0)
    runner = brainx.Runner(neurons, checkpoint_every=0.25, checkpoint_path=str(tmp_path / "c"))
    with pytest.raises(ValueError, match="checkpoint_every: the interval must be a whole number"):
        runner.run(1.0)
    brainx.Runner(neurons).save_checkpoint(str(tmp_path / "r.npz"))
    with brainx.environ.context(dt=0.05):
        with pytest.raises(brainx.checkpoint.CheckpointError, match="saved at dt = 0.1 ms"):
            brainx.Runner(brainx.nn.LIF(3)).load_checkpoint(str(tmp_path / "r.npz"))
    brainx.checkpoint.save(tmp_path / "bare.npz", neurons)
    with pytest.raises(brainx.checkpoint.CheckpointError, match="was not saved by a Runner"):
        brainx.Runner(neurons).load_checkpoint(str(tmp_path / "bare.npz"))


def _coba_runner(seed=0, **kwargs):
    net = COBANetwork(400, seed=seed)
    return brainx.Runner(net, monitors={"spike": net.N.spike, "V": net.N.V}, **kwargs), net


def test_two_runs_with_a_checkpoint_between_equal_one_run_bit_for_bit(backend, tmp_path):
    whole, _ = _coba_runner()
    expected = whole.run(1000.0)  # 10000 steps
    first, _ = _coba_runner(checkpoint_every=500.0, checkpoint_path=str(tmp_path / "half"))
    before = first.run(500.0)  # 5000 steps; the checkpoint is written at their end
    resumed, net = _coba_runner()  # built the same way: the same synapses
    net.N.V.value = net.N.V.value * 0  # the checkpoint brings every State back
    resumed.load_checkpoint(str(tmp_path / "half.npz"))
    assert resumed.i == 5000
    after = resumed.run(500.0)
    np.testing.assert_array_equal(np.concatenate([before["ts"], after["ts"]]), expected["ts"])
    for name in ("spike", "V"):
        np.testing.assert_array_equal(np.concatenate([before[name], after[name]]),
                                      expected[name])
    assert expected["spike"].sum() > 1000  # the network is active


def test_saved_on_jax_resumed_on_numba_equals_the_numba_run(tmp_path):
    options = {"strict_numerics": True}  # both backends compute every step bit for bit
    with brainx.environ.context(precision=64):
        with brainx.use_backend("numba"):
            whole, _ = _coba_runner(**options)
            expected = whole.run(1000.0)
        with brainx.use_backend("jax"):
            first, _ = _coba_runner(**options)
            before = first.run(500.0)
            first.save_checkpoint(str(tmp_path / "jax.npz"))
        with brainx.use_backend("numba"):
            resumed, net = _coba_runner(**options)
            net.N.V.value = net.N.V.value * 0
            resumed.load_checkpoint(str(tmp_path / "jax.npz"))
            after = resumed.run(500.0)
    for name in ("spike", "V"):
        np.testing.assert_array_equal(np.concatenate([before[name], after[name]]),
                                      expected[name])
