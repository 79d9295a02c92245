"""nnlib.init: one set of initialisation schemes, the same numbers in every network and layer that uses it."""

import numpy as np
import pytest

from nnlib import init
from nnlib.layers import Conv2D, Dense
from nnlib.layers.recurrent import Elman
from nnlib.mlp import MLP


@pytest.mark.parametrize("scheme", init.INIT_SCHEMES)
def test_dense_and_mlp_draw_the_same_theta(scheme):
    net = MLP(M=[4, 3], init=scheme, seed=7)
    np.testing.assert_array_equal(Dense(4, 3, init=scheme, seed=7).params["theta"], net.theta[1])


@pytest.mark.parametrize("alias, name", sorted(init.ALIASES.items()))
def test_aliases_are_the_same_scheme(alias, name):
    np.testing.assert_array_equal(init.theta(alias, 5, 4, init.rng(0)), init.theta(name, 5, 4, init.rng(0)))


def test_only_uniform_draws_the_thresholds():
    for scheme in init.INIT_SCHEMES:
        theta = init.theta(scheme, 50, 20, init.rng(1))
        assert theta.shape == (50, 21)
        assert (theta[:, 0] != 0).all() == (scheme == "uniform")


@pytest.mark.parametrize("scheme, var", [("glorot_uniform", 2 / 900), ("glorot_normal", 2 / 900),
                                         ("he_normal", 2 / 500), ("normal", 0.01), ("uniform", 1 / 12)])
def test_conv_fan_in_and_out(scheme, var):
    # C_in M N = 500 inputs, C_out M N = 400 outputs: the variance of the formula within 3%
    W = Conv2D(20, 16, 5, init=scheme, seed=0).params["W"]
    assert abs(W.var() / var - 1) < 0.03


def test_elman_output_layer_is_glorot():
    theta = Elman(3, 40, 60, seed=0).params["theta"]
    assert np.all(theta[:, 0] == 0) and np.abs(theta).max() <= np.sqrt(6 / 100)


def test_float32_gets_the_float64_values_rounded():
    a = init.weights("he", (3, 4), 4, 3, seed=2, dtype=np.float32)
    np.testing.assert_array_equal(a, init.weights("he_normal", (3, 4), 4, 3, seed=2).astype(np.float32))


@pytest.mark.parametrize("call, error, message", [
    (lambda: init.theta("xavier", 2, 2, init.rng(0)), ValueError, "init must be one of glorot_uniform.*'xavier'"),
    (lambda: init.rng(-1), TypeError, "seed must be None, a non-negative int or a numpy Generator; got -1"),
    (lambda: init.rng(True), TypeError, "seed must be None"),
    (lambda: init.weights("normal", (2,), 1, 1, scale=0), ValueError, "scale must be > 0"),
    (lambda: init.weights(lambda *a: 0, (2,), 1, 1), TypeError, "init must be a scheme name"),
])
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
