r"""Watching the signals of a network: the measurements of the initialisation and diagnosing pages.

- :func:`expectation`: the expectation of a polynomial in independent random variables, from their moments
  (SymPy), for deriving how variances travel through a layer;
- :func:`layer_variances`: :math:`\operatorname{Var}\phi^l` and :math:`\operatorname{Var}\delta^l` of every layer
  of an :class:`~nnlib.mlp.network.MLP` on a batch;
- :func:`update_ratios`: :math:`\lVert\Delta\Theta^l\rVert / \lVert\Theta^l\rVert` of every layer, the size of an
  update against the size of the weights.

SymPy is imported by :func:`expectation` only: ``import nnlib`` needs numpy only.
"""

import numpy as np

from ..mlp import backprop
from ..mlp.network import MLP

__all__ = ["expectation", "layer_variances", "update_ratios"]


def expectation(expr, moments):
    r"""The expectation of the polynomial `expr` in independent random variables, from their moments.

    For independent :math:`X_1, \dots, X_m`,
    :math:`E[c\, X_1^{k_1} \cdots X_m^{k_m}] = c\, E[X_1^{k_1}] \cdots E[X_m^{k_m}]`, and the expectation
    is linear: `expr` is expanded into monomials and each is replaced by the product of the moments of its
    variables.

    Parameters
    ----------
    expr : sympy expression
        A polynomial in the symbols of `moments` (other symbols are constants).
    moments : dict
        ``{X: {k: E[X**k], ...}, ...}``: for every random symbol, the moments the monomials of `expr` need.

    Returns
    -------
    sympy expression

    Raises
    ------
    KeyError
        If a monomial needs a moment :math:`E[X^k]` that `moments` does not give.

    >>> import sympy as sp
    >>> a, b, v = sp.symbols("a b v")
    >>> expectation((a * b) ** 2, {a: {1: 0, 2: v}, b: {1: 0, 2: 1}})
    v
    """
    import sympy as sp

    if not isinstance(moments, dict) or not moments:
        raise TypeError(f"moments must be a non-empty dict {{symbol: {{k: E[symbol**k]}}}}; got {moments!r}")
    variables = list(moments)
    poly = sp.Poly(sp.expand(sp.sympify(expr)), *variables)
    total = sp.Integer(0)
    for powers, coeff in poly.terms():
        term = coeff
        for x, k in zip(variables, powers):
            if k:
                if k not in moments[x]:
                    raise KeyError(f"moments[{x}] must give E[{x}**{k}] (the expression has {x}**{k}); "
                                   f"got the moments {sorted(moments[x])}")
                term = term * moments[x][k]
        total += term
    return sp.simplify(total)


def layer_variances(net, X, t, loss="squared_error"):
    r"""The variance of :math:`\phi^l` (forward) and of :math:`\delta^l` (backward) in every layer.

    .. math:: \operatorname{Var}\phi^l = \operatorname{Var}_{n, i}\, \phi^l_i(\mathbf{x}_n), \qquad
              \operatorname{Var}\delta^l = \operatorname{Var}_{n, i}\, \delta^l_i(\mathbf{x}_n),

    over the N samples and the :math:`M_l` nodes of layer l together: :meth:`MLP.forward
    <nnlib.mlp.network.MLP.forward>` and :func:`nnlib.mlp.backprop.deltas`.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (N, M_0)
    t : array_like
        Targets, as :func:`~nnlib.mlp.backprop.deltas` takes them.
    loss : str, default "squared_error"

    Returns
    -------
    var_phi, var_delta : ndarray, shape (L,)
        Entry ``l - 1`` belongs to layer l = 1..L.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an nnlib.mlp.MLP; got {type(net).__name__}")
    phi, _ = net.forward(X)
    _, delta = backprop.deltas(net, X, t, loss)
    var_phi = np.array([np.var(phi[l]) for l in range(1, net.L + 1)])
    var_delta = np.array([np.var(delta[l]) for l in range(1, net.L + 1)])
    return var_phi, var_delta


def update_ratios(before, after):
    r"""The size of an update against the size of the weights, layer by layer.

    .. math:: r^l = \frac{\lVert \Theta^l_{\text{after}} - \Theta^l_{\text{before}} \rVert}
                         {\lVert \Theta^l_{\text{before}} \rVert}

    (Frobenius norms, thresholds included). CS231n's rule of thumb: about :math:`10^{-3}` per update.

    Parameters
    ----------
    before, after : list
        ``[None, theta1, ..., thetaL]`` (``net.theta``) before and after the update(s), the same shapes.

    Returns
    -------
    ndarray, shape (L,)
        Entry ``l - 1`` belongs to layer l.
    """
    for value, name in ((before, "before"), (after, "after")):
        if not isinstance(value, (list, tuple)) or len(value) < 2 or value[0] is not None:
            raise TypeError(f"{name} must be a list [None, theta1, ..., thetaL] like net.theta; got {value!r:.60}")
    if len(before) != len(after) or any(np.shape(b) != np.shape(a) for b, a in zip(before[1:], after[1:])):
        raise ValueError("after must have the layers and shapes of before; got shapes "
                         f"{[np.shape(b) for b in before[1:]]} and {[np.shape(a) for a in after[1:]]}")
    return np.array([np.linalg.norm(np.asarray(a) - np.asarray(b)) / np.linalg.norm(b)
                     for b, a in zip(before[1:], after[1:])])
