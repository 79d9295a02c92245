r"""Optimizers: how a gradient becomes a weight update (slides "Algoritmos de optimización", "BackProp con momentum").

An optimizer turns the gradient :math:`\nabla q = \partial q_S / \partial \theta` of every weight array into an
update and applies it **in place**::

    opt = optim.Momentum(rho=0.1, nu=0.9)
    # lists indexed like the layers; None entries (slot 0) are skipped
    opt.step(net.theta, grad)

- :class:`SGD`, gradient descent: :math:`\theta \leftarrow \theta - \rho\, \nabla q`.
- :class:`Momentum`, the slides' BackProp with momentum (inertia, "inercia"):
  :math:`\Delta\theta(k) = -\rho_k\, \nabla q + \nu\, \Delta\theta(k-1)`, :math:`\theta \leftarrow \theta + \Delta\theta(k)`,
  with :math:`0 \le \nu < 1`.
- :class:`Nesterov` (NAG), :class:`Adagrad`, :class:`Adadelta`, :class:`RMSProp`, :class:`Adam`, :class:`AdaMax`,
  :class:`Nadam`: each written from its original paper (cited in its docstring by its ``references.bib`` key), with
  the paper's defaults. The learning rate is always called ``rho`` (the slides' :math:`\rho`; Adam's :math:`\alpha`,
  Adagrad's :math:`\eta`), the momentum weight ``nu`` (the slides' :math:`\nu`).

``OPTIMIZERS`` maps a name to each of the nine optimizers of slide 37 and ``get(name, **hyper)`` builds one by
name. :class:`AdamW`, Adam with decoupled weight decay, is a later method outside the slides' list: build it
directly, ``optim.AdamW(rho, lam)``.

The learning rate may be a number or a *schedule* :math:`\rho_k`, a callable ``k -> rho_k`` of the number of updates
``k = 0, 1, 2, ...`` taken so far (:func:`constant`, :func:`step_decay`, :func:`inverse`, :func:`exponential`,
:func:`warmup`, :func:`cosine`, :func:`one_cycle`, :func:`geometric`, or any callable returning a positive number)::

    opt = optim.Momentum(rho=optim.step_decay(0.1, drop=0.5, every=100), nu=0.9)
    opt.rho_k          # the learning rate of the next update, schedule(opt.k)

New optimizers subclass :class:`Optimizer` and implement :meth:`Optimizer.update`; state kept between
steps (such as the previous :math:`\Delta\theta`) lives in ``self.state``, one entry per parameter array.
"""

import numbers

import numpy as np

from ._validate import NonFinite, check_finite_scalar, check_int, check_positive, check_unit

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RMSProp", "Adam", "AdaMax", "Nadam",
           "AdamW", "OPTIMIZERS", "get", "Schedule", "constant", "step_decay", "inverse", "exponential", "warmup",
           "cosine", "one_cycle", "geometric"]


# ------------------------------------------------------------------------------ schedules

class Schedule:
    r"""A learning-rate schedule :math:`\rho_k`: call it with the update count ``k`` (an int >= 0, or an array of
    them) to get :math:`\rho_k`. Build one with :func:`constant`, :func:`step_decay`, :func:`inverse` or
    :func:`exponential`."""

    def __call__(self, k):
        if isinstance(k, np.ndarray):
            if k.dtype.kind not in "iu" or (k < 0).any():
                raise ValueError(f"k must be integers >= 0 (update counts); got {k!r}")
            return self._value(k.astype(np.float64))
        check_int(k, "k", 0, "the number of updates so far")
        return float(self._value(float(k)))

    def _value(self, k):
        raise NotImplementedError

    def _params(self):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{name}={value!r}" for name, value in self._params())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and self._params() == other._params()

    def __hash__(self):
        return hash((type(self).__name__, self._params()))


class constant(Schedule):
    r""":math:`\rho_k = \rho_0` for every k (a fixed learning rate, the slides' :math:`\rho`)."""

    def __init__(self, rho0):
        self.rho0 = check_positive(rho0, "rho0")

    def _value(self, k):
        return self.rho0 + 0 * k

    def _params(self):
        return (("rho0", self.rho0),)


class step_decay(Schedule):
    r"""Step decay: :math:`\rho_k = \rho_0 \cdot \mathrm{drop}^{\lfloor k / \mathrm{every} \rfloor}`, the learning
    rate multiplied by `drop` every `every` updates.

    Parameters
    ----------
    rho0 : float
        :math:`\rho_0 > 0`.
    drop : float, default 0.5
        Factor in (0, 1].
    every : int, default 100
        Updates between drops, >= 1.
    """

    def __init__(self, rho0, drop=0.5, every=100):
        self.rho0 = check_positive(rho0, "rho0")
        self.drop = check_finite_scalar(drop, "drop")
        if not 0 < self.drop <= 1:
            raise ValueError(f"drop must be in (0, 1] (the factor applied every `every` updates); got {self.drop}")
        if isinstance(every, (bool, np.bool_)) or not isinstance(every, numbers.Integral):
            raise TypeError(f"every must be an integer >= 1 (updates between drops); got {type(every).__name__} "
                            f"{every!r}")
        if every < 1:
            raise ValueError(f"every must be an integer >= 1 (updates between drops); got {every}")
        self.every = int(every)

    def _value(self, k):
        return self.rho0 * self.drop ** np.floor(k / self.every)

    def _params(self):
        return (("rho0", self.rho0), ("drop", self.drop), ("every", self.every))


class inverse(Schedule):
    r"""The 1/k schedule: :math:`\rho_k = \rho_0 / (1 + k / k_0)`; :math:`\sum_k \rho_k = \infty`,
    :math:`\sum_k \rho_k^2 < \infty`, the Robbins–Monro conditions for stochastic approximation
    :cite:`robbins1951stochastic`.

    Parameters
    ----------
    rho0 : float
        :math:`\rho_0 > 0`.
    k0 : float, default 100
        Updates after which :math:`\rho_k = \rho_0/2`; > 0.
    """

    def __init__(self, rho0, k0=100):
        self.rho0 = check_positive(rho0, "rho0")
        self.k0 = check_positive(k0, "k0")

    def _value(self, k):
        return self.rho0 / (1 + k / self.k0)

    def _params(self):
        return (("rho0", self.rho0), ("k0", self.k0))


class exponential(Schedule):
    r"""Exponential decay: :math:`\rho_k = \rho_0\, \omega^k`.

    Parameters
    ----------
    rho0 : float
        :math:`\rho_0 > 0`.
    gamma : float, default 0.99
        :math:`\omega`, the factor per update, in (0, 1].
    """

    def __init__(self, rho0, gamma=0.99):
        self.rho0 = check_positive(rho0, "rho0")
        self.gamma = check_finite_scalar(gamma, "gamma")
        if not 0 < self.gamma <= 1:
            raise ValueError(f"gamma must be in (0, 1] (the factor per update); got {self.gamma}")

    def _value(self, k):
        return self.rho0 * self.gamma ** k

    def _params(self):
        return (("rho0", self.rho0), ("gamma", self.gamma))


def _check_count(value, name, what):
    """`value` as an int >= 1 (a number of updates), or an error naming `name`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 1 ({what}); got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1 ({what}); got {value}")
    return int(value)


class warmup(Schedule):
    r"""Linear warm-up: :math:`\rho_k = \rho_0 \min\!\big(1, (k+1)/K_w\big)`, the learning rate raised in
    :math:`K_w` equal steps from :math:`\rho_0/K_w` to :math:`\rho_0`, then held (Goyal et al.'s gradual warm-up
    :cite:`goyal2017accurate`: large steps while the weights are still random can throw training off).

    Parameters
    ----------
    rho0 : float
        :math:`\rho_0 > 0`, the rate after the warm-up.
    K_w : int, default 100
        Updates of the warm-up, >= 1.
    """

    def __init__(self, rho0, K_w=100):
        self.rho0 = check_positive(rho0, "rho0")
        self.K_w = _check_count(K_w, "K_w", "updates of the warm-up")

    def _value(self, k):
        return self.rho0 * np.minimum(1.0, (k + 1) / self.K_w)

    def _params(self):
        return (("rho0", self.rho0), ("K_w", self.K_w))


class cosine(Schedule):
    r"""Cosine annealing :cite:`loshchilov2017sgdr` over K updates:

    .. math:: \rho_k = \rho_{\min} + \frac{\rho_0 - \rho_{\min}}{2}
              \left(1 + \cos\frac{\pi k}{K}\right), \quad 0 \le k \le K,

    from :math:`\rho_0` down to :math:`\rho_{\min}`, slowly at first and at the end; :math:`\rho_{\min}` after K.
    With :math:`\rho_{\min} = 0` every update of a run of K updates (k < K) has :math:`\rho_k > 0`; an update
    past K would have :math:`\rho_k = 0`, which the optimizer refuses.

    Parameters
    ----------
    rho0 : float
        :math:`\rho_0 > 0`.
    K : int
        The length of the schedule in updates, >= 1.
    rho_min : float, default 0
        The final rate, in [0, rho0).
    """

    def __init__(self, rho0, K, rho_min=0.0):
        self.rho0 = check_positive(rho0, "rho0")
        self.K = _check_count(K, "K", "the length of the schedule in updates")
        self.rho_min = check_finite_scalar(rho_min, "rho_min")
        if not 0 <= self.rho_min < self.rho0:
            raise ValueError(f"rho_min must be in [0, rho0) = [0, {self.rho0}) (the final rate); got "
                             f"{self.rho_min}")

    def _value(self, k):
        k = np.minimum(k, self.K)  # held at rho_min after K
        half_range = (self.rho0 - self.rho_min) / 2
        # ρ_k = ρ_min + (ρ0 − ρ_min)/2 · (1 + cos(π k / K))
        return self.rho_min + half_range * (1 + np.cos(np.pi * k / self.K))

    def _params(self):
        return (("rho0", self.rho0), ("K", self.K), ("rho_min", self.rho_min))


class one_cycle(Schedule):
    r"""The one-cycle policy :cite:`smith2019superconvergence` over K updates: up from
    :math:`\rho_{\max}/\mathrm{div}` to :math:`\rho_{\max}` along a straight line in the first
    :math:`K_{up} = \lfloor \mathrm{pct}\cdot K \rfloor` updates, then down along a half cosine to
    :math:`\rho_{\max}/\mathrm{final\_div}` at k = K (held after K):

    .. math:: \rho_k = \begin{cases}
              \rho_{lo} + (\rho_{\max} - \rho_{lo})\, k / K_{up}, & k \le K_{up} \\
              \rho_{end} + \frac{\rho_{\max} - \rho_{end}}{2}
              \left(1 + \cos\frac{\pi (k - K_{up})}{K - K_{up}}\right), & K_{up} < k \le K
              \end{cases}

    with :math:`\rho_{lo} = \rho_{\max}/\mathrm{div}`, :math:`\rho_{end} = \rho_{\max}/\mathrm{final\_div}`.

    Parameters
    ----------
    rho_max : float
        The peak :math:`\rho_{\max} > 0` (from an LR range test).
    K : int
        The length in updates, >= 2.
    pct : float, default 0.3
        The fraction of K spent going up, in (0, 1).
    div, final_div : float, default 25, 1e4
        :math:`\rho_{\max}` over the first and over the last rate, >= 1.
    """

    def __init__(self, rho_max, K, pct=0.3, div=25.0, final_div=1e4):
        self.rho_max = check_positive(rho_max, "rho_max")
        self.K = _check_count(K, "K", "the length of the cycle in updates")
        if self.K < 2:
            raise ValueError(f"K must be an integer >= 2 (the length of the cycle in updates); got {self.K}")
        self.pct = check_unit(pct, "pct", low_open=True, high_open=True, what="the fraction of K going up")
        self.div = check_finite_scalar(div, "div")
        self.final_div = check_finite_scalar(final_div, "final_div")
        for name, value in (("div", self.div), ("final_div", self.final_div)):
            if value < 1:
                raise ValueError(f"{name} must be >= 1 (rho_max over the rate it starts or ends at); got {value}")
        self.K_up = min(max(int(self.pct * self.K), 1), self.K - 1)

    def _value(self, k):
        k = np.minimum(k, self.K)
        lo, end, top = self.rho_max / self.div, self.rho_max / self.final_div, self.rho_max
        up = lo + (top - lo) * k / self.K_up
        angle = np.pi * np.maximum(k - self.K_up, 0) / (self.K - self.K_up)
        down = end + (top - end) / 2 * (1 + np.cos(angle))
        return np.where(k <= self.K_up, up, down)

    def _params(self):
        return (("rho_max", self.rho_max), ("K", self.K), ("pct", self.pct), ("div", self.div),
                ("final_div", self.final_div))


class geometric(Schedule):
    r"""A geometric ramp, the learning-rate range test's schedule :cite:`smith2017cyclical`: from
    :math:`\rho_{lo}` to :math:`\rho_{hi}` in K updates, by the same factor each update,

    .. math:: \rho_k = \rho_{lo} \left(\rho_{hi}/\rho_{lo}\right)^{k/(K-1)}, \quad 0 \le k < K

    (:math:`\rho_{hi}` at k = K − 1, and on from there by the same factor: it is meant for one run of K updates).

    Parameters
    ----------
    rho_lo, rho_hi : float
        The first and the last rate, :math:`0 < \rho_{lo} < \rho_{hi}`.
    K : int
        The number of updates, >= 2.
    """

    def __init__(self, rho_lo, rho_hi, K):
        self.rho_lo = check_positive(rho_lo, "rho_lo")
        self.rho_hi = check_positive(rho_hi, "rho_hi")
        if not self.rho_lo < self.rho_hi:
            raise ValueError(f"rho_hi must be > rho_lo = {self.rho_lo} (the ramp goes up); got {self.rho_hi}")
        self.K = _check_count(K, "K", "the number of updates of the ramp")
        if self.K < 2:
            raise ValueError(f"K must be an integer >= 2 (the number of updates of the ramp); got {self.K}")

    def _value(self, k):
        return self.rho_lo * (self.rho_hi / self.rho_lo) ** (k / (self.K - 1))

    def _params(self):
        return (("rho_lo", self.rho_lo), ("rho_hi", self.rho_hi), ("K", self.K))


# ----------------------------------------------------------------------------- base class

class Optimizer:
    r"""Base class: ``step(params, grads)`` updates every parameter array in place.

    Parameters
    ----------
    rho : float or callable
        Learning rate (factor de aprendizaje) :math:`\rho > 0`, or a schedule ``k -> rho_k`` (:class:`Schedule` or
        any callable returning a number > 0).

    Attributes
    ----------
    k : int
        Number of steps taken so far.
    state : dict
        Per-parameter state, keyed by the position of the array in ``params`` (e.g. layer l).
    schedule : callable or None
        The schedule given as `rho`, or None for a fixed learning rate.
    """

    def __init__(self, rho):
        self.rho = rho
        self.k = 0
        self.state = {}

    @property
    def rho(self):
        r"""The learning rate of the next update, :math:`\rho_k` (a float, also when a schedule was given: then it is
        ``schedule(k)``). Set it to a number > 0 or to a schedule; may be changed between steps."""
        return self.rho_k

    @rho.setter
    def rho(self, value):
        if callable(value) and not isinstance(value, numbers.Real):
            self.schedule, self._rho = value, None
            self._rho_now = None
        else:
            self.schedule, self._rho = None, check_positive(value, "rho")
            self._rho_now = self._rho

    @property
    def rho_k(self):
        r""":math:`\rho_k`, the learning rate the next update uses (``schedule(k)`` for a schedule)."""
        if self.schedule is None:
            return self._rho
        try:
            value = self.schedule(self.k)
        except Exception as err:  # pragma: no cover - message only
            raise ValueError(f"the rho schedule {self.schedule!r} failed at k={self.k}: {err}") from err
        return check_positive(value, f"rho_k (the schedule {self.schedule!r} at k={self.k})")

    def step(self, params, grads, check=True):
        """Update every array of `params` in place from the matching gradient
        in `grads`.

        Parameters
        ----------
        params : list of ndarray or None
            Parameter arrays, e.g. ``net.theta`` (``None`` entries, such as
            slot 0, are skipped).
        grads : list of ndarray or None
            :math:`\\partial q / \\partial \\theta` for each array, same
            shapes; ``None`` where `params` is ``None``.
        check : bool, default True
            Check every gradient's shape and that it is finite first. A training
            loop that checked the shapes once per fit and watches for NaN itself
            (:class:`nnlib.loop.DivergenceCheck`) passes False.

        Raises
        ------
        ValueError
            If a gradient has the wrong shape or holds NaN or ±inf (no array is
            changed then).
        """
        if check:
            self.check_step(params, grads)
        self._rho_now = self.rho_k  # ρ_k once per step, the same for all arrays
        for i, (p, dq) in enumerate(zip(params, grads)):
            if p is not None:
                self.update(i, p, dq)
        self.k += 1

    def apply(self, params, grads):
        """The update of :meth:`step`, for a training loop: no checks, and the gradient arrays may be overwritten.

        The loop checked the shapes once per fit and watches for NaN and overflow itself
        (:class:`nnlib.loop.DivergenceCheck`); the gradients are its scratch arrays, which it does not read again,
        so :meth:`~nnlib.optim.Optimizer.update_inplace` may use them to save a pass over the weights."""
        self._rho_now = self.rho_k
        for i, (p, dq) in enumerate(zip(params, grads)):
            if p is not None:
                self.update_inplace(i, p, dq)
        self.k += 1

    def update_inplace(self, i, p, dq):
        """:meth:`update`, allowed to overwrite `dq`. Optimizers override it where that saves temporaries (SGD,
        Momentum); tests check that both give the same weights."""
        self.update(i, p, dq)

    @staticmethod
    def check_step(params, grads):
        """The checks of :meth:`step`: one gradient per array, of its shape,
        finite (raises naming the array)."""
        if len(params) != len(grads):
            raise ValueError(f"grads must have one entry per parameter array "
                             f"({len(params)}); got {len(grads)}")
        for i, (p, g) in enumerate(zip(params, grads)):
            if p is None:
                continue
            if not isinstance(p, np.ndarray):
                raise TypeError(f"params[{i}] must be a numpy array (it is "
                                f"updated in place); got {type(p).__name__}")
            if g is None or np.shape(g) != p.shape:
                got = "None" if g is None else f"shape {np.shape(g)}"
                raise ValueError(f"grads[{i}] must have the shape of "
                                 f"params[{i}] {p.shape}; got {got}")
            _check_finite_grad(g, i)

    def update(self, i, p, dq):
        """Update the array `p` (position `i` in the parameter list) in place from its gradient `dq`.

        ``self.k`` is the number of previous steps (the papers' t is ``self.k + 1``) and ``self._rho_now`` is
        :math:`\\rho_k`, the same for every array of the step."""
        raise NotImplementedError(f"{type(self).__name__} must implement update(i, p, dq)")

    def reset(self):
        """Forget the state (and the step count): the next step starts afresh."""
        self.k = 0
        self.state = {}

    def _previous_delta(self, i, p):
        """The last increment Δθ of parameter array i, stored as ``state[i]`` (zeros before the first step)."""
        Delta = self.state.get(i)
        if Delta is None:
            Delta = self.state[i] = np.zeros_like(p)
        else:
            _check_state_shape(i, p, Delta)
        return Delta

    def _slots(self, i, p, *names):
        """The state arrays `names` of parameter array i (zeros at the first step), stored as ``state[i][name]``."""
        s = self.state.get(i)
        if s is None:
            s = self.state[i] = {name: np.zeros_like(p) for name in names}
        else:
            _check_state_shape(i, p, s[names[0]])
        return [s[name] for name in names]

    def _rho_repr(self):
        return repr(self.schedule if self.schedule is not None else self._rho)

    def _hyper(self):
        return f"rho={self._rho_repr()}"

    def __repr__(self):
        return f"{type(self).__name__}({self._hyper()})"


def _check_finite_grad(g, i):
    """Refuse a gradient holding NaN or ±inf: the update would write it into the weights, for good."""
    g = np.asarray(g)
    if g.dtype.kind not in "biuf":
        raise TypeError(f"grads[{i}] must be a real numeric array; got dtype {g.dtype}")
    if not np.isfinite(g).all():
        n_nan, n_inf = int(np.isnan(g).sum()), int(np.isinf(g).sum())
        raise NonFinite(f"grads[{i}] must be finite; got {n_nan} NaN and {n_inf} infinite value(s), which the "
                         "update would write into the weights (training has diverged: try a smaller learning rate)")


def _check_state_shape(i, p, stored):
    if stored.shape != p.shape:
        raise ValueError(f"params[{i}] has shape {p.shape} but its stored state has shape {stored.shape}; "
                         "call reset() before stepping a different set of arrays")


def _check_eps(eps):
    return check_positive(eps, "eps")


# ------------------------------------------------------------------------------ optimizers

class SGD(Optimizer):
    r"""Gradient descent: :math:`\theta \leftarrow \theta - \rho_k\, \nabla q`.

    With the gradient of :math:`q_S` over a batch this is the slides' update
    :math:`\Delta\theta^l_{ij} = -\rho\, \partial q_S / \partial \theta^l_{ij}`; over a mini-batch or one
    sample it is stochastic gradient descent (SGD) :cite:`robbins1951stochastic`.

    Parameters
    ----------
    rho : float or schedule
        Learning rate :math:`\rho > 0`.
    """

    def update(self, i, p, dq):
        rho = self._rho_now
        p -= rho * dq  # θ ← θ − ρ_k ∇q

    def update_inplace(self, i, p, dq):
        dq *= self._rho_now         # ρ_k ∇q, in the gradient's own array
        p -= dq


class Momentum(Optimizer):
    r"""BackProp with momentum (slide "BackProp con momentum"; Polyak's heavy
    ball :cite:`polyak1964some`).

    .. math:: \Delta\theta(k) = -\rho_k\, \nabla q + \nu\, \Delta\theta(k-1),
              \qquad \theta \leftarrow \theta + \Delta\theta(k)

    with :math:`\Delta\theta(0) = 0`. For the batch gradient,
    :math:`-\rho \nabla q_S = \frac{\rho}{N} \sum_n \delta^l_i(\mathbf{x}_n)\,
    s^{l-1}_j(\mathbf{x}_n)`, the slide's formula. With :math:`\nu = 0` this is
    :class:`SGD`.

    Parameters
    ----------
    rho : float or schedule
        Learning rate :math:`\rho > 0`.
    nu : float, default 0.9
        Momentum (inertia) weight, :math:`0 \le \nu < 1`.

    Attributes
    ----------
    state : dict
        ``state[i]`` is the last :math:`\Delta\theta` of parameter array i.
    """

    def __init__(self, rho, nu=0.9):
        super().__init__(rho)
        self.nu = check_unit(nu, "nu", high_open=True,
                             what="the momentum weight")

    def update(self, i, p, dq):
        rho, nu = self._rho_now, self.nu
        Delta = self._previous_delta(i, p)  # Δθ(k−1), zeros at the first step
        Delta[:] = -rho * dq + nu * Delta   # Δθ(k) = −ρ_k ∇q + ν Δθ(k−1)
        p += Delta                          # θ(k) = θ(k−1) + Δθ(k)

    def update_inplace(self, i, p, dq):
        Delta = self._previous_delta(i, p)
        dq *= -self._rho_now        # −ρ_k ∇q, in the gradient's own array
        Delta *= self.nu
        Delta += dq                 # Δθ(k), no temporary
        p += Delta

    def _hyper(self):
        return f"rho={self._rho_repr()}, nu={self.nu!r}"


class Nesterov(Momentum):
    r"""Nesterov's accelerated gradient (NAG) :cite:`nesterov1983method`, in the form used for neural nets
    :cite:`sutskever2013importance`:

    .. math:: \Delta\theta(k) &= \nu\, \Delta\theta(k-1)
                                 - \rho_k\, \nabla q\big(\theta(k-1) + \nu\, \Delta\theta(k-1)\big), \\
              \theta(k) &= \theta(k-1) + \Delta\theta(k)

    (Sutskever et al.'s :math:`v_{t+1} = \mu v_t - \varepsilon \nabla f(\theta_t + \mu v_t)`, with
    :math:`\mu = \nu`, :math:`\varepsilon = \rho`). The gradient is taken at the *look-ahead* point
    :math:`\theta + \nu\Delta\theta`, not at :math:`\theta` as in :class:`Momentum`. ``step(params, grads)`` only
    receives :math:`\nabla q` at the stored parameters, so this class stores the look-ahead point instead,
    :math:`\Theta(k) = \theta(k) + \nu\, \Delta\theta(k)` (the reformulation of :cite:`bengio2013advances`):
    substituting gives

    .. math:: \Delta\theta(k) &= \nu\, \Delta\theta(k-1) - \rho_k\, \nabla q(\Theta(k-1)), \\
              \Theta(k) &= \Theta(k-1) + \nu\, \Delta\theta(k) - \rho_k\, \nabla q(\Theta(k-1)),

    which needs only the gradient at the stored parameters. Both forms produce the same sequence (the stored
    parameters are :math:`\Theta(k) = \theta(k) + \nu\Delta\theta(k)`; they coincide with :math:`\theta` at the
    start, where :math:`\Delta\theta(0) = 0`, and at convergence, where :math:`\Delta\theta \to 0`). With
    :math:`\nu = 0` it is :class:`SGD`. Parameters (`rho`, `nu`) and state are those of :class:`Momentum`; only
    the update differs.
    """

    def update(self, i, p, dq):
        # dq = ∇q(Θ(k−1)), the gradient at the stored parameters
        rho, nu = self._rho_now, self.nu
        Delta = self._previous_delta(i, p)  # Δθ(k−1), zeros at the first step
        Delta[:] = nu * Delta - rho * dq    # Δθ(k) = ν Δθ(k−1) − ρ_k ∇q
        p += nu * Delta - rho * dq          # Θ(k) = Θ(k−1) + ν Δθ(k) − ρ_k ∇q

    def update_inplace(self, i, p, dq):
        self.update(i, p, dq)       # not Momentum's: the look-ahead rule has its own update


class Adagrad(Optimizer):
    r"""Adagrad :cite:`duchi2011adaptive`: each weight gets its own learning rate, divided by the root of the sum of
    its squared gradients so far (the diagonal version, :math:`H_t = \delta I + \mathrm{diag}(G_t)^{1/2}`):

    .. math:: G(k) = G(k-1) + \nabla q \odot \nabla q, \qquad
              \theta \leftarrow \theta - \frac{\rho_k}{\sqrt{G(k)} + \varepsilon} \odot \nabla q

    with :math:`G(0) = 0` (the paper's :math:`\eta` is `rho`, its :math:`\delta` is `eps`; the paper fixes no
    default for :math:`\eta`, 0.01 is the customary one).

    Parameters
    ----------
    rho : float or schedule, default 0.01
        Learning rate :math:`\rho > 0`.
    eps : float, default 1e-8
        :math:`\varepsilon > 0`, keeps the division finite.

    Attributes
    ----------
    state : dict
        ``state[i]["G"]``: the sum of squared gradients of array i.
    """

    def __init__(self, rho=0.01, eps=1e-8):
        super().__init__(rho)
        self.eps = _check_eps(eps)

    def update(self, i, p, dq):
        rho, eps = self._rho_now, self.eps
        G, = self._slots(i, p, "G")        # G(k−1), zeros at the first step
        G += dq**2                         # G(k) = G(k−1) + ∇q ⊙ ∇q
        p -= rho / (np.sqrt(G) + eps) * dq  # θ ← θ − ρ_k / (√G(k) + ε) ⊙ ∇q

    def _hyper(self):
        return f"rho={self._rho_repr()}, eps={self.eps!r}"


class _RunningMeanSquare(Optimizer):
    r"""Base of :class:`RMSProp` and :class:`Adadelta`: both keep a running mean square of the gradient, with a
    decay :math:`\beta_2` in [0, 1) (`decay`) and an :math:`\varepsilon > 0` (`eps`) that keeps the division finite."""

    def __init__(self, rho, decay, eps):
        super().__init__(rho)
        self.decay = check_unit(decay, "decay", high_open=True, what="the decay of the running averages")
        self.eps = _check_eps(eps)

    def _hyper(self):
        return f"rho={self._rho_repr()}, decay={self.decay!r}, eps={self.eps!r}"


class Adadelta(_RunningMeanSquare):
    r"""Adadelta :cite:`zeiler2012adadelta`, Algorithm 1, with :math:`\mathrm{RMS}[y]_t = \sqrt{E[y^2]_t + \varepsilon}`:

    .. math::
        E[\nabla^2]_t &= \beta_2\, E[\nabla^2]_{t-1} + (1-\beta_2)\, \nabla_t^2 \\
        \Delta x_t &= -\frac{\mathrm{RMS}[\Delta x]_{t-1}}{\mathrm{RMS}[\nabla]_t}\, \nabla_t \\
        E[\Delta x^2]_t &= \beta_2\, E[\Delta x^2]_{t-1} + (1-\beta_2)\, \Delta x_t^2 \\
        x_{t+1} &= x_t + \rho_k\, \Delta x_t

    The paper calls the decay :math:`\rho` (here :math:`\beta_2`, argument `decay`, so that `rho` stays the
    learning rate as everywhere in nnlib) and has no learning rate: with the default ``rho=1.0`` this is exactly
    the paper's update; another `rho` scales the step applied, not the accumulated :math:`\Delta x` (as in
    PyTorch and Keras). Paper's defaults: decay 0.95, :math:`\varepsilon = 10^{-6}`.

    Parameters
    ----------
    rho : float or schedule, default 1.0
        Learning rate :math:`\rho > 0` multiplying :math:`\Delta x_t`.
    decay : float, default 0.95
        The paper's :math:`\rho`, in [0, 1).
    eps : float, default 1e-6
        :math:`\varepsilon > 0`.

    Attributes
    ----------
    state : dict
        ``state[i]["Eg2"]`` and ``state[i]["Edx2"]``: :math:`E[\nabla^2]` and :math:`E[\Delta x^2]` of array i.
    """

    def __init__(self, rho=1.0, decay=0.95, eps=1e-6):
        super().__init__(rho, decay, eps)

    def update(self, i, p, dq):
        rho, beta2, eps = self._rho_now, self.decay, self.eps
        # E[∇²]_{t−1}, E[Δx²]_{t−1}, zeros at t = 1
        Eg2, Edx2 = self._slots(i, p, "Eg2", "Edx2")
        # E[∇²]_t = β₂ E[∇²]_{t−1} + (1−β₂) ∇_t²
        Eg2[:] = beta2 * Eg2 + (1 - beta2) * dq**2
        # Δx_t = −RMS[Δx]_{t−1} / RMS[∇]_t ∇_t
        dx = -np.sqrt(Edx2 + eps) / np.sqrt(Eg2 + eps) * dq
        # E[Δx²]_t = β₂ E[Δx²]_{t−1} + (1−β₂) Δx_t²
        Edx2[:] = beta2 * Edx2 + (1 - beta2) * dx * dx
        # x_{t+1} = x_t + ρ_k Δx_t
        p += rho * dx


class RMSProp(_RunningMeanSquare):
    r"""RMSProp :cite:`tieleman2012rmsprop` (lecture 6e): divide the gradient by a running average of its magnitude,

    .. math:: v(k) = \beta_2\, v(k-1) + (1-\beta_2)\, \nabla q \odot \nabla q, \qquad
              \theta \leftarrow \theta - \frac{\rho_k}{\sqrt{v(k)} + \varepsilon} \odot \nabla q

    with :math:`v(0) = 0` (the lecture's ``MeanSquare(w, t) = 0.9 MeanSquare(w, t-1) + 0.1 g^2``, :math:`\beta_2 =`
    `decay` = 0.9; the lecture has no :math:`\varepsilon`, added outside the root as in PyTorch and Keras so
    that a zero gradient gives no 0/0).

    Parameters
    ----------
    rho : float or schedule, default 0.001
        Learning rate :math:`\rho > 0`.
    decay : float, default 0.9
        :math:`\beta_2`, in [0, 1).
    eps : float, default 1e-8
        :math:`\varepsilon > 0`.

    Attributes
    ----------
    state : dict
        ``state[i]["v"]``: the running mean square of the gradient of array i.
    """

    def __init__(self, rho=0.001, decay=0.9, eps=1e-8):
        super().__init__(rho, decay, eps)

    def update(self, i, p, dq):
        rho, beta2, eps = self._rho_now, self.decay, self.eps
        v, = self._slots(i, p, "v")  # v(k−1), zeros at the first step
        v[:] = beta2 * v + (1 - beta2) * dq**2  # v(k) = β₂ v(k−1) + (1−β₂) ∇q²
        p -= rho / (np.sqrt(v) + eps) * dq  # θ ← θ − ρ_k / (√v(k) + ε) ⊙ ∇q


class Adam(Optimizer):
    r"""Adam :cite:`kingma2015adam`, Algorithm 1 (:math:`\alpha` is `rho`, t = ``k + 1`` counts updates):

    .. math::
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, \nabla_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\, \nabla_t^2 \\
        \hat m_t &= m_t / (1-\beta_1^t), \qquad \hat v_t = v_t / (1-\beta_2^t) \\
        \theta_t &= \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \varepsilon)

    with :math:`m_0 = v_0 = 0`; the paper's defaults :math:`\alpha = 0.001`, :math:`\beta_1 = 0.9`,
    :math:`\beta_2 = 0.999`, :math:`\varepsilon = 10^{-8}`.

    Parameters
    ----------
    rho : float or schedule, default 0.001
        Step size :math:`\alpha > 0`.
    beta1, beta2 : float, default 0.9, 0.999
        Decay rates of the moment estimates, in [0, 1).
    eps : float, default 1e-8
        :math:`\varepsilon > 0`.

    Attributes
    ----------
    state : dict
        ``state[i]["m"]``, ``state[i]["v"]``: the biased first and second moment estimates of array i.
    """

    def __init__(self, rho=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(rho)
        self.beta1 = check_unit(beta1, "beta1", high_open=True, what="the decay of the first moment estimate")
        self.beta2 = check_unit(beta2, "beta2", high_open=True, what="the decay of the second moment estimate")
        self.eps = _check_eps(eps)

    def update(self, i, p, dq):
        rho, eps, t = self._rho_now, self.eps, self.k + 1
        beta1, beta2 = self.beta1, self.beta2
        m, v = self._slots(i, p, "m", "v")      # m_{t−1}, v_{t−1}, 0 at t = 1
        m[:] = beta1 * m + (1 - beta1) * dq     # m_t = β1 m_{t−1} + (1−β1) ∇_t
        v[:] = beta2 * v + (1 - beta2) * dq**2  # v_t = β2 v_{t−1} + (1−β2) ∇_t²
        m_hat = m / (1 - beta1 ** t)            # m̂_t = m_t / (1−β1^t)
        v_hat = v / (1 - beta2 ** t)            # v̂_t = v_t / (1−β2^t)
        # θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε)
        p -= rho * m_hat / (np.sqrt(v_hat) + eps)

    def _hyper(self):
        return f"rho={self._rho_repr()}, beta1={self.beta1!r}, beta2={self.beta2!r}, eps={self.eps!r}"


class AdaMax(Optimizer):
    r"""AdaMax :cite:`kingma2015adam`, section 7.1 (Algorithm 2), Adam with the infinity norm:

    .. math::
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, \nabla_t, \\
        u_t &= \max(\beta_2\, u_{t-1}, |\nabla_t|), \\
        \theta_t &= \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\, \frac{m_t}{u_t}

    with :math:`m_0 = u_0 = 0`; the paper's defaults :math:`\alpha = 0.002`, :math:`\beta_1 = 0.9`,
    :math:`\beta_2 = 0.999`. The paper has no :math:`\varepsilon`: where :math:`u_t = 0` every gradient so far was 0,
    so :math:`m_t = 0` too and the update is taken as 0 (not 0/0).

    Parameters
    ----------
    rho : float or schedule, default 0.002
        Step size :math:`\alpha > 0`.
    beta1, beta2 : float, default 0.9, 0.999
        Decay rates of the first moment estimate and of the infinity norm, in [0, 1).

    Attributes
    ----------
    state : dict
        ``state[i]["m"]``, ``state[i]["u"]``: first moment and exponentially weighted infinity norm of array i.
    """

    def __init__(self, rho=0.002, beta1=0.9, beta2=0.999):
        super().__init__(rho)
        self.beta1 = check_unit(beta1, "beta1", high_open=True, what="the decay of the first moment estimate")
        self.beta2 = check_unit(beta2, "beta2", high_open=True, what="the decay of the infinity norm")

    def update(self, i, p, dq):
        rho, beta1, beta2, t = self._rho_now, self.beta1, self.beta2, self.k + 1
        m, u = self._slots(i, p, "m", "u")       # m_{t−1}, u_{t−1}, 0 at t = 1
        m[:] = beta1 * m + (1 - beta1) * dq      # m_t = β1 m_{t−1} + (1−β1) ∇_t
        u[:] = np.maximum(beta2 * u, np.abs(dq))  # u_t = max(β2 u_{t−1}, |∇_t|)
        # u_t = 0 only where m_t = 0: 0/1, not 0/0
        u_safe = np.where(u > 0, u, 1)
        # θ_t = θ_{t−1} − (α/(1−β1^t)) m_t / u_t
        p -= rho / (1 - beta1 ** t) * m / u_safe

    def _hyper(self):
        return f"rho={self._rho_repr()}, beta1={self.beta1!r}, beta2={self.beta2!r}"


class Nadam(Adam):
    r"""Nadam, Adam with Nesterov momentum :cite:`dozat2016incorporating`, Algorithm 2 with a constant momentum
    schedule :math:`\mu_t = \mu = \beta_1` (so :math:`\prod_{i=1}^t \mu_i = \beta_1^t`; the paper's :math:`\nu` is
    :math:`\beta_2`, its :math:`\eta` is `rho`):

    .. math::
        \hat\nabla_t &= \nabla_t / (1 - \beta_1^t) \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, \nabla_t, \qquad \hat m_t = m_t / (1 - \beta_1^{t+1}) \\
        n_t &= \beta_2 n_{t-1} + (1-\beta_2)\, \nabla_t^2, \qquad \hat n_t = n_t / (1 - \beta_2^t) \\
        \bar m_t &= (1-\beta_1)\, \hat\nabla_t + \beta_1\, \hat m_t \\
        \theta_t &= \theta_{t-1} - \eta\, \bar m_t / (\sqrt{\hat n_t} + \varepsilon)

    This is the variant without the warming-up schedule :math:`\mu_t = \beta_1(1 - \frac12 0.96^{t/250})` that
    Keras and PyTorch add; compared with :class:`Adam`, the first moment is applied one step ahead
    (:math:`\beta_1 \hat m_t` in place of :math:`\beta_1 \hat m_{t-1}`), Nesterov's look-ahead.

    Parameters
    ----------
    rho : float or schedule, default 0.002
        Learning rate :math:`\eta > 0`.
    beta1, beta2 : float, default 0.9, 0.999
        The momentum :math:`\mu` and the decay of the second moment estimate (the paper's :math:`\nu`), in [0, 1).
    eps : float, default 1e-8
        :math:`\varepsilon > 0`.

    Attributes
    ----------
    state : dict
        ``state[i]["m"]``, ``state[i]["n"]``: the first and second moment estimates of array i.
    """

    def __init__(self, rho=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(rho, beta1, beta2, eps)                 # Adam's hyperparameters, a larger default rho

    def update(self, i, p, dq):
        rho, eps, t = self._rho_now, self.eps, self.k + 1
        beta1, beta2 = self.beta1, self.beta2
        m, n = self._slots(i, p, "m", "n")      # m_{t−1}, n_{t−1}, 0 at t = 1
        dq_hat = dq / (1 - beta1 ** t)          # ∇̂_t = ∇_t / (1−β1^t)
        m[:] = beta1 * m + (1 - beta1) * dq     # m_t = β1 m_{t−1} + (1−β1) ∇_t
        m_hat = m / (1 - beta1 ** (t + 1))      # m̂_t = m_t / (1−β1^{t+1})
        n[:] = beta2 * n + (1 - beta2) * dq**2  # n_t = β2 n_{t−1} + (1−β2) ∇_t²
        n_hat = n / (1 - beta2 ** t)            # n̂_t = n_t / (1−β2^t)
        # m̄_t = (1−β1) ∇̂_t + β1 m̂_t
        m_bar = (1 - beta1) * dq_hat + beta1 * m_hat
        # θ_t = θ_{t−1} − η m̄_t / (√n̂_t + ε)
        p -= rho * m_bar / (np.sqrt(n_hat) + eps)


class AdamW(Adam):
    r"""AdamW, Adam with *decoupled* weight decay :cite:`loshchilov2019decoupled` (Algorithm 2):

    .. math::
        \theta_t = \theta_{t-1} - \rho_k \left( \hat m_t / (\sqrt{\hat v_t} + \varepsilon)
                    + \lambda\, \theta_{t-1} \right)

    with :math:`m_t, v_t, \hat m_t, \hat v_t` as in :class:`Adam`.

    The decay :math:`\lambda\theta` is added to the *step*, not to the gradient: it does not pass through
    :math:`m` and :math:`v`, so every weight shrinks by the same fraction :math:`\rho_k\lambda` per update,
    whatever its gradients were. Adam with an L2 penalty (:math:`\lambda\theta` added to :math:`\nabla q`) divides the
    decay by :math:`\sqrt{\hat v}` like the gradient: weights with large gradients are hardly decayed at all.
    With :math:`\lambda = 0` this is :class:`Adam`. The decay is scaled by :math:`\rho_k` (as in PyTorch and
    Keras: the paper's :math:`\eta_t \lambda` with :math:`\eta_t = \rho_k`), so a schedule scales both; it
    applies to every entry of the arrays it is given (thresholds too).

    Parameters
    ----------
    rho : float or schedule, default 0.001
        Step size :math:`\rho > 0` (the paper's :math:`\alpha\eta_t`).
    lam : float, default 0.01
        Weight decay :math:`\lambda \ge 0` (the slides' regularisation factor; PyTorch's ``weight_decay``).
    beta1, beta2, eps :
        As in :class:`Adam`.
    """

    def __init__(self, rho=0.001, lam=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(rho, beta1, beta2, eps)
        self.lam = check_finite_scalar(lam, "lam")
        if self.lam < 0:
            raise ValueError(f"lam must be >= 0 (the weight decay); got {self.lam}")

    def update(self, i, p, dq):
        rho, eps, t, lam = self._rho_now, self.eps, self.k + 1, self.lam
        beta1, beta2 = self.beta1, self.beta2
        m, v = self._slots(i, p, "m", "v")      # m_{t−1}, v_{t−1}, 0 at t = 1
        m[:] = beta1 * m + (1 - beta1) * dq     # m_t = β1 m_{t−1} + (1−β1) ∇_t
        v[:] = beta2 * v + (1 - beta2) * dq**2  # v_t = β2 v_{t−1} + (1−β2) ∇_t²
        m_hat = m / (1 - beta1 ** t)            # m̂_t = m_t / (1−β1^t)
        v_hat = v / (1 - beta2 ** t)            # v̂_t = v_t / (1−β2^t)
        # θ_t = θ_{t−1} − ρ_k (m̂_t / (√v̂_t + ε) + λ θ_{t−1})
        p -= rho * (m_hat / (np.sqrt(v_hat) + eps) + lam * p)

    def _hyper(self):
        return (f"rho={self._rho_repr()}, lam={self.lam!r}, beta1={self.beta1!r}, beta2={self.beta2!r}, "
                f"eps={self.eps!r}")


OPTIMIZERS = {
    "sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": Adagrad, "adadelta": Adadelta,
    "rmsprop": RMSProp, "adam": Adam, "adamax": AdaMax, "nadam": Nadam,
}


def get(name, **hyper):
    """Build an optimizer by name, e.g. ``get("adam", rho=0.01)``; names are the keys of ``OPTIMIZERS``
    (case-insensitive). An instance of :class:`Optimizer` is returned as it is (if no hyperparameters are given)."""
    if isinstance(name, Optimizer):
        if hyper:
            raise ValueError(f"hyperparameters {sorted(hyper)} given with an optimizer instance {name!r}")
        return name
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, one of {sorted(OPTIMIZERS)}; got {type(name).__name__} {name!r}")
    cls = OPTIMIZERS.get(name.lower())
    if cls is None:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}")
    return cls(**hyper)
