"""Hardening of the public API against hostile input (issue #13): each test names the gap it closes.

1. class labels checked (count N, range 0..C-1, whole numbers) at every entry point, with one message;
2. one divergence test (``train.DivergenceCheck``) in every training loop, also for a loss that explodes
   but stays finite;
3. no NaN/inf gradient reaches the weights; clipping by value refuses NaN; the conv oracles check W, b, grad_y;
4. weights refuse integer dtypes;
5. sequences of length 0 are refused;
6. ``Sequential.fit`` checks the types of its options;
7. ``Seq2Seq`` names ``x_mask`` and ``y_mask`` (and target positions) in its messages;
8. ``backprop_literal`` takes exactly one sample of M_0 entries;
9. ``Sequential.fit`` ignores a harmless underflow under ``np.seterr(all="raise")``;
10. one seed rule: ``seed=0`` by default everywhere.
"""

import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import nnlib
from nnlib.mlp import backprop, literal as backprop_literal, train
from nnlib import losses, optim
from nnlib.layers.attention import AdditiveAttention, Embedding, Seq2Seq, dot_attention, masked_softmax
from nnlib.layers.blocks import Maxout
from nnlib.layers.conv import Conv2D, Flatten, conv2d_naive, conv2d_naive_backward
from nnlib.book.diagnostics import deep_net, fit_in_order, layer_gradient_norms
from nnlib.book.explore import gd_mlp, playground
from nnlib.mlp.feedforward import FeedForward
from nnlib.layers import Act, Dense
from nnlib.mlp import MLP, init_theta
from nnlib.layers.recurrent import GRU, LSTM, Elman, LastStep, PerStep, SecondOrderRNN, SimpleRNN
from nnlib.layers.regularization import L2, ClipNorm, ClipValue, Dropout, clip_by_value
from nnlib.layers.sequential import Sequential
from nnlib.mlp.train import Diverged, DivergenceCheck

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 4))
Y = (X[:, 0] + X[:, 1] > 0).astype(int)        # labels 0/1, N = 12
X100 = np.random.default_rng(0).normal(size=(100, 4))
Y100 = (X100[:, 0] + X100[:, 1] > 0).astype(int)


def small_net():
    return Sequential([Dense(4, 6, seed=0), Act("tanh"), Dense(6, 3, seed=1)])


# ----------------------------------------------------------------------------------------- 1. labels

ENTRY_POINTS = {
    "losses.cross_entropy": lambda t: losses.cross_entropy(np.zeros((12, 3)), t),
    "losses.squared_error": lambda t: losses.squared_error(np.zeros((12, 3)), t, "sigmoid"),
    "backprop.gradient": lambda t: backprop.gradient(MLP([4, 5, 3], g=["tanh", "softmax"]), X, t,
                                                     loss="cross_entropy"),
    "backprop.cost": lambda t: backprop.cost(MLP([4, 5, 3]), X, t),
    "backprop_literal.batch_increments": lambda t: backprop_literal.batch_increments(MLP([4, 5, 3]), X, t, 0.1),
    "train.batch": lambda t: train.batch(MLP([4, 5, 3]), X, t, max_epochs=1),
    "train.minibatch": lambda t: train.minibatch(MLP([4, 5, 3]), X, t, max_epochs=1),
    "Sequential.loss": lambda t: small_net().loss(X, t),
    "Sequential.gradient": lambda t: small_net().gradient(X, t),
    "Sequential.accuracy": lambda t: small_net().accuracy(X, t),
    "Sequential.fit": lambda t: small_net().fit(X, t, epochs=1),
    "Sequential.fit t_val": lambda t: small_net().fit(X, Y, epochs=1, X_val=X, t_val=t),
    "layer_gradient_norms": lambda t: layer_gradient_norms(small_net(), X, t),
    "fit_in_order": lambda t: fit_in_order(small_net(), X, t, epochs=1),
}


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
def test_one_label_for_many_samples_is_refused_everywhere_with_one_message(name):
    """One label silently applied to every sample; other counts gave a numpy broadcast error."""
    who = "t_val: labels" if name.endswith("t_val") else "labels" if name.endswith("accuracy") else "t: labels"
    with pytest.raises(ValueError, match=rf"^{who} must be one per sample, shape \(N,\) = \(12,\); "
                                         rf"got 1 label\(s\) for 12 sample\(s\)$"):
        ENTRY_POINTS[name](np.array([1]))


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
@pytest.mark.parametrize("t, match", [
    (np.arange(12) % 5, r"labels must lie in 0\.\.C-1 = 0\.\.2; got \[3, 4"),
    (np.full(12, 0.5), r"labels must be integers in 0\.\.C-1 = 0\.\.2; got non-integer value\(s\) \[0\.5"),
    (np.zeros(5, dtype=int), r"labels must be one per sample, shape \(N,\) = \(12,\); got 5 label\(s\)"),
])
def test_label_range_integrality_and_count(name, t, match):
    with pytest.raises(ValueError, match=match):
        ENTRY_POINTS[name](t)


def test_whole_float_labels_are_labels_and_bool_labels_are_refused():
    q_int, _ = losses.cross_entropy(np.zeros((3, 3)), np.array([0, 2, 1]))
    q_float, _ = losses.cross_entropy(np.zeros((3, 3)), np.array([0.0, 2.0, 1.0]))
    assert q_int == q_float
    with pytest.raises(TypeError, match=r"t: labels must be integers in 0\.\.C-1 = 0\.\.2; got dtype bool"):
        losses.cross_entropy(np.zeros((3, 3)), np.array([True, False, True]))


def test_accuracy_checks_its_labels():
    net = small_net()
    with pytest.raises(ValueError, match=r"labels must be one per sample, shape \(N,\) = \(12,\); got 1 label"):
        net.accuracy(X, [1])
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.C-1 = 0\.\.2; got \[5\]"):
        net.accuracy(X, np.r_[Y[:-1], 5])
    assert net.accuracy(X, Y) == pytest.approx(np.mean(net.predict(X).argmax(1) == Y))


def test_fit_checks_every_label_before_changing_a_weight():
    net = small_net()
    before = [p.copy() for p in net.param_list]
    with pytest.raises(ValueError, match=r"t: labels must lie in 0\.\.C-1 = 0\.\.2; got \[9\]"):
        net.fit(X, np.r_[Y[:-1], 9], epochs=1, B=4)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.param_list))


def test_one_sample_takes_one_label():
    net = MLP([4, 5, 3], g=["tanh", "softmax"], seed=0)
    q1, _ = backprop.gradient(net, X[0], 2, loss="cross_entropy")
    q2, _ = backprop.gradient(net, X[:1], [2], loss="cross_entropy")
    assert q1 == q2
    with pytest.raises(ValueError, match=r"t: labels must lie in 0\.\.C-1 = 0\.\.2; got \[3\]"):
        backprop.gradient(net, X[0], 3, loss="cross_entropy")


# ------------------------------------------------------------------------------------ 2. divergence

Xs = RNG.normal(size=(40, 6, 3))
Ys = (Xs[:, :, 0].sum(axis=1) > 0).astype(int)
Xi = RNG.normal(size=(40, 1, 6, 6))
Yi = (Xi.mean(axis=(1, 2, 3)) > 0).astype(int)
TOK_X = RNG.integers(0, 6, size=(30, 5))
TOK_Y = np.concatenate([TOK_X[:, ::-1] % 5, np.zeros((30, 1), dtype=int)], axis=1)


def relu_net():
    return Sequential([Dense(4, 16, seed=0), Act("relu"), Dense(16, 2, seed=1)])


EXPLODING = {   # each grew 50x to 1e195x at rho = 50 with no message before the shared test
    "Sequential relu + cross-entropy": lambda: relu_net().fit(X, Y, rho=50, epochs=20, B=4),
    "SimpleRNN": lambda: Sequential([SimpleRNN(3, 8, seed=0), LastStep(), Dense(8, 2, seed=1)]).fit(
        Xs, Ys, rho=50, epochs=20, B=10),
    "Conv2D": lambda: Sequential([Conv2D(1, 4, 3, seed=0), Act("relu"), Flatten(), Dense(64, 2, seed=1)]).fit(
        Xi, Yi, rho=50, epochs=20, B=10),
    "Seq2Seq": lambda: Seq2Seq(6, 5, eos=0, M_emb=4, M_h=8).fit(TOK_X, None, TOK_Y, optimizer=optim.SGD(50),
                                                                 epochs=20, B=10),
    "fit_in_order": lambda: fit_in_order(relu_net(), X, Y, rho=50, epochs=20, B=4),
    "train.batch with Adam": lambda: train.batch(MLP([4, 8, 2], g=["tanh", "softmax"], seed=0), X100, Y100,
                                                 optimizer=optim.Adam(rho=50), loss="cross_entropy", max_epochs=30),
    "train.batch softmax + cross-entropy": lambda: train.batch(MLP([4, 8, 2], g=["tanh", "softmax"], seed=0),
                                                               X100, Y100, rho=50, loss="cross_entropy", max_epochs=30),
    "train.minibatch": lambda: train.minibatch(MLP([4, 8, 2], g=["tanh", "softmax"], seed=0), X, Y, rho=50,
                                               B=4, loss="cross_entropy", max_epochs=30),
}


@pytest.mark.parametrize("name", list(EXPLODING))
def test_a_loss_that_explodes_but_stays_finite_is_stopped(name):
    with pytest.raises(Diverged, match=r"stayed above 10 times its start .* for 3 epochs in a row, with rho=50; "
                                       r"try a smaller learning rate, e\.g\. rho=5") as info:
        EXPLODING[name]()
    history = info.value.history
    q = history if isinstance(history, list) else history.q
    assert len(q) == 3 and all(np.isfinite(q))   # the three epochs above the limit, all finite


@pytest.mark.parametrize("name", ["Sequential relu + cross-entropy", "train.batch softmax + cross-entropy"])
def test_blowup_none_leaves_only_the_nan_test(name):
    if name.startswith("Sequential"):
        hist = relu_net().fit(X, Y, rho=50, epochs=5, B=4, blowup=None)
        assert hist.epochs == 5 and hist.q[-1] > 1e10 * hist.q0
    else:
        hist = train.batch(MLP([4, 8, 2], g=["tanh", "softmax"], seed=0), X100, Y100, rho=50,
                           loss="cross_entropy", max_epochs=30, blowup=None)
        assert hist.epochs == 30


def test_divergence_check_rules():
    opt = optim.SGD(0.3)
    hist = []
    watch = DivergenceCheck(opt, hist)
    watch.start(1.0)
    for epoch, q in enumerate([20.0, 30.0, 0.5, 11.0, 12.0], start=1):   # a bump of two epochs passes
        watch.epoch = epoch
        hist.append(q)
        watch.check_epoch(q)
    watch.epoch = 6
    with pytest.raises(Diverged, match=r"epoch 6: the loss 13 stayed above 10 times its start 1 .*rho=0\.3.*"
                                       r"rho=0\.03") as info:
        watch.check_epoch(13.0)
    assert info.value.history is hist
    with pytest.raises(Diverged, match=r"epoch 6: the loss became nan"):
        watch.check_epoch(np.nan)
    with pytest.raises(Diverged, match="a gradient became NaN or infinite"):
        watch.check_update(1.0, [np.zeros(2), np.array([np.inf])])
    with pytest.raises(Diverged, match="the loss of the initial weights is inf"):
        DivergenceCheck(opt).start(np.inf)
    perfect = DivergenceCheck(opt)
    perfect.start(0.0)                           # a perfect start has no scale: only NaN/inf count
    for _ in range(5):
        perfect.check_epoch(1e-3)
    lenient = DivergenceCheck(opt, blowup=None)
    lenient.start(1.0)
    for _ in range(10):
        lenient.check_epoch(1e6)                 # no growth test
    with pytest.raises(Diverged):
        lenient.check_epoch(np.inf)


@pytest.mark.parametrize("blowup, error, match", [
    (1.0, ValueError, "blowup must be a number > 1"),
    (-3, ValueError, "blowup must be a number > 1"),
    ("10", TypeError, "blowup must be a real number"),
])
def test_blowup_is_checked_by_every_loop(blowup, error, match):
    for call in (lambda: train.batch(MLP([4, 3, 2]), X, Y, max_epochs=1, blowup=blowup),
                 lambda: small_net().fit(X, Y, epochs=1, blowup=blowup),
                 lambda: fit_in_order(small_net(), X, Y, epochs=1, blowup=blowup),
                 lambda: Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4).fit(TOK_X, None, TOK_Y, epochs=1, blowup=blowup)):
        with pytest.raises(error, match=match):
            call()


def test_online_refuses_a_nan_before_it_reaches_the_weights():
    net = MLP([1, 3, 1], g=["tanh", "linear"], seed=0)
    with pytest.raises(Diverged, match=r"training diverged at update 1: .*rho=1e\+300; try a smaller"):
        train.online(net, [1e5], [1e150], rho=1e300)
    assert all(np.isfinite(th).all() for th in net.theta[1:])


def test_diverged_carries_the_train_history():
    with pytest.raises(Diverged) as info:
        train.batch(MLP([4, 8, 2], g=["tanh", "softmax"], seed=0), X100, Y100, rho=50, loss="cross_entropy",
                    max_epochs=30)
    hist = info.value.history
    assert isinstance(hist, train.History) and hist.stopped == "diverged" and hist.epochs == len(hist.q) == 3


def test_explorers_still_report_diverged_instead_of_raising():
    assert gd_mlp(100.0, epochs=30).diverged
    res = playground("circle", rho=100.0, hidden=(8, 8), activation="relu", epochs=10, resolution=10)
    assert res.diverged and np.isfinite(res.q_train).all()
    assert not gd_mlp(0.1, epochs=30).diverged


# ------------------------------------------------------------------------------ 3. NaN in gradients

@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_optimizers_refuse_non_finite_gradients(name, bad):
    opt = optim.get(name, rho=0.1)
    params = [np.ones((2, 3)), np.ones(4)]
    grads = [np.ones((2, 3)), np.array([0.0, bad, 0.0, 0.0])]
    with pytest.raises(ValueError, match=r"grads\[1\] must be finite; got \d NaN and \d infinite value"):
        opt.step(params, grads)
    assert all((p == 1).all() for p in params) and opt.k == 0


def test_clip_by_value_refuses_nan_and_changes_nothing():
    grads = [np.array([5.0, -5.0]), np.array([np.nan, 3.0])]
    with pytest.raises(ValueError, match=r"grads must be finite to be clipped by value; grads\[1\] has 1 NaN"):
        clip_by_value(grads, 1.0)
    assert grads[0].tolist() == [5.0, -5.0]
    with pytest.raises(ValueError, match="finite"):
        ClipValue(1.0)([np.array([np.inf])])


def test_conv_oracles_check_W_b_and_grad_y():
    x, W, b = RNG.normal(size=(2, 1, 5, 5)), RNG.normal(size=(3, 1, 3, 3)), np.zeros(3)
    bad_W = W.copy()
    bad_W[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="W must not contain NaN"):
        conv2d_naive(x, bad_W, b)
    with pytest.raises(ValueError, match="W must not contain NaN"):
        conv2d_naive_backward(x, bad_W, np.ones((2, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"b must have shape \(C_out,\) = \(3,\).*got shape \(2,\)"):
        conv2d_naive(x, W, np.zeros(2))
    with pytest.raises(ValueError, match=r"grad_y must have the shape of the output y.*\(2, 3, 3, 3\); "
                                         r"got shape \(2, 3, 4, 4\)"):
        conv2d_naive_backward(x, W, np.ones((2, 3, 4, 4)))
    with pytest.raises(ValueError, match="grad_y must be finite"):
        conv2d_naive_backward(x, W, np.full((2, 3, 3, 3), np.inf))


# -------------------------------------------------------------------------------- 4. integer dtypes

@pytest.mark.parametrize("make", [
    lambda dt: Dense(3, 2, dtype=dt),
    lambda dt: Conv2D(1, 2, 3, dtype=dt),
    lambda dt: SimpleRNN(2, 3, dtype=dt),
    lambda dt: LSTM(2, 3, dtype=dt),
    lambda dt: Embedding(5, 3, dtype=dt),
    lambda dt: AdditiveAttention(3, 3, 2, dtype=dt),
], ids=["Dense", "Conv2D", "SimpleRNN", "LSTM", "Embedding", "AdditiveAttention"])
@pytest.mark.parametrize("dtype", [int, np.int32, bool, "U3"])
def test_weights_refuse_non_floating_dtypes(make, dtype):
    with pytest.raises(TypeError, match=r"dtype must be a floating-point dtype such as numpy\.float64.*got"):
        make(dtype)


def test_float32_weights_are_still_fine():
    assert Dense(3, 2, dtype=np.float32).params["theta"].dtype == np.float32
    assert Conv2D(1, 2, 3, dtype=np.float32).params["W"].dtype == np.float32


# --------------------------------------------------------------------------- 5. sequences of length 0

def test_sequences_of_length_zero_are_refused():
    with pytest.raises(ValueError, match=r"K must hold at least one source position \(T >= 1\).*\(2, 0, 3\)"):
        dot_attention(np.ones((2, 3)), np.ones((2, 0, 3)))
    with pytest.raises(ValueError, match=r"e must have at least one source position.*got shape \(2, 0\)"):
        masked_softmax(np.ones((2, 0)))
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, M\) with N >= 1 sequences of T >= 1 steps; "
                                         r"got shape \(2, 0, 3\)"):
        LastStep().forward(np.ones((2, 0, 3)))
    with pytest.raises(ValueError, match=r"T >= 1 steps; got shape \(2, 0, 3\)"):
        PerStep(Dense(3, 2)).forward(np.ones((2, 0, 3)))


# ---------------------------------------------------------------------------- 6. Sequential.fit types

@pytest.mark.parametrize("kwargs, error, match", [
    (dict(penalty="L2"), TypeError, r"penalty must be None or a weight penalty with apply\(layers\).*got str 'L2'"),
    (dict(clip=1.0), TypeError, r"clip must be None or a callable clip\(grads\).*ClipNorm\(1\.0\); got float 1\.0"),
    (dict(augment="flip"), TypeError, r"augment must be None or a callable augment\(X_block, rng\).*got str"),
    (dict(optimizer="adam"), TypeError, r"optimizer must be an nnlib\.optim\.Optimizer.*got str 'adam'"),
    (dict(optimizer=optim.Adam), TypeError, r"optimizer must be an nnlib\.optim\.Optimizer.*got type"),
    (dict(rho=0), ValueError, "rho must be > 0"),
    (dict(rho="0.1"), TypeError, "rho must be a real number"),
    (dict(seed=-1), TypeError, "seed must be None, a non-negative int or a numpy Generator"),
    (dict(seed=1.5), TypeError, "seed must be None, a non-negative int"),
    (dict(progress="yes"), TypeError, "progress must be True or False"),
    (dict(epochs=2.0), ValueError, "epochs must be an integer >= 1; got 2.0"),
    (dict(B=0), ValueError, "B must be an integer >= 1"),
    (dict(loss="hinge"), ValueError, "loss must be one of"),
    (dict(loss=3), TypeError, "loss must be a name"),
    (dict(X_val=X), ValueError, "X_val and t_val must be given together.*got X_val alone"),
    (dict(t_val=Y), ValueError, "X_val and t_val must be given together.*got t_val alone"),
    (dict(X_val=X, t_val=Y[:5]), ValueError, r"t_val: labels must be one per sample, shape \(N,\) = \(12,\)"),
    (dict(X_val=X, t_val=np.ones((5, 3))), ValueError, r"t_val must have one row per sample of X_val \(12\); got "
                                                       r"shape \(5, 3\)"),
    (dict(X_val=np.full((3, 4), np.nan), t_val=Y[:3]), ValueError, "X_val must not contain NaN"),
])
def test_fit_checks_its_options(kwargs, error, match):
    net = small_net()
    before = [p.copy() for p in net.param_list]
    with pytest.raises(error, match=match):
        net.fit(X, Y, epochs=kwargs.pop("epochs", 1), **kwargs)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.param_list))


def test_fit_accepts_the_objects_the_messages_suggest():
    hist = small_net().fit(X, Y, epochs=2, B=4, penalty=L2(1e-3), clip=ClipNorm(1.0), X_val=X, t_val=Y,
                           optimizer=optim.Adam(rho=1e-2), augment=lambda Xb, rng: Xb)
    assert hist.epochs == 2 and len(hist.acc_val) == 2 and np.isfinite(hist.q0)


def test_fit_in_order_and_seq2seq_check_their_optimizer_and_clip():
    with pytest.raises(TypeError, match="optimizer must be an nnlib.optim.Optimizer"):
        fit_in_order(small_net(), X, Y, optimizer="sgd")
    model = Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4)
    with pytest.raises(TypeError, match=r"clip must be None or a callable"):
        model.fit(TOK_X, None, TOK_Y, clip=1.0, epochs=1)
    with pytest.raises(TypeError, match="optimizer must be an nnlib.optim.Optimizer"):
        model.fit(TOK_X, None, TOK_Y, optimizer="adam", epochs=1)


# ------------------------------------------------------------------------------- 7. Seq2Seq messages

def test_seq2seq_names_the_mask_at_fault():
    model = Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4)
    y_mask = np.ones(TOK_Y.shape)
    y_mask[2] = 0
    with pytest.raises(ValueError, match=r"y_mask must keep at least one target position per sample; "
                                         r"row\(s\) \[2\] of y_mask are all 0"):
        model.gradient(TOK_X, None, TOK_Y, y_mask)
    x_mask = np.ones(TOK_X.shape)
    x_mask[4] = 0
    with pytest.raises(ValueError, match=r"x_mask must keep at least one source position per sample; "
                                         r"row\(s\) \[4\] of x_mask"):
        model.gradient(TOK_X, x_mask, TOK_Y)
    with pytest.raises(ValueError, match=r"x_mask must have shape \(30, 5\) \(samples, source positions\)"):
        model.loss(TOK_X, np.ones((30, 4)), TOK_Y)
    with pytest.raises(ValueError, match=r"y_mask must have shape \(30, 6\) \(samples, target positions\)"):
        model.loss(TOK_X, None, TOK_Y, np.ones((30, 5)))
    with pytest.raises(ValueError, match=r"y_mask must hold only 0 \(padding\) and 1 \(a real target position\)"):
        model.loss(TOK_X, None, TOK_Y, np.full(TOK_Y.shape, 0.5))
    with pytest.raises(TypeError, match=r"y must hold integer target token ids in \[0, 4\]; got dtype float64"):
        model.loss(TOK_X, None, TOK_Y.astype(float))
    with pytest.raises(ValueError, match=r"y must hold target token ids in \[0, 4\] \(V_out = 5\); got \[5\]"):
        model.loss(TOK_X, None, np.where(TOK_Y == 1, 5, TOK_Y)[:, :1] * 0 + np.r_[5, np.zeros(29, int)][:, None])


# ----------------------------------------------------------------------- 8. the literal BackProp oracle

def test_literal_backprop_takes_exactly_one_sample():
    net = MLP([3, 4, 2], g=["tanh", "sigmoid"], seed=0)
    x, t = np.array([0.1, -0.2, 0.3]), np.array([1.0, 0.0])
    ref = backprop_literal.deltas_one_sample(net, x, t)
    same = backprop_literal.deltas_one_sample(net, x[None], t)           # (1, M_0) is one sample too
    assert all(np.array_equal(a, b) for a, b in zip(ref[1:], same[1:]))
    with pytest.raises(ValueError, match=r"x must be one sample of M_0 = 3 entries, shape \(3,\); got shape \(4,\)"):
        backprop_literal.deltas_one_sample(net, np.r_[x, 9.0], t)
    with pytest.raises(ValueError, match=r"x must be one sample .* got shape \(2, 3\) \(a batch"):
        backprop_literal.deltas_one_sample(net, np.vstack([x, x]), t)
    with pytest.raises(ValueError, match=r"x must be one sample of M_0 = 3 entries"):
        backprop_literal.forward_one_sample(net, x[:2])
    with pytest.raises(ValueError, match=r"t must have shape \(N, M_L\) = \(1, 2\)"):
        backprop_literal.deltas_one_sample(net, x, np.ones((2, 2)))


# ---------------------------------------------------------------------------- 9. underflow is harmless

def test_fit_ignores_underflow_under_seterr_raise():
    Xbig = RNG.normal(size=(40, 3)) * 300            # logits so far apart that exp underflows in the softmax
    ybig = (Xbig[:, 0] > 0).astype(int)
    with np.errstate(all="raise"):
        hist = Sequential([Dense(3, 2, seed=0)]).fit(Xbig, ybig, rho=1e-4, epochs=3, B=8)
        q = fit_in_order(Sequential([Dense(3, 2, seed=0)]), Xbig, ybig, rho=1e-4, epochs=2, B=8)
    assert hist.epochs == 3 and np.all(np.isfinite(hist.q)) and len(q) == 2


def test_overflow_under_seterr_raise_is_a_divergence():
    with np.errstate(all="raise"):
        with pytest.raises(Diverged, match="smaller learning rate"):
            relu_net().fit(X * 1e3, Y, rho=1e6, epochs=30, B=4, blowup=None)


# ----------------------------------------------------------------------------------- 10. one seed rule

def _seeded_callables():
    for info in pkgutil.walk_packages(nnlib.__path__, "nnlib."):
        if info.name.split(".")[-1].startswith("_") or info.name.startswith("nnlib.check"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            functions = [(name, obj)] if inspect.isfunction(obj) else \
                [(f"{name}.{k}", v) for k, v in vars(obj).items() if inspect.isfunction(v) and
                 (k == "__init__" or not k.startswith("_"))] if inspect.isclass(obj) else []
            for qual, f in functions:
                parameter = inspect.signature(f).parameters.get("seed")
                if parameter is not None:
                    yield f"{info.name.split('.')[-1]}.{qual}", parameter.default


def test_every_seed_defaults_to_zero():
    found = dict(_seeded_callables())
    assert {"dense.Dense.__init__", "network.MLP.__init__", "conv.Conv2D.__init__", "recurrent.LSTM.__init__",
            "sequential.Sequential.fit"} <= set(found)
    assert {k: v for k, v in found.items() if v != 0 and v is not inspect.Parameter.empty} == {}


@pytest.mark.parametrize("make", [
    lambda **kw: MLP([3, 4, 2], **kw).theta[1:],
    lambda **kw: init_theta([3, 4, 2], **kw)[1:],
    lambda **kw: list(FeedForward([3, 4, 2], **kw).theta.values()),
    lambda **kw: [Dense(3, 4, **kw).params["theta"]],
    lambda **kw: [Conv2D(1, 2, 3, **kw).params["W"]],
    lambda **kw: list(SimpleRNN(2, 3, **kw).params.values()),
    lambda **kw: list(Elman(2, 3, 2, **kw).params.values()),
    lambda **kw: list(SecondOrderRNN(2, 3, **kw).params.values()),
    lambda **kw: list(GRU(2, 3, **kw).params.values()),
    lambda **kw: list(Embedding(5, 3, **kw).params.values()),
    lambda **kw: list(AdditiveAttention(3, 3, 2, **kw).params.values()),
    lambda **kw: list(Maxout(3, 2, **kw).params.values()),
    lambda **kw: [Dropout(0.5, **kw).forward(np.ones((4, 5)), train=True)],
], ids=["MLP", "init_theta", "FeedForward", "Dense", "Conv2D", "SimpleRNN", "Elman", "SecondOrderRNN", "GRU",
        "Embedding", "AdditiveAttention", "Maxout", "Dropout"])
def test_default_seed_is_seed_zero_and_none_is_fresh(make):
    default, zero, other = make(), make(seed=0), make(seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(default, zero))          # same code, same numbers
    assert not all(np.array_equal(a, b) for a, b in zip(default, other))
    fresh = [make(seed=None) for _ in range(2)]
    assert not all(np.array_equal(a, b) for a, b in zip(*fresh))


def test_deep_net_and_loops_follow_the_rule():
    a, b = deep_net(3, 4, 2, 2), deep_net(3, 4, 2, 2, seed=0)
    assert all(np.array_equal(p, q) for p, q in zip(a.param_list, b.param_list))
    h1, h2 = small_net().fit(X, Y, epochs=2, B=4), small_net().fit(X, Y, epochs=2, B=4, seed=0)
    assert h1.q == h2.q
