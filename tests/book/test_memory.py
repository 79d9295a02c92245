"""Tests of nnlib.book.memory: the floats BackProp keeps between its two passes."""

import numpy as np
import pytest

from nnlib.book.memory import kept_floats, kept_floats_formula
from nnlib.mlp import MLP


def test_count_matches_formula_by_hand():
    net = MLP(M=[3, 5, 4, 2], g="tanh", seed=0)
    X = np.zeros((7, 3))
    # phi^1..phi^3: 7 (5 + 4 + 2); s^0..s^2: 7 (3 + 5 + 4)
    assert kept_floats(net, X) == 7 * (5 + 4 + 2) + 7 * (3 + 5 + 4) == 161
    assert kept_floats_formula(net.M, 7) == 161


def test_linear_in_batch_and_depth():
    counts = [kept_floats(MLP(M=[4] + [6] * d + [2], seed=0), np.ones((5, 4)))
              for d in range(1, 5)]
    assert np.all(np.diff(counts) == 2 * 5 * 6)
    net = MLP(M=[4, 6, 2], seed=0)
    assert kept_floats(net, np.ones((10, 4))) == 10 * kept_floats(net, np.ones((1, 4)))


def test_errors_name_the_argument():
    net = MLP(M=[3, 2], seed=0)
    with pytest.raises(ValueError, match=r"X must have shape \(B, M_0\) = \(B, 3\); got shape \(3,\)"):
        kept_floats(net, np.ones(3))
    with pytest.raises(ValueError, match="B must be a positive int"):
        kept_floats_formula([3, 2], 0)
    with pytest.raises(ValueError, match="M must list at least 2"):
        kept_floats_formula([3], 1)
