r"""Checks of the BackProp exercises (8-10): δ^L of a loss, δ^l of one layer, one whole batch step.

- :func:`~nnlib.check.backprop.check_output_delta` — δ^L of a loss and output activation, for one sample or a batch.
- :func:`~nnlib.check.backprop.check_delta` — δ^l of one layer for one sample.
- :func:`~nnlib.check.backprop.check_backprop_step` — one whole batch step of BackProp, the new weights θ^l of every layer.

The right answer comes from :mod:`nnlib.losses` / :mod:`nnlib.mlp.backprop` and is itself compared with float64
central differences; the usual mistakes are recomputed (``_output_variants``, ``_backprop_variant``) so that
the hint can name the one made.
"""

import warnings

import numpy as np

from .. import activations as act
from .. import losses
from .._validate import check_int
from ..gradcheck import numerical_gradient, relative_error
from ..mlp import backprop
from ._feedback import _apart, _as_array, _call_shaped, _compare_arrays, _correct, _fmt_array, _run, _t, _wrong

__all__ = ["check_output_delta", "check_delta", "check_backprop_step"]


def _bp_shapes_hint():
    return _t("Check the shapes (print .shape). Backwards, δ^{{l+1}} (N × M_{{l+1}}) @ θ^{{l+1}}[:, 1:] "
              "(M_{{l+1}} × M_l) gives N × M_l, the shape of φ^l: column 0 of θ (the thresholds) stays out of "
              "the sum. Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}] has the shape of θ^l, (M_l, M_{{l-1}} + 1): put the "
              "column of ones (s_0 = 1) in front of s^{{l-1}}.")


def _bp_hints():
    """``{mistake: hint}`` for the usual mistakes in BackProp, in the language of the messages."""
    return {
        "sign": _t("Mind the sign: δ = −∂q/∂φ and Δθ = −ρ ∂q_S/∂θ = +(ρ/N) Σ_n δ s, so the step is θ^l += Δθ^l "
                   "(downhill)."),
        "sign_delta": _t("Mind the sign: δ is defined with a minus, δ^L_i = −∂q_n/∂φ^L_i, so it starts with "
                         "(t_i − s_i), not (s_i − t_i)."),
        "no_g_prime": _t("The factor g'(φ) is missing: δ^L_i = (t_i − s_i) g'(φ^L_i) and "
                         "δ^l_i = g'(φ^l_i) Σ_r δ^{{l+1}}_r θ^{{l+1}}_ri."),
        "g_prime_of_s": _t("g' is evaluated at the pre-activation φ, not at the output s = g(φ): g.prime(phi). "
                           "(For the sigmoid, g'(φ) = s (1 − s) written with s.)"),
        "g_not_prime": _t("That factor is g(φ) = s, the activation itself: δ needs its derivative g'(φ) "
                          "(g.prime)."),
        "no_g_output": _t("The output is s^L = g(φ^L): apply the activation to φ^L before you compare it with t."),
        "per_sample": _t("δ is per sample, one row for each: no division by N in δ. The average over the samples, "
                         "(ρ/N) Σ_n, comes only in the increments Δθ."),
        "transposed": _t("θ^{{l+1}}_ri is the weight from node i of layer l to node r of layer l+1: "
                         "Σ_r δ^{{l+1}}_r θ^{{l+1}}_ri runs down column i of θ^{{l+1}}, "
                         "i.e. δ^{{l+1}} @ θ^{{l+1}}[:, 1:]; you used θ_ir (θ transposed)."),
        "col0": _t("Column 0 of θ^{{l+1}} holds the thresholds θ_r0, which no node of layer l feeds: "
                   "node i's weight θ_ri is column i, so the backward sum uses theta[l+1][:, 1:]."),
        "no_threshold_forward": _t("φ^l_i = Σ_{{j=0}} θ_ij s_j starts at j = 0 with s_0 = 1: add the thresholds "
                                   "(column 0 of θ) in the forward pass."),
        "no_threshold_update": _t("The thresholds learn too: Δθ^l_i0 = (ρ/N) Σ_n δ^l_i · 1 (s_0 = 1) is "
                                  "column 0 of Δθ^l."),
        "ones_last": _t("The 1 (s_0 = 1) goes first: Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}], so column 0 is the "
                        "threshold's increment."),
        "sum_not_mean": _t("Divide by N: Δθ = (ρ/N) Σ_n δ_i(x_n) s_j(x_n) is an average over the N samples."),
        "interleaved": _t("Compute every δ with the old weights, then update: you changed θ^{{l+1}} before you "
                          "used it for δ^l."),
        "ce_diag": _t("This is the squared-error δ with slide 8's softmax derivative s_i (1 − s_i), only the "
                      "diagonal of the Jacobian. For cross-entropy with softmax the whole chain rule gives simply "
                      "δ_i = t_i − s_i."),
        "ce_squared": _t("This is δ for squared error with a softmax output. For cross-entropy the chain rule "
                         "through the softmax simplifies to δ_i = t_i − s_i (using Σ_i t_i = 1)."),
        "ce_dq_ds": _t("t_i / s_i is −∂q/∂s_i; δ = −∂q/∂φ goes on through the softmax: Σ_k (t_k/s_k) ∂s_k/∂φ_i "
                       "= t_i − s_i Σ_k t_k = t_i − s_i."),
        "ce_columns": _t("The softmax normalises each sample (row) over its C outputs: sum along axis=1 "
                         "(axis=-1), not down the columns or over the whole array."),
        "ce_overflow": _t("exp overflows for large φ (e.g. exp(1000) = inf, and inf/inf = NaN): subtract each "
                          "row's maximum before exp (softmax(φ) = softmax(φ − max φ)), or use g(phi_L), which "
                          "does it."),
    }


def _bp_hint(mistake):
    """The hint for a mistake of _output_variants / _backprop_variant (a variant shares its mistake's hint)."""
    return _bp_hints()[mistake.replace("_all", "")]


def _output_variants(phi_L, t, loss, g):
    """``{mistake: δ^L}`` for the usual mistakes in the output layer's δ (samples as rows)."""
    out = {}
    with np.errstate(all="ignore"):
        s = np.asarray(g(phi_L), dtype=float)
        e = t - s
        n = phi_L.shape[0] if phi_L.ndim == 2 else 1
        out["sign_delta"] = -losses.get(loss)(phi_L, t, g)[1]
        if loss == "cross_entropy":
            z = np.exp(phi_L - phi_L.max())
            out["no_g_output"] = t - phi_L
            out["ce_diag"] = e * s * (1 - s)
            out["ce_squared"] = g.jvp(phi_L, e)
            out["ce_dq_ds"] = t / s
            if phi_L.ndim == 2:
                out["ce_columns"] = t - z / z.sum(axis=0, keepdims=True)
            out["ce_columns_all"] = t - z / z.sum()
            out["per_sample"] = e / n
        elif getattr(g, "elementwise", True):
            g_prime = np.asarray(g.prime(phi_L), dtype=float)
            out["no_g_prime"] = e
            out["g_prime_of_s"] = e * np.asarray(g.prime(s), dtype=float)
            out["g_not_prime"] = e * s
            out["no_g_output"] = (t - phi_L) * g_prime
            out["per_sample"] = e * g_prime / n
    return out


_HIDDEN_MISTAKES = ("no_g_prime", "g_prime_of_s", "g_not_prime", "transposed", "col0")


_STEP_MISTAKES = ("sign", "sum_not_mean", "no_threshold_forward", "no_threshold_update", "ones_last", "interleaved")


def _backprop_variant(theta, g, X, t, rho, loss, mistake=None, at=None):
    """``(delta, Delta)`` of one batch BackProp step made with `mistake` at the layers in `at` (None: all).

    The right step (``mistake=None``) is the slides' one: forward, δ^L from the loss, δ^l backwards,
    Δθ^l = (ρ/N) δ^lᵀ [1, s^{l-1}]. Returns None when the mistake makes the shapes not fit.
    """
    L = len(theta) - 1

    def made(name, l):
        return mistake == name and (at is None or l in at)

    try:
        with np.errstate(all="ignore"):
            phi, s = [None], [X]
            for l in range(1, L + 1):
                phi_l = s[l - 1] @ theta[l][:, 1:].T
                if not made("no_threshold_forward", l):
                    phi_l = phi_l + theta[l][:, 0]
                phi.append(phi_l)
                s.append(np.asarray(g[l](phi_l), dtype=float))
            delta, Delta, used = [None] * (L + 1), [None] * (L + 1), list(theta)
            wrong_out = _output_variants(phi[L], t, loss, g[L]) if made(mistake, L) else {}
            delta[L] = wrong_out.get(mistake, losses.get(loss)(phi[L], t, g[L])[1])
            N = X.shape[0]
            for l in range(L, 0, -1):
                if l < L:
                    W = used[l + 1][:, 1:]
                    if made("transposed", l):
                        W = used[l + 1][:, 1:].T
                    elif made("col0", l):
                        W = used[l + 1][:, :-1]
                    g_prime = np.asarray(g[l].prime(phi[l]), dtype=float)
                    if made("no_g_prime", l):
                        g_prime = 1.0
                    elif made("g_prime_of_s", l):
                        g_prime = np.asarray(g[l].prime(s[l]), dtype=float)
                    elif made("g_not_prime", l):
                        g_prime = s[l]
                    delta[l] = g_prime * (delta[l + 1] @ W)
                ones = np.ones((N, 1))
                S = np.hstack([s[l - 1], ones] if made("ones_last", l) else [ones, s[l - 1]])
                Delta[l] = (rho if made("sum_not_mean", l) else rho / N) * (delta[l].T @ S)
                if made("no_threshold_update", l):
                    Delta[l][:, 0] = 0.0
                if made("sign", l):
                    Delta[l] = -Delta[l]
                if made("interleaved", l):
                    used[l] = theta[l] + Delta[l]
                if Delta[l].shape != theta[l].shape or delta[l].shape != phi[l].shape:
                    return None
    except (ValueError, TypeError):  # the mistake makes the shapes not fit: no candidate
        return None
    return delta, Delta


def _forward_from(theta, g, phi_l, l):
    """φ^L from the pre-activation φ^l of layer l, through layers l+1..L."""
    s = g[l](phi_l)
    phi = phi_l
    for k in range(l + 1, len(theta)):
        phi = s @ theta[k][:, 1:].T + theta[k][:, 0]
        s = g[k](phi)
    return phi


def _true_deltas(net, X, t, loss):
    """``backprop.deltas`` for a batch X, compared with −∂q_n/∂φ^l by central differences."""
    _, delta = backprop.deltas(net, X, t, loss)
    q = losses.get(loss)
    for l in range(1, net.L + 1):
        phi_l = net.forward(X)[0][l].astype(float)
        for n in range(X.shape[0]):  # q_n of one sample: δ^l = −∂q_n/∂φ^l
            row = phi_l[n:n + 1].copy()
            fd = -numerical_gradient(lambda p: q(_forward_from(net.theta, net.g, p, l), t[n:n + 1], net.g[-1])[0],
                                     row)
            if relative_error(delta[l][n:n + 1], fd) > 1e-6:
                raise RuntimeError(f"nnlib.mlp.backprop.deltas disagrees with central differences at layer {l}")
    return delta


def _bp_data(net, X, t):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t, dtype=float)
    one = X.ndim == 1
    X2, t2 = (X[None], t.reshape(1, -1)) if one else (X, t)
    if X2.ndim != 2 or X2.shape[1] != net.M[0]:
        raise ValueError(f"X must have shape (N, M_0) = (N, {net.M[0]}) or ({net.M[0]},); got {X.shape}")
    if t2.shape != (X2.shape[0], net.M[-1]):
        raise ValueError(f"t must have shape ({X2.shape[0]}, {net.M[-1]}) to match X and M_L; got {t.shape}")
    return X2, t2, one


def check_output_delta(answer, loss, g, phi_L=None, t=None, name=None, hint=None, rtol=1e-6, atol=1e-9):
    r"""Check a numpy function ``answer(phi_L, t, loss, g)`` that returns δ^L for every sample.

    .. math:: \delta^L_i = -\frac{\partial q_n}{\partial \phi^L_i} =
              \begin{cases} (t_i - s^L_i)\, g'(\phi^L_i) & \text{squared error} \\
              t_i - s^L_i & \text{cross-entropy, softmax output} \end{cases}

    The right values come from :mod:`nnlib.losses`, compared with central differences of
    :math:`q_n`. The message names the usual mistakes: the sign, g' missing, g' at s instead of φ,
    g instead of g', φ instead of s, a division by N (δ is per sample), and for cross-entropy the
    squared-error formula, slide 8's diagonal g'_M, −∂q/∂s, a softmax over the wrong axis and an
    overflowing exp.

    Parameters
    ----------
    answer : callable
        The student's ``output_delta(phi_L, t, loss, g)``, called on copies.
    loss : {"squared_error", "cross_entropy"}
    g : nnlib.activations.Activation
        The output layer's activation (softmax for cross-entropy).
    phi_L, t : array_like, shape (N, M_L), optional
        The data; default: 5 seeded samples with 3 outputs (for cross-entropy also two samples
        with logits of ±1000, one-hot targets).
    name : str, optional
        How the message calls δ^L (default ``"δ^L (loss, g)"``).
    hint : str, optional
        Hint when nothing more specific applies.

    Returns
    -------
    bool
    """
    if loss not in ("squared_error", "cross_entropy"):
        raise ValueError(f"loss must be 'squared_error' or 'cross_entropy'; got {loss!r}")
    g = act.get(g) if isinstance(g, str) else g
    if not isinstance(g, act.Activation):
        raise TypeError(f"g must be an nnlib activation; got {type(g).__name__}")
    rng = np.random.default_rng(7)
    if phi_L is None:
        phi_L = rng.uniform(-3.0, 3.0, size=(5, 3))
        if loss == "cross_entropy":
            phi_L = np.vstack([phi_L, [[1000.0, 0.0, -1000.0], [-1000.0, 999.0, 1000.0]]])
    phi_L = np.asarray(phi_L, dtype=float)
    if t is None:
        t = (losses.one_hot(np.r_[rng.integers(0, phi_L.shape[1], phi_L.shape[0] - 2), 0, 2], phi_L.shape[1])
             if loss == "cross_entropy" else rng.uniform(0.0, 1.0, size=phi_L.shape))
    t = np.asarray(t, dtype=float)
    if phi_L.ndim != 2 or t.shape != phi_L.shape:
        raise ValueError(f"phi_L and t must have one shape (N, M_L); got {phi_L.shape} and {t.shape}")
    q = losses.get(loss)
    expected = q(phi_L, t, g)[1]
    for n in range(phi_L.shape[0]):  # δ^L_i = −∂q_n/∂φ^L_i, sample by sample
        fd = -numerical_gradient(lambda p: q(p, t[n:n + 1], g)[0], phi_L[n:n + 1].copy())
        if relative_error(expected[n:n + 1], fd) > 1e-6:
            raise RuntimeError(f"nnlib.losses.{loss} disagrees with central differences at sample {n}")
    name = name or f"δ^L ({loss}, {g.name})"

    def pairs(rows):
        found = [(v, _bp_hint(k)) for k, v in _output_variants(phi_L[rows], t[rows], loss, g).items()]
        return found + [(lambda a: a.shape == expected.shape[1:],
                         _t("δ is per sample: one row for each sample, shape (N, M_L). Do not average or sum over "
                            "the samples (axis 0); the average (ρ/N) Σ_n comes only in the increments Δθ."))]

    big = np.abs(phi_L).max(axis=1) > 30  # samples that overflow a naive exp: checked last

    def ask(rows):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            value = _call_shaped(answer, (phi_L[rows].copy(), t[rows].copy(), loss, g), name,
                                 _t("{name}: an array of shape {shape}", name=name, shape=expected[rows].shape),
                                 params=("phi_L", "t", "loss", "g"))
        return _as_array(value, name)

    def same(got, want):
        return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))

    def run():
        if big.any():  # first the formula, on the moderate samples
            got = ask(~big)
            if not same(got, expected[~big]):
                return _compare_arrays(got, expected[~big], name, pairs(~big), hint, rtol, atol)
        got = ask(np.ones(len(phi_L), dtype=bool))
        if big.any() and got.shape == expected.shape and not same(got[big], expected[big]):
            rows = np.flatnonzero(big)
            n = int(next(r for r in rows if not same(got[r], expected[r])))
            want_text, got_text = _apart(expected[n], got[n])
            return _wrong(_t("{name}[{n}] = {value} for φ^L = {phi}", name=name, n=n, value=want_text,
                             phi=_fmt_array(phi_L[n])), got_text,
                          _bp_hint("ce_overflow") if loss == "cross_entropy"
                          else _t("Large |φ| makes exp overflow: use g(phi_L) and g.prime(phi_L), which are stable."))
        if not same(got, expected):
            return _compare_arrays(got, expected, name, pairs(slice(None)), hint, rtol, atol)
        extra = _t(" (two with logits of ±1000)") if big.any() else ""
        return _correct(_t("{name} matches nnlib.losses.{loss} and central differences of q_n for all "
                           "{n} samples{extra}.", name=name, loss=loss, n=len(phi_L), extra=extra))

    return _run(run, name)


def check_delta(answer, net, x, t, l, loss="squared_error", name=None, hint=None, rtol=1e-3, atol=1e-6):
    r"""Check δ^l, the error term of layer l, for one sample (e.g. worked out by hand).

    .. math:: \delta^L_i = (t_i - s^L_i)\, g'(\phi^L_i), \qquad
              \delta^l_i = g'(\phi^l_i) \sum_{r=1}^{M_{l+1}} \delta^{l+1}_r\, \theta^{l+1}_{ri}

    The right values come from ``nnlib.mlp.backprop.deltas``, compared with central differences
    :math:`-\partial q / \partial \phi^l_i`. The message names the usual mistakes, each made at
    layer l with the right δ^{l+1}: g' missing, g' at s, g instead of g', θ_ir instead of θ_ri,
    the threshold column 0 used as a weight (and for the output layer, φ instead of s).

    Parameters
    ----------
    answer : number, sequence of numbers, array or callable
        The M_l values δ^l_1..δ^l_{M_l} (one number when M_l = 1), or a function of no arguments.
    net : nnlib.mlp.network.MLP
    x : array_like, shape (M_0,)
        The sample (a batch (N, M_0) is accepted too: then δ^l has shape (N, M_l)).
    t : array_like, shape (M_L,)
        Its target.
    l : int
        The layer, 1..L.
    loss : {"squared_error", "cross_entropy"}
    name : str, optional
        Default ``"δ^l"``.
    rtol, atol : float
        Tolerances; the defaults accept values rounded to 4 significant digits.

    Returns
    -------
    bool
    """
    X, T, one = _bp_data(net, x, t)
    l = check_int(l, "l", 1, "a layer 1..L", net.L)
    expected = _true_deltas(net, X, T, loss)[l]
    name = name or f"δ^{l}"
    mistakes = (list(_output_variants(np.zeros((1, net.M[-1])), np.eye(net.M[-1])[:1], loss, net.g[-1]))
                if l == net.L else _HIDDEN_MISTAKES)
    pairs = []
    for mistake in mistakes:
        found = _backprop_variant(net.theta, net.g, X, T, 1.0, loss, mistake, at={l})
        if found is not None and not np.allclose(found[0][l], expected, rtol=rtol, atol=atol):
            pairs.append((found[0][l][0] if one else found[0][l], _bp_hint(mistake)))
    if one:
        expected = expected[0]

    def run():
        value = (_call_shaped(answer, (), name, _t("{name}: {n} number(s)", name=name, n=expected.size), params=())
                 if callable(answer) else answer)
        got = _as_array(value, name)
        if got.shape != expected.shape and got.size == expected.size and got.ndim <= 1 and expected.ndim == 1:
            got = got.reshape(expected.shape)  # a plain number for a layer of one node, a list for a row
        return _compare_arrays(got, expected, name, pairs, hint or (
            _t("Work out {name} node by node from the formula above, with the numbers of the forward pass.",
               name=name)), rtol, atol)

    return _run(run, name)


def check_backprop_step(answer, net, X, t, rho, loss="squared_error", name="backprop_step", hint=None,
                        rtol=1e-6, atol=1e-9):
    r"""Check a function ``answer(net, X, t, rho)`` that makes one batch BackProp step on ``net.theta``.

    The step must add :math:`\Delta\theta^l_{ij} = \frac{\rho}{N} \sum_n \delta^l_i(x_n)\, s^{l-1}_j(x_n)`
    to every ``net.theta[l]`` (in place). The student's increments (weights after − before, on a
    copy of `net`) are compared with ``nnlib.mlp.backprop.increments`` and with −ρ times the central-
    difference gradient of :math:`q_S` (a gradient check). Layers are compared from L down to 1;
    the message names the first wrong layer and the usual mistake behind it: the sign of ρ, a
    missing 1/N, g' missing or at s, θ transposed or its threshold column in the backward sum, the
    thresholds left out (forward, or not updated, or the 1 put last), weights updated too early.

    Parameters
    ----------
    answer : callable
        The student's ``backprop_step(net, X, t, rho)``.
    net : nnlib.mlp.network.MLP
        The network (not modified: the step runs on a copy). Its thresholds must not all be 0.
    X : array_like, shape (N, M_0)
    t : array_like, shape (N, M_L)
    rho : float
        Learning rate ρ > 0.
    loss : {"squared_error", "cross_entropy"}
    name : str

    Returns
    -------
    bool
    """
    X, t, _ = _bp_data(net, X, t)
    if not (isinstance(rho, (int, float, np.floating)) and rho > 0):
        raise ValueError(f"rho must be a positive number; got {rho!r}")
    if any(not th[:, 0].any() for th in net.theta[1:]):
        raise ValueError("net must have nonzero thresholds in every layer (e.g. MLP(..., init='uniform')): "
                         "with thresholds 0 a step that leaves them out cannot be told from a right one")
    _, expected = backprop.increments(net, X, t, rho, loss)
    probe = net.copy()
    worst = 0.0
    for l in range(1, net.L + 1):
        fd = -rho * numerical_gradient(lambda _: backprop.cost(probe, X, t, loss), probe.theta[l])
        worst = max(worst, relative_error(expected[l], fd))
    if worst > 1e-6:
        raise RuntimeError(f"nnlib.mlp.backprop.increments disagrees with central differences ({worst:.2g})")
    mistakes = _STEP_MISTAKES + _HIDDEN_MISTAKES + tuple(_output_variants(
        np.zeros((1, net.M[-1])), np.eye(net.M[-1])[:1], loss, net.g[-1]))
    hidden = set(range(1, net.L))  # a mistake in δ^l may be made in the hidden layers only, or everywhere
    candidates = [(m, _backprop_variant(net.theta, net.g, X, t, rho, loss, m, at))
                  for m in mistakes for at in ((None, hidden) if m in _HIDDEN_MISTAKES else (None,))]

    def run():
        work = net.copy()
        before = [None] + [th.copy() for th in work.theta[1:]]
        returned = _call_shaped(answer, (work, X.copy(), t.copy(), rho), name,
                                _t("an update of net.theta"), _bp_shapes_hint(), ("net", "X", "t", "rho"))
        after = work.theta
        if len(after) != len(before) or any(
                not isinstance(a, np.ndarray) or a.shape != b.shape for a, b in zip(after[1:], before[1:])):
            shapes = [getattr(a, "shape", type(a).__name__) for a in after[1:]]
            return _wrong(_t("net.theta with the shapes {shapes}", shapes=[b.shape for b in before[1:]]),
                          _t("shapes {shapes}", shapes=shapes), _bp_shapes_hint())
        got = [None] + [np.asarray(a, dtype=float) - b for a, b in zip(after[1:], before[1:])]
        if all(not d.any() for d in got[1:]):
            text = (_t("Add the increments to the weights in place: theta = net.theta, then theta[l] += Delta_l "
                       "(or net.theta[l] = ...); you returned them instead.") if isinstance(returned, (list, tuple))
                    else _t("Add the increments to the weights in place: theta = net.theta, then theta[l] += Delta_l "
                            "(or net.theta[l] = ...)."))
            return _wrong(_t("net.theta changed by Δθ"), _t("net.theta unchanged"), text)
        for l in range(net.L, 0, -1):
            if got[l].shape == expected[l].shape and np.allclose(got[l], expected[l], rtol=rtol, atol=atol):
                continue
            if not got[l].any():  # this layer's weights did not move: its update is missing, not scaled by 0
                changed = [k for k in range(1, net.L + 1) if got[k].any()]
                last = _t(" (the output layer)") if l == net.L else ""
                loop = (_t("Your loop over the layers stops before layer {l}: range(1, L) leaves out L; update every "
                           "layer, range(1, L + 1), the output layer included. Each θ^l gets its own increment "
                           "Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}].", l=l) if l == net.L else
                        _t("Update every layer, l = 1..L, layer {l} included. Each θ^l gets its own increment "
                           "Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}].", l=l))
                return _wrong(_t("θ^{l}{last} changed by Δθ^{l} = {expected}",
                                 l=l, last=last, expected=_fmt_array(expected[l]))
                              if expected[l].size <= 12 else _t("θ^{l}{last} changed by Δθ^{l}", l=l, last=last),
                              _t("θ^{l} unchanged: its update is missing (you changed {changed} only)",
                                 l=l, changed=", ".join(f"θ^{k}" for k in changed)),
                              loop)
            pairs = [(c[1][l], _bp_hint(m)) for m, c in candidates
                     if c is not None and not np.allclose(c[1][l], expected[l], rtol=rtol, atol=atol)]
            text = _t("The first wrong layer, going back from the output, is layer {l}. {hint}", l=l,
                      hint=hint or _t("Follow one sample through your code and through the slide's equations, "
                                      "layer by layer."))
            return _compare_arrays(got[l], expected[l], f"Δθ^{l}", pairs, text, rtol, atol)
        return _correct(_t("every Δθ^l (l = 1..{L}) matches nnlib.mlp.backprop.increments and −ρ times the "
                           "central-difference gradient of q_S (gradient check: relative error {worst:.1g}).",
                           L=net.L, worst=worst))

    return _run(run, name)
