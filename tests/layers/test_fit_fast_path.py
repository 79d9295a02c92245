"""Sequential.fit checks its data once, then runs the unchecked path of the layers and the loss: the same
numbers as the public, checked calls made by hand, and the same errors for bad input, raised before training.

The unchecked path (``Layer._unchecked_forward`` / ``_unchecked_backward``, ``Sequential._unchecked_gradient``,
the losses without their checks) must give what the checked calls give to 1e-12 in float64: these tests compare
them call by call and over whole fits.
"""

import numpy as np
import pytest

from nnlib import losses, optim
from nnlib.layers import (L2, Act, AvgPool2D, BatchNorm, ClipNorm, Conv2D, Dense, Dropout, Flatten, Layer,
                          MaxPool2D, Residual, Sequential)
from nnlib.layers import dense as dense_module
from nnlib.layers import sequential as seq
from nnlib.layers.regularization import global_norm
from nnlib.loop import Diverged, blocks

RNG = np.random.default_rng(0)
X = RNG.standard_normal((30, 4))
T = RNG.standard_normal((30, 2))
LABELS = RNG.integers(0, 3, size=30)
IMAGES = RNG.random((30, 1, 6, 6))
X_NAN, T_INF = X.copy(), T.copy()
X_NAN[3, 1], T_INF[5, 0] = np.nan, np.inf


def fit_by_hand(net, X, t, loss, opt, epochs, B, seed=0, penalty=None, clip=None, augment=None):
    """What Sequential.fit does, with the public calls that check every argument: forward, the loss of
    nnlib.losses, backward, global_norm, opt.step. Returns the epoch losses and the gradient norms."""
    fn = losses.get(loss)
    g = "softmax" if fn is losses.cross_entropy else "linear"
    rng = np.random.default_rng(seed)
    qs, norms = [], []
    for _ in range(epochs):
        total = 0.0
        for b in blocks(len(X), B, rng):
            y = net.forward(X[b] if augment is None else augment(X[b], rng), True)
            q, delta = fn(y, t[b], g)
            net.backward(-delta / len(b))
            if penalty is not None:
                q += penalty.apply(net.layers)
            norms.append(global_norm(net.grad_list))
            if clip is not None:
                clip(net.grad_list)
            opt.step(net.param_list, net.grad_list)
            total += q * len(b)
        qs.append(total / len(X))
    return qs, norms


def assert_same_fit(make, X, t, loss, make_opt, epochs=3, B=7, **kw):
    a, b = make(), make()
    hist = a.fit(X, t, loss=loss, optimizer=make_opt(), epochs=epochs, B=B, seed=3, blowup=None, **kw)
    qs, norms = fit_by_hand(b, X, t, loss, make_opt(), epochs, B, seed=3, **kw)
    np.testing.assert_allclose(hist.q, qs, rtol=1e-12, atol=0)
    np.testing.assert_allclose(hist.grad_norm, norms, rtol=1e-12, atol=0)
    assert hist.updates == len(norms) == epochs * -(-len(X) // B)
    for p, r in zip(a.param_list, b.param_list):
        np.testing.assert_allclose(p, r, rtol=1e-12, atol=1e-14)


NETS = {
    "tanh, squared error": (lambda: Sequential([Dense(4, 8, seed=0), Act("tanh"), Dense(8, 2, seed=1)]),
                            X, T, "squared_error"),
    "relu, cross-entropy on labels": (lambda: Sequential([Dense(4, 6, seed=0), Act("relu"), Dense(6, 3, seed=1)]),
                                      X, LABELS, "cross_entropy"),
    "cross-entropy on one-hot": (lambda: Sequential([Dense(4, 3, seed=2)]), X, np.eye(3)[LABELS], "ce"),
    "squared error on labels, softmax output": (
        lambda: Sequential([Dense(4, 3, seed=0), Act("softmax")]), X, LABELS, "squared_error"),
    "dropout and batch norm": (lambda: Sequential([Dense(4, 6, seed=0), BatchNorm(6), Act("sigmoid"),
                                                   Dropout(0.3, seed=1), Dense(6, 3, seed=2)]),
                               X, LABELS, "cross_entropy"),
    "residual": (lambda: Sequential([Dense(4, 5, seed=0), Residual(Sequential([Dense(5, 5, seed=1), Act("elu")])),
                                     Dense(5, 2, seed=2)]), X, T, "mse"),
    "conv, pooling, flatten": (lambda: Sequential([Conv2D(1, 2, 3, padding=1, seed=0), Act("relu"), MaxPool2D(2),
                                                   AvgPool2D(1), Flatten(), Dense(18, 3, seed=1)]),
                               IMAGES, LABELS, "cross_entropy"),
}


@pytest.mark.parametrize("name", NETS)
@pytest.mark.parametrize("make_opt", [lambda: optim.SGD(0.1), lambda: optim.Adam(rho=0.01)], ids=["SGD", "Adam"])
def test_fit_is_the_checked_calls_made_by_hand(name, make_opt):
    make, Xn, t, loss = NETS[name]
    assert_same_fit(make, Xn, t, loss, make_opt)


def test_fit_with_penalty_and_clip_is_the_checked_calls_made_by_hand():
    make, Xn, t, loss = NETS["tanh, squared error"]
    assert_same_fit(make, Xn, t, loss, lambda: optim.Momentum(0.2), penalty=L2(1e-2), clip=ClipNorm(0.05))


def jitter(Xb, rng):
    """A data augmentation: a little noise on every input, drawn from fit's generator."""
    return Xb + 0.05 * rng.standard_normal(Xb.shape)


@pytest.mark.parametrize("name", ["relu, cross-entropy on labels", "tanh, squared error", "conv, pooling, flatten"])
def test_fit_with_augment_is_the_checked_calls_made_by_hand(name):
    make, Xn, t, loss = NETS[name]
    assert_same_fit(make, Xn, t, loss, lambda: optim.Adam(rho=0.01), augment=jitter)


@pytest.mark.parametrize("augment, match", [
    (lambda Xb, rng: Xb[:, :3], r"augment\(X_block, rng\) must have shape \(4, 4\); got shape \(4, 3\)"),
    (lambda Xb, rng: Xb * np.nan, r"augment\(X_block, rng\) must not contain NaN"),
])
def test_a_bad_block_from_augment_is_named_and_is_no_divergence(augment, match):
    net = Sequential([Dense(4, 8, seed=0), Act("tanh"), Dense(8, 2, seed=1)])
    with pytest.raises(ValueError, match=match) as err:
        net.fit(X, T, loss="squared_error", epochs=2, B=4, augment=augment)
    assert not isinstance(err.value, Diverged)     # the user's function made it: no advice on the learning rate


def test_float32_fit_is_the_checked_calls_made_by_hand():
    make = lambda: Sequential([Dense(4, 6, seed=0, dtype=np.float32), Act("tanh"),
                               Dense(6, 3, seed=1, dtype=np.float32)])
    a, b = make(), make()
    X32 = X.astype(np.float32)
    hist = a.fit(X32, LABELS, optimizer=optim.SGD(0.1), epochs=2, B=8, seed=3)
    qs, _ = fit_by_hand(b, X32, LABELS, "cross_entropy", optim.SGD(0.1), 2, 8, seed=3)
    np.testing.assert_allclose(hist.q, qs, rtol=1e-6)
    for p, r in zip(a.param_list, b.param_list):
        assert p.dtype == np.float32
        np.testing.assert_allclose(p, r, rtol=1e-5, atol=1e-7)


# ------------------------------------------------------------------------------- call by call

LAYERS = {
    "Dense": (lambda: Dense(4, 3, seed=0), X),
    "Act tanh": (lambda: Act("tanh"), X),
    "Act softmax": (lambda: Act("softmax"), X),
    "Act leaky_relu": (lambda: Act("leaky_relu", slope=0.2), X),
    "Dropout": (lambda: Dropout(0.4, seed=2), X),
    "Flatten": (lambda: Flatten(), IMAGES),
    "Conv2D (default: the checked calls)": (lambda: Conv2D(1, 2, 3, seed=0), IMAGES),
    "Sequential": (lambda: Sequential([Dense(4, 5, seed=0), Act("tanh"), Dropout(0.2), Dense(5, 2, seed=1)]), X),
}


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("train", [True, False])
def test_unchecked_forward_and_backward_are_the_checked_ones(name, train):
    make, x = LAYERS[name]
    checked, unchecked = make(), make()
    y = checked.forward(x, train)
    y_fast = unchecked._unchecked_forward(x, train)
    np.testing.assert_allclose(y_fast, y, rtol=1e-12, atol=0)
    grad_y = np.random.default_rng(1).standard_normal(y.shape)
    grad_x = checked.backward(grad_y)
    grad_x_fast = unchecked._unchecked_backward(grad_y)
    np.testing.assert_allclose(grad_x_fast, grad_x, rtol=1e-12, atol=1e-15)
    for k in checked.grads:
        np.testing.assert_allclose(unchecked.grads[k], checked.grads[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("make, x", [LAYERS["Dense"], LAYERS["Conv2D (default: the checked calls)"],
                                     (lambda: Conv2D(1, 3, (3, 2), stride=2, padding=1, seed=1), IMAGES),
                                     LAYERS["Sequential"], (lambda: BatchNorm(4), X),
                                     (lambda: Sequential([Conv2D(1, 2, 3, seed=0), Act("relu"), Flatten(),
                                                          Dense(32, 2, seed=1)]), IMAGES)])
def test_backward_params_fills_the_grads_of_backward(make, x):
    """_backward_params (the first layer of a fit: no gradient of the data) fills the same grads."""
    full, params_only = make(), make()
    y = full.forward(x, True)
    params_only.forward(x, True)
    grad_y = np.random.default_rng(2).standard_normal(y.shape)
    full.backward(grad_y)
    params_only._backward_params(grad_y)
    for k in full.grads:
        np.testing.assert_allclose(params_only.grads[k], full.grads[k], rtol=1e-12, atol=1e-15)


def test_the_books_sequential_backward_and_the_unchecked_one_agree():
    """Sequential.backward is shown in the book (chapter 2); fit runs _unchecked_backward beside it."""
    make = LAYERS["Sequential"][0]
    a, b = make(), make()
    q = a.gradient(X, T, "squared_error")
    fit_loss, t_fit = seq._fit_loss(b, X, T, "squared_error")
    q_fast = b._unchecked_gradient(X, t_fit, fit_loss)
    assert q_fast == pytest.approx(q, rel=1e-12)
    for k in a.grads:
        np.testing.assert_allclose(b.grads[k], a.grads[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss, t", [("squared_error", T), ("squared_error", LABELS), ("mse", np.eye(3)[LABELS]),
                                     ("cross_entropy", LABELS), ("ce", np.eye(3)[LABELS])])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_fit_loss_is_the_loss(loss, t, dtype):
    """The loss fit calls on every block (targets converted once) gives what the checked loss gives."""
    M = t.shape[1] if t.ndim == 2 else 3
    net = Sequential([Dense(4, M, seed=0, dtype=dtype)])
    X32 = X.astype(dtype)
    fit_loss, t_fit = seq._fit_loss(net, X32, t, loss)
    y = net.forward(X32)
    fn = losses.get(loss)
    q_ref, d_ref = fn(y, t, "softmax" if fn is losses.cross_entropy else "linear")
    q, d = fit_loss(y, t_fit)
    assert t_fit.dtype == dtype and q == q_ref and d.dtype == d_ref.dtype
    np.testing.assert_array_equal(d, d_ref)


def test_a_loss_of_the_users_is_called_with_its_checks():
    calls = []

    def half_squared(y, t, g):
        calls.append(g)
        return losses.squared_error(y, t, g)

    hist = Sequential([Dense(4, 2, seed=0)]).fit(X, T, loss=half_squared, epochs=2, B=10)
    assert hist.updates == 6 and calls.count("linear") >= 6


def test_a_subclass_that_changes_forward_or_backward_is_called_by_fit():
    calls = []

    class LoggedDense(Dense):
        def forward(self, x, train=False):
            calls.append("forward")
            return super().forward(x, train)

    class LoggedAct(Act):
        def backward(self, grad_y):
            calls.append("backward")
            return super().backward(grad_y)

    class GradLoggedDense(Dense):
        def backward(self, grad_y):
            calls.append("first backward")
            return super().backward(grad_y)

    net = Sequential([LoggedDense(4, 5, seed=0), LoggedAct("tanh"), Dense(5, 2, seed=1)])
    hist = net.fit(X, T, loss="squared_error", epochs=1, B=10)
    assert calls.count("backward") == hist.updates == 3 and calls.count("forward") >= 3
    net = Sequential([GradLoggedDense(4, 2, seed=0)])                  # the first layer: _backward_params
    hist = net.fit(X, T, loss="squared_error", epochs=1, B=10)
    assert calls.count("first backward") == hist.updates == 3
    assert Dense._unchecked_forward is not Layer._unchecked_forward      # Dense itself keeps its fast path


# --------------------------------------------------------------------------------- checked once

def test_the_data_is_checked_once_per_fit_not_once_per_block(monkeypatch):
    calls = []
    check_input = dense_module.check_input
    monkeypatch.setattr(dense_module, "check_input", lambda *a, **k: calls.append(1) or check_input(*a, **k))
    counts = []
    for N in (20, 200):
        calls.clear()
        net = Sequential([Dense(4, 8, seed=0), Act("tanh"), Dense(8, 1, seed=1)])
        Xn = np.resize(X, (N, 4))
        net.fit(Xn, Xn[:, :1], loss="squared_error", epochs=3, B=4)
        counts.append(len(calls))
    assert counts[0] == counts[1] <= 10, counts     # 15 or 150 blocks; a few checks before training


@pytest.mark.parametrize("kw, error, match", [
    (dict(X=X_NAN), ValueError, "X must not contain NaN"),
    (dict(X=X.tolist() + [[1, 2]]), TypeError, "X must be a real numeric array; got a ragged list"),
    (dict(X=X[:, :3]), ValueError, r"x must have 4 entries along axis -1"),
    (dict(t=T_INF), ValueError, "t must be finite"),
    (dict(t=T[:-1]), ValueError, r"t must have one row per sample of X \(30\)"),
    (dict(t=T[:, :1]), ValueError, r"t must have shape \(N, M_L\) = \(30, 2\)"),
    (dict(X_val=X[:5], t_val=T[:4]), ValueError, r"t_val must have one row per sample of X_val \(5\)"),
    (dict(X_val=np.full((3, 4), np.nan), t_val=T[:3]), ValueError, "X_val must not contain NaN"),
    (dict(B=0), ValueError, "B must be an integer >= 1"),
])
def test_bad_input_to_fit_raises_once_before_training_naming_it(kw, error, match):
    net = Sequential([Dense(4, 8, seed=0), Act("tanh"), Dense(8, 2, seed=1)])
    before = [p.copy() for p in net.param_list]
    args = dict(X=X, t=T, loss="squared_error", epochs=2, B=4) | kw
    with pytest.raises(error, match=match):
        net.fit(**args)
    assert all(np.array_equal(p, r) for p, r in zip(net.param_list, before))   # no update was made


def test_labels_out_of_range_are_named_before_training():
    net = Sequential([Dense(4, 3, seed=0)])
    with pytest.raises(ValueError, match=r"t: labels must lie in 0..C-1 = 0..2"):
        net.fit(X, np.where(LABELS == 2, 3, LABELS), epochs=1)


# ----------------------------------------------------------------------------- divergence watch

class _Spiky(Layer):
    """The identity, whose one parameter gets the gradient `value` at every backward (NaN, inf or huge)."""

    def __init__(self, value):
        super().__init__()
        self.value = value
        self.params = {"w": np.zeros(2)}
        self.grads = {"w": np.zeros(2)}

    def forward(self, x, train=False):
        return np.asarray(x, dtype=float)

    def backward(self, grad_y):
        self.grads["w"][...] = self.value
        return grad_y


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_a_non_finite_gradient_with_a_finite_loss_stops_training(value):
    net = Sequential([Dense(4, 2, seed=0), _Spiky(value)])
    with pytest.raises(Diverged, match="a gradient became NaN or infinite") as info:
        net.fit(X, T, loss="squared_error", epochs=2, B=10)
    assert info.value.history.updates == 0 and info.value.history.grad_norm == []
    assert np.all(np.isfinite(net.layers[1].params["w"]))            # nothing written into the weights


class _Poisoned(optim.SGD):
    """SGD that writes an infinite weight at its 3rd step (into a unit that tanh saturates: q stays finite)."""

    def step(self, params, grads, check=True):
        super().step(params, grads, check)
        if self.k == 3:
            params[0][0, 1] = np.inf


class _Tanh(Layer):
    """tanh without any check of its input (a user's layer): tanh(inf) = 1 hides an infinite pre-activation."""

    def forward(self, x, train=False):
        self._cache = np.tanh(x)
        return self._cache

    def backward(self, grad_y):
        return (1 - self._cache ** 2) * grad_y


@pytest.mark.parametrize("g", [Act("tanh"), _Tanh()], ids=["Act", "a user's layer"])
def test_an_infinite_weight_behind_a_saturated_unit_stops_training_at_the_end_of_its_epoch(g):
    Xp = np.abs(X[:, :2]) + 0.1                        # x_1 > 0: φ = +inf, tanh(φ) = 1, every q finite
    net = Sequential([Dense(2, 3, seed=0), g, Dense(3, 1, seed=1)])
    with pytest.raises(Diverged, match="epoch 1: a weight became NaN or infinite"):
        net.fit(Xp, T[:, :1], loss="squared_error", optimizer=_Poisoned(0.1), epochs=3, B=5)


def test_a_huge_but_finite_gradient_is_not_a_divergence():
    """‖∇q‖² overflows to inf for entries of 1e200; the entries themselves are finite, so the update goes on."""
    net = Sequential([Dense(4, 2, seed=0), _Spiky(1e200)])
    hist = net.fit(X, T, loss="squared_error", optimizer=optim.SGD(1e-210), epochs=1, B=30)
    assert hist.updates == 1 and hist.grad_norm == [np.inf]


def test_a_nan_loss_stops_training():
    net = Sequential([Dense(4, 8, seed=0), Act("relu"), Dense(8, 2, seed=1)])
    with pytest.raises(Diverged, match="smaller learning rate"):
        net.fit(X * 100, T, loss="squared_error", rho=1e3, epochs=20, B=5, blowup=None)
