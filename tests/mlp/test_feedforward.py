"""Tests of nnlib.mlp.feedforward: feed-forward nets whose connections skip layers (slide 15)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import activations as act
from nnlib.mlp import MLP, FeedForward

X = np.random.default_rng(0).normal(size=(6, 2))


def hand_forward(ff, x):
    """Slide 15, literally: s^k_i = g(sum over edges (k, k') of sum_{j=0}^{M_k'} theta^{k,k'}_ij s^{k'}_j)."""
    s = {0: [1.0] + list(x)}
    for k in range(1, ff.L + 1):
        phi = []
        for i in range(ff.M[k]):
            total = 0.0
            for (kk, kp), t in ff.theta.items():
                if kk == k:
                    for j in range(ff.M[kp] + 1):
                        total += t[i, j] * s[kp][j]
            phi.append(total)
        s[k] = [1.0] + list(ff.g[k](np.array(phi)))
    return np.array(s[ff.L][1:])


def test_slide_15_example():
    ff = FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1), (2, 0)], g=["tanh", "linear"], seed=0)
    assert ff.edges == ((1, 0), (2, 0), (2, 1))
    assert ff.M == (2, 3, 1) and ff.L == 2 and ff.g == [None, act.tanh, act.linear]
    assert {e: t.shape for e, t in ff.theta.items()} == {(1, 0): (3, 3), (2, 0): (1, 3), (2, 1): (1, 4)}
    assert ff.D == 9 + 3 + 4 == ff.Theta.size
    phi, s = ff.forward(X)
    assert phi[0] is None and np.array_equal(s[0], X)
    assert phi[1].shape == s[1].shape == (6, 3) and s[2].shape == (6, 1)
    assert ff(X[0]).shape == (1,)
    assert repr(ff) == "FeedForward(M=(2, 3, 1), edges=((1, 0), (2, 0), (2, 1)), g=(tanh, linear), D=16)"


@pytest.mark.parametrize("seed", range(3))
def test_forward_matches_hand_loop(seed):
    ff = FeedForward(M=[3, 4, 2, 2], edges=[(1, 0), (2, 1), (2, 0), (3, 2), (3, 0), (3, 1)],
                     g=["sigmoid", "tanh", "softmax"], init="uniform", seed=seed)
    Xs = np.random.default_rng(seed).normal(size=(4, 3))
    out = ff(Xs)
    for n in range(4):
        np.testing.assert_allclose(out[n], hand_forward(ff, Xs[n]), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ff(Xs[0]), out[0], rtol=1e-12)


@pytest.mark.parametrize("M, g", [([2, 3, 1], "sigmoid"), ([4, 5, 3, 2], ["relu", "tanh", "softmax"]),
                                  ([1, 1], "linear")], ids=str)
def test_from_mlp_equals_mlp(M, g):
    net = MLP(M=M, g=g, init="uniform", seed=1)
    ff = FeedForward.from_mlp(net)
    assert ff.edges == tuple((k, k - 1) for k in range(1, len(M)))
    phi_n, s_n = net.forward(X[:, :1].repeat(M[0], axis=1))
    phi_f, s_f = ff.forward(X[:, :1].repeat(M[0], axis=1))
    for l in range(1, len(M)):
        np.testing.assert_allclose(phi_f[l], phi_n[l], rtol=1e-14)
        np.testing.assert_allclose(s_f[l], s_n[l], rtol=1e-14)
    np.testing.assert_array_equal(ff.Theta, net.Theta)
    ff.theta[(1, 0)][0, 0] += 1.0  # weights are copied
    assert net.theta[1][0, 0] != ff.theta[(1, 0)][0, 0]


@pytest.mark.parametrize("scheme", ["glorot_uniform", "he_normal", "uniform", "normal"])
def test_default_edges_draw_the_mlps_weights(scheme):
    ff = FeedForward(M=[3, 4, 2], init=scheme, seed=7)
    net = MLP(M=[3, 4, 2], init=scheme, seed=7)
    assert ff.edges == ((1, 0), (2, 1))
    np.testing.assert_array_equal(ff.Theta, net.Theta)


def test_skip_edge_zero_equals_mlp_nonzero_differs():
    net = MLP(M=[2, 3, 1], g=["tanh", "linear"], init="uniform", seed=2)
    theta = {(1, 0): net.theta[1], (2, 1): net.theta[2], (2, 0): np.zeros((1, 3))}
    ff = FeedForward(M=[2, 3, 1], g=["tanh", "linear"], theta=theta)
    assert ff.edges == ((1, 0), (2, 0), (2, 1))
    np.testing.assert_allclose(ff(X), net(X), rtol=1e-14)
    ff.theta[(2, 0)][0, 1] = 0.5
    assert not np.allclose(ff(X), net(X))
    # the skip edge adds exactly its own affine term to phi^2 (output linear)
    np.testing.assert_allclose(ff(X) - net(X), 0.5 * X[:, :1], rtol=1e-12)


def test_thresholds_are_redundant():
    ff = FeedForward(M=[2, 3, 2], edges=[(1, 0), (2, 1), (2, 0)], g=["sigmoid", "sigmoid"], init="uniform", seed=4)
    before = ff(X)
    moved = np.array([0.3, -0.7])
    ff.theta[(2, 1)][:, 0] += moved
    ff.theta[(2, 0)][:, 0] -= moved
    np.testing.assert_allclose(ff(X), before, rtol=1e-13)
    ff.theta[(2, 0)][:, 0] += moved  # only the sum matters: changing it changes the output
    assert not np.allclose(ff(X), before)


def test_init_puts_thresholds_on_the_nearest_edge():
    ff = FeedForward(M=[2, 3, 2, 1], edges=[(1, 0), (2, 1), (2, 0), (3, 0), (3, 1)], init="uniform", seed=0)
    assert np.all(ff.theta[(2, 1)][:, 0] != 0) and np.all(ff.theta[(2, 0)][:, 0] == 0)
    assert np.all(ff.theta[(3, 1)][:, 0] != 0) and np.all(ff.theta[(3, 0)][:, 0] == 0)  # no (3, 2) edge


def test_init_sees_whole_fan_in():
    ff = FeedForward(M=[300, 100, 300], edges=[(1, 0), (2, 1), (2, 0)], init="he_normal", seed=0)
    w = np.concatenate([ff.theta[(2, 1)][:, 1:].ravel(), ff.theta[(2, 0)][:, 1:].ravel()])
    assert abs(w.var() / (2 / 400) - 1) < 0.03  # fan-in M_1 + M_0 = 400


def test_Theta_order_and_round_trip():
    ff = FeedForward(M=[2, 3, 1], edges=[(2, 1), (1, 0), (2, 0)], seed=0)
    T = ff.Theta
    np.testing.assert_array_equal(T, np.concatenate([ff.theta[(1, 0)].ravel(), ff.theta[(2, 0)].ravel(),
                                                     ff.theta[(2, 1)].ravel()]))
    held = ff.theta[(2, 0)]
    ff.Theta = np.arange(ff.D, dtype=float)
    np.testing.assert_array_equal(ff.Theta, np.arange(ff.D))
    assert ff.theta[(2, 0)] is held and held[0, 0] == 9.0  # in place
    with pytest.raises(ValueError, match=r"Theta must be a vector of length D = 16; got shape \(3,\)"):
        ff.Theta = np.zeros(3)


def test_copy_classify_and_float32():
    ff = FeedForward(M=[2, 3, 3], edges=[(1, 0), (2, 1), (2, 0)], g=["relu", "softmax"], seed=0,
                     dtype=np.float32)
    phi, s = ff.forward(X)
    assert all(a.dtype == np.float32 for a in phi[1:] + s)
    assert ff.Theta.dtype == np.float32
    other = ff.copy()
    other.theta[(2, 0)][:] += 1
    assert not np.array_equal(other.Theta, ff.Theta) and other.dtype == np.float32
    np.testing.assert_array_equal(ff.classify(X), np.argmax(ff(X), axis=1))


@pytest.mark.parametrize("make, error, match", [
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0), (1, 2), (2, 1)]), ValueError,
     r"edge \(k, k'\) = \(1, 2\) must go forward.*0 <= k' < k <= L = 2"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0), (1, 1), (2, 1)]), ValueError, r"\(1, 1\) must go forward"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0), (3, 1)]), ValueError, r"\(3, 1\) must go forward.*L = 2"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0)]), ValueError, r"layer 2 must receive at least one edge"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(2, 0), (2, 1)]), ValueError, r"layer 1 must receive at least one edge"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1), (2, 1)]), ValueError, r"must not repeat.*\(2, 1\)"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0), (2,)]), ValueError, r"edges must hold pairs"),
    (lambda: FeedForward(M=[2, 3, 1], edges=5), TypeError, r"edges must be a collection"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1)], theta={(1, 0): np.ones((3, 3))}), ValueError,
     r"layer 2 must receive"),
    (lambda: FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1), (2, 0)],
                         theta={(1, 0): np.ones((3, 3)), (2, 1): np.ones((1, 4))}), ValueError,
     r"theta must have one array per edge"),
    (lambda: FeedForward(M=[2, 3, 1], theta={(1, 0): np.ones((3, 3)), (2, 0): np.ones((1, 4))}), ValueError,
     r"theta\[\(2, 0\)\] must have shape \(1, 3\) = \(M_2, M_0 \+ 1\); got \(1, 4\)"),
    (lambda: FeedForward(M=[2, 3, 1], theta=[np.ones((3, 3))]), TypeError, r"theta must be a dict"),
    (lambda: FeedForward(M=[2, 3, 1], g=["tanh"]), ValueError, r"g must list one activation per layer"),
    (lambda: FeedForward(M=[2, 3, 1], init="nope"), ValueError, r"init must be one of"),
])
def test_bad_construction(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_bad_X():
    ff = FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1), (2, 0)], seed=0)
    with pytest.raises(ValueError, match=r"X must have M_0 = 2 columns \(layer 0 size\); got shape \(4, 3\)"):
        ff.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"X must not contain NaN"):
        ff(np.array([np.nan, 1.0]))


@st.composite
def nets(draw):
    M = draw(st.lists(st.integers(1, 6), min_size=2, max_size=5))
    L = len(M) - 1
    edges = [(k, draw(st.integers(0, k - 1))) for k in range(1, L + 1)]  # one edge into every layer
    extra = draw(st.lists(st.tuples(st.integers(1, L), st.integers(0, L)), max_size=4))
    edges += [(k, kp) for k, kp in extra if kp < k and (k, kp) not in edges]
    edges = list(dict.fromkeys(edges))
    return M, edges


@settings(max_examples=40, deadline=None)
@given(net=nets(), N=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_random_graphs_forward_shapes(net, N, seed):
    M, edges = net
    ff = FeedForward(M=M, edges=edges, g="tanh", seed=seed)
    assert ff.edges == tuple(sorted(edges)) and ff.M == tuple(M)
    phi, s = ff.forward(np.random.default_rng(seed).normal(size=(N, M[0])))
    for k in range(1, len(M)):
        assert phi[k].shape == s[k].shape == (N, M[k])
    assert ff.D == sum(M[k] * (M[kp] + 1) for k, kp in edges) == ff.Theta.size
