r"""The error of a finite-difference derivative against its step h, for the gradient-checking page.

A difference quotient has two errors. **Truncation**: the Taylor terms it drops, :math:`O(h)` for the
forward difference, :math:`O(h^2)` for the central one. **Round-off**: f is computed with a relative
error of about the machine epsilon :math:`\varepsilon`, and dividing by h magnifies it,
:math:`O(\varepsilon / h)`. Their sum is smallest near :math:`h \approx \varepsilon^{1/2}` (forward)
and :math:`h \approx \varepsilon^{1/3}` (central): on a log–log plot the error against h is a V.
"""

import numpy as np

from .._validate import as_real_array
from ..gradcheck import numerical_partial, relative_errors

__all__ = ["error_vs_step", "loglog_slope", "best_step"]


def error_vs_step(f, analytic, x, steps, method="central", index=None):
    """Median relative error of the difference quotients of `f`, for each step h.

    Parameters
    ----------
    f : callable
        Scalar function of `x` (it may read `x` through a closure).
    analytic : array_like, the shape of `x`
        The exact gradient (e.g. BackProp's), the reference.
    x : ndarray, float64
        Perturbed in place and restored.
    steps : array_like
        The steps h, positive.
    method : {"central", "forward"}
    index : sequence of int, optional
        Flat indices of the entries to use; default every entry.

    Returns
    -------
    ndarray, float64, shape (len(steps),)
        For each h the median over the entries of
        :func:`nnlib.gradcheck.relative_errors`.
    """
    steps = as_real_array(steps, "steps", dtype=np.float64).reshape(-1)
    if steps.size == 0 or np.any(steps <= 0):
        raise ValueError(f"steps must be positive numbers; got {steps}")
    analytic = as_real_array(analytic, "analytic", dtype=np.float64)
    if analytic.shape != np.shape(x):
        raise ValueError(f"analytic must have the shape of x {np.shape(x)}; "
                         f"got shape {analytic.shape}")
    index = np.arange(analytic.size) if index is None else np.asarray(index)
    exact = analytic.reshape(-1)[index]
    out = []
    for h in steps:
        numeric = [numerical_partial(f, x, int(k), h, method) for k in index]
        out.append(np.median(relative_errors(exact, np.array(numeric))))
    return np.array(out)


def loglog_slope(x, y):
    """Least-squares slope of log y against log x (the exponent p of y ∝ x^p)."""
    x = as_real_array(x, "x", dtype=np.float64).reshape(-1)
    y = as_real_array(y, "y", dtype=np.float64).reshape(-1)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must have the same length, at least 2; "
                         f"got {x.size} and {y.size}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive (their logarithms are taken)")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def best_step(steps, errors):
    """The step h with the smallest error (the bottom of the V)."""
    steps = as_real_array(steps, "steps", dtype=np.float64).reshape(-1)
    errors = as_real_array(errors, "errors", dtype=np.float64).reshape(-1)
    if steps.shape != errors.shape or steps.size == 0:
        raise ValueError(f"errors must have one value per step ({steps.size}); "
                         f"got {errors.size}")
    return float(steps[np.argmin(errors)])
