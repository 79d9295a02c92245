"""nnlib.book.flops counts the matrix products of a computation and their operations, the same on every machine.

The pages that measure a cost (algorithm, properties, deep networks, optimizers and toolkits, the digits CNN)
assert on these counts instead of on times; these tests pin the counts down, so that a change in nnlib that
hides a product from the counter shows here first.
"""

import numpy as np
import pytest

from nnlib.mlp import backprop, train
from nnlib.book import flops
from nnlib.layers.conv import Conv2D, Flatten
from nnlib.layers import Act, Dense
from nnlib.mlp import MLP
from nnlib.layers.sequential import Sequential


def _data(N, M_in, M_out, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, M_in)), rng.random(size=(N, M_out))


def test_matmul_flops_counts_two_per_multiply_add():
    assert flops.matmul_flops((64, 32), (32, 10)) == 2 * 64 * 32 * 10
    assert flops.matmul_flops((5, 3), (3,)) == 2 * 5 * 3            # matrix times vector
    assert flops.matmul_flops((3,), (3, 4)) == 2 * 3 * 4
    assert flops.matmul_flops((7, 2, 3), (3, 4)) == 7 * 2 * 2 * 3 * 4  # a stack of 7 products
    with pytest.raises(ValueError, match="at least one dimension"):
        flops.matmul_flops((), (3,))


def test_mlp_gradient_is_one_product_per_layer_and_direction():
    net = MLP(M=[4, 6, 5, 3], g=["tanh", "tanh", "sigmoid"], seed=0)
    W = [net.M[l] * net.M[l - 1] for l in range(1, net.L + 1)]      # weights without the thresholds
    for N in (10, 40):
        X, T = _data(N, 4, 3)
        with flops.count(net) as c:
            backprop.gradient(net, X, T)
        assert c.products == 3 * net.L - 1                          # L forward, L - 1 backward, L gradients
        assert c.flops == 2 * N * (2 * sum(W) + sum(W[1:]))         # exactly proportional to N


def test_the_weights_are_watched_in_place_and_given_back():
    net = MLP(M=[3, 4, 2], g=["tanh", "sigmoid"], seed=0)
    before = [th for th in net.theta]
    copies = [None] + [th.copy() for th in net.theta[1:]]
    X, T = _data(20, 3, 2)
    with flops.count(net) as c:
        train.batch(net, X, T, rho=0.5, max_epochs=2)
    assert all(a is b for a, b in zip(net.theta, before))           # the same arrays, as plain ndarrays ...
    assert all(type(th) is np.ndarray for th in net.theta[1:])
    assert not np.allclose(net.theta[1], copies[1])                 # ... trained in place
    assert c.products > 0 and repr(c).startswith("Count(products=")
    products = c.products
    backprop.gradient(net, X, T)                                    # outside the block: not counted
    assert c.products == products


def test_a_failing_block_still_gives_the_weights_back():
    net = MLP(M=[3, 4, 2], seed=0)
    before = list(net.theta)
    with pytest.raises(ZeroDivisionError):
        with flops.count(net):
            1 / 0
    assert all(a is b for a, b in zip(net.theta, before))


def test_nested_counts_both_count():
    a, b = MLP(M=[3, 4, 2], seed=0), MLP(M=[3, 5, 2], seed=1)
    X, T = _data(8, 3, 2)
    with flops.count(a) as outer:
        with flops.count(b) as inner:
            backprop.gradient(b, X, T)
        backprop.gradient(a, X, T)
    assert inner.products == 5 and outer.products == 10


def test_sequential_of_dense_layers_makes_three_products_per_layer():
    M = [6, 8, 8, 3]
    net = Sequential([Dense(6, 8, seed=0), Act("relu"), Dense(8, 8, seed=1), Act("relu"), Dense(8, 3, seed=2)])
    X = np.random.default_rng(0).normal(size=(16, 6))
    y = np.arange(16) % 3
    with flops.count(net) as c:
        net.gradient(X, y)
    W = sum(M[l] * M[l - 1] for l in range(1, len(M)))
    assert c.products == 3 * 3                                       # forward, weight gradient, gradient sent down
    assert c.flops == 6 * 16 * W                                     # the 6 N D of the properties page
    assert all(type(layer.params["theta"]) is np.ndarray for layer in net.layers if layer.params)
    assert all(net.params[k] is v for k, v in
               ((f"{i}.theta", layer.params["theta"]) for i, layer in enumerate(net.layers) if layer.params))


def test_a_convolution_counts_its_one_product_per_image_block():
    conv = Conv2D(2, 4, 3, padding=1, seed=0)
    net = Sequential([conv, Act("relu"), Flatten(), Dense(4 * 5 * 5, 3, seed=1)])
    x = np.random.default_rng(0).random((3, 2, 5, 5))
    with flops.count(net) as c:
        net.forward(x)
    K = 2 * 3 * 3                                                    # weights per filter, plus its threshold
    assert c.products == 2
    assert c.flops == 2 * 4 * (K + 1) * (3 * 5 * 5) + 2 * 3 * 100 * 3


def test_count_needs_networks():
    with pytest.raises(TypeError, match="not an array"):
        with flops.count(np.ones((2, 2))):
            pass
    with pytest.raises(TypeError, match="theta or params"):
        with flops.count(object()):
            pass
    with pytest.raises(ValueError, match="at least one network"):
        with flops.count():
            pass
