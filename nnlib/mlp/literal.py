r"""BackProp written loop by loop after the slides' pseudo-code ("Algoritmo BACKPROP", batch box).

This is the **test oracle** of :mod:`nnlib.mlp.backprop`: per sample, per node, per weight, with plain
Python floats, so that every line can be read against the slide. It is slow on purpose; train with
:mod:`nnlib.mlp.backprop` / :mod:`nnlib.mlp.train`.

The slide's box, for one epoch::

    for 1 <= l <= L, 1 <= i <= M_l, 0 <= j <= M_{l-1}:   Δθ^l_ij = 0
    for each training sample (x, t) in S:
        for l = 0..L, 1 <= i <= M_l:
            s^0_i = x_i                              if l == 0
            φ^l_i = Σ_j θ^l_ij s^{l-1}_j,  s^l_i = g(φ^l_i)   otherwise
        for l = L..1, 1 <= i <= M_l:
            δ^l_i = g'(φ^l_i) (t_i − s^L_i)                 if l == L
                    g'(φ^l_i) Σ_r δ^{l+1}_r θ^{l+1}_ri      otherwise
            for 0 <= j <= M_{l-1}:   Δθ^l_ij = Δθ^l_ij + ρ δ^l_i s^{l-1}_j
    θ^l_ij = θ^l_ij + (1/N) Δθ^l_ij

Beyond the slide (each marked where it happens): cross-entropy with softmax gives
:math:`\delta^L_i = t_i - s^L_i`; a softmax layer couples its nodes, so its :math:`g'(\phi_i)\,v_i`
becomes :math:`\sum_k (\partial s_k / \partial \phi_i)\, v_k` with
:math:`\partial s_k / \partial \phi_i = s_k(\delta_{ki} - s_i)`.
"""

import math

import numpy as np

from .. import activations as act
from .. import losses
from .._validate import as_real_array, check_labels, check_positive, is_labels

__all__ = ["forward_one_sample", "deltas_one_sample", "batch_increments"]


def _loss_name(loss):
    f = losses.get(loss)
    if f is losses.squared_error:
        return "squared_error"
    if f is losses.cross_entropy:
        return "cross_entropy"
    raise ValueError(f"loss must be squared_error or cross_entropy for the literal BackProp; got {loss!r}")


def _targets(t, net, N):
    """Targets as a float array (N, M_L); class labels (shape (N,)) become one-hot."""
    M_L = net.M[-1]
    if M_L >= 2 and is_labels(t, 2):
        t = losses.one_hot(check_labels(t, N, M_L, "t"), M_L)
    t = as_real_array(t, "t", dtype=np.float64)
    if t.shape != (N, M_L):
        raise ValueError(f"t must have shape (N, M_L) = {(N, M_L)}; got shape {t.shape}")
    return t


def _one_sample(net, x):
    """x as a float64 vector of exactly M_0 entries (shape (M_0,) or (1, M_0)), or a ValueError naming x."""
    M_0 = net.M[0]
    x = as_real_array(x, "x", dtype=np.float64)
    if x.shape not in ((M_0,), (1, M_0)):
        raise ValueError(f"x must be one sample of M_0 = {M_0} entries, shape ({M_0},); got shape {x.shape}"
                         + (" (a batch: pass one row, or use batch_increments)" if x.ndim == 2 else ""))
    return x.reshape(M_0)


def forward_one_sample(net, x):
    r"""Forward pass node by node: :math:`\phi^l_i = \sum_{j=0}^{M_{l-1}} \theta^l_{ij} s^{l-1}_j`, :math:`s^l_i = g(\phi^l_i)`.

    `x` is one sample of exactly :math:`M_0` entries (shape (M_0,) or (1, M_0)).

    Returns
    -------
    phi, s : list of list of float
        ``phi[l][i-1]`` = :math:`\phi^l_i` (``phi[0]`` is None); ``s[l][j]`` = :math:`s^l_j` with the
        threshold input ``s[l][0] = 1`` in front, so ``s[l]`` has :math:`M_l + 1` entries.
    """
    M, L, theta, g = net.M, net.L, net.theta, net.g
    x = _one_sample(net, x)
    s = [[1.0] + [float(x[i]) for i in range(M[0])]]           # s^0_0 = 1, s^0_i = x_i
    phi = [None]
    for l in range(1, L + 1):
        phi_l = []
        for i in range(1, M[l] + 1):
            phi_li = 0.0
            for j in range(0, M[l - 1] + 1):
                phi_li += float(theta[l][i - 1, j]) * s[l - 1][j]   # φ^l_i = Σ_j θ^l_ij s^{l-1}_j
            phi_l.append(phi_li)
        phi.append(phi_l)
        if g[l] is act.softmax:                                 # beyond the slide: s_i = exp φ_i / Σ_j exp φ_j
            m = max(phi_l)
            Z = sum(math.exp(p - m) for p in phi_l)
            s.append([1.0] + [math.exp(p - m) / Z for p in phi_l])
        else:
            s.append([1.0] + [float(g[l](phi_l[i - 1])) for i in range(1, M[l] + 1)])  # s^l_i = g(φ^l_i)
    return phi, s


def _g_prime_times(g, phi_l, s_l, v, i):
    r""":math:`g'(\phi_i)\, v_i` (1-based i); for softmax :math:`\sum_k s_k (\delta_{ki} - s_i) v_k`."""
    if g is act.softmax:                                        # beyond the slide: softmax couples the nodes
        return sum(s_l[k] * ((1.0 if k == i else 0.0) - s_l[i]) * v[k - 1] for k in range(1, len(s_l)))
    return float(g.prime(phi_l[i - 1])) * v[i - 1]


def _deltas(net, phi, s, t, loss):
    """δ^l_i node by node, l = L..1 (t: the sample's targets, a sequence of M_L floats)."""
    M, L, theta, g = net.M, net.L, net.theta, net.g
    delta = [None] * (L + 1)
    # output layer
    if loss == "cross_entropy":
        delta[L] = [t[i - 1] - s[L][i] for i in range(1, M[L] + 1)]   # δ^L_i = t_i − s^L_i (softmax + cross-entropy)
    else:
        e = [t[i - 1] - s[L][i] for i in range(1, M[L] + 1)]           # t_i − s^L_i
        delta[L] = [_g_prime_times(g[L], phi[L], s[L], e, i) for i in range(1, M[L] + 1)]  # δ^L_i = g'(φ^L_i)(t_i − s^L_i)
    # hidden layers
    for l in range(L - 1, 0, -1):
        back = []
        for i in range(1, M[l] + 1):
            total = 0.0
            for r in range(1, M[l + 1] + 1):
                total += delta[l + 1][r - 1] * float(theta[l + 1][r - 1, i])  # Σ_r δ^{l+1}_r θ^{l+1}_ri
            back.append(total)
        delta[l] = [_g_prime_times(g[l], phi[l], s[l], back, i) for i in range(1, M[l] + 1)]  # δ^l_i = g'(φ^l_i) Σ_r ...
    return delta


def _q_n(net, phi, s, t, loss):
    """q_n of one sample."""
    M_L, L = net.M[-1], net.L
    if loss == "cross_entropy":                                  # q_n = −Σ_i t_i log s^L_i, log s_i = φ_i − log Σ_j exp φ_j
        m = max(phi[L])
        log_Z = m + math.log(sum(math.exp(p - m) for p in phi[L]))
        return -sum(t[i - 1] * (phi[L][i - 1] - log_Z) for i in range(1, M_L + 1))
    return 0.5 * sum((t[i - 1] - s[L][i]) ** 2 for i in range(1, M_L + 1))  # q_n = ½ Σ_i (t_i − s^L_i)²


def deltas_one_sample(net, x, t, loss="squared_error"):
    r"""The slides' :math:`\delta^l_i` for one sample (x, t), node by node.

    Parameters
    ----------
    net : nnlib.mlp.network.MLP
    x : array_like, shape (M_0,) (or (1, M_0))
        Exactly one sample: a batch, or a vector of another length, is refused.
    t : array_like, shape (M_L,), or one class label
    loss : "squared_error" or "cross_entropy"

    Returns
    -------
    list
        ``[None, delta1, ..., deltaL]``, ``delta[l]`` a float64 array of shape (M_l,).
    """
    loss = _loss_name(loss)
    x = _one_sample(net, x)
    t = _targets(np.asarray(t)[None], net, 1)[0]
    phi, s = forward_one_sample(net, x)
    delta = _deltas(net, phi, s, [float(v) for v in t], loss)
    return [None] + [np.array(d) for d in delta[1:]]


def batch_increments(net, X, t, rho, loss="squared_error"):
    r"""One pass of the slides' batch BackProp box: :math:`\Delta\theta^l_{ij}
    = \frac{1}{N} \sum_n \rho\, \delta^l_i s^{l-1}_j`.

    The weights are not changed; the slide's update is ``theta[l] += Delta[l]``.

    Returns
    -------
    q : float
        :math:`q_S = \frac{1}{N} \sum_n q_n` before the update.
    Delta : list
        ``[None, Delta1, ..., DeltaL]``, ``Delta[l]`` a float64 array of the
        shape of ``theta[l]`` holding :math:`\frac{1}{N} \Delta\theta^l`.
    """
    loss = _loss_name(loss)
    rho = check_positive(rho, "rho")
    X = as_real_array(X, "X", dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] != net.M[0]:
        raise ValueError(f"X must have shape (N, M_0) = (N, {net.M[0]}) with "
                         f"N >= 1; got shape {X.shape}")
    N = X.shape[0]
    t = _targets(t, net, N)
    M, L = net.M, net.L
    Dtheta = [None] * (L + 1)
    for l in range(1, L + 1):  # Δθ^l_ij = 0
        Dtheta[l] = [[0.0] * (M[l - 1] + 1) for i in range(M[l])]
    q = 0.0
    for n in range(N):  # for each sample (x, t) in S
        t_n = [float(v) for v in t[n]]
        phi, s = forward_one_sample(net, X[n])   # input to output
        delta = _deltas(net, phi, s, t_n, loss)  # output to input
        for l in range(1, L + 1):
            for i in range(1, M[l] + 1):
                for j in range(0, M[l - 1] + 1):
                    # Δθ^l_ij += ρ δ^l_i s^{l-1}_j
                    Dtheta[l][i - 1][j] += rho * delta[l][i - 1] * s[l - 1][j]
        q += _q_n(net, phi, s, t_n, loss)
    # (1/N) Δθ^l_ij
    Delta = [None] + [np.array(Dtheta[l]) / N for l in range(1, L + 1)]
    return q / N, Delta
