r"""Check of the batch-normalization exercise (15): the backward pass for the input of a batch-norm layer.

The student writes ``batchnorm_backward(grad_y, x, gamma, eps)`` for the training forward pass
:math:`\bar x = (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}`, :math:`y = \gamma \bar x + \beta`, with the biased
variance :math:`\sigma_B^2 = \frac1b \sum (x_i - \mu_B)^2`. The check compares it with
:class:`nnlib.layers.normalization.BatchNorm` on two batches of different sizes and names the usual mistakes by
computing them too: the terms through :math:`\mu_B` and :math:`\sigma_B^2` forgotten (one or both),
:math:`1/(b-1)` instead of :math:`1/b`, :math:`\gamma` left out, a sum where a mean belongs, the wrong sign.

Imported into :mod:`nnlib.check` (notebooks call ``check.check_batchnorm_backward(...)``) and recorded by
:func:`~nnlib.check.summary` like every other check.
"""

import numpy as np

from ..layers.normalization import BatchNorm
from ._feedback import _as_array, _call_shaped, _compare_arrays, _correct, _run, _Stop, _t, _type_hint, _wrong

__all__ = ["check_batchnorm_backward"]


def _bn_cases():
    """Two batches (b = 6 and b = 3, M = 3) with non-trivial x, γ and ∂q/∂y, and ε = 1e-5."""
    rng = np.random.default_rng(15)
    cases = []
    for b in (6, 3):
        x = rng.normal(size=(b, 3)) * [2.0, 0.5, 1.0] + [1.0, -3.0, 0.2]
        gamma = np.array([1.5, -0.7, 2.0])
        grad_y = rng.normal(size=(b, 3))
        cases.append((grad_y, x, gamma, 1e-5))
    return cases


def _bn_variants(grad_y, x, gamma, eps):
    """The right ∂q/∂x and the usual wrong ones, as (array, hint) pairs."""
    b = x.shape[0]
    g = grad_y * gamma
    mu = x.mean(axis=0)

    def full(g, var_ddof, proj_ddof, mean_term=True, var_term=True):
        var = ((x - mu) ** 2).sum(axis=0) / (b - var_ddof)
        inv = 1.0 / np.sqrt(var + eps)
        xbar = (x - mu) * inv
        out = g.copy()
        if mean_term:
            out = out - g.mean(axis=0)
        if var_term:
            out = out - xbar * (g * xbar).sum(axis=0) / (b - proj_ddof)
        return inv * out

    right = full(g, 0, 0)
    inv = 1.0 / np.sqrt(x.var(axis=0) + eps)
    mistakes = [
        (full(g, 0, 0, mean_term=False, var_term=False),
         _t("Only the direct path: μ_B and σ²_B depend on every x_i too. Add the terms through the mean, "
            "−(1/b) Σ_j ∂q/∂x̄_j, and through the variance, −x̄_i (1/b) Σ_j ∂q/∂x̄_j x̄_j, inside the bracket.")),
        (full(g, 0, 0, var_term=False),
         _t("The path through σ²_B is missing: subtract x̄_i (1/b) Σ_j ∂q/∂x̄_j x̄_j inside the bracket.")),
        (full(g, 0, 0, mean_term=False),
         _t("The path through μ_B is missing: subtract the mean over the batch, (1/b) Σ_j ∂q/∂x̄_j, inside the "
            "bracket.")),
        (full(g, 1, 1),
         _t("You used the unbiased variance 1/(b−1) (the slide's). This forward pass divides by b (np.var's default, "
            "ddof=0), and the backward pass must differentiate the forward pass it is given.")),
        (full(g, 0, 1),
         _t("The term through σ²_B has 1/(b−1); the variance of this forward pass is the biased one, so it is 1/b.")),
        (full(g, 1, 0),
         _t("σ²_B must be the biased variance 1/b, as in the forward pass (np.var(x, axis=0), ddof=0).")),
        (full(grad_y, 0, 0),
         _t("γ is missing: the gradient reaching x̄ is ∂q/∂x̄ = γ ∂q/∂y. Multiply grad_y by gamma first.")),
        (inv * (g - g.sum(axis=0) - ((x - mu) * inv) * (g * (x - mu) * inv).sum(axis=0)),
         _t("The sums over the batch need the factor 1/b (a mean), both of them.")),
        (-right, _t("Your values have the wrong sign: grad_y is ∂q/∂y, and the result is ∂q/∂x, not −∂q/∂x.")),
        (right.T, _t("Your result is transposed: give one row per sample, as x.")),
    ]
    return right, mistakes


def check_batchnorm_backward(answer, name="batchnorm_backward", rtol=1e-7, atol=1e-10):
    r"""Check ``answer(grad_y, x, gamma, eps) -> grad_x``, the backward pass of batch normalization in training.

    The forward pass is :math:`\mu_B = \frac1b\sum_i x_i`, :math:`\sigma_B^2 = \frac1b\sum_i (x_i-\mu_B)^2`,
    :math:`\bar x = (x-\mu_B)/\sqrt{\sigma_B^2+\epsilon}`, :math:`y = \gamma\bar x + \beta` (per column of x). The
    answer is compared with ``nnlib.layers.normalization.BatchNorm(M, eps).backward`` (training mode) on a batch of 6
    and a batch of 3 samples; the message names the usual mistakes (terms through μ_B or σ²_B forgotten,
    1/(b−1) instead of 1/b, γ left out, sums instead of means, the sign).

    Returns
    -------
    bool
    """
    cases = []
    for grad_y, x, gamma, eps in _bn_cases():
        layer = BatchNorm(x.shape[1], eps=eps)
        layer.params["gamma"][...] = gamma
        layer.forward(x, train=True)
        reference = layer.backward(grad_y)
        right, mistakes = _bn_variants(grad_y, x, gamma, eps)
        if not np.allclose(reference, right, rtol=1e-10, atol=1e-12):
            raise RuntimeError("nnlib.layers.normalization.BatchNorm.backward disagrees with the formula in nnlib.check")
        cases.append((grad_y, x, gamma, eps, reference, mistakes))

    def run():
        for grad_y, x, gamma, eps, expected, mistakes in cases:
            shape = _t("an array of shape {shape} (one row per sample, like x)", shape=x.shape)
            args = (grad_y.copy(), x.copy(), gamma.copy(), eps)
            value = _call_shaped(answer, args, name, f"{name}: {shape}", params=("grad_y", "x", "gamma", "eps"))
            found = _type_hint(value, shape)
            if found:
                raise _Stop(_wrong(f"{name}: {shape}", *found))
            got = _as_array(value, name)
            if got.shape == expected.shape and np.all(np.isfinite(got)) and np.allclose(
                    got, expected, rtol=rtol, atol=atol):
                continue
            return _compare_arrays(got, expected, f"∂q/∂x (b = {x.shape[0]})", mistakes, None, rtol, atol)
        return _correct(_t("{name} matches nnlib's BatchNorm.backward on batches of 6 and 3 samples, "
                           "all three paths included (direct, through μ_B, through σ²_B).", name=name))

    return _run(run, name)
