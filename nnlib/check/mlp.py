r"""Checks of the multilayer-perceptron exercises (3-6): one layer, a classifier, the collapse of linear layers.

- :func:`~nnlib.check.mlp.check_layer` — one layer's output :math:`s = g(\theta\,[1, s'])`, naming the usual
  mistakes (no threshold, no g or g twice, θ instead of θᵀ).
- :func:`~nnlib.check.mlp.check_classifier` — a network puts every point on its target's side (±1).
- :func:`~nnlib.check.mlp.check_collapse` — the single matrix Θ of a two-layer network with linear activations.

The arrays of these exercises (a weight matrix Θ, a layer's output s) and the count of parameters D are
checked by :func:`~nnlib.check.answers.check_array` and :func:`~nnlib.check.answers.check_function`.
"""

import numpy as np

from ._feedback import _as_array, _call_shaped, _compare_arrays, _correct, _fmt_exact, _run, _t, _wrong

__all__ = ["check_layer", "check_classifier", "check_collapse"]


def check_layer(answer, theta, s_prev, g, name="s", hint=None, rtol=1e-6, atol=1e-9):
    r"""Check one layer of a multilayer perceptron: :math:`s_i = g\left(\sum_{j=0}^{M'} \theta_{ij} s'_j\right)`.

    Homogeneous coordinates as on the slides: :math:`s'_0 = 1`, so column 0 of `theta` holds the
    thresholds :math:`\theta_{i0}`. The message recognises the usual mistakes: the
    pre-activation φ without g, g applied twice, g' instead of g, a missing threshold, a
    threshold with the wrong sign or read from the last column, and θ instead of θᵀ (when the
    weight block is square).

    Parameters
    ----------
    answer : callable or array_like
        The student's function, called as ``answer(s_prev)`` (on a copy), or the layer's output.
    theta : array_like, shape (M, M' + 1)
        The layer's weights, thresholds in column 0.
    s_prev : array_like, shape (M',) or (N, M')
        The previous layer's output (the input x for layer 1); rows are samples.
    g : nnlib.activations.Activation or callable
        The layer's activation function.
    name : str
        How the message calls the output, e.g. ``"s^1"``.

    Returns
    -------
    bool
        True if the answer equals g(φ) with φ_i = θ_i0 + Σ_j θ_ij s'_j.
    """
    theta = np.asarray(theta, dtype=float)
    s_prev = np.asarray(s_prev, dtype=float)
    if theta.ndim != 2 or theta.shape[1] < 2:
        raise ValueError(f"theta must have shape (M, M' + 1) with M' >= 1; got shape {theta.shape}")
    if s_prev.ndim not in (1, 2) or s_prev.shape[-1] != theta.shape[1] - 1:
        raise ValueError(f"s_prev must have shape ({theta.shape[1] - 1},) or (N, {theta.shape[1] - 1}) "
                         f"to match theta of shape {theta.shape}; got shape {s_prev.shape}")
    if not callable(g):
        raise TypeError(f"g must be an activation (callable); got {type(g).__name__}")
    weights, thresholds = theta[:, 1:], theta[:, 0]
    phi = s_prev @ weights.T + thresholds
    expected = np.asarray(g(phi), dtype=float)
    pairs = [
        (phi, _t("These are the pre-activations φ_i = Σ_j θ_ij s'_j: apply the activation, s_i = g(φ_i).")),
        (g(expected), _t("g is applied twice: the layer's output is g(φ), with g applied once.")),
        (g(s_prev @ weights.T),
         _t("The thresholds are missing: the sum starts at j = 0 with s'_0 = 1, which adds θ_i0 (column 0 of θ).")),
        (g(s_prev @ weights.T - thresholds),
         _t("The threshold enters with a + sign: φ_i = θ_i0 · 1 + Σ_j θ_ij s'_j.")),
        (g(s_prev @ theta[:, :-1].T + theta[:, -1]),
         _t("The thresholds are column 0 of θ (they multiply s'_0 = 1, which comes first), not the last column.")),
    ]
    if weights.shape[0] == weights.shape[1]:
        pairs.append((g(s_prev @ weights + thresholds),
                      _t("You used θ where θᵀ is needed: φ_i = Σ_j θ_ij s'_j runs along row i of θ "
                         "(θ_ij is the weight from node j of the layer before to node i of this one).")))
    if hasattr(g, "prime"):
        pairs.append((g.prime(phi), _t("These are values of g', the derivative; the forward pass applies g itself.")))
    shapes_hint = _t("θ has shape {shape}: one row per node of this layer, and one column more than the "
                     "layer before has nodes ({nodes}). Column 0 holds the thresholds θ_i0, which "
                     "multiply s'_0 = 1: put a 1 in front of the previous layer's output before you multiply.",
                     shape=theta.shape, nodes=theta.shape[1] - 1)

    def run():
        if callable(answer):
            value = _call_shaped(answer, (s_prev.copy(),), name,
                                 _t("{name}: an array of shape {shape}", name=name, shape=expected.shape),
                                 shapes_hint)
        else:
            value = answer
        return _compare_arrays(_as_array(value, name), expected, name, pairs, hint, rtol, atol)

    return _run(run, name)


def _fmt_point(x):
    return "(" + ", ".join(_fmt_exact(v) for v in np.atleast_1d(x)) + ")"


def check_classifier(answer, X, t, name=None, hint=None):
    r"""Check that a network with one output puts every point on its target's side: sgn(s^L(x_n)) = t_n.

    Parameters
    ----------
    answer : network, array_like or callable
        A network (an object with ``forward(X) -> (phi, s)``, such as ``nnlib.mlp.network.MLP``), or its
        outputs for `X` (shape (N,) or (N, 1)), or a function of no arguments returning either.
    X : array_like, shape (N, M_0)
        The points, one per row.
    t : array_like, shape (N,)
        The targets, each +1 or -1.
    name : str, optional
        How the message calls the network (default: "your network", in the language of the messages).
    hint : str, optional
        Hint for a wrong point when nothing more specific applies.

    Returns
    -------
    bool
        True if sgn(output) = t at every point. An output of exactly 0 (g_E(0) = 0) is on the
        boundary, in neither class: wrong.
    """
    X = np.asarray(X, dtype=float)
    t = np.asarray(t, dtype=float)
    if X.ndim != 2 or t.shape != (X.shape[0],):
        raise ValueError(f"X must have shape (N, M_0) and t shape (N,); got {X.shape} and {t.shape}")
    if not np.all(np.abs(t) == 1):
        raise ValueError(f"t must hold +1 or -1 for every point; got {t}")
    n = X.shape[0]
    name = _t("your network") if name is None else name

    def run():
        expected = _t("the sign of the output = t at all {n} points", n=n)
        value = _call_shaped(answer, (), name, expected, params=()) if callable(answer) else answer
        hidden = []
        if hasattr(value, "forward"):
            _, s = _call_shaped(value.forward, (X.copy(),), name, expected)
            value, hidden = s[-1], [np.asarray(layer, dtype=float) for layer in s[1:-1]]
        out = _as_array(value, _t("the outputs of {name}", name=name))
        if out.ndim == 2 and out.shape[1] == 1:
            out = out[:, 0]
        if out.shape != (n,):
            return _wrong(_t("one output per point: shape ({n},) or ({n}, 1)", n=n),
                          _t("shape {shape}", shape=out.shape),
                          _t("The network must have a single output node (M_L = 1)."))
        right = np.sign(out) == t
        if right.all():
            shown = ", ".join(f"{_fmt_point(x)} → {_fmt_exact(o)}" for x, o in zip(X, out))
            return _correct(_t("{name} classifies all {n} points right: {shown}.", name=name, n=n, shown=shown))
        wrong = np.flatnonzero(~right)
        i = wrong[0]
        got = _t("{right} of {n} right; wrong at x = {points}. At x = {x} the output is {output}, "
                 "the target {target:+d}", right=int(right.sum()), n=n,
                 points=", ".join(_fmt_point(X[j]) for j in wrong), x=_fmt_point(X[i]), output=_fmt_exact(out[i]),
                 target=int(t[i]))
        if out[i] == 0:
            text = _t("At x = {x} the output is 0 (nnlib's g_E(0) = sgn(0) = 0): the point lies on "
                      "the boundary, in neither class. Move a threshold so that no φ is exactly 0 there.",
                      x=_fmt_point(X[i]))
        elif not right.any() and np.all(np.sign(out) == -t):
            text = _t("Every point is on the wrong side: your network computes the opposite function. "
                      "Flip the sign of every weight of the output layer, its threshold included.")
        else:
            trace = "; ".join(f"s^{l} = {_fmt_point(layer[i])}" for l, layer in enumerate(hidden, start=1))
            follow = (_t("Follow x = {x} through the network by hand ({trace}).", x=_fmt_point(X[i]), trace=trace)
                      if trace else _t("Follow x = {x} through the network by hand.", x=_fmt_point(X[i])))
            text = follow + " " + (hint or _t("Which node's sign is not what you planned?"))
        return _wrong(expected, got, text)

    return _run(run, name)


def _augmented(theta):
    """θ̃ = [[1, 0, …, 0], θ]: the row on top keeps the constant s_0 = 1 through a linear layer."""
    top = np.zeros((1, theta.shape[1]))
    top[0, 0] = 1.0
    return np.vstack([top, theta])


def check_collapse(answer, theta1, theta2, name="Θ", hint=None, rtol=1e-6, atol=1e-9):
    r"""Check the single weight matrix Θ of a two-layer perceptron with linear activations.

    With :math:`g(z) = z` the network is :math:`s^2 = \theta^2 [1, \theta^1 \tilde{\mathbf{x}}]
    = \Theta \tilde{\mathbf{x}}` with :math:`\Theta = \theta^2 \tilde\theta^1`, where
    :math:`\tilde\theta^1` is :math:`\theta^1` with the row :math:`[1, 0, \dots, 0]` on top; that is
    the slide's :math:`\Theta_{ij'} = \sum_{j=0}^{M_1} \theta^2_{ij} \theta^1_{jj'}` with
    :math:`\theta^1_{00} = 1`, :math:`\theta^1_{0j'} = 0`. The message recognises a missing row
    (the output thresholds lost), the row put at the bottom, the product in the wrong order
    (where the shapes allow it) and a transposed result.

    Parameters
    ----------
    answer : callable or array_like
        The student's function, called as ``answer(theta1, theta2)`` (on copies), or Θ itself.
    theta1, theta2 : array_like, shapes (M_1, M_0 + 1) and (M_2, M_1 + 1)
        The two layers' weights, thresholds in column 0.
    name : str
        How the message calls the result.

    Returns
    -------
    bool
        True if the answer equals θ² θ̃¹ (shape (M_2, M_0 + 1)).
    """
    theta1, theta2 = np.asarray(theta1, dtype=float), np.asarray(theta2, dtype=float)
    if theta1.ndim != 2 or theta2.ndim != 2 or theta2.shape[1] != theta1.shape[0] + 1:
        raise ValueError(f"theta1 and theta2 must have shapes (M_1, M_0 + 1) and (M_2, M_1 + 1); "
                         f"got {theta1.shape} and {theta2.shape}")
    expected = theta2 @ _augmented(theta1)
    lost = _t("Your Θ lost the output layer's thresholds θ²_i0: they multiply s¹_0 = 1, a constant that "
              "layer 1 does not compute. Put the row [1, 0, …, 0] on top of θ¹, so that [1, s¹] = θ̃¹ x̃.")
    order = _t("The product is in the wrong order: x goes through layer 1 first, so the factor made from θ¹ "
               "stands on the right, next to x̃ (a product of matrices acts from right to left).")
    candidates = [
        (lambda: theta2[:, 1:] @ theta1, lost),
        (lambda: theta2 @ np.vstack([np.zeros((1, theta1.shape[1])), theta1]), lost),
        (lambda: theta2 @ np.vstack([theta1, _augmented(theta1)[:1]]),
         _t("The row [1, 0, …, 0] goes on top of θ¹: s¹_0 = 1 is entry 0 of [1, s¹], as x_0 = 1 is entry 0 of x̃.")),
        (lambda: theta1 @ _augmented(theta2), order),
        (lambda: theta1[:, 1:] @ theta2, order),
        (lambda: _augmented(theta1)[:, 1:] @ theta2, order),
    ]
    pairs = []
    for make, text in candidates:
        try:
            pairs.append((make(), text))
        except ValueError:  # the shapes of this network do not allow that mistake
            pass
    pairs.append((lambda got: got.shape == expected.shape and np.allclose(got[:, 1:], expected[:, 1:], rtol=rtol,
                                                                          atol=atol),
                  _t("The weights (columns 1..M_0) are right; column 0, the thresholds Θ_i0, is not. "
                     "Which constants reach the output when x = 0?")))
    shapes_hint = _t("θ² has shape {shape2} and θ¹ {shape1}: θ² has one column more than θ¹ has "
                     "rows, for s¹_0 = 1. Add the row that turns θ¹ x̃ into [1, s¹] before you multiply.",
                     shape2=theta2.shape, shape1=theta1.shape)

    def run():
        if callable(answer):
            value = _call_shaped(answer, (theta1.copy(), theta2.copy()), name,
                                 _t("{name}: an array of shape {shape}", name=name, shape=expected.shape), shapes_hint,
                                 ("theta1", "theta2"))
        else:
            value = answer
        return _compare_arrays(_as_array(value, name), expected, name, pairs, hint, rtol, atol)

    return _run(run, name)
