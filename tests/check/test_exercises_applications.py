"""The checks of the application exercises (23-25) reject plausible wrong answers, as the notebooks run them.

Each solution notebook's code is run in this process (the Colab cell and the solution-only cells left out); then
a solution function is swapped for a wrong one and the notebook's own check cell is run again: it must print the
"Not quite" message with the hint that names the mistake, and no traceback. The check functions themselves
(nnlib/check/applications.py) are also tested directly at the end.
"""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402

from nnlib import check  # noqa: E402


EX23 = "23-confusion-matrix.ipynb"
EX24 = "24-persistence-baseline.ipynb"
EX25 = "25-inverse-model-input.ipynb"


@pytest.mark.parametrize("name, marker", [
    (EX23, "check_precision_recall"),
    (EX24, "check_persistence"),
    (EX24, "persistence RMSE"),
    (EX25, "check_inverse_model_data"),
    (EX25, "check_function"),
])
def test_solutions_pass_their_checks(notebook, name, marker):
    out = notebook(name).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


# ------------------------------------------------------------------------------ 23 confusion matrix

@pytest.mark.parametrize("wrong, words", [
    (lambda C, k: (C[k, k] / C[k, :].sum(), C[k, k] / C[:, k].sum()), ["swapped", "rows of C are the true classes"]),
    (lambda C, k: (np.trace(C) / C.sum(), np.trace(C) / C.sum()), ["accuracy of the whole matrix"]),
    (lambda C, k: (C[k, k] / C.sum(), C[k, k] / C[k, :].sum()), ["not by all samples"]),
    (lambda C, k: C[k, k] / C[:, k].sum(), ["a pair (precision, recall)", "return precision, recall"]),
])
def test_23_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX23).check("check_precision_recall", precision_recall=wrong), *words)


def test_23_swap_is_caught_even_where_row_and_column_sums_agree(notebook):
    # class 0 of the first matrix has row sum 55 and column sum 65: the swapped answer differs there
    swapped = lambda C, k: (C[k, k] / C[k].sum(), C[k, k] / C[:, k].sum())  # noqa: E731
    out = notebook(EX23).check("check_precision_recall", precision_recall=swapped)
    assert "k=0" in out


def test_23_not_answered(notebook):
    def unanswered(C, k):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX23).check("check_precision_recall", precision_recall=unanswered)


# ---------------------------------------------------------------------------------- 24 persistence

@pytest.mark.parametrize("wrong, words", [
    (lambda y, start: y[start:], ["lag 0", "only use the past"]),
    (lambda y, start: y[start - 2:-2], ["lag 2", "y[t - 1]"]),
    (lambda y, start: y[start - 1:], ["One forecast too many"]),
    (lambda y, start: y[start:-1], ["shape"]),
    (lambda y, start: np.full(len(y) - start, y[start - 1]), ["shift the series by one step"]),
])
def test_24_forecast_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX24).check("check_persistence", persistence_forecast=wrong), *words)


@pytest.mark.parametrize("forecast, rmse, words", [
    (lambda y, start: y[start:], None, ["Zero error", "lag 0"]),
    (lambda y, start: y[start - 2:-2], None, ["two days back"]),
    (None, lambda f, a: np.mean((f - a) ** 2), ["mean squared error", "square root"]),
])
def test_24_rmse_mistakes(notebook, forecast, rmse, words):
    answers = {}
    if forecast is not None:
        answers["persistence_forecast"] = forecast
    if rmse is not None:
        answers["rmse"] = rmse
    assert_rejected(notebook(EX24).check("persistence RMSE", **answers), *words)


def test_24_not_answered(notebook):
    def unanswered():
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX24).check("persistence RMSE", baseline=unanswered)


# --------------------------------------------------------------------------------- 25 inverse model

def _rows(columns, target_shift=0):
    def inverse_model_data(y, u):
        k = np.arange(1, len(u))
        table = {"y+": y[k + 1], "y": y[k], "y-": y[k - 1], "u-": u[k - 1]}
        t = u[k + target_shift] if target_shift <= 0 else np.append(u[k[:-1] + 1], 0.0)
        return np.column_stack([table[c] for c in columns]), t
    return inverse_model_data


@pytest.mark.parametrize("wrong, words", [
    (_rows(["y+", "y", "y-"]), ["u_{k-1} is missing", "4 entries"]),
    (_rows(["y+", "y", "u-"]), ["y_{k-1} is missing"]),
    (_rows(["y", "y-", "u-"]), ["y_{k+1} is missing"]),
    (_rows(["y+", "y", "y-", "u-"], target_shift=-1), ["one step behind"]),
    (_rows(["y+", "y", "y-", "u-"], target_shift=1), ["one step ahead"]),
    (_rows(["y", "y+", "y-", "u-"]), ["column 0", "off-by-one"]),
])
def test_25_data_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX25).check("check_inverse_model_data", inverse_model_data=wrong), *words)


@pytest.mark.parametrize("wrong, words", [
    (lambda n: 2 * n - 1, ["A delayed term is missing"]),
    (lambda n: 2 * n + 1, ["output of the inverse model"]),
    (lambda n: n + 1, ["delayed inputs"]),
])
def test_25_count_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX25).check("check_function", n_inputs=wrong), *words)


def test_25_missing_delayed_input_breaks_the_controller(notebook):
    nb = notebook(EX25)
    assert nb.ns["residual"]["all four inputs"] < 1e-10 < 0.05 < nb.ns["residual"]["without u_{k-1}"]
    assert nb.ns["tracking"]["without u_{k-1}"] > 0.05


# ------------------------------------------------------------------------------ the check functions

def test_checks_validate_their_own_arguments():
    with pytest.raises(ValueError, match="start must be an integer"):
        check.check_persistence(lambda y, s: y[s - 1:-1], np.arange(10.0), 1)
    with pytest.raises(ValueError, match="y must be a 1-D array"):
        check.check_persistence(lambda y, s: y, np.ones((3, 3)), 2)


def test_checks_reject_a_value_instead_of_a_function(capsys):
    assert not check.check_precision_recall(0.5)
    assert not check.check_persistence(np.arange(3.0), np.arange(10.0), 5)
    assert not check.check_inverse_model_data("X")
    out = capsys.readouterr().out
    assert out.count("without parentheses") == 3 and "Traceback" not in out


def test_check_reports_an_error_of_the_students_code(capsys):
    def broken(y, u):
        return np.column_stack([y, u]), u                # shapes do not fit: y has one value more
    assert not check.check_inverse_model_data(broken)
    out = capsys.readouterr().out
    assert "an error from your code" in out and "Traceback" not in out
