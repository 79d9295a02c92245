r"""A network as a sequence of layers (:mod:`nnlib.layers`), trained by BackProp with any optimizer.

BackProp on a chain of layers is the slides' recursion, one layer at a time: the forward pass stores each
layer's input; the backward pass hands every layer :math:`\partial q/\partial y` and gets
:math:`\partial q/\partial x`, the next layer down's :math:`\partial q/\partial y`::

    net = Sequential([Dense(64, 32, seed=0), Act("relu"), Dense(32, 10, seed=1)])
    hist = net.fit(X, y, loss="cross_entropy", optimizer=optim.Adam(rho=1e-3),
                   epochs=20, B=32, seed=0)

The loss is applied to the last layer's output: ``"cross_entropy"`` takes it as logits (softmax inside the
loss), ``"squared_error"`` as the network output :math:`s^L` (put an :class:`~nnlib.layers.dense.Act` last for a
non-linear output). Both are averaged over the batch, :math:`q_S = \frac{1}{N}\sum_n q_n`.

Training can add a weight ``penalty`` (an object with ``apply(layers) -> float``, e.g.
:class:`nnlib.layers.regularization.L2`) and gradient ``clip`` (a callable that changes the list of gradient arrays in
place, e.g. :class:`nnlib.layers.regularization.ClipNorm`). If :math:`q` becomes NaN or infinite, or stays far above its
start (:class:`nnlib.loop.DivergenceCheck`, the test every training loop of nnlib shares), training stops with
:class:`nnlib.loop.Diverged`, whose message suggests a smaller learning rate; its ``history`` attribute holds the
:class:`FitHistory` up to that point (e.g. the gradient norms that exploded).

``fit`` checks its data once per fit, not once per block: the blocks go through each layer's unchecked
``_unchecked_forward`` / ``_unchecked_backward`` (the public ``forward`` and ``backward`` check their input and
then call them), so a small network pays for its arithmetic, not for the checks.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .. import activations as act
from .. import losses
from .._validate import NonFinite, as_numeric, as_real_array, check_labels, check_shape, is_labels
from .base import Layer
from .._validate import check_int
from ..init import rng as _rng
from ..loop import BLOWUP, DivergenceCheck, blocks, check_blowup, run
from ..optim import SGD, Optimizer

__all__ = ["Sequential", "FitHistory", "update", "check_training_options", "check_targets"]


@dataclass
class FitHistory:
    """What :meth:`Sequential.fit` did: mean training loss per epoch (``q``), validation loss and accuracy when
    validation data is given, the gradient norm before clipping per update (``grad_norm``), and the time.
    ``q0`` is the loss of the initial weights (evaluation mode), the start the divergence test compares with."""
    q: list = field(default_factory=list)
    q_val: list = field(default_factory=list)
    acc_val: list = field(default_factory=list)
    grad_norm: list = field(default_factory=list)
    epochs: int = 0
    updates: int = 0
    seconds: float = 0.0
    q0: float = float("nan")
    stopped: str = ""


def update(model, q, opt, hist, clip, watch, params=None):
    r"""One weight update from the gradients just computed (``model.grad_list``) and the loss ``q`` they came with.

    Records the gradient norm :math:`\lVert\nabla q\rVert` in ``hist.grad_norm``; stops with
    :class:`~nnlib.loop.Diverged` if q or a gradient is NaN or infinite (``watch.check_update``, the
    :class:`~nnlib.loop.DivergenceCheck` of the loop: asked only when q or the norm is not finite, which the norm
    is whenever a gradient is not); clips (``clip(grads)``, in place) if asked; then ``opt.step``. The
    optimizer checks the gradients' shapes at the first update of the fit and after a `clip` (a callable of the
    user's) only: the layers made them, of their parameters' shapes. `params` is ``model.param_list`` (give it
    to spare building the list at every update). Shared by :meth:`Sequential.fit` and the sequence model of
    :mod:`nnlib.layers.attention`.
    """
    grads = model.grad_list
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))   # ‖∇q‖: NaN or inf if a gradient is
    if not (math.isfinite(q) and math.isfinite(norm)):
        watch.check_update(q, grads)                  # Diverged, naming the loss or the gradient
    hist.grad_norm.append(norm)
    if clip is not None:
        clip(grads)
    opt.step(model.param_list if params is None else params, grads, check=clip is not None or hist.updates == 0)
    hist.updates += 1


def check_training_options(optimizer, rho, seed, clip, progress, penalty=None, augment=None):
    """The options every ``fit`` shares, checked before any work: returns ``(optimizer, rng)``.

    ``optimizer`` (an :class:`~nnlib.optim.Optimizer`, or None for ``SGD(rho)``), ``seed`` (None, an int >= 0
    or a numpy Generator), ``clip`` (None or a callable ``clip(grads)``), ``penalty`` (None or an object with
    ``apply(layers)``), ``augment`` (None or a callable ``augment(X_block, rng)``), ``progress`` (a bool).
    """
    if optimizer is None:
        opt = SGD(rho)                                    # names rho if it is not a number > 0
    elif isinstance(optimizer, Optimizer):
        opt = optimizer
    else:
        raise TypeError(f"optimizer must be an nnlib.optim.Optimizer (e.g. optim.Adam(rho=1e-3)) or None for "
                        f"plain gradient descent with rho; got {type(optimizer).__name__} {optimizer!r}")
    if penalty is not None and not callable(getattr(penalty, "apply", None)):
        raise TypeError(f"penalty must be None or a weight penalty with apply(layers) -> float, e.g. "
                        f"nnlib.layers.regularization.L2(lam=1e-3); got {type(penalty).__name__} {penalty!r}")
    if clip is not None and not callable(clip):
        raise TypeError(f"clip must be None or a callable clip(grads) that changes the gradient arrays in place, "
                        f"e.g. nnlib.layers.regularization.ClipNorm(1.0); got {type(clip).__name__} {clip!r}")
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be None or a callable augment(X_block, rng) -> X_block, e.g. "
                        f"nnlib.data.augment.ImageAugmenter(); got {type(augment).__name__} {augment!r}")
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True or False (show a progress bar); got {type(progress).__name__} "
                        f"{progress!r}")
    return opt, _rng(seed)


def _check_rows(t, N, name, of):
    """`t` as an array with one row per sample of `of` (N rows), or an error naming `name`."""
    t = as_numeric(t, name, "an array of targets", "numeric targets (class labels or values)")
    if t.ndim == 0 or t.shape[0] != N:
        raise ValueError(f"{name} must have one row per sample of {of} ({N}); got shape {t.shape}")
    return t


def check_targets(net, X, t, loss, name="t", of="X"):
    """The targets `t` for the inputs `X` of `net`, checked once before training.

    Class labels (one dimension fewer than the output, for cross-entropy or C >= 2 outputs) are checked by
    ``_validate.check_labels`` (one per sample, whole numbers in 0..C-1; the message every entry point gives);
    other targets must have one row per sample of `X`. The output size C comes from a forward pass on one sample.
    """
    y = net.forward(X[:1], False)
    if y.ndim == 2 and (losses.get(loss) is losses.cross_entropy or y.shape[1] >= 2) and is_labels(t, 2):
        return check_labels(t, X.shape[0], y.shape[1], name)
    return _check_rows(t, X.shape[0], name, of)


def _output_loss(name):
    fn = losses.get(name)
    g = "softmax" if fn is losses.cross_entropy else "linear"
    return lambda y, t: fn(y, t, g)


def _fit_loss(net, X, t, loss):
    """The loss the fit loop calls on every block, ``(y, t_block) -> (q, delta)``, and the targets it takes.

    For the losses of nnlib on (N, C) outputs: the loss on checked arguments (``losses.CORES``), and the targets
    converted once as the loss would convert them at every block (class labels one-hot, in the dtype of the
    output). Any other loss (a callable of the user's): the loss itself, with its checks, and `t` as it is.
    """
    fn = losses.get(loss)
    y = net.forward(X[:1], False)                     # the output's size and dtype
    if fn not in (losses.squared_error, losses.cross_entropy) or y.ndim != 2:
        return _output_loss(loss), t
    core, classify = losses.CORES[fn], fn is losses.cross_entropy
    g = act.get("softmax" if classify else "linear")
    if (classify or y.shape[1] >= 2) and is_labels(t, 2):   # labels, as the loss reads them
        t = losses.one_hot(t, y.shape[1], dtype=y.dtype)
    else:
        t = t.astype(y.dtype, copy=False)
    return (lambda y, t: core(y, t, g)), t


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
        for i, layer in enumerate(self.layers):
            for k, v in layer.grads.items():
                self.grads[f"{i}.{k}"] = v
        return grad_y

    def _unchecked_forward(self, x, train=False):
        for layer in self.layers:
            x = layer._unchecked_forward(x, train)
        return x

    def _unchecked_backward(self, grad_y):
        """:meth:`backward` without the checks of every layer (tested to give the same gradients)."""
        for layer in reversed(self.layers):
            grad_y = layer._unchecked_backward(grad_y)
        self._collect_grads()
        return grad_y

    def _backward_params(self, grad_y):
        """:meth:`_unchecked_backward` without the gradient of the input (the first layer fills its ``grads``
        only): what training needs, the input being the data."""
        for layer in reversed(self.layers[1:]):
            grad_y = layer._unchecked_backward(grad_y)
        self.layers[0]._backward_params(grad_y)
        self._collect_grads()

    def _collect_grads(self):
        for i, layer in enumerate(self.layers):
            for k, v in layer.grads.items():
                self.grads[f"{i}.{k}"] = v

    def loss(self, X, t, loss="cross_entropy", train=False):
        """:math:`q_S` on (X, t), the mean over samples, without touching the gradients."""
        q, _ = _output_loss(loss)(self.forward(X, train), t)
        return q

    def gradient(self, X, t, loss="cross_entropy", train=True):
        """Forward and backward on (X, t): returns :math:`q_S` and fills every layer's ``grads``.

        The backward pass starts from :math:`\\partial q_S/\\partial y = -\\delta^L/N`: the one conversion between the
        slides' :math:`\\delta = -\\partial q/\\partial \\phi` and the layers' :math:`\\partial q/\\partial y`, explained once in
        the book (chapter 3, "The BackProp algorithm", section "One algorithm, two sign conventions").
        """
        y = self.forward(X, train)
        q, delta = _output_loss(loss)(y, t)               # δ^L = −∂q_n/∂y
        self.backward(-delta / y.shape[0])               # ∂q_S/∂y = −δ^L / N
        return q

    def _unchecked_gradient(self, X, t, loss_fn):
        """:meth:`gradient` in training mode without any check, for :meth:`fit`, which checked X and t once, and
        without the gradient of X (:meth:`_backward_params`): ``loss_fn(y, t) -> (q, delta)`` from
        :func:`_fit_loss`. Tested to give the same q and gradients."""
        y = self._unchecked_forward(X, True)
        q, delta = loss_fn(y, t)                          # δ^L = −∂q_n/∂y
        self._backward_params(-delta / y.shape[0])       # ∂q_S/∂y = −δ^L / N
        return q

    def predict(self, X, B=1024):
        """Network output in evaluation mode (train=False), computed in blocks of `B` samples."""
        X = as_real_array(X, "X")
        if X.shape[0] == 0:
            raise ValueError(f"X must hold at least one sample; got shape {X.shape}")
        return np.concatenate([self.forward(X[i:i + B], False) for i in range(0, X.shape[0], B)])

    def accuracy(self, X, labels):
        """Fraction of samples whose largest output is the label (labels: one
        per sample, in 0..C-1)."""
        y = self.predict(X)
        if y.ndim != 2:
            raise ValueError(
                f"accuracy needs outputs of shape (N, C) (one score per "
                f"class); the network gives shape {y.shape}")
        labels = check_labels(labels, y.shape[0], y.shape[1], "labels")
        return float(np.mean(y.argmax(axis=1) == labels))

    def _mean_loss(self, X, t, loss, B=1024):
        """:math:`q_S` on (X, t) in evaluation mode, computed in blocks of `B` samples."""
        total = sum(self.loss(X[i:i + B], t[i:i + B], loss) * len(X[i:i + B]) for i in range(0, X.shape[0], B))
        return total / X.shape[0]

    def fit(self, X, t, loss="cross_entropy", optimizer=None, rho=0.1, epochs=10, B=32, seed=0,
            penalty=None, clip=None, X_val=None, t_val=None, progress=False, augment=None, blowup=BLOWUP):
        """Mini-batch training (B samples per update, shuffled each epoch with `seed`).

        Every argument is checked once, before the first update (an error names the argument, what was expected
        and what came; the loss of the initial weights checks every target). The blocks then go through the
        layers' unchecked forward and backward and the loss on checked arguments (``losses.CORES``), which give
        the same numbers as the public calls without checking every block again; an augmented block is checked.

        Parameters
        ----------
        X, t : arrays
            Inputs (N, ...) and targets: class labels (N,) or one-hot for cross-entropy, values for squared error.
        loss : {"cross_entropy", "squared_error"}
        optimizer : nnlib.optim.Optimizer, optional
            Default: plain gradient descent ``SGD(rho)``.
        rho : float, default 0.1
            The learning rate of the default optimizer (ignored when `optimizer` is given).
        epochs, B : int
            Passes over the data and block size (``B >= N`` gives batch BackProp).
        seed : None, int or numpy Generator, default 0
            Seed of the order of the samples (and of `augment`).
        penalty : object with ``apply(layers) -> float``, optional
            Adds the penalty's gradient to ``grads`` and returns its value (added to q), e.g.
            :class:`nnlib.layers.regularization.L2`.
        clip : callable, optional
            ``clip(grads)`` rescales the gradient arrays in place (clipping by norm or by value), e.g.
            :class:`nnlib.layers.regularization.ClipNorm`.
        X_val, t_val : arrays, optional
            Validation data (both or neither): its loss (and accuracy, for cross-entropy) after every epoch.
        augment : callable, optional
            ``augment(X_block, rng) -> X_block'``, applied to each training block (data augmentation). Its block
            must be real and finite, of the shape of ``X_block``; it is checked, naming `augment`.
        progress : bool
            A tqdm progress bar over epochs.
        blowup : float > 1 or None, default 10
            Stop with :class:`~nnlib.loop.Diverged` when the epoch's loss stays above ``blowup`` times the loss
            of the initial weights for 3 epochs in a row; None stops only on NaN or infinity
            (:class:`~nnlib.loop.DivergenceCheck`, the test of every training loop).

        Returns
        -------
        FitHistory

        Raises
        ------
        Diverged
            If training diverges (see `blowup`); ``err.history`` is the :class:`FitHistory` so far.
        """
        X = as_real_array(X, "X")
        N = X.shape[0] if X.ndim else 0
        if N == 0:
            raise ValueError(f"X must hold at least one sample; got shape {X.shape}")
        losses.get(loss)                                  # names loss if unknown
        t = check_targets(self, X, t, loss)
        epochs, B = check_int(epochs, "epochs"), check_int(B, "B")
        opt, rng = check_training_options(optimizer, rho, seed, clip, progress, penalty, augment)
        blowup = check_blowup(blowup)
        if (X_val is None) != (t_val is None):
            raise ValueError(f"X_val and t_val must be given together (validation inputs and their targets); "
                             f"got {'X_val' if t_val is None else 't_val'} alone")
        if X_val is not None:
            X_val = as_real_array(X_val, "X_val")
            if X_val.ndim == 0 or X_val.shape[0] == 0:
                raise ValueError(f"X_val must hold at least one sample; got shape {X_val.shape}")
            t_val = check_targets(self, X_val, t_val, loss, "t_val", "X_val")
        classify = losses.get(loss) is losses.cross_entropy
        hist = FitHistory()
        watch = DivergenceCheck(opt, hist, blowup, hint=", or clip the gradient")
        fit_loss, t_fit = _fit_loss(self, X, t, loss)     # the targets once as the loss uses them
        params = self.param_list                          # the arrays never change (optimizers update in place)

        def gradient(Xb, b):                              # q and the gradients of block b (X, t checked once)
            if augment is not None:                       # augment's block: real, finite, X[b]'s shape
                Xb = checked_block(Xb, len(b))
            return self._unchecked_gradient(Xb, t_fit[b], fit_loss)

        def checked_block(Xb, n):
            try:
                Xb = as_real_array(Xb, "augment(X_block, rng)")
            except NonFinite as err:                      # made by augment, not by training: no divergence
                raise ValueError(str(err)) from None
            return check_shape(Xb, (n,) + X.shape[1:], "augment(X_block, rng)")

        def q_start():                                    # q of the initial weights: checks every target too
            q0 = self._mean_loss(X, t, loss)
            return q0 + penalty.value(self.layers) if callable(getattr(penalty, "value", None)) else q0

        def epoch():
            total = 0.0
            for b in blocks(N, B, rng):                   # a new random order every epoch, blocks of B
                Xb = X[b] if augment is None else augment(X[b], rng)
                with np.errstate(over="ignore", invalid="ignore"):
                    q = gradient(Xb, b)
                if penalty is not None:
                    q += penalty.apply(self.layers)
                update(self, q, opt, hist, clip, watch, params)
                total += q * len(b)
            if not all(np.isfinite(p).all() for p in params):     # a saturated unit can hide an infinite weight
                raise watch.error("a weight became NaN or infinite")
            if X_val is not None:
                hist.q_val.append(self.loss(X_val, t_val, loss))
                if classify:
                    hist.acc_val.append(self.accuracy(X_val, t_val))
            return total / N                              # the mean block loss met during the epoch

        return run(hist, watch, q_start, epoch, epochs, progress=progress, desc="fit")

    @classmethod
    def from_mlp(cls, net, loss="squared_error"):
        r"""The slides' :class:`~nnlib.mlp.network.MLP` `net` as ``[Dense, Act, ..., Dense, Act]`` with the same
        :math:`\theta^l` (copied): the same outputs :math:`s^L`, and the same gradient.

        The one conversion between the two worlds (see the section "One algorithm, two sign conventions" of the
        chapter 3 page on the algorithm): the MLP speaks :math:`\delta = -\partial q/\partial \phi` and
        ``backprop.gradient`` returns :math:`\partial q_S/\partial \theta^l`; the layers speak
        :math:`\partial q/\partial y`, and after :meth:`gradient` (with the loss of the same name) the Dense layer
        :math:`2l-2` holds ``grads["theta"]`` :math:`= \partial q_S/\partial \theta^l`, the same array.
        For ``loss="squared_error"`` the output Act applies :math:`g^L`; for ``"cross_entropy"`` with a softmax
        output the loss applies the softmax itself, so the last Act is left out.

        Parameters
        ----------
        net : nnlib.mlp.network.MLP
        loss : {"squared_error", "cross_entropy"}, default "squared_error"
            The loss the Sequential will be trained with (``"cross_entropy"`` needs a softmax output layer).

        Returns
        -------
        Sequential
        """
        from .dense import Act, Dense
        logits = losses.get(loss) is losses.cross_entropy
        if logits and net.g[net.L].name != "softmax":
            raise ValueError(f"loss='cross_entropy' needs the MLP's output layer to be softmax; got g[{net.L}] = "
                             f"{net.g[net.L].name}")
        layers = []
        for l in range(1, net.L + 1):
            dense = Dense(net.M[l - 1], net.M[l], dtype=net.dtype)
            dense.params["theta"][...] = net.theta[l]     # θ^l, thresholds in column 0 as in the MLP
            layers += [dense] if logits and l == net.L else [dense, Act(net.g[l])]
        return cls(layers)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n  {inner}\n])"
