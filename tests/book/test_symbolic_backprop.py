"""Tests of the BackProp derivations in nnlib.book.symbolic: the slides' delta formulas against sympy.diff."""

import pytest

sp = pytest.importorskip("sympy")
sym = pytest.importorskip("nnlib.book.symbolic")


def assert_all_hold(records, n_weights):
    assert len(records) == n_weights
    bad = [(r.weight, r.how) for r in records if not r.holds]
    assert not bad, bad
    assert all(r.how.startswith("exact") for r in records)


def test_two_layers_derivation_I_II():
    """Slides 'Derivación del algoritmo BackProp (I)/(II)': every weight of a 2-2-2 net."""
    records = sym.check_backprop_equations((2, 2, 2), "squared_error")
    assert_all_hold(records, 2 * 3 + 2 * 3)
    assert [r.weight for r in records[:3]] == ["theta^1_10", "theta^1_11", "theta^1_12"]
    assert {r.l for r in records} == {1, 2} and {r.j for r in records} == {0, 1, 2}


def test_three_layers():
    """'Ecuaciones BackProp para perceptrones de tres capas'."""
    assert_all_hold(sym.check_backprop_equations((2, 2, 2, 2)), 3 * 2 * 3)


def test_general_recursion_L4():
    assert_all_hold(sym.check_backprop_equations((1, 2, 1, 2, 1)), 2 * 2 + 1 * 3 + 2 * 2 + 1 * 3)


@pytest.mark.parametrize("M", [(2, 2, 2), (2, 1, 2, 2)])
def test_cross_entropy_softmax(M):
    assert_all_hold(sym.check_backprop_equations(M, "cross_entropy"),
                    sum(M[l] * (M[l - 1] + 1) for l in range(1, len(M))))


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_wrong_formula_is_reported(loss):
    """δ without g' (a plausible mistake) fails for the hidden weights; the output layer still holds."""
    records = sym.check_backprop_equations((2, 2, 2), loss, variant="no_g_prime")
    hidden = [r for r in records if r.l == 1]
    output = [r for r in records if r.l == 2]
    assert hidden and not any(r.holds for r in hidden)
    assert all("false" in r.how for r in hidden)
    assert all(r.holds for r in output)


def test_slide_deltas_are_the_slides_formulas():
    net = sym.symbolic_net((2, 2, 2))
    delta = sym.slide_deltas(net)
    t, s, phi, theta = net.t, net.s, net.phi, net.theta
    assert delta[2][1] == (t[1] - s[2][1]) * sym.g_prime(phi[2][1])
    expected = sym.g_prime(phi[1][2]) * (delta[2][1] * theta[2][1][2] + delta[2][2] * theta[2][2][2])
    assert sp.expand(delta[1][2] - expected) == 0
    with pytest.raises(ValueError, match="variant must be"):
        sym.slide_deltas(net, "other")


def test_derived_is_sympy_diff_and_compact_names():
    net = sym.symbolic_net((2, 2, 2))
    records = sym.check_backprop_equations((2, 2, 2))
    r = next(r for r in records if r.weight == "theta^2_12")
    w = net.theta[2][1][2]
    assert r.derived == sp.diff(net.q, w)
    s12, s21, t1, phi21 = sp.symbols("s^1_2 s^2_1 t_1 phi^2_1", real=True)
    assert sp.expand(sym.compact(r.derived, net) - (-(t1 - s21) * sym.g_prime_display(phi21) * s12)) == 0


def test_output_delta_cross_entropy_needs_sum_t_equal_1():
    check = sym.derive_output_delta("cross_entropy", C=3)
    assert check.output == "softmax" and check.assumption == "sum_i t_i = 1"
    assert check.holds                          # δ_i = t_i − s_i when Σ t = 1
    assert not check.holds_without_assumption   # ... and not otherwise
    assert check.general_holds                  # δ_i = t_i − s_i Σ_j t_j always
    # at φ = 0 and t = (1, 1, 1): δ_1 = 1 − 3·(1/3) = 0, the slide's formula gives 1 − 1/3
    at = {**{p: 0 for p in check.phi}, **{ti: 1 for ti in check.t}}
    assert sp.simplify(check.derived[0].subs(at)) == 0
    assert sp.simplify(check.slide[0].subs(at)) == sp.Rational(2, 3)


def test_output_delta_squared_error():
    generic = sym.derive_output_delta("squared_error", C=2)
    assert generic.holds and generic.holds_without_assumption and generic.assumption is None
    soft = sym.derive_output_delta("squared_error", C=3, output="softmax")
    assert not soft.holds          # slide 8's elementwise g'_M is not enough
    assert soft.general_holds      # the Jacobian form is
    with pytest.raises(ValueError, match="cross_entropy needs 'softmax'"):
        sym.derive_output_delta("cross_entropy", output="g")
    with pytest.raises(ValueError, match="loss must be"):
        sym.derive_output_delta("hinge")


def test_illustrated_updates_5_3_3():
    up13, up34 = sym.illustrated_updates()
    assert up13.weight == "theta^2_13" and up34.weight == "theta^1_34"
    assert up13.holds and up34.holds
    assert r"\Delta\theta^2_{13}" in up13.latex


def test_bad_sizes():
    with pytest.raises(ValueError, match=r"M\[1\] must be an integer >= 1 \(the size M_1 of layer 1\); got 0"):
        sym.check_backprop_equations((2, 0, 1))
    with pytest.raises(ValueError, match="M must list at least 2"):
        sym.symbolic_net((2,))
