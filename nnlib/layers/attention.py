r"""Attention and the encoder–decoder (sequence-to-sequence) model of the slide "Procesado de secuencias generales".

Attention (*mecanismo de atención*) lets the decoder look back at every position of the encoded input. At
each output step a query :math:`\mathbf{q}` (the decoder's state) is compared with the keys
:math:`\mathbf{k}_1, \dots, \mathbf{k}_T` (the encoder's states) by a score :math:`e_j`; a softmax over the
source positions turns the scores into weights :math:`\alpha_j` that sum to 1, and the context is the
weighted mean of the values (the encoder's states again):

.. math:: e_j = \mathrm{score}(\mathbf{q}, \mathbf{k}_j), \qquad
          \alpha_j = \frac{\exp e_j}{\sum_{j'} \exp e_{j'}}, \qquad
          \mathbf{c} = \sum_j \alpha_j \mathbf{v}_j

Two scores: the dot product :math:`e_j = \mathbf{q}\cdot\mathbf{k}_j` (Luong et al. 2015; divided by
:math:`\sqrt{d}` it is the *scaled* dot product of Vaswani et al. 2017) and the additive score
:math:`e_j = \mathbf{v}\cdot\tanh(W_q \mathbf{q} + W_k \mathbf{k}_j)` (Bahdanau et al. 2015).
Padded source positions (``mask == 0``) get weight exactly 0.

Batches are rows: ``q`` has shape (N, d), ``K`` and ``V`` (N, T, d) and (N, T, d_v), ``mask`` (N, T).
The functions return what the backward pass needs (a ``cache``); the backward functions return the
gradients of a scalar q with respect to every input, given :math:`\partial q/\partial \mathbf{c}`.
"""


import numpy as np

from .. import losses
from .. import init as _init
from .._validate import as_real_array, check_float_dtype, check_int
from .dense import Dense
from .base import Layer
from ..optim import Adam
from .sequential import FitHistory, check_training_options, update
from ..loop import BLOWUP, DivergenceCheck, blocks, run

__all__ = ["masked_softmax", "masked_softmax_backward", "dot_attention", "dot_attention_backward",
           "additive_attention", "additive_attention_backward", "DotAttention", "AdditiveAttention",
           "Embedding", "Seq2Seq", "beam_search"]


# ------------------------------------------------------------------------------------------ softmax

def _check_mask(mask, shape, name="mask", what="source position"):
    """`name` as a float array of 0/1 of `shape` (None: all ones); every row keeps at least one `what`."""
    if mask is None:
        return np.ones(shape)
    mask = as_real_array(mask, name)
    if mask.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)} (samples, {what}s); got shape {mask.shape}")
    if not np.isin(mask, (0, 1)).all():
        raise ValueError(f"{name} must hold only 0 (padding) and 1 (a real {what}); got other values, e.g. "
                         f"{mask[~np.isin(mask, (0, 1))].ravel()[:3].tolist()}")
    empty = np.flatnonzero(mask.sum(axis=-1) == 0)
    if empty.size:
        raise ValueError(f"{name} must keep at least one {what} per sample; row(s) {empty[:5].tolist()} of {name} "
                         f"are all 0")
    return mask


def masked_softmax(e, mask=None):
    r"""Attention weights :math:`\alpha_j = \exp(e_j) / \sum_{j'} \exp(e_{j'})` over the last axis, the
    sum running over the real positions only (``mask == 1``); padded positions get :math:`\alpha_j = 0`.

    Stable: the largest real score is subtracted first. `e` has shape (N, T) with T >= 1 source positions,
    `mask` (N, T) of 0/1.
    """
    e = as_real_array(e, "e")
    if e.ndim < 1 or e.shape[-1] == 0:
        raise ValueError(f"e must have at least one source position (shape (N, T) with T >= 1) to take a softmax "
                         f"over; got shape {e.shape}")
    mask = _check_mask(mask, e.shape)
    m = np.where(mask > 0, e, -np.inf).max(axis=-1, keepdims=True)
    a = np.exp(np.where(mask > 0, e - m, 0.0)) * mask
    return a / a.sum(axis=-1, keepdims=True)


def masked_softmax_backward(g_alpha, alpha):
    r""":math:`\partial q/\partial e_j = \alpha_j\,(\partial q/\partial \alpha_j - \sum_{j'} \alpha_{j'}\,
    \partial q/\partial \alpha_{j'})`: the softmax Jacobian–vector product (0 at padded positions)."""
    return alpha * (g_alpha - np.sum(alpha * g_alpha, axis=-1, keepdims=True))


def _check_qkv(q, K, V):
    q = as_real_array(q, "q")
    K = as_real_array(K, "K")
    if q.ndim != 2:
        raise ValueError(f"q must have shape (N, d): one query per sample; got shape {q.shape}")
    if K.ndim != 3 or K.shape[0] != q.shape[0]:
        raise ValueError(f"K must have shape (N, T, d_k) with N = {q.shape[0]} (the samples of q); got shape {K.shape}")
    if K.shape[1] == 0:
        raise ValueError(f"K must hold at least one source position (T >= 1) to attend to; got shape {K.shape}")
    if V is None:
        V = K
    else:
        V = as_real_array(V, "V")
        if V.ndim != 3 or V.shape[:2] != K.shape[:2]:
            raise ValueError(f"V must have shape (N, T, d_v) with (N, T) = {K.shape[:2]} as in K; got shape {V.shape}")
    return q, K, V


# ---------------------------------------------------------------------------------- dot product

def dot_attention(q, K, V=None, mask=None, scaled=False):
    r"""Dot-product attention: :math:`e_j = \mathbf{q}\cdot\mathbf{k}_j`
    (Luong et al. 2015), or :math:`e_j = \mathbf{q}\cdot\mathbf{k}_j / \sqrt{d}`
    with ``scaled=True`` (Vaswani et al. 2017).

    Parameters
    ----------
    q : array, shape (N, d)
        One query per sample (the decoder's state).
    K : array, shape (N, T, d)
        The keys: one vector per source position (the encoder's states).
    V : array, shape (N, T, d_v), optional
        The values averaged into the context (default: the keys).
    mask : array of 0/1, shape (N, T), optional
        1 for a real source position, 0 for padding.
    scaled : bool
        Divide the scores by :math:`\sqrt{d}`.

    Returns
    -------
    c : array, shape (N, d_v)
        The context :math:`\mathbf{c} = \sum_j \alpha_j \mathbf{v}_j`.
    alpha : array, shape (N, T)
        The attention weights (each row sums to 1; 0 at padding).
    cache : tuple
        What :func:`dot_attention_backward` needs.
    """
    q, K, V = _check_qkv(q, K, V)
    if K.shape[2] != q.shape[1]:
        raise ValueError(f"K must have d = {q.shape[1]} entries per position, "
                         f"as q; got shape {K.shape}")
    s = 1 / np.sqrt(q.shape[1]) if scaled else 1.0
    e = s * np.einsum("ntd,nd->nt", K, q)  # e_j = q · k_j  (/ √d)
    alpha = masked_softmax(e, mask)        # α_j = softmax_j(e)
    c = np.einsum("nt,ntd->nd", alpha, V)  # c = Σ_j α_j v_j
    return c, alpha, (q, K, V, alpha, s)


def dot_attention_backward(g_c, cache, g_alpha=None):
    r"""Gradients of dot-product attention, given
    :math:`\partial q/\partial \mathbf{c}` (shape (N, d_v)) and, optionally, a
    gradient reaching the weights :math:`\alpha` directly.

    Returns
    -------
    g_q, g_K, g_V : arrays shaped like q, K and V
        (When V was not given, V is K: add ``g_V`` to ``g_K``.)
    """
    q, K, V, alpha, s = cache
    g_c = as_real_array(g_c, "g_c")
    if g_c.shape != (V.shape[0], V.shape[2]):
        raise ValueError(f"g_c must have the shape of the context "
                         f"{(V.shape[0], V.shape[2])}; got {g_c.shape}")
    g_V = alpha[:, :, None] * g_c[:, None, :]  # ∂q/∂v_j = α_j ∂q/∂c
    g_a = np.einsum("ntd,nd->nt", V, g_c)      # ∂q/∂α_j = v_j · ∂q/∂c
    if g_alpha is not None:
        g_a = g_a + g_alpha
    g_e = masked_softmax_backward(g_a, alpha)
    g_q = s * np.einsum("nt,ntd->nd", g_e, K)  # ∂q/∂q = s Σ_j ∂q/∂e_j k_j
    g_K = s * g_e[:, :, None] * q[:, None, :]  # ∂q/∂k_j = s ∂q/∂e_j q
    return g_q, g_K, g_V


# ------------------------------------------------------------------------------------- additive

def additive_attention(q, K, W_q, W_k, v, V=None, mask=None):
    r"""Additive attention (Bahdanau et al. 2015):
    :math:`e_j = \mathbf{v}\cdot\tanh(W_q\mathbf{q} + W_k\mathbf{k}_j)`.

    Parameters
    ----------
    q : array, shape (N, d_q)
    K : array, shape (N, T, d_k)
    W_q : array, shape (M_a, d_q)
    W_k : array, shape (M_a, d_k)
    v : array, shape (M_a,)
    V, mask : as in :func:`dot_attention`

    Returns
    -------
    c, alpha, cache : as in :func:`dot_attention`
    """
    q, K, V = _check_qkv(q, K, V)
    W_q = as_real_array(W_q, "W_q")
    W_k = as_real_array(W_k, "W_k")
    v = as_real_array(v, "v")
    M_a = v.size
    shapes_fit = (v.ndim == 1 and W_q.shape == (M_a, q.shape[1])
                  and W_k.shape == (M_a, K.shape[2]))
    if not shapes_fit:
        raise ValueError(
            f"W_q, W_k and v must have shapes (M_a, {q.shape[1]}), "
            f"(M_a, {K.shape[2]}) and (M_a,); "
            f"got {W_q.shape}, {W_k.shape} and {v.shape}")
    # a_j = tanh(W_q q + W_k k_j), (N, T, M_a)
    a = np.tanh((q @ W_q.T)[:, None, :] + K @ W_k.T)
    e = a @ v  # e_j = v · a_j
    alpha = masked_softmax(e, mask)
    c = np.einsum("nt,ntd->nd", alpha, V)  # c = Σ_j α_j v_j
    return c, alpha, (q, K, V, W_q, W_k, v, a, alpha)


def additive_attention_backward(g_c, cache, g_alpha=None):
    r"""Gradients of additive attention given :math:`\partial q/\partial \mathbf{c}`.

    Returns
    -------
    g_q, g_K, g_V : arrays shaped like q, K and V (when V was not given, add ``g_V`` to ``g_K``)
    grads : dict
        ``{"W_q": ..., "W_k": ..., "v": ...}``.
    """
    q, K, V, W_q, W_k, v, a, alpha = cache
    g_c = as_real_array(g_c, "g_c")
    if g_c.shape != (V.shape[0], V.shape[2]):
        raise ValueError(f"g_c must have the shape of the context {(V.shape[0], V.shape[2])}; got {g_c.shape}")
    g_V = alpha[:, :, None] * g_c[:, None, :]
    g_a = np.einsum("ntd,nd->nt", V, g_c)
    if g_alpha is not None:
        g_a = g_a + g_alpha
    g_e = masked_softmax_backward(g_a, alpha)                      # (N, T)
    g_u = g_e[:, :, None] * v * (1 - a * a)                        # ∂q/∂(W_q q + W_k k_j), tanh' = 1 − a²
    g_uq = g_u.sum(axis=1)                                         # the query term is shared by every j
    grads = {"W_q": g_uq.T @ q,
             "W_k": g_u.reshape(-1, v.size).T @ K.reshape(-1, K.shape[2]),
             "v": np.einsum("nt,nta->a", g_e, a)}
    return g_uq @ W_q, g_u @ W_k, g_V, grads


# ------------------------------------------------------------------------------ layer wrappers

class DotAttention:
    """Dot-product attention with the layer habits: ``forward`` keeps the cache, ``backward`` uses it.

    ``c = att.forward(q, K, V=None, mask=None)``; ``att.alpha`` holds the last weights;
    ``g_q, g_K, g_V = att.backward(g_c)``. No parameters (``params == grads == {}``).
    """

    def __init__(self, scaled=False):
        self.scaled = bool(scaled)
        self.params, self.grads, self.penalized = {}, {}, {}
        self.alpha, self._cache = None, None

    def forward(self, q, K, V=None, mask=None):
        c, self.alpha, self._cache = dot_attention(q, K, V, mask, self.scaled)
        return c

    def backward(self, g_c):
        if self._cache is None:
            raise RuntimeError("DotAttention.backward called before forward")
        return dot_attention_backward(g_c, self._cache)

    def __repr__(self):
        return f"DotAttention(scaled={self.scaled})"


class AdditiveAttention:
    r"""Additive attention with parameters ``W_q`` (M_a, M_q), ``W_k`` (M_a, M_k), ``v`` (M_a,):
    :math:`e_j = \mathbf{v}\cdot\tanh(W_q\mathbf{q} + W_k\mathbf{k}_j)`.

    ``backward`` overwrites ``grads`` (Glorot-uniform start; `v` uniform in ±√(3/M_a)).
    """

    def __init__(self, M_q, M_k, M_a, seed=0, dtype=np.float64):
        M_q, M_k, M_a = check_int(M_q, "M_q"), check_int(M_k, "M_k"), check_int(M_a, "M_a")
        dtype, rng = check_float_dtype(dtype), _init.rng(seed)
        self.params = {"W_q": _init.weights("glorot_uniform", (M_a, M_q), M_q, M_a, rng, dtype),
                       "W_k": _init.weights("glorot_uniform", (M_a, M_k), M_k, M_a, rng, dtype),
                       "v": _init.weights("uniform", (M_a,), M_a, 1, rng, dtype, scale=np.sqrt(3 / M_a))}
        self.grads = {k: np.zeros_like(p) for k, p in self.params.items()}
        self.penalized = {"W_q": np.s_[...], "W_k": np.s_[...], "v": np.s_[...]}
        self.alpha, self._cache = None, None

    def forward(self, q, K, V=None, mask=None):
        p = self.params
        c, self.alpha, self._cache = additive_attention(q, K, p["W_q"], p["W_k"], p["v"], V, mask)
        return c

    def backward(self, g_c):
        if self._cache is None:
            raise RuntimeError("AdditiveAttention.backward called before forward")
        g_q, g_K, g_V, grads = additive_attention_backward(g_c, self._cache)
        for k, g in grads.items():
            self.grads[k][...] = g
        return g_q, g_K, g_V

    def __repr__(self):
        return "AdditiveAttention(" + ", ".join(f"{k}{tuple(v.shape)}" for k, v in self.params.items()) + ")"


# ------------------------------------------------------------------------------------ embedding

class Embedding(Layer):
    r"""Token ids to vectors: row :math:`x` of a table ``params["W"]`` of shape (V, M), :math:`y = W_{x}`.

    It is a dense layer applied to a one-hot vector (:math:`W^{\mathsf T}\mathbf{e}_x`), without building the
    one-hot vector. ``forward(x)`` takes integer ids of any shape (e.g. (N, T)) and returns shape ``x.shape + (M,)``.
    ``backward(grad_y)`` scatters the gradient into the rows that were used,
    :math:`\partial q/\partial W_v = \sum_{x_{nt} = v} \partial q/\partial y_{nt}` (``np.add.at``: a token that
    appears twice gets both contributions), and returns None: integer ids have no gradient.
    """

    def __init__(self, V, M, seed=0, scale=0.1, dtype=np.float64):
        super().__init__()
        self.V, self.M = check_int(V, "V"), check_int(M, "M")
        W = _init.weights("normal", (self.V, self.M), self.M, self.V, seed, check_float_dtype(dtype), scale)
        self.params = {"W": W}
        self.grads = {"W": np.zeros_like(W)}
        self.penalized = {"W": np.s_[...]}

    def _ids(self, x):
        x = np.asarray(x)
        if x.dtype.kind not in "iu":
            raise TypeError(f"x must be an array of integer token ids; got dtype {x.dtype}")
        if x.size and (x.min() < 0 or x.max() >= self.V):
            raise ValueError(f"x must hold token ids in [0, {self.V - 1}] (V = {self.V}); "
                             f"got values in [{x.min()}, {x.max()}]")
        return x

    def forward(self, x, train=False):
        x = self._ids(x)
        self._cache = x
        return self.params["W"][x]                                 # y = W[x]

    def backward(self, grad_y):
        x = self._saved()
        grad_y = self._check_grad_y(grad_y, x.shape + (self.M,))
        g = self.grads["W"]
        g[...] = 0.0
        np.add.at(g, x.reshape(-1), grad_y.reshape(-1, self.M))   # ∂q/∂W_v = Σ over the places v appears
        return None

    def __repr__(self):
        return f"Embedding(V={self.V}, M={self.M})"


# ------------------------------------------------------------------------ encoder–decoder

# ------------------------------------------------------------------------------------------ beam search
def log_softmax(z):
    """Row-wise log-probabilities ``log softmax(z)`` of logits z (n, V), computed without overflow."""
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _take(state, rows):
    """The rows of a decoder state: an array, or a tuple of arrays (an LSTM's (h, c))."""
    if isinstance(state, tuple):
        return tuple(s[rows] for s in state)
    return state[rows]


def beam_search(step, state, bos, eos, k, max_len):
    r"""The most probable output sequence that a beam of width `k` finds.

    A sequence's score is its log-probability, the sum of the
    log-probabilities of its tokens (`eos` included):
    :math:`\log P(y_1 \dots y_T) = \sum_t \log P(y_t \mid y_1 \dots y_{t-1})`.
    Greedy decoding keeps one sequence and extends it by its most probable
    token; beam search keeps the `k` best partial sequences, extends each by
    every token, and keeps the `k` best of all the extensions. An extension
    that ends with `eos` leaves the beam as a finished candidate (it takes
    one of the `k` places at that step). The search stops when no partial
    sequence is left, when the best finished one scores at least as well as
    every partial one (scores only fall as tokens are added), or after
    `max_len` tokens, and returns the best sequence, finished or not.
    With ``k = 1`` it is greedy decoding. A wider beam is not guaranteed to
    beat greedy decoding: the beginning of the greedy sequence can be pushed
    out of the beam by partial sequences that end badly.

    Parameters
    ----------
    step : callable
        ``log_p, new_state = step(prev, state)``: `prev` an int array (n,)
        of the last tokens of n partial sequences, `state` their decoder
        states (an array, or a tuple of arrays, with n rows); `log_p`
        (n, V) the log-probabilities of every next token.
    state : array or tuple of arrays
        The decoder's initial state for the one input decoded (one row).
    bos, eos : int
        The start token fed first, and the end token.
    k : int >= 1
        Beam width.
    max_len : int >= 1
        The most tokens written.

    Returns
    -------
    tokens : list of int
        The best sequence (ending with `eos` unless `max_len` came first).
    score : float
        Its log-probability.
    """
    k = check_int(k, "k")
    max_len = check_int(max_len, "max_len")
    alive = [([], 0.0)]  # (tokens, score) of the partial sequences
    finished = []        # and of the finished ones
    prev = np.array([bos])
    for _ in range(max_len):
        log_p, state = step(prev, state)
        log_p = np.asarray(log_p, dtype=float)
        if log_p.ndim != 2 or log_p.shape[0] != len(alive):
            raise ValueError(
                "step must return log-probabilities of shape (n, V) = "
                f"({len(alive)}, V); got shape {log_p.shape}")
        # the score of every extension, and the k best of them
        scores = np.array([sc for _, sc in alive])[:, None] + log_p
        best = np.argsort(-scores, axis=None, kind="stable")[:k]
        rows, tokens = np.unravel_index(best, scores.shape)
        kept, alive_next = [], []
        for r, token in zip(rows, tokens):
            extended = (alive[r][0] + [int(token)], float(scores[r, token]))
            if token == eos:
                finished.append(extended)
            else:
                alive_next.append(extended)
                kept.append(r)
        alive = alive_next
        best_finished = max((sc for _, sc in finished), default=-np.inf)
        if not alive or best_finished >= max(sc for _, sc in alive):
            break
        prev = np.array([seq[-1] for seq, _ in alive])
        state = _take(state, np.array(kept))
    return max(finished + alive, key=lambda candidate: candidate[1])


class Seq2Seq:
    r"""An encoder–decoder (*codificador-decodificador*) with attention, for token sequences.

    - **Encoder**: an :class:`Embedding` of the source tokens and a recurrent layer (GRU or LSTM of
      :mod:`nnlib.layers.recurrent`) over them: states :math:`\mathbf{h}_1, \dots, \mathbf{h}_T` (padded positions
      masked: the state is carried over, so the last state is the one at each sequence's last real token).
    - **Decoder**: another recurrent layer that starts from the encoder's last state and reads the previous
      output token (a start token ``BOS`` first): state :math:`\mathbf{s}_t`. With attention, the context
      :math:`\mathbf{c}_t = \sum_j \alpha_{tj}\mathbf{h}_j` uses :math:`\mathbf{s}_t` as the query (the
      "global attention" of Luong et al. 2015; ``attention="dot"`` or ``"additive"``).
    - **Output**: a :class:`~nnlib.layers.dense.Dense` layer on :math:`[\mathbf{s}_t; \mathbf{c}_t]` (on
      :math:`\mathbf{s}_t` alone without attention) gives the logits of the next token; the loss is the
      cross-entropy averaged over the real (unpadded) target tokens.

    Training uses *teacher forcing*: the decoder reads the true previous token, so all steps run at once.
    :meth:`greedy` decodes without the targets: at each step it feeds back its own most probable token
    until it writes ``eos``.
    :meth:`beam` decodes by beam search (:func:`beam_search`): it keeps the `k` most probable partial outputs.

    Parameters
    ----------
    V_in, V_out : int
        Sizes of the source and target vocabularies (token ids 0..V-1). The start token is an extra row
        of the target embedding (id ``V_out``), never an output.
    eos : int
        The end-of-sequence token of the target vocabulary: every target sequence ends with it.
    M_emb, M_h : int
        Embedding size and state size (encoder and decoder).
    attention : {"dot", "additive", None}
        The score; None gives the plain encoder–decoder whose only link is the encoder's last state.
    cell : {"gru", "lstm"}
    M_a : int, optional
        Size of the additive score's hidden layer (default M_h).
    seed : int
    """

    def __init__(self, V_in, V_out, eos, M_emb=16, M_h=64, attention="dot", cell="gru", M_a=None, seed=0):
        from .recurrent import GRU, LSTM  # here: nnlib.check imports this module for the attention exercise
        for value, name in ((V_in, "V_in"), (V_out, "V_out"), (M_emb, "M_emb"), (M_h, "M_h")):
            check_int(value, name)
        check_int(eos, "eos", 0, f"a token id, V_out = {V_out}", V_out - 1)
        cells = {"gru": GRU, "lstm": LSTM}
        if cell not in cells:
            raise ValueError(f"cell must be 'gru' or 'lstm'; got {cell!r}")
        if attention not in ("dot", "additive", None):
            raise ValueError(f"attention must be 'dot', 'additive' or None; got {attention!r}")
        self.V_in, self.V_out, self.eos, self.bos = int(V_in), int(V_out), int(eos), int(V_out)
        self.M_h, self.attention, self.cell = int(M_h), attention, cell
        seeds = _init.rng(seed).integers(2**31, size=6)
        self.layers = {
            "emb_in": Embedding(V_in, M_emb, seed=seeds[0]),
            "enc": cells[cell](M_emb, M_h, seed=seeds[1]),
            "emb_out": Embedding(V_out + 1, M_emb, seed=seeds[2]),
            "dec": cells[cell](M_emb, M_h, seed=seeds[3]),
        }
        if attention == "dot":
            self.layers["att"] = DotAttention()
        elif attention == "additive":
            self.layers["att"] = AdditiveAttention(M_h, M_h, M_a or M_h, seed=seeds[4])
        self.layers["out"] = Dense(2 * M_h if attention else M_h, V_out, seed=seeds[5])
        self.params = {f"{k}.{n}": p for k, layer in self.layers.items() for n, p in layer.params.items()}
        self.grads = {f"{k}.{n}": g for k, layer in self.layers.items() for n, g in layer.grads.items()}
        self.alpha = None

    @property
    def param_list(self):
        return list(self.params.values())

    @property
    def grad_list(self):
        return [self.grads[k] for k in self.params]

    def count_params(self):
        """Number of trainable weights."""
        return int(sum(p.size for p in self.params.values()))

    # ---------------------------------------------------------------- checks
    def _source(self, x, x_mask):
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(f"x must have shape (N, T_in) of token ids; got shape {x.shape}")
        if x_mask is None:
            x_mask = np.ones(x.shape)
        x_mask = _check_mask(x_mask, x.shape, "x_mask", "source position")
        if (np.diff(x_mask, axis=1) > 0).any():
            raise ValueError("x_mask must mark each sequence's tokens first and its padding after them "
                             "(a row of 1s then 0s)")
        return x, x_mask

    def _targets(self, y, y_mask, N):
        y = np.asarray(y)
        if y.ndim != 2 or y.shape[0] != N or y.shape[1] == 0:
            raise ValueError(f"y must have shape (N, T_out) with N = {N} (the samples of x); got shape {y.shape}")
        if y.dtype.kind not in "iu":
            raise TypeError(f"y must hold integer target token ids in [0, {self.V_out - 1}]; got dtype {y.dtype}")
        bad = (y < 0) | (y >= self.V_out)
        if bad.any():
            raise ValueError(f"y must hold target token ids in [0, {self.V_out - 1}] (V_out = {self.V_out}); "
                             f"got {y[bad][:5].tolist()}")
        if y_mask is None:
            y_mask = np.ones(y.shape)
        return y, _check_mask(y_mask, y.shape, "y_mask", "target position")

    # ---------------------------------------------------------------- teacher forcing
    def _encode(self, x, x_mask, train):
        L = self.layers
        H = L["enc"].forward(L["emb_in"].forward(x, train), train, mask=x_mask)   # h_1..h_T (0 at padding)
        return H

    def _readout(self, S, H, x_mask):
        """Logits from decoder states S (N, T_out, M_h); attention over H (N, T_in, M_h)."""
        L = self.layers
        N, T_out, M = S.shape
        s = S.reshape(N * T_out, M)
        if self.attention:
            Hrep = np.repeat(H, T_out, axis=0)                        # one copy of the source per output step
            c = L["att"].forward(s, Hrep, mask=np.repeat(x_mask, T_out, axis=0))   # c_t = Σ_j α_tj h_j
            self.alpha = L["att"].alpha.reshape(N, T_out, -1)
            s = np.concatenate([s, c], axis=1)                        # [s_t; c_t]
        return L["out"].forward(s).reshape(N, T_out, self.V_out)

    def forward(self, x, x_mask, y_in, train=False):
        """Logits (N, T_out, V_out) of every target position given the previous
        tokens `y_in` (teacher forcing).

        ``y_in`` starts with the start token ``self.bos``. The attention weights
        are left in ``self.alpha`` (N, T_out, T_in).
        """
        x, x_mask = self._source(x, x_mask)
        L = self.layers
        H = self._encode(x, x_mask, train)
        e = L["emb_out"].forward(y_in, train)  # the previous tokens, embedded
        S = L["dec"].forward(e, train, h0=L["enc"].last_state)  # s_1..s_T'
        self._shapes = (H.shape, S.shape)
        return self._readout(S, H, x_mask)

    def backward(self, grad_logits):
        """BackProp through output layer, attention, decoder (BPTT) and encoder
        (BPTT); overwrites ``grads``."""
        L = self.layers
        (N, T_in, M), (_, T_out, _) = self._shapes
        g = L["out"].backward(grad_logits.reshape(N * T_out, self.V_out))
        g_H = np.zeros((N, T_in, M))
        if self.attention:
            g_s, g_c = g[:, :M], g[:, M:]
            g_q, g_K, g_V = L["att"].backward(g_c)
            g_s = g_s + g_q
            # the copies of the source add up
            g_H = (g_K + g_V).reshape(N, T_out, T_in, M).sum(axis=1)
        else:
            g_s = g
        L["emb_out"].backward(L["dec"].backward(g_s.reshape(N, T_out, M)))
        grad_last = L["dec"].grad_h0  # h0 of the decoder = last h
        L["emb_in"].backward(L["enc"].backward(g_H, grad_last=grad_last))

    def _teacher(self, y):
        return np.concatenate([np.full((y.shape[0], 1), self.bos), y[:, :-1]], axis=1)

    def gradient(self, x, x_mask, y, y_mask=None, train=True):
        r"""Loss :math:`q` (cross-entropy per real target token) and its gradient in ``grads``."""
        x, x_mask = self._source(x, x_mask)
        y, y_mask = self._targets(y, y_mask, x.shape[0])
        logits = self.forward(x, x_mask, self._teacher(y), train)
        keep = y_mask.reshape(-1) > 0
        flat = logits.reshape(-1, self.V_out)
        q, delta = losses.cross_entropy(flat[keep], y.reshape(-1)[keep])
        grad = np.zeros_like(flat)
        grad[keep] = -delta / keep.sum()                              # ∂q/∂logits = −δ / (number of tokens)
        self.backward(grad.reshape(logits.shape))
        return q

    def loss(self, x, x_mask, y, y_mask=None):
        """The loss with teacher forcing, without touching the gradients."""
        x, x_mask = self._source(x, x_mask)
        y, y_mask = self._targets(y, y_mask, x.shape[0])
        logits = self.forward(x, x_mask, self._teacher(y)).reshape(-1, self.V_out)
        keep = y_mask.reshape(-1) > 0
        return losses.cross_entropy(logits[keep], y.reshape(-1)[keep])[0]

    # ---------------------------------------------------------------- decoding
    def greedy(self, x, x_mask=None, max_len=10):
        """Greedy decoding: feed back the most probable token until ``eos`` (or `max_len` tokens).

        Returns
        -------
        tokens : int array (N, max_len)
            The output tokens; each row ends with ``eos``, repeated after it (when it came before max_len).
        alpha : array (N, max_len, T_in)
            The attention weights of every step (None without attention).
        """
        x, x_mask = self._source(x, x_mask)
        L = self.layers
        N = x.shape[0]
        H = self._encode(x, x_mask, False)
        state = L["enc"].last_state
        prev = np.full(N, self.bos)
        tokens = np.full((N, max_len), self.eos)
        alphas = np.zeros((N, max_len, x.shape[1])) if self.attention else None
        done = np.zeros(N, dtype=bool)
        for t in range(max_len):
            s, state, _ = L["dec"].step(L["emb_out"].params["W"][prev], state)
            if self.attention:
                c = L["att"].forward(s, H, mask=x_mask)
                alphas[:, t] = L["att"].alpha
                s = np.concatenate([s, c], axis=1)
            prev = L["out"].forward(s).argmax(axis=1)
            prev[done] = self.eos
            tokens[:, t] = prev
            done |= prev == self.eos
            if done.all():
                break
        return tokens, alphas

    def beam(self, x, x_mask=None, k=4, max_len=10):
        """Beam search decoding (:func:`beam_search`, beam width `k`) of every input, one at a time.

        Returns
        -------
        tokens : int array (N, max_len)
            The output tokens, padded with ``eos`` after the first ``eos`` (as :meth:`greedy`).
        scores : array (N,)
            Each output's log-probability under the model (the sum over its tokens, ``eos`` included).
        """
        x, x_mask = self._source(x, x_mask)
        k, max_len = check_int(k, "k"), check_int(max_len, "max_len")
        L = self.layers
        H = self._encode(x, x_mask, False)
        states = L["enc"].last_state
        tokens = np.full((x.shape[0], max_len), self.eos)
        scores = np.zeros(x.shape[0])
        for i in range(x.shape[0]):
            def step(prev, state, i=i):
                s, state, _ = L["dec"].step(L["emb_out"].params["W"][prev], state)
                if self.attention:
                    n = len(prev)
                    c = L["att"].forward(s, np.repeat(H[i:i + 1], n, axis=0),
                                         mask=np.repeat(x_mask[i:i + 1], n, axis=0))
                    s = np.concatenate([s, c], axis=1)
                return log_softmax(L["out"].forward(s)), state

            best, scores[i] = beam_search(step, _take(states, [i]), self.bos, self.eos, k, max_len)
            tokens[i, :len(best)] = best
        return tokens, scores

    # ---------------------------------------------------------------- training
    def fit(self, x, x_mask, y, y_mask=None, optimizer=None, epochs=10, B=32, seed=0, clip=None, progress=False,
            blowup=BLOWUP):
        """Mini-batch training with teacher forcing (Adam with ρ = 0.01 by default); returns a FitHistory.

        Divergence stops training with :class:`~nnlib.loop.Diverged` as in every training loop of nnlib
        (:class:`~nnlib.loop.DivergenceCheck`; `blowup` as in :meth:`nnlib.layers.sequential.Sequential.fit`).
        """
        x, x_mask = self._source(x, x_mask)
        y, y_mask = self._targets(y, y_mask, x.shape[0])
        epochs, B = check_int(epochs, "epochs"), check_int(B, "B")
        opt, rng = check_training_options(Adam(rho=0.01) if optimizer is None else optimizer, None, seed, clip,
                                          progress)
        N = x.shape[0]
        hist = FitHistory()
        watch = DivergenceCheck(opt, hist, blowup, hint=", or clip the gradient")

        def epoch():
            total = 0.0
            for b in blocks(N, B, rng):                               # a new random order every epoch
                keep_x = x_mask[b].sum(axis=0) > 0                   # drop all-padding columns of the block
                keep_y = y_mask[b].sum(axis=0) > 0
                q = self.gradient(x[b][:, keep_x], x_mask[b][:, keep_x], y[b][:, keep_y], y_mask[b][:, keep_y])
                update(self, q, opt, hist, clip, watch)
                total += q * len(b)
            return total / N

        return run(hist, watch, lambda: self.loss(x, x_mask, y, y_mask), epoch, epochs, progress=progress, desc="fit")

    def __repr__(self):
        return (f"Seq2Seq(V_in={self.V_in}, V_out={self.V_out}, M_h={self.M_h}, cell={self.cell!r}, "
                f"attention={self.attention!r}, params={self.count_params()})")
