r"""Optimizers: how a gradient becomes a weight update (slides "Algoritmos de optimización", "BackProp con momentum").

An optimizer turns the gradient :math:`\nabla q = \partial q_S / \partial \theta` of every weight array into an
update and applies it **in place**::

    opt = optim.Momentum(rho=0.1, nu=0.9)
    opt.step(net.theta, grad)      # lists indexed like the layers; None entries (slot 0) are skipped

- :class:`SGD`, gradient descent: :math:`\theta \leftarrow \theta - \rho\, \nabla q`.
- :class:`Momentum`, the slides' BackProp with momentum (inertia, "inercia"):
  :math:`\Delta\theta(k) = -\rho\, \nabla q + \nu\, \Delta\theta(k-1)`, :math:`\theta \leftarrow \theta + \Delta\theta(k)`,
  with :math:`0 \le \nu < 1`.

New optimizers subclass :class:`Optimizer` and implement :meth:`Optimizer.update`; state kept between
steps (such as the previous :math:`\Delta\theta`) lives in ``self.state``, one entry per parameter array.
"""

import numpy as np

from ._validate import check_finite_scalar, check_positive

__all__ = ["Optimizer", "SGD", "Momentum"]


class Optimizer:
    r"""Base class: ``step(params, grads)`` updates every parameter array in place.

    Parameters
    ----------
    rho : float
        Learning rate (factor de aprendizaje) :math:`\rho > 0`.

    Attributes
    ----------
    k : int
        Number of steps taken so far.
    state : dict
        Per-parameter state, keyed by the position of the array in ``params`` (e.g. layer l).
    """

    def __init__(self, rho):
        self.rho = rho
        self.k = 0
        self.state = {}
        self._scratch = {}

    @property
    def rho(self):
        """Learning rate :math:`\rho > 0`; may be changed between steps (the slides' :math:`\rho_k`), and is checked."""
        return self._rho

    @rho.setter
    def rho(self, value):
        self._rho = check_positive(value, "rho")

    def step(self, params, grads):
        """Update every array of `params` in place from the matching gradient in `grads`.

        Parameters
        ----------
        params : list of ndarray or None
            Parameter arrays, e.g. ``net.theta`` (``None`` entries, such as slot 0, are skipped).
        grads : list of ndarray or None
            :math:`\\partial q / \\partial \\theta` for each array, same shapes; ``None`` where `params` is ``None``.
        """
        if len(params) != len(grads):
            raise ValueError(f"grads must have one entry per parameter array ({len(params)}); got {len(grads)}")
        for i, (p, g) in enumerate(zip(params, grads)):
            if p is None:
                continue
            if not isinstance(p, np.ndarray):
                raise TypeError(f"params[{i}] must be a numpy array (it is updated in place); got {type(p).__name__}")
            if g is None or np.shape(g) != p.shape:
                got = "None" if g is None else f"shape {np.shape(g)}"
                raise ValueError(f"grads[{i}] must have the shape of params[{i}] {p.shape}; got {got}")
            self.update(i, p, g)
        self.k += 1

    def update(self, i, p, g):
        """Update the array `p` (position `i` in the parameter list) in place from its gradient `g`."""
        raise NotImplementedError(f"{type(self).__name__} must implement update(i, p, g)")

    def reset(self):
        """Forget the state (and the step count): the next step starts afresh."""
        self.k = 0
        self.state = {}
        self._scratch = {}

    def _buffer(self, i, p):
        """A scratch array shaped like `p`, reused from step to step (no allocation in the hot path)."""
        buf = self._scratch.get(i)
        if buf is None or buf.shape != p.shape or buf.dtype != p.dtype:
            buf = self._scratch[i] = np.empty_like(p)
        return buf

    def _hyper(self):
        return f"rho={self.rho!r}"

    def __repr__(self):
        return f"{type(self).__name__}({self._hyper()})"


class SGD(Optimizer):
    r"""Gradient descent: :math:`\theta \leftarrow \theta - \rho\, \nabla q`.

    With the gradient of :math:`q_S` over a batch this is the slides' update
    :math:`\Delta\theta^l_{ij} = -\rho\, \partial q_S / \partial \theta^l_{ij}`; over a mini-batch or one
    sample it is stochastic gradient descent (SGD).

    Parameters
    ----------
    rho : float
        Learning rate :math:`\rho > 0`.
    """

    def update(self, i, p, g):
        rho_g = np.multiply(g, self.rho, out=self._buffer(i, p))
        p -= rho_g                              # θ ← θ − ρ ∇q


class Momentum(Optimizer):
    r"""BackProp with momentum (slide "BackProp con momentum").

    .. math:: \Delta\theta(k) = -\rho\, \nabla q + \nu\, \Delta\theta(k-1), \qquad \theta \leftarrow \theta + \Delta\theta(k)

    with :math:`\Delta\theta(0) = 0`. For the batch gradient, :math:`-\rho \nabla q_S =
    \frac{\rho}{N} \sum_n \delta^l_i(\mathbf{x}_n)\, s^{l-1}_j(\mathbf{x}_n)`, the slide's formula. With
    :math:`\nu = 0` this is :class:`SGD`.

    Parameters
    ----------
    rho : float
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
        self.nu = _check_nu(nu)

    def update(self, i, p, g):
        Delta = self.state.get(i)
        if Delta is None:
            Delta = self.state[i] = np.zeros_like(p)   # Δθ(0) = 0
        elif Delta.shape != p.shape:
            raise ValueError(f"params[{i}] has shape {p.shape} but the stored Δθ has shape {Delta.shape}; "
                             "call reset() before stepping a different set of arrays")
        rho_g = np.multiply(g, self.rho, out=self._buffer(i, p))
        Delta *= self.nu                        # ν Δθ(k−1)
        Delta -= rho_g                          # Δθ(k) = −ρ ∇q + ν Δθ(k−1)
        p += Delta                              # θ ← θ + Δθ(k)

    def _hyper(self):
        return f"rho={self.rho!r}, nu={self.nu!r}"


def _check_nu(nu):
    """Return `nu` as a float if ``0 <= nu < 1``, else raise naming ``nu``."""
    nu = check_finite_scalar(nu, "nu")
    if not 0 <= nu < 1:
        raise ValueError(f"nu must be in [0, 1) (the momentum weight, 0 <= nu < 1); got {nu}")
    return nu

