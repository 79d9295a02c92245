"""Tests of nnlib.activations: derivatives by central differences, numerics, conventions, errors."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import activations as act
from nnlib.gradcheck import numerical_derivative, numerical_jacobian

ELEMENTWISE = [g for g in act.ACTIVATIONS.values() if g.elementwise]
KINKED = {"relu", "step", "leaky_relu", "elu"}  # not differentiable at 0 (elu: only for alpha != 1)
# (activation, params) pairs: defaults plus non-default parameters
CASES = [(g, {}) for g in ELEMENTWISE] + [
    (act.leaky_relu, {"slope": 0.2}), (act.leaky_relu, {"slope": -0.5}),
    (act.elu, {"alpha": 0.5}), (act.elu, {"alpha": 2.0}),
]
IDS = [f"{g.name}{params or ''}" for g, params in CASES]
EXTREMES = np.array([-1e3, -700.0, -1e-300, 0.0, 1e-300, 700.0, 1e3])


def away_from_kink(g, z, margin=1e-3):
    """Move points within `margin` of 0 out of it, for activations with a kink at 0."""
    if g.name in KINKED:
        return np.where(np.abs(z) < margin, np.where(z < 0, -margin, margin), z)
    return z


# ------------------------------------------------------------------ API and registry

def test_registry_in_slide_order():
    assert list(act.ACTIVATIONS) == [
        "linear", "relu", "step", "sigmoid", "tanh", "fast", "softmax", "leaky_relu", "elu"]
    symbols = [g.symbol for g in act.ACTIVATIONS.values()]
    assert symbols[:7] == ["g_L", "g_U", "g_E", "g_S", "g_T", "g_F", "g_M"]
    for g in act.ACTIVATIONS.values():
        assert isinstance(g, act.Activation)
        assert g.latex and g.prime_latex and g.symbol.startswith("g_")
        assert g.name in repr(g)
        assert g.__doc__  # the function's docstring, with the slide's formula


def test_get_by_name_case_insensitive_and_passthrough():
    assert act.get("sigmoid") is act.sigmoid
    assert act.get("SigMoid") is act.sigmoid
    assert act.get("leaky-relu") is act.leaky_relu
    assert act.get(act.tanh) is act.tanh


def test_get_unknown_name_lists_known_names():
    with pytest.raises(ValueError, match=r"name must be one of linear, relu.*elu; got 'swish'"):
        act.get("swish")
    with pytest.raises(TypeError, match="name must be a str"):
        act.get(3)


# ----------------------------------------------------------- derivatives vs differences

@pytest.mark.parametrize(("g", "params"), CASES, ids=IDS)
def test_prime_matches_central_differences(g, params):
    rng = np.random.default_rng(0)
    z = away_from_kink(g, np.concatenate([rng.normal(0, 3, 200), rng.uniform(-50, 50, 200)]))
    numeric = numerical_derivative(lambda t: g(t, **params), z)
    np.testing.assert_allclose(g.prime(z, **params), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("g", "params"), CASES, ids=IDS)
@settings(max_examples=60, deadline=None)
@given(x=st.floats(-50, 50, allow_nan=False))
def test_prime_matches_central_differences_hypothesis(g, params, x):
    if g.name in KINKED and abs(x) < 1e-3:
        x = 1e-3 if x >= 0 else -1e-3
    numeric = numerical_derivative(lambda t: g(t, **params), x)
    np.testing.assert_allclose(g.prime(x, **params), numeric, rtol=1e-6, atol=1e-8)


def test_values_match_the_slides_formulas():
    z = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(act.tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(act.fast(z), z / (1 + np.abs(z)))
    np.testing.assert_allclose(act.relu(z), np.maximum(0, z))
    np.testing.assert_allclose(act.leaky_relu(z), np.maximum(0.1 * z, z))
    np.testing.assert_allclose(act.elu(z, alpha=0.7), np.where(z >= 0, z, 0.7 * (np.exp(z) - 1)))
    np.testing.assert_array_equal(act.step(z), np.sign(z))
    np.testing.assert_array_equal(act.linear(z), z)
    s = act.sigmoid(z)
    # s (1 - s) loses relative precision for large z (1 - s cancels); nnlib's form does not
    np.testing.assert_allclose(act.sigmoid.prime(z), s * (1 - s), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(act.tanh.prime(z), 1 - np.tanh(z) ** 2, atol=1e-15)
    nz = z[z != 0]
    np.testing.assert_allclose(act.fast.prime(nz), (act.fast(nz) / nz) ** 2)  # slide's 2nd form, z != 0


def test_sigmoid_tails_are_accurate():
    # exp(-700) is representable: the stable form keeps full relative precision there
    np.testing.assert_allclose(act.sigmoid(-700.0), np.exp(-700.0), rtol=1e-12)
    np.testing.assert_allclose(act.sigmoid.prime(700.0), np.exp(-700.0), rtol=1e-12)
    np.testing.assert_allclose(act.sigmoid(np.array([-3.0, 3.0])).sum(), 1.0)


def test_tanh_is_shifted_sigmoid():
    z = np.linspace(-10, 10, 41)
    np.testing.assert_allclose(act.tanh(z), 2 * act.sigmoid(2 * z) - 1, atol=1e-15)


def test_elu_is_continuous_and_prime_continuous_only_for_alpha_one():
    tiny = 1e-9
    for alpha in (0.5, 1.0, 2.0):
        assert abs(act.elu(-tiny, alpha=alpha) - act.elu(tiny, alpha=alpha)) < 1e-8
        jump = act.elu.prime(tiny, alpha=alpha) - act.elu.prime(-tiny, alpha=alpha)
        assert (abs(jump) < 1e-8) == (alpha == 1.0)


# ------------------------------------------------------------------------------ softmax

def test_softmax_jacobian_matches_numerical_jacobian():
    z = np.random.default_rng(1).normal(0, 2, 5)
    J = act.softmax.prime(z)
    assert J.shape == (5, 5)
    np.testing.assert_allclose(J, numerical_jacobian(act.softmax, z.copy()), atol=1e-9)
    s = act.softmax(z)
    np.testing.assert_allclose(J, np.diag(s) - np.outer(s, s), atol=1e-15)
    np.testing.assert_allclose(np.diag(J), s * (1 - s))  # slide 8's formula: the diagonal only
    assert np.all(J[~np.eye(5, dtype=bool)] < 0)  # the off-diagonal terms the slide leaves out


def test_softmax_batched_jacobian_and_jvp():
    rng = np.random.default_rng(2)
    z, v = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    J = act.softmax.prime(z)
    assert J.shape == (4, 6, 6)
    for n in range(4):
        np.testing.assert_allclose(J[n], act.softmax.prime(z[n]))
    np.testing.assert_allclose(act.softmax.jvp(z, v), np.einsum("nij,nj->ni", J, v), atol=1e-15)
    np.testing.assert_allclose(J, np.swapaxes(J, -1, -2))  # symmetric: jvp is also the vjp


def test_softmax_axis():
    z = np.random.default_rng(3).normal(size=(3, 5))
    np.testing.assert_allclose(act.softmax(z, axis=0), act.softmax(z.T).T)
    np.testing.assert_allclose(act.softmax.prime(z, axis=0), act.softmax.prime(z.T))
    v = np.ones_like(z)
    np.testing.assert_allclose(act.softmax.jvp(z, v, axis=0), 0, atol=1e-15)  # J 1 = 0
    with pytest.raises(ValueError, match=r"axis must be an integer in -2\.\.1 \(an axis of z, whose shape is \(3, 5\)\); got 2"):
        act.softmax(z, axis=2)
    with pytest.raises(ValueError, match="axis must be an integer"):
        act.softmax(z, axis=True)


@settings(max_examples=50, deadline=None)
@given(
    rows=st.lists(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=3), min_size=1, max_size=4),
    c=st.floats(-100, 100, allow_nan=False),
)
def test_softmax_rows_sum_to_one_and_shift_invariant(rows, c):
    z = np.array(rows)
    s = act.softmax(z)
    assert np.all(np.isfinite(s)) and np.all(s >= 0)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(act.softmax(z + c), s, atol=1e-12)


def test_softmax_needs_a_vector():
    with pytest.raises(ValueError, match="z must have at least 1 dimension"):
        act.softmax(1.0)
    with pytest.raises(ValueError, match="z must have n >= 1 entries"):
        act.softmax(np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"v must have the shape of z \(3,\); got shape \(2,\)"):
        act.softmax.jvp([1.0, 2.0, 3.0], [1.0, 2.0])


def test_elementwise_jvp_is_prime_times_v():
    z, v = np.array([-2.0, 0.5, 3.0]), np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(act.sigmoid.jvp(z, v), act.sigmoid.prime(z) * v)
    with pytest.raises(ValueError, match="v must have the shape of z"):
        act.sigmoid.jvp(z, v[:2])


# --------------------------------------------------------------------------- numerics

@pytest.mark.parametrize("g", list(act.ACTIVATIONS.values()), ids=list(act.ACTIVATIONS))
def test_extremes_no_warnings_finite(g):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, d = g(EXTREMES), g.prime(EXTREMES)
        out32, d32 = g(EXTREMES.astype(np.float32)), g.prime(EXTREMES.astype(np.float32))
    for a in (out, d, out32, d32):
        assert np.all(np.isfinite(a))


@pytest.mark.parametrize("g", list(act.ACTIVATIONS.values()), ids=list(act.ACTIVATIONS))
def test_dtypes(g):
    z32 = np.array([-1.5, 0.0, 2.0], dtype=np.float32)
    assert g(z32).dtype == np.float32 and g.prime(z32).dtype == np.float32
    assert g.jvp(z32, z32).dtype == np.float32
    assert g([-1, 0, 2]).dtype == np.float64          # int -> float64
    assert g([True, False]).dtype == np.float64      # bool -> float64
    if g.elementwise:
        out = g(0.5)
        assert isinstance(out, np.ndarray) and out.shape == () and out.dtype == np.float64
        assert isinstance(g.prime(0.5), np.ndarray)


@pytest.mark.parametrize("g", list(act.ACTIVATIONS.values()), ids=list(act.ACTIVATIONS))
def test_input_not_mutated_nor_aliased(g):
    z = np.array([-1.0, 0.5, 2.0])
    before = z.copy()
    out = g(z)
    out[...] = 42.0
    g.prime(z)
    np.testing.assert_array_equal(z, before)


def test_vectorized_shapes_preserved():
    z = np.random.default_rng(4).normal(size=(3, 4, 5))
    for g in ELEMENTWISE:
        assert g(z).shape == z.shape and g.prime(z).shape == z.shape


# ------------------------------------------------------------------------ conventions

def test_conventions_at_zero():
    assert act.step(0.0) == 0.0                    # sgn(0) = 0
    np.testing.assert_array_equal(act.step.prime([-1.0, 0.0, 1.0]), 0.0)
    assert act.relu.prime(0.0) == 0.0
    assert act.leaky_relu.prime(0.0) == pytest.approx(0.1)
    assert act.leaky_relu.prime(0.0, slope=0.3) == pytest.approx(0.3)
    assert act.elu.prime(0.0) == 1.0
    assert act.elu.prime(0.0, alpha=0.5) == 1.0
    assert act.fast.prime(0.0) == 1.0              # 1/(1+|z|)^2, defined at 0
    assert act.sigmoid(0.0) == 0.5 and act.sigmoid.prime(0.0) == 0.25
    assert act.tanh.prime(0.0) == 1.0


def test_parameters():
    z = np.array([-2.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu(z, slope=0.2), [-0.4, 3.0])
    np.testing.assert_allclose(act.leaky_relu.prime(z, slope=0.2), [0.2, 1.0])
    np.testing.assert_allclose(act.elu(z, alpha=0.5), [0.5 * np.expm1(-2.0), 3.0])
    np.testing.assert_allclose(act.elu.prime(z, alpha=0.5), [0.5 * np.exp(-2.0), 1.0])
    assert act.leaky_relu.params == {"slope": 0.1} and act.elu.params == {"alpha": 1.0}


# ---------------------------------------------------------------------------- errors

@pytest.mark.parametrize("g", list(act.ACTIVATIONS.values()), ids=list(act.ACTIVATIONS))
@pytest.mark.parametrize(("bad", "error", "message"), [
    (np.array([1.0, "a"], dtype=object), TypeError, "z must be a real numeric array; got dtype object"),
    ("abc", TypeError, "z must be a real numeric array; got dtype <U3"),
    (["1", "2"], TypeError, "z must be a real numeric array"),
    (np.array([1 + 2j]), TypeError, "z must be a real numeric array; got dtype complex128"),
    (None, TypeError, "z must be a real numeric array; got dtype object"),
    ([[1.0, 2.0], [3.0]], TypeError, "z must be a real numeric array; got a ragged list"),
    ([1.0, np.nan], ValueError, "z must not contain NaN"),
    ([1.0, np.inf], ValueError, "z must be finite"),
], ids=["object", "str", "str-list", "complex", "None", "ragged", "nan", "inf"])
def test_bad_z(g, bad, error, message):
    with pytest.raises(error, match=message):
        g(bad)
    with pytest.raises(error, match=message):
        g.prime(bad)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: act.leaky_relu(1.0, slope=np.inf), ValueError, "slope must be finite; got inf"),
    (lambda: act.leaky_relu.prime(1.0, slope=np.nan), ValueError, "slope must be finite; got nan"),
    (lambda: act.leaky_relu(1.0, slope="0.1"), TypeError, "slope must be a real number; got str"),
    (lambda: act.elu(1.0, alpha=0.0), ValueError, r"alpha must be > 0; got 0.0"),
    (lambda: act.elu.prime(1.0, alpha=-1), ValueError, r"alpha must be > 0; got -1.0"),
    (lambda: act.elu(1.0, alpha=None), TypeError, "alpha must be a real number"),
    (lambda: act.sigmoid(1.0, slope=0.1), TypeError, "slope"),
])
def test_bad_parameters(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_import_nnlib_is_light():
    """The library (the foundation, the slides' perceptron, the layers, the data) needs numpy only."""
    code = ("import sys, nnlib, nnlib.activations, nnlib.gradcheck, nnlib.optim, nnlib.init, nnlib.loop, nnlib.mlp, "
            "nnlib.mlp.lbfgs, nnlib.mlp.constructions, nnlib.layers, nnlib.data.datasets, nnlib.data.surfaces, "
            "nnlib.data.sequences, nnlib.data.plants, nnlib.data.digits, nnlib.data.prices, nnlib.data.augment; "
            "heavy = [m for m in ('sympy', 'matplotlib', 'ipywidgets', 'scipy', 'IPython', 'sklearn') "
            "if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import nnlib imported {out.stdout.strip()}"
