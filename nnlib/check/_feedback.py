"""The plumbing every exercise check shares: messages, calls of the student's code, formatting, results.

A check prints one short message and returns ``True`` or ``False``; it never lets a traceback reach the
student for a wrong answer::

    ✔ Correct! ...
    ✘ Not quite.
      Expected: ...
      Got:      ...
      Hint:     ...

- ``_correct``, ``_wrong``, ``_not_answered`` print the messages;
- ``_call`` and ``_call_shaped`` call the student's function, and turn NotImplementedError or any
  other error into a message (a hint for the usual errors, the parameters a ``def`` line must have);
- ``_Stop`` ends a check early, after its message; ``_run`` runs a check and records its result
  under its name, for :func:`~nnlib.check.summary` and :func:`~nnlib.check.results`;
- ``_as_number``, ``_as_array`` read the student's value, or stop with a message naming its kind;
  ``_compare_arrays`` compares an array entry by entry and names a wrong shape, sign or factor;
- ``_fmt``, ``_fmt_exact``, ``_fmt_array``, ``_apart`` print numbers and arrays with as many
  digits as it takes for an Expected and a Got to differ;
- ``_check_rate`` checks a rate or hyperparameter that the notebook's author gives a check;
- ``language`` sets the language of the messages (``"en"``, the default, or ``"es"``; the initial one comes
  from the environment variable ``NNLIB_LANG``); ``_t`` builds every message from its literal English template,
  looked up in the Spanish table ``nnlib.check._es`` when the language is Spanish. A table of messages that a
  module keeps (``_Table``) is built when it is read, in the language of that moment.

The topic modules of :mod:`nnlib.check` import from here and from nnlib proper, never from each other's
private names; this module imports nothing from :mod:`nnlib.check` but its table of Spanish messages.
SymPy is imported only when needed.
"""

import importlib
import inspect
import math
import numbers
import os
import re

import numpy as np

from .._validate import check_finite_scalar

_RESULTS = {}  # check name -> latest result, for summary()


class _Stop(Exception):
    """Ends a check early, after its message has been printed; carries the check's result."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


_LANGUAGES = ("en", "es")


_LANGUAGE = "es" if os.environ.get("NNLIB_LANG") == "es" else "en"  # NNLIB_LANG=es: Spanish; else English


def language(code=None):
    """The language of the checks' messages: ``language("es")`` sets Spanish, ``language("en")`` English.

    Without an argument, returns the current one. It starts as ``"es"`` when the environment variable
    ``NNLIB_LANG`` is ``es`` (for the Spanish edition of the book), else as ``"en"``, the default.

    Parameters
    ----------
    code : {"en", "es"}, optional
        The language to set.

    Returns
    -------
    str
        The language now in use, ``"en"`` or ``"es"``.

    Raises
    ------
    ValueError
        If `code` is neither ``"en"`` nor ``"es"``.
    """
    global _LANGUAGE
    if code is not None:
        if not isinstance(code, str) or code not in _LANGUAGES:
            raise ValueError(f"code must be 'en' (English) or 'es' (Spanish); got {code!r}")
        _LANGUAGE = code
    return _LANGUAGE


def _t(template, /, **values):
    """The message `template` (English, with ``{placeholders}``) in the current language, filled with `values`.

    Every message of the checks is built here, from a literal English template: in Spanish the template is
    looked up in ``nnlib.check._es.ES`` (an English template without a Spanish entry stays English), then
    ``str.format(**values)`` fills it. Literal braces in a template are written ``{{`` and ``}}``.
    """
    if _LANGUAGE == "es":
        template = _spanish().get(template, template)
    return template.format(**values)


def _spanish():
    """The Spanish templates, ``nnlib.check._es.ES`` (English template -> Spanish template): a table of data,
    loaded the first time a Spanish message is made (an English session never reads it)."""
    return importlib.import_module("._es", __package__).ES


class _Table:
    """A module's table of (value, message) rows whose messages follow the language in use.

    ``_Table(build)`` reads like the tuple ``build()`` returns (iteration, ``len``, ``[i]``), built again each time
    it is read, so that its messages (``_t`` calls inside `build`) are in the language set when they are used.
    """

    def __init__(self, build):
        self._build = build

    def __iter__(self):
        return iter(self._build())

    def __len__(self):
        return len(self._build())

    def __getitem__(self, index):
        return self._build()[index]


_WIDTH = 80  # messages wrap at the width of the book's code column; None: one line each (the tests)


def _say(text):
    """Print `text` with every line wrapped at ``_WIDTH`` columns.

    A continuation line starts under the text of its ``Label:`` (``  Expected: ...``), or two spaces in.
    """
    import textwrap
    lines = []
    for line in text.split("\n"):
        label = re.match(r"\s+\w+:\s+", line)
        indent = " " * label.end() if label else "  "
        lines.extend(textwrap.wrap(line, _WIDTH, subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False) if _WIDTH and len(line) > _WIDTH else [line])
    print("\n".join(lines))


def _correct(detail):
    _say(_t("✔ Correct! {detail}", detail=detail))
    return True


def _wrong(expected, got, hint):
    if str(expected) == str(got):  # never print a rejection whose two lines read the same
        got = _t("{got} (the same to the digits shown: the difference is smaller than they show)", got=got)
    _say(_t("✘ Not quite.\n  Expected: {expected}\n  Got:      {got}\n  Hint:     {hint}",
            expected=expected, got=got, hint=hint))
    return False


def _not_answered(name):
    _say(_t("✘ Not answered yet: {name} still raises NotImplementedError. Replace the "
            "`raise NotImplementedError(...)` line with your answer, run that cell, then run this check again.",
            name=name))
    return False


_BINDING_ERROR = re.compile(r"(\w+)\(\) (takes|missing \d+ required|got an unexpected keyword|"
                            r"got multiple values|got some positional-only)")


def _error_hint(exc):
    """A hint for a common error raised by the student's code."""
    text = str(exc)
    binding = _BINDING_ERROR.search(text) if isinstance(exc, TypeError) else None
    if binding and "unexpected keyword argument" not in text:
        return _t("{fname}() was called with arguments that its `def` line does not take: the error is "
                  "in the line `def {fname}(...)` or in the call, not in the function's body. Make them "
                  "agree: as many arguments as parameters, in the same order (the exercise's text names them).",
                  fname=binding.group(1))
    if "truth value of an array" in text:
        return _t("`if` (or `and`/`or`) on a numpy array is ambiguous: choose elementwise with "
                  "np.where(condition, value_if_true, value_if_false).")
    if "arrays can be converted to Python scalars" in text or "only length-1 arrays" in text:
        return _t("A `math.` function got an array: use the numpy one instead (np.exp, np.tanh, np.abs).")
    if "unexpected keyword argument" in text:
        return _t("Your function must accept this keyword argument ({argument}).",
                  argument=text.split("argument")[-1].strip())
    if isinstance(exc, NameError):
        return _t("A name is not defined: run the cells above first (imports, earlier steps), then this one.")
    return _t("Fix the line of your code that raises this error, run that cell again, then this check.")


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
    yours = _t("yours do not fit")
    if how == "direct":
        try:
            yours = _t("yours are {signature}", signature=inspect.signature(fn))
        except (TypeError, ValueError):
            pass
    if params is None and how == "wrapped":
        return _t("The error is in the `def` line, not in the body: the parameters of {fname} do not fit the "
                  "arguments the check gives it. Give {fname} the parameters the exercise names, in that order.",
                  fname=fname)
    if params is None:
        n = len(args)
        given = _t("{n} positional argument", n=n) if n == 1 else _t("{n} positional arguments", n=n)
        if kwargs:
            names = ", ".join(kwargs)
            keywords = (_t("the keyword argument {names}", names=names) if len(kwargs) == 1
                        else _t("the keyword arguments {names}", names=names))
            given = _t("{positional} and {keywords}", positional=given, keywords=keywords)
        return _t("The error is in the `def` line, not in the body: the check calls {fname} with "
                  "{given}, and {yours}. Give {fname} the parameters the exercise names, in that order.",
                  fname=fname, given=given, yours=yours)
    params = tuple(params)
    wanted = ", ".join(params)
    if not params:
        return _t("The error is in the `def` line, not in the body: the check calls {fname}() with no arguments, "
                  "so {fname} takes no parameters ({yours}). Write the line as `def {fname}():`.",
                  fname=fname, yours=yours)
    return _t("The error is in the `def` line, not in the body: the check calls {fname}({wanted}), so the "
              "function's parameters must be ({wanted}), in this order; {yours}. Write the line as "
              "`def {fname}({wanted}):`.", fname=fname, wanted=wanted, yours=yours)


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
        raise _Stop(_wrong(expected, _code_error(exc), hint)) from None


def _code_error(exc):
    """The Got of a message for an error raised by the student's code."""
    return _t("an error from your code: {error}: {text}", error=type(exc).__name__, text=exc)


def _run(check, key):
    """Run `check` and record its result under `key`; an answer that breaks the check is reported, never raised."""
    try:
        result = check()
    except _Stop as stop:
        result = stop.result
    except Exception as exc:  # an answer of a kind no branch foresaw
        result = _wrong(_t("an answer the check can read"),
                        _t("something it could not use ({error}: {text})", error=type(exc).__name__, text=exc),
                        _t("Give the kind of value the exercise asks for (see the text above the cell)."))
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
        print(_t("No check has run yet: run the cells above, from the top."))
    elif pending:
        print(_t("{done} of {total} checks correct so far. Still to do: {pending}.",
                 done=len(done), total=len(_RESULTS), pending="; ".join(pending)))
    else:
        print(_t("✔ All {done} checks correct. Well done!", done=len(done)))
    return bool(_RESULTS) and not pending


def _type_hint(value, what):
    """(Got, Hint) for an answer of the wrong kind, or None if `value` may be fine."""
    if value is None:
        return "None", _t("Did your function `return` its result? A function without `return` gives None.")
    if isinstance(value, str):
        return _t("the text {value!r}", value=value), _t("Give {what}, not a string (no quotes around it).", what=what)
    if isinstance(value, (bool, np.bool_)):
        return repr(value), _t("`==` compares two things and gives True/False; give {what} itself.", what=what)
    return None


def _items(value):
    """'1 item', '3 items' for anything with a length or a size."""
    n = len(value) if hasattr(value, "__len__") else getattr(value, "size", None)
    if n is None:
        return _t("several items")
    return _t("{n} item", n=n) if n == 1 else _t("{n} items", n=n)


def _kind(value):
    """'a list', 'a str': the kind of a value, for a Got."""
    return _t("a {kind}", kind=type(value).__name__)


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

    `fmt(value, digits)` prints one value (default: ``_fmt_array`` for arrays, ``_fmt_exact``
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
            at = _t(" at [{index}]", index=", ".join(map(str, i))) if array and i else ""
            got_text += _t(" (differs by {diff:+.2g}{at})", diff=float(diff[i]), at=at)
        except (TypeError, ValueError):  # shapes that do not broadcast, or all NaN: the texts say enough
            pass
    return want_text, got_text


def _sympy():
    try:
        import sympy
    except ImportError as exc:  # pragma: no cover - sympy is in requirements.txt
        raise ImportError("nnlib.check's symbolic checks need SymPy: pip install sympy") from exc
    return sympy


def _as_number(value, name):
    """A real float from a Python, numpy or SymPy number, or a message and _Stop."""
    found = _type_hint(value, _t("a number"))
    if found:
        raise _Stop(_wrong(_t("a number for {name}", name=name), *found))
    if isinstance(value, (list, tuple, set)) or (isinstance(value, np.ndarray) and value.size != 1):
        raise _Stop(_wrong(_t("one number for {name}", name=name),
                           _t("a {kind} with {items}: {value!r}", kind=type(value).__name__, items=_items(value),
                              value=value),
                           _t("Give a single number. sp.solve returns a list: pick the element, e.g. [0].")))
    if isinstance(value, np.ndarray):
        value = value.reshape(()).item()
    if isinstance(value, numbers.Number):
        number = complex(value)
    else:
        sp = _sympy()
        try:
            expr = sp.sympify(value, strict=True)
        except (sp.SympifyError, TypeError, ValueError):
            raise _Stop(_wrong(_t("a number for {name}", name=name), _kind(value),
                               _t("Give a number (e.g. 0.5 or sp.Rational(1, 2))."))) from None
        if getattr(expr, "free_symbols", None):
            symbols = ", ".join(sorted(x.name for x in expr.free_symbols))
            raise _Stop(_wrong(_t("a number for {name}", name=name),
                               _t("an expression in {symbols}: {expr}", symbols=symbols, expr=expr),
                               _t("Substitute a value for {symbols} (e.g. expr.subs(z, 1)) to get a number.",
                                  symbols=symbols)))
        try:
            number = complex(sp.N(expr))
        except (TypeError, ValueError):
            raise _Stop(_wrong(_t("a number for {name}", name=name), f"{expr}", _t("Give a real number."))) from None
    if number.imag != 0 or not math.isfinite(number.real):
        raise _Stop(_wrong(_t("a real, finite number for {name}", name=name), str(value),
                           _t("Give a real, finite number.")))
    return number.real


def _close(a, b, rtol, atol):
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def _shapes_hint():
    return _t("The shapes in a product do not fit: A @ B needs as many columns in A as B has rows. "
              "Print each array's .shape and write down the shape of every product before you compute it.")


def _theta_shape_hint():
    return _t("θ^l has one row per node of layer l and M_{{l-1}} + 1 columns: column 0 holds the "
              "thresholds θ_i0 (they multiply s_0 = 1), columns 1.. the weights from the nodes of layer l-1.")


def _advice_for(exc, shapes_hint):
    """A hint for an error of the student's code; shape errors get `shapes_hint` (None: the general one)."""
    text = str(exc)
    if isinstance(exc, ValueError) and "theta[" in text and "must have shape" in text:
        return _theta_shape_hint()
    if isinstance(exc, ValueError) and any(w in text for w in ("matmul", "not aligned", "broadcast")):
        return shapes_hint or _shapes_hint()
    return _error_hint(exc)


def _call_shaped(fn, args, name, expected, shapes_hint=None, params=None):
    """Call the student's `fn` like ``_call``; a numpy shape error gets a hint about shapes (`shapes_hint`, or by
    default one about the shapes in a product)."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise _Stop(_not_answered(name)) from None
    except Exception as exc:  # the student's code failed: tell them, kindly, and stop
        how = _at_the_call(fn, args, {}, exc)
        hint = _signature_hint(fn, args, {}, name, params, how, exc) if how else _advice_for(exc, shapes_hint)
        raise _Stop(_wrong(expected, _code_error(exc), hint)) from None


def _fmt_exact(x, digits=6):
    """An integer-valued number as an int (235146, not 2.35146e+05); others as ``_fmt``."""
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
    what = _t("an array of numbers for {name}", name=name)
    found = _type_hint(value, _t("a numpy array of numbers"))
    if found:
        raise _Stop(_wrong(what, *found))
    try:
        arr = np.array(value, dtype=object if getattr(value, "is_Matrix", False) else None)
        if arr.dtype.kind == "c":
            raise TypeError("complex")
        arr = arr.astype(float)
    except (TypeError, ValueError):
        raise _Stop(_wrong(what, _t("a {kind} that is not an array of real numbers", kind=type(value).__name__),
                           _t("Return a numpy array of numbers (np.array, or the result of @ and numpy functions); "
                              "a SymPy expression with symbols in it is not a number."))) from None
    return arr


def _matching_array_hint(got, pairs, rtol, atol):
    """The text of the first hint whose array equals `got`, NaN and inf included (or whose predicate accepts it)."""
    for wrong, text in pairs:
        try:
            if callable(wrong):
                hit = bool(wrong(got))
            else:
                candidate = np.asarray(wrong, dtype=float)
                hit = candidate.shape == got.shape and np.allclose(got, candidate, rtol=rtol, atol=atol, equal_nan=True)
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
            text = _t("Your result is transposed: its rows and columns are swapped (a .T too many or too few).")
        elif text is None and got.size == expected.size and np.allclose(
                got.reshape(expected.shape), expected, rtol=rtol, atol=atol):
            text = _t("The numbers are right, in an array of the wrong shape: give shape {shape} "
                      "(np.ravel turns a column or a row into a 1-D array).", shape=expected.shape)
        return _wrong(_t("{name}: an array of shape {shape}", name=name, shape=expected.shape),
                      _t("an array of shape {shape}", shape=got.shape),
                      text or hint or _t("Write down the shape of every array you multiply and of the result."))
    small = expected.size <= 12
    bad = ~np.isfinite(got)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return _wrong(f"{name} = {_fmt_array(expected)}" if small else _t("finite numbers in {name}", name=name),
                      f"{name} = {_fmt_array(got)}" if small else _t("{value} at {name}{index}", value=got[index],
                                                                        name=name, index=list(index)),
                      _matching_array_hint(got, pairs, rtol, atol)
                      or _t("NaN or inf usually comes from a division by 0 or an overflow in exp."))
    wrong = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    if not wrong.any():
        shown = (f"{name} = {_fmt_array(got)}" if small
                 else _t("all {size} entries of {name} match", size=got.size, name=name))
        return _correct(f"{shown}.")
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    where = f"{name}[{', '.join(map(str, index))}]" if index else name
    if small:
        exp_text, got_text = _apart(expected, got)
        exp_text = f"{name} = {exp_text}"
        got_text = _t("{name} = {value}  (first difference at {where})", name=name, value=got_text, where=where)
    else:
        exp_text, got_text = _apart(expected[index], got[index], _fmt)
        exp_text, got_text = f"{where} = {exp_text}", f"{where} = {got_text}"
    text = _matching_array_hint(got, pairs, rtol, atol)
    if text is None:
        big = np.abs(expected) > atol
        if np.allclose(got, -expected, rtol=rtol, atol=atol):
            text = _t("Your values have the wrong sign: look for a sign error.")
        elif not got.any():
            text = _t("Every entry of {name} is 0: nothing was computed or added there. Check that your code "
                      "fills {name} (a loop that never reaches it, a result not returned or not stored).", name=name)
        elif big.sum() >= 2 and np.allclose(got[big] / expected[big], (got[big] / expected[big]).flat[0], rtol=rtol):
            text = _t("Your values are {factor} times the right ones: look for a missing or extra constant factor.",
                      factor=_fmt_factor((got[big] / expected[big]).flat[0]))
        else:
            text = hint or _t("Compute {where} by hand, term by term, and compare.", where=where)
    return _wrong(exp_text, got_text, text)


def _check_rate(value, argument, low=0.0, high=None, closed_low=False):
    """`value` as a float within (low, high) (or [low, high)), else ValueError naming `argument`."""
    value = check_finite_scalar(value, argument)
    if not ((value >= low if closed_low else value > low) and (high is None or value < high)):
        bounds = f"{'[' if closed_low else '('}{low}, {high if high is not None else '∞'})"
        raise ValueError(f"{argument} must be in {bounds}; got {value}")
    return value
