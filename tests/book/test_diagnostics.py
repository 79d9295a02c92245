"""Tests of nnlib.book.diagnostics: deep_net, weighted_layers, layer_gradient_norms, dead_units, fit_in_order."""

import numpy as np
import pytest

from nnlib import optim
from nnlib.layers.blocks import Maxout, Residual
from nnlib.book.diagnostics import dead_units, deep_net, fit_in_order, layer_gradient_norms, weighted_layers
from nnlib.layers import Act, Dense
from nnlib.layers.sequential import Sequential
from nnlib.mlp.train import Diverged

rng = np.random.default_rng(0)
X = rng.normal(size=(64, 5))
y = (X[:, 0] > 0).astype(int)


def test_deep_net_structure_and_seeds():
    net = deep_net(5, 8, 3, 2, g="tanh", seed=4)
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["Dense", "Act", "Dense", "Act", "Dense", "Act", "Dense"]
    assert [layer.params["theta"].shape for layer in weighted_layers(net)] == [(8, 6), (8, 9), (8, 9), (2, 9)]
    other = deep_net(5, 8, 3, 2, g="relu", seed=4)            # same seed, other activation: same weights
    for a, b in zip(net.param_list, other.param_list):
        assert np.array_equal(a, b)
    assert deep_net(5, 8, 3, 2, g="leaky_relu", slope=0.3).layers[1].g_params == {"slope": 0.3}


def test_deep_net_norm_sits_between_dense_and_activation():
    from nnlib.layers.normalization import BatchNorm
    net = deep_net(5, 8, 2, 2, g="sigmoid", seed=4, norm=BatchNorm)
    assert [type(layer).__name__ for layer in net.layers] == ["Dense", "BatchNorm", "Act", "Dense", "BatchNorm",
                                                               "Act", "Dense"]
    for a, b in zip(weighted_layers(net), weighted_layers(deep_net(5, 8, 2, 2, g="sigmoid", seed=4))):
        assert np.array_equal(a.params["theta"], b.params["theta"])   # same weights as without norm
    with pytest.raises(TypeError, match="norm must be a layer class"):
        deep_net(5, 8, 2, 2, norm="batch")


@pytest.mark.parametrize("kwargs, match", [
    (dict(M_in=0, width=4, depth=2, M_out=2), "M_in must be an integer >= 1"),
    (dict(M_in=3, width=4, depth=0, M_out=2), "depth must be an integer >= 1"),
    (dict(M_in=3, width=2.5, depth=2, M_out=2), "width must be an integer >= 1"),
])
def test_deep_net_bad_sizes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        deep_net(**kwargs)


def test_weighted_layers_looks_inside_containers():
    inner = Sequential([Act("tanh"), Dense(4, 4, seed=1)])
    net = Sequential([Dense(5, 4, seed=0), Residual(inner), Maxout(4, 3, k=2, seed=2), Dense(3, 2, seed=3)])
    found = weighted_layers(net)
    assert [type(layer).__name__ for layer in found] == ["Dense", "Dense", "Maxout", "Dense"]
    assert found[1] is inner.layers[1]
    with pytest.raises(TypeError, match="net must be an nnlib layer"):
        weighted_layers([Dense(2, 2)])


def test_layer_gradient_norms_are_the_norms_of_the_gradients():
    net = deep_net(5, 6, 2, 2, g="tanh", seed=0)
    norms = layer_gradient_norms(net, X, y)
    q = net.gradient(X, y)                                    # the same pass again, by hand
    assert np.isfinite(q)
    expected = [np.sqrt(np.sum(layer.grads["theta"] ** 2)) for layer in weighted_layers(net)]
    assert norms.shape == (3,) and np.allclose(norms, expected)
    # the norm of theta's gradient by central differences for the first layer
    theta = net.layers[0].params["theta"]
    numeric = np.zeros_like(theta)
    for idx in np.ndindex(theta.shape):
        old = theta[idx]
        theta[idx] = old + 1e-6
        up = net.loss(X, y)
        theta[idx] = old - 1e-6
        down = net.loss(X, y)
        theta[idx] = old
        numeric[idx] = (up - down) / 2e-6
    assert abs(np.linalg.norm(numeric) - norms[0]) < 1e-6 * norms[0]


def test_sigmoid_vanishes_relu_does_not():
    Xb = rng.normal(size=(128, 8))
    yb = rng.integers(0, 3, size=128)
    sig = layer_gradient_norms(deep_net(8, 16, 10, 3, g="sigmoid", init="glorot", seed=0), Xb, yb)
    relu = layer_gradient_norms(deep_net(8, 16, 10, 3, g="relu", init="he", seed=0), Xb, yb)
    assert sig[0] / sig[-1] < 1e-4
    assert 0.05 < relu[0] / relu[-1] < 20


def test_layer_gradient_norms_needs_weights():
    with pytest.raises(ValueError, match="at least one layer with a 'theta'"):
        layer_gradient_norms(Sequential([Act("relu")]), X, y)


def test_dead_units():
    net = Sequential([Dense(5, 4, seed=0), Act("relu"), Dense(4, 2, seed=1)])
    net.layers[0].params["theta"][:2, 0] = -100.0             # thresholds so low that 2 of 4 units never fire
    net.layers[0].params["theta"][2:, 0] = 100.0
    assert np.array_equal(dead_units(net, X), [0.5])
    leaky = Sequential([net.layers[0], Act("leaky_relu", slope=0.1), net.layers[2]])
    assert np.array_equal(dead_units(leaky, X), [0.0])        # g' = slope > 0: nothing dies
    # a dead unit gets a zero gradient
    net.gradient(X, y)
    assert np.all(net.layers[0].grads["theta"][:2] == 0) and np.any(net.layers[0].grads["theta"][2:] != 0)
    with pytest.raises(ValueError, match="elementwise activation layer"):
        dead_units(Sequential([Dense(5, 2)]), X)
    with pytest.raises(TypeError, match="net must be a Sequential"):
        dead_units(Dense(5, 2), X)


def test_fit_in_order_follows_the_order():
    order = np.argsort(y, kind="stable")
    net = deep_net(5, 4, 1, 2, g="tanh", seed=3)
    manual = deep_net(5, 4, 1, 2, g="tanh", seed=3)
    q = fit_in_order(net, X, y, rho=0.1, epochs=2, B=16, order=order)
    for _ in range(2):
        for i in range(0, 64, 16):
            idx = order[i:i + 16]
            manual.gradient(X[idx], y[idx])
            for p, g in zip(manual.param_list, manual.grad_list):
                p -= 0.1 * g
    for a, b in zip(net.param_list, manual.param_list):
        assert np.allclose(a, b, rtol=0, atol=1e-14)
    assert len(q) == 2 and np.isclose(q[-1], manual.loss(X, y))
    # B >= N: one batch update per epoch, with any optimizer
    opt_net = deep_net(5, 4, 1, 2, g="tanh", seed=3)
    fit_in_order(opt_net, X, y, optimizer=optim.Momentum(rho=0.1, nu=0.5), epochs=3, B=64)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(order=np.array([0, 1, 64])), ValueError, "order must be a non-empty 1-D array"),
    (dict(order=np.array([0.5, 1.0])), ValueError, "order must be a non-empty 1-D array"),
    (dict(epochs=0), ValueError, "epochs must be an integer >= 1"),
    (dict(B=0), ValueError, "B must be an integer >= 1"),
    (dict(optimizer="sgd"), TypeError, "optimizer must be an nnlib.optim.Optimizer"),
])
def test_fit_in_order_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_in_order(deep_net(5, 4, 1, 2), X, y, **kwargs)


def test_fit_in_order_bad_data_and_divergence():
    with pytest.raises(ValueError, match=r"t: labels must be one per sample, shape \(N,\) = \(\d+,\); got 10 label"):
        fit_in_order(deep_net(5, 4, 1, 2), X, y[:10])
    net = deep_net(5, 4, 2, 1, g="relu", init="normal", seed=0, scale=30.0)
    with pytest.raises(Diverged, match="smaller learning rate"):
        fit_in_order(net, X, 1e3 * X[:, :1], loss="squared_error", rho=1e3, epochs=50, B=64)


def _numerical_hessian_of_the_loss(net, X, t, h=1e-4):
    # second-order central differences of q_S itself (no BackProp)
    params = net.param_list
    slots = [(p, i) for p in params for i in np.ndindex(p.shape)]
    H = np.empty((len(slots), len(slots)))

    def q_at(moves):
        saved = [(p, i, p[i]) for p, i, _ in moves]
        for p, i, d in moves:
            p[i] += d
        q = net.loss(X, t, "squared_error")
        for p, i, v in saved:
            p[i] = v
        return q

    for a, (pa, ia) in enumerate(slots):
        for b, (pb, ib) in enumerate(slots):
            H[a, b] = (q_at([(pa, ia, h), (pb, ib, h)]) - q_at([(pa, ia, h), (pb, ib, -h)])
                       - q_at([(pa, ia, -h), (pb, ib, h)]) + q_at([(pa, ia, -h), (pb, ib, -h)])) / (4 * h * h)
    return H


def test_loss_hessian_matches_second_differences_of_the_loss():
    from nnlib.book.diagnostics import loss_hessian
    rng = np.random.default_rng(0)
    X, t = rng.normal(size=(5, 2)), rng.uniform(size=(5, 1))
    net = Sequential([Dense(2, 2, init="normal", scale=1.0, seed=1), Act("sigmoid"),
                      Dense(2, 1, init="normal", scale=1.0, seed=2), Act("sigmoid")])
    before = [p.copy() for p in net.param_list]
    H = loss_hessian(net, X, t)
    assert H.shape == (9, 9) and np.allclose(H, H.T)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.param_list))  # weights restored
    assert np.allclose(H, _numerical_hessian_of_the_loss(net, X, t), atol=1e-6)


def test_loss_hessian_of_a_linear_unit_is_the_mean_outer_product_of_the_inputs():
    from nnlib.book.diagnostics import loss_hessian
    rng = np.random.default_rng(1)
    X, t = rng.normal(size=(7, 3)), rng.normal(size=(7, 1))
    net = Sequential([Dense(3, 1, seed=0)])
    Xh = np.column_stack([np.ones(7), X])  # homogeneous coordinates: θ_0 first
    # q_S = (1/N) Σ ½ (θ·x̃ − t)²  ⇒  H = X̃ᵀX̃ / N
    assert np.allclose(loss_hessian(net, X, t), Xh.T @ Xh / 7, atol=1e-8)
    eigenvalues = np.linalg.eigvalsh(loss_hessian(net, X, t))
    assert eigenvalues.min() > 0  # convex: a minimum


@pytest.mark.parametrize("net, eps, error, match", [
    ("not a net", 1e-5, TypeError, "net must be a network"),
    (None, 0.0, ValueError, "eps must be a positive finite number; got 0.0"),
    (None, float("nan"), ValueError, "eps must be a positive"),
    (None, True, ValueError, "eps must be a positive"),
])
def test_loss_hessian_bad_input(net, eps, error, match):
    from nnlib.book.diagnostics import loss_hessian
    net = Sequential([Dense(2, 1, seed=0)]) if net is None else net
    with pytest.raises(error, match=match):
        loss_hessian(net, np.zeros((2, 2)), np.zeros((2, 1)), eps=eps)
