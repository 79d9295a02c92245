r"""Check of the recurrent-network exercise (21): back-propagation through time by hand.

A one-unit recurrent network :math:`h_n = \tanh(w_X x_n + w_Y h_{n-1} + b)`, :math:`h_0 = 0`, over a sequence
:math:`x_1, x_2, x_3`, with the loss :math:`q = \frac12 (h_3 - t)^2` at the last step. The student writes
:math:`\partial q/\partial w_Y` as a sum over time,

.. math:: \frac{\partial q}{\partial w_Y} = \sum_{n=1}^{3} d_n\, h_{n-1}, \qquad
          d_3 = (h_3 - t)\, f'(z_3), \quad d_n = d_{n+1}\, w_Y\, f'(z_n),

with :math:`d_n = \partial q/\partial z_n` and :math:`f'(z_n) = 1 - h_n^2`. The check compares with nnlib's
:class:`nnlib.layers.recurrent.SimpleRNN` on several sequences and names the usual mistakes by running them: only the
direct term of the last step, the terms of every step without the chain back through the later states, a
missing :math:`f'` (everywhere, or between steps), :math:`h_n` in place of :math:`h_{n-1}`, the sign of the error.

Imported into :mod:`nnlib.check` (notebooks call ``check.check_bptt_by_hand(...)``).
"""

import numpy as np

from ..layers.recurrent import SimpleRNN
from ._feedback import _apart, _as_number, _call, _close, _correct, _fmt_exact, _kind, _run, _t, _wrong

__all__ = ["check_bptt_by_hand", "bptt_one_unit"]

_CASES = [
    (0.8, 0.5, 0.1, (1.0, -0.5, 0.3), 0.2),
    (-0.6, 1.2, 0.0, (0.4, 0.9, -1.1), -0.3),
    (1.5, -0.9, 0.2, (-0.7, 0.2, 0.8), 0.5),
    (0.3, 0.7, -0.4, (2.0, 1.0, 0.5), 0.9),
]


def _states(w_X, w_Y, b, x):
    h = [0.0]
    for x_n in x:
        h.append(float(np.tanh(w_X * x_n + w_Y * h[-1] + b)))     # h_n = f(w_X x_n + w_Y h_{n-1} + b)
    return h


def bptt_one_unit(w_X, w_Y, b, x, t, mistake=None):
    r""":math:`\partial q/\partial w_Y` for the one-unit network over the sequence `x` (BPTT), or a known mistake.

    `mistake`: ``"last_only"`` (only :math:`d_T h_{T-1}`), ``"no_chain"`` (every step's term with
    :math:`d_n = (h_T - t) f'(z_n)`, no factors :math:`w_Y f'` between steps), ``"no_fprime"`` (no :math:`f'`
    anywhere), ``"chain_no_fprime"`` (:math:`f'` at the last step only, :math:`d_{n-1} = d_n w_Y`), ``"h_n"`` (:math:`h_n` in place of :math:`h_{n-1}`), ``"sign"`` (:math:`t - h_T`).
    """
    h = _states(w_X, w_Y, b, x)
    T = len(x)
    err = (t - h[T]) if mistake == "sign" else (h[T] - t)       # ∂q/∂h_T
    fp = [1.0] * (T + 1) if mistake == "no_fprime" else [1.0 - v * v for v in h]   # f'(z_n) = 1 − h_n²
    total, d = 0.0, err * fp[T]                                  # d_T = ∂q/∂z_T
    for n in range(T, 0, -1):
        total += d * (h[n] if mistake == "h_n" else h[n - 1])    # ∂q/∂w_Y += d_n h_{n−1}
        if mistake == "last_only":
            break
        if mistake == "no_chain":
            d = err * fp[n - 1]
        elif mistake == "chain_no_fprime":
            d = d * w_Y
        else:
            d = d * w_Y * fp[n - 1]                              # d_{n−1} = d_n w_Y f'(z_{n−1})
    return total


def _hints():
    """``{mistake: hint}`` for the usual mistakes of BPTT by hand, in the language of the messages."""
    return {
        "last_only": _t("You kept only the last step's term d₃ h₂. w_Y is used at every step, so q depends on it "
                        "also through h₂ and h₁: add the terms d₂ h₁ and d₁ h₀ (h₀ = 0, but d₂ h₁ is not zero)."),
        "no_chain": _t("Each step's term is there, but d_n must carry the gradient back through the later states: "
                       "d₂ = d₃ · w_Y · f'(z₂), d₁ = d₂ · w_Y · f'(z₁). You used (h₃ − t) f'(z_n) for every step."),
        "no_fprime": _t("The factors f'(z_n) = 1 − h_n² are missing: the gradient passes through tanh at every step, "
                        "d₃ = (h₃ − t)(1 − h₃²) and d_n = d_{{n+1}} w_Y (1 − h_n²)."),
        "chain_no_fprime": _t("d₃ has its f'(z₃), but going back one step the gradient passes through tanh again: "
                              "d₂ = d₃ · w_Y · (1 − h₂²) and d₁ = d₂ · w_Y · (1 − h₁²); you left out those f'."),
        "h_n": _t("Step n uses w_Y to multiply the PREVIOUS state: z_n = w_X x_n + w_Y h_{{n−1}} + b, so its term is "
                  "d_n · h_{{n−1}}, not d_n · h_n."),
        "sign": _t("The sign is wrong: ∂q/∂h₃ = h₃ − t for q = ½ (h₃ − t)²."),
    }


def check_bptt_by_hand(answer, name="dq_dwY"):
    r"""Check ``answer(w_X, w_Y, b, x, t)`` = :math:`\partial q/\partial w_Y` for the one-unit recurrent network.

    Runs it on four sequences of three steps, against nnlib's :class:`~nnlib.layers.recurrent.SimpleRNN` (BPTT), and
    names the mistake whose values the answer reproduces.
    """
    wants = [_reference(*case) for case in _CASES]

    def run():
        if not callable(answer):
            return _wrong(_t("the function {name}", name=name), _kind(answer),
                          _t("Give the function itself, {name}, without parentheses: the check calls it.", name=name))
        gots = []
        for case, want in zip(_CASES, wants):
            call = f"{name}(w_X={case[0]}, w_Y={case[1]}, b={case[2]}, x={list(case[3])}, t={case[4]})"
            value = _call(answer, (case[0], case[1], case[2], np.array(case[3]), case[4]), {}, name,
                          f"{call} = {_fmt_exact(want)}", ("w_X", "w_Y", "b", "x", "t"))
            gots.append(_as_number(value, call))
        bad = [i for i, (g, w) in enumerate(zip(gots, wants)) if not _close(g, w, 1e-7, 1e-10)]
        if not bad:
            return _correct(_t("{name} gives ∂q/∂w_Y for all {n} sequences, the sum over the three "
                               "steps that BPTT computes.", name=name, n=len(_CASES)))
        i = bad[0]
        case = _CASES[i]
        call = f"{name}(w_X={case[0]}, w_Y={case[1]}, b={case[2]}, x={list(case[3])}, t={case[4]})"
        hint = next((text for mistake, text in _hints().items()
                     if all(_close(g, bptt_one_unit(*c, mistake=mistake), 1e-7, 1e-10)
                            for g, c in zip(gots, _CASES))), None)
        want_text, got_text = _apart(wants[i], gots[i])
        return _wrong(f"{call} = {want_text}", got_text,
                      hint or _t("Write the forward pass h₁, h₂, h₃ first, then d₃ = (h₃ − t)(1 − h₃²), "
                                 "d₂ = d₃ w_Y (1 − h₂²), d₁ = d₂ w_Y (1 − h₁²), and sum d_n h_{{n−1}}."))

    return _run(run, name)


def _reference(w_X, w_Y, b, x, t):
    """∂q/∂w_Y from nnlib's SimpleRNN (one unit), by BPTT: the check's truth."""
    rnn = SimpleRNN(1, 1)
    rnn.params["W_X"][...] = w_X
    rnn.params["W_Y"][...] = w_Y
    rnn.params["b"][...] = b
    H = rnn.forward(np.asarray(x, dtype=float).reshape(1, -1, 1))
    grad_H = np.zeros_like(H)
    grad_H[0, -1, 0] = H[0, -1, 0] - t                           # ∂q/∂h_T for q = ½ (h_T − t)²
    rnn.backward(grad_H)
    return float(rnn.grads["W_Y"][0, 0])
