"""The checks of the exercises 26-33 (Parts 4-6: the pages that had none) reject plausible wrong answers.

Each solution notebook's code is run in this process (the Colab cell and the solution-only cells left out);
then a solution function is swapped for a wrong one and the notebook's own check cell is run again: it must
print the "Not quite" message with the hint that names the mistake, and no traceback.
"""
import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402

EX26 = "26-early-stopping.ipynb"


# ------------------------------------------------------------------------- 26 early stopping

def _stopping(mistake=None):
    def early_stopping(q_V, patience):
        best, lowest, since = 0, math.inf, 0
        previous = math.inf
        for epoch, q in enumerate(q_V, start=1):
            improved = q < (previous if mistake == "previous" else lowest)
            previous = q
            if mistake == "first_rise" and not improved:
                return best, epoch
            if improved:
                best, lowest, since = epoch, min(q, lowest), 0
            else:
                since += 1
                if since > patience if mistake == "late" else since >= patience and mistake != "never":
                    return best, epoch
        return best, len(q_V)

    def zero_based(q_V, patience):
        best, stop = _stopping()(q_V, patience)
        return best - 1, stop - 1
    return zero_based if mistake == "zero_based" else early_stopping


def test_26_solution_passes(notebook):
    out = notebook(EX26).check("q_V_short")
    assert "✔ Correct!" in out and "✘" not in out, out
    assert _stopping()(notebook(EX26).ns["q_V_short"], 3) == (5, 8)


@pytest.mark.parametrize("mistake, words", [
    ("first_rise", ["first rise"]),
    ("previous", ["not with the previous"]),
    ("zero_based", ["counts epochs from 0"]),
    ("late", ["One epoch late"]),
    ("never", ["ran to the end"]),
])
def test_26_mistakes(notebook, mistake, words):
    assert_rejected(notebook(EX26).check("q_V_short", early_stopping=_stopping(mistake)), *words)


def test_26_not_answered(notebook):
    def unanswered(q_V, patience):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX26).check("q_V_short", early_stopping=unanswered)


# ------------------------------------------------------------- 29 standardized inputs, targets

EX29 = "29-targets-and-inputs.ipynb"


def _standardize(mistake=None):
    def standardize(X_train, X):
        source = X if mistake == "test_stats" else X_train
        mu, sigma = source.mean(axis=0), source.std(axis=0, ddof=0 if mistake == "ddof0" else 1)
        if mistake != "zero":
            sigma = np.where(sigma > 0, sigma, 1.0)
        return (X - mu) / sigma
    return standardize


@pytest.mark.parametrize("marker", ["standardized X_test", "names=(\"φ\""])
def test_29_solution_passes(notebook, marker):
    out = notebook(EX29).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("mistake, words", [
    ("test_stats", ["statistics of X_test"]),
    ("ddof0", ["N − 1"]),
    ("zero", ["σ_j = 0"]),
])
def test_29_standardize_mistakes(notebook, mistake, words):
    assert_rejected(notebook(EX29).check("standardized X_test", standardize=_standardize(mistake)), *words)


@pytest.mark.parametrize("wrong, words", [
    (lambda t: (t, 1 - t ** 2), ["Invert the tanh"]),
    (lambda t: (np.arctanh(t), t * (1 - t)), ["logistic sigmoid's derivative"]),
    (lambda t: (np.arctanh(t), 1 - t), ["square the output"]),
    (lambda t: (0.5 * np.log(1 + t), 1 - t ** 2), ["atanh t ="]),
    (lambda t: np.arctanh(t), ["2 values"]),
])
def test_29_tanh_target_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX29).check("names=(\"φ\"", tanh_target=wrong), *words)


# --------------------------------------------------------------- 33 recurrent network by hand

EX33 = "33-recurrent-step.ipynb"


def _rnn(mistake=None):
    def rnn_forward(W_X, W_Y, b, X):
        y, Y = np.zeros(W_Y.shape[0]), []
        for x in X:
            U = W_Y.T if mistake == "transposed" else 0 * W_Y if mistake == "no_feedback" else W_Y
            new = np.tanh(U @ y + W_X @ x + (0 * b if mistake == "no_b" else b))
            Y.append(y if mistake == "late" else new)
            y = new
        return np.array(Y)
    return rnn_forward


@pytest.mark.parametrize("marker", ["rnn_forward(W_X, W_Y, b, X),", "gated_weights(M_in, M_h),"])
def test_33_solution_passes(notebook, marker):
    out = notebook(EX33).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("mistake, words", [
    ("no_feedback", ["previous step"]),
    ("transposed", ["transposed"]),
    ("no_b", ["threshold b is missing"]),
    ("late", ["one step late"]),
])
def test_33_rnn_mistakes(notebook, mistake, words):
    assert_rejected(notebook(EX33).check("rnn_forward(W_X, W_Y, b, X),", rnn_forward=_rnn(mistake)), *words)


def _gru_lstm(blocks, with_u=True, with_b=True):
    def gated_weights(M_in, M_h):
        one = M_h * M_in + (M_h * M_h if with_u else 0) + (M_h if with_b else 0)
        return tuple(k * one for k in blocks)
    return gated_weights


@pytest.mark.parametrize("wrong, words", [
    (_gru_lstm((1, 1)), ["one simple recurrent layer"]),
    (_gru_lstm((3, 2)), ["four blocks"]),
    (_gru_lstm((4, 2)), ["The candidate has weights too"]),
    (_gru_lstm((4, 3), with_b=False), ["threshold vector b"]),
    (_gru_lstm((4, 3), with_u=False), ["M_h × M_h"]),
])
def test_33_gated_weights_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX33).check("gated_weights(M_in, M_h),", gated_weights=wrong), *words)


# ----------------------------------------------------------- 28 dead units, He's initialization

EX28 = "28-dead-units-and-he.ipynb"


def test_28_the_slips_give_different_numbers(notebook):
    Phi = notebook(EX28).ns["Phi"]
    slips = [np.all(Phi <= 0, axis=0).mean(), np.mean(Phi <= 0), np.any(Phi <= 0, axis=0).mean(),
             np.any(Phi > 0, axis=0).mean(), np.all(Phi <= 0, axis=0).sum(), np.all(Phi <= 0, axis=1).mean()]
    assert len(set(np.round(slips, 9))) == len(slips), slips


@pytest.mark.parametrize("marker", ["dead_fraction(Phi)", "he_std(M),"])
def test_28_solution_passes(notebook, marker):
    out = notebook(EX28).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("wrong, words", [
    (lambda Phi: np.all(Phi <= 0, axis=0).sum(), ["number of dead units"]),
    (lambda Phi: np.mean(Phi <= 0), ["fraction of the 40 entries"]),
    (lambda Phi: np.any(Phi <= 0, axis=0).mean(), ["*some* sample"]),
    (lambda Phi: np.any(Phi > 0, axis=0).mean(), ["units alive"]),
    (lambda Phi: np.all(Phi <= 0, axis=1).mean(), ["rows (samples)"]),
    (lambda Phi: np.all(Phi < 0, axis=0).tolist(), ["Expected:"]),
])
def test_28_dead_fraction_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX28).check("dead_fraction(Phi)", dead_fraction=wrong), *words)


@pytest.mark.parametrize("wrong, words", [
    (lambda M: np.sqrt(1 / M), ["twice the variance"]),
    (lambda M: 2 / M, ["the variance σ²"]),
    (lambda M: np.sqrt(1 / (2 * M)), ["make up for the ½"]),
    (lambda M: np.sqrt(6 / M), ["half-width"]),
])
def test_28_he_std_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX28).check("he_std(M),", he_std=wrong), *words)


# ------------------------------------------------------- 30 outputs estimate the posteriors

EX30 = "30-outputs-estimate-posteriors.ipynb"


@pytest.mark.parametrize("marker", ["best_output(T)", "posterior_from_output(s_coded)"])
def test_30_solution_passes(notebook, marker):
    out = notebook(EX30).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("wrong, words", [
    (lambda T: np.eye(T.shape[1])[np.argmax(T.sum(axis=0))], ["majority class"]),
    (lambda T: np.median(T, axis=0), ["median"]),
    (lambda T: T.sum(axis=0), ["Divide the sum by N"]),
    (lambda T: T.mean(axis=1), ["shape"]),
])
def test_30_best_output_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX30).check("best_output(T)", best_output=wrong), *words)


@pytest.mark.parametrize("wrong, words", [
    (lambda s, low=0.1, high=0.9: s, ["outputs themselves"]),
    (lambda s, low=0.1, high=0.9: s / (high - low), ["Subtract `low` first"]),
    (lambda s, low=0.1, high=0.9: s / high, ["low + (high − low) P"]),
    (lambda s, low=0.1, high=0.9: s / s.sum(), ["Normalizing"]),
    (lambda s, low=0.1, high=0.9: (s - low) / high, ["Expected:"]),
])
def test_30_posterior_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX30).check("posterior_from_output(s_coded)", posterior_from_output=wrong), *words)


# ---------------------------------------------------------- 31 batch, mini-batch, incremental

EX31 = "31-minibatch-updates.ipynb"


@pytest.mark.parametrize("marker", ["updates_per_epoch(N, B) for", "minibatch_epoch(theta0, X, t, rho, 20)"])
def test_31_solution_passes(notebook, marker):
    out = notebook(EX31).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("wrong, words", [
    (lambda N, B: N // B, ["Round up"]),
    (lambda N, B: N / B, ["whole number"]),
    (lambda N, B: B, ["not the number of blocks"]),
    (lambda N, B: math.ceil(B / N), ["Expected:"]),
])
def test_31_updates_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX31).check("updates_per_epoch(N, B) for", updates_per_epoch=wrong), *words)


def _epoch(mistake=None):
    def minibatch_epoch(theta, X, t, rho, B):
        theta = theta.copy()
        X1 = np.hstack([np.ones((len(X), 1)), X])
        for start in range(0, len(X), len(X) if mistake == "batch" else B):
            size = len(X) if mistake == "batch" else B
            Xb, tb = X1[start:start + size], t[start:start + size, 0]
            delta = tb - Xb @ theta
            step = delta @ Xb
            if mistake == "no_threshold":
                step[0] = 0
            divisor = {"sum": 1, "B": B}.get(mistake, len(tb))
            theta += (-1 if mistake == "sign" else 1) * rho * step / divisor
        return theta
    return minibatch_epoch


@pytest.mark.parametrize("mistake, words", [
    ("sum", ["block's mean"]),
    ("B", ["holds 24 samples"]),
    ("batch", ["one batch update"]),
    ("no_threshold", ["constant 1"]),
    ("sign", ["error went up"]),
])
def test_31_epoch_mistakes(notebook, mistake, words):
    out = notebook(EX31).check("minibatch_epoch(theta0, X, t, rho, 20)", minibatch_epoch=_epoch(mistake))
    assert_rejected(out, *words)


# ------------------------------------------------------------- 32 the cost of a convolution

EX32 = "32-convolution-cost.ipynb"


def test_32_solution_passes(notebook):
    out = notebook(EX32).check("conv_multiplications(*layer)")
    assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("wrong, words", [
    (lambda H, W, C_in, C_out, k: H * W * C_out * k * k * C_in, ["threshold of each unit"]),
    (lambda H, W, C_in, C_out, k: H * W * C_out * (k * k + 1), ["all C_in input channels"]),
    (lambda H, W, C_in, C_out, k: C_out * (k * k * C_in + 1), ["number of weights"]),
    (lambda H, W, C_in, C_out, k: 2 * H * W * C_out * (k * k * C_in + 1), ["multiplications only"]),
    (lambda H, W, C_in, C_out, k: (H - k + 1) * (W - k + 1) * C_out * (k * k * C_in + 1), ["without padding"]),
    (lambda H, W, C_in, C_out, k: H * W * C_out * (k * C_in + 1), ["k² weights per channel"]),
])
def test_32_mistakes(notebook, wrong, words):
    """Each slip is named; a slip the hints do not know gets the general hint."""
    assert_rejected(notebook(EX32).check("conv_multiplications(*layer)", conv_multiplications=wrong), *words)


def test_32_unknown_slip_gets_the_general_hint(notebook):
    out = notebook(EX32).check("conv_multiplications(*layer)", conv_multiplications=lambda H, W, C_in, C_out, k: 1)
    assert_rejected(out, "Count per unit")


# ------------------------------------------------------- 27 the vanishing gradient of a chain

EX27 = "27-vanishing-chain.ipynb"


def _chain(mistake=None):
    def chain_gradient(theta, x, t):
        sig = lambda p: 1 / (1 + np.exp(-p))  # noqa: E731
        s = [x]
        for theta_l in theta:
            s.append(sig(theta_l * s[-1]))
        L = len(theta)
        grad = np.zeros(L)
        delta = (t - s[L]) * (1 if mistake == "no_output_prime" else s[L] * (1 - s[L]))
        for l in range(L, 0, -1):
            grad[l - 1] = -delta * s[l if mistake == "wrong_input" else l - 1]
            if l > 1:
                prime = 1 if mistake == "no_prime" else s[l - 1] * (1 - s[l - 1])
                weight = 1 if mistake == "no_theta" else theta[l - 1]
                delta = prime * weight * delta
        return -grad if mistake == "sign" else grad
    return chain_gradient


def test_27_solution_passes(notebook):
    out = notebook(EX27).check("chain_gradient(theta_check")
    assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("mistake, words", [
    ("sign", ["Every sign is flipped"]),
    ("no_prime", ["the ones below are not"]),
    ("no_theta", ["the ones below are not"]),
    ("wrong_input", ["Start at the top"]),
    ("no_output_prime", ["Start at the top"]),
])
def test_27_mistakes(notebook, mistake, words):
    assert_rejected(notebook(EX27).check("chain_gradient(theta_check", chain_gradient=_chain(mistake)), *words)
