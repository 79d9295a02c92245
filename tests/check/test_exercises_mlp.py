"""The checks of exercises 3-6 (multilayer perceptrons) reject plausible wrong answers.

Each solution notebook's code runs here once (its checks all pass); then a check cell is run again
with the student's function replaced by a wrong one, and the printed message must reject it kindly,
with the hint written for that mistake. So the hints tested are the notebooks' own, not copies.
"""

import math

import matplotlib
import numpy as np
import pytest
import sympy as sp

matplotlib.use("Agg")  # exercise 5 draws a figure

from notebook_runner import assert_rejected  # noqa: E402

from nnlib import activations as act  # noqa: E402
from nnlib import check  # noqa: E402


@pytest.mark.parametrize("name", ["03-count-parameters.ipynb", "04-forward-by-hand.ipynb",
                                  "05-xor-weights.ipynb", "06-linear-collapse.ipynb"])
def test_the_solutions_pass_every_check(notebook, name):
    nb = notebook(name)   # raises if a cell fails
    assert "✘" not in nb.printed, nb.printed
    assert nb.ns["check"] is check


# ------------------------------------------------------------------ 3: count the parameters

EX3 = "03-count-parameters.ipynb"


@pytest.mark.parametrize("D, words", [
    (24, ["D of the 5-3-3 network = 30", "threshold θ_i0"]),   # M_l M_{l-1}: thresholds forgotten
    (32, ["not (M_l + 1) M_{l-1}"]),                           # a threshold per node of the layer before
    (35, ["input layer (l = 0) has no parameters"]),          # the input layer counted
    (45, ["not the product"]),                                 # 5 · 3 · 3
    (11, ["counts the nodes"]),
    (18, ["only part"]),                                       # layer 1 only
    (31, ["Work it out again"]),                               # off by one: the default hint
])
def test_ex3_by_hand_rejects_the_usual_counts(notebook, D, words):
    text = notebook(EX3).check("D_two_layers", D_two_layers=lambda: D, D_three_layers=lambda: 31)
    assert_rejected(text.split("✔")[0], *words)


@pytest.mark.parametrize("count_D, words", [
    (lambda M: sum(M[l] * M[l - 1] for l in range(1, len(M))), ["= 24", "threshold θ_i0"]),
    (lambda M: sum((M[l] + 1) * M[l - 1] for l in range(1, len(M))), ["not (M_l + 1) M_{l-1}"]),
    (lambda M: M[0] + sum(M[l] * (M[l - 1] + 1) for l in range(1, len(M))), ["input layer (l = 0)"]),
    (lambda M: sum(M[l] * (M[l - 1] + 1) for l in range(len(M))), ["= 50", "M[-1]", "start at l = 1"]),
    (lambda M: sum(M[l] * (M[l - 1] + 1) for l in range(1, len(M) - 1)), ["last layer is missing", "range(1, len(M))"]),
    (lambda M: sum(M[l] * (M[l - 1] + 1) for l in range(2, len(M))), ["Layer 1 is missing"]),
    (math.prod, ["not the product"]),
    (sum, ["counts the nodes"]),
    (lambda M: sum(M[l] * (M[l - 1] + 1) for l in range(1, len(M))) + 1, ["by hand"]),   # no known slip
    (lambda M: str(len(M)), ["text"]),
])
def test_ex3_count_D_names_the_slip(notebook, count_D, words):
    assert_rejected(notebook(EX3).check("check_function(count_D", count_D=count_D), *words)


def test_ex3_digits_network_wants_a_fraction(notebook):
    nb = notebook(EX3)
    D = 235146
    assert_rejected(nb.check("digits_network", digits_network=lambda: (D, 100 * 200960 / D)), "not a percentage")
    assert_rejected(nb.check("digits_network", digits_network=lambda: (D, 0.85)), "share of layer 1 = 0.854618")
    assert_rejected(nb.check("digits_network", digits_network=lambda: (D - 394, 0.85)), "D = 235146")
    assert_rejected(nb.check("digits_network", digits_network=lambda: D), "2 values")


# ------------------------------------------------------------------ 4: the forward pass

EX4 = "04-forward-by-hand.ipynb"


def _ex4(notebook):
    namespace = notebook(EX4).ns
    return namespace["theta1"], namespace["theta2"], namespace["g"]


def _tilde(v):
    return np.concatenate(([1.0], v))


@pytest.mark.parametrize("slip, words", [
    ("no g", ["pre-activations", "apply the activation"]),
    ("no threshold", ["thresholds are missing", "s'_0 = 1"]),
    ("threshold last", ["column 0 of θ", "not the last column"]),
    ("no x_0", ["θ has shape (3, 6)", "put a 1 in front"]),
    ("x @ theta", ["θ has shape (3, 6)"]),
    ("derivative", ["g', the derivative"]),
    ("column", ["shape (3, 1)", "np.ravel"]),
])
def test_ex4_hidden_layer_names_the_slip(notebook, slip, words):
    theta1, _, g = _ex4(notebook)
    hidden = {
        "no g": lambda x: theta1 @ _tilde(x),
        "no threshold": lambda x: g(theta1[:, 1:] @ x),
        "threshold last": lambda x: g(theta1[:, :-1] @ x + theta1[:, -1]),
        "no x_0": lambda x: g(theta1 @ x),
        "x @ theta": lambda x: g(_tilde(x) @ theta1),
        "derivative": lambda x: act.sigmoid.prime(theta1 @ _tilde(x)),
        "column": lambda x: g(theta1 @ _tilde(x)).reshape(3, 1),
    }[slip]
    assert_rejected(notebook(EX4).check("check_layer(hidden", hidden=hidden), *words)


@pytest.mark.parametrize("slip, words", [
    ("g twice", ["applied twice"]),
    ("no g", ["pre-activations"]),
    ("θ not θᵀ", ["θ where θᵀ is needed", "row i of θ"]),
    ("no threshold", ["thresholds are missing"]),
    ("minus threshold", ["+ sign"]),
])
def test_ex4_output_layer_names_the_slip(notebook, slip, words):
    _, theta2, g = _ex4(notebook)
    output = {
        "g twice": lambda s1: g(g(theta2 @ _tilde(s1))),
        "no g": lambda s1: theta2 @ _tilde(s1),
        "θ not θᵀ": lambda s1: g(s1 @ theta2[:, 1:] + theta2[:, 0]),
        "no threshold": lambda s1: g(theta2[:, 1:] @ s1),
        "minus threshold": lambda s1: g(theta2[:, 1:] @ s1 - theta2[:, 0]),
    }[slip]
    assert_rejected(notebook(EX4).check("check_layer(output", output=output), *words)


@pytest.mark.parametrize("slip, words", [
    ("transposed", ["Rows are samples"]),
    ("no g on the output", ["pre-activations φ²"]),
    ("g twice", ["applied twice"]),
    ("no output thresholds", ["output layer's thresholds θ²_i0 are missing"]),
    ("no thresholds", ["missing in both layers"]),
    ("θ not θᵀ", ["shapes in a product do not fit"]),
])
def test_ex4_batch_names_the_slip(notebook, slip, words):
    theta1, theta2, g = _ex4(notebook)

    def tilde(S):
        return np.hstack([np.ones((S.shape[0], 1)), S])

    forward_batch = {
        "transposed": lambda X: g(theta2 @ tilde(g(tilde(X) @ theta1.T)).T),
        "no g on the output": lambda X: tilde(g(tilde(X) @ theta1.T)) @ theta2.T,
        "g twice": lambda X: g(g(tilde(g(tilde(X) @ theta1.T)) @ theta2.T)),
        "no output thresholds": lambda X: g(g(tilde(X) @ theta1.T) @ theta2[:, 1:].T),
        "no thresholds": lambda X: g(g(X @ theta1[:, 1:].T) @ theta2[:, 1:].T),
        "θ not θᵀ": lambda X: g(tilde(g(tilde(X) @ theta1)) @ theta2),
    }[slip]
    assert_rejected(notebook(EX4).check("forward_batch", forward_batch=forward_batch), *words)


# ---------------------------------------------------------------------------- 5: XOR

EX5 = "05-xor-weights.ipynb"


XOR1 = np.array([[-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]])
XOR2 = np.array([[1.0, 1.0, 1.0]])


@pytest.mark.parametrize("theta1, theta2, words", [
    (XOR1, -XOR2, ["0 of 4 right", "opposite function"]),                                  # XNOR
    (XOR1, np.array([[0.0, 1.0, 1.0]]), ["output is 0", "boundary"]),                      # sgn(0) = 0
    (XOR1.T, XOR2, ["theta[1] must have shape (2, 3)", "column 0 holds the thresholds"]),  # θ¹ transposed
    (np.array([[1.0, -1.0, -1.0], [1.0, 1.0, -1.0]]), XOR2, ["wrong at x =", "Follow x ="]),  # thresholds last
    (np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), XOR2, ["3 of 4 right", "x = (1, 1)", "s^1 = (1, 1)"]),  # OR of x
    (np.array([[-1.0, 1.0, -1.0]]), XOR2, ["theta[1] must have shape (2, 3)"]),            # one hidden node
])
def test_ex5_xor_check_shows_the_failing_point(notebook, theta1, theta2, words):
    assert_rejected(notebook(EX5).check("check_classifier", xor_theta=lambda: (theta1, theta2)), *words)


def test_ex5_single_layer_sums_reject_mixed_pairs_and_signs(notebook):
    nb = notebook(EX5)
    phi = nb.ns["phi_single"]
    right = phi(1, -1) + phi(-1, 1)
    mixed = nb.check("sum_over_class_minus", sum_over_class_minus=lambda: phi(1, 1) + phi(1, -1),
                     sum_over_class_plus=lambda: right)
    assert_rejected(mixed.split("✔")[0], "different targets")
    negative = nb.check("sum_over_class_minus", sum_over_class_minus=lambda: right,
                        sum_over_class_plus=lambda: -right)
    assert negative.startswith("✔ Correct!")                      # the first sum is right,
    assert_rejected(negative[negative.index("✘"):], "sign error")   # the second one has the wrong sign


# ----------------------------------------------------------------- 6: the linear collapse

EX6 = "06-linear-collapse.ipynb"


def _aug(theta):
    return np.vstack([np.eye(1, theta.shape[1]), theta])


@pytest.mark.parametrize("collapse, words", [
    (lambda a, b: b[:, 1:] @ a, ["lost the output layer's thresholds", "[1, 0, …, 0]"]),   # the row left out
    (lambda a, b: b @ np.vstack([a, np.eye(1, a.shape[1])]), ["goes on top"]),              # the row at the bottom
    (lambda a, b: a @ _aug(b), ["wrong order"]),                                           # θ¹ θ̃²
    (lambda a, b: a[:, 1:] @ b, ["wrong order"]),
    (lambda a, b: (b @ _aug(a)).T, ["transposed"]),
    (lambda a, b: b @ a, ["matmul", "Add the row"]),                                       # numpy's complaint
])
def test_ex6_collapse_names_the_slip(notebook, collapse, words):
    assert_rejected(notebook(EX6).check("check_collapse", collapse=collapse), *words)


def test_ex6_symbolic_collapse_rejects_lost_threshold_and_wrong_row(notebook):
    nb = notebook(EX6)
    T1, T2 = nb.ns["T1"], nb.ns["T2"]
    lost = nb.check("Theta_symbolic", Theta_symbolic=lambda: T2[:, 1:] * T1)
    assert_rejected(lost, "lost θ²_10", "[1, 0, 0] on top")
    bottom = nb.check("Theta_symbolic", Theta_symbolic=lambda: T2 * sp.Matrix.vstack(T1, sp.Matrix([[1, 0, 0]])))
    assert_rejected(bottom, "at x_1 = ")
    no_row = nb.check("Theta_symbolic", Theta_symbolic=lambda: T2 * T1)
    assert_rejected(no_row, "an error from your code")
