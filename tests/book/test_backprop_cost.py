"""BackProp's cost against finite differences, in matrix products (nnlib.book.flops): the counts the
why-backprop-is-fast page asserts, on other sizes."""

import numpy as np
import pytest

from nnlib import gradcheck
from nnlib.book import flops
from nnlib.mlp import MLP, backprop


@pytest.mark.parametrize("M", [[3, 2], [3, 5, 2], [2, 4, 3, 2, 1]])
def test_backprop_is_3L_minus_1_products_and_finite_differences_2D_passes(M):
    rng = np.random.default_rng(0)
    net = MLP(M=M, g="tanh", seed=1)
    X, T = rng.normal(size=(6, M[0])), rng.normal(size=(6, M[-1]))
    with flops.count(net) as fwd:
        net.forward(X)
    with flops.count(net) as bp:
        backprop.gradient(net, X, T)
    with flops.count(net) as fd:
        for theta_l in net.theta[1:]:
            gradcheck.numerical_gradient(lambda _: backprop.cost(net, X, T), theta_l)
    L = len(M) - 1
    assert fwd.products == L and bp.products == 3 * L - 1
    assert fd.products == 2 * net.D * L and fd.flops == 2 * net.D * fwd.flops
    assert 1 <= bp.flops / fwd.flops <= 3
