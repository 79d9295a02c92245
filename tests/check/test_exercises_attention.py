"""The check of the attention exercise (22) rejects plausible wrong answers, as the notebook runs it.

The solution notebook's code runs once in this process; then the solution is swapped for a wrong one and the
notebook's own check cell runs again: it must print "Not quite" with the hint that names the mistake.
"""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402


EX22 = "22-attention-weights.ipynb"


def _softmax(e, axis):
    z = np.exp(e - e.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def _attention(mistake=None):
    def attention(q, K, V, mask):
        d = q.shape[1]
        e = np.einsum("ntd,nd->nt", K, q)
        e = e if mistake == "unscaled" else e / np.sqrt(d)
        if mistake == "axis":
            alpha = _softmax(np.where(mask > 0, e, -np.inf), axis=0)
        elif mistake == "no_mask":
            alpha = _softmax(e, axis=1)
        elif mistake == "after":
            alpha = _softmax(e, axis=1) * mask
        elif mistake == "zero":
            alpha = _softmax(e * mask, axis=1)
        else:
            alpha = _softmax(np.where(mask > 0, e, -np.inf), axis=1)
        c = np.einsum("nt,ntd->nd", alpha, K if mistake == "keys" else V)
        if mistake == "transposed":
            return alpha.T, c
        if mistake == "only_c":
            return c
        return alpha, c
    return attention


def test_solution_passes(notebook):
    out = notebook(EX22).check("check_attention")
    assert "✔ Correct!" in out and "✘" not in out, out


def test_a_loop_version_passes(notebook):
    def attention(q, K, V, mask):
        N, T = mask.shape
        alpha, c = np.zeros((N, T)), np.zeros((N, V.shape[2]))
        for n in range(N):
            real = mask[n] == 1
            e = K[n, real] @ q[n] / np.sqrt(q.shape[1])
            a = np.exp(e) / np.exp(e).sum()
            alpha[n, real] = a
            c[n] = a @ V[n, real]
        return alpha, c
    assert "✔ Correct!" in notebook(EX22).check("check_attention", attention=attention)


@pytest.mark.parametrize("mistake, words", [
    ("axis", ["wrong axis", "axis=1"]),
    ("unscaled", ["scaling is missing", "√d"]),
    ("no_mask", ["padded positions got weight"]),
    ("after", ["masked after the softmax"]),
    ("zero", ["exp(0)"]),
    ("keys", ["values V, not the keys K"]),
    ("transposed", ["transposed"]),
    ("only_c", ["Return both"]),
])
def test_22_mistakes(notebook, mistake, words):
    assert_rejected(notebook(EX22).check("check_attention", attention=_attention(mistake)), *words)


def test_22_not_answered(notebook):
    def unanswered(*args):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX22).check("check_attention", attention=unanswered)
