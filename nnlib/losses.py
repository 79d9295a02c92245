r"""Loss functions q of the slides' section 3, each with the output layer's error term δ^L.

Every loss takes the output layer's pre-activation ``phi_L`` (:math:`\phi^L`, samples as rows,
shape (N, M_L)) and the targets ``t``, and returns ``(q, delta_L)``:

- ``q`` = :math:`q_S(\Theta) = \frac{1}{N} \sum_{n=1}^{N} q_n(\Theta)`, a float;
- ``delta_L`` = :math:`\delta^L_i = -\partial q_n / \partial \phi^L_i` for every sample, shape (N, M_L).

BackProp (:mod:`nnlib.mlp.backprop`) starts from ``delta_L``. A single sample (1-D ``phi_L``, shape
(M_L,)) gives :math:`q = q_n` and a 1-D ``delta_L``.

>>> import numpy as np
>>> from nnlib import losses
>>> q, delta_L = losses.cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
>>> round(q, 6), delta_L.tolist()
(0.693147, [[-0.5, 0.5]])
"""

import numpy as np

from . import activations as act
from ._validate import as_real_array, check_int, check_labels, is_labels

__all__ = ["squared_error", "cross_entropy", "one_hot", "get", "LOSSES"]


def _check_phi_L(phi_L):
    phi_L = as_real_array(phi_L, "phi_L")
    if phi_L.ndim not in (1, 2):
        raise ValueError(f"phi_L must be 1-D (one sample, M_L values) or 2-D (N, M_L); got shape {phi_L.shape}")
    if phi_L.shape[-1] == 0:
        raise ValueError(f"phi_L must have M_L >= 1 outputs; got shape {phi_L.shape}")
    if phi_L.ndim == 2 and phi_L.shape[0] == 0:
        raise ValueError(f"phi_L must have at least one sample (N >= 1); got shape {phi_L.shape}")
    return phi_L


def _check_t(t, phi_L, labels_ok):
    """`t` as an array of the shape and dtype of `phi_L`; class labels (one dimension fewer) become one-hot.

    Labels are checked by ``_validate.check_labels``: one per sample (N of them for a batch ``phi_L`` of
    N rows, a single one for a 1-D ``phi_L``), whole numbers in 0..M_L-1.
    """
    if labels_ok and is_labels(t, phi_L.ndim):
        N = phi_L.shape[0] if phi_L.ndim == 2 else None
        return one_hot(check_labels(t, N, phi_L.shape[-1], "t"), phi_L.shape[-1], dtype=phi_L.dtype)
    t = as_real_array(t, "t", dtype=phi_L.dtype)
    if t.shape != phi_L.shape:
        what = "(M_L,)" if phi_L.ndim == 1 else "(N, M_L)"
        hint = f", or class labels of shape {phi_L.shape[:-1]}" if labels_ok else ""
        raise ValueError(f"t must have shape {what} = {phi_L.shape}{hint}; got shape {t.shape}")
    return t


def one_hot(labels, C, dtype=np.float64):
    r"""One-hot targets: :math:`t_{nc} = 1` if ``labels[n] == c`` else 0, for classes c = 0..C-1.

    (The slides number the classes 1..C; Python numbers them 0..C-1.)

    Parameters
    ----------
    labels : array_like of int, shape (N,) (or a scalar for one sample)
    C : int
        Number of classes.
    dtype : float64 (default) or float32

    Returns
    -------
    ndarray, shape (N, C) (or (C,) for a scalar label)

    Raises
    ------
    ValueError
        Naming ``labels`` if they are not whole numbers or lie outside 0..C-1.
    TypeError
        If they are not numbers (or are booleans).
    """
    C = check_int(C, "C", 1, "the number of classes")
    labels = check_labels(labels, None, C, "labels")
    return (labels[..., None] == np.arange(C)).astype(dtype)


def squared_error(phi_L, t, g):
    r"""Squared error :math:`q_n = \frac{1}{2} \sum_{i=1}^{M_L} (t_{ni} - s^L_i)^2`, :math:`s^L = g(\phi^L)`.

    .. math:: q_S = \frac{1}{N} \sum_n q_n, \qquad
              \delta^L_i = (t_i - s^L_i)\, g'(\phi^L_i)

    For a softmax output layer the slide's elementwise :math:`g'` is not enough (each :math:`s_k`
    depends on every :math:`\phi_i`): :math:`\delta^L_i = \sum_k J_{ki} (t_k - s_k)` with the
    Jacobian :math:`J_{ki} = \partial s_k / \partial \phi_i`, computed by ``softmax.jvp``.

    Parameters
    ----------
    phi_L : array_like, shape (N, M_L) or (M_L,)
        Output layer pre-activation :math:`\phi^L`.
    t : array_like, shape (N, M_L) or (M_L,)
        Targets :math:`t_n`. Integer class labels of shape (N,) are accepted when
        :math:`M_L \ge 2` and become one-hot (the slides' classification targets).
    g : str or Activation
        Output activation :math:`g` of layer L.

    Returns
    -------
    q : float
        :math:`q_S` (or :math:`q_n` for one sample).
    delta_L : ndarray, shape of `phi_L`
    """
    phi_L = _check_phi_L(phi_L)
    g = act.get(g)
    t = _check_t(t, phi_L, labels_ok=phi_L.shape[-1] >= 2)
    return _squared_error(phi_L, t, g)


def _squared_error(phi_L, t, g):
    """:func:`squared_error` on checked arguments: `t` of the shape and dtype of `phi_L`, `g` an Activation."""
    s = g.raw(phi_L)                                          # s^L = g(φ^L)
    e = t - s                                                 # t_i − s^L_i
    N = e.size // e.shape[-1]
    q = 0.5 * np.vdot(e, e) / N                               # q_S = (1/N) Σ_n ½ Σ_i (t_ni − s^L_i)²
    delta_L = g.raw_prime(phi_L) * e if g.elementwise else g.jvp(phi_L, e)  # δ^L_i = (t_i − s^L_i) g'(φ^L_i)
    return float(q), delta_L


def cross_entropy(phi_L, t, g="softmax"):
    r"""Cross-entropy (entropía cruzada) with a softmax output: :math:`q_n = -\sum_i t_{ni} \log s^L_i`.

    .. math:: s^L = g_M(\phi^L), \qquad q_S = \frac{1}{N} \sum_n q_n, \qquad \delta^L_i = t_i - s^L_i

    :math:`\log s^L_i = \phi^L_i - \log \sum_j \exp \phi^L_j` is computed on the logits with the
    log-sum-exp trick, so no :math:`\log 0` and no overflow for :math:`|\phi| \le 10^3`.
    :math:`\delta^L = t - s^L` uses :math:`\sum_i t_i = 1` (in general
    :math:`\delta^L = t - s^L \sum_j t_j`), so every row of `t` must be a probability
    distribution: one-hot (the slides' :math:`t_n \in \{0, 1\}^C`) or soft targets.

    Parameters
    ----------
    phi_L : array_like, shape (N, C) or (C,)
        Output layer pre-activation (the logits).
    t : array_like
        One-hot (or probability) targets of the shape of `phi_L`, or int labels 0..C-1 of
        shape (N,) (a scalar for one sample), converted with :func:`one_hot`.
    g : str or Activation, default "softmax"
        Must be softmax (accepted so every loss can be called as ``loss(phi_L, t, g)``).

    Returns
    -------
    q : float
    delta_L : ndarray, shape of `phi_L`
    """
    phi_L = _check_phi_L(phi_L)
    if act.get(g) is not act.softmax:
        raise ValueError(f"g must be softmax for cross_entropy (delta_L = t - s holds for a softmax output); "
                         f"got {act.get(g).name}; use squared_error or a softmax output layer")
    t = _check_t(t, phi_L, labels_ok=True)
    if (t < 0).any() or not np.allclose(t.sum(axis=-1), 1, rtol=0, atol=1e-4 if t.dtype == np.float32 else 1e-8):
        raise ValueError("t must be one-hot or a probability distribution in every row (t >= 0, sum_i t_i = 1) "
                         f"for cross_entropy; got row sums in [{t.sum(axis=-1).min()}, {t.sum(axis=-1).max()}]"
                         f" and min {t.min()}")
    return _cross_entropy(phi_L, t)


def _cross_entropy(phi_L, t):
    """:func:`cross_entropy` on checked arguments: `t` a probability distribution per row, of the shape and dtype
    of `phi_L` (softmax output)."""
    z = phi_L - phi_L.max(axis=-1, keepdims=True)             # shift: exp(z) ≤ 1, s^L unchanged
    e = np.exp(z)
    sums = e.sum(axis=-1, keepdims=True)                      # Σ_j exp z_j
    N = z.size // z.shape[-1]
    # q_S = −(1/N) Σ_n Σ_i t_ni log s^L_i, where log s^L_i = z_i − log Σ_j exp z_j and Σ_i t_ni = 1
    q = (np.log(sums).sum() - np.vdot(t, z)) / N
    delta_L = t - e / sums                                    # δ^L_i = t_i − s^L_i
    return float(q) + 0.0, delta_L  # + 0.0 turns −0.0 into 0.0


#: The losses on checked arguments, ``core(phi_L, t, g)``, for training loops that checked their data once
#: (:mod:`nnlib.mlp.workspace`).
CORES = {squared_error: _squared_error, cross_entropy: lambda phi_L, t, g: _cross_entropy(phi_L, t)}

#: Losses by name: ``"squared_error"`` (alias ``"mse"``) and ``"cross_entropy"`` (alias ``"ce"``).
LOSSES = {"squared_error": squared_error, "mse": squared_error, "cross_entropy": cross_entropy, "ce": cross_entropy}


def get(loss):
    """The loss function called `loss` (case-insensitive, ``-`` or ``_``); a callable is returned as is.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known names.
    """
    if callable(loss):
        return loss
    if not isinstance(loss, str):
        raise TypeError(f"loss must be a name ({', '.join(LOSSES)}) or a function; got {type(loss).__name__}")
    key = loss.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}; got {loss!r}")
    return LOSSES[key]
