"""The checks of the convolution exercise (20) reject plausible wrong answers, as the notebook runs them.

The solution notebook's code is run in this process (the Colab cell and the solution-only cells left out); then
a solution is swapped for a wrong one and the notebook's own check cell is run again: it must print the
"Not quite" message with the hint that names the mistake, and no traceback.
"""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402

from nnlib import check  # noqa: E402


EX20 = "20-convolution-output.ipynb"


def test_solutions_pass_their_checks(notebook):
    for marker in ("check_conv_output_size", "check_conv_param_count", "check_conv_by_hand"):
        out = notebook(EX20).check(marker)
        assert "✔ Correct!" in out and "✘" not in out, out


@pytest.mark.parametrize("wrong, words", [
    (lambda H, M, S, P: (H - M) // S + 1, ["formula without padding", "H=8, M=3, S=1, P=1"]),
    (lambda H, M, S, P: math.ceil((H + 2 * P - M) / S) + 1, ["rounded up", "take the floor",
                                                              "conv_output_size(H=14, M=3, S=2, P=1) = 7"]),
    (lambda H, M, S, P: (H + 2 * P - M) / S + 1, ["integer division //"]),
    (lambda H, M, S, P: (H + 2 * P - M) // S, ["add 1"]),
    (lambda H, M, S, P: (H + P - M) // S + 1, ["on both sides"]),
    (lambda H, M, S, P: H + 2 * P - M + 1, ["stride 1 only"]),
])
def test_output_size_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX20).check("check_conv_output_size", conv_output_size=wrong), *words)


@pytest.mark.parametrize("wrong, words", [
    (lambda C_in, C_out, M, N: C_out * C_in * M * N, ["forgot the thresholds", "= 80"]),
    (lambda C_in, C_out, M, N: C_out * (M * N + 1), ["forgot the input channels", "C_in·M·N"]),
    (lambda C_in, C_out, M, N: C_out * C_in * (M * N + 1), ["One threshold per filter"]),
    (lambda C_in, C_out, M, N: C_in * M * N + 1, ["That is one filter"]),
])
def test_param_count_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX20).check("check_conv_param_count", conv_param_count=wrong), *words)


def test_not_answered_and_not_a_function(notebook):
    nb = notebook(EX20)
    def unanswered(*args):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in nb.check("check_conv_output_size", conv_output_size=unanswered)
    assert_rejected(nb.check("check_conv_param_count", conv_param_count=80), "without parentheses")


def test_by_hand_mistakes(notebook):
    nb = notebook(EX20)
    x, K = nb.ns["x"], nb.ns["K"]
    flipped = np.array([[2, 8, 1], [0, 1, 6], [6, 0, 5]])
    assert_rejected(nb.check("check_conv_by_hand", y_by_hand=lambda: flipped), "flipped the kernel",
                    "true convolution")
    right = nb.ns["y_by_hand"]()
    no_bias = right - 1
    assert_rejected(nb.check("check_conv_by_hand", y_by_hand=lambda: no_bias), "forgot the threshold")
    assert_rejected(nb.check("check_conv_by_hand", y_by_hand=lambda: flipped - 1), "Two slips")
    padded = np.ones((4, 4))
    out = nb.check("check_conv_by_hand", y_by_hand=lambda: padded)
    assert_rejected(out, "an array of shape (3, 3)")
    assert_rejected(nb.check("check_conv_by_hand", y_by_hand=lambda: right.T), "transposed")
    one_wrong = right.copy()
    one_wrong[1, 1] += 1
    assert_rejected(nb.check("check_conv_by_hand", y_by_hand=lambda: one_wrong), "y[1, 1]")
    assert x.shape == (4, 4) and K.shape == (2, 2)

    def unanswered():
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in nb.check("check_conv_by_hand", y_by_hand=unanswered)


def test_by_hand_with_padding_and_stride_names_those_slips(capsys):
    x = np.arange(16.0).reshape(4, 4)
    K = np.array([[1.0, 0.0], [0.0, -1.0]])
    from nnlib.layers.conv import conv2d_naive
    stride1 = conv2d_naive(x[None, None], K[None, None], np.zeros(1), 1, 0)[0, 0]
    assert not check.check_conv_by_hand(stride1, x, K, stride=2)
    assert "This is stride 1" in capsys.readouterr().out
    padded = conv2d_naive(x[None, None], K[None, None], np.zeros(1), 1, 1)[0, 0]
    assert not check.check_conv_by_hand(padded, x, K)
    assert "padded the image" in capsys.readouterr().out
    right = conv2d_naive(x[None, None], K[None, None], np.zeros(1), 2, 0)[0, 0]
    assert check.check_conv_by_hand(right, x, K, stride=2)
