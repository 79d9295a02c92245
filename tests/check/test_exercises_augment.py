"""The checks of exercise 19 (augmentation) reject plausible wrong answers, as the notebook runs them.

The solution notebook's code is run once in this process (the Colab cell and the solution-only cells left
out; Part 3, which trains networks, is skipped to keep the test fast); then a solution function is swapped
for a wrong one and the notebook's own check cell is run again: it must print the "Not quite" message with
the hint that names the mistake, and no traceback.
"""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from notebook_runner import assert_rejected  # noqa: E402

EX19 = "19-augmentation.ipynb"
TRAINING = ("def test_accuracy",)  # Part 3 trains networks: run with the book, not needed by the checks


def test_solutions_pass_their_checks(notebook):
    for marker in ["check_hflip_digits", "check_random_shift"]:
        out = notebook(EX19, TRAINING).check(marker)
        assert "✔ Correct!" in out and "✘" not in out, out


# ------------------------------------------------------------------------------------------ flip

def _images(X):
    return X.reshape(len(X), 8, 8)


def _flip_in_place(X):
    images = _images(X)
    images[:] = images[:, :, ::-1].copy()
    return X


@pytest.mark.parametrize("wrong, words", [
    (lambda X: _images(X)[:, ::-1, :].reshape(len(X), 64), ["upside down", "axis 2"]),
    (lambda X: X[:, ::-1], ["64 numbers of each row as a whole", "180°"]),
    (lambda X: X[::-1], ["order of the images"]),
    (lambda X: _images(X).transpose(0, 2, 1).reshape(len(X), 64), ["transposed"]),
    (lambda X: X.copy(), ["unchanged"]),
    (_flip_in_place, ["changed the array X", "X.copy()"]),
    (lambda X: _images(X)[:, :, ::-1], ["still 8×8", "reshape them back"]),
    (lambda X: X.reshape(6, 8, 8)[:, :, ::-1].reshape(6, 64), ["batch of one image", "len(X) or -1"]),
    (lambda X: None, ["`return`"]),
])
def test_19_flip_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX19, TRAINING).check("check_hflip_digits", hflip_digits=wrong), *words)


def test_19_flip_not_answered(notebook):
    def unanswered(X):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX19, TRAINING).check("check_hflip_digits", hflip_digits=unanswered)


def test_19_flip_written_with_a_loop_passes(notebook):
    def by_columns(X):
        out = np.empty_like(X)
        for j in range(8):
            out[:, j::8] = X[:, 7 - j::8]
        return out
    assert "✔ Correct!" in notebook(EX19, TRAINING).check("check_hflip_digits", hflip_digits=by_columns)


# ----------------------------------------------------------------------------------------- shift

def _shift_with(draw, fill="zero", flat=False):
    """A random shift whose (dy, dx) per image come from draw(rng, N); fill 'zero' or 'roll'."""
    def random_shift(X, rng):
        N = len(X)
        dy, dx = draw(rng, N)
        if flat:                                   # the row of 64 numbers moved as a whole
            out = np.zeros_like(X)
            out[:, 1:] = X[:, :-1]
            return out
        images, out = _images(X), np.zeros((N, 8, 8))
        for n in range(N):
            a, b = int(dy[n]), int(dx[n])
            if fill == "roll":
                out[n] = np.roll(images[n], (a, b), axis=(0, 1))
            else:
                out[n, max(a, 0):8 + min(a, 0), max(b, 0):8 + min(b, 0)] = \
                    images[n, max(-a, 0):8 + min(-a, 0), max(-b, 0):8 + min(-b, 0)]
        return out.reshape(N, 64)
    return random_shift


def _right_draw(rng, N):
    return rng.integers(-1, 2, size=(2, N))


def _in_place(X, rng):
    X[:] = _shift_with(_right_draw)(X.copy(), rng)
    return X


@pytest.mark.parametrize("wrong, words", [
    (_shift_with(_right_draw, fill="roll"), ["np.roll wraps around", "np.zeros_like"]),
    (_shift_with(_right_draw, flat=True), ["row of 64 numbers", "next row"]),
    (_shift_with(lambda rng, N: np.broadcast_to(rng.integers(-1, 2, size=(2, 1)), (2, N))),
     ["a different random shift for each image", "for all 300 images"]),
    (_shift_with(lambda rng, N: rng.integers(-1, 1, size=(2, N))), ["all nine shifts", "excludes high"]),
    (_shift_with(lambda rng, N: np.random.randint(-1, 2, size=(2, N))), ["same seed", "np.random"]),
    (_shift_with(lambda rng, N: np.random.default_rng(42).integers(-1, 2, size=(2, N))),
     ["another seed", "ignores rng"]),
    (_shift_with(lambda rng, N: rng.integers(-2, 3, size=(2, N))), ["at most one pixel"]),
    (_in_place, ["changed the array X"]),
    (lambda X, rng: X.copy(), ["a different random shift for each image", "(0, 0)"]),
])
def test_19_shift_mistakes(notebook, wrong, words):
    assert_rejected(notebook(EX19, TRAINING).check("check_random_shift", random_shift=wrong), *words)


def test_19_shift_written_with_a_loop_passes(notebook):
    assert "✔ Correct!" in notebook(EX19, TRAINING).check("check_random_shift", random_shift=_shift_with(_right_draw))


def test_19_shift_not_answered(notebook):
    def unanswered(X, rng):
        raise NotImplementedError("Your turn")
    assert "Not answered yet" in notebook(EX19, TRAINING).check("check_random_shift", random_shift=unanswered)
