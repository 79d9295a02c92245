r"""Check of the attention exercise (22): scaled dot-product attention with a padding mask.

The student writes ``attention(q, K, V, mask) -> (alpha, c)``:

.. math:: e_{nj} = \frac{\mathbf{q}_n \cdot \mathbf{k}_{nj}}{\sqrt{d}}, \qquad
          \alpha_{nj} = \frac{m_{nj} \exp e_{nj}}{\sum_{j'} m_{nj'} \exp e_{nj'}}, \qquad
          \mathbf{c}_n = \sum_j \alpha_{nj} \mathbf{v}_{nj}

It is run on the notebook's tiny example and on a larger random one, against
:func:`nnlib.layers.attention.dot_attention` with ``scaled=True``. The usual mistakes are computed here too, so that
the hint can name the one made: the softmax over the wrong axis, the scaling :math:`1/\sqrt{d}` missing (or
:math:`1/d`), the mask forgotten, the mask applied after the softmax without renormalizing, padding scores
set to 0 instead of removed, and the context built from the keys or the scores.
"""

import numpy as np

from ..layers.attention import dot_attention
from ._feedback import _apart, _as_array, _call_shaped, _correct, _run, _Stop, _t, _type_hint, _wrong

__all__ = ["check_attention"]


def _softmax(e, axis):
    z = np.exp(e - e.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def _attention_variants(q, K, V, mask):
    """{mistake: (alpha, c)} for the usual wrong versions, and the right one under "right"."""
    d = q.shape[1]
    raw = np.einsum("ntd,nd->nt", K, q)
    e = raw / np.sqrt(d)
    keep = mask > 0

    def masked(scores):
        return _softmax(np.where(keep, scores, -np.inf), axis=1)

    def ctx(alpha, values=V):
        return np.einsum("nt,ntd->nd", alpha, values)

    out = {}
    alpha = masked(e)
    out["right"] = (alpha, ctx(alpha))
    wrong_axis = _softmax(np.where(keep, e, -1e300), axis=0) * keep   # over the samples: each column sums to 1
    out["axis"] = (wrong_axis, ctx(wrong_axis))
    a = masked(raw)
    out["unscaled"] = (a, ctx(a))
    a = masked(raw / d)
    out["over_d"] = (a, ctx(a))
    a = _softmax(e, axis=1)
    out["no_mask"] = (a, ctx(a))
    a = _softmax(e, axis=1) * keep
    out["not_renormalized"] = (a, ctx(a))
    a = _softmax(e * keep, axis=1)
    out["zero_score"] = (a, ctx(a))
    if K.shape == V.shape:
        out["keys"] = (alpha, ctx(alpha, K))
    out["scores"] = (alpha, np.einsum("nt,ntd->nd", e, V))
    return out


def _hints():
    """``{mistake: hint}`` for the usual mistakes in attention, in the language of the messages."""
    return {
        "axis": _t("The softmax runs over the wrong axis: the weights of one sample (one row of e, shape (N, T)) "
                   "must sum to 1 over its source positions j, so normalize along axis=1, not axis=0."),
        "unscaled": _t("The scaling is missing: this exercise uses the scaled dot product, e = q · k / √d "
                       "(d = the length of q), as in Vaswani et al. (2017)."),
        "over_d": _t("The scores are divided by d; the scaled dot product divides by √d."),
        "no_mask": _t("The padded positions got weight: they must get α = 0. Leave them out of the softmax: "
                      "set their scores to -np.inf (or multiply exp(e) by the mask) before normalizing."),
        "not_renormalized": _t("The padded weights are 0, but the others no longer sum to 1: you masked after the "
                               "softmax. Mask the scores (or exp(e)) before you divide by the sum."),
        "zero_score": _t("A padded score set to 0 still gets weight exp(0) > 0. Remove it instead: -np.inf as its "
                         "score, or multiply exp(e) by the mask before the sum."),
        "keys": _t("The context averages the values V, not the keys K: c = Σ_j α_j v_j."),
        "scores": _t("The context uses the weights α (after the softmax), not the scores e: c = Σ_j α_j v_j."),
    }


def _random_case(seed=7):
    rng = np.random.default_rng(seed)
    N, T, d, d_v = 3, 5, 4, 3
    mask = np.ones((N, T))
    mask[1, 3:] = 0
    mask[2, 1:] = 0
    return rng.standard_normal((N, d)), rng.standard_normal((N, T, d)), rng.standard_normal((N, T, d_v)), mask


def check_attention(answer, q, K, V, mask, name="attention", rtol=1e-6, atol=1e-9):
    r"""Check ``answer(q, K, V, mask) -> (alpha, c)``: scaled dot-product attention with a padding mask.

    Parameters
    ----------
    answer : callable
        The student's function.
    q, K, V, mask : arrays, shapes (N, d), (N, T, d), (N, T, d_v), (N, T)
        The notebook's example (the check also runs a larger random one of its own).
    name : str
        How the messages call the function.

    Returns
    -------
    bool
    """
    case0 = tuple(np.asarray(a, dtype=float) for a in (q, K, V, mask))
    dot_attention(*case0[:3], mask=case0[3], scaled=True)       # the notebook's data must be valid
    returns = _t("a tuple (alpha, c)")

    def run():
        for small, label, case in ((True, _t("the example above"), case0),
                                   (False, _t("a random example with N = 3, T = 5, d = 4"), _random_case())):
            variants = _attention_variants(*case)
            c_ref, alpha_ref, _ = dot_attention(*case[:3], mask=case[3], scaled=True)
            assert np.allclose(alpha_ref, variants["right"][0]) and np.allclose(c_ref, variants["right"][1])
            out = _call_shaped(answer, tuple(a.copy() for a in case), name, returns, params=("q", "K", "V", "mask"))
            found = _type_hint(out, returns)
            if found:
                raise _Stop(_wrong(returns, *found))
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                got = (_t("a {kind} with {n} items", kind=type(out).__name__, n=len(out))
                       if isinstance(out, (tuple, list)) else _t("a single {kind}", kind=type(out).__name__))
                raise _Stop(_wrong(returns, got, _t("Return both: return alpha, c (the weights first).")))
            alpha, c = (_as_array(v, n) for v, n in zip(out, ("alpha", "c")))
            for got, want, n in ((alpha, alpha_ref, "alpha"), (c, c_ref, "c")):
                if got.shape != want.shape:
                    hint = (_t("Your result is transposed.") if got.shape == want.T.shape else
                            _t("alpha has one weight per sample and source position, shape (N, T) = {alpha_shape}; "
                               "c one context per sample, shape (N, d_v) = {c_shape}.",
                               alpha_shape=alpha_ref.shape, c_shape=c_ref.shape))
                    return _wrong(_t("{n} of shape {shape} for {label}", n=n, shape=want.shape, label=label),
                                  _t("shape {shape}", shape=got.shape), hint)
            ok_alpha = np.allclose(alpha, alpha_ref, rtol=rtol, atol=atol)
            ok_c = np.allclose(c, c_ref, rtol=rtol, atol=atol)
            if ok_alpha and ok_c:
                continue
            mistake = next((m for m, (a, cc) in variants.items() if m != "right"
                            and np.allclose(alpha, a, rtol=rtol, atol=atol) and np.allclose(c, cc, rtol=rtol, atol=atol)),
                           None)
            if mistake is None and not ok_alpha:        # a mistake in alpha alone (c computed some other way)
                mistake = next((m for m, (a, _) in variants.items() if m != "right"
                                and np.allclose(alpha, a, rtol=rtol, atol=atol)), None)
            wrong_name, want, got = ("alpha", alpha_ref, alpha) if not ok_alpha else ("c", c_ref, c)
            want_text, got_text = _apart(want, got)
            exp_text = (f"{wrong_name} = {want_text}" if small
                        else _t("the right {name} for {label}", name=wrong_name, label=label))
            got_text = (f"{wrong_name} = {got_text}" if small
                        else _t("another {name} for {label}", name=wrong_name, label=label))
            if not ok_alpha and ok_c:
                hint = _t("c is right but alpha is not: return the weights α (after the softmax and the mask).")
            elif ok_alpha:
                hint = _hints().get(mistake) or _t("alpha is right: the context is c_n = Σ_j α_nj v_nj, for each "
                                                   "sample n.")
            else:
                hint = _hints().get(mistake) or _t("Compute e = q · k_j / √d for every position, the masked "
                                                   "softmax over j, then c = Σ_j α_j v_j; compare step by step.")
            if not np.allclose(alpha.sum(axis=1), 1) and mistake is None:
                hint = _t("{hint} (Each row of alpha should sum to 1.)", hint=hint)
            return _wrong(exp_text, got_text, hint)
        return _correct(_t("{name} gives the right weights and contexts on the example and on a random case with "
                           "padding: α = masked softmax(q · k / √d), c = Σ_j α_j v_j.", name=name))

    return _run(run, name)
