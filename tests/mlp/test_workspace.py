"""nnlib.mlp.workspace, the training loops' fast path, against the formulas the book shows (backprop.gradient,
backprop.cost, Optimizer.step): the same numbers to 1e-12 in float64."""

import numpy as np
import pytest

from nnlib import losses, optim
from nnlib.mlp import MLP, backprop, train
from nnlib.mlp.workspace import Workspace

HIDDEN = ["relu", "tanh", "sigmoid", "linear", "leaky_relu", "elu", "fast"]


def data(N=23, M0=4, C=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, M0))
    labels = rng.integers(0, C, size=N)
    return X, labels, losses.one_hot(labels, C)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("g", HIDDEN)
@pytest.mark.parametrize("loss, g_L", [("squared_error", "sigmoid"), ("squared_error", "linear"),
                                       ("squared_error", "softmax"), ("cross_entropy", "softmax")])
def test_block_gradient_is_backprop_gradient(g, loss, g_L):
    X, _, T = data()
    net = MLP([4, 6, 5, 3], g=[g, g, g_L], seed=1)
    ws = Workspace(net, X, T, loss, B=8)
    order = np.random.default_rng(2).permutation(len(X))
    for b in (order[:8], order[8:16], order[16:]):       # the last block is smaller (7 samples)
        q, grad = ws.gradient(b)
        q_ref, grad_ref = backprop.gradient(net, X[b], T[b], loss=loss)
        assert q == pytest.approx(q_ref, rel=1e-12)
        for l in (1, 2, 3):
            close(grad[l], grad_ref[l])


def test_whole_set_gradient_and_cost():
    X, labels, T = data(N=17)
    net = MLP([4, 7, 3], g=["tanh", "softmax"], seed=3)
    ws = Workspace(net, X, T, "cross_entropy", B=len(X))
    q, grad = ws.gradient()
    q_ref, grad_ref = backprop.gradient(net, X, labels, loss="cross_entropy")
    assert q == pytest.approx(q_ref, rel=1e-12)
    for l in (1, 2):
        close(grad[l], grad_ref[l])
    small = Workspace(net, X, T, "cross_entropy", B=5)           # q_S in blocks of 5: 5, 5, 5, 2
    assert small.cost() == pytest.approx(backprop.cost(net, X, labels, loss="cross_entropy"), rel=1e-12)


def test_a_loss_function_of_ones_own_is_called_as_it_is():
    X, _, T = data()
    calls = []

    def half_squares(phi_L, t, g):
        calls.append(phi_L.shape)
        return losses.squared_error(phi_L, t, g)
    net = MLP([4, 5, 3], g=["tanh", "linear"], seed=0)
    q, grad = Workspace(net, X, T, half_squares, B=6).gradient(np.arange(6))
    q_ref, grad_ref = backprop.gradient(net, X[:6], T[:6])
    assert calls == [(6, 3)] and q == pytest.approx(q_ref, rel=1e-12)
    close(grad[1], grad_ref[1])


def test_targets_are_checked_once_at_the_start_of_a_fit():
    X, _, T = data()
    net = MLP([4, 5, 3], g=["tanh", "softmax"], seed=0)
    with pytest.raises(ValueError, match="t must be one-hot or a probability distribution"):
        train.minibatch(net, X, 2 * T, rho=0.1, B=4, loss="cross_entropy", max_epochs=1)
    with pytest.raises(ValueError, match="g must be softmax for cross_entropy"):
        train.minibatch(MLP([4, 5, 3], g="tanh"), X, T, rho=0.1, B=4, loss="cross_entropy", max_epochs=1)


@pytest.mark.parametrize("make", [lambda: optim.SGD(0.3), lambda: optim.Momentum(0.2, nu=0.8),
                                  lambda: optim.Nesterov(0.2, nu=0.8), lambda: optim.Adam(0.01),
                                  lambda: optim.RMSProp(0.01)])
def test_apply_updates_as_step_does(make):
    """Optimizer.apply (the loops' update: no checks, the gradient arrays as scratch) against Optimizer.step."""
    rng = np.random.default_rng(0)
    a, b = [None, rng.normal(size=(3, 4))], [None, None]
    b[1] = a[1].copy()
    fast, ref = make(), make()
    for _ in range(4):
        g = rng.normal(size=(3, 4))
        ref.step(b, [None, g.copy()])
        fast.apply(a, [None, g])
    close(a[1], b[1])


def test_minibatch_trains_as_the_formulas_do():
    """train.minibatch with momentum, against the same blocks done by hand with backprop.gradient and step."""
    X, labels, T = data(N=30)
    a, b = MLP([4, 6, 3], g=["relu", "softmax"], seed=4), MLP([4, 6, 3], g=["relu", "softmax"], seed=4)
    train.minibatch(a, X, labels, B=8, loss="cross_entropy", max_epochs=2, seed=7,
                    optimizer=optim.Momentum(0.1, nu=0.9))
    opt, rng = optim.Momentum(0.1, nu=0.9), np.random.default_rng(7)
    for _ in range(2):
        order = rng.permutation(30)
        for start in range(0, 30, 8):
            b_idx = order[start:start + 8]
            opt.step(b.theta, backprop.gradient(b, X[b_idx], T[b_idx], loss="cross_entropy")[1])
    for l in (1, 2):
        close(a.theta[l], b.theta[l])


def test_float32_runs_in_float32():
    X, labels, T = data()
    net = MLP([4, 6, 3], g=["relu", "softmax"], seed=0, dtype=np.float32)
    ws = Workspace(net, X.astype(np.float32), T.astype(np.float32), "cross_entropy", B=8)
    q, grad = ws.gradient(np.arange(8))
    assert all(g.dtype == np.float32 for g in grad[1:])
    q_ref, grad_ref = backprop.gradient(net, X[:8].astype(np.float32), labels[:8], loss="cross_entropy")
    np.testing.assert_allclose(grad[1], grad_ref[1], rtol=1e-4, atol=1e-6)


def test_cost_on_an_evenly_spread_sample():
    X, labels, T = data(N=23)
    net = MLP([4, 6, 3], g=["tanh", "softmax"], seed=2)
    ws = Workspace(net, X, T, "cross_entropy", B=4)
    k = -(-23 // 10)                                           # every 3rd sample: 8 of them
    assert ws.cost(most=10) == pytest.approx(backprop.cost(net, X[::k], labels[::k], loss="cross_entropy"),
                                             rel=1e-12)
    assert ws.cost(most=100) == pytest.approx(backprop.cost(net, X, labels, loss="cross_entropy"), rel=1e-12)


def test_running_q_starts_from_a_sample_and_exact_q_from_all_of_S(monkeypatch):
    X, labels, T = data(N=40)
    monkeypatch.setattr(train, "Q0_SAMPLES", 10)
    net = MLP([4, 6, 3], g=["tanh", "softmax"], seed=2)
    running = train.minibatch(net.copy(), X, labels, rho=0.1, B=8, loss="cross_entropy", max_epochs=1)
    exact = train.minibatch(net.copy(), X, labels, rho=0.1, B=8, loss="cross_entropy", max_epochs=1,
                            running_q=False)
    assert running.q0 == pytest.approx(backprop.cost(net, X[::4], labels[::4], loss="cross_entropy"), rel=1e-12)
    assert exact.q0 == pytest.approx(backprop.cost(net, X, labels, loss="cross_entropy"), rel=1e-12)
