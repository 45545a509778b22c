"""Feed-forward layers against dense NumPy references and explicit loops, on every backend."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import BACKENDS
from scipy import signal

import brainx
import brainx.nn as nn
from brainx.backend._kernels import references

RNG = np.random.default_rng(0)


def _np(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _weights(layer) -> dict:
    return {k: _np(v) for k, v in layer.weight.value.items()}


# ---- dense layers -----------------------------------------------------------------

@pytest.mark.parametrize("batch", [(), (4,), (2, 3)])
def test_linear_matches_numpy(backend, batch):
    layer = nn.Linear(5, 3, b_init=brainx.init.Normal(seed=1))
    x = RNG.normal(size=batch + (5,)).astype(np.float32)
    p = _weights(layer)
    np.testing.assert_allclose(_np(layer(x)), x @ p["weight"] + p["bias"], rtol=1e-5, atol=1e-6)


def test_linear_without_bias_and_with_mask(backend):
    mask = (RNG.random((4, 3)) < 0.5).astype(np.float32)
    layer = nn.Linear(4, 3, b_init=None, w_mask=mask)
    assert list(layer.weight.value) == ["weight"]
    x = RNG.normal(size=(2, 4)).astype(np.float32)
    np.testing.assert_allclose(_np(layer(x)), x @ (_weights(layer)["weight"] * mask),
                               rtol=1e-5, atol=1e-6)
    # a callable mask gets the weight's shape
    ones = nn.Linear(4, 3, w_mask=brainx.math.ones)
    assert ones.w_mask.shape == (4, 3)


def test_linear_repr_and_states_as_the_reference_prints_them(backend):
    layer = nn.Linear(2, 1)
    assert repr(layer) == (
        "Linear(\n  in_size=(2,),\n  out_size=(1,),\n  w_mask=None,\n  weight=ParamState(\n"
        "    value={\n      'bias': ShapedArray(float32[1]),\n"
        "      'weight': ShapedArray(float32[2,1])\n    }\n  )\n)")

    class MLP(brainx.graph.Node):
        def __init__(self):
            self.input = nn.Linear(2, 4)
            self.layers = [nn.Linear(4, 4) for _ in range(2)]
            self.output = nn.Linear(4, 3)

    states = MLP().states()
    assert list(states) == [("input", "weight"), ("layers", 0, "weight"),
                            ("layers", 1, "weight"), ("output", "weight")]
    assert all(isinstance(s, brainx.ParamState) for s in states.values())
    assert list(nn.Linear(2, 3).states()) == [("weight",)]


def test_linear_default_weight_is_kaiming_normal():
    brainx.random.seed(4)
    with brainx.use_backend("numba"):
        w = _weights(nn.Linear(3, 2))["weight"]
    brainx.random.seed(4)
    with brainx.use_backend("numba"):
        expected = _np(brainx.init.KaimingNormal()((3, 2)))
    np.testing.assert_array_equal(w, expected)


def test_scaled_ws_linear_matches_the_formula(backend):
    layer = nn.ScaledWSLinear(6, 3, b_init=brainx.init.Constant(0.5), eps=1e-4)
    p = _weights(layer)
    w = p["weight"]
    standardized = (w - w.mean(0)) / np.sqrt(np.maximum(w.var(0) * 6, 1e-4)) * p["gain"]
    x = RNG.normal(size=(2, 6)).astype(np.float32)
    np.testing.assert_allclose(_np(layer(x)), x @ standardized + 0.5, rtol=1e-4, atol=1e-5)
    assert "gain" not in nn.ScaledWSLinear(6, 3, ws_gain=False).weight.value


def test_signed_linear(backend):
    sign = np.array([1.0, -1.0, 1.0], np.float32)
    layer = nn.SignedWLinear(4, 3, w_sign=sign)
    x = RNG.normal(size=(5, 4)).astype(np.float32)
    w = _np(layer.weight.value)
    np.testing.assert_allclose(_np(layer(x)), x @ (np.abs(w) * sign), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(nn.SignedWLinear(4, 3, w_init=-np.ones((4, 3)))(x)),
                               x @ np.ones((4, 3)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("n_in,n_out", [(4, 4), (5, 3), (3, 5)])
@pytest.mark.parametrize("include_self", [True, False])
def test_all_to_all_matrix_and_scalar_weights(backend, n_in, n_out, include_self):
    x = RNG.normal(size=(2, n_in)).astype(np.float32)
    dense = nn.AllToAll(n_in, n_out, include_self=include_self, b_init=brainx.init.Constant(1.0))
    w = _weights(dense)["weight"]
    keep = np.ones((n_in, n_out)) if include_self else 1 - np.eye(n_in, n_out)
    np.testing.assert_allclose(_np(dense(x)), x @ (w * keep) + 1.0, rtol=1e-5, atol=1e-5)
    homogeneous = nn.AllToAll(n_in, n_out, w_init=0.25, include_self=include_self)
    assert homogeneous.weight.value["weight"].shape == ()
    np.testing.assert_allclose(_np(homogeneous(x)), x @ (0.25 * keep), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(homogeneous(x[0])), x[0] @ (0.25 * keep), rtol=1e-5,
                               atol=1e-5)


def test_one_to_one(backend):
    layer = nn.OneToOne((2, 3), b_init=brainx.init.Constant(0.5))
    p = _weights(layer)
    x = RNG.normal(size=(4, 2, 3)).astype(np.float32)
    # atol: XLA fuses x * w + 0.5 into one FMA, whose single rounding differs from NumPy's
    # two by up to an ULP of x * w, a large relative error where the sum nearly cancels
    np.testing.assert_allclose(_np(layer(x)), x * p["weight"] + 0.5, rtol=1e-6, atol=1e-6)
    assert list(layer.states()) == [("weight",)]


def test_dense_layer_errors():
    with pytest.raises(ValueError, match="in_size must be a positive int"):
        nn.Linear(0, 3)
    with pytest.raises(ValueError, match="agree on all but their last dimension"):
        nn.Linear((2, 3), (4, 3))
    with pytest.raises(ValueError, match="w_init must be"):
        nn.Linear(2, 3, w_init=None)
    with pytest.raises(ValueError, match=r"w_mask of shape \(3, 3\) does not broadcast"):
        nn.Linear(2, 3, w_mask=np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"w_init of shape \(3, 2\) does not broadcast"):
        nn.Linear(2, 3, w_init=np.ones((3, 2)))
    with brainx.use_backend("numba"):
        with pytest.raises(ValueError, match="last axis has 2 features, got an input of shape"):
            nn.Linear(2, 3)(np.ones((4, 3)))
        with pytest.raises(ValueError, match=r"ending in the shape \(3,\)"):
            nn.OneToOne(3)(np.ones(4))
    with pytest.raises(ValueError, match="eps must be > 0"):
        nn.ScaledWSLinear(2, 3, eps=0.0)


# ---- convolution ------------------------------------------------------------------

def _conv_loop(x, w, stride, pads, lhs, rhs, groups):
    """Direct definition: y[n, o, c] = sum over the window of the dilated, padded input."""
    nd = x.ndim - 2
    dilated = np.zeros((x.shape[0],) + tuple((n - 1) * d + 1 for n, d in
                                              zip(x.shape[1:-1], lhs, strict=True)) + x.shape[-1:])
    dilated[(slice(None),) + tuple(slice(None, None, d) for d in lhs)] = x
    xp = np.pad(dilated, [(0, 0)] + [tuple(p) for p in pads] + [(0, 0)])
    kernel, cin_g, cout = w.shape[:nd], w.shape[nd], w.shape[-1]
    cout_g = cout // groups
    out = [(xp.shape[1 + i] - (kernel[i] - 1) * rhs[i] - 1) // stride[i] + 1 for i in range(nd)]
    y = np.zeros((x.shape[0],) + tuple(out) + (cout,))
    for n, pos, co in itertools.product(range(x.shape[0]), np.ndindex(*out), range(cout)):
        g = co // cout_g
        window = xp[(n,) + tuple(slice(p * s, p * s + (k - 1) * r + 1, r) for p, s, k, r in
                                 zip(pos, stride, kernel, rhs, strict=True))
                    + (slice(g * cin_g, (g + 1) * cin_g),)]
        y[(n,) + pos + (co,)] = np.sum(window * w[..., co])
    return y


CONV_CASES = [
    # (cls, spatial, cin, cout, kwargs, expected explicit pads)
    (nn.Conv1d, (9,), 2, 3, dict(kernel_size=3), ((1, 1),)),
    (nn.Conv1d, (9,), 4, 4, dict(kernel_size=2, stride=2, padding="VALID", groups=2), ((0, 0),)),
    (nn.Conv1d, (6,), 2, 2, dict(kernel_size=3, padding=(2, 1), lhs_dilation=2), ((2, 1),)),
    (nn.Conv2d, (5, 6), 3, 2, dict(kernel_size=(3, 2), stride=(2, 1)), ((1, 1), (0, 1))),
    (nn.Conv2d, (7, 7), 2, 4, dict(kernel_size=3, rhs_dilation=2, padding=1, groups=2),
     ((1, 1), (1, 1))),
    (nn.Conv3d, (4, 5, 3), 2, 2, dict(kernel_size=2, padding="SAME"), ((0, 1),) * 3),
]


@pytest.mark.parametrize("cls,spatial,cin,cout,kwargs,pads", CONV_CASES)
def test_convolution_matches_the_direct_definition(backend, cls, spatial, cin, cout, kwargs,
                                                    pads):
    conv = cls(spatial + (cin,), cout, b_init=brainx.init.Normal(seed=2), **kwargs)
    x = RNG.normal(size=(2,) + spatial + (cin,)).astype(np.float32)
    p = _weights(conv)
    nd = len(spatial)
    expected = _conv_loop(x, p["weight"], conv.stride, pads, conv.lhs_dilation,
                          conv.rhs_dilation, conv.groups) + p["bias"]
    y = _np(conv(x))
    assert y.shape == expected.shape and tuple(conv.out_size) == expected.shape[1:]
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(conv(x[0])), expected[0], rtol=1e-4, atol=1e-5)
    assert p["weight"].shape == conv.kernel_size + (cin // conv.groups, cout)
    assert p["bias"].shape == (1,) * nd + (cout,)


def test_conv2d_single_channel_is_scipy_correlate(backend):
    conv = nn.Conv2d((6, 7, 1), 1, kernel_size=(3, 2), padding="VALID")
    x = RNG.normal(size=(6, 7, 1)).astype(np.float32)
    k = _weights(conv)["weight"][..., 0, 0]
    np.testing.assert_allclose(_np(conv(x))[..., 0], signal.correlate(x[..., 0], k, "valid"),
                               rtol=1e-4, atol=1e-5)


def test_conv_mask_and_repr(backend):
    mask = np.zeros((3, 2, 1), np.float32)
    mask[1] = 1.0  # keep only the centre tap
    conv = nn.Conv1d((5, 2), 1, kernel_size=3, w_mask=mask)
    x = RNG.normal(size=(5, 2)).astype(np.float32)
    w = _weights(conv)["weight"]
    np.testing.assert_allclose(_np(conv(x))[:, 0], x @ w[1, :, 0], rtol=1e-5, atol=1e-6)
    text = repr(conv)
    assert text.startswith("Conv1d(\n  in_size=(5, 2),\n  out_size=(5, 1),\n  kernel_size=(3,)")
    assert "'weight': ShapedArray(float32[3,2,1])" in text


def test_convolution_errors():
    with pytest.raises(ValueError, match="needs in_size of 3 ints"):
        nn.Conv2d((5, 3), 2, 3)
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv1d((5, 3), 2, 3, groups=2)
    with pytest.raises(ValueError, match="padding must be 'SAME', 'VALID'"):
        nn.Conv1d((5, 2), 2, 3, padding="FULL")
    with pytest.raises(ValueError, match="not defined with lhs_dilation > 1"):
        nn.Conv1d((5, 2), 2, 3, lhs_dilation=2)
    with pytest.raises(ValueError, match="larger than the padded input"):
        nn.Conv1d((2, 2), 2, 5, padding="VALID")
    with pytest.raises(ValueError, match="kernel_size must be an int >= 1"):
        nn.Conv2d((5, 5, 2), 2, (3, 3, 3))
    with brainx.use_backend("numba"), pytest.raises(ValueError, match="expects inputs of shape"):
        nn.Conv1d((5, 2), 2, 3)(np.ones((6, 2)))


# ---- pooling ----------------------------------------------------------------------

def _pool_loop(x, op, axes, kernel, stride, pads):
    """Explicit windows over ``axes``; padded elements are NaN, left out of max and mean."""
    width = [(0, 0)] * x.ndim
    for a, p in zip(axes, pads, strict=True):
        width[a] = p
    xp = np.pad(x.astype(np.float64), width, constant_values=np.nan)
    out_shape = list(x.shape)
    for a, k, s in zip(axes, kernel, stride, strict=True):
        out_shape[a] = (xp.shape[a] - k) // s + 1
    y = np.zeros(out_shape)
    reduce = np.nanmax if op == "max" else np.nanmean
    for pos in np.ndindex(*out_shape):
        index = [slice(p, p + 1) for p in pos]
        for a, k, s in zip(axes, kernel, stride, strict=True):
            index[a] = slice(pos[a] * s, pos[a] * s + k)
        y[pos] = reduce(xp[tuple(index)])
    return y


POOL_CASES = [
    (nn.MaxPool1d, (2, 9, 3), dict(kernel_size=3), [1], (3,), (3,), [(0, 0)]),
    (nn.MaxPool1d, (7, 2), dict(kernel_size=2, stride=1, padding="SAME"), [0], (2,), (1,),
     [(0, 1)]),
    (nn.AvgPool1d, (2, 8, 3), dict(kernel_size=3), [1], (3,), (1,), [(0, 0)]),
    (nn.MaxPool2d, (2, 5, 6, 2), dict(kernel_size=(2, 3), stride=2, padding=1), [1, 2], (2, 3),
     (2, 2), [(1, 1), (1, 1)]),
    (nn.AvgPool2d, (5, 5, 2), dict(kernel_size=3, stride=2, padding="SAME"), [0, 1], (3, 3),
     (2, 2), [(1, 1), (1, 1)]),
    (nn.AvgPool2d, (4, 6, 5), dict(kernel_size=2, channel_axis=None), [1, 2], (2, 2), (1, 1),
     [(0, 0), (0, 0)]),
    (nn.MaxPool3d, (2, 4, 5, 4, 1), dict(kernel_size=2), [1, 2, 3], (2, 2, 2), (2, 2, 2),
     [(0, 0)] * 3),
    (nn.AvgPool3d, (4, 4, 3, 2), dict(kernel_size=2, padding=[(1, 0), (0, 1), (1, 1)]),
     [0, 1, 2], (2, 2, 2), (1, 1, 1), [(1, 0), (0, 1), (1, 1)]),
]


@pytest.mark.parametrize("cls,shape,kwargs,axes,kernel,stride,pads", POOL_CASES)
def test_pooling_matches_explicit_windows(backend, cls, shape, kwargs, axes, kernel, stride,
                                          pads):
    x = RNG.normal(size=shape).astype(np.float32)
    op = "max" if cls.__name__.startswith("Max") else "mean"
    expected = _pool_loop(x, op, axes, kernel, stride, pads)
    layer = cls(**kwargs, in_size=shape[1:] if len(shape) > cls.pool_dim + 1 else shape)
    y = _np(layer(x))
    assert y.shape == expected.shape
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


def test_pool_out_size_and_defaults():
    assert nn.MaxPool2d(2, in_size=(8, 6, 3)).out_size == (4, 3, 3)  # stride = kernel
    assert nn.AvgPool2d(2, in_size=(8, 6, 3)).out_size == (7, 5, 3)  # stride 1
    assert nn.MaxPool1d(3).stride == (3,) and nn.AvgPool1d(3).stride == (1,)


def _adaptive_loop(x, axes, targets, op):
    for axis, t in zip(axes, targets, strict=True):
        n = x.shape[axis]
        block, longer = divmod(n, t)
        sizes = [block + 1] * longer + [block] * (t - longer)
        edges = np.concatenate([[0], np.cumsum(sizes)])
        reduce = np.max if op == "max" else np.mean
        x = np.stack([reduce(np.take(x, range(edges[i], edges[i + 1]), axis=axis), axis=axis)
                      for i in range(t)], axis=axis)
    return x


@pytest.mark.parametrize("kind", ["Avg", "Max"])
@pytest.mark.parametrize("nd,shape,target", [(1, (2, 10, 3), 4), (2, (7, 9, 2), (3, 4)),
                                             (3, (2, 5, 4, 6, 1), (2, 3, 4))])
def test_adaptive_pooling_matches_its_segmentation(backend, kind, nd, shape, target):
    cls = getattr(nn, f"Adaptive{kind}Pool{nd}d")
    x = RNG.normal(size=shape).astype(np.float32)
    axes = list(range(len(shape) - 1 - nd, len(shape) - 1))
    targets = (target,) * nd if isinstance(target, int) else target
    expected = _adaptive_loop(x.astype(np.float64), axes, targets, kind.lower())
    layer = cls(target, in_size=shape[-(nd + 1):])
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5, atol=1e-6)
    assert layer.out_size == expected.shape[-(nd + 1):]


def test_pooling_errors():
    with pytest.raises(ValueError, match="padding must be 'SAME'"):
        nn.MaxPool2d(2, padding="FULL")
    with pytest.raises(ValueError, match="kernel_size must be an int >= 1"):
        nn.MaxPool2d(0)
    with pytest.raises(TypeError, match="channel_axis must be an int or None"):
        nn.MaxPool1d(2, channel_axis=1.0)
    with brainx.use_backend("numba"):
        with pytest.raises(ValueError, match="at least 3 dimensions"):
            nn.MaxPool2d(2)(np.ones((4, 4)))
        with pytest.raises(ValueError, match="larger than the padded input"):
            nn.MaxPool1d(5)(np.ones((3, 1)))
        with pytest.raises(ValueError, match="cannot pool an axis of 3 elements down to 4"):
            nn.AdaptiveAvgPool1d(4)(np.ones((3, 2)))


# ---- kernels against references -----------------------------------------------------

def _operator_arguments(name, dtype):
    if name == "layer.conv":
        x = RNG.normal(size=(2, 6, 5, 4)).astype(dtype)
        w = RNG.normal(size=(3, 2, 2, 6)).astype(dtype)
        return x, w, (2, 1), ((1, 2), (0, 1)), (1, 2), (2, 1), 2
    if name == "layer.reduce_window":
        x = RNG.normal(size=(2, 7, 6, 3)).astype(dtype)
        return x, "max", (1, 3, 2, 1), (1, 2, 2, 1), ((0, 0), (1, 1), (0, 1), (0, 0))
    raise AssertionError(f"no test arguments for {name}")


@pytest.mark.parametrize("name", sorted(n for n in references() if n.startswith("layer.")))
@pytest.mark.parametrize("backend_name", BACKENDS)
def test_registered_layer_kernels_equal_their_references(name, backend_name):
    backend = brainx.get_backend(backend_name)
    kernel = backend.kernels().get(name)
    if kernel is None:
        pytest.skip(f"{backend_name} runs the reference of {name}")
    with brainx.use_backend(backend), brainx.environ.context(precision=64):
        args = _operator_arguments(name, np.float64)
        got, want = [kernel(backend, *args)], [references()[name](backend, *args)]
        if name == "layer.reduce_window":  # the sum too
            got.append(kernel(backend, args[0], "sum", *args[2:]))
            want.append(references()[name](backend, args[0], "sum", *args[2:]))
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-12, atol=1e-12, err_msg=name)


# ---- shape layers and embedding ------------------------------------------------------

def test_flatten_and_unflatten(backend):
    x = RNG.normal(size=(3, 2, 4, 5)).astype(np.float32)
    np.testing.assert_array_equal(_np(nn.Flatten()(x)), x.reshape(-1))
    np.testing.assert_array_equal(_np(nn.Flatten(1, 2)(x)), x.reshape(3, 8, 5))
    np.testing.assert_array_equal(_np(nn.Flatten(-2)(x)), x.reshape(3, 2, 20))
    per_sample = nn.Flatten(in_size=(2, 4, 5))
    assert per_sample.out_size == (40,)
    np.testing.assert_array_equal(_np(per_sample(x)), x.reshape(3, 40))
    np.testing.assert_array_equal(_np(per_sample(x[0])), x[0].reshape(40))
    np.testing.assert_array_equal(_np(nn.Unflatten(1, (4, 2))(x.reshape(3, 8, 5))),
                                  x.reshape(3, 4, 2, 5))
    np.testing.assert_array_equal(_np(nn.Unflatten(-1, (5, -1))(x)), x.reshape(3, 2, 4, 5, 1))
    assert nn.Unflatten(0, (2, 20), in_size=(40,)).out_size == (2, 20)


def test_shape_errors():
    with pytest.raises(ValueError, match="start_axis"):
        nn.Flatten(2, 1, in_size=(2, 3, 4))
    with pytest.raises(TypeError, match="sizes must be a non-empty tuple"):
        nn.Unflatten(0, 4)
    with pytest.raises(ValueError, match="at most one -1"):
        nn.Unflatten(0, (-1, -1))
    with pytest.raises(ValueError, match=r"cannot split an axis of 10 elements into \(3, 3\)"):
        nn.Unflatten(0, (3, 3), in_size=(10,))
    with brainx.use_backend("numba"), pytest.raises(ValueError, match="expects inputs ending"):
        nn.Flatten(in_size=(2, 3))(np.ones((3, 2)))


def test_embedding(backend):
    table = RNG.normal(size=(5, 3)).astype(np.float32)
    emb = nn.Embedding(5, 3, embed_init=table)
    idx = np.array([[4, 0, 2], [1, 1, 3]])
    np.testing.assert_array_equal(_np(emb(idx)), table[idx])
    assert list(emb.states()) == [("weight",)] and emb.out_size == (3,)
    assert nn.Embedding(7, 4).weight.value.shape == (7, 4)
    with pytest.raises(IndexError, match=r"in \[0, 5\)"):
        emb(np.array([5]))
    with pytest.raises(TypeError, match="integer indices"):
        emb(np.array([0.0]))
    with pytest.raises(ValueError, match="num_embeddings must be a non-negative int"):
        nn.Embedding(-1, 3)


# ---- compiled and differentiated -------------------------------------------------------

def test_layers_under_jit_equal_eager(backend):
    net = [nn.Conv2d((6, 6, 2), 3, 3), nn.MaxPool2d(2), nn.AvgPool2d(2, padding="SAME"),
           nn.Flatten(in_size=(3, 3, 3)), nn.Linear(27, 4)]

    def forward(x):
        for layer in net:
            x = layer(x)
        return x

    x = RNG.normal(size=(2, 6, 6, 2)).astype(np.float32)
    np.testing.assert_allclose(_np(brainx.compile.jit(forward)(x)), _np(forward(x)),
                               rtol=1e-5, atol=1e-6)


def test_gradients_through_conv_and_pooling_match_finite_differences(backend):
    if "grad" not in backend.capabilities:
        pytest.skip(f"backend {backend.name!r} lacks capability 'grad'")
    with brainx.environ.context(precision=64):
        conv = nn.Conv1d((6, 2), 2, 3, b_init=brainx.init.ZeroInit())
        pool, avg = nn.MaxPool1d(2), nn.AvgPool1d(2, padding="SAME")
        x = RNG.normal(size=(6, 2))

        def loss():
            y = conv(x)
            return brainx.math.sum(pool(y) ** 2) + brainx.math.sum(avg(y) ** 3)

        grads = brainx.augment.grad(loss, conv.states())()[("weight",)]["weight"]
        w0 = _np(conv.weight.value["weight"])
        numeric = np.zeros_like(w0)
        for i in np.ndindex(*w0.shape):
            for sign in (1, -1):
                w = w0.copy()
                w[i] += sign * 1e-6
                conv.weight.value = {"bias": conv.weight.value["bias"],
                                     "weight": brainx.math.asarray(w)}
                numeric[i] += sign * float(loss()) / 2e-6
        np.testing.assert_allclose(_np(grads), numeric, rtol=1e-5, atol=1e-6)
