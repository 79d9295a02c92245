r"""Universal approximation by bumps: a one-hidden-layer perceptron whose weights are computed, not trained.

The constructive picture of Nielsen (2015, ch. 4). A sigmoid unit with a large weight :math:`w` is almost a step:

.. math:: g_S(\theta_0 + \theta_1 x), \quad \theta_1 = w, \ \theta_0 = -w a
          \qquad\text{steps from 0 to 1 at } x = a.

Two such units, a step up at :math:`a` and a step down at :math:`b`, make a **bump** of height :math:`h` on
:math:`[a, b]` when the output unit adds them with weights :math:`+h` and :math:`-h`. Bumps of heights
:math:`h_i = f(c_i)` on consecutive intervals make a staircase that follows any continuous :math:`f` on a
compact interval :math:`[x_{lo}, x_{hi}]`: :func:`bump_network` builds it as an
:class:`~nnlib.mlp.network.MLP` with :math:`2n` sigmoid hidden units and a linear output.

>>> import numpy as np
>>> net = bump_network(np.sin, n=4, lo=0.0, hi=3.0, steepness=400.0)
>>> net.M
(1, 8, 1)
"""

import numbers

import numpy as np

from .._validate import check_int, check_positive
from ..mlp.network import MLP

__all__ = ["bump_edges", "bump_network"]


def bump_edges(n, lo=0.0, hi=1.0):
    r"""The edges :math:`a_0 < a_1 < \dots < a_n` of :math:`n` bumps covering :math:`[x_{lo}, x_{hi}]`, and their centres.

    The interval is cut into :math:`n` pieces of width :math:`\Delta = (x_{hi} - x_{lo})/n`; bump :math:`i`
    spans :math:`[a_{i-1}, a_i]` and has its centre :math:`c_i` in the middle of its piece. The two outer edges
    are moved :math:`\Delta/2` outwards, :math:`a_0 = x_{lo} - \Delta/2` and :math:`a_n = x_{hi} + \Delta/2`, so
    that the sigmoids' half-way value (a step at :math:`a` is :math:`\frac12` at :math:`x = a`) falls outside
    the interval.

    Parameters
    ----------
    n : int
        The number of bumps, >= 1.
    lo, hi : float
        The interval :math:`[x_{lo}, x_{hi}]`, ``lo < hi``.

    Returns
    -------
    edges : ndarray, shape (n + 1,)
    centres : ndarray, shape (n,)
    """
    n = check_int(n, "n", 1, "number of bumps")
    lo, hi = _interval(lo, hi)
    width = (hi - lo) / n
    edges = lo + width * np.arange(n + 1, dtype=float)
    centres = (edges[:-1] + edges[1:]) / 2
    edges[0] -= width / 2
    edges[-1] += width / 2
    return edges, centres


def _interval(lo, hi):
    for value, name in ((lo, "lo"), (hi, "hi")):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
            raise TypeError(f"{name} must be a finite real number (an end of the interval); got {value!r}")
    if not lo < hi:
        raise ValueError(f"lo must be smaller than hi (the interval [lo, hi]); got lo = {lo}, hi = {hi}")
    return float(lo), float(hi)


def bump_network(f, n, lo=0.0, hi=1.0, steepness=None):
    r"""The 1-2n-1 perceptron that draws f on [lo, hi] as n bumps.

    Bump :math:`i` (edges :math:`a_{i-1} < a_i` from :func:`bump_edges`,
    height :math:`h_i = f(c_i)` at its centre) is made of hidden unit
    :math:`2i - 1`, a step up at :math:`a_{i-1}`, and hidden unit
    :math:`2i`, a step down at :math:`a_i`:

    .. math::
        \theta^1_{2i-1} &= (-w a_{i-1},\ w), \quad
        \theta^1_{2i} = (-w a_i,\ w), \\
        \theta^2_{1, 2i-1} &= h_i, \quad
        \theta^2_{1, 2i} = -h_i, \quad \theta^2_{10} = 0,

    so the output is
    :math:`s^2(x) = \sum_i h_i [g_S(w(x - a_{i-1})) - g_S(w(x - a_i))]`.

    Parameters
    ----------
    f : callable
        The function, called once on the array of the n centres; it must
        return n finite numbers.
    n : int
        The number of bumps (the network has 2n hidden units), >= 1.
    lo, hi : float
        The compact interval :math:`[x_{lo}, x_{hi}]`.
    steepness : float, optional
        The weight :math:`w > 0` of every hidden unit, the slope of its
        step. Default :math:`20 n / (x_{hi} - x_{lo})`, twenty over the
        width of a bump.

    Returns
    -------
    MLP
        ``M = (1, 2n, 1)``, ``g = (sigmoid, linear)``.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x (called on an array "
                        f"of centres); got {type(f).__name__}")
    edges, centres = bump_edges(n, lo, hi)
    n = len(centres)
    if steepness is None:
        w = 20.0 * n / (hi - lo)
    else:
        w = check_positive(steepness, "steepness")
    h = np.asarray(f(centres.copy()), dtype=float).reshape(-1)
    if h.shape != (n,) or not np.all(np.isfinite(h)):
        raise ValueError(
            f"f must return {n} finite heights, one per centre; got shape "
            f"{h.shape}" + (" with non-finite values" if h.size == n else ""))
    # the steps a_0, a_1 (bump 1), a_1, a_2 (bump 2), ..., a_{n-1}, a_n
    a = np.column_stack([edges[:-1], edges[1:]]).reshape(-1)
    # phi = w (x - a): threshold -w a, weight w
    theta1 = np.column_stack([-w * a, np.full(2 * n, w)])
    # output: threshold 0, then +h_i, -h_i for the two steps of bump i
    theta2 = np.r_[0.0, np.column_stack([h, -h]).reshape(-1)][None, :]
    return MLP(M=[1, 2 * n, 1], g=["sigmoid", "linear"],
               theta=[theta1, theta2])
