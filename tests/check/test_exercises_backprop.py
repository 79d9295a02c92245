"""The checks of the BackProp exercises (07-10) reject plausible wrong answers, as the notebooks run them.

Each solution notebook's code is run in this process (the Colab cell and the solution-only cells
left out); then a solution function is swapped for a wrong one and the notebook's own check cell is
run again: it must print the "Not quite" message with the hint that names the mistake, and no
traceback. Exercise 07's hints live in the notebook, so this is where they are tested; the checks of
08-10 are also unit-tested in test_check.py.
"""


import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402


EX07 = "07-cross-entropy-updates.ipynb"
EX08 = "08-output-delta.ipynb"
EX09 = "09-backprop-step.ipynb"
EX10 = "10-three-layer-delta.ipynb"


@pytest.mark.parametrize("name, marker", [
    (EX07, "jacobian_hints"),
    (EX07, "def same_as"),
    (EX07, "def minus_rho_dq"),
    (EX08, '"cross_entropy", act.softmax'),
    (EX09, "L = 3"),
    (EX10, "net, x, t, 1)"),
])
def test_solutions_pass_their_checks(notebook, name, marker):
    out = notebook(name).check(marker)
    assert "✔ Correct!" in out and "✘" not in out, out


# ---------------------------------------------------------------------------- 07 cross-entropy

def test_07_softmax_jacobian_mistakes(notebook):
    nb = notebook(EX07)
    s, sp = nb.ns["s"], nb.ns["sp"]
    diagonal_only = nb.check("jacobian_hints", softmax_jacobian=lambda k, i: s[k] * (1 - s[i]) if k == i else 0)
    assert_rejected(diagonal_only, "only the diagonal", "∂s²_1/∂φ²_2")
    assert_rejected(nb.check("jacobian_hints", softmax_jacobian=lambda k, i: s[k] * (1 - s[i])),
                    "numerator exp(φ_k) does not depend on φ_i")
    assert_rejected(nb.check("jacobian_hints", softmax_jacobian=lambda k, i: s[k] * (s[i] - sp.KroneckerDelta(k, i))),
                    "sign error")


@pytest.mark.parametrize("wrong, words", [
    (lambda t, s, i: t[i] - s[i] * sum(t), ["not yet simplified", "Σ_k t_k = 1"]),      # Σ t = 1 not used
    (lambda t, s, i: (t[i] - s[i]).subs(t[2], 1 - t[0] - t[1]), ["keep t_i itself"]),   # ... used too eagerly
    (lambda t, s, i: t[i] * (1 - s[i]), ["only the diagonal"]),                          # slide 8's g'_M only
    (lambda t, s, i: (t[i] - s[i]) * s[i] * (1 - s[i]), ["squared error's δ"]),
    (lambda t, s, i: s[i] - t[i], ["sign error"]),                                       # δ = +∂q/∂φ
    (lambda t, s, i: t[i] / s[i], ["-∂q/∂s_i"]),
])
def test_07_output_delta_mistakes(notebook, wrong, words):
    nb = notebook(EX07)
    t, s = nb.ns["t"], nb.ns["s"]
    assert_rejected(nb.check("def same_as", delta2=lambda i: wrong(t, s, i)), *words)


def test_07_increment_mistakes(notebook):
    nb = notebook(EX07)
    ns = nb.ns
    rho, d2, s1, x, theta2, phi1, g, g_prime = (ns[k] for k in "rho d2 s1 x theta2 phi1 g g_prime".split())

    def update_theta1(mistake):
        def update(i, j):
            back = sum(d2[r] * theta2[r, i] for r in range(3))
            return {"sign": -rho * g_prime(phi1[i - 1]) * back * x[j],
                    "no g'": rho * back * x[j],
                    "g": rho * g(phi1[i - 1]) * back * x[j],
                    "column 0": rho * g_prime(phi1[i - 1]) * sum(d2[r] * theta2[r, i - 1] for r in range(3)) * x[j],
                    "no sum": rho * g_prime(phi1[i - 1]) * d2[i - 1] * theta2[i - 1, i] * x[j]}[mistake]
        return update

    assert_rejected(nb.check("def minus_rho_dq", update_theta2=lambda i, j: rho * d2[i - 1] * x[j]), "not x")
    assert_rejected(nb.check("def minus_rho_dq", update_theta2=lambda i, j: -rho * d2[i - 1] * s1[j]), "sign")
    for mistake, words in [("sign", "sign error"), ("no g'", "g'(φ¹_i) is missing"), ("g", "its derivative"),
                           ("column 0", "Column 0 of θ²"), ("no sum", "every output node")]:
        assert_rejected(nb.check("def minus_rho_dq", update_theta1=update_theta1(mistake)), "Δθ¹_21", words)


# ------------------------------------------------------------------------------ 08 output delta

def test_08_mistakes(notebook):
    nb = notebook(EX08)
    act = nb.ns["act"]
    for wrong, words in [(lambda p, t, g: t - g(p), "g'(φ) is missing"),
                         (lambda p, t, g: (t - g(p)) * g.prime(g(p)), "not at the output s"),
                         (lambda p, t, g: (t - g(p)) * g.prime(p) / len(p), "per sample"),
                         (lambda p, t, g: (g(p) - t) * g.prime(p), "defined with a minus")]:
        assert_rejected(nb.check("act.linear", delta_squared_error=wrong), words)
    assert act is nb.ns["act"]

    def naive(p, t, g):
        e = np.exp(p)
        return t - e / e.sum(axis=1, keepdims=True)

    for wrong, words in [(lambda p, t, g: (t - g(p)) * g(p) * (1 - g(p)), "only the diagonal"),
                         (naive, "exp overflows"),
                         (lambda p, t, g: t - np.exp(p) / np.exp(p).sum(axis=0), "each sample (row)")]:
        assert_rejected(nb.check('"cross_entropy", act.softmax', delta_cross_entropy=wrong), words)


# --------------------------------------------------------------------------------- 09 the step

def _step(mistake, homogeneous):
    def backprop_step(net, X, t, rho):
        theta, g, L, N = net.theta, net.g, net.L, X.shape[0]
        phi, s = [None], [X]
        for l in range(1, L + 1):
            phi.append(s[l - 1] @ theta[l][:, 1:].T + theta[l][:, 0])
            s.append(g[l](phi[l]))
        delta = [None] * (L + 1)
        delta[L] = (t - s[L]) * g[L].prime(phi[L])
        for l in range(L - 1, 0, -1):
            W = {"transposed": theta[l + 1][:, 1:].T, "column 0": theta[l + 1][:, :-1]}.get(mistake,
                                                                                          theta[l + 1][:, 1:])
            delta[l] = g[l].prime(phi[l]) * (delta[l + 1] @ W)
        for l in range(1, L if mistake == "no last layer" else L + 1):   # the off-by-one range(1, L): θ^L never moves
            Delta = (rho if mistake == "sum" else rho / N) * (delta[l].T @ homogeneous(s[l - 1]))
            theta[l] += -Delta if mistake == "sign" else Delta
    return backprop_step


@pytest.mark.parametrize("mistake, marker, words", [
    ("sign", "L = 2", ["Mind the sign"]),
    ("sum", "L = 2", ["Divide by N"]),
    ("transposed", "L = 2", ["θ_ir", "transposed"]),     # θ^2[:, 1:] is 3 × 3: the shapes fit
    ("transposed", "L = 3", ["an error from your code", "δ^{l+1} (N × M_{l+1})"]),
    ("column 0", "L = 3", ["Column 0 of θ^{l+1} holds the thresholds"]),
])
def test_09_mistakes(notebook, mistake, marker, words):
    nb = notebook(EX09)
    assert_rejected(nb.check(marker, backprop_step=_step(mistake, nb.ns["homogeneous"])), *words)


@pytest.mark.parametrize("marker, L", [("L = 2", 2), ("L = 3", 3)])
def test_09_last_layer_skipped_is_named(notebook, marker, L):
    """Issue #13: this answer was told "0 times the right ones"; the last layer's update is missing."""
    nb = notebook(EX09)
    out = nb.check(marker, backprop_step=_step("no last layer", nb.ns["homogeneous"]))
    assert_rejected(out, f"θ^{L} (the output layer)", f"θ^{L} unchanged: its update is missing", "range(1, L + 1)")
    assert "0 times" not in out


def test_09_def_line_without_t_is_named(notebook):
    """Issue #13: a def line that does not fit the call was told to fix "the line that raises this error"."""
    def backprop_step(net, X, rho):
        pass
    out = notebook(EX09).check("L = 2", backprop_step=backprop_step)
    assert_rejected(out, "`def` line", "parameters must be (net, X, t, rho)", "yours are (net, X, rho)")
    assert "Fix the line of your code" not in out


# ----------------------------------------------------------------------------- 10 by hand

def test_10_mistakes(notebook):
    nb = notebook(EX10)
    ns = nb.ns
    s, phi, t, theta2, theta3 = ns["s"], ns["phi"], ns["t"], ns["theta2"], ns["theta3"]
    d3, d2 = ns["delta_3"](), np.array(ns["delta_2"]())
    g_prime = s[1] * (1 - s[1])
    assert_rejected(nb.check("net, x, t, 3)", delta_3=lambda: (t[0] - s[3][0])), "g'(φ) is missing")
    assert_rejected(nb.check("net, x, t, 3)", delta_3=lambda: (t[0] - s[3][0]) * s[3][0]), "activation itself")
    assert_rejected(nb.check("net, x, t, 2)", delta_2=lambda: -s[2] * (1 - s[2]) * d3 * theta3[0, 1:]), "sign")
    assert_rejected(nb.check("net, x, t, 1)", delta_1=lambda: g_prime * (d2 @ theta2[:, 1:].T)), "θ_ir")
    assert_rejected(nb.check("net, x, t, 1)", delta_1=lambda: d2 @ theta2[:, 1:]), "g'(φ) is missing")
    assert_rejected(nb.check("net, x, t, 1)", delta_1=lambda: g_prime * (d2 @ theta2[:, :-1])), "Column 0")
    assert_rejected(nb.check("net, x, t, 1)", delta_1=lambda: [0.0064, -0.0066]), "δ^1")
    assert phi[1].shape == (2,)
