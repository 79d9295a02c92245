"""Tests of nnlib.book.gates: the gates' backward rules against central differences."""

import numpy as np
import pytest

from nnlib.book import gates
from nnlib.gradcheck import numerical_gradient

NODES = [("a", "add", "x", "y"), ("m", "max", "z", "w"), ("f", "mul", "a", "m")]


def _f(v):
    values = gates.forward(dict(zip("xyzw", v)), NODES)
    return values["f"]


@pytest.mark.parametrize("seed", range(5))
def test_backward_rules_match_central_differences(seed):
    v = np.random.default_rng(seed).normal(size=4)
    v[2] += 0.1 * np.sign(v[2] - v[3])           # keep max away from its tie
    grads = gates.backward(dict(zip("xyzw", v)), NODES)
    numeric = numerical_gradient(_f, v.copy())
    np.testing.assert_allclose([grads[k] for k in "xyzw"], numeric, atol=1e-8)


def test_worked_example_by_hand():
    grads = gates.backward({"x": 2, "y": -3, "z": 4, "w": 1}, NODES)
    # f = (x + y) max(z, w) = -1 * 4; add distributes 4, mul swaps, max routes -1 to z
    assert (grads["x"], grads["y"], grads["z"], grads["w"]) == (4, 4, -1, 0)
    assert (grads["a"], grads["m"]) == (4, -1)


def test_a_value_used_twice_adds_its_gradients():
    # f = x * x: mul swaps twice, 2x
    grads = gates.backward({"x": 3.0, "one": 1.0}, [("f", "mul", "x", "x")])
    assert grads["x"] == 6.0


def test_fitting_products():
    assert gates.fitting_products({"delta": (5, 3), "S": (5, 4)}, (3, 4)) == ["delta^T @ S"]
    assert gates.fitting_products({"delta": (5, 3), "Theta": (3, 2)}, (5, 2)) == ["delta @ Theta"]
    assert gates.fitting_products({"A": (2, 3), "B": (4, 5)}, (2, 5)) == []


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="op must be one of"):
        gates.forward({"x": 1.0}, [("f", "pow", "x", "x")])
    with pytest.raises(ValueError, match="reads 'q', which is neither an input"):
        gates.forward({"x": 1.0}, [("f", "add", "x", "q")])
    with pytest.raises(ValueError, match="inputs must be a non-empty dict"):
        gates.forward({}, NODES)
    with pytest.raises(ValueError, match=r"arrays\['A'\] must be a 2-d shape"):
        gates.fitting_products({"A": (2,), "B": (2, 2)}, (2, 2))


def test_figure_draws_every_wire():
    import matplotlib
    matplotlib.use("Agg")
    fig = gates.graph_figure({"x": 2, "y": -3, "z": 4, "w": 1}, NODES)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "-4" in texts and "-1" in texts
    import matplotlib.pyplot as plt
    plt.close(fig)
