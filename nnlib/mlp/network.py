r"""The multilayer perceptron of the slides (perceptrón multicapa), forward pass.

Layers are numbered as on the slides: layer 0 is the input (:math:`M_0 = d` nodes), layers
1..L have weights. Node i of layer l computes

.. math::

    \phi^l_i = \sum_{j=0}^{M_{l-1}} \theta^l_{ij}\, s^{l-1}_j, \qquad s^l_i = g(\phi^l_i),
    \qquad 1 \le i \le M_l,

with :math:`s^0 = \mathbf{x}` and :math:`s^{l-1}_0 = 1`, so that :math:`\theta^l_{i0}` is the
node's threshold (umbral). ``theta[l]`` is the matrix :math:`\Theta^l` of shape
:math:`(M_l, M_{l-1} + 1)`; its column 0 holds the thresholds.

**Batches are rows.** With the N samples as the rows of :math:`S^{l-1}` (shape
:math:`(N, M_{l-1})`) and :math:`\tilde S^{l-1} = [\mathbf{1}, S^{l-1}]`, a whole layer is one
matrix product: :math:`\Phi^l = \tilde S^{l-1} {\Theta^l}^T`, :math:`S^l = g(\Phi^l)`.

Python lists are indexed like the layers, with ``None`` in slot 0 where layer 0 has nothing:
``net.theta[l]``, ``net.g[l]``, and ``phi[l]``, ``s[l]`` from :meth:`MLP.forward`.

>>> import numpy as np
>>> from nnlib.mlp import MLP
>>> net = MLP(M=[5, 3, 3], g="sigmoid", seed=0)
>>> net
MLP(M=(5, 3, 3), g=(sigmoid, sigmoid), D=30)
>>> phi, s = net.forward(np.zeros((4, 5)))
>>> s[2].shape
(4, 3)
"""

import numbers

import numpy as np

from .. import activations as act
from .._validate import as_real_array

__all__ = ["MLP", "INIT_SCHEMES", "init_theta", "count_params", "homogeneous"]


# ------------------------------------------------------------------------------ helpers

def homogeneous(X):
    r"""Homogeneous coordinates :math:`\tilde{\mathbf{x}} = [1, \mathbf{x}]`: a 1 in front of every sample.

    A 1-D ``x`` of length M gives length M + 1; a batch ``X`` of shape (N, M) gives (N, M + 1)
    with a column of ones first. For teaching: :meth:`MLP.forward` adds the threshold column
    instead of building this array.
    """
    X = as_real_array(X, "X")
    if X.ndim not in (1, 2):
        raise ValueError(f"X must be 1-D (one sample) or 2-D (N samples as rows); got shape {X.shape}")
    return np.concatenate([np.ones(X.shape[:-1] + (1,), dtype=X.dtype), X], axis=-1)


def _check_M(M):
    """Return the layer sizes `M` as a tuple of ints, or raise naming ``M`` / ``M[l]``."""
    if isinstance(M, (str, bytes)) or not hasattr(M, "__len__"):
        raise TypeError(f"M must be a sequence of layer sizes M_0..M_L (ints); got {type(M).__name__}")
    if len(M) < 2:
        raise ValueError(f"M must list at least 2 layers (input and output), M_0..M_L; got {len(M)}: {list(M)}")
    out = []
    for l, m in enumerate(M):
        if isinstance(m, (bool, np.bool_)) or not isinstance(m, numbers.Integral) or m < 1:
            raise ValueError(f"M[{l}] must be a positive int (layer {l} size); got {m!r}")
        out.append(int(m))
    return tuple(out)


def count_params(M):
    r"""Number of weights and thresholds :math:`D = \sum_{l=1}^{L} M_l (M_{l-1} + 1)`.

    >>> count_params([5, 3, 3])
    30
    """
    M = _check_M(M)
    return sum(M[l] * (M[l - 1] + 1) for l in range(1, len(M)))


def _check_dtype(dtype):
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64; got {dt}")
    return dt


def _rng(seed):
    """A numpy Generator from `seed` (None, a non-negative int, or a Generator, returned as is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be None, a non-negative int or a numpy Generator; got {seed!r}")
    return np.random.default_rng(int(seed))


def _check_g(g, L):
    """[None, g^1, ..., g^L] from one activation (name or object) or a list of L (or L+1 with a leading None)."""
    if isinstance(g, (str, act.Activation)):
        g = [g] * L
    elif not isinstance(g, (list, tuple)):
        raise TypeError(f"g must be an activation name, an Activation, or a list of L = {L} of them; "
                        f"got {type(g).__name__}")
    g = list(g)
    if len(g) == L + 1 and g[0] is None:
        g = g[1:]
    if len(g) != L:
        raise ValueError(f"g must list one activation per layer 1..L, L = {L}; got {len(g)}")
    out = [None]
    for l, gl in enumerate(g, start=1):
        if isinstance(gl, act.Activation):
            out.append(gl)
        elif isinstance(gl, str) and gl.strip().lower().replace("-", "_") in act.ACTIVATIONS:
            out.append(act.get(gl))
        else:
            raise ValueError(f"g[{l}] must be one of {', '.join(act.ACTIVATIONS)} (or an Activation); got {gl!r}")
    return out


def _check_X(X, M0, dtype):
    """`X` as a float array of shape (N, M_0), N >= 1, or (M_0,); else raise naming ``X``."""
    X = as_real_array(X, "X", dtype=dtype)
    if X.ndim == 1:
        if X.shape[0] != M0:
            raise ValueError(f"X (one sample x) must have length M_0 = {M0} (layer 0 size); got shape {X.shape}")
    elif X.ndim == 2:
        if X.shape[1] != M0:
            raise ValueError(f"X must have M_0 = {M0} columns (layer 0 size); got shape {X.shape}")
        if X.shape[0] == 0:
            raise ValueError(f"X must have at least one sample (row); got shape {X.shape}")
    else:
        raise ValueError(f"X must be 1-D (one sample, length M_0 = {M0}) or 2-D (N, M_0 = {M0}); got shape {X.shape}")
    return X


def _check_weights(t, shape, name, dtype, sizes=""):
    """A float copy of `t` with the given shape, or raise naming `name` (and `sizes`, e.g. "(M_1, M_0 + 1)")."""
    t = as_real_array(t, name, dtype=dtype)
    if t.shape != shape:
        raise ValueError(f"{name} must have shape {shape}{' = ' + sizes if sizes else ''}; got {t.shape}")
    return t.copy()


# ------------------------------------------------------------------------ initialisation

def _glorot_uniform(M_out, M_in, rng, dtype):
    theta = np.zeros((M_out, M_in + 1))
    a = np.sqrt(6.0 / (M_in + M_out))
    theta[:, 1:] = rng.uniform(-a, a, size=(M_out, M_in))
    return theta.astype(dtype)


def _glorot_normal(M_out, M_in, rng, dtype):
    theta = np.zeros((M_out, M_in + 1))
    theta[:, 1:] = rng.normal(0.0, np.sqrt(2.0 / (M_in + M_out)), size=(M_out, M_in))
    return theta.astype(dtype)


def _he_normal(M_out, M_in, rng, dtype):
    theta = np.zeros((M_out, M_in + 1))
    theta[:, 1:] = rng.normal(0.0, np.sqrt(2.0 / M_in), size=(M_out, M_in))
    return theta.astype(dtype)


def _uniform(M_out, M_in, rng, dtype):
    return rng.uniform(-0.5, 0.5, size=(M_out, M_in + 1)).astype(dtype)


def _normal(M_out, M_in, rng, dtype):
    return rng.normal(0.0, 0.1, size=(M_out, M_in + 1)).astype(dtype)


def _zeros(M_out, M_in, rng, dtype):
    return np.zeros((M_out, M_in + 1), dtype=dtype)


#: Initialisation schemes: name -> ``f(M_out, M_in, rng, dtype)`` returning an array (M_out, M_in + 1).
#:
#: - ``glorot_uniform``: weights :math:`U(\pm\sqrt{6/(M_{in}+M_{out})})`, thresholds 0 (Glorot & Bengio, 2010)
#: - ``glorot_normal``: weights :math:`N(0, 2/(M_{in}+M_{out}))`, thresholds 0
#: - ``he_normal``: weights :math:`N(0, 2/M_{in})`, thresholds 0 (He et al., 2015)
#: - ``uniform``: every weight and threshold :math:`U(-0.5, 0.5)`, the classic small random start
#: - ``normal``: every weight and threshold :math:`N(0, 0.1^2)`
#: - ``zeros``: all 0; every hidden node then computes the same thing and BackProp cannot tell
#:   them apart (kept to show why the start must be random)
INIT_SCHEMES = {
    "glorot_uniform": _glorot_uniform,
    "glorot_normal": _glorot_normal,
    "he_normal": _he_normal,
    "uniform": _uniform,
    "normal": _normal,
    "zeros": _zeros,
}


def _check_scheme(scheme):
    if callable(scheme):
        return scheme
    if not isinstance(scheme, str) or scheme not in INIT_SCHEMES:
        raise ValueError(f"init must be one of {', '.join(INIT_SCHEMES)} (or a function); got {scheme!r}")
    return INIT_SCHEMES[scheme]


def init_theta(M, scheme="glorot_uniform", seed=0, dtype=np.float64):
    r"""Initial weights ``[None, theta1, ..., thetaL]``, ``theta[l]`` of shape :math:`(M_l, M_{l-1} + 1)`.

    Parameters
    ----------
    M : sequence of int
        Layer sizes :math:`M_0, \dots, M_L`.
    scheme : str or callable, default "glorot_uniform"
        A name in :data:`INIT_SCHEMES`, or a function ``f(M_out, M_in, rng, dtype)``.
    seed : None, int or numpy.random.Generator, default 0
        Same seed, same weights (drawn in float64 then cast, so float32 gets the same values rounded).
    dtype : float64 or float32
    """
    M, f, rng, dtype = _check_M(M), _check_scheme(scheme), _rng(seed), _check_dtype(dtype)
    theta = [None]
    for l in range(1, len(M)):
        t = np.asarray(f(M[l], M[l - 1], rng, dtype), dtype=dtype)
        if t.shape != (M[l], M[l - 1] + 1):
            raise ValueError(f"init must return theta[{l}] of shape {(M[l], M[l - 1] + 1)} = (M_{l}, M_{l - 1} + 1); "
                             f"got {t.shape}")
        theta.append(t)
    return theta


# ---------------------------------------------------------------------------------- MLP

class MLP:
    r"""Multilayer perceptron :math:`\mathbb{R}^{M_0} \to \mathbb{R}^{M_L}` (slides 11-14).

    .. math:: s^l_i = g\Big(\sum_{j=0}^{M_{l-1}} \theta^l_{ij}\, s^{l-1}_j\Big), \quad 1 \le i \le M_l,
              \quad s^0 = \mathbf{x},\ s^{l-1}_0 = 1.

    Parameters
    ----------
    M : sequence of int
        Layer sizes :math:`M_0 = d, M_1, \dots, M_L` (at least input and output).
    g : str, Activation or list, default "sigmoid"
        One activation for every layer, or a list of L (one per layer 1..L; a leading ``None`` is allowed).
    init : str or callable, default "glorot_uniform"
        Initialisation scheme (see :data:`INIT_SCHEMES`); ignored when `theta` is given.
    seed : None, int or numpy.random.Generator, default 0
        Same seed, same weights; None draws fresh ones.
    theta : list of arrays, optional
        Hand-set weights: L arrays (or L + 1 with a leading ``None``), ``theta[l]`` of shape
        :math:`(M_l, M_{l-1} + 1)`. They are copied.
    dtype : float64 (default) or float32
        Weights and every computed array have this dtype.

    Attributes
    ----------
    theta : list
        ``[None, theta1, ..., thetaL]``, plain ndarrays; column 0 of ``theta[l]`` holds the thresholds.
    g : list
        ``[None, g1, ..., gL]``, :class:`~nnlib.activations.Activation` objects.
    """

    def __init__(self, M, g="sigmoid", init="glorot_uniform", seed=0, theta=None, dtype=np.float64):
        M, dtype = _check_M(M), _check_dtype(dtype)
        L = len(M) - 1
        self.g = _check_g(g, L)
        if theta is None:
            self.theta = init_theta(M, init, seed, dtype)
        else:
            if not isinstance(theta, (list, tuple)):
                raise TypeError(f"theta must be a list of L = {L} arrays; got {type(theta).__name__}")
            theta = list(theta)
            if len(theta) == L + 1 and theta[0] is None:
                theta = theta[1:]
            if len(theta) != L:
                raise ValueError(f"theta must list L = {L} arrays theta[1]..theta[L] (M = {M}); got {len(theta)}")
            self.theta = [None] + [
                _check_weights(t, (M[l], M[l - 1] + 1), f"theta[{l}]", dtype, f"(M_{l}, M_{l - 1} + 1)")
                for l, t in enumerate(theta, start=1)
            ]

    # Sizes are read from theta, so they can never disagree with it.
    @property
    def M(self):
        """Layer sizes :math:`(M_0, \\dots, M_L)`."""
        return (self.theta[1].shape[1] - 1,) + tuple(t.shape[0] for t in self.theta[1:])

    @property
    def L(self):
        """Number of layers with weights."""
        return len(self.theta) - 1

    @property
    def D(self):
        r"""Number of parameters :math:`D = \sum_l M_l (M_{l-1} + 1)`."""
        return sum(t.size for t in self.theta[1:])

    @property
    def dtype(self):
        return self.theta[1].dtype

    def forward(self, X):
        r"""Pre-activations and outputs of every layer.

        .. math:: \phi^l_i = \sum_{j=0}^{M_{l-1}} \theta^l_{ij}\, s^{l-1}_j, \qquad s^l_i = g(\phi^l_i)

        For a batch (rows are samples) each layer is one matrix product,
        :math:`\Phi^l = \tilde S^{l-1} {\Theta^l}^T` with :math:`\tilde S = [\mathbf{1}, S]`,
        computed as ``s[l-1] @ theta[l][:, 1:].T + theta[l][:, 0]`` (no column of ones is built).

        Parameters
        ----------
        X : array_like, shape (N, M_0) or (M_0,)
            Samples as rows, or one sample x.

        Returns
        -------
        phi, s : list of ndarray
            ``phi[l]`` and ``s[l]`` of shape (N, M_l) (or (M_l,) for one sample), l = 0..L;
            ``phi[0]`` is None and ``s[0]`` is X as a float array.
        """
        theta, g, L = self.theta, self.g, self.L
        phi, s = [None] * (L + 1), [None] * (L + 1)
        s[0] = _check_X(X, self.M[0], self.dtype)
        for l in range(1, L + 1):
            phi[l] = s[l - 1] @ theta[l][:, 1:].T + theta[l][:, 0]  # φ^l_i = Σ_j θ^l_ij s^{l-1}_j  (s_0 = 1)
            s[l] = g[l](phi[l])                                      # s^l_i = g(φ^l_i)
        return phi, s

    def __call__(self, X):
        """The network's output :math:`s^L(\\mathbf{x})`, shape (N, M_L) or (M_L,)."""
        return self.forward(X)[1][-1]

    def classify(self, X):
        r"""Class indices :math:`\arg\max_c s^L_c(\mathbf{x})` (slide 17).

        Classes are numbered 0..C-1 here (Python), 1..C on the slides. With one output
        (:math:`M_L = 1`) the argmax is always 0: threshold ``net(X)`` yourself instead.
        """
        return np.argmax(self(X), axis=-1)

    @property
    def Theta(self):
        r"""All weights as one vector :math:`\Theta = [\theta^1_{10}, \dots, \theta^1_{M_1 M_0}, \theta^2_{10}, \dots] \in \mathbb{R}^D`.

        ``theta[1]`` row by row, then ``theta[2]``, ... (a copy). Assigning a vector of length D
        writes it into the ``theta[l]`` arrays in place.
        """
        return np.concatenate([t.ravel() for t in self.theta[1:]])

    @Theta.setter
    def Theta(self, vec):
        _set_from_vector(self.theta[1:], vec, self.D, self.dtype)

    def copy(self):
        """A deep copy (the weights are copied)."""
        return MLP(self.M, g=self.g, theta=self.theta, dtype=self.dtype)

    def __repr__(self):
        extra = "" if self.dtype == np.float64 else f", dtype={self.dtype}"
        return f"MLP(M={self.M}, g=({', '.join(gl.name for gl in self.g[1:])}), D={self.D}{extra})"


def _set_from_vector(arrays, vec, D, dtype):
    """Write `vec` (length D) into `arrays` in order, each row by row, in place."""
    vec = as_real_array(vec, "Theta", dtype=dtype)
    if vec.shape != (D,):
        raise ValueError(f"Theta must be a vector of length D = {D}; got shape {vec.shape}")
    start = 0
    for t in arrays:
        t[...] = vec[start:start + t.size].reshape(t.shape)
        start += t.size
