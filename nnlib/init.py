r"""Initial weights: the one set of initialisation schemes of nnlib.

Every network and layer draws its starting weights here: :class:`~nnlib.mlp.network.MLP`,
:class:`~nnlib.mlp.feedforward.FeedForward`, :class:`~nnlib.layers.dense.Dense`, :class:`~nnlib.layers.conv.Conv2D`,
the recurrent layers, attention and the blocks. A scheme draws the weights of a node from its fan-in
:math:`M_{in}` (the number of inputs it adds up) and fan-out :math:`M_{out}`:

- ``glorot_uniform``: :math:`\mathcal U(\pm\sqrt{6/(M_{in}+M_{out})})` (Glorot & Bengio, 2010);
- ``glorot_normal``: :math:`\mathcal N(0,\ 2/(M_{in}+M_{out}))`;
- ``he_normal``: :math:`\mathcal N(0,\ 2/M_{in})` (He et al., 2015), for ReLU layers;
- ``uniform``: :math:`\mathcal U(-0.5, 0.5)`, the classic small random start of the slides; it is the only
  scheme that draws the thresholds too;
- ``normal``: :math:`\mathcal N(0, \text{scale}^2)`, ``scale`` = 0.1 by default;
- ``zeros``: all 0; every hidden node then computes the same thing and BackProp cannot tell them apart
  (kept to show why the start must be random).

``"glorot"`` and ``"he"`` are accepted as short names of ``glorot_uniform`` and ``he_normal``. The thresholds
(column 0 of a homogeneous :math:`\theta`, or a bias ``b``) start at 0 except with ``uniform``.

>>> import numpy as np
>>> from nnlib import init
>>> init.theta("glorot_uniform", M_out=3, M_in=2, rng=init.rng(0)).shape
(3, 3)
"""

import numbers

import numpy as np

from ._validate import check_float_dtype, check_positive

__all__ = ["SCHEMES", "ALIASES", "INIT_SCHEMES", "rng", "check_scheme", "weights", "theta", "check_dtype"]


def rng(seed):
    """A numpy Generator from `seed`: None (fresh entropy), an int >= 0, or a Generator (returned as is).

    The seed rule of nnlib: same seed, same weights, same order of the samples.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be None, a non-negative int or a numpy Generator; got {seed!r}")
    return np.random.default_rng(int(seed))


def _glorot_uniform(shape, fan_in, fan_out, g, scale):
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return g.uniform(-a, a, size=shape)        # U(±√(6/(M_in + M_out)))


def _glorot_normal(shape, fan_in, fan_out, g, scale):
    # N(0, 2/(M_in + M_out))
    return g.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def _he_normal(shape, fan_in, fan_out, g, scale):
    return g.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)   # N(0, 2/M_in)


def _uniform(shape, fan_in, fan_out, g, scale):
    a = 0.5 if scale is None else scale
    return g.uniform(-a, a, size=shape)                       # U(−0.5, 0.5)


def _normal(shape, fan_in, fan_out, g, scale):
    return g.normal(0.0, 0.1 if scale is None else scale, size=shape)   # N(0, scale²)


def _zeros(shape, fan_in, fan_out, g, scale):
    return np.zeros(shape)


#: The schemes by name: ``f(shape, fan_in, fan_out, rng, scale)`` draws an array of weights of that shape.
SCHEMES = {
    "glorot_uniform": _glorot_uniform,
    "glorot_normal": _glorot_normal,
    "he_normal": _he_normal,
    "uniform": _uniform,
    "normal": _normal,
    "zeros": _zeros,
}
#: The scheme names (what ``MLP(init=...)`` lists in its error message).
INIT_SCHEMES = tuple(SCHEMES)
#: Short names accepted for two schemes.
ALIASES = {"glorot": "glorot_uniform", "he": "he_normal"}
#: The schemes that draw the thresholds as well (the others start them at 0).
_DRAW_THRESHOLDS = ("uniform",)


def check_scheme(scheme, name="init"):
    """The canonical name of `scheme` (an alias becomes its full name), or a callable returned as is."""
    if callable(scheme):
        return scheme
    if isinstance(scheme, str) and scheme in ALIASES:
        return ALIASES[scheme]
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(f"{name} must be one of {', '.join(SCHEMES)} (or {', '.join(ALIASES)}, or a function); "
                         f"got {scheme!r}")
    return scheme


def check_dtype(dtype):
    """`dtype` as float32 or float64 (the dtypes of the slides' networks), or a TypeError naming ``dtype``."""
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64; got {dt}")
    return dt


def weights(scheme, shape, fan_in, fan_out, seed=0, dtype=np.float64, scale=None):
    r"""Weights of the given `shape` drawn by `scheme` for nodes with fan-in `fan_in` and fan-out `fan_out`.

    Parameters
    ----------
    scheme : str
        A name of :data:`SCHEMES` (or an alias of :data:`ALIASES`).
    shape : tuple of int
    fan_in, fan_out : int
        :math:`M_{in}` and :math:`M_{out}`; for a convolution, channels times the kernel's size.
    seed : None, int or numpy.random.Generator, default 0
        See :func:`rng`; a Generator is drawn from (and advanced).
    dtype : floating-point dtype, default float64
        The values are drawn in float64, then cast: float32 gets the same values rounded.
    scale : float, optional
        The standard deviation of ``normal`` (0.1) or the half-width of ``uniform`` (0.5).
    """
    name = check_scheme(scheme)
    if callable(name):
        raise TypeError(f"init must be a scheme name for these weights; got the function {scheme!r}")
    if scale is not None:
        scale = check_positive(scale, "scale")
    return np.asarray(SCHEMES[name](tuple(shape), fan_in, fan_out, rng(seed), scale)).astype(dtype)


def theta(scheme, M_out, M_in, rng, dtype=np.float64, scale=None):
    r"""A homogeneous weight matrix :math:`\theta` of shape :math:`(M_{out}, M_{in} + 1)`, column 0 the thresholds.

    The weights :math:`\theta_{ij}, j \ge 1`, are drawn by `scheme` (fan-in :math:`M_{in}`, fan-out
    :math:`M_{out}`); the thresholds :math:`\theta_{i0}` are 0, except with ``uniform``, which draws the
    whole matrix.
    """
    name = check_scheme(scheme)
    if name in _DRAW_THRESHOLDS:
        return weights(name, (M_out, M_in + 1), M_in, M_out, rng, dtype, scale)
    out = np.zeros((M_out, M_in + 1), dtype=dtype)
    out[:, 1:] = weights(name, (M_out, M_in), M_in, M_out, rng, dtype, scale)
    return out
