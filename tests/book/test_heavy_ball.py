"""nnlib.book.explore's heavy-ball analysis (why-momentum-works page) and its ν slider in nnlib.book.widgets.

Oracles: nnlib.optim.Momentum itself (the matrix must reproduce its steps), the closed forms of Polyak's
optimum derived by hand, and a brute-force search over (ρ, ν)."""
import math

import matplotlib
import numpy as np
import pytest

from nnlib import optim
from nnlib.book import explore

matplotlib.use("Agg")


@pytest.mark.parametrize("rho, nu, xi", [(0.1, 0.9, 3.0), (0.5, 0.0, 1.0), (0.01, 0.81, 100.0)])
def test_matrix_reproduces_the_optimizer_steps(rho, nu, xi):
    R = explore.heavy_ball_matrix(rho, nu, xi)
    path = explore.quadratic_path(optim.Momentum(rho, nu), (xi,), start=(0.7,), steps=6)[:, 0]
    state = np.array([0.7, 0.0])                                    # (θ(0), Δθ(0) = 0)
    for k in range(1, 7):
        state = R @ state
        assert state[0] == pytest.approx(path[k], rel=1e-12, abs=1e-15)


def test_gradient_descent_is_nu_zero():
    assert explore.heavy_ball_rate(0.15, 0.0, (1.0, 10.0)) == pytest.approx(max(abs(1 - 0.15), abs(1 - 1.5)))
    rho, factor = explore.optimal_gd(1.0, 10.0)
    assert rho == pytest.approx(2 / 11) and factor == pytest.approx(9 / 11)
    assert explore.heavy_ball_rate(rho, 0.0, (1.0, 10.0)) == pytest.approx(9 / 11)


@pytest.mark.parametrize("kappa", [4.0, 100.0])
def test_polyak_optimum_is_the_best_pair_on_a_grid(kappa):
    rho, nu, factor = explore.optimal_heavy_ball(1.0, kappa)
    assert factor == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1))
    assert nu == pytest.approx(factor ** 2)
    assert rho == pytest.approx((2 / (math.sqrt(kappa) + 1)) ** 2)
    assert explore.heavy_ball_rate(rho, nu, (1.0, kappa)) == pytest.approx(factor, rel=1e-6)
    grid = [(r, v) for r in np.linspace(0.2, 1.8, 33) * rho for v in np.linspace(0, 0.99, 34)]
    best = min(explore.heavy_ball_rate(r, v, (1.0, kappa)) for r, v in grid)
    assert best >= factor - 1e-6                                     # nothing on the grid beats it


def test_damping_regimes_and_complex_modulus():
    rho = 0.01                                                       # ξ = 1: critical at √ν = 0.9
    assert explore.damping(rho, 0.5, 1.0) == "overdamped"
    assert explore.damping(rho, 0.81, 1.0) == "critically damped"
    assert explore.damping(rho, 0.95, 1.0) == "underdamped"
    # a step too large: real negative eigenvalues, θ flips sign every step
    assert explore.damping(3.5, 0.5, 1.0) == "flipping"
    path = explore.quadratic_path(optim.Momentum(3.5, 0.5), (1.0,), steps=8)[:, 0]
    assert np.all(path[1:] * path[:-1] < 0)
    mu = np.linalg.eigvals(explore.heavy_ball_matrix(rho, 0.95, 1.0))
    np.testing.assert_allclose(np.abs(mu), math.sqrt(0.95), rtol=1e-12)


def test_iterations_to_tol_counts_gradient_descent_exactly():
    rho, factor = explore.optimal_gd(1.0, 100.0)
    n = explore.iterations_to_tol(optim.SGD(rho), (1.0, 100.0), tol=1e-6)
    assert n == math.ceil(math.log(1e6) / -math.log(factor))
    assert explore.iterations_to_tol(optim.SGD(1e-4), (1.0,), tol=1e-6, max_steps=10) is None


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="curvature"):
        explore.heavy_ball_rate(0.1, 0.5, (1.0, -2.0))
    with pytest.raises(ValueError, match="start"):
        explore.quadratic_path(optim.SGD(0.1), (1.0, 2.0), start=(1.0,))
    with pytest.raises(ValueError, match="steps"):
        explore.quadratic_path(optim.SGD(0.1), (1.0,), steps=0)


def test_momentum_frames_build_one_frame_per_nu():
    from nnlib.book import widgets
    box = widgets.momentum_frames(nus=(0.0, 0.81), dpi=40)
    slider, stack = box.children
    assert len(stack.children) == 2 and [o[0] for o in slider.options] == ["0", "0.81"]
    fig = widgets.plot_heavy_ball(0.9)
    assert "flat direction underdamped" in fig._suptitle.get_text()
