"""The check of exercise 21 (BPTT by hand) rejects plausible wrong answers, as the notebook runs it.

The solution notebook's code is run in this process (the Colab cell and the solution-only cells left out); then
the solution function is swapped for a wrong one and the notebook's own check cell is run again: it must print
the "Not quite" message with the hint that names the mistake, and no traceback.
"""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402

from nnlib.check.recurrent import _CASES, _reference, bptt_one_unit  # noqa: E402
from nnlib.gradcheck import numerical_derivative  # noqa: E402

EX21 = "21-bptt-by-hand.ipynb"


def test_solution_passes_its_check(notebook):
    out = notebook(EX21).check("check_bptt_by_hand")
    assert "✔ Correct!" in out and "✘" not in out, out


def test_reference_is_the_central_difference():
    for w_X, w_Y, b, x, t in _CASES:
        def q(w):
            h = 0.0
            for x_n in x:
                h = np.tanh(w_X * x_n + w * h + b)
            return 0.5 * (h - t) ** 2
        assert _reference(w_X, w_Y, b, x, t) == pytest.approx(float(numerical_derivative(q, w_Y)), rel=1e-7)
        assert bptt_one_unit(w_X, w_Y, b, x, t) == pytest.approx(_reference(w_X, w_Y, b, x, t), rel=1e-12)


def _last_only(w_X, w_Y, b, x, t):
    # forgets the indirect paths: only the direct term of the last step
    h = [0.0]
    for x_n in x:
        h.append(np.tanh(w_X * x_n + w_Y * h[-1] + b))
    return (h[3] - t) * (1 - h[3] ** 2) * h[2]


def _no_chain(w_X, w_Y, b, x, t):
    # every step's term, but each d_n as if z_n reached q directly
    h = [0.0]
    for x_n in x:
        h.append(np.tanh(w_X * x_n + w_Y * h[-1] + b))
    return sum((h[3] - t) * (1 - h[n] ** 2) * h[n - 1] for n in (1, 2, 3))


def _no_fprime(w_X, w_Y, b, x, t):
    # the chain without f' anywhere
    h = [0.0]
    for x_n in x:
        h.append(np.tanh(w_X * x_n + w_Y * h[-1] + b))
    d, total = h[3] - t, 0.0
    for n in (3, 2, 1):
        total += d * h[n - 1]
        d *= w_Y
    return total


def _chain_no_fprime(w_X, w_Y, b, x, t):
    h = [0.0]
    for x_n in x:
        h.append(np.tanh(w_X * x_n + w_Y * h[-1] + b))
    d, total = (h[3] - t) * (1 - h[3] ** 2), 0.0
    for n in (3, 2, 1):
        total += d * h[n - 1]
        d *= w_Y
    return total


@pytest.mark.parametrize("wrong, words", [
    (_last_only, ["only the last step's term", "d₂ h₁"]),
    (_no_chain, ["carry the gradient back through the later states"]),
    (_no_fprime, ["f'(z_n) = 1 − h_n² are missing"]),
    (_chain_no_fprime, ["passes through tanh again"]),
    (lambda *a: bptt_one_unit(*a, mistake="h_n"), ["PREVIOUS state", "d_n · h_{n−1}"]),
    (lambda *a: -bptt_one_unit(*a), ["sign is wrong"]),
    (lambda *a: 2 * bptt_one_unit(*a), ["Write the forward pass h₁, h₂, h₃ first"]),
    (lambda *a: np.array([1.0, 2.0]), ["one number"]),
])
def test_21_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX21).check("check_bptt_by_hand", dq_dwY=wrong), *words)


def test_21_not_answered(notebook):
    def unanswered(*args):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX21).check("check_bptt_by_hand", dq_dwY=unanswered)


def test_21_not_a_function(notebook):
    assert_rejected(notebook(EX21).check("check_bptt_by_hand", dq_dwY=0.05), "without parentheses")
