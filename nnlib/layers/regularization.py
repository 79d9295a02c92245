r"""Regularization and gradient clipping: weight penalties (L2, L1), dropout, clipping by norm and by value.

The slide "Regularización" adds a penalty to the objective:

.. math::

    L_2:\; q_S(\Theta) + \frac{\lambda}{2} \sum_{l,i,j} (\theta^l_{ij})^2 \qquad
    L_1:\; q_S(\Theta) + \frac{\lambda}{2} \sum_{l,i,j} |\theta^l_{ij}|

The sums run over the **weights only**: each layer says which entries are penalized in ``layer.penalized``
(for :class:`nnlib.layers.dense.Dense`, columns 1: of ``theta``; the thresholds :math:`\theta_{i0}` in column 0 are
left out). A threshold only shifts a unit's pre-activation: it multiplies no input, so it does not make the
output more sensitive to small changes of the input, which is what the penalty is meant to limit. There is one per
unit, each fitted from all the samples, so they rarely overfit; pulling them towards 0 would only move every
unit's boundary towards the origin and bias the fit.

The L1 term keeps the slide's factor λ/2, so its (sub)gradient is :math:`\frac{\lambda}{2}\operatorname{sgn}(\theta)`
with :math:`\operatorname{sgn}(0) = 0`. Many libraries write :math:`\lambda \sum |\theta|` instead: the slide's λ is
twice theirs.

The slide "Recorte del gradiente" gives two remedies for exploding gradients, both applied to the gradient of all
parameters together, :math:`\nabla q = (\partial q/\partial \theta)_{\text{all } \theta}`:

- clipping by the global norm: if :math:`\|\nabla q\| > c`, :math:`\nabla q \leftarrow c\, \nabla q / \|\nabla q\|`
  (the direction is kept);
- clipping by value: every entry :math:`(\nabla q)_k \leftarrow \min(c, \max(-c, (\nabla q)_k))` (the direction
  may change).
"""

import numbers

import numpy as np

from .._validate import as_real_array, check_finite_scalar, check_positive
from .base import Layer

__all__ = ["L2", "L1", "Dropout", "ClipNorm", "ClipValue", "clip_by_norm", "clip_by_value", "global_norm"]


# --------------------------------------------------------------------------------------------------------------
# Weight penalties
# --------------------------------------------------------------------------------------------------------------

def _as_layers(layers):
    """A list of layers from a layer (e.g. a Sequential) or an iterable of layers."""
    if isinstance(layers, Layer):
        return [layers]
    try:
        out = list(layers)
    except TypeError:
        raise TypeError(f"layers must be an nnlib layer or a list of layers; got {type(layers).__name__}") from None
    for i, layer in enumerate(out):
        if not isinstance(layer, Layer):
            raise TypeError(f"layers[{i}] must be an nnlib layer; got {type(layer).__name__}")
    return out


def _penalized_entries(layers):
    """Yield (param, grad, index) for every penalized parameter, each parameter array once."""
    seen = set()
    for layer in _as_layers(layers):
        for name, index in layer.penalized.items():
            param = layer.params[name]
            if id(param) in seen:
                continue
            seen.add(id(param))
            yield param, layer.grads[name], index


def _check_lam(lam):
    lam = check_finite_scalar(lam, "lam")
    if lam < 0:
        raise ValueError(f"lam must be >= 0 (the regularization weight λ); got {lam}")
    return lam


class _Penalty:
    """Common part of L2 and L1: ``apply`` adds the gradient and returns the
    value; ``value`` only evaluates."""

    def __init__(self, lam):
        self.lam = _check_lam(lam)

    def value(self, layers):
        """The penalty term for the current weights (gradients untouched)."""
        entries = _penalized_entries(layers)
        return float(sum(self._term(p[idx]) for p, _, idx in entries))

    def apply(self, layers):
        """Add the penalty's gradient to every layer's ``grads`` (penalized
        entries only); return its value."""
        total = 0.0
        for p, g, idx in _penalized_entries(layers):
            w = p[idx]
            total += self._term(w)
            g[idx] += self._grad(w)
        return float(total)

    def __repr__(self):
        return f"{type(self).__name__}(lam={self.lam:g})"


class L2(_Penalty):
    r"""L2 penalty (weight decay):
    :math:`\frac{\lambda}{2}\sum_{l,i,j} (\theta^l_{ij})^2`, weights only.

    ``apply(layers)`` adds :math:`\lambda\,\theta^l_{ij}` to each penalized
    gradient entry and returns the term. With gradient descent this is weight
    decay: :math:`\theta \leftarrow (1-\rho\lambda)\,\theta - \rho\,\nabla q_S`.
    Thresholds (column 0 of a Dense ``theta``) are not penalized (see
    ``layer.penalized``).

    Parameters
    ----------
    lam : float
        λ >= 0.
    """

    def _term(self, w):
        return 0.5 * self.lam * float(np.vdot(w, w))  # (λ/2) Σ θ²

    def _grad(self, w):
        return self.lam * w  # ∂/∂θ = λ θ


class L1(_Penalty):
    r"""L1 penalty in the slide's form:
    :math:`\frac{\lambda}{2}\sum_{l,i,j} |\theta^l_{ij}|`, weights only.

    ``apply(layers)`` adds the subgradient
    :math:`\frac{\lambda}{2}\operatorname{sgn}(\theta^l_{ij})` (0 where
    :math:`\theta^l_{ij} = 0`) to each penalized gradient entry and returns the
    term. The factor λ/2 is the slide's: the usual :math:`\lambda\sum|\theta|`
    corresponds to ``L1(2 * lam)``. Thresholds are not penalized.

    Parameters
    ----------
    lam : float
        λ >= 0.
    """

    def _term(self, w):
        return 0.5 * self.lam * float(np.abs(w).sum())  # (λ/2) Σ |θ|

    def _grad(self, w):
        return 0.5 * self.lam * np.sign(w)  # (λ/2) sgn(θ), sgn(0) = 0


# --------------------------------------------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------------------------------------------

class Dropout(Layer):
    r"""Inverted dropout: in training each entry is dropped with probability `p` and the kept ones are scaled.

    .. math:: y = x \odot m / (1 - p), \qquad m_k \sim \text{Bernoulli}(1 - p)

    so :math:`E[y] = x` and evaluation (``train=False``) is the identity: nothing to rescale at test time.
    ``backward``: :math:`\partial q/\partial x = m \odot \partial q/\partial y / (1-p)` with the same mask.

    Parameters
    ----------
    p : float
        Drop probability, in [0, 1) (``p = 0`` keeps everything).
    seed : int or numpy Generator, default 0
        Seed of the masks; :meth:`reseed` restarts them (a gradient check needs the same mask every forward).

    Attributes
    ----------
    mask : ndarray of bool or None
        The keep mask :math:`m` of the last training forward (True = kept); None after an evaluation forward.
    """

    def __init__(self, p, seed=0):
        super().__init__()
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
            raise TypeError(f"p must be a real number (the drop probability); got {type(p).__name__} {p!r}")
        p = float(p)
        if not 0.0 <= p < 1.0:
            raise ValueError(f"p must be in [0, 1) (the probability of dropping a unit); got {p}")
        self.p = p
        self.mask = None
        self.reseed(seed)

    def reseed(self, seed):
        """Restart the random masks from `seed`."""
        self.seed = seed
        self.rng = np.random.default_rng(seed)

    def forward(self, x, train=False):
        return Dropout._unchecked_forward(self, as_real_array(x, "x"), train)

    def _unchecked_forward(self, x, train=False):
        if not train:
            self.mask = None
            self._cache = (x.shape, None)
            return x.copy()                                    # evaluation: y = x
        self.mask = self.rng.random(x.shape) >= self.p          # m: keep with probability 1 − p
        self._cache = (x.shape, self.mask)
        return x * self.mask / (1 - self.p)                    # y = x ⊙ m / (1 − p)

    def backward(self, grad_y):
        return Dropout._unchecked_backward(self, self._check_grad_y(grad_y, self._saved()[0]))

    def _unchecked_backward(self, grad_y):
        mask = self._saved()[1]
        if mask is None:
            return grad_y.copy()
        return grad_y * mask / (1 - self.p)                    # ∂q/∂x = m ⊙ ∂q/∂y / (1 − p)

    def __repr__(self):
        return f"Dropout(p={self.p:g})"


# --------------------------------------------------------------------------------------------------------------
# Gradient clipping
# --------------------------------------------------------------------------------------------------------------

def _grad_arrays(grads):
    """The list of gradient arrays (changed in place), checked."""
    if isinstance(grads, np.ndarray):
        grads = [grads]
    try:
        grads = list(grads)
    except TypeError:
        raise TypeError(f"grads must be a list of numpy arrays; got {type(grads).__name__}") from None
    for i, dq in enumerate(grads):
        if not isinstance(dq, np.ndarray) or dq.dtype.kind != "f":
            what = f"dtype {dq.dtype}" if isinstance(dq, np.ndarray) else type(dq).__name__
            raise TypeError(f"grads[{i}] must be a floating-point numpy array (clipped in place); got {what}")
        if not dq.flags.writeable:
            raise ValueError(f"grads[{i}] must be writable: it is clipped in place")
    return grads


def global_norm(grads):
    r"""The norm of all gradient arrays taken together:
    :math:`\|\nabla q\| = \sqrt{\sum_k (\nabla q)_k^2}` over every entry."""
    grads = _grad_arrays(grads)
    return float(np.sqrt(sum(float(np.vdot(dq, dq)) for dq in grads)))


def clip_by_norm(grads, c):
    r"""Clip by the global norm, in place: if :math:`\|\nabla q\| > c` then
    :math:`\nabla q \leftarrow c\, \nabla q/\|\nabla q\|`.

    The norm is over all arrays together (not one per array), so the direction
    of the whole gradient is kept. A gradient with :math:`\|\nabla q\| \le c`
    is left unchanged.

    Parameters
    ----------
    grads : list of ndarray
        Gradient arrays, changed in place.
    c : float
        Threshold c > 0.

    Returns
    -------
    float
        :math:`\|\nabla q\|` before clipping.
    """
    c = check_positive(c, "c")
    grads = _grad_arrays(grads)
    norm = global_norm(grads)
    if not np.isfinite(norm):
        raise ValueError(
            f"grads must be finite to be clipped by norm; got norm {norm}")
    if norm > c:
        scale = c / norm
        for dq in grads:
            dq *= scale  # ∇q ← c ∇q / ‖∇q‖
    return norm


def clip_by_value(grads, c):
    r"""Clip every entry to [-c, c], in place:
    :math:`(\nabla q)_k \leftarrow \min(c, \max(-c, (\nabla q)_k))`.

    ``grads`` (changed in place) and the threshold ``c > 0`` are as in
    :func:`clip_by_norm`.

    Returns
    -------
    float
        Fraction of entries that were clipped (:math:`|(\nabla q)_k| > c`).

    Raises
    ------
    ValueError
        If a gradient holds NaN or ±inf (a diverged gradient is not made to
        look tame; nothing is changed).
    """
    c = check_positive(c, "c")
    grads = _grad_arrays(grads)
    # np.clip keeps NaN: refuse it (and ±inf) before anything is changed
    for i, dq in enumerate(grads):
        if not np.isfinite(dq).all():
            n_nan, n_inf = int(np.isnan(dq).sum()), int(np.isinf(dq).sum())
            raise ValueError(
                f"grads must be finite to be clipped by value; grads[{i}] has "
                f"{n_nan} NaN and {n_inf} infinite value(s)")
    total = sum(dq.size for dq in grads)
    clipped = 0
    for dq in grads:
        clipped += int(np.count_nonzero(np.abs(dq) > c))
        np.clip(dq, -c, c, out=dq)  # (∇q)_k ← min(c, max(−c, (∇q)_k))
    return clipped / total if total else 0.0


class _Clip:
    """A clipping rule with its threshold c, callable as ``clip(grads)`` (the ``clip=`` of ``Sequential.fit``)."""

    rule = None                                                # clip_by_norm or clip_by_value

    def __init__(self, c):
        self.c = check_positive(c, "c")

    def __call__(self, grads):
        return type(self).rule(grads, self.c)

    def __repr__(self):
        return f"{type(self).__name__}(c={self.c:g})"


class ClipNorm(_Clip):
    """Callable ``clip(grads)`` for :meth:`nnlib.layers.sequential.Sequential.fit`: :func:`clip_by_norm` with threshold c.

    Returns the global norm before clipping.
    """

    rule = staticmethod(clip_by_norm)


class ClipValue(_Clip):
    """Callable ``clip(grads)`` for :meth:`nnlib.layers.sequential.Sequential.fit`: :func:`clip_by_value` with threshold c.

    Returns the fraction of gradient entries clipped.
    """

    rule = staticmethod(clip_by_value)
