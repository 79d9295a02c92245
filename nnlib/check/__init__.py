r"""Kind answer checks for the exercise notebooks.

Each check prints one short message and returns ``True`` or ``False``; it never lets a traceback
reach the student for a wrong answer::

    ✔ Correct! ...
    ✘ Not quite.
      Expected: ...
      Got:      ...
      Hint:     ...

An answer that still raises ``NotImplementedError`` prints ``✘ Not answered yet: ...``.

Answers can be given as values or as functions; a function is called by the check (with the
symbols, or with the evaluation points), so an error inside it becomes a message, not a traceback.

- :func:`check_symbolic` — a SymPy expression, proved equal to the expected one
  (``sympy.simplify(answer - expected) == 0`` or ``equals(0)``).
- :func:`check_values` — one number or a tuple of numbers (SymPy or Python), within a tolerance.
- :func:`check_maximum` — where a function of one variable is largest, and its value there,
  without writing the answer into the notebook.
- :func:`check_derivative` — a numpy implementation of g', against nnlib's ``g.prime`` and
  float64 central differences of ``g``.
- :func:`check_array` — a numpy array: shape (a transposed one named) and values.
- :func:`check_layer` — one layer's output :math:`s = g(\theta\,[1, s'])`, naming the usual
  mistakes (no threshold, no g or g twice, θ instead of θᵀ).
- :func:`check_function` — a function such as ``count_D(M)``, on several arguments.
- :func:`check_classifier` — a network puts every point on its target's side (±1).
- :func:`check_collapse` — the single matrix Θ of a two-layer network with linear activations.

Every check records its latest result under its name: :func:`summary` prints how many are
correct so far (a notebook's last cell), :func:`results` returns them.

SymPy is imported only by the checks that need it.
"""

import copy
import inspect
import math
import numbers
import os
import re
import warnings

import numpy as np

from ..gradcheck import numerical_derivative

__all__ = ["check_symbolic", "check_values", "check_maximum", "check_derivative", "results", "summary"]

_RESULTS = {}  # check name -> latest result, for summary()


# ------------------------------------------------------------------------ message plumbing

class _Stop(Exception):
    """Ends a check early, after its message has been printed; carries the check's result."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def _correct(detail):
    print(f"✔ Correct! {detail}")
    return True


def _wrong(expected, got, hint):
    if str(expected) == str(got):  # never print a rejection whose two lines read the same
        got = f"{got} (the same to the digits shown: the difference is smaller than they show)"
    print(f"✘ Not quite.\n  Expected: {expected}\n  Got:      {got}\n  Hint:     {hint}")
    return False


def _not_answered(name):
    print(f"✘ Not answered yet: {name} still raises NotImplementedError. Replace the "
          "`raise NotImplementedError(...)` line with your answer, run that cell, then run this check again.")
    return False


_BINDING_ERROR = re.compile(r"(\w+)\(\) (takes|missing \d+ required|got an unexpected keyword|"
                            r"got multiple values|got some positional-only)")


def _error_hint(exc):
    """A hint for a common error raised by the student's code."""
    text = str(exc)
    binding = _BINDING_ERROR.search(text) if isinstance(exc, TypeError) else None
    if binding and "unexpected keyword argument" not in text:
        return (f"{binding.group(1)}() was called with arguments that its `def` line does not take: the error is "
                f"in the line `def {binding.group(1)}(...)` or in the call, not in the function's body. Make them "
                "agree: as many arguments as parameters, in the same order (the exercise's text names them).")
    if "truth value of an array" in text:
        return ("`if` (or `and`/`or`) on a numpy array is ambiguous: choose elementwise with "
                "np.where(condition, value_if_true, value_if_false).")
    if "arrays can be converted to Python scalars" in text or "only length-1 arrays" in text:
        return "A `math.` function got an array: use the numpy one instead (np.exp, np.tanh, np.abs)."
    if "unexpected keyword argument" in text:
        return f"Your function must accept this keyword argument ({text.split('argument')[-1].strip()})."
    if isinstance(exc, NameError):
        return "A name is not defined: run the cells above first (imports, earlier steps), then this one."
    return "Fix the line of your code that raises this error, run that cell again, then this check."


_HERE = os.path.dirname(os.path.abspath(__file__))


def _in_the_checks(frame):
    """True for a frame of nnlib's own check code (a wrapper such as ``lambda c: answer(*c)``)."""
    filename = os.path.abspath(frame.f_code.co_filename)
    return os.path.dirname(filename) == _HERE


def _at_the_call(fn, args, kwargs, exc):
    """Whether `exc` is a TypeError raised by the call of the student's function itself (its parameters do
    not fit the arguments): ``"direct"`` (`fn` is the student's function), ``"wrapped"`` (a wrapper of
    nnlib's checks, such as ``lambda c: answer(*c)``, called it) or None (the error came from inside it).

    Python checks the arguments against the ``def`` line before the function's first line runs, so such an
    error has no frame of the student's code in its traceback: the traceback ends in the frame that made
    the call. ``inspect.signature(fn).bind`` confirms it when it can.
    """
    if not isinstance(exc, TypeError) or exc.__traceback__ is None:
        return None
    tb = exc.__traceback__.tb_next
    while tb is not None:  # every frame entered after the call must be a wrapper of the checks
        if not _in_the_checks(tb.tb_frame):
            return None
        tb = tb.tb_next
    if exc.__traceback__.tb_next is not None:  # raised in a wrapper: the message names the call that failed
        return "wrapped" if _BINDING_ERROR.search(str(exc)) else None
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin without a signature: judge by the message
        return "direct" if _BINDING_ERROR.search(str(exc)) else None
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        return "direct"
    return None


def _signature_hint(fn, args, kwargs, name, params, how="direct", exc=None):
    """The hint for a function whose `def` line does not fit the call: the parameters it must have."""
    found = _BINDING_ERROR.search(str(exc)) if how == "wrapped" else None
    fname = found.group(1) if found else getattr(fn, "__name__", "")
    if not fname.isidentifier():
        fname = name if name.isidentifier() else "your_function"
    yours = "yours do not fit"
    if how == "direct":
        try:
            yours = f"yours are {inspect.signature(fn)}"
        except (TypeError, ValueError):
            pass
    if params is None and how == "wrapped":
        return (f"The error is in the `def` line, not in the body: the parameters of {fname} do not fit the "
                f"arguments the check gives it. Give {fname} the parameters the exercise names, in that order.")
    if params is None:
        given = [f"{len(args)} positional argument" + ("" if len(args) == 1 else "s")]
        if kwargs:
            given.append("the keyword argument" + ("" if len(kwargs) == 1 else "s") + " " + ", ".join(kwargs))
        return (f"The error is in the `def` line, not in the body: the check calls {fname} with "
                f"{' and '.join(given)}, and {yours}. Give {fname} the parameters the exercise names, in that order.")
    params = tuple(params)
    wanted = ", ".join(params)
    if not params:
        return (f"The error is in the `def` line, not in the body: the check calls {fname}() with no arguments, so "
                f"{fname} takes no parameters ({yours}). Write the line as `def {fname}():`.")
    return (f"The error is in the `def` line, not in the body: the check calls {fname}({wanted}), so the "
            f"function's parameters must be ({wanted}), in this order; {yours}. Write the line as "
            f"`def {fname}({wanted}):`.")


def _call(fn, args, kwargs, name, expected, params=None):
    """Call the student's `fn`; NotImplementedError or any other error becomes a message.

    `params` names the parameters `fn` must have (e.g. ``("net", "X", "t", "rho")``), for the message
    when its ``def`` line does not fit the call; None: the message counts the arguments instead.
    """
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise _Stop(_not_answered(name)) from None
    except Exception as exc:  # the student's code failed: tell them, kindly, and stop
        how = _at_the_call(fn, args, kwargs, exc)
        hint = _signature_hint(fn, args, kwargs, name, params, how, exc) if how else _error_hint(exc)
        raise _Stop(_wrong(expected, f"an error from your code: {type(exc).__name__}: {exc}", hint)) from None


def _run(check, key):
    """Run `check` and record its result under `key`; an answer that breaks the check is reported, never raised."""
    try:
        result = check()
    except _Stop as stop:
        result = stop.result
    except Exception as exc:  # an answer of a kind no branch foresaw
        result = _wrong("an answer the check can read", f"something it could not use ({type(exc).__name__}: {exc})",
                        "Give the kind of value the exercise asks for (see the text above the cell).")
    _RESULTS[key] = result
    return result


def results():
    """The latest result of every check run so far in this session: ``{name: True/False}``."""
    return dict(_RESULTS)


def summary():
    """Print how many of the checks run so far are correct, and name the others.

    Returns
    -------
    bool
        True if at least one check has run and every one is correct.
    """
    done = [name for name, ok in _RESULTS.items() if ok]
    pending = [name for name, ok in _RESULTS.items() if not ok]
    if not _RESULTS:
        print("No check has run yet: run the cells above, from the top.")
    elif pending:
        print(f"{len(done)} of {len(_RESULTS)} checks correct so far. Still to do: {'; '.join(pending)}.")
    else:
        print(f"✔ All {len(done)} checks correct. Well done!")
    return bool(_RESULTS) and not pending


def _type_hint(value, what):
    """(Got, Hint) for an answer of the wrong kind, or None if `value` may be fine."""
    if value is None:
        return "None", "Did your function `return` its result? A function without `return` gives None."
    if isinstance(value, str):
        return f"the text {value!r}", f"Give {what}, not a string (no quotes around it)."
    if isinstance(value, (bool, np.bool_)):
        return repr(value), f"`==` compares two things and gives True/False; give {what} itself."
    return None


def _items(value):
    """'1 item', '3 items' for anything with a length or a size."""
    n = len(value) if hasattr(value, "__len__") else getattr(value, "size", "several")
    return f"{n} item" + ("" if n == 1 else "s")


def _fmt(x, digits=6):
    """A number in at most `digits` (6) significant digits."""
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.{digits}g}"


def _fmt_factor(ratio):
    """A factor that is not 1, with the digits it takes not to read as 1 (1.000003, not 1)."""
    for digits in range(6, 18):
        text = _fmt(ratio, digits)
        if text != "1":
            return text
    return text


def _apart(want, got, fmt=None):
    """``(want_text, got_text)``, printed with as many significant digits (6 to 17) as it takes for them to differ.

    `fmt(value, digits)` prints one value (default: :func:`_fmt_array` for arrays, :func:`_fmt_exact`
    for numbers). When more than 6 digits are needed, the difference itself is added to the second
    text, so a rejection never shows an Expected and a Got that read the same.
    """
    array = np.ndim(want) > 0 or np.ndim(got) > 0
    fmt = fmt or (_fmt_array if array else _fmt_exact)
    for digits in range(6, 18):
        want_text, got_text = fmt(want, digits), fmt(got, digits)
        if want_text != got_text:
            break
    if digits > 6:
        try:
            with np.errstate(all="ignore"):
                diff = np.asarray(got, dtype=float) - np.asarray(want, dtype=float)
            i = np.unravel_index(int(np.nanargmax(np.abs(diff))), diff.shape) if diff.ndim else ()
            at = f" at [{', '.join(map(str, i))}]" if array and i else ""
            got_text += f" (differs by {float(diff[i]):+.2g}{at})"
        except (TypeError, ValueError):  # shapes that do not broadcast, or all NaN: the texts say enough
            pass
    return want_text, got_text


def _sympy():
    try:
        import sympy
    except ImportError as exc:  # pragma: no cover - sympy is in requirements.txt
        raise ImportError("nnlib.check's symbolic checks need SymPy: pip install sympy") from exc
    return sympy


# ------------------------------------------------------------------------------ symbolic

def _symbols_tuple(symbols):
    sp = _sympy()
    seq = (symbols,) if isinstance(symbols, sp.Symbol) else tuple(symbols)
    if not seq or not all(isinstance(x, sp.Symbol) for x in seq):
        raise TypeError(f"symbols must be a sympy Symbol or a sequence of Symbols; got {symbols!r}")
    return seq


def _as_expression(value, symbols, name):
    """The student's value as a SymPy expression in `symbols`, or a message and _Stop."""
    sp = _sympy()
    what = "a SymPy expression"
    found = _type_hint(value, what)
    if found:
        raise _Stop(_wrong(what, *found))
    if isinstance(value, sp.Equality):
        raise _Stop(_wrong(what, f"an equation ({value})",
                           "Give only the right-hand side: the expression itself (for an equation eq, eq.rhs)."))
    if isinstance(value, (list, tuple, set, dict)) or getattr(value, "is_Matrix", False):
        raise _Stop(_wrong(f"one expression for {name}", f"a {type(value).__name__} with {_items(value)}",
                           "Give a single expression. sp.solve returns a list: pick the element you need, e.g. [0]."))
    if isinstance(value, np.ndarray) and value.ndim > 0:
        raise _Stop(_wrong(what, f"a numpy array of shape {value.shape}",
                           "Build the expression with SymPy (sp.exp, sp.Symbol), not numpy."))
    try:
        expr = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError, ValueError):
        raise _Stop(_wrong(what, f"a {type(value).__name__}",
                           "Build it from SymPy symbols and functions, e.g. 1 / (1 + sp.exp(-z)).")) from None
    if isinstance(expr, sp.logic.boolalg.Boolean) and not isinstance(expr, sp.Expr):  # a Symbol is both
        raise _Stop(_wrong(what, f"a comparison ({expr})", f"Give {what} itself, not a comparison."))
    if not isinstance(expr, sp.Expr):
        raise _Stop(_wrong(what, f"a {type(expr).__name__}", f"Give {what} such as 1 / (1 + sp.exp(-z))."))
    # A Symbol made again in the student's code (same name, other assumptions) means the same variable.
    by_name = {x.name: x for x in symbols}
    expr = expr.subs({x: by_name[x.name] for x in expr.free_symbols if x.name in by_name and x not in symbols})
    extra = expr.free_symbols - set(symbols)
    if extra:
        names = ", ".join(sorted(x.name for x in extra))
        allowed = ", ".join(x.name for x in symbols)
        raise _Stop(_wrong(f"an expression in {allowed} only", f"an expression that also contains {names}: {expr}",
                           f"Rewrite it so that only {allowed} appears (substitute the others)."))
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
            return f"{_fmt(e)} at {at}", f"no real number at {at}"
        e_text, a_text = _apart(e, a, _fmt)
        return f"{e_text} at {at}", f"{a_text} at {at}"
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
            return "Your answer is the negative of the right one: look for a sign error."
        ratio = _is_constant(answer / expected)
        if ratio == 0:
            return "Your answer is 0: build the expression itself (and return it)."
        if ratio is not None:
            return (f"Your answer is {_fmt_factor(ratio)} times the right one: look for a missing or extra "
                    "constant factor.")
    offset = _is_constant(answer - expected)
    if offset is not None:
        return f"Your answer differs from the right one by the constant {_fmt(offset)}."
    return hint or "Compare your expression with the formula on the slide, one factor at a time."


def check_symbolic(answer, expected, symbols, name="your answer", hints=None, hint=None, reveal=False):
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
    name : str
        How the message calls the answer, e.g. ``"g'_S(z)"``.
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

    def run():
        value = answer
        if callable(answer) and not isinstance(answer, sp.Basic):
            names = tuple(x.name for x in symbols)
            value = _call(answer, symbols, {}, name, "a SymPy expression",
                          names if all(n.isidentifier() for n in names) else None)
        expr = _as_expression(value, symbols, name)
        if _is_zero(expr - expected):
            return _correct(f"{name} = {expr} is equal to the expected expression for every "
                            f"{', '.join(x.name for x in symbols)}.")
        shown = _where_they_differ(expr, expected, symbols)
        exp_text, got_text = shown if shown else ("another expression", f"{expr}, which SymPy cannot prove equal")
        if reveal:
            exp_text = f"{expected}  (e.g. {exp_text})"
        if shown:
            got_text = f"{got_text}, from {name} = {expr}"
        return _wrong(exp_text, got_text, _symbolic_hint(expr, expected, symbols, hints, hint))

    return _run(run, name)


# -------------------------------------------------------------------------------- numbers

def _as_number(value, name):
    """A real float from a Python, numpy or SymPy number, or a message and _Stop."""
    found = _type_hint(value, "a number")
    if found:
        raise _Stop(_wrong(f"a number for {name}", *found))
    if isinstance(value, (list, tuple, set)) or (isinstance(value, np.ndarray) and value.size != 1):
        raise _Stop(_wrong(f"one number for {name}", f"a {type(value).__name__} with {_items(value)}: {value!r}",
                           "Give a single number. sp.solve returns a list: pick the element, e.g. [0]."))
    if isinstance(value, np.ndarray):
        value = value.reshape(()).item()
    if isinstance(value, numbers.Number):
        number = complex(value)
    else:
        sp = _sympy()
        try:
            expr = sp.sympify(value, strict=True)
        except (sp.SympifyError, TypeError, ValueError):
            raise _Stop(_wrong(f"a number for {name}", f"a {type(value).__name__}",
                               "Give a number (e.g. 0.5 or sp.Rational(1, 2)).")) from None
        if getattr(expr, "free_symbols", None):
            symbols = ", ".join(sorted(x.name for x in expr.free_symbols))
            raise _Stop(_wrong(f"a number for {name}", f"an expression in {symbols}: {expr}",
                               f"Substitute a value for {symbols} (e.g. expr.subs(z, 1)) to get a number."))
        try:
            number = complex(sp.N(expr))
        except (TypeError, ValueError):
            raise _Stop(_wrong(f"a number for {name}", f"{expr}", "Give a real number.")) from None
    if number.imag != 0 or not math.isfinite(number.real):
        raise _Stop(_wrong(f"a real, finite number for {name}", str(value), "Give a real, finite number."))
    return number.real


def _given_number(value, argument):
    """A real float from a number the notebook's author gave, or TypeError naming `argument`."""
    try:
        number = complex(value) if isinstance(value, numbers.Number) else complex(_sympy().N(value))
    except (TypeError, ValueError, AttributeError):
        raise TypeError(f"{argument} must be real numbers; got {value!r}") from None
    if number.imag != 0 or not math.isfinite(number.real):
        raise TypeError(f"{argument} must be real, finite numbers; got {value!r}")
    return number.real


def _close(a, b, rtol, atol):
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def _value_hint(got, want, hints, hint, rtol, atol):
    for key, text in (hints or {}).items():
        try:
            hit = bool(key(got)) if callable(key) else _close(got, float(key), rtol, atol)
        except Exception:  # a hint that cannot judge this answer does not apply
            hit = False
        if hit:
            return text
    if want != 0 and _close(got, -want, rtol, atol):
        return "Your value has the wrong sign."
    return hint or "Work it out again step by step; SymPy can do each step exactly."


def _as_values(answer, names, name):
    """The student's answer (called if callable) as a tuple with one entry per name."""
    value = _call(answer, (), {}, name, f"{len(names)} value(s)", ()) if callable(answer) else answer
    if len(names) == 1:
        return (value,)
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        got = (f"a {type(value).__name__} with {_items(value)}" if isinstance(value, (tuple, list))
               else f"a single {type(value).__name__}")
        raise _Stop(_wrong(f"{len(names)} values: ({', '.join(names)})", got,
                           f"Return the {len(names)} values together, as a tuple ({', '.join(names)})."))
    return tuple(value)


def check_values(answer, expected, names="your answer", hints=None, hint=None, rtol=1e-9, atol=1e-12):
    """Check one number, or a tuple of numbers, against `expected` within a tolerance.

    Parameters
    ----------
    answer : number, tuple of numbers, or callable
        The student's value(s) (Python, numpy or SymPy numbers), or a function of no arguments
        returning them.
    expected : number or tuple of numbers
        The right value(s).
    names : str or tuple of str
        The name of each value, e.g. ``("z*", "g'_S(z*)")``.
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
    names = (names,) if isinstance(names, str) else tuple(names)
    expected = tuple(expected) if isinstance(expected, (tuple, list)) else (expected,)
    if len(expected) != len(names):
        raise ValueError(f"names must have one entry per expected value ({len(expected)}); got {len(names)}")
    wants = [_given_number(e, "expected") for e in expected]

    def run():
        values = _as_values(answer, names, " and ".join(names))
        for value, want, n in zip(values, wants, names):
            got = _as_number(value, n)
            if not _close(got, want, rtol, atol):
                want_text, got_text = _apart(want, got, _fmt)
                return _wrong(f"{n} = {want_text}", f"{n} = {got_text}", _value_hint(got, want, hints, hint, rtol, atol))
        return _correct(", ".join(f"{n} = {_fmt(w)}" for n, w in zip(names, wants)) + ".")

    return _run(run, " and ".join(names))


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
        values = _as_values(answer, names, " and ".join(names))
        point, value = (_as_number(v, n) for v, n in zip(values, names))
        if not (lo <= point <= hi and abs(point - best) <= xtol):
            got = f"{names[0]} = {_fmt(point)}"
            if lo <= point <= hi:
                better = point + (best - point) / 2  # halfway to the maximum: a direction, not the answer
                got += (f", where the function is {_fmt(float(f(point)))}; it is larger at "
                        f"{_fmt(better)} ({_fmt(float(f(better)))})")
            return _wrong(f"the {names[0]} that makes {names[1]} largest", got,
                          hint or "At a maximum the derivative is 0: solve f'(z) = 0.")
        if not _close(value, top, rtol, 1e-12):
            top_text, value_text = _apart(top, value, _fmt)
            return _wrong(f"{names[1]} = {top_text}", f"{names[1]} = {value_text}",
                          _value_hint(value, top, hints, f"Evaluate the function at your {names[0]} (e.g. with .subs).",
                                      rtol, 1e-12))
        return _correct(f"{names[0]} = {_fmt(point)} and {names[1]} = {_fmt(value)} is the largest value.")

    return _run(run, " and ".join(names))


# ---------------------------------------------------------------------------- derivatives

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
        raise _Stop(_wrong(f"{name}(z) that leaves z unchanged", "a function that changed its input array z",
                           "Compute into a new array (e.g. with np.where) instead of assigning into z[...]."))
    found = _type_hint(got, "a numpy array")
    if found:
        raise _Stop(_wrong(expected_text, *found))
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise _Stop(_wrong(expected_text, f"a {type(got).__name__} that is not an array of numbers",
                           "Return a numpy array of numbers computed from z.")) from None
    notes = sorted({str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)})
    return arr, notes


def _kinks(g, z, params):
    """Points where the one-sided slopes of g differ: g is not differentiable there."""
    right = (g(z + _KINK_H, **params) - g(z, **params)) / _KINK_H
    left = (g(z, **params) - g(z - _KINK_H, **params)) / _KINK_H
    return ~np.isclose(right, left, rtol=1e-4, atol=1e-4)


def _matching_hint(z, got, g, params, hints):
    """The hint of the first `hints` function whose values equal `got` (NaN and inf included)."""
    for wrong, text in (hints or {}).items():
        try:
            with np.errstate(all="ignore"):
                hit = np.allclose(got, np.asarray(wrong(z, **params), dtype=float),
                                  rtol=1e-6, atol=1e-9, equal_nan=True)
        except Exception:  # a candidate that cannot be evaluated here does not apply
            hit = False
        if hit:
            return text
    return None


def _derivative_hint(z, got, expected, g, params, hints, hint):
    """The most specific hint for a finite, wrong result on the 1-D points."""
    def same(a, b):
        return np.allclose(a, b, rtol=1e-6, atol=1e-9)

    text = _matching_hint(z, got, g, params, hints)
    if text:
        return text
    if same(got, -expected):
        return "Your values have the wrong sign: look for a sign error."
    if same(got, np.asarray(g(z, **params), dtype=float)):
        return "These are the values of g itself, not of its derivative g'."
    if params and hasattr(g, "prime") and same(got, np.asarray(g.prime(z), dtype=float)):
        names = ", ".join(params)
        return f"Your values are right for the default {names}, not for the given one: use {names} in the formula."
    big = np.abs(expected) > 1e-6
    if not got.any() and big.any():
        return "Your function returns 0 everywhere: compute g'(z) from z (and return it)."
    if big.sum() >= 2:
        ratio = got[big] / expected[big]
        if np.allclose(ratio, ratio[0], rtol=1e-6) and not np.isclose(ratio[0], 1):
            return (f"Your values are {_fmt_factor(ratio[0])} times the right ones: look for a missing or extra "
                    "constant factor.")
    offset = got - expected
    if np.allclose(offset, offset[0], rtol=1e-6, atol=1e-9):
        return f"Your values differ from the right ones by the constant {_fmt(offset[0])}."
    return hint or "Compare your formula with the slide's, term by term, at the point shown."


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
        got, notes = _call_numeric(student_prime, z, params, name, f"{name}(z) for an array z of {z.size} points")
        if got.shape != z.shape:
            return _wrong(f"an array of shape {z.shape} (the shape of z)", f"shape {got.shape}",
                          "Apply the formula elementwise with numpy (np.tanh, np.abs, np.where); "
                          "not math.*, not a loop, no sums or reshapes.")
        warned = f" (numpy warned: {'; '.join(notes)})" if notes else ""
        finite = np.isfinite(got)
        if not finite.all():
            i = int(np.flatnonzero(~finite)[np.argmin(np.abs(z[~finite]))])
            advice = _matching_hint(z, got, g, params, hints)
            if advice is None and z[i] == 0 and finite.sum() == z.size - 1:
                advice = ("At z = 0 your formula divides 0 by 0 (e.g. g(z) / z). "
                          "Use a form of the derivative that is defined at z = 0.")
            elif advice is None:
                advice = "NaN or inf usually comes from an overflow in exp or a division by 0: use a stable form."
            return _wrong(f"{name}({_fmt(z[i])}) = {_fmt(expected[i])}", f"{got[i]} at z = {_fmt(z[i])}",
                          advice + warned)
        wrong = ~kink & ~np.isclose(got, expected, rtol=1e-6, atol=1e-9)
        if wrong.any():
            i = int(np.flatnonzero(wrong)[np.argmin(np.abs(z[wrong]))])
            ok = ~kink
            want_text, got_text = _apart(expected[i], got[i], _fmt)
            return _wrong(f"{name}({_fmt(z[i])}) = {want_text}", f"{got_text} at z = {_fmt(z[i])}",
                          _derivative_hint(z[ok], got[ok], expected[ok], g, params, hints, hint) + warned)

        got2, _ = _call_numeric(student_prime, grid, params, name, f"{name}(z) for z of shape (3, 4)")
        if got2.shape != grid.shape:
            transposed = (got2.shape == grid.shape[::-1]
                          and np.allclose(got2.T.ravel()[~kink2], expected2[~kink2], rtol=1e-6, atol=1e-9))
            return _wrong("an array of shape (3, 4) for z of shape (3, 4)", f"shape {got2.shape}",
                          "Your result is transposed: drop the .T and return the result in the shape of z."
                          if transposed else "Work elementwise: the result must have the shape of z.")
        wrong2 = ~kink2 & ~np.isclose(got2.ravel(), expected2, rtol=1e-6, atol=1e-9)
        if wrong2.any():
            i = int(np.flatnonzero(wrong2)[0])
            want_text, got_text = _apart(expected2[i], got2.ravel()[i], _fmt)
            return _wrong(f"{name}({_fmt(grid.ravel()[i])}) = {want_text} for z of shape (3, 4)",
                          got_text, "Don't flatten, sort or mix rows: work elementwise.")

        got0, _ = _call_numeric(student_prime, 0.5, params, name, f"{name}(0.5), a single number")
        if got0.shape != () or not np.isclose(got0, expected0[0], rtol=1e-6, atol=1e-9):
            return _wrong(f"{name}(0.5) = {_fmt(expected0[0])}, a single number", f"{got0!r}",
                          "A single number in should give a single number out (numpy functions do this).")
        skipped = (f" At the kink z = {', '.join(_fmt(v) for v in z[kink])} any finite value is accepted."
                   if kink.any() else "")
        note = f" Note: numpy warned: {'; '.join(notes)}." if notes else ""
        return _correct(f"{name} matches nnlib and central differences at {z.size + grid.size + 1} points, "
                        f"for arrays of any shape.{skipped}{note}")

    key = name + (f" ({', '.join(f'{k}={v!r}' for k, v in params.items())})" if params else "")
    return _run(run, key)


# --------------------------------------------------------- arrays, functions and networks
# Checks of the multilayer-perceptron exercises: numpy arrays (a layer's output s, a weight
# matrix Θ), a function of the layer sizes (D), and a classifier (XOR).

_SHAPES_HINT = ("The shapes in a product do not fit: A @ B needs as many columns in A as B has rows. "
                "Print each array's .shape and write down the shape of every product before you compute it.")
_THETA_SHAPE_HINT = ("θ^l has one row per node of layer l and M_{l-1} + 1 columns: column 0 holds the "
                     "thresholds θ_i0 (they multiply s_0 = 1), columns 1.. the weights from the nodes of layer l-1.")


def _advice_for(exc, shapes_hint):
    """A hint for an error of the student's code; shape errors get `shapes_hint`."""
    text = str(exc)
    if isinstance(exc, ValueError) and "theta[" in text and "must have shape" in text:
        return _THETA_SHAPE_HINT
    if isinstance(exc, ValueError) and any(w in text for w in ("matmul", "not aligned", "broadcast")):
        return shapes_hint
    return _error_hint(exc)


def _call_shaped(fn, args, name, expected, shapes_hint=_SHAPES_HINT, params=None):
    """Call the student's `fn` like :func:`_call`; a numpy shape error gets a hint about shapes."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise _Stop(_not_answered(name)) from None
    except Exception as exc:  # the student's code failed: tell them, kindly, and stop
        how = _at_the_call(fn, args, {}, exc)
        hint = _signature_hint(fn, args, {}, name, params, how, exc) if how else _advice_for(exc, shapes_hint)
        raise _Stop(_wrong(expected, f"an error from your code: {type(exc).__name__}: {exc}", hint)) from None


def _fmt_exact(x, digits=6):
    """An integer-valued number as an int (235146, not 2.35146e+05); others as :func:`_fmt`."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else _fmt(x, digits)


def _fmt_array(a, digits=6):
    """A small array on one line, entries in at most `digits` (6) significant digits."""
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        return _fmt_exact(a, digits)
    return np.array2string(a, separator=", ", max_line_width=10**6,
                           formatter={"float_kind": lambda v: _fmt_exact(v, digits)}).replace("\n", "")


def _as_array(value, name):
    """The student's value as a float ndarray, or a message and _Stop."""
    what = f"an array of numbers for {name}"
    found = _type_hint(value, "a numpy array of numbers")
    if found:
        raise _Stop(_wrong(what, *found))
    try:
        arr = np.array(value, dtype=object if getattr(value, "is_Matrix", False) else None)
        if arr.dtype.kind == "c":
            raise TypeError("complex")
        arr = arr.astype(float)
    except (TypeError, ValueError):
        raise _Stop(_wrong(what, f"a {type(value).__name__} that is not an array of real numbers",
                           "Return a numpy array of numbers (np.array, or the result of @ and numpy functions); "
                           "a SymPy expression with symbols in it is not a number.")) from None
    return arr


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


def _matching_array_hint(got, pairs, rtol, atol):
    """The text of the first hint whose array equals `got` (or whose predicate accepts it)."""
    for wrong, text in pairs:
        try:
            if callable(wrong):
                hit = bool(wrong(got))
            else:
                candidate = np.asarray(wrong, dtype=float)
                hit = candidate.shape == got.shape and np.allclose(got, candidate, rtol=rtol, atol=atol)
        except Exception:  # a hint that cannot judge this answer does not apply
            hit = False
        if hit:
            return text
    return None


def _compare_arrays(got, expected, name, pairs, hint, rtol, atol):
    """Message and result for the student's array `got` against `expected`."""
    if got.shape != expected.shape:
        text = _matching_array_hint(got, pairs, rtol, atol)
        if text is None and got.ndim == 2 and got.shape == expected.T.shape and np.allclose(
                got.T, expected, rtol=rtol, atol=atol):
            text = "Your result is transposed: its rows and columns are swapped (a .T too many or too few)."
        elif text is None and got.size == expected.size and np.allclose(
                got.reshape(expected.shape), expected, rtol=rtol, atol=atol):
            text = (f"The numbers are right, in an array of the wrong shape: give shape {expected.shape} "
                    "(np.ravel turns a column or a row into a 1-D array).")
        return _wrong(f"{name}: an array of shape {expected.shape}", f"an array of shape {got.shape}",
                      text or hint or "Write down the shape of every array you multiply and of the result.")
    small = expected.size <= 12
    bad = ~np.isfinite(got)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return _wrong(f"{name} = {_fmt_array(expected)}" if small else f"finite numbers in {name}",
                      f"{name} = {_fmt_array(got)}" if small else f"{got[index]} at {name}{list(index)}",
                      _matching_array_hint(got, pairs, rtol, atol)
                      or "NaN or inf usually comes from a division by 0 or an overflow in exp.")
    wrong = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    if not wrong.any():
        shown = f"{name} = {_fmt_array(got)}" if small else f"all {got.size} entries of {name} match"
        return _correct(f"{shown}.")
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    where = f"{name}[{', '.join(map(str, index))}]" if index else name
    if small:
        exp_text, got_text = _apart(expected, got)
        exp_text, got_text = f"{name} = {exp_text}", f"{name} = {got_text}  (first difference at {where})"
    else:
        exp_text, got_text = _apart(expected[index], got[index], _fmt)
        exp_text, got_text = f"{where} = {exp_text}", f"{where} = {got_text}"
    text = _matching_array_hint(got, pairs, rtol, atol)
    if text is None:
        big = np.abs(expected) > atol
        if np.allclose(got, -expected, rtol=rtol, atol=atol):
            text = "Your values have the wrong sign: look for a sign error."
        elif not got.any():
            text = (f"Every entry of {name} is 0: nothing was computed or added there. Check that your code "
                    f"fills {name} (a loop that never reaches it, a result not returned or not stored).")
        elif big.sum() >= 2 and np.allclose(got[big] / expected[big], (got[big] / expected[big]).flat[0], rtol=rtol):
            text = (f"Your values are {_fmt_factor((got[big] / expected[big]).flat[0])} times the right ones: look for a "
                    "missing or extra constant factor.")
        else:
            text = hint or f"Compute {where} by hand, term by term, and compare."
    return _wrong(exp_text, got_text, text)


def check_array(answer, expected, name="your array", hints=None, hint=None, rtol=1e-6, atol=1e-9):
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
    name : str
        How the message calls the array, e.g. ``"Θ"``.
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

    def run():
        value = (_call_shaped(answer, (), name, f"{name}: an array of shape {expected.shape}", params=())
                 if callable(answer) else answer)
        return _compare_arrays(_as_array(value, name), expected, name, pairs, hint, rtol, atol)

    return _run(run, name)


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
        (phi, "These are the pre-activations φ_i = Σ_j θ_ij s'_j: apply the activation, s_i = g(φ_i)."),
        (g(expected), "g is applied twice: the layer's output is g(φ), with g applied once."),
        (g(s_prev @ weights.T),
         "The thresholds are missing: the sum starts at j = 0 with s'_0 = 1, which adds θ_i0 (column 0 of θ)."),
        (g(s_prev @ weights.T - thresholds),
         "The threshold enters with a + sign: φ_i = θ_i0 · 1 + Σ_j θ_ij s'_j."),
        (g(s_prev @ theta[:, :-1].T + theta[:, -1]),
         "The thresholds are column 0 of θ (they multiply s'_0 = 1, which comes first), not the last column."),
    ]
    if weights.shape[0] == weights.shape[1]:
        pairs.append((g(s_prev @ weights + thresholds),
                      "You used θ where θᵀ is needed: φ_i = Σ_j θ_ij s'_j runs along row i of θ "
                      "(θ_ij is the weight from node j of the layer before to node i of this one)."))
    if hasattr(g, "prime"):
        pairs.append((g.prime(phi), "These are values of g', the derivative; the forward pass applies g itself."))
    shapes_hint = (f"θ has shape {theta.shape}: one row per node of this layer, and one column more than the "
                   f"layer before has nodes ({theta.shape[1] - 1}). Column 0 holds the thresholds θ_i0, which "
                   "multiply s'_0 = 1: put a 1 in front of the previous layer's output before you multiply.")

    def run():
        if callable(answer):
            value = _call_shaped(answer, (s_prev.copy(),), name, f"{name}: an array of shape {expected.shape}",
                                 shapes_hint)
        else:
            value = answer
        return _compare_arrays(_as_array(value, name), expected, name, pairs, hint, rtol, atol)

    return _run(run, name)


def check_function(answer, reference, cases, name="your function", hints=None, hint=None, rtol=1e-9, atol=0.0,
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
            found = _type_hint(answer, f"the function {name}")
            return _wrong(f"the function {name} itself", found[0] if found else f"{answer!r}, a value, not a function",
                          f"Give the function's name, {name}, without parentheses: the check calls it.")
        gots = []
        for case, want in zip(cases, wants):
            call = f"{name}({case!r})"
            value = _call(answer, (copy.deepcopy(case),), {}, name, f"{call} = {_fmt_exact(want)}", params)
            gots.append(_as_number(value, call))
        bad = [i for i, (got, want) in enumerate(zip(gots, wants)) if not _close(got, want, rtol, atol)]
        if not bad:
            shown = "; ".join(f"{name}({case!r}) = {_fmt_exact(want)}" for case, want in zip(cases, wants))
            return _correct(f"{name} is right for all {len(cases)} cases: {shown}.")
        i = bad[0]
        tables = [(text, wrong_values(fn)) for fn, text in hints.items()]

        def same(a, b):
            return a is not None and _close(a, b, rtol, atol)

        text = next((t for t, vals in tables if all(same(v, g) for v, g in zip(vals, gots))), None)
        text = text or next((t for t, vals in tables if same(vals[i], gots[i])), None)
        if text is None and wants[i] != 0 and _close(gots[i], -wants[i], rtol, atol):
            text = "Your value has the wrong sign."
        call = f"{name}({cases[i]!r})"
        want_text, got_text = _apart(wants[i], gots[i])
        return _wrong(f"{call} = {want_text}", f"{call} = {got_text}",
                      text or hint or "Work out this case by hand, term by term, and compare with your code.")

    return _run(run, name)


def _fmt_point(x):
    return "(" + ", ".join(_fmt_exact(v) for v in np.atleast_1d(x)) + ")"


def check_classifier(answer, X, t, name="your network", hint=None):
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
    name : str
        How the message calls the network.
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

    def run():
        expected = f"the sign of the output = t at all {n} points"
        value = _call_shaped(answer, (), name, expected, params=()) if callable(answer) else answer
        hidden = []
        if hasattr(value, "forward"):
            _, s = _call_shaped(value.forward, (X.copy(),), name, expected)
            value, hidden = s[-1], [np.asarray(layer, dtype=float) for layer in s[1:-1]]
        out = _as_array(value, f"the outputs of {name}")
        if out.ndim == 2 and out.shape[1] == 1:
            out = out[:, 0]
        if out.shape != (n,):
            return _wrong(f"one output per point: shape ({n},) or ({n}, 1)", f"shape {out.shape}",
                          "The network must have a single output node (M_L = 1).")
        right = np.sign(out) == t
        if right.all():
            shown = ", ".join(f"{_fmt_point(x)} → {_fmt_exact(o)}" for x, o in zip(X, out))
            return _correct(f"{name} classifies all {n} points right: {shown}.")
        wrong = np.flatnonzero(~right)
        i = wrong[0]
        got = (f"{int(right.sum())} of {n} right; wrong at x = " + ", ".join(_fmt_point(X[j]) for j in wrong)
               + f". At x = {_fmt_point(X[i])} the output is {_fmt_exact(out[i])}, the target {int(t[i]):+d}")
        if out[i] == 0:
            text = (f"At x = {_fmt_point(X[i])} the output is 0 (nnlib's g_E(0) = sgn(0) = 0): the point lies on "
                    "the boundary, in neither class. Move a threshold so that no φ is exactly 0 there.")
        elif not right.any() and np.all(np.sign(out) == -t):
            text = ("Every point is on the wrong side: your network computes the opposite function. "
                    "Flip the sign of every weight of the output layer, its threshold included.")
        else:
            trace = "; ".join(f"s^{l} = {_fmt_point(layer[i])}" for l, layer in enumerate(hidden, start=1))
            text = (f"Follow x = {_fmt_point(X[i])} through the network by hand" + (f" ({trace})" if trace else "")
                    + ". " + (hint or "Which node's sign is not what you planned?"))
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
    lost = ("Your Θ lost the output layer's thresholds θ²_i0: they multiply s¹_0 = 1, a constant that "
            "layer 1 does not compute. Put the row [1, 0, …, 0] on top of θ¹, so that [1, s¹] = θ̃¹ x̃.")
    order = ("The product is in the wrong order: x goes through layer 1 first, so the factor made from θ¹ "
             "stands on the right, next to x̃ (a product of matrices acts from right to left).")
    candidates = [
        (lambda: theta2[:, 1:] @ theta1, lost),
        (lambda: theta2 @ np.vstack([np.zeros((1, theta1.shape[1])), theta1]), lost),
        (lambda: theta2 @ np.vstack([theta1, _augmented(theta1)[:1]]),
         "The row [1, 0, …, 0] goes on top of θ¹: s¹_0 = 1 is entry 0 of [1, s¹], as x_0 = 1 is entry 0 of x̃."),
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
                  "The weights (columns 1..M_0) are right; column 0, the thresholds Θ_i0, is not. "
                  "Which constants reach the output when x = 0?"))
    shapes_hint = (f"θ² has shape {theta2.shape} and θ¹ {theta1.shape}: θ² has one column more than θ¹ has "
                   "rows, for s¹_0 = 1. Add the row that turns θ¹ x̃ into [1, s¹] before you multiply.")

    def run():
        if callable(answer):
            value = _call_shaped(answer, (theta1.copy(), theta2.copy()), name,
                                 f"{name}: an array of shape {expected.shape}", shapes_hint, ("theta1", "theta2"))
        else:
            value = answer
        return _compare_arrays(_as_array(value, name), expected, name, pairs, hint, rtol, atol)

    return _run(run, name)


__all__ += ["check_array", "check_layer", "check_function", "check_classifier", "check_collapse"]


# ------------------------------------------------------------------------------ BackProp
# Checks of the BackProp exercises: δ^L of a loss (check_output_delta), δ^l of one layer for one
# sample (check_delta) and one whole batch step (check_backprop_step). The right answer comes from
# nnlib.losses / nnlib.mlp.backprop and is itself compared with float64 central differences; the usual
# mistakes are recomputed (_output_variants, _backprop_variant) so that the hint can name the one made.

_BP_SHAPES_HINT = ("Check the shapes (print .shape). Backwards, δ^{l+1} (N × M_{l+1}) @ θ^{l+1}[:, 1:] "
                   "(M_{l+1} × M_l) gives N × M_l, the shape of φ^l: column 0 of θ (the thresholds) stays out of "
                   "the sum. Δθ^l = (ρ/N) δ^lᵀ [1, s^{l-1}] has the shape of θ^l, (M_l, M_{l-1} + 1): put the "
                   "column of ones (s_0 = 1) in front of s^{l-1}.")

_BP_HINTS = {
    "sign": ("Mind the sign: δ = −∂q/∂φ and Δθ = −ρ ∂q_S/∂θ = +(ρ/N) Σ_n δ s, so the step is θ^l += Δθ^l "
             "(downhill)."),
    "sign_delta": ("Mind the sign: δ is defined with a minus, δ^L_i = −∂q_n/∂φ^L_i, so it starts with "
                   "(t_i − s_i), not (s_i − t_i)."),
    "no_g_prime": ("The factor g'(φ) is missing: δ^L_i = (t_i − s_i) g'(φ^L_i) and "
                   "δ^l_i = g'(φ^l_i) Σ_r δ^{l+1}_r θ^{l+1}_ri."),
    "g_prime_of_s": ("g' is evaluated at the pre-activation φ, not at the output s = g(φ): g.prime(phi). "
                     "(For the sigmoid, g'(φ) = s (1 − s) written with s.)"),
    "g_not_prime": "That factor is g(φ) = s, the activation itself: δ needs its derivative g'(φ) (g.prime).",
    "no_g_output": "The output is s^L = g(φ^L): apply the activation to φ^L before you compare it with t.",
    "per_sample": ("δ is per sample, one row for each: no division by N in δ. The average over the samples, "
                   "(ρ/N) Σ_n, comes only in the increments Δθ."),
    "transposed": ("θ^{l+1}_ri is the weight from node i of layer l to node r of layer l+1: "
                   "Σ_r δ^{l+1}_r θ^{l+1}_ri runs down column i of θ^{l+1}, i.e. δ^{l+1} @ θ^{l+1}[:, 1:]; "
                   "you used θ_ir (θ transposed)."),
    "col0": ("Column 0 of θ^{l+1} holds the thresholds θ_r0, which no node of layer l feeds: node i's weight θ_ri "
             "is column i, so the backward sum uses theta[l+1][:, 1:]."),
    "no_threshold_forward": ("φ^l_i = Σ_{j=0} θ_ij s_j starts at j = 0 with s_0 = 1: add the thresholds "
                             "(column 0 of θ) in the forward pass."),
    "no_threshold_update": ("The thresholds learn too: Δθ^l_i0 = (ρ/N) Σ_n δ^l_i · 1 (s_0 = 1) is column 0 of "
                            "Δθ^l."),
    "ones_last": ("The 1 (s_0 = 1) goes first: Δθ^l = (ρ/N) δ^lᵀ [1, s^{l-1}], so column 0 is the threshold's "
                  "increment."),
    "sum_not_mean": "Divide by N: Δθ = (ρ/N) Σ_n δ_i(x_n) s_j(x_n) is an average over the N samples.",
    "interleaved": ("Compute every δ with the old weights, then update: you changed θ^{l+1} before you used it "
                    "for δ^l."),
    "ce_diag": ("This is the squared-error δ with slide 8's softmax derivative s_i (1 − s_i), only the diagonal "
                "of the Jacobian. For cross-entropy with softmax the whole chain rule gives simply "
                "δ_i = t_i − s_i."),
    "ce_squared": ("This is δ for squared error with a softmax output. For cross-entropy the chain rule "
                   "through the softmax simplifies to δ_i = t_i − s_i (using Σ_i t_i = 1)."),
    "ce_dq_ds": ("t_i / s_i is −∂q/∂s_i; δ = −∂q/∂φ goes on through the softmax: Σ_k (t_k/s_k) ∂s_k/∂φ_i "
                 "= t_i − s_i Σ_k t_k = t_i − s_i."),
    "ce_columns": ("The softmax normalises each sample (row) over its C outputs: sum along axis=1 (axis=-1), "
                   "not down the columns or over the whole array."),
    "ce_overflow": ("exp overflows for large φ (e.g. exp(1000) = inf, and inf/inf = NaN): subtract each row's "
                    "maximum before exp (softmax(φ) = softmax(φ − max φ)), or use g(phi_L), which does it."),
}


def _bp_hint(mistake):
    """The hint for a mistake of _output_variants / _backprop_variant (a variant shares its mistake's hint)."""
    return _BP_HINTS[mistake.replace("_all", "")]


def _output_variants(phi_L, t, loss, g):
    """``{mistake: δ^L}`` for the usual mistakes in the output layer's δ (samples as rows)."""
    from .. import losses

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
    from .. import losses

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
    from ..mlp import backprop
    from .. import losses
    from ..gradcheck import numerical_gradient, relative_error

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
    from .. import activations as act
    from .. import losses
    from ..gradcheck import numerical_gradient, relative_error

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
                         "δ is per sample: one row for each sample, shape (N, M_L). Do not average or sum over "
                         "the samples (axis 0); the average (ρ/N) Σ_n comes only in the increments Δθ.")]

    big = np.abs(phi_L).max(axis=1) > 30  # samples that overflow a naive exp: checked last

    def ask(rows):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            value = _call_shaped(answer, (phi_L[rows].copy(), t[rows].copy(), loss, g), name,
                                 f"{name}: an array of shape {expected[rows].shape}",
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
            return _wrong(f"{name}[{n}] = {want_text} for φ^L = {_fmt_array(phi_L[n])}", got_text,
                          _BP_HINTS["ce_overflow"] if loss == "cross_entropy"
                          else "Large |φ| makes exp overflow: use g(phi_L) and g.prime(phi_L), which are stable.")
        if not same(got, expected):
            return _compare_arrays(got, expected, name, pairs(slice(None)), hint, rtol, atol)
        extra = " (two with logits of ±1000)" if big.any() else ""
        return _correct(f"{name} matches nnlib.losses.{loss} and central differences of q_n for all "
                        f"{len(phi_L)} samples{extra}.")

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
    if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or not 1 <= l <= net.L:
        raise ValueError(f"l must be a layer 1..L = 1..{net.L}; got {l!r}")
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
        value = (_call_shaped(answer, (), name, f"{name}: {expected.size} number(s)", params=())
                 if callable(answer) else answer)
        got = _as_array(value, name)
        if got.shape != expected.shape and got.size == expected.size and got.ndim <= 1 and expected.ndim == 1:
            got = got.reshape(expected.shape)  # a plain number for a layer of one node, a list for a row
        return _compare_arrays(got, expected, name, pairs, hint or (
            f"Work out {name} node by node from the formula above, with the numbers of the forward pass."), rtol, atol)

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
    from ..mlp import backprop
    from ..gradcheck import numerical_gradient, relative_error

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
                                "an update of net.theta", _BP_SHAPES_HINT, ("net", "X", "t", "rho"))
        after = work.theta
        if len(after) != len(before) or any(
                not isinstance(a, np.ndarray) or a.shape != b.shape for a, b in zip(after[1:], before[1:])):
            shapes = [getattr(a, "shape", type(a).__name__) for a in after[1:]]
            return _wrong(f"net.theta with the shapes {[b.shape for b in before[1:]]}", f"shapes {shapes}",
                          _BP_SHAPES_HINT)
        got = [None] + [np.asarray(a, dtype=float) - b for a, b in zip(after[1:], before[1:])]
        if all(not d.any() for d in got[1:]):
            text = ("Add the increments to the weights in place: theta = net.theta, then theta[l] += Delta_l "
                    "(or net.theta[l] = ...)")
            if isinstance(returned, (list, tuple)):
                text += "; you returned them instead."
            return _wrong("net.theta changed by Δθ", "net.theta unchanged", text + ".")
        for l in range(net.L, 0, -1):
            if got[l].shape == expected[l].shape and np.allclose(got[l], expected[l], rtol=rtol, atol=atol):
                continue
            if not got[l].any():  # this layer's weights did not move: its update is missing, not scaled by 0
                changed = [k for k in range(1, net.L + 1) if got[k].any()]
                last = " (the output layer)" if l == net.L else ""
                loop = (f"Your loop over the layers stops before layer {l}: range(1, L) leaves out L; update every "
                        f"layer, range(1, L + 1), the output layer included." if l == net.L else
                        f"Update every layer, l = 1..L, layer {l} included.")
                return _wrong(f"θ^{l}{last} changed by Δθ^{l} = {_fmt_array(expected[l])}"
                              if expected[l].size <= 12 else f"θ^{l}{last} changed by Δθ^{l}",
                              f"θ^{l} unchanged: its update is missing (you changed "
                              f"{'θ^' + ', θ^'.join(map(str, changed))} only)",
                              loop + " Each θ^l gets its own increment Δθ^l = (ρ/N) δ^lᵀ [1, s^{l-1}].")
            pairs = [(c[1][l], _bp_hint(m)) for m, c in candidates
                     if c is not None and not np.allclose(c[1][l], expected[l], rtol=rtol, atol=atol)]
            text = f"The first wrong layer, going back from the output, is layer {l}. "
            return _compare_arrays(got[l], expected[l], f"Δθ^{l}", pairs,
                                   text + (hint or "Follow one sample through your code and through the slide's "
                                                   "equations, layer by layer."), rtol, atol)
        return _correct(f"every Δθ^l (l = 1..{net.L}) matches nnlib.mlp.backprop.increments and −ρ times the "
                        f"central-difference gradient of q_S (gradient check: relative error {worst:.1g}).")

    return _run(run, name)


__all__ += ["check_output_delta", "check_delta", "check_backprop_step"]


# ---------------------------------------------------------------------------- optimizers
# Checks of the optimizer exercises (11, 12): one update rule written as a function
# ``rule(theta, grad, *state, *hyperparameters) -> (theta, *state)``, run for several steps on a
# quadratic with the state it returns fed back into the next call, against nnlib.optim. The right
# rule is also written out here, from the slide or the paper, and must agree with nnlib.optim; the
# usual mistakes are run the same way, so that the hint can name the one made.

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
    shape_text = f"a tuple {returns}"
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
            got = (f"a {type(out).__name__} with {_items(out)}" if isinstance(out, (tuple, list))
                   else f"a single {type(out).__name__}")
            raise _Stop(_wrong(shape_text, got, f"Return the {1 + len(state0)} values together, in this order: "
                                                f"return {returns[1:-1]}. The next step needs them."))
        eps = max([eps] + [_eps_of(v) for v, s in zip(out, (theta, *state0)) if isinstance(s, np.ndarray)])
        values = [_as_array(v, n) for v, n in zip(out, ("θ", *state_names))]
        for value, want, n in zip(values, (theta, *state0), ("θ", *state_names)):
            want_shape = np.shape(want)
            if want_shape == () and value.size == 1:
                value = value.reshape(())  # t as a 1-element array
            if value.shape != want_shape:
                raise _Stop(_wrong(f"{n} of shape {want_shape} (as given)", f"{n} of shape {value.shape}",
                                   f"Work elementwise on the arrays you are given: {n} keeps its shape."))
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
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 2:
        raise ValueError(f"steps must be an int >= 2; got {steps!r}")
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
        warned = f" (numpy warned: {'; '.join(notes)})" if notes else ""
        precision = " (to float32 precision, as your answer is float32)" if eps > np.finfo(float).eps else ""
        # a usual mistake, seen later (for a float32 answer, told apart from the float64 mistakes 16 times looser)
        loose = eps if eps <= np.finfo(float).eps else 16 * eps
        known = next((t for thetas_v, t in variants if close(thetas, thetas_v, loose, equal_nan=True)), None)
        for k in range(1, steps + 1):
            got, want = thetas[k - 1], expected[k - 1]
            if np.all(np.isfinite(got)) and close(got, want, eps):
                pass
            else:
                before = " (θ(1) .. θ({}) were right)".format(k - 1) if k > 2 else (
                    " (θ(1) was right)" if k == 2 else "")
                text = known
                if text is None and k > 1:
                    text = (f"Your first step is right and step {k} is not: what you return besides θ is the "
                            f"input of the next step. Return {', '.join(state_names)} as they are after this step.")
                if text is None and close(got, -want, eps):
                    text = "Your values have the wrong sign: look for a sign error."
                if (text is None and eps < float32_eps and np.all(np.isfinite(got))
                        and all(close(thetas[j], expected[j], float32_eps) for j in range(steps))):
                    text = ("Your θ agrees with the right one to float32 precision (about 7 digits) only, and this "
                            "check expects float64 (about 16): compute in float64 throughout (no np.float32 or "
                            "dtype=np.float32 on the way), or return float32 arrays to be checked to float32 "
                            "precision.")
                want_text, got_text = _apart(want, got)
                return _wrong(f"θ({k}) = {want_text}", f"θ({k}) = {got_text}{before}",
                              (text or "Write the update one line per equation, as above, and compare "
                                       "term by term.") + warned)
            for n, got_s, want_s in zip(state_names, states[k - 1], expected_states[k - 1]):
                got_s, want_s = np.asarray(got_s, dtype=float), np.asarray(want_s, dtype=float)
                if not (np.all(np.isfinite(got_s)) and close(got_s, want_s, eps, state=True)):
                    want_text, got_text = _apart(want_s, got_s)
                    return _wrong(f"{n} after step {k}: {want_text}", f"{got_text} (θ({k}) is right)",
                                  (known or state_hint(n, k, got_s, want_s)) + warned)
        note = f" Note: numpy warned: {'; '.join(notes)}." if notes else ""
        return _correct(f"{name} matches {reference_name} for {steps} steps{precision}: θ and "
                        f"{', '.join(state_names)} after every step.{note}")

    return _run(run, name)


def _check_rate(value, argument, low=0.0, high=None, closed_low=False):
    """`value` as a float within (low, high) (or [low, high)), else ValueError naming `argument`."""
    from .._validate import check_finite_scalar

    value = check_finite_scalar(value, argument)
    if not ((value >= low if closed_low else value > low) and (high is None or value < high)):
        bounds = f"{'[' if closed_low else '('}{low}, {high if high is not None else '∞'})"
        raise ValueError(f"{argument} must be in {bounds}; got {value}")
    return value


def _momentum_right(theta, grad, Delta, rho, nu):
    Delta = -rho * grad + nu * Delta            # Δθ(k) = −ρ ∇q + ν Δθ(k−1)
    return theta + Delta, Delta                 # θ(k) = θ(k−1) + Δθ(k)


_MOMENTUM_MISTAKES = (
    (lambda th, g, D, rho, nu: (th + (rho * g + nu * D), rho * g + nu * D),
     "Mind the sign of ρ ∇q: the step goes downhill, Δθ(k) = −ρ ∇q + ν Δθ(k−1)."),
    (lambda th, g, D, rho, nu: (th + (-rho * g + nu * th), -rho * g + nu * th),
     "ν multiplies the previous increment Δθ(k−1) (the argument Delta_prev), not the weights θ."),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * D, D),
     "Δθ(k) is not stored: return the new increment Δθ(k), which the next step needs as Delta_prev "
     "(returning Delta_prev keeps it 0: that is plain gradient descent)."),
    (lambda th, g, D, rho, nu: (th - rho * g + nu * D, -rho * g),
     "Δθ(k) is not stored whole: return all of Δθ(k) = −ρ ∇q + ν Δθ(k−1), not only its gradient term −ρ ∇q."),
    (lambda th, g, D, rho, nu: (th + D, -rho * g + nu * D),
     "θ(k) = θ(k−1) + Δθ(k): add the new increment, computed first, not the previous one Δθ(k−1)."),
    (lambda th, g, D, rho, nu: (-rho * g + nu * D, th - rho * g + nu * D),
     "Return (theta_new, Delta) in this order: the new weights first, then the increment."),
    (lambda th, g, D, rho, nu: (th - rho * (g + nu * D), -rho * (g + nu * D)),
     "ρ multiplies only the gradient: Δθ(k) = −ρ ∇q + ν Δθ(k−1), with ν Δθ(k−1) added as it is."),
)


def check_momentum_step(answer, rho=0.1, nu=0.9, steps=6, name="momentum_step", rtol=1e-9, atol=1e-12):
    r"""Check one step of BackProp with momentum in the slides' form, ``answer(theta, grad, Delta_prev, rho, nu)``.

    .. math:: \Delta\theta(k) = -\rho\, \nabla q + \nu\, \Delta\theta(k-1), \qquad
              \theta(k) = \theta(k-1) + \Delta\theta(k), \qquad \Delta\theta(0) = 0

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
        Number of steps, at least 2.
    name : str
    rtol, atol : float

    Returns
    -------
    bool
    """
    from .. import optim

    rho = _check_rate(rho, "rho")
    nu = _check_rate(nu, "nu", 0.0, 1.0, closed_low=True)
    reference = _optim_trajectory(optim.Momentum(rho, nu=nu), steps if isinstance(steps, int) else 2)

    def state_hint(n, k, got, want):
        if np.allclose(got, -want / rho, rtol=rtol, atol=atol):
            return ("Your θ is right, and you return the velocity v(k) = ν v(k−1) + ∇q of the other common form "
                    "(θ −= ρ v). The slides' form returns the increment itself, Δθ(k) = θ(k) − θ(k−1) = −ρ v(k).")
        return "Return the increment of this step, Δθ(k) = θ(k) − θ(k−1), as Delta."

    return _check_rule(answer, _momentum_right, reference, f"nnlib.optim.Momentum(rho={rho:g}, nu={nu:g})",
                       (np.zeros_like(_RULE_THETA0),), ("Δθ",), (rho, nu), _MOMENTUM_MISTAKES, steps, name,
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


_ADAM_BIAS = ("The bias correction is missing: m and v start at 0, so early on they are too small by the "
              "factors 1 − β1^t and 1 − β2^t. Divide by them: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).")
_ADAM_MISTAKES = (
    (_adam_variant("no_bias"), _ADAM_BIAS),
    (_adam_variant("no_bias_m"), _ADAM_BIAS + " (You corrected v only.)"),
    (_adam_variant("no_bias_v"), _ADAM_BIAS + " (You corrected m only.)"),
    (_adam_variant("t0"), "NaN at the first step: the bias correction divided by 1 − β^0 = 0. t counts the steps "
                          "from 1: increase t (t = t + 1) first, then correct with β1^t and β2^t."),
    (_adam_variant("t_kept"), "Return the new step count t + 1: the next step's bias correction needs it."),
    (_adam_variant("eps_inside"), "ε goes outside the square root: √v̂ + ε, not √(v̂ + ε). It only "
                                  "matters where the gradients are tiny, as in one entry here."),
    (_adam_variant("swapped"), "β1 and β2 are swapped: β1 (0.9) averages the gradient g in m, β2 (0.999) "
                               "averages its square g² in v."),
    (_adam_variant("sign"), "Mind the sign: Adam steps downhill, θ − ρ m̂ / (√v̂ + ε)."),
    (_adam_variant("no_sqrt"), "Divide by the square root of v̂ (an average of g²), √v̂ + ε, so that the "
                               "step does not depend on the scale of the gradient."),
    (_adam_variant("efficient"), "That is the paper's faster ordering (α_t = α √(1 − β2^t) / (1 − β1^t), "
                                 "then α_t m / (√v + ε)), which moves ε. Write Algorithm 1 as it is: "
                                 "θ − ρ m̂ / (√v̂ + ε), as nnlib does."),
)


def check_adam_step(answer, rho=0.01, beta1=0.9, beta2=0.999, eps=1e-8, steps=6, name="adam_step",
                    rtol=1e-12, atol=1e-12):
    r"""Check one Adam step (Kingma & Ba 2015, Algorithm 1), ``answer(theta, grad, m, v, t, rho, beta1, beta2, eps)``.

    .. math:: t \leftarrow t + 1, \quad m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad
              v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \quad
              \hat m = \frac{m}{1 - \beta_1^t}, \quad \hat v = \frac{v}{1 - \beta_2^t}, \quad
              \theta \leftarrow \theta - \rho\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}

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
        Number of steps, at least 2.
    name : str
    rtol, atol : float

    Returns
    -------
    bool
    """
    from .. import optim

    rho = _check_rate(rho, "rho")
    beta1 = _check_rate(beta1, "beta1", 0.0, 1.0, closed_low=True)
    beta2 = _check_rate(beta2, "beta2", 0.0, 1.0, closed_low=True)
    eps = _check_rate(eps, "eps")
    reference = _optim_trajectory(optim.Adam(rho=rho, beta1=beta1, beta2=beta2, eps=eps),
                                  steps if isinstance(steps, int) else 2)

    def state_hint(n, k, got, want):
        if n == "t":
            return f"t counts the steps taken: after step {k} it is {k}. Return t + 1."
        other = {"m": "v", "v": "m"}[n]
        return (f"Return {n} itself, the running average before the bias correction (not {n}̂): the next step "
                f"starts from it. Check {n} and {other} are returned in the order (theta_new, m, v, t).")

    return _check_rule(answer, _adam_right, reference,
                       f"nnlib.optim.Adam(rho={rho:g}, beta1={beta1:g}, beta2={beta2:g}, eps={eps:g})",
                       (np.zeros_like(_RULE_THETA0), np.zeros_like(_RULE_THETA0), 0), ("m", "v", "t"),
                       (rho, beta1, beta2, eps), _ADAM_MISTAKES, steps, name, "(theta_new, m, v, t)", state_hint,
                       rtol, atol, ("theta", "grad", "m", "v", "t", "rho", "beta1", "beta2", "eps"))


__all__ += ["check_momentum_step", "check_adam_step"]


# --------------------------------------------------------------------------- a prediction

def check_choice(answer, options, correct, name="your prediction", explanation="", hints=None):
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
    name : str
        How the message calls the answer.
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

    def run():
        value = _call(answer, (), {}, name, f"one of {listed}", ()) if callable(answer) else answer
        if not isinstance(value, str):
            found = _type_hint(value, "a name in quotes")
            got = found[0] if found else (f"the number {value!r}" if isinstance(value, numbers.Number)
                                          else f"a {type(value).__name__}: {value!r}")
            return _wrong(f"one of {listed}", got, f"Return one of the names, as a string in quotes, e.g. {options[0]!r}.")
        if key(value) not in keys:
            return _wrong(f"one of {listed}", repr(value), "Return one of these names exactly (in quotes).")
        chosen = keys[key(value)]
        if chosen == correct:
            return _correct(f"{name}: {chosen!r}.{tail}")
        return _wrong(repr(correct), repr(chosen), hints.get(chosen, "Compare your reasoning with the measurement.")
                      + tail)

    return _run(run, name)


__all__ += ["check_choice"]


# The checks of later chapters live in one module per topic; they are part of nnlib.check.
from .applications import *  # noqa: E402,F401,F403
from .attention import *  # noqa: E402,F401,F403
from .augment import *  # noqa: E402,F401,F403
from .conv import *  # noqa: E402,F401,F403
from .normalization import *  # noqa: E402,F401,F403
from .recurrent import *  # noqa: E402,F401,F403
from .regularization import *  # noqa: E402,F401,F403
from . import applications as _check_applications, attention as _check_attention, augment as _check_augment, conv as _check_conv, normalization as _check_normalization, recurrent as _check_recurrent, regularization as _check_regularization  # noqa: E402

for _module in (_check_applications, _check_attention, _check_augment, _check_conv, _check_normalization, _check_recurrent, _check_regularization):
    __all__ += [name for name in _module.__all__ if name not in __all__]
del _module
