r"""Feed-forward networks whose connections may skip layers (redes hacia adelante, slide 15).

**Forward only**: BackProp (:mod:`nnlib.mlp.backprop`) and the training loops take an
:class:`~nnlib.mlp.network.MLP`, whose ``theta`` is a list indexed by layer; here the weights are a dict keyed by
edge. Use :meth:`FeedForward.from_mlp` to compare outputs with a trained MLP.

An edge :math:`(k, k')` with :math:`k' < k` connects layer :math:`k'` to layer :math:`k` through
a weight matrix :math:`\Theta^{k,k'}` of shape :math:`(M_k, M_{k'} + 1)`. A node adds up what
reaches it over all its incoming edges:

.. math::

    s^k_i = g\Big(\sum_{k' : (k, k')} \sum_{j=0}^{M_{k'}} \theta^{k,k'}_{ij}\, s^{k'}_j\Big),
    \qquad s^{k'}_0 = 1.

Every inner sum starts at :math:`j = 0`, as on the slide, so a node has one threshold per incoming
edge; only their sum matters (a redundancy). Initialisation puts the threshold on the edge
:math:`(k, k-1)` (or the nearest source layer) and 0 on the others.

The multilayer perceptron is the special case with edges :math:`\{(k, k-1)\}`:
``FeedForward.from_mlp(net)`` gives the same outputs as ``net``.

>>> from nnlib.mlp import FeedForward
>>> ff = FeedForward(M=[2, 3, 1], edges=[(1, 0), (2, 1), (2, 0)],
...                  g=["tanh", "linear"], seed=0)
>>> ff.edges
((1, 0), (2, 0), (2, 1))
"""

import numbers

import numpy as np

from .. import init as _init
from ._checks import check_g, check_M, check_weights, check_X, set_from_vector

__all__ = ["FeedForward"]


def _check_edges(edges, L):
    """`edges` as a sorted tuple of (k, k') with 0 <= k' < k <= L, every layer 1..L receiving one."""
    if isinstance(edges, (str, bytes)) or not hasattr(edges, "__iter__"):
        raise TypeError(f"edges must be a collection of pairs (k, k'); got {type(edges).__name__}")
    out = []
    for e in edges:
        ok = (isinstance(e, tuple) or isinstance(e, list)) and len(e) == 2 and all(
            isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in e)
        if not ok:
            raise ValueError(f"edges must hold pairs (k, k') of layer indices; got {e!r}")
        k, kp = int(e[0]), int(e[1])
        if not 0 <= kp < k <= L:
            raise ValueError(f"edge (k, k') = {(k, kp)} must go forward, from layer k' to a later layer k: "
                             f"0 <= k' < k <= L = {L}")
        if (k, kp) in out:
            raise ValueError(f"edges must not repeat an edge; got {(k, kp)} twice")
        out.append((k, kp))
    for k in range(1, L + 1):
        if not any(e[0] == k for e in out):
            raise ValueError(f"layer {k} must receive at least one edge ({k}, k') with k' < {k}; got none "
                             f"in edges {sorted(out)}")
    return tuple(sorted(out))


class FeedForward:
    r"""Feed-forward network with connections that may skip layers (slide 15); forward pass only (no BackProp).

    .. math:: \phi^k_i = \sum_{k' : (k, k')} \sum_{j=0}^{M_{k'}} \theta^{k,k'}_{ij}\, s^{k'}_j,
              \qquad s^k_i = g(\phi^k_i)

    Parameters
    ----------
    M : sequence of int
        Layer sizes :math:`M_0, \dots, M_L`.
    edges : collection of (k, k') pairs, optional
        Connections from layer k' to layer k (k' < k). Default: the keys of `theta` if it is
        given, else the multilayer perceptron's :math:`\{(k, k-1)\}`.
    g, init, seed, dtype
        As for :class:`~nnlib.mlp.network.MLP`. The init scheme sees the node's whole fan-in
        :math:`\sum_{k'} M_{k'}`, and with edges :math:`\{(k, k-1)\}` draws exactly the MLP's weights.
    theta : dict, optional
        Hand-set weights ``{(k, k'): array (M_k, M_{k'} + 1)}``, copied.

    Attributes
    ----------
    theta : dict
        ``{(k, k'): ndarray}``; column 0 of each array is a threshold.
    g : list
        ``[None, g1, ..., gL]``.
    """

    def __init__(self, M, edges=None, g="sigmoid", init="glorot_uniform", seed=0, theta=None,
                 dtype=np.float64):
        M, dtype = check_M(M), _init.check_dtype(dtype)
        L = len(M) - 1
        if theta is not None and not isinstance(theta, dict):
            raise TypeError(f"theta must be a dict {{(k, k'): array}}; got {type(theta).__name__}")
        if edges is None:
            edges = list(theta) if theta is not None else [(k, k - 1) for k in range(1, L + 1)]
        edges = _check_edges(edges, L)
        self.g = check_g(g, L)
        if theta is None:
            self.theta = self._draw(M, edges, _init.check_scheme(init), _init.rng(seed), dtype)
        else:
            keys = set(_check_edges(theta.keys(), L))
            if keys != set(edges):
                raise ValueError(f"theta must have one array per edge {list(edges)}; got keys {sorted(keys)}")
            self.theta = {
                (k, kp): check_weights(theta[(k, kp)], (M[k], M[kp] + 1), f"theta[{(k, kp)}]", dtype,
                                        f"(M_{k}, M_{kp} + 1)")
                for k, kp in edges
            }

    @staticmethod
    def _draw(M, edges, scheme, rng, dtype):
        """Draw each layer's weights as one block over its whole fan-in (:mod:`nnlib.init`), then split it by edge."""
        f = scheme if callable(scheme) else (lambda M_out, M_in, rng, dtype: _init.theta(scheme, M_out, M_in, rng, dtype))
        theta = {}
        for k in range(1, len(M)):
            sources = [kp for kk, kp in edges if kk == k]            # sorted
            T = np.asarray(f(M[k], sum(M[kp] for kp in sources), rng, dtype), dtype=dtype)
            start = 1
            for kp in sources:
                theta[(k, kp)] = np.zeros((M[k], M[kp] + 1), dtype=dtype)
                theta[(k, kp)][:, 1:] = T[:, start:start + M[kp]]
                start += M[kp]
            theta[(k, sources[-1])][:, 0] = T[:, 0]                   # the threshold: on the nearest source
        return theta

    @classmethod
    def from_mlp(cls, net):
        """The multilayer perceptron `net` as a feed-forward net with edges (k, k-1) (weights copied)."""
        return cls(net.M, g=net.g, theta={(k, k - 1): net.theta[k] for k in range(1, net.L + 1)},
                   dtype=net.dtype)

    @property
    def edges(self):
        """Sorted tuple of the edges (k, k')."""
        return tuple(sorted(self.theta))

    @property
    def L(self):
        return len(self.g) - 1

    @property
    def M(self):
        """Layer sizes, read from theta (layer 1 can only be reached from layer 0)."""
        rows = {k: t.shape[0] for (k, _), t in self.theta.items()}
        return (self.theta[(1, 0)].shape[1] - 1,) + tuple(rows[k] for k in range(1, self.L + 1))

    @property
    def D(self):
        """Number of parameters (weights and thresholds of every edge)."""
        return sum(t.size for t in self.theta.values())

    @property
    def dtype(self):
        return self.theta[(1, 0)].dtype

    def sources(self, k):
        """The layers k' with an edge (k, k'), in increasing order."""
        return [kp for kk, kp in self.edges if kk == k]

    def forward(self, X):
        r"""Pre-activations and outputs of every layer, rows are samples.

        .. math:: \Phi^k = \sum_{k' : (k, k')} \tilde S^{k'} {\Theta^{k,k'}}^T,
                  \qquad S^k = g(\Phi^k)

        Returns
        -------
        phi, s : list of ndarray
            As for :meth:`nnlib.mlp.network.MLP.forward`: ``phi[0]`` is None,
            ``s[0]`` is X.
        """
        theta, g, L = self.theta, self.g, self.L
        phi, s = [None] * (L + 1), [None] * (L + 1)
        s[0] = check_X(X, self.M[0], self.dtype)
        for k in range(1, L + 1):
            phi[k] = sum(s[kp] @ theta[(k, kp)][:, 1:].T + theta[(k, kp)][:, 0]
                         for kp in self.sources(k))
            s[k] = g[k](phi[k])
        return phi, s

    def __call__(self, X):
        """The output :math:`s^L(\\mathbf{x})`."""
        return self.forward(X)[1][-1]

    def classify(self, X):
        """Class indices 0..C-1 (1..C on the slides): argmax over the outputs."""
        return np.argmax(self(X), axis=-1)

    @property
    def Theta(self):
        """All weights as one vector: edge by edge in sorted order, each array row by row (a copy)."""
        return np.concatenate([self.theta[e].ravel() for e in self.edges])

    @Theta.setter
    def Theta(self, vec):
        set_from_vector([self.theta[e] for e in self.edges], vec, self.D, self.dtype)

    def copy(self):
        """A deep copy."""
        return FeedForward(self.M, g=self.g, theta=self.theta, dtype=self.dtype)

    def __repr__(self):
        extra = "" if self.dtype == np.float64 else f", dtype={self.dtype}"
        return (f"FeedForward(M={self.M}, edges={self.edges}, g=({', '.join(gl.name for gl in self.g[1:])}), "
                f"D={self.D}{extra})")
