r"""The dense layer (the slides' layer of perceptrons, homogeneous weights) and the activation layer."""

import numpy as np

from .. import activations as act
from .. import init as _init
from .._validate import as_real_array, check_float_dtype, check_int
from .base import Layer, check_input

__all__ = ["Dense", "Act"]


class Dense(Layer):
    r"""A fully connected layer in the slides' homogeneous form: :math:`\phi = \tilde{x}\, \theta^{\mathsf T}`.

    .. math:: \phi_i = \theta_{i0} + \sum_{j=1}^{M_{l-1}} \theta_{ij}\, x_j

    ``params["theta"]`` has shape (M_out, M_in + 1), column 0 the thresholds :math:`\theta_{i0}` (not penalized).

    Parameters
    ----------
    M_in, M_out : int
        Input and output sizes :math:`M_{l-1}` and :math:`M_l`.
    init : str, default "glorot" (``glorot_uniform``)
        A scheme of :mod:`nnlib.init`, the one set of nnlib: Glorot/Xavier uniform
        :math:`\pm\sqrt{6/(M_{in}+M_{out})}` (``"glorot"``), He normal :math:`\sqrt{2/M_{in}}` (``"he"``), normal
        with standard deviation ``scale`` (``"normal"``), ... Thresholds start at 0 (except with ``"uniform"``).
        The same scheme and seed give the same ``theta`` as :class:`~nnlib.mlp.network.MLP`'s ``theta[l]``.
    seed : int or numpy Generator, default 0
        Same seed, same weights (give each layer its own seed; None draws fresh ones).
    scale : float, optional
        Standard deviation for ``init="normal"`` (default 0.1), half-width for ``"uniform"`` (default 0.5).
    dtype : floating-point dtype, default float64
        An integer dtype is refused (it would round every weight to a whole number).
    """

    def __init__(self, M_in, M_out, init="glorot", seed=0, scale=None, dtype=np.float64):
        super().__init__()
        self.M_in, self.M_out = check_int(M_in, "M_in"), check_int(M_out, "M_out")
        theta = _init.theta(init, self.M_out, self.M_in, _init.rng(seed), check_float_dtype(dtype), scale)
        self.params = {"theta": theta}
        self.grads = {"theta": np.zeros_like(theta)}
        self.penalized = {"theta": np.s_[:, 1:]}

    def forward(self, x, train=False):
        x = check_input(x, 2, "x", size=self.M_in, what="samples as rows, M_in columns")
        return Dense._unchecked_forward(self, x, train)

    def _unchecked_forward(self, x, train=False):
        theta = self.params["theta"]
        phi = x @ theta[:, 1:].T + theta[:, 0]            # φ = θ_0 + x Wᵀ  (φ = x̃ θᵀ)
        self._cache = x
        return phi

    def backward(self, grad_y):
        x = self._saved()
        return Dense._unchecked_backward(self, self._check_grad_y(grad_y, (x.shape[0], self.M_out)))

    def _unchecked_backward(self, grad_phi):             # ∂q/∂φ = −δ
        Dense._backward_params(self, grad_phi)
        theta = self.params["theta"]
        return grad_phi @ theta[:, 1:]                   # ∂q/∂x_j = Σ_i ∂q/∂φ_i θ_ij

    def _backward_params(self, grad_phi):
        x = self._saved()
        g = self.grads["theta"]
        g[:, 0] = grad_phi.sum(axis=0)                   # ∂q/∂θ_i0 = Σ_n ∂q/∂φ_ni
        np.matmul(grad_phi.T, x, out=g[:, 1:])           # ∂q/∂θ_ij = Σ_n ∂q/∂φ_ni x_nj


class Act(Layer):
    r"""An activation layer :math:`s = g(\phi)`, elementwise (or softmax over the last axis).

    ``backward``: :math:`\partial q/\partial \phi = g'(\phi) \odot \partial q/\partial s` (the Jacobian–vector
    product for softmax). `g` is a name or an :class:`nnlib.activations.Activation`, e.g.
    ``Act("relu")``; parameters of the activation are keywords: ``Act("leaky_relu", slope=0.2)``,
    ``Act("elu", alpha=0.5)``.
    """

    def __init__(self, g, **params):
        super().__init__()
        self.g = act.get(g)
        unknown = set(params) - set(self.g.params)
        if unknown:
            raise ValueError(f"params of {self.g.name} are {sorted(self.g.params) or 'none'}; got {sorted(unknown)}")
        self.g_params = params

    def forward(self, x, train=False):
        return Act._unchecked_forward(self, as_real_array(x, "x"), train)

    def _unchecked_forward(self, x, train=False):
        self._cache = x
        return self.g.raw(x, **self.g_params)              # s = g(φ)

    def backward(self, grad_y):
        return Act._unchecked_backward(self, self._check_grad_y(grad_y, self._saved().shape))

    def _unchecked_backward(self, grad_s):
        phi = self._saved()
        if self.g.elementwise:
            return self.g.raw_prime(phi, **self.g_params) * grad_s   # ∂q/∂φ = g'(φ) ∂q/∂s
        return self.g.jvp(phi, grad_s, **self.g_params)

    def __repr__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self.g_params.items())
        return f"Act({self.g.name!r}{extra})"
