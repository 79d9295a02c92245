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
