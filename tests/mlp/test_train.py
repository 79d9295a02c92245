"""nnlib.mlp.train: the slides' BackProp loops (batch, incremental, on-line) and mini-batch."""

import numpy as np
import pytest

from nnlib.mlp import backprop, train
from nnlib import optim
from nnlib.mlp import MLP

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_T = np.array([[0.0], [1.0], [1.0], [0.0]])


def regression(N=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(N, 1))
    return X, np.sin(X)


def blobs(N=60, C=3, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, C, size=N)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])[:C]
    return centres[labels] + rng.normal(size=(N, 2)), labels


def reg_net(seed=0, dtype=np.float64):
    return MLP([1, 6, 1], g=["tanh", "linear"], seed=seed, dtype=dtype)


def assert_same_weights(a, b):
    for l in range(1, a.L + 1):
        np.testing.assert_array_equal(a.theta[l], b.theta[l])


def assert_formula_weights(a, b):
    """`a` trained by a loop (its fast path, nnlib.mlp.workspace), `b` by the formulas (backprop.gradient and
    opt.step): the same weights up to the order of the sums in the matrix products (1e-12)."""
    for l in range(1, a.L + 1):
        np.testing.assert_allclose(a.theta[l], b.theta[l], rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------------------ batch

def test_batch_reduces_q_on_a_small_regression():
    X, t = regression()
    net = reg_net()
    hist = train.batch(net, X, t, rho=0.2, max_epochs=300)
    assert hist.q[-1] < 0.2 * hist.q0
    assert hist.q[-1] == pytest.approx(backprop.cost(net, X, t))   # measured on the whole S, after the epoch
    assert np.all(np.diff(hist.q) <= 1e-12)                          # a small rho: q_S never rises


def test_batch_learns_xor_with_a_2_2_1_net():
    net = MLP([2, 2, 1], g=["tanh", "sigmoid"], seed=1)
    hist = train.batch(net, XOR_X, XOR_T, rho=2.0, max_epochs=3000, tol_q=0.01)
    assert hist.stopped == "tol_q" and hist.q[-1] < 0.01
    np.testing.assert_array_equal(net(XOR_X) > 0.5, XOR_T > 0.5)


def test_batch_epoch_is_one_step_of_minus_rho_gradient():
    X, t = regression(N=10)
    net, ref = reg_net(), reg_net()
    train.batch(net, X, t, rho=0.3, max_epochs=1)
    _, Delta = backprop.increments(ref, X, t, 0.3)
    for l in (1, 2):
        np.testing.assert_allclose(net.theta[l], ref.theta[l] + Delta[l], rtol=1e-13, atol=1e-15)


def test_batch_with_an_optimizer_calls_its_step_each_epoch():
    X, t = regression(N=10)
    net, ref = reg_net(), reg_net()
    hist = train.batch(net, X, t, max_epochs=4, optimizer=optim.Momentum(rho=0.1, nu=0.8))
    opt = optim.Momentum(rho=0.1, nu=0.8)
    for _ in range(4):
        opt.step(ref.theta, backprop.gradient(ref, X, t)[1])
    assert_formula_weights(net, ref)
    assert hist.updates == [1, 2, 3, 4]


def test_momentum_with_nu_zero_trains_exactly_like_plain_rho():
    X, t = regression()
    a, b = reg_net(), reg_net()
    train.minibatch(a, X, t, rho=0.1, B=8, max_epochs=3, seed=5)
    train.minibatch(b, X, t, B=8, max_epochs=3, seed=5, optimizer=optim.Momentum(rho=0.1, nu=0.0))
    assert_same_weights(a, b)


# ----------------------------------------------------------- the algorithms agree

def test_minibatch_with_B_equal_N_is_exactly_batch():
    X, t = regression(N=24)
    a, b = reg_net(), reg_net()
    ha = train.batch(a, X, t, rho=0.2, max_epochs=7)
    hb = train.minibatch(b, X, t, rho=0.2, B=24, max_epochs=7, seed=3)
    assert_same_weights(a, b)
    assert ha.q == hb.q and ha.updates == hb.updates == list(range(1, 8))


def test_minibatch_with_B_one_is_incremental():
    X, t = regression(N=12)
    a, b = reg_net(), reg_net()
    train.incremental(a, X, t, rho=0.05, max_epochs=3, seed=11)
    train.minibatch(b, X, t, rho=0.05, B=1, max_epochs=3, seed=11)
    assert_same_weights(a, b)


def test_incremental_with_one_sample_is_online():
    x, t = np.array([0.3, -0.7]), np.array([0.25])
    a, b = MLP([2, 3, 1], g="sigmoid", seed=2), MLP([2, 3, 1], g="sigmoid", seed=2)
    train.incremental(a, x[None], t[None], rho=0.5, max_epochs=1)
    q_n = train.online(b, x, t, rho=0.5)
    assert_formula_weights(a, b)
    assert q_n == pytest.approx(backprop.cost(MLP([2, 3, 1], g="sigmoid", seed=2), x[None], t[None]))


def test_online_is_one_update_of_rho_delta_s_without_1_over_N():
    x, t = np.array([1.0, -2.0]), np.array([1.0, 0.0])
    net, ref = MLP([2, 3, 2], g="sigmoid", seed=0), MLP([2, 3, 2], g="sigmoid", seed=0)
    q_before = backprop.cost(ref, x, t)
    assert train.online(net, x, t, rho=0.7) == pytest.approx(q_before)
    _, Delta = backprop.increments(ref, x[None], t[None], 0.7)   # N = 1: Δθ = ρ δ s
    for l in (1, 2):
        np.testing.assert_allclose(net.theta[l], ref.theta[l] + Delta[l], rtol=1e-13, atol=1e-15)


def test_minibatch_updates_ceil_N_over_B_times_per_epoch():
    X, t = regression(N=10)
    hist = train.minibatch(reg_net(), X, t, rho=0.1, B=4, max_epochs=3)
    assert hist.updates == [3, 6, 9]
    hist = train.incremental(reg_net(), X, t, rho=0.1, max_epochs=2)
    assert hist.updates == [10, 20]


def test_seeded_runs_are_reproducible_and_the_seed_matters():
    X, t = regression()
    runs = []
    for seed in (4, 4, 5):
        net = reg_net()
        train.minibatch(net, X, t, rho=0.1, B=5, max_epochs=3, seed=seed)
        runs.append(net.Theta)
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])


def test_shuffle_false_keeps_the_order_of_X():
    X, t = regression(N=9)
    a, b = reg_net(), reg_net()
    train.incremental(a, X, t, rho=0.1, max_epochs=2, shuffle=False, seed=1)
    for _ in range(2):
        for n in range(9):
            train.online(b, X[n], t[n], rho=0.1)
    np.testing.assert_allclose(a.Theta, b.Theta, rtol=1e-13, atol=1e-15)


def test_running_q_is_the_mean_block_error_of_the_epoch():
    X, t = regression(N=10)
    a, b = reg_net(), reg_net()
    hist = train.minibatch(a, X, t, rho=0.1, B=4, max_epochs=1, seed=3, running_q=True)
    order = np.random.default_rng(3).permutation(10)
    q_sum = 0.0
    for start in range(0, 10, 4):
        idx = order[start:start + 4]
        q_b, grad = backprop.gradient(b, X[idx], t[idx])
        q_sum += q_b * len(idx)
        for l in (1, 2):
            b.theta[l] -= 0.1 * grad[l]
    assert hist.q[0] == pytest.approx(q_sum / 10, rel=1e-12)
    assert_formula_weights(a, b)
    hist = train.incremental(reg_net(), X, t, rho=0.1, max_epochs=2, running_q=True)
    assert len(hist.q) == 2 and hist.q[1] < hist.q0


def test_cross_entropy_with_int_labels_learns_blobs():
    X, labels = blobs()
    net = MLP([2, 5, 3], g=["tanh", "softmax"], seed=0)
    hist = train.minibatch(net, X, labels, rho=0.2, B=10, loss="cross_entropy", max_epochs=30,
                           optimizer=None)
    assert hist.q[-1] < 0.25 * hist.q0
    assert np.mean(net.classify(X) == labels) > 0.9


def test_float32_net_trains_in_float32():
    X, t = regression()
    net = reg_net(dtype=np.float32)
    hist = train.minibatch(net, X, t, rho=0.1, B=8, max_epochs=20)
    assert all(th.dtype == np.float32 for th in net.theta[1:])
    assert hist.q[-1] < hist.q0


def test_fit_dispatches_by_method_name():
    X, t = regression(N=16)
    for method, kw in (("batch", {}), ("incremental", {"seed": 2}), ("minibatch", {"B": 4, "seed": 2})):
        a, b = reg_net(), reg_net()
        train.fit(a, X, t, method=method, rho=0.1, max_epochs=2, **kw)
        getattr(train, method)(b, X, t, rho=0.1, max_epochs=2, **kw)
        assert_same_weights(a, b)
    with pytest.raises(ValueError, match="method must be one of batch, incremental, minibatch; got 'sgd'"):
        train.fit(reg_net(), X, t, method="sgd")


# ------------------------------------------------------------ convergence conditions

def test_max_epochs_stops_and_history_lengths_match():
    X, t = regression(N=10)
    hist = train.minibatch(reg_net(), X, t, rho=0.1, B=5, max_epochs=6)
    assert hist.stopped == "max_epochs" and hist.epochs == 6 and hist.method == "minibatch"
    assert len(hist.q) == len(hist.updates) == len(hist.dtheta_norm) == 6
    assert hist.seconds > 0


def test_tol_q_stops_as_soon_as_q_is_below_it():
    X, t = regression()
    full = train.batch(reg_net(), X, t, rho=0.2, max_epochs=200)
    tol = full.q[49]                                   # q after epoch 50; q falls monotonically here
    hist = train.batch(reg_net(), X, t, rho=0.2, max_epochs=200, tol_q=tol * 1.0000001)
    assert hist.stopped == "tol_q" and hist.epochs == 50
    assert hist.q == full.q[:50]


def test_tol_q_already_met_trains_zero_epochs():
    X, t = regression()
    net = reg_net()
    before = net.Theta
    hist = train.minibatch(net, X, t, rho=0.1, tol_q=1e6)
    assert hist.stopped == "tol_q" and hist.epochs == 0 and hist.q == []
    np.testing.assert_array_equal(net.Theta, before)


def test_tol_dtheta_stops_when_the_weights_stop_moving():
    X, t = regression(N=10)
    net = reg_net()
    hist = train.batch(net, X, t, rho=0.1, max_epochs=5000, tol_dtheta=1e-3)
    assert hist.stopped == "tol_dtheta" and hist.epochs < 5000
    assert hist.dtheta_norm[-1] < 1e-3 <= min(hist.dtheta_norm[:-1])


def test_dtheta_norm_is_the_epochs_weight_change():
    X, t = regression(N=10)
    net = reg_net()
    before = net.Theta
    hist = train.minibatch(net, X, t, rho=0.1, B=3, max_epochs=1)
    assert hist.dtheta_norm[0] == pytest.approx(np.linalg.norm(net.Theta - before), rel=1e-12)


# ------------------------------------------------------------------------- divergence

@pytest.mark.parametrize("method", ["batch", "incremental", "minibatch"])
def test_a_huge_rho_raises_diverged_suggesting_a_smaller_one(method):
    X, t = regression(N=20)
    with pytest.raises(train.Diverged, match=r"rho=1e\+06; try a smaller learning rate, e\.g\. rho=100000") as info:
        train.fit(reg_net(), X, 10 * t, method=method, rho=1e6, max_epochs=50)
    assert isinstance(info.value, ValueError)
    assert "diverged at epoch" in str(info.value)


def test_diverged_names_the_optimizers_rho():
    X, t = regression(N=20)
    with pytest.raises(train.Diverged, match=r"rho=5e\+06.*rho=500000"):
        train.batch(reg_net(), X, 10 * t, max_epochs=50, optimizer=optim.Momentum(rho=5e6, nu=0.5))


# ------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("kw, match", [
    ({"rho": 0}, "rho must be > 0"),
    ({"rho": -1.0}, "rho must be > 0"),
    ({"max_epochs": 0}, "max_epochs must be an integer >= 1"),
    ({"max_epochs": 2.5}, "max_epochs must be an integer >= 1"),
    ({"tol_q": -1.0}, "tol_q must be > 0"),
    ({"tol_dtheta": 0.0}, "tol_dtheta must be > 0"),
    ({"loss": "hinge"}, "loss must be one of"),
])
def test_bad_hyperparameters_are_named(kw, match):
    X, t = regression(N=8)
    for method in train.METHODS:
        with pytest.raises(ValueError, match=match):
            train.fit(reg_net(), X, t, method=method, **kw)


@pytest.mark.parametrize("B", [0, -3, 2.0, True, "8"])
def test_bad_block_size_is_named(B):
    X, t = regression(N=8)
    with pytest.raises(ValueError, match=r"B must be an integer >= 1 \(the block size\); got"):
        train.minibatch(reg_net(), X, t, rho=0.1, B=B)


def test_a_block_larger_than_N_is_the_whole_set():
    X, t = regression(N=8)
    a, b = reg_net(), reg_net()
    train.minibatch(a, X, t, rho=0.1, B=100, max_epochs=3)
    train.batch(b, X, t, rho=0.1, max_epochs=3)
    assert_same_weights(a, b)


def test_bad_data_is_named():
    X, t = regression(N=8)
    for method in train.METHODS:
        with pytest.raises(ValueError, match=r"X must have at least one sample"):
            train.fit(reg_net(), np.zeros((0, 1)), np.zeros((0, 1)), method=method)
        with pytest.raises(ValueError, match=r"X must have shape \(N, M_0\) = \(N, 1\).*got shape \(8, 2\)"):
            train.fit(reg_net(), np.zeros((8, 2)), t, method=method)
        with pytest.raises(ValueError, match=r"t must have shape \(N, M_L\) = \(8, 1\).*got shape \(7, 1\)"):
            train.fit(reg_net(), X, t[:7], method=method)
        with pytest.raises(ValueError, match="X must not contain NaN"):
            train.fit(reg_net(), np.full((8, 1), np.nan), t, method=method)
        with pytest.raises(ValueError, match="t must not contain NaN"):
            train.fit(reg_net(), X, np.full((8, 1), np.nan), method=method)
    Xb, labels = blobs(N=6)
    with pytest.raises(ValueError, match=r"t: labels must lie in 0\.\.C-1 = 0\.\.2"):
        train.batch(MLP([2, 3, 3], g=["tanh", "softmax"]), Xb, labels + 1, loss="cross_entropy")
    with pytest.raises(ValueError, match=r"x must be one sample"):
        train.online(reg_net(), X, t)
    with pytest.raises(TypeError, match="t must be a real numeric array"):
        train.batch(reg_net(), X[:2], [[1.0], [2.0, 3.0]])
    with pytest.raises(TypeError, match="X must be a real numeric array"):
        train.batch(reg_net(), [["a"], ["b"]], t[:2])


def test_rho_and_optimizer_are_not_both_given():
    X, t = regression(N=8)
    with pytest.raises(ValueError, match="either as rho or inside the optimizer"):
        train.batch(reg_net(), X, t, rho=0.1, optimizer=optim.SGD(0.1))
    with pytest.raises(TypeError, match="optimizer must be an nnlib.optim.Optimizer"):
        train.batch(reg_net(), X, t, optimizer="adam")


# ---------------------------------------------------------------------------- progress

def test_progress_false_prints_nothing(capsys):
    X, t = regression(N=8)
    for method in train.METHODS:
        train.fit(reg_net(), X, t, method=method, rho=0.1, max_epochs=3)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_progress_true_shows_a_bar_with_q(capsys):
    pytest.importorskip("tqdm")
    X, t = regression(N=8)
    train.batch(reg_net(), X, t, rho=0.1, max_epochs=3, progress=True)
    out, err = capsys.readouterr()
    assert "3/3" in out + err and "q_S=" in out + err
