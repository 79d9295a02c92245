r"""Normalization: input standardization, batch normalization and layer normalization.

The slides ("Codificación", "Normalización a nivel de minibatch", "Normalización a nivel de capa") subtract a
mean and divide by a standard deviation; they differ in *what* the statistics are taken over:

- :class:`Standardize`: each input feature :math:`j` over the training set,
  :math:`\hat x_j = (x_j - \mu_j)/\sigma_j`, fitted once on the training split and then applied unchanged.
- :class:`BatchNorm`: each node of layer :math:`k` over the :math:`b` samples of a minibatch,
  :math:`\bar s^k = (s^k - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}`, then :math:`\hat s^k = \gamma \bar s^k + \beta`.
- :class:`LayerNorm`: each sample over the :math:`M_k` nodes of its layer,
  :math:`\hat s_i^k = (s_i^k - \mu_L)/\sqrt{\sigma_L^2 + \epsilon}`, then (as Ba et al. 2016) a gain and bias.

Variance estimator. The slides write :math:`1/(b-1)` (and :math:`1/(M_k-1)`); Ioffe & Szegedy (2015) and Ba et
al. (2016) normalize with the biased :math:`1/b` (:math:`1/M_k`), as common libraries do. ``ddof=0`` (default)
is the biased estimator, ``ddof=1`` the slides' unbiased one. :class:`Standardize` follows the slide
("Codificación") and uses ``ddof=1`` by default.
"""

import numpy as np

from .._validate import as_real_array, check_int, check_positive
from .base import Layer, check_input

__all__ = ["Standardize", "BatchNorm", "LayerNorm", "normalize_backward"]


def _check_ddof(ddof):
    if ddof not in (0, 1) or isinstance(ddof, bool):
        raise ValueError(f"ddof must be 0 (biased variance, 1/N) or 1 (unbiased, 1/(N-1)); got {ddof!r}")
    return int(ddof)


def _check_size(M, name="M"):
    check_int(M, name)
    return int(M)


def normalize_backward(grad_xbar, xbar, inv_std, axes, ddof=0):
    r"""Gradient of :math:`\bar x = (x-\mu)/\sqrt{\sigma^2+\epsilon}` with the
    statistics over `axes`.

    With :math:`n` values per statistic, :math:`\mu = \frac1n\sum x` and
    :math:`\sigma^2 = \frac{1}{n-\text{ddof}}\sum (x-\mu)^2`, the compact form
    is

    .. math::

        \frac{\partial q}{\partial x} = \frac{1}{\sqrt{\sigma^2+\epsilon}}
        \Big(\partial - \operatorname{mean}(\partial)
        - \bar x\, \frac{\sum \partial \odot \bar x}{n - \text{ddof}}\Big),
        \qquad \partial = \frac{\partial q}{\partial \bar x}

    (``grad_xbar`` is :math:`\partial`, the book's :math:`\partial_i`): the
    first term is the direct path, the second the path through :math:`\mu`, the
    third the path through :math:`\sigma^2`.
    """
    n = int(np.prod([xbar.shape[a] for a in axes]))
    g_mean = grad_xbar.mean(axis=axes, keepdims=True)  # path through μ
    sum_gx = (grad_xbar * xbar).sum(axis=axes, keepdims=True)  # Σ ∂ ⊙ x̄
    g_proj = sum_gx / (n - ddof)  # path through σ²
    return inv_std * (grad_xbar - g_mean - xbar * g_proj)


class Standardize:
    r"""Input standardization (slide "Codificación"), fitted on the training split only.

    .. math:: \mu_j = \frac1N \sum_{i=1}^N x_{ij}, \quad \sigma_j^2 = \frac{1}{N-1}\sum_{i=1}^N (x_{ij}-\mu_j)^2,
              \quad \hat x_j = \frac{x_j - \mu_j}{\sigma_j}

    ``fit(X_train)`` stores ``mean`` and ``std`` (a constant feature gets ``std = 1``, so it maps to 0 rather
    than to a division by zero); ``transform(X)`` applies them to any split. Fitting on the test split would
    let test data leak into the model.

    Parameters
    ----------
    ddof : {1, 0}, default 1
        1: the slide's :math:`1/(N-1)`; 0: the biased :math:`1/N` (scikit-learn's ``StandardScaler``).
    """

    def __init__(self, ddof=1):
        self.ddof = _check_ddof(ddof)
        self.mean = None
        self.std = None

    def fit(self, X):
        """Compute the per-feature mean and standard deviation of the training
        inputs `X` (N, d); returns self."""
        X = check_input(X, 2, "X", what="samples as rows")
        if X.shape[0] <= self.ddof:
            raise ValueError(
                f"X must hold at least {self.ddof + 1} samples to estimate a "
                f"variance with ddof={self.ddof}; got shape {X.shape}")
        self.mean = X.mean(axis=0)              # μ_j
        std = X.std(axis=0, ddof=self.ddof)     # σ_j
        self.std = np.where(std > 0, std, 1.0)  # constant feature: σ_j := 1
        return self

    def transform(self, X):
        """:math:`\\hat x_j = (x_j - \\mu_j)/\\sigma_j` with the statistics of
        :meth:`fit`."""
        if self.mean is None:
            raise RuntimeError(
                "Standardize.transform called before fit(X_train)")
        X = check_input(X, 2, "X", size=self.mean.shape[0],
                        what="samples as rows, as many features as in fit")
        return (X - self.mean) / self.std  # x̂_j = (x_j − μ_j) / σ_j

    def fit_transform(self, X):
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def __repr__(self):
        return f"Standardize(ddof={self.ddof}{', fitted' if self.mean is not None else ''})"


class BatchNorm(Layer):
    r"""Batch normalization (slide "Normalización a nivel de minibatch"; Ioffe & Szegedy 2015).

    For a minibatch :math:`B = \{s_1, \dots, s_b\}` of a layer's outputs, per node (per channel for images):

    .. math:: \mu_B &= \frac1b \sum_i s_i, \quad
              \sigma_B^2 = \frac{1}{b-\text{ddof}} \sum_i (s_i - \mu_B)^2, \\
              \bar s &= \frac{s - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \quad \hat s = \gamma \bar s + \beta

    Training (``train=True``) uses the batch statistics and updates the running ones,
    ``running = momentum * running + (1 - momentum) * batch``; evaluation (``train=False``) uses the running
    mean and variance, so a sample's output no longer depends on the other samples of its batch.

    Parameters
    ----------
    M : int
        Number of nodes (inputs of shape (N, M)) or channels (inputs of shape (N, M, H, W)).
    eps : float, default 1e-5
        The :math:`\epsilon` of the slide, added to the variance.
    momentum : float in [0, 1), default 0.9
        Weight of the old running statistics.
    unbiased_running : bool, default True
        Accumulate the unbiased variance :math:`\frac{1}{b-1}\sum (s_i-\mu_B)^2` in the running variance, as the
        paper does for inference (and PyTorch); False accumulates the biased one.
    ddof : {0, 1}, default 0
        Variance used to normalize in training: 0 the biased :math:`1/b` (paper, libraries), 1 the slide's
        :math:`1/(b-1)`.

    ``params``: ``gamma`` (M,) starting at 1 and ``beta`` (M,) starting at 0, neither penalized.
    ``running_mean`` starts at 0 and ``running_var`` at 1.
    """

    def __init__(self, M, eps=1e-5, momentum=0.9, unbiased_running=True, ddof=0):
        super().__init__()
        self.M = _check_size(M)
        self.eps = check_positive(eps, "eps")
        if not (0.0 <= float(momentum) < 1.0):
            raise ValueError(f"momentum must be in [0, 1); got {momentum!r}")
        self.momentum = float(momentum)
        self.unbiased_running = bool(unbiased_running)
        self.ddof = _check_ddof(ddof)
        self.params = {"gamma": np.ones(self.M), "beta": np.zeros(self.M)}
        self.grads = {"gamma": np.zeros(self.M), "beta": np.zeros(self.M)}
        self.running_mean = np.zeros(self.M)
        self.running_var = np.ones(self.M)

    def _axes(self, x):
        if x.ndim == 2:
            return (0,), (1, self.M)
        return (0, 2, 3), (1, self.M, 1, 1)

    def forward(self, x, train=False):
        x = as_real_array(x, "x")
        if x.ndim not in (2, 4) or x.shape[1] != self.M:
            raise ValueError(f"x must have shape (N, {self.M}) or "
                             f"(N, {self.M}, H, W); got {x.shape}")
        if x.shape[0] == 0:
            raise ValueError(
                f"x must hold at least one sample; got shape {x.shape}")
        axes, shape = self._axes(x)
        n = int(np.prod([x.shape[a] for a in axes]))  # b values per node
        if train and n < 2:
            raise ValueError(
                f"BatchNorm in training mode needs at least 2 values per node "
                f"to estimate a variance; got batch size {x.shape[0]} "
                f"(x of shape {x.shape}). Use a batch of 2 or more samples, "
                f"or train=False")
        gamma = self.params["gamma"].reshape(shape)
        beta = self.params["beta"].reshape(shape)
        if train:
            mu = x.mean(axis=axes, keepdims=True)  # μ_B
            sum_sq = ((x - mu) ** 2).sum(axis=axes, keepdims=True)
            var = sum_sq / (n - self.ddof)  # σ²_B
        else:
            mu = self.running_mean.reshape(shape)
            var = self.running_var.reshape(shape)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xbar = (x - mu) * inv_std  # s̄ = (s − μ)/√(σ² + ε)
        self._cache = (xbar, inv_std, axes, shape, bool(train))
        if train:
            self._update_running(mu, var, n)
        return gamma * xbar + beta  # ŝ = γ s̄ + β

    def _update_running(self, mu_B, var_B, n):
        r"""Running statistics for evaluation (:math:`\beta_{\text{run}}` = ``momentum``):
        :math:`\text{run} \leftarrow \beta_{\text{run}}\,\text{run} + (1-\beta_{\text{run}})\,\text{batch}`.

        The running variance accumulates the unbiased batch variance :math:`\frac{1}{b-1}\sum (s_i-\mu_B)^2`
        (or, with ``unbiased_running=False``, the biased :math:`\frac1b\sum`), whatever ``ddof`` normalizes with.
        """
        m = self.momentum
        sum_sq = var_B * (n - self.ddof)                                            # Σ (s_i − μ_B)²
        var_run = sum_sq / (n - 1) if self.unbiased_running else sum_sq / n
        self.running_mean[...] = m * self.running_mean + (1 - m) * mu_B.reshape(-1)
        self.running_var[...] = m * self.running_var + (1 - m) * var_run.reshape(-1)

    def backward(self, grad_y):
        xbar, inv_std, axes, shape, train = self._saved()
        grad_y = self._check_grad_y(grad_y, xbar.shape)
        g = self.grads
        g["gamma"][...] = (grad_y * xbar).sum(axis=axes)  # ∂q/∂γ = Σ ∂q/∂ŝ s̄
        g["beta"][...] = grad_y.sum(axis=axes)            # ∂q/∂β = Σ ∂q/∂ŝ
        grad_xbar = grad_y * self.params["gamma"].reshape(shape)
        if not train:  # fixed statistics
            return grad_xbar * inv_std
        return normalize_backward(grad_xbar, xbar, inv_std, axes, self.ddof)

    def __repr__(self):
        return f"BatchNorm({self.M}, eps={self.eps:g}, momentum={self.momentum:g}, ddof={self.ddof})"


class LayerNorm(Layer):
    r"""Layer normalization (slide "Normalización a nivel de capa"; Ba, Kiros & Hinton 2016).

    Each sample is normalized over its own :math:`M_k` nodes (the last axis), with no dependence on the batch:

    .. math:: \mu_L &= \frac{1}{M_k}\sum_i s_i, \quad
              \sigma_L^2 = \frac{1}{M_k-\text{ddof}}\sum_i (s_i-\mu_L)^2, \\
              \hat s_i &= \gamma_i \frac{s_i - \mu_L}{\sqrt{\sigma_L^2+\epsilon}} + \beta_i

    The slide stops at the normalized value; the gain :math:`\gamma` and bias :math:`\beta` (starting at 1
    and 0) are Ba et al.'s. Training and evaluation behave the same.

    Parameters
    ----------
    M : int >= 2
        Size of the last axis.
    eps : float, default 1e-5
    ddof : {0, 1}, default 0
        0 the biased :math:`1/M_k` (Ba et al., libraries), 1 the slide's :math:`1/(M_k-1)`.
    """

    def __init__(self, M, eps=1e-5, ddof=0):
        super().__init__()
        self.M = _check_size(M)
        if self.M < 2:
            raise ValueError(f"M must be >= 2 for a layer normalization (one node normalizes to 0); got {M!r}")
        self.eps = check_positive(eps, "eps")
        self.ddof = _check_ddof(ddof)
        self.params = {"gamma": np.ones(self.M), "beta": np.zeros(self.M)}
        self.grads = {"gamma": np.zeros(self.M), "beta": np.zeros(self.M)}

    def forward(self, x, train=False):
        x = as_real_array(x, "x")
        if x.ndim < 2 or x.shape[-1] != self.M or x.shape[0] == 0:
            raise ValueError(f"x must have shape (N, ..., {self.M}) "
                             f"with N >= 1; got {x.shape}")
        mu = x.mean(axis=-1, keepdims=True)  # μ_L
        sum_sq = ((x - mu) ** 2).sum(axis=-1, keepdims=True)
        var = sum_sq / (self.M - self.ddof)  # σ²_L
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xbar = (x - mu) * inv_std  # (s_i − μ_L)/√(σ²_L + ε)
        self._cache = (xbar, inv_std)
        return self.params["gamma"] * xbar + self.params["beta"]

    def backward(self, grad_y):
        xbar, inv_std = self._saved()
        grad_y = self._check_grad_y(grad_y, xbar.shape)
        batch_axes = tuple(range(grad_y.ndim - 1))
        self.grads["gamma"][...] = (grad_y * xbar).sum(axis=batch_axes)
        self.grads["beta"][...] = grad_y.sum(axis=batch_axes)
        return normalize_backward(grad_y * self.params["gamma"], xbar, inv_std, (-1,), self.ddof)

    def __repr__(self):
        return f"LayerNorm({self.M}, eps={self.eps:g}, ddof={self.ddof})"
