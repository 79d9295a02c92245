"""Tests of nnlib.book.symbolic: the slides' derivative claims, checked as SymPy identities."""

import numpy as np
import pytest

sp = pytest.importorskip("sympy")
sym = pytest.importorskip("nnlib.book.symbolic")


@pytest.fixture(scope="module")
def records():
    return sym.check_slide_derivatives()


def by_name(records, name):
    return [r for r in records if r.name == name]


@pytest.mark.parametrize("name", ["linear", "relu", "step", "sigmoid", "leaky_relu", "elu"])
def test_slide_derivative_holds(records, name):
    (record,) = by_name(records, name)
    assert record.holds, record
    assert isinstance(record.claimed, sp.Basic) and isinstance(record.derived, sp.Basic)


def test_records_in_slide_order(records):
    names = [r.name for r in records]
    assert names == ["linear", "relu", "step", "sigmoid", "tanh", "tanh", "fast", "fast",
                     "softmax", "softmax", "leaky_relu", "elu"]
    assert all(isinstance(r.holds, bool) for r in records)


def test_tanh_slide_formula_holds_exercise_claim_fails(records):
    formula, exercise = by_name(records, "tanh")
    assert formula.holds
    assert not exercise.holds and "z = 0" in exercise.note


def test_fast_sigmoid_both_forms(records):
    first, second = by_name(records, "fast")
    assert first.holds and first.domain == "all real z"
    assert second.holds and second.domain == "z != 0"
    z = sym.z
    assert second.claimed.subs(z, 0) is sp.nan          # (g_F(z)/z)^2 is 0/0 at z = 0
    assert first.claimed.subs(z, 0) == 1 == sp.diff(sym.g_F(z), z).subs(z, 0)


def test_softmax_slide_formula_is_the_diagonal_only(records):
    diagonal, off = by_name(records, "softmax")
    assert diagonal.holds
    assert not off.holds


def test_softmax_jacobian():
    check = sym.check_softmax_jacobian(3)
    assert check.diagonal_matches_slide
    assert check.off_diagonal_matches
    assert check.off_diagonal_nonzero
    J, zs = sym.softmax_jacobian(2)
    assert J.shape == (2, 2) and len(zs) == 2
    assert sp.simplify(J[0, 1].subs({zs[0]: 0, zs[1]: 0}) + sp.Rational(1, 4)) == 0  # -1/n^2
    with pytest.raises(ValueError, match=r"n must be an integer >= 1 \(the number of softmax inputs z_1\.\.z_n\); got 0"):
        sym.softmax_jacobian(0)


def test_tanh_exercise():
    result = sym.check_tanh_exercise()
    assert not result.claim_holds
    assert result.counterexample == 0 and result.lhs_at == 1 and result.rhs_at == 0
    assert result.identity_holds


def test_sigmoid_proof_steps_each_equal_previous():
    steps = sym.sigmoid_derivative_proof_steps()
    assert len(steps) >= 5
    assert all(step.equal_to_previous for step in steps)
    assert sp.simplify(steps[0].expr.doit() - steps[-1].expr) == 0
    assert all(step.latex and step.reason for step in steps)


def test_check_chain_catches_a_wrong_step():
    z = sym.z
    steps = sym.check_chain([
        (sp.Derivative(sp.exp(2 * z), z), r"\frac{d}{dz} e^{2z}", "start"),
        (sp.exp(2 * z), r"e^{2z}", "forgot the chain rule's factor 2"),
    ])
    assert steps[0].equal_to_previous and not steps[1].equal_to_previous


@pytest.mark.parametrize("name", ["linear", "relu", "step", "sigmoid", "tanh", "fast", "leaky_relu", "elu"])
def test_numeric_prime_matches_symbolic(name):
    points = np.array([-30.0, -3.0, -0.5, -1e-3, 1e-3, 0.2, 1.0, 4.0, 30.0])
    assert sym.numeric_matches_symbolic(name, points)


def test_numeric_matches_symbolic_with_parameters_and_softmax():
    points = np.linspace(-4, 4, 8)
    assert sym.numeric_matches_symbolic("elu", points, alpha=0.5)
    assert sym.numeric_matches_symbolic("leaky_relu", points, slope=0.3)
    assert sym.numeric_matches_symbolic("fast", [0.0])  # smooth at 0
    assert sym.numeric_matches_symbolic("softmax", np.random.default_rng(0).normal(size=(3, 4)))
    with pytest.raises(ValueError, match="points must avoid z = 0 for relu"):
        sym.numeric_matches_symbolic("relu", [0.0, 1.0])


def test_elu_derivative_continuous_at_zero_only_for_alpha_one():
    z, a = sym.z, sym.alpha
    left = sp.limit(sp.diff(sym.g_ELU(sym.z_neg), sym.z_neg).subs(sym.z_neg, z), z, 0, "-")
    assert sp.solve(sp.Eq(left, 1), a) == [1]
    assert sp.limit(sym.g_ELU(z), z, 0, "-") == sp.limit(sym.g_ELU(z), z, 0, "+") == 0  # ELU itself is continuous
