r"""The computations behind the book's interactive explorers: plain data, numpy only, no plotting.

Each function runs a small optimisation and returns a dataclass of numpy arrays, flags and text that
:mod:`nnlib.book.widgets` draws (and the tests check directly). They never raise on a bad learning rate: a run
whose weights or error blow up stops there, sets ``diverged = True`` and keeps the finite prefix, so the
returned arrays hold no NaN and no infinity.

Every run goes through :func:`nnlib.loop.run`, the epoch loop every trainer of nnlib shares (on a surface one
"epoch" is one update), watched by its :class:`~nnlib.loop.DivergenceCheck`: ``_explore`` turns the
:class:`~nnlib.loop.Diverged` it raises into the ``diverged`` flag and keeps what the loop recorded before.

- :func:`gd_quadratic`: gradient descent on :math:`q(\theta) = \tfrac12 \sum_i \xi_i \theta_i^2` and the
  regime of :math:`\rho\xi_{\max}` (slide "Selección del factor de aprendizaje");
  :func:`gd_mlp`: batch BackProp on a small fixed MLP task.
- :func:`convergence_run`, :func:`compare_optimizers`, :func:`compare_methods`: an optimizer of
  :mod:`nnlib.optim` on a test surface (valley, plateau, Rosenbrock) or an MLP, with the step at which each
  stopping condition of the slide "Condiciones de convergencia" would fire.
- :func:`playground`: an MLP classifier on a 2-D toy data set (circle, xor, gauss, spiral) with mini-batch
  training, optional L2 regularisation, and its decision regions.
- :func:`heavy_ball_matrix`, :func:`heavy_ball_rate`, :func:`optimal_gd`, :func:`optimal_heavy_ball`,
  :func:`damping`, :func:`quadratic_path`, :func:`iterations_to_tol`: momentum on a quadratic, exactly (the
  why-momentum-works page).
- :func:`lr_range_test`, :func:`decay_only`, :class:`AdamL2`: the learning-rate range test and the
  experiments on weight decay (the schedules-and-weight-decay page).
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_int
from .. import losses, optim
from ..mlp.workspace import Workspace
from ..mlp.network import MLP
from ..loop import BLOWUP, Diverged, DivergenceCheck, History, blocks, run
from ..data.datasets import DATASETS, make_dataset   # re-exported: the playground's data sets
from ..data.surfaces import surface                   # the convergence runs' test surfaces (valley, plateau, rosenbrock)

__all__ = ["QuadraticRun", "MLPRun", "ConvergenceRun", "PlaygroundResult", "gd_quadratic", "gd_mlp",
           "rho_regime", "regime_title", "convergence_run", "compare_optimizers", "compare_methods", "playground",
           "make_dataset", "PROBLEMS", "DATASETS", "METHODS", "optimizer_names",
           "heavy_ball_matrix", "heavy_ball_rate", "optimal_gd", "optimal_heavy_ball", "damping", "quadratic_path",
           "iterations_to_tol", "RangeTest", "lr_range_test", "decay_only", "AdamL2"]

#: The size of θ or q beyond this counts as divergence (the iteration stops there).
HUGE = 1e8
# The MLP runs (gd_mlp, convergence_run on "mlp", playground) also stop, with ``diverged``, when the test every
# training loop of nnlib shares fires (nnlib.loop.DivergenceCheck): the error stays above BLOWUP (10) times its
# initial value for 3 epochs in a row. With a softmax output the cross-entropy grows only linearly in the
# logits, so a far too large rho throws the weights around without ever reaching infinity.

PROBLEMS = ("valley", "plateau", "rosenbrock", "mlp")
METHODS = ("batch", "minibatch", "incremental")


# --------------------------------------------------------------------------------------- optimizers

def optimizer_names():
    """The optimizer names available in :mod:`nnlib.optim` (``optim.OPTIMIZERS`` when present)."""
    reg = getattr(optim, "OPTIMIZERS", None)
    return tuple(reg) if reg else ("sgd", "momentum")


def _make_optimizer(name, rho, nu=None, **hyper):
    """``optim.get(name, rho=rho, ...)``; `nu` is passed only to the optimizers that take it."""
    key = str(name).strip().lower()
    if nu is not None and key in ("momentum", "nesterov"):
        hyper["nu"] = nu
    getter = getattr(optim, "get", None)
    if getter is not None:
        return getter(key, rho=rho, **hyper)
    if key == "sgd":
        return optim.SGD(rho)
    if key == "momentum":
        return optim.Momentum(rho, **hyper)
    raise ValueError(f"optimizer must be one of {', '.join(optimizer_names())}; got {name!r}")


# ------------------------------------------------------------------------- the runs: nnlib.loop

def _explore(opt, start, step, n, blowup=None, numpy_errors="ignore"):
    r"""Run `n` epochs of `step` in :func:`nnlib.loop.run`; a divergence ends the run instead of raising.

    ``start(watch)`` is the loss of the initial point, ``step(watch)`` runs one epoch (on a surface: one update)
    and returns its loss; both may stop the run through :func:`_bounded`. `blowup` is the factor of the shared
    test (None: only NaN, infinity and :data:`HUGE` stop the run); `numpy_errors` is how overflow and invalid
    operations are handled meanwhile (``"raise"``: they stop the run too).

    Returns
    -------
    history : nnlib.loop.History
        ``q0`` and the loss of each epoch run (the last may be a loss that blew up; it is finite).
    diverged : bool
    """
    history = History()
    watch = DivergenceCheck(opt, history, blowup)
    try:
        run(history, watch, lambda: start(watch), lambda: step(watch), n, over=numpy_errors, invalid=numpy_errors)
    except Diverged:
        return history, True
    return history, False


def _bounded(watch, q, grads=(), theta=()):
    """`q`, once rule 1 of the shared test holds (`q` and `grads` finite: ``watch.check_update``) and the
    explorers' bound too (`q` and every array of `theta` within :data:`HUGE`); else :class:`~nnlib.loop.Diverged`."""
    watch.check_update(q, [*grads, *theta])
    if q > HUGE or any(np.abs(th).max() > HUGE for th in theta):
        raise watch.error(f"q or |θ| went beyond {HUGE:g}")
    return q


def _targets(net, t):
    """`t` as the (N, M_L) float array BackProp compares the output with: int class labels become one-hot."""
    t = np.asarray(t)
    if t.ndim == 1 and net.M[-1] >= 2:
        return losses.one_hot(t, net.M[-1])
    return t.reshape(len(t), net.M[-1]).astype(float)


def _train(net, X, t, opt, epochs, B, rng=None, loss="squared_error", lam=0.0, test=None):
    r"""Train `net` by blocks of `B` samples (a new order from `rng` every epoch; None: the stored order) on
    ``_explore``, with the shared divergence test.

    Each block b makes one update :math:`\theta \leftarrow \theta - \rho\, \nabla (q_b + \frac{\lambda}{2}\sum w^2)`
    (``opt.apply``, the update of ``opt.step``); after each epoch :math:`q_S` on (X, t), and on
    ``test = (X_test, t_test)`` if given, is recorded. If training diverges, `net` keeps the weights of the last
    epoch recorded.

    The gradients and the errors come from :class:`nnlib.mlp.workspace.Workspace`, the training loops' fast path
    (BackProp on blocks in arrays allocated once: the formulas of :func:`nnlib.mlp.backprop.gradient` and
    :func:`~nnlib.mlp.backprop.cost`, tested equal to them): the arguments were checked by the caller, and a NaN
    or an overflow stops the run through numpy's errors (``numpy_errors="raise"``), not a check per block.

    Returns
    -------
    history : nnlib.loop.History
        ``q0``, ``q``, ``updates`` and ``dtheta_norm`` per epoch.
    q_test : list of float
        :math:`q_S` on `test` before training and after each epoch recorded.
    diverged : bool
    """
    T = _targets(net, t)
    ws = Workspace(net, X, T, loss, min(B, len(X)))                # the blocks' gradients
    whole = Workspace(net, X, T, loss, len(X))                     # q_S on all of S, one block
    on_test = None if test is None else Workspace(net, test[0], _targets(net, test[1]), loss, len(test[0]))
    q_test, updates, dtheta = [], [0], []
    kept = [th.copy() for th in net.theta[1:]]

    def start(watch):
        if on_test is not None:
            q_test.append(_bounded(watch, on_test.cost()))
        return _bounded(watch, whole.cost())

    def epoch(watch):
        n = 0
        for b in blocks(len(X), B, rng):
            q, grad = ws.gradient(b)
            _add_l2(net, grad, lam)
            opt.apply(net.theta, grad)                                 # θ ← θ − ρ ∇q_b (or opt's rule)
            n += 1
        q = _bounded(watch, whole.cost())
        if on_test is not None:
            q_test.append(_bounded(watch, on_test.cost()))
        updates.append(updates[-1] + n)
        dtheta.append(math.sqrt(sum(float(np.vdot(th - k, th - k)) for th, k in zip(net.theta[1:], kept))))
        kept[:] = [th.copy() for th in net.theta[1:]]
        return q

    history, diverged = _explore(opt, start, epoch, epochs, blowup=BLOWUP, numpy_errors="raise")
    history.updates, history.dtheta_norm = updates[1:], dtheta     # one entry per epoch recorded
    if diverged:
        net.theta[1:] = kept                                           # the weights of the last epoch recorded
    return history, q_test, diverged


# ------------------------------------------------------------------------------- 1. learning rate

@dataclass
class QuadraticRun:
    r"""Gradient descent on :math:`q(\theta) = \frac12 \sum_i \xi_i \theta_i^2` (see :func:`gd_quadratic`).

    Attributes
    ----------
    theta : ndarray, shape (n + 1, d)
        :math:`\theta(0), \dots, \theta(n)`; n = `steps`, or fewer when the run diverged.
    q : ndarray, shape (n + 1,)
        :math:`q(\theta(k))`.
    rho, curvature : float, tuple
    rho_xi : float
        :math:`\rho \xi_{\max}`, which decides the regime.
    status : str
        The regime, :func:`rho_regime` of :math:`\rho\xi_{\max}`: ``"monotone convergence"``,
        ``"one-step convergence"``, ``"oscillating convergence"``, ``"bounded oscillation"`` or ``"divergence"``
        (in 2-D and more, prefixed by ``"along ξ_max: "``).
    diverged : bool
        The iteration blew up (:math:`|\theta|` or q beyond 1e8) and was stopped.
    text : str
        One line for a plot title.
    """
    theta: np.ndarray
    q: np.ndarray
    rho: float
    curvature: tuple
    rho_xi: float
    status: str
    diverged: bool
    text: str


def rho_regime(rho, xi, dim=1):
    r"""The regime of gradient descent on a quadratic with largest curvature :math:`\xi` (the Hessian's
    largest eigenvalue).

    The update :math:`\theta \leftarrow (1 - \rho\xi)\theta` along the eigenvector of :math:`\xi`
    multiplies :math:`\theta` by :math:`r = 1 - \rho\xi` at every step (LeCun et al. 1998, "Efficient
    BackProp", figure 6), so :math:`\rho\xi` alone decides:

    - :math:`0 < \rho\xi < 1`: ``"monotone convergence"``, from one side, by the factor
      :math:`|1 - \rho\xi|` per step (fast near 1, slow near 0);
    - :math:`\rho\xi = 1`: ``"one-step convergence"``, the minimum in one step (:math:`\rho = 1/\xi`);
    - :math:`1 < \rho\xi < 2`: ``"oscillating convergence"``, side to side, the amplitude shrinking by the
      factor :math:`|1 - \rho\xi|` per step;
    - :math:`\rho\xi = 2`: ``"bounded oscillation"``, between :math:`\theta_0` and :math:`-\theta_0`
      for ever;
    - :math:`\rho\xi > 2`: ``"divergence"``, the amplitude growing by :math:`|1 - \rho\xi|` per step.

    The two boundaries are matched to a relative 1e-9, so that a :math:`\rho\xi` computed in float
    (``(1/3) * 6``) lands on them. In ``dim > 1`` dimensions the regime is that of the stiffest direction, and
    the string says so (``"along ξ_max: ..."``); the flatter directions converge more slowly.

    Parameters
    ----------
    rho, xi : float
        The learning rate :math:`\rho > 0` and the largest curvature :math:`\xi > 0`.
    dim : int, default 1
        The number of weights.
    """
    r = float(rho) * float(xi)
    if not (math.isfinite(r) and r > 0):
        raise ValueError(f"rho * xi must be a finite number > 0 (rho and xi > 0); got rho={rho!r}, "
                         f"xi={xi!r}")
    if math.isclose(r, 1.0, rel_tol=1e-9):
        regime = "one-step convergence"
    elif r < 1:
        regime = "monotone convergence"
    elif math.isclose(r, 2.0, rel_tol=1e-9):
        regime = "bounded oscillation"
    elif r < 2:
        regime = "oscillating convergence"
    else:
        regime = "divergence"
    return regime if dim == 1 else f"along ξ_max: {regime}"


def regime_title(rho, xi, dim=1):
    r"""A plot title for :func:`rho_regime`: :math:`\rho\xi`, the regime and, where the amplitude changes
    by a factor per step, that factor :math:`|1 - \rho\xi|` (e.g. ``"ρξ = 0.6: monotone convergence,
    factor |1 − ρξ| = 0.4"``)."""
    r = float(rho) * float(xi)
    regime = rho_regime(rho, xi, dim)
    name = "ρξ" if dim == 1 else "ρξ_max"
    title = f"{name} = {r:.3g}: {regime}"
    if not regime.endswith(("one-step convergence", "bounded oscillation")):
        title += f", factor |1 − {name}| = {abs(1 - r):.3g}"
    return title


def _check_rho(rho):
    rho = float(rho)
    if not (math.isfinite(rho) and rho > 0):
        raise ValueError(f"rho must be a finite number > 0 (the learning rate); got {rho!r}")
    return rho


def gd_quadratic(rho, curvature=(1.0, 10.0), start=None, steps=50):
    r"""Gradient descent :math:`\theta \leftarrow \theta - \rho \nabla q` on :math:`q(\theta) = \frac12 \sum_i \xi_i \theta_i^2`.

    Parameters
    ----------
    rho : float
        Learning rate :math:`\rho > 0`.
    curvature : sequence of float
        The :math:`\xi_i > 0` (eigenvalues of the Hessian); ``(1.0,)`` is the 1-D parabola.
    start : sequence of float, optional
        :math:`\theta(0)`; default 1.0 in 1-D, ``(-4, 1.5)``-like in 2-D (every coordinate nonzero).
    steps : int
        Number of updates.

    Returns
    -------
    QuadraticRun
        Never raises for a large `rho`: a blow-up stops the run with ``diverged = True``.
    """
    rho = _check_rho(rho)
    xi = np.asarray(curvature, dtype=float).ravel()
    if xi.size == 0 or not np.all(np.isfinite(xi)) or np.any(xi <= 0):
        raise ValueError(f"curvature must be one or more numbers > 0 (the ξ_i); got {curvature!r}")
    d = xi.size
    if start is None:
        start = [1.0] if d == 1 else [-4.0, 1.5] + [1.0] * (d - 2)
    theta = np.asarray(start, dtype=float).ravel()
    if theta.shape != (d,) or not np.all(np.isfinite(theta)):
        raise ValueError(f"start must be {d} finite numbers (one per curvature); got {start!r}")
    traj = [theta]

    def update(watch):
        theta = traj[-1] - rho * xi * traj[-1]                     # θ ← θ − ρ ∇q,  ∇q = ξ ∘ θ
        q = _bounded(watch, 0.5 * float(xi @ theta ** 2), theta=[theta])
        traj.append(theta)
        return q

    hist, diverged = _explore(optim.SGD(rho), lambda watch: 0.5 * float(xi @ theta ** 2), update, int(steps))
    qs = [hist.q0, *hist.q]
    xi_max = float(xi.max())
    status = rho_regime(rho, xi_max, d)
    text = f"ρ = {rho:.3g}, {regime_title(rho, xi_max, d)}" + (" (diverged)" if diverged else "")
    return QuadraticRun(np.array(traj), np.array(qs), rho, tuple(xi.tolist()), rho * xi_max, status, diverged,
                        text)


@dataclass
class MLPRun:
    r"""Batch BackProp on a small MLP (see :func:`gd_mlp`): ``q`` per epoch (``q[0]`` before training),
    ``diverged`` and a one-line ``text``."""
    q: np.ndarray
    rho: float
    diverged: bool
    text: str


def _regression_task(N=40):
    """The fixed 1-D regression task of :func:`gd_mlp`: t = sin(π x) on N points of [-1, 1]."""
    X = np.linspace(-1.0, 1.0, N)[:, None]
    return X, np.sin(np.pi * X)


def gd_mlp(rho, epochs=100, seed=0, hidden=5):
    r"""Batch BackProp with learning rate `rho` on a fixed task: fit :math:`t = \sin(\pi x)` on 40 points of
    [-1, 1] with an MLP (1, `hidden`, 1), tanh hidden layer, linear output, squared error.

    Returns
    -------
    MLPRun
        ``q`` has ``epochs + 1`` entries, or fewer when training diverged (the finite prefix).
    """
    rho = _check_rho(rho)
    X, t = _regression_task()
    net = MLP((1, hidden, 1), g=["tanh", "linear"], seed=seed)
    hist, _, diverged = _train(net, X, t, optim.SGD(rho), int(epochs), len(X))     # batch: one block of all N
    qs = [hist.q0, *hist.q]
    text = f"ρ = {rho:.3g}: q_S = {qs[-1]:.3g} after {len(qs) - 1} epochs" + (" (diverged)" if diverged else "")
    return MLPRun(np.array(qs), rho, diverged, text)


def _add_l2(net, grad, lam):
    r"""L2 regularisation :math:`\frac{\lambda}{2}\sum w^2` on the weights (thresholds, column 0, excluded):
    its gradient :math:`\lambda\theta` is added to ``grad`` in place."""
    if lam:
        for l in range(1, net.L + 1):
            grad[l][:, 1:] += lam * net.theta[l][:, 1:]


# ------------------------------------------------------------------------------- 2. convergence

@dataclass
class ConvergenceRun:
    r"""One optimizer on one problem (see :func:`convergence_run`).

    Attributes
    ----------
    theta : ndarray, shape (n + 1, 2) or None
        The trajectory :math:`\theta(k)` on a 2-D surface; None for ``"mlp"``.
    q : ndarray, shape (n + 1,)
        :math:`q` after each update (surfaces) or each epoch (``"mlp"``); ``q[0]`` at the start.
    dtheta : ndarray, shape (n,)
        :math:`\lVert\Delta\theta\rVert` of each update (each epoch for ``"mlp"``).
    updates : ndarray of int, shape (n + 1,)
        Weight updates done when each ``q`` was measured (``updates[k] = k`` on a surface).
    stops : dict
        ``{"max_iterations": n_max, "tol_q": k or None, "tol_dtheta": k or None}``: the first iteration at
        which each stopping condition of the slides would fire (None: never within the run).
    first_stop : str
        The condition that would stop training first.
    diverged : bool
    optimizer, problem, method, text : str
    window : tuple or None
        Plot window (θ1 min, max, θ2 min, max) of a surface.
    minimum : tuple or None
    """
    theta: object
    q: np.ndarray
    dtheta: np.ndarray
    updates: np.ndarray
    stops: dict
    first_stop: str
    diverged: bool
    optimizer: str
    problem: str
    method: str = ""
    text: str = ""
    window: object = None
    minimum: object = None


def _stops(q, dtheta, n_max, tol_q, tol_dtheta):
    k_q = next((k for k, v in enumerate(q) if tol_q is not None and v < tol_q), None)
    k_d = next((k + 1 for k, v in enumerate(dtheta) if tol_dtheta is not None and v < tol_dtheta), None)
    stops = {"max_iterations": n_max, "tol_q": k_q, "tol_dtheta": k_d}
    first = min(stops, key=lambda s: (math.inf if stops[s] is None else stops[s]))
    return stops, first


def convergence_run(optimizer="momentum", rho=0.1, nu=0.9, problem="valley", steps=200, tol_q=1e-6,
                    tol_dtheta=1e-6, start=None, method="batch", B=10, seed=0, **hyper):
    r"""Run an optimizer of :mod:`nnlib.optim` on `problem` and record where each stopping condition fires.

    Parameters
    ----------
    optimizer : str
        A name of ``optim.OPTIMIZERS`` (``"sgd"``, ``"momentum"``, ...).
    rho, nu : float
        Learning rate and momentum (`nu` is used by momentum and Nesterov only).
    problem : {"valley", "plateau", "rosenbrock", "mlp"}
        ``"valley"``: :math:`\frac12(\theta_1^2 + 10\theta_2^2)`, a long narrow valley;
        ``"plateau"``: :math:`1 - e^{-(\theta_1^2 + 4\theta_2^2)/8}`, flat far from the minimum;
        ``"rosenbrock"``: :math:`(1-\theta_1)^2 + 100(\theta_2 - \theta_1^2)^2`, minimum at (1, 1);
        ``"mlp"``: the task of :func:`gd_mlp`, trained by `method` for `steps` epochs.
    steps : int
        Updates on a surface; epochs for ``"mlp"``. This is the "max iterations" condition.
    tol_q, tol_dtheta : float or None
        The other two stopping conditions: :math:`q < \text{tol}_q`, :math:`\lVert\Delta\theta\rVert < \text{tol}_\theta`.
    start : (float, float), optional
        Starting point on a surface.
    method : {"batch", "minibatch", "incremental"}
        For ``"mlp"`` only; `B` is the mini-batch size, `seed` the weights' and the shuffling's seed.
    **hyper
        Other hyperparameters of the optimizer (``beta1``, ``decay``, ...).

    Returns
    -------
    ConvergenceRun
    """
    rho = _check_rho(rho)
    steps = int(steps)
    opt = _make_optimizer(optimizer, rho, nu, **hyper)
    if problem == "mlp":
        return _mlp_run(opt, optimizer, method, steps, tol_q, tol_dtheta, B, seed)
    f, start0, minimum, window = surface(problem)
    theta = np.array(start0 if start is None else start, dtype=float)
    traj, dth, grad = [theta.copy()], [], []

    def start_q(watch):
        q, g = f(theta)
        grad.append(g)
        return q

    def update(watch):
        opt.step([theta], grad[-1:])                                # θ ← θ − ρ ∇q (or the optimizer's rule)
        q, g = f(theta)
        _bounded(watch, q, [g], [theta])
        grad.append(g)
        traj.append(theta.copy())
        dth.append(float(np.linalg.norm(traj[-1] - traj[-2])))
        return q

    hist, diverged = _explore(opt, start_q, update, steps)
    qs = [hist.q0, *hist.q]
    stops, first = _stops(qs, dth, steps, tol_q, tol_dtheta)
    text = (f"{optimizer} ρ = {rho:.3g} on {problem}: q = {qs[-1]:.3g} after {len(qs) - 1} updates"
            + (" (diverged)" if diverged else ""))
    return ConvergenceRun(np.array(traj), np.array(qs), np.array(dth), np.arange(len(qs)), stops, first,
                          diverged, optimizer, problem, "", text, window, minimum)


def _mlp_run(opt, name, method, epochs, tol_q, tol_dtheta, B, seed):
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    X, t = _regression_task()
    net = MLP((1, 5, 1), g=["tanh", "linear"], seed=seed)
    size = {"batch": len(X), "minibatch": B, "incremental": 1}[method]
    rng = None if method == "batch" else np.random.default_rng(seed)   # batch: no shuffling
    hist, _, diverged = _train(net, X, t, opt, epochs, size, rng)
    qs, ups = [hist.q0, *hist.q], [0, *hist.updates]
    stops, first = _stops(qs, hist.dtheta_norm, epochs, tol_q, tol_dtheta)
    text = (f"{name} {method}: q_S = {qs[-1]:.3g} after {len(qs) - 1} epochs, {ups[-1]} updates"
            + (" (diverged)" if diverged else ""))
    return ConvergenceRun(None, np.array(qs), np.array(hist.dtheta_norm), np.array(ups), stops, first, diverged,
                          name, "mlp", method, text)


#: Reasonable learning rates for :func:`compare_optimizers` when none is given.
DEFAULT_RHO = {
    "valley": {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 1.0, "adadelta": 1.0,
               "rmsprop": 0.05, "adam": 0.2, "adamax": 0.3, "nadam": 0.2},
    "plateau": {"sgd": 1.0, "momentum": 0.5, "nesterov": 0.5, "adagrad": 1.0, "adadelta": 1.0,
                "rmsprop": 0.05, "adam": 0.2, "adamax": 0.3, "nadam": 0.2},
    "rosenbrock": {"sgd": 1e-3, "momentum": 2e-4, "nesterov": 2e-4, "adagrad": 0.3, "adadelta": 1.0,
                   "rmsprop": 0.01, "adam": 0.05, "adamax": 0.05, "nadam": 0.05},
    "mlp": {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.1, "adadelta": 1.0,
            "rmsprop": 0.005, "adam": 0.01, "adamax": 0.02, "nadam": 0.01},
}


def compare_optimizers(names=None, problem="valley", steps=200, rho=None, **kw):
    """:func:`convergence_run` for several optimizers side by side: ``{name: ConvergenceRun}``.

    `rho` may be one number for all, a dict name -> ρ, or None (then ``DEFAULT_RHO``); other keyword
    arguments go to :func:`convergence_run`.
    """
    names = optimizer_names() if names is None else tuple(names)
    out = {}
    for name in names:
        r = rho.get(name) if isinstance(rho, dict) else rho
        if r is None:
            r = DEFAULT_RHO.get(problem, DEFAULT_RHO["valley"]).get(name, 0.01)
        out[name] = convergence_run(name, r, problem=problem, steps=steps, **kw)
    return out


def compare_methods(optimizer="sgd", rho=0.1, nu=0.9, epochs=100, B=10, seed=0, **kw):
    r"""The MLP task trained by batch, mini-batch (B samples) and incremental BackProp with the same
    optimizer: ``{method: ConvergenceRun}``, each with ``q`` per epoch and ``updates`` per epoch, to plot
    :math:`q_S` against epochs and against updates."""
    return {m: convergence_run(optimizer, rho, nu, problem="mlp", steps=epochs, method=m, B=B, seed=seed, **kw)
            for m in METHODS}


# ------------------------------------------------------------------------------- 3. playground

@dataclass
class PlaygroundResult:
    r"""What :func:`playground` computed.

    Attributes
    ----------
    X_train, t_train, X_test, t_test : ndarray
        The data (half for training, half for testing).
    grid_x1, grid_x2 : ndarray, shape (resolution,)
        Grid coordinates; ``proba[i, j]`` is at ``(grid_x1[j], grid_x2[i])``.
    proba : ndarray, shape (resolution, resolution)
        Probability of class 1 (softmax output) on the grid, from the last finite weights.
    q_train, q_test : ndarray, shape (epochs + 1,)
        Cross-entropy :math:`q_S` on train and test after each epoch (``[0]`` before training); the data term
        only, without the L2 penalty.
    acc_train, acc_test : float
        Final accuracies.
    diverged : bool
    text : str
    """
    X_train: np.ndarray
    t_train: np.ndarray
    X_test: np.ndarray
    t_test: np.ndarray
    grid_x1: np.ndarray
    grid_x2: np.ndarray
    proba: np.ndarray
    q_train: np.ndarray
    q_test: np.ndarray
    acc_train: float
    acc_test: float
    diverged: bool
    text: str
    settings: dict = field(default_factory=dict)


def playground(dataset="circle", noise=0.1, hidden=(4,), activation="tanh", rho=0.03, batch_size=10,
               optimizer="sgd", lam=0.0, epochs=50, seed=0, resolution=60, N=200, nu=0.9):
    r"""Train an MLP classifier on a toy 2-D data set and return its decision regions and error curves.

    The net is ``(2, *hidden, 2)`` with `activation` in the hidden layers and a softmax output, trained on
    the cross-entropy by mini-batches of `batch_size` samples (reshuffled every epoch) with the optimizer
    `optimizer` of :mod:`nnlib.optim`. `lam` > 0 adds L2 regularisation (weight decay)
    :math:`\frac{\lambda}{2}\sum w^2` over the weights, thresholds excluded; it is implemented here, as the
    added gradient term :math:`\lambda\theta` on the non-threshold columns.

    Returns
    -------
    PlaygroundResult
        Never raises for a large `rho`: training stops with ``diverged`` at the first non-finite value, or
        when the training error stays above ``BLOWUP`` times its initial value for 3 epochs in a row
        (the curves keep the epochs run, the last one the epoch whose error blew up if it was finite; the regions
        are those of the last weights recorded).
    """
    rho = _check_rho(rho)
    lam = float(lam)
    if not (math.isfinite(lam) and lam >= 0):
        raise ValueError(f"lam must be a number >= 0 (the L2 regularisation weight); got {lam!r}")
    batch_size = check_int(batch_size, "batch_size", 1, "the samples of one update")
    epochs, resolution = int(epochs), int(resolution)
    hidden = tuple(int(h) for h in hidden)
    X, t = make_dataset(dataset, N, noise, seed)
    rng = np.random.default_rng(seed + 1)
    perm = rng.permutation(len(X))
    tr, te = perm[: len(X) // 2], perm[len(X) // 2:]
    Xtr, ttr, Xte, tte = X[tr], t[tr], X[te], t[te]
    g = [activation] * len(hidden) + ["softmax"]
    net = MLP((2, *hidden, 2), g=g, seed=seed)
    opt = _make_optimizer(optimizer, rho, nu)
    hist, q_te, diverged = _train(net, Xtr, ttr, opt, epochs, batch_size, rng, "cross_entropy", lam, (Xte, tte))
    q_tr = [hist.q0, *hist.q]
    lo, hi = X.min(axis=0) - 0.2, X.max(axis=0) + 0.2
    lo, hi = np.minimum(lo, -1.2), np.maximum(hi, 1.2)
    g1, g2 = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    G1, G2 = np.meshgrid(g1, g2)
    with np.errstate(all="ignore"):
        proba = net(np.c_[G1.ravel(), G2.ravel()])[:, 1].reshape(resolution, resolution)
        acc_tr = float(np.mean(net.classify(Xtr) == ttr))
        acc_te = float(np.mean(net.classify(Xte) == tte))
    proba = np.nan_to_num(proba, nan=0.5)
    text = (f"{dataset}, hidden {hidden or '()'} {activation}, {optimizer} ρ = {rho:.3g}, B = {batch_size}, "
            f"λ = {lam:g}: epoch {len(q_tr) - 1}, test accuracy {acc_te:.0%}" + (" (diverged)" if diverged else ""))
    settings = dict(dataset=dataset, noise=noise, hidden=hidden, activation=activation, rho=rho,
                    batch_size=batch_size, optimizer=optimizer, lam=lam, epochs=epochs, seed=seed)
    return PlaygroundResult(Xtr, ttr, Xte, tte, g1, g2, proba, np.array(q_tr), np.array(q_te), acc_tr, acc_te,
                            diverged, text, settings)


# ------------------------------------------------------------------------------- 4. why momentum works

def _check_curvatures(curvature):
    xi = np.asarray(curvature, dtype=float).ravel()
    if xi.size == 0 or not np.all(np.isfinite(xi)) or np.any(xi <= 0):
        raise ValueError(f"curvature must be one or more numbers > 0 (the ξ_i, the Hessian's eigenvalues); "
                         f"got {curvature!r}")
    return xi


def heavy_ball_matrix(rho, nu, xi):
    r"""The matrix R of one momentum step along a direction of curvature ξ.

    On :math:`q = \frac{\xi}{2}\theta^2` the slides' update
    :math:`\Delta\theta(k) = -\rho\xi\,\theta(k-1) + \nu\,\Delta\theta(k-1)`,
    :math:`\theta(k) = \theta(k-1) + \Delta\theta(k)` is linear in the
    pair :math:`(\theta, \Delta\theta)`:

    .. math::
        \begin{pmatrix} \theta(k) \\ \Delta\theta(k) \end{pmatrix}
        = R \begin{pmatrix} \theta(k-1) \\ \Delta\theta(k-1) \end{pmatrix},
        \qquad
        R = \begin{pmatrix} 1 - \rho\xi & \nu \\
                            -\rho\xi & \nu \end{pmatrix}
    """
    r = float(rho) * float(xi)
    return np.array([[1.0 - r, float(nu)],
                     [-r, float(nu)]])


def heavy_ball_rate(rho, nu, curvature):
    r"""The convergence factor per step of momentum on :math:`q = \frac12\sum_i \xi_i\theta_i^2`: the largest
    modulus of an eigenvalue of :func:`heavy_ball_matrix` over the curvatures :math:`\xi_i` (``nu = 0`` gives
    gradient descent's :math:`\max_i |1 - \rho\xi_i|`). Below 1: converges; the error shrinks about this much per
    step."""
    return max(float(np.abs(np.linalg.eigvals(heavy_ball_matrix(rho, nu, x))).max())
               for x in _check_curvatures(curvature))


def optimal_gd(xi_min, xi_max):
    r"""Gradient descent's best learning rate on a quadratic and its factor:
    :math:`\rho^* = 2/(\xi_{\min} + \xi_{\max})`, factor :math:`(\kappa - 1)/(\kappa + 1)`,
    :math:`\kappa = \xi_{\max}/\xi_{\min}`. Returns ``(rho, factor)``."""
    xi_min, xi_max = _check_curvatures((xi_min, xi_max))
    kappa = xi_max / xi_min
    return 2.0 / (xi_min + xi_max), (kappa - 1) / (kappa + 1)


def optimal_heavy_ball(xi_min, xi_max):
    r"""Polyak's optimal heavy ball on a quadratic :cite:`polyak1964some`.

    :math:`\rho^* = \big(2/(\sqrt{\xi_{\max}} + \sqrt{\xi_{\min}})\big)^2`,
    :math:`\nu^* = \big((\sqrt\kappa - 1)/(\sqrt\kappa + 1)\big)^2`,
    factor per step :math:`\sqrt{\nu^*}`.
    Returns ``(rho, nu, factor)``.
    """
    xi_min, xi_max = _check_curvatures((xi_min, xi_max))
    root_kappa = math.sqrt(xi_max / xi_min)
    factor = (root_kappa - 1) / (root_kappa + 1)  # (√κ − 1)/(√κ + 1)
    rho = (2.0 / (math.sqrt(xi_max) + math.sqrt(xi_min))) ** 2
    return rho, factor ** 2, factor


def quadratic_path(optimizer, curvature, start=None, steps=100, tol=None):
    r"""Run an optimizer of :mod:`nnlib.optim` on :math:`q = \frac12\sum_i \xi_i\theta_i^2`
    (:math:`\nabla q = \xi \odot \theta`).

    Parameters
    ----------
    optimizer : nnlib.optim.Optimizer
        Used as it is (``optim.Momentum(rho, nu)``, ``optim.SGD(rho)``, ...); its state is reset first.
    curvature : sequence of float
        The :math:`\xi_i > 0`.
    start : sequence of float, optional
        :math:`\theta(0)`; default all ones.
    steps : int
        The most updates.
    tol : float, optional
        Stop at the first k with :math:`\lVert\theta(k)\rVert \le \mathrm{tol}\, \lVert\theta(0)\rVert`.

    Returns
    -------
    ndarray, shape (k + 1, d)
        :math:`\theta(0), \dots, \theta(k)`; with `tol`, k is the number of updates it took (``steps`` if never).
    """
    xi = _check_curvatures(curvature)
    theta = np.ones_like(xi) if start is None else np.asarray(start, dtype=float).ravel().copy()
    if theta.shape != xi.shape or not np.all(np.isfinite(theta)):
        raise ValueError(f"start must be {xi.size} finite numbers (one per curvature); got {start!r}")
    steps = check_int(steps, "steps", 1, "the most updates")
    limit = None if tol is None else float(tol) * float(np.linalg.norm(theta))
    optimizer.reset()
    path = [theta.copy()]
    for _ in range(steps):
        optimizer.step([theta], [xi * theta], check=False)        # ∇q = ξ ⊙ θ
        path.append(theta.copy())
        if limit is not None and np.linalg.norm(theta) <= limit:
            break
        if not np.all(np.abs(theta) < HUGE):
            break
    return np.array(path)


def iterations_to_tol(optimizer, curvature, start=None, tol=1e-6, max_steps=100_000):
    r"""The number of updates until :math:`\lVert\theta(k)\rVert \le \mathrm{tol}\,\lVert\theta(0)\rVert` on
    :math:`q = \frac12\sum_i \xi_i\theta_i^2` (see :func:`quadratic_path`), or None if `max_steps` do not get
    there."""
    path = quadratic_path(optimizer, curvature, start, max_steps, tol)
    reached = np.linalg.norm(path[-1]) <= tol * np.linalg.norm(path[0])
    return len(path) - 1 if reached else None


def damping(rho, nu, xi):
    r"""How momentum moves along a direction of curvature :math:`\xi`, from the eigenvalues of
    :func:`heavy_ball_matrix`, which solve :math:`r^2 - b\,r + \nu = 0` with :math:`b = 1 + \nu - \rho\xi`:

    - ``"overdamped"``: two distinct real positive eigenvalues (:math:`\rho\xi < (1 - \sqrt\nu)^2`):
      :math:`\theta` creeps in from one side without crossing the minimum;
    - ``"critically damped"``: a double eigenvalue (:math:`\rho\xi = (1 \mp \sqrt\nu)^2`);
    - ``"underdamped"``: complex eigenvalues of modulus :math:`\sqrt\nu`
      (:math:`(1 - \sqrt\nu)^2 < \rho\xi < (1 + \sqrt\nu)^2`): :math:`\theta` overshoots and rings;
    - ``"flipping"``: two distinct real negative eigenvalues (:math:`\rho\xi > (1 + \sqrt\nu)^2`, the step is
      too large): :math:`\theta` changes sign every step, and diverges past :math:`\rho\xi = 2(1 + \nu)`.

    The discriminant :math:`b^2 - 4\nu` is compared with 0 to a relative 1e-9."""
    b = 1.0 + float(nu) - float(rho) * float(xi)
    disc = b * b - 4.0 * float(nu)
    if abs(disc) <= 1e-9 * max(b * b, 4.0 * float(nu), 1e-300):
        return "critically damped"
    if disc < 0:
        return "underdamped"
    return "overdamped" if b > 0 else "flipping"


# ------------------------------------------------------------------------ 5. schedules and weight decay

@dataclass
class RangeTest:
    r"""The learning-rate range test (see :func:`lr_range_test`).

    Attributes
    ----------
    rho : ndarray
        :math:`\rho_k` of each update, growing geometrically.
    q : ndarray
        The loss of each block, before its update (the block's q under the weights it was given).
    q_smooth : ndarray
        `q` smoothed by an exponential moving average (weight `beta`, corrected for its start at 0).
    rho_min : float
        The ρ where `q_smooth` is lowest.
    rho_pick : float
        The suggestion, ``rho_min / 10``: below the minimum, where the loss still falls fast.
    stopped : bool
        The test stopped early, the loss having blown past `stop` times its lowest value.
    """
    rho: np.ndarray
    q: np.ndarray
    q_smooth: np.ndarray
    rho_min: float
    rho_pick: float
    stopped: bool


def lr_range_test(net, X, t, rho_lo=1e-3, rho_hi=100.0, B=16, loss="squared_error", seed=0, beta=0.9,
                  stop=4.0):
    r"""Smith's learning-rate range test :cite:`smith2017cyclical`: one epoch of mini-batch gradient descent
    whose ρ grows geometrically from `rho_lo` to `rho_hi` (:class:`nnlib.optim.geometric`), recording the loss
    of each block. The loss falls while ρ is useful and shoots up once ρ is too large; a good ρ lies below
    the minimum (here a tenth of the ρ at the lowest smoothed loss). `net` is trained in place (pass a copy).

    Returns
    -------
    RangeTest
    """
    from ..mlp import backprop
    N = len(X)
    B = check_int(B, "B", 1, "the block size")
    K = -(-N // B)
    opt = optim.SGD(optim.geometric(rho_lo, rho_hi, K))
    order = np.random.default_rng(seed).permutation(N)
    rhos, qs, smooth = [], [], []
    average, stopped = 0.0, False
    for k in range(K):
        b = order[k * B:(k + 1) * B]
        q, grad = backprop.gradient(net, X[b], t[b], loss)
        if not np.isfinite(q) or (smooth and q > stop * min(smooth)):
            stopped = True
            break
        rhos.append(opt.rho_k)
        qs.append(q)
        average = beta * average + (1 - beta) * q
        smooth.append(average / (1 - beta ** (k + 1)))
        opt.step(net.theta, grad, check=False)
    best = int(np.argmin(smooth))
    return RangeTest(np.array(rhos), np.array(qs), np.array(smooth), rhos[best], rhos[best] / 10, stopped)


def decay_only(optimizer, params, steps, l2=0.0):
    r"""Run `steps` updates of `optimizer` in which the data term of the gradient is zero: the gradient is
    the L2 penalty's, :math:`\lambda_2\theta` (`l2`), or nothing (``l2=0``, for :class:`nnlib.optim.AdamW`,
    whose decay is in the step). What remains shows how much each weight is decayed. `params` (a list of
    arrays) is updated in place and returned."""
    for _ in range(check_int(steps, "steps", 1, "the number of updates")):
        optimizer.step(params, [l2 * p for p in params], check=False)
    return params


class AdamL2(optim.Adam):
    r"""Adam on the loss plus an L2 penalty :math:`\frac{\lambda}{2}\lVert\theta\rVert^2`: the penalty's gradient
    :math:`\lambda\theta` is added to the gradient :math:`\nabla q` *before* Adam's moments, so the decay is divided by
    :math:`\sqrt{\hat v}` like the gradient (the coupling :class:`nnlib.optim.AdamW` removes). Every entry is
    penalised, thresholds too, as AdamW decays every entry."""

    def __init__(self, rho=0.001, lam=0.01, **hyper):
        super().__init__(rho, **hyper)
        self.lam = float(lam)

    def update(self, i, p, dq):
        super().update(i, p, dq + self.lam * p)     # ∇(q + λ/2 ‖θ‖²) = ∇q + λθ

    def update_inplace(self, i, p, dq):
        self.update(i, p, dq)
