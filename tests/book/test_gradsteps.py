"""Tests of nnlib.book.gradsteps: the V of the finite-difference error against the step h."""

import numpy as np
import pytest

from nnlib.book.gradsteps import best_step, error_vs_step, loglog_slope


def _cubic():
    x = np.array([0.4, -0.9, 1.3])
    f = lambda v: np.sum(np.sin(v) * v ** 2)  # noqa: E731
    exact = np.cos(x) * x ** 2 + 2 * x * np.sin(x)
    return f, exact, x


def test_slopes_two_and_one_on_the_truncation_side():
    f, exact, x = _cubic()
    hs = np.logspace(-3, -1, 5)
    central = error_vs_step(f, exact, x, hs)
    forward = error_vs_step(f, exact, x, hs, method="forward")
    assert 1.8 < loglog_slope(hs, central) < 2.2
    assert 0.8 < loglog_slope(hs, forward) < 1.2


def test_best_steps_near_eps_powers():
    f, exact, x = _cubic()
    hs = np.logspace(-13, -1, 37)
    eps = np.finfo(np.float64).eps
    h_c = best_step(hs, error_vs_step(f, exact, x, hs))
    h_f = best_step(hs, error_vs_step(f, exact, x, hs, method="forward"))
    assert eps ** (1 / 3) / 30 < h_c < eps ** (1 / 3) * 30
    assert eps ** (1 / 2) / 30 < h_f < eps ** (1 / 2) * 30


def test_index_subset_and_errors():
    f, exact, x = _cubic()
    one = error_vs_step(f, exact, x, [1e-4], index=[1])
    assert one.shape == (1,) and one[0] < 1e-7
    with pytest.raises(ValueError, match="steps must be positive"):
        error_vs_step(f, exact, x, [0.0])
    with pytest.raises(ValueError, match=r"analytic must have the shape of x \(3,\)"):
        error_vs_step(f, exact[:2], x, [1e-4])
    assert loglog_slope([1, 10, 100], [2, 200, 20000]) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="positive"):
        loglog_slope([1, 2], [0, 1])
    assert best_step([1e-3, 1e-2], [5.0, 1.0]) == 1e-2
    with pytest.raises(ValueError, match="one value per step"):
        best_step([1e-3, 1e-2], [5.0])
