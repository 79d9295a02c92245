"""nnlib.layers.blocks: Residual and Maxout (gradient checks in float64, behaviour, bad input)."""

import numpy as np
import pytest

from nnlib import optim
from nnlib.layers.blocks import Maxout, Residual
from nnlib.gradcheck import check_layer
from nnlib.layers import Act, Dense
from nnlib.layers.normalization import BatchNorm
from nnlib.layers.sequential import Sequential

RNG = np.random.default_rng(42)   # not 0: check_layer draws its R with seed 0
X = RNG.normal(size=(6, 5))


def _block(seed=0):
    return Sequential([Dense(5, 5, seed=seed), Act("tanh"), Dense(5, 5, seed=seed + 1)])


# ---- Residual ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("train", [False, True])
def test_residual_gradcheck(train):
    inner = Sequential([Dense(5, 5, seed=0), BatchNorm(5), Act("tanh"), Dense(5, 5, seed=1)])
    errors = check_layer(Residual(inner), X, train=train)
    assert max(errors.values()) < 1e-6, errors
    assert set(errors) == {"x", "inner.0.theta", "inner.1.gamma", "inner.1.beta", "inner.3.theta"}


def test_residual_is_x_plus_f_and_gradient_adds_identity():
    inner = _block()
    block = Residual(inner)
    np.testing.assert_allclose(block.forward(X), X + inner.forward(X))
    gy = RNG.normal(size=X.shape)
    block.forward(X)
    gx = block.backward(gy)
    inner.forward(X)
    np.testing.assert_allclose(gx, gy + inner.backward(gy))
    # a residual block whose inner part outputs 0 passes the gradient through unchanged
    for p in inner.param_list:
        p[...] = 0.0
    block.forward(X)
    np.testing.assert_allclose(block.backward(gy), gy)


def test_residual_shares_arrays_with_inner_and_trains():
    inner = _block()
    block = Residual(inner)
    assert block.params["inner.0.theta"] is inner.layers[0].params["theta"]
    assert block.penalized == {"inner.0.theta": np.s_[:, 1:], "inner.2.theta": np.s_[:, 1:]}
    net = Sequential([block, Dense(5, 2, seed=3)])
    labels = (X[:, 0] + X[:, 1] > 0).astype(int)
    before = inner.layers[0].params["theta"].copy()
    hist = net.fit(X, labels, optimizer=optim.Adam(rho=1e-2), epochs=50, B=6)
    assert hist.q[-1] < 0.5 * hist.q[0]
    assert np.abs(inner.layers[0].params["theta"] - before).max() > 0        # updated in place through the block


def test_residual_bad_input():
    with pytest.raises(ValueError, match=r"x has shape \(6, 5\) but inner\(x\) has shape \(6, 3\)"):
        Residual(Dense(5, 3, seed=0)).forward(X)
    with pytest.raises(TypeError, match="inner must be an nnlib layer"):
        Residual(lambda x: x)


# ---- Maxout -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("k", [2, 3])
def test_maxout_gradcheck(k):
    errors = check_layer(Maxout(5, 4, k=k, seed=1), X)
    assert max(errors.values()) < 1e-6, errors


def test_maxout_is_max_of_pieces_and_routes_gradient():
    layer = Maxout(5, 4, k=3, seed=2)
    theta = layer.params["theta"]
    pieces = np.stack([theta[j, :, 0] + X @ theta[j, :, 1:].T for j in range(3)], axis=1)   # (N, k, M_out)
    y = layer.forward(X)
    np.testing.assert_allclose(y, pieces.max(axis=1))
    gy = RNG.normal(size=y.shape)
    layer.backward(gy)
    winner = pieces.argmax(axis=1)
    for j in range(3):
        mask = (winner == j)
        np.testing.assert_allclose(layer.grads["theta"][j, :, 0], (gy * mask).sum(axis=0))   # only the argmax piece
    assert layer.penalized == {"theta": np.s_[:, :, 1:]}


def test_maxout_k2_in_one_dimension_is_the_slide_formula():
    layer = Maxout(1, 1, k=2, seed=0)
    theta = layer.params["theta"]
    theta[...] = [[[0.5, 2.0]], [[-1.0, -1.0]]]          # f(x) = max(2x + 0.5, −x − 1)
    x = np.linspace(-3, 3, 13)[:, None]
    np.testing.assert_allclose(layer.forward(x)[:, 0], np.maximum(2 * x[:, 0] + 0.5, -x[:, 0] - 1))


def test_maxout_bad_input():
    with pytest.raises(ValueError, match="k must be an integer >= 2"):
        Maxout(5, 4, k=1)
    with pytest.raises(ValueError, match=r"x must have 5 entries.*got shape \(6, 4\)"):
        Maxout(5, 4).forward(X[:, :4])
