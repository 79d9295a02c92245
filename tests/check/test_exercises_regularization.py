"""The checks of the regularization exercises (16-18) reject plausible wrong answers, as the notebooks run them.

Each solution notebook's code is run in this process (the Colab cell and the solution-only cells left out); then
a solution function is swapped for a wrong one and the notebook's own check cell is run again: it must print the
"Not quite" message with the hint that names the mistake, and no traceback.
"""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402


EX16 = "16-inverted-dropout.ipynb"
EX17 = "17-clip-by-norm.ipynb"
EX18 = "18-l1-subgradient.ipynb"


@pytest.mark.parametrize("name, marker", [
    (EX16, "check_inverted_dropout"),
    (EX17, "check_clip_by_norm"),
    (EX18, "check_l1_subgradient"),
    (EX18, "check_l1_step"),
])
def test_solutions_pass_their_checks(notebook, name, marker):
    out = notebook(name).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


def _unanswered(*args):
    raise NotImplementedError("Your turn")


@pytest.mark.parametrize("name, marker, answer", [
    (EX16, "check_inverted_dropout", "dropout_forward"),
    (EX16, "check_inverted_dropout", "dropout_backward"),
    (EX17, "check_clip_by_norm", "clip_by_global_norm"),
    (EX18, "check_l1_subgradient", "l1_subgradient"),
    (EX18, "check_l1_step", "l1_step"),
])
def test_not_answered(notebook, name, marker, answer):
    out = notebook(name).check(marker, **{answer: _unanswered})
    assert "Not answered yet" in out and "Traceback" not in out, out


# --------------------------------------------------------------------------------------------- 16 dropout

def _forward(drop, scale):
    def dropout_forward(x, p, rng):
        mask = rng.random(x.shape) >= drop(p)
        return x * mask * scale(p), mask
    return dropout_forward


def _backward(x, mask, p):
    return x * mask / (1 - p)


@pytest.mark.parametrize("forward, backward, words", [
    (_forward(lambda p: p, lambda p: 1.0), _backward, ["not scaled", "divides by the keep probability"]),
    (_forward(lambda p: 1 - p, lambda p: 1 / p), _backward, ["that is 1 − p", "DROPPING"]),
    (_forward(lambda p: p, lambda p: 1 - p), _backward, ["You multiply by 1 − p", "DIVIDES"]),
    (_forward(lambda p: p, lambda p: 1 / p), _backward, ["not by the drop probability p"]),
    (_forward(lambda p: p, lambda p: 1 / (1 - p)), lambda gy, m, p: gy / (1 - p), ["does not use the mask"]),
    (_forward(lambda p: p, lambda p: 1 / (1 - p)), lambda gy, m, p: gy.copy(), ["not the identity"]),
    (_forward(lambda p: p, lambda p: 1 / (1 - p)), lambda gy, m, p: gy * m, ["belongs in the backward pass"]),
    (lambda x, p, rng: (lambda m: (x * m / (1 - p), m / (1 - p)))(rng.random(x.shape) >= p), _backward,
     ["Return the 0/1 mask itself"]),
    (lambda x, p, rng: x * (rng.random(x.shape) >= p) / (1 - p), _backward, ["a tuple (y, mask)"]),
])
def test_16_mistakes(notebook, forward, backward, words):
    out = notebook(EX16).check("check_inverted_dropout", dropout_forward=forward, dropout_backward=backward)
    assert_rejected(out, *words)


def test_16_right_answer_written_differently_passes(notebook):
    def dropout_forward(x, p, rng):
        mask = (rng.uniform(size=x.shape) < 1 - p).astype(float)     # 0/1 floats, another comparison
        return np.where(mask == 1, x / (1 - p), 0.0), mask
    out = notebook(EX16).check("check_inverted_dropout", dropout_forward=dropout_forward)
    assert "✔ Correct!" in out, out


# ------------------------------------------------------------------------------------------ 17 clip by norm

def _norm(grads):
    return np.sqrt(sum(float(np.sum(g ** 2)) for g in grads))


@pytest.mark.parametrize("wrong, words", [
    (lambda grads, c: [g * c / np.linalg.norm(g) if np.linalg.norm(g) > c else g for g in grads],
     ["each array by its own norm", "ONE norm"]),
    (lambda grads, c: [g * c / _norm(grads) for g in grads], ["even when ‖g‖ < c", "case ‖g‖ < c"]),
    (lambda grads, c: [g.copy() for g in grads], ["unchanged though its norm exceeds c"]),
    (lambda grads, c: [g * _norm(grads) / c if _norm(grads) > c else g for g in grads], ["not ‖g‖/c"]),
    (lambda grads, c: [g / _norm(grads) if _norm(grads) > c else g for g in grads], ["multiply by c too"]),
    (lambda grads, c: [np.clip(g, -c, c) for g in grads], ["clipping by value"]),
    (lambda grads, c: np.concatenate([g.ravel() for g in grads]), ["a list of 3 arrays"]),
    (lambda grads, c: None, ["Did your function `return`"]),
])
def test_17_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX17).check("check_clip_by_norm", clip_by_global_norm=wrong), *words)


def test_17_in_place_answer_passes(notebook):
    def clip_by_global_norm(grads, c):
        norm = np.sqrt(sum(np.vdot(g, g) for g in grads))
        for g in grads:
            g *= min(1.0, c / norm)
        return grads
    out = notebook(EX17).check("check_clip_by_norm", clip_by_global_norm=clip_by_global_norm)
    assert "✔ Correct!" in out, out


# --------------------------------------------------------------------------------------------------- 18 L1

def _sub(factor=0.5, sign=np.sign, thresholds=False):
    def l1_subgradient(theta, lam):
        s = factor * lam * sign(theta)
        if not thresholds:
            s[:, 0] = 0.0
        return s
    return l1_subgradient


@pytest.mark.parametrize("wrong, words", [
    (_sub(-0.5), ["Mind the sign"]),
    (_sub(1.0), ["the 1/2 does not cancel", "λ Σ |θ|"]),
    (_sub(thresholds=True), ["thresholds θ_i0 (column 0) are not penalized"]),
    (_sub(sign=lambda t: np.where(t >= 0, 1.0, -1.0)), ["At θ = 0", "np.sign(0) = 0"]),
    (_sub(sign=lambda t: t / np.abs(t)), ["0/0 = NaN"]),
    (_sub(1.0, sign=lambda t: t), ["gradient of the L2 penalty"]),
])
def test_18_subgradient_mistakes(notebook, wrong, words):
    with np.errstate(invalid="ignore"):
        out = notebook(EX18).check("check_l1_subgradient", l1_subgradient=wrong)
    assert_rejected(out, *words)


def test_18_subgradient_must_not_change_theta(notebook):
    def in_place(theta, lam):
        theta *= 0.0
        return _sub()(np.ones((2, 4)), lam) * 0.0
    assert_rejected(notebook(EX18).check("check_l1_subgradient", l1_subgradient=in_place), "theta changed")


def _step(rho_on_penalty=True, sub=None, sign=1.0):
    sub = sub or _sub()

    def l1_step(theta, grad, rho, lam):
        if rho_on_penalty:
            return theta - sign * rho * (grad + sub(theta, lam))
        return theta - rho * grad - sub(theta, lam)
    return l1_step


@pytest.mark.parametrize("wrong, words", [
    (_step(sign=-1.0), ["goes downhill"]),
    (_step(rho_on_penalty=False), ["ρ multiplies the penalty's gradient too"]),
    (_step(sub=_sub(1.0)), ["the 1/2 does not cancel"]),
    (_step(sub=_sub(thresholds=True)), ["move by −ρ ∂q_S/∂θ_i0 only"]),
    (_step(sub=_sub(sign=lambda t: np.where(t >= 0, 1.0, -1.0))), ["At θ = 0"]),
    (_step(sub=_sub(0.0)), ["The penalty is missing"]),
    (_step(sub=_sub(1.0, sign=lambda t: t)), ["gradient of the L2 penalty"]),
])
def test_18_step_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX18).check("check_l1_step", l1_step=wrong), *words)
