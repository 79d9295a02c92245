"""Tests of nnlib.book.approximation: the bump network of the universal-approximation page."""

import numpy as np
import pytest

from nnlib.book.approximation import bump_edges, bump_network
from nnlib.activations import sigmoid


def test_edges_cover_the_interval_with_the_outer_edges_half_a_width_outside():
    edges, centres = bump_edges(4, lo=-1.0, hi=1.0)
    assert np.allclose(edges, [-1.25, -0.5, 0.0, 0.5, 1.25])
    assert np.allclose(centres, [-0.75, -0.25, 0.25, 0.75])


def test_one_bump_is_the_difference_of_two_steps_written_by_hand():
    net = bump_network(lambda c: np.full_like(c, 2.0), n=1, lo=0.0, hi=1.0, steepness=30.0)
    a, b = -0.5, 1.5
    x = np.linspace(-2, 3, 101)
    by_hand = 2.0 * (sigmoid(30 * (x - a)) - sigmoid(30 * (x - b)))
    assert np.allclose(net(x[:, None])[:, 0], by_hand, atol=1e-12)
    assert net.M == (1, 2, 1)
    # weights and thresholds in the slides' homogeneous form
    assert np.allclose(net.theta[1], [[-30 * a, 30], [-30 * b, 30]])
    assert np.allclose(net.theta[2], [[0.0, 2.0, -2.0]])


def test_the_bumps_take_the_heights_of_f_at_the_centres_when_steep():
    f = np.cos
    net = bump_network(f, n=6, lo=0.0, hi=3.0, steepness=1e4)
    _, centres = bump_edges(6, 0.0, 3.0)
    assert np.allclose(net(centres[:, None])[:, 0], f(centres), atol=1e-9)


def test_the_error_on_a_lipschitz_function_falls_like_the_width_of_a_bump():
    x = np.linspace(0, 1, 4001)
    errors = [np.abs(bump_network(np.sin, n)(x[:, None])[:, 0] - np.sin(x)).max() for n in (5, 20, 80)]
    # |f'| <= 1: the staircase is off by about half a width, 1/(2n)
    assert errors[0] > 3 * errors[1] > 9 * errors[2]
    assert errors[2] < 1 / 80


@pytest.mark.parametrize("kw, match", [
    (dict(f=np.sin, n=0), "n must"),
    (dict(f=np.sin, n=2.0), "n must"),
    (dict(f="sin", n=2), "f must be a function"),
    (dict(f=np.sin, n=2, lo=1.0, hi=0.0), "lo must be smaller than hi"),
    (dict(f=np.sin, n=2, lo=np.nan), "lo must be a finite"),
    (dict(f=np.sin, n=2, steepness=-1.0), "steepness must be > 0"),
    (dict(f=lambda c: np.zeros(3), n=2), r"f must return 2 finite heights"),
    (dict(f=lambda c: c / 0.0 * np.inf, n=2), "non-finite"),
])
def test_bad_input_names_the_argument(kw, match):
    with pytest.raises((TypeError, ValueError), match=match):
        with np.errstate(all="ignore"):
            bump_network(**kw)
