"""Regressions of P9's audit: values that were accepted and computed garbage, or failed
with a message that named no argument."""

from __future__ import annotations

import numpy as np
import pytest

import brainx
import brainx.math as bm


def test_float_state_refuses_a_string(backend):
    state = brainx.State(bm.zeros(3, dtype=np.float32), name="V")
    with pytest.raises(brainx.StateMismatchError, match=r"State 'V': the State holds an array "
                                                        r"of float32\[3\]; a value of type str "
                                                        r"\('hello'\) is not an array"):
        state.value = "hello"


@pytest.mark.parametrize("seed", [2**64, 10**30, -2**63 - 1])
def test_seed_beyond_64_bits_raises_instead_of_being_reduced(backend, seed):
    with pytest.raises(ValueError, match=rf"seed must be an int in \[-2\*\*63, 2\*\*64\) "
                                         rf"\(64 bits\), got {seed}"):
        brainx.random.RandomState(seed)
    with pytest.raises(ValueError, match=r"seed must be an int in \[-2\*\*63, 2\*\*64\)"):
        brainx.conn.FixedProb(0.1, seed=seed)(3, 3)


def test_negative_seed_is_its_twos_complement_as_in_jax(backend):
    jax = pytest.importorskip("jax")
    with jax.enable_x64(True):  # jax reads a seed as int64 only with x64
        jax_key = np.asarray(jax.random.PRNGKey(-1))
    np.testing.assert_array_equal(np.asarray(brainx.random.RandomState(-1).value), jax_key)
    a = brainx.random.RandomState(-1).rand(4)
    b = brainx.random.RandomState(2**64 - 1).rand(4)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_model_built_under_jax_steps_compiled_on_numba():
    with brainx.use_backend("jax"):
        built_on_jax = brainx.nn.LIF(5)
    with brainx.use_backend("numba"), brainx.environ.context(jit=True):
        import warnings

        built_on_numba = brainx.nn.LIF(5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no TypingError, no eager fallback
            got = brainx.Runner(built_on_jax, monitors={"V": "V"}).run(2.0, 30.0)
        want = brainx.Runner(built_on_numba, monitors={"V": "V"}).run(2.0, 30.0)
    np.testing.assert_array_equal(got["V"], want["V"])
    assert type(built_on_jax.V.value) is np.ndarray  # the States now belong to numba


def test_jax_array_given_to_a_numba_model_is_read_as_numpy():
    import jax.numpy as jnp

    with brainx.use_backend("numba"):
        given_jax, given_numpy = brainx.nn.LIF(5), brainx.nn.LIF(5)
        given_jax(jnp.full(5, 30.0, dtype=jnp.float32))
        given_numpy(np.full(5, 30.0, dtype=np.float32))
    assert type(given_jax.V.value) is np.ndarray
    np.testing.assert_array_equal(given_jax.V.value, given_numpy.V.value)


def test_jax_tracer_reaching_numba_raises_mixed_backend_error():
    jax = pytest.importorskip("jax")
    with brainx.use_backend("numba"):
        neurons = brainx.nn.LIF(3)
        with pytest.raises(brainx.MixedBackendError, match="another backend"):
            jax.jit(lambda x: neurons(x))(np.ones(3, np.float32))


def test_population_size_given_as_text_names_its_type(backend):
    with pytest.raises(TypeError, match=r"size must be a positive int or a tuple of them, got "
                                        r"'10' \(of type str\)"):
        brainx.nn.LIF("10")


def test_negative_array_shape_is_named_on_every_backend(backend):
    with pytest.raises(ValueError, match=r"zeros: shape must be a non-negative int or a tuple "
                                         r"of them, got -1"):
        bm.zeros(-1)


def test_input_current_of_the_wrong_shape_names_both_shapes(backend):
    neurons = brainx.nn.LIF(5)
    with pytest.raises(ValueError, match=r"LIF: the input current x has shape \(3,\), which "
                                         r"does not broadcast to the population's shape \(5,\)"):
        neurons(bm.ones(3))


def test_runner_rows_of_the_wrong_shape_name_the_input(backend):
    neurons = brainx.nn.LIF(5)
    runner = brainx.Runner(neurons, monitors={"V": neurons.V}, inputs=np.ones((10, 3)))
    with pytest.raises(brainx.RunError, match=r"input current x has shape \(3,\)"):
        runner.run(1.0)


def test_projection_whose_comm_delivers_to_another_size_is_refused(backend):
    post = brainx.nn.LIF(3)
    comm = brainx.event.FixedProb(4, 5, 0.5, 0.1, seed=0)
    with pytest.raises(ValueError, match=r"comm delivers to n_post = 5 neurons, but post "
                                         r"\(LIF\) has 3"):
        brainx.nn.AlignPostProj(comm=comm, syn=brainx.nn.Expon(3), out=brainx.nn.CUBA(),
                                post=post)
