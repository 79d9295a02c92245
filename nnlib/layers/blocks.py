r"""Building blocks of deep networks: the residual connection and the maxout unit.

- :class:`Residual` (slide "Conexión residual y drop-out"): if a block computes :math:`x \mapsto f(x)` with
  :math:`f(x)` of the same size as :math:`x`, the residual connection computes :math:`f(x) + x`. Its backward
  pass adds the identity: :math:`\partial q/\partial x = \partial q/\partial y + J_f^{\mathsf T}\,\partial q/\partial y`,
  so the gradient reaches the lower layers even when :math:`J_f` is tiny.
- :class:`Maxout` (slide "Funciones de activación (1)"; Goodfellow et al. 2013): each output is the largest of
  :math:`k` affine pieces, :math:`f(x) = \max(w_1 x + b_1, w_2 x + b_2)` for :math:`k = 2`.
"""

import numpy as np

from .. import init as _init
from .._validate import check_int
from .base import Layer, check_input

__all__ = ["Residual", "Maxout"]


class Residual(Layer):
    r"""Residual block :math:`y = x + f(x)`, with :math:`f` the layer `inner` (e.g. a :class:`Sequential`).

    ``params``/``grads`` are the inner layer's, keyed ``"inner.<name>"`` (the same arrays, so an optimizer
    updating ``params`` in place updates `inner`). `inner` must keep the shape of its input.
    """

    def __init__(self, inner):
        super().__init__()
        if not isinstance(inner, Layer):
            raise TypeError(f"inner must be an nnlib layer; got {type(inner).__name__}")
        self.inner = inner
        self.params = {f"inner.{k}": v for k, v in inner.params.items()}
        self.grads = {f"inner.{k}": v for k, v in inner.grads.items()}
        self.penalized = {f"inner.{k}": v for k, v in inner.penalized.items()}

    def forward(self, x, train=False):
        fx = self.inner.forward(x, train)
        x = np.asarray(x)
        if fx.shape != x.shape:
            raise ValueError(
                f"Residual needs inner to keep the shape of its input: "
                f"x has shape {x.shape} but inner(x) has shape {fx.shape}")
        self._cache = fx.shape
        return x + fx  # y = x + f(x)

    def backward(self, grad_y):
        shape = self._saved()
        grad_y = self._check_grad_y(grad_y, shape)
        grad_x = grad_y + self.inner.backward(grad_y)  # = ∂q/∂y + J_fᵀ ∂q/∂y
        inner = self.inner.grads
        self.grads.update({f"inner.{k}": v for k, v in inner.items()})
        return grad_x

    def __repr__(self):
        return f"Residual({self.inner!r})"


class Maxout(Layer):
    r"""Maxout layer: :math:`y_i = \max_{j=1..k} \big(\theta_{ji0} + \sum_m \theta_{jim}\, x_m\big)`.

    ``params["theta"]`` has shape (k, M_out, M_in + 1): piece :math:`j` is a dense layer in the slides'
    homogeneous form (column 0 the thresholds, not penalized). The gradient of each output goes only to the
    piece that attains the maximum (the argmax piece); the other pieces get 0 from that sample.

    Parameters
    ----------
    M_in, M_out : int
    k : int >= 2, default 2
        Number of affine pieces per output.
    seed : int or numpy Generator, default 0
        Weights Glorot-uniform :math:`\pm\sqrt{6/(M_{in}+M_{out})}` per piece; thresholds drawn
        :math:`\mathcal U(-0.1, 0.1)` so that the pieces differ at the origin.
    """

    def __init__(self, M_in, M_out, k=2, seed=0):
        super().__init__()
        M_in, M_out, k = check_int(M_in, "M_in"), check_int(M_out, "M_out"), check_int(k, "k", 2)
        self.M_in, self.M_out, self.k = M_in, M_out, k
        rng = _init.rng(seed)
        theta = np.empty((k, M_out, M_in + 1))
        theta[:, :, 0] = _init.weights("uniform", (k, M_out), M_in, M_out, rng, scale=0.1)    # U(−0.1, 0.1)
        theta[:, :, 1:] = _init.weights("glorot_uniform", (k, M_out, M_in), M_in, M_out, rng)
        self.params = {"theta": theta}
        self.grads = {"theta": np.zeros_like(theta)}
        self.penalized = {"theta": np.s_[:, :, 1:]}

    def forward(self, x, train=False):
        x = check_input(x, 2, "x", size=self.M_in,
                        what="samples as rows, M_in columns")
        theta = self.params["theta"]
        k, M_out = self.k, self.M_out
        W = theta[:, :, 1:].reshape(k * M_out, self.M_in)
        b = theta[:, :, 0].reshape(-1)
        phi = (x @ W.T + b).reshape(-1, k, M_out)  # φ_nji: piece j, output i
        j_max = phi.argmax(axis=1)  # winning piece per (n, i)
        self._cache = (x, j_max)
        return phi.max(axis=1)  # y_ni = max_j φ_nji

    def backward(self, grad_y):
        x, j_max = self._saved()
        grad_y = self._check_grad_y(grad_y, (x.shape[0], self.M_out))
        k, M_out = self.k, self.M_out
        grad_phi = np.zeros((x.shape[0], k, M_out))
        np.put_along_axis(grad_phi, j_max[:, None, :], grad_y[:, None, :], axis=1)  # route to the argmax piece
        G = grad_phi.reshape(x.shape[0], k * M_out)
        g = self.grads["theta"]
        g[:, :, 0] = G.sum(axis=0).reshape(k, M_out)                           # ∂q/∂θ_ji0
        g[:, :, 1:] = (G.T @ x).reshape(k, M_out, self.M_in)                   # ∂q/∂θ_jim
        W = self.params["theta"][:, :, 1:].reshape(k * M_out, self.M_in)
        return G @ W                                                           # ∂q/∂x_m

    def __repr__(self):
        return f"Maxout({self.M_in}, {self.M_out}, k={self.k})"
