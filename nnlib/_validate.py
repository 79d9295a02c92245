"""Input checks shared by nnlib.

Every check raises an error that names the argument, says what was expected and what came,
e.g. ``TypeError("z must be a real numeric array; got dtype object")``.
"""

import numbers

import numpy as np

__all__ = ["as_real_array", "as_numeric", "check_finite_scalar", "check_positive", "check_nonnegative", "check_int",
           "check_unit", "check_shape",
           "check_labels", "is_labels", "check_float_dtype", "NonFinite"]


class NonFinite(ValueError):
    """A value that must be finite holds NaN or ±inf (raised by ``as_real_array`` and the checks built on it).

    Inside a training loop, whose inputs were checked at the start, it means the weights or the pre-activations
    blew up: :class:`nnlib.loop.DivergenceCheck` turns it into :class:`nnlib.loop.Diverged` by its type.
    """

_KEPT_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def as_real_array(x, name, dtype=None, finite=True):
    """Return `x` as a real floating-point ndarray, or raise naming `name`.

    bool and integer input becomes float64; float32 and float64 are kept; other floats
    (float16, longdouble) become float64. With `dtype` the result is cast to it.

    Parameters
    ----------
    x : array_like
        The value to check (scalar, list or ndarray).
    name : str
        The argument's name, used in error messages.
    dtype : dtype, optional
        Floating-point dtype of the result (default: keep float32/float64, else float64).
    finite : bool, default True
        If True, NaN or ±inf raise ``ValueError``; if False only NaN does.

    Raises
    ------
    TypeError
        If `x` is not real numeric (object, str, complex, None, ragged lists).
    ValueError
        If `x` contains NaN (or ±inf when `finite`).
    """
    arr = as_numeric(x, name)
    if dtype is not None:
        target = np.dtype(dtype)
        if target.kind != "f":
            raise TypeError(f"dtype must be a floating-point dtype; got {target}")
    else:
        target = arr.dtype if arr.dtype in _KEPT_FLOATS else np.dtype(np.float64)
    arr = arr.astype(target, copy=False)
    if not np.isfinite(arr).all():  # one pass in the common case; diagnose only on failure
        if np.isnan(arr).any():
            raise NonFinite(f"{name} must not contain NaN; got {int(np.isnan(arr).sum())} NaN value(s)")
        if finite:
            raise NonFinite(f"{name} must be finite; got {int(np.isinf(arr).sum())} infinite value(s)")
    return arr


def as_numeric(x, name, what="a real numeric array", numeric=None):
    """`x` as an ndarray of bool, int or float (no conversion), or a TypeError naming `name`: ``"{name} must be
    {what}; got a ragged list"`` or ``"... must be {numeric or what}; got dtype object"``."""
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):  # ragged nested lists
        raise TypeError(f"{name} must be {what}; got a ragged {type(x).__name__}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be {numeric or what}; got dtype {arr.dtype}")
    return arr


def check_finite_scalar(value, name):
    """Return `value` as a float if it is a finite real number, else raise naming `name`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise NonFinite(f"{name} must be finite; got {value}")
    return value


def check_int(value, name, minimum=1, what="", maximum=None):
    """`value` as a Python int in ``minimum..maximum``, or a ValueError naming `name`.

    The one integer check of nnlib (sizes, counts, epochs, block sizes, indices): bool and ``np.bool_`` are
    refused (``True`` is not a layer size), as are floats, even whole ones (``2.0``).

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        The argument's name, used in the message.
    minimum : int, default 1
        The smallest value allowed.
    what : str, optional
        What the number counts, e.g. ``"the block size"``: added to the message in parentheses.
    maximum : int, optional
        The largest value allowed (None: no upper bound).

    Raises
    ------
    ValueError
        ``"B must be an integer >= 1 (the block size); got 0"``.
    """
    ok = (not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Integral) and value >= minimum
          and (maximum is None or value <= maximum))
    if not ok:
        bound = f">= {minimum}" if maximum is None else f"in {minimum}..{maximum}"
        raise ValueError(f"{name} must be an integer {bound}{f' ({what})' if what else ''}; got {value!r}")
    return int(value)


def check_unit(value, name, low_open=False, high_open=False, what=""):
    """`value` as a float in the unit interval [0, 1] (a probability, a rate, a fraction), or an error naming `name`.

    `low_open` / `high_open` exclude 0 / 1, e.g. a dropout probability ``check_unit(p, "p", high_open=True)``
    lies in [0, 1).

    Raises
    ------
    TypeError
        If `value` is not a real number (bool refused).
    ValueError
        If it is outside the interval: ``"p must be a number in [0, 1) (the drop probability); got 1.0"``.
    """
    v = check_finite_scalar(value, name)
    if (v < 0 or v > 1) or (low_open and v == 0) or (high_open and v == 1):
        interval = f"{'(' if low_open else '['}0, 1{')' if high_open else ']'}"
        raise ValueError(f"{name} must be a number in {interval}{f' ({what})' if what else ''}; got {value!r}")
    return v


def check_positive(value, name):
    """Return `value` as a float if it is a finite real number > 0, else raise naming `name`."""
    value = check_finite_scalar(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0; got {value}")
    return value


def check_nonnegative(value, name, what=""):
    """Return `value` as a float if it is a finite real number >= 0 (a scale, a rate, an angle), else raise naming
    `name`: ``"sigma must be a number >= 0 (the noise level); got -0.1"``."""
    v = check_finite_scalar(value, name)
    if v < 0:
        raise ValueError(f"{name} must be a number >= 0{f' ({what})' if what else ''}; got {value!r}")
    return v


def check_shape(x, shape, name):
    """Raise ``ValueError`` naming `name` unless ``x.shape`` matches `shape`.

    `shape` is a tuple whose entries are ints or ``None`` (any size), e.g. ``(None, 3)``.
    """
    ok = len(x.shape) == len(shape) and all(e is None or e == g for e, g in zip(shape, x.shape))
    if not ok:
        expected = "(" + ", ".join("any" if e is None else str(e) for e in shape) + ("," if len(shape) == 1 else "") + ")"
        raise ValueError(f"{name} must have shape {expected}; got shape {tuple(x.shape)}")
    return x


def is_labels(t, ndim_out):
    """True if `t` has the shape of class labels for outputs of `ndim_out` dimensions (one dimension fewer)
    and a numeric dtype (:func:`check_labels` then checks the values)."""
    try:
        t = np.asarray(t)
    except (ValueError, TypeError):
        return False
    return t.ndim == ndim_out - 1 and t.dtype.kind in "biuf"   # booleans: refused by check_labels, by name


def check_labels(t, N, C, name="t"):
    """`t` as an int64 array of class labels in 0..C-1, one per sample, or raise naming `name`.

    Every entry point that takes class labels (the losses, ``backprop``, ``train``, ``Sequential``,
    ``diagnostics``) checks them here, so each gives the same message.

    Parameters
    ----------
    t : array_like
        The labels: integers, or floats holding whole numbers (e.g. 2.0).
    N : int or None
        The number of samples: `t` must have shape (N,). None: any 1-D `t`, or a scalar (one sample).
    C : int
        The number of classes (outputs M_L); labels lie in 0..C-1.
    name : str
        The argument's name, used in error messages.

    Raises
    ------
    TypeError
        If `t` is not numeric (or is boolean).
    ValueError
        If `t` has the wrong number of labels, a label is not a whole number, or lies outside 0..C-1.
    """
    who = name if name == "labels" else f"{name}: labels"      # e.g. "t: labels must lie in 0..C-1"
    try:
        arr = np.asarray(t)
    except (ValueError, TypeError):  # ragged nested lists
        raise TypeError(f"{who} must be integers in 0..C-1 = 0..{C - 1}; got a ragged {type(t).__name__}") from None
    if arr.dtype.kind == "f":
        whole = np.isfinite(arr) & (arr == np.round(arr))
        if not whole.all():
            raise ValueError(f"{who} must be integers in 0..C-1 = 0..{C - 1}; got non-integer value(s) "
                             f"{arr[~whole].ravel()[:5].tolist()}")
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "iu":
        raise TypeError(f"{who} must be integers in 0..C-1 = 0..{C - 1}; got dtype {arr.dtype}")
    if N is None:
        if arr.ndim > 1:
            raise ValueError(f"{who} must be 1-D (one label per sample) or a single label; got shape {arr.shape}")
    elif arr.shape != (N,):
        count = f"{arr.shape[0]} label(s) for {N} sample(s)" if arr.ndim == 1 else f"shape {arr.shape}"
        raise ValueError(f"{who} must be one per sample, shape (N,) = ({N},); got {count}")
    bad = (arr < 0) | (arr >= C)
    if bad.any():
        raise ValueError(f"{who} must lie in 0..C-1 = 0..{C - 1}; got {arr[bad].ravel()[:5].tolist()}"
                         f"{' ...' if bad.sum() > 5 else ''}")
    return arr.astype(np.int64, copy=False)


def check_float_dtype(dtype, name="dtype"):
    """`dtype` as a numpy floating-point dtype (float32, float64, ...), or a TypeError naming `name`.

    Weights must be floating point: an integer dtype would silently round every initial weight (and every
    update) to a whole number.
    """
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be a floating-point dtype such as numpy.float64; got {dtype!r}") from None
    if dt.kind != "f":
        raise TypeError(f"{name} must be a floating-point dtype such as numpy.float64 (weights are real numbers); "
                        f"got {dt}")
    return dt
