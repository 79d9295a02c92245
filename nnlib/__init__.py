"""nnlib: the numpy companion library of the course book "Multilayer neural networks".

Every equation of the book is one line of nnlib, written with the slides' names:
``theta`` (weights, column 0 the threshold), ``phi`` (pre-activation φ), ``s`` (node output),
``delta`` (δ = -∂q/∂φ), ``rho`` (learning rate ρ), ``nu`` (momentum ν), ``lam`` (regularization λ),
``g`` and ``g.prime`` (an activation function and its derivative).

Seeds: every constructor that draws random numbers (``MLP``, ``Dense``, ``Conv2D``, the recurrent layers,
``Dropout``, ...) and every training loop that shuffles takes ``seed=0`` by default, so the same code gives the
same numbers; pass another int for another draw (give each layer its own), or ``seed=None`` for fresh randomness.

The package is laid out by role:

- ``nnlib.activations``, ``nnlib.losses``, ``nnlib.optim``, ``nnlib.init``, ``nnlib.loop``, ``nnlib.gradcheck``:
  the foundation both network styles share;
- ``nnlib.mlp``: the slides' perceptron (``MLP``, BackProp, the loop-by-loop oracle, the training boxes);
- ``nnlib.layers``: modular layers (dense, normalization, regularization, conv, recurrent, attention, blocks,
  ``Sequential``);
- ``nnlib.data``: generated data sets, test surfaces, sequence tasks, plants, augmentation;
- ``nnlib.book``: the book's figures, explorers, widgets, symbolic checks and diagnostics;
- ``nnlib.check``: the exercises' feedback.

The core needs numpy only. ``nnlib.book`` (matplotlib, SymPy, ipywidgets) and ``nnlib.check`` are imported on
demand, never by ``import nnlib``.
"""

from . import activations, gradcheck, losses, mlp

__all__ = ["activations", "gradcheck", "losses", "mlp"]
__version__ = "0.1.0"
