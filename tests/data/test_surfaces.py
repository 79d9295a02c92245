"""nnlib.data.surfaces: every gradient against central differences, q on grids, the minima, trajectory."""
import math

import numpy as np
import pytest

from nnlib import optim
from nnlib.data import surfaces as S
from nnlib.layers.regularization import clip_by_norm

rng = np.random.default_rng(0)
X_FIT = rng.normal(size=(30, 2))
T_FIT = X_FIT @ np.array([1.0, -0.5]) + 0.1 * rng.normal(size=30)

EVERY = {
    "valley": S.valley(),
    "rotated valley": S.valley((1.0, 50.0), angle=30, start=(-4.0, 1.0)),
    "quadratic 3-D": S.Quadratic([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]], start=(1.0, -1.0, 2.0)),
    "plateau": S.Plateau(),
    "rosenbrock": S.Rosenbrock(),
    "rosenbrock a=2 b=10": S.Rosenbrock(a=2.0, b=10.0),
    "double well": S.DoubleWell(),
    "saddle": S.Saddle(),
    "quartic": S.Quartic(),
    "saturated sigmoid": S.SaturatedSigmoid(),
    "least squares": S.LeastSquares(X_FIT, T_FIT, start=(-1.5, 0.5)),
}


def central_differences(f, theta, h=1e-6):
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad


@pytest.mark.parametrize("name", EVERY)
def test_gradient_matches_central_differences(name):
    s = EVERY[name]
    points = np.random.default_rng(1).uniform(-1.5, 1.5, size=(5, s.dim))
    for theta in list(points) + [s.start]:
        want = central_differences(s.q, theta)
        got = s.gradient(theta)
        assert got.shape == theta.shape
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7 * max(1.0, np.abs(want).max()))


@pytest.mark.parametrize("name", EVERY)
def test_q_and_gradient_work_on_a_grid_of_points(name):
    s = EVERY[name]
    grid = np.random.default_rng(2).normal(size=(s.dim, 4, 3))
    Q, G = s.q(grid), s.gradient(grid) if not isinstance(s, S.LeastSquares) else None
    assert Q.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            assert Q[i, j] == pytest.approx(s.q(grid[:, i, j]), rel=1e-12, abs=1e-15)
            if G is not None:
                np.testing.assert_allclose(G[:, i, j], s.gradient(grid[:, i, j]), rtol=1e-12, atol=1e-15)
    q, g = s(s.start)                                                    # surface(theta) -> (q, gradient)
    assert q == s.q(s.start) and np.array_equal(g, s.gradient(s.start))


@pytest.mark.parametrize("name", [n for n in EVERY if EVERY[n].minimum is not None])
def test_the_gradient_vanishes_at_the_minimum_and_q_is_lowest_there(name):
    s = EVERY[name]
    np.testing.assert_allclose(s.gradient(s.minimum), 0, atol=1e-10)
    around = s.minimum + 0.01 * np.random.default_rng(3).normal(size=(20, s.dim))
    assert all(s.q(p) > s.q(s.minimum) for p in around)


def test_valley_curvatures_angle_and_the_saddle_and_wells():
    v = S.valley((1.0, 50.0), angle=30)
    np.testing.assert_allclose(v.curvatures, [1.0, 50.0], rtol=1e-12)
    floor = np.array([math.cos(math.radians(30)), math.sin(math.radians(30))])
    np.testing.assert_allclose(v.H @ floor, floor, atol=1e-12)           # curvature 1 along the floor
    np.testing.assert_array_equal(S.valley((1.0, 100.0)).H, np.diag([1.0, 100.0]))
    sd = S.Saddle()
    np.testing.assert_array_equal(sd.gradient(np.zeros(2)), 0)          # the origin is a critical point ...
    assert sd.q(np.array([0.0, 0.1])) < 0 < sd.q(np.array([0.1, 0.0]))  # ... and a saddle
    np.testing.assert_allclose(sd.gradient(np.array([0.0, 1.0])), 0)
    dw = S.DoubleWell(tilt=0.3)
    wells = sorted(r.real for r in np.roots([4, 0, -4, 0.3]) if abs(r.imag) < 1e-12)
    assert dw.q(np.array([wells[0]])) < dw.q(np.array([wells[2]]))     # the left well is the global one
    np.testing.assert_allclose(S.Rosenbrock(a=2.0).minimum, [2.0, 4.0])


def test_least_squares_minimum_and_minibatch_gradients():
    s = EVERY["least squares"]
    np.testing.assert_allclose(s.minimum, np.linalg.lstsq(X_FIT, T_FIT, rcond=None)[0], rtol=1e-10)
    sto = S.LeastSquares(X_FIT, T_FIT, start=(0.0, 0.0), batch=5, seed=0)
    draws = np.random.default_rng(0)
    for _ in range(3):                                                   # a new mini-batch at every call
        rows = draws.choice(30, size=5, replace=False)
        want = -(X_FIT[rows].T @ (T_FIT[rows] - X_FIT[rows] @ np.ones(2))) / 5
        np.testing.assert_allclose(sto.gradient(np.ones(2)), want, rtol=1e-12)
    mean = np.mean([S.LeastSquares(X_FIT, T_FIT, (0, 0), batch=5, seed=k).gradient(np.ones(2))
                    for k in range(2000)], axis=0)
    np.testing.assert_allclose(mean, s.gradient(np.ones(2)), atol=0.05)   # unbiased, on average


def test_trajectory_is_the_optimizer_s_path_step_by_step():
    s = S.valley((1.0, 100.0), start=(-8.0, 0.8))
    path = S.trajectory(optim.Momentum(0.019, nu=0.9), s, steps=30)
    assert path.shape == (31, 2)
    np.testing.assert_array_equal(path[0], s.start)
    theta, opt = s.start.copy(), optim.Momentum(0.019, nu=0.9)
    for k in range(30):
        opt.step([theta], [s.H @ theta])
        np.testing.assert_allclose(path[k + 1], theta, rtol=1e-14, atol=1e-15)
    assert np.array_equal(s.start, [-8.0, 0.8])                          # the surface's start is not moved


def test_trajectory_stops_at_tol_and_momentum_beats_gradient_descent_in_the_valley():
    s = S.valley((1.0, 100.0), start=(-8.0, 0.8))
    gd = S.trajectory(optim.SGD(0.019), s, steps=2000, tol=1e-6)
    mom = S.trajectory(optim.Momentum(0.019, nu=0.9), s, steps=2000, tol=1e-6)
    for path in (gd, mom):
        q = s.q(path.T)
        assert q[-1] < 1e-6 and np.all(q[:-1] >= 1e-6)                  # stops at the first point below tol
    assert len(mom) < len(gd) / 2


def test_trajectory_stops_where_it_diverges_and_clip_tames_it():
    s = S.Quartic()
    plain = S.trajectory(optim.SGD(0.3), s, steps=100)
    assert len(plain) < 10 and s.q(plain[-1]) > 1e8                      # stopped at the first q > q_max
    overflow = S.trajectory(optim.SGD(0.3), s, steps=100, q_max=None)
    with np.errstate(over="ignore"):
        assert len(overflow) > len(plain) and not np.isfinite(s.q(overflow[-1]))   # on to inf
    clipped = S.trajectory(optim.SGD(0.3), s, steps=100, clip=lambda g: clip_by_norm(g, 1.0))
    assert s.q(clipped[-1]) < 1e-3
    assert np.linalg.norm(np.diff(clipped, axis=0), axis=1).max() <= 0.3 + 1e-12    # steps of at most ρc
    new_list = S.trajectory(optim.SGD(0.3), s, steps=100, clip=lambda g: [gi / max(1.0, np.linalg.norm(gi))
                                                                          for gi in g])
    np.testing.assert_allclose(new_list, clipped, rtol=1e-12, atol=1e-15)   # a clip may return a new list too


def test_trajectory_takes_zero_steps_and_an_explicit_start():
    s = S.Plateau()
    assert S.trajectory(optim.SGD(1.0), s, steps=0).shape == (1, 2)
    path = S.trajectory(optim.SGD(1.0), s, start=(6.5, 2.0), steps=3)
    np.testing.assert_array_equal(path[0], [6.5, 2.0])


def test_explore_s_named_surfaces():
    f, start, minimum, window = S.surface("valley")
    assert start == (-4.0, 1.5) and minimum == (0.0, 0.0) and window == (-5, 5, -2.5, 2.5)
    q, g = f(np.array([1.0, 1.0]))
    assert q == pytest.approx(5.5) and np.allclose(g, [1.0, 10.0])
    assert S.surface("plateau")[1] == (5.0, 2.0) and S.surface("rosenbrock")[2] == (1.0, 1.0)
    with pytest.raises(ValueError, match="problem must be one of valley, plateau, rosenbrock; got 'bowl'"):
        S.surface("bowl")


def test_bad_arguments_are_named():
    s = S.valley()
    with pytest.raises(TypeError, match="optimizer must be an nnlib.optim.Optimizer"):
        S.trajectory("sgd", s)
    with pytest.raises(TypeError, match="surface must be"):
        S.trajectory(optim.SGD(0.1), lambda th: th)
    with pytest.raises(ValueError, match=r"start must be a point of 2 weights, shape \(2,\); got shape \(3,\)"):
        S.trajectory(optim.SGD(0.1), s, start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        S.trajectory(optim.SGD(0.1), s, steps=2.5)
    with pytest.raises(ValueError, match="tol must be > 0"):
        S.trajectory(optim.SGD(0.1), s, tol=0)
    with pytest.raises(TypeError, match="clip must be callable"):
        S.trajectory(optim.SGD(0.1), s, clip=1.0)
    with pytest.raises(ValueError, match=r"theta must have shape \(2,\)"):
        s.q(np.zeros(3))
    with pytest.raises(ValueError, match="H must be a symmetric square matrix"):
        S.Quadratic([[1.0, 2.0], [0.0, 1.0]], start=(0.0, 0.0))
    with pytest.raises(ValueError, match="curvatures must be > 0"):
        S.valley((1.0, -1.0))
    with pytest.raises(ValueError, match="window must be"):
        S.Plateau(window=(1, 0, -1, 1))
    with pytest.raises(ValueError, match=r"batch must be an integer in 1\.\.30"):
        S.LeastSquares(X_FIT, T_FIT, start=(0, 0), batch=31)
    with pytest.raises(ValueError, match="grid"):
        S.DoubleWell().grid()


def test_best_rho_picks_the_fewest_updates_else_the_lowest_q():
    s = S.valley((1.0, 100.0), start=(-8.0, 0.8))
    rho, k, path = S.best_rho("sgd", s, [0.001, 0.01, 0.019, 0.05], steps=3000, tol=1e-6)
    assert rho == 0.019 and k == len(path) - 1 and s.q(path[-1]) < 1e-6   # 0.05 > 2/100 diverges
    for other in (0.001, 0.01):
        assert S.trajectory(optim.SGD(other), s, steps=3000, tol=1e-6).shape[0] - 1 > k
    rho, k, path = S.best_rho("momentum", s, [0.001, 0.01], steps=5, tol=1e-6, nu=0.5)
    assert k is None and rho == 0.01 and len(path) == 6                   # none reached: the lowest q
    with pytest.raises(ValueError, match="rhos must hold"):
        S.best_rho("sgd", s, [], steps=5, tol=1e-6)
