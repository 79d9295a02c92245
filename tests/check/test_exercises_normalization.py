"""The check of exercise 15 (batch-norm backward) rejects plausible wrong answers, as the notebook runs it.

The solution notebook's code is run in this process (the Colab cell and the solution-only cells left out); then
the solution is swapped for a wrong one and the notebook's own check cell is run again: it must print the
"Not quite" message with the hint that names the mistake, and no traceback.
"""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402

from nnlib.layers.normalization import normalize_backward  # noqa: E402

EX15 = "15-batch-norm-backward.ipynb"


def _backward(grad_y, x, gamma, eps=1e-5, ddof=0, use_gamma=True, paths=("mu", "var")):
    """∂q/∂x from nnlib's ``normalize_backward`` (with ∂q/∂x̄ = γ ∂q/∂y), and the usual mistakes made from it.

    ``ddof=1`` (the unbiased variance), ``use_gamma=False`` (γ left out) and `paths` without ``"mu"`` or
    ``"var"`` (the term of the path through μ_B or σ²_B left out, i.e. added back to the right result) are the
    mistakes.
    """
    inv_std = 1 / np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    x_bar = (x - x.mean(axis=0)) * inv_std
    g = grad_y * gamma if use_gamma else grad_y
    grad_x = normalize_backward(g, x_bar, inv_std, axes=(0,), ddof=ddof)
    if "mu" not in paths:
        grad_x = grad_x + inv_std * g.mean(axis=0)                                   # the path through μ_B
    if "var" not in paths:
        grad_x = grad_x + inv_std * x_bar * (g * x_bar).sum(axis=0) / (len(x) - ddof)  # the path through σ²_B
    return grad_x


def test_solution_passes_its_check(notebook):
    nb = notebook(EX15)
    out = nb.check("check_batchnorm_backward")
    assert "✔ Correct!" in out and "✘" not in out, out
    right = nb.ns["batchnorm_backward"]
    rng = np.random.default_rng(1)
    gy, x, gamma = rng.normal(size=(4, 2)), rng.normal(size=(4, 2)), rng.normal(size=2)
    assert np.allclose(right(gy, x, gamma), _backward(gy, x, gamma))


@pytest.mark.parametrize("wrong, words", [
    (lambda gy, x, gamma, eps=1e-5: _backward(gy, x, gamma, eps, paths=()),
     ["Only the direct path", "b = 6"]),
    (lambda gy, x, gamma, eps=1e-5: _backward(gy, x, gamma, eps, paths=("mu",)), ["path through σ²_B is missing"]),
    (lambda gy, x, gamma, eps=1e-5: _backward(gy, x, gamma, eps, paths=("var",)), ["path through μ_B is missing"]),
    (lambda gy, x, gamma, eps=1e-5: _backward(gy, x, gamma, eps, ddof=1), ["unbiased variance 1/(b−1)"]),
    (lambda gy, x, gamma, eps=1e-5: _backward(gy, x, gamma, eps, use_gamma=False), ["γ is missing"]),
    (lambda gy, x, gamma, eps=1e-5: -_backward(gy, x, gamma, eps), ["wrong sign"]),
    (lambda gy, x, gamma, eps=1e-5: _backward(gy, x, gamma, eps).T, ["transposed"]),
    (lambda gy, x, gamma, eps=1e-5: None, ["Did your function `return`"]),
])
def test_15_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX15).check("check_batchnorm_backward", batchnorm_backward=wrong), *words)


def test_15_a_mistake_only_on_the_second_batch_is_caught(notebook):
    # right for b = 6 only (a hard-coded batch size): the batch of 3 exposes it
    def hard_coded(gy, x, gamma, eps=1e-5):
        inv = 1 / np.sqrt(((x - x.mean(axis=0)) ** 2).sum(axis=0) / 6 + eps)
        x_bar = (x - x.mean(axis=0)) * inv
        g = gy * gamma
        return inv * (g - g.sum(axis=0) / 6 - x_bar * (g * x_bar).sum(axis=0) / 6)
    assert_rejected(notebook(EX15).check("check_batchnorm_backward", batchnorm_backward=hard_coded), "b = 3")


def test_15_not_answered(notebook):
    def unanswered(*args, **kwargs):
        raise NotImplementedError("Your turn")
    out = notebook(EX15).check("check_batchnorm_backward", batchnorm_backward=unanswered)
    assert "Not answered yet" in out and "Traceback" not in out
