"""nnlib.layers.attention: masked softmax, dot-product and additive attention, Embedding, and the encoder–decoder.

Every gradient is checked by central differences in float64 (relative error < 1e-6).
"""
import numpy as np
import pytest

from nnlib.layers import attention as att
from nnlib.gradcheck import check_grad, relative_error

RNG = np.random.default_rng(0)
N, T, D, DV = 3, 5, 4, 2
MASK = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], dtype=float)


def _data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, D)), rng.standard_normal((N, T, D)), rng.standard_normal((N, T, DV))


# ------------------------------------------------------------------------------------ softmax

def test_masked_softmax_sums_to_one_and_zero_at_padding():
    e = RNG.standard_normal((N, T))
    alpha = att.masked_softmax(e, MASK)
    assert np.allclose(alpha.sum(axis=1), 1)
    assert np.all(alpha[MASK == 0] == 0)
    # the real positions get the softmax of their own scores only
    assert np.allclose(alpha[1, :3], np.exp(e[1, :3]) / np.exp(e[1, :3]).sum())
    assert alpha[2, 0] == 1.0


def test_masked_softmax_is_stable_for_large_scores():
    e = np.array([[1000.0, -1000.0, 999.0]])
    alpha = att.masked_softmax(e)
    assert np.all(np.isfinite(alpha)) and np.isclose(alpha[0, 0], 1 / (1 + np.exp(-1)))


@pytest.mark.parametrize("mask, match", [
    (np.ones((N, T + 1)), "mask must have shape"),
    (np.full((N, T), 0.5), "only 0"),
    (np.vstack([np.ones((N - 1, T)), np.zeros((1, T))]), "at least one source position"),
])
def test_masked_softmax_bad_mask(mask, match):
    with pytest.raises(ValueError, match=match):
        att.masked_softmax(np.zeros((N, T)), mask)


# ---------------------------------------------------------------------------- dot product

@pytest.mark.parametrize("scaled", [False, True])
@pytest.mark.parametrize("with_V", [False, True])
def test_dot_attention_gradients(scaled, with_V):
    q, K, V = _data(1)
    V = V if with_V else None
    R = np.random.default_rng(2).standard_normal((N, DV if with_V else D))

    def loss(_):
        return float(np.sum(R * att.dot_attention(q, K, V, MASK, scaled)[0]))

    c, alpha, cache = att.dot_attention(q, K, V, MASK, scaled)
    g_q, g_K, g_V = att.dot_attention_backward(R, cache)
    if V is None:
        g_K = g_K + g_V
    assert check_grad(loss, lambda _: g_q, q) < 1e-6
    assert check_grad(loss, lambda _: g_K, K) < 1e-6
    if with_V:
        assert check_grad(loss, lambda _: g_V, V) < 1e-6


def test_dot_attention_values_by_the_formula():
    q, K, V = _data(3)
    for scaled, s in ((False, 1.0), (True, 1 / np.sqrt(D))):
        c, alpha, _ = att.dot_attention(q, K, V, MASK, scaled)
        for n in range(N):
            keep = MASK[n] == 1
            e = s * K[n, keep] @ q[n]
            a = np.exp(e) / np.exp(e).sum()
            assert np.allclose(alpha[n, keep], a) and np.allclose(c[n], a @ V[n, keep])
    # padding does not change the context: whatever the padded keys and values hold
    K2, V2 = K.copy(), V.copy()
    K2[MASK == 0], V2[MASK == 0] = 1e3, -1e3
    assert np.allclose(att.dot_attention(q, K2, V2, MASK)[0], att.dot_attention(q, K, V, MASK)[0])


def test_dot_attention_bad_input():
    q, K, V = _data()
    with pytest.raises(ValueError, match="q must have shape"):
        att.dot_attention(q[0], K)
    with pytest.raises(ValueError, match="K must have shape"):
        att.dot_attention(q, K[:2])
    with pytest.raises(ValueError, match="K must have d = 4"):
        att.dot_attention(q, K[:, :, :3])
    with pytest.raises(ValueError, match="V must have shape"):
        att.dot_attention(q, K, V[:, :2])
    with pytest.raises(ValueError, match="g_c must have the shape"):
        att.dot_attention_backward(np.zeros((N, 7)), att.dot_attention(q, K, V)[2])


# --------------------------------------------------------------------------------- additive

def test_additive_attention_gradients():
    q, K, V = _data(4)
    layer = att.AdditiveAttention(D, D, 6, seed=0)
    R = np.random.default_rng(5).standard_normal((N, DV))

    def loss(_):
        return float(np.sum(R * layer.forward(q, K, V, MASK)))

    layer.forward(q, K, V, MASK)
    g_q, g_K, g_V = layer.backward(R)
    grads = {k: g.copy() for k, g in layer.grads.items()}
    assert check_grad(loss, lambda _: g_q, q) < 1e-6
    assert check_grad(loss, lambda _: g_K, K) < 1e-6
    assert check_grad(loss, lambda _: g_V, V) < 1e-6
    for name, p in layer.params.items():
        assert check_grad(loss, lambda _, g=grads[name]: g, p) < 1e-6, name
    assert np.allclose(layer.alpha.sum(axis=1), 1) and np.all(layer.alpha[MASK == 0] == 0)


def test_additive_attention_formula_and_bad_shapes():
    q, K, V = _data(6)
    layer = att.AdditiveAttention(D, D, 3, seed=1)
    W_q, W_k, v = (layer.params[k] for k in ("W_q", "W_k", "v"))
    layer.forward(q, K)
    e = np.tanh(q[1] @ W_q.T + K[1] @ W_k.T) @ v
    assert np.allclose(layer.alpha[1], np.exp(e) / np.exp(e).sum())
    with pytest.raises(ValueError, match="W_q, W_k and v must have shapes"):
        att.additive_attention(q, K, W_q[:, :2], W_k, v)
    with pytest.raises(ValueError, match="M_a must be an integer"):
        att.AdditiveAttention(D, D, 0)
    with pytest.raises(RuntimeError, match="before forward"):
        att.AdditiveAttention(D, D, 2).backward(np.zeros((N, D)))


def test_dot_attention_layer():
    q, K, V = _data(7)
    layer = att.DotAttention(scaled=True)
    c = layer.forward(q, K, V, MASK)
    c2, alpha, cache = att.dot_attention(q, K, V, MASK, scaled=True)
    assert np.array_equal(c, c2) and np.array_equal(layer.alpha, alpha)
    g = layer.backward(np.ones_like(c))
    assert all(np.allclose(a, b) for a, b in zip(g, att.dot_attention_backward(np.ones_like(c), cache)))
    assert layer.params == {} and "scaled=True" in repr(layer)


# ------------------------------------------------------------------------------------ Embedding

def test_embedding_forward_is_a_row_lookup_and_backward_scatters():
    emb = att.Embedding(7, 3, seed=0)
    x = np.array([[1, 4, 1], [0, 6, 1]])
    y = emb.forward(x)
    assert y.shape == (2, 3, 3) and np.array_equal(y[0, 1], emb.params["W"][4])
    # the same as a dense layer without thresholds applied to one-hot vectors
    assert np.allclose(y, np.eye(7)[x] @ emb.params["W"])
    R = np.random.default_rng(1).standard_normal(y.shape)
    assert emb.backward(R) is None
    assert np.allclose(emb.grads["W"], np.einsum("ntv,ntm->vm", np.eye(7)[x], R))
    assert np.allclose(emb.grads["W"][1], R[0, 0] + R[0, 2] + R[1, 2])     # token 1 used three times
    assert np.all(emb.grads["W"][[2, 3, 5]] == 0)
    W = emb.params["W"]
    assert check_grad(lambda _: float(np.sum(R * emb.forward(x))), lambda _: emb.grads["W"].copy(), W) < 1e-6


def test_embedding_backward_overwrites_grads():
    emb = att.Embedding(5, 2, seed=0)
    x = np.array([0, 1])
    for _ in range(2):
        emb.forward(x)
        emb.backward(np.ones((2, 2)))
    assert np.array_equal(emb.grads["W"][:2], np.ones((2, 2)))


@pytest.mark.parametrize("x, error, match", [
    (np.array([0.0, 1.0]), TypeError, "integer token ids"),
    (np.array([0, 5]), ValueError, r"token ids in \[0, 4\]"),
    (np.array([-1, 2]), ValueError, "token ids"),
])
def test_embedding_bad_ids(x, error, match):
    with pytest.raises(error, match=match):
        att.Embedding(5, 2).forward(x)


def test_embedding_bad_sizes_and_grad_shape():
    with pytest.raises(ValueError, match="V must be an integer"):
        att.Embedding(0, 2)
    emb = att.Embedding(5, 2)
    emb.forward(np.array([1, 2]))
    with pytest.raises(ValueError, match="grad_y must have the shape"):
        emb.backward(np.ones((2, 3)))


# ------------------------------------------------------------------------------ encoder–decoder

X_IDS = np.array([[3, 1, 4, 1], [5, 2, 0, 0], [2, 0, 0, 0]])
X_MASK = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], dtype=float)
Y_IDS = np.array([[1, 3, 0], [2, 0, 0], [4, 0, 0]])          # eos = 0 ends every target
Y_MASK = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float)


@pytest.mark.parametrize("attention", ["dot", "additive", None])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_seq2seq_gradient_check(attention, cell):
    model = att.Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4, attention=attention, cell=cell, M_a=3, seed=1)
    rng = np.random.default_rng(2)
    for p in model.params.values():                            # weights of order 1: gradients far from 0
        p += rng.normal(0.0, 0.5, p.shape)
    model.gradient(X_IDS, X_MASK, Y_IDS, Y_MASK)
    grads = {k: g.copy() for k, g in model.grads.items()}
    for name, p in model.params.items():
        err = check_grad(lambda _: model.loss(X_IDS, X_MASK, Y_IDS, Y_MASK), lambda _, g=grads[name]: g, p, eps=1e-5)
        assert err < 1e-6, (name, err)


def test_seq2seq_padding_does_not_matter():
    model = att.Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4, attention="dot", seed=0)
    x2 = X_IDS.copy()
    x2[X_MASK == 0] = 5                                        # other ids at the padded source positions
    y2 = Y_IDS.copy()
    y2[Y_MASK == 0] = 3                                        # and at the padded target positions
    assert np.isclose(model.loss(X_IDS, X_MASK, Y_IDS, Y_MASK), model.loss(x2, X_MASK, y2, Y_MASK))
    # a sequence alone gives the same loss as in a padded batch (the loss is a mean over the real tokens)
    one = model.loss(X_IDS[2:, :1], X_MASK[2:, :1], Y_IDS[2:, :1], Y_MASK[2:, :1])
    logits = model.forward(X_IDS, X_MASK, model._teacher(Y_IDS))
    z = logits[2, 0] - logits[2, 0].max()
    assert np.isclose(one, -(z[Y_IDS[2, 0]] - np.log(np.exp(z).sum())))
    assert np.all(model.alpha[X_MASK[:, None, :].repeat(3, 1) == 0] == 0)


def test_seq2seq_greedy_matches_teacher_forcing_on_its_own_output():
    model = att.Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4, attention="additive", seed=3)
    tokens, alpha = model.greedy(X_IDS, X_MASK, max_len=6)
    assert tokens.shape == (3, 6) and alpha.shape == (3, 6, 4)
    logits = model.forward(X_IDS, X_MASK, model._teacher(tokens))
    ended = np.cumsum(tokens == 0, axis=1) > 0
    first = np.concatenate([np.ones((3, 1), bool), ~ended[:, :-1]], axis=1)   # steps up to and including eos
    assert np.array_equal(logits.argmax(axis=2)[first], tokens[first])
    assert np.allclose(model.alpha[first], alpha[first])
    assert np.all(tokens[~first] == 0)                          # after eos: eos


def test_seq2seq_learns_to_reverse_and_lengthen():
    # a toy task whose output is longer than its input: each token a -> (a, a) then eos
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 4, size=300)
    X = np.zeros((300, 3), dtype=int)
    XM = (np.arange(3) < lengths[:, None]).astype(float)
    X[XM > 0] = rng.integers(1, 5, size=int(XM.sum()))
    Y = np.zeros((300, 7), dtype=int)
    YM = (np.arange(7) < 2 * lengths[:, None] + 1).astype(float)
    for n in range(300):
        Y[n, :2 * lengths[n]] = np.repeat(X[n, :lengths[n]], 2)
    model = att.Seq2Seq(5, 5, eos=0, M_emb=8, M_h=24, attention="dot", seed=0)
    q0 = model.loss(X, XM, Y, YM)
    hist = model.fit(X, XM, Y, YM, epochs=25, B=32)
    assert hist.q[-1] < 0.05 * q0
    tokens, _ = model.greedy(X[:50], XM[:50], max_len=7)
    assert np.mean([np.array_equal(tokens[n], Y[n]) for n in range(50)]) > 0.9


def test_seq2seq_bad_input():
    with pytest.raises(ValueError, match=r"eos must be an integer in 0\.\.4 \(a token id, V_out = 5\); got 5"):
        att.Seq2Seq(6, 5, eos=5)
    with pytest.raises(ValueError, match="M_h must be an integer"):
        att.Seq2Seq(6, 5, eos=0, M_h=0)
    with pytest.raises(ValueError, match="attention must be"):
        att.Seq2Seq(6, 5, eos=0, attention="cosine")
    with pytest.raises(ValueError, match="cell must be"):
        att.Seq2Seq(6, 5, eos=0, cell="rnn")
    model = att.Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4)
    with pytest.raises(ValueError, match="x must have shape"):
        model.greedy(X_IDS[0])
    with pytest.raises(ValueError, match="1s then 0s"):
        model.greedy(X_IDS, X_MASK[:, ::-1])
    with pytest.raises(ValueError, match="at least one source position"):
        model.greedy(X_IDS, X_MASK * 0)
    with pytest.raises(ValueError, match="y must have shape"):
        model.gradient(X_IDS, X_MASK, Y_IDS[:2])
    with pytest.raises(ValueError, match="target token ids"):
        model.gradient(X_IDS, X_MASK, Y_IDS + 5)
    with pytest.raises(ValueError, match="token ids"):
        model.greedy(X_IDS + 6)
    assert "attention='dot'" in repr(model) and model.count_params() == sum(p.size for p in model.param_list)


# ------------------------------------------------------------------------------------------ beam search
def _table_step(P):
    """A decoder whose next-token probabilities depend on the previous token only: row P[prev]."""
    P = np.asarray(P, dtype=float)

    def step(prev, state):
        return np.log(P[prev]), np.zeros((len(prev), 1))

    return step


def _toy_greedy_is_worse():
    # tokens: 0 eos, 1 a, 2 b; 3 the start token
    P = np.full((4, 3), 1e-12)
    P[3, [1, 2]] = [0.6, 0.4]          # start: a is more probable than b ...
    P[1, [0, 1, 2]] = [0.45, 0.3, 0.25]  # ... but after a the end is likely only 0.45
    P[2, [0, 1]] = [0.9, 0.1]           # after b it is likely 0.9
    return P / P.sum(axis=1, keepdims=True)


def test_beam_search_finds_the_better_sequence_that_greedy_misses():
    step = _table_step(_toy_greedy_is_worse())
    greedy, s1 = att.beam_search(step, np.zeros((1, 1)), bos=3, eos=0, k=1, max_len=5)
    beam, s2 = att.beam_search(step, np.zeros((1, 1)), bos=3, eos=0, k=2, max_len=5)
    # by hand: greedy a, eos with 0.6·0.45 = 0.27; beam b, eos with 0.4·0.9 = 0.36
    assert greedy == [1, 0] and np.isclose(s1, np.log(0.6 * 0.45))
    assert beam == [2, 0] and np.isclose(s2, np.log(0.4 * 0.9))


def test_a_wider_beam_can_lose_what_greedy_finds():
    # tokens: 0 eos, 1 a, 2 b, 3 c, 4 and 5 two dead ends; 6 the start token
    P = np.full((7, 6), 1e-12)
    P[6, [1, 2, 3]] = [0.4, 0.35, 0.25]
    P[1, [0, 1, 2, 3, 4, 5]] = [0.05, 0.05, 0.05, 0.4, 0.3, 0.15]   # a: c is best (0.4·0.4 = 0.16)
    P[2, [4, 5]] = [0.5, 0.5]                                       # b: two partial sequences of 0.175
    P[3, 0] = 1.0                                                   # c: then the end
    P[4] = P[5] = 1 / 6                                             # the dead ends: every token 1/6
    step = _table_step(P / P.sum(axis=1, keepdims=True))
    greedy, s1 = att.beam_search(step, np.zeros((1, 1)), bos=6, eos=0, k=1, max_len=6)
    beam, s2 = att.beam_search(step, np.zeros((1, 1)), bos=6, eos=0, k=2, max_len=6)
    assert greedy == [1, 3, 0] and np.isclose(s1, np.log(0.16))
    # a, c (0.16) is pushed out by b, z1 and b, z2 (0.175 each), which end at 0.175/6 or less
    assert beam[:2] in ([2, 4], [2, 5]) and s2 <= np.log(0.175 / 6) + 1e-9 < s1


@pytest.mark.parametrize("attention, cell", [("dot", "gru"), ("additive", "gru"), (None, "gru"),
                                             ("additive", "lstm")])
def test_seq2seq_beam_of_width_one_is_greedy_and_wider_beams_score_no_worse_here(attention, cell):
    rng = np.random.default_rng(0)
    model = att.Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4, attention=attention, cell=cell, seed=1)
    for p in model.params.values():
        p += rng.normal(0.0, 1.0, p.shape)           # weights of order 1: peaked, varied distributions
    x = rng.integers(0, 6, size=(30, 4))
    greedy, _ = model.greedy(x, max_len=6)
    tokens1, scores1 = model.beam(x, k=1, max_len=6)
    assert np.array_equal(tokens1, greedy)
    for k in (2, 4):
        _, scores_k = model.beam(x, k=k, max_len=6)
        # not a theorem (test_a_wider_beam_can_lose_what_greedy_finds), but true on these 30 inputs
        assert np.all(scores_k >= scores1 - 1e-12)


def test_seq2seq_beam_score_is_the_log_probability_of_its_sequence():
    rng = np.random.default_rng(1)
    model = att.Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4, attention="additive", seed=2)
    for p in model.params.values():
        p += rng.normal(0.0, 1.0, p.shape)
    x = rng.integers(0, 6, size=(8, 3))
    tokens, scores = model.beam(x, k=3, max_len=5)
    for n in range(len(x)):
        row = list(tokens[n])
        length = row.index(0) + 1 if 0 in row else len(row)
        y = np.array([row[:length]])
        # teacher forcing's mean cross-entropy over the tokens, times their number, is −log P
        assert np.isclose(-model.loss(x[n:n + 1], None, y) * length, scores[n], rtol=1e-10)


def test_beam_search_bad_input():
    step = _table_step(_toy_greedy_is_worse())
    with pytest.raises(ValueError, match="k must be an integer"):
        att.beam_search(step, np.zeros((1, 1)), bos=3, eos=0, k=0, max_len=5)
    with pytest.raises(ValueError, match="max_len must be an integer"):
        att.beam_search(step, np.zeros((1, 1)), bos=3, eos=0, k=2, max_len=2.0)
    with pytest.raises(ValueError, match=r"shape \(n, V\) = \(1, V\)"):
        att.beam_search(lambda prev, s: (np.zeros(3), s), np.zeros((1, 1)), bos=3, eos=0, k=2, max_len=5)
    model = att.Seq2Seq(6, 5, eos=0, M_emb=3, M_h=4)
    with pytest.raises(ValueError, match="k must be an integer"):
        model.beam(X_IDS, k=-1)
