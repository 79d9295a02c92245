r"""BackProp (retropropagación del error), vectorized over the batch (slides' section 3).

With :math:`\delta^l_i = -\partial q_n / \partial \phi^l_i` (the error term of node i of layer l):

.. math::

    \delta^L_i &= (t_i - s^L_i)\, g'(\phi^L_i) \quad\text{(from the loss, see nnlib.losses)}\\
    \delta^l_i &= g'(\phi^l_i) \sum_{r=1}^{M_{l+1}} \delta^{l+1}_r\, \theta^{l+1}_{ri}, \quad l = L-1, \dots, 1\\
    \frac{\partial q_S}{\partial \theta^l_{ij}} &= -\frac{1}{N} \sum_{n=1}^{N} \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n),
    \qquad \Delta\theta^l_{ij} = -\rho \frac{\partial q_S}{\partial \theta^l_{ij}}

with :math:`s^{l-1}_0 = 1` (the threshold's input) and :math:`s^0 = \mathbf{x}`.

**Batches are rows**: ``delta[l]`` has shape (N, M_l), one row per sample, so each layer costs one
matrix product backwards (:math:`\delta^{l+1} \Theta^{l+1}_{:,1:}`) and one for the gradient
(:math:`{\delta^l}^T S^{l-1}`). Lists are indexed like the layers, ``None`` in slot 0.

>>> import numpy as np
>>> from nnlib.mlp import MLP
>>> from nnlib import backprop
>>> net = MLP(M=[2, 3, 1], g="sigmoid", seed=0)
>>> q, grad = backprop.gradient(net, np.array([[0.0, 1.0]]), np.array([[1.0]]))
>>> [grad[l].shape == net.theta[l].shape for l in (1, 2)]
[True, True]
"""

import numpy as np

from .. import losses
from .._validate import check_positive, is_labels

__all__ = ["deltas", "gradient", "increments", "cost"]


def _times_g_prime(g, phi, v):
    r""":math:`g'(\phi) \odot v` for an elementwise g; for softmax :math:`J^T v` (J symmetric) via ``g.jvp``."""
    return g.prime(phi) * v if g.elementwise else g.jvp(phi, v)


def _forward(net, X, t):
    """Forward pass with one sample promoted to a batch of 1; returns phi, s, t (promoted) and `one`."""
    phi, s = net.forward(X)
    one = s[0].ndim == 1
    if one:
        M_L = net.M[-1]
        t_arr = np.asarray(t)
        if not (t_arr.shape == (M_L,) or is_labels(t_arr, 1)):
            raise ValueError(f"t must have shape (M_L,) = ({M_L},) for one sample x (or one class label); "
                             f"got shape {t_arr.shape}")
        phi = [None] + [p[None] for p in phi[1:]]
        s = [a[None] for a in s]
        t = t_arr[None]
    return phi, s, t, one


def _deltas(net, phi, t, loss):
    theta, g, L = net.theta, net.g, net.L
    # δ^L = −∂q_n/∂φ^L, from the loss
    q, delta_L = losses.get(loss)(phi[L], t, g[L])
    delta = [None] * (L + 1)
    delta[L] = delta_L
    for l in range(L - 1, 0, -1):
        sums = delta[l + 1] @ theta[l + 1][:, 1:]  # Σ_r δ^{l+1}_r θ^{l+1}_ri
        delta[l] = _times_g_prime(g[l], phi[l], sums)  # δ^l = g'(φ^l) ⊙ sums
    return q, delta


def deltas(net, X, t, loss="squared_error"):
    r"""Error terms :math:`\delta^l` of every layer, from the output back to
    layer 1.

    .. math:: \delta^L_i = (t_i - s^L_i)\, g'(\phi^L_i), \qquad
              \delta^l_i = g'(\phi^l_i)
              \sum_{r=1}^{M_{l+1}} \delta^{l+1}_r\, \theta^{l+1}_{ri}

    Vectorized:
    ``delta[l] = g[l].prime(phi[l]) * (delta[l+1] @ theta[l+1][:, 1:])``
    (column 0 of ``theta[l+1]`` holds the thresholds, which no node of layer l
    feeds).

    Parameters
    ----------
    net : nnlib.mlp.network.MLP
    X : array_like, shape (N, M_0) or (M_0,)
        Samples as rows, or one sample x.
    t : array_like, shape (N, M_L) or (M_L,)
        Targets; int class labels of shape (N,) for ``cross_entropy`` (and
        ``squared_error`` with M_L ≥ 2).
    loss : str or callable, default "squared_error"
        ``"squared_error"`` / ``"mse"`` or ``"cross_entropy"`` (softmax
        output), see :mod:`nnlib.losses`.

    Returns
    -------
    q : float
        :math:`q_S` over the batch (:math:`q_n` for one sample), before any
        update.
    delta : list
        ``[None, delta1, ..., deltaL]``, ``delta[l]`` of shape (N, M_l) (or
        (M_l,) for one sample).
    """
    phi, s, t, one = _forward(net, X, t)
    q, delta = _deltas(net, phi, t, loss)
    if one:
        delta = [None] + [d[0] for d in delta[1:]]
    return q, delta


def gradient(net, X, t, loss="squared_error"):
    r"""Gradient :math:`\partial q_S / \partial \theta^l` of every layer, the
    shape of ``theta[l]``.

    .. math:: \frac{\partial q_S}{\partial \theta^l_{ij}} = -\frac{1}{N}
              \sum_{n=1}^{N} \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n),
              \qquad s^{l-1}_0 = 1

    In matrix form :math:`-\frac{1}{N} {\delta^l}^T [\mathbf{1}, S^{l-1}]`;
    computed without building :math:`[\mathbf{1}, S^{l-1}]`: column 0
    (thresholds) is :math:`-\text{mean}_n\, \delta^l`, the rest
    :math:`-{\delta^l}^T S^{l-1} / N`.

    Parameters
    ----------
    net, X, t, loss
        As in :func:`deltas`.

    Returns
    -------
    q : float
        :math:`q_S` before any update.
    grad : list
        ``[None, grad1, ..., gradL]``, ``grad[l]`` of shape
        :math:`(M_l, M_{l-1} + 1)`, dtype of the net.
    """
    phi, s, t, one = _forward(net, X, t)
    q, delta = _deltas(net, phi, t, loss)
    N = s[0].shape[0]
    grad = [None] * (net.L + 1)
    for l in range(1, net.L + 1):
        d = delta[l] * (-1.0 / N)  # −δ^l / N: scale the small (N, M_l) factor
        grad[l] = np.empty_like(net.theta[l])
        # ∂q_S/∂θ^l_ij = −(1/N) Σ_n δ^l_i s^{l−1}_j
        np.matmul(d.T, s[l - 1], out=grad[l][:, 1:])
        # ∂q_S/∂θ^l_i0 = −(1/N) Σ_n δ^l_i   (s^{l−1}_0 = 1)
        d.sum(axis=0, out=grad[l][:, 0])
    return q, grad


def increments(net, X, t, rho, loss="squared_error"):
    r"""The slides' weight increments :math:`\Delta\theta^l = -\rho\, \partial q_S / \partial \theta^l`.

    .. math:: \Delta\theta^l_{ij} = \frac{\rho}{N} \sum_{n=1}^{N} \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n)

    One batch BackProp step is ``theta[l] += Delta[l]`` (the 1/N is already in ``Delta``).

    Parameters
    ----------
    net, X, t, loss
        As in :func:`deltas`.
    rho : float
        Learning rate (factor de aprendizaje) :math:`\rho > 0`.

    Returns
    -------
    q : float
    Delta : list
        ``[None, Delta1, ..., DeltaL]``, each the shape of ``theta[l]``.
    """
    rho = check_positive(rho, "rho")
    q, grad = gradient(net, X, t, loss)
    return q, [None] + [-rho * gl for gl in grad[1:]]     # Δθ^l = −ρ ∂q_S/∂θ^l


def cost(net, X, t, loss="squared_error"):
    r""":math:`q_S(\Theta)` of the net on (X, t), forward pass only (no deltas).

    Parameters
    ----------
    net, X, t, loss
        As in :func:`deltas`.
    """
    phi, s, t, one = _forward(net, X, t)
    return losses.get(loss)(phi[-1], t, net.g[-1])[0]
