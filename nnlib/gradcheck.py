r"""Gradient checks by central differences, in float64.

The central difference :math:`(f(x + \epsilon) - f(x - \epsilon)) / (2\epsilon)` has error
:math:`O(\epsilon^2)`; with ε = 1e-6 in float64 analytic and numerical derivatives of a smooth
function agree to about 1e-8 (relative).

``numerical_gradient`` and ``numerical_jacobian`` perturb a float64 array **in place**, one entry
at a time, and restore it. So `f` may read the array through a closure (a network's ``theta[l]``,
a layer's ``params["W"]``) and ignore its argument::

    err = check_grad(lambda _: net.loss(X, y), lambda _: net.grads["W"],
                     net.params["W"])
"""

import numpy as np

from dataclasses import dataclass

from ._validate import as_real_array, check_int, check_positive

__all__ = [
    "numerical_derivative", "numerical_gradient", "numerical_jacobian",
    "relative_error", "check_derivative", "check_grad", "check_jacobian", "check_layer",
    "relative_errors", "numerical_partial", "CoordinateCheck", "check_coordinates",
]


def _float64_array(x, name):
    """`x` itself if it is a writable float64 ndarray (perturbed in place), else a float64 copy."""
    if isinstance(x, np.ndarray):
        if x.dtype != np.float64:
            raise TypeError(f"{name} must be float64 for a central-difference check; got dtype {x.dtype}")
        if not x.flags.writeable:
            raise ValueError(f"{name} must be writable: it is perturbed in place and restored")
        as_real_array(x, name)  # rejects NaN / inf
        return x
    return as_real_array(x, name, dtype=np.float64).copy()


def _scalar(value):
    out = np.asarray(value, dtype=np.float64)
    if out.size != 1:
        raise ValueError(f"f must return a scalar; got shape {out.shape}")
    return out.reshape(())[()]


def numerical_derivative(f, z, eps=1e-6):
    r"""Elementwise derivative of an elementwise function: :math:`(f(z+\epsilon) - f(z-\epsilon)) / (2\epsilon)`.

    One vectorized call on each side (valid because f acts on each entry separately).

    Parameters
    ----------
    f : callable
        Elementwise function, e.g. ``nnlib.activations.sigmoid``.
    z : array_like
        Points (converted to float64).
    eps : float, default 1e-6
        Step ε.

    Returns
    -------
    ndarray, float64, shape of `z`
    """
    z = as_real_array(z, "z", dtype=np.float64)
    eps = check_positive(eps, "eps")
    return (np.asarray(f(z + eps), dtype=np.float64) - np.asarray(f(z - eps), dtype=np.float64)) / (2 * eps)


def numerical_gradient(f, x, eps=1e-6):
    r"""Gradient :math:`\partial f / \partial x` of a scalar function f, by central differences.

    `x` is perturbed in place entry by entry and restored (see the module docstring).

    Returns
    -------
    ndarray, float64, shape of `x`
    """
    x = _float64_array(x, "x")
    eps = check_positive(eps, "eps")
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)  # views of x and grad
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = _scalar(f(x))
        flat[i] = old - eps
        down = _scalar(f(x))
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


def numerical_jacobian(f, x, eps=1e-6):
    r"""Jacobian :math:`J = \partial f(x) / \partial x` by central differences.

    Returns
    -------
    ndarray, float64, shape ``f(x).shape + x.shape``
        For a vector function of a vector, (m, n) with :math:`J_{ij} = \partial f_i / \partial x_j`.
    """
    x = _float64_array(x, "x")
    eps = check_positive(eps, "eps")
    out_shape = np.shape(f(x))
    jac = np.empty((int(np.prod(out_shape)), x.size))
    flat = x.reshape(-1)
    for j in range(flat.size):
        old = flat[j]
        flat[j] = old + eps
        up = np.asarray(f(x), dtype=np.float64).reshape(-1)
        flat[j] = old - eps
        down = np.asarray(f(x), dtype=np.float64).reshape(-1)
        flat[j] = old
        jac[:, j] = (up - down) / (2 * eps)
    return jac.reshape(out_shape + x.shape)


def relative_error(a, b):
    r"""Relative error :math:`\max|a - b| \,/\, \max(10^{-12}, \max|a| + \max|b|)`.

    0 when a = b; about 1e-8 or less for a correct float64 gradient; near 1 for a wrong one.
    The floor 1e-12 keeps two zero arrays at error 0.
    """
    a = as_real_array(a, "a", dtype=np.float64)
    b = as_real_array(b, "b", dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"b must have the shape of a {a.shape}; got shape {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(1e-12, float(np.abs(a).max() + np.abs(b).max()))
    return float(np.abs(a - b).max() / scale)


def check_derivative(g, g_prime, z, eps=1e-6):
    """Relative error between ``g_prime(z)`` and the central difference of the elementwise `g`."""
    z = as_real_array(z, "z", dtype=np.float64)
    return relative_error(g_prime(z), numerical_derivative(g, z, eps))


def check_grad(f, grad, x, eps=1e-6):
    """Relative error between ``grad(x)`` and the central-difference gradient of the scalar `f`.

    `grad` is called before the numerical gradient, at the unperturbed `x`.
    """
    x = _float64_array(x, "x")
    analytic = np.array(grad(x), dtype=np.float64)  # a copy: grad may return a buffer f overwrites
    return relative_error(analytic, numerical_gradient(f, x, eps))


def check_jacobian(f, jac, x, eps=1e-6):
    """Relative error between ``jac(x)`` and the central-difference Jacobian of `f` (shape ``f(x).shape + x.shape``)."""
    x = _float64_array(x, "x")
    analytic = np.array(jac(x), dtype=np.float64)
    return relative_error(analytic, numerical_jacobian(f, x, eps))


def check_layer(layer, x, train=False, seed=0, eps=1e-6, before=None):
    r"""Gradient check of a modular layer (:mod:`nnlib.layers` contract), in float64.

    Uses the scalar :math:`q = \sum R \odot \text{layer.forward}(x)` with a fixed random R, so
    :math:`\partial q/\partial y = R`. Compares ``layer.backward(R)`` with the central difference in `x`,
    and ``layer.grads[name]`` with the central difference in every ``layer.params[name]``.

    Parameters
    ----------
    layer : nnlib.layers.base.Layer
    x : array_like
        An input batch (converted to a float64 copy).
    train : bool
        Passed to ``forward`` (training-mode behaviour, e.g. batch statistics).
    before : callable, optional
        Called with no arguments before every forward, e.g. to reseed a dropout layer so that every
        evaluation uses the same mask.

    Returns
    -------
    dict
        ``{"x": error, name: error, ...}``: relative errors, about 1e-8 or less when correct.
    """
    x = as_real_array(x, "x", dtype=np.float64).copy()
    reset = before if before is not None else (lambda: None)
    reset()
    y = layer.forward(x, train)
    R = np.random.default_rng(seed).standard_normal(np.shape(y))

    def q(_):
        reset()
        return float(np.sum(R * layer.forward(x, train)))

    reset()
    layer.forward(x, train)
    grad_x = np.array(layer.backward(R), dtype=np.float64)
    analytic = {name: np.array(g, dtype=np.float64) for name, g in layer.grads.items()}
    errors = {"x": relative_error(grad_x, numerical_gradient(q, x, eps))}
    for name, p in layer.params.items():
        if p.dtype != np.float64:
            raise TypeError(f"layer.params[{name!r}] must be float64 for a gradient check; got {p.dtype}")
        errors[name] = relative_error(analytic[name], numerical_gradient(q, p, eps))
    return errors


# ------------------------------------------------- checking your own code, one entry at a time


def relative_errors(a, n, tiny=1e-30):
    r"""Entry by entry :math:`|a - n| \,/\, \max(|a|, |n|, \text{tiny})`.

    `a` is the analytic derivative, `n` the numerical one. Dividing by the
    larger of the two makes the error symmetric and scale-free; `tiny`
    keeps two zeros at error 0 instead of 0/0.

    Returns
    -------
    ndarray, float64, the shape of `a`
    """
    a = as_real_array(a, "a", dtype=np.float64)
    n = as_real_array(n, "n", dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"n must have the shape of a {a.shape}; "
                         f"got shape {n.shape}")
    tiny = check_positive(tiny, "tiny")
    scale = np.maximum(np.maximum(np.abs(a), np.abs(n)), tiny)
    return np.abs(a - n) / scale


def numerical_partial(f, x, index, eps=1e-6, method="central"):
    r"""One partial derivative :math:`\partial f / \partial x_k`.

    Entry :math:`k` of `x` is moved by :math:`\pm\epsilon`. Central difference:
    :math:`(f(x + \epsilon e_k) - f(x - \epsilon e_k)) / (2\epsilon)`,
    error :math:`O(\epsilon^2)`; forward difference:
    :math:`(f(x + \epsilon e_k) - f(x)) / \epsilon`, error :math:`O(\epsilon)`.
    `x` (float64) is perturbed in place and restored, as in
    :func:`numerical_gradient`.

    Parameters
    ----------
    f : callable
        Scalar function of `x` (it may read `x` through a closure).
    x : ndarray, float64
    index : int or tuple of int
        The entry :math:`k`: a flat index or an index of ``x[index]``.
    eps : float, default 1e-6
        The step :math:`\epsilon` (the page on gradient checking calls it h).
    method : {"central", "forward"}
    """
    x = _float64_array(x, "x")
    eps = check_positive(eps, "eps")
    if method not in ("central", "forward"):
        raise ValueError(f"method must be 'central' or 'forward'; "
                         f"got {method!r}")
    flat = x.reshape(-1)
    if not isinstance(flat, np.ndarray) or not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous: it is perturbed in place")
    try:
        if isinstance(index, tuple):
            k = int(np.ravel_multi_index(index, x.shape))
        else:
            k = int(index)
    except (TypeError, ValueError):
        raise ValueError(f"index must be an int or a tuple indexing x of shape "
                         f"{x.shape}; got {index!r}") from None
    if not -flat.size <= k < flat.size:
        raise ValueError(f"index must be within the {flat.size} entries of x; "
                         f"got {index!r}")
    old = flat[k]
    try:
        flat[k] = old + eps
        up = _scalar(f(x))
        if method == "central":
            flat[k] = old - eps
            return (up - _scalar(f(x))) / (2 * eps)
        flat[k] = old
        return (up - _scalar(f(x))) / eps
    finally:
        flat[k] = old


@dataclass(frozen=True)
class CoordinateCheck:
    """Result of :func:`check_coordinates`: a few entries of a gradient.

    Attributes
    ----------
    index : ndarray of int
        The flat indices checked.
    analytic, numeric : ndarray, float64
        The gradient's entries there, by your code and by central differences.
    errors : ndarray, float64
        :func:`relative_errors` of each entry.
    """

    index: np.ndarray
    analytic: np.ndarray
    numeric: np.ndarray
    errors: np.ndarray


def check_coordinates(f, grad, x, k=10, seed=0, eps=1e-6):
    """Check `k` random entries of a large gradient: 2 k calls of `f`.

    A full check of D weights costs 2 D evaluations of `f`; a few random
    entries catch most bugs (a wrong layer, a wrong sign, a transposed
    array) at a fraction of that cost.

    Parameters
    ----------
    f : callable
        Scalar function of `x` (it may read `x` through a closure).
    grad : callable
        Your gradient; called once, at the unperturbed `x`.
    x : ndarray, float64
        Perturbed in place and restored.
    k : int, default 10
        How many entries (at most ``x.size``), drawn without replacement.
    seed : int, default 0
    eps : float, default 1e-6

    Returns
    -------
    CoordinateCheck
    """
    x = _float64_array(x, "x")
    k = check_int(k, "k", 1, "the number of entries to check")
    if k > x.size:
        raise ValueError(f"k must be at most x.size = {x.size}; got {k}")
    analytic = np.array(grad(x), dtype=np.float64)
    if analytic.shape != x.shape:
        raise ValueError(f"grad(x) must have the shape of x {x.shape}; "
                         f"got shape {analytic.shape}")
    rng = np.random.default_rng(seed)
    index = np.sort(rng.choice(x.size, k, replace=False))
    numeric = np.array([numerical_partial(f, x, int(i), eps) for i in index])
    picked = analytic.reshape(-1)[index]
    errors = relative_errors(picked, numeric)
    return CoordinateCheck(index, picked, numeric, errors)
