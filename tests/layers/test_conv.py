"""nnlib.layers.conv: the convolutional, pooling and flatten layers against float64 central differences and the loop oracle."""

import numpy as np
import pytest

from nnlib.layers.conv import (AvgPool2D, Conv2D, Flatten, MaxPool2D, conv2d_naive, conv2d_naive_backward,
                        output_size)
from nnlib.gradcheck import check_layer
from nnlib.layers import Act, Dense
from nnlib.layers.sequential import Sequential

# (samples, C_in, H, W, C_out, kernel, stride, padding): strides 1-2, paddings 0-2, rectangular kernels
SHAPES = [
    (2, 1, 5, 6, 3, (3, 2), 1, 0),
    (3, 2, 7, 6, 4, (2, 3), 2, 1),
    (2, 3, 6, 6, 2, 3, 2, 2),
    (1, 2, 4, 5, 3, (4, 2), 1, 2),
    (2, 1, 8, 8, 5, 3, 1, 1),
    (2, 4, 5, 7, 2, (1, 3), (2, 1), (0, 1)),
    (1, 1, 3, 3, 1, 3, 1, 0),
]


def _layer(C_in, C_out, kernel, stride, padding, seed=0):
    layer = Conv2D(C_in, C_out, kernel, stride, padding, seed=seed)
    layer.params["b"][:] = np.random.default_rng(seed + 1).standard_normal(C_out)
    return layer


@pytest.mark.parametrize("case", SHAPES)
def test_conv2d_gradients_by_central_differences(case):
    n, C_in, H, W, C_out, kernel, stride, padding = case
    x = np.random.default_rng(0).standard_normal((n, C_in, H, W))
    errors = check_layer(_layer(C_in, C_out, kernel, stride, padding), x)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("case", SHAPES)
def test_conv2d_equals_the_loop_oracle(case):
    n, C_in, H, W, C_out, kernel, stride, padding = case
    rng = np.random.default_rng(1)
    layer = _layer(C_in, C_out, kernel, stride, padding, seed=3)
    x = rng.standard_normal((n, C_in, H, W))
    y = layer.forward(x)
    Wt, b = layer.params["W"], layer.params["b"]
    np.testing.assert_allclose(y, conv2d_naive(x, Wt, b, stride, padding), rtol=0, atol=1e-12)
    gy = rng.standard_normal(y.shape)
    gx = layer.backward(gy)
    gx0, gW0, gb0 = conv2d_naive_backward(x, Wt, gy, stride, padding)
    np.testing.assert_allclose(gx, gx0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(layer.grads["W"], gW0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], gb0, rtol=0, atol=1e-12)


def test_random_shapes_against_the_oracle():
    rng = np.random.default_rng(7)
    for _ in range(25):
        C_in, C_out = rng.integers(1, 4, size=2)
        M, N = rng.integers(1, 5, size=2)
        S = tuple(rng.integers(1, 3, size=2))
        P = tuple(rng.integers(0, 3, size=2))
        H = int(max(M - 2 * P[0], 1) + rng.integers(0, 5))
        W = int(max(N - 2 * P[1], 1) + rng.integers(0, 5))
        layer = _layer(int(C_in), int(C_out), (int(M), int(N)), S, P, seed=int(rng.integers(100)))
        x = rng.standard_normal((int(rng.integers(1, 4)), int(C_in), H, W))
        y = layer.forward(x)
        assert y.shape[2:] == (output_size(H, M, S[0], P[0]), output_size(W, N, S[1], P[1]))
        np.testing.assert_allclose(y, conv2d_naive(x, layer.params["W"], layer.params["b"], S, P), atol=1e-12)
        gy = rng.standard_normal(y.shape)
        for got, want in zip((layer.backward(gy), layer.grads["W"], layer.grads["b"]),
                             conv2d_naive_backward(x, layer.params["W"], gy, S, P)):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_cross_correlation_and_true_convolution():
    """Deep-learning convolution does not flip the kernel; the true convolution is it with the kernel rotated 180°."""
    from scipy.signal import convolve2d, correlate2d
    rng = np.random.default_rng(2)
    x, K = rng.standard_normal((6, 7)), rng.standard_normal((3, 2))
    layer = Conv2D(1, 1, (3, 2))
    layer.params["W"][0, 0] = K
    y = layer.forward(x[None, None])[0, 0]
    np.testing.assert_allclose(y, correlate2d(x, K, mode="valid"), atol=1e-12)
    assert not np.allclose(y, convolve2d(x, K, mode="valid"))
    layer.params["W"][0, 0] = K[::-1, ::-1]
    np.testing.assert_allclose(layer.forward(x[None, None])[0, 0], convolve2d(x, K, mode="valid"), atol=1e-12)


def test_output_size_formula():
    assert output_size(28, 3) == 26
    assert output_size(8, 3, 1, 1) == 8
    assert output_size(14, 3, 2, 1) == 7
    assert output_size(7, 2, 2, 0) == 3          # floor, not ceil
    assert output_size(5, 5) == 1
    with pytest.raises(ValueError, match=r"M=6 is larger than the padded input H \+ 2P = 5"):
        output_size(5, 6)
    with pytest.raises(ValueError, match="stride must be an integer >= 1; got 0"):
        output_size(5, 3, 0)


def test_forward_does_not_mutate_and_outputs_are_fresh():
    rng = np.random.default_rng(0)
    layer = Conv2D(2, 3, 3, padding=1)
    x = rng.standard_normal((2, 2, 5, 5))
    x0 = x.copy()
    y1 = layer.forward(x)
    y1_copy = y1.copy()
    gy = rng.standard_normal(y1.shape)
    gy0 = gy.copy()
    gx1 = layer.backward(gy)
    gx1_copy = gx1.copy()
    layer.forward(rng.standard_normal((2, 2, 5, 5)))             # reused work arrays must not leak into results
    layer.backward(rng.standard_normal(y1.shape))
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(gy, gy0)
    np.testing.assert_array_equal(y1, y1_copy)
    np.testing.assert_array_equal(gx1, gx1_copy)


def test_params_and_init():
    layer = Conv2D(3, 5, (2, 4), seed=0)
    assert layer.params["W"].shape == (5, 3, 2, 4) and layer.params["b"].shape == (5,)
    assert set(layer.grads) == {"W", "b"} and set(layer.penalized) == {"W"}
    assert np.all(layer.params["b"] == 0)
    big = Conv2D(16, 64, 3, seed=0).params["W"]
    assert abs(big.std() - np.sqrt(2 / (16 * 9))) < 0.05 * np.sqrt(2 / (16 * 9))
    glorot = Conv2D(16, 64, 3, seed=0, init="glorot").params["W"]
    assert np.abs(glorot).max() <= np.sqrt(6 / ((16 + 64) * 9))
    np.testing.assert_array_equal(Conv2D(1, 2, 3, seed=4).params["W"], Conv2D(1, 2, 3, seed=4).params["W"])
    with pytest.raises(ValueError, match="init must be one of glorot_uniform"):
        Conv2D(1, 1, 3, init="xavier")


@pytest.mark.parametrize("kwargs, message", [
    (dict(stride=0), "stride must be an integer >= 1; got 0"),
    (dict(stride=-1), "stride must be an integer >= 1; got -1"),
    (dict(padding=-1), "padding must be an integer >= 0; got -1"),
    (dict(kernel=(3, 0)), "kernel must be an integer >= 1; got 0"),
    (dict(kernel=(1, 2, 3)), "kernel must be an integer or a pair of integers"),
])
def test_bad_hyperparameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2D(1, 2, **{"kernel": 3, **kwargs})


def test_bad_input_names_both_shapes():
    layer = Conv2D(3, 2, (5, 4), padding=1)
    with pytest.raises(ValueError, match=r"kernel \(5, 4\) is larger than the padded input \(4, 7\) "
                                         r"\(x shape \(1, 3, 2, 5\), padding \(1, 1\)\)"):
        layer.forward(np.zeros((1, 3, 2, 5)))
    with pytest.raises(ValueError, match=r"x has 1 channels \(x shape \(2, 1, 8, 8\)\) but the layer's W of "
                                         r"shape \(2, 3, 5, 4\) expects C_in=3"):
        layer.forward(np.zeros((2, 1, 8, 8)))
    with pytest.raises(ValueError, match=r"x must have 4 dimensions .*got shape \(8, 8\)"):
        layer.forward(np.zeros((8, 8)))
    with pytest.raises(ValueError, match=r"x has 2 channels \(x shape \(1, 2, 5, 5\)\) but W of shape "
                                         r"\(1, 3, 3, 3\) expects C_in=3"):
        conv2d_naive(np.zeros((1, 2, 5, 5)), np.zeros((1, 3, 3, 3)), np.zeros(1))
    layer = Conv2D(1, 1, 3)
    y = layer.forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"grad_y must have the shape of the last output \(1, 1, 2, 2\)"):
        layer.backward(np.zeros((1, 1, 3, 3)))
    assert y.shape == (1, 1, 2, 2)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        Conv2D(1, 1, 3).backward(np.zeros((1, 1, 2, 2)))


@pytest.mark.parametrize("layer", [MaxPool2D(2), MaxPool2D(3, 2), MaxPool2D((2, 3), (1, 2)), AvgPool2D(2),
                                   AvgPool2D(3, 1), AvgPool2D((3, 2)), Flatten()], ids=repr)
def test_pooling_and_flatten_gradients(layer):
    x = np.random.default_rng(5).standard_normal((2, 3, 7, 6))
    errors = check_layer(layer, x)
    assert set(errors) == {"x"} and errors["x"] < 1e-6, errors


def test_pooling_values_on_a_4x4_example():
    x = np.array([[1, 3, 2, 1], [4, 2, 0, 1], [5, 6, 7, 8], [1, 2, 3, 4]], float)[None, None]
    np.testing.assert_array_equal(MaxPool2D(2).forward(x)[0, 0], [[4, 2], [6, 8]])
    np.testing.assert_array_equal(AvgPool2D(2).forward(x)[0, 0], [[2.5, 1], [3.5, 5.5]])
    np.testing.assert_array_equal(MaxPool2D(3, 1).forward(x)[0, 0], [[7, 8], [7, 8]])
    assert MaxPool2D(3).forward(x).shape == (1, 1, 1, 1)       # a row/column that fills no window is dropped


def test_max_pool_routes_the_gradient_to_the_argmax_first_on_ties():
    x = np.array([[1, 5, 2, 2], [5, 0, 2, 2], [0, 0, 3, 1], [0, 0, 1, 0]], float)[None, None]
    pool = MaxPool2D(2)
    pool.forward(x)
    gx = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    np.testing.assert_array_equal(gx[0, 0], [[0, 10, 20, 0], [0, 0, 0, 0], [30, 0, 40, 0], [0, 0, 0, 0]])
    pool = MaxPool2D(2, 1)                            # overlapping windows: gradients of shared maxima add up
    x = np.array([[0, 0, 0], [0, 9, 0], [0, 0, 0]], float)[None, None]
    pool.forward(x)
    assert pool.backward(np.ones((1, 1, 2, 2)))[0, 0, 1, 1] == 4


def test_avg_pool_shares_the_gradient_equally():
    pool = AvgPool2D(2)
    pool.forward(np.zeros((1, 1, 4, 4)))
    gx = pool.backward(np.array([[[[4.0, 8.0], [0.0, -4.0]]]]))
    np.testing.assert_array_equal(gx[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [0, 0, -1, -1], [0, 0, -1, -1]])


def test_pooling_bad_input():
    with pytest.raises(ValueError, match=r"pooling window \(3, 3\) is larger than the padded input \(2, 2\)"):
        MaxPool2D(3).forward(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="size must be an integer >= 1; got 0"):
        AvgPool2D(0)
    with pytest.raises(ValueError, match="stride must be an integer >= 1; got 0"):
        MaxPool2D(2, 0)
    with pytest.raises(ValueError, match=r"x must have 4 dimensions .*got shape \(2, 4, 4\)"):
        MaxPool2D(2).forward(np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match=r"x must have at least 2 dimensions .*got shape \(3,\)"):
        Flatten().forward(np.zeros(3))


def test_flatten_is_row_major():
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    flat = Flatten()
    np.testing.assert_array_equal(flat.forward(x), x.reshape(2, 12))
    np.testing.assert_array_equal(flat.backward(np.ones((2, 12))), np.ones((2, 3, 2, 2)))


def test_a_small_cnn_gradient_check_and_it_learns():
    """The whole stack (conv, ReLU, pool, flatten, dense) passes the check and fits a tiny problem."""
    from nnlib import optim
    rng = np.random.default_rng(0)
    net = Sequential([Conv2D(1, 3, 3, padding=1, seed=0), Act("tanh"), MaxPool2D(2), Conv2D(3, 2, 2, seed=1),
                      AvgPool2D(1), Flatten(), Dense(2, 2, seed=2)])
    x = rng.standard_normal((3, 1, 4, 4))
    assert max(check_layer(net, x).values()) < 1e-6
    X = rng.standard_normal((40, 1, 4, 4))
    t = (X[:, 0, :2].sum(axis=(1, 2)) > X[:, 0, 2:].sum(axis=(1, 2))).astype(int)   # top half brighter?
    before = net.loss(X, t)
    net.fit(X, t, optimizer=optim.Adam(rho=0.02), epochs=60, B=10)
    assert net.loss(X, t) < 0.3 * before and net.accuracy(X, t) >= 0.95


def test_float32_is_kept():
    layer = Conv2D(1, 2, 3, dtype=np.float32)
    y = layer.forward(np.ones((1, 1, 4, 4), np.float32))
    assert y.dtype == np.float32 and layer.backward(np.ones_like(y)).dtype == np.float32
