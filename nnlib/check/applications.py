r"""Checks of the application exercises (23-25): reading a confusion matrix, the persistence baseline of a
forecast, and the input of an inverse model for control.

Each check calls the student's function on fixed cases, compares with the right answer computed here, and
names the usual mistakes by computing them too: precision and recall swapped (rows and columns of the
confusion matrix confused), a persistence forecast off by one step (the value itself, or the one two steps
back), and an inverse-model regressor without one of its delayed terms or with the target out of step.

Imported into :mod:`nnlib.check` (notebooks call ``check.check_precision_recall(...)``) and recorded by
:func:`~nnlib.check.summary` like every other check.
"""

import numpy as np

from .._validate import check_int
from ._feedback import (_apart, _as_array, _as_number, _call_shaped, _close, _correct, _fmt, _fmt_array, _kind, _run,
                        _Stop, _t, _type_hint, _wrong)

__all__ = ["check_precision_recall", "check_persistence", "check_inverse_model_data"]


# ------------------------------------------------------------------------------------- 23 confusion matrix

#: Confusion matrices of the check: C[i, j] = samples of true class i predicted as class j. Not symmetric, so
#: that a row read as a column gives another number.
_CONFUSIONS = [
    np.array([[50, 3, 2], [10, 30, 0], [5, 5, 45]]),
    np.array([[8, 2], [6, 24]]),
    np.array([[40, 0, 0, 1], [4, 33, 2, 0], [0, 7, 21, 2], [9, 0, 3, 28]]),
]


def _pr_right(C, k):
    return C[k, k] / C[:, k].sum(), C[k, k] / C[k, :].sum()


def check_precision_recall(answer, name="precision_recall"):
    r"""Check ``answer(C, k) -> (precision, recall)`` of class k from a confusion matrix C.

    Rows of C are the true classes, columns the predicted ones (as in scikit-learn):

    .. math:: \text{precision}_k = \frac{C_{kk}}{\sum_i C_{ik}}, \qquad \text{recall}_k = \frac{C_{kk}}{\sum_j C_{kj}}

    Every class of three non-symmetric matrices is tried. The message names precision and recall swapped (rows
    and columns confused), the accuracy of the whole matrix, and a division by the total count.

    Parameters
    ----------
    answer : callable
        The student's function; it gets a copy of C (an int array) and k.
    name : str

    Returns
    -------
    bool
    """
    def run():
        if not callable(answer):
            return _wrong(_t("the function {name}", name=name), repr(answer),
                          _t("Give the function itself, {name}, without parentheses.", name=name))
        for C in _CONFUSIONS:
            for k in range(len(C)):
                call = _t("{name}(C, k={k}) for C = {C}", name=name, k=k, C=_fmt_array(C))
                value = _call_shaped(answer, (C.copy(), k), name, _t("a pair (precision, recall)"), params=("C", "k"))
                if not isinstance(value, (tuple, list)) or len(value) != 2:
                    found = _type_hint(value, _t("a pair"))
                    return _wrong(_t("a pair (precision, recall)"), found[0] if found else f"{value!r}",
                                  _t("Return the two numbers together: return precision, recall."))
                got = tuple(_as_number(v, n) for v, n in zip(value, (_t("precision"), _t("recall"))))
                want = _pr_right(C, k)
                if all(_close(g, w, 1e-9, 1e-12) for g, w in zip(got, want)):
                    continue
                want_text, got_text = _apart(np.array(want), np.array(got), lambda a, d: ", ".join(
                    _fmt(v, d) for v in a))
                shown = (_t("(precision, recall) = ({values}) for {call}", values=want_text, call=call),
                         f"({got_text})")
                if want[0] != want[1] and _close(got[0], want[1], 1e-9, 1e-12) and _close(got[1], want[0], 1e-9, 1e-12):
                    hint = _t("Precision and recall are swapped: rows of C are the true classes, columns the "
                              "predictions. Recall divides C[k, k] by its row sum (all samples of class k), precision "
                              "by its column sum (all samples predicted as k).")
                elif any(_close(g, np.trace(C) / C.sum(), 1e-9, 1e-12) for g in got):
                    hint = _t("That is the accuracy of the whole matrix (its trace over its sum); precision and recall "
                              "are about one class k: one column, one row.")
                elif any(_close(g, C[k, k] / C.sum(), 1e-9, 1e-12) for g in got):
                    hint = _t("Divide C[k, k] by the sum of column k (precision) or of row k (recall), not by all "
                              "samples.")
                else:
                    hint = _t("Precision of k: C[k, k] / C[:, k].sum() (of those predicted k, the right ones); recall: "
                              "C[k, k] / C[k, :].sum() (of the samples of class k, those found).")
                return _wrong(*shown, hint)
        return _correct(_t("{name} gives the precision (column) and the recall (row) of every class of "
                           "{n} confusion matrices.", name=name, n=len(_CONFUSIONS)))

    return _run(run, name)


# ------------------------------------------------------------------------------------------- 24 persistence

def check_persistence(answer, y, start, name="persistence_forecast"):
    r"""Check ``answer(y, start)``: the persistence forecasts :math:`\hat y_t = y_{t-1}` of ``y[start:]``.

    The answer must be an array with one forecast per day from `start` to the end, ``y[start - 1:-1]``. The
    message names the usual off-by-one mistakes: the values themselves (``y[start:]``, a forecast that knows the
    future: zero error), the values two steps back, a forecast one day too long or too short.

    Parameters
    ----------
    answer : callable
        The student's function; it gets a copy of `y` and `start`.
    y : array_like, 1-D
        The series (at least `start` + 2 values).
    start : int
        The first forecast day, >= 2.

    Returns
    -------
    bool
    """
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or not np.all(np.isfinite(y)):
        raise ValueError(f"y must be a 1-D array of finite numbers; got shape {y.shape}")
    start = check_int(start, "start", 2, "the first step forecast", len(y) - 2)
    expected = y[start - 1:-1]
    shape = expected.shape

    def run():
        if not callable(answer):
            return _wrong(_t("the function {name}", name=name), repr(answer),
                          _t("Give the function itself, {name}, without parentheses.", name=name))
        value = _call_shaped(answer, (y.copy(), int(start)), name, _t("an array of shape {shape}", shape=shape),
                             params=("y", "start"))
        found = _type_hint(value, _t("an array"))
        if found:
            return _wrong(_t("an array of {n} forecasts", n=shape[0]), *found)
        got = _as_array(value, name)
        if got.shape != shape:
            if got.size == shape[0] + 1:
                hint = _t("One forecast too many: forecast the days start, ..., {last}, one per value of "
                          "y[start:]. The forecast of day t uses y[t - 1], so the last known value y[-1] forecasts "
                          "a day beyond the series.", last=len(y) - 1)
            elif got.size == shape[0] - 1:
                hint = _t("One forecast too few: there is one forecast for every value of y[start:].")
            else:
                hint = _t("Give one forecast per day from start to the end: {n} values, like y[start:].", n=shape[0])
            return _wrong(_t("an array of shape {shape}", shape=shape),
                          _t("an array of shape {shape}", shape=got.shape), hint)
        if np.allclose(got, expected):
            return _correct(_t("the forecast of day t is y[t - 1]: y[start - 1:-1], {n} forecasts.", n=shape[0]))
        if np.allclose(got, y[start:]):
            hint = _t("These are the values to forecast themselves (lag 0): a forecast may only use the past. The "
                      "persistence forecast of day t is the value of the day before, y[t - 1].")
        elif np.allclose(got, y[start - 2:-2]):
            hint = _t("These are the values two days back (lag 2): persistence uses the day just before, y[t - 1].")
        else:
            hint = _t("The forecast of day t is y[t - 1]: shift the series by one step.")
        diff = int(np.argmax(~np.isclose(got, expected)))
        want_text, got_text = _apart(expected[diff], got[diff], _fmt)
        return _wrong(_t("forecast[{i}] = {value} (= y[{before}], the day before day {day})",
                         i=diff, value=want_text, before=start + diff - 1, day=start + diff),
                      _t("forecast[{i}] = {value}", i=diff, value=got_text), hint)

    return _run(run, name)


# ------------------------------------------------------------------------------------- 25 inverse model

def _inverse_right(y, u):
    """Rows [y_{k+1}, y_k, y_{k-1}, u_{k-1}] and targets u_k for k = 1 .. K-1 (y has K+1 values, u has K)."""
    K = len(u)
    k = np.arange(1, K)
    return np.column_stack([y[k + 1], y[k], y[k - 1], u[k - 1]]), u[k]


def check_inverse_model_data(answer, name="inverse_model_data", seed=0, K=12):
    r"""Check ``answer(y, u) -> (X, t)``: the data of the inverse model of a second-order plant.

    The plant :math:`y_{k+1} = f(y_k, y_{k-1}, u_k, u_{k-1})` is inverted as
    :math:`u_k = f^{-1}(y_{k+1}, y_k, y_{k-1}, u_{k-1})`, so each row of X is
    :math:`(y_{k+1}, y_k, y_{k-1}, u_{k-1})` and its target :math:`t = u_k`, for k = 1 .. K-1 (`y` has K+1 values
    :math:`y_0 .. y_K`, `u` has K values :math:`u_0 .. u_{K-1}`). The message names a missing delayed term
    (:math:`y_{k-1}` or :math:`u_{k-1}`), the next output :math:`y_{k+1}` left out, and a target out of step.

    Returns
    -------
    bool
    """
    rng = np.random.default_rng(seed)
    y = np.round(rng.uniform(0, 10, K + 1), 2)
    u = np.round(rng.uniform(0, 2, K), 2)
    X_right, t_right = _inverse_right(y, u)
    k = np.arange(1, K)
    mistakes = [
        (np.column_stack([y[k + 1], y[k], y[k - 1]]),
         _t("The delayed input u_{{k-1}} is missing: the plant's next output depends on u_{{k-1}} too, so the "
            "inverse model needs it to tell which u_k produced y_{{k+1}}. Each row has 4 entries.")),
        (np.column_stack([y[k + 1], y[k], u[k - 1]]),
         _t("The delayed output y_{{k-1}} is missing: a second-order plant remembers two past outputs. Each row "
            "has 4 entries: y_{{k+1}}, y_k, y_{{k-1}}, u_{{k-1}}.")),
        (np.column_stack([y[k], y[k - 1], u[k - 1]]),
         _t("The next output y_{{k+1}} is missing: it is the inverse model's main input, the output we want u_k "
            "to produce.")),
    ]

    def run():
        if not callable(answer):
            return _wrong(_t("the function {name}", name=name), repr(answer),
                          _t("Give the function itself, {name}, without parentheses.", name=name))
        value = _call_shaped(answer, (y.copy(), u.copy()), name, _t("a pair (X, t)"), params=("y", "u"))
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            found = _type_hint(value, _t("a pair (X, t)"))
            return _wrong(_t("a pair (X, t)"), found[0] if found else _kind(value),
                          _t("Return the inputs and the targets together: return X, t."))
        X, t = _as_array(value[0], "X"), _as_array(value[1], "t").reshape(-1)
        if X.shape != X_right.shape:
            for wrong, text in mistakes:
                if X.shape == wrong.shape and np.allclose(X, wrong):
                    return _wrong(_t("X of shape {shape}", shape=X_right.shape),
                                  _t("X of shape {shape}", shape=X.shape), text)
            if X.ndim == 2 and X.shape[1] == 4 and abs(X.shape[0] - X_right.shape[0]) == 1:
                text = _t("One row per k = 1 .. K-1 ({n} rows here): k starts at 1 because the row "
                          "uses y_{{k-1}} and u_{{k-1}}, and stops at K-1 because it uses y_{{k+1}}.",
                          n=X_right.shape[0])
            else:
                text = _t("Each row is (y_{{k+1}}, y_k, y_{{k-1}}, u_{{k-1}}), one row for each k = 1 .. K-1.")
            return _wrong(_t("X of shape {shape}", shape=X_right.shape), _t("X of shape {shape}", shape=X.shape), text)
        if not np.allclose(X, X_right):
            j = int(np.argmax(~np.isclose(X, X_right).all(axis=0)))
            names = ["y_{k+1}", "y_k", "y_{k-1}", "u_{k-1}"]
            want_text, got_text = _apart(X_right[:4, j], X[:4, j])
            return _wrong(_t("column {j} of X = {term} = {values}...", j=j, term=names[j], values=want_text),
                          _t("column {j} = {values}...", j=j, values=got_text),
                          _t("Column {j} must hold {term} for k = 1, 2, ...; check its index (an off-by-one?).",
                             j=j, term=names[j]))
        if t.shape != t_right.shape:
            return _wrong(_t("t of shape {shape}", shape=t_right.shape), _t("t of shape {shape}", shape=t.shape),
                          _t("One target u_k per row of X."))
        if not np.allclose(t, t_right):
            if np.allclose(t, u[k - 1]):
                hint = _t("The targets are u_{{k-1}}, one step behind: the row of k predicts u_k, the input that led "
                          "to y_{{k+1}}.")
            elif np.allclose(t[:-1], u[k[:-1] + 1]):
                hint = _t("The targets are u_{{k+1}}, one step ahead: the row of k predicts u_k.")
            else:
                hint = _t("The target of the row of k is u_k.")
            want_text, got_text = _apart(t_right[:4], t[:4])
            return _wrong(f"t = {want_text}...", f"t = {got_text}...", hint)
        return _correct(_t("each row is (y_k+1, y_k, y_k-1, u_k-1) and its target u_k: X of shape {shape}.",
                           shape=X_right.shape))

    return _run(run, name)
