"""nnlib: the numpy companion library of the course book "Multilayer neural networks".

Every equation of the book is one line of nnlib, written with the slides' names:
``theta`` (weights, column 0 the threshold), ``phi`` (pre-activation φ), ``s`` (node output),
``delta`` (δ = -∂q/∂φ), ``rho`` (learning rate ρ), ``nu`` (momentum ν), ``lam`` (regularization λ),
``g`` and ``g.prime`` (an activation function and its derivative).

Seeds: every constructor that draws random numbers (``MLP``, ``Dense``, ``Conv2D``, the recurrent layers,
``Dropout``, ...) and every training loop that shuffles takes ``seed=0`` by default, so the same code gives the
same numbers; pass another int for another draw (give each layer its own), or ``seed=None`` for fresh randomness.

The core needs numpy only. ``nnlib.book.symbolic`` (SymPy), ``nnlib.book.plot`` (matplotlib) and
``nnlib.check`` are imported on demand, never by ``import nnlib``.
"""

from . import activations, gradcheck, losses
from .mlp import backprop, network as mlp

__all__ = ["activations", "backprop", "gradcheck", "losses", "mlp"]
__version__ = "0.1.0"
