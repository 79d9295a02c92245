"""Input checks shared by nnlib.

Every check raises an error that names the argument, says what was expected and what came,
e.g. ``TypeError("z must be a real numeric array; got dtype object")``.
"""

import numbers

import numpy as np

__all__ = ["as_real_array", "check_finite_scalar", "check_positive", "check_shape"]

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
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):  # ragged nested lists
        raise TypeError(f"{name} must be a real numeric array; got a ragged {type(x).__name__}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array; got dtype {arr.dtype}")
    if dtype is not None:
        target = np.dtype(dtype)
        if target.kind != "f":
            raise TypeError(f"dtype must be a floating-point dtype; got {target}")
    else:
        target = arr.dtype if arr.dtype in _KEPT_FLOATS else np.dtype(np.float64)
    arr = arr.astype(target, copy=False)
    if not np.isfinite(arr).all():  # one pass in the common case; diagnose only on failure
        if np.isnan(arr).any():
            raise ValueError(f"{name} must not contain NaN; got {int(np.isnan(arr).sum())} NaN value(s)")
        if finite:
            raise ValueError(f"{name} must be finite; got {int(np.isinf(arr).sum())} infinite value(s)")
    return arr


def check_finite_scalar(value, name):
    """Return `value` as a float if it is a finite real number, else raise naming `name`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    return value


def check_positive(value, name):
    """Return `value` as a float if it is a finite real number > 0, else raise naming `name`."""
    value = check_finite_scalar(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0; got {value}")
    return value


def check_shape(x, shape, name):
    """Raise ``ValueError`` naming `name` unless ``x.shape`` matches `shape`.

    `shape` is a tuple whose entries are ints or ``None`` (any size), e.g. ``(None, 3)``.
    """
    ok = len(x.shape) == len(shape) and all(e is None or e == g for e, g in zip(shape, x.shape))
    if not ok:
        expected = "(" + ", ".join("any" if e is None else str(e) for e in shape) + ("," if len(shape) == 1 else "") + ")"
        raise ValueError(f"{name} must have shape {expected}; got shape {tuple(x.shape)}")
    return x
