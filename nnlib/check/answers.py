r"""Checks of answers of any chapter: a formula, numbers, a maximum, a derivative, an array, a function, a choice.

- :func:`~nnlib.check.answers.check_symbolic` — a SymPy expression, proved equal to the expected one
  (``sympy.simplify(answer - expected) == 0`` or ``equals(0)``).
- :func:`~nnlib.check.answers.check_values` — one number or a tuple of numbers (SymPy or Python), within a tolerance.
- :func:`~nnlib.check.answers.check_maximum` — where a function of one variable is largest, and its value there,
  without writing the answer into the notebook.
- :func:`~nnlib.check.answers.check_derivative` — a numpy implementation of g', against nnlib's ``g.prime`` and
  float64 central differences of ``g``.
- :func:`~nnlib.check.answers.check_array` — a numpy array: shape (a transposed one named) and values.
- :func:`~nnlib.check.answers.check_function` — a function such as ``count_D(M)``, on several arguments.
- :func:`~nnlib.check.answers.check_choice` — a prediction among a few options, with the explanation.

Answers can be given as values or as functions; a function is called by the check (with the
symbols, or with the evaluation points), so an error inside it becomes a message, not a traceback.
SymPy is imported only by the checks that need it.
"""

import copy
import math
import numbers
import warnings

import numpy as np

from ..gradcheck import numerical_derivative
from ._feedback import (_apart, _as_array, _as_number, _call, _call_shaped, _close, _compare_arrays, _correct, _fmt,
                        _fmt_exact, _fmt_factor, _items, _kind, _matching_array_hint, _run, _Stop, _sympy, _t,
                        _type_hint, _wrong)

__all__ = ["check_symbolic", "check_values", "check_maximum", "check_derivative", "check_array", "check_function",
           "check_choice"]


def _symbols_tuple(symbols):
    sp = _sympy()
    seq = (symbols,) if isinstance(symbols, sp.Symbol) else tuple(symbols)
    if not seq or not all(isinstance(x, sp.Symbol) for x in seq):
        raise TypeError(f"symbols must be a sympy Symbol or a sequence of Symbols; got {symbols!r}")
    return seq


def _as_expression(value, symbols, name):
    """The student's value as a SymPy expression in `symbols`, or a message and _Stop."""
    sp = _sympy()
    what = _t("a SymPy expression")
    found = _type_hint(value, what)
    if found:
        raise _Stop(_wrong(what, *found))
    if isinstance(value, sp.Equality):
        raise _Stop(_wrong(what, _t("an equation ({value})", value=value),
                           _t("Give only the right-hand side: the expression itself (for an equation eq, eq.rhs).")))
    if isinstance(value, (list, tuple, set, dict)) or getattr(value, "is_Matrix", False):
        raise _Stop(_wrong(_t("one expression for {name}", name=name),
                           _t("a {kind} with {items}", kind=type(value).__name__, items=_items(value)),
                           _t("Give a single expression. sp.solve returns a list: pick the element you need, "
                              "e.g. [0].")))
    if isinstance(value, np.ndarray) and value.ndim > 0:
        raise _Stop(_wrong(what, _t("a numpy array of shape {shape}", shape=value.shape),
                           _t("Build the expression with SymPy (sp.exp, sp.Symbol), not numpy.")))
    try:
        expr = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError, ValueError):
        raise _Stop(_wrong(what, _kind(value),
                           _t("Build it from SymPy symbols and functions, e.g. 1 / (1 + sp.exp(-z))."))) from None
    if isinstance(expr, sp.logic.boolalg.Boolean) and not isinstance(expr, sp.Expr):  # a Symbol is both
        raise _Stop(_wrong(what, _t("a comparison ({expr})", expr=expr),
                           _t("Give {what} itself, not a comparison.", what=what)))
    if not isinstance(expr, sp.Expr):
        raise _Stop(_wrong(what, _kind(expr), _t("Give {what} such as 1 / (1 + sp.exp(-z)).", what=what)))
    # A Symbol made again in the student's code (same name, other assumptions) means the same variable.
    by_name = {x.name: x for x in symbols}
    expr = expr.subs({x: by_name[x.name] for x in expr.free_symbols if x.name in by_name and x not in symbols})
    extra = expr.free_symbols - set(symbols)
    if extra:
        names = ", ".join(sorted(x.name for x in extra))
        allowed = ", ".join(x.name for x in symbols)
        raise _Stop(_wrong(_t("an expression in {allowed} only", allowed=allowed),
                           _t("an expression that also contains {names}: {expr}", names=names, expr=expr),
                           _t("Rewrite it so that only {allowed} appears (substitute the others).", allowed=allowed)))
    return expr


def _is_zero(expr):
    """True when SymPy proves `expr` == 0 (simplify, simplify after rewriting in exp, or equals)."""
    sp = _sympy()
    if sp.simplify(expr) == 0:
        return True
    if sp.simplify(expr.rewrite(sp.exp)) == 0:
        return True
    try:
        return expr.equals(0) is True
    except RecursionError:  # equals() recurses without end on undefined functions such as g(φ)
        return False


def _is_constant(expr):
    """The value of `expr` if SymPy reduces it to a finite real number, else None."""
    sp = _sympy()
    expr = sp.simplify(expr)
    if expr.free_symbols or not expr.is_number:
        return None
    value = complex(sp.N(expr))
    if value.imag != 0 or not math.isfinite(value.real):
        return None
    return value.real


def _numeric_at(expr, point):
    sp = _sympy()
    try:
        value = complex(sp.N(expr.subs(point)))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if value.imag != 0 or not math.isfinite(value.real):
        return None
    return value.real


def _where_they_differ(answer, expected, symbols):
    """(Expected, Got) texts at the first sample point where the two expressions differ."""
    for v in (0, 1, -1, 0.5, 2, -2, 3):
        point = {x: v + 0.25 * i for i, x in enumerate(symbols)}
        e, a = _numeric_at(expected, point), _numeric_at(answer, point)
        if e is None or (a is not None and math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-12)):
            continue
        at = ", ".join(f"{x} = {_fmt(val)}" for x, val in point.items())
        if a is None:
            return _t("{value} at {at}", value=_fmt(e), at=at), _t("no real number at {at}", at=at)
        e_text, a_text = _apart(e, a, _fmt)
        return _t("{value} at {at}", value=e_text, at=at), _t("{value} at {at}", value=a_text, at=at)
    return None


def _symbolic_hint(answer, expected, symbols, hints, hint):
    sp = _sympy()
    for key, text in (hints or {}).items():
        try:
            hit = bool(key(answer)) if callable(key) and not isinstance(key, sp.Basic) else _is_zero(answer - key)
        except Exception:  # a hint predicate that cannot judge this answer does not apply
            hit = False
        if hit:
            return text
    if expected != 0:
        if _is_zero(answer + expected):
            return _t("Your answer is the negative of the right one: look for a sign error.")
        ratio = _is_constant(answer / expected)
        if ratio == 0:
            return _t("Your answer is 0: build the expression itself (and return it).")
        if ratio is not None:
            return _t("Your answer is {factor} times the right one: look for a missing or extra constant factor.",
                      factor=_fmt_factor(ratio))
    offset = _is_constant(answer - expected)
    if offset is not None:
        return _t("Your answer differs from the right one by the constant {offset}.", offset=_fmt(offset))
    return hint or _t("Compare your expression with the formula on the slide, one factor at a time.")


def check_symbolic(answer, expected, symbols, name=None, hints=None, hint=None, reveal=False):
    r"""Check that a SymPy expression equals `expected` for every value of `symbols`.

    The answer is right when SymPy proves :math:`\mathrm{answer} - \mathrm{expected} = 0`
    (``simplify``, ``simplify`` after ``rewrite(exp)``, or ``equals(0)``). Otherwise the message shows
    the two values at a sample point where they differ, and a hint: the first matching entry of
    `hints`, else a detected sign error, constant factor or constant offset, else `hint`.

    Parameters
    ----------
    answer : sympy expression or callable
        The student's expression, or a function called as ``answer(*symbols)`` that returns it.
    expected : sympy expression
        The right expression.
    symbols : sympy.Symbol or sequence of Symbol
        The variables the answer may use (a same-named Symbol with other assumptions is accepted).
    name : str, optional
        How the message calls the answer, e.g. ``"g'_S(z)"`` (default: "your answer", in the language of the
        messages).
    hints : dict, optional
        ``{wrong: hint}``: `wrong` is a SymPy expression (matched when provably equal to the answer)
        or a predicate ``answer -> bool``.
    hint : str, optional
        Hint when nothing more specific applies.
    reveal : bool
        If True, a wrong answer's message also shows the expected expression.

    Returns
    -------
    bool
        True if the answer is right.
    """
    sp = _sympy()
    symbols = _symbols_tuple(symbols)
    expected = sp.sympify(expected)
    name = _t("your answer") if name is None else name

    def run():
        value = answer
        if callable(answer) and not isinstance(answer, sp.Basic):
            names = tuple(x.name for x in symbols)
            value = _call(answer, symbols, {}, name, _t("a SymPy expression"),
                          names if all(n.isidentifier() for n in names) else None)
        expr = _as_expression(value, symbols, name)
        if _is_zero(expr - expected):
            return _correct(_t("{name} = {expr} is equal to the expected expression for every {symbols}.",
                               name=name, expr=expr, symbols=", ".join(x.name for x in symbols)))
        shown = _where_they_differ(expr, expected, symbols)
        exp_text, got_text = shown if shown else (_t("another expression"),
                                                  _t("{expr}, which SymPy cannot prove equal", expr=expr))
        if reveal:
            exp_text = _t("{expected}  (e.g. {example})", expected=expected, example=exp_text)
        if shown:
            got_text = _t("{value}, from {name} = {expr}", value=got_text, name=name, expr=expr)
        return _wrong(exp_text, got_text, _symbolic_hint(expr, expected, symbols, hints, hint))

    return _run(run, name)


def _given_number(value, argument):
    """A real float from a number the notebook's author gave, or TypeError naming `argument`."""
    try:
        number = complex(value) if isinstance(value, numbers.Number) else complex(_sympy().N(value))
    except (TypeError, ValueError, AttributeError):
        raise TypeError(f"{argument} must be real numbers; got {value!r}") from None
    if number.imag != 0 or not math.isfinite(number.real):
        raise TypeError(f"{argument} must be real, finite numbers; got {value!r}")
    return number.real


def _value_hint(got, want, hints, hint, rtol, atol):
    for key, text in (hints or {}).items():
        try:
            hit = bool(key(got)) if callable(key) else _close(got, float(key), rtol, atol)
        except Exception:  # a hint that cannot judge this answer does not apply
            hit = False
        if hit:
            return text
    if want != 0 and _close(got, -want, rtol, atol):
        return _t("Your value has the wrong sign.")
    return hint or _t("Work it out again step by step; SymPy can do each step exactly.")


def _as_values(answer, names, name):
    """The student's answer (called if callable) as a tuple with one entry per name."""
    value = _call(answer, (), {}, name, _t("{n} value(s)", n=len(names)), ()) if callable(answer) else answer
    if len(names) == 1:
        return (value,)
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        got = (_t("a {kind} with {items}", kind=type(value).__name__, items=_items(value))
               if isinstance(value, (tuple, list)) else _t("a single {kind}", kind=type(value).__name__))
        listed = ", ".join(names)
        raise _Stop(_wrong(_t("{n} values: ({names})", n=len(names), names=listed), got,
                           _t("Return the {n} values together, as a tuple ({names}).", n=len(names), names=listed)))
    return tuple(value)


def check_values(answer, expected, names=None, hints=None, hint=None, rtol=1e-9, atol=1e-12):
    """Check one number, or a tuple of numbers, against `expected` within a tolerance.

    Parameters
    ----------
    answer : number, tuple of numbers, or callable
        The student's value(s) (Python, numpy or SymPy numbers), or a function of no arguments
        returning them.
    expected : number or tuple of numbers
        The right value(s).
    names : str or tuple of str, optional
        The name of each value, e.g. ``("z*", "g'_S(z*)")`` (default: "your answer", in the language of the
        messages).
    hints : dict, optional
        ``{wrong_value: hint}`` or ``{predicate: hint}``; applies to each value.
    hint : str, optional
        Hint when nothing more specific applies.
    rtol, atol : float
        Relative and absolute tolerance.

    Returns
    -------
    bool
        True if every value is right.
    """
    names = _t("your answer") if names is None else names
    names = (names,) if isinstance(names, str) else tuple(names)
    expected = tuple(expected) if isinstance(expected, (tuple, list)) else (expected,)
    if len(expected) != len(names):
        raise ValueError(f"names must have one entry per expected value ({len(expected)}); got {len(names)}")
    wants = [_given_number(e, "expected") for e in expected]

    def run():
        values = _as_values(answer, names, _joined(names))
        for value, want, n in zip(values, wants, names):
            got = _as_number(value, n)
            if not _close(got, want, rtol, atol):
                want_text, got_text = _apart(want, got, _fmt)
                return _wrong(f"{n} = {want_text}", f"{n} = {got_text}", _value_hint(got, want, hints, hint, rtol, atol))
        return _correct(", ".join(f"{n} = {_fmt(w)}" for n, w in zip(names, wants)) + ".")

    return _run(run, _joined(names))


def _joined(names):
    """'a and b' ('a', 'a and b and c'): the names of the values, in a message and as the key of the result."""
    text = names[0]
    for name in names[1:]:
        text = _t("{names} and {name}", names=text, name=name)
    return text


def _argmax(f, lo, hi):
    """Where f is largest on [lo, hi]: a grid of 20001 points, then a finer one around the best."""
    grid = np.linspace(lo, hi, 20001)
    values = np.asarray(f(grid), dtype=float)
    i = int(np.argmax(values))
    step = grid[1] - grid[0]
    fine = np.linspace(max(lo, grid[i] - step), min(hi, grid[i] + step), 2001)
    j = int(np.argmax(np.asarray(f(fine), dtype=float)))
    return fine[j]


def check_maximum(answer, f, names=("z*", "f(z*)"), interval=(-10.0, 10.0), hints=None, hint=None,
                  xtol=1e-4, rtol=1e-9):
    """Check the point where `f` is largest and the largest value, without stating them.

    The answer is right when its point is within `xtol` of the numerical maximizer of `f` on
    `interval` and its value equals ``f(point)`` within `rtol`.

    Parameters
    ----------
    answer : tuple (point, value) or callable returning it
        The student's answer (Python, numpy or SymPy numbers).
    f : callable
        A numpy function of one variable, vectorized (e.g. ``act.sigmoid.prime``).
    names : tuple of two str
        Names of the point and of the value, e.g. ``("z*", "g'_S(z*)")``.
    interval : tuple of two float
        Where to search.
    hints : dict, optional
        ``{wrong_value: hint}`` or ``{predicate: hint}``, tried on the value.
    hint : str, optional
        Hint for a wrong point.

    Returns
    -------
    bool
    """
    names = tuple(names)
    if len(names) != 2:
        raise ValueError(f"names must be two names (point, value); got {names!r}")
    lo, hi = (float(v) for v in interval)
    best = _argmax(f, lo, hi)
    top = float(f(best))

    def run():
        values = _as_values(answer, names, _joined(names))
        point, value = (_as_number(v, n) for v, n in zip(values, names))
        if not (lo <= point <= hi and abs(point - best) <= xtol):
            got = f"{names[0]} = {_fmt(point)}"
            if lo <= point <= hi:
                better = point + (best - point) / 2  # halfway to the maximum: a direction, not the answer
                got += _t(", where the function is {value}; it is larger at {better} ({better_value})",
                          value=_fmt(float(f(point))), better=_fmt(better), better_value=_fmt(float(f(better))))
            return _wrong(_t("the {point} that makes {value} largest", point=names[0], value=names[1]), got,
                          hint or _t("At a maximum the derivative is 0: solve f'(z) = 0."))
        if not _close(value, top, rtol, 1e-12):
            top_text, value_text = _apart(top, value, _fmt)
            return _wrong(f"{names[1]} = {top_text}", f"{names[1]} = {value_text}",
                          _value_hint(value, top, hints,
                                      _t("Evaluate the function at your {point} (e.g. with .subs).", point=names[0]),
                                      rtol, 1e-12))
        return _correct(_t("{point} = {at} and {value} = {largest} is the largest value.",
                           point=names[0], at=_fmt(point), value=names[1], largest=_fmt(value)))

    return _run(run, _joined(names))


_H = 6e-6          # central-difference step ≈ cbrt(machine epsilon): error ~1e-10 for smooth g


_KINK_H = 1e-6     # one-sided step used to find kinks (where g' jumps)


_DEFAULT_POINTS = np.concatenate([np.linspace(-5.0, 5.0, 41), [-50.0, -10.0, 10.0, 50.0]])


def _call_numeric(student_prime, z, params, name, expected_text):
    """Call the student's g' on a copy of `z`; report a changed input, a non-number or warnings."""
    z_in = np.array(z, copy=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = _call(student_prime, (z_in,), params, name, expected_text, ("z", *params))
    if not np.array_equal(z_in, z):
        raise _Stop(_wrong(_t("{name}(z) that leaves z unchanged", name=name),
                           _t("a function that changed its input array z"),
                           _t("Compute into a new array (e.g. with np.where) instead of assigning into z[...].")))
    found = _type_hint(got, _t("a numpy array"))
    if found:
        raise _Stop(_wrong(expected_text, *found))
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise _Stop(_wrong(expected_text, _t("a {kind} that is not an array of numbers", kind=type(got).__name__),
                           _t("Return a numpy array of numbers computed from z."))) from None
    notes = sorted({str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)})
    return arr, notes


def _kinks(g, z, params):
    """Points where the one-sided slopes of g differ: g is not differentiable there."""
    right = (g(z + _KINK_H, **params) - g(z, **params)) / _KINK_H
    left = (g(z, **params) - g(z - _KINK_H, **params)) / _KINK_H
    return ~np.isclose(right, left, rtol=1e-4, atol=1e-4)


def _matching_hint(z, got, g, params, hints):
    """The hint of the first `hints` function whose values equal `got` (NaN and inf included)."""
    def values(wrong):
        try:
            with np.errstate(all="ignore"):
                return np.broadcast_to(np.asarray(wrong(z, **params), dtype=float), np.shape(got))
        except Exception:  # a candidate that cannot be evaluated here does not apply
            return None

    pairs = [(values(wrong), text) for wrong, text in (hints or {}).items()]
    return _matching_array_hint(np.asarray(got, dtype=float), [(v, text) for v, text in pairs if v is not None],
                                rtol=1e-6, atol=1e-9)


def _derivative_hint(z, got, expected, g, params, hints, hint):
    """The most specific hint for a finite, wrong result on the 1-D points."""
    def same(a, b):
        return np.allclose(a, b, rtol=1e-6, atol=1e-9)

    text = _matching_hint(z, got, g, params, hints)
    if text:
        return text
    if same(got, -expected):
        return _t("Your values have the wrong sign: look for a sign error.")
    if same(got, np.asarray(g(z, **params), dtype=float)):
        return _t("These are the values of g itself, not of its derivative g'.")
    if params and hasattr(g, "prime") and same(got, np.asarray(g.prime(z), dtype=float)):
        names = ", ".join(params)
        return _t("Your values are right for the default {names}, not for the given one: use {names} in the formula.",
                  names=names)
    big = np.abs(expected) > 1e-6
    if not got.any() and big.any():
        return _t("Your function returns 0 everywhere: compute g'(z) from z (and return it).")
    if big.sum() >= 2:
        ratio = got[big] / expected[big]
        if np.allclose(ratio, ratio[0], rtol=1e-6) and not np.isclose(ratio[0], 1):
            return _t("Your values are {factor} times the right ones: look for a missing or extra constant factor.",
                      factor=_fmt_factor(ratio[0]))
    offset = got - expected
    if np.allclose(offset, offset[0], rtol=1e-6, atol=1e-9):
        return _t("Your values differ from the right ones by the constant {offset}.", offset=_fmt(offset[0]))
    return hint or _t("Compare your formula with the slide's, term by term, at the point shown.")


def _truth(g, x, params):
    """(g'(x), kinks): g.prime (if any) checked against central differences, and where g has kinks."""
    fd = numerical_derivative(lambda v: g(v, **params), x, eps=_H)
    kink = _kinks(g, x, params)
    reference = getattr(g, "prime", None)
    if reference is None:
        return fd, kink
    exact = np.asarray(reference(x, **params), dtype=float)
    bad = ~kink & ~np.isclose(exact, fd, rtol=1e-5, atol=1e-7)
    if bad.any():
        raise RuntimeError(f"{g!r}.prime disagrees with central differences of g at z = {x[bad][:3]}")
    return exact, kink


def check_derivative(student_prime, g, name=None, points=None, params=None, hints=None, hint=None):
    r"""Check a numpy implementation of the derivative g' of an elementwise activation g.

    The student's function is called on a 1-D array of points (default: -5 to 5 in steps of 0.25,
    and ±10, ±50), on a 3×4 array and on the float 0.5. Its values must match ``g.prime`` (when g
    has one), itself checked against the float64 central difference :math:`(g(z+h) - g(z-h)) / 2h`
    with :math:`h = 6\cdot10^{-6}`. Where g has a kink (its one-sided slopes differ, e.g. ReLU at 0)
    the derivative is a convention, so only a finite value is required there. The message names
    shape errors (including a transposed result), NaN/inf, a sign error, a constant factor or
    offset, g itself instead of g', or the first matching entry of `hints`.

    Parameters
    ----------
    student_prime : callable
        ``student_prime(z, **params)``: the student's g', elementwise on numpy arrays.
    g : nnlib.activations.Activation or callable
        The activation (``g(z, **params)``; ``g.prime`` is used when present).
    name : str, optional
        How the message calls the derivative (default: from ``g.symbol``, e.g. ``"g'_T"``).
    points : array_like, optional
        1-D evaluation points instead of the default.
    params : dict, optional
        Keyword arguments for g, g.prime and the student's function, e.g. ``{"alpha": 0.5}``.
    hints : dict, optional
        ``{wrong_function: hint}``: when the student's values equal ``wrong_function(z, **params)``
        (NaN and inf included), that hint is shown.
    hint : str, optional
        Hint when nothing more specific applies.

    Returns
    -------
    bool
        True if the derivative is right at every point.
    """
    if not callable(g):
        raise TypeError(f"g must be an activation (callable); got {type(g).__name__}")
    if not getattr(g, "elementwise", True):
        raise ValueError(f"g must be elementwise; got {g!r}, whose derivative is a Jacobian")
    params = dict(params or {})
    if name is None:
        symbol = getattr(g, "symbol", "g")
        name = "g'" + symbol[1:] if symbol.startswith("g") else symbol + "'"
    z = _DEFAULT_POINTS if points is None else np.asarray(points, dtype=float)
    if z.ndim != 1 or z.size < 2 or not np.all(np.isfinite(z)):
        raise ValueError(f"points must be a 1-D array of at least 2 finite numbers; got shape {z.shape}")
    grid = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    expected, kink = _truth(g, z, params)
    expected2, kink2 = _truth(g, grid.ravel(), params)
    expected0, _ = _truth(g, np.array([0.5]), params)

    def run():
        got, notes = _call_numeric(student_prime, z, params, name,
                                   _t("{name}(z) for an array z of {n} points", name=name, n=z.size))
        if got.shape != z.shape:
            return _wrong(_t("an array of shape {shape} (the shape of z)", shape=z.shape),
                          _t("shape {shape}", shape=got.shape),
                          _t("Apply the formula elementwise with numpy (np.tanh, np.abs, np.where); "
                             "not math.*, not a loop, no sums or reshapes."))
        warned = _t(" (numpy warned: {warnings})", warnings="; ".join(notes)) if notes else ""
        finite = np.isfinite(got)
        if not finite.all():
            i = int(np.flatnonzero(~finite)[np.argmin(np.abs(z[~finite]))])
            advice = _matching_hint(z, got, g, params, hints)
            if advice is None and z[i] == 0 and finite.sum() == z.size - 1:
                advice = _t("At z = 0 your formula divides 0 by 0 (e.g. g(z) / z). "
                            "Use a form of the derivative that is defined at z = 0.")
            elif advice is None:
                advice = _t("NaN or inf usually comes from an overflow in exp or a division by 0: use a stable form.")
            return _wrong(f"{name}({_fmt(z[i])}) = {_fmt(expected[i])}", _t("{value} at z = {z}",
                                                                            value=got[i], z=_fmt(z[i])),
                          advice + warned)
        wrong = ~kink & ~np.isclose(got, expected, rtol=1e-6, atol=1e-9)
        if wrong.any():
            i = int(np.flatnonzero(wrong)[np.argmin(np.abs(z[wrong]))])
            ok = ~kink
            want_text, got_text = _apart(expected[i], got[i], _fmt)
            return _wrong(f"{name}({_fmt(z[i])}) = {want_text}", _t("{value} at z = {z}", value=got_text, z=_fmt(z[i])),
                          _derivative_hint(z[ok], got[ok], expected[ok], g, params, hints, hint) + warned)

        got2, _ = _call_numeric(student_prime, grid, params, name, _t("{name}(z) for z of shape (3, 4)", name=name))
        if got2.shape != grid.shape:
            transposed = (got2.shape == grid.shape[::-1]
                          and np.allclose(got2.T.ravel()[~kink2], expected2[~kink2], rtol=1e-6, atol=1e-9))
            return _wrong(_t("an array of shape (3, 4) for z of shape (3, 4)"), _t("shape {shape}", shape=got2.shape),
                          _t("Your result is transposed: drop the .T and return the result in the shape of z.")
                          if transposed else _t("Work elementwise: the result must have the shape of z."))
        wrong2 = ~kink2 & ~np.isclose(got2.ravel(), expected2, rtol=1e-6, atol=1e-9)
        if wrong2.any():
            i = int(np.flatnonzero(wrong2)[0])
            want_text, got_text = _apart(expected2[i], got2.ravel()[i], _fmt)
            return _wrong(_t("{name}({z}) = {value} for z of shape (3, 4)", name=name, z=_fmt(grid.ravel()[i]),
                             value=want_text),
                          got_text, _t("Don't flatten, sort or mix rows: work elementwise."))

        got0, _ = _call_numeric(student_prime, 0.5, params, name, _t("{name}(0.5), a single number", name=name))
        if got0.shape != () or not np.isclose(got0, expected0[0], rtol=1e-6, atol=1e-9):
            return _wrong(_t("{name}(0.5) = {value}, a single number",
                             name=name, value=_fmt(expected0[0])), f"{got0!r}",
                          _t("A single number in should give a single number out (numpy functions do this)."))
        skipped = (_t(" At the kink z = {kinks} any finite value is accepted.",
                      kinks=", ".join(_fmt(v) for v in z[kink]))
                   if kink.any() else "")
        note = _t(" Note: numpy warned: {warnings}.", warnings="; ".join(notes)) if notes else ""
        return _correct(_t("{name} matches nnlib and central differences at {n} points, "
                           "for arrays of any shape.{skipped}{note}",
                           name=name, n=z.size + grid.size + 1, skipped=skipped, note=note))

    key = name + (f" ({', '.join(f'{k}={v!r}' for k, v in params.items())})" if params else "")
    return _run(run, key)


def _array_hint_pairs(hints):
    """`hints` as a list of (wrong, text): a dict {predicate: text} or a sequence of (array or predicate, text)."""
    if hints is None:
        return []
    pairs = list(hints.items()) if isinstance(hints, dict) else list(hints)
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], str)):
            raise TypeError(f"hints must be a dict {{predicate: text}} or a sequence of (array, text) pairs; "
                            f"got an entry {pair!r}")
    return pairs


def check_array(answer, expected, name=None, hints=None, hint=None, rtol=1e-6, atol=1e-9):
    """Check a numpy array (shape and every entry) against `expected` within a tolerance.

    The message names a wrong shape (and a transposed result), NaN or inf, a sign error, a
    constant factor, or the first matching entry of `hints`; for an array of at most 12 entries
    it shows both arrays.

    Parameters
    ----------
    answer : array_like or callable
        The student's array, or a function of no arguments that returns it.
    expected : array_like
        The right array.
    name : str, optional
        How the message calls the array, e.g. ``"Θ"`` (default: "your array", in the language of the messages).
    hints : dict or sequence of pairs, optional
        ``{predicate: hint}`` (``predicate(array) -> bool``), or ``[(wrong_array, hint), ...]``:
        the hint of the first wrong array equal to the answer (or predicate accepting it) is shown.
    hint : str, optional
        Hint when nothing more specific applies.
    rtol, atol : float
        Relative and absolute tolerance of ``np.isclose``.

    Returns
    -------
    bool
        True if the answer has the expected shape and values.
    """
    expected = np.asarray(expected, dtype=float)
    if not np.all(np.isfinite(expected)):
        raise ValueError(f"expected must be an array of finite numbers; got {expected!r}")
    pairs = _array_hint_pairs(hints)
    name = _t("your array") if name is None else name

    def run():
        value = (_call_shaped(answer, (), name, _t("{name}: an array of shape {shape}",
                                                   name=name, shape=expected.shape),
                              params=())
                 if callable(answer) else answer)
        return _compare_arrays(_as_array(value, name), expected, name, pairs, hint, rtol, atol)

    return _run(run, name)


def check_function(answer, reference, cases, name=None, hints=None, hint=None, rtol=1e-9, atol=0.0,
                   params=None):
    """Check a function of one argument against `reference` on every case, e.g. ``count_D(M)``.

    Parameters
    ----------
    answer : callable
        The student's function, called once per case with a copy of it.
    reference : callable
        The right function; its values must be real numbers.
    cases : sequence
        The arguments to try, one per call (e.g. a list of layer-size lists).
    name : str
        The function's name in messages, e.g. ``"count_D"``.
    hints : dict, optional
        ``{wrong_function: hint}``: when the student's values equal those of `wrong_function`
        on every case (or else at the first case that is wrong), that hint is shown.
    hint : str, optional
        Hint when nothing more specific applies.
    rtol, atol : float
        Relative and absolute tolerance.
    params : sequence of str, optional
        The parameter names the student's function must have, for the message when its ``def`` line
        does not fit the call (default: the message counts the arguments).

    Returns
    -------
    bool
        True if the answer is right on every case.
    """
    cases = list(cases)
    if not cases:
        raise ValueError("cases must hold at least one argument; got none")
    wants = [_given_number(reference(copy.deepcopy(case)), "reference values") for case in cases]
    hints = dict(hints or {})
    name = _t("your function") if name is None else name

    def wrong_values(fn):
        values = []
        for case in cases:
            try:
                values.append(float(fn(copy.deepcopy(case))))
            except Exception:  # a wrong function that cannot judge this case
                values.append(None)
        return values

    def run():
        if not callable(answer):
            found = _type_hint(answer, _t("the function {name}", name=name))
            return _wrong(_t("the function {name} itself", name=name),
                          found[0] if found else _t("{answer!r}, a value, not a function", answer=answer),
                          _t("Give the function's name, {name}, without parentheses: the check calls it.", name=name))
        gots = []
        for case, want in zip(cases, wants):
            call = f"{name}({case!r})"
            value = _call(answer, (copy.deepcopy(case),), {}, name, f"{call} = {_fmt_exact(want)}", params)
            gots.append(_as_number(value, call))
        bad = [i for i, (got, want) in enumerate(zip(gots, wants)) if not _close(got, want, rtol, atol)]
        if not bad:
            shown = "; ".join(f"{name}({case!r}) = {_fmt_exact(want)}" for case, want in zip(cases, wants))
            return _correct(_t("{name} is right for all {n} cases: {shown}.", name=name, n=len(cases), shown=shown))
        i = bad[0]
        tables = [(text, wrong_values(fn)) for fn, text in hints.items()]

        def same(a, b):
            return a is not None and _close(a, b, rtol, atol)

        text = next((t for t, vals in tables if all(same(v, g) for v, g in zip(vals, gots))), None)
        text = text or next((t for t, vals in tables if same(vals[i], gots[i])), None)
        if text is None and wants[i] != 0 and _close(gots[i], -wants[i], rtol, atol):
            text = _t("Your value has the wrong sign.")
        call = f"{name}({cases[i]!r})"
        want_text, got_text = _apart(wants[i], gots[i])
        return _wrong(f"{call} = {want_text}", f"{call} = {got_text}",
                      text or hint or _t("Work out this case by hand, term by term, and compare with your code."))

    return _run(run, name)


def check_choice(answer, options, correct, name=None, explanation="", hints=None):
    """Check a multiple-choice answer, such as a prediction that an experiment then settles.

    Parameters
    ----------
    answer : str or callable
        The student's choice, or a function of no arguments returning it. Case, spaces, hyphens
        and underscores do not matter ("Momentum", " momentum ").
    options : sequence of str
        The possible answers.
    correct : str
        The right one (one of `options`), e.g. the winner measured by the notebook.
    name : str, optional
        How the message calls the answer (default: "your prediction", in the language of the messages).
    explanation : str
        Shown after a right or a wrong answer, e.g. the measured numbers.
    hints : dict, optional
        ``{option: hint}`` shown when that wrong option is chosen.

    Returns
    -------
    bool
    """
    def key(text):
        return " ".join(str(text).lower().replace("-", " ").replace("_", " ").split())

    options = [str(o) for o in options]
    keys = {key(o): o for o in options}
    if len(keys) != len(options) or not options:
        raise ValueError(f"options must be distinct names; got {options!r}")
    if key(correct) not in keys:
        raise ValueError(f"correct must be one of the options {options}; got {correct!r}")
    correct = keys[key(correct)]
    hints = {keys[key(o)]: text for o, text in (hints or {}).items() if key(o) in keys}
    listed = ", ".join(repr(o) for o in options)
    tail = f" {explanation}" if explanation else ""
    name = _t("your prediction") if name is None else name

    def run():
        value = _call(answer, (), {}, name, _t("one of {listed}", listed=listed), ()) if callable(answer) else answer
        if not isinstance(value, str):
            found = _type_hint(value, _t("a name in quotes"))
            got = found[0] if found else (_t("the number {value!r}", value=value) if isinstance(value, numbers.Number)
                                          else _t("a {kind}: {value!r}", kind=type(value).__name__, value=value))
            return _wrong(_t("one of {listed}", listed=listed), got,
                          _t("Return one of the names, as a string in quotes, e.g. {option!r}.", option=options[0]))
        if key(value) not in keys:
            return _wrong(_t("one of {listed}", listed=listed), repr(value),
                          _t("Return one of these names exactly (in quotes)."))
        chosen = keys[key(value)]
        if chosen == correct:
            return _correct(f"{name}: {chosen!r}.{tail}")
        return _wrong(repr(correct), repr(chosen), hints.get(chosen, _t("Compare your reasoning with the measurement."))
                      + tail)

    return _run(run, name)
