"""nnlib.book.explore's helpers of the schedules-and-weight-decay page: the LR range test, decay_only, AdamL2."""
import numpy as np
import pytest

from nnlib import losses, optim
from nnlib.book import explore
from nnlib.mlp import MLP


def _task():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return X, losses.one_hot(y, 2)


def test_range_test_ramps_rho_geometrically_and_picks_a_tenth_of_the_minimum():
    X, T = _task()
    test = explore.lr_range_test(MLP([4, 8, 2], g=["tanh", "softmax"], seed=0), X, T, rho_lo=1e-3,
                                 rho_hi=1e3, B=4, loss="cross_entropy")
    ratios = test.rho[1:] / test.rho[:-1]
    np.testing.assert_allclose(ratios, (1e6) ** (1 / 49), rtol=1e-12)      # K = 50 blocks of 4
    assert test.rho[0] == pytest.approx(1e-3)
    assert test.rho_min == test.rho[np.argmin(test.q_smooth)] and test.rho_pick == pytest.approx(test.rho_min / 10)
    assert test.stopped and len(test.q) < 50                                 # ρ up to 1000 blows it up
    assert np.all(np.isfinite(test.q)) and test.q_smooth.shape == test.q.shape


def test_decay_only_shrinks_by_one_minus_rho_lam_per_update():
    p = [np.array([1.0, -2.0]), np.full((2, 2), 3.0)]
    explore.decay_only(optim.AdamW(rho=0.1, lam=0.5), p, 10)               # no gradient: m = v = 0
    np.testing.assert_allclose(p[0], np.array([1.0, -2.0]) * 0.95 ** 10, rtol=1e-12)
    q = [np.array([1.0, -2.0])]
    explore.decay_only(optim.SGD(0.1), q, 10, l2=0.5)                      # SGD: L2 = weight decay
    np.testing.assert_allclose(q[0], np.array([1.0, -2.0]) * 0.95 ** 10, rtol=1e-12)
    with pytest.raises(ValueError, match="steps"):
        explore.decay_only(optim.SGD(0.1), q, 0)


def test_adam_l2_is_adam_on_the_penalised_gradient():
    rng = np.random.default_rng(2)
    grads = [rng.normal(size=3) for _ in range(5)]
    a, b = explore.AdamL2(0.05, lam=0.3), optim.Adam(0.05)
    p, q = np.ones(3), np.ones(3)
    for g in grads:
        a.step([p], [g.copy()])
        b.step([q], [g + 0.3 * q])
    np.testing.assert_allclose(p, q, rtol=1e-13)
