"""nnlib.optim: SGD and the slides' momentum, in place, with per-parameter state."""

import numpy as np
import pytest

from nnlib.mlp import backprop
from nnlib import optim
from nnlib.mlp import MLP


def test_sgd_step_is_theta_minus_rho_grad_in_place():
    p = [None, np.array([[1.0, 2.0]]), np.array([3.0])]
    g = [None, np.array([[0.5, -1.0]]), np.array([2.0])]
    arrays = [p[1], p[2]]
    optim.SGD(rho=0.1).step(p, g)
    assert p[1] is arrays[0] and p[2] is arrays[1]          # updated in place, not replaced
    np.testing.assert_allclose(p[1], [[0.95, 2.1]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(p[2], [2.8], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(g[1], [[0.5, -1.0]])      # the gradient is not touched


def test_momentum_first_two_steps_by_hand_on_a_quadratic():
    # q(θ) = ½ a θ², ∇q = a θ.  Δθ(k) = −ρ a θ(k−1) + ν Δθ(k−1), Δθ(0) = 0.
    a, rho, nu = 2.0, 0.1, 0.5
    theta = np.array([1.0])
    opt = optim.Momentum(rho=rho, nu=nu)
    opt.step([theta], [a * theta])
    # Δθ(1) = −0.1·2·1 = −0.2  ->  θ = 0.8
    assert theta[0] == pytest.approx(0.8, abs=1e-15)
    np.testing.assert_allclose(opt.state[0], [-0.2], atol=1e-15)
    opt.step([theta], [a * theta])
    # Δθ(2) = −0.1·2·0.8 + 0.5·(−0.2) = −0.16 − 0.1 = −0.26  ->  θ = 0.54
    assert theta[0] == pytest.approx(0.54, abs=1e-15)
    np.testing.assert_allclose(opt.state[0], [-0.26], atol=1e-15)
    assert opt.k == 2


def test_momentum_with_nu_zero_equals_sgd_exactly():
    rng = np.random.default_rng(0)
    p1 = [None, rng.normal(size=(3, 4)), rng.normal(size=(2, 4))]
    p2 = [None] + [a.copy() for a in p1[1:]]
    sgd, mom = optim.SGD(0.3), optim.Momentum(0.3, nu=0.0)
    for _ in range(5):
        g = [None] + [rng.normal(size=a.shape) for a in p1[1:]]
        sgd.step(p1, g)
        mom.step(p2, g)
    for a, b in zip(p1[1:], p2[1:]):
        np.testing.assert_array_equal(a, b)


def test_momentum_keeps_one_state_per_parameter_array_and_reset_forgets_it():
    p = [None, np.zeros((2, 3)), np.zeros(4)]
    g = [None, np.ones((2, 3)), 2 * np.ones(4)]
    opt = optim.Momentum(rho=1.0, nu=0.5)
    opt.step(p, g)
    assert set(opt.state) == {1, 2}
    assert opt.state[1].shape == (2, 3) and opt.state[2].shape == (4,)
    np.testing.assert_array_equal(opt.state[2], -2.0)
    opt.reset()
    assert opt.state == {} and opt.k == 0
    opt.step(p, g)                                          # afresh: Δθ = −ρ ∇ again
    np.testing.assert_array_equal(p[1], -2.0)


def test_momentum_accelerates_on_a_plateau():
    # constant gradient 1: Δθ(k) -> −ρ / (1 − ν), ten times the SGD step for ν = 0.9
    theta = np.zeros(1)
    opt = optim.Momentum(rho=0.01, nu=0.9)
    for _ in range(200):
        opt.step([theta], [np.ones(1)])
    assert opt.state[0][0] == pytest.approx(-0.1, rel=1e-6)


def test_float32_parameters_stay_float32():
    p = [np.ones((2, 2), dtype=np.float32)]
    for opt in (optim.SGD(0.1), optim.Momentum(0.1, 0.9)):
        opt.step(p, [np.ones((2, 2), dtype=np.float32)])
        assert p[0].dtype == np.float32


def test_momentum_on_a_net_matches_the_slides_formula():
    # Δθ(k) = (ρ/N) Σ δ s + ν Δθ(k−1) with (ρ/N) Σ δ s = backprop.increments
    X = np.random.default_rng(1).normal(size=(6, 2))
    t = np.random.default_rng(2).normal(size=(6, 1))
    net, ref = MLP([2, 3, 1], g=["tanh", "linear"], seed=0), MLP([2, 3, 1], g=["tanh", "linear"], seed=0)
    opt, rho, nu = optim.Momentum(rho=0.2, nu=0.7), 0.2, 0.7
    prev = [None, 0.0, 0.0]
    for _ in range(3):
        _, grad = backprop.gradient(net, X, t)
        opt.step(net.theta, grad)
        _, inc = backprop.increments(ref, X, t, rho)
        for l in (1, 2):
            prev[l] = inc[l] + nu * prev[l]
            ref.theta[l] += prev[l]
    for l in (1, 2):
        np.testing.assert_allclose(net.theta[l], ref.theta[l], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("rho", [0, -0.1, float("nan"), float("inf")])
def test_bad_rho_is_named(rho):
    for make in (lambda: optim.SGD(rho), lambda: optim.Momentum(rho, 0.5)):
        with pytest.raises(ValueError, match="rho"):
            make()


def test_rho_must_be_a_number_also_when_changed_later():
    with pytest.raises(TypeError, match="rho"):
        optim.SGD("0.1")
    opt = optim.Momentum(0.1, 0.9)
    opt.rho = 0.05                                          # a schedule ρ_k may change it
    assert opt.rho == 0.05
    with pytest.raises(ValueError, match="rho must be > 0"):
        opt.rho = -1.0


@pytest.mark.parametrize("nu", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_nu_is_named_with_its_range(nu):
    with pytest.raises(ValueError, match=r"nu must be in \[0, 1\)|nu must be finite"):
        optim.Momentum(0.1, nu)


def test_step_checks_the_gradients_match_the_parameters():
    opt = optim.SGD(0.1)
    with pytest.raises(ValueError, match="one entry per parameter"):
        opt.step([np.zeros(2)], [])
    with pytest.raises(ValueError, match=r"grads\[0\] must have the shape of params\[0\] \(2,\); got shape \(3,\)"):
        opt.step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(ValueError, match=r"grads\[1\].*got None"):
        opt.step([None, np.zeros(2)], [None, None])
    with pytest.raises(TypeError, match=r"params\[0\] must be a numpy array"):
        opt.step([[0.0, 0.0]], [np.zeros(2)])


def test_momentum_refuses_a_different_shape_until_reset():
    opt = optim.Momentum(0.1, 0.5)
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="reset"):
        opt.step([np.zeros(3)], [np.ones(3)])
    opt.reset()
    opt.step([np.zeros(3)], [np.ones(3)])


def test_base_class_and_repr():
    with pytest.raises(NotImplementedError, match="update"):
        optim.Optimizer(0.1).step([np.zeros(1)], [np.zeros(1)])
    assert repr(optim.SGD(0.1)) == "SGD(rho=0.1)"
    assert repr(optim.Momentum(0.1, 0.9)) == "Momentum(rho=0.1, nu=0.9)"
