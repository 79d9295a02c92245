"""Tests of nnlib.gradcheck: the checks pass right derivatives and catch wrong ones."""

import numpy as np
import pytest

from nnlib import activations as act
from nnlib.gradcheck import (
    check_derivative, check_grad, check_jacobian, numerical_derivative, numerical_gradient,
    numerical_jacobian, relative_error,
)


def test_numerical_derivative_of_sin():
    z = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(numerical_derivative(np.sin, z), np.cos(z), atol=1e-9)
    assert numerical_derivative(np.sin, z).dtype == np.float64


def test_numerical_derivative_float32_input_runs_in_float64():
    z = np.array([0.3, -1.2], dtype=np.float32)
    out = numerical_derivative(act.sigmoid, z)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, act.sigmoid.prime(z.astype(np.float64)), rtol=1e-8)


def test_numerical_gradient_restores_x_and_works_through_a_closure():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(3, 4))
    X = rng.normal(size=(5, 4))
    before = W.copy()

    def loss(_):  # reads W through the closure, like a network's loss reads theta
        return 0.5 * np.sum((X @ W.T) ** 2)

    grad = numerical_gradient(loss, W)
    np.testing.assert_array_equal(W, before)  # perturbed in place, then restored exactly
    np.testing.assert_allclose(grad, (X @ W.T).T @ X, rtol=1e-7)


def test_numerical_jacobian_of_a_linear_map_is_the_matrix():
    A = np.arange(6.0).reshape(2, 3)
    J = numerical_jacobian(lambda x: A @ x, np.array([1.0, -1.0, 2.0]))
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, A, atol=1e-8)


def test_numerical_jacobian_shape_is_out_shape_plus_x_shape():
    x = np.ones((2, 3))
    J = numerical_jacobian(lambda t: t.sum(axis=1), x)
    assert J.shape == (2, 2, 3)
    np.testing.assert_allclose(J[0, 0], 1.0, atol=1e-9)
    np.testing.assert_allclose(J[0, 1], 0.0, atol=1e-9)


def test_relative_error():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, a + 1e-9) == pytest.approx(1e-9 / 6, rel=1e-4)
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, 2 * a) == relative_error(2 * a, a)
    assert relative_error(np.empty(0), np.empty(0)) == 0.0
    with pytest.raises(ValueError, match=r"b must have the shape of a \(3,\); got shape \(2,\)"):
        relative_error(a, a[:2])


def test_check_derivative_passes_right_and_catches_wrong():
    z = np.linspace(-5, 5, 21)
    assert check_derivative(act.tanh, act.tanh.prime, z) < 1e-8
    assert check_derivative(act.sigmoid, act.sigmoid.prime, z) < 1e-8
    wrong = lambda t: 2 * act.sigmoid(2 * t) - 1  # slide 8's exercise claim for g'_T  # noqa: E731
    assert check_derivative(act.tanh, wrong, z) > 0.1
    sign_error = lambda t: -act.sigmoid.prime(t)  # noqa: E731
    assert check_derivative(act.sigmoid, sign_error, z) > 0.5


def test_check_grad_passes_right_and_catches_wrong():
    x = np.array([0.5, -1.0, 2.0])
    f = lambda t: np.sum(t ** 3)  # noqa: E731
    assert check_grad(f, lambda t: 3 * t ** 2, x) < 1e-8
    assert check_grad(f, lambda t: t ** 2, x) > 0.3          # missing factor
    assert check_grad(f, lambda t: 3 * t[::-1] ** 2, x) > 0.1  # entries swapped


def test_check_jacobian_softmax():
    z = np.array([0.2, -1.0, 3.0, 0.5])
    assert check_jacobian(act.softmax, act.softmax.prime, z) < 1e-8
    slide_diagonal_only = lambda t: np.diag(act.softmax(t) * (1 - act.softmax(t)))  # noqa: E731
    assert check_jacobian(act.softmax, slide_diagonal_only, z) > 0.05
    wrong_transpose = lambda t: act.softmax.prime(t).T * np.arange(1, 5)  # noqa: E731
    assert check_jacobian(act.softmax, wrong_transpose, z) > 0.05


def test_bad_input():
    with pytest.raises(TypeError, match="x must be float64 for a central-difference check; got dtype float32"):
        numerical_gradient(np.sum, np.ones(3, dtype=np.float32))
    frozen = np.ones(3)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="x must be writable"):
        numerical_gradient(np.sum, frozen)
    with pytest.raises(ValueError, match=r"f must return a scalar; got shape \(3,\)"):
        numerical_gradient(lambda t: t * 2, np.ones(3))
    with pytest.raises(ValueError, match="eps must be > 0"):
        numerical_derivative(np.sin, [1.0], eps=0)
    with pytest.raises(ValueError, match="x must not contain NaN"):
        numerical_jacobian(np.sin, np.array([np.nan]))
    with pytest.raises(TypeError, match="z must be a real numeric array"):
        numerical_derivative(np.sin, ["a"])


def test_lists_and_scalars_are_copied_to_float64():
    assert numerical_gradient(lambda t: float(t) ** 2, 3.0) == pytest.approx(6.0)
    np.testing.assert_allclose(numerical_gradient(lambda t: np.sum(t ** 2), [1, 2]), [2.0, 4.0])


# --------------------------------------------- relative_errors, numerical_partial, check_coordinates

from nnlib.gradcheck import check_coordinates, numerical_partial, relative_errors  # noqa: E402


def test_relative_errors_entry_by_entry():
    a = np.array([1.0, 0.0, -2.0, 1e-3])
    n = np.array([1.1, 0.0, 2.0, 1e-3])
    err = relative_errors(a, n)
    np.testing.assert_allclose(err, [0.1 / 1.1, 0.0, 2.0, 0.0])  # 0/0 -> 0 by the floor
    np.testing.assert_array_equal(relative_errors(n, a), err)    # symmetric
    with pytest.raises(ValueError, match=r"n must have the shape of a \(4,\); got shape \(2,\)"):
        relative_errors(a, n[:2])
    with pytest.raises(ValueError, match="tiny"):
        relative_errors(a, n, tiny=0.0)


def test_numerical_partial_orders_and_restores():
    x = np.array([[0.3, -0.7], [1.1, 0.2]])
    before = x.copy()
    f = lambda v: np.sum(np.exp(v) * v)  # noqa: E731  df/dv = exp(v)(1 + v)
    exact = np.exp(x) * (1 + x)
    for h in (1e-2, 1e-3):
        central = numerical_partial(f, x, (1, 0), h)
        forward = numerical_partial(f, x, 2, h, method="forward")
        np.testing.assert_array_equal(x, before)
        # central: error ~ h^2; forward: error ~ h (derived from Taylor's terms)
        assert abs(central - exact[1, 0]) < h ** 2 * 5
        assert h / 10 < abs(forward - exact[1, 0]) < h * 10
    e1 = abs(numerical_partial(f, x, 0, 1e-2) - exact[0, 0])
    e2 = abs(numerical_partial(f, x, 0, 1e-3) - exact[0, 0])
    assert 50 < e1 / e2 < 200  # ten times smaller h, a hundred times smaller error
    with pytest.raises(ValueError, match="method must be 'central' or 'forward'; got 'back'"):
        numerical_partial(f, x, 0, method="back")
    with pytest.raises(ValueError, match="index must be within the 4 entries of x; got 9"):
        numerical_partial(f, x, 9)
    with pytest.raises(TypeError, match="x must be float64"):
        numerical_partial(f, x.astype(np.float32), 0)
    np.testing.assert_array_equal(x, before)


def test_numerical_partial_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def f(v):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_partial(f, x, 1)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_check_coordinates_passes_right_and_catches_wrong():
    from nnlib.mlp import MLP, backprop

    rng = np.random.default_rng(3)
    net = MLP(M=[4, 6, 3], g=["tanh", "sigmoid"], seed=2)
    X, T = rng.normal(size=(5, 4)), rng.uniform(size=(5, 3))
    q = lambda _: backprop.cost(net, X, T)  # noqa: E731
    right = lambda _: backprop.gradient(net, X, T)[1][1]  # noqa: E731
    res = check_coordinates(q, right, net.theta[1], k=6, seed=1)
    assert res.index.shape == (6,) and len(set(res.index)) == 6
    assert res.errors.max() < 1e-6
    wrong = lambda _: -right(_)  # noqa: E731  a sign error
    assert check_coordinates(q, wrong, net.theta[1], k=6, seed=1).errors.min() > 0.5
    with pytest.raises(ValueError, match="k must be at most x.size = 30; got 31"):
        check_coordinates(q, right, net.theta[1], k=31)
    with pytest.raises(ValueError, match=r"grad\(x\) must have the shape of x \(6, 5\)"):
        check_coordinates(q, lambda _: np.zeros(3), net.theta[1])
