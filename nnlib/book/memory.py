r"""What BackProp keeps in memory between the forward and the backward pass.

The backward pass reads, for every layer l = 1..L, the weighted sums :math:`\phi^l` (for
:math:`g'(\phi^l)` in :math:`\delta^l`) and the layer's input :math:`s^{l-1}` (for the gradient
:math:`-{\delta^l}^T [\mathbf{1}, S^{l-1}] / B`). For a block of B samples these are
:math:`B M_l` and :math:`B M_{l-1}` floats: in all

.. math:: B \Big(M_0 + 2 \sum_{l=1}^{L-1} M_l + M_L\Big)

floats, linear in the batch size and in the number of layers. Finite differences keep only the
activations of the layer being computed.
"""

import numpy as np

from .._validate import as_real_array

__all__ = ["kept_floats", "kept_floats_formula"]


def kept_floats(net, X):
    r"""Count the floats of a real forward pass that BackProp reads back.

    Runs ``net.forward(X)`` and adds the sizes of :math:`\phi^1, \dots, \phi^L`
    and :math:`s^0, \dots, s^{L-1}` (:math:`s^0 = X`).

    Parameters
    ----------
    net : nnlib.mlp.network.MLP
    X : array_like, shape (B, M_0)
        A block of B samples, one per row.

    Returns
    -------
    int
    """
    X = as_real_array(X, "X")
    if X.ndim != 2 or X.shape[1] != net.M[0]:
        raise ValueError(f"X must have shape (B, M_0) = (B, {net.M[0]}); "
                         f"got shape {X.shape}")
    phi, s = net.forward(X)
    return int(sum(np.size(p) for p in phi[1:])
               + sum(np.size(a) for a in s[:-1]))


def kept_floats_formula(M, B):
    r""":math:`B (M_0 + 2 \sum_{l=1}^{L-1} M_l + M_L)` for layer sizes M."""
    M = [int(m) for m in M]
    if len(M) < 2 or min(M) < 1:
        raise ValueError(f"M must list at least 2 positive layer sizes; got {M}")
    if int(B) != B or B < 1:
        raise ValueError(f"B must be a positive int (the block size); got {B!r}")
    return int(B) * (M[0] + 2 * sum(M[1:-1]) + M[-1])
