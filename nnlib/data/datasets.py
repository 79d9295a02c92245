r"""The generated two-dimensional data sets of the book: every one drawn from a seed, nothing downloaded.

Each function returns ``X`` of shape ``(N, 2)`` (float64) and integer class labels ``t`` of shape ``(N,)``,
the targets of :func:`nnlib.mlp.backprop.gradient` and :meth:`nnlib.layers.sequential.Sequential.fit` with a softmax
output and the cross-entropy. The same arguments and the same ``seed`` give the same points on every machine
(numpy's ``default_rng``); ``seed`` may also be a ``numpy.random.Generator``, which is then drawn from (two
calls with one generator give two different samples, e.g. a training and a test set).

- :func:`blobs`: Gaussian clusters around given centres (linearly separable when they are far apart);
- :func:`xor`: the four corners of the unit square, labelled by exclusive or, with noise;
- :func:`moons`: two interleaved half circles;
- :func:`spirals`: two interleaved spirals, class 1 being class 0 turned by 180 degrees;
- :func:`make_dataset`: the four small sets of the playground explorer (circle, xor, gauss, spiral) in
  :math:`[-1, 1]^2`;
- :func:`read_csv`: the small tables of published numbers that some chapters keep in their ``data/`` folder.
"""

import csv
import math
import numbers

import numpy as np

__all__ = ["blobs", "xor", "moons", "spirals", "make_dataset", "DATASETS", "read_csv"]

#: The names :func:`make_dataset` accepts.
DATASETS = ("circle", "xor", "gauss", "spiral")


def _rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a non-negative int or a numpy Generator; got {seed!r}")
    return np.random.default_rng(int(seed))


def _count(N, name="N", multiple=1):
    if isinstance(N, (bool, np.bool_)) or not isinstance(N, numbers.Integral):
        raise TypeError(f"{name} must be an int; got {type(N).__name__} {N!r}")
    if N < 1 or N % multiple:
        what = f"a positive multiple of {multiple}" if multiple > 1 else "a positive int"
        raise ValueError(f"{name} must be {what}; got {N}")
    return int(N)


def _non_negative(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}")
    value = float(value)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return value


def blobs(N=90, centres=((-1.5, -1.0), (1.5, -1.0), (0.0, 1.5)), std=0.45, labels=None, seed=0):
    r"""Gaussian clusters: ``N / K`` points around each of the ``K`` centres.

    .. math:: \mathbf{x}_n = \boldsymbol{\mu}_k + \boldsymbol{\varepsilon}_n,
              \quad \boldsymbol{\varepsilon}_n \sim \mathcal{N}(\mathbf{0}, \sigma^2 I),

    for the ``N / K`` samples of cluster :math:`k`, which get the class ``labels[k]``.

    Parameters
    ----------
    N : int
        Number of points, a multiple of the number of centres.
    centres : array_like, shape (K, d)
        The cluster centres :math:`\boldsymbol{\mu}_k` (the default: three clusters in the plane, linearly
        separable).
    std : float
        Standard deviation :math:`\sigma` of the noise around each centre, >= 0.
    labels : sequence of int, length K, optional
        The class of each cluster (default ``0, 1, ..., K - 1``); two clusters may share a class.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (N, d)
        The points, cluster by cluster (the first ``N / K`` around ``centres[0]``, ...).
    t : ndarray of int, shape (N,)
        The class of each point.

    >>> X, t = blobs(6, centres=[[0, 0], [5, 5]], std=0.0)
    >>> X[:, 0].tolist(), t.tolist()
    ([0.0, 0.0, 0.0, 5.0, 5.0, 5.0], [0, 0, 0, 1, 1, 1])
    """
    centres = np.asarray(centres, dtype=float)
    if centres.ndim != 2 or len(centres) < 1 or not np.all(np.isfinite(centres)):
        raise ValueError(f"centres must be a (K, d) array of finite numbers; got shape {centres.shape}")
    K = len(centres)
    N = _count(N, multiple=K)
    std = _non_negative(std, "std")
    if labels is None:
        labels = np.arange(K)
    labels = np.asarray(labels)
    if labels.shape != (K,) or not np.issubdtype(labels.dtype, np.integer) or np.any(labels < 0):
        raise ValueError(f"labels must be {K} non-negative ints, one per centre; got {labels.tolist()!r}")
    rng = _rng(seed)
    X = np.repeat(centres, N // K, axis=0) + rng.normal(scale=std, size=(N, centres.shape[1]))
    return X, np.repeat(labels.astype(int), N // K)


def xor(N=100, noise=0.15, seed=0):
    r"""XOR with noise: ``N / 4`` points around each corner of the unit square, class :math:`x_1 \oplus x_2`.

    The corners (0, 0) and (1, 1) are class 0, (0, 1) and (1, 0) class 1 (XOR true): no straight line
    separates the classes. This is :func:`blobs` with the four corners as centres and labels 0, 1, 1, 0.

    Parameters
    ----------
    N : int
        Number of points, a multiple of 4.
    noise : float
        Standard deviation of the Gaussian noise around each corner, >= 0.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (N, 2)
    t : ndarray of int, shape (N,)

    >>> X, t = xor(4, noise=0.0)
    >>> X.tolist(), t.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    corners = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    return blobs(N, corners, noise, labels=[0, 1, 1, 0], seed=seed)


def moons(N=200, noise=0.15, seed=0):
    r"""Two interleaved half circles ("two moons") with Gaussian noise.

    Each point draws an angle :math:`a \sim U(0, \pi)` and a class :math:`t \in \{0, 1\}` with equal
    probability; class 0 lies on the upper half circle :math:`(\cos a, \sin a)`, class 1 on the lower one
    :math:`(1 - \cos a, \tfrac12 - \sin a)`, and noise of standard deviation `noise` is added to both
    coordinates.

    Parameters
    ----------
    N : int
        Number of points.
    noise : float
        Standard deviation of the noise, >= 0.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (N, 2)
    t : ndarray of int, shape (N,)
        The classes, in random order (about N / 2 of each).
    """
    N = _count(N)
    noise = _non_negative(noise, "noise")
    rng = _rng(seed)
    a = rng.uniform(0, np.pi, N)
    t = rng.integers(0, 2, N)
    upper = np.column_stack([np.cos(a), np.sin(a)])
    lower = np.column_stack([1 - np.cos(a), 0.5 - np.sin(a)])
    X = np.where(t[:, None] == 0, upper, lower)
    return X + rng.normal(scale=noise, size=X.shape), t.astype(int)


def spirals(N=200, turns=2.0, noise=0.0, inner=0.02, scale=1.0, seed=0):
    r"""Two interleaved spirals, ``N / 2`` points each; class 1 is class 0 turned by 180 degrees.

    A point of class 0 at radius :math:`r` has the angle :math:`a = 2 \pi \cdot \text{turns} \cdot r`:

    .. math:: \mathbf{x} = \text{scale} \cdot r\,(\cos a, \sin a), \qquad r = \sqrt{u},\ u \sim U(\text{inner}, 1),

    so the points are spread evenly over the area (the square root) and the centre, of radius
    :math:`\sqrt{\text{inner}}`, is left empty. Class 1 is :math:`-\mathbf{x}`. Gaussian noise of standard
    deviation `noise` is added last. The distance of a noiseless point from the origin,
    ``np.hypot(*X.T) / scale``, is its :math:`r` (up to rounding): the inner points are the easy ones.

    Parameters
    ----------
    N : int
        Number of points, even.
    turns : float
        How many times each spiral winds around the origin, > 0.
    noise : float
        Standard deviation of the noise, >= 0 (0: no noise is drawn).
    inner : float
        The smallest :math:`r^2`, in [0, 1).
    scale : float
        The radius of the outermost points, > 0.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (N, 2)
        Class 0 first, then class 1 (``X[N // 2:] == -X[:N // 2]`` without noise).
    t : ndarray of int, shape (N,)
        ``N / 2`` zeros, then ``N / 2`` ones.
    """
    N = _count(N, multiple=2)
    turns = _non_negative(turns, "turns")
    noise = _non_negative(noise, "noise")
    inner = _non_negative(inner, "inner")
    scale = _non_negative(scale, "scale")
    if turns == 0:
        raise ValueError(f"turns must be > 0; got {turns}")
    if not inner < 1:
        raise ValueError(f"inner must be in [0, 1); got {inner}")
    if scale == 0:
        raise ValueError(f"scale must be > 0; got {scale}")
    rng = _rng(seed)
    r = np.sqrt(rng.uniform(inner, 1.0, N // 2))
    a = turns * 2 * np.pi * r
    X0 = np.column_stack([r * np.cos(a), r * np.sin(a)])
    X = scale * np.vstack([X0, -X0])
    if noise:
        X = X + noise * rng.normal(size=(N, 2))
    return X, np.repeat([0, 1], N // 2)


def make_dataset(name="circle", N=200, noise=0.1, seed=0):
    r"""A 2-D two-class toy set (TensorFlow-playground style), points roughly in [-1, 1]².

    ``"circle"``: class 1 in a disc, class 0 in a ring around it; ``"xor"``: the class is the sign of
    :math:`x_1 x_2`; ``"gauss"``: two Gaussian blobs; ``"spiral"``: two interleaved spirals. `noise` is the
    standard deviation of Gaussian noise added to the points (0 to about 0.5). These are the sets of the
    playground explorer (:func:`nnlib.book.explore.playground`); the functions above are the pages' own.

    Returns X (N, 2) and int labels t (N,) in {0, 1}.
    """
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}; got {name!r}")
    noise = float(noise)
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a number >= 0; got {noise!r}")
    rng = np.random.default_rng(seed)
    N = int(N)
    t = np.arange(N) % 2
    if name == "circle":
        r = np.where(t == 1, rng.uniform(0, 0.45, N), rng.uniform(0.65, 1.0, N))
        a = rng.uniform(0, 2 * np.pi, N)
        X = np.c_[r * np.cos(a), r * np.sin(a)]
    elif name == "xor":
        X = rng.uniform(-1, 1, (N, 2))
        X += np.sign(X) * 0.05                              # a small gap along the axes
        t = (X[:, 0] * X[:, 1] < 0).astype(int)
    elif name == "gauss":
        centre = np.where(t[:, None] == 1, 0.5, -0.5)
        X = centre + rng.normal(0, 0.2, (N, 2))
    else:
        r = np.linspace(0.05, 1.0, N // 2 + 1)[np.arange(N) // 2]
        a = 1.75 * 2 * np.pi * r + np.pi * t
        X = np.c_[r * np.sin(a), r * np.cos(a)]
    X = X + rng.normal(0, noise, X.shape) if noise else X
    return X, t


def read_csv(path):
    """The rows of a CSV file with a header line, as a list of dicts of strings (``csv.DictReader``).

    Parameters
    ----------
    path : str or os.PathLike
        The file, UTF-8, e.g. ``Path("data") / "scale.csv"`` from a chapter's folder.

    Returns
    -------
    list of dict
        One dict per row, keyed by the header's column names; the values are the strings of the file.
    """
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
