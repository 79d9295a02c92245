"""Tests of nnlib.book.monitor: expectations of products, per-layer variances, update ratios."""

import numpy as np
import pytest
import sympy as sp

from nnlib.book.monitor import expectation, layer_variances, update_ratios
from nnlib.mlp import MLP, backprop


def test_expectation_of_a_sum_of_products_of_independent_zero_mean_weights():
    M = 4
    theta = sp.symbols(f"theta1:{M + 1}")
    s = sp.symbols(f"s1:{M + 1}")
    v, m1, m2 = sp.symbols("v m1 m2", positive=True)
    moments = {**{th: {1: 0, 2: v} for th in theta}, **{x: {1: m1, 2: m2} for x in s}}
    phi = sum(th * x for th, x in zip(theta, s))
    assert expectation(phi, moments) == 0
    # cross terms vanish because E[theta] = 0: E[phi^2] = M v E[s^2], not M v Var s
    assert sp.simplify(expectation(phi ** 2, moments) - M * v * m2) == 0


def test_expectation_by_hand_with_nonzero_means():
    a, b = sp.symbols("a b")
    moments = {a: {1: 2, 2: 5}, b: {1: 3, 2: 10}}
    # E[(a + b)^2] = E[a^2] + 2 E[a] E[b] + E[b^2] = 5 + 12 + 10
    assert expectation((a + b) ** 2, moments) == 27


def test_expectation_names_the_missing_moment():
    a = sp.Symbol("a")
    with pytest.raises(KeyError, match=r"a\*\*3"):
        expectation(a ** 3, {a: {1: 0, 2: 1}})
    with pytest.raises(TypeError, match="moments must be"):
        expectation(a, {})


def test_layer_variances_match_forward_and_deltas():
    rng = np.random.default_rng(0)
    net = MLP(M=[3, 5, 4, 2], g=["tanh", "relu", "linear"], seed=1)
    X, t = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    var_phi, var_delta = layer_variances(net, X, t)
    phi, _ = net.forward(X)
    _, delta = backprop.deltas(net, X, t)
    assert var_phi.shape == var_delta.shape == (3,)
    for l in range(1, 4):
        assert np.isclose(var_phi[l - 1], phi[l].var(), rtol=1e-12)
        assert np.isclose(var_delta[l - 1], delta[l].var(), rtol=1e-12)
    with pytest.raises(TypeError, match="net must be"):
        layer_variances("net", X, t)


def test_update_ratios_by_hand():
    before = [None, np.array([[3.0, 4.0]]), np.ones((2, 2))]
    after = [None, np.array([[3.0, 4.5]]), np.ones((2, 2)) * 1.1]
    r = update_ratios(before, after)
    assert np.allclose(r, [0.5 / 5.0, 0.1])
    with pytest.raises(ValueError, match="shapes"):
        update_ratios(before, [None, np.ones((1, 2))])
    with pytest.raises(TypeError, match="before must be"):
        update_ratios(np.ones(3), after)


def test_watch_is_minibatch_one_epoch_at_a_time():
    from nnlib import optim
    from nnlib.book.monitor import watch
    from nnlib.mlp import train

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 3, size=40)
    X_val, y_val = rng.normal(size=(10, 3)), rng.integers(0, 3, size=10)
    net = MLP(M=[3, 6, 3], g=["relu", "softmax"], seed=0)
    by_hand, opt = net.copy(), optim.Adam(rho=0.01)
    q_S, q_V = watch(net, X, y, X_val, y_val, epochs=3, optimizer=optim.Adam(rho=0.01), B=8)
    assert q_S.shape == q_V.shape == (4,)
    assert np.isclose(q_S[0], backprop.cost(by_hand, X, y, "cross_entropy"), rtol=1e-12)
    for epoch in range(3):
        train.minibatch(by_hand, X, y, B=8, loss="cross_entropy", max_epochs=1, optimizer=opt, seed=epoch)
    for a, b in zip(net.theta[1:], by_hand.theta[1:]):
        assert np.allclose(a, b, atol=1e-12)
    assert np.isclose(q_V[-1], backprop.cost(by_hand, X_val, y_val, "cross_entropy"), rtol=1e-12)
    q_S, q_V = watch(net, X, y, epochs=1, rho=0.1)
    assert q_V is None and q_S.shape == (2,)


def test_watch_bad_input():
    from nnlib.book.monitor import watch

    net = MLP(M=[3, 2], g=["softmax"], seed=0)
    X, y = np.zeros((4, 3)), np.zeros(4, dtype=int)
    with pytest.raises(ValueError, match="X_val and t_val"):
        watch(net, X, y, X_val=X)
    with pytest.raises(ValueError, match="epochs"):
        watch(net, X, y, epochs=0)
    with pytest.raises(TypeError, match="net must be"):
        watch(None, X, y)
