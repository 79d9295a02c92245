r"""Modular layers for deep networks: the contract every layer follows, the dense layer and activation layers.

A layer maps a batch ``x`` (samples as rows, or (N, C, H, W) images, or (N, T, M) sequences) to a batch ``y``:

- ``y = layer.forward(x, train=False)`` computes the output and keeps what ``backward`` needs. ``train=True``
  selects training behaviour where it differs (dropout, batch normalization).
- ``grad_x = layer.backward(grad_y)`` takes :math:`\partial q / \partial y` (same shape as ``y``) for the last
  ``forward`` and returns :math:`\partial q / \partial x`; it overwrites ``layer.grads[name]`` with
  :math:`\partial q / \partial p` for every ``layer.params[name]``. Neither ``x`` nor ``grad_y`` is mutated.
- ``layer.params`` and ``layer.grads`` are dicts of arrays with the same keys and shapes. Optimizers update
  ``params`` in place, so a layer never rebinds a parameter array.
- ``layer.penalized`` maps a parameter name to the index of its entries that weight penalties (L1, L2) act on.
  Thresholds (biases, :math:`\theta_{i0}`) and normalization gains are not penalized.

The slides' error term is :math:`\delta = -\partial q / \partial \phi`: a layer's ``backward`` receives and
returns gradients, so for a dense layer ``grad_y`` is :math:`-\delta`.

:class:`Dense` keeps the slides' homogeneous weights: ``params["theta"]`` has shape (M_l, M_{l-1}+1) and its
column 0 holds the thresholds, exactly as ``nnlib.mlp.MLP.theta[l]``.
"""

import numpy as np

from . import activations as act
from ._validate import as_real_array, check_float_dtype

__all__ = ["Layer", "Dense", "Act", "check_input"]


def check_input(x, ndim, name="x", size=None, axis=-1, what=None):
    """`x` as a float array with `ndim` dimensions (and `size` entries along `axis`), or a ValueError naming `name`."""
    x = as_real_array(x, name)
    if x.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions{f' ({what})' if what else ''}; got shape {x.shape}")
    if x.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample; got shape {x.shape}")
    if size is not None and x.shape[axis] != size:
        raise ValueError(f"{name} must have {size} entries along axis {axis}{f' ({what})' if what else ''}; "
                         f"got shape {x.shape}")
    return x


class Layer:
    """Base class of the modular layers (see the module docstring for the contract).

    Subclasses set ``self.params``, ``self.grads`` and ``self.penalized`` in ``__init__`` and implement
    :meth:`forward` and :meth:`backward`. A layer without parameters keeps the empty dicts.
    """

    params: dict
    grads: dict
    penalized: dict

    def __init__(self):
        self.params, self.grads, self.penalized = {}, {}, {}
        self._cache = None

    def forward(self, x, train=False):
        """The output y for the batch x; keeps what :meth:`backward` needs (``train``: training behaviour)."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward(x, train)")

    def backward(self, grad_y):
        r""":math:`\partial q/\partial x` from :math:`\partial q/\partial y`; fills ``grads`` for every parameter."""
        raise NotImplementedError(f"{type(self).__name__} must implement backward(grad_y)")

    def _saved(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return self._cache

    def _check_grad_y(self, grad_y, y_shape):
        grad_y = as_real_array(grad_y, "grad_y")
        if grad_y.shape != tuple(y_shape):
            raise ValueError(f"grad_y must have the shape of the last output {tuple(y_shape)}; got {grad_y.shape}")
        return grad_y

    def __call__(self, x, train=False):
        return self.forward(x, train)

    def __repr__(self):
        shapes = ", ".join(f"{k}{tuple(v.shape)}" for k, v in self.params.items())
        return f"{type(self).__name__}({shapes})"


class Dense(Layer):
    r"""A fully connected layer in the slides' homogeneous form: :math:`\phi = \tilde{x}\, \theta^{\mathsf T}`.

    .. math:: \phi_i = \theta_{i0} + \sum_{j=1}^{M_{l-1}} \theta_{ij}\, x_j

    ``params["theta"]`` has shape (M_out, M_in + 1), column 0 the thresholds :math:`\theta_{i0}` (not penalized).

    Parameters
    ----------
    M_in, M_out : int
        Input and output sizes :math:`M_{l-1}` and :math:`M_l`.
    init : {"glorot", "he", "normal"}, default "glorot"
        Weight scale: Glorot/Xavier uniform :math:`\pm\sqrt{6/(M_{in}+M_{out})}`, He normal
        :math:`\sqrt{2/M_{in}}`, or normal with standard deviation ``scale``. Thresholds start at 0.
    seed : int or numpy Generator, default 0
        Same seed, same weights (give each layer its own seed; None draws fresh ones).
    scale : float, default 0.1
        Standard deviation for ``init="normal"``.
    dtype : floating-point dtype, default float64
        An integer dtype is refused (it would round every weight to a whole number).
    """

    def __init__(self, M_in, M_out, init="glorot", seed=0, scale=0.1, dtype=np.float64):
        super().__init__()
        for value, name in ((M_in, "M_in"), (M_out, "M_out")):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
        dtype = check_float_dtype(dtype)
        rng = np.random.default_rng(seed)
        if init == "glorot":
            a = np.sqrt(6.0 / (M_in + M_out))
            W = rng.uniform(-a, a, size=(M_out, M_in))
        elif init == "he":
            W = rng.normal(0.0, np.sqrt(2.0 / M_in), size=(M_out, M_in))
        elif init == "normal":
            W = rng.normal(0.0, scale, size=(M_out, M_in))
        else:
            raise ValueError(f"init must be 'glorot', 'he' or 'normal'; got {init!r}")
        theta = np.zeros((M_out, M_in + 1), dtype=dtype)
        theta[:, 1:] = W
        self.M_in, self.M_out = int(M_in), int(M_out)
        self.params = {"theta": theta}
        self.grads = {"theta": np.zeros_like(theta)}
        self.penalized = {"theta": np.s_[:, 1:]}

    def forward(self, x, train=False):
        x = check_input(x, 2, "x", size=self.M_in, what="samples as rows, M_in columns")
        theta = self.params["theta"]
        phi = x @ theta[:, 1:].T + theta[:, 0]            # φ = θ_0 + x Wᵀ  (φ = x̃ θᵀ)
        self._cache = x
        return phi

    def backward(self, grad_y):
        x = self._saved()
        theta = self.params["theta"]
        grad_phi = self._check_grad_y(grad_y, (x.shape[0], self.M_out))   # ∂q/∂φ = −δ
        g = self.grads["theta"]
        g[:, 0] = grad_phi.sum(axis=0)                   # ∂q/∂θ_i0 = Σ_n ∂q/∂φ_ni
        np.matmul(grad_phi.T, x, out=g[:, 1:])           # ∂q/∂θ_ij = Σ_n ∂q/∂φ_ni x_nj
        return grad_phi @ theta[:, 1:]                   # ∂q/∂x_j = Σ_i ∂q/∂φ_i θ_ij


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
        x = as_real_array(x, "x")
        self._cache = x
        return self.g(x, **self.g_params)                  # s = g(φ)

    def backward(self, grad_y):
        phi = self._saved()
        grad_s = self._check_grad_y(grad_y, phi.shape)
        if self.g.elementwise:
            return self.g.prime(phi, **self.g_params) * grad_s   # ∂q/∂φ = g'(φ) ∂q/∂s
        return self.g.jvp(phi, grad_s, **self.g_params)

    def __repr__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self.g_params.items())
        return f"Act({self.g.name!r}{extra})"
