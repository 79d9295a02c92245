r"""A network as a sequence of layers (:mod:`nnlib.layers`), trained by BackProp with any optimizer.

BackProp on a chain of layers is the slides' recursion, one layer at a time: the forward pass stores each
layer's input; the backward pass hands every layer :math:`\partial q/\partial y` and gets
:math:`\partial q/\partial x`, the next layer down's :math:`\partial q/\partial y`::

    net = Sequential([Dense(64, 32, seed=0), Act("relu"), Dense(32, 10, seed=1)])
    hist = net.fit(X, y, loss="cross_entropy", optimizer=optim.Adam(rho=1e-3), epochs=20, B=32, seed=0)

The loss is applied to the last layer's output: ``"cross_entropy"`` takes it as logits (softmax inside the
loss), ``"squared_error"`` as the network output :math:`s^L` (put an :class:`~nnlib.layers.Act` last for a
non-linear output). Both are averaged over the batch, :math:`q_S = \frac{1}{N}\sum_n q_n`.

Training can add a weight ``penalty`` (an object with ``apply(layers) -> float``, e.g.
:class:`nnlib.regularization.L2`) and gradient ``clip`` (a callable that changes the list of gradient arrays in
place, e.g. :class:`nnlib.regularization.ClipNorm`). If :math:`q` becomes NaN or infinite, training stops with
:class:`nnlib.train.Diverged`, whose message suggests a smaller learning rate; its ``history`` attribute holds the
:class:`FitHistory` up to that point (e.g. the gradient norms that exploded).
"""

import time
from dataclasses import dataclass, field

import numpy as np

from . import losses
from ._validate import as_real_array
from .layers import Layer
from .optim import SGD, Optimizer
from .train import Diverged

__all__ = ["Sequential", "FitHistory", "update"]


@dataclass
class FitHistory:
    """What :meth:`Sequential.fit` did: mean training loss per epoch (``q``), validation loss and accuracy when
    validation data is given, the gradient norm before clipping per update (``grad_norm``), and the time."""
    q: list = field(default_factory=list)
    q_val: list = field(default_factory=list)
    acc_val: list = field(default_factory=list)
    grad_norm: list = field(default_factory=list)
    epochs: int = 0
    updates: int = 0
    seconds: float = 0.0


def update(model, q, opt, hist, clip, epoch):
    r"""One weight update from the gradients just computed (``model.grad_list``) and the loss ``q`` they came with.

    Stops with :class:`~nnlib.train.Diverged` if q or a gradient is NaN or infinite; records the gradient norm
    :math:`\lVert\nabla q\rVert` in ``hist.grad_norm``; clips (``clip(grads)``, in place) if asked; then
    ``opt.step``. Shared by :meth:`Sequential.fit` and the sequence model of :mod:`nnlib.attention`.
    """
    grads = model.grad_list
    if not np.isfinite(q) or not all(np.isfinite(g).all() for g in grads):
        raise Diverged(f"training diverged at epoch {epoch}: the loss or a gradient became "
                       f"{q if not np.isfinite(q) else 'NaN/inf'} with rho={opt.rho:g}; try a "
                       f"smaller learning rate, e.g. rho={opt.rho / 10:g}, or clip the gradient")
    hist.grad_norm.append(float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads))))
    if clip is not None:
        clip(grads)
    opt.step(model.param_list, grads)
    hist.updates += 1


def _output_loss(name):
    fn = losses.get(name)
    g = "softmax" if fn is losses.cross_entropy else "linear"
    return lambda y, t: fn(y, t, g)


class Sequential(Layer):
    """Layers applied in order; itself a layer (so a :class:`Sequential` can sit inside a residual block).

    ``params``/``grads`` are flat dicts keyed ``"<index>.<name>"``; :attr:`param_list` and :attr:`grad_list` give
    the arrays in a fixed order for an optimizer's ``step``.
    """

    def __init__(self, layers):
        super().__init__()
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{i}] must be an nnlib layer; got {type(layer).__name__}")
        if not layers:
            raise ValueError("layers must hold at least one layer; got an empty list")
        self.layers = layers
        self.params = {f"{i}.{k}": v for i, layer in enumerate(layers) for k, v in layer.params.items()}
        self.grads = {f"{i}.{k}": v for i, layer in enumerate(layers) for k, v in layer.grads.items()}
        self.penalized = {f"{i}.{k}": v for i, layer in enumerate(layers) for k, v in layer.penalized.items()}

    @property
    def param_list(self):
        """Every parameter array of every layer, in a fixed order (what an optimizer's ``step`` takes)."""
        return [layer.params[k] for layer in self.layers for k in layer.params]

    @property
    def grad_list(self):
        """The gradient arrays, in the order of :attr:`param_list`."""
        return [layer.grads[k] for layer in self.layers for k in layer.params]

    def count_params(self):
        """Number of trainable weights D."""
        return int(sum(p.size for p in self.param_list))

    def forward(self, x, train=False):
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def backward(self, grad_y):
        for layer in reversed(self.layers):
            grad_y = layer.backward(grad_y)
        self.grads.update({f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.grads.items()})
        return grad_y

    def loss(self, X, t, loss="cross_entropy", train=False):
        """:math:`q_S` on (X, t), the mean over samples, without touching the gradients."""
        q, _ = _output_loss(loss)(self.forward(X, train), t)
        return q

    def gradient(self, X, t, loss="cross_entropy", train=True):
        """Forward and backward on (X, t): returns :math:`q_S` and fills every layer's ``grads``."""
        y = self.forward(X, train)
        q, delta = _output_loss(loss)(y, t)               # δ^L = −∂q_n/∂y
        self.backward(-delta / y.shape[0])               # ∂q_S/∂y = −δ^L / N
        return q

    def predict(self, X, B=1024):
        """Network output in evaluation mode (train=False), computed in blocks of `B` samples."""
        X = as_real_array(X, "X")
        if X.shape[0] == 0:
            raise ValueError(f"X must hold at least one sample; got shape {X.shape}")
        return np.concatenate([self.forward(X[i:i + B], False) for i in range(0, X.shape[0], B)])

    def accuracy(self, X, labels):
        """Fraction of samples whose largest output is the label."""
        return float(np.mean(self.predict(X).argmax(axis=1) == np.asarray(labels)))

    def fit(self, X, t, loss="cross_entropy", optimizer=None, rho=0.1, epochs=10, B=32, seed=0,
            penalty=None, clip=None, X_val=None, t_val=None, progress=False, augment=None):
        """Mini-batch training (B samples per update, shuffled each epoch with `seed`).

        Parameters
        ----------
        X, t : arrays
            Inputs (N, ...) and targets: int labels or one-hot for cross-entropy, values for squared error.
        loss : {"cross_entropy", "squared_error"}
        optimizer : nnlib.optim.Optimizer, optional
            Default: plain gradient descent ``SGD(rho)``.
        epochs, B : int
            Passes over the data and block size (``B >= N`` gives batch BackProp).
        penalty : object with ``apply(layers) -> float``, optional
            Adds the penalty's gradient to ``grads`` and returns its value (added to q).
        clip : callable, optional
            ``clip(grads)`` rescales the gradient arrays in place (clipping by norm or by value).
        augment : callable, optional
            ``augment(X_block, rng) -> X_block'``, applied to each training block (data augmentation).
        progress : bool
            A tqdm progress bar over epochs.

        Returns
        -------
        FitHistory
        """
        X = as_real_array(X, "X")
        N = X.shape[0]
        if N == 0:
            raise ValueError(f"X must hold at least one sample; got shape {X.shape}")
        t = np.asarray(t)
        if t.shape[0] != N:
            raise ValueError(f"t must have one row per sample of X ({N}); got shape {t.shape}")
        for value, name in ((epochs, "epochs"), (B, "B")):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
        opt = optimizer if optimizer is not None else SGD(rho)
        if not isinstance(opt, Optimizer):
            raise TypeError(f"optimizer must be an nnlib.optim.Optimizer; got {type(opt).__name__}")
        rng = np.random.default_rng(seed)
        hist = FitHistory()
        start = time.perf_counter()
        bar = None
        if progress:
            from tqdm.auto import tqdm
            bar = tqdm(total=epochs, desc="fit", unit="epoch")
        try:
            for epoch in range(1, epochs + 1):
                order = rng.permutation(N)
                total = 0.0
                for i in range(0, N, B):
                    idx = order[i:i + B]
                    Xb = X[idx] if augment is None else augment(X[idx], rng)
                    with np.errstate(over="ignore", invalid="ignore"):
                        q = self.gradient(Xb, t[idx], loss)
                    if penalty is not None:
                        q += penalty.apply(self.layers)
                    update(self, q, opt, hist, clip, epoch)
                    total += q * len(idx)
                hist.q.append(total / N)
                if X_val is not None:
                    hist.q_val.append(self.loss(X_val, t_val, loss))
                    if loss in ("cross_entropy", "ce"):
                        hist.acc_val.append(self.accuracy(X_val, t_val))
                hist.epochs = epoch
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(q=f"{hist.q[-1]:.4g}", refresh=False)
        except Diverged as err:
            err.history = hist
            raise
        except ValueError as err:
            if "finite" not in str(err) and "NaN" not in str(err):
                raise
            diverged = Diverged(f"training diverged at epoch {epoch}: the weights grew until a layer's values "
                                f"overflowed to infinity or NaN, with rho={opt.rho:g}; try a smaller learning rate, "
                                f"e.g. rho={opt.rho / 10:g}, or clip the gradient (detail: {err})")
            diverged.history = hist
            raise diverged from None
        finally:
            if bar is not None:
                bar.close()
        hist.seconds = time.perf_counter() - start
        return hist

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n  {inner}\n])"
