"""The checks of the optimizer exercises (11-14) reject plausible wrong answers, as the notebooks run them.

Each solution notebook's code is run in this process (the Colab cell and the solution-only cells left
out); then a solution function is swapped for a wrong one and the notebook's own check cell is run
again: it must print the "Not quite" message with the hint that names the mistake, and no traceback.
check_momentum_step, check_adam_step and check_choice are also unit-tested in test_check.py.
"""


import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402


EX11 = "11-momentum-update.ipynb"
EX12 = "12-adam-step.ipynb"
EX13 = "13-learning-rate-from-curvature.ipynb"
EX14 = "14-which-optimizer-wins.ipynb"


@pytest.mark.parametrize("name, marker", [
    (EX11, "check_momentum_step"),
    (EX12, "check_adam_step"),
    (EX13, "ρ for ξ = 4"),
    (EX13, "ρ_best"),
    (EX14, "check_choice"),
])
def test_solutions_pass_their_checks(notebook, name, marker):
    out = notebook(name).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


# ------------------------------------------------------------------------------- 11 momentum

@pytest.mark.parametrize("wrong, words", [
    (lambda th, g, D, rho, nu: (th + rho * g + nu * D, rho * g + nu * D), ["sign of ρ ∇q", "θ(1)"]),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * th, -rho * g + nu * th), ["not the weights θ"]),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * D, D), ["Δθ(k) is not stored", "plain gradient descent",
                                                            "θ(1) is right"]),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * D, -rho * g), ["not stored whole"]),
    (lambda th, g, D, rho, nu: (th - rho * (nu * -D / rho + g), nu * -D / rho + g), ["velocity v(k)"]),
    (lambda th, g, D, rho, nu: th - rho * g, ["a tuple (theta_new, Delta)", "Return the 2 values"]),
])
def test_11_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX11).check("check_momentum_step", momentum_step=wrong), *words)


def test_11_not_answered(notebook):
    def unanswered(*args):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX11).check("check_momentum_step", momentum_step=unanswered)


# ----------------------------------------------------------------------------------- 12 Adam

def _adam(mistake=None):
    def adam_step(theta, grad, m, v, t, rho, beta1, beta2, eps):
        if mistake != "t0":
            t = t + 1
        b1, b2 = (beta2, beta1) if mistake == "swapped" else (beta1, beta2)
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad ** 2
        m_hat, v_hat = (m, v) if mistake == "no_bias" else (m / (1 - b1 ** t), v / (1 - b2 ** t))
        denominator = np.sqrt(v_hat + eps) if mistake == "eps_inside" else np.sqrt(v_hat) + eps
        return theta - rho * m_hat / denominator, m, v, (t + 1 if mistake == "t0" else t)
    return adam_step


@pytest.mark.parametrize("mistake, words", [
    ("no_bias", ["bias correction is missing", "θ(1)"]),
    ("t0", ["1 − β^0 = 0", "NaN", "divide by zero"]),
    ("eps_inside", ["outside the square root"]),
    ("swapped", ["β1 and β2 are swapped", "m after step 1"]),
])
def test_12_mistakes(notebook, mistake, words):
    # numpy's warnings: in the text
    assert_rejected(notebook(EX12).check("check_adam_step", adam_step=_adam(mistake)), *words)


def test_12_right_answer_written_differently_passes(notebook):
    def adam_step(theta, grad, m, v, t, rho, beta1, beta2, eps):
        t += 1
        m = m + (1 - beta1) * (grad - m)                 # the same averages, written as corrections
        v = v + (1 - beta2) * (grad * grad - v)
        alpha = rho / (1 - beta1 ** t)
        return theta - alpha * m / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v, t
    out = notebook(EX12).check("check_adam_step", adam_step=adam_step)
    assert "✔ Correct!" in out, out


def _adam_float32(theta, grad, m, v, t, rho, beta1, beta2, eps):
    """Algorithm 1 computed in float32 throughout, hyperparameters included (as a float32 framework does)."""
    theta, grad, m, v = (np.asarray(a, dtype=np.float32) for a in (theta, grad, m, v))
    rho, beta1, beta2, eps = (np.float32(h) for h in (rho, beta1, beta2, eps))
    t = t + 1
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - rho * m_hat / (np.sqrt(v_hat) + eps), m, v, t


def test_12_float32_answer_passes_to_float32_precision(notebook):
    """Issue #13: a float32 Adam, right to float32 precision, was rejected with Expected and Got printed alike."""
    out = notebook(EX12).check("check_adam_step", adam_step=_adam_float32)
    assert "✔ Correct!" in out and "float32 precision" in out, out


def test_12_float32_slip_is_still_rejected_and_the_digits_differ(notebook):
    def off_by_1e_4(*args):
        theta, m, v, t = _adam_float32(*args)
        return theta + np.float32(1e-4), m, v, t
    out = notebook(EX12).check("check_adam_step", adam_step=off_by_1e_4)
    assert_rejected(out, "θ(1)")
    expected = next(x for x in out.splitlines() if "Expected:" in x).split("=", 1)[1]
    got = next(x for x in out.splitlines() if "Got:" in x).split("=", 1)[1]
    assert expected.strip() != got.split("(")[0].strip(), out


# ---------------------------------------------------------------------------- 13 curvature

@pytest.mark.parametrize("wrong, words", [
    (lambda xi: 2 / xi, ["1 − ρξ = −1"]),
    (lambda xi: xi, ["Solve 1 − ρξ = 0"]),
])
def test_13_one_step_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX13).check("ρ for ξ = 4", rho_one_step=wrong), *words)


def _limits(rho_max, rho_best):
    def rho_limits(A):
        xi = np.linalg.eigvalsh(A)
        return rho_max(xi, A), rho_best(xi, A)
    return rho_limits


@pytest.mark.parametrize("wrong, words", [
    (_limits(lambda xi, A: 1 / xi[-1], lambda xi, A: 2 / (xi[0] + xi[-1])), ["ρ_max", "without oscillation"]),
    (_limits(lambda xi, A: 2 / xi[0], lambda xi, A: 2 / (xi[0] + xi[-1])), ["use ξ_max"]),
    (_limits(lambda xi, A: 2 / np.diag(A).max(), lambda xi, A: 2 / (xi[0] + xi[-1])), ["eigenvalues"]),
    (_limits(lambda xi, A: 2 / xi[-1], lambda xi, A: 1 / xi[-1]), ["ρ_best", "without oscillation"]),
    (_limits(lambda xi, A: 2 / xi[-1], lambda xi, A: 1 / xi[0]), ["ρ_best", "diverges"]),
])
def test_13_two_d_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX13).check("ρ_best", rho_limits=wrong), *words)


def test_13_one_number_instead_of_two(notebook):
    assert_rejected(notebook(EX13).check("ρ_best", rho_limits=lambda A: 0.2), "Return the 2 values together")


# ---------------------------------------------------------------------------- 14 prediction

@pytest.mark.parametrize("answer, words", [
    ("sgd", ["capped by the steep direction", "Measured steps", "momentum"]),
    ("Adam", ["runs diagonally", "Measured steps"]),
    ("newton", ["one of 'sgd', 'momentum', 'adam'"]),
    (3, ["a string in quotes", "the number 3"]),
])
def test_14_wrong_predictions(notebook, answer, words):
    assert_rejected(notebook(EX14).check("check_choice", prediction=lambda: answer), *words)


def test_14_prediction_ignores_case_and_spaces_and_the_winner_is_measured(notebook):
    nb = notebook(EX14)
    assert "✔ Correct!" in nb.check("check_choice", prediction=lambda: " Momentum ")
    results = nb.ns["results"]
    assert nb.ns["winner"] == min(results, key=lambda name: results[name][0])
