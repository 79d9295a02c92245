"""Tests of nnlib.mlp.backprop against the slides' literal pseudo-code and central differences."""

import warnings

import numpy as np
import pytest

from nnlib import activations as act
from nnlib.mlp import backprop
from nnlib import gradcheck, losses
from nnlib.mlp import literal
from nnlib.mlp import MLP

HIDDEN = [name for name in act.ACTIVATIONS if name != "step"]   # every activation with a usable g'


def make(M, g, seed=0, N=5, labels=False):
    """A net with small random weights and thresholds, and a batch (X, t)."""
    rng = np.random.default_rng(seed)
    net = MLP(M=M, g=g, init="uniform", seed=seed)
    X = rng.normal(size=(N, M[0]))
    t = rng.integers(0, M[-1], size=N) if labels else rng.uniform(-0.5, 1, size=(N, M[-1]))
    return net, X, t


# (M, g, loss, labels): L = 1..4, every hidden activation, every output/loss pair of the slides
CASES = [
    ([3, 2], "sigmoid", "squared_error", False),                                    # L = 1
    ([3, 2], "softmax", "cross_entropy", True),
    ([3, 4, 2], ["tanh", "linear"], "squared_error", False),                        # L = 2
    ([3, 4, 3], ["sigmoid", "sigmoid"], "squared_error", True),
    ([3, 4, 3], ["relu", "softmax"], "cross_entropy", True),
    ([3, 4, 3], ["fast", "softmax"], "squared_error", True),
    ([2, 3, 4, 2], ["leaky_relu", "elu", "tanh"], "squared_error", False),          # L = 3
    ([2, 3, 3, 3], ["softmax", "linear", "softmax"], "cross_entropy", True),
    ([3, 2, 3, 2, 3], ["sigmoid", "tanh", "relu", "softmax"], "squared_error", True),  # L = 4
    ([3, 2, 3, 2, 3], ["elu", "fast", "leaky_relu", "softmax"], "cross_entropy", True),
]
IDS = [f"L{len(M) - 1}-{'-'.join(g) if isinstance(g, list) else g}-{loss}" for M, g, loss, _ in CASES]


def test_cases_cover_every_activation():
    used = {name for _, g, _, _ in CASES for name in ([g] if isinstance(g, str) else g)}
    assert used == set(HIDDEN)


def assert_same_increments(vectorized, literal_result):
    """(q, Δθ) of the vectorized BackProp equal the literal box's, to rounding error."""
    (q, Delta), (q_lit, Delta_lit) = vectorized, literal_result
    assert q == pytest.approx(q_lit, rel=1e-12, abs=1e-12)
    for l in range(1, len(Delta)):
        np.testing.assert_allclose(Delta[l], Delta_lit[l], rtol=0, atol=1e-12)


@pytest.mark.parametrize("M, g, loss, labels", CASES, ids=IDS)
def test_vectorized_equals_literal_batch(M, g, loss, labels):
    net, X, t = make(M, g, labels=labels)
    assert_same_increments(backprop.increments(net, X, t, rho=0.3, loss=loss),
                           literal.batch_increments(net, X, t, rho=0.3, loss=loss))


@pytest.mark.parametrize("M, g, loss, labels", CASES, ids=IDS)
def test_vectorized_equals_literal_one_sample(M, g, loss, labels):
    net, X, t = make(M, g, seed=3, N=1, labels=labels)
    q, delta = backprop.deltas(net, X[0], t[0], loss=loss)           # 1-D x: 1-D deltas
    delta_lit = literal.deltas_one_sample(net, X[0], t[0], loss=loss)
    _, delta_batch = backprop.deltas(net, X, t, loss=loss)          # the same sample as a batch of 1
    for l in range(1, net.L + 1):
        assert delta[l].shape == (M[l],) and delta_batch[l].shape == (1, M[l])
        np.testing.assert_allclose(delta[l], delta_lit[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(delta_batch[l][0], delta_lit[l], rtol=0, atol=1e-12)
    assert_same_increments(backprop.increments(net, X[0], t[0], rho=1.0, loss=loss),
                           literal.batch_increments(net, X, t, rho=1.0, loss=loss))


@pytest.mark.parametrize("M, g, loss, labels", CASES, ids=IDS)
def test_gradient_equals_central_differences(M, g, loss, labels):
    net, X, t = make(M, g, seed=5, labels=labels)
    q, grad = backprop.gradient(net, X, t, loss=loss)
    assert q == backprop.cost(net, X, t, loss=loss)
    for l in range(1, net.L + 1):
        err = gradcheck.check_grad(lambda _: backprop.cost(net, X, t, loss=loss), lambda _: grad[l], net.theta[l])
        assert err < 1e-6, (l, err)


@pytest.mark.parametrize("g", HIDDEN)
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_gradient_every_activation_both_losses(g, loss):
    """Every activation on the hidden layers (and as output with squared error)."""
    out = "softmax" if loss == "cross_entropy" else g
    net, X, t = make([3, 3, 2, 3], [g, g, out], seed=11, labels=True)
    _, grad = backprop.gradient(net, X, t, loss=loss)
    for l in (1, 2, 3):
        err = gradcheck.check_grad(lambda _: backprop.cost(net, X, t, loss=loss), lambda _: grad[l], net.theta[l])
        assert err < 1e-6, (l, err)


def test_a_wrong_gradient_is_caught():
    """The oracle can fail: dropping g' from the hidden deltas gives a different Δθ."""
    net, X, t = make([3, 4, 2], ["sigmoid", "sigmoid"], seed=2)
    q, delta = backprop.deltas(net, X, t)
    phi, s = net.forward(X)
    wrong = delta[2] @ net.theta[2][:, 1:]                         # δ^1 without g'(φ^1)
    _, Delta_lit = literal.batch_increments(net, X, t, rho=1.0)
    assert np.abs(wrong.T @ X / len(X) - Delta_lit[1][:, 1:]).max() > 1e-3
    np.testing.assert_allclose(delta[1].T @ X / len(X), Delta_lit[1][:, 1:], atol=1e-12)


def test_increments_are_minus_rho_grad():
    net, X, t = make([3, 4, 2], ["tanh", "sigmoid"], seed=4)
    q, grad = backprop.gradient(net, X, t)
    for rho in (0.1, 2.5):
        q2, Delta = backprop.increments(net, X, t, rho)
        assert q2 == q
        for l in (1, 2):
            np.testing.assert_array_equal(Delta[l], -rho * grad[l])
    assert Delta[0] is None and grad[0] is None


def test_step_lowers_q_and_nothing_is_mutated():
    net, X, t = make([3, 4, 2], ["tanh", "sigmoid"], seed=6)
    X0, t0, theta0 = X.copy(), t.copy(), [th.copy() for th in net.theta[1:]]
    q, Delta = backprop.increments(net, X, t, rho=0.1)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(t, t0)
    for th, th0 in zip(net.theta[1:], theta0):
        np.testing.assert_array_equal(th, th0)
    for l in (1, 2):
        net.theta[l] += Delta[l]
    assert backprop.cost(net, X, t) < q


def test_shapes_and_delta_definition():
    """δ^l = −∂q_n/∂φ^l: perturbing φ^1 through the thresholds of one sample."""
    net, X, t = make([2, 3, 2], ["tanh", "sigmoid"], seed=8, N=1)
    q, delta = backprop.deltas(net, X, t)
    assert [d is None for d in delta] == [True, False, False]
    assert delta[1].shape == (1, 3) and delta[2].shape == (1, 2)
    # ∂q/∂θ^l_i0 = ∂q/∂φ^l_i (s_0 = 1), so the threshold gradient is −δ
    _, grad = backprop.gradient(net, X, t)
    np.testing.assert_allclose(grad[1][:, 0], -delta[1][0])
    np.testing.assert_allclose(grad[2][:, 0], -delta[2][0])


def test_float32_in_float32_out():
    net64, X, t = make([3, 4, 3], ["tanh", "softmax"], seed=9, labels=True)
    net = MLP(M=[3, 4, 3], g=["tanh", "softmax"], theta=net64.theta, dtype=np.float32)
    for loss in ("squared_error", "cross_entropy"):
        q, grad = backprop.gradient(net, X.astype(np.float32), t, loss=loss)
        _, delta = backprop.deltas(net, X.astype(np.float32), t, loss=loss)
        _, Delta = backprop.increments(net, X.astype(np.float32), t, 0.5, loss=loss)
        assert all(a.dtype == np.float32 for a in grad[1:] + delta[1:] + Delta[1:])
        _, grad64 = backprop.gradient(net64, X, t, loss=loss)
        for l in (1, 2):
            np.testing.assert_allclose(grad[l], grad64[l], atol=1e-5)


def test_no_warnings_for_huge_preactivations():
    net, X, t = make([2, 3, 3], ["sigmoid", "softmax"], seed=1, labels=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for loss in ("squared_error", "cross_entropy"):
            q, grad = backprop.gradient(net, 1e3 * np.sign(X), t, loss=loss)
            assert np.isfinite(q) and all(np.isfinite(gl).all() for gl in grad[1:])


def test_int_labels_equal_one_hot():
    net, X, t = make([3, 4, 3], ["relu", "softmax"], seed=2, labels=True)
    for loss in ("squared_error", "cross_entropy"):
        q1, g1 = backprop.gradient(net, X, t, loss)
        q2, g2 = backprop.gradient(net, X, losses.one_hot(t, 3), loss)
        assert q1 == q2
        for l in (1, 2):
            np.testing.assert_array_equal(g1[l], g2[l])


def test_bad_input():
    net, X, t = make([3, 4, 2], ["tanh", "sigmoid"])
    with pytest.raises(ValueError, match=r"t must have shape \(N, M_L\) = \(5, 2\).*got shape \(5, 3\)"):
        backprop.gradient(net, X, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"t must have shape \(N, M_L\) = \(5, 2\).*got shape \(4, 2\)"):
        backprop.deltas(net, X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"t must have shape \(M_L,\) = \(2,\) for one sample"):
        backprop.deltas(net, X[0], np.zeros(3))
    with pytest.raises(ValueError, match="labels must lie in 0..C-1 = 0..1; got \\[2\\]"):
        backprop.gradient(net, X, np.array([0, 1, 2, 0, 1]))
    with pytest.raises(ValueError, match="rho must be > 0; got 0.0"):
        backprop.increments(net, X, t, rho=0)
    with pytest.raises(ValueError, match="rho must be > 0; got -1.0"):
        backprop.increments(net, X, t, rho=-1)
    with pytest.raises(ValueError, match="X must have at least one sample"):
        backprop.gradient(net, np.zeros((0, 3)), np.zeros((0, 2)))
    X_nan = X.copy()
    X_nan[1, 2] = np.nan
    with pytest.raises(ValueError, match="X must not contain NaN"):
        backprop.gradient(net, X_nan, t)
    t_nan = t.copy()
    t_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="t must not contain NaN"):
        backprop.gradient(net, X, t_nan)
    with pytest.raises(ValueError, match="g must be softmax for cross_entropy"):
        backprop.gradient(net, X, t, loss="cross_entropy")
    with pytest.raises(ValueError, match="loss must be one of"):
        backprop.gradient(net, X, t, loss="hinge")
    with pytest.raises(ValueError, match="rho must be > 0"):
        literal.batch_increments(net, X, t, rho=0)
