r"""Training loops: the slides' BackProp algorithm boxes (batch, incremental, on-line) and mini-batch.

Every loop repeats epochs (one pass over the training set S) until a convergence condition
(condición de convergencia) holds:

- ``max_epochs``: a fixed budget of epochs;
- ``tol_q``: the training error is small enough, :math:`q_S(\Theta) < \text{tol}_q`;
- ``tol_dtheta``: the weights stopped moving, :math:`\lVert \Delta\Theta \rVert_2 < \text{tol}_\theta`, where
  :math:`\Delta\Theta` is the change of all D weights over the epoch.

The four algorithms differ in how often they update the weights:

- :func:`batch` updates once per epoch, from the gradient of :math:`q_S` on all of S;
- :func:`minibatch` updates after each block of B samples, :math:`\lceil N/B \rceil` times per epoch;
- :func:`incremental` updates after each sample (in random order), N times per epoch;
- :func:`online` makes a single update from one given sample (x, t).

An update is :math:`\theta \leftarrow \theta - \rho\, \nabla q` (the slides' :math:`\theta \leftarrow
\theta + \Delta\theta`, :math:`\Delta\theta = \rho\, \delta\, s`), or ``optimizer.step`` when an optimizer
from ``nnlib.optim`` is given. Each loop returns a :class:`~nnlib.loop.History`.

Every training loop of nnlib (these, ``Sequential.fit``, ``Seq2Seq.fit``, ``diagnostics.fit_in_order``)
watches for divergence the same way, with one :class:`~nnlib.loop.DivergenceCheck`: training stops with
:class:`~nnlib.loop.Diverged` when :math:`q_S` becomes NaN or infinite (or a pre-activation overflows), or when it
stays above 10 times its value for the initial weights for 3 epochs in a row. The message suggests a
smaller learning rate, and the error's ``history`` holds what the loop recorded so far.
"""

import math

import numpy as np

from . import backprop
from .workspace import Workspace
from .. import losses
from .._validate import as_real_array, check_int, check_labels, check_positive, is_labels
from ..init import rng as _rng
from ..loop import BLOWUP, PATIENCE, Diverged, DivergenceCheck, History, blocks, check_blowup, run
from ..optim import SGD, Optimizer

__all__ = ["batch", "incremental", "minibatch", "online", "fit", "METHODS", "Q0_SAMPLES"]

#: With a running q (:func:`minibatch`'s default), ``History.q0`` is q on at most this many samples, evenly spread
#: over S: q_S of the initial weights on all of S would cost a third of an epoch.
Q0_SAMPLES = 1000


# ------------------------------------------------------------------------------ checks

def _check_tol(value, name):
    return None if value is None else check_positive(value, name)


def _check_stop(max_epochs, tol_q, tol_dtheta):
    """The convergence conditions, checked before any work is done."""
    return (check_int(max_epochs, "max_epochs", 1, "the largest number of epochs"),
            _check_tol(tol_q, "tol_q"), _check_tol(tol_dtheta, "tol_dtheta"))


def _check_data(net, X, t):
    """X as (N, M_0) in the net's dtype and t as (N, M_L); int labels (N,) become one-hot. Once per call."""
    M, dtype = net.M, net.dtype
    X = as_real_array(X, "X", dtype=dtype)
    if X.ndim != 2 or X.shape[1] != M[0]:
        raise ValueError(f"X must have shape (N, M_0) = (N, {M[0]}) (samples as rows); got shape {X.shape}")
    N = X.shape[0]
    if N == 0:
        raise ValueError(f"X must have at least one sample (N >= 1); got shape {X.shape}")
    if M[-1] >= 2 and is_labels(t, 2):   # class labels, one per sample: checked, then one-hot
        t = losses.one_hot(check_labels(t, N, M[-1], "t"), M[-1], dtype=dtype)
    else:
        t = as_real_array(t, "t", dtype=dtype)
        if t.ndim == 1 and M[-1] == 1:
            t = t.reshape(-1, 1)
    if t.shape != (N, M[-1]):
        raise ValueError(f"t must have shape (N, M_L) = ({N}, {M[-1]}) (or class labels of shape ({N},)); "
                         f"got shape {t.shape}")
    return X, t


def _check_optimizer(rho, optimizer):
    """The optimizer to use: `optimizer` itself, or plain SGD with `rho` (default 0.5)."""
    if optimizer is None:
        return SGD(0.5 if rho is None else rho)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nnlib.optim.Optimizer (e.g. optim.Momentum(rho, nu)); "
                        f"got {type(optimizer).__name__}")
    if rho is not None:
        raise ValueError(f"give the learning rate either as rho or inside the optimizer, not both; "
                         f"got rho={rho!r} and optimizer={optimizer!r}")
    return optimizer


def _check_loss(loss):
    losses.get(loss)  # raises naming loss if unknown
    return loss


# ------------------------------------------------------------------------- the machinery

def _step(net, grad, opt):
    r"""One update of all the weights,
    :math:`\theta^l \leftarrow \theta^l - \rho\, \partial q/\partial \theta^l`
    (the slides' :math:`\theta \leftarrow \theta + \Delta\theta`), or the rule
    of another optimizer. The loop checked the shapes once and watches for
    NaN; `grad` is its own, which the optimizer may overwrite."""
    opt.apply(net.theta, grad)


def _train(net, ws, opt, method, stop, progress, blowup, epoch, q_start=None):
    r"""Run `epoch` (one epoch of updates; returns how many it made and its loss, or None for :math:`q_S` on all of
    S) in :func:`nnlib.loop.run`, the loop every trainer shares, recording per epoch the loss, the updates so far
    and :math:`\lVert\Delta\Theta\rVert`. `ws` is the fit's :class:`~nnlib.mlp.workspace.Workspace`."""
    max_epochs, tol_q, tol_dtheta = stop
    hist = History(method=method)

    def one_epoch():
        before = [th.copy() for th in net.theta[1:]]
        n, q = epoch()
        hist.updates.append((hist.updates[-1] if hist.updates else 0) + n)
        hist.dtheta_norm.append(math.sqrt(sum(float(np.vdot(th - b, th - b)) for th, b in zip(net.theta[1:], before))))
        return ws.cost() if q is None else q

    def converged(q):
        if tol_q is not None and q < tol_q:
            return "tol_q"
        if tol_dtheta is not None and hist.dtheta_norm and hist.dtheta_norm[-1] < tol_dtheta:
            return "tol_dtheta"
        return None

    q_start = q_start or ws.cost
    return run(hist, DivergenceCheck(opt, hist, blowup), q_start, one_epoch, max_epochs, converged, progress,
               method, "q_S", over="raise", invalid="raise")


# ---------------------------------------------------------------------------- algorithms

def batch(net, X, t, rho=None, loss="squared_error", max_epochs=1000,
          tol_q=None, tol_dtheta=None, progress=False, optimizer=None,
          blowup=BLOWUP):
    r"""BackProp "batch" (the slides' first box): one update per epoch from
    all N samples.

    .. math:: \Delta\theta^l_{ij} = \frac{\rho}{N} \sum_{n=1}^{N}
              \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n)
              = -\rho\, \frac{\partial q_S}{\partial \theta^l_{ij}}, \qquad
              \theta^l_{ij} \leftarrow \theta^l_{ij} + \Delta\theta^l_{ij}

    The gradient that gives the next update also gives :math:`q_S` after this
    one, so an epoch costs one forward and one backward pass over S.

    Parameters
    ----------
    net : nnlib.mlp.network.MLP
        Trained in place (``net.theta`` is updated).
    X : array_like, shape (N, M_0)
        Training samples as rows.
    t : array_like, shape (N, M_L), or int labels of shape (N,)
        Targets (labels become one-hot).
    rho : float, default 0.5
        Learning rate :math:`\rho > 0` (leave it out when `optimizer` is given).
    loss : str or callable, default "squared_error"
        ``"squared_error"`` or ``"cross_entropy"`` (see ``nnlib.losses``).
    max_epochs : int, default 1000
    tol_q : float, optional
        Stop when :math:`q_S < \text{tol}_q`.
    tol_dtheta : float, optional
        Stop when the epoch's weight change
        :math:`\lVert \Delta\Theta \rVert_2 < \text{tol}_\theta`.
    progress : bool, default False
        Show a progress bar over the epochs (tqdm), with :math:`q_S` beside it.
    optimizer : nnlib.optim.Optimizer, optional
        E.g. ``optim.Momentum(rho=0.1, nu=0.9)``; each update calls
        ``optimizer.step(net.theta, grad)``.
    blowup : float > 1 or None, default 10
        Stop with :class:`~nnlib.loop.Diverged` when :math:`q_S` stays above
        ``blowup`` times :math:`q_S` of the initial weights for 3 epochs in a
        row; None stops only on NaN or infinity (see
        :class:`~nnlib.loop.DivergenceCheck`).

    Returns
    -------
    History

    Raises
    ------
    Diverged
        If :math:`q_S` becomes NaN or infinite, or stays above ``blowup`` times
        its start for 3 epochs (see :class:`~nnlib.loop.DivergenceCheck`);
        ``err.history`` holds the epochs run.
    """
    X, t = _check_data(net, X, t)
    loss, opt = _check_loss(loss), _check_optimizer(rho, optimizer)
    stop = _check_stop(max_epochs, tol_q, tol_dtheta)
    # backprop.gradient on all of S, in arrays allocated once
    ws = Workspace(net, X, t, loss, B=len(X))

    def box():  # the slide's box, one epoch per next(box)
        # q_S and ∂q_S/∂θ of the initial weights, all of S
        q, grad = ws.gradient()
        while True:  # while the convergence conditions do not hold:
            yield q
            _step(net, grad, opt)  # θ ← θ + Δθ,  Δθ = −ρ ∂q_S/∂θ (one update)
            # q_S after it, and the next gradient
            q, grad = ws.gradient()

    epochs = box()
    return _train(net, ws, opt, "batch", stop, progress, blowup,
                  epoch=lambda: (1, next(epochs)), q_start=lambda: next(epochs))


def minibatch(net, X, t, rho=None, B=32, loss="squared_error", max_epochs=100,
              tol_q=None, tol_dtheta=None, progress=False, optimizer=None,
              seed=0, shuffle=True, running_q=None, blowup=BLOWUP,
              _method="minibatch"):
    r"""BackProp "mini-batch": one update per block of B samples.

    Each epoch the samples are put in a random order (seeded) and cut into
    blocks of B consecutive samples (the last block may be smaller); for each
    block b,

    .. math:: \theta^l_{ij} \leftarrow \theta^l_{ij} + \frac{\rho}{|b|}
              \sum_{n \in b} \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n),

    so the weights change :math:`\lceil N/B \rceil` times per epoch. (The slide
    speaks of "B blocks" and N/B updates per epoch; here B is the block size,
    as in every toolkit.) B = N is exactly :func:`batch`; B = 1 is
    :func:`incremental`.

    The parameters not listed below are those of :func:`batch` (here
    ``max_epochs=100`` by default).

    Parameters
    ----------
    B : int, default 32
        Block (mini-batch) size, B >= 1; B >= N gives one block of all N
        samples (batch).
    seed : None, int or numpy.random.Generator, default 0
        Seed of the order of the samples: same seed, same run.
    shuffle : bool, default True
        New random order every epoch; False keeps the order of X.
    running_q : bool or None, default None
        What ``History.q`` holds for each epoch. True: the mean of the block
        errors met during the epoch, while the weights were changing (free:
        each block's error comes with its gradient; what scikit-learn's
        ``loss_curve_`` and most toolkits record). False: :math:`q_S` on the
        whole S after the epoch (one more forward pass over S per epoch, about
        a third of an epoch's work). None: True, unless `tol_q` is given (the
        slides' criterion :math:`q_S < \text{tol}_q` is then tested on the
        whole S) or B >= N (one block: the q_S of :func:`batch`). With a
        running q, ``History.q0`` (the start, which the divergence test
        compares with) is q on at most :data:`Q0_SAMPLES` samples evenly
        spread over S.

    Returns
    -------
    History
    """
    X, t = _check_data(net, X, t)
    loss, opt = _check_loss(loss), _check_optimizer(rho, optimizer)
    stop = _check_stop(max_epochs, tol_q, tol_dtheta)
    N = X.shape[0]
    # B > N: one block of all N samples
    B = min(check_int(B, "B", 1, "the block size"), N)
    rng = _rng(seed)
    # a new random order every epoch, or the order of X
    order = rng if shuffle and B < N else None
    if running_q is None:
        running_q = tol_q is None and B < N
    # backprop.gradient on a block, in arrays allocated once
    ws = Workspace(net, X, t, loss, B)

    def epoch():
        q_sum, updates = 0.0, 0
        for b in blocks(N, B, order):  # for each block b of B samples:
            # q_b and ∂q_b/∂θ on the block
            q_b, grad = ws.gradient(b)
            _step(net, grad, opt)  # θ ← θ − ρ ∂q_b/∂θ
            q_sum, updates = q_sum + q_b * len(b), updates + 1
        return updates, (q_sum / N if running_q else None)

    # running q: q0 (the start) on at most Q0_SAMPLES samples spread over S
    q_start = (lambda: ws.cost(most=Q0_SAMPLES)) if running_q else None
    return _train(net, ws, opt, _method, stop, progress, blowup, epoch, q_start)


def incremental(net, X, t, rho=None, loss="squared_error", max_epochs=100,
                tol_q=None, tol_dtheta=None, progress=False, optimizer=None,
                seed=0, shuffle=True, running_q=None, blowup=BLOWUP):
    r"""BackProp "incremental" (the slides' second box): one update per sample,
    in random order.

    For each sample :math:`(\mathbf{x}, \mathbf{t})` of S (a new random order
    every epoch):

    .. math:: \theta^l_{ij} \leftarrow \theta^l_{ij}
              + \rho\, \delta^l_i(\mathbf{x})\, s^{l-1}_j(\mathbf{x})

    The slide's box ends with
    :math:`\theta \leftarrow \theta + \frac{1}{N}\Delta\theta`; the factor
    :math:`1/N` belongs to the batch box (it averages the N accumulated
    increments) and is an erratum here: the per-sample update is the gradient
    of :math:`q_n`, with no :math:`1/N`, as in the on-line box.

    It is :func:`minibatch` with B = 1: the parameters are those of
    :func:`minibatch` without B (``max_epochs=100`` by default).

    Returns
    -------
    History
    """
    # B = 1: blocks of one sample
    return minibatch(net, X, t, rho, 1, loss, max_epochs, tol_q, tol_dtheta,
                     progress, optimizer, seed, shuffle, running_q, blowup,
                     _method="incremental")


def online(net, x, t, rho=None, loss="squared_error", optimizer=None):
    r"""BackProp "on-line" (the slides' third box): one update from one sample
    :math:`(\mathbf{x}, \mathbf{t})`.

    .. math:: \theta^l_{ij} \leftarrow \theta^l_{ij}
              + \rho\, \delta^l_i(\mathbf{x})\, s^{l-1}_j(\mathbf{x})

    Parameters
    ----------
    net : nnlib.mlp.network.MLP
        Updated in place.
    x : array_like, shape (M_0,) (or (1, M_0))
        The sample.
    t : array_like, shape (M_L,) or (1, M_L), or a scalar
        A scalar is an int class label, or the target when M_L = 1.
    rho : float, default 0.5
    loss : str or callable, default "squared_error"
    optimizer : nnlib.optim.Optimizer, optional

    Returns
    -------
    float
        :math:`q_n`, the sample's error **before** the update.
    """
    x_arr = np.asarray(x)
    if x_arr.ndim == 1:  # one sample -> a batch of one
        x, t = x_arr[None, :], np.asarray(t)[None, ...]
    X, t = _check_data(net, x, t)
    if X.shape[0] != 1:
        raise ValueError(f"x must be one sample, shape (M_0,) = ({net.M[0]},); "
                         f"got shape {X.shape}")
    loss, opt = _check_loss(loss), _check_optimizer(rho, optimizer)
    # one update: only a NaN or infinity can show divergence
    watch = DivergenceCheck(opt, unit="update")
    watch.epoch = opt.k + 1
    with watch.guard(over="raise", invalid="raise"):
        q, grad = backprop.gradient(net, X, t, loss=loss)
        watch.check_update(q, grad)  # a NaN/inf never reaches the weights
        _step(net, grad, opt)
    return float(q)


#: The training loops by name, for :func:`fit`.
METHODS = {"batch": batch, "incremental": incremental, "minibatch": minibatch}


def fit(net, X, t, method="batch", **kw):
    """Train `net` with the algorithm called `method` (``"batch"``, ``"incremental"``, ``"minibatch"``).

    ``fit(net, X, t, method="minibatch", B=64, rho=0.1)`` is ``minibatch(net, X, t, B=64, rho=0.1)``;
    the keyword arguments are those of the chosen function.

    Returns
    -------
    History
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    return METHODS[method](net, X, t, **kw)
