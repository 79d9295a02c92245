r"""Checks of the data-augmentation exercise (19): a horizontal flip of flattened digits and a random shift.

Both are called on the check's own data (copies), with the conventions of :mod:`nnlib.check`: a short, kind
message, ``True``/``False``, never a traceback for a wrong answer. Each names the usual mistakes:

- :func:`~nnlib.check.augment.check_hflip_digits`: the vertical flip (wrong axis), the 64 numbers of a row reversed as a whole (a
  180° rotation), a transpose, the order of the images reversed, the input changed in place.
- :func:`~nnlib.check.augment.check_random_shift`: wrap-around (``np.roll``) instead of zero fill, the flattened vector shifted,
  one shift for the whole batch, shifts outside {-1, 0, 1} or missing one of its values, randomness that does
  not come from ``rng`` (the global ``np.random``), the input changed in place.
"""

import numpy as np

from ._feedback import _call, _code_error, _correct, _fmt_array, _run, _Stop, _t, _type_hint, _wrong

__all__ = ["check_hflip_digits", "check_random_shift"]

_SIDE = 8
_SHIFTS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def _digits_like(n, seed):
    """n flattened 8×8 'images' with every pixel non-zero, so a zero entering at an edge is visible."""
    return np.random.default_rng(seed).uniform(0.1, 1.0, (n, _SIDE * _SIDE))


def _student_array(value, n, name):
    """The student's result as an (n, 64) float array, or a message and _Stop."""
    found = _type_hint(value, _t("an array of shape (N, 64)"))
    if found:
        raise _Stop(_wrong(_t("an array of shape ({n}, 64)", n=n), *found))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Stop(_wrong(_t("an array of shape ({n}, 64)", n=n),
                           _t("a {kind} that is not an array of numbers", kind=type(value).__name__),
                           _t("Return a numpy array."))) from None
    if arr.shape != (n, _SIDE * _SIDE):
        if arr.shape == (n, _SIDE, _SIDE):
            hint = _t("Your images are right but still 8×8: reshape them back to rows of 64, .reshape(len(X), 64).")
        else:
            hint = _t("{name} must keep the layout of X: one row of 64 numbers per image, shape (N, 64). "
                      "Reshape to (N, 8, 8), transform, and reshape back.", name=name)
        raise _Stop(_wrong(_t("an array of shape ({n}, 64)", n=n), _t("an array of shape {shape}", shape=arr.shape),
                           hint))
    return arr


def _call_on_copy(fn, X, extra, name, expected):
    """Call fn(X_copy, *extra); a changed input is a mistake of its own."""
    given = X.copy()
    value = _call(fn, (given, *extra), {}, name, expected, ("X", "rng")[:1 + len(extra)])
    changed = not np.array_equal(given, X)
    return value, changed


def _in_place():
    return _t("Your function changed the array X it was given. Augmentation makes a new copy each time and leaves "
              "the data alone (otherwise every epoch would transform images already transformed): work on "
              "X.copy(), or build the result with slicing and reshape into a new array.")


def _images(X):
    return X.reshape(-1, _SIDE, _SIDE)


def check_hflip_digits(answer, name="hflip_digits"):
    """Check ``hflip_digits(X)``: the horizontal flip of every flattened 8×8 digit of X (N, 64).

    The right answer is ``X.reshape(N, 8, 8)[:, :, ::-1].reshape(N, 64)``: within each image, column j
    becomes column 7 - j; rows and the order of the images stay.
    """
    X = _digits_like(6, seed=19)
    expected = _images(X)[:, :, ::-1].reshape(6, -1)
    wrong = [
        (_images(X)[:, ::-1, :].reshape(6, -1),
         _t("You flipped each image upside down (its rows, axis 1 of the (N, 8, 8) array): a horizontal flip "
            "swaps left and right, so it reverses the columns, axis 2.")),
        (X[:, ::-1],
         _t("You reversed the 64 numbers of each row as a whole: that reverses both the rows and the columns of "
            "the image, a rotation by 180°, not a mirror. Reshape to (N, 8, 8) first and reverse axis 2 only.")),
        (X[::-1], _t("You reversed the order of the images (axis 0): flip within each image, axis 2 of (N, 8, 8).")),
        (_images(X).transpose(0, 2, 1).reshape(6, -1),
         _t("You transposed each image (rows became columns): that is a mirror about the diagonal. Reverse the "
            "columns instead: [:, :, ::-1].")),
        (X, _t("Your function returned the images unchanged.")),
    ]

    def run():
        if not callable(answer):
            return _wrong(_t("the function {name}", name=name), _t("{answer!r}, not a function", answer=answer),
                          _t("Give the function's name, {name}, without parentheses: the check calls it.", name=name))
        value, changed = _call_on_copy(answer, X, (), name, _t("an array of shape (6, 64)"))
        got = _student_array(value, 6, name)
        if changed:
            return _wrong(_t("X left unchanged"), _t("X changed by your function"), _in_place())
        if np.allclose(got, expected):
            fixed = _t("Use len(X) or -1 in your reshape, never a fixed number of images.")
            try:
                got1 = np.asarray(answer(X[:1].copy()), dtype=float)
            except Exception as exc:  # works for 6 images only
                return _wrong(_t("the same flip for a batch of one image, shape (1, 64)"),
                              _code_error(exc), fixed)
            if got1.shape != (1, 64) or not np.allclose(got1, expected[:1]):
                return _wrong(_t("the same flip for a batch of one image, shape (1, 64)"),
                              _t("an array of shape {shape}", shape=got1.shape), fixed)
            return _correct(_t("{name} mirrors each 8×8 image left to right (column j becomes column 7 - j), for "
                               "6 images and for 1, and leaves X unchanged.", name=name))
        for array, text in wrong:
            if np.allclose(got, array):
                return _wrong(_t("first row of image 0 reversed: {row}", row=_fmt_array(expected[0, :8])),
                              _t("first row of image 0: {row}", row=_fmt_array(got[0, :8])), text)
        return _wrong(_t("first row of image 0 reversed: {row}", row=_fmt_array(expected[0, :8])),
                      _t("first row of image 0: {row}", row=_fmt_array(got[0, :8])),
                      _t("Reshape to (N, 8, 8), reverse the columns of every image ([:, :, ::-1]), reshape back "
                         "to (N, 64)."))

    return _run(run, name)


def _zero_shift(img, dy, dx):
    """img (8, 8) moved dy rows down and dx columns right, zeros entering."""
    out = np.zeros_like(img)
    H, W = img.shape
    out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = img[max(-dy, 0):H + min(-dy, 0),
                                                                      max(-dx, 0):W + min(-dx, 0)]
    return out


def _which_shift(got, img, candidates):
    """The first (dy, dx) of `candidates` whose zero-fill shift of img equals got, or None."""
    for dy, dx in candidates:
        if np.allclose(got, _zero_shift(img, dy, dx)):
            return dy, dx
    return None


def _diagnose_shift(got, img):
    """A hint for an output image that is no zero-fill shift by at most one pixel."""
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if (dy, dx) != (0, 0) and np.allclose(got, np.roll(img, (dy, dx), axis=(0, 1))):
                return _t("np.roll wraps around: the pixels that leave one side come back on the other. A shift "
                          "fills the pixels that enter with 0, the background: copy a slice into "
                          "np.zeros_like(...).")
    flat = img.ravel()
    for k in (-9, -8, -7, -1, 1, 7, 8, 9):
        rolled = np.roll(flat, k).reshape(img.shape)
        moved = np.zeros_like(flat)
        if k > 0:
            moved[k:] = flat[:-k]
        else:
            moved[:k] = flat[-k:]
        if np.allclose(got, rolled) or np.allclose(got, moved.reshape(img.shape)):
            return _t("You shifted the row of 64 numbers: moving it by 1 carries the last pixel of each image row to "
                      "the start of the next row. Reshape to 8×8 and shift rows and columns there.")
    if _which_shift(got, img, [(dy, dx) for dy in range(-3, 4) for dx in range(-3, 4)]):
        return _t("Shift by at most one pixel: dy and dx in {{-1, 0, 1}}.")
    return _t("Each output image must be its input moved by dy rows and dx columns (each -1, 0 or 1), with zeros "
              "entering at the edge.")


def check_random_shift(answer, name="random_shift"):
    """Check ``random_shift(X, rng)``: every flattened 8×8 image moved by its own random (dy, dx), each in
    {-1, 0, 1}, drawn from the Generator `rng`, pixels entering filled with 0; X unchanged.

    The check runs the function on 300 images whose pixels are all non-zero (so zero fill is visible), finds
    each image's shift, asks for all nine shifts to occur, and calls it again with generators of equal and of
    different seeds: equal seeds must give equal results, different seeds different ones.
    """
    n = 300
    X = _digits_like(n, seed=7)
    expected = _t("each image moved by its own (dy, dx) in {{-1, 0, 1}}², zeros entering")

    def run():
        if not callable(answer):
            return _wrong(_t("the function {name}", name=name), _t("{answer!r}, not a function", answer=answer),
                          _t("Give the function's name, {name}, without parentheses: the check calls it.", name=name))
        value, changed = _call_on_copy(answer, X, (np.random.default_rng(0),), name, expected)
        got = _student_array(value, n, name)
        if changed:
            return _wrong(_t("X left unchanged"), _t("X changed by your function"), _in_place())
        imgs, outs = _images(X), _images(got)
        shifts = []
        for i in range(n):
            found = _which_shift(outs[i], imgs[i], _SHIFTS)
            if found is None:
                return _wrong(_t("image {i}: {expected}", i=i, expected=expected),
                              _t("image {i} (first row): {row}", i=i, row=_fmt_array(outs[i, 0])),
                              _diagnose_shift(outs[i], imgs[i]))
            shifts.append(found)
        seen = sorted(set(shifts))
        if len(seen) == 1:
            return _wrong(_t("a different random shift for each image"),
                          _t("the shift {shift} for all {n} images", shift=seen[0], n=n),
                          _t("Draw dy and dx for every image (arrays of N values, e.g. rng.integers(-1, 2, size=N)), "
                             "not once for the whole batch."))
        if len(seen) < len(_SHIFTS):
            missing = [s for s in _SHIFTS if s not in seen]
            return _wrong(_t("all nine shifts (dy, dx) with dy, dx in {{-1, 0, 1}}"),
                          _t("{n} of them; never {missing}", n=len(seen), missing=missing[:3]),
                          _t("rng.integers(low, high) excludes high: rng.integers(-1, 2) draws from {{-1, 0, 1}}; "
                             "draw dy and dx independently."))
        again, _ = _call_on_copy(answer, X, (np.random.default_rng(0),), name, expected)
        if not np.allclose(_student_array(again, n, name), got):
            return _wrong(_t("the same result for two generators with the same seed"), _t("different results"),
                          _t("Take every random number from the rng argument (rng.integers, rng.random), not from "
                             "np.random.* or the random module: then a seed reproduces the augmentation."))
        other, _ = _call_on_copy(answer, X, (np.random.default_rng(1),), name, expected)
        if np.allclose(_student_array(other, n, name), got):
            return _wrong(_t("different shifts for a generator with another seed"), _t("the same result"),
                          _t("Your function ignores rng (a fixed seed inside?): draw the shifts from the rng you are "
                             "given."))
        counts = {s: shifts.count(s) for s in _SHIFTS}
        return _correct(_t("{name} moves each image by its own shift with zero fill; all nine shifts occur "
                           "(between {fewest} and {most} of {n} images each), the "
                           "seed of rng reproduces them, and X is left unchanged.",
                           name=name, fewest=min(counts.values()), most=max(counts.values()), n=n))

    return _run(run, name)
