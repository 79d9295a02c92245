"""nnlib.layers.regularization: L2/L1 penalties (weights only), inverted dropout, clipping by global norm and by value."""

import numpy as np
import pytest

from nnlib import optim
from nnlib.gradcheck import check_layer, numerical_gradient, relative_error
from nnlib.layers import Act, Dense
from nnlib.layers.regularization import (L1, L2, ClipNorm, ClipValue, Dropout, clip_by_norm, clip_by_value,
                                  global_norm)
from nnlib.layers.sequential import Sequential


def _net(seed=0):
    return Sequential([Dense(3, 4, seed=seed), Act("tanh"), Dense(4, 2, seed=seed + 1)])


def _data(seed=0, N=7):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, 3)), rng.integers(0, 2, size=N)


def _thresholds_nonzero(net, value=0.3):
    for layer in net.layers:
        if "theta" in layer.params:
            layer.params["theta"][:, 0] = value


# ---------------------------------------------------------------------------------------------------- penalties

@pytest.mark.parametrize("penalty", [L2(0.3), L1(0.3)])
def test_penalized_objective_gradient_matches_central_differences(penalty):
    net = _net()
    _thresholds_nonzero(net)
    X, t = _data()

    def objective(_):
        return net.loss(X, t, "cross_entropy") + penalty.value(net)

    net.gradient(X, t, "cross_entropy")
    penalty.apply(net.layers)
    analytic = {k: g.copy() for k, g in net.grads.items()}
    for name, p in net.params.items():
        assert relative_error(analytic[name], numerical_gradient(objective, p)) < 1e-7, name


def test_l2_value_and_gradient_by_hand_thresholds_excluded():
    layer = Dense(2, 1, seed=0)
    layer.params["theta"][:] = [[5.0, 1.0, -2.0]]             # θ_10 = 5 is a threshold
    layer.grads["theta"][:] = 0.0
    value = L2(0.5).apply([layer])
    assert value == pytest.approx(0.25 * (1.0 + 4.0))        # (λ/2) Σ θ², the threshold left out
    np.testing.assert_allclose(layer.grads["theta"], [[0.0, 0.5, -1.0]])   # λθ on weights, 0 on θ_10


def test_l1_value_and_subgradient_by_hand_with_zero_weight():
    layer = Dense(3, 1, seed=0)
    layer.params["theta"][:] = [[5.0, 1.0, -2.0, 0.0]]
    layer.grads["theta"][:] = 1.0
    value = L1(0.5).apply(layer)
    assert value == pytest.approx(0.25 * 3.0)                # (λ/2) Σ|θ| = 0.25·(1 + 2 + 0)
    np.testing.assert_allclose(layer.grads["theta"], [[1.0, 1.25, 0.75, 1.0]])   # (λ/2) sgn θ, sgn 0 = 0


@pytest.mark.parametrize("cls", [L1, L2])
def test_penalty_ignores_thresholds_entirely(cls):
    net = _net()
    before = cls(0.1).value(net)
    _thresholds_nonzero(net, 100.0)
    assert cls(0.1).value(net) == before


@pytest.mark.parametrize("cls", [L1, L2])
def test_penalty_on_sequential_equals_on_its_layers_and_nested_counts_once(cls):
    net = _net()
    outer = Sequential([net])
    assert cls(0.2).value(net) == pytest.approx(cls(0.2).value(net.layers))
    assert cls(0.2).value([outer, net]) == pytest.approx(cls(0.2).value(net))   # same arrays counted once


def test_l2_with_gradient_descent_is_weight_decay():
    net = _net()
    X, t = _data()
    rho, lam = 0.1, 0.05
    net.gradient(X, t)
    grad_q = [g.copy() for g in net.grad_list]
    theta0 = [p.copy() for p in net.param_list]
    L2(lam).apply(net.layers)
    optim.SGD(rho).step(net.param_list, net.grad_list)
    for p, p0, g in zip(net.param_list, theta0, grad_q):
        expected = p0 - rho * g
        expected[:, 1:] = (1 - rho * lam) * p0[:, 1:] - rho * g[:, 1:]   # θ ← (1 − ρλ)θ − ρ∇q, weights only
        np.testing.assert_allclose(p, expected, rtol=0, atol=1e-15)


def test_l2_in_fit_shrinks_the_weights():
    X, t = _data(N=40)
    norms = []
    for penalty in (None, L2(0.5)):
        net = _net()
        net.fit(X, t, rho=0.2, epochs=30, B=40, penalty=penalty)
        norms.append(sum(float(np.sum(p[:, 1:] ** 2)) for p in net.param_list))
    assert norms[1] < 0.5 * norms[0]


def test_l1_in_fit_makes_weights_sparse_l2_does_not():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 3))
    t = (X[:, 0] > 0).astype(int)                            # only the first input matters
    sparse = {}
    for cls in (L1, L2):
        net = Sequential([Dense(3, 2, seed=0)])
        net.fit(X, t, rho=0.05, epochs=300, B=60, penalty=cls(0.2))
        sparse[cls] = np.abs(net.layers[0].params["theta"][:, 2:])
    assert sparse[L1].max() < 0.01                           # irrelevant inputs: weights driven to ≈ 0
    assert sparse[L2].max() > sparse[L1].max()


@pytest.mark.parametrize("cls", [L1, L2])
def test_penalty_rejects_bad_lam(cls):
    with pytest.raises(ValueError, match="lam must be >= 0"):
        cls(-0.1)
    with pytest.raises(TypeError, match="lam must be a real number"):
        cls("0.1")
    with pytest.raises(TypeError, match="layers"):
        cls(0.1).apply(3)


def test_penalty_zero_lam_changes_nothing():
    net = _net()
    X, t = _data()
    net.gradient(X, t)
    before = [g.copy() for g in net.grad_list]
    assert L1(0.0).apply(net) == 0.0 and L2(0.0).apply(net) == 0.0
    for g, g0 in zip(net.grad_list, before):
        np.testing.assert_array_equal(g, g0)


# ---------------------------------------------------------------------------------------------------- dropout

def test_dropout_gradcheck_train_with_fixed_mask_and_eval():
    x = np.random.default_rng(0).normal(size=(5, 6))
    d = Dropout(0.4, seed=3)
    errors = check_layer(d, x, train=True, before=lambda: d.reseed(3))
    assert errors["x"] < 1e-8
    assert 0 < d.mask.sum() < d.mask.size                    # some dropped, some kept: a real test
    assert check_layer(d, x, train=False)["x"] < 1e-8


def test_dropout_inside_a_network_gradcheck():
    d = Dropout(0.5, seed=1)
    net = Sequential([Dense(3, 5, seed=0), Act("tanh"), d, Dense(5, 2, seed=2)])
    x = np.random.default_rng(2).normal(size=(4, 3))
    errors = check_layer(net, x, train=True, before=lambda: d.reseed(1))
    assert max(errors.values()) < 1e-6, errors


def test_dropout_train_is_inverted_and_eval_is_identity():
    x = np.ones((200, 500))
    d = Dropout(0.3, seed=0)
    y = d.forward(x, train=True)
    kept = d.mask
    assert set(np.unique(y)) == {0.0, 1.0 / 0.7}             # dropped -> 0, kept -> x / (1 − p)
    assert abs(1 - kept.mean() - 0.3) < 0.01                 # drop rate p, not keep rate
    assert abs(y.mean() - 1.0) < 0.01                        # E[y] = x
    np.testing.assert_array_equal(d.forward(x, train=False), x)
    assert d.mask is None


def test_dropout_backward_uses_the_forward_mask():
    rng = np.random.default_rng(0)
    x, gy = rng.normal(size=(4, 8)), rng.normal(size=(4, 8))
    d = Dropout(0.5, seed=2)
    d.forward(x, train=True)
    gx = d.backward(gy)
    np.testing.assert_array_equal(gx, gy * d.mask / 0.5)
    np.testing.assert_array_equal(gx == 0, ~d.mask | (gy == 0))


def test_dropout_seeded_and_reseed_repeats_masks():
    x = np.ones((3, 10))
    a, b = Dropout(0.5, seed=7), Dropout(0.5, seed=7)
    ya = a.forward(x, True)
    np.testing.assert_array_equal(ya, b.forward(x, True))
    y2 = a.forward(x, True)
    assert not np.array_equal(ya, y2)                        # a new mask every training forward
    a.reseed(7)
    np.testing.assert_array_equal(a.forward(x, True), ya)


def test_dropout_p_zero_and_dtype_and_no_mutation():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    x0 = x.copy()
    d = Dropout(0.0)
    y = d.forward(x, train=True)
    np.testing.assert_array_equal(y, x)
    assert y.dtype == np.float32 and d.backward(np.ones_like(y)).dtype == np.float32
    np.testing.assert_array_equal(x, x0)
    y4 = Dropout(0.5).forward(np.ones((2, 3, 4, 5)), train=True)   # any shape, e.g. images
    assert y4.shape == (2, 3, 4, 5)


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_dropout_rejects_p_outside_0_1(p):
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\)"):
        Dropout(p)


def test_dropout_bad_input():
    with pytest.raises(TypeError, match="p must be a real number"):
        Dropout("0.5")
    d = Dropout(0.5)
    with pytest.raises(RuntimeError, match="before forward"):
        d.backward(np.ones((2, 2)))
    d.forward(np.ones((2, 2)), True)
    with pytest.raises(ValueError, match="grad_y must have the shape"):
        d.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="x must not contain NaN"):
        d.forward(np.array([[np.nan]]), True)


# ---------------------------------------------------------------------------------------------------- clipping

def test_clip_by_norm_uses_the_global_norm_and_keeps_direction():
    g = [np.array([[3.0, 0.0]]), np.array([4.0])]            # per-array norms 3 and 4, global norm 5
    before = np.concatenate([a.ravel() for a in g])
    arrays = list(g)
    norm = clip_by_norm(g, 1.0)
    assert norm == pytest.approx(5.0)
    assert g[0] is arrays[0] and g[1] is arrays[1]          # in place
    after = np.concatenate([a.ravel() for a in g])
    np.testing.assert_allclose(after, before / 5.0)          # c g / ‖g‖: not 3 -> 1 and 4 -> 1 separately
    assert global_norm(g) == pytest.approx(1.0)


def test_clip_by_norm_leaves_small_gradients_alone():
    g = [np.array([0.3, -0.4])]
    assert clip_by_norm(g, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(g[0], [0.3, -0.4])         # ‖g‖ ≤ c: unchanged, not scaled up to c


def test_clip_by_value_clips_entries_and_reports_fraction():
    g = [np.array([[-3.0, 0.5], [2.0, -0.1]]), np.array([1.0])]
    frac = clip_by_value(g, 1.0)
    assert frac == pytest.approx(2 / 5)
    np.testing.assert_array_equal(g[0], [[-1.0, 0.5], [1.0, -0.1]])
    np.testing.assert_array_equal(g[1], [1.0])


def test_value_clipping_changes_direction_norm_clipping_does_not():
    g1, g2 = [np.array([10.0, 1.0])], [np.array([10.0, 1.0])]
    v = g1[0].copy()
    clip_by_norm(g1, 1.0)
    clip_by_value(g2, 1.0)
    cos = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))   # noqa: E731
    assert cos(g1[0], v) == pytest.approx(1.0)
    assert cos(g2[0], v) < 0.8                               # (1, 1) against (10, 1)


@pytest.mark.parametrize("fn", [clip_by_norm, clip_by_value])
@pytest.mark.parametrize("c", [0.0, -1.0])
def test_clipping_rejects_c_not_positive(fn, c):
    with pytest.raises(ValueError, match="c must be > 0"):
        fn([np.ones(2)], c)


@pytest.mark.parametrize("cls", [ClipNorm, ClipValue])
def test_clip_classes_reject_c_not_positive_and_bad_grads(cls):
    with pytest.raises(ValueError, match="c must be > 0"):
        cls(0)
    with pytest.raises(TypeError, match=r"grads\[0\] must be a floating-point numpy array"):
        cls(1.0)([[1.0, 2.0]])
    with pytest.raises(TypeError, match=r"grads\[1\] must be a floating-point numpy array"):
        cls(1.0)([np.ones(2), np.ones(2, dtype=int)])


def test_clip_by_norm_rejects_non_finite():
    with pytest.raises(ValueError, match="grads must be finite"):
        clip_by_norm([np.array([np.inf, 1.0])], 1.0)


def test_clipnorm_in_fit_bounds_each_sgd_step():
    net = _net()
    X, t = _data(N=10)
    before = [p.copy() for p in net.param_list]
    hist = net.fit(X, t, rho=0.1, epochs=1, B=10, clip=ClipNorm(0.01))   # one update
    step = np.sqrt(sum(float(np.sum((p - p0) ** 2)) for p, p0 in zip(net.param_list, before)))
    assert hist.grad_norm[0] > 0.01                          # it was clipped ...
    assert step == pytest.approx(0.1 * 0.01)                 # ... so ‖Δθ‖ = ρ c exactly


def test_clipvalue_in_fit_bounds_each_entry_of_the_step():
    net = _net()
    X, t = _data(N=10)
    before = [p.copy() for p in net.param_list]
    net.fit(X, t, rho=0.1, epochs=1, B=10, clip=ClipValue(0.001))
    assert max(float(np.abs(p - p0).max()) for p, p0 in zip(net.param_list, before)) <= 0.1 * 0.001 + 1e-15
    assert repr(ClipValue(0.001)) == "ClipValue(c=0.001)" and repr(ClipNorm(2)) == "ClipNorm(c=2)"


@pytest.mark.parametrize("penalty", [L2(0.3), L1(0.3)])
def test_penalties_reach_weights_inside_blocks_and_skip_normalization_gains(penalty):
    from nnlib.layers.blocks import Maxout, Residual
    from nnlib.layers.normalization import BatchNorm

    net = Sequential([Dense(3, 4, seed=0), BatchNorm(4), Act("tanh"),
                      Residual(Sequential([Dense(4, 4, seed=1), Act("tanh")])), Maxout(4, 3, k=2, seed=2),
                      Dropout(0.0), Dense(3, 2, seed=3)])
    X, t = _data(N=6)

    def objective(_):
        return net.loss(X, t, train=True) + penalty.value(net)

    net.gradient(X, t)
    penalty.apply(net.layers)
    analytic = {k: g.copy() for k, g in net.grads.items()}
    for name, p in net.params.items():
        assert relative_error(analytic[name], numerical_gradient(objective, p)) < 1e-6, name
    assert net.layers[1].penalized == {}                     # γ, β of batch normalization are not penalized
