r"""Watching the signals of a network: the measurements of the initialisation and diagnosing pages.

- :func:`expectation`: the expectation of a polynomial in independent random variables, from their moments
  (SymPy), for deriving how variances travel through a layer;
- :func:`layer_variances`: :math:`\operatorname{Var}\phi^l` and :math:`\operatorname{Var}\delta^l` of every layer
  of an :class:`~nnlib.mlp.network.MLP` on a batch;
- :func:`update_ratios`: :math:`\lVert\Delta\Theta^l\rVert / \lVert\Theta^l\rVert` of every layer, the size of an
  update against the size of the weights;
- :func:`watch`: mini-batch BackProp one epoch at a time, with the loss on the training set and on a validation
  set after every epoch.

SymPy is imported by :func:`expectation` only: ``import nnlib`` needs numpy only.
"""

import numpy as np

from .._validate import check_int
from ..mlp import backprop, train
from ..mlp.network import MLP

__all__ = ["expectation", "layer_variances", "update_ratios", "watch"]


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

    Examples
    --------
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
    r"""The size of an update against the size of the weights, per layer.

    .. math:: r^l = \frac{\lVert \Theta^l_{\text{after}}
                         - \Theta^l_{\text{before}} \rVert}
                        {\lVert \Theta^l_{\text{before}} \rVert}

    (Frobenius norms, thresholds included). CS231n's rule of thumb: about
    :math:`10^{-3}` per update.

    Parameters
    ----------
    before, after : list
        ``[None, theta1, ..., thetaL]`` (``net.theta``) before and after
        the update(s), with the same shapes.

    Returns
    -------
    ndarray, shape (L,)
        Entry ``l - 1`` belongs to layer l.
    """
    for value, name in ((before, "before"), (after, "after")):
        if (not isinstance(value, (list, tuple)) or len(value) < 2
                or value[0] is not None):
            raise TypeError(f"{name} must be a list [None, theta1, ...] "
                            f"like net.theta; got {value!r:.60}")
    shapes = [[np.shape(x) for x in v[1:]] for v in (before, after)]
    if shapes[0] != shapes[1]:
        raise ValueError(f"after must have the layers and shapes of before; "
                         f"got shapes {shapes[0]} and {shapes[1]}")
    return np.array([
        np.linalg.norm(np.asarray(a) - np.asarray(b)) / np.linalg.norm(b)
        for b, a in zip(before[1:], after[1:])])


def watch(net, X, t, X_val=None, t_val=None, epochs=10, rho=None, optimizer=None, B=32,
          loss="cross_entropy", seed=0):
    r"""Train `net` in place by mini-batch BackProp, one epoch at a time, and record the losses after every epoch.

    Each epoch is one call of :func:`nnlib.mlp.train.minibatch` (``max_epochs=1``, the order of the samples
    seeded by ``seed + epoch``, the same `optimizer` object throughout, so that its state carries over); the
    divergence check is off (``blowup=None``), so a run with a far too large :math:`\rho` is recorded, not
    stopped. After every epoch, :math:`q_S` on the whole of `X` and, if given, :math:`q_V` on `X_val`
    (:func:`nnlib.mlp.backprop.cost`).

    Parameters
    ----------
    net : MLP
    X, t : array_like
        The training set S (targets as ``train.minibatch`` takes them for `loss`).
    X_val, t_val : array_like, optional
        A validation set V.
    epochs : int, default 10
    rho : float, optional
        The learning rate of plain SGD (default 0.5), or give `optimizer`.
    optimizer : nnlib.optim.Optimizer, optional
    B : int, default 32
        The block size.
    loss : str, default "cross_entropy"
    seed : int, default 0

    Returns
    -------
    q_S : ndarray, shape (epochs + 1,)
        The loss on S before training (entry 0) and after each epoch.
    q_V : ndarray of shape (epochs + 1,), or None
        The same on V, None without `X_val`.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an nnlib.mlp.MLP; got {type(net).__name__}")
    epochs = check_int(epochs, "epochs", 1, "number of epochs")
    if (X_val is None) != (t_val is None):
        raise ValueError("X_val and t_val must be given together (the validation set V); got only one of them")
    if optimizer is None:
        optimizer = train._check_optimizer(rho, None)
    elif rho is not None:
        raise ValueError(f"give the learning rate either as rho or inside the optimizer, not both; got rho={rho!r}")
    q_S = [backprop.cost(net, X, t, loss)]
    q_V = None if X_val is None else [backprop.cost(net, X_val, t_val, loss)]
    for epoch in range(epochs):
        train.minibatch(net, X, t, B=B, loss=loss, max_epochs=1, optimizer=optimizer, seed=seed + epoch,
                        blowup=None)
        q_S.append(backprop.cost(net, X, t, loss))
        if q_V is not None:
            q_V.append(backprop.cost(net, X_val, t_val, loss))
    return np.array(q_S), (None if q_V is None else np.array(q_V))
