r"""The one training loop of nnlib: epochs, blocks of B samples, history, progress bar, divergence, stopping.

Every trainer of nnlib runs its epochs here: the slides' boxes (:func:`nnlib.mlp.train.batch`,
:func:`~nnlib.mlp.train.minibatch`, :func:`~nnlib.mlp.train.incremental`), :meth:`nnlib.layers.sequential.Sequential.fit`,
:meth:`nnlib.layers.attention.Seq2Seq.fit`, :func:`nnlib.book.diagnostics.fit_in_order` and the explorers of
:mod:`nnlib.book.explore`. What differs between them is one epoch of updates; what they share is here:

- :func:`blocks`: the order of the samples in an epoch (a new permutation from the seeded generator when shuffling,
  the stored order otherwise) cut into blocks of B consecutive samples (the last one may be smaller);
- :func:`run`: the loss of the initial weights, then epoch after epoch until ``max_epochs`` or a stopping
  tolerance, recording the loss in a history, with a tqdm progress bar when asked;
- :class:`DivergenceCheck`: the one divergence test; training stops with :class:`Diverged`, whose ``history``
  holds what the loop recorded so far.

>>> import numpy as np
>>> [b.tolist() for b in blocks(5, 2)]
[[0, 1], [2, 3], [4]]
"""

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from ._validate import NonFinite, check_finite_scalar, check_int
from .optim import Optimizer

__all__ = ["History", "Diverged", "NonFinite", "DivergenceCheck", "BLOWUP", "PATIENCE", "check_blowup", "blocks",
           "run", "Recorder"]


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
    blowup : float > 1 or None, default ``BLOWUP`` (10)
        The factor of rule 2; None turns rule 2 off (only NaN and infinity stop training).
    patience : int >= 1, default ``PATIENCE`` (3)
    hint : str
        Appended to the suggestion, e.g. ``", or clip the gradient"``.
    unit : str, default "epoch"
        What ``epoch`` counts, for the message (:func:`~nnlib.mlp.train.online` counts updates).
    """

    def __init__(self, opt, history=None, blowup=BLOWUP, patience=PATIENCE, hint="", unit="epoch"):
        self.opt, self.history, self.hint, self.unit = opt, history, hint, unit
        self.blowup = check_blowup(blowup)
        self.patience = check_int(patience, "patience", 1, "epochs in a row above the limit")
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
        A ``FloatingPointError``, or a :class:`~nnlib._validate.NonFinite` error (a value nnlib refused because it
        became NaN or infinite), becomes :class:`Diverged`."""
        try:
            with np.errstate(under="ignore", over=over, invalid=invalid):
                yield self
        except Diverged:
            raise
        except FloatingPointError as err:
            raise self.error(f"the computation overflowed ({err})") from None
        except NonFinite as err:       # a value nnlib refused because it became NaN or infinite
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
        The loss of each epoch. :func:`~nnlib.mlp.train.batch`: :math:`q_S(\Theta)` on the whole training set
        after the epoch's update. :func:`~nnlib.mlp.train.minibatch` and :func:`~nnlib.mlp.train.incremental`: by
        default the mean of the block errors met during the epoch, while the weights were changing (no extra pass
        over S); with ``running_q=False`` or a ``tol_q``, :math:`q_S(\Theta)` on the whole S after the epoch.
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
        :math:`q_S` of the initial weights (before the first epoch); with a running q (above), q on at most
        :data:`nnlib.mlp.train.Q0_SAMPLES` samples evenly spread over S.
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


def blocks(N, B, rng=None, order=None):
    """The blocks of one epoch: index arrays of B consecutive samples of the epoch's order (the last may be smaller).

    The order is ``rng.permutation(N)`` when a generator `rng` is given (the seed rule: a new order every epoch,
    the same run for the same seed), else `order` (an index array), else ``0..N-1``.
    """
    if rng is not None:
        order = rng.permutation(N)
    elif order is None:
        order = np.arange(N)
    return [order[start:start + B] for start in range(0, len(order), B)]


def run(history, watch, q_start, epoch, max_epochs, stop=None, progress=False, desc="train", label="q", over=None,
        invalid=None):
    r"""The epoch loop every trainer of nnlib shares.

    1. :math:`q_\text{start} =` ``q_start()``, the loss of the initial weights (``history.q0``); divergence is
       measured against it;
    2. for each epoch 1, 2, ..., ``max_epochs``: ``q = epoch()`` runs the epoch's updates and returns its loss,
       appended to ``history.q``; the :class:`DivergenceCheck` `watch` tests it; ``stop(q)`` may end training
       with the name of the condition that held (e.g. ``"tol_q"``), else it ends at ``"max_epochs"``.

    ``stop(q)`` is also asked about the initial loss: a start that already meets a tolerance runs no epoch.

    Parameters
    ----------
    history : History or FitHistory
        Gets ``q0``, ``q`` (one loss per epoch), ``epochs``, ``stopped`` and ``seconds``; it is the ``history`` of
        a :class:`Diverged` error.
    watch : DivergenceCheck
    q_start, epoch : callables
    max_epochs : int
    stop : callable, optional
        ``stop(q) -> str or None``.
    progress : bool
        A tqdm progress bar over the epochs, with the loss beside it.
    desc, label : str
        The bar's title, and the name of the loss shown beside it.
    over, invalid : str, optional
        numpy's handling of overflow and invalid operations during training (see :meth:`DivergenceCheck.guard`).

    Returns
    -------
    history

    Raises
    ------
    Diverged
        From `watch`; ``history.stopped`` is then ``"diverged"``.
    """
    watch.history = history
    begin = time.perf_counter()
    bar = None
    if progress:
        from tqdm.auto import tqdm  # only when asked for: tests and scripts stay quiet and fast
        bar = tqdm(total=max_epochs, desc=desc, unit="epoch")
    try:
        with watch.guard(over=over, invalid=invalid):
            history.q0 = float(q_start())
            watch.start(history.q0)
            stopped = stop(history.q0) if stop is not None else None
            while stopped is None:
                watch.epoch += 1
                q = float(epoch())
                history.q.append(q)
                history.epochs = len(history.q)
                watch.check_epoch(q)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix({label: f"{q:.4g}"}, refresh=False)
                stopped = stop(q) if stop is not None else None
                if stopped is None and watch.epoch >= max_epochs:
                    stopped = "max_epochs"
    except Diverged:
        history.stopped = "diverged"
        raise
    finally:
        history.seconds = time.perf_counter() - begin
        if bar is not None:
            bar.close()
    history.stopped = stopped
    return history


class Recorder(Optimizer):
    """An optimizer that updates as `opt` does and measures something after chosen updates (for figures).

    Give it to any training loop in place of `opt`: every ``step`` is ``opt.step``; after the updates whose count
    ``k`` is in `at` (every update when `at` is None) it stores ``measure()`` in ``record[k]``; ``record[0]`` is
    the measure before the first update. E.g. :math:`q_S` after chosen updates, or the weights after each one::

        rec = Recorder(optim.SGD(0.5), lambda: backprop.cost(net, X, T), at={10, 100})
        # rec.record == {0: q, 10: q, 100: q}
        train.minibatch(net, X, T, B=10, optimizer=rec)

    Parameters
    ----------
    opt : nnlib.optim.Optimizer
        The optimizer that makes the updates (its ``rho`` and ``k`` are the recorder's).
    measure : callable
        ``measure()``, called with no argument; whatever it returns is stored (copy arrays yourself).
    at : collection of int, optional
        The update counts after which to measure; None: after every update.
    """

    def __init__(self, opt, measure, at=None):
        if not isinstance(opt, Optimizer):
            raise TypeError(f"opt must be an nnlib.optim.Optimizer (e.g. optim.SGD(0.5)); got {type(opt).__name__}")
        if not callable(measure):
            raise TypeError(f"measure must be a callable measure() -> value; got {type(measure).__name__}")
        self.opt, self.measure, self.at = opt, measure, None if at is None else {int(k) for k in at}
        self.record = {0: measure()}

    @property
    def rho(self):
        return self.opt.rho

    @property
    def k(self):
        return self.opt.k

    def step(self, params, grads, check=True):
        self.opt.step(params, grads, check)                # the update itself: opt's rule
        self._measure()

    def apply(self, params, grads):
        """``opt.apply`` (the update of a training loop), then the measure if this update is one of `at`."""
        self.opt.apply(params, grads)
        self._measure()

    def _measure(self):
        if self.at is None or self.k in self.at:
            self.record[self.k] = self.measure()

    def __repr__(self):
        return f"Recorder({self.opt!r})"
