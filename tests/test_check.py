"""nnlib.check accepts right answers, rejects plausible wrong ones, and never raises on them."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from nnlib import activations as act
from nnlib import check

z = sp.Symbol("z", real=True)
s = sp.Symbol("s", real=True)
G_S = 1 / (1 + sp.exp(-z))
DG_S = sp.diff(G_S, z)


def _not_answered(*args, **kwargs):
    raise NotImplementedError("Your turn")


def _boom(*args, **kwargs):
    return 1 / 0


def assert_rejected(capsys, result, *words):
    """A wrong answer returns False and prints the Expected/Got/Hint message (plus `words`)."""
    out = capsys.readouterr().out
    assert result is False, out
    assert out.startswith("✘ Not quite."), out
    for word in ("Expected:", "Got:", "Hint:", *words):
        assert word in out, f"{word!r} missing from:\n{out}"
    assert "Traceback" not in out
    return out


def assert_accepted(capsys, result):
    out = capsys.readouterr().out
    assert result is True, out
    assert out.startswith("✔ Correct!"), out


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
    assert_rejected(capsys, check.check_symbolic(answer, DG_S, z, name="g'_S(z)"), *words)


@pytest.mark.parametrize("answer, hint", [
    (s * (1 - s) ** 2, "wrong power"),   # wrong power
    (s ** 2 * (1 - s), "wrong power"),
    (s, "missing (1 - s)"),              # missing (1 - g)
    (1 - s ** 2, "tanh"),
])
def test_symbolic_uses_the_hints_for_known_mistakes(capsys, answer, hint):
    hints = {s * (1 - s) ** 2: "wrong power", s ** 2 * (1 - s): "wrong power", 1 - s ** 2: "tanh",
             lambda a: a == s: "missing (1 - s)"}
    out = assert_rejected(capsys, check.check_symbolic(answer, s * (1 - s), s, hints=hints))
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
    assert_rejected(capsys, check.check_symbolic(answer, DG_S, z), *words)


def test_symbolic_exception_from_the_student_becomes_a_message(capsys):
    assert_rejected(capsys, check.check_symbolic(_boom, DG_S, z), "ZeroDivisionError")


def test_symbolic_not_answered(capsys):
    result = check.check_symbolic(_not_answered, DG_S, z, name="g'_S(z)")
    out = capsys.readouterr().out
    assert result is False
    assert out.startswith("✘ Not answered yet: g'_S(z)")


def test_symbolic_reveal_shows_the_expected_expression(capsys):
    out = assert_rejected(capsys, check.check_symbolic(-DG_S, DG_S, z, reveal=True))
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
    assert_rejected(capsys, result, *words)


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
    out = assert_rejected(capsys, check.check_maximum((2, 0.25), act.sigmoid.prime, ("z*", "g'_S(z*)")))
    assert "larger at 1" in out  # halfway towards the maximum, not the maximum itself


def test_maximum_rejects_a_wrong_value(capsys):
    out = assert_rejected(capsys, check.check_maximum((0, 0.5), act.sigmoid.prime, ("z*", "g'_S(z*)"),
                                                      hints={0.5: "that is g_S(0)"}))
    assert "that is g_S(0)" in out


def test_maximum_rejects_a_wrong_kind_of_answer(capsys):
    assert_rejected(capsys, check.check_maximum(([0], 0.25), act.sigmoid.prime, ("z*", "g'_S(z*)")), "[0]")


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
    assert_rejected(capsys, check.check_derivative(student, g), *words)


def test_derivative_hints_for_known_mistakes(capsys):
    hints = {lambda z: 1 / (1 + z) ** 2: "Use |z|"}
    out = assert_rejected(capsys, check.check_derivative(lambda z: 1 / (1 + z) ** 2, act.fast, hints=hints))
    assert "Hint:     Use |z|" in out  # matched even though its values contain inf


def test_derivative_parameters(capsys):
    ignores = lambda z, alpha=1.0: np.where(z >= 0, 1.0, np.exp(np.minimum(z, 0)))  # noqa: E731
    assert_rejected(capsys, check.check_derivative(ignores, act.elu, params={"alpha": 0.5}), "default alpha")
    no_alpha = lambda z: np.where(z >= 0, 1.0, np.exp(np.minimum(z, 0)))  # noqa: E731
    assert_rejected(capsys, check.check_derivative(no_alpha, act.elu, params={"alpha": 0.5}), "alpha")


def test_derivative_not_answered(capsys):
    assert check.check_derivative(_not_answered, act.tanh) is False
    assert capsys.readouterr().out.startswith("✘ Not answered yet: g'_T")


def test_derivative_does_not_let_the_students_warnings_escape(capsys):
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check.check_derivative(lambda z: (act.fast(z) / z) ** 2, act.fast)
    assert_rejected(capsys, result, "numpy warned")


def test_derivative_checks_the_authors_arguments():
    with pytest.raises(ValueError, match="elementwise"):
        check.check_derivative(tanh_prime, act.softmax)
    with pytest.raises(ValueError, match="points"):
        check.check_derivative(tanh_prime, act.tanh, points=[[0.0, 1.0]])
    with pytest.raises(TypeError, match="g must be"):
        check.check_derivative(tanh_prime, "tanh")


def test_derivative_without_g_prime_uses_central_differences(capsys):
    assert_accepted(capsys, check.check_derivative(lambda z: np.cos(z), np.sin, name="sin'"))
    assert_rejected(capsys, check.check_derivative(lambda z: -np.cos(z), np.sin, name="sin'"), "sign")


# ------------------------------------------------------------------------------- summary

def test_summary_counts_the_latest_result_of_each_check(capsys, monkeypatch):
    monkeypatch.setattr(check, "_RESULTS", {})
    assert check.summary() is False
    assert "No check has run yet" in capsys.readouterr().out
    check.check_derivative(_not_answered, act.tanh)
    check.check_values(1.0, 1.0, "x")
    assert check.summary() is False
    assert "1 of 2 checks correct so far. Still to do: g'_T." in capsys.readouterr().out
    check.check_derivative(tanh_prime, act.tanh)
    assert check.summary() is True
    assert check.results() == {"g'_T": True, "x": True}
