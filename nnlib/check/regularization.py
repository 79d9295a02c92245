r"""Checks of the regularization exercises (16-18): inverted dropout, clipping by the global norm, L1.

Each check runs the student's function on fixed arrays, compares with :mod:`nnlib.layers.regularization`, and names
the usual mistakes by running them too: for dropout, a missing :math:`1/(1-p)`, the keep probability used as
the drop rate, a backward pass without the mask; for clipping, one norm per array, clipping a gradient whose
norm is already below c, no scaling at all; for L1, a sign error, λ instead of the slide's λ/2, penalized
thresholds, :math:`\operatorname{sgn}(0) \ne 0`.

Imported into :mod:`nnlib.check` (notebooks call ``check.check_inverted_dropout(...)``) and recorded by
:func:`~nnlib.check.summary` like every other check.
"""

import numpy as np

from ..layers.dense import Dense
from ..layers.regularization import L1, clip_by_norm
from ._feedback import (_as_array, _call_shaped, _check_rate, _compare_arrays, _correct, _fmt, _kind, _run, _Stop, _t,
                        _type_hint, _wrong)

__all__ = ["check_inverted_dropout", "check_clip_by_norm", "check_l1_subgradient", "check_l1_step"]


def _array_or_stop(value, name, shape):
    """The student's `value` as a float array of `shape`, or a message and _Stop."""
    found = _type_hint(value, _t("an array of shape {shape} for {name}", shape=shape, name=name))
    if found:
        raise _Stop(_wrong(_t("{name}: an array of shape {shape}", name=name, shape=shape), *found))
    arr = _as_array(value, name)
    if arr.shape != tuple(shape):
        raise _Stop(_wrong(_t("{name}: an array of shape {shape}", name=name, shape=tuple(shape)),
                           _t("an array of shape {shape}", shape=arr.shape),
                           _t("{name} has one entry per entry of the input: keep its shape (work elementwise).",
                              name=name)))
    return arr


def _compare_or_stop(got, expected, name, pairs, hint, rtol=1e-9, atol=1e-12):
    """Continue if `got` matches `expected`; else print the message (naming a matching mistake) and stop."""
    if got.shape == expected.shape and np.all(np.isfinite(got)) and np.allclose(got, expected, rtol=rtol, atol=atol):
        return
    raise _Stop(_compare_arrays(got, expected, name, pairs, hint, rtol, atol))


# ------------------------------------------------------------------------------------------------ 16 dropout

def check_inverted_dropout(forward, backward, p=0.2, seed=0, name=None):
    r"""Check inverted dropout: ``forward(x, p, rng) -> (y, mask)`` and ``backward(grad_y, mask, p) -> grad_x``.

    .. math:: m_k &\sim \text{Bernoulli}(1-p), \quad y = x \odot m / (1-p), \\
              \partial q/\partial x &= m \odot \partial q/\partial y \,/\, (1-p)

    `p` is the probability of **dropping** an entry. The forward pass runs on a 200 × 500 batch with
    ``rng = np.random.default_rng(seed)``; the mask it returns (True or 1 = kept) must drop a fraction
    p ± 0.01 of the entries, and y and the backward pass (given that mask) must match the formulas. The
    message names: the keep probability used as the drop rate, a missing or inverted factor 1/(1−p),
    a mask returned already scaled, a backward pass without the mask or without the factor.

    Parameters
    ----------
    forward, backward : callable
        The student's functions.
    p : float
        Drop probability in (0, 1), not 0.5 (so that the drop and keep rates differ).
    seed : int
    name : str, optional
        The name in the messages (default: "inverted dropout", in the language of the messages).

    Returns
    -------
    bool
    """
    p = _check_rate(p, "p", 0.0, 1.0)
    if abs(p - 0.5) < 0.05:
        raise ValueError(f"p must differ from 0.5 so the drop and keep rates can be told apart; got {p}")
    data = np.random.default_rng(12345)
    x = data.normal(size=(200, 500))
    grad_y = data.normal(size=x.shape)
    name = _t("inverted dropout") if name is None else name

    def run():
        rng = np.random.default_rng(seed)
        x_given = x.copy()
        out = _call_shaped(forward, (x_given, p, rng), "dropout_forward", _t("a tuple (y, mask)"),
                           params=("x", "p", "rng"))
        found = _type_hint(out, _t("a tuple (y, mask)"))
        if found:
            return _wrong(_t("a tuple (y, mask)"), *found)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            return _wrong(_t("a tuple (y, mask)"), _kind(out),
                          _t("Return both: `return y, mask`. backward needs the mask of this forward pass."))
        y = _array_or_stop(out[0], "y", x.shape)
        mask = _array_or_stop(out[1], "mask", x.shape)
        if not np.array_equal(x_given, x):
            return _wrong(_t("x unchanged"), _t("x changed by your function"),
                          _t("Compute a new array (y = x * mask / (1 - p)); do not change x in place (x *= ...)."))
        values = np.unique(mask)
        if not np.all(np.isin(values, (0.0, 1.0))):
            scaled = np.all(np.isclose(values[:, None], (0.0, 1.0 / (1 - p))).any(axis=1))
            return _wrong(_t("a mask of 0/1 (or False/True) entries, 1 = kept"),
                          _t("mask values {values}{more}", values=", ".join(_fmt(v) for v in values[:4]),
                             more=" ..." if values.size > 4 else ""),
                          _t("Return the 0/1 mask itself and apply the factor 1/(1 − p) to y only.") if scaled else
                          _t("The mask says, for every entry, whether it is kept (1) or dropped (0): compare "
                             "uniform random numbers with p, e.g. mask = rng.random(x.shape) >= p."))
        dropped = 1.0 - float(mask.mean())
        if abs(dropped - p) > 0.01:
            if abs(dropped - (1 - p)) <= 0.01:
                hint = _t("Your mask drops {dropped} of the entries, that is 1 − p: p is the probability of "
                          "DROPPING a unit, so an entry is kept with probability 1 − p = {keep}.",
                          dropped=_fmt(dropped), keep=_fmt(1 - p))
            else:
                hint = _t("Drop each entry independently with probability p: mask = rng.random(x.shape) >= p.")
            return _wrong(_t("a fraction p = {p} of the entries dropped (mask = 0)", p=_fmt(p)),
                          _t("a fraction {dropped} dropped", dropped=_fmt(dropped)), hint)
        keep = 1.0 - p
        _compare_or_stop(y, x * mask / keep, "y", [
            (x * mask, _t("The kept entries are not scaled: inverted dropout divides by the keep probability 1 − p, "
                          "y = x ⊙ m / (1 − p), so that E[y] = x and nothing changes at test time.")),
            (x * mask * keep, _t("You multiply by 1 − p: inverted dropout DIVIDES by it, y = x ⊙ m / (1 − p) "
                                 "(multiplying by 1 − p is the test-time rule of the original, non-inverted "
                                 "dropout).")),
            (x * mask / p, _t("Divide by the keep probability 1 − p, not by the drop probability p.")),
            (x * (1 - mask) / keep, _t("Your y keeps the entries your mask marks as dropped: mask = 1 means kept.")),
        ], _t("y = x ⊙ m / (1 − p), entry by entry."))
        got = _call_shaped(backward, (grad_y.copy(), mask.copy(), p), "dropout_backward",
                           _t("an array ∂q/∂x of the shape of grad_y"), params=("grad_y", "mask", "p"))
        grad_x = _array_or_stop(got, "grad_x", x.shape)
        _compare_or_stop(grad_x, grad_y * mask / keep, "grad_x", [
            (grad_y / keep, _t("Your backward pass does not use the mask: a dropped entry did not reach y, so its "
                               "gradient is 0. ∂q/∂x = m ⊙ ∂q/∂y / (1 − p), with the mask of the forward pass.")),
            (grad_y, _t("The backward pass is not the identity: ∂y/∂x = m/(1 − p), so ∂q/∂x = m ⊙ ∂q/∂y / (1 − p).")),
            (grad_y * mask, _t("The factor 1/(1 − p) of the forward pass belongs in the backward pass too: "
                               "∂q/∂x = m ⊙ ∂q/∂y / (1 − p).")),
            (grad_y * mask * keep, _t("Divide by 1 − p in the backward pass, as in the forward pass.")),
        ], _t("∂q/∂x = m ⊙ ∂q/∂y / (1 − p): y is linear in x, with the same factor."))
        return _correct(_t("{name}: the mask drops {dropped} of the entries (p = {p}), y = x ⊙ m / (1 − p) and "
                           "∂q/∂x = m ⊙ ∂q/∂y / (1 − p), as nnlib.layers.regularization.Dropout.",
                           name=name, dropped=_fmt(dropped), p=_fmt(p)))

    return _run(run, name)


# ----------------------------------------------------------------------------------------- 17 clip by norm

def _clip_cases(c):
    """Gradient lists (several arrays each): one with a global norm above c, one below."""
    big = [np.array([[3.0, -1.0, 0.5], [2.0, 0.0, -4.0]]), np.array([6.0, -2.0]), np.array([[0.25], [-0.5]])]
    small = [0.2 * c / np.sqrt(sum(float(np.vdot(g, g)) for g in big)) * g for g in big]
    return [("‖g‖ > c", big), ("‖g‖ < c", small)]


def _clip_variants(grads, c):
    """(clipped arrays, hint) for the usual mistakes."""
    norm = np.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    norms = [float(np.linalg.norm(g)) for g in grads]
    out = [
        ([g * c / n if n > c else g for g, n in zip(grads, norms)],
         _t("You clip each array by its own norm: use ONE norm over all arrays together, "
            "‖g‖ = sqrt(Σ over every array of Σ g²), and scale every array by the same factor c/‖g‖, so that the "
            "whole gradient keeps its direction.")),
        ([g * c / n for g, n in zip(grads, norms)],
         _t("You rescale each array to norm c by its own norm: use one norm over all arrays together, and only "
            "when it exceeds c.")),
        ([g * c / norm for g in grads],
         _t("You rescale to norm c even when ‖g‖ < c. Clipping leaves a gradient whose norm is at most c "
            "unchanged: scale only if ‖g‖ > c (the slide's wording, \"normalize so that the norm equals a value\", "
            "reads as always rescaling; the usual rule, and nnlib's, clips only large gradients).")),
        ([g * norm / c if norm > c else g for g in grads],
         _t("The factor is c/‖g‖ (< 1 when ‖g‖ > c), not ‖g‖/c.")),
        ([g / norm if norm > c else g for g in grads],
         _t("g/‖g‖ has norm 1: multiply by c too, g ← c g / ‖g‖.")),
        ([np.clip(g, -c, c) for g in grads],
         _t("That is clipping by value (each entry into [−c, c]), which changes the direction; clip by norm "
            "scales the whole gradient: g ← c g / ‖g‖ when ‖g‖ > c.")),
        ([g.copy() for g in grads],
         _t("Your gradient is unchanged though its norm exceeds c: scale it, g ← c g / ‖g‖.")),
    ]
    return out


def check_clip_by_norm(answer, c=2.0, name="clip_by_global_norm"):
    r"""Check ``answer(grads, c) -> list of arrays``, clipping by the global norm.

    .. math:: \|g\| &= \sqrt{\textstyle\sum_{\text{arrays}} \sum g^2}, \\
              g &\leftarrow c\, g / \|g\| \text{ if } \|g\| > c \text{ (every array by the same factor)}

    Two cases, each a list of three arrays of different shapes: one with :math:`\|g\| > c` and one with
    :math:`\|g\| < c` (which must come back unchanged). The answer may return new arrays or change the
    given ones in place and return them. Compared with :func:`nnlib.layers.regularization.clip_by_norm`; the
    message names per-array norms, clipping when :math:`\|g\| < c`, no scaling, a wrong factor, clipping by
    value instead.
    """
    c = _check_rate(c, "c")
    if abs(c - 1.0) < 1e-9:
        raise ValueError("c must differ from 1 so that a missing factor c shows; got 1")
    cases = _clip_cases(c)

    def run():
        for label, grads in cases:
            expected = [g.copy() for g in grads]
            clip_by_norm(expected, c)
            given = [g.copy() for g in grads]
            out = _call_shaped(answer, (given, c), name, _t("a list of arrays, the clipped gradient"),
                               params=("grads", "c"))
            found = _type_hint(out, _t("a list of arrays"))
            if found:
                return _wrong(_t("a list of arrays, the clipped gradient"), *found)
            if isinstance(out, np.ndarray) or not isinstance(out, (list, tuple)) or len(out) != len(grads):
                got = _t("a list of {n} items", n=len(out)) if isinstance(out, (list, tuple)) else _kind(out)
                return _wrong(_t("a list of {n} arrays (one per array of grads)", n=len(grads)), got,
                              _t("Return a list with one clipped array per array of grads, in the same order."))
            variants = _clip_variants(grads, c)
            for i, (got_i, want_i) in enumerate(zip(out, expected)):
                arr = _array_or_stop(got_i, f"grads[{i}]", want_i.shape)
                pairs = []
                for arrays, text in variants:
                    if not all(np.allclose(a, b) for a, b in zip(arrays, expected)):
                        pairs.append((arrays[i], _t("(case {label}) {hint}", label=label, hint=text)))
                _compare_or_stop(arr, want_i, _t("clipped grads[{i}] (case {label})", i=i, label=label), pairs,
                                 _t("Compute ‖g‖ over all arrays, then multiply every array by c/‖g‖ if ‖g‖ > c."))
        norm = np.sqrt(sum(float(np.vdot(g, g)) for g in cases[0][1]))
        return _correct(_t("{name}: ‖g‖ = {norm} > c = {c} scaled to norm c, direction kept, and a "
                           "gradient with ‖g‖ < c left unchanged, as nnlib.layers.regularization.clip_by_norm.",
                           name=name, norm=_fmt(norm), c=_fmt(c)))

    return _run(run, name)


# ------------------------------------------------------------------------------------------------------ 18 L1

_L1_THETA = np.array([[0.3, 1.0, -2.0, 0.0],
                      [-0.5, 0.0, 0.4, -0.1]])                 # column 0: thresholds θ_i0
_L1_GRAD = np.array([[0.05, -0.2, 0.1, 0.3],
                     [0.1, 0.02, -0.4, 0.05]])


def _l1_reference(theta, lam):
    """(λ/2) sgn(θ) on the weights, 0 on the thresholds, from nnlib.layers.regularization.L1 on a Dense layer."""
    layer = Dense(theta.shape[1] - 1, theta.shape[0])
    layer.params["theta"][:] = theta
    layer.grads["theta"][:] = 0.0
    L1(lam).apply([layer])
    return layer.grads["theta"].copy()


def _weights_only(a):
    a = np.array(a, dtype=float)
    a[:, 0] = 0.0
    return a


def _l1_mistakes(theta, lam, step=False):
    """(wrong subgradient, hint) pairs; `step`: the hints speak of the update, not of the subgradient."""
    sgn = np.sign(theta)
    thresholds = (_t("The thresholds θ_i0 (column 0) are not penalized: they move by −ρ ∂q_S/∂θ_i0 only.")
                  if step else _t("The thresholds θ_i0 (column 0) are not penalized: leave their entries at 0."))
    return [
        (_weights_only(-lam / 2 * sgn), _t("Mind the sign: |θ| grows with θ for θ > 0, so its derivative is +1 "
                                           "there; the subgradient is +(λ/2) sgn(θ).")),
        (_weights_only(lam * sgn), _t("With the slide's penalty (λ/2) Σ |θ| the derivative is (λ/2) sgn(θ): the 1/2 "
                                      "does not cancel as in L2 (there is no square to bring down a 2). λ sgn(θ) "
                                      "is the gradient of λ Σ |θ|, the form most libraries use.")),
        (lam / 2 * sgn, thresholds),
        (lam * sgn, _t("{thresholds} And the factor is λ/2 (the slide's form), not λ.", thresholds=thresholds)),
        (_weights_only(lam / 2 * np.where(theta >= 0, 1.0, -1.0)),
         _t("At θ = 0, |θ| has no derivative; the subgradient used is 0 (np.sign(0) = 0), so a zero weight "
            "stays put instead of being pushed to ±ρλ/2.")),
        (_weights_only(lam * theta), _t("λθ is the gradient of the L2 penalty (λ/2) Σ θ²; for |θ| it is sgn(θ).")),
        (_weights_only(lam / 2 * theta), _t("(λ/2) θ is not the derivative of (λ/2)|θ|: that is (λ/2) sgn(θ).")),
        (lambda a: bool(np.isnan(a).any()), _t("θ/|θ| is 0/0 = NaN at θ = 0: use np.sign, which gives sgn(0) = 0.")),
    ]


def check_l1_subgradient(answer, lam=0.2, name="l1_subgradient"):
    r"""Check ``answer(theta, lam)``: the subgradient of the slide's L1 term :math:`\frac{\lambda}{2}\sum|\theta_{ij}|`.

    .. math:: \frac{\partial}{\partial \theta_{ij}} \frac{\lambda}{2}\sum|\theta_{ij}|
              &= \frac{\lambda}{2}\operatorname{sgn}(\theta_{ij}) \;(j \ge 1), \\
              &= 0 \text{ at } \theta_{ij} = 0 \text{ and for the thresholds } \theta_{i0}

    `theta` is a 2 × 4 array in the slides' homogeneous form (column 0 the thresholds) with two zero
    weights. Compared with :class:`nnlib.layers.regularization.L1`; the message names a sign error, λ instead of
    λ/2, penalized thresholds, sgn(0) ≠ 0, the L2 gradient, NaN from dividing θ by its absolute value.
    """
    lam = _check_rate(lam, "lam")
    expected = _l1_reference(_L1_THETA, lam)

    def run():
        given = _L1_THETA.copy()
        out = _call_shaped(answer, (given, lam), name, _t("an array of shape {shape}", shape=expected.shape),
                           params=("theta", "lam"))
        got = _array_or_stop(out, _t("the subgradient"), expected.shape)
        if not np.array_equal(given, _L1_THETA):
            return _wrong(_t("theta unchanged"), _t("theta changed by your function"),
                          _t("Return a new array; the subgradient must not change the weights."))
        _compare_or_stop(got, expected, _t("the subgradient"), _l1_mistakes(_L1_THETA, lam),
                         _t("(λ/2) sgn(θ_ij) on the weights (columns 1..), 0 on the thresholds (column 0)."))
        return _correct(_t("{name} = (λ/2) sgn(θ) on the weights, 0 at θ = 0 and on the thresholds, as "
                           "nnlib.layers.regularization.L1(lam={lam}).", name=name, lam=_fmt(lam)))

    return _run(run, name)


def check_l1_step(answer, rho=0.3, lam=0.2, name="l1_step"):
    r"""Check ``answer(theta, grad, rho, lam)``: one step of gradient descent on :math:`q_S + \frac{\lambda}{2}\sum|\theta|`.

    .. math:: \theta \leftarrow \theta - \rho\left(\nabla q_S + \tfrac{\lambda}{2}\operatorname{sgn}(\theta)\right)
              \quad \text{(weights; thresholds: } \theta_{i0} \leftarrow \theta_{i0} - \rho\, \partial q_S/\partial\theta_{i0})

    Compared with ``nnlib.optim.SGD(rho)`` after ``nnlib.layers.regularization.L1(lam).apply``; the message names a
    step uphill, ρ missing on the penalty, λ instead of λ/2, penalized thresholds, sgn(0) ≠ 0, weight decay (L2).
    """
    rho = _check_rate(rho, "rho")
    lam = _check_rate(lam, "lam")
    sub = _l1_reference(_L1_THETA, lam)
    expected = _L1_THETA - rho * (_L1_GRAD + sub)
    theta, grad = _L1_THETA, _L1_GRAD
    pairs = [(theta - rho * (grad + wrong), text) for wrong, text in _l1_mistakes(theta, lam, step=True)
             if not callable(wrong)]
    pairs += [
        (theta + rho * (grad + sub), _t("The step goes downhill: θ ← θ − ρ (∇q_S + (λ/2) sgn θ).")),
        (theta - rho * grad - sub, _t("ρ multiplies the penalty's gradient too: θ ← θ − ρ (∇q_S + (λ/2) sgn θ).")),
        (theta - rho * grad, _t("The penalty is missing: add its subgradient (λ/2) sgn(θ) to ∇q_S on the weights.")),
        (theta - rho * (grad + _weights_only(lam * theta)), _t("That is weight decay (L2): for L1 add (λ/2) sgn(θ).")),
        (lambda a: bool(np.isnan(a).any()), _t("θ/|θ| is 0/0 = NaN at θ = 0: use np.sign, which gives sgn(0) = 0.")),
    ]

    def run():
        given_theta, given_grad = theta.copy(), grad.copy()
        out = _call_shaped(answer, (given_theta, given_grad, rho, lam), name,
                           _t("an array of shape {shape}", shape=theta.shape),
                           params=("theta", "grad", "rho", "lam"))
        got = _array_or_stop(out, _t("θ after the step"), theta.shape)
        _compare_or_stop(got, expected, _t("θ after the step"), pairs,
                         _t("θ ← θ − ρ (∇q_S + (λ/2) sgn θ) on the weights, θ_i0 ← θ_i0 − ρ ∂q_S/∂θ_i0."))
        return _correct(_t("{name}: θ − ρ (∇q_S + (λ/2) sgn θ), thresholds unpenalized, as nnlib's SGD(rho={rho}) "
                           "with L1(lam={lam}).", name=name, rho=_fmt(rho), lam=_fmt(lam)))

    return _run(run, name)
