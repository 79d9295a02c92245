"""Tests of nnlib.mlp: the slides' multilayer perceptron, forward pass, weights and initialisation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import activations as act
from nnlib.mlp import INIT_SCHEMES, MLP, count_params, homogeneous, init_theta

TOPOLOGIES = [[1, 1], [5, 3, 3], [2, 4, 1], [3, 5, 4, 2], [1, 6, 6, 6, 1], [4, 2]]


def hand_forward(theta, g, x):
    """The slide's sums, literally: s^l_i = g(sum_{j=0}^{M_{l-1}} theta^l_ij s^{l-1}_j), s_0 = 1."""
    s = [1.0] + list(x)  # s^0 with s^0_0 = 1
    phis = [None]
    for l in range(1, len(theta)):
        phi = []
        for i in range(theta[l].shape[0]):
            total = 0.0
            for j in range(theta[l].shape[1]):
                total += theta[l][i, j] * s[j]
            phi.append(total)
        phis.append(np.array(phi))
        s = [1.0] + list(g[l](np.array(phi)))
    return phis, np.array(s[1:])


# ------------------------------------------------------------------------------ shapes

@pytest.mark.parametrize("M", TOPOLOGIES, ids=str)
def test_shapes_and_D(M):
    net = MLP(M=M, seed=0)
    L = len(M) - 1
    assert net.M == tuple(M) and net.L == L
    assert net.theta[0] is None and net.g[0] is None
    assert len(net.theta) == len(net.g) == L + 1
    for l in range(1, L + 1):
        assert net.theta[l].shape == (M[l], M[l - 1] + 1)
    D = sum(M[l] * (M[l - 1] + 1) for l in range(1, L + 1))
    assert net.D == count_params(M) == D == net.Theta.shape[0]
    X = np.random.default_rng(1).normal(size=(7, M[0]))
    phi, s = net.forward(X)
    assert phi[0] is None and s[0] is not None and np.array_equal(s[0], X)
    for l in range(1, L + 1):
        assert phi[l].shape == s[l].shape == (7, M[l])
    assert net(X).shape == (7, M[-1])
    # one sample x: every phi[l], s[l] is 1-D
    phi1, s1 = net.forward(X[0])
    for l in range(1, L + 1):
        assert phi1[l].shape == s1[l].shape == (M[l],)
        np.testing.assert_allclose(s1[l], s[l][0], rtol=1e-12, atol=1e-15)


def test_slide_example_5_3_3():
    net = MLP(M=[5, 3, 3], g="sigmoid", init="glorot_uniform", seed=0)
    assert net.D == 30 and count_params([5, 3, 3]) == 30
    assert repr(net) == "MLP(M=(5, 3, 3), g=(sigmoid, sigmoid), D=30)"
    assert net.g == [None, act.sigmoid, act.sigmoid]


# ----------------------------------------------------------------------------- forward

@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("g", [["sigmoid", "tanh", "linear"], ["relu", "fast", "softmax"],
                               ["elu", "leaky_relu", "step"]])
def test_forward_matches_hand_loop_over_nodes(seed, g):
    rng = np.random.default_rng(seed)
    M = list(rng.integers(1, 6, size=4))
    net = MLP(M=M, g=g, init="normal", seed=rng)
    for t in net.theta[1:]:
        t *= 10  # large enough that every activation leaves its linear part
    X = rng.normal(size=(5, M[0]))
    phi, s = net.forward(X)
    for n in range(X.shape[0]):
        phis, out = hand_forward(net.theta, net.g, X[n])
        np.testing.assert_allclose(s[-1][n], out, rtol=1e-12, atol=1e-12)
        for l in range(1, net.L + 1):
            np.testing.assert_allclose(phi[l][n], phis[l], rtol=1e-12, atol=1e-12)
    # 1-D input
    np.testing.assert_allclose(net(X[0]), hand_forward(net.theta, net.g, X[0])[1], rtol=1e-12, atol=1e-12)


def test_forward_phi_is_homogeneous_product():
    net = MLP(M=[3, 4, 2], g="tanh", init="uniform", seed=3)
    X = np.random.default_rng(0).normal(size=(6, 3))
    phi, s = net.forward(X)
    for l in (1, 2):
        np.testing.assert_allclose(phi[l], homogeneous(s[l - 1]) @ net.theta[l].T, rtol=1e-12)
        np.testing.assert_allclose(s[l], net.g[l](phi[l]))


@pytest.mark.parametrize("M", [[2, 3, 1], [4, 5, 3, 2], [1, 2, 2, 2, 3]], ids=str)
def test_linear_collapse(M):
    """All activations linear: s^L(x) = Theta x~ with Theta the product of the homogeneous matrices."""
    net = MLP(M=M, g="linear", init="uniform", seed=1)
    A = np.eye(M[0] + 1)
    for t in net.theta[1:]:
        T = np.zeros((t.shape[0] + 1, t.shape[1]))
        T[0, 0] = 1.0  # s_0 = 1 is carried to the next layer
        T[1:] = t
        A = T @ A
    theta = A[1:]  # theta_ij' = sum_j theta^2_ij theta^1_jj'  (slide 12), shape (M_L, M_0 + 1)
    X = np.random.default_rng(2).normal(size=(9, M[0]))
    np.testing.assert_allclose(net(X), homogeneous(X) @ theta.T, rtol=1e-10, atol=1e-12)


def test_two_layer_formula_of_slide_11():
    """s^2_i = g(sum_j theta^2_ij g(sum_j' theta^1_jj' x_j'))."""
    net = MLP(M=[2, 3, 2], g="sigmoid", init="uniform", seed=5)
    x = np.array([0.3, -1.2])
    t1, t2, g = net.theta[1], net.theta[2], act.sigmoid
    s1 = np.concatenate([[1.0], g(t1[:, 0] + t1[:, 1:] @ x)])
    np.testing.assert_allclose(net(x), g(t2 @ s1), rtol=1e-14)


def test_forward_does_not_mutate_input():
    net = MLP(M=[3, 2, 2], seed=0)
    X = np.arange(6.0).reshape(2, 3)
    before = X.copy()
    net.forward(X)
    np.testing.assert_array_equal(X, before)


def test_integer_and_list_input_become_float():
    net = MLP(M=[2, 2, 1], seed=0)
    phi, s = net.forward([[1, 0], [0, 1]])
    assert s[0].dtype == np.float64 and s[2].shape == (2, 1)


def test_xor_with_hand_set_step_weights():
    # sgn(x1 + x2 - 0.5) and sgn(x1 + x2 - 1.5) on {0,1}^2 inputs; output sgn(h1 - h2 - 1)
    T1 = np.array([[-0.5, 1.0, 1.0], [-1.5, 1.0, 1.0]])
    T2 = np.array([[-1.0, 1.0, -1.0]])
    net = MLP(M=[2, 2, 1], g="step", theta=[T1, T2])
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(net(X)[:, 0], [-1, 1, 1, -1])


def test_classify_is_argmax_from_zero():
    net = MLP(M=[2, 3], g="linear", theta=[np.array([[0, 1, 0], [0, 0, 1], [0.5, 0, 0]])])
    X = np.array([[2.0, 1.0], [0.0, 3.0], [0.1, 0.2]])
    np.testing.assert_array_equal(net.classify(X), [0, 1, 2])
    assert net.classify(X[1]) == 1


def test_softmax_output_rows_sum_to_one():
    net = MLP(M=[4, 5, 3], g=["relu", "softmax"], seed=0)
    out = net(np.random.default_rng(0).normal(size=(8, 4)))
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


# ------------------------------------------------------------------------ g and theta args

def test_g_list_and_leading_none():
    a = MLP(M=[2, 4, 1], g=["tanh", "linear"], seed=0)
    b = MLP(M=[2, 4, 1], g=[None, act.tanh, "linear"], seed=0)
    assert a.g == b.g == [None, act.tanh, act.linear]
    np.testing.assert_array_equal(a.Theta, b.Theta)


def test_theta_list_with_or_without_none_is_copied():
    T1, T2 = np.ones((3, 3)), np.ones((1, 4))
    a = MLP(M=[2, 3, 1], theta=[T1, T2])
    b = MLP(M=[2, 3, 1], theta=[None, T1, T2])
    T1[0, 0] = 7.0
    assert a.theta[1][0, 0] == b.theta[1][0, 0] == 1.0
    assert a.theta[1] is not T1


def test_copy_is_deep():
    net = MLP(M=[2, 3, 1], seed=0)
    other = net.copy()
    other.theta[1][0, 0] += 1.0
    assert net.theta[1][0, 0] != other.theta[1][0, 0]
    assert other.g == net.g and other.M == net.M


def test_homogeneous():
    np.testing.assert_array_equal(homogeneous([2.0, 3.0]), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(homogeneous(np.array([[2.0], [3.0]])), [[1.0, 2.0], [1.0, 3.0]])
    assert homogeneous(np.zeros(2, dtype=np.float32)).dtype == np.float32


# ---------------------------------------------------------------------------------- Theta

def test_Theta_order_is_the_slides():
    net = MLP(M=[2, 3, 2], seed=0)
    T = net.Theta
    t1, t2 = net.theta[1], net.theta[2]
    # [theta^1_10, theta^1_11, theta^1_12, theta^1_20, ..., theta^1_32, theta^2_10, ...]
    assert T[0] == t1[0, 0] and T[1] == t1[0, 1] and T[2] == t1[0, 2] and T[3] == t1[1, 0]
    assert T[8] == t1[2, 2] and T[9] == t2[0, 0] and T[-1] == t2[1, 3]
    np.testing.assert_array_equal(T, np.concatenate([t1.ravel(), t2.ravel()]))


def test_Theta_set_round_trip_in_place():
    net = MLP(M=[3, 4, 2], seed=0)
    arrays = net.theta[1:]
    v = np.arange(net.D, dtype=float)
    net.Theta = v
    np.testing.assert_array_equal(net.Theta, v)
    np.testing.assert_array_equal(net.theta[1], np.arange(16.0).reshape(4, 4))
    assert all(a is b for a, b in zip(arrays, net.theta[1:]))  # written in place
    got = net.Theta
    got[0] = -1.0  # the getter returns a copy
    assert net.theta[1][0, 0] == 0.0


# -------------------------------------------------------------------------- initialisation

@pytest.mark.parametrize("scheme", list(INIT_SCHEMES))
def test_init_seeded_reproducible(scheme):
    M = [4, 6, 3]
    a, b = init_theta(M, scheme, seed=11), init_theta(M, scheme, seed=11)
    c = init_theta(M, scheme, seed=np.random.default_rng(11))
    for l in (1, 2):
        np.testing.assert_array_equal(a[l], b[l])
        np.testing.assert_array_equal(a[l], c[l])
    if scheme != "zeros":
        d = init_theta(M, scheme, seed=12)
        assert not np.array_equal(a[1], d[1])
    np.testing.assert_array_equal(MLP(M, init=scheme, seed=11).Theta, np.concatenate([a[1].ravel(), a[2].ravel()]))


@pytest.mark.parametrize("scheme, var, zero_thresholds", [
    ("glorot_uniform", 6 / 700 / 3, True),   # U(±a) has variance a^2 / 3, a^2 = 6 / (M_in + M_out)
    ("glorot_normal", 2 / 700, True),
    ("he_normal", 2 / 400, True),
    ("uniform", 1 / 12, False),
    ("normal", 0.01, True),     # nnlib.init: only "uniform" draws the thresholds
])
def test_init_variance_matches_formula(scheme, var, zero_thresholds):
    M_in, M_out = 400, 300  # 120 000 weights: sample variance within about 1% (4 sd ~ 1.6%)
    t = init_theta([M_in, M_out], scheme, seed=0)[1]
    w = t[:, 1:]
    assert abs(w.var() / var - 1) < 0.03
    assert abs(w.mean()) < 4 * np.sqrt(var / w.size)
    if zero_thresholds:
        assert np.all(t[:, 0] == 0)
    else:
        assert abs(t[:, 0].var() / var - 1) < 0.3  # only 300 thresholds
    if scheme == "glorot_uniform":
        assert np.abs(w).max() <= np.sqrt(6 / (M_in + M_out))
    if scheme == "uniform":
        assert np.abs(t).max() <= 0.5


def test_zeros_init_makes_hidden_units_identical():
    net = MLP(M=[3, 5, 2], g="sigmoid", init="zeros")
    assert not net.Theta.any()
    s1 = net.forward(np.random.default_rng(0).normal(size=(6, 3)))[1][1]
    np.testing.assert_array_equal(s1, np.repeat(s1[:, :1], 5, axis=1))


def test_init_custom_function():
    net = MLP(M=[2, 3], init=lambda M_out, M_in, rng, dtype: np.full((M_out, M_in + 1), 0.5, dtype=dtype))
    assert np.all(net.Theta == 0.5)


# ---------------------------------------------------------------------------------- dtype

def test_float32_stays_float32():
    net = MLP(M=[3, 4, 2], g=["tanh", "softmax"], seed=0, dtype=np.float32)
    assert all(t.dtype == np.float32 for t in net.theta[1:])
    phi, s = net.forward(np.ones((5, 3)))  # float64 input is cast to the net's dtype
    assert all(a.dtype == np.float32 for a in phi[1:] + s)
    assert net.Theta.dtype == np.float32 and net.copy().dtype == np.float32
    ref = MLP(M=[3, 4, 2], g=["tanh", "softmax"], seed=0)  # same draws, rounded
    np.testing.assert_allclose(net(np.ones((5, 3))), ref(np.ones((5, 3))), rtol=1e-5)
    net.Theta = np.zeros(net.D)
    assert net.theta[1].dtype == np.float32
    assert "float32" in repr(net)


def test_float64_default():
    net = MLP(M=[2, 2], seed=0)
    assert net.dtype == np.float64 and net(np.ones((1, 2), dtype=np.float32)).dtype == np.float64


# ------------------------------------------------------------------------------ bad input

@pytest.mark.parametrize("make, error, match", [
    (lambda: MLP(M=[2, 0, 1]), ValueError, r"M\[1\] must be an integer >= 1 \(layer 1 size\); got 0"),
    (lambda: MLP(M=[2, 1.5, 1]), ValueError, r"M\[1\] must be an integer >= 1"),
    (lambda: MLP(M=[2, True]), ValueError, r"M\[1\] must be an integer >= 1"),
    (lambda: MLP(M=[3]), ValueError, r"M must list at least 2 layers \(input and output\)"),
    (lambda: MLP(M=3), TypeError, r"M must be a sequence"),
    (lambda: MLP(M=[5, 3, 3], theta=[np.ones((3, 5)), np.ones((3, 4))]), ValueError,
     r"theta\[1\] must have shape \(3, 6\) = \(M_1, M_0 \+ 1\); got \(3, 5\)"),
    (lambda: MLP(M=[5, 3, 3], theta=[np.ones((3, 6)), np.ones((3, 3))]), ValueError,
     r"theta\[2\] must have shape \(3, 4\) = \(M_2, M_1 \+ 1\); got \(3, 3\)"),
    (lambda: MLP(M=[5, 3, 3], theta=[np.ones((3, 6))]), ValueError, r"theta must list L = 2 arrays.*got 1"),
    (lambda: MLP(M=[2, 1], theta=[np.array([[0.0, np.nan, 1.0]])]), ValueError, r"theta\[1\] must not contain NaN"),
    (lambda: MLP(M=[2, 1], theta=[np.array([["a", "b", "c"]])]), TypeError, r"theta\[1\] must be a real numeric"),
    (lambda: MLP(M=[2, 1], theta=np.ones((1, 3))), TypeError, r"theta must be a list"),
    (lambda: MLP(M=[2, 4, 1], g=["tanh"]), ValueError, r"g must list one activation per layer 1..L, L = 2; got 1"),
    (lambda: MLP(M=[2, 4, 1], g=["tanh", "sigmoidd"]), ValueError, r"g\[2\] must be one of linear, relu, .*'sigmoidd'"),
    (lambda: MLP(M=[2, 4, 1], g=3), TypeError, r"g must be an activation name"),
    (lambda: MLP(M=[2, 1], init="xavier"), ValueError,
     r"init must be one of glorot_uniform, glorot_normal, he_normal, uniform, normal, zeros.*'xavier'"),
    (lambda: MLP(M=[2, 1], init=lambda a, b, r, d: np.zeros((a, b))), ValueError,
     r"theta\[1\] of shape \(1, 3\) = \(M_1, M_0 \+ 1\); got \(1, 2\)"),
    (lambda: MLP(M=[2, 1], seed=-1), TypeError, r"seed must be None, a non-negative int"),
    (lambda: MLP(M=[2, 1], seed="0"), TypeError, r"seed must be"),
    (lambda: MLP(M=[2, 1], dtype=np.int64), TypeError, r"dtype must be float32 or float64; got int64"),
    (lambda: count_params([2, -1]), ValueError, r"M\[1\] must be an integer >= 1"),
])
def test_bad_construction(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("X, error, match", [
    (np.ones((7, 4)), ValueError, r"X must have M_0 = 5 columns \(layer 0 size\); got shape \(7, 4\)"),
    (np.ones(4), ValueError, r"X \(one sample x\) must have length M_0 = 5 \(layer 0 size\); got shape \(4,\)"),
    (np.ones((0, 5)), ValueError, r"X must have at least one sample \(row\); got shape \(0, 5\)"),
    (np.ones((2, 5, 1)), ValueError, r"X must be 1-D .* or 2-D .*got shape \(2, 5, 1\)"),
    (np.float64(1.0), ValueError, r"X must be 1-D"),
    (np.array([[np.nan, 0, 0, 0, 0]]), ValueError, r"X must not contain NaN"),
    (np.array([[np.inf, 0, 0, 0, 0]]), ValueError, r"X must be finite"),
    (np.array([[None] * 5]), TypeError, r"X must be a real numeric array; got dtype object"),
])
def test_bad_X(X, error, match):
    net = MLP(M=[5, 3, 3], seed=0)
    with pytest.raises(error, match=match):
        net.forward(X)


def test_bad_Theta():
    net = MLP(M=[5, 3, 3], seed=0)
    before = net.Theta
    with pytest.raises(ValueError, match=r"Theta must be a vector of length D = 30; got shape \(29,\)"):
        net.Theta = np.zeros(29)
    with pytest.raises(ValueError, match=r"Theta must be a vector of length D = 30; got shape \(30, 1\)"):
        net.Theta = np.zeros((30, 1))
    with pytest.raises(ValueError, match=r"Theta must not contain NaN"):
        net.Theta = np.full(30, np.nan)
    np.testing.assert_array_equal(net.Theta, before)  # nothing was written


# ------------------------------------------------------------------------------ hypothesis

@settings(max_examples=40, deadline=None)
@given(M=st.lists(st.integers(1, 6), min_size=2, max_size=5), N=st.integers(1, 4),
       g=st.sampled_from(list(act.ACTIVATIONS)), seed=st.integers(0, 2**16))
def test_random_topologies_forward_shapes(M, N, g, seed):
    net = MLP(M=M, g=g, seed=seed)
    X = np.random.default_rng(seed).normal(size=(N, M[0]))
    phi, s = net.forward(X)
    assert len(phi) == len(s) == len(M)
    for l in range(1, len(M)):
        assert phi[l].shape == s[l].shape == (N, M[l])
        assert np.isfinite(s[l]).all()
    assert net.D == count_params(M) == net.Theta.size
    assert net(X[0]).shape == (M[-1],)
