"""nnlib.layers.recurrent: every cell gradient-checked in float64 (full BPTT, truncated BPTT, masks, the step API)."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer, numerical_gradient, relative_error
from nnlib.layers import Dense, Layer
from nnlib.layers.recurrent import GRU, LSTM, Elman, LastStep, PerStep, SecondOrderRNN, SimpleRNN, pad_sequences

M_IN, M_H, M_OUT = 4, 3, 2


def make(name, seed=1, **kw):
    return {"SimpleRNN": lambda: SimpleRNN(M_IN, M_H, seed=seed, **kw),
            "Elman": lambda: Elman(M_IN, M_H, M_OUT, seed=seed, **kw),
            "SecondOrderRNN": lambda: SecondOrderRNN(M_IN, M_H, seed=seed, **kw),
            "LSTM": lambda: LSTM(M_IN, M_H, seed=seed, **kw),
            "GRU": lambda: GRU(M_IN, M_H, seed=seed, **kw)}[name]()


NAMES = ["SimpleRNN", "Elman", "SecondOrderRNN", "LSTM", "GRU"]
CELLS = ["SimpleRNN", "SecondOrderRNN", "LSTM", "GRU"]          # state = output


def seq(N=3, T=6, seed=0):
    return np.random.default_rng(seed).standard_normal((N, T, M_IN))


def random_state(layer, N, seed=5):
    rng = np.random.default_rng(seed)
    parts = tuple(0.5 * rng.standard_normal((N, M_H)) for _ in range(2 if isinstance(layer, LSTM) else 1))
    return parts if isinstance(layer, LSTM) else parts[0]


class With(Layer):
    """A recurrent layer with fixed keyword arguments to forward (mask, h0), for check_layer."""

    def __init__(self, layer, **kw):
        super().__init__()
        self.layer, self.kw = layer, kw
        self.params, self.grads = layer.params, layer.grads

    def forward(self, x, train=False):
        return self.layer.forward(x, train, **self.kw)

    def backward(self, grad_y):
        return self.layer.backward(grad_y)


def assert_checked(errors, tol=1e-6):
    assert max(errors.values()) < tol, errors


# ------------------------------------------------------------------ full BPTT
@pytest.mark.parametrize("name", NAMES)
def test_full_bptt_passes_gradient_check(name):
    assert_checked(check_layer(make(name), seq()))


@pytest.mark.parametrize("name", NAMES)
def test_gradient_check_from_a_random_initial_state(name):
    layer = make(name)
    assert_checked(check_layer(With(layer, h0=random_state(layer, 3)), seq()))


@pytest.mark.parametrize("name", NAMES)
def test_grad_h0_and_grad_last_match_central_differences(name):
    layer = make(name)
    x = seq()
    h0 = random_state(layer, 3)
    h0_parts = h0 if isinstance(h0, tuple) else (h0,)
    Y = layer.forward(x, h0=h0)
    rng = np.random.default_rng(3)
    R = rng.standard_normal(Y.shape)
    last = layer.last_state
    R_last = tuple(rng.standard_normal(p.shape) for p in (last if isinstance(last, tuple) else (last,)))

    def q(_):
        Y = layer.forward(x, h0=h0)
        last = layer.last_state
        parts = last if isinstance(last, tuple) else (last,)
        return float(np.sum(R * Y) + sum(np.sum(r * p) for r, p in zip(R_last, parts)))

    q(None)
    layer.backward(R, grad_last=R_last if isinstance(last, tuple) else R_last[0])
    g0 = layer.grad_h0 if isinstance(layer.grad_h0, tuple) else (layer.grad_h0,)
    analytic = {k: v.copy() for k, v in layer.grads.items()}
    for part, g in zip(h0_parts, g0):
        assert relative_error(g, numerical_gradient(q, part)) < 1e-6
    for k, p in layer.params.items():
        assert relative_error(analytic[k], numerical_gradient(q, p)) < 1e-6, k


# ------------------------------------------------------------------ truncated BPTT
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("k", [1, 2, 4])
def test_truncated_bptt_is_the_gradient_with_constant_states_at_block_boundaries(name, k):
    """Definition: cut the sequence into blocks of k steps; the state entering a block is a constant."""
    layer = make(name)
    x, T = seq(T=7), 7
    Y = layer.forward(x)
    R = np.random.default_rng(2).standard_normal(Y.shape)
    # the states entering each block, from the full forward pass, frozen
    boundary = {}
    state = layer.initial_state(3)
    for t in range(T):
        if t % k == 0:
            boundary[t] = state
        _, state, _ = layer.step(x[:, t], state)

    def q_blocks(_):
        total = 0.0
        for t0 in range(0, T, k):
            Yb = layer.forward(x[:, t0:t0 + k], h0=boundary[t0])
            total += float(np.sum(R[:, t0:t0 + k] * Yb))
        return total

    assert q_blocks(None) == pytest.approx(float(np.sum(R * Y)))     # the forward pass is unchanged
    layer.truncate = k
    layer.forward(x)
    gx = layer.backward(R)
    analytic = {n: g.copy() for n, g in layer.grads.items()}
    assert relative_error(gx, numerical_gradient(q_blocks, x)) < 1e-6
    for n, p in layer.params.items():
        assert relative_error(analytic[n], numerical_gradient(q_blocks, p)) < 1e-6, n
    if k < T:   # truncation changes the gradient
        layer.truncate = None
        layer.forward(x)
        layer.backward(R)
        assert max(relative_error(analytic[n], layer.grads[n]) for n in analytic) > 1e-3


def test_truncate_larger_than_the_sequence_is_full_bptt():
    layer, x = make("LSTM"), seq()
    R = np.ones((3, 6, M_H))
    layer.forward(x)
    full = layer.backward(R).copy()
    layer.truncate = 50
    layer.forward(x)
    np.testing.assert_allclose(layer.backward(R), full, rtol=1e-14)


def test_bad_truncate_raises():
    layer = make("GRU")
    layer.forward(seq())
    layer.truncate = 0
    with pytest.raises(ValueError, match="truncate"):
        layer.backward(np.ones((3, 6, M_H)))


# ------------------------------------------------------------------ masks
def padded(layer_seed=0):
    rng = np.random.default_rng(layer_seed)
    seqs = [rng.standard_normal((T, M_IN)) for T in (5, 2, 4)]
    return seqs, pad_sequences(seqs)


@pytest.mark.parametrize("name", NAMES)
def test_mask_gives_each_sequence_its_own_length(name):
    layer = make(name)
    seqs, (x, mask) = padded()
    Y = layer.forward(x, mask=mask)
    last = layer.last_state
    for n, s in enumerate(seqs):
        T = s.shape[0]
        Yn = layer.forward(s[None])
        np.testing.assert_allclose(Y[n, :T], Yn[0], rtol=1e-12, atol=1e-14)
        assert np.all(Y[n, T:] == 0)
        alone = layer.last_state
        for a, b in zip(last if isinstance(last, tuple) else (last,), alone if isinstance(alone, tuple) else (alone,)):
            np.testing.assert_allclose(a[n], b[0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_masked_gradient_check_and_zero_gradient_at_padding(name):
    layer = make(name)
    _, (x, mask) = padded()
    assert_checked(check_layer(With(layer, mask=mask), x))
    layer.forward(x, mask=mask)
    gx = layer.backward(np.ones(layer.forward(x, mask=mask).shape))
    assert np.all(gx[mask == 0] == 0)


def test_bad_mask_raises():
    layer, x = make("LSTM"), seq()
    with pytest.raises(ValueError, match="mask must have shape"):
        layer.forward(x, mask=np.ones((3, 5)))
    with pytest.raises(ValueError, match="mask must hold only 0"):
        layer.forward(x, mask=np.full((3, 6), 0.5))


# ------------------------------------------------------------------ step API
@pytest.mark.parametrize("name", NAMES)
def test_step_by_step_equals_forward_and_step_backward_equals_backward(name):
    layer, x = make(name), seq()
    R = np.random.default_rng(4).standard_normal(layer.forward(x).shape)
    Y = layer.forward(x)
    gx = layer.backward(R)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    state, caches, outs = layer.initial_state(3), [], []
    for t in range(x.shape[1]):
        y, state, cache = layer.step(x[:, t], state)
        outs.append(y)
        caches.append(cache)
    np.testing.assert_allclose(np.stack(outs, axis=1), Y, rtol=1e-12, atol=1e-14)
    layer.zero_grad()
    gstate, gxs = None, []
    for t in reversed(range(x.shape[1])):
        g, gstate = layer.step_backward(R[:, t], gstate, caches[t])
        gxs.append(g)
    np.testing.assert_allclose(np.stack(gxs[::-1], axis=1), gx, rtol=1e-10, atol=1e-12)
    for k in grads:
        np.testing.assert_allclose(layer.grads[k], grads[k], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_step_api_gradient_check(name):
    """A decoder-like loop: the input of step t+1 depends on the output of step t."""
    layer = make(name)
    N, T = 2, 4
    x0 = np.random.default_rng(6).standard_normal((N, M_IN))
    out_size = M_OUT if name == "Elman" else M_H
    P = np.random.default_rng(7).standard_normal((out_size, M_IN))      # feedback: x_{t+1} = tanh(y_t P)
    R = np.random.default_rng(8).standard_normal((T, N, out_size))

    def run():
        state, x_t, q, caches = layer.initial_state(N), x0, 0.0, []
        for t in range(T):
            y, state, cache = layer.step(x_t, state)
            q += float(np.sum(R[t] * y))
            caches.append((cache, y))
            x_t = np.tanh(y @ P)
        return q, caches

    _, caches = run()
    layer.zero_grad()
    gstate, g_next = None, np.zeros((N, M_IN))
    for t in reversed(range(T)):
        cache, y = caches[t]
        g_y = R[t].copy()
        if t < T - 1:
            g_y += (g_next * (1 - np.tanh(y @ P) ** 2)) @ P.T
        g_next, gstate = layer.step_backward(g_y, gstate, cache)
    analytic = {k: v.copy() for k, v in layer.grads.items()}
    assert relative_error(g_next, numerical_gradient(lambda _: run()[0], x0)) < 1e-6
    for k, p in layer.params.items():
        assert relative_error(analytic[k], numerical_gradient(lambda _: run()[0], p)) < 1e-6, k


# ------------------------------------------------------------------ helpers and details
def test_per_step_and_last_step_pass_gradient_check():
    assert_checked(check_layer(PerStep(Dense(M_IN, 2, seed=0)), seq()))
    assert_checked(check_layer(LastStep(), seq()))


def test_per_step_is_the_mlp_applied_at_every_step():
    dense, x = Dense(M_IN, 2, seed=0), seq()
    Y = PerStep(dense).forward(x)
    for t in range(x.shape[1]):
        np.testing.assert_allclose(Y[:, t], dense.forward(x[:, t]), rtol=1e-14)


def test_lstm_forget_gate_bias_starts_at_one():
    b = LSTM(M_IN, M_H).params["b"]
    np.testing.assert_array_equal(b[M_H:2 * M_H], 1.0)
    assert np.all(b[:M_H] == 0) and np.all(b[2 * M_H:] == 0)


def test_second_order_start_state():
    h = SecondOrderRNN(M_IN, M_H).initial_state(2)
    np.testing.assert_array_equal(h, [[1, 0, 0], [1, 0, 0]])


def test_simple_rnn_is_the_slides_recurrence():
    layer, x = SimpleRNN(M_IN, M_H, seed=3), seq()
    p = layer.params
    y = np.zeros((3, M_H))
    H = layer.forward(x)
    for n in range(x.shape[1]):
        y = np.tanh(y @ p["W_Y"].T + x[:, n] @ p["W_X"].T + p["b"])    # y_n = f(W^Y y_{n-1} + W^X x_n + b)
        np.testing.assert_allclose(H[:, n], y, rtol=1e-13)


def sigma(z):
    """The logistic function as the docstrings write it, σ(z) = 1 / (1 + exp(−z)) (moderate z only)."""
    return 1.0 / (1.0 + np.exp(-z))


def blocks(layer, k):
    """The stacked W, U, b of a gated layer split into its k per-gate blocks, in stacking order."""
    return [np.split(layer.params[name], k) for name in ("W", "U", "b")]


def test_elman_is_a_recurrent_layer_and_a_perceptron_at_every_step():
    layer, x = Elman(M_IN, M_H, M_OUT, seed=3), seq()
    p = layer.params
    h = np.zeros((3, M_H))
    Y = layer.forward(x)
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ p["W_X"].T + h @ p["W_Y"].T + p["b"])    # h_t = f(W^X x_t + W^Y h_{t-1} + b)
        y = np.hstack([np.ones((3, 1)), h]) @ p["theta"].T              # y_t = θ h̃_t, h̃_t = [1, h_t]
        np.testing.assert_allclose(Y[:, t], y, rtol=1e-13, atol=1e-15)


def test_lstm_forward_is_its_docstring_equations_step_by_step():
    layer, x = LSTM(M_IN, M_H, seed=3), seq()
    (W_i, W_f, W_g, W_o), (U_i, U_f, U_g, U_o), (b_i, b_f, b_g, b_o) = blocks(layer, 4)
    h, c = random_state(layer, 3)
    H = layer.forward(x, h0=(h, c))
    for t in range(x.shape[1]):
        x_t = x[:, t]
        i = sigma(x_t @ W_i.T + h @ U_i.T + b_i)
        f = sigma(x_t @ W_f.T + h @ U_f.T + b_f)
        g = np.tanh(x_t @ W_g.T + h @ U_g.T + b_g)
        o = sigma(x_t @ W_o.T + h @ U_o.T + b_o)
        c = f * c + i * g
        h = o * np.tanh(c)
        np.testing.assert_allclose(H[:, t], h, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(layer.last_state[1], c, rtol=1e-12, atol=1e-15)


def test_gru_forward_is_its_docstring_equations_step_by_step():
    layer, x = GRU(M_IN, M_H, seed=3), seq()
    (W_r, W_z, W_h), (U_r, U_z, U_h), (b_r, b_z, b_h) = blocks(layer, 3)
    h = random_state(layer, 3)
    H = layer.forward(x, h0=h)
    for t in range(x.shape[1]):
        x_t = x[:, t]
        r = sigma(x_t @ W_r.T + h @ U_r.T + b_r)
        z = sigma(x_t @ W_z.T + h @ U_z.T + b_z)
        h_tilde = np.tanh(x_t @ W_h.T + (r * h) @ U_h.T + b_h)
        h = z * h + (1 - z) * h_tilde
        np.testing.assert_allclose(H[:, t], h, rtol=1e-12, atol=1e-15)


def test_gate_formulas_would_catch_swapped_gates():
    """The transcriptions above can fail: with the LSTM's i and f blocks swapped the outputs differ."""
    layer, x = LSTM(M_IN, M_H, seed=3), seq()
    H = layer.forward(x)
    M = M_H
    for name in ("W", "U", "b"):
        P = layer.params[name]
        P[:M], P[M:2 * M] = P[M:2 * M].copy(), P[:M].copy()
    assert np.abs(layer.forward(x) - H).max() > 1e-3


def test_float32_stays_float32():
    layer = LSTM(M_IN, M_H, dtype=np.float32)
    H = layer.forward(seq().astype(np.float32))
    assert H.dtype == np.float32
    assert layer.backward(np.ones_like(H)).dtype == np.float32
    assert all(g.dtype == np.float32 for g in layer.grads.values())


def test_no_overflow_warning_for_huge_inputs():
    for name in NAMES:
        layer = make(name)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            Y = layer.forward(1e3 * seq())
            layer.backward(np.ones_like(Y))


def test_params_are_updated_in_place_and_grads_keep_their_arrays():
    layer = make("Elman")
    ids = {k: id(v) for k, v in layer.grads.items()}
    Y = layer.forward(seq())
    layer.backward(np.ones_like(Y))
    assert {k: id(v) for k, v in layer.grads.items()} == ids
    assert layer.rnn.grads["W_Y"] is layer.grads["W_Y"]


# ------------------------------------------------------------------ the LSTM's fused loop
def lstm_run(layer, x, R, h0=None, grad_last=None):
    """Everything a forward + backward gives: H, the last state, ∂q/∂x, ∂q/∂h0 and the weight gradients."""
    H = layer.forward(x, h0=h0)
    last = tuple(a.copy() for a in layer.last_state)
    gx = layer.backward(R, grad_last=grad_last)
    return [H.copy(), *last, gx.copy(), *(g.copy() for g in layer.grad_h0),
            *(layer.grads[k].copy() for k in ("W", "U", "b"))]


def relative_differences(a, b):
    return [float(np.abs(u - v).max() / max(np.abs(v).max(), 1e-300)) for u, v in zip(a, b)]


@pytest.mark.parametrize("N, T, M_in, M_h, k, start", [
    (3, 6, 4, 3, None, False), (5, 7, 2, 5, 3, True), (1, 1, 3, 2, None, True), (4, 9, 6, 8, 1, False),
    (2, 12, 5, 4, 5, True)])
def test_lstm_fused_loop_equals_the_cell_by_cell_formulas(N, T, M_in, M_h, k, start):
    """The fused loop (the default for whole sequences without a mask) gives the numbers of the code the book
    shows (LSTM._cell, LSTM._cell_backward in Recurrent.forward/backward) to 1e-12 in float64."""
    rng = np.random.default_rng(N * 100 + T)
    x, R = rng.standard_normal((N, T, M_in)), rng.standard_normal((N, T, M_h))
    h0 = (rng.standard_normal((N, M_h)), rng.standard_normal((N, M_h))) if start else None
    grad_last = (rng.standard_normal((N, M_h)), rng.standard_normal((N, M_h))) if start else None
    fused, cells = LSTM(M_in, M_h, seed=2), LSTM(M_in, M_h, seed=2)
    for layer in (fused, cells):
        layer.params["b"][:] = np.linspace(-2, 2, 4 * M_h)             # every gate away from its start
        layer.truncate = k
    cells.fast = False
    errors = relative_differences(lstm_run(fused, x, R, h0, grad_last), lstm_run(cells, x, R, h0, grad_last))
    assert max(errors) < 1e-12, errors
    assert isinstance(fused._cache[2], tuple) and isinstance(cells._cache[2], list)   # both paths ran


def test_lstm_fused_loop_in_float32_agrees_with_float64():
    x, R = seq(4, 8), np.random.default_rng(1).standard_normal((4, 8, M_H))
    ref = lstm_run(LSTM(M_IN, M_H, seed=1), x, R)
    single = LSTM(M_IN, M_H, seed=1, dtype=np.float32)
    single.params.update({k: v.astype(np.float32) for k, v in LSTM(M_IN, M_H, seed=1).params.items()})
    out = lstm_run(single, x.astype(np.float32), R.astype(np.float32))
    assert all(a.dtype == np.float32 for a in out)
    assert max(relative_differences(out, ref)) < 1e-5


def test_lstm_fused_loop_reuses_its_arrays_without_aliasing_what_it_returns():
    layer, x, R = LSTM(M_IN, M_H, seed=1), seq(3, 6), np.random.default_rng(2).standard_normal((3, 6, M_H))
    first = lstm_run(layer, x, R)
    H, gx, last = layer.forward(x), layer.backward(R), layer.last_state
    for i in range(2):                                                 # other shapes, then the first again
        y = seq(2 + i, 4 + i, seed=i)
        layer.backward(np.ones_like(layer.forward(y)))
    H2 = layer.forward(2 * x)
    layer.backward(R)
    np.testing.assert_array_equal(H, first[0])                         # earlier results are untouched
    np.testing.assert_array_equal(gx, first[3])
    np.testing.assert_array_equal(last[1], first[2])
    assert not np.shares_memory(H, H2)
    assert lstm_run(layer, x, R)[0].tolist() == first[0].tolist()
    again = layer.backward(R)                                          # a second backward of one forward
    np.testing.assert_array_equal(again, first[3])


def test_lstm_backward_params_fills_the_grads_of_backward():
    """The first layer of a network in training skips ∂q/∂x (Sequential.fit calls _backward_params)."""
    x, R = seq(), np.random.default_rng(3).standard_normal((3, 6, M_H))
    for fast in (True, False):
        layer = LSTM(M_IN, M_H, seed=1)
        layer.fast, layer.truncate = fast, 4
        layer.forward(x)
        layer.backward(R)
        want = {k: g.copy() for k, g in layer.grads.items()}
        layer.forward(x)
        layer._backward_params(R)
        for k in want:
            np.testing.assert_allclose(layer.grads[k], want[k], rtol=1e-14, atol=1e-15)


def test_lstm_fused_loop_keeps_only_small_work_arrays():
    layer, x, R = LSTM(M_IN, M_H, seed=1), seq(), np.random.default_rng(2).standard_normal((3, 6, M_H))
    want = lstm_run(layer, x, R)
    assert layer._buffers and all(a.nbytes <= layer._keep_bytes for a in layer._buffers.values())
    large = LSTM(M_IN, M_H, seed=1)
    large._keep_bytes = 0                                              # as for a batch too large to keep
    assert max(relative_differences(lstm_run(large, x, R), want)) == 0
    assert not large._buffers


def test_lstm_fast_flag_and_mask_choose_the_cell_by_cell_path():
    layer, x = LSTM(M_IN, M_H, seed=1), seq()
    layer.forward(x)
    assert isinstance(layer._cache[2], tuple)
    layer.forward(x, mask=np.ones(x.shape[:2]))
    assert isinstance(layer._cache[2], list)
    layer.fast = False
    layer.forward(x)
    assert isinstance(layer._cache[2], list)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("cls", [SimpleRNN, SecondOrderRNN, LSTM, GRU])
def test_hidden_size_zero_raises(cls):
    with pytest.raises(ValueError, match="M_h must be an integer >= 1; got 0"):
        cls(M_IN, 0)


def test_elman_sizes_raise():
    with pytest.raises(ValueError, match="M_h"):
        Elman(M_IN, 0, 2)
    with pytest.raises(ValueError, match="M_out"):
        Elman(M_IN, 3, 0)


@pytest.mark.parametrize("name", NAMES)
def test_state_of_the_wrong_shape_raises(name):
    layer = make(name)
    bad = (np.zeros((3, M_H + 1)), np.zeros((3, M_H + 1))) if name == "LSTM" else np.zeros((3, M_H + 1))
    with pytest.raises(ValueError, match=r"h0 must be .*shape \(3, 3\)"):
        layer.forward(seq(), h0=bad)
    with pytest.raises(ValueError, match="state must be"):
        layer.step(seq()[:, 0], bad)


def test_lstm_state_must_be_a_pair():
    with pytest.raises(ValueError, match=r"h0 must be a pair \(h, c\)"):
        LSTM(M_IN, M_H).forward(seq(), h0=np.zeros((3, M_H)))


def test_sequences_of_different_lengths_without_mask_raise():
    seqs, _ = padded()
    with pytest.raises(ValueError, match=r"x holds sequences of different lengths \[2, 4, 5\].*mask="):
        LSTM(M_IN, M_H).forward(seqs)


def test_list_of_equal_lengths_is_accepted():
    x = seq()
    layer = GRU(M_IN, M_H)
    np.testing.assert_array_equal(layer.forward(list(x)), layer.forward(x))


def test_wrong_input_size_raises():
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, M_in\) = \(N, T, 4\)"):
        GRU(M_IN, M_H).forward(np.zeros((2, 3, 5)))
    with pytest.raises(ValueError, match=r"x_t must have shape \(N, M_in\)"):
        GRU(M_IN, M_H).step(np.zeros((2, 5)), np.zeros((2, M_H)))


def test_backward_before_forward_and_bad_grad_raise():
    layer = make("SimpleRNN")
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((3, 6, M_H)))
    layer.forward(seq())
    with pytest.raises(ValueError, match="grad_y must have the shape"):
        layer.backward(np.zeros((3, 5, M_H)))


def test_pad_sequences():
    x, mask = pad_sequences([np.ones((3, 2)), 2 * np.ones((1, 2))])
    assert x.shape == (2, 3, 2) and mask.tolist() == [[1, 1, 1], [1, 0, 0]]
    assert x[1, 0, 0] == 2 and x[1, 1:].sum() == 0
    with pytest.raises(ValueError, match=r"seqs\[1\] must have shape"):
        pad_sequences([np.ones((3, 2)), np.ones((2, 3))])


# ------------------------------------------------------------------ property: padding never leaks
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(lengths=st.lists(st.integers(1, 6), min_size=1, max_size=4), name=st.sampled_from(NAMES),
       seed=st.integers(0, 1000))
def test_padding_never_changes_a_sequence(lengths, name, seed):
    rng = np.random.default_rng(seed)
    seqs = [rng.standard_normal((T, M_IN)) for T in lengths]
    x, mask = pad_sequences(seqs)
    x[mask == 0] = rng.standard_normal(((mask == 0).sum(), M_IN))    # garbage in the padding
    layer = make(name)
    Y = layer.forward(x, mask=mask)
    for n, s in enumerate(seqs):
        np.testing.assert_allclose(Y[n, :len(s)], layer.forward(s[None])[0], rtol=1e-12, atol=1e-14)
