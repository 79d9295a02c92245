"""nnlib.layers.normalization: Standardize, BatchNorm, LayerNorm.

Gradient checks (float64 central differences) in training and evaluation mode and for both variance estimators;
the forward pass against the formulas written out with numpy's own mean/var; running statistics; bad input.
"""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer
from nnlib.layers import Act, Dense
from nnlib.layers.normalization import BatchNorm, LayerNorm, Standardize, normalize_backward
from nnlib.layers.sequential import Sequential

RNG = np.random.default_rng(42)   # not 0: check_layer draws its R with seed 0
X = RNG.normal(2.0, 3.0, size=(7, 4))
IMG = RNG.normal(-1.0, 2.0, size=(3, 2, 4, 5))


def _scramble(layer):
    """Non-trivial gamma, beta and running statistics, so no term of the gradient hides behind a 1 or a 0."""
    r = np.random.default_rng(1)
    layer.params["gamma"][...] = r.uniform(0.5, 2.0, layer.M)
    layer.params["beta"][...] = r.normal(size=layer.M)
    if isinstance(layer, BatchNorm):
        layer.running_mean[...] = r.normal(size=layer.M)
        layer.running_var[...] = r.uniform(0.5, 2.0, layer.M)
    return layer


# ---- Standardize ------------------------------------------------------------------------------------------------

def test_standardize_matches_slide_formula_and_is_fitted_once():
    s = Standardize().fit(X)
    np.testing.assert_allclose(s.mean, X.sum(axis=0) / 7)
    np.testing.assert_allclose(s.std, np.sqrt(((X - X.mean(0)) ** 2).sum(axis=0) / 6))    # slide: 1/(N−1)
    Z = s.transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0, ddof=1), 1)
    other = X[:3] * 10
    np.testing.assert_allclose(s.transform(other), (other - s.mean) / s.std)              # training statistics
    np.testing.assert_allclose(Standardize(ddof=0).fit_transform(X).std(axis=0), 1)


def test_standardize_constant_feature_and_errors():
    Xc = np.column_stack([X[:, 0], np.full(7, 5.0)])
    s = Standardize().fit(Xc)
    assert s.std[1] == 1.0
    np.testing.assert_array_equal(s.transform(Xc)[:, 1], 0.0)
    with pytest.raises(RuntimeError, match="before fit"):
        Standardize().transform(X)
    with pytest.raises(ValueError, match=r"X must have 4 entries along axis -1.*got shape \(7, 3\)"):
        Standardize().fit(X).transform(X[:, :3])
    with pytest.raises(ValueError, match="at least 2 samples"):
        Standardize().fit(X[:1])
    with pytest.raises(ValueError, match="ddof must be 0"):
        Standardize(ddof=2)


# ---- BatchNorm --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("x", [X, IMG], ids=["dense", "image"])
def test_batchnorm_gradcheck(x, train, ddof):
    layer = _scramble(BatchNorm(x.shape[1], ddof=ddof))
    errors = check_layer(layer, x, train=train)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("ddof", [0, 1])
def test_batchnorm_forward_train_is_the_formula(ddof):
    layer = _scramble(BatchNorm(4, eps=1e-3, ddof=ddof))
    gamma, beta = layer.params["gamma"].copy(), layer.params["beta"].copy()
    y = layer.forward(X, train=True)
    xbar = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0, ddof=ddof) + 1e-3)
    np.testing.assert_allclose(y, gamma * xbar + beta)
    if ddof == 0:
        # with the biased variance and γ = 1, β = 0 the output has exactly mean 0 and (biased) variance 1 − ε-ish
        z = BatchNorm(4, eps=1e-12).forward(X, train=True)
        np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(z.var(axis=0), 1, rtol=1e-9)


def test_batchnorm_per_channel_on_images():
    layer = BatchNorm(2, eps=1e-12)
    y = layer.forward(IMG, train=True)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-9)
    n = 3 * 4 * 5
    np.testing.assert_allclose(layer.running_var, 0.9 + 0.1 * IMG.var(axis=(0, 2, 3)) * n / (n - 1))


@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("unbiased", [True, False])
def test_batchnorm_running_statistics(unbiased, ddof):
    layer = BatchNorm(4, momentum=0.8, unbiased_running=unbiased, ddof=ddof)   # ddof does not change them
    layer.forward(X, train=True)
    np.testing.assert_allclose(layer.running_mean, 0.2 * X.mean(axis=0))
    np.testing.assert_allclose(layer.running_var, 0.8 + 0.2 * X.var(axis=0, ddof=1 if unbiased else 0))
    # many batches from one distribution: running stats converge to its mean and variance
    r = np.random.default_rng(3)
    layer = BatchNorm(1, momentum=0.9, unbiased_running=unbiased)
    for _ in range(3000):
        layer.forward(r.normal(5.0, 2.0, size=(4, 1)), train=True)
    assert abs(layer.running_mean[0] - 5.0) < 0.3
    if unbiased:
        assert abs(layer.running_var[0] - 4.0) < 0.6                 # unbiased: E = σ²
    else:
        assert abs(layer.running_var[0] - 3.0) < 0.6                 # biased with b = 4: E = (3/4) σ²


def test_batchnorm_train_output_does_not_depend_on_the_running_statistics():
    """The running statistics are updated after the batch is normalized, and only feed evaluation mode."""
    fresh, used = BatchNorm(4), _scramble(BatchNorm(4))
    used.params["gamma"][...], used.params["beta"][...] = 1.0, 0.0
    np.testing.assert_array_equal(used.forward(X, train=True), fresh.forward(X, train=True))


def test_batchnorm_eval_uses_running_stats_and_is_per_sample():
    layer = _scramble(BatchNorm(4))
    mean, var = layer.running_mean.copy(), layer.running_var.copy()
    y = layer.forward(X, train=False)
    np.testing.assert_allclose(y, layer.params["gamma"] * (X - mean) / np.sqrt(var + 1e-5) + layer.params["beta"])
    np.testing.assert_allclose(layer.forward(X[:1], train=False), y[:1])     # batch of 1 is fine in eval
    np.testing.assert_array_equal(layer.running_mean, mean)                   # eval does not update
    # in training a sample's output depends on its batch companions
    a = layer.forward(X[:3], train=True)[0]
    b = layer.forward(X[[0, 4, 5]], train=True)[0]
    assert np.abs(a - b).max() > 1e-2


def test_batchnorm_bad_input():
    with pytest.raises(ValueError, match="batch size 1"):
        BatchNorm(4).forward(X[:1], train=True)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 4\) or \(N, 4, H, W\); got \(7, 3\)"):
        BatchNorm(4).forward(X[:, :3])
    with pytest.raises(ValueError, match="momentum must be in"):
        BatchNorm(4, momentum=1.0)
    with pytest.raises(ValueError, match="eps must be > 0"):
        BatchNorm(4, eps=0.0)
    with pytest.raises(ValueError, match="M must be an integer"):
        BatchNorm(0)
    with pytest.raises(RuntimeError, match="before forward"):
        BatchNorm(4).backward(X)
    layer = BatchNorm(4)
    layer.forward(X, train=True)
    with pytest.raises(ValueError, match="grad_y must have the shape"):
        layer.backward(X[:3])


def test_batchnorm_does_not_mutate_and_trains_in_sequential():
    x, gy = X.copy(), RNG.normal(size=X.shape)
    gy0 = gy.copy()
    layer = BatchNorm(4)
    layer.forward(x, train=True)
    layer.backward(gy)
    np.testing.assert_array_equal(x, X)
    np.testing.assert_array_equal(gy, gy0)
    gamma = layer.params["gamma"]
    net = Sequential([Dense(4, 8, seed=0), BatchNorm(8), Act("tanh"), Dense(8, 2, seed=1)])
    labels = (X[:, 0] > 2).astype(int)
    Xb = np.tile(X, (4, 1))
    hist = net.fit(Xb, np.tile(labels, 4), rho=0.1, epochs=30, B=7)
    assert hist.q[-1] < hist.q[0]
    assert gamma is layer.params["gamma"]


def test_normalize_backward_terms():
    # dropping the paths through μ and σ² gives a different (wrong) gradient: the compact form matters
    layer = BatchNorm(4, eps=1e-5)
    layer.forward(X, train=True)
    gy = RNG.normal(size=X.shape)
    full = layer.backward(gy)
    xbar, inv_std, axes, _, _ = layer._cache
    assert np.abs(full - gy * inv_std).max() > 1e-2
    np.testing.assert_allclose(full, normalize_backward(gy, xbar, inv_std, axes, 0))
    np.testing.assert_allclose(full.sum(axis=0), 0, atol=1e-12)                 # ∂q/∂x ⟂ constant shifts


# ---- LayerNorm --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("x", [X, RNG.normal(size=(2, 3, 4))], ids=["2d", "3d"])
def test_layernorm_gradcheck(x, ddof):
    layer = _scramble(LayerNorm(4, ddof=ddof))
    errors = check_layer(layer, x, train=True)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("ddof", [0, 1])
def test_layernorm_forward_per_sample(ddof):
    layer = LayerNorm(4, eps=1e-3, ddof=ddof)
    y = layer.forward(X)
    expected = (X - X.mean(axis=1, keepdims=True)) / np.sqrt(X.var(axis=1, ddof=ddof, keepdims=True) + 1e-3)
    np.testing.assert_allclose(y, expected)
    np.testing.assert_allclose(layer.forward(X[2:3]), y[2:3])             # independent of the batch
    np.testing.assert_allclose(layer.forward(X, train=True), y)          # same in train and eval


def test_layernorm_bad_input():
    with pytest.raises(ValueError, match=r"x must have shape \(N, \.\.\., 4\).*got \(7, 3\)"):
        LayerNorm(4).forward(X[:, :3])
    with pytest.raises(ValueError, match="M must be >= 2"):
        LayerNorm(1)
    with pytest.raises(ValueError, match="ddof must be 0"):
        LayerNorm(4, ddof=True)
