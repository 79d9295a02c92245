"""nnlib.mlp.lbfgs.fit: L-BFGS on BackProp's gradient reaches a minimum of q_S, in place, and stops when asked."""
import subprocess
import sys

import numpy as np
import pytest

from nnlib import optim
from nnlib.data import datasets
from nnlib.mlp import MLP, backprop, lbfgs, train


@pytest.fixture
def curve():
    x = np.linspace(-2, 2, 30)[:, None]
    return x, np.sin(2 * x)


@pytest.fixture
def teacher():
    # targets a 1-3-1 network computes exactly: the minimum of q_S is 0
    x = np.linspace(-2, 2, 30)[:, None]
    return x, MLP(M=[1, 3, 1], g=["tanh", "linear"], seed=5)(x)


def test_reaches_a_point_where_the_gradient_vanishes(teacher):
    X, t = teacher
    net = MLP(M=[1, 3, 1], g=["tanh", "linear"], seed=0)
    q0 = backprop.cost(net, X, t)
    result = lbfgs.fit(net, X, t, iterations=200)
    np.testing.assert_array_equal(net.Theta, result.x)               # the result is in the net
    q, grad = backprop.gradient(net, X, t)
    assert q == pytest.approx(result.fun, abs=1e-15) and q < 1e-10 < q0
    assert max(np.abs(g).max() for g in grad[1:]) < 1e-5


def test_needs_far_fewer_gradients_than_gradient_descent(teacher):
    X, t = teacher
    result = lbfgs.fit(MLP(M=[1, 3, 1], g=["tanh", "linear"], seed=0), X, t, iterations=200)
    slow = MLP(M=[1, 3, 1], g=["tanh", "linear"], seed=0)
    hist = train.batch(slow, X, t, optimizer=optim.Momentum(rho=0.2, nu=0.9), max_epochs=1000)
    assert result.nfev < 300                                         # gradients L-BFGS used
    assert hist.q[-1] > 1000 * max(result.fun, 1e-12)                # 1000 gradients of momentum: far higher q_S


def test_cross_entropy_and_stop():
    X, t = datasets.moons(100, noise=0.1, seed=1)
    net = MLP(M=[2, 6, 2], g=["tanh", "softmax"], seed=0)
    seen = []

    def accurate(net):
        seen.append(np.mean(net.classify(X) == t))
        return seen[-1] >= 0.9

    result = lbfgs.fit(net, X, t, iterations=300, loss="cross_entropy", stop=accurate)
    assert seen[-1] >= 0.9 and all(acc < 0.9 for acc in seen[:-1])   # stopped at the first accurate iterate
    assert result.nit == len(seen) < 300
    assert np.mean(net.classify(X) == t) >= 0.9


def test_import_nnlib_does_not_import_scipy():
    code = "import sys, nnlib, nnlib.mlp.lbfgs; assert 'scipy' not in sys.modules, 'scipy imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(iterations=0), ValueError, ["iterations", ">= 1", "0"]),
    (dict(iterations=2.5), ValueError, ["iterations", "int"]),
    (dict(gtol=-1.0), ValueError, ["gtol", ">= 0"]),
    (dict(stop=3), TypeError, ["stop", "callable", "int"]),
])
def test_bad_arguments_are_named(curve, kwargs, error, words):
    X, t = curve
    with pytest.raises(error) as info:
        lbfgs.fit(MLP(M=[1, 2, 1], g=["tanh", "linear"]), X, t, **kwargs)
    for word in words:
        assert word in str(info.value)


def test_a_net_that_is_not_an_mlp_is_refused(curve):
    X, t = curve
    with pytest.raises(TypeError, match="net must be an nnlib.mlp.MLP; got list"):
        lbfgs.fit([1, 2], X, t)


def test_the_fast_path_gives_backprops_q_and_gradient(curve):
    """fit evaluates q_S and its gradient with nnlib.mlp.workspace: at the result they are backprop's (1e-12)."""
    X, T = curve
    net = MLP(M=[1, 4, 1], g=["tanh", "linear"], seed=0)
    result = lbfgs.fit(net, X, T, iterations=5)
    q, grad = backprop.gradient(net, X, T)
    assert result.fun == pytest.approx(q, rel=1e-12)
    np.testing.assert_allclose(result.jac, np.concatenate([g.ravel() for g in grad[1:]]), rtol=1e-10, atol=1e-14)
