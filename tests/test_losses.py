"""Tests of nnlib.losses: values, output deltas, stability, labels and bad input."""

import warnings

import numpy as np
import pytest

from nnlib import activations as act
from nnlib import gradcheck, losses


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def test_squared_error_by_hand():
    phi_L = np.array([[0.0, 1.0], [2.0, -1.0]])
    t = np.array([[1.0, 0.0], [0.0, 0.0]])
    q, delta_L = losses.squared_error(phi_L, t, "linear")
    # q_n = ½ Σ_i (t_ni − s_i)²: ½(1 + 1) = 1 and ½(4 + 1) = 2.5; q_S = mean = 1.75
    assert q == pytest.approx(1.75)
    np.testing.assert_allclose(delta_L, t - phi_L)           # g' = 1
    q, delta_L = losses.squared_error(phi_L, t, act.sigmoid)
    s = act.sigmoid(phi_L)
    np.testing.assert_allclose(delta_L, (t - s) * s * (1 - s))


@pytest.mark.parametrize("g", ["linear", "sigmoid", "tanh", "fast", "softmax", "elu"])
def test_delta_L_is_minus_dq_dphi(rng, g):
    """δ^L = −∂q_n/∂φ^L for one sample, by central differences (softmax: the full Jacobian)."""
    phi_L = rng.normal(size=4)
    t = np.eye(4)[1]
    _, delta_L = losses.squared_error(phi_L, t, g)
    err = gradcheck.check_grad(lambda p: losses.squared_error(p, t, g)[0], lambda p: -delta_L, phi_L)
    assert err < 1e-6


def test_squared_error_softmax_uses_the_full_jacobian(rng):
    phi_L = rng.normal(size=(3, 4))
    t = losses.one_hot([0, 2, 3], 4)
    _, delta_L = losses.squared_error(phi_L, t, "softmax")
    J = act.softmax.prime(phi_L)                                   # (N, n, n), J_ki = ∂s_k/∂φ_i
    expected = np.einsum("nki,nk->ni", J, t - act.softmax(phi_L))  # δ_i = Σ_k J_ki (t_k − s_k)
    np.testing.assert_allclose(delta_L, expected, atol=1e-15)
    diagonal_only = (t - act.softmax(phi_L)) * np.einsum("nii->ni", J)   # the slide's elementwise g'
    assert not np.allclose(delta_L, diagonal_only)


def test_cross_entropy_by_hand_and_delta(rng):
    phi_L = rng.normal(size=(5, 3))
    labels = np.array([0, 1, 2, 2, 1])
    t = losses.one_hot(labels, 3)
    q, delta_L = losses.cross_entropy(phi_L, t)
    s = act.softmax(phi_L)
    assert q == pytest.approx(-np.mean(np.log(s[np.arange(5), labels])))
    np.testing.assert_allclose(delta_L, t - s)
    one = phi_L[0].copy()
    err = gradcheck.check_grad(lambda p: losses.cross_entropy(p, t[0])[0],
                               lambda p: -losses.cross_entropy(p, t[0])[1], one)
    assert err < 1e-6


def test_int_labels_equal_one_hot(rng):
    phi_L = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6)
    for loss in (losses.cross_entropy, lambda p, t: losses.squared_error(p, t, "sigmoid")):
        q1, d1 = loss(phi_L, labels)
        q2, d2 = loss(phi_L, losses.one_hot(labels, 4))
        assert q1 == q2
        np.testing.assert_array_equal(d1, d2)
    q1, d1 = losses.cross_entropy(phi_L[0], labels[0])            # one sample, one int label
    q2, d2 = losses.cross_entropy(phi_L[0], losses.one_hot(labels[0], 4))
    assert q1 == q2 and d1.shape == (4,)
    np.testing.assert_array_equal(d1, d2)


@pytest.mark.parametrize("big", [1e3, -1e3])
def test_cross_entropy_stable_for_huge_logits(big):
    phi_L = np.array([[big, 0.0, -big], [0.0, big, big]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        q, delta_L = losses.cross_entropy(phi_L, [0, 2])
        q_se, d_se = losses.squared_error(phi_L, [0, 2], "softmax")
    assert np.isfinite(q) and np.isfinite(delta_L).all() and np.isfinite(q_se) and np.isfinite(d_se).all()
    if big > 0:   # sample 0 right with certainty (q_n = 0); sample 1: s = (0, ½, ½), q_n = log 2
        assert q == pytest.approx(np.log(2) / 2)
    else:         # sample 0: label 0 has logit −1e3 against 1e3: q_n = 2000; sample 1: q_n = 1e3
        assert q == pytest.approx((2000 + 1000) / 2)


def test_q_nonnegative(rng):
    for _ in range(20):
        phi_L = rng.normal(scale=10, size=(4, 3))
        assert losses.cross_entropy(phi_L, rng.integers(0, 3, 4))[0] >= 0
        assert losses.squared_error(phi_L, rng.normal(size=(4, 3)), "tanh")[0] >= 0
    assert losses.cross_entropy(np.array([[1e3, 0.0]]), [0])[0] == 0.0


def test_float32_stays_float32(rng):
    phi_L = rng.normal(size=(3, 4)).astype(np.float32)
    for q, delta_L in (losses.squared_error(phi_L, np.zeros((3, 4)), "sigmoid"),
                       losses.squared_error(phi_L, [0, 1, 2], "softmax"),
                       losses.cross_entropy(phi_L, [0, 1, 3])):
        assert delta_L.dtype == np.float32 and isinstance(q, float)


def test_one_hot():
    np.testing.assert_array_equal(losses.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert losses.one_hot(1, 2).tolist() == [0, 1]
    assert losses.one_hot(np.array([1.0, 0.0]), 2).tolist() == [[0, 1], [1, 0]]
    assert losses.one_hot([0], 2, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.C-1 = 0\.\.2; got \[3\]"):
        losses.one_hot([0, 3], 3)
    with pytest.raises(ValueError, match="labels must lie in"):
        losses.one_hot([-1], 3)
    with pytest.raises(ValueError, match="labels must be integers"):
        losses.one_hot([0.5], 3)
    with pytest.raises(ValueError, match=r"C must be an integer >= 1 \(the number of classes\)"):
        losses.one_hot([0], 0)


def test_get():
    assert losses.get("squared_error") is losses.squared_error is losses.get("MSE")
    assert losses.get("cross-entropy") is losses.cross_entropy is losses.get("ce")
    assert losses.get(losses.cross_entropy) is losses.cross_entropy
    with pytest.raises(ValueError, match="loss must be one of squared_error, mse, cross_entropy"):
        losses.get("hinge")


def test_bad_input():
    phi_L = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"t must have shape \(N, M_L\) = \(4, 3\).*got shape \(4, 2\)"):
        losses.squared_error(phi_L, np.zeros((4, 2)), "sigmoid")
    with pytest.raises(ValueError, match=r"t must have shape \(N, M_L\) = \(4, 3\)"):
        losses.cross_entropy(phi_L, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="labels must lie in"):
        losses.cross_entropy(phi_L, [0, 1, 2, 3])
    with pytest.raises(ValueError, match="t must not contain NaN"):
        losses.squared_error(phi_L, np.full((4, 3), np.nan), "sigmoid")
    with pytest.raises(ValueError, match="phi_L must not contain NaN"):
        losses.cross_entropy(np.full((4, 3), np.nan), [0, 0, 0, 0])
    with pytest.raises(ValueError, match="phi_L must have at least one sample"):
        losses.cross_entropy(np.zeros((0, 3)), np.zeros((0, 3)))
    with pytest.raises(ValueError, match="g must be softmax for cross_entropy"):
        losses.cross_entropy(phi_L, [0, 0, 0, 0], "sigmoid")
    with pytest.raises(ValueError, match="t must be one-hot or a probability distribution"):
        losses.cross_entropy(phi_L, np.ones((4, 3)))
    with pytest.raises(TypeError, match="t must be a real numeric array"):
        losses.squared_error(phi_L, "abc", "linear")
