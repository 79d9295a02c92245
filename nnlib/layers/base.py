r"""Modular layers for deep networks: the contract every layer follows, the dense layer and activation layers.

A layer maps a batch ``x`` (samples as rows, or (N, C, H, W) images, or (N, T, M) sequences) to a batch ``y``:

- ``y = layer.forward(x, train=False)`` computes the output and keeps what ``backward`` needs. ``train=True``
  selects training behaviour where it differs (dropout, batch normalization).
- ``grad_x = layer.backward(grad_y)`` takes :math:`\partial q / \partial y` (same shape as ``y``) for the last
  ``forward`` and returns :math:`\partial q / \partial x`; it overwrites ``layer.grads[name]`` with
  :math:`\partial q / \partial p` for every ``layer.params[name]``. Neither ``x`` nor ``grad_y`` is mutated.
- ``layer.params`` and ``layer.grads`` are dicts of arrays with the same keys and shapes. Optimizers update
  ``params`` in place, so a layer never rebinds a parameter array.
- ``layer._unchecked_forward`` and ``layer._unchecked_backward`` do the same without checking their input:
  :meth:`~nnlib.layers.sequential.Sequential.fit` checks the data once per fit and then calls them, so a small
  network does not pay the checks at every block. A public method checks, then calls its own class's unchecked
  form (``Dense._unchecked_forward(self, x, train)``); a subclass that redefines ``forward`` or ``backward``
  alone gets unchecked forms that call it, so a fit never skips what the subclass changed.
  ``layer._backward_params`` fills ``grads`` only, for the first layer (the gradient of the data is not needed).
- ``layer.penalized`` maps a parameter name to the index of its entries that weight penalties (L1, L2) act on.
  Thresholds (biases, :math:`\theta_{i0}`) and normalization gains are not penalized.

The slides' error term is :math:`\delta = -\partial q / \partial \phi`: a layer's ``backward`` receives and
returns gradients, so for a dense layer ``grad_y`` is :math:`-\delta`.

:class:`Dense` keeps the slides' homogeneous weights: ``params["theta"]`` has shape (M_l, M_{l-1}+1) and its
column 0 holds the thresholds, exactly as ``nnlib.mlp.network.MLP.theta[l]``.
"""

import numpy as np

from .._validate import as_real_array, check_float_dtype

__all__ = ["Layer", "check_input"]


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

    def __init_subclass__(cls, **kwargs):
        """A subclass that redefines ``forward`` (``backward``) without its unchecked form gets the default one,
        which calls its ``forward`` (``backward``): a fit never skips a method a subclass changed. (The public
        methods call their own class's unchecked form by name, so this default does not call itself back.)"""
        super().__init_subclass__(**kwargs)
        if "forward" in vars(cls) and "_unchecked_forward" not in vars(cls):
            cls._unchecked_forward = Layer._unchecked_forward
        if "backward" in vars(cls) and "_unchecked_backward" not in vars(cls):
            cls._unchecked_backward = Layer._unchecked_backward
        if ({"backward", "_unchecked_backward"} & set(vars(cls))) and "_backward_params" not in vars(cls):
            cls._backward_params = Layer._backward_params

    def forward(self, x, train=False):
        """The output y for the batch x; keeps what :meth:`backward` needs (``train``: training behaviour)."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward(x, train)")

    def backward(self, grad_y):
        r""":math:`\partial q/\partial x` from :math:`\partial q/\partial y`; fills ``grads`` for every parameter."""
        raise NotImplementedError(f"{type(self).__name__} must implement backward(grad_y)")

    def _unchecked_forward(self, x, train=False):
        """:meth:`forward` without checking `x`, with the same result: for a training loop that checked its
        data once (:meth:`~nnlib.layers.sequential.Sequential.fit`). The default is ``forward`` itself; a layer
        whose checks cost time next to its arithmetic (:class:`~nnlib.layers.dense.Dense`,
        :class:`~nnlib.layers.dense.Act`) overrides it, and its ``forward`` checks `x` and then calls it."""
        return self.forward(x, train)

    def _unchecked_backward(self, grad_y):
        """:meth:`backward` without checking `grad_y` (the layer above made it, of the right shape), with the
        same result; the default is ``backward`` itself."""
        return self.backward(grad_y)

    def _backward_params(self, grad_y):
        r"""The ``grads`` of :meth:`_unchecked_backward` without :math:`\partial q/\partial x`: for the first
        layer of a network in training, whose input is the data (no one needs its gradient). The default runs
        ``_unchecked_backward`` and drops its result; :class:`~nnlib.layers.dense.Dense` and
        :class:`~nnlib.layers.conv.Conv2D` skip the product (and the col2im) of the input gradient."""
        self._unchecked_backward(grad_y)

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
