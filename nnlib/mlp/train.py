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
from ``nnlib.optim`` is given. Each loop returns a :class:`History`.

Every training loop of nnlib (these, ``Sequential.fit``, ``Seq2Seq.fit``, ``diagnostics.fit_in_order``)
watches for divergence the same way, with one :class:`DivergenceCheck`: training stops with
:class:`Diverged` when :math:`q_S` becomes NaN or infinite (or a pre-activation overflows), or when it
stays above 10 times its value for the initial weights for 3 epochs in a row. The message suggests a
smaller learning rate, and the error's ``history`` holds what the loop recorded so far.
"""

import math
import numbers
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from . import backprop
from .. import losses
from .._validate import as_real_array, check_finite_scalar, check_labels, check_positive, is_labels
from ..init import rng as _rng
from ..optim import SGD, Optimizer

__all__ = ["History", "Diverged", "DivergenceCheck", "BLOWUP", "PATIENCE", "check_blowup", "batch", "incremental",
           "minibatch", "online", "fit", "METHODS"]


class Diverged(ValueError):
    """Training diverged: the loss became NaN or infinite, a computation overflowed, or the loss stayed far
    above its start (see :class:`DivergenceCheck`).

    The message says at which epoch, with which learning rate, and suggests a smaller one (rho/10).

    Attributes
    ----------
    history : History, FitHistory or list
        What the training loop recorded up to the divergence (None if it stopped before the first epoch).
    """

    history = None


#: :class:`DivergenceCheck`'s default factor: a loss above ``BLOWUP`` times its start counts as blowing up.
BLOWUP = 10.0
#: :class:`DivergenceCheck`'s number of epochs in a row above the limit that count as divergence.
PATIENCE = 3


def _is_nonfinite_error(err):
    """True for the errors nnlib raises when a value it is given has become NaN or infinite (e.g. an activation
    refusing an infinite φ): inside a training loop, whose inputs were checked at the start, they mean divergence."""
    return isinstance(err, ValueError) and ("finite" in str(err) or "NaN" in str(err))


class DivergenceCheck:
    r"""The one divergence test shared by every training loop of nnlib.

    Training has diverged when its loss :math:`q`

    1. becomes NaN or infinite, or a gradient does, or a computation overflows (checked at every update
       where the loop looks, and at the end of every epoch); or
    2. stays above ``blowup`` times its start, :math:`q > \text{blowup} \cdot q_\text{start}`, for
       ``patience`` epochs in a row, where :math:`q_\text{start} > 0` is the loss of the initial weights.

    Rule 2 catches a loss that explodes but stays finite: a cross-entropy grows only linearly in the
    logits, and a ReLU net's weights can grow by 10^90 without an overflow, so a far too large ρ may never
    produce a NaN. The factor 10 is far from the oscillations of a learning rate at the edge of stability
    (those stay near the start or below it) and far above anything gradient descent can reach while it
    still descends: the untrained network already does better. ``patience`` = 3 epochs in a row lets a
    short bump pass (momentum and Adam overshoot in their first epochs, then come back).

    On divergence it raises :class:`Diverged` with the epoch, the learning rate ``opt.rho`` and the
    suggestion rho/10; ``err.history`` is the `history` given here.

    A loop calls :meth:`start` with :math:`q_\text{start}`, sets ``epoch`` as it goes, runs its updates
    inside :meth:`guard` (underflow ignored; overflow errors become :class:`Diverged`), may call
    :meth:`check_update` after each gradient, and calls :meth:`check_epoch` with each epoch's loss.

    Parameters
    ----------
    opt : nnlib.optim.Optimizer
        The optimizer (its ``rho`` is named in the message).
    history : object, optional
        The loop's record (``History``, ``FitHistory``, a list), attached to the error.
    blowup : float > 1 or None, default :data:`BLOWUP` (10)
        The factor of rule 2; None turns rule 2 off (only NaN and infinity stop training).
    patience : int >= 1, default :data:`PATIENCE` (3)
    hint : str
        Appended to the suggestion, e.g. ``", or clip the gradient"``.
    unit : str, default "epoch"
        What ``epoch`` counts, for the message (:func:`online` counts updates).
    """

    def __init__(self, opt, history=None, blowup=BLOWUP, patience=PATIENCE, hint="", unit="epoch"):
        self.opt, self.history, self.hint, self.unit = opt, history, hint, unit
        self.blowup = check_blowup(blowup)
        self.patience = _check_int(patience, "patience", "epochs in a row above the limit")
        self.q_start = None
        self.epoch = 0
        self.above = 0          # epochs in a row with q > blowup · q_start

    def error(self, what, note=""):
        """A :class:`Diverged` for the current epoch: ``what`` happened; suggests rho/10 (then `note`)."""
        rho = self.opt.rho
        err = Diverged(f"training diverged at {self.unit} {self.epoch}: {what} with rho={rho:g}; "
                       f"try a smaller learning rate, e.g. rho={rho / 10:g}{self.hint}{note}")
        err.history = self.history
        return err

    def start(self, q):
        r"""Record :math:`q_\text{start}`, the loss of the initial weights (rule 1 applies to it too)."""
        if not np.isfinite(q):
            raise self.error(f"the loss of the initial weights is {q}")
        self.q_start = float(q)

    def check_update(self, q, grads=()):
        """Rule 1 at one update: the loss `q` and every array of `grads` must be finite."""
        if not np.isfinite(q):
            raise self.error(f"the loss became {q}")
        if not all(np.isfinite(g).all() for g in grads if g is not None):
            raise self.error("a gradient became NaN or infinite")

    def check_epoch(self, q):
        """Rules 1 and 2 at the end of epoch ``self.epoch``, whose loss is `q`."""
        if not np.isfinite(q):
            raise self.error(f"the loss became {q}")
        if self.blowup is None or self.q_start is None or self.q_start <= 0:
            return                                     # a perfect start (q = 0) has no scale to blow up from
        limit = self.blowup * self.q_start
        self.above = self.above + 1 if q > limit else 0
        if self.above >= self.patience:
            raise self.error(f"the loss {q:.4g} stayed above {self.blowup:g} times its start "
                             f"{self.q_start:.4g} for {self.patience} epochs in a row,",
                             " (blowup=None turns this test off)")

    @contextmanager
    def guard(self, over=None, invalid=None):
        """Run training steps: underflow is ignored (it is harmless, even under ``np.seterr(all="raise")``);
        overflow and invalid operations are handled as ``over`` and ``invalid`` say (None: as numpy is set).
        A ``FloatingPointError``, or an nnlib error about a value that became NaN or infinite, becomes
        :class:`Diverged`."""
        try:
            with np.errstate(under="ignore", over=over, invalid=invalid):
                yield self
        except Diverged:
            raise
        except FloatingPointError as err:
            raise self.error(f"the computation overflowed ({err})") from None
        except ValueError as err:
            if not _is_nonfinite_error(err):
                raise
            raise self.error(f"the weights or pre-activations became infinite or NaN ({err})") from None


def check_blowup(blowup):
    """`blowup` as a float > 1, or None (the keyword of every training loop; see :class:`DivergenceCheck`)."""
    if blowup is None:
        return None
    value = check_finite_scalar(blowup, "blowup")
    if value <= 1:
        raise ValueError(f"blowup must be a number > 1 (the loss may grow to blowup times its start before "
                         f"training counts as diverged) or None (no such test); got {blowup!r}")
    return value


@dataclass
class History:
    r"""What a training loop did, epoch by epoch.

    Attributes
    ----------
    q : list of float
        :math:`q_S(\Theta)` on the whole training set after each epoch.
    updates : list of int
        Cumulative number of weight updates after each epoch.
    dtheta_norm : list of float
        :math:`\lVert \Delta\Theta \rVert_2`, the change of all weights over each epoch.
    epochs : int
        Epochs run (``len(q)``).
    stopped : str
        The condition that ended training: ``"max_epochs"``, ``"tol_q"`` or ``"tol_dtheta"``
        (``"diverged"`` in the history a :class:`Diverged` error carries).
    seconds : float
        Wall-clock time of the whole loop.
    q0 : float
        :math:`q_S` of the initial weights (before the first epoch).
    method : str
        ``"batch"``, ``"incremental"`` or ``"minibatch"``.
    """

    q: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    dtheta_norm: list = field(default_factory=list)
    epochs: int = 0
    stopped: str = ""
    seconds: float = 0.0
    q0: float = math.nan
    method: str = ""


# ------------------------------------------------------------------------------ checks

def _check_int(value, name, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int ({what}); got {value!r}")
    return int(value)


def _check_tol(value, name):
    return None if value is None else check_positive(value, name)


def _check_stop(max_epochs, tol_q, tol_dtheta):
    """The convergence conditions, checked before any work is done."""
    return (_check_int(max_epochs, "max_epochs", "the largest number of epochs"),
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
    """One update of all weights: θ ← θ − ρ ∇q (SGD, in place, no temporary) or ``opt.step``."""
    if type(opt) is SGD:
        rho = opt.rho
        for l in range(1, net.L + 1):
            np.multiply(grad[l], rho, out=grad[l])          # ρ ∂q/∂θ^l  (grad is ours: reuse it)
            np.subtract(net.theta[l], grad[l], out=net.theta[l])  # θ^l ← θ^l − ρ ∂q/∂θ^l
        opt.k += 1
    else:
        opt.step(net.theta, grad)


def _run(net, X, t, loss, opt, method, stop, progress, epoch, blowup, q0=None):
    """The loop shared by every algorithm: ``epoch()`` does one epoch of updates and returns
    ``(n_updates, q_S after the epoch or None)``; this function checks the convergence conditions
    ``stop = (max_epochs, tol_q, tol_dtheta)`` and, with a :class:`DivergenceCheck`, divergence."""
    max_epochs, tol_q, tol_dtheta = stop
    hist = History(method=method)
    watch = DivergenceCheck(opt, hist, blowup)
    start = time.perf_counter()
    bar = None
    if progress:
        from tqdm.auto import tqdm  # only when asked for: tests and scripts stay quiet and fast
        bar = tqdm(total=max_epochs, desc=method, unit="epoch")
    try:
        with watch.guard(over="raise", invalid="raise"):
            hist.q0 = q = backprop.cost(net, X, t, loss) if q0 is None else q0()
            watch.start(q)
            stopped = "tol_q" if tol_q is not None and q < tol_q else None
            updates = 0
            while stopped is None:
                watch.epoch += 1
                before = [th.copy() for th in net.theta[1:]]
                n, q = epoch()
                if q is None:
                    q = backprop.cost(net, X, t, loss)
                updates += n
                dtheta = math.sqrt(sum(float(np.vdot(d, d)) for d in
                                       (th - b for th, b in zip(net.theta[1:], before))))
                hist.q.append(float(q))
                hist.updates.append(updates)
                hist.dtheta_norm.append(dtheta)
                hist.epochs = len(hist.q)
                watch.check_epoch(q)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(q_S=f"{q:.4g}", refresh=False)
                if tol_q is not None and q < tol_q:
                    stopped = "tol_q"
                elif tol_dtheta is not None and dtheta < tol_dtheta:
                    stopped = "tol_dtheta"
                elif watch.epoch >= max_epochs:
                    stopped = "max_epochs"
    except Diverged:
        hist.stopped, hist.seconds = "diverged", time.perf_counter() - start
        raise
    finally:
        if bar is not None:
            bar.close()
    hist.epochs, hist.stopped = len(hist.q), stopped
    hist.seconds = time.perf_counter() - start
    return hist


# ---------------------------------------------------------------------------- algorithms

def batch(net, X, t, rho=None, loss="squared_error", max_epochs=1000, tol_q=None, tol_dtheta=None,
          progress=False, optimizer=None, blowup=BLOWUP):
    r"""BackProp "batch" (the slides' first box): one update per epoch from all N samples.

    .. math:: \Delta\theta^l_{ij} = \frac{\rho}{N} \sum_{n=1}^{N} \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n)
              = -\rho\, \frac{\partial q_S}{\partial \theta^l_{ij}}, \qquad
              \theta^l_{ij} \leftarrow \theta^l_{ij} + \Delta\theta^l_{ij}

    The gradient that gives the next update also gives :math:`q_S` after this one, so an epoch
    costs one forward and one backward pass over S.

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
        Stop when the epoch's weight change :math:`\lVert \Delta\Theta \rVert_2 < \text{tol}_\theta`.
    progress : bool, default False
        Show a progress bar over the epochs (tqdm), with :math:`q_S` beside it.
    optimizer : nnlib.optim.Optimizer, optional
        E.g. ``optim.Momentum(rho=0.1, nu=0.9)``; each update calls ``optimizer.step(net.theta, grad)``.
    blowup : float > 1 or None, default 10
        Stop with :class:`Diverged` when :math:`q_S` stays above ``blowup`` times :math:`q_S` of the
        initial weights for 3 epochs in a row; None stops only on NaN or infinity (see :class:`DivergenceCheck`).

    Returns
    -------
    History

    Raises
    ------
    Diverged
        If :math:`q_S` becomes NaN or infinite, or stays above ``blowup`` times its start for 3 epochs
        (see :class:`DivergenceCheck`); ``err.history`` holds the epochs run.
    """
    X, t = _check_data(net, X, t)
    loss, opt = _check_loss(loss), _check_optimizer(rho, optimizer)
    stop = _check_stop(max_epochs, tol_q, tol_dtheta)
    cur = {}

    def epoch():
        _step(net, cur["grad"], opt)                                # θ ← θ + Δθ, Δθ = −ρ ∂q_S/∂θ
        q, cur["grad"] = backprop.gradient(net, X, t, loss=loss)    # q_S after the update, next gradient
        return 1, q

    def first():
        q0, cur["grad"] = backprop.gradient(net, X, t, loss=loss)   # q_S of the initial weights, first gradient
        return q0

    return _run(net, X, t, loss, opt, "batch", stop, progress, epoch, blowup, q0=first)


def minibatch(net, X, t, rho=None, B=32, loss="squared_error", max_epochs=100, tol_q=None, tol_dtheta=None,
              progress=False, optimizer=None, seed=0, shuffle=True, running_q=False, blowup=BLOWUP):
    r"""BackProp "mini-batch": one update per block of B samples.

    Each epoch the samples are put in a random order (seeded) and cut into blocks of B
    consecutive samples (the last block may be smaller); for each block b,

    .. math:: \theta^l_{ij} \leftarrow \theta^l_{ij} + \frac{\rho}{|b|} \sum_{n \in b} \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n),

    so the weights change :math:`\lceil N/B \rceil` times per epoch. (The slide speaks of "B blocks"
    and N/B updates per epoch; here B is the block size, as in every toolkit.) B = N is exactly
    :func:`batch`; B = 1 is :func:`incremental`.

    The parameters not listed below are those of :func:`batch` (here ``max_epochs=100`` by default).

    Parameters
    ----------
    B : int, default 32
        Block (mini-batch) size, B >= 1; B >= N gives one block of all N samples (batch).
    seed : None, int or numpy.random.Generator, default 0
        Seed of the order of the samples: same seed, same run.
    shuffle : bool, default True
        New random order every epoch; False keeps the order of X.
    running_q : bool, default False
        False: ``History.q`` holds :math:`q_S` on the whole S after each epoch (one extra forward
        pass over S per epoch). True: the mean of the block errors met during the epoch, while the
        weights were changing (free; what scikit-learn's ``loss_curve_`` records). `tol_q` tests
        the value recorded.

    Returns
    -------
    History
    """
    X, t = _check_data(net, X, t)
    loss, opt = _check_loss(loss), _check_optimizer(rho, optimizer)
    stop = _check_stop(max_epochs, tol_q, tol_dtheta)
    N = X.shape[0]
    B = min(_check_int(B, "B", "the block size"), N)   # B > N: one block of all N samples
    rng = _rng(seed)

    Xb, tb = np.empty((B, X.shape[1]), X.dtype), np.empty((B, t.shape[1]), t.dtype)  # reused blocks

    def epoch():
        order = rng.permutation(N) if shuffle and B < N else None
        q_sum = 0.0
        for start in range(0, N, B):
            if order is None:           # views, no copy
                Xs, ts = X[start:start + B], t[start:start + B]
            else:                       # gather the block into the reused buffers; the indices
                idx = order[start:start + B]  # are valid, and mode="clip" spares numpy a copy
                Xs = np.take(X, idx, axis=0, out=Xb[:len(idx)], mode="clip")
                ts = np.take(t, idx, axis=0, out=tb[:len(idx)], mode="clip")
            q_b, grad = backprop.gradient(net, Xs, ts, loss=loss)
            _step(net, grad, opt)
            q_sum += q_b * len(Xs)
        return -(-N // B), (q_sum / N if running_q else None)

    return _run(net, X, t, loss, opt, "minibatch", stop, progress, epoch, blowup)


def incremental(net, X, t, rho=None, loss="squared_error", max_epochs=100, tol_q=None, tol_dtheta=None,
                progress=False, optimizer=None, seed=0, shuffle=True, running_q=False, blowup=BLOWUP):
    r"""BackProp "incremental" (the slides' second box): one update per sample, in random order.

    For each sample :math:`(\mathbf{x}, \mathbf{t})` of S (a new random order every epoch):

    .. math:: \theta^l_{ij} \leftarrow \theta^l_{ij} + \rho\, \delta^l_i(\mathbf{x})\, s^{l-1}_j(\mathbf{x})

    The slide's box ends with :math:`\theta \leftarrow \theta + \frac{1}{N}\Delta\theta`; the factor
    :math:`1/N` belongs to the batch box (it averages the N accumulated increments) and is an erratum
    here: the per-sample update is the gradient of :math:`q_n`, with no :math:`1/N`, as in the on-line box.

    The parameters are those of :func:`minibatch` without B (``max_epochs=100`` by default).

    Returns
    -------
    History
    """
    X, t = _check_data(net, X, t)
    loss, opt = _check_loss(loss), _check_optimizer(rho, optimizer)
    stop = _check_stop(max_epochs, tol_q, tol_dtheta)
    N = X.shape[0]
    rng = _rng(seed)

    def epoch():
        order = rng.permutation(N) if shuffle else range(N)
        q_sum = 0.0
        for n in order:                 # per sample by definition
            q_n, grad = backprop.gradient(net, X[n:n + 1], t[n:n + 1], loss=loss)
            _step(net, grad, opt)
            q_sum += q_n
        return N, (q_sum / N if running_q else None)

    return _run(net, X, t, loss, opt, "incremental", stop, progress, epoch, blowup)


def online(net, x, t, rho=None, loss="squared_error", optimizer=None):
    r"""BackProp "on-line" (the slides' third box): one update from one sample :math:`(\mathbf{x}, \mathbf{t})`.

    .. math:: \theta^l_{ij} \leftarrow \theta^l_{ij} + \rho\, \delta^l_i(\mathbf{x})\, s^{l-1}_j(\mathbf{x})

    Parameters
    ----------
    net : nnlib.mlp.network.MLP
        Updated in place.
    x : array_like, shape (M_0,) (or (1, M_0))
        The sample.
    t : array_like, shape (M_L,), a scalar (an int class label, or the target when M_L = 1), or (1, M_L)
    rho : float, default 0.5
    loss : str or callable, default "squared_error"
    optimizer : nnlib.optim.Optimizer, optional

    Returns
    -------
    float
        :math:`q_n`, the sample's error **before** the update.
    """
    x_arr = np.asarray(x)
    if x_arr.ndim == 1:
        x, t = x_arr[None, :], np.asarray(t)[None, ...]   # one sample -> a batch of one
    X, t = _check_data(net, x, t)
    if X.shape[0] != 1:
        raise ValueError(f"x must be one sample, shape (M_0,) = ({net.M[0]},); got shape {X.shape}")
    loss, opt = _check_loss(loss), _check_optimizer(rho, optimizer)
    watch = DivergenceCheck(opt, unit="update")   # one update: only a NaN or infinity can show divergence
    watch.epoch = opt.k + 1
    with watch.guard(over="raise", invalid="raise"):
        q, grad = backprop.gradient(net, X, t, loss=loss)
        watch.check_update(q, grad)                 # refuse a NaN/inf before it reaches the weights
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
