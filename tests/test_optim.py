"""nnlib.optim: the nine optimizers and the learning-rate schedules, in one place.

SGD and the slides' momentum by hand and on a net; then every optimizer checked against its paper's equations
written out in plain Python floats (first three steps on a 2-D quadratic, to 1e-12), on the Rosenbrock function
(stated hyperparameters and iteration budgets), on an MLP trained with ``train.minibatch(optimizer=...)``, and for
its hyperparameter checks, dtype and reset; the schedules' values and their use by the optimizers.
"""

import math

import numpy as np
import pytest

from nnlib.mlp import backprop, train
from nnlib import optim
from nnlib.mlp import MLP


# ---- SGD and momentum (the slides' BackProp with momentum) -------------------------------------------------------

def test_sgd_step_is_theta_minus_rho_grad_in_place():
    p = [None, np.array([[1.0, 2.0]]), np.array([3.0])]
    g = [None, np.array([[0.5, -1.0]]), np.array([2.0])]
    arrays = [p[1], p[2]]
    optim.SGD(rho=0.1).step(p, g)
    assert p[1] is arrays[0] and p[2] is arrays[1]          # updated in place, not replaced
    np.testing.assert_allclose(p[1], [[0.95, 2.1]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(p[2], [2.8], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(g[1], [[0.5, -1.0]])      # the gradient is not touched


def test_momentum_first_two_steps_by_hand_on_a_quadratic():
    # q(θ) = ½ a θ², ∇q = a θ.  Δθ(k) = −ρ a θ(k−1) + ν Δθ(k−1), Δθ(0) = 0.
    a, rho, nu = 2.0, 0.1, 0.5
    theta = np.array([1.0])
    opt = optim.Momentum(rho=rho, nu=nu)
    opt.step([theta], [a * theta])
    # Δθ(1) = −0.1·2·1 = −0.2  ->  θ = 0.8
    assert theta[0] == pytest.approx(0.8, abs=1e-15)
    np.testing.assert_allclose(opt.state[0], [-0.2], atol=1e-15)
    opt.step([theta], [a * theta])
    # Δθ(2) = −0.1·2·0.8 + 0.5·(−0.2) = −0.16 − 0.1 = −0.26  ->  θ = 0.54
    assert theta[0] == pytest.approx(0.54, abs=1e-15)
    np.testing.assert_allclose(opt.state[0], [-0.26], atol=1e-15)
    assert opt.k == 2


def test_momentum_with_nu_zero_equals_sgd_exactly():
    rng = np.random.default_rng(0)
    p1 = [None, rng.normal(size=(3, 4)), rng.normal(size=(2, 4))]
    p2 = [None] + [a.copy() for a in p1[1:]]
    sgd, mom = optim.SGD(0.3), optim.Momentum(0.3, nu=0.0)
    for _ in range(5):
        g = [None] + [rng.normal(size=a.shape) for a in p1[1:]]
        sgd.step(p1, g)
        mom.step(p2, g)
    for a, b in zip(p1[1:], p2[1:]):
        np.testing.assert_array_equal(a, b)


def test_momentum_keeps_one_state_per_parameter_array_and_reset_forgets_it():
    p = [None, np.zeros((2, 3)), np.zeros(4)]
    g = [None, np.ones((2, 3)), 2 * np.ones(4)]
    opt = optim.Momentum(rho=1.0, nu=0.5)
    opt.step(p, g)
    assert set(opt.state) == {1, 2}
    assert opt.state[1].shape == (2, 3) and opt.state[2].shape == (4,)
    np.testing.assert_array_equal(opt.state[2], -2.0)
    opt.reset()
    assert opt.state == {} and opt.k == 0
    opt.step(p, g)                                          # afresh: Δθ = −ρ ∇ again
    np.testing.assert_array_equal(p[1], -2.0)


def test_momentum_accelerates_on_a_plateau():
    # constant gradient 1: Δθ(k) -> −ρ / (1 − ν), ten times the SGD step for ν = 0.9
    theta = np.zeros(1)
    opt = optim.Momentum(rho=0.01, nu=0.9)
    for _ in range(200):
        opt.step([theta], [np.ones(1)])
    assert opt.state[0][0] == pytest.approx(-0.1, rel=1e-6)


def test_float32_parameters_stay_float32():
    p = [np.ones((2, 2), dtype=np.float32)]
    for opt in (optim.SGD(0.1), optim.Momentum(0.1, 0.9)):
        opt.step(p, [np.ones((2, 2), dtype=np.float32)])
        assert p[0].dtype == np.float32


def test_momentum_on_a_net_matches_the_slides_formula():
    # Δθ(k) = (ρ/N) Σ δ s + ν Δθ(k−1) with (ρ/N) Σ δ s = backprop.increments
    X = np.random.default_rng(1).normal(size=(6, 2))
    t = np.random.default_rng(2).normal(size=(6, 1))
    net, ref = MLP([2, 3, 1], g=["tanh", "linear"], seed=0), MLP([2, 3, 1], g=["tanh", "linear"], seed=0)
    opt, rho, nu = optim.Momentum(rho=0.2, nu=0.7), 0.2, 0.7
    prev = [None, 0.0, 0.0]
    for _ in range(3):
        _, grad = backprop.gradient(net, X, t)
        opt.step(net.theta, grad)
        _, inc = backprop.increments(ref, X, t, rho)
        for l in (1, 2):
            prev[l] = inc[l] + nu * prev[l]
            ref.theta[l] += prev[l]
    for l in (1, 2):
        np.testing.assert_allclose(net.theta[l], ref.theta[l], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("rho", [0, -0.1, float("nan"), float("inf")])
def test_bad_rho_is_named(rho):
    for make in (lambda: optim.SGD(rho), lambda: optim.Momentum(rho, 0.5)):
        with pytest.raises(ValueError, match="rho"):
            make()


def test_rho_must_be_a_number_also_when_changed_later():
    with pytest.raises(TypeError, match="rho"):
        optim.SGD("0.1")
    opt = optim.Momentum(0.1, 0.9)
    opt.rho = 0.05                                          # a schedule ρ_k may change it
    assert opt.rho == 0.05
    with pytest.raises(ValueError, match="rho must be > 0"):
        opt.rho = -1.0


@pytest.mark.parametrize("nu", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_nu_is_named_with_its_range(nu):
    with pytest.raises(ValueError, match=r"nu must be a number in \[0, 1\)|nu must be finite"):
        optim.Momentum(0.1, nu)


def test_step_checks_the_gradients_match_the_parameters():
    opt = optim.SGD(0.1)
    with pytest.raises(ValueError, match="one entry per parameter"):
        opt.step([np.zeros(2)], [])
    with pytest.raises(ValueError, match=r"grads\[0\] must have the shape of params\[0\] \(2,\); got shape \(3,\)"):
        opt.step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(ValueError, match=r"grads\[1\].*got None"):
        opt.step([None, np.zeros(2)], [None, None])
    with pytest.raises(TypeError, match=r"params\[0\] must be a numpy array"):
        opt.step([[0.0, 0.0]], [np.zeros(2)])


def test_momentum_refuses_a_different_shape_until_reset():
    opt = optim.Momentum(0.1, 0.5)
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="reset"):
        opt.step([np.zeros(3)], [np.ones(3)])
    opt.reset()
    opt.step([np.zeros(3)], [np.ones(3)])


def test_base_class_and_repr():
    with pytest.raises(NotImplementedError, match="update"):
        optim.Optimizer(0.1).step([np.zeros(1)], [np.zeros(1)])
    assert repr(optim.SGD(0.1)) == "SGD(rho=0.1)"
    assert repr(optim.Momentum(0.1, 0.9)) == "Momentum(rho=0.1, nu=0.9)"


# ---- the other optimizers, against their papers ---------------------------------------------------------------

# q(θ) = ½ (a1 θ1² + a2 θ2²), ∇q = (a1 θ1, a2 θ2), from θ(0) = (1, −2)
A = (2.0, 0.5)
THETA0 = (1.0, -2.0)
STEPS = 3


def _by_hand(rule, hyper):
    """Run `rule` (one coordinate, plain floats) STEPS times on each coordinate of the quadratic."""
    out = []
    for a, th in zip(A, THETA0):
        state = {}
        for t in range(1, STEPS + 1):       # t = 1, 2, 3 as in the papers
            g = a * th
            th = rule(th, g, t, state, **hyper)
        out.append(th)
    return out


# ---- each rule below is its paper's update written out, one line per equation --------------------------------

def sgd(th, g, t, s, rho):
    return th - rho * g


def momentum(th, g, t, s, rho, nu):
    s["D"] = -rho * g + nu * s.get("D", 0.0)          # Δθ(k) = −ρ ∇q + ν Δθ(k−1)
    return th + s["D"]


def adagrad(th, g, t, s, rho, eps):
    s["G"] = s.get("G", 0.0) + g * g                  # G = Σ g²
    return th - rho * g / (math.sqrt(s["G"]) + eps)   # θ −= η g / (δ + √G)


def adadelta(th, g, t, s, rho, decay, eps):
    Eg2 = decay * s.get("Eg2", 0.0) + (1 - decay) * g * g                       # E[g²]_t
    dx = -math.sqrt(s.get("Edx2", 0.0) + eps) / math.sqrt(Eg2 + eps) * g       # Δx_t = −RMS[Δx]_{t−1}/RMS[g]_t g_t
    Edx2 = decay * s.get("Edx2", 0.0) + (1 - decay) * dx * dx                  # E[Δx²]_t
    s.update(Eg2=Eg2, Edx2=Edx2)
    return th + rho * dx                                                        # x_{t+1} = x_t + Δx_t (ρ = 1 in paper)


def rmsprop(th, g, t, s, rho, decay, eps):
    s["v"] = decay * s.get("v", 0.0) + (1 - decay) * g * g                     # MeanSquare
    return th - rho * g / (math.sqrt(s["v"]) + eps)


def adam(th, g, t, s, rho, beta1, beta2, eps):
    s["m"] = beta1 * s.get("m", 0.0) + (1 - beta1) * g
    s["v"] = beta2 * s.get("v", 0.0) + (1 - beta2) * g * g
    m_hat = s["m"] / (1 - beta1 ** t)
    v_hat = s["v"] / (1 - beta2 ** t)
    return th - rho * m_hat / (math.sqrt(v_hat) + eps)


def adamax(th, g, t, s, rho, beta1, beta2):
    s["m"] = beta1 * s.get("m", 0.0) + (1 - beta1) * g
    s["u"] = max(beta2 * s.get("u", 0.0), abs(g))
    return th - (rho / (1 - beta1 ** t)) * s["m"] / s["u"]


def nadam(th, g, t, s, rho, beta1, beta2, eps):
    mu = beta1                                        # constant schedule μ_t = β1: Π_{i≤t} μ_i = β1^t
    g_hat = g / (1 - mu ** t)
    s["m"] = mu * s.get("m", 0.0) + (1 - mu) * g
    m_hat = s["m"] / (1 - mu ** (t + 1))
    s["n"] = beta2 * s.get("n", 0.0) + (1 - beta2) * g * g
    n_hat = s["n"] / (1 - beta2 ** t)
    m_bar = (1 - mu) * g_hat + mu * m_hat
    return th - rho * m_bar / (math.sqrt(n_hat) + eps)


def nesterov_lookahead(th, g_at, s, rho, nu):
    """Sutskever et al. (2013): v = ν v − ε ∇q(θ + ν v); θ = θ + v (gradient at the look-ahead point)."""
    v = s.get("v", 0.0)
    s["v"] = nu * v - rho * g_at(th + nu * v)
    return th + s["v"]


HAND = [  # (name, hyperparameters, rule)
    ("sgd", dict(rho=0.1), sgd),
    ("momentum", dict(rho=0.1, nu=0.5), momentum),
    ("adagrad", dict(rho=0.3, eps=1e-8), adagrad),
    ("adadelta", dict(rho=1.0, decay=0.95, eps=1e-6), adadelta),
    ("adadelta", dict(rho=0.5, decay=0.9, eps=1e-3), adadelta),
    ("rmsprop", dict(rho=0.01, decay=0.9, eps=1e-8), rmsprop),
    ("adam", dict(rho=0.001, beta1=0.9, beta2=0.999, eps=1e-8), adam),
    ("adam", dict(rho=0.1, beta1=0.5, beta2=0.9, eps=1e-3), adam),
    ("adamax", dict(rho=0.002, beta1=0.9, beta2=0.999), adamax),
    ("adamax", dict(rho=0.1, beta1=0.5, beta2=0.6), adamax),
    ("nadam", dict(rho=0.002, beta1=0.9, beta2=0.999, eps=1e-8), nadam),
    ("nadam", dict(rho=0.1, beta1=0.5, beta2=0.9, eps=1e-3), nadam),
]


@pytest.mark.parametrize("name, hyper, rule", HAND, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(HAND)])
def test_first_steps_match_the_papers_equations_by_hand(name, hyper, rule):
    theta = np.array(THETA0)
    opt = optim.get(name, **hyper)
    for _ in range(STEPS):
        opt.step([theta], [np.array(A) * theta])
    np.testing.assert_allclose(theta, _by_hand(rule, hyper), rtol=0, atol=1e-12)
    assert opt.k == STEPS


def test_adam_first_step_is_alpha_times_the_sign_of_the_gradient():
    # t = 1: m̂ = g, v̂ = g², so Δθ = −α g / (|g| + ε) ≈ −α sign(g)  (Kingma & Ba, section 2.1)
    theta = np.array([1.0, -2.0])
    optim.Adam(rho=0.001).step([theta], [np.array([2.0, -1.0])])
    np.testing.assert_allclose(theta, [1.0 - 0.001 * 2 / (2 + 1e-8), -2.0 + 0.001 * 1 / (1 + 1e-8)], rtol=0, atol=1e-15)


def test_adagrad_first_step_by_hand():
    # G = g² = 4, θ = 1 − 0.3 · 2 / (2 + 1e-8)
    theta = np.array([1.0])
    optim.Adagrad(rho=0.3).step([theta], [np.array([2.0])])
    assert theta[0] == pytest.approx(1 - 0.3 * 2 / (2 + 1e-8), abs=1e-15)


@pytest.mark.parametrize("nu", [0.0, 0.5, 0.9])
def test_nesterov_equals_the_look_ahead_form(nu):
    # The stored parameters are Θ(k) = θ(k) + ν Δθ(k) of Sutskever et al.'s look-ahead form (Bengio et al. 2013).
    rho = 0.1
    theta = np.array(THETA0)
    opt = optim.Nesterov(rho=rho, nu=nu)
    ref = []
    for a, th in zip(A, THETA0):
        s = {}
        traj = []
        for _ in range(20):
            th = nesterov_lookahead(th, lambda x, a=a: a * x, s, rho, nu)
            traj.append(th + nu * s["v"])
        ref.append(traj)
    for k in range(20):
        opt.step([theta], [np.array(A) * theta])
        np.testing.assert_allclose(theta, [ref[0][k], ref[1][k]], rtol=0, atol=1e-12)


def test_nesterov_first_two_steps_by_hand():
    # q = ½ 2 θ², θ(0) = 1, ρ = 0.1, ν = 0.5.
    # Δθ(1) = −0.1·2·1 = −0.2;  Θ(1) = 1 − 0.2 + 0.5·(−0.2) = 0.7
    # Δθ(2) = 0.5·(−0.2) − 0.1·2·0.7 = −0.24;  Θ(2) = 0.7 − 0.14 + 0.5·(−0.24) = 0.44
    theta = np.array([1.0])
    opt = optim.Nesterov(rho=0.1, nu=0.5)
    opt.step([theta], [2 * theta])
    assert theta[0] == pytest.approx(0.7, abs=1e-15)
    opt.step([theta], [2 * theta])
    assert theta[0] == pytest.approx(0.44, abs=1e-15)
    np.testing.assert_allclose(opt.state[0], [-0.24], atol=1e-15)


def test_nesterov_and_momentum_with_nu_zero_are_sgd():
    rng = np.random.default_rng(0)
    start = rng.normal(size=(3, 2))
    p = [start.copy() for _ in range(3)]
    opts = [optim.SGD(0.2), optim.Momentum(0.2, 0.0), optim.Nesterov(0.2, 0.0)]
    for _ in range(4):
        g = rng.normal(size=(3, 2))
        for arr, opt in zip(p, opts):
            opt.step([arr], [g])
    np.testing.assert_allclose(p[1], p[0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(p[2], p[0], rtol=0, atol=1e-15)


# ---- Rosenbrock: q(x, y) = (1 − x)² + 100 (y − x²)², minimum at (1, 1), from (−1.5, 2) -------------------------

def _rosenbrock_grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


ROSENBROCK = [  # (name, tuned hyperparameters, iteration budget); measured iterations to ‖x − (1, 1)‖ < 1e-3
    ("sgd", dict(rho=0.002), 6000),                                        # 5387
    ("momentum", dict(rho=0.001, nu=0.95), 600),                           # 503
    ("nesterov", dict(rho=0.0005, nu=0.99), 800),                          # 677
    ("adagrad", dict(rho=1.0, eps=1e-8), 14000),                           # 13100
    ("adadelta", dict(rho=1.0, decay=0.95, eps=1e-10), 30000),             # 27444 (paper's ε = 1e-6 stalls)
    ("rmsprop", dict(rho=0.001, decay=0.99, eps=1e-8), 10000),             # 8942
    ("adam", dict(rho=0.1, beta1=0.9, beta2=0.999, eps=1e-8), 1200),       # 1050
    ("adamax", dict(rho=0.1, beta1=0.95, beta2=0.999), 3000),              # 2574
    ("nadam", dict(rho=0.1, beta1=0.95, beta2=0.999, eps=1e-8), 900),      # 794
]


@pytest.mark.parametrize("name, hyper, budget", ROSENBROCK, ids=[r[0] for r in ROSENBROCK])
def test_converges_on_rosenbrock_within_the_stated_iterations(name, hyper, budget):
    opt = optim.get(name, **hyper)
    x = np.array([-1.5, 2.0])
    for k in range(1, budget + 1):
        opt.step([x], [_rosenbrock_grad(x)])
        if np.linalg.norm(x - 1) < 1e-3:
            break
    assert np.linalg.norm(x - 1) < 1e-3, f"{opt!r} after {budget} iterations is at {x}"


# ---- hyperparameter checks --------------------------------------------------------------------------------------

BAD = [
    (optim.Nesterov, dict(rho=0.1, nu=1.0), "nu"),
    (optim.Nesterov, dict(rho=0.1, nu=-0.1), "nu"),
    (optim.Nesterov, dict(rho=0.0), "rho"),
    (optim.Adagrad, dict(rho=-1.0), "rho"),
    (optim.Adagrad, dict(eps=0.0), "eps"),
    (optim.Adadelta, dict(rho=0.0), "rho"),
    (optim.Adadelta, dict(decay=1.0), "decay"),
    (optim.Adadelta, dict(decay=-0.5), "decay"),
    (optim.Adadelta, dict(eps=-1e-6), "eps"),
    (optim.RMSProp, dict(rho=float("inf")), "rho"),
    (optim.RMSProp, dict(decay=1.5), "decay"),
    (optim.RMSProp, dict(eps=0.0), "eps"),
    (optim.Adam, dict(rho=-0.001), "rho"),
    (optim.Adam, dict(beta1=1.0), "beta1"),
    (optim.Adam, dict(beta1=-0.1), "beta1"),
    (optim.Adam, dict(beta2=1.0), "beta2"),
    (optim.Adam, dict(beta2=float("nan")), "beta2"),
    (optim.Adam, dict(eps=0.0), "eps"),
    (optim.AdaMax, dict(rho=0.0), "rho"),
    (optim.AdaMax, dict(beta1=1.2), "beta1"),
    (optim.AdaMax, dict(beta2=1.0), "beta2"),
    (optim.Nadam, dict(rho=-1.0), "rho"),
    (optim.Nadam, dict(beta1=1.0), "beta1"),
    (optim.Nadam, dict(beta2=-0.1), "beta2"),
    (optim.Nadam, dict(eps=-1.0), "eps"),
    (optim.constant, dict(rho0=0.0), "rho0"),
    (optim.step_decay, dict(rho0=-0.1), "rho0"),
    (optim.step_decay, dict(rho0=0.1, drop=0.0), "drop"),
    (optim.step_decay, dict(rho0=0.1, drop=1.5), "drop"),
    (optim.step_decay, dict(rho0=0.1, every=0), "every"),
    (optim.inverse, dict(rho0=0.1, k0=0), "k0"),
    (optim.inverse, dict(rho0=0.0), "rho0"),
    (optim.exponential, dict(rho0=0.1, gamma=0.0), "gamma"),
    (optim.exponential, dict(rho0=0.1, gamma=1.01), "gamma"),
]


@pytest.mark.parametrize("cls, hyper, name", BAD, ids=[f"{c.__name__}-{n}-{i}" for i, (c, _, n) in enumerate(BAD)])
def test_every_out_of_range_hyperparameter_raises_naming_it(cls, hyper, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        cls(**hyper)


def test_range_messages_state_the_range_and_the_value():
    with pytest.raises(ValueError, match=r"beta1 must be a number in \[0, 1\).*got 1\.0"):
        optim.Adam(beta1=1.0)
    with pytest.raises(ValueError, match=r"eps must be > 0; got 0\.0"):
        optim.Adam(eps=0)
    with pytest.raises(ValueError, match=r"drop must be in \(0, 1\].*got 2\.0"):
        optim.step_decay(0.1, drop=2)
    with pytest.raises(TypeError, match="every"):
        optim.step_decay(0.1, every=2.5)
    with pytest.raises(TypeError, match="beta2"):
        optim.Adam(beta2="0.999")


def test_defaults_are_the_papers():
    assert repr(optim.Adam()) == "Adam(rho=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(optim.AdaMax()) == "AdaMax(rho=0.002, beta1=0.9, beta2=0.999)"
    assert repr(optim.Nadam()) == "Nadam(rho=0.002, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(optim.Adadelta()) == "Adadelta(rho=1.0, decay=0.95, eps=1e-06)"
    assert repr(optim.RMSProp()) == "RMSProp(rho=0.001, decay=0.9, eps=1e-08)"
    assert repr(optim.Adagrad()) == "Adagrad(rho=0.01, eps=1e-08)"
    assert repr(optim.Nesterov(0.1)) == "Nesterov(rho=0.1, nu=0.9)"


def test_registry_and_get():
    assert set(optim.OPTIMIZERS) == {"sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam",
                                     "adamax", "nadam"}
    for name, cls in optim.OPTIMIZERS.items():
        assert issubclass(cls, optim.Optimizer)
        assert type(optim.get(name, rho=0.1)) is cls
    assert optim.get("Adam", rho=0.01).rho == 0.01
    opt = optim.Adam()
    assert optim.get(opt) is opt
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'.*'adam'"):
        optim.get("adamw")
    with pytest.raises(TypeError, match="beta1"):
        optim.get("sgd", rho=0.1, beta1=0.9)


# ---- schedules --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("schedule, values", [
    (optim.constant(0.1), (0.1, 0.1, 0.1)),
    (optim.step_decay(0.1, drop=0.5, every=100), (0.1, 0.1, 0.05)),
    (optim.step_decay(0.1, drop=0.5, every=1), (0.1, 0.05, 0.1 * 0.5 ** 100)),
    (optim.inverse(0.1, k0=100), (0.1, 0.1 / 1.01, 0.05)),
    (optim.exponential(0.1, gamma=0.99), (0.1, 0.099, 0.1 * 0.99 ** 100)),
], ids=["constant", "step", "step-every-1", "inverse", "exponential"])
def test_schedule_values_at_0_1_100(schedule, values):
    for k, want in zip((0, 1, 100), values):
        assert schedule(k) == pytest.approx(want, rel=1e-14)
        assert isinstance(schedule(k), float)
    np.testing.assert_allclose(schedule(np.array([0, 1, 100])), values, rtol=1e-14)


def test_schedule_repr_equality_and_bad_k():
    s = optim.step_decay(0.1, 0.5, 100)
    assert repr(s) == "step_decay(rho0=0.1, drop=0.5, every=100)"
    assert repr(optim.inverse(0.1)) == "inverse(rho0=0.1, k0=100.0)"
    assert repr(optim.exponential(0.1)) == "exponential(rho0=0.1, gamma=0.99)"
    assert repr(optim.constant(0.1)) == "constant(rho0=0.1)"
    assert s == optim.step_decay(0.1, 0.5, 100) and s != optim.step_decay(0.1, 0.5, 50)
    for k in (-1, 1.5, "3"):
        with pytest.raises(ValueError, match="k must be"):
            s(k)


def test_optimizer_follows_a_schedule_rho_k_by_hand():
    # SGD with ρ_k = 0.1 · 0.5^k on q = ½ 2 θ²: θ ← θ − ρ_k 2 θ = θ (1 − 2 ρ_k)
    sched = optim.exponential(0.1, gamma=0.5)
    opt = optim.SGD(rho=sched)
    theta = np.array([1.0])
    want = 1.0
    for k in range(3):
        assert opt.rho_k == opt.rho == 0.1 * 0.5 ** k
        opt.step([theta], [2 * theta])
        want *= 1 - 2 * 0.1 * 0.5 ** k
        assert theta[0] == pytest.approx(want, abs=1e-15)
    assert opt.schedule is sched
    assert repr(opt) == "SGD(rho=exponential(rho0=0.1, gamma=0.5))"
    opt.reset()
    assert opt.rho_k == 0.1


def test_momentum_with_step_decay_by_hand():
    opt = optim.Momentum(rho=optim.step_decay(0.1, 0.5, every=2), nu=0.5)
    theta = np.array([1.0])
    D, th = 0.0, 1.0
    for k in range(5):
        rho_k = 0.1 * 0.5 ** (k // 2)
        D = -rho_k * 2 * th + 0.5 * D
        th += D
        opt.step([theta], [2 * theta])
        assert theta[0] == pytest.approx(th, abs=1e-15)


def test_rho_can_switch_between_float_and_schedule_and_any_callable_works():
    opt = optim.Adam(rho=0.01)
    assert opt.schedule is None and opt.rho_k == 0.01
    opt.rho = lambda k: 0.02 / (k + 1)
    assert opt.rho_k == 0.02
    opt.step([np.zeros(1)], [np.ones(1)])
    assert opt.rho_k == 0.01
    opt.rho = 0.5
    assert opt.rho == 0.5 and opt.schedule is None
    bad = optim.SGD(rho=lambda k: -1.0)
    with pytest.raises(ValueError, match="rho_k"):
        bad.step([np.zeros(1)], [np.ones(1)])


# ---- every optimizer: on a net, dtype, reset, shapes ------------------------------------------------------------

MLP_HYPER = {
    "sgd": dict(rho=0.5), "momentum": dict(rho=0.1, nu=0.9), "nesterov": dict(rho=0.1, nu=0.9),
    "adagrad": dict(rho=0.1), "adadelta": dict(), "rmsprop": dict(rho=0.01), "adam": dict(rho=0.01),
    "adamax": dict(rho=0.02), "nadam": dict(rho=0.01),
}


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_every_optimizer_trains_an_mlp_with_minibatch(name):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(64, 2))
    t = np.sin(2 * X[:, :1]) + 0.5 * X[:, 1:]                 # a smooth regression task
    net = MLP([2, 6, 1], g=["tanh", "linear"], seed=1)
    opt = optim.get(name, **MLP_HYPER[name])
    hist = train.minibatch(net, X, t, B=16, max_epochs=30, optimizer=opt, seed=0)
    assert hist.q[-1] < 0.5 * hist.q0, f"{opt!r}: q_S {hist.q0} -> {hist.q[-1]}"
    assert opt.k == hist.updates[-1] == 30 * 4


def test_minibatch_with_a_schedule():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 2))
    t = X @ np.array([[1.0], [-2.0]])
    net = MLP([2, 1], g=["linear"], seed=0)
    opt = optim.Momentum(rho=optim.inverse(0.05, k0=50), nu=0.9)
    hist = train.minibatch(net, X, t, B=8, max_epochs=20, optimizer=opt)
    assert hist.q[-1] < 0.01 * hist.q0
    assert opt.rho_k == pytest.approx(0.05 / (1 + 80 / 50))
    sgd = optim.SGD(rho=optim.step_decay(0.1, drop=0.5, every=10))     # train's in-place SGD path reads ρ_k too
    net = MLP([2, 1], g=["linear"], seed=0)
    ref = MLP([2, 1], g=["linear"], seed=0)
    train.batch(net, X, t, max_epochs=25, optimizer=sgd)
    for k in range(25):
        _, grad = backprop.gradient(ref, X, t)
        ref.theta[1] -= 0.1 * 0.5 ** (k // 10) * grad[1]
    np.testing.assert_allclose(net.theta[1], ref.theta[1], rtol=1e-12, atol=1e-14)
    assert sgd.k == 25


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_float32_stays_float32(name):
    p = [None, np.ones((2, 3), dtype=np.float32), np.full(4, -1.0, dtype=np.float32)]
    g = [None, np.full((2, 3), 0.5, dtype=np.float32), np.ones(4, dtype=np.float32)]
    arrays = p[1:]
    opt = optim.get(name, **MLP_HYPER[name])
    for _ in range(3):
        opt.step(p, g)
    assert p[1] is arrays[0] and p[2] is arrays[1]                # in place
    assert p[1].dtype == np.float32 and p[2].dtype == np.float32
    assert np.isfinite(p[1]).all() and (p[1] < 1).all()
    for s in opt.state.values():
        for arr in (s.values() if isinstance(s, dict) else [s]):
            assert arr.dtype == np.float32


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_reset_forgets_the_state_and_the_step_count(name):
    rng = np.random.default_rng(3)
    g = [rng.normal(size=(3, 2)) for _ in range(4)]
    opt = optim.get(name, **MLP_HYPER[name])
    first = rng.normal(size=(3, 2))
    p = first.copy()
    for gk in g:
        opt.step([p], [gk])
    once = p.copy()
    opt.reset()
    assert opt.k == 0 and opt.state == {}
    p = first.copy()
    for gk in g:
        opt.step([p], [gk])
    np.testing.assert_array_equal(p, once)
    if name != "sgd":                                             # SGD keeps no state
        with pytest.raises(ValueError, match="reset"):
            opt.step([np.zeros(5)], [np.ones(5)])


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_a_zero_gradient_gives_a_finite_update(name):
    # AdaMax has no ε: u = 0 only if every gradient so far was 0, then m = 0 and the update is 0, not 0/0.
    p = np.array([1.0, 2.0])
    opt = optim.get(name, **MLP_HYPER[name])
    opt.step([p], [np.array([0.0, 1.0])])
    assert p[0] == 1.0 and p[1] < 2.0


def test_one_state_per_array_and_bias_correction_uses_the_step_count():
    opt = optim.Adam(rho=0.1)
    p = [None, np.zeros((2, 2)), np.zeros(3)]
    opt.step(p, [None, np.ones((2, 2)), np.ones(3)])
    assert set(opt.state) == {1, 2}
    assert set(opt.state[1]) == {"m", "v"}
    np.testing.assert_allclose(opt.state[2]["m"], 0.1)            # (1 − β1) g
    np.testing.assert_allclose(p[1], -0.1 / (1 + 1e-8))           # both arrays get t = 1
    np.testing.assert_allclose(p[2], -0.1 / (1 + 1e-8))


# ---- AdamW (decoupled weight decay) -------------------------------------------------------------------------------

def adamw(th, g, t, s, rho, lam, beta1, beta2, eps):
    """Loshchilov & Hutter (2019), Algorithm 2, with η_t α = ρ: the decay λθ_{t−1} joins the step, not g."""
    s["m"] = beta1 * s.get("m", 0.0) + (1 - beta1) * g
    s["v"] = beta2 * s.get("v", 0.0) + (1 - beta2) * g * g
    m_hat = s["m"] / (1 - beta1 ** t)
    v_hat = s["v"] / (1 - beta2 ** t)
    return th - rho * (m_hat / (math.sqrt(v_hat) + eps) + lam * th)


@pytest.mark.parametrize("hyper", [dict(rho=0.001, lam=0.01, beta1=0.9, beta2=0.999, eps=1e-8),
                                   dict(rho=0.1, lam=0.5, beta1=0.5, beta2=0.9, eps=1e-3)])
def test_adamw_first_steps_match_the_paper_by_hand(hyper):
    theta = np.array(THETA0)
    opt = optim.AdamW(**hyper)
    for _ in range(STEPS):
        opt.step([theta], [np.array(A) * theta])
    np.testing.assert_allclose(theta, _by_hand(adamw, hyper), rtol=1e-13, atol=1e-15)


def test_adamw_with_zero_decay_is_adam_exactly():
    rng = np.random.default_rng(5)
    grads = [rng.normal(size=(3, 4)) for _ in range(6)]
    p_adam = rng.normal(size=(3, 4))
    p_adamw = p_adam.copy()
    adam, adamw_ = optim.Adam(rho=0.01), optim.AdamW(rho=0.01, lam=0.0)
    for g in grads:
        adam.step([p_adam], [g])
        adamw_.step([p_adamw], [g.copy()])
    np.testing.assert_array_equal(p_adamw, p_adam)


def test_adamw_decays_every_weight_by_the_same_fraction_adam_l2_does_not():
    # Two weights, the first with gradients 100 times larger. With no loss gradient beyond that history
    # (g = 0 from step 11 on), AdamW shrinks both by (1 − ρλ) per step; Adam with the L2 term λθ in g
    # divides it by √v̂, which the first weight's large history keeps large: it is hardly decayed.
    rho, lam = 0.01, 0.1
    history = [np.array([100.0, 1.0]) * (-1) ** k for k in range(10)]
    out = {}
    for name in ("adamw", "adam_l2"):
        opt = optim.AdamW(rho=rho, lam=lam) if name == "adamw" else optim.Adam(rho=rho)
        p = np.array([1.0, 1.0])
        for g in history:                       # the gradient history, with no decay in it
            q = p.copy()
            opt.step([q], [g])
        p = np.array([1.0, 1.0])
        for _ in range(200):
            g = np.zeros(2) if name == "adamw" else lam * p
            opt.step([p], [g])
        out[name] = p
    # AdamW: both weights keep the same fraction, (1 − ρλ)^200 = 0.82 up to the fading momentum of the history
    assert out["adamw"][0] == pytest.approx(out["adamw"][1], rel=1e-9)
    assert out["adamw"][0] == pytest.approx((1 - rho * lam) ** 200, rel=0.02)
    # Adam + L2: the weight with the small gradient history loses ~0.47 of its value, the large one ~0.001
    lost = 1 - out["adam_l2"]
    assert lost[1] > 100 * lost[0] and lost[1] > 0.3


def test_adamw_bad_lam_and_repr():
    with pytest.raises(ValueError, match=r"^lam must be >= 0"):
        optim.AdamW(lam=-0.1)
    with pytest.raises(TypeError, match="lam"):
        optim.AdamW(lam="0.1")
    assert repr(optim.AdamW()) == "AdamW(rho=0.001, lam=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert "adamw" not in optim.OPTIMIZERS                         # the registry is slide 37's nine


def test_adamw_trains_an_mlp_through_the_loops_fast_path():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(64, 2))
    t = np.sin(2 * X[:, :1]) + 0.5 * X[:, 1:]
    net = MLP([2, 6, 1], g=["tanh", "linear"], seed=1)
    opt = optim.AdamW(rho=0.01, lam=1e-3)
    hist = train.minibatch(net, X, t, B=16, max_epochs=30, optimizer=opt, seed=0)
    assert hist.q[-1] < 0.5 * hist.q0 and opt.k == 120
    ref, ref_opt = MLP([2, 6, 1], g=["tanh", "linear"], seed=1), optim.AdamW(rho=0.01, lam=1e-3)
    for _ in range(5):                                            # the loop's apply = step, batch by batch
        _, grad = backprop.gradient(ref, X, t)
        ref_opt.step(ref.theta, grad)
    net = MLP([2, 6, 1], g=["tanh", "linear"], seed=1)
    train.batch(net, X, t, max_epochs=5, optimizer=optim.AdamW(rho=0.01, lam=1e-3))
    for l in (1, 2):
        np.testing.assert_allclose(net.theta[l], ref.theta[l], rtol=1e-12, atol=1e-14)


# ---- warm-up, cosine, one-cycle and the range test's geometric ramp -----------------------------------------------

def test_new_schedules_by_hand():
    w = optim.warmup(0.1, K_w=4)
    assert [w(k) for k in range(6)] == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1], rel=1e-14)
    c = optim.cosine(0.1, K=100, rho_min=0.01)
    assert c(0) == pytest.approx(0.1) and c(50) == pytest.approx(0.055) and c(100) == pytest.approx(0.01)
    assert c(25) == pytest.approx(0.01 + 0.045 * (1 + math.cos(math.pi / 4)))
    assert c(1000) == pytest.approx(0.01)                               # held after K
    o = optim.one_cycle(1.0, K=100, pct=0.3, div=25, final_div=1e4)
    assert o.K_up == 30
    assert o(0) == pytest.approx(0.04) and o(15) == pytest.approx(0.52) and o(30) == pytest.approx(1.0)
    assert o(65) == pytest.approx(1e-4 + (1 - 1e-4) / 2)               # half-way down: the cosine's middle
    assert o(100) == pytest.approx(1e-4) and o(500) == pytest.approx(1e-4)
    r = optim.geometric(1e-4, 1.0, K=5)
    assert [r(k) for k in range(5)] == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1, 1.0], rel=1e-12)
    for s in (w, c, o, r):                                              # arrays of k, as for the others
        np.testing.assert_allclose(s(np.arange(5)), [s(k) for k in range(5)], rtol=1e-15)
    assert repr(c) == "cosine(rho0=0.1, K=100, rho_min=0.01)" and c == optim.cosine(0.1, 100, 0.01)


def test_cosine_to_zero_serves_exactly_K_updates():
    opt = optim.SGD(optim.cosine(0.1, K=10))
    p = np.ones(2)
    for _ in range(10):
        opt.step([p], [np.ones(2)])                                 # k = 0..9: ρ_k > 0
    with pytest.raises(ValueError, match="rho_k"):
        opt.step([p], [np.ones(2)])                                 # k = 10: ρ_k = 0


BAD_SCHEDULES = [
    (optim.warmup, dict(rho0=0.0), "rho0"), (optim.warmup, dict(rho0=0.1, K_w=0), "K_w"),
    (optim.cosine, dict(rho0=0.1, K=0), "K"), (optim.cosine, dict(rho0=0.1, K=10, rho_min=0.2), "rho_min"),
    (optim.cosine, dict(rho0=0.1, K=10, rho_min=-0.1), "rho_min"),
    (optim.one_cycle, dict(rho_max=-1.0, K=10), "rho_max"), (optim.one_cycle, dict(rho_max=1.0, K=1), "K"),
    (optim.one_cycle, dict(rho_max=1.0, K=10, pct=1.0), "pct"),
    (optim.one_cycle, dict(rho_max=1.0, K=10, div=0.5), "div"),
    (optim.one_cycle, dict(rho_max=1.0, K=10, final_div=0.5), "final_div"),
    (optim.geometric, dict(rho_lo=1.0, rho_hi=0.5, K=10), "rho_hi"),
    (optim.geometric, dict(rho_lo=0.0, rho_hi=0.5, K=10), "rho_lo"),
    (optim.geometric, dict(rho_lo=0.1, rho_hi=0.5, K=1), "K"),
]


@pytest.mark.parametrize("cls, hyper, name", BAD_SCHEDULES,
                         ids=[f"{c.__name__}-{n}-{i}" for i, (c, _, n) in enumerate(BAD_SCHEDULES)])
def test_bad_schedule_arguments_are_named(cls, hyper, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        cls(**hyper)
    with pytest.raises(TypeError, match="K"):
        optim.cosine(0.1, K=10.0)


@pytest.mark.parametrize("schedule", [optim.warmup(0.2, K_w=7), optim.one_cycle(0.5, K=25),
                                      optim.cosine(0.2, K=25)], ids=["warmup", "one_cycle", "cosine"])
def test_batch_loop_reads_rho_k_each_update(schedule):
    # the loops' fast path (Optimizer.apply) uses ρ_k of every update: the same weights as a hand loop
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 2))
    t = np.tanh(X @ np.array([[0.5], [-1.0]]))
    net, ref = MLP([2, 3, 1], g=["tanh", "linear"], seed=0), MLP([2, 3, 1], g=["tanh", "linear"], seed=0)
    train.batch(net, X, t, max_epochs=25, optimizer=optim.SGD(schedule))
    for k in range(25):
        _, grad = backprop.gradient(ref, X, t)
        for l in (1, 2):
            ref.theta[l] -= schedule(k) * grad[l]
    for l in (1, 2):
        np.testing.assert_allclose(net.theta[l], ref.theta[l], rtol=1e-12, atol=1e-14)
