r"""Recurrent layers over sequences: the slides' recurrent net, Elman, second order, LSTM and GRU, with BPTT.

Every layer maps a batch of sequences ``x`` of shape (N, T, M_in) to the sequence of its states
``H`` of shape (N, T, M_h) (the Elman network: to its outputs, (N, T, M_out)), and follows the
``nnlib.layers`` contract::

    H = layer.forward(x, train=False, mask=None, h0=None)
    grad_x = layer.backward(grad_H)        # back-propagation through time (BPTT)

One time step is a *cell*; the layer applies the same cell (the same weights) at every step
:math:`t = 1, \dots, T`, starting from the state ``h0`` (zeros by default). Unrolled over the sequence,
the layer is a feed-forward network of T layers that share their weights, and ``backward`` is BackProp
on that unrolled network: it runs the cells backwards from t = T to t = 1 and *adds up* the gradient of
the shared weights over the steps.

- ``mask`` (N, T) of 0/1 handles sequences of different lengths padded to one length T
  (:func:`pad_sequences`): at a step with mask 0 the state is carried over unchanged, the output is 0,
  and nothing flows back through the cell. ``layer.last_state`` is then each sequence's state at its
  last real step.
- ``layer.truncate = k`` gives truncated BPTT: the sequence is cut into blocks of k steps
  (t = 1..k, k+1..2k, ...) and the gradient does not cross a block boundary: the state entering a block
  is treated as a constant. The forward pass is unchanged. ``None`` (the default) is full BPTT.
- The cell-level API (``initial_state``, ``step``, ``step_backward``) runs one step at a time, for decoders
  that build their next input from their last output.

The input projection of all steps is one matrix product before the loop over time, and the gates of an
LSTM or GRU are stacked in one matrix, so each step costs one (GRU: two) matrix products forward and
backward. The only Python loop is over time.
"""

import numpy as np

from .. import activations as act
from ..activations import sigmoid
from .. import init as _init
from .._validate import as_real_array, check_float_dtype, check_int
from .base import Layer

__all__ = ["Recurrent", "SimpleRNN", "Elman", "SecondOrderRNN", "LSTM", "GRU", "LastStep", "PerStep",
           "pad_sequences"]


def _check_size(value, name):
    return check_int(value, name, 1)


def pad_sequences(seqs, dtype=np.float64):
    """Pad a list of sequences of shapes (T_n, M) with zeros to one array (N, T_max, M) and its 0/1 mask (N, T_max).

    >>> x, mask = pad_sequences([np.ones((3, 2)), np.ones((1, 2))])
    >>> x.shape, mask.tolist()
    ((2, 3, 2), [[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    """
    seqs = [as_real_array(s, f"seqs[{i}]") for i, s in enumerate(seqs)]
    if not seqs:
        raise ValueError("seqs must hold at least one sequence; got an empty list")
    for i, s in enumerate(seqs):
        if s.ndim != 2 or s.shape[0] == 0 or s.shape[1] != seqs[0].shape[1]:
            raise ValueError(f"seqs[{i}] must have shape (T_n >= 1, {seqs[0].shape[-1]}); got shape {s.shape}")
    T = max(s.shape[0] for s in seqs)
    x = np.zeros((len(seqs), T, seqs[0].shape[1]), dtype=dtype)
    mask = np.zeros((len(seqs), T), dtype=dtype)
    for n, s in enumerate(seqs):
        x[n, :s.shape[0]] = s
        mask[n, :s.shape[0]] = 1.0
    return x, mask


class Recurrent(Layer):
    """Base class: the loop over time, masking, truncation and the step API; subclasses define one cell.

    A subclass sets ``params``/``grads`` and implements

    - ``_project(x)``: the part of the cell's pre-activation that depends on the input only, for any
      leading shape (computed for all steps at once before the loop);
    - ``_project_backward(GA, x)``: adds the gradients of the projection's weights and returns ∂q/∂x;
    - ``_cell(a, state)`` -> ``(state, cache)`` and ``_cell_backward(gstate, cache)`` -> ``(g_a, gstate_prev)``,
      where a state is a tuple of arrays whose first entry is the output h, and ``_cell_backward`` *adds* the
      gradients of the recurrent weights. A cell whose recurrent term is ``U h_{t-1}`` sets ``_U = "U"`` and
      skips that gradient when called with ``accumulate=False``: ``backward`` then computes it for all steps in
      one product after the loop, ``∂q/∂U = Σ_t (∂q/∂z_t)ᵀ h_{t-1}``.
    """

    n_state = 1      # arrays in a state: 1 (h) or 2 (h, c)
    _U = None        # name of the matrix U of a recurrent term U h_{t-1}, if the cell has one

    def __init__(self, M_in, M_h, seed=0, dtype=np.float64):
        super().__init__()
        self.M_in = _check_size(M_in, "M_in")
        self.M_h = _check_size(M_h, "M_h")
        self.dtype = check_float_dtype(dtype)
        self.rng = _init.rng(seed)
        self.truncate = None
        self.last_state = None

    def _uniform(self, *shape):
        """Initial weights uniform in ±1/√M_h (:mod:`nnlib.init`'s ``uniform`` with that half-width)."""
        return _init.weights("uniform", shape, self.M_in, self.M_h, self.rng, self.dtype, 1.0 / np.sqrt(self.M_h))

    def _set_params(self, **params):
        self.params = params
        self.grads = {k: np.zeros_like(v) for k, v in params.items()}

    # ------------------------------------------------------------------ states
    def initial_state(self, N):
        """The zero state for a batch of N sequences: h (N, M_h); an LSTM's is the pair (h, c)."""
        N = _check_size(N, "N")
        zeros = tuple(np.zeros((N, self.M_h), dtype=self.dtype) for _ in range(self.n_state))
        return self._public(zeros)

    def _public(self, state):
        return state if self.n_state > 1 else state[0]

    def _internal(self, state, N, name):
        """A state in the public form as a tuple of float arrays of shape (N, M_h), or a ValueError naming `name`."""
        what = "a pair (h, c) of arrays" if self.n_state > 1 else "an array"
        parts = state if self.n_state > 1 else (state,)
        if self.n_state > 1 and (not isinstance(state, (tuple, list)) or len(state) != self.n_state):
            raise ValueError(f"{name} must be {what} of shape ({N}, {self.M_h}); got {type(state).__name__}")
        out = []
        for part in parts:
            part = as_real_array(part, name, dtype=self.dtype)
            if part.shape != (N, self.M_h):
                raise ValueError(f"{name} must be {what} of shape ({N}, {self.M_h}) (N, M_h); "
                                 f"got shape {part.shape}")
            out.append(part)
        return tuple(out)

    def _check_x(self, x):
        if isinstance(x, (list, tuple)) and len(x) and all(np.ndim(s) == 2 for s in x):
            lengths = sorted({np.shape(s)[0] for s in x})
            if len(lengths) > 1:
                raise ValueError(f"x holds sequences of different lengths {lengths}; pad them to one length and "
                                 f"pass mask= (nnlib.layers.recurrent.pad_sequences(x) returns both)")
        x = as_real_array(x, "x", dtype=self.dtype)
        if x.ndim != 3 or x.shape[0] == 0 or x.shape[1] == 0 or x.shape[2] != self.M_in:
            raise ValueError(f"x must have shape (N, T, M_in) = (N, T, {self.M_in}) with N, T >= 1; "
                             f"got shape {x.shape}")
        return x

    def _check_mask(self, mask, N, T):
        if mask is None:
            return None
        mask = as_real_array(mask, "mask", dtype=self.dtype)
        if mask.shape != (N, T):
            raise ValueError(f"mask must have shape (N, T) = ({N}, {T}); got shape {mask.shape}")
        if not np.isin(mask, (0.0, 1.0)).all():
            raise ValueError("mask must hold only 0 (padding) and 1 (a real step)")
        return mask

    # ------------------------------------------------------------------ whole sequences
    def forward(self, x, train=False, mask=None, h0=None):
        """States H (N, T, M_h) for the sequences x (N, T, M_in); ``h0`` the initial state (zeros if None)."""
        x = self._check_x(x)
        N, T, _ = x.shape
        mask = self._check_mask(mask, N, T)
        state = self._internal(h0, N, "h0") if h0 is not None else self._internal(self.initial_state(N), N, "h0")
        A = self._project(x)                               # the input's part of every step, one product
        H = np.empty((N, T, self.M_h), dtype=self.dtype)
        caches = []
        for t in range(T):
            new, cache = self._cell(A[:, t], state)
            if mask is not None:                           # padding: keep the state, output 0
                m = mask[:, t, None]
                new = tuple(m * a + (1.0 - m) * b for a, b in zip(new, state))
                H[:, t] = m * new[0]
            else:
                H[:, t] = new[0]
            caches.append(cache)
            state = new
        self._cache = (x, mask, caches)
        self.last_state = self._public(state)
        return H

    def backward(self, grad_H, grad_last=None):
        """BPTT: ∂q/∂x (N, T, M_in) from ∂q/∂H (N, T, M_h); fills ``grads``
        (summed over the time steps).

        ``grad_last`` is an optional ∂q/∂(last_state) (for a decoder that starts
        from this layer's final state). The gradient with respect to ``h0`` is
        left in ``self.grad_h0``.
        """
        x, mask, caches = self._saved()
        N, T, _ = x.shape
        grad_H = self._check_grad_y(grad_H, (N, T, self.M_h))
        k = self.truncate
        if k is not None:
            check_int(k, "truncate", 1,
                      "the steps back BPTT goes, or None for all of them")
        self.zero_grad()
        if grad_last is None:
            zero = np.zeros((N, self.M_h), dtype=self.dtype)
            grad_state = tuple(zero.copy() for _ in range(self.n_state))
        else:
            given = self._internal(grad_last, N, "grad_last")
            grad_state = tuple(g.copy() for g in given)
        grad_A = None
        for t in range(T - 1, -1, -1):  # back through time: t = T, ..., 1
            # ∂q/∂h_t = ∂q/∂H_t (from the layer above) + ∂q/∂h_t via step t+1
            grad_state_t = (grad_state[0] + grad_H[:, t],) + grad_state[1:]
            if mask is not None:  # state_t = m new + (1 - m) state_{t-1}
                m = mask[:, t, None]
                grad_state_t = tuple(m * g for g in grad_state_t)
            # ∂q/∂a_t (a_t = W x_t + b, the cell's input) and ∂q/∂state_{t-1},
            # through the cell's equations
            grad_a_t, grad_state_prev = self._cell_backward(
                grad_state_t, caches[t], accumulate=self._U is None)
            if grad_A is None:
                grad_A = np.empty((N, T) + grad_a_t.shape[1:], dtype=self.dtype)
            grad_A[:, t] = grad_a_t
            if mask is not None:  # plus (1 - m) ∂q/∂state_t, the kept part
                pairs = zip(grad_state_prev, grad_state)
                grad_state_prev = tuple(p + (1.0 - m) * g for p, g in pairs)
            # block boundary: the entering state is a constant
            if k is not None and t % k == 0:
                grad_state_prev = tuple(map(np.zeros_like, grad_state_prev))
            grad_state = grad_state_prev
        self.grad_h0 = self._public(grad_state)
        if self._U is not None:  # ∂q/∂U = Σ_t (∂q/∂z_t)ᵀ h_{t-1}, one product
            H_prev = np.stack([c[0] for c in caches], axis=1)
            G = grad_A.reshape(-1, grad_A.shape[-1])  # ∂q/∂z, a row per (n, t)
            self.grads[self._U] += G.T @ H_prev.reshape(-1, self.M_h)
        return self._project_backward(grad_A, x)

    def zero_grad(self):
        """Set every gradient to 0 (in place)."""
        for g in self.grads.values():
            g[...] = 0.0

    # ------------------------------------------------------------------ one step
    def step(self, x_t, state):
        """One time step: ``h, state, cache = layer.step(x_t, state)`` with x_t (N, M_in).

        ``h`` (N, M_h) is the step's output, ``state`` the new state (an LSTM's: (h, c)).
        """
        x_t = as_real_array(x_t, "x_t", dtype=self.dtype)
        if x_t.ndim != 2 or x_t.shape[1] != self.M_in or x_t.shape[0] == 0:
            raise ValueError(f"x_t must have shape (N, M_in) = (N, {self.M_in}); got shape {x_t.shape}")
        st = self._internal(state, x_t.shape[0], "state")
        new, cache = self._cell(self._project(x_t), st)
        return new[0], self._public(new), (x_t, cache)

    def step_backward(self, grad_h, grad_state, cache):
        """Backward of one :meth:`step`: returns ``(grad_x_t, grad_state_prev)`` and ADDS to ``grads``.

        ``grad_h`` is ∂q/∂h for the step's output, ``grad_state`` ∂q/∂(state leaving the step) through later
        steps (None for the last step). Call :meth:`zero_grad` before the first ``step_backward``.
        """
        x_t, c = cache
        N = x_t.shape[0]
        grad_h = as_real_array(grad_h, "grad_h", dtype=self.dtype)
        if grad_h.shape != (N, self.M_h):
            raise ValueError(f"grad_h must have shape ({N}, {self.M_h}); got shape {grad_h.shape}")
        if grad_state is None:
            gs = tuple(np.zeros((N, self.M_h), dtype=self.dtype) for _ in range(self.n_state))
        else:
            gs = self._internal(grad_state, N, "grad_state")
        g_a, gprev = self._cell_backward((gs[0] + grad_h,) + gs[1:], c)
        return self._project_backward(g_a, x_t), self._public(gprev)

    def __repr__(self):
        return f"{type(self).__name__}(M_in={self.M_in}, M_h={self.M_h})"


class _LinearInput(Recurrent):
    """Cells whose input enters as W x + b (``params[self._W]``), projected for all steps in one product."""

    _W = "W"

    def _project(self, x):
        A = x.reshape(-1, x.shape[-1]) @ self.params[self._W].T     # a_t = W x_t + b for every t at once
        A += self.params["b"]
        return A.reshape(x.shape[:-1] + A.shape[-1:])

    def _project_backward(self, GA, x):
        G = GA.reshape(-1, GA.shape[-1])
        self.grads[self._W] += G.T @ x.reshape(-1, x.shape[-1])  # ∂q/∂W = Σ_n Σ_t ∂q/∂a_nt x_ntᵀ
        self.grads["b"] += G.sum(axis=0)
        gx = G @ self.params[self._W]                          # ∂q/∂x_t = Wᵀ ∂q/∂a_t
        return gx.reshape(x.shape)


class SimpleRNN(_LinearInput):
    r"""The slides' recurrent network: :math:`\mathbf{y}_n = f(W^Y \mathbf{y}_{n-1} + W^X \mathbf{x}_n + \mathbf{b})`.

    The state is the output itself (the slides' y, here h). Parameters ``W_X`` (M_h, M_in), ``W_Y``
    (M_h, M_h) and the threshold ``b`` (M_h,); `f` an activation name (default tanh).
    """

    _W, _U = "W_X", "W_Y"

    def __init__(self, M_in, M_h, f="tanh", seed=0, dtype=np.float64):
        super().__init__(M_in, M_h, seed, dtype)
        self.f = act.get(f)
        self._set_params(W_X=self._uniform(M_h, M_in), W_Y=self._uniform(M_h, M_h),
                         b=np.zeros(M_h, dtype=self.dtype))
        self.penalized = {"W_X": np.s_[...], "W_Y": np.s_[...]}

    def _cell(self, a, state):
        h_prev, = state
        z = a + h_prev @ self.params["W_Y"].T  # z = W^X x_n + b + W^Y y_{n-1}
        return (self.f(z),), (h_prev, z)       # y_n = f(z)

    def _cell_backward(self, gstate, cache, accumulate=True):
        h_prev, z = cache
        g_z = gstate[0] * self.f.prime(z)                  # ∂q/∂z = f'(z) ∂q/∂y_n
        if accumulate:
            self.grads["W_Y"] += g_z.T @ h_prev
        return g_z, (g_z @ self.params["W_Y"],)            # ∂q/∂y_{n-1} = W^Yᵀ ∂q/∂z


class Elman(Layer):
    r"""Elman network: a recurrent hidden layer and a perceptron output at every step.

    .. math:: \mathbf{h}_t = f(W^X \mathbf{x}_t + W^Y \mathbf{h}_{t-1} + \mathbf{b}), \qquad
              \mathbf{y}_t = \theta \tilde{\mathbf{h}}_t

    Parameters ``W_X``, ``W_Y``, ``b`` (the :class:`SimpleRNN`) and ``theta`` (M_out, M_h + 1), column 0
    the thresholds, as in ``nnlib.layers.dense.Dense``. The output is linear (logits for cross-entropy).
    ``forward`` returns Y (N, T, M_out); ``step`` returns the output y_t, the state is h_t.
    """

    def __init__(self, M_in, M_h, M_out, f="tanh", seed=0, dtype=np.float64):
        super().__init__()
        self.rnn = SimpleRNN(M_in, M_h, f=f, seed=seed, dtype=dtype)
        self.M_in, self.M_h, self.M_out = self.rnn.M_in, self.rnn.M_h, _check_size(M_out, "M_out")
        theta = _init.theta("glorot_uniform", self.M_out, self.M_h, self.rnn.rng, self.rnn.dtype)
        self.params = dict(self.rnn.params, theta=theta)
        self.grads = dict(self.rnn.grads, theta=np.zeros_like(theta))
        self.penalized = dict(self.rnn.penalized, theta=np.s_[:, 1:])

    @property
    def truncate(self):
        return self.rnn.truncate

    @truncate.setter
    def truncate(self, k):
        self.rnn.truncate = k

    @property
    def last_state(self):
        return self.rnn.last_state

    def initial_state(self, N):
        return self.rnn.initial_state(N)

    def _output(self, H):
        theta = self.params["theta"]
        return H @ theta[:, 1:].T + theta[:, 0]           # y_t = θ_0 + W h_t, all steps in one product

    def forward(self, x, train=False, mask=None, h0=None):
        H = self.rnn.forward(x, train, mask=mask, h0=h0)
        Y = self._output(H)
        mask = self.rnn._cache[1]
        if mask is not None:
            Y *= mask[:, :, None]
        self._cache = (H, mask)
        return Y

    def backward(self, grad_Y, grad_last=None):
        H, mask = self._saved()
        grad_Y = self._check_grad_y(grad_Y, H.shape[:2] + (self.M_out,))
        if mask is not None:
            grad_Y = grad_Y * mask[:, :, None]
        G = grad_Y.reshape(-1, self.M_out)
        g = self.grads["theta"]
        g[:, 0] = G.sum(axis=0)
        g[:, 1:] = G.T @ H.reshape(-1, self.M_h)
        gx = self.rnn.backward(grad_Y @ self.params["theta"][:, 1:], grad_last)
        self.grad_h0 = self.rnn.grad_h0
        return gx

    def zero_grad(self):
        for g in self.grads.values():
            g[...] = 0.0

    def step(self, x_t, state):
        h, state, cache = self.rnn.step(x_t, state)
        return self._output(h), state, (h, cache)

    def step_backward(self, grad_y, grad_state, cache):
        h, c = cache
        grad_y = as_real_array(grad_y, "grad_y", dtype=self.rnn.dtype)
        if grad_y.shape != (h.shape[0], self.M_out):
            raise ValueError(f"grad_y must have shape ({h.shape[0]}, {self.M_out}); got shape {grad_y.shape}")
        g = self.grads["theta"]
        g[:, 0] += grad_y.sum(axis=0)
        g[:, 1:] += grad_y.T @ h
        return self.rnn.step_backward(grad_y @ self.params["theta"][:, 1:], grad_state, c)

    def __repr__(self):
        return f"Elman(M_in={self.M_in}, M_h={self.M_h}, M_out={self.M_out})"


class SecondOrderRNN(Recurrent):
    r"""Second-order recurrent network (Giles et al. 1992): input and state multiply.

    .. math:: h_{t,i} = f\Big(\sum_{j,k} W_{ijk}\, h_{t-1,j}\, x_{t,k} + b_i\Big)

    Parameters ``W`` (M_h, M_h, M_in) and ``b`` (M_h,). Each input symbol selects its own transition matrix
    :math:`W_{:,:,k}`, which suits automata-like tasks. From a zero state the products would stay 0
    (h would stay f(b)), so the default initial state is a "start state" with its first unit at 1 and the
    others at 0.
    """

    def __init__(self, M_in, M_h, f="tanh", seed=0, dtype=np.float64):
        super().__init__(M_in, M_h, seed, dtype)
        self.f = act.get(f)
        self._set_params(W=self._uniform(M_h, M_h, M_in), b=np.zeros(M_h, dtype=self.dtype))
        self.penalized = {"W": np.s_[...]}

    def initial_state(self, N):
        """The start state (N, M_h): unit 0 at 1, the others at 0."""
        h = np.zeros((_check_size(N, "N"), self.M_h), dtype=self.dtype)
        h[:, 0] = 1.0
        return h

    def _project(self, x):
        return x                                           # the input enters inside the cell

    def _project_backward(self, GA, x):
        return GA                                          # the cell already returned ∂q/∂x

    def _cell(self, x_t, state):
        h_prev, = state
        N = x_t.shape[0]
        outer = (h_prev[:, :, None] * x_t[:, None, :]).reshape(N, -1)   # h_{t-1,j} x_{t,k}
        z = outer @ self.params["W"].reshape(self.M_h, -1).T + self.params["b"]
        return (self.f(z),), (h_prev, x_t, outer, z)

    def _cell_backward(self, gstate, cache, accumulate=True):
        h_prev, x_t, outer, z = cache
        g_z = gstate[0] * self.f.prime(z)
        W = self.params["W"].reshape(self.M_h, -1)
        self.grads["W"] += (g_z.T @ outer).reshape(self.grads["W"].shape)
        self.grads["b"] += g_z.sum(axis=0)
        g_outer = (g_z @ W).reshape(-1, self.M_h, self.M_in)
        g_h = np.einsum("njk,nk->nj", g_outer, x_t)       # Σ_k ∂q/∂(h_j x_k) x_k
        g_x = np.einsum("njk,nj->nk", g_outer, h_prev)    # Σ_j ∂q/∂(h_j x_k) h_j
        return g_x, (g_h,)


class LSTM(_LinearInput):
    r"""Long short-term memory (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).

    .. math::
        \mathbf{i}_t &= g_S(W_i \mathbf{x}_t + U_i \mathbf{h}_{t-1} + \mathbf{b}_i) &&\text{input gate}\\
        \mathbf{f}_t &= g_S(W_f \mathbf{x}_t + U_f \mathbf{h}_{t-1} + \mathbf{b}_f) &&\text{forget gate}\\
        \tilde{\mathbf{c}}_t &= \tanh(W_g \mathbf{x}_t + U_g \mathbf{h}_{t-1} + \mathbf{b}_g) &&\text{candidate}\\
        \mathbf{o}_t &= g_S(W_o \mathbf{x}_t + U_o \mathbf{h}_{t-1} + \mathbf{b}_o) &&\text{output gate}\\
        \mathbf{c}_t &= \mathbf{f}_t \odot \mathbf{c}_{t-1} + \mathbf{i}_t \odot \tilde{\mathbf{c}}_t, \qquad
        \mathbf{h}_t = \mathbf{o}_t \odot \tanh(\mathbf{c}_t)

    The four blocks are stacked in the order i, f, g, o (PyTorch's; the code's ``g`` is the candidate
    :math:`\tilde{\mathbf{c}}_t`): ``W`` (4M_h, M_in), ``U`` (4M_h, M_h),
    ``b`` (4M_h,). The forget gate's bias starts at 1 so the cell remembers from the start. The state is
    the pair (h, c).

    ``forward`` and ``backward`` over whole sequences without a mask run a fused loop (``_fused_forward``,
    ``_fused_backward``): the same equations, in place, in work arrays the layer allocates once per shape
    and keeps (about 20·T·N·M_h numbers; up to 2 MB each): nine numpy calls per step forward and six backward
    besides the matrix products, against about thirty and twenty cell by cell. ``layer.fast = False`` (or a mask) runs the cell by cell loop of :meth:`Recurrent.forward` and
    :meth:`Recurrent.backward` over ``_cell`` and ``_cell_backward`` instead; both give the same
    numbers (to rounding; a test holds them to 1e-12 in float64).
    """

    n_state = 2
    _U = "U"
    fast = True      # whole sequences without a mask: the fused loop; False: cell by cell (_cell, _cell_backward)
    _keep_bytes = 2 << 20   # the fused loop keeps its work arrays up to this size

    def __init__(self, M_in, M_h, seed=0, dtype=np.float64):
        super().__init__(M_in, M_h, seed, dtype)
        b = np.zeros(4 * M_h, dtype=self.dtype)
        b[M_h:2 * M_h] = 1.0                               # forget-gate bias 1
        self._set_params(W=self._uniform(4 * M_h, M_in), U=self._uniform(4 * M_h, M_h), b=b)
        self.penalized = {"W": np.s_[...], "U": np.s_[...]}
        # the fused loop's gate order o, i, f, g: the three sigmoid gates side by side (rows o, i, f), and
        # the three gates that multiply ∂q/∂c_t side by side (i, f, g)
        self._order = np.r_[3 * M_h:4 * M_h, 0:3 * M_h]
        self._buffers = {}

    def _cell(self, a, state):
        h_prev, c_prev = state
        z = a + h_prev @ self.params["U"].T  # W x_t + U h_{t-1} + b, all gates
        z_i, z_f, z_g, z_o = np.split(z, 4, axis=1)
        i = sigmoid(z_i)  # i_t = g_S(W_i x_t + U_i h_{t-1} + b_i)
        f = sigmoid(z_f)  # f_t = g_S(W_f x_t + U_f h_{t-1} + b_f)
        g = np.tanh(z_g)  # c̃_t = tanh(W_g x_t + U_g h_{t-1} + b_g)
        o = sigmoid(z_o)  # o_t = g_S(W_o x_t + U_o h_{t-1} + b_o)
        c = f * c_prev + i * g  # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
        h = o * np.tanh(c)      # h_t = o_t ⊙ tanh(c_t)
        return (h, c), (h_prev, c_prev, i, f, g, o, c)

    def _cell_backward(self, gstate, cache, accumulate=True):
        gh, gc = gstate  # ∂q/∂h_t, and ∂q/∂c_t through c_{t+1}
        h_prev, c_prev, i, f, g, o, c = cache
        tanh_c = np.tanh(c)
        gc = gc + gh * o * (1.0 - tanh_c ** 2)  # ∂q/∂c_t: via h_t and c_{t+1}
        g_i = gc * g * i * (1.0 - i)       # ∂q/∂z_i = ∂q/∂c_t ⊙ g_t ⊙ σ'
        g_f = gc * c_prev * f * (1.0 - f)  # ∂q/∂z_f = ∂q/∂c_t ⊙ c_{t-1} ⊙ σ'
        g_g = gc * i * (1.0 - g ** 2)      # ∂q/∂z_g = ∂q/∂c_t ⊙ i_t ⊙ tanh'
        g_o = gh * tanh_c * o * (1.0 - o)  # ∂q/∂z_o = ∂q/∂h_t ⊙ tanh(c_t) ⊙ σ'
        g_z = np.concatenate([g_i, g_f, g_g, g_o], axis=1)
        if accumulate:
            self.grads["U"] += g_z.T @ h_prev  # ∂q/∂U = ∂q/∂zᵀ h_{t-1}
        g_h_prev = g_z @ self.params["U"]      # ∂q/∂h_{t-1} = Uᵀ ∂q/∂z
        g_c_prev = gc * f                      # ∂q/∂c_{t-1} = ∂q/∂c_t ⊙ f_t
        return g_z, (g_h_prev, g_c_prev)

    # ------------------------------------------------------------------ the fused loop (same equations)
    def forward(self, x, train=False, mask=None, h0=None):
        """States H (N, T, M_h) for the sequences x (N, T, M_in); ``h0`` the initial pair (h, c), zeros if None.

        Without a mask (and with ``fast`` true) it runs ``_fused_forward``, else the cell by cell loop of
        :meth:`Recurrent.forward`.
        """
        if mask is not None or not self.fast:
            return super().forward(x, train, mask=mask, h0=h0)
        x = self._check_x(x)
        return self._fused_forward(x, None if h0 is None else self._internal(h0, x.shape[0], "h0"))

    def backward(self, grad_H, grad_last=None):
        """BPTT: ∂q/∂x (N, T, M_in) from ∂q/∂H (N, T, M_h), as :meth:`Recurrent.backward` (which it calls
        after a cell by cell forward); after a fused forward it runs ``_fused_backward``."""
        x, mask, caches = self._saved()
        if not isinstance(caches, tuple):                  # a cell by cell forward
            return super().backward(grad_H, grad_last)
        N, T, _ = x.shape
        grad_H = self._check_grad_y(grad_H, (N, T, self.M_h)).astype(self.dtype, copy=False)
        if self.truncate is not None:
            check_int(self.truncate, "truncate", 1, "the steps back BPTT goes, or None for all of them")
        given = None if grad_last is None else self._internal(grad_last, N, "grad_last")
        return self._fused_backward(x, grad_H, given, caches)

    def _backward_params(self, grad_H):
        """The ``grads`` of :meth:`backward` without ∂q/∂x (for the first layer of a network in training: no one
        needs the gradient of the data), which saves the fused loop's last matrix product."""
        x, _, caches = self._saved()
        if not isinstance(caches, tuple):
            return super()._backward_params(grad_H)
        grad_H = self._check_grad_y(grad_H, x.shape[:2] + (self.M_h,)).astype(self.dtype, copy=False)
        if self.truncate is not None:
            check_int(self.truncate, "truncate", 1, "the steps back BPTT goes, or None for all of them")
        self._fused_backward(x, grad_H, None, caches, need_x=False)

    def _work(self, name, shape, fill=None):
        """A work array of the fused loop, allocated once per shape and then reused: allocating large arrays anew
        at every call costs more than the loop itself (the memory goes back to the system and page-faults in
        again). ``fill`` sets a new array's initial value. Arrays above ``_keep_bytes`` (a large batch, as in
        ``predict``) are not kept: their arithmetic outweighs the allocation."""
        a = self._buffers.get(name)
        if a is None or a.shape != shape:
            a = np.empty(shape, dtype=self.dtype) if fill is None else np.full(shape, fill, dtype=self.dtype)
            if a.nbytes <= self._keep_bytes:
                self._buffers[name] = a
            else:
                self._buffers.pop(name, None)
        return a

    def _gates_ofig(self, A, out):
        """The rows of `A` (gates stacked i, f, g, o) into `out` in the fused loop's order o, i, f, g, the rows of
        the sigmoid gates o, i, f halved."""
        M, half = self.M_h, self.dtype.type(0.5)
        np.multiply(A[3 * M:], half, out=out[:M])
        np.multiply(A[:2 * M], half, out=out[M:3 * M])
        out[3 * M:] = A[2 * M:3 * M]
        return out

    def _fused_forward(self, x, state):
        """The forward pass of ``_cell`` over all steps, into work arrays filled in place.

        The arrays are *feature-major*: a step's gates are a (4M_h, N) array z_tᵀ = W x_tᵀ + U h_{t-1}ᵀ + b, so
        each gate is one contiguous (M_h, N) block (numpy is several times slower on strided blocks). The gates
        are kept in the order o, i, f, g, with the rows of the sigmoid gates o, i, f of W, U and b halved (exact:
        a power of 2): one ``tanh`` over the four blocks then gives g_t and tanh(z/2), and
        σ(z) = (1 + tanh(z/2)) / 2 = 0.5 tanh(z/2) + 0.5 for the other three. c_{t-1} follows a step's gates,
        so that (i_t, f_t) ⊙ (g_t, c_{t-1}) is one product; the products i_t ⊙ g_t and f_t ⊙ c_{t-1} are kept
        next to h_t for the backward pass.
        """
        N, T, M_in = x.shape
        M, dt = self.M_h, self.dtype
        Wb = self._work("Wb", (4 * M, M_in + 1))               # [W b] and U, gates o, i, f, g, sigmoid rows halved
        self._gates_ofig(self.params["W"], Wb[:, :M_in])
        self._gates_ofig(self.params["b"], Wb[:, M_in])
        U_half = self._gates_ofig(self.params["U"], self._work("U_half", (4 * M, M)))
        X1 = self._work("X1", (T, M_in + 1, N), fill=1.0)     # [x_t; 1] as columns, one per sequence
        np.copyto(X1[:, :M_in], x.transpose(1, 2, 0))
        Y5 = self._work("Y5", (T + 1, 5 * M, N))              # step t: gates o, i, f, g, then c_{t-1}
        Y, C = Y5[:T, :4 * M], Y5[:, 4 * M:]                   # C[t + 1] = c_tᵀ
        np.matmul(Wb, X1, out=Y)                               # W x_t + b for every t
        V = self._work("V", (T + 1, 3, M, N))                  # V[t + 1] = h_t, i_t ⊙ g_t, f_t ⊙ c_{t-1}
        H = V[:, 0]                                            # H[t + 1] = h_tᵀ, H[0] = h_0ᵀ
        TC = self._work("TC", (T, M, N))                       # tanh(c_t)ᵀ
        if state is None:
            H[0], C[0] = 0.0, 0.0
        else:
            H[0], C[0] = state[0].T, state[1].T
        Uh, h5 = self._work("Uh", (4 * M, N)), dt.type(0.5)
        S, Y55 = Y[:, :3 * M], Y5.reshape(T + 1, 5, M, N)    # sigmoid gates; o_t, i_t, f_t, g_t, c_{t-1}
        add, multiply, tanh, dot = np.add, np.multiply, np.tanh, np.dot      # (dot: less call overhead)
        for t in range(T):
            y, s, y5, v = Y[t], S[t], Y55[t], V[t + 1]
            dot(U_half, H[t], out=Uh)
            add(y, Uh, out=y)                                  # z_t (the rows of o, i, f halved)
            tanh(y, out=y)
            multiply(s, h5, out=s)
            add(s, h5, out=s)                                  # o_t, i_t, f_t = σ(z) = 0.5 tanh(z/2) + 0.5
            multiply(y5[1:3], y5[3:5], out=v[1:])              # i_t ⊙ g_t, f_t ⊙ c_{t-1}
            add(v[1], v[2], out=C[t + 1])                      # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
            tanh(C[t + 1], out=TC[t])
            multiply(y5[0], TC[t], out=v[0])                   # h_t = o_t ⊙ tanh(c_t)
        HB = self._work("HB", (T + 1, N, M))                   # HB[t] = h_t, batch-major, for ∂q/∂U and H
        np.copyto(HB, H.transpose(0, 2, 1))
        self._cache = (x, None, (Y, V, HB, C, TC))
        self.last_state = (HB[T].copy(), C[T].T.copy())
        return np.ascontiguousarray(HB[1:].transpose(1, 0, 2))

    def _fused_backward(self, x, grad_H, grad_last, cache, need_x=True):
        """BPTT of ``_cell_backward`` over all steps, in the arrays of ``_fused_forward``; sets ``grads``
        and ``grad_h0``, returns ∂q/∂x (None if not `need_x`).

        The local derivatives, which need no gradient, are computed for all steps at once before the loop:
        ∂q/∂z_o = ∂q/∂h_t ⊙ K_o and ∂q/∂z_{i,f,g} = ∂q/∂c_t ⊙ K_{i,f,g} with K_o = tanh(c_t) ⊙ σ'(z_o),
        K_i = g_t ⊙ σ'(z_i), K_f = c_{t-1} ⊙ σ'(z_f), K_g = i_t ⊙ tanh'(z_g); and P = o_t ⊙ (1 - tanh²(c_t)),
        ∂q/∂c_t = ∂q/∂h_t ⊙ P + ∂q/∂c_{t+1} ⊙ f_{t+1}. With σ' = σ (1 - σ) and tanh' = 1 - tanh², each is a
        product a that the forward pass kept minus a ⊙ b, six passes over the arrays: K_o = h_t - h_t ⊙ o_t
        (h_t = o_t ⊙ tanh(c_t)), K_i = i_t g_t - i_t g_t ⊙ i_t, K_f = f_t c_{t-1} - f_t c_{t-1} ⊙ f_t,
        K_g = i_t - i_t g_t ⊙ g_t, P = o_t - h_t ⊙ tanh(c_t). The loop multiplies them in place by ∂q/∂h_t
        and ∂q/∂c_t (K becomes ∂q/∂z): six numpy calls per step and the product Uᵀ ∂q/∂z_t.
        """
        Y, V, HB, C, TC = cache
        T, _, N = Y.shape
        M, dt, k, M_in = self.M_h, self.dtype, self.truncate, self.M_in
        p = self._order
        Y4 = Y.reshape(T, 4, M, N)                              # [:, j] = o, i, f, g
        o, i, f, g = Y4[:, 0], Y4[:, 1], Y4[:, 2], Y4[:, 3]
        K = self._work("K", (T, 4, M, N))
        np.multiply(V[1:], Y4[:, :3], out=K[:, :3])             # h_t ⊙ o_t, i_t g_t ⊙ i_t, f_t c_{t-1} ⊙ f_t
        np.subtract(V[1:], K[:, :3], out=K[:, :3])              # K_o = h_t - h_t ⊙ o_t, K_i, K_f likewise
        np.multiply(V[1:, 1], g, out=K[:, 3])
        np.subtract(i, K[:, 3], out=K[:, 3])                    # K_g = i_t - i_t g_t ⊙ g_t
        P = self._work("P", TC.shape)
        np.multiply(V[1:, 0], TC, out=P)
        np.subtract(o, P, out=P)                                # P = o_t - h_t ⊙ tanh(c_t)
        gH = self._work("gH", (T, M, N))
        np.copyto(gH, grad_H.transpose(1, 2, 0))                # ∂q/∂h_tᵀ from above
        if grad_last is None:
            gh, gc = np.zeros((M, N), dtype=dt), np.zeros((M, N), dtype=dt)
        else:
            gh, gc = grad_last[0].T.copy(), grad_last[1].T.copy()
        UT = self.params["U"][p].T
        GZ = K.reshape(T, 4 * M, N)                             # K[t] becomes ∂q/∂z_tᵀ, gates o, i, f, g
        add, multiply, dot = np.add, np.multiply, np.dot
        for t in range(T - 1, -1, -1):
            k_o, k_ifg, gz, p_t = K[t, 0], K[t, 1:], GZ[t], P[t]
            add(gh, gH[t], out=gh)                              # ∂q/∂h_t: from above and via step t+1
            multiply(p_t, gh, out=p_t)
            add(gc, p_t, out=gc)                                # ∂q/∂c_t: via h_t and via c_{t+1}
            multiply(k_o, gh, out=k_o)                          # ∂q/∂z_o
            multiply(k_ifg, gc, out=k_ifg)                      # ∂q/∂z_i, ∂q/∂z_f, ∂q/∂z_g
            multiply(gc, f[t], out=gc)                          # ∂q/∂c_{t-1} = ∂q/∂c_t ⊙ f_t
            dot(UT, gz, out=gh)                                 # ∂q/∂h_{t-1} via step t = Uᵀ ∂q/∂z_t
            if k is not None and t % k == 0:                    # block boundary: the entering state is a constant
                gh[...] = 0.0
                gc[...] = 0.0
        self.grad_h0 = (gh.T.copy(), gc.T.copy())
        G = self._work("G", (4 * M, T, N))
        np.copyto(G, GZ.transpose(1, 0, 2))
        G = G.reshape(4 * M, T * N)                             # a column per (t, n)
        self.grads["U"][p] = G @ HB[:-1].reshape(T * N, M)      # Σ_t ∂q/∂z_tᵀ h_{t-1}
        XB = self._work("XB", (T, N, M_in))
        np.copyto(XB, x.transpose(1, 0, 2))
        self.grads["W"][p] = G @ XB.reshape(T * N, M_in)        # Σ_t ∂q/∂z_tᵀ x_t
        self.grads["b"][p] = G @ self._work("ones", (T * N,), fill=1.0)   # Σ_t ∂q/∂z_t
        if not need_x:
            return None
        gx = np.empty((N, T, M_in), dtype=dt)
        W = self.params["W"][p]
        np.matmul(GZ.transpose(0, 2, 1), W, out=gx.transpose(1, 0, 2))  # ∂q/∂x_t = Wᵀ ∂q/∂z_t
        return gx


class GRU(_LinearInput):
    r"""Gated recurrent unit, the original variant of Cho et al. (2014): the reset gate acts before the product.

    .. math::
        \mathbf{r}_t &= g_S(W_r \mathbf{x}_t + U_r \mathbf{h}_{t-1} + \mathbf{b}_r) &&\text{reset gate}\\
        \mathbf{u}_t &= g_S(W_z \mathbf{x}_t + U_z \mathbf{h}_{t-1} + \mathbf{b}_z) &&\text{update gate}\\
        \tilde{\mathbf{h}}_t &= \tanh(W_h \mathbf{x}_t + U_h (\mathbf{r}_t \odot \mathbf{h}_{t-1}) + \mathbf{b}_h)\\
        \mathbf{h}_t &= \mathbf{u}_t \odot \mathbf{h}_{t-1} + (1 - \mathbf{u}_t) \odot \tilde{\mathbf{h}}_t

    Blocks stacked r, z, h̃ (the code's ``z`` is the update gate :math:`\mathbf{u}_t`): ``W`` (3M_h, M_in),
    ``U`` (3M_h, M_h), ``b`` (3M_h,). (PyTorch and cuDNN apply
    the reset gate after the product, :math:`\mathbf{r}_t \odot (U_h \mathbf{h}_{t-1} + \mathbf{b}_{hn})`.)
    """

    def __init__(self, M_in, M_h, seed=0, dtype=np.float64):
        super().__init__(M_in, M_h, seed, dtype)
        self._set_params(W=self._uniform(3 * M_h, M_in), U=self._uniform(3 * M_h, M_h),
                         b=np.zeros(3 * M_h, dtype=self.dtype))
        self.penalized = {"W": np.s_[...], "U": np.s_[...]}

    def _cell(self, a, state):
        h_prev, = state
        M, U = self.M_h, self.params["U"]
        U_rz, U_h = U[:2 * M], U[2 * M:]
        a_rz, a_h = a[:, :2 * M], a[:, 2 * M:]  # W x_t + b
        s = a_rz + h_prev @ U_rz.T  # W x_t + U h_{t-1} + b for r and z
        r = sigmoid(s[:, :M])  # r_t = g_S(W_r x_t + U_r h_{t-1} + b_r)
        z = sigmoid(s[:, M:])  # u_t = g_S(W_z x_t + U_z h_{t-1} + b_z)
        # h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h)
        h_tilde = np.tanh(a_h + (r * h_prev) @ U_h.T)
        # h_t = u_t ⊙ h_{t-1} + (1 − u_t) ⊙ h̃_t
        h = z * h_prev + (1.0 - z) * h_tilde
        return (h,), (h_prev, r, z, h_tilde)

    def _cell_backward(self, gstate, cache, accumulate=True):
        gh, = gstate                                           # ∂q/∂h_t
        h_prev, r, z, h_tilde = cache
        M, U = self.M_h, self.params["U"]
        U_rz, U_h = U[:2 * M], U[2 * M:]
        g_h = gh * (1.0 - z) * (1.0 - h_tilde ** 2)            # ∂q/∂(pre-activation of h̃_t)
        g_rh = g_h @ U_h                                       # ∂q/∂(r_t ⊙ h_{t-1})
        g_r = g_rh * h_prev * r * (1.0 - r)                    # ∂q/∂(pre-activation of r_t)
        g_z = gh * (h_prev - h_tilde) * z * (1.0 - z)          # ∂q/∂(pre-activation of z_t)
        g_rz = np.concatenate([g_r, g_z], axis=1)
        self.grads["U"][:2 * M] += g_rz.T @ h_prev
        self.grads["U"][2 * M:] += g_h.T @ (r * h_prev)
        g_prev = gh * z + g_rh * r + g_rz @ U_rz               # ∂q/∂h_{t-1}: direct, via h̃_t, via r_t and z_t
        return np.concatenate([g_rz, g_h], axis=1), (g_prev,)


def _check_steps(x):
    """x as a float array (N, T, M) with N >= 1 sequences of T >= 1 steps, or a ValueError naming x."""
    x = as_real_array(x, "x")
    if x.ndim != 3 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (N, T, M) with N >= 1 sequences of T >= 1 steps; got shape {x.shape}")
    return x


class LastStep(Layer):
    """The last time step of a sequence batch: (N, T, M) -> (N, M), to classify a whole sequence."""

    def forward(self, x, train=False):
        x = _check_steps(x)
        self._cache = x.shape
        return x[:, -1]

    def backward(self, grad_y):
        shape = self._saved()
        grad_y = self._check_grad_y(grad_y, (shape[0], shape[2]))
        g = np.zeros(shape, dtype=grad_y.dtype)
        g[:, -1] = grad_y
        return g


class PerStep(Layer):
    """A layer for rows (e.g. ``nnlib.layers.dense.Dense``) applied at every time step: the slides'
    :math:`\\mathbf{y}_n = f(W \\mathbf{x}_n)`, the same weights at every n. (N, T, M) -> (N, T, M')."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.params, self.grads, self.penalized = layer.params, layer.grads, layer.penalized

    def forward(self, x, train=False):
        x = _check_steps(x)
        y = self.layer.forward(x.reshape(-1, x.shape[-1]), train)
        self._cache = x.shape[:2]
        return y.reshape(x.shape[:2] + y.shape[1:])

    def backward(self, grad_y):
        N, T = self._saved()
        grad_y = as_real_array(grad_y, "grad_y")
        g = self.layer.backward(grad_y.reshape((N * T,) + grad_y.shape[2:]))
        return g.reshape((N, T) + g.shape[1:])

    def __repr__(self):
        return f"PerStep({self.layer!r})"
