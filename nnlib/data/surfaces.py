r"""Test surfaces for optimizers: small error functions :math:`q(\boldsymbol\theta)` with their gradients, and the
path an optimizer of :mod:`nnlib.optim` takes on them.

Each surface is an object with ``q(theta)`` and ``gradient(theta)``; ``theta`` has shape ``(d,)`` (one point) or
``(d, ...)`` (a grid of points: ``q`` of every one at once, for contour plots). ``surface(theta)`` returns both,
``(q, gradient)``. A surface also carries a starting point ``start``, its minimum ``minimum`` (None where it has
several) and a plot window ``window = (θ1 min, θ1 max, θ2 min, θ2 max)``; ``grid()`` evaluates q over the window.

- :func:`valley`: the quadratic :math:`\frac12 \boldsymbol\theta^t H \boldsymbol\theta` with curvatures
  :math:`\lambda_1, \lambda_2` along axes turned by an angle: a long, narrow valley when
  :math:`\lambda_2 \gg \lambda_1`; :class:`Quadratic` for any symmetric :math:`H`;
- :class:`Plateau`: :math:`1 - e^{-(a_1\theta_1^2 + a_2\theta_2^2)}`, nearly flat far from its minimum;
- :class:`Rosenbrock`: :math:`(a - \theta_1)^2 + b(\theta_2 - \theta_1^2)^2`, a curved valley with a flat floor;
- :class:`DoubleWell` (one weight): a global and a worse local minimum; :class:`Saddle`: a saddle point between
  two minima; :class:`Quartic`: a steep quartic wall whose gradient explodes; :class:`SaturatedSigmoid` (one
  weight): the plateau of a saturated sigmoid node;
- :class:`LeastSquares`: the mean squared error of a linear fit, with its gradient on all the samples or on a
  random mini-batch at every call.

:func:`trajectory` runs an optimizer on a surface and returns the points it visits::

    path = surfaces.trajectory(optim.Momentum(0.019, nu=0.9),
                               surfaces.valley((1, 100)), (-8, 0.8), 800)

and :func:`best_rho` finds the learning rate of a grid with which an optimizer gets to a tolerance first.
"""

import math

import numpy as np

from .. import activations, optim
from .._validate import as_real_array, check_finite_scalar, check_int, check_positive

__all__ = ["Surface", "Quadratic", "valley", "Plateau", "Rosenbrock", "DoubleWell", "Saddle", "Quartic",
           "SaturatedSigmoid", "LeastSquares", "trajectory", "best_rho", "SURFACES", "surface"]


class Surface:
    r"""Base class: an error function :math:`q(\boldsymbol\theta)` of ``dim`` weights and its gradient.

    Subclasses implement ``q`` and ``gradient`` for ``theta`` of shape ``(dim,)`` or ``(dim, ...)``.

    Attributes
    ----------
    dim : int
        Number of weights.
    start : ndarray, shape (dim,)
        The usual starting point.
    minimum : ndarray or None
        The minimizer, where there is one.
    window : tuple of 4 floats or None
        ``(θ1 min, θ1 max, θ2 min, θ2 max)`` for a plot of a 2-D surface.
    """

    dim = 2

    def __init__(self, start, minimum=None, window=None):
        self.start = self._point(start, "start")
        self.minimum = None if minimum is None else self._point(minimum, "minimum")
        if window is not None:
            window = tuple(check_finite_scalar(w, "window") for w in window)
            if len(window) != 4 or window[0] >= window[1] or window[2] >= window[3]:
                raise ValueError(f"window must be (θ1 min, θ1 max, θ2 min, θ2 max) with min < max; got {window}")
        self.window = window

    def q(self, theta):
        """The error :math:`q(\\theta)`: a number for one point, an array of shape ``theta.shape[1:]`` for a grid."""
        raise NotImplementedError

    def gradient(self, theta):
        """:math:`\\nabla q(\\theta)`, the shape of `theta`."""
        raise NotImplementedError

    def __call__(self, theta):
        """``(q(theta), gradient(theta))``."""
        return self.q(theta), self.gradient(theta)

    def grid(self, n=150):
        """``(A, B, Q)``: an ``n`` by ``n`` grid over ``window`` (``np.meshgrid``) and q at every point."""
        if self.window is None or self.dim != 2:
            raise ValueError(f"grid() needs a 2-D surface with a window; {self!r} has dim {self.dim} and "
                             f"window {self.window}")
        x0, x1, y0, y1 = self.window
        A, B = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return A, B, self.q(np.stack([A, B]))

    def _point(self, value, name):
        value = as_real_array(value, name, dtype=np.float64)
        if value.shape != (self.dim,):
            raise ValueError(f"{name} must be a point of {self.dim} weights, shape ({self.dim},); got shape "
                             f"{value.shape}")
        return value

    def __repr__(self):
        return f"{type(self).__name__}(start={self.start.tolist()})"


def _theta(theta, dim):
    """`theta` as a float array whose first axis has `dim` entries (the weights)."""
    theta = np.asarray(theta, dtype=np.float64)
    if theta.ndim == 0 or theta.shape[0] != dim:
        raise ValueError(f"theta must have shape ({dim},) or ({dim}, ...), one entry per weight; got shape "
                         f"{theta.shape}")
    return theta


def _times(A, theta):
    r""":math:`A\boldsymbol\theta` for one point or every point of a grid: ``np.tensordot(A, theta, axes=1)``
    as one matrix product (tensordot's own bookkeeping costs more than the product of a 2 × 2 matrix)."""
    return (A @ theta.reshape(theta.shape[0], -1)).reshape(A.shape[:1] + theta.shape[1:])


class Quadratic(Surface):
    r"""The quadratic :math:`q(\boldsymbol\theta) = \frac12 \boldsymbol\theta^t H \boldsymbol\theta`, with
    :math:`\nabla q = H\boldsymbol\theta`; its curvatures are the eigenvalues of :math:`H`, its minimum 0 at
    :math:`\boldsymbol\theta^* = 0` when they are positive.

    Parameters
    ----------
    H : array_like, shape (d, d)
        A symmetric matrix (the Hessian).
    start : array_like, shape (d,)
        Starting point.
    window : tuple of 4 floats, optional
        Plot window of a 2-D surface.
    """

    def __init__(self, H, start, window=None):
        H = as_real_array(H, "H", dtype=np.float64)
        if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T, rtol=1e-12, atol=0):
            raise ValueError(f"H must be a symmetric square matrix; got shape {H.shape}")
        self.H, self.dim = H, H.shape[0]
        self.curvatures = np.linalg.eigvalsh(H)
        super().__init__(start, np.zeros(self.dim) if self.curvatures[0] > 0 else None, window)

    def q(self, theta):
        theta = _theta(theta, self.dim)
        return 0.5 * np.sum(theta * _times(self.H, theta), axis=0)                  # ½ θᵗ H θ

    def gradient(self, theta):
        return _times(self.H, _theta(theta, self.dim))                                # ∇q = H θ

    def __repr__(self):
        return f"Quadratic(H={self.H.tolist()}, start={self.start.tolist()})"


def valley(curvatures=(1.0, 10.0), angle=0.0, start=(-4.0, 1.5), window=None):
    r"""A narrow valley: :math:`q = \frac12 \boldsymbol\theta^t R\, \mathrm{diag}(\lambda_1, \lambda_2) R^t
    \boldsymbol\theta`, curvature :math:`\lambda_1` along the valley floor and :math:`\lambda_2` across it, the
    floor turned by `angle` degrees from the :math:`\theta_1` axis (:math:`R` the rotation by `angle`).

    Parameters
    ----------
    curvatures : (float, float), default (1, 10)
        :math:`\lambda_1, \lambda_2 > 0`; their ratio is the condition number.
    angle : float, default 0
        Angle of the floor, in degrees (0: along :math:`\theta_1`, each weight sees one curvature).
    start : (float, float), default (-4, 1.5)
    window : tuple of 4 floats, optional
        Default: the square :math:`[-r, r]^2` with r 1.2 times the largest coordinate of the start.

    Returns
    -------
    Quadratic
    """
    lam = np.array([check_positive(c, "curvatures") for c in curvatures])
    if lam.shape != (2,):
        raise ValueError(f"curvatures must be two numbers > 0 (along and across the valley); got {curvatures!r}")
    a = math.radians(check_finite_scalar(angle, "angle"))
    R = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    H = R @ np.diag(lam) @ R.T
    if window is None:
        r = max(1.2 * float(np.abs(np.asarray(start, dtype=float)).max()), 1.0)
        window = (-r, r, -r, r)
    return Quadratic(H, start, window)


class Plateau(Surface):
    r""":math:`q(\boldsymbol\theta) = 1 - e^{-(a_1\theta_1^2 + a_2\theta_2^2)}`: a bowl around the minimum 0 at the
    origin, nearly flat (a plateau) far from it;
    :math:`\nabla q = 2\,(a_1\theta_1, a_2\theta_2)\, e^{-(a_1\theta_1^2 + a_2\theta_2^2)}`.

    Parameters
    ----------
    a : (float, float), default (1/8, 1/2)
        :math:`a_1, a_2 > 0`, the curvatures at the bottom.
    start : (float, float), default (5, 2)
    window : tuple of 4 floats, default (-6, 6, -3, 3)
    """

    def __init__(self, a=(0.125, 0.5), start=(5.0, 2.0), window=(-6, 6, -3, 3)):
        self.a = np.array([check_positive(v, "a") for v in a])
        super().__init__(start, (0.0, 0.0), window)

    def _e(self, theta):
        return np.exp(-np.tensordot(self.a, theta ** 2, axes=1))                     # e^{−(a1 θ1² + a2 θ2²)}

    def q(self, theta):
        return 1.0 - self._e(_theta(theta, 2))

    def gradient(self, theta):
        theta = _theta(theta, 2)
        a = self.a.reshape((2,) + (1,) * (theta.ndim - 1))
        return 2.0 * a * theta * self._e(theta)


class Rosenbrock(Surface):
    r"""Rosenbrock's function :math:`q = (a - \theta_1)^2 + b\,(\theta_2 - \theta_1^2)^2`, minimum 0 at
    :math:`(a, a^2)` at the end of a curved valley with a nearly flat floor;
    :math:`\nabla q = \big(-2(a - \theta_1) - 4b\,\theta_1(\theta_2 - \theta_1^2),\; 2b\,(\theta_2 - \theta_1^2)\big)`.

    Parameters
    ----------
    a, b : float, default 1, 100
    start : (float, float), default (-1.5, 2)
    window : tuple of 4 floats, default (-2, 2, -1, 3)
    """

    def __init__(self, a=1.0, b=100.0, start=(-1.5, 2.0), window=(-2, 2, -1, 3)):
        self.a, self.b = check_finite_scalar(a, "a"), check_positive(b, "b")
        super().__init__(start, (self.a, self.a ** 2), window)

    def q(self, theta):
        x, y = _theta(theta, 2)
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def gradient(self, theta):
        x, y = _theta(theta, 2)
        return np.array([-2 * (self.a - x) - 4 * self.b * x * (y - x * x), 2 * self.b * (y - x * x)])


class DoubleWell(Surface):
    r"""One weight, :math:`q(\theta) = (\theta^2 - 1)^2 + c\,\theta`: for a small tilt :math:`c > 0` a global
    minimum near :math:`-1` and a worse local one near :math:`+1`; :math:`q'(\theta) = 4\theta(\theta^2 - 1) + c`.

    Parameters
    ----------
    tilt : float, default 0.3
        :math:`c`.
    start : (float,), default (1.5,)
    """

    dim = 1

    def __init__(self, tilt=0.3, start=(1.5,)):
        self.tilt = check_finite_scalar(tilt, "tilt")
        super().__init__(start)

    def q(self, theta):
        (th,) = _theta(theta, 1)
        return (th ** 2 - 1) ** 2 + self.tilt * th

    def gradient(self, theta):
        (th,) = _theta(theta, 1)
        return np.array([4 * th * (th ** 2 - 1) + self.tilt])


class Saddle(Surface):
    r""":math:`q(\boldsymbol\theta) = \frac12\theta_1^2 - \frac12\theta_2^2 + \frac14\theta_2^4`: a saddle point
    at the origin, minima at :math:`(0, \pm 1)`; :math:`\nabla q = (\theta_1,\; -\theta_2 + \theta_2^3)`.

    Parameters
    ----------
    start : (float, float), default (2, 0)
    window : tuple of 4 floats, default (-2.2, 2.2, -1.5, 1.5)
    """

    def __init__(self, start=(2.0, 0.0), window=(-2.2, 2.2, -1.5, 1.5)):
        super().__init__(start, None, window)

    def q(self, theta):
        t1, t2 = _theta(theta, 2)
        return 0.5 * t1 ** 2 - 0.5 * t2 ** 2 + 0.25 * t2 ** 4

    def gradient(self, theta):
        t1, t2 = _theta(theta, 2)
        return np.array([t1, -t2 + t2 ** 3])


class Quartic(Surface):
    r""":math:`q(\boldsymbol\theta) = \frac14\theta_1^4 + \frac12\theta_2^2`, a steep quartic wall along
    :math:`\theta_1`: far from the minimum 0 at the origin the gradient :math:`(\theta_1^3, \theta_2)` grows so
    fast that gradient descent overshoots further at every step (an exploding gradient).

    Parameters
    ----------
    start : (float, float), default (3, 3)
    window : tuple of 4 floats, default (-6, 6, -4, 4)
    """

    def __init__(self, start=(3.0, 3.0), window=(-6, 6, -4, 4)):
        super().__init__(start, (0.0, 0.0), window)

    def q(self, theta):
        t1, t2 = _theta(theta, 2)
        return 0.25 * t1 ** 4 + 0.5 * t2 ** 2

    def gradient(self, theta):
        t1, t2 = _theta(theta, 2)
        return np.array([t1 ** 3, t2])


class SaturatedSigmoid(Surface):
    r"""One weight :math:`\theta`, one sample with input 1 and target 1, a sigmoid output :math:`g_S(\theta)` and
    the squared error :math:`q(\theta) = \frac12 (1 - g_S(\theta))^2`, with
    :math:`q'(\theta) = -(1 - g_S)\, g_S (1 - g_S)`: for :math:`\theta \ll 0` the node saturates, the output is
    wrong and the gradient tiny (a plateau).

    Parameters
    ----------
    start : (float,), default (-6,)
    """

    dim = 1

    def __init__(self, start=(-6.0,)):
        super().__init__(start)

    def q(self, theta):
        (th,) = _theta(theta, 1)
        return 0.5 * (1 - activations.sigmoid(th)) ** 2

    def gradient(self, theta):
        (th,) = _theta(theta, 1)
        s = activations.sigmoid(th)
        return np.array([-(1 - s) * s * (1 - s)])


class LeastSquares(Surface):
    r"""The error of a linear fit :math:`t \approx \boldsymbol\theta^t \mathbf{x}` on N samples,

    .. math:: q(\boldsymbol\theta) = \frac{1}{2N} \sum_{n=1}^N (t_n - \boldsymbol\theta^t \mathbf{x}_n)^2, \qquad
              \nabla q = -\frac{1}{N} \sum_{n=1}^N (t_n - \boldsymbol\theta^t \mathbf{x}_n)\, \mathbf{x}_n

    (a network with no hidden layer and a linear output), minimum at the solution of :math:`\nabla q = 0`.

    Parameters
    ----------
    X : array_like, shape (N, d)
        Inputs.
    t : array_like, shape (N,)
        Targets.
    start : array_like, shape (d,)
    batch : int, optional
        If given, every call of ``gradient`` uses ``batch`` samples drawn at random without replacement (a
        stochastic gradient, as in mini-batch SGD); ``q`` is always over all samples.
    seed : int, default 0
        Seed of the mini-batch draws.
    window : tuple of 4 floats, optional
    """

    def __init__(self, X, t, start, batch=None, seed=0, window=None):
        self.X = as_real_array(X, "X", dtype=np.float64)
        self.t = as_real_array(t, "t", dtype=np.float64)
        if self.X.ndim != 2 or self.t.shape != (self.X.shape[0],):
            raise ValueError(f"X must have shape (N, d) and t shape (N,); got {self.X.shape} and {self.t.shape}")
        self.N, self.dim = self.X.shape
        if batch is not None:
            batch = check_int(batch, "batch", 1, "samples per gradient, at most N", maximum=self.N)
        self.batch, self._draws = batch, np.random.default_rng(seed)
        minimum = np.linalg.solve(self.X.T @ self.X, self.X.T @ self.t)                 # ∇q = 0
        super().__init__(start, minimum, window)

    def q(self, theta):
        theta = _theta(theta, self.dim)
        residual = self.t.reshape((self.N,) + (1,) * (theta.ndim - 1)) - _times(self.X, theta)
        return 0.5 * np.mean(residual ** 2, axis=0)

    def gradient(self, theta):
        theta = _theta(theta, self.dim)
        rows = slice(None) if self.batch is None else self._draws.choice(self.N, size=self.batch, replace=False)
        X, t = self.X[rows], self.t[rows]
        return -(X.T @ (t - X @ theta)) / len(X)


def trajectory(optimizer, surface, start=None, steps=100, tol=None, clip=None, q_max=1e8):
    r"""The points :math:`\boldsymbol\theta(0), \boldsymbol\theta(1), \dots` that `optimizer` visits on `surface`,
    one update ``optimizer.step([theta], [gradient])`` each.

    Parameters
    ----------
    optimizer : nnlib.optim.Optimizer
        Updates the point in place (its state carries over between calls: pass a fresh one for a fresh run).
    surface : Surface
    start : array_like, shape (dim,), optional
        :math:`\boldsymbol\theta(0)`; default ``surface.start``.
    steps : int, default 100
        At most this many updates.
    tol : float, optional
        Stop at the first point with :math:`q < \text{tol}`.
    clip : callable, optional
        Called with the list ``[gradient]`` before each update; it may change the array in place (as
        :func:`nnlib.layers.regularization.clip_by_norm` does) or return a new list of arrays.
    q_max : float or None, default 1e8
        Stop at the first point with :math:`q > q_\max` (diverged); with None only where q or the gradient is
        not finite.

    Returns
    -------
    ndarray, shape (k + 1, dim)
        The start and the point after each of the k updates done; the last one is the point where it stopped.
    """
    if not isinstance(optimizer, optim.Optimizer):
        raise TypeError(f"optimizer must be an nnlib.optim.Optimizer; got {type(optimizer).__name__}")
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be an nnlib.data.surfaces.Surface; got {type(surface).__name__}")
    theta = surface.start.copy() if start is None else surface._point(start, "start")
    steps = check_int(steps, "steps", 0, "the most updates")
    tol = None if tol is None else check_positive(tol, "tol")
    q_max = math.inf if q_max is None else check_positive(q_max, "q_max")
    if clip is not None and not callable(clip):
        raise TypeError(f"clip must be callable (it receives the list [gradient]); got {type(clip).__name__}")
    path = [theta.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        q = surface.q(theta)
        for _ in range(steps):
            if tol is not None and q < tol:
                break
            grads = [surface.gradient(theta)]
            if not np.isfinite(grads[0]).all():
                break
            if clip is not None:
                clipped = clip(grads)
                grads = grads if clipped is None or not isinstance(clipped, (list, tuple)) else list(clipped)
            optimizer.step([theta], grads, check=clip is not None)    # the gradient was checked above
            path.append(theta.copy())
            q = surface.q(theta)
            if not np.isfinite(q) or q > q_max:
                break
    return np.array(path)


def best_rho(optimizer, surface, rhos, steps, tol, start=None, **hyper):
    r"""The learning rate of `rhos` with which `optimizer` gets to :math:`q < \text{tol}` in the fewest updates.

    Each :math:`\rho` of `rhos` runs ``optim.get(optimizer, rho=rho, **hyper)`` from `start` for at most `steps`
    updates (:func:`trajectory`, which also stops a run that diverges). The best reaches the tolerance first; if
    none does, the one whose last :math:`q` is lowest; ties go to the smaller :math:`\rho`.

    Parameters
    ----------
    optimizer : str
        A name of ``nnlib.optim.OPTIMIZERS``.
    surface : Surface
    rhos : sequence of float
        The learning rates to try, each > 0.
    steps : int
        At most this many updates per run.
    tol : float
        The tolerance on q, > 0.
    start : array_like, optional
        Default ``surface.start``.
    **hyper
        Other hyperparameters of the optimizer.

    Returns
    -------
    rho : float
    k : int or None
        Updates to reach :math:`q < \text{tol}` with that :math:`\rho`; None if no :math:`\rho` reached it.
    path : ndarray, shape (n + 1, dim)
        Its trajectory.
    """
    if len(rhos) == 0:
        raise ValueError("rhos must hold at least one learning rate; got an empty sequence")
    runs, first = [], steps          # a run that needs more updates than the fastest so far cannot win: cut
    with np.errstate(over="ignore", invalid="ignore"):                 # the runs that diverge
        for rho in sorted(rhos, reverse=True):                         # the fast ones first
            path = trajectory(optim.get(optimizer, rho=rho, **hyper), surface, start, first, tol)
            q_end = surface.q(path[-1])
            runs.append((len(path) - 1 if q_end < tol else math.inf, q_end, rho, path))
            first = min(first, runs[-1][0])
    k, q_end, rho, path = min(runs, key=lambda run: run[:3])
    return rho, (None if math.isinf(k) else k), path


#: The named surfaces of the convergence explorer (:func:`nnlib.book.explore.convergence_run`).
SURFACES = {
    "valley": valley((1.0, 10.0), start=(-4.0, 1.5), window=(-5, 5, -2.5, 2.5)),
    "plateau": Plateau(),
    "rosenbrock": Rosenbrock(),
}


def surface(problem):
    """``(f, start, minimum, window)`` of the surface named `problem` (a key of ``SURFACES``), with
    ``f(theta) -> (q, gradient)``: the form the convergence explorer unpacks."""
    if problem not in SURFACES:
        raise ValueError(f"problem must be one of {', '.join(SURFACES)}; got {problem!r}")
    s = SURFACES[problem]
    return s, tuple(s.start.tolist()), tuple(s.minimum.tolist()), s.window
