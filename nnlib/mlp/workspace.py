r"""The fast path of the training loops: BackProp on blocks of samples, in arrays allocated once per fit.

:func:`nnlib.mlp.train.batch`, :func:`~nnlib.mlp.train.minibatch` and :func:`~nnlib.mlp.train.incremental` compute
each update's gradient with a :class:`Workspace` instead of :func:`nnlib.mlp.backprop.gradient`. The formulas are the
same (``tests/mlp/test_workspace.py`` checks that both give the same :math:`q` and gradient to 1e-12 in float64);
what differs is the bookkeeping, so that a block costs its matrix products and little else:

- **homogeneous coordinates kept.** The input with its column of ones, :math:`\tilde X = [\mathbf{1}, X]`, is built
  once per fit, and every hidden layer's output is stored as :math:`\tilde S^l = [\mathbf{1}, S^l]`. Each layer is
  then one matrix product with the thresholds inside, :math:`\Phi^l = \tilde S^{l-1} {\Theta^l}^T` (the slides'
  :math:`\phi^l_i = \sum_{j=0}^{M_{l-1}} \theta^l_{ij} s^{l-1}_j`, :math:`s^{l-1}_0 = 1`), and each gradient is one
  product, :math:`\partial q / \partial \Theta^l = -\frac{1}{N} {\delta^l}^T \tilde S^{l-1}`, threshold column
  included;
- **no allocation per block.** The products write into arrays allocated once (``out=``); a block's samples are
  gathered straight into the input array;
- **checks once per fit.** The data were checked by the trainer; nothing is checked again per block (the trainer's
  :class:`~nnlib.loop.DivergenceCheck` turns an overflow into :class:`~nnlib.loop.Diverged`);
- **ReLU in place.** For ReLU layers :math:`g` and :math:`g' \odot v` are computed in place; other activations
  call their :class:`~nnlib.activations.Activation`'s formulas without the checks (``raw``, ``raw_prime``).

The gradient arrays a :class:`Workspace` returns are its own and are overwritten by the next call: the optimizer
consumes them at once (``opt.apply``, which may use them as scratch).
"""

import numpy as np

from .. import activations as act
from .. import losses
from .backprop import _times_g_prime

__all__ = ["Workspace"]


class Workspace:
    r"""Arrays for BackProp on blocks of up to `B` samples of `X` (one fit of `net`).

    Parameters
    ----------
    net : nnlib.mlp.network.MLP
        Its ``theta`` arrays are read at every call (the optimizer updates them in place).
    X : ndarray, shape (N, M_0)
        Checked training samples, in the net's dtype.
    t : ndarray, shape (N, M_L)
        Checked targets (one-hot for labels), in the net's dtype.
    loss : str or callable
        A name of :data:`nnlib.losses.LOSSES` or a function ``loss(phi_L, t, g) -> (q, delta_L)``.
    B : int
        The largest block, 1 <= B <= N.
    """

    def __init__(self, net, X, t, loss, B):
        self.net, self.t = net, t
        N, dtype, M, L = X.shape[0], net.dtype, net.M, net.L
        loss_fn = losses.get(loss)
        core = losses.CORES.get(loss_fn)
        if core is not None:
            # the targets and the output layer checked once, by the loss itself (e.g. cross-entropy needs a
            # softmax output and a distribution per row of t); then the checks are skipped block after block
            loss_fn(np.zeros_like(t), t, net.g[L])
        self.loss = core if core is not None else loss_fn
        self.X1 = np.empty((N, M[0] + 1), dtype)       # [1, X], built once
        self.X1[:, 0] = 1
        self.X1[:, 1:] = X
        # s̃^l = [1, s^l] for l = 0..L-1 (column 0 stays 1); phi^l; the gradient of every theta^l
        self.S1 = [np.ones((B, M[l] + 1), dtype) for l in range(L)]
        self.T = np.empty((B, M[L]), dtype)
        self.phi = [None] + [np.empty((B, M[l]), dtype) for l in range(1, L + 1)]
        self.back = [None] + [np.empty((B, M[l]), dtype) for l in range(1, L)]
        self.grad = [None] + [np.empty_like(net.theta[l]) for l in range(1, L + 1)]

    def _forward(self, S0, n):
        """Fill ``phi[l][:n]`` and the outputs ``S1[l][:n, 1:]`` from the input rows `S0` (with their ones)."""
        theta, g, L = self.net.theta, self.net.g, self.net.L
        s = S0
        for l in range(1, L + 1):
            phi = self.phi[l][:n]
            np.matmul(s, theta[l].T, out=phi)           # Φ^l = S̃^{l-1} Θ^lᵀ, thresholds included
            if l < L:
                s = self.S1[l][:n]
                if g[l] is act.relu:
                    np.maximum(phi, 0, out=s[:, 1:])
                else:
                    s[:, 1:] = g[l].raw(phi)
        return s

    def gradient(self, b=None):
        r""":math:`q` and :math:`\partial q / \partial \theta^l` on the samples of block `b` (an index array; None:
        all N samples in order). Returns ``q, grad`` with ``grad[l]`` this workspace's array (overwritten by the next
        call)."""
        theta, g, L = self.net.theta, self.net.g, self.net.L
        if b is None:
            S0, T, n = self.X1, self.t, self.X1.shape[0]
        else:
            n = len(b)
            S0, T = self.S1[0][:n], self.T[:n]
            np.take(self.X1, b, axis=0, out=S0, mode="clip")   # the block's rows of [1, X]
            np.take(self.t, b, axis=0, out=T, mode="clip")
        self._forward(S0, n)
        q, delta = self.loss(self.phi[L][:n], T, g[L])
        for l in range(L, 0, -1):
            s_prev = S0 if l == 1 else self.S1[l - 1][:n]
            if l > 1:
                back = self.back[l - 1][:n]
                np.matmul(delta, theta[l][:, 1:], out=back)   # Σ_r δ^l_r θ^l_ri
            delta *= -1.0 / n
            np.matmul(delta.T, s_prev, out=self.grad[l])     # −(1/n) δ^lᵀ S̃^{l-1}
            if l > 1:
                phi = self.phi[l - 1][:n]
                if g[l - 1] is act.relu:
                    back *= phi > 0                           # g'_U(φ) ⊙ sums, in place
                elif g[l - 1].elementwise:
                    back *= g[l - 1].raw_prime(phi)           # g'(φ) ⊙ sums
                else:
                    back = _times_g_prime(g[l - 1], phi, back)
                delta = back
        return float(q), self.grad

    def cost(self, most=None):
        """:math:`q_S`, forward pass only, in blocks of the workspace's size: on all N samples, or on at most
        `most` of them, evenly spread over S (every k-th sample, k = ceil(N / most)): an estimate that costs
        most/N of a pass."""
        L, B, N = self.net.L, self.T.shape[0], self.X1.shape[0]
        k = 1 if most is None or most >= N else -(-N // most)
        rows = np.arange(0, N, k)
        total = 0.0
        for start in range(0, len(rows), B):
            b = rows[start:start + B]
            n = len(b)
            if k == 1:
                S0, T = self.X1[b[0]:b[0] + n], self.t[b[0]:b[0] + n]
            else:
                S0, T = self.S1[0][:n], self.T[:n]
                np.take(self.X1, b, axis=0, out=S0, mode="clip")
                np.take(self.t, b, axis=0, out=T, mode="clip")
            self._forward(S0, n)
            q, _ = self.loss(self.phi[L][:n], T, self.net.g[L])
            total += q * n
        return total / len(rows)
