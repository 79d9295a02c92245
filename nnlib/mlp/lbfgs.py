r"""Training with L-BFGS on BackProp's gradient: the quasi-Newton way of the pages of chapter 1.

The slides' training boxes (:mod:`nnlib.mlp.train`) take small steps :math:`-\rho\,\nabla q_S`. On the small
problems of chapter 1 a quasi-Newton method gets much further with the same gradients: L-BFGS builds a picture
of the curvature of :math:`q_S` from the last gradients it has seen and takes much longer steps. :func:`fit`
hands BackProp's gradient (:func:`nnlib.mlp.backprop.gradient`, computed by the training loops' fast path,
:mod:`nnlib.mlp.workspace`) over the whole weight vector
:math:`\Theta` (:attr:`nnlib.mlp.network.MLP.Theta`) to ``scipy.optimize.minimize``.

SciPy is imported when :func:`fit` is called, not before: ``import nnlib`` needs numpy only.
"""

import numbers

import numpy as np

from .train import _check_data
from .workspace import Workspace

__all__ = ["fit"]


def fit(net, X, t, iterations=400, loss="squared_error", gtol=1e-12, stop=None):
    r"""Minimise :math:`q_S(\Theta)` over all the weights of `net` with L-BFGS,
    in place.

    .. math:: \Theta = [\theta^1, \dots, \theta^L] \in \mathbb{R}^D, \qquad
              \nabla q_S(\Theta) = \Bigl[\frac{\partial q_S}{\partial \theta^1},
              \dots, \frac{\partial q_S}{\partial \theta^L}\Bigr]

    Every evaluation writes the candidate :math:`\Theta` into the net and asks
    BackProp for :math:`q_S` and its gradient, flattened in the order of
    ``net.Theta``. The run ends after `iterations` iterations (or
    ``2 * iterations`` evaluations), when the largest component of the
    projected gradient is below `gtol`, or when ``stop(net)`` says so after an
    iteration. The relative decrease of :math:`q_S` never ends it
    (``ftol = 0``).

    Parameters
    ----------
    net : nnlib.mlp.MLP
        The network; its weights are the starting point and are overwritten
        with the result.
    X, t
        Inputs and targets, as in :func:`nnlib.mlp.backprop.gradient`.
    iterations : int
        Largest number of L-BFGS iterations, >= 1.
    loss : str
        The error :math:`q`: ``"squared_error"`` or ``"cross_entropy"`` (as in
        :mod:`nnlib.losses`).
    gtol : float
        Stop when every component of the (projected) gradient is at most this
        in absolute value, >= 0.
    stop : callable, optional
        ``stop(net) -> bool``, called after every iteration with the current
        weights in `net`; ``True`` ends the run (e.g. once a training accuracy
        is reached).

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``fun`` (the final :math:`q_S`), ``x`` (the final :math:`\Theta`, also
        in `net`), ``nit`` (iterations), ``nfev`` (evaluations of :math:`q_S`
        and its gradient), ``message``.
    """
    from scipy.optimize import minimize  # here: `import nnlib` needs numpy only

    is_int = (isinstance(iterations, numbers.Integral)
              and not isinstance(iterations, (bool, np.bool_)))
    if not is_int or iterations < 1:
        raise ValueError(f"iterations must be an int >= 1; got {iterations!r}")
    is_real = (isinstance(gtol, numbers.Real)
               and not isinstance(gtol, (bool, np.bool_)))
    if not is_real or not gtol >= 0:
        raise ValueError(f"gtol must be a number >= 0; got {gtol!r}")
    if stop is not None and not callable(stop):
        raise TypeError(f"stop must be a callable stop(net) -> bool or None; "
                        f"got {type(stop).__name__}")
    if not hasattr(net, "Theta") or not hasattr(net, "theta"):
        raise TypeError(
            f"net must be an nnlib.mlp.MLP; got {type(net).__name__}")

    X, t = _check_data(net, X, t)
    # backprop.gradient on all of S, in arrays allocated once
    ws = Workspace(net, X, t, loss, B=len(X))

    def q_and_gradient(Theta):
        net.Theta = Theta
        q, grad = ws.gradient()  # q_S and ∂q_S/∂θ^l
        return q, np.concatenate([gl.ravel() for gl in grad[1:]])  # ∇q_S(Θ)

    def stop_here(intermediate_result):
        net.Theta = intermediate_result.x
        if stop(net):
            raise StopIteration

    options = {"maxiter": iterations, "maxfun": 2 * iterations, "ftol": 0.0,
               "gtol": gtol}
    callback = None if stop is None else stop_here
    result = minimize(q_and_gradient, net.Theta, jac=True, method="L-BFGS-B",
                      callback=callback, options=options)
    net.Theta = result.x
    return result
