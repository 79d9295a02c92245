r"""Checks of the optimizer exercises (11, 12): one step of Momentum, one step of Adam.

- :func:`~nnlib.check.optim.check_momentum_step` — :math:`\Delta\theta(k) = -\rho\,\nabla q + \nu\,\Delta\theta(k-1)`.
- :func:`~nnlib.check.optim.check_adam_step` — Adam's step with its bias correction, as in the paper.

The student writes one update rule as a function ``rule(theta, grad, *state, *hyperparameters) -> (theta,
*state)``; it is run for several steps on a quadratic, with the state it returns fed back into the next call,
against :mod:`nnlib.optim`. The right rule is also written out here, from the slide or the paper, and must agree
with nnlib.optim; the usual mistakes are run the same way, so that the hint can name the one made.
"""

import math
import warnings

import numpy as np

from .. import optim
from .._validate import check_int
from ._feedback import (_apart, _as_array, _call_shaped, _check_rate, _correct, _items, _run, _Stop, _t, _Table,
                        _type_hint, _wrong)

__all__ = ["check_momentum_step", "check_adam_step"]


_RULE_THETA0 = np.array([[1.0, -2.0, 0.5], [-1.5, 0.8, 3.0]])


_RULE_CENTER = np.array([[0.5, 1.0, -1.0], [0.0, -0.5, 2.0]])


# q(θ) = ½ Σ a_ij (θ_ij − c_ij)²: curvatures from 1e-4 to 10, so that some gradients are tiny (|∇q| ≈ 1e-4,
# where Adam's ε matters) and some large (where a wrong sign or a missing factor shows at once).
_RULE_CURVATURE = np.array([[2.0, 0.5, 1e-4], [10.0, 1.0, 0.01]])


def _rule_gradient(theta):
    """∇q of the test quadratic: a ⊙ (θ − c)."""
    return _RULE_CURVATURE * (theta - _RULE_CENTER)


def _copy_state(state):
    return tuple(np.array(s, dtype=float) if isinstance(s, np.ndarray) else s for s in state)


def _rule_trajectory(rule, state0, hyper, steps):
    """θ(1..K) (an array of shape (K, *θ.shape)) and the states, for a rule written here (no checks)."""
    theta, state = _RULE_THETA0.copy(), _copy_state(state0)
    thetas, states = [], []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            theta, *state = rule(theta.copy(), _rule_gradient(theta), *_copy_state(state), *hyper)
            theta = np.asarray(theta, dtype=float)
            thetas.append(theta.copy())
            states.append(_copy_state(state))
    return np.array(thetas), states


def _optim_trajectory(opt, steps):
    """θ(1..K) from an nnlib.optim optimizer on the test quadratic."""
    theta = _RULE_THETA0.copy()
    thetas = []
    for _ in range(steps):
        opt.step([theta], [_rule_gradient(theta)])
        thetas.append(theta.copy())
    return np.array(thetas)


def _as_count(x):
    """A whole number as an int (a step count t passed back as given), anything else as it is."""
    return int(x) if float(x).is_integer() else x


def _eps_of(value):
    """The machine epsilon of a value's floating dtype (float64's for integers, lists and Python floats)."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None and np.issubdtype(dtype, np.floating):
        return float(np.finfo(dtype).eps)
    return float(np.finfo(float).eps)


_ULPS = 16  # an answer in a shorter float agrees to 16 of its units in the last place, relative to the values


def _dtype_tolerance(eps, rtol, atol, want, state=False):
    """(rtol, atol) for an answer computed in a float of machine epsilon `eps` (float32: 1.2e-7).

    float64 answers keep the given tolerance. A shorter float cannot carry more digits than it has, so
    its answers are compared to `_ULPS` units of its last place: relatively, and absolutely on the scale
    of `want` (an entry that cancels to about 0 keeps the rounding error of the numbers it came from).
    A `state` (Adam's m and v) is compared to √eps (float32: 3.5e-4) instead: computed in float32,
    1 − β2 loses three digits when β2 = 0.999 (a relative error of eps / (1 − β2) ≈ 1000 eps in v),
    which θ does not feel (v and its bias correction 1 − β2^t lose the same digits). The usual
    mistakes in a state (m̂ for m, v̂ for v) are off by a factor 1 / (1 − β^t), far more.
    """
    if eps <= np.finfo(float).eps:
        return rtol, atol
    finite = np.abs(np.asarray(want, dtype=float))
    finite = finite[np.isfinite(finite)]
    scale = float(finite.max()) if finite.size else 0.0
    relative = math.sqrt(eps) if state else _ULPS * eps
    return max(rtol, relative), max(atol, relative * scale)


def _student_trajectory(answer, state0, state_names, hyper, steps, name, returns, params=None):
    """The student's rule fed back `steps` times: (θ(1..K), states, numpy warnings, eps); a bad return is a
    message. `eps` is the machine epsilon of the least precise float the student's rule returned."""
    theta, state = _RULE_THETA0.copy(), _copy_state(state0)
    thetas, states, notes, eps = [], [], set(), float(np.finfo(float).eps)
    shape_text = _t("a tuple {returns}", returns=returns)
    for k in range(1, steps + 1):
        grad = _rule_gradient(theta)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = _call_shaped(answer, (theta.copy(), grad.copy(), *_copy_state(state), *hyper), name, shape_text,
                               params=params)
        notes |= {str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)}
        found = _type_hint(out, shape_text)
        if found:
            raise _Stop(_wrong(shape_text, *found))
        if not isinstance(out, (tuple, list)) or len(out) != 1 + len(state0):
            got = (_t("a {kind} with {items}", kind=type(out).__name__, items=_items(out))
                   if isinstance(out, (tuple, list)) else _t("a single {kind}", kind=type(out).__name__))
            raise _Stop(_wrong(shape_text, got, _t("Return the {n} values together, in this order: "
                                                   "return {returns}. The next step needs them.",
                                                   n=1 + len(state0), returns=returns[1:-1])))
        eps = max([eps] + [_eps_of(v) for v, s in zip(out, (theta, *state0)) if isinstance(s, np.ndarray)])
        values = [_as_array(v, n) for v, n in zip(out, ("θ", *state_names))]
        for value, want, n in zip(values, (theta, *state0), ("θ", *state_names)):
            want_shape = np.shape(want)
            if want_shape == () and value.size == 1:
                value = value.reshape(())  # t as a 1-element array
            if value.shape != want_shape:
                raise _Stop(_wrong(_t("{n} of shape {shape} (as given)", n=n, shape=want_shape),
                                   _t("{n} of shape {shape}", n=n, shape=value.shape),
                                   _t("Work elementwise on the arrays you are given: {n} keeps its shape.", n=n)))
        theta = values[0]
        state = tuple(v if isinstance(s, np.ndarray) else _as_count(v.item()) for v, s in zip(values[1:], state0))
        thetas.append(theta.copy())
        states.append(_copy_state(state))
    return np.array(thetas), states, sorted(notes), eps


def _check_rule(answer, right, reference, reference_name, state0, state_names, hyper, mistakes, steps, name,
                returns, state_hint, rtol, atol, params=None):
    """Compare the student's rule with `right` (itself checked against `reference`, θ(1..K) from nnlib.optim).

    An answer computed in float32 (it returns float32 arrays) is compared to float32 precision
    (:func:`_dtype_tolerance`); a float64 answer to `rtol` and `atol`.
    """
    steps = check_int(steps, "steps", 2, "the updates compared")
    expected, expected_states = _rule_trajectory(right, state0, hyper, steps)
    gap = np.max(np.abs(expected - reference) / (np.abs(expected) + 1e-300 + atol / max(rtol, 1e-300)))
    if not (np.all(np.isfinite(expected)) and np.allclose(reference, expected, rtol=rtol, atol=atol)):
        raise RuntimeError(f"{reference_name} disagrees with the update rule written out in nnlib.check "
                           f"(largest scaled difference {gap:.3g})")
    variants = []
    for rule, text in mistakes:
        thetas, _ = _rule_trajectory(rule, state0, hyper, steps)
        if not np.allclose(thetas, expected, rtol=rtol, atol=atol):
            variants.append((thetas, text))

    def close(a, b, eps, equal_nan=False, state=False):
        r, a_tol = _dtype_tolerance(eps, rtol, atol, b, state)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=r, atol=a_tol, equal_nan=equal_nan))

    float32_eps = float(np.finfo(np.float32).eps)

    def run():
        thetas, states, notes, eps = _student_trajectory(answer, state0, state_names, hyper, steps, name, returns,
                                                         params)
        warned = _t(" (numpy warned: {warnings})", warnings="; ".join(notes)) if notes else ""
        precision = _t(" (to float32 precision, as your answer is float32)") if eps > np.finfo(float).eps else ""
        # a usual mistake, seen later (for a float32 answer, told apart from the float64 mistakes 16 times looser)
        loose = eps if eps <= np.finfo(float).eps else 16 * eps
        known = next((t for thetas_v, t in variants if close(thetas, thetas_v, loose, equal_nan=True)), None)
        for k in range(1, steps + 1):
            got, want = thetas[k - 1], expected[k - 1]
            if np.all(np.isfinite(got)) and close(got, want, eps):
                pass
            else:
                before = _t(" (θ(1) .. θ({k}) were right)", k=k - 1) if k > 2 else (
                    _t(" (θ(1) was right)") if k == 2 else "")
                text = known
                if text is None and k > 1:
                    text = _t("Your first step is right and step {k} is not: what you return besides θ is the "
                              "input of the next step. Return {names} as they are after this step.",
                              k=k, names=", ".join(state_names))
                if text is None and close(got, -want, eps):
                    text = _t("Your values have the wrong sign: look for a sign error.")
                if (text is None and eps < float32_eps and np.all(np.isfinite(got))
                        and all(close(thetas[j], expected[j], float32_eps) for j in range(steps))):
                    text = _t("Your θ agrees with the right one to float32 precision (about 7 digits) only, and this "
                              "check expects float64 (about 16): compute in float64 throughout (no np.float32 or "
                              "dtype=np.float32 on the way), or return float32 arrays to be checked to float32 "
                              "precision.")
                want_text, got_text = _apart(want, got)
                return _wrong(f"θ({k}) = {want_text}", f"θ({k}) = {got_text}{before}",
                              (text or _t("Write the update one line per equation, as above, and compare "
                                          "term by term.")) + warned)
            for n, got_s, want_s in zip(state_names, states[k - 1], expected_states[k - 1]):
                got_s, want_s = np.asarray(got_s, dtype=float), np.asarray(want_s, dtype=float)
                if not (np.all(np.isfinite(got_s)) and close(got_s, want_s, eps, state=True)):
                    want_text, got_text = _apart(want_s, got_s)
                    return _wrong(_t("{n} after step {k}: {value}", n=n, k=k, value=want_text),
                                  _t("{value} (θ({k}) is right)", value=got_text, k=k),
                                  (known or state_hint(n, k, got_s, want_s)) + warned)
        note = _t(" Note: numpy warned: {warnings}.", warnings="; ".join(notes)) if notes else ""
        return _correct(_t("{name} matches {reference} for {steps} steps{precision}: θ and "
                           "{names} after every step.{note}", name=name, reference=reference_name, steps=steps,
                           precision=precision, names=", ".join(state_names), note=note))

    return _run(run, name)


def _momentum_right(theta, grad, Delta, rho, nu):
    Delta = -rho * grad + nu * Delta            # Δθ(k) = −ρ ∇q + ν Δθ(k−1)
    return theta + Delta, Delta                 # θ(k) = θ(k−1) + Δθ(k)


def _momentum_mistakes():
    """(rule, hint) for the usual mistakes in a momentum step, the hints in the language of the messages."""
    return (
        (lambda th, g, D, rho, nu: (th + (rho * g + nu * D), rho * g + nu * D),
         _t("Mind the sign of ρ ∇q: the step goes downhill, Δθ(k) = −ρ ∇q + ν Δθ(k−1).")),
        (lambda th, g, D, rho, nu: (th + (-rho * g + nu * th), -rho * g + nu * th),
         _t("ν multiplies the previous increment Δθ(k−1) (the argument Delta_prev), not the weights θ.")),
        (lambda th, g, D, rho, nu: (th - rho * g + nu * D, D),
         _t("Δθ(k) is not stored: return the new increment Δθ(k), which the next step needs as Delta_prev "
            "(returning Delta_prev keeps it 0: that is plain gradient descent).")),
        (lambda th, g, D, rho, nu: (th - rho * g + nu * D, -rho * g),
         _t("Δθ(k) is not stored whole: return all of Δθ(k) = −ρ ∇q + ν Δθ(k−1), not only its gradient term "
            "−ρ ∇q.")),
        (lambda th, g, D, rho, nu: (th + D, -rho * g + nu * D),
         _t("θ(k) = θ(k−1) + Δθ(k): add the new increment, computed first, not the previous one Δθ(k−1).")),
        (lambda th, g, D, rho, nu: (-rho * g + nu * D, th - rho * g + nu * D),
         _t("Return (theta_new, Delta) in this order: the new weights first, then the increment.")),
        (lambda th, g, D, rho, nu: (th - rho * (g + nu * D), -rho * (g + nu * D)),
         _t("ρ multiplies only the gradient: Δθ(k) = −ρ ∇q + ν Δθ(k−1), with ν Δθ(k−1) added as it is.")),
    )


_MOMENTUM_MISTAKES = _Table(_momentum_mistakes)


def check_momentum_step(answer, rho=0.1, nu=0.9, steps=6, name="momentum_step", rtol=1e-9, atol=1e-12):
    r"""Check one step of BackProp with momentum in the slides' form, ``answer(theta, grad, Delta_prev, rho, nu)``.

    .. math:: \Delta\theta(k) &= -\rho\, \nabla q + \nu\, \Delta\theta(k-1), \qquad
              \Delta\theta(0) = 0, \\
              \theta(k) &= \theta(k-1) + \Delta\theta(k)

    The student's function must return ``(theta_new, Delta)``. It is run for `steps` steps on a
    quadratic :math:`q(\theta) = \frac12 \sum_{ij} a_{ij} (\theta_{ij} - c_{ij})^2` (θ of shape 2 × 3),
    with the Δθ it returns passed back as ``Delta_prev``; θ after every step must match
    ``nnlib.optim.Momentum(rho, nu)``, and Δθ(k) must be the increment θ(k) − θ(k−1). The message
    names the step that is first wrong and the usual mistakes: the sign of ρ∇q, ν applied to θ
    instead of Δθ, Δθ(k) not stored (or only its gradient term), θ moved by Δθ(k−1), ρ applied to
    ν Δθ, the velocity v of the other common form returned instead of Δθ.

    Parameters
    ----------
    answer : callable
        The student's ``momentum_step(theta, grad, Delta_prev, rho, nu)``.
    rho : float
        Learning rate ρ > 0.
    nu : float
        Momentum weight, 0 <= ν < 1.
    steps : int
        Number of steps run and compared, at least 2.
    name : str
        The name in the messages and in :func:`~nnlib.check.summary`.
    rtol, atol : float
        Tolerances for θ(k) and Δθ(k) after every step, against ``nnlib.optim.Momentum``.

    Returns
    -------
    bool
    """
    rho = _check_rate(rho, "rho")
    nu = _check_rate(nu, "nu", 0.0, 1.0, closed_low=True)
    reference = _optim_trajectory(optim.Momentum(rho, nu=nu), steps if isinstance(steps, int) else 2)

    def state_hint(n, k, got, want):
        if np.allclose(got, -want / rho, rtol=rtol, atol=atol):
            return _t("Your θ is right, and you return the velocity v(k) = ν v(k−1) + ∇q of the other common form "
                      "(θ −= ρ v). The slides' form returns the increment itself, Δθ(k) = θ(k) − θ(k−1) = −ρ v(k).")
        return _t("Return the increment of this step, Δθ(k) = θ(k) − θ(k−1), as Delta.")

    return _check_rule(answer, _momentum_right, reference, f"nnlib.optim.Momentum(rho={rho:g}, nu={nu:g})",
                       (np.zeros_like(_RULE_THETA0),), ("Δθ",), (rho, nu), _momentum_mistakes(), steps, name,
                       "(theta_new, Delta)", state_hint, rtol, atol, ("theta", "grad", "Delta_prev", "rho", "nu"))


def _adam_right(theta, g, m, v, t, rho, beta1, beta2, eps):
    t = t + 1                                   # t ← t + 1 (t = 0 before the first step)
    m = beta1 * m + (1 - beta1) * g             # m_t = β1 m_{t−1} + (1 − β1) g_t
    v = beta2 * v + (1 - beta2) * g ** 2        # v_t = β2 v_{t−1} + (1 − β2) g_t²
    m_hat = m / (1 - beta1 ** t)                # m̂_t = m_t / (1 − β1^t)
    v_hat = v / (1 - beta2 ** t)                # v̂_t = v_t / (1 − β2^t)
    return theta - rho * m_hat / (np.sqrt(v_hat) + eps), m, v, t   # θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε)


def _adam_variant(mistake):
    """Adam with one usual mistake."""
    def rule(theta, g, m, v, t, rho, beta1, beta2, eps):
        t_new = t + 1
        t_bias = t if mistake == "t0" else t_new
        b_m, b_v = (beta2, beta1) if mistake == "swapped" else (beta1, beta2)
        m = b_m * m + (1 - b_m) * g
        v = b_v * v + (1 - b_v) * g ** 2
        m_hat = m if mistake in ("no_bias", "no_bias_m") else m / (1 - b_m ** t_bias)
        v_hat = v if mistake in ("no_bias", "no_bias_v") else v / (1 - b_v ** t_bias)
        if mistake == "eps_inside":
            step = rho * m_hat / np.sqrt(v_hat + eps)
        elif mistake == "no_sqrt":
            step = rho * m_hat / (v_hat + eps)
        elif mistake == "efficient":
            step = rho * np.sqrt(1 - beta2 ** t_new) / (1 - beta1 ** t_new) * m / (np.sqrt(v) + eps)
        else:
            step = rho * m_hat / (np.sqrt(v_hat) + eps)
        theta = theta + step if mistake == "sign" else theta - step
        return theta, m, v, (t if mistake == "t_kept" else t_new)
    return rule


def _adam_mistakes():
    """(rule, hint) for the usual mistakes in an Adam step, the hints in the language of the messages."""
    return (
        (_adam_variant("no_bias"), _t("The bias correction is missing: m and v start at 0, so early on they are too "
                                      "small by the factors 1 − β1^t and 1 − β2^t. Divide by them: "
                                      "m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).")),
        (_adam_variant("no_bias_m"), _t("The bias correction is missing: m and v start at 0, so early on they are too "
                                        "small by the factors 1 − β1^t and 1 − β2^t. Divide by them: "
                                        "m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). (You corrected v only.)")),
        (_adam_variant("no_bias_v"), _t("The bias correction is missing: m and v start at 0, so early on they are too "
                                        "small by the factors 1 − β1^t and 1 − β2^t. Divide by them: "
                                        "m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). (You corrected m only.)")),
        (_adam_variant("t0"), _t("NaN at the first step: the bias correction divided by 1 − β^0 = 0. t counts the "
                                 "steps from 1: increase t (t = t + 1) first, then correct with β1^t and β2^t.")),
        (_adam_variant("t_kept"), _t("Return the new step count t + 1: the next step's bias correction needs it.")),
        (_adam_variant("eps_inside"), _t("ε goes outside the square root: √v̂ + ε, not √(v̂ + ε). It only "
                                         "matters where the gradients are tiny, as in one entry here.")),
        (_adam_variant("swapped"), _t("β1 and β2 are swapped: β1 (0.9) averages the gradient g in m, β2 (0.999) "
                                      "averages its square g² in v.")),
        (_adam_variant("sign"), _t("Mind the sign: Adam steps downhill, θ − ρ m̂ / (√v̂ + ε).")),
        (_adam_variant("no_sqrt"), _t("Divide by the square root of v̂ (an average of g²), √v̂ + ε, so that the "
                                      "step does not depend on the scale of the gradient.")),
        (_adam_variant("efficient"), _t("That is the paper's faster ordering (α_t = α √(1 − β2^t) / (1 − β1^t), "
                                        "then α_t m / (√v + ε)), which moves ε. Write Algorithm 1 as it is: "
                                        "θ − ρ m̂ / (√v̂ + ε), as nnlib does.")),
    )


_ADAM_MISTAKES = _Table(_adam_mistakes)


def check_adam_step(answer, rho=0.01, beta1=0.9, beta2=0.999, eps=1e-8, steps=6, name="adam_step",
                    rtol=1e-12, atol=1e-12):
    r"""Check one Adam step (Kingma & Ba 2015, Algorithm 1), ``answer(theta, grad, m, v, t, rho, beta1, beta2, eps)``.

    .. math:: t &\leftarrow t + 1, \\
              m &\leftarrow \beta_1 m + (1 - \beta_1) g, \quad
              v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \\
              \hat m &= \frac{m}{1 - \beta_1^t}, \quad \hat v = \frac{v}{1 - \beta_2^t}, \\
              \theta &\leftarrow \theta - \rho\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}

    The student's function gets the state after t steps (m = v = 0 and t = 0 before the first) and
    must return ``(theta_new, m, v, t)``. It is run for `steps` steps on a quadratic whose gradients
    range from about 1e-4 to 10, with the state it returns passed back; θ after every step must match
    ``nnlib.optim.Adam`` to `rtol` and `atol` (1e-12), and m, v, t must match the algorithm. An answer
    that returns float32 arrays is compared to float32 precision instead (θ to 16 units in the last
    place of float32, m and v to √eps: 1 − β2 computed in float32 loses three digits). The
    message names the first wrong step and the usual mistakes: a bias correction missing, t starting
    at 0 in it (a division by zero), ε inside the square root, β1 and β2 swapped, the sign, the square
    root missing, the paper's faster ordering that moves ε, t not returned.

    Parameters
    ----------
    answer : callable
        The student's ``adam_step(theta, grad, m, v, t, rho, beta1, beta2, eps)``.
    rho : float
        Step size ρ (the paper's α) > 0.
    beta1, beta2 : float
        Decay rates in [0, 1).
    eps : float
        ε > 0.
    steps : int
        Number of Adam steps run and compared, at least 2.
    name : str
        The name of this check in its messages and in :func:`~nnlib.check.summary`.
    rtol, atol : float
        Tolerances for θ, m and v after every step (float64 answers; float32 ones get float32's).

    Returns
    -------
    bool
    """
    rho = _check_rate(rho, "rho")
    beta1 = _check_rate(beta1, "beta1", 0.0, 1.0, closed_low=True)
    beta2 = _check_rate(beta2, "beta2", 0.0, 1.0, closed_low=True)
    eps = _check_rate(eps, "eps")
    reference = _optim_trajectory(optim.Adam(rho=rho, beta1=beta1, beta2=beta2, eps=eps),
                                  steps if isinstance(steps, int) else 2)

    def state_hint(n, k, got, want):
        if n == "t":
            return _t("t counts the steps taken: after step {k} it is {k}. Return t + 1.", k=k)
        other = {"m": "v", "v": "m"}[n]
        return _t("Return {n} itself, the running average before the bias correction (not {n}̂): the next step "
                  "starts from it. Check {n} and {other} are returned in the order (theta_new, m, v, t).",
                  n=n, other=other)

    return _check_rule(answer, _adam_right, reference,
                       f"nnlib.optim.Adam(rho={rho:g}, beta1={beta1:g}, beta2={beta2:g}, eps={eps:g})",
                       (np.zeros_like(_RULE_THETA0), np.zeros_like(_RULE_THETA0), 0), ("m", "v", "t"),
                       (rho, beta1, beta2, eps), _adam_mistakes(), steps, name, "(theta_new, m, v, t)", state_hint,
                       rtol, atol, ("theta", "grad", "m", "v", "t", "rho", "beta1", "beta2", "eps"))
