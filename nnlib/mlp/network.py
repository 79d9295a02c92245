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

import numpy as np

from .. import init as _init
from .._validate import as_real_array
from ._checks import check_g, check_M, check_weights, check_X, set_from_vector

INIT_SCHEMES = _init.INIT_SCHEMES

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


def count_params(M):
    r"""Number of weights and thresholds :math:`D = \sum_{l=1}^{L} M_l (M_{l-1} + 1)`.

    >>> count_params([5, 3, 3])
    30
    """
    M = check_M(M)
    return sum(M[l] * (M[l - 1] + 1) for l in range(1, len(M)))


# ------------------------------------------------------------------------ initialisation

def init_theta(M, scheme="glorot_uniform", seed=0, dtype=np.float64):
    r"""Initial weights ``[None, theta1, ..., thetaL]``, ``theta[l]`` of shape :math:`(M_l, M_{l-1} + 1)`.

    Parameters
    ----------
    M : sequence of int
        Layer sizes :math:`M_0, \dots, M_L`.
    scheme : str or callable, default "glorot_uniform"
        A name in :data:`nnlib.init.SCHEMES` (see :mod:`nnlib.init`, the one set of schemes of nnlib), or a
        function ``f(M_out, M_in, rng, dtype)`` returning ``theta[l]``.
    seed : None, int or numpy.random.Generator, default 0
        Same seed, same weights (drawn in float64 then cast, so float32 gets the same values rounded).
    dtype : float64 or float32
    """
    M, scheme, rng, dtype = check_M(M), _init.check_scheme(scheme), _init.rng(seed), _init.check_dtype(dtype)
    f = scheme if callable(scheme) else (lambda M_out, M_in, rng, dtype: _init.theta(scheme, M_out, M_in, rng, dtype))
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
        Initialisation scheme (see :mod:`nnlib.init`); ignored when `theta` is given.
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
        M, dtype = check_M(M), _init.check_dtype(dtype)
        L = len(M) - 1
        self.g = check_g(g, L)
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
                check_weights(t, (M[l], M[l - 1] + 1), f"theta[{l}]", dtype, f"(M_{l}, M_{l - 1} + 1)")
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

        .. math:: \phi^l_i = \sum_{j=0}^{M_{l-1}} \theta^l_{ij}\, s^{l-1}_j,
                  \qquad s^l_i = g(\phi^l_i)

        For a batch (rows are samples) each layer is one matrix product,
        :math:`\Phi^l = \tilde S^{l-1} {\Theta^l}^T` with
        :math:`\tilde S = [\mathbf{1}, S]`, computed as
        ``s[l-1] @ theta[l][:, 1:].T + theta[l][:, 0]`` (no column of ones is
        built).

        Parameters
        ----------
        X : array_like, shape (N, M_0) or (M_0,)
            Samples as rows, or one sample x.

        Returns
        -------
        phi, s : list of ndarray
            ``phi[l]`` and ``s[l]`` of shape (N, M_l) (or (M_l,) for one
            sample), l = 0..L; ``phi[0]`` is None and ``s[0]`` is X as a float
            array.
        """
        theta, g, L = self.theta, self.g, self.L
        phi, s = [None] * (L + 1), [None] * (L + 1)
        s[0] = check_X(X, self.M[0], self.dtype)
        for l in range(1, L + 1):
            # φ^l_i = Σ_j θ^l_ij s^{l-1}_j  (s_0 = 1)
            phi[l] = s[l - 1] @ theta[l][:, 1:].T + theta[l][:, 0]
            s[l] = g[l](phi[l])  # s^l_i = g(φ^l_i)
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
        set_from_vector(self.theta[1:], vec, self.D, self.dtype)

    def copy(self):
        """A deep copy (the weights are copied)."""
        return MLP(self.M, g=self.g, theta=self.theta, dtype=self.dtype)

    def __repr__(self):
        extra = "" if self.dtype == np.float64 else f", dtype={self.dtype}"
        return f"MLP(M={self.M}, g=({', '.join(gl.name for gl in self.g[1:])}), D={self.D}{extra})"
