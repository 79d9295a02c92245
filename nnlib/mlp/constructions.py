r"""Networks built by hand, as on the pages of chapter 1: weights computed, not trained.

- :func:`memorizer`: slide 17's claim "N - 1 hidden nodes classify any N points", the construction that
  proves it (step units along one direction, a lower-triangular system for the output weights);
- :func:`arrangement_cells` and :func:`one_hidden_layer`: which regions bounded by pieces of given lines one
  hidden layer of step units draws, the output weights found by a linear program;
- :func:`polygon_lines`: the lines of the sides of a convex polygon, oriented inwards;
- :func:`solve_output_layer`: the best linear output layer on a network's last hidden layer, by least
  squares (slide 16's regressor, what the hidden units can represent).

SciPy (for the linear program) is imported when :func:`one_hidden_layer` is called: ``import nnlib`` needs
numpy only.
"""

import numbers

import numpy as np

from .._validate import as_real_array, check_int, check_labels
from .network import MLP, homogeneous

__all__ = ["memorizer", "arrangement_cells", "one_hidden_layer", "polygon_lines", "solve_output_layer"]


def _generator(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return np.random.default_rng(int(seed))
    raise TypeError(f"seed must be an int or a numpy.random.Generator; got {type(seed).__name__}")


def _lines(lines):
    lines = as_real_array(lines, "lines")
    if lines.ndim != 2 or lines.shape[1] != 3 or len(lines) == 0:
        raise ValueError(f"lines must be a (K, 3) array of rows [theta_0, theta_1, theta_2], K >= 1; "
                         f"got shape {lines.shape}")
    if np.any(np.all(lines[:, 1:] == 0, axis=1)):
        raise ValueError("lines: every row needs (theta_1, theta_2) != (0, 0); got a row without a direction")
    return lines


def memorizer(X, labels, C, seed=0):
    r"""The :math:`M_0`-:math:`(N-1)`-:math:`C` network of step units that
    classifies `(X, labels)` exactly.

    On a random unit direction :math:`\mathbf{w}` the projections
    :math:`p_n = \mathbf{w}^t\mathbf{x}_n` are sorted,
    :math:`p_{(1)} < \dots < p_{(N)}`; hidden unit :math:`k = 1, \dots, N-1`
    switches on between samples :math:`k` and :math:`k+1`, and the output
    weights solve a lower-triangular system:

    .. math:: s^1_k(\mathbf{x}) &= g_E(\mathbf{w}^t\mathbf{x} - b_k), \quad
              b_k = \tfrac12\bigl(p_{(k)} + p_{(k+1)}\bigr), \\
              a_{c0} &= t_{(1)c}, \quad a_{ck} = t_{(k+1)c} - t_{(k)c},

    .. math:: \theta^2_{ck} = a_{ck}/2, \qquad
              \theta^2_{c0} = a_{c0} + \textstyle\sum_k a_{ck}/2
              \qquad (s^1_k = 2u_k - 1,\ u_k \in \{0, 1\}),

    so that :math:`s^2(\mathbf{x}_n) = \mathbf{t}_n`, the one-hot target, for
    every sample.

    Parameters
    ----------
    X : array_like, shape (N, M_0)
        The inputs, N >= 2, all different.
    labels : array_like of int, shape (N,)
        The classes, 0..C-1.
    C : int
        The number of classes (outputs), >= 1.
    seed : int or numpy.random.Generator
        For the direction :math:`\mathbf{w}` (a Generator is drawn from).

    Returns
    -------
    net : MLP
        ``M = [M_0, N - 1, C]``, ``g = ["step", "linear"]``.
    w : ndarray, shape (M_0,)
        The unit direction :math:`\mathbf{w}`.
    order : ndarray of int, shape (N,)
        The samples sorted by their projection: ``X[order]`` is
        :math:`\mathbf{x}_{(1)}, \dots, \mathbf{x}_{(N)}`.

    Raises
    ------
    ValueError
        If `X` is not 2-D with N >= 2 rows, if `labels` are not N classes in
        0..C-1, or if two projections coincide (two equal inputs).
    """
    X = as_real_array(X, "X")
    if X.ndim != 2 or len(X) < 2:
        raise ValueError(f"X must be a 2-D array of N >= 2 inputs (rows); "
                         f"got shape {X.shape}")
    C = check_int(C, "C", 1, "number of classes")
    labels = check_labels(labels, len(X), C, name="labels")
    N = len(X)
    w = _generator(seed).normal(size=X.shape[1])
    w /= np.linalg.norm(w)
    p = X @ w
    order = np.argsort(p)
    if not np.all(np.diff(p[order]) > 0):
        raise ValueError("X: the N inputs must be distinct (their projections "
                         "on w coincide); got two inputs with the same "
                         "projection")
    b = (p[order][:-1] + p[order][1:]) / 2  # b_k, k = 1..N-1
    T = np.eye(C)[labels][order]  # one-hot targets, in projection order
    # a_c0 = t_(1)c, a_ck = t_(k+1)c - t_(k)c
    a = np.vstack([T[0], np.diff(T, axis=0)])
    W1 = np.tile(w, (N - 1, 1))  # every hidden unit looks along w
    theta1 = np.column_stack([-b, W1])  # s^1_k = g_E(w^t x - b_k)
    theta2 = np.column_stack([a[0] + a[1:].sum(axis=0) / 2, a[1:].T / 2])
    net = MLP(M=[X.shape[1], N - 1, C], g=["step", "linear"],
              theta=[theta1, theta2])
    return net, w, order


def arrangement_cells(lines, n=500):
    r"""One point in each cell of the arrangement of `lines` in the plane, and each cell's hidden code.

    A line is a row :math:`[\theta_0, \theta_1, \theta_2]`, the step unit
    :math:`s^1_k = g_E(\theta_{k0} + \theta_{k1}x_1 + \theta_{k2}x_2)`; the code of a cell is
    :math:`(s^1_1, \dots, s^1_K) \in \{-1, 1\}^K`. An ``n`` x ``n`` grid spans every crossing point of two
    lines, so every cell meets it; grid points on a line are dropped.

    Parameters
    ----------
    lines : array_like, shape (K, 3)
    n : int
        Grid points per axis, >= 2.

    Returns
    -------
    codes : ndarray, shape (number of cells, K)
        The distinct codes, one per cell.
    points : ndarray, shape (number of cells, 2)
        One grid point in each cell (``points[c]`` has code ``codes[c]``).
    P : ndarray, shape (n_points, 2)
        Every grid point kept.
    cell : ndarray of int, shape (n_points,)
        The cell of each point of `P` (an index into `codes`).
    """
    lines = _lines(lines)
    n = check_int(n, "n", 2, "grid points per axis")
    crossings = [np.linalg.solve(lines[[i, j], 1:], -lines[[i, j], 0])
                 for i in range(len(lines)) for j in range(i + 1, len(lines))
                 if abs(np.linalg.det(lines[[i, j], 1:])) > 1e-12]
    m = np.abs(crossings).max() + 1.0 if crossings else 2.0
    g = np.linspace(-m, m, n)
    P = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    S = np.sign(homogeneous(P) @ lines.T)                           # the hidden codes, s^1 = g_E(phi^1)
    P, S = P[np.all(S != 0, axis=1)], S[np.all(S != 0, axis=1)]
    if S.shape[1] <= 62:
        # each code as one integer, first unit the highest bit: the integers sort as the codes do, and np.unique
        # of a column of integers is many times faster than of the rows of S
        key = (S > 0).astype(np.int64) @ (1 << np.arange(S.shape[1] - 1, -1, -1, dtype=np.int64))
        _, first, cell = np.unique(key, return_index=True, return_inverse=True)
        codes = S[first]
    else:
        codes, first, cell = np.unique(S, axis=0, return_index=True, return_inverse=True)
    return codes, P[first], P, cell.ravel()


def one_hidden_layer(lines, region):
    r"""A 2-K-2 network of step units with these lines that classifies
    `region`, or None if none exists.

    The output layer sees only the code :math:`\mathbf{s}^1 \in \{-1, 1\}^K` of
    the cell; it classifies the region when some :math:`\mathbf{v}` separates
    the codes of the cells inside (:math:`y = +1`) from those outside
    (:math:`y = -1`), a linear feasibility problem:

    .. math:: y_c\,(v_0 + \mathbf{v}^t \mathbf{s}^1_c) \ge 1 \quad
              \text{for every cell } c, \qquad
              \phi^2_2 = -\phi^2_1 = v_0 + \mathbf{v}^t \mathbf{s}^1 .

    Parameters
    ----------
    lines : array_like, shape (K, 3)
        The hidden units' lines, rows :math:`[\theta_0, \theta_1, \theta_2]`
        (``theta[1]`` of the result).
    region : callable
        ``region(P) -> array of 0/1``, 1 for the points of ``P`` (shape (n, 2))
        inside the region. Its boundary must lie on the lines.

    Returns
    -------
    MLP or None
        ``M = [2, K, 2]``, ``g = ["step", "linear"]``; None if the codes are not
        linearly separable.

    Raises
    ------
    ValueError
        If `lines` is not (K, 3), or if `region` changes inside a cell (its
        boundary is not on the lines).
    """
    from scipy.optimize import linprog  # here: `import nnlib` needs numpy only

    lines = _lines(lines)
    if not callable(region):
        raise TypeError(f"region must be a function region(P) -> 0/1 per "
                        f"point; got {type(region).__name__}")
    codes, reps, P, cell = arrangement_cells(lines)
    labels = np.asarray(region(reps)).astype(int)
    if not np.array_equal(np.asarray(region(P)).astype(int), labels[cell]):
        raise ValueError("region: its boundary must lie on the lines; got a "
                         "region that changes inside a cell")
    y = 2.0 * labels - 1.0  # +1 inside, -1 outside
    A = -y[:, None] * homogeneous(codes)  # y (v_0 + v^t code) >= 1, every cell
    lp = linprog(np.zeros(A.shape[1]), A_ub=A, b_ub=-np.ones(len(codes)),
                 bounds=[(None, None)] * A.shape[1])
    if lp.status != 0:
        return None
    theta2 = np.vstack([-lp.x, lp.x])  # φ^2_2 = -φ^2_1 = v_0 + v^t s^1
    return MLP(M=[2, len(lines), 2], g=["step", "linear"],
               theta=[lines, theta2])


def polygon_lines(V):
    r"""One line per side of the convex polygon `V`, oriented with :math:`\phi > 0` inside.

    For the side from :math:`\mathbf{p}` to :math:`\mathbf{q}` the normal is
    :math:`\mathbf{n} = (q_2 - p_2,\ p_1 - q_1)`, turned towards the centroid, and the line is
    :math:`\phi(\mathbf{x}) = \mathbf{n}^t(\mathbf{x} - \mathbf{p}) = [-\mathbf{n}^t\mathbf{p}, n_1, n_2]\,\tilde{\mathbf{x}}`.

    Parameters
    ----------
    V : array_like, shape (K, 2)
        The vertices in order (either way round), K >= 3.

    Returns
    -------
    ndarray, shape (K, 3)
    """
    V = as_real_array(V, "V")
    if V.ndim != 2 or V.shape[1] != 2 or len(V) < 3:
        raise ValueError(f"V must be a (K, 2) array of K >= 3 vertices in order; got shape {V.shape}")
    lines = []
    for p, q in zip(V, np.roll(V, -1, axis=0)):
        n = np.array([q[1] - p[1], p[0] - q[0]])
        if not np.any(n):
            raise ValueError("V: consecutive vertices must differ; got a repeated vertex")
        n = n if n @ (V.mean(axis=0) - p) > 0 else -n
        lines.append([-n @ p, *n])
    return np.array(lines)


def solve_output_layer(net, X, t):
    r"""A copy of `net` whose linear output layer is the least-squares fit on
    its last hidden layer.

    .. math:: \theta^L = \arg\min_{\theta} \sum_n \bigl\lVert \theta\,
              \tilde{s}^{L-1}(\mathbf{x}_n) - \mathbf{t}_n \bigr\rVert^2,
              \qquad \tilde{s}^{L-1} = (1, s^{L-1}_1, \dots, s^{L-1}_{M_{L-1}})

    Parameters
    ----------
    net : MLP
        At least one hidden layer (L >= 2); its output activation should be
        linear.
    X : array_like, shape (N, M_0)
    t : array_like, shape (N, M_L)

    Returns
    -------
    MLP
        A copy; `net` is unchanged.
    """
    if not isinstance(net, MLP):
        raise TypeError(
            f"net must be an nnlib.mlp.MLP; got {type(net).__name__}")
    if net.L < 2:
        raise ValueError(
            f"net must have a hidden layer (L >= 2); got L = {net.L}")
    X = as_real_array(X, "X")
    t = as_real_array(t, "t")
    if X.ndim != 2 or t.shape != (len(X), net.M[-1]):
        raise ValueError(f"X must be (N, M_0) and t (N, M_L = {net.M[-1]}); "
                         f"got shapes {X.shape} and {t.shape}")
    S = net.forward(X)[1][net.L - 1]  # s^{L-1} for every sample (rows)
    H = np.column_stack([np.ones(len(X)), S])  # [1, s^{L-1}], homogeneous
    theta_L, *_ = np.linalg.lstsq(H, t, rcond=None)  # min ||H θᵀ - t||²
    out = net.copy()
    out.theta[net.L][:] = theta_L.T
    return out
