r"""Measuring what BackProp does inside a deep network: gradient norms per layer, dead units, fixed-order training.

These are the measurements of the pages on vanishing and exploding gradients (*anulación o explosión del
gradiente*) and on the activation functions for deep networks:

- :func:`deep_net` builds a plain stack ``Dense, Act, Dense, Act, ..., Dense`` of a given depth;
- :func:`layer_gradient_norms` runs one forward and backward pass and returns
  :math:`\lVert \partial q_S / \partial \theta^l \rVert` for every weighted layer :math:`l`, from the input up;
- :func:`dead_units` counts the units of each activation layer whose derivative :math:`g'(\phi)` is 0 for every
  sample (a "dead" ReLU passes no gradient back and its incoming weights never change);
- :func:`fit_in_order` is mini-batch BackProp **without** shuffling: the samples are visited in a fixed order in
  every epoch (for the experiments on shuffling and curriculum learning; ``Sequential.fit`` always shuffles).
"""

import numpy as np

from .._validate import as_real_array, check_int
from ..layers.dense import Act, Dense
from ..layers.base import Layer
from ..layers.sequential import Sequential, check_targets, check_training_options
from ..loop import BLOWUP, Diverged, DivergenceCheck, History, blocks, run

__all__ = ["deep_net", "weighted_layers", "layer_gradient_norms", "dead_units", "fit_in_order", "loss_hessian"]


def deep_net(M_in, width, depth, M_out, g="relu", init="glorot", seed=0, scale=0.1, norm=None, **g_params):
    r"""A plain deep network: `depth` hidden layers of `width` units with activation `g`, and a linear output.

    ``Dense(M_in, width), Act(g), Dense(width, width), Act(g), ..., Dense(width, M_out)``: `depth` + 1 weighted
    layers. Layer ``l`` gets the seed ``seed + l``, so the same `seed` gives the same weights for every `g`.
    With `norm`, every hidden layer normalizes its pre-activation before `g`, as Ioffe & Szegedy place it:
    ``Dense, norm(width), Act(g)``, i.e. :math:`s^k = g(\hat\phi^k)`.

    Parameters
    ----------
    M_in, width, M_out : int
        Input size :math:`M_0`, hidden width :math:`M_1 = \dots = M_{depth}`, output size.
    depth : int
        Number of hidden layers (>= 1).
    g : str
        Activation name (``nnlib.activations``); its parameters as keywords, e.g. ``slope=0.1``.
    init : str
        Weight initialization of every Dense layer, a scheme of :mod:`nnlib.init` (``"glorot"``, ``"he"``,
        ``"normal"``, ...).
    scale : float, default 0.1
        Standard deviation of the weights when ``init="normal"``.
    norm : callable, optional
        A normalization layer class (or any callable ``norm(width) -> Layer``), e.g. ``BatchNorm`` or
        ``LayerNorm``; None (default) for no normalization.
    """
    if norm is not None and not callable(norm):
        raise TypeError(f"norm must be a layer class such as BatchNorm or LayerNorm (called as norm(width)), "
                        f"or None; got {norm!r}")
    for value, name in ((M_in, "M_in"), (width, "width"), (depth, "depth"), (M_out, "M_out")):
        check_int(value, name)
    check_int(seed, "seed", 0)
    sizes = [M_in] + [width] * depth
    layers = []
    for l in range(depth):
        layers.append(Dense(sizes[l], sizes[l + 1], init=init, seed=seed + l, scale=scale))
        if norm is not None:
            layers.append(norm(width))
        layers.append(Act(g, **g_params))
    layers.append(Dense(width, M_out, init=init, seed=seed + depth, scale=scale))
    return Sequential(layers)


def weighted_layers(net):
    """The layers with a ``"theta"`` parameter (Dense, Maxout), in forward order, looking inside containers.

    A container is a layer with a ``layers`` list (a ``Sequential``) or an ``inner`` layer
    (a residual block).
    """
    if not isinstance(net, Layer):
        raise TypeError(f"net must be an nnlib layer; got {type(net).__name__}")
    found = []
    if hasattr(net, "layers"):
        for layer in net.layers:
            found += weighted_layers(layer)
    elif isinstance(getattr(net, "inner", None), Layer):
        found += weighted_layers(net.inner)
    elif "theta" in net.params:
        found.append(net)
    return found


def layer_gradient_norms(net, X, t, loss="cross_entropy", train=True):
    r"""The norm of the gradient of every weighted layer,
    :math:`\lVert \partial q_S / \partial \theta^l \rVert`.

    One forward and one backward pass on (X, t) with ``net.gradient``; the
    Frobenius norm of ``grads["theta"]`` of each layer found by
    :func:`weighted_layers`, first layer (nearest the input) first. In a network
    with vanishing gradients these norms fall by orders of magnitude from the
    last layer down to the first; with exploding gradients they grow.

    Returns
    -------
    ndarray, shape (number of weighted layers,)
    """
    layers = weighted_layers(net)
    if not layers:
        raise ValueError("net must contain at least one layer with a 'theta' "
                         "parameter (Dense or Maxout); got none")
    net.gradient(X, t, loss, train=train)
    return np.array([np.linalg.norm(layer.grads["theta"]) for layer in layers])


def _act_layers(net):
    if hasattr(net, "layers"):
        return [a for layer in net.layers for a in _act_layers(layer)]
    if isinstance(getattr(net, "inner", None), Layer):
        return _act_layers(net.inner)
    return [net] if isinstance(net, Act) and net.g.elementwise else []


def dead_units(net, X):
    r"""Fraction of dead units in each elementwise activation layer of a
    ``Sequential`` of layers.

    A unit is dead on X when its derivative :math:`g'(\phi_i)` is 0 for
    **every** sample of X: for ReLU, when :math:`\phi_i \le 0` for all of them.
    BackProp multiplies the error of such a unit by 0, so its incoming weights
    get a zero gradient and it stays dead. Leaky ReLU and ELU have
    :math:`g' > 0` everywhere: no unit can die.

    Returns
    -------
    ndarray, shape (number of activation layers,)
        The fraction of dead units of each activation layer, in forward order
        (evaluation mode).
    """
    X = as_real_array(X, "X")
    if not isinstance(net, Sequential):
        raise TypeError(f"net must be a Sequential; got {type(net).__name__}")
    fractions = []
    x = X
    for layer in net.layers:
        if isinstance(layer, Act) and layer.g.elementwise:
            g_prime = layer.g.prime(x, **layer.g_params)
            alive = np.any(g_prime != 0, axis=0)  # g'(φ_i) ≠ 0 for some sample
            fractions.append(1.0 - float(np.mean(alive)))
        x = layer.forward(x, False)
    if not fractions:
        raise ValueError("net must contain an elementwise activation layer "
                         "(Act); got none")
    return np.array(fractions)


def fit_in_order(net, X, t, loss="cross_entropy", optimizer=None, rho=0.1, epochs=10, B=1, order=None,
                 blowup=BLOWUP):
    r"""Mini-batch BackProp visiting the samples in the same fixed order in every epoch (no shuffling).

    Blocks of `B` consecutive samples of ``X[order]``; after each block one update
    :math:`\theta \leftarrow \theta - \rho\, \nabla q` (or ``optimizer.step``). ``B = 1`` is the slides' incremental
    BackProp with the samples in a fixed order.

    Parameters
    ----------
    order : array of int, optional
        The visiting order (a permutation of ``range(N)``, or any index array); default: as stored.
    blowup : float > 1 or None, default 10
        As in :meth:`nnlib.layers.sequential.Sequential.fit`: divergence is tested by :class:`~nnlib.loop.DivergenceCheck`,
        like every training loop of nnlib; ``err.history`` is the list of :math:`q_S` so far.

    Returns
    -------
    list of float
        :math:`q_S` on all of (X, t) after each epoch.
    """
    if not all(hasattr(net, a) for a in ("gradient", "loss", "param_list", "grad_list")):
        raise TypeError(f"net must be a network with gradient, loss, param_list and grad_list (a Sequential); "
                        f"got {type(net).__name__}")
    X = as_real_array(X, "X")
    N = X.shape[0] if X.ndim else 0
    if N == 0:
        raise ValueError(f"X must hold at least one sample; got shape {X.shape}")
    t = check_targets(net, X, t, loss)
    epochs, B = check_int(epochs, "epochs"), check_int(B, "B")
    order = np.arange(N) if order is None else np.asarray(order)
    if order.ndim != 1 or order.dtype.kind not in "iu" or order.size == 0 or order.min() < -N or order.max() >= N:
        raise ValueError(f"order must be a non-empty 1-D array of sample indices in [0, {N}); got {order!r}")
    opt, _ = check_training_options(optimizer, rho, None, None, False)
    hist = History(method="in order")

    def epoch():
        for b in blocks(N, B, order=order):               # the same order in every epoch
            with np.errstate(over="ignore", invalid="ignore"):
                q = net.gradient(X[b], t[b], loss)
            watch.check_update(q, net.grad_list)
            opt.step(net.param_list, net.grad_list)
        with np.errstate(over="ignore", invalid="ignore"):
            return net.loss(X, t, loss)                    # q_S on all of (X, t) after the epoch

    watch = DivergenceCheck(opt, hist, blowup)
    try:
        run(hist, watch, lambda: net.loss(X, t, loss), epoch, epochs)   # q_S of the initial weights checks t too
    except Diverged as err:
        err.history = hist.q                               # the list of q_S so far
        raise
    return hist.q


def loss_hessian(net, X, t, loss="squared_error", eps=1e-5):
    r"""The Hessian of :math:`q_S` with respect to every weight of `net`, by central differences of BackProp.

    Column :math:`j` is :math:`(\nabla q_S(\Theta + \varepsilon e_j) - \nabla q_S(\Theta - \varepsilon e_j))
    / 2\varepsilon`, with the gradients from ``net.gradient`` (BackProp, exact); the result is symmetrized.
    The weights are ordered as ``net.param_list``, each array flattened in C order. `net`'s weights are
    restored afterwards. Meant for small networks: it costs :math:`2D` forward and backward passes. Its
    eigenvalues tell a minimum (all :math:`\ge 0`) from a saddle (some :math:`< 0`) and show flat
    directions (eigenvalues near 0).

    Returns
    -------
    ndarray, shape (D, D)
    """
    if not all(hasattr(net, name) for name in ("gradient", "param_list", "grad_list")):
        raise TypeError(f"net must be a network with gradient, param_list and grad_list (a Sequential); "
                        f"got {type(net).__name__}")
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.floating, np.integer)) \
            or not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"eps must be a positive finite number; got {eps!r}")
    params = net.param_list

    def flat_gradient():
        net.gradient(X, t, loss)
        return np.concatenate([g.ravel() for g in net.grad_list])

    D = sum(p.size for p in params)
    H = np.empty((D, D))
    j = 0
    for p in params:
        for index in np.ndindex(p.shape):
            old = p[index]
            p[index] = old + eps
            plus = flat_gradient()
            p[index] = old - eps
            minus = flat_gradient()
            p[index] = old
            H[:, j] = (plus - minus) / (2 * eps)
            j += 1
    flat_gradient()  # leave the gradients of the restored weights in net.grad_list
    return (H + H.T) / 2
