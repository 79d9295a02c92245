"""The modular layer contract (nnlib.layers, nnlib.layers.sequential): gradients by central differences in float64,
bad input, training, divergence."""

import numpy as np
import pytest

from nnlib import optim
from nnlib.gradcheck import check_layer
from nnlib.layers import Act, Dense, Layer
from nnlib.mlp import MLP
from nnlib.layers.sequential import Sequential
from nnlib.mlp.train import Diverged

RNG = np.random.default_rng(0)
X = RNG.standard_normal((6, 4))


@pytest.mark.parametrize("init", ["glorot", "he", "normal"])
def test_dense_gradients(init):
    errors = check_layer(Dense(4, 3, init=init, seed=1), X)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("g, params", [("sigmoid", {}), ("tanh", {}), ("relu", {}), ("softmax", {}),
                                       ("leaky_relu", {"slope": 0.3}), ("elu", {"alpha": 0.5}), ("fast", {})])
def test_activation_layer_gradients(g, params):
    errors = check_layer(Act(g, **params), X + 0.01)  # away from ReLU's kink at exactly 0
    assert errors["x"] < 1e-7, errors


def test_sequential_gradients_and_params():
    net = Sequential([Dense(4, 5, seed=1), Act("tanh"), Dense(5, 3, seed=2), Act("sigmoid")])
    errors = check_layer(net, X)
    assert max(errors.values()) < 1e-7, errors
    assert net.count_params() == 5 * 5 + 3 * 6
    assert set(net.params) == {"0.theta", "2.theta"}


def test_dense_matches_the_slides_mlp():
    """A Sequential of Dense+Act computes what nnlib.mlp.network.MLP computes with the same theta."""
    mlp = MLP([4, 5, 3], g=["tanh", "sigmoid"], seed=3)
    net = Sequential([Dense(4, 5), Act("tanh"), Dense(5, 3), Act("sigmoid")])
    net.layers[0].params["theta"][...] = mlp.theta[1]
    net.layers[2].params["theta"][...] = mlp.theta[2]
    phi, s = mlp.forward(X)
    np.testing.assert_allclose(net.forward(X), s[-1], rtol=0, atol=1e-14)


def test_gradient_is_mean_loss_gradient():
    net = Sequential([Dense(4, 3, seed=1)])
    t = np.array([0, 1, 2, 0, 1, 2])
    q = net.gradient(X, t, "cross_entropy")
    theta = net.layers[0].params["theta"]
    from nnlib.gradcheck import numerical_gradient
    numeric = numerical_gradient(lambda _: net.loss(X, t, "cross_entropy"), theta)
    np.testing.assert_allclose(net.layers[0].grads["theta"], numeric, atol=1e-8)
    assert q == pytest.approx(net.loss(X, t, "cross_entropy"))


def test_fit_learns_digits():
    from sklearn.datasets import load_digits
    Xd, y = load_digits(return_X_y=True)
    Xd = Xd / 16
    net = Sequential([Dense(64, 32, init="he", seed=1), Act("relu"), Dense(32, 10, seed=2)])
    hist = net.fit(Xd[:1200], y[:1200], optimizer=optim.Adam(rho=3e-3), epochs=8, B=32,
                   X_val=Xd[1200:], t_val=y[1200:])
    assert hist.q[-1] < hist.q[0] / 3
    assert hist.acc_val[-1] > 0.9
    assert hist.updates == 8 * 38 and len(hist.grad_norm) == hist.updates


def test_fit_divergence_suggests_smaller_rho():
    Xr = RNG.standard_normal((40, 3)) * 10
    t = Xr @ np.array([1.0, -2.0, 3.0])[:, None]
    net = Sequential([Dense(3, 8, seed=0), Act("relu"), Dense(8, 1, seed=1)])
    with pytest.raises(Diverged, match="smaller learning rate"):
        net.fit(Xr, t, loss="squared_error", rho=10.0, epochs=50, B=40)


@pytest.mark.parametrize("bad, match", [
    (lambda: Dense(0, 3), "M_in must be an integer >= 1"),
    (lambda: Dense(3, 2.5), "M_out must be an integer >= 1"),
    (lambda: Dense(3, 2, init="xavier"), "init must be"),
    (lambda: Dense(4, 3).forward(np.ones((2, 5))), r"x must have 4 entries along axis -1.*got shape \(2, 5\)"),
    (lambda: Dense(4, 3).forward(np.ones(4)), r"x must have 2 dimensions.*got shape \(4,\)"),
    (lambda: Dense(4, 3).forward(np.full((2, 4), np.nan)), "x must not contain NaN"),
    (lambda: Dense(4, 3).forward(np.ones((0, 4))), "at least one sample"),
    (lambda: Dense(4, 3).backward(np.ones((2, 3))), "backward called before forward"),
    (lambda: Act("swish"), "name must be one of"),
    (lambda: Act("relu", slope=0.1), r"params of relu are none"),
    (lambda: Sequential([]), "at least one layer"),
    (lambda: Sequential([np.ones(3)]), r"layers\[0\] must be an nnlib layer"),
    (lambda: Sequential([Dense(2, 2)]).fit(np.ones((3, 2)), [0, 1], epochs=1),
     r"t: labels must be one per sample, shape \(N,\) = \(3,\); got 2 label"),
    (lambda: Sequential([Dense(2, 2)]).fit(np.ones((2, 2)), [0, 1], B=0), "B must be an integer >= 1"),
    (lambda: Sequential([Dense(2, 2)]).fit(np.ones((2, 2)), [0, 5]), "labels|0..|range|t must"),
])
def test_bad_input_is_named(bad, match):
    with pytest.raises((ValueError, TypeError, RuntimeError), match=match):
        bad()


def test_backward_shape_checked_and_inputs_untouched():
    layer = Dense(4, 3, seed=0)
    x = X.copy()
    y = layer.forward(x)
    gy = np.ones_like(y)
    layer.backward(gy)
    assert np.array_equal(x, X) and np.array_equal(gy, np.ones_like(y))
    with pytest.raises(ValueError, match=r"grad_y must have the shape of the last output \(6, 3\); got \(6, 4\)"):
        layer.backward(np.ones((6, 4)))


def test_layer_base_is_abstract():
    with pytest.raises(NotImplementedError):
        Layer().forward(X)


def test_diverged_keeps_the_history():
    Xr = RNG.standard_normal((40, 3)) * 10
    t = Xr @ np.array([1.0, -2.0, 3.0])[:, None]
    net = Sequential([Dense(3, 8, seed=0), Act("relu"), Dense(8, 1, seed=1)])
    with pytest.raises(Diverged) as info:
        net.fit(Xr, t, loss="squared_error", rho=10.0, epochs=50, B=8)
    assert len(info.value.history.grad_norm) >= 1
