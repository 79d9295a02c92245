"""MLP and Sequential are one algorithm: Sequential.from_mlp(net) gives the same outputs, losses and gradients.

The one conversion (written in Sequential.from_mlp and on the algorithm page of chapter 3): the MLP speaks
δ = −∂q/∂φ and backprop.gradient returns ∂q_S/∂θ^l; Sequential.gradient starts its backward pass from
∂q_S/∂y = −δ^L / N, and its Dense layer 2l − 2 then holds the same ∂q_S/∂θ^l in grads["theta"].
"""

import numpy as np
import pytest

from nnlib import activations, optim
from nnlib.layers import Act, Dense, Sequential
from nnlib.mlp import MLP, backprop, train

RNG = np.random.default_rng(0)
X = RNG.normal(size=(9, 3))
T = RNG.random((9, 2))
LABELS = RNG.integers(0, 2, size=9)
HIDDEN = [name for name in activations.ACTIVATIONS if activations.get(name).elementwise]


@pytest.mark.parametrize("g", HIDDEN)
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_mlp_and_sequential_agree(g, loss):
    out = "softmax" if loss == "cross_entropy" else "sigmoid"
    t = LABELS if loss == "cross_entropy" else T
    net = MLP(M=[3, 5, 4, 2], g=[g, g, out], seed=1)
    seq = Sequential.from_mlp(net, loss)
    if loss == "squared_error":
        np.testing.assert_allclose(seq.forward(X), net(X), rtol=1e-12, atol=1e-14)
    else:                                                   # the loss applies the softmax to the logits
        np.testing.assert_allclose(activations.softmax(seq.forward(X)), net(X), rtol=1e-12, atol=1e-14)
    q_mlp, grad = backprop.gradient(net, X + 0.01, t, loss=loss)   # away from ReLU's kink at exactly 0
    q_seq = seq.gradient(X + 0.01, t, loss)
    assert q_seq == pytest.approx(q_mlp, rel=1e-12)
    for l in range(1, net.L + 1):                           # ∂q_S/∂θ^l: the same array in both worlds
        np.testing.assert_allclose(seq.layers[2 * l - 2].grads["theta"], grad[l], rtol=1e-10, atol=1e-14)


def test_the_increment_is_minus_rho_times_the_gradient():
    net = MLP(M=[3, 4, 2], g=["tanh", "sigmoid"], seed=2)
    seq = Sequential.from_mlp(net)
    _, Delta = backprop.increments(net, X, T, 0.3)          # Δθ^l = ρ (1/N) Σ δ^l s^{l−1} = −ρ ∂q_S/∂θ^l
    seq.gradient(X, T, "squared_error")
    for l in (1, 2):
        np.testing.assert_allclose(Delta[l], -0.3 * seq.layers[2 * l - 2].grads["theta"], rtol=1e-10, atol=1e-15)


def test_one_epoch_of_training_is_the_same():
    net = MLP(M=[3, 4, 2], g=["tanh", "softmax"], seed=3)
    seq = Sequential.from_mlp(net, "cross_entropy")
    train.minibatch(net, X, LABELS, rho=0.2, B=4, loss="cross_entropy", max_epochs=2, seed=5)
    seq.fit(X, LABELS, loss="cross_entropy", optimizer=optim.SGD(0.2), epochs=2, B=4, seed=5)
    for l in (1, 2):
        np.testing.assert_allclose(seq.layers[2 * l - 2].params["theta"], net.theta[l], rtol=1e-10, atol=1e-13)


def test_from_mlp_copies_and_checks():
    net = MLP(M=[3, 4, 2], g="sigmoid", seed=0)
    seq = Sequential.from_mlp(net)
    assert [type(layer) for layer in seq.layers] == [Dense, Act, Dense, Act]
    seq.layers[0].params["theta"][0, 0] = 99.0
    assert net.theta[1][0, 0] != 99.0
    with pytest.raises(ValueError, match="cross_entropy.*softmax; got g\\[2\\] = sigmoid"):
        Sequential.from_mlp(net, "cross_entropy")
