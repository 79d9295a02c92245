"""nnlib.check accepts right answers, rejects plausible wrong ones, and never raises on them."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from notebook_runner import assert_rejected

from nnlib import activations as act
from nnlib import check
from nnlib.check import _feedback
from nnlib.check import optim as check_optim

z = sp.Symbol("z", real=True)
s = sp.Symbol("s", real=True)
G_S = 1 / (1 + sp.exp(-z))
DG_S = sp.diff(G_S, z)


def _not_answered(*args, **kwargs):
    raise NotImplementedError("Your turn")


def _boom(*args, **kwargs):
    return 1 / 0


def printed(capsys, result):
    """What a check printed, once its result is seen to agree with its message (True: "✔ Correct!", False: "✘")."""
    out = capsys.readouterr().out
    assert isinstance(result, bool) and out.startswith("✔ Correct!" if result else "✘"), (result, out)
    return out


def assert_accepted(capsys, result):
    out = printed(capsys, result)
    assert result is True, out


# ------------------------------------------------------------------------------ symbolic

@pytest.mark.parametrize("answer", [
    DG_S,
    sp.exp(-z) / (1 + sp.exp(-z)) ** 2,
    G_S * (1 - G_S),
    (1 - sp.tanh(z / 2) ** 2) / 4,            # another form: proved equal via rewrite(exp)
    lambda z: sp.exp(z) / (1 + sp.exp(z)) ** 2,  # a function is called with the symbols
])
def test_symbolic_accepts_equivalent_forms(capsys, answer):
    assert_accepted(capsys, check.check_symbolic(answer, DG_S, z, name="g'_S(z)"))


def test_symbolic_accepts_a_symbol_made_again_with_other_assumptions(capsys):
    z_plain = sp.Symbol("z")
    assert_accepted(capsys, check.check_symbolic(sp.exp(-z_plain) / (1 + sp.exp(-z_plain)) ** 2, DG_S, z))


@pytest.mark.parametrize("answer, words", [
    (-DG_S, ["sign"]),                                        # sign error
    (2 * DG_S, ["2 times", "factor"]),                        # extra factor 2
    (DG_S / 2, ["0.5 times", "factor"]),                      # missing factor 2
    (DG_S + 1, ["constant 1"]),                               # constant offset
    (sp.exp(-z) / (1 + sp.exp(-z)), ["at z ="]),              # wrong power of the denominator
    (G_S, ["at z ="]),                                        # missing (1 - g)
])
def test_symbolic_rejects_plausible_mistakes(capsys, answer, words):
    assert_rejected(printed(capsys, check.check_symbolic(answer, DG_S, z, name="g'_S(z)")), *words)


@pytest.mark.parametrize("answer, hint", [
    (s * (1 - s) ** 2, "wrong power"),   # wrong power
    (s ** 2 * (1 - s), "wrong power"),
    (s, "missing (1 - s)"),              # missing (1 - g)
    (1 - s ** 2, "tanh"),
])
def test_symbolic_uses_the_hints_for_known_mistakes(capsys, answer, hint):
    hints = {s * (1 - s) ** 2: "wrong power", s ** 2 * (1 - s): "wrong power", 1 - s ** 2: "tanh",
             lambda a: a == s: "missing (1 - s)"}
    out = assert_rejected(printed(capsys, check.check_symbolic(answer, s * (1 - s), s, hints=hints)))
    assert f"Hint:     {hint}" in out


@pytest.mark.parametrize("answer, words", [
    (None, ["None", "return"]),
    ("exp(-z)/(1+exp(-z))**2", ["text", "string"]),
    ([DG_S], ["list with 1 item", "[0]"]),
    ((DG_S, DG_S), ["tuple with 2 items"]),
    (sp.Eq(s, DG_S), ["equation", "rhs"]),
    (True, ["True", "=="]),
    (np.array([1.0, 2.0]), ["numpy array"]),
    (s * DG_S, ["contains s"]),
    (object(), ["object"]),
])
def test_symbolic_answer_of_the_wrong_kind_gets_a_kind_message(capsys, answer, words):
    assert_rejected(printed(capsys, check.check_symbolic(answer, DG_S, z)), *words)


def test_symbolic_exception_from_the_student_becomes_a_message(capsys):
    assert_rejected(printed(capsys, check.check_symbolic(_boom, DG_S, z)), "ZeroDivisionError")


def test_symbolic_not_answered(capsys):
    result = check.check_symbolic(_not_answered, DG_S, z, name="g'_S(z)")
    out = capsys.readouterr().out
    assert result is False
    assert out.startswith("✘ Not answered yet: g'_S(z)")


def test_symbolic_reveal_shows_the_expected_expression(capsys):
    out = assert_rejected(printed(capsys, check.check_symbolic(-DG_S, DG_S, z, reveal=True)))
    assert str(DG_S) in out.split("Got:")[0]


def test_symbolic_bad_symbols_argument_is_the_authors_error():
    with pytest.raises(TypeError, match="symbols"):
        check.check_symbolic(DG_S, DG_S, "z")


# -------------------------------------------------------------------------------- values

@pytest.mark.parametrize("answer", [(0, sp.Rational(1, 4)), [sp.Integer(0), 0.25], (np.float64(0), np.array(0.25)),
                                    lambda: (0, sp.Rational(1, 4))])
def test_values_accepts_numbers_of_any_kind(capsys, answer):
    assert_accepted(capsys, check.check_values(answer, (0, sp.Rational(1, 4)), ("z*", "g'_S(z*)")))


@pytest.mark.parametrize("answer, words", [
    ((0, -0.25), ["sign"]),
    ((0, 0.5), ["g_S(0)"]),                       # the hint for the known mistake
    ((0, 0.125), ["g'_S(z*) = 0.25", "0.125"]),   # missing factor 2
    (([0], 0.25), ["list with 1 item", "[0]"]),   # sp.solve's list
    ((0,), ["2 values", "tuple with 1 item"]),
    (0.25, ["2 values", "single float"]),
    ((z, 0.25), ["expression in z", "subs"]),
    ((None, 0.25), ["None"]),
    (("0", 0.25), ["text"]),
    ((sp.I, 0.25), ["real"]),
    (_boom, ["ZeroDivisionError"]),
])
def test_values_rejects_wrong_answers_kindly(capsys, answer, words):
    result = check.check_values(answer, (0, sp.Rational(1, 4)), ("z*", "g'_S(z*)"),
                                hints={0.5: "0.5 is g_S(0), not the slope"})
    assert_rejected(printed(capsys, result), *words)


def test_values_not_answered(capsys):
    assert check.check_values(_not_answered, 1.0, "x") is False
    assert "Not answered yet" in capsys.readouterr().out


def test_values_checks_the_authors_arguments():
    with pytest.raises(ValueError, match="names"):
        check.check_values(1, (1, 2), "x")
    with pytest.raises(TypeError, match="expected"):
        check.check_values(1, "one", "x")


# ------------------------------------------------------------------------------- maximum

def test_maximum_accepts_the_maximum(capsys):
    assert_accepted(capsys, check.check_maximum((sp.Integer(0), sp.Rational(1, 4)), act.sigmoid.prime,
                                                ("z*", "g'_S(z*)")))


def test_maximum_rejects_a_wrong_point_without_giving_it_away(capsys):
    out = assert_rejected(printed(capsys, check.check_maximum((2, 0.25), act.sigmoid.prime, ("z*", "g'_S(z*)"))))
    assert "larger at 1" in out  # halfway towards the maximum, not the maximum itself


def test_maximum_rejects_a_wrong_value(capsys):
    out = assert_rejected(printed(capsys, check.check_maximum((0, 0.5), act.sigmoid.prime, ("z*", "g'_S(z*)"),
                                                      hints={0.5: "that is g_S(0)"})))
    assert "that is g_S(0)" in out


def test_maximum_rejects_a_wrong_kind_of_answer(capsys):
    assert_rejected(printed(capsys, check.check_maximum(([0], 0.25), act.sigmoid.prime, ("z*", "g'_S(z*)"))), "[0]")


# --------------------------------------------------------------------------- derivatives

def tanh_prime(z):
    return 1 - np.tanh(z) ** 2


def test_derivative_accepts_right_answers(capsys):
    assert_accepted(capsys, check.check_derivative(tanh_prime, act.tanh))
    assert_accepted(capsys, check.check_derivative(lambda z: 1 / (1 + np.abs(z)) ** 2, act.fast))
    assert_accepted(capsys, check.check_derivative(lambda z: act.sigmoid(z) * (1 - act.sigmoid(z)), act.sigmoid))
    elu_prime = lambda z, alpha=1.0: np.where(z >= 0, 1.0, alpha * np.exp(np.minimum(z, 0)))  # noqa: E731
    for alpha in (1.0, 0.5, 2.0):
        assert_accepted(capsys, check.check_derivative(elu_prime, act.elu, params={"alpha": alpha}))


def test_derivative_accepts_any_finite_value_at_a_kink(capsys):
    # ReLU at 0: the slide leaves g'_U(0) undefined; 0, 1 or 0.5 are all accepted there.
    for at_zero in (0.0, 1.0, 0.5):
        relu_prime = lambda z, c=at_zero: np.where(z > 0, 1.0, np.where(z < 0, 0.0, c))  # noqa: E731
        assert_accepted(capsys, check.check_derivative(relu_prime, act.relu))


@pytest.mark.parametrize("student, g, words", [
    (lambda z: np.tanh(z) ** 2 - 1, act.tanh, ["sign"]),                                  # sign error
    (lambda z: 2 * (1 - np.tanh(z) ** 2), act.tanh, ["2 times", "factor"]),               # extra factor 2
    (lambda z: 1 - np.tanh(z), act.tanh, ["g'_T(-0.25)"]),                                # missing power
    (lambda z: 1 - np.tanh(z) ** 3, act.tanh, ["g'_T("]),                                 # wrong power
    (lambda z: act.sigmoid(z), act.sigmoid, ["g itself"]),                                # g, not g'
    (lambda z: 2 * act.sigmoid(2 * z) - 1, act.tanh, ["g itself"]),                       # the slide's erratum
    (lambda z: act.sigmoid(z) * (1 - act.sigmoid(z)) ** 2, act.sigmoid, ["g'_S("]),       # extra (1 - g)
    (lambda z: act.sigmoid(z), act.sigmoid, ["g itself"]),                                # missing (1 - g)
    (lambda z: 1 - np.tanh(z) ** 2 + 1, act.tanh, ["constant 1"]),                        # offset
    (lambda z: (1 - np.tanh(z) ** 2).T, act.tanh, ["(4, 3)", "transposed"]),              # transposed
    (lambda z: np.sum(1 - np.tanh(z) ** 2), act.tanh, ["shape ()", "elementwise"]),       # reduced to a number
    (lambda z: (1 - np.tanh(z) ** 2).ravel(), act.tanh, ["(3, 4)"]),                      # flattened
    (lambda z: [1.0, 2.0], act.tanh, ["shape (2,)"]),                                     # list of wrong length
    (lambda z: np.full(np.shape(z), np.nan), act.tanh, ["nan"]),                          # NaN everywhere
    (lambda z: (act.fast(z) / z) ** 2, act.fast, ["nan at z = 0", "0 by 0"]),             # slide's 2nd form
    (lambda z: 1 - math.tanh(z) ** 2, act.tanh, ["TypeError", "numpy"]),                  # math on arrays
    (lambda z: 1.0 if z > 0 else 0.0, act.relu, ["np.where"]),                            # if on arrays
    (_boom, act.tanh, ["ZeroDivisionError"]),                                             # raises
    (lambda z: None, act.tanh, ["None", "return"]),                                       # no return
    (lambda z: "1 - tanh(z)**2", act.tanh, ["text"]),                                     # a string
    (lambda z: np.subtract(1, np.tanh(z, out=z) ** 2), act.tanh, ["changed its input"]),  # mutates z
])
def test_derivative_rejects_plausible_mistakes(capsys, student, g, words):
    assert_rejected(printed(capsys, check.check_derivative(student, g)), *words)


def test_derivative_hints_for_known_mistakes(capsys):
    hints = {lambda z: 1 / (1 + z) ** 2: "Use |z|"}
    out = assert_rejected(printed(capsys, check.check_derivative(lambda z: 1 / (1 + z) ** 2, act.fast, hints=hints)))
    assert "Hint:     Use |z|" in out  # matched even though its values contain inf


def test_derivative_parameters(capsys):
    ignores = lambda z, alpha=1.0: np.where(z >= 0, 1.0, np.exp(np.minimum(z, 0)))  # noqa: E731
    assert_rejected(printed(capsys, check.check_derivative(ignores, act.elu, params={"alpha": 0.5})), "default alpha")
    no_alpha = lambda z: np.where(z >= 0, 1.0, np.exp(np.minimum(z, 0)))  # noqa: E731
    assert_rejected(printed(capsys, check.check_derivative(no_alpha, act.elu, params={"alpha": 0.5})), "alpha")


def test_derivative_not_answered(capsys):
    assert check.check_derivative(_not_answered, act.tanh) is False
    assert capsys.readouterr().out.startswith("✘ Not answered yet: g'_T")


def test_derivative_does_not_let_the_students_warnings_escape(capsys):
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check.check_derivative(lambda z: (act.fast(z) / z) ** 2, act.fast)
    assert_rejected(printed(capsys, result), "numpy warned")


def test_derivative_checks_the_authors_arguments():
    with pytest.raises(ValueError, match="elementwise"):
        check.check_derivative(tanh_prime, act.softmax)
    with pytest.raises(ValueError, match="points"):
        check.check_derivative(tanh_prime, act.tanh, points=[[0.0, 1.0]])
    with pytest.raises(TypeError, match="g must be"):
        check.check_derivative(tanh_prime, "tanh")


def test_derivative_without_g_prime_uses_central_differences(capsys):
    assert_accepted(capsys, check.check_derivative(lambda z: np.cos(z), np.sin, name="sin'"))
    assert_rejected(printed(capsys, check.check_derivative(lambda z: -np.cos(z), np.sin, name="sin'")), "sign")


# ------------------------------------------------------------------------------- summary

def test_summary_counts_the_latest_result_of_each_check(capsys, monkeypatch):
    monkeypatch.setattr(_feedback, "_RESULTS", {})
    assert check.summary() is False
    assert "No check has run yet" in capsys.readouterr().out
    check.check_derivative(_not_answered, act.tanh)
    check.check_values(1.0, 1.0, "x")
    assert check.summary() is False
    assert "1 of 2 checks correct so far. Still to do: g'_T." in capsys.readouterr().out
    check.check_derivative(tanh_prime, act.tanh)
    assert check.summary() is True
    assert check.results() == {"g'_T": True, "x": True}


# ------------------------------------------------------------- arrays (exercises 4 and 6)

def test_array_accepts_the_right_array_in_any_form(capsys):
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    for answer in (expected.copy(), [[1, 2], [3, 4]], lambda: expected + 1e-12, sp.Matrix([[1, 2], [3, 4]])):
        assert_accepted(capsys, check.check_array(answer, expected, "A"))


@pytest.mark.parametrize("answer, words", [
    (-np.array([[1.0, 2.0], [3.0, 4.0]]), ["sign"]),                              # sign error
    (2 * np.array([[1.0, 2.0], [3.0, 4.0]]), ["2 times", "factor"]),              # extra factor
    (np.array([[1.0, 3.0], [2.0, 4.0]]), ["A = [[1, 2], [3, 4]]", "A[0, 1]"]),    # a square one transposed
    (np.array([[1.0, 2.0, 0.0], [3.0, 4.0, 0.0]]), ["shape (2, 3)"]),             # wrong shape
    (np.array([1.0, 2.0, 3.0, 4.0]), ["shape (4,)", "wrong shape"]),              # flattened
    (np.array([[1.0, np.nan], [3.0, 4.0]]), ["nan", "division by 0"]),            # NaN
    (None, ["None", "return"]),
    ("[[1, 2], [3, 4]]", ["text"]),
    ([[1, 2], [3]], ["not an array of real numbers"]),                            # ragged
    (sp.Matrix([[sp.Symbol("a"), 2], [3, 4]]), ["SymPy expression with symbols"]),
    (_boom, ["ZeroDivisionError"]),
    (lambda: np.ones((2, 3)) @ np.ones((2, 3)), ["shapes in a product do not fit"]),  # a matmul error
])
def test_array_rejects_wrong_arrays_kindly(capsys, answer, words):
    assert_rejected(printed(capsys, check.check_array(answer, [[1.0, 2.0], [3.0, 4.0]], "A")), *words)


def test_array_names_a_transposed_result_and_uses_the_hints(capsys):
    expected = np.arange(6.0).reshape(2, 3)
    assert_rejected(printed(capsys, check.check_array(expected.T, expected, "S")), "transposed")
    out = assert_rejected(printed(capsys, check.check_array(expected.T, expected, "S",
                                                    hints=[(expected.T, "rows are samples")])))
    assert "Hint:     rows are samples" in out
    out = assert_rejected(printed(capsys, check.check_array(expected + 1, expected, "S",
                                                    hints={lambda a: np.allclose(a - expected, 1): "off by one"})))
    assert "Hint:     off by one" in out


def test_array_not_answered_and_authors_errors(capsys):
    assert check.check_array(_not_answered, [1.0], "A") is False
    assert capsys.readouterr().out.startswith("✘ Not answered yet: A")
    with pytest.raises(ValueError, match="expected"):
        check.check_array([1.0], [np.nan], "A")
    with pytest.raises(TypeError, match="hints"):
        check.check_array([1.0], [1.0], "A", hints=[np.array([1.0])])


# -------------------------------------------------------------------- a layer (exercise 4)

THETA = np.array([[0.1, 0.2, -0.3, 0.4], [-0.2, 0.5, 0.1, -0.4], [0.3, -0.1, 0.2, 0.1]])   # M = 3, M' = 3
S_PREV = np.array([1.0, -0.5, 2.0])


def _tilde(v):
    return np.concatenate(([1.0], v))


def test_layer_accepts_the_slides_formula(capsys):
    g = act.sigmoid
    assert_accepted(capsys, check.check_layer(lambda s: g(THETA @ _tilde(s)), THETA, S_PREV, g, "s^1"))
    assert_accepted(capsys, check.check_layer(g(THETA @ _tilde(S_PREV)), THETA, S_PREV, g, "s^1"))   # a value
    batch = np.vstack([S_PREV, -S_PREV])                                                             # rows: samples
    assert_accepted(capsys, check.check_layer(lambda S: g(np.hstack([np.ones((2, 1)), S]) @ THETA.T), THETA, batch, g))


@pytest.mark.parametrize("student, words", [
    (lambda s: THETA @ _tilde(s), ["pre-activations", "apply the activation"]),             # g not applied
    (lambda s: act.sigmoid(act.sigmoid(THETA @ _tilde(s))), ["applied twice"]),             # g twice
    (lambda s: act.sigmoid(THETA[:, 1:] @ s), ["thresholds are missing"]),                  # x_0 = 1 forgotten
    (lambda s: act.sigmoid(THETA[:, 1:] @ s - THETA[:, 0]), ["+ sign"]),                    # -θ_0
    (lambda s: act.sigmoid(THETA[:, :-1] @ s + THETA[:, -1]), ["column 0", "not the last"]),  # threshold at the end
    (lambda s: act.sigmoid(THETA[:, 1:].T @ s + THETA[:, 0]), ["θᵀ", "row i"]),             # θ instead of θᵀ
    (lambda s: act.sigmoid.prime(THETA @ _tilde(s)), ["g'", "derivative"]),                 # g' instead of g
    (lambda s: THETA @ s, ["θ has shape (3, 4)", "put a 1 in front"]),                      # shapes do not fit
    (lambda s: act.sigmoid(_tilde(s) @ THETA), ["θ has shape (3, 4)"]),                     # θ instead of θᵀ, 1-D
    (lambda s: act.sigmoid(THETA @ _tilde(s))[:, None], ["shape (3, 1)", "np.ravel"]),      # a column
    (lambda s: None, ["None"]),
])
def test_layer_rejects_the_usual_slips(capsys, student, words):
    assert_rejected(printed(capsys, check.check_layer(student, THETA, S_PREV, act.sigmoid, "s^1")), *words)


def test_layer_does_not_let_the_student_change_the_input(capsys):
    s_prev = S_PREV.copy()

    def mutates(s):
        s *= 0
        return act.sigmoid(THETA @ _tilde(s))

    # the student's copy was zeroed
    assert_rejected(printed(capsys, check.check_layer(mutates, THETA, s_prev, act.sigmoid)))
    assert np.array_equal(s_prev, S_PREV)


def test_layer_checks_the_authors_arguments():
    with pytest.raises(ValueError, match="theta"):
        check.check_layer(None, np.ones(3), S_PREV, act.sigmoid)
    with pytest.raises(ValueError, match="s_prev"):
        check.check_layer(None, THETA, np.ones(4), act.sigmoid)
    with pytest.raises(TypeError, match="g must be"):
        check.check_layer(None, THETA, S_PREV, "sigmoid")


# ------------------------------------------------------------ a function (exercise 3)

def _D(M):
    return sum(M[l] * (M[l - 1] + 1) for l in range(1, len(M)))


CASES = [[5, 3, 3], [2, 4, 3, 1], [3, 1]]
D_HINTS = {lambda M: _D(M) - sum(M[1:]): "no thresholds", lambda M: _D([M[-1], *M]): "l = 0 wraps around"}


def test_function_accepts_the_right_function(capsys):
    assert_accepted(capsys, check.check_function(_D, _D, CASES, "count_D"))
    assert_accepted(capsys, check.check_function(lambda M: float(_D(M)), _D, CASES, "count_D"))   # 30.0 is 30


@pytest.mark.parametrize("student, words", [
    (lambda M: sum(M[l] * M[l - 1] for l in range(1, len(M))), ["count_D([5, 3, 3]) = 24", "Hint:     no thresholds"]),
    (lambda M: sum(M[l] * (M[l - 1] + 1) for l in range(len(M))), ["= 50", "Hint:     l = 0 wraps around"]),
    (lambda M: -_D(M), ["wrong sign"]),
    (lambda M: _D(M) + 1, ["by hand"]),                                         # no known mistake: the default hint
    (lambda M: [_D(M)], ["one number", "list with 1 item"]),
    (lambda M: None, ["None"]),
    (_boom, ["ZeroDivisionError"]),
])
def test_function_rejects_wrong_functions(capsys, student, words):
    assert_rejected(printed(capsys, check.check_function(student, _D, CASES, "count_D", hints=D_HINTS)), *words)


def test_function_matches_a_hint_at_the_failing_case_only(capsys):
    # wrong only for three layers: matches the "no thresholds" function at [2, 4, 3, 1] but not everywhere
    student = lambda M: _D(M) if len(M) == 3 or len(M) == 2 else _D(M) - sum(M[1:])  # noqa: E731
    out = assert_rejected(printed(capsys, check.check_function(student, _D, CASES, "count_D", hints=D_HINTS)))
    assert "count_D([2, 4, 3, 1])" in out and "no thresholds" in out


def test_function_given_a_value_not_a_function(capsys):
    assert_rejected(printed(capsys, check.check_function(30, _D, CASES, "count_D")),
                    "a value, not a function", "without parentheses")
    assert check.check_function(_not_answered, _D, CASES, "count_D") is False
    assert "Not answered yet: count_D" in capsys.readouterr().out
    with pytest.raises(ValueError, match="cases"):
        check.check_function(_D, _D, [], "count_D")


# ---------------------------------------------------------- a classifier (exercise 5)

XOR_X = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]], dtype=float)
XOR_T = np.array([-1, 1, 1, -1], dtype=float)
XOR_1 = np.array([[-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]])
XOR_2 = np.array([[1.0, 1.0, 1.0]])


def _xor_net(theta1, theta2):
    from nnlib.mlp import MLP
    return lambda: MLP(M=[2, 2, 1], g="step", theta=[theta1, theta2])


def test_classifier_accepts_a_right_network_or_its_outputs(capsys):
    assert_accepted(capsys, check.check_classifier(_xor_net(XOR_1, XOR_2), XOR_X, XOR_T))
    assert_accepted(capsys, check.check_classifier(XOR_T * 0.3, XOR_X, XOR_T))          # outputs (N,)
    assert_accepted(capsys, check.check_classifier(XOR_T[:, None], XOR_X, XOR_T))       # outputs (N, 1)


@pytest.mark.parametrize("theta1, theta2, words", [
    (XOR_1, -XOR_2, ["0 of 4 right", "opposite", "Flip the sign"]),                      # XNOR
    (XOR_1, np.array([[0.0, 1.0, 1.0]]), ["output is 0", "boundary"]),                   # on the boundary
    (np.array([[-1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]), XOR_2, ["3 of 4 right", "x = (1, 1)", "s^1 = (1, 1)"]),  # AND, OR
    (XOR_1.T, XOR_2, ["theta[1] must have shape (2, 3)", "one row per node"]),           # transposed θ¹
    (XOR_1[:, ::-1], XOR_2, ["wrong at x ="]),                                           # thresholds as last column
])
def test_classifier_shows_which_point_fails(capsys, theta1, theta2, words):
    assert_rejected(printed(capsys, check.check_classifier(_xor_net(theta1, theta2), XOR_X, XOR_T)), *words)


def test_classifier_wrong_kinds_and_authors_errors(capsys):
    assert_rejected(printed(capsys, check.check_classifier(np.ones((4, 2)), XOR_X, XOR_T)), "single output node")
    assert_rejected(printed(capsys, check.check_classifier(lambda: None, XOR_X, XOR_T)), "None")
    assert check.check_classifier(_not_answered, XOR_X, XOR_T, name="XOR net") is False
    assert "Not answered yet: XOR net" in capsys.readouterr().out
    with pytest.raises(ValueError, match="t must hold"):
        check.check_classifier(XOR_T, XOR_X, np.array([0, 1, 1, 0]))
    with pytest.raises(ValueError, match="shape"):
        check.check_classifier(XOR_T, XOR_X, XOR_T[:3])


# ------------------------------------------------------- linear collapse (exercise 6)

T1 = np.array([[0.5, 1.0, -0.5], [-1.0, 0.5, 2.0]])   # 2-2-2: every wrong order has the right shape
T2 = np.array([[1.0, -1.0, 0.5], [0.5, 2.0, 1.0]])


def _aug(theta):
    return np.vstack([np.eye(1, theta.shape[1]), theta])


def test_collapse_accepts_theta2_times_augmented_theta1(capsys):
    assert_accepted(capsys, check.check_collapse(lambda a, b: b @ _aug(a), T1, T2))
    wide1, wide2 = np.arange(12.0).reshape(3, 4) / 10, np.arange(8.0).reshape(2, 4) / 10   # a 3-3-2 network
    assert_accepted(capsys, check.check_collapse(lambda a, b: b @ _aug(a), wide1, wide2))
    # Θ agrees with the linear network itself
    from nnlib.mlp import MLP, homogeneous
    X = np.random.default_rng(1).normal(size=(6, 2))
    net = MLP(M=[2, 2, 2], g="linear", theta=[T1, T2])
    assert np.allclose(net(X), homogeneous(X) @ (T2 @ _aug(T1)).T)


@pytest.mark.parametrize("student, words", [
    (lambda a, b: b[:, 1:] @ a, ["lost the output layer's thresholds", "[1, 0, …, 0]"]),    # the row left out
    (lambda a, b: b @ np.vstack([np.zeros((1, 3)), a]), ["lost the output layer's thresholds"]),  # row of zeros
    (lambda a, b: b @ np.vstack([a, np.eye(1, 3)]), ["goes on top"]),                       # row at the bottom
    (lambda a, b: a @ _aug(b), ["wrong order"]),                                            # θ¹ θ̃²
    (lambda a, b: a[:, 1:] @ b, ["wrong order"]),                                           # θ¹ θ² without the row
    (lambda a, b: (b @ _aug(a)).T, ["transposed"]),
    (lambda a, b: b @ a, ["θ² has shape (2, 3) and θ¹ (2, 3)", "Add the row"]),             # numpy's complaint
    (lambda a, b: b @ _aug(a) + np.array([[1.0, 0, 0], [1.0, 0, 0]]), ["thresholds Θ_i0"]),  # only column 0 wrong
])
def test_collapse_rejects_the_usual_slips(capsys, student, words):
    assert_rejected(printed(capsys, check.check_collapse(student, T1, T2)), *words)


def test_collapse_checks_the_authors_arguments():
    with pytest.raises(ValueError, match="theta1 and theta2"):
        check.check_collapse(None, T1, T2[:, :2])


# ------------------------------------------------------------------------------ BackProp
# check_output_delta, check_delta and check_backprop_step (exercises 08-10): right answers pass,
# each plausible mistake is rejected with the hint that names it, and nothing raises.

from nnlib.mlp import MLP, homogeneous  # noqa: E402


def _delta_L(phi, t, loss, g):
    s = g(phi)
    return (t - s) * g.prime(phi) if loss == "squared_error" else t - s


def _naive_softmax(phi):
    e = np.exp(phi)
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("loss, g", [("squared_error", act.sigmoid), ("squared_error", act.linear),
                                     ("squared_error", act.tanh), ("cross_entropy", act.softmax)])
def test_output_delta_accepts_the_right_delta(capsys, loss, g):
    assert_accepted(capsys, check.check_output_delta(_delta_L, loss, g))


def test_output_delta_accepts_a_hand_written_stable_softmax(capsys):
    def delta(phi, t, loss, g):
        e = np.exp(phi - phi.max(axis=1, keepdims=True))
        return t - e / e.sum(axis=1, keepdims=True)
    assert_accepted(capsys, check.check_output_delta(delta, "cross_entropy", act.softmax))


@pytest.mark.parametrize("wrong, words", [
    (lambda p, t, l, g: (g(p) - t) * g.prime(p), ["sign", "−∂q_n/∂φ"]),
    (lambda p, t, l, g: t - g(p), ["g'(φ) is missing"]),
    (lambda p, t, l, g: (t - g(p)) * g.prime(g(p)), ["not at the output s"]),
    (lambda p, t, l, g: (t - g(p)) * g(p), ["activation itself"]),
    (lambda p, t, l, g: (t - p) * g.prime(p), ["apply the activation"]),
    (lambda p, t, l, g: _delta_L(p, t, l, g) / len(p), ["per sample", "no division by N"]),
    (lambda p, t, l, g: _delta_L(p, t, l, g).mean(axis=0), ["shape (5, 3)", "Do not average"]),
    (lambda p, t, l, g: _delta_L(p, t, l, g).T, ["transposed"]),
])
def test_output_delta_rejects_squared_error_mistakes(capsys, wrong, words):
    assert_rejected(printed(capsys, check.check_output_delta(wrong, "squared_error", act.sigmoid)), *words)


@pytest.mark.parametrize("wrong, words", [
    (lambda p, t, l, g: g(p) - t, ["sign"]),
    (lambda p, t, l, g: (t - g(p)) * g(p) * (1 - g(p)), ["diagonal", "t_i − s_i"]),
    (lambda p, t, l, g: g.jvp(p, t - g(p)), ["squared error with a softmax output"]),
    (lambda p, t, l, g: t / g(p), ["−∂q/∂s_i"]),
    (lambda p, t, l, g: t - p, ["apply the activation"]),
    (lambda p, t, l, g: t - np.exp(p) / np.exp(p).sum(axis=0), ["each sample (row)"]),
    (lambda p, t, l, g: t - np.exp(p) / np.exp(p).sum(), ["each sample (row)"]),
    (lambda p, t, l, g: (t - g(p)) / len(p), ["per sample"]),
    (lambda p, t, l, g: t - _naive_softmax(p), ["overflows", "maximum", "1000"]),
])
def test_output_delta_rejects_cross_entropy_mistakes(capsys, wrong, words):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the student's overflow warnings stay inside the check
        result = check.check_output_delta(wrong, "cross_entropy", act.softmax)
    assert_rejected(printed(capsys, result), *words)


@pytest.mark.parametrize("answer, words", [(_boom, ["ZeroDivisionError"]), (lambda p, t, l, g: None, ["None"]),
                                           (lambda p, t: t, ["positional argument"])])
def test_output_delta_errors_become_messages(capsys, answer, words):
    assert_rejected(printed(capsys, check.check_output_delta(answer, "squared_error", act.sigmoid)), *words)


def test_output_delta_not_answered_and_authors_errors(capsys):
    assert check.check_output_delta(_not_answered, "cross_entropy", act.softmax) is False
    assert "Not answered yet" in capsys.readouterr().out
    with pytest.raises(ValueError, match="loss"):
        check.check_output_delta(_delta_L, "hinge", act.sigmoid)
    with pytest.raises(TypeError, match="g must be"):
        check.check_output_delta(_delta_L, "squared_error", np.tanh)


# The 2-2-2-1 sigmoid net of exercise 10, one sample.
_T10 = [[[0.1, 0.4, -0.3], [-0.2, 0.2, 0.5]], [[0.3, -0.6, 0.8], [0.1, 0.7, -0.4]], [[-0.2, 0.9, -0.5]]]


def _net10():
    return MLP(M=[2, 2, 2, 1], g="sigmoid", theta=_T10)


def _by_hand10():
    """δ^3, δ^2, δ^1 of exercise 10's net, written out from the slides' formulas; and the forward pass."""
    net, x, t = _net10(), np.array([1.0, 0.5]), np.array([1.0])
    phi, s = net.forward(x)
    th = net.theta
    d3 = (t - s[3]) * s[3] * (1 - s[3])
    d2 = s[2] * (1 - s[2]) * (d3 @ th[3][:, 1:])
    d1 = s[1] * (1 - s[1]) * (d2 @ th[2][:, 1:])
    return net, x, t, phi, s, {3: d3, 2: d2, 1: d1}


@pytest.mark.parametrize("l", [3, 2, 1])
def test_delta_accepts_values_by_hand(capsys, l):
    net, x, t, _, _, d = _by_hand10()
    assert_accepted(capsys, check.check_delta(d[l], net, x, t, l))
    assert_accepted(capsys, check.check_delta([float(f"{v:.4g}") for v in d[l]], net, x, t, l))  # 4 digits
    assert_accepted(capsys, check.check_delta(lambda: tuple(d[l]), net, x, t, l))


def test_delta_accepts_a_plain_number_for_a_layer_of_one_node(capsys):
    net, x, t, _, _, d = _by_hand10()
    assert_accepted(capsys, check.check_delta(float(d[3][0]), net, x, t, 3))


def _wrong_deltas():
    net, x, t, phi, s, d = _by_hand10()
    th, g = net.theta, act.sigmoid
    return [
        (3, -d[3], ["sign"]),
        (3, t - s[3], ["g'(φ) is missing"]),
        (3, (t - s[3]) * g.prime(s[3]), ["not at the output s"]),
        (3, (t - s[3]) * s[3], ["activation itself"]),
        (3, (t - phi[3]) * g.prime(phi[3]), ["apply the activation"]),
        (2, d[3] @ th[3][:, 1:], ["g'(φ) is missing"]),
        (2, g.prime(s[2]) * (d[3] @ th[3][:, 1:]), ["not at the output s"]),
        (2, g.prime(phi[2]) * (d[3] @ th[3][:, :-1]), ["Column 0", "thresholds"]),
        (2, -d[2], ["sign"]),
        (1, d[2] @ th[2][:, 1:], ["g'(φ) is missing"]),
        (1, g.prime(phi[1]) * (d[2] @ th[2][:, 1:].T), ["θ_ir", "transposed"]),
        (1, g.prime(phi[1]) * (d[2] @ th[2][:, :-1]), ["Column 0"]),
        (1, s[1] * (d[2] @ th[2][:, 1:]), ["activation itself"]),
        (1, d[1][::-1], ["δ^1"]),
        (1, d[1][:1], ["shape (2,)"]),
        (1, None, ["None"]),
        (1, "0.1", ["text"]),
    ]


@pytest.mark.parametrize("case", range(len(_wrong_deltas())))
def test_delta_rejects_plausible_mistakes(capsys, case):
    l, wrong, words = _wrong_deltas()[case]
    net, x, t, *_ = _by_hand10()
    assert_rejected(printed(capsys, check.check_delta(wrong, net, x, t, l)), *words)


def test_delta_mistakes_are_told_apart_at_four_digits():
    """Every wrong value of the table differs from the right one by more than the tolerance (0.1 %)."""
    *_, d = _by_hand10()
    for l, wrong, _ in _wrong_deltas()[:13]:
        assert not np.allclose(wrong, d[l], rtol=1e-2, atol=1e-5), (l, wrong)


def test_delta_not_answered_and_authors_errors(capsys):
    net, x, t, *_ = _by_hand10()
    assert check.check_delta(_not_answered, net, x, t, 2) is False
    assert "Not answered yet" in capsys.readouterr().out
    with pytest.raises(ValueError, match=r"l must be an integer in 1\.\.3 \(a layer 1\.\.L\); got 4"):
        check.check_delta(0.1, net, x, t, 4)
    with pytest.raises(ValueError, match="t must have shape"):
        check.check_delta(0.1, net, x, np.array([1.0, 0.0]), 3)


def _step(mistake=None):
    """One batch BackProp step with squared error, written as a student would; `mistake` slips one in."""
    def backprop_step(net, X, t, rho):
        theta, g, L, N = net.theta, net.g, net.L, X.shape[0]
        phi, s = [None], [X]
        for l in range(1, L + 1):
            phi.append(s[l - 1] @ theta[l][:, 1:].T + (0 if mistake == "no_threshold" else theta[l][:, 0]))
            s.append(g[l](phi[l]))
        delta = [None] * (L + 1)
        delta[L] = (t - s[L]) * (g[L].prime(s[L]) if mistake == "g_prime_of_s" else g[L].prime(phi[L]))
        Delta = [None] * (L + 1)
        for l in range(L, 0, -1):
            if l < L:
                W = {"transposed": theta[l + 1][:, 1:].T, "col0": theta[l + 1][:, :-1],
                     "col0_kept": theta[l + 1]}.get(mistake, theta[l + 1][:, 1:])
                g_prime = 1.0 if mistake == "no_g_prime" else g[l].prime(phi[l])
                delta[l] = g_prime * (delta[l + 1] @ W)
            S = {"no_ones": s[l - 1], "ones_last": np.hstack([s[l - 1], np.ones((N, 1))])}.get(
                mistake, homogeneous(s[l - 1]))
            Delta[l] = (rho if mistake == "sum" else rho / N) * (delta[l].T @ S)
            if mistake == "interleaved":
                theta[l] += Delta[l]
        if mistake == "interleaved":
            return
        for l in range(1, L + 1):
            if mistake == "no_threshold_update":
                Delta[l][:, 0] = 0
            if mistake == "minus":
                theta[l] -= Delta[l]
            elif mistake == "returned":
                continue
            else:
                theta[l] += Delta[l]
        return Delta if mistake == "returned" else None
    return backprop_step


def _data09(M=(2, 3, 3), g=("tanh", "sigmoid")):
    rng = np.random.default_rng(3)
    net = MLP(M=list(M), g=list(g), init="uniform", seed=2)
    return net, rng.normal(size=(6, M[0])), rng.uniform(size=(6, M[-1]))


@pytest.mark.parametrize("M, g", [((2, 3, 3), ("tanh", "sigmoid")), ((3, 4, 2, 1), ("tanh", "sigmoid", "linear")),
                                  ((2, 2), ("sigmoid",))])
def test_backprop_step_accepts_the_right_step(capsys, M, g):
    net, X, t = _data09(M, g)
    before = [th.copy() for th in net.theta[1:]]
    assert_accepted(capsys, check.check_backprop_step(_step(), net, X, t, 0.5))
    assert all(np.array_equal(a, b) for a, b in zip(net.theta[1:], before))  # the check works on a copy


@pytest.mark.parametrize("mistake, words", [
    ("minus", ["Mind the sign", "θ^l += Δθ^l"]),
    ("sum", ["Divide by N"]),
    ("transposed", ["θ_ir", "transposed"]),              # square θ^2[:, 1:]: right shapes, wrong values
    ("col0", ["Column 0", "Δθ^1"]),
    ("col0_kept", ["an error from your code", "column 0 of θ (the thresholds) stays out"]),
    ("no_ones", ["an error from your code", "column of ones"]),
    ("ones_last", ["The 1 (s_0 = 1) goes first"]),
    ("no_threshold", ["starts at j = 0", "forward pass"]),
    ("no_threshold_update", ["The thresholds learn too"]),
    ("no_g_prime", ["g'(φ) is missing"]),
    ("g_prime_of_s", ["not at the output s"]),
    ("interleaved", ["old weights"]),
    ("returned", ["net.theta unchanged", "you returned them"]),
])
def test_backprop_step_rejects_plausible_mistakes(capsys, mistake, words):
    net, X, t = _data09()
    assert_rejected(printed(capsys, check.check_backprop_step(_step(mistake), net, X, t, 0.5)), *words)


def test_backprop_step_transposed_theta_of_other_shape_gets_the_shapes_hint(capsys):
    net, X, t = _data09((3, 4, 2, 1), ("tanh", "sigmoid", "linear"))
    assert_rejected(printed(capsys, check.check_backprop_step(_step("transposed"), net, X, t, 0.5)),
                    "an error from your code", "δ^{l+1} (N × M_{l+1}) @ θ^{l+1}[:, 1:]")


def test_backprop_step_not_answered_errors_and_authors_errors(capsys):
    net, X, t = _data09()
    assert check.check_backprop_step(_not_answered, net, X, t, 0.5) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert_rejected(printed(capsys, check.check_backprop_step(_boom, net, X, t, 0.5)), "ZeroDivisionError")

    def reshape(net, X, t, rho):
        net.theta[1] = net.theta[1][:, 1:]
    assert_rejected(printed(capsys, check.check_backprop_step(reshape, net, X, t, 0.5)), "shapes")
    with pytest.raises(ValueError, match="nonzero thresholds"):
        check.check_backprop_step(_step(), MLP(M=[2, 3, 3], g="tanh", seed=0), X, t, 0.5)
    with pytest.raises(ValueError, match="rho"):
        check.check_backprop_step(_step(), net, X, t, -0.5)
    with pytest.raises(ValueError, match="t must have shape"):
        check.check_backprop_step(_step(), net, X, t[:, :2], 0.5)


def _step_skipping(layers):
    """The right step, except that the layers in `layers` are not updated (e.g. a loop range(1, L))."""
    def backprop_step(net, X, t, rho):
        from nnlib.mlp import backprop
        _, Delta = backprop.increments(net, X, t, rho)
        for l in range(1, net.L + 1):
            if l not in layers(net.L):
                net.theta[l] += Delta[l]
    return backprop_step


@pytest.mark.parametrize("M, g", [((2, 3, 3), ("tanh", "sigmoid")), ((3, 4, 2, 1), ("tanh", "sigmoid", "linear"))])
def test_backprop_step_names_a_missing_last_layer_update(capsys, M, g):
    """Issue #13: a loop range(1, L) leaves θ^L as it was; that is a missing update, not "0 times the right ones"."""
    net, X, t = _data09(M, g)
    L = len(M) - 1
    out = assert_rejected(printed(capsys, check.check_backprop_step(_step_skipping(lambda L: {L}), net, X, t, 0.5)),
                          f"θ^{L} (the output layer)", f"θ^{L} unchanged: its update is missing",
                          "range(1, L + 1)")
    assert "0 times" not in out and "constant factor" not in out


def test_backprop_step_names_a_missing_hidden_layer_update(capsys):
    net, X, t = _data09((3, 4, 2, 1), ("tanh", "sigmoid", "linear"))
    out = assert_rejected(printed(capsys, check.check_backprop_step(_step_skipping(lambda L: {1}), net, X, t, 0.5)),
                          "θ^1 unchanged: its update is missing", "(you changed θ^2, θ^3 only)", "layer 1 included")
    assert "0 times" not in out


def test_array_of_zeros_is_not_0_times_the_right_one(capsys):
    out = assert_rejected(printed(capsys, check.check_array(np.zeros((2, 2)), [[1.0, 2.0], [3.0, 4.0]], name="Θ")),
                          "Every entry of Θ is 0")
    assert "0 times" not in out


def test_derivative_returning_zeros_is_not_0_times_the_right_one(capsys):
    out = assert_rejected(printed(capsys, check.check_derivative(lambda z: np.zeros_like(z), act.tanh)),
                          "returns 0 everywhere")
    assert "0 times" not in out


def test_delta_and_backprop_step_with_a_softmax_output_and_cross_entropy(capsys):
    from nnlib.mlp import backprop
    from nnlib import losses

    net = MLP(M=[2, 3, 3], g=["tanh", "softmax"], init="uniform", seed=0)
    rng = np.random.default_rng(0)
    X, t = rng.normal(size=(5, 2)), losses.one_hot(rng.integers(0, 3, 5), 3)
    _, delta = backprop.deltas(net, X[0], t[0], "cross_entropy")
    for l in (1, 2):
        assert_accepted(capsys, check.check_delta(delta[l], net, X[0], t[0], l, loss="cross_entropy"))
    assert_rejected(printed(capsys, check.check_delta(-delta[2], net, X[0], t[0], 2, loss="cross_entropy")), "minus")

    def step(net, X, t, rho):
        _, Delta = backprop.increments(net, X, t, rho, "cross_entropy")
        for l in range(1, net.L + 1):
            net.theta[l] += Delta[l]
    assert_accepted(capsys, check.check_backprop_step(step, net, X, t, 0.3, loss="cross_entropy"))

    def squared_error_step(net, X, t, rho):  # the right step for the wrong loss
        _, Delta = backprop.increments(net, X, t, rho, "squared_error")
        for l in range(1, net.L + 1):
            net.theta[l] += Delta[l]
    result = check.check_backprop_step(squared_error_step, net, X, t, 0.3, loss="cross_entropy")
    assert_rejected(printed(capsys, result), "Δθ^2", "squared error with a softmax output")


def test_symbolic_check_with_an_undefined_function_does_not_crash(capsys):
    """SymPy's equals() recursed without end on expressions with an undefined g(φ); the check must answer."""
    import sympy as sp
    phi = sp.Symbol("phi", real=True)
    g = sp.Function("g")
    assert check.check_symbolic(g(phi) * 2, 2 * g(phi), phi) is True
    assert check.check_symbolic(g(phi) * 3, 2 * g(phi), phi) is False
    assert "Expected" in capsys.readouterr().out


# ------------------------------------------------------------ optimizers (exercises 11-14)
# check_momentum_step and check_adam_step run the student's rule for several steps, feeding back the
# state it returns, against nnlib.optim; check_choice checks a prediction against a measured answer.

def _momentum(theta, grad, Delta_prev, rho, nu):
    Delta = -rho * grad + nu * Delta_prev
    return theta + Delta, Delta


def _momentum_in_place(theta, grad, Delta_prev, rho, nu):
    Delta_prev *= nu
    Delta_prev -= rho * grad
    theta += Delta_prev
    return theta, Delta_prev


@pytest.mark.parametrize("answer", [_momentum, _momentum_in_place])
@pytest.mark.parametrize("rho, nu", [(0.1, 0.9), (0.05, 0.0), (0.2, 0.5)])
def test_momentum_step_accepts_the_slides_form(capsys, answer, rho, nu):
    assert_accepted(capsys, check.check_momentum_step(answer, rho=rho, nu=nu))


@pytest.mark.parametrize("wrong, words", [
    (lambda th, g, D, rho, nu: (th + rho * g + nu * D, rho * g + nu * D), ["sign of ρ ∇q"]),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * th, -rho * g + nu * th), ["not the weights θ"]),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * D, D), ["is not stored"]),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * D, -rho * g), ["not stored whole"]),
    (lambda th, g, D, rho, nu: (th + D, -rho * g + nu * D), ["not the previous one"]),
    (lambda th, g, D, rho, nu: (-rho * g + nu * D, th - rho * g + nu * D), ["in this order"]),
    (lambda th, g, D, rho, nu: (th - rho * (g + nu * D), -rho * (g + nu * D)), ["ρ multiplies only the gradient"]),
    (lambda th, g, D, rho, nu: (th - rho * (nu * -D / rho + g), nu * -D / rho + g), ["velocity v(k)"]),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * D, 2 * (-rho * g + nu * D)), ["Return the increment"]),
])
def test_momentum_step_rejects_the_usual_slips(capsys, wrong, words):
    assert_rejected(printed(capsys, check.check_momentum_step(wrong)), *words)


@pytest.mark.parametrize("answer, words", [
    (lambda th, g, D, rho, nu: th - rho * g, ["a tuple (theta_new, Delta)", "a single ndarray"]),
    (lambda th, g, D, rho, nu: (th, D, D), ["3 items"]),
    (lambda th, g, D, rho, nu: (th.ravel(), D), ["shape (2, 3)"]),
    (lambda th, g, D, rho, nu: None, ["None", "return"]),
    (_boom, ["ZeroDivisionError"]),
])
def test_momentum_step_wrong_returns_become_messages(capsys, answer, words):
    assert_rejected(printed(capsys, check.check_momentum_step(answer)), *words)


def test_momentum_step_not_answered_and_authors_errors(capsys):
    assert check.check_momentum_step(_not_answered) is False
    assert "Not answered yet" in capsys.readouterr().out
    for kwargs, word in [({"rho": 0}, "rho"), ({"nu": 1.0}, "nu"), ({"nu": -0.1}, "nu"), ({"steps": 1}, "steps")]:
        with pytest.raises(ValueError, match=word):
            check.check_momentum_step(_momentum, **kwargs)


def _adam(theta, g, m, v, t, rho, beta1, beta2, eps):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    return theta - rho * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v, t


@pytest.mark.parametrize("hyper", [{}, {"rho": 0.001}, {"rho": 0.1, "beta1": 0.5, "beta2": 0.9, "eps": 1e-6}])
def test_adam_step_accepts_algorithm_1(capsys, hyper):
    assert_accepted(capsys, check.check_adam_step(_adam, **hyper))


def test_adam_step_accepts_t_as_a_numpy_integer(capsys):
    assert_accepted(capsys, check.check_adam_step(lambda *a: (*_adam(*a)[:3], np.int64(_adam(*a)[3]))))


@pytest.mark.parametrize("mistake, words", [
    ("no_bias", ["bias correction is missing"]),
    ("no_bias_m", ["You corrected v only"]),
    ("no_bias_v", ["You corrected m only"]),
    ("t0", ["1 − β^0 = 0"]),
    ("t_kept", ["t after step 1", "Return the new step count"]),
    ("eps_inside", ["outside the square root"]),
    ("swapped", ["β1 and β2 are swapped"]),
    ("sign", ["Adam steps downhill"]),
    ("no_sqrt", ["square root of v̂"]),
    ("efficient", ["faster ordering"]),
])
def test_adam_step_rejects_the_usual_slips(capsys, mistake, words):
    assert_rejected(printed(capsys, check.check_adam_step(check_optim._adam_variant(mistake))), *words)


def test_adam_step_tells_a_returned_m_hat_and_a_wrong_t(capsys):
    def m_hat_returned(theta, g, m, v, t, rho, beta1, beta2, eps):
        theta, m, v, t = _adam(theta, g, m, v, t, rho, beta1, beta2, eps)
        return theta, m / (1 - beta1 ** t), v, t
    assert_rejected(printed(capsys, check.check_adam_step(m_hat_returned)),
                    "m after step 1", "before the bias correction")
    assert_rejected(printed(capsys, check.check_adam_step(lambda *a: (*_adam(*a)[:3], 5))), "t after step 1")


def test_adam_step_tolerance_is_1e_12(capsys):
    def nudged(*args):
        theta, m, v, t = _adam(*args)
        return theta + 1e-9, m, v, t                  # off by 1e-9: rejected
    assert_rejected(printed(capsys, check.check_adam_step(nudged)), "θ(1)")


def test_adam_step_not_answered_and_authors_errors(capsys):
    assert check.check_adam_step(_not_answered) is False
    assert "Not answered yet" in capsys.readouterr().out
    for kwargs, word in [({"rho": -1}, "rho"), ({"beta1": 1.0}, "beta1"), ({"beta2": 1.5}, "beta2"),
                         ({"eps": 0}, "eps")]:
        with pytest.raises(ValueError, match=word):
            check.check_adam_step(_adam, **kwargs)


def test_optimizer_checks_compare_with_nnlib_optim(monkeypatch):
    from nnlib import optim

    class Broken(optim.Momentum):
        def update(self, i, p, g):
            super().update(i, p, 2 * g)
    monkeypatch.setattr(optim, "Momentum", Broken)
    with pytest.raises(RuntimeError, match="disagrees"):
        check.check_momentum_step(_momentum)


@pytest.mark.parametrize("answer", ["momentum", " Momentum ", lambda: "MOMENTUM"])
def test_choice_accepts_the_right_option_in_any_case(capsys, answer):
    assert_accepted(capsys, check.check_choice(answer, ["sgd", "momentum", "adam"], "momentum", explanation="E."))


@pytest.mark.parametrize("answer, words", [
    ("adam", ["Expected: 'momentum'", "Got:      'adam'", "Hint A", "Measured 1, 2, 3."]),
    ("sgd", ["Compare your reasoning", "Measured 1, 2, 3."]),
    ("newton", ["one of 'sgd', 'momentum', 'adam'", "'newton'"]),
    (2, ["the number 2", "in quotes"]),
    (None, ["None"]),
    (_boom, ["ZeroDivisionError"]),
])
def test_choice_rejects_other_answers_kindly(capsys, answer, words):
    result = check.check_choice(answer, ["sgd", "momentum", "adam"], "momentum", explanation="Measured 1, 2, 3.",
                                hints={"adam": "Hint A"})
    assert_rejected(printed(capsys, result), *words)


def test_choice_not_answered_and_authors_errors(capsys):
    assert check.check_choice(_not_answered, ["a", "b"], "a") is False
    assert "Not answered yet" in capsys.readouterr().out
    with pytest.raises(ValueError, match="correct"):
        check.check_choice("a", ["a", "b"], "c")
    with pytest.raises(ValueError, match="options"):
        check.check_choice("a", ["a", "A"], "a")


# ------------------------------------------- a def line that does not fit the call (issue #13)
# Python checks the arguments against the def line before the function's body runs: that TypeError is
# the def line's fault, and the message names the parameters the check calls the function with.

def test_backprop_step_with_a_parameter_missing_names_the_def_line(capsys):
    net, X, t = _data09()

    def backprop_step(net, X, rho):          # t forgotten
        pass
    out = assert_rejected(printed(capsys, check.check_backprop_step(backprop_step, net, X, t, 0.5)),
                          "takes 3 positional arguments but 4 were given", "`def` line",
                          "parameters must be (net, X, t, rho)", "yours are (net, X, rho)",
                          "`def backprop_step(net, X, t, rho):`")
    assert "Fix the line of your code" not in out


def test_an_extra_parameter_or_a_zero_argument_answer_with_a_parameter(capsys):
    net, X, t = _data09()
    result = check.check_backprop_step(lambda net, X, t, rho, extra: None, net, X, t, 0.5)
    out = assert_rejected(printed(capsys, result),
                          "missing 1 required positional argument", "parameters must be (net, X, t, rho)")
    assert "Fix the line of your code" not in out

    def D_two_layers(M):
        return 10
    assert_rejected(printed(capsys, check.check_values(D_two_layers, 10, "D")), "takes no parameters",
                    "`def D_two_layers():`")


def test_a_type_error_inside_the_body_still_points_at_the_body(capsys):
    net, X, t = _data09()

    def backprop_step(net, X, t, rho):
        return len(rho)                      # a TypeError of the body, not of the def line
    out = assert_rejected(printed(capsys, check.check_backprop_step(backprop_step, net, X, t, 0.5)),
                          "has no len()", "Fix the line of your code that raises this error")
    assert "`def` line" not in out

    def helper_called_wrong(net, X, t, rho):
        def helper(a):
            return a
        return helper(1, 2)
    out = assert_rejected(printed(capsys, check.check_backprop_step(helper_called_wrong, net, X, t, 0.5)),
                          "helper() was called with arguments that its `def` line does not take")
    assert "(net, X, t, rho)" not in out


def test_adam_and_momentum_steps_name_their_parameters(capsys):
    out = assert_rejected(printed(capsys, check.check_adam_step(lambda theta, grad, m, v, t, rho, beta1, beta2: None)),
                          "parameters must be (theta, grad, m, v, t, rho, beta1, beta2, eps)")
    assert "Fix the line" not in out
    assert_rejected(printed(capsys, check.check_momentum_step(lambda theta, grad, rho, nu: None)),
                    "parameters must be (theta, grad, Delta_prev, rho, nu)")


def test_a_check_that_wraps_the_answer_still_names_the_def_line(capsys):
    """check_conv_output_size calls the answer through a lambda of nnlib's: the def line is still the culprit."""
    def conv_output_size(H, M, S):           # P forgotten
        return (H - M) // S + 1
    out = assert_rejected(printed(capsys, check.check_conv_output_size(conv_output_size)),
                          "`def` line", "parameters must be (H, M, S, P)", "`def conv_output_size(H, M, S, P):`")
    assert "Fix the line" not in out


# -------------------------------------------- float32 answers and visible differences (issue #13)

def _in_float32(rule, cast_hyperparameters):
    """`rule` computed in float32, as a student might: arrays as float32, hyperparameters as given or as float32."""
    def step(theta, grad, *rest):
        def f32(a):
            if isinstance(a, np.ndarray):
                return a.astype(np.float32)
            return np.float32(a) if cast_hyperparameters and isinstance(a, float) else a
        out = rule(f32(theta), f32(grad), *map(f32, rest))
        return tuple(o.astype(np.float32) if isinstance(o, np.ndarray) else o for o in out)
    return step


@pytest.mark.parametrize("cast", [False, True])
@pytest.mark.parametrize("hyper", [{}, {"rho": 0.001}, {"rho": 0.1, "beta1": 0.5, "beta2": 0.9, "eps": 1e-6}])
def test_adam_step_accepts_a_float32_answer_to_float32_precision(capsys, cast, hyper):
    """Computed in float32 (1 − β2 itself loses 3 digits when β2 is a float32 0.999), Adam is right to float32 precision."""
    assert_accepted(capsys, check.check_adam_step(_in_float32(check_optim._adam_right, cast), **hyper))


@pytest.mark.parametrize("cast", [False, True])
def test_momentum_step_accepts_a_float32_answer(capsys, cast):
    assert_accepted(capsys, check.check_momentum_step(_in_float32(check_optim._momentum_right, cast)))


@pytest.mark.parametrize("cast", [False, True])
@pytest.mark.parametrize("case", range(len(check_optim._ADAM_MISTAKES)))
def test_adam_step_rejects_the_usual_slips_made_in_float32(capsys, cast, case):
    rule, hint = check_optim._ADAM_MISTAKES[case]
    assert_rejected(printed(capsys, check.check_adam_step(_in_float32(rule, cast))), hint[:30])


@pytest.mark.parametrize("case", range(len(check_optim._MOMENTUM_MISTAKES)))
def test_momentum_step_rejects_the_usual_slips_made_in_float32(capsys, case):
    rule, hint = check_optim._MOMENTUM_MISTAKES[case]
    assert_rejected(printed(capsys, check.check_momentum_step(_in_float32(rule, True))), hint[:30])


def _expected_and_got(out):
    lines = out.splitlines()
    return (next(x for x in lines if x.startswith("  Expected:"))[len("  Expected:"):].strip(),
            next(x for x in lines if x.startswith("  Got:"))[len("  Got:"):].strip())


def test_a_float64_answer_off_by_1e_9_shows_the_difference(capsys):
    def nudged(*args):
        theta, m, v, t = _adam(*args)
        return theta + 1e-9, m, v, t
    out = assert_rejected(printed(capsys, check.check_adam_step(nudged)), "θ(1)", "differs by +1e-09")
    expected, got = _expected_and_got(out)
    assert expected.split(" = ")[1] != got.split(" = ")[1].split(" (")[0], out   # the digits differ visibly


def test_float32_rounding_returned_as_float64_is_told(capsys):
    step32 = _in_float32(check_optim._adam_right, True)

    def adam_step(*args):
        theta, m, v, t = step32(*args)
        return theta.astype(float), m.astype(float), v.astype(float), t
    out = assert_rejected(printed(capsys, check.check_adam_step(adam_step)), "float32 precision (about 7 digits) only")
    expected, got = _expected_and_got(out)
    assert expected.split(" = ")[1] != got.split(" = ")[1].split(" (")[0], out


@pytest.mark.parametrize("run", [
    lambda: check.check_values(0.25 + 1e-9, 0.25, "q", rtol=1e-12),
    lambda: check.check_array([[1.0, 2.0 + 3e-6]], [[1.0, 2.0]], name="Θ", rtol=1e-9, atol=0),
    lambda: check.check_array(np.full((5, 5), 2.0 + 3e-6), np.full((5, 5), 2.0), name="Θ", rtol=1e-9, atol=0),
    lambda: check.check_function(lambda M: 1 / 3 + 1e-8, lambda M: 1 / 3, [[1, 2]], name="count_D"),
    lambda: check.check_derivative(lambda z: act.tanh.prime(z) * (1 + 2e-6), act.tanh),
    lambda: check.check_symbolic(z * sp.Float(1 + 1e-8), z, z),
])
def test_no_rejection_prints_the_same_expected_and_got(capsys, run):
    out = assert_rejected(printed(capsys, run()))
    expected, got = _expected_and_got(out)
    assert "differs by" in got and " 1 times" not in out, out
    numbers = [text.split(" (")[0].split(" at ")[0].split(" = ")[-1] for text in (expected, got)]
    assert numbers[0] != numbers[1], out


# ------------------------------------------------------------------------------ the messages' width

def test_messages_wrap_at_80_columns_under_their_labels(capsys, monkeypatch):
    """A student sees every message in lines of at most 80 characters (the book's code column); a long
    Expected/Got/Hint goes on under its label, a long first line two spaces in. (conftest.py unwraps them for
    the other tests.)"""
    monkeypatch.setattr(_feedback, "_WIDTH", 80)
    long = "a phrase that goes on " * 6
    _feedback._wrong(long, "short", long)
    _feedback._correct(long)
    out = capsys.readouterr().out
    lines = out.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= 80, out
    assert lines[0] == "✘ Not quite." and lines[1].startswith("  Expected: a phrase")
    assert lines[2].startswith(" " * 12) and lines[2][12] != " ", out     # under the text of "Expected:"
    assert "  Got:      short" in lines
    assert [line for line in lines if line.startswith("✔ Correct! a phrase")]
    assert " ".join(out.split()).count(" ".join(long.split())) == 3     # nothing lost or reordered
